/*
 * test_calendar.c - working days (C4, D5: "2 working days") against the
 * State Council's published 2025 and 2026 holiday arrangements, as shipped
 * in scripts/calendar-cn-*.ini, and the calendar file's refusals.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "calendar.h"

/*
 * The notices' dates, copied here by hand from the notices rather than
 * from the shipped files, so a typo in either shows.
 * 2025: 国办发明电〔2024〕12号, 2024-11-12.
 */
struct span {
	const char	*first, *last;
};

static const struct span off2025[] = {
	{ "2025-01-01", "2025-01-01" },		/* 元旦 */
	{ "2025-01-28", "2025-02-04" },		/* 春节 */
	{ "2025-04-04", "2025-04-06" },		/* 清明节 */
	{ "2025-05-01", "2025-05-05" },		/* 劳动节 */
	{ "2025-05-31", "2025-06-02" },		/* 端午节 */
	{ "2025-10-01", "2025-10-08" },		/* 国庆节、中秋节 */
	{ NULL, NULL }
};
static const char *const on2025[] = {
	"2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11",
	NULL
};

/* 2026: 国务院办公厅关于2026年部分节假日安排的通知, 2025-11-04. */
static const struct span off2026[] = {
	{ "2026-01-01", "2026-01-03" },		/* 元旦 */
	{ "2026-02-15", "2026-02-23" },		/* 春节 */
	{ "2026-04-04", "2026-04-06" },		/* 清明节 */
	{ "2026-05-01", "2026-05-05" },		/* 劳动节 */
	{ "2026-06-19", "2026-06-21" },		/* 端午节 */
	{ "2026-09-25", "2026-09-27" },		/* 中秋节 */
	{ "2026-10-01", "2026-10-07" },		/* 国庆节 */
	{ NULL, NULL }
};
static const char *const on2026[] = {
	"2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20",
	"2026-10-10", NULL
};

static void
set_tz(const char *tz)
{
	setenv("TZ", tz, 1);
	tzset();
}

static int
setup(void **state)
{
	(void)state;
	/* deskd sets TZ to its time_zone at startup; so do we. */
	set_tz("Asia/Shanghai");
	return 0;
}

/* The source tree: DESKD_SOURCE_DIR, or where this file was compiled. */
static void
src_path(char *buf, size_t len, const char *rel)
{
	const char *env = getenv("DESKD_SOURCE_DIR");
	const char *me = __FILE__, *cut;

	if (env != NULL) {
		snprintf(buf, len, "%s/%s", env, rel);
		return;
	}
	cut = strstr(me, "tests/unit/test_calendar.c");
	assert_non_null(cut);
	snprintf(buf, len, "%.*s%s", (int)(cut - me), me, rel);
}

static struct calendar *
load_shipped(const char *rel)
{
	struct calendar *cal = NULL;
	char path[1024], err[512];

	src_path(path, sizeof(path), rel);
	if (calendar_load_file(&cal, path, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	assert_non_null(cal);
	return cal;
}

static char *
slurp(const char *rel)
{
	char path[1024], *buf;
	FILE *fp;
	long n;

	src_path(path, sizeof(path), rel);
	assert_non_null(fp = fopen(path, "r"));
	assert_int_equal(fseek(fp, 0, SEEK_END), 0);
	n = ftell(fp);
	assert_true(n > 0);
	rewind(fp);
	assert_non_null(buf = malloc((size_t)n + 1));
	assert_int_equal(fread(buf, 1, (size_t)n, fp), (size_t)n);
	buf[n] = '\0';
	fclose(fp);
	return buf;
}

/* Local wall-clock time as ms since the epoch. */
static int64_t
at(int y, int mo, int d, int h, int mi)
{
	struct tm tm;

	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_isdst = -1;
	return (int64_t)mktime(&tm) * 1000;
}

static void
fmt_local(int64_t ms, char *buf, size_t len)
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;

	localtime_r(&t, &tm);
	snprintf(buf, len, "%04d-%02d-%02d %02d:%02d:%02d.%03d",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	    tm.tm_min, tm.tm_sec, (int)(ms % 1000));
}

#define expect(got, want)	expect_at(got, want, __LINE__)

static void
expect_at(int64_t got, int64_t want, int line)
{
	char g[64], w[64];

	if (got == want)
		return;
	fmt_local(got, g, sizeof(g));
	fmt_local(want, w, sizeof(w));
	fail_msg("line %d: got %s, want %s", line, g, w);
}

/* n working days after local y-mo-d h:mi. */
static int64_t
plus(const struct calendar *cal, int y, int mo, int d, int h, int mi, int n)
{
	return calendar_add_working_days(cal, at(y, mo, d, h, mi), n);
}

static bool
is_work(const struct calendar *cal, const char *date)
{
	int y, m, d;

	assert_int_equal(sscanf(date, "%d-%d-%d", &y, &m, &d), 3);
	return calendar_is_working_day(cal, y, m, d);
}

/*
 * Every day of the year against the notice: a day is worked if the notice
 * says 上班, else if it is in no 放假 span and is Monday..Friday.  Returns
 * the number of working days.
 */
static int
check_year(const struct calendar *cal, int year, const struct span *off,
    const char *const *on)
{
	int worked = 0;

	for (int i = 0; i < 366; i++) {
		struct tm tm;
		char date[16];
		bool want, got;

		memset(&tm, 0, sizeof(tm));
		tm.tm_year = year - 1900;
		tm.tm_mday = 1 + i;
		tm.tm_hour = 12;
		tm.tm_isdst = -1;
		mktime(&tm);
		if (tm.tm_year != year - 1900)
			break;
		strftime(date, sizeof(date), "%Y-%m-%d", &tm);
		want = tm.tm_wday != 0 && tm.tm_wday != 6;
		for (const struct span *s = off; s->first; s++)
			if (strcmp(date, s->first) >= 0 &&
			    strcmp(date, s->last) <= 0)
				want = false;
		for (const char *const *w = on; *w; w++)
			if (strcmp(date, *w) == 0) {
				/* The notice's 上班 days are all weekend days. */
				assert_true(tm.tm_wday == 0 || tm.tm_wday == 6);
				want = true;
			}
		got = calendar_is_working_day(cal, tm.tm_year + 1900,
		    tm.tm_mon + 1, tm.tm_mday);
		if (got != want)
			fail_msg("%s: calendar says %s, the notice %s", date,
			    got ? "working" : "off", want ? "working" : "off");
		worked += got;
	}
	return worked;
}

static void
cn2025_every_day(void **state)
{
	struct calendar *cal = load_shipped("scripts/calendar-cn-2025.ini");
	int first, last;

	(void)state;
	/* 365 days - 104 weekend days - 18 holidays on weekdays + 5 make-up
	 * days = 248, the count published for 2025. */
	assert_int_equal(check_year(cal, 2025, off2025, on2025), 248);

	/* The days the issue names, spelled out. */
	assert_true(is_work(cal, "2025-01-26"));	/* Sunday, 春节调休 */
	assert_true(is_work(cal, "2025-02-08"));	/* Saturday */
	for (int d = 28; d <= 31; d++) {
		char date[16];

		snprintf(date, sizeof(date), "2025-01-%02d", d);
		assert_false(is_work(cal, date));
	}
	for (int d = 1; d <= 4; d++) {
		char date[16];

		snprintf(date, sizeof(date), "2025-02-%02d", d);
		assert_false(is_work(cal, date));
	}
	assert_true(is_work(cal, "2025-02-05"));
	assert_true(is_work(cal, "2025-09-28"));	/* Sunday */
	assert_true(is_work(cal, "2025-10-11"));	/* Saturday */
	for (int d = 1; d <= 8; d++) {
		char date[16];

		snprintf(date, sizeof(date), "2025-10-%02d", d);
		assert_false(is_work(cal, date));
	}
	assert_true(is_work(cal, "2025-10-09"));
	assert_false(is_work(cal, "2025-10-12"));	/* plain Sunday */
	assert_true(is_work(cal, "2025-04-27"));
	assert_false(is_work(cal, "2025-05-05"));
	assert_false(is_work(cal, "2025-06-02"));
	/* Not a date: not a working day. */
	assert_false(calendar_is_working_day(cal, 2025, 2, 29));
	assert_false(calendar_is_working_day(cal, 2025, 13, 1));
	assert_false(calendar_is_working_day(cal, 2025, 0, 1));

	assert_true(calendar_years(cal, &first, &last));
	assert_int_equal(first, 2025);
	assert_int_equal(last, 2025);
	calendar_free(cal);
}

static void
cn2026_every_day(void **state)
{
	struct calendar *cal = load_shipped("scripts/calendar-cn-2026.ini");

	(void)state;
	/* 365 - 104 - 19 + 6. */
	assert_int_equal(check_year(cal, 2026, off2026, on2026), 248);
	calendar_free(cal);
}

static void
worked_examples_2025(void **state)
{
	struct calendar *cal = load_shipped("scripts/calendar-cn-2025.ini");

	(void)state;
	/* The case: Friday 17:00 before the National Day week.
	 * Saturday 09-27 off, Sunday 09-28 worked (1), Monday 09-29 (2). */
	expect(plus(cal, 2025, 9, 26, 17, 0, 1), at(2025, 9, 28, 17, 0));
	expect(plus(cal, 2025, 9, 26, 17, 0, 2), at(2025, 9, 29, 17, 0));
	/* Tuesday 09-30, the eve: 10-01..08 off, Thursday 10-09 (1),
	 * Friday 10-10 (2), Saturday 10-11 worked (3), then Monday. */
	expect(plus(cal, 2025, 9, 30, 10, 0, 1), at(2025, 10, 9, 10, 0));
	expect(plus(cal, 2025, 9, 30, 10, 0, 2), at(2025, 10, 10, 10, 0));
	expect(plus(cal, 2025, 9, 30, 10, 0, 3), at(2025, 10, 11, 10, 0));
	expect(plus(cal, 2025, 9, 30, 10, 0, 4), at(2025, 10, 13, 10, 0));
	/* Counting from a day off counts from the next working day. */
	expect(plus(cal, 2025, 10, 1, 9, 30, 1), at(2025, 10, 9, 9, 30));
	expect(plus(cal, 2025, 10, 8, 23, 59, 2), at(2025, 10, 10, 23, 59));

	/* Spring Festival: Friday 01-24, Sunday 01-26 worked (1), Monday
	 * 01-27 (2), then 01-28..02-04 off: Wednesday 02-05 (3). */
	expect(plus(cal, 2025, 1, 24, 17, 0, 2), at(2025, 1, 27, 17, 0));
	expect(plus(cal, 2025, 1, 24, 17, 0, 3), at(2025, 2, 5, 17, 0));
	expect(plus(cal, 2025, 1, 27, 16, 45, 1), at(2025, 2, 5, 16, 45));
	expect(plus(cal, 2025, 1, 27, 16, 45, 2), at(2025, 2, 6, 16, 45));
	/* 02-05 Wed, 06 Thu, 07 Fri, 08 Saturday worked. */
	expect(plus(cal, 2025, 1, 27, 16, 45, 4), at(2025, 2, 8, 16, 45));
	expect(plus(cal, 2025, 1, 27, 16, 45, 5), at(2025, 2, 10, 16, 45));

	/* 劳动节: Wednesday 04-30, 05-01..05 off: Tuesday 05-06, 07. */
	expect(plus(cal, 2025, 4, 30, 18, 0, 2), at(2025, 5, 7, 18, 0));
	/* Friday 04-25: Sunday 04-27 is worked. */
	expect(plus(cal, 2025, 4, 25, 18, 0, 1), at(2025, 4, 27, 18, 0));

	/* An ordinary week: Thursday 17:00 + 2 is Monday 17:00. */
	expect(plus(cal, 2025, 3, 13, 17, 0, 1), at(2025, 3, 14, 17, 0));
	expect(plus(cal, 2025, 3, 13, 17, 0, 2), at(2025, 3, 17, 17, 0));
	expect(plus(cal, 2025, 3, 15, 11, 0, 1), at(2025, 3, 17, 11, 0));

	/* Milliseconds and seconds are kept. */
	expect(calendar_add_working_days(cal,
	    at(2025, 3, 13, 23, 59) + 59999, 2), at(2025, 3, 17, 23, 59) + 59999);

	/* n == 0: the instant itself, on a holiday too. */
	expect(plus(cal, 2025, 10, 3, 8, 0, 0), at(2025, 10, 3, 8, 0));

	/* Backwards: Thursday 10-09 - 1 is Tuesday 09-30, - 3 the worked
	 * Sunday 09-28, - 4 Friday 09-26. */
	expect(plus(cal, 2025, 10, 9, 10, 0, -1), at(2025, 9, 30, 10, 0));
	expect(plus(cal, 2025, 10, 9, 10, 0, -2), at(2025, 9, 29, 10, 0));
	expect(plus(cal, 2025, 10, 9, 10, 0, -3), at(2025, 9, 28, 10, 0));
	expect(plus(cal, 2025, 10, 9, 10, 0, -4), at(2025, 9, 26, 10, 0));
	expect(plus(cal, 2025, 2, 5, 9, 0, -1), at(2025, 1, 27, 9, 0));

	/* F3's 15 working days from Monday 2025-09-22: 23 24 25 26 28(Sun)
	 * 29 30 | 10-09 10 11(Sat) 13 14 15 16 17 = 15. */
	expect(plus(cal, 2025, 9, 22, 9, 0, 15), at(2025, 10, 17, 9, 0));
	calendar_free(cal);
}

/* The files concatenated: one config setting covers both years. */
static void
across_the_new_year(void **state)
{
	char *a = slurp("scripts/calendar-cn-2025.ini");
	char *b = slurp("scripts/calendar-cn-2026.ini");
	struct calendar *cal = NULL;
	char *both, err[512];
	int first, last;

	(void)state;
	assert_non_null(both = malloc(strlen(a) + strlen(b) + 1));
	strcpy(both, a);
	strcat(both, b);
	if (calendar_load_string(&cal, "cn-2025+2026", both, err,
	    sizeof(err)) != 0)
		fail_msg("%s", err);
	assert_int_equal(check_year(cal, 2025, off2025, on2025), 248);
	assert_int_equal(check_year(cal, 2026, off2026, on2026), 248);
	assert_true(calendar_years(cal, &first, &last));
	assert_int_equal(first, 2025);
	assert_int_equal(last, 2026);
	/* Wednesday 2025-12-31: 2026-01-01..03 off, Sunday 01-04 worked. */
	expect(plus(cal, 2025, 12, 31, 17, 0, 1), at(2026, 1, 4, 17, 0));
	expect(plus(cal, 2025, 12, 31, 17, 0, 2), at(2026, 1, 5, 17, 0));
	/* Friday 2026-02-13: Saturday 02-14 worked, 02-15..23 off. */
	expect(plus(cal, 2026, 2, 13, 17, 0, 1), at(2026, 2, 14, 17, 0));
	expect(plus(cal, 2026, 2, 13, 17, 0, 2), at(2026, 2, 24, 17, 0));
	/* Friday 2026-09-18: Sunday 09-20 worked. */
	expect(plus(cal, 2026, 9, 18, 17, 0, 2), at(2026, 9, 21, 17, 0));
	/* Wednesday 2026-09-30: 10-01..07 off, Thursday 10-08, Friday
	 * 10-09, Saturday 10-10 worked. */
	expect(plus(cal, 2026, 9, 30, 17, 0, 3), at(2026, 10, 10, 17, 0));
	calendar_free(cal);
	free(both);
	free(a);
	free(b);
}

/*
 * For n = 1, 2, ...: day n is a working day, after day n-1, with only days
 * off between them.  Runs from before the calendar's dates to well past
 * them, where whole weeks are skipped, both ways.
 */
static void
consecutive(void **state)
{
	struct calendar *cal = load_shipped("scripts/calendar-cn-2025.ini");
	int64_t from = at(2024, 12, 20, 17, 30), prev = from;
	int64_t back = at(2026, 3, 2, 8, 15), bprev = back;

	(void)state;
	for (int n = 1; n <= 700; n++) {
		int64_t r = calendar_add_working_days(cal, from, n);
		time_t t = (time_t)(r / 1000);
		struct tm tm;

		localtime_r(&t, &tm);
		assert_true(r > prev);
		assert_int_equal(tm.tm_hour, 17);
		assert_int_equal(tm.tm_min, 30);
		assert_true(calendar_is_working_day(cal, tm.tm_year + 1900,
		    tm.tm_mon + 1, tm.tm_mday));
		for (int64_t d = prev + 86400000; d < r; d += 86400000) {
			t = (time_t)(d / 1000);
			localtime_r(&t, &tm);
			assert_false(calendar_is_working_day(cal,
			    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday));
		}
		prev = r;

		r = calendar_add_working_days(cal, back, -n);
		assert_true(r < bprev);
		t = (time_t)(r / 1000);
		localtime_r(&t, &tm);
		assert_true(calendar_is_working_day(cal, tm.tm_year + 1900,
		    tm.tm_mon + 1, tm.tm_mday));
		for (int64_t d = bprev - 86400000; d > r; d -= 86400000) {
			t = (time_t)(d / 1000);
			localtime_r(&t, &tm);
			assert_false(calendar_is_working_day(cal,
			    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday));
		}
		bprev = r;
	}
	calendar_free(cal);
}

static void
weekends_only(void **state)
{
	struct calendar *cal = calendar_new(), *c2 = NULL;
	char err[256];
	int first = 7, last = 7;

	(void)state;
	assert_non_null(cal);
	assert_int_equal(calendar_weekend(cal), CALENDAR_WEEKEND_DEFAULT);
	assert_false(calendar_years(cal, &first, &last));
	assert_true(is_work(cal, "2025-10-01"));	/* no holidays here */
	assert_false(is_work(cal, "2025-09-28"));
	assert_false(is_work(cal, "2025-09-27"));
	assert_true(is_work(cal, "2024-02-29"));
	/* Friday 17:00 + 2 = Tuesday 17:00; Thursday + 2 = Monday. */
	expect(plus(cal, 2025, 9, 26, 17, 0, 2), at(2025, 9, 30, 17, 0));
	expect(plus(cal, 2025, 3, 13, 17, 0, 2), at(2025, 3, 17, 17, 0));
	expect(plus(cal, 2025, 3, 17, 17, 0, -1), at(2025, 3, 14, 17, 0));
	/* 5 working days a week: 10000 from a Monday is 2000 weeks on. */
	expect(plus(cal, 2025, 3, 17, 9, 0, 10000), at(2025, 3, 17 + 14000,
	    9, 0));
	expect(plus(cal, 2025, 3, 17, 9, 0, -10000), at(2025, 3, 17 - 14000,
	    9, 0));
	/* Past year 9999 there is no answer, and no endless loop. */
	assert_true(calendar_add_working_days(cal, 0, 2147483647) ==
	    CALENDAR_ERROR);
	assert_true(calendar_add_working_days(cal, 0, -2147483647 - 1) ==
	    CALENDAR_ERROR);
	/* Before 1970 works too (floor of negative milliseconds). */
	expect(plus(cal, 1969, 12, 31, 23, 59, 1), at(1970, 1, 1, 23, 59));
	expect(calendar_add_working_days(cal, at(1969, 12, 31, 23, 59) + 1, 1),
	    at(1970, 1, 1, 23, 59) + 1);

	/* The config's default, an empty path, is this calendar. */
	assert_int_equal(calendar_load_file(&c2, "", err, sizeof(err)), 0);
	assert_non_null(c2);
	assert_int_equal(calendar_weekend(c2), CALENDAR_WEEKEND_DEFAULT);
	assert_false(calendar_years(c2, &first, &last));
	calendar_free(c2);

	/* A Friday-Saturday weekend. */
	assert_int_equal(calendar_set_weekend(cal,
	    CALENDAR_WDAY(5) | CALENDAR_WDAY(6)), 0);
	assert_false(is_work(cal, "2025-09-26"));
	assert_true(is_work(cal, "2025-09-28"));
	expect(plus(cal, 2025, 9, 25, 17, 0, 1), at(2025, 9, 28, 17, 0));
	/* No weekend at all: every day counts. */
	assert_int_equal(calendar_set_weekend(cal, 0), 0);
	expect(plus(cal, 2025, 9, 25, 17, 0, 3), at(2025, 9, 28, 17, 0));
	/* Every day a weekend day would leave nothing to count. */
	assert_int_equal(calendar_set_weekend(cal, 0x7f), -1);
	assert_int_equal(calendar_set_weekend(cal, 0x80), -1);
	assert_int_equal(calendar_weekend(cal), 0);
	calendar_free(cal);
	calendar_free(NULL);
}

static void
add_by_api(void **state)
{
	struct calendar *cal = calendar_new();
	char err[256];

	(void)state;
	assert_int_equal(calendar_add(cal, CALENDAR_HOLIDAY,
	    "2025-10-01..2025-10-08", err, sizeof(err)), 0);
	assert_int_equal(calendar_add(cal, CALENDAR_WORKDAY, "2025-09-28",
	    err, sizeof(err)), 0);
	assert_int_equal(calendar_add(cal, CALENDAR_WORKDAY, "2025-10-11",
	    err, sizeof(err)), 0);
	assert_int_equal(calendar_add(cal, CALENDAR_HOLIDAY,
	    "2025-01-28 .. 2025-02-04", err, sizeof(err)), 0);
	assert_int_equal(calendar_add(cal, CALENDAR_HOLIDAY, "2025-01-01",
	    err, sizeof(err)), 0);
	assert_false(is_work(cal, "2025-10-01"));
	assert_false(is_work(cal, "2025-02-03"));
	assert_false(is_work(cal, "2025-01-01"));
	assert_true(is_work(cal, "2025-09-28"));
	assert_true(is_work(cal, "2025-01-02"));
	expect(plus(cal, 2025, 9, 26, 17, 0, 2), at(2025, 9, 29, 17, 0));
	expect(plus(cal, 2025, 9, 30, 10, 0, 2), at(2025, 10, 10, 10, 0));

	/* Refusals leave the calendar as it was. */
	err[0] = '\0';
	assert_int_equal(calendar_add(cal, CALENDAR_HOLIDAY,
	    "2025-09-25..2025-10-01", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "2025-09-28 is already a make-up"));
	assert_true(is_work(cal, "2025-09-25"));
	assert_int_equal(calendar_add(cal, CALENDAR_HOLIDAY,
	    "2025-10-08..2025-10-09", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "2025-10-08 is already a holiday"));
	assert_true(is_work(cal, "2025-10-09"));
	assert_int_equal(calendar_add(cal, CALENDAR_WORKDAY, "2025-10-05",
	    err, sizeof(err)), -1);
	assert_non_null(strstr(err, "already a holiday"));
	assert_int_equal(calendar_add(cal, CALENDAR_HOLIDAY,
	    "2025-02-04..2025-01-28", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "ends before it starts"));
	assert_int_equal(calendar_add(cal, CALENDAR_HOLIDAY,
	    "2025-03-01..2025-04-30", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "more than 60"));
	assert_int_equal(calendar_add(cal, CALENDAR_HOLIDAY, "2025-2-3",
	    err, sizeof(err)), -1);
	assert_non_null(strstr(err, "not a date"));
	assert_int_equal(calendar_add(cal, CALENDAR_HOLIDAY, "", err,
	    sizeof(err)), -1);
	assert_true(is_work(cal, "2025-03-03"));
	/* Exactly 60 days is allowed. */
	assert_int_equal(calendar_add(cal, CALENDAR_HOLIDAY,
	    "2027-01-01..2027-03-01", err, sizeof(err)), 0);
	assert_false(is_work(cal, "2027-03-01"));
	assert_true(is_work(cal, "2027-03-02"));
	calendar_free(cal);
}

/* A file deskd should refuse, and the line it should name. */
struct bad {
	const char	*text;
	int		 line;
	const char	*why;		/* part of the message */
};

static const struct bad bads[] = {
	{ "[holidays]\n2025-13-01 = x\n", 2, "not a date" },
	{ "[holidays]\n2025-02-29 = x\n", 2, "not a date" },
	{ "[holidays]\n2025-1-1 = x\n", 2, "not a date" },
	{ "[holidays]\n20250101 = x\n", 2, "not a date" },
	{ "[holidays]\n2025-01-01x = x\n", 2, "not a date" },
	{ "[holidays]\n1969-12-31 = x\n", 2, "not a date" },
	{ "[holidays]\n2200-01-01 = x\n", 2, "not a date" },
	{ "[holidays]\n2025-01-28..2025-02-3O = x\n", 2, "not a date" },
	{ "[holidays]\n2025-01-28.. = x\n", 2, "not a date" },
	{ "; comment\n\n[holidays]\n# another\n2025-02-04..2025-01-28 = x\n",
	    5, "ends before it starts" },
	{ "[holidays]\n2025-01-01 = a\n2025-01-01..2025-03-15 = b\n", 3,
	    "74 days, more than 60" },
	{ "[holidays]\n2025-10-01..2025-10-08 = a\n[workdays]\n"
	    "2025-10-04 = b\n", 4, "both a holiday (line 2) and a make-up "
	    "working day (line 4)" },
	{ "[workdays]\n2025-10-11 = b\n[holidays]\n2025-10-01..2025-10-11 = a\n",
	    4, "both a holiday (line 4) and a make-up working day (line 2)" },
	{ "[holidays]\n2025-10-01..2025-10-08 = a\n2025-04-04 = c\n"
	    "2025-10-06..2025-10-12 = b\n", 4,
	    "2025-10-06 is already a holiday on line 2" },
	{ "[holidays]\n2025-10-01 = a\n2025-10-01 = a\n", 3,
	    "already a holiday on line 2" },
	{ "[workdays]\n2025-09-28 = a\n\n2025-09-28 = a\n", 4,
	    "already a make-up working day on line 2" },
	{ "[workdays]\n2025-01-26 = ok\n2025-01-27 = Monday\n", 3,
	    "2025-01-27 is a Monday, a working day anyway" },
	/* The weekend is known only at the end; line 2 is a Friday then. */
	{ "[workdays]\n2025-09-26 = x\n[weekend]\ndays = sun\n", 2,
	    "is a Friday" },
	{ "[holiday]\n2025-01-01 = x\n", 1, "unknown section [holiday]" },
	{ "[holidays]\n2025-01-01 = x\n\n[extra]\n", 4,
	    "unknown section [extra]" },
	{ "2025-01-01 = x\n", 1, "outside any section" },
	{ "[weekend]\nday = sat,sun\n", 2, "unknown key 'day'" },
	{ "[weekend]\ndays = sat,sonday\n", 2, "'sonday' is not a day" },
	{ "[weekend]\ndays = 8\n", 2, "'8' is not a day" },
	{ "[weekend]\ndays =\n", 2, "empty" },
	{ "[weekend]\ndays = mon,tue,wed,thu,fri,sat,sun\n", 2,
	    "every day of the week" },
	{ "[weekend]\ndays = sat,sun\n[holidays]\n[weekend]\ndays = fri,sat\n",
	    5, "differ from those on line 2" },
	{ "[holidays]\n2025-01-01\n", 2, "syntax error" },
	{ "[holidays]\n2025-01-01 = x\n[workdays\n", 3, "syntax error" },
	{ "[holidays]\n2025-01-01 = a\n  2025-01-02 = b\n", 3,
	    "indented line" },
	{ "[holidays]\n2025-01-01 = a\n  [workdays]\n2025-01-26 = b\n", 3,
	    "indented line" },
	/* CRLF line ends count lines the same. */
	{ "[holidays]\r\n2025-01-01 = a\r\n2025-13-01 = b\r\n", 3,
	    "not a date" },
	/* An error early wins over a later one. */
	{ "[holidays]\n2025-10-01 = a\n2025-10-01 = b\n2025-99-99 = c\n", 3,
	    "already a holiday" },
	{ "[holidays]\n2025-99-99 = c\n2025-10-01 = a\n2025-10-01 = b\n", 2,
	    "not a date" },
	{ NULL, 0, NULL }
};

static void
refused(const char *text, int line, const char *why)
{
	struct calendar *keep = calendar_new(), *cal = keep;
	char err[512], prefix[64];

	err[0] = '\0';
	if (calendar_load_string(&cal, "bad.ini", text, err,
	    sizeof(err)) == 0)
		fail_msg("accepted:\n%s", text);
	/* A failed (re)load keeps the calendar in use. */
	assert_ptr_equal(cal, keep);
	snprintf(prefix, sizeof(prefix), "bad.ini:%d: ", line);
	if (strncmp(err, prefix, strlen(prefix)) != 0 ||
	    strstr(err, why) == NULL)
		fail_msg("for:\n%s\ngot '%s', want '%s...%s'", text, err,
		    prefix, why);
	calendar_free(keep);
}

static void
malformed(void **state)
{
	(void)state;
	for (const struct bad *b = bads; b->text; b++)
		refused(b->text, b->line, b->why);
}

static void
long_line(void **state)
{
	char text[1024];

	(void)state;
	snprintf(text, sizeof(text), "[holidays]\n; %0300d\n2025-01-01 = x\n",
	    0);
	refused(text, 2, "line too long");
	snprintf(text, sizeof(text), "[holidays]\n2025-01-01 = %0300d\n", 0);
	refused(text, 2, "line too long");
	/* The last line without a newline is not too long. */
	{
		struct calendar *cal = NULL;
		char err[256];

		assert_int_equal(calendar_load_string(&cal, "ok.ini",
		    "[holidays]\n2025-10-01 = x", err, sizeof(err)), 0);
		assert_false(is_work(cal, "2025-10-01"));
		calendar_free(cal);
	}
}

static void
accepted_forms(void **state)
{
	struct calendar *cal = NULL;
	char err[256];

	(void)state;
	assert_int_equal(calendar_load_string(&cal, "ok.ini",
	    "\xEF\xBB\xBF; BOM, comments, blanks, case, inline comment\n"
	    "\n"
	    "[Holidays]\n"
	    "2025-10-01 .. 2025-10-08 = 国庆节 ; inline\n"
	    "2025-01-01=\n"
	    "[WORKDAYS]\n"
	    "2025-09-27 = worked Saturday\n"
	    "[weekend]\n"
	    "Days = Sunday, 6\n"
	    "[weekend]\n"
	    "days = sat,7\n"
	    "[holidays]\n"
	    "2026-01-01 = again\n", err, sizeof(err)), 0);
	assert_int_equal(calendar_weekend(cal), CALENDAR_WEEKEND_DEFAULT);
	assert_false(is_work(cal, "2025-10-08"));
	assert_false(is_work(cal, "2025-01-01"));
	assert_false(is_work(cal, "2026-01-01"));
	assert_true(is_work(cal, "2025-09-27"));
	calendar_free(cal);

	/* Empty text: weekends only. */
	cal = NULL;
	assert_int_equal(calendar_load_string(&cal, "empty.ini", "", err,
	    sizeof(err)), 0);
	assert_true(is_work(cal, "2025-10-01"));
	calendar_free(cal);

	/* "none": a seven-day week. */
	cal = NULL;
	assert_int_equal(calendar_load_string(&cal, "none.ini",
	    "[weekend]\ndays = none\n", err, sizeof(err)), 0);
	assert_int_equal(calendar_weekend(cal), 0);
	assert_true(is_work(cal, "2025-09-28"));
	calendar_free(cal);
}

static void
file_errors(void **state)
{
	char path[] = "/tmp/test_calendar.XXXXXX", err[512], want[128];
	struct calendar *cal = NULL;
	const char *text = "[holidays]\n2025-01-01 = 元旦\n2025-02-30 = x\n";
	int fd;

	(void)state;
	assert_int_equal(calendar_load_file(&cal,
	    "/nonexistent/calendar.ini", err, sizeof(err)), -1);
	assert_null(cal);
	assert_non_null(strstr(err, "/nonexistent/calendar.ini: cannot read"));

	assert_true((fd = mkstemp(path)) >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	assert_int_equal(calendar_load_file(&cal, path, err, sizeof(err)), -1);
	assert_null(cal);
	snprintf(want, sizeof(want), "%s:3: '2025-02-30' is not a date", path);
	if (strncmp(err, want, strlen(want)) != 0)
		fail_msg("got '%s', want '%s...'", err, want);

	/* A short buffer truncates the message, nothing more. */
	memset(err, 'x', sizeof(err));
	assert_int_equal(calendar_load_file(&cal, path, err, 8), -1);
	assert_int_equal(strlen(err), 7);
	assert_int_equal(err[8], 'x');
	assert_int_equal(calendar_load_file(&cal, path, NULL, 0), -1);
	unlink(path);
}

/*
 * Where clocks change, the wall-clock time is what is kept: Friday 17:00
 * EST + 1 working day is Monday 17:00 EDT, 71 hours later, not 72.
 */
static void
keeps_wall_clock_time(void **state)
{
	struct calendar *cal = calendar_new();
	int64_t from, to;

	(void)state;
	set_tz("America/New_York");
	from = at(2025, 3, 7, 17, 0);
	to = calendar_add_working_days(cal, from, 1);
	expect(to, at(2025, 3, 10, 17, 0));
	assert_int_equal(to - from, 71LL * 3600 * 1000);
	/* The same time in Shanghai, which has no daylight saving now. */
	set_tz("Asia/Shanghai");
	from = at(2025, 3, 7, 17, 0);
	to = calendar_add_working_days(cal, from, 1);
	assert_int_equal(to - from, 72LL * 3600 * 1000);
	calendar_free(cal);
}

/* The local day of a time, kept a quarter hour: the day turns at local
 * midnight to the millisecond, and a zone changed meanwhile is seen. */
static void
local_day_turns_at_midnight(void **state)
{
	const int64_t midnight = 1764777600000LL;	/* 2025-12-04 00:00 +08 */

	(void)state;
	set_tz("Asia/Shanghai");
	assert_int_equal(calendar_local_day(midnight - 1), 20251203);
	assert_int_equal(calendar_local_day(midnight), 20251204);
	assert_int_equal(calendar_local_day(midnight - 1), 20251203);
	assert_int_equal(calendar_local_day(midnight + 14 * 60000), 20251204);
	/* 2025-12-03 16:00 UTC: the same instant, another zone. */
	set_tz("UTC");
	assert_int_equal(calendar_local_day(midnight), 20251203);
	/* India's +05:30: midnight falls on a half hour of UTC. */
	set_tz("Asia/Kolkata");
	assert_int_equal(calendar_local_day(1764786600000LL - 1), 20251203);
	assert_int_equal(calendar_local_day(1764786600000LL), 20251204);
	set_tz("Asia/Shanghai");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(local_day_turns_at_midnight),
		cmocka_unit_test(cn2025_every_day),
		cmocka_unit_test(cn2026_every_day),
		cmocka_unit_test(worked_examples_2025),
		cmocka_unit_test(across_the_new_year),
		cmocka_unit_test(consecutive),
		cmocka_unit_test(weekends_only),
		cmocka_unit_test(add_by_api),
		cmocka_unit_test(malformed),
		cmocka_unit_test(long_line),
		cmocka_unit_test(accepted_forms),
		cmocka_unit_test(file_errors),
		cmocka_unit_test_setup(keeps_wall_clock_time, setup),
	};

	setup(NULL);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
