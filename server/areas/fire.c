/*
 * fire.c - the fire-safety area (G1-G5): its registers (equipment, check
 * points; hazards in fire_hazard.c), the plans of its recurring duties and
 * the tasks deskd makes from them ahead of time, each task a deadline
 * clock.  A patrol round, an equipment test, an inspection are all a task
 * recorded point by point (TaskRecord); an abnormal point opens a hazard
 * in the same transaction.
 */
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "area.h"
#include "now.h"
#include "calendar.h"
#include "deadline.h"
#include "fire_hazard.h"
#include "fire_rules.h"
#include "refuse.h"
#include "handover.h"
#include "reply.h"

/* Numbered here, not in storage's enum: stored in the keys, never reused
 * (28 is the hazards', fire_hazard.h). */
#define RECORD_FIRE_EQUIPMENT	((enum record_kind)26)
#define RECORD_CHECKPOINT	((enum record_kind)27)
#define RECORD_FIRE_PLAN	((enum record_kind)29)
#define RECORD_FIRE_TASK	((enum record_kind)30)

#define EQUIPMENT_TYPES	"pump hydrant sprinkler pressurisation " \
			"smoke-exhaust detector extinguisher"
#define PLAN_WHATS	"round inspection equipment drill training check"

#define CLOCK_TASK_DUE		"fire.task_due"
#define CLOCK_PLAN_REFILL	"fire.plan_refill"
#define CLOCK_EQUIPMENT_DUE	"fire.equipment_due"

/* A plan makes at most this many tasks at a time; a refill makes more. */
#define PLAN_TASKS_MAX		20000
#define TASK_LIST_DEFAULT	100
#define TASK_LIST_MAX		500

/* ---------- [fire] ---------- */

struct fire_conf {
	int64_t	horizon_ms;	/* tasks are made this far ahead */
};

static void
fire_section_defaults(void *block)
{
	struct fire_conf *c = block;

	c->horizon_ms = (int64_t)7 * 24 * 3600 * 1000;
}

static int
fire_section_set(void *block, const char *key, const char *value, char *err,
    size_t errlen)
{
	struct fire_conf *c = block;
	int64_t ms;

	if (strcmp(key, "horizon") != 0) {
		snprintf(err, errlen, "[fire] has no '%s' (horizon)", key);
		return -1;
	}
	if (config_parse_duration_ms(value, &ms) != 0 || ms < 60 * 1000 ||
	    ms > (int64_t)400 * 24 * 3600 * 1000) {
		snprintf(err, errlen, "[fire] horizon: '%s' is not a span from "
		    "1m to 400d", value);
		return -1;
	}
	c->horizon_ms = ms;
	return 0;
}

static void
fire_usage(FILE *f)
{
	fprintf(f, "  --fire-horizon SPAN    make fire-safety tasks this far "
	    "ahead\n                         (7d; [fire] horizon)\n");
}

static const struct config_section fire_section = {
	.name = "fire",
	.size = sizeof(struct fire_conf),
	.defaults = fire_section_defaults,
	.set = fire_section_set,
	.flag = "fire_horizon",
	.flag_key = "horizon",
	.usage = fire_usage,
	.usage_rank = 70,
};

static int64_t
fire_horizon(const struct apply_ctx *ctx)
{
	return ((const struct fire_conf *)config_section(ctx->cfg,
	    &fire_section))->horizon_ms;
}

/* ---------- G4: fire equipment, G2: check points ---------- */

/* G4: when an item's test interval runs out, counted from its last test
 * (or, never tested here, its last one before, or when it was
 * registered). */
static int64_t
equipment_due_ms(const ProtobufCMessage *e)
{
	int64_t last = reg_int(e, "last_test_ms");

	if (last == 0)
		last = reg_int(e, "tested_before_ms");
	if (last == 0)
		last = reg_int(e, "created_ms");
	return fire_add_months(last, fire_test_interval_months(reg_str(e,
	    "type")));
}

/* G4's intervals are by type, so the type is one of those it names. */
static Deskd__Status
equipment_check(struct reg_op *op)
{
	const char *type = reg_str(op->entry, "type");

	if (reg_word_in(type, EQUIPMENT_TYPES))
		return DESKD__STATUS__OK;
	return ctx_fail(op->ctx, DESKD__STATUS__INVALID_ARGUMENT, "type: "
	    "'%s' is not fire equipment G4 tests; one of: %s", type,
	    EQUIPMENT_TYPES);
}

/* G4: a clock on every item, at the end of its interval: an item that
 * would miss it is an alert, whatever the plans say. */
static void
equipment_arm(struct reg_op *op)
{
	clock_arm(op->ctx, CLOCK_EQUIPMENT_DUE, RECORD_FIRE_EQUIPMENT, op->id,
	    equipment_due_ms(op->entry));
}

static void
equipment_retired(struct reg_op *op)
{
	clock_stop(op->ctx, CLOCK_EQUIPMENT_DUE, RECORD_FIRE_EQUIPMENT,
	    op->id);
}

/* A hazard's origin at the item, owned by ctx. */
static const char *
equipment_origin(struct reg_op *op)
{
	char origin[48];

	snprintf(origin, sizeof(origin), "fire-equipment:%" PRIu64, op->id);
	return ctx_strdup(op->ctx, origin);
}

/* G4, G3: a failed test is a hazard at the item, opened with it. */
static void
equipment_failed(struct reg_op *op)
{
	equipment_arm(op);
	hazard_open(op->ctx, reg_str(op->entry, "location"), reg_str(op->entry,
	    "last_result"), equipment_origin(op));
}

/* G3: the hazard a failed test opens is checked with the step, before
 * it is stored: one the register would refuse (a result longer than a
 * hazard's description holds) refuses the step, not the hazard alone. */
static Deskd__Status
equipment_fail_check(struct reg_op *op)
{
	if (hazard_open_check(op->ctx, reg_str(op->entry, "location"),
	    reg_str(op->entry, "last_result"), equipment_origin(op)) ==
	    DESKD__STATUS__OK)
		return DESKD__STATUS__OK;
	return ctx_fail(op->ctx, DESKD__STATUS__INVALID_ARGUMENT, "result: "
	    "the hazard it opens is refused: %s", ctx_strdup(op->ctx,
	    op->ctx->msg));
}

/* A test keeps the equipment in service and stamps the last one. */
static const struct reg_action equipment_acts[] = {
	{ "test", "in-service", "in-service", "tested", "last_test_ms",
	    "last_test_by", NULL, "last_result", REG_NEED_TEXT, false, NULL,
	    equipment_arm },
	{ "fail", "in-service", "in-service", "failed", "last_test_ms",
	    "last_test_by", NULL, "last_result", REG_NEED_TEXT, false,
	    equipment_fail_check, equipment_failed },
	{ "retire", "in-service", "retired", "retired", "retired_ms", NULL,
	    NULL, "retired_why", REG_NEED_TEXT, false, NULL,
	    equipment_retired },
};

static const struct reg_def equipment_def = {
	.rec = RECORD_FIRE_EQUIPMENT, .name = RC_("record", "fire-equipment"),
	.d = &deskd__fire_equipment__descriptor, .rules = "G4",
	.required = "code type location", .summary = "code type location",
	.added = "added", .start = "in-service", .open = "in-service",
	.unique = "code", .check = equipment_check, .effect = equipment_arm,
	.actions = equipment_acts, .nactions = nitems(equipment_acts),
};

static const struct reg_action checkpoint_acts[] = {
	{ "retire", "in-service", "retired", "retired", "retired_ms", NULL,
	    NULL, "retired_why", REG_NEED_TEXT, false, NULL, NULL },
};

static const struct reg_def checkpoint_def = {
	.rec = RECORD_CHECKPOINT, .name = RC_("record", "checkpoint"),
	.d = &deskd__checkpoint__descriptor, .rules = "G2",
	.required = "code location", .summary = "code location",
	.added = "added", .start = "in-service", .open = "in-service",
	.unique = "code",
	.actions = checkpoint_acts, .nactions = nitems(checkpoint_acts),
};

/* A register's entries in service, loaded once for the points of a
 * request (an equipment test may name hundreds). */
struct in_service {
	const struct reg_def	*def;
	ProtobufCMessage	**all;
	size_t			 n;
};

/* The entry in service with that code, owned by ctx, or NULL. */
static ProtobufCMessage *
in_service(struct apply_ctx *ctx, struct in_service *is, const char *code)
{
	if (is->all == NULL)
		is->all = reg_all(ctx, is->def, true, NULL, NULL, &is->n);
	for (size_t i = 0; i < is->n; i++)
		if (strcmp(reg_str(is->all[i], "code"), code) == 0)
			return is->all[i];
	return NULL;
}

/* The next revision of an entry, stamped by the actor now. */
static ProtobufCMessage *
revise(struct apply_ctx *ctx, const ProtobufCMessage *m)
{
	ProtobufCMessage *c = reg_copy(ctx, m);

	reg_set_int(c, "updated_ms", ctx->now_ms);
	reg_set_str(c, "updated_by", ctx->actor);
	reg_set_int(c, "revision", reg_int(m, "revision") + 1);
	return c;
}

/* ---------- plans and their tasks ---------- */

static const struct reg_def plan_def, task_def;

struct plan_times {
	struct fire_recurrence	 rec;
	int64_t			 window_ms;	/* 0: until the next */
	int64_t			 min_walk_ms;
};

static Deskd__Status
span_field(struct apply_ctx *ctx, const char *name, const char *text,
    int64_t *ms)
{
	*ms = 0;
	if (*text == '\0')
		return DESKD__STATUS__OK;
	if (config_parse_duration_ms(text, ms) == 0 && *ms > 0)
		return DESKD__STATUS__OK;
	return ctx_fail(ctx, DESKD__STATUS__INVALID_ARGUMENT, "%s: '%s' is "
	    "not a span above zero (30m, 2h, 1d)", name, text);
}

/* A plan's timing as stored (checked when it was added). */
static Deskd__Status
plan_times(struct apply_ctx *ctx, const ProtobufCMessage *plan,
    struct plan_times *t)
{
	char err[200];
	Deskd__Status st;

	if (fire_recurrence_parse(reg_str(plan, "every"), &t->rec, err,
	    sizeof(err)) != 0)
		return ctx_fail(ctx, DESKD__STATUS__INVALID_ARGUMENT, "%s", err);
	if ((st = span_field(ctx, "window", reg_str(plan, "window"),
	    &t->window_ms)) != DESKD__STATUS__OK)
		return st;
	return span_field(ctx, "min_walk", reg_str(plan, "min_walk"),
	    &t->min_walk_ms);
}

/* A plan's first window: the first still to come; a replacement's, the
 * first opening at or after its start (plan_takeover). */
static int64_t
plan_first_open(const struct apply_ctx *ctx, const ProtobufCMessage *plan,
    const struct plan_times *t)
{
	int64_t starts = reg_int(plan, "starts_ms"), open;

	open = fire_window_first(&t->rec, starts, ctx->now_ms, t->window_ms);
	while (reg_int(plan, "replaces") != 0 && open < starts)
		open = fire_window_next(&t->rec, open);
	return open;
}

/* The first window to make next: where the last making stopped, or the
 * first still to come. */
static int64_t
plan_next_open(const struct apply_ctx *ctx, const ProtobufCMessage *plan,
    const struct plan_times *t)
{
	int64_t made = reg_int(plan, "made_until_ms");

	return made != 0 ? made : plan_first_open(ctx, plan, t);
}

/* Where making the plan's tasks up to `until` stops, starting at `open`:
 * the first window opening at or after it, or after PLAN_TASKS_MAX. */
static int64_t
plan_windows_end(const struct plan_times *t, int64_t open, int64_t until)
{
	for (size_t made = 0; open < until && made < PLAN_TASKS_MAX; made++)
		open = fire_window_next(&t->rec, open);
	return open;
}

/* Make the plan's tasks for the windows from `open` until `end`, each
 * with its clock at the window's end. */
static void
plan_make_tasks(struct apply_ctx *ctx, const Deskd__FirePlan *p,
    const struct plan_times *t, int64_t open, int64_t end)
{
	for (; open < end; open = fire_window_next(&t->rec, open)) {
		Deskd__FireTask task = DESKD__FIRE_TASK__INIT;
		ProtobufCMessage *out;

		task.plan = p->id;
		task.plan_version = p->version;
		task.title = p->title;
		task.what = p->what;
		task.post = p->post;
		task.role = p->role;
		task.opens_ms = open;
		task.due_ms = fire_window_due(&t->rec, open, t->window_ms);
		task.points = p->points;
		task.n_points = p->n_points;
		task.equipment_type = p->equipment_type;
		task.min_walk_s = t->min_walk_ms / 1000;
		task.rule = p->rule;
		if (reg_add_made(ctx, &task_def, &task.base, &out) !=
		    DESKD__STATUS__OK)
			ctx_out_of_memory(ctx, __func__);
		clock_arm(ctx, CLOCK_TASK_DUE, RECORD_FIRE_TASK,
		    (uint64_t)reg_int(out, "id"), task.due_ms);
	}
}

/* The refill runs again when half the horizon has been used up. */
static int64_t
plan_refill_at(const struct apply_ctx *ctx, int64_t made_until)
{
	int64_t at = made_until - fire_horizon(ctx) / 2;

	if (made_until == INT64_MAX)
		return 0;	/* once (before DATE): all made */
	return at > ctx->now_ms ? at : ctx->now_ms + 1000;
}

static bool
task_of_plan(const ProtobufCMessage *m, const void *arg)
{
	return (uint64_t)reg_int(m, "plan") == *(const uint64_t *)arg;
}

/* A plan replaced or retired: its tasks whose windows have not opened go
 * with it (those open now still stand). */
static void
plan_void_tasks(struct apply_ctx *ctx, uint64_t plan)
{
	ProtobufCMessage **tasks, *m;
	size_t n;

	tasks = reg_all(ctx, &task_def, true, task_of_plan, &plan, &n);
	for (size_t i = 0; i < n; i++) {
		if (reg_int(tasks[i], "opens_ms") <= ctx->now_ms)
			continue;
		m = revise(ctx, tasks[i]);
		reg_set_str(m, "state", "void");
		reg_store(ctx, &task_def, m, "void", "the plan changed");
		clock_stop(ctx, CLOCK_TASK_DUE, RECORD_FIRE_TASK,
		    (uint64_t)reg_int(m, "id"));
	}
	clock_stop(ctx, CLOCK_PLAN_REFILL, RECORD_FIRE_PLAN, plan);
}

/* A replacement takes over at the old plan's next window: its task whose
 * window has opened still stands (plan_void_tasks), done or not, so the
 * new version makes none for that window again.  0: none has opened. */
static int64_t
plan_takeover(struct apply_ctx *ctx, const ProtobufCMessage *old)
{
	ProtobufCMessage **tasks;
	struct plan_times t;
	uint64_t plan = (uint64_t)reg_int(old, "id");
	int64_t last = INT64_MIN;
	size_t n;

	if (plan_times(ctx, old, &t) != DESKD__STATUS__OK ||
	    t.rec.every == FIRE_EVERY_BEFORE)
		return 0;
	tasks = reg_all(ctx, &task_def, false, task_of_plan, &plan, &n);
	for (size_t i = 0; i < n; i++)
		if (reg_int(tasks[i], "opens_ms") <= ctx->now_ms &&
		    strcmp(reg_str(tasks[i], "state"), "void") != 0 &&
		    reg_int(tasks[i], "opens_ms") > last)
			last = reg_int(tasks[i], "opens_ms");
	return last == INT64_MIN ? 0 : fire_window_next(&t.rec, last);
}

static Deskd__Status
plan_points_check(struct apply_ctx *ctx, const Deskd__FirePlan *p)
{
	struct in_service points = { .def = &checkpoint_def };

	for (size_t i = 0; i < p->n_points; i++) {
		if (in_service(ctx, &points, p->points[i]) == NULL)
			return ctx_fail(ctx, DESKD__STATUS__NOT_FOUND,
			    "points: no check point '%s' in service (desk "
			    "checkpoint add)", p->points[i]);
		for (size_t j = 0; j < i; j++)
			if (strcmp(p->points[i], p->points[j]) == 0)
				return ctx_fail(ctx,
				    DESKD__STATUS__INVALID_ARGUMENT, "points: "
				    "'%s' is twice in the round", p->points[i]);
	}
	return DESKD__STATUS__OK;
}

/* The rule a duty serves, unless the plan names it. */
static const char *
plan_rule(const char *what)
{
	static const char *const rules[][2] = {
		{ "round", "G2" }, { "check", "G2" }, { "inspection", "G1" },
		{ "equipment", "G4" }, { "drill", "G5" }, { "training", "F5" },
	};

	for (size_t i = 0; i < nitems(rules); i++)
		if (strcmp(what, rules[i][0]) == 0)
			return rules[i][1];
	return "";
}

/* What a plan says, checked before it is stored; its version follows the
 * plan it replaces. */
static Deskd__Status
plan_check(struct reg_op *op)
{
	struct apply_ctx *ctx = op->ctx;
	Deskd__FirePlan *p = (Deskd__FirePlan *)op->entry;
	ProtobufCMessage *old;
	struct plan_times t;
	int64_t until, takeover;
	bool starts_given;
	Deskd__Status st;

	if ((st = plan_times(ctx, op->entry, &t)) != DESKD__STATUS__OK)
		return st;
	if (!reg_word_in(p->what, PLAN_WHATS))
		return ctx_fail(ctx, DESKD__STATUS__INVALID_ARGUMENT, "what: "
		    "'%s' is not a duty; one of: %s", p->what, PLAN_WHATS);
	if (*p->rule == '\0')
		p->rule = (char *)plan_rule(p->what);
	if (t.window_ms > fire_recurrence_period(&t.rec))
		return ctx_fail(ctx, DESKD__STATUS__INVALID_ARGUMENT, "window: "
		    "%s is longer than the duty's interval (%s): its tasks "
		    "would overlap", p->window, p->every);
	if (*p->role == '\0')
		p->role = "clerk";
	else if (role_parse(p->role) == ROLE_NONE)
		return ctx_fail(ctx, DESKD__STATUS__INVALID_ARGUMENT, "role: "
		    "'%s' is not a role", p->role);
	/* Its tasks are recorded by that role (TaskRecord): one that may
	 * not would leave every task to alert. */
	if (!perm_allows(role_parse(p->role), OP_REGISTER_WRITE))
		return ctx_fail(ctx, DESKD__STATUS__INVALID_ARGUMENT, "role: "
		    "a%s %s may not record fire-safety tasks (desk task "
		    "record): give the duty to a role that may", strchr("aeiou",
		    *p->role) ? "n" : "", p->role);
	/* G2: a round is its points, walked in order. */
	if (strcmp(p->what, "round") == 0 && p->n_points == 0)
		return ctx_fail(ctx, DESKD__STATUS__INVALID_ARGUMENT, "points: "
		    "a round needs its check points (G2)");
	if (strcmp(p->what, "round") != 0 && p->n_points > 0)
		return ctx_fail(ctx, DESKD__STATUS__INVALID_ARGUMENT, "points: "
		    "only a round has check points");
	if ((st = plan_points_check(ctx, p)) != DESKD__STATUS__OK)
		return st;
	if (strcmp(p->what, "equipment") == 0 &&
	    fire_test_interval_months(p->equipment_type) == 0)
		return ctx_fail(ctx, DESKD__STATUS__INVALID_ARGUMENT,
		    "equipment_type: '%s' is not fire equipment G4 tests; one "
		    "of: %s", p->equipment_type, EQUIPMENT_TYPES);
	starts_given = p->starts_ms != 0;
	if (!starts_given)
		p->starts_ms = ctx->now_ms;
	if (t.rec.every == FIRE_EVERY_BEFORE && t.rec.before_ms <= p->starts_ms)
		return ctx_fail(ctx, DESKD__STATUS__INVALID_ARGUMENT, "every: "
		    "'%s' is past: a duty is due before a date to come",
		    p->every);
	p->version = 1;
	if (p->replaces != 0) {
		if ((old = register_get(ctx->txn, RECORD_FIRE_PLAN, p->replaces,
		    plan_def.d)) == NULL)
			return ctx_fail(ctx, DESKD__STATUS__NOT_FOUND, "replaces: "
			    "no fire-plan %" PRIu64, p->replaces);
		ctx_own_msg(ctx, old);
		if (strcmp(reg_str(old, "state"), "active") != 0)
			return ctx_fail(ctx, DESKD__STATUS__CONFLICT, "replaces: "
			    "fire-plan %" PRIu64 " is %s, not active",
			    p->replaces, reg_str(old, "state"));
		p->version = (uint32_t)reg_int(old, "version") + 1;
		if (!starts_given && (takeover = plan_takeover(ctx, old)) >
		    p->starts_ms && t.rec.every != FIRE_EVERY_BEFORE)
			p->starts_ms = takeover;
	}
	until = ctx->now_ms + fire_horizon(ctx);
	p->made_until_ms = plan_windows_end(&t, plan_next_open(ctx, op->entry,
	    &t), until);
	/* Stopped short of the horizon: a duty every few seconds would make
	 * tasks (and events) without end, refill after refill. */
	if (p->made_until_ms < until)
		return ctx_fail(ctx, DESKD__STATUS__INVALID_ARGUMENT, "every: "
		    "'%s' makes more than %d tasks in the %" PRId64 " h deskd "
		    "makes ahead ([fire] horizon): no duty recurs that often",
		    p->every, PLAN_TASKS_MAX, fire_horizon(ctx) / 3600000);
	return DESKD__STATUS__OK;
}

static void
plan_added(struct reg_op *op)
{
	struct apply_ctx *ctx = op->ctx;
	Deskd__FirePlan *p = (Deskd__FirePlan *)op->entry;
	ProtobufCMessage *old, *m;
	struct plan_times t;

	if (p->replaces != 0 && (old = register_get(ctx->txn,
	    RECORD_FIRE_PLAN, p->replaces, plan_def.d)) != NULL) {
		ctx_own_msg(ctx, old);
		m = revise(ctx, old);
		reg_set_str(m, "state", "replaced");
		reg_set_int(m, "replaced_by", (int64_t)op->id);
		reg_store(ctx, &plan_def, m, "replaced", NULL);
		plan_void_tasks(ctx, p->replaces);
	}
	/* Checked by plan_check: made_until_ms says how far to make. */
	if (plan_times(ctx, op->entry, &t) != DESKD__STATUS__OK)
		return;
	plan_make_tasks(ctx, p, &t, plan_first_open(ctx, op->entry, &t),
	    p->made_until_ms);
	if (plan_refill_at(ctx, p->made_until_ms) != 0)
		clock_arm(ctx, CLOCK_PLAN_REFILL, RECORD_FIRE_PLAN, op->id,
		    plan_refill_at(ctx, p->made_until_ms));
}

static void
plan_retired(struct reg_op *op)
{
	plan_void_tasks(op->ctx, op->id);
}

/* The refill: more tasks as the horizon moves on. */
static int
plan_refill_fire(struct apply_ctx *ctx, Deskd__Clock *c)
{
	ProtobufCMessage *plan;
	Deskd__FirePlan *p;
	struct plan_times t;
	int64_t open, end;

	c->next_ms = 0;
	if ((plan = register_get(ctx->txn, RECORD_FIRE_PLAN, c->record_id,
	    plan_def.d)) == NULL)
		return 0;
	ctx_own_msg(ctx, plan);
	if (strcmp(reg_str(plan, "state"), "active") != 0 ||
	    plan_times(ctx, plan, &t) != DESKD__STATUS__OK)
		return 0;
	p = (Deskd__FirePlan *)revise(ctx, plan);
	/* Down past the tasks made: the windows that ended meanwhile get
	 * none (nothing was planned for them to record). */
	open = fire_window_first(&t.rec, p->starts_ms, ctx->now_ms,
	    t.window_ms);
	if (open < p->made_until_ms)
		open = p->made_until_ms;
	end = plan_windows_end(&t, open, ctx->now_ms + fire_horizon(ctx));
	plan_make_tasks(ctx, p, &t, open, end);
	p->made_until_ms = end;
	reg_store(ctx, &plan_def, &p->base, "tasks-made", NULL);
	c->deadline_ms = c->next_ms = plan_refill_at(ctx, end);
	return 0;
}

static const struct reg_action plan_acts[] = {
	{ "retire", "active", "retired", "retired", "retired_ms", NULL, NULL,
	    "retired_why", REG_NEED_TEXT, false, NULL, plan_retired },
};

static const struct reg_def plan_def = {
	.rec = RECORD_FIRE_PLAN, .name = RC_("record", "fire-plan"),
	.d = &deskd__fire_plan__descriptor, .rules = "G1-G5",
	.required = "title what every", .summary = "title every post",
	.added = "added", .start = "active", .open = "active",
	.check = plan_check, .effect = plan_added,
	.actions = plan_acts, .nactions = nitems(plan_acts),
	.write_op = OP_FIRE_PLAN,
};

static const struct reg_def task_def = {
	.rec = RECORD_FIRE_TASK, .name = RC_("record", "fire-task"),
	.d = &deskd__fire_task__descriptor, .rules = "G1-G5",
	.required = "", .summary = "title post", .added = "made",
	.start = "open", .open = "open", .made_by_deskd = true,
};

/* ---------- recording a task ---------- */

struct task_rec {
	struct apply_ctx	*ctx;
	struct in_service	 points, equipment;
	Deskd__FireTask		*task;		/* the new revision */
	const char		*source;	/* "fire-task:12" */
	uint64_t		*hazards;
	size_t			 nhazards;
};

static bool
recorded(const Deskd__FireTask *t, const char *code)
{
	for (size_t i = 0; i < t->n_results; i++)
		if (strcmp(t->results[i]->code, code) == 0)
			return true;
	return false;
}

static bool
not_closed(const ProtobufCMessage *m, const void *arg)
{
	(void)arg;
	return strcmp(reg_str(m, "state"), "closed") != 0;
}

/* G1: an inspection re-checks every hazard not yet closed, named by its
 * notice number or hazard:ID. */
static ProtobufCMessage *
hazard_named(struct apply_ctx *ctx, const char *code)
{
	ProtobufCMessage **all;
	size_t n;
	char id[32];

	all = reg_all(ctx, &hazard_def, true, not_closed, NULL, &n);
	for (size_t i = 0; i < n; i++) {
		snprintf(id, sizeof(id), "hazard:%" PRId64, reg_int(all[i],
		    "id"));
		if (strcmp(code, id) == 0 || strcmp(code, reg_str(all[i],
		    "notice_no")) == 0)
			return all[i];
	}
	return NULL;
}

/* The register entry a point names (a check point, an item of the tested
 * type, a hazard) into *target, or a refusal. */
static Deskd__Status
point_target(struct task_rec *r, const char *code, ProtobufCMessage **target)
{
	struct apply_ctx *ctx = r->ctx;
	const Deskd__FireTask *t = r->task;

	if (strcmp(t->what, "round") == 0) {
		for (size_t i = 0; i < t->n_points; i++)
			if (strcmp(t->points[i], code) == 0 && (*target =
			    in_service(ctx, &r->points, code)) != NULL)
				return DESKD__STATUS__OK;
		return ctx_fail(ctx, DESKD__STATUS__INVALID_ARGUMENT, "points: "
		    "'%s' is not a point of this round (%s)", code, t->title);
	}
	if (strcmp(t->what, "equipment") == 0) {
		*target = in_service(ctx, &r->equipment, code);
		if (*target != NULL && strcmp(reg_str(*target, "type"),
		    t->equipment_type) == 0)
			return DESKD__STATUS__OK;
		return ctx_fail(ctx, DESKD__STATUS__NOT_FOUND, "points: no %s "
		    "'%s' in service (desk equipment list)", t->equipment_type,
		    code);
	}
	if (strcmp(t->what, "inspection") == 0) {
		if ((*target = hazard_named(ctx, code)) != NULL)
			return DESKD__STATUS__OK;
		return ctx_fail(ctx, DESKD__STATUS__NOT_FOUND, "points: no "
		    "hazard '%s' still to re-check (G1)", code);
	}
	return ctx_fail(ctx, DESKD__STATUS__INVALID_ARGUMENT, "points: a %s "
	    "task has no points; record it done with a note", t->what);
}

/* The point's effect on its register: a check point or an item is
 * stamped as checked (G4: its interval starts again); an abnormal
 * result opens a hazard (G3), except on a hazard being re-checked. */
static Deskd__Status
point_apply(struct task_rec *r, Deskd__FireTaskPoint *pt,
    ProtobufCMessage *target)
{
	struct apply_ctx *ctx = r->ctx;
	bool equipment = strcmp(r->task->what, "equipment") == 0;
	bool round = strcmp(r->task->what, "round") == 0;
	const char *result = pt->abnormal ? pt->text : "normal";
	char source[96];
	ProtobufCMessage *m;

	if (equipment || round) {
		m = revise(ctx, target);
		reg_set_int(m, equipment ? "last_test_ms" : "last_check_ms",
		    ctx->now_ms);
		reg_set_str(m, equipment ? "last_test_by" : "last_check_by",
		    ctx->actor);
		reg_set_str(m, "last_result", result);
		reg_store(ctx, equipment ? &equipment_def : &checkpoint_def, m,
		    equipment ? "tested" : "checked", r->source);
		if (equipment)
			clock_arm(ctx, CLOCK_EQUIPMENT_DUE,
			    RECORD_FIRE_EQUIPMENT, (uint64_t)reg_int(m, "id"),
			    equipment_due_ms(m));
	}
	if (!pt->abnormal || !(equipment || round))
		return DESKD__STATUS__OK;
	snprintf(source, sizeof(source), "%s %s", r->source, pt->code);
	if ((pt->hazard = hazard_open(ctx, reg_str(target, "location"),
	    pt->text, ctx_strdup(ctx, source))) == 0)
		return DESKD__STATUS__INTERNAL;
	r->hazards[r->nhazards++] = pt->hazard;
	return DESKD__STATUS__OK;
}

/* G1: whether an inspection has a result for the hazard under either of
 * its names (hazard:ID, its notice number). */
static bool
hazard_rechecked(const Deskd__FireTask *t, const ProtobufCMessage *hazard)
{
	char id[32];

	snprintf(id, sizeof(id), "hazard:%" PRId64, reg_int(hazard, "id"));
	return recorded(t, id) || recorded(t, reg_str(hazard, "notice_no"));
}

/* Whether every point the task needs has a result: a round's points, an
 * inspection's hazards not closed; an equipment test is done when the
 * desk says so (the rotation shows what is due). */
static const char *
task_missing(struct task_rec *r)
{
	const Deskd__FireTask *t = r->task;
	ProtobufCMessage **open;
	size_t n;

	if (strcmp(t->what, "round") == 0) {
		for (size_t i = 0; i < t->n_points; i++)
			if (!recorded(t, t->points[i]))
				return t->points[i];
		return NULL;
	}
	if (strcmp(t->what, "inspection") == 0) {
		open = reg_all(r->ctx, &hazard_def, true, not_closed, NULL, &n);
		for (size_t i = 0; i < n; i++)
			if (!hazard_rechecked(t, open[i]))
				return reg_str(open[i], "notice_no");
	}
	return NULL;
}

/* A point's hazard, checked as it would be opened (G3: its description
 * has the hazard's limit, not the point text's). */
static Deskd__Status
point_hazard_check(struct task_rec *r, const Deskd__FireTaskPoint *pt,
    const ProtobufCMessage *target)
{
	struct apply_ctx *ctx = r->ctx;
	char source[96];

	if (!pt->abnormal || (strcmp(r->task->what, "equipment") != 0 &&
	    strcmp(r->task->what, "round") != 0))
		return DESKD__STATUS__OK;
	snprintf(source, sizeof(source), "%s %s", r->source, pt->code);
	if (hazard_open_check(ctx, reg_str(target, "location"), pt->text,
	    source) == DESKD__STATUS__OK)
		return DESKD__STATUS__OK;
	return ctx_fail(ctx, DESKD__STATUS__INVALID_ARGUMENT, "points: '%s' "
	    "opens a hazard, refused: %s", pt->code, ctx_strdup(ctx,
	    ctx->msg));
}

/* The request's points, every one checked before the first is applied:
 * a refusal leaves the task, its register entries and the hazards as
 * they were (ctx.h). */
static Deskd__Status
task_record_check(struct task_rec *r, const Deskd__TaskRecord *q,
    ProtobufCMessage **targets)
{
	struct apply_ctx *ctx = r->ctx;
	Deskd__FireTask *t = r->task;
	Deskd__FireTaskPoint **res;
	Deskd__Status st;

	res = ctx_calloc(ctx, t->n_results + q->n_points + 1, sizeof(*res));
	if (t->n_results > 0)
		memcpy(res, t->results, t->n_results * sizeof(*res));
	t->results = res;
	for (size_t i = 0; i < q->n_points; i++) {
		Deskd__FireTaskPoint *pt = ctx_new(ctx,
		    &deskd__fire_task_point__descriptor);

		if (recorded(t, q->points[i]->code))
			return ctx_fail(ctx, DESKD__STATUS__CONFLICT, "points: "
			    "'%s' is recorded already in fire-task %" PRIu64,
			    q->points[i]->code, t->id);
		if (q->points[i]->abnormal && *q->points[i]->text == '\0')
			return ctx_fail(ctx, DESKD__STATUS__INVALID_ARGUMENT,
			    "points: '%s' is abnormal: say what was found",
			    q->points[i]->code);
		if ((st = point_target(r, q->points[i]->code, &targets[i])) !=
		    DESKD__STATUS__OK)
			return st;
		if (strcmp(t->what, "inspection") == 0 &&
		    hazard_rechecked(t, targets[i]))
			return ctx_fail(ctx, DESKD__STATUS__CONFLICT, "points: "
			    "hazard %" PRId64 " (%s) is re-checked already in "
			    "fire-task %" PRIu64, reg_int(targets[i], "id"),
			    reg_str(targets[i], "notice_no"), t->id);
		pt->code = q->points[i]->code;
		pt->abnormal = q->points[i]->abnormal;
		pt->text = q->points[i]->text;
		pt->at_ms = ctx->now_ms;
		pt->by = (char *)ctx->actor;
		if ((st = point_hazard_check(r, pt, targets[i])) !=
		    DESKD__STATUS__OK)
			return st;
		res[t->n_results++] = pt;
	}
	return DESKD__STATUS__OK;
}

/* The checked points' effects, the last n_points of the task's results. */
static void
task_record_points(struct task_rec *r, size_t n_points,
    ProtobufCMessage **targets)
{
	Deskd__FireTask *t = r->task;
	size_t first = t->n_results - n_points;

	r->hazards = ctx_calloc(r->ctx, n_points + 1, sizeof(uint64_t));
	for (size_t i = 0; i < n_points; i++)
		if (point_apply(r, t->results[first + i], targets[i]) !=
		    DESKD__STATUS__OK)
			ctx_out_of_memory(r->ctx, __func__);
}

/* G2: a round's points recorded faster than it can be walked. */
static bool
walked_too_fast(const Deskd__FireTask *t)
{
	int64_t first = INT64_MAX, last = 0;

	if (t->min_walk_s <= 0 || t->n_results < 2)
		return false;
	for (size_t i = 0; i < t->n_results; i++) {
		if (t->results[i]->at_ms < first)
			first = t->results[i]->at_ms;
		if (t->results[i]->at_ms > last)
			last = t->results[i]->at_ms;
	}
	return last - first < t->min_walk_s * 1000;
}

static void
task_done(struct task_rec *r, const char **event, char *text, size_t len)
{
	struct apply_ctx *ctx = r->ctx;
	Deskd__FireTask *t = r->task;

	t->state = "done";
	t->done_ms = ctx->now_ms;
	t->done_by = (char *)ctx->actor;
	t->late_seconds = ctx->now_ms > t->due_ms ? (ctx->now_ms - t->due_ms) /
	    1000 : 0;
	clock_stop(ctx, CLOCK_TASK_DUE, RECORD_FIRE_TASK, t->id);
	*event = t->late_seconds > 0 ? "done-late" : "done";
	if (t->late_seconds > 0)
		snprintf(text, len, "done %" PRId64 " s after its window",
		    t->late_seconds);
	if (strcmp(t->what, "round") != 0 || !walked_too_fast(t))
		return;
	t->too_fast = true;
	snprintf(text + strlen(text), len - strlen(text), "%swalked faster "
	    "than the %" PRId64 " s a round takes (G2)", *text ? "; " : "",
	    t->min_walk_s);
	clock_alert_raise(ctx, "G2", RECORD_FIRE_TASK, t->id, "supervisor",
	    "round walked too fast: was it walked?");
}

static Deskd__Status
task_record_apply(struct apply_ctx *ctx, const Deskd__Request *req)
{
	const Deskd__TaskRecord *q = req->task_record;
	Deskd__TaskRecordReply *reply;
	struct task_rec r = { .ctx = ctx, .points = { .def = &checkpoint_def },
	    .equipment = { .def = &equipment_def } };
	ProtobufCMessage *old, **targets;
	const char *event = "recorded", *missing;
	char source[48], text[256] = "", when[32];
	time_t opens;
	struct tm tm;
	Deskd__Status st;

	if ((old = register_get(ctx->txn, RECORD_FIRE_TASK, q->task,
	    task_def.d)) == NULL)
		return ctx_fail(ctx, DESKD__STATUS__NOT_FOUND, "no fire-task %"
		    PRIu64, q->task);
	ctx_own_msg(ctx, old);
	r.task = (Deskd__FireTask *)revise(ctx, old);
	if (strcmp(r.task->state, "open") != 0)
		return ctx_fail(ctx, DESKD__STATUS__CONFLICT, "fire-task %"
		    PRIu64 " is %s%s%s: it is recorded once", q->task,
		    r.task->state, *r.task->done_by ? " by " : "",
		    r.task->done_by);
	if (ctx->now_ms < r.task->opens_ms) {
		opens = (time_t)(r.task->opens_ms / 1000);
		localtime_r(&opens, &tm);
		strftime(when, sizeof(when), "%Y-%m-%d %H:%M", &tm);
		return ctx_fail(ctx, DESKD__STATUS__CONFLICT,
		    "fire-task %" PRIu64 " opens at %s: not before", q->task,
		    when);
	}
	snprintf(source, sizeof(source), "fire-task:%" PRIu64, q->task);
	r.source = source;
	targets = ctx_calloc(ctx, q->n_points + 1, sizeof(*targets));
	if ((st = task_record_check(&r, q, targets)) != DESKD__STATUS__OK)
		return st;
	if (*q->note)
		r.task->note = q->note;
	missing = task_missing(&r);
	if (q->done && missing != NULL)
		return ctx_fail(ctx, DESKD__STATUS__CONFLICT,
		    "fire-task %" PRIu64 " is not done: '%s' has no result",
		    q->task, missing);
	if (q->n_points == 0 && !q->done)
		return ctx_fail(ctx, DESKD__STATUS__INVALID_ARGUMENT, "points: "
		    "record a point, or the task done");
	/* Everything is checked: from here on, writes. */
	task_record_points(&r, q->n_points, targets);
	/* A round is done with its last point; the rest when the desk says. */
	if (q->done || (strcmp(r.task->what, "round") == 0 && missing ==
	    NULL))
		task_done(&r, &event, text, sizeof(text));
	reg_store(ctx, &task_def, &r.task->base, event, *text ? text : NULL);
	reply = ctx_new(ctx, &deskd__task_record_reply__descriptor);
	reply->task = r.task;
	reply->hazards = r.hazards;
	reply->n_hazards = r.nhazards;
	return reply_with(ctx, DESKD__RESPONSE__BODY_TASK_RECORD, reply);
}

/* ---------- what is due ---------- */

struct task_filter {
	const Deskd__TaskList	*q;
	int64_t			 now;
	const char		*post;		/* mine: my post now, or NULL */
	const char		*role;
};

static bool
task_keep(const ProtobufCMessage *m, const void *arg)
{
	const struct task_filter *f = arg;
	const Deskd__FireTask *t = (const Deskd__FireTask *)m;

	if (f->q->due_only && (t->opens_ms > f->now || strcmp(t->state, "open")))
		return false;
	if (f->q->plan && t->plan != f->q->plan)
		return false;
	if (f->q->from_ms && t->due_ms <= f->q->from_ms)
		return false;
	if (f->q->to_ms && t->opens_ms >= f->q->to_ms)
		return false;
	if (f->q->after_id && t->id <= f->q->after_id)
		return false;
	/* Mine: my role's, at my post or at any. */
	return !f->q->mine_only || (strcmp(t->role, f->role) == 0 &&
	    (*t->post == '\0' || (f->post != NULL && strcmp(t->post,
	    f->post) == 0)));
}

static Deskd__Status
task_list_apply(struct apply_ctx *ctx, const Deskd__Request *req)
{
	const Deskd__TaskList *q = req->task_list;
	struct task_filter f = { .q = q, .now = ctx->now_ms,
	    .role = role_name(ctx->role) };
	ProtobufCMessage **all;
	size_t n, limit = reply_limit(q->limit, TASK_LIST_DEFAULT,
	    TASK_LIST_MAX);

	/* Not a named post: never refused; NULL or "" is at no post now. */
	if (q->mine_only)
		f.post = handover_record_post(ctx, "");
	all = reg_all(ctx, &task_def, q->due_only, task_keep, &f, &n);
	/* By id, as the desk pages (after_id); a plan's are by window. */
	return reply_page(ctx, DESKD__RESPONSE__BODY_TASK_LIST, all,
	    n > limit ? limit : n, n > limit);
}

/* G4: the month's rotation, type by type. */
static Deskd__Status
equipment_due_apply(struct apply_ctx *ctx, const Deskd__Request *req)
{
	const Deskd__EquipmentDue *q = req->equipment_due;
	Deskd__EquipmentDueReply *r;
	ProtobufCMessage **all;
	uint32_t month = q->month ? q->month : fire_month_of(ctx->now_ms);
	int64_t to, *due;
	bool *pick;
	size_t n;
	const char *types[] = { "pump", "hydrant", "sprinkler",
	    "pressurisation", "smoke-exhaust", "detector", "extinguisher" };

	if (month % 100 < 1 || month % 100 > 12 || month / 100 < 2000 ||
	    month / 100 > 2099)
		return ctx_fail(ctx, DESKD__STATUS__INVALID_ARGUMENT, "month: "
		    "%u is not a month (YYYYMM)", q->month);
	if (*q->type && fire_test_interval_months(q->type) == 0)
		return ctx_fail(ctx, DESKD__STATUS__INVALID_ARGUMENT, "type: "
		    "'%s' is not fire equipment G4 tests; one of: %s", q->type,
		    EQUIPMENT_TYPES);
	to = fire_month_start(calendar_month_next(month));
	all = reg_all(ctx, &equipment_def, true, NULL, NULL, &n);
	r = ctx_new(ctx, &deskd__equipment_due_reply__descriptor);
	r->month = month;
	r->due = ctx_calloc(ctx, n + 1, sizeof(*r->due));
	due = ctx_calloc(ctx, n + 1, sizeof(*due));
	pick = ctx_calloc(ctx, n + 1, sizeof(*pick));
	for (size_t ti = 0; ti < nitems(types); ti++) {
		ProtobufCMessage **of = ctx_calloc(ctx, n + 1, sizeof(*of));
		size_t k = 0;

		if (*q->type && strcmp(q->type, types[ti]) != 0)
			continue;
		for (size_t i = 0; i < n; i++)
			if (strcmp(reg_str(all[i], "type"), types[ti]) == 0) {
				of[k] = all[i];
				due[k++] = equipment_due_ms(all[i]);
			}
		r->total += (uint32_t)k;
		fire_rotation_pick(due, k, to, fire_test_interval_months(
		    types[ti]), pick);
		for (size_t i = 0; i < k; i++) {
			Deskd__EquipmentDueItem *it;

			if (!pick[i])
				continue;
			it = ctx_new(ctx,
			    &deskd__equipment_due_item__descriptor);
			it->equipment = (Deskd__FireEquipment *)of[i];
			it->due_ms = due[i];
			it->overdue = due[i] < to;
			r->due[r->n_due++] = it;
		}
	}
	return reply_with(ctx, DESKD__RESPONSE__BODY_EQUIPMENT_DUE, r);
}

/* ---------- the area ---------- */

static const struct request_row fire_requests[] = {
	/* G1-G5: the desks record the duties; plans are registers. */
	{ REQUEST(TASK_RECORD, "task record"), .op = OP_REGISTER_WRITE,
	    .apply = task_record_apply },
	{ REQUEST(TASK_LIST, "task list"), .op = OP_REGISTER_READ,
	    .apply = task_list_apply },
	{ REQUEST(EQUIPMENT_DUE, "equipment due"), .op = OP_REGISTER_READ,
	    .apply = equipment_due_apply },
};

static const struct clock_rule fire_clocks[] = {
	/* G1-G5: the deadline is the task's window's end (plan_make_tasks);
	 * made ahead, so a warning at 75 % of the time since would be
	 * early nonsense. */
	{ CLOCK_TASK_DUE, "G1-G5", R_("a fire-safety duty was not done in its "
	    "window: do it and record it (desk tasks --due)"), CLOCK_HOURS(2),
	    .no_warning = true },
	{ CLOCK_PLAN_REFILL, "G1-G5", "", CLOCK_DAYS(3),
	    .no_warning = true, .fire = plan_refill_fire },
	/* G4: at the end of an item's interval (equipment_due_ms). */
	{ CLOCK_EQUIPMENT_DUE, "G4", R_("fire equipment has run past its test "
	    "interval: test it now (desk equipment due)"), CLOCK_DAYS(30),
	    .help = "30d: G4, only its warning share is used; the deadline "
	    "is the item's interval", .help_rank = 90 },
};

static const struct config_section *const fire_settings[] = {
	&fire_section,
};

static const struct reg_def *const fire_defs[] = {
	&equipment_def, &checkpoint_def, &hazard_def, &plan_def, &task_def,
};

static const struct kind *
fire_kind_at(size_t i)
{
	static struct kind kinds[nitems(fire_defs)];

	return reg_kind_at(kinds, fire_defs, nitems(fire_defs), i);
}

/* ---------- what needs a desk now (issue 16) ---------- */

/* A task whose window has opened and that is not done. */
static bool
task_open_now(const ProtobufCMessage *m, const void *arg)
{
	const Deskd__FireTask *t = (const Deskd__FireTask *)m;

	return t->opens_ms <= *(const int64_t *)arg &&
	    strcmp(t->state, "open") == 0;
}

/* G1-G5: the duties due at their post, by the end of their window. */
static void
fire_now(struct apply_ctx *ctx, struct now_list *l)
{
	ProtobufCMessage **v;
	size_t n;

	v = reg_all(ctx, &task_def, true, task_open_now, &ctx->now_ms, &n);
	for (size_t i = 0; i < n; i++) {
		const Deskd__FireTask *t = (const Deskd__FireTask *)v[i];
		Deskd__NowItem it = DESKD__NOW_ITEM__INIT;
		char rec[48];

		snprintf(rec, sizeof(rec), "%s:%" PRIu64,
		    record_kind_name(RECORD_FIRE_TASK), t->id);
		it.kind = "task";
		it.record = rec;
		it.due_ms = t->due_ms;
		it.title = t->title;
		it.post = t->post;
		it.rule = t->rule;
		it.state = t->state;
		now_offer(ctx, l, &it);
	}
}

/* ---------- the ledger's lines (G1, G2, G4) ---------- */

struct task_count {
	const char	*rule;
	int64_t		 from, to, now;
	uint64_t	 required, done;
};

/* A task of the rule whose window ended in the month by now, or done
 * there early: required; done in its window: done. */
static bool
task_count_one(const ProtobufCMessage *m, const void *arg)
{
	struct task_count *c = (struct task_count *)arg;
	const Deskd__FireTask *t = (const Deskd__FireTask *)m;
	bool done = strcmp(t->state, "done") == 0;

	if (strcmp(t->rule, c->rule) != 0 || strcmp(t->state, "void") == 0 ||
	    t->due_ms < c->from || t->due_ms >= c->to ||
	    (t->due_ms > c->now && !done))
		return false;
	c->required++;
	c->done += done && t->late_seconds == 0;
	return false;
}

/* The month's tasks of the line's rule (q->rule), as far as due. */
static bool
tasks_quota(struct apply_ctx *ctx, uint32_t month, struct quota *q)
{
	static const char *const what[][2] = {
		{ "G1", "patrols and inspections in time" },
		{ "G2", "key-location rounds in time" },
		{ "G4", "equipment tests in time" },
	};
	struct task_count c = { q->rule, fire_month_start(month),
	    fire_month_start(calendar_month_next(month)), ctx->now_ms, 0, 0 };
	size_t n;

	for (size_t i = 0; i < nitems(what); i++)
		if (strcmp(what[i][0], q->rule) == 0)
			q->what = what[i][1];
	reg_all(ctx, &task_def, false, task_count_one, &c, &n);
	q->required = c.required;
	q->done = c.done;
	q->so_far = true;
	return true;
}

static const struct quota_rule fire_quotas[] = {
	{ "G1", tasks_quota },
	{ "G2", tasks_quota },
	{ "G4", tasks_quota },
};

const struct area fire_area = {
	.name = "fire",
	.now_more = fire_now,
	.requests = fire_requests,
	.nrequests = nitems(fire_requests),
	.clocks = fire_clocks,
	.nclocks = nitems(fire_clocks),
	.settings = fire_settings,
	.nsettings = nitems(fire_settings),
	.kind_at = fire_kind_at,
	.quotas = fire_quotas,
	.nquotas = nitems(fire_quotas),
};
