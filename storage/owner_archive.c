/*
 * owner_archive.c - the owner archive (E6): units with their unique code index,
 * people with the unit -> people index, the reveals of full numbers, and
 * the sealed key check in meta.  People are stored with sealed numbers and
 * masks only; this module never sees a plaintext phone or ID number.
 */
#include <stdlib.h>
#include <string.h>

#include "store.h"

#define META_KEYCHECK	"archive_key_check"

Deskd__Unit *
unit_get(struct store_txn *t, uint64_t id)
{
	return store_get_record(t, DB_UNITS, id, &deskd__unit__descriptor);
}

Deskd__Unit *
unit_by_code(struct store_txn *t, const char *code)
{
	MDB_val v;

	if (*code == '\0' || store_get(t, store_dbi(t, DB_UNIT_CODES), code,
	    strlen(code), &v) != STORE_OK || v.mv_size != 8)
		return NULL;
	return unit_get(t, store_u64_key(v.mv_data));
}

bool
unit_code_known(struct store_txn *t, const char *code)
{
	MDB_val v;

	return *code != '\0' && store_get(t, store_dbi(t, DB_UNIT_CODES),
	    code, strlen(code), &v) == STORE_OK;
}

void
unit_put(struct store_txn *t, const char *old_code, const Deskd__Unit *u)
{
	uint8_t key[8];

	store_key_u64(key, u->id);
	store_put_msg(t, store_dbi(t, DB_UNITS), key, 8, &u->base);
	if (old_code != NULL && strcmp(old_code, u->code) != 0)
		store_del(t, store_dbi(t, DB_UNIT_CODES), old_code,
		    strlen(old_code));
	store_put(t, store_dbi(t, DB_UNIT_CODES), u->code, strlen(u->code),
	    key, 8);
}

/* Walk the code index from `from` (inclusive) while fn returns 0. */
static void
codes_from(struct store_txn *t, const char *from,
    int (*fn)(const MDB_val *, const MDB_val *, void *), void *arg)
{
	MDB_cursor *c;
	MDB_val k, v;
	int rc;

	if (t->err != STORE_OK)
		return;
	if ((rc = mdb_cursor_open(t->txn, store_dbi(t, DB_UNIT_CODES), &c)) !=
	    0) {
		store_fail(t, rc);
		return;
	}
	k.mv_size = strlen(from);
	k.mv_data = (void *)from;
	for (rc = mdb_cursor_get(c, &k, &v, *from ? MDB_SET_RANGE :
	    MDB_FIRST); rc == 0; rc = mdb_cursor_get(c, &k, &v, MDB_NEXT))
		if (fn(&k, &v, arg) != 0)
			break;
	if (rc != 0 && rc != MDB_NOTFOUND)
		store_fail(t, rc);
	mdb_cursor_close(c);
}

static int
found(const MDB_val *k, const MDB_val *v, void *arg)
{
	(void)k;
	(void)v;
	*(bool *)arg = true;
	return 1;
}

bool
unit_any(struct store_txn *t)
{
	bool any = false;

	codes_from(t, "", found, &any);
	return any;
}

struct code_walk {
	int		(*fn)(const char *, size_t, void *);
	void		*arg;
};

static int
code_step(const MDB_val *k, const MDB_val *v, void *arg)
{
	struct code_walk *w = arg;

	(void)v;
	return w->fn(k->mv_data, k->mv_size, w->arg);
}

void
unit_codes(struct store_txn *t, int (*fn)(const char *, size_t, void *),
    void *arg)
{
	struct code_walk w = { fn, arg };

	codes_from(t, "", code_step, &w);
}

struct occupied_walk {
	struct store_txn *t;
	int		(*fn)(const Deskd__Unit *, void *);
	void		*arg;
};

static int
occupied_step(const MDB_val *k, const MDB_val *v, void *arg)
{
	struct occupied_walk *w = arg;
	Deskd__Unit *u;
	int rc = 0;

	(void)k;
	if (v->mv_size != 8 || (u = unit_get(w->t, store_u64_key(v->mv_data)))
	    == NULL)
		return 0;
	if (u->status == DESKD__UNIT_STATUS__UNIT_OCCUPIED ||
	    u->status == DESKD__UNIT_STATUS__UNIT_LET)
		rc = w->fn(u, w->arg);
	deskd__unit__free_unpacked(u, NULL);
	return rc;
}

void
unit_occupied(struct store_txn *t, int (*fn)(const Deskd__Unit *, void *),
    void *arg)
{
	struct occupied_walk w = { t, fn, arg };

	codes_from(t, "", occupied_step, &w);
}

struct unit_page {
	struct store_txn *t;
	const char	*prefix, *after;
	int		 status;
	size_t		 limit, n;
	Deskd__Unit	**list;
	bool		 more;
};

static int
page_step(const MDB_val *k, const MDB_val *v, void *arg)
{
	struct unit_page *p = arg;
	size_t plen = strlen(p->prefix), alen = strlen(p->after);
	Deskd__Unit *u;

	if (k->mv_size < plen || memcmp(k->mv_data, p->prefix, plen) != 0)
		return 1;
	/* SET_RANGE lands on `after` itself when it still exists. */
	if (alen == k->mv_size && memcmp(k->mv_data, p->after, alen) == 0)
		return 0;
	if (p->n == p->limit) {
		p->more = true;
		return 1;
	}
	if (v->mv_size != 8 || (u = unit_get(p->t,
	    store_u64_key(v->mv_data))) == NULL)
		return 0;
	if (p->status == 0 || (int)u->status == p->status)
		p->list[p->n++] = u;
	else
		deskd__unit__free_unpacked(u, NULL);
	return 0;
}

int
unit_list(struct store_txn *t, const char *prefix, const char *after,
    int status, size_t limit, Deskd__Unit ***out, size_t *n, bool *more)
{
	struct unit_page p = { t, prefix, after, status, limit, 0, NULL,
	    false };

	*out = NULL;
	*n = 0;
	*more = false;
	if ((p.list = calloc(limit ? limit : 1, sizeof(*p.list))) == NULL)
		return STORE_IO;
	codes_from(t, strcmp(after, prefix) > 0 ? after : prefix, page_step,
	    &p);
	*out = p.list;
	*n = p.n;
	*more = p.more;
	return t->err;
}

Deskd__Person *
person_get(struct store_txn *t, uint64_t id)
{
	return store_get_record(t, DB_PERSONS, id, &deskd__person__descriptor);
}

static void
people_key(uint8_t key[16], uint64_t unit_id, uint64_t person_id)
{
	store_key_u64(key, unit_id);
	store_key_u64(key + 8, person_id);
}

void
person_put(struct store_txn *t, uint64_t old_unit_id, const Deskd__Person *p)
{
	uint8_t key[8], pk[16];

	store_key_u64(key, p->id);
	store_put_msg(t, store_dbi(t, DB_PERSONS), key, 8, &p->base);
	if (old_unit_id != 0 && old_unit_id != p->unit_id) {
		people_key(pk, old_unit_id, p->id);
		store_del(t, store_dbi(t, DB_UNIT_PEOPLE), pk, 16);
	}
	people_key(pk, p->unit_id, p->id);
	store_put(t, store_dbi(t, DB_UNIT_PEOPLE), pk, 16, "", 0);
}

int
person_of_unit(struct store_txn *t, uint64_t unit_id, Deskd__Person ***out,
    size_t *n)
{
	Deskd__Person **list = NULL;
	MDB_cursor *c;
	MDB_val k, v;
	uint8_t pk[16];
	size_t cap = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if (t->err != STORE_OK)
		return t->err;
	if ((rc = mdb_cursor_open(t->txn, store_dbi(t, DB_UNIT_PEOPLE), &c)) !=
	    0) {
		store_fail(t, rc);
		return t->err;
	}
	people_key(pk, unit_id, 0);
	k.mv_size = 16;
	k.mv_data = pk;
	for (rc = mdb_cursor_get(c, &k, &v, MDB_SET_RANGE); rc == 0 &&
	    k.mv_size == 16 && memcmp(k.mv_data, pk, 8) == 0;
	    rc = mdb_cursor_get(c, &k, &v, MDB_NEXT)) {
		Deskd__Person *p;

		if (*n == cap) {
			Deskd__Person **grown;

			cap = cap ? cap * 2 : 8;
			if ((grown = realloc(list, cap * sizeof(*list))) ==
			    NULL)
				break;
			list = grown;
		}
		if ((p = person_get(t, store_u64_key((uint8_t *)k.mv_data +
		    8))) != NULL)
			list[(*n)++] = p;
	}
	mdb_cursor_close(c);
	*out = list;
	return t->err;
}

int
person_list(struct store_txn *t, uint64_t after_id, size_t limit,
    Deskd__Person ***out, size_t *n, bool *more)
{
	return store_page(t, DB_PERSONS, DB_PERSONS, false, after_id, limit,
	    &deskd__person__descriptor, (void ***)out, n, more);
}

void
reveal_put(struct store_txn *t, const Deskd__Reveal *r)
{
	uint8_t key[8];

	store_key_u64(key, r->id);
	store_put_msg(t, store_dbi(t, DB_REVEALS), key, 8, &r->base);
}

Deskd__Reveal *
reveal_get(struct store_txn *t, uint64_t id)
{
	uint8_t key[8];

	store_key_u64(key, id);
	return store_get_msg(t, store_dbi(t, DB_REVEALS), key, 8,
	    &deskd__reveal__descriptor);
}

int
reveal_list(struct store_txn *t, uint64_t after_id, size_t limit,
    Deskd__Reveal ***out, size_t *n, bool *more)
{
	return store_page(t, DB_REVEALS, DB_REVEALS, false, after_id, limit,
	    &deskd__reveal__descriptor, (void ***)out, n, more);
}

int
archive_keycheck_get(struct store_txn *t, const uint8_t **out, size_t *len)
{
	MDB_val v;
	int rc;

	*out = NULL;
	*len = 0;
	if ((rc = store_get(t, store_dbi(t, DB_META), META_KEYCHECK,
	    strlen(META_KEYCHECK), &v)) != STORE_OK)
		return rc;
	*out = v.mv_data;
	*len = v.mv_size;
	return STORE_OK;
}

void
archive_keycheck_put(struct store_txn *t, const uint8_t *b, size_t len)
{
	store_put(t, store_dbi(t, DB_META), META_KEYCHECK,
	    strlen(META_KEYCHECK), b, len);
}
