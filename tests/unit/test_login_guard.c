/*
 * test_login_guard.c - failed-login backoff (issue 12): the delay's
 * arithmetic, its decay, and the accounting by name and by address across
 * connections, with the console's own lane.  Times are given, not slept.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "guard.h"

static const struct guard_conf conf = {
	.base_ms = 250, .max_ms = 8000, .decay_ms = 60000, .log_lines = 3,
	.log_every_ms = 10000, .burst = 5, .burst_window_ms = 1000,
};

static int
setup(void **state)
{
	(void)state;
	guard_configure(&conf);
	guard_reset();
	return 0;
}

static void
backoff_doubles_to_cap(void **state)
{
	(void)state;
	assert_int_equal(guard_backoff_ms(250, 8000, 0), 0);
	assert_int_equal(guard_backoff_ms(250, 8000, 1), 250);
	assert_int_equal(guard_backoff_ms(250, 8000, 2), 500);
	assert_int_equal(guard_backoff_ms(250, 8000, 5), 4000);
	assert_int_equal(guard_backoff_ms(250, 8000, 6), 8000);
	assert_int_equal(guard_backoff_ms(250, 8000, 7), 8000);
	/* No shift overflows however many failures. */
	assert_int_equal(guard_backoff_ms(250, 8000, 4000000000u), 8000);
}

static void
count_decays_with_quiet(void **state)
{
	(void)state;
	assert_int_equal(guard_decayed(8, 0, 60000), 8);
	assert_int_equal(guard_decayed(8, 59999, 60000), 8);
	assert_int_equal(guard_decayed(8, 60000, 60000), 4);
	assert_int_equal(guard_decayed(8, 180000, 60000), 1);
	assert_int_equal(guard_decayed(8, 240000, 60000), 0);
	assert_int_equal(guard_decayed(8, INT64_MAX, 60000), 0);
	assert_int_equal(guard_decayed(8, 1000000, 0), 8);
}

static void
console_and_source(void **state)
{
	char ip[48];

	(void)state;
	assert_true(guard_is_console("127.0.0.1"));
	assert_true(guard_is_console("127.0.0.2"));
	assert_true(guard_is_console("::1"));
	assert_true(guard_is_console("::ffff:127.0.0.1"));
	assert_false(guard_is_console("10.0.0.127"));
	assert_false(guard_is_console("::12"));
	guard_source("192.168.1.5:40000", ip, sizeof(ip));
	assert_string_equal(ip, "192.168.1.5");
	guard_source("fe80::1:40000", ip, sizeof(ip));
	assert_string_equal(ip, "fe80::1");
}

/* Fail one login of user from ip at now; the report. */
static struct guard_report
fail_at(const char *user, const char *ip, int64_t now)
{
	struct guard_report r;

	assert_int_equal(guard_admit(user, ip, now), 0);
	guard_done(user, ip, GUARD_FAILED, now, &r);
	return r;
}

/* Fail the next login of user from ip, at *now or once it may be tried. */
static void
fail_next(const char *user, const char *ip, int64_t *now)
{
	int64_t wait = guard_admit(user, ip, *now);

	if (wait > 0) {
		*now += wait;
		assert_int_equal(guard_admit(user, ip, *now), 0);
	}
	guard_done(user, ip, GUARD_FAILED, *now, &(struct guard_report){ 0 });
}

/* The same, for the i-th fresh name. */
static struct guard_report
fail_fresh(int i, const char *ip, int64_t now)
{
	char name[32];

	snprintf(name, sizeof(name), "fresh%d", i);
	return fail_at(name, ip, now);
}

static void
one_check_at_a_time_per_name(void **state)
{
	struct guard_report r;

	(void)state;
	/* A second connection's guess while the first is checked waits. */
	assert_int_equal(guard_admit("clerk1", "10.0.0.1", 1000), 0);
	assert_true(guard_admit("clerk1", "10.0.0.2", 1000) > 0);
	guard_done("clerk1", "10.0.0.1", GUARD_FAILED, 1000, &r);
	assert_int_equal(r.user_fails, 1);
	/* Then the name backs off for every address: 250 ms, then 500. */
	assert_int_equal(guard_admit("clerk1", "10.0.0.3", 1100), 150);
	r = fail_at("clerk1", "10.0.0.3", 1250);
	assert_int_equal(r.user_fails, 2);
	assert_int_equal(guard_admit("clerk1", "10.0.0.4", 1250), 500);
	assert_int_equal(guard_reply_delay("clerk1", "10.0.0.4", 0, 1250),
	    500);
	/* A success clears the name. */
	assert_int_equal(guard_admit("clerk1", "10.0.0.4", 1750), 0);
	guard_done("clerk1", "10.0.0.4", GUARD_OK, 1750, &r);
	assert_int_equal(guard_admit("clerk1", "10.0.0.4", 1750), 0);
	guard_done("clerk1", "10.0.0.4", GUARD_UNCHECKED, 1750, &r);
}

static void
source_backs_off_across_names(void **state)
{
	int64_t now = 1000;

	(void)state;
	/* Fresh names from one address: the address backs off. */
	fail_at("a1", "10.9.9.9", now);
	assert_int_equal(guard_admit("a2", "10.9.9.9", now), 250);
	now += 250;
	fail_at("a2", "10.9.9.9", now);
	assert_int_equal(guard_admit("a3", "10.9.9.9", now), 500);
	/* Another address is not held up. */
	assert_int_equal(guard_admit("a3", "10.9.9.8", now), 0);
	guard_done("a3", "10.9.9.8", GUARD_UNCHECKED, now, &(struct
	    guard_report){ 0 });
	/* Quiet for a decay: the count halves (2 -> 1), so this failure
	 * makes it 2 again: 500 ms, not the 1 s a third would. */
	now += 60000;
	fail_at("a4", "10.9.9.9", now);
	assert_int_equal(guard_admit("a5", "10.9.9.9", now), 500);
}

static void
remote_lockout_spares_console(void **state)
{
	struct guard_report r;
	int64_t now = 1000;

	(void)state;
	for (int i = 0; i < 8; i++)
		fail_next("admin", "203.0.113.7", &now);
	/* admin is locked out from the network ... */
	assert_int_equal(guard_admit("admin", "198.51.100.1", now), 8000);
	/* ... but not at the console, where it logs in at once. */
	assert_int_equal(guard_admit("admin", "127.0.0.1", now), 0);
	assert_int_equal(guard_reply_delay("admin", "::1", 0, now), 250);
	guard_done("admin", "127.0.0.1", GUARD_OK, now, &r);
	assert_true(guard_known("admin", "127.0.0.1"));
	assert_false(guard_known("admin", "203.0.113.7"));
	/* The console's failures are not waited on by address. */
	for (int i = 0; i < 4; i++)
		fail_fresh(i, "127.0.0.1", now);
}

static void
eviction_keeps_the_guessed_name(void **state)
{
	int64_t now = 1000;

	(void)state;
	for (int i = 0; i < 3; i++)
		fail_next("sup1", "10.1.1.1", &now);
	/* Thousands of fresh names later, sup1 still backs off. */
	for (int i = 0; i < 20000; i++)
		fail_fresh(i, "127.0.0.1", now);
	assert_int_equal(guard_admit("sup1", "10.1.1.2", now), 1000);
}

static void
log_limited_and_burst_once(void **state)
{
	struct guard_report r;
	int logged = 0, bursts = 0;

	(void)state;
	/* 10 failures from one address within 10 s: 3 lines, then quiet. */
	for (int i = 0; i < 10; i++) {
		r = fail_fresh(i, "127.0.0.1", 1000 + i);
		logged += r.log_line;
		bursts += r.burst;
	}
	assert_int_equal(logged, 3);
	/* 5 failures within 1 s alert once, not at every failure after. */
	assert_int_equal(bursts, 1);
	/* The next interval starts with a summary of the 7 not logged. */
	r = fail_fresh(10, "127.0.0.1", 20000);
	assert_int_equal(r.suppressed, 7);
	assert_true(r.log_line);
	assert_false(r.burst);
	/* Quiet, then a new burst: alerted again. */
	for (int i = 0; i < 5; i++)
		bursts += fail_fresh(20 + i, "::1", 30000 + i * 301).burst;
	assert_int_equal(bursts, 1);
	for (int i = 0; i < 5; i++)
		bursts += fail_fresh(30 + i, "::1", 50000 + i).burst;
	assert_int_equal(bursts, 2);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(backoff_doubles_to_cap),
		cmocka_unit_test(count_decays_with_quiet),
		cmocka_unit_test(console_and_source),
		cmocka_unit_test_setup(one_check_at_a_time_per_name, setup),
		cmocka_unit_test_setup(source_backs_off_across_names, setup),
		cmocka_unit_test_setup(remote_lockout_spares_console, setup),
		cmocka_unit_test_setup(eviction_keeps_the_guessed_name, setup),
		cmocka_unit_test_setup(log_limited_and_burst_once, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
