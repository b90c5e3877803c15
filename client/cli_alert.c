/* cli_alert.c - `desk alerts` and `desk alert ack`: the supervisors' view of
 * deadlines that were missed (H2). */
#include <ctype.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_record.h"

static const char usage_alerts[] =
"usage: desk alerts [--open] [--limit N]\n"
"Alerts raised by the deadline clocks (H2): the rule, the record, when it\n"
"was due, whom it is addressed to now, who took it, and what to do.\n"
"--open: nobody has taken them yet (not acknowledged, not cleared).\n";

static const struct cli_col alert_cols[] = {
	{ "ID", 6, "id" }, { "STATE", 8, "state" }, { "RULE", 6, "rule" },
	{ "RECORD", 18, "record" }, { "DUE", 17, "due_ms" },
	{ "FOR", 11, "role" }, { "TAKEN BY", 10, "acked_by" },
	{ "WHAT TO DO", 40, "message" },
};

static const struct cli_list alert_list = {
	usage_alerts, &deskd__alert_list__descriptor,
	DESKD__REQUEST__BODY_ALERT_LIST, { "open" }, alert_cols,
	sizeof(alert_cols) / sizeof(alert_cols[0]),
};

int
cli_alerts(struct cli *cli, int argc, char **argv)
{
	return cli_list_cmd(cli, &alert_list, argc, argv);
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
