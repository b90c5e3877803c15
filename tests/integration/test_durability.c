/*
 * test_durability.c - H4: nothing acknowledged is ever lost.  kill -9 in
 * the middle of pipelined writes, SIGTERM with requests in flight, an LMDB
 * map that must grow under load, and a subscriber that stops reading while
 * 100,000 events are written (bounded memory, other desks still served, and
 * it catches up on everything afterwards).
 *
 * Each desk connection is blocking, so every pipelining desk runs in its own
 * thread; threads only record what they saw, all asserting happens in the
 * test's own thread once they are joined.
 */
#include <inttypes.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "harness.h"
#include "wire.h"

#define CLERK_PW	"clerk-pass-1"
#define ENG_PW		"engineer-pass-1"
#define MAX_DEPTH	128

/* ---------- pipelining writers, in threads ---------- */

/* One acknowledged complaint: the writer's n-th request became id. */
struct ack {
	uint64_t	id;
	uint32_t	n;
};

/* A desk pipelining ComplaintNew; the texts let every ack be checked. */
struct writer {
	pthread_t	 th;
	struct desk	*d;
	int		 no;		/* part of every text it sends */
	int		 depth;		/* requests kept in flight */
	int		 chunk;		/* requests per write */
	uint32_t	 raw_id;	/* ids of coalesced requests */
	uint32_t	 limit;		/* send this many; 0: until cut */
	size_t		 text_len;	/* pad texts to this size */
	/* results, read once joined */
	struct ack	*acks;
	size_t		 nacks, capacks;
	uint32_t	 sent, refused;
	char		 err[256];
	atomic_uint	 progress;	/* acks so far, read while running */
	atomic_bool	 finished;
	bool		 started;	/* th is to be joined */
};

/* The text of writer w's n-th complaint: reconstructible for checking. */
static void
make_text(char *buf, size_t len, int w, uint32_t n, size_t pad)
{
	int k = snprintf(buf, len, "w%d n%u ", w, n);
	size_t i;

	for (i = (size_t)k; i < pad && i + 1 < len; i++)
		buf[i] = (char)('a' + (i + n) % 26);
	buf[i] = '\0';
}

static void
make_unit(char *buf, size_t len, int w)
{
	snprintf(buf, len, "W-%d", w);
}

static void
ack_add(struct writer *wr, uint64_t id, uint32_t n)
{
	if (wr->nacks == wr->capacks) {
		size_t ncap = wr->capacks ? wr->capacks * 2 : 1024;
		struct ack *grown = realloc(wr->acks, ncap * sizeof(*grown));

		if (grown == NULL)
			abort();
		wr->acks = grown;
		wr->capacks = ncap;
	}
	wr->acks[wr->nacks].id = id;
	wr->acks[wr->nacks].n = n;
	wr->nacks++;
}

/*
 * Send n requests into the window after head+inflight.  With chunk 1 each
 * goes through desk_send, as a desk would; otherwise the frames of a chunk
 * leave in one write, as a pipelining client's coalesced writes would, so
 * the server reads many per TLS record (it reads a couple of records per
 * wakeup, and one record per request would make every commit tiny).
 */
static int
send_requests(struct writer *wr, Deskd__Request *req, char *text,
    size_t textlen, uint32_t *ids, uint32_t *ns, size_t head,
    size_t inflight, size_t n)
{
	uint8_t *buf = NULL;
	size_t len = 0, cap = 0;
	int rc = DESK_OK;

	for (size_t i = 0; i < n; i++) {
		size_t slot = (head + inflight + i) % MAX_DEPTH, plen;

		make_text(text, textlen, wr->no, wr->sent, wr->text_len);
		ns[slot] = wr->sent++;
		if (wr->chunk == 1) {
			if ((rc = desk_send(wr->d, req, &ids[slot])) !=
			    DESK_OK)
				break;
			continue;
		}
		plen = deskd__request__get_packed_size(req);
		if (len + WIRE_HEADER_LEN + plen > cap) {
			size_t ncap = (len + WIRE_HEADER_LEN + plen) * 2;
			uint8_t *grown = realloc(buf, ncap);

			if (grown == NULL)
				abort();
			buf = grown;
			cap = ncap;
		}
		{
			struct wire_header h = { WIRE_VERSION, WIRE_REQUEST, 0,
			    ++wr->raw_id, (uint32_t)plen };

			wire_header_encode(buf + len, &h);
			deskd__request__pack(req, buf + len + WIRE_HEADER_LEN);
			ids[slot] = h.request_id;
			len += WIRE_HEADER_LEN + plen;
		}
	}
	if (rc == DESK_OK && len > 0)
		rc = desk_write_raw(wr->d, buf, len);
	free(buf);
	if (rc != DESK_OK)
		snprintf(wr->err, sizeof(wr->err), "send: %s",
		    desk_error(wr->d));
	return rc;
}

static void
writer_loop(struct writer *wr)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__ComplaintNew cn = DESKD__COMPLAINT_NEW__INIT;
	uint32_t ids[MAX_DEPTH], ns[MAX_DEPTH];
	size_t head = 0, inflight = 0;
	char text[4096], unit[32];
	struct desk_frame f;
	int rc;

	make_unit(unit, sizeof(unit), wr->no);
	cn.unit = unit;
	cn.complainant = "赵先生";
	cn.phone = "13700000000";
	cn.category = "other";
	cn.text = text;
	req.body_case = DESKD__REQUEST__BODY_COMPLAINT_NEW;
	req.complaint_new = &cn;
	for (;;) {
		size_t room = (size_t)wr->depth - inflight;
		size_t left = wr->limit ? wr->limit - wr->sent : room;

		if (left < room)
			room = left;
		/* Top the window up a chunk at a time (or the last few). */
		if (room > 0 && (room >= (size_t)wr->chunk || room == left ||
		    inflight == 0)) {
			if (send_requests(wr, &req, text, sizeof(text), ids, ns,
			    head, inflight, room) != DESK_OK)
				return;
			inflight += room;
		}
		if (inflight == 0)
			return;
		if ((rc = desk_recv(wr->d, &f, 30000)) != DESK_OK) {
			snprintf(wr->err, sizeof(wr->err), "recv: %s",
			    desk_error(wr->d));
			return;
		}
		if (f.kind != WIRE_RESPONSE) {
			desk_frame_free(&f);
			continue;
		}
		/* Replies come in request order. */
		if (f.request_id != ids[head]) {
			snprintf(wr->err, sizeof(wr->err), "reply to %u, "
			    "expected %u", f.request_id, ids[head]);
			desk_frame_free(&f);
			return;
		}
		if (f.response->status == DESKD__STATUS__OK &&
		    f.response->body_case == DESKD__RESPONSE__BODY_COMPLAINT) {
			ack_add(wr, f.response->complaint->id, ns[head]);
			atomic_fetch_add(&wr->progress, 1);
		} else if (wr->refused++ == 0)
			snprintf(wr->err, sizeof(wr->err), "refused: %s (%s)",
			    f.response->message,
			    desk_status_name(f.response->status));
		desk_frame_free(&f);
		head = (head + 1) % MAX_DEPTH;
		inflight--;
	}
}

static void *
writer_run(void *arg)
{
	struct writer *wr = arg;

	writer_loop(wr);
	atomic_store(&wr->finished, true);
	return NULL;
}

static void
writer_start(struct writer *wr, struct server_proc *s, int no, int depth,
    int chunk, uint32_t limit, size_t text_len)
{
	memset(wr, 0, sizeof(*wr));
	assert_true(depth > 0 && depth <= MAX_DEPTH);
	assert_true(chunk > 0 && chunk <= depth);
	wr->d = h_login(s, "clerk1", CLERK_PW);
	wr->no = no;
	wr->depth = depth;
	wr->chunk = chunk;
	/* Clear of the ids desk_send has used for Hello and Login. */
	wr->raw_id = 1u << 30;
	wr->limit = limit;
	wr->text_len = text_len;
	atomic_init(&wr->progress, 0);
	atomic_init(&wr->finished, false);
	assert_int_equal(pthread_create(&wr->th, NULL, writer_run, wr), 0);
	wr->started = true;
}

static void
writer_join(struct writer *wr)
{
	if (wr->started)
		pthread_join(wr->th, NULL);
	wr->started = false;
	desk_close(wr->d);
	wr->d = NULL;
}

static void
writer_free(struct writer *wr)
{
	free(wr->acks);
	wr->acks = NULL;
	wr->nacks = wr->capacks = 0;
}

/* A watcher thread: every complaint pushed to it, until the stream ends. */
struct pushed {
	uint64_t	id;
	char		*text;
};

struct watch {
	pthread_t	 th;
	bool		 started;
	struct desk	*d;
	struct pushed	*got;
	size_t		 n, cap;
	uint64_t	 last_seq, bad_seq;
};

static void *
watch_run(void *arg)
{
	struct watch *w = arg;
	struct desk_frame f;

	while (desk_recv(w->d, &f, 30000) == DESK_OK) {
		Deskd__Event *ev = f.event;

		if (f.kind == WIRE_EVENT && ev != NULL) {
			if (ev->seq != w->last_seq + 1 && w->bad_seq == 0)
				w->bad_seq = ev->seq;
			w->last_seq = ev->seq;
			if (ev->complaint != NULL &&
			    strcmp(ev->type, "complaint.created") == 0) {
				if (w->n == w->cap) {
					size_t ncap = w->cap ? w->cap * 2 :
					    1024;
					struct pushed *g = realloc(w->got,
					    ncap * sizeof(*g));

					if (g == NULL)
						abort();
					w->got = g;
					w->cap = ncap;
				}
				w->got[w->n].id = ev->complaint->id;
				if ((w->got[w->n].text =
				    strdup(ev->complaint->text)) == NULL)
					abort();
				w->n++;
			}
		}
		desk_frame_free(&f);
	}
	return NULL;
}

static void
watch_start(struct watch *w, struct server_proc *s)
{
	memset(w, 0, sizeof(*w));
	w->d = h_login(s, "eng1", ENG_PW);
	w->last_seq = desk_welcome(w->d)->last_seq;
	if (desk_subscribe(w->d, w->last_seq, NULL, 0, NULL) != DESK_OK)
		fail_msg("subscribe: %s", desk_error(w->d));
	assert_int_equal(pthread_create(&w->th, NULL, watch_run, w), 0);
	w->started = true;
}

static void
watch_join(struct watch *w)
{
	if (w->started)
		pthread_join(w->th, NULL);
	w->started = false;
}

static void
watch_free(struct watch *w)
{
	watch_join(w);
	desk_close(w->d);
	for (size_t i = 0; i < w->n; i++)
		free(w->got[i].text);
	free(w->got);
	memset(w, 0, sizeof(*w));
}

/* ---------- checking what the store holds ---------- */

/* Every complaint in the store, indexed by id (ids are 1..n). */
struct table {
	Deskd__Complaint	**byid;
	size_t			 cap;	/* highest id + 1 */
	size_t			 count;
};

static void
table_load(struct table *t, struct desk *d)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__ComplaintList l = DESKD__COMPLAINT_LIST__INIT;
	Deskd__Response *resp;
	bool more = true;

	memset(t, 0, sizeof(*t));
	l.limit = 500;
	req.body_case = DESKD__REQUEST__BODY_COMPLAINT_LIST;
	req.complaint_list = &l;
	while (more) {
		Deskd__ComplaintListReply *r;

		if (desk_call(d, &req, &resp) != DESK_OK)
			fail_msg("list after %" PRIu64 ": %s", l.after_id,
			    desk_error(d));
		r = resp->complaint_list;
		more = r->more;
		if (r->n_complaints == 0)
			more = false;
		for (size_t i = 0; i < r->n_complaints; i++) {
			Deskd__Complaint *c = r->complaints[i];

			assert_true(c->id > l.after_id);
			l.after_id = c->id;
			if (c->id >= t->cap) {
				size_t ncap = t->cap ? t->cap : 1024;
				Deskd__Complaint **g;

				while (ncap <= c->id)
					ncap *= 2;
				g = realloc(t->byid, ncap * sizeof(*g));
				assert_non_null(g);
				memset(g + t->cap, 0, (ncap - t->cap) *
				    sizeof(*g));
				t->byid = g;
				t->cap = ncap;
			}
			t->byid[c->id] = c;
			r->complaints[i] = NULL;
			t->count++;
		}
		/* The complaints now belong to the table. */
		r->n_complaints = 0;
		deskd__response__free_unpacked(resp, NULL);
	}
}

static Deskd__Complaint *
table_get(const struct table *t, uint64_t id)
{
	return id < t->cap ? t->byid[id] : NULL;
}

static void
table_free(struct table *t)
{
	for (size_t i = 0; i < t->cap; i++)
		if (t->byid[i])
			deskd__complaint__free_unpacked(t->byid[i], NULL);
	free(t->byid);
	memset(t, 0, sizeof(*t));
}

/* Every acknowledged complaint is there, as it was sent. */
static void
check_acks(const struct table *t, const struct writer *wr)
{
	char text[4096], unit[32];

	make_unit(unit, sizeof(unit), wr->no);
	for (size_t i = 0; i < wr->nacks; i++) {
		const Deskd__Complaint *c = table_get(t, wr->acks[i].id);

		make_text(text, sizeof(text), wr->no, wr->acks[i].n,
		    wr->text_len);
		if (c == NULL)
			fail_msg("writer %d: complaint %" PRIu64 " (request "
			    "%u) was acknowledged but is gone", wr->no,
			    wr->acks[i].id, wr->acks[i].n);
		assert_string_equal(c->text, text);
		assert_string_equal(c->unit, unit);
		assert_string_equal(c->complainant, "赵先生");
		/* Read by an engineer: the number masked (E6). */
		assert_string_equal(c->phone, "137****0000");
		assert_string_equal(c->category, "other");
		assert_string_equal(c->created_by, "clerk1");
	}
}

/*
 * Subscribe from 0 and read the whole log: seq 1..last, each once, in
 * order.  Returns last; *created counts complaint.created events.
 */
static uint64_t
replay_all(struct desk *d, size_t *created)
{
	uint64_t last = 0, want;
	struct desk_frame f;

	*created = 0;
	if (desk_subscribe(d, 0, NULL, 0, &last) != DESK_OK)
		fail_msg("subscribe 0: %s", desk_error(d));
	for (want = 1; want <= last; ) {
		if (desk_recv(d, &f, 10000) != DESK_OK)
			fail_msg("replay: seq %" PRIu64 " of %" PRIu64
			    " missing: %s", want, last, desk_error(d));
		if (f.kind == WIRE_EVENT) {
			if (f.event->seq != want)
				fail_msg("replay: seq %" PRIu64 ", expected %"
				    PRIu64, f.event->seq, want);
			if (strcmp(f.event->type, "complaint.created") == 0)
				(*created)++;
			want++;
		}
		desk_frame_free(&f);
	}
	return last;
}

/* `deskd verify` passes and counts exactly `events`. */
static void
check_verify(struct server_proc *s, uint64_t events)
{
	char out[1024], want[64];

	if (srv_verify(s, out, sizeof(out)) != 0)
		fail_msg("deskd verify failed: %s", out);
	snprintf(want, sizeof(want), "ok, %" PRIu64 " events", events);
	if (strstr(out, want) == NULL)
		fail_msg("deskd verify: '%s', expected '%s'", out, want);
}

/* The whole store agrees with itself: list, log, verify.  Returns the
 * table for further checks. */
static void
check_store(struct server_proc *s, struct table *t)
{
	struct desk *d = h_login(s, "eng1", ENG_PW);
	size_t created;
	uint64_t last;

	table_load(t, d);
	last = replay_all(d, &created);
	/* Every complaint came with its created event, and no other. */
	assert_int_equal(created, t->count);
	desk_close(d);
	check_verify(s, last);
}

/* DESKD_TEST_SCALE (default 1) shrinks the heavy tests for slow builds. */
static double
scale(void)
{
	const char *e = getenv("DESKD_TEST_SCALE");
	double v = e ? strtod(e, NULL) : 1.0;

	return v > 0 && v <= 1.0 ? v : 1.0;
}

static void
add_users(struct server_proc *s)
{
	h_add_user(s, "clerk1", "clerk", CLERK_PW);
	h_add_user(s, "eng1", "engineer", ENG_PW);
}

/* Wait until the writers together have n acks, or ms passed. */
static void
wait_progress(struct writer *wr, int nw, unsigned n, int ms)
{
	int64_t deadline = h_now_ms() + ms;

	while (h_now_ms() < deadline) {
		unsigned sum = 0;

		for (int i = 0; i < nw; i++)
			sum += atomic_load(&wr[i].progress);
		if (sum >= n)
			return;
		h_sleep_ms(10);
	}
}

/* ---------- the state of one test, reachable by the cleanup ---------- */

#define NWRITERS	4
#define KILL_CYCLES	3
#define MAX_WRITERS	(NWRITERS * KILL_CYCLES)

static struct server_proc srv;
static struct writer writers[MAX_WRITERS];
static struct watch watcher;
static struct table table;
static struct desk *desks[2];
static char *saved_asan_options;

/* Runs after every test, passed or failed, so no deskd or thread is left
 * behind by a failed assertion. */
static int
cleanup(void **state)
{
	bool threads = watcher.started;

	(void)state;
	for (int i = 0; i < MAX_WRITERS; i++)
		threads |= writers[i].started;
	/* Threads still running after a failure end when the server goes. */
	if (threads)
		srv_kill9(&srv);
	for (int i = 0; i < MAX_WRITERS; i++) {
		writer_join(&writers[i]);
		writer_free(&writers[i]);
	}
	watch_free(&watcher);
	table_free(&table);
	for (size_t i = 0; i < sizeof(desks) / sizeof(desks[0]); i++) {
		desk_close(desks[i]);
		desks[i] = NULL;
	}
	if (srv.dir[0] != '\0')
		srv_teardown(&srv);
	memset(&srv, 0, sizeof(srv));
	if (saved_asan_options != NULL) {
		setenv("ASAN_OPTIONS", saved_asan_options, 1);
		free(saved_asan_options);
		saved_asan_options = NULL;
	}
	return 0;
}

/* ---------- kill -9 ---------- */

static void
test_kill9_loses_nothing(void **state)
{
	(void)state;
	srv_setup(&srv, NULL);
	add_users(&srv);
	for (int cycle = 0; cycle < KILL_CYCLES; cycle++) {
		struct writer *cw = &writers[cycle * NWRITERS];
		int64_t start;
		size_t acked = 0;

		watch_start(&watcher, &srv);
		for (int i = 0; i < NWRITERS; i++)
			writer_start(&cw[i], &srv, cycle * NWRITERS + i, 8, 1,
			    0, 64);
		start = h_now_ms();
		/* Some real work first, then the kill in the middle of it. */
		wait_progress(cw, NWRITERS, 200, 5000);
		while (h_now_ms() - start < 700)
			h_sleep_ms(10);
		srv_kill9(&srv);
		for (int i = 0; i < NWRITERS; i++) {
			writer_join(&cw[i]);
			acked += cw[i].nacks;
			/* Writers are only ever cut off, never refused. */
			if (cw[i].refused != 0)
				fail_msg("writer %d: %s", cw[i].no, cw[i].err);
		}
		watch_join(&watcher);
		assert_true(acked > 0);
		/* The watcher saw a gap-free stream while it lasted. */
		assert_int_equal(watcher.bad_seq, 0);

		srv_start(&srv);
		check_store(&srv, &table);
		/* Every cycle's acks, not just this one's: nothing is lost
		 * by a later kill either. */
		for (int i = 0; i < (cycle + 1) * NWRITERS; i++)
			check_acks(&table, &writers[i]);
		/* Pushed means committed: all of it survived too. */
		for (size_t i = 0; i < watcher.n; i++) {
			const Deskd__Complaint *c = table_get(&table,
			    watcher.got[i].id);

			if (c == NULL)
				fail_msg("complaint %" PRIu64 " was pushed "
				    "but is gone after kill -9",
				    watcher.got[i].id);
			assert_string_equal(c->text, watcher.got[i].text);
		}
		print_message("cycle %d: %zu acknowledged, %zu pushed, %zu "
		    "stored\n", cycle, acked, watcher.n, table.count);
		table_free(&table);
		watch_free(&watcher);
	}
}

/* ---------- a subscriber that never reads ---------- */

#define FLOOD_EVENTS	100000
#define FLOOD_WRITERS	2
/* Bytes: 100k unread events (~120 MiB) would far exceed the bound; with
 * DESKD_TEST_SCALE below ~0.6 the bound no longer proves much. */
#define FLOOD_TEXT	1000
#define MEM_BOUND_KIB	(64 * 1024)
#define ANSWER_BOUND_MS	2000

/*
 * The server's anonymous resident memory: the heap, where queued output
 * would live.  VmRSS (srv_rss_kib) also counts the pages of the LMDB map
 * the server has touched, which grow with the store whoever reads it and
 * are the kernel's page cache, not memory deskd holds on to.
 */
static long
rss_anon_kib(struct server_proc *s)
{
	return srv_status_kib(s, "RssAnon");
}

static void
test_slow_subscriber(void **state)
{
	const char *const extra[] = { "--out-high-water", "256K", NULL };
	uint32_t per = (uint32_t)(FLOOD_EVENTS * scale()) / FLOOD_WRITERS;
	uint32_t total = per * FLOOD_WRITERS;
	struct desk *slow, *other;
	uint64_t since, want, last;
	long base, anon, peak, rss_base, rss_peak, rss;
	int64_t t0, worst = 0;
	struct desk_frame f;
	size_t created = 0;
	int probes = 0;
	bool running;

	(void)state;
	/* ASan's quarantine of freed memory is not deskd's buffering. */
	saved_asan_options = h_asan_small_quarantine();
	srv_setup(&srv, extra);
	add_users(&srv);
	other = desks[0] = h_login(&srv, "clerk1", CLERK_PW);
	slow = desks[1] = h_login(&srv, "eng1", ENG_PW);
	since = desk_welcome(slow)->last_seq;
	assert_int_equal(desk_subscribe(slow, since, NULL, 0, NULL), DESK_OK);
	/* From here on, slow is not read until the flood is over. */
	base = peak = rss_anon_kib(&srv);
	rss_base = rss_peak = srv_rss_kib(&srv);
	assert_true(base > 0);

	t0 = h_now_ms();
	for (int i = 0; i < FLOOD_WRITERS; i++)
		writer_start(&writers[i], &srv, i, MAX_DEPTH, 16, per,
		    FLOOD_TEXT);
	do {
		unsigned done = 0;

		running = false;
		for (int i = 0; i < FLOOD_WRITERS; i++) {
			done += atomic_load(&writers[i].progress);
			if (!atomic_load(&writers[i].finished))
				running = true;
		}
		if ((anon = rss_anon_kib(&srv)) > peak)
			peak = anon;
		if ((rss = srv_rss_kib(&srv)) > rss_peak)
			rss_peak = rss;
		/* Another desk is served promptly all through the flood:
		 * probes at a quarter, half and three quarters. */
		if (running && probes < 3 &&
		    done >= (unsigned)(probes + 1) * total / 4) {
			int64_t a = h_now_ms();
			Deskd__Status st;

			assert_true(h_complaint(other, "P-1", "probe",
			    &st) > 0);
			assert_int_equal(st, DESKD__STATUS__OK);
			if (h_now_ms() - a > worst)
				worst = h_now_ms() - a;
			probes++;
		}
		if (running)
			h_sleep_ms(20);
	} while (running);
	for (int i = 0; i < FLOOD_WRITERS; i++) {
		writer_join(&writers[i]);
		if (writers[i].nacks != per)
			fail_msg("writer %d: %zu of %u acknowledged: %s", i,
			    writers[i].nacks, per, writers[i].err);
	}
	print_message("flood: %u events in %" PRId64 " ms (server cpu %ld "
	    "ms); anon %ld -> peak %ld KiB (VmRSS %ld -> %ld); %d probes, "
	    "slowest %" PRId64 " ms\n", total, h_now_ms() - t0, srv_cpu_ms(&srv),
	    base, peak, rss_base, rss_peak, probes, worst);
	assert_true(probes > 0);
	if (worst >= ANSWER_BOUND_MS)
		fail_msg("another desk waited %" PRId64 " ms during the flood",
		    worst);
	if (peak - base > MEM_BOUND_KIB)
		fail_msg("server memory grew by %ld KiB (bound %d KiB) behind "
		    "a subscriber that does not read", peak - base,
		    MEM_BOUND_KIB);

	/* Now it reads, and gets everything, in order, nothing missing. */
	{
		struct desk *probe = h_connect(&srv);

		assert_non_null(probe);
		last = desk_welcome(probe)->last_seq;
		desk_close(probe);
	}
	assert_true(last >= since + total);
	for (want = since + 1; want <= last; ) {
		if (desk_recv(slow, &f, 10000) != DESK_OK)
			fail_msg("slow subscriber: seq %" PRIu64 " of %" PRIu64
			    " never came: %s", want, last, desk_error(slow));
		if (f.kind == WIRE_EVENT) {
			if (f.event->seq != want)
				fail_msg("slow subscriber: seq %" PRIu64
				    ", expected %" PRIu64, f.event->seq, want);
			if (strcmp(f.event->type, "complaint.created") == 0)
				created++;
			want++;
		}
		desk_frame_free(&f);
	}
	assert_int_equal(created, (size_t)total + (size_t)probes);
	print_message("slow subscriber caught up: %" PRIu64 " events in %"
	    PRId64 " ms total\n", last - since, h_now_ms() - t0);
}

/* ---------- the map grows instead of failing ---------- */

#define MAP_COMPLAINTS	3000
#define MAP_TEXT	2048

static void
test_map_growth(void **state)
{
	const char *const extra[] = { "--map-size", "1M", NULL };
	struct writer *wr = &writers[0];

	(void)state;
	srv_setup(&srv, extra);
	add_users(&srv);
	writer_start(wr, &srv, 0, 32, 8, MAP_COMPLAINTS, MAP_TEXT);
	writer_join(wr);
	/* MAP_FULL is the server's problem, never the desk's. */
	if (wr->nacks != MAP_COMPLAINTS || wr->refused != 0)
		fail_msg("%zu of %d acknowledged: %s", wr->nacks,
		    MAP_COMPLAINTS, wr->err);
	check_store(&srv, &table);
	check_acks(&table, wr);
	table_free(&table);

	srv_stop(&srv);
	srv_start(&srv);
	check_store(&srv, &table);
	assert_int_equal(table.count, MAP_COMPLAINTS);
	check_acks(&table, wr);
}

/* ---------- SIGTERM with requests in flight ---------- */

static void
test_graceful_stop(void **state)
{
	size_t acked = 0;
	int64_t t0, stopped;

	(void)state;
	srv_setup(&srv, NULL);
	add_users(&srv);
	for (int i = 0; i < NWRITERS; i++)
		writer_start(&writers[i], &srv, i, 8, 1, 0, 64);
	wait_progress(writers, NWRITERS, 300, 5000);
	t0 = h_now_ms();
	/* srv_stop fails the test if deskd takes more than 5 s. */
	srv_stop(&srv);
	stopped = h_now_ms() - t0;
	assert_true(stopped < 5000);
	for (int i = 0; i < NWRITERS; i++) {
		writer_join(&writers[i]);
		acked += writers[i].nacks;
	}
	assert_true(acked >= 300);

	srv_start(&srv);
	check_store(&srv, &table);
	for (int i = 0; i < NWRITERS; i++)
		check_acks(&table, &writers[i]);
	print_message("graceful stop: %zu acknowledged, %zu stored, stopped "
	    "in %" PRId64 " ms\n", acked, table.count, stopped);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_kill9_loses_nothing, cleanup),
		cmocka_unit_test_teardown(test_slow_subscriber, cleanup),
		cmocka_unit_test_teardown(test_map_growth, cleanup),
		cmocka_unit_test_teardown(test_graceful_stop, cleanup),
	};

	/* Writing to a killed server must fail a call, not kill the test. */
	signal(SIGPIPE, SIG_IGN);
	if (getenv("DESKD_TEST_ONLY") != NULL)
		cmocka_set_test_filter(getenv("DESKD_TEST_ONLY"));
	return cmocka_run_group_tests(tests, NULL, NULL);
}
