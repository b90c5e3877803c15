/*
 * validate.c - checks every request gets before a handler sees it: every
 * string of every message (found through the protobuf descriptors, so a new
 * field cannot be forgotten) is valid UTF-8 and within its size limit, and
 * every time, day and month is in the one range of times (wire_time_of).
 */
#include <stdio.h>
#include <stdint.h>
#include <string.h>

#include "area.h"
#include "ctx.h"
#include "refuse.h"
#include "reply.h"
#include "validate.h"
#include "wire.h"

/* Bytes, not characters: a Chinese character is 3 bytes of UTF-8. */
static const struct field_limit limits[] = {
	{ "text", 4096 },
	{ "demand", 1024 },
	{ "unit", 32 },
	{ "phone", 20 },
	{ "complainant", 64 },
	{ "category", 32 },
	{ "source", 16 },
	{ "channel", 16 },
	{ "dept", 64 },
	{ "person", 64 },
	{ "name", 32 },
	{ "user", 32 },
	{ "role", 16 },
	{ "password", 256 },
	{ "old_password", 256 },
	{ "new_password", 256 },
	{ "token", 128 },
	{ "client_name", 64 },
	{ "desk_name", 64 },
	{ "type_prefixes", 64 },
	{ "ref", 128 },			/* an import's external key (H3) */
	{ "engineer", 32 },		/* a user name */
	{ "fee_item", 64 },
	{ "item", 64 },
};

#define DEFAULT_LIMIT	256
#define MAX_DEPTH	4

/* A field's entry in the table, else in an area's limits (or counts),
 * else `dflt`. */
static size_t
limit_of(const char *field, const struct field_limit *table, size_t n,
    bool count, size_t dflt)
{
	const struct area *a;

	for (size_t i = 0; i < n; i++)
		if (strcmp(table[i].field, field) == 0)
			return table[i].max;
	for (size_t i = 0; (a = area_nth(i)) != NULL; i++) {
		const struct field_limit *l = count ? a->counts : a->limits;
		size_t nl = count ? a->ncounts : a->nlimits;

		for (size_t j = 0; j < nl; j++)
			if (strcmp(l[j].field, field) == 0)
				return l[j].max;
	}
	return dflt;
}

size_t
validate_limit(const char *field)
{
	return limit_of(field, limits, nitems(limits), false, DEFAULT_LIMIT);
}

/*
 * Entries of a repeated string or message field, as PROTOCOL.md 13.1 lists
 * them (test_protocol_limits holds the two together): 64, but an import
 * batch carries up to 5,000 rows (issue 6, import.c); a subscription names
 * at most 16 prefixes; an area may allow more (a month's schedule).
 */
static const struct field_limit counts[] = {
	{ "rows", 5000 },
	{ "type_prefixes", 16 },
};

#define DEFAULT_COUNT	64

size_t
validate_count(const char *field)
{
	return limit_of(field, counts, nitems(counts), true, DEFAULT_COUNT);
}

static Deskd__Status walk(const ProtobufCMessage *, char *, size_t, int,
    bool);

/*
 * A page's `limit` over the most a page holds is refused, not cut short
 * without a word (issue 11): a history 200 events, an export 5,000
 * records, any other list 500 (reply.h; 0 is the default).
 */
static Deskd__Status
page_limit(const ProtobufCMessageDescriptor *d, uint32_t asked, char *msg,
    size_t msglen)
{
	size_t len = strlen(d->short_name), max = LIST_MAX;

	if (len > 7 && strcmp(d->short_name + len - 7, "History") == 0)
		max = HISTORY_MAX;
	else if (strcmp(d->short_name, "ExportRequest") == 0)
		max = EXPORT_MAX;
	if (asked <= max)
		return DESKD__STATUS__OK;
	refuse_fmt(msg, msglen, "limit: %u is more than a page holds, %zu (ask "
	    "again for the next page)", asked, max);
	return DESKD__STATUS__INVALID_ARGUMENT;
}

/*
 * What walk needs of a field, worked out from its name once a process
 * (validate_rules_build) rather than by strcmp scans for every field of
 * every request and import row: those scans led the import workers'
 * profile.  Built before any thread starts and read only after.
 */
struct field_rule {
	enum wire_time	 time;
	bool		 page_limit;	/* a uint32 "limit": page_limit() */
	size_t		 max;		/* a string's bytes */
	size_t		 count;		/* a repeated field's entries */
};

#define RULE_MSGS	512		/* descriptors: about 190 today */
#define RULE_FIELDS	4096		/* their fields: about 1,550 */

static struct {
	const ProtobufCMessageDescriptor *d;
	const struct field_rule		 *rules;
} rule_msgs[RULE_MSGS];
static struct field_rule rule_fields[RULE_FIELDS];
static size_t nrule_msgs, nrule_fields;

static void
rule_make(const ProtobufCMessageDescriptor *d,
    const ProtobufCFieldDescriptor *f, struct field_rule *r)
{
	r->time = wire_time_of(d, f);
	r->page_limit = f->type == PROTOBUF_C_TYPE_UINT32 &&
	    strcmp(f->name, "limit") == 0;
	r->max = f->type == PROTOBUF_C_TYPE_STRING ? validate_limit(f->name) :
	    0;
	r->count = f->label == PROTOBUF_C_LABEL_REPEATED ?
	    validate_count(f->name) : 0;
}

static size_t
rule_slot(const ProtobufCMessageDescriptor *d)
{
	size_t i = ((uintptr_t)d >> 4) % RULE_MSGS;

	while (rule_msgs[i].d != NULL && rule_msgs[i].d != d)
		i = (i + 1) % RULE_MSGS;
	return i;
}

/* The descriptor's rules, or NULL (not built, or not reached by it). */
static const struct field_rule *
rules_of(const ProtobufCMessageDescriptor *d)
{
	return rule_msgs[rule_slot(d)].rules;
}

static void
rules_add(const ProtobufCMessageDescriptor *d)
{
	size_t slot = rule_slot(d);
	struct field_rule *r;

	/* Known, or full (a slot always left empty ends a lookup): walk
	 * then works the rules out each time. */
	if (rule_msgs[slot].d != NULL || nrule_msgs == RULE_MSGS - 1 ||
	    nrule_fields + d->n_fields > RULE_FIELDS)
		return;
	r = &rule_fields[nrule_fields];
	nrule_fields += d->n_fields;
	nrule_msgs++;
	for (unsigned i = 0; i < d->n_fields; i++)
		rule_make(d, &d->fields[i], &r[i]);
	rule_msgs[slot].d = d;
	rule_msgs[slot].rules = r;
	for (unsigned i = 0; i < d->n_fields; i++)
		if (d->fields[i].type == PROTOBUF_C_TYPE_MESSAGE)
			rules_add(d->fields[i].descriptor);
}

void
validate_rules_build(void)
{
	const struct kind *k;

	/* Anew: a build before the areas registered lacks their limits. */
	memset(rule_msgs, 0, sizeof(rule_msgs));
	nrule_msgs = nrule_fields = 0;
	rules_add(&deskd__request__descriptor);
	for (size_t i = 0; (k = area_kind_nth(i)) != NULL; i++)
		rules_add(k->d);
}

bool
validate_rules_cover(const ProtobufCMessageDescriptor *d)
{
	return rules_of(d) != NULL;
}

/*
 * A time, day or month field: unset (0, "") or in the one range of times
 * (wire.h), so that what is stored has a date in every zone, exports and
 * imports back, and deadlines computed from it never overflow.
 */
static Deskd__Status
check_time(enum wire_time t, const ProtobufCFieldDescriptor *f,
    const void *ptr, char *msg, size_t msglen)
{
	const char *s;
	uint32_t v;

	switch (t) {
	case WIRE_TIME_INSTANT:
		if (*(const int64_t *)ptr == 0 ||
		    wire_time_ok(*(const int64_t *)ptr))
			return DESKD__STATUS__OK;
		return validate_not_a_time(f->name, msg, msglen);
	case WIRE_TIME_DAY:
		if ((v = *(const uint32_t *)ptr) == 0 || wire_day_ok(v))
			return DESKD__STATUS__OK;
		refuse_fmt(msg, msglen, "%s: %u is not a day %s (YYYYMMDD)",
		    f->name, v, WIRE_DAY_RANGE);
		break;
	case WIRE_TIME_MONTH:
		if ((v = *(const uint32_t *)ptr) == 0 || wire_month_ok(v))
			return DESKD__STATUS__OK;
		refuse_fmt(msg, msglen, "%s: %u is not a month from 2000-01 to "
		    "2099-12 (YYYYMM)", f->name, v);
		break;
	case WIRE_TIME_DAY_TEXT:
		if ((s = *(char *const *)ptr) == NULL || *s == '\0' ||
		    wire_day_parse(s, &v) == 0)
			return DESKD__STATUS__OK;
		/* Not echoed: it may be anything up to the field's limit. */
		refuse_fmt(msg, msglen, "%s: not a day %s (YYYY-MM-DD)", f->name,
		    WIRE_DAY_RANGE);
		break;
	default:
		return DESKD__STATUS__OK;
	}
	return DESKD__STATUS__INVALID_ARGUMENT;
}

static Deskd__Status
check_value(const ProtobufCFieldDescriptor *f, const struct field_rule *r,
    const void *ptr, char *msg, size_t msglen, int depth, bool strings)
{
	if (f->type == PROTOBUF_C_TYPE_STRING) {
		const char *s = *(char *const *)ptr;
		size_t len;

		if (s == NULL || !strings)
			return DESKD__STATUS__OK;
		len = strlen(s);
		if (!wire_utf8_valid(s, len)) {
			refuse_fmt(msg, msglen, "%s: not valid UTF-8", f->name);
			return DESKD__STATUS__INVALID_ARGUMENT;
		}
		if (len > r->max) {
			refuse_fmt(msg, msglen, "%s: %zu bytes, the limit is %zu",
			    f->name, len, r->max);
			return DESKD__STATUS__INVALID_ARGUMENT;
		}
	} else if (f->type == PROTOBUF_C_TYPE_MESSAGE) {
		const ProtobufCMessage *sub = *(ProtobufCMessage *const *)ptr;

		if (sub != NULL)
			return walk(sub, msg, msglen, depth + 1, strings);
	}
	return DESKD__STATUS__OK;
}

/* strings false: only the times (a register's form, whose strings
 * register.c checks against its own limits). */
static Deskd__Status
walk(const ProtobufCMessage *m, char *msg, size_t msglen, int depth,
    bool strings)
{
	const ProtobufCMessageDescriptor *d = m->descriptor;
	const struct field_rule *rules = rules_of(d);
	const char *base = (const char *)m;
	struct field_rule worked_out;	/* a message without rules */
	Deskd__Status st;

	if (depth > MAX_DEPTH)
		return DESKD__STATUS__OK;
	for (unsigned i = 0; i < d->n_fields; i++) {
		const ProtobufCFieldDescriptor *f = &d->fields[i];
		const struct field_rule *r = rules != NULL ? &rules[i] :
		    &worked_out;

		if (f->flags & PROTOBUF_C_FIELD_FLAG_ONEOF) {
			if (*(const uint32_t *)(base + f->quantifier_offset) !=
			    f->id)
				continue;
		}
		if (rules == NULL)
			rule_make(d, f, &worked_out);
		if (r->time != WIRE_TIME_NONE) {
			if ((st = check_time(r->time, f, base + f->offset, msg,
			    msglen)) != DESKD__STATUS__OK)
				return st;
		} else if (f->label == PROTOBUF_C_LABEL_REPEATED) {
			size_t n = *(const size_t *)(base + f->quantifier_offset);
			const char *arr = *(char *const *)(base + f->offset);
			size_t esz = f->type == PROTOBUF_C_TYPE_STRING ||
			    f->type == PROTOBUF_C_TYPE_MESSAGE ?
			    sizeof(void *) : 0;

			if (esz == 0 || !strings)
				continue;
			if (n > r->count) {
				refuse_fmt(msg, msglen, "%s: %zu entries, the "
				    "limit is %zu", f->name, n, r->count);
				return DESKD__STATUS__INVALID_ARGUMENT;
			}
			for (size_t j = 0; j < n; j++)
				if ((st = check_value(f, r, arr + j * esz, msg,
				    msglen, depth, strings)) != DESKD__STATUS__OK)
					return st;
		} else if (r->page_limit && strings) {
			if ((st = page_limit(d, *(const uint32_t *)(base +
			    f->offset), msg, msglen)) != DESKD__STATUS__OK)
				return st;
		} else if ((st = check_value(f, r, base + f->offset, msg, msglen,
		    depth, strings)) != DESKD__STATUS__OK)
			return st;
	}
	return DESKD__STATUS__OK;
}

Deskd__Status
validate_fields(const ProtobufCMessage *m, char *msg, size_t msglen)
{
	return walk(m, msg, msglen, 0, true);
}

Deskd__Status
validate_not_a_time(const char *field, char *msg, size_t msglen)
{
	refuse_fmt(msg, msglen, "%s: not a time (%s)", field, WIRE_TIME_RANGE);
	return DESKD__STATUS__INVALID_ARGUMENT;
}

Deskd__Status
validate_required(const char *field, const char *value, char *msg,
    size_t msglen)
{
	if (value == NULL || *value == '\0') {
		refuse_fmt(msg, msglen, "%s: required", field);
		return DESKD__STATUS__INVALID_ARGUMENT;
	}
	return DESKD__STATUS__OK;
}

Deskd__Status
validate_enums(const ProtobufCMessage *m, char *msg, size_t msglen)
{
	const ProtobufCMessageDescriptor *d = m->descriptor;

	for (unsigned i = 0; i < d->n_fields; i++) {
		const ProtobufCFieldDescriptor *f = &d->fields[i];
		int v;

		if (f->type != PROTOBUF_C_TYPE_ENUM ||
		    f->label == PROTOBUF_C_LABEL_REPEATED)
			continue;
		v = *(const int *)((const char *)m + f->offset);
		if (protobuf_c_enum_descriptor_get_value(f->descriptor, v) ==
		    NULL) {
			refuse_fmt(msg, msglen, "%s: %d is not a value of %s",
			    f->name, v, ((const ProtobufCEnumDescriptor *)
			    f->descriptor)->short_name);
			return DESKD__STATUS__INVALID_ARGUMENT;
		}
	}
	return DESKD__STATUS__OK;
}

Deskd__Status
validate_times(const ProtobufCMessage *m, char *msg, size_t msglen)
{
	return walk(m, msg, msglen, 0, false);
}
