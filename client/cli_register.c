/*
 * cli_register.c - the front-desk registers (E1-E5, E7) from the register
 * messages' descriptors: a field of the paper form (field numbers 1-49,
 * deskd.proto) is a flag (id_number -> --id-number, valid_until_ms ->
 * --valid-until, fee_cents -> --fee) and a prompt, list columns are fields,
 * and --json is the decoded entry.  `desk register KIND ...` reaches every
 * register; `desk visitor`, `pass`, `key`, `parking` and `permit-visitor`
 * are the same commands under the words a desk uses (one table row each).
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli_record.h"
#include "fields.h"
#include "wire.h"

/* deskd.proto: fields 1-49 are the form's, 50 and up deskd's. */
#define FORM_FIELDS	50
#define MAX_FIELDS	24
/* E2: the seconds from the first prompt to the send go here. */
#define TIMED_FIELD	"reg_seconds"

/* A register: its kind on the wire, its message, its list columns. */
struct reg_kind {
	const char	*kind;
	const ProtobufCMessageDescriptor *d;
	const char	*cols;
	const char	*summary;
};

static const struct reg_kind kinds[] = {
	{ "visitor", &deskd__visitor__descriptor,
	    "id name unit consent state created_ms out_ms",
	    N_("visitors: in, out, who is inside (E2, E3)") },
	{ "visitor-permit", &deskd__visitor_permit__descriptor,
	    "id unit visitor owner until_ms state",
	    N_("owners' standing permissions for visitors (E3)") },
	{ "pass", &deskd__release_pass__descriptor,
	    "id unit owner items carrier state valid_until_ms approved_by",
	    N_("item release passes (E1)") },
	{ "key", &deskd__key__descriptor,
	    "id tag slot unit source state holder out_ms",
	    N_("keys in the cabinet (E4)") },
	{ "key-count", &deskd__key_count__descriptor,
	    "id created_ms created_by expected out state",
	    N_("counts of the key cabinet (E4)") },
	{ "parking", &deskd__parking_permit__descriptor,
	    "id plate unit type valid_to_ms state renews",
	    N_("parking permits (E5)") },
	{ "worker", &deskd__worker_entry__descriptor,
	    "id name company trade unit state",
	    N_("construction workers (E7)") },
	{ "renovation", &deskd__renovation_extension__descriptor,
	    "id unit applicant new_end_ms state",
	    N_("renovation extension applications (E7)") },
	{ "hotwork", &deskd__hot_work_permit__descriptor,
	    "id unit location worker from_ms to_ms state",
	    N_("hot-work permits (E7)") },
	{ "construction", &deskd__construction_permit__descriptor,
	    "id unit company from_ms to_ms state",
	    N_("construction permits (E7)") },
	{ "cleaning", &deskd__cleaning_order__descriptor,
	    "id unit service visit_at_ms state",
	    N_("cleaning service orders (E7)") },
	{ "note", &deskd__message_note__descriptor,
	    "id unit recipient left_by state", N_("message notes, 留言条 (E7)") },
	{ "special", &deskd__special_report__descriptor,
	    "id title location state created_ms",
	    N_("special-matter reports (E7)") },
	{ "fire-equipment", &deskd__fire_equipment__descriptor,
	    "id code type location state last_test_ms last_result",
	    N_("fire equipment tested in rotation (G4)") },
	{ "checkpoint", &deskd__checkpoint__descriptor,
	    "id code location kind state last_check_ms last_result",
	    N_("check points of the patrol rounds (G2)") },
	{ "fire-plan", &deskd__fire_plan__descriptor,
	    "id title what every post version state",
	    N_("plans of the recurring fire-safety duties (G1-G5)") },
	{ "fire-task", &deskd__fire_task__descriptor,
	    "id title post opens_ms due_ms state done_by",
	    N_("the duties' tasks, made by deskd from the plans (G1-G5)") },
	{ "visit", &deskd__visit__descriptor,
	    "id unit visited_ms visitor topic state",
	    N_("household visits, 走访记录 (F1, F4)") },
	{ "visit-plan", &deskd__visit_plan__descriptor,
	    "id month required occupied created_by seed",
	    N_("the months' visit lists, drawn by deskd (F1)") },
	{ "drill", &deskd__drill__descriptor,
	    "id held_ms scenario minutes location",
	    N_("evacuation drills, every half year (G5)") },
	{ "training", &deskd__training__descriptor,
	    "id what subject held_ms trainer topic",
	    N_("training plans and sessions (F5, G5)") },
	{ "training-result", &deskd__training_result__descriptor,
	    "id session person result held_ms subject",
	    N_("a person's pass or fail in a session (F5)") },
	{ "culture-plan", &deskd__culture_plan__descriptor,
	    "id year title owner created_ms",

	    N_("the community-culture plan of the next year, every December "
	    "(F6)") },
	{ "trainee", &deskd__trainee__descriptor,
	    "id person subject state passes last_pass_ms retake_due_ms "
	    "falls_below_ms",
	    N_("where each person stands, kept by deskd (F5, G5)") },
	{ "survey", &deskd__survey__descriptor,
	    "id state created_ms window_end_ms due_ms title",
	    N_("survey campaigns, before June and December (F2, F3)") },
	{ "survey-handout", &deskd__survey_handout__descriptor,
	    "id survey unit created_ms created_by",
	    N_("a survey handed to an occupied unit (F2)") },
	{ "survey-return", &deskd__survey_return__descriptor,
	    "id survey unit state returned_ms scores",
	    N_("a unit's survey back, counted or late (F3)") },
	{ "hazard", &deskd__hazard__descriptor,
	    "id notice_no severity location department deadline_ms state",
	    N_("fire hazards and their rectification notices (G3)") },
};

#define NKINDS	(sizeof(kinds) / sizeof(kinds[0]))

const ProtobufCMessageDescriptor *
cli_register_kind(size_t i, const char **kind)
{
	if (i >= NKINDS)
		return NULL;
	*kind = kinds[i].kind;
	return kinds[i].d;
}

enum reg_op { OP_ADD, OP_STEP, OP_LIST, OP_SHOW, OP_HISTORY, OP_REPORT,
    OP_RENEW, OP_NOTICE, OP_SURVEY };

/*
 * A command of a word group: `desk GROUP VERB` does OP on KIND (a step:
 * ACTION, its person and text under the flags named here; a list: FLAG
 * for the open entries; an add: ARG, a positional field, and ACTION a
 * FIELD=VALUE the verb sets itself, as `training pass` sets result=pass).
 */
struct reg_verb {
	const char	*group, *verb, *kind;
	enum reg_op	 op;
	const char	*action;
	const char	*person, *text;	/* flag names, NULL: not taken */
	unsigned	 need;		/* 1 person, 2 text: required */
	const char	*arg;		/* add: the field of the positional */
	const char	*summary;
};

static const struct reg_verb verbs[] = {
	{ "visitor", "in", "visitor", OP_ADD, NULL, NULL, NULL, 0, NULL,
	    N_("register a visitor; no flags (or --prompt): field by field, "
	    "timed (E2)") },
	{ "visitor", "out", "visitor", OP_STEP, "out", NULL, NULL, 0, NULL,
	    N_("the visitor left") },
	{ "visitor", "list", "visitor", OP_LIST, "inside", NULL, NULL, 0, NULL,
	    N_("visitors; --inside: still in") },
	{ "visitor", "show", "visitor", OP_SHOW, NULL, NULL, NULL, 0, NULL,
	    N_("one visitor") },
	{ "visitor", "history", "visitor", OP_HISTORY, NULL, NULL, NULL, 0,
	    NULL, N_("every entry of one visitor") },
	{ "visitor", "report", "visitor", OP_REPORT, NULL, NULL, NULL, 0, NULL,
	    N_("the month's registrations, how many took over 60 s (E2)") },
	{ "permit-visitor", NULL, "visitor-permit", OP_ADD, NULL, NULL, NULL, 0,
	    "unit", N_("an owner's standing permission for a visitor (E3)") },
	{ "pass", "new", "pass", OP_ADD, NULL, NULL, NULL, 0, NULL,
	    N_("an item release slip (E1)") },
	{ "pass", "approve", "pass", OP_STEP, "approve", NULL, "note", 0, NULL,
	    N_("the duty officer signs and stamps it (E1)") },
	{ "pass", "reject", "pass", OP_STEP, "reject", NULL, "reason", 2,
	    NULL, N_("the duty officer refuses it (E1)") },
	{ "pass", "use", "pass", OP_STEP, "use", NULL, "note", 0, NULL,
	    N_("at the gate: the items leave, once, before expiry (E1)") },
	{ "pass", "show", "pass", OP_SHOW, NULL, NULL, NULL, 0, NULL,
	    N_("one pass") },
	{ "pass", "list", "pass", OP_LIST, "open", NULL, NULL, 0, NULL,
	    N_("passes; --open: not used yet") },
	{ "key", "add", "key", OP_ADD, NULL, NULL, NULL, 0, NULL,
	    N_("a key into the cabinet (E4)") },
	{ "key", "out", "key", OP_STEP, "out", "to", "reason", 3, NULL,
	    N_("a key out to someone, with the reason (E4)") },
	{ "key", "in", "key", OP_STEP, "in", NULL, NULL, 0, NULL,
	    N_("a key back in the cabinet") },
	{ "key", "retire", "key", OP_STEP, "retire", NULL, "reason", 2, NULL,
	    N_("a key leaves the register (given back)") },
	{ "key", "list", "key", OP_LIST, "open", NULL, NULL, 0, NULL,
	    N_("keys; --open: in the cabinet or out") },
	{ "key", "show", "key", OP_SHOW, NULL, NULL, NULL, 0, NULL,
	    N_("one key") },
	{ "key", "reconcile", "key-count", OP_ADD, NULL, NULL, NULL, 0, NULL,
	    N_("count the cabinet against the register (E4)") },
	{ "key", "counts", "key-count", OP_LIST, NULL, NULL, NULL, 0, NULL,
	    N_("the counts made") },
	{ "parking", "add", "parking", OP_ADD, NULL, NULL, NULL, 0, NULL,
	    N_("a parking permit (E5)") },
	{ "parking", "renew", "parking", OP_RENEW, NULL, NULL, NULL, 0, NULL,
	    N_("a new permit renewing ID (E5)") },
	{ "parking", "cancel", "parking", OP_STEP, "cancel", NULL, "reason", 2,
	    NULL, N_("cancel a permit") },
	{ "parking", "list", "parking", OP_LIST, "valid", NULL, NULL, 0, NULL,
	    N_("permits; --valid: current") },
	{ "parking", "show", "parking", OP_SHOW, NULL, NULL, NULL, 0, NULL,
	    N_("one permit") },
	{ "equipment", "add", "fire-equipment", OP_ADD, NULL, NULL, NULL, 0,
	    NULL, N_("a piece of fire equipment into the register (G4)") },
	{ "equipment", "test", "fire-equipment", OP_STEP, "test", NULL,
	    "result", 2, NULL, N_("a test of one item, with its result (G4)") },
	{ "equipment", "fail", "fire-equipment", OP_STEP, "fail", NULL,
	    "result", 2, NULL,
	    N_("a test that failed: a hazard is opened (G3)") },
	{ "equipment", "retire", "fire-equipment", OP_STEP, "retire", NULL,
	    "reason", 2, NULL, N_("an item leaves service") },
	{ "equipment", "list", "fire-equipment", OP_LIST, "open", NULL, NULL,
	    0, NULL, N_("the equipment; --open: in service") },
	{ "equipment", "show", "fire-equipment", OP_SHOW, NULL, NULL, NULL, 0,
	    NULL, N_("one item") },
	{ "checkpoint", "add", "checkpoint", OP_ADD, NULL, NULL, NULL, 0, NULL,
	    N_("a check point of the patrol rounds (G2)") },
	{ "checkpoint", "retire", "checkpoint", OP_STEP, "retire", NULL,
	    "reason", 2, NULL, N_("a point leaves the rounds") },
	{ "checkpoint", "list", "checkpoint", OP_LIST, "open", NULL, NULL, 0,
	    NULL, N_("the points; --open: in service") },
	{ "checkpoint", "show", "checkpoint", OP_SHOW, NULL, NULL, NULL, 0,
	    NULL, N_("one point, and its last check") },
	{ "plan", "add", "fire-plan", OP_ADD, NULL, NULL, NULL, 0, NULL,
	    N_("a recurring duty: what, how often, by whom (G1-G5)") },
	{ "plan", "replace", "fire-plan", OP_RENEW, NULL, NULL, NULL, 0, NULL,
	    N_("a new version of plan ID, changed by the flags") },
	{ "plan", "retire", "fire-plan", OP_STEP, "retire", NULL, "reason", 2,
	    NULL, N_("a duty no longer planned; its tasks to come go") },
	{ "plan", "list", "fire-plan", OP_LIST, "open", NULL, NULL, 0, NULL,
	    N_("the plans; --open: active") },
	{ "plan", "show", "fire-plan", OP_SHOW, NULL, NULL, NULL, 0, NULL,
	    N_("one plan") },
	{ "plan", "history", "fire-plan", OP_HISTORY, NULL, NULL, NULL, 0,
	    NULL, N_("a plan's versions and changes") },
	{ "task", "show", "fire-task", OP_SHOW, NULL, NULL, NULL, 0, NULL,
	    N_("one task, and its points as recorded") },
	{ "task", "history", "fire-task", OP_HISTORY, NULL, NULL, NULL, 0,
	    NULL, N_("a task's events") },
	{ "visit", "add", "visit", OP_ADD, NULL, NULL, NULL, 0, NULL,
	    N_("a visit made to a household of the archive (F1); --topic "
	    "routine (the default), complaint, repair, opinion, fees, safety "
	    "or other, or its Chinese name (例行走访 ...); a --follow-up keeps "
	    "it open until done") },
	{ "visit", "done", "visit", OP_STEP, "done", NULL, "note", 2, NULL,
	    N_("the visit's follow-up is done: what was done (F4)") },
	{ "visit", "list", "visit", OP_LIST, "open", NULL, NULL, 0, NULL,
	    N_("visits; --open: follow-ups not done yet") },
	{ "visit", "show", "visit", OP_SHOW, NULL, NULL, NULL, 0, NULL,
	    N_("one visit") },
	{ "visit", "history", "visit", OP_HISTORY, NULL, NULL, NULL, 0, NULL,
	    N_("every entry of one visit") },
	{ "culture", "add", "culture-plan", OP_ADD, NULL, NULL, NULL, 0, NULL,
	    N_("next year's community-culture plan (F6, every December)") },
	{ "culture", "list", "culture-plan", OP_LIST, NULL, NULL, NULL, 0,
	    NULL, N_("the plans") },
	{ "culture", "show", "culture-plan", OP_SHOW, NULL, NULL, NULL, 0,
	    NULL, N_("one plan") },
	{ "drill", "add", "drill", OP_ADD, NULL, NULL, NULL, 0, NULL,
	    N_("an evacuation drill held (G5)") },
	{ "drill", "list", "drill", OP_LIST, NULL, NULL, NULL, 0, NULL,
	    N_("the drills") },
	{ "drill", "show", "drill", OP_SHOW, NULL, NULL, NULL, 0, NULL,
	    N_("one drill") },
	{ "training", "add", "training", OP_ADD, NULL, NULL, NULL, 0, NULL,
	    N_("a training session, or a month's plan (--what plan) (F5)") },
	{ "training", "list", "training", OP_LIST, NULL, NULL, NULL, 0, NULL,
	    N_("plans and sessions") },
	{ "training", "show", "training", OP_SHOW, NULL, NULL, NULL, 0, NULL,
	    N_("one plan or session") },
	{ "training", "pass", "training-result", OP_ADD, "result=pass", NULL,
	    NULL, 0, "session", N_("a participant of session ID passed (F5)") },
	{ "training", "fail", "training-result", OP_ADD, "result=fail", NULL,
	    NULL, 0, "session", N_("a participant of session ID failed: a "
	    "retake is due (F5)") },
	{ "training", "results", "training-result", OP_LIST, NULL, NULL, NULL,
	    0, NULL, N_("every pass and fail recorded") },
	{ "training", "due", "trainee", OP_LIST, NULL, NULL, NULL, 0, NULL,
	    N_("each person: retakes due (F5), when they fall below two fire "
	    "trainings in 12 months (G5)") },
	{ "survey", "open", "survey", OP_ADD, NULL, NULL, NULL, 0, NULL,
	    N_("a supervisor opens a campaign with its questions (F2)") },
	{ "survey", "list", "survey", OP_LIST, NULL, NULL, NULL, 0, NULL,
	    N_("the campaigns") },
	{ "survey", "show", "survey", OP_SHOW, NULL, NULL, NULL, 0, NULL,
	    N_("one campaign") },
	{ "survey", "handout", "survey-handout", OP_ADD, NULL, NULL, NULL, 0,
	    "survey", N_("the survey handed to an occupied unit, once (F2)") },
	{ "survey", "handouts", "survey-handout", OP_LIST, NULL, NULL, NULL, 0,
	    NULL, N_("the hand-outs (--filter unit=CODE)") },
	{ "survey", "return", "survey-return", OP_ADD, NULL, NULL, NULL, 0,
	    "survey", N_("a unit's filled-in survey back, once (F3)") },
	{ "survey", "returns", "survey-return", OP_LIST, NULL, NULL, NULL, 0,
	    NULL, N_("the returns (--filter state=late)") },
	{ "survey", "handout-all", "survey-handout", OP_SURVEY, NULL, NULL,
	    NULL, 0, NULL, N_("the survey handed to every occupied unit not "
	    "yet handed one (F2)") },
	{ "survey", "report", "survey", OP_SURVEY, NULL, NULL, NULL, 0, NULL,
	    N_("the tally per question and building (F3)") },
	{ "hazard", "add", "hazard", OP_ADD, NULL, NULL, NULL, 0, NULL,
	    N_("a fire hazard, --severity low|medium|high|critical; its notice "
	    "gets a number and a deadline (G3)") },
	{ "hazard", "fix", "hazard", OP_STEP, "fix", NULL, "note", 2, NULL,
	    N_("the department rectified it: what was done (G3)") },
	{ "hazard", "close", "hazard", OP_STEP, "close", NULL, "note", 0, NULL,
	    N_("the re-check found it rectified; not by the fixer (G3)") },
	{ "hazard", "reopen", "hazard", OP_STEP, "reopen", NULL, "note", 2,
	    NULL, N_("the re-check found it not rectified: open again, to "
	    "the notice's deadline (G3)") },
	{ "hazard", "list", "hazard", OP_LIST, "open", NULL, NULL, 0, NULL,
	    N_("hazards; --open: not closed yet") },
	{ "hazard", "show", "hazard", OP_SHOW, NULL, NULL, NULL, 0, NULL,
	    N_("one hazard") },
	{ "hazard", "notice", "hazard", OP_NOTICE, NULL, NULL, NULL, 0, NULL,
	    N_("its rectification notice (整改通知书) to hand over: text, or "
	    "--pdf FILE, one page") },
	{ "hazard", "history", "hazard", OP_HISTORY, NULL, NULL, NULL, 0, NULL,
	    N_("every entry of one hazard") },
};

#define NVERBS	(sizeof(verbs) / sizeof(verbs[0]))

static const struct reg_kind *
kind_find(const char *kind)
{
	for (size_t i = 0; i < NKINDS; i++)
		if (strcmp(kinds[i].kind, kind) == 0)
			return &kinds[i];
	return NULL;
}

/* ---------- fields as flags ---------- */

/* The form's fields of a register, in order. */
static size_t
form_fields(const ProtobufCMessageDescriptor *d,
    const ProtobufCFieldDescriptor **out)
{
	size_t n = 0;

	for (unsigned i = 0; i < d->n_fields && n < MAX_FIELDS; i++)
		if (d->fields[i].id < FORM_FIELDS &&
		    strcmp(d->fields[i].name, TIMED_FIELD) != 0)
			out[n++] = &d->fields[i];
	return n;
}

/* Set one field from a flag's text; -1 after saying what is wrong. */
static int
set_value(ProtobufCMessage *m, const ProtobufCFieldDescriptor *f,
    const char *v, struct field_arena *a)
{
	char flag[64], meta[128];

	if (field_set(m, f, v, FIELD_SEP_FLAG, a) == 0)
		return 0;
	field_flag_name(f, flag, sizeof(flag));
	fprintf(stderr, _("desk: --%s '%s' is not %s\n"), flag, v,
	    field_wanted(f, meta, sizeof(meta)));
	return -1;
}

/* ---------- printing an entry ---------- */

/* The entry of a RegisterEntry, decoded by its kind (free with
 * protobuf_c_message_free_unpacked), or NULL. */
static ProtobufCMessage *
decode(const ProtobufCMessage *m)
{
	const Deskd__RegisterEntry *e = (const Deskd__RegisterEntry *)m;
	const struct reg_kind *k = kind_find(e->kind);

	if (k == NULL)
		return NULL;
	return protobuf_c_message_unpack(k->d, NULL, e->entry.len,
	    e->entry.data);
}

/* A scalar field of an entry by name (0, "": the kind has none). */
static const void *
named_field(const ProtobufCMessage *m, const char *name, ProtobufCType type)
{
	const ProtobufCFieldDescriptor *f =
	    protobuf_c_message_descriptor_get_field_by_name(m->descriptor,
	    name);

	return f != NULL && f->type == type ? (const char *)m + f->offset :
	    NULL;
}

static const char *
named_str(const ProtobufCMessage *m, const char *name)
{
	char *const *s = named_field(m, name, PROTOBUF_C_TYPE_STRING);

	return s != NULL && *s != NULL ? *s : "";
}

static int64_t
named_int(const ProtobufCMessage *m, const char *name, ProtobufCType type)
{
	const void *v = named_field(m, name, type);

	if (v == NULL)
		return 0;
	return type == PROTOBUF_C_TYPE_INT64 ? *(const int64_t *)v :
	    *(const uint32_t *)v;
}

/* Shown together as who recorded it (cli_recorded), not one by one. */
static bool
recorded_field(const char *name)
{
	static const char *const names[] = { "id", "state", "created_ms",
	    "created_by", "revision", "import_file", "import_ref",
	    "reported_by", "reported_ms" };

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(name, names[i]) == 0)
			return true;
	return false;
}

/*
 * The states deskd gives entries (register_rules.c, fire.c ...), shown in
 * the user's language; --json, --filter state= and files keep deskd's
 * word.  A state of one kind that reads otherwise has its own context.
 */
static const struct {
	const char	*kind, *state;	/* kind NULL: any */
} states[] = {
	{ "key", NC_("key state", "in") }, { "key", NC_("key state", "out") },
	{ "note", NC_("note state", "left") },
	{ NULL, NC_("state", "active") }, { NULL, NC_("state", "added") },
	{ NULL, NC_("state", "applied") }, { NULL, NC_("state", "approved") },
	{ NULL, NC_("state", "cancelled") }, { NULL, NC_("state", "closed") },
	{ NULL, NC_("state", "counted") }, { NULL, NC_("state", "delivered") },
	{ NULL, NC_("state", "done") }, { NULL, NC_("state", "drawn") },
	{ NULL, NC_("state", "fixed") }, { NULL, NC_("state", "follow-up") },
	{ NULL, NC_("state", "found") }, { NULL, NC_("state", "granted") },
	{ NULL, NC_("state", "handed-out") }, { NULL, NC_("state", "held") },
	{ NULL, NC_("state", "in-service") }, { NULL, NC_("state", "inside") },
	{ NULL, NC_("state", "issued") }, { NULL, NC_("state", "late") },
	{ NULL, NC_("state", "left") }, { NULL, NC_("state", "made") },
	{ NULL, NC_("state", "ok") }, { NULL, NC_("state", "on-site") },
	{ NULL, NC_("state", "open") }, { NULL, NC_("state", "opened") },
	{ NULL, NC_("state", "ordered") }, { NULL, NC_("state", "out") },
	{ NULL, NC_("state", "pending") }, { NULL, NC_("state", "read") },
	{ NULL, NC_("state", "recorded") }, { NULL, NC_("state", "rejected") },
	{ NULL, NC_("state", "renewed") }, { NULL, NC_("state", "replaced") },
	{ NULL, NC_("state", "reported") }, { NULL, NC_("state", "retake") },
	{ NULL, NC_("state", "returned") }, { NULL, NC_("state", "retired") },
	{ NULL, NC_("state", "revoked") }, { NULL, NC_("state", "trained") },
	{ NULL, NC_("state", "used") }, { NULL, NC_("state", "valid") },
	{ NULL, NC_("state", "void") },
};

static const char *
state_text(const char *kind, const char *state)
{
	for (size_t i = 0; i < sizeof(states) / sizeof(states[0]); i++)
		if ((states[i].kind == NULL || strcmp(states[i].kind,
		    kind) == 0) && strcmp(i18n_english(states[i].state),
		    state) == 0)
			return i18n_ctext(states[i].state);
	return state;
}

/* A repeated message field (a task's points as recorded): one line an
 * element, its fields that have a value side by side. */
static void
show_items(const ProtobufCMessage *m, const ProtobufCFieldDescriptor *f,
    const char *label)
{
	size_t n = *(const size_t *)((const char *)m + f->quantifier_offset);
	ProtobufCMessage *const *items = *(ProtobufCMessage *const *const *)
	    ((const char *)m + f->offset);
	char line[1024], buf[256];

	for (size_t i = 0; i < n; i++) {
		const ProtobufCMessageDescriptor *d = items[i]->descriptor;

		line[0] = '\0';
		for (unsigned j = 0; j < d->n_fields; j++) {
			field_show(items[i], &d->fields[j], buf, sizeof(buf));
			if (*buf && d->fields[j].type == PROTOBUF_C_TYPE_BOOL)
				snprintf(buf, sizeof(buf), "%s", field_label(d,
				    d->fields[j].name));
			if (*buf)
				snprintf(line + strlen(line), sizeof(line) -
				    strlen(line), "%s%s", *line ? "  " : "",
				    buf);
		}
		cli_field(i == 0 ? label : "", line);
	}
}

static void
print_entry(struct cli *cli, const ProtobufCMessage *body)
{
	const Deskd__RegisterEntry *e = (const Deskd__RegisterEntry *)body;
	const ProtobufCMessageDescriptor *d;
	ProtobufCMessage *m = decode(body);
	const char *label;
	char buf[1024];

	if (m == NULL) {
		fprintf(stderr, _("desk: an entry of unknown kind '%s'\n"),
		    e->kind);
		return;
	}
	d = m->descriptor;
	if (cli->json) {
		json_t *o = json_object(), *j = cli_to_json(m);

		json_object_set_new(o, "kind", json_string(e->kind));
		json_object_update(o, j);
		json_decref(j);
		cli_print_json(o);
		protobuf_c_message_free_unpacked(m, NULL);
		return;
	}
	printf("%s %" PRIu64 "  %s\n", e->kind, e->id, state_text(e->kind,
	    named_str(m, "state")));
	for (unsigned i = 0; i < d->n_fields; i++) {
		const ProtobufCFieldDescriptor *f = &d->fields[i];

		if (recorded_field(f->name))
			continue;
		field_show(m, f, buf, sizeof(buf));
		label = field_label(d, f->name);
		if (f->label == PROTOBUF_C_LABEL_REPEATED &&
		    f->type == PROTOBUF_C_TYPE_MESSAGE)
			show_items(m, f, label);
		if (!*buf || strcmp(buf, "-") == 0)
			continue;
		cli_field(label, buf);
	}
	/* C9: an imported entry says so; its file's author is reported. */
	cli_recorded(named_str(m, "created_by"), named_int(m, "created_ms",
	    PROTOBUF_C_TYPE_INT64), (uint32_t)named_int(m, "revision",
	    PROTOBUF_C_TYPE_UINT32), named_str(m, "import_file"),
	    named_str(m, "import_ref"), named_str(m, "reported_by"),
	    named_int(m, "reported_ms", PROTOBUF_C_TYPE_INT64));
	protobuf_c_message_free_unpacked(m, NULL);
}

/* ---------- the commands ---------- */

/* Is f the field the verb sets itself (`training pass`: result=pass)? */
static bool
preset_of(const struct reg_verb *v, const ProtobufCFieldDescriptor *f)
{
	size_t len = strlen(f->name);

	return v->op == OP_ADD && v->action != NULL &&
	    strncmp(v->action, f->name, len) == 0 && v->action[len] == '=';
}

/* A flag of the form: its label (translated) and its value's form. */
static void
usage_field(const struct reg_kind *k, const ProtobufCFieldDescriptor *f,
    FILE *out)
{
	char flag[64], name[66], meta[128];

	field_flag_name(f, flag, sizeof(flag));
	snprintf(name, sizeof(name), "--%s", flag);
	field_help(out, k->d, f, name, 20, field_meta(f, meta, sizeof(meta)));
}

static void
verb_usage(const struct reg_verb *v, const struct reg_kind *k, FILE *out)
{
	const ProtobufCFieldDescriptor *fs[MAX_FIELDS];
	const char *summary = _(v->summary);
	size_t n;

	fprintf(out, _("usage: desk %s%s%s"), v->group, v->verb ? " " : "",
	    v->verb ? v->verb : "");
	switch (v->op) {
	case OP_ADD:
	case OP_RENEW:
		if (v->arg)
			fprintf(out, " %s", v->arg);
		if (v->op == OP_RENEW)
			fputs(_(" ID"), out);
		fprintf(out, _(" [--FIELD VALUE ...]%s\n%s.\nThe fields of the "
		    "%s form (deskd names any required one left out):\n"),
		    strcmp(k->kind, "visitor") == 0 ? " [--prompt]" : "",
		    summary, k->kind);
		n = form_fields(k->d, fs);
		for (size_t i = 0; i < n; i++)
			if (!(v->arg && strcmp(fs[i]->name, v->arg) == 0) &&
			    !preset_of(v, fs[i]))
				usage_field(k, fs[i], out);
		fprintf(out, _("TIME: 'YYYY-MM-DD HH:MM', 'HH:MM' or +2h,\n%s; "
		    "a day alone, as an end\n(--valid-to, --until, --new-end), "
		    "is the whole day.\n"), _(field_time_range));
		break;
	case OP_STEP:
		fputs(_(" ID"), out);
		if (v->person)
			fprintf(out, (v->need & 1) ? _(" --%s PERSON") :
			    _(" [--%s PERSON]"), v->person);
		if (v->text)
			fprintf(out, (v->need & 2) ? _(" --%s TEXT") :
			    _(" [--%s TEXT]"), v->text);
		fprintf(out, _("\n%s.\n"), summary);
		break;
	case OP_LIST:
		if (v->action)
			fprintf(out, " [--%s]", v->action);
		fprintf(out, _(" [--filter FIELD=VALUE] [--limit N]\n%s.\n"),
		    summary);
		break;
	case OP_REPORT:
		fprintf(out, _(" [--month YYYY-MM]\n%s.\n"), summary);
		break;
	case OP_NOTICE:
		fprintf(out, _(" ID [--pdf FILE]\n%s.\n"), summary);
		break;
	default:
		fprintf(out, _(" ID\n%s.\n"), summary);
		break;
	}
}

/* A bad option (or --help, `c` 'h'): the usage, and the exit code. */
static int
usage_rc(const struct reg_verb *v, const struct reg_kind *k, int c)
{
	verb_usage(v, k, c == 'h' ? stdout : stderr);
	return c == 'h' ? 0 : DESK_USAGE;
}

/* After the options: exactly `npos` arguments left, then connect. */
static int
ready(struct cli *cli, const struct reg_verb *v, const struct reg_kind *k,
    int argc, int npos)
{
	if (argc - optind != npos)
		return usage_rc(v, k, '?');
	return cli_connect(cli, true);
}

static int
call_entry(struct cli *cli, Deskd__Request *req, bool id_only)
{
	Deskd__Response *resp = NULL;
	const ProtobufCMessage *m;
	int rc = cli_call(cli, req, &resp);

	if (rc == DESK_OK && resp->body_case ==
	    DESKD__RESPONSE__BODY_REGISTER_ENTRY && (m = cli_body(resp))) {
		if (id_only && !cli->json)
			printf("%" PRIu64 "\n", resp->register_entry->id);
		else
			print_entry(cli, m);
	}
	if (resp)
		deskd__response__free_unpacked(resp, NULL);
	return rc;
}

/* The old entry of a renewal, decoded; NULL after saying why. */
static ProtobufCMessage *
fetch(struct cli *cli, const struct reg_kind *k, uint64_t id)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__RegisterGet g = DESKD__REGISTER_GET__INIT;
	Deskd__Response *resp = NULL;
	ProtobufCMessage *m = NULL;

	g.kind = (char *)k->kind;
	g.id = id;
	cli_set_body(&req, DESKD__REQUEST__BODY_REGISTER_GET, &g);
	if (cli_call(cli, &req, &resp) == DESK_OK &&
	    resp->body_case == DESKD__RESPONSE__BODY_REGISTER_ENTRY)
		m = decode(&resp->register_entry->base);
	if (resp)
		deskd__response__free_unpacked(resp, NULL);
	return m;
}

static bool
want_prompt(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "--prompt") == 0)
			return true;
	return argc == 1 && isatty(STDIN_FILENO);
}

/* E2: field by field, as the desk reads the ID document; the seconds from
 * the first prompt to the send are sent with the entry. */
static int
prompt_fields(ProtobufCMessage *m, const ProtobufCFieldDescriptor **fs,
    size_t n, struct field_arena *a, int64_t *started)
{
	char line[1024], meta[128];
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	*started = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
	for (size_t i = 0; i < n; i++) {
		for (;;) {
			/* A label the desk reads, not the flag (issue 16). */
			fprintf(stderr, _("%s (%s): "), field_label(
			    m->descriptor, fs[i]->name), field_meta(fs[i], meta,
			    sizeof(meta)));
			fflush(stderr);
			if (fgets(line, sizeof(line), stdin) == NULL)
				return 0;
			line[strcspn(line, "\r\n")] = '\0';
			if (!*line)
				break;
			if (set_value(m, fs[i], field_keep(a, strdup(line)),
			    a) == 0)
				break;
			if (!isatty(STDIN_FILENO))
				return -1;
		}
	}
	return 0;
}

static int64_t
elapsed_s(int64_t started)
{
	struct timespec ts;
	int64_t now;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	now = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
	/* Whole seconds, rounded up: a registration took at least one. */
	return now - started < 1000 ? 1 : (now - started + 999) / 1000;
}

/* `add` and `renew`: the form's fields from flags (or prompts), packed as
 * the register's message into a RegisterAdd. */
static int
add_cmd(struct cli *cli, const struct reg_verb *v, const struct reg_kind *k,
    int argc, char **argv)
{
	const ProtobufCFieldDescriptor *fs[MAX_FIELDS], *f;
	struct option opts[MAX_FIELDS + 3];
	char names[MAX_FIELDS][64];
	const char *vals[MAX_FIELDS] = { NULL };
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__RegisterAdd add = DESKD__REGISTER_ADD__INIT;
	ProtobufCMessage *m = NULL, *old = NULL;
	struct field_arena a = { NULL, 0, 0 };
	bool prompt = v->op == OP_ADD && want_prompt(argc, argv);
	size_t n = form_fields(k->d, fs), nopt = 0, npos = v->arg ? 1 : 0;
	int64_t started = 0;
	uint64_t renews = 0;
	int c, rc;

	for (size_t i = 0; i < n; i++) {
		field_flag_name(fs[i], names[i], sizeof(names[i]));
		opts[nopt++] = (struct option){ names[i], required_argument,
		    NULL, (int)i };
	}
	opts[nopt++] = (struct option){ "prompt", no_argument, NULL, 'p' };
	opts[nopt++] = (struct option){ "help", no_argument, NULL, 'h' };
	opts[nopt] = (struct option){ NULL, 0, NULL, 0 };
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (c >= 0 && c < (int)n)
			vals[c] = optarg;
		else if (c != 'p') {
			return usage_rc(v, k, c);
		}
	}
	if (v->op == OP_RENEW)
		npos = 1;
	if (argc - optind != (int)npos || (v->op == OP_RENEW &&
	    (cli_parse_u64(argv[optind], &renews) != 0 || renews == 0))) {
		verb_usage(v, k, stderr);
		return DESK_USAGE;
	}
	if ((rc = cli_connect(cli, true)) != DESK_OK)
		return rc;
	if (v->op == OP_RENEW) {
		/* E5: a renewal is a new entry: the old one's form, changed
		 * by the flags, naming the permit it renews. */
		if ((old = fetch(cli, k, renews)) == NULL)
			return DESK_REFUSED;
		m = cli_xcalloc(1, k->d->sizeof_message);
		protobuf_c_message_init(k->d, m);
		wire_copy_fields(m, old, FORM_FIELDS);
		/* E5 a permit renews, G1-G5 a plan replaces. */
		if ((f = protobuf_c_message_descriptor_get_field_by_name(k->d,
		    "renews")) != NULL ||
		    (f = protobuf_c_message_descriptor_get_field_by_name(k->d,
		    "replaces")) != NULL)
			*(uint64_t *)((char *)m + f->offset) = renews;
		if ((f = protobuf_c_message_descriptor_get_field_by_name(k->d,
		    "valid_from_ms")) != NULL ||
		    (f = protobuf_c_message_descriptor_get_field_by_name(k->d,
		    "starts_ms")) != NULL)
			*(int64_t *)((char *)m + f->offset) = 0;
	} else {
		m = cli_xcalloc(1, k->d->sizeof_message);
		protobuf_c_message_init(k->d, m);
	}
	rc = DESK_USAGE;
	if (v->arg && (f = protobuf_c_message_descriptor_get_field_by_name(
	    k->d, v->arg)) != NULL && set_value(m, f, argv[optind], &a) != 0)
		goto out;
	for (size_t i = 0; i < n; i++)
		if (vals[i] && set_value(m, fs[i], vals[i], &a) != 0)
			goto out;
	for (size_t i = 0; i < n; i++)
		if (preset_of(v, fs[i]) && set_value(m, fs[i],
		    strchr(v->action, '=') + 1, &a) != 0)
			goto out;
	if (prompt && prompt_fields(m, fs, n, &a, &started) != 0)
		goto out;
	if (prompt && (f = protobuf_c_message_descriptor_get_field_by_name(
	    k->d, TIMED_FIELD)) != NULL)
		*(uint32_t *)((char *)m + f->offset) =
		    (uint32_t)elapsed_s(started);
	add.kind = (char *)k->kind;
	add.entry.len = protobuf_c_message_get_packed_size(m);
	add.entry.data = field_keep(&a, cli_xcalloc(1, add.entry.len + 1));
	protobuf_c_message_pack(m, add.entry.data);
	cli_set_body(&req, DESKD__REQUEST__BODY_REGISTER_ADD, &add);
	rc = call_entry(cli, &req, true);
out:
	field_arena_free(&a);
	free(m);
	if (old)
		protobuf_c_message_free_unpacked(old, NULL);
	return rc;
}

static int
step_cmd(struct cli *cli, const struct reg_verb *v, const struct reg_kind *k,
    int argc, char **argv)
{
	struct option opts[4];
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__RegisterStep s = DESKD__REGISTER_STEP__INIT;
	size_t nopt = 0;
	int c, rc;

	if (v->person)
		opts[nopt++] = (struct option){ v->person, required_argument,
		    NULL, 'P' };
	if (v->text)
		opts[nopt++] = (struct option){ v->text, required_argument,
		    NULL, 'T' };
	opts[nopt++] = (struct option){ "help", no_argument, NULL, 'h' };
	opts[nopt] = (struct option){ NULL, 0, NULL, 0 };
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (c == 'P')
			s.person = optarg;
		else if (c == 'T')
			s.text = optarg;
		else {
			return usage_rc(v, k, c);
		}
	}
	if (argc - optind != 1 || cli_parse_u64(argv[optind], &s.id) != 0 ||
	    ((v->need & 1) && !*s.person) || ((v->need & 2) && !*s.text)) {
		verb_usage(v, k, stderr);
		return DESK_USAGE;
	}
	if ((rc = cli_connect(cli, true)) != DESK_OK)
		return rc;
	s.kind = (char *)k->kind;
	s.action = (char *)v->action;
	cli_set_body(&req, DESKD__REQUEST__BODY_REGISTER_STEP, &s);
	return call_entry(cli, &req, false);
}

struct list_arg {
	const struct reg_kind	*k;
	const char		*cols[MAX_FIELDS];
	int			 width[MAX_FIELDS];
	size_t			 n;
	bool			 json;
};

/* A cell cut to its width keeps one space before the next (a name of 14
 * columns ran into the unit). */
static void
list_cell(const char *text, int width)
{
	cli_cell(stdout, text, width - 1);
	putchar(' ');
}

static void
list_row(const ProtobufCMessage *body, const void *arg)
{
	const struct list_arg *la = arg;
	ProtobufCMessage *m = decode(body);
	char buf[256];

	if (m == NULL)
		return;
	if (la->json) {
		json_t *o = json_object(), *j = cli_to_json(m);

		json_object_set_new(o, "kind", json_string(la->k->kind));
		json_object_update(o, j);
		json_decref(j);
		cli_print_json(o);
	} else {
		for (size_t i = 0; i < la->n; i++) {
			const char *cell = buf;

			cli_cell_text(m, la->cols[i], buf, sizeof(buf));
			if (strcmp(la->cols[i], "state") == 0)
				cell = state_text(la->k->kind, buf);
			if (i + 1 < la->n)
				list_cell(cell, la->width[i]);
			else
				printf("%s\n", cell);
		}
	}
	protobuf_c_message_free_unpacked(m, NULL);
}

/* Columns from the kind's field names: a width by type. */
static void
columns(struct list_arg *la, char *spec)
{
	char *save, *tok;

	la->n = 0;
	for (tok = strtok_r(spec, " ", &save); tok && la->n < MAX_FIELDS;
	    tok = strtok_r(NULL, " ", &save)) {
		const ProtobufCFieldDescriptor *f =
		    protobuf_c_message_descriptor_get_field_by_name(la->k->d,
		    tok);

		if (f == NULL)
			continue;
		la->cols[la->n] = tok;
		la->width[la->n++] = strcmp(tok, "id") == 0 ? 6 : field_is_time(f) ?
		    18 : f->type == PROTOBUF_C_TYPE_STRING ? 14 : 11;
	}
}

static int
list_cmd(struct cli *cli, const struct reg_verb *v, const struct reg_kind *k,
    int argc, char **argv)
{
	struct option opts[5];
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__RegisterList l = DESKD__REGISTER_LIST__INIT;
	struct list_arg la = { .k = k, .json = cli->json };
	char spec[256], title[64];
	uint64_t limit = UINT64_MAX;
	size_t nopt = 0;
	int c, rc;

	if (v->action)
		opts[nopt++] = (struct option){ v->action, no_argument, NULL,
		    'o' };
	opts[nopt++] = (struct option){ "filter", required_argument, NULL,
	    'f' };
	opts[nopt++] = (struct option){ "limit", required_argument, NULL, 'l' };
	opts[nopt++] = (struct option){ "help", no_argument, NULL, 'h' };
	opts[nopt] = (struct option){ NULL, 0, NULL, 0 };
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (c == 'o')
			l.open_only = true;
		else if (c == 'f')
			l.filter = optarg;
		else if (c != 'l' || cli_parse_u64(optarg, &limit) != 0) {
			return usage_rc(v, k, c);
		}
	}
	if ((rc = ready(cli, v, k, argc, 0)) != DESK_OK)
		return rc;
	l.kind = (char *)k->kind;
	snprintf(spec, sizeof(spec), "%s", k->cols);
	columns(&la, spec);
	if (!cli->json) {
		for (size_t i = 0; i < la.n; i++) {
			field_heading(k->d, la.cols[i], title, sizeof(title));
			if (i + 1 < la.n)
				list_cell(title, la.width[i]);
			else
				printf("%s\n", title);
		}
	}
	cli_set_body(&req, DESKD__REQUEST__BODY_REGISTER_LIST, &l);
	/* The rows decode each entry by kind, JSON included: the pager's own
	 * JSON would show the packed envelope. */
	cli->json = false;
	rc = cli_list_pages(cli, &req, &l.after_id, "id", limit, list_row, &la);
	cli->json = la.json;
	return rc;
}

static int
read_cmd(struct cli *cli, const struct reg_verb *v, const struct reg_kind *k,
    int argc, char **argv)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__RegisterGet g = DESKD__REGISTER_GET__INIT;
	Deskd__RegisterHistory h = DESKD__REGISTER_HISTORY__INIT;
	uint64_t id;
	int rc;

	if (cli_wants_help(argc, argv)) {
		verb_usage(v, k, stdout);
		return 0;
	}
	if (argc != 2 || cli_parse_u64(argv[1], &id) != 0) {
		verb_usage(v, k, stderr);
		return DESK_USAGE;
	}
	if ((rc = cli_connect(cli, true)) != DESK_OK)
		return rc;
	if (v->op == OP_SHOW) {
		g.kind = (char *)k->kind;
		g.id = id;
		cli_set_body(&req, DESKD__REQUEST__BODY_REGISTER_GET, &g);
		return call_entry(cli, &req, false);
	}
	h.kind = (char *)k->kind;
	h.id = id;
	cli_set_body(&req, DESKD__REQUEST__BODY_REGISTER_HISTORY, &h);
	return cli_list_pages(cli, &req, &h.after_seq, "seq", UINT64_MAX,
	    cli_event_row, NULL);
}

static int
report_cmd(struct cli *cli, const struct reg_verb *v,
    const struct reg_kind *k, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "month", required_argument, NULL, 'm' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__RegisterReport q = DESKD__REGISTER_REPORT__INIT;
	Deskd__Response *resp = NULL;
	int c, rc;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (c != 'm' || cli_month_arg(optarg, &q.month) != DESK_OK) {
			return usage_rc(v, k, c);
		}
	}
	if ((rc = ready(cli, v, k, argc, 0)) != DESK_OK)
		return rc;
	q.kind = (char *)k->kind;
	cli_set_body(&req, DESKD__REQUEST__BODY_REGISTER_REPORT, &q);
	if ((rc = cli_call(cli, &req, &resp)) == DESK_OK &&
	    resp->body_case == DESKD__RESPONSE__BODY_REGISTER_REPORT) {
		const Deskd__RegisterReportReply *r = resp->register_report;

		if (cli->json)
			cli_print_json(cli_to_json(&r->base));
		else {
			printf(_("%s registrations %04u-%02u: %u, %u timed, "
			    "%u over %u s (E2)\n"), r->kind, r->month / 100,
			    r->month % 100, r->total, r->timed, r->over_limit,
			    r->limit_seconds);
			if (r->timed)
				printf(_("longest %u s, mean %u s\n"),
				    r->max_seconds, r->mean_seconds);
			for (size_t i = 0; i < r->n_slow_ids; i++)
				printf("%s%" PRIu64, i ? ", " : _("over: "),
				    r->slow_ids[i]);
			if (r->n_slow_ids)
				putchar('\n');
		}
	}
	if (resp)
		deskd__response__free_unpacked(resp, NULL);
	return rc;
}

/* G3: the notice of a hazard for the department, as text (--json: its
 * lines) or a one-page PDF. */
static int
notice_cmd(struct cli *cli, const struct reg_verb *v,
    const struct reg_kind *k, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "pdf", required_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const Deskd__Hazard *h;
	ProtobufCMessage *m;
	const char *pdf = NULL;
	json_t *o;
	uint64_t id;
	int c, rc;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (c != 'p')
			return usage_rc(v, k, c);
		pdf = optarg;
	}
	if (argc - optind != 1 || cli_parse_u64(argv[optind], &id) != 0)
		return usage_rc(v, k, '?');
	if ((rc = cli_connect(cli, true)) != DESK_OK)
		return rc;
	if ((m = fetch(cli, k, id)) == NULL)
		return DESK_REFUSED;
	h = (const Deskd__Hazard *)m;
	if (pdf != NULL && cli_notice_pdf(h, pdf) != 0)
		rc = DESK_USAGE;
	else if (cli->json) {
		o = cli_notice_json(h);
		if (pdf != NULL)
			json_object_set_new(o, "pdf", json_string(pdf));
		cli_print_json(o);
	} else if (pdf != NULL)
		printf(_("notice %s written to %s\n"), h->notice_no, pdf);
	else
		cli_notice_text(h, stdout);
	protobuf_c_message_free_unpacked(m, NULL);
	return rc;
}

static int
run(struct cli *cli, const struct reg_verb *v, int argc, char **argv)
{
	const struct reg_kind *k = kind_find(v->kind);

	switch (v->op) {
	case OP_ADD:
	case OP_RENEW:
		return add_cmd(cli, v, k, argc, argv);
	case OP_STEP:
		return step_cmd(cli, v, k, argc, argv);
	case OP_LIST:
		return list_cmd(cli, v, k, argc, argv);
	case OP_REPORT:
		return report_cmd(cli, v, k, argc, argv);
	case OP_NOTICE:
		return notice_cmd(cli, v, k, argc, argv);
	case OP_SURVEY:
		return cli_survey(cli, v->verb, argc, argv);
	default:
		return read_cmd(cli, v, k, argc, argv);
	}
}

static int
group(struct cli *cli, const char *name, int argc, char **argv)
{
	FILE *out = argc < 2 ? stderr : stdout;

	for (size_t i = 0; i < NVERBS; i++)
		if (strcmp(verbs[i].group, name) == 0 && (verbs[i].verb ==
		    NULL || (argc >= 2 && strcmp(verbs[i].verb, argv[1]) == 0)))
			return verbs[i].verb == NULL ? run(cli, &verbs[i], argc,
			    argv) : run(cli, &verbs[i], argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "--help") != 0 &&
	    strcmp(argv[1], "-h") != 0 && strcmp(argv[1], "help") != 0) {
		fprintf(stderr, _("desk %s: unknown command '%s' (try "
		    "--help)\n"), name, argv[1]);
		return DESK_USAGE;
	}
	fprintf(out, _("usage: desk %s COMMAND [ARGS]   (each takes "
	    "--help)\n"), name);
	for (size_t i = 0; i < NVERBS; i++)
		if (strcmp(verbs[i].group, name) == 0) {
			fputs("  ", out);
			cli_cell(out, verbs[i].verb, 10);
			fprintf(out, " %s\n", _(verbs[i].summary));
		}
	return argc < 2 ? DESK_USAGE : 0;
}

/* `desk visitor|pass|key|parking|permit-visitor ...`: the group is the
 * command's own name (argv[0]). */
int
cli_desk_group(struct cli *cli, int argc, char **argv)
{
	return group(cli, argv[0], argc, argv);
}

static const char usage_register[] = N_(
"usage: desk register KIND add [--FIELD VALUE ...] [--prompt]\n"
"       desk register KIND list [--open] [--filter FIELD=VALUE] [--limit N]\n"
"       desk register KIND show|history ID\n"
"       desk register KIND ACTION ID [--person PERSON] [--text TEXT]\n"
"Every front-desk register (E1-E5, E7); `desk register KIND add --help`\n"
"lists a register's fields, and deskd names its actions.  Registers:\n");

/* `desk register KIND ...`: any register, the generic words. */
int
cli_register(struct cli *cli, int argc, char **argv)
{
	const struct reg_kind *k = argc >= 2 ? kind_find(argv[1]) : NULL;
	struct reg_verb v = { "register", NULL, NULL, OP_STEP, NULL, "person",
	    "text", 0, NULL, N_("a step on an entry") };
	char group_name[64];

	if (k == NULL || argc < 3) {
		bool help = argc >= 2 && (strcmp(argv[1], "--help") == 0 ||
		    strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "help") == 0);

		if (argc >= 2 && !help && k == NULL)
			fprintf(stderr, _("desk register: no register "
			    "'%s'\n"), argv[1]);
		fputs(_(usage_register), help ? stdout : stderr);
		for (size_t i = 0; i < NKINDS; i++) {
			fputs("  ", help ? stdout : stderr);
			cli_cell(help ? stdout : stderr, kinds[i].kind, 15);
			fprintf(help ? stdout : stderr, " %s\n",
			    _(kinds[i].summary));
		}
		return help ? 0 : DESK_USAGE;
	}
	snprintf(group_name, sizeof(group_name), "register %s", k->kind);
	v.group = group_name;
	v.kind = k->kind;
	v.verb = argv[2];
	if (strcmp(argv[2], "add") == 0) {
		v.op = OP_ADD;
		v.summary = k->summary;
	} else if (strcmp(argv[2], "list") == 0) {
		v.op = OP_LIST;
		v.action = "open";
		v.summary = N_("entries; --open: still open");
	} else if (strcmp(argv[2], "show") == 0) {
		v.op = OP_SHOW;
		v.summary = N_("one entry");
	} else if (strcmp(argv[2], "history") == 0) {
		v.op = OP_HISTORY;
		v.summary = N_("every event of one entry");
	} else
		v.action = argv[2];
	return run(cli, &v, argc - 2, argv + 2);
}
