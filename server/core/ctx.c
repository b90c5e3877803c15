/*
 * ctx.c - the apply context: what a handler allocates lives until its
 * reply is packed; a refusal's status and message; the events a change
 * appends in the handler's transaction; and the permission check an
 * import's replayed steps ask again.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "area.h"
#include "ctx.h"
#include "log.h"
#include "reply.h"
#include "vault.h"

static void
grow_push(void ***arr, size_t *n, size_t *cap, void *item)
{
	if (*n == *cap) {
		size_t ncap = *cap ? *cap * 2 : 8;
		void **grown = realloc(*arr, ncap * sizeof(void *));

		if (grown == NULL)
			fatalx("%s: out of memory", __func__);
		*arr = grown;
		*cap = ncap;
	}
	(*arr)[(*n)++] = item;
}

void
ctx_own_msg(struct apply_ctx *ctx, void *m)
{
	if (m != NULL)
		grow_push((void ***)&ctx->owned, &ctx->nowned, &ctx->capowned, m);
}

void
ctx_own_mem(struct apply_ctx *ctx, void *m)
{
	if (m != NULL)
		grow_push(&ctx->mem, &ctx->nmem, &ctx->capmem, m);
}

static void
ctx_release(struct apply_ctx *ctx)
{
	for (size_t i = 0; i < ctx->nowned; i++)
		protobuf_c_message_free_unpacked(ctx->owned[i], NULL);
	for (size_t i = 0; i < ctx->nmem; i++)
		free(ctx->mem[i]);
	free(ctx->owned);
	free(ctx->mem);
	ctx->owned = NULL;
	ctx->mem = NULL;
	ctx->nowned = ctx->capowned = ctx->nmem = ctx->capmem = 0;
}

void *
ctx_new(struct apply_ctx *ctx, const ProtobufCMessageDescriptor *d)
{
	void *m = malloc(d->sizeof_message);

	if (m == NULL)
		fatalx("%s: out of memory", __func__);
	protobuf_c_message_init(d, m);
	ctx_own_mem(ctx, m);
	return m;
}

char *
ctx_strdup(struct apply_ctx *ctx, const char *s)
{
	size_t n = strlen(s) + 1;
	char *p = ctx_calloc(ctx, n, 1);

	memcpy(p, s, n);
	return p;
}

void **
ctx_records(struct apply_ctx *ctx, enum store_db db,
    const ProtobufCMessageDescriptor *d, size_t *n)
{
	const ProtobufCFieldDescriptor *id =
	    protobuf_c_message_descriptor_get_field_by_name(d, "id");
	void **all = NULL, **page, **grown;
	uint64_t after = 0;
	size_t np;
	bool more = true;

	*n = 0;
	if (id == NULL || id->type != PROTOBUF_C_TYPE_UINT64)
		fatalx("%s: %s has no id", __func__, d->name);
	while (more && store_page(ctx->txn, db, db, false, after, 500, d,
	    &page, &np, &more) == STORE_OK) {
		for (size_t i = 0; i < np; i++)
			ctx_own_msg(ctx, page[i]);
		if (np == 0 ||
		    (grown = realloc(all, (*n + np) * sizeof(*all))) == NULL) {
			free(page);
			break;
		}
		all = grown;
		memcpy(all + *n, page, np * sizeof(*all));
		*n += np;
		after = *(const uint64_t *)((const char *)page[np - 1] +
		    id->offset);
		free(page);
	}
	ctx_own_mem(ctx, all);
	return all;
}

void *
ctx_calloc(struct apply_ctx *ctx, size_t n, size_t size)
{
	/* One element at least: calloc(0) may return NULL. */
	void *m = calloc(n ? n : 1, size);

	if (m == NULL)
		fatalx("%s: out of memory", __func__);
	ctx_own_mem(ctx, m);
	return m;
}

Deskd__Status
ctx_fail(struct apply_ctx *ctx, Deskd__Status st, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(ctx->msg, sizeof(ctx->msg), fmt, ap);
	va_end(ap);
	return st;
}

/*
 * E6: the event log is replayed, pushed to every watching desk (engineers
 * too) and kept for good, so a record's contact phones go into it masked;
 * the record itself keeps the number the desk calls back on.
 */
static uint64_t
event_append_masked(struct apply_ctx *ctx, Deskd__Event *ev,
    enum record_kind kind, uint64_t id, const ProtobufCMessage *body)
{
	struct masked_phones mp;
	uint64_t seq;

	phones_mask((ProtobufCMessage *)body, &mp);
	seq = event_append(ctx->txn, ev, kind, id);
	phones_restore(&mp);
	return seq;
}

/* "complaint:42", without printf: every stored record's event has one. */
static const char *
record_label(char *out, size_t len, enum record_kind kind, uint64_t id)
{
	char digits[20];
	size_t nd = 0, at;

	do
		digits[nd++] = (char)('0' + id % 10);
	while ((id /= 10) != 0);
	text_join(out, len, (const char *const[]){ record_kind_name(kind),
	    ":" }, 2);
	for (at = strlen(out); nd > 0 && at + 1 < len; at++)
		out[at] = digits[--nd];
	out[at] = '\0';
	return out;
}

uint64_t
ctx_event_msg(struct apply_ctx *ctx, const char *type, enum record_kind kind,
    uint64_t id, const char *record, const char *summary, const char *text,
    const ProtobufCMessage *body)
{
	const ProtobufCMessageDescriptor *d = &deskd__event__descriptor;
	Deskd__Event ev = DESKD__EVENT__INIT;
	char label[96];

	if (record == NULL)
		record = record_label(label, sizeof(label), kind, id);
	ev.time_ms = ctx->now_ms;
	ev.actor = (char *)ctx->actor;
	ev.type = (char *)type;
	ev.record = (char *)record;
	ev.summary = (char *)(summary ? summary : "");
	ev.text = (char *)(text ? text : "");
	for (unsigned i = 0; body != NULL && i < d->n_fields; i++)
		if (d->fields[i].type == PROTOBUF_C_TYPE_MESSAGE &&
		    d->fields[i].descriptor == body->descriptor) {
			*(const ProtobufCMessage **)((char *)&ev +
			    d->fields[i].offset) = body;
			break;
		}
	return body != NULL ? event_append_masked(ctx, &ev, kind, id, body) :
	    event_append(ctx->txn, &ev, kind, id);
}

uint64_t
ctx_event(struct apply_ctx *ctx, const char *type, enum record_kind kind,
    uint64_t id, const char *summary, const char *text, Deskd__Complaint *cp,
    Deskd__User *user)
{
	char record[64];

	/* Users are named, not numbered, and need no history index. */
	if (kind == RECORD_USER && user != NULL) {
		snprintf(record, sizeof(record), "user:%s", user->name);
		return ctx_event_msg(ctx, type, 0, 0, record, summary, text,
		    &user->base);
	}
	return ctx_event_msg(ctx, type, kind, id, NULL, summary, text,
	    cp ? &cp->base : NULL);
}

void
ctx_init(struct apply_ctx *ctx, const struct config *cfg,
    struct store_txn *txn, int64_t now_ms, const char *actor)
{
	memset(ctx, 0, sizeof(*ctx));
	ctx->cfg = cfg;
	ctx->txn = txn;
	ctx->now_ms = now_ms;
	ctx->actor = actor;
}

void
ctx_done(struct apply_ctx *ctx)
{
	ctx_release(ctx);
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
