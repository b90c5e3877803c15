/*
 * schedules.c - shift schedules (A2, A5): each month's draft (version 0)
 * and every published version, kept (A5: superseded, never overwritten).
 * Written only inside the transaction that appends the event.
 */
#include <stdlib.h>
#include <string.h>

#include "store.h"

static void
schedule_key(uint8_t key[8], uint32_t month, uint32_t version)
{
	store_key_u64(key, (uint64_t)month << 32 | version);
}

Deskd__Schedule *
schedule_get(struct store_txn *t, uint32_t month, uint32_t version)
{
	uint8_t key[8];

	schedule_key(key, month, version);
	return store_get_msg(t, store_dbi(t, DB_SCHEDULES), key, 8,
	    &deskd__schedule__descriptor);
}

void
schedule_put(struct store_txn *t, const Deskd__Schedule *s)
{
	uint8_t key[8];

	schedule_key(key, s->month, s->version);
	store_put_msg(t, store_dbi(t, DB_SCHEDULES), key, 8, &s->base);
}

void
schedule_del(struct store_txn *t, uint32_t month, uint32_t version)
{
	uint8_t key[8];

	schedule_key(key, month, version);
	store_del(t, store_dbi(t, DB_SCHEDULES), key, 8);
}

uint32_t
schedule_latest(struct store_txn *t, uint32_t month)
{
	MDB_cursor *c;
	MDB_val k, v;
	uint8_t key[8];
	uint32_t version = 0;
	int rc;

	if (t->err != STORE_OK)
		return 0;
	if ((rc = mdb_cursor_open(t->txn, store_dbi(t, DB_SCHEDULES),
	    &c)) != 0) {
		store_fail(t, rc);
		return 0;
	}
	/* The first key of the next month, then one back. */
	schedule_key(key, month + 1, 0);
	k.mv_size = 8;
	k.mv_data = key;
	rc = mdb_cursor_get(c, &k, &v, MDB_SET_RANGE);
	rc = mdb_cursor_get(c, &k, &v, rc == 0 ? MDB_PREV : MDB_LAST);
	if (rc == 0 && k.mv_size == 8 &&
	    store_u64_key(k.mv_data) >> 32 == month)
		version = (uint32_t)store_u64_key(k.mv_data);
	mdb_cursor_close(c);
	return version;
}

int
schedule_versions(struct store_txn *t, uint32_t month, Deskd__Schedule ***out,
    size_t *n)
{
	Deskd__Schedule **list = NULL, **grown, *s;
	MDB_cursor *c;
	MDB_val k, v;
	uint8_t key[8];
	int rc;

	*out = NULL;
	*n = 0;
	if (t->err != STORE_OK)
		return t->err;
	if ((rc = mdb_cursor_open(t->txn, store_dbi(t, DB_SCHEDULES),
	    &c)) != 0) {
		store_fail(t, rc);
		return t->err;
	}
	schedule_key(key, month, 0);
	k.mv_size = 8;
	k.mv_data = key;
	for (rc = mdb_cursor_get(c, &k, &v, MDB_SET_RANGE); rc == 0 &&
	    k.mv_size == 8 && store_u64_key(k.mv_data) >> 32 == month;
	    rc = mdb_cursor_get(c, &k, &v, MDB_NEXT)) {
		if ((s = deskd__schedule__unpack(NULL, v.mv_size,
		    v.mv_data)) == NULL)
			continue;
		if ((grown = realloc(list, (*n + 1) * sizeof(*grown))) ==
		    NULL) {
			deskd__schedule__free_unpacked(s, NULL);
			break;
		}
		list = grown;
		list[(*n)++] = s;
	}
	mdb_cursor_close(c);
	*out = list;
	return STORE_OK;
}
