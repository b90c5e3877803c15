/*
 * store.h - deskd's LMDB store.  The event log is the record: every change is
 * an event appended to `events` (gap-free u64 seq, SHA-256 chained), and the
 * current state of each record plus the indexes lists need are updated in the
 * same write transaction.  Storage knows nothing about clients or sockets.
 */
#ifndef DESKD_STORE_H
#define DESKD_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <lmdb.h>

#include "deskd.pb-c.h"

#define STORE_SCHEMA_VERSION	1
#define STORE_HASH_LEN		32

/* Our own codes; LMDB's are mapped onto these in one place (store.c). */
enum store_rc {
	STORE_OK = 0,
	STORE_NOTFOUND,
	STORE_EXISTS,
	STORE_MAP_FULL,		/* retry the whole transaction after store_grow() */
	STORE_CORRUPT,
	STORE_IO,
	STORE_YIELDED,		/* a long read stopped for store_grow */
	STORE_NOSPACE,		/* ENOSPC, EDQUOT: the disk is full */
	STORE_NOMEM,		/* a request ran out of memory after it
				 * wrote: the transaction is void */
};

enum record_kind {
	RECORD_COMPLAINT = 1,
	RECORD_USER = 2,
	RECORD_REPAIR = 3,	/* work orders: repairs and services (D1-D5) */
	RECORD_ALERT = 4,
	RECORD_HANDOVER = 5,	/* handovers at shift boundaries (B1-B6) */
	RECORD_DUTY = 6,	/* duty change requests (A3, A7, A8) */
	RECORD_DUTY_LOG = 7,	/* duty log entries (B3, B7) */
	RECORD_ATTENDANCE = 8,	/* attendance (A1): id is a month YYYYMM */
	RECORD_SCHEDULE = 9,	/* a month's schedule; A4: id is a holiday's
				 * first day YYYYMMDD */
	RECORD_UNIT = 10,	/* the owner archive (E6): units */
	RECORD_PERSON = 11,	/* owners and tenants (E6) */
	RECORD_REVEAL = 12,	/* a full phone or ID number shown (E6) */
	/* The front-desk registers (E1-E5, E7), 13-39: one kind each,
	 * stored alike (registers.c); names in record_kind_name.  A
	 * register added since numbers itself in its row (26 on, never
	 * reused: the number is in the keys) and names itself at start
	 * (store_name_kind). */
	RECORD_VISITOR = 13,
	RECORD_VISITOR_PERMIT = 14,
	RECORD_PASS = 15,
	RECORD_KEY = 16,
	RECORD_KEY_COUNT = 17,	/* id 0: the cabinet (E4 reconcile clock) */
	RECORD_PARKING = 18,
	RECORD_WORKER = 19,
	RECORD_RENOVATION = 20,
	RECORD_HOTWORK = 21,
	RECORD_CONSTRUCTION = 22,
	RECORD_CLEANING = 23,
	RECORD_NOTE = 24,
	RECORD_SPECIAL = 25,
};

/* "complaint", "repair", ...: the prefix of an event's record field. */
const char *record_kind_name(enum record_kind);
/* A kind numbered by the area that keeps it rather than by the enum
 * above (a register added since): its name, for labels and verify's
 * messages.  At start, before any transaction; name must stay valid. */
void	 store_name_kind(enum record_kind, const char *name);

struct store;

/*
 * A transaction and its error field: the first failure is kept and later
 * calls on the same transaction do nothing, so a handler can check once.
 */
struct store_txn {
	struct store	*st;
	MDB_txn		*txn;
	int		 err;		/* enum store_rc */
	bool		 write;
	/* The log's tail in this transaction (events.c): read at its first
	 * event, then kept here, and last_seq written to meta at commit --
	 * an import appends an event a row. */
	bool		 tail_known, tail_dirty;
	uint64_t	 last_seq;
	uint8_t		 last_hash[STORE_HASH_LEN];
	/* The id counters used in this transaction, the same way. */
	struct {
		int		 kind;		/* 0: free */
		uint64_t	 last;
	}		 ids[4];
	/* A write's puts and gets go through one cursor per database
	 * (store.c): the next key of an ordered run (an import's refs, a
	 * record's history) is then looked for on the page the cursor is
	 * on before LMDB walks down from the root. */
	struct {
		MDB_dbi		 dbi;
		MDB_cursor	*cursor;
	}		 cursors[8];
	size_t		 ncursors;
	/* Counts moved and not written yet (store_count_add): a batch of
	 * creates moves the same few tallies, each written once, at commit. */
	struct store_counts *counts;
	size_t		 ncounts;
	/* The record put last (store_put_record_msg) and its bytes' length,
	 * kept in the store: an event that carries the record it just put
	 * copies them instead of packing it again. */
	const ProtobufCMessage *packed_of;
	size_t		 packed_len;
	/* Puts and deletes so far, and records read that did not decode
	 * (store_get_msg): one unreadable record fails the request that
	 * read it, not the whole group commit (dispatch's apply_one). */
	uint64_t	 writes;
	uint32_t	 unreadable;
	char		 unreadable_what[64];	/* the last: "complaints 5" */
};

struct store_options {
	size_t		map_size;	/* initial map size in bytes */
	bool		no_sync;	/* tests of logic only: never in production */
	bool		create;		/* deskd init: make the environment */
	bool		read_only;	/* verify, backup: never write; a copy
					 * that cannot be written (a backup on
					 * read-only media) opens without
					 * LMDB's lock file */
};

int	 store_open(struct store **, const char *dir, const struct store_options *,
	    char *err, size_t errlen);
void	 store_close(struct store *);
const char *store_dir(struct store *);	/* as given to store_open */
/* The store copied into dir (an existing directory without a data.mdb),
 * compacted or page for page: LMDB's mdb_env_copy2 in a read
 * transaction, so a deskd may serve meanwhile.  A failed copy is removed. */
int	 store_copy(struct store *, const char *dir, bool compact, char *err,
	    size_t errlen);
int	 store_grow(struct store *);	/* double the map; no txn may be open */
/*
 * A long read on another thread (verify while serving) enters and leaves;
 * while one is in, store_grow asks it to yield (STORE_YIELDED) and waits
 * for it to leave, since LMDB remaps the file under every reader.
 */
void	 store_long_read_enter(struct store *);
void	 store_long_read_leave(struct store *);
bool	 store_long_read_yield(struct store *);
/* Stopping: long reads yield from now on. */
void	 store_long_read_interrupt(struct store *);
size_t	 store_map_size(struct store *);
const char *store_rc_str(int);

int	 store_txn_begin(struct store *, struct store_txn *parent, bool write,
	    struct store_txn *);
int	 store_txn_commit(struct store_txn *);
void	 store_txn_abort(struct store_txn *);

/* meta: schema version, chain head, id counters */
int	 store_init_schema(struct store_txn *);	/* new store only */
int	 store_check_schema(struct store_txn *, char *err, size_t errlen);
uint64_t store_next_id(struct store_txn *, enum record_kind);
/* The highest id given to a kind so far (0: none). */
uint64_t store_last_id(struct store_txn *, enum record_kind);

/* External keys of imported records (refs.c, issue 6). */
#define STORE_REF_MAX	128
#define STORE_NODE_LEN	8
/* The id a ref was stored with, 0 when none. */
uint64_t ref_lookup(struct store_txn *, enum record_kind, const char *ref);
void	 ref_put(struct store_txn *, enum record_kind, const char *ref,
	    uint64_t id);
/* A record's ref into out (its length; 0 when it has none). */
size_t	 ref_of(struct store_txn *, enum record_kind, uint64_t id, char *out,
	    size_t outlen);
/* This store's node name (8 hex), made on first use. */
const char *store_node(struct store_txn *, char out[STORE_NODE_LEN + 1]);
uint64_t store_last_seq(struct store_txn *);
void	 store_set_last_seq(struct store_txn *, uint64_t);

/* events (events.c) */
uint64_t event_append(struct store_txn *, Deskd__Event *, enum record_kind,
	    uint64_t record_id);
/* The bytes m was put with, if it is the record put last (no record put
 * and no event since; a clock's or an index's put leaves it), or NULL.
 * The caller must not have changed m since its put.  The buffer is the
 * store's: the caller may mask it in place for event_append_packed. */
uint8_t	*store_record_packed(struct store_txn *, const ProtobufCMessage *m,
	    size_t *len);
/* A request's start: a message at the address of one the request before
 * put is another. */
void	 store_record_packed_forget(struct store_txn *);
/* event_append, with the record the event carries given packed (body,
 * len) rather than packed again: an import appends an event a row.  The
 * event must carry that record as its one message field, or the
 * transaction fails (STORE_CORRUPT): the bytes would not be used. */
uint64_t event_append_packed(struct store_txn *, Deskd__Event *,
	    enum record_kind, uint64_t record_id, const uint8_t *body,
	    size_t len);
/* Raw stored event bytes (protobuf, without the chain hash), valid until the
 * transaction ends. */
int	 event_get_raw(struct store_txn *, uint64_t seq, const uint8_t **,
	    size_t *);
Deskd__Event *event_get(struct store_txn *, uint64_t seq);
/* Seqs of the events of one record, oldest first; caller frees *seqs. */
int	 event_history(struct store_txn *, enum record_kind, uint64_t id,
	    uint64_t **seqs, size_t *n);
/* The bytes of a message packed, in a buffer the caller frees (NULL: out
 * of memory). */
uint8_t	*store_packed(const ProtobufCMessage *, size_t *len);
struct store_verify_rules;
/* verify's look at the clocks: states against the due index. */
int	 clock_verify(struct store_txn *, char *err, size_t errlen);
/* Walk the chain and the indexes; ok: 0 and *events set. */
int	 store_verify(struct store *, const struct store_verify_rules *,
	    uint64_t *events,
	    char *err, size_t errlen);
/* At start: the last `links` events chain, and the log ends where meta
 * says (the whole walk is store_verify's). */
int	 store_check_tail(struct store *, uint64_t links, char *err,
	    size_t errlen);

/* complaints (complaints.c) */
Deskd__Complaint *complaint_get(struct store_txn *, uint64_t id);

/* users and sessions (users.c) */
Deskd__User *user_get(struct store_txn *, const char *name);
void	 user_put(struct store_txn *, const Deskd__User *);
int	 user_list(struct store_txn *, Deskd__User ***out, size_t *n);
Deskd__Session *session_get(struct store_txn *, const uint8_t hash[32]);
void	 session_put(struct store_txn *, const uint8_t hash[32],
	    const Deskd__Session *);
void	 session_del(struct store_txn *, const uint8_t hash[32]);
/* Delete the sessions of one user (user != NULL) and every expired one. */
void	 session_purge(struct store_txn *, const char *user, int64_t now_ms);

/* work orders and the fee schedule (repairs.c) */
Deskd__WorkOrder *repair_get(struct store_txn *, uint64_t id);
Deskd__Fee *fee_get(struct store_txn *, const char *item);
void	 fee_put(struct store_txn *, const Deskd__Fee *);
/* The whole schedule, in item order; caller frees each and the array. */
int	 fee_list(struct store_txn *, Deskd__Fee ***out, size_t *n);

/* shift schedules (schedules.c): version 0 is a month's draft */
Deskd__Schedule *schedule_get(struct store_txn *, uint32_t month,
	    uint32_t version);
void	 schedule_put(struct store_txn *, const Deskd__Schedule *);
void	 schedule_del(struct store_txn *, uint32_t month, uint32_t version);
/* The month's highest published version, 0 when none. */
uint32_t schedule_latest(struct store_txn *, uint32_t month);
/* Every stored version of a month, the draft first; caller frees. */
int	 schedule_versions(struct store_txn *, uint32_t month,
	    Deskd__Schedule ***out, size_t *n);

/* duty change requests (duty_requests.c): open means pending, or away (A7) */
Deskd__DutyRequest *duty_get(struct store_txn *, uint64_t id);

/* handovers (handovers.c): open until both have signed (B5) */
Deskd__Handover *handover_get(struct store_txn *, uint64_t id);

/* the duty log and its signatures (duty_logs.c, B3 B7-B9) */
void	 dutylog_put(struct store_txn *, const Deskd__DutyLogEntry *);
/* The entries of the days from_day..to_day (YYYYMMDD, inclusive), by day
 * then id; caller frees each and the array. */
int	 dutylog_range(struct store_txn *, uint32_t from_day, uint32_t to_day,
	    Deskd__DutyLogEntry ***out, size_t *n);
/* Sealed things by name ("day:20261203"); NULL when absent. */
void	*dutylog_seal_get(struct store_txn *, const char *name,
	    const ProtobufCMessageDescriptor *);
void	 dutylog_seal_put(struct store_txn *, const char *name,
	    const ProtobufCMessage *);
/* The seq and chain hash of the last event (0 and zeros when none). */
uint64_t event_chain_head(struct store_txn *, uint8_t hash[STORE_HASH_LEN]);
int	 event_chain_hash(struct store_txn *, uint64_t seq,
	    uint8_t hash[STORE_HASH_LEN]);

/* attendance (attendance_records.c, A1): one record per person per shift */
Deskd__Attendance *attendance_get(struct store_txn *, uint32_t date,
	    uint32_t shift, const char *user);
void	 attendance_put(struct store_txn *, uint32_t shift,
	    const Deskd__Attendance *);
/* Every record of a month, by day, shift and person; caller frees. */
int	 attendance_month(struct store_txn *, uint32_t month,
	    Deskd__Attendance ***out, size_t *n);
/* The month's submitted report (A1): its header only, or NULL. */
Deskd__AttendanceReportReply *attendance_submitted(struct store_txn *,
	    uint32_t month);
void	 attendance_submit(struct store_txn *,
	    const Deskd__AttendanceReportReply *);

/* counts of records by day and dimension (tallies.c, C8) */
#define STORE_TALLY_TEXT_MAX	63
/* Add delta to the count of (kind, day, dim, value); a count reaching 0
 * is removed. */
void	 tally_add(struct store_txn *, enum record_kind, uint32_t day,
	    const char *dim, const char *value, int64_t delta);
/* Every count of the kind with from_day <= day <= to_day, by day, then
 * dim, then value. */
int	 tally_walk(struct store_txn *, enum record_kind, uint32_t from_day,
	    uint32_t to_day, void (*each)(uint32_t day, const char *dim,
	    const char *value, uint64_t n, void *), void *arg);
/* Remove every count of the kind (before counting it again). */
void	 tally_clear(struct store_txn *, enum record_kind);
/* The version of the counting rules the kind's counts were made by (meta;
 * 0: never counted), and setting it once counted again. */
uint64_t tally_version(struct store_txn *, enum record_kind);
void	 tally_set_version(struct store_txn *, enum record_kind, uint64_t);

/* the owner archive (owner_archive.c, E6) */
Deskd__Unit *unit_get(struct store_txn *, uint64_t id);
Deskd__Unit *unit_by_code(struct store_txn *, const char *code);
/* Is a unit of that code in the archive (one index read, no decode)? */
bool	 unit_code_known(struct store_txn *, const char *code);
/* Write a unit and its code index; `old_code` is the code it had, or
 * NULL for a new unit. */
void	 unit_put(struct store_txn *, const char *old_code,
	    const Deskd__Unit *);
bool	 unit_any(struct store_txn *);
/* Units by code after `after` with the prefix (and the status, unless
 * 0), up to limit; caller frees each and the array. */
int	 unit_list(struct store_txn *, const char *prefix, const char *after,
	    int status, size_t limit, Deskd__Unit ***out, size_t *n, bool *more);
/* Calls fn with every unit code in order until it returns non-zero. */
void	 unit_codes(struct store_txn *, int (*fn)(const char *, size_t,
	    void *), void *arg);
/* Calls fn with every occupied unit, in code order, until it returns
 * non-zero: a household lives there (occupied or let; F1, F2). */
void	 unit_occupied(struct store_txn *, int (*fn)(const Deskd__Unit *,
	    void *), void *arg);
Deskd__Person *person_get(struct store_txn *, uint64_t id);
/* Write a person and the unit index; old_unit_id 0 for a new person. */
void	 person_put(struct store_txn *, uint64_t old_unit_id,
	    const Deskd__Person *);
/* The people of a unit by id; caller frees each and the array. */
int	 person_of_unit(struct store_txn *, uint64_t unit_id,
	    Deskd__Person ***out, size_t *n);
int	 person_list(struct store_txn *, uint64_t after_id, size_t limit,
	    Deskd__Person ***out, size_t *n, bool *more);
void	 reveal_put(struct store_txn *, const Deskd__Reveal *);
Deskd__Reveal	*reveal_get(struct store_txn *, uint64_t id);
int	 reveal_list(struct store_txn *, uint64_t after_id, size_t limit,
	    Deskd__Reveal ***out, size_t *n, bool *more);
/* The sealed key check in meta (vault.h): STORE_NOTFOUND when the store
 * has none.  *out valid until the transaction ends. */
int	 archive_keycheck_get(struct store_txn *, const uint8_t **out,
	    size_t *len);
void	 archive_keycheck_put(struct store_txn *, const uint8_t *, size_t);

/* the front-desk registers (registers.c, E1-E5, E7): every register's
 * entries in one database keyed by kind (1 byte) + id (u64 BE), the entry
 * packed as its register's message; `open` entries also in the open index */
void	*register_get(struct store_txn *, enum record_kind, uint64_t id,
	    const ProtobufCMessageDescriptor *);
void	 register_put(struct store_txn *, enum record_kind, uint64_t id,
	    const ProtobufCMessage *, bool open);
/* A page of one kind's entries with id > after_id, ascending, that keep()
 * accepts (NULL: all); caller frees each and the array. */
int	 register_page(struct store_txn *, enum record_kind, bool open_only,
	    uint64_t after_id, size_t limit, const ProtobufCMessageDescriptor *,
	    bool (*keep)(const ProtobufCMessage *, const void *),
	    const void *arg, void ***out, size_t *n, bool *more);

/* clocks and alerts (clocks.c) */
Deskd__Clock *clock_get(struct store_txn *, enum record_kind, uint64_t id,
	    const char *name);
/* Write a clock and its due-index entry (none when next_ms is 0); `old` is
 * the stored version it replaces, or NULL. */
void	 clock_put(struct store_txn *, const Deskd__Clock *old,
	    const Deskd__Clock *);
void	 clock_del(struct store_txn *, const Deskd__Clock *);
/* Every clock running on one record; caller frees each and the array. */
int	 clock_list_record(struct store_txn *, enum record_kind, uint64_t id,
	    Deskd__Clock ***out, size_t *n);
/* The clock due first: STORE_NOTFOUND when none is pending. */
int	 clock_first_due(struct store_txn *, int64_t *next_ms);
/* The first clock due at or before now, or NULL. */
Deskd__Clock *clock_due(struct store_txn *, int64_t now_ms);
Deskd__Alert *alert_get(struct store_txn *, uint64_t id);
void	 alert_put(struct store_txn *, const Deskd__Alert *);
int	 alert_list(struct store_txn *, bool open_only, uint64_t after_id,
	    size_t limit, Deskd__Alert ***out, size_t *n, bool *more);

/* Helpers shared by the record modules (store.c). */
void	 store_put_msg(struct store_txn *, MDB_dbi, const void *key,
	    size_t keylen, const ProtobufCMessage *);
/* The same for a key past every stored one (a new id): no search down the
 * tree for it, which a bulk import does a million times. */
void	 store_append_msg(struct store_txn *, MDB_dbi, const void *key,
	    size_t keylen, const ProtobufCMessage *);
/* A record's put (append: as store_append_msg), its bytes kept until the
 * next record's put or event, for the event that carries it
 * (store_record_packed). */
void	 store_put_record_msg(struct store_txn *, MDB_dbi, const void *key,
	    size_t keylen, const ProtobufCMessage *, bool append);
void	*store_get_msg(struct store_txn *, MDB_dbi, const void *key,
	    size_t keylen, const ProtobufCMessageDescriptor *);
void	 store_put(struct store_txn *, MDB_dbi, const void *key, size_t keylen,
	    const void *val, size_t vallen);
void	 store_append(struct store_txn *, MDB_dbi, const void *key,
	    size_t keylen, const void *val, size_t vallen);
/* A count (its value a u64, big-endian) moved by delta: summed in the
 * transaction, written at commit or store_counts_flush (before reading
 * the database).  Never below 0; a count of 0 is deleted. */
#define STORE_COUNT_KEY_MAX	160
void	 store_count_add(struct store_txn *, MDB_dbi, const void *key,
	    size_t keylen, int64_t delta);
void	 store_counts_flush(struct store_txn *);
int	 store_get(struct store_txn *, MDB_dbi, const void *key, size_t keylen,
	    MDB_val *val);
void	 store_del(struct store_txn *, MDB_dbi, const void *key, size_t keylen);
void	 store_fail(struct store_txn *, int mdb_rc);
/* A record at key in dbi that does not decode (t->unreadable). */
void	 store_unreadable(struct store_txn *, MDB_dbi, const void *key,
	    size_t keylen);
void	 store_key_u64(uint8_t out[8], uint64_t);
uint64_t store_u64_key(const void *);

enum store_db {
	DB_META, DB_EVENTS, DB_HISTORY, DB_COMPLAINTS, DB_COMPLAINTS_OPEN,
	DB_USERS, DB_SESSIONS,
	DB_CLOCKS,		/* due index: next_ms + clock key -> "" */
	DB_CLOCK_STATE,		/* clock key (kind, id, name) -> Clock */
	DB_ALERTS, DB_ALERTS_OPEN,
	DB_REPAIRS, DB_REPAIRS_OPEN,	/* work orders (D1-D5), like complaints */
	DB_FEES,		/* fee item -> Fee (D2) */
	DB_SCHEDULES,		/* month + version (u32 BE each) -> Schedule (A2) */
	DB_DUTY, DB_DUTY_OPEN,	/* duty requests (A3): id -> DutyRequest; pending */
	DB_HANDOVERS, DB_HANDOVERS_OPEN,	/* id -> Handover; unsigned */
	DB_DUTY_LOG,		/* day (u32 BE) + id (u64 BE) -> DutyLogEntry */
	DB_DUTY_SEALS,		/* "day:D", "month:M", "spot:M" -> DutySeal,
				 * SpotCheck (B7-B9) */
	DB_ATTENDANCE,		/* day<<8|shift (u64 BE) + user -> Attendance;
				 * 0xff + month (u32 BE) -> submitted (A1) */
	DB_UNITS,		/* owner archive (E6): id -> Unit */
	DB_UNIT_CODES,		/* unit code -> id (u64 BE), unique */
	DB_PERSONS,		/* id -> Person (sealed numbers, masks) */
	DB_UNIT_PEOPLE,		/* unit id + person id (u64 BE each) -> "" */
	DB_REVEALS,		/* id -> Reveal (no value) */
	DB_REGISTERS,		/* kind (1) + id (u64 BE) -> the register's
				 * message (E1-E5, E7) */
	DB_REGISTERS_OPEN,	/* the same key -> "": entries still open */
	DB_REFS,		/* kind (1) + ref -> id (u64 BE): imports (H3) */
	DB_REF_OF,		/* kind (1) + id (u64 BE) -> ref */
	DB_TALLIES,		/* kind (1) + day (u32 BE) + dim NUL value ->
				 * count (u64 BE): tallies.c */
	DB__COUNT
};
/*
 * What verify needs to know of one kind of numbered record, from the kind
 * that keeps it: where it lives, its open index and what makes a record
 * open (DB__COUNT, NULL: none), and whether it has one history entry per
 * revision (complaints and orders; others also gather events about them,
 * such as a person's reveals).  Its id and revision are the fields so
 * named.
 */
struct store_record_spec {
	const char			*name;
	enum record_kind		 kind;
	enum store_db			 all, open;
	const ProtobufCMessageDescriptor *d;
	bool	(*is_open)(const ProtobufCMessage *);
	bool				 counts_revisions;
};
/*
 * What verify needs of the server's rules (storage knows no area):
 * event_form packs a stored record as an event shows it (E6: numbers
 * masked, what is stored only left out), like store_packed (NULL: as
 * stored); register_d is the message of a register kind's entries (NULL:
 * registers are not checked).
 */
struct store_verify_rules {
	uint8_t	*(*event_form)(ProtobufCMessage *, size_t *len);
	const ProtobufCMessageDescriptor *(*register_d)(enum record_kind);
	/* The numbered kinds proven record by record against their history
	 * (NULL: none), *n of them. */
	const struct store_record_spec *(*records)(size_t *n);
};

MDB_dbi	 store_dbi(struct store_txn *, enum store_db);
/* The records of `db` keyed by [prefix byte] + u64 BE id (prefix -1:
 * none) with from_id <= id < to_id (0: no end), in order, each given raw
 * to `each` until it returns false. */
int	 store_scan_ids(struct store_txn *, enum store_db, int prefix,
	    uint64_t from_id, uint64_t to_id,
	    bool (*each)(uint64_t id, const MDB_val *, void *), void *arg);
/*
 * The same for a database not keyed by id (the duty log, attendance): its
 * records are the keys before `end` (NULL: every key), numbered 1, 2, ...
 * in key order; those with from <= n < to (to 0: no end) are given, with
 * their number for an id, to `each` until it returns false.  *count: how
 * many records there are.  O(from) a call: there is no index of positions.
 */
int	 store_scan_nth(struct store_txn *, enum store_db, const void *end,
	    size_t endlen, uint64_t from, uint64_t to,
	    bool (*each)(uint64_t n, const MDB_val *, void *), void *arg,
	    uint64_t *count);
/*
 * A page of records with id > after_id, ascending, from `all` (u64 id ->
 * message) or, with open_only, through the `open` index (u64 id -> "").
 * The caller frees each message and the array; an empty page is NULL
 * (loops that stop at n == 0 leak nothing).
 */
int	 store_page(struct store_txn *, enum store_db all, enum store_db open,
	    bool open_only, uint64_t after_id, size_t limit,
	    const ProtobufCMessageDescriptor *, void ***out, size_t *n,
	    bool *more);
/* A record keyed by u64 id in `all`, and its entry in the `open` index
 * (DB__COUNT: none). */
void	*store_get_record(struct store_txn *, enum store_db all, uint64_t id,
	    const ProtobufCMessageDescriptor *);
void	 store_put_record(struct store_txn *, enum store_db all,
	    enum store_db open, uint64_t id, const ProtobufCMessage *,
	    bool is_open);
/* A record just numbered by store_next_id: appended, in no index yet. */
void	 store_add_record(struct store_txn *, enum store_db all,
	    enum store_db open, uint64_t id, const ProtobufCMessage *,
	    bool is_open);
/* Every message of a name-keyed database, in key order (users, fees);
 * caller frees each and the array. */
int	 store_all(struct store_txn *, enum store_db,
	    const ProtobufCMessageDescriptor *, void ***out, size_t *n);
/* The same from the first key >= from while keep(key, arg) holds. */
int	 store_range(struct store_txn *, enum store_db, const void *from,
	    size_t fromlen, bool (*keep)(const MDB_val *, const void *),
	    const void *arg, const ProtobufCMessageDescriptor *, void ***out,
	    size_t *n);

#endif
