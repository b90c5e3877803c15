/*
 * cli_repair.c - `desk repair ...` (work orders: repairs, convenience and
 * special services, D1-D5) and `desk fee ...` (the fee schedule, D2).
 * Every step command is one row of step_cmds; what all record kinds share
 * is in cli_record.c.  Money is typed and shown in yuan, sent in cents.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cli_record.h"
#include "wire.h"

#define ACT(x)	DESKD__REPAIR_ACTION__REPAIR_##x

#define KIND_LABEL(w)	cli_enum_label(&deskd__work_kind__descriptor, \
	(int)(w)->kind, "KIND_")
#define STATUS_LABEL(w)	cli_enum_label(&deskd__work_status__descriptor, \
	(int)(w)->status, "WORK_")

/* Kinds and states of an order as people read them (lists too). */
static const char *const words[] = { N_("repair"), N_("service"),
    N_("special"), N_("open"), N_("dispatched"), N_("on site"), N_("done"),
    N_("closed"), NULL };

/* A time, and what goes with it when there is anything. */
static void
time_field(const char *label, int64_t ms, const char *with)
{
	char buf[512], t[32];

	if (ms == 0)
		return;
	cli_fmt_time(ms, t, sizeof(t));
	snprintf(buf, sizeof(buf), "%s%s%.400s", t, with && *with ? ", " : "",
	    with ? with : "");
	cli_field(label, buf);
}

static void
print_order(const ProtobufCMessage *m)
{
	const Deskd__WorkOrder *w = (const Deskd__WorkOrder *)m;
	char buf[512], a[32], b[32], id[24];

	snprintf(id, sizeof(id), "%" PRIu64, w->id);
	printf(_("repair %1$s  %2$s, %3$s\n"), id,
	    cli_word(words, KIND_LABEL(w)), cli_word(words, STATUS_LABEL(w)));
	cli_field(_("unit"), w->unit);
	cli_field(_("post"), w->post);
	snprintf(buf, sizeof(buf), "%s (%s)", w->name, w->phone);
	cli_field(_("owner"), buf);
	cli_field(_("what"), w->text);
	time_field(_("visit at"), w->visit_at_ms, NULL);
	if (*w->fee_item) {
		cli_fmt_money(w->fee_price_cents, a, sizeof(a));
		snprintf(buf, sizeof(buf), _("%1$s %2$s/%3$s x %4$u (price as "
		    "of the order, D2)"), w->fee_item, a, w->fee_unit,
		    w->fee_qty);
		cli_field(_("fee"), buf);
	}
	cli_field(_("engineer"), w->engineer);
	time_field(_("dispatched"), w->dispatched_ms, NULL);
	time_field(_("arrived"), w->arrived_ms, NULL);
	if (w->called_ms) {
		cli_fmt_time(w->eta_ms, b, sizeof(b));
		if (w->eta_ms)
			snprintf(buf, sizeof(buf), _("%1$s (agreed %2$s)"),
			    w->call_note, b);
		else
			snprintf(buf, sizeof(buf), "%s", w->call_note);
		time_field(_("owner called"), w->called_ms, buf);
	}
	cli_fmt_money(w->charge_cents, a, sizeof(a));
	snprintf(buf, sizeof(buf), _("charged %s"), a);
	time_field(_("done"), w->done_ms, buf);
	if (*w->charge_override_by) {
		cli_fmt_money(w->fee_price_cents * (int64_t)w->fee_qty, a,
		    sizeof(a));
		snprintf(buf, sizeof(buf), _("by %1$s, not the schedule's "
		    "%2$s: %3$.300s"), w->charge_override_by, a,
		    w->charge_reason);
		cli_field(_("override"), buf);
	}
	if (w->rating) {
		snprintf(buf, sizeof(buf), "%u/5 %s", w->rating, w->feedback);
		cli_field(_("feedback"), buf);
	}
	time_field(_("revisited"), w->revisited_ms, w->revisit_result);
	if (w->revisit_attempts) {
		snprintf(buf, sizeof(buf), P_("%u attempt", "%u attempts",
		    w->revisit_attempts), w->revisit_attempts);
		if (w->rating == 0 && w->revisited_ms &&
		    *STATUS_LABEL(w) == 'c')
			snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf),
			    "%s", _(", closed without feedback"));
		cli_field(_("unreachable"), buf);
	}
	cli_recorded(w->created_by, w->created_ms, w->revision, w->import_file,
	    w->import_ref, w->reported_by, w->reported_ms);
}

static const struct cli_step new_cmd = { "new", 0, {
	{ "unit", "unit", ARG_TEXT, "UNIT", false },
	{ "name", "name", ARG_TEXT, N_("NAME"), false },
	{ "phone", "phone", ARG_TEXT, N_("PHONE"), false },
	{ "kind", "kind", ARG_ENUM, "repair|service|special", false },
	CLI_TEXT("text"),
	{ "visit-at", "visit_at_ms", ARG_TIME, N_("TIME"), true },
	{ "fee", "fee_item", ARG_TEXT, N_("ITEM"), true },
	{ "qty", "fee_qty", ARG_COUNT, N_("N"), true },
	CLI_POST },
	N_("record a repair or service (D1, D2)"),
	/* WIRE_TIME_RANGE written out: a catalog's text is one literal. */
	N_("D1: in detail, with the visit time agreed with the owner.  Paid work\n"
	"names an item of the fee schedule (D2, `desk fee list`); its price is\n"
	"frozen into the order.  A special service is always paid.  Prints the\n"
	"new id.  TIME: 'YYYY-MM-DD HH:MM', 'HH:MM' or '+30m',\n"
	"from 2000-01-01 00:00 to 2099-12-31 23:59 UTC.\n") };

static const struct cli_list list;

/* The filters of issue 16, each into RepairList's field. */
static const struct cli_flag list_filters[] = {
	{ "unit", "unit", ARG_TEXT, "UNIT", true },
	{ "kind", "kind", ARG_TEXT, "repair|service|special", true },
	{ "from", "from_day", ARG_DAY, "YYYY-MM-DD", true },
	{ "to", "to_day", ARG_DAY, "YYYY-MM-DD", true },
	{ "status", "status", ARG_TEXT,
	    "open|dispatched|on_site|done|closed", true },
	{ NULL, NULL, ARG_TEXT, NULL, false },
};

static const struct cli_kind kind = {
	.group = "repair",
	.new = &new_cmd,
	.new_msg = &deskd__repair_new__descriptor,
	.step = &deskd__repair_step__descriptor,
	.get = &deskd__repair_get__descriptor,
	.history = &deskd__repair_history__descriptor,
	.new_body = DESKD__REQUEST__BODY_REPAIR_NEW,
	.step_body = DESKD__REQUEST__BODY_REPAIR_STEP,
	.get_body = DESKD__REQUEST__BODY_REPAIR_GET,
	.history_body = DESKD__REQUEST__BODY_REPAIR_HISTORY,
	.record_body = DESKD__RESPONSE__BODY_WORK_ORDER,
	.print = print_order,
	.list = &list,
	.filters = list_filters,
};

/* ---------- steps ---------- */

#define ENGINEER	{ "engineer", "engineer", ARG_TEXT, "USER", true }

static const struct cli_step step_cmds[] = {
	{ "dispatch", ACT(DISPATCH), { ENGINEER },
	    N_("send to engineering, or to one engineer (D3: 20 minutes "
	    "start)"),
	    N_("Again, with another engineer, to reassign (the 20 minutes run "
	    "on).\n") },
	{ "arrive", ACT(ARRIVE), { ENGINEER },
	    N_("an engineer is on site (by the engineer, or the desk for "
	    "them)"),
	    NULL },
	{ "call", ACT(CALL), { { "note", "text", ARG_TEXT, "TEXT", false },
	    { "eta", "eta_ms", ARG_TIME, "TIME", true } },
	    N_("the desk phoned the owner, and the time then agreed (D3)"),
	    N_("Acknowledges the no-engineer alert.  TIME: 'HH:MM' or "
	    "'+30m'.\n") },
	{ "done", ACT(DONE), { { "charge", "charge", ARG_MONEY, "YUAN",
	    true }, { "reason", "charge_reason", ARG_TEXT, "TEXT", true } },
	    N_("the work is finished; charge defaults to price x qty (D2)"),
	    N_("Another charge is an override: a supervisor's, with "
	    "--reason.\n") },
	{ "feedback", ACT(FEEDBACK), { { "rating", "rating", ARG_SCORE, "1-5",
	    false }, { "text", "text", ARG_TEXT, "TEXT", true } },
	    N_("the owner's opinion of the work (D4)"), NULL },
	{ "revisit", ACT(REVISIT), { CLI_TEXT("result"), { "unreachable",
	    "unreachable", ARG_FLAG, "", true } },
	    N_("record the revisit; closes the order (D4/D5)"),
	    N_("It needs the owner's feedback first (repair feedback); with\n"
	    "--unreachable it is an attempt that did not reach the owner, and "
	    "the\nthird such attempt closes the order without feedback "
	    "(D4).\n") },
	{ "note", ACT(NOTE), { CLI_TEXT("text") },
	    N_("add a note or correction; nothing is overwritten"), NULL },
};

/* ---------- reads ---------- */

static const char usage_list[] = N_(
"usage: desk repair list [--open | --overdue] [--unit UNIT]\n"
"                        [--kind repair|service|special]\n"
"                        [--from YYYY-MM-DD] [--to YYYY-MM-DD]\n"
"                        [--status open|dispatched|on_site|done|closed]\n"
"                        [--limit N]\n"
"List work orders, oldest first.  --open: not yet revisited.  --overdue:\n"
"dispatched with no engineer on site past the D3 limit (20 minutes).\n"
"--unit: a unit, or a building or entrance (3-2 lists 3-2-1201); --from,\n"
"--to: recorded on those days or between them (the office's days).\n"
"BY is who recorded it.\n");

static const struct cli_col list_cols[] = {
	{ N_("ID"), 6, "id" }, { N_("KIND"), 8, "kind" },
	{ N_("STATUS"), 11, "status" }, { N_("UNIT"), 11, "unit" },
	{ N_("NAME"), 9, "name" }, { N_("ENGINEER"), 10, "engineer" },
	{ N_("VISIT AT"), 17, "visit_at_ms" }, { N_("BY"), 9, "created_by" },
	{ N_("TEXT"), 30, "text" },
};

static const struct cli_list list = {
	usage_list, &deskd__repair_list__descriptor,
	DESKD__REQUEST__BODY_REPAIR_LIST, { "open", "overdue" }, list_cols,
	sizeof(list_cols) / sizeof(list_cols[0]),
};

int
cli_repair(struct cli *cli, int argc, char **argv)
{
	return cli_record_group(cli, &kind, step_cmds,
	    sizeof(step_cmds) / sizeof(step_cmds[0]), argc, argv);
}

/* ---------- the fee schedule (D2) ---------- */

static const char usage_fee_set[] = N_(
"usage: desk fee set ITEM --price YUAN --unit UNIT\n"
"Publish or change an item of the fee schedule (D2; supervisor or admin).\n"
"Orders already made keep the price they were made with.\n");

static int
cmd_fee_set(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "price", required_argument, NULL, 'p' },
		{ "unit", required_argument, NULL, 'u' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__FeeSet f = DESKD__FEE_SET__INIT;
	Deskd__Response *resp = NULL;
	const char *price = NULL;
	int c, rc;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (c == 'p')
			price = optarg;
		else if (c == 'u')
			f.unit = optarg;
		else
			return cli_usage(usage_fee_set, c == 'h' ? 0 :
			    DESK_USAGE);
	}
	if (optind + 1 != argc || price == NULL || !*f.unit)
		return cli_usage(usage_fee_set, DESK_USAGE);
	if (cli_parse_money(price, &f.price_cents) != 0) {
		fprintf(stderr, _("desk fee set: --price '%s' is not an "
		    "amount (yuan, e.g. 35 or 35.50)\n"), price);
		return DESK_USAGE;
	}
	f.item = argv[optind];
	if ((rc = cli_connect(cli, true)) != DESK_OK)
		return rc;
	req.body_case = DESKD__REQUEST__BODY_FEE_SET;
	req.fee_set = &f;
	if ((rc = cli_call(cli, &req, &resp)) == DESK_OK &&
	    resp->body_case == DESKD__RESPONSE__BODY_FEE) {
		char yuan[32];

		cli_fmt_money(resp->fee->price_cents, yuan, sizeof(yuan));
		if (cli->json)
			cli_print_json(cli_to_json(&resp->fee->base));
		else
			printf("%s %s/%s\n", resp->fee->item, yuan,
			    resp->fee->unit);
	}
	if (resp)
		deskd__response__free_unpacked(resp, NULL);
	return rc;
}

static const struct cli_col fee_cols[] = {
	{ N_("ITEM"), 21, "item" }, { N_("PRICE"), 11, "price_cents" },
	{ N_("PER"), 7, "unit" }, { N_("SET"), 17, "updated_ms" },
	{ NC_("history", "BY"), 10, "updated_by" },
};

static const struct cli_list fee_list = {
	N_("usage: desk fee list\nThe published fee schedule (D2), prices in "
	"yuan.\n"), &deskd__fee_list__descriptor, DESKD__REQUEST__BODY_FEE_LIST,
	{ NULL }, fee_cols, sizeof(fee_cols) / sizeof(fee_cols[0]),
};

static int
cmd_fee_list(struct cli *cli, int argc, char **argv)
{
	return cli_list_cmd(cli, &fee_list, argc, argv);
}

int
cli_fee(struct cli *cli, int argc, char **argv)
{
	static const struct cli_cmd cmds[] = {
		{ "set", cmd_fee_set,
		    N_("publish or change an item's price (D2)") },
		{ "list", cmd_fee_list, N_("the fee schedule") },
	};

	return cli_dispatch(cli, cmds, 2, N_("usage: desk fee COMMAND [ARGS]   "
	    "(each takes --help)\n"), argc, argv);
}
