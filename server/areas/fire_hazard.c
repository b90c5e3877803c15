/*
 * fire_hazard.c - G3: fire hazards (消防隐患), the register of them.  A
 * hazard is found (by a desk, a round's abnormal point, a failed test),
 * gets a rectification notice (整改通知书) with a number and a deadline
 * for the department responsible, is fixed by that department, and is
 * closed by a re-check of someone other than the fixer; a re-check that
 * finds it not fixed reopens it.
 *
 * The deadline is a clock of the hazard's severity (hazard.critical ...
 * hazard.low, fire_hazard_rules.c): its span is the default deadline, and
 * past the deadline it alerts the desk and escalates to the supervisor and
 * the director like every clock.  It is armed when the hazard is
 * registered, however it comes (the desk, hazard_open, an import), stopped
 * by the fix, and armed again by a reopen for the notice's deadline, which
 * a failed fix does not move: past it, the alert comes at once.
 */
#include <stdio.h>
#include <string.h>

#include "area.h"
#include "deadline.h"
#include "fire_hazard.h"
#include "fire_hazard_rules.h"
#include "refuse.h"

/* The whole notice is on the entry: its number, the department, the
 * deadline (the severity's span from now when the desk gave none). */
static Deskd__Status
hazard_check(struct reg_op *op)
{
	struct apply_ctx *ctx = op->ctx;
	const char *severity = reg_str(op->entry, "severity");
	int64_t deadline = reg_int(op->entry, "deadline_ms");
	char no[32];

	if (!*severity)
		reg_set_str(op->entry, "severity",
		    severity = HAZARD_SEVERITY_DEFAULT);
	if (hazard_clock(severity) == NULL)
		return ctx_fail(ctx, DESKD__STATUS__INVALID_ARGUMENT,
		    "severity: '%s' is not one of %s (G3)", severity,
		    HAZARD_SEVERITIES);
	/* An imported hazard may be long past its deadline; a desk's new
	 * notice may not. */
	if (deadline != 0 && deadline <= ctx->now_ms && ctx->import == NULL)
		return ctx_fail(ctx, DESKD__STATUS__INVALID_ARGUMENT,
		    "deadline_ms: the notice's deadline must be after now "
		    "(G3)");
	if (deadline == 0)
		reg_set_int(op->entry, "deadline_ms", clock_deadline(ctx,
		    hazard_clock(severity), ctx->now_ms));
	if (!*reg_str(op->entry, "department"))
		reg_set_str(op->entry, "department", HAZARD_DEPARTMENT_DEFAULT);
	if (!*reg_str(op->entry, "found_by"))
		reg_set_str(op->entry, "found_by", ctx->actor);
	/* register.c numbers the entry right after its checks: the next id
	 * of the kind is this hazard's. */
	hazard_notice_no(no, sizeof(no), ctx->now_ms,
	    store_last_id(ctx->txn, RECORD_HAZARD) + 1);
	reg_set_str(op->entry, "notice_no", ctx_strdup(ctx, no));
	return DESKD__STATUS__OK;
}

/* G3: the notice's deadline is a clock of the hazard's severity. */
static void
hazard_arm(struct reg_op *op)
{
	clock_arm(op->ctx, hazard_clock(reg_str(op->entry, "severity")),
	    RECORD_HAZARD, op->id, reg_int(op->entry, "deadline_ms"));
}

static void
hazard_fixed(struct reg_op *op)
{
	clock_stop(op->ctx, hazard_clock(reg_str(op->entry, "severity")),
	    RECORD_HAZARD, op->id);
}

/* G3: closed (or reopened) by a re-check of someone else than the one
 * who recorded the fix. */
static Deskd__Status
recheck_check(struct reg_op *op)
{
	const char *action = strcmp(reg_str(op->entry, "state"), "closed") ==
	    0 ? "close" : "reopen";

	return hazard_recheck_check(op->id, reg_str(op->old, "fixed_by"),
	    op->ctx->actor, action, op->ctx->msg, sizeof(op->ctx->msg));
}

static const struct reg_action hazard_acts[] = {
	{ "fix", "open", "fixed", "fixed", "fixed_ms", "fixed_by", NULL,
	    "fix_note", REG_NEED_TEXT, false, NULL, hazard_fixed },
	{ "close", "fixed", "closed", "closed", "closed_ms", "closed_by", NULL,
	    "recheck_note", 0, false, recheck_check, NULL },
	{ "reopen", "fixed", "open", "reopened", "reopened_ms", "reopened_by",
	    NULL, "reopen_note", REG_NEED_TEXT, false, recheck_check,
	    hazard_arm },
};

const struct reg_def hazard_def = {
	.rec = RECORD_HAZARD, .name = RC_("record", "hazard"),
	.d = &deskd__hazard__descriptor, .rules = "G3",
	.required = "location description",
	.summary = "notice_no severity location department",
	.added = "found", .start = "open", .open = "open fixed",
	.check = hazard_check, .effect = hazard_arm,
	.actions = hazard_acts, .nactions = nitems(hazard_acts),
};

/* The hazard hazard_open makes, in h. */
static void
hazard_made(struct apply_ctx *ctx, Deskd__Hazard *h, const char *location,
    const char *description, const char *source)
{
	deskd__hazard__init(h);
	h->location = (char *)location;
	h->description = (char *)description;
	h->origin = (char *)source;
	h->found_by = (char *)ctx->actor;
}

uint64_t
hazard_open(struct apply_ctx *ctx, const char *location,
    const char *description, const char *source)
{
	Deskd__Hazard h;
	ProtobufCMessage *out;

	hazard_made(ctx, &h, location, description, source);
	if (reg_add_made(ctx, &hazard_def, &h.base, &out) != DESKD__STATUS__OK)
		return 0;
	return (uint64_t)reg_int(out, "id");
}

Deskd__Status
hazard_open_check(struct apply_ctx *ctx, const char *location,
    const char *description, const char *source)
{
	Deskd__Hazard h;

	hazard_made(ctx, &h, location, description, source);
	return reg_add_made_check(ctx, &hazard_def, &h.base);
}

/* G3: a notice not rectified by its deadline alerts the desk, then the
 * supervisor and the director; the span is the deadline a hazard of that
 * severity gets when the desk names none. */
static const struct clock_rule hazard_clocks[] = {
	{ CLOCK_HAZARD_CRITICAL, "G3", R_("a critical fire hazard is not "
	    "rectified by its notice's deadline: chase the department "
	    "(desk hazard show)"),
	    .span_ms = CLOCK_HOURS(24) },
	{ CLOCK_HAZARD_HIGH, "G3", R_("a fire hazard (high) is not "
	    "rectified by its notice's deadline: chase the department "
	    "(desk hazard show)"),
	    .span_ms = CLOCK_DAYS(3) },
	{ CLOCK_HAZARD_MEDIUM, "G3", R_("a fire hazard is not "
	    "rectified by its notice's deadline: chase the department "
	    "(desk hazard show)"),
	    .span_ms = CLOCK_DAYS(7) },
	{ CLOCK_HAZARD_LOW, "G3", R_("a fire hazard (low) is not "
	    "rectified by its notice's deadline: chase the department "
	    "(desk hazard show)"),
	    .span_ms = CLOCK_DAYS(30) },
};

/* The hazards' clocks only: their kind is the fire area's (fire.c). */
const struct area fire_hazard_area = {
	.name = "fire_hazard",
	.clocks = hazard_clocks,
	.nclocks = nitems(hazard_clocks),
};
