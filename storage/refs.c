/*
 * refs.c - external keys of imported records (issue 6, H3 H4): a unique
 * index (kind, ref) -> id, and its inverse (kind, id) -> ref so an export
 * can give each record the ref it came with.  A record with no ref is
 * named NODE:KIND:ID, NODE being this store's own name, made once.  And
 * the walks an export pages with: by id, or by position in key order for
 * the databases not keyed by id.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/rand.h>

#include "store.h"

#define NODE_KEY	"node"

static size_t
ref_key(uint8_t *key, enum record_kind kind, const char *ref)
{
	size_t n = strnlen(ref, STORE_REF_MAX);

	key[0] = (uint8_t)kind;
	memcpy(key + 1, ref, n);
	return 1 + n;
}

static void
id_key(uint8_t key[9], enum record_kind kind, uint64_t id)
{
	key[0] = (uint8_t)kind;
	store_key_u64(key + 1, id);
}

uint64_t
ref_lookup(struct store_txn *t, enum record_kind kind, const char *ref)
{
	uint8_t key[1 + STORE_REF_MAX];
	size_t len = ref_key(key, kind, ref);
	MDB_val v;

	if (store_get(t, store_dbi(t, DB_REFS), key, len, &v) != STORE_OK ||
	    v.mv_size != 8)
		return 0;
	return store_u64_key(v.mv_data);
}

void
ref_put(struct store_txn *t, enum record_kind kind, const char *ref,
    uint64_t id)
{
	uint8_t key[1 + STORE_REF_MAX], ik[9], val[8];
	size_t len = ref_key(key, kind, ref);

	store_key_u64(val, id);
	store_put(t, store_dbi(t, DB_REFS), key, len, val, 8);
	id_key(ik, kind, id);
	store_put(t, store_dbi(t, DB_REF_OF), ik, 9, ref, len - 1);
}

size_t
ref_of(struct store_txn *t, enum record_kind kind, uint64_t id, char *out,
    size_t outlen)
{
	uint8_t ik[9];
	MDB_val v;

	id_key(ik, kind, id);
	if (store_get(t, store_dbi(t, DB_REF_OF), ik, 9, &v) != STORE_OK)
		return 0;
	return (size_t)snprintf(out, outlen, "%.*s", (int)v.mv_size,
	    (const char *)v.mv_data);
}

const char *
store_node(struct store_txn *t, char out[STORE_NODE_LEN + 1])
{
	static const char hex[] = "0123456789abcdef";
	uint8_t b[STORE_NODE_LEN / 2];
	MDB_val v;

	if (store_get(t, store_dbi(t, DB_META), NODE_KEY, strlen(NODE_KEY),
	    &v) == STORE_OK && v.mv_size == STORE_NODE_LEN) {
		memcpy(out, v.mv_data, STORE_NODE_LEN);
		out[STORE_NODE_LEN] = '\0';
		return out;
	}
	/* Random, so that two offices' exports never name the same record;
	 * the name is only a label, not a secret. */
	if (RAND_bytes(b, sizeof(b)) != 1)
		memset(b, 0, sizeof(b));
	for (size_t i = 0; i < sizeof(b); i++) {
		out[2 * i] = hex[b[i] >> 4];
		out[2 * i + 1] = hex[b[i] & 15];
	}
	out[STORE_NODE_LEN] = '\0';
	store_put(t, store_dbi(t, DB_META), NODE_KEY, strlen(NODE_KEY), out,
	    STORE_NODE_LEN);
	return out;
}

int
store_scan_ids(struct store_txn *t, enum store_db db, int prefix,
    uint64_t from_id, uint64_t to_id,
    bool (*each)(uint64_t, const MDB_val *, void *), void *arg)
{
	uint8_t key[9];
	size_t off = prefix >= 0 ? 1 : 0;
	MDB_cursor *c;
	MDB_val k, v;
	int rc;

	if (t->err != STORE_OK)
		return t->err;
	if ((rc = mdb_cursor_open(t->txn, store_dbi(t, db), &c)) != 0) {
		store_fail(t, rc);
		return t->err;
	}
	if (prefix >= 0)
		key[0] = (uint8_t)prefix;
	store_key_u64(key + off, from_id);
	k.mv_size = off + 8;
	k.mv_data = key;
	for (rc = mdb_cursor_get(c, &k, &v, MDB_SET_RANGE); rc == 0;
	    rc = mdb_cursor_get(c, &k, &v, MDB_NEXT)) {
		uint64_t id;

		if (k.mv_size != off + 8 || (prefix >= 0 &&
		    ((const uint8_t *)k.mv_data)[0] != (uint8_t)prefix))
			break;
		id = store_u64_key((const uint8_t *)k.mv_data + off);
		if ((to_id != 0 && id >= to_id) || !each(id, &v, arg))
			break;
	}
	mdb_cursor_close(c);
	return STORE_OK;
}

int
store_scan_nth(struct store_txn *t, enum store_db db, const void *end,
    size_t endlen, uint64_t from, uint64_t to,
    bool (*each)(uint64_t, const MDB_val *, void *), void *arg,
    uint64_t *count)
{
	MDB_cursor *c;
	MDB_stat st;
	MDB_val k, v;
	uint64_t n = 0, after = 0;
	int rc;

	*count = 0;
	if (t->err != STORE_OK)
		return t->err;
	if ((rc = mdb_stat(t->txn, store_dbi(t, db), &st)) != 0 ||
	    (rc = mdb_cursor_open(t->txn, store_dbi(t, db), &c)) != 0) {
		store_fail(t, rc);
		return t->err;
	}
	/* The count without a walk: every entry but those from `end` on
	 * (attendance: one submitted mark a month). */
	if (end != NULL) {
		k.mv_size = endlen;
		k.mv_data = (void *)end;
		for (rc = mdb_cursor_get(c, &k, &v, MDB_SET_RANGE); rc == 0;
		    rc = mdb_cursor_get(c, &k, &v, MDB_NEXT))
			after++;
	}
	*count = st.ms_entries - after;
	/* No index of positions: the page walks the keys before `from`,
	 * O(from) a page.  A key is a few tens of bytes on pages LMDB has
	 * mapped, so even the last page of 100,000 rows is a few ms. */
	for (rc = mdb_cursor_get(c, &k, &v, MDB_FIRST); rc == 0 &&
	    ++n <= *count && (to == 0 || n < to);
	    rc = mdb_cursor_get(c, &k, &v, MDB_NEXT))
		if (n >= from && !each(n, &v, arg))
			break;
	mdb_cursor_close(c);
	return STORE_OK;
}
