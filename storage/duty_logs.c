/*
 * duty_logs.c - the duty log in LMDB (issue 4: B3, B7-B9).  Entries are keyed
 * by day (u32 BE) then id (u64 BE), so a day's or a month's log is one range
 * scan; seals and spot-check draws are keyed by name ("day:20261203").
 */
#include <stdlib.h>
#include <string.h>

#include "store.h"

static void
entry_key(uint8_t key[12], uint32_t day, uint64_t id)
{
	key[0] = (uint8_t)(day >> 24);
	key[1] = (uint8_t)(day >> 16);
	key[2] = (uint8_t)(day >> 8);
	key[3] = (uint8_t)day;
	store_key_u64(key + 4, id);
}

void
dutylog_put(struct store_txn *t, const Deskd__DutyLogEntry *e)
{
	uint8_t key[12];

	entry_key(key, e->day, e->id);
	store_put_msg(t, store_dbi(t, DB_DUTY_LOG), key, sizeof(key), &e->base);
}

int
dutylog_range(struct store_txn *t, uint32_t from_day, uint32_t to_day,
    Deskd__DutyLogEntry ***out, size_t *n)
{
	uint8_t key[12], end[12];
	Deskd__DutyLogEntry **v = NULL, *e;
	MDB_cursor *c;
	MDB_val k, d;
	size_t cap = 0, count = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if (t->err != STORE_OK)
		return t->err;
	if ((rc = mdb_cursor_open(t->txn, store_dbi(t, DB_DUTY_LOG), &c)) != 0) {
		store_fail(t, rc);
		return t->err;
	}
	entry_key(key, from_day, 0);
	entry_key(end, to_day, UINT64_MAX);
	k.mv_size = sizeof(key);
	k.mv_data = key;
	for (rc = mdb_cursor_get(c, &k, &d, MDB_SET_RANGE); rc == 0;
	    rc = mdb_cursor_get(c, &k, &d, MDB_NEXT)) {
		if (k.mv_size != sizeof(end) || memcmp(k.mv_data, end,
		    sizeof(end)) > 0)
			break;
		if (count == cap) {
			Deskd__DutyLogEntry **grown;

			cap = cap ? cap * 2 : 16;
			if ((grown = realloc(v, cap * sizeof(*v))) == NULL)
				goto fail;
			v = grown;
		}
		e = deskd__duty_log_entry__unpack(NULL, d.mv_size, d.mv_data);
		if (e == NULL) {
			t->err = STORE_CORRUPT;
			goto fail;
		}
		v[count++] = e;
	}
	mdb_cursor_close(c);
	*out = v;
	*n = count;
	return STORE_OK;
fail:
	mdb_cursor_close(c);
	while (count > 0)
		deskd__duty_log_entry__free_unpacked(v[--count], NULL);
	free(v);
	return t->err != STORE_OK ? t->err : STORE_IO;
}

void *
dutylog_seal_get(struct store_txn *t, const char *name,
    const ProtobufCMessageDescriptor *d)
{
	return store_get_msg(t, store_dbi(t, DB_DUTY_SEALS), name, strlen(name),
	    d);
}

void
dutylog_seal_put(struct store_txn *t, const char *name,
    const ProtobufCMessage *m)
{
	store_put_msg(t, store_dbi(t, DB_DUTY_SEALS), name, strlen(name), m);
}
