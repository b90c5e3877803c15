/* ledger_rules.c - report periods and quota arithmetic (issue 15). */
#include <stdio.h>

#include "calendar.h"
#include "ledger_rules.h"
#include "refuse.h"
#include "shift_rules.h"

int
report_month(const char *text, uint32_t this_month, uint32_t *month,
    char *msg, size_t len)
{
	if (*text == '\0') {
		*month = this_month;
		return 0;
	}
	if ((*month = shift_month_parse(text)) == 0) {
		refuse_fmt(msg, len, "month: '%.16s' is not a month (YYYY-MM)",
		    text);
		return -1;
	}
	if (*month > this_month) {
		refuse_fmt(msg, len, "month: %s is in the future (this month is "
		    "%04u-%02u)", text, this_month / 100, this_month % 100);
		return -1;
	}
	return 0;
}

bool
report_period(uint32_t month, unsigned week, uint32_t *from, uint32_t *to)
{
	int days = shift_month_days(month);
	uint32_t first = month * 100 + 1, last, monday;

	if (days == 0)
		return false;
	last = month * 100 + (uint32_t)days;
	if (week == 0) {
		*from = first;
		*to = last;
		return true;
	}
	/* The Monday on or before the 1st starts week 1. */
	monday = calendar_day_add(first, -calendar_day_of_week(first));
	monday = calendar_day_add(monday, 7 * (int)(week - 1));
	if (week > 6 || monday > last)
		return false;
	*from = monday < first ? first : monday;
	*to = calendar_day_add(monday, 6);
	if (*to > last)
		*to = last;
	return true;
}

void
report_previous(uint32_t month, unsigned week, uint32_t *pmonth,
    unsigned *pweek)
{
	uint32_t prev = month % 100 == 1 ? (month / 100 - 1) * 100 + 12 :
	    month - 1;
	uint32_t from, to;
	unsigned w = 1;

	if (week > 1) {
		*pmonth = month;
		*pweek = week - 1;
		return;
	}
	*pmonth = prev;
	if (week == 0) {
		*pweek = 0;
		return;
	}
	while (report_period(prev, w + 1, &from, &to))
		w++;
	*pweek = w;
}

void
quota_judge(uint64_t required, uint64_t done, enum quota_kind kind,
    int64_t start_ms, int64_t due_ms, int64_t now_ms,
    struct quota_judgement *j)
{
	long double share;

	j->percent = required == 0 ? 100 :
	    (uint32_t)((long double)done * 100 / (long double)required);
	j->forecast = done;
	if (kind == QUOTA_SO_FAR && now_ms < due_ms) {
		j->state = done >= required ? QUOTA_ON_TRACK : QUOTA_AT_RISK;
		return;
	}
	if (done >= required) {
		j->state = QUOTA_MET;
		return;
	}
	if (now_ms >= due_ms) {
		j->state = QUOTA_MISSED;
		return;
	}
	if (kind == QUOTA_ONCE || now_ms <= start_ms || due_ms <= start_ms) {
		j->state = QUOTA_ON_TRACK;
		return;
	}
	share = (long double)(now_ms - start_ms) / (long double)(due_ms -
	    start_ms);
	j->forecast = (uint64_t)((long double)done / share);
	j->state = j->forecast >= required ? QUOTA_ON_TRACK : QUOTA_AT_RISK;
}

const char *
quota_state_name(enum quota_state s)
{
	switch (s) {
	case QUOTA_MET:		return "met";
	case QUOTA_ON_TRACK:	return "on track";
	case QUOTA_AT_RISK:	return "at risk";
	case QUOTA_MISSED:	return "missed";
	}
	return "?";
}
