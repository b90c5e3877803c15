/*
 * complaint_report.c - the monthly complaint report (部门客户投诉工作月报,
 * C8) and the complaint lines of the compliance ledger (C2, C4), counted
 * from the complaints' tallies (complaint_tally, kept with each write),
 * never by reading the month's complaints.
 */
#include <stdlib.h>
#include <string.h>

#include "area.h"
#include "calendar.h"
#include "category_rules.h"
#include "complaint_report.h"
#include "complaint_rules.h"
#include "ledger_rules.h"
#include "reply.h"

/* The most repeat units a report lists (most complaints first). */
#define REPEAT_UNITS_MAX	200

/* Counts by a text key, merged and sorted once walked. */
struct counter {
	struct count {
		char		key[STORE_TALLY_TEXT_MAX + 1];
		uint64_t	n;
	}		*v;
	size_t		 n, cap;
};

static void
counter_add(struct apply_ctx *ctx, struct counter *c, const char *key,
    uint64_t n)
{
	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 64;
		struct count *v = realloc(c->v, cap * sizeof(*v));

		if (v == NULL) {
			free(c->v);
			ctx_out_of_memory(ctx, __func__);
		}
		c->v = v;
		c->cap = cap;
	}
	snprintf(c->v[c->n].key, sizeof(c->v[c->n].key), "%s", key);
	c->v[c->n++].n = n;
}

static int
by_key(const void *a, const void *b)
{
	return strcmp(((const struct count *)a)->key,
	    ((const struct count *)b)->key);
}

static int
by_count(const void *a, const void *b)
{
	const struct count *x = a, *y = b;

	if (x->n != y->n)
		return x->n > y->n ? -1 : 1;
	return strcmp(x->key, y->key);
}

/* One entry a key, in key order. */
static void
counter_merge(struct counter *c)
{
	size_t out = 0;

	if (c->n == 0)
		return;
	qsort(c->v, c->n, sizeof(*c->v), by_key);
	for (size_t i = 1; i < c->n; i++) {
		if (strcmp(c->v[i].key, c->v[out].key) == 0)
			c->v[out].n += c->v[i].n;
		else
			c->v[++out] = c->v[i];
	}
	c->n = out + 1;
}

struct walk {
	struct apply_ctx		*ctx;
	const struct category_conf	*cats;
	Deskd__ComplaintPeriod		*p;
	uint64_t			 cat[CATEGORY_MAX];
	uint64_t			 sat[5];
	uint64_t			*day;		/* per day of the period */
	uint32_t			 from;
	struct counter			 bld, src, unit;
};

static void
count_one(uint32_t day, const char *dim, const char *value, uint64_t n,
    void *arg)
{
	struct walk *w = arg;
	Deskd__ComplaintPeriod *p = w->p;
	int i;

	if (strcmp(dim, "all") == 0) {
		p->total += n;
		for (uint32_t d = w->from, k = 0; d <= day;
		    d = calendar_day_add(d, 1), k++)
			if (d == day)
				w->day[k] += n;
	} else if (strcmp(dim, "cat") == 0) {
		/* Free text from before the list counts as "other". */
		if ((i = category_find(w->cats, category_counted_as(w->cats,
		    value))) >= 0)
			w->cat[i] += n;
	} else if (strcmp(dim, "val") == 0) {
		if (strcmp(value, "valid") == 0)
			p->valid += n;
		else if (strcmp(value, "invalid") == 0)
			p->invalid += n;
		else
			p->pending += n;
	} else if (strcmp(dim, "st") == 0) {
		if (strcmp(value, "open") == 0)
			p->open += n;
		else if (strcmp(value, "resolved") == 0)
			p->resolved += n;
		else
			p->closed += n;
	} else if (strcmp(dim, "reply") == 0) {
		uint64_t *r = strcmp(value, "on_time") == 0 ? &p->reply_on_time :
		    strcmp(value, "late") == 0 ? &p->reply_late :
		    strcmp(value, "none") == 0 ? &p->reply_none :
		    &p->reply_unknown;
		*r += n;
	} else if (strcmp(dim, "revisit") == 0) {
		if (strcmp(value, "done") == 0)
			p->revisited += n;
		else
			p->revisit_owed += n;
	} else if (strcmp(dim, "sat") == 0) {
		if (value[0] >= '1' && value[0] <= '5')
			w->sat[value[0] - '1'] += n;
	} else if (strcmp(dim, "lvl") == 0) {
		p->escalated += n;
		if (strcmp(value, "general manager") == 0)
			p->appealed += n;
	} else if (strcmp(dim, "bld") == 0)
		counter_add(w->ctx, &w->bld, value, n);
	else if (strcmp(dim, "src") == 0)
		counter_add(w->ctx, &w->src, value, n);
	else if (strcmp(dim, "unit") == 0)
		counter_add(w->ctx, &w->unit, value, n);
}

static Deskd__TallyCount **
counts_out(struct apply_ctx *ctx, const struct count *v, size_t n,
    uint64_t at_least, size_t max, size_t *nout)
{
	Deskd__TallyCount **out = ctx_calloc(ctx, n ? n : 1, sizeof(*out));

	*nout = 0;
	for (size_t i = 0; i < n && *nout < max; i++) {
		Deskd__TallyCount *t;

		if (v[i].n < at_least)
			continue;
		t = ctx_new(ctx, &deskd__tally_count__descriptor);
		t->key = ctx_strdup(ctx, v[i].key);
		t->name = "";
		t->count = v[i].n;
		out[(*nout)++] = t;
	}
	return out;
}

static void
period_label(struct apply_ctx *ctx, Deskd__ComplaintPeriod *p,
    uint32_t month, unsigned week)
{
	char label[32];

	if (week == 0)
		snprintf(label, sizeof(label), "%04u-%02u", month / 100,
		    month % 100);
	else
		snprintf(label, sizeof(label), "%04u-%02u week %u", month / 100,
		    month % 100, week);
	p->label = ctx_strdup(ctx, label);
}

/* The period's figures from the tallies; NULL when there is no such week. */
static Deskd__ComplaintPeriod *
period_count(struct apply_ctx *ctx, const struct category_conf *cats,
    uint32_t month, unsigned week)
{
	struct walk w = { .ctx = ctx, .cats = cats };
	Deskd__ComplaintPeriod *p;
	uint32_t from, to, ndays = 0;

	if (!report_period(month, week, &from, &to))
		return NULL;
	for (uint32_t d = from; d <= to; d = calendar_day_add(d, 1))
		ndays++;
	w.p = p = ctx_new(ctx, &deskd__complaint_period__descriptor);
	w.from = p->from_day = from;
	p->to_day = to;
	period_label(ctx, p, month, week);
	w.day = ctx_calloc(ctx, ndays, sizeof(*w.day));
	tally_walk(ctx->txn, RECORD_COMPLAINT, from, to, count_one, &w);

	p->by_category = ctx_calloc(ctx, cats->ncats ? cats->ncats : 1,
	    sizeof(*p->by_category));
	for (size_t i = 0; i < cats->ncats; i++) {
		Deskd__TallyCount *t = ctx_new(ctx,
		    &deskd__tally_count__descriptor);

		t->key = (char *)cats->cats[i].code;
		t->name = (char *)cats->cats[i].name;
		t->count = w.cat[i];
		p->by_category[p->n_by_category++] = t;
	}
	p->satisfaction = ctx_calloc(ctx, 5, sizeof(*p->satisfaction));
	memcpy(p->satisfaction, w.sat, sizeof(w.sat));
	p->n_satisfaction = 5;
	p->by_day = ctx_calloc(ctx, ndays, sizeof(*p->by_day));
	for (uint32_t d = from, k = 0; d <= to; d = calendar_day_add(d, 1),
	    k++) {
		Deskd__TallyCount *t = ctx_new(ctx,
		    &deskd__tally_count__descriptor);
		char dd[4];

		snprintf(dd, sizeof(dd), "%02u", d % 100);
		t->key = ctx_strdup(ctx, dd);
		t->name = "";
		t->count = w.day[k];
		p->by_day[p->n_by_day++] = t;
	}
	counter_merge(&w.bld);
	counter_merge(&w.src);
	counter_merge(&w.unit);
	p->by_building = counts_out(ctx, w.bld.v, w.bld.n, 1, SIZE_MAX,
	    &p->n_by_building);
	p->by_source = counts_out(ctx, w.src.v, w.src.n, 1, SIZE_MAX,
	    &p->n_by_source);
	if (w.unit.n > 0)
		qsort(w.unit.v, w.unit.n, sizeof(*w.unit.v), by_count);
	p->repeat_units = counts_out(ctx, w.unit.v, w.unit.n, 2,
	    REPEAT_UNITS_MAX, &p->n_repeat_units);
	free(w.bld.v);
	free(w.src.v);
	free(w.unit.v);
	return p;
}

Deskd__Status
complaint_report(struct apply_ctx *ctx, const Deskd__ComplaintReport *q,
    const struct category_conf *cats)
{
	Deskd__ComplaintReportReply *r;
	uint32_t month, pmonth;
	unsigned pweek;
	char why[128], node[STORE_NODE_LEN + 1];

	if (report_month(q->month, calendar_local_day(ctx->now_ms) / 100,
	    &month, why, sizeof(why)) != 0)
		return ctx_fail(ctx, DESKD__STATUS__INVALID_ARGUMENT, "%s", why);
	r = ctx_new(ctx, &deskd__complaint_report_reply__descriptor);
	if ((r->period = period_count(ctx, cats, month, q->week)) == NULL)
		return ctx_fail(ctx, DESKD__STATUS__INVALID_ARGUMENT, "week: "
		    "%04u-%02u has no week %u (weeks run Monday to Sunday, "
		    "week 1 holding the 1st)", month / 100, month % 100,
		    q->week);
	report_previous(month, q->week, &pmonth, &pweek);
	r->previous = period_count(ctx, cats, pmonth, pweek);
	r->office = ctx_strdup(ctx, store_node(ctx->txn, node));
	return reply_with(ctx, DESKD__RESPONSE__BODY_COMPLAINT_REPORT, r);
}

/* ---------- the ledger's complaint lines ---------- */

struct month_sum {
	uint64_t	revisit_done, revisit_owed;
	uint64_t	on_time, late, none;
};

static void
sum_one(uint32_t day, const char *dim, const char *value, uint64_t n,
    void *arg)
{
	struct month_sum *s = arg;

	(void)day;
	if (strcmp(dim, "revisit") == 0)
		*(strcmp(value, "done") == 0 ? &s->revisit_done :
		    &s->revisit_owed) += n;
	else if (strcmp(dim, "reply") == 0) {
		if (strcmp(value, "on_time") == 0)
			s->on_time += n;
		else if (strcmp(value, "late") == 0)
			s->late += n;
		else if (strcmp(value, "none") == 0)
			s->none += n;
	}
}

static void
month_sum(struct apply_ctx *ctx, uint32_t month, struct month_sum *s)
{
	memset(s, 0, sizeof(*s));
	tally_walk(ctx->txn, RECORD_COMPLAINT, month * 100 + 1, month * 100 + 31,
	    sum_one, s);
}

/* C4: every valid complaint settled this month is revisited.  Both
 * lines are rates of what came in so far, not counts that accumulate:
 * one short is at risk now, whatever the rest of the month brings. */
bool
complaint_revisit_quota(struct apply_ctx *ctx, uint32_t month, struct quota *q)
{
	struct month_sum s;

	month_sum(ctx, month, &s);
	q->what = "valid complaints revisited";
	q->required = s.revisit_done + s.revisit_owed;
	q->done = s.revisit_done;
	q->so_far = true;
	return true;
}

/* C2, C3: the first reply within 2 hours of intake. */
bool
complaint_reply_quota(struct apply_ctx *ctx, uint32_t month, struct quota *q)
{
	struct month_sum s;

	month_sum(ctx, month, &s);
	q->what = "complaints answered within 2 h";
	q->required = s.on_time + s.late + s.none;
	q->done = s.on_time;
	q->so_far = true;
	return true;
}
