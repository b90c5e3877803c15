/*
 * cli_import.c - `desk import` and `desk export` (issue 6, PROTOCOL.md
 * 10.15): registers in and out of deskd as CSV or JSON Lines, streamed.
 *
 * A file's columns are the fields of the kind's record message by their
 * proto names, plus `ref`, and each value is read and written by fields.c,
 * so an export imports back as it is.  Import reads a row at a time
 * (rows.c) and hands it to the library's batching (desk_import_*): memory
 * follows the longest row, not the file (H3).  Export asks for id ranges,
 * several in flight, and writes each reply out before reading on.
 */
#include <sys/stat.h>

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli_record.h"
#include "fields.h"
#include "rows.h"
#include "wire.h"

/* A field longer than a frame cannot be sent: refused as the row is read,
 * so a 20 MB cell costs one reject, not the import. */
#define MAX_FIELD	(1024 * 1024)
/* Export: ids per request and requests in flight (PROTOCOL.md 10.15). */
#define EXPORT_RANGE	5000
#define EXPORT_WINDOW	8
/* How much of a bad value a reject repeats. */
#define SHOW_VALUE	40

/* ---------- kinds ---------- */

/* The kinds that are not registers; a register's come from
 * cli_register.c.  `household` is the person rows (IMPORT.md).  The
 * records deskd makes itself (alerts, handovers, duty requests, reveals)
 * and those HQ's reports read (users, the duty log, attendance) are
 * exported only. */
static const struct {
	const char	*kind, *wire;
	const ProtobufCMessageDescriptor *d;
	bool		 export_only;
} fixed_kinds[] = {
	{ "complaint", "complaint", &deskd__complaint__descriptor, false },
	{ "repair", "repair", &deskd__work_order__descriptor, false },
	{ "unit", "unit", &deskd__unit__descriptor, false },
	{ "person", "person", &deskd__person__descriptor, false },
	{ "household", "person", &deskd__person__descriptor, false },
	{ "fee", "fee", &deskd__fee__descriptor, false },
	{ "alert", "alert", &deskd__alert__descriptor, true },
	{ "handover", "handover", &deskd__handover__descriptor, true },
	{ "duty", "duty", &deskd__duty_request__descriptor, true },
	{ "reveal", "reveal", &deskd__reveal__descriptor, true },
	{ "user", "user", &deskd__user__descriptor, true },
	{ "dutylog", "dutylog", &deskd__duty_log_entry__descriptor, true },
	{ "attendance", "attendance", &deskd__attendance__descriptor, true },
};

#define NFIXED	(sizeof(fixed_kinds) / sizeof(fixed_kinds[0]))

struct kind {
	const char	*name, *wire;
	const ProtobufCMessageDescriptor *d;
	bool		 export_only;
};

/* The i-th kind; false past the last. */
static bool
kind_at(size_t i, struct kind *k)
{
	if (i < NFIXED) {
		k->name = fixed_kinds[i].kind;
		k->wire = fixed_kinds[i].wire;
		k->d = fixed_kinds[i].d;
		k->export_only = fixed_kinds[i].export_only;
		return true;
	}
	if ((k->d = cli_register_kind(i - NFIXED, &k->name)) == NULL)
		return false;
	k->wire = k->name;
	k->export_only = false;
	return true;
}

static bool
kind_find(const char *name, struct kind *k)
{
	for (size_t i = 0; kind_at(i, k); i++)
		if (strcmp(k->name, name) == 0)
			return true;
	return false;
}

static void
kinds_list(FILE *out)
{
	struct kind k;

	for (size_t i = 0; kind_at(i, &k); i++)
		fprintf(out, "%s%s", i ? ", " : "", k.name);
	fputc('\n', out);
}

/* A field that is a column: one with text, and not a user's password
 * fields (pw_*), which deskd keeps and never sends (a user export would
 * otherwise carry a column of zero iterations). */
static bool
is_column(const ProtobufCFieldDescriptor *f)
{
	return field_has_text(f) && strncmp(f->name, "pw_", 3) != 0;
}

/* The field a column fills, or NULL: not a column of the kind (`ref` is
 * checked before). */
static const ProtobufCFieldDescriptor *
column(const ProtobufCMessageDescriptor *d, const char *name)
{
	const ProtobufCFieldDescriptor *f =
	    protobuf_c_message_descriptor_get_field_by_name(d, name);

	return f != NULL && is_column(f) ? f : NULL;
}

static bool
columns_fit(const ProtobufCMessageDescriptor *d, const char *const *names,
    size_t n, const char **bad)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(names[i], "ref") != 0 && column(d, names[i]) ==
		    NULL) {
			*bad = names[i];
			return false;
		}
	return true;
}

static void
columns_print(FILE *out, const ProtobufCMessageDescriptor *d, bool types)
{
	char meta[256];

	fprintf(out, types ? "  %-22s %s\n" : "%s", "ref", types ?
	    "TEXT (the row's external key)" : "");
	for (unsigned i = 0; i < d->n_fields; i++) {
		const ProtobufCFieldDescriptor *f = &d->fields[i];

		if (!is_column(f))
			continue;
		if (!types) {
			fprintf(out, ",%s", f->name);
			continue;
		}
		fprintf(out, "  %-22s %s\n", f->name,
		    f->label == PROTOBUF_C_LABEL_REPEATED ? "A;B;..." :
		    field_meta(f, meta, sizeof(meta)));
	}
	if (!types)
		fputc('\n', out);
}

/* ---------- CSV out (RFC 4180) ---------- */

/* A cell, quoted when it holds a comma, a quote or a line end: one pass
 * that finds its length too (an export writes a cell per field per row). */
static void
csv_cell(FILE *out, const char *s, bool first)
{
	static const bool special[256] = { [','] = true, ['"'] = true,
	    ['\r'] = true, ['\n'] = true };
	size_t n = 0;

	if (!first)
		putc_unlocked(',', out);
	while (s[n] != '\0' && !special[(unsigned char)s[n]])
		n++;
	if (s[n] == '\0') {
		fwrite_unlocked(s, 1, n, out);
		return;
	}
	putc_unlocked('"', out);
	for (; *s; s++) {
		if (*s == '"')
			putc_unlocked('"', out);
		putc_unlocked(*s, out);
	}
	putc_unlocked('"', out);
}

/* ---------- import ---------- */

static volatile sig_atomic_t interrupted;

static void
on_sigint(int sig)
{
	(void)sig;
	interrupted = 1;
	/* A second Ctrl-C ends the program at once. */
	signal(SIGINT, SIG_DFL);
}

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* The one-line progress bar, on a terminal only, at most 10 times a
 * second. */
struct progress {
	bool	 on;
	off_t	 size;		/* 0: unknown (a pipe) */
	double	 start, last;
};

static void
progress_show(struct progress *p, uint64_t rows, size_t offset, bool done)
{
	double now, rate;

	if (!p->on || (!done && now_s() - p->last < 0.1))
		return;
	now = now_s();
	p->last = now;
	if (done) {
		fputs("\r\033[K", stderr);
		return;
	}
	rate = now > p->start ? rows / (now - p->start) : 0;
	fprintf(stderr, "\r%" PRIu64 " rows  %.0f rows/s", rows, rate);
	if (p->size > 0 && offset > 0) {
		double frac = (double)offset / (double)p->size;
		double eta = (now - p->start) * (1 - frac) / frac;

		fprintf(stderr, "  %3.0f%%  ETA %d:%02d", frac * 100,
		    (int)eta / 60, (int)eta % 60);
	}
	fputs("\033[K", stderr);
}

struct importer {
	const char	*file;
	FILE		*rej;		/* --rejects, else lines on stderr */
	uint64_t	 rejected;	/* here, before sending */
	bool		 json;
};

/* "field 'phone': not UTF-8": the field and the reason apart. */
static void
reject(struct importer *im, unsigned line, const char *field,
    const char *reason)
{
	char name[128];
	const char *p;

	if (field == NULL && strncmp(reason, "field '", 7) == 0 &&
	    (p = strstr(reason + 7, "': ")) != NULL &&
	    (size_t)(p - reason - 7) < sizeof(name)) {
		snprintf(name, sizeof(name), "%.*s", (int)(p - reason - 7),
		    reason + 7);
		field = name;
		reason = p + 3;
	}
	if (field == NULL || *field == '\0')
		field = "row";
	if (im->rej == NULL) {
		fprintf(stderr, "%s:%u: %s: %s\n", im->file, line, field,
		    reason);
		return;
	}
	fprintf(im->rej, "%u", line);
	csv_cell(im->rej, field, false);
	csv_cell(im->rej, reason, false);
	putc('\n', im->rej);
}

static void
on_result(const Deskd__ImportResult *r, void *arg)
{
	if (r->outcome == DESKD__IMPORT_OUTCOME__IMPORT_REJECTED)
		reject(arg, r->line, r->field, r->reason);
}

/* At most SHOW_VALUE bytes of a value, cut at a character boundary. */
static void
short_value(const char *v, char *buf, size_t len)
{
	size_t n = strlen(v);

	if (n < SHOW_VALUE && n < len) {
		memcpy(buf, v, n + 1);
		return;
	}
	n = SHOW_VALUE < len - 4 ? SHOW_VALUE : len - 4;
	while (n > 0 && ((unsigned char)v[n] & 0xc0) == 0x80)
		n--;
	snprintf(buf, len, "%.*s...", (int)n, v);
}

/* A row into the kind's message; false (told as a reject) when a value is
 * not one its field takes. */
static bool
row_record(struct importer *im, const struct kind *k, const struct row *r,
    ProtobufCMessage *m, struct field_arena *a, const char **ref)
{
	const ProtobufCFieldDescriptor *f;
	char why[256], val[SHOW_VALUE + 8], meta[192];

	protobuf_c_message_init(k->d, m);
	field_arena_clear(a);
	*ref = "";
	for (size_t i = 0; i < r->n; i++) {
		if (strcmp(r->names[i], "ref") == 0) {
			*ref = r->values[i];
			continue;
		}
		if ((f = column(k->d, r->names[i])) == NULL) {
			reject(im, r->line, r->names[i], "not a column of this "
			    "kind (desk import --columns KIND)");
			return false;
		}
		/* An empty cell is a field not given. */
		if (r->values[i][0] == '\0')
			continue;
		if (field_set(m, f, r->values[i], FIELD_SEP_FILE, a) != 0) {
			short_value(r->values[i], val, sizeof(val));
			snprintf(why, sizeof(why), "'%s' is not %s", val,
			    field_wanted(f, meta, sizeof(meta)));
			reject(im, r->line, f->name, why);
			return false;
		}
	}
	return true;
}

/* The kind of a file without --kind: the one whose message has every
 * column of the header (or the first JSON line). */
static int
infer_kind(const char *const *names, size_t n, struct kind *out)
{
	struct kind k;
	size_t found = 0;
	const char *bad;
	char list[512] = "";

	for (size_t i = 0; kind_at(i, &k); i++) {
		/* household is person under another name. */
		if (strcmp(k.name, k.wire) != 0 || k.export_only ||
		    !columns_fit(k.d, names, n, &bad))
			continue;
		if (found++ == 0)
			*out = k;
		snprintf(list + strlen(list), sizeof(list) - strlen(list),
		    "%s%s", *list ? ", " : "", k.name);
	}
	if (found == 1) {
		fprintf(stderr, "desk import: the columns are those of a %s "
		    "(--kind %s)\n", out->name, out->name);
		return DESK_OK;
	}
	if (found == 0)
		fprintf(stderr, "desk import: no kind has all these columns: "
		    "give --kind (kinds: ");
	else
		fprintf(stderr, "desk import: the columns fit %s: give --kind "
		    "(", list);
	if (found == 0)
		kinds_list(stderr);
	else
		fputs(")\n", stderr);
	return DESK_USAGE;
}

static const char usage_import[] =
"usage: desk import FILE|- [--kind KIND] [--format csv|jsonl] [--rejects FILE]\n"
"                   [--dry-run] [--allow-no-ref] [--json]\n"
"       desk import --columns KIND\n"
"Import rows of a kind from CSV (with a header row) or JSON Lines (.jsonl);\n"
"- reads standard input (JSON Lines when it starts with '{').  Each row's\n"
"`ref` is its external key: a re-run skips the rows stored already.  A row\n"
"that does not convert goes to the rejects (line,field,reason; stderr\n"
"without --rejects) and the others go on.  Exit 0 when nothing was\n"
"rejected, 1 when a row was.  docs/IMPORT.md.\n"
"Kinds: ";

struct import_opts {
	const char	*file, *rejects, *kind;
	int		 format;	/* enum rows_format; -1: from the name */
	unsigned	 flags;
};

static int
import_args(int argc, char **argv, struct import_opts *o, struct kind *k)
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
			if (!kind_find(optarg, k)) {
				fprintf(stderr, "desk import: no kind '%s'; "
				    "kinds: ", optarg);
				kinds_list(stderr);
				return DESK_USAGE;
			}
			printf("The columns of a %s (%s):\n", k->name,
			    k->d->short_name);
			columns_print(stdout, k->d, true);
			return -1;
		case 'h':
			fputs(usage_import, stdout);
			kinds_list(stdout);
			return -1;
		default:
			goto usage;
		}
	}
	if (argc - optind != 1)
		goto usage;
	o->file = argv[optind];
	if (o->kind && !kind_find(o->kind, k)) {
		fprintf(stderr, "desk import: no kind '%s'; kinds: ", o->kind);
		kinds_list(stderr);
		return DESK_USAGE;
	}
	if (o->kind && k->export_only) {
		fprintf(stderr, "desk import: %s records are kept by deskd "
		    "itself; they are exported, not imported\n", k->name);
		return DESK_USAGE;
	}
	return DESK_OK;
usage:
	fputs(usage_import, stderr);
	kinds_list(stderr);
	return DESK_USAGE;
}

/* What the whole run did, for the summary. */
struct import_run {
	struct desk_import	*imp;
	struct desk_import_summary sum;
	bool			 started, fatal;
	int			 rc;
};

static bool
has_header(const struct rows *rs)
{
	const char *const *names;

	return rows_header(rs, &names) > 0;
}

/* Before the first row is sent: the kind, its columns, the connection. */
static int
import_start(struct cli *cli, const struct import_opts *o, struct kind *k,
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
	if (o->kind == NULL && (rc = infer_kind(names, n, k)) != DESK_OK)
		return rc;
	if (n > 0 && !columns_fit(k->d, names, n, &bad)) {
		fprintf(stderr, "desk import: %s: column '%s' is not a field of "
		    "a %s; its columns are:\n", o->file, bad, k->name);
		columns_print(stderr, k->d, true);
		return DESK_USAGE;
	}
	if ((rc = cli_connect(cli, true)) != DESK_OK)
		return rc;
	if ((rc = desk_import_begin(cli->d, k->wire, o->flags, on_result, im,
	    &run->imp)) != DESK_OK) {
		fprintf(stderr, "desk import: %s\n", desk_error(cli->d));
		return rc;
	}
	run->started = true;
	if ((rc = desk_import_file(run->imp, strcmp(o->file, "-") == 0 ?
	    "(stdin)" : o->file)) != DESK_OK) {
		fprintf(stderr, "desk import: %s\n", desk_error(cli->d));
		return rc;
	}
	return DESK_OK;
}

static void
import_summary(const struct import_opts *o, const struct importer *im,
    const struct kind *k, const struct import_run *run)
{
	uint64_t rejected = run->sum.rejected + im->rejected;
	bool dry = (o->flags & DESK_IMPORT_DRY_RUN) != 0;

	if (im->json) {
		json_t *j = json_object();

		json_object_set_new(j, "kind", json_string(k->name ?
		    k->name : ""));
		json_object_set_new(j, "dry_run", json_boolean(dry));
		json_object_set_new(j, "imported",
		    json_integer((json_int_t)run->sum.stored));
		json_object_set_new(j, "duplicates",
		    json_integer((json_int_t)run->sum.duplicates));
		json_object_set_new(j, "rejected",
		    json_integer((json_int_t)rejected));
		json_object_set_new(j, "interrupted",
		    json_boolean(interrupted));
		cli_print_json(j);
		return;
	}
	fprintf(stderr, "%simported %" PRIu64 ", skipped %" PRIu64 " as "
	    "duplicates, rejected %" PRIu64 "\n", dry ? "dry run, nothing "
	    "stored: would have " : "", run->sum.stored, run->sum.duplicates,
	    rejected);
	if (interrupted || (run->rc != DESK_OK && run->rc != DESK_REFUSED))
		fprintf(stderr, "desk import: stopped before the end of %s: "
		    "run the same command again to import the rest\n",
		    o->file);
}

static int
import_rows(struct cli *cli, const struct import_opts *o, struct kind *k,
    struct rows *rs, struct importer *im, struct progress *pg,
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
			reject(im, rows_error_line(rs), "file", rows_error(rs));
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
			reject(im, rows_error_line(rs), NULL, rows_error(rs));
			im->rejected++;
		} else if (!row_record(im, k, r, m, &a, &ref))
			im->rejected++;
		else if ((rc = desk_import_row(run->imp, r->line, ref, m)) !=
		    DESK_OK)
			break;
		progress_show(pg, nrows, rows_offset(rs), false);
	}
	progress_show(pg, nrows, 0, true);
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
	struct kind k = { NULL, NULL, NULL, false };
	struct importer im = { .json = cli->json };
	struct import_run run = { .rc = DESK_OK };
	struct progress pg = { .on = isatty(STDERR_FILENO) && !cli->json };
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
		fprintf(stderr, "desk: out of memory\n");
		rc = DESK_USAGE;
		goto out;
	}
	/* Ctrl-C: what was read is sent and acknowledged, then the summary
	 * (a re-run finishes the job, H4). */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_sigint;
	sa.sa_flags = SA_RESTART;
	sigaction(SIGINT, &sa, NULL);
	pg.start = pg.last = now_s();
	rc = import_rows(cli, &o, &k, rs, &im, &pg, &run);
	if (run.started) {
		int end = desk_import_end(run.imp, &run.sum);

		if (rc == DESK_OK)
			rc = end;
		if (rc != DESK_OK)
			fprintf(stderr, "desk import: %s\n",
			    desk_error(cli->d));
	}
	signal(SIGINT, SIG_DFL);
	rows_free(rs);
	run.rc = rc;
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

/* ---------- export ---------- */

/*
 * Where a record is decoded: one block, emptied after each record, rather
 * than a malloc and a free per string of every row exported.  What does
 * not fit goes to malloc, freed at the same time.
 */
#define SCRATCH_SIZE	(256 * 1024)

struct scratch {
	ProtobufCAllocator	 allocator;
	uint8_t			*block;
	size_t			 used;
	void			**big;
	size_t			 nbig, capbig;
};

static void *
scratch_alloc(void *arg, size_t n)
{
	struct scratch *sc = arg;
	void *p, **grown;

	n = (n + 15) & ~(size_t)15;
	if (sc->block != NULL && SCRATCH_SIZE - sc->used >= n) {
		sc->used += n;
		return sc->block + sc->used - n;
	}
	if (sc->nbig == sc->capbig) {
		size_t cap = sc->capbig ? sc->capbig * 2 : 16;

		if ((grown = realloc(sc->big, cap * sizeof(*grown))) == NULL)
			return NULL;
		sc->big = grown;
		sc->capbig = cap;
	}
	if ((p = malloc(n)) != NULL)
		sc->big[sc->nbig++] = p;
	return p;
}

static void
scratch_free(void *arg, void *p)
{
	(void)arg;
	(void)p;	/* all at once: scratch_reset */
}

static void
scratch_reset(struct scratch *sc)
{
	while (sc->nbig > 0)
		free(sc->big[--sc->nbig]);
	sc->used = 0;
}

struct exporter {
	const struct kind	*k;
	bool			 jsonl;
	FILE			*out;
	struct field_buf	 buf;
	struct scratch		 scratch;
	uint64_t		 n;
};

/* A JSON string: escapes for the quote, the backslash and controls; the
 * UTF-8 the server checked goes through as it is. */
static void
json_str(FILE *out, const char *s)
{
	putc_unlocked('"', out);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\') {
			putc_unlocked('\\', out);
			putc_unlocked(c, out);
		} else if (c == '\n')
			fputs_unlocked("\\n", out);
		else if (c == '\r')
			fputs_unlocked("\\r", out);
		else if (c == '\t')
			fputs_unlocked("\\t", out);
		else if (c < 0x20)
			fprintf(out, "\\u%04x", c);
		else
			putc_unlocked(c, out);
	}
	putc_unlocked('"', out);
}

/* A field's JSON value: numbers and booleans as such, lists as arrays,
 * the rest as the text a CSV holds. */
static void
json_field(struct exporter *e, const ProtobufCMessage *m,
    const ProtobufCFieldDescriptor *f, const char *text)
{
	if (f->label == PROTOBUF_C_LABEL_REPEATED) {
		size_t n = *(const size_t *)((const char *)m +
		    f->quantifier_offset);
		char *const *v = *(char *const *const *)((const char *)m +
		    f->offset);

		putc_unlocked('[', e->out);
		for (size_t i = 0; i < n; i++) {
			if (i)
				putc_unlocked(',', e->out);
			json_str(e->out, v[i]);
		}
		putc_unlocked(']', e->out);
	} else if (f->type == PROTOBUF_C_TYPE_BOOL ||
	    (isdigit((unsigned char)text[0]) && f->type != PROTOBUF_C_TYPE_STRING &&
	    f->type != PROTOBUF_C_TYPE_ENUM && !field_is_time(f) &&
	    text[strspn(text, "0123456789")] == '\0'))
		fputs_unlocked(text, e->out);
	else
		json_str(e->out, text);
}

static void
export_record(struct exporter *e, const Deskd__ExportRecord *r,
    const ProtobufCMessage *m)
{
	const ProtobufCMessageDescriptor *d = e->k->d;

	if (e->jsonl) {
		fputs_unlocked("{\"ref\":", e->out);
		json_str(e->out, r->ref);
	} else
		csv_cell(e->out, r->ref, true);
	for (unsigned i = 0; i < d->n_fields; i++) {
		const ProtobufCFieldDescriptor *f = &d->fields[i];
		const char *t;

		if (!is_column(f))
			continue;
		t = field_text(m, f, &e->buf);
		if (!e->jsonl) {
			csv_cell(e->out, t, false);
			continue;
		}
		/* Empty is not given: the import reads it the same. */
		if (*t == '\0' && f->label != PROTOBUF_C_LABEL_REPEATED)
			continue;
		putc_unlocked(',', e->out);
		json_str(e->out, f->name);
		putc_unlocked(':', e->out);
		json_field(e, m, f, t);
	}
	fputs_unlocked(e->jsonl ? "}\n" : "\n", e->out);
	e->n++;
}

/* A reply's records out; -1 when one does not decode. */
static int
export_reply(struct exporter *e, const Deskd__ExportReply *rep)
{
	for (size_t i = 0; i < rep->n_records; i++) {
		const Deskd__ExportRecord *r = rep->records[i];
		ProtobufCMessage *m = protobuf_c_message_unpack(e->k->d,
		    &e->scratch.allocator, r->record.len, r->record.data);

		if (m == NULL) {
			scratch_reset(&e->scratch);
			fprintf(stderr, "desk export: %s %" PRIu64 " does not "
			    "decode\n", e->k->name, r->id);
			return -1;
		}
		export_record(e, r, m);
		scratch_reset(&e->scratch);
	}
	return 0;
}

struct range {
	uint32_t	id;
	uint64_t	from, to;
};

static int
export_send(struct cli *cli, Deskd__ExportRequest *q, struct range *r)
{
	Deskd__Request req = DESKD__REQUEST__INIT;

	q->from_id = r->from;
	q->to_id = r->to;
	req.body_case = DESKD__REQUEST__BODY_EXPORT;
	req.export = q;
	return desk_send(cli->d, &req, &r->id);
}

/* The reply to a range; a range that stopped early is finished before
 * the next one is read, so records leave in id order. */
static int
export_range(struct cli *cli, struct exporter *e, Deskd__ExportRequest *q,
    struct range *r, uint64_t *last_id)
{
	Deskd__Response *resp = NULL;
	int rc;

	for (;;) {
		if ((rc = desk_wait(cli->d, r->id, &resp)) != DESK_OK) {
			fprintf(stderr, "desk export: %s\n",
			    desk_error(cli->d));
			break;
		}
		if (resp->body_case != DESKD__RESPONSE__BODY_EXPORT) {
			fprintf(stderr, "desk export: the server's reply is "
			    "not an export\n");
			rc = DESK_PROTOCOL;
			break;
		}
		*last_id = resp->export->last_id;
		if (export_reply(e, resp->export) != 0) {
			rc = DESK_PROTOCOL;
			break;
		}
		if (resp->export->next_id == 0 || (r->to != 0 &&
		    resp->export->next_id >= r->to))
			break;
		r->from = resp->export->next_id;
		deskd__response__free_unpacked(resp, NULL);
		resp = NULL;
		if ((rc = export_send(cli, q, r)) != DESK_OK) {
			fprintf(stderr, "desk export: %s\n",
			    desk_error(cli->d));
			break;
		}
	}
	if (resp)
		deskd__response__free_unpacked(resp, NULL);
	return rc;
}

static const char usage_export[] =
"usage: desk export --kind KIND [--since TIME|SEQ] [--format csv|jsonl]\n"
"                   [--unmasked]\n"
"Write every record of a kind to standard output in id order (the order of\n"
"the events that made them; users by name, the duty log and attendance by\n"
"day), as CSV with a header row or JSON Lines, with each record's ref:\n"
"`desk import` reads it back.  --since: changed at or after a time or event\n"
"seq.  Phone and ID numbers are masked (E6); --unmasked: in full, for\n"
"persons, complaints and repairs (admin, logged).\n"
"Kinds: ";

static int
export_args(int argc, char **argv, struct kind *k, const char **since,
    Deskd__ExportRequest *q, bool *jsonl)
{
	static const struct option opts[] = {
		{ "kind", required_argument, NULL, 'k' },
		{ "since", required_argument, NULL, 's' },
		{ "format", required_argument, NULL, 'f' },
		{ "unmasked", no_argument, NULL, 'u' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *kind = NULL;
	int c;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (c == 'k')
			kind = optarg;
		else if (c == 's')
			*since = optarg;
		else if (c == 'f' && (strcmp(optarg, "csv") == 0 ||
		    strcmp(optarg, "jsonl") == 0))
			*jsonl = strcmp(optarg, "jsonl") == 0;
		else if (c == 'u')
			q->unmasked = true;
		else if (c == 'h') {
			fputs(usage_export, stdout);
			kinds_list(stdout);
			return -1;
		} else
			goto usage;
	}
	if (argc != optind || kind == NULL)
		goto usage;
	if (kind_find(kind, k))
		return DESK_OK;
	fprintf(stderr, "desk export: no kind '%s'\n", kind);
usage:
	fputs(usage_export, stderr);
	kinds_list(stderr);
	return DESK_USAGE;
}

int
cli_export(struct cli *cli, int argc, char **argv)
{
	Deskd__ExportRequest q = DESKD__EXPORT_REQUEST__INIT;
	struct kind k;
	struct exporter e = { .k = &k, .out = stdout };
	struct range win[EXPORT_WINDOW];
	const char *since = NULL;
	uint64_t next = 1, last_id = UINT64_MAX, seq;
	size_t head = 0, n = 0;
	int rc;

	if ((rc = export_args(argc, argv, &k, &since, &q, &e.jsonl)) !=
	    DESK_OK)
		return rc < 0 ? 0 : rc;
	/* Before anything is written to it: a million rows go out in big
	 * pieces, not 4 KiB ones. */
	setvbuf(e.out, NULL, _IOFBF, 1 << 20);
	e.scratch.allocator = (ProtobufCAllocator){ scratch_alloc,
	    scratch_free, &e.scratch };
	/* Without its block every record goes to malloc: slower, not wrong. */
	e.scratch.block = malloc(SCRATCH_SIZE);
	if ((rc = cli_connect(cli, true)) != DESK_OK) {
		free(e.scratch.block);
		return rc;
	}
	/* After the connect: times are read in the server's zone. */
	if (since && cli_parse_u64(since, &seq) == 0)
		q.since_seq = seq;
	else if (since && field_parse_time(since, &q.since_ms) != 0) {
		fprintf(stderr, "desk export: --since '%s' is neither a time "
		    "(YYYY-MM-DD[ HH:MM]) %s nor an event seq\n", since,
		    WIRE_TIME_RANGE);
		free(e.scratch.block);
		return DESK_USAGE;
	}
	q.kind = (char *)k.wire;
	q.limit = EXPORT_RANGE;
	if (!e.jsonl)
		columns_print(e.out, k.d, false);
	/* EXPORT_WINDOW ranges in flight; last_id (known from the first
	 * reply) says where the kind ends. */
	while (rc == DESK_OK) {
		while (n < EXPORT_WINDOW && next <= last_id) {
			struct range *r = &win[(head + n) % EXPORT_WINDOW];

			r->from = next;
			r->to = next + EXPORT_RANGE;
			next = r->to;
			if ((rc = export_send(cli, &q, r)) != DESK_OK) {
				fprintf(stderr, "desk export: %s\n",
				    desk_error(cli->d));
				break;
			}
			n++;
		}
		if (rc != DESK_OK || n == 0)
			break;
		rc = export_range(cli, &e, &q, &win[head], &last_id);
		head = (head + 1) % EXPORT_WINDOW;
		n--;
		if (ferror(e.out)) {
			/* A reader that went away (| head) ends it quietly. */
			if (errno != EPIPE)
				fprintf(stderr, "desk export: %s\n",
				    strerror(errno));
			rc = errno == EPIPE ? DESK_OK : DESK_USAGE;
			break;
		}
	}
	/* The replies still in flight are read by nobody: closing the
	 * connection drops them. */
	if (fflush(e.out) != 0 && errno != EPIPE && rc == DESK_OK) {
		fprintf(stderr, "desk export: %s\n", strerror(errno));
		rc = DESK_USAGE;
	}
	field_buf_free(&e.buf);
	free(e.scratch.block);
	free(e.scratch.big);
	return rc;
}
