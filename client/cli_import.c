/*
 * cli_import.c - `desk import` (issue 6, PROTOCOL.md 10.15): rows of a
 * kind into deskd from CSV or JSON Lines, streamed.  Reads a row at a
 * time (rows.c) and hands it to the library's batching (desk_import_*):
 * memory follows the longest row, not the file (H3).
 *
 * This file reads the file a row at a time and sends it in batches;
 * cli_import_map.c maps a row onto its kind's record, cli_import_report.c
 * tells the user, cli_bulk.c holds the kinds both commands share and
 * cli_export.c is `desk export`.
 */
#include <sys/stat.h>

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli_bulk.h"

/* A field longer than a frame cannot be sent: refused as the row is read,
 * so a 20 MB cell costs one reject, not the import. */
#define MAX_FIELD	(1024 * 1024)

static volatile sig_atomic_t interrupted;

static void
on_sigint(int sig)
{
	(void)sig;
	interrupted = 1;
	/* A second Ctrl-C ends the program at once. */
	signal(SIGINT, SIG_DFL);
}

static const char usage_import[] = N_(
"usage: desk import FILE|- [--kind KIND] [--format csv|jsonl] [--rejects FILE]\n"
"                   [--dry-run] [--allow-no-ref] [--json]\n"
"       desk import --columns KIND\n"
"Import rows of a kind from CSV (with a header row) or JSON Lines (.jsonl);\n"
"- reads standard input (JSON Lines when it starts with '{').  Each row's\n"
"`ref` is its external key: a re-run skips the rows stored already.  A row\n"
"that does not convert goes to the rejects (line,field,reason; stderr\n"
"without --rejects) and the others go on.  Exit 0 when nothing was\n"
"rejected, 1 when a row was.  docs/IMPORT.md.\n"
"Kinds: ");

static int
import_args(int argc, char **argv, struct import_opts *o,
    struct bulk_kind *k)
{
	static const struct option opts[] = {
		{ "kind", required_argument, NULL, 'k' },
		{ "format", required_argument, NULL, 'f' },
		{ "rejects", required_argument, NULL, 'r' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ "allow-no-ref", no_argument, NULL, 'a' },
		{ "columns", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'k':
			o->kind = optarg;
			break;
		case 'f':
			if (strcmp(optarg, "csv") != 0 &&
			    strcmp(optarg, "jsonl") != 0)
				goto usage;
			o->format = strcmp(optarg, "csv") == 0 ? ROWS_CSV :
			    ROWS_JSONL;
			break;
		case 'r':
			o->rejects = optarg;
			break;
		case 'n':
			o->flags |= DESK_IMPORT_DRY_RUN;
			break;
		case 'a':
			o->flags |= DESK_IMPORT_ALLOW_NO_REF;
			break;
		case 'c':
			if (!bulk_kind_find(optarg, k)) {
				fprintf(stderr, _("desk import: no kind '%s'; "
				    "kinds: "), optarg);
				bulk_kinds_list(stderr);
				return DESK_USAGE;
			}
			printf(_("The columns of a %s (%s):\n"), k->name,
			    k->d->short_name);
			bulk_columns_print(stdout, k->d, true);
			return -1;
		case 'h':
			fputs(_(usage_import), stdout);
			bulk_kinds_list(stdout);
			return -1;
		default:
			goto usage;
		}
	}
	if (argc - optind != 1)
		goto usage;
	o->file = argv[optind];
	if (o->kind && !bulk_kind_find(o->kind, k)) {
		fprintf(stderr, _("desk import: no kind '%s'; kinds: "),
		    o->kind);
		bulk_kinds_list(stderr);
		return DESK_USAGE;
	}
	if (o->kind && k->export_only) {
		fprintf(stderr, _("desk import: %s records are kept by deskd "
		    "itself; they are exported, not imported\n"), k->name);
		return DESK_USAGE;
	}
	return DESK_OK;
usage:
	fputs(_(usage_import), stderr);
	bulk_kinds_list(stderr);
	return DESK_USAGE;
}

static bool
has_header(const struct rows *rs)
{
	const char *const *names;

	return rows_header(rs, &names) > 0;
}

/* Before the first row is sent: the kind, its columns, the connection. */
static int
import_start(struct cli *cli, const struct import_opts *o, struct bulk_kind *k,
    struct rows *rs, const struct row *first, struct importer *im,
    struct import_run *run)
{
	const char *const *names;
	size_t n = rows_header(rs, &names);
	const char *bad;
	int rc;

	if (n == 0 && first != NULL) {
		names = first->names;
		n = first->n;
	}
	if (o->kind == NULL && (rc = import_infer_kind(names, n, k)) != DESK_OK)
		return rc;
	if (n > 0 && !bulk_columns_fit(k->d, names, n, &bad)) {
		fprintf(stderr, _("desk import: %s: column '%s' is not a field "
		    "of a %s; its columns are:\n"), o->file, bad, k->name);
		bulk_columns_print(stderr, k->d, true);
		return DESK_USAGE;
	}
	if ((rc = cli_connect(cli, true)) != DESK_OK)
		return rc;
	if ((rc = desk_import_begin(cli->d, k->wire, o->flags,
	    import_on_result, im, &run->imp)) != DESK_OK) {
		fprintf(stderr, "desk import: %s\n", cli_error(cli));
		return rc;
	}
	run->started = true;
	if ((rc = desk_import_file(run->imp, strcmp(o->file, "-") == 0 ?
	    "(stdin)" : o->file)) != DESK_OK) {
		fprintf(stderr, "desk import: %s\n", cli_error(cli));
		return rc;
	}
	return DESK_OK;
}

static int
import_rows(struct cli *cli, const struct import_opts *o, struct bulk_kind *k,
    struct rows *rs, struct importer *im, struct import_progress *pg,
    struct import_run *run)
{
	const struct row *r;
	enum rows_status st;
	ProtobufCMessage *m = NULL;
	struct field_arena a = { NULL, 0, 0 };
	const char *ref;
	uint64_t nrows = 0;
	int rc = DESK_OK;

	while (!interrupted && (st = rows_next(rs, &r)) != ROWS_END) {
		if (st == ROWS_FATAL) {
			import_reject(im, rows_error_line(rs), "file",
			    rows_error(rs));
			im->rejected++;
			run->fatal = true;
			break;
		}
		if (!run->started && (st == ROWS_ROW || has_header(rs)) &&
		    (rc = import_start(cli, o, k, rs, r, im, run)) != DESK_OK)
			break;
		if (m == NULL && run->started)
			m = cli_xcalloc(1, k->d->sizeof_message);
		nrows++;
		if (st == ROWS_BAD) {
			import_reject(im, rows_error_line(rs), NULL,
			    rows_error(rs));
			im->rejected++;
		} else if (!import_row_record(im, k, r, m, &a, &ref))
			im->rejected++;
		else if ((rc = desk_import_row(run->imp, r->line, ref, m)) !=
		    DESK_OK)
			break;
		import_progress(pg, nrows, rows_offset(rs), false);
	}
	import_progress(pg, nrows, 0, true);
	field_arena_free(&a);
	free(m);
	return rc;
}

/* Standard input without --format: JSON Lines when it starts with '{'
 * (no CSV header does), so `desk export --format jsonl | desk import -`
 * needs no flag. */
static enum rows_format
stdin_format(void)
{
	int c = getc(stdin);

	if (c != EOF)
		ungetc(c, stdin);
	return c == '{' ? ROWS_JSONL : ROWS_CSV;
}

int
cli_import(struct cli *cli, int argc, char **argv)
{
	struct import_opts o = { .format = -1 };
	struct bulk_kind k = { NULL, NULL, NULL, false };
	struct importer im = { .json = cli->json };
	struct import_run run = { .rc = DESK_OK };
	struct import_progress pg = { .on = isatty(STDERR_FILENO) &&
	    !cli->json };
	struct sigaction sa;
	struct rows *rs;
	struct stat sb;
	FILE *in;
	int rc;

	if ((rc = import_args(argc, argv, &o, &k)) != DESK_OK)
		return rc < 0 ? 0 : rc;
	if (strcmp(o.file, "-") == 0)
		in = stdin;
	else if ((in = fopen(o.file, "r")) == NULL) {
		fprintf(stderr, "desk import: %s: %s\n", o.file,
		    strerror(errno));
		return DESK_USAGE;
	}
	if (o.format < 0)
		o.format = (int)(in == stdin ? stdin_format() :
		    rows_format_of(o.file));
	if (fstat(fileno(in), &sb) == 0 && S_ISREG(sb.st_mode))
		pg.size = sb.st_size;
	im.file = in == stdin ? "stdin" : o.file;
	if (o.rejects && (im.rej = fopen(o.rejects, "w")) == NULL) {
		fprintf(stderr, "desk import: %s: %s\n", o.rejects,
		    strerror(errno));
		rc = DESK_USAGE;
		goto out;
	}
	if (im.rej)
		fputs("line,field,reason\n", im.rej);
	if ((rs = rows_open(in, (enum rows_format)o.format, MAX_FIELD)) ==
	    NULL) {
		fputs(_("desk: out of memory\n"), stderr);
		rc = DESK_USAGE;
		goto out;
	}
	/* Ctrl-C: what was read is sent and acknowledged, then the summary
	 * (a re-run finishes the job, H4). */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_sigint;
	sa.sa_flags = SA_RESTART;
	sigaction(SIGINT, &sa, NULL);
	import_progress_begin(&pg);
	rc = import_rows(cli, &o, &k, rs, &im, &pg, &run);
	if (run.started) {
		int end = desk_import_end(run.imp, &run.sum);

		if (rc == DESK_OK)
			rc = end;
		if (rc != DESK_OK)
			fprintf(stderr, "desk import: %s\n",
			    cli_error(cli));
	}
	signal(SIGINT, SIG_DFL);
	rows_free(rs);
	run.rc = rc;
	run.interrupted = interrupted;
	if (rc == DESK_OK || rc == DESK_REFUSED || run.started) {
		import_summary(&o, &im, &k, &run);
		if (rc == DESK_OK && (run.sum.rejected + im.rejected > 0))
			rc = DESK_REFUSED;
		if (rc == DESK_OK && interrupted)
			rc = 128 + SIGINT;
	}
out:
	if (im.rej && fclose(im.rej) != 0) {
		fprintf(stderr, "desk import: %s: %s\n", o.rejects,
		    strerror(errno));
		rc = rc ? rc : DESK_USAGE;
	}
	if (in != stdin)
		fclose(in);
	return rc;
}

