/*
 * cli_export.c - `desk export` (issue 6, PROTOCOL.md 10.15): every record
 * of a kind out as CSV or JSON Lines, read back by `desk import`.  Asks
 * for id ranges, several in flight, and writes each reply out before
 * reading on.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cli_bulk.h"

/* Ids per request and requests in flight (PROTOCOL.md 10.15). */
#define EXPORT_RANGE	1000
#define EXPORT_WINDOW	16

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

/* A column of the kind, and how its field is written: found once, not
 * once a row. */
struct column {
	const ProtobufCFieldDescriptor	*f;
	enum field_form			 form;
};

struct exporter {
	const struct bulk_kind	*k;
	struct column		*cols;
	size_t			 ncols;
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
		const void *items = *(const void *const *)((const char *)m +
		    f->offset);

		/* A list of numbers (a survey's scores, a visit list's days)
		 * as numbers; of words as strings. */
		putc_unlocked('[', e->out);
		for (size_t i = 0; i < n; i++) {
			if (i)
				putc_unlocked(',', e->out);
			if (f->type == PROTOBUF_C_TYPE_UINT32)
				fprintf(e->out, "%" PRIu32,
				    ((const uint32_t *)items)[i]);
			else
				json_str(e->out, ((char *const *)items)[i]);
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
	if (e->jsonl) {
		fputs_unlocked("{\"ref\":", e->out);
		json_str(e->out, r->ref);
	} else
		csv_cell(e->out, r->ref, true);
	for (size_t i = 0; i < e->ncols; i++) {
		const ProtobufCFieldDescriptor *f = e->cols[i].f;
		const char *t = field_text_as(m, f, e->cols[i].form, &e->buf);

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

/* The kind's columns in the header's order (bulk_columns_print). */
static void
columns_find(struct exporter *e)
{
	const ProtobufCMessageDescriptor *d = e->k->d;

	e->cols = cli_xcalloc(d->n_fields, sizeof(*e->cols));
	for (unsigned i = 0; i < d->n_fields; i++)
		if (bulk_is_column(&d->fields[i])) {
			e->cols[e->ncols].f = &d->fields[i];
			e->cols[e->ncols++].form = field_form(&d->fields[i]);
		}
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
			char id[24];

			scratch_reset(&e->scratch);
			snprintf(id, sizeof(id), "%" PRIu64, r->id);
			fprintf(stderr, _("desk export: %s %s does not "
			    "decode\n"), e->k->name, id);
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
			    cli_error(cli));
			break;
		}
		if (resp->body_case != DESKD__RESPONSE__BODY_EXPORT) {
			fputs(_("desk export: the server's reply is not an "
			    "export\n"), stderr);
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
			    cli_error(cli));
			break;
		}
	}
	if (resp)
		deskd__response__free_unpacked(resp, NULL);
	return rc;
}

static const char usage_export[] = N_(
"usage: desk export --kind KIND [--since TIME|SEQ] [--format csv|jsonl]\n"
"                   [--unmasked]\n"
"Write every record of a kind to standard output in id order (the order of\n"
"the events that made them; users by name, the duty log and attendance by\n"
"day), as CSV with a header row or JSON Lines, with each record's ref:\n"
"`desk import` reads it back.  --since: changed at or after a time or event\n"
"seq.  Phone and ID numbers are masked (E6); --unmasked: in full, for\n"
"persons, complaints and repairs (admin, logged).\n"
"Kinds: ");

static int
export_args(int argc, char **argv, struct bulk_kind *k, const char **since,
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
			fputs(_(usage_export), stdout);
			bulk_kinds_list(stdout);
			return -1;
		} else
			goto usage;
	}
	if (argc != optind || kind == NULL)
		goto usage;
	if (bulk_kind_find(kind, k))
		return DESK_OK;
	fprintf(stderr, _("desk export: no kind '%s'\n"), kind);
usage:
	fputs(_(usage_export), stderr);
	bulk_kinds_list(stderr);
	return DESK_USAGE;
}

int
cli_export(struct cli *cli, int argc, char **argv)
{
	Deskd__ExportRequest q = DESKD__EXPORT_REQUEST__INIT;
	struct bulk_kind k;
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
	columns_find(&e);
	/* After the connect: times are read in the server's zone. */
	if (since && cli_parse_u64(since, &seq) == 0)
		q.since_seq = seq;
	else if (since && field_parse_time(since, &q.since_ms) != 0) {
		fprintf(stderr, _("desk export: --since '%s' is neither a time "
		    "(YYYY-MM-DD[ HH:MM]) %s nor an event seq\n"), since,
		    _(field_time_range));
		free(e.scratch.block);
		free(e.cols);
		return DESK_USAGE;
	}
	q.kind = (char *)k.wire;
	q.limit = EXPORT_RANGE;
	if (!e.jsonl)
		bulk_columns_print(e.out, k.d, false);
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
				    cli_error(cli));
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
	free(e.cols);
	free(e.scratch.block);
	free(e.scratch.big);
	return rc;
}
