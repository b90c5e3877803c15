/*
 * test_clock_faults.c - the deadline engine under bad input and faults
 * (issue 3, rules C2/C3, D3, H2, H4): garbage and negative times refused
 * without touching a clock; kill -9 at random moments around breaches
 * still raises every alert exactly once; 100,000 pending clocks at
 * restart neither slow the server down nor fire early; bad clock and
 * calendar settings stop deskd at startup with the setting named.
 *
 * DESKD_TEST_SCALE (0 < s <= 1) shrinks the 100,000; DESKD_TEST_SEED fixes
 * the kill moments of a run that failed.
 */
#include <sys/wait.h>

#include <fcntl.h>
#include <inttypes.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "harness.h"
#include "wire.h"

#define CA(x)	DESKD__COMPLAINT_ACTION__ACTION_##x
#define RA(x)	DESKD__REPAIR_ACTION__REPAIR_##x
#define ST(x)	DESKD__STATUS__##x

#define HOUR_MS	(3600 * 1000LL)
/* 10000-01-01T00:00Z: the first instant with no YYYY-MM-DD. */
#define YEAR_10000_MS	253402300800000LL

static struct server_proc srv;

static int
cleanup(void **state)
{
	(void)state;
	if (srv.dir[0] != '\0')
		srv_teardown(&srv);
	memset(&srv, 0, sizeof(srv));
	return 0;
}

/* ---------- helpers ---------- */

static double
test_scale(void)
{
	const char *s = getenv("DESKD_TEST_SCALE");
	double v;

	if (s == NULL || (v = strtod(s, NULL)) <= 0 || v > 1)
		return 1.0;
	return v;
}

static uint64_t
last_seq(void)
{
	struct desk *d = h_connect(&srv);
	uint64_t seq;

	assert_non_null(d);
	seq = desk_welcome(d)->last_seq;
	desk_close(d);
	return seq;
}

/* A desk subscribed after `since` to events of type prefix (NULL: all). */
static struct desk *
watcher(uint64_t since, const char *prefix)
{
	struct desk *w = h_login(&srv, ADMIN_USER, ADMIN_PASS);
	const char *types[] = { prefix };

	assert_int_equal(desk_subscribe(w, since, types, prefix ? 1 : 0,
	    NULL), DESK_OK);
	return w;
}

/* The very next event must be `type` about `record` (an alert's record),
 * within timeout_ms: nothing else may have been written before it. */
static Deskd__Event *
expect_next(struct desk *w, const char *type, const char *record,
    int timeout_ms)
{
	int64_t until = h_now_ms() + timeout_ms;
	struct desk_frame f;
	Deskd__Event *e;

	for (;;) {
		int left = (int)(until - h_now_ms());

		if (desk_recv(w, &f, left > 0 ? left : 1) != DESK_OK)
			fail_msg("no %s for %s within %d ms", type, record,
			    timeout_ms);
		if ((e = f.event) != NULL)
			break;
		desk_frame_free(&f);
	}
	f.event = NULL;
	desk_frame_free(&f);
	if (strcmp(e->type, type) != 0 || e->alert == NULL ||
	    strcmp(e->alert->record, record) != 0)
		fail_msg("wanted %s for %s next, got %s %s (%s)", type, record,
		    e->type, e->record, e->summary);
	return e;
}

static Deskd__Status
repair_new(struct desk *d, int64_t visit_at_ms, uint64_t *id)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__RepairNew n = DESKD__REPAIR_NEW__INIT;
	Deskd__Response *resp;
	Deskd__Status st;

	n.kind = DESKD__WORK_KIND__KIND_REPAIR;
	n.unit = "5-1-302";
	n.name = "李先生";
	n.phone = "13900000000";
	n.text = "厨房水管漏水";
	n.visit_at_ms = visit_at_ms;
	req.body_case = DESKD__REQUEST__BODY_REPAIR_NEW;
	req.repair_new = &n;
	st = h_call(d, &req, &resp);
	if (id)
		*id = st == ST(OK) ? resp->work_order->id : 0;
	deskd__response__free_unpacked(resp, NULL);
	return st;
}

static Deskd__Status
repair_step(struct desk *d, uint64_t id, Deskd__RepairAction a,
    const char *text, int64_t eta_ms)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__RepairStep s = DESKD__REPAIR_STEP__INIT;

	s.id = id;
	s.action = a;
	s.text = (char *)(text ? text : "");
	s.eta_ms = eta_ms;
	req.body_case = DESKD__REQUEST__BODY_REPAIR_STEP;
	req.repair_step = &s;
	return h_call(d, &req, NULL);
}

static Deskd__WorkOrder *
repair_get(struct desk *d, uint64_t id)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__RepairGet g = DESKD__REPAIR_GET__INIT;
	Deskd__Response *resp;
	Deskd__WorkOrder *w = NULL;

	g.id = id;
	req.body_case = DESKD__REQUEST__BODY_REPAIR_GET;
	req.repair_get = &g;
	if (h_call(d, &req, &resp) == ST(OK)) {
		w = resp->work_order;
		resp->work_order = NULL;
	}
	deskd__response__free_unpacked(resp, NULL);
	return w;
}

static size_t
repair_count(struct desk *d)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__RepairList l = DESKD__REPAIR_LIST__INIT;
	Deskd__Response *resp;
	size_t n;

	req.body_case = DESKD__REQUEST__BODY_REPAIR_LIST;
	req.repair_list = &l;
	assert_int_equal(h_call(d, &req, &resp), ST(OK));
	n = resp->repair_list->n_orders;
	deskd__response__free_unpacked(resp, NULL);
	return n;
}

/* ---------- 1. garbage times and negative durations ---------- */

static const char *const garbage_clocks[] = {
	"--clock", "complaint.reply_due=2s",
	"--clock", "complaint.reply_due.warn=50%",
	"--clock", "complaint.reply_due.repeat=1h",
	"--clock", "complaint.reply_due.escalate=1h",
	"--clock", "repair.no_engineer=2s",
	"--clock", "repair.no_engineer.warn=0",
	"--clock", "repair.no_engineer.repeat=1h",
	"--clock", "repair.no_engineer.escalate=1h",
	NULL,
};

/*
 * C2: a REPLY's next agreed time must be in the future.  A time in the
 * past, negative or absurd is INVALID_ARGUMENT, and nothing is written:
 * no event, the complaint unchanged, and the clock still warns and
 * breaches at the deadline it had (re-armed, it would have fired at once
 * with the bad time as its due time).  INT64_MAX once overflowed the
 * warning's arithmetic in clock_arm (UBSan stopped deskd).
 */
static void
test_reply_garbage_times(void **state)
{
	const int64_t bad[] = { -1, INT64_MIN, -HOUR_MS, 1,
	    h_wall_ms() - 60 * 1000, INT64_MAX, YEAR_10000_MS,
	    0 /* C2: none agreed */ };
	const char *const stage[] = { "alert.warning", "alert.raised" };
	struct desk *d, *w;
	Deskd__Complaint *c;
	Deskd__Event *e;
	int64_t due;
	uint64_t id;
	uint32_t rev;
	char record[48];

	(void)state;
	srv_setup(&srv, garbage_clocks);
	d = h_login(&srv, ADMIN_USER, ADMIN_PASS);
	id = h_complaint(d, "1-2-301", "垃圾时间", NULL);
	assert_true(id > 0);
	snprintf(record, sizeof(record), "complaint:%" PRIu64, id);
	assert_int_equal(h_step(d, id, CA(VALID), NULL, 0, 0), ST(OK));
	assert_non_null(c = h_get(d, id));
	due = c->reply_due_ms;
	rev = c->revision;
	deskd__complaint__free_unpacked(c, NULL);
	/* Everything from here on: only the clock's own events may come. */
	w = watcher(last_seq(), NULL);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		Deskd__Status st = h_step(d, id, CA(REPLY), "已回复", bad[i],
		    0);

		if (st != ST(INVALID_ARGUMENT))
			fail_msg("REPLY with next_reply_ms %" PRId64 ": %s, "
			    "wanted INVALID_ARGUMENT", bad[i],
			    desk_status_name(st));
	}
	assert_non_null(c = h_get(d, id));
	assert_int_equal(c->reply_due_ms, due);
	assert_int_equal(c->revision, rev);
	assert_int_equal(c->last_reply_ms, 0);
	deskd__complaint__free_unpacked(c, NULL);

	/* No complaint.replied, and the clock was not re-armed: it warns
	 * and breaches on the original deadline. */
	for (size_t i = 0; i < 2; i++) {
		e = expect_next(w, stage[i], record,
		    (int)(due - h_wall_ms()) + 5000);
		assert_int_equal(e->alert->due_ms, due);
		assert_int_equal(e->alert->repeats, 0);
		deskd__event__free_unpacked(e, NULL);
	}
	desk_close(w);
	/* Other desks are served. */
	assert_true(h_complaint(d, "1-2-302", "下一位", NULL) > 0);
	desk_close(d);
}

/*
 * D1/D3: a repair's visit time and the time agreed on the call are times,
 * not garbage: negative, past or absurd values are INVALID_ARGUMENT and
 * nothing changes; in particular a refused CALL does not acknowledge the
 * no-engineer alert.
 */
static void
test_repair_garbage_times(void **state)
{
	const int64_t bad_visit[] = { -1, INT64_MIN, -HOUR_MS, INT64_MAX,
	    YEAR_10000_MS };
	const int64_t bad_eta[] = { -1, INT64_MIN, -HOUR_MS, 1,
	    h_wall_ms() - 60 * 1000, INT64_MAX, YEAR_10000_MS };
	struct desk *d, *w;
	Deskd__WorkOrder *o;
	Deskd__Event *e;
	uint64_t id, seq;
	uint32_t rev;
	char record[48];

	(void)state;
	srv_setup(&srv, garbage_clocks);
	d = h_login(&srv, ADMIN_USER, ADMIN_PASS);
	seq = last_seq();
	for (size_t i = 0; i < sizeof(bad_visit) / sizeof(bad_visit[0]); i++)
		if (repair_new(d, bad_visit[i], NULL) != ST(INVALID_ARGUMENT))
			fail_msg("RepairNew with visit_at_ms %" PRId64 " was "
			    "not refused", bad_visit[i]);
	assert_int_equal(last_seq(), seq);
	assert_int_equal(repair_count(d), 0);

	assert_int_equal(repair_new(d, h_wall_ms() + HOUR_MS, &id), ST(OK));
	snprintf(record, sizeof(record), "repair:%" PRIu64, id);
	assert_int_equal(repair_step(d, id, RA(DISPATCH), NULL, 0), ST(OK));
	assert_non_null(o = repair_get(d, id));
	rev = o->revision;
	deskd__work_order__free_unpacked(o, NULL);
	/* From here on only the clock may write, until the good call. */
	w = watcher(last_seq(), NULL);
	for (size_t i = 0; i < sizeof(bad_eta) / sizeof(bad_eta[0]); i++)
		if (repair_step(d, id, RA(CALL), "已致电业主", bad_eta[i]) !=
		    ST(INVALID_ARGUMENT))
			fail_msg("CALL with eta_ms %" PRId64 " was not "
			    "refused", bad_eta[i]);
	assert_non_null(o = repair_get(d, id));
	assert_int_equal(o->revision, rev);
	assert_int_equal(o->called_ms, 0);
	assert_int_equal(o->eta_ms, 0);
	deskd__work_order__free_unpacked(o, NULL);

	/* Not acknowledged by a refused call: D3 raises, open. */
	e = expect_next(w, "alert.raised", record, 7000);
	assert_int_equal(e->alert->state, DESKD__ALERT_STATE__ALERT_OPEN);
	deskd__event__free_unpacked(e, NULL);
	/* A call with a real time takes it. */
	assert_int_equal(repair_step(d, id, RA(CALL), "已致电业主",
	    h_wall_ms() + HOUR_MS), ST(OK));
	e = h_next_alert(w, record, 3000);
	if (e == NULL)
		fail_msg("no alert.acked for %s", record);
	assert_string_equal(e->type, "alert.acked");
	deskd__event__free_unpacked(e, NULL);
	desk_close(w);
	desk_close(d);
}

/* ---------- 2. kill -9 around breaches ---------- */

#define KILL_CYCLES	5
#define MAX_COMPLAINTS	512

static const char *const one_second[] = {
	"--clock", "complaint.reply_due=1s",
	"--clock", "complaint.reply_due.warn=0",
	"--clock", "complaint.reply_due.repeat=1h",
	"--clock", "complaint.reply_due.escalate=1h",
	"--clock", "complaint.reply_due.escalate_director=2h",
	NULL,
};

static uint64_t rng;

static uint32_t
rnd(uint32_t below)
{
	/* xorshift64: reproducible from the printed seed */
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng % below);
}

/* The id of "complaint:N", or 0. */
static uint64_t
complaint_of(const char *record)
{
	if (strncmp(record, "complaint:", 10) != 0)
		return 0;
	return strtoull(record + 10, NULL, 10);
}

/* First breaches that deskd found overdue at a start, rather than fired
 * on time; counted by the last census, for the log. */
static int late_raises;

/*
 * The whole log from the start: which complaints exist (created[id]) and
 * how many first breaches (alert.raised, repeats 0) each has.  Returns the
 * highest complaint id.
 */
static uint64_t
census(bool created[MAX_COMPLAINTS], int raised[MAX_COMPLAINTS])
{
	struct desk *w = h_login(&srv, ADMIN_USER, ADMIN_PASS);
	uint64_t last = 0, top = 0, id;
	struct desk_frame f;

	memset(created, 0, MAX_COMPLAINTS * sizeof(*created));
	memset(raised, 0, MAX_COMPLAINTS * sizeof(*raised));
	late_raises = 0;
	/* All types, so the replay ends exactly at `last`. */
	assert_int_equal(desk_subscribe(w, 0, NULL, 0, &last), DESK_OK);
	while (last > 0) {
		if (desk_recv(w, &f, 10000) != DESK_OK)
			fail_msg("replay stopped: %s", desk_error(w));
		if (f.event == NULL) {
			desk_frame_free(&f);
			continue;
		}
		if (strcmp(f.event->type, "complaint.created") == 0 &&
		    (id = complaint_of(f.event->record)) > 0) {
			assert_true(id < MAX_COMPLAINTS);
			created[id] = true;
			if (id > top)
				top = id;
		} else if (strcmp(f.event->type, "alert.raised") == 0 &&
		    f.event->alert != NULL && f.event->alert->repeats == 0 &&
		    (id = complaint_of(f.event->alert->record)) > 0) {
			assert_true(id < MAX_COMPLAINTS);
			raised[id]++;
			late_raises += f.event->alert->late_ms >= 200;
		}
		if (f.event->seq >= last) {
			desk_frame_free(&f);
			break;
		}
		desk_frame_free(&f);
	}
	desk_close(w);
	return top;
}

static void
test_kill9_around_breaches(void **state)
{
	bool created[MAX_COMPLAINTS];
	int raised[MAX_COMPLAINTS];
	uint64_t acked[MAX_COMPLAINTS], top = 0, seed;
	size_t nacked = 0;
	int64_t last_created = 0, until;
	const char *s = getenv("DESKD_TEST_SEED");
	char out[512];
	int done;

	(void)state;
	seed = s ? strtoull(s, NULL, 10) : (uint64_t)h_wall_ms();
	rng = seed ? seed : 1;
	print_message("kill -9 moments from DESKD_TEST_SEED=%" PRIu64 "\n",
	    seed);
	srv_setup(&srv, one_second);
	for (int cycle = 0; cycle < KILL_CYCLES; cycle++) {
		struct desk *d;
		int64_t kill_at;

		if (cycle > 0) {
			/* Down for a while: some breaches fall in the gap
			 * and fire late at the start. */
			h_sleep_ms((int)rnd(1200));
			srv_start(&srv);
		}
		/* Served after the fault: a desk records at once. */
		d = h_login(&srv, ADMIN_USER, ADMIN_PASS);
		kill_at = h_now_ms() + rnd(1500);
		/* Staggered intake: the breaches, 1 s after each, spread
		 * over this cycle, the gap and the next cycle. */
		do {
			uint64_t id = h_complaint(d, "2-1-101", "催办", NULL);

			if (id == 0)
				fail_msg("cycle %d: complaint refused", cycle);
			assert_true(nacked < MAX_COMPLAINTS);
			acked[nacked++] = id;
			last_created = h_wall_ms();
			h_sleep_ms(40 + (int)rnd(80));
		} while (h_now_ms() < kill_at);
		desk_close(d);
		srv_kill9(&srv);
	}
	srv_start(&srv);

	/* Every complaint past due, then every one raised exactly once. */
	until = h_now_ms() + 15000;
	for (;;) {
		top = census(created, raised);
		done = 0;
		for (uint64_t id = 1; id <= top; id++)
			done += created[id] && raised[id] > 0;
		if (h_wall_ms() > last_created + 2000 && done == (int)top)
			break;
		if (h_now_ms() > until)
			break;
		h_sleep_ms(200);
	}
	for (size_t i = 0; i < nacked; i++)
		if (!created[acked[i]])
			fail_msg("acknowledged complaint %" PRIu64 " is not in "
			    "the log", acked[i]);
	for (uint64_t id = 1; id <= top; id++) {
		if (!created[id])
			fail_msg("complaint ids are not dense: %" PRIu64
			    " missing", id);
		if (raised[id] != 1)
			fail_msg("complaint %" PRIu64 ": %d first alerts, "
			    "wanted 1 (seed %" PRIu64 ")", id, raised[id],
			    seed);
	}
	print_message("%" PRIu64 " complaints, each raised once (%d late, "
	    "at a start), across %d kills\n", top, late_raises, KILL_CYCLES);

	/* Once more: a restart fires nothing a second time. */
	srv_kill9(&srv);
	srv_start(&srv);
	h_sleep_ms(300);
	assert_int_equal(census(created, raised), top);
	for (uint64_t id = 1; id <= top; id++)
		if (raised[id] != 1)
			fail_msg("after a further restart complaint %" PRIu64
			    " has %d first alerts", id, raised[id]);
	srv_stop(&srv);
	if (srv_verify(&srv, out, sizeof(out)) != 0)
		fail_msg("deskd verify: %s", out);
	assert_non_null(strstr(out, "ok, "));
}

/* ---------- 3. 100,000 clocks pending at restart ---------- */

#define PIPE_DEPTH	128
#define PIPE_CHUNK	64

/* n complaints over one connection, PIPE_CHUNK requests per write and up
 * to PIPE_DEPTH in flight, as a bulk import would send them. */
static void
create_many(struct desk *d, uint32_t n)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__ComplaintNew cn = DESKD__COMPLAINT_NEW__INIT;
	uint32_t sent = 0, done = 0, first = 1u << 30;
	size_t plen, flen;
	uint8_t *payload, *buf;
	struct desk_frame f;

	cn.unit = "9-9-909";
	cn.complainant = "批量";
	cn.phone = "13600000000";
	cn.category = "noise";
	cn.text = "pending clock";
	req.body_case = DESKD__REQUEST__BODY_COMPLAINT_NEW;
	req.complaint_new = &cn;
	plen = deskd__request__get_packed_size(&req);
	flen = WIRE_HEADER_LEN + plen;
	assert_non_null(payload = malloc(plen));
	assert_non_null(buf = malloc(PIPE_CHUNK * flen));
	deskd__request__pack(&req, payload);
	while (done < n) {
		if (sent < n && sent - done <= PIPE_DEPTH - PIPE_CHUNK) {
			uint32_t k = n - sent < PIPE_CHUNK ? n - sent :
			    PIPE_CHUNK;

			for (uint32_t i = 0; i < k; i++) {
				struct wire_header h = { WIRE_VERSION,
				    WIRE_REQUEST, 0, first + sent + i,
				    (uint32_t)plen };

				wire_header_encode(buf + i * flen, &h);
				memcpy(buf + i * flen + WIRE_HEADER_LEN,
				    payload, plen);
			}
			if (desk_write_raw(d, buf, k * flen) != DESK_OK)
				fail_msg("send: %s", desk_error(d));
			sent += k;
			continue;
		}
		if (desk_recv(d, &f, 30000) != DESK_OK)
			fail_msg("after %u of %u: %s", done, n, desk_error(d));
		if (f.kind == WIRE_RESPONSE) {
			if (f.request_id != first + done)
				fail_msg("reply to %u, expected %u",
				    f.request_id, first + done);
			if (f.response->status != ST(OK))
				fail_msg("complaint %u refused: %s", done,
				    f.response->message);
			done++;
		}
		desk_frame_free(&f);
	}
	free(payload);
	free(buf);
}

static void
test_100k_pending_clocks(void **state)
{
	static const char *const long_span[] = {
		"--clock", "complaint.reply_due=1h", NULL };
	uint32_t n = (uint32_t)(100000 * test_scale());
	struct desk *d, *w;
	Deskd__Complaint *c;
	Deskd__Event *e;
	uint64_t newid;
	int64_t t0, t1, created;
	char record[48];
	bool raised = false;

	(void)state;
	srv_setup(&srv, long_span);
	d = h_login(&srv, ADMIN_USER, ADMIN_PASS);
	t0 = h_now_ms();
	create_many(d, n);
	print_message("%u complaints with a 1 h reply clock in %lld ms\n", n,
	    (long long)(h_now_ms() - t0));
	desk_close(d);

	/* SIGTERM, start again: served promptly, the clocks loaded or not. */
	srv_stop(&srv);
	t0 = h_now_ms();
	srv_start(&srv);
	d = h_login(&srv, ADMIN_USER, ADMIN_PASS);
	assert_non_null(c = h_get(d, n));
	t1 = h_now_ms();
	print_message("restart with %u clocks: first reply after %lld ms\n",
	    n, (long long)(t1 - t0));
	if (t1 - t0 > 5000)
		fail_msg("first request served %lld ms after the restart",
		    (long long)(t1 - t0));
	deskd__complaint__free_unpacked(c, NULL);
	desk_close(d);

	/* Restart with a 2 s span: the stored deadlines (1 h away) stand,
	 * nothing fires early; a complaint made now gets the new span. */
	srv.extra[1] = "complaint.reply_due=2s";
	srv_stop(&srv);
	srv_start(&srv);
	w = watcher(last_seq(), "alert.");
	d = h_login(&srv, ADMIN_USER, ADMIN_PASS);
	newid = h_complaint(d, "1-1-101", "after restart", NULL);
	created = h_now_ms();
	assert_int_equal(newid, (uint64_t)n + 1);
	snprintf(record, sizeof(record), "complaint:%" PRIu64, newid);
	for (uint64_t id = 1; id <= n; id += n / 4 > 0 ? n / 4 : 1) {
		assert_non_null(c = h_get(d, id));
		assert_true(c->reply_due_ms - c->created_ms >= HOUR_MS);
		deskd__complaint__free_unpacked(c, NULL);
	}
	assert_non_null(c = h_get(d, newid));
	assert_int_equal(c->reply_due_ms - c->created_ms, 2000);
	deskd__complaint__free_unpacked(c, NULL);
	/* Every alert event for 3 s (and until the new one breaches): only
	 * the new complaint's warning and breach. */
	for (;;) {
		int64_t left = (raised ? created + 3000 : created + 6000) -
		    h_now_ms();
		struct desk_frame f;

		if (left <= 0)
			break;
		if (desk_recv(w, &f, (int)left) != DESK_OK)
			break;
		if ((e = f.event) != NULL && e->alert != NULL) {
			if (strcmp(e->alert->record, record) != 0)
				fail_msg("an old clock fired early: %s %s",
				    e->type, e->summary);
			if (strcmp(e->type, "alert.raised") == 0) {
				assert_true(h_now_ms() - created >= 1500);
				raised = true;
			}
		}
		desk_frame_free(&f);
	}
	if (!raised)
		fail_msg("the complaint made after the restart did not breach "
		    "at 2 s");
	desk_close(w);
	desk_close(d);
}

/* ---------- 4. bad settings at startup ---------- */

/* The source tree, for the shipped calendars: this file's path less
 * tests/integration/test_clock_faults.c. */
static void
source_path(char *out, size_t len, const char *rel)
{
	const char *me = __FILE__;
	const char *tail = "tests/integration/test_clock_faults.c";
	size_t ml = strlen(me), tl = strlen(tail);

	if (ml < tl || strcmp(me + ml - tl, tail) != 0)
		fail_msg("cannot find the source tree from %s", me);
	snprintf(out, len, "%.*s%s", (int)(ml - tl), me, rel);
}

static void
write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

/*
 * deskd on srv's data with one bad setting; it must exit by itself (not
 * start serving, not die of a signal).  Returns its exit code, output in
 * out.
 */
static int
start_bad(const char *const *bad, char *out, size_t len)
{
	char ready[320], cert[512], key[512];
	const char *argv[32], *what = bad[0], *val = bad[1] ? bad[1] : "";
	int pipefd[2], status = 0;
	size_t n = 0, got = 0;
	ssize_t r;
	pid_t pid;

	snprintf(ready, sizeof(ready), "%s/ready-bad", srv.dir);
	unlink(ready);
	snprintf(cert, sizeof(cert), "%s/server.pem", h_certs());
	snprintf(key, sizeof(key), "%s/server-key.pem", h_certs());
	argv[n++] = DESKD_BIN;
	argv[n++] = "--data"; argv[n++] = srv.data;
	argv[n++] = "--listen"; argv[n++] = "127.0.0.1:0";
	argv[n++] = "--cert"; argv[n++] = cert;
	argv[n++] = "--key"; argv[n++] = key;
	argv[n++] = "--ready-file"; argv[n++] = ready;
	for (; *bad && n < 30; bad++)
		argv[n++] = *bad;
	argv[n] = NULL;
	assert_int_equal(pipe(pipefd), 0);
	if ((pid = fork()) == 0) {
		dup2(pipefd[1], 1);
		dup2(pipefd[1], 2);
		close(pipefd[0]);
		execv(DESKD_BIN, (char *const *)argv);
		_exit(127);
	}
	assert_true(pid > 0);
	close(pipefd[1]);
	fcntl(pipefd[0], F_SETFL, O_NONBLOCK);
	for (int i = 0; ; i++) {
		if ((r = read(pipefd[0], out + got, len - 1 - got)) > 0)
			got += (size_t)r;
		if (waitpid(pid, &status, WNOHANG) == pid)
			break;
		if (access(ready, F_OK) == 0 || i == 1000) {
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			close(pipefd[0]);
			fail_msg("deskd %s %s did not refuse to start", what,
			    val);
		}
		h_sleep_ms(10);
	}
	while ((r = read(pipefd[0], out + got, len - 1 - got)) > 0)
		got += (size_t)r;
	out[got] = '\0';
	close(pipefd[0]);
	if (WIFSIGNALED(status))
		fail_msg("deskd %s %s died of signal %d: %s", what, val,
		    WTERMSIG(status), out);
	assert_true(WIFEXITED(status));
	if (strstr(out, "Sanitizer") != NULL)
		fail_msg("deskd %s %s: %s", what, val, out);
	return WEXITSTATUS(status);
}

/* Refused with exit 2 and every one of the words in the message. */
static void
expect_refused(const char *const *bad, const char *const *words)
{
	char out[8192];
	int rc = start_bad(bad, out, sizeof(out));

	if (rc != 2)
		fail_msg("deskd %s %s exited %d, wanted 2: %s", bad[0], bad[1],
		    rc, out);
	for (; *words; words++)
		if (strstr(out, *words) == NULL)
			fail_msg("deskd %s %s: message does not name '%s': %s",
			    bad[0], bad[1], *words, out);
}

static void
test_bad_settings_at_startup(void **state)
{
	char conf[320], cal[320], cal2[320], missing[320], shipped[512];
	char where[340];
	struct desk *d;
	Deskd__Complaint *c;
	uint64_t id;

	(void)state;
	/* A real store: only the settings are wrong. */
	srv_setup(&srv, NULL);
	srv_stop(&srv);

	expect_refused((const char *[]){ "--clock", "repair.no_engineer=-5s",
	    NULL }, (const char *[]){ "repair.no_engineer", "-5s", NULL });
	expect_refused((const char *[]){ "--clock", "repair.no_engineer=banana",
	    NULL }, (const char *[]){ "repair.no_engineer", "banana", NULL });
	expect_refused((const char *[]){ "--clock", "no.such.clock=1s", NULL },
	    (const char *[]){ "no.such.clock", NULL });
	expect_refused((const char *[]){ "--clock", "repair.no_engineer=0",
	    NULL }, (const char *[]){ "repair.no_engineer", NULL });
	expect_refused((const char *[]){ "--clock",
	    "repair.no_engineer.repeat=-1s", NULL },
	    (const char *[]){ "repair.no_engineer.repeat", NULL });
	expect_refused((const char *[]){ "--clock",
	    "repair.no_engineer.warn=150%", NULL },
	    (const char *[]){ "repair.no_engineer.warn", NULL });
	expect_refused((const char *[]){ "--clock",
	    "repair.no_engineer.escalate=nan", NULL },
	    (const char *[]){ "repair.no_engineer.escalate", NULL });
	expect_refused((const char *[]){ "--clock", "repair.no_engineer",
	    NULL }, (const char *[]){ "NAME=", NULL });

	snprintf(conf, sizeof(conf), "%s/bad.conf", srv.dir);
	write_file(conf, "[clocks]\nrepair.no_engineer = soon\n");
	expect_refused((const char *[]){ "--config", conf, NULL },
	    (const char *[]){ conf, "repair.no_engineer", "soon", NULL });

	/* Calendars: FILE:LINE of the first bad entry. */
	snprintf(cal, sizeof(cal), "%s/overlap.ini", srv.dir);
	write_file(cal, "[holidays]\n2025-10-01..2025-10-08 = 国庆节\n"
	    "2025-10-06..2025-10-07 = 重复\n");
	snprintf(where, sizeof(where), "%s:3", cal);
	expect_refused((const char *[]){ "--calendar", cal, NULL },
	    (const char *[]){ where, NULL });
	snprintf(cal2, sizeof(cal2), "%s/malformed.ini", srv.dir);
	write_file(cal2, "[holidays]\n2025-01-01 = 元旦\n"
	    "2025-02-30 = 不存在\n");
	snprintf(where, sizeof(where), "%s:3", cal2);
	expect_refused((const char *[]){ "--calendar", cal2, NULL },
	    (const char *[]){ where, NULL });
	snprintf(missing, sizeof(missing), "%s/no-such-calendar.ini", srv.dir);
	expect_refused((const char *[]){ "--calendar", missing, NULL },
	    (const char *[]){ missing, NULL });

	/* The shipped calendars start, and the store is intact. */
	source_path(shipped, sizeof(shipped), "scripts/calendar-cn-2025.ini");
	srv.extra[0] = "--calendar";
	srv.extra[1] = shipped;
	srv.extra[2] = NULL;
	srv_start(&srv);
	d = h_login(&srv, ADMIN_USER, ADMIN_PASS);
	assert_true((id = h_complaint(d, "1-1-101", "calendar ok", NULL)) > 0);
	assert_non_null(c = h_get(d, id));
	deskd__complaint__free_unpacked(c, NULL);
	desk_close(d);
	srv_stop(&srv);
	source_path(shipped, sizeof(shipped), "scripts/calendar-cn-2026.ini");
	srv_start(&srv);
	d = h_login(&srv, ADMIN_USER, ADMIN_PASS);
	assert_true(h_complaint(d, "1-1-102", "calendar ok", NULL) > 0);
	desk_close(d);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_reply_garbage_times, cleanup),
		cmocka_unit_test_teardown(test_repair_garbage_times, cleanup),
		cmocka_unit_test_teardown(test_kill9_around_breaches, cleanup),
		cmocka_unit_test_teardown(test_100k_pending_clocks, cleanup),
		cmocka_unit_test_teardown(test_bad_settings_at_startup,
		    cleanup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
