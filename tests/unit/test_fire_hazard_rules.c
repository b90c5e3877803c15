/*
 * test_fire_hazard_rules.c - G3's pure rules: each severity has its own
 * deadline clock and nothing else is a severity; the notice's number is
 * the year and the id, readable and never two alike; the re-check is
 * refused to the one who fixed the hazard, with the reason.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fire_hazard_rules.h"

static void
test_severity_clocks(void **state)
{
	(void)state;
	assert_string_equal(hazard_clock("low"), "hazard.low");
	assert_string_equal(hazard_clock("medium"), "hazard.medium");
	assert_string_equal(hazard_clock("high"), "hazard.high");
	assert_string_equal(hazard_clock("critical"), "hazard.critical");
	assert_non_null(hazard_clock(HAZARD_SEVERITY_DEFAULT));
	assert_null(hazard_clock("urgent"));
	assert_null(hazard_clock(""));
	assert_null(hazard_clock("Critical"));
}

static void
test_notice_number(void **state)
{
	/* 2026-07-01 12:00 UTC: the same year in every time zone. */
	const int64_t mid_2026 = 1782907200000LL;
	char a[32], b[32];

	(void)state;
	setenv("TZ", "Asia/Shanghai", 1);
	hazard_notice_no(a, sizeof(a), mid_2026, 7);
	assert_string_equal(a, "XF-2026-0007");
	hazard_notice_no(b, sizeof(b), mid_2026, 8);
	assert_string_not_equal(a, b);
	hazard_notice_no(a, sizeof(a), mid_2026, 12345);
	assert_string_equal(a, "XF-2026-12345");
}

static void
test_recheck_by_another(void **state)
{
	char msg[256] = "";

	(void)state;
	assert_int_equal(hazard_recheck_check(3, "wang", "li", "close", msg,
	    sizeof(msg)), DESKD__STATUS__OK);
	assert_int_equal(hazard_recheck_check(3, "wang", "wang", "close", msg,
	    sizeof(msg)), DESKD__STATUS__CONFLICT);
	assert_non_null(strstr(msg, "hazard 3 was fixed by wang"));
	assert_non_null(strstr(msg, "G3"));
	assert_int_equal(hazard_recheck_check(3, "wang", "wang", "reopen",
	    msg, sizeof(msg)), DESKD__STATUS__CONFLICT);
	assert_non_null(strstr(msg, "reopen"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_severity_clocks),
		cmocka_unit_test(test_notice_number),
		cmocka_unit_test(test_recheck_by_another),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
