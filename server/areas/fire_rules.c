/*
 * fire_rules.c - how often a fire-safety duty recurs, the windows of its
 * tasks, and G4's rotation of equipment tests.  Times are local (the
 * office's TZ), as the desk reads them.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config.h"
#include "fire_rules.h"
#include "refuse.h"

#define MINUTE_MS	((int64_t)60 * 1000)
#define DAY_MS		(24 * 60 * MINUTE_MS)

static const struct {
	const char	*word;
	enum fire_every	 every;
	int		 months;	/* the period, in months */
} periods[] = {
	{ "weekly", FIRE_EVERY_WEEKLY, 0 },
	{ "monthly", FIRE_EVERY_MONTHLY, 1 },
	{ "quarterly", FIRE_EVERY_QUARTERLY, 3 },
	{ "half-yearly", FIRE_EVERY_HALF_YEARLY, 6 },
	{ "yearly", FIRE_EVERY_YEARLY, 12 },
};

static int
months_of(enum fire_every e)
{
	for (size_t i = 0; i < sizeof(periods) / sizeof(periods[0]); i++)
		if (periods[i].every == e)
			return periods[i].months;
	return 0;
}

/* Local midnight of y-m-d (normalised: month 13 is next January). */
static int64_t
local_midnight(int y, int m, int d)
{
	struct tm tm = { .tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = d,
	    .tm_isdst = -1 };

	return (int64_t)mktime(&tm) * 1000;
}

static void
local_tm(int64_t ms, struct tm *tm)
{
	time_t t = (time_t)(ms / 1000);

	localtime_r(&t, tm);
}

int
fire_recurrence_parse(const char *s, struct fire_recurrence *r, char *err,
    size_t errlen)
{
	int h, mi, y, mo, d, n = 0;

	memset(r, 0, sizeof(*r));
	for (size_t i = 0; i < sizeof(periods) / sizeof(periods[0]); i++)
		if (strcmp(s, periods[i].word) == 0) {
			r->every = periods[i].every;
			return 0;
		}
	if (sscanf(s, "daily %d:%d%n", &h, &mi, &n) == 2 && s[n] == '\0') {
		if (h < 0 || h > 23 || mi < 0 || mi > 59)
			goto bad;
		r->every = FIRE_EVERY_DAILY;
		r->minute = h * 60 + mi;
		return 0;
	}
	if (sscanf(s, "before %d-%d-%d%n", &y, &mo, &d, &n) == 3 &&
	    s[n] == '\0') {
		if (y < 2000 || y > 2099 || mo < 1 || mo > 12 || d < 1 ||
		    d > 31)
			goto bad;
		r->every = FIRE_EVERY_BEFORE;
		r->before_ms = local_midnight(y, mo, d);
		return 0;
	}
	if (*s != '-' && config_parse_duration_ms(s, &r->span_ms) == 0) {
		if (r->span_ms < 1000) {
			refuse_fmt(err, errlen, "every: '%s': a duty recurs "
			    "at most every second (0 or less is never)", s);
			return -1;
		}
		r->every = FIRE_EVERY_SPAN;
		return 0;
	}
bad:
	refuse_fmt(err, errlen, "every: '%s' is not how often a duty recurs: "
	    "2h (any span, 1s or more), daily HH:MM, weekly, monthly, "
	    "quarterly, half-yearly, yearly, or before YYYY-MM-DD", s);
	return -1;
}

int64_t
fire_recurrence_period(const struct fire_recurrence *r)
{
	switch (r->every) {
	case FIRE_EVERY_SPAN:
		return r->span_ms;
	case FIRE_EVERY_DAILY:
		return DAY_MS;
	case FIRE_EVERY_WEEKLY:
		return 7 * DAY_MS;
	case FIRE_EVERY_BEFORE:
		return INT64_MAX;
	default:
		/* The shortest of its months: February's. */
		return (int64_t)months_of(r->every) * 28 * DAY_MS;
	}
}

/* The calendar period (or day) containing ms: its first instant. */
static int64_t
period_start(const struct fire_recurrence *r, int64_t ms)
{
	struct tm tm;
	int months;

	local_tm(ms, &tm);
	switch (r->every) {
	case FIRE_EVERY_DAILY:
		return local_midnight(tm.tm_year + 1900, tm.tm_mon + 1,
		    tm.tm_mday) + r->minute * MINUTE_MS;
	case FIRE_EVERY_WEEKLY:
		/* Monday: tm_wday 1. */
		return local_midnight(tm.tm_year + 1900, tm.tm_mon + 1,
		    tm.tm_mday - (tm.tm_wday + 6) % 7);
	default:
		months = months_of(r->every);
		return local_midnight(tm.tm_year + 1900, tm.tm_mon -
		    tm.tm_mon % months + 1, 1);
	}
}

int64_t
fire_window_next(const struct fire_recurrence *r, int64_t open_ms)
{
	struct tm tm;

	switch (r->every) {
	case FIRE_EVERY_SPAN:
		return open_ms + r->span_ms;
	case FIRE_EVERY_BEFORE:
		return INT64_MAX;
	case FIRE_EVERY_DAILY:
	case FIRE_EVERY_WEEKLY:
		/* By the calendar, not 24 h: a day may be 23 or 25. */
		local_tm(open_ms, &tm);
		return local_midnight(tm.tm_year + 1900, tm.tm_mon + 1,
		    tm.tm_mday + (r->every == FIRE_EVERY_DAILY ? 1 : 7)) +
		    (r->every == FIRE_EVERY_DAILY ? r->minute * MINUTE_MS : 0);
	default:
		return fire_add_months(open_ms, months_of(r->every));
	}
}

int64_t
fire_window_due(const struct fire_recurrence *r, int64_t open_ms,
    int64_t window_ms)
{
	if (r->every == FIRE_EVERY_BEFORE)
		return r->before_ms;
	return window_ms > 0 ? open_ms + window_ms : fire_window_next(r,
	    open_ms);
}

int64_t
fire_window_first(const struct fire_recurrence *r, int64_t starts_ms,
    int64_t after_ms, int64_t window_ms)
{
	int64_t open;

	if (after_ms < starts_ms)
		after_ms = starts_ms;
	if (r->every == FIRE_EVERY_BEFORE)
		return starts_ms;
	if (r->every == FIRE_EVERY_SPAN)
		open = starts_ms + (after_ms - starts_ms) / r->span_ms *
		    r->span_ms;
	else {
		/* The period (or the day's time) at or before; a daily time
		 * later today is found from yesterday's. */
		open = period_start(r, after_ms);
		if (open > after_ms)
			open = period_start(r, after_ms - DAY_MS);
	}
	while (fire_window_due(r, open, window_ms) <= after_ms)
		open = fire_window_next(r, open);
	return open;
}

int
fire_test_interval_months(const char *type)
{
	/* G4: pumps monthly; hydrant and sprinkler drains quarterly;
	 * pressurisation, smoke exhaust and extinguishers half-yearly
	 * (twice a year); every detector once a year. */
	static const struct {
		const char	*type;
		int		 months;
	} g4[] = {
		{ "pump", 1 }, { "hydrant", 3 }, { "sprinkler", 3 },
		{ "pressurisation", 6 }, { "smoke-exhaust", 6 },
		{ "extinguisher", 6 }, { "detector", 12 },
	};

	for (size_t i = 0; i < sizeof(g4) / sizeof(g4[0]); i++)
		if (strcmp(type, g4[i].type) == 0)
			return g4[i].months;
	return 0;
}

int64_t
fire_add_months(int64_t ms, int n)
{
	struct tm tm, last;
	int64_t into_day;

	local_tm(ms, &tm);
	into_day = ms - local_midnight(tm.tm_year + 1900, tm.tm_mon + 1,
	    tm.tm_mday);
	/* The 31st plus a month is the next month's last day. */
	local_tm(local_midnight(tm.tm_year + 1900, tm.tm_mon + 1 + n + 1, 1) -
	    DAY_MS / 2, &last);
	return local_midnight(tm.tm_year + 1900, tm.tm_mon + 1 + n,
	    tm.tm_mday < last.tm_mday ? tm.tm_mday : last.tm_mday) + into_day;
}

uint32_t
fire_month_of(int64_t ms)
{
	struct tm tm;

	local_tm(ms, &tm);
	return (uint32_t)((tm.tm_year + 1900) * 100 + tm.tm_mon + 1);
}

int64_t
fire_month_start(uint32_t yyyymm)
{
	return local_midnight((int)(yyyymm / 100), (int)(yyyymm % 100), 1);
}

size_t
fire_rotation_pick(const int64_t *due_ms, size_t n, int64_t to_ms,
    int interval_months, bool *pick)
{
	size_t share = interval_months > 0 ? (n + (size_t)interval_months -
	    1) / (size_t)interval_months : n, picked = 0;

	for (size_t i = 0; i < n; i++)
		if ((pick[i] = due_ms[i] < to_ms))
			picked++;
	/* The soonest due first, until the month has its share. */
	while (picked < share) {
		size_t best = n;

		for (size_t i = 0; i < n; i++)
			if (!pick[i] && (best == n || due_ms[i] <
			    due_ms[best]))
				best = i;
		if (best == n)
			break;
		pick[best] = true;
		picked++;
	}
	return picked;
}
