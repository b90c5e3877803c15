/*
 * test_store_counts.c - counts summed in a write transaction and written
 * at commit (store_count_add, issue 17): what a report reads afterwards
 * is what one put a move would have left, through a walk in the same
 * transaction, more keys than the table holds, an abort and a retry.
 * A real LMDB in a temp dir.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "store.h"

#define KIND	((enum record_kind)1)
#define DAY	20261204u

struct fixture {
	char		 dir[64];
	struct store	*st;
};

static int
setup(void **state)
{
	struct store_options o = { .map_size = 64 << 20, .create = true,
	    .no_sync = true };
	struct fixture *f = calloc(1, sizeof(*f));
	char err[512];

	if (f == NULL)
		return -1;
	snprintf(f->dir, sizeof(f->dir), "/tmp/deskd-counts-XXXXXX");
	if (mkdtemp(f->dir) == NULL ||
	    store_open(&f->st, f->dir, &o, err, sizeof(err)) != STORE_OK) {
		free(f);
		return -1;
	}
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;
	char cmd[128];

	store_close(f->st);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
	if (system(cmd) != 0)
		return -1;
	free(f);
	return 0;
}

struct found {
	char		value[64];
	uint64_t	n;
	size_t		count;
	uint64_t	total;
};

static void
collect(uint32_t day, const char *dim, const char *value, uint64_t n,
    void *arg)
{
	struct found *f = arg;

	(void)day;
	(void)dim;
	f->count++;
	f->total += n;
	snprintf(f->value, sizeof(f->value), "%s", value);
	f->n = n;
}

/* What a report would read now, committed. */
static struct found
read_counts(struct store *st)
{
	struct found f = { .count = 0 };
	struct store_txn t;

	assert_int_equal(store_txn_begin(st, NULL, false, &t), STORE_OK);
	assert_int_equal(tally_walk(&t, KIND, DAY, DAY, collect, &f),
	    STORE_OK);
	store_txn_abort(&t);
	return f;
}

static void
moves_are_summed_and_written_at_commit(void **state)
{
	struct fixture *f = *state;
	struct store_txn t;
	struct found r;

	assert_int_equal(store_txn_begin(f->st, NULL, true, &t), STORE_OK);
	for (int i = 0; i < 5; i++)
		tally_add(&t, KIND, DAY, "cat", "noise", 1);
	tally_add(&t, KIND, DAY, "cat", "noise", -2);
	assert_int_equal(store_txn_commit(&t), STORE_OK);
	r = read_counts(f->st);
	assert_int_equal(r.count, 1);
	assert_string_equal(r.value, "noise");
	assert_int_equal(r.n, 3);

	/* Down to zero: the count is gone, not a zero left behind. */
	assert_int_equal(store_txn_begin(f->st, NULL, true, &t), STORE_OK);
	tally_add(&t, KIND, DAY, "cat", "noise", -3);
	assert_int_equal(store_txn_commit(&t), STORE_OK);
	assert_int_equal(read_counts(f->st).count, 0);

	/* Never below zero. */
	assert_int_equal(store_txn_begin(f->st, NULL, true, &t), STORE_OK);
	tally_add(&t, KIND, DAY, "cat", "noise", -4);
	assert_int_equal(store_txn_commit(&t), STORE_OK);
	assert_int_equal(read_counts(f->st).count, 0);
}

static void
a_walk_in_the_transaction_sees_its_moves(void **state)
{
	struct fixture *f = *state;
	struct store_txn t;
	struct found r = { .count = 0 };

	assert_int_equal(store_txn_begin(f->st, NULL, true, &t), STORE_OK);
	tally_add(&t, KIND, DAY, "src", "phone", 2);
	assert_int_equal(tally_walk(&t, KIND, DAY, DAY, collect, &r),
	    STORE_OK);
	assert_int_equal(r.count, 1);
	assert_int_equal(r.n, 2);
	/* A move after the walk is kept too. */
	tally_add(&t, KIND, DAY, "src", "phone", 1);
	assert_int_equal(store_txn_commit(&t), STORE_OK);
	assert_int_equal(read_counts(f->st).n, 3);
}

static void
more_keys_than_the_table_holds(void **state)
{
	struct fixture *f = *state;
	struct store_txn t;
	char unit[32];
	struct found r;

	/* 2,000 units twice over: the table is written out as it fills. */
	assert_int_equal(store_txn_begin(f->st, NULL, true, &t), STORE_OK);
	for (int pass = 0; pass < 2; pass++)
		for (int i = 0; i < 2000; i++) {
			snprintf(unit, sizeof(unit), "3-2-%04d", i);
			tally_add(&t, KIND, DAY, "unit", unit, 1);
		}
	assert_int_equal(store_txn_commit(&t), STORE_OK);
	r = read_counts(f->st);
	assert_int_equal(r.count, 2000);
	assert_int_equal(r.total, 4000);
}

static void
an_abort_writes_nothing(void **state)
{
	struct fixture *f = *state;
	struct store_txn t;

	assert_int_equal(store_txn_begin(f->st, NULL, true, &t), STORE_OK);
	tally_add(&t, KIND, DAY, "cat", "water", 7);
	store_txn_abort(&t);
	assert_int_equal(read_counts(f->st).count, 0);
	/* The next transaction starts with nothing kept (a map-full retry
	 * applies the whole batch again). */
	assert_int_equal(store_txn_begin(f->st, NULL, true, &t), STORE_OK);
	tally_add(&t, KIND, DAY, "cat", "water", 1);
	assert_int_equal(store_txn_commit(&t), STORE_OK);
	assert_int_equal(read_counts(f->st).n, 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    moves_are_summed_and_written_at_commit, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    a_walk_in_the_transaction_sees_its_moves, setup, teardown),
		cmocka_unit_test_setup_teardown(more_keys_than_the_table_holds,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(an_abort_writes_nothing, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
