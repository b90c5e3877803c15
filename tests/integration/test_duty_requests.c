/*
 * test_duty_requests.c - changes to duty end to end over TLS (A3, A5, A7,
 * A8): a swap, a leave and a stand-in approved by a supervisor each
 * publish the next schedule version; nobody approves their own request; a
 * stand-in of 5 hours is refused; leaving the post and coming back; the
 * steps refused in the wrong state; the request's history.
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

#define KD(x)	DESKD__DUTY_KIND__DUTY_##x
#define SD(x)	DESKD__DUTY_STATUS__DUTY_##x
#define AD(x)	DESKD__DUTY_ACTION__DUTY_##x
#define ST(x)	DESKD__STATUS__##x

#define PW	"duty-pass-1"
#define MONTH	203112

static struct server_proc srv;
static struct desk *c1, *c2, *c3, *sup1, *sup2;

/* 2031-12: c1 mornings, c2 evenings, c3 nights, every day (A6). */
static void
publish_month(void)
{
	static const char *const who[3] = { "c1", "c2", "c3" };

	h_publish_rota(sup1, MONTH, 31, who);
}

/* The server's clock: 2031-11-20 10:00 in Shanghai, so that December's
 * shifts are all still to come (A3: no request for a shift that is over). */
static int64_t offset_ms;
static char offset[32];

static int64_t
server_ms(void)
{
	return h_wall_ms() + offset_ms;
}

/* Log the desks in (again, after a restart). */
static void
login_all(void)
{
	desk_close(c1);
	desk_close(c2);
	desk_close(c3);
	desk_close(sup1);
	desk_close(sup2);
	c1 = h_login(&srv, "c1", PW);
	c2 = h_login(&srv, "c2", PW);
	c3 = h_login(&srv, "c3", PW);
	sup1 = h_login(&srv, "sup1", PW);
	sup2 = h_login(&srv, "sup2", PW);
}

static int
setup(void **state)
{
	struct tm tm = { .tm_year = 2031 - 1900, .tm_mon = 10, .tm_mday = 20,
	    .tm_hour = 2 };	/* 10:00 in Shanghai */
	const char *flags[] = { "--now-offset", offset, NULL };

	(void)state;
	setenv("TZ", "Asia/Shanghai", 1);
	tzset();
	offset_ms = (int64_t)timegm(&tm) * 1000 - h_wall_ms();
	snprintf(offset, sizeof(offset), "%lldms", (long long)offset_ms);
	srv_setup(&srv, flags);
	h_add_user(&srv, "c1", "clerk", PW);
	h_add_user(&srv, "c2", "clerk", PW);
	h_add_user(&srv, "c3", "clerk", PW);
	h_add_user(&srv, "sup1", "supervisor", PW);
	h_add_user(&srv, "sup2", "supervisor", PW);
	login_all();
	publish_month();
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	desk_close(c1);
	desk_close(c2);
	desk_close(c3);
	desk_close(sup1);
	desk_close(sup2);
	srv_teardown(&srv);
	return 0;
}

/* A request; its id, or 0 with the refusal in *st. */
static uint64_t
ask(struct desk *d, const Deskd__DutyNew *n, Deskd__Status *st)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__Response *resp;
	uint64_t id = 0;

	req.body_case = DESKD__REQUEST__BODY_DUTY_NEW;
	req.duty_new = (Deskd__DutyNew *)n;
	if ((*st = h_call(d, &req, &resp)) == ST(OK)) {
		assert_int_equal(resp->body_case,
		    DESKD__RESPONSE__BODY_DUTY_REQUEST);
		id = resp->duty_request->id;
	}
	deskd__response__free_unpacked(resp, NULL);
	return id;
}

/* c1 asks to swap their morning of `date` for `with`'s `their_shift` of
 * `their_date`; the request's id (the swap in *n, for asking again). */
static uint64_t
ask_swap(Deskd__DutyNew *n, const char *with, const char *date,
    const char *their_date, const char *their_shift)
{
	Deskd__Status st;
	uint64_t id;

	n->kind = KD(SWAP);
	n->other = (char *)with;
	n->date = (char *)date;
	n->shift = "morning";
	n->other_date = (char *)their_date;
	n->other_shift = (char *)their_shift;
	n->reason = "";
	id = ask(c1, n, &st);
	assert_int_equal(st, ST(OK));
	return id;
}

/* A step; the refusal's message in msg (if not NULL). */
static Deskd__Status
step_msg(struct desk *d, uint64_t id, Deskd__DutyAction a, const char *cover,
    char *msg, size_t len)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__DutyStep s = DESKD__DUTY_STEP__INIT;

	s.id = id;
	s.action = a;
	s.text = "ok";
	s.cover = (char *)(cover ? cover : "");
	req.body_case = DESKD__REQUEST__BODY_DUTY_STEP;
	req.duty_step = &s;
	return h_call_status(d, &req, msg, len);
}

static Deskd__Status
step(struct desk *d, uint64_t id, Deskd__DutyAction a, const char *cover)
{
	return step_msg(d, id, a, cover, NULL, 0);
}

static Deskd__DutyRequest *
get(struct desk *d, uint64_t id)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__DutyGet g = DESKD__DUTY_GET__INIT;
	Deskd__Response *resp;
	Deskd__DutyRequest *r;

	g.id = id;
	req.body_case = DESKD__REQUEST__BODY_DUTY_GET;
	req.duty_get = &g;
	assert_int_equal(h_call(d, &req, &resp), ST(OK));
	r = resp->duty_request;
	resp->duty_request = NULL;
	resp->body_case = DESKD__RESPONSE__BODY__NOT_SET;
	deskd__response__free_unpacked(resp, NULL);
	return r;
}

/* Who holds a day's shift in the latest published version; its number. */
static uint32_t
holder(int day, int shift, char *who, size_t len)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__ScheduleGet g = DESKD__SCHEDULE_GET__INIT;
	Deskd__Response *resp;
	uint32_t version;

	g.month = MONTH;
	req.body_case = DESKD__REQUEST__BODY_SCHEDULE_GET;
	req.schedule_get = &g;
	assert_int_equal(h_call(c1, &req, &resp), ST(OK));
	who[0] = '\0';
	for (size_t i = 0; i < resp->schedule->schedule->n_assignments; i++) {
		Deskd__Assignment *a = resp->schedule->schedule->assignments[i];

		if (a->day == (uint32_t)day && a->shift == (uint32_t)shift)
			snprintf(who, len, "%s", a->user);
	}
	version = resp->schedule->schedule->version;
	deskd__response__free_unpacked(resp, NULL);
	return version;
}

/* 2031-MM-DD HH:MM, local. */
static int64_t
at_month(int mon, int day, int hour, int min)
{
	struct tm tm = { 0 };

	tm.tm_year = 2031 - 1900;
	tm.tm_mon = mon - 1;
	tm.tm_mday = day;
	tm.tm_hour = hour;
	tm.tm_min = min;
	tm.tm_isdst = -1;
	return (int64_t)mktime(&tm) * 1000;
}

/* In December 2031. */
static int64_t
at(int day, int hour, int min)
{
	return at_month(12, day, hour, min);
}

static void
test_swap(void **state)
{
	Deskd__DutyNew n = DESKD__DUTY_NEW__INIT;
	Deskd__DutyRequest *r;
	Deskd__Status st;
	char who[32];
	uint32_t v0 = holder(3, 0, who, sizeof(who));
	uint64_t id;

	(void)state;
	id = ask_swap(&n, "c2", "2031-12-03", "2031-12-05", "evening");
	/* A3: a clerk does not approve, not even someone else's request. */
	assert_int_equal(step(c3, id, AD(APPROVE), NULL),
	    ST(PERMISSION_DENIED));
	assert_int_equal(holder(3, 0, who, sizeof(who)), v0);
	/* A3: c2's shift is given away too: c2 accepts first, nobody else
	 * for c2, and the supervisor decides after. */
	assert_int_equal(step(sup1, id, AD(APPROVE), NULL), ST(CONFLICT));
	assert_int_equal(step(c3, id, AD(ACCEPT), NULL),
	    ST(PERMISSION_DENIED));
	assert_int_equal(step(sup1, id, AD(ACCEPT), NULL),
	    ST(PERMISSION_DENIED));
	assert_int_equal(step(c2, id, AD(ACCEPT), NULL), ST(OK));
	assert_int_equal(step(c2, id, AD(ACCEPT), NULL), ST(CONFLICT));
	assert_int_equal(holder(3, 0, who, sizeof(who)), v0);
	assert_int_equal(step(sup1, id, AD(APPROVE), NULL), ST(OK));
	/* A5: approved means a new version, with both shifts exchanged. */
	assert_int_equal(holder(3, 0, who, sizeof(who)), v0 + 1);
	assert_string_equal(who, "c2");
	holder(5, 1, who, sizeof(who));
	assert_string_equal(who, "c1");
	r = get(c1, id);
	assert_int_equal(r->status, SD(APPROVED));
	assert_int_equal(r->version, v0 + 1);
	assert_string_equal(r->decided_by, "sup1");
	deskd__duty_request__free_unpacked(r, NULL);
	/* Decided once. */
	assert_int_equal(step(sup2, id, AD(REJECT), NULL), ST(CONFLICT));
	/* The shift is c2's now: c1 cannot swap it again. */
	ask(c1, &n, &st);
	assert_int_equal(st, ST(CONFLICT));
}

/* A5: an open draft was copied before the approval and would undo it when
 * published, so the approval waits for the draft to be published. */
static void
test_approval_with_open_draft(void **state)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__ScheduleDraft dr = DESKD__SCHEDULE_DRAFT__INIT;
	Deskd__SchedulePublish pub = DESKD__SCHEDULE_PUBLISH__INIT;
	Deskd__DutyNew n = DESKD__DUTY_NEW__INIT;
	char who[32];
	uint32_t v0 = holder(20, 0, who, sizeof(who));
	uint64_t id;

	(void)state;
	id = ask_swap(&n, "c3", "2031-12-20", "2031-12-21", "night");
	assert_int_equal(step(c3, id, AD(ACCEPT), NULL), ST(OK));
	dr.month = MONTH;
	req.body_case = DESKD__REQUEST__BODY_SCHEDULE_DRAFT;
	req.schedule_draft = &dr;
	assert_int_equal(h_call(sup1, &req, NULL), ST(OK));
	assert_int_equal(step(sup1, id, AD(APPROVE), NULL), ST(CONFLICT));
	assert_int_equal(holder(20, 0, who, sizeof(who)), v0);
	/* Once the draft is published, the approval goes through. */
	pub.month = MONTH;
	req.body_case = DESKD__REQUEST__BODY_SCHEDULE_PUBLISH;
	req.schedule_publish = &pub;
	assert_int_equal(h_call(sup1, &req, NULL), ST(OK));
	assert_int_equal(step(sup1, id, AD(APPROVE), NULL), ST(OK));
	assert_int_equal(holder(20, 0, who, sizeof(who)), v0 + 2);
	assert_string_equal(who, "c3");
}

/* A3: nobody approves their own request; another supervisor does.  A8:
 * the 4 hours hold per person and shift across requests, the same hours
 * are not stood in for twice, and a stand-in leaves the slot as it is. */
static void
test_own_request_and_standin(void **state)
{
	Deskd__DutyNew n = DESKD__DUTY_NEW__INIT;
	Deskd__Status st;
	char who[32];
	uint32_t v0 = holder(10, 0, who, sizeof(who));
	uint64_t id;

	(void)state;
	n.kind = KD(STANDIN);
	n.other = "c1";
	n.from_ms = at(10, 9, 0);
	n.to_ms = at(10, 13, 0);
	n.reason = "c1 到医院复诊";
	id = ask(sup1, &n, &st);
	assert_int_equal(st, ST(OK));
	assert_int_equal(step(sup1, id, AD(APPROVE), NULL),
	    ST(PERMISSION_DENIED));
	assert_int_equal(step(sup1, id, AD(REJECT), NULL),
	    ST(PERMISSION_DENIED));
	assert_int_equal(holder(10, 0, who, sizeof(who)), v0);
	assert_string_equal(who, "c1");
	assert_int_equal(step(sup2, id, AD(APPROVE), NULL), ST(OK));
	/* A8: the stand-in covers 09:00-13:00, not c1's whole morning: the
	 * slot, and the schedule's version, stay. */
	assert_int_equal(holder(10, 0, who, sizeof(who)), v0);
	assert_string_equal(who, "c1");
	/* Back to back, 13:00-16:00: 7 hours of one shift in all. */
	n.from_ms = at(10, 13, 0);
	n.to_ms = at(10, 16, 0);
	assert_int_equal(ask(sup1, &n, &st), 0);
	assert_int_equal(st, ST(CONFLICT));
	/* Someone else for the same hours again: a duplicate. */
	n.from_ms = at(10, 12, 0);
	n.to_ms = at(10, 14, 0);
	assert_int_equal(ask(c2, &n, &st), 0);
	assert_int_equal(st, ST(CONFLICT));
	/* The rest of the morning by another: allowed. */
	n.from_ms = at(10, 13, 0);
	id = ask(c2, &n, &st);
	assert_int_equal(st, ST(OK));
	assert_int_equal(step(sup1, id, AD(APPROVE), NULL), ST(OK));
	assert_int_equal(holder(10, 0, who, sizeof(who)), v0);
}

/* A8: a stand-in lasts at most 4 hours; 5 are refused, nothing stored. */
static void
test_standin_five_hours(void **state)
{
	Deskd__DutyNew n = DESKD__DUTY_NEW__INIT;
	Deskd__Status st;

	(void)state;
	n.kind = KD(STANDIN);
	n.other = "c2";
	n.from_ms = at(11, 16, 0);
	n.to_ms = at(11, 21, 0);
	n.reason = "家中有事";
	assert_int_equal(ask(c3, &n, &st), 0);
	assert_int_equal(st, ST(INVALID_ARGUMENT));
	/* Four hours exactly are allowed. */
	n.to_ms = at(11, 20, 0);
	assert_true(ask(c3, &n, &st) > 0);
	assert_int_equal(st, ST(OK));
	/* A stand-in without a special event is refused too (A8). */
	n.reason = "";
	ask(c3, &n, &st);
	assert_int_equal(st, ST(INVALID_ARGUMENT));
}

/* A leave is approved with whoever covers the shift. */
static void
test_leave_needs_cover(void **state)
{
	Deskd__DutyNew n = DESKD__DUTY_NEW__INIT;
	Deskd__Status st;
	char who[32];
	uint64_t id;

	(void)state;
	n.kind = KD(LEAVE);
	n.date = "2031-12-12";
	n.shift = "morning";
	n.reason = "婚假";
	id = ask(c1, &n, &st);
	assert_int_equal(st, ST(OK));
	assert_int_equal(step(sup1, id, AD(APPROVE), NULL),
	    ST(INVALID_ARGUMENT));
	assert_int_equal(step(sup1, id, AD(APPROVE), "nobody"),
	    ST(INVALID_ARGUMENT));
	assert_int_equal(step(sup1, id, AD(APPROVE), "c3"), ST(OK));
	holder(12, 0, who, sizeof(who));
	assert_string_equal(who, "c3");
	/* The withdrawal is the requester's, and only while pending. */
	assert_int_equal(step(c1, id, AD(WITHDRAW), NULL), ST(CONFLICT));
}

/* A7: leave the post with approval, come back once. */
static void
test_leave_post(void **state)
{
	Deskd__DutyNew n = DESKD__DUTY_NEW__INIT;
	Deskd__DutyRequest *r;
	Deskd__Status st;
	uint64_t id, id2;

	(void)state;
	n.kind = KD(LEAVE_POST);
	n.to_ms = server_ms() + 3600 * 1000;
	n.reason = "去物业办公室取件";
	id = ask(c2, &n, &st);
	assert_int_equal(st, ST(OK));
	assert_int_equal(step(c2, id, AD(BACK), NULL), ST(CONFLICT));
	assert_int_equal(step(sup1, id, AD(APPROVE), NULL), ST(OK));
	assert_int_equal(step(c1, id, AD(BACK), NULL), ST(PERMISSION_DENIED));
	assert_int_equal(step(c2, id, AD(BACK), NULL), ST(OK));
	r = get(c2, id);
	assert_int_equal(r->status, SD(RETURNED));
	assert_true(r->back_ms > 0);
	deskd__duty_request__free_unpacked(r, NULL);
	assert_int_equal(step(c2, id, AD(BACK), NULL), ST(CONFLICT));
	/* A return time in the past is no leave at all. */
	n.to_ms = server_ms() - 1000;
	ask(c2, &n, &st);
	assert_int_equal(st, ST(INVALID_ARGUMENT));
	/* Withdrawn by the requester alone; rejected with a note. */
	n.to_ms = server_ms() + 3600 * 1000;
	id = ask(c2, &n, &st);
	id2 = ask(c3, &n, &st);
	assert_int_equal(step(c1, id, AD(WITHDRAW), NULL),
	    ST(PERMISSION_DENIED));
	assert_int_equal(step(c2, id, AD(WITHDRAW), NULL), ST(OK));
	assert_int_equal(step(sup1, id2, AD(REJECT), NULL), ST(OK));
	r = get(c3, id2);
	assert_int_equal(r->status, SD(REJECTED));
	deskd__duty_request__free_unpacked(r, NULL);
}

/* A7: not back by the approved time raises an alert to the supervisor;
 * coming back clears it. */
static void
test_leave_post_alert(void **state)
{
	Deskd__DutyNew n = DESKD__DUTY_NEW__INIT;
	struct desk *w = h_login(&srv, ADMIN_USER, ADMIN_PASS);
	const char *types[] = { "alert." };
	Deskd__Event *e;
	Deskd__Status st;
	char record[32];
	uint64_t id;

	(void)state;
	assert_int_equal(desk_subscribe(w, 0, types, 1, NULL), DESK_OK);
	n.kind = KD(LEAVE_POST);
	n.to_ms = server_ms() + 1500;
	n.reason = "送文件到管理处";
	id = ask(c3, &n, &st);
	assert_int_equal(st, ST(OK));
	assert_int_equal(step(sup2, id, AD(APPROVE), NULL), ST(OK));
	snprintf(record, sizeof(record), "duty:%llu", (unsigned long long)id);
	do {
		e = h_next_alert(w, record, 5000);
		assert_non_null(e);
		if (strcmp(e->type, "alert.raised") == 0)
			break;
		deskd__event__free_unpacked(e, NULL);
	} while (1);
	assert_string_equal(e->alert->rule, "A7");
	assert_string_equal(e->alert->role, "supervisor");
	deskd__event__free_unpacked(e, NULL);
	assert_int_equal(step(c3, id, AD(BACK), NULL), ST(OK));
	e = h_next_alert(w, record, 5000);
	assert_non_null(e);
	assert_string_equal(e->type, "alert.cleared");
	deskd__event__free_unpacked(e, NULL);
	desk_close(w);
}

/* Every step is an entry of the request's history, and the log verifies. */
static void
test_history_and_verify(void **state)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__DutyHistory h = DESKD__DUTY_HISTORY__INIT;
	Deskd__DutyList l = DESKD__DUTY_LIST__INIT;
	Deskd__Response *resp;
	char out[512];

	(void)state;
	h.id = 1;
	req.body_case = DESKD__REQUEST__BODY_DUTY_HISTORY;
	req.duty_history = &h;
	assert_int_equal(h_call(c1, &req, &resp), ST(OK));
	assert_int_equal(resp->history->n_events, 3);
	assert_string_equal(resp->history->events[0]->type, "duty.requested");
	assert_string_equal(resp->history->events[1]->type, "duty.accepted");
	assert_string_equal(resp->history->events[2]->type, "duty.approved");
	assert_non_null(resp->history->events[2]->duty_request);
	deskd__response__free_unpacked(resp, NULL);
	l.open_only = true;
	req.body_case = DESKD__REQUEST__BODY_DUTY_LIST;
	req.duty_list = &l;
	assert_int_equal(h_call(c1, &req, &resp), ST(OK));
	/* Pending: the 4-hour stand-in only. */
	assert_int_equal(resp->duty_list->n_requests, 1);
	assert_int_equal(resp->duty_list->requests[0]->kind, KD(STANDIN));
	deskd__response__free_unpacked(resp, NULL);
	srv_stop(&srv);
	assert_int_equal(srv_verify(&srv, out, sizeof(out)), 0);
	srv_start(&srv);
}

/* Restart the server `min` minutes later on its clock; log in again. */
static void
restart_later(int64_t min)
{
	srv_stop(&srv);
	offset_ms += min * 60 * 1000;
	snprintf(offset, sizeof(offset), "%lldms", (long long)offset_ms);
	srv_start(&srv);
	login_all();
}

/*
 * A3: a leave for a shift already over is refused; one asked in good time
 * and not approved before its shift is refused at the approval (its cover
 * would be absent); a swap declined by the other person is closed.
 */
static void
test_past_shifts(void **state)
{
	static const char *const who[3] = { "c1", "c2", "c3" };
	Deskd__DutyNew n = DESKD__DUTY_NEW__INIT;
	Deskd__DutyRequest *r;
	Deskd__Status st;
	char msg[256];
	uint64_t late, swap;

	(void)state;
	login_all();	/* the server was restarted to verify */
	h_publish_rota(sup1, 203111, 30, who);
	n.kind = KD(LEAVE);
	n.other = "c3";
	n.date = "2031-11-19";
	n.shift = "morning";
	n.reason = "补请昨天的假";
	assert_int_equal(ask(c1, &n, &st), 0);
	assert_int_equal(st, ST(CONFLICT));
	n.date = "2031-11-20";
	n.shift = "evening";
	n.reason = "晚上家里有事";
	late = ask(c2, &n, &st);
	assert_int_equal(st, ST(OK));
	swap = ask_swap(&n, "c2", "2031-11-22", "2031-11-23", "evening");
	assert_int_equal(step(c2, swap, AD(DECLINE), NULL), ST(OK));
	r = get(c1, swap);
	assert_int_equal(r->status, SD(DECLINED));
	deskd__duty_request__free_unpacked(r, NULL);
	assert_int_equal(step(sup1, swap, AD(APPROVE), NULL), ST(CONFLICT));
	/* The next morning: the evening of the 20th is over. */
	restart_later((int64_t)24 * 60);
	assert_int_equal(step_msg(sup1, late, AD(APPROVE), NULL, msg,
	    sizeof(msg)), ST(CONFLICT));
	assert_non_null(strstr(msg, "the evening shift of 2031-11-20 is over"));
	r = get(c2, late);
	assert_int_equal(r->status, SD(PENDING));
	deskd__duty_request__free_unpacked(r, NULL);
}

/*
 * A8: c3 stands in for c1's morning of 2031-11-22 from 08:00 to 12:00;
 * c1 still holds the shift and is due at 12:00: in at 11:50, on time.
 */
static void
test_standin_hours(void **state)
{
	Deskd__DutyNew n = DESKD__DUTY_NEW__INIT;
	Deskd__Response *r;
	Deskd__Status st;
	uint64_t id;

	(void)state;
	n.kind = KD(STANDIN);
	n.other = "c1";
	n.from_ms = at_month(11, 22, 8, 0);
	n.to_ms = at_month(11, 22, 12, 0);
	n.reason = "c1 上午考试";
	id = ask(c3, &n, &st);
	assert_int_equal(st, ST(OK));
	assert_int_equal(step(sup1, id, AD(APPROVE), NULL), ST(OK));
	/* From 2031-11-21 10:00 to 11-22 11:50 (and the test's seconds). */
	restart_later(25 * 60 + 50);
	r = h_punch(c1, true, ST(OK));
	assert_int_equal(r->attendance->late_min, 0);
	assert_in_range(r->attendance->early_min, 5, 10);
	assert_true(r->attendance->start_ms == at_month(11, 22, 12, 0));
	deskd__response__free_unpacked(r, NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_swap),
		cmocka_unit_test(test_approval_with_open_draft),
		cmocka_unit_test(test_own_request_and_standin),
		cmocka_unit_test(test_standin_five_hours),
		cmocka_unit_test(test_leave_needs_cover),
		cmocka_unit_test(test_leave_post),
		cmocka_unit_test(test_leave_post_alert),
		cmocka_unit_test(test_history_and_verify),
		cmocka_unit_test(test_past_shifts),
		cmocka_unit_test(test_standin_hours),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
