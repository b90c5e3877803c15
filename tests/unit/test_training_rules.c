/*
 * test_training_rules.c - where a person stands in training (F5, G5): a
 * fail opens a retake that only a later session's pass closes, results
 * count by their sessions' times in any order, and the twice-a-year rule
 * falls due a year after the second latest pass (after the only one, for
 * someone passed once).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "training_rules.h"

#define DAY	(24LL * 60 * 60 * 1000)
#define T0	(1780000000000LL)	/* 2026-05-28 */

static void
retake_needs_a_later_pass(void **state)
{
	struct training_standing s = { 0 };

	(void)state;
	assert_false(training_retake_open(&s));
	training_standing_add(&s, false, T0);
	assert_true(training_retake_open(&s));
	assert_string_equal(training_state(&s), "retake");
	/* A pass of an earlier session (an old sheet imported) is no
	 * retake, nor is one of the failed session's own time. */
	training_standing_add(&s, true, T0 - 7 * DAY);
	assert_true(training_retake_open(&s));
	training_standing_add(&s, true, T0);
	assert_true(training_retake_open(&s));
	training_standing_add(&s, true, T0 + 7 * DAY);
	assert_false(training_retake_open(&s));
	assert_string_equal(training_state(&s), "trained");
	/* Failing again opens another. */
	training_standing_add(&s, false, T0 + 14 * DAY);
	assert_true(training_retake_open(&s));
	assert_int_equal(s.passes, 3);
	assert_int_equal(s.fails, 2);
}

static void
twice_a_year_counts_the_two_latest(void **state)
{
	struct training_standing s = { 0 };

	(void)state;
	assert_int_equal(training_falls_below_ms(&s), 0);
	training_standing_add(&s, false, T0);
	assert_int_equal(training_falls_below_ms(&s), 0);
	/* Passed once: below two a year after it. */
	training_standing_add(&s, true, T0);
	assert_int_equal(training_falls_below_ms(&s), T0 + TRAINING_YEAR_MS);
	/* Twice: a year after the older of the two. */
	training_standing_add(&s, true, T0 + 180 * DAY);
	assert_int_equal(training_falls_below_ms(&s), T0 + TRAINING_YEAR_MS);
	/* A third moves it to a year after the second. */
	training_standing_add(&s, true, T0 + 300 * DAY);
	assert_int_equal(training_falls_below_ms(&s), T0 + 180 * DAY +
	    TRAINING_YEAR_MS);
	/* An older pass recorded late changes nothing. */
	training_standing_add(&s, true, T0 - 100 * DAY);
	assert_int_equal(training_falls_below_ms(&s), T0 + 180 * DAY +
	    TRAINING_YEAR_MS);
	/* One between the two latest becomes the second latest. */
	training_standing_add(&s, true, T0 + 250 * DAY);
	assert_int_equal(s.last_pass_ms, T0 + 300 * DAY);
	assert_int_equal(s.prev_pass_ms, T0 + 250 * DAY);
}

static void
participants_by_exact_name(void **state)
{
	char *people[] = { "wang", "li" };

	(void)state;
	assert_true(training_participant("li", people, 2));
	assert_false(training_participant("zhao", people, 2));
	assert_false(training_participant("wan", people, 2));
	assert_false(training_participant("wang", people, 0));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(retake_needs_a_later_pass),
		cmocka_unit_test(twice_a_year_counts_the_two_latest),
		cmocka_unit_test(participants_by_exact_name),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
