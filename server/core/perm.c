/* perm.c - the permission table. */
#include <string.h>

#include "perm.h"
#include "refuse.h"

static const char *const role_names[ROLE__COUNT] = {
	[ROLE_NONE] = "none",
	[ROLE_CLERK] = "clerk",
	[ROLE_SUPERVISOR] = "supervisor",
	[ROLE_DIRECTOR] = "director",
	[ROLE_ENGINEER] = "engineer",
	[ROLE_ADMIN] = "admin",
};

/* Said in a refusal, "a clerk may not manage users": in the desk's
 * catalog (refuse.h). */
static const char *const op_names[OP__COUNT] = {
	[OP_SELF] = R_("manage their own session"),
	[OP_WATCH] = R_("watch the event stream"),
	[OP_COMPLAINT_READ] = R_("read complaints"),
	[OP_COMPLAINT_WRITE] = R_("record complaints"),
	[OP_COMPLAINT_RULE] = R_("rule on an appeal"),
	[OP_USER_ADMIN] = R_("manage users"),
	[OP_ALERT_ACK] = R_("acknowledge alerts"),
	[OP_REPAIR_READ] = R_("read repairs"),
	[OP_REPAIR_WRITE] = R_("record or dispatch repairs"),
	[OP_REPAIR_WORK] = R_("record work on repairs"),
	[OP_FEE_SET] = R_("set the fee schedule"),
	[OP_SCHEDULE_READ] = R_("read shift schedules"),
	[OP_SCHEDULE_WRITE] = R_("draw up or publish shift schedules"),
	[OP_HANDOVER] = R_("work a shift handover"),
	[OP_ARCHIVE_READ] = R_("read the owner archive"),
	[OP_ARCHIVE_WRITE] = R_("change the owner archive"),
	[OP_ARCHIVE_REVEAL] = R_("reveal a full phone or ID number"),
	[OP_REVEAL_AUDIT] = R_("list the reveals of phone and ID numbers"),
	[OP_ARCHIVE_EXPORT] = R_("export unmasked phone and ID numbers"),
	[OP_REGISTER_READ] = R_("read the front-desk registers"),
	[OP_REGISTER_WRITE] = R_("record in the front-desk registers"),
	[OP_REGISTER_APPROVE] = R_("approve passes and permits as duty officer"),
	[OP_FIRE_PLAN] = R_("set the fire-safety plans"),
};

/*
 * Rows: roles; columns: operations.  Engineers see complaints (they may be
 * the person responsible, C6) but record repairs, not complaints.  Only the
 * director gives the final ruling on an appeal (C7).
 *
 * Repairs (D1-D5): the desks record, dispatch, call the owner and revisit;
 * engineers read, and record their own arrival, completion and notes -- on
 * orders sent to them or to engineering at large, never someone else's
 * (repair_check_worker), and they do not create orders.  The fee schedule
 * is published by management (D2): only a supervisor or an admin changes
 * it, so a desk cannot price an order by editing the schedule first.
 *
 * Shift schedules (A2, A5): everybody on duty reads them; the supervisor
 * (or an admin) draws them up and publishes them.  The desks and their
 * superiors work the handover at a shift change (B2-B6); engineers are
 * not on the desk rota.
 *
 * The owner archive (E6) is the desks' and their superiors': engineers see
 * a unit and a masked contact only through the orders sent to them.  Any
 * desk may reveal one full number, with a reason on record; the
 * supervisor and director audit the reveals; only an admin exports the
 * archive unmasked.  The registers (E1-E5, E7) are kept by the desks; a
 * release pass or a permit is approved by the duty officer (supervisor or
 * above).  The fire-safety duties (G1-G5, F5) are recorded by the desks
 * like a register; what is due and how often (the plans) is set by the
 * supervisor or above.
 */
static const bool table[ROLE__COUNT][OP__COUNT] = {
	/*		  self   watch  c.read c.write c.rule users  ack
	 *		  r.read r.write r.work fee.set s.read s.write hand
	 *		  a.read a.write reveal audit  export g.read g.write approve
	 *		  f.plan */
	[ROLE_NONE] =	{ false, false, false, false, false, false, false,
			  false, false, false, false, false, false, false,
			  false, false, false, false, false, false, false, false,
			  false },
	[ROLE_CLERK] =	{ true,  true,  true,  true,  false, false, true,
			  true,  true,  true,  false, true,  false, true,
			  true,  true,  true,  false, false, true,  true,  false,
			  false },
	[ROLE_SUPERVISOR] = { true, true, true, true,  false, false, true,
			  true,  true,  true,  true, true,  true, true,
			  true,  true,  true,  true,  false, true,  true,  true,
			  true },
	[ROLE_DIRECTOR] = { true, true,  true,  true,  true,  false, true,
			  true,  true,  true,  false, true,  false, true,
			  true,  true,  true,  true,  false, true,  true,  true,
			  true },
	[ROLE_ENGINEER] = { true, true,  true,  false, false, false, false,
			  true,  false, true,  false, true,  false, false,
			  false, false, false, false, false, false, false, false,
			  false },
	[ROLE_ADMIN] =	{ true,  true,  true,  true,  true,  true,  true,
			  true,  true,  true,  true, true,  true, true,
			  true,  true,  true,  true,  true,  true,  true,  true,
			  true },
};

bool
perm_allows(enum role r, enum perm_op op)
{
	if ((unsigned)r >= ROLE__COUNT || (unsigned)op >= OP__COUNT)
		return false;
	return table[r][op];
}

const char *
role_name(enum role r)
{
	return (unsigned)r < ROLE__COUNT ? role_names[r] : "none";
}

enum role
role_parse(const char *s)
{
	for (int r = ROLE_CLERK; r < ROLE__COUNT; r++)
		if (strcmp(s, role_names[r]) == 0)
			return (enum role)r;
	return ROLE_NONE;
}

const char *
perm_op_name(enum perm_op op)
{
	return (unsigned)op < OP__COUNT ? op_names[op] : R_("do that");
}
