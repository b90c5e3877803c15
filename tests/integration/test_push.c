/*
 * test_push.c - live push (H1) and the Subscribe contract: watchers learn of
 * another desk's complaint at once, all in the same order; a reconnecting
 * desk replays exactly what it missed; type filters; pushes only after the
 * commit; and the session side of reconnecting (TLS resumption, session
 * tokens, logout, disabled users).
 */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "harness.h"
#include "wire.h"

#define A(x)		DESKD__COMPLAINT_ACTION__ACTION_##x
#define CLERK1_PW	"clerk-pass-1"
#define CLERK2_PW	"clerk-pass-2"
#define ENG_PW		"engineer-pass-1"
/* H1: a watcher learns of a new complaint within this. */
#define PUSH_BOUND_MS	2000

static struct server_proc srv;

static int
setup(void **state)
{
	(void)state;
	srv_setup(&srv, NULL);
	h_add_user(&srv, "clerk1", "clerk", CLERK1_PW);
	h_add_user(&srv, "clerk2", "clerk", CLERK2_PW);
	/* Engineers may watch and read but not record: a pure watcher. */
	h_add_user(&srv, "eng1", "engineer", ENG_PW);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	srv_teardown(&srv);
	return 0;
}

/*
 * The next event on d within ms milliseconds, skipping stray responses;
 * NULL on timeout or a broken connection.  Free with
 * deskd__event__free_unpacked.
 */
static Deskd__Event *
next_event(struct desk *d, int ms)
{
	int64_t deadline = h_now_ms() + ms;
	struct desk_frame f;
	Deskd__Event *ev;

	for (;;) {
		int64_t left = deadline - h_now_ms();

		if (left <= 0)
			return NULL;
		if (desk_recv(d, &f, (int)left) != DESK_OK)
			return NULL;
		if (f.kind == WIRE_EVENT && f.event != NULL) {
			ev = f.event;
			f.event = NULL;
			desk_frame_free(&f);
			return ev;
		}
		desk_frame_free(&f);
	}
}

/* A logged-in watcher subscribed from the log's current end. */
static struct desk *
watcher(const char *const *prefixes, size_t n, uint64_t *since)
{
	struct desk *w = h_login(&srv, "eng1", ENG_PW);
	uint64_t last = 0;

	*since = desk_welcome(w)->last_seq;
	if (desk_subscribe(w, *since, prefixes, n, &last) != DESK_OK)
		fail_msg("subscribe: %s", desk_error(w));
	/* Tests run one at a time: nobody wrote since the Welcome. */
	assert_int_equal(last, *since);
	return w;
}

static Deskd__Status
subscribe_status(struct desk *d, uint64_t since)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__Subscribe sub = DESKD__SUBSCRIBE__INIT;

	sub.since_seq = since;
	req.body_case = DESKD__REQUEST__BODY_SUBSCRIBE;
	req.subscribe = &sub;
	return h_call_status(d, &req, NULL, 0);
}

static Deskd__Status
login_status(struct desk *d, const char *user, const char *pw,
    const char *token)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__Login l = DESKD__LOGIN__INIT;

	l.user = (char *)(user ? user : "");
	l.password = (char *)(pw ? pw : "");
	l.token = (char *)(token ? token : "");
	req.body_case = DESKD__REQUEST__BODY_LOGIN;
	req.login = &l;
	return h_call_status(d, &req, NULL, 0);
}

/* The last seq the server has committed, as a fresh desk is told. */
static uint64_t
last_seq(void)
{
	struct desk *d = h_connect(&srv);
	uint64_t last;

	assert_non_null(d);
	last = desk_welcome(d)->last_seq;
	desk_close(d);
	return last;
}

static void
test_live_push(void **state)
{
	struct desk *w, *writer;
	Deskd__Event *ev;
	Deskd__Status st;
	uint64_t since, id;
	char record[48];
	int64_t acked;

	(void)state;
	w = watcher(NULL, 0, &since);
	writer = h_login(&srv, "clerk1", CLERK1_PW);
	id = h_complaint(writer, "9-9-901", "深夜施工噪音", &st);
	acked = h_now_ms();
	assert_int_equal(st, DESKD__STATUS__OK);

	ev = next_event(w, PUSH_BOUND_MS);
	if (ev == NULL)
		fail_msg("no push within %d ms: %s", PUSH_BOUND_MS,
		    desk_error(w));
	assert_true(h_now_ms() - acked < PUSH_BOUND_MS);
	assert_int_equal(ev->seq, since + 1);
	assert_string_equal(ev->type, "complaint.created");
	snprintf(record, sizeof(record), "complaint:%llu",
	    (unsigned long long)id);
	assert_string_equal(ev->record, record);
	assert_string_equal(ev->actor, "clerk1");
	assert_non_null(ev->complaint);
	assert_int_equal(ev->complaint->id, id);
	assert_string_equal(ev->complaint->unit, "9-9-901");
	assert_string_equal(ev->complaint->text, "深夜施工噪音");
	assert_string_equal(ev->complaint->complainant, "王女士");
	/* E6: the log and its pushes carry the contact masked; the
	 * record keeps the number (complaint get). */
	assert_string_equal(ev->complaint->phone, "138****0000");
	assert_string_equal(ev->complaint->created_by, "clerk1");
	assert_int_equal(ev->complaint->revision, 1);
	deskd__event__free_unpacked(ev, NULL);

	/* A step is pushed too, with the record as it now stands. */
	assert_int_equal(h_step(writer, id, A(NOTE), "已通知施工方", 0, 0),
	    DESKD__STATUS__OK);
	assert_non_null(ev = next_event(w, PUSH_BOUND_MS));
	assert_int_equal(ev->seq, since + 2);
	assert_string_equal(ev->type, "complaint.noted");
	assert_string_equal(ev->text, "已通知施工方");
	assert_int_equal(ev->complaint->revision, 2);
	deskd__event__free_unpacked(ev, NULL);
	desk_close(writer);
	desk_close(w);
}

#define NWATCH	3
#define NWRITE	6

static void
test_watchers_agree(void **state)
{
	struct desk *w[NWATCH], *writer;
	Deskd__Event *got[NWATCH][NWRITE + 1];
	uint64_t since[NWATCH], id = 0;
	char text[64];
	int i, k;

	(void)state;
	for (i = 0; i < NWATCH; i++)
		w[i] = watcher(NULL, 0, &since[i]);
	writer = h_login(&srv, "clerk2", CLERK2_PW);
	for (k = 0; k < NWRITE; k++) {
		snprintf(text, sizeof(text), "watchers agree %d", k);
		id = h_complaint(writer, "1-2-3", text, NULL);
		assert_true(id > 0);
	}
	assert_int_equal(h_step(writer, id, A(NOTE), "last", 0, 0),
	    DESKD__STATUS__OK);

	for (i = 0; i < NWATCH; i++) {
		assert_int_equal(since[i], since[0]);
		for (k = 0; k <= NWRITE; k++) {
			got[i][k] = next_event(w[i], PUSH_BOUND_MS);
			if (got[i][k] == NULL)
				fail_msg("watcher %d: event %d missing: %s", i,
				    k, desk_error(w[i]));
			assert_int_equal(got[i][k]->seq, since[0] + 1 +
			    (uint64_t)k);
		}
	}
	for (k = 0; k <= NWRITE; k++) {
		for (i = 1; i < NWATCH; i++) {
			assert_int_equal(got[i][k]->seq, got[0][k]->seq);
			assert_string_equal(got[i][k]->type, got[0][k]->type);
			assert_string_equal(got[i][k]->record,
			    got[0][k]->record);
			assert_string_equal(got[i][k]->complaint->text,
			    got[0][k]->complaint->text);
		}
		if (k < NWRITE) {
			snprintf(text, sizeof(text), "watchers agree %d", k);
			assert_string_equal(got[0][k]->complaint->text, text);
		} else
			assert_string_equal(got[0][k]->type, "complaint.noted");
	}
	for (i = 0; i < NWATCH; i++) {
		for (k = 0; k <= NWRITE; k++)
			deskd__event__free_unpacked(got[i][k], NULL);
		desk_close(w[i]);
	}
	desk_close(writer);
}

/*
 * Subscribe from since and read up to the last seq the server names in
 * Subscribed: every seq exactly once, in order.  Returns that last seq.
 */
static uint64_t
replay(struct desk *d, uint64_t since)
{
	uint64_t last = 0, want = since + 1;
	Deskd__Event *ev;

	if (desk_subscribe(d, since, NULL, 0, &last) != DESK_OK)
		fail_msg("subscribe %llu: %s", (unsigned long long)since,
		    desk_error(d));
	for (; want <= last; want++) {
		if ((ev = next_event(d, 5000)) == NULL)
			fail_msg("replay from %llu: seq %llu missing: %s",
			    (unsigned long long)since, (unsigned long long)want,
			    desk_error(d));
		if (ev->seq != want)
			fail_msg("replay from %llu: got seq %llu, want %llu",
			    (unsigned long long)since,
			    (unsigned long long)ev->seq,
			    (unsigned long long)want);
		assert_true(*ev->type != '\0');
		deskd__event__free_unpacked(ev, NULL);
	}
	return last;
}

/* The next event must be the live one at seq want, made by writer now. */
static void
expect_live(struct desk *d, struct desk *writer, uint64_t want)
{
	Deskd__Event *ev;
	uint64_t id;

	assert_true((id = h_complaint(writer, "4-4-404", "live after replay",
	    NULL)) > 0);
	if ((ev = next_event(d, PUSH_BOUND_MS)) == NULL)
		fail_msg("no live event after replay: %s", desk_error(d));
	/* Anything replayed twice or beyond `last` would show up here. */
	assert_int_equal(ev->seq, want);
	assert_int_equal(ev->complaint->id, id);
	deskd__event__free_unpacked(ev, NULL);
}

static void
test_replay_and_resume(void **state)
{
	struct desk *d, *writer;
	uint64_t n, k, last, first = 0;
	Deskd__Event *ev;
	char text[64];

	(void)state;
	writer = h_login(&srv, "clerk1", CLERK1_PW);
	for (int i = 0; i < 5; i++) {
		snprintf(text, sizeof(text), "before replay %d", i);
		assert_true((k = h_complaint(writer, "2-2-202", text,
		    NULL)) > 0);
		if (first == 0)
			first = k;
	}

	/* since 0: the whole log, seq 1..N, then live. */
	d = h_login(&srv, "eng1", ENG_PW);
	n = replay(d, 0);
	assert_int_equal(n, last_seq());
	assert_true(n >= 5);
	expect_live(d, writer, n + 1);

	/* A desk sees a few events, then its connection drops. */
	for (int i = 0; i < 3; i++)
		assert_true(h_complaint(writer, "2-2-203", "seen", NULL) > 0);
	for (k = n + 2; k <= n + 4; k++) {
		assert_non_null(ev = next_event(d, PUSH_BOUND_MS));
		assert_int_equal(ev->seq, k);
		deskd__event__free_unpacked(ev, NULL);
	}
	k = n + 4;
	desk_close(d);

	/* Other desks keep writing while it is away. */
	for (int i = 0; i < 7; i++) {
		snprintf(text, sizeof(text), "while away %d", i);
		assert_true(h_complaint(writer, "2-2-204", text, NULL) > 0);
	}
	assert_int_equal(h_step(writer, first, A(NOTE), "away note", 0, 0),
	    DESKD__STATUS__OK);

	/* It comes back with the last seq it saw: exactly k+1..N. */
	d = h_login(&srv, "eng1", ENG_PW);
	last = replay(d, k);
	assert_int_equal(last, k + 8);
	expect_live(d, writer, last + 1);
	desk_close(d);

	/* Subscribing at the very end replays nothing and still goes live. */
	d = h_login(&srv, "eng1", ENG_PW);
	last = replay(d, last_seq());
	expect_live(d, writer, last + 1);
	desk_close(d);
	desk_close(writer);
}

static void
test_type_filter(void **state)
{
	const char *const only[] = { "complaint.replied" };
	int64_t future = (int64_t)time(NULL) * 1000 + 3600 * 1000;
	uint64_t since, id[3];
	struct desk *w, *writer;
	Deskd__Event *ev;
	const char *want[3] = { "first reply", "invalid reply", "third reply" };

	(void)state;
	w = watcher(only, 1, &since);
	writer = h_login(&srv, "clerk1", CLERK1_PW);
	/* Interleave other types among the replies. */
	assert_true((id[0] = h_complaint(writer, "3-1-1", "filter a",
	    NULL)) > 0);
	assert_int_equal(h_step(writer, id[0], A(VALID), NULL, 0, 0),
	    DESKD__STATUS__OK);
	assert_int_equal(h_step(writer, id[0], A(REPLY), want[0], future, 0),
	    DESKD__STATUS__OK);
	assert_int_equal(h_step(writer, id[0], A(NOTE), "n", 0, 0),
	    DESKD__STATUS__OK);
	assert_true((id[1] = h_complaint(writer, "3-1-2", "filter b",
	    NULL)) > 0);
	assert_int_equal(h_step(writer, id[1], A(INVALID), "不属物业", 0, 0),
	    DESKD__STATUS__OK);
	assert_int_equal(h_step(writer, id[1], A(REPLY), want[1], 0, 0),
	    DESKD__STATUS__OK);
	assert_true((id[2] = h_complaint(writer, "3-1-3", "filter c",
	    NULL)) > 0);
	assert_int_equal(h_step(writer, id[2], A(ASSIGN), NULL, 0, 0),
	    DESKD__STATUS__OK);
	assert_int_equal(h_step(writer, id[2], A(VALID), NULL, 0, 0),
	    DESKD__STATUS__OK);
	assert_int_equal(h_step(writer, id[2], A(REPLY), want[2], future, 0),
	    DESKD__STATUS__OK);

	/* The last write is a reply: an unfiltered event would come first. */
	for (int i = 0; i < 3; i++) {
		if ((ev = next_event(w, PUSH_BOUND_MS)) == NULL)
			fail_msg("reply %d not pushed: %s", i, desk_error(w));
		assert_string_equal(ev->type, "complaint.replied");
		assert_int_equal(ev->complaint->id, id[i]);
		assert_string_equal(ev->text, want[i]);
		assert_true(ev->seq > since);
		deskd__event__free_unpacked(ev, NULL);
	}
	desk_close(writer);
	desk_close(w);
}

/*
 * Issue 11: a replay filtered by type had no visible end (its last match
 * may be long before Subscribed.last_seq).  Asked for, one
 * subscribe.caught_up event with that seq follows the replay, then the
 * live events; with nothing to replay it comes at once.
 */
static void
test_filtered_replay_end(void **state)
{
	const char *const only[] = { "complaint.created" };
	struct desk *w, *writer;
	uint64_t id, last, seq_created = 0;
	Deskd__Event *ev;

	(void)state;
	writer = h_login(&srv, "clerk1", CLERK1_PW);
	assert_true((id = h_complaint(writer, "3-1-9", "replay end", NULL)) >
	    0);
	/* Later events of other types: the replay's last match is before
	 * them. */
	assert_int_equal(h_step(writer, id, A(NOTE), "n1", 0, 0),
	    DESKD__STATUS__OK);
	assert_int_equal(h_step(writer, id, A(NOTE), "n2", 0, 0),
	    DESKD__STATUS__OK);
	w = h_login(&srv, "eng1", ENG_PW);
	assert_int_equal(desk_subscribe_marked(w, 0, only, 1, &last), DESK_OK);
	while ((ev = next_event(w, PUSH_BOUND_MS)) != NULL &&
	    strcmp(ev->type, "subscribe.caught_up") != 0) {
		assert_string_equal(ev->type, "complaint.created");
		seq_created = ev->seq;
		deskd__event__free_unpacked(ev, NULL);
	}
	if (ev == NULL)
		fail_msg("no end of the replay: %s", desk_error(w));
	assert_int_equal(ev->seq, last);
	assert_true(seq_created > 0 && seq_created < last);
	deskd__event__free_unpacked(ev, NULL);
	/* Live from here: the next match, and no second marker. */
	assert_true(h_complaint(writer, "3-1-9", "live", NULL) > 0);
	assert_non_null(ev = next_event(w, PUSH_BOUND_MS));
	assert_string_equal(ev->type, "complaint.created");
	assert_true(ev->seq > last);
	deskd__event__free_unpacked(ev, NULL);
	desk_close(w);

	/* Nothing to replay: the marker at once. */
	w = h_login(&srv, "eng1", ENG_PW);
	assert_int_equal(desk_subscribe_marked(w, last_seq(), only, 1, &last),
	    DESK_OK);
	assert_non_null(ev = next_event(w, PUSH_BOUND_MS));
	assert_string_equal(ev->type, "subscribe.caught_up");
	assert_int_equal(ev->seq, last);
	deskd__event__free_unpacked(ev, NULL);
	desk_close(w);
	desk_close(writer);
}

static void
test_since_beyond_end(void **state)
{
	struct desk *d = h_login(&srv, "eng1", ENG_PW);
	uint64_t last = desk_welcome(d)->last_seq;

	(void)state;
	assert_int_equal(subscribe_status(d, last + 1),
	    DESKD__STATUS__INVALID_ARGUMENT);
	assert_int_equal(subscribe_status(d, last + 1000000),
	    DESKD__STATUS__INVALID_ARGUMENT);
	assert_int_equal(subscribe_status(d, UINT64_MAX),
	    DESKD__STATUS__INVALID_ARGUMENT);
	/* The end itself is fine, and the connection still works. */
	assert_int_equal(subscribe_status(d, last), DESKD__STATUS__OK);
	desk_close(d);
}

#define NPIPE	40

static void
test_push_after_commit(void **state)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__ComplaintNew n = DESKD__COMPLAINT_NEW__INIT;
	struct desk *w, *writer, *reader;
	struct desk_frame f;
	Deskd__Complaint *c;
	Deskd__Event *ev;
	uint64_t since;
	char text[64];
	int acks = 0;

	(void)state;
	w = watcher(NULL, 0, &since);
	writer = h_login(&srv, "clerk1", CLERK1_PW);
	reader = h_login(&srv, "clerk2", CLERK2_PW);
	n.unit = "6-6-606";
	n.complainant = "李先生";
	n.phone = "13900000000";
	n.category = "repair";
	req.body_case = DESKD__REQUEST__BODY_COMPLAINT_NEW;
	req.complaint_new = &n;
	/* Pipelined, unread: the writer is not waiting on anything. */
	for (int i = 0; i < NPIPE; i++) {
		snprintf(text, sizeof(text), "pipelined %d", i);
		n.text = text;
		assert_int_equal(desk_send(writer, &req, NULL), DESK_OK);
	}
	/*
	 * Each pushed complaint must already be readable by anyone: the
	 * event left only after the commit that the writer's OK reports.
	 */
	for (int i = 0; i < NPIPE; i++) {
		if ((ev = next_event(w, 5000)) == NULL)
			fail_msg("event %d not pushed: %s", i, desk_error(w));
		assert_int_equal(ev->seq, since + 1 + (uint64_t)i);
		c = h_get(reader, ev->complaint->id);
		if (c == NULL)
			fail_msg("complaint %llu pushed but not readable",
			    (unsigned long long)ev->complaint->id);
		snprintf(text, sizeof(text), "pipelined %d", i);
		assert_string_equal(c->text, text);
		assert_string_equal(ev->complaint->text, text);
		deskd__complaint__free_unpacked(c, NULL);
		deskd__event__free_unpacked(ev, NULL);
	}
	for (int i = 0; i < NPIPE; i++) {
		assert_int_equal(desk_recv(writer, &f, 5000), DESK_OK);
		assert_int_equal(f.kind, WIRE_RESPONSE);
		if (f.response->status == DESKD__STATUS__OK)
			acks++;
		desk_frame_free(&f);
	}
	assert_int_equal(acks, NPIPE);
	desk_close(reader);
	desk_close(writer);
	desk_close(w);
}

static void
test_session_resumption(void **state)
{
	Deskd__Complaint *c;
	struct desk *d;
	uint64_t id;

	(void)state;
	d = h_login(&srv, "clerk1", CLERK1_PW);
	assert_true((id = h_complaint(d, "5-5-505", "resume", NULL)) > 0);
	desk_close(d);
	/* The first connection left a ticket behind when it closed... */
	/* ...which the next connections to the same server resume. */
	for (int i = 0; i < 3; i++) {
		assert_non_null(d = h_connect(&srv));
		assert_true(desk_session_reused(d));
		/* A resumed connection is a full one. */
		assert_int_equal(desk_login(d, "clerk1", CLERK1_PW, NULL, NULL),
		    DESK_OK);
		assert_non_null(c = h_get(d, id));
		deskd__complaint__free_unpacked(c, NULL);
		desk_close(d);
	}
}

static void
test_token_login_logout(void **state)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__Logout lo = DESKD__LOGOUT__INIT;
	Deskd__LoginOk *ok = NULL;
	struct desk *d1, *d2, *d3;
	Deskd__Complaint *c;
	Deskd__Status st;
	char token[160];
	uint64_t id;

	(void)state;
	assert_non_null(d1 = h_connect(&srv));
	assert_int_equal(desk_login(d1, "clerk2", CLERK2_PW, NULL, &ok),
	    DESK_OK);
	assert_non_null(ok);
	assert_true(strlen(ok->token) >= 32);
	assert_true(ok->expires_ms > (int64_t)time(NULL) * 1000);
	snprintf(token, sizeof(token), "%s", ok->token);
	deskd__login_ok__free_unpacked(ok, NULL);

	/* A new connection logs in with the token alone. */
	assert_non_null(d2 = h_connect(&srv));
	assert_int_equal(desk_login(d2, NULL, NULL, token, &ok), DESK_OK);
	assert_non_null(ok);
	assert_string_equal(ok->user, "clerk2");
	assert_string_equal(ok->role, "clerk");
	deskd__login_ok__free_unpacked(ok, NULL);
	id = h_complaint(d2, "8-8-808", "by token", &st);
	assert_int_equal(st, DESKD__STATUS__OK);
	assert_non_null(c = h_get(d1, id));
	assert_string_equal(c->created_by, "clerk2");
	deskd__complaint__free_unpacked(c, NULL);

	/* Logout with the token revokes it and ends the login. */
	lo.token = token;
	req.body_case = DESKD__REQUEST__BODY_LOGOUT;
	req.logout = &lo;
	assert_int_equal(h_call_status(d2, &req, NULL, 0), DESKD__STATUS__OK);
	h_complaint(d2, "8-8-808", "after logout", &st);
	assert_int_equal(st, DESKD__STATUS__NOT_AUTHENTICATED);

	assert_non_null(d3 = h_connect(&srv));
	assert_int_equal(login_status(d3, NULL, NULL, token),
	    DESKD__STATUS__AUTH_FAILED);
	/* A made-up token is no better. */
	assert_int_equal(login_status(d3, NULL, NULL,
	    "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"),
	    DESKD__STATUS__AUTH_FAILED);
	/* The password still works: logout revoked a session, not a user. */
	assert_int_equal(login_status(d3, "clerk2", CLERK2_PW, NULL),
	    DESKD__STATUS__OK);
	desk_close(d3);
	desk_close(d2);
	desk_close(d1);
}

static void
test_disabled_user(void **state)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__UserDisable dis = DESKD__USER_DISABLE__INIT;
	Deskd__LoginOk *ok = NULL;
	struct desk *admin, *d;
	char token[160];

	(void)state;
	h_add_user(&srv, "temp1", "clerk", "temp-pass-1");
	assert_non_null(d = h_connect(&srv));
	assert_int_equal(desk_login(d, "temp1", "temp-pass-1", NULL, &ok),
	    DESK_OK);
	snprintf(token, sizeof(token), "%s", ok->token);
	deskd__login_ok__free_unpacked(ok, NULL);
	desk_close(d);

	admin = h_login(&srv, ADMIN_USER, ADMIN_PASS);
	dis.name = "temp1";
	req.body_case = DESKD__REQUEST__BODY_USER_DISABLE;
	req.user_disable = &dis;
	assert_int_equal(h_call_status(admin, &req, NULL, 0),
	    DESKD__STATUS__OK);
	desk_close(admin);

	/* Neither the password nor a session from before works now. */
	assert_non_null(d = h_connect(&srv));
	assert_int_equal(login_status(d, "temp1", "temp-pass-1", NULL),
	    DESKD__STATUS__AUTH_FAILED);
	desk_close(d);
	assert_non_null(d = h_connect(&srv));
	assert_int_equal(login_status(d, NULL, NULL, token),
	    DESKD__STATUS__AUTH_FAILED);
	desk_close(d);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_live_push),
		cmocka_unit_test(test_watchers_agree),
		cmocka_unit_test(test_replay_and_resume),
		cmocka_unit_test(test_type_filter),
		cmocka_unit_test(test_filtered_replay_end),
		cmocka_unit_test(test_since_beyond_end),
		cmocka_unit_test(test_push_after_commit),
		cmocka_unit_test(test_session_resumption),
		cmocka_unit_test(test_token_login_logout),
		cmocka_unit_test(test_disabled_user),
	};

	/* A server that dies mid-test should fail the test, not kill it. */
	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, setup, teardown);
}
