/*
 * fields.h - a message's fields as text, through the protobuf-c
 * descriptors: what a flag, a prompt or a file's column gives (field_set),
 * and what a show or an exported file writes (field_show, field_text).
 * One module, so that `desk visitor in --valid-until` and a file's
 * `valid_until_ms` column read alike and an export imports back (issue 6).
 *
 * By the field's name and type:
 *   *_ms (int64)	a time: "2026-01-01", "2026-01-01 08:30[:15[.250]]"
 *			(a T may stand for the space, a Z or +08:00 may
 *			follow), and what cli_parse_time takes ("08:30",
 *			"+2h"); local time unless an offset is given
 *   *_cents (int64)	money in yuan: "35", "35.5", "35.50"
 *   other integers	decimal
 *   enums		the value's words (CONSENT_PHONE -> "phone"; the full
 *			name is taken too)
 *   bool		yes/no/true/false
 *   repeated strings	items split at the separator (',' on the command
 *			line, ';' in files)
 * Empty text is a field not given (its zero), and is what an unset time
 * or enum is written as.  Bytes and message fields have no text: they are
 * not columns.
 */
#ifndef DESK_FIELDS_H
#define DESK_FIELDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <protobuf-c/protobuf-c.h>

/* Repeated strings: how items are separated. */
#define FIELD_SEP_FLAG	','
#define FIELD_SEP_FILE	';'

/* The memory a filled message points into (lists and their copies), to
 * free at once when the message is done with. */
struct field_arena {
	void	**p;
	size_t	  n, cap;
};

/* Keep p (NULL is kept as nothing); p is returned. */
void	*field_keep(struct field_arena *, void *p);
/* Free what was kept; the arena can be used again. */
void	 field_arena_clear(struct field_arena *);
void	 field_arena_free(struct field_arena *);

/* Has the field a text form (a flag, a column)? */
bool	 field_has_text(const ProtobufCFieldDescriptor *);
bool	 field_is_time(const ProtobufCFieldDescriptor *);
/*
 * Set a field of m from text.  Strings point at `text` itself, which must
 * outlive the message's use; lists are copied into the arena.  0, or -1
 * when the text is not a value of the field (field_meta says what is).
 */
int	 field_set(ProtobufCMessage *m, const ProtobufCFieldDescriptor *,
	    const char *text, char sep, struct field_arena *);
/* The times field_set takes, as ms since the epoch; 0 or -1. */
int	 field_parse_time(const char *, int64_t *ms);
/* The same for a time that ends something (a field named *to_ms,
 * *until_ms, *end_ms): a date alone is the whole day, to its last
 * millisecond (E5). */
int	 field_parse_end(const char *, int64_t *ms);

/* Text built up in a buffer that grows and is used again. */
struct field_buf {
	char	*s;
	size_t	 len, cap;
};

void	 field_buf_free(struct field_buf *);
/*
 * A field as a file holds it, the inverse of field_set with FIELD_SEP_FILE
 * (times to the millisecond with their offset, unset times and enums
 * empty).  A string is returned as it is, else the text is built in b;
 * valid until b is used again.
 */
const char *field_text(const ProtobufCMessage *,
	    const ProtobufCFieldDescriptor *, struct field_buf *b);
/* How field_text writes a field, told by its type and name: worked out
 * once a column by a million-row export (field_text_as). */
enum field_form {
	FIELD_FORM_LIST,
	FIELD_FORM_STRING,
	FIELD_FORM_TIME,
	FIELD_FORM_MONEY,
	FIELD_FORM_DAY,
	FIELD_FORM_UNSIGNED,
	FIELD_FORM_SIGNED,
	FIELD_FORM_ENUM,
	FIELD_FORM_BOOL,
	FIELD_FORM_NONE,	/* no text (bytes, messages, floats) */
};
enum field_form field_form(const ProtobufCFieldDescriptor *);
const char *field_text_as(const ProtobufCMessage *,
	    const ProtobufCFieldDescriptor *, enum field_form,
	    struct field_buf *b);
/* A field as `show` prints it (times to the minute, ", " between items,
 * zero and unset blank). */
void	 field_show(const ProtobufCMessage *,
	    const ProtobufCFieldDescriptor *, char *, size_t);
/* What a value looks like ("TIME", "present|phone|standing"), for --help
 * and prompts. */
const char *field_meta(const ProtobufCFieldDescriptor *, char *, size_t);
/* What a value must be, to say why one is refused: field_meta, but a
 * time or a day with its form and the one range of times (wire.h). */
const char *field_wanted(const ProtobufCFieldDescriptor *, char *buf,
	    size_t len);
/* wire.h's WIRE_TIME_RANGE and WIRE_DAY_RANGE, to translate with _(). */
extern const char field_time_range[], field_day_range[];
/*
 * A field's name for a person, in the user's language (id_type: "id type",
 * 证件类型), by its message (NULL: any) and name; a field the table lacks
 * reads as its name, spaced.  Valid until the fourth next call.
 */
const char *field_label(const ProtobufCMessageDescriptor *, const char *);
/* Has the table a label for it? */
bool	 field_label_known(const ProtobufCMessageDescriptor *, const char *);
/* A line of a --help: "  NAME   LABEL META", NAME (a flag, a column) in
 * `width` columns, the label only where it is translated. */
void	 field_help(FILE *, const ProtobufCMessageDescriptor *,
	    const ProtobufCFieldDescriptor *, const char *name, int width,
	    const char *meta);
/* The label as a list's heading: "VALID UNTIL", 有效期至. */
void	 field_heading(const ProtobufCMessageDescriptor *, const char *,
	    char *, size_t);
/* valid_until_ms -> valid-until, fee_cents -> fee, id_number ->
 * id-number. */
void	 field_flag_name(const ProtobufCFieldDescriptor *, char *, size_t);

/* An enum value as words: STATUS_OPEN -> "open" (prefix "STATUS_", or
 * NULL: the first word, whatever it is). */
const char *cli_enum_label(const ProtobufCEnumDescriptor *, int,
	    const char *prefix);
/* One field of a message as a column shows it (by name): times for *_ms,
 * yuan for *_cents, enums as words. */
void	 cli_cell_text(const ProtobufCMessage *, const char *field, char *,
	    size_t);

#endif
