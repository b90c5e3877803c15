/*
 * calendar.h - the working-day calendar (issue 3).  Rules C4 and D5 count
 * "2 working days", F3 counts 15: a working day is a day of the week outside
 * the weekend (Saturday and Sunday unless configured), unless the State
 * Council made it a public holiday, plus the weekend days it moved to be
 * worked instead (调休).  Dates are local dates in the process's time zone
 * (deskd sets TZ to its configured time_zone at startup).
 *
 * The calendar file is INI (inih), one date or an inclusive range per line:
 *
 *	[holidays]
 *	2025-01-01 = 元旦
 *	2025-01-28..2025-02-04 = 春节
 *	[workdays]
 *	2025-01-26 = 春节调休
 *	[weekend]
 *	days = sat,sun
 *
 * Sections may repeat, so several years' files can be concatenated into
 * the one file the config names.  Weekend days are sun..sat (or full
 * names), 0..6 as in tm_wday, or 7 for Sunday as in ISO 8601; "none" for
 * no weekend.  A value after '=' is a name for people reading the file.
 *
 * Refused, with "FILE:LINE: why": a malformed or impossible date, a year
 * outside 1970..2199, a reversed range, a range over
 * CALENDAR_MAX_RANGE_DAYS, a date listed twice (overlapping holiday ranges),
 * a date both a holiday and a make-up working day, a make-up working day
 * that is not a weekend day, an unknown section or key, an entry outside
 * any section, an indented line (inih would join it to the line above), a
 * line too long for inih, a weekend of all seven days, two different
 * [weekend] days settings.
 */
#ifndef DESKD_CALENDAR_H
#define DESKD_CALENDAR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Longer than any holiday the State Council has given; a typo otherwise. */
#define CALENDAR_MAX_RANGE_DAYS	60

/* calendar_add_working_days: no such instant (see there). */
#define CALENDAR_ERROR		INT64_MIN

/* Weekend masks: bit n is tm_wday n (0 Sunday .. 6 Saturday). */
#define CALENDAR_WDAY(n)	(1u << (n))
#define CALENDAR_WEEKEND_DEFAULT (CALENDAR_WDAY(0) | CALENDAR_WDAY(6))

enum calendar_kind {
	CALENDAR_HOLIDAY,	/* a day off, whatever its day of the week */
	CALENDAR_WORKDAY	/* a weekend day worked instead (调休) */
};

struct calendar;

/* Weekends only (Saturday, Sunday), no holidays; NULL if out of memory. */
struct calendar	*calendar_new(void);
void	calendar_free(struct calendar *);

/*
 * Reads a calendar file.  On success returns 0 and stores a new calendar in
 * *calp, for the caller to calendar_free (an old one there is not freed).
 * An empty path gives calendar_new()'s weekends-only calendar, the default
 * of the config's "calendar" setting.  On error returns -1 with
 * "FILE:LINE: why" (or "FILE: why") in err and leaves *calp alone, so a
 * reload that fails keeps the calendar in use.
 */
int	calendar_load_file(struct calendar **calp, const char *path,
	    char *err, size_t errlen);
/* The same from text in memory; name stands for FILE in messages. */
int	calendar_load_string(struct calendar **calp, const char *name,
	    const char *text, char *err, size_t errlen);

/*
 * Adds "YYYY-MM-DD" or "YYYY-MM-DD..YYYY-MM-DD" as holidays or make-up
 * working days, with the file's checks except that a make-up working day
 * is not checked against the weekend (set_weekend may come later).
 * Returns 0, or -1 with a message in err and the calendar unchanged.
 */
int	calendar_add(struct calendar *, enum calendar_kind, const char *dates,
	    char *err, size_t errlen);
/* Mask of CALENDAR_WDAY bits; -1 (unchanged) for bits above Saturday or
 * all seven days, which would leave no working day to count. */
int	calendar_set_weekend(struct calendar *, unsigned mask);
unsigned calendar_weekend(const struct calendar *);
/* The first and last year with a listed date, so startup can warn when
 * today is past the calendar's end; false for a weekends-only calendar. */
bool	calendar_years(const struct calendar *, int *first, int *last);

/* A named range of [holidays] (A4 looks for the major ones by name). */
#define CALENDAR_NAME	64
struct calendar_holiday {
	char		name[CALENDAR_NAME];	/* the value after '=' */
	uint32_t	first, last;		/* YYYYMMDD */
};
/* The file's named holiday ranges, in file order; NULL when none. */
const struct calendar_holiday *calendar_holidays(const struct calendar *,
	    size_t *n);

/* Is local date y-m-d (month 1..12) a working day?  False for a date that
 * does not exist (2025-02-30). */
bool	calendar_is_working_day(const struct calendar *, int y, int m, int d);

/*
 * The instant n working days after from_ms (ms since the epoch), at the
 * same local time of day (C4, D5: "within 2 working days").
 *
 * n > 0: working day 1 is the first working day strictly after from_ms's
 * local date, whatever that date is (a Friday evening, a Sunday, a day of
 * the Spring Festival); the result is working day n at from_ms's local
 * hour, minute, second and millisecond.  So from Friday 2025-09-26 17:00,
 * 2 working days is Monday 2025-09-29 17:00: Sunday 09-28 was worked.
 * n < 0: the same backwards: working day -1 is the last working day
 * strictly before from_ms's date.
 * n == 0: from_ms itself, even on a day off.
 *
 * Local time is from localtime_r/mktime (tm_isdst = -1): in a zone with
 * daylight saving the result keeps the wall-clock time, so the span is not
 * a whole number of 24 hours; a wall-clock time that does not exist on the
 * result day (a spring-forward gap) is normalised by mktime.
 * Returns CALENDAR_ERROR if the result would fall outside years 1..9999 or
 * from_ms has no local time.
 */
int64_t	calendar_add_working_days(const struct calendar *, int64_t from_ms,
	    int n);

/* The local date of an instant as YYYYMMDD (0: no local time). */
uint32_t calendar_local_day(int64_t ms);
/* The month after YYYYMM (202612: 202701). */
uint32_t calendar_month_next(uint32_t month);
/* The first moments of month YYYYMM and of the month after (local). */
void	calendar_month_span(uint32_t month, int64_t *from_ms, int64_t *to_ms);
/* Date YYYYMMDD n days later (earlier when n < 0). */
uint32_t calendar_day_add(uint32_t day, int n);
/* Its day of the week: 0 Monday .. 6 Sunday. */
int	calendar_day_of_week(uint32_t day);
/* The instant local date YYYYMMDD begins (its first local time). */
int64_t	calendar_day_start_ms(uint32_t day);

#endif
