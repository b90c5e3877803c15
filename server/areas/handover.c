/*
 * handover.c - the handover record through its steps (issue 4:
 * B2-B6): count the items, add and finish pending work, record anomalies,
 * sign (outgoing, then incoming), and a supervisor's override of B6.  Every
 * handler checks everything before its first write.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "area.h"
#include "deadline.h"
#include "config.h"
#include "ctx.h"
#include "handover.h"
#include "now.h"
#include "reply.h"
#include "visible.h"

static const struct kind handover_kind;

#define S(x)	DESKD__HANDOVER_STATE__HANDOVER_##x
#define A(x)	DESKD__HANDOVER_ACTION__HANDOVER_##x

/* The handover asked for: by id, or the post's newest one still open. */
static Deskd__Handover *
target(struct apply_ctx *ctx, uint64_t id, const char *post,
    Deskd__Status *st)
{
	const struct shift_conf *sc = shift_conf_of(ctx->cfg);
	Deskd__Handover **v = NULL, *h = NULL;
	uint64_t after = 0;
	size_t n = 0;
	bool more = true;

	if (id != 0) {
		if ((h = handover_get(ctx->txn, id)) == NULL)
			*st = ctx_fail(ctx, DESKD__STATUS__NOT_FOUND,
			    "handover %" PRIu64 " not found", id);
		ctx_own_msg(ctx, h);
		return h;
	}
	if (*post == '\0')
		post = sc->posts[0];
	while (more && kind_page(ctx->txn, &handover_kind, true, after,
	    LIST_MAX, (void ***)&v, &n, &more) == STORE_OK) {
		ctx_own_page(ctx, (void **)v, n);
		for (size_t i = 0; i < n; i++) {
			after = v[i]->id;
			if (strcmp(v[i]->post, post) == 0)
				h = v[i];
		}
		if (n == 0)
			break;
	}
	if (h == NULL)
		*st = ctx_fail(ctx, DESKD__STATUS__NOT_FOUND, "no open handover "
		    "at post '%s' (give its id)", post);
	return h;
}

static Deskd__Status
handover_get_apply(struct apply_ctx *ctx, const Deskd__Request *req)
{
	const Deskd__HandoverGet *g = req->handover_get;
	Deskd__Status st = DESKD__STATUS__OK;
	Deskd__Handover *h = target(ctx, g->id, g->post, &st);

	if (h == NULL)
		return st;
	handover_withhold(ctx->txn, ctx->role, ctx->actor, h);
	return reply_with(ctx, DESKD__RESPONSE__BODY_HANDOVER, h);
}

/* A copy of a pointer array with room for one more, owned by ctx. */
static void *
ptrs_copy(struct apply_ctx *ctx, void *v, size_t n)
{
	void **c = ctx_calloc(ctx, n + 1, sizeof(void *));

	if (n > 0)
		memcpy(c, v, n * sizeof(void *));
	return c;
}

/* B6: the first important pending item still open, or NULL. */
static const Deskd__HandoverPending *
important_open(const Deskd__Handover *h)
{
	for (size_t i = 0; i < h->n_pending; i++)
		if (h->pending[i]->important && !h->pending[i]->done)
			return h->pending[i];
	return NULL;
}

/* B5: the sides sign in order, each once, each by its own person. */
static Deskd__Status
check_sign(struct apply_ctx *ctx, const Deskd__Handover *h, bool out)
{
	const Deskd__HandoverPending *p;

	if (out && h->state != S(OPEN))
		return ctx_fail(ctx, DESKD__STATUS__CONFLICT, "the outgoing "
		    "side is already signed by %s (B5)", h->out_signed_by);
	if (!out && h->state == S(OPEN))
		return ctx_fail(ctx, DESKD__STATUS__CONFLICT, "the outgoing "
		    "person signs first (B5)");
	if (!out && h->state == S(CLOSED))
		return ctx_fail(ctx, DESKD__STATUS__CONFLICT, "the incoming "
		    "side is already signed by %s (B5)", h->in_signed_by);
	if (out && *h->outgoing && strcmp(h->outgoing, ctx->actor) != 0)
		return ctx_fail(ctx, DESKD__STATUS__PERMISSION_DENIED, "the "
		    "outgoing side is %s's to sign (B5)", h->outgoing);
	if (!out && *h->incoming && strcmp(h->incoming, ctx->actor) != 0)
		return ctx_fail(ctx, DESKD__STATUS__PERMISSION_DENIED, "the "
		    "incoming side is %s's to sign (B5)", h->incoming);
	if (!out && !*h->incoming && strcmp(h->out_signed_by, ctx->actor) == 0)
		return ctx_fail(ctx, DESKD__STATUS__PERMISSION_DENIED, "%s "
		    "signed the outgoing side; the incoming person signs the "
		    "other (B5)", ctx->actor);
	if (out && (p = important_open(h)) != NULL && !*h->override_reason)
		return ctx_fail(ctx, DESKD__STATUS__CONFLICT, "important work "
		    "is open: pending %u '%s' (B6: finish it, or a supervisor "
		    "overrides with a reason)", p->n, p->text);
	for (size_t i = 0; !out && i < h->n_items; i++)
		if (!h->items[i]->counted)
			return ctx_fail(ctx, DESKD__STATUS__CONFLICT, "item '%s' "
			    "is not counted yet (B2)", h->items[i]->name);
	return DESKD__STATUS__OK;
}

/* No side given: the scheduled person's own side, else the one due. */
static bool
sign_side_out(const struct apply_ctx *ctx, const Deskd__Handover *h)
{
	if (strcmp(h->outgoing, ctx->actor) == 0 ||
	    strcmp(h->out_signed_by, ctx->actor) == 0)
		return true;
	if (strcmp(h->incoming, ctx->actor) == 0)
		return false;
	return h->state == S(OPEN);
}

/* B5: what passed to the incoming person, listed on the handover: a
 * record runs at most this many desk clocks at once (C2 and C4, D3 and
 * D5). */
#define CLOCKS_PER_RECORD	4

struct handing {
	Deskd__Handover	*h;
	size_t		 cap;
};

static void
handed(struct apply_ctx *ctx, const char *what, void *arg)
{
	struct handing *hd = arg;
	size_t n = strlen(what) + 1;

	if (hd->h->n_handed == hd->cap)
		return;
	hd->h->handed[hd->h->n_handed++] = memcpy(ctx_calloc(ctx, n, 1),
	    what, n);
}

static void
hand_alert(struct apply_ctx *ctx, struct handing *hd, uint64_t id)
{
	Deskd__Alert *a, *moved;
	char summary[128];

	if ((a = alert_get(ctx->txn, id)) == NULL)
		return;
	ctx_own_msg(ctx, a);
	if (a->state == DESKD__ALERT_STATE__ALERT_CLEARED)
		return;
	moved = ctx_new(ctx, &deskd__alert__descriptor);
	*moved = *a;
	moved->owner = (char *)ctx->actor;
	alert_put(ctx->txn, moved);
	ctx_summary(ctx, summary, sizeof(summary), "handed %s to %s",
	    a->record, ctx->actor);
	ctx_event_msg(ctx, "alert.handed", RECORD_ALERT, id, NULL, summary,
	    NULL, &moved->base);
	snprintf(summary, sizeof(summary), "alert:%" PRIu64, id);
	handed(ctx, summary, hd);
}

/*
 * B5: with the second signature the post's open alerts and the running
 * clocks of its pending complaints and repairs go to the incoming person
 * (the signer), in this transaction: a breach after the handover alerts
 * the person now holding the work.
 */
static void
hand_work(struct apply_ctx *ctx, Deskd__Handover *h)
{
	/* Each pending record passes its alert or its few clocks. */
	struct handing hd = { h, h->n_pending * CLOCKS_PER_RECORD };

	h->handed = ctx_calloc(ctx, hd.cap + 1, sizeof(*h->handed));
	h->n_handed = 0;
	for (size_t i = 0; i < h->n_pending; i++) {
		const char *rec = h->pending[i]->record;
		uint64_t id;

		if (sscanf(rec, "alert:%" SCNu64, &id) == 1)
			hand_alert(ctx, &hd, id);
		else if (sscanf(rec, "complaint:%" SCNu64, &id) == 1)
			clock_hand_over(ctx, RECORD_COMPLAINT, id, ctx->actor,
			    handed, &hd);
		else if (sscanf(rec, "repair:%" SCNu64, &id) == 1)
			clock_hand_over(ctx, RECORD_REPAIR, id, ctx->actor,
			    handed, &hd);
	}
}

/* Everything a step needs, checked before the first write. */
static Deskd__Status
check_step(struct apply_ctx *ctx, const Deskd__HandoverStep *s,
    const Deskd__Handover *h, size_t *item)
{
	size_t i;

	if (h->state == S(CLOSED) && s->action != A(SIGN))
		return ctx_fail(ctx, DESKD__STATUS__CONFLICT, "handover %"
		    PRIu64 " is closed: both sides signed (B5)", h->id);
	switch (s->action) {
	case A(ITEM):
		for (i = 0; i < h->n_items; i++)
			if (strcmp(h->items[i]->name, s->name) == 0)
				break;
		if (i == h->n_items)
			return ctx_fail(ctx, DESKD__STATUS__INVALID_ARGUMENT,
			    "'%s' is not an item of the post", s->name);
		if (s->count != h->items[i]->expected && !*s->text)
			return ctx_fail(ctx, DESKD__STATUS__INVALID_ARGUMENT,
			    "%s: %u counted, %u expected: explain the "
			    "difference with a note (B2)", s->name, s->count,
			    h->items[i]->expected);
		*item = i;
		break;
	case A(PENDING_ADD):
	case A(ANOMALY):
		if (!*s->text)
			return ctx_fail(ctx, DESKD__STATUS__INVALID_ARGUMENT,
			    "text: what is it?");
		break;
	case A(PENDING_DONE):
		if (s->n < 1 || s->n > h->n_pending)
			return ctx_fail(ctx, DESKD__STATUS__NOT_FOUND,
			    "no pending item %u", s->n);
		if (h->pending[s->n - 1]->done)
			return ctx_fail(ctx, DESKD__STATUS__CONFLICT,
			    "pending item %u is already done", s->n);
		break;
	case A(SIGN):
		if (*s->side && strcmp(s->side, "out") != 0 &&
		    strcmp(s->side, "in") != 0)
			return ctx_fail(ctx, DESKD__STATUS__INVALID_ARGUMENT,
			    "side: out or in");
		return check_sign(ctx, h, *s->side ? strcmp(s->side, "out") ==
		    0 : sign_side_out(ctx, h));
	case A(OVERRIDE):
		/* B6: only a supervisor lets important work pass. */
		if (ctx->role != ROLE_SUPERVISOR && ctx->role != ROLE_DIRECTOR &&
		    ctx->role != ROLE_ADMIN)
			return ctx_fail(ctx, DESKD__STATUS__PERMISSION_DENIED,
			    "only a supervisor overrides B6");
		if (!*s->text)
			return ctx_fail(ctx, DESKD__STATUS__INVALID_ARGUMENT,
			    "text: the override needs a reason (B6)");
		if (h->state != S(OPEN))
			return ctx_fail(ctx, DESKD__STATUS__CONFLICT,
			    "the outgoing side is already signed");
		break;
	default:
		return ctx_fail(ctx, DESKD__STATUS__INVALID_ARGUMENT,
		    "unknown handover action %d", (int)s->action);
	}
	return DESKD__STATUS__OK;
}

static const char *
action_event(Deskd__HandoverAction a, bool closed)
{
	switch (a) {
	case A(ITEM):		return "handover.counted";
	case A(PENDING_ADD):	return "handover.pending_added";
	case A(PENDING_DONE):	return "handover.pending_done";
	case A(ANOMALY):	return "handover.anomaly";
	case A(OVERRIDE):	return "handover.overridden";
	default:		return closed ? "handover.closed" :
				    "handover.signed_out";
	}
}

static Deskd__Status
handover_step_apply(struct apply_ctx *ctx, const Deskd__Request *req)
{
	const Deskd__HandoverStep *s = req->handover_step;
	Deskd__Status st = DESKD__STATUS__OK;
	Deskd__Handover *old = target(ctx, s->id, s->post, &st), *h;
	Deskd__ShiftChange *ch;
	size_t item = 0;
	char summary[384], what[200];

	if (old == NULL || (st = check_step(ctx, s, old, &item)) !=
	    DESKD__STATUS__OK)
		return st;
	h = ctx_new(ctx, &deskd__handover__descriptor);
	*h = *old;
	text_excerpt(what, sizeof(what), s->text, 80);
	switch (s->action) {
	case A(ITEM): {
		Deskd__HandoverItem *it = ctx_new(ctx,
		    &deskd__handover_item__descriptor);

		*it = *old->items[item];
		it->count = s->count;
		it->counted = true;
		it->note = s->text;
		it->by = (char *)ctx->actor;
		h->items = ptrs_copy(ctx, old->items, old->n_items);
		h->items[item] = it;
		snprintf(what, sizeof(what), "%s %u/%u%s%s", it->name,
		    it->count, it->expected, *it->note ? ": " : "", it->note);
		break;
	}
	case A(PENDING_ADD): {
		Deskd__HandoverPending *p = ctx_new(ctx,
		    &deskd__handover_pending__descriptor);

		p->n = (uint32_t)old->n_pending + 1;
		p->text = s->text;
		p->important = s->important;
		p->by = (char *)ctx->actor;
		h->pending = ptrs_copy(ctx, old->pending, old->n_pending);
		h->pending[h->n_pending++] = p;
		break;
	}
	case A(PENDING_DONE): {
		Deskd__HandoverPending *p = ctx_new(ctx,
		    &deskd__handover_pending__descriptor);

		*p = *old->pending[s->n - 1];
		p->done = true;
		p->note = s->text;
		p->by = (char *)ctx->actor;
		h->pending = ptrs_copy(ctx, old->pending, old->n_pending);
		h->pending[s->n - 1] = p;
		snprintf(what, sizeof(what), "%u", s->n);
		break;
	}
	case A(ANOMALY): {
		Deskd__HandoverAnomaly *an = ctx_new(ctx,
		    &deskd__handover_anomaly__descriptor);

		an->text = s->text;
		an->by = (char *)ctx->actor;
		an->at_ms = ctx->now_ms;
		h->anomalies = ptrs_copy(ctx, old->anomalies,
		    old->n_anomalies);
		h->anomalies[h->n_anomalies++] = an;
		break;
	}
	case A(OVERRIDE):
		h->override_by = (char *)ctx->actor;
		h->override_reason = s->text;
		break;
	default:
		if (old->state == S(OPEN)) {
			h->state = S(OUT_SIGNED);
			h->out_signed_by = (char *)ctx->actor;
			h->out_signed_ms = ctx->now_ms;
			break;
		}
		/* B5: both have signed; the unsigned clock stops and its
		 * alert clears, in this transaction. */
		h->state = S(CLOSED);
		h->in_signed_by = (char *)ctx->actor;
		h->in_signed_ms = ctx->now_ms;
		clock_stop(ctx, CLOCK_HANDOVER_UNSIGNED, RECORD_HANDOVER,
		    h->id);
		hand_work(ctx, h);
		break;
	}
	kind_put(ctx, &handover_kind, &h->base);
	snprintf(summary, sizeof(summary), "%s %s -> %s: %s", h->post,
	    h->shift_off, h->shift_on, s->action == A(SIGN) ? ctx->actor :
	    what);
	ch = ctx_new(ctx, &deskd__shift_change__descriptor);
	ch->boundary_ms = h->boundary_ms;
	ch->shift_off = h->shift_off;
	ch->shift_on = h->shift_on;
	ch->handover = h;
	ctx_event_msg(ctx, action_event(s->action, h->state == S(CLOSED)),
	    RECORD_HANDOVER, h->id, NULL, summary, s->text, &ch->base);
	return reply_with(ctx, DESKD__RESPONSE__BODY_HANDOVER, h);
}

static const struct request_row handover_requests[] = {
	/* B2-B6: every desk on duty reads and works its handover; the
	 * override is checked for a supervisor in the handler. */
	{ REQUEST(HANDOVER_GET, "handover show"), .op = OP_SCHEDULE_READ,
	    .apply = handover_get_apply },
	{ REQUEST(HANDOVER_STEP, "handover step"), .op = OP_HANDOVER,
	    .apply = handover_step_apply },
};

/* A handover as a narrowed role sees it: others' pending work
 * withheld (visible.c). */
static Deskd__Status
handover_shown(struct apply_ctx *ctx, const struct kind *k,
    ProtobufCMessage **m, bool unmasked)
{
	(void)k;
	(void)unmasked;
	if (visible_narrowed(ctx->role))
		handover_withhold(ctx->txn, ctx->role, ctx->actor,
		    (Deskd__Handover *)*m);
	return DESKD__STATUS__OK;
}

/* B5: open until both sides have signed. */
static bool
handover_open(const ProtobufCMessage *m)
{
	return ((const Deskd__Handover *)m)->state !=
	    DESKD__HANDOVER_STATE__HANDOVER_CLOSED;
}

static const struct kind handover_kind = {
	.name = "handover", .rec = RECORD_HANDOVER,
	.d = &deskd__handover__descriptor, .db = DB_HANDOVERS,
	.prefix = -1, .write = OP_SCHEDULE_READ, .read = OP_SCHEDULE_READ,
	.export = OP_SCHEDULE_READ,
	.changed = "boundary_ms out_signed_ms in_signed_ms",
	.shown = handover_shown,
	.open = DB_HANDOVERS_OPEN, .is_open = handover_open,
	.history = HISTORY_SOME
};

/* ---------- what needs a desk now (issue 16) ---------- */

static void
block_add(struct apply_ctx *ctx, struct now_record *r, size_t cap,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void
block_add(struct apply_ctx *ctx, struct now_record *r, size_t cap,
    const char *fmt, ...)
{
	char text[256];
	va_list ap;

	if (r->n_blocks == cap)
		return;
	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	r->blocks[r->n_blocks++] = ctx_strdup(ctx, text);
}

/*
 * An open handover: the side whose signature is next holds it (B5), and
 * what check_sign would refuse it for blocks it: important work open
 * (B6, unless overridden), items not counted (B2), the signatures.
 */
static void
handover_described(struct apply_ctx *ctx, const ProtobufCMessage *m,
    const Deskd__Clock *c, struct now_record *r)
{
	const Deskd__Handover *h = (const Deskd__Handover *)m;
	size_t cap = h->n_pending + h->n_items + 2;
	char title[160];

	(void)c;
	snprintf(title, sizeof(title), "%s %s -> %s", h->post, h->shift_off,
	    h->shift_on);
	r->title = ctx_strdup(ctx, title);
	r->post = h->post;
	r->state = h->state == S(OPEN) ? "open" : h->state == S(OUT_SIGNED) ?
	    "out signed" : "closed";
	r->owner = h->state == S(OPEN) ? h->outgoing : h->incoming;
	r->blocks = ctx_calloc(ctx, cap, sizeof(char *));
	for (size_t i = 0; i < h->n_pending && !*h->override_reason; i++)
		if (h->pending[i]->important && !h->pending[i]->done)
			block_add(ctx, r, cap, "pending %u: %s", h->pending[i]->n,
			    h->pending[i]->text);
	for (size_t i = 0; i < h->n_items; i++)
		if (!h->items[i]->counted)
			block_add(ctx, r, cap, "count: %s", h->items[i]->name);
	if (h->state == S(OPEN))
		block_add(ctx, r, cap, "sign: outgoing %s", h->outgoing);
	if (h->state != S(CLOSED))
		block_add(ctx, r, cap, "sign: incoming %s", h->incoming);
}

static const struct now_clock handover_now_clocks[] = {
	{ CLOCK_HANDOVER_UNSIGNED, "handover", "B5" },
};

static const struct now_rule handover_now = {
	.kind = &handover_kind, .clocks = handover_now_clocks,
	.nclocks = nitems(handover_now_clocks),
	.describe = handover_described,
};

static const struct kind *const handover_kinds[] = {
	&handover_kind, NULL
};

/* An engineer gets handovers with the pending work of others withheld. */
static const struct event_rule handover_events[] = {
	{ .prefix = "handover.", .op = OP_WATCH, .narrowed = visible_narrowed,
	    .check = visible_event },
};

const struct area handover_area = {
	.name = "handover",
	.requests = handover_requests,
	.nrequests = nitems(handover_requests),
	.kinds = handover_kinds,
	.events = handover_events,
	.nevents = nitems(handover_events),
	.now = &handover_now,
};
