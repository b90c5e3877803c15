/*
 * handover_boundary.c - shift boundaries and the opening of handovers
 * (issue 4: A6, B1-B4, H1, H2), an area of its own: its clocks and the
 * [handover] settings, no requests (the handover's are handover.c's).  The
 * boundary is the recurring clock `shift.boundary`: firing emits shift.changed with who goes off and who comes on
 * at every post, opens each post's handover with its inventory and pending
 * work, arms its `handover.unsigned` clock, and re-arms the boundary, all
 * in the clock's transaction: exactly once, even across a restart.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "area.h"
#include "attendance_rules.h"
#include "deadline.h"
#include "config.h"
#include "ctx.h"
#include "refuse.h"
#include "dutylog.h"
#include "dutylog_rules.h"
#include "handover.h"
#include "log.h"
#include "now.h"
#include "reply.h"

#define DAY_MIN		(24 * 60)
#define AUTO_MAX	50	/* open records of a kind listed per handover */
#define AUTO_SCAN	1000	/* open records of a kind looked through for them */

void
handover_config_defaults(struct handover_conf *c)
{
	memset(c, 0, sizeof(*c));
}

/* items = computer:1,stapler:2,keys:12 (the line replaces the list). */
int
handover_config_set(struct handover_conf *c, const char *key,
    const char *value, char *err, size_t errlen)
{
	const char *p = value;

	if (strcmp(key, "items") != 0) {
		snprintf(err, errlen, "[handover] %s: unknown setting (items = "
		    "NAME:COUNT,...)", key);
		return -1;
	}
	c->nitems = 0;
	while (*p) {
		size_t len;
		const char *colon;
		char *end;
		long n;

		while (*p == ' ' || *p == ',')
			p++;
		if (*p == '\0')
			break;
		len = strcspn(p, ",");
		colon = memchr(p, ':', len);
		errno = 0;
		n = colon ? strtol(colon + 1, &end, 10) : -1;
		if (colon == NULL || colon == p ||
		    (size_t)(colon - p) >= SHIFT_NAME || errno || n < 0 ||
		    n > 100000 || end == colon + 1 ||
		    (end != p + len && *end != ' ') ||
		    c->nitems == HANDOVER_ITEMS_MAX) {
			snprintf(err, errlen, "[handover] items: bad entry "
			    "'%.*s' (NAME:COUNT, at most %d items)",
			    (int)(len < 40 ? len : 40), p, HANDOVER_ITEMS_MAX);
			return -1;
		}
		snprintf(c->items[c->nitems].name, SHIFT_NAME, "%.*s",
		    (int)(colon - p), p);
		c->items[c->nitems++].count = (uint32_t)n;
		p += len;
	}
	return 0;
}

static void
handover_section_defaults(void *block)
{
	handover_config_defaults(block);
}

static int
handover_section_set(void *block, const char *key, const char *value,
    char *err, size_t errlen)
{
	return handover_config_set(block, key, value, err, errlen);
}

static void
handover_usage(FILE *f)
{
	fprintf(f, "  --handover-items NAME:COUNT,...  a post's inventory "
	    "([handover] items)\n");
}

/* [handover]; --handover-items is its items line (B2). */
const struct config_section handover_section = {
	.name = "handover",
	.size = sizeof(struct handover_conf),
	.defaults = handover_section_defaults,
	.set = handover_section_set,
	.flag = "handover_items",
	.flag_key = "items",
	.usage = handover_usage,
	.usage_rank = 30,
};

const struct handover_conf *
handover_conf_of(const struct config *cfg)
{
	return config_section(cfg, &handover_section);
}

/* ---------- boundaries (A6) ---------- */

/* `min` minutes into the local day `dd` days from the day of `ms`. */
static int64_t
local_at(int64_t ms, int dd, int min)
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;

	localtime_r(&t, &tm);
	tm.tm_mday += dd;
	tm.tm_hour = min / 60;
	tm.tm_min = min % 60;
	tm.tm_sec = 0;
	tm.tm_isdst = -1;
	return (int64_t)mktime(&tm) * 1000;
}

/* The boundary nearest `ms` on the side asked: after (> ms) or not. */
static int64_t
boundary_near(const struct shift_conf *c, int64_t ms, bool after)
{
	int64_t best = 0, b;

	for (int dd = -2; dd <= 2; dd++)
		for (size_t i = 0; i < c->nshifts * 2; i++) {
			const struct shift_def *s = &c->shifts[i / 2];

			b = local_at(ms, dd, i % 2 ? s->end_min % DAY_MIN :
			    s->start_min);
			if (after ? b > ms && (best == 0 || b < best) :
			    b <= ms && b > best)
				best = b;
		}
	return best;
}

int64_t
shift_boundary_next(const struct shift_conf *c, int64_t after_ms)
{
	return boundary_near(c, after_ms, true);
}

int64_t
shift_boundary_last(const struct shift_conf *c, int64_t at_ms)
{
	return boundary_near(c, at_ms, false);
}

static int
minute_of(int64_t ms)
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;

	localtime_r(&t, &tm);
	return tm.tm_hour * 60 + tm.tm_min;
}

/* The shift that starts (or, end: ends) at minute m of the day, or -1. */
static int
shift_at(const struct shift_conf *c, int m, bool end)
{
	for (size_t i = 0; i < c->nshifts; i++)
		if ((end ? c->shifts[i].end_min % DAY_MIN :
		    c->shifts[i].start_min) == m)
			return (int)i;
	return -1;
}

/* The published assignment of shift `si` starting at start_ms: at post
 * `pi` (user NULL), or of `user`; NULL when none is published. */
static const Deskd__Assignment *
assignment_at(struct apply_ctx *ctx, int si, int64_t start_ms, size_t pi,
    const char *user)
{
	time_t t = (time_t)(start_ms / 1000);
	struct tm tm;
	uint32_t month, v;
	Deskd__Schedule *s;

	if (si < 0)
		return NULL;
	localtime_r(&t, &tm);
	month = (uint32_t)(tm.tm_year + 1900) * 100 + (uint32_t)tm.tm_mon + 1;
	if ((v = schedule_latest(ctx->txn, month)) == 0 ||
	    (s = schedule_get(ctx->txn, month, v)) == NULL)
		return NULL;
	ctx_own_msg(ctx, s);
	for (size_t i = 0; i < s->n_assignments; i++) {
		const Deskd__Assignment *a = s->assignments[i];

		if (a->day == (uint32_t)tm.tm_mday && a->shift == (uint32_t)si &&
		    (user != NULL ? strcmp(a->user, user) == 0 : a->post == pi))
			return a;
	}
	return NULL;
}

/* Who is on shift `si` at post `pi` ("" when nobody is published). */
static const char *
on_duty(struct apply_ctx *ctx, int si, size_t pi, int64_t start_ms)
{
	const Deskd__Assignment *a = assignment_at(ctx, si, start_ms, pi, NULL);

	return a != NULL ? a->user : "";
}

/* The published assignment of `user` in the shift in progress, or NULL. */
static const Deskd__Assignment *
duty_now(struct apply_ctx *ctx, const char *user)
{
	const struct shift_conf *sc = shift_conf_of(ctx->cfg);
	int64_t b = shift_boundary_last(sc, ctx->now_ms);

	return assignment_at(ctx, shift_at(sc, minute_of(b), false), b, 0,
	    user);
}

/* A shift's length (to the next day, for one across midnight). */
static int64_t
shift_len_ms(const struct shift_def *s)
{
	return (int64_t)(((s->end_min - s->start_min + DAY_MIN - 1) %
	    DAY_MIN) + 1) * 60 * 1000;
}

const char *
handover_duty_post(struct apply_ctx *ctx, const char *user, int64_t *ends_ms)
{
	const struct shift_conf *sc = shift_conf_of(ctx->cfg);
	int64_t b = shift_boundary_last(sc, ctx->now_ms);
	int si = shift_at(sc, minute_of(b), false);
	const Deskd__Assignment *a = assignment_at(ctx, si, b, 0, user);

	*ends_ms = 0;
	if (a == NULL || a->post >= sc->nposts)
		return "";
	*ends_ms = b + shift_len_ms(&sc->shifts[si]);
	return sc->posts[a->post];
}

const char *
handover_post_holder(struct apply_ctx *ctx, size_t pi)
{
	const struct shift_conf *sc = shift_conf_of(ctx->cfg);
	int64_t b = shift_boundary_last(sc, ctx->now_ms);

	return on_duty(ctx, shift_at(sc, minute_of(b), false), pi, b);
}

bool
handover_on_duty(struct apply_ctx *ctx, const char *user)
{
	return duty_now(ctx, user) != NULL;
}

const char *
handover_record_post(struct apply_ctx *ctx, const char *named)
{
	const struct shift_conf *sc = shift_conf_of(ctx->cfg);
	const Deskd__Assignment *a;
	int pi;

	if (*named != '\0') {
		if ((pi = post_index(sc, named)) < 0) {
			ctx_fail(ctx, DESKD__STATUS__INVALID_ARGUMENT, "post: "
			    "'%s' is not a post (see [shifts] posts)", named);
			return NULL;
		}
		return sc->posts[pi];
	}
	if (sc->nposts == 1)
		return sc->posts[0];
	/* Looked up once a request: an import's rows all ask (a month's
	 * schedule decoded a row was most of a multi-post import). */
	if (ctx->duty_post != NULL)
		return ctx->duty_post;
	a = duty_now(ctx, ctx->actor);
	ctx->duty_post = a != NULL && a->post < sc->nposts ?
	    sc->posts[a->post] : "";
	return ctx->duty_post;
}

/* B3: what is open now is listed as pending work to follow up. */
static void
pending_add(struct apply_ctx *ctx, Deskd__Handover *h, size_t cap,
    const char *record, const char *text)
{
	Deskd__HandoverPending *p;

	if (h->n_pending == cap)
		return;
	p = ctx_new(ctx, &deskd__handover_pending__descriptor);
	p->n = (uint32_t)h->n_pending + 1;
	p->record = ctx_strdup(ctx, record);
	p->text = ctx_strdup(ctx, text);
	h->pending[h->n_pending++] = p;
}

/* "complaint:3", "3-2-1201 漏水..." */
static void
pending_record(struct apply_ctx *ctx, Deskd__Handover *h, size_t cap,
    const char *kind, uint64_t id, const char *where, const char *what)
{
	char rec[48], text[160];
	size_t n;

	snprintf(rec, sizeof(rec), "%s:%" PRIu64, kind, id);
	n = (size_t)snprintf(text, sizeof(text), "%.60s ", where);
	text_excerpt(text + n, sizeof(text) - n, what, 60);
	pending_add(ctx, h, cap, rec, text);
}

/* B3: a record followed up at `post`, or at no post in particular. */
static bool
at_post(const char *record_post, const char *post)
{
	return *record_post == '\0' || strcmp(record_post, post) == 0;
}

/* An alert is pending where its record is followed up (anywhere, for a
 * record that belongs to no post). */
static bool
alert_at_post(struct apply_ctx *ctx, const Deskd__Alert *a, const char *post)
{
	bool at = true;

	if (a->record_kind == RECORD_COMPLAINT) {
		Deskd__Complaint *c = complaint_get(ctx->txn, a->record_id);

		at = c == NULL || at_post(c->post, post);
		ctx_own_msg(ctx, c);
	} else if (a->record_kind == RECORD_REPAIR) {
		Deskd__WorkOrder *w = repair_get(ctx->txn, a->record_id);

		at = w == NULL || at_post(w->post, post);
		ctx_own_msg(ctx, w);
	} else if (a->record_kind == RECORD_HANDOVER) {
		Deskd__Handover *h = handover_get(ctx->txn, a->record_id);

		at = h == NULL || at_post(h->post, post);
		ctx_own_msg(ctx, h);
	}
	return at;
}

static void
pending_auto(struct apply_ctx *ctx, Deskd__Handover *h)
{
	Deskd__Complaint **cv = NULL;
	Deskd__WorkOrder **wv = NULL;
	Deskd__Alert **av = NULL;
	size_t nc = 0, nw = 0, na = 0, cap = 3 * AUTO_MAX, kept;
	bool more;

	h->pending = ctx_calloc(ctx, cap, sizeof(*h->pending));
	if (kind_page(ctx->txn, area_kind_of(RECORD_COMPLAINT), true, 0,
	    AUTO_SCAN, (void ***)&cv, &nc, &more) != STORE_OK)
		nc = 0;
	if (kind_page(ctx->txn, area_kind_of(RECORD_REPAIR), true, 0,
	    AUTO_SCAN, (void ***)&wv, &nw, &more) != STORE_OK)
		nw = 0;
	if (kind_page(ctx->txn, area_kind_of(RECORD_ALERT), true, 0,
	    AUTO_SCAN, (void ***)&av, &na, &more) != STORE_OK)
		na = 0;
	for (size_t i = kept = 0; i < nc; i++) {
		if (kept < AUTO_MAX && at_post(cv[i]->post, h->post)) {
			pending_record(ctx, h, cap, "complaint", cv[i]->id,
			    cv[i]->unit, cv[i]->text);
			kept++;
		}
		deskd__complaint__free_unpacked(cv[i], NULL);
	}
	for (size_t i = kept = 0; i < nw; i++) {
		if (kept < AUTO_MAX && at_post(wv[i]->post, h->post)) {
			pending_record(ctx, h, cap, "repair", wv[i]->id,
			    wv[i]->unit, wv[i]->text);
			kept++;
		}
		deskd__work_order__free_unpacked(wv[i], NULL);
	}
	for (size_t i = kept = 0; i < na; i++) {
		if (kept < AUTO_MAX && alert_at_post(ctx, av[i], h->post)) {
			pending_record(ctx, h, cap, "alert", av[i]->id,
			    av[i]->record, av[i]->message);
			kept++;
		}
		deskd__alert__free_unpacked(av[i], NULL);
	}
	free(cv);
	free(wv);
	free(av);
}

static Deskd__Handover *
handover_open(struct apply_ctx *ctx, size_t pi, int off, int on,
    int64_t boundary, int64_t late, Deskd__PostChange *pc)
{
	const struct shift_conf *sc = shift_conf_of(ctx->cfg);
	const struct handover_conf *hc = handover_conf_of(ctx->cfg);
	Deskd__Handover *h = ctx_new(ctx, &deskd__handover__descriptor);

	h->id = store_next_id(ctx->txn, RECORD_HANDOVER);
	h->boundary_ms = boundary;
	h->late_ms = late;
	h->post = (char *)sc->posts[pi];
	h->shift_off = (char *)sc->shifts[off].name;
	h->shift_on = (char *)sc->shifts[on].name;
	h->outgoing = pc->off;
	h->incoming = pc->on;
	/* B2: the configured inventory, to be counted. */
	h->items = ctx_calloc(ctx, hc->nitems, sizeof(*h->items));
	for (size_t i = 0; i < hc->nitems; i++) {
		Deskd__HandoverItem *it = ctx_new(ctx,
		    &deskd__handover_item__descriptor);

		it->name = (char *)hc->items[i].name;
		it->expected = hc->items[i].count;
		h->items[h->n_items++] = it;
	}
	pending_auto(ctx, h);
	kind_put(ctx, area_kind_of(RECORD_HANDOVER), &h->base);
	/* H2: unsigned 15 minutes after the boundary, the supervisor hears. */
	clock_arm(ctx, CLOCK_HANDOVER_UNSIGNED, RECORD_HANDOVER, h->id,
	    clock_deadline(ctx, CLOCK_HANDOVER_UNSIGNED, boundary));
	pc->handover_id = h->id;
	return h;
}

int
handover_boundary_fire(struct apply_ctx *ctx, Deskd__Clock *c)
{
	const struct shift_conf *sc = shift_conf_of(ctx->cfg);
	Deskd__ShiftChange *ch = ctx_new(ctx, &deskd__shift_change__descriptor);
	int64_t b = shift_boundary_last(sc, ctx->now_ms), off_start = 0;
	const char *shift_name;
	int off, on, m;
	Deskd__Handover **opened;
	char summary[512], posts[400] = "";
	size_t used = 0, nopened = 0;

	/* Down across several boundaries: only the last one is told, once,
	 * marked late; the shifts in between are over. */
	if (b < c->deadline_ms)
		b = c->deadline_ms;
	m = minute_of(b);
	off = shift_at(sc, m, true);
	on = shift_at(sc, m, false);
	ch->boundary_ms = b;
	ch->late_ms = ctx->now_ms - b;
	ch->shift_off = (char *)(off >= 0 ? sc->shifts[off].name : "");
	ch->shift_on = (char *)(on >= 0 ? sc->shifts[on].name : "");
	/* The outgoing shift began one shift length before the boundary
	 * (the day before, for a shift across midnight). */
	if (off >= 0)
		off_start = b - shift_len_ms(&sc->shifts[off]);
	ch->posts = ctx_calloc(ctx, sc->nposts, sizeof(*ch->posts));
	opened = ctx_calloc(ctx, sc->nposts, sizeof(*opened));
	for (size_t pi = 0; pi < sc->nposts; pi++) {
		Deskd__PostChange *pc = ctx_new(ctx,
		    &deskd__post_change__descriptor);

		pc->post = (char *)sc->posts[pi];
		pc->off = (char *)on_duty(ctx, off, pi, off_start);
		pc->on = (char *)on_duty(ctx, on, pi, b);
		/* B1-B5: a handover only where one shift hands to another. */
		if (off >= 0 && on >= 0)
			opened[nopened++] = handover_open(ctx, pi, off, on, b,
			    ch->late_ms, pc);
		ch->posts[ch->n_posts++] = pc;
		if (used < sizeof(posts))
			used += (size_t)snprintf(posts + used,
			    sizeof(posts) - used, " %s %s -> %s", pc->post,
			    *pc->off ? pc->off : "-", *pc->on ? pc->on : "-");
	}
	if (ch->late_ms < 1000)
		ctx_summary(ctx, summary, sizeof(summary), "%s -> %s:%s",
		    *ch->shift_off ? ch->shift_off : "-",
		    *ch->shift_on ? ch->shift_on : "-", posts);
	else
		ctx_summary(ctx, summary, sizeof(summary), "%s -> %s, late by "
		    "%" PRId64 "s:%s", *ch->shift_off ? ch->shift_off : "-",
		    *ch->shift_on ? ch->shift_on : "-", ch->late_ms / 1000,
		    posts);
	ctx_event_msg(ctx, "shift.changed", 0, 0, "shift", summary, NULL,
	    &ch->base);
	/* Each handover opened is a record of its own: its first event
	 * carries it, as its steps' events do (C9). */
	for (size_t i = 0; i < nopened; i++) {
		Deskd__ShiftChange *hc = ctx_new(ctx,
		    &deskd__shift_change__descriptor);
		Deskd__Handover *h = opened[i];

		hc->boundary_ms = h->boundary_ms;
		hc->shift_off = h->shift_off;
		hc->shift_on = h->shift_on;
		hc->late_ms = h->late_ms;
		hc->handover = h;
		ctx_summary(ctx, summary, sizeof(summary), "%s %s -> %s: "
		    "opened", h->post, h->shift_off, h->shift_on);
		ctx_event_msg(ctx, "handover.opened", RECORD_HANDOVER, h->id,
		    NULL, summary, NULL, &hc->base);
	}
	/* B7: every day on duty is signed, with entries or without; so are
	 * the days that passed while deskd was down (a month's at most). */
	if (on >= 0) {
		uint32_t last = dutylog_day_at(sc, b, &shift_name);
		uint32_t day = dutylog_day_at(sc, c->deadline_ms, &shift_name);

		if (day < att_day_add(last, -31))
			day = att_day_add(last, -31);
		for (; day != 0 && day <= last; day = att_day_add(day, 1))
			dutylog_day_arm(ctx, day);
	}
	c->start_ms = b;
	c->deadline_ms = c->next_ms = shift_boundary_next(sc, ctx->now_ms);
	return 0;
}

void
handover_boundary_arm(struct apply_ctx *ctx)
{
	Deskd__Clock *c;

	if ((c = clock_get(ctx->txn, RECORD_HANDOVER, 0,
	    CLOCK_SHIFT_BOUNDARY)) != NULL) {
		deskd__clock__free_unpacked(c, NULL);
		return;
	}
	clock_arm(ctx, CLOCK_SHIFT_BOUNDARY, RECORD_HANDOVER, 0,
	    shift_boundary_next(shift_conf_of(ctx->cfg), ctx->now_ms));
}

/*
 * Issue 16: the asker's own handover at the end of their shift, blocked
 * by the work still open at their post (B6: finished before handing
 * over) -- what pending_auto will list on it.
 */
static void
boundary_now(struct apply_ctx *ctx, struct now_list *l)
{
	Deskd__NowItem it = DESKD__NOW_ITEM__INIT;
	Deskd__Handover h = DESKD__HANDOVER__INIT;

	if (l->shift_ends_ms == 0)
		return;
	h.post = (char *)l->asker.post;
	pending_auto(ctx, &h);
	it.blocks = ctx_calloc(ctx, h.n_pending + 1, sizeof(char *));
	for (size_t i = 0; i < h.n_pending; i++) {
		char block[256];

		snprintf(block, sizeof(block), "%s %s", h.pending[i]->record,
		    h.pending[i]->text);
		it.blocks[it.n_blocks++] = ctx_strdup(ctx, block);
	}
	it.kind = "handover";
	it.record = "";
	it.due_ms = l->shift_ends_ms;
	it.rule = "B6";
	it.post = h.post;
	it.owner = (char *)ctx->actor;
	it.state = "coming";
	now_offer(ctx, l, &it);
}

static const struct clock_rule boundary_clocks[] = {
	{ CLOCK_SHIFT_BOUNDARY, "A6", R_("change shift"), CLOCK_HOURS(8),
	    .fire = handover_boundary_fire },
	{ CLOCK_HANDOVER_UNSIGNED, "B5", R_("the handover is not signed by both "
	    "sides"), CLOCK_MINUTES(15), .role = "supervisor" },
};

static const struct config_section *const boundary_settings[] = {
	&handover_section,
};

const struct area handover_boundary_area = {
	.name = "handover_boundary",
	.clocks = boundary_clocks,
	.nclocks = nitems(boundary_clocks),
	/* A6: the first start arms the shift boundary; later it re-arms
	 * itself as it fires. */
	.start = handover_boundary_arm,
	.settings = boundary_settings,
	.nsettings = nitems(boundary_settings),
	.now_more = boundary_now,
};
