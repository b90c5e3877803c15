/* alerts.c - the alert stream's requests: list and acknowledge (H2). */
#include <inttypes.h>
#include <stdlib.h>

#include "area.h"
#include "deadline.h"
#include "dispatch.h"
#include "reply.h"
#include "visible.h"

static Deskd__Status
alert_list_apply(struct apply_ctx *ctx, const Deskd__Request *req)
{
	const Deskd__AlertList *l = req->alert_list;
	Deskd__Alert **list;
	size_t n, kept = 0;
	bool more;

	if (alert_list(ctx->txn, l->open_only, l->after_id,
	    reply_limit(l->limit, LIST_DEFAULT, LIST_MAX), &list, &n, &more) !=
	    STORE_OK)
		return ctx_fail(ctx, DESKD__STATUS__INTERNAL,
		    "cannot list alerts");
	/* E6: alerts on records the desk may not see are not theirs. */
	for (size_t i = 0; i < n; i++) {
		if (alert_visible(ctx->txn, ctx->role, ctx->actor, list[i]))
			list[kept++] = list[i];
		else
			deskd__alert__free_unpacked(list[i], NULL);
	}
	n = kept;
	return reply_list(ctx, DESKD__RESPONSE__BODY_ALERT_LIST, list, n, more);
}

static Deskd__Status
alert_ack_apply(struct apply_ctx *ctx, const Deskd__Request *req)
{
	const Deskd__AlertAck *ack = req->alert_ack;
	Deskd__Alert *a;

	if ((a = alert_get(ctx->txn, ack->id)) == NULL)
		return ctx_fail(ctx, DESKD__STATUS__NOT_FOUND,
		    "no alert %" PRIu64, ack->id);
	ctx_own_msg(ctx, a);
	if (a->state == DESKD__ALERT_STATE__ALERT_ACKED)
		return ctx_fail(ctx, DESKD__STATUS__CONFLICT,
		    "alert %" PRIu64 " was already acknowledged by %s",
		    ack->id, a->acked_by);
	if (a->state == DESKD__ALERT_STATE__ALERT_CLEARED)
		return ctx_fail(ctx, DESKD__STATUS__CONFLICT,
		    "alert %" PRIu64 " is cleared: the work was done", ack->id);
	ctx->resp->body_case = DESKD__RESPONSE__BODY_ALERT;
	ctx->resp->alert = clock_alert_ack(ctx, a, ack->note);
	return DESKD__STATUS__OK;
}

static const struct request_row alerts_requests[] = {
	{ REQUEST(ALERT_LIST, "alert list"), .op = OP_WATCH,
	    .apply = alert_list_apply },
	{ REQUEST(ALERT_ACK, "alert ack"), .op = OP_ALERT_ACK,
	    .apply = alert_ack_apply },
};

/* E6: an alert about another desk's work is not shown to a role that
 * sees only its own (visible.c). */
static Deskd__Status
alert_shown(struct apply_ctx *ctx, const struct kind *k,
    ProtobufCMessage **m, bool unmasked)
{
	(void)k;
	(void)unmasked;
	if (visible_narrowed(ctx->role) && !alert_visible(ctx->txn,
	    ctx->role, ctx->actor, (Deskd__Alert *)*m))
		return DESKD__STATUS__NOT_FOUND;
	return DESKD__STATUS__OK;
}

/* Made here, from the clocks and the desks' steps: read out for
 * reports, never imported (their history is the log's). */
static const struct kind alert_kind = {
	.name = "alert", .rec = RECORD_ALERT, .d = &deskd__alert__descriptor,
	.db = DB_ALERTS, .prefix = -1, .write = OP_WATCH, .read = OP_WATCH,
	.export = OP_WATCH,
	.changed = "raised_ms acked_ms cleared_ms", .shown = alert_shown
};

static const struct kind *const alerts_kinds[] = {
	&alert_kind, NULL
};

const struct area alerts_area = {
	.name = "alerts",
	.requests = alerts_requests,
	.nrequests = nitems(alerts_requests),
	.kinds = alerts_kinds,
};
