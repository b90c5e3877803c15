/*
 * test_rows.c - register files row by row (issue 6): the bad input a real
 * register file holds -- a BOM, CRLF, quoted commas and newlines, a ragged
 * row, Latin-1 bytes, a 20 MB field, a stray or an unterminated quote, a
 * JSON line that is not an object -- each refused with its line, and the
 * rows after it still read.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "rows.h"

#define MAX_FIELD	(1024 * 1024)

static struct rows *
open_text(const char *text, size_t len, enum rows_format fmt, FILE **fp)
{
	struct rows *rs;

	assert_non_null(*fp = fmemopen((void *)text, len, "r"));
	assert_non_null(rs = rows_open(*fp, fmt, MAX_FIELD));
	return rs;
}

static void
close_text(struct rows *rs, FILE *fp)
{
	rows_free(rs);
	fclose(fp);
}

/* The value of a named field of a row, or NULL. */
static const char *
field(const struct row *r, const char *name)
{
	for (size_t i = 0; i < r->n; i++)
		if (strcmp(r->names[i], name) == 0)
			return r->values[i];
	return NULL;
}

static void
csv_excel(void **state)
{
	/* Excel's "CSV UTF-8": a BOM, CRLF, a quoted comma, a quoted line
	 * break, a doubled quote. */
	static const char text[] = "\xef\xbb\xbfref,unit,text\r\n"
	    "c1,3-2-1201,\"楼上漏水, 已报修\"\r\n"
	    "c2,3-2-1202,\"第一行\r\n第二行\"\r\n"
	    "\r\n"
	    "c3,3-2-1203,\"他说\"\"明天来\"\"\"\r\n";
	const struct row *r;
	const char *const *names;
	struct rows *rs;
	FILE *fp;

	(void)state;
	rs = open_text(text, sizeof(text) - 1, ROWS_CSV, &fp);
	assert_int_equal(rows_next(rs, &r), ROWS_ROW);
	assert_int_equal(rows_header(rs, &names), 3);
	assert_string_equal(names[0], "ref");	/* the BOM is gone */
	assert_int_equal(r->line, 2);
	assert_string_equal(field(r, "text"), "楼上漏水, 已报修");
	assert_int_equal(rows_next(rs, &r), ROWS_ROW);
	assert_int_equal(r->line, 3);
	assert_string_equal(field(r, "text"), "第一行\r\n第二行");
	assert_int_equal(rows_next(rs, &r), ROWS_ROW);
	assert_int_equal(r->line, 6);	/* after the blank line */
	assert_string_equal(field(r, "ref"), "c3");
	assert_string_equal(field(r, "text"), "他说\"明天来\"");
	assert_int_equal(rows_next(rs, &r), ROWS_END);
	assert_int_equal(rows_offset(rs), sizeof(text) - 1);
	close_text(rs, fp);
}

static void
csv_bad_rows(void **state)
{
	/* A ragged row, Latin-1 bytes, a stray quote: each refused by line,
	 * the rows between them read. */
	static const char text[] = "ref,unit\n"
	    "a,1\n"
	    "b,2,extra\n"
	    "c,caf\xe9\n"
	    "d,x\"y\n"
	    "e,5";		/* no newline at the end */
	const struct row *r;
	struct rows *rs;
	FILE *fp;

	(void)state;
	rs = open_text(text, sizeof(text) - 1, ROWS_CSV, &fp);
	assert_int_equal(rows_next(rs, &r), ROWS_ROW);
	assert_string_equal(field(r, "ref"), "a");
	assert_int_equal(rows_next(rs, &r), ROWS_BAD);
	assert_null(r);
	assert_int_equal(rows_error_line(rs), 3);
	assert_non_null(strstr(rows_error(rs), "3 fields, the header has 2"));
	assert_int_equal(rows_next(rs, &r), ROWS_BAD);
	assert_int_equal(rows_error_line(rs), 4);
	assert_non_null(strstr(rows_error(rs), "field 'unit': not UTF-8"));
	assert_int_equal(rows_next(rs, &r), ROWS_BAD);
	assert_int_equal(rows_error_line(rs), 5);
	assert_int_equal(rows_next(rs, &r), ROWS_ROW);
	assert_int_equal(r->line, 6);
	assert_string_equal(field(r, "unit"), "5");
	assert_int_equal(rows_next(rs, &r), ROWS_END);
	close_text(rs, fp);
}

static void
csv_huge_field(void **state)
{
	/* A 20 MB field is refused, not imported, and the next row reads. */
	size_t big = 20 * 1024 * 1024, n = 0;
	char *text = malloc(big + 64);
	const struct row *r;
	struct rows *rs;
	FILE *fp;

	(void)state;
	assert_non_null(text);
	n += (size_t)sprintf(text, "ref,text\nr1,");
	memset(text + n, 'x', big);
	n += big;
	n += (size_t)sprintf(text + n, "\nr2,ok\n");
	rs = open_text(text, n, ROWS_CSV, &fp);
	assert_int_equal(rows_next(rs, &r), ROWS_BAD);
	assert_int_equal(rows_error_line(rs), 2);
	assert_non_null(strstr(rows_error(rs), "over the limit"));
	assert_int_equal(rows_next(rs, &r), ROWS_ROW);
	assert_string_equal(field(r, "ref"), "r2");
	close_text(rs, fp);
	free(text);
}

static void
csv_unterminated_quote(void **state)
{
	static const char text[] = "ref,text\nr1,ok\nr2,\"never closed\nr3,x\n";
	const struct row *r;
	struct rows *rs;
	FILE *fp;

	(void)state;
	rs = open_text(text, sizeof(text) - 1, ROWS_CSV, &fp);
	assert_int_equal(rows_next(rs, &r), ROWS_ROW);
	assert_int_equal(rows_next(rs, &r), ROWS_FATAL);
	assert_int_equal(rows_error_line(rs), 3);
	assert_non_null(strstr(rows_error(rs), "never closed"));
	close_text(rs, fp);
}

static void
jsonl(void **state)
{
	static const char text[] = "{\"ref\":\"c1\",\"unit\":\"3-2-1201\","
	    "\"fee_qty\":2,\"urgent\":true,\"demand\":null}\n"
	    "\n"
	    "[1,2]\n"
	    "{\"ref\":\n"
	    "{\"ref\":\"c4\",\"vehicles\":[\"粤B1\",\"粤B2\"]}\n"
	    "{\"ref\":\"c5\",\"x\":{\"nested\":1}}\n"
	    "{\"ref\":\"c6\"}";
	const struct row *r;
	struct rows *rs;
	FILE *fp;

	(void)state;
	rs = open_text(text, sizeof(text) - 1, ROWS_JSONL, &fp);
	assert_int_equal(rows_next(rs, &r), ROWS_ROW);
	assert_int_equal(r->line, 1);
	assert_string_equal(field(r, "fee_qty"), "2");
	assert_string_equal(field(r, "urgent"), "true");
	assert_null(field(r, "demand"));	/* null: not given */
	assert_int_equal(rows_next(rs, &r), ROWS_BAD);
	assert_int_equal(rows_error_line(rs), 3);
	assert_non_null(strstr(rows_error(rs), "one JSON object"));
	assert_int_equal(rows_next(rs, &r), ROWS_BAD);
	assert_int_equal(rows_error_line(rs), 4);
	assert_non_null(strstr(rows_error(rs), "not JSON"));
	assert_int_equal(rows_next(rs, &r), ROWS_ROW);
	assert_string_equal(field(r, "vehicles"), "粤B1;粤B2");
	assert_int_equal(rows_next(rs, &r), ROWS_BAD);
	assert_int_equal(rows_error_line(rs), 6);
	assert_non_null(strstr(rows_error(rs), "field 'x'"));
	assert_int_equal(rows_next(rs, &r), ROWS_ROW);
	assert_string_equal(field(r, "ref"), "c6");
	assert_int_equal(rows_next(rs, &r), ROWS_END);
	close_text(rs, fp);
}

static void
format_of(void **state)
{
	(void)state;
	assert_int_equal(rows_format_of("a.jsonl"), ROWS_JSONL);
	assert_int_equal(rows_format_of("a.ndjson"), ROWS_JSONL);
	assert_int_equal(rows_format_of("a.csv"), ROWS_CSV);
	assert_int_equal(rows_format_of("-"), ROWS_CSV);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(csv_excel),
		cmocka_unit_test(csv_bad_rows),
		cmocka_unit_test(csv_huge_field),
		cmocka_unit_test(csv_unterminated_quote),
		cmocka_unit_test(jsonl),
		cmocka_unit_test(format_of),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
