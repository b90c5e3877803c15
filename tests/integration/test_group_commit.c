/*
 * test_group_commit.c - one LMDB commit serves every request read in a loop
 * pass, also once the desks are past the TLS handshake.  bufferevent_openssl
 * re-makes a connection's socket events when the handshake ends, which once
 * dropped them to the commit's priority: the commit then ran between reads,
 * one request (or one desk) a commit.  deskd's own counters tell, with
 * what a commit costs.  And a burst of requests read ahead by TLS is
 * answered whole.
 */
#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "harness.h"
#include "wire.h"

#define PW		"group-pass-1"
#define WRITERS		4
#define WATCHERS	8
#define IN_FLIGHT	16
#define ROUNDS		16

static struct server_proc srv;

static int
setup(void **state)
{
	char name[16];

	(void)state;
	srv_setup(&srv, NULL);
	for (int i = 0; i < WRITERS; i++) {
		snprintf(name, sizeof(name), "writer%d", i);
		h_add_user(&srv, name, "clerk", PW);
	}
	h_add_user(&srv, "watcher", "supervisor", PW);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	srv_teardown(&srv);
	return 0;
}

static void
send_create(struct desk *d, int n, uint32_t *id)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__ComplaintNew c = DESKD__COMPLAINT_NEW__INIT;
	char text[64];

	snprintf(text, sizeof(text), "pipelined complaint %d", n);
	c.unit = "1-1-101";
	c.complainant = "王女士";
	c.phone = "13800000000";
	c.category = "noise";
	c.text = text;
	req.body_case = DESKD__REQUEST__BODY_COMPLAINT_NEW;
	req.complaint_new = &c;
	assert_int_equal(desk_send(d, &req, id), DESK_OK);
}

/* Every complaint.created a watcher receives until it has `want` of them. */
static int
count_created(struct desk *w, int want)
{
	struct desk_frame f;
	int got = 0;

	while (got < want && desk_recv(w, &f, 5000) == DESK_OK) {
		if (f.kind == WIRE_EVENT && f.event != NULL &&
		    strcmp(f.event->type, "complaint.created") == 0)
			got++;
		desk_frame_free(&f);
	}
	return got;
}

static void
test_pipelined_creates_share_commits(void **state)
{
	struct desk *writer[WRITERS], *watcher[WATCHERS];
	uint32_t ids[WRITERS][IN_FLIGHT];
	uint64_t req0, commit0, req1, commit1, last;
	double per_commit, mean, longest;
	char name[16];
	int n = 0;

	(void)state;
	for (int i = 0; i < WRITERS; i++) {
		snprintf(name, sizeof(name), "writer%d", i);
		writer[i] = h_login(&srv, name, PW);
	}
	for (int i = 0; i < WATCHERS; i++) {
		watcher[i] = h_login(&srv, "watcher", PW);
		assert_int_equal(desk_subscribe(watcher[i],
		    desk_welcome(watcher[i])->last_seq, NULL, 0, &last),
		    DESK_OK);
	}
	srv_counters(&srv, &req0, &commit0);

	for (int r = 0; r < ROUNDS; r++) {
		/* Each writer has IN_FLIGHT creates out before any answer. */
		for (int i = 0; i < WRITERS; i++)
			for (int k = 0; k < IN_FLIGHT; k++)
				send_create(writer[i], n++, &ids[i][k]);
		for (int i = 0; i < WRITERS; i++)
			for (int k = 0; k < IN_FLIGHT; k++) {
				Deskd__Response *resp = NULL;

				assert_int_equal(desk_wait(writer[i],
				    ids[i][k], &resp), DESK_OK);
				assert_int_equal(resp->status,
				    DESKD__STATUS__OK);
				deskd__response__free_unpacked(resp, NULL);
			}
	}
	srv_counters(&srv, &req1, &commit1);

	assert_int_equal(req1 - req0, WRITERS * IN_FLIGHT * ROUNDS);
	assert_true(commit1 > commit0);
	per_commit = (double)(req1 - req0) / (double)(commit1 - commit0);
	print_message("%d creates in %" PRIu64 " commits: %.1f a commit\n",
	    n, commit1 - commit0, per_commit);
	/* 16 in flight on each of 4 desks: far more than one a commit. */
	assert_true(per_commit >= 8.0);
	/* What the disk costs a batch, for an operator to see: each commit
	 * writes pages and waits for two fsyncs, never nothing.  Both are
	 * logged to three decimals: rounded alike, the longest stays at or
	 * above the mean. */
	srv_commit_times(&srv, &mean, &longest);
	print_message("a commit took %.3f ms (longest %.3f ms)\n", mean,
	    longest);
	assert_true(mean > 0);
	assert_true(longest >= mean);

	/* And every watcher had every one of them, acknowledged first. */
	for (int i = 0; i < WATCHERS; i++) {
		assert_int_equal(count_created(watcher[i], n), n);
		desk_close(watcher[i]);
	}
	for (int i = 0; i < WRITERS; i++)
		desk_close(writer[i]);
}

/*
 * deskd reads TLS ahead: one read() takes every record that has come, and
 * bufferevent_openssl stops at the end of a record, not of what was read
 * (tls_read_pending).  A burst larger than the desk's pipeline limit
 * (conn_max_pending, 128) ends with records in the TLS layer and nothing
 * more on the socket: each must still be answered, without the desk
 * sending anything else.
 */
#define BURST	400

static void
test_a_burst_read_ahead_is_answered_whole(void **state)
{
	struct desk *d;
	uint32_t ids[BURST];

	(void)state;
	d = h_login(&srv, "writer0", PW);
	for (int k = 0; k < BURST; k++)
		send_create(d, k, &ids[k]);
	for (int k = 0; k < BURST; k++) {
		Deskd__Response *resp = NULL;

		assert_int_equal(desk_wait(d, ids[k], &resp), DESK_OK);
		assert_int_equal(resp->status, DESKD__STATUS__OK);
		deskd__response__free_unpacked(resp, NULL);
	}
	desk_close(d);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pipelined_creates_share_commits),
		cmocka_unit_test(test_a_burst_read_ahead_is_answered_whole),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
