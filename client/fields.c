/*
 * fields.c - a message's fields as text, through the descriptors: for the
 * register commands' flags and prompts, and for the files `desk import`
 * reads and `desk export` writes (issue 6).  See fields.h.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "fields.h"
#include "wire.h"

static bool
ends_with(const char *s, const char *end)
{
	size_t n = strlen(s), m = strlen(end);

	return n > m && strcmp(s + n - m, end) == 0;
}

bool
field_is_time(const ProtobufCFieldDescriptor *f)
{
	return f->type == PROTOBUF_C_TYPE_INT64 && ends_with(f->name, "_ms");
}

static bool
is_money(const ProtobufCFieldDescriptor *f)
{
	return f->type == PROTOBUF_C_TYPE_INT64 &&
	    ends_with(f->name, "_cents");
}

/* A day as YYYYMMDD in a uint32 (Person.move_in, 0: not known): in files
 * and flags 2020-08-01, as `desk person add --move-in` takes it (C5). */
static bool
is_day(const ProtobufCFieldDescriptor *f)
{
	return f->type == PROTOBUF_C_TYPE_UINT32 &&
	    strcmp(f->name, "move_in") == 0;
}

static int
set_day(uint32_t *p, const char *v)
{
	unsigned y, m, d;
	int used = 0;

	/* 2020-08-01, or 20200801 as files written before said it; a day
	 * of the calendar in the one range of times (wire.h). */
	if (wire_day_parse(v, p) == 0)
		return 0;
	if (sscanf(v, "%4u%2u%2u%n", &y, &m, &d, &used) != 3 ||
	    v[used] != '\0' || !wire_day_ok(y * 10000 + m * 100 + d))
		return -1;
	*p = y * 10000 + m * 100 + d;
	return 0;
}

static bool
is_signed(const ProtobufCFieldDescriptor *f)
{
	switch (f->type) {
	case PROTOBUF_C_TYPE_INT32:
	case PROTOBUF_C_TYPE_SINT32:
	case PROTOBUF_C_TYPE_SFIXED32:
	case PROTOBUF_C_TYPE_INT64:
	case PROTOBUF_C_TYPE_SINT64:
	case PROTOBUF_C_TYPE_SFIXED64:
		return true;
	default:
		return false;
	}
}

static bool
is_unsigned(const ProtobufCFieldDescriptor *f)
{
	switch (f->type) {
	case PROTOBUF_C_TYPE_UINT32:
	case PROTOBUF_C_TYPE_FIXED32:
	case PROTOBUF_C_TYPE_UINT64:
	case PROTOBUF_C_TYPE_FIXED64:
		return true;
	default:
		return false;
	}
}

/* A list a desk writes as text: of words, or of small numbers (a
 * survey's scores). */
static bool
text_list(const ProtobufCFieldDescriptor *f)
{
	return f->label == PROTOBUF_C_LABEL_REPEATED &&
	    (f->type == PROTOBUF_C_TYPE_STRING ||
	    f->type == PROTOBUF_C_TYPE_UINT32);
}

bool
field_has_text(const ProtobufCFieldDescriptor *f)
{
	if (f->label == PROTOBUF_C_LABEL_REPEATED)
		return text_list(f);
	return f->type != PROTOBUF_C_TYPE_BYTES &&
	    f->type != PROTOBUF_C_TYPE_MESSAGE &&
	    f->type != PROTOBUF_C_TYPE_FLOAT &&
	    f->type != PROTOBUF_C_TYPE_DOUBLE;
}

/* ---------- the arena ---------- */

void *
field_keep(struct field_arena *a, void *p)
{
	if (p == NULL)
		return NULL;
	if (a->n == a->cap) {
		a->cap = a->cap ? a->cap * 2 : 16;
		a->p = cli_xreallocarray(a->p, a->cap, sizeof(*a->p));
	}
	a->p[a->n++] = p;
	return p;
}

void
field_arena_clear(struct field_arena *a)
{
	for (size_t i = 0; i < a->n; i++)
		free(a->p[i]);
	a->n = 0;
}

void
field_arena_free(struct field_arena *a)
{
	field_arena_clear(a);
	free(a->p);
	a->p = NULL;
	a->cap = 0;
}

/* ---------- text to a field ---------- */

/* "08:30[:15[.250]]" after a date; the end, or NULL. */
static const char *
parse_clock(const char *p, struct tm *tm, int *frac)
{
	int digits = 0;

	if ((p = strptime(p, "%H:%M", tm)) == NULL)
		return NULL;
	if (*p != ':')
		return p;
	if (!isdigit((unsigned char)p[1]) || !isdigit((unsigned char)p[2]))
		return NULL;
	tm->tm_sec = (p[1] - '0') * 10 + (p[2] - '0');
	if (tm->tm_sec > 60)
		return NULL;
	p += 3;
	if (*p != '.')
		return p;
	for (p++; isdigit((unsigned char)*p); p++, digits++)
		if (digits < 3)
			*frac = *frac * 10 + (*p - '0');
	if (digits == 0)
		return NULL;
	for (; digits < 3; digits++)
		*frac *= 10;
	return p;
}

/* "Z", "+08:00", "+0800", "-05", "+08:05:43" (a zone's old local mean
 * time has seconds); seconds east into *off. */
static const char *
parse_offset(const char *p, long *off, bool *given)
{
	int h, m = 0, sec = 0, sign;

	*given = false;
	if (*p == 'Z') {
		*off = 0;
		*given = true;
		return p + 1;
	}
	if (*p != '+' && *p != '-')
		return p;
	sign = *p++ == '-' ? -1 : 1;
	if (!isdigit((unsigned char)p[0]) || !isdigit((unsigned char)p[1]))
		return NULL;
	h = (p[0] - '0') * 10 + (p[1] - '0');
	p += 2;
	if (*p == ':')
		p++;
	if (isdigit((unsigned char)p[0]) && isdigit((unsigned char)p[1])) {
		m = (p[0] - '0') * 10 + (p[1] - '0');
		p += 2;
		if (p[0] == ':' && isdigit((unsigned char)p[1]) &&
		    isdigit((unsigned char)p[2])) {
			sec = (p[1] - '0') * 10 + (p[2] - '0');
			p += 3;
		}
	}
	if (h > 23 || m > 59 || sec > 59)
		return NULL;
	*off = sign * (h * 3600L + m * 60L + sec);
	*given = true;
	return p;
}

/* A time as field_parse_time reads it; `end`: a day alone is its last
 * millisecond (E5: "valid to 2026-12-31" is the whole of that day). */
static int
parse_time(const char *s, int64_t *ms, bool end)
{
	struct tm tm;
	const char *p;
	int frac = 0;
	long off = 0;
	bool given;
	time_t t;

	memset(&tm, 0, sizeof(tm));
	/* Not a date: the desk's own forms ("08:30", "+2h"). */
	if (!isdigit((unsigned char)*s) ||
	    (p = strptime(s, "%Y-%m-%d", &tm)) == NULL)
		return cli_parse_time(s, ms);
	if (end && *p == '\0') {
		tm.tm_mday++;
		frac = -1;
	}
	if ((*p == ' ' || *p == 'T') && (p = parse_clock(p + 1, &tm,
	    &frac)) == NULL)
		return -1;
	if ((p = parse_offset(p, &off, &given)) == NULL || *p != '\0')
		return -1;
	if (given)
		t = timegm(&tm) - off;
	else {
		tm.tm_isdst = -1;
		t = mktime(&tm);
	}
	if (t == (time_t)-1)
		return -1;
	*ms = (int64_t)t * 1000 + frac;
	return wire_time_ok(*ms) ? 0 : -1;
}

int
field_parse_time(const char *s, int64_t *ms)
{
	return parse_time(s, ms, false);
}

/* A time that ends something (valid_to_ms, until_ms, new_end_ms). */
static bool
is_end(const ProtobufCFieldDescriptor *f)
{
	static const char *const ends[] = { "to_ms", "until_ms", "end_ms" };
	size_t n = strlen(f->name);

	for (size_t i = 0; i < sizeof(ends) / sizeof(ends[0]); i++)
		if (n >= strlen(ends[i]) &&
		    strcmp(f->name + n - strlen(ends[i]), ends[i]) == 0)
			return true;
	return false;
}

int
field_parse_end(const char *s, int64_t *ms)
{
	return parse_time(s, ms, true);
}

/* KIND_UNSET = 0: no value, written as nothing; STATUS_OPEN = 0 is one. */
static bool
enum_unset(const ProtobufCEnumDescriptor *e, int v)
{
	const ProtobufCEnumValue *ev = protobuf_c_enum_descriptor_get_value(e,
	    v);

	return ev == NULL || (v == 0 && (ends_with(ev->name, "_UNSET") ||
	    ends_with(ev->name, "_NONE")));
}

static int
parse_enum(const ProtobufCEnumDescriptor *e, const char *v, int *out)
{
	for (unsigned i = 0; i < e->n_values; i++) {
		const ProtobufCEnumValue *ev = &e->values[i];

		/* The words a desk types, or the name --json shows. */
		if ((!enum_unset(e, ev->value) && strcmp(cli_enum_label(e,
		    ev->value, NULL), v) == 0) || strcmp(ev->name, v) == 0) {
			*out = ev->value;
			return 0;
		}
	}
	return -1;
}

static int
parse_i64(const char *v, int64_t *out)
{
	char *end;

	if (!isdigit((unsigned char)*v) && !(*v == '-' &&
	    isdigit((unsigned char)v[1])))
		return -1;
	errno = 0;
	*out = strtoll(v, &end, 10);
	return errno || *end ? -1 : 0;
}

/* A 32-bit field keeps 32 bits: a larger number is refused, not cut. */
static int
set_integer(void *p, const ProtobufCFieldDescriptor *f, const char *v)
{
	bool wide = f->type == PROTOBUF_C_TYPE_INT64 ||
	    f->type == PROTOBUF_C_TYPE_SINT64 ||
	    f->type == PROTOBUF_C_TYPE_SFIXED64 ||
	    f->type == PROTOBUF_C_TYPE_UINT64 ||
	    f->type == PROTOBUF_C_TYPE_FIXED64;
	uint64_t u;
	int64_t i;

	if (is_unsigned(f)) {
		if (cli_parse_u64(v, &u) != 0 || (!wide && u > UINT32_MAX))
			return -1;
		if (wide)
			*(uint64_t *)p = u;
		else
			*(uint32_t *)p = (uint32_t)u;
		return 0;
	}
	if (parse_i64(v, &i) != 0 || (!wide && (i < INT32_MIN ||
	    i > INT32_MAX)))
		return -1;
	if (wide)
		*(int64_t *)p = i;
	else
		*(int32_t *)p = (int32_t)i;
	return 0;
}

/* "A,B,C" (or "A;B;C"): blanks around items dropped, empty items too. */
static int
set_list(ProtobufCMessage *m, const ProtobufCFieldDescriptor *f,
    const char *v, char sep, struct field_arena *a)
{
	char *copy, **list, *tok, *save, seps[2] = { sep, '\0' };
	size_t n = 0;

	if (!text_list(f) || (copy = field_keep(a, strdup(v))) == NULL)
		return -1;
	list = field_keep(a, cli_xcalloc(strlen(v) / 2 + 2, sizeof(char *)));
	for (tok = strtok_r(copy, seps, &save); tok != NULL;
	    tok = strtok_r(NULL, seps, &save)) {
		char *end = tok + strlen(tok);

		while (isspace((unsigned char)*tok))
			tok++;
		while (end > tok && isspace((unsigned char)end[-1]))
			*--end = '\0';
		if (*tok)
			list[n++] = tok;
	}
	*(size_t *)((char *)m + f->quantifier_offset) = n;
	if (f->type == PROTOBUF_C_TYPE_UINT32) {
		/* In place: a uint32_t is no wider than the pointer it
		 * replaces. */
		uint32_t *nums = (uint32_t *)list;

		for (size_t i = 0; i < n; i++) {
			uint64_t u;

			if (cli_parse_u64(list[i], &u) != 0 || u > UINT32_MAX)
				return -1;
			nums[i] = (uint32_t)u;
		}
	}
	*(char ***)((char *)m + f->offset) = list;
	return 0;
}

int
field_set(ProtobufCMessage *m, const ProtobufCFieldDescriptor *f,
    const char *v, char sep, struct field_arena *a)
{
	void *p = (char *)m + f->offset;
	int64_t num;
	int e;

	if (f->label == PROTOBUF_C_LABEL_REPEATED)
		return set_list(m, f, v, sep, a);
	if (f->flags & PROTOBUF_C_FIELD_FLAG_ONEOF)
		*(uint32_t *)((char *)m + f->quantifier_offset) = f->id;
	/* Empty is not given: the zero that field_text writes as empty. */
	if (*v == '\0' && f->type != PROTOBUF_C_TYPE_STRING) {
		memset(p, 0, wire_value_size(f));
		return 0;
	}
	if (field_is_time(f) || is_money(f)) {
		bool neg = is_money(f) && *v == '-';

		if (field_is_time(f) ? (is_end(f) ? field_parse_end(v, &num) :
		    field_parse_time(v, &num)) != 0 :
		    cli_parse_money(v + neg, &num) != 0)
			return -1;
		*(int64_t *)p = neg ? -num : num;
		return 0;
	}
	if (is_day(f))
		return set_day(p, v);
	if (is_signed(f) || is_unsigned(f))
		return set_integer(p, f, v);
	switch (f->type) {
	case PROTOBUF_C_TYPE_STRING:
		*(const char **)p = v;
		return 0;
	case PROTOBUF_C_TYPE_ENUM:
		if (parse_enum(f->descriptor, v, &e) != 0)
			return -1;
		*(int *)p = e;
		return 0;
	case PROTOBUF_C_TYPE_BOOL:
		if (strcmp(v, "yes") == 0 || strcmp(v, "true") == 0)
			*(protobuf_c_boolean *)p = 1;
		else if (strcmp(v, "no") == 0 || strcmp(v, "false") == 0)
			*(protobuf_c_boolean *)p = 0;
		else
			return -1;
		return 0;
	default:
		return -1;
	}
}

/* ---------- a field to text ---------- */

static char *
buf_room(struct field_buf *b, size_t need)
{
	if (b->cap < need) {
		b->cap = need < 64 ? 64 : need * 2;
		b->s = cli_xreallocarray(b->s, b->cap, 1);
	}
	return b->s;
}

void
field_buf_free(struct field_buf *b)
{
	free(b->s);
	memset(b, 0, sizeof(*b));
}

/*
 * Lossless: seconds always, milliseconds when there are any, and the
 * offset, so that the file reads back the same on any machine.  An export
 * writes several times a record (when it happened, was recorded, last
 * changed: a few days), a million records: those local days are kept
 * (date, offset, midnight), so most times cost no localtime_r; a day with
 * a change of offset (DST) is never kept.
 */
#define DAYS_KEPT	8

struct local_day {
	time_t	 start, end;		/* [midnight, next midnight) */
	char	 date[32], off[24];
};

/* "+08:00", or "+08:05:43" for an offset with seconds (old LMT). */
static void
fmt_offset(char *out, size_t len, long off)
{
	long a = labs(off);

	if (a % 60 != 0)
		snprintf(out, len, "%c%02ld:%02ld:%02ld", off < 0 ? '-' : '+',
		    a / 3600, a % 3600 / 60, a % 60);
	else
		snprintf(out, len, "%c%02ld:%02ld", off < 0 ? '-' : '+',
		    a / 3600, a % 3600 / 60);
}

/* The local day holding t, kept for the next times; NULL on a DST day. */
static const struct local_day *
local_day(time_t t, struct tm *tm)
{
	static struct local_day days[DAYS_KEPT];
	static size_t next;
	struct local_day *d;
	struct tm edge;
	time_t late;
	long off;

	for (size_t i = 0; i < DAYS_KEPT; i++)
		if (t >= days[i].start && t < days[i].end)
			return &days[i];
	localtime_r(&t, tm);
	off = tm->tm_gmtoff;
	d = &days[next];
	next = (next + 1) % DAYS_KEPT;
	if (strftime(d->date, sizeof(d->date), "%Y-%m-%d", tm) == 0) {
		d->start = d->end = 0;
		return NULL;
	}
	fmt_offset(d->off, sizeof(d->off), off);
	d->start = t - (tm->tm_hour * 3600 + tm->tm_min * 60 + tm->tm_sec);
	d->end = d->start + 86400;
	late = d->end - 1;
	localtime_r(&d->start, &edge);
	if (edge.tm_gmtoff == off && edge.tm_hour == 0) {
		localtime_r(&late, &edge);
		if (edge.tm_gmtoff == off && edge.tm_hour == 23)
			return d;
	}
	d->start = d->end = 0;
	return NULL;
}

/* Digits by hand, at least `width` of them: snprintf led an export's
 * profile. */
static char *
put_digits(char *p, uint64_t v, int width)
{
	char tmp[24];
	int n = 0;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v > 0);
	while (n < width)
		tmp[n++] = '0';
	while (n > 0)
		*p++ = tmp[--n];
	return p;
}

static void
fmt_time_file(int64_t ms, char *buf, size_t len)
{
	int64_t s = ms / 1000, frac = ms % 1000;
	const struct local_day *d;
	time_t t;
	struct tm tm;
	long in, off;
	size_t n;

	if (frac < 0) {
		frac += 1000;
		s--;
	}
	t = (time_t)s;
	if ((d = local_day(t, &tm)) != NULL && len >= 48) {
		char *p = buf;

		in = (long)(t - d->start);
		n = strlen(d->date);
		memcpy(p, d->date, n);
		p += n;
		*p++ = ' ';
		p = put_digits(p, (uint64_t)(in / 3600), 2);
		*p++ = ':';
		p = put_digits(p, (uint64_t)(in % 3600 / 60), 2);
		*p++ = ':';
		p = put_digits(p, (uint64_t)(in % 60), 2);
		if (frac) {
			*p++ = '.';
			p = put_digits(p, (uint64_t)frac, 3);
		}
		memcpy(p, d->off, strlen(d->off) + 1);
		return;
	} else {
		localtime_r(&t, &tm);
		/* Past what strftime writes in len: nothing, not half. */
		if ((n = strftime(buf, len, "%Y-%m-%d %H:%M:%S", &tm)) == 0) {
			if (len > 0)
				buf[0] = '\0';
			return;
		}
	}
	if (frac && n < len)
		n += (size_t)snprintf(buf + n, len - n, ".%03d", (int)frac);
	if (n >= len)
		return;
	if (d != NULL)
		snprintf(buf + n, len - n, "%s", d->off);
	else {
		off = tm.tm_gmtoff;
		fmt_offset(buf + n, len - n, off);
	}
}

static const char *
list_text(const ProtobufCMessage *m, const ProtobufCFieldDescriptor *f,
    const char *between, struct field_buf *b)
{
	size_t n = *(const size_t *)((const char *)m + f->quantifier_offset);
	const void *items = *(const void *const *)((const char *)m +
	    f->offset);
	char *const *v = items;
	const uint32_t *nums = items;
	size_t len = 1;

	for (size_t i = 0; i < n; i++)
		len += (f->type == PROTOBUF_C_TYPE_UINT32 ? 10 : strlen(v[i])) +
		    strlen(between);
	buf_room(b, len);
	b->len = 0;
	b->s[0] = '\0';
	for (size_t i = 0; i < n; i++)
		b->len += (size_t)(f->type == PROTOBUF_C_TYPE_UINT32 ?
		    snprintf(b->s + b->len, len - b->len, "%s%u", i ? between :
		    "", nums[i]) : snprintf(b->s + b->len, len - b->len,
		    "%s%s", i ? between : "", v[i]));
	return b->s;
}

enum field_form
field_form(const ProtobufCFieldDescriptor *f)
{
	if (f->label == PROTOBUF_C_LABEL_REPEATED)
		return text_list(f) ? FIELD_FORM_LIST : FIELD_FORM_NONE;
	if (f->type == PROTOBUF_C_TYPE_STRING)
		return FIELD_FORM_STRING;
	if (field_is_time(f))
		return FIELD_FORM_TIME;
	if (is_money(f))
		return FIELD_FORM_MONEY;
	if (is_day(f))
		return FIELD_FORM_DAY;
	if (is_unsigned(f))
		return FIELD_FORM_UNSIGNED;
	if (is_signed(f))
		return FIELD_FORM_SIGNED;
	if (f->type == PROTOBUF_C_TYPE_ENUM)
		return FIELD_FORM_ENUM;
	if (f->type == PROTOBUF_C_TYPE_BOOL)
		return FIELD_FORM_BOOL;
	return FIELD_FORM_NONE;
}

const char *
field_text(const ProtobufCMessage *m, const ProtobufCFieldDescriptor *f,
    struct field_buf *b)
{
	return field_text_as(m, f, field_form(f), b);
}

const char *
field_text_as(const ProtobufCMessage *m, const ProtobufCFieldDescriptor *f,
    enum field_form form, struct field_buf *b)
{
	const void *p = (const char *)m + f->offset;
	static const char sep[] = { FIELD_SEP_FILE, '\0' };
	char *s, *q;
	int64_t i;
	uint32_t day;

	if (form == FIELD_FORM_LIST)
		return list_text(m, f, sep, b);
	if (form == FIELD_FORM_STRING)
		return *(char *const *)p ? *(char *const *)p : "";
	if (form == FIELD_FORM_NONE ||
	    ((f->flags & PROTOBUF_C_FIELD_FLAG_ONEOF) &&
	    *(const uint32_t *)((const char *)m + f->quantifier_offset) !=
	    f->id))
		return "";
	s = buf_room(b, 64);
	s[0] = '\0';
	switch (form) {
	case FIELD_FORM_TIME:
		if (*(const int64_t *)p != 0)
			fmt_time_file(*(const int64_t *)p, s, b->cap);
		break;
	case FIELD_FORM_MONEY:
		cli_fmt_money(*(const int64_t *)p, s, b->cap);
		break;
	case FIELD_FORM_DAY:
		if ((day = *(const uint32_t *)p) != 0)
			snprintf(s, b->cap, "%04u-%02u-%02u", day / 10000,
			    day / 100 % 100, day % 100);
		break;
	case FIELD_FORM_UNSIGNED:
		*put_digits(s, wire_value_size(f) == 8 ?
		    *(const uint64_t *)p : *(const uint32_t *)p, 1) = '\0';
		break;
	case FIELD_FORM_SIGNED:
		q = s;
		i = wire_value_size(f) == 8 ? *(const int64_t *)p :
		    *(const int32_t *)p;
		if (i < 0)
			*q++ = '-';
		*put_digits(q, i < 0 ? (uint64_t)0 - (uint64_t)i :
		    (uint64_t)i, 1) = '\0';
		break;
	case FIELD_FORM_ENUM:
		/* A label is under 32 bytes, the buffer 64 (no printf: an
		 * export writes one a row). */
		if (!enum_unset(f->descriptor, *(const int *)p))
			strcpy(s, cli_enum_label(f->descriptor,
			    *(const int *)p, NULL));
		break;
	case FIELD_FORM_BOOL:
		return *(const protobuf_c_boolean *)p ? "true" : "false";
	default:
		break;
	}
	return s;
}

/* ---------- fields for people ---------- */

/*
 * What a person reads for a field (issue 16): its label in the user's
 * language, never the flag (--id-type) or the file's column (id_type),
 * which scripts read.  A checked-in table, so that every label is a text
 * of the catalog; sorted by field, a message's own label (the key count's
 * `out` is a number, a key's `out_ms` a time) before the one for any.
 * test_fields checks that every register's, unit's and person's field has
 * one.  The context "field" keeps a label apart from the same English word
 * elsewhere (a state, a column of another table).  The English is the field's name as a flag, spaced; a time whose
 * name is also a state reads "closed at" (the state "closed" is another
 * text).
 */
static const struct field_label {
	const char	*field, *msg;	/* msg: a message's short name, or
					 * NULL for any */
	const char	*label;	/* NC_("field", english) */
} labels[] = {
	{ "accepted_ms", NULL, NC_("field", "accepted") },
	{ "acked_by", NULL, NC_("field", "acked by") },
	{ "acked_ms", NULL, NC_("field", "acked") },
	{ "activities", NULL, NC_("field", "activities") },
	{ "actor", NULL, NC_("field", "actor") },
	{ "after_seal", NULL, NC_("field", "after seal") },
	{ "anomalies", NULL, NC_("field", "anomalies") },
	{ "applicant", NULL, NC_("field", "applicant") },
	{ "approved_by", NULL, NC_("field", "approved by") },
	{ "approved_ms", NULL, NC_("field", "approved at") },
	{ "area_dm2", NULL, NC_("field", "area") },
	{ "arrived_ms", NULL, NC_("field", "arrived") },
	{ "at_ms", NULL, NC_("field", "at") },
	{ "author", NULL, NC_("field", "author") },
	{ "back_ms", NULL, NC_("field", "back") },
	{ "boundary_ms", NULL, NC_("field", "boundary") },
	{ "call_note", NULL, NC_("field", "call note") },
	{ "called_ms", NULL, NC_("field", "called") },
	{ "cancel_reason", NULL, NC_("field", "cancel reason") },
	{ "carrier", NULL, NC_("field", "carrier") },
	{ "category", NULL, NC_("field", "category") },
	{ "channel", NULL, NC_("field", "channel") },
	{ "charge_cents", NULL, NC_("field", "charge") },
	{ "charge_override_by", NULL, NC_("field", "charge override by") },
	{ "charge_reason", NULL, NC_("field", "charge reason") },
	{ "cleared_ms", NULL, NC_("field", "cleared") },
	{ "clock", NULL, NC_("field", "clock") },
	{ "close_note", NULL, NC_("field", "close note") },
	{ "closed_by", NULL, NC_("field", "closed by") },
	{ "closed_ms", NULL, NC_("field", "closed at") },
	{ "code", NULL, NC_("field", "code") },
	{ "comments", NULL, NC_("field", "comments") },
	{ "company", NULL, NC_("field", "company") },
	{ "complainant", NULL, NC_("field", "complainant") },
	{ "consent", NULL, NC_("field", "consent") },
	{ "consent_by", NULL, NC_("field", "consent by") },
	{ "contact", NULL, NC_("field", "contact") },
	{ "counted", NULL, NC_("field", "tags counted") },
	{ "created_by", NULL, NC_("field", "created by") },
	{ "created_ms", NULL, NC_("field", "created") },
	{ "date", NULL, NC_("field", "date") },
	{ "day", NULL, NC_("field", "day") },
	{ "deadline_ms", NULL, NC_("field", "deadline") },
	{ "decided_by", NULL, NC_("field", "decided by") },
	{ "decided_ms", NULL, NC_("field", "decided") },
	{ "decision_note", NULL, NC_("field", "decision note") },
	{ "delivered_by", NULL, NC_("field", "delivered by") },
	{ "delivered_ms", NULL, NC_("field", "delivered at") },
	{ "demand", NULL, NC_("field", "demand") },
	{ "department", NULL, NC_("field", "department") },
	{ "description", NULL, NC_("field", "description") },
	{ "disabled", NULL, NC_("field", "disabled") },
	{ "dispatched_ms", NULL, NC_("field", "dispatched") },
	{ "display_name", NULL, NC_("field", "display name") },
	{ "done_by", NULL, NC_("field", "done by") },
	{ "done_ms", NULL, NC_("field", "done at") },
	{ "done_note", NULL, NC_("field", "done note") },
	{ "due_ms", NULL, NC_("field", "due") },
	{ "early_min", NULL, NC_("field", "early min") },
	{ "emergency_name", NULL, NC_("field", "emergency name") },
	{ "emergency_phone", NULL, NC_("field", "emergency phone") },
	{ "end_ms", NULL, NC_("field", "end") },
	{ "engineer", NULL, NC_("field", "engineer") },
	{ "equipment_type", NULL, NC_("field", "equipment type") },
	{ "eta_ms", NULL, NC_("field", "eta") },
	{ "event_time_ms", NULL, NC_("field", "event time") },
	{ "every", NULL, NC_("field", "every") },
	{ "expected", NULL, NC_("field", "expected") },
	{ "fails", NULL, NC_("field", "fails") },
	{ "falls_below_ms", NULL, NC_("field", "falls below") },
	{ "fee_cents", NULL, NC_("field", "fee") },
	{ "fee_item", NULL, NC_("field", "fee item") },
	{ "fee_override_by", NULL, NC_("field", "fee override by") },
	{ "fee_price_cents", NULL, NC_("field", "fee price") },
	{ "fee_qty", NULL, NC_("field", "fee qty") },
	{ "fee_reason", NULL, NC_("field", "fee reason") },
	{ "fee_unit", NULL, NC_("field", "fee unit") },
	{ "feedback", NULL, NC_("field", "feedback") },
	{ "field", NULL, NC_("field", "field") },
	{ "findings", NULL, NC_("field", "findings") },
	{ "fire_watch", NULL, NC_("field", "fire watch") },
	{ "first_due_ms", NULL, NC_("field", "first due") },
	{ "first_reply_ms", NULL, NC_("field", "first reply") },
	{ "fix_note", NULL, NC_("field", "fix note") },
	{ "fixed_by", NULL, NC_("field", "fixed by") },
	{ "fixed_ms", NULL, NC_("field", "fixed at") },
	{ "follow_up", NULL, NC_("field", "follow up") },
	{ "found_by", NULL, NC_("field", "found by") },
	{ "from_ms", NULL, NC_("field", "from") },
	{ "gate_note", NULL, NC_("field", "gate note") },
	{ "handed", NULL, NC_("field", "handed") },
	{ "held_ms", NULL, NC_("field", "held at") },
	{ "holder", NULL, NC_("field", "holder") },
	{ "id", NULL, NC_("field", "id") },
	{ "id_number", NULL, NC_("field", "id number") },
	{ "id_type", NULL, NC_("field", "id type") },
	{ "identity_check", NULL, NC_("field", "identity check") },
	{ "import_file", NULL, NC_("field", "import file") },
	{ "import_ref", NULL, NC_("field", "import ref") },
	{ "in_ms", "Attendance", NC_("field", "clocked in") },
	{ "in_ms", "Key", NC_("field", "back in") },
	{ "in_signed_by", NULL, NC_("field", "in signed by") },
	{ "in_signed_ms", NULL, NC_("field", "in signed") },
	{ "incoming", NULL, NC_("field", "incoming") },
	{ "installed_ms", NULL, NC_("field", "installed") },
	{ "invalid_reason", NULL, NC_("field", "invalid reason") },
	{ "item", NULL, NC_("field", "item") },
	{ "items", NULL, NC_("field", "items") },
	{ "kind", NULL, NC_("field", "kind") },
	{ "last_check_by", NULL, NC_("field", "last check by") },
	{ "last_check_ms", NULL, NC_("field", "last check") },
	{ "last_days", NULL, NC_("field", "last days") },
	{ "last_fail_ms", NULL, NC_("field", "last fail") },
	{ "last_pass_ms", NULL, NC_("field", "last pass") },
	{ "last_reply_ms", NULL, NC_("field", "last reply") },
	{ "last_result", NULL, NC_("field", "last result") },
	{ "last_test_by", NULL, NC_("field", "last test by") },
	{ "last_test_ms", NULL, NC_("field", "last test") },
	{ "late", NULL, NC_("field", "came back late") },
	{ "late_min", NULL, NC_("field", "late min") },
	{ "late_ms", NULL, NC_("field", "late at") },
	{ "late_seconds", NULL, NC_("field", "late seconds") },
	{ "left_by", NULL, NC_("field", "left by") },
	{ "left_early_min", NULL, NC_("field", "left early min") },
	{ "left_ms", NULL, NC_("field", "left at") },
	{ "level", NULL, NC_("field", "level") },
	{ "location", NULL, NC_("field", "location") },
	{ "made_until_ms", NULL, NC_("field", "made until") },
	{ "message", NULL, NC_("field", "message") },
	{ "message_args", NULL, NC_("field", "message values") },
	{ "message_code", NULL, NC_("field", "message code") },
	{ "met", NULL, NC_("field", "met") },
	{ "min_walk", NULL, NC_("field", "min walk") },
	{ "min_walk_s", NULL, NC_("field", "min walk s") },
	{ "minutes", NULL, NC_("field", "minutes") },
	{ "missing", NULL, NC_("field", "missing") },
	{ "month", NULL, NC_("field", "month") },
	{ "move_in", NULL, NC_("field", "move in") },
	{ "name", NULL, NC_("field", "name") },
	{ "new_end_ms", NULL, NC_("field", "new end") },
	{ "note", NULL, NC_("field", "note") },
	{ "notice_no", NULL, NC_("field", "notice no") },
	{ "occupied", NULL, NC_("field", "occupied") },
	{ "opens_ms", NULL, NC_("field", "opens") },
	{ "origin", NULL, NC_("field", "origin") },
	{ "original_end_ms", NULL, NC_("field", "original end") },
	{ "other", NULL, NC_("field", "other") },
	{ "other_date", NULL, NC_("field", "other date") },
	{ "other_shift", NULL, NC_("field", "other shift") },
	{ "out", "KeyCount", NC_("field", "keys out") },
	{ "out_ms", "Attendance", NC_("field", "clocked out") },
	{ "out_ms", "Key", NC_("field", "taken out") },
	{ "out_ms", NULL, NC_("field", "out at") },
	{ "out_signed_by", NULL, NC_("field", "out signed by") },
	{ "out_signed_ms", NULL, NC_("field", "out signed") },
	{ "outcome", NULL, NC_("field", "outcome") },
	{ "outgoing", NULL, NC_("field", "outgoing") },
	{ "override_by", NULL, NC_("field", "override by") },
	{ "override_reason", NULL, NC_("field", "override reason") },
	{ "owner", "CulturePlan", NC_("field", "lead") },
	{ "owner", NULL, NC_("field", "owner") },
	{ "owner_said", NULL, NC_("field", "owner said") },
	{ "participants", NULL, NC_("field", "participants") },
	{ "pass_no", NULL, NC_("field", "pass no") },
	{ "passes", NULL, NC_("field", "passes") },
	{ "pending", NULL, NC_("field", "pending") },
	{ "people", NULL, NC_("field", "people") },
	{ "permit_id", NULL, NC_("field", "permit id") },
	{ "person", NULL, NC_("field", "person") },
	{ "person_id", NULL, NC_("field", "person id") },
	{ "phone", NULL, NC_("field", "phone") },
	{ "plan", NULL, NC_("field", "plan") },
	{ "plan_version", NULL, NC_("field", "plan version") },
	{ "plate", NULL, NC_("field", "plate") },
	{ "points", NULL, NC_("field", "points") },
	{ "post", NULL, NC_("field", "post") },
	{ "prev_pass_ms", NULL, NC_("field", "prev pass") },
	{ "price_cents", NULL, NC_("field", "price") },
	{ "purpose", NULL, NC_("field", "purpose") },
	{ "questions", NULL, NC_("field", "questions") },
	{ "raised_ms", NULL, NC_("field", "raised") },
	{ "rating", NULL, NC_("field", "rating") },
	{ "read_ms", NULL, NC_("field", "read at") },
	{ "reason", NULL, NC_("field", "reason") },
	{ "recheck_note", NULL, NC_("field", "recheck note") },
	{ "recipient", NULL, NC_("field", "recipient") },
	{ "record", NULL, NC_("field", "record") },
	{ "record_id", NULL, NC_("field", "record id") },
	{ "record_kind", NULL, NC_("field", "record kind") },
	{ "reg_seconds", NULL, NC_("field", "reg seconds") },
	{ "reject_reason", NULL, NC_("field", "reject reason") },
	{ "renewed_by", NULL, NC_("field", "renewed by") },
	{ "renews", NULL, NC_("field", "renews") },
	{ "reopen_note", NULL, NC_("field", "reopen note") },
	{ "reopened_by", NULL, NC_("field", "reopened by") },
	{ "reopened_ms", NULL, NC_("field", "reopened") },
	{ "repeats", NULL, NC_("field", "repeats") },
	{ "replaced_by", NULL, NC_("field", "replaced by") },
	{ "replaces", NULL, NC_("field", "replaces") },
	{ "reply_due_ms", NULL, NC_("field", "reply due") },
	{ "reported_by", NULL, NC_("field", "reported by") },
	{ "reported_ms", NULL, NC_("field", "reported at") },
	{ "reported_to", NULL, NC_("field", "reported to") },
	{ "requester", NULL, NC_("field", "requester") },
	{ "required", NULL, NC_("field", "required") },
	{ "responsible_dept", NULL, NC_("field", "responsible dept") },
	{ "responsible_person", NULL, NC_("field", "responsible person") },
	{ "result", NULL, NC_("field", "result") },
	{ "results", NULL, NC_("field", "results") },
	{ "retake_due_ms", NULL, NC_("field", "retake due") },
	{ "retired_ms", NULL, NC_("field", "retired at") },
	{ "retired_why", NULL, NC_("field", "retired why") },
	{ "returned_ms", NULL, NC_("field", "returned at") },
	{ "revision", NULL, NC_("field", "revision") },
	{ "revisit_attempts", NULL, NC_("field", "revisit attempts") },
	{ "revisit_result", NULL, NC_("field", "revisit result") },
	{ "revisited_ms", NULL, NC_("field", "revisited") },
	{ "revoke_reason", NULL, NC_("field", "revoke reason") },
	{ "role", NULL, NC_("field", "role") },
	{ "rule", NULL, NC_("field", "rule") },
	{ "ruling", NULL, NC_("field", "ruling") },
	{ "satisfaction", NULL, NC_("field", "satisfaction") },
	{ "scenario", NULL, NC_("field", "scenario") },
	{ "scope", NULL, NC_("field", "scope") },
	{ "scores", NULL, NC_("field", "scores") },
	{ "sealed_seq", NULL, NC_("field", "sealed seq") },
	{ "seed", NULL, NC_("field", "seed") },
	{ "service", NULL, NC_("field", "service") },
	{ "session", NULL, NC_("field", "session") },
	{ "severity", NULL, NC_("field", "severity") },
	{ "shift", NULL, NC_("field", "shift") },
	{ "shift_off", NULL, NC_("field", "shift off") },
	{ "shift_on", NULL, NC_("field", "shift on") },
	{ "slot", NULL, NC_("field", "slot") },
	{ "source", NULL, NC_("field", "source") },
	{ "start_ms", NULL, NC_("field", "start") },
	{ "starts_ms", NULL, NC_("field", "starts") },
	{ "state", NULL, NC_("field", "state") },
	{ "status", NULL, NC_("field", "status") },
	{ "subject", NULL, NC_("field", "subject") },
	{ "survey", NULL, NC_("field", "survey") },
	{ "tag", NULL, NC_("field", "tag") },
	{ "tested_before_ms", NULL, NC_("field", "tested before") },
	{ "text", "MessageNote", NC_("field", "message text") },
	{ "text", NULL, NC_("field", "text") },
	{ "time_ms", NULL, NC_("field", "time") },
	{ "title", NULL, NC_("field", "title") },
	{ "to_ms", NULL, NC_("field", "to") },
	{ "too_fast", NULL, NC_("field", "too fast") },
	{ "topic", NULL, NC_("field", "topic") },
	{ "trade", NULL, NC_("field", "trade") },
	{ "trainer", NULL, NC_("field", "trainer") },
	{ "type", NULL, NC_("field", "type") },
	{ "unexpected", NULL, NC_("field", "unexpected") },
	{ "unit", NULL, NC_("field", "unit") },
	{ "unit_id", NULL, NC_("field", "unit id") },
	{ "units", NULL, NC_("field", "units") },
	{ "until_ms", NULL, NC_("field", "until") },
	{ "updated_by", NULL, NC_("field", "updated by") },
	{ "updated_ms", NULL, NC_("field", "updated") },
	{ "used_by", NULL, NC_("field", "used by") },
	{ "used_ms", NULL, NC_("field", "used at") },
	{ "user", NULL, NC_("field", "user") },
	{ "valid_from_ms", NULL, NC_("field", "valid from") },
	{ "valid_to_ms", NULL, NC_("field", "valid to") },
	{ "valid_until_ms", NULL, NC_("field", "valid until") },
	{ "validity", NULL, NC_("field", "validity") },
	{ "value", NULL, NC_("field", "value") },
	{ "vehicle", NULL, NC_("field", "vehicle") },
	{ "vehicles", NULL, NC_("field", "vehicles") },
	{ "version", NULL, NC_("field", "version") },
	{ "visit_at_ms", NULL, NC_("field", "visit at") },
	{ "visited_ms", NULL, NC_("field", "visited") },
	{ "visitor", "Visit", NC_("field", "visited by") },
	{ "visitor", NULL, NC_("field", "visitor") },
	{ "what", NULL, NC_("field", "what") },
	{ "window", NULL, NC_("field", "window") },
	{ "window_end_ms", NULL, NC_("field", "window end") },
	{ "work", NULL, NC_("field", "work") },
	{ "worker", NULL, NC_("field", "worker") },
	{ "workers", NULL, NC_("field", "workers") },
	{ "year", NULL, NC_("field", "year") },
};

static int
label_cmp(const void *key, const void *elem)
{
	return strcmp(key, ((const struct field_label *)elem)->field);
}

static const struct field_label *
label_find(const ProtobufCMessageDescriptor *d, const char *field)
{
	const struct field_label *l = bsearch(field, labels,
	    sizeof(labels) / sizeof(labels[0]), sizeof(labels[0]), label_cmp);

	if (l == NULL)
		return NULL;
	/* bsearch lands on any row of the field: back to its first. */
	while (l > labels && strcmp(l[-1].field, field) == 0)
		l--;
	for (; l < labels + sizeof(labels) / sizeof(labels[0]) &&
	    strcmp(l->field, field) == 0; l++)
		if (l->msg == NULL || (d != NULL &&
		    strcmp(l->msg, d->short_name) == 0))
			return l;
	return NULL;
}

bool
field_label_known(const ProtobufCMessageDescriptor *d, const char *field)
{
	return label_find(d, field) != NULL;
}

const char *
field_label(const ProtobufCMessageDescriptor *d, const char *field)
{
	const struct field_label *l = label_find(d, field);
	static char bufs[4][64];
	static int next;
	char *out;
	size_t i, n;

	if (l != NULL)
		return i18n_ctext(l->label);
	/* Not in the table (a field added since): its name, spaced. */
	out = bufs[next++ % 4];
	n = strlen(field);
	if (ends_with(field, "_ms"))
		n -= 3;
	for (i = 0; i < n && i + 1 < sizeof(bufs[0]); i++)
		out[i] = field[i] == '_' ? ' ' : field[i];
	out[i] = '\0';
	return out;
}

void
field_help(FILE *out, const ProtobufCMessageDescriptor *d,
    const ProtobufCFieldDescriptor *f, const char *name, int width,
    const char *meta)
{
	const struct field_label *l = label_find(d, f->name);

	fputs("  ", out);
	cli_cell(out, name, width);
	fputc(' ', out);
	/* The English label is the name again: only a translation is
	 * shown. */
	if (l != NULL && i18n_ctext(l->label) != i18n_english(l->label)) {
		cli_cell(out, i18n_ctext(l->label), 16);
		fputc(' ', out);
	}
	fprintf(out, "%s\n", meta);
}

void
field_heading(const ProtobufCMessageDescriptor *d, const char *field,
    char *buf, size_t len)
{
	/* English headings are capitals; other scripts have none (only
	 * ASCII letters are raised, never a byte of a UTF-8 character). */
	snprintf(buf, len, "%s", field_label(d, field));
	for (char *p = buf; *p; p++)
		if (*p >= 'a' && *p <= 'z')
			*p = (char)(*p - 'a' + 'A');
}

void
field_show(const ProtobufCMessage *m, const ProtobufCFieldDescriptor *f,
    char *buf, size_t len)
{
	if (text_list(f)) {
		struct field_buf b = { NULL, 0, 0 };

		snprintf(buf, len, "%s", list_text(m, f, ", ", &b));
		field_buf_free(&b);
		return;
	}
	if (f->type == PROTOBUF_C_TYPE_BYTES ||
	    f->label == PROTOBUF_C_LABEL_REPEATED) {
		buf[0] = '\0';
		return;
	}
	/* Zero, no and unset read alike: nothing to show. */
	if (f->type == PROTOBUF_C_TYPE_BOOL &&
	    !*(const protobuf_c_boolean *)((const char *)m + f->offset)) {
		buf[0] = '\0';
		return;
	}
	cli_cell_text(m, f->name, buf, len);
	if (strcmp(buf, "0") == 0 || strcmp(buf, "unset") == 0)
		buf[0] = '\0';
}

const char *
field_meta(const ProtobufCFieldDescriptor *f, char *buf, size_t len)
{
	const ProtobufCEnumDescriptor *e;

	if (f->label == PROTOBUF_C_LABEL_REPEATED)
		return f->type == PROTOBUF_C_TYPE_UINT32 ? "N,N,..." :
		    "A,B,...";
	switch (f->type) {
	case PROTOBUF_C_TYPE_ENUM:
		e = f->descriptor;
		buf[0] = '\0';
		for (unsigned i = 0; i < e->n_values; i++)
			if (!enum_unset(e, e->values[i].value))
				snprintf(buf + strlen(buf), len - strlen(buf),
				    "%s%s", *buf ? "|" : "", cli_enum_label(e,
				    e->values[i].value, NULL));
		return buf;
	case PROTOBUF_C_TYPE_BOOL:
		return "yes|no";	/* the words typed, in any language */
	case PROTOBUF_C_TYPE_STRING:
	case PROTOBUF_C_TYPE_BYTES:
		return i18n_ctext(NC_("type", "TEXT"));
	default:
		return field_is_time(f) ? _("TIME") : is_money(f) ? _("YUAN") :
		    is_day(f) ? "YYYY-MM-DD" : _("N");
	}
}

/* wire.h's ranges as texts to translate (test_fields: still the same). */
const char field_time_range[] =
    N_("from 2000-01-01 00:00 to 2099-12-31 23:59 UTC");
const char field_day_range[] = N_("from 2000-01-01 to 2099-12-31");

const char *
field_wanted(const ProtobufCFieldDescriptor *f, char *buf, size_t len)
{
	if (field_is_time(f))
		snprintf(buf, len, _("a time (YYYY-MM-DD[ HH:MM[:SS]]) %s"),
		    _(field_time_range));
	else if (is_day(f))
		snprintf(buf, len, _("a day (YYYY-MM-DD) %s"),
		    _(field_day_range));
	else
		return field_meta(f, buf, len);
	return buf;
}

void
field_flag_name(const ProtobufCFieldDescriptor *f, char *out, size_t len)
{
	size_t n = strlen(f->name), i;

	if (ends_with(f->name, "_ms"))
		n -= 3;
	else if (ends_with(f->name, "_cents"))
		n -= 6;
	for (i = 0; i < n && i + 1 < len; i++)
		out[i] = f->name[i] == '_' ? '-' : f->name[i];
	out[i] = '\0';
}

const char *
cli_enum_label(const ProtobufCEnumDescriptor *d, int v, const char *prefix)
{
	const ProtobufCEnumValue *ev = protobuf_c_enum_descriptor_get_value(d, v);
	const char *name = ev ? ev->name : "?";

	static char bufs[4][32];
	static int next;
	char *out = bufs[next++ % 4];
	size_t i;

	if (prefix == NULL && strchr(name, '_') != NULL)
		name = strchr(name, '_') + 1;
	else if (prefix && strncmp(name, prefix, strlen(prefix)) == 0)
		name += strlen(prefix);
	/* STATUS_OPEN -> open, LEVEL_GENERAL_MANAGER -> general manager */
	for (i = 0; name[i] && i + 1 < sizeof(bufs[0]); i++)
		out[i] = name[i] == '_' ? ' ' : (char)tolower((unsigned char)name[i]);
	out[i] = '\0';
	return out;
}

/*
 * The values of the registers' enums as a desk reads them, by the enum's
 * name; what is typed (--consent phone) and written to files stays the
 * value's words.  An enum not here shows its words.
 */
static const struct {
	const char	*en;	/* the enum's short name */
	const char	*word;	/* NC_(en, words) */
} enum_words[] = {
	{ "Consent", NC_("Consent", "present") },
	{ "Consent", NC_("Consent", "phone") },
	{ "Consent", NC_("Consent", "standing") },
	{ "KeySource", NC_("KeySource", "deposited") },
	{ "KeySource", NC_("KeySource", "vacant") },
	{ "ParkingType", NC_("ParkingType", "monthly") },
	{ "ParkingType", NC_("ParkingType", "temporary") },
};

static const char *
enum_text(const ProtobufCEnumDescriptor *e, int v)
{
	const char *word = cli_enum_label(e, v, NULL);

	for (size_t i = 0; i < sizeof(enum_words) / sizeof(enum_words[0]);
	    i++)
		if (strcmp(enum_words[i].en, e->short_name) == 0 &&
		    strcmp(i18n_english(enum_words[i].word), word) == 0)
			return i18n_ctext(enum_words[i].word);
	return word;
}

/* One field as a list column shows it. */
void
cli_cell_text(const ProtobufCMessage *m, const char *name, char *buf, size_t len)
{
	const ProtobufCFieldDescriptor *f =
	    protobuf_c_message_descriptor_get_field_by_name(m->descriptor, name);
	const char *p = (const char *)m + (f ? f->offset : 0);
	size_t n = strlen(name);

	snprintf(buf, len, "?");
	if (f == NULL)
		return;
	if (text_list(f)) {
		struct field_buf b = { NULL, 0, 0 };

		snprintf(buf, len, "%s", list_text(m, f, ",", &b));
		field_buf_free(&b);
		return;
	}
	switch (f->type) {
	case PROTOBUF_C_TYPE_STRING:
		snprintf(buf, len, "%s", *(char *const *)p);
		break;
	case PROTOBUF_C_TYPE_UINT64:
		snprintf(buf, len, "%" PRIu64, *(const uint64_t *)p);
		break;
	case PROTOBUF_C_TYPE_UINT32:
		snprintf(buf, len, "%" PRIu32, *(const uint32_t *)p);
		break;
	case PROTOBUF_C_TYPE_INT64:
		if (n > 6 && strcmp(name + n - 6, "_cents") == 0)
			cli_fmt_money(*(const int64_t *)p, buf, len);
		else if (field_is_time(f))
			cli_fmt_time(*(const int64_t *)p, buf, len);
		else
			snprintf(buf, len, "%" PRId64, *(const int64_t *)p);
		break;
	case PROTOBUF_C_TYPE_BOOL:
		snprintf(buf, len, "%s", i18n_ctext(*(const protobuf_c_boolean *)
		    p ? NC_("value", "yes") : NC_("value", "no")));
		break;
	case PROTOBUF_C_TYPE_ENUM:
		snprintf(buf, len, "%s", enum_text(f->descriptor,
		    *(const int *)p));
		break;
	default:
		break;
	}
}
