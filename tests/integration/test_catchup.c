/*
 * test_catchup.c - a subscriber catching up from far back is served in
 * slices (issue 17).  Its filter can drop nearly everything it reads (here
 * thousands of imported complaints, which no watcher is shown one by one),
 * so one feed pass once read the whole log on the loop thread while every
 * other desk waited.  deskd's own counters say how many events of a
 * backlog its longest pass read (beyond what that commit added); the
 * watcher still gets every match, in order, and the end of its replay
 * once.
 */
#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "harness.h"
#include "wire.h"

#define PW		"catchup-pass-1"
#define BATCHES		12	/* imported, a live create after each */
#define BATCH_ROWS	1000
#define LIVE		10	/* created while the replay is served */

static struct server_proc srv;

static int
setup(void **state)
{
	(void)state;
	srv_setup(&srv, NULL);
	h_add_user(&srv, "clerk1", "clerk", PW);
	h_add_user(&srv, "sup1", "supervisor", PW);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	srv_teardown(&srv);
	return 0;
}

/* BATCH_ROWS complaints from an old register: complaint.imported events,
 * which the watcher's filter drops. */
static void
import_batch(struct desk *d, int b)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__ImportBatch batch = DESKD__IMPORT_BATCH__INIT;
	Deskd__ImportRow *rows, **ptrs;
	Deskd__Response *resp;
	char (*refs)[32];
	uint8_t *bufs;
	Deskd__Complaint c = DESKD__COMPLAINT__INIT;
	size_t len;

	c.unit = "1-1-101";
	c.complainant = "王女士";
	c.phone = "13800000000";
	c.category = "noise";
	c.text = "楼上装修噪音";
	len = protobuf_c_message_get_packed_size(&c.base);
	rows = calloc(BATCH_ROWS, sizeof(*rows));
	ptrs = calloc(BATCH_ROWS, sizeof(*ptrs));
	refs = calloc(BATCH_ROWS, sizeof(*refs));
	bufs = malloc(len);
	assert_true(rows && ptrs && refs && bufs);
	protobuf_c_message_pack(&c.base, bufs);
	for (int i = 0; i < BATCH_ROWS; i++) {
		deskd__import_row__init(&rows[i]);
		snprintf(refs[i], sizeof(refs[i]), "old-%d-%d", b, i);
		rows[i].line = (uint32_t)i + 2;
		rows[i].ref = refs[i];
		rows[i].record.data = bufs;
		rows[i].record.len = len;
		ptrs[i] = &rows[i];
	}
	batch.kind = "complaint";
	batch.rows = ptrs;
	batch.n_rows = BATCH_ROWS;
	req.body_case = DESKD__REQUEST__BODY_IMPORT_BATCH;
	req.import_batch = &batch;
	resp = h_expect(d, &req, DESKD__STATUS__OK);
	assert_int_equal(resp->body_case, DESKD__RESPONSE__BODY_IMPORT_ACK);
	assert_int_equal(resp->import_ack->stored, BATCH_ROWS);
	deskd__response__free_unpacked(resp, NULL);
	free(rows);
	free(ptrs);
	free(refs);
	free(bufs);
}

/* The feed counters of deskd's last stats line (srv_counters asks). */
static void
feed_counters(uint64_t *longest, int *slice, uint64_t *slices)
{
	uint64_t requests, commits;
	char line[1024], *p;
	bool found = false;
	FILE *f;

	srv_counters(&srv, &requests, &commits);
	assert_non_null(f = fopen(srv.log, "r"));
	while (fgets(line, sizeof(line), f) != NULL)
		if ((p = strstr(line, "longest catch-up pass ")) != NULL)
			found = sscanf(p, "longest catch-up pass %" SCNu64
			    " events (slice %d), %" SCNu64, longest, slice,
			    slices) == 3;
	fclose(f);
	if (!found)
		fail_msg("no feed counters in deskd's stats line; see %s",
		    srv.log);
}

/* The complaint.created events up to the end of the replay: exactly the
 * ids created before it, in order, then the marker with last's seq. */
static void
expect_replay(struct desk *w, const uint64_t *ids, int n, uint64_t last)
{
	uint64_t seq = 0;
	Deskd__Event *ev;
	int got = 0;

	while ((ev = h_next_any(w, 10000)) != NULL &&
	    strcmp(ev->type, "subscribe.caught_up") != 0) {
		assert_string_equal(ev->type, "complaint.created");
		assert_true(ev->seq > seq);
		seq = ev->seq;
		assert_true(got < n);
		assert_non_null(ev->complaint);
		assert_int_equal(ev->complaint->id, ids[got]);
		got++;
		deskd__event__free_unpacked(ev, NULL);
	}
	if (ev == NULL)
		fail_msg("the replay ended without its marker after %d of %d: "
		    "%s", got, n, desk_error(w));
	assert_int_equal(got, n);
	assert_int_equal(ev->seq, last);
	deskd__event__free_unpacked(ev, NULL);
}

static void
test_filtered_replay_in_slices(void **state)
{
	const char *const only[] = { "complaint.created" };
	struct desk *clerk, *sup, *w;
	uint64_t before[BATCHES], live[LIVE + 1], last, longest, slices;
	Deskd__Status st;
	Deskd__Event *ev;
	int slice;

	(void)state;
	clerk = h_login(&srv, "clerk1", PW);
	sup = h_login(&srv, "sup1", PW);
	for (int b = 0; b < BATCHES; b++) {
		import_batch(sup, b);
		before[b] = h_complaint(clerk, "1-1-102", "楼道灯不亮", &st);
		assert_int_equal(st, DESKD__STATUS__OK);
	}

	/* From the start of the log, while the clerk keeps working. */
	w = h_login(&srv, "sup1", PW);
	assert_int_equal(desk_subscribe_marked(w, 0, only, 1, &last),
	    DESK_OK);
	for (int i = 0; i < LIVE; i++) {
		live[i] = h_complaint(clerk, "1-1-103", "电梯异响", &st);
		assert_int_equal(st, DESKD__STATUS__OK);
	}
	expect_replay(w, before, BATCHES, last);
	/* Then live, in order, and no second marker. */
	live[LIVE] = h_complaint(clerk, "1-1-104", "门禁失灵", &st);
	assert_int_equal(st, DESKD__STATUS__OK);
	for (int i = 0; i <= LIVE; i++) {
		assert_non_null(ev = h_next_any(w, 10000));
		assert_string_equal(ev->type, "complaint.created");
		assert_int_equal(ev->complaint->id, live[i]);
		deskd__event__free_unpacked(ev, NULL);
	}

	feed_counters(&longest, &slice, &slices);
	print_message("replayed %d events: longest catch-up pass %" PRIu64
	    " events (slice %d), %" PRIu64 " catch-up slices\n",
	    BATCHES * (BATCH_ROWS + 1), longest, slice, slices);
	assert_true(longest > 0);
	assert_true(longest <= (uint64_t)slice);
	/* The replay went on through the catch-up event. */
	assert_true(slices >= (uint64_t)(BATCHES * BATCH_ROWS / slice / 2));
	desk_close(w);
	desk_close(sup);
	desk_close(clerk);
}

/*
 * Watchers up to date get a commit of 1,000 imported complaints in the
 * commit's own pass, however far past a slice: no catch-up event for
 * them, and the import's progress event right after it.
 */
static void
test_big_commit_one_pass(void **state)
{
	struct desk *sup, *w[3];
	uint64_t longest, slices0, slices1;
	Deskd__Event *ev;
	int slice;

	(void)state;
	sup = h_login(&srv, "sup1", PW);
	for (int i = 0; i < 3; i++) {
		w[i] = h_login(&srv, "sup1", PW);
		assert_int_equal(desk_subscribe(w[i],
		    desk_welcome(w[i])->last_seq, NULL, 0, NULL), DESK_OK);
	}
	feed_counters(&longest, &slice, &slices0);
	import_batch(sup, 100);
	for (int i = 0; i < 3; i++) {
		assert_non_null(ev = h_next_any(w[i], 10000));
		assert_string_equal(ev->type, "import.progress");
		deskd__event__free_unpacked(ev, NULL);
		desk_close(w[i]);
	}
	feed_counters(&longest, &slice, &slices1);
	assert_int_equal(slices1, slices0);
	desk_close(sup);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_big_commit_one_pass),
		cmocka_unit_test(test_filtered_replay_in_slices),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
