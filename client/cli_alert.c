/* cli_alert.c - `desk alerts` and `desk alert ack`: the deadlines that were
 * missed (H2), filtered by the server to the asker, a post or a role, each
 * with its record's unit and masked phone (issue 16). */
#include <ctype.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_record.h"

static const char usage_alerts[] =
N_("usage: desk alerts [--open] [--mine] [--post POST] [--role ROLE]\n"
"                   [--limit N] [--json]\n"
"Alerts raised by the deadline clocks (H2): the rule, the record with its\n"
"unit and phone (masked), when it was due, whom it is addressed to now, who\n"
"took it, and what to do.\n"
"--open: nobody has taken them yet (not acknowledged, not cleared).\n"
"--mine: those you hold; --post POST: about work followed up at POST;\n"
"--role clerk|supervisor|director: addressed to that role now.\n");

static const struct cli_col alert_cols[] = {
	{ N_("ID"), 6, NULL }, { N_("STATE"), 9, NULL },
	{ N_("RULE"), 6, NULL }, { N_("RECORD"), 14, NULL },
	{ N_("UNIT"), 11, NULL }, { N_("PHONE"), 13, NULL },
	{ N_("DUE"), 17, NULL }, { N_("FOR"), 11, NULL },
	{ N_("TAKEN BY"), 10, NULL }, { N_("WHAT TO DO"), 40, NULL },
};
#define NCOLS	(sizeof(alert_cols) / sizeof(alert_cols[0]))

static const char *const state_labels[] = {
	[DESKD__ALERT_STATE__ALERT_OPEN] = NC_("alert", "open"),
	[DESKD__ALERT_STATE__ALERT_ACKED] = N_("taken"),
	[DESKD__ALERT_STATE__ALERT_CLEARED] = N_("cleared"),
};

static void
alert_row(const ProtobufCMessage *m, const void *arg)
{
	const Deskd__Alert *a = (const Deskd__Alert *)m;
	char id[24], due[32];

	(void)arg;
	snprintf(id, sizeof(id), "%" PRIu64, a->id);
	cli_fmt_time(a->due_ms, due, sizeof(due));
	cli_col_cell(alert_cols, NCOLS, 0, id);
	cli_col_cell(alert_cols, NCOLS, 1, (unsigned)a->state <
	    sizeof(state_labels) / sizeof(state_labels[0]) ?
	    i18n_ctext(state_labels[a->state]) : "?");
	cli_col_cell(alert_cols, NCOLS, 2, a->rule);
	cli_col_cell(alert_cols, NCOLS, 3, a->record);
	cli_col_cell(alert_cols, NCOLS, 4, *a->unit ? a->unit : "-");
	cli_col_cell(alert_cols, NCOLS, 5, *a->phone ? a->phone : "-");
	cli_col_cell(alert_cols, NCOLS, 6, due);
	cli_col_cell(alert_cols, NCOLS, 7, cli_role_label(a->role));
	cli_col_cell(alert_cols, NCOLS, 8, *a->acked_by ? a->acked_by : "-");
	cli_col_cell(alert_cols, NCOLS, 9, i18n_said(a->message));
	putchar('\n');
}

int
cli_alerts(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "open", no_argument, NULL, 'o' },
		{ "mine", no_argument, NULL, 'm' },
		{ "post", required_argument, NULL, 'p' },
		{ "role", required_argument, NULL, 'r' },
		{ "limit", required_argument, NULL, 'l' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__AlertList l = DESKD__ALERT_LIST__INIT;
	uint64_t limit = UINT64_MAX;
	int c, rc;

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (c == 'o')
			l.open_only = true;
		else if (c == 'm')
			l.mine = true;
		else if (c == 'p')
			l.post = optarg;
		else if (c == 'r')
			l.role = optarg;
		else if (c == 'j')
			cli->json = true;
		else if (c != 'l' || cli_parse_u64(optarg, &limit) != 0)
			return cli_usage(usage_alerts, c == 'h' ? 0 :
			    DESK_USAGE);
	}
	if (optind != argc)
		return cli_usage(usage_alerts, DESK_USAGE);
	if ((rc = cli_connect(cli, true)) != DESK_OK)
		return rc;
	cli_set_body(&req, DESKD__REQUEST__BODY_ALERT_LIST, &l);
	if (!cli->json)
		cli_col_titles(alert_cols, NCOLS);
	return cli_list_pages(cli, &req, &l.after_id, "id", limit, alert_row,
	    NULL);
}

static const char usage_ack[] =
N_("usage: desk alert ack ID [--note TEXT]\n"
"Take an alert: it stops repeating and escalating, and says who took it.\n"
"It clears by itself when the work is done.\n");

static int
cmd_ack(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "note", required_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__AlertAck ack = DESKD__ALERT_ACK__INIT;
	Deskd__Response *resp = NULL;
	int c, rc;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (c == 'n')
			ack.note = optarg;
		else
			return cli_usage(usage_ack, c == 'h' ? 0 : DESK_USAGE);
	}
	if (optind + 1 != argc || cli_parse_u64(argv[optind], &ack.id) != 0 ||
	    ack.id == 0)
		return cli_usage(usage_ack, DESK_USAGE);
	if ((rc = cli_connect(cli, true)) != DESK_OK)
		return rc;
	req.body_case = DESKD__REQUEST__BODY_ALERT_ACK;
	req.alert_ack = &ack;
	if ((rc = cli_call(cli, &req, &resp)) == DESK_OK) {
		if (cli->json)
			cli_print_json(cli_to_json(&resp->alert->base));
		else
			printf(_("alert %1$" PRIu64 " taken by %2$s\n"),
			    resp->alert->id, resp->alert->acked_by);
	}
	if (resp)
		deskd__response__free_unpacked(resp, NULL);
	return rc;
}

int
cli_alert(struct cli *cli, int argc, char **argv)
{
	static const struct cli_cmd cmds[] = {
		{ "ack", cmd_ack, N_("take an alert (stops its escalation)") },
	};

	return cli_dispatch(cli, cmds, 1, N_("usage: desk alert COMMAND [ARGS]\n"),
	    argc, argv);
}
