/*
 * duty.c - changes to duty through storage (A3, A5, A7, A8): a
 * request, the supervisor's decision, withdrawing it, and the return from
 * a leave of the post.  An approved swap or leave publishes the month's
 * next schedule version through schedule_publish_assignments, the path
 * `desk schedule publish` takes, in the same transaction; an approved
 * stand-in covers its hours only (A8), the slot stays its holder's.  The rules
 * are duty_rules.c's; every handler checks everything before its first write.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "area.h"
#include "deadline.h"
#include "config.h"
#include "ctx.h"
#include "refuse.h"
#include "duty_rules.h"
#include "reply.h"
#include "schedule.h"

static const struct kind duty_kind;

#define K(x)	DESKD__DUTY_KIND__DUTY_##x
#define S(x)	DESKD__DUTY_STATUS__DUTY_##x
#define A(x)	DESKD__DUTY_ACTION__DUTY_##x

/* Who takes whose slot when the request is approved; at most two moves. */
struct duty_moves {
	uint32_t	 month;
	size_t		 n;
	size_t		 index[2];	/* into the published assignments */
	const char	*to[2];
};

/* A named user who can log in (A3: the change is to someone on duty). */
static Deskd__Status
check_user(struct apply_ctx *ctx, const char *field, const char *name)
{
	Deskd__User *u = user_get(ctx->txn, name);
	bool ok = u != NULL && !u->disabled;

	if (u != NULL)
		deskd__user__free_unpacked(u, NULL);
	if (!ok)
		return ctx_fail(ctx, DESKD__STATUS__INVALID_ARGUMENT, "%s: no "
		    "such user '%s', or disabled", field, name);
	return DESKD__STATUS__OK;
}

/* The published assignment of `user` on a day's shift, by position. */
static Deskd__Status
find_slot(struct apply_ctx *ctx, const Deskd__Schedule *s, uint32_t date,
    const char *shift, const char *user, size_t *index)
{
	int si = shift_index(shift_conf_of(ctx->cfg), shift);

	if (si < 0)
		return ctx_fail(ctx, DESKD__STATUS__INVALID_ARGUMENT, "shift: "
		    "no shift '%s' in [shifts]", shift);
	for (size_t i = 0; s != NULL && i < s->n_assignments; i++)
		if (s->assignments[i]->day == date % 100 &&
		    s->assignments[i]->shift == (uint32_t)si &&
		    strcmp(s->assignments[i]->user, user) == 0) {
			*index = i;
			return DESKD__STATUS__OK;
		}
	return ctx_fail(ctx, DESKD__STATUS__CONFLICT, "%s is not on the %s "
	    "shift of %04u-%02u-%02u in the published schedule", user, shift,
	    date / 10000, date / 100 % 100, date % 100);
}

static Deskd__DutyRequest **
duty_requests_all(struct apply_ctx *ctx, size_t *n)
{
	return (Deskd__DutyRequest **)ctx_records(ctx, DB_DUTY,
	    &deskd__duty_request__descriptor, n);
}

/* A8: the stand-ins asked and approved so far allow this one. */
static Deskd__Status
check_standins(struct apply_ctx *ctx, const Deskd__DutyRequest *d)
{
	Deskd__DutyRequest **all;
	size_t n;

	all = duty_requests_all(ctx, &n);
	return duty_check_standins(d, all, n, ctx->msg, sizeof(ctx->msg));
}

/* The latest published version of a month, owned by the context. */
static Deskd__Schedule *
published(struct apply_ctx *ctx, uint32_t month)
{
	uint32_t v = schedule_latest(ctx->txn, month);
	Deskd__Schedule *s = v ? schedule_get(ctx->txn, month, v) : NULL;

	ctx_own_msg(ctx, s);
	return s;
}

/*
 * What approving the request would change, against the schedule as
 * published now (it may have changed since the request was made): swap,
 * the two people exchange their shifts; leave, the cover takes the
 * requester's shift; stand-in, the requester takes the shift of the one
 * stood in for.
 */
static Deskd__Status
plan_moves(struct apply_ctx *ctx, const Deskd__DutyRequest *d,
    const char *cover, struct duty_moves *mv, Deskd__Schedule **out)
{
	Deskd__Schedule *s;
	Deskd__Status st;

	memset(mv, 0, sizeof(*mv));
	mv->month = d->date / 100;
	if ((s = *out = published(ctx, mv->month)) == NULL)
		return ctx_fail(ctx, DESKD__STATUS__CONFLICT, "%04u-%02u has "
		    "no published schedule to change", mv->month / 100,
		    mv->month % 100);
	switch (d->kind) {
	case K(SWAP):
		if ((st = find_slot(ctx, s, d->date, d->shift, d->requester,
		    &mv->index[0])) != DESKD__STATUS__OK ||
		    (st = find_slot(ctx, s, d->other_date, d->other_shift,
		    d->other, &mv->index[1])) != DESKD__STATUS__OK)
			return st;
		mv->to[0] = d->other;
		mv->to[1] = d->requester;
		mv->n = 2;
		break;
	case K(LEAVE):
		if ((st = find_slot(ctx, s, d->date, d->shift, d->requester,
		    &mv->index[0])) != DESKD__STATUS__OK)
			return st;
		mv->to[0] = cover && *cover ? cover : d->other;
		mv->n = 1;
		break;
	default:
		if ((st = find_slot(ctx, s, d->date, d->shift, d->other,
		    &mv->index[0])) != DESKD__STATUS__OK)
			return st;
		mv->to[0] = d->requester;
		mv->n = 1;
		break;
	}
	return DESKD__STATUS__OK;
}

/* The published assignments with the moves made, owned by the context. */
static Deskd__Assignment **
moved(struct apply_ctx *ctx, const Deskd__Schedule *s,
    const struct duty_moves *mv)
{
	Deskd__Assignment **a = ctx_calloc(ctx, s->n_assignments,
	    sizeof(*a));

	memcpy(a, s->assignments, s->n_assignments * sizeof(*a));
	for (size_t i = 0; i < mv->n; i++) {
		Deskd__Assignment *x = ctx_new(ctx,
		    &deskd__assignment__descriptor);

		*x = *a[mv->index[i]];
		x->user = (char *)mv->to[i];
		a[mv->index[i]] = x;
	}
	return a;
}

static void
fmt_date(char *out, size_t len, uint32_t date)
{
	snprintf(out, len, "%04u-%02u-%02u", date / 10000, date / 100 % 100,
	    date % 100);
}

/* The verbs of the duty events, words of the desk's catalog. */
static const char *const duty_verbs[] = { R_("requested"), R_("approved"),
    R_("rejected"), R_("withdrawn"), R_("returned"), R_("accepted"),
    R_("declined"), R_("noted") };

static void
summary(struct apply_ctx *ctx, char *out, size_t len,
    const Deskd__DutyRequest *d, const char *verb)
{
	const char *what = said_word(duty_verbs, nitems(duty_verbs), verb);
	char a[16], b[16];

	fmt_date(a, sizeof(a), d->date);
	fmt_date(b, sizeof(b), d->other_date);
	switch (d->kind) {
	case K(SWAP):
		ctx_summary(ctx, out, len, "%-s: swap %s %s %s <-> %s %s %s",
		    what, d->requester, a, d->shift, d->other, b,
		    d->other_shift);
		break;
	case K(LEAVE):
		if (*d->other)
			ctx_summary(ctx, out, len, "%-s: leave of %s, %s %s, "
			    "cover %s", what, d->requester, a, d->shift,
			    d->other);
		else
			ctx_summary(ctx, out, len, "%-s: leave of %s, %s %s, "
			    "cover to name", what, d->requester, a, d->shift);
		break;
	case K(STANDIN):
		ctx_summary(ctx, out, len, "%-s: %s stands in for %s, %s %s",
		    what, d->requester, d->other, a, d->shift);
		break;
	default:
		ctx_summary(ctx, out, len, "%-s: %s leaves the post", what,
		    d->requester);
		break;
	}
}

static void
duty_event(struct apply_ctx *ctx, const char *type, Deskd__DutyRequest *d,
    const char *what, const char *text)
{
	char line[384];

	summary(ctx, line, sizeof(line), d, what);
	ctx_event_msg(ctx, type, RECORD_DUTY, d->id, NULL, line, text,
	    &d->base);
}

static Deskd__Status
duty_new_apply(struct apply_ctx *ctx, const Deskd__Request *req)
{
	const Deskd__DutyNew *n = req->duty_new;
	Deskd__DutyRequest *d;
	Deskd__Schedule *s;
	struct duty_moves mv;
	Deskd__Status st;
	int shift;
	int64_t end_ms;

	if ((st = duty_check_new(n, ctx->actor, ctx->now_ms, ctx->msg,
	    sizeof(ctx->msg))) != DESKD__STATUS__OK)
		return st;
	if (*n->other && (st = check_user(ctx, "other", n->other)) !=
	    DESKD__STATUS__OK)
		return st;
	d = ctx_new(ctx, &deskd__duty_request__descriptor);
	d->kind = n->kind;
	d->requester = (char *)ctx->actor;
	d->other = n->other;
	d->reason = n->reason;
	d->status = S(PENDING);
	d->from_ms = n->kind == K(LEAVE_POST) ? ctx->now_ms : n->from_ms;
	d->to_ms = n->to_ms;
	if (n->kind == K(STANDIN)) {
		/* A8: within one shift of the person stood in for. */
		if (duty_shift_at(shift_conf_of(ctx->cfg), n->from_ms, &d->date,
		    &shift, &end_ms) != 0)
			return ctx_fail(ctx, DESKD__STATUS__INVALID_ARGUMENT,
			    "from_ms: in no shift of [shifts]");
		if (n->to_ms > end_ms)
			return ctx_fail(ctx, DESKD__STATUS__INVALID_ARGUMENT,
			    "to_ms: a stand-in stays within one shift");
		d->shift = (char *)shift_conf_of(ctx->cfg)->shifts[shift].name;
	} else if (n->kind != K(LEAVE_POST)) {
		d->date = duty_date_parse(n->date);
		d->shift = n->shift;
	}
	if (n->kind == K(SWAP)) {
		d->other_date = duty_date_parse(n->other_date);
		d->other_shift = n->other_shift;
		if (d->other_date / 100 != d->date / 100)
			return ctx_fail(ctx, DESKD__STATUS__INVALID_ARGUMENT,
			    "other_date: a swap stays within one month's "
			    "schedule");
	}
	/* A3: asked in advance, and the shifts must be on the schedule now
	 * (the stand-in's: the person stood in for holds it); approval looks
	 * again.  A8: within 4 hours a person and shift, and not twice. */
	if ((st = duty_check_ahead(shift_conf_of(ctx->cfg), d, ctx->now_ms,
	    ctx->msg, sizeof(ctx->msg))) != DESKD__STATUS__OK)
		return st;
	if ((duty_changes_schedule(n->kind) || n->kind == K(STANDIN)) &&
	    (st = plan_moves(ctx, d, NULL, &mv, &s)) != DESKD__STATUS__OK)
		return st;
	if (n->kind == K(STANDIN) && (st = check_standins(ctx, d)) !=
	    DESKD__STATUS__OK)
		return st;
	d->id = store_next_id(ctx->txn, RECORD_DUTY);
	d->created_ms = d->updated_ms = ctx->now_ms;
	d->revision = 1;
	kind_put(ctx, &duty_kind, &d->base);
	duty_event(ctx, "duty.requested", d, "requested", n->reason);
	return reply_with(ctx, DESKD__RESPONSE__BODY_DUTY_REQUEST, d);
}

/* A3, A5: the approval publishes the changed schedule; `d` records the
 * version. */
static Deskd__Status
approve(struct apply_ctx *ctx, Deskd__DutyRequest *d, const char *cover)
{
	Deskd__Schedule *s;
	struct duty_moves mv;
	Deskd__Status st;

	if (*cover && (st = check_user(ctx, "cover", cover)) !=
	    DESKD__STATUS__OK)
		return st;
	if (*cover)
		d->other = (char *)cover;
	/* A7: an alert if the person is not back by the time approved. */
	if (d->kind == K(LEAVE_POST)) {
		clock_arm(ctx, CLOCK_DUTY_LEAVE_POST, RECORD_DUTY, d->id,
		    d->to_ms);
		return DESKD__STATUS__OK;
	}
	if (d->kind == K(STANDIN) && ((st = plan_moves(ctx, d, cover, &mv,
	    &s)) != DESKD__STATUS__OK || (st = check_standins(ctx, d)) !=
	    DESKD__STATUS__OK))
		return st;
	if (!duty_changes_schedule(d->kind))
		return DESKD__STATUS__OK;
	if ((st = plan_moves(ctx, d, cover, &mv, &s)) != DESKD__STATUS__OK)
		return st;
	/* A5: the draft was copied before this change; publishing it later
	 * would quietly undo the approval. */
	{
		Deskd__Schedule *draft = schedule_get(ctx->txn, mv.month, 0);

		if (draft != NULL) {
			deskd__schedule__free_unpacked(draft, NULL);
			return ctx_fail(ctx, DESKD__STATUS__CONFLICT, "%u has "
			    "an open schedule draft: publish it before "
			    "approving (it would undo this change)", mv.month);
		}
	}
	return schedule_publish_assignments(ctx, mv.month, moved(ctx, s, &mv),
	    s->n_assignments, d, NULL, NULL, &d->version);
}

static Deskd__Status
duty_step_apply(struct apply_ctx *ctx, const Deskd__Request *req)
{
	const Deskd__DutyStep *s = req->duty_step;
	Deskd__DutyRequest *old, *d;
	Deskd__Status st;

	if ((old = duty_get(ctx->txn, s->id)) == NULL)
		return ctx_fail(ctx, DESKD__STATUS__NOT_FOUND, "no duty "
		    "request %" PRIu64, s->id);
	ctx_own_msg(ctx, old);
	if ((st = duty_check_step(old, s, ctx->actor, perm_allows(ctx->role,
	    OP_SCHEDULE_WRITE), ctx->msg, sizeof(ctx->msg))) !=
	    DESKD__STATUS__OK)
		return st;
	/* A3: what is over is not changed by agreeing to it afterwards. */
	if ((s->action == A(APPROVE) || s->action == A(ACCEPT)) &&
	    (st = duty_check_ahead(shift_conf_of(ctx->cfg), old, ctx->now_ms,
	    ctx->msg, sizeof(ctx->msg))) != DESKD__STATUS__OK)
		return st;
	d = ctx_new(ctx, &deskd__duty_request__descriptor);
	*d = *old;
	d->updated_ms = ctx->now_ms;
	d->revision++;
	switch (s->action) {
	case A(ACCEPT):
		d->accepted_ms = ctx->now_ms;
		break;
	case A(DECLINE):
		d->status = S(DECLINED);
		break;
	case A(APPROVE):
		/* Publishing writes only once everything is checked. */
		if ((st = approve(ctx, d, s->cover)) != DESKD__STATUS__OK)
			return st;
		/* FALLTHROUGH */
	case A(REJECT):
		d->status = s->action == A(APPROVE) ? S(APPROVED) : S(REJECTED);
		d->decided_by = (char *)ctx->actor;
		d->decided_ms = ctx->now_ms;
		d->note = s->text;
		break;
	case A(WITHDRAW):
		d->status = S(WITHDRAWN);
		break;
	default:
		d->status = S(RETURNED);
		d->back_ms = ctx->now_ms;
		clock_stop(ctx, CLOCK_DUTY_LEAVE_POST, RECORD_DUTY, d->id);
		break;
	}
	kind_put(ctx, &duty_kind, &d->base);
	duty_event(ctx, duty_event_type(s->action), d,
	    duty_event_type(s->action) + strlen("duty."), s->text);
	return reply_with(ctx, DESKD__RESPONSE__BODY_DUTY_REQUEST, d);
}

/* Open while it waits for the supervisor, and a leave from the post
 * until the person is back (A7). */
static bool
duty_open(const ProtobufCMessage *m)
{
	const Deskd__DutyRequest *d = (const Deskd__DutyRequest *)m;

	return d->status == DESKD__DUTY_STATUS__DUTY_PENDING ||
	    (d->kind == DESKD__DUTY_KIND__DUTY_LEAVE_POST &&
	    d->status == DESKD__DUTY_STATUS__DUTY_APPROVED);
}

static const struct kind duty_kind = {
	.name = "duty", .rec = RECORD_DUTY,
	.d = &deskd__duty_request__descriptor, .db = DB_DUTY,
	.prefix = -1, .write = OP_SCHEDULE_READ, .read = OP_SCHEDULE_READ,
	.export = OP_SCHEDULE_READ,
	.one = DESKD__RESPONSE__BODY_DUTY_REQUEST,
	.open = DB_DUTY_OPEN, .page = DESKD__RESPONSE__BODY_DUTY_LIST,
	.is_open = duty_open, .history = HISTORY_SOME
};

static const struct kind *const duty_kinds[] = {
	&duty_kind, NULL
};

static const struct request_row duty_requests[] = {
	/* A3: everyone on duty asks; the step checks who decides. */
	{ REQUEST(DUTY_NEW, "request"), .op = OP_SCHEDULE_READ,
	    .apply = duty_new_apply },
	{ REQUEST(DUTY_STEP, "request step"), .op = OP_SCHEDULE_READ,
	    .apply = duty_step_apply },
	{ REQUEST(DUTY_GET, "request show"), .op = OP_SCHEDULE_READ,
	    .apply = kind_get_apply, .kind = &duty_kind },
	{ REQUEST(DUTY_LIST, "request list"), .op = OP_SCHEDULE_READ,
	    .apply = kind_list_apply, .kind = &duty_kind },
	{ REQUEST(DUTY_HISTORY, "request history"),
	    .op = OP_SCHEDULE_READ, .apply = kind_history_apply,
	    .kind = &duty_kind },
};

/* A7: the direct superior approved the leave, so is told first; the
 * deadline is the approved return time (the span only configures). */
static const struct clock_rule duty_clocks[] = {
	{ CLOCK_DUTY_LEAVE_POST, "A7", R_("away from the post past the approved "
	    "return time: find out where they are"), CLOCK_HOURS(1),
	    .role = "supervisor" },
};

const struct area duty_area = {
	.name = "duty",
	.requests = duty_requests,
	.nrequests = nitems(duty_requests),
	.clocks = duty_clocks,
	.nclocks = nitems(duty_clocks),
	.kinds = duty_kinds,
};
