/*
 * bench_clocks.c - the deadline clocks: deskd's start with a million
 * pending, the cost of arming and cancelling one, and an alert's lateness
 * under load.
 */
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"

/* Targets, printed beside the figures; nothing fails when they are missed. */
#define TARGET_STARTUP_MS	1000
#define TARGET_CLOCK_MEM_MIB	20	/* RssAnon, 1M clocks vs none */
/* Arm + cancel at 1M clocks over the same at an empty store: a deeper
 * B-tree makes it a little dearer; a scan of the clocks, ~1000x. */
#define TARGET_ARM_RATIO	3.0
#define TARGET_FIRE_P99_MS	50.0

/* storage's RECORD_COMPLAINT: Alert.record_kind of a complaint's clock. */
#define KIND_COMPLAINT		1

/* ---------- deadline clocks: startup with many pending ---------- */

static int
get_one(struct desk *d, uint64_t id)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__ComplaintGet g = DESKD__COMPLAINT_GET__INIT;
	Deskd__Response *resp = NULL;
	int rc;

	g.id = id;
	req.body_case = DESKD__REQUEST__BODY_COMPLAINT_GET;
	req.complaint_get = &g;
	if ((rc = desk_call(d, &req, &resp)) != DESK_OK)
		warnx_("complaint get: %s", desk_error(d));
	if (resp)
		deskd__response__free_unpacked(resp, NULL);
	return rc == DESK_OK ? 0 : -1;
}

static int
send_step(struct desk *d, uint64_t id, Deskd__ComplaintAction action,
    const char *text)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__ComplaintStep st = DESKD__COMPLAINT_STEP__INIT;

	st.id = id;
	st.action = action;
	st.text = (char *)text;
	req.body_case = DESKD__REQUEST__BODY_COMPLAINT_STEP;
	req.complaint_step = &st;
	return desk_send(d, &req, NULL);
}

/*
 * Arm + cancel through the real path: ComplaintNew arms the reply clock,
 * INVALID then REPLY closes the complaint, which stops it (C3).  Each desk
 * keeps `depth` complaints in flight; replies come in request order, so
 * a FIFO of what was sent says what each reply answers.
 */
enum ac_stage { AC_CREATE, AC_INVALID, AC_REPLY };

struct ac_op {
	enum ac_stage	 stage;
	uint64_t	 id;
};

struct ac_desk {
	struct desk	*d;
	int		 idx;
	int		 depth;
	uint32_t	 pairs;		/* to do */
	uint32_t	 done;
	bool		 failed;
	char		 err[256];
};

static int
ac_send(struct ac_desk *a, struct ac_op *ring, int *tail, int *count,
    enum ac_stage stage, uint64_t id, uint32_t serial)
{
	int rc;

	switch (stage) {
	case AC_CREATE:
		rc = send_complaint(a->d, a->idx, serial);
		break;
	case AC_INVALID:
		rc = send_step(a->d, id, DESKD__COMPLAINT_ACTION__ACTION_INVALID,
		    "bench: not a complaint");
		break;
	default:
		rc = send_step(a->d, id, DESKD__COMPLAINT_ACTION__ACTION_REPLY,
		    "bench: told the complainant");
		break;
	}
	if (rc != DESK_OK)
		return -1;
	ring[*tail].stage = stage;
	ring[*tail].id = id;
	*tail = (*tail + 1) % a->depth;
	(*count)++;
	return 0;
}

static void *
ac_run(void *arg)
{
	struct ac_desk *a = arg;
	struct ac_op *ring;
	struct desk_frame f;
	int head = 0, tail = 0, count = 0;
	uint32_t started = 0;
	struct ac_op op;

	if ((ring = calloc((size_t)a->depth, sizeof(*ring))) == NULL) {
		a->failed = true;
		snprintf(a->err, sizeof(a->err), "out of memory");
		return NULL;
	}
	for (; started < a->pairs && count < a->depth; started++)
		if (ac_send(a, ring, &tail, &count, AC_CREATE, 0, started) != 0)
			goto fail;
	/* Bounded: at most 3 * pairs replies, each within the timeout.  A
	 * reply pops one op and pushes at most one: the ring never
	 * overflows. */
	while (count > 0) {
		if (desk_recv(a->d, &f, CALL_TIMEOUT_MS) != DESK_OK)
			goto fail;
		if (f.kind != WIRE_RESPONSE) {
			desk_frame_free(&f);
			continue;
		}
		op = ring[head];
		head = (head + 1) % a->depth;
		count--;
		if (f.response->status != DESKD__STATUS__OK ||
		    (op.stage == AC_CREATE && f.response->body_case !=
		    DESKD__RESPONSE__BODY_COMPLAINT)) {
			snprintf(a->err, sizeof(a->err), "refused: %s",
			    f.response->message);
			desk_frame_free(&f);
			a->failed = true;
			free(ring);
			return NULL;
		}
		if (op.stage == AC_CREATE)
			op.id = f.response->complaint->id;
		desk_frame_free(&f);
		if (op.stage == AC_CREATE) {
			if (ac_send(a, ring, &tail, &count, AC_INVALID, op.id,
			    0) != 0)
				goto fail;
		} else if (op.stage == AC_INVALID) {
			if (ac_send(a, ring, &tail, &count, AC_REPLY, op.id,
			    0) != 0)
				goto fail;
		} else {
			a->done++;
			if (started < a->pairs && ac_send(a, ring, &tail,
			    &count, AC_CREATE, 0, started++) != 0)
				goto fail;
		}
	}
	free(ring);
	return NULL;
fail:
	a->failed = true;
	snprintf(a->err, sizeof(a->err), "%s", desk_error(a->d));
	free(ring);
	return NULL;
}

#define AC_DESKS	4
#define AC_DEPTH	8

/* `pairs` arm + cancel pairs over AC_DESKS desks: wall and deskd CPU
 * microseconds per pair; 0 or -1. */
static int
arm_cancel(const struct server *s, const char *token, uint32_t pairs,
    double *wall_us_per, double *cpu_us_per)
{
	struct ac_desk a[AC_DESKS];
	pthread_t th[AC_DESKS];
	int connected = 0, started = 0, rc = -1;
	double cpu0, cpu1;
	int64_t t0, t1;
	uint32_t done = 0;

	memset(a, 0, sizeof(a));
	for (connected = 0; connected < AC_DESKS; connected++) {
		if ((a[connected].d = bench_token_login(s, token,
		    100 + connected)) == NULL)
			goto out;
		a[connected].idx = connected;
		a[connected].depth = AC_DEPTH;
		a[connected].pairs = pairs / AC_DESKS +
		    ((uint32_t)connected < pairs % AC_DESKS);
	}
	t0 = mono_ns();
	cpu0 = srv_cpu_s(s);
	for (started = 0; started < AC_DESKS; started++)
		if (start_thread(&th[started], ac_run, &a[started]) != 0) {
			warnx_("pthread_create failed");
			break;
		}
	for (int i = 0; i < started; i++) {
		pthread_join(th[i], NULL);
		done += a[i].done;
		if (a[i].failed)
			warnx_("arm/cancel desk %d: %s", i, a[i].err);
	}
	t1 = mono_ns();
	cpu1 = srv_cpu_s(s);
	if (started < AC_DESKS || done != pairs)
		goto out;
	*wall_us_per = (double)(t1 - t0) / 1e3 / pairs;
	*cpu_us_per = (cpu1 - cpu0) * 1e6 / pairs;
	rc = 0;
out:
	for (int i = 0; i < connected; i++)
		desk_close(a[i].d);
	return rc;
}

struct startup_run {
	struct restart_times t;
	double		pair_us;	/* arm + cancel, wall per pair */
	double		pair_cpu_us;	/* deskd CPU per pair */
};

#define STARTUP_RUNS	3

/* The first request after a start: the complaint made before it. */
static int
first_get(struct desk *d, void *id)
{
	return get_one(d, *(uint64_t *)id);
}

/*
 * One store size: init, load `clocks` pending clocks, one untimed start to
 * get a session token and a complaint to read, then STARTUP_RUNS timed
 * starts (fork/exec to the ComplaintGet reply, on a new TLS connection
 * with token login); memory is read after the last one, and the arm +
 * cancel pairs run on it.  The loader's writes leave the store in the page
 * cache, as it would be on a server that was just restarted.
 */
static int
startup_at(const struct opts *o, const char *name, uint32_t clocks,
    struct startup_run *r)
{
	struct server s;
	struct desk *d = NULL;
	char token[128], count[16], loadlog[400];
	char *load_argv[] = { (char *)o->load, "--data", s.data, "--count",
	    count, NULL };
	uint64_t id;
	int rc = -1;

	memset(r, 0, sizeof(*r));
	if (srv_prepare(&s, o, name) != 0)
		return -1;
	snprintf(count, sizeof(count), "%u", clocks);
	load_argv[2] = s.data;
	snprintf(loadlog, sizeof(loadlog), "%s/load.log", s.dir);
	if (clocks > 0 && run_wait(load_argv, loadlog, NULL) != 0) {
		warnx_("%s failed; see %s", o->load, loadlog);
		return -1;
	}
	if (srv_launch(&s, o, NULL, 10) != 0)
		return -1;
	if ((d = bench_password_login(&s, token, sizeof(token))) == NULL ||
	    (id = create_one(d)) == 0)
		goto out;
	desk_close(d);
	d = NULL;
	srv_stop(&s);
	if (srv_restart_timed(&s, o, NULL, token, STARTUP_RUNS, first_get, &id,
	    &r->t) != 0)
		goto out;
	/* A few pairs first: the first touches of the map's pages are a
	 * start-up cost, not the per-operation one. */
	if (arm_cancel(&s, token, o->pairs / 10 + 1, &r->pair_us,
	    &r->pair_cpu_us) != 0 ||
	    arm_cancel(&s, token, o->pairs, &r->pair_us,
	    &r->pair_cpu_us) != 0 || !srv_alive(&s))
		goto out;
	rc = 0;
out:
	desk_close(d);
	srv_stop(&s);
	if (rc != 0)
		warnx_("clocks_startup (%u clocks): deskd log: %s", clocks,
		    s.log);
	return rc;
}

int
bench_clocks_startup(const struct opts *o)
{
	struct startup_run none, many;
	long delta;
	double ratio, cpu_ratio;
	bool met;

	if (startup_at(o, "startup-none", 0, &none) != 0 ||
	    startup_at(o, "startup-many", o->clocks, &many) != 0) {
		warnx_("clocks_startup: not measured");
		return -1;
	}
	delta = many.t.anon_kib - none.t.anon_kib;
	ratio = none.pair_us > 0 ? many.pair_us / none.pair_us : 0;
	cpu_ratio = none.pair_cpu_us > 0 ?
	    many.pair_cpu_us / none.pair_cpu_us : 0;
	met = many.t.first_ms < TARGET_STARTUP_MS &&
	    delta < TARGET_CLOCK_MEM_MIB * 1024 &&
	    ratio < TARGET_ARM_RATIO;
	printf("BENCH clocks_startup first_request_ms=%.1f clocks=%u "
	    "first_request_max_ms=%.1f ready_ms=%.1f "
	    "empty_first_request_ms=%.1f rss_anon_kib=%ld "
	    "empty_rss_anon_kib=%ld rss_anon_delta_kib=%ld vm_rss_kib=%ld "
	    "empty_vm_rss_kib=%ld arm_cancel_pairs=%u arm_cancel_us=%.1f "
	    "empty_arm_cancel_us=%.1f arm_cancel_ratio=%.2f "
	    "arm_cancel_cpu_us=%.1f empty_arm_cancel_cpu_us=%.1f "
	    "arm_cancel_cpu_ratio=%.2f target_ms=%d target_mem_mib=%d "
	    "target_ratio=%.1f met=%s\n",
	    many.t.first_ms, o->clocks, many.t.first_max_ms,
	    many.t.ready_ms, none.t.first_ms, many.t.anon_kib,
	    none.t.anon_kib, delta, many.t.rss_kib, none.t.rss_kib, o->pairs,
	    many.pair_us, none.pair_us, ratio, many.pair_cpu_us,
	    none.pair_cpu_us, cpu_ratio, TARGET_STARTUP_MS,
	    TARGET_CLOCK_MEM_MIB, TARGET_ARM_RATIO, met ? "yes" : "no");
	fflush(stdout);
	return 0;
}

/* ---------- deadline clocks: firing under load ---------- */

/* The clock under test breaches 2 s after each create; no warning, and
 * repeats and escalations far beyond the run, so each complaint makes
 * exactly one alert.raised. */
#define FIRE_SPAN_S	2
static const char *const fire_args[] = {
	"--clock", "complaint.reply_due=2s",
	"--clock", "complaint.reply_due.warn=0",
	"--clock", "complaint.reply_due.repeat=1h",
	"--clock", "complaint.reply_due.escalate=1h",
	"--clock", "complaint.reply_due.escalate_director=2h",
	NULL
};

struct fire {
	uint32_t		 cap;		/* ids below cap are tracked */
	uint8_t			*created;	/* [cap]: acked by a creator */
	uint8_t			*seen;		/* [cap]: alert.raised count */
	int64_t			*late_us;	/* [cap]: raised_ms - due_ms */
	int64_t			*recv_us;	/* [cap]: receipt - due_ms */
	struct watch_goal	 goal;
	uint32_t		 dup, other;	/* the watcher's */
	int64_t			 start;		/* creators' common time 0 */
	int64_t			 gap;		/* ns between creates, all desks */
	int			 desks;
};

static void
fire_event(struct watcher *w, const Deskd__Event *e)
{
	struct fire *fi = w->fig;
	const Deskd__Alert *a = e->alert;
	int64_t now = wall_us();

	if (a == NULL || strcmp(e->type, "alert.raised") != 0 ||
	    a->record_kind != KIND_COMPLAINT || a->record_id >= fi->cap) {
		fi->other++;
		return;
	}
	if (fi->seen[a->record_id] != 0) {
		fi->dup++;
		return;
	}
	fi->seen[a->record_id] = 1;
	w->got++;
	fi->late_us[a->record_id] = (a->raised_ms - a->due_ms) * 1000;
	fi->recv_us[a->record_id] = now - a->due_ms * 1000;
}

struct fire_desk {
	struct fire	*fire;
	struct open_loop loop;
	uint32_t	 acked;
	bool		 failed;
	char		 err[256];
};

static void
fire_reply(struct open_loop *l, const Deskd__Response *r)
{
	struct fire_desk *c = l->fig;

	if (r->status == DESKD__STATUS__OK &&
	    r->body_case == DESKD__RESPONSE__BODY_COMPLAINT) {
		c->acked++;
		if (r->complaint->id < c->fire->cap)
			c->fire->created[r->complaint->id] = 1;
	} else if (!c->failed) {
		/* Noted, not fatal: the count shows it. */
		c->failed = true;
		snprintf(c->err, sizeof(c->err), "refused: %s", r->message);
	}
}

/* Create i of this desk is due at start + (i * desks + idx) * gap, so the
 * desks interleave into one even stream. */
static void *
fire_create_run(void *arg)
{
	struct fire_desk *c = arg;

	if (open_loop_create(&c->loop) != 0) {
		c->failed = true;
		snprintf(c->err, sizeof(c->err), "%s", desk_error(c->loop.d));
	}
	return NULL;
}

int
bench_clock_fire(const struct opts *o)
{
	struct server s;
	struct fire fi;
	struct watcher w;
	struct fire_desk *c = NULL;
	pthread_t wth, *cth = NULL;
	const char *prefix[] = { "alert." };
	int64_t *late = NULL, *rcv = NULL, t_end;
	struct cpu_mark m0, m1;
	double srv_cores = 0, self_cores = 0;
	char token[128];
	uint32_t total, acked = 0, measured = 0, missing = 0;
	int connected = 0, started = 0, rc = -1, failed = 0;
	bool watching = false;

	memset(&fi, 0, sizeof(fi));
	memset(&w, 0, sizeof(w));
	total = (uint32_t)(o->fire_seconds * o->fire_rate);
	/* Complaint ids count from 1 in a fresh store; room to spare. */
	fi.cap = total + 1024;
	fi.desks = o->fire_desks;
	fi.gap = 1000000000LL / o->fire_rate;
	atomic_init(&fi.goal.writers_done, false);
	atomic_init(&fi.goal.expected, 0);
	fi.created = calloc(fi.cap, 1);
	fi.seen = calloc(fi.cap, 1);
	fi.late_us = calloc(fi.cap, sizeof(*fi.late_us));
	fi.recv_us = calloc(fi.cap, sizeof(*fi.recv_us));
	late = calloc(total, sizeof(*late));
	rcv = calloc(total, sizeof(*rcv));
	c = calloc((size_t)fi.desks, sizeof(*c));
	cth = calloc((size_t)fi.desks, sizeof(*cth));
	if (!fi.created || !fi.seen || !fi.late_us || !fi.recv_us || !late ||
	    !rcv || !c || !cth) {
		warnx_("out of memory");
		goto out_free;
	}
	if (srv_prepare(&s, o, "clock_fire") != 0 ||
	    srv_launch(&s, o, fire_args, 10) != 0)
		goto out_free;
	w.goal = &fi.goal;
	w.on_event = fire_event;
	w.fig = &fi;
	if ((w.d = bench_password_login(&s, token, sizeof(token))) == NULL)
		goto out;
	if (desk_subscribe(w.d, desk_welcome(w.d)->last_seq, prefix, 1,
	    NULL) != DESK_OK) {
		warnx_("subscribe: %s", desk_error(w.d));
		goto out;
	}
	for (connected = 0; connected < fi.desks; connected++) {
		struct open_loop *l = &c[connected].loop;

		c[connected].fire = &fi;
		l->desk = connected;
		l->stride = fi.desks;
		l->gap = fi.gap;
		l->on_reply = fire_reply;
		l->fig = &c[connected];
		l->n = total / (uint32_t)fi.desks +
		    ((uint32_t)connected < total % (uint32_t)fi.desks);
		if ((l->d = bench_token_login(&s, token,
		    connected + 1)) == NULL)
			goto out;
	}
	fi.start = mono_ns() + 100000000;
	for (int i = 0; i < connected; i++)
		c[i].loop.start = fi.start;
	/* The last clock is due FIRE_SPAN_S after the last create; then
	 * ten seconds of grace before anything counts as missing. */
	fi.goal.deadline = fi.start + (int64_t)((o->fire_seconds + FIRE_SPAN_S +
	    10) * 1e9);
	if (start_thread(&wth, watcher_run, &w) != 0) {
		warnx_("pthread_create failed");
		goto out;
	}
	watching = true;
	for (started = 0; started < fi.desks; started++)
		if (start_thread(&cth[started], fire_create_run,
		    &c[started]) != 0) {
			warnx_("pthread_create failed");
			break;
		}
	sleep_until(fi.start);
	cpu_mark(&m0, &s);
	for (int i = 0; i < started; i++) {
		pthread_join(cth[i], NULL);
		acked += c[i].acked;
		if (c[i].failed && failed++ == 0)
			warnx_("clock_fire creator %d: %s", i, c[i].err);
	}
	t_end = mono_ns();
	atomic_store(&fi.goal.expected, acked);
	atomic_store(&fi.goal.writers_done, true);
	pthread_join(wth, NULL);
	watching = false;
	cpu_mark(&m1, &s);
	cpu_cores(&m0, &m1, &srv_cores, &self_cores);
	if (w.failed)
		warnx_("clock_fire watcher: %s", w.err);
	if (started < fi.desks || w.failed || !srv_alive(&s))
		goto out;

	for (uint32_t id = 0; id < fi.cap; id++) {
		if (!fi.created[id])
			continue;
		if (!fi.seen[id] || measured == total) {
			missing++;
			continue;
		}
		late[measured] = fi.late_us[id];
		rcv[measured] = fi.recv_us[id];
		measured++;
	}
	if (measured == 0) {
		warnx_("clock_fire: no clock fired");
		goto out;
	}
	qsort(late, measured, sizeof(*late), cmp_i64);
	qsort(rcv, measured, sizeof(*rcv), cmp_i64);
	printf("BENCH clock_fire p50_ms=%.3f p99_ms=%.3f max_ms=%.3f "
	    "fired=%u created=%u missing=%u dup=%u other=%u rate=%d "
	    "created_per_s=%.0f seconds=%.1f recv_p50_ms=%.3f "
	    "recv_p99_ms=%.3f recv_max_ms=%.3f deskd_cores=%.2f "
	    "bench_cores=%.2f target_p99_ms=%.0f met=%s\n",
	    pct(late, measured, 0.50) / 1e3, pct(late, measured, 0.99) / 1e3,
	    late[measured - 1] / 1e3, measured, acked, missing, fi.dup,
	    fi.other, o->fire_rate,
	    acked / ((double)(t_end - fi.start) / 1e9), o->fire_seconds,
	    pct(rcv, measured, 0.50) / 1e3, pct(rcv, measured, 0.99) / 1e3,
	    rcv[measured - 1] / 1e3, srv_cores, self_cores,
	    TARGET_FIRE_P99_MS, pct(late, measured, 0.99) / 1e3 <
	    TARGET_FIRE_P99_MS && missing == 0 && fi.dup == 0 &&
	    acked == total ? "yes" : "no");
	fflush(stdout);
	rc = 0;
out:
	if (watching) {
		atomic_store(&fi.goal.writers_done, true);
		pthread_join(wth, NULL);
	}
	for (int i = 0; i < connected; i++)
		desk_close(c[i].loop.d);
	desk_close(w.d);
	srv_stop(&s);
	if (rc != 0)
		warnx_("clock_fire: not measured; deskd log: %s", s.log);
out_free:
	free(fi.created);
	free(fi.seen);
	free(fi.late_us);
	free(fi.recv_us);
	free(late);
	free(rcv);
	free(c);
	free(cth);
	return rc;
}
