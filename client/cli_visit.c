/*
 * cli_visit.c - household visits at the desk (F1, F4): the month's visit
 * list drawn by the supervisor (`desk visit draw`), what is done of it
 * (`desk visit plan`) and the month for the team lead (`desk visit
 * summary`).  A visit itself is a register entry (cli_register.c: `desk
 * visit add|done|list|show|history`).
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_record.h"

static const char usage_visit_month[] = N_(
"usage: desk visit draw|plan|summary [--month YYYY-MM] [--json]\n"
"draw     the supervisor draws the month's visit list, once: at least 5 %\n"
"         of the occupied households (rounded up), those not visited for\n"
"         the longest first (never visited first), ties in the order of a\n"
"         shuffle from a seed deskd records (F1)\n"
"plan     the month's list, each household visited or not; F1: households\n"
"         visited in the month (any) against 5 % of those occupied now\n"
"summary  the month for the team lead: visits by topic, the list done,\n"
"         follow-ups open (F4)\n"
"Without --month: this month (the server's clock); a month not begun is\n"
"refused.\n");

/* "2026-12-04" of YYYYMMDD, or "never". */
static void
fmt_day(uint32_t day, char *buf, size_t len)
{
	if (day == 0)
		snprintf(buf, len, "%s", _("never"));
	else
		snprintf(buf, len, "%04u-%02u-%02u", day / 10000,
		    day / 100 % 100, day % 100);
}

/* The headings of a table, translated, each in its column and a space
 * after it; the last as long as it is. */
static void
header(const struct cli_col *cols, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (i + 1 < n) {
			cli_cell(stdout, _(cols[i].title), cols[i].width - 1);
			putchar(' ');
		} else
			printf("%s\n", _(cols[i].title));
}

/* F1: the month's households visited against 5 % of those occupied. */
static void
print_f1(uint32_t households, uint32_t required, uint32_t occupied)
{
	printf(_("F1 households visited: %u of %u required (5 %% of %u "
	    "occupied)\n"), households, required, occupied);
}

static void
print_plan(const Deskd__VisitPlanReply *r)
{
	static const struct cli_col cols[] = {
		{ N_("UNIT"), 16, NULL }, { N_("LAST VISIT"), 12, NULL },
		{ N_("VISITED"), 18, NULL }, { N_("VISIT"), 6, NULL },
	};
	char when[32], day[16];

	printf(_("visit list %u-%02u: "), r->month / 100, r->month % 100);
	if (!r->drawn)
		printf(_("not drawn yet (a supervisor: desk visit draw --month "
		    "%u-%02u)\n"), r->month / 100, r->month % 100);
	else {
		cli_fmt_time(r->drawn_ms, when, sizeof(when));
		printf(_("drawn by %s %s, seed %" PRIu64 ", %u occupied "
		    "then\n"), r->drawn_by, when, r->seed,
		    r->occupied_at_draw);
	}
	print_f1(r->households, r->required, r->occupied);
	if (!r->drawn)
		return;
	printf(_("list visited: %u of %zu\n"), r->list_done, r->n_units);
	header(cols, sizeof(cols) / sizeof(cols[0]));
	for (size_t i = 0; i < r->n_units; i++) {
		const Deskd__VisitPlanUnit *u = r->units[i];

		fmt_day(u->last_day, day, sizeof(day));
		cli_cell(stdout, u->unit, cols[0].width);
		cli_cell(stdout, day, cols[1].width);
		if (u->visit == 0) {
			printf("-\n");
			continue;
		}
		cli_fmt_time(u->visited_ms, when, sizeof(when));
		cli_cell(stdout, when, cols[2].width);
		printf("%" PRIu64 "\n", u->visit);
	}
}

static void
print_summary(const Deskd__VisitSummaryReply *r)
{
	static const struct cli_col cols[] = {
		{ N_("ID"), 6, NULL }, { N_("UNIT"), 14, NULL },
		{ N_("VISITED"), 18, NULL }, { N_("VISITOR"), 10, NULL },
		{ N_("FOLLOW-UP"), 0, NULL },
	};
	char when[32];

	printf(_("visits %u-%02u: %u visits to %u households\n"),
	    r->month / 100, r->month % 100, r->visits, r->households);
	print_f1(r->households, r->required, r->occupied);
	if (r->drawn)
		printf(_("F4 visit list done: %u of %u\n"), r->list_done,
		    r->list_size);
	else
		printf("%s", _("F4 visit list: not drawn\n"));
	printf("%s", _("by topic:\n"));
	for (size_t i = 0; i < r->n_topics; i++) {
		printf("  ");
		cli_cell(stdout, r->topics[i]->topic, 11);
		cli_cell(stdout, r->topics[i]->name, 10);
		printf("%u\n", r->topics[i]->visits);
	}
	printf(_("follow-ups: %u this month, %u of them open; %u open in "
	    "all\n"), r->follow_ups, r->follow_ups_open, r->open_total);
	if (r->n_open == 0)
		return;
	header(cols, sizeof(cols) / sizeof(cols[0]));
	for (size_t i = 0; i < r->n_open; i++) {
		const Deskd__Visit *v = r->open[i];
		char id[24];

		snprintf(id, sizeof(id), "%" PRIu64, v->id);
		cli_fmt_time(v->visited_ms, when, sizeof(when));
		cli_cell(stdout, id, cols[0].width);
		cli_cell(stdout, v->unit, cols[1].width);
		cli_cell(stdout, when, cols[2].width);
		cli_cell(stdout, v->visitor, cols[3].width);
		printf("%s\n", v->follow_up);
	}
	if (r->n_open < r->open_total)
		printf(_("... and %zu more (desk visit list --open)\n"),
		    (size_t)r->open_total - r->n_open);
}

/* `desk visit draw|plan|summary`: one month's request, its reply. */
static int
month_cmd(struct cli *cli, const char *verb, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "month", required_argument, NULL, 'm' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__VisitDraw draw = DESKD__VISIT_DRAW__INIT;
	Deskd__VisitPlanGet plan = DESKD__VISIT_PLAN_GET__INIT;
	Deskd__VisitSummary sum = DESKD__VISIT_SUMMARY__INIT;
	Deskd__Response *resp = NULL;
	const ProtobufCMessage *body;
	uint32_t month = 0;
	int c, rc;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (c != 'm')
			return cli_usage(usage_visit_month, c == 'h' ? 0 :
			    DESK_USAGE);
		if (cli_month_arg(optarg, &month) != DESK_OK)
			return DESK_USAGE;
	}
	if (optind != argc)
		return cli_usage(usage_visit_month, DESK_USAGE);
	if ((rc = cli_connect(cli, true)) != DESK_OK)
		return rc;
	if (strcmp(verb, "draw") == 0) {
		draw.month = month;
		cli_set_body(&req, DESKD__REQUEST__BODY_VISIT_DRAW, &draw);
	} else if (strcmp(verb, "plan") == 0) {
		plan.month = month;
		cli_set_body(&req, DESKD__REQUEST__BODY_VISIT_PLAN, &plan);
	} else {
		sum.month = month;
		cli_set_body(&req, DESKD__REQUEST__BODY_VISIT_SUMMARY, &sum);
	}
	if ((rc = cli_call(cli, &req, &resp)) != DESK_OK ||
	    (body = cli_body(resp)) == NULL)
		goto out;
	if (cli->json)
		cli_print_json(cli_to_json(body));
	else if (resp->body_case == DESKD__RESPONSE__BODY_VISIT_PLAN)
		print_plan((const Deskd__VisitPlanReply *)body);
	else
		print_summary((const Deskd__VisitSummaryReply *)body);
out:
	if (resp)
		deskd__response__free_unpacked(resp, NULL);
	return rc;
}

/* `desk visit`: the register's words, and the month's list and summary. */
int
cli_visit(struct cli *cli, int argc, char **argv)
{
	static const char *const ours[][2] = {
		{ "draw", N_("the supervisor draws the month's visit list, "
		    "once (F1)") },
		{ "plan", N_("the month's list, each household visited or "
		    "not") },
		{ "summary", N_("the month for the team lead: by topic, "
		    "follow-ups open (F4)") },
	};
	bool help = argc < 2 || strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "help") == 0;
	FILE *help_out = argc < 2 ? stderr : stdout;
	int rc;

	if (argc >= 2 && (strcmp(argv[1], "draw") == 0 ||
	    strcmp(argv[1], "plan") == 0 || strcmp(argv[1], "summary") == 0))
		return month_cmd(cli, argv[1], argc - 1, argv + 1);
	rc = cli_desk_group(cli, argc, argv);
	/* The group's list names the register's words; these are ours. */
	if (help)
		for (size_t i = 0; i < sizeof(ours) / sizeof(ours[0]); i++) {
			fputs("  ", help_out);
			cli_cell(help_out, ours[i][0], 10);
			fprintf(help_out, " %s\n", _(ours[i][1]));
		}
	return rc;
}
