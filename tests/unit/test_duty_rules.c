/*
 * test_duty_rules.c - the rules of changes to duty (A3, A7, A8): what each
 * kind of request must carry, the 4-hour stand-in, who takes which step in
 * which state, and which shift a moment belongs to (night shifts too).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "deskd.pb-c.h"
#include "duty_rules.h"

#define KD(x)	DESKD__DUTY_KIND__DUTY_##x
#define SD(x)	DESKD__DUTY_STATUS__DUTY_##x
#define AD(x)	DESKD__DUTY_ACTION__DUTY_##x

#define OK		DESKD__STATUS__OK
#define INVALID		DESKD__STATUS__INVALID_ARGUMENT
#define CONFLICT	DESKD__STATUS__CONFLICT
#define DENIED		DESKD__STATUS__PERMISSION_DENIED

static const int64_t hour = 3600 * 1000;
static char msg[256];

static Deskd__Status
check_new(const Deskd__DutyNew *n)
{
	return duty_check_new(n, "alice", 1000 * hour, msg, sizeof(msg));
}

static void
test_dates(void **state)
{
	(void)state;
	assert_int_equal(duty_date_parse("2026-12-03"), 20261203);
	assert_int_equal(duty_date_parse("2028-02-29"), 20280229);
	assert_int_equal(duty_date_parse("2026-02-29"), 0);
	assert_int_equal(duty_date_parse("2026-13-01"), 0);
	assert_int_equal(duty_date_parse("2026-12-3"), 0);
	assert_int_equal(duty_date_parse("2026-12-03x"), 0);
	assert_int_equal(duty_date_parse(""), 0);
}

/* A8: at most 4 hours, and a special event. */
static void
test_standin(void **state)
{
	Deskd__DutyNew n = DESKD__DUTY_NEW__INIT;

	(void)state;
	n.kind = KD(STANDIN);
	n.other = "bob";
	n.reason = "bob 家中有事";
	n.from_ms = 2000 * hour;
	n.to_ms = n.from_ms + 4 * hour;
	assert_int_equal(check_new(&n), OK);
	n.to_ms = n.from_ms + 5 * hour;
	assert_int_equal(check_new(&n), INVALID);
	assert_non_null(strstr(msg, "A8"));
	n.to_ms = n.from_ms + 4 * hour + 1;
	assert_int_equal(check_new(&n), INVALID);
	n.to_ms = n.from_ms;
	assert_int_equal(check_new(&n), INVALID);
	n.to_ms = n.from_ms + hour;
	n.reason = "";
	assert_int_equal(check_new(&n), INVALID);
	n.reason = "x";
	n.other = "alice";
	assert_int_equal(check_new(&n), INVALID);
	n.other = "";
	assert_int_equal(check_new(&n), INVALID);
}

static void
test_swap_leave_post(void **state)
{
	Deskd__DutyNew n = DESKD__DUTY_NEW__INIT;

	(void)state;
	n.kind = KD(SWAP);
	n.other = "bob";
	n.date = "2026-12-03";
	n.shift = "morning";
	assert_int_equal(check_new(&n), INVALID);	/* their shift */
	n.other_date = "2026-12-05";
	n.other_shift = "night";
	assert_int_equal(check_new(&n), OK);		/* no reason needed */
	n.kind = KD(LEAVE);
	n.other = "";
	assert_int_equal(check_new(&n), INVALID);	/* A8: why */
	n.reason = "病假";
	assert_int_equal(check_new(&n), OK);		/* cover: later */
	n.shift = "";
	assert_int_equal(check_new(&n), INVALID);
	/* A7: back by a time to come. */
	n.kind = KD(LEAVE_POST);
	n.to_ms = 1000 * hour;
	assert_int_equal(check_new(&n), INVALID);
	n.to_ms = 1001 * hour;
	assert_int_equal(check_new(&n), OK);
	n.kind = KD(UNSET);
	assert_int_equal(check_new(&n), INVALID);
}

/* A3: a supervisor decides, never on their own request, and once. */
static void
test_steps(void **state)
{
	Deskd__DutyRequest d = DESKD__DUTY_REQUEST__INIT;
	Deskd__DutyStep s = DESKD__DUTY_STEP__INIT;

	(void)state;
	d.kind = KD(SWAP);
	d.requester = "sup";
	d.other = "bob";
	d.status = SD(PENDING);
	s.action = AD(APPROVE);
	assert_int_equal(duty_check_step(&d, &s, "sup", true, msg,
	    sizeof(msg)), DENIED);
	assert_non_null(strstr(msg, "own"));
	assert_int_equal(duty_check_step(&d, &s, "clerk", false, msg,
	    sizeof(msg)), DENIED);
	/* A3: a swap waits for the other person's acceptance. */
	assert_int_equal(duty_check_step(&d, &s, "sup2", true, msg,
	    sizeof(msg)), CONFLICT);
	assert_non_null(strstr(msg, "waits for bob to accept"));
	s.action = AD(ACCEPT);
	assert_int_equal(duty_check_step(&d, &s, "sup2", true, msg,
	    sizeof(msg)), DENIED);
	assert_int_equal(duty_check_step(&d, &s, "sup", false, msg,
	    sizeof(msg)), DENIED);
	assert_int_equal(duty_check_step(&d, &s, "bob", false, msg,
	    sizeof(msg)), OK);
	d.accepted_ms = 1;
	assert_int_equal(duty_check_step(&d, &s, "bob", false, msg,
	    sizeof(msg)), CONFLICT);
	s.action = AD(APPROVE);
	assert_int_equal(duty_check_step(&d, &s, "sup2", true, msg,
	    sizeof(msg)), OK);
	s.cover = "carol";
	assert_int_equal(duty_check_step(&d, &s, "sup2", true, msg,
	    sizeof(msg)), INVALID);		/* only a leave is covered */
	s.cover = "";
	s.action = AD(REJECT);
	assert_int_equal(duty_check_step(&d, &s, "sup", true, msg,
	    sizeof(msg)), DENIED);
	d.status = SD(APPROVED);
	assert_int_equal(duty_check_step(&d, &s, "sup2", true, msg,
	    sizeof(msg)), CONFLICT);
	/* A leave needs its cover at the latest when approved. */
	d.kind = KD(LEAVE);
	d.other = "";
	d.status = SD(PENDING);
	s.action = AD(APPROVE);
	assert_int_equal(duty_check_step(&d, &s, "sup2", true, msg,
	    sizeof(msg)), INVALID);
	s.cover = "sup";
	assert_int_equal(duty_check_step(&d, &s, "sup2", true, msg,
	    sizeof(msg)), INVALID);
	s.cover = "carol";
	assert_int_equal(duty_check_step(&d, &s, "sup2", true, msg,
	    sizeof(msg)), OK);
	/* Withdrawn by the requester alone, while pending. */
	s.action = AD(WITHDRAW);
	assert_int_equal(duty_check_step(&d, &s, "bob", true, msg,
	    sizeof(msg)), DENIED);
	assert_int_equal(duty_check_step(&d, &s, "sup", false, msg,
	    sizeof(msg)), OK);
	/* A7: back after an approved leave of the post. */
	s.action = AD(BACK);
	assert_int_equal(duty_check_step(&d, &s, "sup", false, msg,
	    sizeof(msg)), CONFLICT);
	/* Only a swap is accepted or declined. */
	s.action = AD(DECLINE);
	assert_int_equal(duty_check_step(&d, &s, "carol", false, msg,
	    sizeof(msg)), CONFLICT);
	s.action = AD(BACK);
	d.kind = KD(LEAVE_POST);
	assert_int_equal(duty_check_step(&d, &s, "sup", false, msg,
	    sizeof(msg)), CONFLICT);
	d.status = SD(APPROVED);
	assert_int_equal(duty_check_step(&d, &s, "bob", false, msg,
	    sizeof(msg)), DENIED);
	assert_int_equal(duty_check_step(&d, &s, "sup2", true, msg,
	    sizeof(msg)), OK);
	assert_int_equal(duty_check_step(&d, &s, "sup", false, msg,
	    sizeof(msg)), OK);
	s.action = AD(ACTION_NONE);
	assert_int_equal(duty_check_step(&d, &s, "sup", true, msg,
	    sizeof(msg)), INVALID);
}

static int64_t
at(int day, int h, int m)
{
	struct tm tm = { 0 };

	tm.tm_year = 2026 - 1900;
	tm.tm_mon = 11;
	tm.tm_mday = day;
	tm.tm_hour = h;
	tm.tm_min = m;
	tm.tm_isdst = -1;
	return (int64_t)mktime(&tm) * 1000;
}

/* The shift of a moment; a night shift past midnight is the day before's. */
static void
test_shift_at(void **state)
{
	struct shift_conf c;
	char err[128];
	uint32_t date;
	int shift;
	int64_t end;

	(void)state;
	setenv("TZ", "Asia/Shanghai", 1);
	tzset();
	shift_config_defaults(&c);
	assert_int_equal(duty_shift_at(&c, at(3, 9, 30), &date, &shift, &end),
	    0);
	assert_int_equal(date, 20261203);
	assert_int_equal(shift, 0);
	assert_int_equal(end, at(3, 16, 0));
	assert_int_equal(duty_shift_at(&c, at(31, 23, 59), &date, &shift,
	    &end), 0);
	assert_int_equal(shift, 1);
	assert_int_equal(end, at(32, 0, 0));
	assert_int_equal(shift_config_set(&c, "day", "08:00-20:00", err,
	    sizeof(err)), 0);
	assert_int_equal(shift_config_set(&c, "overnight", "20:00-08:00", err,
	    sizeof(err)), 0);
	assert_int_equal(duty_shift_at(&c, at(1, 2, 0), &date, &shift, &end),
	    0);
	assert_int_equal(date, 20261130);
	assert_int_equal(shift, 1);
	assert_int_equal(end, at(1, 8, 0));
	assert_int_equal(duty_shift_at(&c, at(1, 21, 0), &date, &shift, &end),
	    0);
	assert_int_equal(date, 20261201);
	assert_int_equal(end, at(2, 8, 0));
}

/* A3: a swap or leave is asked and approved before its shifts begin; a
 * stand-in before its hours are over. */
static void
test_ahead(void **state)
{
	Deskd__DutyRequest d = DESKD__DUTY_REQUEST__INIT;
	struct shift_conf c;

	(void)state;
	setenv("TZ", "Asia/Shanghai", 1);
	tzset();
	shift_config_defaults(&c);
	d.kind = KD(LEAVE);
	d.date = 20261203;
	d.shift = "evening";
	assert_int_equal(duty_check_ahead(&c, &d, at(3, 15, 59), msg,
	    sizeof(msg)), OK);
	assert_int_equal(duty_check_ahead(&c, &d, at(3, 16, 0), msg,
	    sizeof(msg)), CONFLICT);
	assert_string_equal(msg, "the evening shift of 2026-12-03 has begun: "
	    "a change to duty is asked and approved before the shift (A3)");
	assert_int_equal(duty_check_ahead(&c, &d, at(4, 1, 0), msg,
	    sizeof(msg)), CONFLICT);
	assert_non_null(strstr(msg, "is over"));
	/* A swap: the other person's shift counts too. */
	d.kind = KD(SWAP);
	d.date = 20261205;
	d.other_date = 20261203;
	d.other_shift = "morning";
	assert_int_equal(duty_check_ahead(&c, &d, at(3, 9, 0), msg,
	    sizeof(msg)), CONFLICT);
	assert_int_equal(duty_check_ahead(&c, &d, at(3, 7, 0), msg,
	    sizeof(msg)), OK);
	d.kind = KD(STANDIN);
	d.to_ms = at(3, 12, 0);
	assert_int_equal(duty_check_ahead(&c, &d, at(3, 11, 0), msg,
	    sizeof(msg)), OK);
	assert_int_equal(duty_check_ahead(&c, &d, at(3, 12, 0), msg,
	    sizeof(msg)), CONFLICT);
}

/* A stand-in of `who` for `for_` on the morning of 2026-12-03. */
static Deskd__DutyRequest
standin(uint64_t id, const char *who, const char *for_, int from_h,
    int to_h, Deskd__DutyStatus status)
{
	Deskd__DutyRequest d = DESKD__DUTY_REQUEST__INIT;

	d.id = id;
	d.kind = KD(STANDIN);
	d.requester = (char *)who;
	d.other = (char *)for_;
	d.date = 20261203;
	d.shift = "morning";
	d.from_ms = at(3, from_h, 0);
	d.to_ms = at(3, to_h, 0);
	d.status = status;
	return d;
}

/* A8: 4 hours per person and shift across requests; the same hours not
 * twice; an approved stand-in moves the holder's start or end. */
static void
test_standins(void **state)
{
	Deskd__DutyRequest a = standin(1, "li", "wang", 8, 12, SD(APPROVED)),
	    gone = standin(2, "li", "wang", 12, 14, SD(REJECTED)),
	    d = standin(0, "li", "wang", 12, 15, SD(PENDING));
	Deskd__DutyRequest *v[] = { &a, &gone };
	int64_t start = at(3, 8, 0), end = at(3, 16, 0);

	(void)state;
	setenv("TZ", "Asia/Shanghai", 1);
	tzset();
	assert_int_equal(duty_check_standins(&d, v, 2, msg, sizeof(msg)),
	    CONFLICT);
	assert_non_null(strstr(msg, "420 min in all"));
	d.requester = "zhao";
	assert_int_equal(duty_check_standins(&d, v, 2, msg, sizeof(msg)), OK);
	d.from_ms = at(3, 11, 0);
	assert_int_equal(duty_check_standins(&d, v, 2, msg, sizeof(msg)),
	    CONFLICT);
	assert_non_null(strstr(msg, "request 1 already covers wang"));
	/* wang is due at 12:00, after li's 08:00-12:00. */
	duty_uncovered(v, 2, "wang", 20261203, "morning", &start, &end);
	assert_true(start == at(3, 12, 0) && end == at(3, 16, 0));
	/* Another, approved, to the end: wang may leave at 14:00. */
	gone = standin(2, "zhao", "wang", 14, 16, SD(APPROVED));
	start = at(3, 8, 0);
	duty_uncovered(v, 2, "wang", 20261203, "morning", &start, &end);
	assert_true(start == at(3, 12, 0) && end == at(3, 14, 0));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dates),
		cmocka_unit_test(test_standin),
		cmocka_unit_test(test_swap_leave_post),
		cmocka_unit_test(test_steps),
		cmocka_unit_test(test_shift_at),
		cmocka_unit_test(test_ahead),
		cmocka_unit_test(test_standins),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
