/*
 * ledger.c - the compliance ledger (issue 15): one line per quota of the
 * regulations for a month, each counted by the area that keeps its
 * records (struct quota_rule), judged here against the time gone (met,
 * on track, at risk, missed).  On the configured day (the 20th) a quota
 * behind its share alerts the supervisor; one missed by its due time
 * alerts the director.  The supervisor's signature of the month (B8)
 * carries the figures (ledger_seal_lines), so a later change shows as a
 * correction against them.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "area.h"
#include "calendar.h"
#include "config.h"
#include "deadline.h"
#include "ledger.h"
#include "ledger_rules.h"
#include "reply.h"
#include "refuse.h"
#include "shift_rules.h"

/* Numbered here: the clocks and alerts of month M are on ledger:M. */
#define RECORD_LEDGER		((enum record_kind)45)
#define CLOCK_LEDGER_CHECK	"ledger.check"
#define LEDGER_LINES_MAX	64
/* The at-risk check's time of day (local): the morning's work is in. */
#define AT_RISK_HOUR		9

/* ---------- [ledger] ---------- */

struct ledger_conf {
	int	at_risk_day;	/* 1..28: the day quotas behind raise alerts */
};

static void
ledger_section_defaults(void *block)
{
	((struct ledger_conf *)block)->at_risk_day = 20;
}

static int
ledger_section_set(void *block, const char *key, const char *value,
    char *err, size_t errlen)
{
	struct ledger_conf *c = block;
	char *end;
	long d;

	if (strcmp(key, "at_risk_day") != 0) {
		snprintf(err, errlen, "[ledger] has no '%s' (at_risk_day)", key);
		return -1;
	}
	d = strtol(value, &end, 10);
	if (*value == '\0' || *end != '\0' || d < 1 || d > 28) {
		snprintf(err, errlen, "[ledger] at_risk_day: '%s' is not a day "
		    "from 1 to 28", value);
		return -1;
	}
	c->at_risk_day = (int)d;
	return 0;
}

static void
ledger_usage(FILE *f)
{
	fprintf(f, "  --at-risk-day DAY      the day of the month a quota behind "
	    "its share alerts\n                         the supervisor (20; "
	    "[ledger] at_risk_day)\n");
}

static const struct config_section ledger_section = {
	.name = "ledger",
	.size = sizeof(struct ledger_conf),
	.defaults = ledger_section_defaults,
	.set = ledger_section_set,
	.flag = "at_risk_day",
	.flag_key = "at_risk_day",
	.usage = ledger_usage,
	.usage_rank = 75,
};

static const struct config_section *const ledger_settings[] = {
	&ledger_section,
};

static int64_t
at_risk_ms(const struct apply_ctx *ctx, uint32_t month)
{
	const struct ledger_conf *c = config_section(ctx->cfg, &ledger_section);

	return calendar_day_start_ms(month * 100 + (uint32_t)c->at_risk_day) +
	    (int64_t)AT_RISK_HOUR * 3600 * 1000;
}

static int64_t
month_end_ms(uint32_t month)
{
	return calendar_day_start_ms(calendar_month_next(month) * 100 + 1);
}

/* ---------- the lines ---------- */

/* By rule ID (A1, B7, ..., G4), keeping each area's order within a rule. */
static void
sort_by_rule(Deskd__QuotaLine **v, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		Deskd__QuotaLine *x = v[i];
		size_t k = i;

		for (; k > 0 && strcmp(v[k - 1]->rule, x->rule) > 0; k--)
			v[k] = v[k - 1];
		v[k] = x;
	}
}

Deskd__QuotaLine **
ledger_lines(struct apply_ctx *ctx, uint32_t month, size_t *n)
{
	Deskd__QuotaLine **v = ctx_calloc(ctx, LEDGER_LINES_MAX, sizeof(*v));
	int64_t start = calendar_day_start_ms(month * 100 + 1);
	const struct area *a;

	*n = 0;
	for (size_t i = 0; (a = area_nth(i)) != NULL; i++)
		for (size_t r = 0; r < a->nquotas && *n < LEDGER_LINES_MAX; r++) {
			struct quota q = { .rule = a->quotas[r].rule };
			struct quota_judgement j;
			Deskd__QuotaLine *l;

			if (!a->quotas[r].count(ctx, month, &q))
				continue;
			if (q.due_ms == 0)
				q.due_ms = month_end_ms(month);
			quota_judge(q.required, q.done, q.once ? QUOTA_ONCE :
			    q.so_far ? QUOTA_SO_FAR : QUOTA_PRO_RATA, start,
			    q.due_ms, ctx->now_ms, &j);
			l = ctx_new(ctx, &deskd__quota_line__descriptor);
			l->rule = (char *)q.rule;
			l->what = (char *)q.what;
			l->required = q.required;
			l->done = q.done;
			l->percent = j.percent;
			l->forecast = j.forecast;
			l->status = (char *)quota_state_name(j.state);
			l->due_ms = q.due_ms;
			v[(*n)++] = l;
		}
	sort_by_rule(v, *n);
	return v;
}

/* B8: the month's signature, if any (the duty log keeps it). */
static Deskd__DutySeal *
month_seal(struct apply_ctx *ctx, uint32_t month)
{
	Deskd__DutySeal *s;
	char name[32];

	snprintf(name, sizeof(name), "month:%" PRIu32, month);
	s = dutylog_seal_get(ctx->txn, name, &deskd__duty_seal__descriptor);
	ctx_own_msg(ctx, s);
	return s;
}

/* A line whose figures are not those signed is a correction (B8). */
static void
against_seal(Deskd__QuotaLine **v, size_t n, const Deskd__DutySeal *s)
{
	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; k < s->n_ledger; k++) {
			const Deskd__QuotaLine *was = s->ledger[k];

			if (strcmp(was->rule, v[i]->rule) != 0 ||
			    strcmp(was->what, v[i]->what) != 0)
				continue;
			v[i]->signed_required = was->required;
			v[i]->signed_done = was->done;
			v[i]->corrected = was->required != v[i]->required ||
			    was->done != v[i]->done;
		}
}

static Deskd__Status
ledger_apply(struct apply_ctx *ctx, const Deskd__Request *req)
{
	Deskd__LedgerReply *r;
	uint32_t month;
	char why[128], label[8], node[STORE_NODE_LEN + 1];

	if (report_month(req->ledger->month, calendar_local_day(ctx->now_ms) /
	    100, &month, why, sizeof(why)) != 0)
		return ctx_fail(ctx, DESKD__STATUS__INVALID_ARGUMENT, "%s", why);
	r = ctx_new(ctx, &deskd__ledger_reply__descriptor);
	snprintf(label, sizeof(label), "%04u-%02u", month / 100 % 10000,
	    month % 100);
	r->month = ctx_strdup(ctx, label);
	r->lines = ledger_lines(ctx, month, &r->n_lines);
	r->now_ms = ctx->now_ms;
	r->office = ctx_strdup(ctx, store_node(ctx->txn, node));
	if ((r->seal = month_seal(ctx, month)) != NULL)
		against_seal(r->lines, r->n_lines, r->seal);
	return reply_with(ctx, DESKD__RESPONSE__BODY_LEDGER, r);
}

/* ---------- the alerts ---------- */

static void
line_alert(struct apply_ctx *ctx, uint32_t month, const Deskd__QuotaLine *l,
    const char *role)
{
	char msg[256];

	snprintf(msg, sizeof(msg), "%04u-%02u %s %s: %" PRIu64 " of %" PRIu64
	    " (%u%%), %s%s", month / 100, month % 100, l->rule, l->what,
	    l->done, l->required, l->percent, l->status,
	    strcmp(l->status, "at risk") == 0 ? " (desk ledger)" : "");
	clock_alert_raise(ctx, l->rule, RECORD_LEDGER, month, role, msg);
}

/*
 * The month's check runs at its at-risk moment, then at each later time
 * a quota of the month is due (the month's end, the signatures after
 * it): a quota behind its share at the first alerts the supervisor, one
 * missed by its due time the director.  start_ms keeps the stage before,
 * so each due time is judged once; the last arms the next month.
 */
static int
ledger_check_fire(struct apply_ctx *ctx, Deskd__Clock *c)
{
	uint32_t month = (uint32_t)c->record_id;
	int64_t t = c->deadline_ms, next = 0;
	bool first = t == at_risk_ms(ctx, month);
	Deskd__QuotaLine **v;
	size_t n;

	v = ledger_lines(ctx, month, &n);
	for (size_t i = 0; i < n; i++) {
		if (first && strcmp(v[i]->status, "at risk") == 0)
			line_alert(ctx, month, v[i], "supervisor");
		if (v[i]->due_ms > c->start_ms && v[i]->due_ms <= t &&
		    strcmp(v[i]->status, "missed") == 0)
			line_alert(ctx, month, v[i], "director");
		if (v[i]->due_ms > t && (next == 0 || v[i]->due_ms < next))
			next = v[i]->due_ms;
	}
	c->start_ms = t;
	c->deadline_ms = c->next_ms = next;
	if (next == 0)
		ledger_arm(ctx, calendar_month_next(month));
	return 0;
}

void
ledger_arm(struct apply_ctx *ctx, uint32_t month)
{
	Deskd__Clock *c = clock_get(ctx->txn, RECORD_LEDGER, month,
	    CLOCK_LEDGER_CHECK), *armed, was;
	int64_t risk = at_risk_ms(ctx, month);

	ctx_own_msg(ctx, c);
	if (c != NULL)
		return;
	/* Started after the day: from the month's end on (an at-risk
	 * alert raised late would only repeat what the ledger shows). */
	clock_arm(ctx, CLOCK_LEDGER_CHECK, RECORD_LEDGER, month,
	    risk > ctx->now_ms ? risk : month_end_ms(month));
	/* Each stage judges the due times since the one before (start_ms):
	 * the first, all of the month's, however late deskd was started. */
	if ((armed = clock_get(ctx->txn, RECORD_LEDGER, month,
	    CLOCK_LEDGER_CHECK)) == NULL)
		return;
	ctx_own_msg(ctx, armed);
	was = *armed;
	armed->start_ms = calendar_day_start_ms(month * 100 + 1);
	clock_put(ctx->txn, &was, armed);
}

static void
ledger_start(struct apply_ctx *ctx)
{
	uint32_t today = calendar_local_day(ctx->now_ms);

	store_name_kind(RECORD_LEDGER, RC_("record", "ledger"));
	if (today != 0)
		ledger_arm(ctx, today / 100);
}

static const struct clock_rule ledger_clocks[] = {
	{ CLOCK_LEDGER_CHECK, "ledger", R_("the month's quotas are checked (desk "
	    "ledger)"), CLOCK_HOURS(24), .no_warning = true,
	    .fire = ledger_check_fire },
};

static const struct request_row ledger_requests[] = {
	{ REQUEST(LEDGER, "ledger"), .op = OP_COMPLAINT_READ,
	    .apply = ledger_apply },
};

const struct area ledger_area = {
	.name = "ledger",
	.requests = ledger_requests,
	.nrequests = nitems(ledger_requests),
	.clocks = ledger_clocks,
	.nclocks = nitems(ledger_clocks),
	.start = ledger_start,
	.settings = ledger_settings,
	.nsettings = nitems(ledger_settings),
};
