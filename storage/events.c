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
 * hash = SHA-256(prev || data), prev NULL: data begins with it already.
 * SHA-256 cannot fail on valid input; a failure is out of memory.
 */
static void
chain_hash_with(EVP_MD_CTX *ctx, const EVP_MD *sha256,
    const uint8_t prev[STORE_HASH_LEN], const uint8_t *data, size_t len,
    uint8_t out[STORE_HASH_LEN])
{
	unsigned int n = 0;

	if (sha256 == NULL || ctx == NULL ||
	    EVP_DigestInit_ex2(ctx, sha256, NULL) != 1 ||
	    (prev != NULL &&
	    EVP_DigestUpdate(ctx, prev, STORE_HASH_LEN) != 1) ||
	    EVP_DigestUpdate(ctx, data, len) != 1 ||
	    EVP_DigestFinal_ex(ctx, out, &n) != 1)
		memset(out, 0, STORE_HASH_LEN);
}

/*
 * The appender's digest context, for the life of the process, SHA-256
 * fetched once: OpenSSL 3 looks the algorithm up on every EVP_sha256()
 * init, which a bulk import (an event a row) pays for a million times.
 * Events are appended on deskd's loop thread only; verify, which may run
 * on a thread of its own while deskd serves, brings its own (struct chain).
 */
static void
chain_hash(const uint8_t prev[STORE_HASH_LEN], const uint8_t *data,
    size_t len, uint8_t out[STORE_HASH_LEN])
{
	static EVP_MD *sha256;
	static EVP_MD_CTX *ctx;

	if (sha256 == NULL)
		sha256 = EVP_MD_fetch(NULL, "SHA256", NULL);
	if (ctx == NULL)
		ctx = EVP_MD_CTX_new();
	chain_hash_with(ctx, sha256, prev, data, len, out);
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

static uint64_t
append(struct store_txn *t, Deskd__Event *ev, enum record_kind kind,
    uint64_t record_id, const uint8_t *packed, size_t packed_len)
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
	t->packed_of = NULL;	/* an event ends a record's kept bytes */
	/* The body is sized once here: protobuf-c sizes a submessage again
	 * to pack it, and the record is most of an event that carries one
	 * (an import appends an event a row). */
	body = body_detach(ev, &bf);
	/* Given bytes and no body to put them in: the event would pack its
	 * message as it is, never as the caller masked the bytes. */
	if (packed != NULL && body == NULL) {
		t->err = STORE_CORRUPT;
		return 0;
	}
	len = protobuf_c_message_get_packed_size(&ev->base);
	if (body != NULL) {
		tag = (uint64_t)bf->id << 3 | 2;	/* length-delimited */
		body_len = packed ? packed_len :
		    protobuf_c_message_get_packed_size(body);
		len += varint_len(tag) + varint_len(body_len) + body_len;
	}
	store_key_u64(key, seq);
	v.mv_size = STORE_HASH_LEN + len;
	t->writes++;
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
		if (packed)
			memcpy(p, packed, packed_len);
		else
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

uint64_t
event_append(struct store_txn *t, Deskd__Event *ev, enum record_kind kind,
    uint64_t record_id)
{
	return append(t, ev, kind, record_id, NULL, 0);
}

uint64_t
event_append_packed(struct store_txn *t, Deskd__Event *ev,
    enum record_kind kind, uint64_t record_id, const uint8_t *body,
    size_t len)
{
	return append(t, ev, kind, record_id, body, len);
}

/* The chain hash after event seq (PROTOCOL.md 11.6): STORE_NOTFOUND
 * past the log, STORE_CORRUPT when the entry is malformed. */
/* The stored value of event seq: its chain hash, then its bytes. */
static int
event_value(struct store_txn *t, uint64_t seq, MDB_val *v)
{
	uint8_t key[8];
	int rc;

	store_key_u64(key, seq);
	if ((rc = store_get(t, store_dbi(t, DB_EVENTS), key, 8, v)) !=
	    STORE_OK)
		return rc;
	return v->mv_size < STORE_HASH_LEN ? STORE_CORRUPT : STORE_OK;
}

int
event_chain_hash(struct store_txn *t, uint64_t seq,
    uint8_t hash[STORE_HASH_LEN])
{
	MDB_val v;
	int rc;

	memset(hash, 0, STORE_HASH_LEN);
	if ((rc = event_value(t, seq, &v)) == STORE_OK)
		memcpy(hash, v.mv_data, STORE_HASH_LEN);
	return rc;
}

/* B7/B8: what a signature seals -- the chain hash of the last event. */
uint64_t
event_chain_head(struct store_txn *t, uint8_t hash[STORE_HASH_LEN])
{
	uint64_t last;

	memset(hash, 0, STORE_HASH_LEN);
	if (t->err != STORE_OK || (last = store_last_seq(t)) == 0)
		return 0;
	if (event_chain_hash(t, last, hash) != STORE_OK) {
		if (t->err == STORE_OK)
			t->err = STORE_CORRUPT;
		return 0;
	}
	return last;
}

int
event_get_raw(struct store_txn *t, uint64_t seq, const uint8_t **data,
    size_t *len)
{
	MDB_val v;
	int rc;

	if ((rc = event_value(t, seq, &v)) != STORE_OK)
		return rc;
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

/* While deskd serves, a walk stops for the map to grow (store_grow). */
static bool
yielded(struct store_txn *t, char *err, size_t errlen)
{
	if (!store_long_read_yield(t->st))
		return false;
	snprintf(err, errlen, "%s", store_rc_str(STORE_YIELDED));
	return true;
}

/* A digest context of verify's own thread. */
struct chain {
	EVP_MD		*sha256;
	EVP_MD_CTX	*ctx;
};

static int
chain_open(struct chain *ch, char *err, size_t errlen)
{
	ch->sha256 = EVP_MD_fetch(NULL, "SHA256", NULL);
	ch->ctx = EVP_MD_CTX_new();
	if (ch->sha256 != NULL && ch->ctx != NULL)
		return STORE_OK;
	snprintf(err, errlen, "cannot set up SHA-256");
	return STORE_IO;
}

static void
chain_close(struct chain *ch)
{
	EVP_MD_CTX_free(ch->ctx);
	EVP_MD_free(ch->sha256);
}

struct verify {
	struct store_txn	*t;
	const struct store_verify_rules *rules;
	char			*err;
	size_t			 errlen;
};

typedef int	(*walk_fn)(struct verify *, const MDB_val *key,
		    const MDB_val *val, void *arg);

/* Each entry of db in key order, until `each` finds something (its
 * return) or the walk must yield; `what` names db where it cannot be
 * read. */
static int
walk(struct verify *v, enum store_db db, const char *what, walk_fn each,
    void *arg)
{
	MDB_cursor *c;
	MDB_val k, val;
	int rc, ret = STORE_OK;

	if ((rc = mdb_cursor_open(v->t->txn, store_dbi(v->t, db), &c)) != 0) {
		snprintf(v->err, v->errlen, "%s: %s", what, mdb_strerror(rc));
		return STORE_IO;
	}
	for (rc = mdb_cursor_get(c, &k, &val, MDB_FIRST); rc == 0 &&
	    ret == STORE_OK; rc = mdb_cursor_get(c, &k, &val, MDB_NEXT))
		ret = yielded(v->t, v->err, v->errlen) ? STORE_YIELDED :
		    each(v, &k, &val, arg);
	mdb_cursor_close(c);
	return ret;
}

/* The chain as walked so far. */
struct chain_walk {
	struct chain	*ch;
	uint8_t		 prev[STORE_HASH_LEN];
	uint64_t	 expect;	/* the seq the next entry must have */
};

static int
chain_link(struct verify *v, const MDB_val *k, const MDB_val *val, void *arg)
{
	struct chain_walk *w = arg;
	uint8_t h[STORE_HASH_LEN];
	Deskd__Event *ev;
	uint64_t seq;

	if (k->mv_size != 8 || val->mv_size < STORE_HASH_LEN) {
		snprintf(v->err, v->errlen, "event %" PRIu64 ": malformed "
		    "entry", w->expect);
		return STORE_CORRUPT;
	}
	seq = store_u64_key(k->mv_data);
	if (seq != w->expect) {
		snprintf(v->err, v->errlen, "event %" PRIu64 ": missing "
		    "(next stored is %" PRIu64 ")", w->expect, seq);
		return STORE_CORRUPT;
	}
	chain_hash_with(w->ch->ctx, w->ch->sha256, w->prev,
	    (uint8_t *)val->mv_data + STORE_HASH_LEN,
	    val->mv_size - STORE_HASH_LEN, h);
	if (memcmp(h, val->mv_data, STORE_HASH_LEN) != 0) {
		snprintf(v->err, v->errlen, "event %" PRIu64 ": hash chain "
		    "broken (altered or reordered)", seq);
		return STORE_CORRUPT;
	}
	ev = deskd__event__unpack(NULL, val->mv_size - STORE_HASH_LEN,
	    (uint8_t *)val->mv_data + STORE_HASH_LEN);
	if (ev == NULL || ev->seq != seq) {
		snprintf(v->err, v->errlen, "event %" PRIu64 ": does not "
		    "decode or carries the wrong seq", seq);
		if (ev)
			deskd__event__free_unpacked(ev, NULL);
		return STORE_CORRUPT;
	}
	deskd__event__free_unpacked(ev, NULL);
	memcpy(w->prev, h, STORE_HASH_LEN);
	w->expect++;
	return STORE_OK;
}

static int
verify_chain(struct verify *v, struct chain *ch, uint64_t *events)
{
	struct chain_walk w = { ch, { 0 }, 1 };
	uint64_t last = store_last_seq(v->t);
	int rc;

	if ((rc = walk(v, DB_EVENTS, "events", chain_link, &w)) != STORE_OK)
		return rc;
	if (w.expect - 1 != last) {
		snprintf(v->err, v->errlen, "meta says the last event is %"
		    PRIu64 ", the log ends at %" PRIu64, last, w.expect - 1);
		return STORE_CORRUPT;
	}
	*events = last;
	return STORE_OK;
}

/* A numeric field of m by its name (0 when m has none). */
static uint64_t
uint_field(const ProtobufCMessage *m, const char *name)
{
	const ProtobufCFieldDescriptor *f =
	    protobuf_c_message_descriptor_get_field_by_name(m->descriptor,
	    name);
	const char *at;

	if (f == NULL)
		return 0;
	at = (const char *)m + f->offset;
	switch (f->type) {
	case PROTOBUF_C_TYPE_UINT64:	return *(const uint64_t *)at;
	case PROTOBUF_C_TYPE_UINT32:	return *(const uint32_t *)at;
	default:			return 0;
	}
}

/* The bytes of m packed, in a buffer the caller frees (NULL: no memory). */
uint8_t *
store_packed(const ProtobufCMessage *m, size_t *len)
{
	uint8_t *buf;

	*len = protobuf_c_message_get_packed_size(m);
	if ((buf = malloc(*len ? *len : 1)) != NULL)
		protobuf_c_message_pack(m, buf);
	return buf;
}

/*
 * C9/H4: the stored record `label` is, as an event shows it (event_form:
 * masked numbers, no password material), the bytes event seq carries of
 * it; or verify fails naming both.
 */
static int
as_logged(struct verify *v, ProtobufCMessage *stored, const uint8_t *said,
    size_t slen, const char *label, uint64_t seq)
{
	uint8_t *have;
	size_t hlen;
	int ret = STORE_OK;

	have = v->rules != NULL && v->rules->event_form != NULL ?
	    v->rules->event_form(stored, &hlen) : store_packed(stored, &hlen);
	if (have == NULL || said == NULL) {
		snprintf(v->err, v->errlen, "out of memory");
		ret = STORE_IO;
	} else if (hlen != slen || memcmp(have, said, slen) != 0) {
		snprintf(v->err, v->errlen, "%s: the stored record differs "
		    "from what event %" PRIu64 " says", label, seq);
		ret = STORE_CORRUPT;
	}
	free(have);
	return ret;
}

/* The first message of type d with id `id` inside m (m itself, or a
 * message field of it, of its fields, ...), or NULL. */
static const ProtobufCMessage *
find_record(const ProtobufCMessage *m, const struct store_record_spec *rs,
    uint64_t id, int depth)
{
	const ProtobufCMessageDescriptor *d = m->descriptor;

	if (d == rs->d)
		return uint_field(m, "id") == id ? m : NULL;
	if (depth == 0)
		return NULL;
	for (unsigned i = 0; i < d->n_fields; i++) {
		const ProtobufCMessage *sub, *hit;

		if (d->fields[i].type != PROTOBUF_C_TYPE_MESSAGE ||
		    d->fields[i].label == PROTOBUF_C_LABEL_REPEATED)
			continue;
		sub = *(ProtobufCMessage *const *)((const char *)m +
		    d->fields[i].offset);
		if (sub != NULL &&
		    (hit = find_record(sub, rs, id, depth - 1)) != NULL)
			return hit;
	}
	return NULL;
}

/*
 * A stored record is what the newest event that carries it says.  Events
 * without it (a reveal under the person's history) are passed over.
 */
static int
verify_content(struct verify *v, const struct store_record_spec *rs,
    ProtobufCMessage *stored, uint64_t id, const uint64_t *seqs, size_t n)
{
	char label[64];

	snprintf(label, sizeof(label), "%s %" PRIu64, rs->name, id);
	for (size_t i = n; i-- > 0; ) {
		const ProtobufCMessage *said;
		Deskd__Event *ev;
		uint8_t *want;
		size_t wlen;
		int ret;

		if ((ev = event_get(v->t, seqs[i])) == NULL) {
			snprintf(v->err, v->errlen, "%s: its history names "
			    "event %" PRIu64 ", which does not read", label,
			    seqs[i]);
			return STORE_CORRUPT;
		}
		if ((said = find_record(&ev->base, rs, id, 2)) == NULL) {
			deskd__event__free_unpacked(ev, NULL);
			continue;
		}
		want = store_packed(said, &wlen);
		ret = as_logged(v, stored, want, wlen, label, seqs[i]);
		free(want);
		deskd__event__free_unpacked(ev, NULL);
		return ret;
	}
	snprintf(v->err, v->errlen, "%s: no event in the log carries it",
	    label);
	return STORE_CORRUPT;
}

/* One stored record: it decodes under its key, sits in the open index
 * exactly when it is open, has its history (one entry per revision where
 * it counts them) and is what the log says. */
static int
verify_record(struct verify *v, const MDB_val *k, const MDB_val *val,
    void *arg)
{
	const struct store_record_spec *rs = arg;
	ProtobufCMessage *m;
	uint64_t *seqs = NULL, revision, id;
	size_t n = 0;
	MDB_val o;
	int ret = STORE_CORRUPT;

	if (k->mv_size != 8) {
		snprintf(v->err, v->errlen, "%ss: a key of %zu bytes",
		    rs->name, k->mv_size);
		return STORE_CORRUPT;
	}
	id = store_u64_key(k->mv_data);
	m = protobuf_c_message_unpack(rs->d, NULL, val->mv_size, val->mv_data);
	if (m == NULL || uint_field(m, "id") != id) {
		snprintf(v->err, v->errlen, "%s %" PRIu64 ": does not decode",
		    rs->name, id);
		goto out;
	}
	if (rs->is_open != NULL && (mdb_get(v->t->txn,
	    store_dbi(v->t, rs->open), (MDB_val *)k, &o) == 0) !=
	    rs->is_open(m)) {
		snprintf(v->err, v->errlen, "%s %" PRIu64 ": open index "
		    "disagrees with its status", rs->name, id);
		goto out;
	}
	if ((ret = event_history(v->t, rs->kind, id, &seqs, &n)) != STORE_OK)
		goto out;
	ret = STORE_CORRUPT;
	revision = rs->counts_revisions ? uint_field(m, "revision") : 0;
	if (n == 0 || (rs->counts_revisions && n != revision))
		snprintf(v->err, v->errlen, "%s %" PRIu64 ": %zu history "
		    "entries for revision %" PRIu64, rs->name, id, n, revision);
	else
		ret = verify_content(v, rs, m, id, seqs, n);
out:
	free(seqs);
	if (m)
		protobuf_c_message_free_unpacked(m, NULL);
	return ret;
}

/* An open index: each of its keys is a stored record's (whose openness
 * the walk of the records checked). */
struct open_index {
	enum store_db	 all;
	size_t		 keylen;	/* 8: an id; 9: a kind, then an id */
	const char	*what;		/* the index, "repairs open index" */
	const char	*name;		/* its records'; NULL: the key's kind */
};

static int
open_entry(struct verify *v, const MDB_val *k, const MDB_val *val, void *arg)
{
	const struct open_index *oi = arg;
	const uint8_t *p = k->mv_data;
	MDB_val r;

	(void)val;
	if (k->mv_size == oi->keylen && mdb_get(v->t->txn,
	    store_dbi(v->t, oi->all), (MDB_val *)k, &r) == 0)
		return STORE_OK;
	snprintf(v->err, v->errlen, "%s: an entry for %s %" PRIu64 ", which "
	    "is not stored", oi->what, oi->name != NULL ? oi->name :
	    k->mv_size > 0 ? record_kind_name((enum record_kind)p[0]) : "?",
	    k->mv_size == oi->keylen ? store_u64_key(p + oi->keylen - 8) : 0);
	return STORE_CORRUPT;
}

static int
verify_records(struct verify *v, const struct store_record_spec *rs)
{
	char what[64];
	struct open_index oi = { rs->all, 8, what, rs->name };
	int ret;

	snprintf(what, sizeof(what), "%ss", rs->name);
	if ((ret = walk(v, rs->all, what, verify_record, (void *)rs)) !=
	    STORE_OK || rs->open == DB__COUNT)
		return ret;
	snprintf(what, sizeof(what), "%ss open index", rs->name);
	return walk(v, rs->open, what, open_entry, &oi);
}

/*
 * Records the events carry whole, found by what they are rather than by a
 * history entry: users and fees (by name), schedules, attendance and its
 * submissions, the duty log's entries, seals and spot checks, and reveals.
 * One pass over the log finds the newest event carrying each (by its
 * label, unique in its kind); then every stored record is what that event
 * says, under the key the record gives, and every record the log has is
 * stored.  A user's password material is stored only (no event carries
 * it): verify proves the rest.
 */
#define CARRIED_KEY_MAX	160

struct carried_spec {
	const char			*name;	/* its records, "schedules" */
	enum store_db			 db;
	const ProtobufCMessageDescriptor *d;
	/* the entries of db that are these records (NULL: all) */
	bool	(*mine)(const MDB_val *key);
	/* m's label; false: m is not a stored record (a spot check's seal,
	 * kept inside its spot check) */
	bool	(*label)(const ProtobufCMessage *m, char *out, size_t len);
	/* the key m is stored under, its length */
	size_t	(*key)(const ProtobufCMessage *m, uint8_t out[CARRIED_KEY_MAX]);
	int				 wild;	/* a key byte m cannot give; -1 */
	/* Or (label, key NULL) labelled by the field so called after
	 * `prefix` ("reveal 3", "user:NAME"), and keyed by it where it is
	 * a string. */
	const char			*named, *prefix;
};

static size_t
key_text(uint8_t out[CARRIED_KEY_MAX], const char *s)
{
	size_t n = strnlen(s, CARRIED_KEY_MAX);

	memcpy(out, s, n);
	return n;
}

static const char *
string_field(const ProtobufCMessage *m, const char *name)
{
	const ProtobufCFieldDescriptor *f =
	    protobuf_c_message_descriptor_get_field_by_name(m->descriptor,
	    name);

	return f == NULL || f->type != PROTOBUF_C_TYPE_STRING ? NULL :
	    *(char *const *)((const char *)m + f->offset);
}

static bool
carried_label(const struct carried_spec *cs, const ProtobufCMessage *m,
    char *out, size_t len)
{
	const char *name;

	if (cs->label != NULL)
		return cs->label(m, out, len);
	if ((name = string_field(m, cs->named)) != NULL)
		snprintf(out, len, "%s%s", cs->prefix, name);
	else
		snprintf(out, len, "%s%" PRIu64, cs->prefix,
		    uint_field(m, cs->named));
	return true;
}

static size_t
carried_key(const struct carried_spec *cs, const ProtobufCMessage *m,
    uint8_t out[CARRIED_KEY_MAX])
{
	const char *name;

	if (cs->key != NULL)
		return cs->key(m, out);
	return (name = string_field(m, cs->named)) != NULL ?
	    key_text(out, name) : 0;
}

static bool
schedule_label(const ProtobufCMessage *m, char *out, size_t len)
{
	const Deskd__Schedule *s = (const Deskd__Schedule *)m;

	if (s->version == 0)
		snprintf(out, len, "schedule %" PRIu32 " draft", s->month);
	else
		snprintf(out, len, "schedule %" PRIu32 " version %" PRIu32,
		    s->month, s->version);
	return true;
}

static size_t
schedule_key(const ProtobufCMessage *m, uint8_t out[CARRIED_KEY_MAX])
{
	const Deskd__Schedule *s = (const Deskd__Schedule *)m;

	store_key_u64(out, (uint64_t)s->month << 32 | s->version);
	return 8;
}

/* An attendance record's key: day<<8|shift, then the user (the submitted
 * marks' keys are 5 bytes long). */
static bool
attendance_mine(const MDB_val *k)
{
	return k->mv_size > 8;
}

static bool
attendance_label(const ProtobufCMessage *m, char *out, size_t len)
{
	const Deskd__Attendance *a = (const Deskd__Attendance *)m;

	snprintf(out, len, "attendance %" PRIu32 " %s %s", a->date, a->shift,
	    a->user);
	return true;
}

/* The shift's index in [shifts] is the key's eighth byte: not the
 * record's (its `wild` byte).  The user as attendance.c keys it. */
static size_t
attendance_key(const ProtobufCMessage *m, uint8_t out[CARRIED_KEY_MAX])
{
	const Deskd__Attendance *a = (const Deskd__Attendance *)m;
	size_t n = strnlen(a->user, 64);

	store_key_u64(out, (uint64_t)a->date << 8);
	memcpy(out + 8, a->user, n);
	return 8 + n;
}

static bool
submission_mine(const MDB_val *k)
{
	return k->mv_size == 5 && *(const uint8_t *)k->mv_data == 0xff;
}

static size_t
submission_key(const ProtobufCMessage *m, uint8_t out[CARRIED_KEY_MAX])
{
	uint32_t month = ((const Deskd__AttendanceReportReply *)m)->month;

	out[0] = 0xff;
	out[1] = (uint8_t)(month >> 24);
	out[2] = (uint8_t)(month >> 16);
	out[3] = (uint8_t)(month >> 8);
	out[4] = (uint8_t)month;
	return 5;
}

static size_t
entry_key(const ProtobufCMessage *m, uint8_t out[CARRIED_KEY_MAX])
{
	const Deskd__DutyLogEntry *e = (const Deskd__DutyLogEntry *)m;

	out[0] = (uint8_t)(e->day >> 24);
	out[1] = (uint8_t)(e->day >> 16);
	out[2] = (uint8_t)(e->day >> 8);
	out[3] = (uint8_t)e->day;
	store_key_u64(out + 4, e->id);
	return 12;
}

/* The seals' database keeps the spot checks under "spot:M". */
static bool
spot_mine(const MDB_val *k)
{
	return k->mv_size > 5 && memcmp(k->mv_data, "spot:", 5) == 0;
}

static bool
seal_mine(const MDB_val *k)
{
	return !spot_mine(k);
}

static bool
seal_label(const ProtobufCMessage *m, char *out, size_t len)
{
	const Deskd__DutySeal *s = (const Deskd__DutySeal *)m;

	snprintf(out, len, "seal %s:%" PRIu32, s->scope, s->period);
	return strcmp(s->scope, "spot") != 0;
}

static size_t
seal_key(const ProtobufCMessage *m, uint8_t out[CARRIED_KEY_MAX])
{
	const Deskd__DutySeal *s = (const Deskd__DutySeal *)m;
	char name[CARRIED_KEY_MAX];

	snprintf(name, sizeof(name), "%s:%" PRIu32, s->scope, s->period);
	return key_text(out, name);
}

static size_t
spot_key(const ProtobufCMessage *m, uint8_t out[CARRIED_KEY_MAX])
{
	char name[32];

	snprintf(name, sizeof(name), "spot:%" PRIu32,
	    ((const Deskd__SpotCheck *)m)->month);
	return key_text(out, name);
}

static size_t
reveal_key(const ProtobufCMessage *m, uint8_t out[CARRIED_KEY_MAX])
{
	store_key_u64(out, ((const Deskd__Reveal *)m)->id);
	return 8;
}

static const struct carried_spec carried_specs[] = {
	{ "users", DB_USERS, &deskd__user__descriptor, NULL, NULL, NULL, -1,
	    "name", "user:" },
	{ "fees", DB_FEES, &deskd__fee__descriptor, NULL, NULL, NULL, -1,
	    "item", "fee:" },
	{ "schedules", DB_SCHEDULES, &deskd__schedule__descriptor, NULL,
	    schedule_label, schedule_key, -1, NULL, NULL },
	{ "attendance", DB_ATTENDANCE, &deskd__attendance__descriptor,
	    attendance_mine, attendance_label, attendance_key, 7, NULL, NULL },
	{ "attendance submissions", DB_ATTENDANCE,
	    &deskd__attendance_report_reply__descriptor, submission_mine,
	    NULL, submission_key, -1, "month", "attendance submission " },
	{ "duty log entries", DB_DUTY_LOG, &deskd__duty_log_entry__descriptor,
	    NULL, NULL, entry_key, -1, "id", "duty log entry " },
	{ "duty log seals", DB_DUTY_SEALS, &deskd__duty_seal__descriptor,
	    seal_mine, seal_label, seal_key, -1, NULL, NULL },
	{ "spot checks", DB_DUTY_SEALS, &deskd__spot_check__descriptor,
	    spot_mine, NULL, spot_key, -1, "month", "spot check " },
	{ "reveals", DB_REVEALS, &deskd__reveal__descriptor, NULL, NULL,
	    reveal_key, -1, "id", "reveal " },
};
#define NCARRIED	(sizeof(carried_specs) / sizeof(carried_specs[0]))

/* A record as the log has it: the newest event carrying it, and its
 * bytes there (NULL: that event removed it). */
struct carried_rec {
	char		*label;
	uint64_t	 seq;
	uint8_t		*said;
	size_t		 len;
	bool		 stored;	/* a stored record was found to be it */
};

struct carried {
	struct carried_rec	*v;
	size_t			 n, cap;
};

static int
carried_add(struct carried *c, const char *label, uint64_t seq,
    const ProtobufCMessage *m)
{
	struct carried_rec *r;

	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 64;

		if ((r = realloc(c->v, cap * sizeof(*r))) == NULL)
			return STORE_IO;
		c->v = r;
		c->cap = cap;
	}
	r = &c->v[c->n];
	r->seq = seq;
	r->len = 0;
	r->said = NULL;
	r->stored = false;
	if ((r->label = strdup(label)) == NULL ||
	    (m != NULL && (r->said = store_packed(m, &r->len)) == NULL)) {
		free(r->label);
		return STORE_IO;
	}
	c->n++;
	return STORE_OK;
}

/* Each record m carries at the top or one message down (a duty log
 * change's entry), into its kind's list. */
static int
carried_in(struct carried *c, const ProtobufCMessage *m, uint64_t seq,
    int depth)
{
	const ProtobufCMessageDescriptor *d = m->descriptor;
	char label[CARRIED_KEY_MAX + 32];
	int rc = STORE_OK;

	for (size_t i = 0; i < NCARRIED; i++)
		if (d == carried_specs[i].d)
			return carried_label(&carried_specs[i], m, label,
			    sizeof(label)) ? carried_add(&c[i], label, seq, m) :
			    STORE_OK;
	/* A5: publishing removes the month's draft; the event says so. */
	if (d == &deskd__schedule_change__descriptor &&
	    ((const Deskd__ScheduleChange *)m)->draft_removed) {
		Deskd__Schedule draft = DESKD__SCHEDULE__INIT;

		draft.month = ((const Deskd__ScheduleChange *)m)->month;
		schedule_label(&draft.base, label, sizeof(label));
		for (size_t i = 0; i < NCARRIED; i++)
			if (carried_specs[i].d == draft.base.descriptor &&
			    (rc = carried_add(&c[i], label, seq, NULL)) !=
			    STORE_OK)
				return rc;
	}
	for (unsigned i = 0; depth > 0 && rc == STORE_OK && i < d->n_fields;
	    i++) {
		const ProtobufCMessage *sub;

		if (d->fields[i].type != PROTOBUF_C_TYPE_MESSAGE ||
		    d->fields[i].label == PROTOBUF_C_LABEL_REPEATED)
			continue;
		sub = *(ProtobufCMessage *const *)((const char *)m +
		    d->fields[i].offset);
		if (sub != NULL)
			rc = carried_in(c, sub, seq, depth - 1);
	}
	return rc;
}

static int
carried_event(struct verify *v, const MDB_val *k, const MDB_val *val,
    void *arg)
{
	Deskd__Event *ev;
	int rc;

	(void)k;
	if (val->mv_size < STORE_HASH_LEN || (ev = deskd__event__unpack(NULL,
	    val->mv_size - STORE_HASH_LEN, (uint8_t *)val->mv_data +
	    STORE_HASH_LEN)) == NULL)
		return STORE_OK;	/* the chain's walk names it */
	/* The event, its record fields, and one level below them. */
	if ((rc = carried_in(arg, &ev->base, ev->seq, 2)) != STORE_OK)
		snprintf(v->err, v->errlen, "out of memory");
	deskd__event__free_unpacked(ev, NULL);
	return rc;
}

static int
carried_cmp_label(const void *a, const void *b)
{
	return strcmp(((const struct carried_rec *)a)->label,
	    ((const struct carried_rec *)b)->label);
}

/* By label, the newest last. */
static int
carried_cmp(const void *a, const void *b)
{
	const struct carried_rec *x = a, *y = b;
	int c = carried_cmp_label(a, b);

	return c != 0 ? c : x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Sorted by label, only the newest of each kept. */
static void
carried_newest(struct carried *c)
{
	size_t keep = 0;

	if (c->n > 1)
		qsort(c->v, c->n, sizeof(*c->v), carried_cmp);
	for (size_t i = 0; i < c->n; i++) {
		if (keep > 0 && strcmp(c->v[keep - 1].label,
		    c->v[i].label) == 0) {
			free(c->v[keep - 1].label);
			free(c->v[keep - 1].said);
			keep--;
		}
		c->v[keep++] = c->v[i];
	}
	c->n = keep;
}

static void
carried_free(struct carried *c)
{
	for (size_t i = 0; i < c->n; i++) {
		free(c->v[i].label);
		free(c->v[i].said);
	}
	free(c->v);
}

/* One kind's walk of its records. */
struct carried_walk {
	const struct carried_spec	*cs;
	struct carried			*log;
};

static bool
key_fits(const struct carried_spec *cs, const MDB_val *k,
    const ProtobufCMessage *m)
{
	uint8_t want[CARRIED_KEY_MAX];
	size_t n = carried_key(cs, m, want);

	if (n != k->mv_size)
		return false;
	if (cs->wild >= 0 && (size_t)cs->wild < n)
		want[cs->wild] = ((const uint8_t *)k->mv_data)[cs->wild];
	return memcmp(want, k->mv_data, n) == 0;
}

static int
verify_carried_record(struct verify *v, const MDB_val *k, const MDB_val *val,
    void *arg)
{
	struct carried_walk *w = arg;
	const struct carried_spec *cs = w->cs;
	struct carried_rec key, *r = NULL;
	char label[CARRIED_KEY_MAX + 32];
	ProtobufCMessage *m;
	int ret = STORE_CORRUPT;

	if (cs->mine != NULL && !cs->mine(k))
		return STORE_OK;
	key.label = label;
	if ((m = protobuf_c_message_unpack(cs->d, NULL, val->mv_size,
	    val->mv_data)) == NULL || !carried_label(cs, m, label,
	    sizeof(label)))
		snprintf(v->err, v->errlen, "%s: the entry under \"%.*s\" "
		    "does not decode", cs->name, (int)(k->mv_size < 64 ?
		    k->mv_size : 64), (const char *)k->mv_data);
	else if (!key_fits(cs, k, m))
		snprintf(v->err, v->errlen, "%s: stored under the key of "
		    "another record", label);
	else if ((r = bsearch(&key, w->log->v, w->log->n, sizeof(key),
	    carried_cmp_label)) == NULL)
		snprintf(v->err, v->errlen, "%s: no event in the log carries "
		    "it", label);
	else if (r->said == NULL)
		snprintf(v->err, v->errlen, "%s: event %" PRIu64 " removed "
		    "it, yet it is stored", label, r->seq);
	else if (r->stored)
		snprintf(v->err, v->errlen, "%s: stored twice", label);
	else {
		r->stored = true;
		ret = as_logged(v, m, r->said, r->len, label, r->seq);
	}
	if (m)
		protobuf_c_message_free_unpacked(m, NULL);
	return ret;
}

static int
verify_carried_kind(struct verify *v, const struct carried_spec *cs,
    struct carried *log)
{
	struct carried_walk w = { cs, log };
	int ret;

	if ((ret = walk(v, cs->db, cs->name, verify_carried_record, &w)) !=
	    STORE_OK)
		return ret;
	/* And the other way: what the log has is stored. */
	for (size_t i = 0; i < log->n; i++)
		if (log->v[i].said != NULL && !log->v[i].stored) {
			snprintf(v->err, v->errlen, "%s: event %" PRIu64
			    " carries it, but it is not stored",
			    log->v[i].label, log->v[i].seq);
			return STORE_CORRUPT;
		}
	return STORE_OK;
}

static int
verify_carried(struct verify *v)
{
	struct carried log[NCARRIED];
	int ret;

	memset(log, 0, sizeof(log));
	ret = walk(v, DB_EVENTS, "events", carried_event, log);
	for (size_t i = 0; i < NCARRIED; i++)
		carried_newest(&log[i]);
	for (size_t i = 0; i < NCARRIED && ret == STORE_OK; i++)
		ret = verify_carried_kind(v, &carried_specs[i], &log[i]);
	for (size_t i = 0; i < NCARRIED; i++)
		carried_free(&log[i]);
	return ret;
}

/*
 * The registers (E1-E5, E7): kind (1) + id -> the kind's entry, whose
 * events carry it packed, as the log shows it, in a RegisterEntry.  Which
 * message a kind's entries are is the server's (rules->register_d).
 */
static int
verify_register(struct verify *v, const MDB_val *k, const MDB_val *val,
    void *arg)
{
	const uint8_t *key = k->mv_data;
	enum record_kind kind;
	uint64_t id, *seqs = NULL;
	const ProtobufCMessageDescriptor *d;
	const struct store_record_spec carrier = { "register entry", 0,
	    DB_REGISTERS, DB__COUNT, &deskd__register_entry__descriptor, NULL,
	    false };
	const char *name;
	char label[64];
	ProtobufCMessage *m = NULL;
	size_t n = 0;
	int ret = STORE_CORRUPT;

	(void)arg;
	if (k->mv_size != 9) {
		snprintf(v->err, v->errlen, "registers: a key of %zu bytes",
		    k->mv_size);
		return STORE_CORRUPT;
	}
	kind = (enum record_kind)key[0];
	id = store_u64_key(key + 1);
	d = v->rules->register_d(kind);
	name = record_kind_name(kind);
	snprintf(label, sizeof(label), "%s %" PRIu64, name, id);
	if (d == NULL || (m = protobuf_c_message_unpack(d, NULL, val->mv_size,
	    val->mv_data)) == NULL || uint_field(m, "id") != id) {
		snprintf(v->err, v->errlen, "%s: does not decode", label);
		goto out;
	}
	if ((ret = event_history(v->t, kind, id, &seqs, &n)) != STORE_OK)
		goto out;
	ret = STORE_CORRUPT;
	for (size_t i = n; i-- > 0; ) {
		const Deskd__RegisterEntry *e;
		Deskd__Event *ev;

		if ((ev = event_get(v->t, seqs[i])) == NULL)
			break;
		e = (const Deskd__RegisterEntry *)find_record(&ev->base,
		    &carrier, id, 2);
		if (e == NULL || strcmp(e->kind, name) != 0) {
			deskd__event__free_unpacked(ev, NULL);
			continue;
		}
		ret = as_logged(v, m, e->entry.data, e->entry.len, label,
		    seqs[i]);
		deskd__event__free_unpacked(ev, NULL);
		goto out;
	}
	snprintf(v->err, v->errlen, "%s: no event in the log carries it",
	    label);
out:
	free(seqs);
	if (m)
		protobuf_c_message_free_unpacked(m, NULL);
	return ret;
}

static int
verify_registers(struct verify *v)
{
	/* Every open entry is an entry (which states are open is the
	 * register's rule, the server's). */
	static const struct open_index oi = { DB_REGISTERS, 9,
	    "registers open index", NULL };
	int ret;

	if (v->rules == NULL || v->rules->register_d == NULL)
		return STORE_OK;
	if ((ret = walk(v, DB_REGISTERS, "registers", verify_register,
	    NULL)) != STORE_OK)
		return ret;
	return walk(v, DB_REGISTERS_OPEN, "registers open index", open_entry,
	    (void *)&oi);
}

/*
 * Is the record of kind and id a history entry is about stored?  A record
 * taken out of the file leaves its history behind.  Numbered kinds and
 * register entries; the others' records are proven by verify_carried.
 */
static bool
history_record_stored(struct verify *v, const uint8_t *key)
{
	enum record_kind kind = (enum record_kind)key[0];
	MDB_val k = { 8, (void *)(key + 1) }, r;
	enum store_db db = DB__COUNT;
	const struct store_record_spec *rs = NULL;
	size_t n = 0;

	if (v->rules != NULL && v->rules->records != NULL)
		rs = v->rules->records(&n);
	for (size_t i = 0; i < n; i++)
		if (rs[i].kind == kind)
			db = rs[i].all;
	if (db == DB__COUNT && v->rules != NULL &&
	    v->rules->register_d != NULL && v->rules->register_d(kind) !=
	    NULL && store_u64_key(key + 1) != 0) {
		db = DB_REGISTERS;
		k.mv_size = 9;
		k.mv_data = (void *)key;
	}
	return db == DB__COUNT ||
	    mdb_get(v->t->txn, store_dbi(v->t, db), &k, &r) == 0;
}

/* Every history entry names an event about that record ("kind:id"), and
 * the record is stored. */
static int
history_entry(struct verify *v, const MDB_val *k, const MDB_val *val,
    void *arg)
{
	const uint8_t *p = k->mv_data;
	uint64_t id, seq;
	Deskd__Event *ev;
	char label[64];
	int ret = STORE_OK;

	(void)val;
	(void)arg;
	if (k->mv_size != 17) {
		snprintf(v->err, v->errlen, "history: a key of %zu bytes",
		    k->mv_size);
		return STORE_CORRUPT;
	}
	id = store_u64_key(p + 1);
	seq = store_u64_key(p + 9);
	snprintf(label, sizeof(label), "%s:%" PRIu64,
	    record_kind_name((enum record_kind)p[0]), id);
	ev = event_get(v->t, seq);
	if (ev == NULL || strcmp(ev->record, label) != 0) {
		snprintf(v->err, v->errlen, "history of %s: names event %"
		    PRIu64 ", which is %s", label, seq, ev == NULL ?
		    "not in the log" : "about something else");
		ret = STORE_CORRUPT;
	} else if (!history_record_stored(v, p)) {
		snprintf(v->err, v->errlen, "%s %" PRIu64 ": event %" PRIu64
		    " is about it, but it is not stored",
		    record_kind_name((enum record_kind)p[0]), id, seq);
		ret = STORE_CORRUPT;
	}
	if (ev)
		deskd__event__free_unpacked(ev, NULL);
	return ret;
}

/* Imports' external keys: ref -> id and id -> ref agree, both ways. */
static int
ref_entry(struct verify *v, const MDB_val *k, const MDB_val *val, void *arg)
{
	uint8_t idk[9];
	MDB_val ik = { sizeof(idk), idk }, back;

	(void)arg;
	if (k->mv_size < 2 || val->mv_size != 8) {
		snprintf(v->err, v->errlen, "refs: a malformed entry");
		return STORE_CORRUPT;
	}
	idk[0] = *(const uint8_t *)k->mv_data;
	memcpy(idk + 1, val->mv_data, 8);
	if (mdb_get(v->t->txn, store_dbi(v->t, DB_REF_OF), &ik, &back) != 0 ||
	    back.mv_size != k->mv_size - 1 || memcmp(back.mv_data,
	    (const uint8_t *)k->mv_data + 1, back.mv_size) != 0) {
		snprintf(v->err, v->errlen, "refs: %s ref \"%.*s\" (id %" PRIu64
		    ") disagrees with the id's ref",
		    record_kind_name((enum record_kind)idk[0]),
		    (int)(k->mv_size - 1), (const char *)k->mv_data + 1,
		    store_u64_key(val->mv_data));
		return STORE_CORRUPT;
	}
	return STORE_OK;
}

static int
verify_refs(struct verify *v)
{
	MDB_stat a, b;
	int ret;

	if ((ret = walk(v, DB_REFS, "refs", ref_entry, NULL)) != STORE_OK)
		return ret;
	if (mdb_stat(v->t->txn, store_dbi(v->t, DB_REFS), &a) != 0 ||
	    mdb_stat(v->t->txn, store_dbi(v->t, DB_REF_OF), &b) != 0) {
		snprintf(v->err, v->errlen, "refs: cannot count them");
		return STORE_IO;
	}
	if (a.ms_entries != b.ms_entries) {
		snprintf(v->err, v->errlen, "refs: %zu refs but %zu records "
		    "with a ref", a.ms_entries, b.ms_entries);
		return STORE_CORRUPT;
	}
	return STORE_OK;
}

/* A walk's read transaction and digest context, or the reason why not. */
static int
walk_begin(struct store *st, struct store_txn *t, struct chain *ch,
    char *err, size_t errlen)
{
	int rc;

	if ((rc = chain_open(ch, err, errlen)) != STORE_OK)
		return rc;
	if ((rc = store_txn_begin(st, NULL, false, t)) != STORE_OK) {
		snprintf(err, errlen, "cannot read the store: %s",
		    store_rc_str(rc));
		chain_close(ch);
	}
	return rc;
}

int
store_verify(struct store *st, const struct store_verify_rules *rules,
    uint64_t *events, char *err, size_t errlen)
{
	struct store_txn t;
	struct verify v = { &t, rules, err, errlen };
	const struct store_record_spec *specs = NULL;
	size_t nspecs = 0;
	struct chain ch;
	int rc;

	if (rules != NULL && rules->records != NULL)
		specs = rules->records(&nspecs);
	store_long_read_enter(st);
	t.st = st;
	if (yielded(&t, err, errlen)) {
		store_long_read_leave(st);
		return STORE_YIELDED;
	}
	if ((rc = walk_begin(st, &t, &ch, err, errlen)) != STORE_OK) {
		store_long_read_leave(st);
		return rc;
	}
	if ((rc = store_check_schema(&t, err, errlen)) == STORE_OK &&
	    (rc = verify_chain(&v, &ch, events)) == STORE_OK &&
	    (rc = walk(&v, DB_HISTORY, "history", history_entry, NULL)) ==
	    STORE_OK &&
	    (rc = verify_refs(&v)) == STORE_OK &&
	    (rc = clock_verify(&t, err, errlen)) == STORE_OK &&
	    (rc = verify_carried(&v)) == STORE_OK &&
	    (rc = verify_registers(&v)) == STORE_OK)
		for (size_t i = 0; rc == STORE_OK && i < nspecs; i++)
			rc = verify_records(&v, &specs[i]);
	store_txn_abort(&t);
	chain_close(&ch);
	store_long_read_leave(st);
	return rc;
}

/*
 * At start (C9): the last `links` events chain onto the ones before them
 * and the log ends where meta says.  The whole walk is deskd verify's.
 */
int
store_check_tail(struct store *st, uint64_t links, char *err, size_t errlen)
{
	uint8_t prev[STORE_HASH_LEN] = { 0 }, h[STORE_HASH_LEN], key[8];
	struct store_txn t;
	struct chain ch;
	MDB_cursor *c = NULL;
	MDB_val k = { 8, key }, v;
	uint64_t last, seq, first;
	int rc;

	if ((rc = walk_begin(st, &t, &ch, err, errlen)) != STORE_OK)
		return rc;
	last = store_last_seq(&t);
	first = last > links ? last - links : 0;
	rc = STORE_CORRUPT;
	if (mdb_cursor_open(t.txn, store_dbi(&t, DB_EVENTS), &c) != 0) {
		snprintf(err, errlen, "events: cannot read");
		rc = STORE_IO;
		goto out;
	}
	if (mdb_cursor_get(c, &k, &v, MDB_LAST) == 0 &&
	    (k.mv_size != 8 || store_u64_key(k.mv_data) != last)) {
		snprintf(err, errlen, "the log ends at event %" PRIu64 ", "
		    "meta says %" PRIu64, k.mv_size == 8 ?
		    store_u64_key(k.mv_data) : 0, last);
		goto out;
	}
	/* The link below the first checked: its hash only (zeros at 1). */
	for (seq = first; seq <= last; seq++) {
		if (seq == 0)
			continue;
		store_key_u64(key, seq);
		k.mv_size = 8;
		k.mv_data = key;
		if (mdb_cursor_get(c, &k, &v, MDB_SET_KEY) != 0 ||
		    v.mv_size < STORE_HASH_LEN) {
			snprintf(err, errlen, "event %" PRIu64 ": missing",
			    seq);
			goto out;
		}
		if (seq > first) {
			chain_hash_with(ch.ctx, ch.sha256, prev,
			    (uint8_t *)v.mv_data + STORE_HASH_LEN,
			    v.mv_size - STORE_HASH_LEN, h);
			if (memcmp(h, v.mv_data, STORE_HASH_LEN) != 0) {
				snprintf(err, errlen, "event %" PRIu64 ": hash "
				    "chain broken (altered or reordered)", seq);
				goto out;
			}
		}
		memcpy(prev, v.mv_data, STORE_HASH_LEN);
	}
	rc = STORE_OK;
out:
	if (c != NULL)
		mdb_cursor_close(c);
	store_txn_abort(&t);
	chain_close(&ch);
	return rc;
}
