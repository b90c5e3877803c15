/* alerts.c - the alert stream's requests: list and acknowledge (H2). */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "area.h"
#include "deadline.h"
#include "ctx.h"
#include "now.h"
#include "shift_rules.h"
#include "vault.h"
#include "refuse.h"
#include "reply.h"
#include "visible.h"

static const struct kind alert_kind;

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

/* E6: an alert about another desk's work is not for a role that sees
 * only its own (visible.c). */
static bool
alert_visible_to(const struct apply_ctx *ctx, const ProtobufCMessage *m)
{
	return alert_visible(ctx->txn, ctx->role, ctx->actor,
	    (const Deskd__Alert *)m);
}

static bool
alert_open(const ProtobufCMessage *m)
{
	return ((const Deskd__Alert *)m)->state ==
	    DESKD__ALERT_STATE__ALERT_OPEN;
}

/* An alert as listed (issue 16): a copy with its record's unit and
 * phone, masked (E6); NULL when a filter of the list leaves it out. */
static Deskd__Alert *
alert_listed(struct apply_ctx *ctx, const Deskd__AlertList *l,
    const Deskd__Alert *a)
{
	Deskd__Alert *shown;
	struct now_record r;

	if ((l->mine && strcmp(a->owner, ctx->actor) != 0) ||
	    (*l->role && strcmp(a->role, l->role) != 0))
		return NULL;
	now_describe(ctx, (enum record_kind)a->record_kind, a->record_id, &r);
	if (*l->post && r.post != NULL && *r.post &&
	    strcmp(r.post, l->post) != 0)
		return NULL;
	shown = ctx_new(ctx, &deskd__alert__descriptor);
	*shown = *a;
	shown->unit = ctx_strdup(ctx, r.unit ? r.unit : "");
	shown->phone = ctx_strdup(ctx, r.phone ? r.phone : "");
	contacts_mask(&shown->base);
	return shown;
}

static Deskd__Status
alert_list_apply(struct apply_ctx *ctx, const Deskd__Request *req)
{
	const Deskd__AlertList *l = req->alert_list;
	size_t limit = reply_limit(l->limit, LIST_DEFAULT, LIST_MAX), n = 0;
	ProtobufCMessage **list = ctx_calloc(ctx, limit, sizeof(*list));
	uint64_t after = l->after_id;
	bool more = false, page_more = true;

	if (*l->role && strcmp(l->role, "clerk") != 0 &&
	    strcmp(l->role, "supervisor") != 0 &&
	    strcmp(l->role, "director") != 0)
		return ctx_fail(ctx, DESKD__STATUS__INVALID_ARGUMENT, "role: "
		    "'%s' is not one alerts are addressed to (clerk, "
		    "supervisor, director)", l->role);
	if (*l->post && post_index(shift_conf_of(ctx->cfg), l->post) < 0)
		return ctx_fail(ctx, DESKD__STATUS__INVALID_ARGUMENT, "post: "
		    "'%s' is not a post (see [shifts] posts)", l->post);
	while (page_more && !more) {
		Deskd__Alert **page = NULL;
		size_t got = 0;

		if (kind_page(ctx->txn, &alert_kind, l->open_only, after,
		    limit, (void ***)&page, &got, &page_more) != STORE_OK)
			return ctx_fail(ctx, DESKD__STATUS__INTERNAL, "cannot "
			    "list the alerts");
		ctx_own_page(ctx, (void **)page, got);
		for (size_t i = 0; i < got && !more; i++) {
			Deskd__Alert *shown;

			after = page[i]->id;
			if (!alert_visible(ctx->txn, ctx->role, ctx->actor,
			    page[i]) || (shown = alert_listed(ctx, l,
			    page[i])) == NULL)
				continue;
			if (n == limit)
				more = true;
			else
				list[n++] = &shown->base;
		}
		if (got == 0)
			break;
	}
	return reply_page(ctx, DESKD__RESPONSE__BODY_ALERT_LIST, list, n,
	    more || (n == limit && page_more));
}

/* Made here, from the clocks and the desks' steps: read out for
 * reports, never imported (their history is the log's). */
static const struct kind alert_kind = {
	.name = "alert", .rec = RECORD_ALERT, .d = &deskd__alert__descriptor,
	.db = DB_ALERTS, .prefix = -1, .write = OP_WATCH, .read = OP_WATCH,
	.export = OP_WATCH,
	.changed = "raised_ms acked_ms cleared_ms",
	.visible = alert_visible_to,
	.hidden_why = R_("is about work that is not yours"),
	.open = DB_ALERTS_OPEN, .page = DESKD__RESPONSE__BODY_ALERT_LIST,
	.is_open = alert_open, .history = HISTORY_SOME
};

/* Issue 16: the open alerts, each addressed by its role (the level) and
 * owner, at the post of the record it is about. */
static void
alerts_now(struct apply_ctx *ctx, struct now_list *l)
{
	Deskd__Alert **v = NULL;
	uint64_t after = 0;
	size_t n = 0;
	bool more = true;

	while (more && kind_page(ctx->txn, &alert_kind, true, after, LIST_MAX,
	    (void ***)&v, &n, &more) == STORE_OK && n > 0) {
		ctx_own_page(ctx, (void **)v, n);
		for (size_t i = 0; i < n; i++) {
			Deskd__NowItem it = DESKD__NOW_ITEM__INIT;
			const Deskd__Alert *a = v[i];
			struct now_record r;

			after = a->id;
			if (!alert_visible(ctx->txn, ctx->role, ctx->actor, a))
				continue;
			now_describe(ctx, (enum record_kind)a->record_kind,
			    a->record_id, &r);
			it.kind = "alert";
			it.record = a->record;
			it.due_ms = a->due_ms;
			it.title = a->message;
			it.unit = (char *)r.unit;
			it.phone = (char *)r.phone;
			it.post = (char *)r.post;
			it.owner = a->owner;
			it.rule = a->rule;
			it.level = now_level(a->role);
			it.state = "open";
			it.alert_id = a->id;
			now_offer(ctx, l, &it);
		}
	}
}

static const struct kind *const alerts_kinds[] = {
	&alert_kind, NULL
};

static const struct request_row alerts_requests[] = {
	{ REQUEST(ALERT_LIST, "alert list"), .op = OP_WATCH,
	    .apply = alert_list_apply, .kind = &alert_kind },
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
	.kinds = alerts_kinds,
	.events = alerts_events,
	.nevents = nitems(alerts_events),
	.now_more = alerts_now,
};
