/* duty_rules.c - the rules of changes to duty (A3, A7, A8). */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "attendance_rules.h"
#include "duty_rules.h"
#include "refuse.h"
#include "text.h"
#include "wire.h"

#define K(x)	DESKD__DUTY_KIND__DUTY_##x
#define S(x)	DESKD__DUTY_STATUS__DUTY_##x
#define A(x)	DESKD__DUTY_ACTION__DUTY_##x

#define INVALID		DESKD__STATUS__INVALID_ARGUMENT
#define CONFLICT	DESKD__STATUS__CONFLICT
#define DENIED		DESKD__STATUS__PERMISSION_DENIED

uint32_t
duty_date_parse(const char *s)
{
	unsigned y, m, d;
	int n = 0;

	if (sscanf(s, "%4u-%2u-%2u%n", &y, &m, &d, &n) != 3 || s[n] != '\0' ||
	    n != 10 || d < 1 || (int)d > shift_month_days(y * 100 + m))
		return 0;
	return (y * 100 + m) * 100 + d;
}

/* A shift of the requester's, or the other person's for a swap. */
static Deskd__Status
check_slot(const char *date, const char *shift, const char *what, char *msg,
    size_t len)
{
	if (duty_date_parse(date) == 0) {
		refuse_fmt(msg, len, "%sdate: a day, YYYY-MM-DD", what);
		return INVALID;
	}
	if (!*shift) {
		refuse_fmt(msg, len, "%sshift: required (a shift's name)", what);
		return INVALID;
	}
	return DESKD__STATUS__OK;
}

Deskd__Status
duty_check_new(const Deskd__DutyNew *n, const char *actor, int64_t now_ms,
    char *msg, size_t len)
{
	Deskd__Status st;

	if (n->kind != K(SWAP) && n->kind != K(LEAVE) &&
	    n->kind != K(STANDIN) && n->kind != K(LEAVE_POST))
		return text_refuse(msg, len, INVALID, "kind: swap, leave, standin "
		    "or leave_post");
	if (*n->other && strcmp(n->other, actor) == 0)
		return text_refuse(msg, len, INVALID, "other: not the requester "
		    "themself");
	/* A8: no leave or stand-in without a special event; A7: leaving
	 * the post says why. */
	if (n->kind != K(SWAP) && !*n->reason)
		return text_refuse(msg, len, INVALID, "reason: required (A7, A8: "
		    "the special event)");
	switch (n->kind) {
	case K(SWAP):
		if (!*n->other)
			return text_refuse(msg, len, INVALID, "other: who to swap "
			    "with");
		if ((st = check_slot(n->date, n->shift, "", msg, len)) !=
		    DESKD__STATUS__OK ||
		    (st = check_slot(n->other_date, n->other_shift, "other_",
		    msg, len)) != DESKD__STATUS__OK)
			return st;
		break;
	case K(LEAVE):
		/* The cover may be named now or by the supervisor. */
		return check_slot(n->date, n->shift, "", msg, len);
	case K(STANDIN):
		if (!*n->other)
			return text_refuse(msg, len, INVALID, "other: who is "
			    "stood in for");
		/* The range itself is the door's (validate.c); here only
		 * what keeps the arithmetic below from overflowing. */
		if (n->from_ms <= 0 || n->to_ms <= n->from_ms ||
		    n->to_ms >= WIRE_TIME_END_MS)
			return text_refuse(msg, len, INVALID, "from_ms, to_ms: a "
			    "time span, from before to");
		/* A8: at most 4 hours. */
		if (n->to_ms - n->from_ms > DUTY_STANDIN_MAX_MS)
			return text_refuse(msg, len, INVALID, "a stand-in lasts at "
			    "most 4 hours (A8)");
		break;
	case K(LEAVE_POST):
		if (n->to_ms <= now_ms || n->to_ms >= WIRE_TIME_END_MS)
			return text_refuse(msg, len, INVALID, "to_ms: the return "
			    "time, in the future (A7)");
		break;
	default:
		break;
	}
	return DESKD__STATUS__OK;
}

Deskd__Status
duty_check_step(const Deskd__DutyRequest *d, const Deskd__DutyStep *s,
    const char *actor, bool can_decide, char *msg, size_t len)
{
	bool own = strcmp(d->requester, actor) == 0;

	switch (s->action) {
	case A(ACCEPT):
	case A(DECLINE):
		if (d->kind != K(SWAP))
			return text_refuse(msg, len, CONFLICT, "only a swap is "
			    "accepted or declined, by the other person (A3)");
		if (strcmp(d->other, actor) != 0) {
			refuse_fmt(msg, len, "only %s, whose shift it is, "
			    "accepts or declines this swap (A3)", d->other);
			return DENIED;
		}
		if (d->status != S(PENDING) || d->accepted_ms != 0)
			return text_refuse(msg, len, CONFLICT, "the swap was "
			    "already accepted, decided or withdrawn");
		return DESKD__STATUS__OK;
	case A(APPROVE):
	case A(REJECT):
		if (!can_decide)
			return text_refuse(msg, len, DENIED, "only a supervisor "
			    "approves or rejects a change to duty (A3)");
		if (own)
			return text_refuse(msg, len, DENIED, "nobody approves or "
			    "rejects their own request (A3)");
		if (d->status != S(PENDING))
			return text_refuse(msg, len, CONFLICT, "the request was "
			    "already decided or withdrawn");
		if (*s->cover && d->kind != K(LEAVE))
			return text_refuse(msg, len, INVALID, "cover: only a leave "
			    "is covered");
		if (*s->cover && strcmp(s->cover, d->requester) == 0)
			return text_refuse(msg, len, INVALID, "cover: not the "
			    "requester themself");
		if (s->action == A(APPROVE) && d->kind == K(LEAVE) &&
		    !*d->other && !*s->cover)
			return text_refuse(msg, len, INVALID, "cover: a leave is "
			    "approved with the user who covers the shift (A3)");
		/* A3: a swap gives away the other person's shift too. */
		if (s->action == A(APPROVE) && d->kind == K(SWAP) &&
		    d->accepted_ms == 0) {
			refuse_fmt(msg, len, "the swap waits for %s to accept "
			    "it (desk request accept) before a decision (A3)",
			    d->other);
			return CONFLICT;
		}
		return DESKD__STATUS__OK;
	case A(WITHDRAW):
		if (!own)
			return text_refuse(msg, len, DENIED, "only the requester "
			    "withdraws a request");
		if (d->status != S(PENDING))
			return text_refuse(msg, len, CONFLICT, "only a pending "
			    "request is withdrawn");
		return DESKD__STATUS__OK;
	case A(BACK):
		if (d->kind != K(LEAVE_POST))
			return text_refuse(msg, len, CONFLICT, "back: only after "
			    "leaving the post (A7)");
		if (!own && !can_decide)
			return text_refuse(msg, len, DENIED, "back: the person "
			    "themself, or a supervisor");
		if (d->status != S(APPROVED))
			return text_refuse(msg, len, CONFLICT, "back: the leave "
			    "from the post is not approved, or is over");
		return DESKD__STATUS__OK;
	default:
		return text_refuse(msg, len, INVALID, "action: approve, reject, "
		    "withdraw, back, accept or decline");
	}
}

/* Has the shift `name` of YYYYMMDD begun by now? */
static Deskd__Status
check_begun(const struct shift_conf *c, uint32_t date, const char *name,
    int64_t now_ms, char *msg, size_t len)
{
	int si = shift_index(c, name);
	int64_t start, end;

	if (si < 0 || att_shift_span(&c->shifts[si], date, &start, &end) != 0 ||
	    start > now_ms)
		return DESKD__STATUS__OK;
	refuse_fmt(msg, len, "the %s shift of %04u-%02u-%02u %s: a change to "
	    "duty is asked and approved before the shift (A3)", name,
	    date / 10000, date / 100 % 100, date % 100, end <= now_ms ?
	    R_("is over") : R_("has begun"));
	return CONFLICT;
}

Deskd__Status
duty_check_ahead(const struct shift_conf *c, const Deskd__DutyRequest *d,
    int64_t now_ms, char *msg, size_t len)
{
	Deskd__Status st;

	switch (d->kind) {
	case K(SWAP):
		if ((st = check_begun(c, d->other_date, d->other_shift, now_ms,
		    msg, len)) != DESKD__STATUS__OK)
			return st;
		/* FALLTHROUGH */
	case K(LEAVE):
		return check_begun(c, d->date, d->shift, now_ms, msg, len);
	case K(STANDIN):
		if (d->to_ms <= now_ms)
			return text_refuse(msg, len, CONFLICT, "the hours of the "
			    "stand-in are over: a change to duty is asked "
			    "and approved beforehand (A3)");
		return DESKD__STATUS__OK;
	default:
		return DESKD__STATUS__OK;
	}
}

int
duty_shift_at(const struct shift_conf *c, int64_t ms, uint32_t *date,
    int *shift, int64_t *end_ms)
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm, day;
	int min;

	if (localtime_r(&t, &tm) == NULL)
		return -1;
	min = tm.tm_hour * 60 + tm.tm_min;
	for (size_t i = 0; i < c->nshifts; i++) {
		const struct shift_def *s = &c->shifts[i];
		bool night = s->end_min <= s->start_min;
		int back = 0, end;

		if (!night && (min < s->start_min || min >= s->end_min))
			continue;
		if (night && min < s->start_min && min >= s->end_min)
			continue;
		/* After midnight in a night shift: it began the day before. */
		if (night && min < s->end_min)
			back = 1;
		day = tm;
		day.tm_mday -= back;
		day.tm_hour = day.tm_min = day.tm_sec = 0;
		day.tm_isdst = -1;
		if (mktime(&day) == (time_t)-1)
			return -1;
		*date = (uint32_t)((day.tm_year + 1900) * 10000 +
		    (day.tm_mon + 1) * 100 + day.tm_mday);
		*shift = (int)i;
		end = s->end_min + (night ? 24 * 60 : 0);
		day.tm_min = end;
		day.tm_isdst = -1;
		*end_ms = (int64_t)mktime(&day) * 1000;
		return 0;
	}
	return -1;
}

const char *
duty_kind_name(Deskd__DutyKind k)
{
	switch (k) {
	case K(SWAP):		return "swap";
	case K(LEAVE):		return "leave";
	case K(STANDIN):	return "stand-in";
	case K(LEAVE_POST):	return "leave of the post";
	default:		return "request";
	}
}

const char *
duty_status_name(Deskd__DutyStatus s)
{
	switch (s) {
	case S(PENDING):	return "pending";
	case S(APPROVED):	return "approved";
	case S(REJECTED):	return "rejected";
	case S(WITHDRAWN):	return "withdrawn";
	case S(RETURNED):	return "returned";
	case S(DECLINED):	return "declined";
	default:		return "unknown";
	}
}

const char *
duty_event_type(Deskd__DutyAction a)
{
	switch (a) {
	case A(APPROVE):	return "duty.approved";
	case A(REJECT):		return "duty.rejected";
	case A(WITHDRAW):	return "duty.withdrawn";
	case A(BACK):		return "duty.returned";
	case A(ACCEPT):		return "duty.accepted";
	case A(DECLINE):	return "duty.declined";
	default:		return "duty.noted";
	}
}

bool
duty_changes_schedule(Deskd__DutyKind k)
{
	/* A8: a stand-in covers its hours, not the shift: the slot stays. */
	return k == K(SWAP) || k == K(LEAVE);
}

/* A stand-in that still stands: asked and not refused, or approved. */
static bool
standin_live(const Deskd__DutyRequest *o)
{
	return o->kind == K(STANDIN) && (o->status == S(PENDING) ||
	    o->status == S(APPROVED));
}

Deskd__Status
duty_check_standins(const Deskd__DutyRequest *d,
    Deskd__DutyRequest *const *v, size_t n, char *msg, size_t len)
{
	int64_t total = d->to_ms - d->from_ms;

	for (size_t i = 0; i < n; i++) {
		const Deskd__DutyRequest *o = v[i];

		if (o->id == d->id || !standin_live(o) || o->date != d->date ||
		    strcmp(o->shift, d->shift) != 0)
			continue;
		/* The same hours of the same person twice: a duplicate. */
		if (strcmp(o->other, d->other) == 0 &&
		    o->from_ms < d->to_ms && d->from_ms < o->to_ms) {
			refuse_fmt(msg, len, "request %llu already covers %s in "
			    "these hours (A8)", (unsigned long long)o->id,
			    o->other);
			return CONFLICT;
		}
		if (strcmp(o->requester, d->requester) == 0)
			total += o->to_ms - o->from_ms;
	}
	if (total > DUTY_STANDIN_MAX_MS) {
		refuse_fmt(msg, len, "a stand-in lasts at most 4 hours (A8): %s "
		    "would stand in %lld min in all in this shift",
		    d->requester, (long long)(total / 60000));
		return CONFLICT;
	}
	return DESKD__STATUS__OK;
}

void
duty_uncovered(Deskd__DutyRequest *const *v, size_t n, const char *user,
    uint32_t date, const char *shift, int64_t *start_ms, int64_t *end_ms)
{
	bool moved = true;

	/* Stand-ins may follow one another: move until none covers an end. */
	while (moved && *start_ms < *end_ms) {
		moved = false;
		for (size_t i = 0; i < n; i++) {
			const Deskd__DutyRequest *o = v[i];

			if (o->kind != K(STANDIN) || o->status != S(APPROVED) ||
			    o->date != date || strcmp(o->shift, shift) != 0 ||
			    strcmp(o->other, user) != 0)
				continue;
			if (o->from_ms <= *start_ms && o->to_ms > *start_ms) {
				*start_ms = o->to_ms;
				moved = true;
			}
			if (o->to_ms >= *end_ms && o->from_ms < *end_ms) {
				*end_ms = o->from_ms;
				moved = true;
			}
		}
	}
}
