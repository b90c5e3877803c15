/*
 * deadline.h - the engine of durable deadline clocks (issue 3).  A clock is
 * a row in LMDB keyed by its next due time, written in the transaction of
 * the event that started it and removed in the transaction of the event
 * that satisfies it.
 * One libevent timer is armed for the earliest row.  When a clock comes due
 * it moves through its stages (warn at 75 % of its span, breach, repeat,
 * escalate desk -> supervisor -> director), each stage an alert event.
 *
 * Handlers call these inside their apply (same transaction as their event).
 */
#ifndef DESKD_DEADLINE_H
#define DESKD_DEADLINE_H

#include <stddef.h>
#include <stdint.h>

#include "store.h"

struct apply_ctx;
struct clock_rule;
struct config;
struct server;

/*
 * The kinds of clocks are the areas' (struct clock_rule in area.h, each
 * with its [clocks] key); their names stay with the area that arms them.
 * Gathered once at start, after area_register_all and before
 * config_defaults, with the [clocks] section of settings.  Two kinds of
 * one name, or more than CLOCK_MAX, is a broken build: fatal.
 */
#define CLOCK_MAX	32
void	clock_rules_register(void);

/* A clock's settings: [clocks] NAME = 20m | 2wd, NAME.warn = 75%,
 * NAME.repeat, NAME.escalate (to the supervisor, after the breach),
 * NAME.escalate_director; or --clock NAME[.part]=VALUE. */
struct clock_conf {
	int64_t		span_ms;
	int		span_workdays;	/* > 0: the span is in working days */
	int		warn_pct;	/* warn at this share of the span; 0 never */
	int64_t		repeat_ms;	/* raise again while nothing is done */
	int64_t		escalate_ms;	/* unacknowledged: to the supervisor */
	int64_t		escalate_director_ms;
};

/* The settings of the clock `name` in a config; NULL: no such clock. */
const struct clock_conf *clock_conf_of(const struct config *,
	    const char *name);
/* The registered clock kinds: i from 0 until NULL. */
const struct clock_rule *clock_rule_nth(size_t i);

struct calendar;
/* Working days come from this calendar (deskd's --calendar). */
void	clock_set_calendar(const struct calendar *);
const struct calendar *clock_calendar(void);	/* NULL: weekends only */

/* The engine: one timer for the earliest due clock. */
void	clock_engine_start(struct server *);
void	clock_engine_stop(struct server *);
/* After a commit: arm the timer for the earliest clock (0: none). */
void	clock_engine_schedule(struct server *, int64_t next_ms);

/* The actor of what the engine does on its own (events, clocks). */
#define CLOCK_ACTOR	"deskd"

/* An alert raised at once by a handler, with no clock behind it (E6: a
 * burst of reveals): addressed to `role`, acknowledged like any other,
 * never repeated or escalated. */
void	clock_alert_raise(struct apply_ctx *, const char *rule,
	    enum record_kind, uint64_t id, const char *role,
	    const char *message);
/* The same outside any request (C9: the store failed its check), in a
 * transaction of its own, committed and pushed. */
int	clock_alert_raise_now(struct server *, const char *rule,
	    const char *record, const char *role, const char *message);
/* Acknowledge an alert (AlertAck, or clock_ack): it stops escalating. */
struct apply_ctx;
Deskd__Alert *clock_alert_ack(struct apply_ctx *, const Deskd__Alert *,
	    const char *note);

/* When a clock started now (from_ms) breaches: its configured span, in
 * working days (calendar) or plain time. */
int64_t	clock_deadline(const struct apply_ctx *, const char *name,
	    int64_t from_ms);
/* Start or restart a clock on a record; replaces a running clock of the same
 * name on the same record (its open alert is cleared). */
void	clock_arm(struct apply_ctx *, const char *name, enum record_kind,
	    uint64_t id, int64_t deadline_ms);
/* The work is still awaited, by a new time (D3: the ETA agreed with the
 * owner): the clock's alert, taken, stays until then; past it the alert is
 * raised again `level` steps up (1: the supervisor, 2: the director) and
 * escalates on from there. */
void	clock_extend(struct apply_ctx *, const char *name, enum record_kind,
	    uint64_t id, int64_t deadline_ms, uint32_t level);
/* The work is done: stop the clock and clear its alert, if any. */
void	clock_stop(struct apply_ctx *, const char *name, enum record_kind,
	    uint64_t id);
/* B5: the running desk clocks of a record (not yet breached: a breached
 * one has an alert, handed on its own) pass to `to`, whose alert their
 * breach will raise; `handed` hears each ("complaint:3 complaint.reply_due").
 * Returns how many moved. */
size_t	clock_hand_over(struct apply_ctx *, enum record_kind, uint64_t id,
	    const char *to, void (*handed)(struct apply_ctx *, const char *,
	    void *), void *arg);
/* Someone acted on the alert without finishing the work (the desk phoned
 * the owner, D3): the alert is acknowledged and stops escalating. */
void	clock_ack(struct apply_ctx *, const char *name, enum record_kind,
	    uint64_t id, const char *note);

#endif
