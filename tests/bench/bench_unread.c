/*
 * bench_unread.c - deskd's memory while desks never read their replies
 * (issue 12).
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

#define UNREAD_STALLERS		4
#define UNREAD_TEXT		2000
#define TARGET_UNREAD_MIB	64	/* deskd's heap above idle */
#define UNREAD_PROBES		2000

static void
fill_big_complaint(Deskd__Request *req, uint32_t i, char *unit, char *who)
{
	static Deskd__ComplaintNew n;
	static char text[UNREAD_TEXT + 1];

	fill_complaint(&n, unit, 64, who, 64, 0, i);
	if (text[0] == '\0')
		memset(text, 'x', UNREAD_TEXT);
	n.text = text;
	req->body_case = DESKD__REQUEST__BODY_COMPLAINT_NEW;
	req->complaint_new = &n;
}

/* One create every 20 ms for `seconds`: latencies (sorted) into lat, how
 * many (0: failed); deskd's RssAnon peak into *peak. */
static int
unread_probe(const struct server *s, struct desk *d, double seconds,
    int64_t *lat, long *peak)
{
	int64_t end = mono_ns() + (int64_t)(seconds * 1e9), t0;
	long anon;
	int n = 0;

	while (mono_ns() < end && n < UNREAD_PROBES) {
		t0 = mono_ns();
		if (create_one(d) == 0)
			return 0;
		lat[n++] = mono_ns() - t0;
		if ((anon = srv_status_kib(s, "RssAnon")) > *peak)
			*peak = anon;
		sleep_until(t0 + 20 * 1000000LL);
	}
	qsort(lat, (size_t)n, sizeof(lat[0]), cmp_i64);
	return n;
}

/*
 * UNREAD_STALLERS desks each pipeline `lists` ComplaintList(limit=500)
 * over complaints of 2 KB and read nothing for --seconds, while another
 * desk creates one every 20 ms: deskd's heap (RssAnon) above idle, and
 * that desk's p99.  Then the stallers read, and every reply must come.
 */
int
bench_unread(const struct opts *o)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__ComplaintList cl = DESKD__COMPLAINT_LIST__INIT;
	struct desk *stall[UNREAD_STALLERS] = { NULL }, *probe = NULL;
	uint32_t complaints = o->unread_complaints;
	int lists = complaints < 5000 ? 50 : 200, n, n0, got = 0, rc = -1;
	int64_t lat[UNREAD_PROBES], lat0[UNREAD_PROBES];
	long base = 0, peak = 0;
	char token[128];
	struct server s;

	if (srv_start(&s, o, "unread") != 0)
		return -1;
	if ((probe = bench_password_login(&s, token, sizeof(token))) == NULL ||
	    pipeline_requests(probe, complaints,
	    "unread load", fill_big_complaint) != 0)
		goto out;
	for (int i = 0; i < UNREAD_STALLERS; i++)
		if ((stall[i] = bench_token_login(&s, token, i + 1)) == NULL)
			goto out;
	/* The other desk's latency before the attack, for comparison. */
	if ((n0 = unread_probe(&s, probe, o->seconds / 2, lat0, &base)) <= 0)
		goto out;
	sleep_ms(200);
	base = peak = srv_status_kib(&s, "RssAnon");
	cl.limit = 500;
	req.body_case = DESKD__REQUEST__BODY_COMPLAINT_LIST;
	req.complaint_list = &cl;
	for (int i = 0; i < UNREAD_STALLERS; i++)
		for (int j = 0; j < lists; j++)
			if (desk_send(stall[i], &req, NULL) != DESK_OK) {
				warnx_("unread: %s", desk_error(stall[i]));
				goto out;
			}
	if ((n = unread_probe(&s, probe, o->seconds, lat, &peak)) <= 0)
		goto out;
	/* Now they read: every reply, none lost. */
	for (int i = 0; i < UNREAD_STALLERS; i++)
		for (int j = 0; j < lists; j++) {
			struct desk_frame f;

			if (desk_recv(stall[i], &f, -1) != DESK_OK) {
				warnx_("unread: %s", desk_error(stall[i]));
				goto out;
			}
			got += f.response != NULL &&
			    f.response->status == DESKD__STATUS__OK;
			desk_frame_free(&f);
		}
	printf("BENCH unread heap_growth_kib=%ld rss_anon_idle_kib=%ld "
	    "peak_kib=%ld desks=%d lists_each=%d complaints=%u "
	    "replies=%d/%d other_desk_p50_ms=%.2f p99_ms=%.2f "
	    "before_p50_ms=%.2f before_p99_ms=%.2f "
	    "target_max_mib=%d met=%s\n", peak - base, base, peak,
	    UNREAD_STALLERS, lists, complaints, got, UNREAD_STALLERS * lists,
	    pct(lat, (size_t)n, 0.50) / 1e6, pct(lat, (size_t)n, 0.99) / 1e6,
	    pct(lat0, (size_t)n0, 0.50) / 1e6,
	    pct(lat0, (size_t)n0, 0.99) / 1e6,
	    TARGET_UNREAD_MIB, peak - base < TARGET_UNREAD_MIB * 1024 &&
	    got == UNREAD_STALLERS * lists ? "yes" : "no");
	fflush(stdout);
	rc = 0;
out:
	for (int i = 0; i < UNREAD_STALLERS; i++)
		desk_close(stall[i]);
	desk_close(probe);
	srv_stop(&s);
	if (rc != 0)
		warnx_("unread: not measured; deskd log: %s", s.log);
	return rc;
}
