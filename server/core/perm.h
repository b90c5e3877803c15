/*
 * perm.h - who may do what.  The whole permission table is in perm.c so it
 * can be read (and unit-tested) in one place.
 */
#ifndef DESKD_PERM_H
#define DESKD_PERM_H

#include <stdbool.h>

enum role {
	ROLE_NONE = 0,
	ROLE_CLERK,
	ROLE_SUPERVISOR,
	ROLE_DIRECTOR,
	ROLE_ENGINEER,
	ROLE_ADMIN,
	ROLE__COUNT
};

enum perm_op {
	OP_SELF = 0,		/* own session and password */
	OP_WATCH,		/* subscribe to the event stream */
	OP_COMPLAINT_READ,
	OP_COMPLAINT_WRITE,	/* intake and every step but the ruling (C1-C7, C9) */
	OP_COMPLAINT_RULE,	/* the final ruling on appeal (C7) */
	OP_USER_ADMIN,
	OP_ALERT_ACK,		/* take an alert (H2) */
	OP_REPAIR_READ,		/* work orders and the fee schedule (D1-D5) */
	OP_REPAIR_WRITE,	/* record, dispatch, call, feedback, revisit */
	OP_REPAIR_WORK,		/* arrive, done, note (engineers: their own orders) */
	OP_FEE_SET,		/* change the published fee schedule (D2) */
	OP_SCHEDULE_READ,	/* shift schedules: show, diff, history (A2) */
	OP_SCHEDULE_WRITE,	/* draft, set, import, publish (A2, A5) */
	OP_HANDOVER,		/* count, pending, anomalies, sign (B2-B5) */
	OP_ARCHIVE_READ,	/* units and people, contacts masked (E6) */
	OP_ARCHIVE_WRITE,	/* add and change units and people (E6) */
	OP_ARCHIVE_REVEAL,	/* one full phone or ID number, with a reason */
	OP_REVEAL_AUDIT,	/* list who revealed what, when and why */
	OP_ARCHIVE_EXPORT,	/* export with unmasked fields (logged) */
	OP_REGISTER_READ,	/* the front-desk registers (E1-E5, E7) */
	OP_REGISTER_WRITE,	/* record in them: visitors, keys, passes ... */
	OP_REGISTER_APPROVE,	/* the duty officer's approval and stamp (E1) */
	OP_FIRE_PLAN,		/* set the fire-safety duties' plans (G1-G5, F5) */
	OP__COUNT
};

bool		 perm_allows(enum role, enum perm_op);
const char	*role_name(enum role);
enum role	 role_parse(const char *);	/* ROLE_NONE if unknown */
const char	*perm_op_name(enum perm_op);

#endif
