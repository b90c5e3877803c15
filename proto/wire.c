/*
 * wire.c - frame header codec, the capped protobuf allocator, and the one
 * range of times both sides check.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wire.h"

static void
put_be16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v & 0xff;
}

static void
put_be32(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = (v >> 16) & 0xff;
	p[2] = (v >> 8) & 0xff;
	p[3] = v & 0xff;
}

static uint32_t
get_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

void
wire_header_encode(uint8_t out[WIRE_HEADER_LEN], const struct wire_header *h)
{
	memcpy(out, WIRE_MAGIC, 4);
	out[4] = h->version;
	out[5] = h->kind;
	put_be16(out + 6, h->flags);
	put_be32(out + 8, h->request_id);
	put_be32(out + 12, h->length);
}

enum wire_check
wire_header_decode(const uint8_t in[WIRE_HEADER_LEN], uint32_t max_payload,
    struct wire_header *h)
{
	if (memcmp(in, WIRE_MAGIC, 4) != 0)
		return WIRE_BAD_MAGIC;
	h->version = in[4];
	h->kind = in[5];
	h->flags = (uint16_t)(in[6] << 8 | in[7]);
	h->request_id = get_be32(in + 8);
	h->length = get_be32(in + 12);
	/* The version is checked before anything else that may change with it. */
	if (h->version != WIRE_VERSION)
		return WIRE_BAD_VERSION;
	if (h->kind < WIRE_REQUEST || h->kind > WIRE_EVENT)
		return WIRE_BAD_KIND;
	if (h->flags != 0)
		return WIRE_BAD_FLAGS;
	if (h->length > max_payload)
		return WIRE_TOO_LARGE;
	return WIRE_OK;
}

const char *
wire_check_str(enum wire_check c)
{
	switch (c) {
	case WIRE_OK:		return "ok";
	case WIRE_BAD_MAGIC:	return "bad magic: not a deskd frame";
	case WIRE_BAD_VERSION:	return "unsupported protocol version";
	case WIRE_BAD_KIND:	return "unknown frame kind";
	case WIRE_BAD_FLAGS:	return "reserved flags set";
	case WIRE_TOO_LARGE:	return "payload length over the limit";
	}
	return "unknown frame error";
}

/*
 * Blocks are cut from chunks, growing from 1 KiB (most requests) to
 * 256 KiB (an import batch: thousands of rows, each a few blocks), and
 * all freed at once: a batch's rows are otherwise thousands of mallocs
 * and frees on the loop.
 */
#define BUDGET_CHUNK_MIN	1024
#define BUDGET_CHUNK_MAX	(256 * 1024)
#define BUDGET_ALIGN		_Alignof(max_align_t)

struct budget_chunk {
	struct budget_chunk	*next;
	size_t			 size, used;
	max_align_t		 data[];
};

static void *
budget_alloc(void *data, size_t size)
{
	struct wire_budget *b = data;
	struct budget_chunk *c = b->chunks;
	size_t n;

	if (size > b->cap - b->used)
		return NULL;
	n = (size + BUDGET_ALIGN - 1) & ~(BUDGET_ALIGN - 1);
	if (c == NULL || c->size - c->used < n) {
		size_t csize = c == NULL ? BUDGET_CHUNK_MIN : c->size * 2;

		if (csize > BUDGET_CHUNK_MAX)
			csize = BUDGET_CHUNK_MAX;
		if (csize < n)
			csize = n;
		if ((c = malloc(sizeof(*c) + csize)) == NULL)
			return NULL;
		c->size = csize;
		c->used = 0;
		c->next = b->chunks;
		b->chunks = c;
	}
	b->used += size;
	c->used += n;
	return (char *)c->data + c->used - n;
}

static void
budget_free(void *data, void *ptr)
{
	(void)data;
	(void)ptr;	/* all at once: wire_budget_release */
}

void
wire_budget_init(struct wire_budget *b, size_t cap)
{
	b->allocator.alloc = budget_alloc;
	b->allocator.free = budget_free;
	b->allocator.allocator_data = b;
	b->used = 0;
	b->cap = cap;
	b->chunks = NULL;
}

void
wire_budget_release(struct wire_budget *b)
{
	struct budget_chunk *c, *next;

	for (c = b->chunks; c != NULL; c = next) {
		next = c->next;
		free(c);
	}
	b->chunks = NULL;
	b->used = 0;
}

size_t
wire_budget_for(size_t len)
{
	/* Decoded structs are larger than their encoding; 8x plus slack covers
	 * every honest message and stops amplification. */
	return len * 8 + 64 * 1024;
}

bool
wire_utf8_valid(const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;

	while (i < len) {
		unsigned char c = s[i];
		size_t n;
		uint32_t cp;

		if (c < 0x80) {
			i++;
			continue;
		} else if ((c & 0xe0) == 0xc0) {
			n = 1;
			cp = c & 0x1f;
		} else if ((c & 0xf0) == 0xe0) {
			n = 2;
			cp = c & 0x0f;
		} else if ((c & 0xf8) == 0xf0) {
			n = 3;
			cp = c & 0x07;
		} else
			return false;
		if (len - i <= n)
			return false;
		for (size_t k = 1; k <= n; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return false;
			cp = cp << 6 | (s[i + k] & 0x3f);
		}
		if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) ||
		    (n == 3 && cp < 0x10000) || cp > 0x10ffff ||
		    (cp >= 0xd800 && cp <= 0xdfff))
			return false;
		i += n + 1;
	}
	return true;
}

size_t
wire_value_size(const ProtobufCFieldDescriptor *f)
{
	switch (f->type) {
	case PROTOBUF_C_TYPE_INT64: case PROTOBUF_C_TYPE_SINT64:
	case PROTOBUF_C_TYPE_SFIXED64: case PROTOBUF_C_TYPE_UINT64:
	case PROTOBUF_C_TYPE_FIXED64: case PROTOBUF_C_TYPE_DOUBLE:
		return 8;
	case PROTOBUF_C_TYPE_STRING: case PROTOBUF_C_TYPE_MESSAGE:
		return sizeof(void *);
	case PROTOBUF_C_TYPE_BYTES:
		return sizeof(ProtobufCBinaryData);
	case PROTOBUF_C_TYPE_BOOL:
		return sizeof(protobuf_c_boolean);
	default:
		return 4;
	}
}

void
wire_copy_fields(ProtobufCMessage *to, const ProtobufCMessage *from,
    uint32_t below)
{
	const ProtobufCMessageDescriptor *d = from->descriptor;

	for (unsigned i = 0; i < d->n_fields; i++) {
		const ProtobufCFieldDescriptor *f = &d->fields[i];
		bool rep = f->label == PROTOBUF_C_LABEL_REPEATED;

		if (f->id >= below)
			continue;
		/* A repeated field is its count and its array pointer. */
		if (rep)
			memcpy((char *)to + f->quantifier_offset,
			    (const char *)from + f->quantifier_offset,
			    sizeof(size_t));
		memcpy((char *)to + f->offset, (const char *)from + f->offset,
		    rep ? sizeof(void *) : wire_value_size(f));
	}
}

int64_t
wire_get_int(const ProtobufCMessage *m, const ProtobufCFieldDescriptor *f)
{
	const char *p = (const char *)m + f->offset;

	if (f->label == PROTOBUF_C_LABEL_REPEATED)
		return 0;
	switch (f->type) {
	case PROTOBUF_C_TYPE_INT64:
		return *(const int64_t *)p;
	case PROTOBUF_C_TYPE_UINT64:
		return (int64_t)*(const uint64_t *)p;
	case PROTOBUF_C_TYPE_UINT32:
		return *(const uint32_t *)p;
	case PROTOBUF_C_TYPE_ENUM:
		return *(const int *)p;
	case PROTOBUF_C_TYPE_BOOL:
		return *(const protobuf_c_boolean *)p;
	default:
		return 0;
	}
}

void
wire_set_int(ProtobufCMessage *m, const ProtobufCFieldDescriptor *f,
    int64_t v)
{
	char *p = (char *)m + f->offset;

	if (f->label == PROTOBUF_C_LABEL_REPEATED)
		return;
	switch (f->type) {
	case PROTOBUF_C_TYPE_INT64:
		*(int64_t *)p = v;
		break;
	case PROTOBUF_C_TYPE_UINT64:
		*(uint64_t *)p = (uint64_t)v;
		break;
	case PROTOBUF_C_TYPE_UINT32:
		*(uint32_t *)p = (uint32_t)v;
		break;
	case PROTOBUF_C_TYPE_ENUM:
		*(int *)p = (int)v;
		break;
	case PROTOBUF_C_TYPE_BOOL:
		*(protobuf_c_boolean *)p = v != 0;
		break;
	default:
		break;
	}
}

bool
wire_time_ok(int64_t ms)
{
	return ms >= WIRE_TIME_MIN_MS && ms < WIRE_TIME_END_MS;
}

bool
wire_phone_ok(const char *s)
{
	size_t digits = 0;

	for (const char *p = s; *p; p++) {
		if (*p >= '0' && *p <= '9')
			digits++;
		else if (!(*p == '+' && p == s) && *p != '-' && *p != ' ')
			return false;
	}
	return digits >= 5 && digits <= 15;
}

bool
wire_month_ok(uint32_t yyyymm)
{
	uint32_t y = yyyymm / 100, m = yyyymm % 100;

	return y >= WIRE_YEAR_FIRST && y < WIRE_YEAR_END && m >= 1 && m <= 12;
}

bool
wire_day_ok(uint32_t yyyymmdd)
{
	static const uint8_t days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30,
	    31, 30, 31 };
	uint32_t y = yyyymmdd / 10000, m = yyyymmdd / 100 % 100,
	    d = yyyymmdd % 100;
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	if (!wire_month_ok(yyyymmdd / 100))
		return false;
	return d >= 1 && d <= days[m - 1] + (uint32_t)(m == 2 && leap);
}

int
wire_day_parse(const char *s, uint32_t *yyyymmdd)
{
	uint32_t v = 0;

	/* Digits where digits go, dashes where dashes go: no sign, no
	 * space, nothing after (sscanf would take " 1" and "+1"). */
	for (int i = 0; i < 10; i++) {
		if (i == 4 || i == 7) {
			if (s[i] != '-')
				return -1;
		} else if (s[i] < '0' || s[i] > '9')
			return -1;
		else
			v = v * 10 + (uint32_t)(s[i] - '0');
	}
	if (s[10] != '\0' || !wire_day_ok(v))
		return -1;
	*yyyymmdd = v;
	return 0;
}

static bool
named(const ProtobufCFieldDescriptor *f, const char *const *names)
{
	for (; *names != NULL; names++)
		if (strcmp(f->name, *names) == 0)
			return true;
	return false;
}

enum wire_time
wire_time_of(const ProtobufCMessageDescriptor *d,
    const ProtobufCFieldDescriptor *f)
{
	static const char *const days[] = { "day", "date", "other_date",
	    "move_in", NULL };
	static const char *const durations[] = { "late_ms", NULL };
	size_t n = strlen(f->name);

	if (f->label == PROTOBUF_C_LABEL_REPEATED)
		return WIRE_TIME_NONE;
	switch (f->type) {
	case PROTOBUF_C_TYPE_INT64:
		if (n > 3 && strcmp(f->name + n - 3, "_ms") == 0 &&
		    !named(f, durations))
			return WIRE_TIME_INSTANT;
		break;
	case PROTOBUF_C_TYPE_UINT32:
		if (strcmp(f->name, "month") == 0)
			return WIRE_TIME_MONTH;
		/* A schedule's assignments count days of its month. */
		if (named(f, days) && strcmp(d->short_name, "Assignment") != 0)
			return WIRE_TIME_DAY;
		break;
	case PROTOBUF_C_TYPE_STRING:
		if (named(f, days))
			return WIRE_TIME_DAY_TEXT;
		break;
	default:
		break;
	}
	return WIRE_TIME_NONE;
}

void
wire_period_text(uint32_t period, char *buf, size_t len)
{
	if (period >= 10000000)
		snprintf(buf, len, "%04u-%02u-%02u", (unsigned)(period / 10000),
		    (unsigned)(period / 100 % 100), (unsigned)(period % 100));
	else
		snprintf(buf, len, "%04u-%02u", (unsigned)(period / 100),
		    (unsigned)(period % 100));
}
