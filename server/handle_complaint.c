/*
 * handle_complaint.c - complaints through storage: intake, every step, and
 * the reads (show, list, history).  Rules live in complaint.c.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "complaint.h"
#include "config.h"
#include "dispatch.h"

#define LIST_DEFAULT	100
#define LIST_MAX	500
#define HISTORY_DEFAULT	100
#define HISTORY_MAX	200

/* Copy at most `max` characters of UTF-8 text, never splitting one. */
static void
excerpt(char *out, size_t outlen, const char *s, size_t max)
{
	size_t i = 0, chars = 0;

	/* Keep room for the ellipsis (3 bytes) and the NUL: a cut character
	 * would make the event's text invalid UTF-8 for ever. */
	while (s[i] && chars < max) {
		size_t n = 1;

		while ((s[i + n] & 0xc0) == 0x80)
			n++;
		if (i + n + sizeof("…") > outlen)
			break;
		i += n;
		chars++;
	}
	memcpy(out, s, i);
	out[i] = '\0';
	if (s[i])
		memcpy(out + i, "…", sizeof("…"));
}

static Deskd__Status
reply_complaint(struct apply_ctx *ctx, Deskd__Complaint *c)
{
	ctx->resp->body_case = DESKD__RESPONSE__BODY_COMPLAINT;
	ctx->resp->complaint = c;
	return DESKD__STATUS__OK;
}

Deskd__Status
complaint_new_check(const Deskd__Request *req, char *msg, size_t len)
{
	return complaint_new_validate(req->complaint_new, msg, len);
}

Deskd__Status
complaint_new_apply(struct apply_ctx *ctx, const Deskd__Request *req)
{
	const Deskd__ComplaintNew *n = req->complaint_new;
	Deskd__Complaint *c;
	char summary[512], text[160];

	c = ctx_new(ctx, &deskd__complaint__descriptor);
	c->id = store_next_id(ctx->txn, RECORD_COMPLAINT);
	c->source = *n->source ? n->source : "customer";
	c->unit = n->unit;
	c->complainant = n->complainant;
	c->phone = n->phone;
	c->channel = *n->channel ? n->channel : "phone";
	c->category = n->category;
	c->event_time_ms = n->event_time_ms ? n->event_time_ms : ctx->now_ms;
	c->text = n->text;
	c->demand = n->demand;
	/* C2/C3: whatever it turns out to be, a reply is owed within 2 h. */
	c->reply_due_ms = complaint_reply_due(ctx->now_ms,
	    ctx->cfg->reply_window_ms);
	c->created_ms = c->updated_ms = ctx->now_ms;
	c->created_by = (char *)ctx->actor;
	c->revision = 1;
	complaint_put(ctx->txn, c);
	excerpt(text, sizeof(text), n->text, 40);
	snprintf(summary, sizeof(summary), "%s %s [%s] %s", c->unit,
	    c->complainant, c->category, text);
	ctx_event(ctx, "complaint.created", RECORD_COMPLAINT, c->id, summary,
	    NULL, c, NULL);
	return reply_complaint(ctx, c);
}

static void
step_summary(char *out, size_t len, const Deskd__Complaint *c,
    const Deskd__ComplaintStep *s)
{
	char text[160];

	excerpt(text, sizeof(text), s->text, 40);
	switch (s->action) {
	case DESKD__COMPLAINT_ACTION__ACTION_ASSIGN:
		snprintf(out, len, "assigned to %s%s%s", s->dept,
		    *s->dept && *s->person ? " / " : "", s->person);
		break;
	case DESKD__COMPLAINT_ACTION__ACTION_VALID:
		snprintf(out, len, "judged valid");
		break;
	case DESKD__COMPLAINT_ACTION__ACTION_REVISIT:
		snprintf(out, len, "revisited (%u/5): %s", s->satisfaction, text);
		break;
	default:
		snprintf(out, len, "%s: %s", complaint_event_type(s->action) +
		    strlen("complaint."), text);
		break;
	}
	(void)c;
}

Deskd__Status
complaint_step_apply(struct apply_ctx *ctx, const Deskd__Request *req)
{
	const Deskd__ComplaintStep *s = req->complaint_step;
	Deskd__Complaint *stored, *next;
	char summary[512];
	Deskd__Status st;

	if ((stored = complaint_get(ctx->txn, s->id)) == NULL)
		return ctx_fail(ctx, DESKD__STATUS__NOT_FOUND,
		    "no complaint %" PRIu64, s->id);
	ctx_own_msg(ctx, stored);
	if ((st = complaint_check_step(stored, s, ctx->now_ms, ctx->msg,
	    sizeof(ctx->msg))) != DESKD__STATUS__OK)
		return st;
	/* A shallow copy: stored keeps its own strings for freeing, next may
	 * point at the request's. */
	next = ctx_new(ctx, &deskd__complaint__descriptor);
	*next = *stored;
	complaint_apply_step(next, s, ctx->now_ms);
	complaint_put(ctx->txn, next);
	step_summary(summary, sizeof(summary), next, s);
	ctx_event(ctx, complaint_event_type(s->action), RECORD_COMPLAINT,
	    next->id, summary, s->text, next, NULL);
	return reply_complaint(ctx, next);
}

Deskd__Status
complaint_get_apply(struct apply_ctx *ctx, const Deskd__Request *req)
{
	Deskd__Complaint *c;

	if ((c = complaint_get(ctx->txn, req->complaint_get->id)) == NULL)
		return ctx_fail(ctx, DESKD__STATUS__NOT_FOUND,
		    "no complaint %" PRIu64, req->complaint_get->id);
	ctx_own_msg(ctx, c);
	return reply_complaint(ctx, c);
}

/* Room for the Response envelope around a page (status, message, more). */
#define REPLY_SLACK	512

/*
 * Does one more element of len packed bytes fit in a page already `used`
 * bytes long?  A reply over max_payload cannot be sent at all (the desk
 * would wait for it in vain), so a page stops early and says there is
 * more.  The first element always goes in.
 */
static bool
reply_room(struct apply_ctx *ctx, size_t *used, size_t count, size_t len)
{
	size_t max = ctx->cfg->max_payload;
	size_t need = len + 6;		/* field tag and length prefix */

	max = max > REPLY_SLACK ? max - REPLY_SLACK : 0;
	if (count > 0 && *used + need > max)
		return false;
	*used += need;
	return true;
}

Deskd__Status
complaint_list_apply(struct apply_ctx *ctx, const Deskd__Request *req)
{
	const Deskd__ComplaintList *l = req->complaint_list;
	Deskd__ComplaintListReply *r;
	Deskd__Complaint **list;
	size_t n, limit = l->limit ? l->limit : LIST_DEFAULT;
	bool more;

	if (limit > LIST_MAX)
		limit = LIST_MAX;
	if (complaint_list(ctx->txn, l->open_only, l->after_id, limit, &list,
	    &n, &more) != STORE_OK)
		return ctx_fail(ctx, DESKD__STATUS__INTERNAL,
		    "cannot list complaints");
	ctx_own_mem(ctx, list);
	for (size_t i = 0; i < n; i++)
		ctx_own_msg(ctx, list[i]);
	for (size_t i = 0, used = 0; i < n; i++)
		if (!reply_room(ctx, &used, i,
		    deskd__complaint__get_packed_size(list[i]))) {
			n = i;
			more = true;
			break;
		}
	r = ctx_new(ctx, &deskd__complaint_list_reply__descriptor);
	r->complaints = list;
	r->n_complaints = n;
	r->more = more;
	ctx->resp->body_case = DESKD__RESPONSE__BODY_COMPLAINT_LIST;
	ctx->resp->complaint_list = r;
	return DESKD__STATUS__OK;
}

Deskd__Status
complaint_history_apply(struct apply_ctx *ctx, const Deskd__Request *req)
{
	const Deskd__ComplaintHistory *h = req->complaint_history;
	Deskd__HistoryReply *r;
	Deskd__Event **events;
	uint64_t *seqs;
	size_t n, first = 0, limit = h->limit ? h->limit : HISTORY_DEFAULT,
	    count = 0, used = 0;

	if (limit > HISTORY_MAX)
		limit = HISTORY_MAX;
	if (event_history(ctx->txn, RECORD_COMPLAINT, h->id, &seqs, &n) !=
	    STORE_OK)
		return ctx_fail(ctx, DESKD__STATUS__INTERNAL,
		    "cannot read history");
	ctx_own_mem(ctx, seqs);
	if (n == 0)
		return ctx_fail(ctx, DESKD__STATUS__NOT_FOUND,
		    "no complaint %" PRIu64, h->id);
	while (first < n && seqs[first] <= h->after_seq)
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
	ctx->resp->body_case = DESKD__RESPONSE__BODY_HISTORY;
	ctx->resp->history = r;
	return DESKD__STATUS__OK;
}
