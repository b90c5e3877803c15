/*
 * archive.c - the owner archive (业户档案, E6) through storage: units,
 * the people attached to them, reveals of a full number and the admin's
 * unmasked export.  Phone and ID numbers are sealed (vault.c) before they
 * reach a record, an event or a reply: every role sees masks, and only a
 * reveal with a reason (an event and a Reveal record) or the admin's
 * logged export shows a full number.  Every handler checks everything
 * before its first write.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "area.h"
#include "archive_rules.h"
#include "deadline.h"
#include "config.h"
#include "ctx.h"
#include "handover.h"
#include "log.h"
#include "provenance.h"
#include "refuse.h"
#include "reply.h"
#include "validate.h"
#include "vault.h"

static Deskd__Status person_export_form(struct apply_ctx *, Deskd__Person *,
	    bool);

#define NEAR_MAX	5	/* near matches named in a refusal */
#define NEAR_DIST	4	/* edits a near match may be away */

/* The three sealed fields of a Person: the masked string shown, the
 * sealed bytes stored, the aad binding them to their place, the mask. */
struct secret {
	const char	*field;		/* as PersonReveal names it */
	size_t		 shown;		/* offsetof the masked string */
	size_t		 sealed;	/* offsetof the ProtobufCBinaryData */
	void		(*mask)(const char *, char *, size_t);
};
#define P(f)	offsetof(Deskd__Person, f)
static const struct secret secrets[] = {
	{ "phone", P(phone), P(phone_sealed), mask_phone },
	{ "id_number", P(id_number), P(id_sealed), mask_id },
	{ "emergency_phone", P(emergency_phone), P(emergency_phone_sealed),
	    mask_phone },
};
#define NSECRETS	(sizeof(secrets) / sizeof(secrets[0]))
#undef P

static char **
shown_of(Deskd__Person *p, const struct secret *s)
{
	return (char **)((char *)p + s->shown);
}

static ProtobufCBinaryData *
sealed_of(Deskd__Person *p, const struct secret *s)
{
	return (ProtobufCBinaryData *)((char *)p + s->sealed);
}

static const struct secret *
secret_named(const char *field)
{
	for (size_t i = 0; i < NSECRETS; i++)
		if (strcmp(secrets[i].field, field) == 0)
			return &secrets[i];
	return NULL;
}

static void
aad_of(char *out, size_t len, const struct secret *s)
{
	snprintf(out, len, "person.%s", s->field);
}

/* ---------- the unit check other registers call ---------- */

struct near {
	const char	*code;
	size_t		 codelen;
	char		 best[NEAR_MAX][64];
	size_t		 dist[NEAR_MAX];
	size_t		 n;
};

static int
near_step(const char *code, size_t len, void *arg)
{
	struct near *nr = arg;
	size_t d = archive_distance(nr->code, nr->codelen, code, len,
	    NEAR_DIST), i;

	if (d >= NEAR_DIST || len >= sizeof(nr->best[0]))
		return 0;
	/* Insertion into the few best, nearest first, then code order. */
	for (i = nr->n; i > 0 && nr->dist[i - 1] > d; i--)
		if (i < NEAR_MAX) {
			nr->dist[i] = nr->dist[i - 1];
			memcpy(nr->best[i], nr->best[i - 1],
			    sizeof(nr->best[i]));
		}
	if (i >= NEAR_MAX)
		return 0;
	nr->dist[i] = d;
	memcpy(nr->best[i], code, len);
	nr->best[i][len] = '\0';
	if (nr->n < NEAR_MAX)
		nr->n++;
	return 0;
}

/* NOT_FOUND naming the archive's nearest codes, e.g. "(near: 3-2-1201)". */
static Deskd__Status
unit_not_found(struct apply_ctx *ctx, const char *field, const char *code)
{
	struct near nr = { .code = code, .codelen = strlen(code) };
	char list[NEAR_MAX * 66] = "";
	size_t used = 0;

	unit_codes(ctx->txn, near_step, &nr);
	for (size_t i = 0; i < nr.n; i++)
		used += (size_t)snprintf(list + used, sizeof(list) - used,
		    "%s%s", i ? ", " : "", nr.best[i]);
	if (nr.n > 0)
		return ctx_fail(ctx, DESKD__STATUS__NOT_FOUND, "%s: no unit "
		    "'%s' in the archive (near: %s)", field, code, list);
	return ctx_fail(ctx, DESKD__STATUS__NOT_FOUND, "%s: no unit '%s' in "
	    "the archive (see desk unit list)", field, code);
}

Deskd__Status
archive_unit_check(struct apply_ctx *ctx, const char *unit)
{
	/* Enforced once the archive has a unit: a new office that has not
	 * loaded its archive can still record complaints and repairs. */
	/* Whether the archive has units is looked up once a request (an
	 * import checks a unit a row). */
	if (ctx->archive_units == 0)
		ctx->archive_units = unit_any(ctx->txn) ? 1 : -1;
	if (*unit == '\0' || ctx->archive_units < 0 ||
	    unit_code_known(ctx->txn, unit))
		return DESKD__STATUS__OK;
	return unit_not_found(ctx, "unit", unit);
}

/* ---------- startup: the key and its check ---------- */

/*
 * E6: a key kept inside the data dir travels with every copy of the data,
 * so a stolen backup would open itself.  Both paths resolved: a symlink or
 * "../" does not hide it.
 */
static int
key_outside_data(const char *keyfile, const char *data, char *err,
    size_t errlen)
{
	char key[PATH_MAX], dir[PATH_MAX];
	size_t n;

	if (realpath(keyfile, key) == NULL) {
		snprintf(err, errlen, "archive_key %s: %s", keyfile,
		    strerror(errno));
		return -1;
	}
	if (realpath(data, dir) == NULL)
		return 0;	/* the store reports a missing data dir */
	n = strlen(dir);
	if (strncmp(key, dir, n) == 0 && (key[n] == '/' || n == 1)) {
		snprintf(err, errlen, "archive_key %s is inside the data "
		    "directory %s: a copy of the data would carry the key that "
		    "opens it; move the key file out (e.g. to /etc/deskd/) and "
		    "set archive_key to its new path", keyfile, data);
		return -1;
	}
	return 0;
}

int
archive_open_key(struct config *cfg, struct store *st, char *err,
    size_t errlen)
{
	struct store_txn txn;
	const uint8_t *check;
	uint8_t *blob;
	size_t len;
	char *plain;
	int rc;

	if (archive_code_ok(cfg->unit_pattern, "", err, errlen) < 0)
		return -1;
	if (*cfg->archive_key && (key_outside_data(cfg->archive_key,
	    cfg->data, err, errlen) != 0 || vault_open(&cfg->vault,
	    cfg->archive_key, err, errlen) != 0))
		return -1;
	if (store_txn_begin(st, NULL, false, &txn) != STORE_OK) {
		snprintf(err, errlen, "%s", store_rc_str(txn.err));
		return -1;
	}
	rc = archive_keycheck_get(&txn, &check, &len);
	if (rc == STORE_OK && cfg->vault == NULL) {
		store_txn_abort(&txn);
		snprintf(err, errlen, "this archive is sealed: set archive_key "
		    "(--archive-key PATH) to its key file");
		return -1;
	}
	if (rc == STORE_OK) {
		plain = vault_unseal(cfg->vault, VAULT_CHECK_AAD, check, len);
		store_txn_abort(&txn);
		rc = plain != NULL && strcmp(plain, VAULT_CHECK_PLAIN) == 0;
		free(plain);
		if (!rc) {
			snprintf(err, errlen, "archive_key %s does not open "
			    "this archive (wrong key file?)", cfg->archive_key);
			goto fail;
		}
		return 0;
	}
	store_txn_abort(&txn);
	if (rc != STORE_NOTFOUND) {
		snprintf(err, errlen, "archive key check: %s",
		    store_rc_str(rc));
		goto fail;
	}
	if (cfg->vault == NULL) {
		log_info("no archive_key: phone and ID numbers are refused "
		    "(E6)");
		return 0;
	}
	/* The first start with a key binds the store to it. */
	if (vault_seal(cfg->vault, VAULT_CHECK_AAD, VAULT_CHECK_PLAIN, &blob,
	    &len) != 0 || store_txn_begin(st, NULL, true, &txn) != STORE_OK) {
		snprintf(err, errlen, "cannot write the archive key check");
		goto fail;
	}
	archive_keycheck_put(&txn, blob, len);
	free(blob);
	if (store_txn_commit(&txn) != STORE_OK) {
		snprintf(err, errlen, "archive key check: %s",
		    store_rc_str(txn.err));
		goto fail;
	}
	log_info("archive sealed with the key %s", cfg->archive_key);
	return 0;
fail:
	vault_free(cfg->vault);
	cfg->vault = NULL;
	return -1;
}

/* ---------- units ---------- */

static Deskd__Status
code_check(struct apply_ctx *ctx, const char *code)
{
	char err[192];
	int ok;

	if (*code == '\0')
		return ctx_fail(ctx, DESKD__STATUS__INVALID_ARGUMENT, "code: "
		    "required (building-entrance-room, e.g. 3-2-1201)");
	if ((ok = archive_code_ok(ctx->cfg->unit_pattern, code, err,
	    sizeof(err))) < 0)
		return ctx_fail(ctx, DESKD__STATUS__INTERNAL, "%s", err);
	if (!ok)
		return ctx_fail(ctx, DESKD__STATUS__INVALID_ARGUMENT, "code: "
		    "'%s' does not match the unit pattern %s", code,
		    ctx->cfg->unit_pattern);
	return DESKD__STATUS__OK;
}

/* An enum field within its values (0, unset, included): the wire may
 * carry any number. */
static Deskd__Status
enum_check(struct apply_ctx *ctx, const ProtobufCEnumDescriptor *d, int v,
    const char *what)
{
	if (protobuf_c_enum_descriptor_get_value(d, v) == NULL)
		return ctx_fail(ctx, DESKD__STATUS__INVALID_ARGUMENT, "%s",
		    what);
	return DESKD__STATUS__OK;
}

static Deskd__Status
status_check(struct apply_ctx *ctx, Deskd__UnitStatus s)
{
	return enum_check(ctx, &deskd__unit_status__descriptor, (int)s,
	    "status: occupied, vacant, renovation or let");
}

/* Does the repeated `clear` name `field`? */
static bool
clears(char **clear, size_t n, const char *field)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(clear[i], field) == 0)
			return true;
	return false;
}

static Deskd__Status
clear_check(struct apply_ctx *ctx, char **clear, size_t n,
    const char *const *allowed)
{
	for (size_t i = 0; i < n; i++) {
		size_t j;

		for (j = 0; allowed[j] != NULL; j++)
			if (strcmp(clear[i], allowed[j]) == 0)
				break;
		if (allowed[j] == NULL)
			return ctx_fail(ctx, DESKD__STATUS__INVALID_ARGUMENT,
			    "clear: '%s' cannot be cleared", clear[i]);
	}
	return DESKD__STATUS__OK;
}

static void
unit_event(struct apply_ctx *ctx, const char *type, Deskd__Unit *u,
    const char *what)
{
	char line[256];

	/* what and the status are words of the desk's catalog. */
	ctx_summary(ctx, line, sizeof(line), "%-s %s: %-s, %u.%02u m²", what,
	    u->code, unit_status_name(u->status), u->area_dm2 / 100,
	    u->area_dm2 % 100);
	ctx_event_msg(ctx, type, RECORD_UNIT, u->id, NULL, line, NULL,
	    &u->base);
}

/* A new unit from UnitAdd or an imported Unit (issue 6: `imported`, its
 * file's author and date kept as reported, C9): every check, then --
 * unless dry -- stored with its event into *out. */
static Deskd__Status
unit_create(struct apply_ctx *ctx, const Deskd__UnitAdd *a,
    const Deskd__Unit *imported, bool dry, Deskd__Unit **out)
{
	Deskd__Unit *u;
	Deskd__Status st;

	if ((st = code_check(ctx, a->code)) != DESKD__STATUS__OK ||
	    (st = status_check(ctx, a->status)) != DESKD__STATUS__OK)
		return st;
	if ((u = unit_by_code(ctx->txn, a->code)) != NULL) {
		deskd__unit__free_unpacked(u, NULL);
		return ctx_fail(ctx, DESKD__STATUS__CONFLICT, "code: unit %s is "
		    "already in the archive (desk unit set to change it)",
		    a->code);
	}
	*out = u = ctx_new(ctx, &deskd__unit__descriptor);
	if (dry)
		return DESKD__STATUS__OK;
	u->id = store_next_id(ctx->txn, RECORD_UNIT);
	u->code = a->code;
	u->area_dm2 = a->area_dm2;
	u->status = a->status ? a->status : DESKD__UNIT_STATUS__UNIT_VACANT;
	u->note = a->note;
	u->created_ms = ctx->now_ms;
	u->created_by = (char *)ctx->actor;
	if (imported != NULL)
		import_provenance(ctx, &u->base, &imported->base);
	u->updated_ms = ctx->now_ms;
	u->revision = 1;
	unit_put(ctx->txn, NULL, u);
	unit_event(ctx, imported ? "unit.imported" : "unit.added", u,
	    imported ? R_("imported") : R_("added"));
	return DESKD__STATUS__OK;
}

static Deskd__Status
unit_add_apply(struct apply_ctx *ctx, const Deskd__Request *req)
{
	Deskd__Unit *u = NULL;	/* set by unit_create on OK */
	Deskd__Status st;

	if ((st = unit_create(ctx, req->unit_add, NULL, false, &u)) !=
	    DESKD__STATUS__OK)
		return st;
	return reply_with(ctx, DESKD__RESPONSE__BODY_UNIT, u);
}

static Deskd__Status
unit_import(struct apply_ctx *ctx, const struct kind *k, ProtobufCMessage *m,
    bool dry, uint64_t *id)
{
	(void)k;
	const Deskd__Unit *in = (const Deskd__Unit *)m;
	Deskd__UnitAdd a = DESKD__UNIT_ADD__INIT;
	Deskd__Unit *u = NULL;
	Deskd__Status st;

	a.code = in->code;
	a.area_dm2 = in->area_dm2;
	a.status = in->status;
	a.note = in->note;
	if ((st = unit_create(ctx, &a, in, dry, &u)) != DESKD__STATUS__OK)
		return st;
	*id = u->id;
	return DESKD__STATUS__OK;
}

/* The unit named by code, owned by the context, or NOT_FOUND. */
static Deskd__Status
unit_named(struct apply_ctx *ctx, const char *field, const char *code,
    Deskd__Unit **out)
{
	if (*code == '\0')
		return ctx_fail(ctx, DESKD__STATUS__INVALID_ARGUMENT, "%s: "
		    "required", field);
	if ((*out = unit_by_code(ctx->txn, code)) == NULL)
		return unit_not_found(ctx, field, code);
	ctx_own_msg(ctx, *out);
	return DESKD__STATUS__OK;
}

static Deskd__Status
unit_set_apply(struct apply_ctx *ctx, const Deskd__Request *req)
{
	static const char *const clearable[] = { "note", NULL };
	const Deskd__UnitSet *s = req->unit_set;
	Deskd__Unit *old, *u;
	Deskd__Status st;

	if ((st = unit_named(ctx, "code", s->code, &old)) != DESKD__STATUS__OK ||
	    (st = status_check(ctx, s->status)) != DESKD__STATUS__OK ||
	    (st = clear_check(ctx, s->clear, s->n_clear, clearable)) !=
	    DESKD__STATUS__OK)
		return st;
	u = ctx_new(ctx, &deskd__unit__descriptor);
	*u = *old;
	if (s->area_dm2)
		u->area_dm2 = s->area_dm2;
	if (s->status)
		u->status = s->status;
	if (*s->note)
		u->note = s->note;
	if (clears(s->clear, s->n_clear, "note"))
		u->note = "";
	u->updated_ms = ctx->now_ms;
	u->revision++;
	unit_put(ctx->txn, old->code, u);
	unit_event(ctx, "unit.changed", u, R_("changed"));
	return reply_with(ctx, DESKD__RESPONSE__BODY_UNIT, u);
}

/* A stored person made fit to send: the sealed bytes never leave. */
static void
person_public(Deskd__Person *p)
{
	for (size_t i = 0; i < NSECRETS; i++) {
		ProtobufCBinaryData *b = sealed_of(p, &secrets[i]);

		free(b->data);
		b->data = NULL;
		b->len = 0;
	}
}

static Deskd__Status
unit_get_apply(struct apply_ctx *ctx, const Deskd__Request *req)
{
	Deskd__UnitShow *r;
	Deskd__Person **people;
	Deskd__Unit *u;
	Deskd__Status st;
	size_t n;

	if ((st = unit_named(ctx, "code", req->unit_get->code, &u)) !=
	    DESKD__STATUS__OK)
		return st;
	if (person_of_unit(ctx->txn, u->id, &people, &n) != STORE_OK)
		return ctx_fail(ctx, DESKD__STATUS__INTERNAL, "cannot read the "
		    "people of %s", u->code);
	ctx_own_mem(ctx, people);
	for (size_t i = 0; i < n; i++) {
		ctx_own_msg(ctx, people[i]);
		person_public(people[i]);
	}
	r = ctx_new(ctx, &deskd__unit_show__descriptor);
	r->unit = u;
	r->people = people;
	r->n_people = n;
	return reply_with(ctx, DESKD__RESPONSE__BODY_UNIT_SHOW, r);
}

static Deskd__Status
unit_list_apply(struct apply_ctx *ctx, const Deskd__Request *req)
{
	const Deskd__UnitList *l = req->unit_list;
	Deskd__Unit **list;
	Deskd__Status st;
	size_t n;
	bool more;

	if ((st = status_check(ctx, l->status)) != DESKD__STATUS__OK)
		return st;
	if (unit_list(ctx->txn, l->prefix, l->after, (int)l->status,
	    reply_limit(l->limit, LIST_DEFAULT, LIST_MAX), &list, &n, &more) !=
	    STORE_OK)
		return ctx_fail(ctx, DESKD__STATUS__INTERNAL,
		    "cannot list units");
	return reply_list(ctx, DESKD__RESPONSE__BODY_UNIT_LIST, list, n, more);
}

/* ---------- people ---------- */

/* A phone: digits with + - and spaces, 5 to 20; an ID: letters and
 * digits, 6 to 32.  Checked before sealing, since nobody can look later. */
static bool
number_ok(const char *field, const char *v)
{
	size_t len = strlen(v), digits = 0;

	for (const char *p = v; *p; p++) {
		if (isdigit((unsigned char)*p))
			digits++;
		else if (strcmp(field, "id_number") == 0 ?
		    !isalpha((unsigned char)*p) : strchr("+- ", *p) == NULL)
			return false;
	}
	if (strcmp(field, "id_number") == 0)
		return len >= 6 && len <= 32;
	return digits >= 5 && len <= 20;
}

/* Seal `plain` into p's field and put its mask beside it (E6).  Refused
 * when there is no key: never stored in the clear. */
static Deskd__Status
seal_into(struct apply_ctx *ctx, Deskd__Person *p, const struct secret *s,
    const char *plain)
{
	ProtobufCBinaryData *b = sealed_of(p, s);
	char aad[64], *masked;

	if (!number_ok(s->field, plain))
		return ctx_fail(ctx, DESKD__STATUS__INVALID_ARGUMENT, "%s: not "
		    "a valid %s", s->field, strcmp(s->field, "id_number") ?
		    "phone number (5 to 20 digits, + - and spaces)" :
		    "ID number (6 to 32 letters and digits)");
	if (ctx->cfg->vault == NULL)
		return ctx_fail(ctx, DESKD__STATUS__INVALID_ARGUMENT, "%s: this "
		    "deskd has no archive_key, so it cannot store phone or ID "
		    "numbers (set archive_key in deskd.conf)", s->field);
	aad_of(aad, sizeof(aad), s);
	if (vault_seal(ctx->cfg->vault, aad, plain, &b->data, &b->len) != 0)
		return ctx_fail(ctx, DESKD__STATUS__INTERNAL, "%s: cannot seal",
		    s->field);
	ctx_own_mem(ctx, b->data);
	masked = ctx_calloc(ctx, 1, strlen(plain) + 1);
	s->mask(plain, masked, strlen(plain) + 1);
	*shown_of(p, s) = masked;
	return DESKD__STATUS__OK;
}

static Deskd__Status
move_in_check(struct apply_ctx *ctx, const char *s, uint32_t *date)
{
	if (archive_date_parse(s, date) != 0)
		return ctx_fail(ctx, DESKD__STATUS__INVALID_ARGUMENT, "move_in: "
		    "YYYY-MM-DD");
	return DESKD__STATUS__OK;
}

/* The fields PersonAdd and PersonSet share, as given. */
struct person_fields {
	const char	*unit, *name, *note, *emergency_name, *move_in;
	const char	*plain[NSECRETS];	/* phone, id_number, emergency */
	Deskd__PersonKind kind;
	char		**vehicles;
	size_t		 n_vehicles;
};

/*
 * Write `f` over `p` (a copy of the stored person, or a new one): every
 * check first, since the caller writes nothing before this returns OK.
 * `unit` gets the unit the person is attached to (owned by ctx).
 */
static Deskd__Status
person_fill(struct apply_ctx *ctx, Deskd__Person *p,
    const struct person_fields *f, Deskd__Unit **unit)
{
	Deskd__Status st;
	uint32_t date;

	if ((st = enum_check(ctx, &deskd__person_kind__descriptor,
	    (int)f->kind, "kind: owner or tenant")) != DESKD__STATUS__OK ||
	    (st = move_in_check(ctx, f->move_in, &date)) != DESKD__STATUS__OK)
		return st;
	*unit = NULL;
	if (*f->unit && (st = unit_named(ctx, "unit", f->unit, unit)) !=
	    DESKD__STATUS__OK)
		return st;
	for (size_t i = 0; i < NSECRETS; i++)
		if (*f->plain[i] && (st = seal_into(ctx, p, &secrets[i],
		    f->plain[i])) != DESKD__STATUS__OK)
			return st;
	if (*unit != NULL) {
		p->unit = (*unit)->code;
		p->unit_id = (*unit)->id;
	}
	if (f->kind)
		p->kind = f->kind;
	if (*f->name)
		p->name = (char *)f->name;
	if (*f->note)
		p->note = (char *)f->note;
	if (*f->emergency_name)
		p->emergency_name = (char *)f->emergency_name;
	if (date)
		p->move_in = date;
	if (f->n_vehicles) {
		p->vehicles = f->vehicles;
		p->n_vehicles = f->n_vehicles;
	}
	return DESKD__STATUS__OK;
}

/* person.* events and replies carry masks only; `p` keeps its sealed
 * bytes for the store. */
static Deskd__Person *
person_masked_copy(struct apply_ctx *ctx, const Deskd__Person *p)
{
	Deskd__Person *c = ctx_new(ctx, &deskd__person__descriptor);

	*c = *p;
	for (size_t i = 0; i < NSECRETS; i++) {
		sealed_of(c, &secrets[i])->data = NULL;
		sealed_of(c, &secrets[i])->len = 0;
	}
	return c;
}

static void
person_event(struct apply_ctx *ctx, const char *type, Deskd__Person *pub,
    const char *what)
{
	char line[256];

	ctx_summary(ctx, line, sizeof(line), "%-s %-s %s, %s of %s", what,
	    person_kind_name(pub->kind), pub->name, pub->phone, pub->unit);
	ctx_event_msg(ctx, type, RECORD_PERSON, pub->id, NULL, line, NULL,
	    &pub->base);
}

/* The people count of a unit changes with who is attached, and the log
 * says so (C9: every stored record is what its last event carries). */
static void
unit_count(struct apply_ctx *ctx, const Deskd__Unit *old, int delta)
{
	Deskd__Unit *u = ctx_new(ctx, &deskd__unit__descriptor);

	*u = *old;
	u->people = (uint32_t)((int64_t)u->people + delta);
	u->updated_ms = ctx->now_ms;
	unit_put(ctx->txn, old->code, u);
	unit_event(ctx, "unit.people_changed", u, R_("people counted in"));
}

/* A new person from PersonAdd or an imported Person (issue 6: its
 * numbers plain, sealed here; its file's author and date kept as
 * reported, C9): every check, then -- unless dry -- stored with its
 * event; *out is the masked copy. */
static Deskd__Status
person_create(struct apply_ctx *ctx, const struct person_fields *f,
    const Deskd__Person *imported, bool dry, Deskd__Person **out)
{
	Deskd__Person *p;
	Deskd__Unit *unit;
	Deskd__Status st;

	if ((st = validate_required("unit", f->unit, ctx->msg,
	    sizeof(ctx->msg))) != DESKD__STATUS__OK ||
	    (st = validate_required("name", f->name, ctx->msg,
	    sizeof(ctx->msg))) != DESKD__STATUS__OK)
		return st;
	p = ctx_new(ctx, &deskd__person__descriptor);
	p->kind = DESKD__PERSON_KIND__PERSON_OWNER;
	if ((st = person_fill(ctx, p, f, &unit)) != DESKD__STATUS__OK)
		return st;
	*out = p;
	if (dry)
		return DESKD__STATUS__OK;
	p->id = store_next_id(ctx->txn, RECORD_PERSON);
	p->created_ms = ctx->now_ms;
	p->created_by = (char *)ctx->actor;
	if (imported != NULL)
		import_provenance(ctx, &p->base, &imported->base);
	p->updated_ms = ctx->now_ms;
	p->revision = 1;
	person_put(ctx->txn, 0, p);
	unit_count(ctx, unit, 1);
	*out = p = person_masked_copy(ctx, p);
	person_event(ctx, imported ? "person.imported" : "person.added", p,
	    imported ? R_("imported") : R_("added"));
	return DESKD__STATUS__OK;
}

static Deskd__Status
person_add_apply(struct apply_ctx *ctx, const Deskd__Request *req)
{
	const Deskd__PersonAdd *a = req->person_add;
	struct person_fields f = { a->unit, a->name, a->note,
	    a->emergency_name, a->move_in, { a->phone, a->id_number,
	    a->emergency_phone }, a->kind, a->vehicles, a->n_vehicles };
	Deskd__Person *p;
	Deskd__Status st;

	if ((st = person_create(ctx, &f, NULL, false, &p)) !=
	    DESKD__STATUS__OK)
		return st;
	return reply_with(ctx, DESKD__RESPONSE__BODY_PERSON, p);
}

static Deskd__Status
person_import(struct apply_ctx *ctx, const struct kind *k, ProtobufCMessage *m,
    bool dry, uint64_t *id)
{
	(void)k;
	const Deskd__Person *in = (const Deskd__Person *)m;
	/* A person is imported with the numbers plain (an unmasked export):
	 * they are sealed here like a desk's (E6). */
	struct person_fields f = { in->unit, in->name, in->note,
	    in->emergency_name, "", { in->phone, in->id_number,
	    in->emergency_phone }, in->kind, in->vehicles, in->n_vehicles };
	char *move_in = ctx_calloc(ctx, 1, 16);
	Deskd__Person *p;
	Deskd__Status st;

	if (in->move_in != 0) {
		snprintf(move_in, 16, "%04u-%02u-%02u", in->move_in / 10000,
		    in->move_in / 100 % 100, in->move_in % 100);
		f.move_in = move_in;
	}
	if ((st = person_create(ctx, &f, in, dry, &p)) != DESKD__STATUS__OK)
		return st;
	*id = p->id;
	return DESKD__STATUS__OK;
}

/* The stored person by id, owned by ctx, or NOT_FOUND. */
static Deskd__Status
person_found(struct apply_ctx *ctx, uint64_t id, Deskd__Person **out)
{
	if ((*out = person_get(ctx->txn, id)) == NULL)
		return ctx_fail(ctx, DESKD__STATUS__NOT_FOUND, "no person %"
		    PRIu64, id);
	ctx_own_msg(ctx, *out);
	return DESKD__STATUS__OK;
}

static Deskd__Status
person_set_apply(struct apply_ctx *ctx, const Deskd__Request *req)
{
	static const char *const clearable[] = { "phone", "id_number",
	    "vehicles", "emergency_name", "emergency_phone", "move_in", "note",
	    NULL };
	const Deskd__PersonSet *s = req->person_set;
	struct person_fields f = { s->unit, s->name, s->note,
	    s->emergency_name, s->move_in, { s->phone, s->id_number,
	    s->emergency_phone }, s->kind, s->vehicles, s->n_vehicles };
	Deskd__Person *old, *p;
	Deskd__Unit *unit, *was = NULL;
	Deskd__Status st;

	if ((st = person_found(ctx, s->id, &old)) != DESKD__STATUS__OK ||
	    (st = clear_check(ctx, s->clear, s->n_clear, clearable)) !=
	    DESKD__STATUS__OK)
		return st;
	p = ctx_new(ctx, &deskd__person__descriptor);
	*p = *old;
	if ((st = person_fill(ctx, p, &f, &unit)) != DESKD__STATUS__OK)
		return st;
	if (unit != NULL && unit->id != old->unit_id &&
	    (was = unit_get(ctx->txn, old->unit_id)) != NULL)
		ctx_own_msg(ctx, was);
	for (size_t i = 0; i < NSECRETS; i++)
		if (clears(s->clear, s->n_clear, secrets[i].field)) {
			*shown_of(p, &secrets[i]) = "";
			sealed_of(p, &secrets[i])->data = NULL;
			sealed_of(p, &secrets[i])->len = 0;
		}
	if (clears(s->clear, s->n_clear, "vehicles"))
		p->n_vehicles = 0;
	if (clears(s->clear, s->n_clear, "emergency_name"))
		p->emergency_name = "";
	if (clears(s->clear, s->n_clear, "move_in"))
		p->move_in = 0;
	if (clears(s->clear, s->n_clear, "note"))
		p->note = "";
	p->updated_ms = ctx->now_ms;
	p->revision++;
	person_put(ctx->txn, old->unit_id, p);
	if (was != NULL) {
		unit_count(ctx, was, -1);
		unit_count(ctx, unit, 1);
	}
	p = person_masked_copy(ctx, p);
	person_event(ctx, "person.changed", p, R_("changed"));
	return reply_with(ctx, DESKD__RESPONSE__BODY_PERSON, p);
}

static Deskd__Status
person_get_apply(struct apply_ctx *ctx, const Deskd__Request *req)
{
	Deskd__Person *p;
	Deskd__Status st;

	if ((st = person_found(ctx, req->person_get->id, &p)) !=
	    DESKD__STATUS__OK)
		return st;
	person_public(p);
	return reply_with(ctx, DESKD__RESPONSE__BODY_PERSON, p);
}

/* ---------- reveals and the export ---------- */

/* The full number of one field into *plain (malloc'd for the caller; a
 * static "" when none is on record). */
static Deskd__Status
unseal_field(struct apply_ctx *ctx, Deskd__Person *p, const struct secret *s,
    char **plain)
{
	ProtobufCBinaryData *b = sealed_of(p, s);
	char aad[64];

	*plain = "";
	if (b->len == 0)
		return DESKD__STATUS__OK;
	aad_of(aad, sizeof(aad), s);
	/* Never the stored bytes or the mask instead: no plaintext fallback. */
	if ((*plain = vault_unseal(ctx->cfg->vault, aad, b->data, b->len)) ==
	    NULL)
		return ctx_fail(ctx, DESKD__STATUS__INTERNAL, "person %" PRIu64
		    " %s: the sealed number does not open with this "
		    "archive_key", p->id, s->field);
	return DESKD__STATUS__OK;
}

/* A reason worth recording: more than blanks. */
static bool
has_text(const char *s)
{
	for (; *s; s++)
		if (!isspace((unsigned char)*s))
			return true;
	return false;
}

/* What a reveal shows: the full number (the context's), and where. */
struct revealed {
	const char	*field;
	const char	*unit;
	const char	*record;	/* "complaint:12", or "" for a person */
	uint64_t	 person_id;
	char		*plain;
};

/* A person's sealed number, unsealed. */
static Deskd__Status
reveal_person(struct apply_ctx *ctx, const Deskd__PersonReveal *rv,
    struct revealed *out)
{
	const struct secret *s;
	Deskd__Person *p;
	Deskd__Status st;

	if ((s = secret_named(rv->field)) == NULL)
		return ctx_fail(ctx, DESKD__STATUS__INVALID_ARGUMENT, "field: "
		    "phone, id_number or emergency_phone");
	if ((st = person_found(ctx, rv->id, &p)) != DESKD__STATUS__OK ||
	    (st = unseal_field(ctx, p, s, &out->plain)) != DESKD__STATUS__OK)
		return st;
	if (*out->plain == '\0')
		return ctx_fail(ctx, DESKD__STATUS__NOT_FOUND, "person %" PRIu64
		    " has no %s on record", p->id, s->field);
	ctx_own_mem(ctx, out->plain);
	out->field = s->field;
	out->unit = p->unit;
	out->record = "";
	out->person_id = p->id;
	return DESKD__STATUS__OK;
}

/* The call-back number of a complaint or a work order ("complaint:12"),
 * kept as the desk took it and masked in every reply. */
static Deskd__Status
reveal_record(struct apply_ctx *ctx, const Deskd__PersonReveal *rv,
    struct revealed *out)
{
	const char *colon = strchr(rv->record, ':');
	const Deskd__Complaint *c;
	const Deskd__WorkOrder *w;
	ProtobufCMessage *m;
	Deskd__Status st;
	uint64_t id = 0;
	char *end = NULL;

	if (*rv->field != '\0' && strcmp(rv->field, "phone") != 0)
		return ctx_fail(ctx, DESKD__STATUS__INVALID_ARGUMENT, "field: "
		    "a record's number is its phone");
	if (colon != NULL && isdigit((unsigned char)colon[1]))
		id = strtoull(colon + 1, &end, 10);
	if (id == 0 || *end != '\0' || (strncmp(rv->record, "complaint:",
	    10) != 0 && strncmp(rv->record, "repair:", 7) != 0))
		return ctx_fail(ctx, DESKD__STATUS__INVALID_ARGUMENT, "record: "
		    "complaint:ID or repair:ID");
	/* Read as every read is: the kind's own rule (C5) says who may see
	 * an internal complaint. */
	if ((st = kind_load(ctx, area_kind_of(*rv->record == 'c' ?
	    RECORD_COMPLAINT : RECORD_REPAIR), id, &m)) != DESKD__STATUS__OK)
		return st;
	if (*rv->record == 'c') {
		c = (const Deskd__Complaint *)m;
		out->unit = c->unit;
		out->plain = c->phone;
	} else {
		w = (const Deskd__WorkOrder *)m;
		out->unit = w->unit;
		out->plain = w->phone;
	}
	if (*out->plain == '\0')
		return ctx_fail(ctx, DESKD__STATUS__NOT_FOUND, "%s has no "
		    "phone on record", rv->record);
	out->field = "phone";
	out->record = rv->record;
	out->person_id = 0;
	return DESKD__STATUS__OK;
}

/* How many numbers `actor` revealed at or after from_ms.  Reveals are
 * only made here, never imported, so the newest are the highest ids. */
static uint32_t
reveals_since(struct apply_ctx *ctx, const char *actor, int64_t from_ms)
{
	uint32_t n = 0;
	bool in = true;

	for (uint64_t id = store_last_id(ctx->txn, RECORD_REVEAL);
	    id > 0 && in; id--) {
		Deskd__Reveal *r = reveal_get(ctx->txn, id);

		if (r == NULL)
			continue;
		if ((in = r->time_ms >= from_ms) && strcmp(r->actor, actor) == 0)
			n++;
		deskd__reveal__free_unpacked(r, NULL);
	}
	return n;
}

/* E6: more reveals than [reveal_limit] within reveal_window tell the
 * supervisor, once a burst, under the reveal that went over. */
static void
reveal_burst(struct apply_ctx *ctx, uint32_t before, uint64_t reveal_id)
{
	const struct config *cfg = ctx->cfg;
	char *msg;

	if (!archive_reveal_alerts(before, cfg->reveal_limit))
		return;
	msg = ctx_calloc(ctx, 1, 256);
	snprintf(msg, 256, "%s revealed more than %u full numbers within %"
	    PRId64 " min: ask who needed them and why (desk person reveals)",
	    ctx->actor, cfg->reveal_limit, cfg->reveal_window_ms / 60000);
	clock_alert_raise(ctx, "E6", RECORD_REVEAL, reveal_id, "supervisor",
	    msg);
}

static Deskd__Status
person_reveal_apply(struct apply_ctx *ctx, const Deskd__Request *req)
{
	const Deskd__PersonReveal *rv = req->person_reveal;
	struct revealed got = { NULL, NULL, NULL, 0, NULL };
	Deskd__Reveal *r, *shown;
	Deskd__Status st;
	uint32_t before;
	char line[256];

	/* E6: who saw which number, when and why is on record. */
	if (!has_text(rv->reason))
		return ctx_fail(ctx, DESKD__STATUS__INVALID_ARGUMENT, "reason: "
		    "required (why the full number is needed is recorded)");
	/* E6: a desk reveals while at the desk, on duty by the published
	 * schedule; a supervisor and above (not on the rota) at any time. */
	if (ctx->role == ROLE_CLERK && !handover_on_duty(ctx, ctx->actor))
		return ctx_fail(ctx, DESKD__STATUS__PERMISSION_DENIED, "%s is "
		    "not on duty by the published schedule: a full number is "
		    "revealed on duty, or by a supervisor (E6)", ctx->actor);
	if ((st = *rv->record ? reveal_record(ctx, rv, &got) :
	    reveal_person(ctx, rv, &got)) != DESKD__STATUS__OK)
		return st;
	before = reveals_since(ctx, ctx->actor, ctx->now_ms -
	    ctx->cfg->reveal_window_ms);
	r = ctx_new(ctx, &deskd__reveal__descriptor);
	r->id = store_next_id(ctx->txn, RECORD_REVEAL);
	r->person_id = got.person_id;
	r->unit = (char *)got.unit;
	r->field = (char *)got.field;
	r->record = (char *)got.record;
	r->reason = rv->reason;
	r->actor = (char *)ctx->actor;
	r->time_ms = ctx->now_ms;
	reveal_put(ctx->txn, r);
	/* A record's reveal is told under it, out of its history: the
	 * audit is the supervisor's (contact.revealed, like
	 * person.revealed). */
	if (got.person_id != 0) {
		ctx_summary(ctx, line, sizeof(line), "%s revealed the %-s of "
		    "person %" PRIu64 " (%s)", ctx->actor, got.field,
		    got.person_id, got.unit);
		ctx_event_msg(ctx, "person.revealed", RECORD_PERSON,
		    got.person_id, NULL, line, rv->reason, &r->base);
	} else {
		ctx_summary(ctx, line, sizeof(line), "%s revealed the phone "
		    "of %s (%s)", ctx->actor, got.record, got.unit);
		ctx_event_msg(ctx, "contact.revealed", 0, 0, got.record, line,
		    rv->reason, &r->base);
	}
	reveal_burst(ctx, before, r->id);
	/* Only the reply carries the number; the record and event do not. */
	shown = ctx_new(ctx, &deskd__reveal__descriptor);
	*shown = *r;
	shown->value = got.plain;
	return reply_with(ctx, DESKD__RESPONSE__BODY_REVEAL, shown);
}

static Deskd__Status
reveal_list_apply(struct apply_ctx *ctx, const Deskd__Request *req)
{
	const Deskd__RevealList *l = req->reveal_list;
	size_t limit = reply_limit(l->limit, LIST_DEFAULT, LIST_MAX), n, keep;
	Deskd__Reveal **list, **page;
	uint64_t after = l->after_id;
	bool more;

	/* A person's reveals: pages of all of them, filtered, until full. */
	if ((page = calloc(limit, sizeof(*page))) == NULL)
		return ctx_fail(ctx, DESKD__STATUS__INTERNAL, "out of memory");
	keep = 0;
	do {
		if (reveal_list(ctx->txn, after, limit, &list, &n, &more) !=
		    STORE_OK) {
			ctx_own_mem(ctx, page);
			for (size_t i = 0; i < keep; i++)
				ctx_own_msg(ctx, page[i]);
			return ctx_fail(ctx, DESKD__STATUS__INTERNAL,
			    "cannot list reveals");
		}
		for (size_t i = 0; i < n; i++) {
			after = list[i]->id;
			if (keep < limit && (l->person_id == 0 ||
			    list[i]->person_id == l->person_id))
				page[keep++] = list[i];
			else
				deskd__reveal__free_unpacked(list[i], NULL);
			if (keep == limit && i + 1 < n)
				more = true;
		}
		free(list);
	} while (more && keep < limit);
	return reply_list(ctx, DESKD__RESPONSE__BODY_REVEAL_LIST, page, keep,
	    more);
}

static Deskd__Status
archive_export_apply(struct apply_ctx *ctx, const Deskd__Request *req)
{
	const Deskd__ArchiveExport *e = req->archive_export;
	Deskd__ArchiveExportReply *r;
	Deskd__Person **list;
	Deskd__Status st;
	size_t n;
	bool more;

	/* E6: unmasked numbers leave only for the admin, and on record. */
	if (e->unmasked && !perm_allows(ctx->role, OP_ARCHIVE_EXPORT)) {
		log_warnx("%s (%s) asked for an unmasked archive export: "
		    "refused", ctx->actor, role_name(ctx->role));
		return ctx_fail(ctx, DESKD__STATUS__PERMISSION_DENIED, "a %s "
		    "may not %s", role_name(ctx->role),
		    perm_op_name(OP_ARCHIVE_EXPORT));
	}
	if (person_list(ctx->txn, e->after_id, reply_limit(e->limit,
	    LIST_DEFAULT, LIST_MAX), &list, &n, &more) != STORE_OK)
		return ctx_fail(ctx, DESKD__STATUS__INTERNAL,
		    "cannot list people");
	/* Unseal everything before the first write (the event). */
	for (size_t i = 0; i < n; i++)
		if ((st = person_export_form(ctx, list[i], e->unmasked)) !=
		    DESKD__STATUS__OK) {
			for (size_t k = 0; k < n; k++)
				deskd__person__free_unpacked(list[k], NULL);
			free(list);
			return st;
		}
	st = reply_list(ctx, DESKD__RESPONSE__BODY_ARCHIVE_EXPORT, list, n,
	    more);
	if (!e->unmasked)
		return st;
	/* What was actually sent: the page may have been cut to the frame. */
	r = ctx->resp->archive_export;
	kind_exported_unmasked(ctx, "person", e->after_id, r->n_people ?
	    r->people[r->n_people - 1]->id : e->after_id,
	    (uint32_t)r->n_people);
	return st;
}

/* A stored person as an export sends it: masked, or (unmasked, the
 * admin's) with the numbers unsealed; never the sealed bytes. */
static Deskd__Status
person_export_form(struct apply_ctx *ctx, Deskd__Person *p, bool unmasked)
{
	Deskd__Status st;
	char *plain;

	/* E6: the admin's export unseals (the import seals again); every
	 * other leaves with the masks.  The sealed bytes never leave. */
	for (size_t j = 0; unmasked && j < NSECRETS; j++) {
		if ((st = unseal_field(ctx, p, &secrets[j], &plain)) !=
		    DESKD__STATUS__OK)
			return st;
		if (*plain == '\0')
			continue;
		free(*shown_of(p, &secrets[j]));
		*shown_of(p, &secrets[j]) = plain;
	}
	person_public(p);
	return DESKD__STATUS__OK;
}

static const struct request_row archive_requests[] = {
	/* E6: the owner archive; engineers have none of it.  The export
	 * handler narrows unmasked exports to OP_ARCHIVE_EXPORT. */
	{ REQUEST(UNIT_ADD, "unit add"), .op = OP_ARCHIVE_WRITE,
	    .apply = unit_add_apply },
	{ REQUEST(UNIT_SET, "unit set"), .op = OP_ARCHIVE_WRITE,
	    .apply = unit_set_apply },
	{ REQUEST(UNIT_GET, "unit show"), .op = OP_ARCHIVE_READ,
	    .apply = unit_get_apply },
	{ REQUEST(UNIT_LIST, "unit list"), .op = OP_ARCHIVE_READ,
	    .apply = unit_list_apply },
	{ REQUEST(PERSON_ADD, "person add"), .op = OP_ARCHIVE_WRITE,
	    .apply = person_add_apply },
	{ REQUEST(PERSON_SET, "person set"), .op = OP_ARCHIVE_WRITE,
	    .apply = person_set_apply },
	{ REQUEST(PERSON_GET, "person show"), .op = OP_ARCHIVE_READ,
	    .apply = person_get_apply },
	{ REQUEST(PERSON_REVEAL, "person reveal"), .op = OP_ARCHIVE_REVEAL,
	    .apply = person_reveal_apply },
	{ REQUEST(REVEAL_LIST, "person reveals"), .op = OP_REVEAL_AUDIT,
	    .apply = reveal_list_apply },
	{ REQUEST(ARCHIVE_EXPORT, "person export"), .op = OP_ARCHIVE_READ,
	    .apply = archive_export_apply },
};

/* E6: sealed bytes never leave; the admin's export unseals. */
static Deskd__Status
person_shown(struct apply_ctx *ctx, const struct kind *k,
    ProtobufCMessage **m, bool unmasked)
{
	(void)k;
	return person_export_form(ctx, (Deskd__Person *)*m, unmasked);
}

static const struct kind unit_kind = {
	.name = "unit", .rec = RECORD_UNIT, .d = &deskd__unit__descriptor,
	.db = DB_UNITS, .prefix = -1, .write = OP_ARCHIVE_WRITE,
	.read = OP_ARCHIVE_READ,
	.export = OP_ARCHIVE_READ, .import = unit_import,
	.history = HISTORY_SOME
};

static const struct kind person_kind = {
	.name = "person", .rec = RECORD_PERSON,
	.d = &deskd__person__descriptor, .db = DB_PERSONS, .prefix = -1,
	.write = OP_ARCHIVE_WRITE, .read = OP_ARCHIVE_READ,
	.export = OP_ARCHIVE_READ,
	.import = person_import, .numbers = true, .shown = person_shown,
	.history = HISTORY_SOME
};

/* Made here: who saw which number, for the audit. */
static const struct kind reveal_kind = {
	.name = "reveal", .rec = RECORD_REVEAL,
	.d = &deskd__reveal__descriptor, .db = DB_REVEALS, .prefix = -1,
	.write = OP_REVEAL_AUDIT, .read = OP_REVEAL_AUDIT,
	.export = OP_REVEAL_AUDIT,
	.changed = "time_ms"
};

static const struct kind *const archive_kinds[] = {
	&unit_kind, &person_kind, &reveal_kind, NULL
};

/* E6: the archive is read by the desks and their superiors; who
 * revealed which number is audited by the supervisor and up. */
static const struct event_rule archive_events[] = {
	{ .prefix = "person.", .op = OP_ARCHIVE_READ },
	{ .prefix = "unit.", .op = OP_ARCHIVE_READ },
	{ .prefix = "archive.", .op = OP_ARCHIVE_READ },
	{ .prefix = "person.revealed", .op = OP_REVEAL_AUDIT },
	{ .prefix = "contact.revealed", .op = OP_REVEAL_AUDIT },
};

const struct area archive_area = {
	.name = "archive",
	.requests = archive_requests,
	.nrequests = nitems(archive_requests),
	.kinds = archive_kinds,
	.events = archive_events,
	.nevents = nitems(archive_events),
};
