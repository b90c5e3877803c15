/*
 * test_handover.c - shift change and handover (issue 4: A6, B2-B6, H2)
 * against a real deskd over TLS.  The server's clock is moved (--now-offset)
 * to just before the next shift boundary; the boundaries of the default
 * shifts in Asia/Shanghai (08:00, 16:00, 24:00) are the multiples of 8 h
 * UTC, so the test can compute them without a time zone.
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

#define EIGHT_H		((int64_t)8 * 3600 * 1000)
#define SA(x)		DESKD__HANDOVER_ACTION__HANDOVER_##x
#define ST(x)		DESKD__STATUS__##x

static struct server_proc srv;
static char offset[32];
static const char *flags[16];
static int64_t boundary;	/* the first boundary the test crosses */
/* The schedule: the shift's index names its person (A6 order), at the
 * front desk and at the garage. */
static const char *const people[] = { "mo", "eve", "nite" };
static const char *const garage[] = { "gmo", "geve", "gnite" };

static const char *pw(const char *user);

static void
set_offset(int64_t at_ms)
{
	snprintf(offset, sizeof(offset), "%lldms",
	    (long long)(at_ms - h_wall_ms()));
}

static void
start_flags(void)
{
	flags[0] = "--now-offset";
	flags[1] = offset;
	flags[2] = "--handover-items";
	flags[3] = "computer:1,keys:2";
	flags[4] = "--clock";
	flags[5] = "handover.unsigned=5s";
	flags[6] = "--posts";
	flags[7] = "front,garage";
	/* Long enough to run past the handover, short enough to wait for. */
	flags[8] = "--clock";
	flags[9] = "complaint.reply_due=25s";
	flags[10] = NULL;
}

/* Both posts' people, every day of the month. */
static void
publish(struct desk *d, uint32_t month)
{
	const char *const *posts[] = { people, garage };

	h_publish_posts(d, month, posts, 2);
}

static int
setup(void **state)
{
	struct desk *d;
	int64_t now = h_wall_ms();

	(void)state;
	boundary = (now / EIGHT_H + 1) * EIGHT_H;
	set_offset(boundary - 4000);
	start_flags();
	srv_setup(&srv, flags);
	h_add_user(&srv, "mo", "clerk", "mo-pass-12345");
	h_add_user(&srv, "eve", "clerk", "eve-pass-12345");
	h_add_user(&srv, "nite", "clerk", "nite-pass-12345");
	h_add_user(&srv, "sue", "supervisor", "sue-pass-12345");
	for (int i = 0; i < 3; i++)
		h_add_user(&srv, garage[i], "clerk", pw(garage[i]));
	d = h_login(&srv, ADMIN_USER, ADMIN_PASS);
	publish(d, h_month_of(boundary));
	if (h_month_of(boundary - EIGHT_H) != h_month_of(boundary))
		publish(d, h_month_of(boundary - EIGHT_H));
	/* B3: open work is listed in the handover automatically: the
	 * admin is on no post, so complaint 1 is pending at every post... */
	assert_true(h_complaint(d, "3-2-1201", "楼上漏水", NULL) > 0);
	desk_close(d);
	/* ...while complaint 2 is the garage's: recorded there by the person
	 * on duty (the shift before the boundary; 00:00 UTC is 08:00 here). */
	d = h_login(&srv, garage[(boundary % (3 * EIGHT_H) / EIGHT_H + 2) % 3],
	    pw(garage[(boundary % (3 * EIGHT_H) / EIGHT_H + 2) % 3]));
	assert_true(h_complaint(d, "B2-017", "车位被占", NULL) > 0);
	desk_close(d);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	srv_teardown(&srv);
	return 0;
}

static const char *
pw(const char *user)
{
	static char buf[64];

	snprintf(buf, sizeof(buf), "%s-pass-12345", user);
	return buf;
}

/* The next event of a type (prefix) about `record` ("" any), or NULL. */
static Deskd__Event *
next_event(struct desk *w, const char *type, const char *record, int ms)
{
	int64_t until = h_now_ms() + ms;
	struct desk_frame f;

	while (h_now_ms() < until && desk_recv(w, &f,
	    (int)(until - h_now_ms()) + 1) == DESK_OK) {
		if (f.event != NULL && strcmp(f.event->type, type) == 0 &&
		    (*record == '\0' || strcmp(f.event->record, record) == 0)) {
			Deskd__Event *e = f.event;

			f.event = NULL;
			desk_frame_free(&f);
			return e;
		}
		desk_frame_free(&f);
	}
	return NULL;
}

/* The next alert event of a type about `record` ("handover:3"). */
static Deskd__Event *
next_alert(struct desk *w, const char *type, const char *record, int ms)
{
	int64_t until = h_now_ms() + ms;
	Deskd__Event *e;

	while ((e = next_event(w, type, "", (int)(until - h_now_ms()))) !=
	    NULL && strcmp(e->alert->record, record) != 0)
		deskd__event__free_unpacked(e, NULL);
	return e;
}

static struct desk *
watcher(void)
{
	struct desk *w = h_login(&srv, ADMIN_USER, ADMIN_PASS);
	const char *types[] = { "shift.", "handover.", "alert." };

	assert_int_equal(desk_subscribe(w, 0, types, 3, NULL), DESK_OK);
	return w;
}

static Deskd__Status
step(const char *user, uint64_t id, Deskd__HandoverAction action,
    const char *name, uint32_t count, const char *text, bool important,
    uint32_t n, const char *side)
{
	struct desk *d = h_login(&srv, user, strcmp(user, ADMIN_USER) == 0 ?
	    ADMIN_PASS : pw(user));
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__HandoverStep s = DESKD__HANDOVER_STEP__INIT;
	char msg[256];
	Deskd__Status st;

	s.id = id;
	s.action = action;
	s.name = (char *)(name ? name : "");
	s.count = count;
	s.text = (char *)(text ? text : "");
	s.important = important;
	s.n = n;
	s.side = (char *)(side ? side : "");
	req.body_case = DESKD__REQUEST__BODY_HANDOVER_STEP;
	req.handover_step = &s;
	st = h_call_status(d, &req, msg, sizeof(msg));
	desk_close(d);
	return st;
}

static Deskd__Handover *
get(uint64_t id)
{
	struct desk *d = h_login(&srv, "sue", pw("sue"));
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__HandoverGet g = DESKD__HANDOVER_GET__INIT;
	Deskd__Response *resp = NULL;
	Deskd__Handover *h;

	g.id = id;
	req.body_case = DESKD__REQUEST__BODY_HANDOVER_GET;
	req.handover_get = &g;
	assert_int_equal(desk_call(d, &req, &resp), DESK_OK);
	h = resp->handover;
	resp->handover = NULL;
	resp->body_case = DESKD__RESPONSE__BODY__NOT_SET;
	deskd__response__free_unpacked(resp, NULL);
	desk_close(d);
	return h;
}

static int
shift_of(const char *name)
{
	for (int i = 0; i < 3; i++)
		if (strcmp(people[i], name) == 0)
			return i;
	return -1;
}

static void
test_boundary_and_handover(void **state)
{
	struct desk *w = watcher();
	Deskd__Event *e;
	Deskd__Handover *h;
	uint64_t id;
	char rec[32], out[32], in[32];

	(void)state;
	/* A6: the boundary passes: every post, who goes off, who comes on. */
	e = next_event(w, "shift.changed", "", 10000);
	assert_non_null(e);
	assert_non_null(e->shift);
	assert_int_equal(e->shift->boundary_ms, boundary);
	assert_true(e->shift->late_ms < 1500);
	assert_int_equal(e->shift->n_posts, 2);
	assert_string_equal(e->shift->posts[0]->post, "front");
	assert_string_equal(e->shift->posts[1]->post, "garage");
	snprintf(out, sizeof(out), "%s", e->shift->posts[0]->off);
	snprintf(in, sizeof(in), "%s", e->shift->posts[0]->on);
	assert_int_equal((shift_of(out) + 1) % 3, shift_of(in));
	id = e->shift->posts[0]->handover_id;
	assert_true(id > 0);
	h = get(0);
	assert_int_equal(h->id, id);
	assert_string_equal(h->outgoing, out);
	assert_string_equal(h->incoming, in);
	assert_int_equal(h->n_items, 2);
	assert_int_equal(h->n_pending, 1);
	assert_string_equal(h->pending[0]->record, "complaint:1");
	deskd__handover__free_unpacked(h, NULL);
	/* B3: the garage's own complaint is pending at the garage only. */
	h = get(e->shift->posts[1]->handover_id);
	assert_string_equal(h->post, "garage");
	assert_int_equal(h->n_pending, 2);
	assert_string_equal(h->pending[0]->record, "complaint:1");
	assert_string_equal(h->pending[1]->record, "complaint:2");
	deskd__handover__free_unpacked(h, NULL);

	/* H2: unsigned 5 s after the boundary: the supervisor hears. */
	snprintf(rec, sizeof(rec), "handover:%llu", (unsigned long long)id);
	deskd__event__free_unpacked(e, NULL);
	e = next_alert(w, "alert.raised", rec, 10000);
	assert_non_null(e);
	assert_string_equal(e->alert->record, rec);
	assert_string_equal(e->alert->role, "supervisor");
	deskd__event__free_unpacked(e, NULL);

	/* B5: the incoming person cannot sign first, nor the other side. */
	assert_int_equal(step(in, id, SA(SIGN), NULL, 0, NULL, false, 0, NULL),
	    ST(CONFLICT));
	assert_int_equal(step(in, id, SA(SIGN), NULL, 0, NULL, false, 0, "out"),
	    ST(PERMISSION_DENIED));
	/* B6: important work open blocks the outgoing signature... */
	assert_int_equal(step(out, id, SA(PENDING_ADD), NULL, 0, "电梯困人回访",
	    true, 0, NULL), ST(OK));
	assert_int_equal(step(out, id, SA(SIGN), NULL, 0, NULL, false, 0, NULL),
	    ST(CONFLICT));
	/* ...unless a supervisor overrides, with a reason. */
	assert_int_equal(step(out, id, SA(OVERRIDE), NULL, 0, "急事", false, 0,
	    NULL), ST(PERMISSION_DENIED));
	assert_int_equal(step("sue", id, SA(OVERRIDE), NULL, 0, NULL, false, 0,
	    NULL), ST(INVALID_ARGUMENT));
	assert_int_equal(step("sue", id, SA(OVERRIDE), NULL, 0, "维修班已接手",
	    false, 0, NULL), ST(OK));
	/* B2: a difference needs an explanation. */
	assert_int_equal(step(in, id, SA(ITEM), "keys", 1, NULL, false, 0,
	    NULL), ST(INVALID_ARGUMENT));
	assert_int_equal(step(in, id, SA(ITEM), "keys", 1, "一把借给工程部",
	    false, 0, NULL), ST(OK));
	assert_int_equal(step(in, id, SA(ITEM), "pen", 1, NULL, false, 0,
	    NULL), ST(INVALID_ARGUMENT));
	assert_int_equal(step(in, id, SA(ANOMALY), NULL, 0, "大堂灯坏一盏",
	    false, 0, NULL), ST(OK));
	assert_int_equal(step(out, id, SA(PENDING_DONE), NULL, 0, NULL, false,
	    9, NULL), ST(NOT_FOUND));
	assert_int_equal(step(out, id, SA(SIGN), NULL, 0, NULL, false, 0, NULL),
	    ST(OK));
	/* Signing twice. */
	assert_int_equal(step(out, id, SA(SIGN), NULL, 0, NULL, false, 0, NULL),
	    ST(CONFLICT));
	/* B2: the incoming person counts everything before signing. */
	assert_int_equal(step(in, id, SA(SIGN), NULL, 0, NULL, false, 0, NULL),
	    ST(CONFLICT));
	assert_int_equal(step(in, id, SA(ITEM), "computer", 1, NULL, false, 0,
	    NULL), ST(OK));
	assert_int_equal(step(in, id, SA(SIGN), NULL, 0, NULL, false, 0, NULL),
	    ST(OK));
	/* The second signature clears the supervisor's alert. */
	e = next_alert(w, "alert.cleared", rec, 5000);
	assert_non_null(e);
	assert_string_equal(e->alert->record, rec);
	deskd__event__free_unpacked(e, NULL);
	assert_int_equal(step(in, id, SA(SIGN), NULL, 0, NULL, false, 0, NULL),
	    ST(CONFLICT));
	assert_int_equal(step(in, id, SA(ANOMALY), NULL, 0, "x", false, 0,
	    NULL), ST(CONFLICT));
	h = get(id);
	assert_int_equal(h->state, DESKD__HANDOVER_STATE__HANDOVER_CLOSED);
	assert_string_equal(h->override_by, "sue");
	assert_string_equal(h->override_reason, "维修班已接手");
	assert_string_equal(h->out_signed_by, out);
	assert_string_equal(h->in_signed_by, in);
	assert_int_equal(h->n_anomalies, 1);
	/* B5: the running reply clock of the post's complaint went to the
	 * incoming person with the second signature... */
	assert_int_equal(h->n_handed, 1);
	assert_string_equal(h->handed[0], "complaint:1 complaint.reply_due");
	deskd__handover__free_unpacked(h, NULL);
	/* ...so its breach, after the handover, is theirs. */
	e = next_alert(w, "alert.raised", "complaint:1", 40000);
	assert_non_null(e);
	assert_string_equal(e->alert->owner, in);
	deskd__event__free_unpacked(e, NULL);
	desk_close(w);
}

/* Count the shift.changed events for one boundary in the whole log. */
static int
count_changes(int64_t at)
{
	struct desk *w = watcher();
	Deskd__Event *e;
	int n = 0;

	while ((e = next_event(w, "shift.changed", "", 1500)) != NULL) {
		if (e->shift->boundary_ms == at)
			n++;
		deskd__event__free_unpacked(e, NULL);
	}
	desk_close(w);
	return n;
}

static void
test_boundary_while_down(void **state)
{
	int64_t next = boundary + EIGHT_H;
	struct desk *w;
	Deskd__Event *e;

	(void)state;
	/* Down across the next boundary: at the restart it is told once,
	 * marked late, and the handover is opened. */
	srv_stop(&srv);
	set_offset(next + 6000);
	srv_start(&srv);
	w = watcher();
	e = next_event(w, "shift.changed", "", 5000);
	while (e != NULL && e->shift->boundary_ms != next) {
		deskd__event__free_unpacked(e, NULL);
		e = next_event(w, "shift.changed", "", 5000);
	}
	assert_non_null(e);
	assert_true(e->shift->late_ms >= 5000);
	assert_true(e->shift->posts[0]->handover_id > 0);
	deskd__event__free_unpacked(e, NULL);
	desk_close(w);
	assert_int_equal(count_changes(next), 1);
	/* Exactly once: another restart tells it no more. */
	srv_stop(&srv);
	srv_start(&srv);
	assert_int_equal(count_changes(next), 1);
	assert_int_equal(count_changes(boundary), 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_boundary_and_handover),
		cmocka_unit_test(test_boundary_while_down),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
