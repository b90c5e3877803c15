/*
 * complaint_report.h - the complaint area's monthly report (C8) and its
 * lines of the compliance ledger (C2, C4), from the complaint tallies.
 */
#ifndef DESKD_COMPLAINT_REPORT_H
#define DESKD_COMPLAINT_REPORT_H

#include "area.h"

struct category_conf;

/* ComplaintReport: the month's (week's) figures and the period before. */
Deskd__Status	complaint_report(struct apply_ctx *,
		    const Deskd__ComplaintReport *, const struct category_conf *);

/* The ledger's C2 line (answered within 2 h) and C4 (revisited). */
bool	complaint_reply_quota(struct apply_ctx *, uint32_t month,
	    struct quota *);
bool	complaint_revisit_quota(struct apply_ctx *, uint32_t month,
	    struct quota *);

#endif
