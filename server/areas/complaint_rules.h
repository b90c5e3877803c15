/*
 * complaint_rules.h - the complaint rules (C1-C9) as pure functions: which step
 * is allowed in which state, and what it changes.  No storage, no sockets,
 * so they are unit-tested directly.
 */
#ifndef DESKD_COMPLAINT_RULES_H
#define DESKD_COMPLAINT_RULES_H

#include <stddef.h>
#include <stdint.h>

#include "deskd.pb-c.h"
#include "perm.h"

/* Is this step allowed now?  OK, or a status with the reason in msg. */
Deskd__Status	complaint_check_step(const Deskd__Complaint *,
		    const Deskd__ComplaintStep *, int64_t now_ms, char *msg,
		    size_t len);
/* Apply an allowed step.  String fields of c may be pointed at the step's. */
void		complaint_apply_step(Deskd__Complaint *,
		    const Deskd__ComplaintStep *, int64_t now_ms);
/* The event type of a step, e.g. "complaint.replied". */
const char	*complaint_event_type(Deskd__ComplaintAction);
/* Validation of a new complaint (C5: the intake record is complete). */
Deskd__Status	complaint_new_validate(const Deskd__ComplaintNew *, char *msg,
		    size_t len);
/* A phone number as desks write them: digits, optional +, spaces, dashes. */
int		complaint_phone_ok(const char *);
/* C5/E6: may `role` read this complaint?  An internal one (an employee's)
 * is read only by those who record complaints: never by engineers, who
 * read complaints as the person responsible (C6). */
bool		complaint_readable_by(enum role, const Deskd__Complaint *);
/*
 * C8: what a complaint counts as in the monthly report, on the local day
 * it came in (an import: the day its file reports): each key one count.
 * How many keys (at most max).  Bump COMPLAINT_TALLY_VERSION when the
 * keys change: deskd counts every complaint again at start.
 */
struct tally_key;
#define COMPLAINT_TALLY_VERSION	1
size_t		complaint_tally(const Deskd__Complaint *, struct tally_key *,
		    size_t max);
/* The building of a unit code: before its first '-' ("3-2-1201": "3"). */
void		unit_building(const char *unit, char *out, size_t len);
const char	*complaint_status_name(Deskd__ComplaintStatus);
const char	*complaint_validity_name(Deskd__Validity);
const char	*complaint_level_name(Deskd__EscalationLevel);

/* The complaint area's deadline clocks ([clocks] keys): C2/C3 the reply,
 * C4 the revisit. */
#define CLOCK_COMPLAINT_REPLY		"complaint.reply_due"
#define CLOCK_COMPLAINT_REVISIT		"complaint.revisit_due"

#endif
