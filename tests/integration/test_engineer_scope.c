/*
 * test_engineer_scope.c - E6: an engineer refused RepairGet on an order
 * not sent to them reads nothing of it by any other path either: not its
 * unit or description in a handover's pending work (HandoverGet, export
 * --kind handover, handover.* events), not its alerts (AlertList, export
 * --kind alert, alert.* events).  Their own order they see everywhere.
 * The server's clock is moved to just before a shift boundary (multiples
 * of 8 h UTC, as in test_handover) and D3 runs 1 s, so both orders have an
 * alert before the handover opens.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "harness.h"

#define PW		"scope-pass-123"
#define ST(x)		DESKD__STATUS__##x
#define EIGHT_H		((int64_t)8 * 3600 * 1000)
#define THEIRS		"SECRET-7-7-707"	/* the other order's unit */

static struct server_proc srv;
static struct h_staff staff;
static uint64_t mine, theirs;

/* Pending work of a handover: whether any names THEIRS, and whether the
 * engineer's own order is listed with its text. */
static void
check_pending(const Deskd__Handover *h, bool *leaks, bool *own)
{
	char rec[32];

	snprintf(rec, sizeof(rec), "repair:%llu", (unsigned long long)mine);
	for (size_t i = 0; i < h->n_pending; i++) {
		if (strstr(h->pending[i]->text, THEIRS) != NULL ||
		    strstr(h->pending[i]->note, THEIRS) != NULL)
			*leaks = true;
		if (strcmp(h->pending[i]->record, rec) == 0 &&
		    strstr(h->pending[i]->text, "6-6-606") != NULL)
			*own = true;
	}
}

/* The engineer's stream up to the first handover event: alerts seen on
 * each order, and what the handover showed. */
static void
watch_to_handover(struct desk *w, bool *alert_mine, bool *alert_theirs,
    bool *leaks, bool *own)
{
	int64_t until = h_now_ms() + 15000;
	struct desk_frame f;

	while (h_now_ms() < until && desk_recv(w, &f,
	    (int)(until - h_now_ms()) + 1) == DESK_OK) {
		Deskd__Event *e = f.event;
		bool end = false;

		if (e != NULL && e->alert != NULL) {
			*alert_mine |= e->alert->record_id == mine;
			*alert_theirs |= e->alert->record_id == theirs;
		}
		if (e != NULL && e->shift != NULL &&
		    e->shift->handover != NULL) {
			check_pending(e->shift->handover, leaks, own);
			end = true;
		}
		desk_frame_free(&f);
		if (end)
			return;
	}
	fail_msg("no handover event within 15 s");
}

static Deskd__Response *
export(struct desk *d, const char *kind)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__ExportRequest q = DESKD__EXPORT_REQUEST__INIT;

	q.kind = (char *)kind;
	req.body_case = DESKD__REQUEST__BODY_EXPORT;
	req.export = &q;
	return h_expect(d, &req, ST(OK));
}

/* The event stream: D3's alerts on their own order only, then the
 * handover at the boundary with the other order withheld.  Runs first:
 * the other tests read what it made. */
static void
test_stream(void **state)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__RepairGet g = DESKD__REPAIR_GET__INIT;
	struct desk *w;
	bool alert_mine = false, alert_theirs = false, leaks = false,
	    own = false;

	(void)state;
	w = h_login(&srv, "eng1", PW);
	assert_int_equal(desk_subscribe(w, 0, NULL, 0, NULL), DESK_OK);
	/* Each order's description names its unit too. */
	mine = h_repair(staff.clerk, "6-6-606", "13900000000", "6-6-606",
	    "eng1");
	theirs = h_repair(staff.clerk, THEIRS, "13900000000", THEIRS, "eng2");
	g.id = theirs;
	req.body_case = DESKD__REQUEST__BODY_REPAIR_GET;
	req.repair_get = &g;
	h_expect_free(staff.eng, &req, ST(PERMISSION_DENIED));
	watch_to_handover(w, &alert_mine, &alert_theirs, &leaks, &own);
	desk_close(w);
	assert_true(alert_mine);
	assert_true(own);
	assert_false(alert_theirs);
	assert_false(leaks);
}

/* HandoverGet: the other order's pending item is withheld; the supervisor
 * sees it whole. */
static void
test_handover_get(void **state)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__HandoverGet hg = DESKD__HANDOVER_GET__INIT;
	Deskd__Response *r;
	bool leaks = false, own = false, withheld = false;
	char rec[32];

	(void)state;
	req.body_case = DESKD__REQUEST__BODY_HANDOVER_GET;
	req.handover_get = &hg;
	r = h_expect(staff.sup, &req, ST(OK));
	check_pending(r->handover, &leaks, &own);
	assert_true(leaks);
	h_free(r);
	r = h_expect(staff.eng, &req, ST(OK));
	leaks = own = false;
	check_pending(r->handover, &leaks, &own);
	assert_true(own);
	assert_false(leaks);
	/* The item is still listed, its words withheld. */
	snprintf(rec, sizeof(rec), "repair:%llu", (unsigned long long)theirs);
	for (size_t i = 0; i < r->handover->n_pending; i++)
		withheld |= strcmp(r->handover->pending[i]->record, rec) == 0 &&
		    strncmp(r->handover->pending[i]->text, "(withheld: ",
		    11) == 0;
	assert_true(withheld);
	h_free(r);
}

/* AlertList: only the alert on their own order. */
static void
test_alert_list(void **state)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__AlertList al = DESKD__ALERT_LIST__INIT;
	Deskd__Response *r;

	(void)state;
	req.body_case = DESKD__REQUEST__BODY_ALERT_LIST;
	req.alert_list = &al;
	r = h_expect(staff.eng, &req, ST(OK));
	assert_true(r->alert_list->n_alerts >= 1);
	for (size_t i = 0; i < r->alert_list->n_alerts; i++)
		assert_int_equal(r->alert_list->alerts[i]->record_id, mine);
	h_free(r);
}

/* Record i of an export reply, decoded. */
static void *
exported(const Deskd__Response *r, size_t i,
    const ProtobufCMessageDescriptor *d)
{
	ProtobufCMessage *m = protobuf_c_message_unpack(d, NULL,
	    r->export->records[i]->record.len,
	    r->export->records[i]->record.data);

	assert_non_null(m);
	return m;
}

/* export --kind handover and --kind alert, as the other paths show. */
static void
test_export(void **state)
{
	Deskd__Response *r;
	bool leaks = false, own = false;

	(void)state;
	r = export(staff.eng, "handover");
	assert_true(r->export->n_records >= 1);
	for (size_t i = 0; i < r->export->n_records; i++) {
		Deskd__Handover *h = exported(r, i,
		    &deskd__handover__descriptor);

		check_pending(h, &leaks, &own);
		deskd__handover__free_unpacked(h, NULL);
	}
	assert_true(own);
	assert_false(leaks);
	h_free(r);
	r = export(staff.eng, "alert");
	assert_true(r->export->n_records >= 1);
	for (size_t i = 0; i < r->export->n_records; i++) {
		Deskd__Alert *a = exported(r, i, &deskd__alert__descriptor);

		assert_int_equal(a->record_id, mine);
		deskd__alert__free_unpacked(a, NULL);
	}
	h_free(r);
}

static int
setup(void **state)
{
	static char offset[32];
	static const char *flags[] = { "--now-offset", offset, "--clock",
	    "repair.no_engineer=1s", NULL };
	int64_t now = h_wall_ms(), boundary = (now / EIGHT_H + 1) * EIGHT_H;

	(void)state;
	snprintf(offset, sizeof(offset), "%lldms",
	    (long long)(boundary - 8000 - now));
	h_office_up(&srv, flags, PW, &staff);
	h_add_user(&srv, "eng2", "engineer", PW);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	h_office_down(&srv, &staff);
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stream),
		cmocka_unit_test(test_handover_get),
		cmocka_unit_test(test_alert_list),
		cmocka_unit_test(test_export),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
