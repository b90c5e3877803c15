/*
 * reverify.h - the store re-verified while deskd serves (C9, H4): the
 * chain's tail at start, the whole store nightly on a thread of its own;
 * a mismatch is an alert.
 */
#ifndef DESKD_REVERIFY_H
#define DESKD_REVERIFY_H

#include "store.h"

struct server;

/* deskd's rules for what the log shows of a record, for store_verify. */
extern const struct store_verify_rules reverify_rules;

int	reverify_start(struct server *);	/* -1: cannot */
void	reverify_stop(void);	/* waits for a walk under way */

#endif
