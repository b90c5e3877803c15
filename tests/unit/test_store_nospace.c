/*
 * test_store_nospace.c - a full disk under the store (issue 12): the
 * commit that does not fit fails as STORE_NOSPACE, said as ENOSPC (disk
 * full), not as a bare "storage i/o error".  The disk is a 256 KiB tmpfs
 * mounted in a mount namespace of this process only (root, or a user
 * namespace); where neither is allowed the test is skipped.
 */
#include <sys/mount.h>

#include <sched.h>
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

static void
test_full_disk_says_enospc(void **state)
{
	struct store_options o = { .map_size = 16 << 20, .create = true };
	static uint8_t blob[32 * 1024];
	char dir[64], data[80], err[512], key[32];
	struct store *st;
	struct store_txn t;
	int rc = STORE_OK;

	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/deskd-nospace-XXXXXX");
	assert_non_null(mkdtemp(dir));
	if (unshare(CLONE_NEWNS) != 0 ||
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0 ||
	    mount("tmpfs", dir, "tmpfs", 0, "size=256k") != 0) {
		rmdir(dir);
		skip();
	}
	snprintf(data, sizeof(data), "%s/data", dir);
	assert_int_equal(store_open(&st, data, &o, err, sizeof(err)),
	    STORE_OK);
	memset(blob, 0xa5, sizeof(blob));
	for (int i = 0; i < 64 && rc == STORE_OK; i++) {
		assert_int_equal(store_txn_begin(st, NULL, true, &t),
		    STORE_OK);
		snprintf(key, sizeof(key), "blob:%d", i);
		store_put(&t, store_dbi(&t, DB_META), key, strlen(key), blob,
		    sizeof(blob));
		rc = store_txn_commit(&t);
	}
	assert_int_equal(rc, STORE_NOSPACE);
	assert_non_null(strstr(store_rc_str(rc), "ENOSPC"));
	assert_non_null(strstr(store_rc_str(rc), "disk full"));
	store_close(st);
	umount(dir);
	rmdir(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_full_disk_says_enospc),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
