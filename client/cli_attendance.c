/*
 * cli_attendance.c - `desk clock in|out` and `desk attendance report|submit`
 * (A1, B1): the server finds the shift from the published schedule; the
 * report is a table, CSV for HR (--csv), or JSON.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cli_record.h"

static const char usage_clock[] = N_(
"usage: desk clock in|out [--note TEXT] [--json]\n"
"Clock in for your shift in the published schedule (up to 2 hours before\n"
"it starts; B1 asks for 10 minutes early), or out of it.\n");

static const char usage_att[] = N_(
"usage: desk attendance report --month YYYY-MM [--csv] [--json]\n"
"       desk attendance submit --month YYYY-MM\n"
"Per person: shifts scheduled, worked, late, absent, in 10 minutes early\n"
"(B1), approved swaps, stand-ins and leave (A3).  The attendance clerk\n"
"submits the month's report to HR on the 25th (A1): from 00:00, when the\n"
"24th's last shift has ended, the figures of the shifts ended by then are\n"
"sealed; the report shows them as submitted, and any change since as a\n"
"correction.  --csv: the month as it stands.\n");

/* --month, --note, --csv, --json; -1 after --help. */
struct att_args {
	uint32_t	 month;
	const char	*note;
	bool		 csv;
};

static int
parse_args(struct cli *cli, const char *usage, int argc, char **argv,
    struct att_args *a)
{
	static const struct option opts[] = {
		{ "month", required_argument, NULL, 'm' },
		{ "note", required_argument, NULL, 'n' },
		{ "csv", no_argument, NULL, 'c' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	memset(a, 0, sizeof(*a));
	a->note = "";
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'm':
			if (cli_month_arg(optarg, &a->month) != DESK_OK)
				return DESK_USAGE;
			break;
		case 'n': a->note = optarg; break;
		case 'c': a->csv = true; break;
		case 'j': cli->json = true; break;
		default:
			return cli_usage(usage, c == 'h' ? 0 : DESK_USAGE) ==
			    0 ? -1 : DESK_USAGE;
		}
	}
	return optind == argc ? DESK_OK : cli_usage(usage, DESK_USAGE);
}

static void
print_attendance(const Deskd__Attendance *a)
{
	char t[32], buf[96];

	snprintf(buf, sizeof(buf), "%04u-%02u-%02u %s", a->date / 10000,
	    a->date / 100 % 100, a->date % 100, a->shift);
	printf("%s  %s\n", a->user, buf);
	cli_fmt_time(a->in_ms, t, sizeof(t));
	cli_field(_("in"), t);
	if (a->out_ms) {
		cli_fmt_time(a->out_ms, t, sizeof(t));
		cli_field(_("out"), t);
	}
	if (a->late_min)
		snprintf(buf, sizeof(buf), _("%" PRIu32 " min late"),
		    a->late_min);
	else if (a->early_min >= 10)
		snprintf(buf, sizeof(buf), _("%" PRIu32 " min early"),
		    a->early_min);
	else
		snprintf(buf, sizeof(buf), _("%" PRIu32 " min early (B1 asks "
		    "10)"), a->early_min);
	cli_field(_("arrival"), buf);
	if (a->left_early_min) {
		snprintf(buf, sizeof(buf), _("%" PRIu32 " min before the end"),
		    a->left_early_min);
		cli_field(_("left"), buf);
	}
}

/* The table's columns: the CSV's names stay for HR's scripts; the
 * terminal's headings are translated, each column as wide as its heading
 * or its widest figure, a space between. */
static const struct {
	const char	*csv, *title;
	int		 width;
} att_cols[] = {
	{ "user", N_("user"), 16 }, { "scheduled", N_("sched"), 5 },
	{ "worked", N_("worked"), 6 }, { "late", N_("late"), 4 },
	{ "late_min", N_("late_min"), 8 }, { "absent", N_("absent"), 6 },
	{ "early_ok", N_("early_ok"), 8 }, { "swaps", N_("swaps"), 5 },
	{ "standins", N_("standins"), 8 }, { "leave", N_("leave"), 5 },
};

#define ATT_COLS	(sizeof(att_cols) / sizeof(att_cols[0]))

static void
print_rows(Deskd__AttendanceRow *const *v, size_t n, bool csv)
{
	int width[ATT_COLS];

	for (size_t c = 0; c < ATT_COLS; c++) {
		width[c] = cli_width(_(att_cols[c].title));
		if (width[c] < att_cols[c].width)
			width[c] = att_cols[c].width;
		if (csv)
			printf("%s%s", c ? "," : "", att_cols[c].csv);
		else if (c + 1 < ATT_COLS) {
			cli_cell(stdout, _(att_cols[c].title), width[c]);
			putchar(' ');
		} else
			printf("%s\n", _(att_cols[c].title));
	}
	if (csv)
		putchar('\n');
	for (size_t i = 0; i < n; i++) {
		const Deskd__AttendanceRow *w = v[i];
		const uint32_t fig[ATT_COLS - 1] = { w->scheduled, w->worked,
		    w->late, w->late_min, w->absent, w->early_ok, w->swaps,
		    w->standins, w->leaves };

		/* User names are checked by the server: no comma or quote to
		 * escape in the CSV. */
		if (csv)
			fputs(w->user, stdout);
		else
			cli_cell(stdout, w->user, width[0]);
		for (size_t c = 1; c < ATT_COLS; c++)
			if (csv)
				printf(",%u", fig[c - 1]);
			else
				printf(" %*u", width[c], fig[c - 1]);
		putchar('\n');
	}
}

/* The month as it stands; once submitted (A1), the figures as submitted
 * up to the cut-off, and every correction of them since. */
static void
print_report(const Deskd__AttendanceReportReply *r, bool csv)
{
	char at[32], cut[32];

	if (csv) {
		print_rows(r->rows, r->n_rows, true);
		return;
	}
	printf(_("attendance %04u-%02u\n"), r->month / 100, r->month % 100);
	print_rows(r->rows, r->n_rows, false);
	if (!r->submitted)
		return;
	cli_fmt_time(r->submitted_ms, at, sizeof(at));
	cli_fmt_time(r->cutoff_ms, cut, sizeof(cut));
	printf(_("\nsubmitted by %s at %s"), r->submitted_by, at);
	if (r->cutoff_ms == 0) {
		printf("\n");
		return;
	}
	printf(_(": the shifts ended by %s, as submitted\n"), cut);
	print_rows(r->submitted_rows, r->n_submitted_rows, false);
	if (r->n_corrected_rows == 0)
		return;
	printf(_("\ncorrected since the submission (A1), up to %s:\n"), cut);
	print_rows(r->corrected_rows, r->n_corrected_rows, false);
}

static int
call(struct cli *cli, Deskd__Request *req, bool csv)
{
	Deskd__Response *resp = NULL;
	int rc;

	if ((rc = cli_connect(cli, true)) != DESK_OK)
		return rc;
	if ((rc = cli_call(cli, req, &resp)) != DESK_OK)
		goto done;
	if (cli->json)
		cli_print_json(cli_to_json(cli_body(resp)));
	else if (resp->body_case == DESKD__RESPONSE__BODY_ATTENDANCE)
		print_attendance(resp->attendance);
	else
		print_report(resp->attendance_report, csv);
done:
	if (resp)
		deskd__response__free_unpacked(resp, NULL);
	return rc;
}

static int
cmd_in_out(struct cli *cli, int argc, char **argv)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__ClockIn in = DESKD__CLOCK_IN__INIT;
	Deskd__ClockOut out = DESKD__CLOCK_OUT__INIT;
	struct att_args a;
	int rc;

	if ((rc = parse_args(cli, usage_clock, argc, argv, &a)) != DESK_OK)
		return rc < 0 ? 0 : rc;
	if (strcmp(argv[0], "in") == 0) {
		in.note = (char *)a.note;
		cli_set_body(&req, DESKD__REQUEST__BODY_CLOCK_IN, &in);
	} else {
		out.note = (char *)a.note;
		cli_set_body(&req, DESKD__REQUEST__BODY_CLOCK_OUT, &out);
	}
	return call(cli, &req, false);
}

static int
cmd_report(struct cli *cli, int argc, char **argv)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__AttendanceReport q = DESKD__ATTENDANCE_REPORT__INIT;
	struct att_args a;
	int rc;

	if ((rc = parse_args(cli, usage_att, argc, argv, &a)) != DESK_OK)
		return rc < 0 ? 0 : rc;
	if (a.month == 0) {
		fprintf(stderr, _("desk: attendance %s: --month YYYY-MM is "
		    "required\n"), argv[0]);
		return DESK_USAGE;
	}
	q.month = a.month;
	q.submit = strcmp(argv[0], "submit") == 0;
	cli_set_body(&req, DESKD__REQUEST__BODY_ATTENDANCE_REPORT, &q);
	return call(cli, &req, a.csv);
}

int
cli_clock(struct cli *cli, int argc, char **argv)
{
	static const struct cli_cmd cmds[] = {
		{ "in", cmd_in_out, N_("clock in for your shift") },
		{ "out", cmd_in_out, N_("clock out of it") },
	};

	return cli_dispatch(cli, cmds, sizeof(cmds) / sizeof(cmds[0]),
	    usage_clock, argc, argv);
}

int
cli_attendance(struct cli *cli, int argc, char **argv)
{
	static const struct cli_cmd cmds[] = {
		{ "report", cmd_report, N_("--month M [--csv]: per person") },
		{ "submit", cmd_report,
		    N_("--month M: mark it submitted (A1)") },
	};

	return cli_dispatch(cli, cmds, sizeof(cmds) / sizeof(cmds[0]),
	    usage_att, argc, argv);
}
