/*
 * cli_survey.c - `desk survey report ID`: a campaign's tally (问卷结果统计表,
 * F3) as deskd counts it: handed out against the occupied units (F2),
 * back within the window against the 50 % it needs (F3), then each
 * question (mean and how many gave 1-5, or a text question's answers) and
 * each building.  --json is the reply as it came.  The other survey
 * commands are register rows (cli_register.c).
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const char usage_report[] =
"usage: desk survey report ID\n"
"The tally of survey campaign ID (问卷结果统计表, F3): handed out of the\n"
"occupied units (F2: 100%), returned within the window of 15 working days\n"
"(F3: at least 50%; later returns are kept, late, not counted), each\n"
"question's mean and how many gave 1 to 5 (a text question: its answers),\n"
"and the same by building (the unit code's part before the first '-').\n";

static double
pct(uint32_t part, uint32_t whole)
{
	return whole ? 100.0 * part / whole : 0.0;
}

static void
print_question(size_t i, const Deskd__SurveyQuestionTally *q)
{
	char label[24];

	snprintf(label, sizeof(label), "%zu", i + 1);
	cli_cell(stdout, label, 4);
	if (q->text) {
		cli_cell(stdout, q->question, 30);
		printf("%-9u (text)\n", q->answered);
		for (size_t j = 0; j < q->n_comments; j++)
			printf("    - %s\n", q->comments[j]);
		return;
	}
	cli_cell(stdout, q->question, 30);
	printf("%-9u %-6.2f", q->answered, q->mean);
	for (size_t j = 0; j < q->n_scores; j++)
		printf(" %4u", q->scores[j]);
	putchar('\n');
}

static void
print_tally(const Deskd__SurveyTallyReply *r)
{
	const Deskd__Survey *s = r->survey;
	char end[32];

	cli_fmt_time(s->window_end_ms, end, sizeof(end));
	printf("survey %" PRIu64 "  %s  (问卷结果统计表)\n", s->id, s->title);
	printf("handed out %u of %u occupied units (%.1f%%, F2: 100%%)\n",
	    r->handed_out, r->target, pct(r->handed_out, r->target));
	printf("returned %u of %u in the window (%.1f%%, F3: at least 50%%): "
	    "%s\n", r->returned, r->handed_out, pct(r->returned,
	    r->handed_out), r->half_back ? "met" : r->window_closed ?
	    "missed" : "not yet");
	printf("late %u (after the window, not counted)\n", r->late);
	printf("window %s %s\n", r->window_closed ? "closed" : "ends", end);
	printf("\n%-4s%-30s%-9s %-6s %4s %4s %4s %4s %4s\n", "#", "QUESTION",
	    "ANSWERED", "MEAN", "1", "2", "3", "4", "5");
	for (size_t i = 0; i < r->n_questions; i++)
		print_question(i, r->questions[i]);
	printf("\n%-10s %8s %10s %9s %5s %6s\n", "BUILDING", "OCCUPIED",
	    "HANDED OUT", "RETURNED", "LATE", "MEAN");
	for (size_t i = 0; i < r->n_buildings; i++) {
		const Deskd__SurveyBuildingTally *b = r->buildings[i];

		cli_cell(stdout, b->building, 11);
		printf("%8u %10u %9u %5u %6.2f\n", b->target, b->handed_out,
		    b->returned, b->late, b->mean);
	}
}

int
cli_survey_report(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__SurveyTally t = DESKD__SURVEY_TALLY__INIT;
	Deskd__Response *resp = NULL;
	int c, rc;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1)
		return cli_usage(usage_report, c == 'h' ? 0 : DESK_USAGE);
	if (argc - optind != 1 || cli_parse_u64(argv[optind], &t.survey) != 0)
		return cli_usage(usage_report, DESK_USAGE);
	if ((rc = cli_connect(cli, true)) != DESK_OK)
		return rc;
	req.body_case = DESKD__REQUEST__BODY_SURVEY_TALLY;
	req.survey_tally = &t;
	if ((rc = cli_call(cli, &req, &resp)) == DESK_OK &&
	    resp->body_case == DESKD__RESPONSE__BODY_SURVEY_TALLY) {
		if (cli->json)
			cli_print_json(cli_to_json(&resp->survey_tally->base));
		else
			print_tally(resp->survey_tally);
	}
	if (resp)
		deskd__response__free_unpacked(resp, NULL);
	return rc;
}
