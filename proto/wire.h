/*
 * wire.h - the deskd frame header and bounded decoding, shared by deskd and
 * the desk client.  The layout is documented byte by byte in PROTOCOL.md.
 */
#ifndef DESKD_WIRE_H
#define DESKD_WIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <protobuf-c/protobuf-c.h>

#define WIRE_MAGIC		"DESK"
#define WIRE_HEADER_LEN		16
#define WIRE_VERSION		1
#define WIRE_DEFAULT_MAX_PAYLOAD	(1024u * 1024u)

enum wire_kind {
	WIRE_REQUEST = 1,
	WIRE_RESPONSE = 2,
	WIRE_EVENT = 3,
};

struct wire_header {
	uint8_t		version;
	uint8_t		kind;
	uint16_t	flags;
	uint32_t	request_id;
	uint32_t	length;
};

enum wire_check {
	WIRE_OK = 0,
	WIRE_BAD_MAGIC,
	WIRE_BAD_VERSION,
	WIRE_BAD_KIND,
	WIRE_BAD_FLAGS,
	WIRE_TOO_LARGE,
};

void		 wire_header_encode(uint8_t out[WIRE_HEADER_LEN],
		    const struct wire_header *);
enum wire_check	 wire_header_decode(const uint8_t in[WIRE_HEADER_LEN],
		    uint32_t max_payload, struct wire_header *);
const char	*wire_check_str(enum wire_check);

/*
 * A protobuf-c allocator that refuses to hand out more than `cap` bytes in
 * total, so a small hostile payload (thousands of empty repeated messages)
 * cannot make the decoder allocate without bound.  What it hands out is
 * freed all at once by wire_budget_release (its free does nothing), so it
 * must outlive every message unpacked with it.
 */
struct budget_chunk;
struct wire_budget {
	ProtobufCAllocator	 allocator;
	size_t			 used;
	size_t			 cap;
	struct budget_chunk	*chunks;
};
void	 wire_budget_init(struct wire_budget *, size_t cap);
void	 wire_budget_release(struct wire_budget *);
/* The budget to allow for a payload of `len` bytes. */
size_t	 wire_budget_for(size_t len);

/* True when the `len` bytes at `s` are well-formed UTF-8 (no overlongs, no
 * surrogates, nothing above U+10FFFF). */
bool	 wire_utf8_valid(const char *s, size_t len);

/* The bytes one value of a field takes in its C struct (a repeated field:
 * one element). */
size_t	 wire_value_size(const ProtobufCFieldDescriptor *);
/* Copy the fields numbered below `below` from `from` to `to` (same type),
 * pointers and all: `from` must outlive `to`.  The registers' forms
 * (fields 1-49) are copied this way on both sides. */
void	 wire_copy_fields(ProtobufCMessage *to, const ProtobufCMessage *from,
	    uint32_t below);
/* A singular number field (int64, uint64, uint32, enum, bool) as int64, or
 * set from one; other types read 0 and are left alone.  Server and client
 * fill messages by field name with these. */
int64_t	 wire_get_int(const ProtobufCMessage *,
	    const ProtobufCFieldDescriptor *);
void	 wire_set_int(ProtobufCMessage *, const ProtobufCFieldDescriptor *,
	    int64_t);

/*
 * The one range of times deskd takes and keeps (PROTOCOL.md 13.4): an
 * instant (a *_ms field) from 2000-01-01T00:00Z up to, not including,
 * 2100-01-01T00:00Z; a day (YYYYMMDD, "YYYY-MM-DD") or a month (YYYYMM)
 * of the years 2000-2099.  Every such time has a YYYY-MM-DD in every time
 * zone, so what is stored is what an export writes and an import reads
 * back.  0 (or "") is a time not set, which these do not take: a caller
 * decides whether its field may be unset.
 */
#define WIRE_YEAR_FIRST		2000
#define WIRE_YEAR_END		2100		/* the first year out */
#define WIRE_TIME_MIN_MS	946684800000LL	/* 2000-01-01T00:00Z */
#define WIRE_TIME_END_MS	4102444800000LL	/* 2100-01-01T00:00Z */
/* For messages: "from 2000-01-01 00:00 to 2099-12-31 23:59 UTC". */
#define WIRE_TIME_RANGE	"from 2000-01-01 00:00 to 2099-12-31 23:59 UTC"
#define WIRE_DAY_RANGE	"from 2000-01-01 to 2099-12-31"

bool	 wire_time_ok(int64_t ms);
/* A phone as deskd takes one (C5, D1) and a desk's form checks it: 5 to
 * 15 digits, a leading +, spaces and dashes. */
bool	 wire_phone_ok(const char *);
/* A day of the calendar (29 February in leap years only) in range. */
bool	 wire_day_ok(uint32_t yyyymmdd);
bool	 wire_month_ok(uint32_t yyyymm);
/* "YYYY-MM-DD" (exactly) to YYYYMMDD when it is a day in range; else -1. */
int	 wire_day_parse(const char *, uint32_t *yyyymmdd);
/* A day YYYYMMDD or a month YYYYMM as people write it: "2026-12-04",
 * "2026-12". */
void	 wire_period_text(uint32_t period, char *, size_t);

/* What time a field of a message holds, by its name and type: every
 * int64 *_ms but a duration (late_ms); a uint32 month; a uint32 day,
 * date, other_date or move_in (not a schedule's day of the month,
 * Assignment.day); and a string date, other_date or move_in. */
enum wire_time {
	WIRE_TIME_NONE = 0,
	WIRE_TIME_INSTANT,		/* int64 ms since the epoch */
	WIRE_TIME_DAY,			/* uint32 YYYYMMDD */
	WIRE_TIME_MONTH,		/* uint32 YYYYMM */
	WIRE_TIME_DAY_TEXT,		/* string "YYYY-MM-DD" */
};
enum wire_time wire_time_of(const ProtobufCMessageDescriptor *,
	    const ProtobufCFieldDescriptor *);

#endif
