/*
 * import.c - bulk import and export (issue 6: H3, H4; PROTOCOL.md 10.15).
 *
 * A kind is a record kind with its record message: complaints, work
 * orders, units, people and every register.  A row of an import is that
 * message, packed, with its external key (ref); each is checked as the
 * kind's own intake checks it (the kind's import function) and stored with
 * its ref in the batch's one transaction, so a batch is all or nothing
 * across a crash and a ref is stored exactly once.  An export reads a
 * kind's records by id, raw where nothing must be hidden; the duty log and
 * attendance, which have no id key, by position in key order; the users
 * and the fee schedule, keyed by name, in one page.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "area.h"
#include "ctx.h"
#include "refuse.h"
#include "reply.h"
#include "validate.h"
#include "wire.h"

#define IMPORT_ROWS_MAX		5000
#define IMPORT_RECORD_MAX	(64 * 1024)	/* packed bytes of one row */

/* The kinds, by record kind, for the list in a refusal. */
static int
by_rec(const void *a, const void *b)
{
	const struct kind *ka = *(const struct kind *const *)a;
	const struct kind *kb = *(const struct kind *const *)b;
	unsigned ra = ka->rec ? (unsigned)ka->rec : ~0u;
	unsigned rb = kb->rec ? (unsigned)kb->rec : ~0u;

	return ra < rb ? -1 : ra > rb;
}

static Deskd__Status
unknown_kind(struct apply_ctx *ctx, const char *name)
{
	const struct kind *all[128], *k;
	char list[512] = "";
	size_t n = 0;

	while (n < sizeof(all) / sizeof(all[0]) &&
	    (k = area_kind_nth(n)) != NULL)
		all[n++] = k;
	qsort(all, n, sizeof(all[0]), by_rec);
	for (size_t i = 0; i < n; i++)
		snprintf(list + strlen(list), sizeof(list) - strlen(list),
		    "%s ", all[i]->name);
	return ctx_fail(ctx, DESKD__STATUS__INVALID_ARGUMENT, "kind: no kind "
	    "'%s' to import or export (kinds: %s)", name, list);
}

static const struct kind *
kind_named(const char *name)
{
	return area_kind(name, strlen(name));
}

static enum perm_op
import_op(const Deskd__Request *req, enum perm_op fallback)
{
	const struct kind *k;

	switch (req->body_case) {
	case DESKD__REQUEST__BODY_IMPORT_BATCH:
		k = kind_named(req->import_batch->kind);
		return k != NULL ? k->write : fallback;
	case DESKD__REQUEST__BODY_EXPORT:
		if ((k = kind_named(req->export->kind)) == NULL)
			return fallback;
		/* E6: plain numbers leave only for the admin. */
		return req->export->unmasked && k->numbers ?
		    OP_ARCHIVE_EXPORT : k->export;
	default:
		return fallback;
	}
}

/* ---------- import: the rows decoded off the loop ---------- */

/*
 * A batch's rows are decoded and checked on the worker (core/worker.c) while
 * the loop commits the batch before it: that is a good part of a row's
 * cost, and the loop is what an import waits on.  What needs the store
 * (refs, units, the kind's own intake) is left to the apply.  The rows go
 * into one arena freed with the request: a thousand rows of a dozen
 * strings each are otherwise as many mallocs and frees.
 */
#define ARENA_CHUNK	(256 * 1024)
#define CHUNK_HEAD	((sizeof(struct chunk) + 15) & ~(size_t)15)

struct chunk {
	struct chunk	*next;
	size_t		 used, size;
};

struct decoded {
	ProtobufCAllocator	 allocator;
	struct chunk		*chunks;
	size_t			 total, cap;	/* as the request's budget */
	const Deskd__ImportBatch *batch;	/* the request's, read only */
	const struct kind	*k;
	ProtobufCMessage	**msg;		/* per row; NULL: refused */
	char			**why;		/* per row: "field: reason" */
};

static void *
arena_alloc(void *arg, size_t n)
{
	struct decoded *dd = arg;
	struct chunk *c = dd->chunks;

	n = (n + 15) & ~(size_t)15;
	/* A row that decodes to far more than it weighs (empty repeated
	 * fields) fails to decode, like a request over its budget. */
	if (dd->total + n > dd->cap)
		return NULL;
	if (c == NULL || c->used + n > c->size) {
		size_t size = n > ARENA_CHUNK ? n : ARENA_CHUNK;

		if ((c = malloc(CHUNK_HEAD + size)) == NULL)
			return NULL;
		c->next = dd->chunks;
		c->used = 0;
		c->size = size;
		dd->chunks = c;
	}
	dd->total += n;
	c->used += n;
	return (uint8_t *)c + CHUNK_HEAD + c->used - n;
}

static void
arena_free(void *arg, void *p)
{
	(void)arg;
	(void)p;	/* all at once, with the request */
}

static void
decoded_free(void *arg)
{
	struct decoded *dd = arg;
	struct chunk *c, *next;

	if (dd == NULL)
		return;
	for (c = dd->chunks; c != NULL; c = next) {
		next = c->next;
		free(c);
	}
	for (size_t i = 0; dd->why != NULL && i < dd->batch->n_rows; i++)
		free(dd->why[i]);
	free(dd->why);
	free(dd->msg);
	free(dd);
}

/* On the worker: the record of row i as the kind's message, or why not. */
static void
decode_row(struct decoded *dd, size_t i)
{
	const Deskd__ImportRow *row = dd->batch->rows[i];
	const struct kind *k = dd->k;
	ProtobufCMessage *m = NULL;
	char msg[256] = "";

	if (row->record.len > IMPORT_RECORD_MAX)
		snprintf(msg, sizeof(msg), "record: %zu bytes, over %d",
		    row->record.len, IMPORT_RECORD_MAX);
	else if ((m = protobuf_c_message_unpack(k->d, &dd->allocator,
	    row->record.len, row->record.data)) == NULL)
		snprintf(msg, sizeof(msg), "record: not a %s record (%s "
		    "message)", k->name, k->d->name);
	else if (m->n_unknown_fields > 0)
		snprintf(msg, sizeof(msg), "record: field %u is not a field "
		    "of a %s record", m->unknown_fields[0].tag, k->name);
	else if (validate_fields(m, msg, sizeof(msg)) == DESKD__STATUS__OK &&
	    validate_enums(m, msg, sizeof(msg)) == DESKD__STATUS__OK) {
		dd->msg[i] = m;
		return;
	}
	/* NULL (out of memory) is refused by the apply all the same. */
	dd->why[i] = strdup(*msg ? msg : "record: refused");
}

static void
decode_rows(struct worker_job *j)
{
	struct decoded *dd = j->data;

	for (size_t i = 0; i < dd->batch->n_rows; i++)
		decode_row(dd, i);
}

static int
import_prepare(struct store *st, const struct config *cfg,
    const char *actor, const Deskd__Request *req, struct worker_job *jobs)
{
	const Deskd__ImportBatch *b = req->import_batch;
	struct decoded *dd;
	const struct kind *k;

	(void)st;
	(void)cfg;
	(void)actor;
	/* A batch the apply refuses whole needs no decoding. */
	if ((k = kind_named(b->kind)) == NULL || k->import == NULL ||
	    b->n_rows > IMPORT_ROWS_MAX || b->n_rows == 0 ||
	    (dd = calloc(1, sizeof(*dd))) == NULL)
		return 0;
	dd->allocator = (ProtobufCAllocator){ arena_alloc, arena_free, dd };
	dd->batch = b;
	dd->k = k;
	/* A row's bytes may grow 8 times, as a request's may, and each row
	 * is one message struct whatever its size: a 10-byte register row
	 * decodes to a few hundred bytes, and capped by its bytes alone the
	 * last rows of a batch of such were refused as not decoding. */
	for (size_t i = 0; i < b->n_rows; i++)
		dd->cap += b->rows[i]->record.len;
	dd->cap = wire_budget_for(dd->cap) + b->n_rows *
	    ((k->d->sizeof_message + 15) & ~(size_t)15);
	if ((dd->msg = calloc(b->n_rows, sizeof(*dd->msg))) == NULL ||
	    (dd->why = calloc(b->n_rows, sizeof(*dd->why))) == NULL) {
		decoded_free(dd);
		return 0;
	}
	memset(&jobs[0], 0, sizeof(jobs[0]));
	jobs[0].run = decode_rows;
	jobs[0].data = dd;
	jobs[0].data_free = decoded_free;
	return 1;
}

/* ---------- import: the rows applied ---------- */

/* "phone: 5 to 15 digits" -> field "phone", the rest the reason; the
 * whole message's code and values when it was a refusal (refuse_fmt). */
static void
reject(struct apply_ctx *ctx, Deskd__ImportResult *r, const char *field,
    const char *msg)
{
	size_t n = strspn(msg, "abcdefghijklmnopqrstuvwxyz_0123456789");
	struct refusal why;

	r->outcome = DESKD__IMPORT_OUTCOME__IMPORT_REJECTED;
	if (refuse_noted(msg, &why) && why.code != NULL) {
		r->code = ctx_strdup(ctx, why.code);
		r->args = ctx_calloc(ctx, (size_t)why.nargs + 1,
		    sizeof(*r->args));
		for (int i = 0; i < why.nargs; i++)
			r->args[r->n_args++] = ctx_strdup(ctx, why.args[i]);
	}
	if (field == NULL && n > 0 && strncmp(msg + n, ": ", 2) == 0) {
		r->field = ctx_calloc(ctx, n + 1, 1);
		memcpy(r->field, msg, n);
		msg += n + 2;
	} else
		r->field = (char *)(field ? field : "");
	r->reason = ctx_calloc(ctx, strlen(msg) + 1, 1);
	memcpy(r->reason, msg, strlen(msg));
}

/* A ref NODE:KIND:ID of this store names a record it has. */
static uint64_t
local_ref(struct apply_ctx *ctx, const struct kind *k, const char *ref)
{
	char node[STORE_NODE_LEN + 1], want[96];
	uint8_t key[9];
	size_t off = k->prefix >= 0 ? 1 : 0;
	uint64_t id;
	MDB_val v;
	int used = 0;

	/* Most refs are the file's own keys: no node to look up for them. */
	if (strchr(ref, ':') == NULL)
		return 0;
	snprintf(want, sizeof(want), "%s:%s:", store_node(ctx->txn, node),
	    k->name);
	if (strncmp(ref, want, strlen(want)) != 0 ||
	    sscanf(ref + strlen(want), "%" SCNu64 "%n", &id, &used) != 1 ||
	    ref[strlen(want) + (size_t)used] != '\0')
		return 0;
	key[0] = (uint8_t)k->prefix;
	store_key_u64(key + off, id);
	return store_get(ctx->txn, store_dbi(ctx->txn, k->db), key, off + 8,
	    &v) == STORE_OK ? id : 0;
}

/* Stored (would be) earlier in a dry-run batch, where nothing is stored
 * to find it by; a rejected earlier row does not count. */
static bool
ref_earlier(const Deskd__ImportBatch *b, Deskd__ImportResult *const *done,
    size_t i)
{
	for (size_t j = 0; j < i; j++)
		if (done[j]->outcome == DESKD__IMPORT_OUTCOME__IMPORT_STORED &&
		    strcmp(b->rows[j]->ref, b->rows[i]->ref) == 0)
			return true;
	return false;
}

static const ProtobufCFieldDescriptor *
field_of(const ProtobufCMessage *m, const char *name)
{
	return protobuf_c_message_descriptor_get_field_by_name(m->descriptor,
	    name);
}

/* A file's own clock may run this far ahead of deskd's. */
#define IMPORT_CLOCK_SKEW_MS	(10 * 60 * 1000LL)

/*
 * C9: a row says who recorded it and when only as its file reports it.
 * No row is dated after now (past a clock's skew), whoever imports it.
 * Records dated before the import are history, the admin's to import;
 * a kind that keeps the file's author apart (reported_by) takes anyone's
 * file, the others only the importer's own records or the admin's
 * import.  True, with "field: reason" in ctx->msg, when refused.
 */
static bool
history_refused(struct apply_ctx *ctx, const struct kind *k,
    const ProtobufCMessage *m)
{
	static const char *const dates[] = { "created_ms", "reported_ms" };
	const ProtobufCFieldDescriptor *f;
	const char *by;

	for (size_t i = 0; i < sizeof(dates) / sizeof(dates[0]); i++) {
		int64_t ms;

		if ((f = field_of(m, dates[i])) == NULL ||
		    f->type != PROTOBUF_C_TYPE_INT64)
			continue;
		ms = *(const int64_t *)((const char *)m + f->offset);
		/* C8: the monthly figures count a record on its reported
		 * day; one dated ahead would hide in a month to come. */
		if (ms > ctx->now_ms + IMPORT_CLOCK_SKEW_MS) {
			ctx_fail(ctx, DESKD__STATUS__INVALID_ARGUMENT, "%s: "
			    "dated after now; a file reports what has "
			    "happened", dates[i]);
			return true;
		}
		if (ms != 0 && ms < ctx->now_ms && ctx->role != ROLE_ADMIN) {
			ctx_fail(ctx, DESKD__STATUS__PERMISSION_DENIED, "%s: "
			    "dated before now; importing history dated in the "
			    "past is for the admin only", dates[i]);
			return true;
		}
	}
	if (ctx->role == ROLE_ADMIN || field_of(m, "reported_by") != NULL ||
	    (f = field_of(m, "created_by")) == NULL ||
	    f->type != PROTOBUF_C_TYPE_STRING)
		return false;
	by = *(char *const *)((const char *)m + f->offset);
	if (by == NULL || *by == '\0' || strcmp(by, ctx->actor) == 0)
		return false;
	ctx_fail(ctx, DESKD__STATUS__PERMISSION_DENIED, "created_by: a %s "
	    "imports %s records as their own recorder, not as %s; records by "
	    "others are the admin's to import", role_name(ctx->role), k->name,
	    by);
	return true;
}

static void
import_row(struct apply_ctx *ctx, const struct decoded *dd, size_t i,
    Deskd__ImportResult *const *done, Deskd__ImportResult *r)
{
	const Deskd__ImportBatch *b = dd->batch;
	const Deskd__ImportRow *row = b->rows[i];
	const struct kind *k = dd->k;
	ProtobufCMessage *m = dd->msg[i];
	struct import_src src = { *b->file ? b->file : "(unnamed)", row->ref };
	Deskd__Status st;
	uint64_t id = 0;

	r->line = row->line;
	if (*row->ref == '\0' && !b->allow_no_ref && !k->named) {
		refuse_text(ctx->msg, sizeof(ctx->msg), "ref: required: the "
		    "row's external key, so a re-run stores it once (or "
		    "--allow-no-ref)");
		reject(ctx, r, NULL, ctx->msg);
		return;
	}
	/* H3: exactly once, by ref. */
	if (*row->ref != '\0' && !k->named &&
	    ((id = ref_lookup(ctx->txn, k->rec, row->ref)) != 0 ||
	    (id = local_ref(ctx, k, row->ref)) != 0 ||
	    (b->dry_run && ref_earlier(b, done, i)))) {
		r->outcome = DESKD__IMPORT_OUTCOME__IMPORT_DUPLICATE;
		r->id = id;
		return;
	}
	if (m == NULL) {
		reject(ctx, r, NULL, dd->why[i] ? dd->why[i] : "out of memory");
		return;
	}
	ctx->msg[0] = '\0';
	if (history_refused(ctx, k, m)) {
		reject(ctx, r, NULL, ctx->msg);
		return;
	}
	ctx->import = &src;
	st = k->import(ctx, k, m, b->dry_run, &id);
	ctx->import = NULL;
	if (st != DESKD__STATUS__OK) {
		reject(ctx, r, NULL, *ctx->msg ? ctx->msg : "refused");
		return;
	}
	/* A named record already so is a duplicate (fee_import: id 0). */
	if (k->named && id == 0) {
		r->outcome = DESKD__IMPORT_OUTCOME__IMPORT_DUPLICATE;
		return;
	}
	if (!b->dry_run && *row->ref != '\0' && !k->named)
		ref_put(ctx->txn, k->rec, row->ref, id);
	r->outcome = DESKD__IMPORT_OUTCOME__IMPORT_STORED;
	r->id = k->named ? 0 : id;
}

static Deskd__Status
import_batch_apply(struct apply_ctx *ctx, const Deskd__Request *req)
{
	const Deskd__ImportBatch *b = req->import_batch;
	const struct decoded *dd;
	Deskd__ImportResult *results;
	Deskd__ImportAck *ack;
	Deskd__ImportProgress *pr;
	const struct kind *k;
	char line[192];

	if ((k = kind_named(b->kind)) == NULL)
		return unknown_kind(ctx, b->kind);
	if (k->import == NULL)
		return ctx_fail(ctx, DESKD__STATUS__INVALID_ARGUMENT, "kind: "
		    "%s records are kept by deskd itself; they are exported, "
		    "not imported", k->name);
	if (b->n_rows > IMPORT_ROWS_MAX)
		return ctx_fail(ctx, DESKD__STATUS__INVALID_ARGUMENT, "rows: %zu "
		    "in one batch, at most %d", b->n_rows, IMPORT_ROWS_MAX);
	ack = ctx_new(ctx, &deskd__import_ack__descriptor);
	if (b->n_rows == 0)
		return reply_with(ctx, DESKD__RESPONSE__BODY_IMPORT_ACK, ack);
	/* import_prepare's rows; none only when it ran out of memory. */
	if (ctx->njobs == 0 || (dd = ctx->jobs[0].data) == NULL)
		return ctx_fail(ctx, DESKD__STATUS__INTERNAL, "out of memory "
		    "decoding the batch; nothing was stored");
	ack->results = ctx_calloc(ctx, b->n_rows, sizeof(*ack->results));
	results = ctx_calloc(ctx, b->n_rows, sizeof(*results));
	for (size_t i = 0; i < b->n_rows; i++) {
		Deskd__ImportResult *r = &results[i];

		deskd__import_result__init(r);
		import_row(ctx, dd, i, ack->results, r);
		ack->results[ack->n_results++] = r;
		switch (r->outcome) {
		case DESKD__IMPORT_OUTCOME__IMPORT_STORED:
			ack->stored++;
			break;
		case DESKD__IMPORT_OUTCOME__IMPORT_DUPLICATE:
			ack->duplicates++;
			break;
		default:
			ack->rejected++;
			break;
		}
	}
	ctx->msg[0] = '\0';
	if (!b->dry_run && ack->stored > 0) {
		/* What a watching desk sees of the import: one line a batch,
		 * not a line a record (section 11.2). */
		pr = ctx_new(ctx, &deskd__import_progress__descriptor);
		pr->kind = (char *)k->name;
		pr->stored = ack->stored;
		pr->duplicates = ack->duplicates;
		pr->rejected = ack->rejected;
		pr->first_line = b->rows[0]->line;
		pr->last_line = b->rows[b->n_rows - 1]->line;
		/* The kind is a word of the desk's catalog. */
		ctx_summary(ctx, line, sizeof(line), "%s imported %u %-s "
		    "(lines %u-%u), %u duplicates, %u rejected", ctx->actor,
		    pr->stored, k->name, pr->first_line, pr->last_line,
		    pr->duplicates, pr->rejected);
		ctx_event_msg(ctx, "import.progress", 0, 0, "import", line,
		    NULL, &pr->base);
	}
	return reply_with(ctx, DESKD__RESPONSE__BODY_IMPORT_ACK, ack);
}

/* ---------- export ---------- */

struct page {
	struct apply_ctx	*ctx;
	const struct kind	*k;
	const Deskd__ExportRequest *q;
	int64_t			 since_ms;
	Deskd__ExportReply	*reply;
	size_t			 limit, used;
	char			 node[STORE_NODE_LEN + 1];
	Deskd__Status		 failed;	/* a record that cannot leave */
};

/* The next of a space-separated list of field names, as its descriptor;
 * NULL at the end (a name the message lacks is passed over). */
static const ProtobufCFieldDescriptor *
next_field(const ProtobufCMessageDescriptor *d, const char **names)
{
	const ProtobufCFieldDescriptor *f = NULL;

	while (f == NULL && **names != '\0') {
		size_t n = strcspn(*names, " ");
		char name[32];

		snprintf(name, sizeof(name), "%.*s", (int)n, *names);
		*names += n + ((*names)[n] == ' ');
		f = protobuf_c_message_descriptor_get_field_by_name(d, name);
	}
	return f;
}

/* When a record last changed, for --since: the latest of its kind's times
 * of change (a kind without updated_ms: an alert's raise, take, clear). */
static int64_t
changed_ms(const struct kind *k, const ProtobufCMessage *m)
{
	const char *names = k->changed ? k->changed : "updated_ms";
	const ProtobufCFieldDescriptor *f;
	int64_t last = 0;

	while ((f = next_field(k->d, &names)) != NULL)
		if (*(const int64_t *)((const char *)m + f->offset) > last)
			last = *(const int64_t *)((const char *)m + f->offset);
	return last;
}

/* The record as it leaves: raw, or decoded to hide what must be; decoded
 * too to filter by time or to name it by its fields (*msg, else NULL);
 * false when it is not wanted (since) or cannot be read (p->failed). */
static bool
export_bytes(struct page *p, const MDB_val *v, ProtobufCBinaryData *out,
    const ProtobufCMessage **msg)
{
	struct apply_ctx *ctx = p->ctx;
	bool hides = p->k->shown != NULL || p->k->visible != NULL;
	ProtobufCMessage *m;
	Deskd__Status st;

	*msg = NULL;
	/* Masked in its stored bytes, as every reply masks it: a bulk
	 * export decodes nothing.  The kinds with shown_packed export only
	 * to readers their visible rule hides nothing from (complaints:
	 * those who record them; orders: never an engineer), so no record
	 * is left out here. */
	if (p->k->shown_packed != NULL && !p->q->unmasked &&
	    p->since_ms == 0 && p->k->ord == NULL) {
		out->data = ctx_calloc(ctx, v->mv_size + 1, 1);
		memcpy(out->data, v->mv_data, v->mv_size);
		out->len = v->mv_size;
		if (p->k->shown_packed(p->k, out->data, out->len))
			return true;
	}
	if (hides || p->since_ms != 0 || p->k->ord != NULL) {
		if ((m = protobuf_c_message_unpack(p->k->d, NULL, v->mv_size,
		    v->mv_data)) == NULL) {
			p->failed = ctx_fail(ctx, DESKD__STATUS__INTERNAL, "a "
			    "stored %s record does not decode", p->k->name);
			return false;
		}
		ctx_own_msg(ctx, m);
		if (p->since_ms != 0 && changed_ms(p->k, m) < p->since_ms)
			return false;
		if (!kind_visible(ctx, p->k, m))
			return false;
		/* What this reader is shown of it; a record that cannot be
		 * shown (a number that does not unseal) fails the export,
		 * never a silent gap in it. */
		if (p->k->shown != NULL && (st = p->k->shown(ctx, p->k, &m,
		    p->q->unmasked)) != DESKD__STATUS__OK) {
			if (st != DESKD__STATUS__NOT_FOUND)
				p->failed = st;
			return false;
		}
		*msg = m;
		if (hides) {
			out->len = protobuf_c_message_get_packed_size(m);
			out->data = ctx_calloc(ctx, out->len + 1, 1);
			protobuf_c_message_pack(m, out->data);
			return true;
		}
	}
	/* Nothing to hide: the stored bytes are the record. */
	out->data = ctx_calloc(ctx, v->mv_size + 1, 1);
	memcpy(out->data, v->mv_data, v->mv_size);
	out->len = v->mv_size;
	return true;
}

/* NODE:KIND:F1:F2... for a kind paged by position (struct ordinal): its
 * record's own fields, numbers and strings. */
static void
natural_ref(const struct page *p, const ProtobufCMessage *m, char *ref,
    size_t len)
{
	const char *names = p->k->ord->ref;
	const ProtobufCFieldDescriptor *f;
	size_t at;

	snprintf(ref, len, "%s:%s", p->node, p->k->name);
	while ((at = strlen(ref)) < len &&
	    (f = next_field(p->k->d, &names)) != NULL) {
		const char *v = (const char *)m + f->offset;

		if (f->type == PROTOBUF_C_TYPE_UINT32)
			snprintf(ref + at, len - at, ":%" PRIu32,
			    *(const uint32_t *)v);
		else if (f->type == PROTOBUF_C_TYPE_UINT64)
			snprintf(ref + at, len - at, ":%" PRIu64,
			    *(const uint64_t *)v);
		else if (f->type == PROTOBUF_C_TYPE_STRING)
			snprintf(ref + at, len - at, ":%s",
			    *(char *const *)v);
	}
}

static bool
export_one(uint64_t id, const MDB_val *v, void *arg)
{
	struct page *p = arg;
	Deskd__ExportReply *r = p->reply;
	Deskd__ExportRecord *e;
	const ProtobufCMessage *m;
	char ref[STORE_REF_MAX + 1];

	if (r->n_records == p->limit) {
		r->next_id = id;
		return false;
	}
	e = ctx_new(p->ctx, &deskd__export_record__descriptor);
	if (!export_bytes(p, v, &e->record, &m))
		return p->failed == DESKD__STATUS__OK;
	if (!reply_room(p->ctx, &p->used, r->n_records, e->record.len +
	    STORE_REF_MAX + 16)) {
		r->next_id = id;
		return false;
	}
	e->id = id;
	if (p->k->ord != NULL)
		natural_ref(p, m, ref, sizeof(ref));
	else if (ref_of(p->ctx->txn, p->k->rec, id, ref, sizeof(ref)) == 0)
		snprintf(ref, sizeof(ref), "%s:%s:%" PRIu64, p->node,
		    p->k->name, id);
	e->ref = ctx_calloc(p->ctx, strlen(ref) + 1, 1);
	memcpy(e->ref, ref, strlen(ref));
	r->records[r->n_records++] = e;
	return true;
}

/* A kind keyed by name (the fee schedule, the users: short, a printed
 * table): every record in one page, numbered 1..n for the client's
 * ranges, each its name for a ref. */
static Deskd__Status
export_named(struct apply_ctx *ctx, struct page *p)
{
	ProtobufCMessage **all;
	size_t n;

	if (store_all(ctx->txn, p->k->db, p->k->d, (void ***)&all, &n) !=
	    STORE_OK)
		return ctx_fail(ctx, DESKD__STATUS__INTERNAL, "cannot read the "
		    "%s records", p->k->name);
	ctx_own_page(ctx, (void **)all, n);
	p->reply->last_id = n;
	for (size_t i = 0; i < n; i++) {
		Deskd__ExportRecord *e;
		const ProtobufCFieldDescriptor *f = p->k->d->fields;
		ProtobufCMessage *m = all[i];

		if ((p->q->from_id > i + 1) || (p->q->to_id != 0 &&
		    i + 1 >= p->q->to_id) ||
		    (p->since_ms != 0 && changed_ms(p->k, m) < p->since_ms))
			continue;
		/* A page smaller than the kind goes on from here, as by id. */
		if (p->reply->n_records == p->limit) {
			if (p->reply->next_id == 0)
				p->reply->next_id = i + 1;
			continue;
		}
		if (p->k->shown != NULL && p->k->shown(ctx, p->k, &m,
		    p->q->unmasked) != DESKD__STATUS__OK)
			continue;
		e = ctx_new(ctx, &deskd__export_record__descriptor);
		e->id = i + 1;
		/* The name is the message's first field (Fee.item, User.name). */
		e->ref = *(char **)((char *)m + f->offset);
		e->record.len = protobuf_c_message_get_packed_size(m);
		e->record.data = ctx_calloc(ctx, e->record.len + 1, 1);
		protobuf_c_message_pack(m, e->record.data);
		p->reply->records[p->reply->n_records++] = e;
	}
	return reply_with(ctx, DESKD__RESPONSE__BODY_EXPORT, p->reply);
}

static Deskd__Status
export_apply(struct apply_ctx *ctx, const Deskd__Request *req)
{
	const Deskd__ExportRequest *q = req->export;
	struct page p = { .ctx = ctx, .q = q };
	const struct kind *k;
	Deskd__Status st;

	if ((k = kind_named(q->kind)) == NULL)
		return unknown_kind(ctx, q->kind);
	if (q->unmasked && !k->numbers)
		return ctx_fail(ctx, DESKD__STATUS__INVALID_ARGUMENT, "unmasked: "
		    "only people, complaints and repairs have numbers to "
		    "unmask (E6)");
	if (k->may_export != NULL &&
	    (st = k->may_export(ctx)) != DESKD__STATUS__OK)
		return st;
	p.k = k;
	p.since_ms = q->since_ms;
	if (q->since_seq != 0) {
		Deskd__Event *at = event_get(ctx->txn, q->since_seq);

		if (at == NULL)
			return ctx_fail(ctx, DESKD__STATUS__NOT_FOUND,
			    "since_seq: no event %" PRIu64, q->since_seq);
		p.since_ms = at->time_ms;
		deskd__event__free_unpacked(at, NULL);
	}
	p.limit = reply_limit(q->limit, EXPORT_MAX, EXPORT_MAX);
	p.reply = ctx_new(ctx, &deskd__export_reply__descriptor);
	p.reply->records = ctx_calloc(ctx, p.limit,
	    sizeof(*p.reply->records));
	if (k->named)
		return export_named(ctx, &p);
	store_node(ctx->txn, p.node);
	if (k->ord != NULL) {
		if (store_scan_nth(ctx->txn, k->db, k->ord->end, k->ord->end ?
		    strlen(k->ord->end) : 0, q->from_id ? q->from_id : 1,
		    q->to_id, export_one, &p, &p.reply->last_id) != STORE_OK)
			return ctx_fail(ctx, DESKD__STATUS__INTERNAL, "cannot "
			    "read the %s records", k->name);
		return p.failed != DESKD__STATUS__OK ? p.failed :
		    reply_with(ctx, DESKD__RESPONSE__BODY_EXPORT, p.reply);
	}
	p.reply->last_id = store_last_id(ctx->txn, k->rec);
	if (store_scan_ids(ctx->txn, k->db, k->prefix, q->from_id ? q->from_id :
	    1, q->to_id, export_one, &p) != STORE_OK)
		return ctx_fail(ctx, DESKD__STATUS__INTERNAL, "cannot read the "
		    "%s records", k->name);
	if (p.failed != DESKD__STATUS__OK)
		return p.failed;
	/* E6: who took which numbers is on record. */
	if (q->unmasked && p.reply->n_records > 0)
		kind_exported_unmasked(ctx, k->name, p.reply->records[0]->id - 1,
		    p.reply->records[p.reply->n_records - 1]->id,
		    (uint32_t)p.reply->n_records);
	return reply_with(ctx, DESKD__RESPONSE__BODY_EXPORT, p.reply);
}

static const struct request_row import_requests[] = {
	/* The kind's own permission (import_op).  One group commit takes
	 * one batch of each importer, so a desk's request never waits
	 * behind a queue of them (H3). */
	{ REQUEST(IMPORT_BATCH, "import"), .op = OP_SELF, .op_of = import_op,
	    .prepare = import_prepare, .apply = import_batch_apply,
	    .one_per_commit = true },
	{ REQUEST(EXPORT, "export"), .op = OP_SELF, .op_of = import_op,
	    .apply = export_apply },
};

/* A bulk import's KIND.imported, one event a row. */
static bool
imported_event(const char *type, size_t len)
{
	static const char suffix[] = ".imported";
	size_t sl = sizeof(suffix) - 1;

	return len > sl && memcmp(type + len - sl, suffix, sl) == 0 &&
	    area_kind(type, len - sl) != NULL;
}

/* H3: the rows' events go only to a subscriber that asks for them by name
 * ("complaint.imp"); the others see the batch's import.progress. */
static const struct event_rule import_events[] = {
	{ .covers = imported_event, .op = OP_WATCH, .asked = ".imp" },
};

const struct area import_area = {
	.name = "import",
	.requests = import_requests,
	.nrequests = nitems(import_requests),
	.events = import_events,
	.nevents = nitems(import_events),
};
