/*
 * cli_complaint.c - `desk complaint ...`: intake, the steps of C1-C9, and
 * the reads.  Every step command is one row of step_cmds; what all record
 * kinds share is in cli_record.c.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cli_record.h"
#include "wire.h"

#define ACT(x)	DESKD__COMPLAINT_ACTION__ACTION_##x

#define STATUS_LABEL(c)	cli_enum_label(&deskd__complaint_status__descriptor, \
	(int)(c)->status, "STATUS_")
#define VALIDITY_LABEL(c) cli_enum_label(&deskd__validity__descriptor, \
	(int)(c)->validity, "VALIDITY_")
#define LEVEL_LABEL(c)	cli_enum_label(&deskd__escalation_level__descriptor, \
	(int)(c)->level, "LEVEL_")

/* States, validity and levels as people read them (lists too). */
static const char *const words[] = { N_("open"), N_("resolved"),
    N_("closed"), N_("undecided"), N_("valid"), N_("invalid"), N_("desk"),
    N_("manager"), N_("general manager"), NULL };

/* Where a complaint came from and how (C5), the words the server keeps. */
static const char *const sources[] = { NC_("source", "customer"),
    NC_("source", "employee"), NC_("channel", "phone"),
    NC_("channel", "visit"), NC_("channel", "wechat"),
    NC_("channel", "letter"), NC_("channel", "email"),
    NC_("channel", "other"), NULL };

static void
print_complaint(const ProtobufCMessage *m)
{
	const Deskd__Complaint *c = (const Deskd__Complaint *)m;
	char buf[512], t1[32], id[24], cat[128];

	snprintf(id, sizeof(id), "%" PRIu64, c->id);
	printf(_("complaint %1$s  %2$s, %3$s, with the %4$s\n"),
	    id, cli_word(words, STATUS_LABEL(c)), cli_word(words,
	    VALIDITY_LABEL(c)), cli_word(words, LEVEL_LABEL(c)));
	cli_field(_("unit"), c->unit);
	cli_field(_("post"), c->post);
	snprintf(buf, sizeof(buf), "%s (%s)", c->complainant, c->phone);
	cli_field(_("complainant"), buf);
	snprintf(buf, sizeof(buf), _("%1$s, by %2$s"),
	    cli_word(sources, c->source), cli_word(sources, c->channel));
	cli_field(_("source"), buf);
	cli_field(_("category"), cli_category_name(NULL, c->category, cat,
	    sizeof(cat)));
	cli_fmt_time(c->event_time_ms, t1, sizeof(t1));
	cli_field(_("event time"), t1);
	cli_field(_("what happened"), c->text);
	cli_field(_("demand"), c->demand);
	snprintf(buf, sizeof(buf), "%s%s%s", c->responsible_dept,
	    *c->responsible_dept && *c->responsible_person ? " / " : "",
	    c->responsible_person);
	cli_field(_("responsible"), buf);
	if (*c->invalid_reason)
		cli_field(_("invalid because"), c->invalid_reason);
	cli_fmt_time(c->reply_due_ms, t1, sizeof(t1));
	cli_field(_("reply due"), t1);
	cli_fmt_time(c->last_reply_ms, t1, sizeof(t1));
	cli_field(_("last reply"), t1);
	cli_field(_("result"), c->result);
	if (*c->revisit_result) {
		snprintf(buf, sizeof(buf), _("%1$s (satisfaction %2$u/5)"),
		    c->revisit_result, c->satisfaction);
		cli_field(_("revisit"), buf);
	}
	if (*c->ruling)
		cli_field(_("final ruling"), c->ruling);
	cli_recorded(c->created_by, c->created_ms, c->revision, c->import_file,
	    c->import_ref, c->reported_by, c->reported_ms);
}

static const struct cli_step new_cmd = { "new", 0, {
	{ "unit", "unit", ARG_TEXT, N_("UNIT"), true },
	{ "name", "complainant", ARG_TEXT, N_("NAME"), false },
	{ "phone", "phone", ARG_TEXT, N_("PHONE"), false },
	{ "category", "category", ARG_TEXT, N_("CATEGORY"), false },
	CLI_TEXT("text"),
	{ "demand", "demand", ARG_TEXT, "TEXT", true },
	{ "source", "source", ARG_TEXT, "customer|employee", true },
	{ "channel", "channel", ARG_TEXT,
	    "phone|visit|wechat|letter|email|other", true },
	{ "event-time", "event_time_ms", ARG_TIME, N_("TIME"), true },
	CLI_POST },
	N_("record a new complaint (C5)"),
	/* WIRE_TIME_RANGE written out: a catalog's text is one literal. */
	N_("C5: who, the event and its time, what happened, what they ask for,\n"
	"a contact number; the unit, except for an employee's complaint\n"
	"(--source employee).  Prints the new id.  A reply is owed within 2 hours\n"
	"(C2/C3).  CATEGORY: a code or its Chinese name, as `desk categories`\n"
	"lists them (C8: stored as the code).  TIME: 'YYYY-MM-DD HH:MM', 'HH:MM'\n"
	"or '+30m', from 2000-01-01 00:00 to 2099-12-31 23:59 UTC.\n") };

static const struct cli_list list;

/* The filters of issue 16, each into ComplaintList's field. */
static const struct cli_flag list_filters[] = {
	{ "unit", "unit", ARG_TEXT, "UNIT", true },
	{ "category", "category", ARG_TEXT, "CATEGORY", true },
	{ "from", "from_day", ARG_DAY, "YYYY-MM-DD", true },
	{ "to", "to_day", ARG_DAY, "YYYY-MM-DD", true },
	{ "status", "status", ARG_TEXT, "open|resolved|closed", true },
	{ NULL, NULL, ARG_TEXT, NULL, false },
};

static const struct cli_kind kind = {
	.group = "complaint",
	.new = &new_cmd,
	.new_msg = &deskd__complaint_new__descriptor,
	.step = &deskd__complaint_step__descriptor,
	.get = &deskd__complaint_get__descriptor,
	.history = &deskd__complaint_history__descriptor,
	.new_body = DESKD__REQUEST__BODY_COMPLAINT_NEW,
	.step_body = DESKD__REQUEST__BODY_COMPLAINT_STEP,
	.get_body = DESKD__REQUEST__BODY_COMPLAINT_GET,
	.history_body = DESKD__REQUEST__BODY_COMPLAINT_HISTORY,
	.record_body = DESKD__RESPONSE__BODY_COMPLAINT,
	.print = print_complaint,
	.list = &list,
	.filters = list_filters,
};

/* ---------- steps ---------- */

static const struct cli_step step_cmds[] = {
	{ "assign", ACT(ASSIGN), { { "dept", "dept", ARG_TEXT, "DEPT", true },
	    { "person", "person", ARG_TEXT, "PERSON", true } },
	    N_("attribute responsibility to a department and/or person (C6)"),
	    NULL },
	{ "valid", ACT(VALID), { { 0 } },
	    N_("judge the complaint valid (C2)"), NULL },
	{ "invalid", ACT(INVALID), { CLI_TEXT("reason") },
	    N_("judge it invalid, with the reason (C3)"), NULL },
	{ "reply", ACT(REPLY), { CLI_TEXT("text"), { "next-reply-at",
	    "next_reply_ms", ARG_TIME, "TIME", true } },
	    N_("record the reply to the complainant and the agreed next reply "
	    "(C2)"),
	    N_("A valid complaint needs --next-reply-at ('YYYY-MM-DD HH:MM', "
	    "'HH:MM' or '+2h').\n") },
	{ "resolve", ACT(RESOLVE), { CLI_TEXT("text") },
	    N_("record the resolution"), NULL },
	{ "revisit", ACT(REVISIT), { CLI_TEXT("result"), { "satisfaction",
	    "satisfaction", ARG_SCORE, "1-5", false } },
	    N_("record the revisit and satisfaction 1-5 (C4)"), NULL },
	{ "escalate", ACT(ESCALATE), { CLI_TEXT("reason") },
	    N_("pass to the manager (C7)"), NULL },
	{ "appeal", ACT(APPEAL), { CLI_TEXT("ruling") },
	    N_("record the general manager's final ruling (C7, director)"),
	    NULL },
	{ "note", ACT(NOTE), { CLI_TEXT("text") },
	    N_("add a note or correction; nothing is overwritten (C9)"), NULL },
};

/* ---------- reads ---------- */

static const char usage_list[] = N_(
"usage: desk complaint list [--open] [--unit UNIT] [--category CATEGORY]\n"
"                           [--from YYYY-MM-DD] [--to YYYY-MM-DD]\n"
"                           [--status open|resolved|closed] [--limit N]\n"
"List complaints, oldest first (--open: not yet closed).  --unit: a unit,\n"
"or a building or entrance (3-2 lists 3-2-1201); --category: a code or\n"
"its name (`desk categories`); --from, --to: recorded on those days or\n"
"between them (the office's days).  BY is who recorded it.\n");

static const struct cli_col list_cols[] = {
	{ N_("ID"), 6, "id" }, { N_("STATUS"), 9, "status" },
	{ N_("VALIDITY"), 10, "validity" }, { N_("UNIT"), 11, "unit" },
	{ N_("NAME"), 11, "complainant" }, { N_("CATEGORY"), 11, "category" },
	{ N_("REPLY DUE"), 17, "reply_due_ms" }, { N_("BY"), 9, "created_by" },
	{ N_("TEXT"), 30, "text" },
};

static const struct cli_list list = {
	usage_list, &deskd__complaint_list__descriptor,
	DESKD__REQUEST__BODY_COMPLAINT_LIST, { "open" }, list_cols,
	sizeof(list_cols) / sizeof(list_cols[0]),
};

int
cli_complaint(struct cli *cli, int argc, char **argv)
{
	return cli_record_group(cli, &kind, step_cmds,
	    sizeof(step_cmds) / sizeof(step_cmds[0]), argc, argv);
}

static const struct cli_col category_cols[] = {
	{ N_("CODE"), 13, "code" }, { N_("NAME"), 20, "name" },
};

static const struct cli_list categories = {
	N_("usage: desk categories\nThe office's complaint categories (C8): a "
	"complaint takes the code or the\nname, and is counted by the code.\n"),
	&deskd__category_list__descriptor, DESKD__REQUEST__BODY_CATEGORY_LIST,
	{ NULL }, category_cols, sizeof(category_cols) /
	sizeof(category_cols[0]),
};

int
cli_categories(struct cli *cli, int argc, char **argv)
{
	return cli_list_cmd(cli, &categories, argc, argv);
}
