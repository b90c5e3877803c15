/* repair_rules.c - the work-order state machine (D1-D5). */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "complaint_rules.h"
#include "refuse.h"
#include "repair_rules.h"
#include "text.h"
#include "validate.h"
#include "wire.h"

#define A(x)	DESKD__REPAIR_ACTION__REPAIR_##x
#define W(x)	DESKD__WORK_STATUS__WORK_##x
#define K(x)	DESKD__WORK_KIND__KIND_##x

#define INVALID		DESKD__STATUS__INVALID_ARGUMENT
#define CONFLICT	DESKD__STATUS__CONFLICT

Deskd__Status
repair_new_check(const Deskd__Request *req, char *msg, size_t len)
{
	const Deskd__RepairNew *n = req->repair_new;

	if (n->kind != K(REPAIR) && n->kind != K(SERVICE) &&
	    n->kind != K(SPECIAL))
		return text_refuse(msg, len, INVALID, "kind: repair, service or "
		    "special");
	/* D1: recorded in detail: where, who, how to call back, what. */
	if (!*n->unit)
		return text_refuse(msg, len, INVALID, "unit: required");
	if (!*n->name)
		return text_refuse(msg, len, INVALID, "name: required (who asks)");
	if (!*n->phone)
		return text_refuse(msg, len, INVALID, "phone: required (a contact "
		    "number, D1)");
	if (!complaint_phone_ok(n->phone))
		return text_refuse(msg, len, INVALID, "phone: 5 to 15 digits, with "
		    "optional leading +, spaces or dashes");
	if (!*n->text)
		return text_refuse(msg, len, INVALID, "text: required (what is to "
		    "be done, D1)");
	if (n->visit_at_ms != 0 && !wire_time_ok(n->visit_at_ms))
		return validate_not_a_time("visit_at_ms", msg, len);
	/* D2: a special service is paid work, so it has a schedule price. */
	if (n->kind == K(SPECIAL) && !*n->fee_item)
		return text_refuse(msg, len, INVALID, "fee_item: a special service "
		    "is charged by the fee schedule (D2)");
	if (!*n->fee_item && n->fee_qty != 0)
		return text_refuse(msg, len, INVALID, "fee_qty: goes with a fee "
		    "item");
	if (n->fee_qty > FEE_QTY_MAX)
		return text_refuse(msg, len, INVALID, "fee_qty: at most 1000");
	return DESKD__STATUS__OK;
}

Deskd__Status
fee_set_check(const Deskd__Request *req, char *msg, size_t len)
{
	const Deskd__FeeSet *f = req->fee_set;

	if (!*f->item)
		return text_refuse(msg, len, INVALID, "item: required");
	if (!*f->unit)
		return text_refuse(msg, len, INVALID, "unit: required (per what: "
		    "次, 小时, 个 ...)");
	if (f->price_cents < 0 || f->price_cents > FEE_PRICE_MAX)
		return text_refuse(msg, len, INVALID, "price_cents: 0 to 100000000 "
		    "(1,000,000 yuan)");
	return DESKD__STATUS__OK;
}

int64_t
repair_default_charge(const Deskd__WorkOrder *w)
{
	/* Both are bounded at intake, so the product cannot overflow. */
	return w->fee_price_cents * (int64_t)w->fee_qty;
}

void
fmt_money(char *out, size_t len, int64_t cents)
{
	snprintf(out, len, "%s%" PRId64 ".%02d", cents < 0 ? "-" : "",
	    (cents < 0 ? -cents : cents) / 100,
	    (int)((cents < 0 ? -cents : cents) % 100));
}

Deskd__Status
charge_override_check(const char *reason_field, int64_t schedule,
    int64_t charge, const char *reason, bool supervisor, char *msg,
    size_t len)
{
	char want[32], got[32];

	if (charge == schedule) {
		if (*reason)
			return text_refuse(msg, len, INVALID, reason_field[0] == 'f' ?
			    "fee_reason: only with a fee other than the fee "
			    "schedule's (D2)" : R_("charge_reason: only with a "
			    "charge other than price x qty (D2)"));
		return DESKD__STATUS__OK;
	}
	fmt_money(want, sizeof(want), schedule);
	fmt_money(got, sizeof(got), charge);
	if (!*reason) {
		refuse_fmt(msg, len, "%s: %s is not the fee schedule's %s; an "
		    "override needs its reason (D2)", reason_field, got, want);
		return INVALID;
	}
	if (!supervisor) {
		refuse_fmt(msg, len, "%s is not the fee schedule's %s: an "
		    "override is a supervisor's (D2)", got, want);
		return DESKD__STATUS__PERMISSION_DENIED;
	}
	return DESKD__STATUS__OK;
}

/* The refusal for a step that comes after the work is finished. */
static Deskd__Status
finished(const Deskd__WorkOrder *w, char *msg, size_t len)
{
	return text_refuse(msg, len, CONFLICT, w->status == W(CLOSED) ?
	    "the order is closed (revisited); add a note to correct" :
	    R_("the work is already done; record feedback or the revisit"));
}

static Deskd__Status
check_dispatch(const Deskd__WorkOrder *w, const Deskd__RepairStep *s,
    char *msg, size_t len)
{
	switch (w->status) {
	case W(OPEN):
		return DESKD__STATUS__OK;
	case W(DISPATCHED):
		/* D3: sending it to someone else does not restart the owner's
		 * 20 minutes; it only names the new engineer. */
		if (!*s->engineer || strcmp(s->engineer, w->engineer) == 0)
			return text_refuse(msg, len, CONFLICT, "already dispatched; "
			    "name another engineer to reassign it");
		return DESKD__STATUS__OK;
	case W(ON_SITE):
		return text_refuse(msg, len, CONFLICT, "an engineer is already on "
		    "site");
	default:
		return finished(w, msg, len);
	}
}

static Deskd__Status
check_done(const Deskd__WorkOrder *w, const Deskd__RepairStep *s, char *msg,
    size_t len)
{
	if (s->charge_set && (s->charge < 0 || s->charge > CHARGE_MAX))
		return text_refuse(msg, len, INVALID, "charge: 0 to 100000000000 "
		    "cents");
	switch (w->status) {
	case W(OPEN):
		/* D3: a repair goes to engineering; a service the desk can
		 * do itself (lending a ladder, taking in a parcel). */
		if (w->kind == K(REPAIR))
			return text_refuse(msg, len, CONFLICT, "a repair goes to "
			    "engineering first (D3): dispatch it");
		return DESKD__STATUS__OK;
	case W(DISPATCHED):
		return text_refuse(msg, len, CONFLICT, "no engineer on site yet: "
		    "record the arrival first");
	case W(ON_SITE):
		return DESKD__STATUS__OK;
	default:
		return finished(w, msg, len);
	}
}

Deskd__Status
repair_check_step(const Deskd__WorkOrder *w, const Deskd__RepairStep *s,
    int64_t now_ms, char *msg, size_t len)
{
	bool done = w->status == W(DONE) || w->status == W(CLOSED);

	switch (s->action) {
	case A(NOTE):
		/* C9 applies here too: a correction is a new entry. */
		if (!*s->text)
			return text_refuse(msg, len, INVALID, "text: required");
		return DESKD__STATUS__OK;
	case A(DISPATCH):
		return check_dispatch(w, s, msg, len);
	case A(ARRIVE):
		if (w->status == W(OPEN))
			return text_refuse(msg, len, CONFLICT, "the order has not "
			    "been dispatched; dispatch it first");
		if (w->status == W(ON_SITE))
			return text_refuse(msg, len, CONFLICT, "an engineer is "
			    "already on site");
		if (done)
			return finished(w, msg, len);
		return DESKD__STATUS__OK;
	case A(CALL):
		if (!*s->text)
			return text_refuse(msg, len, INVALID, "text: what the owner "
			    "was told (D3)");
		if (s->eta_ms != 0 && !wire_time_ok(s->eta_ms))
			return validate_not_a_time("eta_ms", msg, len);
		if (s->eta_ms != 0 && s->eta_ms <= now_ms)
			return text_refuse(msg, len, INVALID, "eta_ms: must be in "
			    "the future");
		/* D3: the call explains a wait and follows up completion. */
		if (w->status == W(OPEN))
			return text_refuse(msg, len, CONFLICT, "the order has not "
			    "been dispatched; nobody is waited for yet");
		if (done)
			return finished(w, msg, len);
		return DESKD__STATUS__OK;
	case A(DONE):
		return check_done(w, s, msg, len);
	case A(FEEDBACK):
		if (s->rating < 1 || s->rating > 5)
			return text_refuse(msg, len, INVALID, "rating: 1 to 5");
		if (!done)
			return text_refuse(msg, len, CONFLICT, "the owner's opinion "
			    "is asked after the work is done (D4)");
		if (w->rating != 0)
			return text_refuse(msg, len, CONFLICT, "feedback already "
			    "recorded; add a note to correct");
		return DESKD__STATUS__OK;
	case A(REVISIT):
		if (!*s->text)
			return text_refuse(msg, len, INVALID, "text: the revisit "
			    "result");
		if (w->status == W(CLOSED))
			return text_refuse(msg, len, CONFLICT, "already revisited; "
			    "add a note to correct");
		if (!done)
			return text_refuse(msg, len, CONFLICT, "revisit comes after "
			    "the work is done (D4/D5)");
		/* D4: the owner's opinion is on record before the order
		 * closes, or the owner could not be reached, every attempt
		 * counted. */
		if (!s->unreachable && w->rating == 0)
			return text_refuse(msg, len, CONFLICT, "no feedback from the "
			    "owner yet (D4): record it (repair feedback), or "
			    "each attempt that does not reach them (revisit "
			    "--unreachable)");
		return DESKD__STATUS__OK;
	default:
		return text_refuse(msg, len, INVALID, "action: unknown step");
	}
}

bool
repair_visible(enum role role, const char *user, const Deskd__WorkOrder *w)
{
	if (role != ROLE_ENGINEER)
		return true;
	return *w->engineer ? strcmp(w->engineer, user) == 0 :
	    w->status != W(OPEN);
}

Deskd__Status
repair_check_worker(const Deskd__WorkOrder *w, const Deskd__RepairStep *s,
    const char *actor, char *msg, size_t len)
{
	if (s->action != A(ARRIVE) && s->action != A(DONE) &&
	    s->action != A(NOTE))
		return text_refuse(msg, len, DESKD__STATUS__PERMISSION_DENIED,
		    "an engineer records arrival, completion and notes only");
	if (*w->engineer && strcmp(w->engineer, actor) != 0) {
		refuse_fmt(msg, len, "the order is assigned to %s", w->engineer);
		return DESKD__STATUS__PERMISSION_DENIED;
	}
	if (*s->engineer && strcmp(s->engineer, actor) != 0)
		return text_refuse(msg, len, DESKD__STATUS__PERMISSION_DENIED,
		    "an engineer records only their own arrival; the desk "
		    "records it on behalf of another");
	return DESKD__STATUS__OK;
}

void
repair_apply_step(Deskd__WorkOrder *w, const Deskd__RepairStep *s,
    int64_t now_ms)
{
	switch (s->action) {
	case A(DISPATCH):
		if (w->status == W(OPEN)) {
			w->status = W(DISPATCHED);
			w->dispatched_ms = now_ms;
		}
		if (*s->engineer)
			w->engineer = s->engineer;
		break;
	case A(ARRIVE):
		w->status = W(ON_SITE);
		w->arrived_ms = now_ms;
		if (*s->engineer)
			w->engineer = s->engineer;
		break;
	case A(CALL):
		w->called_ms = now_ms;
		w->call_note = s->text;
		w->eta_ms = s->eta_ms;
		break;
	case A(DONE):
		w->status = W(DONE);
		w->done_ms = now_ms;
		/* D2: the frozen price, unless the desk states the charge. */
		w->charge_cents = s->charge_set ? s->charge :
		    repair_default_charge(w);
		if (w->charge_cents != repair_default_charge(w))
			w->charge_reason = s->charge_reason;
		break;
	case A(FEEDBACK):
		w->rating = s->rating;
		w->feedback = s->text;
		break;
	case A(REVISIT):
		w->revisit_result = s->text;
		w->revisited_ms = now_ms;
		if (s->unreachable &&
		    ++w->revisit_attempts < REPAIR_REVISIT_ATTEMPTS)
			break;
		w->status = W(CLOSED);
		break;
	default:
		break;
	}
	w->updated_ms = now_ms;
	w->revision++;
}

const char *
repair_event_type(Deskd__RepairAction a)
{
	switch (a) {
	case A(DISPATCH):	return "repair.dispatched";
	case A(ARRIVE):		return "repair.arrived";
	case A(CALL):		return "repair.called";
	case A(DONE):		return "repair.done";
	case A(FEEDBACK):	return "repair.feedback";
	case A(REVISIT):	return "repair.revisited";
	case A(NOTE):		return "repair.noted";
	default:		return "repair.changed";
	}
}

bool
repair_overdue(const Deskd__WorkOrder *w, int64_t deadline_ms, int64_t now_ms)
{
	return w->status == W(DISPATCHED) && w->arrived_ms == 0 &&
	    now_ms > deadline_ms;
}

const char *
repair_kind_name(Deskd__WorkKind k)
{
	switch (k) {
	case K(REPAIR):		return "repair";
	case K(SERVICE):	return "service";
	case K(SPECIAL):	return "special";
	default:		return "?";
	}
}

const char *
repair_status_name(Deskd__WorkStatus s)
{
	switch (s) {
	case W(OPEN):		return "open";
	case W(DISPATCHED):	return "dispatched";
	case W(ON_SITE):	return "on site";
	case W(DONE):		return "done";
	case W(CLOSED):		return "closed";
	default:		return "?";
	}
}
