/*
 * now_rules.h - who among the desks an item of "what needs me now" is for
 * (issue 16), and its order: pure, unit-tested (test_now_rules.c).
 */
#ifndef DESKD_NOW_RULES_H
#define DESKD_NOW_RULES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "deskd.pb-c.h"
#include "perm.h"

struct now_asker {
	enum role	 role;
	const char	*user;
	const char	*post;		/* on duty now at; "" none */
	bool		 all_posts;	/* a supervisor's whole board */
};

/* An alert's level by the role it is addressed to: 0 clerk, 1
 * supervisor, 2 director. */
uint32_t	now_level(const char *role);
/*
 * Is the item for this asker?  A clerk: what is addressed to them, or
 * to their post (or to no post), never what went up to the director; a
 * supervisor
 * (and an admin): the supervisors' alerts, and every post's desk items
 * with all_posts, else their own; a director: the escalations (level 2)
 * and what is addressed to them; an engineer: what is addressed to them.
 */
bool		now_for(const struct now_asker *, const Deskd__NowItem *);
/* By due_ms, no deadline (0) last; equal ones by record. */
void		now_sort(Deskd__NowItem **, size_t);

#endif
