/*
 * now_list.c - what the areas offer to the board of what needs a desk now
 * (issue 16): an item kept for the asker, copied and masked; a record's
 * words by the area that keeps it.  now.c serves NowGet from them.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "area.h"
#include "now.h"
#include "text.h"
#include "vault.h"

/* A board of more than this is cut (and says so): a frame holds fewer. */
#define NOW_ITEMS_MAX	20000

static char *
copy(struct apply_ctx *ctx, const char *s)
{
	return ctx_strdup(ctx, s != NULL ? s : "");
}

static char **
copy_texts(struct apply_ctx *ctx, char *const *v, size_t n)
{
	char **to = n > 0 ? ctx_calloc(ctx, n, sizeof(char *)) : NULL;

	for (size_t i = 0; i < n; i++)
		to[i] = copy(ctx, v[i]);
	return to;
}

void
now_offer(struct apply_ctx *ctx, struct now_list *l, const Deskd__NowItem *in)
{
	Deskd__NowItem *it;

	if (!now_for(&l->asker, in))
		return;
	if (l->n == NOW_ITEMS_MAX) {
		l->more = true;
		return;
	}
	if (l->n == l->cap) {
		Deskd__NowItem **v;

		l->cap = l->cap ? l->cap * 2 : 64;
		v = ctx_calloc(ctx, l->cap, sizeof(*v));
		if (l->n > 0)
			memcpy(v, l->v, l->n * sizeof(*v));
		l->v = v;
	}
	it = ctx_new(ctx, &deskd__now_item__descriptor);
	it->kind = copy(ctx, in->kind);
	it->record = copy(ctx, in->record);
	it->due_ms = in->due_ms;
	it->title = copy(ctx, in->title);
	it->unit = copy(ctx, in->unit);
	it->phone = copy(ctx, in->phone);
	it->post = copy(ctx, in->post);
	it->owner = copy(ctx, in->owner);
	it->rule = copy(ctx, in->rule);
	it->level = in->level;
	it->state = copy(ctx, in->state);
	it->alert_id = in->alert_id;
	it->blocks = copy_texts(ctx, in->blocks, in->n_blocks);
	it->n_blocks = in->n_blocks;
	it->title_code = copy(ctx, in->title_code);
	it->title_args = copy_texts(ctx, in->title_args, in->n_title_args);
	it->n_title_args = in->n_title_args;
	/* E6: the one masking every reader of a contact goes through. */
	contacts_mask(&it->base);
	l->v[l->n++] = it;
}

const char *
now_title(struct apply_ctx *ctx, const char *text)
{
	char out[NOW_TITLE_MAX * 4 + 8];

	text_excerpt(out, sizeof(out), text, NOW_TITLE_MAX);
	return ctx_strdup(ctx, out);
}

static const struct now_rule *
rule_of(enum record_kind rec)
{
	const struct area *a;

	for (size_t i = 0; (a = area_nth(i)) != NULL; i++)
		if (a->now != NULL && a->now->kind->rec == rec)
			return a->now;
	return NULL;
}

void
now_describe(struct apply_ctx *ctx, enum record_kind rec, uint64_t id,
    struct now_record *r)
{
	const struct now_rule *nr = rule_of(rec);
	ProtobufCMessage *m;

	/* A record no rule describes (the month's ledger) has no unit, phone
	 * or post: "", never NULL, which the item's strings may not be. */
	memset(r, 0, sizeof(*r));
	r->title = r->unit = r->phone = r->post = r->state = "";
	if (nr == NULL || id == 0 || (m = store_get_record(ctx->txn,
	    nr->kind->db, id, nr->kind->d)) == NULL)
		return;
	ctx_own_msg(ctx, m);
	nr->describe(ctx, m, NULL, r);
}
