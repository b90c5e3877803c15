/*
 * test_tallies.c - the monthly report's counts (issue 15, C8) are kept
 * with the complaints and can always be made again from them: a store
 * whose counts are gone (one from before they existed, or whose counting
 * rules changed) is counted again at start, and the report is what it was;
 * a complaint's steps move its counts, never add to them (a closed
 * complaint counts once, as closed).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "harness.h"
#include "store.h"

#define A(x)	DESKD__COMPLAINT_ACTION__ACTION_##x

static struct server_proc srv;

static Deskd__Response *
report(struct desk *d)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__ComplaintReport q = DESKD__COMPLAINT_REPORT__INIT;

	q.month = "";
	req.body_case = DESKD__REQUEST__BODY_COMPLAINT_REPORT;
	req.complaint_report = &q;
	return h_expect(d, &req, DESKD__STATUS__OK);
}

/* What a user of the report reads: the figures, packed, so two reports
 * compare whole. */
static size_t
figures(struct desk *d, uint8_t *buf, size_t len)
{
	Deskd__Response *r = report(d);
	size_t n;

	assert_non_null(r->complaint_report);
	assert_non_null(r->complaint_report->period);
	n = deskd__complaint_period__get_packed_size(
	    r->complaint_report->period);
	assert_true(n <= len);
	deskd__complaint_period__pack(r->complaint_report->period, buf);
	deskd__response__free_unpacked(r, NULL);
	return n;
}

/* Take the counts away; with `stale`, also the mark of the rules they
 * were counted by, as a store from before them had none. */
static void
forget_counts(bool stale)
{
	struct store_options o = { .map_size = 0 };
	struct store_txn t;
	struct store *st = NULL;
	char err[256];

	assert_int_equal(store_open(&st, srv.data, &o, err, sizeof(err)),
	    STORE_OK);
	assert_int_equal(store_txn_begin(st, NULL, true, &t), STORE_OK);
	tally_clear(&t, RECORD_COMPLAINT);
	if (stale)
		tally_set_version(&t, RECORD_COMPLAINT, 0);
	assert_int_equal(store_txn_commit(&t), STORE_OK);
	store_close(st);
}

static void
counted_again_at_start(void **state)
{
	uint8_t before[4096], after[4096];
	size_t nb, na;
	struct desk *d;
	uint64_t id[4];
	Deskd__Response *r;

	(void)state;
	srv_setup(&srv, NULL);
	d = h_login(&srv, ADMIN_USER, ADMIN_PASS);
	for (int i = 0; i < 4; i++)
		assert_true((id[i] = h_complaint(d, i < 2 ? "3-2-1201" :
		    "5-1-0301", "楼上装修噪音", NULL)) != 0);
	assert_int_equal(h_step(d, id[0], A(VALID), NULL, 0, 0),
	    DESKD__STATUS__OK);
	assert_int_equal(h_step(d, id[0], A(RESOLVE), "已处理", 0, 0),
	    DESKD__STATUS__OK);
	assert_int_equal(h_step(d, id[0], A(REVISIT), "满意", 0, 4),
	    DESKD__STATUS__OK);
	assert_int_equal(h_step(d, id[1], A(INVALID), "非物业", 0, 0),
	    DESKD__STATUS__OK);
	r = report(d);
	/* Each complaint once, as it stands: steps moved its counts. */
	assert_int_equal(r->complaint_report->period->total, 4);
	assert_int_equal(r->complaint_report->period->closed, 1);
	assert_int_equal(r->complaint_report->period->open, 3);
	assert_int_equal(r->complaint_report->period->valid, 1);
	assert_int_equal(r->complaint_report->period->invalid, 1);
	assert_int_equal(r->complaint_report->period->satisfaction[3], 1);
	assert_int_equal(r->complaint_report->period->n_repeat_units, 2);
	deskd__response__free_unpacked(r, NULL);
	nb = figures(d, before, sizeof(before));
	desk_close(d);
	srv_stop(&srv);

	/* The report reads the counts, never the complaints: gone, and
	 * marked as counted, they read as nothing... */
	forget_counts(false);
	srv_start(&srv);
	d = h_login(&srv, ADMIN_USER, ADMIN_PASS);
	r = report(d);
	assert_int_equal(r->complaint_report->period->total, 0);
	deskd__response__free_unpacked(r, NULL);
	desk_close(d);
	srv_stop(&srv);

	/* ... and a store whose counts are not of these rules is counted
	 * again at start: the report is what it was. */
	forget_counts(true);
	srv_start(&srv);
	d = h_login(&srv, ADMIN_USER, ADMIN_PASS);
	na = figures(d, after, sizeof(after));
	assert_int_equal(na, nb);
	assert_memory_equal(after, before, nb);
	assert_true(srv_log_has(&srv, "counted the complaints again"));
	desk_close(d);
	srv_teardown(&srv);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(counted_again_at_start),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
