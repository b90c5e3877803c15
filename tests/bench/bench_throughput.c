/*
 * bench_throughput.c - throughput: creates acknowledged per second by
 * pipelining desks.
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

/* Printed beside the figure; nothing fails when it is missed. */
#define TARGET_CREATES_PER_S	15000

struct tp_desk {
	struct desk	*d;
	int		 idx;
	int		 depth;
	int64_t		 t_begin, t_end;	/* measuring window */
	uint64_t	 acked, in_window, refused;
	bool		 failed;
	char		 err[256];
};

static void *
tp_run(void *arg)
{
	struct tp_desk *t = arg;
	struct desk_frame f;
	int inflight = 0;
	uint32_t n = 0;
	int64_t now;

	for (; inflight < t->depth; inflight++) {
		if (send_complaint(t->d, t->idx, n++) != DESK_OK)
			goto fail;
	}
	/* Bounded: sending stops at t_end, and every recv has a timeout. */
	while (inflight > 0) {
		if (desk_recv(t->d, &f, CALL_TIMEOUT_MS) != DESK_OK)
			goto fail;
		now = mono_ns();
		if (f.kind == WIRE_RESPONSE) {
			inflight--;
			if (f.response->status == DESKD__STATUS__OK) {
				t->acked++;
				if (now >= t->t_begin && now < t->t_end)
					t->in_window++;
			} else {
				if (t->refused++ == 0)
					snprintf(t->err, sizeof(t->err),
					    "refused: %s",
					    f.response->message);
			}
		}
		desk_frame_free(&f);
		if (now < t->t_end) {
			if (send_complaint(t->d, t->idx, n++) != DESK_OK)
				goto fail;
			inflight++;
		}
	}
	return NULL;
fail:
	t->failed = true;
	snprintf(t->err, sizeof(t->err), "%s", desk_error(t->d));
	return NULL;
}

int
bench_throughput(const struct opts *o)
{
	struct server s;
	struct tp_desk *t;
	pthread_t *th;
	char token[128];
	uint64_t in_window = 0, acked = 0, refused = 0;
	int started = 0, connected = 0, rc = -1, failed = 0;
	int64_t begin, end;
	struct cpu_mark m0, m1;
	double srv_cores = 0, self_cores = 0;
	uint64_t requests = 0, commits = 0;
	double commit_ms = 0;

	if (srv_start(&s, o, "throughput") != 0)
		return -1;
	t = calloc((size_t)o->desks, sizeof(*t));
	th = calloc((size_t)o->desks, sizeof(*th));
	if (t == NULL || th == NULL) {
		warnx_("out of memory");
		goto out;
	}
	/* One slow password login; the other desks reuse its token. */
	if ((t[0].d = bench_password_login(&s, token, sizeof(token))) == NULL)
		goto out;
	for (connected = 1; connected < o->desks; connected++)
		if ((t[connected].d = bench_token_login(&s, token,
		    connected)) == NULL)
			goto out;

	begin = mono_ns() + (int64_t)(o->warmup * 1e9);
	end = begin + (int64_t)(o->seconds * 1e9);
	for (started = 0; started < o->desks; started++) {
		t[started].idx = started;
		t[started].depth = o->depth;
		t[started].t_begin = begin;
		t[started].t_end = end;
		if (start_thread(&th[started], tp_run, &t[started]) != 0) {
			warnx_("pthread_create failed");
			break;
		}
	}
	/* The main thread only watches the clock: sample CPU at the edges
	 * of the measuring window. */
	if (started == o->desks) {
		sleep_until(begin);
		cpu_mark(&m0, &s);
		sleep_until(end);
		cpu_mark(&m1, &s);
		cpu_cores(&m0, &m1, &srv_cores, &self_cores);
	}
	for (int i = 0; i < started; i++) {
		pthread_join(th[i], NULL);
		in_window += t[i].in_window;
		acked += t[i].acked;
		refused += t[i].refused;
		/* The first trouble of each desk; failed first so the
		 * reason is not lost among refusals. */
		if (t[i].failed)
			failed++;
		if (t[i].failed || t[i].refused)
			warnx_("throughput desk %d: %s", i, t[i].err);
	}
	if (started < o->desks || failed > 0 || !srv_alive(&s))
		goto out;
	/* deskd counts its commits in the log line it writes on stopping:
	 * requests per commit is the group commit's batch size. */
	for (int i = 0; i < connected; i++)
		desk_close(t[i].d);
	connected = 0;
	srv_stop(&s);
	srv_stats(&s, &requests, &commits, &commit_ms);
	printf("BENCH throughput creates_per_s=%.0f desks=%d depth=%d "
	    "seconds=%.1f acked=%" PRIu64 " refused=%" PRIu64
	    " commits=%" PRIu64 " per_commit=%.1f commit_ms=%.2f "
	    "deskd_cores=%.2f bench_cores=%.2f target_min=%d met=%s\n",
	    (double)in_window / o->seconds, o->desks, o->depth, o->seconds,
	    acked, refused, commits, commits ? (double)requests / commits : 0,
	    commit_ms, srv_cores, self_cores, TARGET_CREATES_PER_S,
	    (double)in_window / o->seconds >= TARGET_CREATES_PER_S ?
	    "yes" : "no");
	fflush(stdout);
	rc = 0;
out:
	for (int i = 0; t != NULL && i < connected; i++)
		desk_close(t[i].d);
	free(t);
	free(th);
	srv_stop(&s);
	if (rc != 0)
		warnx_("throughput: not measured; deskd log: %s", s.log);
	return rc;
}
