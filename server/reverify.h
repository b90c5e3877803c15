/*
 * reverify.h - the store re-verified while deskd serves (C9, H4): the
 * chain's tail at start, the whole store nightly on a thread of its own;
 * a mismatch is an alert.
 */
#ifndef DESKD_REVERIFY_H
#define DESKD_REVERIFY_H

struct server;

int	reverify_start(struct server *);	/* -1: cannot */
void	reverify_stop(void);	/* waits for a walk under way */

#endif
