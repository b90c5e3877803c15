/* cli_alert.c - `desk alerts` and `desk alert ack`: the supervisors' view of
 * deadlines that were missed (H2). */
#include <ctype.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char *
state_label(Deskd__AlertState s)
{
	switch (s) {
	case DESKD__ALERT_STATE__ALERT_ACKED:	return "acked";
	case DESKD__ALERT_STATE__ALERT_CLEARED:	return "cleared";
	default:				return "open";
	}
}

static void
alert_row(const Deskd__Alert *a)
{
	char id[24], due[32];

	snprintf(id, sizeof(id), "%" PRIu64, a->id);
	cli_fmt_time(a->due_ms, due, sizeof(due));
	cli_cell(stdout, id, 6);
	cli_cell(stdout, state_label(a->state), 8);
	cli_cell(stdout, a->rule, 6);
	cli_cell(stdout, a->record, 14);
	cli_cell(stdout, due, 17);
	cli_cell(stdout, a->role, 11);
	cli_cell(stdout, *a->acked_by ? a->acked_by : "-", 10);
	printf("%s\n", a->message);
}

static const char usage_alerts[] =
"usage: desk alerts [--open]\n"
"Alerts raised by the deadline clocks (H2): the rule, the record, when it\n"
"was due, whom it is addressed to now, and who took it.  --open: not yet\n"
"cleared (the work is not done).\n";

int
cli_alerts(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "open", no_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__AlertList l = DESKD__ALERT_LIST__INIT;
	bool more = true;
	int c, rc;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (c == 'o')
			l.open_only = true;
		else
			return cli_usage(usage_alerts, c == 'h' ? 0 : DESK_USAGE);
	}
	if (optind != argc)
		return cli_usage(usage_alerts, DESK_USAGE);
	if ((rc = cli_connect(cli, true)) != DESK_OK)
		return rc;
	req.body_case = DESKD__REQUEST__BODY_ALERT_LIST;
	req.alert_list = &l;
	if (!cli->json)
		printf("%-6s%-8s%-6s%-14s%-17s%-11s%-10sWHAT TO DO\n", "ID",
		    "STATE", "RULE", "RECORD", "DUE", "FOR", "TAKEN BY");
	while (more) {
		Deskd__Response *resp = NULL;
		Deskd__AlertListReply *r;

		if ((rc = cli_call(cli, &req, &resp)) != DESK_OK) {
			if (resp)
				deskd__response__free_unpacked(resp, NULL);
			return rc;
		}
		r = resp->alert_list;
		for (size_t i = 0; i < r->n_alerts; i++) {
			if (cli->json)
				cli_print_json(cli_to_json(&r->alerts[i]->base));
			else
				alert_row(r->alerts[i]);
			l.after_id = r->alerts[i]->id;
		}
		more = r->more && r->n_alerts > 0;
		deskd__response__free_unpacked(resp, NULL);
	}
	return DESK_OK;
}

static const char usage_ack[] =
"usage: desk alert ack ID [--note TEXT]\n"
"Take an alert: it stops repeating and escalating, and says who took it.\n"
"It clears by itself when the work is done.\n";

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
			printf("alert %" PRIu64 " taken by %s\n", resp->alert->id,
			    resp->alert->acked_by);
	}
	if (resp)
		deskd__response__free_unpacked(resp, NULL);
	return rc;
}

int
cli_alert(struct cli *cli, int argc, char **argv)
{
	static const struct cli_cmd cmds[] = {
		{ "ack", cmd_ack, "take an alert (stops its escalation)" },
	};

	return cli_dispatch(cli, cmds, 1, "usage: desk alert COMMAND [ARGS]\n",
	    argc, argv);
}
