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
#include "cli_record.h"

static const char usage_report[] =
"usage: desk survey report ID [--pdf FILE]\n"
"The tally of survey campaign ID (问卷结果统计表, F3): handed out of the\n"
"occupied units (F2: 100%), returned within the window of 15 working days\n"
"(F3: at least 50%; later returns are kept, late, not counted), each\n"
"question's mean and how many gave 1 to 5 (a text question: its answers),\n"
"and the same by building (the unit code's part before the first '-').\n"
"--pdf FILE: the same on one A4 page, to print and sign.\n";

static double
pct(uint32_t part, uint32_t whole)
{
	return whole ? 100.0 * part / whole : 0.0;
}

static void
print_question(FILE *out, size_t i, const Deskd__SurveyQuestionTally *q)
{
	char label[24];

	snprintf(label, sizeof(label), "%zu", i + 1);
	cli_cell(out, label, 4);
	cli_cell(out, q->question, 30);
	if (q->text) {
		fprintf(out, "%-9u (text 意见)\n", q->answered);
		for (size_t j = 0; j < q->n_comments; j++)
			fprintf(out, "    - %s\n", q->comments[j]);
		return;
	}
	fprintf(out, "%-9u %-6.2f", q->answered, q->mean);
	for (size_t j = 0; j < q->n_scores; j++)
		fprintf(out, " %4u", q->scores[j]);
	fputc('\n', out);
}

/* The tally, Chinese first and the English beside it: the terminal's,
 * and the lines of the PDF. */
static void
print_tally(const Deskd__SurveyTallyReply *r, FILE *out)
{
	const Deskd__Survey *s = r->survey;
	char end[32];

	cli_fmt_time(s->window_end_ms, end, sizeof(end));
	fprintf(out, "survey %" PRIu64 "  %s  (问卷结果统计表)\n", s->id,
	    s->title);
	fprintf(out, "发放 handed out %u of %u occupied units (%.1f%%, F2: "
	    "100%%)\n", r->handed_out, r->target, pct(r->handed_out,
	    r->target));
	fprintf(out, "回收 returned %u of %u in the window (%.1f%%, F3: at "
	    "least 50%%): %s\n", r->returned, r->handed_out,
	    pct(r->returned, r->handed_out), r->half_back ? "met 达标" :
	    r->window_closed ? "missed 未达标" : "not yet 未满");
	fprintf(out, "逾期 late %u (after the window, not counted)\n",
	    r->late);
	fprintf(out, "回收期 window %s %s\n", r->window_closed ? "closed" :
	    "ends", end);
	fprintf(out, "\n%-4s", "#");
	cli_cell(out, "QUESTION 问题", 30);
	fprintf(out, "%-9s %-6s %4s %4s %4s %4s %4s\n", "ANSWERED", "MEAN",
	    "1", "2", "3", "4", "5");
	for (size_t i = 0; i < r->n_questions; i++)
		print_question(out, i, r->questions[i]);
	fputc('\n', out);
	cli_cell(out, "楼栋 BLDG", 11);
	fprintf(out, "%8s %10s %9s %5s %6s\n", "OCCUPIED", "HANDED OUT",
	    "RETURNED", "LATE", "MEAN");
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
		fprintf(stderr, "desk: out of memory\n");
		return -1;
	}
	print_tally(r, f);
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
			printf("survey %" PRIu64 " tally written to %s\n",
			    resp->survey_tally->survey->id, pdf);
		else
			print_tally(resp->survey_tally, stdout);
	}
	if (resp)
		deskd__response__free_unpacked(resp, NULL);
	return rc;
}

static const char usage_all[] =
"usage: desk survey handout-all ID\n"
"Hand survey campaign ID to every occupied unit of the owner archive that\n"
"has not had it yet (F2: 100% of occupancy), each recorded as a hand-out.\n";

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
			printf("survey %" PRIu64 " handed out to %u units now, "
			    "%u had it: %u of %u occupied units\n", r->survey,
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
