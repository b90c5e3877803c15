/*
 * bench_deskd.c - the deskd under test and the desks that talk to it:
 * starting and stopping deskd, reading its memory and CPU from /proc,
 * connecting and logging in desks, the complaint every figure sends, a
 * watcher's loop, pipelined loads and the desk command as a desk runs it.
 */
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"

char	 tmp_root[64];
char	 certs_dir[512];
char	 ca_file[600];

/* ---------- the server under test ---------- */

bool
srv_alive(struct server *s)
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
srv_stop(struct server *s)
{
	proc_stop(&s->pid, "deskd", 10000);
}

/* The run's dir and `deskd init` in it; 0 when the store is made. */
int
srv_prepare(struct server *s, const struct opts *o, const char *name)
{
	char *init_argv[] = { (char *)o->deskd, "init", "--data", s->data,
	    "--admin", ADMIN_USER, NULL };

	memset(s, 0, sizeof(*s));
	snprintf(s->dir, sizeof(s->dir), "%s/%s", tmp_root, name);
	snprintf(s->data, sizeof(s->data), "%s/data", s->dir);
	snprintf(s->log, sizeof(s->log), "%s/deskd.log", s->dir);
	snprintf(s->ready, sizeof(s->ready), "%s/ready", s->dir);
	init_argv[3] = s->data;
	if (mkdir(s->dir, 0700) != 0) {
		warnx_("mkdir %s: %s", s->dir, strerror(errno));
		return -1;
	}
	if (run_wait(init_argv, s->log, ADMIN_PASS) != 0) {
		warnx_("deskd init failed; see %s", s->log);
		return -1;
	}
	return 0;
}

#define SRV_EXTRA_MAX	16

/*
 * Serve the prepared store on an ephemeral port, with `extra` (NULL or
 * NULL-terminated) appended to the command line; 0 once it is ready.  The
 * ready file is polled every poll_ms: 1 when the start itself is timed.
 * A second start of the same store works: the old ready file goes first.
 */
int
srv_launch(struct server *s, const struct opts *o, const char *const *extra,
    int poll_ms)
{
	char cert[640], key[640];
	/* Every bench desk is the admin, and every one comes from 127.0.0.1:
	 * no cap on one user's connections, nor on one address's not yet
	 * logged in (the login flood's guessers would evict each other).
	 * Its schedules' staff are untrained: G5's check is off. */
	char *argv[17 + SRV_EXTRA_MAX + 1] = { (char *)o->deskd, "--data",
	    s->data, "--listen", "127.0.0.1:0", "--cert", cert, "--key", key,
	    "--ready-file", s->ready, "--max-conns-per-user", "0",
	    "--max-unauth-per-source", "0", "--before-first-shift", "off",
	    NULL };
	int fd, n = 17;

	snprintf(cert, sizeof(cert), "%s/server.pem", certs_dir);
	snprintf(key, sizeof(key), "%s/server-key.pem", certs_dir);
	for (int i = 0; extra != NULL && extra[i] != NULL; i++) {
		if (n == 17 + SRV_EXTRA_MAX) {
			warnx_("too many deskd options");
			return -1;
		}
		argv[n++] = (char *)extra[i];
	}
	argv[n] = NULL;
	s->pid = 0;
	s->addr[0] = '\0';
	if (unlink(s->ready) != 0 && errno != ENOENT) {
		warnx_("unlink %s: %s", s->ready, strerror(errno));
		return -1;
	}
	/* Durable commits on purpose: no no-sync option, ever. */
	if ((s->pid = fork()) == -1) {
		warnx_("fork: %s", strerror(errno));
		return -1;
	}
	if (s->pid == 0) {
		if ((fd = open(s->log, O_WRONLY | O_CREAT | O_APPEND,
		    0600)) >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
			close(fd);
		}
		execv(argv[0], argv);
		_exit(127);
	}
	for (int waited = 0; waited < READY_WAIT_MS; waited += poll_ms) {
		FILE *f;

		if ((f = fopen(s->ready, "r")) != NULL) {
			if (fgets(s->addr, sizeof(s->addr), f) == NULL)
				s->addr[0] = '\0';
			fclose(f);
			s->addr[strcspn(s->addr, "\n")] = '\0';
			if (*s->addr)
				return 0;
		}
		if (!srv_alive(s)) {
			warnx_("deskd exited at startup; see %s", s->log);
			return -1;
		}
		sleep_ms(poll_ms);
	}
	warnx_("deskd not ready after %d ms; see %s", READY_WAIT_MS, s->log);
	srv_stop(s);
	return -1;
}

/* `deskd init`, then serve on an ephemeral port; 0 once it is ready. */
int
srv_start(struct server *s, const struct opts *o, const char *name)
{
	if (srv_prepare(s, o, name) != 0)
		return -1;
	return srv_launch(s, o, NULL, 10);
}

/*
 * Start the store again `runs` times (it must be stopped), each timed from
 * the fork until ready and until first(d, arg) is answered on a new desk
 * logged in with token: the medians (and the slowest first answer), and
 * deskd's memory after the last, which is left running.  0, or -1 with
 * the reason printed.
 */
int
srv_restart_timed(struct server *s, const struct opts *o,
    const char *const *extra, const char *token, int runs,
    int (*first)(struct desk *, void *), void *arg, struct restart_times *r)
{
	double first_ms[RESTART_RUNS_MAX], ready_ms[RESTART_RUNS_MAX];
	struct desk *d;
	int64_t t0;
	int rc;

	memset(r, 0, sizeof(*r));
	if (runs < 1 || runs > RESTART_RUNS_MAX)
		return -1;
	for (int i = 0; i < runs; i++) {
		if (i > 0)
			srv_stop(s);
		t0 = mono_ns();
		if (srv_launch(s, o, extra, 1) != 0)
			return -1;
		ready_ms[i] = (double)(mono_ns() - t0) / 1e6;
		if ((d = bench_token_login(s, token, 1)) == NULL)
			return -1;
		rc = first(d, arg);
		first_ms[i] = (double)(mono_ns() - t0) / 1e6;
		desk_close(d);
		if (rc != 0)
			return -1;
	}
	r->anon_kib = srv_status_kib(s, "RssAnon");
	r->rss_kib = srv_status_kib(s, "VmRSS");
	if (r->anon_kib < 0 || r->rss_kib < 0) {
		warnx_("cannot read deskd's memory");
		return -1;
	}
	qsort(first_ms, (size_t)runs, sizeof(first_ms[0]), cmp_double);
	qsort(ready_ms, (size_t)runs, sizeof(ready_ms[0]), cmp_double);
	r->first_ms = first_ms[runs / 2];
	r->first_max_ms = first_ms[runs - 1];
	r->ready_ms = ready_ms[runs / 2];
	return 0;
}

/* A "Name:  N kB" line of /proc/PID/status, or -1. */
/* A kB line of /proc/PID/status ("VmRSS", "RssAnon"), or -1. */
long
pid_status_kib(pid_t pid, const char *name)
{
	char path[64], line[256];
	size_t len = strlen(name);
	long kib = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	if ((f = fopen(path, "r")) == NULL)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (strncmp(line, name, len) == 0 && line[len] == ':' &&
		    sscanf(line + len + 1, "%ld kB", &kib) == 1)
			break;
	fclose(f);
	return kib;
}

/* Is the process running the program `comm` (past its exec)? */
bool
pid_is(pid_t pid, const char *comm)
{
	char path[64], line[64] = "";
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/comm", (int)pid);
	if ((f = fopen(path, "r")) == NULL)
		return false;
	if (fgets(line, sizeof(line), f) == NULL)
		line[0] = '\0';
	fclose(f);
	line[strcspn(line, "\n")] = '\0';
	return strcmp(line, comm) == 0;
}

long
srv_status_kib(const struct server *s, const char *name)
{
	return pid_status_kib(s->pid, name);
}

long
srv_rss_kib(const struct server *s)
{
	return srv_status_kib(s, "VmRSS");
}

/* The counters deskd logs when it stops, and the mean time of a commit;
 * zeros when not found. */
void
srv_stats(const struct server *s, uint64_t *requests, uint64_t *commits,
    double *commit_ms)
{
	char line[1024], *p;
	FILE *f;

	*requests = *commits = 0;
	*commit_ms = 0;
	if ((f = fopen(s->log, "r")) == NULL)
		return;
	while (fgets(line, sizeof(line), f) != NULL) {
		if ((p = strstr(line, "stopped: ")) == NULL)
			continue;
		if (sscanf(p, "stopped: %*u connections served, %" SCNu64
		    " requests, %" SCNu64 " commits", requests, commits) != 2)
			*requests = *commits = 0;
		if ((p = strstr(p, " catch-up slices, ")) == NULL ||
		    sscanf(p, " catch-up slices, %lf ms a commit",
		    commit_ms) != 1)
			*commit_ms = 0;
	}
	fclose(f);
}

/* CPU seconds deskd has used so far (user + system), or -1. */
double
srv_cpu_s(const struct server *s)
{
	char path[64], buf[1024], *p;
	unsigned long long ut, st;
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)s->pid);
	if ((f = fopen(path, "r")) == NULL)
		return -1;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	/* The command name may hold spaces: fields count from its ')'. */
	if ((p = strrchr(buf, ')')) == NULL || sscanf(p + 2,
	    "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu",
	    &ut, &st) != 2)
		return -1;
	return (double)(ut + st) / (double)sysconf(_SC_CLK_TCK);
}

/* CPU seconds this process (every thread) has used so far. */
static double
self_cpu_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* CPU use over a window, in cores, to show who had the machine. */
void
cpu_mark(struct cpu_mark *m, const struct server *s)
{
	m->wall = mono_ns();
	m->srv = srv_cpu_s(s);
	m->self = self_cpu_s();
}

void
cpu_cores(const struct cpu_mark *a, const struct cpu_mark *b,
    double *srv, double *self)
{
	double wall = (double)(b->wall - a->wall) / 1e9;

	*srv = wall > 0 ? (b->srv - a->srv) / wall : 0;
	*self = wall > 0 ? (b->self - a->self) / wall : 0;
}

/* ---------- desks ---------- */

/* Connected (TLS + Hello) desk, or NULL with the reason printed.  The
 * main thread connects every desk before the clock starts, so connecting
 * is never part of a timed figure (except idle's connect_per_s). */
struct desk *
bench_connect_wait(const struct server *s, const char *desk_name,
    int timeout_ms)
{
	struct desk_opts o = { 0 };
	struct desk *d;

	o.server = s->addr;
	o.ca_file = ca_file;
	o.client_name = "deskd-bench";
	o.desk_name = desk_name;
	o.timeout_ms = timeout_ms;
	if (desk_connect(&d, &o) != DESK_OK) {
		warnx_("connect %s: %s", s->addr, desk_error(d));
		desk_close(d);
		return NULL;
	}
	return d;
}

struct desk *
bench_connect(const struct server *s, const char *desk_name)
{
	return bench_connect_wait(s, desk_name, CALL_TIMEOUT_MS);
}

/* Log in as admin with the password (slow on purpose: PBKDF2) and return
 * the desk; the session token goes to token for every other desk. */
struct desk *
bench_password_login(const struct server *s, char *token, size_t len)
{
	Deskd__LoginOk *ok = NULL;
	struct desk *d;

	if ((d = bench_connect(s, "bench-0")) == NULL)
		return NULL;
	if (desk_login(d, ADMIN_USER, ADMIN_PASS, NULL, &ok) != DESK_OK ||
	    ok == NULL || *ok->token == '\0') {
		warnx_("password login: %s", desk_error(d));
		if (ok)
			deskd__login_ok__free_unpacked(ok, NULL);
		desk_close(d);
		return NULL;
	}
	snprintf(token, len, "%s", ok->token);
	deskd__login_ok__free_unpacked(ok, NULL);
	return d;
}

struct desk *
bench_token_login(const struct server *s, const char *token, int i)
{
	char name[32];
	struct desk *d;

	snprintf(name, sizeof(name), "bench-%d", i);
	if ((d = bench_connect(s, name)) == NULL)
		return NULL;
	if (desk_login(d, NULL, NULL, token, NULL) != DESK_OK) {
		warnx_("token login (desk %d): %s", i, desk_error(d));
		desk_close(d);
		return NULL;
	}
	return d;
}

void
fill_complaint(Deskd__ComplaintNew *n, char *unit, size_t unitlen,
    char *who, size_t wholen, int desk, uint32_t i)
{
	deskd__complaint_new__init(n);
	snprintf(unit, unitlen, "%d-%02d-%04u", desk % 30 + 1, desk % 24 + 1,
	    i % 10000);
	snprintf(who, wholen, "bench-%u", i);
	n->source = "customer";
	n->unit = unit;
	n->complainant = who;
	n->phone = "13800000000";
	n->channel = "phone";
	n->category = "noise";
	n->text = "楼上装修噪音从早上七点持续到晚上十点，已经连续三天，"
	    "影响老人和孩子休息。";
	n->demand = "请物业协调施工时间";
}

int
send_complaint(struct desk *d, int desk, uint32_t i)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__ComplaintNew n;
	char unit[32], who[32];

	fill_complaint(&n, unit, sizeof(unit), who, sizeof(who), desk, i);
	req.body_case = DESKD__REQUEST__BODY_COMPLAINT_NEW;
	req.complaint_new = &n;
	return desk_send(d, &req, NULL);
}

/*
 * A watching desk's thread: until the goal's deadline (mono ns), or until
 * the writers are done and every event they expect came, hand each event
 * to on_event.  Short waits, so the loop notices when the writers are
 * done; failed, with the reason in err, when the connection fails.
 */
void *
watcher_run(void *arg)
{
	struct watcher *w = arg;
	struct desk_frame f;
	int rc;

	while (mono_ns() < w->goal->deadline &&
	    !(atomic_load(&w->goal->writers_done) &&
	    w->got >= atomic_load(&w->goal->expected))) {
		rc = desk_recv(w->d, &f, 100);
		if (rc == DESK_TIMEOUT)
			continue;
		if (rc != DESK_OK) {
			w->failed = true;
			snprintf(w->err, sizeof(w->err), "%s",
			    desk_error(w->d));
			break;
		}
		if (f.kind == WIRE_EVENT && f.event != NULL)
			w->on_event(w, f.event);
		desk_frame_free(&f);
	}
	return NULL;
}

/*
 * An open-loop creator: complaint i is due at start + (i * stride + desk)
 * * gap, sent when due whether or not the replies keep up, its ack read
 * in between, but never later than the next send.  0, or -1 when the
 * connection failed or the last ack did not come (desk_error says).
 */
int
open_loop_create(struct open_loop *c)
{
	struct desk_frame f;
	uint32_t i = 0, inflight = 0;
	int64_t now, next, wait;
	int rc;

	while (i < c->n || inflight > 0) {
		now = mono_ns();
		next = c->start + ((int64_t)i * c->stride + c->desk) * c->gap;
		if (i < c->n && now >= next) {
			if (c->on_send != NULL)
				c->on_send(c, i);
			if (send_complaint(c->d, c->desk, i) != DESK_OK)
				return -1;
			i++;
			inflight++;
			continue;
		}
		if (inflight == 0) {
			sleep_until(next);
			continue;
		}
		wait = i < c->n ? (next - now) / 1000000 : CALL_TIMEOUT_MS;
		rc = desk_recv(c->d, &f, wait < 1 ? 1 : (int)wait);
		if (rc == DESK_TIMEOUT) {
			if (i >= c->n)
				return -1;
			continue;
		}
		if (rc != DESK_OK)
			return -1;
		if (f.kind == WIRE_RESPONSE) {
			inflight--;
			c->on_reply(c, f.response);
		}
		desk_frame_free(&f);
	}
	return 0;
}

/* One complaint through desk_call; its id, or 0 with the reason printed. */
uint64_t
create_one(struct desk *d)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__ComplaintNew n;
	Deskd__Response *resp = NULL;
	char unit[32], who[32];
	uint64_t id = 0;

	fill_complaint(&n, unit, sizeof(unit), who, sizeof(who), 0, 0);
	req.body_case = DESKD__REQUEST__BODY_COMPLAINT_NEW;
	req.complaint_new = &n;
	if (desk_call(d, &req, &resp) == DESK_OK &&
	    resp->body_case == DESKD__RESPONSE__BODY_COMPLAINT)
		id = resp->complaint->id;
	else
		warnx_("create: %s", desk_error(d));
	if (resp)
		deskd__response__free_unpacked(resp, NULL);
	return id;
}

#define PIPELINE_WINDOW	512	/* loading requests in flight */

/* Send n requests made by fill(i), PIPELINE_WINDOW in flight; 0 when every
 * one was answered OK, else the trouble told as `what`'s. */
int
pipeline_requests(struct desk *d, uint32_t n, const char *what,
    void (*fill)(Deskd__Request *, uint32_t, char *, char *))
{
	uint32_t sent = 0, done = 0;
	struct desk_frame f;
	char a[64], b[64];

	while (done < n) {
		/* Refill only once half the window is answered: requests
		 * sent one per reply arrive one per loop pass, and each pass
		 * would be a commit of its own. */
		for (bool refill = sent - done <= PIPELINE_WINDOW / 2; refill &&
		    sent < n && sent - done < PIPELINE_WINDOW;) {
			Deskd__Request req = DESKD__REQUEST__INIT;

			fill(&req, sent++, a, b);
			if (desk_send(d, &req, NULL) != DESK_OK) {
				warnx_("%s: %s", what, desk_error(d));
				return -1;
			}
		}
		if (desk_recv(d, &f, -1) != DESK_OK) {
			warnx_("%s: %s", what, desk_error(d));
			return -1;
		}
		if (f.response != NULL) {
			if (f.response->status != DESKD__STATUS__OK) {
				warnx_("%s: %s", what,
				    f.response->message);
				desk_frame_free(&f);
				return -1;
			}
			done++;
		}
		desk_frame_free(&f);
	}
	return 0;
}

/* ---------- the desk command, as a desk runs it ---------- */

/* Run the desk command with the saved session in cfg, stdout to out;
 * its pid. */
pid_t
desk_cmd_spawn(const char *cfg, const char *out, char *const argv[])
{
	pid_t pid = fork();
	int fd;

	if (pid != 0)
		return pid;
	if ((fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0600)) >= 0) {
		dup2(fd, 1);
		close(fd);
	}
	if ((fd = open("/dev/null", O_WRONLY)) >= 0) {
		dup2(fd, 2);
		close(fd);
	}
	setenv("XDG_CONFIG_HOME", cfg, 1);
	unsetenv("DESK_USER");
	unsetenv("DESK_SERVER");
	execv(argv[0], argv);
	_exit(127);
}

/* The desk command's saved session in s->dir/cfg, as `desk login`
 * writes it. */
int
desk_cmd_session(const struct server *s, const char *token, char *cfg,
    size_t len)
{
	char path[600];
	FILE *f;

	snprintf(cfg, len, "%s/cfg", s->dir);
	snprintf(path, sizeof(path), "%s/desk", cfg);
	if ((mkdir(cfg, 0700) != 0 && errno != EEXIST) ||
	    (mkdir(path, 0700) != 0 && errno != EEXIST))
		return -1;
	snprintf(path, sizeof(path), "%s/desk/desk.conf", cfg);
	if ((f = fopen(path, "w")) == NULL)
		return -1;
	fprintf(f, "server = %s\nca = %s\ntoken = %s\n", s->addr, ca_file,
	    token);
	return fclose(f) == 0 ? 0 : -1;
}
