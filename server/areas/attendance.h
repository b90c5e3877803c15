/*
 * attendance.h - what other areas ask of attendance (A1, A4).
 */
#ifndef DESKD_ATTENDANCE_H
#define DESKD_ATTENDANCE_H

#include <stdint.h>

#include "ctx.h"

/* Arm or stop the report and holiday-publication clocks, after the
 * publish of published_month, or at startup (0). */
void	attendance_clocks(struct apply_ctx *, uint32_t published_month);

#endif
