/*
 * repair_rules.h - the rules of repairs and services (D1-D5) as pure functions:
 * which step is allowed in which status, who of the engineers may take it,
 * and what it changes.  No storage, no sockets, so they are unit-tested
 * directly.  Money is integer cents throughout.
 */
#ifndef DESKD_REPAIR_RULES_H
#define DESKD_REPAIR_RULES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "deskd.pb-c.h"
#include "perm.h"

/* D2: what a schedule price and an order's quantity may be. */
#define FEE_PRICE_MAX	100000000LL	/* 1,000,000 yuan, in cents */
#define FEE_QTY_MAX	1000
#define CHARGE_MAX	(FEE_PRICE_MAX * FEE_QTY_MAX)
/* D4: revisits that do not reach the owner before the order closes
 * without the owner's opinion. */
#define REPAIR_REVISIT_ATTEMPTS	3

/* D1/D2: a RepairNew is complete (the fee lookup is the handler's). */
Deskd__Status	repair_new_check(const Deskd__Request *, char *msg,
		    size_t len);
/* D2: a FeeSet is a sound entry of the fee schedule. */
Deskd__Status	fee_set_check(const Deskd__Request *, char *msg, size_t len);
/* D2: the charge when done names none: the frozen price times quantity. */
int64_t		repair_default_charge(const Deskd__WorkOrder *);

/*
 * D2: paid work is charged by the fee schedule.  A charge other than the
 * schedule's (price x qty) is an override: it needs a reason (field
 * `reason_field`) and a supervisor (`supervisor`: the actor is one or
 * above).  OK, or the refusal with the reason in msg.
 */
Deskd__Status	charge_override_check(const char *reason_field,
		    int64_t schedule, int64_t charge, const char *reason,
		    bool supervisor, char *msg, size_t len);
/* "35.00": cents as the fee schedule prints them. */
void		fmt_money(char *out, size_t len, int64_t cents);

/* Is this step allowed now?  OK, or a status with the reason in msg. */
Deskd__Status	repair_check_step(const Deskd__WorkOrder *,
		    const Deskd__RepairStep *, int64_t now_ms, char *msg,
		    size_t len);
/*
 * E6: whether user (in role) may see the order.  An engineer sees the
 * orders sent to them, or (dispatched) to engineering at large; every other
 * role sees all.  The one rule for every path that shows an order: its
 * reads, the handover, export, alerts and the event stream (visible.c).
 */
bool		repair_visible(enum role, const char *user,
		    const Deskd__WorkOrder *);
/*
 * An engineer (who may not record or dispatch) works only on orders sent to
 * them or to engineering at large, and records only their own arrival.
 * PERMISSION_DENIED with the reason, or OK.
 */
Deskd__Status	repair_check_worker(const Deskd__WorkOrder *,
		    const Deskd__RepairStep *, const char *actor, char *msg,
		    size_t len);
/* Apply an allowed step.  String fields of w may be pointed at the step's. */
void		repair_apply_step(Deskd__WorkOrder *,
		    const Deskd__RepairStep *, int64_t now_ms);
/* The event type of a step, e.g. "repair.dispatched". */
const char	*repair_event_type(Deskd__RepairAction);
/* D3: dispatched, nobody on site yet, and the span (deadline_ms, from
 * clock_deadline over dispatched_ms) has passed. */
bool		repair_overdue(const Deskd__WorkOrder *, int64_t deadline_ms,
		    int64_t now_ms);
const char	*repair_kind_name(Deskd__WorkKind);
const char	*repair_status_name(Deskd__WorkStatus);

/* The repair area's deadline clocks ([clocks] keys): D3 an engineer on
 * site, D5 the service revisit. */
#define CLOCK_REPAIR_NO_ENGINEER	"repair.no_engineer"
#define CLOCK_SERVICE_REVISIT		"service.revisit_due"

#endif
