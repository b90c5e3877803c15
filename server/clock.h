/*
 * clock.h - durable deadline clocks (issue 3).  A clock is a row in LMDB
 * keyed by its next due time, written in the transaction of the event that
 * started it and removed in the transaction of the event that satisfies it.
 * One libevent timer is armed for the earliest row.  When a clock comes due
 * it moves through its stages (warn at 75 % of its span, breach, repeat,
 * escalate desk -> supervisor -> director), each stage an alert event.
 *
 * Handlers call these inside their apply (same transaction as their event).
 */
#ifndef DESKD_CLOCK_H
#define DESKD_CLOCK_H

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

/* When a clock started now (from_ms) breaches: its configured span, in
 * working days (calendar) or plain time. */
int64_t	clock_deadline(const struct apply_ctx *, const char *name,
	    int64_t from_ms);
/* Start or restart a clock on a record; replaces a running clock of the same
 * name on the same record (its open alert is cleared). */
void	clock_arm(struct apply_ctx *, const char *name, enum record_kind,
	    uint64_t id, int64_t deadline_ms);
/* The work is done: stop the clock and clear its alert, if any. */
void	clock_stop(struct apply_ctx *, const char *name, enum record_kind,
	    uint64_t id);
/* Someone acted on the alert without finishing the work (the desk phoned
 * the owner, D3): the alert is acknowledged and stops escalating. */
void	clock_ack(struct apply_ctx *, const char *name, enum record_kind,
	    uint64_t id, const char *note);

#endif
