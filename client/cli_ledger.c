/*
 * cli_ledger.c - `desk ledger`: the month's compliance ledger (issue 15),
 * one line per quota of the regulations: what is required this month,
 * what is done, the forecast to its due time at the current rate, and
 * met / on track / at risk / missed.  Once the supervisor has signed the
 * month (B8), a line changed since shows the signed figures beside it.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "cli_pdf.h"
#include "cli_record.h"
#include "ledger_words.h"

static const char usage_ledger[] = N_(
"usage: desk ledger [--month YYYY-MM] [--json | --pdf FILE]\n"
"The compliance ledger of --month (default this month): one line per\n"
"quota (C2, C4 complaints; B7-B9 the duty log; A1 attendance; F1-F5\n"
"visits, surveys, training; G2, G4 fire safety), with what is required,\n"
"what is done, the percentage, the forecast by its due time at the\n"
"current rate, and its status: met, on track, at risk or missed.  A\n"
"month signed by the supervisor (B8) shows lines changed since as\n"
"corrected, with the figures as signed.  --pdf FILE: the same as an A4\n"
"document in Chinese (服务合规台账) to print.\n");

/* A column's cell and the space after it: a long "what" never runs
 * into the figures. */
static void
cell(const char *s, int width)
{
	cli_cell(stdout, s, width - 1);
	putchar(' ');
}

static void
ledger_text(const Deskd__LedgerReply *r)
{
	static const struct cli_col cols[] = {
		{ N_("RULE"), 5, NULL }, { N_("WHAT"), 47, NULL },
		{ N_("REQUIRED"), 9, NULL }, { N_("DONE"), 7, NULL },
		{ "%", 5, NULL }, { N_("FORECAST"), 9, NULL },
		{ N_("STATUS"), 9, NULL },
	};
	size_t ncols = sizeof(cols) / sizeof(cols[0]);
	char now[32], when[32], num[4][24];

	cli_fmt_time(r->now_ms, now, sizeof(now));
	printf(_("Compliance ledger %s, as of %s\n"), r->month, now);
	if (r->seal != NULL) {
		cli_fmt_time(r->seal->signed_ms, when, sizeof(when));
		printf(_("Signed by %s at %s (B8)\n"), r->seal->signed_by, when);
	}
	for (size_t k = 0; k + 1 < ncols; k++)
		cell(_(cols[k].title), cols[k].width);
	printf("%s\n", _(cols[ncols - 1].title));
	for (size_t i = 0; i < r->n_lines; i++) {
		const Deskd__QuotaLine *l = r->lines[i];

		snprintf(num[0], sizeof(num[0]), "%" PRIu64, l->required);
		snprintf(num[1], sizeof(num[1]), "%" PRIu64, l->done);
		snprintf(num[2], sizeof(num[2]), "%u", l->percent);
		snprintf(num[3], sizeof(num[3]), "%" PRIu64, l->forecast);
		cell(l->rule, cols[0].width);
		/* The server's words, in the catalog with the document's
		 * (cli_report_pdf.c): any other is shown as it came. */
		cell(ledger_word(l->what), cols[1].width);
		for (int k = 0; k < 4; k++)
			cell(num[k], cols[2 + k].width);
		printf("%s", ledger_word(l->status));
		if (l->corrected)
			printf(_("  corrected: signed %" PRIu64 " of %" PRIu64),
			    l->signed_done, l->signed_required);
		printf("\n");
	}
}

int
cli_ledger(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "month", required_argument, NULL, 'm' },
		{ "pdf", required_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__LedgerGet q = DESKD__LEDGER_GET__INIT;
	Deskd__Response *resp = NULL;
	const Deskd__LedgerReply *r;
	const char *pdf = NULL;
	int c, rc;

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (c == 'm')
			q.month = optarg;
		else if (c == 'p')
			pdf = optarg;
		else
			return cli_usage(usage_ledger, c == 'h' ? 0 :
			    DESK_USAGE);
	}
	if (optind != argc)
		return cli_usage(usage_ledger, DESK_USAGE);
	if ((rc = cli_connect(cli, true)) != DESK_OK)
		return rc;
	cli_set_body(&req, DESKD__REQUEST__BODY_LEDGER, &q);
	if ((rc = cli_call(cli, &req, &resp)) != DESK_OK)
		goto out;
	r = (const Deskd__LedgerReply *)cli_body(resp);
	if (pdf != NULL) {
		if ((rc = cli_ledger_pdf(r, pdf) == 0 ? DESK_OK : DESK_USAGE) ==
		    DESK_OK)
			printf(_("ledger %s written to %s\n"), r->month, pdf);
	} else if (cli->json)
		cli_print_json(cli_to_json(&r->base));
	else
		ledger_text(r);
out:
	if (resp)
		deskd__response__free_unpacked(resp, NULL);
	return rc;
}
