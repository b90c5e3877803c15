/*
 * handle_complaint.c - complaints through storage: intake, every step, and
 * the reads (show, list, history).  Rules live in complaint.c.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "archive.h"
#include "clock.h"
#include "complaint.h"
#include "config.h"
#include "dispatch.h"
#include "handover.h"
#include "reply.h"
#include "vault.h"

/* E6: every reply carries the contact masked, whoever asks; the call-back
 * reveals it (PersonReveal with a record, on record). */
static Deskd__Status
reply_complaint(struct apply_ctx *ctx, Deskd__Complaint *c)
{
	contacts_mask(&c->base);
	ctx->resp->body_case = DESKD__RESPONSE__BODY_COMPLAINT;
	ctx->resp->complaint = c;
	return DESKD__STATUS__OK;
}

Deskd__Status
complaint_new_check(const Deskd__Request *req, char *msg, size_t len)
{
	return complaint_new_validate(req->complaint_new, msg, len);
}

/*
 * C5 intake, shared by ComplaintNew and the bulk import (issue 6): the
 * checks, then -- unless dry -- the complaint stored with its reply clock
 * and event into *out.  `was` is an imported record (its status, replies
 * and creation are kept; NULL: a new complaint).  Refused: nothing
 * written.
 */
static Deskd__Status
intake(struct apply_ctx *ctx, const Deskd__ComplaintNew *n,
    const Deskd__Complaint *was, bool dry, Deskd__Complaint **out)
{
	const char *post = handover_record_post(ctx, n->post);
	Deskd__Complaint *c;
	Deskd__Status st;
	char summary[512], text[160];

	if (post == NULL)
		return DESKD__STATUS__INVALID_ARGUMENT;
	/* E6: a unit of the archive (near matches otherwise). */
	if ((st = archive_unit_check(ctx, n->unit)) != DESKD__STATUS__OK)
		return st;
	*out = c = ctx_new(ctx, &deskd__complaint__descriptor);
	if (was != NULL)
		*c = *was;
	if (dry)
		return DESKD__STATUS__OK;
	c->post = (char *)post;
	c->id = store_next_id(ctx->txn, RECORD_COMPLAINT);
	c->source = *n->source ? n->source : "customer";
	c->unit = n->unit;
	c->complainant = n->complainant;
	/* The context's copy: the reply masks it in place. */
	c->phone = ctx_strdup(ctx, n->phone);
	c->channel = *n->channel ? n->channel : "phone";
	c->category = n->category;
	c->event_time_ms = n->event_time_ms ? n->event_time_ms : ctx->now_ms;
	c->text = n->text;
	c->demand = n->demand;
	/* C2/C3: whatever it turns out to be, a reply is owed within 2 h
	 * (an imported open complaint keeps the time it was owed by). */
	if (was == NULL || c->reply_due_ms == 0)
		c->reply_due_ms = clock_deadline(ctx, CLOCK_COMPLAINT_REPLY,
		    ctx->now_ms);
	if (was == NULL || c->created_ms == 0)
		c->created_ms = ctx->now_ms;
	if (was == NULL || *c->created_by == '\0')
		c->created_by = (char *)ctx->actor;
	c->updated_ms = ctx->now_ms;
	c->revision = 1;
	complaint_add(ctx->txn, c);
	if (complaint_is_open(c))
		clock_arm(ctx, CLOCK_COMPLAINT_REPLY, RECORD_COMPLAINT, c->id,
		    c->reply_due_ms);
	text_excerpt(text, sizeof(text), n->text, 40);
	text_join(summary, sizeof(summary), (const char *const[]){ c->unit,
	    " ", c->complainant, " [", c->category, "] ", text }, 7);
	ctx_event(ctx, was ? "complaint.imported" : "complaint.created",
	    RECORD_COMPLAINT, c->id, summary, NULL, c, NULL);
	return DESKD__STATUS__OK;
}

Deskd__Status
complaint_new_apply(struct apply_ctx *ctx, const Deskd__Request *req)
{
	Deskd__Complaint *c;
	Deskd__Status st;

	if ((st = intake(ctx, req->complaint_new, NULL, false, &c)) !=
	    DESKD__STATUS__OK)
		return st;
	return reply_complaint(ctx, c);
}

Deskd__Status
complaint_import(struct apply_ctx *ctx, ProtobufCMessage *m, bool dry,
    uint64_t *id)
{
	Deskd__Complaint *in = (Deskd__Complaint *)m;
	Deskd__ComplaintNew n = DESKD__COMPLAINT_NEW__INIT;
	Deskd__Complaint *c;
	Deskd__Status st;

	/* The intake fields are checked as at the desk (C5). */
	n.source = in->source;
	n.unit = in->unit;
	n.complainant = in->complainant;
	n.phone = in->phone;
	n.channel = in->channel;
	n.category = in->category;
	n.event_time_ms = in->event_time_ms;
	n.text = in->text;
	n.demand = in->demand;
	n.post = in->post;
	if ((st = complaint_new_validate(&n, ctx->msg, sizeof(ctx->msg))) !=
	    DESKD__STATUS__OK ||
	    (st = intake(ctx, &n, in, dry, &c)) != DESKD__STATUS__OK)
		return st;
	*id = dry ? 0 : c->id;
	return DESKD__STATUS__OK;
}

static void
step_summary(char *out, size_t len, const Deskd__Complaint *c,
    const Deskd__ComplaintStep *s)
{
	char text[160];

	text_excerpt(text, sizeof(text), s->text, 40);
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

/*
 * The clocks follow the record: a changed reply time re-arms the reply
 * clock (C2: each agreed next reply), a resolution starts the revisit clock
 * (C4), and closing stops both.  Steps that change neither (a note) leave
 * the clocks and their alerts alone.
 */
static void
sync_clocks(struct apply_ctx *ctx, const Deskd__Complaint *was,
    const Deskd__Complaint *now)
{
	if (now->reply_due_ms != was->reply_due_ms) {
		if (now->reply_due_ms != 0)
			clock_arm(ctx, CLOCK_COMPLAINT_REPLY, RECORD_COMPLAINT,
			    now->id, now->reply_due_ms);
		else
			clock_stop(ctx, CLOCK_COMPLAINT_REPLY, RECORD_COMPLAINT,
			    now->id);
	}
	if (now->status == was->status)
		return;
	if (now->status == DESKD__COMPLAINT_STATUS__STATUS_RESOLVED)
		clock_arm(ctx, CLOCK_COMPLAINT_REVISIT, RECORD_COMPLAINT,
		    now->id, clock_deadline(ctx, CLOCK_COMPLAINT_REVISIT,
		    ctx->now_ms));
	else if (now->status == DESKD__COMPLAINT_STATUS__STATUS_CLOSED) {
		clock_stop(ctx, CLOCK_COMPLAINT_REPLY, RECORD_COMPLAINT, now->id);
		clock_stop(ctx, CLOCK_COMPLAINT_REVISIT, RECORD_COMPLAINT,
		    now->id);
	}
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
	sync_clocks(ctx, stored, next);
	step_summary(summary, sizeof(summary), next, s);
	ctx_event(ctx, complaint_event_type(s->action), RECORD_COMPLAINT,
	    next->id, summary, s->text, next, NULL);
	return reply_complaint(ctx, next);
}

/* The complaint `id` into *out (owned by ctx) if ctx's role may read it:
 * else NOT_FOUND, or PERMISSION_DENIED for an internal one (C5/E6). */
static Deskd__Status
complaint_read(struct apply_ctx *ctx, uint64_t id, Deskd__Complaint **out)
{
	Deskd__Complaint *c = complaint_get(ctx->txn, id);

	if (c == NULL)
		return ctx_fail(ctx, DESKD__STATUS__NOT_FOUND, "no complaint %"
		    PRIu64, id);
	ctx_own_msg(ctx, c);
	if (!complaint_readable_by(ctx->role, c))
		return ctx_fail(ctx, DESKD__STATUS__PERMISSION_DENIED,
		    "complaint %" PRIu64 " is internal (an employee's): a %s "
		    "may not read it", id, role_name(ctx->role));
	*out = c;
	return DESKD__STATUS__OK;
}

Deskd__Status
complaint_get_apply(struct apply_ctx *ctx, const Deskd__Request *req)
{
	Deskd__Complaint *c = NULL;
	Deskd__Status st;

	if ((st = complaint_read(ctx, req->complaint_get->id, &c)) !=
	    DESKD__STATUS__OK)
		return st;
	return reply_complaint(ctx, c);
}

Deskd__Status
complaint_list_apply(struct apply_ctx *ctx, const Deskd__Request *req)
{
	const Deskd__ComplaintList *l = req->complaint_list;
	Deskd__Complaint **list;
	size_t n, kept = 0;
	bool more;

	if (complaint_list(ctx->txn, l->open_only, l->after_id,
	    reply_limit(l->limit, LIST_DEFAULT, LIST_MAX), &list, &n, &more) !=
	    STORE_OK)
		return ctx_fail(ctx, DESKD__STATUS__INTERNAL,
		    "cannot list complaints");
	/* C5/E6: the internal ones left out for a role that may not read
	 * them (the page may come out short; `more` still says if there is
	 * more to ask for). */
	for (size_t i = 0; i < n; i++) {
		if (!complaint_readable_by(ctx->role, list[i])) {
			deskd__complaint__free_unpacked(list[i], NULL);
			continue;
		}
		contacts_mask(&list[i]->base);
		list[kept++] = list[i];
	}
	return reply_list(ctx, DESKD__RESPONSE__BODY_COMPLAINT_LIST, list, kept,
	    more);
}

Deskd__Status
complaint_history_apply(struct apply_ctx *ctx, const Deskd__Request *req)
{
	const Deskd__ComplaintHistory *h = req->complaint_history;
	Deskd__Complaint *c = NULL;
	Deskd__Status st;

	if ((st = complaint_read(ctx, h->id, &c)) != DESKD__STATUS__OK)
		return st;
	return reply_history(ctx, RECORD_COMPLAINT, h->id, h->after_seq,
	    h->limit);
}
