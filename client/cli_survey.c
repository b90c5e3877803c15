/*
 * cli_survey.c - `desk survey report ID`: a campaign's tally (问卷结果统计表,
 * F3) as deskd counts it: handed out against the occupied units (F2),
 * back within the window against the 50 % it needs (F3), then each
 * question (mean and how many gave 1-5, or a text question's answers) and
 * each building.  --json is the reply as it came.  And `desk survey
 * handout-all ID`: the survey to every occupied unit at once (F2).  The
 * other survey commands are register rows (cli_register.c).
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_pdf.h"
#include "cli_record.h"
#include "ledger_words.h"

static const char usage_report[] = N_(
"usage: desk survey report ID [--pdf FILE]\n"
"The tally of survey campaign ID (问卷结果统计表, F3): handed out of the\n"
"occupied units (F2: 100%), returned within the window of 15 working days\n"
"(F3: at least 50%; later returns are kept, late, not counted), each\n"
"question's mean and how many gave 1 to 5 (a text question: its answers),\n"
"and the same by building (the unit code's part before the first '-').\n"
"--pdf FILE: the same on one A4 page, to print and sign.\n");

static double
pct(uint32_t part, uint32_t whole)
{
	return whole ? 100.0 * part / whole : 0.0;
}

/* A text of the tally: the document's, Chinese with the English beside
 * (whatever the locale), or the terminal's, translated (en is marked
 * N_ where it is written, for the catalog). */
#define TALLY_TEXT(doc, zh_en, en)	((doc) ? (zh_en) : _(en))

static void
print_question(FILE *out, size_t i, const Deskd__SurveyQuestionTally *q,
    bool doc)
{
	char label[24];

	snprintf(label, sizeof(label), "%zu", i + 1);
	cli_cell(out, label, 4);
	cli_cell(out, q->question, 30);
	if (q->text) {
		fprintf(out, "%-9u %s\n", q->answered,
		    TALLY_TEXT(doc, "(text 意见)", N_("(text)")));
		for (size_t j = 0; j < q->n_comments; j++)
			fprintf(out, "    - %s\n", q->comments[j]);
		return;
	}
	fprintf(out, "%-9u %-6.2f", q->answered, q->mean);
	for (size_t j = 0; j < q->n_scores; j++)
		fprintf(out, " %4u", q->scores[j]);
	fputc('\n', out);
}

/* A column of the tally's tables: what goes before it, its width, its
 * alignment (figures right), and its heading: on the document the
 * Chinese over the English, on the terminal the English translated. */
struct tally_col {
	const char	*lead;
	int		 width;
	bool		 right;
	const char	*zh, *en;
};

static const struct tally_col question_cols[] = {
	{ "", 4, false, "", "#" },
	{ "", 30, false, "问题", N_("QUESTION") },
	{ "", 9, false, "回答数", N_("ANSWERED") },
	{ " ", 6, false, "均分", N_("MEAN") },
	{ " ", 4, true, "", "1" }, { " ", 4, true, "", "2" },
	{ " ", 4, true, "", "3" }, { " ", 4, true, "", "4" },
	{ " ", 4, true, "", "5" },
};

static const struct tally_col building_cols[] = {
	{ "", 11, false, "楼栋", N_("BLDG") },
	{ "", 8, true, "入住户", N_("OCCUPIED") },
	{ " ", 10, true, "已发放", N_("HANDED OUT") },
	{ " ", 9, true, "已回收", N_("RETURNED") },
	{ " ", 5, true, "逾期", N_("LATE") },
	{ " ", 6, true, "均分", N_("MEAN") },
};

static void
tally_heading(FILE *out, const struct tally_col *c, size_t n, bool doc)
{
	for (int row = doc ? 0 : 1; row < 2; row++) {
		for (size_t i = 0; i < n; i++) {
			const char *t = row == 0 ? c[i].zh : doc ? c[i].en :
			    _(c[i].en);

			fputs(c[i].lead, out);
			for (int w = cli_width(t); c[i].right && w < c[i].width;
			    w++)
				fputc(' ', out);
			if (c[i].right || i + 1 == n)
				fputs(t, out);
			else
				cli_cell(out, t, c[i].width);
		}
		fputc('\n', out);
	}
}

/* The tally: for the document (doc), Chinese first and the English
 * beside it, whatever the locale; for the terminal, in its language. */
static void
print_tally(const Deskd__SurveyTallyReply *r, FILE *out, bool doc)
{
	const Deskd__Survey *s = r->survey;
	const char *status;
	char end[32];

	cli_fmt_time(s->window_end_ms, end, sizeof(end));
	fprintf(out, TALLY_TEXT(doc, "survey %" PRIu64 "  %s  (问卷结果统计表)\n",
	    N_("survey %" PRIu64 "  %s\n")), s->id, s->title);
	fprintf(out, TALLY_TEXT(doc, "发放 handed out %u of %u occupied units "
	    "(%.1f%%, F2: 100%%)\n", N_("handed out %u of %u occupied units "
	    "(%.1f%%, F2: 100%%)\n")), r->handed_out, r->target,
	    pct(r->handed_out, r->target));
	/* F3 met or missed, as a ledger's quota is (ledger_word). */
	if (r->half_back)
		status = doc ? "met 达标" : ledger_word("met");
	else if (r->window_closed)
		status = doc ? "missed 未达标" : ledger_word("missed");
	else
		status = TALLY_TEXT(doc, "not yet 未满", N_("not yet"));
	fprintf(out, TALLY_TEXT(doc, "回收 returned %u of %u in the window "
	    "(%.1f%%, F3: at least 50%%): %s\n", N_("returned %u of %u in the "
	    "window (%.1f%%, F3: at least 50%%): %s\n")), r->returned,
	    r->handed_out, pct(r->returned, r->handed_out), status);
	fprintf(out, TALLY_TEXT(doc, "逾期 late %u (after the window, not "
	    "counted)\n", N_("late %u (after the window, not counted)\n")),
	    r->late);
	fprintf(out, r->window_closed ? TALLY_TEXT(doc, "回收期 window closed "
	    "%s\n", N_("window closed %s\n")) : TALLY_TEXT(doc, "回收期 window "
	    "ends %s\n", N_("window ends %s\n")), end);
	fputc('\n', out);
	tally_heading(out, question_cols, sizeof(question_cols) /
	    sizeof(question_cols[0]), doc);
	for (size_t i = 0; i < r->n_questions; i++)
		print_question(out, i, r->questions[i], doc);
	fputc('\n', out);
	tally_heading(out, building_cols, sizeof(building_cols) /
	    sizeof(building_cols[0]), doc);
	for (size_t i = 0; i < r->n_buildings; i++) {
		const Deskd__SurveyBuildingTally *b = r->buildings[i];

		cli_cell(out, b->building, 11);
		fprintf(out, "%8u %10u %9u %5u %6.2f\n", b->target,
		    b->handed_out, b->returned, b->late, b->mean);
	}
}

/* The tally on one A4 page, in a monospaced CJK type so that its columns
 * stand as on the terminal. */
static int
tally_pdf(const Deskd__SurveyTallyReply *r, const char *path)
{
	struct cli_page pg = { { "问卷结果统计表", "Survey Results" }, NULL, 0,
	    "Noto Sans Mono CJK SC", 10, true };
	const char **lines;
	char *text = NULL, *p, *nl;
	size_t len = 0, n = 0;
	FILE *f;
	int rc;

	if ((f = open_memstream(&text, &len)) == NULL) {
		fputs(_("desk: out of memory\n"), stderr);
		return -1;
	}
	print_tally(r, f, true);
	fprintf(f, "\n制表 Prepared by: ____________    日期 Date: "
	    "____________\n审核 Checked by: ____________    日期 Date: "
	    "____________\n");
	fclose(f);
	/* Line by line, the blank ones kept: they space the tables. */
	lines = cli_xcalloc(len + 1, sizeof(*lines));
	for (p = text; *p; p = nl + 1) {
		lines[n++] = p;
		if ((nl = strchr(p, '\n')) == NULL)
			break;
		*nl = '\0';
	}
	pg.lines = lines;
	pg.n = n;
	rc = cli_page_pdf(&pg, path);
	free(lines);
	free(text);
	return rc;
}

/* Send a survey request (msg, in the request's body case) and take its
 * reply, *resp for the caller to free; the exit code. */
static int
survey_call(struct cli *cli, Deskd__Request__BodyCase body, void *msg,
    Deskd__Response__BodyCase reply, Deskd__Response **resp)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	int rc;

	*resp = NULL;
	if ((rc = cli_connect(cli, true)) != DESK_OK)
		return rc;
	cli_set_body(&req, body, msg);
	if ((rc = cli_call(cli, &req, resp)) == DESK_OK &&
	    (*resp)->body_case != reply)
		rc = DESK_PROTOCOL;
	return rc;
}

static int
report_cmd(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "pdf", required_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *pdf = NULL;
	Deskd__SurveyTally t = DESKD__SURVEY_TALLY__INIT;
	Deskd__Response *resp = NULL;
	int c, rc;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (c != 'p')
			return cli_usage(usage_report, c == 'h' ? 0 :
			    DESK_USAGE);
		pdf = optarg;
	}
	if (argc - optind != 1 || cli_parse_u64(argv[optind], &t.survey) != 0)
		return cli_usage(usage_report, DESK_USAGE);
	if ((rc = survey_call(cli, DESKD__REQUEST__BODY_SURVEY_TALLY, &t,
	    DESKD__RESPONSE__BODY_SURVEY_TALLY, &resp)) == DESK_OK) {
		if (pdf != NULL && tally_pdf(resp->survey_tally, pdf) != 0)
			rc = DESK_USAGE;
		else if (cli->json)
			cli_print_json(cli_to_json(&resp->survey_tally->base));
		else if (pdf != NULL)
			printf(_("survey %" PRIu64 " tally written to %s\n"),
			    resp->survey_tally->survey->id, pdf);
		else
			print_tally(resp->survey_tally, stdout, false);
	}
	if (resp)
		deskd__response__free_unpacked(resp, NULL);
	return rc;
}

static const char usage_all[] = /* xgettext:no-c-format */ N_(
"usage: desk survey handout-all ID\n"
"Hand survey campaign ID to every occupied unit of the owner archive that\n"
"has not had it yet (F2: 100% of occupancy), each recorded as a hand-out.\n");

static int
handout_all_cmd(struct cli *cli, int argc, char **argv)
{
	Deskd__SurveyHandoutAll a = DESKD__SURVEY_HANDOUT_ALL__INIT;
	Deskd__Response *resp = NULL;
	int rc;

	if (cli_wants_help(argc, argv))
		return cli_usage(usage_all, 0);
	if (argc != 2 || cli_parse_u64(argv[1], &a.survey) != 0)
		return cli_usage(usage_all, DESK_USAGE);
	if ((rc = survey_call(cli, DESKD__REQUEST__BODY_SURVEY_HANDOUT_ALL, &a,
	    DESKD__RESPONSE__BODY_SURVEY_HANDOUT_ALL, &resp)) == DESK_OK) {
		const Deskd__SurveyHandoutAllReply *r =
		    resp->survey_handout_all;

		if (cli->json)
			cli_print_json(cli_to_json(&r->base));
		else
			printf(_("survey %" PRIu64 " handed out to %u units "
			    "now, %u had it: %u of %u occupied units\n"),
			    r->survey,
			    r->handed_out, r->already, r->handed_out +
			    r->already, r->target);
	}
	if (resp)
		deskd__response__free_unpacked(resp, NULL);
	return rc;
}

int
cli_survey(struct cli *cli, const char *verb, int argc, char **argv)
{
	return strcmp(verb, "report") == 0 ? report_cmd(cli, argc, argv) :
	    handout_all_cmd(cli, argc, argv);
}
