/*
 * dutylog.c - the duty log and its signatures (issue 4: B3, B7, B8,
 * B9).  Entries are never edited: a change is a new entry, and one written
 * for a day already signed is flagged.  A signature seals the event log as
 * it stood when it was given (the last event's seq and chain hash).
 *
 * Who signs: B7's "customer-service team lead" is the supervisor role (the
 * desks' direct superior in deskd's roles), B8 the supervisor, B9 the
 * director.  A signature is a person's word, so an admin does not stand in.
 * B9's "duty record" is one day's duty log, the sheet B7 signs.  Every
 * handler checks everything before its first write.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/rand.h>

#include "area.h"
#include "attendance_rules.h"
#include "deadline.h"
#include "calendar.h"
#include "config.h"
#include "ctx.h"
#include "refuse.h"
#include "dutylog.h"
#include "dutylog_rules.h"
#include "ledger.h"
#include "reply.h"
#include "validate.h"

/* A day's or a month's name among the seals. */
static void
seal_name(char *out, size_t len, const char *scope, uint32_t period)
{
	snprintf(out, len, "%s:%" PRIu32, scope, period);
}

static Deskd__DutySeal *
seal_get(struct apply_ctx *ctx, const char *scope, uint32_t period)
{
	Deskd__DutySeal *s;
	char name[48];

	seal_name(name, sizeof(name), scope, period);
	s = dutylog_seal_get(ctx->txn, name, &deskd__duty_seal__descriptor);
	ctx_own_msg(ctx, s);
	return s;
}

static uint32_t
today(struct apply_ctx *ctx, const char **shift)
{
	return dutylog_day_at(shift_conf_of(ctx->cfg), ctx->now_ms, shift);
}

/* The entries of days from..to, owned by ctx. */
static Deskd__DutyLogEntry **
entries(struct apply_ctx *ctx, uint32_t from, uint32_t to, size_t *n)
{
	Deskd__DutyLogEntry **v;

	if (dutylog_range(ctx->txn, from, to, &v, n) != STORE_OK)
		return NULL;
	for (size_t i = 0; i < *n; i++)
		ctx_own_msg(ctx, v[i]);
	ctx_own_mem(ctx, v);
	return v;
}

/* A seal of the log as it stands now, before this request's event. */
static Deskd__DutySeal *
seal_new(struct apply_ctx *ctx, const char *scope, uint32_t period,
    uint32_t count, const char *note)
{
	Deskd__DutySeal *s = ctx_new(ctx, &deskd__duty_seal__descriptor);
	uint8_t *hash = ctx_calloc(ctx, STORE_HASH_LEN, 1);

	s->scope = (char *)scope;
	s->period = period;
	s->signed_by = (char *)ctx->actor;
	s->signed_ms = ctx->now_ms;
	s->seq = event_chain_head(ctx->txn, hash);
	s->hash.data = hash;
	s->hash.len = STORE_HASH_LEN;
	s->entries = count;
	s->note = (char *)note;
	return s;
}

static uint64_t
log_event(struct apply_ctx *ctx, const char *type, enum record_kind kind,
    uint64_t id, const char *record, const char *summary, const char *text,
    Deskd__DutyLogEntry *e, Deskd__DutySeal *s, Deskd__SpotCheck *sc)
{
	Deskd__DutyLogChange *ch = ctx_new(ctx,
	    &deskd__duty_log_change__descriptor);

	ch->entry = e;
	ch->seal = s;
	ch->spot_check = sc;
	return ctx_event_msg(ctx, type, kind, id, record, summary, text,
	    &ch->base);
}

static Deskd__SpotCheck *spot_get(struct apply_ctx *, uint32_t);
static void	spot_put(struct apply_ctx *, Deskd__SpotCheck *);

/* B9: the director has signed at least 20 % of the month's drawn days. */
static int
spot_covered(struct apply_ctx *ctx, uint32_t month)
{
	Deskd__SpotCheck *sc = spot_get(ctx, month);

	return sc != NULL && sc->n_signs >= spot_count(sc->n_candidates);
}

/* Is there a clock `name` on the duty log's day or month `id`? */
static int
clock_running(struct apply_ctx *ctx, const char *name, uint32_t id)
{
	Deskd__Clock *c = clock_get(ctx->txn, RECORD_DUTY_LOG, id, name);

	ctx_own_msg(ctx, c);
	return c != NULL;
}

/*
 * B7: a day not signed is due the next morning (the clock's span past the
 * midnight that ends it, 09:00 by default, and never before its last shift
 * ends).  Armed at every shift boundary for the day coming on duty, so a
 * day with no entries is reminded too, and by a day's first entry.
 */
void
dutylog_day_arm(struct apply_ctx *ctx, uint32_t day)
{
	int64_t t, end;

	if (seal_get(ctx, "day", day) != NULL ||
	    clock_running(ctx, CLOCK_DUTYLOG_DAY_UNSIGNED, day) ||
	    (t = att_day_ms(att_day_add(day, 1))) <= 0)
		return;
	t = clock_deadline(ctx, CLOCK_DUTYLOG_DAY_UNSIGNED, t);
	if ((end = att_day_end_ms(shift_conf_of(ctx->cfg), day)) > t)
		t = end;
	clock_arm(ctx, CLOCK_DUTYLOG_DAY_UNSIGNED, RECORD_DUTY_LOG, day, t);
}

/* The first entry of a month starts B9's: the clock's span (7 days by
 * default) after the month's last shift ends, 20 % of the drawn days must
 * be signed. */
static void
arm_clocks(struct apply_ctx *ctx, uint32_t day)
{
	uint32_t month = day / 100;
	int64_t t;

	dutylog_day_arm(ctx, day);
	if (!spot_covered(ctx, month) &&
	    !clock_running(ctx, CLOCK_SPOTCHECK_COVERAGE, month) &&
	    (t = att_month_end_ms(shift_conf_of(ctx->cfg), month)) > 0)
		clock_arm(ctx, CLOCK_SPOTCHECK_COVERAGE, RECORD_DUTY_LOG, month,
		    clock_deadline(ctx, CLOCK_SPOTCHECK_COVERAGE, t));
}

static int
spot_coverage_fire(struct apply_ctx *ctx, Deskd__Clock *c)
{
	/* B9: short of 20 % by the configured day: the director is alerted. */
	if (!spot_covered(ctx, (uint32_t)c->record_id))
		return 1;
	c->next_ms = 0;
	return 0;
}

/*
 * B9: a day of a month already drawn, logged after the draw, joins the
 * draw's candidates, and the draw is topped up to 20 % of them: what was
 * drawn stays drawn (spot_topup, reproducible from the seed).
 */
static void
spot_join(struct apply_ctx *ctx, uint32_t day)
{
	Deskd__SpotCheck *old = spot_get(ctx, day / 100), *sc;
	size_t n;
	char record[48], summary[160];

	if (old == NULL)
		return;
	for (size_t i = 0; i < old->n_candidates; i++)
		if (old->candidates[i] == day)
			return;
	n = old->n_candidates + 1;
	sc = ctx_new(ctx, &deskd__spot_check__descriptor);
	*sc = *old;
	sc->candidates = ctx_calloc(ctx, n, sizeof(*sc->candidates));
	sc->selected = ctx_calloc(ctx, n, sizeof(*sc->selected));
	memcpy(sc->candidates, old->candidates, (n - 1) *
	    sizeof(*sc->candidates));
	sc->candidates[n - 1] = day;
	sc->n_candidates = n;
	if (old->n_selected > 0)
		memcpy(sc->selected, old->selected, old->n_selected *
		    sizeof(*sc->selected));
	sc->n_selected = spot_topup(sc->seed, sc->candidates, n, sc->selected,
	    old->n_selected);
	spot_put(ctx, sc);
	ctx_summary(ctx, summary, sizeof(summary), "%" PRIu32 " logged after "
	    "the draw: %zu of %zu days drawn", day, sc->n_selected, n);
	seal_name(record, sizeof(record), "spotcheck", day / 100);
	log_event(ctx, "spotcheck.topped_up", 0, 0, record, summary, NULL,
	    NULL, NULL, sc);
}

static Deskd__Status
dlog_add_apply(struct apply_ctx *ctx, const Deskd__Request *req)
{
	const Deskd__DutyLogAdd *a = req->log_add;
	Deskd__DutyLogEntry *e;
	Deskd__DutySeal *seal;
	const char *shift;
	uint32_t day = today(ctx, &shift);
	uint64_t rid;
	char kind[32], summary[256], what[100];
	Deskd__Status st;

	if ((st = validate_required("text", a->text, ctx->msg,
	    sizeof(ctx->msg))) != DESKD__STATUS__OK)
		return st;
	if (*a->record && sscanf(a->record, "%31[a-z]:%" SCNu64, kind,
	    &rid) != 2)
		return ctx_fail(ctx, DESKD__STATUS__INVALID_ARGUMENT,
		    "record: KIND:ID, e.g. complaint:12");
	if (a->day != 0 && a->day != day) {
		if (!dutylog_day_valid(a->day))
			return ctx_fail(ctx, DESKD__STATUS__INVALID_ARGUMENT,
			    "day: %s is not a day", period_text(a->day).s);
		if (a->day > day)
			return ctx_fail(ctx, DESKD__STATUS__INVALID_ARGUMENT,
			    "day: %s has not come yet", period_text(a->day).s);
		day = a->day;
		shift = "";	/* a later note to a past day's log */
	}
	/* B7: a change to a sealed day is a new entry, flagged. */
	if ((seal = seal_get(ctx, "day", day)) == NULL)
		seal = seal_get(ctx, "month", day / 100);
	e = ctx_new(ctx, &deskd__duty_log_entry__descriptor);
	e->id = store_next_id(ctx->txn, RECORD_DUTY_LOG);
	e->day = day;
	e->shift = (char *)shift;
	e->author = (char *)ctx->actor;
	e->at_ms = ctx->now_ms;
	e->text = a->text;
	e->record = a->record;
	e->after_seal = seal != NULL;
	e->sealed_seq = seal != NULL ? seal->seq : 0;
	dutylog_put(ctx->txn, e);
	spot_join(ctx, day);
	arm_clocks(ctx, day);
	text_excerpt(what, sizeof(what), a->text, 80);
	if (seal != NULL)
		ctx_summary(ctx, summary, sizeof(summary), "%" PRIu32 "%s%s: "
		    "%s (after the signature of %s)", day, *shift ? " " : "",
		    shift, what, seal->signed_by);
	else
		ctx_summary(ctx, summary, sizeof(summary), "%" PRIu32 "%s%s: "
		    "%s", day, *shift ? " " : "", shift, what);
	log_event(ctx, seal ? "dutylog.added_after_seal" : "dutylog.added",
	    RECORD_DUTY_LOG, e->id, NULL, summary, a->text, e, NULL, NULL);
	return reply_with(ctx, DESKD__RESPONSE__BODY_LOG_ENTRY, e);
}

static Deskd__Status
dlog_get_apply(struct apply_ctx *ctx, const Deskd__Request *req)
{
	const char *shift;
	uint32_t day = req->log_get->day ? req->log_get->day :
	    today(ctx, &shift);
	Deskd__DutyLogDay *d;
	Deskd__DutyLogEntry **v;
	size_t n = 0;

	if (!dutylog_day_valid(day))
		return ctx_fail(ctx, DESKD__STATUS__INVALID_ARGUMENT,
		    "day: %s is not a day", period_text(day).s);
	v = entries(ctx, day, day, &n);
	if (ctx->txn->err != STORE_OK)
		return DESKD__STATUS__INTERNAL;
	d = ctx_new(ctx, &deskd__duty_log_day__descriptor);
	d->day = day;
	/* One frame: a day longer than this is listed in part. */
	d->n_entries = n < LIST_MAX ? n : LIST_MAX;
	d->entries = v;
	d->seal = seal_get(ctx, "day", day);
	d->month_seal = seal_get(ctx, "month", day / 100);
	return reply_with(ctx, DESKD__RESPONSE__BODY_LOG_DAY, d);
}

/* B7/B8: the supervisor signs, once, a day or month that is over. */
static Deskd__Status
dlog_sign_apply(struct apply_ctx *ctx, const Deskd__Request *req)
{
	const Deskd__DutyLogSign *g = req->log_sign;
	const char *shift, *scope = g->day ? "day" : "month";
	uint32_t now = today(ctx, &shift), period = g->day ? g->day : g->month;
	Deskd__DutySeal *old, *s;
	size_t n = 0;
	int64_t end;
	char record[48], summary[128], when[32];

	if ((g->day != 0) == (g->month != 0))
		return ctx_fail(ctx, DESKD__STATUS__INVALID_ARGUMENT,
		    "give a day or a month");
	if (ctx->role != ROLE_SUPERVISOR)
		return ctx_fail(ctx, DESKD__STATUS__PERMISSION_DENIED,
		    "the team lead (a supervisor) signs the duty log (%s)",
		    g->day ? "B7" : "B8");
	if (g->day ? !dutylog_day_valid(g->day) :
	    shift_month_days(g->month) == 0)
		return ctx_fail(ctx, DESKD__STATUS__INVALID_ARGUMENT,
		    "%s: %s is not one", scope, period_text(period).s);
	if (g->day ? g->day > now : g->month > now / 100)
		return ctx_fail(ctx, DESKD__STATUS__INVALID_ARGUMENT,
		    "%s %s has not begun", scope, period_text(period).s);
	if ((old = seal_get(ctx, scope, period)) != NULL)
		return ctx_fail(ctx, DESKD__STATUS__CONFLICT, "%s %" PRIu32
		    " is already signed by %s (%s)", scope, period,
		    old->signed_by, g->day ? "B7" : "B8");
	/* B7, B8: the sheet is signed once its last shift has ended, or the
	 * seal would leave the rest of the day or month "after signature". */
	end = g->day ? att_day_end_ms(shift_conf_of(ctx->cfg), g->day) :
	    att_month_end_ms(shift_conf_of(ctx->cfg), g->month);
	if (ctx->now_ms < end) {
		att_time_text(when, sizeof(when), end);
		return ctx_fail(ctx, DESKD__STATUS__CONFLICT, "%s %s "
		    "is not over: sign it after its last shift ends at %s "
		    "(%s)", scope, period_text(period).s, when, g->day ? "B7" : "B8");
	}
	if (g->day)
		entries(ctx, g->day, g->day, &n);
	else
		entries(ctx, g->month * 100 + 1, g->month * 100 + 31, &n);
	if (ctx->txn->err != STORE_OK)
		return DESKD__STATUS__INTERNAL;
	s = seal_new(ctx, scope, period, (uint32_t)n, g->note);
	seal_name(record, sizeof(record), scope, period);
	dutylog_seal_put(ctx->txn, record, &s->base);
	/* B8: the month's ledger as signed (this signature in it); a later
	 * change shows against it as a correction. */
	if (!g->day) {
		s->ledger = ledger_lines(ctx, g->month, &s->n_ledger);
		dutylog_seal_put(ctx->txn, record, &s->base);
	}
	/* The scope ("day", "month") is a word of the desk's catalog. */
	ctx_summary(ctx, summary, sizeof(summary), "%-s %" PRIu32 " signed by "
	    "%s: %zu entries, sealed at event %" PRIu64, scope, period,
	    ctx->actor, n, s->seq);
	seal_name(record, sizeof(record), g->day ? "dutylog-day" :
	    "dutylog-month", period);
	log_event(ctx, g->day ? "dutylog.day_signed" : "dutylog.month_signed",
	    0, 0, record, summary, g->note, NULL, s, NULL);
	/* B7: signed, the day's clock stops and its alert clears. */
	if (g->day)
		clock_stop(ctx, CLOCK_DUTYLOG_DAY_UNSIGNED, RECORD_DUTY_LOG,
		    g->day);
	return reply_with(ctx, DESKD__RESPONSE__BODY_SEAL, s);
}

static Deskd__SpotCheck *
spot_get(struct apply_ctx *ctx, uint32_t month)
{
	Deskd__SpotCheck *sc;
	char name[48];

	seal_name(name, sizeof(name), "spot", month);
	sc = dutylog_seal_get(ctx->txn, name, &deskd__spot_check__descriptor);
	ctx_own_msg(ctx, sc);
	return sc;
}

static Deskd__Status
spot_month(struct apply_ctx *ctx, uint32_t month)
{
	const char *shift;

	if (shift_month_days(month) == 0)
		return ctx_fail(ctx, DESKD__STATUS__INVALID_ARGUMENT,
		    "month: %s is not one", period_text(month).s);
	if (month > today(ctx, &shift) / 100)
		return ctx_fail(ctx, DESKD__STATUS__INVALID_ARGUMENT,
		    "month %s has not begun", period_text(month).s);
	return DESKD__STATUS__OK;
}

static void
spot_put(struct apply_ctx *ctx, Deskd__SpotCheck *sc)
{
	char name[48];

	seal_name(name, sizeof(name), "spot", sc->month);
	dutylog_seal_put(ctx->txn, name, &sc->base);
}

/* The month's days with a duty log, ascending (B9's duty records). */
static uint32_t *
log_days(struct apply_ctx *ctx, uint32_t month, size_t *nd)
{
	size_t n = 0;
	Deskd__DutyLogEntry **v = entries(ctx, month * 100 + 1,
	    month * 100 + 31, &n);
	uint32_t *days = ctx_calloc(ctx, n + 1, sizeof(*days));

	*nd = 0;
	for (size_t i = 0; i < n && v != NULL; i++)
		if (*nd == 0 || days[*nd - 1] != v[i]->day)
			days[(*nd)++] = v[i]->day;
	return days;
}

/* B9: the server draws, once a month after it ends, from a seed it
 * records. */
static Deskd__Status
spot_draw_apply(struct apply_ctx *ctx, const Deskd__Request *req)
{
	uint32_t month = req->spot_draw->month;
	Deskd__SpotCheck *sc, *old;
	uint8_t rnd[8];
	size_t nd = 0;
	uint32_t *days;
	int64_t end;
	char record[48], summary[160], when[32];
	Deskd__Status st;

	if (ctx->role != ROLE_DIRECTOR)
		return ctx_fail(ctx, DESKD__STATUS__PERMISSION_DENIED,
		    "the director draws the spot check (B9)");
	if ((st = spot_month(ctx, month)) != DESKD__STATUS__OK)
		return st;
	if ((old = spot_get(ctx, month)) != NULL)
		return ctx_fail(ctx, DESKD__STATUS__CONFLICT, "%s was "
		    "drawn by %s with seed %" PRIu64 " (B9)", period_text(month).s,
		    old->drawn_by, old->seed);
	/* B9: the draw is of the whole month's duty records, so it waits for
	 * the month's last shift; drawn earlier it would miss the rest. */
	if (ctx->now_ms < (end = att_month_end_ms(shift_conf_of(ctx->cfg),
	    month))) {
		att_time_text(when, sizeof(when), end);
		return ctx_fail(ctx, DESKD__STATUS__CONFLICT, "%s is "
		    "not over: draw its spot check after its last shift ends "
		    "at %s (B9)", period_text(month).s, when);
	}
	days = log_days(ctx, month, &nd);
	if (ctx->txn->err != STORE_OK)
		return DESKD__STATUS__INTERNAL;
	if (nd == 0)
		return ctx_fail(ctx, DESKD__STATUS__CONFLICT, "%s has "
		    "no duty log to check (B9)", period_text(month).s);
	if (RAND_bytes(rnd, sizeof(rnd)) != 1)
		return ctx_fail(ctx, DESKD__STATUS__INTERNAL, "no randomness");
	sc = ctx_new(ctx, &deskd__spot_check__descriptor);
	sc->month = month;
	for (size_t i = 0; i < sizeof(rnd); i++)
		sc->seed = sc->seed << 8 | rnd[i];
	sc->candidates = days;
	sc->n_candidates = nd;
	sc->selected = ctx_calloc(ctx, nd, sizeof(uint32_t));
	sc->n_selected = spot_draw(sc->seed, days, nd, sc->selected);
	sc->drawn_by = (char *)ctx->actor;
	sc->drawn_ms = ctx->now_ms;
	spot_put(ctx, sc);
	ctx_summary(ctx, summary, sizeof(summary), "%" PRIu32 ": %zu of %zu "
	    "days drawn with seed %" PRIu64, month, sc->n_selected, nd,
	    sc->seed);
	seal_name(record, sizeof(record), "spotcheck", month);
	log_event(ctx, "spotcheck.drawn", 0, 0, record, summary, NULL, NULL,
	    NULL, sc);
	return reply_with(ctx, DESKD__RESPONSE__BODY_SPOT_CHECK, sc);
}

static Deskd__Status
spot_sign_apply(struct apply_ctx *ctx, const Deskd__Request *req)
{
	const Deskd__SpotCheckSign *g = req->spot_sign;
	Deskd__SpotCheck *old, *sc;
	Deskd__Clock *c;
	Deskd__DutySeal *s;
	size_t i, n = 0;
	char record[48], summary[160];

	if (ctx->role != ROLE_DIRECTOR)
		return ctx_fail(ctx, DESKD__STATUS__PERMISSION_DENIED,
		    "the director signs the spot check (B9)");
	if ((old = spot_get(ctx, g->month)) == NULL)
		return ctx_fail(ctx, DESKD__STATUS__NOT_FOUND, "no spot check "
		    "drawn for %s", period_text(g->month).s);
	for (i = 0; i < old->n_selected; i++)
		if (old->selected[i] == g->day)
			break;
	if (i == old->n_selected)
		return ctx_fail(ctx, DESKD__STATUS__INVALID_ARGUMENT, "%s"
		    " was not drawn for the spot check of %s",
		    period_text(g->day).s, period_text(g->month).s);
	for (i = 0; i < old->n_signs; i++)
		if (old->signs[i]->period == g->day)
			return ctx_fail(ctx, DESKD__STATUS__CONFLICT, "%s"
			    " is already spot-checked by %s (B9)", period_text(g->day).s,
			    old->signs[i]->signed_by);
	entries(ctx, g->day, g->day, &n);
	if (ctx->txn->err != STORE_OK)
		return DESKD__STATUS__INTERNAL;
	s = seal_new(ctx, "spot", g->day, (uint32_t)n, g->note);
	sc = ctx_new(ctx, &deskd__spot_check__descriptor);
	*sc = *old;
	sc->signs = ctx_calloc(ctx, old->n_signs + 1, sizeof(*sc->signs));
	if (old->n_signs > 0)
		memcpy(sc->signs, old->signs, old->n_signs * sizeof(*sc->signs));
	sc->signs[sc->n_signs++] = s;
	spot_put(ctx, sc);
	ctx_summary(ctx, summary, sizeof(summary), "%" PRIu32 " signed by %s: "
	    "%zu of %zu drawn days done", g->day, ctx->actor, sc->n_signs,
	    sc->n_selected);
	seal_name(record, sizeof(record), "spotcheck", g->month);
	log_event(ctx, "spotcheck.signed", 0, 0, record, summary, g->note,
	    NULL, s, sc);
	/* B9: 20 % reached after the director was alerted: the alert clears
	 * and the clock stops.  A clock still waiting stops by itself when it
	 * fires (spot_coverage_fire). */
	if (sc->n_signs >= spot_count(sc->n_candidates) &&
	    (c = clock_get(ctx->txn, RECORD_DUTY_LOG, g->month,
	    CLOCK_SPOTCHECK_COVERAGE)) != NULL) {
		ctx_own_msg(ctx, c);
		if (c->alert_id != 0)
			clock_stop(ctx, CLOCK_SPOTCHECK_COVERAGE,
			    RECORD_DUTY_LOG, g->month);
	}
	return reply_with(ctx, DESKD__RESPONSE__BODY_SPOT_CHECK, sc);
}

static Deskd__Status
spot_report_apply(struct apply_ctx *ctx, const Deskd__Request *req)
{
	uint32_t month = req->spot_report->month;
	Deskd__SpotCheck *sc;
	Deskd__Status st;

	if ((st = spot_month(ctx, month)) != DESKD__STATUS__OK)
		return st;
	if ((sc = spot_get(ctx, month)) == NULL)
		return ctx_fail(ctx, DESKD__STATUS__NOT_FOUND, "no spot check "
		    "drawn for %s yet (B9)", period_text(month).s);
	return reply_with(ctx, DESKD__RESPONSE__BODY_SPOT_CHECK, sc);
}

static const struct request_row dutylog_requests[] = {
	/* B3, B7-B9: the desks and their superiors write and read the duty
	 * log; the handlers check who signs (supervisor, director). */
	{ REQUEST(LOG_ADD, "log add"), .op = OP_HANDOVER,
	    .apply = dlog_add_apply },
	{ REQUEST(LOG_GET, "log show"), .op = OP_HANDOVER,
	    .apply = dlog_get_apply },
	{ REQUEST(LOG_SIGN, "log sign"), .op = OP_HANDOVER,
	    .apply = dlog_sign_apply },
	{ REQUEST(SPOT_DRAW, "spotcheck draw"), .op = OP_HANDOVER,
	    .apply = spot_draw_apply },
	{ REQUEST(SPOT_SIGN, "spotcheck sign"), .op = OP_HANDOVER,
	    .apply = spot_sign_apply },
	{ REQUEST(SPOT_REPORT, "spotcheck report"), .op = OP_HANDOVER,
	    .apply = spot_report_apply },
};

static const struct clock_rule dutylog_clocks[] = {
	/* B7: due the morning after the day, the span past its midnight
	 * (dutylog_day_arm); the team lead is told.  A morning deadline is
	 * not worth a warning in the night. */
	{ CLOCK_DUTYLOG_DAY_UNSIGNED, "B7", R_("the day's duty log is not signed "
	    "by the team lead"), CLOCK_HOURS(9), .role = "supervisor",
	    .no_warning = true, .help = "9h: B7, the next morning at 09:00; "
	    "the time of day past midnight, 9.5h = 09:30", .help_rank = 50 },
	/* B9: due the span after the month's last shift ends (the draw
	 * waits for it).  It checks the spot check and alerts only if
	 * short. */
	{ CLOCK_SPOTCHECK_COVERAGE, "B9", R_("the month's spot check has not "
	    "reached 20 % of the duty records"), CLOCK_DAYS(7),
	    .role = "director", .fire = spot_coverage_fire,
	    .help = "7d: B9, due this long after the month's last shift, "
	    "alerts only if short of 20%",
	    .help_rank = 60 },
};

/* B7 at start: today's duty log is due, with entries or without. */
static void
dutylog_start(struct apply_ctx *ctx)
{
	const char *shift;

	dutylog_day_arm(ctx, today(ctx, &shift));
}

static const struct ordinal dutylog_order = { NULL, "id" };

/* Whoever reads the duty log (LogGet) exports it. */
static const struct kind dutylog_kind = {
	.name = "dutylog", .rec = RECORD_DUTY_LOG,
	.d = &deskd__duty_log_entry__descriptor, .db = DB_DUTY_LOG,
	.prefix = -1, .write = OP_HANDOVER, .read = OP_HANDOVER,
	.export = OP_HANDOVER,
	.changed = "at_ms", .ord = &dutylog_order
};

static const struct kind *const dutylog_kinds[] = {
	&dutylog_kind, NULL
};

/* ---------- the ledger's lines (B7-B9) ---------- */

/* The signatures after a month are due by the end of the next month's
 * SIGN_BY_DAY (B8, B9): the month is signed once it is over. */
#define SIGN_BY_DAY	5

static int64_t
sign_due_ms(uint32_t month)
{
	return calendar_day_start_ms(calendar_month_next(month) * 100 +
	    SIGN_BY_DAY + 1);
}

/* B7: every day of the month signed by the team lead, each the morning
 * after: the last one early in the next month. */
static bool
days_signed_quota(struct apply_ctx *ctx, uint32_t month, struct quota *q)
{
	int days = shift_month_days(month);

	q->what = "days of the duty log signed";
	q->required = (uint64_t)days;
	for (int d = 1; d <= days; d++)
		q->done += seal_get(ctx, "day", month * 100 + (uint32_t)d) !=
		    NULL;
	q->due_ms = calendar_day_start_ms(calendar_day_add(month * 100 +
	    (uint32_t)days, 2));
	return true;
}

/* B8: the month's record sheets signed by the supervisor. */
static bool
month_signed_quota(struct apply_ctx *ctx, uint32_t month, struct quota *q)
{
	q->what = "month of duty records signed";
	q->required = 1;
	q->done = seal_get(ctx, "month", month) != NULL;
	q->due_ms = sign_due_ms(month);
	q->once = true;
	return true;
}

/* B9: 20 % of the days with a duty log spot-checked and signed. */
static bool
spot_signed_quota(struct apply_ctx *ctx, uint32_t month, struct quota *q)
{
	Deskd__SpotCheck *sc = spot_get(ctx, month);
	size_t nd = 0;

	if (sc != NULL) {
		q->required = spot_count(sc->n_candidates);
		q->done = sc->n_signs;
	} else {
		log_days(ctx, month, &nd);
		q->required = spot_count(nd);
	}
	q->what = "duty-log days spot-checked by the director";
	q->due_ms = sign_due_ms(month);
	q->once = true;
	return true;
}

static const struct quota_rule dutylog_quotas[] = {
	{ "B7", days_signed_quota },
	{ "B8", month_signed_quota },
	{ "B9", spot_signed_quota },
};

const struct area dutylog_area = {
	.name = "dutylog",
	.requests = dutylog_requests,
	.nrequests = nitems(dutylog_requests),
	.clocks = dutylog_clocks,
	.nclocks = nitems(dutylog_clocks),
	.start = dutylog_start,
	.kinds = dutylog_kinds,
	.quotas = dutylog_quotas,
	.nquotas = nitems(dutylog_quotas),
};
