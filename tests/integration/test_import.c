/*
 * test_import.c - bulk import and export on the wire (issue 6: H3, H4;
 * PROTOCOL.md 10.15) against a real deskd over TLS: refs make a re-run
 * store each row once; a bad row is refused with its field and reason and
 * the rest go on; a dry run stores nothing; a role without the kind's
 * permission is refused; an export pages by id with refs and imports
 * back; and kill -9 at random points of an import, ten times, never
 * leaves a batch half-stored or a row stored twice.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "harness.h"

#define PW	"import-pass-123"
#define ST(x)	DESKD__STATUS__##x
#define OUT(x)	DESKD__IMPORT_OUTCOME__IMPORT_##x

static struct server_proc srv;

/* A batch under construction: rows with their packed records. */
struct batch {
	Deskd__ImportBatch	 b;
	Deskd__ImportRow	 rows[1000], *ptrs[1000];
	uint8_t			*bufs[1000];
	char			 refs[1000][32];
};

static void
batch_init(struct batch *bt, const char *kind)
{
	memset(bt, 0, sizeof(*bt));
	deskd__import_batch__init(&bt->b);
	bt->b.kind = (char *)kind;
	bt->b.rows = bt->ptrs;
}

static void
batch_add(struct batch *bt, unsigned line, const char *ref,
    const ProtobufCMessage *m)
{
	size_t i = bt->b.n_rows++;
	Deskd__ImportRow *r = &bt->rows[i];

	deskd__import_row__init(r);
	r->line = line;
	snprintf(bt->refs[i], sizeof(bt->refs[i]), "%s", ref ? ref : "");
	r->ref = bt->refs[i];
	bt->bufs[i] = malloc(protobuf_c_message_get_packed_size(m) + 1);
	assert_non_null(bt->bufs[i]);
	r->record.len = protobuf_c_message_pack(m, bt->bufs[i]);
	r->record.data = bt->bufs[i];
	bt->ptrs[i] = r;
}

static void
batch_free(struct batch *bt)
{
	for (size_t i = 0; i < bt->b.n_rows; i++)
		free(bt->bufs[i]);
}

static void
complaint_row(struct batch *bt, unsigned line, const char *ref,
    const char *unit, const char *phone)
{
	Deskd__Complaint c = DESKD__COMPLAINT__INIT;

	c.unit = (char *)unit;
	c.complainant = "王女士";
	c.phone = (char *)phone;
	c.category = "noise";
	c.text = "楼上装修噪音";
	/* Issue 11: the file's author is only reported; the clerk who
	 * imports it is the recorder (test_import_provenance). */
	c.created_by = "old-desk";
	batch_add(bt, line, ref, &c.base);
}

/* Send a batch; the ack (caller frees), or NULL when refused as a whole
 * (status in *st). */
static Deskd__Response *
send_batch(struct desk *d, struct batch *bt, Deskd__Status *st)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__Response *r = NULL;

	req.body_case = DESKD__REQUEST__BODY_IMPORT_BATCH;
	req.import_batch = &bt->b;
	if (desk_call(d, &req, &r) != DESK_OK && r == NULL)
		return NULL;
	*st = r->status;
	return r;
}

static int
by_text(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every record of a kind by export: how many, and are the refs unique. */
static size_t
export_count(struct desk *d, const char *kind, bool *unique)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__ExportRequest q = DESKD__EXPORT_REQUEST__INIT;
	size_t n = 0, cap = 0;
	char **refs = NULL;
	uint64_t from = 1;

	q.kind = (char *)kind;
	req.body_case = DESKD__REQUEST__BODY_EXPORT;
	req.export = &q;
	*unique = true;
	for (;;) {
		Deskd__Response *r;

		q.from_id = from;
		r = h_expect(d, &req, ST(OK));
		for (size_t i = 0; i < r->export->n_records; i++) {
			if (n == cap) {
				cap = cap ? cap * 2 : 1024;
				refs = realloc(refs, cap * sizeof(*refs));
				assert_non_null(refs);
			}
			refs[n++] = strdup(r->export->records[i]->ref);
		}
		from = r->export->next_id;
		deskd__response__free_unpacked(r, NULL);
		if (from == 0)
			break;
	}
	if (n > 0)
		qsort(refs, n, sizeof(*refs), by_text);
	for (size_t i = 0; i < n; i++) {
		if (i > 0 && strcmp(refs[i - 1], refs[i]) == 0)
			*unique = false;
		free(i > 0 ? refs[i - 1] : NULL);
	}
	if (n > 0)
		free(refs[n - 1]);
	free(refs);
	return n;
}

/* Rows far smaller than what they decode to (a key count with only its
 * note: 3 bytes, a struct of some 170): a whole batch of them decodes.
 * Capped by their bytes alone, the second half of it was refused as "not
 * a key-count record". */
static void
test_tiny_rows(void **state)
{
	struct desk *clerk = h_login(&srv, "clerk1", PW);
	struct batch *bt = malloc(sizeof(*bt));
	Deskd__KeyCount kc = DESKD__KEY_COUNT__INIT;
	Deskd__Response *r;
	Deskd__Status st;
	char ref[32];

	(void)state;
	assert_non_null(bt);
	batch_init(bt, "key-count");
	kc.note = "x";
	for (unsigned i = 0; i < 1000; i++) {
		snprintf(ref, sizeof(ref), "tiny-%u", i);
		batch_add(bt, i + 2, ref, &kc.base);
	}
	assert_true(bt->rows[0].record.len <= 3);
	assert_non_null(r = send_batch(clerk, bt, &st));
	assert_int_equal(st, ST(OK));
	assert_int_equal(r->import_ack->rejected, 0);
	assert_int_equal(r->import_ack->stored, 1000);
	deskd__response__free_unpacked(r, NULL);
	batch_free(bt);
	free(bt);
	desk_close(clerk);
}

static void
test_refs_rejects_dry_run(void **state)
{
	struct desk *clerk = h_login(&srv, "clerk1", PW);
	struct desk *eng = h_login(&srv, "eng1", PW);
	struct batch *bt = malloc(sizeof(*bt));
	Deskd__ImportAck *a;
	Deskd__Response *r;
	Deskd__Status st;
	char big[5000];
	bool unique;

	(void)state;
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	batch_init(bt, "complaint");
	complaint_row(bt, 2, "c-1", "3-2-1201", "13800000000");
	complaint_row(bt, 3, "c-2", "3-2-1201", "not a phone");
	complaint_row(bt, 4, "", "3-2-1201", "13800000001");
	complaint_row(bt, 5, "c-1", "3-2-1201", "13800000002");	/* again */
	complaint_row(bt, 6, "c-3", big, "13800000003");
	complaint_row(bt, 7, "c-4", "3-2-1202", "13800000004");

	/* A dry run checks every row and stores none. */
	bt->b.dry_run = true;
	r = send_batch(clerk, bt, &st);
	assert_int_equal(st, ST(OK));
	a = r->import_ack;
	assert_int_equal(a->n_results, 6);
	assert_int_equal(a->stored, 2);
	assert_int_equal(a->duplicates, 1);
	assert_int_equal(a->rejected, 3);
	deskd__response__free_unpacked(r, NULL);
	assert_int_equal(export_count(clerk, "complaint", &unique), 0);

	bt->b.dry_run = false;
	r = send_batch(clerk, bt, &st);
	assert_int_equal(st, ST(OK));
	a = r->import_ack;
	assert_int_equal(a->results[0]->outcome, OUT(STORED));
	assert_int_equal(a->results[0]->line, 2);
	assert_true(a->results[0]->id > 0);
	assert_int_equal(a->results[1]->outcome, OUT(REJECTED));
	assert_string_equal(a->results[1]->field, "phone");
	assert_int_equal(a->results[1]->line, 3);
	assert_int_equal(a->results[2]->outcome, OUT(REJECTED));
	assert_string_equal(a->results[2]->field, "ref");
	assert_int_equal(a->results[3]->outcome, OUT(DUPLICATE));
	assert_int_equal(a->results[3]->id, a->results[0]->id);
	assert_int_equal(a->results[4]->outcome, OUT(REJECTED));
	assert_string_equal(a->results[4]->field, "unit");
	assert_int_equal(a->results[5]->outcome, OUT(STORED));
	deskd__response__free_unpacked(r, NULL);
	/* C9: recorded by the clerk who imported it; the file's author is
	 * what it reported. */
	{
		Deskd__Complaint *c = h_get(clerk, 1);

		assert_non_null(c);
		assert_string_equal(c->created_by, "clerk1");
		assert_string_equal(c->reported_by, "old-desk");
		/* Masked in every reply (issue 11, E6). */
		assert_string_equal(c->phone, "138****0000");
		deskd__complaint__free_unpacked(c, NULL);
	}

	/* Re-run (after a crash, a Ctrl-C): nothing stored twice; a row
	 * without a ref goes in only when asked for. */
	bt->b.allow_no_ref = true;
	r = send_batch(clerk, bt, &st);
	a = r->import_ack;
	assert_int_equal(a->stored, 1);		/* the one without a ref */
	assert_int_equal(a->duplicates, 3);
	assert_int_equal(a->rejected, 2);
	deskd__response__free_unpacked(r, NULL);
	assert_int_equal(export_count(clerk, "complaint", &unique), 3);
	assert_true(unique);

	/* A role without the kind's permission; a kind that is not one. */
	r = send_batch(eng, bt, &st);
	assert_int_equal(st, ST(PERMISSION_DENIED));
	deskd__response__free_unpacked(r, NULL);
	bt->b.kind = "spaceship";
	r = send_batch(clerk, bt, &st);
	assert_int_equal(st, ST(INVALID_ARGUMENT));
	assert_non_null(strstr(r->message, "kinds: complaint"));
	deskd__response__free_unpacked(r, NULL);
	/* What deskd makes itself is exported, not imported. */
	bt->b.kind = "alert";
	r = send_batch(clerk, bt, &st);
	assert_int_equal(st, ST(INVALID_ARGUMENT));
	assert_non_null(strstr(r->message, "exported, not imported"));
	deskd__response__free_unpacked(r, NULL);
	{
		Deskd__Request req = DESKD__REQUEST__INIT;
		Deskd__ExportRequest q = DESKD__EXPORT_REQUEST__INIT;

		req.body_case = DESKD__REQUEST__BODY_EXPORT;
		req.export = &q;
		q.kind = "handover";
		h_expect_free(clerk, &req, ST(OK));
		/* The audit of reveals is the supervisor's (E6). */
		q.kind = "reveal";
		h_expect_free(clerk, &req,
		    ST(PERMISSION_DENIED));
	}
	batch_free(bt);
	free(bt);
	desk_close(clerk);
	desk_close(eng);
	assert_true(srv_alive(&srv));
}

static void
test_export_round_trip(void **state)
{
	struct desk *clerk = h_login(&srv, "clerk1", PW);
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__ExportRequest q = DESKD__EXPORT_REQUEST__INIT;
	struct batch *bt = malloc(sizeof(*bt));
	Deskd__Response *r, *back;
	Deskd__Status st;

	(void)state;
	/* The export of a record without a ref names it NODE:KIND:ID, so
	 * importing the export into the same deskd stores nothing twice. */
	q.kind = "complaint";
	req.body_case = DESKD__REQUEST__BODY_EXPORT;
	req.export = &q;
	r = h_expect(clerk, &req, ST(OK));
	assert_int_equal(r->export->n_records, 3);
	assert_string_equal(r->export->records[0]->ref, "c-1");
	assert_true(r->export->last_id >= 3);
	assert_non_null(strstr(r->export->records[2]->ref, ":complaint:"));
	batch_init(bt, "complaint");
	for (size_t i = 0; i < r->export->n_records; i++) {
		Deskd__ImportRow *row = &bt->rows[i];

		deskd__import_row__init(row);
		row->line = (uint32_t)i + 2;
		row->ref = r->export->records[i]->ref;
		row->record = r->export->records[i]->record;
		bt->ptrs[bt->b.n_rows++] = row;
	}
	back = send_batch(clerk, bt, &st);
	assert_int_equal(back->import_ack->duplicates, 3);
	assert_int_equal(back->import_ack->stored, 0);
	deskd__response__free_unpacked(back, NULL);
	/* Paging: one at a time, next_id says where to go on. */
	q.limit = 1;
	q.from_id = 2;
	deskd__response__free_unpacked(r, NULL);
	r = h_expect(clerk, &req, ST(OK));
	assert_int_equal(r->export->n_records, 1);
	assert_int_equal(r->export->records[0]->id, 2);
	assert_int_equal(r->export->next_id, 3);
	deskd__response__free_unpacked(r, NULL);
	free(bt);
	desk_close(clerk);
}

/* Import rows [0, n) with refs PREFIX-<i> in batches of 1000, until done
 * or the connection is lost; the child's exit says which.  A byte goes to
 * started_fd (not -1) once the first batch is stored. */
static int
import_rows(unsigned n, const char *prefix, int started_fd)
{
	struct desk *d = h_connect(&srv);
	struct batch *bt = malloc(sizeof(*bt));
	char ref[32];
	Deskd__Status st;

	int rc = 0;

	if (d == NULL || bt == NULL ||
	    desk_login(d, "clerk1", PW, NULL, NULL) != DESK_OK)
		rc = 1;
	for (unsigned i = 0; rc == 0 && i < n; i += 1000) {
		Deskd__Response *r;

		batch_init(bt, "complaint");
		for (unsigned j = i; j < i + 1000 && j < n; j++) {
			snprintf(ref, sizeof(ref), "%s-%u", prefix, j);
			complaint_row(bt, j + 2, ref, "3-2-1201",
			    "13800000000");
		}
		r = send_batch(d, bt, &st);
		batch_free(bt);
		if (r == NULL)
			rc = 1;
		else if (st != ST(OK) || r->import_ack->rejected > 0) {
			fprintf(stderr, "import_all: %d %s\n", (int)st,
			    r->message);
			rc = 2;
		} else if (i == 0 && started_fd >= 0 &&
		    write(started_fd, "", 1) != 1)
			rc = 2;
		if (r != NULL)
			deskd__response__free_unpacked(r, NULL);
	}
	if (d != NULL)
		desk_close(d);
	free(bt);
	return rc;
}

static int
import_all(unsigned n, const char *prefix)
{
	return import_rows(n, prefix, -1);
}

/* Four batches of `rows` complaint rows each, refs PREFIX-<batch>-<row>;
 * the caller batch_frees each and frees the array. */
static struct batch *
four_batches(unsigned rows, const char *prefix)
{
	struct batch *bt = calloc(4, sizeof(*bt));
	char ref[32];

	assert_non_null(bt);
	for (int b = 0; b < 4; b++) {
		batch_init(&bt[b], "complaint");
		for (unsigned j = 0; j < rows; j++) {
			snprintf(ref, sizeof(ref), "%s-%d-%u", prefix, b, j);
			complaint_row(&bt[b], j + 2, ref, "3-2-1201",
			    "13800000000");
		}
	}
	return bt;
}

/* The ids an ack gave its stored rows: lowest and highest. */
static void
ack_ids(const Deskd__Response *r, uint64_t *lo, uint64_t *hi)
{
	*lo = UINT64_MAX;
	*hi = 0;
	for (size_t i = 0; i < r->import_ack->n_results; i++) {
		uint64_t id = r->import_ack->results[i]->id;

		*lo = id < *lo ? id : *lo;
		*hi = id > *hi ? id : *hi;
	}
}

/*
 * Batches sent without waiting, as desk import sends them: deskd reads one
 * ahead and decodes it on its worker, yet stores each in its own commit in
 * the order sent, and a request sent between two batches is applied
 * between them.
 */
static void
test_pipelined_batches(void **state)
{
	struct desk *d = h_login(&srv, "clerk1", PW);
	struct batch *bt = four_batches(500, "pipe");
	Deskd__Request req[5];
	Deskd__ComplaintNew n = DESKD__COMPLAINT_NEW__INIT;
	Deskd__Response *r;
	uint64_t lo, hi, prev_hi = 0, made = 0;
	uint32_t ids[5];

	(void)state;
	n.unit = "3-2-1202";
	n.complainant = "李先生";
	n.phone = "13900000000";
	n.category = "noise";
	n.text = "sent between the second and third batch";
	/* b0 b1 complaint b2 b3, all before the first answer is read. */
	for (int i = 0, b = 0; i < 5; i++) {
		deskd__request__init(&req[i]);
		if (i == 2) {
			req[i].body_case = DESKD__REQUEST__BODY_COMPLAINT_NEW;
			req[i].complaint_new = &n;
		} else {
			req[i].body_case = DESKD__REQUEST__BODY_IMPORT_BATCH;
			req[i].import_batch = &bt[b++].b;
		}
		assert_int_equal(desk_send(d, &req[i], &ids[i]), DESK_OK);
	}
	for (int i = 0; i < 5; i++) {
		assert_int_equal(desk_wait(d, ids[i], &r), DESK_OK);
		assert_int_equal(r->status, ST(OK));
		if (i == 2) {
			made = r->complaint->id;
			assert_true(made > prev_hi);
			prev_hi = made;
		} else {
			assert_int_equal(r->import_ack->stored, 500);
			ack_ids(r, &lo, &hi);
			/* In the order sent, the complaint in its place. */
			assert_true(lo > prev_hi);
			assert_int_equal(hi - lo, 499);
			prev_hi = hi;
		}
		deskd__response__free_unpacked(r, NULL);
	}
	assert_true(made > 0);
	for (int b = 0; b < 4; b++)
		batch_free(&bt[b]);
	free(bt);
	desk_close(d);
}

/* A pipelined import through the library (desk_import_*), rows [0, n)
 * with refs PREFIX-<i>; what was acknowledged as stored goes to fd. */
static int
import_pipelined(unsigned n, const char *prefix, int fd)
{
	struct desk *d = h_connect(&srv);
	struct desk_import *imp;
	struct desk_import_summary sum = { 0 };
	Deskd__Complaint c = DESKD__COMPLAINT__INIT;
	char ref[32];
	int rc;

	if (d == NULL || desk_login(d, "clerk1", PW, NULL, NULL) != DESK_OK ||
	    desk_import_begin(d, "complaint", 0, NULL, NULL, &imp) != DESK_OK) {
		if (d != NULL)
			desk_close(d);
		return 1;
	}
	c.unit = "3-2-1201";
	c.complainant = "王女士";
	c.phone = "13800000000";
	c.category = "noise";
	c.text = "楼上装修噪音";
	for (unsigned i = 0; i < n; i++) {
		snprintf(ref, sizeof(ref), "%s-%u", prefix, i);
		if (desk_import_row(imp, i + 2, ref, &c.base) != DESK_OK)
			break;
	}
	rc = desk_import_end(imp, &sum);
	desk_close(d);
	if (write(fd, &sum.stored, sizeof(sum.stored)) !=
	    (ssize_t)sizeof(sum.stored))
		return 3;
	return rc == DESK_OK ? 0 : 1;
}

/*
 * deskd stopped (SIGTERM) while a desk has batches in flight, one of them
 * read ahead and decoded: it stores what it takes in whole batches,
 * answers, exits cleanly (under ASan: nothing leaked), and every batch the
 * desk saw acknowledged is there after the restart.
 */
static void
test_stop_during_pipelined_import(void **state)
{
	unsigned rows = 40000;
	char out[512];
	struct desk *d;
	size_t before, now;
	uint64_t acked = 0;
	int64_t t0, took;
	bool unique;
	int fds[2], status;
	pid_t child;

	(void)state;
	d = h_login(&srv, "clerk1", PW);
	before = export_count(d, "complaint", &unique);
	desk_close(d);
	assert_int_equal(pipe(fds), 0);
	t0 = h_now_ms();
	assert_int_equal(import_pipelined(rows, "stop-timing", fds[1]), 0);
	took = h_now_ms() - t0;
	assert_int_equal(read(fds[0], &acked, sizeof(acked)),
	    (ssize_t)sizeof(acked));
	assert_int_equal(acked, rows);
	before += rows;
	child = fork();
	assert_true(child >= 0);
	if (child == 0)
		_exit(import_pipelined(rows, "stop", fds[1]));
	h_sleep_ms((int)(took > 4 ? took / 2 : 2));
	srv_stop(&srv);
	assert_true(WIFEXITED(srv.status));
	assert_int_equal(WEXITSTATUS(srv.status), 0);
	waitpid(child, &status, 0);
	assert_int_equal(read(fds[0], &acked, sizeof(acked)),
	    (ssize_t)sizeof(acked));
	close(fds[0]);
	close(fds[1]);
	srv_start(&srv);
	assert_int_equal(srv_verify(&srv, out, sizeof(out)), 0);
	d = h_login(&srv, "clerk1", PW);
	now = export_count(d, "complaint", &unique);
	assert_true(unique);
	/* Whole batches, each of them acknowledged: what deskd read it
	 * answered before it let the desk go, what it did not read it did
	 * not store. */
	assert_int_equal((now - before) % DESK_IMPORT_ROWS, 0);
	assert_int_equal(now - before, acked);
	desk_close(d);
}

/* The same at its sharpest: four batches sent and SIGTERM at once, while
 * one is read ahead and decoding. */
static void
test_stop_with_batches_in_flight(void **state)
{
	struct desk *d = h_login(&srv, "clerk1", PW);
	struct batch *bt = four_batches(1000, "flight");
	Deskd__Request req[4];
	Deskd__Response *r;
	size_t before, now;
	uint32_t ids[4];
	uint64_t acked = 0;
	char out[512];
	bool unique;

	(void)state;
	before = export_count(d, "complaint", &unique);
	for (int b = 0; b < 4; b++) {
		deskd__request__init(&req[b]);
		req[b].body_case = DESKD__REQUEST__BODY_IMPORT_BATCH;
		req[b].import_batch = &bt[b].b;
		assert_int_equal(desk_send(d, &req[b], &ids[b]), DESK_OK);
	}
	srv_stop(&srv);
	assert_true(WIFEXITED(srv.status));
	assert_int_equal(WEXITSTATUS(srv.status), 0);
	for (int b = 0; b < 4; b++) {
		if (desk_wait(d, ids[b], &r) != DESK_OK)
			break;
		if (r->status == ST(OK))
			acked += r->import_ack->stored;
		deskd__response__free_unpacked(r, NULL);
	}
	desk_close(d);
	srv_start(&srv);
	assert_int_equal(srv_verify(&srv, out, sizeof(out)), 0);
	d = h_login(&srv, "clerk1", PW);
	now = export_count(d, "complaint", &unique);
	assert_true(unique);
	assert_int_equal(now - before, acked);
	desk_close(d);
	for (int b = 0; b < 4; b++)
		batch_free(&bt[b]);
	free(bt);
}

static void
test_kill9_during_import(void **state)
{
	unsigned rows = 20000;
	char out[512], prefix[16];
	struct desk *d;
	size_t before, now;
	bool unique;
	int cut = 0;
	int64_t t0, took;

	(void)state;
	srand((unsigned)getpid());
	/* How long a whole import takes here, to kill somewhere inside. */
	t0 = h_now_ms();
	assert_int_equal(import_all(rows, "timing"), 0);
	took = h_now_ms() - t0;
	d = h_login(&srv, "clerk1", PW);
	before = export_count(d, "complaint", &unique);
	desk_close(d);
	for (int round = 0; round < 10; round++) {
		pid_t child;
		int status, started[2];
		char byte;

		snprintf(prefix, sizeof(prefix), "k%d", round);
		assert_int_equal(pipe(started), 0);
		child = fork();
		assert_true(child >= 0);
		if (child == 0) {
			close(started[0]);
			_exit(import_rows(rows, prefix, started[1]));
		}
		close(started[1]);
		/* Inside the import, whatever the machine's load: after its
		 * first batch, within the first half of the rest. */
		assert_int_equal(read(started[0], &byte, 1), 1);
		close(started[0]);
		h_sleep_ms((int)(took > 40 ? rand() % (took / 2) : 10));
		srv_kill9(&srv);
		waitpid(child, &status, 0);
		cut += WIFEXITED(status) && WEXITSTATUS(status) == 1;
		srv_start(&srv);
		assert_int_equal(srv_verify(&srv, out, sizeof(out)), 0);
		/* The re-run finishes the job: every row once, no batch half
		 * stored (a batch is 1,000 rows, one transaction). */
		d = h_login(&srv, "clerk1", PW);
		now = export_count(d, "complaint", &unique);
		assert_true(unique);
		assert_int_equal((now - before) % 1000, 0);
		assert_int_equal(import_all(rows, prefix), 0);
		now = export_count(d, "complaint", &unique);
		assert_true(unique);
		assert_int_equal(now, before + rows);
		before = now;
		desk_close(d);
	}
	/* The kills landed inside the imports, not after them. */
	assert_true(cut >= 5);
	assert_int_equal(srv_verify(&srv, out, sizeof(out)), 0);
}

/* The next event of a watcher within ms, its type copied; false when
 * none came. */
static bool
next_type(struct desk *w, char *type, size_t len, int ms)
{
	int64_t until = h_now_ms() + ms;
	struct desk_frame f;

	while (h_now_ms() < until && desk_recv(w, &f,
	    (int)(until - h_now_ms()) + 1) == DESK_OK) {
		if (f.event != NULL) {
			snprintf(type, len, "%s", f.event->type);
			desk_frame_free(&f);
			return true;
		}
		desk_frame_free(&f);
	}
	return false;
}

static void
test_watchers_and_bad_rows(void **state)
{
	struct desk *clerk = h_login(&srv, "clerk1", PW);
	struct desk *all = h_login(&srv, "clerk1", PW);
	struct desk *rows = h_login(&srv, "clerk1", PW);
	struct desk *sup = h_login(&srv, "sup1", PW);
	const char *want[] = { "complaint.imported" };
	struct batch *bt = malloc(sizeof(*bt));
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__ScheduleDraft dr = DESKD__SCHEDULE_DRAFT__INIT;
	Deskd__ScheduleSet set = DESKD__SCHEDULE_SET__INIT;
	Deskd__Assignment a = DESKD__ASSIGNMENT__INIT, *ap = &a;
	Deskd__Complaint c = DESKD__COMPLAINT__INIT;
	Deskd__ImportAck *ack;
	Deskd__Response *r;
	Deskd__Status st;
	uint8_t odd[256];
	char type[64];
	size_t n;

	(void)state;
	assert_int_equal(desk_subscribe(all, 0, NULL, 0, NULL), DESK_OK);
	assert_int_equal(desk_subscribe(rows, 0, want, 1, NULL), DESK_OK);
	/* Drain what the earlier tests left in the log. */
	while (next_type(all, type, sizeof(type), 300))
		;
	while (next_type(rows, type, sizeof(type), 300))
		;
	batch_init(bt, "complaint");
	/* A dry run: ref w-1 rejected on line 2 does not make line 3, the
	 * same ref fixed, a duplicate. */
	complaint_row(bt, 2, "w-1", "3-2-1201", "not a phone");
	complaint_row(bt, 3, "w-1", "3-2-1201", "13800000009");
	/* A time before 1970; a field the record does not have. */
	c.unit = "3-2-1201";
	c.complainant = "x";
	c.phone = "13800000009";
	c.category = "noise";
	c.text = "t";
	c.created_ms = -5;
	batch_add(bt, 4, "w-2", &c.base);
	n = deskd__complaint__pack(&c, odd);
	odd[n++] = 0xf8;		/* field 999, varint */
	odd[n++] = 0x3e;
	odd[n++] = 1;
	c.created_ms = 0;
	bt->rows[3] = bt->rows[2];
	bt->rows[3].line = 5;
	bt->rows[3].ref = "w-3";
	bt->rows[3].record.data = odd;
	bt->rows[3].record.len = n;
	bt->ptrs[3] = &bt->rows[3];
	bt->b.n_rows = 4;
	bt->b.dry_run = true;
	r = send_batch(clerk, bt, &st);
	ack = r->import_ack;
	assert_int_equal(ack->results[0]->outcome, OUT(REJECTED));
	assert_int_equal(ack->results[1]->outcome, OUT(STORED));
	assert_int_equal(ack->results[2]->outcome, OUT(REJECTED));
	assert_string_equal(ack->results[2]->field, "created_ms");
	assert_int_equal(ack->results[3]->outcome, OUT(REJECTED));
	assert_string_equal(ack->results[3]->field, "record");
	deskd__response__free_unpacked(r, NULL);
	/* Stored for real: a plain watcher sees import.progress, not a
	 * line a row; one that asked for complaint.imported sees the row. */
	bt->b.dry_run = false;
	bt->b.n_rows = 2;
	r = send_batch(clerk, bt, &st);
	assert_int_equal(r->import_ack->stored, 1);
	deskd__response__free_unpacked(r, NULL);
	assert_true(next_type(all, type, sizeof(type), 5000));
	assert_string_equal(type, "import.progress");
	assert_true(next_type(rows, type, sizeof(type), 5000));
	assert_string_equal(type, "complaint.imported");
	/* A schedule import is no bulk import: everyone watching sees it. */
	dr.month = 203201;
	req.body_case = DESKD__REQUEST__BODY_SCHEDULE_DRAFT;
	req.schedule_draft = &dr;
	h_expect_free(sup, &req, ST(OK));
	a.day = 1;
	a.user = "clerk1";
	set.month = 203201;
	set.replace = true;
	set.assignments = &ap;
	set.n_assignments = 1;
	req.body_case = DESKD__REQUEST__BODY_SCHEDULE_SET;
	req.schedule_set = &set;
	h_expect_free(sup, &req, ST(OK));
	while (next_type(all, type, sizeof(type), 5000) &&
	    strcmp(type, "schedule.imported") != 0)
		;
	assert_string_equal(type, "schedule.imported");
	bt->b.n_rows = 3;		/* the rows with a buffer of their own */
	batch_free(bt);
	/* A row over 64 KiB packed is refused before it is decoded. */
	{
		static char huge[70 * 1024];

		memset(huge, 'x', sizeof(huge) - 1);
		batch_init(bt, "complaint");
		c.text = huge;
		batch_add(bt, 9, "w-huge", &c.base);
		r = send_batch(clerk, bt, &st);
		assert_int_equal(st, ST(OK));
		assert_int_equal(r->import_ack->results[0]->outcome,
		    OUT(REJECTED));
		assert_string_equal(r->import_ack->results[0]->field, "record");
		assert_non_null(strstr(r->import_ack->results[0]->reason,
		    "over 65536"));
		deskd__response__free_unpacked(r, NULL);
		batch_free(bt);
	}
	free(bt);
	desk_close(clerk);
	desk_close(all);
	desk_close(rows);
	desk_close(sup);
}

/* One row's outcome from a batch of just it; the ack (caller frees). */
static Deskd__Response *
import_one(struct desk *d, const char *kind, const char *ref,
    const ProtobufCMessage *m, Deskd__ImportOutcome want, const char *field)
{
	struct batch *bt = malloc(sizeof(*bt));
	Deskd__Response *r;
	Deskd__Status st;

	assert_non_null(bt);
	batch_init(bt, kind);
	bt->b.file = "legacy.jsonl";
	batch_add(bt, 2, ref, m);
	r = send_batch(d, bt, &st);
	assert_non_null(r);
	assert_int_equal(st, ST(OK));
	if (r->import_ack->results[0]->outcome != want)
		fail_msg("%s: outcome %d, wanted %d (%s: %s)", ref,
		    r->import_ack->results[0]->outcome, want,
		    r->import_ack->results[0]->field,
		    r->import_ack->results[0]->reason);
	if (field != NULL)
		assert_string_equal(r->import_ack->results[0]->field, field);
	batch_free(bt);
	free(bt);
	return r;
}

static void
legacy_complaint(Deskd__Complaint *c)
{
	deskd__complaint__init(c);
	c->unit = "3-2-1201";
	c->complainant = "王女士";
	c->phone = "13800000000";
	c->category = "noise";
	c->text = "楼上装修噪音";
}

/*
 * Issue 11 (C9): an imported complaint says it was imported, by whom,
 * when, from which file and ref; the file's author and date are only
 * "reported as"; history dated in the past is the admin's to import.
 */
static void
test_import_provenance(void **state)
{
	struct desk *clerk = h_login(&srv, "clerk1", PW);
	struct desk *admin = h_login(&srv, ADMIN_USER, ADMIN_PASS);
	int64_t past = h_wall_ms() - 31LL * 86400 * 1000;	/* a month ago */
	Deskd__Complaint in, *c;
	Deskd__Response *r;

	(void)state;
	legacy_complaint(&in);
	in.created_by = "dir1";
	r = import_one(clerk, "complaint", "legacy-p1", &in.base, OUT(STORED),
	    NULL);
	c = h_get(clerk, r->import_ack->results[0]->id);
	deskd__response__free_unpacked(r, NULL);
	assert_non_null(c);
	assert_string_equal(c->created_by, "clerk1");
	assert_true(c->created_ms > h_wall_ms() - 60000);
	assert_string_equal(c->import_file, "legacy.jsonl");
	assert_string_equal(c->import_ref, "legacy-p1");
	assert_string_equal(c->reported_by, "dir1");
	deskd__complaint__free_unpacked(c, NULL);

	/* Dated 2026-11-02 by the file: a clerk may not backdate. */
	in.created_ms = past;
	deskd__response__free_unpacked(import_one(clerk, "complaint",
	    "legacy-p2", &in.base, OUT(REJECTED), "created_ms"), NULL);
	/* The admin imports history: kept as reported, recorded now. */
	r = import_one(admin, "complaint", "legacy-p2", &in.base, OUT(STORED),
	    NULL);
	c = h_get(admin, r->import_ack->results[0]->id);
	deskd__response__free_unpacked(r, NULL);
	assert_non_null(c);
	assert_string_equal(c->created_by, ADMIN_USER);
	assert_true(c->created_ms > h_wall_ms() - 60000);
	assert_int_equal(c->reported_ms, past);
	assert_string_equal(c->reported_by, "dir1");
	deskd__complaint__free_unpacked(c, NULL);
	desk_close(clerk);
	desk_close(admin);
}

static Deskd__Status
set_fee(struct desk *d, const char *item, int64_t cents)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__FeeSet f = DESKD__FEE_SET__INIT;

	f.item = (char *)item;
	f.price_cents = cents;
	f.unit = "个";
	req.body_case = DESKD__REQUEST__BODY_FEE_SET;
	req.fee_set = &f;
	return h_call_status(d, &req, NULL, 0);
}

/*
 * Issue 11 (C7, D2): an import row carries only what its importer could
 * have recorded by hand, step by step, by the desk's own permission and
 * rules: a clerk's file cannot give the general manager's final ruling,
 * close an undecided complaint, price an order below the schedule or
 * charge an item the schedule does not have.
 */
static void
test_import_checked_as_by_hand(void **state)
{
	struct desk *clerk = h_login(&srv, "clerk1", PW);
	struct desk *dir = h_login(&srv, "dir1", PW);
	struct desk *sup = h_login(&srv, "sup1", PW);
	Deskd__Complaint in, *c;
	Deskd__WorkOrder w = DESKD__WORK_ORDER__INIT;
	Deskd__Response *r;

	(void)state;
	legacy_complaint(&in);
	in.level = DESKD__ESCALATION_LEVEL__LEVEL_GENERAL_MANAGER;
	in.ruling = "总经理最终裁决: 驳回业主诉求";
	in.created_by = "dir1";
	r = import_one(clerk, "complaint", "legacy-1", &in.base, OUT(REJECTED),
	    "ruling");
	assert_non_null(strstr(r->import_ack->results[0]->reason,
	    "may not rule on an appeal"));
	deskd__response__free_unpacked(r, NULL);
	/* The director may give it, and it is then final (C7). */
	r = import_one(dir, "complaint", "legacy-1", &in.base, OUT(STORED),
	    NULL);
	c = h_get(dir, r->import_ack->results[0]->id);
	assert_non_null(c);
	assert_int_equal(c->level, in.level);
	assert_string_equal(c->ruling, in.ruling);
	assert_int_equal(h_step(dir, c->id,
	    DESKD__COMPLAINT_ACTION__ACTION_APPEAL, "again", 0, 0),
	    ST(CONFLICT));
	deskd__complaint__free_unpacked(c, NULL);
	deskd__response__free_unpacked(r, NULL);
	/* Closed without being judged valid and resolved: not a state the
	 * desk's steps reach. */
	legacy_complaint(&in);
	in.status = DESKD__COMPLAINT_STATUS__STATUS_CLOSED;
	deskd__response__free_unpacked(import_one(clerk, "complaint",
	    "legacy-2", &in.base, OUT(REJECTED), "result"), NULL);
	in.validity = DESKD__VALIDITY__VALIDITY_VALID;
	in.result = "已协调装修方";
	in.revisit_result = "满意";
	in.satisfaction = 5;
	r = import_one(clerk, "complaint", "legacy-2", &in.base, OUT(STORED),
	    NULL);
	c = h_get(clerk, r->import_ack->results[0]->id);
	assert_int_equal(c->status, DESKD__COMPLAINT_STATUS__STATUS_CLOSED);
	deskd__complaint__free_unpacked(c, NULL);
	deskd__response__free_unpacked(r, NULL);

	/* D2: the schedule prices an order, whatever the file says. */
	assert_int_equal(set_fee(sup, "换锁芯", 5000), ST(OK));
	w.kind = DESKD__WORK_KIND__KIND_SPECIAL;
	w.unit = "3-2-1201";
	w.name = "王女士";
	w.phone = "13800000000";
	w.text = "换锁芯";
	w.fee_item = "换锁芯";
	w.fee_qty = 1;
	w.fee_price_cents = 1;
	w.status = DESKD__WORK_STATUS__WORK_DONE;
	deskd__response__free_unpacked(import_one(clerk, "repair", "legacy-r1",
	    &w.base, OUT(REJECTED), "fee_price_cents"), NULL);
	w.fee_item = "金条";
	w.fee_price_cents = 0;
	deskd__response__free_unpacked(import_one(clerk, "repair", "legacy-r2",
	    &w.base, OUT(REJECTED), "fee_item"), NULL);
	w.fee_item = "换锁芯";
	r = import_one(clerk, "repair", "legacy-r3", &w.base, OUT(STORED),
	    NULL);
	deskd__response__free_unpacked(r, NULL);
	{
		Deskd__Request req = DESKD__REQUEST__INIT;
		Deskd__ExportRequest q = DESKD__EXPORT_REQUEST__INIT;
		Deskd__WorkOrder *got;

		q.kind = "repair";
		req.body_case = DESKD__REQUEST__BODY_EXPORT;
		req.export = &q;
		r = h_expect(clerk, &req, ST(OK));
		assert_int_equal(r->export->n_records, 1);
		got = deskd__work_order__unpack(NULL,
		    r->export->records[0]->record.len,
		    r->export->records[0]->record.data);
		assert_int_equal(got->fee_price_cents, 5000);
		assert_int_equal(got->charge_cents, 5000);
		assert_string_equal(got->created_by, "clerk1");
		deskd__work_order__free_unpacked(got, NULL);
		deskd__response__free_unpacked(r, NULL);
	}
	desk_close(clerk);
	desk_close(dir);
	desk_close(sup);
}

static int
setup(void **state)
{
	struct desk *admin;
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__UnitAdd u = DESKD__UNIT_ADD__INIT;

	(void)state;
	srv_setup(&srv, NULL);
	h_add_user(&srv, "clerk1", "clerk", PW);
	h_add_user(&srv, "eng1", "engineer", PW);
	h_add_user(&srv, "sup1", "supervisor", PW);
	h_add_user(&srv, "dir1", "director", PW);
	/* E6: with units in the archive, an import names one of them. */
	admin = h_login(&srv, ADMIN_USER, ADMIN_PASS);
	req.body_case = DESKD__REQUEST__BODY_UNIT_ADD;
	req.unit_add = &u;
	u.code = "3-2-1201";
	h_expect_free(admin, &req, ST(OK));
	u.code = "3-2-1202";
	h_expect_free(admin, &req, ST(OK));
	desk_close(admin);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	srv_teardown(&srv);
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_refs_rejects_dry_run),
		cmocka_unit_test(test_tiny_rows),
		cmocka_unit_test(test_export_round_trip),
		cmocka_unit_test(test_watchers_and_bad_rows),
		cmocka_unit_test(test_pipelined_batches),
		cmocka_unit_test(test_stop_during_pipelined_import),
		cmocka_unit_test(test_stop_with_batches_in_flight),
		cmocka_unit_test(test_kill9_during_import),
		cmocka_unit_test(test_import_provenance),
		cmocka_unit_test(test_import_checked_as_by_hand),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
