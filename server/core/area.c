/*
 * area.c - the registry of areas.  Filled once at start, then read only,
 * so the loop and the worker threads read it without a lock.
 */
#include <stdlib.h>
#include <string.h>

#include "area.h"
#include "log.h"

#define AREA_MAX	32

static const struct area *areas[AREA_MAX + 1];
static size_t nareas;
/* Rows by body case, for dispatch's lookup of every request. */
static const struct request_row **by_body;
static size_t nbody;
/* Every kind of every area, for import, export and push. */
#define KIND_MAX	128
static const struct kind *kinds[KIND_MAX];
static size_t nkinds;
static const struct kind *by_rec[256];
/* What verify proves record by record, from the kinds (store.h). */
static struct store_record_spec specs[KIND_MAX];
static size_t nspecs;

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

static void
index_kind(const struct kind *k)
{
	if (nkinds == KIND_MAX)
		fatalx("more than %d kinds of record", KIND_MAX);
	if (area_kind(k->name, strlen(k->name)) != NULL)
		fatalx("kind %s is kept by two areas", k->name);
	if (k->rec != 0) {
		if ((unsigned)k->rec >= 256 || by_rec[k->rec] != NULL)
			fatalx("kind %s: record kind %d taken", k->name,
			    (int)k->rec);
		by_rec[k->rec] = k;
		if (strcmp(record_kind_name(k->rec), k->name) != 0)
			store_name_kind(k->rec, k->name);
	}
	kinds[nkinds++] = k;
	if (k->history != HISTORY_NONE)
		specs[nspecs++] = (struct store_record_spec){ k->name, k->rec,
		    k->db, k->is_open != NULL ? k->open : DB__COUNT, k->d,
		    k->is_open, k->history == HISTORY_PER_REVISION };
}

void
area_register_all(const struct area *const *list)
{
	if (nareas > 0)
		return;		/* once a process */
	for (; *list != NULL; list++) {
		const struct area *ar = *list;
		const struct kind *k;

		if (nareas == AREA_MAX)
			fatalx("more than %d areas", AREA_MAX);
		areas[nareas++] = ar;
		for (size_t i = 0; i < ar->nrequests; i++)
			index_row(&ar->requests[i]);
		for (size_t i = 0; ar->kinds != NULL && ar->kinds[i] != NULL;
		    i++)
			index_kind(ar->kinds[i]);
		for (size_t i = 0; ar->kind_at != NULL &&
		    (k = ar->kind_at(i)) != NULL; i++)
			index_kind(k);
		for (size_t i = 0; i < ar->nsettings; i++)
			config_add_section(ar->settings[i]);
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

const struct kind *
area_kind_nth(size_t i)
{
	return i < nkinds ? kinds[i] : NULL;
}

const struct store_record_spec *
area_record_specs(size_t *n)
{
	*n = nspecs;
	return specs;
}

const struct kind *
area_kind_of(enum record_kind rec)
{
	return (unsigned)rec < 256 ? by_rec[rec] : NULL;
}

const struct kind *
area_kind(const char *name, size_t len)
{
	const struct kind *k;

	for (size_t i = 0; (k = area_kind_nth(i)) != NULL; i++)
		if (strncmp(k->name, name, len) == 0 && k->name[len] == '\0')
			return k;
	return NULL;
}

const struct area *
area_nth(size_t i)
{
	return i < nareas ? areas[i] : NULL;
}

Deskd__Status
ctx_allows(struct apply_ctx *ctx, const Deskd__Request *req)
{
	const struct request_row *h = area_request(req->body_case);
	enum perm_op op;

	if (h == NULL)
		return ctx_fail(ctx, DESKD__STATUS__UNKNOWN_REQUEST, "unknown "
		    "request");
	op = area_request_op(h, req);
	if (!perm_allows(ctx->role, op))
		return ctx_fail(ctx, DESKD__STATUS__PERMISSION_DENIED, "a %s "
		    "may not %s", role_name(ctx->role), perm_op_name(op));
	return DESKD__STATUS__OK;
}
