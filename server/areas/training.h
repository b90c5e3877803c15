/*
 * training.h - what other areas ask of drills and training (training.c,
 * G5): the schedule, whether the people it puts on a post have passed
 * fire training.
 */
#ifndef DESKD_TRAINING_H
#define DESKD_TRAINING_H

#include <stddef.h>

#include "ctx.h"

/*
 * G5: new staff pass fire training before their first shift.  Of the n
 * assignments, those putting on a post someone not on `was` (the nwas
 * assignments of the roster before: the schedule's to say which) who has
 * passed no fire training: the index of each such person's first, in
 * *first (owned by ctx), their number returned.  0 when [training]
 * before_first_shift is off.
 */
size_t	training_untrained(struct apply_ctx *, Deskd__Assignment *const *a,
	    size_t n, Deskd__Assignment *const *was, size_t nwas,
	    size_t **first);

#endif
