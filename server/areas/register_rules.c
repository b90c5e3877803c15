/*
 * register_rules.c - the front-desk registers, one row each (E1-E5, E7):
 * the message, the fields the paper form requires, the states and the
 * actions between them, and the few rules that are a register's own:
 *
 *   visitor         E2, E3: the owner's consent, present, by phone, or a
 *                   standing permission valid for that unit and name
 *   visitor-permit  E3: an owner's standing permission, until an expiry
 *   pass            E1: the duty officer approves; used once, before expiry
 *   key             E4: out to someone with a reason, in again; a clock
 *                   on a key out too long, and one for the monthly count
 *   key-count       E4: a count of the cabinet with every discrepancy
 *   parking         E5: a clock before expiry; a renewal is a new entry;
 *                   one current permit a plate; past valid_to it is not
 *                   current (listed as valid no more)
 *   the rest of E7  worker, renovation, hotwork (a clock past its window),
 *                   construction, cleaning, note, special
 *
 * Adding a register is a message in deskd.proto and a row here.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "area.h"
#include "deadline.h"
#include "register.h"
#include "repair_rules.h"

#define HOUR_MS		((int64_t)3600 * 1000)
/* E1: a release pass with no validity of its own is good for a day. */
#define PASS_VALID_MS	(24 * HOUR_MS)

static void
fmt_time(char *out, size_t len, int64_t ms)
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;

	localtime_r(&t, &tm);
	strftime(out, len, "%Y-%m-%d %H:%M", &tm);
}

static Deskd__Status
not_before(struct reg_op *op, const char *field, const char *after,
    int64_t min)
{
	if (reg_int(op->entry, field) > min)
		return DESKD__STATUS__OK;
	return ctx_fail(op->ctx, DESKD__STATUS__INVALID_ARGUMENT, "%s: must "
	    "be after %s (%s)", field, after, op->def->rules);
}

/* ---------- E2, E3: visitors and standing permissions ---------- */

struct who {
	const char	*unit, *name;
};

static bool
permit_for(const ProtobufCMessage *m, const void *arg)
{
	const struct who *w = arg;

	return strcmp(reg_str(m, "unit"), w->unit) == 0 &&
	    strcmp(reg_str(m, "visitor"), w->name) == 0;
}

/* E3: a non-owner enters only with the owner's consent. */
static Deskd__Status
visitor_check(struct reg_op *op)
{
	struct apply_ctx *ctx = op->ctx;
	const struct reg_def *pd = reg_def_find("visitor-permit");
	struct who w = { reg_str(op->entry, "unit"), reg_str(op->entry,
	    "name") };
	ProtobufCMessage **p;
	int64_t latest = 0;
	size_t n;
	char when[32];

	switch (reg_int(op->entry, "consent")) {
	case DESKD__CONSENT__CONSENT_PRESENT:
	case DESKD__CONSENT__CONSENT_PHONE:
		return DESKD__STATUS__OK;
	case DESKD__CONSENT__CONSENT_STANDING:
		break;
	default:
		return ctx_fail(ctx, DESKD__STATUS__INVALID_ARGUMENT, "consent: "
		    "a visitor enters only with the owner's consent: present, "
		    "phone or standing (E3)");
	}
	p = reg_all(ctx, pd, true, permit_for, &w, &n);
	for (size_t i = 0; i < n; i++) {
		int64_t until = reg_int(p[i], "until_ms");

		if (until > ctx->now_ms) {
			reg_set_int(op->entry, "permit_id", reg_int(p[i], "id"));
			return DESKD__STATUS__OK;
		}
		if (until > latest)
			latest = until;
	}
	if (latest == 0)
		return ctx_fail(ctx, DESKD__STATUS__CONFLICT, "consent: no "
		    "standing permission for %s at %s: ask the owner (E3)",
		    w.name, w.unit);
	fmt_time(when, sizeof(when), latest);
	return ctx_fail(ctx, DESKD__STATUS__CONFLICT, "consent: the standing "
	    "permission for %s at %s expired at %s: ask the owner (E3)",
	    w.name, w.unit, when);
}

static Deskd__Status
permit_check(struct reg_op *op)
{
	return not_before(op, "until_ms", "now", op->ctx->now_ms);
}

/* ---------- E1: release passes ---------- */

static Deskd__Status
pass_check(struct reg_op *op)
{
	if (reg_int(op->entry, "valid_until_ms") == 0)
		reg_set_int(op->entry, "valid_until_ms", op->ctx->now_ms +
		    PASS_VALID_MS);
	return not_before(op, "valid_until_ms", "now", op->ctx->now_ms);
}

/* E1: neither approved nor used once it has expired. */
static Deskd__Status
pass_unexpired(struct reg_op *op)
{
	int64_t until = reg_int(op->entry, "valid_until_ms");
	char when[32];

	if (until > op->ctx->now_ms)
		return DESKD__STATUS__OK;
	fmt_time(when, sizeof(when), until);
	return ctx_fail(op->ctx, DESKD__STATUS__CONFLICT, "pass %" PRIu64
	    " expired at %s: write a new slip (E1)", op->id, when);
}

/* ---------- E4: keys and their count ---------- */

static const struct reg_def *
key_def(void)
{
	return reg_def_find("key");
}

/* E4: the cabinet is counted monthly; the clock starts with the first
 * key and runs again from every count. */
static void
reconcile_arm(struct apply_ctx *ctx, bool restart)
{
	Deskd__Clock *c;

	if (!restart && (c = clock_get(ctx->txn, RECORD_KEY_COUNT, 0,
	    CLOCK_KEY_RECONCILE)) != NULL) {
		deskd__clock__free_unpacked(c, NULL);
		return;
	}
	clock_arm(ctx, CLOCK_KEY_RECONCILE, RECORD_KEY_COUNT, 0,
	    clock_deadline(ctx, CLOCK_KEY_RECONCILE, ctx->now_ms));
}

static void
key_added(struct reg_op *op)
{
	reconcile_arm(op->ctx, false);
}

static void
key_out(struct reg_op *op)
{
	clock_arm(op->ctx, CLOCK_KEY_OUT, RECORD_KEY, op->id,
	    clock_deadline(op->ctx, CLOCK_KEY_OUT, op->ctx->now_ms));
}

static Deskd__Status
key_in_check(struct reg_op *op)
{
	/* Back in the cabinet: nobody holds it (the history keeps who did). */
	reg_set_str(op->entry, "holder", "");
	reg_set_str(op->entry, "reason", "");
	return DESKD__STATUS__OK;
}

static void
key_in(struct reg_op *op)
{
	clock_stop(op->ctx, CLOCK_KEY_OUT, RECORD_KEY, op->id);
}

static bool
counted(const ProtobufCMessage *m, const char *tag)
{
	const Deskd__KeyCount *kc = (const Deskd__KeyCount *)m;

	for (size_t i = 0; i < kc->n_counted; i++)
		if (strcmp(kc->counted[i], tag) == 0)
			return true;
	return false;
}

static char *line(struct apply_ctx *, const char *, ...)
    __attribute__((format(printf, 2, 3)));

/* One line of a count's discrepancies, owned by the context. */
static char *
line(struct apply_ctx *ctx, const char *fmt, ...)
{
	char *s = ctx_calloc(ctx, 1, 256);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(s, 256, fmt, ap);
	va_end(ap);
	return s;
}

/* E4: the count against the register, with every discrepancy: a key the
 * register has in the cabinet and the count did not find, and a tag found
 * that the register does not have in (unknown, or out with someone). */
static Deskd__Status
count_check(struct reg_op *op)
{
	struct apply_ctx *ctx = op->ctx;
	Deskd__KeyCount *kc = (Deskd__KeyCount *)op->entry;
	ProtobufCMessage **keys;
	size_t n, nm = 0, nu = 0;

	keys = reg_all(ctx, key_def(), true, NULL, NULL, &n);
	kc->missing = ctx_calloc(ctx, n, sizeof(char *));
	kc->unexpected = ctx_calloc(ctx, kc->n_counted + n, sizeof(char *));
	for (size_t i = 0; i < n; i++) {
		const char *tag = reg_str(keys[i], "tag");
		bool in = strcmp(reg_str(keys[i], "state"), "in") == 0;

		if (in)
			kc->expected++;
		else
			kc->out++;
		if (in && !counted(op->entry, tag))
			kc->missing[nm++] = line(ctx, "%s (slot %s, unit %s)",
			    tag, reg_str(keys[i], "slot"), reg_str(keys[i],
			    "unit"));
		else if (!in && counted(op->entry, tag))
			kc->unexpected[nu++] = line(ctx, "%s (the register "
			    "has it out with %s)", tag, reg_str(keys[i],
			    "holder"));
	}
	for (size_t j = 0; j < kc->n_counted; j++) {
		bool known = false;

		for (size_t i = 0; i < n && !known; i++)
			known = strcmp(reg_str(keys[i], "tag"),
			    kc->counted[j]) == 0;
		if (!known)
			kc->unexpected[nu++] = line(ctx, "%s (not in the "
			    "register)", kc->counted[j]);
	}
	kc->n_missing = nm;
	kc->n_unexpected = nu;
	reg_set_str(op->entry, "state", nm + nu ? "discrepancy" : "ok");
	return DESKD__STATUS__OK;
}

static void
count_added(struct reg_op *op)
{
	/* Counted: the next count is due a period from now, and an alert
	 * for this one is superseded. */
	reconcile_arm(op->ctx, true);
}

/* ---------- E5: parking permits ---------- */

static Deskd__Status
parking_check(struct reg_op *op)
{
	struct apply_ctx *ctx = op->ctx;
	uint64_t renews = (uint64_t)reg_int(op->entry, "renews");
	ProtobufCMessage *old;
	Deskd__Status st = DESKD__STATUS__OK;

	if (reg_int(op->entry, "valid_from_ms") == 0)
		reg_set_int(op->entry, "valid_from_ms", ctx->now_ms);
	if (reg_int(op->entry, "valid_to_ms") <=
	    reg_int(op->entry, "valid_from_ms"))
		return ctx_fail(ctx, DESKD__STATUS__INVALID_ARGUMENT,
		    "valid_to_ms: must be after valid_from_ms (E5)");
	if (renews == 0)
		return DESKD__STATUS__OK;
	/* E5: a renewal is a new entry; the one it renews must be current
	 * and for the same car. */
	if ((old = register_get(ctx->txn, RECORD_PARKING, renews,
	    op->def->d)) == NULL)
		return ctx_fail(ctx, DESKD__STATUS__NOT_FOUND, "renews: no "
		    "parking %" PRIu64, renews);
	if (strcmp(reg_str(old, "state"), "valid") != 0)
		st = ctx_fail(ctx, DESKD__STATUS__CONFLICT, "renews: parking %"
		    PRIu64 " is %s (E5)", renews, reg_str(old, "state"));
	else if (strcmp(reg_str(old, "plate"), reg_str(op->entry, "plate")))
		st = ctx_fail(ctx, DESKD__STATUS__CONFLICT, "renews: parking %"
		    PRIu64 " is for %s, not %s (E5)", renews, reg_str(old,
		    "plate"), reg_str(op->entry, "plate"));
	protobuf_c_message_free_unpacked(old, NULL);
	return st;
}

static void
parking_arm(struct apply_ctx *ctx, uint64_t id, int64_t valid_to)
{
	/* E5: the alert comes the configured span before the expiry. */
	int64_t notice = clock_deadline(ctx, CLOCK_PARKING_EXPIRY, 0);
	int64_t due = valid_to - notice;

	clock_arm(ctx, CLOCK_PARKING_EXPIRY, RECORD_PARKING, id,
	    due > ctx->now_ms ? due : ctx->now_ms + 1);
}

static void
parking_added(struct reg_op *op)
{
	struct apply_ctx *ctx = op->ctx;
	uint64_t renews = (uint64_t)reg_int(op->entry, "renews");
	ProtobufCMessage *old, *m;

	parking_arm(ctx, op->id, reg_int(op->entry, "valid_to_ms"));
	if (renews == 0 || (old = register_get(ctx->txn, RECORD_PARKING,
	    renews, op->def->d)) == NULL)
		return;
	ctx_own_msg(ctx, old);
	m = reg_copy(ctx, old);
	reg_set_str(m, "state", "renewed");
	reg_set_int(m, "renewed_by", (int64_t)op->id);
	reg_set_int(m, "updated_ms", ctx->now_ms);
	reg_set_str(m, "updated_by", ctx->actor);
	reg_set_int(m, "revision", reg_int(old, "revision") + 1);
	reg_store(ctx, op->def, m, "renewed", NULL);
	clock_stop(ctx, CLOCK_PARKING_EXPIRY, RECORD_PARKING, renews);
}

static void
parking_cancelled(struct reg_op *op)
{
	clock_stop(op->ctx, CLOCK_PARKING_EXPIRY, RECORD_PARKING, op->id);
}

/* ---------- E7: the other daily registers ---------- */

/*
 * D2: a cleaning order is paid work: its fee is the schedule's price of
 * its service unless a supervisor overrides it with a reason.
 */
static Deskd__Status
cleaning_check(struct reg_op *op)
{
	struct apply_ctx *ctx = op->ctx;
	Deskd__Fee *fee = fee_get(ctx->txn, reg_str(op->entry, "service"));
	int64_t price = fee != NULL ? fee->price_cents : 0;
	int64_t charge = reg_int(op->entry, "fee_cents");
	Deskd__Status st;

	if (fee != NULL)
		deskd__fee__free_unpacked(fee, NULL);
	if (charge == 0)
		reg_set_int(op->entry, "fee_cents", charge = price);
	if ((st = charge_override_check("fee_reason", price, charge,
	    reg_str(op->entry, "fee_reason"), perm_allows(ctx->role,
	    OP_REGISTER_APPROVE), ctx->msg, sizeof(ctx->msg))) !=
	    DESKD__STATUS__OK)
		return st;
	if (charge != price)
		reg_set_str(op->entry, "fee_override_by", ctx->actor);
	return DESKD__STATUS__OK;
}

static Deskd__Status
window_check(struct reg_op *op)
{
	return not_before(op, "to_ms", "from_ms", reg_int(op->entry,
	    "from_ms"));
}

static Deskd__Status
extension_check(struct reg_op *op)
{
	return not_before(op, "new_end_ms", "original_end_ms",
	    reg_int(op->entry, "original_end_ms"));
}

/* E7: once approved, an alert if the hot work is not closed by the end of
 * its window. */
static void
hotwork_approved(struct reg_op *op)
{
	clock_arm(op->ctx, CLOCK_HOTWORK_OVERRUN, RECORD_HOTWORK, op->id,
	    reg_int(op->entry, "to_ms"));
}

static void
hotwork_closed(struct reg_op *op)
{
	clock_stop(op->ctx, CLOCK_HOTWORK_OVERRUN, RECORD_HOTWORK, op->id);
}

/* ---------- the table ---------- */

#define N(a)	(sizeof(a) / sizeof((a)[0]))
#define NEED_P	REG_NEED_PERSON
#define NEED_T	REG_NEED_TEXT

static const struct reg_action visitor_acts[] = {
	{ "out", "inside", "out", "out", "out_ms", NULL, NULL, NULL, 0, false,
	    NULL, NULL },
};
static const struct reg_action permit_acts[] = {
	{ "revoke", "valid", "revoked", "revoked", NULL, NULL, NULL,
	    "revoke_reason", NEED_T, false, NULL, NULL },
};
static const struct reg_action pass_acts[] = {
	{ "approve", "pending", "approved", "approved", "approved_ms",
	    "approved_by", NULL, NULL, 0, true, pass_unexpired, NULL },
	{ "reject", "pending", "rejected", "rejected", NULL, "approved_by",
	    NULL, "reject_reason", NEED_T, true, NULL, NULL },
	{ "use", "approved", "used", "used", "used_ms", "used_by", NULL,
	    "gate_note", 0, false, pass_unexpired, NULL },
};
static const struct reg_action key_acts[] = {
	{ "out", "in", "out", "out", "out_ms", NULL, "holder", "reason",
	    NEED_P | NEED_T, false, NULL, key_out },
	{ "in", "out", "in", "in", "in_ms", NULL, NULL, NULL, 0, false,
	    key_in_check, key_in },
	{ "retire", "in", "retired", "retired", NULL, NULL, NULL, "reason",
	    NEED_T, false, NULL, NULL },
};
static const struct reg_action parking_acts[] = {
	{ "cancel", "valid", "cancelled", "cancelled", NULL, NULL, NULL,
	    "cancel_reason", NEED_T, false, NULL, parking_cancelled },
};
static const struct reg_action worker_acts[] = {
	{ "leave", "on-site", "left", "left", "left_ms", NULL, NULL, NULL, 0,
	    false, NULL, NULL },
};
static const struct reg_action decide_acts[] = {
	{ "approve", "pending", "approved", "approved", "decided_ms",
	    "decided_by", NULL, "decision_note", 0, true, NULL, NULL },
	{ "reject", "pending", "rejected", "rejected", "decided_ms",
	    "decided_by", NULL, "decision_note", NEED_T, true, NULL, NULL },
};
static const struct reg_action hotwork_acts[] = {
	{ "approve", "pending", "approved", "approved", "approved_ms",
	    "approved_by", NULL, NULL, 0, true, NULL, hotwork_approved },
	{ "reject", "pending", "rejected", "rejected", NULL, "approved_by",
	    NULL, "reject_reason", NEED_T, true, NULL, NULL },
	{ "close", "approved", "closed", "closed", "closed_ms", NULL, NULL,
	    "close_note", 0, false, NULL, hotwork_closed },
};
static const struct reg_action construction_acts[] = {
	{ "approve", "pending", "approved", "approved", "approved_ms",
	    "approved_by", NULL, "decision_note", 0, true, NULL, NULL },
	{ "reject", "pending", "rejected", "rejected", NULL, "approved_by",
	    NULL, "decision_note", NEED_T, true, NULL, NULL },
	{ "close", "approved", "closed", "closed", "closed_ms", NULL, NULL,
	    "decision_note", 0, false, NULL, NULL },
};
static const struct reg_action cleaning_acts[] = {
	{ "done", "open", "done", "done", "done_ms", NULL, NULL, "result", 0,
	    false, NULL, NULL },
	{ "cancel", "open", "cancelled", "cancelled", NULL, NULL, NULL,
	    "result", NEED_T, false, NULL, NULL },
};
static const struct reg_action note_acts[] = {
	{ "deliver", "left", "delivered", "delivered", "delivered_ms",
	    "delivered_by", NULL, NULL, 0, false, NULL, NULL },
	{ "read", "delivered", "read", "read", "read_ms", NULL, NULL, NULL, 0,
	    false, NULL, NULL },
};
static const struct reg_action special_acts[] = {
	{ "close", "open", "closed", "closed", "closed_ms", NULL, NULL,
	    "outcome", NEED_T, false, NULL, NULL },
};

static const struct reg_def defs[] = {
	{ .rec = RECORD_VISITOR, .d = &deskd__visitor__descriptor,
	    .rules = "E2, E3",
	    .required = "name id_type id_number unit purpose",
	    .summary = "name unit consent", .added = "in", .start = "inside",
	    .open = "inside", .secret = "id_number", .timed = "reg_seconds",
	    .check = visitor_check,
	    .actions = visitor_acts, .nactions = N(visitor_acts) },
	{ .rec = RECORD_VISITOR_PERMIT,
	    .d = &deskd__visitor_permit__descriptor, .rules = "E3",
	    .required = "unit visitor until_ms owner",
	    .summary = "visitor unit owner", .added = "granted",
	    .start = "valid", .open = "valid", .secret = "id_number",
	    .check = permit_check,
	    .actions = permit_acts, .nactions = N(permit_acts) },
	{ .rec = RECORD_PASS, .d = &deskd__release_pass__descriptor,
	    .rules = "E1",
	    .required = "unit owner identity_check items carrier",
	    .summary = "unit owner items", .added = "issued",
	    .start = "pending", .open = "pending approved",
	    .check = pass_check,
	    .actions = pass_acts, .nactions = N(pass_acts) },
	{ .rec = RECORD_KEY, .d = &deskd__key__descriptor, .rules = "E4",
	    .required = "tag slot unit source",
	    .summary = "tag slot unit holder", .added = "added",
	    .start = "in", .open = "in out", .unique = "tag",
	    .effect = key_added,
	    .actions = key_acts, .nactions = N(key_acts) },
	{ .rec = RECORD_KEY_COUNT, .d = &deskd__key_count__descriptor,
	    .rules = "E4", .required = "", .summary = "expected out state",
	    .added = "counted", .start = "ok", .open = "",
	    .check = count_check, .effect = count_added },
	{ .rec = RECORD_PARKING, .d = &deskd__parking_permit__descriptor,
	    .rules = "E5", .required = "plate unit type valid_to_ms",
	    .summary = "plate unit type", .added = "issued", .start = "valid",
	    .open = "valid", .unique = "plate", .check = parking_check,
	    .effect = parking_added,
	    .actions = parking_acts, .nactions = N(parking_acts),
	    .ends = "valid_to_ms", .linked = "renewed" },
	{ .rec = RECORD_WORKER, .d = &deskd__worker_entry__descriptor,
	    .rules = "E7", .required = "name id_number company unit",
	    .summary = "name company unit", .added = "in", .start = "on-site",
	    .open = "on-site", .secret = "id_number",
	    .actions = worker_acts, .nactions = N(worker_acts) },
	{ .rec = RECORD_RENOVATION,
	    .d = &deskd__renovation_extension__descriptor, .rules = "E7",
	    .required = "unit applicant original_end_ms new_end_ms reason",
	    .summary = "unit applicant", .added = "applied",
	    .start = "pending", .open = "pending", .check = extension_check,
	    .actions = decide_acts, .nactions = N(decide_acts) },
	{ .rec = RECORD_HOTWORK, .d = &deskd__hot_work_permit__descriptor,
	    .rules = "E7",
	    .required = "unit location work worker fire_watch from_ms to_ms",
	    .summary = "unit location worker", .added = "applied",
	    .start = "pending", .open = "pending approved",
	    .check = window_check,
	    .actions = hotwork_acts, .nactions = N(hotwork_acts) },
	{ .rec = RECORD_CONSTRUCTION,
	    .d = &deskd__construction_permit__descriptor, .rules = "E7",
	    .required = "unit company contact scope from_ms to_ms",
	    .summary = "unit company", .added = "applied", .start = "pending",
	    .open = "pending approved", .check = window_check,
	    .actions = construction_acts, .nactions = N(construction_acts) },
	{ .rec = RECORD_CLEANING, .d = &deskd__cleaning_order__descriptor,
	    .rules = "E7", .required = "unit requester service",
	    .summary = "unit service", .added = "ordered", .start = "open",
	    .open = "open", .check = cleaning_check,
	    .actions = cleaning_acts, .nactions = N(cleaning_acts) },
	{ .rec = RECORD_NOTE, .d = &deskd__message_note__descriptor,
	    .rules = "E7", .required = "recipient left_by text",
	    .summary = "recipient unit", .added = "left", .start = "left",
	    .open = "left delivered",
	    .actions = note_acts, .nactions = N(note_acts) },
	{ .rec = RECORD_SPECIAL, .d = &deskd__special_report__descriptor,
	    .rules = "E7", .required = "title text",
	    .summary = "title location", .added = "reported", .start = "open",
	    .open = "open",
	    .actions = special_acts, .nactions = N(special_acts) },
};

/* Each register a kind of record (import, export, the registers'
 * requests find it by name), made from its row when the areas are
 * registered (one thread, before serving). */
static const struct kind *
register_kind_at(size_t i)
{
	static struct kind kinds[N(defs)];
	const struct reg_def *def;

	if (i >= N(defs))
		return NULL;
	def = &defs[i];
	if (kinds[i].name == NULL)
		reg_kind_fill(&kinds[i], def);
	return &kinds[i];
}

/* The registers themselves; their requests are register.c's, one
 * generic path for all. */
const struct area registers_area = {
	.name = "registers",
	.kind_at = register_kind_at,
};
