/*
 * calendar.c - working days for the deadlines C4 and D5 count ("2 working
 * days"): two sorted arrays of day numbers, holidays and make-up working
 * days (调休), and a weekend mask.  Lookups are binary searches, so memory
 * is 8 bytes a listed date and nothing is global.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <ini.h>

#include "calendar.h"

/* A listed date: days since 1970-01-01, and the line of the file that
 * listed it (0 from calendar_add), for messages naming both lines of a
 * conflict. */
struct cal_day {
	int32_t		day;
	int32_t		line;
};

struct day_set {
	struct cal_day	*v;
	size_t		 n;
	size_t		 cap;
};

struct calendar {
	struct day_set	holidays;
	struct day_set	workdays;	/* 调休: weekend days worked */
	unsigned	weekend;	/* CALENDAR_WDAY bits */
	struct calendar_holiday *named;	/* [holidays] entries with a name */
	size_t		nnamed;
};

/* Dates in a file must be in these years: anything else is a typo. */
#define YEAR_MIN	1970
#define YEAR_MAX	2199
/*
 * More dates than YEAR_MIN..YEAR_MAX hold: only repeats get past it, and
 * those are refused anyway, after sorting.  Without it a file repeating a
 * 60-day range a million times would take gigabytes before being refused.
 */
#define SET_MAX		100000
#define ALL_DAYS	0x7fu

static const char *const wday_short[7] = {
	"sun", "mon", "tue", "wed", "thu", "fri", "sat"
};
static const char *const wday_long[7] = {
	"sunday", "monday", "tuesday", "wednesday", "thursday", "friday",
	"saturday"
};
static const char *const wday_name[7] = {
	"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
	"Saturday"
};

/*
 * Proleptic Gregorian day numbers (H. Hinnant's days_from_civil and
 * civil_from_days): exact for any year, no time zone involved, which is
 * what a list of dates needs.
 */
static int64_t
days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void
civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

/* tm_wday of a day number; 1970-01-01 was a Thursday. */
static int
weekday(int64_t z)
{
	int64_t w = (z + 4) % 7;

	return (int)(w < 0 ? w + 7 : w);
}

static bool
valid_date(int64_t y, int m, int d)
{
	static const int mdays[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};
	int n;

	if (m < 1 || m > 12 || d < 1)
		return false;
	n = mdays[m - 1];
	if (m == 2 && y % 4 == 0 && (y % 100 != 0 || y % 400 == 0))
		n = 29;
	return d <= n;
}

static void
fmt_date(int64_t day, char buf[16])
{
	int64_t y;
	int m, d;

	civil_from_days(day, &y, &m, &d);
	snprintf(buf, 16, "%04lld-%02d-%02d", (long long)y, m, d);
}

static const struct cal_day *
set_find(const struct day_set *s, int64_t day)
{
	size_t lo = 0, hi = s->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (s->v[mid].day < day)
			lo = mid + 1;
		else if (s->v[mid].day > day)
			hi = mid;
		else
			return &s->v[mid];
	}
	return NULL;
}

/* Index of the first entry not before day. */
static size_t
set_lower(const struct day_set *s, int64_t day)
{
	size_t lo = 0, hi = s->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (s->v[mid].day < day)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static int
set_reserve(struct day_set *s, size_t more)
{
	struct cal_day *v;
	size_t cap;

	if (more > SET_MAX || s->n > SET_MAX - more)
		return -1;
	if (s->n + more <= s->cap)
		return 0;
	cap = s->cap ? s->cap : 32;
	while (cap < s->n + more)
		cap *= 2;
	if ((v = realloc(s->v, cap * sizeof(*v))) == NULL)
		return -1;
	s->v = v;
	s->cap = cap;
	return 0;
}

static int
cmp_day(const void *a, const void *b)
{
	const struct cal_day *x = a, *y = b;

	if (x->day != y->day)
		return x->day < y->day ? -1 : 1;
	return (x->line > y->line) - (x->line < y->line);
}

static void
set_sort(struct day_set *s)
{
	/* qsort(NULL, 0, ...) is undefined, and UBSan says so. */
	if (s->n > 1)
		qsort(s->v, s->n, sizeof(s->v[0]), cmp_day);
}

static bool
is_working(const struct calendar *cal, int64_t day)
{
	if (set_find(&cal->workdays, day) != NULL)
		return true;
	if (set_find(&cal->holidays, day) != NULL)
		return false;
	return (cal->weekend & CALENDAR_WDAY(weekday(day))) == 0;
}

/* "YYYY-MM-DD", exactly, of a year we accept. */
static int
parse_date(const char *s, size_t len, int32_t *day)
{
	int v[3] = { 0, 0, 0 }, f = 0;

	if (len != 10 || s[4] != '-' || s[7] != '-')
		return -1;
	for (size_t i = 0; i < len; i++) {
		if (i == 4 || i == 7) {
			f++;
			continue;
		}
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v[f] = v[f] * 10 + (s[i] - '0');
	}
	if (v[0] < YEAR_MIN || v[0] > YEAR_MAX || !valid_date(v[0], v[1], v[2]))
		return -1;
	*day = (int32_t)days_from_civil(v[0], v[1], v[2]);
	return 0;
}

/* "DATE" or "DATE..DATE" (blanks around ".." allowed). */
static int
parse_range(const char *s, int32_t *first, int32_t *last, char *why,
    size_t whylen)
{
	const char *dots = strstr(s, "..");
	const char *a = s, *b;
	size_t alen, blen;

	alen = dots ? (size_t)(dots - s) : strlen(s);
	while (alen > 0 && (a[alen - 1] == ' ' || a[alen - 1] == '\t'))
		alen--;
	if (parse_date(a, alen, first) != 0) {
		snprintf(why, whylen, "'%.*s' is not a date YYYY-MM-DD "
		    "(years %d..%d)", (int)(alen > 40 ? 40 : alen), a,
		    YEAR_MIN, YEAR_MAX);
		return -1;
	}
	if (dots == NULL) {
		*last = *first;
		return 0;
	}
	b = dots + 2;
	while (*b == ' ' || *b == '\t')
		b++;
	blen = strlen(b);
	if (parse_date(b, blen, last) != 0) {
		snprintf(why, whylen, "'%.*s' is not a date YYYY-MM-DD "
		    "(years %d..%d)", (int)(blen > 40 ? 40 : blen), b,
		    YEAR_MIN, YEAR_MAX);
		return -1;
	}
	if (*last < *first) {
		snprintf(why, whylen, "range %.*s..%s ends before it starts",
		    (int)alen, a, b);
		return -1;
	}
	if (*last - *first + 1 > CALENDAR_MAX_RANGE_DAYS) {
		snprintf(why, whylen, "range %.*s..%s is %d days, more than "
		    "%d: a typo?", (int)alen, a, b, (int)(*last - *first + 1),
		    CALENDAR_MAX_RANGE_DAYS);
		return -1;
	}
	return 0;
}

static int
parse_weekend(const char *value, unsigned *out, char *why, size_t whylen)
{
	char buf[128], *tok, *save = NULL;
	unsigned mask = 0;
	int ntok = 0;

	if (strcasecmp(value, "none") == 0) {
		*out = 0;
		return 0;
	}
	if (strlen(value) >= sizeof(buf)) {
		snprintf(why, whylen, "weekend days: value too long");
		return -1;
	}
	snprintf(buf, sizeof(buf), "%s", value);
	for (tok = strtok_r(buf, ", \t", &save); tok != NULL;
	    tok = strtok_r(NULL, ", \t", &save)) {
		int w = -1;

		ntok++;
		if (tok[0] >= '0' && tok[0] <= '7' && tok[1] == '\0')
			w = (tok[0] - '0') % 7;
		for (int i = 0; w < 0 && i < 7; i++)
			if (strcasecmp(tok, wday_short[i]) == 0 ||
			    strcasecmp(tok, wday_long[i]) == 0)
				w = i;
		if (w < 0) {
			snprintf(why, whylen, "'%.20s' is not a day of the "
			    "week (sun..sat, or 0..7 with 0 and 7 Sunday)",
			    tok);
			return -1;
		}
		mask |= CALENDAR_WDAY(w);
	}
	if (ntok == 0) {
		snprintf(why, whylen, "weekend days: empty (write none for "
		    "no weekend)");
		return -1;
	}
	if (mask == ALL_DAYS) {
		snprintf(why, whylen, "every day of the week is a weekend "
		    "day: nothing would be a working day");
		return -1;
	}
	*out = mask;
	return 0;
}

struct calendar *
calendar_new(void)
{
	struct calendar *cal = calloc(1, sizeof(*cal));

	if (cal != NULL)
		cal->weekend = CALENDAR_WEEKEND_DEFAULT;
	return cal;
}

void
calendar_free(struct calendar *cal)
{
	if (cal == NULL)
		return;
	free(cal->holidays.v);
	free(cal->workdays.v);
	free(cal->named);
	free(cal);
}

int
calendar_set_weekend(struct calendar *cal, unsigned mask)
{
	if ((mask & ~ALL_DAYS) != 0 || mask == ALL_DAYS)
		return -1;
	cal->weekend = mask;
	return 0;
}

unsigned
calendar_weekend(const struct calendar *cal)
{
	return cal->weekend;
}

static const char *
kind_name(enum calendar_kind k)
{
	return k == CALENDAR_HOLIDAY ? "holiday" : "make-up working day";
}

int
calendar_add(struct calendar *cal, enum calendar_kind kind, const char *dates,
    char *err, size_t errlen)
{
	struct day_set *set, *other;
	int32_t first, last;
	size_t pos, count;
	char buf[16];

	set = kind == CALENDAR_HOLIDAY ? &cal->holidays : &cal->workdays;
	other = kind == CALENDAR_HOLIDAY ? &cal->workdays : &cal->holidays;
	if (parse_range(dates, &first, &last, err, errlen) != 0)
		return -1;
	/* Check every day before changing anything: a refusal leaves the
	 * calendar as it was. */
	for (int32_t d = first; d <= last; d++) {
		const char *was = NULL;

		if (set_find(set, d) != NULL)
			was = kind_name(kind);
		else if (set_find(other, d) != NULL)
			was = kind_name(kind == CALENDAR_HOLIDAY ?
			    CALENDAR_WORKDAY : CALENDAR_HOLIDAY);
		if (was != NULL) {
			fmt_date(d, buf);
			snprintf(err, errlen, "%s is already a %s", buf, was);
			return -1;
		}
	}
	count = (size_t)(last - first) + 1;
	if (set_reserve(set, count) != 0) {
		snprintf(err, errlen, "%s: too many dates or out of memory",
		    dates);
		return -1;
	}
	/* No listed day falls in first..last, so the run goes in one piece
	 * where first would be. */
	pos = set_lower(set, first);
	if (pos < set->n)
		memmove(&set->v[pos + count], &set->v[pos],
		    (set->n - pos) * sizeof(set->v[0]));
	for (size_t i = 0; i < count; i++) {
		set->v[pos + i].day = first + (int32_t)i;
		set->v[pos + i].line = 0;
	}
	set->n += count;
	return 0;
}

bool
calendar_years(const struct calendar *cal, int *first, int *last)
{
	const struct day_set *h = &cal->holidays, *w = &cal->workdays;
	int64_t lo, hi, y;
	int m, d;

	if (h->n == 0 && w->n == 0)
		return false;
	if (h->n == 0)
		lo = w->v[0].day, hi = w->v[w->n - 1].day;
	else if (w->n == 0)
		lo = h->v[0].day, hi = h->v[h->n - 1].day;
	else {
		lo = h->v[0].day < w->v[0].day ? h->v[0].day : w->v[0].day;
		hi = h->v[h->n - 1].day > w->v[w->n - 1].day ?
		    h->v[h->n - 1].day : w->v[w->n - 1].day;
	}
	civil_from_days(lo, &y, &m, &d);
	*first = (int)y;
	civil_from_days(hi, &y, &m, &d);
	*last = (int)y;
	return true;
}

bool
calendar_is_working_day(const struct calendar *cal, int y, int m, int d)
{
	if (!valid_date(y, m, d))
		return false;
	return is_working(cal, days_from_civil(y, m, d));
}

/*
 * Day number n working days from day.  Past the last listed date every
 * week has the same working days, so whole weeks are skipped there: a
 * huge n costs no more than the listed span, and nothing loops forever
 * because some day of the week is always a working day.
 */
static int64_t
step_days(const struct calendar *cal, int64_t day, int n)
{
	const struct day_set *h = &cal->holidays, *w = &cal->workdays;
	int64_t left = n > 0 ? n : -(int64_t)n, dir = n > 0 ? 1 : -1;
	int64_t per_week = 7 - __builtin_popcount(cal->weekend);
	int64_t lo = INT64_MAX, hi = INT64_MIN;

	if (h->n > 0) {
		lo = h->v[0].day;
		hi = h->v[h->n - 1].day;
	}
	if (w->n > 0) {
		lo = w->v[0].day < lo ? w->v[0].day : lo;
		hi = w->v[w->n - 1].day > hi ? w->v[w->n - 1].day : hi;
	}
	while (left > 0) {
		if (left > per_week && (dir > 0 ? day >= hi : day <= lo)) {
			int64_t weeks = (left - 1) / per_week;

			day += dir * weeks * 7;
			left -= weeks * per_week;
		}
		day += dir;
		if (is_working(cal, day))
			left--;
	}
	return day;
}

int64_t
calendar_add_working_days(const struct calendar *cal, int64_t from_ms, int n)
{
	struct tm tm, out;
	time_t t;
	int64_t secs, ms, day, y;
	int m, d;

	if (n == 0)
		return from_ms;
	/* Floor, so 1969's instants keep a millisecond part in 0..999. */
	secs = from_ms / 1000;
	ms = from_ms % 1000;
	if (ms < 0) {
		secs--;
		ms += 1000;
	}
	t = (time_t)secs;
	if (localtime_r(&t, &tm) == NULL)
		return CALENDAR_ERROR;
	day = days_from_civil(tm.tm_year + 1900LL, tm.tm_mon + 1, tm.tm_mday);
	day = step_days(cal, day, n);
	if (day < days_from_civil(1, 1, 1) || day > days_from_civil(9999, 12, 31))
		return CALENDAR_ERROR;
	civil_from_days(day, &y, &m, &d);
	memset(&out, 0, sizeof(out));
	out.tm_year = (int)(y - 1900);
	out.tm_mon = m - 1;
	out.tm_mday = d;
	out.tm_hour = tm.tm_hour;
	out.tm_min = tm.tm_min;
	out.tm_sec = tm.tm_sec;
	/* Let the zone say whether daylight saving applies on that day. */
	out.tm_isdst = -1;
	errno = 0;
	t = mktime(&out);
	if (t == (time_t)-1 && errno != 0)
		return CALENDAR_ERROR;
	return (int64_t)t * 1000 + ms;
}

/* --- Loading ------------------------------------------------------------ */

struct load {
	struct calendar	*cal;
	FILE		*fp;		/* the file, or */
	const char	*s;		/* the rest of the text */
	int		 line;		/* of the text inih is on */
	bool		 at_bol;	/* the next read starts a line */
	bool		 indented;
	int		 weekend_line;	/* where [weekend] days was set */
	int		 err_line;	/* of the first error, 0 if none */
	char		 why[256];
};

static void fail(struct load *, const char *, ...)
    __attribute__((format(printf, 2, 3)));

/* Remembers the first error (at the current line); parsing stops. */
static void
fail(struct load *l, const char *fmt, ...)
{
	va_list ap;

	if (l->err_line != 0)
		return;
	l->err_line = l->line;
	va_start(ap, fmt);
	vsnprintf(l->why, sizeof(l->why), fmt, ap);
	va_end(ap);
}

static bool
at_eof(struct load *l)
{
	int c;

	if (l->fp == NULL)
		return *l->s == '\0';
	if ((c = getc(l->fp)) == EOF)
		return true;
	ungetc(c, l->fp);
	return false;
}

static bool
known_section(const char *s, size_t len)
{
	static const char *const names[] = { "holidays", "workdays", "weekend" };

	for (size_t i = 0; i < 3; i++)
		if (strlen(names[i]) == len && strncasecmp(s, names[i], len) == 0)
			return true;
	return false;
}

/*
 * inih's reader, fgets-like.  The packaged inih is built without
 * INI_HANDLER_LINENO, so the handler is not told its line: counting lines
 * here gives every message its FILE:LINE.  Here too go what inih would
 * silently get wrong: an over-long line (inih splits it into two "lines")
 * and an unknown section with no entries (inih tells the handler nothing).
 * Returning NULL after an error stops inih at the first one.
 */
static char *
read_line(char *buf, int num, void *arg)
{
	struct load *l = arg;
	const char *p, *end;
	size_t len = 0;
	int n;

	if (l->err_line != 0 || num < 2)
		return NULL;
	if (l->fp != NULL) {
		if (fgets(buf, num, l->fp) == NULL)
			return NULL;
		len = strlen(buf);
	} else {
		if (*l->s == '\0')
			return NULL;
		while (len < (size_t)num - 1 && l->s[len] != '\0') {
			buf[len] = l->s[len];
			if (buf[len++] == '\n')
				break;
		}
		buf[len] = '\0';
		l->s += len;
	}
	if (l->at_bol) {
		l->line++;
		l->indented = buf[0] == ' ' || buf[0] == '\t';
	}
	l->at_bol = len > 0 && buf[len - 1] == '\n';
	if (!l->at_bol && !at_eof(l)) {
		fail(l, "line too long (inih reads at most %d bytes)", num - 2);
		return NULL;
	}
	p = buf;
	while (*p == ' ' || *p == '\t')
		p++;
	/* A malformed header is inih's syntax error; a well-formed one we
	 * check by name. */
	if (*p == '[' && (end = strchr(p, ']')) != NULL &&
	    !known_section(p + 1, (size_t)(end - p - 1))) {
		n = (int)(end - p - 1);
		fail(l, "unknown section [%.*s] (known: holidays, workdays, "
		    "weekend)", n > 40 ? 40 : n, p + 1);
		return NULL;
	}
	return buf;
}

/* YYYYMMDD of a day since 1970-01-01. */
static uint32_t
ymd(int64_t day)
{
	int64_t y;
	int m, d;

	civil_from_days(day, &y, &m, &d);
	return (uint32_t)(y * 10000 + m * 100 + d);
}

/* A4 needs the holidays by name: keep each named range as listed. */
static int
add_named(struct calendar *cal, const char *name, int32_t first,
    int32_t last)
{
	struct calendar_holiday *grown, *h;

	if ((grown = realloc(cal->named, (cal->nnamed + 1) *
	    sizeof(*grown))) == NULL)
		return -1;
	cal->named = grown;
	h = &cal->named[cal->nnamed++];
	snprintf(h->name, sizeof(h->name), "%s", name);
	h->first = ymd(first);
	h->last = ymd(last);
	return 0;
}

const struct calendar_holiday *
calendar_holidays(const struct calendar *cal, size_t *n)
{
	*n = cal != NULL ? cal->nnamed : 0;
	return *n ? cal->named : NULL;
}

static int
on_entry(void *arg, const char *section, const char *key, const char *value)
{
	struct load *l = arg;
	enum calendar_kind kind;
	struct day_set *set;
	int32_t first, last;
	unsigned mask;
	char why[sizeof(l->why)];

	if (l->err_line != 0)
		return 0;
	if (l->indented) {
		/* inih appends an indented line to the entry above as a second
		 * value; it is far likelier a misplaced date. */
		fail(l, "indented line: start each entry at the beginning "
		    "of the line");
		return 0;
	}
	if (strcasecmp(section, "weekend") == 0) {
		if (strcasecmp(key, "days") != 0) {
			fail(l, "unknown key '%.40s' in [weekend] (known: days)",
			    key);
			return 0;
		}
		if (parse_weekend(value, &mask, why, sizeof(why)) != 0) {
			fail(l, "%s", why);
			return 0;
		}
		/* Concatenated files may each say sat,sun; not two weeks. */
		if (l->weekend_line != 0 && mask != l->cal->weekend) {
			fail(l, "weekend days differ from those on line %d",
			    l->weekend_line);
			return 0;
		}
		l->cal->weekend = mask;
		l->weekend_line = l->line;
		return 1;
	}
	if (strcasecmp(section, "holidays") == 0)
		kind = CALENDAR_HOLIDAY;
	else if (strcasecmp(section, "workdays") == 0)
		kind = CALENDAR_WORKDAY;
	else {
		if (*section == '\0')
			fail(l, "'%.40s' is outside any section ([holidays], "
			    "[workdays], [weekend])", key);
		else
			fail(l, "unknown section [%.40s]", section);
		return 0;
	}
	if (parse_range(key, &first, &last, why, sizeof(why)) != 0) {
		fail(l, "%s", why);
		return 0;
	}
	set = kind == CALENDAR_HOLIDAY ? &l->cal->holidays :
	    &l->cal->workdays;
	if (kind == CALENDAR_HOLIDAY && *value != '\0' &&
	    add_named(l->cal, value, first, last) != 0) {
		fail(l, "out of memory");
		return 0;
	}
	if (set_reserve(set, (size_t)(last - first) + 1) != 0) {
		fail(l, "too many dates (over %d), or out of memory", SET_MAX);
		return 0;
	}
	/* Sorted and checked for conflicts once the whole file is in. */
	for (int32_t d = first; d <= last; d++) {
		set->v[set->n].day = d;
		set->v[set->n].line = l->line;
		set->n++;
	}
	return 1;
}

/* Keeps the conflict at the earliest line: what a reader fixes first. */
static void
conflict(int *best, int line, char *why, size_t whylen, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static void
conflict(int *best, int line, char *why, size_t whylen, const char *fmt, ...)
{
	va_list ap;

	if (*best != 0 && line >= *best)
		return;
	*best = line;
	va_start(ap, fmt);
	vsnprintf(why, whylen, fmt, ap);
	va_end(ap);
}

/*
 * With both sets sorted: dates listed twice, dates in both sets, and (once
 * the whole file is read, so [weekend] is known) make-up days that are no
 * weekend day.  Returns the line of the earliest, 0 if none.
 */
static int
check_sets(const struct calendar *cal, bool whole, char *why, size_t whylen)
{
	const struct day_set *h = &cal->holidays, *w = &cal->workdays;
	int best = 0;
	size_t i, j;
	char buf[16];

	for (int k = 0; k < 2; k++) {
		const struct day_set *s = k == 0 ? h : w;

		for (i = 1; i < s->n; i++) {
			if (s->v[i].day != s->v[i - 1].day)
				continue;
			fmt_date(s->v[i].day, buf);
			conflict(&best, s->v[i].line, why, whylen,
			    "%s is already a %s on line %d (overlapping "
			    "entries)", buf, k == 0 ? "holiday" :
			    "make-up working day", s->v[i - 1].line);
		}
	}
	for (i = j = 0; i < h->n && j < w->n;) {
		if (h->v[i].day < w->v[j].day)
			i++;
		else if (h->v[i].day > w->v[j].day)
			j++;
		else {
			fmt_date(h->v[i].day, buf);
			conflict(&best, h->v[i].line > w->v[j].line ?
			    h->v[i].line : w->v[j].line, why, whylen,
			    "%s is both a holiday (line %d) and a make-up "
			    "working day (line %d)", buf, h->v[i].line,
			    w->v[j].line);
			i++;
			j++;
		}
	}
	for (j = 0; whole && j < w->n; j++) {
		int wd = weekday(w->v[j].day);

		if (cal->weekend & CALENDAR_WDAY(wd))
			continue;
		fmt_date(w->v[j].day, buf);
		conflict(&best, w->v[j].line, why, whylen,
		    "%s is a %s, a working day anyway: [workdays] lists "
		    "weekend days worked instead (调休)", buf, wday_name[wd]);
	}
	return best;
}

static int
load(struct calendar **calp, struct load *l, const char *name, char *err,
    size_t errlen)
{
	char why[sizeof(l->why)];
	int rc, line;

	if ((l->cal = calendar_new()) == NULL) {
		snprintf(err, errlen, "%s: out of memory", name);
		return -1;
	}
	l->at_bol = true;
	rc = ini_parse_stream(read_line, l, on_entry, l);
	if (l->fp != NULL && ferror(l->fp)) {
		snprintf(err, errlen, "%s: read error", name);
		calendar_free(l->cal);
		return -1;
	}
	if (rc < 0 && l->err_line == 0) {
		snprintf(err, errlen, "%s: out of memory", name);
		calendar_free(l->cal);
		return -1;
	}
	/* inih's own line count matches ours up to the first error, as we
	 * stop at an over-long line, the only thing that would split them. */
	if (rc > 0 && (l->err_line == 0 || rc < l->err_line)) {
		l->err_line = rc;
		snprintf(l->why, sizeof(l->why), "syntax error: expected "
		    "[section] or DATE = NAME");
	}
	set_sort(&l->cal->holidays);
	set_sort(&l->cal->workdays);
	line = check_sets(l->cal, l->err_line == 0, why, sizeof(why));
	if (line != 0 && (l->err_line == 0 || line < l->err_line)) {
		l->err_line = line;
		memcpy(l->why, why, sizeof(why));
	}
	if (l->err_line != 0) {
		snprintf(err, errlen, "%s:%d: %s", name, l->err_line, l->why);
		calendar_free(l->cal);
		return -1;
	}
	*calp = l->cal;
	return 0;
}

int
calendar_load_string(struct calendar **calp, const char *name,
    const char *text, char *err, size_t errlen)
{
	struct load l;

	memset(&l, 0, sizeof(l));
	l.s = text;
	return load(calp, &l, name, err, errlen);
}

int
calendar_load_file(struct calendar **calp, const char *path, char *err,
    size_t errlen)
{
	struct load l;
	int rc;

	if (*path == '\0') {
		struct calendar *cal = calendar_new();

		if (cal == NULL) {
			snprintf(err, errlen, "out of memory");
			return -1;
		}
		*calp = cal;
		return 0;
	}
	memset(&l, 0, sizeof(l));
	if ((l.fp = fopen(path, "r")) == NULL) {
		snprintf(err, errlen, "%s: cannot read: %s", path,
		    strerror(errno));
		return -1;
	}
	rc = load(calp, &l, path, err, errlen);
	fclose(l.fp);
	return rc;
}

/* Every zone's offset today is a whole number of quarter hours, so a
 * local day starts on a quarter hour of UTC: within one, in one zone
 * (TZ, which tests change), the day is the same.  localtime_r was a
 * twentieth of an import's loop (a tally a row). */
#define QUARTER_HOUR_MS	(15 * 60 * 1000)

uint32_t
calendar_local_day(int64_t ms)
{
	static _Thread_local int64_t last_quarter = INT64_MIN;
	static _Thread_local uint32_t last_day;
	static _Thread_local char last_tz[64];
	const char *tz = getenv("TZ");
	int64_t quarter = ms >= 0 ? ms / QUARTER_HOUR_MS :
	    (ms - (QUARTER_HOUR_MS - 1)) / QUARTER_HOUR_MS;
	time_t t = (time_t)(ms >= 0 ? ms / 1000 : (ms - 999) / 1000);
	struct tm tm;

	if (tz == NULL)
		tz = "";
	if (quarter == last_quarter && strcmp(tz, last_tz) == 0)
		return last_day;
	if (localtime_r(&t, &tm) == NULL || tm.tm_year < -1899 ||
	    tm.tm_year > 8099)
		return 0;
	/* A zone name too long to keep is never taken as the same. */
	last_quarter = strlen(tz) < sizeof(last_tz) ? quarter : INT64_MIN;
	snprintf(last_tz, sizeof(last_tz), "%s", tz);
	last_day = (uint32_t)(tm.tm_year + 1900) * 10000 +
	    (uint32_t)(tm.tm_mon + 1) * 100 + (uint32_t)tm.tm_mday;
	return last_day;
}

int64_t
calendar_day_start_ms(uint32_t day)
{
	struct tm tm;

	memset(&tm, 0, sizeof(tm));
	tm.tm_year = (int)(day / 10000) - 1900;
	tm.tm_mon = (int)(day / 100 % 100) - 1;
	tm.tm_mday = (int)(day % 100);
	tm.tm_isdst = -1;
	return (int64_t)mktime(&tm) * 1000;
}

uint32_t
calendar_day_add(uint32_t day, int n)
{
	int64_t y;
	int m, d;

	civil_from_days(days_from_civil(day / 10000, (int)(day / 100 % 100),
	    (int)(day % 100)) + n, &y, &m, &d);
	return (uint32_t)y * 10000 + (uint32_t)m * 100 + (uint32_t)d;
}

int
calendar_day_of_week(uint32_t day)
{
	return (weekday(days_from_civil(day / 10000, (int)(day / 100 % 100),
	    (int)(day % 100))) + 6) % 7;
}

uint32_t
calendar_month_next(uint32_t month)
{
	return month % 100 == 12 ? (month / 100 + 1) * 100 + 1 : month + 1;
}

void
calendar_month_span(uint32_t month, int64_t *from_ms, int64_t *to_ms)
{
	*from_ms = calendar_day_start_ms(month * 100 + 1);
	*to_ms = calendar_day_start_ms(calendar_month_next(month) * 100 + 1);
}
