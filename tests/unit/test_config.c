/*
 * test_config.c - durations, sizes and settings as an operator writes them,
 * in the config file or on the command line.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "area.h"
#include "config.h"
#include "deadline.h"

static int64_t
dur(const char *s)
{
	int64_t ms = -12345;

	assert_int_equal(config_parse_duration_ms(s, &ms), 0);
	return ms;
}

static void
bad_dur(const char *s)
{
	int64_t ms = -12345;

	if (config_parse_duration_ms(s, &ms) == 0)
		fail_msg("duration '%s' accepted as %lld ms", s, (long long)ms);
	/* A refusal leaves the old value alone. */
	assert_int_equal(ms, -12345);
}

static void
durations(void **state)
{
	(void)state;
	assert_int_equal(dur("250ms"), 250);
	assert_int_equal(dur("10s"), 10000);
	assert_int_equal(dur("5m"), 5 * 60 * 1000);
	assert_int_equal(dur("5min"), 5 * 60 * 1000);
	assert_int_equal(dur("12h"), 12LL * 3600 * 1000);
	assert_int_equal(dur("2d"), 2LL * 86400 * 1000);
	/* A bare number is seconds. */
	assert_int_equal(dur("30"), 30000);
	assert_int_equal(dur("0"), 0);
	assert_int_equal(dur("1.5h"), 5400000);
	assert_int_equal(dur("0.5s"), 500);
	assert_int_equal(dur("0ms"), 0);
	assert_int_equal(dur("100d"), 100LL * 86400 * 1000);
}

static void
bad_durations(void **state)
{
	(void)state;
	bad_dur("");
	bad_dur("s");
	bad_dur("ms");
	bad_dur("-5s");
	bad_dur("-1");
	bad_dur("10 s");
	bad_dur("10sec");
	bad_dur("10S");
	bad_dur("10x");
	bad_dur("5m30s");
	bad_dur("1w");
	bad_dur("abc");
	bad_dur("1e400");		/* out of range for a double */
	bad_dur("1e300d");		/* past what an int64 of ms holds */
	bad_dur("inf");
	bad_dur("infinity");
	bad_dur("nan");			/* not a number at all */
	bad_dur("nans");
	bad_dur("NAN");
}

static size_t
size_of(const char *s)
{
	size_t v = 12345;

	assert_int_equal(config_parse_size(s, &v), 0);
	return v;
}

static void
bad_size(const char *s)
{
	size_t v = 12345;

	if (config_parse_size(s, &v) == 0)
		fail_msg("size '%s' accepted as %zu", s, v);
	assert_int_equal(v, 12345);
}

static void
sizes(void **state)
{
	(void)state;
	assert_int_equal(size_of("0"), 0);
	assert_int_equal(size_of("4096"), 4096);
	assert_int_equal(size_of("64K"), 64 * 1024);
	assert_int_equal(size_of("64k"), 64 * 1024);
	assert_int_equal(size_of("64KB"), 64 * 1024);
	assert_int_equal(size_of("64KiB"), 64 * 1024);
	assert_int_equal(size_of("1M"), 1024 * 1024);
	assert_int_equal(size_of("1MiB"), 1024 * 1024);
	assert_int_equal(size_of("1MB"), 1024 * 1024);
	assert_int_equal(size_of("256K"), 256 * 1024);
	assert_int_equal(size_of("2G"), 2ULL << 30);
	assert_int_equal(size_of("16777216G"), 1ULL << 54);
}

static void
bad_sizes(void **state)
{
	(void)state;
	bad_size("");
	bad_size("K");
	bad_size("-1");
	bad_size("+1");
	bad_size(" 1");
	bad_size("1T");
	bad_size("1.5M");
	bad_size("1M ");
	bad_size("1MiBs");
	bad_size("1Mb ");
	bad_size("1X");
	bad_size("99999999999999999999999");	/* past 64 bits */
	/* Past 64 bits only once the unit is applied: must not wrap. */
	bad_size("17179869184G");		/* 2^34 G = 2^64 */
	bad_size("18446744073709551615K");
	bad_size("18014398509481984K");		/* 2^54 K = 2^64 -> 0 */
}

static void
set_values(void **state)
{
	struct config c;
	char err[256];

	(void)state;
	config_defaults(&c);
	assert_int_equal(c.max_payload, 1024 * 1024);
	assert_int_equal(clock_conf_of(&c, "complaint.reply_due")->span_ms,
	    2LL * 3600 * 1000);

	/* --clock NAME=VALUE and NAME.part=VALUE (the [clocks] section). */
	assert_int_equal(config_set(&c, "clock", "complaint.reply_due=30m",
	    err, sizeof(err)), 0);
	assert_int_equal(clock_conf_of(&c, "complaint.reply_due")->span_ms,
	    30 * 60 * 1000);
	assert_int_equal(config_set(&c, "clock", "complaint.revisit_due=3wd",
	    err, sizeof(err)), 0);
	assert_int_equal(clock_conf_of(&c,
	    "complaint.revisit_due")->span_workdays, 3);
	assert_int_equal(config_set(&c, "clock", "repair.no_engineer.warn=50%",
	    err, sizeof(err)), 0);
	assert_int_equal(clock_conf_of(&c, "repair.no_engineer")->warn_pct,
	    50);
	assert_int_equal(config_set(&c, "clock",
	    "repair.no_engineer.escalate=5s", err, sizeof(err)), 0);
	assert_int_equal(clock_conf_of(&c, "repair.no_engineer")->escalate_ms,
	    5000);
	/* Garbage, negative and unknown clocks are refused with a reason. */
	assert_int_equal(config_set(&c, "clock", "repair.no_engineer=-5s",
	    err, sizeof(err)), -1);
	assert_non_null(strstr(err, "repair.no_engineer"));
	assert_int_equal(config_set(&c, "clock", "repair.no_engineer=banana",
	    err, sizeof(err)), -1);
	assert_int_equal(config_set(&c, "clock", "repair.no_engineer=0s",
	    err, sizeof(err)), -1);
	assert_int_equal(config_set(&c, "clock", "no.such.clock=1s",
	    err, sizeof(err)), -1);
	assert_int_equal(config_set(&c, "clock", "repair.no_engineer.warn=150%",
	    err, sizeof(err)), -1);
	assert_int_equal(config_set(&c, "clock", "repair.no_engineer", err,
	    sizeof(err)), -1);
	/* --frame-timeout on the command line, frame_timeout in the file. */
	assert_int_equal(config_set(&c, "frame-timeout", "3s", err,
	    sizeof(err)), 0);
	assert_int_equal(c.frame_timeout_ms, 3000);
	assert_int_equal(config_set(&c, "frame_timeout", "250ms", err,
	    sizeof(err)), 0);
	assert_int_equal(c.frame_timeout_ms, 250);
	assert_int_equal(config_set(&c, "login-delay-max", "1m", err,
	    sizeof(err)), 0);
	assert_int_equal(c.login_delay_max_ms, 60000);
	assert_int_equal(config_set(&c, "out-high-water", "1MiB", err,
	    sizeof(err)), 0);
	assert_int_equal(c.out_high_water, 1024 * 1024);
	assert_int_equal(config_set(&c, "max_payload", "64K", err,
	    sizeof(err)), 0);
	assert_int_equal(c.max_payload, 64 * 1024);
	assert_int_equal(config_set(&c, "pbkdf2-iterations", "1000", err,
	    sizeof(err)), 0);
	assert_int_equal(c.pbkdf2_iterations, 1000);
	assert_int_equal(config_set(&c, "verbose", "1", err, sizeof(err)), 0);
	assert_int_equal(c.verbose, 1);
	assert_int_equal(config_set(&c, "listen", "0.0.0.0:9443", err,
	    sizeof(err)), 0);
	assert_string_equal(c.listen, "0.0.0.0:9443");
	assert_int_equal(config_set(&c, "time-zone", "Europe/Berlin", err,
	    sizeof(err)), 0);
	assert_string_equal(c.time_zone, "Europe/Berlin");
}

static void
set_errors(void **state)
{
	struct config c, before;
	char err[256];
	char longpath[600];

	(void)state;
	config_defaults(&c);
	before = c;
	err[0] = '\0';
	assert_int_equal(config_set(&c, "no_such_thing", "1", err,
	    sizeof(err)), -1);
	assert_non_null(strstr(err, "unknown setting"));
	assert_non_null(strstr(err, "no_such_thing"));
	assert_int_equal(config_set(&c, "", "1", err, sizeof(err)), -1);
	assert_int_equal(config_set(&c, "--listen", "x", err, sizeof(err)),
	    -1);

	err[0] = '\0';
	assert_int_equal(config_set(&c, "session-ttl", "soon", err,
	    sizeof(err)), -1);
	/* The error names the setting as written, the value, and the help. */
	assert_non_null(strstr(err, "session-ttl"));
	assert_non_null(strstr(err, "soon"));
	assert_non_null(strstr(err, "12h"));
	assert_int_equal(config_set(&c, "out_low_water", "lots", err,
	    sizeof(err)), -1);
	assert_int_equal(config_set(&c, "batch_max", "-1", err, sizeof(err)),
	    -1);
	assert_int_equal(config_set(&c, "batch_max", "12x", err, sizeof(err)),
	    -1);
	assert_int_equal(config_set(&c, "batch_max", "", err, sizeof(err)),
	    -1);
	assert_int_equal(config_set(&c, "batch_max", "4294967296", err,
	    sizeof(err)), -1);
	assert_int_equal(config_set(&c, "verbose", "yes", err, sizeof(err)),
	    -1);
	/* A frame payload over 64 MiB is refused, not truncated to 32 bits. */
	assert_int_equal(config_set(&c, "max_payload", "65M", err,
	    sizeof(err)), -1);
	assert_int_equal(config_set(&c, "max_payload", "4G", err,
	    sizeof(err)), -1);
	/* A string that does not fit is refused, not cut. */
	memset(longpath, 'a', sizeof(longpath) - 1);
	longpath[sizeof(longpath) - 1] = '\0';
	assert_int_equal(config_set(&c, "data", longpath, err, sizeof(err)),
	    -1);
	/* Nothing refused changed anything. */
	assert_memory_equal(&c, &before, sizeof(c));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(durations),
		cmocka_unit_test(bad_durations),
		cmocka_unit_test(sizes),
		cmocka_unit_test(bad_sizes),
		cmocka_unit_test(set_values),
		cmocka_unit_test(set_errors),
	};

	/* As deskd's main does first: the sections are the areas'. */
	area_register_all(area_list);
	clock_rules_register();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
