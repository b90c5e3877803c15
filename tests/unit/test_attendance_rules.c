/*
 * test_attendance_rules.c - the rules of attendance (A1, B1): local dates,
 * when a scheduled shift starts and ends (across midnight too), minutes
 * late or early, and the month's tally per person with the approved duty
 * requests (A3).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "attendance_rules.h"
#include "config.h"
#include "deskd.pb-c.h"

#define MIN	((int64_t)60 * 1000)

/* Local 2026-12-d h:m in Asia/Shanghai (UTC+8, no daylight saving). */
static int64_t
at(int d, int h, int m)
{
	struct tm tm = { 0 };

	tm.tm_year = 2026 - 1900;
	tm.tm_mon = 11;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = m;
	tm.tm_isdst = -1;
	return (int64_t)mktime(&tm) * 1000;
}

static void
test_dates(void **state)
{
	(void)state;
	assert_int_equal(att_day_add(20261231, 1), 20270101);
	assert_int_equal(att_day_add(20260301, -1), 20260228);
	assert_int_equal(att_day_add(20280301, -1), 20280229);
	assert_int_equal(att_day_add(20260230, 0), 0);
	assert_int_equal(att_day_add(20261301, 0), 0);
	assert_int_equal(att_today(at(3, 23, 59)), 20261203);
	assert_int_equal(att_today(at(4, 0, 0)), 20261204);
	assert_true(att_day_ms(20261203) == at(3, 0, 0));
	assert_true(att_day_ms(20260231) == -1);
}

static void
test_shift_span(void **state)
{
	struct shift_conf c;
	struct shift_def late = { "late", "", 22 * 60, 6 * 60 };
	int64_t s, e;

	(void)state;
	shift_config_defaults(&c);
	assert_int_equal(att_shift_span(&c.shifts[0], 20261203, &s, &e), 0);
	assert_true(s == at(3, 8, 0) && e == at(3, 16, 0));
	/* evening ends at 24:00, the next day's midnight */
	assert_int_equal(att_shift_span(&c.shifts[1], 20261203, &s, &e), 0);
	assert_true(s == at(3, 16, 0) && e == at(4, 0, 0));
	assert_int_equal(att_shift_span(&c.shifts[2], 20261231, &s, &e), 0);
	assert_true(s == at(31, 0, 0) && e == at(31, 8, 0));
	/* a shift past midnight ends the next day, across a month too */
	assert_int_equal(att_shift_span(&late, 20261130, &s, &e), 0);
	assert_true(e - s == 8 * 60 * MIN);
	assert_true(e == at(1, 6, 0));
	assert_int_equal(att_shift_span(&late, 20261131, &s, &e), -1);
}

/* B7, B8, A1: a day is over when its last shift ends; a month with its
 * last day's. */
static void
test_day_end(void **state)
{
	struct shift_conf c;
	char err[128];

	(void)state;
	shift_config_defaults(&c);
	assert_true(att_day_end_ms(&c, 20261204) == at(5, 0, 0));
	assert_true(att_month_end_ms(&c, 202611) == at(1, 0, 0));
	assert_true(att_day_end_ms(&c, 20261131) == -1);
	assert_true(att_month_end_ms(&c, 202613) == -1);
	/* A night shift from 22:00 keeps the day open until 06:00. */
	assert_int_equal(shift_config_set(&c, "day", "06:00-14:00", err,
	    sizeof(err)), 0);
	assert_int_equal(shift_config_set(&c, "night", "22:00-06:00", err,
	    sizeof(err)), 0);
	assert_true(att_day_end_ms(&c, 20261204) == at(5, 6, 0));
	assert_true(att_month_end_ms(&c, 202612) == at(31, 6, 0) + 24 * 60 *
	    MIN);
}

static void
test_minutes(void **state)
{
	uint32_t late, early;

	(void)state;
	att_in_minutes(at(3, 8, 0), at(3, 7, 50), &late, &early);
	assert_int_equal(late, 0);
	assert_int_equal(early, 10);
	att_in_minutes(at(3, 8, 0), at(3, 7, 55) + 30 * 1000, &late, &early);
	assert_int_equal(early, 4);	/* whole minutes: B1 not met */
	att_in_minutes(at(3, 8, 0), at(3, 8, 0), &late, &early);
	assert_int_equal(late + early, 0);
	att_in_minutes(at(3, 8, 0), at(3, 8, 7) + 59 * 1000, &late, &early);
	assert_int_equal(late, 7);
	assert_int_equal(early, 0);
	assert_int_equal(att_left_early(at(3, 16, 0), at(3, 15, 30)), 30);
	assert_int_equal(att_left_early(at(3, 16, 0), at(3, 16, 5)), 0);
}

static Deskd__DutyRequest
duty(Deskd__DutyKind k, Deskd__DutyStatus st, const char *who,
    const char *other, uint32_t date)
{
	Deskd__DutyRequest d = DESKD__DUTY_REQUEST__INIT;

	d.kind = k;
	d.status = st;
	d.requester = (char *)who;
	d.other = (char *)other;
	d.date = date;
	return d;
}

static void
test_tally(void **state)
{
	struct att_tally t = { NULL, 0 };
	Deskd__Attendance on = DESKD__ATTENDANCE__INIT, late = on, keen = on;
	Deskd__DutyRequest d;

	(void)state;
	on.in_ms = at(3, 7, 58);
	on.early_min = 2;
	late.in_ms = at(3, 8, 7);
	late.late_min = 7;
	keen.in_ms = at(3, 7, 45);
	keen.early_min = 15;
	att_count_shift(&t, "zhang", &on, true);
	att_count_shift(&t, "zhang", &late, true);
	att_count_shift(&t, "zhang", NULL, true);	/* absent */
	att_count_shift(&t, "zhang", NULL, false);	/* still to come */
	att_count_shift(&t, "li", &keen, false);
	d = duty(DESKD__DUTY_KIND__DUTY_SWAP, DESKD__DUTY_STATUS__DUTY_APPROVED,
	    "zhang", "li", 20261205);
	att_count_duty(&t, &d, 202612);
	d = duty(DESKD__DUTY_KIND__DUTY_LEAVE,
	    DESKD__DUTY_STATUS__DUTY_APPROVED, "li", "wang", 20261206);
	att_count_duty(&t, &d, 202612);
	d = duty(DESKD__DUTY_KIND__DUTY_STANDIN,
	    DESKD__DUTY_STATUS__DUTY_APPROVED, "wang", "zhang", 20261207);
	att_count_duty(&t, &d, 202612);
	/* not counted: pending, another month, leaving the post */
	d = duty(DESKD__DUTY_KIND__DUTY_LEAVE, DESKD__DUTY_STATUS__DUTY_PENDING,
	    "li", "wang", 20261208);
	att_count_duty(&t, &d, 202612);
	d = duty(DESKD__DUTY_KIND__DUTY_LEAVE,
	    DESKD__DUTY_STATUS__DUTY_APPROVED, "li", "wang", 20270108);
	att_count_duty(&t, &d, 202612);
	d = duty(DESKD__DUTY_KIND__DUTY_LEAVE_POST,
	    DESKD__DUTY_STATUS__DUTY_APPROVED, "li", "", 20261209);
	att_count_duty(&t, &d, 202612);
	att_tally_sort(&t);
	assert_int_equal(t.n, 3);
	assert_string_equal(t.rows[0]->user, "li");
	assert_string_equal(t.rows[1]->user, "wang");
	assert_string_equal(t.rows[2]->user, "zhang");
	assert_int_equal(t.rows[2]->scheduled, 4);
	assert_int_equal(t.rows[2]->worked, 2);
	assert_int_equal(t.rows[2]->late, 1);
	assert_int_equal(t.rows[2]->late_min, 7);
	assert_int_equal(t.rows[2]->absent, 1);
	assert_int_equal(t.rows[2]->early_ok, 0);
	assert_int_equal(t.rows[2]->swaps, 1);
	assert_int_equal(t.rows[0]->early_ok, 1);
	assert_int_equal(t.rows[0]->swaps, 1);
	assert_int_equal(t.rows[0]->leaves, 1);
	assert_int_equal(t.rows[1]->standins, 1);
	assert_int_equal(t.rows[1]->scheduled, 0);
	att_tally_free(&t);
	assert_int_equal(t.n, 0);
}

/* A1: the cut-off, and the corrections of what was submitted: a changed
 * row, a person no longer counted; an unchanged row is none. */
static void
test_corrections(void **state)
{
	struct shift_conf c;
	struct att_tally t = { NULL, 0 };
	Deskd__AttendanceRow li = DESKD__ATTENDANCE_ROW__INIT, wang = li,
	    zhang = li;
	Deskd__AttendanceRow *sub[] = { &li, &wang, &zhang };
	Deskd__Attendance in = DESKD__ATTENDANCE__INIT;

	(void)state;
	in.in_ms = 1;
	shift_config_defaults(&c);
	assert_true(att_cutoff_ms(&c, 202612) == at(25, 0, 0));
	li.user = "li";
	li.scheduled = li.worked = 1;
	wang.user = "wang";
	wang.scheduled = wang.absent = 1;
	zhang.user = "zhang";
	zhang.scheduled = 1;
	att_count_shift(&t, "li", &in, true);
	att_count_shift(&t, "wang", NULL, false);	/* was absent */
	att_count_shift(&t, "chen", NULL, true);	/* new */
	att_tally_corrections(&t, sub, 3);
	att_tally_sort(&t);
	assert_int_equal(t.n, 3);
	assert_string_equal(t.rows[0]->user, "chen");
	assert_string_equal(t.rows[1]->user, "wang");
	assert_int_equal(t.rows[1]->absent, 0);
	assert_string_equal(t.rows[2]->user, "zhang");
	assert_int_equal(t.rows[2]->scheduled, 0);
	att_tally_free(&t);
}

/* How many shifts over by `now` the new assignments change; the last
 * one's text in last. */
static size_t
past_changes(Deskd__Assignment *const *old, size_t nold,
    Deskd__Assignment *const *new, size_t nnew, int64_t now, char *last,
    size_t len)
{
	struct shift_conf c;
	struct sched_problems p = { 0 };
	size_t n;

	shift_config_defaults(&c);
	att_check_past(&c, 202612, old, nold, new, nnew, now, &p);
	snprintf(last, len, "%s", p.kept ? p.v[p.kept - 1].text : "");
	n = p.n;
	sched_problems_free(&p);
	return n;
}

/* A1, A5: a new version may change a shift still to come or under way,
 * not one that is over. */
static void
test_check_past(void **state)
{
	Deskd__Assignment m3 = DESKD__ASSIGNMENT__INIT, e3, n4, m3b, e3b;
	Deskd__Assignment *old[] = { &m3, &e3, &n4 }, *new[] = { &m3b, &e3b };
	char last[128];

	(void)state;
	m3.day = 3;
	m3.user = "wang";
	e3 = m3;
	e3.shift = 1;
	n4 = m3;
	n4.day = 4;
	n4.shift = 2;
	m3b = m3;
	m3b.user = "li";
	e3b = e3;
	e3b.user = "li";
	/* 17:00 on the 3rd: the morning is over, the evening under way, the
	 * night of the 4th to come (and dropped). */
	assert_int_equal(past_changes(old, 3, new, 2, at(3, 17, 0), last,
	    sizeof(last)), 1);
	assert_string_equal(last, "2026-12-03 morning front: wang -> li: the "
	    "shift is over");
	/* The 5th: the night of the 4th, dropped, is over too. */
	assert_int_equal(past_changes(old, 3, new, 2, at(5, 9, 0), last,
	    sizeof(last)), 3);
	assert_string_equal(last, "2026-12-04 night front: wang -> nobody: "
	    "the shift is over");
	assert_int_equal(past_changes(old, 3, old, 3, at(5, 9, 0), last,
	    sizeof(last)), 0);
}

static void
test_clerk_config(void **state)
{
	struct config c;
	char err[256];

	(void)state;
	config_defaults(&c);
	assert_string_equal(c.attendance_clerk, "");
	assert_int_equal(config_set(&c, "attendance-clerk", "kaoqin", err,
	    sizeof(err)), 0);
	assert_string_equal(c.attendance_clerk, "kaoqin");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dates),
		cmocka_unit_test(test_shift_span),
		cmocka_unit_test(test_day_end),
		cmocka_unit_test(test_minutes),
		cmocka_unit_test(test_tally),
		cmocka_unit_test(test_corrections),
		cmocka_unit_test(test_check_past),
		cmocka_unit_test(test_clerk_config),
	};

	setenv("TZ", "Asia/Shanghai", 1);
	tzset();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
