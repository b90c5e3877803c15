/*
 * test_numbers.c - numbers that do not leak (issue 11, E6) against a real
 * deskd over TLS: a complaint's or a work order's phone is masked in every
 * reply and export, whoever reads it; the call-back reveals one number on
 * record, by a clerk on duty or a supervisor, and a burst of reveals
 * alerts the supervisor; only the admin exports them unmasked, logged;
 * engineers read no internal (employee) complaint.  The server's
 * clock is moved (--now-offset) to 2031-03-15 12:00 in Asia/Shanghai, in
 * the morning shift, with clerk1 on the morning shift and c2 on the
 * evening one.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "harness.h"

#define PW		"numbers-pass-123"
#define ST(x)		DESKD__STATUS__##x
#define MONTH		203103u
#define PHONE		"13912345678"
#define MASKED		"139****5678"

static struct server_proc srv;
static struct h_staff staff;
static struct desk *admin, *clerk, *sup, *eng, *c2;
static char offset[32];
static const char *flags[4];

static uint64_t
complaint(struct desk *d, const char *source)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__ComplaintNew n = DESKD__COMPLAINT_NEW__INIT;
	Deskd__Response *r;
	uint64_t id;

	n.unit = "3-2-1201";
	n.complainant = "王芳";
	n.phone = PHONE;
	n.category = "noise";
	n.text = "楼上装修噪音";
	n.source = (char *)source;
	req.body_case = DESKD__REQUEST__BODY_COMPLAINT_NEW;
	req.complaint_new = &n;
	r = h_expect(d, &req, ST(OK));
	/* The reply to the desk that recorded it is masked too. */
	assert_string_equal(r->complaint->phone, MASKED);
	id = r->complaint->id;
	h_free(r);
	return id;
}

static uint64_t
repair(struct desk *d)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__RepairNew n = DESKD__REPAIR_NEW__INIT;
	Deskd__Response *r;
	uint64_t id;

	n.kind = DESKD__WORK_KIND__KIND_REPAIR;
	n.unit = "3-2-1201";
	n.name = "王芳";
	n.phone = PHONE;
	n.text = "卫生间漏水";
	req.body_case = DESKD__REQUEST__BODY_REPAIR_NEW;
	req.repair_new = &n;
	r = h_expect(d, &req, ST(OK));
	assert_string_equal(r->work_order->phone, MASKED);
	id = r->work_order->id;
	h_free(r);
	return id;
}

static Deskd__Response *
get(struct desk *d, bool is_repair, uint64_t id, Deskd__Status want)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__ComplaintGet cg = DESKD__COMPLAINT_GET__INIT;
	Deskd__RepairGet rg = DESKD__REPAIR_GET__INIT;

	cg.id = rg.id = id;
	if (is_repair) {
		req.body_case = DESKD__REQUEST__BODY_REPAIR_GET;
		req.repair_get = &rg;
	} else {
		req.body_case = DESKD__REQUEST__BODY_COMPLAINT_GET;
		req.complaint_get = &cg;
	}
	return h_expect(d, &req, want);
}

static Deskd__Response *
list(struct desk *d, bool is_repair)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__ComplaintList cl = DESKD__COMPLAINT_LIST__INIT;
	Deskd__RepairList rl = DESKD__REPAIR_LIST__INIT;

	if (is_repair) {
		req.body_case = DESKD__REQUEST__BODY_REPAIR_LIST;
		req.repair_list = &rl;
	} else {
		req.body_case = DESKD__REQUEST__BODY_COMPLAINT_LIST;
		req.complaint_list = &cl;
	}
	return h_expect(d, &req, ST(OK));
}

static Deskd__Response *
export(struct desk *d, const char *kind, bool unmasked, Deskd__Status want)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__ExportRequest q = DESKD__EXPORT_REQUEST__INIT;

	q.kind = (char *)kind;
	q.unmasked = unmasked;
	req.body_case = DESKD__REQUEST__BODY_EXPORT;
	req.export = &q;
	return h_expect(d, &req, want);
}

/* The phone of every record of an export reply is `want`. */
static void
exportphones(const Deskd__Response *r, bool is_repair, const char *want)
{
	assert_true(r->export->n_records > 0);
	for (size_t i = 0; i < r->export->n_records; i++) {
		const ProtobufCBinaryData *b = &r->export->records[i]->record;

		if (is_repair) {
			Deskd__WorkOrder *w = deskd__work_order__unpack(NULL,
			    b->len, b->data);

			assert_non_null(w);
			assert_string_equal(w->phone, want);
			deskd__work_order__free_unpacked(w, NULL);
		} else {
			Deskd__Complaint *c = deskd__complaint__unpack(NULL,
			    b->len, b->data);

			assert_non_null(c);
			assert_string_equal(c->phone, want);
			deskd__complaint__free_unpacked(c, NULL);
		}
	}
}

static Deskd__Response *
reveal(struct desk *d, const char *record, const char *reason,
    Deskd__Status want)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__PersonReveal rv = DESKD__PERSON_REVEAL__INIT;

	rv.record = (char *)record;
	rv.reason = (char *)reason;
	req.body_case = DESKD__REQUEST__BODY_PERSON_REVEAL;
	req.person_reveal = &rv;
	return h_expect(d, &req, want);
}

/* E6: `desk export --kind complaint` gave 王芳,13912345678 to a clerk;
 * every reply showed the number in clear to the desks. */
static void
test_contacts_masked_everywhere(void **state)
{
	struct desk *readers[] = { clerk, sup, staff.dir, admin };
	uint64_t cid, rid;
	Deskd__Response *r;

	(void)state;
	cid = complaint(clerk, "customer");
	rid = repair(clerk);
	for (size_t i = 0; i < sizeof(readers) / sizeof(readers[0]); i++) {
		r = get(readers[i], false, cid, ST(OK));
		assert_string_equal(r->complaint->phone, MASKED);
		h_free(r);
		r = get(readers[i], true, rid, ST(OK));
		assert_string_equal(r->work_order->phone, MASKED);
		h_free(r);
		r = list(readers[i], false);
		for (size_t j = 0; j < r->complaint_list->n_complaints; j++)
			assert_string_equal(
			    r->complaint_list->complaints[j]->phone, MASKED);
		h_free(r);
		r = list(readers[i], true);
		for (size_t j = 0; j < r->repair_list->n_orders; j++)
			assert_string_equal(r->repair_list->orders[j]->phone,
			    MASKED);
		h_free(r);
	}
	r = export(clerk, "complaint", false, ST(OK));
	exportphones(r, false, MASKED);
	h_free(r);
	r = export(clerk, "repair", false, ST(OK));
	exportphones(r, true, MASKED);
	h_free(r);
	/* Unmasked is the admin's alone. */
	h_free(export(clerk, "complaint", true, ST(PERMISSION_DENIED)));
	h_free(export(sup, "repair", true, ST(PERMISSION_DENIED)));
}

/* The call-back: one number, with a reason, on record; the admin's
 * unmasked export is on record too. */
static void
test_callback_reveal(void **state)
{
	const char *const prefixes[] = { "contact.", "archive." };
	struct desk *w = h_login(&srv, "sup1", PW);
	char rec[32];
	uint64_t cid, last;
	Deskd__Response *r;
	Deskd__Event *e;

	(void)state;
	cid = complaint(clerk, "customer");
	snprintf(rec, sizeof(rec), "complaint:%llu", (unsigned long long)cid);
	h_free(reveal(clerk, rec, "   ", ST(INVALID_ARGUMENT)));
	h_free(reveal(clerk, "complaint:999999", "call back", ST(NOT_FOUND)));
	h_free(reveal(clerk, "fee:1", "call back", ST(INVALID_ARGUMENT)));
	h_free(reveal(eng, rec, "call back", ST(PERMISSION_DENIED)));
	r = reveal(clerk, rec, "owner asked for a call back", ST(OK));
	assert_string_equal(r->reveal->value, PHONE);
	assert_string_equal(r->reveal->record, rec);
	assert_string_equal(r->reveal->actor, "clerk1");
	h_free(r);
	r = export(admin, "complaint", true, ST(OK));
	exportphones(r, false, PHONE);
	h_free(r);

	assert_int_equal(desk_subscribe(w, 0, prefixes, 2, &last), DESK_OK);
	assert_non_null(e = h_next_event(w, "contact.revealed"));
	assert_string_equal(e->actor, "clerk1");
	assert_string_equal(e->record, rec);
	assert_string_equal(e->reveal->value, "");
	assert_string_equal(e->text, "owner asked for a call back");
	deskd__event__free_unpacked(e, NULL);
	assert_non_null(e = h_next_event(w, "archive.exported"));
	assert_string_equal(e->actor, ADMIN_USER);
	assert_string_equal(e->archive_export->kind, "complaint");
	deskd__event__free_unpacked(e, NULL);
	desk_close(w);
}

/* The open E6 alerts: how many, and the last one's message. */
static size_t
e6_alerts(char *last, size_t len)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__AlertList l = DESKD__ALERT_LIST__INIT;
	Deskd__Response *r;
	size_t n = 0;

	l.open_only = true;
	req.body_case = DESKD__REQUEST__BODY_ALERT_LIST;
	req.alert_list = &l;
	r = h_expect(sup, &req, ST(OK));
	for (size_t i = 0; i < r->alert_list->n_alerts; i++) {
		const Deskd__Alert *a = r->alert_list->alerts[i];

		if (strcmp(a->rule, "E6") != 0)
			continue;
		assert_string_equal(a->role, "supervisor");
		snprintf(last, len, "%s", a->message);
		n++;
	}
	h_free(r);
	return n;
}

/* E6: an off-duty clerk revealed 27 numbers in one second. */
static void
test_reveal_needs_duty(void **state)
{
	char rec[32];
	uint64_t cid;

	(void)state;
	cid = complaint(clerk, "customer");
	snprintf(rec, sizeof(rec), "complaint:%llu", (unsigned long long)cid);
	/* c2 works the evening shift: at noon they are not at the desk. */
	h_free(reveal(c2, rec, "x", ST(PERMISSION_DENIED)));
	/* clerk1 is on the morning shift; a supervisor is not on the rota
	 * and reveals at any time. */
	h_free(reveal(clerk, rec, "calling back", ST(OK)));
	h_free(reveal(sup, rec, "checking the complaint", ST(OK)));
}

/* More than 10 in 10 minutes alerts the supervisor, once a burst. */
static void
test_reveal_burst_alerts(void **state)
{
	struct desk *dir = staff.dir;
	char rec[32], msg[256] = "";
	uint64_t cid;

	(void)state;
	cid = complaint(clerk, "customer");
	snprintf(rec, sizeof(rec), "complaint:%llu", (unsigned long long)cid);
	for (int i = 0; i < 10; i++)
		h_free(reveal(dir, rec, "reviewing", ST(OK)));
	assert_int_equal(e6_alerts(msg, sizeof(msg)), 0);
	h_free(reveal(dir, rec, "reviewing", ST(OK)));
	assert_int_equal(e6_alerts(msg, sizeof(msg)), 1);
	assert_non_null(strstr(msg, "dir1 revealed more than 10"));
	h_free(reveal(dir, rec, "reviewing", ST(OK)));
	assert_int_equal(e6_alerts(msg, sizeof(msg)), 1);
}

/* The same burst pipelined, as a script would send it: the reveals of
 * one group commit count each other. */
static void
test_reveal_burst_pipelined(void **state)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__PersonReveal rv = DESKD__PERSON_REVEAL__INIT;
	Deskd__Response *r;
	char rec[32], msg[256] = "";
	uint32_t ids[11];
	uint64_t cid;
	size_t before;

	(void)state;
	cid = complaint(clerk, "customer");
	snprintf(rec, sizeof(rec), "complaint:%llu", (unsigned long long)cid);
	before = e6_alerts(msg, sizeof(msg));
	rv.record = rec;
	rv.reason = "x";
	req.body_case = DESKD__REQUEST__BODY_PERSON_REVEAL;
	req.person_reveal = &rv;
	for (int i = 0; i < 11; i++)
		assert_int_equal(desk_send(admin, &req, &ids[i]), DESK_OK);
	for (int i = 0; i < 11; i++) {
		assert_int_equal(desk_wait(admin, ids[i], &r), DESK_OK);
		assert_int_equal(r->status, ST(OK));
		h_free(r);
	}
	assert_int_equal(e6_alerts(msg, sizeof(msg)), before + 1);
	assert_non_null(strstr(msg, "admin revealed more than 10"));
}

/* Does the complaint list `d` reads hold `id`? */
static bool
listed(struct desk *d, uint64_t id)
{
	Deskd__Response *r = list(d, false);
	bool found = false;

	for (size_t i = 0; i < r->complaint_list->n_complaints; i++)
		found |= r->complaint_list->complaints[i]->id == id;
	h_free(r);
	return found;
}

/* E6/C5: engineers read internal (employee) complaints; they must not. */
static void
test_engineer_no_internal(void **state)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__ComplaintHistory h = DESKD__COMPLAINT_HISTORY__INIT;
	struct desk *w = h_login(&srv, "eng1", PW);
	const char *const prefixes[] = { "complaint." };
	struct desk_frame f;
	char internal_rec[32], public_rec[32];
	uint64_t internal, public, last;
	bool saw_internal = false, saw_public = false;

	(void)state;
	assert_int_equal(desk_subscribe(w, 0, prefixes, 1, &last), DESK_OK);
	internal = complaint(clerk, "employee");
	public = complaint(clerk, "customer");
	snprintf(internal_rec, sizeof(internal_rec), "complaint:%llu",
	    (unsigned long long)internal);
	snprintf(public_rec, sizeof(public_rec), "complaint:%llu",
	    (unsigned long long)public);

	h_free(get(eng, false, internal, ST(PERMISSION_DENIED)));
	h_free(get(eng, false, public, ST(OK)));
	h_free(get(clerk, false, internal, ST(OK)));
	h_free(get(sup, false, internal, ST(OK)));
	assert_false(listed(eng, internal));
	assert_true(listed(eng, public));
	assert_true(listed(clerk, internal));
	h.id = internal;
	req.body_case = DESKD__REQUEST__BODY_COMPLAINT_HISTORY;
	req.complaint_history = &h;
	h_expect_free(eng, &req, ST(PERMISSION_DENIED));
	h_expect_free(clerk, &req, ST(OK));

	/* Nor in the event stream. */
	while (!saw_public && desk_recv(w, &f, 2000) == DESK_OK) {
		if (f.event != NULL) {
			saw_internal |= strcmp(f.event->record,
			    internal_rec) == 0;
			saw_public |= strcmp(f.event->record, public_rec) == 0;
		}
		desk_frame_free(&f);
	}
	assert_true(saw_public);
	assert_false(saw_internal);
	desk_close(w);
}

static int
setup(void **state)
{
	struct tm tm = { .tm_year = 2031 - 1900, .tm_mon = 2, .tm_mday = 15,
	    .tm_hour = 4 };	/* 12:00 in Shanghai */
	static const char *const who[3] = { "clerk1", "c2", "c3" };

	(void)state;
	snprintf(offset, sizeof(offset), "%lldms",
	    (long long)((int64_t)timegm(&tm) * 1000 - h_wall_ms()));
	flags[0] = "--now-offset";
	flags[1] = offset;
	flags[2] = NULL;
	h_office_up(&srv, flags, PW, &staff);
	h_add_user(&srv, "c2", "clerk", PW);
	h_add_user(&srv, "c3", "clerk", PW);
	admin = staff.admin;
	clerk = staff.clerk;
	sup = staff.sup;
	eng = staff.eng;
	c2 = h_login(&srv, "c2", PW);
	h_publish_rota(sup, MONTH, 31, who);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	desk_close(c2);
	h_office_down(&srv, &staff);
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_contacts_masked_everywhere),
		cmocka_unit_test(test_callback_reveal),
		cmocka_unit_test(test_reveal_needs_duty),
		cmocka_unit_test(test_reveal_burst_alerts),
		cmocka_unit_test(test_reveal_burst_pipelined),
		cmocka_unit_test(test_engineer_no_internal),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
