/*
 * test_cli_util.c - the desk command's columns (Chinese text is two columns
 * a character, and a cut never splits one) and its time arguments.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "cli.h"
#include "wire.h"

static int
setup(void **state)
{
	(void)state;
	/* What the desk command does at start when the user's locale is not
	 * UTF-8; the columns depend on it. */
	if (setlocale(LC_CTYPE, "C.UTF-8") == NULL)
		return -1;
	/* Times are checked against UTC; the command uses the local zone. */
	setenv("TZ", "UTC", 1);
	tzset();
	return 0;
}

static void
width(void **state)
{
	(void)state;
	assert_int_equal(cli_width(""), 0);
	assert_int_equal(cli_width("abc"), 3);
	assert_int_equal(cli_width("complaint.replied"), 17);
	assert_int_equal(cli_width("王女士"), 6);
	assert_int_equal(cli_width("3-502 王女士"), 12);
	assert_int_equal(cli_width("王 Li 女士"), 10);
	assert_int_equal(cli_width("工程部（二）"), 12);	/* fullwidth () */
	assert_int_equal(cli_width("１２３"), 6);		/* fullwidth digits */
	assert_int_equal(cli_width("caf\xc3\xa9"), 4);		/* é */
	assert_int_equal(cli_width("e\xcc\x81"), 1);		/* e + combining */
	assert_int_equal(cli_width("ｶﾀｶﾅ"), 4);		/* halfwidth kana */
	assert_int_equal(cli_width("𠀀"), 2);			/* CJK Ext-B */
	/* Bytes that are not UTF-8 still take a column each. */
	assert_int_equal(cli_width("a\xff" "b"), 3);
	assert_int_equal(cli_width("\xe7\x8e"), 2);
}

/* cli_cell's output for one call, NUL-terminated. */
static char *
cell(const char *s, int w)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	cli_cell(f, s, w);
	assert_int_equal(fclose(f), 0);
	return buf;
}

static void
cell_pads(void **state)
{
	char *out;

	(void)state;
	out = cell("abc", 6);
	assert_string_equal(out, "abc   ");
	free(out);
	out = cell("王女士", 8);
	assert_string_equal(out, "王女士  ");
	free(out);
	out = cell("王女士", 6);
	assert_string_equal(out, "王女士");
	free(out);
	out = cell("", 3);
	assert_string_equal(out, "   ");
	free(out);
	out = cell("abc", 0);
	assert_string_equal(out, "");
	free(out);
	/* A newline or tab in free text would break the row. */
	out = cell("a\nb\tc", 6);
	assert_string_equal(out, "a b c ");
	free(out);
}

static void
cell_cuts_whole_characters(void **state)
{
	char *out;

	(void)state;
	/* A cut text ends in "…" (one column, issue 16), so it is seen to
	 * be cut. */
	out = cell("abcdef", 3);
	assert_string_equal(out, "ab…");
	free(out);
	/* One column left before "…" for a two-column character: it is left
	 * out and the column padded... */
	out = cell("王女士", 4);
	assert_string_equal(out, "王… ");
	free(out);
	/* ...two columns: it fits. */
	out = cell("王女士", 5);
	assert_string_equal(out, "王女…");
	free(out);
	out = cell("王女士", 1);
	assert_string_equal(out, "…");
	free(out);
	out = cell("a王", 2);
	assert_string_equal(out, "a…");
	free(out);
	/* What fits exactly is not cut. */
	out = cell("王女士", 6);
	assert_string_equal(out, "王女士");
	free(out);
	/* Every cut of mixed text is valid UTF-8 of exactly the width. */
	for (int w = 0; w < 24; w++) {
		const char *s = "3-502 室王女士 (Mrs Wang) 工程部";

		out = cell(s, w);
		assert_true(wire_utf8_valid(out, strlen(out)));
		assert_int_equal(cli_width(out), w);
		/* What is kept is the start of the text. */
		for (size_t i = 0; out[i] && out[i] == s[i]; i++)
			;
		free(out);
	}
}

/* cli_column: a long Chinese title cut with "…" and one space before the
 * next column, whose start does not move (issue 16: "schedule:2026-1"
 * ran into "2026-12"). */
static void
column_keeps_a_space(void **state)
{
	static const char *titles[] = { "电梯停运三天无人处理，业主多次投诉",
	    "schedule:2026-12", "day signed (B7)", "短" };
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	char *line, *save;

	(void)state;
	assert_non_null(f);
	for (size_t i = 0; i < sizeof(titles) / sizeof(titles[0]); i++) {
		cli_column(f, titles[i], 15);
		fputs("sup1\n", f);
	}
	assert_int_equal(fclose(f), 0);
	line = strtok_r(buf, "\n", &save);
	assert_string_equal(line, "电梯停运三天…  sup1");
	line = strtok_r(NULL, "\n", &save);
	assert_string_equal(line, "schedule:2026… sup1");
	line = strtok_r(NULL, "\n", &save);
	assert_string_equal(line, "day signed (B… sup1");
	line = strtok_r(NULL, "\n", &save);
	assert_string_equal(line, "短             sup1");
	free(buf);
}

/* A table of names: the next column starts at the same place on each row. */
static void
cell_columns_line_up(void **state)
{
	static const char *names[] = { "王女士", "Li", "张三丰先生",
	    "O'Brien", "李", "欧阳 Xiaoming 先生", "" };
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	char *line, *save;
	int rows = 0;

	(void)state;
	assert_non_null(f);
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		cli_cell(f, names[i], 10);
		fputs("|", f);
		cli_cell(f, "open", 8);
		fputs("|\n", f);
	}
	assert_int_equal(fclose(f), 0);
	for (line = strtok_r(buf, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		char *bar = strchr(line, '|');

		assert_non_null(bar);
		*bar = '\0';
		assert_int_equal(cli_width(line), 10);
		assert_int_equal(cli_width(bar + 1), 8 + 1);
		assert_true(wire_utf8_valid(line, strlen(line)));
		rows++;
	}
	assert_int_equal(rows, 7);
	free(buf);
}

static void
parse_absolute(void **state)
{
	int64_t ms = 0;

	(void)state;
	assert_int_equal(cli_parse_time("2024-03-05 14:30", &ms), 0);
	assert_int_equal(ms, 1709649000LL * 1000);
	assert_int_equal(cli_parse_time("2024-03-05T14:30", &ms), 0);
	assert_int_equal(ms, 1709649000LL * 1000);
	assert_int_equal(cli_parse_time("2024-03-05 14:30:15", &ms), 0);
	assert_int_equal(ms, 1709649015LL * 1000);
	assert_int_equal(cli_parse_time("2024-03-05T14:30:15", &ms), 0);
	assert_int_equal(ms, 1709649015LL * 1000);
	assert_int_equal(cli_parse_time("2023-12-31 23:59", &ms), 0);
	assert_int_equal(ms, 1704067140LL * 1000);
}

/* "HH:MM" is today at that time. */
static void
parse_clock_time(void **state)
{
	time_t now = time(NULL);
	struct tm tm;
	int64_t ms = 0, midnight;

	(void)state;
	gmtime_r(&now, &tm);
	midnight = ((int64_t)now - (tm.tm_hour * 3600 + tm.tm_min * 60 +
	    tm.tm_sec)) * 1000;
	assert_int_equal(cli_parse_time("14:30", &ms), 0);
	assert_int_equal(ms, midnight + (14 * 3600 + 30 * 60) * 1000LL);
	assert_int_equal(cli_parse_time("00:05", &ms), 0);
	assert_int_equal(ms, midnight + 5 * 60 * 1000LL);
}

static void
parse_relative(void **state)
{
	int64_t ms = 0, before, after;

	(void)state;
	before = (int64_t)time(NULL) * 1000;
	assert_int_equal(cli_parse_time("+2h", &ms), 0);
	after = (int64_t)time(NULL) * 1000;
	assert_in_range(ms, before + 7200000, after + 7200000);
	assert_int_equal(cli_parse_time("+30m", &ms), 0);
	assert_in_range(ms, before + 1800000, (int64_t)time(NULL) * 1000 +
	    1800000);
	assert_int_equal(cli_parse_time("+1d", &ms), 0);
	assert_in_range(ms, before + 86400000, (int64_t)time(NULL) * 1000 +
	    86400000);
	assert_int_equal(cli_parse_time("+90s", &ms), 0);
	assert_in_range(ms, before + 90000, (int64_t)time(NULL) * 1000 +
	    90000);
	assert_int_equal(cli_parse_time("+10min", &ms), 0);
	assert_in_range(ms, before + 600000, (int64_t)time(NULL) * 1000 +
	    600000);
}

static void
parse_garbage(void **state)
{
	static const char *bad[] = {
		"", "tomorrow", "now", "+", "+h", "+2", "+2x", "+-2h", "+2 h",
		"2h", "2024-03-05", "2024-13-05 10:00", "2024-03-05 25:00",
		"2024-03-05 10:60", "2024-03-05 14:30 extra", "14:30x",
		"2024/03/05 14:30", "14", "+infh", "+nanh", "+1e300h",
		"+1e400h",
	};
	int64_t ms;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ms = 42;
		if (cli_parse_time(bad[i], &ms) == 0)
			fail_msg("'%s' accepted as %lld", bad[i],
			    (long long)ms);
		assert_int_equal(ms, 42);
	}
}

/* D2: money is typed in yuan and kept in integer cents, never a float. */
static void
money(void **state)
{
	static const struct { const char *in; int64_t cents; } good[] = {
		{ "0", 0 }, { "35", 3500 }, { "35.5", 3550 }, { "35.50", 3550 },
		{ "0.01", 1 }, { "1000000", 100000000 },
	};
	static const char *bad[] = { "", "-1", "1.", ".5", "1.234", "1,5",
	    "35 ", "abc", "1e3", "+5", "99999999999999999999" };
	char buf[32];
	int64_t c;

	(void)state;
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		assert_int_equal(cli_parse_money(good[i].in, &c), 0);
		assert_int_equal(c, good[i].cents);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		c = 42;
		if (cli_parse_money(bad[i], &c) == 0)
			fail_msg("'%s' accepted as %lld", bad[i], (long long)c);
	}
	cli_fmt_money(3550, buf, sizeof(buf));
	assert_string_equal(buf, "35.50");
	cli_fmt_money(7, buf, sizeof(buf));
	assert_string_equal(buf, "0.07");
	cli_fmt_money(-250, buf, sizeof(buf));
	assert_string_equal(buf, "-2.50");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(width),
		cmocka_unit_test(cell_pads),
		cmocka_unit_test(cell_cuts_whole_characters),
		cmocka_unit_test(cell_columns_line_up),
		cmocka_unit_test(column_keeps_a_space),
		cmocka_unit_test(parse_absolute),
		cmocka_unit_test(parse_clock_time),
		cmocka_unit_test(parse_relative),
		cmocka_unit_test(parse_garbage),
		cmocka_unit_test(money),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
