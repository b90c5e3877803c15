/*
 * test_console_check.c - what the board's form fields take, checked as
 * each is left (client/console_check.c): required, deskd's lengths (bytes:
 * a Chinese character is 3), a phone as deskd takes it (the same rule,
 * wire_phone_ok, as complaint_phone_ok), a time, a score, a kind.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "complaint_rules.h"
#include "console.h"

static bool
check(enum form_check c, bool optional, size_t max, const char *v, char *why)
{
	const struct form_field f = { "--x", "X: ", optional, c, max };

	return form_check_field(&f, v, why, 160);
}

static void
required_and_long(void **state)
{
	char why[160], big[300];

	(void)state;
	assert_false(check(CHECK_TEXT, false, 0, "", why));
	assert_string_equal(why, "must be filled in");
	assert_true(check(CHECK_TEXT, true, 0, "", why));
	assert_string_equal(why, "");
	/* 64 bytes: 21 characters of Chinese, not 22. */
	assert_true(check(CHECK_TEXT, false, 64,
	    "一二三四五六七八九十一二三四五六七八九十一", why));
	assert_false(check(CHECK_TEXT, false, 64,
	    "一二三四五六七八九十一二三四五六七八九十一二", why));
	assert_string_equal(why, "too long: at most 64 letters or 21 Chinese "
	    "characters");
	/* No limit given: deskd's default, 256. */
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_false(check(CHECK_TEXT, false, 0, big, why));
	big[256] = '\0';
	assert_true(check(CHECK_TEXT, false, 0, big, why));
}

static void
phone_as_deskd(void **state)
{
	static const char *const phones[] = { "13800000000",
	    "+86 138-0000-0000", "010-8888 6666", "12345", "1234",
	    "1234567890123456", "123456789012345", "12ab5678", "138+0000000",
	    "++8613800000000", "电话13800000000", " 13800000000", "-----12345" };
	char why[160];

	(void)state;
	for (size_t i = 0; i < sizeof(phones) / sizeof(phones[0]); i++) {
		bool ok = check(CHECK_PHONE, false, 20, phones[i], why);

		assert_int_equal(ok, complaint_phone_ok(phones[i]) &&
		    strlen(phones[i]) <= 20);
		if (!ok)
			assert_non_null(strstr(why, "not a phone number"));
	}
}

static void
time_score_kind(void **state)
{
	char why[160];

	(void)state;
	assert_true(check(CHECK_TIME, true, 0, "+2h", why));
	assert_true(check(CHECK_TIME, true, 0, "09:30", why));
	assert_true(check(CHECK_TIME, true, 0, "", why));
	assert_false(check(CHECK_TIME, true, 0, "soon", why));
	assert_string_equal(why, "not a time: HH:MM or +30m");
	assert_true(check(CHECK_SCORE, false, 0, "5", why));
	assert_false(check(CHECK_SCORE, false, 0, "6", why));
	assert_false(check(CHECK_SCORE, false, 0, "10", why));
	assert_string_equal(why, "a number from 1 to 5");
	assert_true(check(CHECK_KIND, false, 0, "service", why));
	assert_false(check(CHECK_KIND, false, 0, "维修", why));
	assert_string_equal(why, "repair, service or special");
	/* A unit is the archive's to say (console_form.c): any text here. */
	assert_true(check(CHECK_UNIT, true, 32, "3-2-1299", why));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(required_and_long),
		cmocka_unit_test(phone_as_deskd),
		cmocka_unit_test(time_score_kind),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
