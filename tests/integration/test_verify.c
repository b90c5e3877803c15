/*
 * test_verify.c - `deskd verify` proves the stored records against the log
 * (C9, H4): each test records a little through a real deskd, stops it,
 * damages one thing in data.mdb with LMDB itself (as mdb_dump/mdb_load
 * would), and expects verify to fail and name what it found; and a
 * running deskd serves the others beside a record that does not read.
 */
#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <lmdb.h>
#include <openssl/evp.h>

#include "harness.h"
#include "wire.h"

#define PW	"verify-pass-1"

static struct server_proc srv;
static uint64_t complaint_id;	/* stepped once: revision 2, open */

static void
record_some(void)
{
	struct desk *d = h_login(&srv, ADMIN_USER, ADMIN_PASS);
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__RepairNew r = DESKD__REPAIR_NEW__INIT;
	Deskd__FeeSet fee = DESKD__FEE_SET__INIT;
	Deskd__Response *resp;

	h_add_user(&srv, "clerk9", "clerk", PW);
	fee.item = "换锁芯";
	fee.price_cents = 4550;
	fee.unit = "个";
	req.body_case = DESKD__REQUEST__BODY_FEE_SET;
	req.fee_set = &fee;
	resp = h_expect(d, &req, DESKD__STATUS__OK);
	deskd__response__free_unpacked(resp, NULL);
	complaint_id = h_complaint(d, "1-1-101", "楼上装修噪音", NULL);
	assert_true(complaint_id > 0);
	assert_int_equal(h_step(d, complaint_id, DESKD__COMPLAINT_ACTION__ACTION_NOTE,
	    "called the owner", 0, 0), DESKD__STATUS__OK);
	assert_true(h_complaint(d, "1-1-102", "电梯异响", NULL) > 0);
	r.kind = DESKD__WORK_KIND__KIND_REPAIR;
	r.unit = "1-1-101";
	r.name = "王芳";
	r.phone = "13912345678";
	r.text = "厨房水管漏水";
	r.visit_at_ms = h_wall_ms() + 3600 * 1000;
	req.body_case = DESKD__REQUEST__BODY_REPAIR_NEW;
	req.repair_new = &r;
	resp = h_expect(d, &req, DESKD__STATUS__OK);
	deskd__response__free_unpacked(resp, NULL);
	desk_close(d);
}

static int
setup(void **state)
{
	char out[512];

	(void)state;
	memset(&srv, 0, sizeof(srv));
	srv_setup(&srv, NULL);
	record_some();
	srv_stop(&srv);
	/* Undamaged, it passes: the failures below are the damage's. */
	assert_int_equal(srv_verify(&srv, out, sizeof(out)), 0);
	assert_non_null(strstr(out, "ok, "));
	srv.damaged = true;
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	srv_teardown(&srv);
	return 0;
}

/* ---------- damage, through LMDB ---------- */

struct lmdb {
	MDB_env	*env;
	MDB_txn	*txn;
};

static MDB_dbi
db_open(struct lmdb *l, const char *name)
{
	MDB_dbi dbi;

	if (l->env == NULL) {
		assert_int_equal(mdb_env_create(&l->env), 0);
		assert_int_equal(mdb_env_set_maxdbs(l->env, 64), 0);
		assert_int_equal(mdb_env_open(l->env, srv.data, 0, 0600), 0);
		assert_int_equal(mdb_txn_begin(l->env, NULL, 0, &l->txn), 0);
	}
	assert_int_equal(mdb_dbi_open(l->txn, name, 0, &dbi), 0);
	return dbi;
}

static void
db_commit(struct lmdb *l)
{
	assert_int_equal(mdb_txn_commit(l->txn), 0);
	mdb_env_close(l->env);
	memset(l, 0, sizeof(*l));
}

static void
u64_key(uint8_t out[8], uint64_t v)
{
	for (int i = 7; i >= 0; i--, v >>= 8)
		out[i] = v & 0xff;
}

/* verify fails, and its message holds every one of the words given. */
static void
expect_verify_names(const char *what, ...)
{
	char out[1024];
	va_list ap;

	assert_int_equal(srv_verify(&srv, out, sizeof(out)), 1);
	print_message("verify: %s", out);
	va_start(ap, what);
	for (const char *w = what; w != NULL; w = va_arg(ap, const char *))
		if (strstr(out, w) == NULL) {
			va_end(ap);
			fail_msg("verify did not name \"%s\": %s", w, out);
		}
	va_end(ap);
}

/* A stored message re-encoded after `change`: valid protobuf, forged. */
static void
rewrite(struct lmdb *l, const char *db, const void *key, size_t keylen,
    const ProtobufCMessageDescriptor *d, void (*change)(void *))
{
	MDB_dbi dbi = db_open(l, db);
	MDB_val k = { keylen, (void *)key }, v;
	ProtobufCMessage *m;
	uint8_t *buf;
	size_t len;

	assert_int_equal(mdb_get(l->txn, dbi, &k, &v), 0);
	m = protobuf_c_message_unpack(d, NULL, v.mv_size, v.mv_data);
	assert_non_null(m);
	change(m);
	len = protobuf_c_message_get_packed_size(m);
	buf = malloc(len);
	protobuf_c_message_pack(m, buf);
	v.mv_size = len;
	v.mv_data = buf;
	assert_int_equal(mdb_put(l->txn, dbi, &k, &v, 0), 0);
	free(buf);
	protobuf_c_message_free_unpacked(m, NULL);
	db_commit(l);
}

static void
withdraw_text(void *m)
{
	Deskd__Complaint *c = m;

	free(c->text);
	c->text = strdup("业主撤回投诉");
}

/* Complaint id's text rewritten in the file: valid protobuf, forged. */
static void
rewrite_complaint_text(struct lmdb *l, uint64_t id)
{
	uint8_t key[8];

	u64_key(key, id);
	rewrite(l, "complaints", key, 8, &deskd__complaint__descriptor,
	    withdraw_text);
}

static void
test_complaint_text_rewritten(void **state)
{
	struct lmdb l = { 0 };

	(void)state;
	rewrite_complaint_text(&l, complaint_id);
	expect_verify_names("complaint 1", "differs", "event", NULL);
}

static void
make_admin(void *m)
{
	Deskd__User *u = m;

	free(u->role);
	u->role = strdup("admin");
}

static void
make_cheap(void *m)
{
	((Deskd__Fee *)m)->price_cents = 1;
}

/* A clerk made admin in the file alone. */
static void
test_user_role_rewritten(void **state)
{
	struct lmdb l = { 0 };

	(void)state;
	rewrite(&l, "users", "clerk9", 6, &deskd__user__descriptor,
	    make_admin);
	expect_verify_names("user:clerk9", "differs", NULL);
}

/* D2: a fee made cheap in the file alone. */
static void
test_fee_price_rewritten(void **state)
{
	struct lmdb l = { 0 };
	const char *item = "换锁芯";

	(void)state;
	rewrite(&l, "fees", item, strlen(item), &deskd__fee__descriptor,
	    make_cheap);
	expect_verify_names("fee:换锁芯", "differs", NULL);
}

static void
test_record_not_decoding(void **state)
{
	struct lmdb l = { 0 };
	MDB_dbi dbi = db_open(&l, "repairs");
	uint8_t key[8], junk[] = { 0xff, 0xff, 0xff, 0xff, 0x0f };
	MDB_val k = { 8, key }, v = { sizeof(junk), junk };

	(void)state;
	u64_key(key, 1);
	assert_int_equal(mdb_put(l.txn, dbi, &k, &v, 0), 0);
	db_commit(&l);
	expect_verify_names("repair 1", "does not decode", NULL);
}

static void
test_open_index_entry_removed(void **state)
{
	struct lmdb l = { 0 };
	MDB_dbi dbi = db_open(&l, "complaints_open");
	uint8_t key[8];
	MDB_val k = { 8, key };

	(void)state;
	u64_key(key, complaint_id);
	assert_int_equal(mdb_del(l.txn, dbi, &k, NULL), 0);
	db_commit(&l);
	expect_verify_names("complaint 1", "open index", NULL);
}

static void
test_open_index_entry_invented(void **state)
{
	struct lmdb l = { 0 };
	MDB_dbi dbi = db_open(&l, "repairs_open");
	uint8_t key[8];
	MDB_val k = { 8, key }, v = { 0, "" };

	(void)state;
	u64_key(key, 99);
	assert_int_equal(mdb_put(l.txn, dbi, &k, &v, 0), 0);
	db_commit(&l);
	expect_verify_names("repair 99", "not stored", NULL);
}

/* The history index: (kind, id, seq) -> "". */
static void
history_key(uint8_t key[17], uint8_t kind, uint64_t id, uint64_t seq)
{
	key[0] = kind;
	u64_key(key + 1, id);
	u64_key(key + 9, seq);
}

/* The first history entry of complaint 1, and its seq. */
static uint64_t
first_history(struct lmdb *l, MDB_dbi dbi, uint8_t key[17])
{
	MDB_cursor *c;
	MDB_val k = { 17, key }, v;
	uint64_t seq = 0;

	history_key(key, 1, complaint_id, 0);
	assert_int_equal(mdb_cursor_open(l->txn, dbi, &c), 0);
	assert_int_equal(mdb_cursor_get(c, &k, &v, MDB_SET_RANGE), 0);
	memcpy(key, k.mv_data, 17);
	for (int i = 9; i < 17; i++)
		seq = seq << 8 | key[i];
	mdb_cursor_close(c);
	return seq;
}

static void
test_history_entry_removed(void **state)
{
	struct lmdb l = { 0 };
	MDB_dbi dbi = db_open(&l, "history");
	uint8_t key[17];
	MDB_val k = { 17, key };

	(void)state;
	first_history(&l, dbi, key);
	assert_int_equal(mdb_del(l.txn, dbi, &k, NULL), 0);
	db_commit(&l);
	expect_verify_names("complaint 1", "history entries", NULL);
}

static void
test_history_entry_pointing_elsewhere(void **state)
{
	struct lmdb l = { 0 };
	MDB_dbi dbi = db_open(&l, "history");
	uint8_t key[17];
	MDB_val k = { 17, key }, v = { 0, "" };
	uint64_t seq;

	(void)state;
	seq = first_history(&l, dbi, key);
	assert_int_equal(mdb_del(l.txn, dbi, &k, NULL), 0);
	/* The seq before it is an event about something else (the fee). */
	history_key(key, 1, complaint_id, seq - 1);
	assert_int_equal(mdb_put(l.txn, dbi, &k, &v, 0), 0);
	db_commit(&l);
	expect_verify_names("history of complaint:1", "something else", NULL);
}

static void
test_event_byte_changed(void **state)
{
	struct lmdb l = { 0 };
	MDB_dbi dbi = db_open(&l, "events");
	uint8_t key[8], *copy;
	MDB_val k = { 8, key }, v;

	(void)state;
	u64_key(key, 2);
	assert_int_equal(mdb_get(l.txn, dbi, &k, &v), 0);
	copy = malloc(v.mv_size);
	memcpy(copy, v.mv_data, v.mv_size);
	copy[v.mv_size - 1] ^= 0x01;
	v.mv_data = copy;
	assert_int_equal(mdb_put(l.txn, dbi, &k, &v, 0), 0);
	free(copy);
	db_commit(&l);
	expect_verify_names("event 2", "hash chain broken", NULL);
}

static void
test_event_deleted(void **state)
{
	struct lmdb l = { 0 };
	MDB_dbi dbi = db_open(&l, "events");
	uint8_t key[8];
	MDB_val k = { 8, key };

	(void)state;
	u64_key(key, 3);
	assert_int_equal(mdb_del(l.txn, dbi, &k, NULL), 0);
	db_commit(&l);
	expect_verify_names("event 3", "missing", NULL);
}

/* Events 2 and 3 swapped, each keeping its stored hash. */
static void
test_events_reordered(void **state)
{
	struct lmdb l = { 0 };
	MDB_dbi dbi = db_open(&l, "events");
	uint8_t k2[8], k3[8], *a, *b;
	MDB_val k = { 8, k2 }, v, w;
	size_t alen, blen;

	(void)state;
	u64_key(k2, 2);
	u64_key(k3, 3);
	assert_int_equal(mdb_get(l.txn, dbi, &k, &v), 0);
	alen = v.mv_size;
	a = malloc(alen);
	memcpy(a, v.mv_data, alen);
	k.mv_data = k3;
	assert_int_equal(mdb_get(l.txn, dbi, &k, &w), 0);
	blen = w.mv_size;
	b = malloc(blen);
	memcpy(b, w.mv_data, blen);
	v = (MDB_val){ blen, b };
	k.mv_data = k2;
	assert_int_equal(mdb_put(l.txn, dbi, &k, &v, 0), 0);
	v = (MDB_val){ alen, a };
	k.mv_data = k3;
	assert_int_equal(mdb_put(l.txn, dbi, &k, &v, 0), 0);
	free(a);
	free(b);
	db_commit(&l);
	expect_verify_names("event 2", "hash chain broken", NULL);
}

static void
send_get(struct desk *d, uint64_t id, uint32_t *rid)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__ComplaintGet g = DESKD__COMPLAINT_GET__INIT;

	g.id = id;
	req.body_case = DESKD__REQUEST__BODY_COMPLAINT_GET;
	req.complaint_get = &g;
	assert_int_equal(desk_send(d, &req, rid), DESK_OK);
}

static void
send_new(struct desk *d, uint32_t *rid)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__ComplaintNew n = DESKD__COMPLAINT_NEW__INIT;

	n.unit = "1-1-103";
	n.complainant = "李先生";
	n.phone = "13700000000";
	n.category = "noise";
	n.text = "recorded beside a damaged record";
	req.body_case = DESKD__REQUEST__BODY_COMPLAINT_NEW;
	req.complaint_new = &n;
	assert_int_equal(desk_send(d, &req, rid), DESK_OK);
}

static Deskd__Response *
wait_status(struct desk *d, uint32_t rid, Deskd__Status want)
{
	Deskd__Response *resp = NULL;

	desk_wait(d, rid, &resp);
	assert_non_null(resp);
	if (resp->status != want)
		fail_msg("status %d, wanted %d: %s", resp->status, want,
		    resp->message);
	return resp;
}

/*
 * A stored record that does not decode fails the request that read it,
 * named; the requests committed with it are stored and answered.
 */
static void
test_damaged_record_fails_only_its_request(void **state)
{
	struct lmdb l = { 0 };
	MDB_dbi dbi = db_open(&l, "complaints");
	uint8_t key[8], junk[] = { 0xff, 0xff, 0xff, 0xff, 0x0f };
	MDB_val k = { 8, key }, v = { sizeof(junk), junk };
	Deskd__Response *resp;
	struct desk *d;
	uint32_t r1, r2, r3;
	uint64_t fresh;

	(void)state;
	u64_key(key, complaint_id);
	assert_int_equal(mdb_put(l.txn, dbi, &k, &v, 0), 0);
	db_commit(&l);
	srv_start(&srv);
	d = h_login(&srv, ADMIN_USER, ADMIN_PASS);
	/* Pipelined: one group commit holds all three. */
	send_get(d, complaint_id, &r1);
	send_new(d, &r2);
	send_get(d, complaint_id + 1, &r3);
	resp = wait_status(d, r1, DESKD__STATUS__INTERNAL);
	assert_non_null(strstr(resp->message, "complaints 1"));
	assert_non_null(strstr(resp->message, "does not read"));
	deskd__response__free_unpacked(resp, NULL);
	resp = wait_status(d, r2, DESKD__STATUS__OK);
	fresh = resp->complaint->id;
	deskd__response__free_unpacked(resp, NULL);
	resp = wait_status(d, r3, DESKD__STATUS__OK);
	assert_int_equal(resp->complaint->id, complaint_id + 1);
	deskd__response__free_unpacked(resp, NULL);
	/* What was acknowledged beside it is stored. */
	resp = NULL;
	send_get(d, fresh, &r1);
	resp = wait_status(d, r1, DESKD__STATUS__OK);
	assert_string_equal(resp->complaint->text,
	    "recorded beside a damaged record");
	deskd__response__free_unpacked(resp, NULL);
	desk_close(d);
}

/* ---------- the chain, as an outside client checks it ---------- */

static Deskd__ChainHash *
chain_get(struct desk *d, uint64_t seq, Deskd__Status want,
    Deskd__Response **resp)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__ChainGet g = DESKD__CHAIN_GET__INIT;

	g.seq = seq;
	req.body_case = DESKD__REQUEST__BODY_CHAIN_GET;
	req.chain_get = &g;
	*resp = h_expect(d, &req, want);
	return (*resp)->chain_hash;
}

/*
 * PROTOCOL.md 11.6: from 32 zero bytes, hash(prev || payload) over every
 * event as the subscription delivers it gives what ChainGet says, at the
 * end and at any event on the way.
 */
static void
test_chain_computed_by_a_client(void **state)
{
	uint8_t prev[32] = { 0 }, at2[32], buf[4096];
	struct desk *d;
	struct desk_frame f;
	Deskd__ChainHash *h;
	Deskd__Response *resp;
	uint64_t last, seen = 0;
	unsigned int n;

	(void)state;
	srv_start(&srv);
	d = h_login(&srv, ADMIN_USER, ADMIN_PASS);
	assert_int_equal(desk_subscribe(d, 0, NULL, 0, &last), DESK_OK);
	while (seen < last && desk_recv(d, &f, 5000) == DESK_OK) {
		if (f.kind == WIRE_EVENT && f.event != NULL) {
			size_t len = deskd__event__get_packed_size(f.event);
			EVP_MD_CTX *ctx = EVP_MD_CTX_new();

			assert_true(len <= sizeof(buf));
			deskd__event__pack(f.event, buf);
			assert_int_equal(EVP_DigestInit_ex(ctx, EVP_sha256(),
			    NULL), 1);
			EVP_DigestUpdate(ctx, prev, sizeof(prev));
			EVP_DigestUpdate(ctx, buf, len);
			EVP_DigestFinal_ex(ctx, prev, &n);
			EVP_MD_CTX_free(ctx);
			seen = f.event->seq;
			if (seen == 2)
				memcpy(at2, prev, sizeof(at2));
		}
		desk_frame_free(&f);
	}
	assert_int_equal(seen, last);
	h = chain_get(d, 0, DESKD__STATUS__OK, &resp);
	assert_int_equal(h->seq, last);
	assert_int_equal(h->last_seq, last);
	assert_int_equal(h->hash.len, 32);
	assert_memory_equal(h->hash.data, prev, 32);
	deskd__response__free_unpacked(resp, NULL);
	h = chain_get(d, 2, DESKD__STATUS__OK, &resp);
	assert_memory_equal(h->hash.data, at2, 32);
	deskd__response__free_unpacked(resp, NULL);
	chain_get(d, last + 1, DESKD__STATUS__NOT_FOUND, &resp);
	assert_non_null(strstr(resp->message, "not in the log"));
	deskd__response__free_unpacked(resp, NULL);
	desk_close(d);
}

/* ---------- while deskd serves ---------- */

static int
setup_serving(void **state)
{
	static const char *const every[] = { "--verify-every", "1s", NULL };

	(void)state;
	memset(&srv, 0, sizeof(srv));
	srv_setup(&srv, every);
	h_add_user(&srv, "sup1", "supervisor", PW);
	record_some();
	return 0;
}

/* The next alert.raised about the store, within timeout_ms, or NULL. */
static Deskd__Event *
store_alert(struct desk *w, int timeout_ms)
{
	Deskd__Event *ev = h_next_alert(w, "store", timeout_ms);

	assert_non_null(ev);
	assert_non_null(ev->alert);
	assert_string_equal(ev->type, "alert.raised");
	assert_string_equal(ev->alert->rule, "C9");
	return ev;
}

/*
 * C9: a deskd that re-verifies (here every second) tells the supervisor
 * of a record damaged under it, naming it; undamaged, it says nothing.
 */
static void
test_reverify_while_serving_raises_alert(void **state)
{
	struct desk *sup = h_login(&srv, "sup1", PW);
	struct lmdb l = { 0 };
	Deskd__Event *ev;
	uint64_t last;

	(void)state;
	assert_int_equal(desk_subscribe(sup, desk_welcome(sup)->last_seq,
	    (const char *const[]){ "alert." }, 1, &last), DESK_OK);
	/* Two walks of the undamaged store: no alert. */
	assert_null(h_next_alert(sup, "store", 2500));
	rewrite_complaint_text(&l, complaint_id);
	srv.damaged = true;
	ev = store_alert(sup, 5000);
	assert_non_null(strstr(ev->alert->message, "complaint 1"));
	assert_non_null(strstr(ev->alert->message, "differs"));
	assert_string_equal(ev->alert->role, "supervisor");
	deskd__event__free_unpacked(ev, NULL);
	desk_close(sup);
}

/* C9: the chain's tail is checked as deskd starts; a break is an alert. */
static void
test_damaged_tail_alerts_at_start(void **state)
{
	struct lmdb l = { 0 };
	MDB_dbi dbi;
	MDB_cursor *c;
	MDB_val k, v;
	uint8_t *copy;
	struct desk *sup;
	Deskd__Event *ev;
	uint64_t last;

	(void)state;
	srv_stop(&srv);
	dbi = db_open(&l, "events");
	/* The newest event's last byte: its hash no longer matches. */
	assert_int_equal(mdb_cursor_open(l.txn, dbi, &c), 0);
	assert_int_equal(mdb_cursor_get(c, &k, &v, MDB_LAST), 0);
	copy = malloc(v.mv_size);
	memcpy(copy, v.mv_data, v.mv_size);
	copy[v.mv_size - 1] ^= 0x01;
	v.mv_data = copy;
	assert_int_equal(mdb_cursor_put(c, &k, &v, MDB_CURRENT), 0);
	mdb_cursor_close(c);
	free(copy);
	db_commit(&l);
	srv.damaged = true;
	srv_start(&srv);
	sup = h_login(&srv, "sup1", PW);
	assert_int_equal(desk_subscribe(sup, 0,
	    (const char *const[]){ "alert." }, 1, &last), DESK_OK);
	ev = store_alert(sup, 5000);
	assert_non_null(strstr(ev->alert->message, "tail"));
	assert_non_null(strstr(ev->alert->message, "hash chain broken"));
	deskd__event__free_unpacked(ev, NULL);
	desk_close(sup);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_complaint_text_rewritten,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_user_role_rewritten,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_fee_price_rewritten,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_record_not_decoding,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_open_index_entry_removed,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_open_index_entry_invented,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_history_entry_removed,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_history_entry_pointing_elsewhere, setup, teardown),
		cmocka_unit_test_setup_teardown(test_event_byte_changed,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_event_deleted,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_events_reordered,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_damaged_record_fails_only_its_request, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_chain_computed_by_a_client, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_reverify_while_serving_raises_alert, setup_serving,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_damaged_tail_alerts_at_start, setup_serving,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
