/*
 * schedule.c - shift schedules through storage (A2, A5, A6): a
 * month's draft, setting and importing assignments, publishing a new
 * version, and the reads.  The rules are shift_rules.c's; every handler checks
 * everything before its first write.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "area.h"
#include "attendance_rules.h"
#include "config.h"
#include "ctx.h"
#include "attendance.h"
#include "duty_rules.h"
#include "refuse.h"
#include "reply.h"
#include "schedule.h"
#include "shift_rules.h"
#include "training.h"

#define ST(x)	DESKD__SCHEDULE_STATE__SCHEDULE_##x

static const struct shift_conf *
conf(struct apply_ctx *ctx)
{
	return shift_conf_of(ctx->cfg);
}

static Deskd__Status
check_month(struct apply_ctx *ctx, uint32_t month)
{
	if (shift_month_days(month) == 0)
		return ctx_fail(ctx, DESKD__STATUS__INVALID_ARGUMENT,
		    "month: %u is not a month (YYYYMM, e.g. 202612)", month);
	return DESKD__STATUS__OK;
}

/* A fresh schedule message with the configured shift and post names. */
static Deskd__Schedule *
schedule_new(struct apply_ctx *ctx, uint32_t month, uint32_t version)
{
	const struct shift_conf *c = conf(ctx);
	Deskd__Schedule *s = ctx_new(ctx, &deskd__schedule__descriptor);

	s->month = month;
	s->version = version;
	s->n_shifts = c->nshifts;
	s->shifts = ctx_calloc(ctx, c->nshifts, sizeof(char *));
	s->n_posts = c->nposts;
	s->posts = ctx_calloc(ctx, c->nposts, sizeof(char *));
	for (size_t i = 0; i < c->nshifts; i++)
		s->shifts[i] = (char *)c->shifts[i].label;
	for (size_t i = 0; i < c->nposts; i++)
		s->posts[i] = (char *)c->posts[i];
	s->updated_ms = ctx->now_ms;
	s->updated_by = (char *)ctx->actor;
	return s;
}

/* A stored version, owned by the context; NULL when there is none. */
static Deskd__Schedule *
load(struct apply_ctx *ctx, uint32_t month, uint32_t version)
{
	Deskd__Schedule *s = schedule_get(ctx->txn, month, version);

	ctx_own_msg(ctx, s);
	return s;
}

/* The same schedule without its assignments, for summaries. */
static Deskd__Schedule *
bare(struct apply_ctx *ctx, const Deskd__Schedule *s)
{
	Deskd__Schedule *b = ctx_new(ctx, &deskd__schedule__descriptor);

	*b = *s;
	b->count = (uint32_t)s->n_assignments;
	b->n_assignments = 0;
	b->assignments = NULL;
	return b;
}

/* What changed, as the context's (the assignments stay where they are). */
static Deskd__ScheduleChange *
change_new(struct apply_ctx *ctx, const Deskd__Schedule *old,
    const Deskd__Schedule *new, const char *only)
{
	Deskd__ScheduleChange *ch;
	Deskd__PersonChange **list;
	size_t n, keep = 0;

	if (sched_diff(old ? old->assignments : NULL, old ?
	    old->n_assignments : 0, new->assignments, new->n_assignments,
	    &list, &n) != 0)
		return NULL;
	ch = ctx_new(ctx, &deskd__schedule_change__descriptor);
	ctx_own_mem(ctx, list);
	for (size_t i = 0; i < n; i++) {
		ctx_own_mem(ctx, list[i]);
		ctx_own_mem(ctx, list[i]->added);
		ctx_own_mem(ctx, list[i]->removed);
		/* A2: a person's own view shows only their changes. */
		if (only == NULL || strcmp(list[i]->user, only) == 0)
			list[keep++] = list[i];
	}
	ch->month = new->month;
	ch->version = new->version;
	ch->previous = old ? old->version : 0;
	ch->n_shifts = new->n_shifts;
	ch->shifts = new->shifts;
	ch->n_posts = new->n_posts;
	ch->posts = new->posts;
	ch->n_changes = keep;
	ch->changes = list;
	return ch;
}

static Deskd__ScheduleReply *
reply_new(struct apply_ctx *ctx, Deskd__Schedule *s, Deskd__ScheduleChange *ch)
{
	Deskd__ScheduleReply *r = ctx_new(ctx,
	    &deskd__schedule_reply__descriptor);

	r->schedule = s;
	r->change = ch;
	return r;
}

/* A problem's code and values as the reply carries them (PROTOCOL.md
 * 10.8): a desk says it in its user's language. */
static void
problem_said(struct apply_ctx *ctx, Deskd__ScheduleProblem *q,
    const struct sched_problem_entry *e)
{
	const char *a = e->args;

	if (e->code == NULL)
		return;
	q->code = (char *)e->code;
	q->args = ctx_calloc(ctx, (size_t)e->nargs + 1, sizeof(*q->args));
	for (int i = 0; i < e->nargs; i++, a += strlen(a) + 1)
		q->args[q->n_args++] = ctx_strdup(ctx, a);
}

/* Refuse with every problem: in the message (cut to fit) and, whole up
 * to SCHED_PROBLEMS_MAX, in the body. */
static Deskd__Status
refuse(struct apply_ctx *ctx, struct sched_problems *p, const char *what)
{
	Deskd__ScheduleReply *r = reply_new(ctx, NULL, NULL);

	sched_problems_text(p, what, ctx->msg, sizeof(ctx->msg));
	r->problems = ctx_calloc(ctx, p->kept, sizeof(*r->problems));
	for (size_t i = 0; i < p->kept; i++) {
		Deskd__ScheduleProblem *q = ctx_new(ctx,
		    &deskd__schedule_problem__descriptor);

		q->index = p->v[i].index;
		q->text = ctx_strdup(ctx, p->v[i].text);
		problem_said(ctx, q, &p->v[i]);
		r->problems[r->n_problems++] = q;
	}
	sched_problems_free(p);
	reply_with(ctx, DESKD__RESPONSE__BODY_SCHEDULE, r);
	return DESKD__STATUS__CONFLICT;
}

/* Every named person must be a user who can log in (A2: handed to every
 * person on duty).  Rows of one person are often together: look each name
 * up once in a row. */
static void
check_users(struct apply_ctx *ctx, Deskd__Assignment *const *a, size_t n,
    struct sched_problems *p)
{
	const char *last = NULL;
	bool last_ok = true;

	for (size_t i = 0; i < n; i++) {
		Deskd__User *u;

		if (*a[i]->user == '\0')
			continue;
		if (last == NULL || strcmp(last, a[i]->user) != 0) {
			u = user_get(ctx->txn, a[i]->user);
			last_ok = u != NULL && !u->disabled;
			if (u != NULL)
				deskd__user__free_unpacked(u, NULL);
			last = a[i]->user;
		}
		if (!last_ok)
			sched_problem(p, (int)i, "user '%s': no such user, or "
			    "disabled", a[i]->user);
	}
}

/*
 * C9, H4: the event carries the version as stored after it (and the one it
 * superseded, and the draft's removal), so verify proves the stored
 * schedules against the log; `ch`, the change, stays the reply's.
 */
static void
event(struct apply_ctx *ctx, const char *type, Deskd__Schedule *s,
    const Deskd__ScheduleChange *ch, Deskd__Schedule *superseded,
    bool draft_removed, const char *summary)
{
	Deskd__ScheduleChange *carried = ctx_new(ctx,
	    &deskd__schedule_change__descriptor);
	char record[32];

	if (ch != NULL)
		*carried = *ch;
	else {
		carried->month = s->month;
		carried->version = s->version;
	}
	carried->schedule = s;
	carried->superseded = superseded;
	carried->draft_removed = draft_removed;
	snprintf(record, sizeof(record), "schedule:%04u-%02u", s->month / 100,
	    s->month % 100);
	ctx_event_msg(ctx, type, 0, 0, record, summary, NULL, &carried->base);
}

/* What a change does: people affected, assignments added and removed. */
struct tally {
	size_t	people, added, removed;
};

static struct tally
tally_of(const Deskd__ScheduleChange *ch)
{
	struct tally t = { ch ? ch->n_changes : 0, 0, 0 };

	for (size_t i = 0; ch != NULL && i < ch->n_changes; i++) {
		t.added += ch->changes[i]->n_added;
		t.removed += ch->changes[i]->n_removed;
	}
	return t;
}

/* A draft's or a set's summary: `what` is a word of the desk's catalog. */
static void
summary_of(struct apply_ctx *ctx, char *out, size_t len,
    const Deskd__Schedule *s, const Deskd__ScheduleChange *ch,
    const char *what)
{
	struct tally t = tally_of(ch);

	ctx_summary(ctx, out, len, "%04u-%02u %-s: %zu assignments, %zu people "
	    "affected (+%zu -%zu)", s->month / 100, s->month % 100, what,
	    s->n_assignments, t.people, t.added, t.removed);
}

/* A publication's summary, one template for each thing it may say (the
 * duty request that made it, a correction, an untrained override). */
static void
published_summary(struct apply_ctx *ctx, char *out, size_t len,
    const Deskd__Schedule *p, const Deskd__ScheduleChange *ch,
    const Deskd__DutyRequest *duty)
{
	struct tally t = tally_of(ch);
	unsigned y = p->month / 100, m = p->month % 100;

	if (duty != NULL)
		ctx_summary(ctx, out, len, "%04u-%02u version %u published "
		    "(duty request %" PRIu64 ", %-s): %zu assignments, %zu "
		    "people affected (+%zu -%zu)", y, m, p->version, duty->id,
		    duty_kind_name(duty->kind), p->n_assignments, t.people,
		    t.added, t.removed);
	else if (p->corrected > 0 && p->n_untrained > 0)
		ctx_summary(ctx, out, len, "%04u-%02u version %u published, "
		    "correcting %u shifts that were over: %.200s, %zu on a post "
		    "untrained by override: %.120s (G5): %zu assignments, %zu "
		    "people affected (+%zu -%zu)", y, m, p->version,
		    p->corrected, p->correction, p->n_untrained,
		    p->untrained_override, p->n_assignments, t.people, t.added,
		    t.removed);
	else if (p->corrected > 0)
		ctx_summary(ctx, out, len, "%04u-%02u version %u published, "
		    "correcting %u shifts that were over: %.200s: %zu "
		    "assignments, %zu people affected (+%zu -%zu)", y, m,
		    p->version, p->corrected, p->correction, p->n_assignments,
		    t.people, t.added, t.removed);
	else if (p->n_untrained > 0)
		ctx_summary(ctx, out, len, "%04u-%02u version %u published, "
		    "%zu on a post untrained by override: %.120s (G5): %zu "
		    "assignments, %zu people affected (+%zu -%zu)", y, m,
		    p->version, p->n_untrained, p->untrained_override,
		    p->n_assignments, t.people, t.added, t.removed);
	else
		ctx_summary(ctx, out, len, "%04u-%02u version %u published: "
		    "%zu assignments, %zu people affected (+%zu -%zu)", y, m,
		    p->version, p->n_assignments, t.people, t.added,
		    t.removed);
}

static Deskd__Status
schedule_draft_apply(struct apply_ctx *ctx, const Deskd__Request *req)
{
	uint32_t month = req->schedule_draft->month, latest;
	Deskd__Schedule *from, *d;
	Deskd__Status st;
	char summary[256];

	if ((st = check_month(ctx, month)) != DESKD__STATUS__OK)
		return st;
	if ((d = load(ctx, month, 0)) != NULL)
		return ctx_fail(ctx, DESKD__STATUS__CONFLICT, "%04u-%02u "
		    "already has a draft (%zu assignments): set, import or "
		    "publish it", month / 100, month % 100, d->n_assignments);
	/* A5: a change starts from the version everyone has now. */
	latest = schedule_latest(ctx->txn, month);
	from = latest ? load(ctx, month, latest) : NULL;
	d = schedule_new(ctx, month, 0);
	d->state = ST(DRAFT);
	if (from != NULL) {
		d->n_assignments = from->n_assignments;
		d->assignments = from->assignments;
	}
	schedule_put(ctx->txn, d);
	summary_of(ctx, summary, sizeof(summary), d, NULL, latest ?
	    R_("draft from the published version") : R_("new draft"));
	event(ctx, "schedule.drafted", d, NULL, NULL, false, summary);
	return reply_with(ctx, DESKD__RESPONSE__BODY_SCHEDULE,
	    reply_new(ctx, bare(ctx, d), NULL));
}

static Deskd__Status
schedule_set_apply(struct apply_ctx *ctx, const Deskd__Request *req)
{
	const Deskd__ScheduleSet *ss = req->schedule_set;
	struct sched_problems p = { 0 };
	Deskd__Schedule *old, *d;
	Deskd__ScheduleChange *ch;
	Deskd__Assignment **slot;
	uint32_t latest;
	Deskd__Status st;
	size_t n = 0;
	char summary[256];

	if ((st = check_month(ctx, ss->month)) != DESKD__STATUS__OK)
		return st;
	sched_check_entries(conf(ctx), ss->month, ss->assignments,
	    ss->n_assignments, &p);
	check_users(ctx, ss->assignments, ss->n_assignments, &p);
	if (p.n > 0)
		return refuse(ctx, &p, ss->replace ? R_("nothing imported") :
		    R_("nothing set"));
	/* No draft yet: one starts from the published version (A5). */
	if ((old = load(ctx, ss->month, 0)) == NULL &&
	    (latest = schedule_latest(ctx->txn, ss->month)) != 0)
		old = load(ctx, ss->month, latest);
	if ((slot = calloc(SHIFT_SLOTS, sizeof(*slot))) == NULL)
		return ctx_fail(ctx, DESKD__STATUS__INTERNAL, "out of memory");
	for (size_t i = 0; old != NULL && !ss->replace &&
	    i < old->n_assignments; i++)
		slot[shift_slot(old->assignments[i])] = old->assignments[i];
	for (size_t i = 0; i < ss->n_assignments; i++)
		slot[shift_slot(ss->assignments[i])] = *ss->assignments[i]->user ?
		    ss->assignments[i] : NULL;
	d = schedule_new(ctx, ss->month, 0);
	d->state = ST(DRAFT);
	for (size_t i = 0; i < SHIFT_SLOTS; i++)
		if (slot[i] != NULL)
			slot[n++] = slot[i];
	d->n_assignments = n;
	d->assignments = slot;
	ctx_own_mem(ctx, slot);
	schedule_put(ctx->txn, d);
	ch = change_new(ctx, old, d, NULL);
	summary_of(ctx, summary, sizeof(summary), d, ch, ss->replace ?
	    R_("imported") : R_("set"));
	event(ctx, ss->replace ? "schedule.imported" : "schedule.set", d, ch,
	    NULL, false, summary);
	return reply_with(ctx, DESKD__RESPONSE__BODY_SCHEDULE,
	    reply_new(ctx, bare(ctx, d), NULL));
}

/*
 * G5: who was on the roster before this version (not new staff): the
 * month's published version it replaces, and the month before's latest,
 * so a team that worked last month is not new this month.
 */
static Deskd__Assignment **
roster_before(struct apply_ctx *ctx, uint32_t month, const Deskd__Schedule *old,
    size_t *n)
{
	uint32_t prev = month % 100 == 1 ? (month / 100 - 1) * 100 + 12 :
	    month - 1, latest = schedule_latest(ctx->txn, prev);
	const Deskd__Schedule *last = latest ? load(ctx, prev, latest) : NULL;
	size_t nold = old ? old->n_assignments : 0;
	size_t nlast = last ? last->n_assignments : 0;
	Deskd__Assignment **v = ctx_calloc(ctx, nold + nlast + 1, sizeof(*v));

	if (nold > 0)
		memcpy(v, old->assignments, nold * sizeof(*v));
	if (nlast > 0)
		memcpy(v + nold, last->assignments, nlast * sizeof(*v));
	*n = nold + nlast;
	return v;
}

/*
 * A5: publish these assignments as the month's next version: the checks of
 * A2 first (nothing is written when they fail), then the old version is
 * marked superseded, and schedule.published tells everyone affected.  The
 * one path for `desk schedule publish` and an approved change to duty
 * (A3, duty.c), in the caller's transaction; `duty`, the request that
 * made it, is named in the event's summary.  The reply body is the published schedule and its change.
 */
Deskd__Status
schedule_publish_assignments(struct apply_ctx *ctx, uint32_t month,
    Deskd__Assignment **a, size_t n, const Deskd__DutyRequest *duty,
    const char *correction,
    const char *untrained_override, uint32_t *version)
{
	struct sched_problems p = { 0 };
	Deskd__Schedule *old = NULL, *pub, *was = NULL;
	Deskd__ScheduleChange *ch;
	Deskd__Assignment **before;
	uint32_t latest;
	size_t *untrained, nuntrained, nbefore;
	bool draft;
	char summary[640];

	/* A2: complete, and nobody in two places at once; users may have
	 * been disabled since they were set. */
	sched_check_publish(conf(ctx), month, a, n, &p);
	check_users(ctx, a, n, &p);
	if (p.n > 0)
		return refuse(ctx, &p, R_("not published"));
	latest = schedule_latest(ctx->txn, month);
	if (latest != 0)
		old = load(ctx, month, latest);
	/* G5: someone new to the roster goes on a post only after passing
	 * fire training, or by an override that says why. */
	before = roster_before(ctx, month, old, &nbefore);
	nuntrained = training_untrained(ctx, a, n, before, nbefore,
	    &untrained);
	if (nuntrained > 0 && (untrained_override == NULL ||
	    *untrained_override == '\0')) {
		for (size_t i = 0; i < nuntrained; i++)
			sched_problem(&p, (int)untrained[i], "%s: no passed "
			    "fire training", a[untrained[i]]->user);
		return refuse(ctx, &p, R_("not published (G5: new staff "
		    "pass fire training first, or an override says why)"));
	}
	/* A1, A5: a shift that is over is what was worked and recorded; it
	 * changes only by a correction that says why. */
	if (old != NULL)
		att_check_past(conf(ctx), month, old->assignments,
		    old->n_assignments, a, n, ctx->now_ms, &p);
	if (p.n > 0 && (correction == NULL || *correction == '\0'))
		return refuse(ctx, &p, R_("not published: shifts that are "
		    "over change only by a correction with a reason (A1, "
		    "A5)"));
	pub = schedule_new(ctx, month, latest + 1);
	pub->state = ST(PUBLISHED);
	pub->n_assignments = n;
	pub->assignments = a;
	if (p.n > 0) {
		pub->correction = (char *)correction;
		pub->corrected = (uint32_t)p.n;
	}
	if (nuntrained > 0) {
		pub->untrained = ctx_calloc(ctx, nuntrained, sizeof(char *));
		for (size_t i = 0; i < nuntrained; i++)
			pub->untrained[pub->n_untrained++] =
			    a[untrained[i]]->user;
		pub->untrained_override = (char *)untrained_override;
	}
	sched_problems_free(&p);
	/* A5: the old version stays readable, marked superseded. */
	if (old != NULL) {
		was = ctx_new(ctx, &deskd__schedule__descriptor);
		*was = *old;
		was->state = ST(SUPERSEDED);
		was->superseded_ms = ctx->now_ms;
		schedule_put(ctx->txn, was);
	}
	schedule_put(ctx->txn, pub);
	/* A5: the draft it was made from is done with (an approved change
	 * to duty is refused while a draft is open). */
	draft = load(ctx, month, 0) != NULL;
	if (draft)
		schedule_del(ctx->txn, month, 0);
	/* A1, A4: the month's report deadline; a holiday's is met. */
	attendance_clocks(ctx, month);
	if ((ch = change_new(ctx, old, pub, NULL)) == NULL)
		return ctx_fail(ctx, DESKD__STATUS__INTERNAL, "out of memory");
	published_summary(ctx, summary, sizeof(summary), pub, ch, duty);
	event(ctx, "schedule.published", pub, ch, was, draft, summary);
	if (version != NULL)
		*version = pub->version;
	return reply_with(ctx, DESKD__RESPONSE__BODY_SCHEDULE,
	    reply_new(ctx, bare(ctx, pub), ch));
}

static Deskd__Status
schedule_publish_apply(struct apply_ctx *ctx, const Deskd__Request *req)
{
	uint32_t month = req->schedule_publish->month;
	Deskd__Schedule *d;
	Deskd__Status st;

	if ((st = check_month(ctx, month)) != DESKD__STATUS__OK)
		return st;
	if ((d = load(ctx, month, 0)) == NULL)
		return ctx_fail(ctx, DESKD__STATUS__NOT_FOUND, "no draft of "
		    "%04u-%02u (desk schedule draft --month %04u-%02u)",
		    month / 100, month % 100, month / 100, month % 100);
	return schedule_publish_assignments(ctx, month, d->assignments,
	    d->n_assignments, NULL, req->schedule_publish->correction,
	    req->schedule_publish->untrained_override, NULL);
}

/* A version to read: the draft, a number, or 0 for the latest published. */
static Deskd__Status
load_version(struct apply_ctx *ctx, uint32_t month, uint32_t version,
    bool draft, Deskd__Schedule **out)
{
	Deskd__Status st;

	if ((st = check_month(ctx, month)) != DESKD__STATUS__OK)
		return st;
	if (!draft && version == 0 &&
	    (version = schedule_latest(ctx->txn, month)) == 0)
		return ctx_fail(ctx, DESKD__STATUS__NOT_FOUND, "%04u-%02u has "
		    "no published schedule yet", month / 100, month % 100);
	if ((*out = load(ctx, month, draft ? 0 : version)) == NULL)
		return ctx_fail(ctx, DESKD__STATUS__NOT_FOUND, "%04u-%02u has "
		    "no %s%.0u", month / 100, month % 100, draft ? R_("draft") :
		    R_("version "), version);
	return DESKD__STATUS__OK;
}

static Deskd__Status
schedule_get_apply(struct apply_ctx *ctx, const Deskd__Request *req)
{
	const Deskd__ScheduleGet *g = req->schedule_get;
	Deskd__Schedule *s, *r;
	Deskd__Assignment **mine;
	Deskd__Status st;

	if ((st = load_version(ctx, g->month, g->version, g->draft, &s)) !=
	    DESKD__STATUS__OK)
		return st;
	r = s;
	/* A2: each person is handed their own shifts. */
	if (g->mine) {
		r = bare(ctx, s);
		if ((mine = calloc(s->n_assignments + 1, sizeof(*mine))) ==
		    NULL)
			return ctx_fail(ctx, DESKD__STATUS__INTERNAL,
			    "out of memory");
		ctx_own_mem(ctx, mine);
		for (size_t i = 0; i < s->n_assignments; i++)
			if (strcmp(s->assignments[i]->user, ctx->actor) == 0)
				mine[r->n_assignments++] = s->assignments[i];
		r->assignments = mine;
	}
	r->count = (uint32_t)s->n_assignments;
	return reply_with(ctx, DESKD__RESPONSE__BODY_SCHEDULE,
	    reply_new(ctx, r, NULL));
}

static Deskd__Status
schedule_diff_apply(struct apply_ctx *ctx, const Deskd__Request *req)
{
	const Deskd__ScheduleDiff *df = req->schedule_diff;
	Deskd__Schedule *a, *b;
	Deskd__ScheduleChange *ch;
	Deskd__Status st;

	if (df->v1 == 0 || df->v2 == 0)
		return ctx_fail(ctx, DESKD__STATUS__INVALID_ARGUMENT, "diff: "
		    "two published versions, from 1");
	if ((st = load_version(ctx, df->month, df->v1, false, &a)) !=
	    DESKD__STATUS__OK ||
	    (st = load_version(ctx, df->month, df->v2, false, &b)) !=
	    DESKD__STATUS__OK)
		return st;
	if ((ch = change_new(ctx, a, b, df->mine ? ctx->actor : NULL)) == NULL)
		return ctx_fail(ctx, DESKD__STATUS__INTERNAL, "out of memory");
	return reply_with(ctx, DESKD__RESPONSE__BODY_SCHEDULE,
	    reply_new(ctx, bare(ctx, b), ch));
}

static Deskd__Status
schedule_history_apply(struct apply_ctx *ctx, const Deskd__Request *req)
{
	uint32_t month = req->schedule_history->month;
	Deskd__ScheduleHistoryReply *r;
	Deskd__Schedule **list;
	Deskd__Status st;
	size_t n;

	if ((st = check_month(ctx, month)) != DESKD__STATUS__OK)
		return st;
	if (schedule_versions(ctx->txn, month, &list, &n) != STORE_OK)
		return ctx_fail(ctx, DESKD__STATUS__INTERNAL,
		    "cannot read the schedules");
	ctx_own_mem(ctx, list);
	r = ctx_new(ctx, &deskd__schedule_history_reply__descriptor);
	r->n_versions = n;
	r->versions = ctx_calloc(ctx, n, sizeof(*r->versions));
	/* Versions without their assignments: a month's history is short. */
	for (size_t i = 0; i < n; i++) {
		ctx_own_msg(ctx, list[i]);
		r->versions[i] = bare(ctx, list[i]);
	}
	return reply_with(ctx, DESKD__RESPONSE__BODY_SCHEDULE_HISTORY, r);
}

static const struct request_row schedule_requests[] = {
	{ REQUEST(SCHEDULE_DRAFT, "schedule draft"), .op = OP_SCHEDULE_WRITE,
	    .apply = schedule_draft_apply },
	{ REQUEST(SCHEDULE_SET, "schedule set"), .op = OP_SCHEDULE_WRITE,
	    .apply = schedule_set_apply },
	{ REQUEST(SCHEDULE_PUBLISH, "schedule publish"),
	    .op = OP_SCHEDULE_WRITE, .apply = schedule_publish_apply },
	{ REQUEST(SCHEDULE_GET, "schedule show"), .op = OP_SCHEDULE_READ,
	    .apply = schedule_get_apply },
	{ REQUEST(SCHEDULE_DIFF, "schedule diff"), .op = OP_SCHEDULE_READ,
	    .apply = schedule_diff_apply },
	{ REQUEST(SCHEDULE_HISTORY, "schedule history"),
	    .op = OP_SCHEDULE_READ, .apply = schedule_history_apply },
};

/* Schedule labels and post names (A6); a month's schedule (A2) is set or
 * imported whole, 31 days x SHIFT_MAX shifts x POST_MAX posts. */
static const struct field_limit schedule_limits[] = {
	{ "shifts", 48 },
	{ "posts", 32 },
};
static const struct field_limit schedule_counts[] = {
	{ "assignments", 31 * SHIFT_MAX * POST_MAX },
};

static const struct config_section *const schedule_settings[] = {
	&shift_section,
};

const struct area schedule_area = {
	.name = "schedule",
	.requests = schedule_requests,
	.nrequests = nitems(schedule_requests),
	.settings = schedule_settings,
	.nsettings = nitems(schedule_settings),
	.limits = schedule_limits,
	.nlimits = nitems(schedule_limits),
	.counts = schedule_counts,
	.ncounts = nitems(schedule_counts),
};
