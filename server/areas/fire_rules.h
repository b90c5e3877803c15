/*
 * fire_rules.h - the pure rules of the fire-safety duties (G1-G5): how
 * often a plan recurs and the windows of its tasks, G4's test intervals,
 * and which equipment a month's rotation must test.  No storage, no
 * requests: fire.c applies them, tests/unit/test_fire_rules.c checks them.
 */
#ifndef DESKD_FIRE_RULES_H
#define DESKD_FIRE_RULES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum fire_every {
	FIRE_EVERY_SPAN,	/* "2h", "30m": from the plan's start */
	FIRE_EVERY_DAILY,	/* "daily 22:00" */
	FIRE_EVERY_WEEKLY,	/* from Monday 00:00 */
	FIRE_EVERY_MONTHLY,	/* from the 1st */
	FIRE_EVERY_QUARTERLY,	/* January, April, July, October */
	FIRE_EVERY_HALF_YEARLY,	/* January, July */
	FIRE_EVERY_YEARLY,
	FIRE_EVERY_BEFORE,	/* "before 2027-01-31": once */
};

struct fire_recurrence {
	enum fire_every	every;
	int64_t		span_ms;	/* SPAN */
	int		minute;		/* DAILY: minute of the local day */
	int64_t		before_ms;	/* BEFORE: local midnight of the date */
};

/* "2h" | "daily 22:00" | "weekly" | "monthly" | "quarterly" |
 * "half-yearly" | "yearly" | "before YYYY-MM-DD": 0, or -1 with why in
 * err.  A span under a second, zero or negative, is refused. */
int	fire_recurrence_parse(const char *, struct fire_recurrence *,
	    char *err, size_t errlen);
/* The longest window a task of it may have: its shortest period (a
 * month is 28 days); BEFORE: none (INT64_MAX). */
int64_t	fire_recurrence_period(const struct fire_recurrence *);

/* The window opening after the one opening at open_ms (INT64_MAX: none,
 * BEFORE recurs never). */
int64_t	fire_window_next(const struct fire_recurrence *, int64_t open_ms);
/* The first window of a plan starting at starts_ms (a span's windows
 * are counted from it) still to come after after_ms: the earliest whose
 * end (its opening + window_ms, or the next opening when window_ms is 0)
 * is later than both.  A monthly duty begun on the 4th is this month's. */
int64_t	fire_window_first(const struct fire_recurrence *, int64_t starts_ms,
	    int64_t after_ms, int64_t window_ms);
/* A window's end: open + window_ms, or the next opening. */
int64_t	fire_window_due(const struct fire_recurrence *, int64_t open_ms,
	    int64_t window_ms);

/* G4: a test interval in months by equipment type; 0: not a type G4
 * names. */
int	fire_test_interval_months(const char *type);
/* ms plus n calendar months, in local time (the 31st to the month's
 * last day). */
int64_t	fire_add_months(int64_t ms, int n);
/* The local month (YYYYMM) of ms, and its first instant. */
uint32_t fire_month_of(int64_t ms);
int64_t	fire_month_start(uint32_t yyyymm);

/*
 * G4 rotation: of n pieces of equipment, whose intervals run out at
 * due_ms[i], which must be tested in the month [from, to): every one
 * that runs out before the month ends (would otherwise miss its
 * interval), and, to spread a yearly rotation evenly, the soonest due
 * until the month has its share: ceil(n / interval_months).  Sets
 * pick[i]; returns how many.
 */
size_t	fire_rotation_pick(const int64_t *due_ms, size_t n, int64_t to_ms,
	    int interval_months, bool *pick);

#endif
