/*
 * now.c - what needs a desk now (issue 16): NowGet gathers the items every
 * area offers -- its open records' running clocks (struct now_rule) and
 * its own (now_more: alerts, handovers) --, keeps those for the asker
 * (now_for), sorts them by deadline and adds the header: the office, its
 * time zone, the asker's post and shift end, who is on each post now.
 * What the areas offer with is now_list.c's.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "area.h"
#include "handover.h"
#include "now.h"
#include "reply.h"

/* The record's running clocks of the rule's table, each an item. */
static void
record_clocks(struct apply_ctx *ctx, struct now_list *l,
    const struct now_rule *nr, const ProtobufCMessage *m, uint64_t id)
{
	Deskd__NowItem it = DESKD__NOW_ITEM__INIT;
	Deskd__Clock **cv = NULL;
	struct now_record r;
	size_t n = 0;
	char rec[48];

	if (clock_list_record(ctx->txn, nr->kind->rec, id, &cv, &n) !=
	    STORE_OK)
		return;
	snprintf(rec, sizeof(rec), "%s:%" PRIu64,
	    record_kind_name(nr->kind->rec), id);
	for (size_t i = 0; i < n; i++) {
		for (size_t k = 0; k < nr->nclocks; k++) {
			if (strcmp(cv[i]->name, nr->clocks[k].clock) != 0)
				continue;
			memset(&r, 0, sizeof(r));
			nr->describe(ctx, m, cv[i], &r);
			it.kind = (char *)(r.kind ? r.kind : nr->clocks[k].kind);
			it.record = rec;
			it.due_ms = cv[i]->deadline_ms;
			it.rule = (char *)nr->clocks[k].rule;
			it.title = (char *)r.title;
			it.unit = (char *)r.unit;
			it.phone = (char *)r.phone;
			it.post = (char *)r.post;
			it.state = (char *)r.state;
			it.owner = (char *)(r.owner ? r.owner : cv[i]->owner);
			it.blocks = r.blocks;
			it.n_blocks = r.n_blocks;
			now_offer(ctx, l, &it);
		}
		deskd__clock__free_unpacked(cv[i], NULL);
	}
	free(cv);
}

/* Every open record of the rule's kind the asker may read. */
static void
open_records(struct apply_ctx *ctx, struct now_list *l,
    const struct now_rule *nr)
{
	ProtobufCMessage **v = NULL;
	uint64_t after = 0;
	size_t n = 0;
	bool more = true;

	while (more && kind_page(ctx->txn, nr->kind, true, after, LIST_MAX,
	    (void ***)&v, &n, &more) == STORE_OK && n > 0) {
		for (size_t i = 0; i < n; i++) {
			const ProtobufCFieldDescriptor *f =
			    protobuf_c_message_descriptor_get_field_by_name(
			    v[i]->descriptor, "id");

			after = *(const uint64_t *)((const char *)v[i] +
			    f->offset);
			if (kind_visible(ctx, nr->kind, v[i]))
				record_clocks(ctx, l, nr, v[i], after);
			protobuf_c_message_free_unpacked(v[i], NULL);
		}
		free(v);
		v = NULL;
	}
}

/* Sorted, then as many as a frame holds: the soonest. */
static void
now_items(struct apply_ctx *ctx, struct now_list *l, Deskd__NowReply *r)
{
	size_t used = 0, keep;

	now_sort(l->v, l->n);
	for (keep = 0; keep < l->n; keep++)
		if (!reply_room(ctx, &used, keep,
		    protobuf_c_message_get_packed_size(&l->v[keep]->base)))
			break;
	r->more = l->more || keep < l->n;
	r->items = l->v;
	r->n_items = keep;
}

static void
now_on_duty(struct apply_ctx *ctx, Deskd__NowReply *r)
{
	const struct shift_conf *sc = shift_conf_of(ctx->cfg);

	r->on_duty = ctx_calloc(ctx, sc->nposts + 1, sizeof(*r->on_duty));
	for (size_t pi = 0; pi < sc->nposts; pi++) {
		Deskd__OnDuty *o = ctx_new(ctx, &deskd__on_duty__descriptor);

		Deskd__User *u;

		o->post = (char *)sc->posts[pi];
		o->user = (char *)handover_post_holder(ctx, pi);
		/* The name people know them by, for the board's header. */
		if (o->user != NULL && *o->user &&
		    (u = user_get(ctx->txn, o->user)) != NULL) {
			o->name = ctx_strdup(ctx, u->display_name);
			deskd__user__free_unpacked(u, NULL);
		}
		r->on_duty[r->n_on_duty++] = o;
	}
}

static Deskd__Status
now_apply(struct apply_ctx *ctx, const Deskd__Request *req)
{
	Deskd__NowReply *r = ctx_new(ctx, &deskd__now_reply__descriptor);
	struct now_list l;
	const struct area *a;
	char node[STORE_NODE_LEN + 1];

	memset(&l, 0, sizeof(l));
	l.asker.role = ctx->role;
	l.asker.user = ctx->actor;
	l.asker.post = handover_duty_post(ctx, ctx->actor, &l.shift_ends_ms);
	l.asker.all_posts = req->now->all_posts;
	for (size_t i = 0; (a = area_nth(i)) != NULL; i++) {
		if (a->now != NULL)
			open_records(ctx, &l, a->now);
		if (a->now_more != NULL)
			a->now_more(ctx, &l);
	}
	now_items(ctx, &l, r);
	r->now_ms = ctx->now_ms;
	r->office = ctx_strdup(ctx, store_node(ctx->txn, node));
	r->tz = (char *)ctx->cfg->time_zone;
	r->post = (char *)l.asker.post;
	r->shift_ends_ms = l.shift_ends_ms;
	now_on_duty(ctx, r);
	r->last_seq = store_last_seq(ctx->txn);
	r->role = (char *)role_name(ctx->role);
	r->user = (char *)ctx->actor;
	return reply_with(ctx, DESKD__RESPONSE__BODY_NOW, r);
}

/* Every role that logs in asks what needs it (each gets its own). */
static const struct request_row now_requests[] = {
	{ REQUEST(NOW, "now"), .op = OP_WATCH, .apply = now_apply },
};

const struct area now_area = {
	.name = "now",
	.requests = now_requests,
	.nrequests = nitems(now_requests),
};
