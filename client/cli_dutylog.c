/*
 * cli_dutylog.c - `desk log ...` and `desk spotcheck ...`: the duty log of
 * the shift in progress (B3), the day's and the month's signatures (B7, B8)
 * and the director's spot check (B9).  Every command is one row of cmds:
 * the request it sends; the flags are shared.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_record.h"
#include "wire.h"

enum lcmd { L_ADD, L_SHOW, L_SIGN, L_CHAIN, S_DRAW, S_SIGN, S_REPORT };

struct lrow {
	const char	*group, *name;
	enum lcmd	 cmd;
	const char	*usage;
};

/* "2026-12-03" -> 20261203, "2026-12" -> 202612 (want_day false); 0 if
 * it is neither. */
static uint32_t
parse_period(const char *s, bool want_day)
{
	unsigned y = 0, m = 0, d = 1;
	int n = 0;

	if (want_day ? sscanf(s, "%4u-%2u-%2u%n", &y, &m, &d, &n) != 3 :
	    sscanf(s, "%4u-%2u%n", &y, &m, &n) != 2)
		n = -1;
	/* A day of the calendar, in the one range of times (wire.h). */
	if (n < 0 || s[n] != '\0' || !wire_day_ok(y * 10000 + m * 100 + d)) {
		fprintf(stderr, want_day ? _("desk: '%s' is not a day "
		    "(YYYY-MM-DD) from %d-01-01 to %d-12-31\n") :
		    _("desk: '%s' is not a month (YYYY-MM) from %d-01 to "
		    "%d-12\n"), s, WIRE_YEAR_FIRST, WIRE_YEAR_END - 1);
		return 0;
	}
	return want_day ? y * 10000 + m * 100 + d : y * 100 + m;
}

/* A chain hash in full (64 hex digits): what a client compares. */
static void
fmt_hash(const ProtobufCBinaryData *h, char *out, size_t len)
{
	size_t at = 0;

	out[0] = '\0';
	for (size_t i = 0; i < h->len && at + 3 <= len; i++)
		at += (size_t)snprintf(out + at, len - at, "%02x", h->data[i]);
}

/* A signature: its label (longer than cli_field's column: "month signed
 * (B8)") and a space before what it sealed, never run together. */
static void
print_seal(const char *label, const Deskd__DutySeal *s)
{
	char t[32], hash[72], entries[64];
	int w = cli_width(label) + 1;

	if (s == NULL)
		return;
	cli_fmt_time(s->signed_ms, t, sizeof(t));
	fmt_hash(&s->hash, hash, sizeof(hash));
	snprintf(entries, sizeof(entries), P_("%u entry", "%u entries",
	    s->entries), s->entries);
	cli_cell(stdout, label, w < 15 ? 15 : w);
	printf(_("%s at %s, %s, event %" PRIu64 " hash %s"), s->signed_by, t,
	    entries, s->seq, hash);
	printf("%s%.100s\n", *s->note ? "  " : "", s->note);
}

/* What a seal of the scope ("day", "month", "spot") signed, translated. */
static const char *
seal_label(const char *scope)
{
	static const char *const labels[][2] = {
		{ "day", N_("day signed (B7)") },
		{ "month", N_("month signed (B8)") },
		{ "spot", N_("spot check signed (B9)") },
		{ NULL, NULL },
	};

	return cli_code_label(labels, scope);
}

static void
print_entry(const Deskd__DutyLogEntry *e)
{
	char t[32];

	cli_fmt_time(e->at_ms, t, sizeof(t));
	printf("%" PRIu64 "  %s  ", e->id, t);
	/* A shift or a name in Chinese is measured in columns (issue 16). */
	cli_cell(stdout, *e->shift ? e->shift : "-", 8);
	putchar(' ');
	cli_cell(stdout, e->author, 10);
	printf(" %s%s%s%s%s\n", e->after_seal ? _("[after signature] ") : "",
	    e->text, *e->record ? " (" : "", e->record,
	    *e->record ? ")" : "");
}

static void
print_spot(const Deskd__SpotCheck *sc)
{
	char buf[512], p[16];
	size_t used = 0;

	wire_period_text(sc->month, p, sizeof(p));
	printf(_("spot check %s: %zu of %zu days drawn (%zu%%), %zu signed, "
	    "seed %" PRIu64 " by %s\n"), p, sc->n_selected,
	    sc->n_candidates, sc->n_candidates ? sc->n_selected * 100 /
	    sc->n_candidates : 0, sc->n_signs, sc->seed, sc->drawn_by);
	for (size_t i = 0; i < sc->n_selected && used < sizeof(buf); i++) {
		wire_period_text(sc->selected[i], p, sizeof(p));
		used += (size_t)snprintf(buf + used, sizeof(buf) - used,
		    "%s%s", i ? " " : "", p);
	}
	cli_field(_("drawn"), sc->n_selected ? buf : _("(none)"));
	for (size_t i = 0; i < sc->n_signs; i++) {
		wire_period_text(sc->signs[i]->period, p, sizeof(p));
		snprintf(buf, sizeof(buf), _("spot %s"), p);
		print_seal(buf, sc->signs[i]);
	}
}

static void
print_reply(const Deskd__Response *r)
{
	char p[16];

	switch (r->body_case) {
	case DESKD__RESPONSE__BODY_LOG_ENTRY:
		print_entry(r->log_entry);
		break;
	case DESKD__RESPONSE__BODY_LOG_DAY:
		wire_period_text(r->log_day->day, p, sizeof(p));
		printf(P_("duty log %s: %zu entry\n",
		    "duty log %s: %zu entries\n", r->log_day->n_entries), p,
		    r->log_day->n_entries);
		for (size_t i = 0; i < r->log_day->n_entries; i++)
			print_entry(r->log_day->entries[i]);
		print_seal(seal_label("day"), r->log_day->seal);
		print_seal(seal_label("month"), r->log_day->month_seal);
		break;
	case DESKD__RESPONSE__BODY_SEAL:
		print_seal(seal_label(r->seal->scope), r->seal);
		break;
	case DESKD__RESPONSE__BODY_SPOT_CHECK:
		print_spot(r->spot_check);
		break;
	case DESKD__RESPONSE__BODY_CHAIN_HASH: {
		char hash[72], line[128];

		fmt_hash(&r->chain_hash->hash, hash, sizeof(hash));
		snprintf(line, sizeof(line), "%" PRIu64 " (of %" PRIu64 ")",
		    r->chain_hash->seq, r->chain_hash->last_seq);
		cli_field(_("event"), line);
		cli_field(_("chain hash"), hash);
		break;
	}
	default:
		break;
	}
}

static int
run(struct cli *cli, const struct lrow *lr, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "record", required_argument, NULL, 'r' },
		{ "day", required_argument, NULL, 'd' },
		{ "month", required_argument, NULL, 'm' },
		{ "note", required_argument, NULL, 'n' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__DutyLogAdd add = DESKD__DUTY_LOG_ADD__INIT;
	Deskd__DutyLogGet get = DESKD__DUTY_LOG_GET__INIT;
	Deskd__DutyLogSign sign = DESKD__DUTY_LOG_SIGN__INIT;
	Deskd__SpotCheckDraw draw = DESKD__SPOT_CHECK_DRAW__INIT;
	Deskd__SpotCheckSign ssign = DESKD__SPOT_CHECK_SIGN__INIT;
	Deskd__SpotCheckReport rep = DESKD__SPOT_CHECK_REPORT__INIT;
	Deskd__ChainGet chain = DESKD__CHAIN_GET__INIT;
	Deskd__Response *resp = NULL;
	uint32_t day = 0, month = 0;
	const char *record = "", *note = "";
	int c, rc, npos = lr->cmd == L_ADD || lr->cmd == S_SIGN;
	char *end;

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'r': record = optarg; break;
		case 'd':
			if ((day = parse_period(optarg, true)) == 0)
				return cli_usage(lr->usage, DESK_USAGE);
			break;
		case 'm':
			if ((month = parse_period(optarg, false)) == 0)
				return cli_usage(lr->usage, DESK_USAGE);
			break;
		case 'n': note = optarg; break;
		case 'j': cli->json = true; break;
		default:
			return cli_usage(lr->usage, c == 'h' ? 0 : DESK_USAGE);
		}
	}
	/* log chain takes its event as an optional argument. */
	if (lr->cmd == L_CHAIN && argc - optind == 1) {
		chain.seq = strtoull(argv[optind], &end, 10);
		if (*argv[optind] == '\0' || *end != '\0' || chain.seq == 0)
			return cli_usage(lr->usage, DESK_USAGE);
		npos = 1;
	}
	if (argc - optind != npos)
		return cli_usage(lr->usage, DESK_USAGE);
	switch (lr->cmd) {
	case L_ADD:
		add.text = argv[optind];
		add.record = (char *)record;
		add.day = day;
		cli_set_body(&req, DESKD__REQUEST__BODY_LOG_ADD, &add);
		break;
	case L_SHOW:
		get.day = day;
		cli_set_body(&req, DESKD__REQUEST__BODY_LOG_GET, &get);
		break;
	case L_CHAIN:
		cli_set_body(&req, DESKD__REQUEST__BODY_CHAIN_GET, &chain);
		break;
	case L_SIGN:
		sign.day = day;
		sign.month = month;
		sign.note = (char *)note;
		cli_set_body(&req, DESKD__REQUEST__BODY_LOG_SIGN, &sign);
		break;
	case S_DRAW:
	case S_REPORT:
		if (month == 0)
			return cli_usage(lr->usage, DESK_USAGE);
		draw.month = rep.month = month;
		cli_set_body(&req, lr->cmd == S_DRAW ?
		    DESKD__REQUEST__BODY_SPOT_DRAW :
		    DESKD__REQUEST__BODY_SPOT_REPORT, lr->cmd == S_DRAW ?
		    (void *)&draw : (void *)&rep);
		break;
	case S_SIGN:
		if ((ssign.day = parse_period(argv[optind], true)) == 0)
			return cli_usage(lr->usage, DESK_USAGE);
		ssign.month = ssign.day / 100;
		ssign.note = (char *)note;
		cli_set_body(&req, DESKD__REQUEST__BODY_SPOT_SIGN, &ssign);
		break;
	}
	if ((rc = cli_connect(cli, true)) != DESK_OK)
		return rc;
	if ((rc = cli_call(cli, &req, &resp)) == DESK_OK &&
	    cli_body(resp) != NULL) {
		if (cli->json)
			cli_print_json(cli_to_json(cli_body(resp)));
		else
			print_reply(resp);
	}
	if (resp)
		deskd__response__free_unpacked(resp, NULL);
	return rc;
}

static const struct lrow lrows[] = {
	{ "log", "add", L_ADD,
	    N_("usage: desk log add TEXT [--record KIND:ID] [--day YYYY-MM-DD]\n"
	    "B3: an entry of the shift's duty log; --day adds a later note to\n"
	    "a past day (flagged when that day is already signed, B7).\n") },
	{ "log", "show", L_SHOW, N_("usage: desk log show [--day YYYY-MM-DD]\n"
	    "A day's entries, and each signature with the event and the full\n"
	    "chain hash it sealed (check one with desk log chain SEQ).\n") },
	{ "log", "chain", L_CHAIN, N_("usage: desk log chain [SEQ]\n"
	    "C9: the event log's chain hash after event SEQ (default: the last),\n"
	    "to check a signature's seal or a copy of the log (PROTOCOL.md\n"
	    "11.6).\n") },
	{ "log", "sign", L_SIGN,
	    N_("usage: desk log sign --day YYYY-MM-DD | --month YYYY-MM "
	    "[--note TEXT]\n"
	    "B7/B8 (supervisor): seals the day's or the month's log.\n") },
	{ "spotcheck", "draw", S_DRAW,
	    /* xgettext:no-c-format */
	    N_("usage: desk spotcheck draw --month YYYY-MM   (director)\n"
	    "B9: the server draws at least 20% of the month's days with a\n"
	    "duty log, from a seed it records.\n") },
	{ "spotcheck", "sign", S_SIGN,
	    N_("usage: desk spotcheck sign YYYY-MM-DD [--note TEXT]   "
	    "(director)\n") },
	{ "spotcheck", "report", S_REPORT,
	    N_("usage: desk spotcheck report --month YYYY-MM\n") },
};

static int
row(struct cli *cli, const char *group, int argc, char **argv)
{
	for (size_t i = 0; i < sizeof(lrows) / sizeof(lrows[0]); i++)
		if (strcmp(argv[0], lrows[i].name) == 0 &&
		    strcmp(group, lrows[i].group) == 0)
			return run(cli, &lrows[i], argc, argv);
	return DESK_USAGE;
}

static int
log_row(struct cli *cli, int argc, char **argv)
{
	return row(cli, "log", argc, argv);
}

static int
spot_row(struct cli *cli, int argc, char **argv)
{
	return row(cli, "spotcheck", argc, argv);
}

int
cli_log(struct cli *cli, int argc, char **argv)
{
	static const struct cli_cmd cmds[] = {
		{ "add", log_row, N_("TEXT [--record KIND:ID]: an entry (B3)") },
		{ "show", log_row,
		    N_("[--day D]: a day's log and its signatures") },
		{ "sign", log_row,
		    N_("--day D | --month M: sign and seal (B7, B8)") },
		{ "chain", log_row,
		    N_("[SEQ]: the chain hash after an event (C9)") },
	};

	return cli_dispatch(cli, cmds, sizeof(cmds) / sizeof(cmds[0]),
	    N_("usage: desk log add|show|sign|chain ...\n"
	    "The shift's duty log (B3), signed daily by the team lead (B7)\n"
	    "and monthly by the supervisor (B8).\n"), argc, argv);
}

int
cli_spotcheck(struct cli *cli, int argc, char **argv)
{
	static const struct cli_cmd cmds[] = {
		/* xgettext:no-c-format */
		{ "draw", spot_row, N_("--month M: draw 20% of the days (B9)") },
		{ "sign", spot_row, N_("DAY: the director signs a drawn day") },
		{ "report", spot_row, N_("--month M: coverage of the draw") },
	};

	return cli_dispatch(cli, cmds, sizeof(cmds) / sizeof(cmds[0]),
	    N_("usage: desk spotcheck draw|sign|report ...\n"
	    "The director's spot check of the duty log (B9).\n"), argc, argv);
}
