/*
 * main.c - deskd's command line: serve (the default), init, verify,
 * backup, restore.
 */
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <netinet/in.h>

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <getopt.h>
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>
#include <event2/listener.h>

#include "archive_rules.h"
#include "area.h"
#include "now.h"
#include "calendar.h"
#include "deadline.h"
#include "config.h"
#include "conn.h"
#include "worker.h"
#include "dispatch.h"
#include "log.h"
#include "password.h"
#include "push.h"
#include "server.h"
#include "tls.h"
#include "users.h"
#include "validate.h"
#include "reverify.h"
#include "vault.h"
#include "version.h"

static void
usage(FILE *f)
{
	fprintf(f,
"usage: deskd [serve] [--config FILE] [--SETTING VALUE ...]\n"
"       deskd init --data DIR --admin NAME [--config FILE]\n"
"       deskd verify --data DIR\n"
"       deskd backup DIR [--data DIR] [--config FILE]\n"
"       deskd restore --from DIR --data DIR\n"
"       deskd --version | --help\n"
"\n"
"serve   run the front-desk server (TLS) until SIGTERM or SIGINT;\n"
"        SIGUSR1 logs a line of counters (requests, commits, ...)\n"
"init    create a new store and its first admin; the password comes from\n"
"        DESKD_ADMIN_PASSWORD, or is made up and printed once\n"
"verify  walk the event log's hash chain, then prove the records and indexes\n"
"        against the log (PROTOCOL.md 11.6); prints\n"
"        \"ok, N events\" or the first inconsistency (exit 1); it only\n"
"        reads, so it checks a copy on read-only media too\n"
"backup  copy the store, compacted, into DIR (new or empty) while deskd\n"
"        serves, then verify the copy; the archive key is not in it:\n"
"        keep a copy of the key file apart (README \"Backups\")\n"
"restore verify the backup in --from, then copy it into --data, which\n"
"        must hold no store (move a damaged one aside first)\n"
"\n"
"Settings (in the config file's [server] section, or as --flags):\n");
	if (f == stdout)
		config_usage(f);
}

/* Parses --config first, then every other --key value over it. */
static int
parse_settings(int argc, char **argv, struct config *cfg, char **admin)
{
	char err[512];
	int i;

	for (i = 0; i < argc; i++)
		if (strcmp(argv[i], "--config") == 0 && i + 1 < argc &&
		    config_load_file(cfg, argv[i + 1], err, sizeof(err)) != 0) {
			fprintf(stderr, "deskd: %s\n", err);
			return -1;
		}
	for (i = 0; i < argc; i++) {
		const char *key = argv[i], *val;

		if (strncmp(key, "--", 2) != 0) {
			fprintf(stderr, "deskd: unexpected argument '%s'\n", key);
			return -1;
		}
		key += 2;
		if (i + 1 >= argc) {
			fprintf(stderr, "deskd: --%s needs a value\n", key);
			return -1;
		}
		val = argv[++i];
		if (strcmp(key, "config") == 0)
			continue;
		if (strcmp(key, "admin") == 0 && admin != NULL) {
			*admin = (char *)val;
			continue;
		}
		if (config_set(cfg, key, val, err, sizeof(err)) != 0) {
			fprintf(stderr, "deskd: %s (see deskd --help)\n", err);
			return -1;
		}
	}
	return 0;
}

/*
 * The last resort when data.mdb is damaged past what store_open checks:
 * LMDB trusts its pages, and a bad one faults inside it.  The message is
 * made before (a handler may only write and exit).
 */
static char	fault_msg[1024];
static size_t	fault_len;

static void
on_fault(int sig)
{
	(void)sig;
	if (write(STDERR_FILENO, fault_msg, fault_len) < 0)
		_exit(1);
	_exit(1);
}

/* SIGBUS (a page of the map the file does not hold) from now on; with
 * all, SIGSEGV and SIGABRT (LMDB's asserts) too: while only reading the
 * store (verify, backup, deskd's start), not when a bug may be ours. */
static void
fault_guard(const char *data, bool all)
{
	struct sigaction sa;

	fault_len = (size_t)snprintf(fault_msg, sizeof(fault_msg),
	    "deskd: reading %s/data.mdb crashed inside LMDB: the file is "
	    "damaged (a page that does not read, or a file cut short or "
	    "failing on disk); run deskd verify --data %s, and restore from "
	    "a backup (deskd restore, README \"Backups\")\n", data, data);
	if (fault_len >= sizeof(fault_msg))
		fault_len = sizeof(fault_msg) - 1;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_fault;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGBUS, &sa, NULL);
	if (!all)
		sa.sa_handler = SIG_DFL;
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGABRT, &sa, NULL);
}

static struct store *
open_store_at(const struct config *cfg, const char *dir, bool create,
    bool read_only)
{
	struct store_options o = { .map_size = cfg->map_size,
	    .create = create, .read_only = read_only };
	struct store *st;
	char err[1024];

	if (store_open(&st, dir, &o, err, sizeof(err)) != STORE_OK) {
		fprintf(stderr, "deskd: %s\n", err);
		return NULL;
	}
	return st;
}

static struct store *
open_store(const struct config *cfg, bool create)
{
	return open_store_at(cfg, cfg->data, create, false);
}

/* ---------- init ---------- */

static int
cmd_init(int argc, char **argv)
{
	struct config cfg;
	struct store *st;
	struct store_txn txn;
	struct apply_ctx ctx;
	Deskd__Response resp = DESKD__RESPONSE__INIT;
	char *admin = NULL, made[TOKEN_HEX_LEN + 1], err[256];
	const char *pw = getenv("DESKD_ADMIN_PASSWORD");
	int rc;

	config_defaults(&cfg);
	if (parse_settings(argc, argv, &cfg, &admin) != 0)
		return 2;
	if (admin == NULL) {
		fprintf(stderr, "deskd init: --admin NAME is required\n");
		return 2;
	}
	if (pw == NULL || *pw == '\0') {
		if (token_new(made) != 0)
			return 1;
		made[20] = '\0';
		pw = made;
	}
	if ((st = open_store(&cfg, true)) == NULL)
		return 1;
	if (store_txn_begin(st, NULL, true, &txn) != STORE_OK) {
		fprintf(stderr, "deskd init: %s\n", store_rc_str(txn.err));
		store_close(st);
		return 1;
	}
	if (store_check_schema(&txn, err, sizeof(err)) != STORE_NOTFOUND) {
		fprintf(stderr, "deskd init: %s already holds a deskd store\n",
		    cfg.data);
		store_txn_abort(&txn);
		store_close(st);
		return 1;
	}
	store_init_schema(&txn);
	memset(&ctx, 0, sizeof(ctx));
	ctx.cfg = &cfg;
	ctx.txn = &txn;
	ctx.now_ms = server_now_ms();
	ctx.actor = "deskd-init";
	ctx.resp = &resp;
	if (user_create(&ctx, admin, "", "admin", pw, NULL) != DESKD__STATUS__OK) {
		fprintf(stderr, "deskd init: %s\n", ctx.msg);
		store_txn_abort(&txn);
		store_close(st);
		return 1;
	}
	ctx_done(&ctx);
	rc = store_txn_commit(&txn);
	store_close(st);
	if (rc != STORE_OK) {
		fprintf(stderr, "deskd init: %s\n", store_rc_str(rc));
		return 1;
	}
	printf("deskd: store created in %s; admin user '%s'\n", cfg.data, admin);
	if (pw == made)
		printf("deskd: admin password (shown once): %s\n", made);
	return 0;
}

/* ---------- verify, backup, restore ---------- */

/* The whole check of the store in dir, opened read-only: prints what it
 * found after `what` and returns 0 when it holds. */
static int
verify_at(const struct config *cfg, const char *dir, const char *what,
    struct store **keep)
{
	struct store *st;
	uint64_t events = 0;
	char err[512];

	fault_guard(dir, true);
	if ((st = open_store_at(cfg, dir, false, true)) == NULL)
		return 1;
	if (store_verify(st, &reverify_rules, &events, err,
	    sizeof(err)) != STORE_OK) {
		printf("%sFAILED: %s\n", what, err);
		store_close(st);
		return 1;
	}
	printf("%sok, %" PRIu64 " events\n", what, events);
	if (keep != NULL)
		*keep = st;
	else
		store_close(st);
	return 0;
}

static int
cmd_verify(int argc, char **argv)
{
	struct config cfg;

	config_defaults(&cfg);
	if (parse_settings(argc, argv, &cfg, NULL) != 0)
		return 2;
	return verify_at(&cfg, cfg.data, "", NULL);
}

/* dir made if need be; refused unless it is empty (never overwrite). */
static int
empty_dir(const char *dir, const char *what)
{
	struct dirent *de;
	DIR *d;
	bool empty = true;

	if (mkdir(dir, 0700) == 0)
		return 0;
	if (errno != EEXIST || (d = opendir(dir)) == NULL) {
		fprintf(stderr, "deskd: %s: %s\n", dir, strerror(errno));
		return -1;
	}
	while (empty && (de = readdir(d)) != NULL)
		empty = strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0;
	closedir(d);
	if (!empty) {
		fprintf(stderr, "deskd: %s is not empty: %s\n", dir, what);
		return -1;
	}
	return 0;
}

static int
copy_store(struct store *st, const char *to, bool compact)
{
	char err[1024];

	if (store_copy(st, to, compact, err, sizeof(err)) != STORE_OK) {
		fprintf(stderr, "deskd: copy into %s\n", err);
		return -1;
	}
	return 0;
}

/*
 * A copy made beside a serving deskd: LMDB lets another process read the
 * store (a read transaction), compacted as it goes; then the copy is
 * verified as it will be restored.
 */
static int
cmd_backup(int argc, char **argv)
{
	struct config cfg;
	struct store *st;
	const char *to;
	char what[600];

	if (argc < 1 || strncmp(argv[0], "--", 2) == 0) {
		fprintf(stderr, "deskd backup: DIR is required (see deskd "
		    "--help)\n");
		return 2;
	}
	to = argv[0];
	config_defaults(&cfg);
	if (parse_settings(argc - 1, argv + 1, &cfg, NULL) != 0)
		return 2;
	if (empty_dir(to, "a backup goes into a new or empty directory") != 0)
		return 1;
	fault_guard(cfg.data, true);
	if ((st = open_store_at(&cfg, cfg.data, false, true)) == NULL)
		return 1;
	if (copy_store(st, to, true) != 0) {
		store_close(st);
		return 1;
	}
	store_close(st);
	snprintf(what, sizeof(what), "deskd: backup of %s in %s: ", cfg.data,
	    to);
	return verify_at(&cfg, to, what, NULL);
}

/* Only a backup that verifies is restored, and only where no store is. */
static int
cmd_restore(int argc, char **argv)
{
	struct config cfg;
	struct store *st;
	const char *from = NULL;
	char path[600], what[600];
	struct stat sb;
	int rc;

	if (argc >= 2 && strcmp(argv[0], "--from") == 0) {
		from = argv[1];
		argc -= 2;
		argv += 2;
	}
	config_defaults(&cfg);
	if (from == NULL || parse_settings(argc, argv, &cfg, NULL) != 0) {
		fprintf(stderr, "deskd restore: usage: deskd restore --from "
		    "DIR --data DIR\n");
		return 2;
	}
	snprintf(path, sizeof(path), "%s/data.mdb", cfg.data);
	if (stat(path, &sb) == 0) {
		fprintf(stderr, "deskd restore: %s already holds a store: "
		    "stop deskd and move that directory aside (restore never "
		    "overwrites one)\n", cfg.data);
		return 1;
	}
	snprintf(what, sizeof(what), "deskd: backup in %s: ", from);
	if (verify_at(&cfg, from, what, &st) != 0) {
		fprintf(stderr, "deskd restore: the backup in %s does not "
		    "verify: nothing restored\n", from);
		return 1;
	}
	rc = empty_dir(cfg.data, "restore into a new or empty directory") ==
	    0 && copy_store(st, cfg.data, false) == 0 ? 0 : 1;
	store_close(st);
	if (rc == 0)
		printf("deskd: restored into %s; start deskd with --data %s "
		    "and the archive key of that store\n", cfg.data, cfg.data);
	return rc;
}

/* ---------- serve ---------- */

/* One line of counters: at stop, and on SIGUSR1 while serving (an
 * operator's look, and the group-commit test's). */
static void
log_stats(const struct server *srv, const char *when)
{
	const struct server_stats *st = &srv->stats;

	log_info("%s: %" PRIu64 " connections served, %" PRIu64
	    " requests, %" PRIu64 " commits (%.1f requests a commit), %"
	    PRIu64 " TLS errors, %" PRIu64 " map grows, %" PRIu64 " evicted, %"
	    PRIu64 " refused, %" PRIu64 " accept failures, longest catch-up pass %"
	    PRIu64 " events (slice %d), %" PRIu64 " catch-up slices, %.3f ms "
	    "a commit (longest %.3f ms)", when,
	    st->accepted, st->requests, st->commits, st->commits ?
	    (double)st->requests / (double)st->commits : 0.0,
	    st->tls_errors, st->map_grows, st->evicted, st->refused,
	    st->accept_failed, st->feed_longest, PUSH_SLICE, st->feed_slices,
	    st->commits ? (double)st->commit_us / 1000.0 /
	    (double)st->commits : 0.0, (double)st->commit_max_us / 1000.0);
}

static void
on_usr1(evutil_socket_t sig, short what, void *arg)
{
	(void)sig;
	(void)what;
	log_stats(arg, "stats");
}

static void
on_signal(evutil_socket_t sig, short what, void *arg)
{
	struct server *srv = arg;
	struct timeval grace = { 2, 0 };
	struct conn *c, *next;

	(void)what;
	if (srv->stopping)
		return;
	log_info("signal %d: stopping: no new connections, finishing what "
	    "was received", (int)sig);
	srv->stopping = true;
	evconnlistener_disable(srv->listener);
	/* In-flight requests are committed and answered before we go; a
	 * desk with requests still staged, batched or held (an import batch
	 * read ahead, a login being hashed) is let go once they are
	 * (conn_let_go_if_answered, from batch_flush). */
	batch_flush(srv);
	for (c = TAILQ_FIRST(&srv->conns); c != NULL; c = next) {
		next = TAILQ_NEXT(c, entry);
		conn_let_go_if_answered(c);
	}
	if (TAILQ_EMPTY(&srv->conns))
		event_base_loopbreak(srv->base);
	else
		event_base_loopexit(srv->base, &grace);
}

static int
listen_on(struct server *srv)
{
	struct evutil_addrinfo hints, *ai = NULL;
	struct sockaddr_storage ss;
	socklen_t sslen = sizeof(ss);
	char host[128], *colon, port[16];
	int rc;

	snprintf(host, sizeof(host), "%s", srv->cfg.listen);
	if ((colon = strrchr(host, ':')) == NULL) {
		log_warnx("listen: '%s' is not host:port", srv->cfg.listen);
		return -1;
	}
	*colon = '\0';
	snprintf(port, sizeof(port), "%s", colon + 1);
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = EVUTIL_AI_PASSIVE;
	if ((rc = evutil_getaddrinfo(host, port, &hints, &ai)) != 0) {
		log_warnx("listen: %s: %s", srv->cfg.listen,
		    evutil_gai_strerror(rc));
		return -1;
	}
	srv->listener = evconnlistener_new_bind(srv->base, conn_accept, srv,
	    LEV_OPT_REUSEABLE | LEV_OPT_CLOSE_ON_FREE, 4096, ai->ai_addr,
	    (int)ai->ai_addrlen);
	evutil_freeaddrinfo(ai);
	if (srv->listener == NULL) {
		log_warnx("listen: %s: %s", srv->cfg.listen, strerror(errno));
		return -1;
	}
	if (getsockname(evconnlistener_get_fd(srv->listener),
	    (struct sockaddr *)&ss, &sslen) == 0) {
		int p = ss.ss_family == AF_INET6 ?
		    ntohs(((struct sockaddr_in6 *)&ss)->sin6_port) :
		    ntohs(((struct sockaddr_in *)&ss)->sin_port);

		snprintf(colon + 1, sizeof(host) - (size_t)(colon + 1 - host),
		    "%d", p);
		*colon = ':';
	}
	log_info("deskd %s listening on %s (TLS), data in %s", DESKD_VERSION,
	    host, srv->cfg.data);
	if (*srv->cfg.ready_file) {
		char tmp[600];
		FILE *f;

		/* Written whole, then renamed: a reader never sees half. */
		snprintf(tmp, sizeof(tmp), "%s.tmp", srv->cfg.ready_file);
		if ((f = fopen(tmp, "w")) == NULL ||
		    fprintf(f, "%s\n", host) < 0 || fclose(f) != 0 ||
		    rename(tmp, srv->cfg.ready_file) != 0) {
			log_warnx("ready file %s: %s", srv->cfg.ready_file,
			    strerror(errno));
			return -1;
		}
	}
	return 0;
}

/* C4/D5: a calendar that has run out counts holidays as working days. */
static void
warn_calendar_end(const struct calendar *cal, const char *path)
{
	time_t now = time(NULL);
	struct tm tm;
	int first, last;

	localtime_r(&now, &tm);
	if (!*path)
		log_info("no calendar file: working days are Monday to Friday");
	else if (calendar_years(cal, &first, &last) &&
	    tm.tm_year + 1900 >= last)
		log_warnx("calendar %s ends with %d: add next year's holidays",
		    path, last);
}

static void
raise_fd_limit(void)
{
	struct rlimit rl;

	/* Thousands of idle desks need thousands of descriptors. */
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
}

/* Password hashing: one thread a core unless configured (issue 12). */
static int
password_workers(const struct config *cfg)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	if (cfg->password_workers > 0)
		return (int)cfg->password_workers;
	return n > 0 ? (int)n : 1;
}

/*
 * Issue 17: a connection's write event is added when output lands in its
 * empty buffer and deleted once the buffer is written: two epoll_ctl calls
 * per reply or push.  With the changelist libevent applies changes just
 * before epoll_wait, so the add and the delete of one pass cancel out, and
 * conn_flush_all writes in the pass that added (event.h,
 * EVENT_BASE_FLAG_EPOLL_USE_CHANGELIST; its caveat, fds shared by dup(),
 * does not apply: every socket here is accept()ed and owned by one
 * bufferevent).
 */
static struct event_base *
event_loop_new(void)
{
	struct event_config *cfg;
	struct event_base *base;

	if ((cfg = event_config_new()) == NULL)
		return NULL;
	event_config_set_flag(cfg, EVENT_BASE_FLAG_EPOLL_USE_CHANGELIST);
	base = event_base_new_with_config(cfg);
	event_config_free(cfg);
	return base;
}

static int
cmd_serve(int argc, char **argv)
{
	struct server srv;
	struct calendar *calendar = NULL;
	struct store_txn txn;
	char err[512];
	int rc = 1;

	/* Issue 17: glibc gave the heap's top back after nearly every group
	 * commit (brk, and a TLB flush on each core), to take it again for
	 * the next; up to 8 MiB free at the top now stays.  Setting it stops
	 * glibc raising the mmap threshold as it goes, so that is set too:
	 * a large reply or import buffer is not an mmap and munmap each. */
	mallopt(M_TRIM_THRESHOLD, 8 << 20);
	mallopt(M_MMAP_THRESHOLD, 4 << 20);
	memset(&srv, 0, sizeof(srv));
	TAILQ_INIT(&srv.conns);
	TAILQ_INIT(&srv.subscribers);
	TAILQ_INIT(&srv.flush);
	TAILQ_INIT(&srv.batch);
	dispatch_attach(&srv);
	config_defaults(&srv.cfg);
	if (parse_settings(argc, argv, &srv.cfg, NULL) != 0)
		return 2;
	log_init(srv.cfg.verbose);
	server_set_now_offset(srv.cfg.now_offset_ms);
	if (srv.cfg.now_offset_ms != 0)
		log_warnx("the clock runs %lld ms ahead (--now-offset): for "
		    "tests only", (long long)srv.cfg.now_offset_ms);
	if (srv.cfg.out_low_water >= srv.cfg.out_high_water) {
		fprintf(stderr, "deskd: out_low_water must be below "
		    "out_high_water\n");
		return 2;
	}
	setenv("TZ", srv.cfg.time_zone, 1);
	tzset();
	signal(SIGPIPE, SIG_IGN);
	raise_fd_limit();
	fault_guard(srv.cfg.data, true);

	if ((srv.store = open_store(&srv.cfg, false)) == NULL)
		return 1;
	if (store_txn_begin(srv.store, NULL, false, &txn) != STORE_OK ||
	    store_check_schema(&txn, err, sizeof(err)) != STORE_OK) {
		if (txn.err != STORE_OK)
			snprintf(err, sizeof(err), "%s", store_rc_str(txn.err));
		fprintf(stderr, "deskd: %s: %s\n", srv.cfg.data, err);
		store_txn_abort(&txn);
		goto out;
	}
	srv.last_seq = srv.pushed_seq = store_last_seq(&txn);
	store_txn_abort(&txn);
	/* Expired sessions are dropped here rather than on a timer. */
	if (store_txn_begin(srv.store, NULL, true, &txn) == STORE_OK) {
		session_purge(&txn, NULL, server_now_ms());
		if (store_txn_commit(&txn) != STORE_OK)
			log_warnx("purging expired sessions: %s",
			    store_rc_str(txn.err));
	}

	if ((srv.ssl_ctx = tls_server_ctx(srv.cfg.cert, srv.cfg.key, err,
	    sizeof(err))) == NULL) {
		fprintf(stderr, "deskd: TLS: %s\n", err);
		goto out;
	}
	if ((srv.base = event_loop_new()) == NULL ||
	    event_base_priority_init(srv.base, PRIO_COUNT) != 0) {
		fprintf(stderr, "deskd: cannot create the event loop\n");
		goto out;
	}
	srv.batch_ev = event_new(srv.base, -1, 0, batch_run, &srv);
	event_priority_set(srv.batch_ev, PRIO_BATCH);
	srv.sig_term = evsignal_new(srv.base, SIGTERM, on_signal, &srv);
	srv.sig_int = evsignal_new(srv.base, SIGINT, on_signal, &srv);
	srv.sig_usr1 = evsignal_new(srv.base, SIGUSR1, on_usr1, &srv);
	event_add(srv.sig_term, NULL);
	event_add(srv.sig_int, NULL);
	event_add(srv.sig_usr1, NULL);
	if (calendar_load_file(&calendar, srv.cfg.calendar, err,
	    sizeof(err)) != 0) {
		fprintf(stderr, "deskd: calendar: %s\n", err);
		rc = 2;
		goto out;
	}
	warn_calendar_end(calendar, srv.cfg.calendar);
	clock_set_calendar(calendar);
	/* E6: the archive key opens this store's key check, or no start
	 * (after the settings' own checks, so they are reported first). */
	if (archive_open_key(&srv.cfg, srv.store, err, sizeof(err)) != 0) {
		fprintf(stderr, "deskd: %s\n", err);
		rc = 2;
		goto out;
	}
	if (worker_start(srv.base, password_workers(&srv.cfg),
	    srv.cfg.password_queue) != 0) {
		fprintf(stderr, "deskd: cannot start the hashing workers\n");
		goto out;
	}
	login_guard_start(&srv);
	if (listen_on(&srv) != 0)
		goto out;
	if (conn_admit_start(&srv) != 0) {
		fprintf(stderr, "deskd: out of memory\n");
		goto out;
	}
	evconnlistener_set_error_cb(srv.listener, conn_accept_error);
	clock_engine_start(&srv);
	if (reverify_start(&srv) != 0) {
		fprintf(stderr, "deskd: cannot start the store's re-verify\n");
		goto out;
	}
	log_info("%" PRIu64 " events in the log", srv.last_seq);
	fault_guard(srv.cfg.data, false);

	event_base_dispatch(srv.base);

	/* Logins still being hashed join the last batch; a desk's import
	 * batch read ahead goes in the commit after the one before it. */
	worker_stop();
	reverify_stop();
	do
		batch_flush(&srv);
	while (!TAILQ_EMPTY(&srv.batch));
	srv.stopping = true;
	conn_close_all(&srv);
	/* A bufferevent freed in this last pass (or by the signal's) is
	 * finished by libevent in its loop: one more turn lets it. */
	clock_engine_stop(&srv);
	event_base_loop(srv.base, EVLOOP_NONBLOCK);
	log_stats(&srv, "stopped");
	rc = 0;
out:
	worker_stop();
	login_guard_stop();
	reverify_stop();
	clock_engine_stop(&srv);
	clock_set_calendar(NULL);
	calendar_free(calendar);
	if (srv.listener)
		evconnlistener_free(srv.listener);
	conn_admit_stop(&srv);
	if (srv.sig_term)
		event_free(srv.sig_term);
	if (srv.sig_int)
		event_free(srv.sig_int);
	if (srv.sig_usr1)
		event_free(srv.sig_usr1);
	if (srv.batch_ev)
		event_free(srv.batch_ev);
	if (srv.base)
		event_base_free(srv.base);
	if (srv.ssl_ctx)
		tls_ctx_free(srv.ssl_ctx);
	store_close(srv.store);
	vault_free(srv.cfg.vault);
	return rc;
}

int
main(int argc, char **argv)
{
	/* First: the settings (--help, init, verify too) are the areas'. */
	area_register_all(area_list);
	clock_rules_register();
	validate_rules_build();
	if (argc > 1 && (strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "help") == 0)) {
		usage(stdout);
		return 0;
	}
	if (argc > 1 && strcmp(argv[1], "--version") == 0) {
		printf("deskd %s\n", DESKD_VERSION);
		return 0;
	}
	if (argc > 1 && strcmp(argv[1], "init") == 0)
		return cmd_init(argc - 2, argv + 2);
	if (argc > 1 && strcmp(argv[1], "verify") == 0)
		return cmd_verify(argc - 2, argv + 2);
	if (argc > 1 && strcmp(argv[1], "backup") == 0)
		return cmd_backup(argc - 2, argv + 2);
	if (argc > 1 && strcmp(argv[1], "restore") == 0)
		return cmd_restore(argc - 2, argv + 2);
	if (argc > 1 && strcmp(argv[1], "serve") == 0)
		return cmd_serve(argc - 2, argv + 2);
	return cmd_serve(argc - 1, argv + 1);
}
