/*
 * clocks.c - deadline clocks and alerts in LMDB.
 *
 * A clock's key is (record kind u8, record id u64 BE, clock name): one clock
 * of a name per record.  The due index `clocks` is keyed by next_ms (u64 BE)
 * followed by that key, so the earliest clock is the first row: arming,
 * cancelling and finding the next due clock are B-tree operations, O(log n),
 * and nothing is ever scanned.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store.h"

#define CLOCK_NAME_MAX	64
#define CLOCK_KEY_MAX	(1 + 8 + CLOCK_NAME_MAX)

static size_t
clock_key(uint8_t *key, enum record_kind kind, uint64_t id, const char *name)
{
	size_t n = strnlen(name, CLOCK_NAME_MAX);

	key[0] = (uint8_t)kind;
	store_key_u64(key + 1, id);
	memcpy(key + 9, name, n);
	return 9 + n;
}

static size_t
due_key(uint8_t *key, const Deskd__Clock *c)
{
	store_key_u64(key, (uint64_t)c->next_ms);
	return 8 + clock_key(key + 8, (enum record_kind)c->record_kind,
	    c->record_id, c->name);
}

Deskd__Clock *
clock_get(struct store_txn *t, enum record_kind kind, uint64_t id,
    const char *name)
{
	uint8_t key[CLOCK_KEY_MAX];
	size_t len = clock_key(key, kind, id, name);

	return store_get_msg(t, store_dbi(t, DB_CLOCK_STATE), key, len,
	    &deskd__clock__descriptor);
}

void
clock_put(struct store_txn *t, const Deskd__Clock *old, const Deskd__Clock *c)
{
	uint8_t key[8 + CLOCK_KEY_MAX];
	size_t len;

	if (old != NULL && old->next_ms != 0) {
		len = due_key(key, old);
		store_del(t, store_dbi(t, DB_CLOCKS), key, len);
	}
	len = clock_key(key, (enum record_kind)c->record_kind, c->record_id,
	    c->name);
	store_put_msg(t, store_dbi(t, DB_CLOCK_STATE), key, len, &c->base);
	if (c->next_ms != 0) {
		len = due_key(key, c);
		store_put(t, store_dbi(t, DB_CLOCKS), key, len, "", 0);
	}
}

void
clock_del(struct store_txn *t, const Deskd__Clock *c)
{
	uint8_t key[8 + CLOCK_KEY_MAX];
	size_t len;

	if (c->next_ms != 0) {
		len = due_key(key, c);
		store_del(t, store_dbi(t, DB_CLOCKS), key, len);
	}
	len = clock_key(key, (enum record_kind)c->record_kind, c->record_id,
	    c->name);
	store_del(t, store_dbi(t, DB_CLOCK_STATE), key, len);
}

/* The first row of the due index, or STORE_NOTFOUND. */
static int
first_due_key(struct store_txn *t, MDB_val *k)
{
	MDB_cursor *c;
	MDB_val v;
	int rc;

	if (t->err != STORE_OK)
		return t->err;
	if ((rc = mdb_cursor_open(t->txn, store_dbi(t, DB_CLOCKS), &c)) != 0) {
		store_fail(t, rc);
		return t->err;
	}
	rc = mdb_cursor_get(c, k, &v, MDB_FIRST);
	mdb_cursor_close(c);
	if (rc == MDB_NOTFOUND)
		return STORE_NOTFOUND;
	if (rc != 0) {
		store_fail(t, rc);
		return t->err;
	}
	return k->mv_size > 17 ? STORE_OK : STORE_CORRUPT;
}

int
clock_first_due(struct store_txn *t, int64_t *next_ms)
{
	MDB_val k;
	int rc;

	if ((rc = first_due_key(t, &k)) != STORE_OK)
		return rc;
	*next_ms = (int64_t)store_u64_key(k.mv_data);
	return STORE_OK;
}

Deskd__Clock *
clock_due(struct store_txn *t, int64_t now_ms)
{
	Deskd__Clock *c;
	MDB_val k, v;
	const uint8_t *p;

	if (first_due_key(t, &k) != STORE_OK)
		return NULL;
	p = k.mv_data;
	if ((int64_t)store_u64_key(p) > now_ms)
		return NULL;
	/* The state row sits under the rest of the due key. */
	if (store_get(t, store_dbi(t, DB_CLOCK_STATE), p + 8, k.mv_size - 8,
	    &v) != STORE_OK) {
		if (t->err == STORE_OK)
			t->err = STORE_CORRUPT;
		return NULL;
	}
	c = deskd__clock__unpack(NULL, v.mv_size, v.mv_data);
	if (c == NULL && t->err == STORE_OK)
		t->err = STORE_CORRUPT;
	return c;
}

Deskd__Alert *
alert_get(struct store_txn *t, uint64_t id)
{
	return store_get_record(t, DB_ALERTS, id, &deskd__alert__descriptor);
}

void
alert_put(struct store_txn *t, const Deskd__Alert *a)
{
	/* "Open" is what needs someone: neither taken nor done. */
	store_put_record(t, DB_ALERTS, DB_ALERTS_OPEN, a->id, &a->base,
	    a->state == DESKD__ALERT_STATE__ALERT_OPEN);
}

int
alert_list(struct store_txn *t, bool open_only, uint64_t after_id,
    size_t limit, Deskd__Alert ***out, size_t *n, bool *more)
{
	return store_page(t, DB_ALERTS, DB_ALERTS_OPEN, open_only, after_id,
	    limit, &deskd__alert__descriptor, (void ***)out, n, more);
}

static bool
same_record(const MDB_val *k, const void *prefix)
{
	return k->mv_size > 9 && memcmp(k->mv_data, prefix, 9) == 0;
}

int
clock_list_record(struct store_txn *t, enum record_kind kind, uint64_t id,
    Deskd__Clock ***out, size_t *n)
{
	uint8_t key[CLOCK_KEY_MAX];

	clock_key(key, kind, id, "");
	return store_range(t, DB_CLOCK_STATE, key, 9, same_record, key,
	    &deskd__clock__descriptor, (void ***)out, n);
}

/* Is clock c in the due index at its next_ms? */
static bool
due_row(struct store_txn *t, const Deskd__Clock *c)
{
	uint8_t key[8 + CLOCK_KEY_MAX];
	MDB_val k = { 0, key }, v;

	k.mv_size = due_key(key, c);
	return mdb_get(t->txn, store_dbi(t, DB_CLOCKS), &k, &v) == 0;
}

/*
 * verify (C9): every clock's state decodes under its key and is in the due
 * index exactly at its next_ms, and every due row names such a state.
 */
int
clock_verify(struct store_txn *t, char *err, size_t errlen)
{
	uint8_t key[CLOCK_KEY_MAX];
	MDB_cursor *c;
	MDB_val k, v;
	size_t due = 0, len;
	MDB_stat st;
	int rc, ret = STORE_OK;

	if ((rc = mdb_cursor_open(t->txn, store_dbi(t, DB_CLOCK_STATE),
	    &c)) != 0) {
		snprintf(err, errlen, "clocks: %s", mdb_strerror(rc));
		return STORE_IO;
	}
	for (rc = mdb_cursor_get(c, &k, &v, MDB_FIRST); rc == 0 &&
	    ret == STORE_OK; rc = mdb_cursor_get(c, &k, &v, MDB_NEXT)) {
		Deskd__Clock *cl = deskd__clock__unpack(NULL, v.mv_size,
		    v.mv_data);

		ret = STORE_CORRUPT;
		if (cl == NULL || k.mv_size < 9 || (len = clock_key(key,
		    (enum record_kind)cl->record_kind, cl->record_id,
		    cl->name)) != k.mv_size || memcmp(key, k.mv_data, len) != 0)
			snprintf(err, errlen, "clock %s of %s %llu: does not "
			    "decode under its key", cl ? cl->name : "?",
			    record_kind_name(k.mv_size ? *(uint8_t *)k.mv_data :
			    0), k.mv_size >= 9 ? (unsigned long long)
			    store_u64_key((uint8_t *)k.mv_data + 1) : 0ULL);
		else if (cl->next_ms != 0 && !due_row(t, cl))
			snprintf(err, errlen, "clock %s of %s %llu: not in the "
			    "due index at its time", cl->name,
			    record_kind_name((enum record_kind)cl->record_kind),
			    (unsigned long long)cl->record_id);
		else {
			due += cl->next_ms != 0;
			ret = STORE_OK;
		}
		if (cl)
			deskd__clock__free_unpacked(cl, NULL);
	}
	mdb_cursor_close(c);
	if (ret == STORE_OK && (mdb_stat(t->txn, store_dbi(t, DB_CLOCKS),
	    &st) != 0 || st.ms_entries != due)) {
		snprintf(err, errlen, "clocks: the due index has %zu rows for "
		    "%zu clocks due", (size_t)st.ms_entries, due);
		ret = STORE_CORRUPT;
	}
	return ret;
}
