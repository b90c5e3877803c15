/*
 * bench_peers.c - deskd beside the peer a department would otherwise pick
 * (issue 17): redis 7 over TLS with appendfsync always, started here on
 * loopback.  Each workload runs on deskd, then on redis, three times
 * alternated; the medians and deskd/redis ratios are printed.  A missing
 * redis-server skips the figure with a note.
 *
 * One workload code drives both servers through struct peer: a "write" is
 * a complaint created (deskd) or a SET of a 200-byte value (redis); a
 * "record" with watchers is a complaint (deskd pushes it) or
 * MULTI{SET,PUBLISH} (redis).
 */
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <stddef.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "bench.h"

#define PEER_REPS		3	/* at most; --quick runs one */
#define PEER_WRITERS		32
#define PEER_VALUE		200	/* bytes of a redis value */
#define PEER_CHANNEL		"complaints"

/* ---------- a RESP connection over TLS (redis) ---------- */

struct resp {
	int		 fd;
	SSL		*ssl;
	char		 buf[32768];
	size_t		 off, len;
};

static SSL_CTX *resp_tls;

/* 1 when bytes are buffered or arrived within timeout_ms, 0 on timeout,
 * -1 when the connection failed. */
static int
resp_fill(struct resp *r, int timeout_ms)
{
	struct pollfd p = { .fd = r->fd, .events = POLLIN };
	int n;

	if (r->off > 0 && r->off == r->len)
		r->off = r->len = 0;
	if (r->off > sizeof(r->buf) / 2) {
		memmove(r->buf, r->buf + r->off, r->len - r->off);
		r->len -= r->off;
		r->off = 0;
	}
	if (SSL_pending(r->ssl) == 0 && poll(&p, 1, timeout_ms) <= 0)
		return 0;
	if (r->len == sizeof(r->buf))
		return -1;
	n = SSL_read(r->ssl, r->buf + r->len, (int)(sizeof(r->buf) - r->len));
	if (n <= 0)
		return -1;
	r->len += (size_t)n;
	return 1;
}

/* The next line (without CRLF), waiting up to timeout_ms for its first
 * byte and then as long as it takes: 1, 0 on timeout, -1. */
static int
resp_line(struct resp *r, char **line, size_t *n, int timeout_ms)
{
	char *eol;
	int rc;

	for (;;) {
		eol = r->len > r->off ? memmem(r->buf + r->off,
		    r->len - r->off, "\r\n", 2) : NULL;
		if (eol != NULL)
			break;
		rc = resp_fill(r, r->len > r->off ? CALL_TIMEOUT_MS :
		    timeout_ms);
		if (rc <= 0)
			return r->len > r->off ? -1 : rc;
	}
	*line = r->buf + r->off;
	*n = (size_t)(eol - *line);
	r->off += *n + 2;
	return 1;
}

/*
 * One whole reply.  *type is its first byte ('+', '-', ':', '$', '*'); the
 * last bulk string in it (a pushed message's payload) is copied to last.
 */
static int
resp_reply(struct resp *r, int timeout_ms, char *type, char *last,
    size_t lastlen)
{
	char *line;
	size_t n;
	long count;
	int rc;

	if ((rc = resp_line(r, &line, &n, timeout_ms)) <= 0)
		return rc;
	*type = n > 0 ? line[0] : '?';
	count = n > 1 ? strtol(line + 1, NULL, 10) : 0;
	if (*type == '*') {
		char t;

		for (long i = 0; i < count; i++)
			if (resp_reply(r, CALL_TIMEOUT_MS, &t, last,
			    lastlen) <= 0)
				return -1;
		return 1;
	}
	if (*type != '$' || count < 0)
		return 1;
	while (r->len - r->off < (size_t)count + 2)
		if (resp_fill(r, CALL_TIMEOUT_MS) <= 0)
			return -1;
	if (last != NULL && lastlen > 0) {
		size_t k = (size_t)count < lastlen - 1 ? (size_t)count :
		    lastlen - 1;

		memcpy(last, r->buf + r->off, k);
		last[k] = '\0';
	}
	r->off += (size_t)count + 2;
	return 1;
}

static int
resp_write(struct resp *r, const char *data, size_t n)
{
	return SSL_write(r->ssl, data, (int)n) == (int)n ? 0 : -1;
}

static void
resp_close(struct resp *r)
{
	if (r == NULL)
		return;
	if (r->ssl != NULL)
		SSL_free(r->ssl);
	if (r->fd >= 0)
		close(r->fd);
	free(r);
}

static struct resp *
resp_connect(int port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET,
	    .sin_port = htons((uint16_t)port) };
	struct resp *r;
	int one = 1;

	if ((r = calloc(1, sizeof(*r))) == NULL)
		return NULL;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if ((r->fd = socket(AF_INET, SOCK_STREAM, 0)) < 0 ||
	    connect(r->fd, (struct sockaddr *)&sa, sizeof(sa)) != 0)
		goto fail;
	setsockopt(r->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if ((r->ssl = SSL_new(resp_tls)) == NULL)
		goto fail;
	SSL_set_fd(r->ssl, r->fd);
	X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(r->ssl), "127.0.0.1");
	if (SSL_connect(r->ssl) != 1)
		goto fail;
	return r;
fail:
	resp_close(r);
	return NULL;
}

/* ---------- the two servers behind one interface ---------- */

struct peer;

struct peer_ops {
	const char	*name;
	void		*(*open)(struct peer *, int i);
	void		 (*close)(void *);
	/* A write (no watchers) or a record (with watchers) numbered i. */
	int		 (*send)(void *, bool record, int conn, uint32_t i);
	/* Its acknowledgement: 1 OK, 0 timeout, -1 failed or refused. */
	int		 (*ack)(void *, bool record, int timeout_ms);
	int		 (*subscribe)(void *);
	/* A pushed record: 1 with its number, 0 timeout, -1 failed. */
	int		 (*event)(void *, uint32_t *, int timeout_ms);
};

struct peer {
	const struct peer_ops	*ops;
	struct server		 s;	/* pid (and for deskd the rest) */
	char			 token[128];
	int			 port;	/* redis */
};

static void *
deskd_open(struct peer *p, int i)
{
	return bench_token_login(&p->s, p->token, 1000 + i);
}

static void
deskd_close(void *c)
{
	desk_close(c);
}

static int
deskd_send(void *c, bool record, int conn, uint32_t i)
{
	(void)record;
	return send_complaint(c, conn, i) == DESK_OK ? 0 : -1;
}

static int
deskd_ack(void *c, bool record, int timeout_ms)
{
	struct desk_frame f;
	int rc;

	(void)record;
	for (;;) {
		if ((rc = desk_recv(c, &f, timeout_ms)) == DESK_TIMEOUT)
			return 0;
		if (rc != DESK_OK)
			return -1;
		if (f.kind == WIRE_RESPONSE) {
			rc = f.response->status == DESKD__STATUS__OK ? 1 : -1;
			desk_frame_free(&f);
			return rc;
		}
		desk_frame_free(&f);
	}
}

static int
deskd_subscribe(void *c)
{
	struct desk *d = c;

	return desk_subscribe(d, desk_welcome(d)->last_seq, NULL, 0,
	    NULL) == DESK_OK ? 0 : -1;
}

static int
deskd_event(void *c, uint32_t *i, int timeout_ms)
{
	struct desk_frame f;
	int rc;
	unsigned n;

	for (;;) {
		if ((rc = desk_recv(c, &f, timeout_ms)) == DESK_TIMEOUT)
			return 0;
		if (rc != DESK_OK)
			return -1;
		rc = f.kind == WIRE_EVENT && f.event != NULL &&
		    f.event->complaint != NULL && sscanf(
		    f.event->complaint->complainant, "bench-%u", &n) == 1;
		desk_frame_free(&f);
		if (rc) {
			*i = n;
			return 1;
		}
	}
}

static const struct peer_ops deskd_ops = {
	"deskd", deskd_open, deskd_close, deskd_send, deskd_ack,
	deskd_subscribe, deskd_event,
};

static void *
redis_open(struct peer *p, int i)
{
	(void)i;
	return resp_connect(p->port);
}

static void
redis_close(void *c)
{
	resp_close(c);
}

/* A command of bulk strings, RESP-framed into buf at *n. */
static void
resp_cmd(char *buf, size_t cap, size_t *n, int argc, const char **argv)
{
	*n += (size_t)snprintf(buf + *n, cap - *n, "*%d\r\n", argc);
	for (int k = 0; k < argc; k++)
		*n += (size_t)snprintf(buf + *n, cap - *n, "$%zu\r\n%s\r\n",
		    strlen(argv[k]), argv[k]);
}

static int
redis_send(void *c, bool record, int conn, uint32_t i)
{
	char key[48], value[PEER_VALUE + 1], buf[1024];
	const char *set[] = { "SET", key, value };
	const char *pub[] = { "PUBLISH", PEER_CHANNEL, value };
	const char *multi[] = { "MULTI" }, *exec[] = { "EXEC" };
	size_t n = 0;

	snprintf(key, sizeof(key), "complaint:%d:%u", conn, i);
	/* The record's number first, as the watchers read it back. */
	memset(value, 'x', PEER_VALUE);
	value[snprintf(value, sizeof(value), "bench-%u", i)] = ' ';
	value[PEER_VALUE] = '\0';
	if (record)
		resp_cmd(buf, sizeof(buf), &n, 1, multi);
	resp_cmd(buf, sizeof(buf), &n, 3, set);
	if (record) {
		resp_cmd(buf, sizeof(buf), &n, 3, pub);
		resp_cmd(buf, sizeof(buf), &n, 1, exec);
	}
	return resp_write(c, buf, n);
}

static int
redis_ack(void *c, bool record, int timeout_ms)
{
	char type;
	int rc;

	/* MULTI's +OK, two +QUEUED, then EXEC's array. */
	for (int k = 0; k < (record ? 4 : 1); k++) {
		if ((rc = resp_reply(c, k == 0 ? timeout_ms : CALL_TIMEOUT_MS,
		    &type, NULL, 0)) <= 0)
			return k == 0 ? rc : -1;
		if (type == '-')
			return -1;
	}
	return 1;
}

static int
redis_subscribe(void *c)
{
	const char *sub[] = { "SUBSCRIBE", PEER_CHANNEL };
	char buf[128], type;
	size_t n = 0;

	resp_cmd(buf, sizeof(buf), &n, 2, sub);
	return resp_write(c, buf, n) == 0 && resp_reply(c, CALL_TIMEOUT_MS,
	    &type, NULL, 0) == 1 ? 0 : -1;
}

static int
redis_event(void *c, uint32_t *i, int timeout_ms)
{
	char type, payload[PEER_VALUE + 1];
	unsigned n;
	int rc;

	if ((rc = resp_reply(c, timeout_ms, &type, payload,
	    sizeof(payload))) <= 0)
		return rc;
	if (sscanf(payload, "bench-%u", &n) != 1)
		return -1;
	*i = n;
	return 1;
}

static const struct peer_ops redis_ops = {
	"redis", redis_open, redis_close, redis_send, redis_ack,
	redis_subscribe, redis_event,
};

/* ---------- starting redis ---------- */

static int
free_port(void)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	socklen_t len = sizeof(sa);
	int fd, port = -1;

	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if ((fd = socket(AF_INET, SOCK_STREAM, 0)) < 0)
		return -1;
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0 &&
	    getsockname(fd, (struct sockaddr *)&sa, &len) == 0)
		port = ntohs(sa.sin_port);
	close(fd);
	return port;
}

static const char *
redis_binary(void)
{
	static const char *const where[] = { "/usr/bin/redis-server",
	    "/usr/local/bin/redis-server" };
	const char *env = getenv("REDIS_SERVER");

	if (env != NULL && *env)
		return access(env, X_OK) == 0 ? env : NULL;
	for (size_t k = 0; k < sizeof(where) / sizeof(where[0]); k++)
		if (access(where[k], X_OK) == 0)
			return where[k];
	return NULL;
}

/* redis-server on loopback, TLS only, every write fsync'd before its
 * reply (appendfsync always): deskd's durability. */
static int
redis_start(struct peer *p, const char *bin)
{
	char port[16], cert[PATH_MAX + 32], key[PATH_MAX + 32], ca[PATH_MAX];
	char dir[300], log[320];
	char certs[PATH_MAX];
	struct resp *r;

	/* redis runs in its --dir: every path absolute. */
	if (realpath(certs_dir, certs) == NULL || realpath(ca_file, ca) ==
	    NULL)
		return -1;
	snprintf(dir, sizeof(dir), "%s/redis", tmp_root);
	snprintf(log, sizeof(log), "%s/redis.log", tmp_root);
	snprintf(cert, sizeof(cert), "%s/server.pem", certs);
	snprintf(key, sizeof(key), "%s/server-key.pem", certs);
	if (mkdir(dir, 0700) != 0 && errno != EEXIST)
		return -1;
	if ((p->port = free_port()) < 0)
		return -1;
	snprintf(port, sizeof(port), "%d", p->port);
	if ((p->s.pid = fork()) == 0) {
		if (freopen(log, "w", stdout) == NULL ||
		    dup2(fileno(stdout), 2) < 0)
			_exit(127);
		execl(bin, bin, "--port", "0", "--tls-port", port,
		    "--bind", "127.0.0.1", "--tls-cert-file", cert,
		    "--tls-key-file", key, "--tls-ca-cert-file", ca,
		    "--tls-auth-clients", "no", "--appendonly", "yes",
		    "--appendfsync", "always", "--save", "", "--dir", dir,
		    "--maxclients", "4000", (char *)NULL);
		_exit(127);
	}
	if (p->s.pid < 0)
		return -1;
	for (int k = 0; k < 300; k++) {
		if ((r = resp_connect(p->port)) != NULL) {
			resp_close(r);
			return 0;
		}
		sleep_ms(20);
	}
	warnx_("redis-server did not come up on %d (see %s)", p->port, log);
	return -1;
}

/* Bounded like deskd's stop: a redis-server still saving or stuck must
 * not hang the bench. */
static void
redis_stop(struct peer *p)
{
	proc_stop(&p->s.pid, "redis-server", 5000);
}

/* ---------- the workloads, the same for both ---------- */

struct conn_run {
	const struct peer_ops	*ops;
	void			*c;
	int			 idx;
	int			 depth;
	bool			 record;
	int64_t			 begin, end;
	uint64_t		 in_window;
	bool			 failed;
};

/* Closed loop: depth writes in flight until end, every ack counted. */
static void *
writer_run(void *arg)
{
	struct conn_run *w = arg;
	int inflight = 0, rc;
	uint32_t n = 0;
	int64_t now;

	for (; inflight < w->depth; inflight++)
		if (w->ops->send(w->c, w->record, w->idx, n++) != 0)
			goto fail;
	while (inflight > 0) {
		if ((rc = w->ops->ack(w->c, w->record, CALL_TIMEOUT_MS)) != 1)
			goto fail;
		inflight--;
		now = mono_ns();
		if (now >= w->begin && now < w->end)
			w->in_window++;
		if (now < w->end) {
			if (w->ops->send(w->c, w->record, w->idx, n++) != 0)
				goto fail;
			inflight++;
		}
	}
	return NULL;
fail:
	w->failed = true;
	return NULL;
}

struct watch_run {
	const struct peer_ops	*ops;
	void			*c;
	int64_t			 until;		/* mono ns */
	int64_t			*recv_at;	/* [n] or NULL */
	uint32_t		 n;
	atomic_uint		*stop;		/* set: got nothing more due */
	bool			 failed;
};

static void *
watch_run(void *arg)
{
	struct watch_run *w = arg;
	uint32_t i;
	int rc;

	while (mono_ns() < w->until && !atomic_load(w->stop)) {
		if ((rc = w->ops->event(w->c, &i, 100)) < 0) {
			w->failed = true;
			break;
		}
		if (rc == 1 && w->recv_at != NULL && i < w->n &&
		    w->recv_at[i] == 0)
			w->recv_at[i] = mono_ns();
	}
	return NULL;
}

struct result {
	double	per_s;
	double	cpu_us;		/* server CPU per acknowledged write */
	double	p50_ms, p99_ms;
};

/* Open n connections (watchers subscribed); 0 or -1. */
static int
open_conns(struct peer *p, void **c, int n, bool subscribe, int base)
{
	for (int k = 0; k < n; k++) {
		if ((c[k] = p->ops->open(p, base + k)) == NULL ||
		    (subscribe && p->ops->subscribe(c[k]) != 0)) {
			warnx_("%s: connection %d failed", p->ops->name,
			    base + k);
			return -1;
		}
	}
	return 0;
}

static void
close_conns(struct peer *p, void **c, int n)
{
	for (int k = 0; k < n; k++)
		if (c[k] != NULL)
			p->ops->close(c[k]);
}

/*
 * Writers (closed loop, depth in flight each), with `watchers` subscribed
 * draining what is pushed: acknowledged writes a second and the server's
 * CPU per write.
 */
static int
run_writers(struct peer *p, const struct opts *o, int writers, int depth,
    int watchers, struct result *res)
{
	void **c = calloc((size_t)(writers + watchers), sizeof(*c));
	struct conn_run *w = calloc((size_t)writers, sizeof(*w));
	struct watch_run *v = calloc((size_t)watchers + 1, sizeof(*v));
	pthread_t *th = calloc((size_t)(writers + watchers), sizeof(*th));
	atomic_uint stop;
	int started = 0, rc = -1;
	uint64_t acked = 0;
	double cpu0 = 0, cpu1 = 0;
	int64_t begin, end;

	atomic_init(&stop, 0);
	if (!c || !w || !v || !th || open_conns(p, c, writers, false, 0) ||
	    open_conns(p, c + writers, watchers, true, writers))
		goto out;
	begin = mono_ns() + (int64_t)(o->warmup * 1e9);
	end = begin + (int64_t)(o->seconds * 1e9);
	for (int k = 0; k < watchers; k++) {
		v[k] = (struct watch_run){ .ops = p->ops, .c = c[writers + k],
		    .until = end + 10 * 1000000000LL, .stop = &stop };
		if (start_thread(&th[started], watch_run, &v[k]) != 0)
			goto join;
		started++;
	}
	for (int k = 0; k < writers; k++) {
		w[k] = (struct conn_run){ .ops = p->ops, .c = c[k], .idx = k,
		    .depth = depth, .record = watchers > 0, .begin = begin,
		    .end = end };
		if (start_thread(&th[started], writer_run, &w[k]) != 0)
			goto join;
		started++;
	}
	sleep_until(begin);
	cpu0 = srv_cpu_s(&p->s);
	sleep_until(end);
	cpu1 = srv_cpu_s(&p->s);
	rc = 0;
join:
	for (int k = watchers; k < started; k++) {
		pthread_join(th[k], NULL);
		if (w[k - watchers].failed)
			rc = -1;
		acked += w[k - watchers].in_window;
	}
	atomic_store(&stop, 1);
	for (int k = 0; k < started && k < watchers; k++)
		pthread_join(th[k], NULL);
	if (rc == 0) {
		res->per_s = (double)acked / o->seconds;
		res->cpu_us = acked ? (cpu1 - cpu0) * 1e6 / (double)acked : 0;
	}
out:
	if (c != NULL)
		close_conns(p, c, writers + watchers);
	free(c);
	free(w);
	free(v);
	free(th);
	if (rc != 0)
		warnx_("%s: writers failed", p->ops->name);
	return rc;
}

/* One creator at `rate` records a second (open loop), `watchers`
 * subscribed: the send to the last watcher's receipt, p50 and p99. */
static int
run_latency(struct peer *p, const struct opts *o, int watchers,
    struct result *res)
{
	uint32_t n = (uint32_t)((o->warmup + o->seconds) * o->rate);
	uint32_t warm = (uint32_t)(o->warmup * o->rate), measured = 0;
	void **c = calloc((size_t)watchers + 1, sizeof(*c));
	struct watch_run *v = calloc((size_t)watchers, sizeof(*v));
	pthread_t *th = calloc((size_t)watchers, sizeof(*th));
	int64_t *sent = calloc(n, sizeof(*sent)), *lat = calloc(n,
	    sizeof(*lat)), *recv = calloc((size_t)n * (size_t)watchers,
	    sizeof(*recv)), gap = 1000000000LL / o->rate, start;
	atomic_uint stop;
	int started = 0, rc = -1, inflight = 0, r;

	atomic_init(&stop, 0);
	if (!c || !v || !th || !sent || !lat || !recv ||
	    open_conns(p, c, 1, false, 0) ||
	    open_conns(p, c + 1, watchers, true, 1))
		goto out;
	start = mono_ns() + 100000000LL;
	for (int k = 0; k < watchers; k++) {
		v[k] = (struct watch_run){ .ops = p->ops, .c = c[1 + k],
		    .until = start + (int64_t)n * gap + 10 * 1000000000LL,
		    .recv_at = recv + (size_t)k * n, .n = n, .stop = &stop };
		if (start_thread(&th[k], watch_run, &v[k]) != 0)
			goto join;
		started++;
	}
	for (uint32_t i = 0; i < n; i++) {
		int64_t due = start + (int64_t)i * gap;

		/* Acks read while waiting for the next send's time. */
		while (inflight > 0 && mono_ns() < due) {
			int wait = (int)((due - mono_ns()) / 1000000);

			if ((r = p->ops->ack(c[0], true, wait > 0 ? wait :
			    0)) < 0)
				goto join;
			inflight -= r;
		}
		sleep_until(due);
		sent[i] = mono_ns();
		if (p->ops->send(c[0], true, 0, i) != 0)
			goto join;
		inflight++;
	}
	while (inflight > 0)
		if (p->ops->ack(c[0], true, CALL_TIMEOUT_MS) != 1)
			goto join;
		else
			inflight--;
	/* Everything acked: the watchers get a moment to read the last. */
	sleep_ms(500);
	rc = 0;
join:
	atomic_store(&stop, 1);
	for (int k = 0; k < started; k++)
		pthread_join(th[k], NULL);
	for (uint32_t i = warm; rc == 0 && i < n; i++) {
		int64_t last = 0;

		for (int k = 0; k < watchers && last >= 0; k++) {
			int64_t t = recv[(size_t)k * n + i];

			last = t == 0 ? -1 : t > last ? t : last;
		}
		if (last > 0)
			lat[measured++] = last - sent[i];
	}
	if (rc == 0 && measured > 0) {
		qsort(lat, measured, sizeof(*lat), cmp_i64);
		res->p50_ms = pct(lat, measured, 0.50) / 1e6;
		res->p99_ms = pct(lat, measured, 0.99) / 1e6;
		if (measured < n - warm)
			warnx_("%s: %u records missed a watcher", p->ops->name,
			    n - warm - measured);
	} else
		rc = -1;
out:
	if (c != NULL)
		close_conns(p, c, watchers + 1);
	free(c);
	free(v);
	free(th);
	free(sent);
	free(lat);
	free(recv);
	return rc;
}

/* ---------- the figure ---------- */

enum { W_SET16, W_SET1, W_LAT, W_SAT1, W_SAT8, W_COUNT };

static int
run_workload(struct peer *p, const struct opts *o, int w, struct result *r)
{
	memset(r, 0, sizeof(*r));
	switch (w) {
	case W_SET16:
		return run_writers(p, o, PEER_WRITERS, 16, 0, r);
	case W_SET1:
		return run_writers(p, o, PEER_WRITERS, 1, 0, r);
	case W_LAT:
		return run_latency(p, o, o->watchers, r);
	case W_SAT1:
		return run_writers(p, o, 1, 1, o->watchers, r);
	default:
		return run_writers(p, o, 8, 1, o->watchers, r);
	}
}

static int peer_reps = PEER_REPS;

static double
median(struct result *r, size_t field)
{
	double v[PEER_REPS];

	for (int k = 0; k < peer_reps; k++)
		v[k] = *(double *)((char *)&r[k] + field);
	qsort(v, (size_t)peer_reps, sizeof(v[0]), cmp_double);
	return v[peer_reps / 2];
}

static void
print_line(const char *what, struct result *d, struct result *x, bool lat)
{
	if (lat) {
		double dp50 = median(d, offsetof(struct result, p50_ms));
		double dp99 = median(d, offsetof(struct result, p99_ms));
		double rp50 = median(x, offsetof(struct result, p50_ms));
		double rp99 = median(x, offsetof(struct result, p99_ms));

		printf("BENCH peers %s deskd_p50_ms=%.2f deskd_p99_ms=%.2f "
		    "redis_p50_ms=%.2f redis_p99_ms=%.2f p99_ratio=%.2f "
		    "met=%s\n", what, dp50, dp99, rp50, rp99,
		    rp99 > 0 ? dp99 / rp99 : 0, dp99 <= rp99 ? "yes" : "no");
	} else {
		double dps = median(d, offsetof(struct result, per_s));
		double rps = median(x, offsetof(struct result, per_s));

		printf("BENCH peers %s deskd_per_s=%.0f redis_per_s=%.0f "
		    "ratio=%.2f deskd_cpu_us=%.1f redis_cpu_us=%.1f met=%s\n",
		    what, dps, rps, rps > 0 ? dps / rps : 0,
		    median(d, offsetof(struct result, cpu_us)),
		    median(x, offsetof(struct result, cpu_us)),
		    dps >= rps ? "yes" : "no");
	}
	fflush(stdout);
}

static bool
wanted_workload(const struct opts *o, const char *what)
{
	return o->workload == NULL || strcmp(o->workload, what) == 0;
}

int
bench_peers(const struct opts *o)
{
	static const char *const what[W_COUNT] = { "set_32x16", "set_32x1",
	    "w1_latency_200_per_s", "w1_saturation_1", "w1_saturation_8" };
	struct result res[W_COUNT][2][PEER_REPS];
	struct peer dk = { .ops = &deskd_ops }, rd = { .ops = &redis_ops };
	const char *bin;
	struct desk *first = NULL;
	int rc = -1;

	if ((bin = redis_binary()) == NULL) {
		printf("BENCH peers skipped=redis-server_not_installed "
		    "(scripts/deps installs it; REDIS_SERVER=PATH)\n");
		return 0;
	}
	if ((resp_tls = SSL_CTX_new(TLS_client_method())) == NULL ||
	    SSL_CTX_load_verify_locations(resp_tls, ca_file, NULL) != 1) {
		warnx_("peers: TLS context");
		goto out;
	}
	SSL_CTX_set_verify(resp_tls, SSL_VERIFY_PEER, NULL);
	SSL_CTX_set_mode(resp_tls, SSL_MODE_AUTO_RETRY);
	if (srv_start(&dk.s, o, "peers") != 0 || redis_start(&rd, bin) != 0)
		goto out;
	if ((first = bench_password_login(&dk.s, dk.token,
	    sizeof(dk.token))) == NULL)
		goto out;
	/* Alternated, so that both see the machine as it is at the time. */
	peer_reps = o->peer_reps > 0 && o->peer_reps <= PEER_REPS ?
	    o->peer_reps : PEER_REPS;
	for (int w = 0; w < W_COUNT; w++)
		for (int k = 0; k < peer_reps && wanted_workload(o, what[w]);
		    k++)
			if (run_workload(&dk, o, w, &res[w][0][k]) != 0 ||
			    run_workload(&rd, o, w, &res[w][1][k]) != 0)
				goto out;
	for (int w = 0; w < W_COUNT; w++)
		if (wanted_workload(o, what[w]))
			print_line(what[w], res[w][0], res[w][1], w == W_LAT);
	rc = 0;
out:
	desk_close(first);
	srv_stop(&dk.s);
	redis_stop(&rd);
	if (resp_tls != NULL)
		SSL_CTX_free(resp_tls);
	resp_tls = NULL;
	if (rc != 0)
		warnx_("peers: not measured; deskd log: %s", dk.s.log);
	return rc;
}
