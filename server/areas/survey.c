/*
 * survey.c - surveys (issue 15: F2, F3) as registers of their own: a
 * campaign (问卷调查) with its questions, opened by a supervisor before
 * June and before December; its hand-outs, one an occupied unit of the
 * owner archive (F2: 100 % of occupancy); its returns, one a unit that
 * got one, counted when back within 15 working days of the opening (F3),
 * kept and flagged late after; and the tally (问卷结果统计表) per question
 * and per building.  survey_rules.c has the pure rules.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "archive_rules.h"
#include "area.h"
#include "calendar.h"
#include "deadline.h"
#include "register.h"
#include "reply.h"
#include "store.h"
#include "refuse.h"
#include "survey_rules.h"

/* Numbered here, not in storage's enum: stored in the keys, never reused
 * (43, 44 key its indexes). */
#define RECORD_SURVEY		((enum record_kind)40)
#define RECORD_SURVEY_HANDOUT	((enum record_kind)41)
#define RECORD_SURVEY_RETURN	((enum record_kind)42)
/* No records of these: the keys "SURVEY/UNIT" of the hand-outs and the
 * returns (their ids), so that a unit's is found without reading every
 * one (an office of 50,000 units hands out as many twice a year). */
#define INDEX_SURVEY_HANDOUT	((enum record_kind)43)
#define INDEX_SURVEY_RETURN	((enum record_kind)44)

/* F2: the supervisor hears when no campaign was opened before June or
 * December (on RECORD_SURVEY, id 0); F3: at a campaign's window end, when
 * fewer than half of those handed out came back. */
#define CLOCK_SURVEY_DUE	"survey.due"
#define CLOCK_SURVEY_WINDOW	"survey.window"

/* The comments of a text question a tally shows, at most. */
#define TALLY_COMMENTS_MAX	100

static const struct reg_def survey_def, handout_def, return_def;

/* The campaign, owned by ctx, or NULL after ctx_fail. */
static Deskd__Survey *
survey_of(struct apply_ctx *ctx, uint64_t id)
{
	Deskd__Survey *s;

	if ((s = register_get(ctx->txn, RECORD_SURVEY, id,
	    survey_def.d)) == NULL) {
		ctx_fail(ctx, DESKD__STATUS__NOT_FOUND, "survey: no survey %"
		    PRIu64 " (desk survey list)", id);
		return NULL;
	}
	ctx_own_msg(ctx, s);
	return s;
}

/* ---------- F2: the campaign ---------- */

static Deskd__Status
survey_check(struct reg_op *op)
{
	struct apply_ctx *ctx = op->ctx;
	Deskd__Survey *s = (Deskd__Survey *)op->entry;
	int64_t end;

	/* F2: a campaign is the department's plan, as the fire duties' and
	 * training's are (the supervisor's or above). */
	if (!perm_allows(ctx->role, OP_FIRE_PLAN))
		return ctx_fail(ctx, DESKD__STATUS__PERMISSION_DENIED, "a "
		    "survey campaign is opened by a supervisor or above (F2)");
	if (s->n_questions == 0)
		return ctx_fail(ctx, DESKD__STATUS__INVALID_ARGUMENT,
		    "questions: required, scored 1-5 or free text (\"%s...\")",
		    SURVEY_TEXT_PREFIX);
	if (s->n_questions > SURVEY_QUESTIONS_MAX)
		return ctx_fail(ctx, DESKD__STATUS__INVALID_ARGUMENT,
		    "questions: %zu, at most %d", s->n_questions,
		    SURVEY_QUESTIONS_MAX);
	for (size_t i = 0; i < s->n_questions; i++) {
		const char *q = s->questions[i];

		if (!*q || (survey_question_text(q) &&
		    !q[strlen(SURVEY_TEXT_PREFIX)]))
			return ctx_fail(ctx, DESKD__STATUS__INVALID_ARGUMENT,
			    "questions: question %zu is empty", i + 1);
	}
	/* F3: 15 working days on the office's calendar, whatever [clocks]
	 * says (the clock only raises the alert at the end). */
	end = survey_window_end(clock_calendar(), ctx->now_ms,
	    SURVEY_WINDOW_WORKDAYS);
	if (end == CALENDAR_ERROR)
		return ctx_fail(ctx, DESKD__STATUS__INTERNAL, "no window end "
		    "for now on the calendar");
	s->window_end_ms = end;
	s->due_ms = survey_due_ms(ctx->now_ms);
	return DESKD__STATUS__OK;
}

static bool
answers_due(const ProtobufCMessage *m, const void *arg)
{
	return ((const Deskd__Survey *)m)->due_ms == *(const int64_t *)arg;
}

/* Keeps none: notes the latest due date in *arg (an int64_t of ours). */
static bool
latest_due(const ProtobufCMessage *m, const void *arg)
{
	int64_t *due = (int64_t *)arg;

	if (((const Deskd__Survey *)m)->due_ms > *due)
		*due = ((const Deskd__Survey *)m)->due_ms;
	return false;
}

/*
 * F2: the reminder runs to the next due date (the midnight starting June
 * or December) no campaign answers: from the one it runs to (kept while
 * deskd was down, so a date missed meanwhile still alerts, once), moved
 * past the latest campaign's.  Armed at start and at every opening.
 */
static void
due_clock(struct apply_ctx *ctx)
{
	Deskd__Clock *c = clock_get(ctx->txn, RECORD_SURVEY, 0,
	    CLOCK_SURVEY_DUE);
	int64_t due = c != NULL ? c->deadline_ms : survey_due_ms(ctx->now_ms);
	int64_t latest = 0;
	size_t n;

	if (c != NULL)
		ctx_own_msg(ctx, c);
	reg_all(ctx, &survey_def, false, latest_due, &latest, &n);
	if (latest > due)
		due = latest;
	for (;;) {
		reg_all(ctx, &survey_def, false, answers_due, &due, &n);
		if (n == 0)
			break;
		due = survey_due_ms(due);
	}
	if (c == NULL || c->deadline_ms != due)
		clock_arm(ctx, CLOCK_SURVEY_DUE, RECORD_SURVEY, 0, due);
}

static void
survey_opened(struct reg_op *op)
{
	const Deskd__Survey *s = (const Deskd__Survey *)op->entry;

	clock_arm(op->ctx, CLOCK_SURVEY_WINDOW, RECORD_SURVEY, op->id,
	    s->window_end_ms);
	due_clock(op->ctx);
}

static const struct reg_def survey_def = {
	.rec = RECORD_SURVEY, .name = RC_("record", "survey"),
	.d = &deskd__survey__descriptor, .rules = "F2, F3",
	.required = "title", .summary = "title",
	.added = "opened", .start = "open", .open = "open",
	.check = survey_check, .effect = survey_opened,
};

/* ---------- F2: hand-outs ---------- */

static bool
is_of_survey(const ProtobufCMessage *m, const void *arg)
{
	return (uint64_t)reg_int(m, "survey") == *(const uint64_t *)arg;
}

/* The hand-outs or returns (def) of a survey. */
static ProtobufCMessage **
of_survey(struct apply_ctx *ctx, const struct reg_def *def, uint64_t survey,
    size_t *n)
{
	return reg_all(ctx, def, false, is_of_survey, &survey, n);
}

static bool
lives_in(Deskd__UnitStatus st)
{
	return st == DESKD__UNIT_STATUS__UNIT_OCCUPIED ||
	    st == DESKD__UNIT_STATUS__UNIT_LET;
}

/* The hand-out or return (index) of a unit in a survey: its id, or 0. */
static uint64_t
unit_entry(struct apply_ctx *ctx, enum record_kind index, uint64_t survey,
    const char *unit)
{
	char key[STORE_REF_MAX];

	snprintf(key, sizeof(key), "%" PRIu64 "/%s", survey, unit);
	return ref_lookup(ctx->txn, index, key);
}

static void
unit_entry_put(struct reg_op *op, enum record_kind index)
{
	char key[STORE_REF_MAX];

	snprintf(key, sizeof(key), "%" PRId64 "/%s", reg_int(op->entry,
	    "survey"), reg_str(op->entry, "unit"));
	ref_put(op->ctx->txn, index, key, op->id);
}

/* F2: to an occupied unit of the archive, once a campaign. */
static Deskd__Status
handout_check(struct reg_op *op)
{
	struct apply_ctx *ctx = op->ctx;
	const Deskd__SurveyHandout *h = (const Deskd__SurveyHandout *)op->entry;
	Deskd__Unit *u;
	uint64_t same;

	if (survey_of(ctx, h->survey) == NULL)
		return DESKD__STATUS__NOT_FOUND;
	if ((u = unit_by_code(ctx->txn, h->unit)) == NULL)
		return ctx_fail(ctx, DESKD__STATUS__NOT_FOUND, "unit: '%s' is "
		    "not in the owner archive: surveys go to its occupied "
		    "units (F2)", h->unit);
	ctx_own_msg(ctx, u);
	if (!lives_in(u->status))
		return ctx_fail(ctx, DESKD__STATUS__CONFLICT, "unit: '%s' is "
		    "not occupied in the owner archive (%s): surveys go to "
		    "households (F2)", h->unit, unit_status_name(u->status));
	if ((same = unit_entry(ctx, INDEX_SURVEY_HANDOUT, h->survey,
	    h->unit)) != 0)
		return ctx_fail(ctx, DESKD__STATUS__CONFLICT, "unit: '%s' got "
		    "survey %" PRIu64 " already (survey-handout %" PRIu64 ")",
		    h->unit, h->survey, same);
	return DESKD__STATUS__OK;
}

static void
handed_out(struct reg_op *op)
{
	unit_entry_put(op, INDEX_SURVEY_HANDOUT);
}

static const struct reg_def handout_def = {
	.rec = RECORD_SURVEY_HANDOUT, .name = RC_("record", "survey-handout"),
	.d = &deskd__survey_handout__descriptor, .rules = "F2",
	.required = "survey unit", .summary = "survey unit",
	.added = "handed-out", .start = "out", .open = "out",
	.check = handout_check, .effect = handed_out,
};

/* F2: every occupied unit without a hand-out yet gets one, as if handed
 * out one by one at the desk (a check, an entry, an event each). */
struct to_all {
	struct apply_ctx	*ctx;
	uint64_t		 survey;
	bool			 dry;
	Deskd__SurveyHandoutAllReply *r;
	Deskd__Status		 st;
};

static int
hand_out_to(const Deskd__Unit *u, void *arg)
{
	struct to_all *a = arg;
	Deskd__SurveyHandout *h;
	ProtobufCMessage *out;

	if (!a->dry)
		a->r->target++;
	if (unit_entry(a->ctx, INDEX_SURVEY_HANDOUT, a->survey, u->code) !=
	    0) {
		if (!a->dry)
			a->r->already++;
		return 0;
	}
	h = ctx_new(a->ctx, &deskd__survey_handout__descriptor);
	h->survey = a->survey;
	h->unit = ctx_strdup(a->ctx, u->code);
	a->st = a->dry ? reg_add_made_check(a->ctx, &handout_def, &h->base) :
	    reg_add_made(a->ctx, &handout_def, &h->base, &out);
	if (a->st != DESKD__STATUS__OK)
		return 1;
	if (!a->dry)
		a->r->handed_out++;
	return 0;
}

static Deskd__Status
handout_all_apply(struct apply_ctx *ctx, const Deskd__Request *req)
{
	struct to_all a = { ctx, req->survey_handout_all->survey, true, NULL,
	    DESKD__STATUS__OK };

	if (survey_of(ctx, a.survey) == NULL)
		return DESKD__STATUS__NOT_FOUND;
	/* Every unit checked before the first is written: a refusal stores
	 * nothing. */
	unit_occupied(ctx->txn, hand_out_to, &a);
	if (a.st != DESKD__STATUS__OK)
		return a.st;
	a.dry = false;
	a.r = ctx_new(ctx, &deskd__survey_handout_all_reply__descriptor);
	a.r->survey = a.survey;
	unit_occupied(ctx->txn, hand_out_to, &a);
	if (a.st != DESKD__STATUS__OK)
		return a.st;
	return reply_with(ctx, DESKD__RESPONSE__BODY_SURVEY_HANDOUT_ALL, a.r);
}

/* ---------- F3: returns ---------- */

/* F3: from a unit it was handed to, once, its answers fitting the
 * questions; back after the window it is kept, late, and not counted. */
static Deskd__Status
return_check(struct reg_op *op)
{
	struct apply_ctx *ctx = op->ctx;
	Deskd__SurveyReturn *r = (Deskd__SurveyReturn *)op->entry;
	Deskd__Survey *s;
	uint64_t same;
	char why[160];

	if ((s = survey_of(ctx, r->survey)) == NULL)
		return DESKD__STATUS__NOT_FOUND;
	if (unit_entry(ctx, INDEX_SURVEY_HANDOUT, r->survey, r->unit) == 0)
		return ctx_fail(ctx, DESKD__STATUS__CONFLICT, "unit: '%s' "
		    "never got survey %" PRIu64 ": a return comes from a unit "
		    "it was handed to (desk survey handout); nothing stored "
		    "(F3)", r->unit, r->survey);
	if ((same = unit_entry(ctx, INDEX_SURVEY_RETURN, r->survey,
	    r->unit)) != 0)
		return ctx_fail(ctx, DESKD__STATUS__CONFLICT, "unit: '%s' "
		    "returned survey %" PRIu64 " already (survey-return %"
		    PRIu64 "); nothing stored (F3)", r->unit, r->survey, same);
	if (survey_answers_check(s->questions, s->n_questions, r->scores,
	    r->n_scores, r->n_comments, why, sizeof(why)) != 0)
		return ctx_fail(ctx, DESKD__STATUS__INVALID_ARGUMENT, "%s",
		    why);
	if (r->returned_ms == 0)
		r->returned_ms = ctx->now_ms;
	if (r->returned_ms > ctx->now_ms)
		return ctx_fail(ctx, DESKD__STATUS__INVALID_ARGUMENT,
		    "returned: in the future");
	if (r->returned_ms < s->created_ms)
		return ctx_fail(ctx, DESKD__STATUS__INVALID_ARGUMENT,
		    "returned: before survey %" PRIu64 " was opened",
		    r->survey);
	r->late = survey_late(r->returned_ms, s->window_end_ms);
	if (r->late)
		reg_set_str(op->entry, "state", "late");
	return DESKD__STATUS__OK;
}

static void
returned(struct reg_op *op)
{
	unit_entry_put(op, INDEX_SURVEY_RETURN);
}

static const struct reg_def return_def = {
	.rec = RECORD_SURVEY_RETURN, .name = RC_("record", "survey-return"),
	.d = &deskd__survey_return__descriptor, .rules = "F3",
	.required = "survey unit", .summary = "survey unit",
	.added = "returned", .start = "counted", .open = "",
	.check = return_check, .effect = returned,
};

/* ---------- F3: the tally ---------- */

static int
add_target(const Deskd__Unit *u, void *arg)
{
	return survey_tally_target(arg, u->code);
}

/* Every figure of a campaign's tally; 0, or -1 out of memory. */
static int
tally(struct apply_ctx *ctx, const Deskd__Survey *s, struct survey_tally *t)
{
	ProtobufCMessage **h, **r;
	size_t nh, nr;

	if (survey_tally_init(t, s->questions, s->n_questions) != 0)
		return -1;
	unit_occupied(ctx->txn, add_target, t);
	h = of_survey(ctx, &handout_def, s->id, &nh);
	for (size_t i = 0; i < nh; i++)
		if (survey_tally_handout(t, reg_str(h[i], "unit")) != 0)
			return -1;
	r = of_survey(ctx, &return_def, s->id, &nr);
	for (size_t i = 0; i < nr; i++) {
		const Deskd__SurveyReturn *x = (const Deskd__SurveyReturn *)r[i];

		if (survey_tally_return(t, x->unit, x->late, x->scores,
		    x->n_scores, x->comments, x->n_comments) != 0)
			return -1;
	}
	return 0;
}

/* A text question's answers (the i-th comment of the in-window returns). */
static void
comments_of(struct apply_ctx *ctx, const Deskd__Survey *s, size_t q,
    Deskd__SurveyQuestionTally *out)
{
	ProtobufCMessage **r;
	size_t nr, ci = 0;

	for (size_t i = 0; i < q; i++)
		if (survey_question_text(s->questions[i]))
			ci++;
	r = of_survey(ctx, &return_def, s->id, &nr);
	out->comments = ctx_calloc(ctx, TALLY_COMMENTS_MAX,
	    sizeof(*out->comments));
	for (size_t i = 0; i < nr && out->n_comments < TALLY_COMMENTS_MAX;
	    i++) {
		const Deskd__SurveyReturn *x = (const Deskd__SurveyReturn *)r[i];

		if (!x->late && ci < x->n_comments && *x->comments[ci])
			out->comments[out->n_comments++] = x->comments[ci];
	}
}

static Deskd__SurveyTallyReply *
tally_reply(struct apply_ctx *ctx, Deskd__Survey *s,
    const struct survey_tally *t)
{
	Deskd__SurveyTallyReply *r = ctx_new(ctx,
	    &deskd__survey_tally_reply__descriptor);

	r->survey = s;
	r->target = t->target;
	r->handed_out = t->handed_out;
	r->returned = t->returned;
	r->late = t->late;
	r->half_back = survey_tally_half_back(t);
	r->window_closed = ctx->now_ms > s->window_end_ms;
	r->n_questions = t->nquestions;
	r->questions = ctx_calloc(ctx, t->nquestions ? t->nquestions : 1,
	    sizeof(*r->questions));
	for (size_t i = 0; i < t->nquestions; i++) {
		Deskd__SurveyQuestionTally *q = ctx_new(ctx,
		    &deskd__survey_question_tally__descriptor);

		q->question = s->questions[i];
		q->text = survey_question_text(s->questions[i]);
		q->answered = t->q[i].answered;
		if (q->text)
			comments_of(ctx, s, i, q);
		else {
			q->mean = survey_scores_mean(&t->q[i]);
			q->n_scores = SURVEY_SCORE_MAX;
			q->scores = ctx_calloc(ctx, SURVEY_SCORE_MAX,
			    sizeof(*q->scores));
			memcpy(q->scores, t->q[i].count, sizeof(t->q[i].count));
		}
		r->questions[i] = q;
	}
	r->n_buildings = t->nb;
	r->buildings = ctx_calloc(ctx, t->nb ? t->nb : 1,
	    sizeof(*r->buildings));
	for (size_t i = 0; i < t->nb; i++) {
		Deskd__SurveyBuildingTally *b = ctx_new(ctx,
		    &deskd__survey_building_tally__descriptor);

		b->building = ctx_strdup(ctx, t->b[i].name);
		b->target = t->b[i].target;
		b->handed_out = t->b[i].handed_out;
		b->returned = t->b[i].returned;
		b->late = t->b[i].late;
		b->mean = survey_scores_mean(&t->b[i].scores);
		r->buildings[i] = b;
	}
	return r;
}

static Deskd__Status
survey_tally_apply(struct apply_ctx *ctx, const Deskd__Request *req)
{
	Deskd__Survey *s;
	struct survey_tally t;
	Deskd__Status st;

	if ((s = survey_of(ctx, req->survey_tally->survey)) == NULL)
		return DESKD__STATUS__NOT_FOUND;
	if (tally(ctx, s, &t) != 0) {
		survey_tally_free(&t);
		return ctx_fail(ctx, DESKD__STATUS__INTERNAL, "out of memory");
	}
	st = reply_with(ctx, DESKD__RESPONSE__BODY_SURVEY_TALLY,
	    tally_reply(ctx, (Deskd__Survey *)register_public(ctx, &s->base),
	    &t));
	survey_tally_free(&t);
	return st;
}

/* ---------- the ledger's lines (F2, F3) ---------- */

struct in_month {
	uint32_t	month;
	bool		window;		/* F3: its window closes that month */
};

static bool
counts_in(const ProtobufCMessage *m, const void *arg)
{
	const Deskd__Survey *s = (const Deskd__Survey *)m;
	const struct in_month *w = arg;

	if (w->window)
		return survey_month_of(s->window_end_ms) == w->month;
	return survey_in_month(w->month, s->created_ms, s->window_end_ms,
	    s->due_ms);
}

/* The latest campaign the month's line counts, or NULL. */
static const Deskd__Survey *
month_survey(struct apply_ctx *ctx, uint32_t month, bool window)
{
	struct in_month w = { month, window };
	ProtobufCMessage **all;
	const Deskd__Survey *latest = NULL;
	size_t n;

	all = reg_all(ctx, &survey_def, false, counts_in, &w, &n);
	for (size_t i = 0; i < n; i++)
		if (latest == NULL || ((const Deskd__Survey *)all[i])->
		    created_ms >= latest->created_ms)
			latest = (const Deskd__Survey *)all[i];
	return latest;
}

static int
count_unit(const Deskd__Unit *u, void *arg)
{
	(void)u;
	(*(uint64_t *)arg)++;
	return 0;
}

/* F2: in May and November, and while a campaign is open: every occupied
 * unit gets one. */
static bool
f2_count(struct apply_ctx *ctx, uint32_t month, struct quota *q)
{
	const Deskd__Survey *s = month_survey(ctx, month, false);
	size_t n = 0;

	if (s == NULL && !survey_due_month(month))
		return false;
	q->rule = "F2";
	q->what = "occupied units handed a survey";
	q->required = 0;
	unit_occupied(ctx->txn, count_unit, &q->required);
	if (s != NULL) {
		of_survey(ctx, &handout_def, s->id, &n);
		q->due_ms = s->due_ms;
	} else
		q->due_ms = survey_month_start(month + 1);	/* May, Nov */
	q->done = n;
	return true;
}

/* F3: a campaign's hand-outs, and its returns within the window. */
static void
in_window(struct apply_ctx *ctx, uint64_t survey, uint64_t *handed,
    uint64_t *returned)
{
	ProtobufCMessage **r;
	size_t nh, nr;

	of_survey(ctx, &handout_def, survey, &nh);
	r = of_survey(ctx, &return_def, survey, &nr);
	*handed = nh;
	*returned = 0;
	for (size_t i = 0; i < nr; i++)
		if (!((const Deskd__SurveyReturn *)r[i])->late)
			(*returned)++;
}

/* F3: in the month a campaign's window closes: half of those handed out
 * back within it. */
static bool
f3_count(struct apply_ctx *ctx, uint32_t month, struct quota *q)
{
	const Deskd__Survey *s = month_survey(ctx, month, true);
	uint64_t handed;

	if (s == NULL)
		return false;
	in_window(ctx, s->id, &handed, &q->done);
	q->rule = "F3";
	q->what = "surveys returned in the window";
	q->required = survey_half_of(handed);
	q->due_ms = s->window_end_ms;
	return true;
}

/* ---------- the clocks ---------- */

/* F3: at the window's end, an alert only when fewer than half came
 * back. */
static int
window_fire(struct apply_ctx *ctx, Deskd__Clock *c)
{
	uint64_t handed, returned;

	c->next_ms = 0;
	in_window(ctx, c->record_id, &handed, &returned);
	return returned < survey_half_of(handed) ? 1 : 0;
}

static void
survey_start(struct apply_ctx *ctx)
{
	due_clock(ctx);
}

static const struct clock_rule survey_clocks[] = {
	{ CLOCK_SURVEY_DUE, "F2", R_("no survey campaign was opened before June "
	    "or December (desk survey open)"), CLOCK_DAYS(1),
	    .role = "supervisor", .no_warning = true },
	{ CLOCK_SURVEY_WINDOW, "F3", R_("fewer than half of the surveys handed "
	    "out came back within the window (desk survey report)"), 0,
	    SURVEY_WINDOW_WORKDAYS, .role = "supervisor", .no_warning = true,
	    .fire = window_fire },
};

/* ---------- the area ---------- */

static const struct request_row survey_requests[] = {
	{ REQUEST(SURVEY_TALLY, "survey report"), .op = OP_REGISTER_READ,
	    .apply = survey_tally_apply },
	{ REQUEST(SURVEY_HANDOUT_ALL, "survey handout-all"),
	    .op = OP_REGISTER_WRITE, .apply = handout_all_apply },
};

static const struct quota_rule survey_quotas[] = {
	{ "F2", f2_count },
	{ "F3", f3_count },
};

static const struct reg_def *const survey_defs[] = {
	&survey_def, &handout_def, &return_def,
};

static const struct kind *
survey_kind_at(size_t i)
{
	static struct kind kinds[nitems(survey_defs)];

	return reg_kind_at(kinds, survey_defs, nitems(survey_defs), i);
}

const struct area survey_area = {
	.name = "survey",
	.requests = survey_requests,
	.nrequests = nitems(survey_requests),
	.clocks = survey_clocks,
	.nclocks = nitems(survey_clocks),
	.start = survey_start,
	.kind_at = survey_kind_at,
	.quotas = survey_quotas,
	.nquotas = nitems(survey_quotas),
};
