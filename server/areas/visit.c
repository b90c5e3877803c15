/*
 * visit.c - household visits (issue 15: F1, F4).  A visit (走访记录) is a
 * register entry: the household (a unit of the owner archive), when, who
 * visited, the topic, what the owner said and a follow-up, which keeps
 * the visit open until it is done.  Each month a supervisor draws the
 * month's visit list once (a visit-plan entry deskd makes, with its
 * seed): at least 5 % of the occupied households, those not visited for
 * the longest first (visit_rules.c).  The plan and the summary count the
 * month's visits against it; so do the area's lines of the compliance
 * ledger.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/rand.h>

#include "area.h"
#include "attendance_rules.h"
#include "dutylog_rules.h"
#include "refusal.h"
#include "register.h"
#include "shift_rules.h"
#include "reply.h"
#include "visit_rules.h"

/* Numbered here, not in storage's enum: stored in the keys, never reused
 * (38 and 39 are kept for this area too). */
#define RECORD_VISIT		((enum record_kind)36)
#define RECORD_VISIT_PLAN	((enum record_kind)37)

/* The summary lists at most this many open follow-ups, the oldest. */
#define VISIT_OPEN_MAX		100

/* ---------- F1: a visit ---------- */

static Deskd__Status
visit_check(struct reg_op *op)
{
	struct apply_ctx *ctx = op->ctx;
	const char *unit = reg_str(op->entry, "unit");
	const char *topic = reg_str(op->entry, "topic");
	char when[32], topics[256] = "";
	int t;

	/* F1 counts the archive's households: a visit is to one of them,
	 * even before the archive is loaded (archive_unit_check lets other
	 * registers through then). */
	if (!unit_code_known(ctx->txn, unit))
		return ctx_fail(ctx, DESKD__STATUS__NOT_FOUND, "unit: no unit "
		    "'%s' in the archive: a visit is to a household of the "
		    "owner archive (F1; desk unit add)", unit);
	if (!*topic)
		topic = visit_topics[0].code;
	if ((t = visit_topic_find(topic)) < 0) {
		size_t near = visit_topic_nearest(topic);

		for (size_t i = 0; i < visit_ntopics; i++)
			snprintf(topics + strlen(topics), sizeof(topics) -
			    strlen(topics), "%s%s %s", i ? ", " : "",
			    visit_topics[i].code, visit_topics[i].name);
		return ctx_fail(ctx, DESKD__STATUS__INVALID_ARGUMENT, "topic: "
		    "'%s' is not a topic of visits (nearest: %s %s); one of: "
		    "%s", topic, visit_topics[near].code,
		    visit_topics[near].name, topics);
	}
	reg_set_str(op->entry, "topic", visit_topics[t].code);
	if (!*reg_str(op->entry, "visitor"))
		reg_set_str(op->entry, "visitor", ctx->actor);
	if (reg_int(op->entry, "visited_ms") == 0)
		reg_set_int(op->entry, "visited_ms", ctx->now_ms);
	if (reg_int(op->entry, "visited_ms") > ctx->now_ms) {
		att_time_text(when, sizeof(when), reg_int(op->entry,
		    "visited_ms"));
		return ctx_fail(ctx, DESKD__STATUS__INVALID_ARGUMENT, "visited: "
		    "%s has not come yet: a visit is recorded once it is made "
		    "(F1)", when);
	}
	/* A follow-up keeps the visit open until it is done (F4). */
	if (*reg_str(op->entry, "follow_up"))
		reg_set_str(op->entry, "state", "follow-up");
	return DESKD__STATUS__OK;
}

static const struct reg_action visit_actions[] = {
	{ "done", "follow-up", "done", "followed_up", "done_ms", "done_by",
	    NULL, "done_note", REG_NEED_TEXT, false, NULL, NULL },
};

static const struct reg_def visit_def = {
	.rec = RECORD_VISIT, .name = RC_("record", "visit"),
	.d = &deskd__visit__descriptor, .rules = "F1, F4",
	.required = "unit", .summary = "unit topic visitor",
	.added = "recorded", .start = "recorded", .open = "follow-up",
	.check = visit_check, .actions = visit_actions,
	.nactions = nitems(visit_actions),
};

/* ---------- F1: the month's list ---------- */

static const struct reg_def plan_def = {
	.rec = RECORD_VISIT_PLAN, .name = RC_("record", "visit-plan"),
	.d = &deskd__visit_plan__descriptor, .rules = "F1",
	.required = "", .summary = "month required occupied",
	.added = "drawn", .start = "drawn", .open = "",
	.made_by_deskd = true,
};

/* Month YYYYMM (0: this month) into *month, with its span; refused when
 * it has not begun. */
static Deskd__Status
visit_month(struct apply_ctx *ctx, uint32_t *month, int64_t *from,
    int64_t *to)
{
	uint32_t now = att_today(ctx->now_ms) / 100;
	uint32_t m = *month ? *month : now;
	int days = shift_month_days(m);

	*from = *to = 0;
	if (days == 0 || (*from = att_day_ms(m * 100 + 1)) < 0 ||
	    (*to = att_day_ms(att_day_add(m * 100 + (uint32_t)days, 1))) < 0)
		return ctx_fail(ctx, DESKD__STATUS__INVALID_ARGUMENT, "month: "
		    "%u is not a month (YYYYMM)", m);
	if (m > now)
		return ctx_fail(ctx, DESKD__STATUS__INVALID_ARGUMENT, "month: "
		    "%s has not begun (F1)", period_text(m).s);
	*month = m;
	return DESKD__STATUS__OK;
}

struct span {
	int64_t	from, to;
};

static bool
visited_in(const ProtobufCMessage *m, const void *arg)
{
	const struct span *s = arg;
	int64_t t = reg_int(m, "visited_ms");

	return t >= s->from && t < s->to;
}

static bool
is_month(const ProtobufCMessage *m, const void *arg)
{
	return (uint32_t)reg_int(m, "month") == *(const uint32_t *)arg;
}

static const Deskd__VisitPlan *
plan_of(struct apply_ctx *ctx, uint32_t month)
{
	ProtobufCMessage **found;
	size_t n;

	found = reg_all(ctx, &plan_def, false, is_month, &month, &n);
	return n > 0 ? (const Deskd__VisitPlan *)found[0] : NULL;
}

/* The occupied households (unit_occupied), their codes in code order. */
struct occupied {
	struct apply_ctx	*ctx;
	struct visit_cand	*cand;
	size_t			 n, cap;
};

static int
occupied_add(const Deskd__Unit *u, void *arg)
{
	struct occupied *o = arg;

	if (o->n == o->cap) {
		struct visit_cand *c;

		o->cap = o->cap ? o->cap * 2 : 256;
		c = ctx_calloc(o->ctx, o->cap, sizeof(*c));
		if (o->n > 0)
			memcpy(c, o->cand, o->n * sizeof(*c));
		o->cand = c;
	}
	o->cand[o->n].unit = ctx_strdup(o->ctx, u->code);
	o->cand[o->n++].last_day = 0;
	return 0;
}

static int
occupied_count(const Deskd__Unit *u, void *arg)
{
	(void)u;
	++*(size_t *)arg;
	return 0;
}

static int
cand_cmp(const void *key, const void *elem)
{
	return strcmp(key, ((const struct visit_cand *)elem)->unit);
}

/* The month's figures, as the plan, the summary and the ledger count
 * them. */
struct figures {
	uint32_t		 month;
	size_t			 occupied;	/* now */
	ProtobufCMessage	**visits;	/* of the month */
	size_t			 nvisits;
	const char		**units;	/* theirs, sorted */
	size_t			 households;	/* distinct */
	const Deskd__VisitPlan	*plan;		/* NULL: not drawn */
	size_t			 list_done;
};

static void
figures_of(struct apply_ctx *ctx, uint32_t month, int64_t from, int64_t to,
    struct figures *f)
{
	struct span s = { from, to };

	*f = (struct figures){ .month = month };
	unit_occupied(ctx->txn, occupied_count, &f->occupied);
	f->visits = reg_all(ctx, &visit_def, false, visited_in, &s,
	    &f->nvisits);
	f->units = ctx_calloc(ctx, f->nvisits + 1, sizeof(*f->units));
	for (size_t i = 0; i < f->nvisits; i++)
		f->units[i] = reg_str(f->visits[i], "unit");
	f->households = visit_distinct(f->units, f->nvisits);
	if ((f->plan = plan_of(ctx, month)) != NULL)
		f->list_done = visit_list_done(f->plan->units,
		    f->plan->n_units, f->units, f->nvisits);
}

/* The month's first visit to unit, or NULL. */
static const ProtobufCMessage *
first_visit(const struct figures *f, const char *unit)
{
	const ProtobufCMessage *best = NULL;

	for (size_t i = 0; i < f->nvisits; i++)
		if (strcmp(reg_str(f->visits[i], "unit"), unit) == 0 &&
		    (best == NULL || reg_int(f->visits[i], "visited_ms") <
		    reg_int(best, "visited_ms")))
			best = f->visits[i];
	return best;
}

static Deskd__Status
plan_reply(struct apply_ctx *ctx, const struct figures *f)
{
	Deskd__VisitPlanReply *r = ctx_new(ctx,
	    &deskd__visit_plan_reply__descriptor);
	const Deskd__VisitPlan *p = f->plan;

	r->month = f->month;
	r->occupied = (uint32_t)f->occupied;
	r->required = (uint32_t)visit_required(f->occupied);
	r->households = (uint32_t)f->households;
	if (p == NULL)
		return reply_with(ctx, DESKD__RESPONSE__BODY_VISIT_PLAN, r);
	r->drawn = true;
	r->seed = p->seed;
	r->drawn_by = p->created_by;
	r->drawn_ms = p->created_ms;
	r->occupied_at_draw = p->occupied;
	r->list_done = (uint32_t)f->list_done;
	r->units = ctx_calloc(ctx, p->n_units + 1, sizeof(*r->units));
	for (size_t i = 0; i < p->n_units; i++) {
		Deskd__VisitPlanUnit *u = ctx_new(ctx,
		    &deskd__visit_plan_unit__descriptor);
		const ProtobufCMessage *v = first_visit(f, p->units[i]);

		u->unit = p->units[i];
		u->last_day = i < p->n_last_days ? p->last_days[i] : 0;
		if (v != NULL) {
			u->visit = (uint64_t)reg_int(v, "id");
			u->visited_ms = reg_int(v, "visited_ms");
		}
		r->units[r->n_units++] = u;
	}
	return reply_with(ctx, DESKD__RESPONSE__BODY_VISIT_PLAN, r);
}

/* F1: each occupied household's last visit so far, by the day. */
static void
last_visits(struct apply_ctx *ctx, struct visit_cand *cand, size_t n)
{
	struct span s = { 0, ctx->now_ms + 1 };
	ProtobufCMessage **all;
	size_t nall;

	all = reg_all(ctx, &visit_def, false, visited_in, &s, &nall);
	for (size_t i = 0; i < nall; i++) {
		struct visit_cand *c = bsearch(reg_str(all[i], "unit"), cand,
		    n, sizeof(*cand), cand_cmp);
		uint32_t day = att_today(reg_int(all[i], "visited_ms"));

		if (c != NULL && day > c->last_day)
			c->last_day = day;
	}
}

/* F1: a supervisor draws the month's list once, from a seed deskd
 * records; the list stays as drawn. */
static Deskd__Status
visit_draw_apply(struct apply_ctx *ctx, const Deskd__Request *req)
{
	Deskd__VisitPlan plan = DESKD__VISIT_PLAN__INIT;
	struct occupied o = { .ctx = ctx };
	const Deskd__VisitPlan *old;
	struct figures f;
	ProtobufCMessage *out;
	struct visit_rank *work;
	uint32_t month = req->visit_draw->month;
	int64_t from, to;
	uint8_t rnd[8];
	size_t *pick, k;
	Deskd__Status st;

	if (ctx->role != ROLE_SUPERVISOR && ctx->role != ROLE_DIRECTOR)
		return ctx_fail(ctx, DESKD__STATUS__PERMISSION_DENIED, "the "
		    "supervisor draws the month's visit list (F1)");
	if ((st = visit_month(ctx, &month, &from, &to)) != DESKD__STATUS__OK)
		return st;
	/* A list drawn after its month guides no visit: it would only
	 * count against the month what nobody was asked to do. */
	if (ctx->now_ms >= to)
		return ctx_fail(ctx, DESKD__STATUS__INVALID_ARGUMENT, "month: "
		    "%s is over: the visit list is drawn for the month under "
		    "way (F1)", period_text(month).s);
	if ((old = plan_of(ctx, month)) != NULL)
		return ctx_fail(ctx, DESKD__STATUS__CONFLICT, "%s's visit list "
		    "was drawn by %s with seed %" PRIu64 "; it stays as drawn "
		    "(F1)", period_text(month).s, old->created_by, old->seed);
	unit_occupied(ctx->txn, occupied_add, &o);
	if (o.n == 0)
		return ctx_fail(ctx, DESKD__STATUS__CONFLICT, "no occupied "
		    "household in the archive to visit (F1: units with status "
		    "occupied or let)");
	last_visits(ctx, o.cand, o.n);
	if (RAND_bytes(rnd, sizeof(rnd)) != 1)
		return ctx_fail(ctx, DESKD__STATUS__INTERNAL, "no randomness");
	for (size_t i = 0; i < sizeof(rnd); i++)
		plan.seed = plan.seed << 8 | rnd[i];
	/* 63 bits: a desk's --json (jansson) reads integers as signed. */
	plan.seed &= INT64_MAX;
	pick = ctx_calloc(ctx, o.n, sizeof(*pick));
	work = ctx_calloc(ctx, o.n, sizeof(*work));
	k = visit_draw(plan.seed, o.cand, o.n, pick, work);
	plan.month = month;
	plan.occupied = (uint32_t)o.n;
	plan.required = (uint32_t)k;
	plan.units = ctx_calloc(ctx, k, sizeof(*plan.units));
	plan.last_days = ctx_calloc(ctx, k, sizeof(*plan.last_days));
	for (size_t i = 0; i < k; i++) {
		plan.units[i] = (char *)o.cand[pick[i]].unit;
		plan.last_days[i] = o.cand[pick[i]].last_day;
	}
	plan.n_units = plan.n_last_days = k;
	if ((st = reg_add_made(ctx, &plan_def, &plan.base, &out)) !=
	    DESKD__STATUS__OK)
		return st;
	figures_of(ctx, month, from, to, &f);
	return plan_reply(ctx, &f);
}

static Deskd__Status
visit_plan_apply(struct apply_ctx *ctx, const Deskd__Request *req)
{
	uint32_t month = req->visit_plan->month;
	struct figures f;
	int64_t from, to;
	Deskd__Status st;

	if ((st = visit_month(ctx, &month, &from, &to)) != DESKD__STATUS__OK)
		return st;
	figures_of(ctx, month, from, to, &f);
	return plan_reply(ctx, &f);
}

/* ---------- F4: the month for the team lead ---------- */

static int
visited_cmp(const void *a, const void *b)
{
	int64_t x = reg_int(*(ProtobufCMessage *const *)a, "visited_ms");
	int64_t y = reg_int(*(ProtobufCMessage *const *)b, "visited_ms");

	return x < y ? -1 : x > y;
}

static Deskd__Status
visit_summary_apply(struct apply_ctx *ctx, const Deskd__Request *req)
{
	uint32_t month = req->visit_summary->month;
	Deskd__VisitSummaryReply *r;
	ProtobufCMessage **open;
	struct figures f;
	int64_t from, to;
	size_t nopen;
	Deskd__Status st;

	if ((st = visit_month(ctx, &month, &from, &to)) != DESKD__STATUS__OK)
		return st;
	figures_of(ctx, month, from, to, &f);
	r = ctx_new(ctx, &deskd__visit_summary_reply__descriptor);
	r->month = month;
	r->visits = (uint32_t)f.nvisits;
	r->households = (uint32_t)f.households;
	r->occupied = (uint32_t)f.occupied;
	r->required = (uint32_t)visit_required(f.occupied);
	r->drawn = f.plan != NULL;
	r->list_size = f.plan ? (uint32_t)f.plan->n_units : 0;
	r->list_done = (uint32_t)f.list_done;
	r->topics = ctx_calloc(ctx, visit_ntopics, sizeof(*r->topics));
	for (size_t t = 0; t < visit_ntopics; t++) {
		Deskd__VisitTopicCount *c = ctx_new(ctx,
		    &deskd__visit_topic_count__descriptor);

		c->topic = (char *)visit_topics[t].code;
		c->name = (char *)visit_topics[t].name;
		for (size_t i = 0; i < f.nvisits; i++)
			if (strcmp(reg_str(f.visits[i], "topic"),
			    visit_topics[t].code) == 0)
				c->visits++;
		r->topics[r->n_topics++] = c;
	}
	for (size_t i = 0; i < f.nvisits; i++) {
		if (!*reg_str(f.visits[i], "follow_up"))
			continue;
		r->follow_ups++;
		if (strcmp(reg_str(f.visits[i], "state"), "follow-up") == 0)
			r->follow_ups_open++;
	}
	open = reg_all(ctx, &visit_def, true, NULL, NULL, &nopen);
	if (nopen > 1)
		qsort(open, nopen, sizeof(*open), visited_cmp);
	r->open_total = (uint32_t)nopen;
	r->n_open = nopen < VISIT_OPEN_MAX ? nopen : VISIT_OPEN_MAX;
	r->open = (Deskd__Visit **)open;
	return reply_with(ctx, DESKD__RESPONSE__BODY_VISIT_SUMMARY, r);
}

/* ---------- the compliance ledger (F1, F4) ---------- */

/* The month's figures for a quota; false: a month not begun. */
static bool
quota_figures(struct apply_ctx *ctx, uint32_t month, struct figures *f)
{
	int64_t from, to;

	if (visit_month(ctx, &month, &from, &to) != DESKD__STATUS__OK)
		return false;
	figures_of(ctx, month, from, to, f);
	return true;
}

/* F1: 5 % of the households occupied now, rounded up; done, the
 * distinct units visited in the month. */
static bool
quota_f1(struct apply_ctx *ctx, uint32_t month, struct quota *q)
{
	struct figures f;

	if (!quota_figures(ctx, month, &f))
		return false;
	*q = (struct quota){ .rule = "F1", .what = "households visited",
	    .required = visit_required(f.occupied), .done = f.households };
	return true;
}

/* F4: the households of the month's drawn list (none drawn: nothing
 * required); done, those visited in the month. */
static bool
quota_f4(struct apply_ctx *ctx, uint32_t month, struct quota *q)
{
	struct figures f;

	if (!quota_figures(ctx, month, &f))
		return false;
	*q = (struct quota){ .rule = "F4", .what = "households of the "
	    "month's visit list visited", .required = f.plan ?
	    f.plan->n_units : 0, .done = f.list_done };
	return true;
}

/* ---------- the area ---------- */

static const struct request_row visit_requests[] = {
	/* F1, F4: whoever reads the registers reads the list and the
	 * summary; the draw is the supervisor's (checked there). */
	{ REQUEST(VISIT_DRAW, "visit draw"), .op = OP_REGISTER_WRITE,
	    .apply = visit_draw_apply },
	{ REQUEST(VISIT_PLAN, "visit plan"), .op = OP_REGISTER_READ,
	    .apply = visit_plan_apply },
	{ REQUEST(VISIT_SUMMARY, "visit summary"), .op = OP_REGISTER_READ,
	    .apply = visit_summary_apply },
};

/* What the owner said and what is to follow take a few sentences. */
static const struct field_limit visit_limits[] = {
	{ "owner_said", 2048 },
	{ "follow_up", 1024 },
};

static const struct quota_rule visit_quotas[] = {
	{ "F1", quota_f1 },
	{ "F4", quota_f4 },
};

static const struct reg_def *const visit_defs[] = {
	&visit_def, &plan_def,
};

static const struct kind *
visit_kind_at(size_t i)
{
	static struct kind kinds[nitems(visit_defs)];

	return reg_kind_at(kinds, visit_defs, nitems(visit_defs), i);
}

const struct area visit_area = {
	.name = "visit",
	.requests = visit_requests,
	.nrequests = nitems(visit_requests),
	.limits = visit_limits,
	.nlimits = nitems(visit_limits),
	.kind_at = visit_kind_at,
	.quotas = visit_quotas,
	.nquotas = nitems(visit_quotas),
};
