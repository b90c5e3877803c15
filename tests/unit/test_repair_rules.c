/*
 * test_repair_rules.c - the work-order state machine (D1-D5): every action
 * in every status, with which status it is refused, what an allowed step
 * changes, who of the engineers may act, and money in integer cents.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "deskd.pb-c.h"
#include "repair_rules.h"

#define A(x)	DESKD__REPAIR_ACTION__REPAIR_##x
#define W(x)	DESKD__WORK_STATUS__WORK_##x
#define K(x)	DESKD__WORK_KIND__KIND_##x

/* Statuses by their wire names (PERMISSION_DENIED, ...). */
#define OK		DESKD__STATUS__OK
#define INVALID		DESKD__STATUS__INVALID_ARGUMENT
#define CONFLICT	DESKD__STATUS__CONFLICT
#define DENIED		DESKD__STATUS__PERMISSION_DENIED

static const int64_t minute = 60 * 1000;
static const int64_t now = 28333333 * minute;	/* 2023-11-14 */

static Deskd__WorkOrder
order(Deskd__WorkKind kind, Deskd__WorkStatus st)
{
	Deskd__WorkOrder w = DESKD__WORK_ORDER__INIT;

	w.id = 7;
	w.kind = kind;
	w.status = st;
	w.fee_item = "换灯泡";
	w.fee_price_cents = 3550;
	w.fee_unit = "个";
	w.fee_qty = 3;
	w.revision = 1;
	return w;
}

/* A step with the arguments its action needs, so that only the status
 * decides. */
static Deskd__RepairStep
step(Deskd__RepairAction a)
{
	Deskd__RepairStep s = DESKD__REPAIR_STEP__INIT;

	s.id = 7;
	s.action = a;
	if (a == A(CALL) || a == A(REVISIT) || a == A(NOTE) ||
	    a == A(FEEDBACK))
		s.text = "已与业主沟通";
	if (a == A(FEEDBACK))
		s.rating = 4;
	return s;
}

/*
 * Check a step and, when it is allowed, apply it: the revision goes up by
 * one and updated_ms is now.  A refusal says why and changes nothing.
 */
static Deskd__Status
run(Deskd__WorkOrder *w, const Deskd__RepairStep *s)
{
	Deskd__WorkOrder before = *w;
	char msg[256] = "";
	Deskd__Status st = repair_check_step(w, s, now, msg, sizeof(msg));

	if (st != OK) {
		assert_true(strlen(msg) > 0);
		assert_int_equal(w->revision, before.revision);
		assert_int_equal(w->status, before.status);
		assert_int_equal(w->updated_ms, before.updated_ms);
		return st;
	}
	repair_apply_step(w, s, now);
	assert_int_equal(w->revision, before.revision + 1);
	assert_int_equal(w->updated_ms, now);
	return st;
}

/* Only the check: the step is not applied. */
static Deskd__Status
check(const Deskd__WorkOrder *w, const Deskd__RepairStep *s)
{
	Deskd__WorkOrder copy = *w;

	return run(&copy, s);
}

#define apply(w, s)	assert_int_equal(run((w), (s)), OK)

#define NSTATUS	5
static const Deskd__WorkStatus statuses[NSTATUS] = { W(OPEN), W(DISPATCHED),
	W(ON_SITE), W(DONE), W(CLOSED) };

/* Every action in every status of a repair: the status of the check, and
 * the status an allowed step leaves (-1: unchanged). */
static const struct {
	Deskd__RepairAction	a;
	Deskd__Status		want[NSTATUS];
	int			after;
} matrix[] = {
	{ A(DISPATCH), { OK, CONFLICT, CONFLICT, CONFLICT, CONFLICT },
	    W(DISPATCHED) },
	{ A(ARRIVE), { CONFLICT, OK, CONFLICT, CONFLICT, CONFLICT },
	    W(ON_SITE) },
	{ A(CALL), { CONFLICT, OK, OK, CONFLICT, CONFLICT }, -1 },
	{ A(DONE), { CONFLICT, CONFLICT, OK, CONFLICT, CONFLICT }, W(DONE) },
	{ A(FEEDBACK), { CONFLICT, CONFLICT, CONFLICT, OK, OK }, -1 },
	{ A(REVISIT), { CONFLICT, CONFLICT, CONFLICT, OK, CONFLICT },
	    W(CLOSED) },
	{ A(NOTE), { OK, OK, OK, OK, OK }, -1 },
};

static void
every_transition(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(matrix) / sizeof(matrix[0]); i++)
		for (int j = 0; j < NSTATUS; j++) {
			Deskd__WorkOrder w = order(K(REPAIR), statuses[j]);
			Deskd__RepairStep s = step(matrix[i].a);
			Deskd__Status got;

			/* D4: the revisit follows the owner's feedback
			 * (revisit_needs_feedback). */
			if (matrix[i].a == A(REVISIT))
				w.rating = 4;
			got = run(&w, &s);

			if (got != matrix[i].want[j])
				fail_msg("%s in %s: %d, wanted %d",
				    repair_event_type(matrix[i].a),
				    repair_status_name(statuses[j]), got,
				    matrix[i].want[j]);
			assert_int_equal(w.status, got != OK ||
			    matrix[i].after < 0 ? statuses[j] :
			    (Deskd__WorkStatus)matrix[i].after);
		}
}

static void
lifecycle_repair(void **state)
{
	Deskd__WorkOrder w = order(K(REPAIR), W(OPEN));
	Deskd__RepairStep s = step(A(DISPATCH));

	(void)state;
	s.engineer = "eng1";
	apply(&w, &s);
	assert_int_equal(w.dispatched_ms, now);
	assert_string_equal(w.engineer, "eng1");
	s = step(A(CALL));
	s.eta_ms = now + 30 * minute;
	apply(&w, &s);
	assert_int_equal(w.called_ms, now);
	assert_int_equal(w.eta_ms, now + 30 * minute);
	assert_string_equal(w.call_note, "已与业主沟通");
	s = step(A(ARRIVE));
	apply(&w, &s);
	assert_int_equal(w.arrived_ms, now);
	assert_string_equal(w.engineer, "eng1");	/* unchanged: none named */
	s = step(A(DONE));
	apply(&w, &s);
	/* D2: the frozen price x quantity, in cents. */
	assert_int_equal(w.charge_cents, 3 * 3550);
	assert_int_equal(w.done_ms, now);
	s = step(A(FEEDBACK));
	apply(&w, &s);
	assert_int_equal(w.rating, 4);
	s = step(A(REVISIT));
	apply(&w, &s);
	assert_int_equal(w.status, W(CLOSED));
	assert_int_equal(w.revisited_ms, now);
	assert_int_equal(w.revision, 7);
}

static void
services_need_no_dispatch(void **state)
{
	Deskd__WorkOrder w = order(K(SERVICE), W(OPEN));
	Deskd__WorkOrder sp = order(K(SPECIAL), W(OPEN));
	Deskd__RepairStep s = step(A(DONE));

	(void)state;
	/* D3 is about repairs: a service the desk did itself is just done. */
	apply(&w, &s);
	assert_int_equal(w.status, W(DONE));
	apply(&sp, &s);
	/* ... but once dispatched, the engineer must be on site first. */
	w = order(K(SERVICE), W(DISPATCHED));
	assert_int_equal(check(&w, &s), CONFLICT);
}

static void
reassign(void **state)
{
	Deskd__WorkOrder w = order(K(REPAIR), W(DISPATCHED));
	Deskd__RepairStep s = step(A(DISPATCH));

	(void)state;
	w.engineer = "eng1";
	w.dispatched_ms = now - 5 * minute;
	assert_int_equal(check(&w, &s), CONFLICT);	/* nobody new named */
	s.engineer = "eng1";
	assert_int_equal(check(&w, &s), CONFLICT);	/* the same one */
	s.engineer = "eng2";
	apply(&w, &s);
	assert_string_equal(w.engineer, "eng2");
	/* D3: the owner's 20 minutes count from the first dispatch. */
	assert_int_equal(w.dispatched_ms, now - 5 * minute);
	assert_int_equal(w.status, W(DISPATCHED));
}

static void
arguments(void **state)
{
	Deskd__WorkOrder w = order(K(REPAIR), W(DISPATCHED));
	Deskd__WorkOrder done = order(K(REPAIR), W(DONE));
	Deskd__WorkOrder site = order(K(REPAIR), W(ON_SITE));
	Deskd__RepairStep s;

	(void)state;
	s = step(A(CALL));
	s.text = "";
	assert_int_equal(check(&w, &s), INVALID);
	s = step(A(CALL));
	s.eta_ms = now;				/* not in the future */
	assert_int_equal(check(&w, &s), INVALID);
	s = step(A(NOTE));
	s.text = "";
	assert_int_equal(check(&w, &s), INVALID);
	s = step(A(REVISIT));
	s.text = "";
	assert_int_equal(check(&done, &s), INVALID);
	s = step(A(FEEDBACK));
	s.rating = 0;
	assert_int_equal(check(&done, &s), INVALID);
	s.rating = 6;
	assert_int_equal(check(&done, &s), INVALID);
	s = step(A(DONE));
	s.charge_set = true;
	s.charge = -1;
	assert_int_equal(check(&site, &s), INVALID);
	s.charge = CHARGE_MAX + 1;
	assert_int_equal(check(&site, &s), INVALID);
	s = step(A(NONE));
	assert_int_equal(check(&w, &s), INVALID);
	s.action = (Deskd__RepairAction)99;
	assert_int_equal(check(&w, &s), INVALID);
}

static void
charges(void **state)
{
	Deskd__WorkOrder w = order(K(REPAIR), W(ON_SITE));
	Deskd__WorkOrder free_ = order(K(REPAIR), W(ON_SITE));
	Deskd__RepairStep s = step(A(DONE));

	(void)state;
	/* Stated: even 0 (waived) is a charge, not "use the default". */
	s.charge_set = true;
	s.charge = 0;
	apply(&w, &s);
	assert_int_equal(w.charge_cents, 0);
	/* Unpaid work (no fee item): the default is nothing. */
	free_.fee_item = "";
	free_.fee_price_cents = 0;
	free_.fee_qty = 0;
	s = step(A(DONE));
	apply(&free_, &s);
	assert_int_equal(free_.charge_cents, 0);
	w = order(K(REPAIR), W(ON_SITE));
	w.fee_price_cents = FEE_PRICE_MAX;
	w.fee_qty = FEE_QTY_MAX;
	assert_int_equal(repair_default_charge(&w), CHARGE_MAX);
}

/* D4 (issue 11): no revisit closes an order without the owner's
 * feedback, unless the owner could not be reached, attempt by attempt. */
static void
revisit_needs_feedback(void **state)
{
	Deskd__WorkOrder w = order(K(REPAIR), W(DONE));
	Deskd__RepairStep s = step(A(REVISIT)), fb = step(A(FEEDBACK));

	(void)state;
	assert_int_equal(check(&w, &s), CONFLICT);
	s.unreachable = true;
	for (int i = 1; i < REPAIR_REVISIT_ATTEMPTS; i++) {
		apply(&w, &s);
		assert_int_equal(w.status, W(DONE));
		assert_int_equal(w.revisit_attempts, i);
	}
	/* Reached after all: the opinion, then the revisit closes it. */
	apply(&w, &fb);
	s.unreachable = false;
	apply(&w, &s);
	assert_int_equal(w.status, W(CLOSED));
	/* Never reached: the last attempt closes it without feedback. */
	w = order(K(REPAIR), W(DONE));
	s.unreachable = true;
	for (int i = 0; i < REPAIR_REVISIT_ATTEMPTS; i++)
		apply(&w, &s);
	assert_int_equal(w.status, W(CLOSED));
	assert_int_equal(w.rating, 0);
	assert_int_equal(w.revisit_attempts, REPAIR_REVISIT_ATTEMPTS);
}

/* D2 (issue 11): a charge off the schedule is an override, with a
 * reason, by a supervisor; the schedule's own charge needs neither. */
static void
charge_overrides(void **state)
{
	char msg[256];

	(void)state;
	assert_int_equal(charge_override_check("charge_reason", 4550, 4550,
	    "", false, msg, sizeof(msg)), DESKD__STATUS__OK);
	assert_int_equal(charge_override_check("charge_reason", 4550, 4550,
	    "why", false, msg, sizeof(msg)), INVALID);
	assert_int_equal(charge_override_check("charge_reason", 4550, 30000,
	    "", true, msg, sizeof(msg)), INVALID);
	assert_non_null(strstr(msg, "300.00 is not the fee schedule's 45.50"));
	assert_int_equal(charge_override_check("charge_reason", 4550, 30000,
	    "换了整套锁", false, msg, sizeof(msg)),
	    DESKD__STATUS__PERMISSION_DENIED);
	assert_int_equal(charge_override_check("charge_reason", 4550, 30000,
	    "换了整套锁", true, msg, sizeof(msg)), DESKD__STATUS__OK);
	/* Waived is an override too. */
	assert_int_equal(charge_override_check("fee_reason", 4550, 0, "",
	    true, msg, sizeof(msg)), INVALID);
}

static void
feedback_once(void **state)
{
	Deskd__WorkOrder w = order(K(REPAIR), W(DONE));
	Deskd__RepairStep s = step(A(FEEDBACK));

	(void)state;
	apply(&w, &s);
	/* C9-like: a second opinion is a note, not an overwrite. */
	assert_int_equal(check(&w, &s), CONFLICT);
	s = step(A(REVISIT));
	apply(&w, &s);
	s = step(A(REVISIT));
	assert_int_equal(check(&w, &s), CONFLICT);
}

static Deskd__Status
worker(const Deskd__WorkOrder *w, Deskd__RepairAction a, const char *named)
{
	Deskd__RepairStep s = step(a);
	char msg[256] = "";
	Deskd__Status st;

	s.engineer = (char *)named;
	st = repair_check_worker(w, &s, "eng1", msg, sizeof(msg));
	if (st != OK)
		assert_true(strlen(msg) > 0);
	return st;
}

static void
engineers(void **state)
{
	Deskd__WorkOrder w = order(K(REPAIR), W(DISPATCHED));

	(void)state;
	/* Sent to engineering at large: any engineer may take it. */
	assert_int_equal(worker(&w, A(ARRIVE), ""), OK);
	assert_int_equal(worker(&w, A(ARRIVE), "eng1"), OK);
	/* Only their own arrival. */
	assert_int_equal(worker(&w, A(ARRIVE), "eng2"), DENIED);
	w.engineer = "eng1";
	assert_int_equal(worker(&w, A(ARRIVE), ""), OK);
	assert_int_equal(worker(&w, A(DONE), ""), OK);
	assert_int_equal(worker(&w, A(NOTE), ""), OK);
	/* Someone else's order. */
	w.engineer = "eng2";
	assert_int_equal(worker(&w, A(ARRIVE), ""), DENIED);
	assert_int_equal(worker(&w, A(DONE), ""), DENIED);
	assert_int_equal(worker(&w, A(NOTE), ""), DENIED);
	/* The desk's steps, never an engineer's. */
	w.engineer = "eng1";
	assert_int_equal(worker(&w, A(DISPATCH), ""), DENIED);
	assert_int_equal(worker(&w, A(CALL), ""), DENIED);
	assert_int_equal(worker(&w, A(FEEDBACK), ""), DENIED);
	assert_int_equal(worker(&w, A(REVISIT), ""), DENIED);
}

static void
overdue(void **state)
{
	Deskd__WorkOrder w = order(K(REPAIR), W(DISPATCHED));
	int64_t deadline = now - 1;

	(void)state;
	w.dispatched_ms = now - 21 * minute;
	assert_true(repair_overdue(&w, deadline, now));
	assert_false(repair_overdue(&w, now, now));	/* at, not past */
	w.status = W(ON_SITE);
	w.arrived_ms = now - minute;
	assert_false(repair_overdue(&w, deadline, now));
	w = order(K(REPAIR), W(OPEN));
	assert_false(repair_overdue(&w, deadline, now));
	w.status = W(DONE);
	assert_false(repair_overdue(&w, deadline, now));
}

/* E6: an engineer sees the orders sent to them, or to engineering at
 * large once dispatched; every other role sees all. */
static void
visible(void **state)
{
	Deskd__WorkOrder w = order(K(REPAIR), W(OPEN));

	(void)state;
	assert_false(repair_visible(ROLE_ENGINEER, "eng1", &w));
	assert_true(repair_visible(ROLE_CLERK, "clerk1", &w));
	w.status = W(DISPATCHED);
	assert_true(repair_visible(ROLE_ENGINEER, "eng1", &w));
	w.engineer = "eng2";
	assert_false(repair_visible(ROLE_ENGINEER, "eng1", &w));
	assert_true(repair_visible(ROLE_ENGINEER, "eng2", &w));
	assert_true(repair_visible(ROLE_SUPERVISOR, "sup1", &w));
}

/* A check_fn on a request with this body; a refusal always says why. */
static Deskd__Status
new_check(Deskd__RepairNew *n)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	char msg[256] = "";
	Deskd__Status st;

	req.body_case = DESKD__REQUEST__BODY_REPAIR_NEW;
	req.repair_new = n;
	if ((st = repair_new_check(&req, msg, sizeof(msg))) != OK)
		assert_true(strlen(msg) > 0);
	return st;
}

static Deskd__Status
fee_check(Deskd__FeeSet *f)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	char msg[256] = "";

	req.body_case = DESKD__REQUEST__BODY_FEE_SET;
	req.fee_set = f;
	return fee_set_check(&req, msg, sizeof(msg));
}

static void
new_orders(void **state)
{
	Deskd__RepairNew n = DESKD__REPAIR_NEW__INIT, b;

	(void)state;
	n.kind = K(REPAIR);
	n.unit = "3-2-1201";
	n.name = "王女士";
	n.phone = "138 0000 0000";
	n.text = "卫生间漏水";
	assert_int_equal(new_check(&n), OK);
	b = n;
	b.kind = K(UNSET);
	assert_int_equal(new_check(&b), INVALID);
	b = n;
	b.unit = "";
	assert_int_equal(new_check(&b), INVALID);
	b = n;
	b.name = "";
	assert_int_equal(new_check(&b), INVALID);
	b = n;
	b.phone = "call me";
	assert_int_equal(new_check(&b), INVALID);
	b = n;
	b.text = "";
	assert_int_equal(new_check(&b), INVALID);
	b = n;
	b.visit_at_ms = -1;
	assert_int_equal(new_check(&b), INVALID);
	/* D2: a special service is paid, so it names a fee item. */
	b = n;
	b.kind = K(SPECIAL);
	assert_int_equal(new_check(&b), INVALID);
	b.fee_item = "疏通下水道";
	assert_int_equal(new_check(&b), OK);
	b.fee_qty = FEE_QTY_MAX + 1;
	assert_int_equal(new_check(&b), INVALID);
	b = n;
	b.fee_qty = 2;				/* a quantity of nothing */
	assert_int_equal(new_check(&b), INVALID);
}

static void
fees(void **state)
{
	Deskd__FeeSet f = DESKD__FEE_SET__INIT;

	(void)state;
	f.item = "换灯泡";
	f.unit = "个";
	f.price_cents = 3550;
	assert_int_equal(fee_check(&f), OK);
	f.price_cents = 0;			/* a free service is listed too */
	assert_int_equal(fee_check(&f), OK);
	f.price_cents = -1;
	assert_int_equal(fee_check(&f), INVALID);
	f.price_cents = FEE_PRICE_MAX + 1;
	assert_int_equal(fee_check(&f), INVALID);
	f.price_cents = 100;
	f.item = "";
	assert_int_equal(fee_check(&f), INVALID);
	f.item = "换灯泡";
	f.unit = "";
	assert_int_equal(fee_check(&f), INVALID);
}

static void
names(void **state)
{
	(void)state;
	assert_string_equal(repair_event_type(A(DISPATCH)), "repair.dispatched");
	assert_string_equal(repair_event_type(A(ARRIVE)), "repair.arrived");
	assert_string_equal(repair_event_type(A(CALL)), "repair.called");
	assert_string_equal(repair_event_type(A(DONE)), "repair.done");
	assert_string_equal(repair_event_type(A(FEEDBACK)), "repair.feedback");
	assert_string_equal(repair_event_type(A(REVISIT)), "repair.revisited");
	assert_string_equal(repair_event_type(A(NOTE)), "repair.noted");
	assert_string_equal(repair_kind_name(K(SERVICE)), "service");
	assert_string_equal(repair_status_name(W(ON_SITE)), "on site");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_transition),
		cmocka_unit_test(charge_overrides),
		cmocka_unit_test(revisit_needs_feedback),
		cmocka_unit_test(lifecycle_repair),
		cmocka_unit_test(services_need_no_dispatch),
		cmocka_unit_test(reassign),
		cmocka_unit_test(arguments),
		cmocka_unit_test(charges),
		cmocka_unit_test(feedback_once),
		cmocka_unit_test(engineers),
		cmocka_unit_test(overdue),
		cmocka_unit_test(visible),
		cmocka_unit_test(new_orders),
		cmocka_unit_test(fees),
		cmocka_unit_test(names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
