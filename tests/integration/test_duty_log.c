/*
 * test_duty_log.c - the duty log and its signatures (issue 4: B3, B7, B8,
 * B9) against a real deskd over TLS.  The server's clock is moved
 * (--now-offset) to 2031-03-15 12:00 in Asia/Shanghai, in the morning shift,
 * so the days are known.  The spot-check draw is recomputed here from its
 * recorded seed with the algorithm PROTOCOL.md documents, independently of
 * the server's code.
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
#define TODAY		20310315u
#define MONTH		203103u
#define PREV		203102u

static struct server_proc srv;
static char offset[32];
static const char *flags[4];

static int
setup(void **state)
{
	struct tm tm = { .tm_year = 2031 - 1900, .tm_mon = 2, .tm_mday = 15,
	    .tm_hour = 4 };	/* 12:00 in Shanghai */

	(void)state;
	snprintf(offset, sizeof(offset), "%lldms",
	    (long long)((int64_t)timegm(&tm) * 1000 - h_wall_ms()));
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

static Deskd__Response *
log_add(struct desk *d, const char *text, const char *record, uint32_t day,
    Deskd__Status want)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__DutyLogAdd a = DESKD__DUTY_LOG_ADD__INIT;

	a.text = (char *)text;
	a.record = (char *)record;
	a.day = day;
	req.body_case = DESKD__REQUEST__BODY_LOG_ADD;
	req.log_add = &a;
	return h_expect(d, &req, want);
}

static Deskd__Response *
log_sign(struct desk *d, uint32_t day, uint32_t month, Deskd__Status want)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__DutyLogSign s = DESKD__DUTY_LOG_SIGN__INIT;

	s.day = day;
	s.month = month;
	req.body_case = DESKD__REQUEST__BODY_LOG_SIGN;
	req.log_sign = &s;
	return h_expect(d, &req, want);
}

static Deskd__Response *
spot(struct desk *d, Deskd__Request__BodyCase body, uint32_t month,
    uint32_t day, Deskd__Status want)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__SpotCheckDraw dr = DESKD__SPOT_CHECK_DRAW__INIT;
	Deskd__SpotCheckSign sg = DESKD__SPOT_CHECK_SIGN__INIT;
	Deskd__SpotCheckReport rp = DESKD__SPOT_CHECK_REPORT__INIT;

	dr.month = sg.month = rp.month = month;
	sg.day = day;
	req.body_case = body;
	req.spot_draw = &dr;	/* the union: set the one that is sent */
	if (body == DESKD__REQUEST__BODY_SPOT_SIGN)
		req.spot_sign = &sg;
	else if (body == DESKD__REQUEST__BODY_SPOT_REPORT)
		req.spot_report = &rp;
	return h_expect(d, &req, want);
}

/* B3: entries of the shift in progress; bad input is refused. */
static void
test_entries(void **state)
{
	struct desk *d = h_login(&srv, "cl", "cl-pass-12345");
	Deskd__Response *r;

	(void)state;
	r = log_add(d, "3-2-1201 楼上漏水, 已派工程", "complaint:1", 0, ST(OK));
	assert_int_equal(r->body_case, DESKD__RESPONSE__BODY_LOG_ENTRY);
	assert_int_equal(r->log_entry->day, TODAY);
	assert_string_equal(r->log_entry->shift, "morning");
	assert_string_equal(r->log_entry->author, "cl");
	assert_false(r->log_entry->after_seal);
	h_free(r);
	h_free(log_add(d, "", "", 0, ST(INVALID_ARGUMENT)));
	h_free(log_add(d, "x", "bogus", 0, ST(INVALID_ARGUMENT)));
	h_free(log_add(d, "x", "", TODAY + 1, ST(INVALID_ARGUMENT)));
	h_free(log_add(d, "x", "", 20310230, ST(INVALID_ARGUMENT)));
	/* Ten earlier days of the month get a note each: 11 days in all. */
	for (uint32_t day = 1; day <= 10; day++) {
		r = log_add(d, "巡查正常", "", MONTH * 100 + day, ST(OK));
		assert_int_equal(r->log_entry->day, MONTH * 100 + day);
		assert_false(r->log_entry->after_seal);
		h_free(r);
	}
	desk_close(d);
}

static Deskd__Event *
next_event(struct desk *w, const char *type)
{
	int64_t until = h_now_ms() + 5000;
	struct desk_frame f;

	while (h_now_ms() < until && desk_recv(w, &f,
	    (int)(until - h_now_ms()) + 1) == DESK_OK) {
		if (f.event != NULL && strcmp(f.event->type, type) == 0) {
			Deskd__Event *e = f.event;

			f.event = NULL;
			desk_frame_free(&f);
			return e;
		}
		desk_frame_free(&f);
	}
	return NULL;
}

/* B7: the team lead signs a day once; the seal is the log as it stood; a
 * later entry to the day is new and flagged.  B8 likewise for the month. */
static void
test_sign(void **state)
{
	struct desk *cl = h_login(&srv, "cl", "cl-pass-12345");
	struct desk *sue = h_login(&srv, "sue", "sue-pass-12345");
	struct desk *w = h_login(&srv, ADMIN_USER, ADMIN_PASS);
	const char *types[] = { "dutylog." };
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__DutyLogGet g = DESKD__DUTY_LOG_GET__INIT;
	Deskd__Response *r;
	Deskd__Event *e;
	uint64_t sealed;
	uint32_t d10 = MONTH * 100 + 10;

	(void)state;
	assert_int_equal(desk_subscribe(w, 0, types, 1, NULL), DESK_OK);
	h_free(log_sign(cl, d10, 0, ST(PERMISSION_DENIED)));
	h_free(log_sign(sue, 0, 0, ST(INVALID_ARGUMENT)));
	h_free(log_sign(sue, TODAY + 1, 0, ST(INVALID_ARGUMENT)));
	/* B7: today's evening and night shifts are still to come. */
	h_free(log_sign(sue, TODAY, 0, ST(CONFLICT)));
	r = log_sign(sue, d10, 0, ST(OK));
	assert_int_equal(r->body_case, DESKD__RESPONSE__BODY_SEAL);
	assert_string_equal(r->seal->scope, "day");
	assert_string_equal(r->seal->signed_by, "sue");
	assert_int_equal(r->seal->entries, 1);
	assert_int_equal(r->seal->hash.len, 32);
	assert_true(r->seal->seq > 0);
	sealed = r->seal->seq;
	h_free(r);
	/* The seal is the event log up to, not including, the signature. */
	assert_non_null(e = next_event(w, "dutylog.day_signed"));
	assert_int_equal(e->seq, sealed + 1);
	assert_non_null(e->duty_log);
	assert_int_equal(e->duty_log->seal->seq, sealed);
	deskd__event__free_unpacked(e, NULL);
	/* Signing twice. */
	h_free(log_sign(sue, d10, 0, ST(CONFLICT)));
	/* A change to the sealed day: a new entry, flagged. */
	r = log_add(cl, "补记: 10日钥匙已归还", "", d10, ST(OK));
	assert_true(r->log_entry->after_seal);
	assert_int_equal(r->log_entry->sealed_seq, sealed);
	h_free(r);
	assert_non_null(e = next_event(w, "dutylog.added_after_seal"));
	deskd__event__free_unpacked(e, NULL);
	g.day = d10;
	req.body_case = DESKD__REQUEST__BODY_LOG_GET;
	req.log_get = &g;
	r = h_expect(cl, &req, ST(OK));
	assert_int_equal(r->log_day->n_entries, 2);
	assert_false(r->log_day->entries[0]->after_seal);
	assert_true(r->log_day->entries[1]->after_seal);
	assert_non_null(r->log_day->seal);
	assert_null(r->log_day->month_seal);
	h_free(r);
	/* B8: the month, once it is over, and once; a month that has not
	 * begun is refused, and so is this one, half done: its later entries
	 * would all be "after signature". */
	h_free(log_sign(sue, 0, MONTH + 1, ST(INVALID_ARGUMENT)));
	h_free(log_sign(sue, 0, MONTH, ST(CONFLICT)));
	r = log_add(cl, "巡查正常", "", PREV * 100 + 28, ST(OK));
	assert_false(r->log_entry->after_seal);
	h_free(r);
	r = log_sign(sue, 0, PREV, ST(OK));
	assert_string_equal(r->seal->scope, "month");
	assert_int_equal(r->seal->entries, 1);
	h_free(r);
	h_free(log_sign(sue, 0, PREV, ST(CONFLICT)));
	r = log_add(cl, "补记: 2月5日", "", PREV * 100 + 5, ST(OK));
	assert_true(r->log_entry->after_seal);
	h_free(r);
	r = log_add(cl, "补记: 5日", "", MONTH * 100 + 5, ST(OK));
	assert_false(r->log_entry->after_seal);
	h_free(r);
	desk_close(w);
	desk_close(sue);
	desk_close(cl);
}

/* The documented draw (PROTOCOL.md), written again here. */
static uint64_t
splitmix64(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static int
cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* B9: the director draws ceil(20%) of the month's logged days once the
 * month is over, reproducibly, and signs each once; days logged after the
 * draw top it up, and what was drawn stays drawn. */
static void
test_spot_check(void **state)
{
	struct desk *cl = h_login(&srv, "cl", "cl-pass-12345");
	struct desk *sue = h_login(&srv, "sue", "sue-pass-12345");
	struct desk *dan = h_login(&srv, "dan", "dan-pass-12345");
	Deskd__Response *r;
	Deskd__SpotCheck *sc;
	uint32_t c[31], first, other = 0;
	uint64_t s;
	size_t n, k;

	(void)state;
	/* March runs to the 31st: drawn now, it would miss the days still
	 * to be logged, and a redraw is refused. */
	h_free(spot(dan, DESKD__REQUEST__BODY_SPOT_DRAW, MONTH, 0,
	    ST(CONFLICT)));
	h_free(spot(dan, DESKD__REQUEST__BODY_SPOT_REPORT, MONTH, 0,
	    ST(NOT_FOUND)));
	/* February is over: days 1-10 and 28 have a duty log. */
	for (uint32_t day = 1; day <= 10; day++)
		h_free(log_add(cl, "巡查正常", "", PREV * 100 + day, ST(OK)));
	h_free(spot(sue, DESKD__REQUEST__BODY_SPOT_DRAW, PREV, 0,
	    ST(PERMISSION_DENIED)));
	h_free(spot(dan, DESKD__REQUEST__BODY_SPOT_REPORT, PREV, 0,
	    ST(NOT_FOUND)));
	r = spot(dan, DESKD__REQUEST__BODY_SPOT_DRAW, PREV, 0, ST(OK));
	sc = r->spot_check;
	assert_int_equal(sc->n_candidates, 11);
	assert_int_equal(sc->candidates[0], PREV * 100 + 1);
	assert_int_equal(sc->candidates[10], PREV * 100 + 28);
	n = sc->n_candidates;
	k = (n * 20 + 99) / 100;
	assert_int_equal(sc->n_selected, k);
	assert_int_equal(k, 3);
	memcpy(c, sc->candidates, n * sizeof(*c));
	s = sc->seed;
	for (size_t i = 0; i < k; i++) {
		size_t j = i + (size_t)(splitmix64(&s) % (n - i));
		uint32_t t = c[i];

		c[i] = c[j];
		c[j] = t;
	}
	qsort(c, k, sizeof(*c), cmp_u32);
	for (size_t i = 0; i < k; i++)
		assert_int_equal(sc->selected[i], c[i]);
	first = sc->selected[0];
	for (size_t i = 0; i < n && other == 0; i++) {
		other = sc->candidates[i];
		for (size_t j = 0; j < k; j++)
			if (sc->selected[j] == other)
				other = 0;
	}
	h_free(r);
	h_free(spot(dan, DESKD__REQUEST__BODY_SPOT_DRAW, PREV, 0,
	    ST(CONFLICT)));
	h_free(spot(dan, DESKD__REQUEST__BODY_SPOT_SIGN, PREV, other,
	    ST(INVALID_ARGUMENT)));
	h_free(spot(sue, DESKD__REQUEST__BODY_SPOT_SIGN, PREV, first,
	    ST(PERMISSION_DENIED)));
	r = spot(dan, DESKD__REQUEST__BODY_SPOT_SIGN, PREV, first, ST(OK));
	assert_int_equal(r->spot_check->n_signs, 1);
	assert_int_equal(r->spot_check->signs[0]->period, first);
	assert_string_equal(r->spot_check->signs[0]->signed_by, "dan");
	h_free(r);
	h_free(spot(dan, DESKD__REQUEST__BODY_SPOT_SIGN, PREV, first,
	    ST(CONFLICT)));
	r = spot(sue, DESKD__REQUEST__BODY_SPOT_REPORT, PREV, 0, ST(OK));
	assert_int_equal(r->spot_check->n_signs, 1);
	assert_int_equal(r->spot_check->n_selected, 3);
	memcpy(c, r->spot_check->selected, k * sizeof(*c));
	s = r->spot_check->seed;
	h_free(r);

	/* Late notes to five more days of February: 16 days want 4 drawn.
	 * The three drawn stay drawn (one is signed); the documented top-up
	 * picks the fourth among the others, in the order the days joined. */
	for (uint32_t day = 11; day <= 15; day++) {
		h_free(log_add(cl, "补记", "", PREV * 100 + day, ST(OK)));
		h_free(log_add(cl, "补记", "", PREV * 100 + day, ST(OK)));
	}
	r = spot(dan, DESKD__REQUEST__BODY_SPOT_REPORT, PREV, 0, ST(OK));
	sc = r->spot_check;
	assert_int_equal(sc->n_candidates, 16);
	assert_int_equal(sc->candidates[15], PREV * 100 + 15);
	assert_int_equal(sc->n_selected, 4);
	assert_int_equal(sc->n_signs, 1);
	{
		uint64_t st = s ^ (uint64_t)16 << 32;
		size_t pick = (size_t)(splitmix64(&st) % (16 - 3));
		uint32_t want = 0;

		for (size_t i = 0; i < 16 && want == 0; i++) {
			int drawn = 0;

			for (size_t j = 0; j < 3; j++)
				drawn |= c[j] == sc->candidates[i];
			if (!drawn && pick-- == 0)
				want = sc->candidates[i];
		}
		c[3] = want;
	}
	qsort(c, 4, sizeof(*c), cmp_u32);
	for (size_t i = 0; i < 4; i++)
		assert_int_equal(sc->selected[i], c[i]);
	h_free(r);
	desk_close(dan);
	desk_close(sue);
	desk_close(cl);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_entries),
		cmocka_unit_test(test_sign),
		cmocka_unit_test(test_spot_check),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
