/* perm.c - the permission table. */
#include <string.h>

#include "perm.h"

static const char *const role_names[ROLE__COUNT] = {
	[ROLE_NONE] = "none",
	[ROLE_CLERK] = "clerk",
	[ROLE_SUPERVISOR] = "supervisor",
	[ROLE_DIRECTOR] = "director",
	[ROLE_ENGINEER] = "engineer",
	[ROLE_ADMIN] = "admin",
};

static const char *const op_names[OP__COUNT] = {
	[OP_SELF] = "manage their own session",
	[OP_WATCH] = "watch the event stream",
	[OP_COMPLAINT_READ] = "read complaints",
	[OP_COMPLAINT_WRITE] = "record complaints",
	[OP_COMPLAINT_RULE] = "rule on an appeal",
	[OP_USER_ADMIN] = "manage users",
};

/*
 * Rows: roles; columns: operations.  Engineers see complaints (they may be
 * the person responsible, C6) but record repairs, not complaints.  Only the
 * director gives the final ruling on an appeal (C7).
 */
static const bool table[ROLE__COUNT][OP__COUNT] = {
	/*		  self   watch  c.read c.write c.rule users */
	[ROLE_NONE] =	{ false, false, false, false, false, false },
	[ROLE_CLERK] =	{ true,  true,  true,  true,  false, false },
	[ROLE_SUPERVISOR] = { true, true, true, true,  false, false },
	[ROLE_DIRECTOR] = { true, true,  true,  true,  true,  false },
	[ROLE_ENGINEER] = { true, true,  true,  false, false, false },
	[ROLE_ADMIN] =	{ true,  true,  true,  true,  true,  true },
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
	return (unsigned)op < OP__COUNT ? op_names[op] : "do that";
}
