/*
 * cli_fire.c - the fire-safety duties at the desk (G1-G5): what is due
 * (`desk tasks`), recording a task point by point (`desk patrol`, `desk
 * task record`), and the month's equipment rotation (`desk equipment
 * due`).  Plans, check points, equipment and hazards are registers
 * (cli_register.c).
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "cli_record.h"

#define POINTS_MAX	64

/* ---------- desk tasks ---------- */

static const char usage_tasks[] = N_(
"usage: desk tasks [--due] [--mine] [--limit N] [--json]\n"
"The fire-safety duties deskd made from the plans (G1-G5), oldest first:\n"
"patrol rounds, inspections, equipment tests, drills, training.\n"
"--due: open now and not yet done (past its window too).\n"
"--mine: those of your role, at your post by the schedule or at any.\n"
"Record one with `desk patrol ID` or `desk task record ID`.\n");

static const struct cli_col task_cols[] = {
	{ N_("ID"), 6, "id" }, { N_("DUTY"), 22, "title" },
	{ N_("POST"), 8, "post" }, { N_("OPENS"), 17, "opens_ms" },
	{ N_("DUE"), 17, "due_ms" }, { N_("STATE"), 6, "state" },
	{ N_("DONE BY"), 10, "done_by" },
};

static const struct cli_list task_list = {
	usage_tasks, &deskd__task_list__descriptor,
	DESKD__REQUEST__BODY_TASK_LIST, { "due", "mine" }, task_cols,
	sizeof(task_cols) / sizeof(task_cols[0]),
};

int
cli_tasks(struct cli *cli, int argc, char **argv)
{
	return cli_list_cmd(cli, &task_list, argc, argv);
}

/* ---------- recording ---------- */

static void
print_recorded(const Deskd__TaskRecordReply *r)
{
	const Deskd__FireTask *t = r->task;
	char late[64] = "";

	if (t->late_seconds >= 2 * 86400)
		snprintf(late, sizeof(late), _(", late by %" PRId64 " d %"
		    PRId64 " h"), t->late_seconds / 86400,
		    t->late_seconds % 86400 / 3600);
	else if (t->late_seconds >= 2 * 3600)
		snprintf(late, sizeof(late), _(", late by %" PRId64 " h %"
		    PRId64 " min"), t->late_seconds / 3600,
		    t->late_seconds % 3600 / 60);
	else if (t->late_seconds >= 120)
		snprintf(late, sizeof(late), _(", late by %" PRId64 " min"),
		    t->late_seconds / 60);
	else if (t->late_seconds > 0)
		snprintf(late, sizeof(late), _(", late by %" PRId64 " s"),
		    t->late_seconds);
	if (strcmp(t->state, "done") == 0)
		printf(_("fire-task %" PRIu64 " done%s%s\n"), t->id, late,
		    t->too_fast ? _(", walked too fast: flagged (G2)") : "");
	else if (t->n_points > 0)
		printf(_("fire-task %" PRIu64 ": %zu of %zu points recorded\n"),
		    t->id, t->n_results, t->n_points);
	else
		printf(_("fire-task %" PRIu64 ": %zu recorded\n"), t->id,
		    t->n_results);
	for (size_t i = 0; i < r->n_hazards; i++)
		printf(_("hazard %" PRIu64 " opened (G3): desk hazard show %"
		    PRIu64 "\n"), r->hazards[i], r->hazards[i]);
}

/* One TaskRecord: the points given, done or not. */
static int
record(struct cli *cli, uint64_t task, Deskd__FireTaskPoint **pts,
    size_t n, bool done, const char *note)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__TaskRecord tr = DESKD__TASK_RECORD__INIT;
	Deskd__Response *resp = NULL;
	const ProtobufCMessage *body;
	int rc;

	tr.task = task;
	tr.points = pts;
	tr.n_points = n;
	tr.done = done;
	tr.note = (char *)(note ? note : "");
	cli_set_body(&req, DESKD__REQUEST__BODY_TASK_RECORD, &tr);
	if ((rc = cli_call(cli, &req, &resp)) == DESK_OK &&
	    (body = cli_body(resp)) != NULL) {
		if (cli->json)
			cli_print_json(cli_to_json(body));
		else
			print_recorded((const Deskd__TaskRecordReply *)body);
	}
	if (resp)
		deskd__response__free_unpacked(resp, NULL);
	return rc;
}

static const char usage_record[] = N_(
"usage: desk task record ID [CODE ...] [--abnormal CODE=TEXT ...] [--done]\n"
"                           [--note TEXT]\n"
"Record points of a task: each CODE checked and normal; --abnormal CODE=TEXT\n"
"found wrong (a hazard is opened for it, G3).  A round is done with its\n"
"last point; an equipment test, an inspection (G1: every hazard not closed)\n"
"or a task without points is done with --done.\n"
"       desk task show|history ID\n");

static int
cmd_task_record(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "abnormal", required_argument, NULL, 'a' },
		{ "done", no_argument, NULL, 'd' },
		{ "note", required_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	Deskd__FireTaskPoint pt[POINTS_MAX], *pts[POINTS_MAX];
	const char *note = NULL;
	size_t n = 0;
	uint64_t task;
	bool done = false;
	char *eq;
	int c;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'a':
			if ((eq = strchr(optarg, '=')) == NULL || eq == optarg ||
			    eq[1] == '\0' || n == POINTS_MAX)
				return cli_usage(usage_record, DESK_USAGE);
			*eq = '\0';
			deskd__fire_task_point__init(&pt[n]);
			pt[n].code = optarg;
			pt[n].abnormal = true;
			pt[n].text = eq + 1;
			pts[n] = &pt[n];
			n++;
			break;
		case 'd':
			done = true;
			break;
		case 'n':
			note = optarg;
			break;
		default:
			return cli_usage(usage_record, c == 'h' ? 0 : DESK_USAGE);
		}
	}
	if (optind >= argc || cli_parse_u64(argv[optind], &task) != 0)
		return cli_usage(usage_record, DESK_USAGE);
	for (int i = optind + 1; i < argc; i++) {
		if (n == POINTS_MAX)
			return cli_usage(usage_record, DESK_USAGE);
		deskd__fire_task_point__init(&pt[n]);
		pt[n].code = argv[i];
		pts[n] = &pt[n];
		n++;
	}
	if ((c = cli_connect(cli, true)) != DESK_OK)
		return c;
	return record(cli, task, pts, n, done, note);
}

int
cli_task(struct cli *cli, int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "record") == 0)
		return cmd_task_record(cli, argc - 1, argv + 1);
	if (argc >= 2 && (strcmp(argv[1], "show") == 0 ||
	    strcmp(argv[1], "history") == 0))
		return cli_desk_group(cli, argc, argv);
	return cli_usage(usage_record, cli_wants_help(argc, argv) ? 0 :
	    DESK_USAGE);
}

static const char usage_patrol[] = N_(
"usage: desk patrol ID [CODE [--abnormal TEXT]]\n"
"A patrol round (G2), point by point as it is walked: each CODE as it is\n"
"scanned or typed, stamped by deskd when it arrives.  Without CODE, reads\n"
"one point a line from the scanner (standard input): CODE, or CODE !TEXT\n"
"for something found wrong (a hazard is opened, G3).  The round is done\n"
"with its last point; one recorded faster than it can be walked is\n"
"flagged to the supervisor.\n");

/* One line from the scanner: "CODE" or "CODE !what was found". */
static int
scanned(struct cli *cli, uint64_t task, char *line)
{
	Deskd__FireTaskPoint pt = DESKD__FIRE_TASK_POINT__INIT, *pts[1] = {
	    &pt };
	char *bang = strchr(line, '!'), *end;

	line[strcspn(line, "\r\n")] = '\0';
	if (bang != NULL) {
		*bang = '\0';
		pt.abnormal = true;
		pt.text = bang + 1;
		while (*pt.text == ' ')
			pt.text++;
	}
	while (*line == ' ')
		line++;
	for (end = line + strlen(line); end > line && end[-1] == ' '; end--)
		*(end - 1) = '\0';
	if (*line == '\0')
		return DESK_OK;
	pt.code = line;
	return record(cli, task, pts, 1, false, NULL);
}

int
cli_patrol(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "abnormal", required_argument, NULL, 'a' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	Deskd__FireTaskPoint pt = DESKD__FIRE_TASK_POINT__INIT, *pts[1] = {
	    &pt };
	uint64_t task;
	char line[512];
	int c, rc = DESK_OK;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (c != 'a')
			return cli_usage(usage_patrol, c == 'h' ? 0 : DESK_USAGE);
		pt.abnormal = true;
		pt.text = optarg;
	}
	if (optind >= argc || argc - optind > 2 ||
	    cli_parse_u64(argv[optind], &task) != 0 ||
	    (pt.abnormal && argc - optind != 2))
		return cli_usage(usage_patrol, DESK_USAGE);
	if ((rc = cli_connect(cli, true)) != DESK_OK)
		return rc;
	if (argc - optind == 2) {
		pt.code = argv[optind + 1];
		return record(cli, task, pts, 1, false, NULL);
	}
	/* The scanner: a refused point is said and the round goes on. */
	while (fgets(line, sizeof(line), stdin) != NULL)
		if ((c = scanned(cli, task, line)) != DESK_OK)
			rc = c;
	return rc;
}

/* ---------- desk equipment due ---------- */

/* A cell and a space after it (a location as wide as its column never
 * runs into the date); the last cell of a row ends it. */
static void
column(const char *s, int width, bool last)
{
	if (last) {
		printf("%s\n", s);
		return;
	}
	cli_cell(stdout, s, width - 1);
	putchar(' ');
}

static const char usage_due[] = N_(
"usage: desk equipment due [--month YYYY-MM] [--type TYPE] [--json]\n"
"The equipment to test this month (G4) so that every item is tested\n"
"within its interval (pumps monthly, hydrants and sprinklers quarterly,\n"
"pressurisation, smoke exhaust and extinguishers half-yearly, detectors\n"
"yearly), a yearly rotation spread evenly over the months.  MUST: its\n"
"interval runs out before the month ends; OVERDUE: it ran out already.\n");

static int
cmd_due(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "month", required_argument, NULL, 'm' },
		{ "type", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static const struct cli_col cols[] = {
		{ N_("EQUIPMENT"), 12, NULL }, { N_("TYPE"), 14, NULL },
		{ N_("LOCATION"), 20, NULL }, { N_("LAST TEST"), 17, NULL },
		{ N_("DUE BY"), 17, NULL }, { "", 7, NULL },
	};
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__EquipmentDue q = DESKD__EQUIPMENT_DUE__INIT;
	Deskd__Response *resp = NULL;
	const Deskd__EquipmentDueReply *r;
	size_t ncols = sizeof(cols) / sizeof(cols[0]);
	char last[32], due[32];
	int c, rc;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (c == 'm') {
			if (cli_month_arg(optarg, &q.month) != 0)
				return DESK_USAGE;
		} else if (c == 't')
			q.type = optarg;
		else
			return cli_usage(usage_due, c == 'h' ? 0 : DESK_USAGE);
	}
	if (optind != argc)
		return cli_usage(usage_due, DESK_USAGE);
	if ((rc = cli_connect(cli, true)) != DESK_OK)
		return rc;
	cli_set_body(&req, DESKD__REQUEST__BODY_EQUIPMENT_DUE, &q);
	if ((rc = cli_call(cli, &req, &resp)) != DESK_OK)
		goto out;
	r = (const Deskd__EquipmentDueReply *)cli_body(resp);
	if (cli->json) {
		cli_print_json(cli_to_json(&r->base));
		goto out;
	}
	printf(_("%u-%02u: %zu of %u items due\n"), r->month / 100,
	    r->month % 100, r->n_due, r->total);
	/* Not _(""): that is the catalog's header. */
	for (size_t i = 0; i < ncols; i++)
		column(*cols[i].title ? _(cols[i].title) : "", cols[i].width,
		    i + 1 == ncols);
	for (size_t i = 0; i < r->n_due; i++) {
		const Deskd__FireEquipment *e = r->due[i]->equipment;

		if (e == NULL)
			continue;
		cli_fmt_time(e->last_test_ms, last, sizeof(last));
		cli_fmt_time(r->due[i]->due_ms, due, sizeof(due));
		column(e->code, cols[0].width, false);
		column(e->type, cols[1].width, false);
		column(e->location, cols[2].width, false);
		column(e->last_test_ms ? last : _("never"), cols[3].width,
		    false);
		column(due, cols[4].width, false);
		column(!r->due[i]->overdue ? "" : r->due[i]->due_ms <
		    (int64_t)time(NULL) * 1000 ? _("OVERDUE") : _("MUST"),
		    cols[5].width, true);
	}
out:
	if (resp)
		deskd__response__free_unpacked(resp, NULL);
	return rc;
}

/* `desk equipment`: the register's words, and the month's rotation. */
int
cli_equipment(struct cli *cli, int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "due") == 0)
		return cmd_due(cli, argc - 1, argv + 1);
	return cli_desk_group(cli, argc, argv);
}
