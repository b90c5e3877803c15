/* user.h - creating a user, shared by `deskd init` and UserAdd. */
#ifndef DESKD_USER_H
#define DESKD_USER_H

#include "dispatch.h"

Deskd__Status	user_create(struct apply_ctx *, const char *name,
		    const char *role, const char *password);

#endif
