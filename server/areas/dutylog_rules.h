/*
 * dutylog_rules.h - the duty log's pure rules (issue 4: B7-B9): the day a moment
 * belongs to, and the director's spot-check draw.  No storage, so the draw
 * can be reproduced (and unit-tested) from its seed alone.
 */
#ifndef DESKD_DUTYLOG_RULES_H
#define DESKD_DUTYLOG_RULES_H

#include <stddef.h>
#include <stdint.h>

#include "shift_rules.h"

/* B9: at least this share of the month's duty records is drawn. */
#define SPOT_PCT	20

/* SplitMix64 (Steele, Lea, Flood 2014): the documented generator of the
 * draw, so anyone can reproduce it from the recorded seed. */
uint64_t	spot_splitmix64(uint64_t *state);
/* How many of n records a draw takes: ceil(n * SPOT_PCT / 100). */
size_t		spot_count(size_t n);
/*
 * The draw: out[0..k) gets the first k positions of a Fisher-Yates shuffle
 * of cand[0..n) driven by SplitMix64 from `seed` (j = i + next % (n - i)),
 * sorted ascending; returns k = spot_count(n).  out has room for n.
 */
size_t		spot_draw(uint64_t seed, const uint32_t *cand, size_t n,
		    uint32_t *out);
/*
 * A day logged after the draw joins cand (in the order days join); while
 * fewer than spot_count(n) are drawn, one more is drawn among the undrawn
 * in cand's order, at index next % undrawn, SplitMix64 seeded with
 * seed ^ (n << 32).  What was drawn stays drawn; sel[0..k) sorted, room
 * for n; returns the new k.
 */
size_t		spot_topup(uint64_t seed, const uint32_t *cand, size_t n,
		    uint32_t *sel, size_t k);
/* The day (YYYYMMDD) of the shift in progress at ms, and its name ("" in
 * no shift: then the calendar day). */
uint32_t	dutylog_day_at(const struct shift_conf *, int64_t ms,
		    const char **shift);
/* A day YYYYMMDD or a month YYYYMM as people write it, "2026-12-04" or
 * "2026-12", in a buffer that lives as long as the full expression. */
struct period_text {
	char	 s[16];
};
struct period_text period_text(uint32_t period);
/* Is YYYYMMDD a day of the calendar? */
int		dutylog_day_valid(uint32_t day);

/* The duty log's deadline clocks ([clocks] keys): B7 a day's duty log
 * still unsigned the next morning (the span is the time of day: 9h is
 * 09:00); B9 the span (7 days) after the month ends, the director's spot
 * check is short of 20 %.  Both run on RECORD_DUTY_LOG with the day
 * (YYYYMMDD) or month (YYYYMM) as id. */
#define CLOCK_DUTYLOG_DAY_UNSIGNED	"dutylog.day_unsigned"
#define CLOCK_SPOTCHECK_COVERAGE	"spotcheck.coverage"

#endif
