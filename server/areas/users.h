/* users.h - creating a user, shared by `deskd init` and UserAdd. */
#ifndef DESKD_USERS_H
#define DESKD_USERS_H

#include "ctx.h"

/* With `derived` (a crypto job that made a fresh salt and key) the
 * password is not hashed again; deskd init passes NULL. */
Deskd__Status	user_create(struct apply_ctx *, const char *name,
		    const char *display_name, const char *role, const char *password,
		    const struct worker_job *derived);

/* The user as events, replies and exports show it: a new message with the
 * public fields only, so no password material (nor a field added later)
 * leaves by mistake. */
Deskd__User	*user_public(struct apply_ctx *, const Deskd__User *);

#endif
