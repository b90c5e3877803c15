/*
 * cli_request.c - `desk request ...`: changes to duty (A3, A7, A8).  Each
 * kind of request is a `new` of its own (swap, leave, standin, leave-post)
 * and each decision a step row; what record kinds share is cli_record.c's.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cli_record.h"
#include "wire.h"

#define KIND(x)	DESKD__DUTY_KIND__DUTY_##x
#define ACT(x)	DESKD__DUTY_ACTION__DUTY_##x

static void
time_field(const char *label, int64_t ms)
{
	char t[32];

	if (ms == 0)
		return;
	cli_fmt_time(ms, t, sizeof(t));
	cli_field(label, t);
}

/* The words cli_enum_label makes of DutyKind and DutyStatus, for the
 * catalog: shown translated. */
static const char *const duty_words[] = {
	N_("swap"), N_("leave"), N_("standin"), N_("leave post"),
	N_("pending"), N_("approved"), N_("rejected"), N_("withdrawn"),
	N_("returned"), N_("declined"), NULL
};

/* A kind or status of a request, translated. */
static const char *
duty_word(const ProtobufCEnumDescriptor *d, int v)
{
	return cli_word(duty_words, cli_enum_label(d, v, "DUTY_"));
}

static void
print_request(const ProtobufCMessage *m)
{
	const Deskd__DutyRequest *d = (const Deskd__DutyRequest *)m;
	char buf[256];

	printf(_("request %" PRIu64 "  %s, %s\n"), d->id,
	    duty_word(&deskd__duty_kind__descriptor, (int)d->kind),
	    duty_word(&deskd__duty_status__descriptor, (int)d->status));
	cli_field(_("requester"), d->requester);
	cli_field(d->kind == KIND(SWAP) ? _("with") :
	    d->kind == KIND(STANDIN) ? _("for") : _("cover"), d->other);
	if (d->date) {
		snprintf(buf, sizeof(buf), "%04u-%02u-%02u %s", d->date / 10000,
		    d->date / 100 % 100, d->date % 100, d->shift);
		cli_field(_("shift"), buf);
	}
	if (d->other_date) {
		snprintf(buf, sizeof(buf), "%04u-%02u-%02u %s",
		    d->other_date / 10000, d->other_date / 100 % 100,
		    d->other_date % 100, d->other_shift);
		cli_field(_("their shift"), buf);
	}
	time_field(_("from"), d->from_ms);
	time_field(d->kind == KIND(LEAVE_POST) ? _("back by") : _("to"),
	    d->to_ms);
	cli_field(_("reason"), d->reason);
	time_field(_("accepted"), d->accepted_ms);
	cli_field(_("decided by"), d->decided_by);
	time_field(_("decided"), d->decided_ms);
	cli_field(_("note"), d->note);
	if (d->version) {
		snprintf(buf, sizeof(buf), "%u", d->version);
		cli_field(i18n_ctext(NC_("request", "published")), buf);
	}
	time_field(_("back"), d->back_ms);
	time_field(_("requested"), d->created_ms);
}

#define REASON(opt)	{ "reason", "reason", ARG_TEXT, "TEXT", opt }

/* The kinds of request: each a `new` whose action is the kind. */
static const struct cli_step new_cmds[] = {
	{ "swap", KIND(SWAP), {
	    { "with", "other", ARG_TEXT, "USER", false },
	    { "date", "date", ARG_DAY, "YYYY-MM-DD", false },
	    { "shift", "shift", ARG_TEXT, "SHIFT", false },
	    { "their-date", "other_date", ARG_DAY, "YYYY-MM-DD", false },
	    { "their-shift", "other_shift", ARG_TEXT, "SHIFT", false },
	    REASON(true) },
	    N_("exchange one of your shifts with one of USER's (A3)"),
	    N_("Both shifts must be on the published schedule, in one month, and\n"
	    "still to come.  USER accepts it (desk request accept ID) before the\n"
	    "supervisor decides.\n") },
	{ "leave", KIND(LEAVE), {
	    { "date", "date", ARG_DAY, "YYYY-MM-DD", false },
	    { "shift", "shift", ARG_TEXT, "SHIFT", false },
	    { "cover", "other", ARG_TEXT, "USER", true },
	    REASON(false) },
	    N_("ask for leave from a shift (A3, A8)"),
	    N_("Whoever covers the shift is named here or by the supervisor at\n"
	    "approval (desk request approve ID --cover USER).\n") },
	{ "standin", KIND(STANDIN), {
	    { "for", "other", ARG_TEXT, "USER", false },
	    { "from", "from_ms", ARG_TIME, "TIME", false },
	    { "to", "to_ms", ARG_TIME, "TIME", false },
	    REASON(false) },
	    N_("stand in for USER, at most 4 hours within their shift (A8)"),
	    /* WIRE_TIME_RANGE, written out: a catalog's text is one literal. */
	    N_("TIME: 'YYYY-MM-DD HH:MM' or 'HH:MM', from 2000-01-01 00:00 to "
	    "2099-12-31 23:59 UTC.\n") },
	{ "leave-post", KIND(LEAVE_POST), {
	    { "until", "to_ms", ARG_TIME, "TIME", false },
	    REASON(false) },
	    N_("ask to leave the post until TIME (A7)"),
	    N_("Once approved, an alert is raised if you are not back by TIME:\n"
	    "record your return with desk request back ID.\n") },
};

static const struct cli_step step_cmds[] = {
	{ "approve", ACT(APPROVE), { { "note", "text", ARG_TEXT, "TEXT", true },
	    { "cover", "cover", ARG_TEXT, "USER", true } },
	    N_("approve; a swap or leave publishes a new schedule (A3)"),
	    N_("Supervisor or admin, never on their own request.\n") },
	{ "reject", ACT(REJECT), { { "note", "text", ARG_TEXT, "TEXT", true } },
	    N_("reject a request (A3)"), NULL },
	{ "withdraw", ACT(WITHDRAW), { { "note", "text", ARG_TEXT, "TEXT",
	    true } }, N_("withdraw your own pending request"), NULL },
	{ "back", ACT(BACK), { { "note", "text", ARG_TEXT, "TEXT", true } },
	    N_("back at the post after leaving it (A7)"), NULL },
	{ "accept", ACT(ACCEPT), { { "note", "text", ARG_TEXT, "TEXT",
	    true } }, N_("agree to a swap of your shift, before the supervisor "
	    "decides (A3)"), NULL },
	{ "decline", ACT(DECLINE), { { "note", "text", ARG_TEXT, "TEXT",
	    true } }, N_("refuse a swap of your shift (A3)"), NULL },
};

static const char usage_list[] = N_(
"usage: desk request list [--open] [--limit N]\n"
"List changes to duty, oldest first.  --open: pending, or away from the\n"
"post.\n");

static const struct cli_col list_cols[] = {
	{ N_("ID"), 6, "id" }, { N_("KIND"), 11, "kind" },
	{ N_("STATUS"), 10, "status" }, { NC_("request", "BY"), 10, "requester" },
	{ N_("OTHER"), 10, "other" }, { N_("SHIFT"), 10, "shift" },
	{ N_("REASON"), 30, "reason" },
};

static const struct cli_list list = {
	usage_list, &deskd__duty_list__descriptor,
	DESKD__REQUEST__BODY_DUTY_LIST, { "open" }, list_cols,
	sizeof(list_cols) / sizeof(list_cols[0]),
};

static const struct cli_kind kind_base = {
	.group = "request",
	.new = &new_cmds[0],
	.new_msg = &deskd__duty_new__descriptor,
	.step = &deskd__duty_step__descriptor,
	.get = &deskd__duty_get__descriptor,
	.history = &deskd__duty_history__descriptor,
	.new_body = DESKD__REQUEST__BODY_DUTY_NEW,
	.step_body = DESKD__REQUEST__BODY_DUTY_STEP,
	.get_body = DESKD__REQUEST__BODY_DUTY_GET,
	.history_body = DESKD__REQUEST__BODY_DUTY_HISTORY,
	.record_body = DESKD__RESPONSE__BODY_DUTY_REQUEST,
	.print = print_request,
	.list = &list,
};

/* One command of the group's help: its name, and its summary translated. */
static void
command_line(FILE *f, const char *name, const char *summary)
{
	fputs("  ", f);
	cli_cell(f, name, 10);
	fprintf(f, " %s\n", _(summary));
}

int
cli_request(struct cli *cli, int argc, char **argv)
{
	static char new_word[] = "new";
	size_t nnew = sizeof(new_cmds) / sizeof(new_cmds[0]);
	size_t nsteps = sizeof(step_cmds) / sizeof(step_cmds[0]);
	struct cli_kind k = kind_base;
	FILE *f = argc < 2 ? stderr : stdout;

	for (size_t i = 0; argc >= 2 && i < nnew; i++)
		if (strcmp(argv[1], new_cmds[i].name) == 0) {
			k.new = &new_cmds[i];
			argv[1] = new_word;
			return cli_record_group(cli, &k, step_cmds, nsteps,
			    argc, argv);
		}
	if (argc >= 2 && strcmp(argv[1], "new") != 0 &&
	    strcmp(argv[1], "--help") != 0 && strcmp(argv[1], "-h") != 0 &&
	    strcmp(argv[1], "help") != 0)
		return cli_record_group(cli, &k, step_cmds, nsteps, argc,
		    argv);
	fputs(_("usage: desk request COMMAND [ARGS]   (each takes --help)\n"),
	    f);
	for (size_t i = 0; i < nnew; i++)
		command_line(f, new_cmds[i].name, new_cmds[i].summary);
	command_line(f, "list", N_("list requests"));
	command_line(f, "show", N_("one request as it stands"));
	command_line(f, "history", N_("every entry of one request"));
	for (size_t i = 0; i < nsteps; i++)
		command_line(f, step_cmds[i].name, step_cmds[i].summary);
	return argc < 2 ? DESK_USAGE : 0;
}
