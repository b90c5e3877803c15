/*
 * events.c - the append-only event log: gap-free seqs, a SHA-256 chain over
 * every event's bytes (tamper evidence), the per-record history index, and
 * `deskd verify`.
 *
 * Stored value of events[seq]: hash (32 bytes) || Event protobuf, where
 * hash = SHA-256(previous hash || Event protobuf) and the first event's
 * previous hash is 32 zero bytes.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "store.h"

/*
 * One digest context for the life of the process, SHA-256 fetched once:
 * OpenSSL 3 looks the algorithm up on every EVP_sha256() init, which a
 * bulk import (an event a row) pays for a million times.  Events are
 * appended on deskd's loop thread only (and by deskd verify, alone).
 */
static void
chain_hash(const uint8_t prev[STORE_HASH_LEN], const uint8_t *data,
    size_t len, uint8_t out[STORE_HASH_LEN])
{
	static EVP_MD *sha256;
	static EVP_MD_CTX *ctx;
	unsigned int n = 0;

	if (sha256 == NULL)
		sha256 = EVP_MD_fetch(NULL, "SHA256", NULL);
	if (ctx == NULL)
		ctx = EVP_MD_CTX_new();
	/* SHA-256 cannot fail on valid input; NULLs are out of memory.
	 * prev NULL: data begins with the previous hash already. */
	if (sha256 == NULL || ctx == NULL ||
	    EVP_DigestInit_ex2(ctx, sha256, NULL) != 1 ||
	    (prev != NULL &&
	    EVP_DigestUpdate(ctx, prev, STORE_HASH_LEN) != 1) ||
	    EVP_DigestUpdate(ctx, data, len) != 1 ||
	    EVP_DigestFinal_ex(ctx, out, &n) != 1)
		memset(out, 0, STORE_HASH_LEN);
}

/*
 * The one record message an event carries (complaint, work_order ...):
 * its field, detached from the event so the rest packs without it; NULL
 * when it carries none, or (never so far) more than one.
 */
static ProtobufCMessage *
body_detach(Deskd__Event *ev, const ProtobufCFieldDescriptor **field)
{
	const ProtobufCMessageDescriptor *d = ev->base.descriptor;
	ProtobufCMessage **at = NULL, *body;

	for (unsigned i = 0; i < d->n_fields; i++) {
		ProtobufCMessage **m = (ProtobufCMessage **)((char *)ev +
		    d->fields[i].offset);

		if (d->fields[i].type != PROTOBUF_C_TYPE_MESSAGE || *m == NULL)
			continue;
		if (at != NULL)
			return NULL;
		at = m;
		*field = &d->fields[i];
	}
	if (at == NULL)
		return NULL;
	/* Its number is above every scalar field's, so packed last it
	 * makes the very bytes protobuf-c would. */
	for (unsigned i = 0; i < d->n_fields; i++)
		if (d->fields[i].type != PROTOBUF_C_TYPE_MESSAGE &&
		    d->fields[i].id > (*field)->id)
			return NULL;
	body = *at;
	*at = NULL;
	return body;
}

static size_t
varint_len(uint64_t v)
{
	size_t n = 1;

	while (v >= 0x80) {
		v >>= 7;
		n++;
	}
	return n;
}

static uint8_t *
varint_put(uint8_t *p, uint64_t v)
{
	while (v >= 0x80) {
		*p++ = (uint8_t)(v | 0x80);
		v >>= 7;
	}
	*p++ = (uint8_t)v;
	return p;
}

static void
history_key(uint8_t key[17], enum record_kind kind, uint64_t id, uint64_t seq)
{
	key[0] = (uint8_t)kind;
	store_key_u64(key + 1, id);
	store_key_u64(key + 9, seq);
}

uint64_t
event_append(struct store_txn *t, Deskd__Event *ev, enum record_kind kind,
    uint64_t record_id)
{
	uint8_t key[8], prev[STORE_HASH_LEN] = { 0 }, hkey[17], *p;
	MDB_val k = { 8, key }, v, old;
	const ProtobufCFieldDescriptor *bf = NULL;
	ProtobufCMessage *body;
	uint64_t last, seq, tag = 0;
	size_t len, body_len = 0;
	int rc;

	if (t->err != STORE_OK)
		return 0;
	/* The tail is read once a transaction (store_txn). */
	if (!t->tail_known) {
		last = store_last_seq(t);
		if (last > 0) {
			store_key_u64(key, last);
			if (store_get(t, store_dbi(t, DB_EVENTS), key, 8,
			    &old) != STORE_OK || old.mv_size < STORE_HASH_LEN) {
				if (t->err == STORE_OK)
					t->err = STORE_CORRUPT;
				return 0;
			}
			memcpy(prev, old.mv_data, STORE_HASH_LEN);
		}
		t->last_seq = last;
		memcpy(t->last_hash, prev, STORE_HASH_LEN);
		t->tail_known = true;
	}
	seq = t->last_seq + 1;
	ev->seq = seq;
	/* The body is sized once here: protobuf-c sizes a submessage again
	 * to pack it, and the record is most of an event that carries one
	 * (an import appends an event a row). */
	body = body_detach(ev, &bf);
	len = protobuf_c_message_get_packed_size(&ev->base);
	if (body != NULL) {
		tag = (uint64_t)bf->id << 3 | 2;	/* length-delimited */
		body_len = protobuf_c_message_get_packed_size(body);
		len += varint_len(tag) + varint_len(body_len) + body_len;
	}
	store_key_u64(key, seq);
	v.mv_size = STORE_HASH_LEN + len;
	if ((rc = mdb_put(t->txn, store_dbi(t, DB_EVENTS), &k, &v,
	    MDB_RESERVE | MDB_APPEND)) != 0) {
		if (body != NULL)
			*(ProtobufCMessage **)((char *)ev + bf->offset) = body;
		store_fail(t, rc);
		return 0;
	}
	p = (uint8_t *)v.mv_data + STORE_HASH_LEN;
	p += protobuf_c_message_pack(&ev->base, p);
	if (body != NULL) {
		p = varint_put(varint_put(p, tag), body_len);
		protobuf_c_message_pack(body, p);
		*(ProtobufCMessage **)((char *)ev + bf->offset) = body;
	}
	/* hash = SHA-256(prev || event), over the value in one piece. */
	memcpy(v.mv_data, t->last_hash, STORE_HASH_LEN);
	chain_hash(NULL, v.mv_data, STORE_HASH_LEN + len, t->last_hash);
	memcpy(v.mv_data, t->last_hash, STORE_HASH_LEN);
	store_set_last_seq(t, seq);
	if (kind != 0) {
		history_key(hkey, kind, record_id, seq);
		store_put(t, store_dbi(t, DB_HISTORY), hkey, sizeof(hkey), "", 0);
	}
	return t->err == STORE_OK ? seq : 0;
}

/* B7/B8: what a signature seals -- the chain hash of the last event. */
uint64_t
event_chain_head(struct store_txn *t, uint8_t hash[STORE_HASH_LEN])
{
	uint8_t key[8];
	uint64_t last;
	MDB_val v;

	memset(hash, 0, STORE_HASH_LEN);
	if (t->err != STORE_OK || (last = store_last_seq(t)) == 0)
		return 0;
	store_key_u64(key, last);
	if (store_get(t, store_dbi(t, DB_EVENTS), key, 8, &v) != STORE_OK ||
	    v.mv_size < STORE_HASH_LEN) {
		if (t->err == STORE_OK)
			t->err = STORE_CORRUPT;
		return 0;
	}
	memcpy(hash, v.mv_data, STORE_HASH_LEN);
	return last;
}

int
event_get_raw(struct store_txn *t, uint64_t seq, const uint8_t **data,
    size_t *len)
{
	uint8_t key[8];
	MDB_val v;
	int rc;

	store_key_u64(key, seq);
	if ((rc = store_get(t, store_dbi(t, DB_EVENTS), key, 8, &v)) !=
	    STORE_OK)
		return rc;
	if (v.mv_size < STORE_HASH_LEN)
		return STORE_CORRUPT;
	*data = (const uint8_t *)v.mv_data + STORE_HASH_LEN;
	*len = v.mv_size - STORE_HASH_LEN;
	return STORE_OK;
}

Deskd__Event *
event_get(struct store_txn *t, uint64_t seq)
{
	const uint8_t *data;
	size_t len;

	if (event_get_raw(t, seq, &data, &len) != STORE_OK)
		return NULL;
	return deskd__event__unpack(NULL, len, data);
}

int
event_history(struct store_txn *t, enum record_kind kind, uint64_t id,
    uint64_t **seqs, size_t *n)
{
	uint8_t key[17];
	MDB_cursor *c;
	MDB_val k, v;
	uint64_t *out = NULL;
	size_t cap = 0, count = 0;
	int rc;

	*seqs = NULL;
	*n = 0;
	if (t->err != STORE_OK)
		return t->err;
	if ((rc = mdb_cursor_open(t->txn, store_dbi(t, DB_HISTORY), &c)) != 0) {
		store_fail(t, rc);
		return t->err;
	}
	history_key(key, kind, id, 0);
	k.mv_size = sizeof(key);
	k.mv_data = key;
	for (rc = mdb_cursor_get(c, &k, &v, MDB_SET_RANGE); rc == 0;
	    rc = mdb_cursor_get(c, &k, &v, MDB_NEXT)) {
		if (k.mv_size != 17 || memcmp(k.mv_data, key, 9) != 0)
			break;
		if (count == cap) {
			uint64_t *grown;

			cap = cap ? cap * 2 : 16;
			if ((grown = realloc(out, cap * sizeof(*out))) == NULL) {
				free(out);
				mdb_cursor_close(c);
				return STORE_IO;
			}
			out = grown;
		}
		out[count++] = store_u64_key((uint8_t *)k.mv_data + 9);
	}
	mdb_cursor_close(c);
	*seqs = out;
	*n = count;
	return STORE_OK;
}

/* ---------- verify ---------- */

static int
verify_chain(struct store_txn *t, uint64_t *events, char *err, size_t errlen)
{
	uint8_t prev[STORE_HASH_LEN] = { 0 }, h[STORE_HASH_LEN];
	MDB_cursor *c;
	MDB_val k, v;
	uint64_t expect = 1, last = store_last_seq(t);
	int rc;

	if ((rc = mdb_cursor_open(t->txn, store_dbi(t, DB_EVENTS), &c)) != 0) {
		snprintf(err, errlen, "events: %s", mdb_strerror(rc));
		return STORE_IO;
	}
	for (rc = mdb_cursor_get(c, &k, &v, MDB_FIRST); rc == 0;
	    rc = mdb_cursor_get(c, &k, &v, MDB_NEXT), expect++) {
		Deskd__Event *ev;
		uint64_t seq;

		if (k.mv_size != 8 || v.mv_size < STORE_HASH_LEN) {
			snprintf(err, errlen, "event %" PRIu64 ": malformed "
			    "entry", expect);
			goto bad;
		}
		seq = store_u64_key(k.mv_data);
		if (seq != expect) {
			snprintf(err, errlen, "event %" PRIu64 ": missing "
			    "(next stored is %" PRIu64 ")", expect, seq);
			goto bad;
		}
		chain_hash(prev, (uint8_t *)v.mv_data + STORE_HASH_LEN,
		    v.mv_size - STORE_HASH_LEN, h);
		if (memcmp(h, v.mv_data, STORE_HASH_LEN) != 0) {
			snprintf(err, errlen, "event %" PRIu64 ": hash chain "
			    "broken (altered or reordered)", seq);
			goto bad;
		}
		ev = deskd__event__unpack(NULL, v.mv_size - STORE_HASH_LEN,
		    (uint8_t *)v.mv_data + STORE_HASH_LEN);
		if (ev == NULL || ev->seq != seq) {
			snprintf(err, errlen, "event %" PRIu64 ": does not "
			    "decode or carries the wrong seq", seq);
			if (ev)
				deskd__event__free_unpacked(ev, NULL);
			goto bad;
		}
		deskd__event__free_unpacked(ev, NULL);
		memcpy(prev, h, STORE_HASH_LEN);
	}
	mdb_cursor_close(c);
	if (expect - 1 != last) {
		snprintf(err, errlen, "meta says the last event is %" PRIu64
		    ", the log ends at %" PRIu64, last, expect - 1);
		return STORE_CORRUPT;
	}
	*events = last;
	return STORE_OK;
bad:
	mdb_cursor_close(c);
	return STORE_CORRUPT;
}

/*
 * What verify needs to know of one kind of numbered record: where it lives,
 * its open index, and how to read its id, revision and openness.
 */
struct record_spec {
	const char			*name;
	enum record_kind		 kind;
	enum store_db			 all, open;
	const ProtobufCMessageDescriptor *d;
	void	(*facts)(const void *, uint64_t *id, uint32_t *revision,
		    bool *open);
};

static void
complaint_facts(const void *m, uint64_t *id, uint32_t *revision, bool *open)
{
	const Deskd__Complaint *c = m;

	*id = c->id;
	*revision = c->revision;
	*open = complaint_is_open(c);
}

static void
repair_facts(const void *m, uint64_t *id, uint32_t *revision, bool *open)
{
	const Deskd__WorkOrder *w = m;

	*id = w->id;
	*revision = w->revision;
	*open = repair_is_open(w);
}

static const struct record_spec record_specs[] = {
	{ "complaint", RECORD_COMPLAINT, DB_COMPLAINTS, DB_COMPLAINTS_OPEN,
	    &deskd__complaint__descriptor, complaint_facts },
	{ "repair", RECORD_REPAIR, DB_REPAIRS, DB_REPAIRS_OPEN,
	    &deskd__work_order__descriptor, repair_facts },
};

/* Each record decodes, sits in the open index exactly when it is open, and
 * has one history entry per revision. */
static int
verify_records(struct store_txn *t, const struct record_spec *rs, char *err,
    size_t errlen)
{
	MDB_cursor *c;
	MDB_val k, v, o;
	int rc, ret = STORE_OK;

	if ((rc = mdb_cursor_open(t->txn, store_dbi(t, rs->all), &c)) != 0) {
		snprintf(err, errlen, "%ss: %s", rs->name, mdb_strerror(rc));
		return STORE_IO;
	}
	for (rc = mdb_cursor_get(c, &k, &v, MDB_FIRST); rc == 0 &&
	    ret == STORE_OK; rc = mdb_cursor_get(c, &k, &v, MDB_NEXT)) {
		ProtobufCMessage *m;
		uint64_t id = store_u64_key(k.mv_data), mid = 0, *seqs;
		uint32_t revision = 0;
		size_t n;
		bool indexed, open = false;

		m = protobuf_c_message_unpack(rs->d, NULL, v.mv_size, v.mv_data);
		if (m != NULL)
			rs->facts(m, &mid, &revision, &open);
		if (m == NULL || mid != id) {
			snprintf(err, errlen, "%s %" PRIu64 ": does not "
			    "decode", rs->name, id);
			ret = STORE_CORRUPT;
		} else {
			indexed = mdb_get(t->txn, store_dbi(t, rs->open), &k,
			    &o) == 0;
			event_history(t, rs->kind, id, &seqs, &n);
			if (indexed != open) {
				snprintf(err, errlen, "%s %" PRIu64
				    ": open index disagrees with its status",
				    rs->name, id);
				ret = STORE_CORRUPT;
			} else if (n != revision) {
				snprintf(err, errlen, "%s %" PRIu64
				    ": %zu history entries for revision %u",
				    rs->name, id, n, revision);
				ret = STORE_CORRUPT;
			}
			free(seqs);
		}
		if (m)
			protobuf_c_message_free_unpacked(m, NULL);
	}
	mdb_cursor_close(c);
	return ret;
}

int
store_verify(struct store *st, uint64_t *events, char *err, size_t errlen)
{
	struct store_txn t;
	int rc;

	if ((rc = store_txn_begin(st, NULL, false, &t)) != STORE_OK) {
		snprintf(err, errlen, "%s", store_rc_str(rc));
		return rc;
	}
	if ((rc = store_check_schema(&t, err, errlen)) == STORE_OK &&
	    (rc = verify_chain(&t, events, err, errlen)) == STORE_OK)
		for (size_t i = 0; rc == STORE_OK &&
		    i < sizeof(record_specs) / sizeof(record_specs[0]); i++)
			rc = verify_records(&t, &record_specs[i], err, errlen);
	store_txn_abort(&t);
	return rc;
}
