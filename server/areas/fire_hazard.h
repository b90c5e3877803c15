/*
 * fire_hazard.h - G3: what the fire area (fire.c: plans, their tasks,
 * patrols, equipment in rotation) asks of its hazards (fire_hazard.c).
 */
#ifndef DESKD_FIRE_HAZARD_H
#define DESKD_FIRE_HAZARD_H

#include "register.h"

/* Numbered here, not in storage's enum: stored in the keys, never
 * reused.  The fire area's others are in fire.c (26, 27, 29, 30). */
#define RECORD_HAZARD		((enum record_kind)28)

/* fire_hazard.c: the hazard register's row. */
extern const struct reg_def hazard_def;

/*
 * G3: open a hazard in the request's transaction (an abnormal result of a
 * round or a failed test): found by the actor, at location, with the
 * source ("fire-task:12 P-03") and the result's text as its description.
 * Its deadline and notice are the hazard register's, as for one the desk
 * adds.  Returns its id, or 0 after ctx_fail.
 */
uint64_t	hazard_open(struct apply_ctx *, const char *location,
		    const char *description, const char *source);
/* Whether hazard_open would open it, writing nothing: a request checks
 * every hazard it opens before its first write. */
Deskd__Status	hazard_open_check(struct apply_ctx *, const char *location,
		    const char *description, const char *source);

#endif
