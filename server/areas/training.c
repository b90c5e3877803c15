/*
 * training.c - drills and training (issue 14: G5, F5) as registers of
 * their own: drills (G5, every half year), training plans and sessions
 * (F5: a plan every month, a session every week), each person's result
 * in a session, and where each person stands in a subject (a trainee,
 * kept by deskd from the results).  A trainee's id keys the person's
 * clocks: a retake after a fail (F5) and, for fire, the notice a month
 * before they fall below two passes in 12 months (G5).  What the
 * schedule asks of it (G5: no one untrained on a post) is training.h's.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "area.h"
#include "calendar.h"
#include "deadline.h"
#include "register.h"
#include "training.h"
#include "refuse.h"
#include "training_rules.h"

/* Numbered here, not in storage's enum: stored in the keys, never
 * reused. */
#define RECORD_DRILL		((enum record_kind)31)
#define RECORD_TRAINING		((enum record_kind)32)
#define RECORD_TRAINING_RESULT	((enum record_kind)33)
#define RECORD_TRAINEE		((enum record_kind)34)
#define RECORD_CULTURE_PLAN	((enum record_kind)35)

/* F5: the retake after a fail is due this long after the failed session;
 * G5: the supervisor hears this long before someone would fall below two
 * fire trainings in 12 months.  Both run on the trainee (RECORD_TRAINEE,
 * its id): one person in one subject. */
#define CLOCK_TRAINING_RETAKE	"training.retake"
#define CLOCK_TRAINING_TWICE	"training.twice_yearly"

#define SESSION_WHATS	"session plan"
#define RESULTS		"pass fail"

/* ---------- [training] ---------- */

struct training_conf {
	bool	before_first_shift;	/* G5, on by default */
};

static void
training_section_defaults(void *block)
{
	struct training_conf *c = block;

	c->before_first_shift = true;
}

static int
training_section_set(void *block, const char *key, const char *value,
    char *err, size_t errlen)
{
	struct training_conf *c = block;

	if (strcmp(key, "before_first_shift") != 0) {
		snprintf(err, errlen, "[training] %s: unknown setting "
		    "(before_first_shift = on|off)", key);
		return -1;
	}
	if (strcmp(value, "on") == 0 || strcmp(value, "off") == 0) {
		c->before_first_shift = strcmp(value, "on") == 0;
		return 0;
	}
	snprintf(err, errlen, "[training] before_first_shift: '%s' is not on "
	    "or off", value);
	return -1;
}

static void
training_usage(FILE *f)
{
	fprintf(f, "  --before-first-shift on|off  G5: refuse a schedule "
	    "putting someone with no\n                         passed fire "
	    "training on a post ([training], on)\n");
}

/* [training]; --before-first-shift is its one line (G5). */
static const struct config_section training_section = {
	.name = "training",
	.size = sizeof(struct training_conf),
	.defaults = training_section_defaults,
	.set = training_section_set,
	.flag = "before_first_shift",
	.flag_key = "before_first_shift",
	.usage = training_usage,
	.usage_rank = 40,
};

/* ---------- G5: drills ---------- */

static const struct reg_def drill_def = {
	.rec = RECORD_DRILL, .name = RC_("record", "drill"),
	.d = &deskd__drill__descriptor, .rules = "G5",
	.required = "held_ms scenario", .summary = "scenario location",
	.added = "recorded", .start = "held", .open = "",
};

/* ---------- F6: the community-culture plan ---------- */

static Deskd__Status
culture_check(struct reg_op *op)
{
	const Deskd__CulturePlan *p = (const Deskd__CulturePlan *)op->entry;

	if (p->year < 2000 || p->year > 2099)
		return ctx_fail(op->ctx, DESKD__STATUS__INVALID_ARGUMENT,
		    "year: %u is not a year from 2000 to 2099", p->year);
	return DESKD__STATUS__OK;
}

static const struct reg_def culture_def = {
	.rec = RECORD_CULTURE_PLAN, .name = RC_("record", "culture-plan"),
	.d = &deskd__culture_plan__descriptor, .rules = "F6",
	.required = "year title", .summary = "year title",
	.added = "recorded", .start = "recorded", .open = "",
	.check = culture_check,
};

/* ---------- F5: plans and sessions ---------- */

/* G5 counts fire sessions, so the subject is one of a few words; a
 * session names who takes it, since results are for them only (F5). */
static Deskd__Status
training_check(struct reg_op *op)
{
	const char *subject = reg_str(op->entry, "subject");
	const char *what = reg_str(op->entry, "what");
	const Deskd__Training *t = (const Deskd__Training *)op->entry;

	if (!reg_word_in(subject, TRAINING_SUBJECTS))
		return ctx_fail(op->ctx, DESKD__STATUS__INVALID_ARGUMENT,
		    "subject: '%s' is not a subject of training; one of: %s "
		    "(fire counts for G5)", subject, TRAINING_SUBJECTS);
	if (!*what)
		reg_set_str(op->entry, "what", what = "session");
	if (!reg_word_in(what, SESSION_WHATS))
		return ctx_fail(op->ctx, DESKD__STATUS__INVALID_ARGUMENT,
		    "what: '%s' is neither a session nor a plan (F5)", what);
	if (strcmp(what, "session") == 0 && t->n_participants == 0)
		return ctx_fail(op->ctx, DESKD__STATUS__INVALID_ARGUMENT,
		    "participants: required for a session, whose results "
		    "are recorded for them (F5)");
	return DESKD__STATUS__OK;
}

static const struct reg_def training_def = {
	.rec = RECORD_TRAINING, .name = RC_("record", "training"),
	.d = &deskd__training__descriptor, .rules = "F5, G5",
	.required = "topic subject held_ms", .summary = "what topic subject",
	.added = "recorded", .start = "recorded", .open = "",
	.check = training_check,
};

/* ---------- F5, G5: where a person stands ---------- */

static const struct reg_def trainee_def = {
	.rec = RECORD_TRAINEE, .name = RC_("record", "trainee"),
	.d = &deskd__trainee__descriptor, .rules = "F5, G5",
	.required = "person subject", .summary = "person subject",
	.added = "added", .start = "trained", .open = "trained retake",
	.made_by_deskd = true,
};

struct who {
	const char	*person;
	const char	*subject;
};

static bool
is_trainee(const ProtobufCMessage *m, const void *arg)
{
	const struct who *w = arg;

	return strcmp(reg_str(m, "person"), w->person) == 0 &&
	    strcmp(reg_str(m, "subject"), w->subject) == 0;
}

static struct training_standing
standing_of(const ProtobufCMessage *t)
{
	return (struct training_standing){
	    .last_pass_ms = reg_int(t, "last_pass_ms"),
	    .prev_pass_ms = reg_int(t, "prev_pass_ms"),
	    .last_fail_ms = reg_int(t, "last_fail_ms"),
	    .passes = (uint32_t)reg_int(t, "passes"),
	    .fails = (uint32_t)reg_int(t, "fails") };
}

static void
standing_to(ProtobufCMessage *t, const struct training_standing *s)
{
	reg_set_int(t, "last_pass_ms", s->last_pass_ms);
	reg_set_int(t, "prev_pass_ms", s->prev_pass_ms);
	reg_set_int(t, "last_fail_ms", s->last_fail_ms);
	reg_set_int(t, "passes", s->passes);
	reg_set_int(t, "fails", s->fails);
	reg_set_str(t, "state", training_state(s));
}

static int64_t
not_before_now(const struct apply_ctx *ctx, int64_t due)
{
	return due > ctx->now_ms ? due : ctx->now_ms + 1;
}

/*
 * The person's clocks as the standing now says.  F5: a fail opens a
 * retake, due the configured span after the failed session, until a
 * later session is passed.  G5 (fire): the notice comes the configured
 * span before they would fall below two passes in 12 months; each pass
 * moves it.
 */
static void
trainee_clocks(struct apply_ctx *ctx, ProtobufCMessage *t,
    const struct training_standing *s)
{
	uint64_t id = (uint64_t)reg_int(t, "id");
	int64_t due, fall;

	if (training_retake_open(s) && reg_int(t, "retake_due_ms") == 0) {
		due = clock_deadline(ctx, CLOCK_TRAINING_RETAKE,
		    s->last_fail_ms);
		reg_set_int(t, "retake_due_ms", due);
		clock_arm(ctx, CLOCK_TRAINING_RETAKE, RECORD_TRAINEE, id,
		    not_before_now(ctx, due));
	} else if (!training_retake_open(s) &&
	    reg_int(t, "retake_due_ms") != 0) {
		reg_set_int(t, "retake_due_ms", 0);
		clock_stop(ctx, CLOCK_TRAINING_RETAKE, RECORD_TRAINEE, id);
	}
	fall = training_falls_below_ms(s);
	if (strcmp(reg_str(t, "subject"), TRAINING_FIRE) != 0 || fall == 0 ||
	    fall == reg_int(t, "falls_below_ms"))
		return;
	reg_set_int(t, "falls_below_ms", fall);
	due = fall - clock_deadline(ctx, CLOCK_TRAINING_TWICE, 0);
	clock_arm(ctx, CLOCK_TRAINING_TWICE, RECORD_TRAINEE, id,
	    not_before_now(ctx, due));
}

/* A result moves its person's standing in its subject: the trainee made
 * on their first result, changed (a new revision) on every later one. */
static void
trainee_update(struct apply_ctx *ctx, const ProtobufCMessage *result,
    uint64_t result_id)
{
	struct who w = { reg_str(result, "person"), reg_str(result,
	    "subject") };
	struct training_standing s = { 0 };
	ProtobufCMessage **found, *t;
	size_t n;

	found = reg_all(ctx, &trainee_def, false, is_trainee, &w, &n);
	if (n > 0) {
		t = reg_copy(ctx, found[0]);
		s = standing_of(t);
		reg_set_int(t, "revision", reg_int(t, "revision") + 1);
	} else {
		t = ctx_new(ctx, trainee_def.d);
		reg_set_str(t, "person", w.person);
		reg_set_str(t, "subject", w.subject);
		reg_set_int(t, "id", (int64_t)store_next_id(ctx->txn,
		    RECORD_TRAINEE));
		reg_set_int(t, "created_ms", ctx->now_ms);
		reg_set_str(t, "created_by", ctx->actor);
		reg_set_int(t, "revision", 1);
	}
	training_standing_add(&s, strcmp(reg_str(result, "result"), "pass") ==
	    0, reg_int(result, "held_ms"));
	standing_to(t, &s);
	reg_set_int(t, "last_result", (int64_t)result_id);
	reg_set_int(t, "updated_ms", ctx->now_ms);
	reg_set_str(t, "updated_by", ctx->actor);
	trainee_clocks(ctx, t, &s);
	reg_store(ctx, &trainee_def, t, n > 0 ? "updated" : "added", NULL);
}

/* ---------- F5: a person's result ---------- */

struct same_result {
	uint64_t	 session;
	const char	*person;
};

static bool
is_same_result(const ProtobufCMessage *m, const void *arg)
{
	const struct same_result *r = arg;

	return (uint64_t)reg_int(m, "session") == r->session &&
	    strcmp(reg_str(m, "person"), r->person) == 0;
}

/* F5: a result is for one of the session's participants, once; it takes
 * the session's time and subject, by which the person's standing counts
 * it. */
static Deskd__Status
result_check(struct reg_op *op)
{
	struct apply_ctx *ctx = op->ctx;
	struct same_result r = { (uint64_t)reg_int(op->entry, "session"),
	    reg_str(op->entry, "person") };
	const char *result = reg_str(op->entry, "result");
	Deskd__Training *t;
	ProtobufCMessage **same;
	size_t n;

	if (!reg_word_in(result, RESULTS))
		return ctx_fail(ctx, DESKD__STATUS__INVALID_ARGUMENT, "result: "
		    "'%s' is neither pass nor fail (F5)", result);
	if ((t = (Deskd__Training *)register_get(ctx->txn, RECORD_TRAINING,
	    r.session, training_def.d)) == NULL)
		return ctx_fail(ctx, DESKD__STATUS__NOT_FOUND, "session: no "
		    "training %" PRIu64 " (F5)", r.session);
	ctx_own_msg(ctx, &t->base);
	if (strcmp(t->what, "session") != 0)
		return ctx_fail(ctx, DESKD__STATUS__INVALID_ARGUMENT, "session: "
		    "training %" PRIu64 " is a %s, not a session: results are "
		    "a session's (F5)", r.session, t->what);
	if (!training_participant(r.person, t->participants,
	    t->n_participants)) {
		char names[128] = "";

		for (size_t i = 0; i < t->n_participants; i++)
			snprintf(names + strlen(names), sizeof(names) -
			    strlen(names), "%s%s", i ? ", " : "",
			    t->participants[i]);
		return ctx_fail(ctx, DESKD__STATUS__INVALID_ARGUMENT, "person: "
		    "'%s' is not a participant of training %" PRIu64 " "
		    "(participants: %s); nothing recorded (F5)", r.person,
		    r.session, names);
	}
	/* G5: a pass puts someone new on a post, so it is never their own
	 * word (as a hazard's re-check is never the fixer's). */
	if (strcmp(r.person, ctx->actor) == 0)
		return ctx_fail(ctx, DESKD__STATUS__CONFLICT, "person: '%s' "
		    "may not record their own result: the trainer or a "
		    "supervisor records it (F5, G5)", r.person);
	same = reg_all(ctx, op->def, false, is_same_result, &r, &n);
	if (n > 0)
		return ctx_fail(ctx, DESKD__STATUS__CONFLICT, "person: '%s' "
		    "already has a result in training %" PRIu64 " "
		    "(training-result %" PRId64 ": %s) (F5)", r.person,
		    r.session, reg_int(same[0], "id"), reg_str(same[0],
		    "result"));
	reg_set_int(op->entry, "held_ms", t->held_ms);
	reg_set_str(op->entry, "subject", t->subject);
	return DESKD__STATUS__OK;
}

static void
result_recorded(struct reg_op *op)
{
	trainee_update(op->ctx, op->entry, op->id);
}

static const struct reg_def result_def = {
	.rec = RECORD_TRAINING_RESULT, .name = RC_("record", "training-result"),
	.d = &deskd__training_result__descriptor, .rules = "F5",
	.required = "session person result", .summary = "person result",
	.added = "recorded", .start = "recorded", .open = "",
	.check = result_check, .effect = result_recorded,
};

/* ---------- G5: no one untrained on a post ---------- */

static bool
passed_fire(const ProtobufCMessage *m, const void *arg)
{
	(void)arg;
	return strcmp(reg_str(m, "subject"), TRAINING_FIRE) == 0 &&
	    reg_int(m, "passes") > 0;
}

static bool
on_roster(const char *user, Deskd__Assignment *const *a, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(a[i]->user, user) == 0)
			return true;
	return false;
}

size_t
training_untrained(struct apply_ctx *ctx, Deskd__Assignment *const *a,
    size_t n, Deskd__Assignment *const *was, size_t nwas, size_t **first)
{
	const struct training_conf *c = config_section(ctx->cfg,
	    &training_section);
	ProtobufCMessage **trained;
	size_t ntrained, k = 0;

	*first = NULL;
	if (!c->before_first_shift || n == 0)
		return 0;
	trained = reg_all(ctx, &trainee_def, false, passed_fire, NULL,
	    &ntrained);
	*first = ctx_calloc(ctx, n, sizeof(**first));
	for (size_t i = 0; i < n; i++) {
		const char *user = a[i]->user;
		size_t j;

		/* Once a person, and not someone the version replaced
		 * already had on a post (trained, or put on by override). */
		if (!*user || on_roster(user, a, i) ||
		    on_roster(user, was, nwas))
			continue;
		for (j = 0; j < ntrained; j++)
			if (strcmp(reg_str(trained[j], "person"), user) == 0)
				break;
		if (j == ntrained)
			(*first)[k++] = i;
	}
	return k;
}

/* ---------- the area ---------- */

/* F5 and G5 reach the supervisor, whose team is trained. */
static const struct clock_rule training_clocks[] = {
	{ CLOCK_TRAINING_RETAKE, "F5", R_("someone failed a training and has a "
	    "retake due (desk training due)"), CLOCK_DAYS(7),
	    .role = "supervisor" },
	{ CLOCK_TRAINING_TWICE, "G5", R_("someone falls below two fire trainings "
	    "in 12 months within a month: train them (desk training due)"),
	    CLOCK_DAYS(30), .role = "supervisor", .no_warning = true },
};

static const struct config_section *const training_settings[] = {
	&training_section,
};

static const struct reg_def *const training_defs[] = {
	&drill_def, &training_def, &result_def, &trainee_def, &culture_def,
};

static const struct kind *
training_kind_at(size_t i)
{
	static struct kind kinds[nitems(training_defs)];

	return reg_kind_at(kinds, training_defs, nitems(training_defs), i);
}

/* ---------- the ledger's line (F5) ---------- */

struct month_results {
	int64_t			 from, to;
	size_t			 n;
};

static bool
result_in_month(const ProtobufCMessage *m, const void *arg)
{
	const Deskd__TrainingResult *r = (const Deskd__TrainingResult *)m;
	const struct month_results *mr = arg;

	return r->held_ms >= mr->from && r->held_ms < mr->to;
}

/* F5: pass rate 100 %: everyone trained in the month has passed by their
 * latest result in it (a retake's pass makes good a fail). */
static bool
pass_rate_quota(struct apply_ctx *ctx, uint32_t month, struct quota *q)
{
	struct month_results mr = { 0, 0, 0 };
	ProtobufCMessage **all;

	calendar_month_span(month, &mr.from, &mr.to);
	all = reg_all(ctx, &result_def, false, result_in_month, &mr, &mr.n);

	q->what = "people trained who passed";
	q->so_far = true;
	for (size_t i = 0; i < mr.n; i++) {
		const Deskd__TrainingResult *r =
		    (const Deskd__TrainingResult *)all[i];
		bool latest = true;

		for (size_t k = 0; k < mr.n && latest; k++) {
			const Deskd__TrainingResult *o =
			    (const Deskd__TrainingResult *)all[k];

			if (k != i && strcmp(o->person, r->person) == 0 &&
			    strcmp(o->subject, r->subject) == 0 &&
			    (o->held_ms > r->held_ms || (o->held_ms ==
			    r->held_ms && k > i)))
				latest = false;
		}
		if (!latest)
			continue;
		q->required++;
		q->done += strcmp(r->result, "pass") == 0;
	}
	return true;
}

static bool
plans_year(const ProtobufCMessage *m, const void *arg)
{
	return ((const Deskd__CulturePlan *)m)->year == *(const uint32_t *)arg;
}

/* F6: in December, next year's community-culture plan is made. */
static bool
culture_quota(struct apply_ctx *ctx, uint32_t month, struct quota *q)
{
	uint32_t next = month / 100 + 1;
	size_t n;

	if (month % 100 != 12)
		return false;
	reg_all(ctx, &culture_def, false, plans_year, &next, &n);
	q->what = "next year's community-culture plan made";
	q->required = 1;
	q->done = n > 0;
	q->once = true;
	return true;
}

static const struct quota_rule training_quotas[] = {
	{ "F5", pass_rate_quota },
	{ "F6", culture_quota },
};

const struct area training_area = {
	.name = "training",
	.clocks = training_clocks,
	.nclocks = nitems(training_clocks),
	.settings = training_settings,
	.nsettings = nitems(training_settings),
	.kind_at = training_kind_at,
	.quotas = training_quotas,
	.nquotas = nitems(training_quotas),
};
