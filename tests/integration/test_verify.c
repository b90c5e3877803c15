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
#include <time.h>

#include <cmocka.h>
#include <lmdb.h>
#include <openssl/evp.h>

#include "harness.h"
#include "wire.h"

#define PW	"verify-pass-1"

static struct server_proc srv;
static uint64_t complaint_id;	/* stepped once: revision 2, open */

/* E2: a visitor in (the registers), the ID number sealed. */
static void
visitor_in(struct desk *d)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__RegisterAdd a = DESKD__REGISTER_ADD__INIT;
	Deskd__Visitor vis = DESKD__VISITOR__INIT;
	uint8_t buf[512];

	vis.name = "张三";
	vis.id_type = "身份证";
	vis.id_number = "110101199003071234";
	vis.unit = "1-1-101";
	vis.purpose = "探亲";
	vis.consent = DESKD__CONSENT__CONSENT_PRESENT;
	vis.phone = "13700000001";
	a.kind = "visitor";
	a.entry.len = deskd__visitor__pack(&vis, buf);
	a.entry.data = buf;
	req.body_case = DESKD__REQUEST__BODY_REGISTER_ADD;
	req.register_add = &a;
	h_expect_free(d, &req, DESKD__STATUS__OK);
}

/* E6: the owner's number revealed, on record (reveal 1). */
static void
reveal_phone(struct desk *d)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__PersonReveal rv = DESKD__PERSON_REVEAL__INIT;

	rv.id = 1;
	rv.field = "phone";
	rv.reason = "回访业主";
	req.body_case = DESKD__REQUEST__BODY_PERSON_REVEAL;
	req.person_reveal = &rv;
	h_expect_free(d, &req, DESKD__STATUS__OK);
}

static void
record_some(void)
{
	struct desk *d = h_login(&srv, ADMIN_USER, ADMIN_PASS);
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__RepairNew r = DESKD__REPAIR_NEW__INIT;
	Deskd__FeeSet fee = DESKD__FEE_SET__INIT;

	Deskd__UnitAdd ua = DESKD__UNIT_ADD__INIT;
	Deskd__PersonAdd pa = DESKD__PERSON_ADD__INIT;

	h_add_user(&srv, "clerk9", "clerk", PW);
	/* The archive (E6): a unit and its owner, the number sealed. */
	ua.code = "1-1-101";
	ua.area_dm2 = 8950;
	req.body_case = DESKD__REQUEST__BODY_UNIT_ADD;
	req.unit_add = &ua;
	h_expect_free(d, &req, DESKD__STATUS__OK);
	pa.unit = "1-1-101";
	pa.name = "王芳";
	pa.phone = "13912345678";
	req.body_case = DESKD__REQUEST__BODY_PERSON_ADD;
	req.person_add = &pa;
	h_expect_free(d, &req, DESKD__STATUS__OK);
	visitor_in(d);
	fee.item = "换锁芯";
	fee.price_cents = 4550;
	fee.unit = "个";
	req.body_case = DESKD__REQUEST__BODY_FEE_SET;
	req.fee_set = &fee;
	h_expect_free(d, &req, DESKD__STATUS__OK);
	reveal_phone(d);
	complaint_id = h_complaint(d, "1-1-101", "楼上装修噪音", NULL);
	assert_true(complaint_id > 0);
	assert_int_equal(h_step(d, complaint_id, DESKD__COMPLAINT_ACTION__ACTION_NOTE,
	    "called the owner", 0, 0), DESKD__STATUS__OK);
	assert_true(h_complaint(d, "1-1-101", "电梯异响", NULL) > 0);
	r.kind = DESKD__WORK_KIND__KIND_REPAIR;
	r.unit = "1-1-101";
	r.name = "王芳";
	r.phone = "13912345678";
	r.text = "厨房水管漏水";
	r.visit_at_ms = h_wall_ms() + 3600 * 1000;
	req.body_case = DESKD__REQUEST__BODY_REPAIR_NEW;
	req.repair_new = &r;
	h_expect_free(d, &req, DESKD__STATUS__OK);
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

static void
make_large(void *m)
{
	((Deskd__Unit *)m)->area_dm2 = 1;
}

static void
rename_owner(void *m)
{
	Deskd__Person *p = m;

	free(p->name);
	p->name = strdup("李四");
}

/* E6: a unit's area changed in the file alone. */
static void
test_unit_rewritten(void **state)
{
	struct lmdb l = { 0 };
	uint8_t key[8];

	(void)state;
	u64_key(key, 1);
	rewrite(&l, "units", key, 8, &deskd__unit__descriptor, make_large);
	expect_verify_names("unit 1", "differs", NULL);
}

static void
change_purpose(void *m)
{
	Deskd__Visitor *vis = m;

	free(vis->purpose);
	vis->purpose = strdup("施工");
}

/* E2: a visitor's purpose changed in the file alone. */
static void
test_register_entry_rewritten(void **state)
{
	struct lmdb l = { 0 };
	uint8_t key[9];

	(void)state;
	key[0] = 13;			/* RECORD_VISITOR */
	u64_key(key + 1, 1);
	rewrite(&l, "registers", key, 9, &deskd__visitor__descriptor,
	    change_purpose);
	expect_verify_names("visitor 1", "differs", NULL);
}

/* E6: an owner renamed in the file alone. */
static void
test_person_rewritten(void **state)
{
	struct lmdb l = { 0 };
	uint8_t key[8];

	(void)state;
	u64_key(key, 1);
	rewrite(&l, "persons", key, 8, &deskd__person__descriptor,
	    rename_owner);
	expect_verify_names("person 1", "differs", NULL);
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

/* A due clock taken out of the due index: it would never fire. */
static void
test_clock_due_row_removed(void **state)
{
	struct lmdb l = { 0 };
	MDB_dbi dbi = db_open(&l, "clocks");
	MDB_cursor *c;
	MDB_val k, v;

	(void)state;
	assert_int_equal(mdb_cursor_open(l.txn, dbi, &c), 0);
	assert_int_equal(mdb_cursor_get(c, &k, &v, MDB_FIRST), 0);
	assert_int_equal(mdb_cursor_del(c, 0), 0);
	mdb_cursor_close(c);
	db_commit(&l);
	expect_verify_names("clock", "not in the due index", NULL);
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

/* Entry `key` of db taken out of the file. */
static void
drop(const char *db, const void *key, size_t keylen)
{
	struct lmdb l = { 0 };
	MDB_dbi dbi = db_open(&l, db);
	MDB_val k = { keylen, (void *)key };

	assert_int_equal(mdb_del(l.txn, dbi, &k, NULL), 0);
	db_commit(&l);
}

/* Entry `from` of db rewritten by `change` and put under `to` too. */
static void
copy_to(const char *db, const void *from, size_t fromlen, const void *to,
    size_t tolen, const ProtobufCMessageDescriptor *d, void (*change)(void *))
{
	struct lmdb l = { 0 };
	MDB_dbi dbi = db_open(&l, db);
	MDB_val k = { fromlen, (void *)from }, v;
	ProtobufCMessage *m;
	uint8_t *buf;

	assert_int_equal(mdb_get(l.txn, dbi, &k, &v), 0);
	m = protobuf_c_message_unpack(d, NULL, v.mv_size, v.mv_data);
	assert_non_null(m);
	change(m);
	v.mv_size = protobuf_c_message_get_packed_size(m);
	buf = malloc(v.mv_size);
	protobuf_c_message_pack(m, buf);
	v.mv_data = buf;
	k.mv_size = tolen;
	k.mv_data = (void *)to;
	assert_int_equal(mdb_put(l.txn, dbi, &k, &v, 0), 0);
	free(buf);
	protobuf_c_message_free_unpacked(m, NULL);
	db_commit(&l);
}

/* Keys as the storage writes them, big-endian. */
#define BE32(v)	(uint8_t)((v) >> 24), (uint8_t)((v) >> 16), \
		(uint8_t)((v) >> 8), (uint8_t)(v)
#define BE64(v)	BE32((uint64_t)(v) >> 32), BE32((uint64_t)(v) & 0xffffffff)

/* ---------- the duty kinds: schedules, attendance, the duty log ---------- */

/*
 * At 2031-03-15 12:00 in Shanghai (--now-offset), in the morning shift:
 * February and March published (cl, cl2, cl3 on the three shifts), April
 * drafted; cl clocked in for the morning, late; duty log entries on
 * 1 February (entry 1), 2 February and 1 March (entry 3); 1 March signed
 * (B7); February's spot check drawn and a day of it signed (B9); and
 * February's attendance submitted (A1).
 */
#define DUTY_MONTH	203103u
#define DUTY_PREV	203102u
#define DUTY_NEXT	203104u
#define DUTY_DAY	20310301u
#define DUTY_TODAY	20310315u
#define DUTY_PW		"duty-pass-12345"

static char duty_offset[32];

/* A request the desk may make, made: its response (caller frees). */
static Deskd__Response *
duty_call(struct desk *d, Deskd__Request *req)
{
	return h_expect(d, req, DESKD__STATUS__OK);
}

/* B9: February drawn by the director, and its first drawn day signed. */
static void
spot_check(struct desk *dan)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__SpotCheckDraw sd = DESKD__SPOT_CHECK_DRAW__INIT;
	Deskd__SpotCheckSign ss = DESKD__SPOT_CHECK_SIGN__INIT;
	Deskd__Response *r;

	sd.month = ss.month = DUTY_PREV;
	req.body_case = DESKD__REQUEST__BODY_SPOT_DRAW;
	req.spot_draw = &sd;
	r = duty_call(dan, &req);
	assert_true(r->spot_check->n_selected > 0);
	ss.day = r->spot_check->selected[0];
	deskd__response__free_unpacked(r, NULL);
	req.body_case = DESKD__REQUEST__BODY_SPOT_SIGN;
	req.spot_sign = &ss;
	deskd__response__free_unpacked(duty_call(dan, &req), NULL);
}

/* The supervisor's: April drafted, 1 March signed (B7), February's
 * attendance submitted (A1). */
static void
supervise(struct desk *sue, bool after_log)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__ScheduleDraft dr = DESKD__SCHEDULE_DRAFT__INIT;
	Deskd__DutyLogSign sg = DESKD__DUTY_LOG_SIGN__INIT;
	Deskd__AttendanceReport ar = DESKD__ATTENDANCE_REPORT__INIT;

	if (!after_log) {
		dr.month = DUTY_NEXT;
		req.body_case = DESKD__REQUEST__BODY_SCHEDULE_DRAFT;
		req.schedule_draft = &dr;
		deskd__response__free_unpacked(duty_call(sue, &req), NULL);
		return;
	}
	sg.day = DUTY_DAY;
	req.body_case = DESKD__REQUEST__BODY_LOG_SIGN;
	req.log_sign = &sg;
	deskd__response__free_unpacked(duty_call(sue, &req), NULL);
	ar.month = DUTY_PREV;
	ar.submit = true;
	req.body_case = DESKD__REQUEST__BODY_ATTENDANCE_REPORT;
	req.attendance_report = &ar;
	deskd__response__free_unpacked(duty_call(sue, &req), NULL);
}

static void
record_duty(void)
{
	static const char *const staff[][2] = { { "cl", "clerk" },
	    { "cl2", "clerk" }, { "cl3", "clerk" }, { "sue", "supervisor" },
	    { "dan", "director" } };
	const char *const who[3] = { "cl", "cl2", "cl3" };
	struct desk *cl, *sue, *dan;

	for (size_t i = 0; i < sizeof(staff) / sizeof(staff[0]); i++)
		h_add_user(&srv, staff[i][0], staff[i][1], DUTY_PW);
	sue = h_login(&srv, "sue", DUTY_PW);
	h_publish_rota(sue, DUTY_PREV, 28, who);
	h_publish_rota(sue, DUTY_MONTH, 31, who);
	supervise(sue, false);
	cl = h_login(&srv, "cl", DUTY_PW);
	deskd__response__free_unpacked(h_punch(cl, true, DESKD__STATUS__OK),
	    NULL);
	h_log_add(cl, DUTY_PREV * 100 + 1);
	h_log_add(cl, DUTY_PREV * 100 + 2);
	h_log_add(cl, DUTY_DAY);
	dan = h_login(&srv, "dan", DUTY_PW);
	spot_check(dan);
	supervise(sue, true);
	desk_close(cl);
	desk_close(sue);
	desk_close(dan);
}

static int
setup_duty(void **state)
{
	struct tm tm = { .tm_year = 2031 - 1900, .tm_mon = 2, .tm_mday = 15,
	    .tm_hour = 4 };	/* 12:00 in Shanghai */
	const char *flags[] = { "--now-offset", duty_offset, NULL };
	char out[512];

	(void)state;
	snprintf(duty_offset, sizeof(duty_offset), "%lldms",
	    (long long)((int64_t)timegm(&tm) * 1000 - h_wall_ms()));
	memset(&srv, 0, sizeof(srv));
	srv_setup(&srv, flags);
	record_duty();
	srv_stop(&srv);
	assert_int_equal(srv_verify(&srv, out, sizeof(out)), 0);
	assert_non_null(strstr(out, "ok, "));
	srv.damaged = true;
	return 0;
}

static void
rota_forged(void *m)
{
	Deskd__Schedule *s = m;

	free(s->assignments[0]->user);
	s->assignments[0]->user = strdup("cl3");
}

static void
draw_forged(void *m)
{
	Deskd__SpotCheck *sc = m;

	sc->selected[0] = sc->selected[0] == DUTY_PREV * 100 + 1 ?
	    DUTY_PREV * 100 + 2 : DUTY_PREV * 100 + 1;
}

/*
 * One record of a kind changed in the file alone, or taken out of it
 * (neither a change nor a field), and the words verify must name it with.
 * A change is `change`, or `field` set to `text` (a string) or `number`;
 * with `copy`, the changed record is put under `to` instead.
 */
struct damage {
	const char			*db;
	uint8_t				 key[16];
	size_t				 keylen;
	const ProtobufCMessageDescriptor *d;
	void				(*change)(void *);
	const char			*field, *text;
	uint64_t			 number;
	const char			*label, *what;
	bool				 copy;
	uint8_t				 to[16];
};

/* The row test_damage is applying (a change takes no argument). */
static const struct damage *forging;

static void
forge_field(void *m)
{
	const ProtobufCFieldDescriptor *f =
	    protobuf_c_message_descriptor_get_field_by_name(
	    ((ProtobufCMessage *)m)->descriptor, forging->field);
	void *at;

	assert_non_null(f);
	at = (char *)m + f->offset;
	if (f->type == PROTOBUF_C_TYPE_STRING) {
		free(*(char **)at);
		*(char **)at = strdup(forging->text);
	} else if (f->type == PROTOBUF_C_TYPE_UINT32)
		*(uint32_t *)at = (uint32_t)forging->number;
	else
		*(uint64_t *)at = forging->number;
}

#define ATT_KEY	{ BE64((uint64_t)DUTY_TODAY << 8), 'c', 'l' }
#define SEAL_KEY { 'd', 'a', 'y', ':', '2', '0', '3', '1', '0', '3', '0', '1' }

/* E6: a unit taken out of the archive's file (its history left). */
static const struct damage unit_removed = { .db = "units",
    .key = { BE64(1) }, .keylen = 8, .label = "unit 1",
    .what = "not stored" };
/* E6: who saw a number and why. */
static const struct damage reveal_rewritten = { .db = "reveals",
    .key = { BE64(1) }, .keylen = 8, .d = &deskd__reveal__descriptor,
    .field = "reason", .text = "x", .label = "reveal 1", .what = "differs" };
static const struct damage reveal_removed = { .db = "reveals",
    .key = { BE64(1) }, .keylen = 8, .label = "reveal 1",
    .what = "not stored" };
/* A2, A5: who holds a published shift; a draft taken out; March's draft,
 * removed when it was published, put back (April's made March's). */
static const struct damage schedule_rewritten = { .db = "schedules",
    .key = { BE64((uint64_t)DUTY_MONTH << 32 | 1) }, .keylen = 8,
    .d = &deskd__schedule__descriptor, .change = rota_forged,
    .label = "schedule 203103 version 1", .what = "differs" };
static const struct damage schedule_draft_removed = { .db = "schedules",
    .key = { BE64((uint64_t)DUTY_NEXT << 32) }, .keylen = 8,
    .label = "schedule 203104 draft", .what = "not stored" };
static const struct damage draft_put_back = { .db = "schedules",
    .key = { BE64((uint64_t)DUTY_NEXT << 32) }, .keylen = 8,
    .d = &deskd__schedule__descriptor, .field = "month",
    .number = DUTY_MONTH, .label = "schedule 203103 draft",
    .what = "removed it", .copy = true,
    .to = { BE64((uint64_t)DUTY_MONTH << 32) } };
/* A1: a late clock-in made on time; one taken out (an absence made of
 * it); the sealed submission. */
static const struct damage attendance_rewritten = { .db = "attendance",
    .key = ATT_KEY, .keylen = 10, .d = &deskd__attendance__descriptor,
    .field = "late_min", .number = 0,
    .label = "attendance 20310315 morning cl", .what = "differs" };
static const struct damage attendance_removed = { .db = "attendance",
    .key = ATT_KEY, .keylen = 10, .label = "attendance 20310315 morning cl",
    .what = "not stored" };
static const struct damage submission_rewritten = { .db = "attendance",
    .key = { 0xff, BE32(DUTY_PREV) }, .keylen = 5,
    .d = &deskd__attendance_report_reply__descriptor,
    .field = "submitted_by", .text = "cl",
    .label = "attendance submission 203102", .what = "differs" };
/* B3: an entry rewritten, taken out, and one no desk wrote. */
static const struct damage entry_rewritten = { .db = "duty_log",
    .key = { BE32(DUTY_PREV * 100 + 1), BE64(1) }, .keylen = 12,
    .d = &deskd__duty_log_entry__descriptor, .field = "text",
    .text = "一切正常, 无事发生", .label = "duty log entry 1",
    .what = "differs" };
static const struct damage entry_removed = { .db = "duty_log",
    .key = { BE32(DUTY_DAY), BE64(3) }, .keylen = 12,
    .label = "duty log entry 3", .what = "not stored" };
static const struct damage entry_invented = { .db = "duty_log",
    .key = { BE32(DUTY_DAY), BE64(3) }, .keylen = 12,
    .d = &deskd__duty_log_entry__descriptor, .field = "id", .number = 99,
    .label = "duty log entry 99", .what = "no event", .copy = true,
    .to = { BE32(DUTY_DAY), BE64(99) } };
/* B7: the day's signature; B9: the draw. */
static const struct damage seal_rewritten = { .db = "duty_seals",
    .key = SEAL_KEY, .keylen = 12, .d = &deskd__duty_seal__descriptor,
    .field = "signed_by", .text = "dan", .label = "seal day:20310301",
    .what = "differs" };
static const struct damage seal_removed = { .db = "duty_seals",
    .key = SEAL_KEY, .keylen = 12, .label = "seal day:20310301",
    .what = "not stored" };
static const struct damage spot_rewritten = { .db = "duty_seals",
    .key = { 's', 'p', 'o', 't', ':', '2', '0', '3', '1', '0', '2' },
    .keylen = 11, .d = &deskd__spot_check__descriptor,
    .change = draw_forged, .label = "spot check 203102",
    .what = "differs" };

/* The damage the test's row says, and verify naming it. */
static void
test_damage(void **state)
{
	const struct damage *dm = *state;
	void (*change)(void *) = dm->change ? dm->change : forge_field;
	struct lmdb l = { 0 };

	forging = dm;
	if (dm->copy)
		copy_to(dm->db, dm->key, dm->keylen, dm->to, dm->keylen, dm->d,
		    change);
	else if (dm->d != NULL)
		rewrite(&l, dm->db, dm->key, dm->keylen, dm->d, change);
	else
		drop(dm->db, dm->key, dm->keylen);
	expect_verify_names(dm->label, dm->what, NULL);
}

/* A damage test under its own name; its setup leaves the row alone. */
#define DAMAGE(name, setup, row) \
	{ name, test_damage, setup, teardown, (void *)&(row) }

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

	n.unit = "1-1-101";
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
		cmocka_unit_test_setup_teardown(test_unit_rewritten,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_person_rewritten,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_register_entry_rewritten,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_clock_due_row_removed,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_record_not_decoding,
		    setup, teardown),
		DAMAGE("test_unit_removed", setup, unit_removed),
		DAMAGE("test_reveal_rewritten", setup, reveal_rewritten),
		DAMAGE("test_reveal_removed", setup, reveal_removed),
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

	const struct CMUnitTest duty[] = {
		DAMAGE("test_schedule_rewritten", setup_duty,
		    schedule_rewritten),
		DAMAGE("test_schedule_draft_removed", setup_duty,
		    schedule_draft_removed),
		DAMAGE("test_schedule_draft_put_back", setup_duty,
		    draft_put_back),
		DAMAGE("test_attendance_rewritten", setup_duty,
		    attendance_rewritten),
		DAMAGE("test_attendance_removed", setup_duty,
		    attendance_removed),
		DAMAGE("test_attendance_submission_rewritten", setup_duty,
		    submission_rewritten),
		DAMAGE("test_duty_log_entry_rewritten", setup_duty,
		    entry_rewritten),
		DAMAGE("test_duty_log_entry_invented", setup_duty,
		    entry_invented),
		DAMAGE("test_duty_log_entry_removed", setup_duty,
		    entry_removed),
		DAMAGE("test_seal_rewritten", setup_duty, seal_rewritten),
		DAMAGE("test_seal_removed", setup_duty, seal_removed),
		DAMAGE("test_spot_check_rewritten", setup_duty,
		    spot_rewritten),
	};
	int failed = cmocka_run_group_tests(tests, NULL, NULL);

	return failed + cmocka_run_group_tests(duty, NULL, NULL);
}
