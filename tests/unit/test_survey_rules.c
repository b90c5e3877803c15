/*
 * test_survey_rules.c - surveys' pure rules (F2, F3): the collection window
 * is 15 working days on the office's calendar (a holiday moves it, a
 * make-up day brings it nearer); a return after it is late; half of those
 * handed out, rounded up, must come back; campaigns are due before June
 * and before December; the ledger's F2 line counts a campaign while it is
 * open and in its due month; the tally per question and per building
 * against figures worked out by hand; answers that do not fit refused.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "calendar.h"
#include "survey_rules.h"

/* Local midnight + hours of y-m-d, in the test's zone (Asia/Shanghai). */
static int64_t
at(int y, int m, int d, int h)
{
	struct tm tm = { .tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = d,
	    .tm_hour = h, .tm_isdst = -1 };

	return (int64_t)mktime(&tm) * 1000;
}

static void
window_is_15_working_days(void **state)
{
	struct calendar *cal = calendar_new();
	char err[128];
	int64_t opened = at(2026, 6, 1, 9);	/* a Monday */

	(void)state;
	/* Weekends only: June 2-5, 8-12, 15-19, then the 22nd is the 15th. */
	assert_int_equal(survey_window_end(NULL, opened,
	    SURVEY_WINDOW_WORKDAYS), at(2026, 6, 22, 9));
	assert_int_equal(survey_window_end(cal, opened,
	    SURVEY_WINDOW_WORKDAYS), at(2026, 6, 22, 9));
	/* 端午 on Friday the 19th: one day later. */
	assert_int_equal(calendar_add(cal, CALENDAR_HOLIDAY, "2026-06-19",
	    err, sizeof(err)), 0);
	assert_int_equal(survey_window_end(cal, opened,
	    SURVEY_WINDOW_WORKDAYS), at(2026, 6, 23, 9));
	/* A Saturday worked instead (调休) brings it back. */
	assert_int_equal(calendar_add(cal, CALENDAR_WORKDAY, "2026-06-13",
	    err, sizeof(err)), 0);
	assert_int_equal(survey_window_end(cal, opened,
	    SURVEY_WINDOW_WORKDAYS), at(2026, 6, 22, 9));
	/* Late is after the window's end, not at it. */
	assert_false(survey_late(at(2026, 6, 22, 9), at(2026, 6, 22, 9)));
	assert_true(survey_late(at(2026, 6, 22, 9) + 1, at(2026, 6, 22, 9)));
	calendar_free(cal);
}

static void
half_is_rounded_up(void **state)
{
	(void)state;
	assert_int_equal(survey_half_of(0), 0);
	assert_int_equal(survey_half_of(1), 1);
	assert_int_equal(survey_half_of(4), 2);
	assert_int_equal(survey_half_of(7), 4);
	assert_int_equal(survey_half_of(50001), 25001);
}

static void
due_before_june_and_december(void **state)
{
	(void)state;
	assert_int_equal(survey_due_ms(at(2026, 1, 10, 9)), at(2026, 6, 1, 0));
	assert_int_equal(survey_due_ms(at(2026, 5, 31, 23)),
	    at(2026, 6, 1, 0));
	assert_int_equal(survey_due_ms(at(2026, 6, 1, 0)), at(2026, 12, 1, 0));
	assert_int_equal(survey_due_ms(at(2026, 11, 30, 9)),
	    at(2026, 12, 1, 0));
	assert_int_equal(survey_due_ms(at(2026, 12, 1, 0)), at(2027, 6, 1, 0));
	assert_true(survey_due_month(202605));
	assert_true(survey_due_month(202611));
	assert_false(survey_due_month(202606));
	assert_false(survey_due_month(202612));
}

static void
ledger_months_of_a_campaign(void **state)
{
	/* Opened 2026-05-20, window to 2026-06-10, due before June. */
	int64_t opened = at(2026, 5, 20, 9), end = at(2026, 6, 10, 9);
	int64_t due = survey_due_ms(opened);

	(void)state;
	assert_false(survey_in_month(202604, opened, end, due));
	assert_true(survey_in_month(202605, opened, end, due));
	assert_true(survey_in_month(202606, opened, end, due));
	assert_false(survey_in_month(202607, opened, end, due));
	/* One opened in March still counts in May, the month it answers. */
	opened = at(2026, 3, 2, 9);
	end = at(2026, 3, 23, 9);
	assert_true(survey_in_month(202605, opened, end, survey_due_ms(opened)));
	assert_false(survey_in_month(202604, opened, end,
	    survey_due_ms(opened)));
	/* ... but not in November: that is the next half's. */
	assert_false(survey_in_month(202611, opened, end,
	    survey_due_ms(opened)));
	assert_int_equal(survey_month_of(at(2026, 12, 31, 23)), 202612);
	assert_int_equal(survey_month_start(202612), at(2026, 12, 1, 0));
}

static void
answers_must_fit(void **state)
{
	char *qs[] = { "整体满意度", "text:意见", "保洁" };
	uint32_t ok[] = { 5, 0 }, bad[] = { 5, 6 };
	char err[160];

	(void)state;
	assert_true(survey_question_text("text:意见"));
	assert_false(survey_question_text("整体满意度"));
	assert_int_equal(survey_answers_check(qs, 3, ok, 2, 1, err,
	    sizeof(err)), 0);
	assert_int_equal(survey_answers_check(qs, 3, ok, 2, 0, err,
	    sizeof(err)), 0);
	assert_int_equal(survey_answers_check(qs, 3, ok, 1, 0, err,
	    sizeof(err)), -1);
	assert_non_null(strstr(err, "1 given, the survey has 2 scored"));
	assert_int_equal(survey_answers_check(qs, 3, bad, 2, 0, err,
	    sizeof(err)), -1);
	assert_non_null(strstr(err, "the 2nd score is 6"));
	assert_int_equal(survey_answers_check(qs, 3, ok, 2, 2, err,
	    sizeof(err)), -1);
	assert_non_null(strstr(err, "comments: 2 given"));
}

static void
tally_per_question_and_building(void **state)
{
	char *qs[] = { "整体满意度", "保洁", "text:意见" };
	const char *occupied[] = { "3-1-101", "3-1-102", "10-1-101",
	    "2-1-101" };
	uint32_t a[] = { 5, 4 }, b[] = { 3, 0 }, c[] = { 1, 1 };
	char *said[] = { "电梯慢" }, *none[] = { "" };
	struct survey_tally t;

	(void)state;
	assert_int_equal(survey_tally_init(&t, qs, 3), 0);
	for (size_t i = 0; i < 4; i++)
		assert_int_equal(survey_tally_target(&t, occupied[i]), 0);
	assert_int_equal(survey_tally_handout(&t, "3-1-101"), 0);
	assert_int_equal(survey_tally_handout(&t, "3-1-102"), 0);
	assert_int_equal(survey_tally_handout(&t, "10-1-101"), 0);
	assert_int_equal(survey_tally_return(&t, "3-1-101", false, a, 2,
	    said, 1), 0);
	assert_int_equal(survey_tally_return(&t, "10-1-101", false, b, 2,
	    none, 1), 0);
	/* Late: counted apart, its answers nowhere. */
	assert_int_equal(survey_tally_return(&t, "3-1-102", true, c, 2, said,
	    1), 0);
	assert_int_equal(t.target, 4);
	assert_int_equal(t.handed_out, 3);
	assert_int_equal(t.returned, 2);
	assert_int_equal(t.late, 1);
	assert_true(survey_tally_half_back(&t));	/* 2 of 3 */
	/* Question 1: 5 and 3; question 2: 4 (the 0 left blank). */
	assert_int_equal(t.q[0].answered, 2);
	assert_int_equal(t.q[0].count[4], 1);
	assert_int_equal(t.q[0].count[2], 1);
	assert_true(survey_scores_mean(&t.q[0]) == 4.0);
	assert_int_equal(t.q[1].answered, 1);
	assert_true(survey_scores_mean(&t.q[1]) == 4.0);
	assert_int_equal(t.q[2].answered, 1);	/* one comment, one blank */
	/* Buildings by number: 2, 3, 10. */
	assert_int_equal(t.nb, 3);
	assert_string_equal(t.b[0].name, "2");
	assert_string_equal(t.b[1].name, "3");
	assert_string_equal(t.b[2].name, "10");
	assert_int_equal(t.b[0].target, 1);
	assert_int_equal(t.b[0].handed_out, 0);
	assert_int_equal(t.b[1].target, 2);
	assert_int_equal(t.b[1].handed_out, 2);
	assert_int_equal(t.b[1].returned, 1);
	assert_int_equal(t.b[1].late, 1);
	assert_true(survey_scores_mean(&t.b[1].scores) == 4.5);
	assert_int_equal(t.b[2].returned, 1);
	assert_true(survey_scores_mean(&t.b[2].scores) == 3.0);
	survey_tally_free(&t);

	/* Fewer than half back: 1 of 3 is not 50 %. */
	assert_int_equal(survey_tally_init(&t, qs, 3), 0);
	for (size_t i = 0; i < 3; i++)
		assert_int_equal(survey_tally_handout(&t, occupied[i]), 0);
	assert_int_equal(survey_tally_return(&t, "3-1-101", false, a, 2,
	    none, 1), 0);
	assert_false(survey_tally_half_back(&t));
	survey_tally_free(&t);
}

static void
building_is_the_code_before_the_dash(void **state)
{
	char b[SURVEY_BUILDING_MAX];

	(void)state;
	survey_building("3-2-1201", b, sizeof(b));
	assert_string_equal(b, "3");
	survey_building("A栋", b, sizeof(b));
	assert_string_equal(b, "A栋");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(window_is_15_working_days),
		cmocka_unit_test(half_is_rounded_up),
		cmocka_unit_test(due_before_june_and_december),
		cmocka_unit_test(ledger_months_of_a_campaign),
		cmocka_unit_test(answers_must_fit),
		cmocka_unit_test(tally_per_question_and_building),
		cmocka_unit_test(building_is_the_code_before_the_dash),
	};

	setenv("TZ", "Asia/Shanghai", 1);
	tzset();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
