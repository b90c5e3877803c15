/* now_rules.c - who an item of "what needs me now" is for, and its order. */
#include <stdlib.h>
#include <string.h>

#include "now_rules.h"

uint32_t
now_level(const char *role)
{
	if (strcmp(role, "director") == 0)
		return 2;
	return strcmp(role, "supervisor") == 0 ? 1 : 0;
}

/* Addressed to the asker's post: it, or no post in particular. */
static bool
at_post(const struct now_asker *a, const Deskd__NowItem *it)
{
	return *it->post == '\0' || (*a->post != '\0' &&
	    strcmp(it->post, a->post) == 0);
}

bool
now_for(const struct now_asker *a, const Deskd__NowItem *it)
{
	bool mine = *it->owner != '\0' && strcmp(it->owner, a->user) == 0;
	/* Another's work at no post in particular is for those on duty. */
	bool posted = at_post(a, it) && (*it->owner == '\0' ||
	    *a->post != '\0');

	switch (a->role) {
	case ROLE_CLERK:
		/* Never what went up to the director. */
		return it->level < 2 && (mine || posted);
	case ROLE_SUPERVISOR:
	case ROLE_ADMIN:
		if (it->level == 2)
			return mine;
		return it->level == 1 || mine || posted || a->all_posts;
	case ROLE_DIRECTOR:
		return it->level == 2 || mine;
	default:
		return mine;
	}
}

static int
before(const void *a, const void *b)
{
	const Deskd__NowItem *x = *(const Deskd__NowItem *const *)a;
	const Deskd__NowItem *y = *(const Deskd__NowItem *const *)b;

	if (x->due_ms != y->due_ms) {
		if (x->due_ms == 0 || y->due_ms == 0)
			return x->due_ms == 0 ? 1 : -1;
		return x->due_ms < y->due_ms ? -1 : 1;
	}
	return strcmp(x->record, y->record);
}

void
now_sort(Deskd__NowItem **v, size_t n)
{
	if (n > 1)
		qsort(v, n, sizeof(*v), before);
}
