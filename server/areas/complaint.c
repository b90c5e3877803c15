/*
 * complaint.c - complaints through storage: intake, every step, and
 * the reads (show, list, history).  Rules live in complaint_rules.c.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "area.h"
#include "archive_rules.h"
#include "category_rules.h"
#include "deadline.h"
#include "complaint_report.h"
#include "complaint_rules.h"
#include "config.h"
#include "ctx.h"
#include "refuse.h"
#include "handover.h"
#include "list_rules.h"
#include "now.h"
#include "provenance.h"
#include "reply.h"
#include "vault.h"
#include "visible.h"

static const struct kind complaint_kind;

#define A(x)	DESKD__COMPLAINT_ACTION__ACTION_##x

/* ---------- C8: the categories ([categories]) ---------- */

static void
category_section_defaults(void *block)
{
	category_config_defaults(block);
}

static int
category_section_set(void *block, const char *key, const char *value,
    char *err, size_t errlen)
{
	return category_config_set(block, key, value, err, errlen);
}

static void
category_usage(FILE *f)
{
	fprintf(f, "  --category CODE=NAME   C8: a complaint category of the "
	    "office's own, or a\n                         default's name "
	    "changed; map=TEXT:CODE,... maps an\n                         "
	    "import's free text; repeatable ([categories]:\n"
	    "                         noise=噪音 cleaning=卫生 ... "
	    "other=其他)\n");
}

/* [categories]; --category is any of its lines (C8). */
static const struct config_section category_section = {
	.name = "categories",
	.size = sizeof(struct category_conf),
	.defaults = category_section_defaults,
	.set = category_section_set,
	.flag = "category",
	.flag_form = "CODE=NAME or map=TEXT:CODE,...",
	.usage = category_usage,
	.usage_rank = 35,
};

static const struct category_conf *
categories(const struct apply_ctx *ctx)
{
	return config_section(ctx->cfg, &category_section);
}

/* The list, for the desk's menu and `desk categories` (C8). */
static Deskd__Status
category_list_apply(struct apply_ctx *ctx, const Deskd__Request *req)
{
	const struct category_conf *cc = categories(ctx);
	ProtobufCMessage **list;

	(void)req;
	list = ctx_calloc(ctx, cc->ncats ? cc->ncats : 1, sizeof(*list));
	for (size_t i = 0; i < cc->ncats; i++) {
		Deskd__Category *c = ctx_new(ctx, &deskd__category__descriptor);

		c->code = (char *)cc->cats[i].code;
		c->name = (char *)cc->cats[i].name;
		list[i] = &c->base;
	}
	return reply_page(ctx, DESKD__RESPONSE__BODY_CATEGORIES, list,
	    cc->ncats, false);
}

/* What a complaint list is narrowed to: list_rules' filter and a
 * category's code (NULL: any). */
struct complaint_filter {
	struct list_filter	 f;
	const struct category_conf *cc;
	const char		*category;
};

static bool
complaint_kept(struct apply_ctx *ctx, const ProtobufCMessage *m,
    const void *arg)
{
	const Deskd__Complaint *c = (const Deskd__Complaint *)m;
	const struct complaint_filter *cf = arg;

	(void)ctx;
	return list_filter_matches(&cf->f, c->unit, list_record_day(
	    c->created_ms, c->reported_ms), (int)c->status, -1) &&
	    (cf->category == NULL || strcmp(category_counted_as(cf->cc,
	    c->category), cf->category) == 0);
}

/* A page of complaints, narrowed by the request's filters (issue 16). */
static Deskd__Status
complaint_list_apply(struct apply_ctx *ctx, const Deskd__Request *req)
{
	const Deskd__ComplaintList *l = req->complaint_list;
	struct complaint_filter cf = { .cc = categories(ctx) };

	if (list_filter_read(&cf.f, l->unit, l->from_day, l->to_day,
	    &deskd__complaint_status__descriptor, l->status, NULL, "",
	    ctx->msg, sizeof(ctx->msg)) != DESKD__STATUS__OK ||
	    (*l->category && category_resolve(cf.cc, l->category, false,
	    &cf.category, ctx->msg, sizeof(ctx->msg)) != DESKD__STATUS__OK))
		return DESKD__STATUS__INVALID_ARGUMENT;
	return kind_list_kept(ctx, &complaint_kind, l->open_only, l->after_id,
	    l->limit, complaint_kept, &cf);
}

/* C8: the month's report, counted by category of this office's list. */
static Deskd__Status
complaint_report_apply(struct apply_ctx *ctx, const Deskd__Request *req)
{
	return complaint_report(ctx, req->complaint_report, categories(ctx));
}

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

static Deskd__Status
complaint_new_check(const Deskd__Request *req, char *msg, size_t len)
{
	return complaint_new_validate(req->complaint_new, msg, len);
}

/* One template a step, so that a desk can say each in its language. */
static void
step_summary(struct apply_ctx *ctx, char *out, size_t len,
    const Deskd__ComplaintStep *s)
{
	char text[160];

	text_excerpt(text, sizeof(text), s->text, 40);
	switch (s->action) {
	case DESKD__COMPLAINT_ACTION__ACTION_ASSIGN:
		ctx_summary(ctx, out, len, "assigned to %s%s%s", s->dept,
		    *s->dept && *s->person ? " / " : "", s->person);
		break;
	case DESKD__COMPLAINT_ACTION__ACTION_VALID:
		ctx_summary(ctx, out, len, "judged valid");
		break;
	case DESKD__COMPLAINT_ACTION__ACTION_INVALID:
		ctx_summary(ctx, out, len, "invalidated: %s", text);
		break;
	case DESKD__COMPLAINT_ACTION__ACTION_REPLY:
		ctx_summary(ctx, out, len, "replied: %s", text);
		break;
	case DESKD__COMPLAINT_ACTION__ACTION_RESOLVE:
		ctx_summary(ctx, out, len, "resolved: %s", text);
		break;
	case DESKD__COMPLAINT_ACTION__ACTION_REVISIT:
		ctx_summary(ctx, out, len, "revisited (%u/5): %s",
		    s->satisfaction, text);
		break;
	case DESKD__COMPLAINT_ACTION__ACTION_ESCALATE:
		ctx_summary(ctx, out, len, "escalated: %s", text);
		break;
	case DESKD__COMPLAINT_ACTION__ACTION_APPEAL:
		ctx_summary(ctx, out, len, "appealed: %s", text);
		break;
	case DESKD__COMPLAINT_ACTION__ACTION_NOTE:
		ctx_summary(ctx, out, len, "noted: %s", text);
		break;
	default:
		ctx_summary(ctx, out, len, "changed: %s", text);
		break;
	}
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
	/* Stored for the first time (intake_store's blank `was`, revision
	 * 0), a complaint has no clock yet to stop: an import closed by its
	 * steps looked both up for nothing, a row of a closed history. */
	bool fresh = was->revision == 0;

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
	else if (now->status == DESKD__COMPLAINT_STATUS__STATUS_CLOSED &&
	    !fresh) {
		clock_stop(ctx, CLOCK_COMPLAINT_REPLY, RECORD_COMPLAINT, now->id);
		clock_stop(ctx, CLOCK_COMPLAINT_REVISIT, RECORD_COMPLAINT,
		    now->id);
	}
}

/*
 * C5 intake, shared by ComplaintNew and the bulk import (issue 6): the
 * checks, then the new complaint into *out, not yet stored (intake_store).
 * Refused: nothing written.
 */
static Deskd__Status
intake(struct apply_ctx *ctx, const Deskd__ComplaintNew *n,
    Deskd__Complaint **out)
{
	const char *post = handover_record_post(ctx, n->post);
	const char *category;
	Deskd__Complaint *c = NULL;
	Deskd__Status st;

	if (post == NULL)
		return DESKD__STATUS__INVALID_ARGUMENT;
	/* C8: one of the list, stored as its code so it counts as one; an
	 * import's free text through the table. */
	if ((st = category_resolve(categories(ctx), n->category, ctx->import != NULL,
	    &category, ctx->msg, sizeof(ctx->msg))) != DESKD__STATUS__OK)
		return st;
	/* E6: a unit of the archive (near matches otherwise); none for an
	 * employee's complaint about no unit (C5). */
	if (*n->unit &&
	    (st = archive_unit_check(ctx, n->unit)) != DESKD__STATUS__OK)
		return st;
	*out = c = ctx_new(ctx, &deskd__complaint__descriptor);
	c->post = (char *)post;
	c->source = *n->source ? n->source : "customer";
	c->unit = n->unit;
	c->complainant = n->complainant;
	/* The context's copy: the reply masks it in place. */
	c->phone = ctx_strdup(ctx, n->phone);
	c->channel = *n->channel ? n->channel : "phone";
	c->category = (char *)category;
	c->event_time_ms = n->event_time_ms ? n->event_time_ms : ctx->now_ms;
	c->text = n->text;
	c->demand = n->demand;
	/* C2/C3: whatever it turns out to be, a reply is owed within 2 h. */
	c->reply_due_ms = clock_deadline(ctx, CLOCK_COMPLAINT_REPLY,
	    ctx->now_ms);
	c->first_due_ms = c->reply_due_ms;
	/* C9: whoever records it, now -- an import too (the file's own
	 * author and date are only reported_by/reported_ms). */
	c->created_ms = ctx->now_ms;
	c->created_by = (char *)ctx->actor;
	c->updated_ms = ctx->now_ms;
	c->revision = 1;
	return DESKD__STATUS__OK;
}

/* A complaint from intake (and an import's steps) stored, with its
 * clocks and its event. */
static void
intake_store(struct apply_ctx *ctx, Deskd__Complaint *c)
{
	Deskd__Complaint none = DESKD__COMPLAINT__INIT;
	char summary[512], text[160];

	c->id = store_next_id(ctx->txn, RECORD_COMPLAINT);
	kind_add(ctx, &complaint_kind, &c->base);
	none.id = c->id;
	sync_clocks(ctx, &none, c);
	text_excerpt(text, sizeof(text), c->text, 40);
	text_join(summary, sizeof(summary), (const char *const[]){ c->unit,
	    " ", c->complainant, " [", c->category, "] ", text }, 7);
	ctx_event(ctx, ctx->import ? "complaint.imported" :
	    "complaint.created", RECORD_COMPLAINT, c->id, summary, NULL, c,
	    NULL);
}

static Deskd__Status
complaint_new_apply(struct apply_ctx *ctx, const Deskd__Request *req)
{
	Deskd__Complaint *c = NULL;
	Deskd__Status st;

	if ((st = intake(ctx, req->complaint_new, &c)) != DESKD__STATUS__OK)
		return st;
	intake_store(ctx, c);
	return reply_complaint(ctx, c);
}

#define IMPORT_STEPS_MAX	7

/*
 * The steps a desk would have taken to bring a complaint to the state an
 * imported row says it is in (issue 11), each with the row's field that
 * asks for it; a field no step sets is refused in *why.  How many steps.
 */
static size_t
import_steps(const Deskd__Complaint *in, Deskd__ComplaintStep *s,
    const char **field, const char **why)
{
	bool valid = in->validity == DESKD__VALIDITY__VALIDITY_VALID;
	bool invalid = in->validity == DESKD__VALIDITY__VALIDITY_INVALID;
	size_t n = 0;

	*why = NULL;
	if (*in->invalid_reason && !invalid)
		*why = R_("invalid_reason: only with validity invalid");
	else if (*in->ruling && in->level !=
	    DESKD__ESCALATION_LEVEL__LEVEL_GENERAL_MANAGER)
		*why = R_("ruling: only with level general manager (C7)");
	else if ((*in->revisit_result || in->satisfaction) &&
	    in->status != DESKD__COMPLAINT_STATUS__STATUS_CLOSED)
		*why = R_("revisit_result: only with status closed (C4)");
	if (*why != NULL)
		return 0;
	for (size_t i = 0; i < IMPORT_STEPS_MAX; i++)
		deskd__complaint_step__init(&s[i]);
	if (*in->responsible_dept || *in->responsible_person) {
		field[n] = "responsible_dept";
		s[n].action = A(ASSIGN);
		s[n].dept = in->responsible_dept;
		s[n++].person = in->responsible_person;
	}
	if (valid || invalid) {
		field[n] = "validity";
		s[n].action = valid ? A(VALID) : A(INVALID);
		s[n++].text = in->invalid_reason;
	}
	if (in->level != DESKD__ESCALATION_LEVEL__LEVEL_DESK) {
		field[n] = "level";
		s[n].action = A(ESCALATE);
		s[n++].text = "escalated before the import";
	}
	if (in->level == DESKD__ESCALATION_LEVEL__LEVEL_GENERAL_MANAGER) {
		field[n] = "ruling";
		s[n].action = A(APPEAL);
		s[n++].text = in->ruling;
	}
	/* Open: the latest reply; resolved or closed and valid: the
	 * resolution, then (closed) the revisit; closed and invalid: the
	 * reply that closed it (C3). */
	if (*in->result && (in->status == DESKD__COMPLAINT_STATUS__STATUS_OPEN ||
	    invalid)) {
		field[n] = "result";
		s[n].action = A(REPLY);
		s[n].text = in->result;
		s[n++].next_reply_ms = in->reply_due_ms;
	} else if (in->status != DESKD__COMPLAINT_STATUS__STATUS_OPEN &&
	    !invalid) {
		field[n] = *in->result ? "status" : "result";
		s[n].action = A(RESOLVE);
		s[n++].text = in->result;
	}
	if (in->status == DESKD__COMPLAINT_STATUS__STATUS_CLOSED && !invalid) {
		field[n] = "revisit_result";
		s[n].action = A(REVISIT);
		s[n].text = in->revisit_result;
		s[n++].satisfaction = in->satisfaction;
	}
	return n;
}

/*
 * Bulk import: the row is taken as a desk would have recorded it by hand
 * (issue 11, C7, C9): intake, then each step its state implies, each
 * allowed to the importer and checked by the very rules of
 * ComplaintStep.  What no step can set (id, revisions, deskd's own times)
 * is deskd's; the file's author and date are kept as reported.
 */
/* The time the replayed replies stamp, kept as the row gives it. */
static const char *const step_times[] = { "last_reply_ms", NULL };

static Deskd__Status
complaint_import(struct apply_ctx *ctx, const struct kind *k, ProtobufCMessage *m,
    bool dry, uint64_t *id)
{
	(void)k;
	Deskd__Complaint *in = (Deskd__Complaint *)m;
	Deskd__ComplaintNew n = DESKD__COMPLAINT_NEW__INIT;
	Deskd__ComplaintStep steps[IMPORT_STEPS_MAX];
	Deskd__Request req = DESKD__REQUEST__INIT;
	const char *field[IMPORT_STEPS_MAX], *why;
	Deskd__Complaint *c;
	Deskd__Status st;
	size_t nsteps;

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
	    (st = intake(ctx, &n, &c)) != DESKD__STATUS__OK)
		return st;
	nsteps = import_steps(in, steps, field, &why);
	if (why != NULL)
		return ctx_fail(ctx, DESKD__STATUS__INVALID_ARGUMENT, "%s", why);
	req.body_case = DESKD__REQUEST__BODY_COMPLAINT_STEP;
	for (size_t i = 0; i < nsteps; i++) {
		req.complaint_step = &steps[i];
		if ((st = ctx_allows(ctx, &req)) != DESKD__STATUS__OK ||
		    (st = complaint_check_step(c, &steps[i], ctx->now_ms,
		    ctx->msg, sizeof(ctx->msg))) != DESKD__STATUS__OK)
			return import_step_refused(ctx, field[i], st);
		complaint_apply_step(c, &steps[i], ctx->now_ms);
	}
	if (c->status != in->status)
		return ctx_fail(ctx, DESKD__STATUS__INVALID_ARGUMENT, "status: "
		    "its steps leave the complaint %s, not %s",
		    complaint_status_name(c->status),
		    complaint_status_name(in->status));
	import_step_times(&c->base, &in->base, step_times);
	/* The file does not say when the first reply was owed or given: the
	 * report counts it as not known (C8), not as answered on import. */
	c->first_due_ms = c->first_reply_ms = 0;
	import_provenance(ctx, &c->base, &in->base);
	/* The steps are checked, not logged: the record has one event,
	 * complaint.imported (C9: revision counts its history). */
	c->revision = 1;
	if (!dry)
		intake_store(ctx, c);
	*id = dry ? 0 : c->id;
	return DESKD__STATUS__OK;
}

static Deskd__Status
complaint_step_apply(struct apply_ctx *ctx, const Deskd__Request *req)
{
	const Deskd__ComplaintStep *s = req->complaint_step;
	Deskd__Complaint *stored, *next;
	char summary[512];
	Deskd__Status st;

	if ((st = kind_load(ctx, &complaint_kind, s->id,
	    (ProtobufCMessage **)&stored)) != DESKD__STATUS__OK)
		return st;
	if ((st = complaint_check_step(stored, s, ctx->now_ms, ctx->msg,
	    sizeof(ctx->msg))) != DESKD__STATUS__OK)
		return st;
	/* A shallow copy: stored keeps its own strings for freeing, next may
	 * point at the request's. */
	next = ctx_new(ctx, &deskd__complaint__descriptor);
	*next = *stored;
	complaint_apply_step(next, s, ctx->now_ms);
	kind_put(ctx, &complaint_kind, &next->base);
	sync_clocks(ctx, stored, next);
	step_summary(ctx, summary, sizeof(summary), s);
	ctx_event(ctx, complaint_event_type(s->action), RECORD_COMPLAINT,
	    next->id, summary, s->text, next, NULL);
	return reply_complaint(ctx, next);
}

/* C7: only the director gives the final ruling on an appeal. */
static enum perm_op
complaint_step_op(const Deskd__Request *req, enum perm_op op)
{
	return req->complaint_step->action ==
	    DESKD__COMPLAINT_ACTION__ACTION_APPEAL ? OP_COMPLAINT_RULE : op;
}

/* C5/E6: an employee's complaint is read by those who handle them. */
static bool
complaint_visible(const struct apply_ctx *ctx, const ProtobufCMessage *m)
{
	return complaint_readable_by(ctx->role, (const Deskd__Complaint *)m);
}

static bool
complaint_open(const ProtobufCMessage *m)
{
	return ((const Deskd__Complaint *)m)->status !=
	    DESKD__COMPLAINT_STATUS__STATUS_CLOSED;
}

static size_t
complaint_tally_keys(const ProtobufCMessage *m, struct tally_key *k,
    size_t max)
{
	return complaint_tally((const Deskd__Complaint *)m, k, max);
}

static const struct kind complaint_kind = {
	.name = "complaint", .rec = RECORD_COMPLAINT,
	.d = &deskd__complaint__descriptor, .db = DB_COMPLAINTS,
	.prefix = -1, .write = OP_COMPLAINT_WRITE,
	.read = OP_COMPLAINT_READ,
	.export = OP_COMPLAINT_WRITE, .import = complaint_import,
	.numbers = true, .shown = kind_contacts_shown,
	.shown_packed = kind_contacts_shown_packed,
	.visible = complaint_visible,
	.hidden_why = R_("is internal (an employee's): read by those who "
	    "handle complaints"),
	.one = DESKD__RESPONSE__BODY_COMPLAINT,
	.open = DB_COMPLAINTS_OPEN,
	.page = DESKD__RESPONSE__BODY_COMPLAINT_LIST,
	.is_open = complaint_open, .history = HISTORY_PER_REVISION,
	.tally = complaint_tally_keys,
	.tally_version = COMPLAINT_TALLY_VERSION
};

/* Issue 16: its reply owed (C2; once the first is given, the time agreed
 * for the next: a call-back) and its revisit (C4). */
static void
complaint_described(struct apply_ctx *ctx, const ProtobufCMessage *m,
    const Deskd__Clock *clock, struct now_record *r)
{
	const Deskd__Complaint *c = (const Deskd__Complaint *)m;

	r->title = now_title(ctx, c->text);
	r->unit = c->unit;
	r->phone = c->phone;
	r->post = c->post;
	r->state = complaint_status_name(c->status);
	if (clock != NULL && c->first_reply_ms != 0 &&
	    strcmp(clock->name, CLOCK_COMPLAINT_REPLY) == 0)
		r->kind = "callback";
}

static const struct now_clock complaint_now_clocks[] = {
	{ CLOCK_COMPLAINT_REPLY, "complaint.reply", "C2" },
	{ CLOCK_COMPLAINT_REVISIT, "complaint.revisit", "C4" },
};

static const struct now_rule complaint_now = {
	.kind = &complaint_kind, .clocks = complaint_now_clocks,
	.nclocks = nitems(complaint_now_clocks),
	.describe = complaint_described,
};

static const struct kind *const complaint_kinds[] = {
	&complaint_kind, NULL
};

static const struct request_row complaint_requests[] = {
	{ REQUEST(COMPLAINT_NEW, "complaint new"), .op = OP_COMPLAINT_WRITE,
	    .check = complaint_new_check, .apply = complaint_new_apply },
	{ REQUEST(COMPLAINT_STEP, "complaint step"), .op = OP_COMPLAINT_WRITE,
	    .op_of = complaint_step_op, .apply = complaint_step_apply },
	{ REQUEST(COMPLAINT_GET, "complaint show"), .op = OP_COMPLAINT_READ,
	    .apply = kind_get_apply, .kind = &complaint_kind },
	{ REQUEST(COMPLAINT_LIST, "complaint list"), .op = OP_COMPLAINT_READ,
	    .apply = complaint_list_apply, .kind = &complaint_kind },
	{ REQUEST(COMPLAINT_HISTORY, "complaint history"),
	    .op = OP_COMPLAINT_READ, .apply = kind_history_apply,
	    .kind = &complaint_kind },
	{ REQUEST(CATEGORY_LIST, "categories"), .op = OP_COMPLAINT_READ,
	    .apply = category_list_apply },
	{ REQUEST(COMPLAINT_REPORT, "report complaints"),
	    .op = OP_COMPLAINT_READ, .apply = complaint_report_apply },
};

static const struct config_section *const complaint_settings[] = {
	&category_section,
};

static const struct clock_rule complaint_clocks[] = {
	{ CLOCK_COMPLAINT_REPLY, "C2/C3", R_("reply to the complainant and agree "
	    "the time of the next reply"), CLOCK_HOURS(2), .help = "2h",
	    .help_rank = 20 },
	{ CLOCK_COMPLAINT_REVISIT, "C4", R_("revisit the complainant"), 0, 2,
	    .help = "2wd", .help_rank = 30 },
};

/* Every desk's, but an engineer gets the complaints they may read
 * (not an employee's, C5). */
static const struct event_rule complaint_events[] = {
	{ .prefix = "complaint.", .op = OP_WATCH, .narrowed = visible_narrowed,
	    .check = visible_event },
};

static const struct quota_rule complaint_quotas[] = {
	{ "C2", complaint_reply_quota },
	{ "C4", complaint_revisit_quota },
};

/* C8: the counts follow what a complaint counts as; made again from the
 * records when that changed (or on a store from before them). */
static void
complaint_start(struct apply_ctx *ctx)
{
	kind_tally_rebuild(ctx, &complaint_kind);
}

const struct area complaint_area = {
	.name = "complaint",
	.start = complaint_start,
	.requests = complaint_requests,
	.nrequests = nitems(complaint_requests),
	.clocks = complaint_clocks,
	.nclocks = nitems(complaint_clocks),
	.settings = complaint_settings,
	.nsettings = nitems(complaint_settings),
	.kinds = complaint_kinds,
	.events = complaint_events,
	.nevents = nitems(complaint_events),
	.quotas = complaint_quotas,
	.nquotas = nitems(complaint_quotas),
	.now = &complaint_now,
};
