/* list_rules.c - the filters of a list of records (list_rules.h). */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "calendar.h"
#include "list_rules.h"
#include "refuse.h"
#include "wire.h"

/* The enum's value whose name, after its prefix up to the first '_'
 * ("STATUS_", "WORK_", "KIND_"), is word; -1 when none is. */
static int
enum_word(const ProtobufCEnumDescriptor *e, const char *word)
{
	for (unsigned i = 0; i < e->n_values; i++) {
		const char *us = strchr(e->values[i].name, '_');

		if (us != NULL && strcasecmp(us + 1, word) == 0)
			return e->values[i].value;
	}
	return -1;
}

/* "open|resolved|closed" into buf, for the refusal. */
static const char *
enum_words(const ProtobufCEnumDescriptor *e, char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (unsigned i = 0; i < e->n_values && used < len; i++) {
		const char *us = strchr(e->values[i].name, '_');
		int n;

		/* KIND_UNSET is no kind anyone asks for. */
		if (us == NULL || strcmp(us + 1, "UNSET") == 0)
			continue;
		n = snprintf(buf + used, len - used, "%s", used ? "|" : "");
		used += (size_t)n;
		for (us++; *us && used + 1 < len; us++)
			buf[used++] = (char)(*us >= 'A' && *us <= 'Z' ?
			    *us - 'A' + 'a' : *us);
		buf[used < len ? used : len - 1] = '\0';
	}
	return buf;
}

static Deskd__Status
read_day(const char *field, const char *text, uint32_t *day, char *msg,
    size_t len)
{
	*day = 0;
	if (*text == '\0' || wire_day_parse(text, day) == 0)
		return DESKD__STATUS__OK;
	refuse_fmt(msg, len, "%s: '%.40s' is not a day (YYYY-MM-DD) %s", field,
	    text, WIRE_DAY_RANGE);
	return DESKD__STATUS__INVALID_ARGUMENT;
}

static Deskd__Status
read_word(const char *field, const ProtobufCEnumDescriptor *e,
    const char *text, int *value, char *msg, size_t len)
{
	char words[128];

	*value = -1;
	if (e == NULL || *text == '\0')
		return DESKD__STATUS__OK;
	if ((*value = enum_word(e, text)) >= 0 && strcasecmp(text, "unset"))
		return DESKD__STATUS__OK;
	refuse_fmt(msg, len, "%s: no %s '%.40s'; one of %s", field, field, text,
	    enum_words(e, words, sizeof(words)));
	return DESKD__STATUS__INVALID_ARGUMENT;
}

Deskd__Status
list_filter_read(struct list_filter *f, const char *unit,
    const char *from_day, const char *to_day,
    const ProtobufCEnumDescriptor *status_enum, const char *status,
    const ProtobufCEnumDescriptor *kind_enum, const char *kind, char *msg,
    size_t len)
{
	Deskd__Status st;

	f->unit = unit;
	if ((st = read_day("from_day", from_day, &f->from, msg, len)) ||
	    (st = read_day("to_day", to_day, &f->to, msg, len)) ||
	    (st = read_word("status", status_enum, status, &f->status, msg,
	    len)) || (st = read_word("kind", kind_enum, kind, &f->kind, msg,
	    len)))
		return st;
	if (f->from != 0 && f->to != 0 && f->from > f->to) {
		refuse_fmt(msg, len, "from_day %s is after to_day %s", from_day,
		    to_day);
		return DESKD__STATUS__INVALID_ARGUMENT;
	}
	return DESKD__STATUS__OK;
}

bool
list_unit_matches(const char *filter, const char *unit)
{
	size_t n = strlen(filter);

	/* A building or an entrance takes its units; "3-2" is not "3-21". */
	return n == 0 || (strncmp(filter, unit, n) == 0 &&
	    (unit[n] == '\0' || unit[n] == '-' || filter[n - 1] == '-'));
}

bool
list_filter_matches(const struct list_filter *f, const char *unit,
    uint32_t day, int status, int kind)
{
	return list_unit_matches(f->unit, unit) &&
	    (f->from == 0 || day >= f->from) && (f->to == 0 || day <= f->to) &&
	    (f->status < 0 || status == f->status) &&
	    (f->kind < 0 || kind == f->kind);
}

uint32_t
list_record_day(int64_t created_ms, int64_t reported_ms)
{
	return calendar_local_day(reported_ms != 0 ? reported_ms : created_ms);
}
