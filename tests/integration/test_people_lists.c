/*
 * test_people_lists.c - issue 16: people have display names and lists
 * answer the question.  A user is added as wangfang called 王芳; every
 * role reads the directory (login, name, role, no password material); only
 * the admin names someone; a login in Chinese and a name with control
 * characters or too long are refused with what to do.  Complaint and work
 * order lists are narrowed by unit, category or kind, recorded days and
 * status, refuse bad filters, and page right: a page of 1 still reaches a
 * match behind many records that do not match.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "harness.h"

#define PW	"people-pass-123"
#define ST(x)	DESKD__STATUS__##x

static struct server_proc srv;
static struct h_staff staff;
static char today[16], tomorrow[16];

static Deskd__Status
add_user(const char *login, const char *name, char *msg, size_t len)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__UserAdd a = DESKD__USER_ADD__INIT;

	a.name = (char *)login;
	a.display_name = (char *)name;
	a.role = "clerk";
	a.password = PW;
	req.body_case = DESKD__REQUEST__BODY_USER_ADD;
	req.user_add = &a;
	return h_call_status(staff.admin, &req, msg, len);
}

/* The directory as d reads it (login set: naming that user first). */
static Deskd__Response *
directory(struct desk *d, const char *login, const char *name,
    Deskd__Status want)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__UserDirectory u = DESKD__USER_DIRECTORY__INIT;

	u.login = (char *)login;
	u.display_name = (char *)name;
	req.body_case = DESKD__REQUEST__BODY_USER_DIRECTORY;
	req.user_directory = &u;
	return h_expect(d, &req, want);
}

/* The name the directory gives login ("?" when it is not there). */
static const char *
name_in(const Deskd__Response *r, const char *login, const char **role)
{
	for (size_t i = 0; i < r->user_directory->n_users; i++) {
		const Deskd__DirectoryEntry *e = r->user_directory->users[i];

		if (strcmp(e->login, login) == 0) {
			if (role != NULL)
				*role = e->role;
			return e->display_name;
		}
	}
	return "?";
}

static void
test_display_names(void **state)
{
	struct desk *everyone[] = { staff.clerk, staff.sup, staff.dir,
	    staff.eng, staff.admin };
	char msg[256], long_name[240] = "", just_fits[200] = "";
	const char *role = NULL;
	Deskd__Response *r;

	(void)state;
	assert_int_equal(add_user("wangfang", "王芳", msg, sizeof(msg)),
	    ST(OK));
	/* Every role reads who is who; none sees password material. */
	for (size_t i = 0; i < sizeof(everyone) / sizeof(everyone[0]); i++) {
		r = directory(everyone[i], "", "", ST(OK));
		assert_string_equal(name_in(r, "wangfang", &role), "王芳");
		assert_string_equal(role, "clerk");
		assert_string_equal(name_in(r, "clerk1", NULL), "");
		h_free(r);
	}
	/* A login in Chinese: refused, saying where the name goes. */
	assert_int_equal(add_user("王芳", "", msg, sizeof(msg)),
	    ST(INVALID_ARGUMENT));
	assert_non_null(strstr(msg, "latin"));
	assert_non_null(strstr(msg, "display_name"));
	/* 32 characters fit, 33 do not; no tabs or line breaks. */
	for (int i = 0; i < 32; i++)
		strcat(just_fits, "芳");
	snprintf(long_name, sizeof(long_name), "%s芳", just_fits);
	assert_int_equal(add_user("li1", long_name, msg, sizeof(msg)),
	    ST(INVALID_ARGUMENT));
	assert_non_null(strstr(msg, "32 characters"));
	assert_int_equal(add_user("li2", "李\t娜", msg, sizeof(msg)),
	    ST(INVALID_ARGUMENT));
	assert_non_null(strstr(msg, "control"));
	assert_int_equal(add_user("li3", just_fits, msg, sizeof(msg)),
	    ST(OK));
	/* Only the admin names someone; a clerk's try changes nothing. */
	h_free(directory(staff.clerk, "wangfang", "王小芳",
	    ST(PERMISSION_DENIED)));
	h_free(directory(staff.sup, "wangfang", "王小芳",
	    ST(PERMISSION_DENIED)));
	h_free(directory(staff.admin, "wangfang", "李\n芳",
	    ST(INVALID_ARGUMENT)));
	h_free(directory(staff.admin, "nobody", "某人", ST(NOT_FOUND)));
	r = directory(staff.admin, "wangfang", "王小芳", ST(OK));
	assert_string_equal(name_in(r, "wangfang", NULL), "王小芳");
	h_free(r);
	r = directory(staff.clerk, "", "", ST(OK));
	assert_string_equal(name_in(r, "wangfang", NULL), "王小芳");
	h_free(r);
	/* Stored: still so after a restart. */
	h_staff_down(&staff);
	srv_stop(&srv);
	srv_start(&srv);
	staff.admin = h_login(&srv, ADMIN_USER, ADMIN_PASS);
	staff.clerk = h_login(&srv, "clerk1", PW);
	staff.sup = h_login(&srv, "sup1", PW);
	staff.dir = h_login(&srv, "dir1", PW);
	staff.eng = h_login(&srv, "eng1", PW);
	r = directory(staff.eng, "", "", ST(OK));
	assert_string_equal(name_in(r, "wangfang", NULL), "王小芳");
	assert_string_equal(name_in(r, "li3", NULL), just_fits);
	h_free(r);
}

/* ---------- lists ---------- */

static uint64_t
complaint(const char *unit, const char *category)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__ComplaintNew n = DESKD__COMPLAINT_NEW__INIT;
	Deskd__Response *r;
	uint64_t id;

	n.unit = (char *)unit;
	n.complainant = "王女士";
	n.phone = "13800000000";
	n.category = (char *)category;
	n.text = "楼上装修噪音";
	n.demand = "停止施工";
	n.source = "customer";
	n.channel = "phone";
	req.body_case = DESKD__REQUEST__BODY_COMPLAINT_NEW;
	req.complaint_new = &n;
	r = h_expect(staff.clerk, &req, ST(OK));
	id = r->complaint->id;
	h_free(r);
	return id;
}

/* Every complaint id the filter lists, paging `limit` at a time, into
 * ids; how many. */
static size_t
complaints_as(struct desk *d, Deskd__ComplaintList *l, uint32_t limit,
    uint64_t *ids, size_t max)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	size_t n = 0;
	bool more = true;

	l->limit = limit;
	l->after_id = 0;
	req.body_case = DESKD__REQUEST__BODY_COMPLAINT_LIST;
	req.complaint_list = l;
	while (more) {
		Deskd__Response *r = h_expect(d, &req, ST(OK));
		Deskd__ComplaintListReply *p = r->complaint_list;

		assert_true(p->n_complaints <= limit);
		for (size_t i = 0; i < p->n_complaints && n < max; i++)
			ids[n++] = l->after_id = p->complaints[i]->id;
		/* A page that says there is more is never empty. */
		more = p->more;
		if (more)
			assert_true(p->n_complaints > 0);
		h_free(r);
	}
	return n;
}

static size_t
complaints(Deskd__ComplaintList *l, uint32_t limit, uint64_t *ids,
    size_t max)
{
	return complaints_as(staff.clerk, l, limit, ids, max);
}

static Deskd__Status
complaints_refused(Deskd__ComplaintList *l, char *msg, size_t len)
{
	Deskd__Request req = DESKD__REQUEST__INIT;

	req.body_case = DESKD__REQUEST__BODY_COMPLAINT_LIST;
	req.complaint_list = l;
	return h_call_status(staff.clerk, &req, msg, len);
}

static void
test_complaint_filters(void **state)
{
	Deskd__ComplaintList l = DESKD__COMPLAINT_LIST__INIT;
	uint64_t a, b, c, far, ids[64];
	char msg[256];

	(void)state;
	a = complaint("3-2-1201", "noise");
	b = complaint("3-2-1202", "other");
	c = complaint("3-21-0101", "noise");
	/* Many that do not match, then one that does: a page of 1 must
	 * still reach it. */
	for (int i = 0; i < 12; i++)
		complaint("5-1-0101", "other");
	far = complaint("3-2-0303", "noise");

	l.unit = "3-2";
	assert_int_equal(complaints(&l, 1, ids, 64), 3);
	assert_int_equal(ids[0], a);
	assert_int_equal(ids[1], b);
	assert_int_equal(ids[2], far);
	/* A category by its name (C8) as by its code. */
	l.category = "噪音";
	assert_int_equal(complaints(&l, 1, ids, 64), 2);
	assert_int_equal(ids[1], far);
	l.unit = "";
	l.category = "noise";
	assert_int_equal(complaints(&l, 2, ids, 64), 3);
	assert_int_equal(ids[1], c);
	/* By status. */
	assert_int_equal(h_step(staff.clerk, c,
	    DESKD__COMPLAINT_ACTION__ACTION_VALID, "", 0, 0), ST(OK));
	assert_int_equal(h_step(staff.clerk, c,
	    DESKD__COMPLAINT_ACTION__ACTION_RESOLVE, "已协调", 0, 0), ST(OK));
	l.status = "resolved";
	assert_int_equal(complaints(&l, 5, ids, 64), 1);
	assert_int_equal(ids[0], c);
	l.status = "OPEN";
	assert_int_equal(complaints(&l, 5, ids, 64), 2);
	/* By the day recorded, both ends included. */
	l.status = "";
	l.from_day = today;
	l.to_day = today;
	assert_int_equal(complaints(&l, 5, ids, 64), 3);
	l.from_day = tomorrow;
	l.to_day = "";
	assert_int_equal(complaints(&l, 5, ids, 64), 0);

	/* Bad filters are refused, saying what is wrong. */
	l.from_day = "2026-13-01";
	assert_int_equal(complaints_refused(&l, msg, sizeof(msg)),
	    ST(INVALID_ARGUMENT));
	assert_non_null(strstr(msg, "from_day"));
	l.from_day = tomorrow;
	l.to_day = today;
	assert_int_equal(complaints_refused(&l, msg, sizeof(msg)),
	    ST(INVALID_ARGUMENT));
	assert_non_null(strstr(msg, "after"));
	l.from_day = l.to_day = "";
	l.status = "pending";
	assert_int_equal(complaints_refused(&l, msg, sizeof(msg)),
	    ST(INVALID_ARGUMENT));
	assert_non_null(strstr(msg, "open|resolved|closed"));
	l.status = "";
	l.category = "parking-lot-fight";
	assert_int_equal(complaints_refused(&l, msg, sizeof(msg)),
	    ST(INVALID_ARGUMENT));
}

/*
 * An engineer does not see employees' complaints (E6): a page of them
 * used to come back empty with `more` set, and a desk paging by the last
 * id it was shown stopped there, before the customer's complaint behind.
 */
static void
test_hidden_records_fill_the_page(void **state)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__ComplaintNew n = DESKD__COMPLAINT_NEW__INIT;
	Deskd__ComplaintList l = DESKD__COMPLAINT_LIST__INIT;
	uint64_t customer, ids[64];
	size_t got;

	(void)state;
	n.complainant = "刘师傅";
	n.phone = "13800000009";
	n.category = "other";
	n.text = "同事值班时擅离岗位";
	n.demand = "批评教育";
	n.source = "employee";
	n.channel = "visit";
	req.body_case = DESKD__REQUEST__BODY_COMPLAINT_NEW;
	req.complaint_new = &n;
	for (int i = 0; i < 3; i++)
		h_expect_free(staff.clerk, &req, ST(OK));
	customer = complaint("9-9-0909", "noise");
	/* No filter: only the visible rule thins the pages. */
	got = complaints_as(staff.eng, &l, 1, ids, 64);
	assert_true(got > 0);
	assert_int_equal(ids[got - 1], customer);
	l.unit = "9-9";
	assert_int_equal(complaints_as(staff.eng, &l, 1, ids, 64), 1);
	assert_int_equal(ids[0], customer);
}

static uint64_t
order(const char *unit, Deskd__WorkKind kind)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__RepairNew n = DESKD__REPAIR_NEW__INIT;
	Deskd__Response *r;
	uint64_t id;

	n.kind = kind;
	n.unit = (char *)unit;
	n.name = "李先生";
	n.phone = "13900000000";
	n.text = "厨房水龙头漏水";
	req.body_case = DESKD__REQUEST__BODY_REPAIR_NEW;
	req.repair_new = &n;
	r = h_expect(staff.clerk, &req, ST(OK));
	id = r->work_order->id;
	h_free(r);
	return id;
}

static size_t
orders(Deskd__RepairList *l, uint64_t *ids, size_t max, char *msg,
    size_t len, Deskd__Status *st)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__Response *r = NULL;
	size_t n = 0;

	l->after_id = 0;
	l->limit = 1;
	req.body_case = DESKD__REQUEST__BODY_REPAIR_LIST;
	req.repair_list = l;
	for (;;) {
		desk_call(staff.clerk, &req, &r);
		assert_non_null(r);
		*st = r->status;
		snprintf(msg, len, "%s", r->message);
		if (r->status != ST(OK))
			break;
		for (size_t i = 0; i < r->repair_list->n_orders && n < max; i++)
			ids[n++] = l->after_id = r->repair_list->orders[i]->id;
		if (!r->repair_list->more)
			break;
		h_free(r);
	}
	h_free(r);
	return n;
}

static void
test_repair_filters(void **state)
{
	Deskd__RepairList l = DESKD__REPAIR_LIST__INIT;
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__RepairStep s = DESKD__REPAIR_STEP__INIT;
	Deskd__Status st;
	uint64_t a, b, ids[32];
	char msg[256];

	(void)state;
	a = order("7-1-0101", DESKD__WORK_KIND__KIND_REPAIR);
	for (int i = 0; i < 6; i++)
		order("8-1-0101", DESKD__WORK_KIND__KIND_SERVICE);
	b = order("7-1-0202", DESKD__WORK_KIND__KIND_SERVICE);
	s.id = b;
	s.action = DESKD__REPAIR_ACTION__REPAIR_DISPATCH;
	req.body_case = DESKD__REQUEST__BODY_REPAIR_STEP;
	req.repair_step = &s;
	h_expect_free(staff.clerk, &req, ST(OK));

	l.unit = "7-1";
	assert_int_equal(orders(&l, ids, 32, msg, sizeof(msg), &st), 2);
	assert_int_equal(st, ST(OK));
	assert_int_equal(ids[0], a);
	assert_int_equal(ids[1], b);
	l.status = "dispatched";
	assert_int_equal(orders(&l, ids, 32, msg, sizeof(msg), &st), 1);
	assert_int_equal(ids[0], b);
	l.status = "";
	l.kind = "repair";
	assert_int_equal(orders(&l, ids, 32, msg, sizeof(msg), &st), 1);
	assert_int_equal(ids[0], a);
	l.unit = "";
	l.kind = "service";
	l.from_day = today;
	l.to_day = today;
	assert_int_equal(orders(&l, ids, 32, msg, sizeof(msg), &st), 7);
	assert_int_equal(st, ST(OK));
	l.to_day = "tomorrow";
	orders(&l, ids, 32, msg, sizeof(msg), &st);
	assert_int_equal(st, ST(INVALID_ARGUMENT));
	assert_non_null(strstr(msg, "to_day"));
	l.to_day = "";
	l.kind = "plumbing";
	orders(&l, ids, 32, msg, sizeof(msg), &st);
	assert_int_equal(st, ST(INVALID_ARGUMENT));
	assert_non_null(strstr(msg, "repair|service|special"));
}

static int
setup(void **state)
{
	time_t now = time(NULL), next = now + 86400;
	struct tm tm;

	(void)state;
	/* The office's days: deskd's zone by default. */
	setenv("TZ", "Asia/Shanghai", 1);
	tzset();
	strftime(today, sizeof(today), "%Y-%m-%d", localtime_r(&now, &tm));
	strftime(tomorrow, sizeof(tomorrow), "%Y-%m-%d",
	    localtime_r(&next, &tm));
	h_office_up(&srv, NULL, PW, &staff);
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
		cmocka_unit_test(test_display_names),
		cmocka_unit_test(test_complaint_filters),
		cmocka_unit_test(test_repair_filters),
		cmocka_unit_test(test_hidden_records_fill_the_page),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
