/*
 * cli_report.c - `desk report complaints`: the monthly complaint report
 * (部门客户投诉工作月报, C8) of a month or one of its weeks, beside the
 * period before, as a table on the terminal, --csv, --json, or a PDF
 * ready to print and sign (--pdf).
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_bulk.h"
#include "cli_pdf.h"
#include "cli_record.h"

static const char usage_report[] = N_(
"usage: desk report complaints [--month YYYY-MM] [--week N] [--csv]\n"
"                              [--pdf FILE [--dept NAME]]\n"
"The monthly complaint report (C8) of --month (default this month), or of\n"
"its week N (Monday to Sunday, week 1 holding the 1st, clipped to the\n"
"month), beside the period before: complaints by category, building and\n"
"source; valid and invalid; the first reply within 2 h; revisits (C4);\n"
"satisfaction; escalations and appeals; units that complained more than\n"
"once; the count of each day.  --csv: one row a figure; --json: the\n"
"reply; --pdf FILE: an A4 document in Chinese to print and sign, with\n"
"charts, titled for the department --dept (客服部).\n");

/* A percentage of n in d, "-" when d is 0. */
static const char *
pct(char *buf, size_t len, uint64_t n, uint64_t d)
{
	if (d == 0)
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "%.1f%%", (double)n * 100 / (double)d);
	return buf;
}

static uint64_t
sat_n(const Deskd__ComplaintPeriod *p)
{
	uint64_t n = 0;

	for (size_t i = 0; i < p->n_satisfaction; i++)
		n += p->satisfaction[i];
	return n;
}

static const char *
sat_mean(char *buf, size_t len, const Deskd__ComplaintPeriod *p)
{
	double mean;

	if (report_satisfaction_mean(p, &mean))
		snprintf(buf, len, "%.2f", mean);
	else
		snprintf(buf, len, "-");
	return buf;
}

static uint64_t
replied_known(const Deskd__ComplaintPeriod *p)
{
	return p->reply_on_time + p->reply_late + p->reply_none;
}


/* The figures of both periods as (label, this, previous) rows: the label
 * is the CSV's key, shown translated on the terminal. */
struct figure {
	const char	*label;
	char		 now[32], prev[32];
};

#define FIGURES	12

static size_t
figures(const Deskd__ComplaintPeriod *a, const Deskd__ComplaintPeriod *b,
    struct figure *f)
{
	const Deskd__ComplaintPeriod *p[2] = { a, b };
	size_t n = 0;

#define ROW(lbl, fmt, ...) do {						\
	f[n].label = lbl;						\
	for (int i = 0; i < 2; i++) {					\
		char *o = i ? f[n].prev : f[n].now;			\
		const Deskd__ComplaintPeriod *x = p[i];			\
		if (x == NULL)						\
			snprintf(o, 32, "-");				\
		else							\
			snprintf(o, 32, fmt, __VA_ARGS__);		\
	}								\
	n++;								\
} while (0)
	char t[2][16];

	ROW(N_("complaints"), "%llu", (unsigned long long)x->total);
	ROW(N_("valid"), "%llu", (unsigned long long)x->valid);
	ROW(N_("invalid"), "%llu", (unsigned long long)x->invalid);
	ROW(N_("not yet judged"), "%llu", (unsigned long long)x->pending);
	ROW(N_("answered within 2 h (C2)"), "%s", pct(t[i], 16,
	    x->reply_on_time, replied_known(x)));
	ROW(N_("not answered yet"), "%llu",
	    (unsigned long long)x->reply_none);
	ROW(N_("revisited (C4)"), "%s", pct(t[i], 16, x->revisited,
	    x->revisited + x->revisit_owed));
	ROW(N_("satisfaction (mean 1-5)"), "%s", sat_mean(t[i], 16, x));
	ROW(N_("satisfaction answers"), "%llu",
	    (unsigned long long)sat_n(x));
	ROW(N_("escalated (C7)"), "%llu", (unsigned long long)x->escalated);
	ROW(N_("appealed (C7)"), "%llu", (unsigned long long)x->appealed);
	ROW(N_("closed"), "%llu", (unsigned long long)x->closed);
#undef ROW
	return n;
}

/* The labels' column: a Chinese label is measured in columns. */
#define LABEL_W	30

/* A heading over a column of figures, right-aligned by display width. */
static void
right(const char *s, int width)
{
	for (int w = cli_width(s); w < width; w++)
		putchar(' ');
	fputs(s, stdout);
}

static void
list_text(const char *title, Deskd__TallyCount *const *v, size_t n,
    const Deskd__ComplaintPeriod *prev, Deskd__TallyCount *const *pv,
    size_t pn, bool names)
{
	printf("\n%s\n", _(title));
	if (n == 0) {
		printf("  %s\n", _("(none)"));
		return;
	}
	for (size_t i = 0; i < n; i++) {
		char key[96];

		snprintf(key, sizeof(key), "%s%s%s", v[i]->key,
		    names && *v[i]->name ? " " : "", names ? v[i]->name : "");
		printf("  ");
		cli_cell(stdout, key, LABEL_W);
		printf(" %8llu", (unsigned long long)v[i]->count);
		if (prev != NULL)
			printf(" %10" PRIu64, report_count_of(pv, pn,
			    v[i]->key));
		printf("\n");
	}
}

static void
report_text(const Deskd__ComplaintReportReply *r)
{
	const Deskd__ComplaintPeriod *p = r->period, *q = r->previous;
	struct figure f[FIGURES];
	size_t n = figures(p, q, f);

	printf(_("Complaint report %s (%u-%02u-%02u to %u-%02u-%02u)\n"),
	    p->label,
	    p->from_day / 10000, p->from_day / 100 % 100, p->from_day % 100,
	    p->to_day / 10000, p->to_day / 100 % 100, p->to_day % 100);
	if (p->total == 0)
		printf(_("No complaints were recorded in %s.\n"), p->label);
	printf("\n  ");
	cli_cell(stdout, "", LABEL_W);
	putchar(' ');
	right(_("this"), 8);
	putchar(' ');
	right(q != NULL ? q->label : _("before"), 10);
	putchar('\n');
	for (size_t i = 0; i < n; i++) {
		printf("  ");
		cli_cell(stdout, _(f[i].label), LABEL_W);
		printf(" %8s %10s\n", f[i].now, f[i].prev);
	}
	list_text(N_("By category"), p->by_category, p->n_by_category, q,
	    q ? q->by_category : NULL, q ? q->n_by_category : 0, true);
	list_text(N_("By building"), p->by_building, p->n_by_building, q,
	    q ? q->by_building : NULL, q ? q->n_by_building : 0, false);
	list_text(N_("By source"), p->by_source, p->n_by_source, q,
	    q ? q->by_source : NULL, q ? q->n_by_source : 0, false);
	list_text(N_("Units that complained more than once"),
	    p->repeat_units, p->n_repeat_units, NULL, NULL, 0, false);
	printf("\n%s\n", _("By day"));
	for (size_t i = 0; i < p->n_by_day; i++)
		printf("  %s %llu\n", p->by_day[i]->key,
		    (unsigned long long)p->by_day[i]->count);
}

static void
csv_counts(const char *section, Deskd__TallyCount *const *v, size_t n,
    const Deskd__ComplaintPeriod *prev, Deskd__TallyCount *const *pv,
    size_t pn)
{
	for (size_t i = 0; i < n; i++) {
		char a[24], b[24];

		snprintf(a, sizeof(a), "%llu", (unsigned long long)v[i]->count);
		snprintf(b, sizeof(b), "%" PRIu64, report_count_of(pv, pn,
		    v[i]->key));
		csv_cell(stdout, section, true);
		csv_cell(stdout, v[i]->key, false);
		csv_cell(stdout, v[i]->name, false);
		csv_cell(stdout, a, false);
		csv_cell(stdout, prev != NULL ? b : "", false);
		putchar('\n');
	}
}

static void
report_csv(const Deskd__ComplaintReportReply *r)
{
	const Deskd__ComplaintPeriod *p = r->period, *q = r->previous;
	struct figure f[FIGURES];
	size_t n = figures(p, q, f);

	printf("section,key,name,%s,%s\n", p->label, q ? q->label : "before");
	for (size_t i = 0; i < n; i++) {
		csv_cell(stdout, "figure", true);
		csv_cell(stdout, f[i].label, false);
		csv_cell(stdout, "", false);
		csv_cell(stdout, f[i].now, false);
		csv_cell(stdout, f[i].prev, false);
		putchar('\n');
	}
	csv_counts("category", p->by_category, p->n_by_category, q,
	    q ? q->by_category : NULL, q ? q->n_by_category : 0);
	csv_counts("building", p->by_building, p->n_by_building, q,
	    q ? q->by_building : NULL, q ? q->n_by_building : 0);
	csv_counts("source", p->by_source, p->n_by_source, q,
	    q ? q->by_source : NULL, q ? q->n_by_source : 0);
	csv_counts("repeat_unit", p->repeat_units, p->n_repeat_units, NULL, NULL,
	    0);
	csv_counts("day", p->by_day, p->n_by_day, NULL, NULL, 0);
}

static int
cmd_complaints(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "month", required_argument, NULL, 'm' },
		{ "week", required_argument, NULL, 'w' },
		{ "csv", no_argument, NULL, 'c' },
		{ "pdf", required_argument, NULL, 'p' },
		{ "dept", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__ComplaintReport q = DESKD__COMPLAINT_REPORT__INIT;
	Deskd__Response *resp = NULL;
	const Deskd__ComplaintReportReply *r;
	const char *pdf = NULL, *dept = "客服部";
	bool csv = false;
	uint64_t week;
	int c, rc;

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (c == 'm')
			q.month = optarg;
		else if (c == 'w') {
			if (cli_parse_u64(optarg, &week) != 0 || week < 1 ||
			    week > 6) {
				fprintf(stderr, _("desk: --week: '%s' is not a "
				    "week of the month (1-6)\n"), optarg);
				return DESK_USAGE;
			}
			q.week = (uint32_t)week;
		} else if (c == 'c')
			csv = true;
		else if (c == 'p')
			pdf = optarg;
		else if (c == 'd')
			dept = optarg;
		else
			return cli_usage(usage_report, c == 'h' ? 0 :
			    DESK_USAGE);
	}
	if (optind != argc)
		return cli_usage(usage_report, DESK_USAGE);
	if ((rc = cli_connect(cli, true)) != DESK_OK)
		return rc;
	cli_set_body(&req, DESKD__REQUEST__BODY_COMPLAINT_REPORT, &q);
	if ((rc = cli_call(cli, &req, &resp)) != DESK_OK)
		goto out;
	r = (const Deskd__ComplaintReportReply *)cli_body(resp);
	if (r->period == NULL) {
		fputs(_("desk: the server sent no report\n"), stderr);
		rc = DESK_PROTOCOL;
	} else if (pdf != NULL) {
		if ((rc = cli_report_pdf(r, dept, pdf) == 0 ? DESK_OK :
		    DESK_USAGE) == DESK_OK)
			printf(_("report %s written to %s\n"), r->period->label,
			    pdf);
	} else if (cli->json)
		cli_print_json(cli_to_json(&r->base));
	else if (csv)
		report_csv(r);
	else
		report_text(r);
out:
	if (resp)
		deskd__response__free_unpacked(resp, NULL);
	return rc;
}

static const char usage_group[] = N_(
"usage: desk report complaints [--month YYYY-MM] [--week N] [--csv]\n"
"                              [--pdf FILE [--dept NAME]]\n");

int
cli_report(struct cli *cli, int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "complaints") == 0)
		return cmd_complaints(cli, argc - 1, argv + 1);
	return cli_usage(usage_group, argc >= 2 && (strcmp(argv[1],
	    "--help") == 0 || strcmp(argv[1], "-h") == 0) ? 0 : DESK_USAGE);
}
