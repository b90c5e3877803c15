/*
 * dutylog.h - what other areas ask of the duty log (B7).
 */
#ifndef DESKD_DUTYLOG_H
#define DESKD_DUTYLOG_H

#include <stdint.h>

#include "ctx.h"

/* Arm the reminder of day YYYYMMDD unless it is signed or armed. */
void	dutylog_day_arm(struct apply_ctx *, uint32_t day);

#endif
