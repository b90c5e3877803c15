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

static int
verify_chain(struct store_txn *t, struct chain *ch, uint64_t *events,
    char *err, size_t errlen)
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
		if (yielded(t, err, errlen)) {
			mdb_cursor_close(c);
			return STORE_YIELDED;
		}
		seq = store_u64_key(k.mv_data);
		if (seq != expect) {
			snprintf(err, errlen, "event %" PRIu64 ": missing "
			    "(next stored is %" PRIu64 ")", expect, seq);
			goto bad;
		}
		chain_hash_with(ch->ctx, ch->sha256, prev,
		    (uint8_t *)v.mv_data + STORE_HASH_LEN,
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
 * its open index and what makes a record open (DB__COUNT, NULL: none), and
 * whether it has one history entry per revision (complaints and orders;
 * others also gather events about them, such as a person's reveals).
 * Their id and revision are the fields so named.
 */
struct record_spec {
	const char			*name;
	enum record_kind		 kind;
	enum store_db			 all, open;
	const ProtobufCMessageDescriptor *d;
	bool	(*is_open)(const void *);
	bool				 counts_revisions;
};

static bool
complaint_open(const void *m)
{
	return complaint_is_open(m);
}

static bool
repair_open(const void *m)
{
	return repair_is_open(m);
}

static bool
alert_open(const void *m)
{
	return ((const Deskd__Alert *)m)->state ==
	    DESKD__ALERT_STATE__ALERT_OPEN;
}

static bool
duty_open(const void *m)
{
	return duty_is_open(m);
}

static bool
handover_open(const void *m)
{
	return ((const Deskd__Handover *)m)->state !=
	    DESKD__HANDOVER_STATE__HANDOVER_CLOSED;
}

static const struct record_spec record_specs[] = {
	{ "complaint", RECORD_COMPLAINT, DB_COMPLAINTS, DB_COMPLAINTS_OPEN,
	    &deskd__complaint__descriptor, complaint_open, true },
	{ "repair", RECORD_REPAIR, DB_REPAIRS, DB_REPAIRS_OPEN,
	    &deskd__work_order__descriptor, repair_open, true },
	{ "alert", RECORD_ALERT, DB_ALERTS, DB_ALERTS_OPEN,
	    &deskd__alert__descriptor, alert_open, false },
	{ "duty request", RECORD_DUTY, DB_DUTY, DB_DUTY_OPEN,
	    &deskd__duty_request__descriptor, duty_open, false },
	{ "handover", RECORD_HANDOVER, DB_HANDOVERS, DB_HANDOVERS_OPEN,
	    &deskd__handover__descriptor, handover_open, false },
	{ "unit", RECORD_UNIT, DB_UNITS, DB__COUNT,
	    &deskd__unit__descriptor, NULL, false },
	{ "person", RECORD_PERSON, DB_PERSONS, DB__COUNT,
	    &deskd__person__descriptor, NULL, false },
};

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

struct verify {
	struct store_txn	*t;
	const struct store_verify_rules *rules;
	char			*err;
	size_t			 errlen;
};

/* A stored record packed as an event shows it. */
static uint8_t *
event_form(const struct verify *v, ProtobufCMessage *m, size_t *len)
{
	return v->rules != NULL && v->rules->event_form != NULL ?
	    v->rules->event_form(m, len) : store_packed(m, len);
}

/* The first message of type d with id `id` inside m (m itself, or a
 * message field of it, of its fields, ...), or NULL. */
static const ProtobufCMessage *
find_record(const ProtobufCMessage *m, const struct record_spec *rs,
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
 * C9/H4: a stored record is what the newest event that carries it says,
 * as an event shows it (event_form: masked numbers).  Events without
 * it (a reveal under the person's history) are passed over.
 */
static int
verify_content(struct verify *v, const struct record_spec *rs,
    ProtobufCMessage *stored, uint64_t id, const uint64_t *seqs, size_t n)
{
	uint8_t *want = NULL, *have = NULL;
	size_t wlen = 0, hlen = 0;
	int ret = STORE_CORRUPT;

	for (size_t i = n; i-- > 0; ) {
		const ProtobufCMessage *said;
		Deskd__Event *ev;

		if ((ev = event_get(v->t, seqs[i])) == NULL) {
			snprintf(v->err, v->errlen, "%s %" PRIu64 ": its history "
			    "names event %" PRIu64 ", which does not read",
			    rs->name, id, seqs[i]);
			return STORE_CORRUPT;
		}
		if ((said = find_record(&ev->base, rs, id, 2)) == NULL) {
			deskd__event__free_unpacked(ev, NULL);
			continue;
		}
		want = store_packed(said, &wlen);
		have = event_form(v, stored, &hlen);
		if (want == NULL || have == NULL) {
			snprintf(v->err, v->errlen, "out of memory");
			ret = STORE_IO;
		} else if (wlen != hlen || memcmp(want, have, wlen) != 0)
			snprintf(v->err, v->errlen, "%s %" PRIu64 ": the stored "
			    "record differs from what event %" PRIu64 " says",
			    rs->name, id, seqs[i]);
		else
			ret = STORE_OK;
		free(want);
		free(have);
		deskd__event__free_unpacked(ev, NULL);
		return ret;
	}
	snprintf(v->err, v->errlen, "%s %" PRIu64 ": no event in the log "
	    "carries it", rs->name, id);
	return STORE_CORRUPT;
}

/* One stored record: it decodes under its key, sits in the open index
 * exactly when it is open, has its history (one entry per revision where
 * it counts them) and is what the log says. */
static int
verify_record(struct verify *v, const struct record_spec *rs, uint64_t id,
    const MDB_val *val)
{
	ProtobufCMessage *m;
	uint64_t *seqs = NULL, revision;
	size_t n = 0;
	uint8_t key[8];
	MDB_val k = { 8, key }, o;
	int ret = STORE_CORRUPT;

	m = protobuf_c_message_unpack(rs->d, NULL, val->mv_size, val->mv_data);
	if (m == NULL || uint_field(m, "id") != id) {
		snprintf(v->err, v->errlen, "%s %" PRIu64 ": does not decode",
		    rs->name, id);
		goto out;
	}
	store_key_u64(key, id);
	if (rs->is_open != NULL && (mdb_get(v->t->txn,
	    store_dbi(v->t, rs->open), &k, &o) == 0) != rs->is_open(m)) {
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

static int
verify_records(struct verify *v, const struct record_spec *rs)
{
	MDB_cursor *c;
	MDB_val k, val, r;
	int rc, ret = STORE_OK;

	if ((rc = mdb_cursor_open(v->t->txn, store_dbi(v->t, rs->all),
	    &c)) != 0) {
		snprintf(v->err, v->errlen, "%ss: %s", rs->name,
		    mdb_strerror(rc));
		return STORE_IO;
	}
	for (rc = mdb_cursor_get(c, &k, &val, MDB_FIRST); rc == 0 &&
	    ret == STORE_OK; rc = mdb_cursor_get(c, &k, &val, MDB_NEXT)) {
		if (yielded(v->t, v->err, v->errlen))
			ret = STORE_YIELDED;
		else if (k.mv_size != 8) {
			snprintf(v->err, v->errlen, "%ss: a key of %zu bytes",
			    rs->name, k.mv_size);
			ret = STORE_CORRUPT;
		} else
			ret = verify_record(v, rs, store_u64_key(k.mv_data),
			    &val);
	}
	mdb_cursor_close(c);
	if (ret != STORE_OK || rs->open == DB__COUNT)
		return ret;
	/* And the other way: every open-index entry names a stored record
	 * (whose openness was checked above). */
	if ((rc = mdb_cursor_open(v->t->txn, store_dbi(v->t, rs->open),
	    &c)) != 0) {
		snprintf(v->err, v->errlen, "%ss: %s", rs->name,
		    mdb_strerror(rc));
		return STORE_IO;
	}
	for (rc = mdb_cursor_get(c, &k, &val, MDB_FIRST); rc == 0;
	    rc = mdb_cursor_get(c, &k, &val, MDB_NEXT))
		if (k.mv_size != 8 || mdb_get(v->t->txn,
		    store_dbi(v->t, rs->all), &k, &r) != 0) {
			snprintf(v->err, v->errlen, "%ss open index: an entry "
			    "for %s %" PRIu64 ", which is not stored",
			    rs->name, rs->name, k.mv_size == 8 ?
			    store_u64_key(k.mv_data) : 0);
			ret = STORE_CORRUPT;
			break;
		}
	mdb_cursor_close(c);
	return ret;
}

/*
 * Records keyed by a name, whose events carry a label ("user:NAME",
 * "fee:ITEM") and no history entry: the newest event with the label is
 * found by one pass over the log.  A user's password material is stored
 * only (no event carries it): verify proves the rest.
 */
struct named_spec {
	const char			*name;
	enum store_db			 db;
	const ProtobufCMessageDescriptor *d;
	const char			*prefix;	/* of the event's label */
	const char			*key_field;	/* the name in the record */
};

static const struct named_spec named_specs[] = {
	{ "user", DB_USERS, &deskd__user__descriptor, "user:", "name" },
	{ "fee", DB_FEES, &deskd__fee__descriptor, "fee:", "item" },
};
#define NNAMED	(sizeof(named_specs) / sizeof(named_specs[0]))

struct named_rec {
	char		*label;
	uint64_t	 seq;		/* the newest event with it; 0: none */
};

static int
named_cmp(const void *a, const void *b)
{
	return strcmp(((const struct named_rec *)a)->label,
	    ((const struct named_rec *)b)->label);
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

/* The message of type d named `key` in an event, or NULL. */
static const ProtobufCMessage *
find_named(const ProtobufCMessage *m, const struct named_spec *ns,
    const char *key)
{
	const ProtobufCMessageDescriptor *d = m->descriptor;
	const char *k;

	if (d == ns->d)
		return (k = string_field(m, ns->key_field)) != NULL &&
		    strcmp(k, key) == 0 ? m : NULL;
	for (unsigned i = 0; i < d->n_fields; i++) {
		const ProtobufCMessage *sub;

		if (d->fields[i].type != PROTOBUF_C_TYPE_MESSAGE ||
		    d->fields[i].label == PROTOBUF_C_LABEL_REPEATED)
			continue;
		sub = *(ProtobufCMessage *const *)((const char *)m +
		    d->fields[i].offset);
		if (sub != NULL && sub->descriptor == ns->d)
			return find_named(sub, ns, key);
	}
	return NULL;
}

/* Each stored record of ns is what the newest event labelled with it
 * carries; recs[] holds their labels with that event's seq. */
static int
verify_named_records(struct verify *v, const struct named_spec *ns,
    struct named_rec *recs, size_t n)
{
	MDB_cursor *c;
	MDB_val k, val;
	int rc, ret = STORE_OK;

	if ((rc = mdb_cursor_open(v->t->txn, store_dbi(v->t, ns->db),
	    &c)) != 0) {
		snprintf(v->err, v->errlen, "%ss: %s", ns->name,
		    mdb_strerror(rc));
		return STORE_IO;
	}
	for (rc = mdb_cursor_get(c, &k, &val, MDB_FIRST); rc == 0 &&
	    ret == STORE_OK; rc = mdb_cursor_get(c, &k, &val, MDB_NEXT)) {
		char label[160];
		struct named_rec key = { label, 0 }, *r;
		const ProtobufCMessage *said = NULL;
		ProtobufCMessage *m;
		Deskd__Event *ev = NULL;
		uint8_t *want = NULL, *have = NULL;
		size_t wlen = 0, hlen = 0;

		snprintf(label, sizeof(label), "%s%.*s", ns->prefix,
		    (int)(k.mv_size < 128 ? k.mv_size : 128),
		    (const char *)k.mv_data);
		m = protobuf_c_message_unpack(ns->d, NULL, val.mv_size,
		    val.mv_data);
		r = bsearch(&key, recs, n, sizeof(*recs), named_cmp);
		if (m == NULL)
			snprintf(v->err, v->errlen, "%s: does not decode",
			    label);
		else if (r == NULL || r->seq == 0)
			snprintf(v->err, v->errlen, "%s: no event in the log "
			    "carries it", label);
		else if ((ev = event_get(v->t, r->seq)) == NULL ||
		    (said = find_named(&ev->base, ns, label +
		    strlen(ns->prefix))) == NULL)
			snprintf(v->err, v->errlen, "%s: event %" PRIu64
			    " does not carry it", label, r->seq);
		else {
			want = store_packed(said, &wlen);
			have = event_form(v, m, &hlen);
			if (want != NULL && have != NULL && wlen == hlen &&
			    memcmp(want, have, wlen) == 0) {
				free(want);
				free(have);
				deskd__event__free_unpacked(ev, NULL);
				protobuf_c_message_free_unpacked(m, NULL);
				continue;
			}
			snprintf(v->err, v->errlen, "%s: the stored record "
			    "differs from what event %" PRIu64 " says", label,
			    r->seq);
		}
		ret = STORE_CORRUPT;
		free(want);
		free(have);
		if (ev)
			deskd__event__free_unpacked(ev, NULL);
		if (m)
			protobuf_c_message_free_unpacked(m, NULL);
	}
	mdb_cursor_close(c);
	return ret;
}

/* The labels of every named record, then one pass over the log for the
 * newest event of each, then the records against those events. */
static int
verify_named(struct verify *v)
{
	struct named_rec *recs[NNAMED] = { NULL };
	size_t n[NNAMED] = { 0 };
	MDB_cursor *c;
	MDB_val k, val;
	int rc, ret = STORE_OK;

	for (size_t i = 0; i < NNAMED && ret == STORE_OK; i++) {
		MDB_stat st;
		size_t cap;

		if (mdb_stat(v->t->txn, store_dbi(v->t, named_specs[i].db),
		    &st) != 0 || mdb_cursor_open(v->t->txn,
		    store_dbi(v->t, named_specs[i].db), &c) != 0) {
			snprintf(v->err, v->errlen, "%ss: cannot read",
			    named_specs[i].name);
			ret = STORE_IO;
			break;
		}
		cap = st.ms_entries;
		if ((recs[i] = calloc(cap ? cap : 1, sizeof(**recs))) == NULL) {
			snprintf(v->err, v->errlen, "out of memory");
			ret = STORE_IO;
		}
		for (rc = mdb_cursor_get(c, &k, &val, MDB_FIRST); rc == 0 &&
		    ret == STORE_OK && n[i] < cap;
		    rc = mdb_cursor_get(c, &k, &val, MDB_NEXT)) {
			size_t plen = strlen(named_specs[i].prefix);
			char *l = malloc(plen + k.mv_size + 1);

			if (l == NULL) {
				snprintf(v->err, v->errlen, "out of memory");
				ret = STORE_IO;
				break;
			}
			memcpy(l, named_specs[i].prefix, plen);
			memcpy(l + plen, k.mv_data, k.mv_size);
			l[plen + k.mv_size] = '\0';
			recs[i][n[i]++].label = l;
		}
		mdb_cursor_close(c);
		if (n[i] > 1)
			qsort(recs[i], n[i], sizeof(**recs), named_cmp);
	}
	if (ret == STORE_OK && (rc = mdb_cursor_open(v->t->txn,
	    store_dbi(v->t, DB_EVENTS), &c)) == 0) {
		for (rc = mdb_cursor_get(c, &k, &val, MDB_FIRST); rc == 0;
		    rc = mdb_cursor_get(c, &k, &val, MDB_NEXT)) {
			Deskd__Event *ev;

			if (yielded(v->t, v->err, v->errlen)) {
				ret = STORE_YIELDED;
				break;
			}
			if (val.mv_size < STORE_HASH_LEN || (ev =
			    deskd__event__unpack(NULL, val.mv_size -
			    STORE_HASH_LEN, (uint8_t *)val.mv_data +
			    STORE_HASH_LEN)) == NULL)
				continue;	/* the chain's walk names it */
			for (size_t i = 0; i < NNAMED; i++) {
				struct named_rec key = { ev->record, 0 }, *r;

				if (strncmp(ev->record, named_specs[i].prefix,
				    strlen(named_specs[i].prefix)) == 0 &&
				    (r = bsearch(&key, recs[i], n[i],
				    sizeof(**recs), named_cmp)) != NULL)
					r->seq = ev->seq;
			}
			deskd__event__free_unpacked(ev, NULL);
		}
		mdb_cursor_close(c);
	}
	for (size_t i = 0; i < NNAMED && ret == STORE_OK; i++)
		ret = verify_named_records(v, &named_specs[i], recs[i], n[i]);
	for (size_t i = 0; i < NNAMED; i++) {
		for (size_t j = 0; j < n[i]; j++)
			free(recs[i][j].label);
		free(recs[i]);
	}
	return ret;
}

/*
 * The registers (E1-E5, E7): kind (1) + id -> the kind's entry, whose
 * events carry it packed, as the log shows it, in a RegisterEntry.  Which
 * message a kind's entries are is the server's (rules->register_d).
 */
static int
verify_register(struct verify *v, const uint8_t *key, const MDB_val *val)
{
	enum record_kind kind = (enum record_kind)key[0];
	uint64_t id = store_u64_key(key + 1), *seqs = NULL;
	const ProtobufCMessageDescriptor *d = v->rules->register_d(kind);
	const struct record_spec carrier = { "register entry", kind,
	    DB_REGISTERS, DB__COUNT, &deskd__register_entry__descriptor, NULL,
	    false };
	const char *name = record_kind_name(kind);
	ProtobufCMessage *m = NULL;
	size_t n = 0;
	int ret = STORE_CORRUPT;

	if (d == NULL || (m = protobuf_c_message_unpack(d, NULL, val->mv_size,
	    val->mv_data)) == NULL || uint_field(m, "id") != id) {
		snprintf(v->err, v->errlen, "%s %" PRIu64 ": does not decode",
		    name, id);
		goto out;
	}
	if ((ret = event_history(v->t, kind, id, &seqs, &n)) != STORE_OK)
		goto out;
	ret = STORE_CORRUPT;
	for (size_t i = n; i-- > 0; ) {
		const Deskd__RegisterEntry *e;
		Deskd__Event *ev;
		uint8_t *have;
		size_t hlen;

		if ((ev = event_get(v->t, seqs[i])) == NULL)
			break;
		e = (const Deskd__RegisterEntry *)find_record(&ev->base,
		    &carrier, id, 2);
		if (e == NULL || strcmp(e->kind, name) != 0) {
			deskd__event__free_unpacked(ev, NULL);
			continue;
		}
		have = event_form(v, m, &hlen);
		if (have != NULL && hlen == e->entry.len &&
		    memcmp(have, e->entry.data, hlen) == 0)
			ret = STORE_OK;
		else
			snprintf(v->err, v->errlen, "%s %" PRIu64 ": the stored "
			    "record differs from what event %" PRIu64 " says",
			    name, id, seqs[i]);
		free(have);
		deskd__event__free_unpacked(ev, NULL);
		goto out;
	}
	snprintf(v->err, v->errlen, "%s %" PRIu64 ": no event in the log "
	    "carries it", name, id);
out:
	free(seqs);
	if (m)
		protobuf_c_message_free_unpacked(m, NULL);
	return ret;
}

static int
verify_registers(struct verify *v)
{
	MDB_cursor *c;
	MDB_val k, val, r;
	int rc, ret = STORE_OK;

	if (v->rules == NULL || v->rules->register_d == NULL)
		return STORE_OK;
	if ((rc = mdb_cursor_open(v->t->txn, store_dbi(v->t, DB_REGISTERS),
	    &c)) != 0) {
		snprintf(v->err, v->errlen, "registers: %s", mdb_strerror(rc));
		return STORE_IO;
	}
	for (rc = mdb_cursor_get(c, &k, &val, MDB_FIRST); rc == 0 &&
	    ret == STORE_OK; rc = mdb_cursor_get(c, &k, &val, MDB_NEXT)) {
		if (yielded(v->t, v->err, v->errlen))
			ret = STORE_YIELDED;
		else if (k.mv_size != 9) {
			snprintf(v->err, v->errlen, "registers: a key of %zu "
			    "bytes", k.mv_size);
			ret = STORE_CORRUPT;
		} else
			ret = verify_register(v, k.mv_data, &val);
	}
	mdb_cursor_close(c);
	if (ret != STORE_OK)
		return ret;
	/* Every open entry is an entry (which states are open is the
	 * register's rule, the server's). */
	if ((rc = mdb_cursor_open(v->t->txn, store_dbi(v->t,
	    DB_REGISTERS_OPEN), &c)) != 0) {
		snprintf(v->err, v->errlen, "registers: %s", mdb_strerror(rc));
		return STORE_IO;
	}
	for (rc = mdb_cursor_get(c, &k, &val, MDB_FIRST); rc == 0;
	    rc = mdb_cursor_get(c, &k, &val, MDB_NEXT))
		if (k.mv_size != 9 || mdb_get(v->t->txn,
		    store_dbi(v->t, DB_REGISTERS), &k, &r) != 0) {
			snprintf(v->err, v->errlen, "registers open index: an "
			    "entry for %s %" PRIu64 ", which is not stored",
			    k.mv_size == 9 ? record_kind_name((enum record_kind)
			    *(uint8_t *)k.mv_data) : "?", k.mv_size == 9 ?
			    store_u64_key((uint8_t *)k.mv_data + 1) : 0);
			ret = STORE_CORRUPT;
			break;
		}
	mdb_cursor_close(c);
	return ret;
}

/* Every history entry names an event about that record ("kind:id"). */
static int
verify_history(struct verify *v)
{
	MDB_cursor *c;
	MDB_val k, val;
	char label[64];
	int rc, ret = STORE_OK;

	if ((rc = mdb_cursor_open(v->t->txn, store_dbi(v->t, DB_HISTORY),
	    &c)) != 0) {
		snprintf(v->err, v->errlen, "history: %s", mdb_strerror(rc));
		return STORE_IO;
	}
	for (rc = mdb_cursor_get(c, &k, &val, MDB_FIRST); rc == 0 &&
	    ret == STORE_OK; rc = mdb_cursor_get(c, &k, &val, MDB_NEXT)) {
		const uint8_t *p = k.mv_data;
		uint64_t id, seq;
		Deskd__Event *ev;

		if (yielded(v->t, v->err, v->errlen)) {
			ret = STORE_YIELDED;
			break;
		}
		if (k.mv_size != 17) {
			snprintf(v->err, v->errlen, "history: a key of %zu "
			    "bytes", k.mv_size);
			ret = STORE_CORRUPT;
			break;
		}
		id = store_u64_key(p + 1);
		seq = store_u64_key(p + 9);
		snprintf(label, sizeof(label), "%s:%" PRIu64,
		    record_kind_name((enum record_kind)p[0]), id);
		ev = event_get(v->t, seq);
		if (ev == NULL || strcmp(ev->record, label) != 0) {
			snprintf(v->err, v->errlen, "history of %s: names event "
			    "%" PRIu64 ", which is %s", label, seq, ev == NULL ?
			    "not in the log" : "about something else");
			ret = STORE_CORRUPT;
		}
		if (ev)
			deskd__event__free_unpacked(ev, NULL);
	}
	mdb_cursor_close(c);
	return ret;
}

/* Imports' external keys: ref -> id and id -> ref agree, both ways. */
static int
verify_refs(struct verify *v)
{
	MDB_cursor *c;
	MDB_val k, val, back;
	int rc, ret = STORE_OK;

	if ((rc = mdb_cursor_open(v->t->txn, store_dbi(v->t, DB_REFS),
	    &c)) != 0) {
		snprintf(v->err, v->errlen, "refs: %s", mdb_strerror(rc));
		return STORE_IO;
	}
	for (rc = mdb_cursor_get(c, &k, &val, MDB_FIRST); rc == 0 &&
	    ret == STORE_OK; rc = mdb_cursor_get(c, &k, &val, MDB_NEXT)) {
		uint8_t idk[9];
		MDB_val ik = { sizeof(idk), idk };

		if (k.mv_size < 2 || val.mv_size != 8) {
			snprintf(v->err, v->errlen, "refs: a malformed entry");
			ret = STORE_CORRUPT;
			break;
		}
		idk[0] = *(const uint8_t *)k.mv_data;
		memcpy(idk + 1, val.mv_data, 8);
		if (mdb_get(v->t->txn, store_dbi(v->t, DB_REF_OF), &ik,
		    &back) != 0 || back.mv_size != k.mv_size - 1 ||
		    memcmp(back.mv_data, (const uint8_t *)k.mv_data + 1,
		    back.mv_size) != 0) {
			snprintf(v->err, v->errlen, "refs: %s ref \"%.*s\" "
			    "(id %" PRIu64 ") disagrees with the id's ref",
			    record_kind_name((enum record_kind)idk[0]),
			    (int)(k.mv_size - 1), (const char *)k.mv_data + 1,
			    store_u64_key(val.mv_data));
			ret = STORE_CORRUPT;
		}
	}
	mdb_cursor_close(c);
	if (ret == STORE_OK) {
		MDB_stat a, b;

		if (mdb_stat(v->t->txn, store_dbi(v->t, DB_REFS), &a) != 0 ||
		    mdb_stat(v->t->txn, store_dbi(v->t, DB_REF_OF), &b) != 0) {
			snprintf(v->err, v->errlen, "refs: cannot count them");
			return STORE_IO;
		}
		if (a.ms_entries != b.ms_entries) {
			snprintf(v->err, v->errlen, "refs: %zu refs but %zu "
			    "records with a ref", a.ms_entries, b.ms_entries);
			ret = STORE_CORRUPT;
		}
	}
	return ret;
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
	struct chain ch;
	int rc;

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
	    (rc = verify_chain(&t, &ch, events, err, errlen)) == STORE_OK &&
	    (rc = verify_history(&v)) == STORE_OK &&
	    (rc = verify_refs(&v)) == STORE_OK &&
	    (rc = clock_verify(&t, err, errlen)) == STORE_OK &&
	    (rc = verify_named(&v)) == STORE_OK &&
	    (rc = verify_registers(&v)) == STORE_OK)
		for (size_t i = 0; rc == STORE_OK &&
		    i < sizeof(record_specs) / sizeof(record_specs[0]); i++)
			rc = verify_records(&v, &record_specs[i]);
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
