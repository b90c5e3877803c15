/*
 * cli_now.c - `desk now`: what needs me now (issue 16), printed once for
 * scripts and status bars: a header (office, post, time zone, the end of
 * the shift, who is on each post) and the items sorted by deadline, each
 * with its countdown, the local time, what it is, the unit, the masked
 * phone and the record's own words cut to the column.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "cli_record.h"

static const char usage_now[] =
N_("usage: desk now [--all-posts] [--json]\n"
"What needs you now, soonest first: open alerts addressed to you or your\n"
"post, complaints waiting for a reply (C2) or a revisit (C4), work orders\n"
"with no engineer on site (D3), agreed call-backs, and your handover at\n"
"the end of your shift with what still blocks it (B6).\n"
"--all-posts: a supervisor's view of every post.\n"
"--json: the server's reply as one JSON object.\n");

/* The kinds deskd names, as a desk reads them. */
static const char *const kinds[][2] = {
	{ "complaint.reply", N_("reply owed") },
	{ "complaint.revisit", N_("revisit owed") },
	{ "repair.arrive", N_("no engineer yet") },
	{ "repair.revisit", N_("service revisit") },
	{ "callback", N_("call back") },
	{ "task", N_("task due") },
	{ "handover", N_("handover") },
	{ NULL, NULL },
};

/* An alert by whom it is addressed to now (its level). */
static const char *const alert_labels[] = {
	N_("alert"), N_("alert: supervisor"), N_("alert: director"),
};

const char *
cli_now_kind(const Deskd__NowItem *it)
{
	if (strcmp(it->kind, "alert") == 0)
		return _(alert_labels[it->level < 3 ? it->level : 2]);
	return cli_code_label(kinds, it->kind);
}

/* A span as a desk reads it at a glance: 2d03h, 1h05m, 12m, 40s. */
static void
fmt_span(int64_t ms, char *out, size_t len)
{
	int64_t s = ms / 1000, m = s / 60, h = m / 60, d = h / 24;

	if (d > 0)
		snprintf(out, len, _("%1$dd%2$02dh"), (int)d, (int)(h % 24));
	else if (h > 0)
		snprintf(out, len, _("%1$dh%2$02dm"), (int)h, (int)(m % 60));
	else if (m > 0)
		snprintf(out, len, _("%dm"), (int)m);
	else
		snprintf(out, len, _("%ds"), (int)s);
}

/* "in 1h05m", "late 12m", or "-" with no deadline. */
static void
fmt_countdown(int64_t due, int64_t now, char *out, size_t len)
{
	char span[32];

	if (due == 0) {
		snprintf(out, len, "-");
		return;
	}
	fmt_span(due >= now ? due - now : now - due, span, sizeof(span));
	snprintf(out, len, due >= now ? _("in %s") : _("late %s"), span);
}

/* The office's local time: "16:00" today, else "12-05 16:00". */
static void
fmt_at(int64_t ms, int64_t now, char *out, size_t len)
{
	time_t t = (time_t)(ms / 1000), n = (time_t)(now / 1000);
	struct tm tm, tn;

	if (ms == 0) {
		snprintf(out, len, "-");
		return;
	}
	localtime_r(&t, &tm);
	localtime_r(&n, &tn);
	strftime(out, len, tm.tm_yday == tn.tm_yday && tm.tm_year ==
	    tn.tm_year ? "%H:%M" : "%m-%d %H:%M", &tm);
}

void
cli_cell_cut(FILE *f, const char *s, int width)
{
	char *cut = NULL;
	size_t len = 0;
	FILE *m;
	int w;

	if (cli_width(s) <= width || width < 2 ||
	    (m = open_memstream(&cut, &len)) == NULL) {
		cli_cell(f, s, width);
		return;
	}
	/* The cut is shown: the words go on in the record. */
	cli_cell(m, s, width - 1);
	fclose(m);
	while (len > 0 && cut[len - 1] == ' ')
		cut[--len] = '\0';
	w = cli_width(cut);
	fprintf(f, "%s…", cut);
	for (w++; w < width; w++)
		fputc(' ', f);
	free(cut);
}

static const struct cli_col now_cols[] = {
	{ N_("DUE"), 15, NULL }, { N_("AT"), 12, NULL },
	{ N_("WHAT"), 18, NULL }, { N_("RULE"), 6, NULL },
	{ N_("UNIT"), 11, NULL }, { N_("PHONE"), 13, NULL },
	{ N_("RECORD"), 14, NULL }, { N_("TEXT"), 30, NULL },
};
#define NCOLS	(sizeof(now_cols) / sizeof(now_cols[0]))

void
cli_col_cell(const struct cli_col *cols, size_t n, size_t i, const char *s)
{
	if (i + 1 == n) {
		cli_cell_cut(stdout, s, cols[i].width);
		return;
	}
	/* A space after it: a long one never runs into the next. */
	cli_cell_cut(stdout, s, cols[i].width - 1);
	putchar(' ');
}

void
cli_col_titles(const struct cli_col *cols, size_t n)
{
	for (size_t i = 0; i < n; i++)
		cli_col_cell(cols, n, i, _(cols[i].title));
	putchar('\n');
}

static void
cell(const char *s, size_t col)
{
	cli_col_cell(now_cols, NCOLS, col, s);
}

static void
now_header(const Deskd__NowReply *r)
{
	char ends[32], left[32];

	printf(_("%1$s, post %2$s, times in %3$s"), r->office, *r->post ?
	    r->post : _("(not on duty)"), r->tz);
	if (r->shift_ends_ms != 0) {
		fmt_at(r->shift_ends_ms, r->now_ms, ends, sizeof(ends));
		fmt_countdown(r->shift_ends_ms, r->now_ms, left, sizeof(left));
		printf(_(", shift ends %1$s (%2$s)"), ends, left);
	}
	putchar('\n');
	if (r->n_on_duty > 0) {
		printf("%s", _("On duty:"));
		for (size_t i = 0; i < r->n_on_duty; i++)
			printf(" %s %s%s", r->on_duty[i]->post,
			    *r->on_duty[i]->name ? r->on_duty[i]->name :
			    *r->on_duty[i]->user ? r->on_duty[i]->user :
			    _("(nobody)"), i + 1 < r->n_on_duty ? "," : "");
		putchar('\n');
	}
}

static void
now_row(const Deskd__NowItem *it, int64_t now)
{
	char due[48], at[32];

	fmt_countdown(it->due_ms, now, due, sizeof(due));
	fmt_at(it->due_ms, now, at, sizeof(at));
	cell(due, 0);
	cell(at, 1);
	cell(cli_now_kind(it), 2);
	cell(it->rule, 3);
	cell(*it->unit ? it->unit : "-", 4);
	cell(*it->phone ? it->phone : "-", 5);
	cell(*it->record ? it->record : "-", 6);
	/* An alert's title is the server's what-to-do; the rest, data. */
	cell(strcmp(it->kind, "alert") == 0 ? i18n_said(it->title) :
	    it->title, 7);
	putchar('\n');
	/* B6: what still stops the handover, one line each. */
	for (size_t i = 0; i < it->n_blocks; i++) {
		printf("    %s ", _("blocked by:"));
		cli_cell_cut(stdout, it->blocks[i], 60);
		putchar('\n');
	}
}

static void
now_text(const Deskd__NowReply *r)
{
	now_header(r);
	if (r->n_items == 0) {
		printf("%s\n", _("Nothing needs you now."));
		return;
	}
	cli_col_titles(now_cols, NCOLS);
	for (size_t i = 0; i < r->n_items; i++)
		now_row(r->items[i], r->now_ms);
	if (r->more)
		printf("%s\n", _("(more than one reply holds: the soonest are "
		    "shown)"));
}

int
cli_now(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "all-posts", no_argument, NULL, 'a' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__NowGet q = DESKD__NOW_GET__INIT;
	Deskd__Response *resp = NULL;
	int c, rc;

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (c == 'a')
			q.all_posts = true;
		else if (c == 'j')
			cli->json = true;
		else
			return cli_usage(usage_now, c == 'h' ? 0 :
			    DESK_USAGE);
	}
	if (optind != argc)
		return cli_usage(usage_now, DESK_USAGE);
	if ((rc = cli_connect(cli, true)) != DESK_OK)
		return rc;
	cli_set_body(&req, DESKD__REQUEST__BODY_NOW, &q);
	if ((rc = cli_call(cli, &req, &resp)) == DESK_OK) {
		if (cli->json)
			cli_print_json(cli_to_json(cli_body(resp)));
		else
			now_text(resp->now);
	}
	if (resp)
		deskd__response__free_unpacked(resp, NULL);
	return rc;
}
