/*
 * schedule.h - what other areas ask of the shift schedules (A2, A5).
 */
#ifndef DESKD_SCHEDULE_H
#define DESKD_SCHEDULE_H

#include "ctx.h"

/* Publish a month's assignments as a new version (a duty request's
 * swap, A3; duty is that request, NULL for none).  correction: the reason for changing shifts that are over
 * (A1, A5); NULL or "" refuses such a change.  untrained_override: the
 * reason for putting on a post someone new to the roster (on neither this
 * month's published version nor last month's) with no passed fire
 * training (G5, training.h); NULL or "" refuses it. */
Deskd__Status	schedule_publish_assignments(struct apply_ctx *,
		    uint32_t month, Deskd__Assignment **, size_t n,
		    const Deskd__DutyRequest *duty, const char *correction,
		    const char *untrained_override, uint32_t *version);

#endif
