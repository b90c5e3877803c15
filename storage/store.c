/*
 * store.c - the LMDB environment, transactions with a sticky error field,
 * map growth, the meta database and the helpers the record modules share.
 */
#include <sys/stat.h>
#include <sys/statvfs.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdatomic.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "refusal.h"
#include "store.h"

/*
 * Counts summed in the write transaction (store_count_add).  Issue 17: a
 * create's tallies were a third of its apply, a get and a put each.  They
 * are summed here by key and written at commit, in key order (the write
 * cursor then finds the next key on its page).  One table a store: LMDB
 * has one write transaction at a time.
 */
#define COUNTS_MAX	512
#define COUNT_SLOTS	1024	/* a power of 2, twice the above */

struct count_delta {
	MDB_dbi		dbi;
	size_t		len;
	int64_t		delta;
	uint8_t		key[STORE_COUNT_KEY_MAX];
};

struct store_counts {
	uint16_t		slot[COUNT_SLOTS];	/* 0 free, else index + 1 */
	struct count_delta	d[COUNTS_MAX];
};

struct store {
	MDB_env		*env;
	MDB_dbi		 dbi[DB__COUNT];
	size_t		 map_size;
	char		*dir;
	atomic_int	 long_readers;
	atomic_bool	 long_read_yield;
	struct store_counts counts;	/* the write transaction's */
	/* The bytes of the record the write transaction put last
	 * (store_record_packed): LMDB has one write transaction at a time,
	 * so one buffer serves. */
	uint8_t		*packed;
	size_t		 packed_cap;
};

static const char *const db_names[DB__COUNT] = {
	[DB_META] = "meta",
	[DB_EVENTS] = "events",
	[DB_HISTORY] = "history",
	[DB_COMPLAINTS] = "complaints",
	[DB_COMPLAINTS_OPEN] = "complaints_open",
	[DB_USERS] = "users",
	[DB_SESSIONS] = "sessions",
	[DB_CLOCKS] = "clocks",
	[DB_CLOCK_STATE] = "clock_state",
	[DB_ALERTS] = "alerts",
	[DB_ALERTS_OPEN] = "alerts_open",
	[DB_REPAIRS] = "repairs",
	[DB_REPAIRS_OPEN] = "repairs_open",
	[DB_FEES] = "fees",
	[DB_SCHEDULES] = "schedules",
	[DB_HANDOVERS] = "handovers",
	[DB_HANDOVERS_OPEN] = "handovers_open",
	[DB_DUTY_LOG] = "duty_log",
	[DB_DUTY_SEALS] = "duty_seals",
	[DB_ATTENDANCE] = "attendance",
	[DB_DUTY] = "duty",
	[DB_DUTY_OPEN] = "duty_open",
	[DB_UNITS] = "units",
	[DB_UNIT_CODES] = "unit_codes",
	[DB_PERSONS] = "persons",
	[DB_UNIT_PEOPLE] = "unit_people",
	[DB_REVEALS] = "reveals",
	[DB_REGISTERS] = "registers",
	[DB_REGISTERS_OPEN] = "registers_open",
	[DB_REFS] = "refs",
	[DB_REF_OF] = "ref_of",
	[DB_TALLIES] = "tallies",
};

static int
map_rc(int rc)
{
	switch (rc) {
	case MDB_SUCCESS:	return STORE_OK;
	case MDB_NOTFOUND:	return STORE_NOTFOUND;
	case MDB_KEYEXIST:	return STORE_EXISTS;
	case MDB_MAP_FULL:
		return STORE_MAP_FULL;
	case MDB_CORRUPTED:
	case MDB_PAGE_NOTFOUND:
	case MDB_INVALID:
	case MDB_VERSION_MISMATCH:
		return STORE_CORRUPT;
	case ENOSPC:
	case EDQUOT:
		return STORE_NOSPACE;
	default:		return STORE_IO;
	}
}

/* Kinds numbered by the areas that keep them, not in the enum.  A kind's
 * name is a word of the desk's catalog too (RC_): refusals name it. */
static const char *kind_names[256];

const char *
record_kind_name(enum record_kind k)
{
	switch (k) {
	case RECORD_COMPLAINT:	return RC_("record", "complaint");
	case RECORD_USER:	return RC_("record", "user");
	case RECORD_REPAIR:	return RC_("record", "repair");
	case RECORD_ALERT:	return RC_("record", "alert");
	case RECORD_HANDOVER:	return RC_("record", "handover");
	case RECORD_DUTY:	return RC_("record", "duty");
	case RECORD_DUTY_LOG:	return RC_("record", "dutylog");
	case RECORD_ATTENDANCE:	return RC_("record", "attendance");
	case RECORD_SCHEDULE:	return RC_("record", "schedule");
	case RECORD_UNIT:	return RC_("record", "unit");
	case RECORD_PERSON:	return RC_("record", "person");
	case RECORD_REVEAL:	return RC_("record", "reveal");
	case RECORD_VISITOR:	return RC_("record", "visitor");
	case RECORD_VISITOR_PERMIT: return RC_("record", "visitor-permit");
	case RECORD_PASS:	return RC_("record", "pass");
	case RECORD_KEY:	return RC_("record", "key");
	case RECORD_KEY_COUNT:	return RC_("record", "key-count");
	case RECORD_PARKING:	return RC_("record", "parking");
	case RECORD_WORKER:	return RC_("record", "worker");
	case RECORD_RENOVATION:	return RC_("record", "renovation");
	case RECORD_HOTWORK:	return RC_("record", "hotwork");
	case RECORD_CONSTRUCTION: return RC_("record", "construction");
	case RECORD_CLEANING:	return RC_("record", "cleaning");
	case RECORD_NOTE:	return RC_("record", "note");
	case RECORD_SPECIAL:	return RC_("record", "special");
	}
	return (unsigned)k < 256 && kind_names[k] != NULL ? kind_names[k] :
	    "record";
}

void
store_name_kind(enum record_kind k, const char *name)
{
	if ((unsigned)k < 256)
		kind_names[k] = name;
}

const char *
store_rc_str(int rc)
{
	switch (rc) {
	case STORE_OK:		return "ok";
	case STORE_NOTFOUND:	return "not found";
	case STORE_EXISTS:	return "already exists";
	case STORE_MAP_FULL:	return "map full";
	case STORE_CORRUPT:	return "store corrupt";
	case STORE_IO:		return "storage i/o error";
	case STORE_NOSPACE:
		return "disk full (ENOSPC): no space left on the disk of the "
		    "data directory";
	case STORE_YIELDED:	return "interrupted to grow the map";
	case STORE_NOMEM:	return "out of memory";
	}
	return "unknown storage error";
}

/* ---------- the file's own header ---------- */

/*
 * LMDB's meta pages (pages 0 and 1 of data.mdb: MDB_page and MDB_meta in
 * LMDB's mdb.c), read before mdb_env_open.  LMDB maps the file and trusts
 * them: a file cut short faults (SIGBUS) inside it instead of failing, and
 * a damaged meta page only says "not an LMDB file" or "Invalid argument".
 */
#define LMDB_MAGIC		0xBEEFC0DEu
#define LMDB_DATA_VERSION	1
#define LMDB_P_META		0x08
#define LMDB_WORD		sizeof(size_t)	/* pgno_t, txnid_t, pointer */
#define LMDB_PAGE_HDR		(LMDB_WORD + 8)	/* pgno, pad, flags, bounds */
#define LMDB_DB_SIZE		(8 + 5 * LMDB_WORD)	/* MDB_db */
/* In MDB_meta: magic, version, address, mapsize, dbs[2], last_pg, txnid;
 * the page size is dbs[0].md_pad. */
#define META_PSIZE		(8 + 2 * LMDB_WORD)
#define META_ROOT(db)		(META_PSIZE + (db) * LMDB_DB_SIZE + 8 + \
				    4 * LMDB_WORD)	/* md_root */
#define META_LAST_PG		(META_PSIZE + 2 * LMDB_DB_SIZE)
#define META_TXNID		(META_LAST_PG + LMDB_WORD)
#define RESTORE_ADVICE		"; restore data.mdb from a backup (deskd " \
	"restore, README \"Backups\"); deskd verify checks a copy"

struct lmdb_meta {
	const char	*bad;		/* why it is not a meta page, or NULL */
	uint32_t	 psize;
	uint64_t	 last_pg, txnid;
	uint64_t	 top_root;	/* the higher of the two trees' roots */
};

static uint64_t
word_at(const uint8_t *p)
{
	size_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static void
meta_read(int fd, off_t at, struct lmdb_meta *m)
{
	uint8_t pg[LMDB_PAGE_HDR + META_TXNID + LMDB_WORD];
	const uint8_t *meta = pg + LMDB_PAGE_HDR;
	uint32_t magic, version;
	uint16_t flags;

	memset(m, 0, sizeof(*m));
	if (pread(fd, pg, sizeof(pg), at) != (ssize_t)sizeof(pg)) {
		m->bad = "missing (the file ends before it)";
		return;
	}
	memcpy(&flags, pg + LMDB_WORD + 2, sizeof(flags));
	memcpy(&magic, meta, sizeof(magic));
	memcpy(&version, meta + 4, sizeof(version));
	memcpy(&m->psize, meta + META_PSIZE, sizeof(m->psize));
	m->last_pg = word_at(meta + META_LAST_PG);
	m->txnid = word_at(meta + META_TXNID);
	for (int db = 0; db < 2; db++) {
		uint64_t root = word_at(meta + META_ROOT(db));

		/* An empty tree's root is P_INVALID, all ones. */
		if (root != (size_t)-1 && root > m->top_root)
			m->top_root = root;
	}
	if (!(flags & LMDB_P_META))
		m->bad = "not marked as a meta page";
	else if (magic != LMDB_MAGIC)
		m->bad = "its magic number is wrong";
	else if (version != LMDB_DATA_VERSION)
		m->bad = "an LMDB format version this deskd does not read";
	else if (m->psize < 512 || m->psize > 65536 ||
	    (m->psize & (m->psize - 1)) != 0)
		m->bad = "its page size is impossible";
	else if (m->last_pg >= UINT64_MAX / m->psize)
		m->bad = "its last page number is impossible";
	else if (m->top_root > m->last_pg)
		m->bad = "a root page lies past its last page";
}

/*
 * Refuses a data.mdb whose meta pages are damaged or that is shorter than
 * the newer meta page says (both would crash or confuse LMDB).
 */
static int
check_file(const char *path, char *err, size_t errlen)
{
	struct lmdb_meta m[2];
	struct stat sb;
	uint64_t need;
	long pagesize;
	int fd, i;

	if ((fd = open(path, O_RDONLY)) == -1 || fstat(fd, &sb) == -1) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		if (fd != -1)
			close(fd);
		return STORE_IO;
	}
	if (sb.st_size == 0) {		/* LMDB sets up an empty file */
		close(fd);
		return STORE_OK;
	}
	meta_read(fd, 0, &m[0]);
	/* Meta page 1 is one page in; without page 0 LMDB's default. */
	pagesize = sysconf(_SC_PAGESIZE);
	meta_read(fd, m[0].bad ? pagesize : (off_t)m[0].psize, &m[1]);
	close(fd);
	if (m[0].bad && m[1].bad) {
		snprintf(err, errlen, "%s: not an LMDB file, or both its meta "
		    "pages (pages 0 and 1, which say where the data is) are "
		    "damaged: page 0 %s, page 1 %s" RESTORE_ADVICE, path,
		    m[0].bad, m[1].bad);
		return STORE_CORRUPT;
	}
	for (i = 0; i < 2; i++)
		if (m[i].bad) {
			snprintf(err, errlen, "%s: LMDB's meta page %d (one of "
			    "the two copies of the header that says where the "
			    "data is) is damaged: %s; LMDB will not open the "
			    "file" RESTORE_ADVICE, path, i, m[i].bad);
			return STORE_CORRUPT;
		}
	/* LMDB writes meta page txnid & 1 (mdb_env_write_meta), so once
	 * both are written they are one transaction apart; a damaged id
	 * would make LMDB read an old or made-up tree. */
	for (i = 0; i < 2; i++)
		if (m[i].txnid % 2 != (uint64_t)i && m[i].txnid != 0) {
			snprintf(err, errlen, "%s: LMDB's meta page %d is "
			    "damaged: its transaction id %" PRIu64 " cannot be "
			    "on that page; LMDB would read the wrong data"
			    RESTORE_ADVICE, path, i, m[i].txnid);
			return STORE_CORRUPT;
		}
	if (m[0].txnid != 0 && m[1].txnid != 0 && (m[0].txnid > m[1].txnid ?
	    m[0].txnid - m[1].txnid : m[1].txnid - m[0].txnid) != 1) {
		snprintf(err, errlen, "%s: LMDB's two meta pages disagree "
		    "(transactions %" PRIu64 " and %" PRIu64 ", which should be "
		    "one apart): one of them is damaged" RESTORE_ADVICE, path,
		    m[0].txnid, m[1].txnid);
		return STORE_CORRUPT;
	}
	/*
	 * LMDB goes by the newer one (the higher transaction id).  The file
	 * may end before its last page (pages freed in the transaction that
	 * took them are never written: mdb_env_copyfd0 stops at the end of
	 * the file too), but never before a root, the first pages it reads.
	 */
	i = m[1].txnid > m[0].txnid;
	need = (m[i].top_root + 1) * m[i].psize;
	if ((uint64_t)sb.st_size < need) {
		snprintf(err, errlen, "%s: the file is %lld bytes, but its "
		    "LMDB header (meta page %d) has a root at page %" PRIu64
		    " of %u bytes (%" PRIu64 " bytes at least): the file was "
		    "cut short (a copy that did not finish, a full disk?)"
		    RESTORE_ADVICE, path, (long long)sb.st_size, i,
		    m[i].top_root, m[i].psize, need);
		return STORE_CORRUPT;
	}
	return STORE_OK;
}

/* An error of mdb_env_open, said so that an operator knows what it means. */
static void
open_error(char *err, size_t errlen, const char *dir, int rc)
{
	const char *why = "";

	if (rc == EINVAL)
		why = " (LMDB refused data.mdb's header: its page size, map "
		    "size and last page do not fit together, so the file is "
		    "damaged" RESTORE_ADVICE ")";
	else if (rc == ENOSPC || rc == EDQUOT)
		why = " (ENOSPC: the disk is full; free space there)";
	snprintf(err, errlen, "%s: %s%s", dir, mdb_strerror(rc), why);
}

static int
env_open(struct store *st, const char *dir, const struct store_options *o,
    unsigned int flags)
{
	int rc;

	if ((rc = mdb_env_create(&st->env)) != 0)
		return rc;
	if ((rc = mdb_env_set_maxdbs(st->env, DB__COUNT + 4)) != 0 ||
	    (rc = mdb_env_set_maxreaders(st->env, 126)) != 0 ||
	    (rc = mdb_env_set_mapsize(st->env, o->map_size)) != 0 ||
	    (rc = mdb_env_open(st->env, dir, flags, 0600)) != 0) {
		mdb_env_close(st->env);
		st->env = NULL;
	}
	return rc;
}

int
store_open(struct store **out, const char *dir, const struct store_options *o,
    char *err, size_t errlen)
{
	struct store *st;
	MDB_txn *txn;
	MDB_envinfo info;
	char path[4096];
	struct stat sb;
	int rc, dead;
	unsigned int flags = MDB_NOTLS;

	snprintf(path, sizeof(path), "%s/data.mdb", dir);
	if (o->create) {
		if (mkdir(dir, 0700) == -1 && errno != EEXIST) {
			snprintf(err, errlen, "%s: %s", dir, strerror(errno));
			return STORE_IO;
		}
	} else if (stat(path, &sb) == -1) {
		/* Never create a store by accident (a typo in --data). */
		snprintf(err, errlen, "%s: no deskd store here (run "
		    "deskd init --data %s)", dir, dir);
		return STORE_NOTFOUND;
	}
	if (stat(path, &sb) == 0 &&
	    (rc = check_file(path, err, errlen)) != STORE_OK)
		return rc;
	if ((st = calloc(1, sizeof(*st))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return STORE_IO;
	}
	if (o->no_sync)
		flags |= MDB_NOSYNC;
	if (o->read_only)
		flags |= MDB_RDONLY;
	rc = env_open(st, dir, o, flags);
	if (o->read_only && (rc == EACCES || rc == EROFS)) {
		/* A copy we may not write (read-only media, another owner's
		 * files): nobody writes it, so no lock file is needed. */
		rc = env_open(st, dir, o, flags | MDB_NOLOCK);
	}
	if (rc != 0) {
		open_error(err, errlen, dir, rc);
		goto fail;
	}
	if ((st->dir = strdup(dir)) == NULL) {
		rc = ENOMEM;
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	/* A map that grew in an earlier run is larger than what we asked for. */
	mdb_env_info(st->env, &info);
	st->map_size = info.me_mapsize;
	/* Readers left by a process killed with -9 would pin old pages. */
	mdb_reader_check(st->env, &dead);

	if ((rc = mdb_txn_begin(st->env, NULL, o->read_only ? MDB_RDONLY : 0,
	    &txn)) != 0) {
		snprintf(err, errlen, "%s: %s", dir, mdb_strerror(rc));
		goto fail;
	}
	for (int i = 0; i < DB__COUNT; i++) {
		unsigned int dflags = o->read_only ? 0 : MDB_CREATE;

		if ((rc = mdb_dbi_open(txn, db_names[i], dflags,
		    &st->dbi[i])) != 0) {
			mdb_txn_abort(txn);
			snprintf(err, errlen, "%s: open %s: %s%s", dir,
			    db_names[i], mdb_strerror(rc), rc == MDB_NOTFOUND ?
			    " (a store an older deskd wrote: let deskd open "
			    "it once to add it)" : "");
			goto fail;
		}
	}
	if ((rc = mdb_txn_commit(txn)) != 0) {
		open_error(err, errlen, dir, rc);
		goto fail;
	}
	*out = st;
	return STORE_OK;
fail:
	if (st->env)
		mdb_env_close(st->env);
	free(st->dir);
	free(st);
	return map_rc(rc) == STORE_OK ? STORE_IO : map_rc(rc);
}

void
store_close(struct store *st)
{
	if (st == NULL)
		return;
	mdb_env_close(st->env);
	free(st->packed);
	free(st->dir);
	free(st);
}

const char *
store_dir(struct store *st)
{
	return st->dir;
}

/*
 * LMDB says EIO for a write cut short, which is what a full disk does
 * to it (mdb_page_flush): a failed write where the disk has less than
 * a MiB left is said as ENOSPC.
 */
static int
write_rc(struct store *st, int rc)
{
	struct statvfs vfs;

	if (map_rc(rc) == STORE_IO && statvfs(st->dir, &vfs) == 0 &&
	    (uint64_t)vfs.f_bavail * vfs.f_frsize < (1u << 20))
		return STORE_NOSPACE;
	return map_rc(rc);
}

int
store_copy(struct store *st, const char *dir, bool compact, char *err,
    size_t errlen)
{
	unsigned int flags = compact ? MDB_CP_COMPACT : 0;
	char path[4096];
	int rc;

	rc = mdb_env_copy2(st->env, dir, flags);
	if (rc == MDB_MAP_RESIZED) {
		/* The serving deskd grew the map since we opened it. */
		mdb_env_set_mapsize(st->env, 0);
		snprintf(path, sizeof(path), "%s/data.mdb", dir);
		unlink(path);
		rc = mdb_env_copy2(st->env, dir, flags);
	}
	snprintf(path, sizeof(path), "%s/data.mdb", dir);
	/* LMDB makes it 0666 less the umask: it is every record. */
	if (rc == 0 && chmod(path, 0600) == 0)
		return STORE_OK;
	if (rc == 0)
		rc = errno;
	open_error(err, errlen, dir, rc);
	/* No half copy left to be taken for a backup. */
	if (rc != EEXIST)
		unlink(path);
	return map_rc(rc) == STORE_OK ? STORE_IO : map_rc(rc);
}

int
store_grow(struct store *st)
{
	struct timespec ms = { 0, 1000000 };
	size_t next = st->map_size * 2;
	int rc;

	atomic_store(&st->long_read_yield, true);
	while (atomic_load(&st->long_readers) > 0)
		nanosleep(&ms, NULL);
	rc = mdb_env_set_mapsize(st->env, next);
	atomic_store(&st->long_read_yield, false);
	if (rc != 0)
		return map_rc(rc);
	st->map_size = next;
	return STORE_OK;
}

void
store_long_read_enter(struct store *st)
{
	atomic_fetch_add(&st->long_readers, 1);
}

void
store_long_read_leave(struct store *st)
{
	atomic_fetch_sub(&st->long_readers, 1);
}

void
store_long_read_interrupt(struct store *st)
{
	atomic_store(&st->long_read_yield, true);
}

bool
store_long_read_yield(struct store *st)
{
	return atomic_load(&st->long_read_yield);
}

size_t
store_map_size(struct store *st)
{
	return st->map_size;
}

int
store_txn_begin(struct store *st, struct store_txn *parent, bool write,
    struct store_txn *t)
{
	int rc;

	t->st = st;
	t->err = STORE_OK;
	t->write = write;
	t->txn = NULL;
	t->tail_known = t->tail_dirty = false;
	memset(t->ids, 0, sizeof(t->ids));
	t->ncursors = 0;
	t->counts = NULL;
	t->ncounts = 0;
	t->packed_of = NULL;
	t->writes = 0;
	t->unreadable = 0;
	t->unreadable_what[0] = '\0';
	rc = mdb_txn_begin(st->env, parent ? parent->txn : NULL,
	    write ? 0 : MDB_RDONLY, &t->txn);
	if (rc == MDB_MAP_RESIZED) {
		/* Another process grew the map (mdb_copy, deskd verify). */
		mdb_env_set_mapsize(st->env, 0);
		rc = mdb_txn_begin(st->env, parent ? parent->txn : NULL,
		    write ? 0 : MDB_RDONLY, &t->txn);
	}
	if (rc == MDB_READERS_FULL) {
		int dead;

		mdb_reader_check(st->env, &dead);
		rc = mdb_txn_begin(st->env, parent ? parent->txn : NULL,
		    write ? 0 : MDB_RDONLY, &t->txn);
	}
	t->err = map_rc(rc);
	return t->err;
}

#define META_LAST_SEQ	"last_seq"
static void meta_set_u64(struct store_txn *, const char *, uint64_t);
static void ids_flush(struct store_txn *, size_t);

/* The write's cursor on dbi, opened at its first use; NULL: use none. */
static MDB_cursor *
txn_cursor(struct store_txn *t, MDB_dbi dbi)
{
	const size_t max = sizeof(t->cursors) / sizeof(t->cursors[0]);
	MDB_cursor *c;

	if (!t->write)
		return NULL;
	for (size_t i = 0; i < t->ncursors; i++)
		if (t->cursors[i].dbi == dbi)
			return t->cursors[i].cursor;
	if (t->ncursors == max || mdb_cursor_open(t->txn, dbi, &c) != 0)
		return NULL;
	t->cursors[t->ncursors].dbi = dbi;
	t->cursors[t->ncursors++].cursor = c;
	return c;
}

static void
txn_cursors_close(struct store_txn *t)
{
	while (t->ncursors > 0)
		mdb_cursor_close(t->cursors[--t->ncursors].cursor);
}

int
store_txn_commit(struct store_txn *t)
{
	int rc;

	if (t->txn == NULL) {
		store_txn_abort(t);	/* drops what it kept */
		return t->err ? t->err : STORE_IO;
	}
	store_counts_flush(t);
	if (t->tail_dirty)
		meta_set_u64(t, META_LAST_SEQ, t->last_seq);
	for (size_t i = 0; i < sizeof(t->ids) / sizeof(t->ids[0]); i++)
		ids_flush(t, i);
	txn_cursors_close(t);
	if (t->err != STORE_OK) {
		mdb_txn_abort(t->txn);
		t->txn = NULL;
		return t->err;
	}
	rc = mdb_txn_commit(t->txn);
	t->txn = NULL;
	t->err = write_rc(t->st, rc);
	return t->err;
}

void
store_txn_abort(struct store_txn *t)
{
	t->counts = NULL;
	t->ncounts = 0;
	if (t->txn != NULL) {
		txn_cursors_close(t);
		mdb_txn_abort(t->txn);
	}
	t->txn = NULL;
}

MDB_dbi
store_dbi(struct store_txn *t, enum store_db db)
{
	return t->st->dbi[db];
}

void
store_fail(struct store_txn *t, int mdb_rc)
{
	if (t->err == STORE_OK)
		t->err = map_rc(mdb_rc);
}

void
store_key_u64(uint8_t out[8], uint64_t v)
{
	/* Big-endian so that LMDB's byte order is numeric order. */
	for (int i = 7; i >= 0; i--) {
		out[i] = v & 0xff;
		v >>= 8;
	}
}

uint64_t
store_u64_key(const void *p)
{
	const uint8_t *b = p;
	uint64_t v = 0;

	for (int i = 0; i < 8; i++)
		v = v << 8 | b[i];
	return v;
}

static int
lmdb_put(struct store_txn *t, MDB_dbi dbi, MDB_val *k, MDB_val *v,
    unsigned int flags)
{
	MDB_cursor *c = txn_cursor(t, dbi);

	return c != NULL ? mdb_cursor_put(c, k, v, flags) :
	    mdb_put(t->txn, dbi, k, v, flags);
}

static void
put(struct store_txn *t, MDB_dbi dbi, const void *key, size_t keylen,
    const void *val, size_t vallen, unsigned int flags)
{
	MDB_val k = { keylen, (void *)key }, v = { vallen, (void *)val };
	int rc;

	if (t->err != STORE_OK)
		return;
	t->writes++;
	if ((rc = lmdb_put(t, dbi, &k, &v, flags)) != 0)
		store_fail(t, rc);
}

void
store_put(struct store_txn *t, MDB_dbi dbi, const void *key, size_t keylen,
    const void *val, size_t vallen)
{
	put(t, dbi, key, keylen, val, vallen, 0);
}

void
store_append(struct store_txn *t, MDB_dbi dbi, const void *key,
    size_t keylen, const void *val, size_t vallen)
{
	put(t, dbi, key, keylen, val, vallen, MDB_APPEND);
}

int
store_get(struct store_txn *t, MDB_dbi dbi, const void *key, size_t keylen,
    MDB_val *val)
{
	MDB_val k = { keylen, (void *)key };
	MDB_cursor *c;
	int rc;

	if (t->err != STORE_OK)
		return t->err;
	if ((c = txn_cursor(t, dbi)) != NULL)
		rc = mdb_cursor_get(c, &k, val, MDB_SET);
	else
		rc = mdb_get(t->txn, dbi, &k, val);
	if (rc == MDB_NOTFOUND)
		return STORE_NOTFOUND;
	if (rc != 0) {
		store_fail(t, rc);
		return t->err;
	}
	return STORE_OK;
}

void
store_del(struct store_txn *t, MDB_dbi dbi, const void *key, size_t keylen)
{
	MDB_val k = { keylen, (void *)key };
	int rc;

	if (t->err != STORE_OK)
		return;
	t->writes++;
	rc = mdb_del(t->txn, dbi, &k, NULL);
	if (rc != 0 && rc != MDB_NOTFOUND)
		store_fail(t, rc);
}

/* A copy of a record's bytes as put, for the event that carries it: the
 * page they were packed into may move with the next put.  Without room,
 * nothing is kept and the event packs the record itself. */
static void
keep_packed(struct store_txn *t, const ProtobufCMessage *m,
    const void *bytes, size_t len)
{
	struct store *st = t->st;
	uint8_t *grown;

	if (len > st->packed_cap) {
		if ((grown = realloc(st->packed, len)) == NULL)
			return;
		st->packed = grown;
		st->packed_cap = len;
	}
	memcpy(st->packed, bytes, len);
	t->packed_len = len;
	t->packed_of = m;
}

static void
put_msg(struct store_txn *t, MDB_dbi dbi, const void *key, size_t keylen,
    const ProtobufCMessage *m, unsigned int flags, bool keep)
{
	MDB_val k = { keylen, (void *)key }, v;
	int rc;

	/* Only another record's put ends what was kept: a clock or an
	 * index put between a record and its event leaves its bytes so. */
	if (keep)
		t->packed_of = NULL;
	if (t->err != STORE_OK)
		return;
	t->writes++;
	/* Reserve in place and pack straight into the page: no copy. */
	v.mv_size = protobuf_c_message_get_packed_size(m);
	if ((rc = lmdb_put(t, dbi, &k, &v, MDB_RESERVE | flags)) != 0) {
		store_fail(t, rc);
		return;
	}
	protobuf_c_message_pack(m, v.mv_data);
	if (keep)
		keep_packed(t, m, v.mv_data, v.mv_size);
}

void
store_put_msg(struct store_txn *t, MDB_dbi dbi, const void *key,
    size_t keylen, const ProtobufCMessage *m)
{
	put_msg(t, dbi, key, keylen, m, 0, false);
}

void
store_append_msg(struct store_txn *t, MDB_dbi dbi, const void *key,
    size_t keylen, const ProtobufCMessage *m)
{
	/* LMDB refuses (MDB_KEYEXIST) a key that is not past the last. */
	put_msg(t, dbi, key, keylen, m, MDB_APPEND, false);
}

void
store_put_record_msg(struct store_txn *t, MDB_dbi dbi, const void *key,
    size_t keylen, const ProtobufCMessage *m, bool append)
{
	put_msg(t, dbi, key, keylen, m, append ? MDB_APPEND : 0, true);
}

uint8_t *
store_record_packed(struct store_txn *t, const ProtobufCMessage *m,
    size_t *len)
{
	if (m == NULL || t->packed_of != m)
		return NULL;
	*len = t->packed_len;
	return t->st->packed;
}

void
store_record_packed_forget(struct store_txn *t)
{
	t->packed_of = NULL;
}

void *
store_get_msg(struct store_txn *t, MDB_dbi dbi, const void *key,
    size_t keylen, const ProtobufCMessageDescriptor *d)
{
	MDB_val v;
	void *m;

	if (store_get(t, dbi, key, keylen, &v) != STORE_OK)
		return NULL;
	if ((m = protobuf_c_message_unpack(d, NULL, v.mv_size,
	    v.mv_data)) == NULL)
		store_unreadable(t, dbi, key, keylen);
	return m;
}

/* A stored record that does not decode: named for the request that read
 * it ("complaints 5"); the transaction itself goes on. */
void
store_unreadable(struct store_txn *t, MDB_dbi dbi, const void *key,
    size_t keylen)
{
	const char *name = "?";

	for (int i = 0; i < DB__COUNT; i++)
		if (t->st->dbi[i] == dbi)
			name = db_names[i];
	const uint8_t *k = key;
	size_t at, i;
	bool text = keylen > 0;

	for (i = 0; i < keylen; i++)
		text = text && isprint(k[i]);
	t->unreadable++;
	if (keylen == 8 && !text) {
		snprintf(t->unreadable_what, sizeof(t->unreadable_what),
		    "%s %" PRIu64, name, store_u64_key(key));
		return;
	}
	at = (size_t)snprintf(t->unreadable_what, sizeof(t->unreadable_what),
	    "%s ", name);
	for (i = 0; i < keylen && at + 3 < sizeof(t->unreadable_what); i++)
		at += (size_t)snprintf(t->unreadable_what + at,
		    sizeof(t->unreadable_what) - at, text ? "%c" : "%02x", k[i]);
}

/* ---------- meta ---------- */

#define META_SCHEMA	"schema_version"

static uint64_t
meta_u64(struct store_txn *t, const char *name)
{
	MDB_val v;

	if (store_get(t, store_dbi(t, DB_META), name, strlen(name), &v) !=
	    STORE_OK || v.mv_size < 8)
		return 0;
	return store_u64_key(v.mv_data);
}

static void
meta_set_u64(struct store_txn *t, const char *name, uint64_t val)
{
	uint8_t b[8];

	store_key_u64(b, val);
	store_put(t, store_dbi(t, DB_META), name, strlen(name), b, 8);
}

int
store_init_schema(struct store_txn *t)
{
	meta_set_u64(t, META_SCHEMA, STORE_SCHEMA_VERSION);
	return t->err;
}

int
store_check_schema(struct store_txn *t, char *err, size_t errlen)
{
	uint64_t v = meta_u64(t, META_SCHEMA);

	if (v == 0) {
		snprintf(err, errlen, "not a deskd store (run deskd init)");
		return STORE_NOTFOUND;
	}
	if (v != STORE_SCHEMA_VERSION) {
		snprintf(err, errlen, "store schema %llu, this deskd reads %d",
		    (unsigned long long)v, STORE_SCHEMA_VERSION);
		return STORE_CORRUPT;
	}
	return STORE_OK;
}

static void
id_name(char name[32], int kind)
{
	snprintf(name, 32, "next_id:%d", kind);
}

/* A cached counter to meta, its slot freed. */
static void
ids_flush(struct store_txn *t, size_t i)
{
	char name[32];

	if (t->ids[i].kind == 0)
		return;
	id_name(name, t->ids[i].kind);
	meta_set_u64(t, name, t->ids[i].last);
	t->ids[i].kind = 0;
}

/*
 * Ids come from a counter per kind in meta, kept in the transaction once
 * read (an import takes one a row) and written back at commit, or when
 * its slot is wanted for another kind.
 */
uint64_t
store_next_id(struct store_txn *t, enum record_kind kind)
{
	size_t i, n = sizeof(t->ids) / sizeof(t->ids[0]);
	char name[32];

	for (i = 0; i < n; i++)
		if (t->ids[i].kind == (int)kind)
			return ++t->ids[i].last;
	for (i = 0; i < n && t->ids[i].kind != 0; i++)
		;
	if (i == n)
		ids_flush(t, i = 0);
	id_name(name, (int)kind);
	t->ids[i].kind = (int)kind;
	t->ids[i].last = meta_u64(t, name) + 1;
	return t->ids[i].last;
}

uint64_t
store_last_id(struct store_txn *t, enum record_kind kind)
{
	char name[32];

	for (size_t i = 0; i < sizeof(t->ids) / sizeof(t->ids[0]); i++)
		if (t->ids[i].kind == (int)kind)
			return t->ids[i].last;
	id_name(name, (int)kind);
	return meta_u64(t, name);
}

uint64_t
store_last_seq(struct store_txn *t)
{
	return t->tail_known ? t->last_seq : meta_u64(t, META_LAST_SEQ);
}

void
store_set_last_seq(struct store_txn *t, uint64_t seq)
{
	/* Written to meta once, at commit. */
	t->last_seq = seq;
	t->tail_known = t->tail_dirty = true;
}

static void
count_write(struct store_txn *t, const struct count_delta *d)
{
	uint8_t val[8];
	uint64_t n = 0;
	MDB_val v;

	if (d->delta == 0)
		return;
	if (store_get(t, d->dbi, d->key, d->len, &v) == STORE_OK &&
	    v.mv_size == 8)
		n = store_u64_key(v.mv_data);
	/* Never below zero: a count is rebuilt from the records, not trusted
	 * to have seen every write.  The floor applies to the sum of a
	 * transaction's moves, not to each: only a count already wrong
	 * (below what its records say) can tell the difference. */
	n = d->delta < 0 && (uint64_t)-d->delta > n ? 0 : n +
	    (uint64_t)d->delta;
	if (n == 0) {
		store_del(t, d->dbi, d->key, d->len);
		return;
	}
	store_key_u64(val, n);
	store_put(t, d->dbi, d->key, d->len, val, 8);
}

static int
count_cmp(const void *a, const void *b)
{
	const struct count_delta *x = a, *y = b;
	size_t n = x->len < y->len ? x->len : y->len;
	int c;

	if (x->dbi != y->dbi)
		return x->dbi < y->dbi ? -1 : 1;
	c = memcmp(x->key, y->key, n);
	return c != 0 ? c : (x->len > y->len) - (x->len < y->len);
}

void
store_counts_flush(struct store_txn *t)
{
	struct store_counts *p = t->counts;
	uint64_t writes = t->writes;

	if (p == NULL)
		return;
	qsort(p->d, t->ncounts, sizeof(p->d[0]), count_cmp);
	for (size_t i = 0; i < t->ncounts && t->err == STORE_OK; i++)
		count_write(t, &p->d[i]);
	/* Counted when moved (store_count_add), by the request that moved
	 * them: not by the one whose walk or commit writes them out. */
	t->writes = writes;
	t->counts = NULL;
	t->ncounts = 0;
}

static uint32_t
count_hash(MDB_dbi dbi, const uint8_t *key, size_t len)
{
	uint32_t h = 2166136261u ^ dbi;	/* FNV-1a */

	for (size_t i = 0; i < len; i++)
		h = (h ^ key[i]) * 16777619u;
	return h;
}

void
store_count_add(struct store_txn *t, MDB_dbi dbi, const void *key,
    size_t len, int64_t delta)
{
	struct store_counts *p;
	struct count_delta *d;
	uint32_t i;

	if (len > STORE_COUNT_KEY_MAX) {
		store_fail(t, MDB_BAD_VALSIZE);
		return;
	}
	/* A write of the request moving it: one that then fails must fail
	 * the whole commit (dispatch's apply_one compares t->writes). */
	t->writes++;
	if (t->ncounts == COUNTS_MAX)
		store_counts_flush(t);
	if ((p = t->counts) == NULL) {
		/* Only the slots are cleared: d fills from the front. */
		p = t->counts = &t->st->counts;
		memset(p->slot, 0, sizeof(p->slot));
	}
	for (i = count_hash(dbi, key, len) & (COUNT_SLOTS - 1);
	    p->slot[i] != 0; i = (i + 1) & (COUNT_SLOTS - 1)) {
		d = &p->d[p->slot[i] - 1];
		if (d->dbi == dbi && d->len == len &&
		    memcmp(d->key, key, len) == 0) {
			d->delta += delta;
			return;
		}
	}
	d = &p->d[t->ncounts];
	p->slot[i] = (uint16_t)++t->ncounts;
	d->dbi = dbi;
	d->len = len;
	d->delta = delta;
	memcpy(d->key, key, len);
}
