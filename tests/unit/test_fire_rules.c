/*
 * test_fire_rules.c - how often a fire-safety duty recurs and the windows
 * of its tasks (G1-G5), G4's test intervals and the month's rotation, in
 * the office's time (Asia/Shanghai).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "fire_rules.h"

#define MIN	((int64_t)60 * 1000)
#define HOUR	(60 * MIN)
#define DAY	(24 * HOUR)

static int
setup_tz(void **state)
{
	(void)state;
	setenv("TZ", "Asia/Shanghai", 1);
	tzset();
	return 0;
}

/* Local y-m-d h:m in ms. */
static int64_t
at(int y, int mo, int d, int h, int mi)
{
	struct tm tm = { .tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d,
	    .tm_hour = h, .tm_min = mi, .tm_isdst = -1 };

	return (int64_t)mktime(&tm) * 1000;
}

static void
parse_good_and_bad(void **state)
{
	struct fire_recurrence r;
	char err[256];

	(void)state;
	assert_int_equal(fire_recurrence_parse("2h", &r, err, sizeof(err)), 0);
	assert_int_equal(r.every, FIRE_EVERY_SPAN);
	assert_true(r.span_ms == 2 * HOUR);
	assert_int_equal(fire_recurrence_parse("daily 22:30", &r, err,
	    sizeof(err)), 0);
	assert_int_equal(r.every, FIRE_EVERY_DAILY);
	assert_int_equal(r.minute, 22 * 60 + 30);
	assert_int_equal(fire_recurrence_parse("half-yearly", &r, err,
	    sizeof(err)), 0);
	assert_int_equal(r.every, FIRE_EVERY_HALF_YEARLY);
	assert_int_equal(fire_recurrence_parse("before 2027-01-31", &r, err,
	    sizeof(err)), 0);
	assert_true(r.before_ms == at(2027, 1, 31, 0, 0));
	/* A zero or negative interval is never. */
	assert_int_equal(fire_recurrence_parse("0h", &r, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "'0h'"));
	assert_int_equal(fire_recurrence_parse("-2h", &r, err, sizeof(err)),
	    -1);
	assert_int_equal(fire_recurrence_parse("0.5", &r, err, sizeof(err)),
	    -1);
	assert_int_equal(fire_recurrence_parse("daily 24:00", &r, err,
	    sizeof(err)), -1);
	assert_int_equal(fire_recurrence_parse("fortnightly", &r, err,
	    sizeof(err)), -1);
	assert_non_null(strstr(err, "daily HH:MM"));
}

static void
span_windows(void **state)
{
	struct fire_recurrence r;
	char err[64];
	int64_t s = at(2026, 12, 4, 0, 0);

	(void)state;
	assert_int_equal(fire_recurrence_parse("2h", &r, err, sizeof(err)), 0);
	/* G2: counted from the plan's start; the one in progress first. */
	assert_true(fire_window_first(&r, s, s, 0) == s);
	assert_true(fire_window_first(&r, s, at(2026, 12, 4, 5, 10), 0) ==
	    at(2026, 12, 4, 4, 0));
	assert_true(fire_window_next(&r, s) == s + 2 * HOUR);
	assert_true(fire_window_due(&r, s, 0) == s + 2 * HOUR);
	assert_true(fire_window_due(&r, s, 30 * MIN) == s + 30 * MIN);
	/* A 30-minute window at 05:10 is over: the next one. */
	assert_true(fire_window_first(&r, s, at(2026, 12, 4, 5, 10), 30 * MIN)
	    == at(2026, 12, 4, 6, 0));
	assert_true(fire_recurrence_period(&r) == 2 * HOUR);
}

static void
calendar_windows(void **state)
{
	struct fire_recurrence r;
	char err[64];

	(void)state;
	/* The hall after closing, 22:00 daily, a 1-hour window: made at
	 * 23:00 it is tomorrow's; at 10:00, today's. */
	assert_int_equal(fire_recurrence_parse("daily 22:00", &r, err,
	    sizeof(err)), 0);
	assert_true(fire_window_first(&r, at(2026, 12, 4, 23, 0),
	    at(2026, 12, 4, 23, 0), HOUR) == at(2026, 12, 5, 22, 0));
	assert_true(fire_window_first(&r, at(2026, 12, 4, 10, 0),
	    at(2026, 12, 4, 10, 0), HOUR) == at(2026, 12, 4, 22, 0));
	assert_true(fire_window_next(&r, at(2026, 12, 31, 22, 0)) ==
	    at(2027, 1, 1, 22, 0));
	/* Monthly, begun on the 4th: this month's, due on the 1st. */
	assert_int_equal(fire_recurrence_parse("monthly", &r, err,
	    sizeof(err)), 0);
	assert_true(fire_window_first(&r, at(2026, 12, 4, 9, 0),
	    at(2026, 12, 4, 9, 0), 0) == at(2026, 12, 1, 0, 0));
	assert_true(fire_window_due(&r, at(2026, 12, 1, 0, 0), 0) ==
	    at(2027, 1, 1, 0, 0));
	/* Quarterly and half-yearly by the calendar. */
	assert_int_equal(fire_recurrence_parse("quarterly", &r, err,
	    sizeof(err)), 0);
	assert_true(fire_window_first(&r, at(2026, 11, 20, 9, 0),
	    at(2026, 11, 20, 9, 0), 0) == at(2026, 10, 1, 0, 0));
	assert_int_equal(fire_recurrence_parse("half-yearly", &r, err,
	    sizeof(err)), 0);
	assert_true(fire_window_first(&r, at(2026, 12, 4, 9, 0),
	    at(2026, 12, 4, 9, 0), 0) == at(2026, 7, 1, 0, 0));
	assert_true(fire_window_next(&r, at(2026, 7, 1, 0, 0)) ==
	    at(2027, 1, 1, 0, 0));
	/* Weekly from Monday: Friday 2026-12-04 is in the week of the 1st... */
	assert_int_equal(fire_recurrence_parse("weekly", &r, err,
	    sizeof(err)), 0);
	assert_true(fire_window_first(&r, at(2026, 12, 4, 9, 0),
	    at(2026, 12, 4, 9, 0), 0) == at(2026, 11, 30, 0, 0));
	/* Before a date: one window, due then. */
	assert_int_equal(fire_recurrence_parse("before 2027-01-31", &r, err,
	    sizeof(err)), 0);
	assert_true(fire_window_due(&r, at(2026, 12, 4, 9, 0), 0) ==
	    at(2027, 1, 31, 0, 0));
	assert_true(fire_window_next(&r, at(2026, 12, 4, 9, 0)) == INT64_MAX);
}

static void
intervals_and_months(void **state)
{
	(void)state;
	/* G4. */
	assert_int_equal(fire_test_interval_months("pump"), 1);
	assert_int_equal(fire_test_interval_months("hydrant"), 3);
	assert_int_equal(fire_test_interval_months("sprinkler"), 3);
	assert_int_equal(fire_test_interval_months("smoke-exhaust"), 6);
	assert_int_equal(fire_test_interval_months("extinguisher"), 6);
	assert_int_equal(fire_test_interval_months("detector"), 12);
	assert_int_equal(fire_test_interval_months("bucket"), 0);
	/* The 31st plus a month is the month's last day. */
	assert_true(fire_add_months(at(2027, 1, 31, 10, 0), 1) ==
	    at(2027, 2, 28, 10, 0));
	assert_true(fire_add_months(at(2026, 12, 4, 10, 0), 12) ==
	    at(2027, 12, 4, 10, 0));
	assert_int_equal(fire_month_of(at(2026, 12, 31, 23, 59)), 202612);
	assert_true(fire_month_start(202701) == at(2027, 1, 1, 0, 0));
}

static void
rotation(void **state)
{
	int64_t due[24];
	bool pick[24];
	int64_t end = at(2027, 1, 1, 0, 0);

	(void)state;
	/* 24 detectors due through next year: 2 a month, the soonest. */
	for (int i = 0; i < 24; i++)
		due[i] = at(2027, 6, 1, 0, 0) + (int64_t)(24 - i) * DAY;
	assert_int_equal(fire_rotation_pick(due, 24, end, 12, pick), 2);
	assert_true(pick[23] && pick[22]);
	assert_false(pick[0]);
	/* One that runs out this month is picked whatever the share. */
	due[0] = at(2026, 12, 20, 0, 0);
	due[1] = at(2026, 12, 21, 0, 0);
	due[2] = at(2026, 12, 22, 0, 0);
	assert_int_equal(fire_rotation_pick(due, 24, end, 12, pick), 3);
	assert_true(pick[0] && pick[1] && pick[2]);
	assert_false(pick[23]);
	/* None: nothing. */
	assert_int_equal(fire_rotation_pick(due, 0, end, 12, pick), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parse_good_and_bad),
		cmocka_unit_test(span_windows),
		cmocka_unit_test(calendar_windows),
		cmocka_unit_test(intervals_and_months),
		cmocka_unit_test(rotation),
	};

	return cmocka_run_group_tests(tests, setup_tz, NULL);
}
