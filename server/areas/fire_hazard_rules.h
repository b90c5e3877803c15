/*
 * fire_hazard_rules.h - G3's rules of a hazard as pure functions: its
 * severities and the deadline clock each runs, the notice's number, and
 * the re-check by someone other than the fixer.  No storage, no sockets:
 * unit-tested directly (tests/unit/test_fire_hazard_rules.c).
 */
#ifndef DESKD_FIRE_HAZARD_RULES_H
#define DESKD_FIRE_HAZARD_RULES_H

#include <stddef.h>
#include <stdint.h>

#include "deskd.pb-c.h"

#define HAZARD_SEVERITIES	"low, medium, high, critical"
/* Neither the desk nor a round's abnormal point said how bad it is. */
#define HAZARD_SEVERITY_DEFAULT	"medium"
/* Who rectifies when nobody is named: the building's own engineers. */
#define HAZARD_DEPARTMENT_DEFAULT "工程部"

/* The deadline clocks, one a severity ([clocks] keys). */
#define CLOCK_HAZARD_LOW	"hazard.low"
#define CLOCK_HAZARD_MEDIUM	"hazard.medium"
#define CLOCK_HAZARD_HIGH	"hazard.high"
#define CLOCK_HAZARD_CRITICAL	"hazard.critical"

/*
 * The deadline clock of a hazard of this severity ("hazard.critical"):
 * its [clocks] span is the default deadline of such a hazard, and its
 * escalation settings are that severity's.  NULL: not a severity.
 */
const char	*hazard_clock(const char *severity);

/* The rectification notice's number: XF-YYYY-NNNN, the year (server's
 * time zone) the hazard was registered and its id, so never two alike. */
void		 hazard_notice_no(char *out, size_t len,
		    int64_t registered_ms, uint64_t id);

/*
 * G3: the re-check (close, or reopen) is someone else's than the fixer's.
 * OK, or CONFLICT with the reason in msg.
 */
Deskd__Status	 hazard_recheck_check(uint64_t id, const char *fixer,
		    const char *actor, const char *action, char *msg,
		    size_t len);

#endif
