/*
 * store.c - the LMDB environment, transactions with a sticky error field,
 * map growth, the meta database and the helpers the record modules share.
 */
#include <sys/stat.h>

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdatomic.h>
#include <string.h>
#include <time.h>

#include "store.h"

struct store {
	MDB_env		*env;
	MDB_dbi		 dbi[DB__COUNT];
	size_t		 map_size;
	atomic_int	 long_readers;
	atomic_bool	 long_read_yield;
};

static const char *const db_names[DB__COUNT] = {
	[DB_META] = "meta",
	[DB_EVENTS] = "events",
	[DB_HISTORY] = "history",
	[DB_COMPLAINTS] = "complaints",
	[DB_COMPLAINTS_OPEN] = "complaints_open",
	[DB_USERS] = "users",
	[DB_SESSIONS] = "sessions",
	[DB_CLOCKS] = "clocks",
	[DB_CLOCK_STATE] = "clock_state",
	[DB_ALERTS] = "alerts",
	[DB_ALERTS_OPEN] = "alerts_open",
	[DB_REPAIRS] = "repairs",
	[DB_REPAIRS_OPEN] = "repairs_open",
	[DB_FEES] = "fees",
	[DB_SCHEDULES] = "schedules",
	[DB_HANDOVERS] = "handovers",
	[DB_HANDOVERS_OPEN] = "handovers_open",
	[DB_DUTY_LOG] = "duty_log",
	[DB_DUTY_SEALS] = "duty_seals",
	[DB_ATTENDANCE] = "attendance",
	[DB_DUTY] = "duty",
	[DB_DUTY_OPEN] = "duty_open",
	[DB_UNITS] = "units",
	[DB_UNIT_CODES] = "unit_codes",
	[DB_PERSONS] = "persons",
	[DB_UNIT_PEOPLE] = "unit_people",
	[DB_REVEALS] = "reveals",
	[DB_REGISTERS] = "registers",
	[DB_REGISTERS_OPEN] = "registers_open",
	[DB_REFS] = "refs",
	[DB_REF_OF] = "ref_of",
};

static int
map_rc(int rc)
{
	switch (rc) {
	case MDB_SUCCESS:	return STORE_OK;
	case MDB_NOTFOUND:	return STORE_NOTFOUND;
	case MDB_KEYEXIST:	return STORE_EXISTS;
	case MDB_MAP_FULL:
		return STORE_MAP_FULL;
	case MDB_CORRUPTED:
	case MDB_PAGE_NOTFOUND:
	case MDB_INVALID:
	case MDB_VERSION_MISMATCH:
		return STORE_CORRUPT;
	default:		return STORE_IO;
	}
}

const char *
record_kind_name(enum record_kind k)
{
	switch (k) {
	case RECORD_COMPLAINT:	return "complaint";
	case RECORD_USER:	return "user";
	case RECORD_REPAIR:	return "repair";
	case RECORD_ALERT:	return "alert";
	case RECORD_HANDOVER:	return "handover";
	case RECORD_DUTY:	return "duty";
	case RECORD_DUTY_LOG:	return "dutylog";
	case RECORD_ATTENDANCE:	return "attendance";
	case RECORD_SCHEDULE:	return "schedule";
	case RECORD_UNIT:	return "unit";
	case RECORD_PERSON:	return "person";
	case RECORD_REVEAL:	return "reveal";
	case RECORD_VISITOR:	return "visitor";
	case RECORD_VISITOR_PERMIT: return "visitor-permit";
	case RECORD_PASS:	return "pass";
	case RECORD_KEY:	return "key";
	case RECORD_KEY_COUNT:	return "key-count";
	case RECORD_PARKING:	return "parking";
	case RECORD_WORKER:	return "worker";
	case RECORD_RENOVATION:	return "renovation";
	case RECORD_HOTWORK:	return "hotwork";
	case RECORD_CONSTRUCTION: return "construction";
	case RECORD_CLEANING:	return "cleaning";
	case RECORD_NOTE:	return "note";
	case RECORD_SPECIAL:	return "special";
	}
	return "record";
}

const char *
store_rc_str(int rc)
{
	switch (rc) {
	case STORE_OK:		return "ok";
	case STORE_NOTFOUND:	return "not found";
	case STORE_EXISTS:	return "already exists";
	case STORE_MAP_FULL:	return "map full";
	case STORE_CORRUPT:	return "store corrupt";
	case STORE_IO:		return "storage i/o error";
	case STORE_YIELDED:	return "interrupted to grow the map";
	}
	return "unknown storage error";
}

int
store_open(struct store **out, const char *dir, const struct store_options *o,
    char *err, size_t errlen)
{
	struct store *st;
	MDB_txn *txn;
	MDB_envinfo info;
	int rc, dead;
	unsigned int flags = MDB_NOTLS;

	if (o->create) {
		if (mkdir(dir, 0700) == -1 && errno != EEXIST) {
			snprintf(err, errlen, "%s: %s", dir, strerror(errno));
			return STORE_IO;
		}
	} else {
		char path[4096];
		struct stat sb;

		/* Never create a store by accident (a typo in --data). */
		snprintf(path, sizeof(path), "%s/data.mdb", dir);
		if (stat(path, &sb) == -1) {
			snprintf(err, errlen, "%s: no deskd store here (run "
			    "deskd init --data %s)", dir, dir);
			return STORE_NOTFOUND;
		}
	}
	if ((st = calloc(1, sizeof(*st))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return STORE_IO;
	}
	if (o->no_sync)
		flags |= MDB_NOSYNC;
	if ((rc = mdb_env_create(&st->env)) != 0 ||
	    (rc = mdb_env_set_maxdbs(st->env, DB__COUNT + 4)) != 0 ||
	    (rc = mdb_env_set_maxreaders(st->env, 126)) != 0 ||
	    (rc = mdb_env_set_mapsize(st->env, o->map_size)) != 0 ||
	    (rc = mdb_env_open(st->env, dir, flags, 0600)) != 0) {
		snprintf(err, errlen, "%s: %s", dir, mdb_strerror(rc));
		goto fail;
	}
	/* A map that grew in an earlier run is larger than what we asked for. */
	mdb_env_info(st->env, &info);
	st->map_size = info.me_mapsize;
	/* Readers left by a process killed with -9 would pin old pages. */
	mdb_reader_check(st->env, &dead);

	if ((rc = mdb_txn_begin(st->env, NULL, 0, &txn)) != 0) {
		snprintf(err, errlen, "%s: %s", dir, mdb_strerror(rc));
		goto fail;
	}
	for (int i = 0; i < DB__COUNT; i++) {
		unsigned int dflags = MDB_CREATE;

		if ((rc = mdb_dbi_open(txn, db_names[i], dflags,
		    &st->dbi[i])) != 0) {
			mdb_txn_abort(txn);
			snprintf(err, errlen, "%s: open %s: %s", dir,
			    db_names[i], mdb_strerror(rc));
			goto fail;
		}
	}
	if ((rc = mdb_txn_commit(txn)) != 0) {
		snprintf(err, errlen, "%s: %s", dir, mdb_strerror(rc));
		goto fail;
	}
	*out = st;
	return STORE_OK;
fail:
	if (st->env)
		mdb_env_close(st->env);
	free(st);
	return map_rc(rc) == STORE_OK ? STORE_IO : map_rc(rc);
}

void
store_close(struct store *st)
{
	if (st == NULL)
		return;
	mdb_env_close(st->env);
	free(st);
}

int
store_grow(struct store *st)
{
	struct timespec ms = { 0, 1000000 };
	size_t next = st->map_size * 2;
	int rc;

	atomic_store(&st->long_read_yield, true);
	while (atomic_load(&st->long_readers) > 0)
		nanosleep(&ms, NULL);
	rc = mdb_env_set_mapsize(st->env, next);
	atomic_store(&st->long_read_yield, false);
	if (rc != 0)
		return map_rc(rc);
	st->map_size = next;
	return STORE_OK;
}

void
store_long_read_enter(struct store *st)
{
	atomic_fetch_add(&st->long_readers, 1);
}

void
store_long_read_leave(struct store *st)
{
	atomic_fetch_sub(&st->long_readers, 1);
}

void
store_long_read_interrupt(struct store *st)
{
	atomic_store(&st->long_read_yield, true);
}

bool
store_long_read_yield(struct store *st)
{
	return atomic_load(&st->long_read_yield);
}

size_t
store_map_size(struct store *st)
{
	return st->map_size;
}

int
store_txn_begin(struct store *st, struct store_txn *parent, bool write,
    struct store_txn *t)
{
	int rc;

	t->st = st;
	t->err = STORE_OK;
	t->write = write;
	t->txn = NULL;
	t->tail_known = t->tail_dirty = false;
	memset(t->ids, 0, sizeof(t->ids));
	t->ncursors = 0;
	t->writes = 0;
	t->unreadable = 0;
	t->unreadable_what[0] = '\0';
	rc = mdb_txn_begin(st->env, parent ? parent->txn : NULL,
	    write ? 0 : MDB_RDONLY, &t->txn);
	if (rc == MDB_MAP_RESIZED) {
		/* Another process grew the map (mdb_copy, deskd verify). */
		mdb_env_set_mapsize(st->env, 0);
		rc = mdb_txn_begin(st->env, parent ? parent->txn : NULL,
		    write ? 0 : MDB_RDONLY, &t->txn);
	}
	if (rc == MDB_READERS_FULL) {
		int dead;

		mdb_reader_check(st->env, &dead);
		rc = mdb_txn_begin(st->env, parent ? parent->txn : NULL,
		    write ? 0 : MDB_RDONLY, &t->txn);
	}
	t->err = map_rc(rc);
	return t->err;
}

#define META_LAST_SEQ	"last_seq"
static void meta_set_u64(struct store_txn *, const char *, uint64_t);
static void ids_flush(struct store_txn *, size_t);

/* The write's cursor on dbi, opened at its first use; NULL: use none. */
static MDB_cursor *
txn_cursor(struct store_txn *t, MDB_dbi dbi)
{
	const size_t max = sizeof(t->cursors) / sizeof(t->cursors[0]);
	MDB_cursor *c;

	if (!t->write)
		return NULL;
	for (size_t i = 0; i < t->ncursors; i++)
		if (t->cursors[i].dbi == dbi)
			return t->cursors[i].cursor;
	if (t->ncursors == max || mdb_cursor_open(t->txn, dbi, &c) != 0)
		return NULL;
	t->cursors[t->ncursors].dbi = dbi;
	t->cursors[t->ncursors++].cursor = c;
	return c;
}

static void
txn_cursors_close(struct store_txn *t)
{
	while (t->ncursors > 0)
		mdb_cursor_close(t->cursors[--t->ncursors].cursor);
}

int
store_txn_commit(struct store_txn *t)
{
	int rc;

	if (t->txn == NULL)
		return t->err ? t->err : STORE_IO;
	if (t->tail_dirty)
		meta_set_u64(t, META_LAST_SEQ, t->last_seq);
	for (size_t i = 0; i < sizeof(t->ids) / sizeof(t->ids[0]); i++)
		ids_flush(t, i);
	txn_cursors_close(t);
	if (t->err != STORE_OK) {
		mdb_txn_abort(t->txn);
		t->txn = NULL;
		return t->err;
	}
	rc = mdb_txn_commit(t->txn);
	t->txn = NULL;
	t->err = map_rc(rc);
	return t->err;
}

void
store_txn_abort(struct store_txn *t)
{
	if (t->txn != NULL) {
		txn_cursors_close(t);
		mdb_txn_abort(t->txn);
	}
	t->txn = NULL;
}

MDB_dbi
store_dbi(struct store_txn *t, enum store_db db)
{
	return t->st->dbi[db];
}

void
store_fail(struct store_txn *t, int mdb_rc)
{
	if (t->err == STORE_OK)
		t->err = map_rc(mdb_rc);
}

void
store_key_u64(uint8_t out[8], uint64_t v)
{
	/* Big-endian so that LMDB's byte order is numeric order. */
	for (int i = 7; i >= 0; i--) {
		out[i] = v & 0xff;
		v >>= 8;
	}
}

uint64_t
store_u64_key(const void *p)
{
	const uint8_t *b = p;
	uint64_t v = 0;

	for (int i = 0; i < 8; i++)
		v = v << 8 | b[i];
	return v;
}

static int
lmdb_put(struct store_txn *t, MDB_dbi dbi, MDB_val *k, MDB_val *v,
    unsigned int flags)
{
	MDB_cursor *c = txn_cursor(t, dbi);

	return c != NULL ? mdb_cursor_put(c, k, v, flags) :
	    mdb_put(t->txn, dbi, k, v, flags);
}

static void
put(struct store_txn *t, MDB_dbi dbi, const void *key, size_t keylen,
    const void *val, size_t vallen, unsigned int flags)
{
	MDB_val k = { keylen, (void *)key }, v = { vallen, (void *)val };
	int rc;

	if (t->err != STORE_OK)
		return;
	t->writes++;
	if ((rc = lmdb_put(t, dbi, &k, &v, flags)) != 0)
		store_fail(t, rc);
}

void
store_put(struct store_txn *t, MDB_dbi dbi, const void *key, size_t keylen,
    const void *val, size_t vallen)
{
	put(t, dbi, key, keylen, val, vallen, 0);
}

void
store_append(struct store_txn *t, MDB_dbi dbi, const void *key,
    size_t keylen, const void *val, size_t vallen)
{
	put(t, dbi, key, keylen, val, vallen, MDB_APPEND);
}

int
store_get(struct store_txn *t, MDB_dbi dbi, const void *key, size_t keylen,
    MDB_val *val)
{
	MDB_val k = { keylen, (void *)key };
	MDB_cursor *c;
	int rc;

	if (t->err != STORE_OK)
		return t->err;
	if ((c = txn_cursor(t, dbi)) != NULL)
		rc = mdb_cursor_get(c, &k, val, MDB_SET);
	else
		rc = mdb_get(t->txn, dbi, &k, val);
	if (rc == MDB_NOTFOUND)
		return STORE_NOTFOUND;
	if (rc != 0) {
		store_fail(t, rc);
		return t->err;
	}
	return STORE_OK;
}

void
store_del(struct store_txn *t, MDB_dbi dbi, const void *key, size_t keylen)
{
	MDB_val k = { keylen, (void *)key };
	int rc;

	if (t->err != STORE_OK)
		return;
	t->writes++;
	rc = mdb_del(t->txn, dbi, &k, NULL);
	if (rc != 0 && rc != MDB_NOTFOUND)
		store_fail(t, rc);
}

static void
put_msg(struct store_txn *t, MDB_dbi dbi, const void *key, size_t keylen,
    const ProtobufCMessage *m, unsigned int flags)
{
	MDB_val k = { keylen, (void *)key }, v;
	int rc;

	if (t->err != STORE_OK)
		return;
	t->writes++;
	/* Reserve in place and pack straight into the page: no copy. */
	v.mv_size = protobuf_c_message_get_packed_size(m);
	if ((rc = lmdb_put(t, dbi, &k, &v, MDB_RESERVE | flags)) != 0) {
		store_fail(t, rc);
		return;
	}
	protobuf_c_message_pack(m, v.mv_data);
}

void
store_put_msg(struct store_txn *t, MDB_dbi dbi, const void *key,
    size_t keylen, const ProtobufCMessage *m)
{
	put_msg(t, dbi, key, keylen, m, 0);
}

void
store_append_msg(struct store_txn *t, MDB_dbi dbi, const void *key,
    size_t keylen, const ProtobufCMessage *m)
{
	/* LMDB refuses (MDB_KEYEXIST) a key that is not past the last. */
	put_msg(t, dbi, key, keylen, m, MDB_APPEND);
}

void *
store_get_msg(struct store_txn *t, MDB_dbi dbi, const void *key,
    size_t keylen, const ProtobufCMessageDescriptor *d)
{
	MDB_val v;
	void *m;

	if (store_get(t, dbi, key, keylen, &v) != STORE_OK)
		return NULL;
	if ((m = protobuf_c_message_unpack(d, NULL, v.mv_size,
	    v.mv_data)) == NULL)
		store_unreadable(t, dbi, key, keylen);
	return m;
}

/* A stored record that does not decode: named for the request that read
 * it ("complaints 5"); the transaction itself goes on. */
void
store_unreadable(struct store_txn *t, MDB_dbi dbi, const void *key,
    size_t keylen)
{
	const char *name = "?";

	for (int i = 0; i < DB__COUNT; i++)
		if (t->st->dbi[i] == dbi)
			name = db_names[i];
	const uint8_t *k = key;
	size_t at, i;
	bool text = keylen > 0;

	for (i = 0; i < keylen; i++)
		text = text && isprint(k[i]);
	t->unreadable++;
	if (keylen == 8 && !text) {
		snprintf(t->unreadable_what, sizeof(t->unreadable_what),
		    "%s %" PRIu64, name, store_u64_key(key));
		return;
	}
	at = (size_t)snprintf(t->unreadable_what, sizeof(t->unreadable_what),
	    "%s ", name);
	for (i = 0; i < keylen && at + 3 < sizeof(t->unreadable_what); i++)
		at += (size_t)snprintf(t->unreadable_what + at,
		    sizeof(t->unreadable_what) - at, text ? "%c" : "%02x", k[i]);
}

/* ---------- meta ---------- */

#define META_SCHEMA	"schema_version"

static uint64_t
meta_u64(struct store_txn *t, const char *name)
{
	MDB_val v;

	if (store_get(t, store_dbi(t, DB_META), name, strlen(name), &v) !=
	    STORE_OK || v.mv_size < 8)
		return 0;
	return store_u64_key(v.mv_data);
}

static void
meta_set_u64(struct store_txn *t, const char *name, uint64_t val)
{
	uint8_t b[8];

	store_key_u64(b, val);
	store_put(t, store_dbi(t, DB_META), name, strlen(name), b, 8);
}

int
store_init_schema(struct store_txn *t)
{
	meta_set_u64(t, META_SCHEMA, STORE_SCHEMA_VERSION);
	return t->err;
}

int
store_check_schema(struct store_txn *t, char *err, size_t errlen)
{
	uint64_t v = meta_u64(t, META_SCHEMA);

	if (v == 0) {
		snprintf(err, errlen, "not a deskd store (run deskd init)");
		return STORE_NOTFOUND;
	}
	if (v != STORE_SCHEMA_VERSION) {
		snprintf(err, errlen, "store schema %llu, this deskd reads %d",
		    (unsigned long long)v, STORE_SCHEMA_VERSION);
		return STORE_CORRUPT;
	}
	return STORE_OK;
}

static void
id_name(char name[32], int kind)
{
	snprintf(name, 32, "next_id:%d", kind);
}

/* A cached counter to meta, its slot freed. */
static void
ids_flush(struct store_txn *t, size_t i)
{
	char name[32];

	if (t->ids[i].kind == 0)
		return;
	id_name(name, t->ids[i].kind);
	meta_set_u64(t, name, t->ids[i].last);
	t->ids[i].kind = 0;
}

/*
 * Ids come from a counter per kind in meta, kept in the transaction once
 * read (an import takes one a row) and written back at commit, or when
 * its slot is wanted for another kind.
 */
uint64_t
store_next_id(struct store_txn *t, enum record_kind kind)
{
	size_t i, n = sizeof(t->ids) / sizeof(t->ids[0]);
	char name[32];

	for (i = 0; i < n; i++)
		if (t->ids[i].kind == (int)kind)
			return ++t->ids[i].last;
	for (i = 0; i < n && t->ids[i].kind != 0; i++)
		;
	if (i == n)
		ids_flush(t, i = 0);
	id_name(name, (int)kind);
	t->ids[i].kind = (int)kind;
	t->ids[i].last = meta_u64(t, name) + 1;
	return t->ids[i].last;
}

uint64_t
store_last_id(struct store_txn *t, enum record_kind kind)
{
	char name[32];

	for (size_t i = 0; i < sizeof(t->ids) / sizeof(t->ids[0]); i++)
		if (t->ids[i].kind == (int)kind)
			return t->ids[i].last;
	id_name(name, (int)kind);
	return meta_u64(t, name);
}

uint64_t
store_last_seq(struct store_txn *t)
{
	return t->tail_known ? t->last_seq : meta_u64(t, META_LAST_SEQ);
}

void
store_set_last_seq(struct store_txn *t, uint64_t seq)
{
	/* Written to meta once, at commit. */
	t->last_seq = seq;
	t->tail_known = t->tail_dirty = true;
}
