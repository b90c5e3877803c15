/*
 * test_wire.c - the frame header codec, the UTF-8 check every string goes
 * through, and the capped allocator that bounds what a payload may cost.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ctx.h"
#include "validate.h"
#include "wire.h"

static void
header_round_trip(void **state)
{
	struct wire_header in = { WIRE_VERSION, WIRE_EVENT, 0, 0xdeadbeef,
	    WIRE_DEFAULT_MAX_PAYLOAD };
	struct wire_header out;
	uint8_t buf[WIRE_HEADER_LEN];

	(void)state;
	wire_header_encode(buf, &in);
	memset(&out, 0xa5, sizeof(out));
	assert_int_equal(wire_header_decode(buf, WIRE_DEFAULT_MAX_PAYLOAD,
	    &out), WIRE_OK);
	assert_int_equal(out.version, WIRE_VERSION);
	assert_int_equal(out.kind, WIRE_EVENT);
	assert_int_equal(out.flags, 0);
	assert_int_equal(out.request_id, 0xdeadbeef);
	assert_int_equal(out.length, WIRE_DEFAULT_MAX_PAYLOAD);

	in.kind = WIRE_REQUEST;
	in.request_id = 0;
	in.length = 0;
	wire_header_encode(buf, &in);
	assert_int_equal(wire_header_decode(buf, WIRE_DEFAULT_MAX_PAYLOAD,
	    &out), WIRE_OK);
	assert_int_equal(out.kind, WIRE_REQUEST);
	assert_int_equal(out.request_id, 0);
	assert_int_equal(out.length, 0);
}

/* PROTOCOL.md's layout, byte by byte: other implementations depend on it. */
static void
header_layout(void **state)
{
	static const uint8_t want[WIRE_HEADER_LEN] = {
		'D', 'E', 'S', 'K',
		1,				/* version */
		2,				/* kind: response */
		0xab, 0xcd,			/* flags, big-endian */
		0x01, 0x02, 0x03, 0x04,		/* request id, big-endian */
		0x0a, 0x0b, 0x0c, 0x0d,		/* length, big-endian */
	};
	struct wire_header h = { 1, WIRE_RESPONSE, 0xabcd, 0x01020304,
	    0x0a0b0c0d };
	uint8_t buf[WIRE_HEADER_LEN + 1];

	(void)state;
	buf[WIRE_HEADER_LEN] = 0x77;
	wire_header_encode(buf, &h);
	assert_memory_equal(buf, want, WIRE_HEADER_LEN);
	/* Exactly 16 bytes are written. */
	assert_int_equal(buf[WIRE_HEADER_LEN], 0x77);
}

static enum wire_check
decode_bytes(const uint8_t *b, uint32_t max, struct wire_header *h)
{
	return wire_header_decode(b, max, h);
}

static void
header_errors(void **state)
{
	struct wire_header good = { WIRE_VERSION, WIRE_REQUEST, 0, 7, 100 };
	struct wire_header h;
	uint8_t buf[WIRE_HEADER_LEN];

	(void)state;
	wire_header_encode(buf, &good);
	assert_int_equal(decode_bytes(buf, 100, &h), WIRE_OK);

	/* Every byte of the magic counts, and it is case-sensitive. */
	for (int i = 0; i < 4; i++) {
		wire_header_encode(buf, &good);
		buf[i] ^= 0x20;
		assert_int_equal(decode_bytes(buf, 100, &h), WIRE_BAD_MAGIC);
	}
	memcpy(buf, "HTTP", 4);
	assert_int_equal(decode_bytes(buf, 100, &h), WIRE_BAD_MAGIC);

	wire_header_encode(buf, &good);
	buf[4] = 0;
	assert_int_equal(decode_bytes(buf, 100, &h), WIRE_BAD_VERSION);
	buf[4] = 2;
	assert_int_equal(decode_bytes(buf, 100, &h), WIRE_BAD_VERSION);
	/* The decoded version is there for the error reply. */
	assert_int_equal(h.version, 2);
	/* A future version may change the rest: it is reported first. */
	buf[5] = 99;
	buf[7] = 1;
	assert_int_equal(decode_bytes(buf, 0, &h), WIRE_BAD_VERSION);

	wire_header_encode(buf, &good);
	buf[5] = 0;
	assert_int_equal(decode_bytes(buf, 100, &h), WIRE_BAD_KIND);
	buf[5] = WIRE_EVENT + 1;
	assert_int_equal(decode_bytes(buf, 100, &h), WIRE_BAD_KIND);
	buf[5] = 0xff;
	assert_int_equal(decode_bytes(buf, 100, &h), WIRE_BAD_KIND);
	for (int k = WIRE_REQUEST; k <= WIRE_EVENT; k++) {
		buf[5] = (uint8_t)k;
		assert_int_equal(decode_bytes(buf, 100, &h), WIRE_OK);
	}

	/* Both flag bytes are reserved. */
	wire_header_encode(buf, &good);
	buf[6] = 0x80;
	assert_int_equal(decode_bytes(buf, 100, &h), WIRE_BAD_FLAGS);
	buf[6] = 0;
	buf[7] = 0x01;
	assert_int_equal(decode_bytes(buf, 100, &h), WIRE_BAD_FLAGS);

	/* The limit itself is allowed, one more byte is not. */
	good.length = 100;
	wire_header_encode(buf, &good);
	assert_int_equal(decode_bytes(buf, 100, &h), WIRE_OK);
	good.length = 101;
	wire_header_encode(buf, &good);
	assert_int_equal(decode_bytes(buf, 100, &h), WIRE_TOO_LARGE);
	assert_int_equal(h.length, 101);
	assert_int_equal(h.request_id, 7);
	good.length = 0xffffffff;
	wire_header_encode(buf, &good);
	assert_int_equal(decode_bytes(buf, WIRE_DEFAULT_MAX_PAYLOAD, &h),
	    WIRE_TOO_LARGE);
	good.length = WIRE_DEFAULT_MAX_PAYLOAD + 1;
	wire_header_encode(buf, &good);
	assert_int_equal(decode_bytes(buf, WIRE_DEFAULT_MAX_PAYLOAD, &h),
	    WIRE_TOO_LARGE);

	/* Each error has its own words for the reply. */
	for (int a = WIRE_OK; a <= WIRE_TOO_LARGE; a++) {
		assert_non_null(wire_check_str(a));
		for (int b = a + 1; b <= WIRE_TOO_LARGE; b++)
			assert_string_not_equal(wire_check_str(a),
			    wire_check_str(b));
	}
	assert_string_equal(wire_check_str(WIRE_OK), "ok");
}

/* ---------- UTF-8 ---------- */

static bool
utf8(const char *s)
{
	return wire_utf8_valid(s, strlen(s));
}

static void
utf8_valid_text(void **state)
{
	(void)state;
	assert_true(utf8(""));
	assert_true(utf8("plain ASCII, with punctuation!~\x7f"));
	assert_true(utf8("王女士"));
	assert_true(utf8("3-502 室：楼上装修噪音，晚上十点后仍在施工。"));
	assert_true(utf8("caf\xc3\xa9"));			/* é, 2 bytes */
	assert_true(utf8("\xc2\x80"));				/* U+0080 */
	assert_true(utf8("\xdf\xbf"));				/* U+07FF */
	assert_true(utf8("\xe0\xa0\x80"));			/* U+0800 */
	assert_true(utf8("\xed\x9f\xbf"));			/* U+D7FF */
	assert_true(utf8("\xee\x80\x80"));			/* U+E000 */
	assert_true(utf8("\xef\xbf\xbf"));			/* U+FFFF */
	assert_true(utf8("\xf0\x90\x80\x80"));			/* U+10000 */
	assert_true(utf8("\xf0\x9f\x98\x80"));			/* 😀 */
	assert_true(utf8("\xf4\x8f\xbf\xbf"));			/* U+10FFFF */
	assert_true(utf8("𠀀 a CJK Ext-B character"));
	/* NUL is ASCII; the length, not a terminator, bounds the check. */
	assert_true(wire_utf8_valid("a\0b", 3));
}

static void
utf8_overlong(void **state)
{
	(void)state;
	assert_false(utf8("\xc0\x80"));		/* NUL, 2 bytes */
	assert_false(utf8("\xc0\xaf"));		/* '/', the classic */
	assert_false(utf8("\xc1\xbf"));		/* U+007F in 2 */
	assert_false(utf8("\xe0\x80\x80"));	/* NUL in 3 */
	assert_false(utf8("\xe0\x80\xaf"));	/* '/' in 3 */
	assert_false(utf8("\xe0\x9f\xbf"));	/* U+07FF in 3 */
	assert_false(utf8("\xf0\x80\x80\x80"));	/* NUL in 4 */
	assert_false(utf8("\xf0\x8f\xbf\xbf"));	/* U+FFFF in 4 */
	/* In the middle of good text too. */
	assert_false(utf8("王\xc0\xaf女士"));
}

static void
utf8_surrogates(void **state)
{
	(void)state;
	assert_false(utf8("\xed\xa0\x80"));	/* U+D800 */
	assert_false(utf8("\xed\xad\xbf"));	/* U+DB7F */
	assert_false(utf8("\xed\xb0\x80"));	/* U+DC00 */
	assert_false(utf8("\xed\xbf\xbf"));	/* U+DFFF */
	/* CESU-8 pair for U+1F600. */
	assert_false(utf8("\xed\xa0\xbd\xed\xb8\x80"));
}

static void
utf8_truncated(void **state)
{
	const char *wang = "王";	/* e7 8e 8b */

	(void)state;
	assert_false(utf8("\xc3"));
	assert_false(utf8("abc\xc3"));
	assert_false(utf8("\xe7\x8e"));
	assert_false(utf8("\xf0\x9f\x98"));
	assert_false(utf8("\xf0\x9f"));
	assert_false(utf8("\xf0"));
	/* The length is honoured: a character cut by it is not whole. */
	assert_true(wire_utf8_valid(wang, 3));
	assert_false(wire_utf8_valid(wang, 2));
	assert_false(wire_utf8_valid(wang, 1));
	assert_true(wire_utf8_valid(wang, 0));
	assert_false(wire_utf8_valid("王女士", 8));
	/* A lead byte followed by something other than a continuation. */
	assert_false(utf8("\xe7\x8e" "A"));
	assert_false(utf8("\xc3" "A"));
	assert_false(utf8("\xe7" "王"));
	/* Continuations with no lead. */
	assert_false(utf8("\x80"));
	assert_false(utf8("a\xbf"));
	assert_false(utf8("王\x8b"));
}

static void
utf8_beyond_unicode(void **state)
{
	(void)state;
	assert_false(utf8("\xf4\x90\x80\x80"));		/* U+110000 */
	assert_false(utf8("\xf4\xbf\xbf\xbf"));
	assert_false(utf8("\xf5\x80\x80\x80"));
	assert_false(utf8("\xf7\xbf\xbf\xbf"));		/* U+1FFFFF */
	assert_false(utf8("\xf8\x88\x80\x80\x80"));	/* old 5-byte form */
	assert_false(utf8("\xfc\x84\x80\x80\x80\x80"));	/* old 6-byte form */
	assert_false(utf8("\xfe"));
	assert_false(utf8("\xff"));
}

/* ---------- the budget allocator ---------- */

static void
budget_caps(void **state)
{
	struct wire_budget b;
	ProtobufCAllocator *a = &b.allocator;
	void *p, *q, *r;

	(void)state;
	wire_budget_init(&b, 100);
	assert_int_equal(b.used, 0);
	assert_int_equal(b.cap, 100);

	assert_non_null(p = a->alloc(a->allocator_data, 60));
	memset(p, 1, 60);		/* really 60 usable bytes (ASan) */
	assert_int_equal(b.used, 60);
	assert_null(a->alloc(a->allocator_data, 41));
	assert_int_equal(b.used, 60);	/* a refusal costs nothing */
	assert_non_null(q = a->alloc(a->allocator_data, 40));
	assert_int_equal(b.used, 100);
	assert_null(a->alloc(a->allocator_data, 1));
	memset(q, 2, 40);
	assert_int_equal(((unsigned char *)p)[59], 1);	/* blocks apart */
	/* A free gives nothing back (the decoder frees only what it then
	 * drops): the cap bounds all a payload takes.  Release frees it. */
	a->free(a->allocator_data, p);
	a->free(a->allocator_data, NULL);
	assert_int_equal(b.used, 100);
	assert_null(r = a->alloc(a->allocator_data, 1));
	wire_budget_release(&b);
	assert_int_equal(b.used, 0);
	assert_non_null(r = a->alloc(a->allocator_data, 100));
	memset(r, 3, 100);
	/* One request above the whole cap, and the largest size_t. */
	assert_null(a->alloc(a->allocator_data, 1));
	wire_budget_release(&b);
	assert_null(a->alloc(a->allocator_data, 101));
	assert_null(a->alloc(a->allocator_data, SIZE_MAX));
	assert_int_equal(b.used, 0);
	wire_budget_release(&b);
}

static void
budget_alignment(void **state)
{
	struct wire_budget b;
	ProtobufCAllocator *a = &b.allocator;
	void *p[8];

	(void)state;
	/* protobuf-c stores int64 and pointers in what it gets. */
	wire_budget_init(&b, 64 * 1024);
	for (int i = 0; i < 8; i++) {
		p[i] = a->alloc(a->allocator_data, (size_t)i * 3 + 1);
		assert_non_null(p[i]);
		assert_int_equal((uintptr_t)p[i] % _Alignof(max_align_t), 0);
	}
	/* Past the first chunk too: a batch's rows take many. */
	for (int i = 0; i < 2000; i++) {
		void *q = a->alloc(a->allocator_data, (size_t)i % 7 + 1);

		assert_non_null(q);
		assert_int_equal((uintptr_t)q % _Alignof(max_align_t), 0);
	}
	wire_budget_release(&b);
	assert_int_equal(b.used, 0);
}

static void
budget_for(void **state)
{
	(void)state;
	/* Room for an honest message, proportional to its size. */
	assert_true(wire_budget_for(0) > 0);
	assert_true(wire_budget_for(1000) >= 8 * 1000);
	assert_true(wire_budget_for(WIRE_DEFAULT_MAX_PAYLOAD) >=
	    8 * (size_t)WIRE_DEFAULT_MAX_PAYLOAD);
	assert_true(wire_budget_for(2000) > wire_budget_for(1000));
}

/* A Request { subscribe { type_prefixes: "" x n } }, by hand. */
static uint8_t *
empty_prefixes(size_t n, size_t *len)
{
	size_t inner = 2 * n, at = 0;
	uint8_t *buf = malloc(inner + 16);

	assert_non_null(buf);
	buf[at++] = 4 << 3 | 2;		/* Request.subscribe */
	for (size_t v = inner; ; v >>= 7) {
		buf[at++] = (uint8_t)((v & 0x7f) | (v > 0x7f ? 0x80 : 0));
		if (v <= 0x7f)
			break;
	}
	for (size_t i = 0; i < n; i++) {
		buf[at++] = 2 << 3 | 2;	/* Subscribe.type_prefixes */
		buf[at++] = 0;		/* "" */
	}
	*len = at;
	return buf;
}

static void
budget_stops_amplification(void **state)
{
	struct wire_budget b;
	Deskd__Request *req;
	uint8_t *buf;
	size_t len;

	(void)state;
	/* 40 000 empty strings: 80 KB on the wire, megabytes decoded. */
	buf = empty_prefixes(40000, &len);
	wire_budget_init(&b, wire_budget_for(len));
	req = deskd__request__unpack(&b.allocator, len, buf);
	assert_null(req);
	/* Refused within the cap; the release gives it all back (ASan). */
	assert_true(b.used <= b.cap);
	wire_budget_release(&b);
	assert_int_equal(b.used, 0);
	free(buf);

	/* The same shape, small, decodes within its budget... */
	buf = empty_prefixes(3, &len);
	wire_budget_init(&b, wire_budget_for(len));
	req = deskd__request__unpack(&b.allocator, len, buf);
	assert_non_null(req);
	assert_int_equal(req->body_case, DESKD__REQUEST__BODY_SUBSCRIBE);
	assert_int_equal(req->subscribe->n_type_prefixes, 3);
	assert_string_equal(req->subscribe->type_prefixes[2], "");
	assert_true(b.used > 0);
	wire_budget_release(&b);
	assert_int_equal(b.used, 0);
	free(buf);

	/* ...and a tight cap refuses even that. */
	buf = empty_prefixes(3, &len);
	wire_budget_init(&b, 16);
	assert_null(deskd__request__unpack(&b.allocator, len, buf));
	assert_int_equal(b.used, 0);
	free(buf);
}

/* What decodes but is still too many entries is refused by validation. */
static void
validate_counts_entries(void **state)
{
	struct wire_budget b;
	Deskd__Request *req;
	char msg[256];
	uint8_t *buf;
	size_t len;

	(void)state;
	/* Subscribe's prefixes have their own count, 16 (PROTOCOL.md 13.1;
	 * issue 11 folded the handler's check into validation). */
	buf = empty_prefixes(17, &len);
	wire_budget_init(&b, wire_budget_for(len));
	assert_non_null(req = deskd__request__unpack(&b.allocator, len, buf));
	assert_int_equal(validate_fields(&req->base, msg, sizeof(msg)),
	    DESKD__STATUS__INVALID_ARGUMENT);
	assert_non_null(strstr(msg, "type_prefixes: 17 entries, the limit is "
	    "16"));
	wire_budget_release(&b);
	free(buf);

	buf = empty_prefixes(16, &len);
	wire_budget_init(&b, wire_budget_for(len));
	assert_non_null(req = deskd__request__unpack(&b.allocator, len, buf));
	assert_int_equal(validate_fields(&req->base, msg, sizeof(msg)),
	    DESKD__STATUS__OK);
	wire_budget_release(&b);
	assert_int_equal(b.used, 0);
	free(buf);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(header_round_trip),
		cmocka_unit_test(header_layout),
		cmocka_unit_test(header_errors),
		cmocka_unit_test(utf8_valid_text),
		cmocka_unit_test(utf8_overlong),
		cmocka_unit_test(utf8_surrogates),
		cmocka_unit_test(utf8_truncated),
		cmocka_unit_test(utf8_beyond_unicode),
		cmocka_unit_test(budget_caps),
		cmocka_unit_test(budget_alignment),
		cmocka_unit_test(budget_for),
		cmocka_unit_test(budget_stops_amplification),
		cmocka_unit_test(validate_counts_entries),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
