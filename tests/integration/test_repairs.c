/*
 * test_repairs.c - repairs and services end to end (D1-D5) over TLS: the fee
 * schedule and the price frozen into an order, every step, the steps that
 * must be refused without changing anything, who may do what, the open and
 * overdue lists, the D3 alert acknowledged by the call, history that keeps
 * every entry, and `deskd verify`.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "harness.h"

#define A(x)	DESKD__REPAIR_ACTION__REPAIR_##x
#define W(x)	DESKD__WORK_STATUS__WORK_##x
#define K(x)	DESKD__WORK_KIND__KIND_##x
#define ST(x)	DESKD__STATUS__##x

#define CLERK_PW	"clerk-pass-1"
#define SUP_PW		"super-pass-1"
#define ENG_PW		"engineer-pass-1"
/* D3's 20 minutes, shortened so that a test can wait them out. */
#define NO_ENGINEER_MS	2000

static struct server_proc srv;
static struct desk *clerk, *sup, *eng1, *eng2;

static int
setup(void **state)
{
	static const char *const extra[] = { "--clock",
	    "repair.no_engineer=2s", NULL };

	(void)state;
	srv_setup(&srv, extra);
	h_add_user(&srv, "clerk1", "clerk", CLERK_PW);
	h_add_user(&srv, "sup1", "supervisor", SUP_PW);
	h_add_user(&srv, "eng1", "engineer", ENG_PW);
	h_add_user(&srv, "eng2", "engineer", ENG_PW);
	clerk = h_login(&srv, "clerk1", CLERK_PW);
	sup = h_login(&srv, "sup1", SUP_PW);
	eng1 = h_login(&srv, "eng1", ENG_PW);
	eng2 = h_login(&srv, "eng2", ENG_PW);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	desk_close(clerk);
	desk_close(sup);
	desk_close(eng1);
	desk_close(eng2);
	srv_teardown(&srv);
	return 0;
}

static Deskd__Status
fee_set(struct desk *d, const char *item, int64_t cents, const char *unit)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__FeeSet f = DESKD__FEE_SET__INIT;

	f.item = (char *)item;
	f.price_cents = cents;
	f.unit = (char *)unit;
	req.body_case = DESKD__REQUEST__BODY_FEE_SET;
	req.fee_set = &f;
	return h_call(d, &req, NULL);
}

/* A new order; its id, or 0 with the refusal in *st. */
static uint64_t
order(struct desk *d, Deskd__WorkKind kind, const char *fee, uint32_t qty,
    Deskd__Status *st)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__RepairNew n = DESKD__REPAIR_NEW__INIT;
	Deskd__Response *resp;
	uint64_t id = 0;

	n.kind = kind;
	n.unit = "3-2-1201";
	n.name = "王女士";
	n.phone = "13800000000";
	n.text = "卫生间漏水，需上门查看";
	n.visit_at_ms = (int64_t)time(NULL) * 1000 + 3600 * 1000;
	n.fee_item = (char *)(fee ? fee : "");
	n.fee_qty = qty;
	req.body_case = DESKD__REQUEST__BODY_REPAIR_NEW;
	req.repair_new = &n;
	if ((*st = h_call(d, &req, &resp)) == ST(OK))
		id = resp->work_order->id;
	deskd__response__free_unpacked(resp, NULL);
	return id;
}

static Deskd__Status
send_step(struct desk *d, Deskd__RepairStep *s)
{
	Deskd__Request req = DESKD__REQUEST__INIT;

	req.body_case = DESKD__REQUEST__BODY_REPAIR_STEP;
	req.repair_step = s;
	return h_call(d, &req, NULL);
}

static Deskd__Status
step_full(struct desk *d, uint64_t id, Deskd__RepairAction a,
    const char *text, const char *engineer, int64_t charge, uint32_t rating)
{
	Deskd__RepairStep s = DESKD__REPAIR_STEP__INIT;

	s.id = id;
	s.action = a;
	s.text = (char *)(text ? text : "");
	s.engineer = (char *)(engineer ? engineer : "");
	s.charge_set = charge >= 0;
	s.charge = charge;
	s.rating = rating;
	return send_step(d, &s);
}

/* A step with what its action needs and no more. */
static Deskd__Status
step(struct desk *d, uint64_t id, Deskd__RepairAction a)
{
	return step_full(d, id, a, "已处理", NULL, -1, a == A(FEEDBACK) ? 4 : 0);
}

/* The order as stored now (free with deskd__work_order__free_unpacked). */
static Deskd__WorkOrder *
get(struct desk *d, uint64_t id)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__RepairGet g = DESKD__REPAIR_GET__INIT;
	Deskd__Response *resp;
	Deskd__WorkOrder *w;

	g.id = id;
	req.body_case = DESKD__REQUEST__BODY_REPAIR_GET;
	req.repair_get = &g;
	assert_int_equal(h_call(d, &req, &resp), ST(OK));
	w = resp->work_order;
	resp->work_order = NULL;
	deskd__response__free_unpacked(resp, NULL);
	return w;
}

/* Is id in the list (open_only / overdue_only)? */
static bool
listed(struct desk *d, bool open_only, bool overdue_only, uint64_t id)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__RepairList l = DESKD__REPAIR_LIST__INIT;
	Deskd__Response *resp;
	bool found = false;

	l.open_only = open_only;
	l.overdue_only = overdue_only;
	l.limit = 500;
	req.body_case = DESKD__REQUEST__BODY_REPAIR_LIST;
	req.repair_list = &l;
	assert_int_equal(h_call(d, &req, &resp), ST(OK));
	for (size_t i = 0; i < resp->repair_list->n_orders; i++) {
		Deskd__WorkOrder *w = resp->repair_list->orders[i];

		found |= w->id == id;
		if (open_only)
			assert_int_not_equal(w->status, W(CLOSED));
		if (overdue_only)
			assert_int_equal(w->status, W(DISPATCHED));
	}
	deskd__response__free_unpacked(resp, NULL);
	return found;
}

static void
test_fee_frozen_and_lifecycle(void **state)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__RepairHistory h = DESKD__REPAIR_HISTORY__INIT;
	Deskd__Response *resp;
	Deskd__WorkOrder *w;
	Deskd__Status st;
	uint64_t id, later;
	static const char *const types[] = { "repair.created",
	    "repair.dispatched", "repair.arrived", "repair.done",
	    "repair.feedback", "repair.revisited" };

	(void)state;
	assert_int_equal(fee_set(sup, "换水龙头", 3550, "个"), ST(OK));
	id = order(clerk, K(REPAIR), "换水龙头", 2, &st);
	assert_int_equal(st, ST(OK));
	/* D2: a new price applies to new orders only. */
	assert_int_equal(fee_set(sup, "换水龙头", 4000, "个"), ST(OK));
	later = order(clerk, K(REPAIR), "换水龙头", 0, &st);
	w = get(clerk, id);
	assert_string_equal(w->fee_item, "换水龙头");
	assert_int_equal(w->fee_price_cents, 3550);
	assert_int_equal(w->fee_qty, 2);
	assert_string_equal(w->fee_unit, "个");
	assert_string_equal(w->created_by, "clerk1");
	assert_int_equal(w->status, W(OPEN));
	deskd__work_order__free_unpacked(w, NULL);
	w = get(clerk, later);
	assert_int_equal(w->fee_price_cents, 4000);
	assert_int_equal(w->fee_qty, 1);
	deskd__work_order__free_unpacked(w, NULL);

	assert_int_equal(step_full(clerk, id, A(DISPATCH), NULL, "eng1", -1, 0),
	    ST(OK));
	assert_int_equal(step(eng1, id, A(ARRIVE)), ST(OK));
	assert_int_equal(step(eng1, id, A(DONE)), ST(OK));
	w = get(clerk, id);
	assert_int_equal(w->status, W(DONE));
	assert_int_equal(w->charge_cents, 2 * 3550);	/* price x qty */
	assert_true(w->arrived_ms >= w->dispatched_ms && w->dispatched_ms > 0);
	deskd__work_order__free_unpacked(w, NULL);
	assert_int_equal(step_full(clerk, id, A(FEEDBACK), "师傅很专业", NULL,
	    -1, 5), ST(OK));
	assert_int_equal(step_full(clerk, id, A(REVISIT), "已回访，无渗漏", NULL,
	    -1, 0), ST(OK));
	w = get(clerk, id);
	assert_int_equal(w->status, W(CLOSED));
	assert_int_equal(w->rating, 5);
	assert_string_equal(w->feedback, "师傅很专业");
	assert_string_equal(w->revisit_result, "已回访，无渗漏");
	assert_int_equal(w->revision, 6);
	deskd__work_order__free_unpacked(w, NULL);

	/* History: every entry, in order, each with the order after it. */
	h.id = id;
	req.body_case = DESKD__REQUEST__BODY_REPAIR_HISTORY;
	req.repair_history = &h;
	assert_int_equal(h_call(clerk, &req, &resp), ST(OK));
	assert_int_equal(resp->history->n_events, 6);
	for (size_t i = 0; i < 6; i++) {
		Deskd__Event *e = resp->history->events[i];

		assert_string_equal(e->type, types[i]);
		assert_non_null(e->work_order);
		assert_int_equal(e->work_order->revision, i + 1);
	}
	assert_string_equal(resp->history->events[2]->actor, "eng1");
	assert_string_equal(resp->history->events[4]->text, "师傅很专业");
	deskd__response__free_unpacked(resp, NULL);
}

/* A refused step leaves the order exactly as it was. */
static void
refused(struct desk *d, uint64_t id, Deskd__RepairAction a, Deskd__Status want)
{
	Deskd__WorkOrder *before = get(clerk, id), *after;

	assert_int_equal(step(d, id, a), want);
	after = get(clerk, id);
	assert_int_equal(after->revision, before->revision);
	assert_int_equal(after->status, before->status);
	assert_int_equal(after->updated_ms, before->updated_ms);
	deskd__work_order__free_unpacked(before, NULL);
	deskd__work_order__free_unpacked(after, NULL);
}

static void
test_impossible_steps(void **state)
{
	static const Deskd__RepairAction early[] = { A(ARRIVE), A(DONE),
	    A(REVISIT), A(FEEDBACK), A(CALL) };
	static const Deskd__RepairAction late[] = { A(DONE), A(ARRIVE),
	    A(DISPATCH), A(CALL) };
	Deskd__Status st;
	uint64_t id, next;

	(void)state;
	id = order(clerk, K(REPAIR), NULL, 0, &st);
	assert_int_equal(st, ST(OK));
	/* Arrive before dispatch, a repair done without engineering (D3),
	 * feedback and revisit before the work is done. */
	for (size_t i = 0; i < sizeof(early) / sizeof(early[0]); i++)
		refused(clerk, id, early[i], ST(CONFLICT));
	assert_int_equal(step(clerk, id, A(DISPATCH)), ST(OK));
	refused(clerk, id, A(DONE), ST(CONFLICT));	/* nobody on site */
	assert_int_equal(step(clerk, id, A(ARRIVE)), ST(OK));
	assert_int_equal(step(clerk, id, A(DONE)), ST(OK));
	/* Done twice, and nothing of the work once it is done. */
	for (size_t i = 0; i < sizeof(late) / sizeof(late[0]); i++)
		refused(clerk, id, late[i], ST(CONFLICT));
	assert_int_equal(step(clerk, id, A(FEEDBACK)), ST(OK));
	refused(clerk, id, A(FEEDBACK), ST(CONFLICT));	/* a note corrects */
	assert_int_equal(step(clerk, id, A(NOTE)), ST(OK));
	assert_int_equal(step(clerk, 999999, A(NOTE)), ST(NOT_FOUND));

	/* Bad engineers: nobody, a clerk; the order stays undispatched. */
	id = order(clerk, K(REPAIR), NULL, 0, &st);
	assert_int_equal(step_full(clerk, id, A(DISPATCH), NULL, "nobody", -1,
	    0), ST(INVALID_ARGUMENT));
	assert_int_equal(step_full(clerk, id, A(DISPATCH), NULL, "clerk1", -1,
	    0), ST(INVALID_ARGUMENT));
	refused(clerk, id, A(ARRIVE), ST(CONFLICT));

	/* An unknown fee item creates nothing: the next id is the next. */
	assert_int_equal(order(clerk, K(REPAIR), "没有这个项目", 1, &st), 0);
	assert_int_equal(st, ST(INVALID_ARGUMENT));
	/* D2: a special service is paid work. */
	assert_int_equal(order(clerk, K(SPECIAL), NULL, 0, &st), 0);
	assert_int_equal(st, ST(INVALID_ARGUMENT));
	next = order(clerk, K(REPAIR), NULL, 0, &st);
	assert_int_equal(next, id + 1);
}

static void
test_services_and_charges(void **state)
{
	Deskd__WorkOrder *w;
	Deskd__Status st;
	uint64_t id;

	(void)state;
	/* A convenience service the desk did itself: done without dispatch,
	 * unpaid, and revisited later (D5). */
	id = order(clerk, K(SERVICE), NULL, 0, &st);
	assert_int_equal(step(clerk, id, A(DONE)), ST(OK));
	w = get(clerk, id);
	assert_int_equal(w->charge_cents, 0);
	deskd__work_order__free_unpacked(w, NULL);
	assert_int_equal(step(clerk, id, A(FEEDBACK)), ST(OK));
	assert_int_equal(step(clerk, id, A(REVISIT)), ST(OK));

	/* A paid special service: the charge is price x qty, stated or
	 * not (another is a supervisor's override: test_charge_override). */
	assert_int_equal(fee_set(sup, "疏通下水道", 8000, "次"), ST(OK));
	for (int64_t stated = -1; stated <= 8000; stated += 8001) {
		id = order(clerk, K(SPECIAL), "疏通下水道", 1, &st);
		assert_int_equal(step(clerk, id, A(DISPATCH)), ST(OK));
		assert_int_equal(step(clerk, id, A(ARRIVE)), ST(OK));
		assert_int_equal(step_full(clerk, id, A(DONE), NULL, NULL,
		    stated, 0), ST(OK));
		w = get(clerk, id);
		assert_int_equal(w->charge_cents, 8000);
		assert_int_equal(w->fee_price_cents, 8000);
		deskd__work_order__free_unpacked(w, NULL);
	}
}

static Deskd__Status
done_charged(struct desk *d, uint64_t id, int64_t charge, const char *reason)
{
	Deskd__RepairStep s = DESKD__REPAIR_STEP__INIT;

	s.id = id;
	s.action = A(DONE);
	s.charge_set = true;
	s.charge = charge;
	s.charge_reason = (char *)reason;
	return send_step(d, &s);
}

static Deskd__Status
revisit_unreachable(struct desk *d, uint64_t id)
{
	Deskd__RepairStep s = DESKD__REPAIR_STEP__INIT;

	s.id = id;
	s.action = A(REVISIT);
	s.text = "电话无人接听";
	s.unreachable = true;
	return send_step(d, &s);
}

/*
 * Issue 11, D4: `repair revisit` closed an order with no owner feedback.
 * It needs the feedback, or the owner unreachable, each attempt counted
 * (the third closes it).
 */
static void
test_revisit_needs_feedback(void **state)
{
	Deskd__WorkOrder *w;
	Deskd__Status st;
	uint64_t id;

	(void)state;
	id = order(clerk, K(SERVICE), NULL, 0, &st);
	assert_int_equal(step(clerk, id, A(DONE)), ST(OK));
	assert_int_equal(step(clerk, id, A(REVISIT)), ST(CONFLICT));
	assert_int_equal(revisit_unreachable(clerk, id), ST(OK));
	assert_int_equal(revisit_unreachable(clerk, id), ST(OK));
	w = get(clerk, id);
	assert_int_equal(w->status, DESKD__WORK_STATUS__WORK_DONE);
	assert_int_equal(w->revisit_attempts, 2);
	deskd__work_order__free_unpacked(w, NULL);
	assert_int_equal(revisit_unreachable(clerk, id), ST(OK));
	w = get(clerk, id);
	assert_int_equal(w->status, DESKD__WORK_STATUS__WORK_CLOSED);
	assert_int_equal(w->revisit_attempts, 3);
	assert_int_equal(w->rating, 0);
	deskd__work_order__free_unpacked(w, NULL);
}

/*
 * Issue 11, D2: `repair done 4 --charge 300` on a 45.50 item was taken
 * from a clerk, and a register's fee ignored the schedule.  A charge
 * other than price x qty needs a reason and a supervisor, and shows as
 * an override.
 */
static void
test_charge_override(void **state)
{
	Deskd__WorkOrder *w;
	Deskd__Status st;
	uint64_t id;

	(void)state;
	assert_int_equal(fee_set(sup, "换门锁", 4550, "个"), ST(OK));
	id = order(clerk, K(SPECIAL), "换门锁", 1, &st);
	assert_int_equal(step(clerk, id, A(DISPATCH)), ST(OK));
	assert_int_equal(step(clerk, id, A(ARRIVE)), ST(OK));
	assert_int_equal(done_charged(clerk, id, 30000, ""),
	    ST(INVALID_ARGUMENT));
	assert_int_equal(done_charged(clerk, id, 30000, "换了整套锁"),
	    ST(PERMISSION_DENIED));
	assert_int_equal(done_charged(sup, id, 30000, ""),
	    ST(INVALID_ARGUMENT));
	assert_int_equal(done_charged(sup, id, 30000, "换了整套锁"), ST(OK));
	w = get(clerk, id);
	assert_int_equal(w->charge_cents, 30000);
	assert_string_equal(w->charge_override_by, "sup1");
	assert_string_equal(w->charge_reason, "换了整套锁");
	deskd__work_order__free_unpacked(w, NULL);
}

static void
test_roles(void **state)
{
	Deskd__WorkOrder *w;
	Deskd__Status st;
	uint64_t mine, open;

	(void)state;
	/* D2: the schedule is management's, not a desk's or an engineer's. */
	assert_int_equal(fee_set(clerk, "换灯泡", 100, "个"),
	    ST(PERMISSION_DENIED));
	assert_int_equal(fee_set(eng1, "换灯泡", 100, "个"),
	    ST(PERMISSION_DENIED));
	/* Engineers do not create, dispatch or call. */
	assert_int_equal(order(eng1, K(REPAIR), NULL, 0, &st), 0);
	assert_int_equal(st, ST(PERMISSION_DENIED));
	mine = order(clerk, K(REPAIR), NULL, 0, &st);
	refused(eng1, mine, A(DISPATCH), ST(PERMISSION_DENIED));
	assert_int_equal(step_full(clerk, mine, A(DISPATCH), NULL, "eng1", -1,
	    0), ST(OK));
	refused(eng1, mine, A(CALL), ST(PERMISSION_DENIED));
	/* Not someone else's order, nor someone else's arrival. */
	refused(eng2, mine, A(ARRIVE), ST(PERMISSION_DENIED));
	assert_int_equal(step_full(eng1, mine, A(ARRIVE), NULL, "eng2", -1, 0),
	    ST(PERMISSION_DENIED));
	assert_int_equal(step(eng1, mine, A(ARRIVE)), ST(OK));
	refused(eng2, mine, A(NOTE), ST(PERMISSION_DENIED));
	assert_int_equal(step(eng1, mine, A(NOTE)), ST(OK));
	assert_int_equal(step(eng1, mine, A(DONE)), ST(OK));
	refused(eng1, mine, A(REVISIT), ST(PERMISSION_DENIED));

	/* Sent to engineering at large: the engineer who arrives takes it. */
	open = order(clerk, K(REPAIR), NULL, 0, &st);
	assert_int_equal(step(clerk, open, A(DISPATCH)), ST(OK));
	assert_int_equal(step(eng2, open, A(ARRIVE)), ST(OK));
	w = get(eng2, open);
	assert_string_equal(w->engineer, "eng2");
	/* E6: an engineer sees the unit and a masked contact... */
	assert_string_equal(w->unit, "3-2-1201");
	assert_string_equal(w->phone, "138****0000");
	deskd__work_order__free_unpacked(w, NULL);
	refused(eng1, open, A(DONE), ST(PERMISSION_DENIED));
	/* ...of the orders sent to them only: not eng2's, not one still at
	 * the desk; a desk sees them all. */
	assert_true(listed(eng1, false, false, mine));
	assert_false(listed(eng1, false, false, open));
	assert_true(listed(eng2, false, false, open));
	{
		uint64_t held = order(clerk, K(REPAIR), NULL, 0, &st);
		Deskd__Request req = DESKD__REQUEST__INIT;
		Deskd__RepairGet g = DESKD__REPAIR_GET__INIT;
		Deskd__RepairHistory hi = DESKD__REPAIR_HISTORY__INIT;
		Deskd__Response *resp = NULL;

		assert_false(listed(eng1, false, false, held));
		assert_true(listed(clerk, false, false, held));
		g.id = open;
		req.body_case = DESKD__REQUEST__BODY_REPAIR_GET;
		req.repair_get = &g;
		assert_int_equal(h_call(eng1, &req, &resp),
		    ST(PERMISSION_DENIED));
		deskd__response__free_unpacked(resp, NULL);
		hi.id = held;
		req.body_case = DESKD__REQUEST__BODY_REPAIR_HISTORY;
		req.repair_history = &hi;
		assert_int_equal(h_call(eng1, &req, &resp),
		    ST(PERMISSION_DENIED));
		deskd__response__free_unpacked(resp, NULL);
		/* Issue 11 (E6): masked for the desk too. */
		w = get(clerk, held);
		assert_string_equal(w->phone, "138****0000");
		deskd__work_order__free_unpacked(w, NULL);
	}
	/* A desk records the arrival on an engineer's behalf. */
	open = order(clerk, K(REPAIR), NULL, 0, &st);
	assert_int_equal(step(clerk, open, A(DISPATCH)), ST(OK));
	assert_int_equal(step_full(clerk, open, A(ARRIVE), NULL, "eng1", -1,
	    0), ST(OK));
	w = get(clerk, open);
	assert_string_equal(w->engineer, "eng1");
	deskd__work_order__free_unpacked(w, NULL);
}

/* The latest D3 alert on an order: its state (-1: none yet), who took
 * it and to whom it is addressed (each NULL: not wanted). */
static int
latest_alert(uint64_t id, char *by, char *role, size_t len)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__AlertList l = DESKD__ALERT_LIST__INIT;
	Deskd__Response *resp;
	char record[32];
	uint64_t latest = 0;
	int state = -1;

	snprintf(record, sizeof(record), "repair:%llu", (unsigned long long)id);
	l.limit = 500;
	req.body_case = DESKD__REQUEST__BODY_ALERT_LIST;
	req.alert_list = &l;
	assert_int_equal(h_call(sup, &req, &resp), ST(OK));
	for (size_t i = 0; i < resp->alert_list->n_alerts; i++) {
		const Deskd__Alert *a = resp->alert_list->alerts[i];

		if (strcmp(a->record, record) == 0 && a->id > latest &&
		    strcmp(a->clock, "repair.no_engineer") == 0) {
			latest = a->id;
			state = (int)a->state;
			if (by != NULL)
				snprintf(by, len, "%s", a->acked_by);
			if (role != NULL)
				snprintf(role, len, "%s", a->role);
		}
	}
	deskd__response__free_unpacked(resp, NULL);
	return state;
}

static int
alert_state(uint64_t id, char *by, size_t len)
{
	return latest_alert(id, by, NULL, len);
}

static void
test_open_and_overdue(void **state)
{
	Deskd__Status st;
	uint64_t late, prompt, closed;
	char by[64];

	(void)state;
	late = order(clerk, K(REPAIR), NULL, 0, &st);
	prompt = order(clerk, K(REPAIR), NULL, 0, &st);
	closed = order(clerk, K(SERVICE), NULL, 0, &st);
	assert_int_equal(step(clerk, closed, A(DONE)), ST(OK));
	assert_int_equal(step(clerk, closed, A(FEEDBACK)), ST(OK));
	assert_int_equal(step(clerk, closed, A(REVISIT)), ST(OK));
	assert_true(listed(clerk, true, false, late));
	assert_false(listed(clerk, true, false, closed));
	assert_true(listed(clerk, false, false, closed));

	assert_int_equal(step(clerk, late, A(DISPATCH)), ST(OK));
	assert_int_equal(step(clerk, prompt, A(DISPATCH)), ST(OK));
	assert_int_equal(step(clerk, prompt, A(ARRIVE)), ST(OK));
	assert_false(listed(clerk, false, true, late));	/* not yet */
	h_sleep_ms(NO_ENGINEER_MS + 300);
	/* D3: no engineer on site past the limit. */
	assert_true(listed(eng1, false, true, late));
	assert_false(listed(clerk, false, true, prompt));
	/* The desk calls the owner: the alert is taken, the order stays
	 * overdue until someone is there. */
	for (int i = 0; i < 50 && alert_state(late, by, sizeof(by)) < 0; i++)
		h_sleep_ms(100);
	assert_int_equal(alert_state(late, by, sizeof(by)),
	    DESKD__ALERT_STATE__ALERT_OPEN);
	assert_int_equal(step_full(clerk, late, A(CALL), "工程师堵车，半小时到",
	    NULL, -1, 0), ST(OK));
	assert_int_equal(alert_state(late, by, sizeof(by)),
	    DESKD__ALERT_STATE__ALERT_ACKED);
	assert_string_equal(by, "clerk1");
	assert_true(listed(clerk, false, true, late));
	/* The arrival clears it. */
	assert_int_equal(step(clerk, late, A(ARRIVE)), ST(OK));
	assert_false(listed(clerk, false, true, late));
	assert_int_equal(alert_state(late, by, sizeof(by)),
	    DESKD__ALERT_STATE__ALERT_CLEARED);
}

/*
 * Issue 11, D3: the ETA agreed with `repair call --eta` is followed: no
 * engineer on site by then raises the alert again, to the supervisor.
 */
static void
test_eta_followed(void **state)
{
	Deskd__RepairStep s = DESKD__REPAIR_STEP__INIT;
	Deskd__Status st;
	char role[32];
	uint64_t id;

	(void)state;
	id = order(clerk, K(REPAIR), NULL, 0, &st);
	assert_int_equal(step(clerk, id, A(DISPATCH)), ST(OK));
	for (int i = 0; i < 60 &&
	    latest_alert(id, NULL, role, sizeof(role)) < 0; i++)
		h_sleep_ms(100);
	assert_int_equal(latest_alert(id, NULL, role, sizeof(role)),
	    DESKD__ALERT_STATE__ALERT_OPEN);
	/* The desk calls: the engineer will be there in a second. */
	s.id = id;
	s.action = A(CALL);
	s.text = "工程师堵车，一秒后到";
	s.eta_ms = h_wall_ms() + 1000;
	assert_int_equal(send_step(clerk, &s), ST(OK));
	assert_int_not_equal(latest_alert(id, NULL, role, sizeof(role)),
	    DESKD__ALERT_STATE__ALERT_OPEN);
	/* Nobody came: raised again, and to the supervisor. */
	for (int i = 0; i < 60 && latest_alert(id, NULL, role,
	    sizeof(role)) != DESKD__ALERT_STATE__ALERT_OPEN; i++)
		h_sleep_ms(100);
	assert_int_equal(latest_alert(id, NULL, role, sizeof(role)),
	    DESKD__ALERT_STATE__ALERT_OPEN);
	assert_string_equal(role, "supervisor");
	assert_int_equal(step(clerk, id, A(ARRIVE)), ST(OK));
	assert_int_equal(latest_alert(id, NULL, role, sizeof(role)),
	    DESKD__ALERT_STATE__ALERT_CLEARED);
}

static void
test_fee_list_and_verify(void **state)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__FeeList l = DESKD__FEE_LIST__INIT;
	Deskd__Response *resp;
	char out[512];
	bool found = false;

	(void)state;
	assert_int_equal(fee_set(sup, "", 100, "个"), ST(INVALID_ARGUMENT));
	assert_int_equal(fee_set(sup, "换锁芯", -1, "个"), ST(INVALID_ARGUMENT));
	assert_int_equal(fee_set(sup, "换锁芯", 12000, "个"), ST(OK));
	req.body_case = DESKD__REQUEST__BODY_FEE_LIST;
	req.fee_list = &l;
	assert_int_equal(h_call(eng1, &req, &resp), ST(OK));
	for (size_t i = 0; i < resp->fee_list->n_fees; i++)
		if (strcmp(resp->fee_list->fees[i]->item, "换锁芯") == 0) {
			found = true;
			assert_int_equal(resp->fee_list->fees[i]->price_cents,
			    12000);
			assert_string_equal(resp->fee_list->fees[i]->updated_by,
			    "sup1");
		}
	assert_true(found);
	deskd__response__free_unpacked(resp, NULL);
	/* Open index and revisions agree with the log (deskd verify). */
	assert_int_equal(srv_verify(&srv, out, sizeof(out)), 0);
	assert_non_null(strstr(out, "ok"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fee_frozen_and_lifecycle),
		cmocka_unit_test(test_impossible_steps),
		cmocka_unit_test(test_services_and_charges),
		cmocka_unit_test(test_charge_override),
		cmocka_unit_test(test_revisit_needs_feedback),
		cmocka_unit_test(test_roles),
		cmocka_unit_test(test_open_and_overdue),
		cmocka_unit_test(test_eta_followed),
		cmocka_unit_test(test_fee_list_and_verify),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
