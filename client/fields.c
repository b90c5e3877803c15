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

const char *
field_text(const ProtobufCMessage *m, const ProtobufCFieldDescriptor *f,
    struct field_buf *b)
{
	const void *p = (const char *)m + f->offset;
	static const char sep[] = { FIELD_SEP_FILE, '\0' };
	char *s;
	int64_t i;

	if (f->label == PROTOBUF_C_LABEL_REPEATED)
		return text_list(f) ? list_text(m, f, sep, b) : "";
	if (f->type == PROTOBUF_C_TYPE_STRING)
		return *(char *const *)p ? *(char *const *)p : "";
	if ((f->flags & PROTOBUF_C_FIELD_FLAG_ONEOF) &&
	    *(const uint32_t *)((const char *)m + f->quantifier_offset) !=
	    f->id)
		return "";
	s = buf_room(b, 64);
	s[0] = '\0';
	if (field_is_time(f)) {
		if (*(const int64_t *)p != 0)
			fmt_time_file(*(const int64_t *)p, s, b->cap);
	} else if (is_money(f))
		cli_fmt_money(*(const int64_t *)p, s, b->cap);
	else if (is_day(f)) {
		uint32_t day = *(const uint32_t *)p;

		if (day != 0)
			snprintf(s, b->cap, "%04u-%02u-%02u", day / 10000,
			    day / 100 % 100, day % 100);
	} else if (is_unsigned(f)) {
		bool wide = wire_value_size(f) == 8;

		*put_digits(s, wide ? *(const uint64_t *)p :
		    *(const uint32_t *)p, 1) = '\0';
	} else if (is_signed(f)) {
		char *q = s;

		i = wire_value_size(f) == 8 ? *(const int64_t *)p :
		    *(const int32_t *)p;
		if (i < 0)
			*q++ = '-';
		*put_digits(q, i < 0 ? (uint64_t)0 - (uint64_t)i :
		    (uint64_t)i, 1) = '\0';
	} else if (f->type == PROTOBUF_C_TYPE_ENUM) {
		/* A label is under 32 bytes, the buffer 64 (no printf: an
		 * export writes one a row). */
		if (!enum_unset(f->descriptor, *(const int *)p))
			strcpy(s, cli_enum_label(f->descriptor,
			    *(const int *)p, NULL));
	} else if (f->type == PROTOBUF_C_TYPE_BOOL)
		return *(const protobuf_c_boolean *)p ? "true" : "false";
	return s;
}

/* ---------- fields for people ---------- */

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
	cli_cell_text(m, f->name, buf, len);
	/* Zero, no and unset read alike: nothing to show. */
	if (strcmp(buf, "0") == 0 || strcmp(buf, "unset") == 0 ||
	    strcmp(buf, "no") == 0)
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
		return "yes|no";
	case PROTOBUF_C_TYPE_STRING:
	case PROTOBUF_C_TYPE_BYTES:
		return "TEXT";
	default:
		return field_is_time(f) ? "TIME" : is_money(f) ? "YUAN" :
		    is_day(f) ? "YYYY-MM-DD" : "N";
	}
}

const char *
field_wanted(const ProtobufCFieldDescriptor *f, char *buf, size_t len)
{
	if (field_is_time(f))
		return "a time (YYYY-MM-DD[ HH:MM[:SS]]) " WIRE_TIME_RANGE;
	if (is_day(f))
		return "a day (YYYY-MM-DD) " WIRE_DAY_RANGE;
	return field_meta(f, buf, len);
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
		snprintf(buf, len, "%s", *(const protobuf_c_boolean *)p ?
		    "yes" : "no");
		break;
	case PROTOBUF_C_TYPE_ENUM:
		snprintf(buf, len, "%s", cli_enum_label(f->descriptor,
		    *(const int *)p, NULL));
		break;
	default:
		break;
	}
}
