/*
 * test_watch_privacy.c - what a watching desk may see (E6) against a real
 * deskd over TLS: an engineer's stream has no archive, no registers and
 * no orders sent to others; a clerk's has no audit of reveals; contact
 * phones in the log are masked, a person's mask is not masked twice; an
 * engineer reads a complaint's number masked; a register's times must be
 * times.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "harness.h"

#define PW	"watch-pass-123"
#define ST(x)	DESKD__STATUS__##x

static struct server_proc srv;
static struct h_staff staff;
static struct desk *admin, *clerk, *sup, *eng;

static struct desk *
watcher(const char *user)
{
	struct desk *w = h_login(&srv, user, PW);

	assert_int_equal(desk_subscribe(w, 0, NULL, 0, NULL), DESK_OK);
	return w;
}

static uint64_t
repair(const char *engineer)
{
	return h_repair(clerk, "3-2-1201", "13900000000", "水龙头漏水",
	    engineer);
}

/* Every event a watcher gets until `last` (a record label) arrives. */
struct seen {
	char	 types[64][48];
	char	 records[64][32];
	size_t	 n;
	char	 person_phone[32], complaint_phone[32], visitor_phone[32];
};

static void
drain(struct desk *w, const char *last, struct seen *s)
{
	int64_t until = h_now_ms() + 10000;
	struct desk_frame f;

	memset(s, 0, sizeof(*s));
	while (h_now_ms() < until && desk_recv(w, &f,
	    (int)(until - h_now_ms()) + 1) == DESK_OK) {
		Deskd__Event *e = f.event;
		bool end;

		if (e == NULL) {
			desk_frame_free(&f);
			continue;
		}
		if (s->n < 64) {
			snprintf(s->types[s->n], sizeof(s->types[0]), "%s",
			    e->type);
			snprintf(s->records[s->n++], sizeof(s->records[0]),
			    "%s", e->record);
		}
		if (e->person != NULL)
			snprintf(s->person_phone, sizeof(s->person_phone), "%s",
			    e->person->phone);
		if (e->complaint != NULL)
			snprintf(s->complaint_phone,
			    sizeof(s->complaint_phone), "%s",
			    e->complaint->phone);
		if (e->register_ != NULL &&
		    strcmp(e->register_->kind, "visitor") == 0) {
			Deskd__Visitor *v = deskd__visitor__unpack(NULL,
			    e->register_->entry.len,
			    e->register_->entry.data);

			assert_non_null(v);
			snprintf(s->visitor_phone, sizeof(s->visitor_phone),
			    "%s", v->phone);
			deskd__visitor__free_unpacked(v, NULL);
		}
		end = strcmp(e->record, last) == 0;
		desk_frame_free(&f);
		if (end)
			return;
	}
	fail_msg("no event about %s within 10 s", last);
}

static bool
saw(const struct seen *s, const char *type_prefix, const char *record)
{
	for (size_t i = 0; i < s->n; i++)
		if (strncmp(s->types[i], type_prefix, strlen(type_prefix)) ==
		    0 && (record == NULL || strcmp(s->records[i], record) == 0))
			return true;
	return false;
}

static void
test_streams(void **state)
{
	struct desk *we = watcher("eng1"), *wc = watcher("clerk1"),
	    *ws = watcher("sup1");
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__UnitAdd ua = DESKD__UNIT_ADD__INIT;
	Deskd__PersonAdd pa = DESKD__PERSON_ADD__INIT;
	Deskd__PersonReveal rv = DESKD__PERSON_REVEAL__INIT;
	Deskd__Visitor v = DESKD__VISITOR__INIT;
	Deskd__RegisterAdd ra = DESKD__REGISTER_ADD__INIT;
	Deskd__Response *r;
	struct seen s;
	uint64_t person, mine, other, held, last;
	uint8_t buf[512];
	char rec[32];

	(void)state;
	ua.code = "3-2-1201";
	req.body_case = DESKD__REQUEST__BODY_UNIT_ADD;
	req.unit_add = &ua;
	h_expect_free(admin, &req, ST(OK));
	pa.unit = "3-2-1201";
	pa.name = "赵六";
	pa.phone = "13800000000";
	pa.id_number = "110101199001011234";
	req.body_case = DESKD__REQUEST__BODY_PERSON_ADD;
	req.person_add = &pa;
	r = h_expect(clerk, &req, ST(OK));
	person = r->person->id;
	h_free(r);
	rv.id = person;
	rv.field = "phone";
	rv.reason = "业主报修需回电";
	req.body_case = DESKD__REQUEST__BODY_PERSON_REVEAL;
	req.person_reveal = &rv;
	h_expect_free(sup, &req, ST(OK));
	v.name = "王五";
	v.id_type = "身份证";
	v.id_number = "110101198001011234";
	v.unit = "3-2-1201";
	v.purpose = "探亲";
	v.consent = DESKD__CONSENT__CONSENT_PRESENT;
	v.phone = "13700000000";
	ra.kind = "visitor";
	ra.entry.data = buf;
	ra.entry.len = deskd__visitor__pack(&v, buf);
	req.body_case = DESKD__REQUEST__BODY_REGISTER_ADD;
	req.register_add = &ra;
	h_expect_free(clerk, &req, ST(OK));
	assert_int_not_equal(h_complaint(clerk, "3-2-1201", "噪音", NULL), 0);
	mine = repair("eng1");
	other = repair(NULL);		/* still at the desk */
	held = repair(NULL);
	last = h_complaint(clerk, "3-2-1201", "the end", NULL);
	snprintf(rec, sizeof(rec), "complaint:%llu", (unsigned long long)last);

	/* E6: the engineer watches neither the archive nor the registers,
	 * and of the orders only their own. */
	drain(we, rec, &s);
	assert_false(saw(&s, "person.", NULL));
	assert_false(saw(&s, "unit.", NULL));
	assert_false(saw(&s, "visitor.", NULL));
	snprintf(rec, sizeof(rec), "repair:%llu", (unsigned long long)mine);
	assert_true(saw(&s, "repair.dispatched", rec));
	snprintf(rec, sizeof(rec), "repair:%llu", (unsigned long long)other);
	assert_false(saw(&s, "repair.", rec));
	snprintf(rec, sizeof(rec), "repair:%llu", (unsigned long long)held);
	assert_false(saw(&s, "repair.", rec));
	/* Complaints they may read: the number in the log is masked. */
	assert_string_equal(s.complaint_phone, "138****0000");

	/* The clerk sees the archive but not who revealed what (the
	 * supervisor's audit); a mask is not masked again; a register's
	 * contact phone is masked in the log. */
	snprintf(rec, sizeof(rec), "complaint:%llu", (unsigned long long)last);
	drain(wc, rec, &s);
	assert_true(saw(&s, "person.added", NULL));
	assert_false(saw(&s, "person.revealed", NULL));
	assert_string_equal(s.person_phone, "138****0000");
	assert_string_equal(s.visitor_phone, "137****0000");
	snprintf(rec, sizeof(rec), "repair:%llu", (unsigned long long)other);
	assert_true(saw(&s, "repair.created", rec));
	snprintf(rec, sizeof(rec), "complaint:%llu", (unsigned long long)last);
	drain(ws, rec, &s);
	assert_true(saw(&s, "person.revealed", NULL));
	desk_close(we);
	desk_close(wc);
	desk_close(ws);
}

static void
test_engineer_reads_masked(void **state)
{
	Deskd__Complaint *c;
	uint64_t id;

	(void)state;
	id = h_complaint(clerk, "3-2-1201", "电梯异响", NULL);
	c = h_get(eng, id);
	assert_non_null(c);
	assert_string_equal(c->phone, "138****0000");
	deskd__complaint__free_unpacked(c, NULL);
	/* Issue 11 (E6): and so does the desk (test_numbers). */
	c = h_get(clerk, id);
	assert_string_equal(c->phone, "138****0000");
	deskd__complaint__free_unpacked(c, NULL);
}

static void
test_register_times(void **state)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__ParkingPermit p = DESKD__PARKING_PERMIT__INIT;
	Deskd__RegisterAdd ra = DESKD__REGISTER_ADD__INIT;
	uint8_t buf[256];
	char msg[256];

	(void)state;
	/* A time before the epoch would overflow the expiry notice. */
	p.plate = "粤B12345";
	p.unit = "3-2-1201";
	p.type = DESKD__PARKING_TYPE__PARKING_MONTHLY;
	p.holder = "赵六";
	p.valid_from_ms = INT64_MIN;
	p.valid_to_ms = INT64_MIN + 1;
	ra.kind = "parking";
	ra.entry.data = buf;
	ra.entry.len = deskd__parking_permit__pack(&p, buf);
	req.body_case = DESKD__REQUEST__BODY_REGISTER_ADD;
	req.register_add = &ra;
	assert_int_equal(h_call_status(clerk, &req, msg, sizeof(msg)),
	    ST(INVALID_ARGUMENT));
	assert_non_null(strstr(msg, "valid_from_ms: not a time"));
	assert_true(srv_alive(&srv));
}

static int
setup(void **state)
{
	(void)state;
	h_office_up(&srv, NULL, PW, &staff);
	admin = staff.admin;
	clerk = staff.clerk;
	sup = staff.sup;
	eng = staff.eng;
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
		cmocka_unit_test(test_streams),
		cmocka_unit_test(test_engineer_reads_masked),
		cmocka_unit_test(test_register_times),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
