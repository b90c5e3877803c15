/*
 * rows.h - the rows of a register file, streamed (issue 6, H3 H4): CSV with
 * a header row (RFC 4180, parsed by libcsv) or JSON Lines (one object a
 * line, parsed by jansson).  The reader never holds more than the row at
 * hand: it reads a physical line at a time, so memory follows the longest
 * row, not the file.
 *
 * A row that cannot be read (ragged, not UTF-8, a JSON line that is not an
 * object, a field over the size limit) is reported with its line number
 * and the reader goes on with the next one; only an unterminated quote,
 * which swallows the rest of the file, ends it.
 */
#ifndef DESK_ROWS_H
#define DESK_ROWS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

enum rows_format {
	ROWS_CSV,
	ROWS_JSONL,
};

/* One row: its first physical line (from 1) and its fields by name. */
struct row {
	unsigned	 line;
	size_t		 n;
	const char	**names;	/* CSV: the header's; JSONL: the keys */
	char		**values;	/* UTF-8, NUL-terminated */
};

struct rows;

/* Read `fp` (not closed by rows_free) in a format; fields longer than
 * max_field bytes are refused row by row.  NULL when out of memory. */
struct rows *rows_open(FILE *fp, enum rows_format, size_t max_field);
void	 rows_free(struct rows *);
/* "x.jsonl" / "x.ndjson" -> ROWS_JSONL, else CSV. */
enum rows_format rows_format_of(const char *path);

enum rows_status {
	ROWS_ROW = 1,		/* *row is valid until the next call */
	ROWS_END = 0,
	ROWS_BAD = -1,		/* this row is refused: rows_error says why;
				 * call again for the next */
	ROWS_FATAL = -2,	/* nothing more can be read: rows_error */
};
enum rows_status rows_next(struct rows *, const struct row **row);
/* The last refusal: its line and "field 'phone': not UTF-8 ..." */
unsigned	 rows_error_line(const struct rows *);
const char	*rows_error(const struct rows *);
/* CSV: the header's names once the first row was asked for (n 0 before,
 * or for JSONL). */
size_t		 rows_header(const struct rows *, const char *const **names);
/* Bytes consumed so far (for a progress bar against the file's size). */
size_t		 rows_offset(const struct rows *);

#endif
