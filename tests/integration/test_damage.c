/*
 * test_damage.c - a damaged data.mdb (issue 12): cut short, a meta page
 * or page headers overwritten.  deskd and deskd verify refuse it with a
 * message that names the file and says what to do, never die of a
 * signal; a copy on read-only media verifies; deskd backup copies the
 * store while deskd serves, and deskd restore puts back only a backup
 * that verifies, and only where no store is.
 */
#include <sys/stat.h>
#include <sys/wait.h>

#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "harness.h"

static struct server_proc srv;

static int
setup(void **state)
{
	(void)state;
	memset(&srv, 0, sizeof(srv));
	srv_setup(&srv, NULL);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	srv_teardown(&srv);
	return 0;
}

/* Runs argv (as uid when not -1); its exit code, 128 + the signal that
 * killed it, and stdout and stderr in out. */
static int
run(const char *const argv[], uid_t uid, char *out, size_t outlen)
{
	int pipefd[2], status;
	size_t got = 0;
	ssize_t n;
	pid_t pid;

	assert_int_equal(pipe(pipefd), 0);
	if ((pid = fork()) == 0) {
		dup2(pipefd[1], 1);
		dup2(pipefd[1], 2);
		close(pipefd[0]);
		if (uid != (uid_t)-1 && (setgid(uid) != 0 || setuid(uid) != 0))
			_exit(126);
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	close(pipefd[1]);
	while ((n = read(pipefd[0], out + got, outlen - 1 - got)) > 0)
		got += (size_t)n;
	out[got] = '\0';
	close(pipefd[0]);
	waitpid(pid, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) :
	    128 + WTERMSIG(status);
}

static int
verify_dir(const char *dir, uid_t uid, char *out, size_t outlen)
{
	const char *argv[] = { DESKD_BIN, "verify", "--data", dir, NULL };

	return run(argv, uid, out, outlen);
}

static void sh(const char *, ...) __attribute__((format(printf, 1, 2)));

static void
sh(const char *fmt, ...)
{
	char cmd[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	assert_int_equal(system(cmd), 0);
}

static void
poke(const char *data, off_t at, const void *bytes, size_t len)
{
	char path[400];
	int fd;

	snprintf(path, sizeof(path), "%s/data.mdb", data);
	assert_true((fd = open(path, O_WRONLY)) >= 0);
	assert_int_equal(pwrite(fd, bytes, len, at), (ssize_t)len);
	close(fd);
}

static void
read_log(char *out, size_t len)
{
	FILE *f = fopen(srv.log, "r");
	size_t n;

	assert_non_null(f);
	n = fread(out, 1, len - 1, f);
	out[n] = '\0';
	fclose(f);
}

/* verify and deskd's start both refuse, naming data.mdb and saying
 * `what` and what to do; neither dies of a signal. */
static void
expect_refused(const char *what)
{
	char out[4096];
	int rc;

	srv.damaged = true;
	rc = verify_dir(srv.data, (uid_t)-1, out, sizeof(out));
	assert_int_equal(rc, 1);
	assert_non_null(strstr(out, "data.mdb"));
	assert_non_null(strstr(out, what));
	assert_non_null(strstr(out, "restore"));
	assert_int_equal(srv_start_fails(&srv), 1);
	read_log(out, sizeof(out));
	assert_non_null(strstr(out, "data.mdb"));
	assert_non_null(strstr(out, what));
}

/* Was SIGBUS inside mdb_dbi_open, in verify and in deskd. */
static void
test_truncated_file_refused(void **state)
{
	char path[400];

	(void)state;
	srv_stop(&srv);
	snprintf(path, sizeof(path), "%s/data.mdb", srv.data);
	assert_int_equal(truncate(path, 8192), 0);
	expect_refused("cut short");
}

/* Was "MDB_INVALID: File is not an LMDB file" (or "Invalid argument"). */
static void
test_meta_page_damaged(void **state)
{
	const unsigned char junk[4] = { 0x7f, 0x33, 0x00, 0x11 };
	long page = sysconf(_SC_PAGESIZE);

	(void)state;
	srv_stop(&srv);
	/* The magic number of meta page 1, past its page header. */
	poke(srv.data, page + (off_t)sizeof(size_t) + 8, junk, sizeof(junk));
	expect_refused("meta page 1");
}

/* Was "not a deskd store (run deskd init)": LMDB went by the meta page
 * with the higher (damaged) transaction id, an old tree. */
static void
test_meta_txnid_damaged(void **state)
{
	const unsigned char junk[2] = { 0x7f, 0x33 };
	/* The high bytes of meta page 0's txnid (MDB_meta's last word). */
	off_t at = (off_t)(sizeof(size_t) + 8 + 8 + 2 * sizeof(size_t) +
	    2 * (8 + 5 * sizeof(size_t)) + 2 * sizeof(size_t) - 2);

	(void)state;
	srv_stop(&srv);
	poke(srv.data, at, junk, sizeof(junk));
	expect_refused("meta page");
}

/* Was SIGBUS, SIGSEGV or an LMDB assert: the last resort's message. */
static void
test_page_headers_damaged(void **state)
{
	const unsigned char junk[2] = { 0xf7, 0xf3 };
	long page = sysconf(_SC_PAGESIZE);
	char path[400], out[4096];
	struct stat sb;

	(void)state;
	srv_stop(&srv);
	snprintf(path, sizeof(path), "%s/data.mdb", srv.data);
	assert_int_equal(stat(path, &sb), 0);
	/* Every page's lower bound, after the two meta pages. */
	for (off_t at = 2 * page; at < sb.st_size; at += page)
		poke(srv.data, at + (off_t)sizeof(size_t) + 4, junk,
		    sizeof(junk));
	srv.damaged = true;
	assert_int_equal(verify_dir(srv.data, (uid_t)-1, out, sizeof(out)),
	    1);
	assert_non_null(strstr(out, "data.mdb"));
	assert_non_null(strstr(out, "restore"));
}

/* Was a bare "Bus error" from the shell: the file cut short under a
 * serving deskd faults in LMDB at the next read; the guard names it. */
static void
test_truncated_while_serving(void **state)
{
	char path[400], out[4096];
	struct desk *d;
	int status = 0;

	(void)state;
	snprintf(path, sizeof(path), "%s/data.mdb", srv.data);
	assert_non_null(d = h_connect(&srv));
	assert_int_equal(truncate(path, 8192), 0);
	srv.damaged = true;
	/* The login reads the users: a page the file no longer holds. */
	assert_int_not_equal(desk_login(d, ADMIN_USER, ADMIN_PASS, NULL, NULL),
	    DESK_OK);
	desk_close(d);
	for (int i = 0; i < 500 && srv.pid != 0; i++)
		if (waitpid(srv.pid, &status, WNOHANG) == srv.pid)
			srv.pid = 0;
		else
			h_sleep_ms(10);
	assert_int_equal(srv.pid, 0);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 1);
	read_log(out, sizeof(out));
	assert_non_null(strstr(out, "data.mdb crashed inside LMDB"));
	assert_non_null(strstr(out, "restore"));
}

/* Was "Permission denied" / "Read-only file system": verify opened the
 * store for writing.  As root, chmod does not stop root: the copy is
 * verified as nobody (65534). */
static void
test_read_only_copy_verifies(void **state)
{
	char copy[400], out[4096];

	(void)state;
	srv_stop(&srv);
	snprintf(copy, sizeof(copy), "%s/ro", srv.dir);
	sh("cp -a '%s' '%s' && chmod 0755 '%s' && chmod 0444 '%s'/* && "
	    "chmod 0555 '%s'", srv.data, copy, srv.dir, copy, copy);
	assert_int_equal(verify_dir(copy, geteuid() == 0 ? 65534 : (uid_t)-1,
	    out, sizeof(out)), 0);
	assert_non_null(strstr(out, "ok, "));
	sh("chmod -R u+w '%s'", copy);
}

static uint64_t
record_one(const char *text)
{
	struct desk *d = h_login(&srv, ADMIN_USER, ADMIN_PASS);
	uint64_t id = h_complaint(d, "1-2-301", text, NULL);

	assert_true(id > 0);
	desk_close(d);
	return id;
}

static int
restore(const char *from, const char *to, char *out, size_t outlen)
{
	const char *argv[] = { DESKD_BIN, "restore", "--from", from,
	    "--data", to, NULL };

	return run(argv, (uid_t)-1, out, outlen);
}

/* New: deskd backup while deskd serves; the backup verifies, is
 * restored into a new directory, and deskd serves what it holds. */
static void
test_backup_while_serving_and_restore(void **state)
{
	char backup[400], again[280], out[4096];
	const char *argv[] = { DESKD_BIN, "backup", backup, "--data",
	    srv.data, NULL };
	Deskd__Complaint *c;
	struct desk *d;
	uint64_t id;

	(void)state;
	id = record_one("单元门禁失灵");
	snprintf(backup, sizeof(backup), "%s/backup", srv.dir);
	assert_int_equal(run(argv, (uid_t)-1, out, sizeof(out)), 0);
	assert_non_null(strstr(out, "ok, "));
	/* deskd went on serving, and a second backup into it is refused. */
	assert_true(record_one("走廊灯不亮") > id);
	assert_int_not_equal(run(argv, (uid_t)-1, out, sizeof(out)), 0);
	assert_non_null(strstr(out, "not empty"));
	assert_int_equal(verify_dir(backup, (uid_t)-1, out, sizeof(out)), 0);
	srv_stop(&srv);

	/* Never over a store, even a stopped one. */
	assert_int_equal(restore(backup, srv.data, out, sizeof(out)), 1);
	assert_non_null(strstr(out, "already holds a store"));
	snprintf(again, sizeof(again), "%s/restored", srv.dir);
	assert_int_equal(restore(backup, again, out, sizeof(out)), 0);
	snprintf(srv.data, sizeof(srv.data), "%s", again);
	srv_start(&srv);
	d = h_login(&srv, ADMIN_USER, ADMIN_PASS);
	assert_non_null(c = h_get(d, id));
	assert_string_equal(c->text, "单元门禁失灵");
	deskd__complaint__free_unpacked(c, NULL);
	/* What came after the backup is not in it. */
	assert_null(h_get(d, id + 1));
	desk_close(d);
}

/* A backup that does not verify is not restored: nothing is written. */
static void
test_restore_refuses_damaged_backup(void **state)
{
	char backup[400], to[400], out[4096];
	struct stat sb;

	(void)state;
	srv_stop(&srv);
	snprintf(backup, sizeof(backup), "%s/cut", srv.dir);
	snprintf(to, sizeof(to), "%s/to", srv.dir);
	sh("cp -a '%s' '%s' && truncate -s 8192 '%s/data.mdb'", srv.data,
	    backup, backup);
	assert_int_equal(restore(backup, to, out, sizeof(out)), 1);
	assert_non_null(strstr(out, "cut short"));
	assert_non_null(strstr(out, "nothing restored"));
	assert_int_equal(stat(to, &sb), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_truncated_file_refused,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_meta_page_damaged,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_meta_txnid_damaged,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_page_headers_damaged,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_truncated_while_serving,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_only_copy_verifies,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_backup_while_serving_and_restore, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_restore_refuses_damaged_backup, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
