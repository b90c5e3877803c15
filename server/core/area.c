/*
 * area.c - the registry of areas.  Filled once at start, then read only,
 * so the loop and the worker threads read it without a lock.
 */
#include <stdlib.h>

#include "area.h"
#include "log.h"

#define AREA_MAX	32

static const struct area *areas[AREA_MAX + 1];
static size_t nareas;
/* Rows by body case, for dispatch's lookup of every request. */
static const struct request_row **by_body;
static size_t nbody;

static void
index_row(const struct request_row *r)
{
	size_t body = (size_t)r->body;

	if (body >= nbody) {
		size_t n = body + 1;
		const struct request_row **grown;

		grown = realloc(by_body, n * sizeof(*grown));
		if (grown == NULL)
			fatalx("%s: out of memory at start", __func__);
		for (size_t i = nbody; i < n; i++)
			grown[i] = NULL;
		by_body = grown;
		nbody = n;
	}
	if (by_body[body] != NULL)
		fatalx("request %s is served by two areas", r->name);
	by_body[body] = r;
}

void
area_register_all(const struct area *const *list)
{
	if (nareas > 0)
		return;		/* once a process */
	for (; *list != NULL; list++) {
		if (nareas == AREA_MAX)
			fatalx("more than %d areas", AREA_MAX);
		areas[nareas++] = *list;
		for (size_t i = 0; i < (*list)->nrequests; i++)
			index_row(&(*list)->requests[i]);
		for (size_t i = 0; i < (*list)->nsettings; i++)
			config_add_section((*list)->settings[i]);
	}
}

const struct request_row *
area_request(Deskd__Request__BodyCase body)
{
	if (body <= 0 || (size_t)body >= nbody)
		return NULL;
	return by_body[body];
}

enum perm_op
area_request_op(const struct request_row *r, const Deskd__Request *req)
{
	return r->op_of != NULL ? r->op_of(req, r->op) : r->op;
}

const struct area *
area_nth(size_t i)
{
	return i < nareas ? areas[i] : NULL;
}
