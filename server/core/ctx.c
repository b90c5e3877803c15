/*
 * ctx.c - the apply context: what a handler allocates lives until its
 * reply is packed; a refusal's status and message; the events a change
 * appends in the handler's transaction; and the one out-of-memory
 * policy.
 */
#include <assert.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctx.h"
#include "fault.h"
#include "log.h"
#include "refuse.h"
#include "text.h"
#include "vault.h"

/*
 * The one out-of-memory policy: while a request is applied, the request is
 * refused and deskd serves on (the dispatcher's setjmp in apply_one);
 * everything the context owns is freed with it.  Outside a request (the
 * clock engine's context) it is fatal.
 */
void
ctx_out_of_memory(const struct apply_ctx *ctx, const char *where)
{
	if (ctx->oom != NULL) {
		log_warnx("%s: out of memory: the request is refused", where);
		longjmp(*ctx->oom, 1);
	}
	fatalx("%s: out of memory", where);
}

/* A request's allocation failed on purpose (fault.h); the clock engine's
 * context, where out of memory stays fatal, is never failed. */
static bool
injected(const struct apply_ctx *ctx)
{
	return ctx->oom != NULL && fault_ctx_alloc_fails();
}

/* Own item (a message, or plain memory); out of memory, it is freed
 * first, since nothing else will. */
static void
grow_push(struct apply_ctx *ctx, void ***arr, size_t *n, size_t *cap,
    void *item, bool message)
{
	if (*n == *cap) {
		size_t ncap = *cap ? *cap * 2 : 8;
		void **grown = injected(ctx) ? NULL :
		    realloc(*arr, ncap * sizeof(void *));

		if (grown == NULL) {
			if (message)
				protobuf_c_message_free_unpacked(item, NULL);
			else
				free(item);
			ctx_out_of_memory(ctx, __func__);
		}
		*arr = grown;
		*cap = ncap;
	}
	(*arr)[(*n)++] = item;
}

/* Room for `more` entries of arr, or false. */
static bool
reserve(const struct apply_ctx *ctx, void ***arr, size_t n, size_t *cap,
    size_t more)
{
	size_t ncap = *cap ? *cap : 8;
	void **grown;

	while (ncap < n + more)
		ncap *= 2;
	if (ncap == *cap)
		return true;
	if (injected(ctx) || (grown = realloc(*arr, ncap *
	    sizeof(void *))) == NULL)
		return false;
	*arr = grown;
	*cap = ncap;
	return true;
}

size_t
ctx_own_page(struct apply_ctx *ctx, void **msgs, size_t n)
{
	size_t first = ctx->nowned;

	if (msgs == NULL)
		return first;
	if (!reserve(ctx, (void ***)&ctx->owned, ctx->nowned, &ctx->capowned,
	    n) || !reserve(ctx, &ctx->mem, ctx->nmem, &ctx->capmem, 1)) {
		for (size_t i = 0; i < n; i++)
			protobuf_c_message_free_unpacked(msgs[i], NULL);
		free(msgs);
		ctx_out_of_memory(ctx, __func__);
	}
	for (size_t i = 0; i < n; i++)
		ctx->owned[ctx->nowned++] = msgs[i];
	ctx->mem[ctx->nmem++] = msgs;
	return first;
}

void
ctx_free_owned(struct apply_ctx *ctx, size_t slot)
{
	if (slot < ctx->nowned && ctx->owned[slot] != NULL) {
		protobuf_c_message_free_unpacked(ctx->owned[slot], NULL);
		ctx->owned[slot] = NULL;
	}
}

void
ctx_own_msg(struct apply_ctx *ctx, void *m)
{
	if (m != NULL)
		grow_push(ctx, (void ***)&ctx->owned, &ctx->nowned,
		    &ctx->capowned, m, true);
}

void
ctx_own_mem(struct apply_ctx *ctx, void *m)
{
	if (m != NULL)
		grow_push(ctx, &ctx->mem, &ctx->nmem, &ctx->capmem, m, false);
}

static void
ctx_release(struct apply_ctx *ctx)
{
	for (size_t i = 0; i < ctx->nowned; i++)
		if (ctx->owned[i] != NULL)	/* ctx_free_owned's */
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
	void *m = injected(ctx) ? NULL : malloc(d->sizeof_message);

	if (m == NULL)
		ctx_out_of_memory(ctx, __func__);
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
		ctx_own_page(ctx, page, np);
		if (np == 0)
			break;
		/* Owned as it grows, so an allocation that fails leaves
		 * nothing behind (the pages are few: 500 records each). */
		grown = ctx_calloc(ctx, *n + np, sizeof(*all));
		if (*n > 0)
			memcpy(grown, all, *n * sizeof(*all));
		memcpy(grown + *n, page, np * sizeof(*all));
		all = grown;
		*n += np;
		after = *(const uint64_t *)((const char *)page[np - 1] +
		    id->offset);
	}
	return all;
}

void *
ctx_calloc(struct apply_ctx *ctx, size_t n, size_t size)
{
	/* One element at least: calloc(0) may return NULL. */
	void *m = injected(ctx) ? NULL : calloc(n ? n : 1, size);

	if (m == NULL)
		ctx_out_of_memory(ctx, __func__);
	ctx_own_mem(ctx, m);
	return m;
}

Deskd__Status
ctx_fail(struct apply_ctx *ctx, Deskd__Status st, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	refuse_vfmt(ctx->msg, sizeof(ctx->msg), fmt, ap);
	va_end(ap);
	return st;
}

#ifndef NDEBUG
/* Are the bytes a stored record's event copies, masked, what packing the
 * masked message gives?  Checked in debug builds (the sanitizer run). */
static bool
packed_as_masked(const ProtobufCMessage *body, const uint8_t *packed,
    size_t len)
{
	struct masked_phones mp;
	uint8_t *want;
	size_t wlen;
	bool same;

	phones_mask((ProtobufCMessage *)body, &mp);
	want = store_packed(body, &wlen);
	phones_restore(&mp);
	same = want == NULL || (wlen == len && memcmp(want, packed, len) == 0);
	free(want);
	return same;
}
#endif

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
	uint8_t *packed;
	size_t len;
	uint64_t seq;

	/* The record just stored: its bytes, masked where they lie (a mask
	 * is as long as its number), are the event's.  event_append_packed
	 * fails rather than pack the message itself, which is not masked. */
	if ((packed = store_record_packed(ctx->txn, body, &len)) != NULL &&
	    contacts_mask_packed(body->descriptor, packed, len)) {
		assert(packed_as_masked(body, packed, len));
		return event_append_packed(ctx->txn, ev, kind, id, packed, len);
	}
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

void
ctx_summary(struct apply_ctx *ctx, char *out, size_t len, const char *fmt,
    ...)
{
	va_list ap, aq;

	va_start(ap, fmt);
	va_copy(aq, ap);
	vsnprintf(out, len, fmt, aq);
	va_end(aq);
	if (refusal_capture(&ctx->said, fmt, ap))
		snprintf(ctx->said_text, sizeof(ctx->said_text), "%s", out);
	else
		ctx->said.code = NULL;
	va_end(ap);
}

void
ctx_summary_texts(struct apply_ctx *ctx, char *out, size_t len,
    const char *tmpl, const char *const *args, int nargs)
{
	struct refusal made = { .code = tmpl, .nargs = nargs };
	char whole[2048];
	size_t cut;

	ctx->said.code = NULL;
	*out = '\0';
	if (nargs > REFUSAL_MAX_ARGS || refusal_render(tmpl, args, nargs,
	    whole, sizeof(whole)) < 0)
		return;
	/* Too long for out: cut at a character, and no code (the text is
	 * no longer the template's). */
	if ((cut = strlen(whole)) >= len) {
		for (cut = len - 1; cut > 0 && (whole[cut] & 0xc0) == 0x80;
		    cut--)
			;
		memcpy(out, whole, cut);
		out[cut] = '\0';
		return;
	}
	memcpy(out, whole, cut + 1);
	for (int i = 0; i < nargs; i++)
		made.args[i] = args[i];
	/* The template is the caller's buffer: the copy keeps it. */
	refusal_copy(&ctx->said, &made);
	snprintf(ctx->said_text, sizeof(ctx->said_text), "%s", out);
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
	/* A summary put together otherwise has no code: a desk shows it as
	 * it is. */
	if (ctx->said.code != NULL && strcmp(ctx->said_text, ev.summary) == 0) {
		ev.summary_code = (char *)ctx->said.code;
		ev.n_summary_args = (size_t)ctx->said.nargs;
		ev.summary_args = (char **)ctx->said.args;
	}
	ctx->said.code = NULL;
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
	/* A record the request before put may have been freed, and this
	 * one's event body be another at its address. */
	if (txn != NULL)
		store_record_packed_forget(txn);
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
