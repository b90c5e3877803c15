/*
 * deadline.h - durable deadline clocks (issue 3).  A clock is a row in LMDB
 * keyed by its next due time, written in the transaction of the event that
 * started it and removed in the transaction of the event that satisfies it.
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
struct config;
struct server;

/* The clocks issue 3 defines (names as in the config's [clocks] section). */
#define CLOCK_REPAIR_NO_ENGINEER	"repair.no_engineer"	/* D3 */
#define CLOCK_COMPLAINT_REPLY		"complaint.reply_due"	/* C2/C3 */
#define CLOCK_COMPLAINT_REVISIT		"complaint.revisit_due"	/* C4 */
#define CLOCK_SERVICE_REVISIT		"service.revisit_due"	/* D5 */
/* Issue 4: the next shift boundary (one recurring clock, A6), and a
 * handover still unsigned after the boundary (B5, H2). */
#define CLOCK_SHIFT_BOUNDARY		"shift.boundary"
#define CLOCK_HANDOVER_UNSIGNED		"handover.unsigned"
/* A7: away from the post past the approved return time. */
#define CLOCK_DUTY_LEAVE_POST		"duty.leave_post_return"
/* A1: the month's attendance to HR by the 25th; A4: a month with a major
 * holiday published a week before it. */
#define CLOCK_ATTENDANCE_REPORT		"attendance.report_due"
#define CLOCK_HOLIDAY_PUBLISH		"schedule.holiday_publish"
/* B7: a day's duty log still unsigned the next morning (the span is the
 * time of day: 9h is 09:00); B9: the span (7 days) after the month ends,
 * the director's spot check is short of 20 %.  Both run on RECORD_DUTY_LOG
 * with the day (YYYYMMDD) or month (YYYYMM) as id. */
#define CLOCK_DUTYLOG_DAY_UNSIGNED	"dutylog.day_unsigned"
#define CLOCK_SPOTCHECK_COVERAGE	"spotcheck.coverage"
/* Issue 5, the registers (register_rules.c): E4 the key cabinet due for a
 * count (RECORD_KEY_COUNT, id 0; monthly) and a key out too long; E5 a
 * parking permit about to expire (the span is how long before); E7 hot work
 * past its permitted window (the deadline is the window's end). */
#define CLOCK_KEY_RECONCILE		"key.reconcile_due"
#define CLOCK_KEY_OUT			"key.out_too_long"
#define CLOCK_PARKING_EXPIRY		"parking.expiring"
#define CLOCK_HOTWORK_OVERRUN		"hotwork.overrun"

#define CLOCK_COUNT	15

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

void	clock_config_defaults(struct clock_conf[CLOCK_COUNT]);
/* key: "repair.no_engineer" or "repair.no_engineer.warn" ...; 0 or -1 with
 * a message. */
int	clock_config_set(struct clock_conf[CLOCK_COUNT], const char *key,
	    const char *value, char *err, size_t errlen);

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
