/*
 * tallies.c - counts of records by day and by what they are (issue 15,
 * C8): kind (1) + day (u32 BE, YYYYMMDD) + dimension + NUL + value ->
 * count (u64 BE).  Kept by the kinds that tally in the transaction that
 * writes the record (kind.c), so a month's report reads a few thousand
 * counts instead of the month's records.  Storage only adds and walks.
 */
#include <stdio.h>
#include <string.h>

#include "store.h"

#define TALLY_KEY_MAX	(1 + 4 + STORE_TALLY_TEXT_MAX * 2 + 1)
_Static_assert(TALLY_KEY_MAX <= STORE_COUNT_KEY_MAX, "a tally key is a count");

static size_t
tally_key(uint8_t *key, enum record_kind kind, uint32_t day, const char *dim,
    const char *value)
{
	size_t dl = strnlen(dim, STORE_TALLY_TEXT_MAX);
	size_t vl = strnlen(value, STORE_TALLY_TEXT_MAX);

	key[0] = (uint8_t)kind;
	key[1] = (uint8_t)(day >> 24);
	key[2] = (uint8_t)(day >> 16);
	key[3] = (uint8_t)(day >> 8);
	key[4] = (uint8_t)day;
	memcpy(key + 5, dim, dl);
	key[5 + dl] = '\0';
	memcpy(key + 6 + dl, value, vl);
	return 6 + dl + vl;
}

void
tally_add(struct store_txn *t, enum record_kind kind, uint32_t day,
    const char *dim, const char *value, int64_t delta)
{
	uint8_t key[TALLY_KEY_MAX];
	size_t len = tally_key(key, kind, day, dim, value);

	store_count_add(t, store_dbi(t, DB_TALLIES), key, len, delta);
}

int
tally_walk(struct store_txn *t, enum record_kind kind, uint32_t from_day,
    uint32_t to_day, void (*each)(uint32_t day, const char *dim,
    const char *value, uint64_t n, void *), void *arg)
{
	uint8_t key[TALLY_KEY_MAX];
	char dim[STORE_TALLY_TEXT_MAX + 1], value[STORE_TALLY_TEXT_MAX + 1];
	MDB_cursor *c;
	MDB_val k, v;
	int rc;

	store_counts_flush(t);
	if (t->err != STORE_OK)
		return t->err;
	if ((rc = mdb_cursor_open(t->txn, store_dbi(t, DB_TALLIES), &c)) != 0) {
		store_fail(t, rc);
		return t->err;
	}
	/* From the kind and the first day (5 bytes): a shorter prefix would
	 * start among earlier days sharing its first bytes. */
	k.mv_size = tally_key(key, kind, from_day, "", "") - 1;
	k.mv_data = key;
	for (rc = mdb_cursor_get(c, &k, &v, MDB_SET_RANGE); rc == 0;
	    rc = mdb_cursor_get(c, &k, &v, MDB_NEXT)) {
		const uint8_t *p = k.mv_data;
		const uint8_t *nul;
		uint32_t day;
		size_t dl, vl;

		if (k.mv_size < 6 || p[0] != (uint8_t)kind)
			break;
		day = (uint32_t)p[1] << 24 | (uint32_t)p[2] << 16 |
		    (uint32_t)p[3] << 8 | p[4];
		if (day > to_day)
			break;
		if (day < from_day)
			continue;
		if ((nul = memchr(p + 5, '\0', k.mv_size - 5)) == NULL ||
		    v.mv_size != 8)
			continue;
		dl = (size_t)(nul - (p + 5));
		vl = k.mv_size - 6 - dl;
		if (dl > STORE_TALLY_TEXT_MAX || vl > STORE_TALLY_TEXT_MAX)
			continue;
		memcpy(dim, p + 5, dl);
		dim[dl] = '\0';
		memcpy(value, nul + 1, vl);
		value[vl] = '\0';
		each(day, dim, value, store_u64_key(v.mv_data), arg);
	}
	if (rc != 0 && rc != MDB_NOTFOUND)
		store_fail(t, rc);
	mdb_cursor_close(c);
	return t->err;
}

void
tally_clear(struct store_txn *t, enum record_kind kind)
{
	MDB_cursor *c;
	MDB_val k, v;
	uint8_t key = (uint8_t)kind;
	int rc;

	store_counts_flush(t);
	if (t->err != STORE_OK)
		return;
	if ((rc = mdb_cursor_open(t->txn, store_dbi(t, DB_TALLIES), &c)) != 0) {
		store_fail(t, rc);
		return;
	}
	/* From the kind's first key again after each delete: k points into
	 * the page the delete changed. */
	for (;;) {
		k.mv_size = 1;
		k.mv_data = &key;
		if ((rc = mdb_cursor_get(c, &k, &v, MDB_SET_RANGE)) != 0 ||
		    ((const uint8_t *)k.mv_data)[0] != key ||
		    (rc = mdb_cursor_del(c, 0)) != 0)
			break;
	}
	if (rc != 0 && rc != MDB_NOTFOUND)
		store_fail(t, rc);
	mdb_cursor_close(c);
}

/* Which way of counting the kind's tallies were made by: meta
 * "tally:KIND" (0: never counted). */
uint64_t
tally_version(struct store_txn *t, enum record_kind kind)
{
	char name[16];
	MDB_val v;

	snprintf(name, sizeof(name), "tally:%u", (unsigned)kind);
	if (store_get(t, store_dbi(t, DB_META), name, strlen(name), &v) !=
	    STORE_OK || v.mv_size != 8)
		return 0;
	return store_u64_key(v.mv_data);
}

void
tally_set_version(struct store_txn *t, enum record_kind kind, uint64_t version)
{
	char name[16];
	uint8_t b[8];

	snprintf(name, sizeof(name), "tally:%u", (unsigned)kind);
	store_key_u64(b, version);
	store_put(t, store_dbi(t, DB_META), name, strlen(name), b, 8);
}
