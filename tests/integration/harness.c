/* harness.c - see harness.h. */
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "harness.h"
#include "wire.h"

const char *
h_certs(void)
{
	return DESKD_TEST_CERTS;
}

const char *
h_ca(void)
{
	static char path[512];

	snprintf(path, sizeof(path), "%s/ca.pem", DESKD_TEST_CERTS);
	return path;
}

int64_t
h_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t
h_wall_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The next event `want` says yes to within timeout_ms, other frames
 * skipped and freed; NULL on timeout or a broken connection. */
static Deskd__Event *
next_wanted(struct desk *w, bool (*want)(const Deskd__Event *, const char *),
    const char *arg, int timeout_ms)
{
	int64_t until = h_now_ms() + timeout_ms;
	struct desk_frame f;

	while (h_now_ms() < until) {
		int left = (int)(until - h_now_ms());

		if (desk_recv(w, &f, left > 0 ? left : 1) != DESK_OK)
			return NULL;
		if (f.event != NULL && want(f.event, arg)) {
			Deskd__Event *e = f.event;

			f.event = NULL;
			desk_frame_free(&f);
			return e;
		}
		desk_frame_free(&f);
	}
	return NULL;
}

static bool
of_type(const Deskd__Event *e, const char *type)
{
	return strcmp(e->type, type) == 0;
}

static bool
of_alert_on(const Deskd__Event *e, const char *record)
{
	return e->alert != NULL && strcmp(e->alert->record, record) == 0;
}

Deskd__Event *
h_next_event(struct desk *d, const char *type)
{
	return next_wanted(d, of_type, type, 2000);
}

static bool
any_event(const Deskd__Event *e, const char *unused)
{
	(void)e;
	(void)unused;
	return true;
}

Deskd__Event *
h_next_any(struct desk *d, int timeout_ms)
{
	return next_wanted(d, any_event, NULL, timeout_ms);
}

Deskd__Event *
h_next_alert(struct desk *w, const char *record, int timeout_ms)
{
	return next_wanted(w, of_alert_on, record, timeout_ms);
}

Deskd__Event *
h_expect_alert(struct desk *w, const char *record, const char *type,
    int timeout_ms)
{
	Deskd__Event *e = h_next_alert(w, record, timeout_ms);

	if (e == NULL)
		fail_msg("no %s for %s within %d ms", type, record, timeout_ms);
	if (strcmp(e->type, type) != 0)
		fail_msg("wanted %s for %s, got %s (%s)", type, record, e->type,
		    e->summary);
	return e;
}

int
h_raised_count(struct server_proc *s, const char *record, int64_t min_late_ms)
{
	struct desk *w = h_login(s, ADMIN_USER, ADMIN_PASS);
	const char *types[] = { "alert." };
	Deskd__Event *e;
	int n = 0;

	assert_int_equal(desk_subscribe(w, 0, types, 1, NULL), DESK_OK);
	while ((e = h_next_alert(w, record, 700)) != NULL) {
		if (strcmp(e->type, "alert.raised") == 0 &&
		    e->alert->repeats == 0) {
			n++;
			assert_true(e->alert->late_ms >= min_late_ms);
		}
		deskd__event__free_unpacked(e, NULL);
	}
	desk_close(w);
	return n;
}

void
h_sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000 };

	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

static int
run_wait(char *const argv[], const char *env_pw, char *out, size_t outlen)
{
	int pipefd[2], status;
	pid_t pid;
	size_t got = 0;
	ssize_t n;

	if (pipe(pipefd) != 0)
		return -1;
	if ((pid = fork()) == 0) {
		dup2(pipefd[1], 1);
		dup2(pipefd[1], 2);
		close(pipefd[0]);
		if (env_pw)
			setenv("DESKD_ADMIN_PASSWORD", env_pw, 1);
		execv(argv[0], argv);
		_exit(127);
	}
	close(pipefd[1]);
	while (out && (n = read(pipefd[0], out + got, outlen - 1 - got)) > 0)
		got += (size_t)n;
	if (out)
		out[got] = '\0';
	close(pipefd[0]);
	waitpid(pid, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

/* Servers still running when a test binary exits (a failed group setup
 * skips its teardown) are killed rather than orphaned. */
#define MAX_SERVERS	8
static struct server_proc *started[MAX_SERVERS];

static void
kill_started(void)
{
	for (int i = 0; i < MAX_SERVERS; i++)
		if (started[i] != NULL && started[i]->pid > 0)
			kill(started[i]->pid, SIGKILL);
}

static void
remember(struct server_proc *s)
{
	static bool registered;

	if (!registered) {
		atexit(kill_started);
		registered = true;
	}
	for (int i = 0; i < MAX_SERVERS; i++)
		if (started[i] == s || started[i] == NULL) {
			started[i] = s;
			return;
		}
}

/* E6: an archive key per test dir, outside data/, as scripts/serve does. */
static void
make_keyfile(struct server_proc *s)
{
	uint8_t raw[32];
	FILE *r, *f;
	int fd;

	snprintf(s->keyfile, sizeof(s->keyfile), "%s/archive.key", s->dir);
	assert_non_null(r = fopen("/dev/urandom", "r"));
	assert_int_equal(fread(raw, 1, sizeof(raw), r), sizeof(raw));
	fclose(r);
	assert_true((fd = open(s->keyfile, O_WRONLY | O_CREAT | O_EXCL,
	    0600)) >= 0);
	assert_non_null(f = fdopen(fd, "w"));
	for (size_t i = 0; i < sizeof(raw); i++)
		fprintf(f, "%02x", raw[i]);
	fprintf(f, "\n");
	fclose(f);
}

void
srv_setup(struct server_proc *s, const char *const *extra)
{
	char out[1024];
	char *argv[] = { (char *)DESKD_BIN, "init", "--data", s->data,
	    "--admin", (char *)ADMIN_USER, "--pbkdf2-iterations", "1000", NULL };
	size_t i = 0;

	memset(s, 0, sizeof(*s));
	snprintf(s->dir, sizeof(s->dir), "/tmp/deskd-test-XXXXXX");
	assert_non_null(mkdtemp(s->dir));
	snprintf(s->data, sizeof(s->data), "%s/data", s->dir);
	snprintf(s->log, sizeof(s->log), "%s/deskd.log", s->dir);
	snprintf(s->port, sizeof(s->port), "0");
	argv[3] = s->data;
	if (run_wait(argv, ADMIN_PASS, out, sizeof(out)) != 0)
		fail_msg("deskd init failed: %s", out);
	make_keyfile(s);
	for (; extra && extra[i] && i < 30; i++)
		s->extra[i] = extra[i];
	s->extra[i] = NULL;
	srv_start(s);
}

/* Fork deskd with the test's settings; `ready` gets the ready file. */
static void
spawn(struct server_proc *s, char *ready, size_t readylen)
{
	char listen[64], cert[512], key[512];
	const char *argv[64];
	size_t n = 0;

	snprintf(ready, readylen, "%s/ready", s->dir);
	unlink(ready);
	snprintf(listen, sizeof(listen), "127.0.0.1:%s", s->port);
	snprintf(cert, sizeof(cert), "%s/server.pem", h_certs());
	snprintf(key, sizeof(key), "%s/server-key.pem", h_certs());
	argv[n++] = DESKD_BIN;
	argv[n++] = "--data"; argv[n++] = s->data;
	argv[n++] = "--listen"; argv[n++] = listen;
	argv[n++] = "--cert"; argv[n++] = cert;
	argv[n++] = "--key"; argv[n++] = key;
	argv[n++] = "--ready-file"; argv[n++] = ready;
	argv[n++] = "--pbkdf2-iterations"; argv[n++] = "1000";
	argv[n++] = "--login-delay"; argv[n++] = "50ms";
	/* G5 is off unless a test turns it on (its extra come after): the
	 * suite's schedules put people on posts untrained. */
	argv[n++] = "--before-first-shift"; argv[n++] = "off";
	if (*s->keyfile) {
		argv[n++] = "--archive-key"; argv[n++] = s->keyfile;
	}
	for (size_t i = 0; s->extra[i] && n < 60; i++)
		argv[n++] = s->extra[i];
	argv[n] = NULL;

	if ((s->pid = fork()) == 0) {
		int fd = open(s->log, O_WRONLY | O_CREAT | O_APPEND, 0600);

		/* A test that aborts (a sanitizer, a failed assert in a
		 * child) takes its deskd with it, rather than leave it
		 * running after the suite. */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (s->nofile != 0) {
			struct rlimit rl = { s->nofile, s->nofile };

			setrlimit(RLIMIT_NOFILE, &rl);
		}

		if (fd >= 0) {
			dup2(fd, 2);
			dup2(fd, 1);
		}
		execv(DESKD_BIN, (char *const *)argv);
		_exit(127);
	}
	assert_true(s->pid > 0);
	remember(s);
}

int
srv_start_fails(struct server_proc *s)
{
	char ready[320];
	int status;

	spawn(s, ready, sizeof(ready));
	for (int i = 0; i < 1000; i++) {
		if (access(ready, F_OK) == 0)
			fail_msg("deskd started, expected it to refuse; see %s",
			    s->log);
		if (waitpid(s->pid, &status, WNOHANG) == s->pid) {
			s->pid = 0;
			return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
		}
		h_sleep_ms(10);
	}
	fail_msg("deskd neither started nor exited; see %s", s->log);
	return -1;
}

void
srv_start(struct server_proc *s)
{
	char ready[320];
	FILE *f;

	spawn(s, ready, sizeof(ready));
	for (int i = 0; i < 1000; i++) {
		if ((f = fopen(ready, "r")) != NULL) {
			char *colon;

			if (fgets(s->addr, sizeof(s->addr), f) != NULL) {
				s->addr[strcspn(s->addr, "\n")] = '\0';
				if ((colon = strrchr(s->addr, ':')) != NULL)
					snprintf(s->port, sizeof(s->port), "%s",
					    colon + 1);
			}
			fclose(f);
			return;
		}
		if (!srv_alive(s))
			fail_msg("deskd exited at startup; see %s", s->log);
		h_sleep_ms(10);
	}
	fail_msg("deskd did not become ready; see %s", s->log);
}

bool
srv_log_has(struct server_proc *s, const char *what)
{
	char line[1024];
	bool found = false;
	FILE *f = fopen(s->log, "r");

	if (f == NULL)
		return false;
	while (!found && fgets(line, sizeof(line), f) != NULL)
		found = strstr(line, what) != NULL;
	fclose(f);
	return found;
}

bool
srv_alive(struct server_proc *s)
{
	int status;

	if (s->pid <= 0)
		return false;
	if (waitpid(s->pid, &status, WNOHANG) == s->pid) {
		s->pid = 0;
		return false;
	}
	return true;
}

void
srv_stop(struct server_proc *s)
{
	int status;

	if (s->pid <= 0)
		return;
	kill(s->pid, SIGTERM);
	for (int i = 0; i < 500; i++) {
		if (waitpid(s->pid, &status, WNOHANG) == s->pid) {
			s->pid = 0;
			s->status = status;
			return;
		}
		h_sleep_ms(10);
	}
	kill(s->pid, SIGKILL);
	waitpid(s->pid, &status, 0);
	s->pid = 0;
	s->status = status;
	fail_msg("deskd did not stop on SIGTERM within 5 s");
}

/* The log's last "stats:" line (from " stats: ", "" when none) and how
 * many there are. */
static int
last_stats_line(const char *log, char *out, size_t len)
{
	char line[1024], *p;
	int n = 0;
	FILE *f;

	out[0] = '\0';
	if ((f = fopen(log, "r")) == NULL)
		return 0;
	while (fgets(line, sizeof(line), f) != NULL)
		if ((p = strstr(line, " stats: ")) != NULL) {
			snprintf(out, len, "%s", p);
			n++;
		}
	fclose(f);
	return n;
}

void
srv_counters(struct server_proc *s, uint64_t *requests, uint64_t *commits)
{
	char line[1024];
	int before = last_stats_line(s->log, line, sizeof(line));

	assert_true(s->pid > 0);
	kill(s->pid, SIGUSR1);
	for (int i = 0; i < 500; i++) {
		if (last_stats_line(s->log, line, sizeof(line)) > before) {
			assert_int_equal(sscanf(line, " stats: %*u connections "
			    "served, %" SCNu64 " requests, %" SCNu64 " commits",
			    requests, commits), 2);
			return;
		}
		h_sleep_ms(10);
	}
	fail_msg("deskd logged no stats line on SIGUSR1; see %s", s->log);
}

void
srv_commit_times(struct server_proc *s, double *mean_ms, double *longest_ms)
{
	char line[1024];
	const char *p;

	last_stats_line(s->log, line, sizeof(line));
	assert_non_null(p = strstr(line, " catch-up slices, "));
	assert_int_equal(sscanf(p, " catch-up slices, %lf ms a commit "
	    "(longest %lf ms)", mean_ms, longest_ms), 2);
}

void
srv_kill9(struct server_proc *s)
{
	int status;

	if (s->pid <= 0)
		return;
	kill(s->pid, SIGKILL);
	waitpid(s->pid, &status, 0);
	s->pid = 0;
	s->status = status;
}

void
srv_teardown(struct server_proc *s)
{
	char cmd[400], out[1024] = "";
	bool damaged = s->damaged, running = s->pid > 0;

	srv_stop(s);
	/* Stopped by SIGTERM, deskd exits 0; under ASan a leak at exit makes
	 * it fail (abort_on_error), which its log alone would not show. */
	if (running && (!WIFEXITED(s->status) || WEXITSTATUS(s->status) != 0))
		fail_msg("deskd ended with status %d on SIGTERM (a leak under "
		    "ASan says so at the end of %s)", s->status, s->log);
	/* C9: whatever a test did through deskd, the store still proves
	 * every record against the log (a test that damaged it on purpose
	 * says so). */
	if (!damaged && s->data[0] != '\0' && srv_verify(s, out,
	    sizeof(out)) != 0) {
		fprintf(stderr, "deskd verify after the test: %s", out);
		s->damaged = true;
		fail_msg("deskd verify failed after the test: %s", out);
	}
	if (getenv("DESKD_TEST_KEEP") == NULL) {
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", s->dir);
		if (system(cmd) != 0)
			fprintf(stderr, "could not remove %s\n", s->dir);
	}
}

long
srv_status_kib(struct server_proc *s, const char *field)
{
	char path[64], line[256], name[64];
	size_t len = strlen(field);
	long kib = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)s->pid);
	if ((f = fopen(path, "r")) == NULL)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (strncmp(line, field, len) == 0 && line[len] == ':' &&
		    sscanf(line, "%63[^:]: %ld kB", name, &kib) == 2)
			break;
	fclose(f);
	return kib;
}

long
srv_cpu_ms(struct server_proc *s)
{
	unsigned long ut = 0, st = 0;
	char path[64];
	FILE *f;
	int n;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)s->pid);
	if ((f = fopen(path, "r")) == NULL)
		return -1;
	/* Fields 14 and 15; the command name (field 2) has no spaces here. */
	n = fscanf(f, "%*d %*s %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u "
	    "%lu %lu", &ut, &st);
	fclose(f);
	return n == 2 ? (long)((ut + st) * 1000 / (unsigned long)
	    sysconf(_SC_CLK_TCK)) : -1;
}

#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN	1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN	1
#endif
#endif

char *
h_asan_small_quarantine(void)
{
#ifdef UNDER_ASAN
	const char *old = getenv("ASAN_OPTIONS");
	char opts[512], *saved = strdup(old ? old : "");

	snprintf(opts, sizeof(opts), "%s%squarantine_size_mb=8",
	    old ? old : "", old && *old ? ":" : "");
	setenv("ASAN_OPTIONS", opts, 1);
	return saved;
#else
	return NULL;
#endif
}

long
srv_rss_kib(struct server_proc *s)
{
	return srv_status_kib(s, "VmRSS");
}

int
srv_verify(struct server_proc *s, char *out, size_t len)
{
	char *argv[] = { (char *)DESKD_BIN, "verify", "--data", s->data, NULL };

	return run_wait(argv, NULL, out, len);
}

struct desk *
h_connect(struct server_proc *s)
{
	struct desk_opts o = { 0 };
	struct desk *d;

	o.server = s->addr;
	o.ca_file = h_ca();
	o.client_name = "deskd-test";
	/* Generous: sanitizer builds on a busy 2-core machine are slow, and
	 * some tests hash passwords at a deliberately high cost. */
	o.timeout_ms = 30000;
	if (desk_connect(&d, &o) != DESK_OK) {
		print_error("connect: %s\n", desk_error(d));
		desk_close(d);
		return NULL;
	}
	return d;
}

struct desk *
h_login(struct server_proc *s, const char *user, const char *pw)
{
	struct desk *d = h_connect(s);

	assert_non_null(d);
	if (desk_login(d, user, pw, NULL, NULL) != DESK_OK)
		fail_msg("login %s: %s", user, desk_error(d));
	return d;
}

void
h_add_user(struct server_proc *s, const char *name, const char *role,
    const char *pw)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__UserAdd a = DESKD__USER_ADD__INIT;
	struct desk *d = h_login(s, ADMIN_USER, ADMIN_PASS);
	char msg[256];

	a.name = (char *)name;
	a.role = (char *)role;
	a.password = (char *)pw;
	req.body_case = DESKD__REQUEST__BODY_USER_ADD;
	req.user_add = &a;
	if (h_call_status(d, &req, msg, sizeof(msg)) != DESKD__STATUS__OK)
		fail_msg("user add %s: %s", name, msg);
	desk_close(d);
}

void
h_draft_rota(struct desk *sup, uint32_t month, uint32_t days,
    const char *const who[3])
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__ScheduleDraft dr = DESKD__SCHEDULE_DRAFT__INIT;
	Deskd__ScheduleSet set = DESKD__SCHEDULE_SET__INIT;
	Deskd__Assignment a[31 * 3], *ap[31 * 3];
	char msg[256];

	assert_true(days >= 1 && days <= 31);
	dr.month = set.month = month;
	req.body_case = DESKD__REQUEST__BODY_SCHEDULE_DRAFT;
	req.schedule_draft = &dr;
	if (h_call_status(sup, &req, msg, sizeof(msg)) != DESKD__STATUS__OK)
		fail_msg("schedule draft %u: %s", month, msg);
	for (uint32_t i = 0; i < days * 3; i++) {
		deskd__assignment__init(&a[i]);
		a[i].day = i / 3 + 1;
		a[i].shift = i % 3;
		a[i].user = (char *)who[i % 3];
		ap[i] = &a[i];
	}
	set.n_assignments = days * 3;
	set.assignments = ap;
	req.body_case = DESKD__REQUEST__BODY_SCHEDULE_SET;
	req.schedule_set = &set;
	if (h_call_status(sup, &req, msg, sizeof(msg)) != DESKD__STATUS__OK)
		fail_msg("schedule set %u: %s", month, msg);
}

void
h_publish_rota(struct desk *sup, uint32_t month, uint32_t days,
    const char *const who[3])
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__SchedulePublish pub = DESKD__SCHEDULE_PUBLISH__INIT;
	char msg[256];

	h_draft_rota(sup, month, days, who);
	pub.month = month;
	req.body_case = DESKD__REQUEST__BODY_SCHEDULE_PUBLISH;
	req.schedule_publish = &pub;
	if (h_call_status(sup, &req, msg, sizeof(msg)) != DESKD__STATUS__OK)
		fail_msg("schedule publish %u: %s", month, msg);
}

uint32_t
h_month_of(int64_t ms)
{
	time_t t = (time_t)(ms / 1000 + 8 * 3600);
	struct tm tm;

	gmtime_r(&t, &tm);
	return (uint32_t)(tm.tm_year + 1900) * 100 + (uint32_t)tm.tm_mon + 1;
}

static uint32_t
month_days(uint32_t month)
{
	static const uint32_t d[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };
	uint32_t y = month / 100, m = month % 100;

	if (m == 2 && (y % 4 != 0 || (y % 100 == 0 && y % 400 != 0)))
		return 28;
	return d[m - 1];
}

void
h_publish_posts(struct desk *sup, uint32_t month,
    const char *const *const who[], size_t nposts)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__ScheduleDraft dr = DESKD__SCHEDULE_DRAFT__INIT;
	Deskd__ScheduleSet set = DESKD__SCHEDULE_SET__INIT;
	Deskd__SchedulePublish pub = DESKD__SCHEDULE_PUBLISH__INIT;
	Deskd__Assignment *as, **ap;
	size_t n = 0, max = 31 * 3 * nposts;
	char msg[256];

	as = calloc(max, sizeof(*as));
	ap = calloc(max, sizeof(*ap));
	assert_non_null(as);
	assert_non_null(ap);
	dr.month = set.month = pub.month = month;
	req.body_case = DESKD__REQUEST__BODY_SCHEDULE_DRAFT;
	req.schedule_draft = &dr;
	if (h_call_status(sup, &req, msg, sizeof(msg)) != DESKD__STATUS__OK)
		fail_msg("schedule draft %u: %s", month, msg);
	for (uint32_t day = 1; day <= month_days(month); day++)
		for (size_t p = 0; p < nposts; p++)
			for (uint32_t s = 0; s < 3; s++) {
				deskd__assignment__init(&as[n]);
				as[n].day = day;
				as[n].shift = s;
				as[n].post = (uint32_t)p;
				as[n].user = (char *)who[p][s];
				ap[n] = &as[n];
				n++;
			}
	set.assignments = ap;
	set.n_assignments = n;
	req.body_case = DESKD__REQUEST__BODY_SCHEDULE_SET;
	req.schedule_set = &set;
	if (h_call_status(sup, &req, msg, sizeof(msg)) != DESKD__STATUS__OK)
		fail_msg("schedule set %u: %s", month, msg);
	req.body_case = DESKD__REQUEST__BODY_SCHEDULE_PUBLISH;
	req.schedule_publish = &pub;
	if (h_call_status(sup, &req, msg, sizeof(msg)) != DESKD__STATUS__OK)
		fail_msg("schedule publish %u: %s", month, msg);
	free(as);
	free(ap);
}

int
h_tcp(struct server_proc *s)
{
	struct sockaddr_in sin;
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons((uint16_t)atoi(s->port));
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sin, sizeof(sin)) != 0) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

Deskd__Status
h_call_status(struct desk *d, const Deskd__Request *req, char *msg,
    size_t msglen)
{
	Deskd__Response *resp = NULL;
	Deskd__Status st;
	int rc = desk_call(d, req, &resp);

	if (resp == NULL) {
		if (msg)
			snprintf(msg, msglen, "no response: %s (rc %d)",
			    desk_error(d), rc);
		return (Deskd__Status)-1;
	}
	st = resp->status;
	if (msg)
		snprintf(msg, msglen, "%s", resp->message);
	deskd__response__free_unpacked(resp, NULL);
	return st;
}

Deskd__Response *
h_expect(struct desk *d, const Deskd__Request *req, Deskd__Status want)
{
	Deskd__Response *resp;

	if (h_call(d, req, &resp) != want)
		fail_msg("status %d, want %d: %s", resp->status, want,
		    resp->message);
	return resp;
}

void
h_expect_free(struct desk *d, const Deskd__Request *req, Deskd__Status want)
{
	deskd__response__free_unpacked(h_expect(d, req, want), NULL);
}

Deskd__Status
h_call(struct desk *d, const Deskd__Request *req, Deskd__Response **resp)
{
	Deskd__Response *r = NULL;
	Deskd__Status st;

	desk_call(d, req, &r);
	if (r == NULL)
		fail_msg("no response: %s", desk_error(d));
	st = r->status;
	if (resp)
		*resp = r;
	else
		deskd__response__free_unpacked(r, NULL);
	return st;
}

void
h_free(Deskd__Response *r)
{
	if (r != NULL)
		deskd__response__free_unpacked(r, NULL);
}

Deskd__Response *
h_punch(struct desk *d, bool in, Deskd__Status want)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__ClockIn ci = DESKD__CLOCK_IN__INIT;
	Deskd__ClockOut co = DESKD__CLOCK_OUT__INIT;

	if (in) {
		req.body_case = DESKD__REQUEST__BODY_CLOCK_IN;
		req.clock_in = &ci;
	} else {
		req.body_case = DESKD__REQUEST__BODY_CLOCK_OUT;
		req.clock_out = &co;
	}
	return h_expect(d, &req, want);
}

void
h_log_add(struct desk *d, uint32_t day)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__DutyLogAdd a = DESKD__DUTY_LOG_ADD__INIT;

	a.text = "巡查正常";
	a.record = "";
	a.day = day;
	req.body_case = DESKD__REQUEST__BODY_LOG_ADD;
	req.log_add = &a;
	h_expect_free(d, &req, DESKD__STATUS__OK);
}

uint64_t
h_complaint(struct desk *d, const char *unit, const char *text,
    Deskd__Status *st)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__ComplaintNew n = DESKD__COMPLAINT_NEW__INIT;
	Deskd__Response *resp = NULL;
	uint64_t id = 0;

	n.unit = (char *)unit;
	n.complainant = "王女士";
	n.phone = "13800000000";
	n.category = "noise";
	n.text = (char *)text;
	req.body_case = DESKD__REQUEST__BODY_COMPLAINT_NEW;
	req.complaint_new = &n;
	desk_call(d, &req, &resp);
	if (st)
		*st = resp ? resp->status : (Deskd__Status)-1;
	if (resp && resp->status == DESKD__STATUS__OK &&
	    resp->body_case == DESKD__RESPONSE__BODY_COMPLAINT)
		id = resp->complaint->id;
	if (resp)
		deskd__response__free_unpacked(resp, NULL);
	return id;
}

uint64_t
h_repair(struct desk *d, const char *unit, const char *phone,
    const char *text, const char *engineer)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__RepairNew n = DESKD__REPAIR_NEW__INIT;
	Deskd__RepairStep s = DESKD__REPAIR_STEP__INIT;
	Deskd__Response *r;

	n.kind = DESKD__WORK_KIND__KIND_REPAIR;
	n.unit = (char *)unit;
	n.name = "李先生";
	n.phone = (char *)phone;
	n.text = (char *)text;
	req.body_case = DESKD__REQUEST__BODY_REPAIR_NEW;
	req.repair_new = &n;
	r = h_expect(d, &req, DESKD__STATUS__OK);
	s.id = r->work_order->id;
	deskd__response__free_unpacked(r, NULL);
	if (engineer != NULL) {
		s.action = DESKD__REPAIR_ACTION__REPAIR_DISPATCH;
		s.engineer = (char *)engineer;
		req.body_case = DESKD__REQUEST__BODY_REPAIR_STEP;
		req.repair_step = &s;
		h_expect_free(d, &req, DESKD__STATUS__OK);
	}
	return s.id;
}

Deskd__Status
h_step(struct desk *d, uint64_t id, Deskd__ComplaintAction a,
    const char *text, int64_t next_reply_ms, uint32_t satisfaction)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__ComplaintStep s = DESKD__COMPLAINT_STEP__INIT;

	s.id = id;
	s.action = a;
	s.text = (char *)(text ? text : "");
	s.next_reply_ms = next_reply_ms;
	s.satisfaction = satisfaction;
	if (a == DESKD__COMPLAINT_ACTION__ACTION_ASSIGN)
		s.dept = "工程部";
	req.body_case = DESKD__REQUEST__BODY_COMPLAINT_STEP;
	req.complaint_step = &s;
	return h_call_status(d, &req, NULL, 0);
}

Deskd__Complaint *
h_get(struct desk *d, uint64_t id)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__ComplaintGet g = DESKD__COMPLAINT_GET__INIT;
	Deskd__Response *resp = NULL;
	Deskd__Complaint *c = NULL;

	g.id = id;
	req.body_case = DESKD__REQUEST__BODY_COMPLAINT_GET;
	req.complaint_get = &g;
	if (desk_call(d, &req, &resp) == DESK_OK &&
	    resp->body_case == DESKD__RESPONSE__BODY_COMPLAINT) {
		c = resp->complaint;
		resp->complaint = NULL;
	}
	if (resp)
		deskd__response__free_unpacked(resp, NULL);
	return c;
}

int
h_send_frame(struct desk *d, uint8_t version, uint8_t kind, uint16_t flags,
    uint32_t id, uint32_t length, const void *payload, size_t payload_len)
{
	uint8_t hdr[WIRE_HEADER_LEN];
	struct wire_header h = { version, kind, flags, id, length };
	int rc;

	wire_header_encode(hdr, &h);
	if ((rc = desk_write_raw(d, hdr, sizeof(hdr))) != DESK_OK)
		return rc;
	if (payload_len > 0)
		return desk_write_raw(d, payload, payload_len);
	return DESK_OK;
}

void
h_staff_up(struct server_proc *s, const char *pw, struct h_staff *st)
{
	h_add_user(s, "clerk1", "clerk", pw);
	h_add_user(s, "sup1", "supervisor", pw);
	h_add_user(s, "dir1", "director", pw);
	h_add_user(s, "eng1", "engineer", pw);
	st->admin = h_login(s, ADMIN_USER, ADMIN_PASS);
	st->clerk = h_login(s, "clerk1", pw);
	st->sup = h_login(s, "sup1", pw);
	st->dir = h_login(s, "dir1", pw);
	st->eng = h_login(s, "eng1", pw);
}

void
h_staff_down(struct h_staff *st)
{
	desk_close(st->admin);
	desk_close(st->clerk);
	desk_close(st->sup);
	desk_close(st->dir);
	desk_close(st->eng);
	memset(st, 0, sizeof(*st));
}

void
h_office_up(struct server_proc *s, const char *const *extra, const char *pw,
    struct h_staff *st)
{
	srv_setup(s, extra);
	h_staff_up(s, pw, st);
}

void
h_office_down(struct server_proc *s, struct h_staff *st)
{
	h_staff_down(st);
	srv_teardown(s);
}
