/* reply.c - summaries, frame-sized pages and history for record handlers. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "reply.h"

size_t
reply_limit(uint32_t asked, size_t def, size_t max)
{
	if (asked == 0)
		return def;
	return asked > max ? max : asked;
}

/* Room for the Response envelope around a page (status, message, more). */
#define REPLY_SLACK	512

bool
reply_room(struct apply_ctx *ctx, size_t *used, size_t count, size_t len)
{
	size_t max = ctx->cfg->max_payload;
	size_t need = len + 6;		/* field tag and length prefix */

	/* A reply over max_payload cannot be sent at all (the desk would
	 * wait for it in vain), so a page stops early and says there is
	 * more. */
	max = max > REPLY_SLACK ? max - REPLY_SLACK : 0;
	if (count > 0 && *used + need > max)
		return false;
	*used += need;
	return true;
}

Deskd__Status
reply_with(struct apply_ctx *ctx, Deskd__Response__BodyCase body, void *msg)
{
	const ProtobufCFieldDescriptor *f =
	    protobuf_c_message_descriptor_get_field(&deskd__response__descriptor,
	    (unsigned)body);

	ctx->resp->body_case = body;
	*(void **)((char *)ctx->resp + f->offset) = msg;
	return DESKD__STATUS__OK;
}

Deskd__Status
reply_record(struct apply_ctx *ctx, Deskd__Response__BodyCase body,
    enum record_kind kind, uint64_t id, void *rec)
{
	if (rec == NULL)
		return ctx_fail(ctx, DESKD__STATUS__NOT_FOUND, "no %s %" PRIu64,
		    record_kind_name(kind), id);
	ctx_own_msg(ctx, rec);
	return reply_with(ctx, body, rec);
}

Deskd__Status
reply_list(struct apply_ctx *ctx, Deskd__Response__BodyCase body, void *msgs,
    size_t n, bool more)
{
	ProtobufCMessage **list = msgs;

	ctx_own_page(ctx, (void **)list, n);
	return reply_page(ctx, body, list, n, more);
}

Deskd__Status
reply_page(struct apply_ctx *ctx, Deskd__Response__BodyCase body,
    ProtobufCMessage **list, size_t n, bool more)
{
	const ProtobufCMessageDescriptor *d =
	    protobuf_c_message_descriptor_get_field(&deskd__response__descriptor,
	    (unsigned)body)->descriptor;
	const ProtobufCFieldDescriptor *f;
	size_t used = 0, keep = n;
	char *r;

	for (size_t i = 0; i < n; i++)
		if (!reply_room(ctx, &used, i,
		    protobuf_c_message_get_packed_size(list[i]))) {
			keep = i;
			more = true;
			break;
		}
	r = ctx_new(ctx, d);
	for (unsigned i = 0; i < d->n_fields; i++) {
		f = &d->fields[i];
		if (f->label == PROTOBUF_C_LABEL_REPEATED) {
			*(size_t *)(r + f->quantifier_offset) = keep;
			*(void **)(r + f->offset) = list;
		} else if (f->type == PROTOBUF_C_TYPE_BOOL &&
		    strcmp(f->name, "more") == 0)
			*(protobuf_c_boolean *)(r + f->offset) = more;
	}
	return reply_with(ctx, body, r);
}

Deskd__Status
reply_history(struct apply_ctx *ctx, enum record_kind kind, uint64_t id,
    uint64_t after_seq, uint32_t asked)
{
	Deskd__HistoryReply *r;
	Deskd__Event **events;
	uint64_t *seqs;
	size_t n, first = 0, count = 0, used = 0,
	    limit = reply_limit(asked, HISTORY_DEFAULT, HISTORY_MAX);

	if (event_history(ctx->txn, kind, id, &seqs, &n) != STORE_OK)
		return ctx_fail(ctx, DESKD__STATUS__INTERNAL,
		    "cannot read history");
	ctx_own_mem(ctx, seqs);
	if (n == 0)
		return ctx_fail(ctx, DESKD__STATUS__NOT_FOUND,
		    "no %s %" PRIu64, record_kind_name(kind), id);
	while (first < n && seqs[first] <= after_seq)
		first++;
	if ((events = calloc(limit, sizeof(*events))) == NULL)
		return ctx_fail(ctx, DESKD__STATUS__INTERNAL, "out of memory");
	ctx_own_mem(ctx, events);
	r = ctx_new(ctx, &deskd__history_reply__descriptor);
	for (size_t i = first; i < n && count < limit; i++) {
		if ((events[count] = event_get(ctx->txn, seqs[i])) == NULL)
			return ctx_fail(ctx, DESKD__STATUS__INTERNAL,
			    "event %" PRIu64 " unreadable", seqs[i]);
		ctx_own_msg(ctx, events[count]);
		if (!reply_room(ctx, &used, count,
		    deskd__event__get_packed_size(events[count])))
			break;
		count++;
	}
	r->events = events;
	r->n_events = count;
	r->more = first + count < n;
	return reply_with(ctx, DESKD__RESPONSE__BODY_HISTORY, r);
}
