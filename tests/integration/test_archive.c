/*
 * test_archive.c - the owner archive (E6) end to end over TLS: units and
 * people added, shown, listed and changed; unit codes against the
 * pattern; phone and ID numbers masked to every role; a reveal needs a
 * reason and is listed for a supervisor, not a clerk; the unmasked export
 * is the admin's and is logged; complaints and repairs must name a unit of
 * the archive once it has one; the data dir holds no known number; deskd
 * refuses to start with a missing or wrong key file, and without a key
 * refuses numbers.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "harness.h"

#define ST(x)	DESKD__STATUS__##x
#define PW	"archive-pass-1"

/* Numbers no other record of these tests holds (complaints use 138...). */
#define PHONE		"13912345678"
#define PHONE_MASK	"139****5678"
#define IDNUM		"110101199003071234"
#define IDNUM_MASK	"110***********1234"
#define EPHONE		"13700001111"
#define PHONE2		"15966667777"

static struct server_proc srv;
static struct h_staff staff;
static struct desk *admin, *clerk, *sup, *dir, *eng;
static uint64_t person_id;

static Deskd__Response *
unit_add(struct desk *d, const char *code, uint32_t area,
    Deskd__UnitStatus status, Deskd__Status want)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__UnitAdd a = DESKD__UNIT_ADD__INIT;

	a.code = (char *)code;
	a.area_dm2 = area;
	a.status = status;
	req.body_case = DESKD__REQUEST__BODY_UNIT_ADD;
	req.unit_add = &a;
	return h_expect(d, &req, want);
}

static Deskd__Response *
unit_get(struct desk *d, const char *code, Deskd__Status want)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__UnitGet g = DESKD__UNIT_GET__INIT;

	g.code = (char *)code;
	req.body_case = DESKD__REQUEST__BODY_UNIT_GET;
	req.unit_get = &g;
	return h_expect(d, &req, want);
}

static Deskd__Response *
person_get(struct desk *d, uint64_t id, Deskd__Status want)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__PersonGet g = DESKD__PERSON_GET__INIT;

	g.id = id;
	req.body_case = DESKD__REQUEST__BODY_PERSON_GET;
	req.person_get = &g;
	return h_expect(d, &req, want);
}

static Deskd__Response *
reveal(struct desk *d, uint64_t id, const char *field, const char *reason,
    Deskd__Status want)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__PersonReveal r = DESKD__PERSON_REVEAL__INIT;

	r.id = id;
	r.field = (char *)field;
	r.reason = (char *)reason;
	req.body_case = DESKD__REQUEST__BODY_PERSON_REVEAL;
	req.person_reveal = &r;
	return h_expect(d, &req, want);
}

static Deskd__Response *
export(struct desk *d, bool unmasked, Deskd__Status want)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__ArchiveExport e = DESKD__ARCHIVE_EXPORT__INIT;

	e.unmasked = unmasked;
	req.body_case = DESKD__REQUEST__BODY_ARCHIVE_EXPORT;
	req.archive_export = &e;
	return h_expect(d, &req, want);
}

/* Issue 11 (E6): a clerk reveals a number on duty by the published
 * schedule: clerk1 takes every shift of this month (deskd's zone). */
static void
clerk_on_duty(void)
{
	static const char *const who[3] = { "clerk1", "clerk1", "clerk1" };
	time_t t = time(NULL);
	struct tm tm, last;

	setenv("TZ", "Asia/Shanghai", 1);
	tzset();
	localtime_r(&t, &tm);
	last = (struct tm){ .tm_year = tm.tm_year, .tm_mon = tm.tm_mon + 1,
	    .tm_mday = 0, .tm_hour = 12 };
	mktime(&last);
	h_publish_rota(sup, (uint32_t)(tm.tm_year + 1900) * 100 +
	    (uint32_t)tm.tm_mon + 1, (uint32_t)last.tm_mday, who);
}

static int
setup(void **state)
{
	(void)state;
	h_office_up(&srv, NULL, PW, &staff);
	admin = staff.admin;
	clerk = staff.clerk;
	sup = staff.sup;
	dir = staff.dir;
	eng = staff.eng;
	clerk_on_duty();
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	h_office_down(&srv, &staff);
	return 0;
}

/* Before any unit, complaints name any unit: a new office (E6). */
static void
test_empty_archive_allows_any_unit(void **state)
{
	Deskd__Status st;

	(void)state;
	assert_int_not_equal(h_complaint(clerk, "9-9-9999", "noise", &st), 0);
}

static void
test_units(void **state)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__UnitSet s = DESKD__UNIT_SET__INIT;
	Deskd__UnitList l = DESKD__UNIT_LIST__INIT;
	Deskd__Response *r;
	char *clear[] = { "note" };

	(void)state;
	r = unit_add(clerk, "3-2-1201", 8950, DESKD__UNIT_STATUS__UNIT_OCCUPIED,
	    ST(OK));
	assert_string_equal(r->unit->code, "3-2-1201");
	assert_int_equal(r->unit->area_dm2, 8950);
	h_free(r);
	h_free(unit_add(clerk, "3-2-1202", 0, 0, ST(OK)));
	h_free(unit_add(clerk, "3-1-0101", 12000, DESKD__UNIT_STATUS__UNIT_LET,
	    ST(OK)));
	h_free(unit_add(clerk, "3-2-1201", 1, 0, ST(CONFLICT)));
	/* Codes that do not match the pattern. */
	r = unit_add(clerk, "3-2", 0, 0, ST(INVALID_ARGUMENT));
	assert_non_null(strstr(r->message, "pattern"));
	h_free(r);
	h_free(unit_add(clerk, "A-1-101", 0, 0, ST(INVALID_ARGUMENT)));
	h_free(unit_add(clerk, "3-2-1201; drop", 0, 0, ST(INVALID_ARGUMENT)));
	h_free(unit_add(eng, "3-2-1301", 0, 0, ST(PERMISSION_DENIED)));

	s.code = "3-2-1202";
	s.status = DESKD__UNIT_STATUS__UNIT_RENOVATION;
	s.area_dm2 = 10025;
	s.note = "kitchen works until May";
	req.body_case = DESKD__REQUEST__BODY_UNIT_SET;
	req.unit_set = &s;
	r = h_expect(clerk, &req, ST(OK));
	assert_int_equal(r->unit->status, DESKD__UNIT_STATUS__UNIT_RENOVATION);
	assert_int_equal(r->unit->area_dm2, 10025);
	assert_int_equal(r->unit->revision, 2);
	h_free(r);
	s.status = 0;
	s.area_dm2 = 0;
	s.note = "";
	s.clear = clear;
	s.n_clear = 1;
	r = h_expect(clerk, &req, ST(OK));
	assert_string_equal(r->unit->note, "");
	assert_int_equal(r->unit->status, DESKD__UNIT_STATUS__UNIT_RENOVATION);
	h_free(r);

	l.prefix = "3-2-";
	req.body_case = DESKD__REQUEST__BODY_UNIT_LIST;
	req.unit_list = &l;
	r = h_expect(sup, &req, ST(OK));
	assert_int_equal(r->unit_list->n_units, 2);
	assert_string_equal(r->unit_list->units[0]->code, "3-2-1201");
	h_free(r);
	l.prefix = "";
	l.limit = 1;
	l.after = "3-1-0101";
	r = h_expect(sup, &req, ST(OK));
	assert_int_equal(r->unit_list->n_units, 1);
	assert_string_equal(r->unit_list->units[0]->code, "3-2-1201");
	assert_true(r->unit_list->more);
	h_free(r);
	h_free(unit_get(eng, "3-2-1201", ST(PERMISSION_DENIED)));
	r = unit_get(clerk, "3-2-1210", ST(NOT_FOUND));
	assert_non_null(strstr(r->message, "3-2-1201"));
	h_free(r);
}

static void
assert_masked(const Deskd__Person *p)
{
	assert_string_equal(p->phone, PHONE_MASK);
	assert_string_equal(p->id_number, IDNUM_MASK);
	assert_string_equal(p->emergency_phone, "137****1111");
	assert_int_equal(p->phone_sealed.len, 0);
	assert_int_equal(p->id_sealed.len, 0);
}

static void
test_persons_masked(void **state)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__PersonAdd a = DESKD__PERSON_ADD__INIT;
	Deskd__PersonSet s = DESKD__PERSON_SET__INIT;
	struct desk *roles[] = { admin, clerk, sup, dir };
	char *vehicles[] = { "京A12345", "京B54321" };
	Deskd__Response *r;

	(void)state;
	a.unit = "3-2-1201";
	a.name = "王芳";
	a.kind = DESKD__PERSON_KIND__PERSON_OWNER;
	a.phone = PHONE;
	a.id_number = IDNUM;
	a.vehicles = vehicles;
	a.n_vehicles = 2;
	a.emergency_name = "王强";
	a.emergency_phone = EPHONE;
	a.move_in = "2021-05-01";
	req.body_case = DESKD__REQUEST__BODY_PERSON_ADD;
	req.person_add = &a;
	r = h_expect(clerk, &req, ST(OK));
	assert_masked(r->person);
	assert_int_equal(r->person->move_in, 20210501);
	person_id = r->person->id;
	h_free(r);
	/* A unit that is not in the archive; a bad number; a bad date. */
	a.unit = "3-2-1210";
	r = h_expect(clerk, &req, ST(NOT_FOUND));
	assert_non_null(strstr(r->message, "3-2-1201"));
	h_free(r);
	a.unit = "3-2-1201";
	a.phone = "call me";
	h_expect_free(clerk, &req, ST(INVALID_ARGUMENT));
	a.phone = PHONE;
	a.move_in = "May 2021";
	h_expect_free(clerk, &req, ST(INVALID_ARGUMENT));
	a.move_in = "";
	a.name = "李雷";
	a.kind = DESKD__PERSON_KIND__PERSON_TENANT;
	a.phone = "010-66668888";
	a.id_number = "";
	a.emergency_phone = "";
	a.n_vehicles = 0;
	r = h_expect(clerk, &req, ST(OK));
	assert_string_equal(r->person->phone, "********8888");
	h_free(r);

	/* Masked to every role, in the person and in the unit's show. */
	for (size_t i = 0; i < sizeof(roles) / sizeof(roles[0]); i++) {
		r = person_get(roles[i], person_id, ST(OK));
		assert_masked(r->person);
		assert_int_equal(r->person->n_vehicles, 2);
		h_free(r);
		r = unit_get(roles[i], "3-2-1201", ST(OK));
		assert_int_equal(r->unit_show->unit->people, 2);
		assert_int_equal(r->unit_show->n_people, 2);
		assert_masked(r->unit_show->people[0]);
		h_free(r);
	}
	h_free(person_get(eng, person_id, ST(PERMISSION_DENIED)));

	/* A change of phone is sealed and masked the same way. */
	s.id = person_id + 1;
	s.phone = PHONE2;
	s.unit = "3-1-0101";
	req.body_case = DESKD__REQUEST__BODY_PERSON_SET;
	req.person_set = &s;
	r = h_expect(clerk, &req, ST(OK));
	assert_string_equal(r->person->phone, "159****7777");
	assert_string_equal(r->person->unit, "3-1-0101");
	h_free(r);
	r = unit_get(clerk, "3-1-0101", ST(OK));
	assert_int_equal(r->unit_show->unit->people, 1);
	h_free(r);
}

static void
test_reveal(void **state)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__RevealList l = DESKD__REVEAL_LIST__INIT;
	Deskd__Response *r;

	(void)state;
	r = reveal(clerk, person_id, "phone", "", ST(INVALID_ARGUMENT));
	assert_non_null(strstr(r->message, "reason"));
	h_free(r);
	h_free(reveal(clerk, person_id, "phone", "   ", ST(INVALID_ARGUMENT)));
	h_free(reveal(clerk, person_id, "password", "x", ST(INVALID_ARGUMENT)));
	h_free(reveal(eng, person_id, "phone", "call", ST(PERMISSION_DENIED)));
	r = reveal(clerk, person_id, "phone", "owner asked for a call back",
	    ST(OK));
	assert_string_equal(r->reveal->value, PHONE);
	h_free(r);
	r = reveal(sup, person_id, "id_number", "key deposit check", ST(OK));
	assert_string_equal(r->reveal->value, IDNUM);
	h_free(r);

	l.person_id = person_id;
	req.body_case = DESKD__REQUEST__BODY_REVEAL_LIST;
	req.reveal_list = &l;
	h_expect_free(clerk, &req, ST(PERMISSION_DENIED));
	r = h_expect(sup, &req, ST(OK));
	assert_int_equal(r->reveal_list->n_reveals, 2);
	assert_string_equal(r->reveal_list->reveals[0]->actor, "clerk1");
	assert_string_equal(r->reveal_list->reveals[0]->field, "phone");
	assert_string_equal(r->reveal_list->reveals[0]->reason,
	    "owner asked for a call back");
	assert_string_equal(r->reveal_list->reveals[0]->value, "");
	h_free(r);
	l.person_id = person_id + 1;
	r = h_expect(dir, &req, ST(OK));
	assert_int_equal(r->reveal_list->n_reveals, 0);
	h_free(r);
}

/* The next event of the subscription whose type is `type`, or NULL. */
static void
test_export(void **state)
{
	const char *const prefixes[] = { "archive.", "person.revealed" };
	struct desk *w = h_login(&srv, "sup1", PW);
	Deskd__Response *r;
	Deskd__Event *e;
	uint64_t last;

	(void)state;
	r = export(clerk, true, ST(PERMISSION_DENIED));
	assert_non_null(strstr(r->message, "export"));
	h_free(r);
	r = export(clerk, false, ST(OK));
	assert_int_equal(r->archive_export->n_people, 2);
	assert_masked(r->archive_export->people[0]);
	h_free(r);
	r = export(admin, true, ST(OK));
	assert_string_equal(r->archive_export->people[0]->phone, PHONE);
	assert_string_equal(r->archive_export->people[0]->id_number, IDNUM);
	assert_string_equal(r->archive_export->people[1]->phone, PHONE2);
	assert_int_equal(r->archive_export->people[0]->phone_sealed.len, 0);
	h_free(r);

	/* On record: the reveals and the export, with no number in them. */
	assert_int_equal(desk_subscribe(w, 0, prefixes, 2, &last), DESK_OK);
	assert_non_null(e = h_next_event(w, "person.revealed"));
	assert_string_equal(e->actor, "clerk1");
	assert_non_null(e->reveal);
	assert_string_equal(e->reveal->value, "");
	assert_string_equal(e->text, "owner asked for a call back");
	deskd__event__free_unpacked(e, NULL);
	assert_non_null(e = h_next_event(w, "archive.exported"));
	assert_string_equal(e->actor, ADMIN_USER);
	assert_true(e->archive_export->unmasked);
	assert_int_equal(e->archive_export->count, 2);
	deskd__event__free_unpacked(e, NULL);
	desk_close(w);
}

static uint64_t
repair_new(struct desk *d, const char *unit, Deskd__Status want, char *msg,
    size_t len)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__RepairNew n = DESKD__REPAIR_NEW__INIT;
	Deskd__Response *r;
	uint64_t id = 0;

	n.kind = DESKD__WORK_KIND__KIND_REPAIR;
	n.unit = (char *)unit;
	n.name = "王女士";
	n.phone = "13800000000";
	n.text = "kitchen tap leaks";
	req.body_case = DESKD__REQUEST__BODY_REPAIR_NEW;
	req.repair_new = &n;
	r = h_expect(d, &req, want);
	snprintf(msg, len, "%s", r->message);
	if (r->body_case == DESKD__RESPONSE__BODY_WORK_ORDER)
		id = r->work_order->id;
	h_free(r);
	return id;
}

/* E6: once the archive has units, records name one of them. */
static void
test_unit_check(void **state)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__RepairGet g = DESKD__REPAIR_GET__INIT;
	Deskd__RepairList l = DESKD__REPAIR_LIST__INIT;
	Deskd__Response *r;
	Deskd__Status st;
	uint64_t id;
	char msg[256];

	(void)state;
	assert_int_equal(h_complaint(clerk, "3-2-1210", "noise", &st), 0);
	assert_int_equal(st, ST(NOT_FOUND));
	assert_int_not_equal(h_complaint(clerk, "3-2-1201", "noise", &st), 0);
	repair_new(clerk, "3-2-1210", ST(NOT_FOUND), msg, sizeof(msg));
	assert_non_null(strstr(msg, "near: 3-2-1201"));
	assert_non_null(strstr(msg, "3-2-1202"));
	assert_int_not_equal(id = repair_new(clerk, "3-2-1201", ST(OK), msg,
	    sizeof(msg)), 0);
	/* An engineer sees the unit and a masked contact of an order sent
	 * to them; the desk, all. */
	{
		Deskd__RepairStep s = DESKD__REPAIR_STEP__INIT;

		s.id = id;
		s.action = DESKD__REPAIR_ACTION__REPAIR_DISPATCH;
		s.engineer = "eng1";
		req.body_case = DESKD__REQUEST__BODY_REPAIR_STEP;
		req.repair_step = &s;
		h_expect_free(clerk, &req, ST(OK));
	}
	g.id = id;
	req.body_case = DESKD__REQUEST__BODY_REPAIR_GET;
	req.repair_get = &g;
	r = h_expect(eng, &req, ST(OK));
	assert_string_equal(r->work_order->phone, "138****0000");
	assert_string_equal(r->work_order->unit, "3-2-1201");
	h_free(r);
	/* Issue 11 (E6): the desk's reply is masked too; the call-back
	 * reveals the number (test_numbers). */
	r = h_expect(clerk, &req, ST(OK));
	assert_string_equal(r->work_order->phone, "138****0000");
	h_free(r);
	req.body_case = DESKD__REQUEST__BODY_REPAIR_LIST;
	req.repair_list = &l;
	r = h_expect(eng, &req, ST(OK));
	assert_true(r->repair_list->n_orders > 0);
	for (size_t i = 0; i < r->repair_list->n_orders; i++)
		assert_string_equal(r->repair_list->orders[i]->phone,
		    "138****0000");
	h_free(r);
}

/* The data dir alone reveals nothing: no number in data.mdb (E6). */
static void
test_data_dir(void **state)
{
	static const char *const numbers[] = { PHONE, IDNUM, EPHONE, PHONE2 };
	char path[400];
	size_t len = 0, cap = 0;
	char *buf = NULL;
	FILE *f;

	(void)state;
	snprintf(path, sizeof(path), "%s/data.mdb", srv.data);
	assert_non_null(f = fopen(path, "rb"));
	for (;;) {
		size_t n;

		if (len == cap) {
			cap = cap ? cap * 2 : 1 << 20;
			assert_non_null(buf = realloc(buf, cap));
		}
		if ((n = fread(buf + len, 1, cap - len, f)) == 0)
			break;
		len += n;
	}
	fclose(f);
	assert_true(len > 0);
	/* The test can see a number where one is: the complaints' phone. */
	assert_non_null(memmem(buf, len, "13800000000", 11));
	for (size_t i = 0; i < sizeof(numbers) / sizeof(numbers[0]); i++)
		assert_null(memmem(buf, len, numbers[i], strlen(numbers[i])));
	free(buf);
}

static void
copy_file(const char *from, const char *to)
{
	char buf[256];
	FILE *in, *out;
	size_t n;

	assert_non_null(in = fopen(from, "r"));
	assert_non_null(out = fopen(to, "w"));
	while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
		assert_int_equal(fwrite(buf, 1, n, out), n);
	fclose(in);
	assert_int_equal(fclose(out), 0);
}

/* Missing, wrong, misplaced or no key: deskd will not start (no plaintext
 * fallback). */
static void
test_key_faults(void **state)
{
	char good[300];
	Deskd__Response *r;
	FILE *f;

	(void)state;
	h_staff_down(&staff);
	admin = clerk = sup = dir = eng = NULL;
	srv_stop(&srv);
	snprintf(good, sizeof(good), "%s", srv.keyfile);

	snprintf(srv.keyfile, sizeof(srv.keyfile), "%s/missing.key", srv.dir);
	assert_int_not_equal(srv_start_fails(&srv), 0);
	assert_true(srv_log_has(&srv, "missing.key"));

	snprintf(srv.keyfile, sizeof(srv.keyfile), "%s/wrong.key", srv.dir);
	assert_non_null(f = fopen(srv.keyfile, "w"));
	fprintf(f, "%064d\n", 7);
	fclose(f);
	assert_int_not_equal(srv_start_fails(&srv), 0);
	assert_true(srv_log_has(&srv,
	    "does not open this archive (wrong key file?)"));

	srv.keyfile[0] = '\0';
	assert_int_not_equal(srv_start_fails(&srv), 0);
	assert_true(srv_log_has(&srv, "this archive is sealed"));

	/* The right key, but kept inside the data dir (a backup of the data
	 * would carry it), named directly or through a symlink outside. */
	snprintf(srv.keyfile, sizeof(srv.keyfile), "%s/data/archive.key",
	    srv.dir);
	copy_file(good, srv.keyfile);
	assert_int_not_equal(srv_start_fails(&srv), 0);
	assert_true(srv_log_has(&srv, "is inside the data directory"));
	snprintf(srv.keyfile, sizeof(srv.keyfile), "%s/link.key", srv.dir);
	assert_int_equal(symlink("data/archive.key", srv.keyfile), 0);
	assert_int_not_equal(srv_start_fails(&srv), 0);
	assert_true(srv_log_has(&srv, "is inside the data directory"));

	/* The right key again: the numbers open as before. */
	snprintf(srv.keyfile, sizeof(srv.keyfile), "%s", good);
	srv_start(&srv);
	admin = staff.admin = h_login(&srv, ADMIN_USER, ADMIN_PASS);
	r = reveal(admin, person_id, "emergency_phone", "fire drill contact",
	    ST(OK));
	assert_string_equal(r->reveal->value, EPHONE);
	h_free(r);
}

/* No archive_key: deskd starts, and refuses a person's numbers, naming
 * it; a complaint's call-back phone is taken all the same, and masked
 * (issue 11: PROTOCOL.md 10.13 said every phone was refused). */
static void
test_no_key(void **state)
{
	static const char *const nokey[] = { "--archive-key", "", NULL };
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__PersonAdd a = DESKD__PERSON_ADD__INIT;
	struct server_proc s;
	struct desk *d;
	Deskd__Response *r;

	(void)state;
	srv_setup(&s, nokey);
	d = h_login(&s, ADMIN_USER, ADMIN_PASS);
	h_free(unit_add(d, "1-1-101", 0, 0, ST(OK)));
	a.unit = "1-1-101";
	a.name = "张三";
	a.phone = PHONE;
	req.body_case = DESKD__REQUEST__BODY_PERSON_ADD;
	req.person_add = &a;
	r = h_expect(d, &req, ST(INVALID_ARGUMENT));
	assert_non_null(strstr(r->message, "archive_key"));
	h_free(r);
	a.phone = "";
	h_expect_free(d, &req, ST(OK));
	{
		uint64_t id = h_complaint(d, "1-1-101", "没有钥匙", NULL);
		Deskd__Complaint *c;

		assert_int_not_equal(id, 0);
		assert_non_null(c = h_get(d, id));
		assert_string_equal(c->phone, "138****0000");
		deskd__complaint__free_unpacked(c, NULL);
	}
	desk_close(d);
	srv_teardown(&s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty_archive_allows_any_unit),
		cmocka_unit_test(test_units),
		cmocka_unit_test(test_persons_masked),
		cmocka_unit_test(test_reveal),
		cmocka_unit_test(test_export),
		cmocka_unit_test(test_unit_check),
		cmocka_unit_test(test_data_dir),
		cmocka_unit_test(test_key_faults),
		cmocka_unit_test(test_no_key),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
