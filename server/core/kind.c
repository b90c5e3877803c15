/*
 * kind.c - records through their kind's description: the one read
 * (kind_load), writes and pages with the open index, the generic Get,
 * List and History, and what several kinds share in how they are shown
 * (contacts masked, E6; the record of an export with numbers in full).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "request.h"
#include "log.h"
#include "kind.h"
#include "reply.h"
#include "vault.h"

/* ---------- reading a record: the one way ---------- */

bool
kind_visible(const struct apply_ctx *ctx, const struct kind *k,
    const ProtobufCMessage *m)
{
	return k->visible == NULL || k->visible(ctx, m);
}

Deskd__Status
kind_load(struct apply_ctx *ctx, const struct kind *k, uint64_t id,
    ProtobufCMessage **out)
{
	ProtobufCMessage *m = store_get_record(ctx->txn, k->db, id, k->d);

	*out = NULL;
	if (m == NULL)
		return ctx_fail(ctx, DESKD__STATUS__NOT_FOUND, "no %s %" PRIu64,
		    k->name, id);
	ctx_own_msg(ctx, m);
	if (!kind_visible(ctx, k, m))
		return ctx_fail(ctx, DESKD__STATUS__PERMISSION_DENIED, "%s %"
		    PRIu64 " %s", k->name, id, k->hidden_why);
	*out = m;
	return DESKD__STATUS__OK;
}

/* A record's id: the field every numbered record has. */
static uint64_t
record_id(const ProtobufCMessage *m)
{
	const ProtobufCFieldDescriptor *f =
	    protobuf_c_message_descriptor_get_field_by_name(m->descriptor,
	    "id");

	if (f == NULL || f->type != PROTOBUF_C_TYPE_UINT64)
		fatalx("%s: %s has no id", __func__, m->descriptor->name);
	return *(const uint64_t *)((const char *)m + f->offset);
}

/* A kind without is_open has no open index (its `open` is unset). */
static enum store_db
open_index(const struct kind *k)
{
	return k->is_open != NULL ? k->open : DB__COUNT;
}

static bool
tally_has(const struct tally_key *keys, size_t n, const struct tally_key *x)
{
	for (size_t i = 0; i < n; i++)
		if (keys[i].day == x->day && strcmp(keys[i].dim, x->dim) == 0 &&
		    strcmp(keys[i].value, x->value) == 0)
			return true;
	return false;
}

/* The counts go from what `was` counted as (NULL: a new record) to what
 * `now` does: only the keys that differ are written. */
static void
tally_move(struct store_txn *t, const struct kind *k,
    const ProtobufCMessage *was, const ProtobufCMessage *now)
{
	struct tally_key a[KIND_TALLY_MAX], b[KIND_TALLY_MAX];
	size_t na = was != NULL ? k->tally(was, a, KIND_TALLY_MAX) : 0;
	size_t nb = now != NULL ? k->tally(now, b, KIND_TALLY_MAX) : 0;

	for (size_t i = 0; i < na; i++)
		if (!tally_has(b, nb, &a[i]))
			tally_add(t, k->rec, a[i].day, a[i].dim, a[i].value, -1);
	for (size_t i = 0; i < nb; i++)
		if (!tally_has(a, na, &b[i]))
			tally_add(t, k->rec, b[i].day, b[i].dim, b[i].value, 1);
}

void
kind_put(struct apply_ctx *ctx, const struct kind *k,
    const ProtobufCMessage *m)
{
	if (k->tally != NULL) {
		ProtobufCMessage *was = store_get_record(ctx->txn, k->db,
		    record_id(m), k->d);

		tally_move(ctx->txn, k, was, m);
		if (was != NULL)
			protobuf_c_message_free_unpacked(was, NULL);
	}
	store_put_record(ctx->txn, k->db, open_index(k), record_id(m), m,
	    k->is_open != NULL && k->is_open(m));
}

void
kind_add(struct apply_ctx *ctx, const struct kind *k,
    const ProtobufCMessage *m)
{
	if (k->tally != NULL)
		tally_move(ctx->txn, k, NULL, m);
	store_add_record(ctx->txn, k->db, open_index(k), record_id(m), m,
	    k->is_open != NULL && k->is_open(m));
}

static bool
tally_one(uint64_t id, const MDB_val *v, void *arg)
{
	struct { struct store_txn *t; const struct kind *k; } *w = arg;
	ProtobufCMessage *m;

	(void)id;
	if ((m = protobuf_c_message_unpack(w->k->d, NULL, v->mv_size,
	    v->mv_data)) == NULL)
		return true;	/* verify reports it; it counts as nothing */
	tally_move(w->t, w->k, NULL, m);
	protobuf_c_message_free_unpacked(m, NULL);
	return true;
}

void
kind_tally_rebuild(struct apply_ctx *ctx, const struct kind *k)
{
	struct { struct store_txn *t; const struct kind *k; } w = {
		ctx->txn, k };

	if (k->tally == NULL ||
	    tally_version(ctx->txn, k->rec) == k->tally_version)
		return;
	tally_clear(ctx->txn, k->rec);
	store_scan_ids(ctx->txn, k->db, k->prefix, 0, 0, tally_one, &w);
	tally_set_version(ctx->txn, k->rec, k->tally_version);
	log_info("%s: counted the %ss again", __func__, k->name);
}

int
kind_page(struct store_txn *t, const struct kind *k, bool open_only,
    uint64_t after_id, size_t limit, void ***out, size_t *n, bool *more)
{
	return store_page(t, k->db, k->is_open != NULL ? k->open : k->db,
	    open_only && k->is_open != NULL, after_id, limit, k->d, out, n,
	    more);
}

Deskd__Status
kind_shown(struct apply_ctx *ctx, const struct kind *k, ProtobufCMessage **m)
{
	return k->shown != NULL ? k->shown(ctx, k, m, false) :
	    DESKD__STATUS__OK;
}

/* The request's own message: the member of its body oneof. */
static const ProtobufCMessage *
request_body(const Deskd__Request *req)
{
	const ProtobufCFieldDescriptor *f =
	    protobuf_c_message_descriptor_get_field(&deskd__request__descriptor,
	    (unsigned)req->body_case);

	return f == NULL ? NULL :
	    *(const ProtobufCMessage *const *)((const char *)req + f->offset);
}

/* A number field of the request's message by name; 0 when it has none. */
static uint64_t
request_number(const Deskd__Request *req, const char *name)
{
	const ProtobufCMessage *m = request_body(req);
	const ProtobufCFieldDescriptor *f = m == NULL ? NULL :
	    protobuf_c_message_descriptor_get_field_by_name(m->descriptor,
	    name);

	if (f == NULL)
		return 0;
	if (f->type == PROTOBUF_C_TYPE_UINT64)
		return *(const uint64_t *)((const char *)m + f->offset);
	if (f->type == PROTOBUF_C_TYPE_UINT32)
		return *(const uint32_t *)((const char *)m + f->offset);
	return 0;
}

Deskd__Status
kind_get_apply(struct apply_ctx *ctx, const Deskd__Request *req)
{
	const struct kind *k = ctx->row->kind;
	ProtobufCMessage *m;
	Deskd__Status st;

	if ((st = kind_load(ctx, k, request_number(req, "id"), &m)) !=
	    DESKD__STATUS__OK ||
	    (st = kind_shown(ctx, k, &m)) != DESKD__STATUS__OK)
		return st;
	return reply_with(ctx, k->one, m);
}

/* Whether the request's message asks for open records only. */
static bool
request_open_only(const Deskd__Request *req)
{
	const ProtobufCMessage *m = request_body(req);
	const ProtobufCFieldDescriptor *f = m == NULL ? NULL :
	    protobuf_c_message_descriptor_get_field_by_name(m->descriptor,
	    "open_only");

	return f != NULL && f->type == PROTOBUF_C_TYPE_BOOL &&
	    *(const protobuf_c_boolean *)((const char *)m + f->offset);
}

Deskd__Status
kind_list_kept(struct apply_ctx *ctx, const struct kind *k, bool open_only,
    uint64_t after, uint32_t asked,
    bool (*keep)(struct apply_ctx *, const ProtobufCMessage *, const void *),
    const void *arg)
{
	const ProtobufCFieldDescriptor *id =
	    protobuf_c_message_descriptor_get_field_by_name(k->d, "id");
	size_t limit = reply_limit(asked, LIST_DEFAULT, LIST_MAX), n = 0, got;
	ProtobufCMessage **list = ctx_calloc(ctx, limit, sizeof(*list)), **page;
	bool page_more = true, more = false;
	Deskd__Status st = DESKD__STATUS__OK;

	/*
	 * Store pages are read until the page is full or none are left, so
	 * one a filter or the visible rule thins out is still full and
	 * `more` true while there may be more: a reader paging by the last
	 * id it was given never stops short.  What is left out is freed at
	 * once (a filter may read every record).
	 */
	while (n < limit && page_more && st == DESKD__STATUS__OK) {
		if (kind_page(ctx->txn, k, open_only, after, limit,
		    (void ***)&page, &got, &page_more) != STORE_OK)
			return ctx_fail(ctx, DESKD__STATUS__INTERNAL,
			    "cannot list the %s records", k->name);
		/* Owned at once: out of memory anywhere below, the
		 * context frees the page, none of it leaks. */
		size_t slot = ctx_own_page(ctx, (void **)page, got);

		for (size_t i = 0; i < got; i++) {
			ProtobufCMessage *m = page[i];

			if (n == limit || st != DESKD__STATUS__OK) {
				more = true;
				ctx_free_owned(ctx, slot + i);
				continue;
			}
			after = *(const uint64_t *)((const char *)m +
			    id->offset);
			if (!kind_visible(ctx, k, m) || (keep != NULL &&
			    !keep(ctx, m, arg))) {
				ctx_free_owned(ctx, slot + i);
				continue;
			}
			if ((st = kind_shown(ctx, k, &m)) ==
			    DESKD__STATUS__NOT_FOUND)
				st = DESKD__STATUS__OK;
			else if (st == DESKD__STATUS__OK)
				list[n++] = m;
		}
	}
	if (st != DESKD__STATUS__OK)
		return st;
	return reply_page(ctx, k->page, list, n, more || (n == limit &&
	    page_more));
}

Deskd__Status
kind_list_apply(struct apply_ctx *ctx, const Deskd__Request *req)
{
	return kind_list_kept(ctx, ctx->row->kind, request_open_only(req),
	    request_number(req, "after_id"), (uint32_t)request_number(req,
	    "limit"), NULL, NULL);
}

Deskd__Status
kind_history_apply(struct apply_ctx *ctx, const Deskd__Request *req)
{
	const struct kind *k = ctx->row->kind;
	uint64_t id = request_number(req, "id");
	ProtobufCMessage *m;
	Deskd__Status st;

	if ((st = kind_load(ctx, k, id, &m)) != DESKD__STATUS__OK)
		return st;
	return reply_history(ctx, k->rec, id, request_number(req,
	    "after_seq"), (uint32_t)request_number(req, "limit"));
}

/* ---------- what several kinds share ---------- */

Deskd__Status
kind_contacts_shown(struct apply_ctx *ctx, const struct kind *k,
    ProtobufCMessage **m, bool unmasked)
{
	(void)ctx;
	(void)k;
	if (!unmasked)
		contacts_mask(*m);
	return DESKD__STATUS__OK;
}

bool
kind_contacts_shown_packed(const struct kind *k, uint8_t *b, size_t len)
{
	return contacts_mask_packed(k->d, b, len);
}

void
kind_exported_unmasked(struct apply_ctx *ctx, const char *kind, uint64_t after_id,
    uint64_t last_id, uint32_t count)
{
	Deskd__ArchiveExported *ev = ctx_new(ctx,
	    &deskd__archive_exported__descriptor);
	char line[160];

	ev->unmasked = true;
	ev->after_id = after_id;
	ev->last_id = last_id;
	ev->count = count;
	ev->kind = (char *)kind;
	ctx_summary(ctx, line, sizeof(line), "%s exported %u %-s records "
	    "unmasked (ids %" PRIu64 "-%" PRIu64 ")", ctx->actor, count, kind,
	    after_id + 1, last_id);
	ctx_event_msg(ctx, "archive.exported", 0, 0, "archive", line, NULL,
	    &ev->base);
}
