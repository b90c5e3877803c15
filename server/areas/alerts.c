/* alerts.c - the alert stream's requests: list and acknowledge (H2). */
#include <inttypes.h>
#include <stdlib.h>

#include "area.h"
#include "deadline.h"
#include "dispatch.h"
#include "reply.h"
#include "visible.h"

Deskd__Status
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

Deskd__Status
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

/* An engineer gets the alerts on records they may read. */
static const struct event_rule alerts_events[] = {
	{ .prefix = "alert.", .op = OP_WATCH, .narrowed = visible_narrowed,
	    .check = visible_event },
};

const struct area alerts_area = {
	.name = "alerts",
	.requests = alerts_requests,
	.nrequests = nitems(alerts_requests),
	.events = alerts_events,
	.nevents = nitems(alerts_events),
};
