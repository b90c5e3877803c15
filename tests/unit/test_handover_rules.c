/*
 * test_handover_rules.c - the pure parts of issue 4's shift change: where
 * the boundaries fall (A6, in Asia/Shanghai, across midnight) and the
 * [handover] items line (B2).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "handover.h"

#define H	((int64_t)3600 * 1000)

static void
boundaries_default_shifts(void **state)
{
	struct shift_conf sc;
	/* 2026-11-27 10:00 in Shanghai is 02:00 UTC. */
	int64_t ten = (int64_t)1795744800 * 1000;

	(void)state;
	shift_config_defaults(&sc);
	assert_int_equal(shift_boundary_next(&sc, ten), ten + 6 * H);
	assert_int_equal(shift_boundary_last(&sc, ten), ten - 2 * H);
	/* On a boundary: it is the last one, the next is 8 h on. */
	assert_int_equal(shift_boundary_last(&sc, ten + 6 * H), ten + 6 * H);
	assert_int_equal(shift_boundary_next(&sc, ten + 6 * H), ten + 14 * H);
	/* 24:00 is the next day's midnight. */
	assert_int_equal(shift_boundary_next(&sc, ten + 7 * H), ten + 14 * H);
}

static void
boundaries_across_midnight(void **state)
{
	struct shift_conf sc;
	char err[256];
	int64_t ten = (int64_t)1795744800 * 1000;

	(void)state;
	shift_config_defaults(&sc);
	assert_int_equal(shift_config_set(&sc, "day", "07:30-19:30", err,
	    sizeof(err)), 0);
	assert_int_equal(shift_config_set(&sc, "night", "19:30-07:30", err,
	    sizeof(err)), 0);
	assert_int_equal(shift_boundary_next(&sc, ten), ten + 9 * H + H / 2);
	assert_int_equal(shift_boundary_next(&sc, ten + 10 * H),
	    ten + 21 * H + H / 2);
	assert_int_equal(shift_boundary_last(&sc, ten), ten - 2 * H - H / 2);
}

/* Midnight of a local date, in the current zone. */
static int64_t
local_midnight(int y, int m, int d)
{
	struct tm tm = { 0 };

	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = d;
	tm.tm_isdst = -1;
	return (int64_t)mktime(&tm) * 1000;
}

/* A zone with daylight saving: the night shift that spans the change is an
 * hour shorter in spring and an hour longer in autumn, and every boundary
 * stays at its wall-clock time. */
static void
boundaries_with_dst(void **state)
{
	struct shift_conf sc;
	int64_t spring, autumn;

	(void)state;
	shift_config_defaults(&sc);
	setenv("TZ", "America/New_York", 1);
	tzset();
	spring = local_midnight(2026, 3, 8);	/* 02:00 -> 03:00 */
	assert_int_equal(shift_boundary_next(&sc, spring), spring + 7 * H);
	assert_int_equal(shift_boundary_next(&sc, spring + 7 * H),
	    spring + 15 * H);
	autumn = local_midnight(2026, 11, 1);	/* 02:00 -> 01:00 */
	assert_int_equal(shift_boundary_next(&sc, autumn), autumn + 9 * H);
	assert_int_equal(shift_boundary_last(&sc, autumn + 9 * H - 1), autumn);
	/* And without daylight saving, every shift is 8 hours. */
	setenv("TZ", "Asia/Shanghai", 1);
	tzset();
	spring = local_midnight(2026, 3, 8);
	assert_int_equal(shift_boundary_next(&sc, spring), spring + 8 * H);
}

static void
items_line(void **state)
{
	struct handover_conf hc;
	char err[256];

	(void)state;
	handover_config_defaults(&hc);
	assert_int_equal(hc.nitems, 0);
	assert_int_equal(handover_config_set(&hc, "items",
	    "computer:1, stapler:2,keys:12", err, sizeof(err)), 0);
	assert_int_equal(hc.nitems, 3);
	assert_string_equal(hc.items[1].name, "stapler");
	assert_int_equal(hc.items[2].count, 12);
	assert_int_equal(handover_config_set(&hc, "items", "pen", err,
	    sizeof(err)), -1);
	assert_int_equal(handover_config_set(&hc, "items", "pen:x", err,
	    sizeof(err)), -1);
	assert_int_equal(handover_config_set(&hc, "items", ":3", err,
	    sizeof(err)), -1);
	assert_int_equal(handover_config_set(&hc, "items", "pen:-1", err,
	    sizeof(err)), -1);
	assert_int_equal(handover_config_set(&hc, "things", "pen:1", err,
	    sizeof(err)), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(boundaries_default_shifts),
		cmocka_unit_test(boundaries_across_midnight),
		cmocka_unit_test(boundaries_with_dst),
		cmocka_unit_test(items_line),
	};

	setenv("TZ", "Asia/Shanghai", 1);
	tzset();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
