/*
 * records.c - current state of complaints, users and sessions, and the
 * indexes their lists need.  Written only inside the transaction that
 * appends the event describing the change.
 */
#include <stdlib.h>
#include <string.h>

#include "store.h"

void *
store_get_record(struct store_txn *t, enum store_db all, uint64_t id,
    const ProtobufCMessageDescriptor *d)
{
	uint8_t key[8];

	store_key_u64(key, id);
	return store_get_msg(t, store_dbi(t, all), key, 8, d);
}

/* fresh: just numbered, so past every stored id and in no index yet. */
static void
put_record(struct store_txn *t, enum store_db all, enum store_db open,
    uint64_t id, const ProtobufCMessage *m, bool is_open, bool fresh)
{
	MDB_dbi index;
	uint8_t key[8];

	store_key_u64(key, id);
	store_put_record_msg(t, store_dbi(t, all), key, 8, m, fresh);
	if (open == DB__COUNT)
		return;		/* a kind with no open index */
	index = store_dbi(t, open);
	if (is_open)
		(fresh ? store_append : store_put)(t, index, key, 8, "", 0);
	else if (!fresh)
		store_del(t, index, key, 8);
}

void
store_put_record(struct store_txn *t, enum store_db all, enum store_db open,
    uint64_t id, const ProtobufCMessage *m, bool is_open)
{
	put_record(t, all, open, id, m, is_open, false);
}

void
store_add_record(struct store_txn *t, enum store_db all, enum store_db open,
    uint64_t id, const ProtobufCMessage *m, bool is_open)
{
	put_record(t, all, open, id, m, is_open, true);
}

Deskd__Complaint *
complaint_get(struct store_txn *t, uint64_t id)
{
	return store_get_record(t, DB_COMPLAINTS, id,
	    &deskd__complaint__descriptor);
}

int
store_page(struct store_txn *t, enum store_db all, enum store_db open,
    bool open_only, uint64_t after_id, size_t limit,
    const ProtobufCMessageDescriptor *d, void ***out, size_t *n, bool *more)
{
	void **list;
	MDB_cursor *c;
	MDB_val k, v;
	uint8_t key[8];
	size_t count = 0;
	int rc;

	*out = NULL;
	*n = 0;
	*more = false;
	if (t->err != STORE_OK)
		return t->err;
	if ((list = calloc(limit ? limit : 1, sizeof(*list))) == NULL)
		return STORE_IO;
	/* The open index holds ids only; the record comes from `all`. */
	if ((rc = mdb_cursor_open(t->txn, store_dbi(t, open_only ? open : all),
	    &c)) != 0) {
		free(list);
		store_fail(t, rc);
		return t->err;
	}
	store_key_u64(key, after_id + 1);
	k.mv_size = 8;
	k.mv_data = key;
	for (rc = mdb_cursor_get(c, &k, &v, MDB_SET_RANGE); rc == 0;
	    rc = mdb_cursor_get(c, &k, &v, MDB_NEXT)) {
		void *m;

		if (count == limit) {
			*more = true;
			break;
		}
		m = open_only ? store_get_msg(t, store_dbi(t, all), k.mv_data,
		    8, d) : protobuf_c_message_unpack(d, NULL, v.mv_size,
		    v.mv_data);
		if (m != NULL)
			list[count++] = m;
	}
	mdb_cursor_close(c);
	if (count == 0)
		free(list);
	else
		*out = list;
	*n = count;
	return STORE_OK;
}

Deskd__User *
user_get(struct store_txn *t, const char *name)
{
	return store_get_msg(t, store_dbi(t, DB_USERS), name, strlen(name),
	    &deskd__user__descriptor);
}

void
user_put(struct store_txn *t, const Deskd__User *u)
{
	store_put_msg(t, store_dbi(t, DB_USERS), u->name, strlen(u->name),
	    &u->base);
}

int
store_all(struct store_txn *t, enum store_db db,
    const ProtobufCMessageDescriptor *d, void ***out, size_t *n)
{
	return store_range(t, db, NULL, 0, NULL, NULL, d, out, n);
}

int
store_range(struct store_txn *t, enum store_db db, const void *from,
    size_t fromlen, bool (*keep)(const MDB_val *, const void *),
    const void *arg, const ProtobufCMessageDescriptor *d, void ***out,
    size_t *n)
{
	void **list = NULL;
	MDB_cursor *c;
	MDB_val k, v;
	size_t count = 0, cap = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if (t->err != STORE_OK)
		return t->err;
	if ((rc = mdb_cursor_open(t->txn, store_dbi(t, db), &c)) != 0) {
		store_fail(t, rc);
		return t->err;
	}
	k.mv_size = fromlen;
	k.mv_data = (void *)from;
	for (rc = mdb_cursor_get(c, &k, &v, from ? MDB_SET_RANGE : MDB_FIRST);
	    rc == 0 && (keep == NULL || keep(&k, arg));
	    rc = mdb_cursor_get(c, &k, &v, MDB_NEXT)) {
		void *m;

		if (count == cap) {
			void **grown;

			cap = cap ? cap * 2 : 16;
			if ((grown = realloc(list, cap * sizeof(*list))) ==
			    NULL)
				break;
			list = grown;
		}
		if ((m = protobuf_c_message_unpack(d, NULL, v.mv_size,
		    v.mv_data)))
			list[count++] = m;
	}
	mdb_cursor_close(c);
	*out = list;
	*n = count;
	return STORE_OK;
}

int
user_list(struct store_txn *t, Deskd__User ***out, size_t *n)
{
	return store_all(t, DB_USERS, &deskd__user__descriptor, (void ***)out,
	    n);
}

Deskd__Session *
session_get(struct store_txn *t, const uint8_t hash[32])
{
	return store_get_msg(t, store_dbi(t, DB_SESSIONS), hash, 32,
	    &deskd__session__descriptor);
}

void
session_put(struct store_txn *t, const uint8_t hash[32],
    const Deskd__Session *s)
{
	store_put_msg(t, store_dbi(t, DB_SESSIONS), hash, 32, &s->base);
}

void
session_del(struct store_txn *t, const uint8_t hash[32])
{
	store_del(t, store_dbi(t, DB_SESSIONS), hash, 32);
}

void
session_purge(struct store_txn *t, const char *user, int64_t now_ms)
{
	MDB_cursor *c;
	MDB_val k, v;
	int rc;

	if (t->err != STORE_OK)
		return;
	if ((rc = mdb_cursor_open(t->txn, store_dbi(t, DB_SESSIONS), &c)) != 0) {
		store_fail(t, rc);
		return;
	}
	for (rc = mdb_cursor_get(c, &k, &v, MDB_FIRST); rc == 0;
	    rc = mdb_cursor_get(c, &k, &v, MDB_NEXT)) {
		Deskd__Session *s = deskd__session__unpack(NULL, v.mv_size,
		    v.mv_data);
		bool gone = s == NULL || s->expires_ms <= now_ms ||
		    (user != NULL && strcmp(s->user, user) == 0);

		if (s != NULL)
			deskd__session__free_unpacked(s, NULL);
		if (gone && (rc = mdb_cursor_del(c, 0)) != 0) {
			store_fail(t, rc);
			break;
		}
	}
	mdb_cursor_close(c);
}
