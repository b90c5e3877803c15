/*
 * cli_handover.c - `desk handover ...`: the handover at a shift boundary
 * (B2-B6).  Every command is one row of cmds: the action it sends and what
 * its one positional argument fills; the flags are shared.  Without --id a
 * command works on the newest open handover of --post (the first post).
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_record.h"

#define ACT(x)	DESKD__HANDOVER_ACTION__HANDOVER_##x

static const char usage_group[] = N_(
"usage: desk handover COMMAND [ARGS] [--id N] [--post P]   (each takes\n"
"       --help and --json)\n"
"The handover of a post at a shift boundary (B2-B6): count the items,\n"
"follow up pending work, record anomalies, then the outgoing person signs\n"
"and the incoming person signs.\n");

enum pos { POS_NONE, POS_NAME, POS_TEXT, POS_N, POS_SIDE };

struct hcmd {
	const char	*name;
	int		 action;	/* -1: show */
	enum pos	 pos;
	bool		 pos_optional;
	const char	*usage;
};

/* The handover's states as people read them. */
static const char *const states[] = { N_("open"), N_("out signed"),
    N_("closed"), NULL };

/* "王芳 at 2026-12-04 16:00": who, by the name they are known by. */
static void
signed_field(struct cli *cli, const char *label, const char *by, int64_t ms)
{
	char t[32], buf[256];

	if (*by == '\0')
		return;
	cli_fmt_time(ms, t, sizeof(t));
	snprintf(buf, sizeof(buf), _("%1$s at %2$s"), cli_person_name(cli, by),
	    t);
	cli_field(label, buf);
}

static void
print_handover(struct cli *cli, const Deskd__Handover *h)
{
	char t[32], buf[512], id[24];

	cli_fmt_time(h->boundary_ms, t, sizeof(t));
	snprintf(id, sizeof(id), "%" PRIu64, h->id);
	printf(_("handover %1$s  %2$s  %3$s -> %4$s at %5$s, %6$s\n"),
	    id, h->post, h->shift_off, h->shift_on, t, cli_word(states,
	    cli_enum_label(&deskd__handover_state__descriptor, (int)h->state,
	    "HANDOVER_")));
	cli_field(_("outgoing"), *h->outgoing ? cli_person_name(cli,
	    h->outgoing) : _("(not scheduled)"));
	cli_field(_("incoming"), *h->incoming ? cli_person_name(cli,
	    h->incoming) : _("(not scheduled)"));
	for (size_t i = 0; i < h->n_items; i++) {
		const Deskd__HandoverItem *it = h->items[i];

		if (it->counted)
			snprintf(buf, sizeof(buf), "%s %u/%u%s%.300s", it->name,
			    it->count, it->expected, *it->note ? "  " : "",
			    it->note);
		else
			snprintf(buf, sizeof(buf), _("%1$s ?/%2$u (not "
			    "counted)"), it->name, it->expected);
		cli_field(i == 0 ? _("items") : "", buf);
	}
	for (size_t i = 0; i < h->n_pending; i++) {
		const Deskd__HandoverPending *p = h->pending[i];

		snprintf(buf, sizeof(buf), "%u %s%s%.200s%s%s%s%s%.100s", p->n,
		    p->done ? _("[done] ") : "", p->important ?
		    _("IMPORTANT ") : "", p->text, *p->record ? " (" : "",
		    p->record, *p->record ? ")" : "", *p->note ? "; " : "",
		    p->note);
		cli_field(i == 0 ? i18n_ctext(NC_("handover", "pending")) : "",
		    buf);
	}
	for (size_t i = 0; i < h->n_anomalies; i++) {
		snprintf(buf, sizeof(buf), "%.400s (%s)", h->anomalies[i]->text,
		    cli_person_name(cli, h->anomalies[i]->by));
		cli_field(i == 0 ? _("anomalies") : "", buf);
	}
	if (*h->override_by) {
		snprintf(buf, sizeof(buf), "%s: %.400s", cli_person_name(cli,
		    h->override_by), h->override_reason);
		cli_field(_("override (B6)"), buf);
	}
	signed_field(cli, _("signed out"), h->out_signed_by, h->out_signed_ms);
	signed_field(cli, _("signed in"), h->in_signed_by, h->in_signed_ms);
}

static int
run(struct cli *cli, const struct hcmd *hc, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "id", required_argument, NULL, 'i' },
		{ "post", required_argument, NULL, 'p' },
		{ "count", required_argument, NULL, 'c' },
		{ "note", required_argument, NULL, 'n' },
		{ "text", required_argument, NULL, 'n' },
		{ "reason", required_argument, NULL, 'n' },
		{ "important", no_argument, NULL, 'I' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__HandoverGet get = DESKD__HANDOVER_GET__INIT;
	Deskd__HandoverStep step = DESKD__HANDOVER_STEP__INIT;
	Deskd__Response *resp = NULL;
	uint64_t v, count = UINT64_MAX;
	int c, rc;

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'i':
			if (cli_parse_u64(optarg, &v) != 0 || v == 0)
				return cli_usage(hc->usage, DESK_USAGE);
			get.id = step.id = v;
			break;
		case 'p': get.post = step.post = optarg; break;
		case 'c':
			if (cli_parse_u64(optarg, &count) != 0 ||
			    count > UINT32_MAX)
				return cli_usage(hc->usage, DESK_USAGE);
			break;
		case 'n': step.text = optarg; break;
		case 'I': step.important = true; break;
		case 'j': cli->json = true; break;
		default:
			return cli_usage(hc->usage, c == 'h' ? 0 : DESK_USAGE);
		}
	}
	if (argc - optind > (hc->pos != POS_NONE) ||
	    (argc == optind && hc->pos != POS_NONE && !hc->pos_optional) ||
	    (hc->action == ACT(ITEM) && count == UINT64_MAX))
		return cli_usage(hc->usage, DESK_USAGE);
	if (optind < argc)
		switch (hc->pos) {
		case POS_NAME: step.name = argv[optind]; break;
		case POS_TEXT: step.text = argv[optind]; break;
		case POS_SIDE: step.side = argv[optind]; break;
		default:
			if (cli_parse_u64(argv[optind], &v) != 0 || v == 0 ||
			    v > UINT32_MAX)
				return cli_usage(hc->usage, DESK_USAGE);
			step.n = (uint32_t)v;
			break;
		}
	step.count = count == UINT64_MAX ? 0 : (uint32_t)count;
	step.action = hc->action < 0 ? 0 : (Deskd__HandoverAction)hc->action;
	if (hc->action < 0)
		cli_set_body(&req, DESKD__REQUEST__BODY_HANDOVER_GET, &get);
	else
		cli_set_body(&req, DESKD__REQUEST__BODY_HANDOVER_STEP, &step);
	if ((rc = cli_connect(cli, true)) != DESK_OK)
		return rc;
	if ((rc = cli_call(cli, &req, &resp)) == DESK_OK &&
	    resp->body_case == DESKD__RESPONSE__BODY_HANDOVER) {
		if (cli->json)
			cli_print_json(cli_to_json(&resp->handover->base));
		else
			print_handover(cli, resp->handover);
	}
	if (resp)
		deskd__response__free_unpacked(resp, NULL);
	return rc;
}

/* Rows by the command's own name (argv[0]; "add" and "done" are under
 * pending). */
static const struct hcmd hcmds[] = {
	{ "show", -1, POS_NONE, false,
	    N_("usage: desk handover show [--id N] [--post P]\n") },
	{ "item", ACT(ITEM), POS_NAME, false,
	    N_("usage: desk handover item NAME --count N [--note WHY]\n"
	    "B2: a count that differs from the post's list needs a note.\n") },
	{ "add", ACT(PENDING_ADD), POS_TEXT, false,
	    N_("usage: desk handover pending add TEXT [--important]\n"
	    "B6: open important work stops the outgoing signature.\n") },
	{ "done", ACT(PENDING_DONE), POS_N, false,
	    N_("usage: desk handover pending done N [--note TEXT]\n") },
	{ "anomaly", ACT(ANOMALY), POS_TEXT, true,
	    N_("usage: desk handover anomaly --text TEXT\n"
	    "B4: an anomaly found at the post, explained.\n") },
	{ "sign", ACT(SIGN), POS_SIDE, true,
	    N_("usage: desk handover sign [out|in]\n"
	    "B5: the outgoing person signs, then the incoming person; without a\n"
	    "side, your own side.\n") },
	{ "override", ACT(OVERRIDE), POS_NONE, false,
	    N_("usage: desk handover override --reason TEXT   (supervisor)\n"
	    "B6: lets the outgoing person sign with important work open.\n") },
};

static int
cmd_row(struct cli *cli, int argc, char **argv)
{
	for (size_t i = 0; i < sizeof(hcmds) / sizeof(hcmds[0]); i++)
		if (strcmp(argv[0], hcmds[i].name) == 0)
			return run(cli, &hcmds[i], argc, argv);
	return DESK_USAGE;
}

static int
cmd_pending(struct cli *cli, int argc, char **argv)
{
	static const struct cli_cmd cmds[] = {
		{ "add", cmd_row, N_("TEXT [--important]: work to follow up") },
		{ "done", cmd_row, N_("N [--note]: pending item N is done") },
	};

	return cli_dispatch(cli, cmds, sizeof(cmds) / sizeof(cmds[0]),
	    N_("usage: desk handover pending add|done ...\n"), argc, argv);
}

int
cli_handover(struct cli *cli, int argc, char **argv)
{
	static const struct cli_cmd cmds[] = {
		{ "show", cmd_row, N_("the handover: items, pending, anomalies") },
		{ "item", cmd_row, N_("NAME --count N [--note]: count an item (B2)") },
		{ "pending", cmd_pending, N_("add TEXT | done N: pending work (B3)") },
		{ "anomaly", cmd_row, N_("--text TEXT: an anomaly found (B4)") },
		{ "sign", cmd_row, N_("sign your side: outgoing, then incoming (B5)") },
		{ "override", cmd_row, N_("--reason TEXT: let important work pass (B6)") },
	};

	return cli_dispatch(cli, cmds, sizeof(cmds) / sizeof(cmds[0]),
	    usage_group, argc, argv);
}
