/* admit.c - connection caps and the table of source addresses (issue 12). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "admit.h"

#define ADMIT_BUCKETS	4096

struct admit_table {
	struct admit_source	*bucket[ADMIT_BUCKETS];
};

uint32_t
admit_max_conns(uint32_t configured, uint64_t nofile, bool *over)
{
	uint64_t room = nofile > ADMIT_FD_RESERVE + 1 ?
	    nofile - ADMIT_FD_RESERVE : 1;

	if (room > UINT32_MAX)
		room = UINT32_MAX;
	*over = configured != 0 && configured > room;
	return configured != 0 ? configured : (uint32_t)room;
}

enum admit_verdict
admit_decide(uint32_t open, uint32_t max_conns, uint32_t source_unauth,
    uint32_t max_unauth_per_source)
{
	/* The source's own first: one address flooding makes room from its
	 * own connections, not from everyone's. */
	if (max_unauth_per_source != 0 &&
	    source_unauth >= max_unauth_per_source)
		return ADMIT_EVICT_SOURCE;
	if (open >= max_conns)
		return ADMIT_EVICT_ANY;
	return ADMIT_OK;
}

static uint32_t
addr_hash(const char *addr)
{
	uint32_t h = 2166136261u;

	for (const char *p = addr; *p; p++)
		h = (h ^ (uint8_t)*p) * 16777619u;
	return h % ADMIT_BUCKETS;
}

struct admit_table *
admit_table_new(void)
{
	return calloc(1, sizeof(struct admit_table));
}

void
admit_table_free(struct admit_table *t)
{
	struct admit_source *s, *next;

	if (t == NULL)
		return;
	for (size_t i = 0; i < ADMIT_BUCKETS; i++)
		for (s = t->bucket[i]; s != NULL; s = next) {
			next = s->next;
			free(s);
		}
	free(t);
}

struct admit_source *
admit_find(struct admit_table *t, const char *addr)
{
	struct admit_source *s;

	for (s = t->bucket[addr_hash(addr)]; s != NULL; s = s->next)
		if (strcmp(s->addr, addr) == 0)
			return s;
	return NULL;
}

struct admit_source *
admit_get(struct admit_table *t, const char *addr)
{
	struct admit_source *s;
	uint32_t h;

	if ((s = admit_find(t, addr)) != NULL)
		return s;
	if ((s = calloc(1, sizeof(*s))) == NULL)
		return NULL;
	snprintf(s->addr, sizeof(s->addr), "%s", addr);
	TAILQ_INIT(&s->conns);
	h = addr_hash(addr);
	s->next = t->bucket[h];
	t->bucket[h] = s;
	return s;
}

void
admit_put(struct admit_table *t, struct admit_source *s)
{
	struct admit_source **pp;

	if (s->unauth > 0)
		return;
	for (pp = &t->bucket[addr_hash(s->addr)]; *pp != NULL;
	    pp = &(*pp)->next)
		if (*pp == s) {
			*pp = s->next;
			free(s);
			return;
		}
}
