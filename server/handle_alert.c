/* handle_alert.c - the alert stream's requests: list and acknowledge (H2). */
#include <inttypes.h>
#include <stdlib.h>

#include "clock.h"
#include "dispatch.h"

#define LIST_DEFAULT	100
#define LIST_MAX	500

Deskd__Status
alert_list_apply(struct apply_ctx *ctx, const Deskd__Request *req)
{
	const Deskd__AlertList *l = req->alert_list;
	Deskd__AlertListReply *r;
	Deskd__Alert **list;
	size_t n, limit = l->limit ? l->limit : LIST_DEFAULT;
	bool more;

	if (limit > LIST_MAX)
		limit = LIST_MAX;
	if (alert_list(ctx->txn, l->open_only, l->after_id, limit, &list, &n,
	    &more) != STORE_OK)
		return ctx_fail(ctx, DESKD__STATUS__INTERNAL,
		    "cannot list alerts");
	ctx_own_mem(ctx, list);
	for (size_t i = 0; i < n; i++)
		ctx_own_msg(ctx, list[i]);
	r = ctx_new(ctx, &deskd__alert_list_reply__descriptor);
	r->alerts = list;
	r->n_alerts = n;
	r->more = more;
	ctx->resp->body_case = DESKD__RESPONSE__BODY_ALERT_LIST;
	ctx->resp->alert_list = r;
	return DESKD__STATUS__OK;
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
