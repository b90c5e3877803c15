/*
 * attendance_rules.c - the rules of attendance (A1, B1), pure.  Dates are local
 * dates in the process's time zone, as in the rest of deskd.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "attendance_rules.h"

#define MIN_MS	((int64_t)60 * 1000)

/* date + days at local midnight, normalised by mktime; false if the date
 * does not exist (mktime would roll 02-30 into March). */
static bool
day_tm(uint32_t date, int days, struct tm *tm)
{
	int y = (int)(date / 10000), m = (int)(date / 100 % 100),
	    d = (int)(date % 100);

	memset(tm, 0, sizeof(*tm));
	tm->tm_year = y - 1900;
	tm->tm_mon = m - 1;
	tm->tm_mday = d;
	tm->tm_isdst = -1;
	if (y < 1970 || y > 9999 || mktime(tm) == (time_t)-1 ||
	    tm->tm_mday != d || tm->tm_mon != m - 1)
		return false;
	tm->tm_mday += days;
	tm->tm_hour = tm->tm_min = tm->tm_sec = 0;
	tm->tm_isdst = -1;
	return mktime(tm) != (time_t)-1;
}

static uint32_t
tm_date(const struct tm *tm)
{
	return (uint32_t)((tm->tm_year + 1900) * 10000 + (tm->tm_mon + 1) *
	    100 + tm->tm_mday);
}

uint32_t
att_day_add(uint32_t date, int days)
{
	struct tm tm;

	return day_tm(date, days, &tm) ? tm_date(&tm) : 0;
}

uint32_t
att_today(int64_t ms)
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;

	return localtime_r(&t, &tm) != NULL ? tm_date(&tm) : 0;
}

int64_t
att_day_ms(uint32_t date)
{
	struct tm tm;

	return day_tm(date, 0, &tm) ? (int64_t)mktime(&tm) * 1000 : -1;
}

int
att_shift_span(const struct shift_def *s, uint32_t date, int64_t *start_ms,
    int64_t *end_ms)
{
	struct tm tm;

	if (!day_tm(date, 0, &tm))
		return -1;
	/* Minutes past midnight through mktime, so a day with a daylight-
	 * saving change keeps the wall-clock times of [shifts]. */
	tm.tm_min = s->start_min;
	tm.tm_isdst = -1;
	*start_ms = (int64_t)mktime(&tm) * 1000;
	day_tm(date, 0, &tm);
	tm.tm_min = s->end_min + (s->end_min <= s->start_min ? 24 * 60 : 0);
	tm.tm_isdst = -1;
	*end_ms = (int64_t)mktime(&tm) * 1000;
	return 0;
}

int64_t
att_day_end_ms(const struct shift_conf *c, uint32_t date)
{
	int64_t start, end, last = -1;

	for (size_t i = 0; i < c->nshifts; i++)
		if (att_shift_span(&c->shifts[i], date, &start, &end) == 0 &&
		    end > last)
			last = end;
	return last;
}

int64_t
att_month_end_ms(const struct shift_conf *c, uint32_t month)
{
	int days = shift_month_days(month);

	return days > 0 ? att_day_end_ms(c, month * 100 + (uint32_t)days) : -1;
}

int64_t
att_cutoff_ms(const struct shift_conf *c, uint32_t month)
{
	return att_day_end_ms(c, month * 100 + ATT_REPORT_DAY - 1);
}

void
att_check_past(const struct shift_conf *c, uint32_t month,
    Deskd__Assignment *const *old, size_t nold,
    Deskd__Assignment *const *new, size_t nnew, int64_t now_ms,
    struct sched_problems *p)
{
	const Deskd__Assignment **was, **now;
	char name[96];

	was = calloc(SHIFT_SLOTS, sizeof(*was));
	now = calloc(SHIFT_SLOTS, sizeof(*now));
	if (was == NULL || now == NULL) {
		sched_problem(p, -1, "out of memory");
		goto done;
	}
	for (size_t i = 0; i < nold; i++)
		was[shift_slot(old[i])] = old[i];
	for (size_t i = 0; i < nnew; i++)
		now[shift_slot(new[i])] = new[i];
	for (size_t i = 0; i < SHIFT_SLOTS; i++) {
		const Deskd__Assignment *a = was[i] ? was[i] : now[i];
		const char *from = was[i] ? was[i]->user : "",
		    *to = now[i] ? now[i]->user : "";
		int64_t start, end;

		if (a == NULL || strcmp(from, to) == 0 ||
		    a->shift >= c->nshifts || att_shift_span(&c->shifts[a->shift],
		    month * 100 + a->day, &start, &end) != 0 || end > now_ms)
			continue;
		sched_slot_name(c, month, a, name, sizeof(name));
		/* "nobody" in the template, never an argument: a user's
		 * name is not translated. */
		if (*from == '\0')
			sched_problem(p, -1, "%s: nobody -> %s: the shift is "
			    "over", name, to);
		else if (*to == '\0')
			sched_problem(p, -1, "%s: %s -> nobody: the shift is "
			    "over", name, from);
		else
			sched_problem(p, -1, "%s: %s -> %s: the shift is over",
			    name, from, to);
	}
done:
	free(was);
	free(now);
}

void
att_time_text(char *out, size_t len, int64_t ms)
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;

	if (localtime_r(&t, &tm) == NULL || strftime(out, len,
	    "%Y-%m-%d %H:%M", &tm) == 0)
		snprintf(out, len, "?");
}

void
att_in_minutes(int64_t start_ms, int64_t in_ms, uint32_t *late_min,
    uint32_t *early_min)
{
	*late_min = in_ms > start_ms ? (uint32_t)((in_ms - start_ms) /
	    MIN_MS) : 0;
	*early_min = in_ms < start_ms ? (uint32_t)((start_ms - in_ms) /
	    MIN_MS) : 0;
}

uint32_t
att_left_early(int64_t end_ms, int64_t out_ms)
{
	return out_ms < end_ms ? (uint32_t)((end_ms - out_ms) / MIN_MS) : 0;
}

Deskd__AttendanceRow *
att_row(struct att_tally *t, const char *user)
{
	Deskd__AttendanceRow **grown, *r;

	for (size_t i = 0; i < t->n; i++)
		if (strcmp(t->rows[i]->user, user) == 0)
			return t->rows[i];
	if ((r = malloc(sizeof(*r))) == NULL)
		return NULL;
	deskd__attendance_row__init(r);
	if ((r->user = strdup(user)) == NULL ||
	    (grown = realloc(t->rows, (t->n + 1) * sizeof(*grown))) == NULL) {
		free(r->user);
		free(r);
		return NULL;
	}
	t->rows = grown;
	t->rows[t->n++] = r;
	return r;
}

void
att_count_shift(struct att_tally *t, const char *user,
    const Deskd__Attendance *a, bool over)
{
	Deskd__AttendanceRow *r = att_row(t, user);

	if (r == NULL)
		return;
	r->scheduled++;
	if (a != NULL && a->in_ms != 0) {
		r->worked++;
		if (a->late_min > 0) {
			r->late++;
			r->late_min += a->late_min;
		}
		if (a->early_min >= ATT_EARLY_MIN)
			r->early_ok++;
	} else if (over)
		r->absent++;
}

void
att_count_duty(struct att_tally *t, const Deskd__DutyRequest *d,
    uint32_t month)
{
	Deskd__AttendanceRow *r;

	if (d->status != DESKD__DUTY_STATUS__DUTY_APPROVED ||
	    d->date / 100 != month)
		return;
	switch (d->kind) {
	case DESKD__DUTY_KIND__DUTY_SWAP:
		if ((r = att_row(t, d->requester)) != NULL)
			r->swaps++;
		if ((r = att_row(t, d->other)) != NULL)
			r->swaps++;
		break;
	case DESKD__DUTY_KIND__DUTY_LEAVE:
		if ((r = att_row(t, d->requester)) != NULL)
			r->leaves++;
		break;
	case DESKD__DUTY_KIND__DUTY_STANDIN:
		if ((r = att_row(t, d->requester)) != NULL)
			r->standins++;
		break;
	default:
		break;
	}
}

static int
by_user(const void *a, const void *b)
{
	const Deskd__AttendanceRow *const *x = a, *const *y = b;

	return strcmp((*x)->user, (*y)->user);
}

void
att_tally_sort(struct att_tally *t)
{
	if (t->n > 1)
		qsort(t->rows, t->n, sizeof(*t->rows), by_user);
}

void
att_tally_free(struct att_tally *t)
{
	for (size_t i = 0; i < t->n; i++) {
		free(t->rows[i]->user);
		free(t->rows[i]);
	}
	free(t->rows);
	t->rows = NULL;
	t->n = 0;
}

static bool
row_same(const Deskd__AttendanceRow *a, const Deskd__AttendanceRow *b)
{
	return a->scheduled == b->scheduled && a->worked == b->worked &&
	    a->late == b->late && a->late_min == b->late_min &&
	    a->absent == b->absent && a->early_ok == b->early_ok &&
	    a->swaps == b->swaps && a->standins == b->standins &&
	    a->leaves == b->leaves;
}

void
att_tally_corrections(struct att_tally *now,
    Deskd__AttendanceRow *const *submitted, size_t n)
{
	size_t kept = 0;

	/* A person submitted and no longer counted gets a zero row. */
	for (size_t i = 0; i < n; i++)
		att_row(now, submitted[i]->user);
	for (size_t i = 0; i < now->n; i++) {
		const Deskd__AttendanceRow *r = now->rows[i], *sub = NULL;

		for (size_t j = 0; j < n && sub == NULL; j++)
			if (strcmp(submitted[j]->user, r->user) == 0)
				sub = submitted[j];
		if (sub != NULL && row_same(r, sub)) {
			free(now->rows[i]->user);
			free(now->rows[i]);
			continue;
		}
		now->rows[kept++] = now->rows[i];
	}
	now->n = kept;
}

void
att_tally_keep(struct att_tally *t, const char *user)
{
	size_t kept = 0;

	for (size_t i = 0; i < t->n; i++) {
		if (strcmp(t->rows[i]->user, user) == 0) {
			t->rows[kept++] = t->rows[i];
			continue;
		}
		free(t->rows[i]->user);
		free(t->rows[i]);
	}
	t->n = kept;
}
