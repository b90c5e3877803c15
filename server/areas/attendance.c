/*
 * attendance.c - attendance through storage (A1, B1): clocking in
 * and out against the published schedule, and the month's report with the
 * attendance clerk's submitted mark.  The rules are attendance_rules.c's; every
 * handler checks everything before its first write.
 *
 * A clock-in belongs to the caller's scheduled shift that is under way or
 * starts within ATT_OPEN_BEFORE_MS (the earliest such shift not yet
 * clocked in); lateness counts from that shift's start as published, so a
 * swap or stand-in approved beforehand (A3) moves the shift with it.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "area.h"
#include "attendance_rules.h"
#include "calendar.h"
#include "deadline.h"
#include "config.h"
#include "ctx.h"
#include "attendance.h"
#include "duty_rules.h"
#include "refuse.h"
#include "reply.h"

/* The published schedules a request looked at: at most three days, so at
 * most two months. */
struct sched_cache {
	uint32_t	 month[3];
	Deskd__Schedule	*s[3];
	size_t		 n;
};

static const Deskd__Schedule *
sched_of(struct apply_ctx *ctx, struct sched_cache *c, uint32_t month)
{
	uint32_t v;

	for (size_t i = 0; i < c->n; i++)
		if (c->month[i] == month)
			return c->s[i];
	if (c->n == sizeof(c->s) / sizeof(c->s[0]))
		return NULL;
	v = schedule_latest(ctx->txn, month);
	c->month[c->n] = month;
	c->s[c->n] = v ? schedule_get(ctx->txn, month, v) : NULL;
	ctx_own_msg(ctx, c->s[c->n]);
	return c->s[c->n++];
}

/* The caller's record still clocked in, from yesterday to tomorrow (a
 * night shift, or a shift at midnight clocked into the evening before). */
static Deskd__Attendance *
find_open(struct apply_ctx *ctx, uint32_t today)
{
	const struct shift_conf *sc = shift_conf_of(ctx->cfg);

	for (int d = -1; d <= 1; d++) {
		uint32_t date = att_day_add(today, d);

		for (size_t i = 0; date != 0 && i < sc->nshifts; i++) {
			Deskd__Attendance *a = attendance_get(ctx->txn, date,
			    (uint32_t)i, ctx->actor);

			ctx_own_msg(ctx, a);
			if (a != NULL && a->in_ms != 0 && a->out_ms == 0)
				return a;
		}
	}
	return NULL;
}

static void
att_event(struct apply_ctx *ctx, const char *type, Deskd__Attendance *a,
    const char *line, const char *text)
{
	char record[96];

	/* Kind 0: attendance has no record id of its own, only the label. */
	snprintf(record, sizeof(record), "attendance:%s", a->user);
	ctx_event_msg(ctx, type, 0, 0, record, line, text, &a->base);
}

/* One shift the caller may clock in for. */
struct candidate {
	uint32_t	date;
	int		shift;
	int64_t		start_ms, end_ms;
};

static Deskd__Status
punch_in_apply(struct apply_ctx *ctx, const Deskd__Request *req)
{
	const struct shift_conf *sc = shift_conf_of(ctx->cfg);
	struct sched_cache cache = { .n = 0 };
	struct candidate best = { 0 };
	Deskd__DutyRequest **v;
	Deskd__Attendance *a;
	size_t nv;
	uint32_t today = att_today(ctx->now_ms);
	bool done_before = false;
	char line[256];

	if (today == 0)
		return ctx_fail(ctx, DESKD__STATUS__INTERNAL, "no local date");
	if ((a = find_open(ctx, today)) != NULL)
		return ctx_fail(ctx, DESKD__STATUS__CONFLICT, "already clocked "
		    "in for the %s shift of %04u-%02u-%02u: clock out first",
		    a->shift, a->date / 10000, a->date / 100 % 100,
		    a->date % 100);
	for (int d = -1; d <= 1; d++) {
		uint32_t date = att_day_add(today, d);
		const Deskd__Schedule *s = date ? sched_of(ctx, &cache,
		    date / 100) : NULL;

		for (size_t i = 0; s != NULL && i < s->n_assignments; i++) {
			const Deskd__Assignment *x = s->assignments[i];
			struct candidate c = { date, (int)x->shift, 0, 0 };

			if (x->day != date % 100 || x->shift >= sc->nshifts ||
			    strcmp(x->user, ctx->actor) != 0 ||
			    att_shift_span(&sc->shifts[x->shift], date,
			    &c.start_ms, &c.end_ms) != 0 ||
			    ctx->now_ms < c.start_ms - ATT_OPEN_BEFORE_MS ||
			    ctx->now_ms >= c.end_ms)
				continue;
			a = attendance_get(ctx->txn, date, x->shift,
			    ctx->actor);
			ctx_own_msg(ctx, a);
			if (a != NULL) {
				done_before = true;
				continue;
			}
			if (best.date == 0 || c.start_ms < best.start_ms)
				best = c;
		}
	}
	if (best.date == 0)
		return ctx_fail(ctx, DESKD__STATUS__CONFLICT, done_before ?
		    "already clocked in and out of this shift" : R_("no shift "
		    "of yours in the published schedule is under way or "
		    "starts within 2 hours"));
	/* A8: hours a stand-in covers are not the holder's to be late or
	 * to leave early in. */
	v = (Deskd__DutyRequest **)ctx_records(ctx, DB_DUTY,
	    &deskd__duty_request__descriptor, &nv);
	duty_uncovered(v, nv, ctx->actor, best.date,
	    sc->shifts[best.shift].name, &best.start_ms, &best.end_ms);
	a = ctx_new(ctx, &deskd__attendance__descriptor);
	a->user = (char *)ctx->actor;
	a->date = best.date;
	a->shift = (char *)sc->shifts[best.shift].name;
	a->start_ms = best.start_ms;
	a->end_ms = best.end_ms;
	a->in_ms = ctx->now_ms;
	att_in_minutes(a->start_ms, a->in_ms, &a->late_min, &a->early_min);
	attendance_put(ctx->txn, (uint32_t)best.shift, a);
	/* B1 is reported, not enforced: the event says how early. */
	if (a->late_min > 0)
		ctx_summary(ctx, line, sizeof(line), "%s clocked in for "
		    "%04u-%02u-%02u %s: %" PRIu32 " min late", a->user,
		    a->date / 10000, a->date / 100 % 100, a->date % 100,
		    a->shift, a->late_min);
	else if (a->early_min >= ATT_EARLY_MIN)
		ctx_summary(ctx, line, sizeof(line), "%s clocked in for "
		    "%04u-%02u-%02u %s: %" PRIu32 " min early", a->user,
		    a->date / 10000, a->date / 100 % 100, a->date % 100,
		    a->shift, a->early_min);
	else
		ctx_summary(ctx, line, sizeof(line), "%s clocked in for "
		    "%04u-%02u-%02u %s: on time, %" PRIu32 " min early (B1 "
		    "asks %d)", a->user, a->date / 10000, a->date / 100 % 100,
		    a->date % 100, a->shift, a->early_min, ATT_EARLY_MIN);
	att_event(ctx, "attendance.in", a, line, req->clock_in->note);
	return reply_with(ctx, DESKD__RESPONSE__BODY_ATTENDANCE, a);
}

static Deskd__Status
punch_out_apply(struct apply_ctx *ctx, const Deskd__Request *req)
{
	const struct shift_conf *sc = shift_conf_of(ctx->cfg);
	Deskd__Attendance *open, *a;
	uint32_t today = att_today(ctx->now_ms);
	char line[256];
	int si;

	if (today == 0 || (open = find_open(ctx, today)) == NULL)
		return ctx_fail(ctx, DESKD__STATUS__CONFLICT, "not clocked in");
	if ((si = shift_index(sc, open->shift)) < 0)
		return ctx_fail(ctx, DESKD__STATUS__CONFLICT, "the %s shift is "
		    "no longer in [shifts]", open->shift);
	a = ctx_new(ctx, &deskd__attendance__descriptor);
	*a = *open;
	a->out_ms = ctx->now_ms;
	a->left_early_min = att_left_early(a->end_ms, a->out_ms);
	attendance_put(ctx->txn, (uint32_t)si, a);
	if (a->left_early_min > 0)
		ctx_summary(ctx, line, sizeof(line), "%s clocked out of "
		    "%04u-%02u-%02u %s, %" PRIu32 " min before its end",
		    a->user, a->date / 10000, a->date / 100 % 100,
		    a->date % 100, a->shift, a->left_early_min);
	else
		ctx_summary(ctx, line, sizeof(line), "%s clocked out of "
		    "%04u-%02u-%02u %s", a->user, a->date / 10000,
		    a->date / 100 % 100, a->date % 100, a->shift);
	att_event(ctx, "attendance.out", a, line, req->clock_out->note);
	return reply_with(ctx, DESKD__RESPONSE__BODY_ATTENDANCE, a);
}

/*
 * A1: the attendance clerk (考勤员) submits.  deskd's `[attendance] clerk`
 * names that person; when none is named, the supervisor keeps attendance.
 * An admin may always, to mend a mistake.
 */
static bool
may_submit(const struct apply_ctx *ctx)
{
	const char *clerk = ctx->cfg->attendance_clerk;

	if (ctx->role == ROLE_ADMIN)
		return true;
	if (*clerk != '\0')
		return strcmp(ctx->actor, clerk) == 0;
	return ctx->role == ROLE_SUPERVISOR;
}

/* Lateness and leave are personal: a desk sees its own; the attendance
 * clerk and supervisors and above see everyone's (A1).  One rule for the
 * report and the export (import.c). */
static bool
attendance_reads_all(const struct apply_ctx *ctx)
{
	return ctx->role != ROLE_CLERK || may_submit(ctx);
}

/* The record of one assignment among the month's, or NULL; marked used. */
static const Deskd__Attendance *
record_of(Deskd__Attendance *const *v, size_t n, bool *used, uint32_t date,
    const char *shift, const char *user)
{
	for (size_t i = 0; i < n; i++)
		if (v[i]->date == date && strcmp(v[i]->shift, shift) == 0 &&
		    strcmp(v[i]->user, user) == 0) {
			used[i] = true;
			return v[i];
		}
	return NULL;
}

static void
tally_schedule(struct apply_ctx *ctx, struct att_tally *t,
    const Deskd__Schedule *s, uint32_t month, int64_t asof_ms, bool closed)
{
	const struct shift_conf *sc = shift_conf_of(ctx->cfg);
	Deskd__Attendance **recs;
	size_t nrecs;
	bool *used;

	attendance_month(ctx->txn, month, &recs, &nrecs);
	used = ctx_calloc(ctx, nrecs + 1, sizeof(*used));
	for (size_t i = 0; i < s->n_assignments; i++) {
		const Deskd__Assignment *x = s->assignments[i];
		uint32_t date = month * 100 + x->day;
		int64_t start, end;
		bool over;

		if (*x->user == '\0' || x->shift >= sc->nshifts)
			continue;
		over = att_shift_span(&sc->shifts[x->shift], date, &start,
		    &end) == 0 && end <= asof_ms;
		if (closed && !over)
			continue;
		att_count_shift(t, x->user, record_of(recs, nrecs, used, date,
		    sc->shifts[x->shift].name, x->user), over);
	}
	/* A1, A5: a shift worked stays worked when a later version of the
	 * schedule gives its slot to someone else. */
	for (size_t i = 0; i < nrecs; i++)
		if (!used[i] && (!closed || (recs[i]->end_ms <= asof_ms &&
		    recs[i]->end_ms != 0)))
			att_count_shift(t, recs[i]->user, recs[i], true);
	for (size_t i = 0; i < nrecs; i++)
		deskd__attendance__free_unpacked(recs[i], NULL);
	free(recs);
}

/* The approved duty requests of the month's days up to last_day. */
static void
tally_duty(struct apply_ctx *ctx, struct att_tally *t, uint32_t month,
    uint32_t last_day)
{
	size_t n;
	Deskd__DutyRequest **v = (Deskd__DutyRequest **)ctx_records(ctx,
	    DB_DUTY, &deskd__duty_request__descriptor, &n);

	for (size_t i = 0; i < n; i++)
		if (v[i]->date <= last_day)
			att_count_duty(t, v[i], month);
}

/*
 * The month's rows as of `asof_ms`, sorted, those the caller may read,
 * owned by ctx.  closed (A1's submission): only the shifts ended by then
 * and the duty requests of the days before the report day count, so the
 * figures are the month up to its cut-off and nothing after.
 */
static Deskd__AttendanceRow **
tally_month(struct apply_ctx *ctx, const Deskd__Schedule *s, uint32_t month,
    int64_t asof_ms, bool closed, Deskd__AttendanceRow *const *submitted,
    size_t nsubmitted, size_t *n)
{
	struct att_tally t = { NULL, 0 };

	tally_schedule(ctx, &t, s, month, asof_ms, closed);
	tally_duty(ctx, &t, month, month * 100 + (closed ? ATT_REPORT_DAY - 1 :
	    31));
	if (submitted != NULL)
		att_tally_corrections(&t, submitted, nsubmitted);
	if (!attendance_reads_all(ctx))
		att_tally_keep(&t, ctx->actor);
	att_tally_sort(&t);
	ctx_own_mem(ctx, t.rows);
	for (size_t i = 0; i < t.n; i++) {
		ctx_own_mem(ctx, t.rows[i]->user);
		ctx_own_mem(ctx, t.rows[i]);
	}
	*n = t.n;
	return t.rows;
}

/* The submitted rows the caller may read (A1: lateness is personal). */
static Deskd__AttendanceRow **
rows_readable(struct apply_ctx *ctx, Deskd__AttendanceRow **v, size_t n,
    size_t *kept)
{
	Deskd__AttendanceRow **out;

	if (attendance_reads_all(ctx)) {
		*kept = n;
		return v;
	}
	out = ctx_calloc(ctx, n + 1, sizeof(*out));
	*kept = 0;
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i]->user, ctx->actor) == 0)
			out[(*kept)++] = v[i];
	return out;
}

/* A1: seal the figures up to the cut-off into the submission and its
 * event; they are never counted again. */
static void
submit(struct apply_ctx *ctx, Deskd__AttendanceReportReply *r,
    const Deskd__Schedule *s, int64_t cutoff)
{
	Deskd__AttendanceReportReply *head = ctx_new(ctx,
	    &deskd__attendance_report_reply__descriptor);
	char line[160], when[32];

	r->submitted = true;
	r->submitted_by = (char *)ctx->actor;
	r->submitted_ms = ctx->now_ms;
	r->cutoff_ms = cutoff;
	r->submitted_rows = tally_month(ctx, s, r->month, cutoff, true, NULL,
	    0, &r->n_submitted_rows);
	*head = *r;
	head->rows = NULL;
	head->n_rows = 0;
	attendance_submit(ctx->txn, head);
	clock_stop(ctx, CLOCK_ATTENDANCE_REPORT, RECORD_ATTENDANCE, r->month);
	att_time_text(when, sizeof(when), cutoff);
	ctx_summary(ctx, line, sizeof(line), "attendance of %04u-%02u "
	    "submitted: the shifts ended by %s, %zu people", r->month / 100,
	    r->month % 100, when, head->n_submitted_rows);
	ctx_event_msg(ctx, "attendance.submitted", RECORD_ATTENDANCE, r->month,
	    NULL, line, NULL, &head->base);
}

static Deskd__Status
attendance_report_apply(struct apply_ctx *ctx, const Deskd__Request *req)
{
	const Deskd__AttendanceReport *q = req->attendance_report;
	Deskd__AttendanceReportReply *r, *sub;
	struct sched_cache cache = { .n = 0 };
	const Deskd__Schedule *s;
	int64_t cutoff;
	char when[32];

	if (shift_month_days(q->month) == 0)
		return ctx_fail(ctx, DESKD__STATUS__INVALID_ARGUMENT, "month: "
		    "not a month (YYYYMM)");
	if (q->submit && !may_submit(ctx))
		return ctx_fail(ctx, DESKD__STATUS__PERMISSION_DENIED, "only "
		    "the attendance clerk (%s) submits the report (A1)",
		    *ctx->cfg->attendance_clerk ? ctx->cfg->attendance_clerk :
		    "a supervisor");
	sub = attendance_submitted(ctx->txn, q->month);
	ctx_own_msg(ctx, sub);
	if (q->submit && sub != NULL)
		return ctx_fail(ctx, DESKD__STATUS__CONFLICT, "%04u-%02u was "
		    "submitted by %s already", q->month / 100, q->month % 100,
		    sub->submitted_by);
	cutoff = att_cutoff_ms(shift_conf_of(ctx->cfg), q->month);
	if (q->submit && ctx->now_ms < cutoff) {
		att_time_text(when, sizeof(when), cutoff);
		return ctx_fail(ctx, DESKD__STATUS__CONFLICT, "%04u-%02u is "
		    "submitted once its shifts up to the %dth are over: from %s "
		    "(A1)", q->month / 100, q->month % 100, ATT_REPORT_DAY - 1,
		    when);
	}
	if ((s = sched_of(ctx, &cache, q->month)) == NULL)
		return ctx_fail(ctx, DESKD__STATUS__CONFLICT, "%04u-%02u has "
		    "no published schedule", q->month / 100, q->month % 100);
	r = ctx_new(ctx, &deskd__attendance_report_reply__descriptor);
	r->month = q->month;
	r->rows = tally_month(ctx, s, q->month, ctx->now_ms, false, NULL, 0,
	    &r->n_rows);
	if (q->submit) {
		submit(ctx, r, s, cutoff);
	} else if (sub != NULL) {
		r->submitted = true;
		r->submitted_by = sub->submitted_by;
		r->submitted_ms = sub->submitted_ms;
		r->cutoff_ms = sub->cutoff_ms;
		r->submitted_rows = rows_readable(ctx, sub->submitted_rows,
		    sub->n_submitted_rows, &r->n_submitted_rows);
		/* A1: a change since, up to the cut-off, is shown. */
		if (sub->cutoff_ms != 0)
			r->corrected_rows = tally_month(ctx, s, q->month,
			    sub->cutoff_ms, true, sub->submitted_rows,
			    sub->n_submitted_rows, &r->n_corrected_rows);
	}
	return reply_with(ctx, DESKD__RESPONSE__BODY_ATTENDANCE_REPORT, r);
}

/* ---------- the A1 and A4 clocks ---------- */

/* A4: New Year, Spring Festival, 1 May, 1 October, by their names in the
 * calendar file ("国庆节、中秋节" names two at once). */
static bool
major_holiday(const char *name)
{
	static const char *const major[] = { "元旦", "春节", "劳动节",
	    "国庆节" };

	for (size_t i = 0; i < sizeof(major) / sizeof(major[0]); i++)
		if (strstr(name, major[i]) != NULL)
			return true;
	return false;
}

/* Arm a clock unless it runs already: re-arming would clear an alert
 * that is escalating. */
static void
arm_once(struct apply_ctx *ctx, const char *name, enum record_kind kind,
    uint64_t id, int64_t due_ms)
{
	Deskd__Clock *c = clock_get(ctx->txn, kind, id, name);

	if (c != NULL)
		deskd__clock__free_unpacked(c, NULL);
	else if (due_ms > 0)
		clock_arm(ctx, name, kind, id, due_ms);
}

/*
 * A4: every major holiday still to come needs its month (that of its first
 * day) published 7 days before that day; the clock alerts the supervisor
 * at that deadline, and a publish of the month stops it.
 */
static void
holiday_clocks(struct apply_ctx *ctx, uint32_t today)
{
	const struct calendar_holiday *h;
	size_t n;

	h = calendar_holidays(clock_calendar(), &n);
	for (size_t i = 0; i < n; i++) {
		if (!major_holiday(h[i].name) || h[i].first <= today)
			continue;
		if (schedule_latest(ctx->txn, h[i].first / 100) != 0)
			clock_stop(ctx, CLOCK_HOLIDAY_PUBLISH, RECORD_SCHEDULE,
			    h[i].first);
		else
			arm_once(ctx, CLOCK_HOLIDAY_PUBLISH, RECORD_SCHEDULE,
			    h[i].first, att_day_ms(att_day_add(h[i].first,
			    -7)));
	}
}

/* A1: a published month not yet submitted is due to HR by the end of its
 * 25th (it can be submitted from the cut-off, the start of that day); the
 * warning (75 % of the way) is the reminder, and the submit stops the
 * clock.  Armed only ahead of the deadline: a month published after its
 * own 25th would otherwise raise an alert at once, and every
 * handover would carry it as pending work.  An armed clock still fires
 * late after deskd was down. */
static void
report_clock(struct apply_ctx *ctx, uint32_t month)
{
	Deskd__AttendanceReportReply *sub;
	int64_t due = att_day_ms(month * 100 + ATT_REPORT_DAY + 1);

	if (due <= ctx->now_ms)
		return;
	if ((sub = attendance_submitted(ctx->txn, month)) != NULL) {
		deskd__attendance_report_reply__free_unpacked(sub, NULL);
		return;
	}
	arm_once(ctx, CLOCK_ATTENDANCE_REPORT, RECORD_ATTENDANCE, month, due);
}

void
attendance_clocks(struct apply_ctx *ctx, uint32_t published_month)
{
	uint32_t today = att_today(ctx->now_ms), next;

	if (today == 0)
		return;
	holiday_clocks(ctx, today);
	if (published_month != 0) {
		report_clock(ctx, published_month);
		return;
	}
	next = att_day_add(today / 100 * 100 + 28, 7) / 100;
	if (schedule_latest(ctx->txn, today / 100) != 0)
		report_clock(ctx, today / 100);
	if (next != 0 && schedule_latest(ctx->txn, next) != 0)
		report_clock(ctx, next);
}

static const struct request_row attendance_requests[] = {
	/* A1: whoever is on the rota clocks in and reads the report; the
	 * handler checks who submits it. */
	{ REQUEST(CLOCK_IN, "clock in"), .op = OP_HANDOVER,
	    .apply = punch_in_apply },
	{ REQUEST(CLOCK_OUT, "clock out"), .op = OP_HANDOVER,
	    .apply = punch_out_apply },
	{ REQUEST(ATTENDANCE_REPORT, "attendance report"),
	    .op = OP_SCHEDULE_READ, .apply = attendance_report_apply },
};

/* A1, A4: the deadlines are dates (report_clock, holiday_clocks); the
 * spans only configure. */
static const struct clock_rule attendance_clock_rules[] = {
	{ CLOCK_ATTENDANCE_REPORT, "A1", R_("the month's attendance report is "
	    "not submitted to HR (desk attendance submit)"),
	    .span_ms = CLOCK_HOURS(24) },
	{ CLOCK_HOLIDAY_PUBLISH, "A4", R_("the schedule of a month with a major "
	    "holiday is not published a week before it"), CLOCK_HOURS(24),
	    .role = "supervisor" },
};

/* A1: the month's attendance submitted to HR by the 25th. */
static bool
attendance_quota(struct apply_ctx *ctx, uint32_t month, struct quota *q)
{
	Deskd__AttendanceReportReply *sub = attendance_submitted(ctx->txn,
	    month);

	q->what = "attendance report submitted by the 25th";
	q->required = 1;
	q->done = sub != NULL;
	q->due_ms = att_day_ms(month * 100 + ATT_REPORT_DAY + 1);
	q->once = true;
	ctx_own_msg(ctx, sub);
	return true;
}

static const struct quota_rule attendance_quotas[] = {
	{ "A1", attendance_quota },
};

/* A1, A4 at start: deadlines of months published while deskd was down,
 * or holidays the calendar gained. */
static void
attendance_start(struct apply_ctx *ctx)
{
	attendance_clocks(ctx, 0);
}

/* A1: the report's rule, not a role's: a desk reads only its own
 * attendance, and an export is everyone's. */
static Deskd__Status
attendance_may_export(struct apply_ctx *ctx)
{
	if (attendance_reads_all(ctx))
		return DESKD__STATUS__OK;
	return ctx_fail(ctx, DESKD__STATUS__PERMISSION_DENIED, "kind: "
	    "attendance is exported by the attendance clerk and supervisors "
	    "and above; a desk reads its own in the report (A1)");
}

/* Keyed by shift and person; the submitted marks (0xff...) are not
 * records. */
static const struct ordinal attendance_order = { "\xff", "date shift user" };

static const struct kind attendance_kind = {
	.name = "attendance", .rec = RECORD_ATTENDANCE,
	.d = &deskd__attendance__descriptor, .db = DB_ATTENDANCE,
	.prefix = -1, .write = OP_SCHEDULE_READ, .read = OP_SCHEDULE_READ,
	.export = OP_SCHEDULE_READ,
	.changed = "in_ms out_ms", .ord = &attendance_order,
	.may_export = attendance_may_export
};

static const struct kind *const attendance_kinds[] = {
	&attendance_kind, NULL
};

const struct area attendance_area = {
	.name = "attendance",
	.requests = attendance_requests,
	.nrequests = nitems(attendance_requests),
	.clocks = attendance_clock_rules,
	.nclocks = nitems(attendance_clock_rules),
	.start = attendance_start,
	.kinds = attendance_kinds,
	.quotas = attendance_quotas,
	.nquotas = nitems(attendance_quotas),
};
