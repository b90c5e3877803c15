/*
 * test_duty_log_clocks.c - the duty log's deadline clocks (issue 4: B7,
 * B9) against a real deskd over TLS.  The server's clock starts at
 * 2031-03-15 12:00 in Asia/Shanghai and is moved on by restarting deskd
 * with a later --now-offset.
 *
 * B7: a day with an entry, or none, and no team lead's signature raises
 * one alert to the supervisor the next morning at 09:00; signing clears
 * it; a day signed once its shifts are over raises nothing, and one still
 * running cannot be signed; the days deskd was down are reminded too.  B9: the month is drawn after it ends, and 7
 * days later a spot check short of 20 % alerts the director; one that
 * reached it does not.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "harness.h"

#define ST(x)		DESKD__STATUS__##x
#define DAY_CLOCK	"dutylog.day_unsigned"
#define SPOT_CLOCK	"spotcheck.coverage"

static struct server_proc srv;
static char offset[32];
static const char *flags[4];

/* The server's clock at 2031-MM-DD HH:MM in Shanghai (UTC+8). */
static void
set_offset(int mon, int day, int hour, int min)
{
	struct tm tm = { .tm_year = 2031 - 1900, .tm_mon = mon - 1,
	    .tm_mday = day, .tm_hour = hour - 8, .tm_min = min };

	snprintf(offset, sizeof(offset), "%lldms",
	    (long long)((int64_t)timegm(&tm) * 1000 - h_wall_ms()));
}

static int
setup(void **state)
{
	(void)state;
	setenv("TZ", "Asia/Shanghai", 1);
	tzset();
	set_offset(3, 15, 12, 0);
	flags[0] = "--now-offset";
	flags[1] = offset;
	flags[2] = NULL;
	srv_setup(&srv, flags);
	h_add_user(&srv, "cl", "clerk", "cl-pass-12345");
	h_add_user(&srv, "sue", "supervisor", "sue-pass-12345");
	h_add_user(&srv, "dan", "director", "dan-pass-12345");
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	srv_teardown(&srv);
	return 0;
}

static void
restart_at(int mon, int day, int hour, int min)
{
	srv_stop(&srv);
	set_offset(mon, day, hour, min);
	srv_start(&srv);
}

static Deskd__Status
log_sign_status(struct desk *d, uint32_t day)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__DutyLogSign s = DESKD__DUTY_LOG_SIGN__INIT;
	char msg[256];

	s.day = day;
	req.body_case = DESKD__REQUEST__BODY_LOG_SIGN;
	req.log_sign = &s;
	return h_call_status(d, &req, msg, sizeof(msg));
}

static void
log_sign(struct desk *d, uint32_t day)
{
	assert_int_equal(log_sign_status(d, day), ST(OK));
}

/* Draw the month's spot check and sign `nsign` of the drawn days. */
static void
spot_sign(struct desk *dan, uint32_t month, size_t nsign)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__SpotCheckDraw dr = DESKD__SPOT_CHECK_DRAW__INIT;
	Deskd__SpotCheckSign sg = DESKD__SPOT_CHECK_SIGN__INIT;
	Deskd__Response *r;
	uint32_t sel[31];
	size_t k;

	dr.month = month;
	req.body_case = DESKD__REQUEST__BODY_SPOT_DRAW;
	req.spot_draw = &dr;
	r = h_expect(dan, &req, ST(OK));
	k = r->spot_check->n_selected;
	assert_true(k >= nsign && k <= 31);
	memcpy(sel, r->spot_check->selected, k * sizeof(*sel));
	h_free(r);
	for (size_t i = 0; i < nsign; i++) {
		sg.month = month;
		sg.day = sel[i];
		req.body_case = DESKD__REQUEST__BODY_SPOT_SIGN;
		req.spot_sign = &sg;
		h_expect_free(dan, &req, ST(OK));
	}
}

/* How many alerts (open_only: open ones) of `clock` on `record`; the last
 * one's state and role in *state, role (if not NULL). */
static size_t
alerts(struct desk *d, const char *record, const char *clock, bool open_only,
    Deskd__AlertState *state, char *role, size_t rolelen)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__AlertList q = DESKD__ALERT_LIST__INIT;
	Deskd__Response *r;
	size_t n = 0;

	q.open_only = open_only;
	q.limit = 500;
	req.body_case = DESKD__REQUEST__BODY_ALERT_LIST;
	req.alert_list = &q;
	r = h_expect(d, &req, ST(OK));
	for (size_t i = 0; i < r->alert_list->n_alerts; i++) {
		const Deskd__Alert *a = r->alert_list->alerts[i];

		if (strcmp(a->record, record) != 0 ||
		    strcmp(a->clock, clock) != 0)
			continue;
		n++;
		if (state != NULL)
			*state = a->state;
		if (role != NULL)
			snprintf(role, rolelen, "%s", a->role);
	}
	h_free(r);
	return n;
}

/* Wait (up to 5 s) for the clock engine to raise an open alert. */
static size_t
wait_open(struct desk *d, const char *record, const char *clock, char *role,
    size_t rolelen)
{
	int64_t until = h_now_ms() + 5000;
	size_t n;

	while ((n = alerts(d, record, clock, true, NULL, role, rolelen)) == 0 &&
	    h_now_ms() < until)
		h_sleep_ms(50);
	return n;
}

/* Restarted at 2031-MM-DD HH:MM, the clock engine given a second: no
 * alert of `clock` on `record` at all. */
static void
quiet_at(int mon, int day, int hour, int min, const char *user,
    const char *pw, const char *record, const char *clock)
{
	struct desk *d;

	restart_at(mon, day, hour, min);
	d = h_login(&srv, user, pw);
	h_sleep_ms(1000);
	assert_int_equal(alerts(d, record, clock, false, NULL, NULL, 0), 0);
	desk_close(d);
}

/* Restarted at 2031-MM-DD HH:MM: one open alert of `clock` on `record`,
 * addressed to `role`; the desk of `user`, logged in, for more. */
static struct desk *
alerted_at(int mon, int day, int hour, int min, const char *user,
    const char *pw, const char *record, const char *clock, const char *role)
{
	struct desk *d;
	char got[32];

	restart_at(mon, day, hour, min);
	d = h_login(&srv, user, pw);
	assert_int_equal(wait_open(d, record, clock, got, sizeof(got)), 1);
	assert_string_equal(got, role);
	return d;
}

/* B7: the next morning an unsigned day alerts the team lead; signing
 * clears it; a day signed in time raises nothing. */
static void
test_day_unsigned(void **state)
{
	struct desk *cl = h_login(&srv, "cl", "cl-pass-12345");
	struct desk *sue = h_login(&srv, "sue", "sue-pass-12345");
	Deskd__AlertState st;
	char role[32];

	(void)state;
	h_log_add(cl, 20310315);
	h_log_add(cl, 20310315);		/* the second entry re-arms nothing */
	log_sign(sue, 20310313);
	h_log_add(cl, 20310313);		/* signed already: no clock */
	/* Not due before 09:00 tomorrow. */
	h_sleep_ms(300);
	assert_int_equal(alerts(sue, "dutylog:20310315", DAY_CLOCK, false,
	    NULL, NULL, 0), 0);
	desk_close(cl);
	desk_close(sue);

	restart_at(3, 16, 9, 30);
	sue = h_login(&srv, "sue", "sue-pass-12345");
	assert_int_equal(wait_open(sue, "dutylog:20310315", DAY_CLOCK, role,
	    sizeof(role)), 1);
	assert_string_equal(role, "supervisor");
	assert_int_equal(alerts(sue, "dutylog:20310315", DAY_CLOCK, false,
	    NULL, NULL, 0), 1);
	assert_int_equal(alerts(sue, "dutylog:20310313", DAY_CLOCK, false,
	    NULL, NULL, 0), 0);
	/* Signing clears it. */
	log_sign(sue, 20310315);
	assert_int_equal(alerts(sue, "dutylog:20310315", DAY_CLOCK, true,
	    NULL, NULL, 0), 0);
	assert_int_equal(alerts(sue, "dutylog:20310315", DAY_CLOCK, false,
	    &st, NULL, 0), 1);
	assert_int_equal(st, DESKD__ALERT_STATE__ALERT_CLEARED);
	/* Today's log is not signed while its shifts still run (B7). */
	cl = h_login(&srv, "cl", "cl-pass-12345");
	h_log_add(cl, 20310316);
	assert_int_equal(log_sign_status(sue, 20310316), ST(CONFLICT));
	desk_close(cl);
	desk_close(sue);

	/* Signed after its last shift, before the next morning: nothing. */
	restart_at(3, 17, 0, 30);
	sue = h_login(&srv, "sue", "sue-pass-12345");
	log_sign(sue, 20310316);
	desk_close(sue);

	quiet_at(3, 17, 9, 30, "sue", "sue-pass-12345", "dutylog:20310316",
	    DAY_CLOCK);

	/* The 17th has no entry at all: it is reminded all the same. */
	sue = alerted_at(3, 18, 9, 30, "sue", "sue-pass-12345",
	    "dutylog:20310317", DAY_CLOCK, "supervisor");
	log_sign(sue, 20310317);
	assert_int_equal(alerts(sue, "dutylog:20310317", DAY_CLOCK, true,
	    NULL, NULL, 0), 0);
	desk_close(sue);

	/* deskd down from the 18th to the 22nd: the days it missed, with no
	 * entry and no shift change seen, are reminded all the same. */
	sue = alerted_at(3, 22, 9, 30, "sue", "sue-pass-12345",
	    "dutylog:20310321", DAY_CLOCK, "supervisor");
	for (uint32_t day = 20310318; day <= 20310320; day++) {
		char record[32];

		snprintf(record, sizeof(record), "dutylog:%u", (unsigned)day);
		assert_int_equal(alerts(sue, record, DAY_CLOCK, true, NULL,
		    NULL, 0), 1);
	}
	desk_close(sue);
}

/* B9: February ended over a week ago and nothing is signed: the director
 * is alerted at once, and reaching 20 % clears it.  March cannot be drawn
 * before it ends; drawn and signed in April's first week, it raises no
 * alert when its clock comes due.  April, never drawn, alerts on 8 May. */
static void
test_spot_coverage(void **state)
{
	struct desk *cl = h_login(&srv, "cl", "cl-pass-12345");
	struct desk *dan = h_login(&srv, "dan", "dan-pass-12345");
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__SpotCheckDraw dr = DESKD__SPOT_CHECK_DRAW__INIT;
	char role[32], msg[256];

	(void)state;
	for (uint32_t day = 20310201; day <= 20310205; day++)
		h_log_add(cl, day);
	assert_int_equal(wait_open(dan, "dutylog:203102", SPOT_CLOCK, role,
	    sizeof(role)), 1);
	assert_string_equal(role, "director");
	/* 5 days: ceil(20 %) is 1. */
	spot_sign(dan, 203102, 1);
	assert_int_equal(alerts(dan, "dutylog:203102", SPOT_CLOCK, true, NULL,
	    NULL, 0), 0);
	/* March is still running: its whole month is drawn after it. */
	dr.month = 203103;
	req.body_case = DESKD__REQUEST__BODY_SPOT_DRAW;
	req.spot_draw = &dr;
	assert_int_equal(h_call_status(dan, &req, msg, sizeof(msg)),
	    ST(CONFLICT));
	assert_non_null(strstr(msg, "after its last shift ends at 2031-04-01 "
	    "00:00"));
	desk_close(cl);
	desk_close(dan);

	/* April: a log, and March (13, 15, 16 have one) drawn and 1 of 3
	 * signed: 20 %. */
	restart_at(4, 2, 10, 0);
	cl = h_login(&srv, "cl", "cl-pass-12345");
	dan = h_login(&srv, "dan", "dan-pass-12345");
	h_log_add(cl, 20310402);
	spot_sign(dan, 203103, 1);
	desk_close(cl);
	desk_close(dan);

	/* 7 days after March: covered, no alert. */
	quiet_at(4, 8, 9, 30, "dan", "dan-pass-12345", "dutylog:203103",
	    SPOT_CLOCK);

	/* Not before April's 7 days are up... */
	quiet_at(5, 7, 23, 30, "dan", "dan-pass-12345", "dutylog:203104",
	    SPOT_CLOCK);

	/* ...then April is short. */
	dan = alerted_at(5, 8, 0, 30, "dan", "dan-pass-12345",
	    "dutylog:203104", SPOT_CLOCK, "director");
	assert_int_equal(alerts(dan, "dutylog:203103", SPOT_CLOCK, false,
	    NULL, NULL, 0), 0);
	desk_close(dan);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_day_unsigned),
		cmocka_unit_test(test_spot_coverage),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
