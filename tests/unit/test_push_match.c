/*
 * test_push_match.c - the scanner that finds an Event's type in its stored
 * bytes without decoding the rest, and the prefix filter of a subscription.
 * Every scan runs on an exact-size heap copy, so under ASan (build-asan) a
 * read past the end is an error, not luck.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "deskd.pb-c.h"
#include "push.h"

/* Scan an exact-size copy of buf[0..len). */
static bool
scan(const uint8_t *buf, size_t len, char *type, size_t typesz)
{
	uint8_t *copy = malloc(len ? len : 1);
	const char *t = NULL;
	size_t tlen = 0;
	bool found;

	assert_non_null(copy);
	memcpy(copy, buf, len);
	found = push_event_type(copy, len, &t, &tlen);
	if (found) {
		/* What it points at lies inside the input. */
		assert_true((const uint8_t *)t >= copy);
		assert_true((const uint8_t *)t + tlen <= copy + len);
		assert_true(tlen < typesz);
		memcpy(type, t, tlen);
		type[tlen] = '\0';
	}
	free(copy);
	return found;
}

static size_t
put_varint(uint8_t *p, uint64_t v)
{
	size_t n = 0;

	do {
		p[n++] = (uint8_t)((v & 0x7f) | (v > 0x7f ? 0x80 : 0));
		v >>= 7;
	} while (v != 0);
	return n;
}

static char *
big_text(size_t n)
{
	char *s = malloc(n + 1);

	assert_non_null(s);
	/* "投诉" repeated: 6 bytes of UTF-8 at a time. */
	for (size_t i = 0; i < n; i++)
		s[i] = "\xe6\x8a\x95\xe8\xaf\x89"[i % 6];
	s[n] = '\0';
	return s;
}

static uint8_t *
pack_event(const Deskd__Event *ev, size_t *len)
{
	uint8_t *buf;

	*len = deskd__event__get_packed_size(ev);
	assert_non_null(buf = malloc(*len));
	assert_int_equal(deskd__event__pack(ev, buf), *len);
	return buf;
}

static void
plain_event(void **state)
{
	Deskd__Event ev = DESKD__EVENT__INIT;
	char type[64];
	uint8_t *buf;
	size_t len;

	(void)state;
	ev.seq = 300;			/* two-byte varint */
	ev.time_ms = -1;		/* ten-byte varint */
	ev.actor = "wang";
	ev.type = "complaint.created";
	ev.record = "complaint:12";
	ev.summary = "新投诉";
	buf = pack_event(&ev, &len);
	assert_true(scan(buf, len, type, sizeof(type)));
	assert_string_equal(type, "complaint.created");
	free(buf);
}

static void
large_complaint_after_type(void **state)
{
	Deskd__Event ev = DESKD__EVENT__INIT;
	Deskd__Complaint c = DESKD__COMPLAINT__INIT;
	char type[64];
	uint8_t *buf;
	size_t len;

	(void)state;
	c.id = 12;
	c.text = big_text(40000);	/* a three-byte length prefix */
	ev.seq = 1;
	ev.type = "complaint.replied";
	ev.text = big_text(3000);
	ev.complaint = &c;
	buf = pack_event(&ev, &len);
	assert_true(len > 43000);
	assert_true(scan(buf, len, type, sizeof(type)));
	assert_string_equal(type, "complaint.replied");
	free(buf);
	free(c.text);
	free(ev.text);
}

/* Legal protobuf in any field order: a big complaint, then the type. */
static uint8_t *
complaint_then_type(const char *typestr, size_t textlen, size_t *len,
    size_t *type_end)
{
	Deskd__Complaint c = DESKD__COMPLAINT__INIT;
	Deskd__Event ev = DESKD__EVENT__INIT;
	size_t clen, at = 0;
	uint8_t *buf;

	c.id = 7;
	c.complainant = "王女士";
	c.text = big_text(textlen);
	clen = deskd__complaint__get_packed_size(&c);
	ev.type = (char *)typestr;
	assert_non_null(buf = malloc(clen + 64 +
	    deskd__event__get_packed_size(&ev)));
	at += put_varint(buf + at, 10 << 3 | 2);	/* Event.complaint */
	at += put_varint(buf + at, clen);
	at += deskd__complaint__pack(&c, buf + at);
	/* Unknown fixed64 and fixed32 fields are stepped over too. */
	at += put_varint(buf + at, 30 << 3 | 1);
	memset(buf + at, 0xff, 8);
	at += 8;
	at += put_varint(buf + at, 31 << 3 | 5);
	memset(buf + at, 0x22, 4);		/* looks like a type key */
	at += 4;
	at += deskd__event__pack(&ev, buf + at);
	*type_end = at;
	*len = at;
	free(c.text);
	return buf;
}

static void
large_complaint_before_type(void **state)
{
	char type[64];
	uint8_t *buf;
	size_t len, end;

	(void)state;
	buf = complaint_then_type("complaint.escalated", 20000, &len, &end);
	assert_true(scan(buf, len, type, sizeof(type)));
	assert_string_equal(type, "complaint.escalated");
	/* protobuf-c agrees that this is the event's type. */
	{
		Deskd__Event *ev = deskd__event__unpack(NULL, len, buf);

		assert_non_null(ev);
		assert_string_equal(ev->type, "complaint.escalated");
		assert_non_null(ev->complaint);
		assert_int_equal(ev->complaint->id, 7);
		deskd__event__free_unpacked(ev, NULL);
	}
	free(buf);
}

static void
truncated(void **state)
{
	char type[64];
	uint8_t *buf;
	size_t len, end;

	(void)state;
	/* The type is the last thing: every shorter prefix is refused. */
	buf = complaint_then_type("user.added", 300, &len, &end);
	assert_true(scan(buf, len, type, sizeof(type)));
	assert_string_equal(type, "user.added");
	for (size_t cut = 0; cut < len; cut++)
		if (scan(buf, cut, type, sizeof(type)))
			fail_msg("found a type in the first %zu of %zu bytes",
			    cut, len);
	free(buf);
}

static void
no_type(void **state)
{
	Deskd__Event ev = DESKD__EVENT__INIT;
	char type[64];
	uint8_t *buf;
	size_t len;

	(void)state;
	ev.seq = 5;
	ev.actor = "wang";
	ev.record = "complaint:1";	/* field 5, not 4 */
	buf = pack_event(&ev, &len);
	assert_false(scan(buf, len, type, sizeof(type)));
	free(buf);
	assert_false(scan((const uint8_t *)"", 0, type, sizeof(type)));
}

static void
garbage(void **state)
{
	static const struct {
		const char	*bytes;
		size_t		 len;
	} bad[] = {
		{ "\x22", 1 },			/* key, no length */
		{ "\x22\x05" "abc", 5 },	/* length past the end */
		{ "\x22\x80", 2 },		/* unfinished length varint */
		{ "\x22\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01", 11 },
		{ "\x22\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff", 12 },
		{ "\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\x22", 12 },
		{ "\x08", 1 },			/* varint field, no value */
		{ "\x08\x80\x80", 3 },
		{ "\x09\x01\x02\x03", 4 },	/* fixed64, short */
		{ "\x0d\x01\x02", 3 },		/* fixed32, short */
		{ "\x0b\x22\x01" "a", 4 },	/* start group */
		{ "\x0c\x22\x01" "a", 4 },	/* end group */
		{ "\x0e\x22\x01" "a", 4 },	/* wire type 6 */
		{ "\x0f\x22\x01" "a", 4 },	/* wire type 7 */
		{ "\x20\x05", 2 },		/* field 4 as a varint */
		{ "\x52\x03" "\x22\x01" "a", 5 },	/* nested only */
	};
	char type[64];

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (scan((const uint8_t *)bad[i].bytes, bad[i].len, type,
		    sizeof(type)))
			fail_msg("garbage %zu: found type '%s'", i, type);

	/* Field 4 of the wrong wire type is skipped, the real one found. */
	assert_true(scan((const uint8_t *)"\x20\x05\x22\x03" "abc", 7, type,
	    sizeof(type)));
	assert_string_equal(type, "abc");
	/* A non-minimal key still names field 4. */
	assert_true(scan((const uint8_t *)"\xa2\x00\x01" "z", 4, type,
	    sizeof(type)));
	assert_string_equal(type, "z");
	/* An empty type is found, and is empty. */
	assert_true(scan((const uint8_t *)"\x22\x00", 2, type, sizeof(type)));
	assert_string_equal(type, "");
}

/* Pseudo-random bytes, some made to look like protobuf: never out of
 * bounds, never a type outside the input (checked in scan). */
static void
random_bytes(void **state)
{
	uint32_t x = 0x9e3779b9;
	uint8_t buf[64];
	char type[128];

	(void)state;
	for (int round = 0; round < 20000; round++) {
		size_t len = (size_t)(round % 64);

		for (size_t i = 0; i < len; i++) {
			x ^= x << 13;
			x ^= x >> 17;
			x ^= x << 5;
			buf[i] = (uint8_t)x;
			/* Bias towards keys and lengths that parse. */
			if ((x >> 8) % 4 == 0)
				buf[i] = "\x22\x08\x0a\x01\x52\x09"[(x >> 12) % 6];
		}
		(void)scan(buf, len, type, sizeof(type));
	}
}

static void
prefixes(void **state)
{
	char *const p[] = { "user.", "complaint.replied", "" };
	char *const none_match[] = { "user.", "complaint.x" };
	const char *t = "complaint.replied.extra";

	(void)state;
	/* No prefixes: everything. */
	assert_true(push_type_matches("anything", 8, NULL, 0));
	assert_true(push_type_matches("complaint.created", 17, p, 1) ==
	    false);
	assert_true(push_type_matches("user.added", 10, p, 1));
	assert_true(push_type_matches("complaint.replied", 17, p + 1, 1));
	assert_true(push_type_matches(t, strlen(t), p + 1, 1));
	/* The type is len bytes, not up to a NUL: shorter than the prefix. */
	assert_false(push_type_matches(t, 16, p + 1, 1));
	assert_false(push_type_matches("user", 4, p, 1));
	assert_false(push_type_matches("complaint.replied", 17, none_match,
	    2));
	/* Any one matching is enough; "" matches all. */
	assert_true(push_type_matches("complaint.replied", 17, p, 2));
	assert_true(push_type_matches("zzz", 3, p, 3));
	assert_true(push_type_matches("", 0, p + 2, 1));
	/* Case matters. */
	assert_false(push_type_matches("User.added", 10, p, 1));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(plain_event),
		cmocka_unit_test(large_complaint_after_type),
		cmocka_unit_test(large_complaint_before_type),
		cmocka_unit_test(truncated),
		cmocka_unit_test(no_type),
		cmocka_unit_test(garbage),
		cmocka_unit_test(random_bytes),
		cmocka_unit_test(prefixes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
