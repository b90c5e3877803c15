/*
 * repair.c - work orders and the fee schedule through storage:
 * intake, every step with its clocks, the reads, and fees.  Rules live in
 * repair_rules.c.  Every handler checks everything before its first write.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "area.h"
#include "calendar.h"
#include "archive_rules.h"
#include "deadline.h"
#include "ctx.h"
#include "refuse.h"
#include "handover.h"
#include "list_rules.h"
#include "now.h"
#include "provenance.h"
#include "repair_rules.h"
#include "reply.h"
#include "vault.h"
#include "visible.h"

static const struct kind repair_kind;

#define W(x)	DESKD__WORK_STATUS__WORK_##x
#define A(x)	DESKD__REPAIR_ACTION__REPAIR_##x

/*
 * D1/D2 intake, shared by RepairNew and the bulk import (issue 6): the
 * checks, then the new order into *out, not yet stored (intake_store).
 * Refused: nothing written.
 */
static Deskd__Status
intake(struct apply_ctx *ctx, const Deskd__RepairNew *n,
    Deskd__WorkOrder **out)
{
	const char *post = handover_record_post(ctx, n->post);
	Deskd__WorkOrder *w;
	Deskd__Fee *fee = NULL;
	Deskd__Status st;

	if (post == NULL)
		return DESKD__STATUS__INVALID_ARGUMENT;
	/* E6: a unit of the archive (near matches otherwise). */
	if ((st = archive_unit_check(ctx, n->unit)) != DESKD__STATUS__OK)
		return st;
	/* D2: priced from the schedule as it stands now, and frozen. */
	if (*n->fee_item) {
		if ((fee = fee_get(ctx->txn, n->fee_item)) == NULL)
			return ctx_fail(ctx, DESKD__STATUS__INVALID_ARGUMENT,
			    "fee_item: '%s' is not in the fee schedule (see "
			    "desk fee list)", n->fee_item);
		ctx_own_msg(ctx, fee);
	}
	*out = w = ctx_new(ctx, &deskd__work_order__descriptor);
	w->kind = n->kind;
	w->post = (char *)post;
	w->unit = n->unit;
	w->name = n->name;
	/* The context's copy: the reply masks it in place. */
	w->phone = ctx_strdup(ctx, n->phone);
	w->text = n->text;
	w->visit_at_ms = n->visit_at_ms;
	if (fee != NULL) {
		w->fee_item = fee->item;
		w->fee_price_cents = fee->price_cents;
		w->fee_unit = fee->unit;
		w->fee_qty = n->fee_qty ? n->fee_qty : 1;
	}
	w->status = W(OPEN);
	/* C9: whoever records it, now -- an import too. */
	w->created_by = (char *)ctx->actor;
	w->created_ms = ctx->now_ms;
	w->updated_ms = ctx->now_ms;
	w->revision = 1;
	return DESKD__STATUS__OK;
}

/* An order from intake (and an import's steps) stored, with its clocks
 * and its event. */
static void
intake_store(struct apply_ctx *ctx, Deskd__WorkOrder *w)
{
	char summary[512], text[160], price[32];

	w->id = store_next_id(ctx->txn, RECORD_REPAIR);
	kind_add(ctx, &repair_kind, &w->base);
	/* D3: still waiting for its engineer (an import): timed from now;
	 * D5: a finished service is revisited. */
	if (w->status == W(DISPATCHED) && w->eta_ms != 0)
		clock_extend(ctx, CLOCK_REPAIR_NO_ENGINEER, RECORD_REPAIR,
		    w->id, w->eta_ms, 1);
	else if (w->status == W(DISPATCHED))
		clock_arm(ctx, CLOCK_REPAIR_NO_ENGINEER, RECORD_REPAIR, w->id,
		    clock_deadline(ctx, CLOCK_REPAIR_NO_ENGINEER,
		    ctx->now_ms));
	if (w->status == W(DONE) && w->kind == DESKD__WORK_KIND__KIND_SERVICE)
		clock_arm(ctx, CLOCK_SERVICE_REVISIT, RECORD_REPAIR, w->id,
		    clock_deadline(ctx, CLOCK_SERVICE_REVISIT, ctx->now_ms));
	text_excerpt(text, sizeof(text), w->text, 40);
	fmt_money(price, sizeof(price), w->fee_price_cents);
	/* The kind is a word of the desk's catalog, said in its language. */
	if (*w->fee_item)
		ctx_summary(ctx, summary, sizeof(summary),
		    "%s %s [%-s] %s (%s %s/%s x%u)", w->unit, w->name,
		    repair_kind_name(w->kind), text, w->fee_item, price,
		    w->fee_unit, w->fee_qty);
	else
		ctx_summary(ctx, summary, sizeof(summary), "%s %s [%-s] %s",
		    w->unit, w->name, repair_kind_name(w->kind), text);
	ctx_event_msg(ctx, ctx->import ? "repair.imported" : "repair.created",
	    RECORD_REPAIR, w->id, NULL, summary, NULL, &w->base);
}

static Deskd__Status
repair_new_apply(struct apply_ctx *ctx, const Deskd__Request *req)
{
	Deskd__WorkOrder *w = NULL;
	Deskd__Status st;

	if ((st = intake(ctx, req->repair_new, &w)) != DESKD__STATUS__OK)
		return st;
	intake_store(ctx, w);
	contacts_mask(&w->base);
	return reply_with(ctx, DESKD__RESPONSE__BODY_WORK_ORDER, w);
}

/* The engineer a step names must be one (D3: the order goes to
 * engineering), and able to log in. */
static Deskd__Status
check_engineer(struct apply_ctx *ctx, const char *name)
{
	Deskd__User *u;
	Deskd__Status st = DESKD__STATUS__OK;

	if ((u = user_get(ctx->txn, name)) == NULL)
		return ctx_fail(ctx, DESKD__STATUS__INVALID_ARGUMENT,
		    "engineer: no user '%s'", name);
	if (strcmp(u->role, "engineer") != 0)
		st = ctx_fail(ctx, DESKD__STATUS__INVALID_ARGUMENT,
		    "engineer: %s is a %s, not an engineer", name, u->role);
	else if (u->disabled)
		st = ctx_fail(ctx, DESKD__STATUS__INVALID_ARGUMENT,
		    "engineer: %s is disabled", name);
	deskd__user__free_unpacked(u, NULL);
	return st;
}

/* One template a step, so that a desk can say each in its language. */
static void
step_summary(struct apply_ctx *ctx, char *out, size_t len,
    const Deskd__WorkOrder *was, const Deskd__WorkOrder *w,
    const Deskd__RepairStep *s)
{
	char text[160], money[32], sched[32];
	bool first = was->status == W(OPEN);

	text_excerpt(text, sizeof(text), s->text, 40);
	switch (s->action) {
	case A(DISPATCH):
		if (*w->engineer && first)
			ctx_summary(ctx, out, len, "dispatched to %s",
			    w->engineer);
		else if (*w->engineer)
			ctx_summary(ctx, out, len, "reassigned to %s",
			    w->engineer);
		else
			ctx_summary(ctx, out, len, first ?
			    "dispatched to engineering" :
			    "reassigned to engineering");
		break;
	case A(ARRIVE):
		if (*w->engineer)
			ctx_summary(ctx, out, len, "%s on site", w->engineer);
		else
			ctx_summary(ctx, out, len, "engineer on site");
		break;
	case A(DONE):
		fmt_money(money, sizeof(money), w->charge_cents);
		if (*w->charge_override_by == '\0') {
			ctx_summary(ctx, out, len, "done, charge %s", money);
			break;
		}
		fmt_money(sched, sizeof(sched), repair_default_charge(w));
		text_excerpt(text, sizeof(text), w->charge_reason, 40);
		ctx_summary(ctx, out, len,
		    "done, charge %s: override of %s by %s (%s)", money, sched,
		    w->charge_override_by, text);
		break;
	case A(FEEDBACK):
		if (*text)
			ctx_summary(ctx, out, len, "feedback (%u/5): %s",
			    s->rating, text);
		else
			ctx_summary(ctx, out, len, "feedback (%u/5)",
			    s->rating);
		break;
	case A(REVISIT):
		if (!s->unreachable)
			ctx_summary(ctx, out, len, "revisited: %s", text);
		else if (w->status == W(CLOSED))
			ctx_summary(ctx, out, len, "revisit: owner unreachable "
			    "(attempt %u of %d, closed without feedback): %s",
			    w->revisit_attempts, REPAIR_REVISIT_ATTEMPTS, text);
		else
			ctx_summary(ctx, out, len, "revisit: owner unreachable "
			    "(attempt %u of %d): %s", w->revisit_attempts,
			    REPAIR_REVISIT_ATTEMPTS, text);
		break;
	case A(CALL):
		ctx_summary(ctx, out, len, "called: %s", text);
		break;
	case A(NOTE):
		ctx_summary(ctx, out, len, "noted: %s", text);
		break;
	default:
		ctx_summary(ctx, out, len, "changed: %s", text);
		break;
	}
}

/*
 * The clocks follow the step.  D3: dispatch starts the 20 minutes (a
 * reassignment does not restart them: the owner has been waiting since the
 * first dispatch), the call to the owner acknowledges the alert, and the
 * engineer's arrival ends it.  D5: a finished convenience service is
 * revisited within 2 working days.
 */
static void
step_clocks(struct apply_ctx *ctx, const Deskd__WorkOrder *was,
    const Deskd__WorkOrder *w, const Deskd__RepairStep *s)
{
	bool service = w->kind == DESKD__WORK_KIND__KIND_SERVICE;

	switch (s->action) {
	case A(DISPATCH):
		if (was->status == W(OPEN))
			clock_arm(ctx, CLOCK_REPAIR_NO_ENGINEER, RECORD_REPAIR,
			    w->id, clock_deadline(ctx,
			    CLOCK_REPAIR_NO_ENGINEER, ctx->now_ms));
		break;
	case A(ARRIVE):
		clock_stop(ctx, CLOCK_REPAIR_NO_ENGINEER, RECORD_REPAIR, w->id);
		break;
	case A(CALL):
		if (was->status != W(DISPATCHED))
			break;
		clock_ack(ctx, CLOCK_REPAIR_NO_ENGINEER, RECORD_REPAIR, w->id,
		    s->text);
		/* D3: the time agreed with the owner is followed: nobody on
		 * site by then raises the alert again, to the supervisor. */
		if (s->eta_ms != 0)
			clock_extend(ctx, CLOCK_REPAIR_NO_ENGINEER,
			    RECORD_REPAIR, w->id, s->eta_ms, 1);
		break;
	case A(DONE):
		if (service)
			clock_arm(ctx, CLOCK_SERVICE_REVISIT, RECORD_REPAIR,
			    w->id, clock_deadline(ctx, CLOCK_SERVICE_REVISIT,
			    ctx->now_ms));
		break;
	case A(REVISIT):
		if (service && w->status == W(CLOSED))
			clock_stop(ctx, CLOCK_SERVICE_REVISIT, RECORD_REPAIR,
			    w->id);
		break;
	default:
		break;
	}
}

/* A step's rules, with the engineer it names (D3). */
static Deskd__Status
step_check(struct apply_ctx *ctx, const Deskd__WorkOrder *w,
    const Deskd__RepairStep *s)
{
	Deskd__Status st;

	if ((st = repair_check_step(w, s, ctx->now_ms, ctx->msg,
	    sizeof(ctx->msg))) != DESKD__STATUS__OK)
		return st;
	if ((s->action == A(DISPATCH) || s->action == A(ARRIVE)) &&
	    *s->engineer)
		return check_engineer(ctx, s->engineer);
	/* D2: the duty officer's (supervisor or above) override only. */
	if (s->action == A(DONE))
		return charge_override_check("charge_reason",
		    repair_default_charge(w), s->charge_set ? s->charge :
		    repair_default_charge(w), s->charge_reason,
		    perm_allows(ctx->role, OP_REGISTER_APPROVE), ctx->msg,
		    sizeof(ctx->msg));
	return DESKD__STATUS__OK;
}

/* An allowed step applied; an overridden charge names who made it. */
static void
step_apply(struct apply_ctx *ctx, Deskd__WorkOrder *w,
    const Deskd__RepairStep *s)
{
	repair_apply_step(w, s, ctx->now_ms);
	if (s->action == A(DONE) && w->charge_cents != repair_default_charge(w))
		w->charge_override_by = (char *)ctx->actor;
}

#define IMPORT_STEPS_MAX	(5 + REPAIR_REVISIT_ATTEMPTS)

/*
 * The steps a desk (or the engineer) would have taken to bring an order
 * to the state an imported row says it is in (issue 11), each with the
 * row's field that asks for it.  How many steps.
 */
static size_t
import_steps(const Deskd__WorkOrder *in, Deskd__RepairStep *s,
    const char **field)
{
	/* D3: a repair goes through engineering; a service the desk did
	 * itself went straight to done. */
	bool engineering = in->kind == DESKD__WORK_KIND__KIND_REPAIR ||
	    *in->engineer || in->status == W(DISPATCHED) ||
	    in->status == W(ON_SITE);
	size_t n = 0;

	for (size_t i = 0; i < IMPORT_STEPS_MAX; i++)
		deskd__repair_step__init(&s[i]);
	if (in->status >= W(DISPATCHED) && engineering) {
		field[n] = "status";
		s[n].action = A(DISPATCH);
		s[n++].engineer = in->engineer;
	}
	if (*in->call_note) {
		field[n] = "call_note";
		s[n].action = A(CALL);
		s[n].text = in->call_note;
		s[n++].eta_ms = in->eta_ms;
	}
	if (in->status >= W(ON_SITE) && engineering) {
		field[n] = "status";
		s[n].action = A(ARRIVE);
		s[n++].engineer = in->engineer;
	}
	if (in->status >= W(DONE)) {
		field[n] = "charge_cents";
		s[n].action = A(DONE);
		s[n].charge = in->charge_cents;
		s[n].charge_reason = in->charge_reason;
		s[n++].charge_set = in->charge_cents != 0;
	}
	if (in->rating != 0 || *in->feedback) {
		field[n] = "rating";
		s[n].action = A(FEEDBACK);
		s[n].rating = in->rating;
		s[n++].text = in->feedback;
	}
	/* D4: a closed order without feedback was closed after its
	 * attempts to reach the owner, each one a revisit. */
	for (uint32_t i = 0; i < in->revisit_attempts &&
	    n < IMPORT_STEPS_MAX; i++) {
		field[n] = "revisit_attempts";
		s[n].action = A(REVISIT);
		s[n].unreachable = true;
		s[n++].text = in->revisit_result;
	}
	if (in->status == W(CLOSED) && in->revisit_attempts == 0) {
		field[n] = "revisit_result";
		s[n].action = A(REVISIT);
		s[n++].text = in->revisit_result;
	}
	return n;
}

/* D2: a row's price and unit, when given, are the schedule's. */
static Deskd__Status
import_priced(struct apply_ctx *ctx, const Deskd__WorkOrder *in,
    const Deskd__WorkOrder *w)
{
	char was[32], is[32];

	if (in->fee_price_cents != 0 &&
	    in->fee_price_cents != w->fee_price_cents) {
		fmt_money(was, sizeof(was), in->fee_price_cents);
		fmt_money(is, sizeof(is), w->fee_price_cents);
		return ctx_fail(ctx, DESKD__STATUS__INVALID_ARGUMENT,
		    "fee_price_cents: %s is not the fee schedule's price of "
		    "'%s' (%s); an order is priced by the schedule (D2)", was,
		    w->fee_item, *w->fee_item ? is : "no item");
	}
	if (*in->fee_unit && strcmp(in->fee_unit, w->fee_unit) != 0)
		return ctx_fail(ctx, DESKD__STATUS__INVALID_ARGUMENT,
		    "fee_unit: '%s' is not the fee schedule's unit of '%s' "
		    "('%s', D2)", in->fee_unit, w->fee_item, w->fee_unit);
	return DESKD__STATUS__OK;
}

/*
 * Bulk import: the row is taken as it would have been recorded by hand
 * (issue 11, D1-D5, C9): intake priced from today's schedule, then each
 * step its state implies, each allowed to the importer and checked by the
 * rules of RepairStep (step_check).  The file's author and date are kept
 * as reported.
 */
/* The times the replayed steps stamp, kept as the row gives them. */
static const char *const step_times[] = { "dispatched_ms", "arrived_ms",
    "called_ms", "done_ms", "revisited_ms", NULL };

static Deskd__Status
repair_import(struct apply_ctx *ctx, const struct kind *k, ProtobufCMessage *m,
    bool dry, uint64_t *id)
{
	(void)k;
	Deskd__WorkOrder *in = (Deskd__WorkOrder *)m, *w = NULL;
	Deskd__RepairNew n = DESKD__REPAIR_NEW__INIT;
	Deskd__RepairStep steps[IMPORT_STEPS_MAX];
	Deskd__Request req = DESKD__REQUEST__INIT;
	const char *field[IMPORT_STEPS_MAX];
	Deskd__Status st;
	size_t nsteps;

	/* The intake fields are checked as at the desk (D1, D2). */
	n.kind = in->kind;
	n.unit = in->unit;
	n.name = in->name;
	n.phone = in->phone;
	n.text = in->text;
	n.visit_at_ms = in->visit_at_ms;
	n.fee_item = in->fee_item;
	n.fee_qty = in->fee_qty;
	n.post = in->post;
	req.body_case = DESKD__REQUEST__BODY_REPAIR_NEW;
	req.repair_new = &n;
	if ((st = repair_new_check(&req, ctx->msg, sizeof(ctx->msg))) !=
	    DESKD__STATUS__OK ||
	    (st = intake(ctx, &n, &w)) != DESKD__STATUS__OK ||
	    (st = import_priced(ctx, in, w)) != DESKD__STATUS__OK)
		return st;
	if (*in->engineer && in->status < W(DISPATCHED))
		return ctx_fail(ctx, DESKD__STATUS__INVALID_ARGUMENT, "engineer: "
		    "only on an order dispatched to one");
	nsteps = import_steps(in, steps, field);
	req.body_case = DESKD__REQUEST__BODY_REPAIR_STEP;
	for (size_t i = 0; i < nsteps; i++) {
		req.repair_step = &steps[i];
		if ((st = ctx_allows(ctx, &req)) != DESKD__STATUS__OK ||
		    (st = step_check(ctx, w, &steps[i])) != DESKD__STATUS__OK)
			return import_step_refused(ctx, field[i], st);
		step_apply(ctx, w, &steps[i]);
	}
	if (w->status != in->status)
		return ctx_fail(ctx, DESKD__STATUS__INVALID_ARGUMENT, "status: "
		    "its steps leave the order %s, not %s",
		    repair_status_name(w->status),
		    repair_status_name(in->status));
	import_step_times(&w->base, &in->base, step_times);
	import_provenance(ctx, &w->base, &in->base);
	/* One event, repair.imported: revision counts the history. */
	w->revision = 1;
	if (!dry)
		intake_store(ctx, w);
	*id = dry ? 0 : w->id;
	return DESKD__STATUS__OK;
}

static Deskd__Status
repair_step_apply(struct apply_ctx *ctx, const Deskd__Request *req)
{
	Deskd__RepairStep s = *req->repair_step;
	Deskd__WorkOrder *stored, *next;
	char summary[512];
	Deskd__Status st;

	/* A step's own rule says who may take it (repair_check_worker below,
	 * PROTOCOL.md: "the order is assigned to E"), so the record is read
	 * as stored, not through the kind's rule for readers. */
	if ((stored = store_get_record(ctx->txn, repair_kind.db, s.id,
	    repair_kind.d)) == NULL)
		return ctx_fail(ctx, DESKD__STATUS__NOT_FOUND,
		    "no repair %" PRIu64, s.id);
	ctx_own_msg(ctx, stored);
	/* Whoever may not record orders is an engineer at work: only on
	 * their own orders, and arriving at one sent to engineering at
	 * large makes it theirs. */
	if (!perm_allows(ctx->role, OP_REPAIR_WRITE)) {
		if ((st = repair_check_worker(stored, &s, ctx->actor, ctx->msg,
		    sizeof(ctx->msg))) != DESKD__STATUS__OK)
			return st;
		if (s.action == A(ARRIVE))
			s.engineer = (char *)ctx->actor;
	}
	if ((st = step_check(ctx, stored, &s)) != DESKD__STATUS__OK)
		return st;
	/* A shallow copy: stored keeps its own strings for freeing, next may
	 * point at the request's. */
	next = ctx_new(ctx, &deskd__work_order__descriptor);
	*next = *stored;
	step_apply(ctx, next, &s);
	kind_put(ctx, &repair_kind, &next->base);
	step_summary(ctx, summary, sizeof(summary), stored, next, &s);
	ctx_event_msg(ctx, repair_event_type(s.action), RECORD_REPAIR, next->id,
	    NULL, summary, s.text, &next->base);
	step_clocks(ctx, stored, next, &s);
	contacts_mask(&next->base);
	return reply_with(ctx, DESKD__RESPONSE__BODY_WORK_ORDER, next);
}

/* D3: dispatched, nobody on site, and the clock's span has passed. */
static bool
overdue(struct apply_ctx *ctx, const Deskd__WorkOrder *w)
{
	return repair_overdue(w, clock_deadline(ctx, CLOCK_REPAIR_NO_ENGINEER,
	    w->dispatched_ms), ctx->now_ms);
}

/* What a list of orders is narrowed to (issue 16), and D3's overdue. */
struct repair_filter {
	struct list_filter	 f;
	bool			 overdue_only;
};

static bool
repair_kept(struct apply_ctx *ctx, const ProtobufCMessage *m,
    const void *arg)
{
	const Deskd__WorkOrder *w = (const Deskd__WorkOrder *)m;
	const struct repair_filter *rf = arg;

	return list_filter_matches(&rf->f, w->unit, list_record_day(
	    w->created_ms, w->reported_ms), (int)w->status, (int)w->kind) &&
	    (!rf->overdue_only || overdue(ctx, w));
}

/* A page of orders after l->after_id, the open ones with open_only or
 * overdue_only, full while there are more (kind_list_kept). */
static Deskd__Status
repair_list_apply(struct apply_ctx *ctx, const Deskd__Request *req)
{
	const Deskd__RepairList *l = req->repair_list;
	struct repair_filter rf = { .overdue_only = l->overdue_only };

	if (list_filter_read(&rf.f, l->unit, l->from_day, l->to_day,
	    &deskd__work_status__descriptor, l->status,
	    &deskd__work_kind__descriptor, l->kind, ctx->msg,
	    sizeof(ctx->msg)) != DESKD__STATUS__OK)
		return DESKD__STATUS__INVALID_ARGUMENT;
	return kind_list_kept(ctx, &repair_kind, l->open_only ||
	    l->overdue_only, l->after_id, l->limit, repair_kept, &rf);
}

/* ---------- the fee schedule (D2) ---------- */

/* D2: an item of the schedule set, with its event fee.set. */
static Deskd__Fee *
fee_store(struct apply_ctx *ctx, const Deskd__FeeSet *fs)
{
	Deskd__Fee *old, *f;
	char summary[256], record[96], was[32], now[32];

	/* Orders already made keep the price they were made with (D2). */
	if ((old = fee_get(ctx->txn, fs->item)) != NULL)
		ctx_own_msg(ctx, old);
	f = ctx_new(ctx, &deskd__fee__descriptor);
	f->item = fs->item;
	f->price_cents = fs->price_cents;
	f->unit = fs->unit;
	f->updated_ms = ctx->now_ms;
	f->updated_by = (char *)ctx->actor;
	fee_put(ctx->txn, f);
	fmt_money(now, sizeof(now), f->price_cents);
	if (old != NULL) {
		fmt_money(was, sizeof(was), old->price_cents);
		ctx_summary(ctx, summary, sizeof(summary),
		    "%s %s/%s (was %s/%s)", f->item, now, f->unit, was,
		    old->unit);
	} else
		ctx_summary(ctx, summary, sizeof(summary), "%s %s/%s (new)",
		    f->item, now, f->unit);
	/* Named, not numbered, like users: no history index. */
	snprintf(record, sizeof(record), "fee:%s", f->item);
	ctx_event_msg(ctx, "fee.set", 0, 0, record, summary, NULL, &f->base);
	return f;
}

static Deskd__Status
fee_set_apply(struct apply_ctx *ctx, const Deskd__Request *req)
{
	return reply_with(ctx, DESKD__RESPONSE__BODY_FEE, fee_store(ctx,
	    req->fee_set));
}

/*
 * Bulk import (issue 6): a fee is named by its item, so an item already
 * at that price and unit is a duplicate, whatever the ref; another price
 * sets it, as FeeSet does.  *id is 0 for a duplicate, 1 for a change.
 */
static Deskd__Status
fee_import(struct apply_ctx *ctx, const struct kind *k, ProtobufCMessage *m,
    bool dry, uint64_t *id)
{
	(void)k;
	const Deskd__Fee *in = (const Deskd__Fee *)m;
	Deskd__FeeSet fs = DESKD__FEE_SET__INIT;
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__Fee *old;
	Deskd__Status st;
	bool same;

	fs.item = in->item;
	fs.price_cents = in->price_cents;
	fs.unit = in->unit;
	req.body_case = DESKD__REQUEST__BODY_FEE_SET;
	req.fee_set = &fs;
	if ((st = fee_set_check(&req, ctx->msg, sizeof(ctx->msg))) !=
	    DESKD__STATUS__OK)
		return st;
	old = fee_get(ctx->txn, fs.item);
	same = old != NULL && old->price_cents == fs.price_cents &&
	    strcmp(old->unit, fs.unit) == 0;
	if (old != NULL)
		deskd__fee__free_unpacked(old, NULL);
	*id = same ? 0 : 1;
	if (!same && !dry)
		fee_store(ctx, &fs);
	return DESKD__STATUS__OK;
}

static Deskd__Status
fee_list_apply(struct apply_ctx *ctx, const Deskd__Request *req)
{
	Deskd__Fee **list;
	size_t n;

	(void)req;
	if (fee_list(ctx->txn, &list, &n) != STORE_OK)
		return ctx_fail(ctx, DESKD__STATUS__INTERNAL,
		    "cannot read the fee schedule");
	/* The whole schedule: it is short (a printed table, D2). */
	return reply_list(ctx, DESKD__RESPONSE__BODY_FEE_LIST, list, n, false);
}

/* Engineers record their own work on an order (repair_check_worker
 * narrows it to their orders); the rest is the desk's. */
static enum perm_op
repair_step_op(const Deskd__Request *req, enum perm_op op)
{
	switch (req->repair_step->action) {
	case DESKD__REPAIR_ACTION__REPAIR_ARRIVE:
	case DESKD__REPAIR_ACTION__REPAIR_DONE:
	case DESKD__REPAIR_ACTION__REPAIR_NOTE:
		return OP_REPAIR_WORK;
	default:
		return op;
	}
}

/* An engineer reads the orders sent to them. */
static bool
repair_visible_to(const struct apply_ctx *ctx, const ProtobufCMessage *m)
{
	return repair_visible(ctx->role, ctx->actor,
	    (const Deskd__WorkOrder *)m);
}

/* D4/D5: finished work stays open until it has been revisited. */
static bool
repair_open(const ProtobufCMessage *m)
{
	return ((const Deskd__WorkOrder *)m)->status !=
	    DESKD__WORK_STATUS__WORK_CLOSED;
}

static const struct kind repair_kind = {
	.name = "repair", .rec = RECORD_REPAIR,
	.d = &deskd__work_order__descriptor, .db = DB_REPAIRS,
	.prefix = -1, .write = OP_REPAIR_WRITE, .read = OP_REPAIR_READ,
	.export = OP_REPAIR_WRITE,
	.import = repair_import, .numbers = true,
	.shown = kind_contacts_shown,
	.shown_packed = kind_contacts_shown_packed,
	.visible = repair_visible_to,
	.hidden_why = R_("is not sent to you (an engineer reads the orders "
	    "dispatched to them)"),
	.one = DESKD__RESPONSE__BODY_WORK_ORDER,
	.page = DESKD__RESPONSE__BODY_REPAIR_LIST,
	.open = DB_REPAIRS_OPEN, .is_open = repair_open,
	.history = HISTORY_PER_REVISION
};

/* D2: the fee schedule, keyed by item: an item is its own ref. */
static const struct kind fee_kind = {
	.name = RC_("record", "fee"),
	.d = &deskd__fee__descriptor, .db = DB_FEES,
	.prefix = -1, .write = OP_FEE_SET, .read = OP_REPAIR_READ,
	.export = OP_REPAIR_READ,
	.import = fee_import, .named = true
};

/* Issue 16: its engineer awaited (D3; after the desk's call, by the time
 * agreed with the owner: a call-back) and a service's revisit (D5). */
static void
repair_described(struct apply_ctx *ctx, const ProtobufCMessage *m,
    const Deskd__Clock *clock, struct now_record *r)
{
	const Deskd__WorkOrder *w = (const Deskd__WorkOrder *)m;

	r->title = now_title(ctx, w->text);
	r->unit = w->unit;
	r->phone = w->phone;
	r->post = w->post;
	r->state = repair_status_name(w->status);
	if (clock != NULL && w->called_ms != 0 && w->eta_ms != 0 &&
	    strcmp(clock->name, CLOCK_REPAIR_NO_ENGINEER) == 0)
		r->kind = "callback";
}

static const struct now_clock repair_now_clocks[] = {
	{ CLOCK_REPAIR_NO_ENGINEER, "repair.arrive", "D3" },
	{ CLOCK_SERVICE_REVISIT, "repair.revisit", "D5" },
};

static const struct now_rule repair_now = {
	.kind = &repair_kind, .clocks = repair_now_clocks,
	.nclocks = nitems(repair_now_clocks),
	.describe = repair_described,
};

static const struct kind *const repair_kinds[] = {
	&repair_kind, &fee_kind, NULL
};

static const struct request_row repair_requests[] = {
	{ REQUEST(REPAIR_NEW, "repair new"), .op = OP_REPAIR_WRITE,
	    .check = repair_new_check, .apply = repair_new_apply },
	{ REQUEST(REPAIR_STEP, "repair step"), .op = OP_REPAIR_WRITE,
	    .op_of = repair_step_op, .apply = repair_step_apply },
	{ REQUEST(REPAIR_GET, "repair show"), .op = OP_REPAIR_READ,
	    .apply = kind_get_apply, .kind = &repair_kind },
	{ REQUEST(REPAIR_LIST, "repair list"), .op = OP_REPAIR_READ,
	    .apply = repair_list_apply },
	{ REQUEST(REPAIR_HISTORY, "repair history"), .op = OP_REPAIR_READ,
	    .apply = kind_history_apply, .kind = &repair_kind },
	{ REQUEST(FEE_SET, "fee set"), .op = OP_FEE_SET,
	    .check = fee_set_check, .apply = fee_set_apply },
	{ REQUEST(FEE_LIST, "fee list"), .op = OP_REPAIR_READ,
	    .apply = fee_list_apply },
};

static const struct clock_rule repair_clocks[] = {
	{ CLOCK_REPAIR_NO_ENGINEER, "D3", R_("no engineer on site: call the "
	    "owner to explain, and follow up the completion time"),
	    CLOCK_MINUTES(20), .help = "20m", .help_rank = 10 },
	{ CLOCK_SERVICE_REVISIT, "D5", R_("revisit the owner about the service"),
	    0, 2, .help = "2wd", .help_rank = 40 },
};

/* E6: an engineer gets the events of the orders sent to them. */
static const struct event_rule repair_events[] = {
	{ .prefix = "repair.", .op = OP_WATCH, .narrowed = visible_narrowed,
	    .check = visible_event },
};

/* ---------- the ledger's line (D5) ---------- */

struct service_count {
	int64_t		 from, to, now;
	uint64_t	 required, done;
};

/* A service finished in the month whose revisit is due by now (or done):
 * required; revisited within its 2 working days: done. */
static bool
service_one(uint64_t id, const MDB_val *v, void *arg)
{
	struct service_count *c = arg;
	Deskd__WorkOrder *w;
	int64_t due;

	(void)id;
	if ((w = deskd__work_order__unpack(NULL, v->mv_size, v->mv_data)) ==
	    NULL)
		return true;
	if (w->kind == DESKD__WORK_KIND__KIND_SERVICE && w->done_ms >= c->from &&
	    w->done_ms < c->to) {
		due = calendar_add_working_days(clock_calendar(), w->done_ms, 2);
		if (w->revisited_ms != 0 || due <= c->now) {
			c->required++;
			c->done += w->revisited_ms != 0 && w->revisited_ms <= due;
		}
	}
	deskd__work_order__free_unpacked(w, NULL);
	return true;
}

static bool
service_revisit_quota(struct apply_ctx *ctx, uint32_t month, struct quota *q)
{
	struct service_count c = { .now = ctx->now_ms };

	calendar_month_span(month, &c.from, &c.to);

	store_scan_ids(ctx->txn, DB_REPAIRS, -1, 0, 0, service_one, &c);
	q->what = "services revisited within 2 working days";
	q->required = c.required;
	q->done = c.done;
	q->so_far = true;
	return true;
}

static const struct quota_rule repair_quotas[] = {
	{ "D5", service_revisit_quota },
};

const struct area repair_area = {
	.name = "repair",
	.requests = repair_requests,
	.nrequests = nitems(repair_requests),
	.clocks = repair_clocks,
	.nclocks = nitems(repair_clocks),
	.kinds = repair_kinds,
	.events = repair_events,
	.nevents = nitems(repair_events),
	.quotas = repair_quotas,
	.nquotas = nitems(repair_quotas),
	.now = &repair_now,
};
