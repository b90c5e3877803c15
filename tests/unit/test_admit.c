/*
 * test_admit.c - the connection caps (issue 12): the cap taken from the
 * descriptor limit, what a new connection may do at each cap, and the
 * table of source addresses.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "admit.h"

static void
test_max_conns(void **state)
{
	bool over;

	(void)state;
	/* From the limit, less the reserve for the listener, LMDB, logs. */
	assert_int_equal(admit_max_conns(0, 1024, &over),
	    1024 - ADMIT_FD_RESERVE);
	assert_false(over);
	assert_int_equal(admit_max_conns(0, 200, &over),
	    200 - ADMIT_FD_RESERVE);
	/* A limit below the reserve still lets one in. */
	assert_int_equal(admit_max_conns(0, 10, &over), 1);
	assert_int_equal(admit_max_conns(0, 1ULL << 40, &over), UINT32_MAX);
	/* A configured cap stands; over the limit it is flagged. */
	assert_int_equal(admit_max_conns(100, 1024, &over), 100);
	assert_false(over);
	assert_int_equal(admit_max_conns(1000, 200, &over), 1000);
	assert_true(over);
}

static void
test_decide(void **state)
{
	(void)state;
	assert_int_equal(admit_decide(10, 100, 3, 64), ADMIT_OK);
	/* The source's own cap first, even with the server full. */
	assert_int_equal(admit_decide(100, 100, 64, 64), ADMIT_EVICT_SOURCE);
	assert_int_equal(admit_decide(50, 100, 64, 64), ADMIT_EVICT_SOURCE);
	assert_int_equal(admit_decide(100, 100, 3, 64), ADMIT_EVICT_ANY);
	assert_int_equal(admit_decide(120, 100, 0, 64), ADMIT_EVICT_ANY);
	/* 0: no cap per source. */
	assert_int_equal(admit_decide(50, 100, 5000, 0), ADMIT_OK);
}

static void
test_table(void **state)
{
	struct admit_table *t = admit_table_new();
	struct admit_source *a, *b;
	char addr[32];

	(void)state;
	assert_non_null(t);
	assert_null(admit_find(t, "10.0.0.1"));
	assert_non_null(a = admit_get(t, "10.0.0.1"));
	assert_ptr_equal(admit_find(t, "10.0.0.1"), a);
	assert_ptr_equal(admit_get(t, "10.0.0.1"), a);
	assert_non_null(b = admit_get(t, "::1"));
	assert_ptr_not_equal(a, b);
	/* Kept while it counts something, dropped once it does not. */
	a->unauth = 1;
	admit_put(t, a);
	assert_ptr_equal(admit_find(t, "10.0.0.1"), a);
	a->unauth = 0;
	admit_put(t, a);
	assert_null(admit_find(t, "10.0.0.1"));
	assert_ptr_equal(admit_find(t, "::1"), b);
	/* Many addresses share buckets and each is found. */
	for (int i = 0; i < 10000; i++) {
		snprintf(addr, sizeof(addr), "10.%d.%d.1", i / 256, i % 256);
		assert_non_null(a = admit_get(t, addr));
		a->unauth = (uint32_t)i + 1;
	}
	for (int i = 0; i < 10000; i++) {
		snprintf(addr, sizeof(addr), "10.%d.%d.1", i / 256, i % 256);
		assert_int_equal(admit_find(t, addr)->unauth, i + 1);
	}
	admit_table_free(t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_max_conns),
		cmocka_unit_test(test_decide),
		cmocka_unit_test(test_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
