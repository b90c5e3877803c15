/*
 * test_list_rules.c - the filters of complaint and work order lists
 * (issue 16): a unit takes the units inside it, days are both included,
 * statuses and kinds are words, and bad filters say what is wrong.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "list_rules.h"

#define ST(x)	DESKD__STATUS__##x
#define OPEN	DESKD__COMPLAINT_STATUS__STATUS_OPEN
#define CLOSED	DESKD__COMPLAINT_STATUS__STATUS_CLOSED

static void
test_units(void **state)
{
	(void)state;
	assert_true(list_unit_matches("", "3-2-1201"));
	assert_true(list_unit_matches("3-2-1201", "3-2-1201"));
	assert_true(list_unit_matches("3-2", "3-2-1201"));
	assert_true(list_unit_matches("3-2-", "3-2-1201"));
	assert_false(list_unit_matches("3-2", "3-21-0101"));
	assert_false(list_unit_matches("3-2-1201", "3-2-120"));
	assert_false(list_unit_matches("3-2", ""));
}

static void
test_read_and_match(void **state)
{
	struct list_filter f;
	char msg[256];

	(void)state;
	assert_int_equal(list_filter_read(&f, "3-2", "2026-12-01",
	    "2026-12-04", &deskd__complaint_status__descriptor, "Closed",
	    NULL, "", msg, sizeof(msg)), ST(OK));
	assert_true(list_filter_matches(&f, "3-2-1201", 20261201, CLOSED, -1));
	assert_true(list_filter_matches(&f, "3-2-1201", 20261204, CLOSED, -1));
	assert_false(list_filter_matches(&f, "3-2-1201", 20261130, CLOSED, -1));
	assert_false(list_filter_matches(&f, "3-2-1201", 20261205, CLOSED, -1));
	assert_false(list_filter_matches(&f, "3-2-1201", 20261202, OPEN, -1));
	assert_false(list_filter_matches(&f, "4-2-1201", 20261202, CLOSED, -1));
	/* Nothing given: everything. */
	assert_int_equal(list_filter_read(&f, "", "", "",
	    &deskd__complaint_status__descriptor, "", NULL, "", msg,
	    sizeof(msg)), ST(OK));
	assert_true(list_filter_matches(&f, "9-9-9999", 20000101, OPEN, 3));
	/* A kind of work order. */
	assert_int_equal(list_filter_read(&f, "", "", "",
	    &deskd__work_status__descriptor, "on_site",
	    &deskd__work_kind__descriptor, "service", msg, sizeof(msg)),
	    ST(OK));
	assert_true(list_filter_matches(&f, "1-1-101", 20261204,
	    DESKD__WORK_STATUS__WORK_ON_SITE, DESKD__WORK_KIND__KIND_SERVICE));
	assert_false(list_filter_matches(&f, "1-1-101", 20261204,
	    DESKD__WORK_STATUS__WORK_ON_SITE, DESKD__WORK_KIND__KIND_REPAIR));
}

static void
test_refusals(void **state)
{
	struct list_filter f;
	char msg[256];

	(void)state;
	assert_int_equal(list_filter_read(&f, "", "2026-12-32", "",
	    &deskd__complaint_status__descriptor, "", NULL, "", msg,
	    sizeof(msg)), ST(INVALID_ARGUMENT));
	assert_non_null(strstr(msg, "from_day"));
	assert_int_equal(list_filter_read(&f, "", "2026-12-05", "2026-12-04",
	    &deskd__complaint_status__descriptor, "", NULL, "", msg,
	    sizeof(msg)), ST(INVALID_ARGUMENT));
	assert_non_null(strstr(msg, "is after"));
	assert_int_equal(list_filter_read(&f, "", "", "",
	    &deskd__complaint_status__descriptor, "pending", NULL, "", msg,
	    sizeof(msg)), ST(INVALID_ARGUMENT));
	assert_non_null(strstr(msg, "open|resolved|closed"));
	/* KIND_UNSET is not a kind to ask for. */
	assert_int_equal(list_filter_read(&f, "", "", "",
	    &deskd__work_status__descriptor, "", &deskd__work_kind__descriptor,
	    "unset", msg, sizeof(msg)), ST(INVALID_ARGUMENT));
	assert_string_equal(strstr(msg, "one of "), "one of repair|service|"
	    "special");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_units),
		cmocka_unit_test(test_read_and_match),
		cmocka_unit_test(test_refusals),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
