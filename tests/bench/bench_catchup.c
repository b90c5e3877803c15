/*
 * bench_catchup.c - one watcher stops reading while 8 desks create; the
 * other watchers' latency before, during and after, and whether the one
 * that stopped gets every event once it reads again (issue 17).
 *
 * The stopped watcher's thread simply stops calling desk_recv, as a
 * SIGSTOPped desk would: the kernel's socket buffers fill, then deskd's
 * output to it reaches out_high_water and it falls behind the log.  Once
 * it reads again deskd catches it up from the log, beside the live
 * traffic.
 */
#include <inttypes.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"

#define CATCHUP_CREATORS	8

enum phase { BEFORE, DURING, AFTER, PHASES };
static const char *const phase_name[PHASES] = { "before", "during", "after" };

struct catchup {
	uint32_t		 n;		/* complaints to create */
	int64_t			 stop_at, resume_at;	/* mono ns */
	int64_t			*sent_at;	/* [n], by send order */
	uint32_t		*sent_of;	/* [n + 1]: complaint id -> send */
	_Atomic int64_t		*last_recv;	/* [n + 1] by id: the last of
						 * the other watchers */
	atomic_uint		*receipts;	/* [n + 1] by id: how many */
	atomic_uint		 acked;
	struct watch_goal	 goal;
	/* the stopped watcher */
	int64_t			*seen_at;	/* [n + 1] by id, 0: not yet */
	uint64_t		 last_seq;
	uint32_t		 dups, out_of_order;
};

/* A creator's replies come in its request order: the k-th is its k-th send. */
struct creator {
	struct open_loop	 loop;
	struct catchup		*cu;
	uint32_t		 replies;
};

static void
catchup_sent(struct open_loop *c, uint32_t i)
{
	struct creator *cr = c->fig;

	cr->cu->sent_at[i * (uint32_t)c->stride + (uint32_t)c->desk] =
	    mono_ns();
}

static void
catchup_reply(struct open_loop *c, const Deskd__Response *r)
{
	struct creator *cr = c->fig;
	struct catchup *cu = cr->cu;
	uint32_t g = cr->replies++ * (uint32_t)c->stride + (uint32_t)c->desk;

	if (r->status != DESKD__STATUS__OK ||
	    r->body_case != DESKD__RESPONSE__BODY_COMPLAINT) {
		warnx_("catchup create refused: %s", r->message);
		return;
	}
	if (r->complaint->id <= cu->n)
		cu->sent_of[r->complaint->id] = g;
	atomic_fetch_add(&cu->acked, 1);
}

static void *
creator_run(void *arg)
{
	struct creator *cr = arg;

	if (open_loop_create(&cr->loop) != 0)
		warnx_("catchup creator %d: %s", cr->loop.desk,
		    desk_error(cr->loop.d));
	return NULL;
}

/* A complaint's id, or 0 when the event is not a create of ours. */
static uint64_t
created_id(const struct catchup *cu, const Deskd__Event *e)
{
	if (strcmp(e->type, "complaint.created") != 0 || e->complaint == NULL ||
	    e->complaint->id == 0 || e->complaint->id > cu->n)
		return 0;
	return e->complaint->id;
}

static void
other_event(struct watcher *w, const Deskd__Event *e)
{
	struct catchup *cu = w->fig;
	uint64_t id = created_id(cu, e);
	int64_t now = mono_ns(), seen;

	if (id == 0)
		return;
	seen = atomic_load(&cu->last_recv[id]);
	while (seen < now &&
	    !atomic_compare_exchange_weak(&cu->last_recv[id], &seen, now))
		;
	atomic_fetch_add(&cu->receipts[id], 1);
	w->got++;
}

/* Stops reading at stop_at (its thread sleeps, as a stopped process
 * would), then reads on and checks what comes: each create once, in seq
 * order. */
static void
stopped_event(struct watcher *w, const Deskd__Event *e)
{
	struct catchup *cu = w->fig;
	uint64_t id = created_id(cu, e);
	int64_t now = mono_ns();

	if (now >= cu->stop_at && now < cu->resume_at) {
		sleep_until(cu->resume_at);
		now = mono_ns();
	}
	if (e->seq <= cu->last_seq)
		cu->out_of_order++;
	cu->last_seq = e->seq;
	if (id == 0)
		return;
	if (cu->seen_at[id] != 0) {
		cu->dups++;
		return;
	}
	cu->seen_at[id] = now;
	w->got++;
}

static enum phase
phase_of(const struct catchup *cu, int64_t sent)
{
	return sent < cu->stop_at ? BEFORE : sent < cu->resume_at ? DURING :
	    AFTER;
}

/* The counters of deskd's "stopped:" line. */
static void
catchup_counters(const struct server *s, uint64_t *grows, uint64_t *longest)
{
	char line[1024], *p;
	FILE *f;

	*grows = *longest = 0;
	if ((f = fopen(s->log, "r")) == NULL)
		return;
	while (fgets(line, sizeof(line), f) != NULL) {
		if (strstr(line, "stopped: ") == NULL)
			continue;
		if ((p = strstr(line, "TLS errors, ")) != NULL)
			sscanf(p, "TLS errors, %" SCNu64, grows);
		if ((p = strstr(line, "longest catch-up pass ")) != NULL)
			sscanf(p, "longest catch-up pass %" SCNu64, longest);
	}
	fclose(f);
}

int
bench_catchup(const struct opts *o)
{
	struct server s;
	struct catchup cu;
	struct creator cr[CATCHUP_CREATORS];
	pthread_t cth[CATCHUP_CREATORS], *th = NULL;
	struct watcher *w = NULL;
	int64_t *lat[PHASES] = { NULL }, start, caught = 0;
	size_t nlat[PHASES] = { 0 };
	double before_s = o->seconds, after_s = 2 * o->seconds;
	uint64_t grows, longest;
	uint32_t got_all = 0, missing = 0;
	struct cpu_mark m0, m1;
	double srv_cores = 0, self_cores = 0;
	char token[128];
	int connected = 0, started = 0, creators = 0, rc = -1;

	memset(&s, 0, sizeof(s));
	memset(&cu, 0, sizeof(cu));
	memset(cr, 0, sizeof(cr));
	cu.n = (uint32_t)((before_s + o->catchup_stop + after_s) *
	    o->catchup_rate);
	cu.n -= cu.n % CATCHUP_CREATORS;
	cu.sent_at = calloc(cu.n, sizeof(*cu.sent_at));
	cu.sent_of = calloc(cu.n + 1, sizeof(*cu.sent_of));
	cu.last_recv = calloc(cu.n + 1, sizeof(*cu.last_recv));
	cu.receipts = calloc(cu.n + 1, sizeof(*cu.receipts));
	cu.seen_at = calloc(cu.n + 1, sizeof(*cu.seen_at));
	w = calloc((size_t)o->watchers, sizeof(*w));
	th = calloc((size_t)o->watchers, sizeof(*th));
	for (int p = 0; p < PHASES; p++)
		lat[p] = calloc(cu.n, sizeof(*lat[p]));
	if (!cu.sent_at || !cu.sent_of || !cu.last_recv || !cu.receipts ||
	    !cu.seen_at || !w || !th || !lat[BEFORE] || !lat[DURING] ||
	    !lat[AFTER]) {
		warnx_("out of memory");
		goto out;
	}
	if (srv_start(&s, o, "catchup") != 0)
		goto out;
	for (int i = 0; i < CATCHUP_CREATORS; i++) {
		struct desk *d = i == 0 ? bench_password_login(&s, token,
		    sizeof(token)) : bench_token_login(&s, token, 1000 + i);

		if (d == NULL)
			goto out;
		cr[i].cu = &cu;
		cr[i].loop = (struct open_loop){ .d = d, .desk = i,
		    .stride = CATCHUP_CREATORS, .n = cu.n / CATCHUP_CREATORS,
		    .gap = 1000000000LL / o->catchup_rate,
		    .on_send = catchup_sent, .on_reply = catchup_reply,
		    .fig = &cr[i] };
	}
	/* Watcher 0 is the one that stops. */
	for (connected = 0; connected < o->watchers; connected++) {
		struct watcher *x = &w[connected];

		x->goal = &cu.goal;
		x->on_event = connected == 0 ? stopped_event : other_event;
		x->fig = &cu;
		x->idx = connected;
		if ((x->d = bench_token_login(&s, token, connected + 1)) ==
		    NULL)
			goto out;
		if (desk_subscribe(x->d, desk_welcome(x->d)->last_seq, NULL,
		    0, NULL) != DESK_OK) {
			warnx_("subscribe: %s", desk_error(x->d));
			desk_close(x->d);
			x->d = NULL;
			goto out;
		}
	}
	start = mono_ns() + 200000000LL;
	cu.stop_at = start + (int64_t)(before_s * 1e9);
	cu.resume_at = cu.stop_at + (int64_t)(o->catchup_stop * 1e9);
	cu.goal.deadline = cu.resume_at + (int64_t)((after_s + 60) * 1e9);
	for (started = 0; started < o->watchers; started++)
		if (start_thread(&th[started], watcher_run, &w[started]) != 0)
			goto join;
	cpu_mark(&m0, &s);
	for (creators = 0; creators < CATCHUP_CREATORS; creators++) {
		cr[creators].loop.start = start;
		if (start_thread(&cth[creators], creator_run,
		    &cr[creators]) != 0)
			break;
	}
	for (int i = 0; i < creators; i++)
		pthread_join(cth[i], NULL);
	cpu_mark(&m1, &s);
	cpu_cores(&m0, &m1, &srv_cores, &self_cores);
join:
	atomic_store(&cu.goal.expected, creators == CATCHUP_CREATORS ?
	    atomic_load(&cu.acked) : 0);
	atomic_store(&cu.goal.writers_done, true);
	for (int i = 0; i < started; i++) {
		pthread_join(th[i], NULL);
		if (w[i].failed)
			warnx_("watcher %d: %s", i, w[i].err);
	}
	if (started < o->watchers || creators < CATCHUP_CREATORS ||
	    atomic_load(&cu.acked) != cu.n || !srv_alive(&s))
		goto out;

	/* Send to the last of the other watchers, by the phase it was sent. */
	for (uint32_t id = 1; id <= cu.n; id++) {
		int64_t sent = cu.sent_at[cu.sent_of[id]];
		enum phase p = phase_of(&cu, sent);

		if (atomic_load(&cu.receipts[id]) !=
		    (unsigned)o->watchers - 1) {
			missing++;
			continue;
		}
		lat[p][nlat[p]++] = atomic_load(&cu.last_recv[id]) - sent;
	}
	/* The stopped one: every create, and when it had all those sent
	 * before it read again. */
	for (uint32_t id = 1; id <= cu.n; id++) {
		if (cu.seen_at[id] == 0)
			continue;
		got_all++;
		if (cu.sent_at[cu.sent_of[id]] < cu.resume_at &&
		    cu.seen_at[id] > caught)
			caught = cu.seen_at[id];
	}
	srv_stop(&s);
	catchup_counters(&s, &grows, &longest);
	printf("BENCH catchup");
	for (int p = 0; p < PHASES; p++) {
		qsort(lat[p], nlat[p], sizeof(*lat[p]), cmp_i64);
		printf(" %s_p99_ms=%.3f", phase_name[p],
		    nlat[p] ? pct(lat[p], nlat[p], 0.99) / 1e6 : 0.0);
	}
	for (int p = 0; p < PHASES; p++)
		printf(" %s_p50_ms=%.3f %s_max_ms=%.3f", phase_name[p],
		    nlat[p] ? pct(lat[p], nlat[p], 0.50) / 1e6 : 0.0,
		    phase_name[p],
		    nlat[p] ? lat[p][nlat[p] - 1] / 1e6 : 0.0);
	printf(" stopped_s=%.0f stopped_got=%u/%u in_order=%s dups=%u "
	    "catchup_s=%.2f watchers=%d creators=%d rate=%d missing=%u "
	    "map_grows=%" PRIu64 " longest_catchup_pass=%" PRIu64
	    " deskd_cores=%.2f bench_cores=%.2f\n", o->catchup_stop,
	    got_all, cu.n, cu.out_of_order == 0 ? "yes" : "no", cu.dups,
	    caught > cu.resume_at ? (caught - cu.resume_at) / 1e9 : 0.0, o->watchers, CATCHUP_CREATORS,
	    o->catchup_rate, missing, grows, longest, srv_cores, self_cores);
	fflush(stdout);
	rc = 0;
out:
	for (int i = 0; w != NULL && i < connected; i++)
		desk_close(w[i].d);
	for (int i = 0; i < CATCHUP_CREATORS; i++)
		desk_close(cr[i].loop.d);
	free(cu.sent_at);
	free(cu.sent_of);
	free(cu.last_recv);
	free(cu.receipts);
	free(cu.seen_at);
	for (int p = 0; p < PHASES; p++)
		free(lat[p]);
	free(w);
	free(th);
	srv_stop(&s);
	if (rc != 0)
		warnx_("catchup: not measured; deskd log: %s", s.log);
	return rc;
}
