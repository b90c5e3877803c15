/*
 * cli_schedule.c - `desk schedule ...`: shift schedules (A2, A5, A6).  The
 * CSV of an import is read here (libcsv) and sent as structured
 * assignments; the server checks them again and names what it refuses by
 * the assignment's position, which maps back to the CSV line.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <csv.h>

#include "cli.h"
#include "cli_record.h"
#include "wire.h"

static const char usage_group[] = N_(
"usage: desk schedule COMMAND [ARGS]   (each takes --help and --json)\n"
"Shift schedules (A2, A5, A6): a month is drawn up as a draft and published\n"
"as a new version; the previous one is kept, marked superseded.  Without\n"
"--month, show, history and diff take the current month (by the server's\n"
"clock), draft, import and publish the next one.\n");

/* --month M, --mine, --draft, --version V, --help: what the reads share. */
struct sched_args {
	uint32_t	 month;
	uint32_t	 version;
	bool		 mine, draft;
	const char	*correction;	/* publish --correct (A1, A5) */
	const char	*override;	/* publish --override-untrained (G5) */
};

uint32_t
cli_parse_month(const char *s)
{
	unsigned y, m;
	int n = 0;

	if (sscanf(s, "%4u-%2u%n", &y, &m, &n) != 2 || s[n] || n != 7 ||
	    !wire_month_ok(y * 100 + m))
		return 0;
	return y * 100 + m;
}

int
cli_month_arg(const char *s, uint32_t *month)
{
	if ((*month = cli_parse_month(s)) != 0)
		return DESK_OK;
	fprintf(stderr, _("desk: --month %s: YYYY-MM from 2000-01 to "
	    "2099-12, e.g. 2026-12\n"), s);
	return DESK_USAGE;
}

/*
 * The month of the server's clock, in its zone (cli_connect set TZ): for a
 * read the current one; ahead, for drawing one up, the next (A2).
 */
static uint32_t
server_month(struct cli *cli, bool ahead)
{
	time_t t = (time_t)(desk_welcome(cli->d)->server_time_ms / 1000);
	struct tm tm;
	uint32_t y, m;

	localtime_r(&t, &tm);
	y = (uint32_t)tm.tm_year + 1900;
	m = (uint32_t)tm.tm_mon + 1 + (ahead ? 1 : 0);
	return m > 12 ? (y + 1) * 100 + 1 : y * 100 + m;
}

/* Connect, and take the default month when --month was not given. */
static int
resolve_month(struct cli *cli, struct sched_args *a, bool ahead)
{
	int rc;

	if (cli->d == NULL && (rc = cli_connect(cli, true)) != DESK_OK)
		return rc;
	if (a->month == 0)
		a->month = server_month(cli, ahead);
	return DESK_OK;
}

static int
parse_args(struct cli *cli, const char *usage, int argc, char **argv,
    struct sched_args *a)
{
	static const struct option opts[] = {
		{ "month", required_argument, NULL, 'm' },
		{ "version", required_argument, NULL, 'v' },
		{ "mine", no_argument, NULL, 'i' },
		{ "draft", no_argument, NULL, 'd' },
		{ "correct", required_argument, NULL, 'c' },
		{ "override-untrained", required_argument, NULL, 'u' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	uint64_t v;
	int c;

	memset(a, 0, sizeof(*a));	/* month 0: resolve_month's default */
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'm':
			if (cli_month_arg(optarg, &a->month) != DESK_OK)
				return DESK_USAGE;
			break;
		case 'v':
			if (cli_parse_u64(optarg, &v) != 0 || v == 0 ||
			    v > UINT32_MAX)
				return cli_usage(usage, DESK_USAGE);
			a->version = (uint32_t)v;
			break;
		case 'i': a->mine = true; break;
		case 'd': a->draft = true; break;
		case 'c': a->correction = optarg; break;
		case 'u': a->override = optarg; break;
		case 'j': cli->json = true; break;
		default:
			return cli_usage(usage, c == 'h' ? 0 : DESK_USAGE) ==
			    0 ? -1 : DESK_USAGE;
		}
	}
	return DESK_OK;
}

/* "12-03 morning 08:00-16:00 front" from a schedule's names. */
static void
slot_name(char *out, size_t len, uint32_t month, char **shifts,
    size_t nshifts, char **posts, size_t nposts, const Deskd__Assignment *a)
{
	snprintf(out, len, "%04u-%02u-%02u  %-22s %s", month / 100, month % 100,
	    a->day, a->shift < nshifts ? shifts[a->shift] : "?",
	    a->post < nposts ? posts[a->post] : "?");
}

static void
print_change(struct cli *cli, const Deskd__ScheduleChange *ch)
{
	char slot[160];

	if (ch->n_changes == 0)
		printf("%s\n", _("no changes"));
	for (size_t i = 0; i < ch->n_changes; i++) {
		const Deskd__PersonChange *pc = ch->changes[i];

		printf("%s: +%zu -%zu\n", cli_person_name(cli, pc->user),
		    pc->n_added, pc->n_removed);
		for (size_t j = 0; j < pc->n_removed; j++) {
			slot_name(slot, sizeof(slot), ch->month, ch->shifts,
			    ch->n_shifts, ch->posts, ch->n_posts,
			    pc->removed[j]);
			printf("  - %s\n", slot);
		}
		for (size_t j = 0; j < pc->n_added; j++) {
			slot_name(slot, sizeof(slot), ch->month, ch->shifts,
			    ch->n_shifts, ch->posts, ch->n_posts, pc->added[j]);
			printf("  + %s\n", slot);
		}
	}
}

/* The states of a month's schedule as people read them. */
static const char *const states[] = { N_("draft"), N_("published"),
    N_("superseded"), NULL };

static void
print_schedule(struct cli *cli, const Deskd__Schedule *s)
{
	char slot[160], when[32], which[64];

	cli_fmt_time(s->updated_ms, when, sizeof(when));
	if (s->version)
		snprintf(which, sizeof(which), _("version %u"), s->version);
	else
		snprintf(which, sizeof(which), "%s", _("draft"));
	printf(_("%1$04u-%2$02u %3$s (%4$s), %5$u assignments, by %6$s "
	    "%7$s\n"), s->month / 100, s->month % 100, which,
	    cli_word(states, cli_enum_label(&deskd__schedule_state__descriptor,
	    s->state, "SCHEDULE_")), s->count, cli_person_name(cli,
	    s->updated_by), when);
	if (s->corrected > 0)
		printf(_("  corrects %1$u shifts that were over (A1, A5): "
		    "%2$s\n"), s->corrected, s->correction);
	for (size_t i = 0; i < s->n_untrained; i++)
		printf("%s%s%s", i ? ", " : _("  on a post with no passed fire "
		    "training (G5): "), cli_person_name(cli, s->untrained[i]),
		    i + 1 == s->n_untrained ? "\n" : "");
	if (s->n_untrained > 0)
		printf(_("  override: %s\n"), s->untrained_override);
	for (size_t i = 0; i < s->n_assignments; i++) {
		slot_name(slot, sizeof(slot), s->month, s->shifts, s->n_shifts,
		    s->posts, s->n_posts, s->assignments[i]);
		printf("%s  %s\n", slot, cli_person_name(cli,
		    s->assignments[i]->user));
	}
}

/* The problems of a refusal, one a line; `lines` maps an assignment's
 * index to its CSV line. */
static void
print_problems(const Deskd__Response *r, const unsigned *lines, size_t n)
{
	if (r == NULL || r->body_case != DESKD__RESPONSE__BODY_SCHEDULE)
		return;
	for (size_t i = 0; i < r->schedule->n_problems; i++) {
		const Deskd__ScheduleProblem *p = r->schedule->problems[i];
		char buf[512];
		const char *said = cli_said(p->code,
		    (const char *const *)p->args, p->n_args, p->text, buf,
		    sizeof(buf));

		if (lines != NULL && p->index >= 0 && (size_t)p->index < n)
			fprintf(stderr, _("line %1$u: %2$s\n"),
			    lines[p->index], said);
		else
			fprintf(stderr, "  %s\n", said);
	}
}

static int
call(struct cli *cli, Deskd__Request *req, const unsigned *lines, size_t n)
{
	Deskd__Response *resp = NULL;
	int rc;

	/* import and set are connected already (they fetched the names). */
	if (cli->d == NULL && (rc = cli_connect(cli, true)) != DESK_OK)
		return rc;
	rc = cli_call(cli, req, &resp);
	if (rc != DESK_OK)
		print_problems(resp, lines, n);
	else if (cli->json)
		cli_print_json(cli_to_json(cli_body(resp)));
	else if (resp->body_case == DESKD__RESPONSE__BODY_SCHEDULE_HISTORY) {
		for (size_t i = 0; i < resp->schedule_history->n_versions; i++)
			print_schedule(cli,
			    resp->schedule_history->versions[i]);
	} else {
		if (resp->schedule->schedule != NULL)
			print_schedule(cli, resp->schedule->schedule);
		if (resp->schedule->change != NULL)
			print_change(cli, resp->schedule->change);
	}
	if (resp)
		deskd__response__free_unpacked(resp, NULL);
	return rc;
}

static const char usage_draft[] = N_(
"usage: desk schedule draft [--month YYYY-MM]   (supervisor)\n"
"Start the month's draft, from its published version if there is one.\n");

static const char usage_publish[] = N_(
"usage: desk schedule publish [--month YYYY-MM] [--correct REASON]\n"
"                             [--override-untrained REASON]   (supervisor)\n"
"Publish the draft as a new version (A5).  Refused, with every problem\n"
"listed, when a post of a shift is unstaffed or someone is in two places,\n"
"or when it changes a shift that is over: that is a correction, and\n"
"--correct says why (A1, A5; attendance already recorded is kept).\n"
"Refused too, naming them, when it puts on a post someone new to the\n"
"roster (on neither this month's published version nor last month's) who\n"
"has passed no fire training (G5, [training] before_first_shift);\n"
"--override-untrained says why, on record.\n");

static const char usage_show[] = N_(
"usage: desk schedule show [--month YYYY-MM] [--version V | --draft] [--mine]\n"
"The month's latest published schedule (or that version, or the draft);\n"
"--mine: only your own shifts (A2).\n");

static const char usage_history[] = N_(
"usage: desk schedule history [--month YYYY-MM]\n"
"Every version of the month (and its draft): published, superseded.\n");

/* draft, publish, show and history: a message of month-wide flags. */
struct month_cmd {
	const char			*usage;
	bool				 ahead;	/* defaults to next month */
	Deskd__Request__BodyCase	 body;
	const ProtobufCMessageDescriptor *msg;
};

/* Set a field by name where the message has it (month, version, draft,
 * mine; correction, a string, from text): each command's message takes
 * only the flags that mean something to it. */
static void
set_field(ProtobufCMessage *m, const char *name, uint32_t v,
    const char *text)
{
	const ProtobufCFieldDescriptor *f =
	    protobuf_c_message_descriptor_get_field_by_name(m->descriptor, name);

	if (f == NULL)
		return;
	if (f->type == PROTOBUF_C_TYPE_STRING)
		*(const char **)((char *)m + f->offset) = (const char *)text;
	else if (f->type == PROTOBUF_C_TYPE_BOOL)
		*(protobuf_c_boolean *)((char *)m + f->offset) = v != 0;
	else
		*(uint32_t *)((char *)m + f->offset) = v;
}

static int
month_cmd(struct cli *cli, const struct month_cmd *mc, int argc, char **argv)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	ProtobufCMessage *m;
	struct sched_args a;
	int rc;

	if ((rc = parse_args(cli, mc->usage, argc, argv, &a)) != DESK_OK)
		return rc < 0 ? 0 : rc;
	if (optind != argc)
		return cli_usage(mc->usage, DESK_USAGE);
	if ((rc = resolve_month(cli, &a, mc->ahead)) != DESK_OK)
		return rc;
	m = cli_xcalloc(1, mc->msg->sizeof_message);
	protobuf_c_message_init(mc->msg, m);
	set_field(m, "month", a.month, NULL);
	set_field(m, "version", a.version, NULL);
	set_field(m, "draft", a.draft, NULL);
	set_field(m, "mine", a.mine, NULL);
	if (a.correction != NULL)
		set_field(m, "correction", 0, a.correction);
	if (a.override != NULL)
		set_field(m, "untrained_override", 0, a.override);
	cli_set_body(&req, mc->body, m);
	rc = call(cli, &req, NULL, 0);
	free(m);
	return rc;
}

static int
cmd_draft(struct cli *cli, int argc, char **argv)
{
	static const struct month_cmd mc = { usage_draft, true,
	    DESKD__REQUEST__BODY_SCHEDULE_DRAFT,
	    &deskd__schedule_draft__descriptor };

	return month_cmd(cli, &mc, argc, argv);
}

static int
cmd_publish(struct cli *cli, int argc, char **argv)
{
	static const struct month_cmd mc = { usage_publish, true,
	    DESKD__REQUEST__BODY_SCHEDULE_PUBLISH,
	    &deskd__schedule_publish__descriptor };

	return month_cmd(cli, &mc, argc, argv);
}

static int
cmd_show(struct cli *cli, int argc, char **argv)
{
	static const struct month_cmd mc = { usage_show, false,
	    DESKD__REQUEST__BODY_SCHEDULE_GET,
	    &deskd__schedule_get__descriptor };

	return month_cmd(cli, &mc, argc, argv);
}

static int
cmd_history(struct cli *cli, int argc, char **argv)
{
	static const struct month_cmd mc = { usage_history, false,
	    DESKD__REQUEST__BODY_SCHEDULE_HISTORY,
	    &deskd__schedule_history__descriptor };

	return month_cmd(cli, &mc, argc, argv);
}

static const char usage_diff[] = N_(
"usage: desk schedule diff V1 V2 [--month YYYY-MM] [--mine]\n"
"What changed between two published versions, person by person (A5).\n");

static int
cmd_diff(struct cli *cli, int argc, char **argv)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__ScheduleDiff m = DESKD__SCHEDULE_DIFF__INIT;
	struct sched_args a;
	uint64_t v1, v2;
	int rc;

	if ((rc = parse_args(cli, usage_diff, argc, argv, &a)) != DESK_OK)
		return rc < 0 ? 0 : rc;
	if (optind + 2 != argc || cli_parse_u64(argv[optind], &v1) != 0 ||
	    cli_parse_u64(argv[optind + 1], &v2) != 0 || v1 == 0 || v2 == 0 ||
	    v1 > UINT32_MAX || v2 > UINT32_MAX)
		return cli_usage(usage_diff, DESK_USAGE);
	if ((rc = resolve_month(cli, &a, false)) != DESK_OK)
		return rc;
	m.month = a.month;
	m.v1 = (uint32_t)v1;
	m.v2 = (uint32_t)v2;
	m.mine = a.mine;
	cli_set_body(&req, DESKD__REQUEST__BODY_SCHEDULE_DIFF, &m);
	return call(cli, &req, NULL, 0);
}

/* The month's shift and post names, to turn words into indexes: the
 * draft's (asked for with --mine, so it is small), else a new draft's. */
static int
fetch_names(struct cli *cli, uint32_t month, Deskd__Response **resp)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__ScheduleGet g = DESKD__SCHEDULE_GET__INIT;
	Deskd__ScheduleDraft d = DESKD__SCHEDULE_DRAFT__INIT;

	g.month = month;
	g.draft = true;
	g.mine = true;
	cli_set_body(&req, DESKD__REQUEST__BODY_SCHEDULE_GET, &g);
	if (desk_call(cli->d, &req, resp) == DESK_OK)
		return DESK_OK;
	if (*resp)
		deskd__response__free_unpacked(*resp, NULL);
	*resp = NULL;
	d.month = month;
	cli_set_body(&req, DESKD__REQUEST__BODY_SCHEDULE_DRAFT, &d);
	return cli_call(cli, &req, resp);
}

static int
name_index(char **names, size_t n, const char *want)
{
	size_t len = strlen(want);

	/* A shift is named by its first word ("morning 08:00-16:00"). */
	for (size_t i = 0; i < n; i++)
		if (strncmp(names[i], want, len) == 0 &&
		    (names[i][len] == '\0' || names[i][len] == ' '))
			return (int)i;
	return -1;
}

struct rows {
	char		*field[5];
	size_t		 nfield;
	unsigned	 line;
	bool		 bad_row;
	Deskd__Assignment *a;
	unsigned	*lines;
	size_t		 n, cap;
	int		 errors;
	uint32_t	 month;
	const Deskd__Schedule *names;
	unsigned	 seen_line[32 * 8 * 256];
};

static void	row_error(struct rows *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));

static void
row_error(struct rows *r, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, _("line %u: "), r->line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	r->errors++;
}

static void
field_cb(void *s, size_t len, void *arg)
{
	struct rows *r = arg;
	char *f = s;

	/* A UTF-8 BOM before the first field (Excel writes one). */
	if (r->line == 0 && r->nfield == 0 && len >= 3 &&
	    memcmp(f, "\xef\xbb\xbf", 3) == 0) {
		f += 3;
		len -= 3;
	}
	if (r->nfield < 5)
		r->field[r->nfield] = strndup(f, len);
	r->nfield++;
}

/* 2027-02-30 is not a day: mktime would move it into March. */
static bool
real_day(unsigned y, unsigned m, unsigned d)
{
	struct tm tm = { .tm_year = (int)y - 1900, .tm_mon = (int)m - 1,
	    .tm_mday = (int)d, .tm_hour = 12, .tm_isdst = -1 };

	return d >= 1 && d <= 31 && mktime(&tm) != (time_t)-1 &&
	    tm.tm_mday == (int)d && tm.tm_mon == (int)m - 1;
}

static void
row_cb(int c, void *arg)
{
	struct rows *r = arg;
	const Deskd__Schedule *nm = r->names;
	Deskd__Assignment *a;
	unsigned y, m, d;
	int n = 0, sh, po;

	(void)c;
	r->line++;
	if (r->nfield == 4 && r->line == 1 &&
	    strcmp(r->field[0], "date") == 0)
		goto out;		/* the header */
	if (r->nfield != 4) {
		row_error(r, _("%zu fields; a row is date,shift,post,user"),
		    r->nfield);
		goto out;
	}
	if (sscanf(r->field[0], "%4u-%2u-%2u%n", &y, &m, &d, &n) != 3 ||
	    r->field[0][n] || y * 100 + m != r->month || !real_day(y, m, d)) {
		row_error(r, _("date '%s': not a day of the month "
		    "(YYYY-MM-DD)"),
		    r->field[0]);
		goto out;
	}
	if ((sh = name_index(nm->shifts, nm->n_shifts, r->field[1])) < 0) {
		row_error(r, _("unknown shift '%s'"), r->field[1]);
		goto out;
	}
	if ((po = name_index(nm->posts, nm->n_posts, r->field[2])) < 0) {
		row_error(r, _("unknown post '%s'"), r->field[2]);
		goto out;
	}
	if (*r->field[3] == '\0') {
		row_error(r, _("%s: no user"), r->field[0]);
		goto out;
	}
	{
		size_t slot = ((size_t)d * 8 + (size_t)sh) * 256 + (size_t)po;

		if (slot < sizeof(r->seen_line) / sizeof(r->seen_line[0]) &&
		    r->seen_line[slot]) {
			row_error(r, _("duplicate row: the same date, shift "
			    "and post as line %u"), r->seen_line[slot]);
			goto out;
		}
		if (slot < sizeof(r->seen_line) / sizeof(r->seen_line[0]))
			r->seen_line[slot] = r->line;
	}
	if (r->n == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 256;

		r->a = cli_xreallocarray(r->a, cap, sizeof(*r->a));
		r->lines = cli_xreallocarray(r->lines, cap, sizeof(*r->lines));
		r->cap = cap;
	}
	a = &r->a[r->n];
	deskd__assignment__init(a);
	a->day = d;
	a->shift = (uint32_t)sh;
	a->post = (uint32_t)po;
	a->user = r->field[3];
	r->field[3] = NULL;
	r->lines[r->n++] = r->line;
out:
	for (size_t i = 0; i < 5 && i < r->nfield; i++)
		free(r->field[i]);
	memset(r->field, 0, sizeof(r->field));
	r->nfield = 0;
}

static const char usage_import[] = N_(
"usage: desk schedule import FILE.csv [--month YYYY-MM]   (supervisor)\n"
"Replace the month's draft with the rows of FILE: date,shift,post,user\n"
"(an optional header line; UTF-8, a BOM and CRLF line ends are fine).\n"
"Every bad row is listed by line; if any row is bad nothing is imported.\n");

static int
cmd_import(struct cli *cli, int argc, char **argv)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__ScheduleSet m = DESKD__SCHEDULE_SET__INIT;
	Deskd__Response *names = NULL;
	Deskd__Assignment **ptrs = NULL;
	struct csv_parser p;
	struct sched_args a;
	struct rows *r;
	char buf[8192];
	size_t len;
	FILE *fp;
	int rc;

	if ((rc = parse_args(cli, usage_import, argc, argv, &a)) != DESK_OK)
		return rc < 0 ? 0 : rc;
	if (optind + 1 != argc)
		return cli_usage(usage_import, DESK_USAGE);
	if ((fp = fopen(argv[optind], "r")) == NULL) {
		fprintf(stderr, _("desk: %1$s: %2$s\n"), argv[optind],
		    strerror(errno));
		return DESK_USAGE;
	}
	if ((rc = resolve_month(cli, &a, true)) != DESK_OK ||
	    (rc = fetch_names(cli, a.month, &names)) != DESK_OK) {
		fclose(fp);
		if (names)
			deskd__response__free_unpacked(names, NULL);
		return rc;
	}
	r = cli_xcalloc(1, sizeof(*r));
	if (csv_init(&p, CSV_APPEND_NULL) != 0) {
		fprintf(stderr, "desk: out of memory\n");
		exit(DESK_USAGE);
	}
	r->month = a.month;
	r->names = names->schedule->schedule;
	while ((len = fread(buf, 1, sizeof(buf), fp)) > 0)
		if (csv_parse(&p, buf, len, field_cb, row_cb, r) != len)
			break;
	csv_fini(&p, field_cb, row_cb, r);
	csv_free(&p);
	fclose(fp);
	if (r->errors == 0 && r->n == 0) {
		fprintf(stderr, _("desk: %s: no rows\n"), argv[optind]);
		r->errors++;
	}
	if (r->errors > 0) {
		fprintf(stderr, P_("desk: %d bad row: nothing imported\n",
		    "desk: %d bad rows: nothing imported\n", r->errors),
		    r->errors);
		rc = DESK_REFUSED;
		goto done;
	}
	ptrs = cli_xcalloc(r->n, sizeof(*ptrs));
	for (size_t i = 0; i < r->n; i++)
		ptrs[i] = &r->a[i];
	m.month = a.month;
	m.replace = true;
	m.n_assignments = r->n;
	m.assignments = ptrs;
	cli_set_body(&req, DESKD__REQUEST__BODY_SCHEDULE_SET, &m);
	if ((rc = call(cli, &req, r->lines, r->n)) != DESK_OK)
		fprintf(stderr, "%s", _("desk: nothing imported\n"));
done:
	for (size_t i = 0; i < r->n; i++)
		free(r->a[i].user);
	free(r->a);
	free(r->lines);
	free(r);
	free(ptrs);
	deskd__response__free_unpacked(names, NULL);
	return rc;
}

static const char usage_set[] = N_(
"usage: desk schedule set YYYY-MM-DD SHIFT POST USER   (supervisor)\n"
"Put USER on POST for SHIFT of that day in the month's draft; USER '-'\n"
"leaves the slot empty.\n");

static int
cmd_set(struct cli *cli, int argc, char **argv)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__ScheduleSet m = DESKD__SCHEDULE_SET__INIT;
	Deskd__Assignment as = DESKD__ASSIGNMENT__INIT, *ptr = &as;
	Deskd__Response *names = NULL;
	const Deskd__Schedule *nm;
	struct sched_args a;
	unsigned y, mo, d;
	int rc, n = 0, sh, po;

	if ((rc = parse_args(cli, usage_set, argc, argv, &a)) != DESK_OK)
		return rc < 0 ? 0 : rc;
	if (optind + 4 != argc || sscanf(argv[optind], "%4u-%2u-%2u%n", &y,
	    &mo, &d, &n) != 3 || argv[optind][n] || mo < 1 || mo > 12)
		return cli_usage(usage_set, DESK_USAGE);
	a.month = y * 100 + mo;
	if ((rc = cli_connect(cli, true)) != DESK_OK ||
	    (rc = fetch_names(cli, a.month, &names)) != DESK_OK)
		goto done;
	nm = names->schedule->schedule;
	if ((sh = name_index(nm->shifts, nm->n_shifts, argv[optind + 1])) < 0 ||
	    (po = name_index(nm->posts, nm->n_posts, argv[optind + 2])) < 0) {
		fprintf(stderr, sh < 0 ? _("desk: unknown shift '%s'\n") :
		    _("desk: unknown post '%s'\n"), sh < 0 ?
		    argv[optind + 1] : argv[optind + 2]);
		rc = DESK_USAGE;
		goto done;
	}
	as.day = d;
	as.shift = (uint32_t)sh;
	as.post = (uint32_t)po;
	as.user = strcmp(argv[optind + 3], "-") == 0 ? "" : argv[optind + 3];
	m.month = a.month;
	m.n_assignments = 1;
	m.assignments = &ptr;
	cli_set_body(&req, DESKD__REQUEST__BODY_SCHEDULE_SET, &m);
	rc = call(cli, &req, NULL, 0);
done:
	if (names)
		deskd__response__free_unpacked(names, NULL);
	return rc;
}

int
cli_schedule(struct cli *cli, int argc, char **argv)
{
	static const struct cli_cmd cmds[] = {
		{ "draft", cmd_draft,
		    N_("start the month's draft (supervisor)") },
		{ "set", cmd_set, N_("DATE SHIFT POST USER in the draft") },
		{ "import", cmd_import,
		    N_("FILE.csv (date,shift,post,user) as the draft") },
		{ "publish", cmd_publish,
		    N_("publish the draft as a new version (A5)") },
		{ "show", cmd_show,
		    N_("the published schedule; --mine: your shifts") },
		{ "diff", cmd_diff, N_("V1 V2: what changed, person by person") },
		{ "history", cmd_history, N_("every version of the month") },
	};

	return cli_dispatch(cli, cmds, sizeof(cmds) / sizeof(cmds[0]),
	    usage_group, argc, argv);
}
