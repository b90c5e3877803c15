/*
 * deadline.c - the deadline engine (issue 3; H2).  The kinds of clocks
 * (what each is for, its span, whom it tells) are the areas' (clock_rule in
 * area.h); the engine gathers them at start and names none.
 *
 * Clocks live in LMDB (storage/clocks.c), keyed by when they next fire.
 * Handlers arm, stop and acknowledge them inside their own transaction, so a
 * clock exists exactly when the event that started it is committed.  One
 * libevent timer waits for the earliest row; when it fires, every due clock
 * advances one stage in one write transaction together with the alert event
 * that stage produces, so a stage fires exactly once, even across kill -9:
 * committed means fired, not committed means it fires at the next start
 * (marked late by how long deskd was down).
 *
 * Stages: WARN (at warn_pct of the span) -> BREACH (the deadline: raise an
 * alert to the desk) -> FOLLOW_UP (raise again every repeat_ms, escalate to
 * the supervisor after escalate_ms and to the director after
 * escalate_director_ms, counted from the breach) until the alert is
 * acknowledged or the work is done.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <event2/event.h>

#include "area.h"
#include "calendar.h"
#include "now.h"
#include "deadline.h"
#include "config.h"
#include "ctx.h"
#include "log.h"
#include "push.h"
#include "refuse.h"
#include "request.h"
#include "server.h"

#define MIN	((int64_t)60 * 1000)
#define FIRE_MAX	1000	/* stages per transaction; the rest next pass */
#define USAGE_WIDTH	80	/* --help's lines, at most */

/* The kinds of clocks, gathered from the areas at start. */
static const struct clock_rule *defs[CLOCK_MAX];
static int ndefs;

/* The [clocks] section's block: one clock_conf a kind, as defs. */
struct clock_confs {
	struct clock_conf c[CLOCK_MAX];
};

static void	clock_config_defaults(void *);
static int	clock_config_set(void *, const char *, const char *, char *,
		    size_t);
static void	clock_usage(FILE *);

static const struct config_section clock_settings = {
	.name = "clocks",
	.size = sizeof(struct clock_confs),
	.defaults = clock_config_defaults,
	.set = clock_config_set,
	.flag = "clock",
	.flag_form = "NAME=DURATION, e.g. repair.no_engineer=3s",
	.usage = clock_usage,
	.usage_rank = 10,
};

void
clock_rules_register(void)
{
	const struct area *a;

	if (ndefs > 0)
		return;		/* once a process */
	for (size_t i = 0; (a = area_nth(i)) != NULL; i++)
		for (size_t j = 0; j < a->nclocks; j++) {
			for (int k = 0; k < ndefs; k++)
				if (strcmp(defs[k]->name, a->clocks[j].name) ==
				    0)
					fatalx("clock %s is defined twice",
					    defs[k]->name);
			if (ndefs == CLOCK_MAX)
				fatalx("more than %d kinds of clocks",
				    CLOCK_MAX);
			defs[ndefs++] = &a->clocks[j];
		}
	config_add_section(&clock_settings);
}

const struct clock_rule *
clock_rule_nth(size_t i)
{
	return i < (size_t)ndefs ? defs[i] : NULL;
}

static int
def_index(const char *name, size_t len)
{
	for (int i = 0; i < ndefs; i++)
		if (strlen(defs[i]->name) == len &&
		    strncmp(defs[i]->name, name, len) == 0)
			return i;
	return -1;
}

/* The settings of kind i in a config. */
static const struct clock_conf *
conf_at(const struct config *cfg, int i)
{
	const struct clock_confs *cc = config_section(cfg, &clock_settings);

	return &cc->c[i];
}

const struct clock_conf *
clock_conf_of(const struct config *cfg, const char *name)
{
	int i = def_index(name, strlen(name));

	return i < 0 ? NULL : conf_at(cfg, i);
}

static void
clock_config_defaults(void *block)
{
	struct clock_conf *cc = ((struct clock_confs *)block)->c;

	for (int i = 0; i < ndefs; i++) {
		cc[i].span_ms = defs[i]->span_ms;
		cc[i].span_workdays = defs[i]->span_workdays;
		/* A boundary is an instant, nothing to warn of. */
		cc[i].warn_pct = defs[i]->fire == NULL &&
		    !defs[i]->no_warning ? 75 : 0;
		cc[i].repeat_ms = 10 * MIN;
		cc[i].escalate_ms = 10 * MIN;
		cc[i].escalate_director_ms = 30 * MIN;
	}
}

static int
clock_config_set(void *block, const char *key, const char *value, char *err,
    size_t errlen)
{
	static const char *const parts[] = { "warn", "repeat", "escalate",
	    "escalate_director" };
	struct clock_conf *cc = ((struct clock_confs *)block)->c;
	const char *dot = NULL;
	int i = def_index(key, strlen(key)), part = -1;
	int64_t ms;
	char *end;
	long v;
	if (i < 0) {
		/* NAME.part: the name itself has dots, so try the last one. */
		dot = strrchr(key, '.');
		if (dot != NULL)
			i = def_index(key, (size_t)(dot - key));
		for (size_t p = 0; dot && p < sizeof(parts) / sizeof(parts[0]);
		    p++)
			if (strcmp(dot + 1, parts[p]) == 0)
				part = (int)p;
		if (i < 0 || part < 0) {
			snprintf(err, errlen, "unknown clock setting '%s'", key);
			return -1;
		}
	}
	if (part == 0) {
		/* warn = 75% of the span; 0 turns the warning off */
		errno = 0;
		v = strtol(value, &end, 10);
		if (errno || end == value || v < 0 || v >= 100 ||
		    (*end && strcmp(end, "%") != 0))
			goto bad;
		cc[i].warn_pct = (int)v;
		return 0;
	}
	if (part < 0) {
		size_t len = strlen(value);

		/* C4, D5: "2wd" is two working days on the calendar. */
		if (len > 2 && strcmp(value + len - 2, "wd") == 0) {
			errno = 0;
			v = strtol(value, &end, 10);
			if (errno || end != value + len - 2 || v < 1 || v > 365)
				goto bad;
			cc[i].span_workdays = (int)v;
			cc[i].span_ms = 0;
			return 0;
		}
	}
	if (config_parse_duration_ms(value, &ms) != 0 ||
	    (part < 0 && ms < 1000))
		goto bad;
	switch (part) {
	case -1:
		cc[i].span_ms = ms;
		cc[i].span_workdays = 0;
		break;
	case 1:
		cc[i].repeat_ms = ms;
		break;
	case 2:
		cc[i].escalate_ms = ms;
		break;
	default:
		cc[i].escalate_director_ms = ms;
		break;
	}
	return 0;
bad:
	snprintf(err, errlen, "clock %s: bad value '%s' (a duration such as "
	    "20m or 3s, at least 1s; a span may be 2wd; warn is a percentage "
	    "below 100)", key, value);
	return -1;
}

/*
 * --help's lines of the [clocks] section: the clocks the areas list, in
 * their help_rank, filled to the width of the lines above.
 */
static void
clock_usage(FILE *f)
{
	static const char indent[] = "                         ";
	char text[2048], *word, *save = NULL;
	const struct clock_rule *by_rank[CLOCK_MAX];
	size_t len = 0, n = 0, col;

	for (int i = 0; i < ndefs; i++) {
		size_t j = n;

		if (defs[i]->help == NULL)
			continue;
		for (n++; j > 0 && by_rank[j - 1]->help_rank >
		    defs[i]->help_rank; j--)
			by_rank[j] = by_rank[j - 1];
		by_rank[j] = defs[i];
	}
	for (size_t i = 0; i < n && len < sizeof(text); i++)
		len += (size_t)snprintf(text + len, sizeof(text) - len,
		    "%s%s (%s)", i ? ", " : "", by_rank[i]->name,
		    by_rank[i]->help);
	if (len < sizeof(text))
		snprintf(text + len, sizeof(text) - len, "; NAME.warn (75%%), "
		    "NAME.repeat (10m), NAME.escalate (10m), "
		    "NAME.escalate_director (30m); repeatable");
	fprintf(f, "  --clock NAME=DURATION  a deadline clock, as in the "
	    "[clocks] section:\n");
	col = 0;
	for (word = strtok_r(text, " ", &save); word != NULL;
	    word = strtok_r(NULL, " ", &save)) {
		if (col > 0 && col + 1 + strlen(word) > USAGE_WIDTH) {
			fputc('\n', f);
			col = 0;
		}
		if (col == 0)
			col = (size_t)fprintf(f, "%s%s", indent, word);
		else
			col += (size_t)fprintf(f, " %s", word);
	}
	fputc('\n', f);
}

/* ---------- working days ---------- */

/* The working-day calendar (C4, D5); set at startup, weekends only until
 * then. */
static const struct calendar *work_calendar;

void
clock_set_calendar(const struct calendar *cal)
{
	work_calendar = cal;
}

const struct calendar *
clock_calendar(void)
{
	return work_calendar;
}

int64_t
clock_deadline(const struct apply_ctx *ctx, const char *name, int64_t from_ms)
{
	int i = def_index(name, strlen(name));
	const struct clock_conf *cc;

	if (i < 0)
		return from_ms;
	cc = conf_at(ctx->cfg, i);
	if (cc->span_workdays > 0) {
		static struct calendar *weekends;
		int64_t t;

		if (work_calendar == NULL && weekends == NULL)
			weekends = calendar_new();
		t = calendar_add_working_days(work_calendar ? work_calendar :
		    weekends, from_ms, cc->span_workdays);
		return t == CALENDAR_ERROR ? from_ms : t;
	}
	return from_ms + cc->span_ms;
}

/* ---------- stages ---------- */

static void
record_label(char *out, size_t len, uint32_t kind, uint64_t id)
{
	snprintf(out, len, "%s:%" PRIu64, record_kind_name((enum record_kind)
	    kind), id);
}

static void
fmt_hm(char *out, size_t len, int64_t ms)
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;

	localtime_r(&t, &tm);
	strftime(out, len, "%m-%d %H:%M", &tm);
}

/* The verbs of the alert events, words of the desk's catalog. */
static const char *const alert_verbs[] = { R_("warning"), R_("raised"),
    R_("escalated"), R_("cleared"), R_("acked") };

static void
alert_event(struct apply_ctx *ctx, const char *type, Deskd__Alert *a,
    const char *text)
{
	char summary[384], due[32];
	const char *verb = said_word(alert_verbs, nitems(alert_verbs),
	    type + strlen("alert.")), *to = *a->role ? " -> " : "";
	int64_t late = strcmp(type, "alert.raised") == 0 ? a->late_ms : 0;

	/* The message (what to do) and the role are catalog words too. */
	fmt_hm(due, sizeof(due), a->due_ms);
	if (late < 1000)
		ctx_summary(ctx, summary, sizeof(summary), "%-s %s %-s (%s, due "
		    "%s)%s%-s", verb, a->record, a->message, a->rule, due, to,
		    a->role);
	else if (late < 120 * 1000)
		ctx_summary(ctx, summary, sizeof(summary), "%-s %s %-s (%s, due "
		    "%s, late by %" PRId64 "s)%s%-s", verb, a->record,
		    a->message, a->rule, due, late / 1000, to, a->role);
	else
		ctx_summary(ctx, summary, sizeof(summary), "%-s %s %-s (%s, due "
		    "%s, late by %" PRId64 "min)%s%-s", verb, a->record,
		    a->message, a->rule, due, late / MIN, to, a->role);
	/* A warning has no alert record yet: it is told under the record the
	 * clock runs on, without a history entry. */
	if (a->id == 0)
		ctx_event_msg(ctx, type, 0, 0, a->record, summary, text,
		    &a->base);
	else
		ctx_event_msg(ctx, type, RECORD_ALERT, a->id, NULL, summary,
		    text, &a->base);
}

/* The next time anything is due after a breach, or 0. */
static int64_t
follow_up_due(const struct clock_conf *cc, const Deskd__Clock *c,
    int64_t raised_ms)
{
	int64_t next = c->next_repeat_ms, esc = 0;

	if (c->level == 0 && cc->escalate_ms > 0)
		esc = raised_ms + cc->escalate_ms;
	else if (c->level == 1 && cc->escalate_director_ms > 0)
		esc = raised_ms + cc->escalate_director_ms;
	if (esc && (!next || esc < next))
		next = esc;
	return next;
}

static void	clear_alert(struct apply_ctx *, const Deskd__Clock *,
		    const char *);
static void	arm(struct apply_ctx *, const char *, enum record_kind,
		    uint64_t, int64_t, uint32_t, bool);

static void
fire_one(struct apply_ctx *ctx, const Deskd__Clock *old)
{
	int i = def_index(old->name, strlen(old->name));
	const struct clock_conf *cc;
	Deskd__Clock c = *old;
	Deskd__Alert *a = NULL, fresh = DESKD__ALERT__INIT;
	char record[48];
	int64_t now = ctx->now_ms, esc;

	if (i < 0) {
		/* A clock this deskd does not know: drop it, loudly. */
		log_warnx("%s: unknown clock %s; dropped", __func__, old->name);
		clock_del(ctx->txn, old);
		return;
	}
	cc = conf_at(ctx->cfg, i);
	record_label(record, sizeof(record), old->record_kind, old->record_id);
	fresh.rule = (char *)defs[i]->rule;
	fresh.clock = old->name;
	fresh.record = record;
	fresh.record_kind = old->record_kind;
	fresh.record_id = old->record_id;
	fresh.due_ms = old->deadline_ms;
	fresh.message = (char *)defs[i]->todo;
	fresh.role = (char *)(defs[i]->role ? defs[i]->role : "clerk");
	fresh.owner = old->owner;

	switch (old->stage) {
	case DESKD__CLOCK_STAGE__STAGE_WARN:
		/* A warning is an event, not an alert to acknowledge. */
		fresh.raised_ms = now;
		alert_event(ctx, "alert.warning", &fresh, NULL);
		c.stage = DESKD__CLOCK_STAGE__STAGE_BREACH;
		c.next_ms = old->deadline_ms;
		break;
	case DESKD__CLOCK_STAGE__STAGE_BREACH:
		if (defs[i]->fire != NULL && defs[i]->fire(ctx, &c) == 0)
			break;
		/* Extended (clock_extend): the alert taken before gives way to
		 * this one. */
		clear_alert(ctx, old, "superseded");
		fresh.id = store_next_id(ctx->txn, RECORD_ALERT);
		fresh.raised_ms = now;
		fresh.late_ms = now - old->deadline_ms;
		if (defs[i]->role == NULL && c.level > 0)
			fresh.role = c.level == 1 ? "supervisor" : "director";
		alert_put(ctx->txn, &fresh);
		alert_event(ctx, "alert.raised", &fresh, NULL);
		c.alert_id = fresh.id;
		/* Addressed to the supervisor first (B5): the next step up is
		 * the director; to the director (B9): no step up.  A clock
		 * armed higher (D3: a time promised the owner) starts there. */
		if (defs[i]->role != NULL && c.level < 1)
			c.level = strcmp(defs[i]->role, "director") == 0 ?
			    2 : 1;
		c.stage = DESKD__CLOCK_STAGE__STAGE_FOLLOW_UP;
		c.next_repeat_ms = cc->repeat_ms ? now + cc->repeat_ms : 0;
		c.next_ms = follow_up_due(cc, &c, now);
		break;
	case DESKD__CLOCK_STAGE__STAGE_FOLLOW_UP:
		if ((a = alert_get(ctx->txn, old->alert_id)) == NULL ||
		    a->state != DESKD__ALERT_STATE__ALERT_OPEN) {
			c.next_ms = 0;
			break;
		}
		esc = c.level == 0 ? (cc->escalate_ms ? a->raised_ms +
		    cc->escalate_ms : 0) : c.level == 1 ?
		    (cc->escalate_director_ms ? a->raised_ms +
		    cc->escalate_director_ms : 0) : 0;
		/* The unpacked alert keeps its strings for freeing; the
		 * changed copy may point elsewhere. */
		fresh = *a;
		if (esc && esc <= now) {
			/* H2: unacknowledged, it climbs desk -> supervisor ->
			 * director, each step once. */
			c.level++;
			fresh.role = c.level == 1 ? "supervisor" : "director";
			alert_put(ctx->txn, &fresh);
			alert_event(ctx, "alert.escalated", &fresh, NULL);
		} else if (c.next_repeat_ms && c.next_repeat_ms <= now) {
			fresh.repeats++;
			alert_put(ctx->txn, &fresh);
			alert_event(ctx, "alert.raised", &fresh, "again");
			c.next_repeat_ms += cc->repeat_ms;
			if (c.next_repeat_ms <= now)
				c.next_repeat_ms = now + cc->repeat_ms;
		}
		c.next_ms = follow_up_due(cc, &c, a->raised_ms);
		break;
	default:
		c.next_ms = 0;
		break;
	}
	if (c.next_ms == 0)
		c.stage = DESKD__CLOCK_STAGE__STAGE_NONE;
	clock_put(ctx->txn, old, &c);
	if (a != NULL)
		deskd__alert__free_unpacked(a, NULL);
}

/* ---------- what handlers call ---------- */

static void
alert_raise(struct apply_ctx *ctx, const char *rule, const char *record,
    enum record_kind kind, uint64_t id, const char *role, const char *message)
{
	Deskd__Alert a = DESKD__ALERT__INIT;
	struct refusal coded;

	a.id = store_next_id(ctx->txn, RECORD_ALERT);
	a.rule = (char *)rule;
	a.clock = "";
	a.record = (char *)record;
	a.record_kind = kind;
	a.record_id = id;
	a.due_ms = a.raised_ms = ctx->now_ms;
	a.role = (char *)role;
	a.message = (char *)message;
	/* A message made with ctx_summary keeps its code (PROTOCOL.md 6.1),
	 * copied: the event's own summary is noted over it. */
	if (ctx->said.code != NULL && strcmp(ctx->said_text, message) == 0) {
		refusal_copy(&coded, &ctx->said);
		a.message_code = (char *)(coded.code ? coded.code : "");
		a.n_message_args = (size_t)coded.nargs;
		a.message_args = (char **)coded.args;
		ctx->said.code = NULL;
	}
	alert_put(ctx->txn, &a);
	alert_event(ctx, "alert.raised", &a, NULL);
}

void
clock_alert_raise(struct apply_ctx *ctx, const char *rule,
    enum record_kind kind, uint64_t id, const char *role, const char *message)
{
	char record[48];

	record_label(record, sizeof(record), kind, id);
	alert_raise(ctx, rule, record, kind, id, role, message);
}

static void
clear_alert(struct apply_ctx *ctx, const Deskd__Clock *c, const char *why)
{
	Deskd__Alert *a;

	if (c->alert_id == 0 ||
	    (a = alert_get(ctx->txn, c->alert_id)) == NULL)
		return;
	if (a->state != DESKD__ALERT_STATE__ALERT_CLEARED) {
		Deskd__Alert cleared = *a;

		cleared.state = DESKD__ALERT_STATE__ALERT_CLEARED;
		cleared.cleared_ms = ctx->now_ms;
		alert_put(ctx->txn, &cleared);
		alert_event(ctx, "alert.cleared", &cleared, why);
	}
	deskd__alert__free_unpacked(a, NULL);
}

void
clock_arm(struct apply_ctx *ctx, const char *name, enum record_kind kind,
    uint64_t id, int64_t deadline_ms)
{
	arm(ctx, name, kind, id, deadline_ms, 0, false);
}

void
clock_extend(struct apply_ctx *ctx, const char *name, enum record_kind kind,
    uint64_t id, int64_t deadline_ms, uint32_t level)
{
	arm(ctx, name, kind, id, deadline_ms, level, true);
}

/* clock_arm, or (keep) clock_extend: the running clock's alert stays
 * until the new deadline passes. */
static void
arm(struct apply_ctx *ctx, const char *name, enum record_kind kind,
    uint64_t id, int64_t deadline_ms, uint32_t level, bool keep)
{
	Deskd__Clock c = DESKD__CLOCK__INIT, *old;
	int i = def_index(name, strlen(name));
	int64_t warn_at, span;
	int pct;

	if (i < 0 || deadline_ms <= 0)
		return;
	/* Re-armed (a new agreed reply time, C2): the old clock and its alert
	 * are superseded, never fired again. */
	if ((old = clock_get(ctx->txn, kind, id, name)) != NULL && !keep)
		clear_alert(ctx, old, "superseded");
	else if (old != NULL)
		c.alert_id = old->alert_id;
	c.name = (char *)name;
	c.record_kind = kind;
	c.record_id = id;
	/* A desk's clock is held by whoever last acted on the record (B5 hands
	 * it on); deskd re-arming it keeps the holder.  Clocks addressed to
	 * a supervisor or the director have no holder. */
	if (defs[i]->role == NULL)
		c.owner = strcmp(ctx->actor, CLOCK_ACTOR) != 0 ?
		    (char *)ctx->actor : old != NULL ? old->owner : "";
	c.start_ms = ctx->now_ms;
	c.deadline_ms = deadline_ms;
	c.level = level;
	/* In two parts: span * pct overflows (undefined) for a deadline
	 * far enough away, e.g. a client's next_reply_ms of INT64_MAX. */
	span = deadline_ms - c.start_ms;
	pct = conf_at(ctx->cfg, i)->warn_pct;
	warn_at = c.start_ms + span / 100 * pct + span % 100 * pct / 100;
	if (pct > 0 && warn_at > ctx->now_ms &&
	    warn_at < deadline_ms) {
		c.stage = DESKD__CLOCK_STAGE__STAGE_WARN;
		c.next_ms = warn_at;
	} else {
		c.stage = DESKD__CLOCK_STAGE__STAGE_BREACH;
		c.next_ms = deadline_ms;
	}
	clock_put(ctx->txn, old, &c);
	if (old != NULL)
		deskd__clock__free_unpacked(old, NULL);
}

void
clock_stop(struct apply_ctx *ctx, const char *name, enum record_kind kind,
    uint64_t id)
{
	Deskd__Clock *old;

	if ((old = clock_get(ctx->txn, kind, id, name)) == NULL)
		return;
	clear_alert(ctx, old, "done");
	clock_del(ctx->txn, old);
	deskd__clock__free_unpacked(old, NULL);
}

size_t
clock_hand_over(struct apply_ctx *ctx, enum record_kind kind, uint64_t id,
    const char *to, void (*handed)(struct apply_ctx *, const char *, void *),
    void *arg)
{
	Deskd__Clock **v;
	size_t n, moved = 0;
	char what[96];

	if (clock_list_record(ctx->txn, kind, id, &v, &n) != STORE_OK)
		return 0;
	for (size_t i = 0; i < n; i++) {
		Deskd__Clock c = *v[i];
		int d = def_index(c.name, strlen(c.name));

		/* Only a desk's clock still running to its breach. */
		if (d >= 0 && defs[d]->role == NULL &&
		    (c.stage == DESKD__CLOCK_STAGE__STAGE_WARN ||
		    c.stage == DESKD__CLOCK_STAGE__STAGE_BREACH)) {
			c.owner = (char *)to;
			clock_put(ctx->txn, v[i], &c);
			snprintf(what, sizeof(what), "%s:%" PRIu64 " %s",
			    record_kind_name(kind), id, c.name);
			handed(ctx, what, arg);
			moved++;
		}
		deskd__clock__free_unpacked(v[i], NULL);
	}
	free(v);
	return moved;
}

Deskd__Alert *
clock_alert_ack(struct apply_ctx *ctx, const Deskd__Alert *a,
    const char *note)
{
	Deskd__Alert *acked = ctx_new(ctx, &deskd__alert__descriptor);
	Deskd__Clock *c, quiet;

	/* A copy: `a` keeps its own strings; both live until ctx is done. */
	*acked = *a;
	acked->state = DESKD__ALERT_STATE__ALERT_ACKED;
	acked->acked_by = (char *)ctx->actor;
	acked->acked_ms = ctx->now_ms;
	acked->note = (char *)(note ? note : "");
	alert_put(ctx->txn, acked);
	alert_event(ctx, "alert.acked", acked, note);
	/* Taken: no more repeats or escalation; the clock waits silently for
	 * the work to be done (which clears the alert). */
	c = clock_get(ctx->txn, (enum record_kind)a->record_kind, a->record_id,
	    a->clock);
	if (c != NULL && c->alert_id == a->id) {
		quiet = *c;
		quiet.stage = DESKD__CLOCK_STAGE__STAGE_NONE;
		quiet.next_ms = 0;
		clock_put(ctx->txn, c, &quiet);
	}
	if (c != NULL)
		deskd__clock__free_unpacked(c, NULL);
	return acked;
}

void
clock_ack(struct apply_ctx *ctx, const char *name, enum record_kind kind,
    uint64_t id, const char *note)
{
	Deskd__Clock *c;
	Deskd__Alert *a = NULL;

	if ((c = clock_get(ctx->txn, kind, id, name)) == NULL)
		return;
	if (c->alert_id != 0)
		a = alert_get(ctx->txn, c->alert_id);
	ctx_own_msg(ctx, a);
	if (a != NULL && a->state == DESKD__ALERT_STATE__ALERT_OPEN)
		clock_alert_ack(ctx, a, note);
	deskd__clock__free_unpacked(c, NULL);
}

/* ---------- the timer ---------- */

static struct event *timer_ev;
static int64_t timer_at;

static int
fire_due(struct server *srv, int64_t now, uint64_t *last_seq,
    int64_t *next_ms)
{
	struct store_txn txn;
	struct apply_ctx ctx;
	Deskd__Clock *c;
	int n = 0, rc;

	if ((rc = store_txn_begin(srv->store, NULL, true, &txn)) != STORE_OK)
		return rc;
	ctx_init(&ctx, &srv->cfg, &txn, now, CLOCK_ACTOR);
	while (n < FIRE_MAX && (c = clock_due(&txn, now)) != NULL) {
		fire_one(&ctx, c);
		deskd__clock__free_unpacked(c, NULL);
		n++;
	}
	ctx_done(&ctx);
	*last_seq = store_last_seq(&txn);
	if (clock_first_due(&txn, next_ms) != STORE_OK)
		*next_ms = 0;
	/* A clock firing on a record that does not read must not take it
	 * for gone: nothing is fired (and the log says why). */
	if (txn.unreadable > 0 && txn.err == STORE_OK) {
		log_warnx("%s: stored record %s does not decode", __func__,
		    txn.unreadable_what);
		txn.err = STORE_CORRUPT;
	}
	if (txn.err != STORE_OK) {
		rc = txn.err;
		store_txn_abort(&txn);
		return rc;
	}
	return store_txn_commit(&txn);
}

static void
on_timer(evutil_socket_t fd, short what, void *arg)
{
	struct server *srv = arg;
	int64_t now = server_now_ms(), next = 0;
	uint64_t last_seq = srv->last_seq;
	int rc, attempt;

	(void)fd;
	(void)what;
	timer_at = 0;
	for (attempt = 0; ; attempt++) {
		rc = fire_due(srv, now, &last_seq, &next);
		if (rc != STORE_MAP_FULL || attempt == 10 ||
		    store_grow(srv->store) != STORE_OK)
			break;
	}
	if (rc != STORE_OK) {
		/* Nothing advanced: try again shortly rather than spin. */
		log_warnx("%s: clocks not advanced: %s", __func__,
		    store_rc_str(rc));
		clock_engine_schedule(srv, now + 1000);
		return;
	}
	srv->last_seq = last_seq;
	push_feed_all(srv);
	clock_engine_schedule(srv, next);
}

/*
 * An alert deskd raises of itself, outside any request (C9: the store
 * failed its check): in a write transaction of its own on the loop, like
 * a clock firing, then pushed.
 */
int
clock_alert_raise_now(struct server *srv, const char *rule,
    const char *record, const char *role, const char *message)
{
	struct store_txn txn;
	struct apply_ctx ctx;
	uint64_t last;
	int rc;

	if ((rc = store_txn_begin(srv->store, NULL, true, &txn)) != STORE_OK)
		return rc;
	ctx_init(&ctx, &srv->cfg, &txn, server_now_ms(), CLOCK_ACTOR);
	alert_raise(&ctx, rule, record, 0, 0, role, message);
	ctx_done(&ctx);
	if (txn.err != STORE_OK) {
		rc = txn.err;
		store_txn_abort(&txn);
		return rc;
	}
	last = store_last_seq(&txn);
	if ((rc = store_txn_commit(&txn)) != STORE_OK)
		return rc;
	srv->last_seq = last;
	push_feed_all(srv);
	return STORE_OK;
}

void
clock_engine_schedule(struct server *srv, int64_t next_ms)
{
	struct timeval tv;
	int64_t wait;

	if (timer_ev == NULL || next_ms == timer_at)
		return;
	evtimer_del(timer_ev);
	timer_at = next_ms;
	if (next_ms == 0)
		return;
	wait = next_ms - server_now_ms();
	if (wait < 0)
		wait = 0;
	tv.tv_sec = wait / 1000;
	tv.tv_usec = (wait % 1000) * 1000;
	evtimer_add(timer_ev, &tv);
	(void)srv;
}

void
clock_engine_start(struct server *srv)
{
	struct store_txn txn;
	const struct area *a;
	int64_t next = 0;

	timer_ev = evtimer_new(srv->base, on_timer, srv);
	/* Each area arms what the start owes (the first shift boundary,
	 * today's duty log, deadlines of what changed while deskd was down),
	 * all in one transaction. */
	if (store_txn_begin(srv->store, NULL, true, &txn) == STORE_OK) {
		struct apply_ctx ctx;

		ctx_init(&ctx, &srv->cfg, &txn, server_now_ms(), CLOCK_ACTOR);
		for (size_t i = 0; (a = area_nth(i)) != NULL; i++)
			if (a->start != NULL)
				a->start(&ctx);
		ctx_done(&ctx);
		if (txn.err != STORE_OK)
			store_txn_abort(&txn);
		else if (store_txn_commit(&txn) != STORE_OK)
			log_warnx("%s: the areas' clocks not armed", __func__);
	}
	/* Clocks that came due while deskd was down fire now, marked late. */
	if (store_txn_begin(srv->store, NULL, false, &txn) == STORE_OK) {
		if (clock_first_due(&txn, &next) != STORE_OK)
			next = 0;
		store_txn_abort(&txn);
	}
	clock_engine_schedule(srv, next);
}

void
clock_engine_stop(struct server *srv)
{
	(void)srv;
	if (timer_ev != NULL)
		event_free(timer_ev);
	timer_ev = NULL;
	timer_at = 0;
}
