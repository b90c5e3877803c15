/*
 * registers.c - the front-desk registers (E1-E5, E7): every register's
 * entries in one database keyed by kind (1 byte) and id (u64 BE), so one
 * kind's entries are one contiguous, id-ordered range, and an open index
 * with the same keys for the entries still open (a visitor inside, a pass
 * not yet used).  Written only inside the transaction that appends the
 * event describing the change.
 */
#include <stdlib.h>
#include <string.h>

#include "store.h"

#define REG_KEY	9

static void
reg_key(uint8_t key[REG_KEY], enum record_kind kind, uint64_t id)
{
	key[0] = (uint8_t)kind;
	store_key_u64(key + 1, id);
}

void *
register_get(struct store_txn *t, enum record_kind kind, uint64_t id,
    const ProtobufCMessageDescriptor *d)
{
	uint8_t key[REG_KEY];

	reg_key(key, kind, id);
	return store_get_msg(t, store_dbi(t, DB_REGISTERS), key, REG_KEY, d);
}

void
register_put(struct store_txn *t, enum record_kind kind, uint64_t id,
    const ProtobufCMessage *m, bool open)
{
	uint8_t key[REG_KEY];

	reg_key(key, kind, id);
	store_put_msg(t, store_dbi(t, DB_REGISTERS), key, REG_KEY, m);
	if (open)
		store_put(t, store_dbi(t, DB_REGISTERS_OPEN), key, REG_KEY, "",
		    0);
	else
		store_del(t, store_dbi(t, DB_REGISTERS_OPEN), key, REG_KEY);
}

int
register_page(struct store_txn *t, enum record_kind kind, bool open_only,
    uint64_t after_id, size_t limit, const ProtobufCMessageDescriptor *d,
    bool (*keep)(const ProtobufCMessage *, const void *), const void *arg,
    void ***out, size_t *n, bool *more)
{
	void **list = NULL;
	MDB_cursor *c;
	MDB_val k, v;
	uint8_t key[REG_KEY];
	size_t count = 0, cap = 0;
	int rc;

	*out = NULL;
	*n = 0;
	*more = false;
	if (t->err != STORE_OK)
		return t->err;
	if ((rc = mdb_cursor_open(t->txn, store_dbi(t, open_only ?
	    DB_REGISTERS_OPEN : DB_REGISTERS), &c)) != 0) {
		store_fail(t, rc);
		return t->err;
	}
	reg_key(key, kind, after_id + 1);
	k.mv_size = REG_KEY;
	k.mv_data = key;
	for (rc = after_id == UINT64_MAX ? MDB_NOTFOUND :
	    mdb_cursor_get(c, &k, &v, MDB_SET_RANGE); rc == 0;
	    rc = mdb_cursor_get(c, &k, &v, MDB_NEXT)) {
		ProtobufCMessage *m;

		if (k.mv_size != REG_KEY ||
		    ((const uint8_t *)k.mv_data)[0] != (uint8_t)kind)
			break;
		/* The open index holds keys only; the entry comes from the
		 * register itself. */
		m = open_only ? store_get_msg(t, store_dbi(t, DB_REGISTERS),
		    k.mv_data, REG_KEY, d) : protobuf_c_message_unpack(d, NULL,
		    v.mv_size, v.mv_data);
		if (m == NULL)
			continue;
		if (keep != NULL && !keep(m, arg)) {
			protobuf_c_message_free_unpacked(m, NULL);
			continue;
		}
		if (count == limit) {
			protobuf_c_message_free_unpacked(m, NULL);
			*more = true;
			break;
		}
		/* Grown as it fills: reg_all asks for "everything". */
		if (count == cap) {
			void **grown;

			cap = cap ? cap * 2 : 16;
			if ((grown = realloc(list, cap * sizeof(*list))) ==
			    NULL) {
				protobuf_c_message_free_unpacked(m, NULL);
				break;
			}
			list = grown;
		}
		list[count++] = m;
	}
	mdb_cursor_close(c);
	*out = list;
	*n = count;
	return STORE_OK;
}
