/*
 * ledger_rules.h - the arithmetic of the compliance ledger and the monthly
 * reports (issue 15) as pure functions: which days a report covers, and
 * how a quota stands (percentage, forecast, status).  Unit-tested.
 */
#ifndef DESKD_LEDGER_RULES_H
#define DESKD_LEDGER_RULES_H

#include <stdbool.h>
#include <stdint.h>

/*
 * The days (YYYYMMDD, inclusive) of month YYYYMM's week `week`: 0 the
 * whole month, 1.. its Monday-to-Sunday weeks, week 1 the one holding the
 * 1st, each clipped to the month.  false: the month has no such week.
 */
bool	report_period(uint32_t month, unsigned week, uint32_t *from,
	    uint32_t *to);
/* The period before: the previous month, or the week before (week 1's:
 * the previous month's last week); its month and week. */
void	report_previous(uint32_t month, unsigned week, uint32_t *pmonth,
	    unsigned *pweek);

/*
 * The month a report or the ledger is asked for: "YYYY-MM", "" for
 * this_month.  0, or -1 with the reason in msg: malformed, or in the
 * future (nothing has happened there to count).
 */
int	report_month(const char *text, uint32_t this_month, uint32_t *month,
	    char *msg, size_t len);

enum quota_state { QUOTA_MET, QUOTA_ON_TRACK, QUOTA_AT_RISK, QUOTA_MISSED };

struct quota_judgement {
	uint32_t		percent;	/* done / required; 100: none */
	uint64_t		forecast;	/* done by due_ms at this rate */
	enum quota_state	state;
};

/*
 * How a quota of `required` with `done` stands at now_ms, counting since
 * start_ms (the month's first moment) and due by due_ms.  Past due: met or
 * missed.  Before: met once done; otherwise on track while done keeps up
 * with its pro-rata share of the time gone (forecast >= required), at risk
 * when it does not.  `once` (a signature): on track until due.
 * `so_far` (required is only what fell due by now, e.g. rounds): on
 * track while all of it is done, at risk once any is not.
 */
enum quota_kind { QUOTA_PRO_RATA, QUOTA_ONCE, QUOTA_SO_FAR };
void	quota_judge(uint64_t required, uint64_t done, enum quota_kind,
	    int64_t start_ms, int64_t due_ms, int64_t now_ms,
	    struct quota_judgement *);
const char *quota_state_name(enum quota_state);

#endif
