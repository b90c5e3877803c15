/*
 * ledger.h - what other areas ask of the compliance ledger (issue 15).
 */
#ifndef DESKD_LEDGER_H
#define DESKD_LEDGER_H

#include <stddef.h>
#include <stdint.h>

#include "ctx.h"

/* The month's (YYYYMM) lines as they stand now, owned by ctx (B8: what a
 * signature of the month seals). */
Deskd__QuotaLine **ledger_lines(struct apply_ctx *, uint32_t month,
	    size_t *n);
/* Arm month's check (its at-risk day, then each due time) unless armed. */
void	ledger_arm(struct apply_ctx *, uint32_t month);

#endif
