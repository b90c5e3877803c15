/*
 * register.c - every front-desk register (E1-E5, E7) through one path.
 * RegisterAdd carries an entry packed as its register's message; the
 * register's row (register_rules.c) names the message, and this file walks
 * its descriptor: only the desk's fields (1-49) are taken, each string is
 * UTF-8 and within its limit, the form's required fields are there, a unit
 * is one of the archive's (archive.h), a personal number is sealed and
 * masked (E6), then the register's own rule runs.  deskd's fields (id,
 * state, stamps) are set by name, and the entry and its event are written
 * in the batch's transaction.  Steps move an entry from state to state as
 * the row's actions say.  Nothing here knows one register from another.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "area.h"
#include "calendar.h"
#include "archive_rules.h"
#include "attendance_rules.h"
#include "config.h"
#include "log.h"
#include "provenance.h"
#include "register.h"
#include "reply.h"
#include "validate.h"
#include "vault.h"
#include "refuse.h"
#include "wire.h"

/* Repeated text (a cabinet's tags) is longer than a request's usual 64. */
#define REG_MAX_REPEATED	4096
/* E2: a registration over this many seconds is counted by the report. */
#define REG_TIMED_LIMIT_S	60
#define REG_SLOW_IDS		64

/* ---------- the registers, by the kinds register_rules.c describes ---------- */

const char *
reg_kind(const struct reg_def *def)
{
	return def->name != NULL ? def->name : record_kind_name(def->rec);
}

static const struct reg_def *
def_of_kind(const struct kind *k)
{
	return k != NULL && k->db == DB_REGISTERS ? k->area_data : NULL;
}

const struct reg_def *
reg_def_find(const char *kind)
{
	return def_of_kind(area_kind(kind, strlen(kind)));
}

const struct reg_def *
reg_def_of(enum record_kind rec)
{
	return def_of_kind(area_kind_of(rec));
}

size_t
reg_def_count(void)
{
	size_t n = 0;

	while (reg_def_at(n) != NULL)
		n++;
	return n;
}

void
reg_kind_fill(struct kind *k, const struct reg_def *def)
{
	*k = (struct kind){ .name = reg_kind(def), .rec = def->rec,
	    .d = def->d, .db = DB_REGISTERS, .prefix = (int)def->rec,
	    .write = def->write_op ? def->write_op : OP_REGISTER_WRITE,
	    .read = OP_REGISTER_READ, .export = OP_REGISTER_READ,
	    .import = def->made_by_deskd ? NULL : register_import,
	    .shown = register_shown, .area_data = def };
}

const struct kind *
reg_kind_at(struct kind *slots, const struct reg_def *const *defs, size_t n,
    size_t i)
{
	if (i >= n)
		return NULL;
	if (slots[i].name == NULL)
		reg_kind_fill(&slots[i], defs[i]);
	return &slots[i];
}

const struct reg_def *
reg_def_at(size_t i)
{
	const struct kind *k;

	for (size_t j = 0; (k = area_kind_nth(j)) != NULL; j++)
		if (def_of_kind(k) != NULL && i-- == 0)
			return k->area_data;
	return NULL;
}

/* ---------- fields by name ---------- */

static const ProtobufCFieldDescriptor *
field(const ProtobufCMessage *m, const char *name)
{
	return protobuf_c_message_descriptor_get_field_by_name(m->descriptor,
	    name);
}

const char *
reg_str(const ProtobufCMessage *m, const char *name)
{
	const ProtobufCFieldDescriptor *f = field(m, name);
	const char *s;

	if (f == NULL || f->type != PROTOBUF_C_TYPE_STRING ||
	    f->label == PROTOBUF_C_LABEL_REPEATED)
		return "";
	s = *(char *const *)((const char *)m + f->offset);
	return s ? s : "";
}

void
reg_set_str(ProtobufCMessage *m, const char *name, const char *v)
{
	const ProtobufCFieldDescriptor *f = field(m, name);

	if (f != NULL && f->type == PROTOBUF_C_TYPE_STRING &&
	    f->label != PROTOBUF_C_LABEL_REPEATED)
		*(const char **)((char *)m + f->offset) = v ? v : "";
}

int64_t
reg_int(const ProtobufCMessage *m, const char *name)
{
	const ProtobufCFieldDescriptor *f = field(m, name);

	return f != NULL ? wire_get_int(m, f) : 0;
}

void
reg_set_int(ProtobufCMessage *m, const char *name, int64_t v)
{
	const ProtobufCFieldDescriptor *f = field(m, name);

	if (f != NULL)
		wire_set_int(m, f, v);
}

/* Is `word` one of the space-separated `words`? */
bool
reg_word_in(const char *word, const char *words)
{
	size_t len = strlen(word);

	for (const char *p = words; p != NULL && *p; ) {
		size_t n = strcspn(p, " ");

		if (n == len && strncmp(p, word, len) == 0)
			return true;
		p += n;
		p += strspn(p, " ");
	}
	return false;
}

ProtobufCMessage *
reg_copy(struct apply_ctx *ctx, const ProtobufCMessage *m)
{
	ProtobufCMessage *c = ctx_new(ctx, m->descriptor);

	memcpy(c, m, m->descriptor->sizeof_message);
	/* Unknown fields stay the original's to free, and are not stored. */
	c->n_unknown_fields = 0;
	c->unknown_fields = NULL;
	return c;
}

/* A fresh entry with only the desk's fields of `in` (1-49): whatever a
 * client put in deskd's fields is dropped, never trusted. */
static ProtobufCMessage *
form_fields(struct apply_ctx *ctx, const ProtobufCMessage *in)
{
	ProtobufCMessage *m = ctx_new(ctx, in->descriptor);

	wire_copy_fields(m, in, REG_SERVER_FIELDS);
	return m;
}

/* ---------- checks by descriptor ---------- */

static Deskd__Status
check_text(struct apply_ctx *ctx, const char *name, const char *s)
{
	size_t len = strlen(s), max = validate_limit(name);

	if (!wire_utf8_valid(s, len))
		return ctx_fail(ctx, DESKD__STATUS__INVALID_ARGUMENT, "%s: not "
		    "valid UTF-8", name);
	if (len > max)
		return ctx_fail(ctx, DESKD__STATUS__INVALID_ARGUMENT, "%s: %zu "
		    "bytes, the limit is %zu", name, len, max);
	return DESKD__STATUS__OK;
}

/* Every string of the desk's fields valid, within its limit; nothing the
 * register's message does not have (E8: a form has the fields it has). */
static Deskd__Status
check_fields(struct apply_ctx *ctx, const struct reg_def *def,
    const ProtobufCMessage *m)
{
	const ProtobufCMessageDescriptor *d = m->descriptor;
	Deskd__Status st;

	if (m->n_unknown_fields > 0)
		return ctx_fail(ctx, DESKD__STATUS__INVALID_ARGUMENT, "entry: "
		    "field %u is not a field of the %s register",
		    m->unknown_fields[0].tag, reg_kind(def));
	/* Times in the one range of times, as in every request. */
	if ((st = validate_times(m, ctx->msg, sizeof(ctx->msg))) !=
	    DESKD__STATUS__OK)
		return st;
	for (unsigned i = 0; i < d->n_fields; i++) {
		const ProtobufCFieldDescriptor *f = &d->fields[i];
		const char *p = (const char *)m + f->offset;

		if (f->id >= REG_SERVER_FIELDS ||
		    f->type != PROTOBUF_C_TYPE_STRING)
			continue;
		if (f->label == PROTOBUF_C_LABEL_REPEATED) {
			size_t n = *(const size_t *)((const char *)m +
			    f->quantifier_offset);

			if (n > REG_MAX_REPEATED)
				return ctx_fail(ctx,
				    DESKD__STATUS__INVALID_ARGUMENT, "%s: %zu "
				    "entries, the limit is %d", f->name, n,
				    REG_MAX_REPEATED);
			for (size_t j = 0; j < n; j++)
				if ((st = check_text(ctx, f->name,
				    (*(char *const *const *)p)[j])) !=
				    DESKD__STATUS__OK)
					return st;
		} else if ((st = check_text(ctx, f->name, reg_str(m,
		    f->name))) != DESKD__STATUS__OK)
			return st;
	}
	return DESKD__STATUS__OK;
}

/* The form's required fields: text not empty, a number or choice given. */
static Deskd__Status
check_required(struct apply_ctx *ctx, const struct reg_def *def,
    const ProtobufCMessage *m)
{
	char name[64];

	for (const char *p = def->required; p && *p; ) {
		size_t n = strcspn(p, " ");
		const ProtobufCFieldDescriptor *f;

		snprintf(name, sizeof(name), "%.*s", (int)n, p);
		p += n + strspn(p + n, " ");
		if ((f = field(m, name)) == NULL)
			continue;
		if (f->type == PROTOBUF_C_TYPE_STRING ? *reg_str(m, name) :
		    reg_int(m, name) != 0)
			continue;
		if (f->type == PROTOBUF_C_TYPE_ENUM) {
			const ProtobufCEnumDescriptor *e = f->descriptor;
			char words[160] = "";

			/* The choices as the CLI takes them: KEY_VACANT is
			 * "vacant". */
			for (unsigned i = 1; i < e->n_values; i++) {
				const char *w = strchr(e->values[i].name, '_');

				snprintf(words + strlen(words), sizeof(words) -
				    strlen(words), "%s%s", i > 1 ? ", " : "",
				    w ? w + 1 : e->values[i].name);
			}
			return ctx_fail(ctx, DESKD__STATUS__INVALID_ARGUMENT,
			    "%s: required (%s) (%s)", name, words, def->rules);
		}
		return ctx_fail(ctx, DESKD__STATUS__INVALID_ARGUMENT, "%s: "
		    "required on the %s form (%s)", name, reg_kind(def),
		    def->rules);
	}
	return DESKD__STATUS__OK;
}

/* An open entry still current: not past its register's end (E5: a
 * permit whose valid_to has passed is valid no more). */
static bool
current(const struct reg_def *def, const ProtobufCMessage *m, int64_t now)
{
	return def->ends == NULL || reg_int(m, def->ends) == 0 ||
	    reg_int(m, def->ends) > now;
}

/* An open entry the unique field of a new one clashes with: the same
 * value, still current, and not the entry the new one renews. */
struct clash {
	const struct reg_def	*def;
	const char		*value;
	int64_t			 now;
	int64_t			 renews;
};

static bool
clashes(const ProtobufCMessage *m, const void *arg)
{
	const struct clash *c = arg;

	return strcmp(reg_str(m, c->def->unique), c->value) == 0 &&
	    current(c->def, m, c->now) && (c->renews == 0 ||
	    reg_int(m, "id") != c->renews);
}

ProtobufCMessage **
reg_all(struct apply_ctx *ctx, const struct reg_def *def, bool open_only,
    bool (*keep)(const ProtobufCMessage *, const void *), const void *arg,
    size_t *n)
{
	void **list;
	bool more;

	if (register_page(ctx->txn, def->rec, open_only, 0, SIZE_MAX / 16,
	    def->d, keep, arg, &list, n, &more) != STORE_OK) {
		*n = 0;
		return NULL;
	}
	ctx_own_page(ctx, list, *n);
	return (ProtobufCMessage **)list;
}

/* ---------- storing, events, replies ---------- */

/* What leaves deskd: the entry without its sealed numbers (E6). */
/* E6: the sealed bytes of an entry never leave deskd. */
static void
strip_sealed(ProtobufCMessage *m)
{
	const ProtobufCMessageDescriptor *d = m->descriptor;

	for (unsigned i = 0; i < d->n_fields; i++)
		if (d->fields[i].type == PROTOBUF_C_TYPE_BYTES &&
		    d->fields[i].label != PROTOBUF_C_LABEL_REPEATED)
			memset((char *)m + d->fields[i].offset, 0,
			    sizeof(ProtobufCBinaryData));
}

/*
 * An entry in its carrier, for a reply or (for_log) an event: the log is
 * kept for good and pushed to every watcher, so there a contact phone is
 * masked too (E6), as ctx_event_msg does for records that carry it plain.
 */
static Deskd__RegisterEntry *
entry_msg(struct apply_ctx *ctx, const struct reg_def *def,
    const ProtobufCMessage *m, bool for_log)
{
	const ProtobufCMessageDescriptor *d = m->descriptor;
	ProtobufCMessage *out = ctx_calloc(ctx, 1, d->sizeof_message);
	Deskd__RegisterEntry *e;
	struct masked_phones mp;

	if ((e = calloc(1, sizeof(*e))) == NULL)
		ctx_out_of_memory(ctx, __func__);
	memcpy(out, m, d->sizeof_message);
	out->n_unknown_fields = 0;
	strip_sealed(out);
	/* The masks live in mp until the entry is packed below; out is a
	 * copy, so nothing to restore. */
	if (for_log)
		phones_mask(out, &mp);
	deskd__register_entry__init(e);
	/* Allocated as an unpacked message would be: the reply frees it
	 * with protobuf_c_message_free_unpacked. */
	if ((e->kind = strdup(reg_kind(def))) == NULL ||
	    (e->entry.data = malloc(protobuf_c_message_get_packed_size(out) +
	    1)) == NULL) {
		deskd__register_entry__free_unpacked(e, NULL);
		ctx_out_of_memory(ctx, __func__);
	}
	e->entry.len = protobuf_c_message_pack(out, e->entry.data);
	e->id = (uint64_t)reg_int(m, "id");
	ctx_own_msg(ctx, e);
	return e;
}

static bool
is_open(const struct reg_def *def, const ProtobufCMessage *m)
{
	return reg_word_in(reg_str(m, "state"), def->open);
}

/*
 * "visitor 3 in: 张三, 3-1201" from the register's summary fields; the
 * kind, the verb and an enum's value are words of the desk's catalog,
 * the rest data.
 */
static void
summary(struct apply_ctx *ctx, char *out, size_t len,
    const struct reg_def *def, const ProtobufCMessage *m, const char *what)
{
	char name[64], id[24], vals[REFUSAL_MAX_ARGS][128], tmpl[64];
	const char *args[REFUSAL_MAX_ARGS];
	size_t used;
	int nargs = 0;

	snprintf(id, sizeof(id), "%" PRId64, reg_int(m, "id"));
	/* "%-s" marks a word (PROTOCOL.md 6.1). */
	snprintf(tmpl, sizeof(tmpl), "%%-s %%s %%-s");
	args[nargs++] = reg_kind(def);
	args[nargs++] = id;
	args[nargs++] = what;
	for (const char *p = def->summary; p && *p &&
	    nargs < REFUSAL_MAX_ARGS; ) {
		size_t n = strcspn(p, " ");
		const ProtobufCFieldDescriptor *f;
		char *val = vals[nargs];

		snprintf(name, sizeof(name), "%.*s", (int)n, p);
		p += n + strspn(p + n, " ");
		if ((f = field(m, name)) == NULL)
			continue;
		*val = '\0';
		if (f->type == PROTOBUF_C_TYPE_STRING)
			text_excerpt(val, sizeof(vals[0]), reg_str(m, name), 24);
		else if (f->type == PROTOBUF_C_TYPE_ENUM) {
			const ProtobufCEnumValue *v =
			    protobuf_c_enum_descriptor_get_value(f->descriptor,
			    (int)reg_int(m, name));
			const char *w = v ? strchr(v->name, '_') : NULL;

			snprintf(val, sizeof(vals[0]), "%s", w ? w + 1 : "");
		} else
			snprintf(val, sizeof(vals[0]), "%" PRId64, reg_int(m,
			    name));
		if (!*val)
			continue;
		used = strlen(tmpl);
		snprintf(tmpl + used, sizeof(tmpl) - used, "%s%s", nargs == 3 ?
		    ": " : ", ", f->type == PROTOBUF_C_TYPE_ENUM ? "%-s" : "%s");
		args[nargs++] = val;
	}
	ctx_summary_texts(ctx, out, len, tmpl, args, nargs);
}

void
reg_store(struct apply_ctx *ctx, const struct reg_def *def,
    ProtobufCMessage *m, const char *event, const char *text)
{
	Deskd__RegisterEntry *e;
	char type[64], line[1024];
	uint64_t id = (uint64_t)reg_int(m, "id");

	register_put(ctx->txn, def->rec, id, m, is_open(def, m));
	e = entry_msg(ctx, def, m, true);
	snprintf(type, sizeof(type), "%s.%s", reg_kind(def), event);
	summary(ctx, line, sizeof(line), def, m, event);
	ctx_event_msg(ctx, type, def->rec, id, NULL, line, text, &e->base);
}

static Deskd__Status
reply_entry(struct apply_ctx *ctx, const struct reg_def *def,
    const ProtobufCMessage *m)
{
	Deskd__RegisterEntry *e = entry_msg(ctx, def, m, false);

	return reply_with(ctx, DESKD__RESPONSE__BODY_REGISTER_ENTRY, e);
}

static Deskd__Status
find_def(struct apply_ctx *ctx, const char *kind, const struct reg_def **def)
{
	char kinds[256] = "";

	if ((*def = reg_def_find(kind)) != NULL)
		return DESKD__STATUS__OK;
	for (size_t i = 0; i < reg_def_count(); i++)
		snprintf(kinds + strlen(kinds), sizeof(kinds) - strlen(kinds),
		    "%s%s", i ? ", " : "", reg_kind(reg_def_at(i)));
	return ctx_fail(ctx, DESKD__STATUS__INVALID_ARGUMENT, "kind: no "
	    "register '%s' (registers: %s)", kind, kinds);
}

/* An entry of the register, owned by ctx, or NOT_FOUND. */
static Deskd__Status
load(struct apply_ctx *ctx, const struct reg_def *def, uint64_t id,
    ProtobufCMessage **m)
{
	if ((*m = register_get(ctx->txn, def->rec, id, def->d)) == NULL)
		return ctx_fail(ctx, DESKD__STATUS__NOT_FOUND, "no %s %" PRIu64,
		    reg_kind(def), id);
	ctx_own_msg(ctx, *m);
	return DESKD__STATUS__OK;
}

/* E6: a personal number is kept sealed (when deskd has the archive key)
 * and shown masked; the plain number is never stored. */
static void
seal_secret(struct apply_ctx *ctx, const struct reg_def *def,
    ProtobufCMessage *m)
{
	const char *plain = reg_str(m, def->secret);
	const ProtobufCFieldDescriptor *f;
	char sealed[64], aad[64], *masked;
	uint8_t *blob;
	size_t len;

	/* Already a mask (an export imported back): the number itself is
	 * not known, so nothing to seal; it stays masked. */
	if (!*plain || strchr(plain, '*') != NULL)
		return;
	masked = ctx_calloc(ctx, 1, 64);
	mask_id(plain, masked, 64);
	snprintf(sealed, sizeof(sealed), "%s_sealed", def->secret);
	snprintf(aad, sizeof(aad), "%s.%s", reg_kind(def), def->secret);
	if (ctx->cfg->vault != NULL && (f = field(m, sealed)) != NULL &&
	    vault_seal(ctx->cfg->vault, aad, plain, &blob, &len) == 0) {
		ctx_own_mem(ctx, blob);
		((ProtobufCBinaryData *)((char *)m + f->offset))->data = blob;
		((ProtobufCBinaryData *)((char *)m + f->offset))->len = len;
	}
	reg_set_str(m, def->secret, masked);
}

/* ---------- the requests ---------- */

/* E1: the duty officer signs and stamps (supervisor and up). */
static Deskd__Status
action_allowed(struct apply_ctx *ctx, const struct reg_def *def,
    const struct reg_action *act)
{
	if (!act->approve || perm_allows(ctx->role, OP_REGISTER_APPROVE))
		return DESKD__STATUS__OK;
	return ctx_fail(ctx, DESKD__STATUS__PERMISSION_DENIED, "a %s may not "
	    "%s: %s %s is the duty officer's (%s)", role_name(ctx->role),
	    perm_op_name(OP_REGISTER_APPROVE), reg_kind(def), act->name,
	    def->rules);
}

/*
 * An action on op->entry, as a step at the desk or a step an imported
 * row's state implies: its state and needs checked, a copy of the entry
 * (owned by ctx) in the state after it, stamped now by the actor, and the
 * action's own check.  op->old becomes the entry as it was.
 */
static Deskd__Status
take_action(struct reg_op *op, const struct reg_action *act,
    const char *person, const char *text)
{
	struct apply_ctx *ctx = op->ctx;
	const struct reg_def *def = op->def;
	const char *state = reg_str(op->entry, "state");

	if (!reg_word_in(state, act->from)) {
		if (strcmp(state, act->to) == 0)
			return ctx_fail(ctx, DESKD__STATUS__CONFLICT, "%s %"
			    PRIu64 " is already %s (%s)", reg_kind(def), op->id,
			    state, def->rules);
		return ctx_fail(ctx, DESKD__STATUS__CONFLICT, "%s %" PRIu64
		    " is %s: '%s' needs it %s (%s)", reg_kind(def), op->id,
		    state, act->name, act->from, def->rules);
	}
	if ((act->need & REG_NEED_PERSON) && !*person)
		return ctx_fail(ctx, DESKD__STATUS__INVALID_ARGUMENT, "person: "
		    "%s %s needs the %s", reg_kind(def), act->name,
		    act->person);
	if ((act->need & REG_NEED_TEXT) && !*text)
		return ctx_fail(ctx, DESKD__STATUS__INVALID_ARGUMENT, "text: "
		    "%s %s needs the %s", reg_kind(def), act->name, act->text);
	op->old = op->entry;
	op->entry = reg_copy(ctx, op->old);
	reg_set_str(op->entry, "state", act->to);
	if (act->person != NULL)
		reg_set_str(op->entry, act->person, person);
	if (act->text != NULL)
		reg_set_str(op->entry, act->text, text);
	if (act->stamp_ms != NULL)
		reg_set_int(op->entry, act->stamp_ms, ctx->now_ms);
	if (act->stamp_by != NULL)
		reg_set_str(op->entry, act->stamp_by, ctx->actor);
	return act->check != NULL ? act->check(op) : DESKD__STATUS__OK;
}

/*
 * The actions that lead an entry from `from` to `state`, the fewest and,
 * among as few, the table's first: into path, their number in *n.  None
 * lead there: false, and the states they do reach in `states`.
 */
static bool
path_to(const struct reg_def *def, const char *from, const char *state,
    const struct reg_action **path, size_t *n, char *states, size_t len)
{
	const char *reached[REG_ACTIONS_MAX + 1] = { from };
	size_t via[REG_ACTIONS_MAX + 1], prev[REG_ACTIONS_MAX + 1];
	size_t nreached = 1, at;

	for (size_t q = 0; q < nreached; q++)
		for (size_t a = 0; a < def->nactions &&
		    nreached <= REG_ACTIONS_MAX; a++) {
			const struct reg_action *act = &def->actions[a];
			size_t seen = 0;

			while (seen < nreached &&
			    strcmp(reached[seen], act->to) != 0)
				seen++;
			if (seen < nreached ||
			    !reg_word_in(reached[q], act->from))
				continue;
			reached[nreached] = act->to;
			via[nreached] = a;
			prev[nreached++] = q;
		}
	for (at = 0; at < nreached && strcmp(reached[at], state) != 0; at++)
		;
	if (at == nreached) {
		for (size_t i = 0; i < nreached; i++)
			snprintf(states + strlen(states), len - strlen(states),
			    "%s%s", i ? ", " : "", reached[i]);
		return false;
	}
	*n = 0;
	for (size_t i = at; i != 0; i = prev[i])
		(*n)++;
	for (size_t i = at, k = *n; i != 0; i = prev[i])
		path[--k] = &def->actions[via[i]];
	return true;
}

/*
 * Issue 12: an imported row past its register's first state comes back
 * in it: the actions that lead there, each allowed to the importer and
 * checked as at the desk, with the person and text the row gives; the
 * row's step times and signatures are kept, like its creation, as it
 * reports them.  `acts` and *nacts: the actions taken, for their effects.
 */
static Deskd__Status
replay_state(struct reg_op *op, const ProtobufCMessage *in,
    const struct reg_action **acts, size_t *nacts)
{
	struct apply_ctx *ctx = op->ctx;
	const struct reg_def *def = op->def;
	const char *state = reg_str(in, "state");
	const char *from = reg_str(op->entry, "state");
	Deskd__RegisterStep s = DESKD__REGISTER_STEP__INIT;
	Deskd__Request req = DESKD__REQUEST__INIT;
	char states[160] = "";
	Deskd__Status st;

	*nacts = 0;
	/* The first state, or one the form computes (a count with a
	 * discrepancy, E4): no action.  A renewed permit is renewed by
	 * its renewal's import (E5), as at the desk. */
	if (!*state || strcmp(state, from) == 0 ||
	    (def->linked != NULL && reg_word_in(state, def->linked)))
		return DESKD__STATUS__OK;
	if (!path_to(def, from, state, acts, nacts, states, sizeof(states)))
		return ctx_fail(ctx, DESKD__STATUS__INVALID_ARGUMENT, "state: "
		    "no %s action leads to '%s' (it imports as: %s)",
		    reg_kind(def), state, states);
	req.body_case = DESKD__REQUEST__BODY_REGISTER_STEP;
	req.register_step = &s;
	s.kind = (char *)reg_kind(def);
	for (size_t i = 0; i < *nacts; i++) {
		const struct reg_action *act = acts[i];
		const char *stamped[] = { act->stamp_ms, NULL };
		const char *person = act->person ? reg_str(in, act->person) :
		    "";
		const char *text = act->text ? reg_str(in, act->text) : "";

		s.action = (char *)act->name;
		s.person = (char *)person;
		s.text = (char *)text;
		if ((st = ctx_allows(ctx, &req)) != DESKD__STATUS__OK ||
		    (st = action_allowed(ctx, def, act)) != DESKD__STATUS__OK)
			return import_step_refused(ctx, "state", st);
		/* A need unmet is the row's field's, any other refusal its
		 * state's. */
		if ((st = take_action(op, act, person, text)) !=
		    DESKD__STATUS__OK)
			return import_step_refused(ctx,
			    (act->need & REG_NEED_PERSON) && !*person ?
			    act->person : (act->need & REG_NEED_TEXT) &&
			    !*text ? act->text : "state", st);
		import_step_times(op->entry, in, stamped);
		if (act->stamp_by != NULL && *reg_str(in, act->stamp_by))
			reg_set_str(op->entry, act->stamp_by,
			    reg_str(in, act->stamp_by));
	}
	return DESKD__STATUS__OK;
}


/*
 * An entry of a register from its form (RegisterAdd, or a row of a bulk
 * import, issue 6): every check, then -- unless dry -- stored with its
 * event into *out.  An imported entry is recorded by its importer, now;
 * the row's creation (created_ms, created_by) is kept only as reported
 * (C9, import_provenance).  Like any new entry it takes only the form's
 * fields (1-49) and starts in the register's first state; an imported one
 * then takes the actions to the row's state (replay_state).
 */
static Deskd__Status
reg_add(struct apply_ctx *ctx, const struct reg_def *def,
    ProtobufCMessage *in, bool imported, bool dry, ProtobufCMessage **out)
{
	struct reg_op op = { .ctx = ctx };
	const struct reg_action *acts[REG_ACTIONS_MAX];
	ProtobufCMessage **same;
	Deskd__Status st;
	size_t n, nacts = 0;

	if ((st = check_fields(ctx, def, in)) != DESKD__STATUS__OK)
		return st;
	op.entry = form_fields(ctx, in);
	op.def = def;
	if ((st = check_required(ctx, def, op.entry)) != DESKD__STATUS__OK)
		return st;
	if (*reg_str(op.entry, "unit") &&
	    (st = archive_unit_check(ctx, reg_str(op.entry, "unit"))) !=
	    DESKD__STATUS__OK)
		return st;
	reg_set_str(op.entry, "state", def->start);
	if (def->check != NULL && (st = def->check(&op)) != DESKD__STATUS__OK)
		return st;
	if (imported && (st = replay_state(&op, in, acts, &nacts)) !=
	    DESKD__STATUS__OK)
		return st;
	if (def->unique != NULL && is_open(def, op.entry)) {
		/* E5: one current permit a plate; a renewal replaces the
		 * one it renews. */
		struct clash c = { def, reg_str(op.entry, def->unique),
		    ctx->now_ms, reg_int(op.entry, "renews") };

		same = reg_all(ctx, def, true, clashes, &c, &n);
		if (n > 0)
			return ctx_fail(ctx, DESKD__STATUS__CONFLICT, "%s: '%s' "
			    "is already in the register (%s %" PRId64 ", %s) "
			    "(%s)", def->unique, c.value, reg_kind(def),
			    reg_int(same[0], "id"), reg_str(same[0], "state"),
			    def->rules);
	}
	*out = op.entry;
	if (dry)
		return DESKD__STATUS__OK;
	/* Everything is checked: from here on, writes. */
	if (def->secret != NULL)
		seal_secret(ctx, def, op.entry);
	op.id = store_next_id(ctx->txn, def->rec);
	reg_set_int(op.entry, "id", (int64_t)op.id);
	reg_set_int(op.entry, "created_ms", ctx->now_ms);
	reg_set_str(op.entry, "created_by", ctx->actor);
	if (imported)
		import_provenance(ctx, op.entry, in);
	reg_set_int(op.entry, "updated_ms", ctx->now_ms);
	reg_set_str(op.entry, "updated_by", ctx->actor);
	reg_set_int(op.entry, "revision", 1);
	reg_store(ctx, def, op.entry, imported ? "imported" : def->added, NULL);
	if (def->effect != NULL)
		def->effect(&op);
	/* The replayed actions' clocks, as their steps would have set. */
	for (size_t i = 0; i < nacts; i++)
		if (acts[i]->effect != NULL)
			acts[i]->effect(&op);
	return DESKD__STATUS__OK;
}

static Deskd__Status
register_add_apply(struct apply_ctx *ctx, const Deskd__Request *req)
{
	const Deskd__RegisterAdd *a = req->register_add;
	const struct reg_def *def;
	ProtobufCMessage *in, *entry;
	struct wire_budget budget;
	Deskd__Status st;

	if ((st = find_def(ctx, a->kind, &def)) != DESKD__STATUS__OK)
		return st;
	if (def->made_by_deskd)
		return ctx_fail(ctx, DESKD__STATUS__INVALID_ARGUMENT, "kind: "
		    "%s entries are made by deskd, not added (%s)",
		    reg_kind(def), def->rules);
	/* The entry is decoded under the same cap as a request would be;
	 * once it fits, again with the plain allocator, so that the context
	 * owns it like any message read from the store. */
	wire_budget_init(&budget, wire_budget_for(a->entry.len));
	in = protobuf_c_message_unpack(def->d, &budget.allocator,
	    a->entry.len, a->entry.data);
	wire_budget_release(&budget);
	if (in == NULL)
		return ctx_fail(ctx, DESKD__STATUS__INVALID_ARGUMENT, "entry: "
		    "not a %s (%s message)", reg_kind(def), def->d->name);
	if ((in = protobuf_c_message_unpack(def->d, NULL, a->entry.len,
	    a->entry.data)) == NULL)
		return ctx_fail(ctx, DESKD__STATUS__INTERNAL, "out of memory");
	ctx_own_msg(ctx, in);
	if ((st = reg_add(ctx, def, in, false, false, &entry)) !=
	    DESKD__STATUS__OK)
		return st;
	return reply_entry(ctx, def, entry);
}

Deskd__Status
reg_add_made(struct apply_ctx *ctx, const struct reg_def *def,
    ProtobufCMessage *in, ProtobufCMessage **out)
{
	return reg_add(ctx, def, in, false, false, out);
}

Deskd__Status
reg_add_made_check(struct apply_ctx *ctx, const struct reg_def *def,
    ProtobufCMessage *in)
{
	ProtobufCMessage *out;

	return reg_add(ctx, def, in, false, true, &out);
}

Deskd__Status
register_import(struct apply_ctx *ctx, const struct kind *k,
    ProtobufCMessage *in, bool dry, uint64_t *id)
{
	const struct reg_def *def = k->area_data;
	ProtobufCMessage *entry;
	Deskd__Status st;

	if ((st = reg_add(ctx, def, in, true, dry, &entry)) !=
	    DESKD__STATUS__OK)
		return st;
	*id = (uint64_t)reg_int(entry, "id");
	return DESKD__STATUS__OK;
}

ProtobufCMessage *
register_public(struct apply_ctx *ctx, ProtobufCMessage *m)
{
	ProtobufCMessage *c = reg_copy(ctx, m);

	strip_sealed(c);
	return c;
}

static Deskd__Status
find_action(struct apply_ctx *ctx, const struct reg_def *def,
    const char *name, const struct reg_action **act)
{
	char names[160] = "";

	for (size_t i = 0; i < def->nactions; i++) {
		if (strcmp(def->actions[i].name, name) == 0) {
			*act = &def->actions[i];
			return DESKD__STATUS__OK;
		}
		snprintf(names + strlen(names), sizeof(names) - strlen(names),
		    "%s%s", i ? ", " : "", def->actions[i].name);
	}
	return ctx_fail(ctx, DESKD__STATUS__INVALID_ARGUMENT, "action: the %s "
	    "register has no '%s' (actions: %s)", reg_kind(def), name,
	    *names ? names : "none");
}

static Deskd__Status
register_step_apply(struct apply_ctx *ctx, const Deskd__Request *req)
{
	const Deskd__RegisterStep *s = req->register_step;
	const struct reg_action *act = NULL;
	const struct reg_def *def;
	struct reg_op op = { .ctx = ctx, .step = s, .id = s->id };
	ProtobufCMessage *old;
	Deskd__Status st;

	if ((st = find_def(ctx, s->kind, &def)) != DESKD__STATUS__OK ||
	    (st = find_action(ctx, def, s->action, &act)) !=
	    DESKD__STATUS__OK)
		return st;
	op.def = def;
	if ((st = action_allowed(ctx, def, act)) != DESKD__STATUS__OK ||
	    (st = load(ctx, def, s->id, &old)) != DESKD__STATUS__OK)
		return st;
	op.entry = old;
	if ((st = take_action(&op, act, s->person, s->text)) !=
	    DESKD__STATUS__OK)
		return st;
	reg_set_int(op.entry, "updated_ms", ctx->now_ms);
	reg_set_str(op.entry, "updated_by", ctx->actor);
	reg_set_int(op.entry, "revision", reg_int(old, "revision") + 1);
	reg_store(ctx, def, op.entry, act->event, s->text);
	if (act->effect != NULL)
		act->effect(&op);
	return reply_entry(ctx, def, op.entry);
}

static Deskd__Status
register_get_apply(struct apply_ctx *ctx, const Deskd__Request *req)
{
	const Deskd__RegisterGet *g = req->register_get;
	const struct reg_def *def;
	ProtobufCMessage *m;
	Deskd__Status st;

	if ((st = find_def(ctx, g->kind, &def)) != DESKD__STATUS__OK ||
	    (st = load(ctx, def, g->id, &m)) != DESKD__STATUS__OK)
		return st;
	return reply_entry(ctx, def, m);
}

struct filter {
	char			 field[64];	/* "": any */
	char			 value[256];
	const struct reg_def	*def;
	bool			 open_only;	/* and current */
	int64_t			 now;
};

static bool
filter_keep(const ProtobufCMessage *m, const void *arg)
{
	const struct filter *f = arg;

	return (*f->field == '\0' || strcmp(reg_str(m, f->field),
	    f->value) == 0) && (!f->open_only || current(f->def, m, f->now));
}

static Deskd__Status
register_list_apply(struct apply_ctx *ctx, const Deskd__Request *req)
{
	const Deskd__RegisterList *l = req->register_list;
	const struct reg_def *def;
	const ProtobufCFieldDescriptor *f = NULL;
	Deskd__RegisterEntry **out;
	struct filter flt = { .open_only = l->open_only, .now = ctx->now_ms };
	const char *eq;
	void **list;
	Deskd__Status st;
	size_t n;
	bool more;

	if ((st = find_def(ctx, l->kind, &def)) != DESKD__STATUS__OK)
		return st;
	flt.def = def;
	if (*l->filter) {
		eq = strchr(l->filter, '=');
		snprintf(flt.field, sizeof(flt.field), "%.*s", eq ?
		    (int)(eq - l->filter) : 0, l->filter);
		snprintf(flt.value, sizeof(flt.value), "%s", eq ? eq + 1 : "");
		if (eq == NULL || (f = protobuf_c_message_descriptor_get_field_by_name(
		    def->d, flt.field)) == NULL ||
		    f->type != PROTOBUF_C_TYPE_STRING ||
		    f->label == PROTOBUF_C_LABEL_REPEATED)
			return ctx_fail(ctx, DESKD__STATUS__INVALID_ARGUMENT,
			    "filter: FIELD=VALUE on a text field of the %s "
			    "register", reg_kind(def));
	}
	if (register_page(ctx->txn, def->rec, l->open_only, l->after_id,
	    reply_limit(l->limit, LIST_DEFAULT, LIST_MAX), def->d,
	    f || def->ends ? filter_keep : NULL, &flt, &list, &n, &more) !=
	    STORE_OK)
		return ctx_fail(ctx, DESKD__STATUS__INTERNAL, "cannot list the "
		    "%s register", reg_kind(def));
	ctx_own_page(ctx, list, n);
	out = ctx_calloc(ctx, n, sizeof(*out));
	for (size_t i = 0; i < n; i++)
		out[i] = entry_msg(ctx, def, list[i], false);
	return reply_page(ctx, DESKD__RESPONSE__BODY_REGISTER_LIST,
	    (ProtobufCMessage **)out, n, more);
}

static Deskd__Status
register_history_apply(struct apply_ctx *ctx, const Deskd__Request *req)
{
	const Deskd__RegisterHistory *h = req->register_history;
	const struct reg_def *def;
	Deskd__Status st;

	if ((st = find_def(ctx, h->kind, &def)) != DESKD__STATUS__OK)
		return st;
	return reply_history(ctx, def->rec, h->id, h->after_seq, h->limit);
}

struct month_span {
	int64_t	from, to;
};

static bool
in_month(const ProtobufCMessage *m, const void *arg)
{
	const struct month_span *s = arg;
	int64_t t = reg_int(m, "created_ms");

	return t >= s->from && t < s->to;
}

/* E2: how long the month's registrations took, and how many over 60 s. */
static Deskd__Status
register_report_apply(struct apply_ctx *ctx, const Deskd__Request *req)
{
	const Deskd__RegisterReport *q = req->register_report;
	const struct reg_def *def;
	Deskd__RegisterReportReply *r;
	ProtobufCMessage **all;
	struct month_span span;
	uint32_t month = q->month, next;
	uint64_t sum = 0;
	Deskd__Status st;
	size_t n;

	if ((st = find_def(ctx, q->kind, &def)) != DESKD__STATUS__OK)
		return st;
	if (def->timed == NULL)
		return ctx_fail(ctx, DESKD__STATUS__INVALID_ARGUMENT, "kind: "
		    "the %s register has no timed report", reg_kind(def));
	if (month == 0)
		month = att_today(ctx->now_ms) / 100;
	next = calendar_month_next(month);
	if (month % 100 < 1 || month % 100 > 12 ||
	    (span.from = att_day_ms(month * 100 + 1)) < 0 ||
	    (span.to = att_day_ms(next * 100 + 1)) < 0)
		return ctx_fail(ctx, DESKD__STATUS__INVALID_ARGUMENT, "month: "
		    "%u is not a month (YYYYMM)", q->month);
	all = reg_all(ctx, def, false, in_month, &span, &n);
	r = ctx_new(ctx, &deskd__register_report_reply__descriptor);
	r->kind = (char *)reg_kind(def);
	r->month = month;
	r->limit_seconds = REG_TIMED_LIMIT_S;
	r->slow_ids = ctx_calloc(ctx, REG_SLOW_IDS, sizeof(uint64_t));
	for (size_t i = 0; i < n; i++) {
		uint32_t s = (uint32_t)reg_int(all[i], def->timed);

		r->total++;
		if (s == 0)
			continue;
		r->timed++;
		sum += s;
		if (s > r->max_seconds)
			r->max_seconds = s;
		if (s <= REG_TIMED_LIMIT_S)
			continue;
		r->over_limit++;
		if (r->n_slow_ids < REG_SLOW_IDS)
			r->slow_ids[r->n_slow_ids++] =
			    (uint64_t)reg_int(all[i], "id");
	}
	r->mean_seconds = r->timed ? (uint32_t)(sum / r->timed) : 0;
	return reply_with(ctx, DESKD__RESPONSE__BODY_REGISTER_REPORT, r);
}

/* A register's own writers (a plan is the supervisor's): its kind's write
 * permission; an unknown kind is refused by the handler, by name. */
static enum perm_op
register_write_op(const Deskd__Request *req, enum perm_op op)
{
	const char *kind = req->body_case == DESKD__REQUEST__BODY_REGISTER_ADD ?
	    req->register_add->kind : req->register_step->kind;
	const struct reg_def *def = reg_def_find(kind);

	return def != NULL && def->write_op ? def->write_op : op;
}

static const struct request_row register_requests[] = {
	/* E1-E5, E7: the front-desk registers, every one through the same
	 * handlers (register.c); the duty officer's approvals (E1) are
	 * checked per action there. */
	{ REQUEST(REGISTER_ADD, "register add"), .op = OP_REGISTER_WRITE,
	    .op_of = register_write_op, .apply = register_add_apply },
	{ REQUEST(REGISTER_STEP, "register step"), .op = OP_REGISTER_WRITE,
	    .op_of = register_write_op, .apply = register_step_apply },
	{ REQUEST(REGISTER_GET, "register show"), .op = OP_REGISTER_READ,
	    .apply = register_get_apply },
	{ REQUEST(REGISTER_LIST, "register list"), .op = OP_REGISTER_READ,
	    .apply = register_list_apply },
	{ REQUEST(REGISTER_HISTORY, "register history"),
	    .op = OP_REGISTER_READ, .apply = register_history_apply },
	{ REQUEST(REGISTER_REPORT, "register report"), .op = OP_REGISTER_READ,
	    .apply = register_report_apply },
};

/* E4, E5, E7 (issue 5).  The parking span is the notice before the
 * expiry; hot work's deadline is the end of its permitted window (the span
 * only configures).  A parking permit's breach is itself the notice before
 * the expiry (E5), and a due key count the reminder (E4): warning at 75 %
 * of a month is noise. */
static const struct clock_rule register_clocks[] = {
	{ CLOCK_KEY_RECONCILE, "E4", R_("the key cabinet is due for a count "
	    "against the register (desk key reconcile)"), CLOCK_DAYS(30),
	    .no_warning = true },
	{ CLOCK_KEY_OUT, "E4", R_("a key is out longer than allowed: get it "
	    "back (desk key in)"), .span_ms = CLOCK_HOURS(24) },
	{ CLOCK_PARKING_EXPIRY, "E5", R_("a parking permit expires soon: renew "
	    "it or tell the holder"), CLOCK_DAYS(7),
	    .no_warning = true },
	{ CLOCK_HOTWORK_OVERRUN, "E7", R_("hot work runs past its permitted "
	    "window: stop it or close the permit"), CLOCK_HOURS(1),
	    .role = "supervisor" },
};

Deskd__Status
register_shown(struct apply_ctx *ctx, const struct kind *k,
    ProtobufCMessage **m, bool unmasked)
{
	(void)k;
	(void)unmasked;
	*m = register_public(ctx, *m);
	return DESKD__STATUS__OK;
}

/* Whether the type is a register's event: KIND.anything. */
static bool
register_event(const char *type, size_t len)
{
	char kind[32];
	const char *dot = memchr(type, '.', len);

	if (dot == NULL || (size_t)(dot - type) >= sizeof(kind))
		return false;
	memcpy(kind, type, (size_t)(dot - type));
	kind[dot - type] = '\0';
	return reg_def_find(kind) != NULL;
}

static const struct event_rule register_events[] = {
	{ .covers = register_event, .op = OP_REGISTER_READ },
};

const struct area register_area = {
	.name = "register",
	.requests = register_requests,
	.nrequests = nitems(register_requests),
	.clocks = register_clocks,
	.nclocks = nitems(register_clocks),
	.events = register_events,
	.nevents = nitems(register_events),
};
