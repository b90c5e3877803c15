/*
 * duty_rules.h - the rules of changes to duty (A3, A7, A8) as pure functions:
 * what a request must carry, who may take which step in which state, and
 * which shift a moment falls in.  No storage, so they are unit-tested alone.
 */
#ifndef DESKD_DUTY_RULES_H
#define DESKD_DUTY_RULES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "deskd.pb-c.h"
#include "shift_rules.h"

/* A8: a stand-in (顶岗) lasts at most 4 hours. */
#define DUTY_STANDIN_MAX_MS	((int64_t)4 * 60 * 60 * 1000)

/* "2026-12-03" -> 20261203; 0 when it is not a day. */
uint32_t	duty_date_parse(const char *);
/* A DutyNew is complete and within the rules (A7, A8); the users and the
 * schedule are the handler's. */
Deskd__Status	duty_check_new(const Deskd__DutyNew *, const char *actor,
		    int64_t now_ms, char *msg, size_t len);
/*
 * May `actor` take this step now?  can_decide: the actor's role approves
 * schedules (supervisor, admin).  A3: nobody approves or rejects their own
 * request (PERMISSION_DENIED); a swap is accepted or declined by its
 * other person, and approved only once accepted; a step that makes no
 * sense in the request's state is CONFLICT.
 */
Deskd__Status	duty_check_step(const Deskd__DutyRequest *,
		    const Deskd__DutyStep *, const char *actor,
		    bool can_decide, char *msg, size_t len);
/* A3: a swap or leave before its shifts begin, a stand-in before its
 * hours are over (CONFLICT, saying which); at the request and again at
 * the approval. */
Deskd__Status	duty_check_ahead(const struct shift_conf *,
		    const Deskd__DutyRequest *, int64_t now_ms, char *msg,
		    size_t len);
/*
 * The shift a moment (local time) falls in: its day (YYYYMMDD, the day the
 * shift starts, so a night shift after midnight belongs to the day before)
 * and index, and the shift's end in ms.  -1 when no shift holds it.
 */
int		duty_shift_at(const struct shift_conf *, int64_t ms,
		    uint32_t *date, int *shift, int64_t *end_ms);
const char	*duty_kind_name(Deskd__DutyKind);
const char	*duty_status_name(Deskd__DutyStatus);
/* "duty.approved" ... */
const char	*duty_event_type(Deskd__DutyAction);
/* Does the request change the schedule when approved (A5)?  A swap or a
 * leave; a stand-in covers its hours only (A8). */
bool		duty_changes_schedule(Deskd__DutyKind);
/*
 * A8, across requests: with the live (pending or approved) stand-ins among
 * v, the requester of stand-in d stands in at most 4 hours in d's shift,
 * and nobody's hours are stood in for twice (CONFLICT, saying which).
 */
Deskd__Status	duty_check_standins(const Deskd__DutyRequest *d,
		    Deskd__DutyRequest *const *v, size_t n, char *msg,
		    size_t len);
/* A8: the part of `user`'s shift that approved stand-ins among v leave to
 * them: *start_ms moves past stand-ins covering it, *end_ms before them. */
void		duty_uncovered(Deskd__DutyRequest *const *v, size_t n,
		    const char *user, uint32_t date, const char *shift,
		    int64_t *start_ms, int64_t *end_ms);

/* A7: away from the post past the approved return time (a [clocks] key). */
#define CLOCK_DUTY_LEAVE_POST		"duty.leave_post_return"

#endif
