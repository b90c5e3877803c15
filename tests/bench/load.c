/*
 * load.c - deskd-bench-load: write many pending deadline clocks straight
 * into a store made by `deskd init`, while no deskd runs on it.
 *
 *   deskd-bench-load --data DIR --count N [--first-id ID] [--in-ms MS]
 *
 * deskd-bench uses it for the clocks_startup figure: a million clocks
 * through the protocol would take a million complaints, minutes of group
 * commits; here they are a few large transactions.  Only the clock rows
 * (DB_CLOCK_STATE and its due index DB_CLOCKS) are written, exactly as
 * clock_put writes them, because that is all the engine reads at startup.
 *
 * Each clock is a complaint.reply_due on complaint FIRST_ID + i, in stage
 * BREACH, due IN_MS + i ms from now: an hour ahead by default, so none
 * fires while the bench measures, and each has a distinct due time.  The
 * record ids start far above what the bench's own complaints get (1, 2,
 * ...), so a clock the server arms never replaces a loaded one.
 */
#include <sys/stat.h>

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store.h"

#define PER_TXN		100000	/* rows per commit: a few fsyncs, not 1M */
#define GROW_MAX	16	/* map doublings per transaction */
#define MAP_START	((size_t)256 * 1024 * 1024)

static int64_t
wall_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static double
mono_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Rows [from, to) in one transaction; STORE_MAP_FULL means grow and redo. */
static int
load_chunk(struct store *st, uint64_t first_id, int64_t base_ms,
    uint64_t from, uint64_t to)
{
	struct store_txn txn;
	Deskd__Clock c = DESKD__CLOCK__INIT;
	int rc;

	if ((rc = store_txn_begin(st, NULL, true, &txn)) != STORE_OK)
		return rc;
	c.name = "complaint.reply_due";
	c.record_kind = RECORD_COMPLAINT;
	c.stage = DESKD__CLOCK_STAGE__STAGE_BREACH;
	for (uint64_t i = from; i < to && txn.err == STORE_OK; i++) {
		c.record_id = first_id + i;
		c.start_ms = base_ms - 3600 * 1000;
		c.deadline_ms = base_ms + (int64_t)i;
		c.next_ms = c.deadline_ms;
		clock_put(&txn, NULL, &c);
	}
	if (txn.err != STORE_OK) {
		rc = txn.err;
		store_txn_abort(&txn);
		return rc;
	}
	return store_txn_commit(&txn);
}

static void
usage(FILE *f)
{
	fprintf(f, "usage: deskd-bench-load --data DIR --count N "
	    "[--first-id ID] [--in-ms MS]\n"
	    "Writes N pending complaint.reply_due clocks into the deskd store "
	    "in DIR\n(made by deskd init; deskd must not be running on it).\n");
}

static bool
parse_u64(const char *s, uint64_t lo, uint64_t hi, uint64_t *out)
{
	unsigned long long v;
	char *end;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || end == s || *end || *s == '-' || v < lo || v > hi)
		return false;
	*out = v;
	return true;
}

int
main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "data", required_argument, NULL, 'd' },
		{ "count", required_argument, NULL, 'n' },
		{ "first-id", required_argument, NULL, 'f' },
		{ "in-ms", required_argument, NULL, 'i' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct store_options so = { .map_size = MAP_START };
	struct store *st;
	struct store_txn txn;
	struct stat sb;
	const char *data = NULL;
	uint64_t count = 0, first_id = 1000000000, in_ms = 3600 * 1000;
	char err[512], path[4096];
	int64_t base_ms;
	double t0;
	int ch, rc = STORE_OK;

	while ((ch = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
		switch (ch) {
		case 'd':
			data = optarg;
			break;
		case 'n':
			if (!parse_u64(optarg, 1, 100000000, &count))
				goto bad;
			break;
		case 'f':
			if (!parse_u64(optarg, 1, UINT64_MAX / 2, &first_id))
				goto bad;
			break;
		case 'i':
			if (!parse_u64(optarg, 1000, 365ULL * 86400 * 1000,
			    &in_ms))
				goto bad;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			goto bad;
		}
	}
	if (optind != argc || data == NULL || count == 0)
		goto bad;
	if (store_open(&st, data, &so, err, sizeof(err)) != STORE_OK) {
		fprintf(stderr, "deskd-bench-load: %s\n", err);
		return 1;
	}
	/* Only into a real store: the schema is what deskd checks first. */
	if (store_txn_begin(st, NULL, false, &txn) != STORE_OK ||
	    store_check_schema(&txn, err, sizeof(err)) != STORE_OK) {
		fprintf(stderr, "deskd-bench-load: %s: %s\n", data,
		    txn.err != STORE_OK ? store_rc_str(txn.err) : err);
		store_txn_abort(&txn);
		store_close(st);
		return 1;
	}
	store_txn_abort(&txn);

	t0 = mono_s();
	base_ms = wall_ms() + (int64_t)in_ms;
	for (uint64_t from = 0; from < count && rc == STORE_OK;
	    from += PER_TXN) {
		uint64_t to = count - from < PER_TXN ? count : from + PER_TXN;

		for (int grow = 0; grow <= GROW_MAX; grow++) {
			rc = load_chunk(st, first_id, base_ms, from, to);
			/* No transaction is open here: the map may grow. */
			if (rc != STORE_MAP_FULL || grow == GROW_MAX ||
			    store_grow(st) != STORE_OK)
				break;
		}
	}
	store_close(st);
	if (rc != STORE_OK) {
		fprintf(stderr, "deskd-bench-load: %s: %s\n", data,
		    store_rc_str(rc));
		return 1;
	}
	snprintf(path, sizeof(path), "%s/data.mdb", data);
	printf("deskd-bench-load: %" PRIu64 " clocks in %.2f s; data.mdb %lld "
	    "KiB\n", count, mono_s() - t0, stat(path, &sb) == 0 ?
	    (long long)sb.st_size / 1024 : -1LL);
	return 0;
bad:
	usage(stderr);
	return 2;
}
