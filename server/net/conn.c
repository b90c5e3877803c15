/*
 * conn.c - connections.  Socket activity becomes frames here; everything
 * after the frame header is dispatch's business.
 */
#include <sys/resource.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>

#include "conn.h"
#include "now.h"
#include "fault.h"
#include "log.h"
#include "tls.h"

static void	conn_read_cb(struct bufferevent *, void *);
static void	conn_write_cb(struct bufferevent *, void *);
static void	conn_event_cb(struct bufferevent *, short, void *);
static bool	conn_process_input(struct conn *);
static void	conn_free(struct conn *);
static void	conn_free_if_done(struct conn *);

static const char *
state_name(enum conn_state s)
{
	switch (s) {
	case CONN_TLS:		return "tls";
	case CONN_HELLO:	return "hello";
	case CONN_LOGIN:	return "login";
	case CONN_READY:	return "ready";
	case CONN_CLOSING:	return "closing";
	}
	return "?";
}

static void
ms_to_tv(int64_t ms, struct timeval *tv)
{
	tv->tv_sec = ms / 1000;
	tv->tv_usec = (ms % 1000) * 1000;
}

/*
 * A connection's socket events run before the group commit, so one commit
 * takes every request read in a loop pass.  bufferevent_openssl makes its
 * socket events anew when the handshake ends (libevent 2.1.12
 * bufferevent_openssl.c: do_handshake -> set_open_callbacks -> event_assign),
 * which resets their priority to the base's default: so this runs wherever
 * the events are made, at accept and again on BEV_EVENT_CONNECTED.
 */
static void
conn_io_priority(struct conn *c)
{
	if (bufferevent_priority_set(c->bev, PRIO_IO) != 0)
		log_warnx("%s: conn %" PRIu64 ": cannot set the I/O priority",
		    __func__, c->id);
}

/* The most plaintext one TLS record carries (RFC 8446 5.1). */
#define TLS_RECORD_MAX		16384

/* ---------- admission: the caps (issue 12) ---------- */

#define ADMIT_LOG_INTERVAL_MS	10000
#define ACCEPT_BACKOFF_MIN_MS	10
#define ACCEPT_BACKOFF_MAX_MS	1000

enum admit_event {
	ADMIT_EVICTED,
	ADMIT_REFUSED,
	ADMIT_ACCEPT_FAILED,
	ADMIT_PRE_TLS_CLOSED,
};

/* The interval's counts, if any; the next event after a quiet interval is
 * told at once again. */
static void
admit_log_flush(evutil_socket_t fd, short what, void *arg)
{
	struct server *srv = arg;
	struct admit_log *l = &srv->admit_log;
	struct timeval tv;

	(void)fd;
	(void)what;
	if (l->evicted + l->refused + l->accept_failed + l->pre_tls_closed ==
	    0)
		return;
	log_info("connections in the last %d s: %" PRIu64 " evicted (not "
	    "logged in), %" PRIu64 " refused, %" PRIu64 " accept failures%s%s"
	    "%s, %" PRIu64 " closed before their TLS handshake%s%s%s; %u open "
	    "of %u", ADMIT_LOG_INTERVAL_MS / 1000, l->evicted, l->refused,
	    l->accept_failed, l->accept_failed ? " (" : "",
	    l->accept_failed ? evutil_socket_error_to_string(l->accept_errno) :
	    "", l->accept_failed ? ")" : "", l->pre_tls_closed,
	    l->pre_tls_closed ? " (last: " : "", l->pre_tls_closed ?
	    l->pre_tls_reason : "", l->pre_tls_closed ? ")" : "", srv->nconns,
	    srv->max_conns);
	l->evicted = l->refused = l->accept_failed = l->pre_tls_closed = 0;
	ms_to_tv(ADMIT_LOG_INTERVAL_MS, &tv);
	evtimer_add(l->ev, &tv);
}

/* The first event of an interval, told at once and in full. */
static void
admit_tell(struct server *srv, enum admit_event what, const char *detail)
{
	int every = ADMIT_LOG_INTERVAL_MS / 1000;

	switch (what) {
	case ADMIT_EVICTED:
		log_info("connections: %u open of %u, or %u not logged in from "
		    "%s: evicting the oldest idle ones not logged in (counted "
		    "every %d s)", srv->nconns, srv->max_conns,
		    srv->cfg.max_unauth_per_source, detail, every);
		break;
	case ADMIT_REFUSED:
		log_warnx("connections: %u open of %u and none idle before "
		    "login: refusing %s (counted every %d s)", srv->nconns,
		    srv->max_conns, detail, every);
		break;
	case ADMIT_ACCEPT_FAILED:
		log_warnx("accept: %s: new connections paused for %" PRId64
		    " ms, longer while it fails (counted every %d s)", detail,
		    srv->accept_backoff_ms, every);
		break;
	case ADMIT_PRE_TLS_CLOSED:
		log_info("%s (more before a TLS handshake are counted every %d "
		    "s)", detail, every);
		break;
	}
}

/*
 * A flood is told once an interval with its counts, never once a
 * connection: deskd wrote 1.3 M lines of "Too many open files" in 10 s.
 */
static void
admit_note(struct server *srv, enum admit_event what, const char *detail)
{
	struct admit_log *l = &srv->admit_log;
	uint64_t *counts[] = { &l->evicted, &l->refused, &l->accept_failed,
	    &l->pre_tls_closed };
	uint64_t *stats[] = { &srv->stats.evicted, &srv->stats.refused,
	    &srv->stats.accept_failed, NULL };
	struct timeval tv;

	if (stats[what] != NULL)
		(*stats[what])++;
	if (what == ADMIT_PRE_TLS_CLOSED)
		snprintf(l->pre_tls_reason, sizeof(l->pre_tls_reason), "%s",
		    detail);
	if (l->ev != NULL && evtimer_pending(l->ev, NULL)) {
		(*counts[what])++;
		return;
	}
	admit_tell(srv, what, detail);
	if (l->ev != NULL) {
		ms_to_tv(ADMIT_LOG_INTERVAL_MS, &tv);
		evtimer_add(l->ev, &tv);
	}
}

/* Nothing of ours is under way for it: no login being checked, no reply
 * held or owed. */
static bool
admit_idle(const struct conn *c)
{
	return c->bev != NULL && c->state < CONN_READY && !c->reply_awaited &&
	    c->pending == 0;
}

static struct conn *
admit_next(struct conn *c, bool by_source)
{
	return by_source ? TAILQ_NEXT(c, src_entry) :
	    TAILQ_NEXT(c, unauth_entry);
}

/*
 * Whom to close to make room: the oldest idle connection not logged in
 * (of one source, or of all), one still in its TLS handshake first -- a
 * flood is silent sockets, while a desk is past TLS in a round trip and
 * then waits on its login, which keeps its slot.
 */
static struct conn *
admit_victim(struct server *srv, struct admit_source *src)
{
	struct conn *first = src != NULL ? TAILQ_FIRST(&src->conns) :
	    TAILQ_FIRST(&srv->unauth);
	struct conn *c, *idle = NULL;

	for (c = first; c != NULL; c = admit_next(c, src != NULL)) {
		if (!admit_idle(c))
			continue;
		if (c->state == CONN_TLS)
			return c;
		if (idle == NULL)
			idle = c;
	}
	return idle;
}

static void
admit_evict(struct server *srv, struct conn *victim, const char *why)
{
	log_debug("conn %" PRIu64 " %s: evicted: %s", victim->id,
	    victim->peer, why);
	admit_note(srv, ADMIT_EVICTED, why);
	/* Quietly: the interval's line counts it. */
	conn_close(victim, NULL);
}

/* Room for one more from host, made by evicting if need be. */
static bool
admit_room(struct server *srv, const char *host)
{
	struct admit_source *src = admit_find(srv->sources, host);
	struct conn *victim = NULL;

	switch (admit_decide(srv->nconns, srv->max_conns, src ? src->unauth :
	    0, srv->cfg.max_unauth_per_source)) {
	case ADMIT_OK:
		return true;
	case ADMIT_EVICT_SOURCE:
		victim = admit_victim(srv, src);
		break;
	case ADMIT_EVICT_ANY:
		victim = admit_victim(srv, NULL);
		break;
	}
	if (victim == NULL) {
		admit_note(srv, ADMIT_REFUSED, host);
		return false;
	}
	admit_evict(srv, victim, host);
	return true;
}

static bool
admit_join(struct server *srv, struct conn *c, const char *host)
{
	if ((c->src = admit_get(srv->sources, host)) == NULL)
		return false;
	c->src->unauth++;
	TAILQ_INSERT_TAIL(&c->src->conns, c, src_entry);
	TAILQ_INSERT_TAIL(&srv->unauth, c, unauth_entry);
	return true;
}

/* Logged in, or gone: off the lists of those not logged in. */
static void
admit_leave(struct conn *c)
{
	struct admit_source *src = c->src;

	if (src == NULL)
		return;
	TAILQ_REMOVE(&c->srv->unauth, c, unauth_entry);
	TAILQ_REMOVE(&src->conns, c, src_entry);
	src->unauth--;
	admit_put(c->srv->sources, src);
	c->src = NULL;
}

static void
accept_resume(evutil_socket_t fd, short what, void *arg)
{
	struct server *srv = arg;

	(void)fd;
	(void)what;
	if (!srv->stopping)
		evconnlistener_enable(srv->listener);
}

/*
 * Out of descriptors (EMFILE, ENFILE) or memory: libevent would call
 * accept again at once and fail again, a spin.  Pause the listener,
 * longer each time it fails, and free a descriptor so that a desk gets in
 * when it is back.
 */
void
conn_accept_error(struct evconnlistener *l, void *arg)
{
	struct server *srv = arg;
	int err = EVUTIL_SOCKET_ERROR();
	struct conn *victim;
	struct timeval tv;

	evconnlistener_disable(l);
	srv->accept_backoff_ms = srv->accept_backoff_ms == 0 ?
	    ACCEPT_BACKOFF_MIN_MS : srv->accept_backoff_ms * 2;
	if (srv->accept_backoff_ms > ACCEPT_BACKOFF_MAX_MS)
		srv->accept_backoff_ms = ACCEPT_BACKOFF_MAX_MS;
	srv->admit_log.accept_errno = err;
	admit_note(srv, ADMIT_ACCEPT_FAILED, evutil_socket_error_to_string(err));
	if ((victim = admit_victim(srv, NULL)) != NULL)
		admit_evict(srv, victim, "accept failing");
	ms_to_tv(srv->accept_backoff_ms, &tv);
	evtimer_add(srv->accept_ev, &tv);
}

int
conn_admit_start(struct server *srv)
{
	struct rlimit rl;
	bool over = false;

	if (srv->handlers == NULL)
		fatalx("%s: no handlers: the core attaches them first "
		    "(dispatch_attach)", __func__);
	TAILQ_INIT(&srv->unauth);
	if ((srv->sources = admit_table_new()) == NULL ||
	    (srv->accept_ev = evtimer_new(srv->base, accept_resume,
	    srv)) == NULL || (srv->admit_log.ev = evtimer_new(srv->base,
	    admit_log_flush, srv)) == NULL)
		return -1;
	if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
		rl.rlim_cur = 1024;
	srv->max_conns = admit_max_conns(srv->cfg.max_conns,
	    (uint64_t)rl.rlim_cur, &over);
	if (over)
		log_warnx("max_conns %u is more than the descriptor limit "
		    "(%llu, less %d kept back) allows: past it, accept fails and "
		    "new connections pause", srv->max_conns,
		    (unsigned long long)rl.rlim_cur, ADMIT_FD_RESERVE);
	log_info("connections: at most %u (descriptor limit %llu), %u not "
	    "logged in from one address, %u logged in as one user",
	    srv->max_conns, (unsigned long long)rl.rlim_cur,
	    srv->cfg.max_unauth_per_source, srv->cfg.max_conns_per_user);
	return 0;
}

void
conn_admit_stop(struct server *srv)
{
	if (srv->accept_ev != NULL)
		event_free(srv->accept_ev);
	if (srv->admit_log.ev != NULL)
		event_free(srv->admit_log.ev);
	srv->accept_ev = srv->admit_log.ev = NULL;
	admit_table_free(srv->sources);
	srv->sources = NULL;
}

uint32_t
conn_user_count(const struct server *srv, const char *user)
{
	const struct conn *c;
	uint32_t n = 0;

	/* Logins of the same commit count too: a burst of them from one
	 * user lands in one. */
	TAILQ_FOREACH(c, &srv->conns, entry)
		if (c->bev != NULL && ((c->state == CONN_READY &&
		    strcmp(c->user, user) == 0) ||
		    strcmp(c->batch_login, user) == 0))
			n++;
	return n;
}

void
conn_accept(struct evconnlistener *l, evutil_socket_t fd,
    struct sockaddr *sa, int salen, void *arg)
{
	struct server *srv = arg;
	struct conn *c;
	struct timeval tv;
	char host[INET6_ADDRSTRLEN] = "?";
	int port = 0, one = 1, idle = 60;

	(void)l;
	(void)salen;
	if (srv->stopping) {
		evutil_closesocket(fd);
		return;
	}
	if (sa->sa_family == AF_INET) {
		struct sockaddr_in *in = (struct sockaddr_in *)sa;

		inet_ntop(AF_INET, &in->sin_addr, host, sizeof(host));
		port = ntohs(in->sin_port);
	} else if (sa->sa_family == AF_INET6) {
		struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)sa;

		inet_ntop(AF_INET6, &in6->sin6_addr, host, sizeof(host));
		port = ntohs(in6->sin6_port);
	}
	/* Small frames must not wait for Nagle; a desk that vanishes without
	 * a FIN is found by keepalive rather than held forever. */
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof(one));
	setsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, &idle, sizeof(idle));
	srv->accept_backoff_ms = 0;
	if (!admit_room(srv, host)) {
		evutil_closesocket(fd);
		return;
	}
	if ((c = calloc(1, sizeof(*c))) == NULL) {
		log_warnx("%s: out of memory", __func__);
		evutil_closesocket(fd);
		return;
	}
	TAILQ_INIT(&c->staged);
	if ((c->bev = tls_accept(srv->base, srv->ssl_ctx, fd)) == NULL) {
		log_warnx("%s: cannot set up TLS for %s", __func__, host);
		evutil_closesocket(fd);
		free(c);
		return;
	}
	c->srv = srv;
	if (!admit_join(srv, c, host)) {
		log_warnx("%s: out of memory", __func__);
		tls_bev_free(c->bev);
		free(c);
		return;
	}
	c->accepted_ms = server_mono_ms();
	c->id = ++srv->next_conn_id;
	c->state = CONN_TLS;
	snprintf(c->peer, sizeof(c->peer), "%s:%d", host, port);
	TAILQ_INSERT_TAIL(&srv->conns, c, entry);
	srv->nconns++;
	srv->stats.accepted++;

	conn_io_priority(c);
	bufferevent_setcb(c->bev, conn_read_cb, conn_write_cb, conn_event_cb, c);
	/* The write callback is our "drained below low water" signal. */
	bufferevent_setwatermark(c->bev, EV_WRITE, srv->cfg.out_low_water, 0);
	ms_to_tv(srv->cfg.hello_timeout_ms, &tv);
	bufferevent_set_timeouts(c->bev, &tv, NULL);
	bufferevent_enable(c->bev, EV_READ | EV_WRITE);
	log_debug("conn %" PRIu64 ": accepted from %s", c->id, c->peer);
}

size_t
conn_out_len(struct conn *c)
{
	if (c->bev == NULL)
		return 0;
	return evbuffer_get_length(bufferevent_get_output(c->bev));
}

void
conn_set_state(struct conn *c, enum conn_state s)
{
	if (c->state == CONN_CLOSING)
		return;
	log_debug("conn %" PRIu64 ": %s -> %s", c->id, state_name(c->state),
	    state_name(s));
	c->state = s;
	if (s == CONN_READY)
		admit_leave(c);
}

static bool
send_header(struct conn *c, enum wire_kind kind, uint32_t request_id,
    size_t len)
{
	struct wire_header h = { WIRE_VERSION, (uint8_t)kind, 0, request_id,
	    (uint32_t)len };
	uint8_t hdr[WIRE_HEADER_LEN];

	if (c->bev == NULL || (c->state == CONN_CLOSING && !c->flush_close))
		return false;
	if (len > c->srv->cfg.max_payload) {
		log_warnx("%s: conn %" PRIu64 ": %zu-byte frame over the limit",
		    __func__, c->id, len);
		return false;
	}
	wire_header_encode(hdr, &h);
	if (!c->to_flush && c->state != CONN_TLS) {
		TAILQ_INSERT_TAIL(&c->srv->flush, c, flush_entry);
		c->to_flush = true;
		c->srv->nflush++;
	}
	return evbuffer_add(bufferevent_get_output(c->bev), hdr,
	    sizeof(hdr)) == 0;
}

static void
flush_remove(struct conn *c)
{
	if (!c->to_flush)
		return;
	TAILQ_REMOVE(&c->srv->flush, c, flush_entry);
	c->to_flush = false;
	c->srv->nflush--;
}

/*
 * Issue 17: a batch's replies and pushes are written before the loop
 * sleeps again, a write() each, rather than one loop pass later through
 * the write event (tls_write_now).  Each connection listed when this
 * starts is written once: what is added meanwhile (a catch-up's next
 * slice, from conn_write_cb, which libevent defers) waits for the write
 * event as before, or the next batch, so a long catch-up cannot hold the
 * loop here.  A socket error closes the connection in the write
 * (conn_event_cb): in_use keeps the struct until it returns.
 */
void
conn_flush_all(struct server *srv)
{
	uint32_t n = srv->nflush;
	struct conn *c;
	size_t len;

	while (n-- > 0 && (c = TAILQ_FIRST(&srv->flush)) != NULL) {
		flush_remove(c);
		if (c->bev == NULL || (len = conn_out_len(c)) == 0)
			continue;
		/* One TLS record and one write() for what fits in one: the
		 * TLS layer writes a record for each piece of the buffer. */
		if (len <= TLS_RECORD_MAX)
			evbuffer_pullup(bufferevent_get_output(c->bev), -1);
		c->in_use++;
		tls_write_now(c->bev);
		c->in_use--;
		conn_free_if_done(c);
	}
}

bool
conn_send_msg(struct conn *c, enum wire_kind kind, uint32_t request_id,
    const ProtobufCMessage *m)
{
	size_t len = protobuf_c_message_get_packed_size(m);
	struct evbuffer_iovec v;
	struct evbuffer *out;

	if (!send_header(c, kind, request_id, len))
		return false;
	if (len == 0)
		return true;
	/* Pack straight into the output buffer: no intermediate copy. */
	out = bufferevent_get_output(c->bev);
	if (evbuffer_reserve_space(out, len, &v, 1) < 1)
		return false;
	protobuf_c_message_pack(m, v.iov_base);
	v.iov_len = len;
	return evbuffer_commit_space(out, &v, 1) == 0;
}

bool
conn_send_raw(struct conn *c, enum wire_kind kind, uint32_t request_id,
    const uint8_t *data, size_t len)
{
	if (!send_header(c, kind, request_id, len))
		return false;
	return evbuffer_add(bufferevent_get_output(c->bev), data, len) == 0;
}

/* ---------- delayed replies (failed logins) ---------- */

struct held_reply {
	struct conn	*c;
	uint8_t		*frame;
	size_t		 len;
};

/* Drop a held reply; the connection keeps no memory of it. */
static void
hold_cancel(struct conn *c)
{
	struct held_reply *h = c->held;

	if (c->hold_ev == NULL)
		return;
	event_free(c->hold_ev);
	c->hold_ev = NULL;
	c->held = NULL;
	free(h->frame);
	free(h);
	conn_release(c);
}

static void
hold_done(evutil_socket_t fd, short what, void *arg)
{
	struct held_reply *h = arg;
	struct conn *c = h->c;
	bool open = c->bev != NULL;

	(void)fd;
	(void)what;
	if (open && c->state != CONN_CLOSING)
		evbuffer_add(bufferevent_get_output(c->bev), h->frame, h->len);
	/* Closed meanwhile, the struct lived for this reply only: gone now. */
	hold_cancel(c);
	if (!open)
		return;
	if (c->srv->stopping)
		conn_let_go_if_answered(c);
	else
		conn_resume(c);
}

void
conn_send_delayed(struct conn *c, uint32_t request_id, const uint8_t *data,
    size_t len, int64_t delay_ms)
{
	struct wire_header hdr = { WIRE_VERSION, WIRE_RESPONSE, 0, request_id,
	    (uint32_t)len };
	struct held_reply *h = NULL;
	struct timeval tv;

	if (c->bev == NULL || c->hold_ev != NULL)
		return;
	if (fault_alloc_fails() || (h = calloc(1, sizeof(*h))) == NULL ||
	    (h->frame = malloc(WIRE_HEADER_LEN + len)) == NULL ||
	    (c->hold_ev = evtimer_new(c->srv->base, hold_done, h)) == NULL) {
		/* Cannot hold it: answer now rather than not at all. */
		if (h != NULL)
			free(h->frame);
		free(h);
		conn_send_raw(c, WIRE_RESPONSE, request_id, data, len);
		return;
	}
	wire_header_encode(h->frame, &hdr);
	memcpy(h->frame + WIRE_HEADER_LEN, data, len);
	h->len = WIRE_HEADER_LEN + len;
	h->c = c;
	/* The held reply keeps the connection struct alive like a request. */
	c->held = h;
	c->pending++;
	ms_to_tv(delay_ms, &tv);
	/* The delay counts from now, not from the loop pass's cached time
	 * (a commit's fsync may lie between): else the reply could come
	 * before the login guard lets the same name try again. */
	event_base_update_cache_time(c->srv->base);
	evtimer_add(c->hold_ev, &tv);
}

/* ---------- reading ---------- */

static bool
input_held(struct conn *c)
{
	/* Stopping: what was read is finished, nothing more is read. */
	return c->bev == NULL || c->state == CONN_CLOSING || c->broken ||
	    c->srv->stopping ||
	    conn_out_len(c) >= c->srv->cfg.out_high_water ||
	    c->srv->batch_len >= c->srv->cfg.batch_max ||
	    c->reply_awaited || c->replies_held || c->batches_open >= 2 ||
	    c->hold_ev != NULL ||
	    c->pending >= c->srv->cfg.conn_max_pending;
}

static void
update_read_timeout(struct conn *c, bool partial)
{
	struct timeval tv;

	if (c->bev == NULL)
		return;
	if (c->state < CONN_READY) {
		/* A deadline, not an idle timer: refused requests do not buy
		 * an unauthenticated connection more time. */
		int64_t left = c->accepted_ms + c->srv->cfg.hello_timeout_ms -
		    server_mono_ms();

		ms_to_tv(left > 1 ? left : 1, &tv);
		bufferevent_set_timeouts(c->bev, &tv, NULL);
	} else if (partial) {
		/* A truncated frame then silence must not hold memory forever. */
		ms_to_tv(c->srv->cfg.frame_timeout_ms, &tv);
		bufferevent_set_timeouts(c->bev, &tv, NULL);
	} else
		bufferevent_set_timeouts(c->bev, NULL, NULL);
}

static void
read_frames(struct conn *c)
{
	struct evbuffer *in;
	uint8_t hdr[WIRE_HEADER_LEN];
	struct wire_header h;
	enum wire_check chk;
	bool partial = false;

	while (!input_held(c)) {
		size_t avail;
		uint8_t *payload;

		in = bufferevent_get_input(c->bev);
		avail = evbuffer_get_length(in);
		if (avail < WIRE_HEADER_LEN) {
			partial = avail > 0;
			break;
		}
		evbuffer_copyout(in, hdr, sizeof(hdr));
		/* Header first: nothing of the payload is buffered or
		 * allocated before its length passes the limit. */
		chk = wire_header_decode(hdr, c->srv->cfg.max_payload, &h);
		if (chk == WIRE_OK && h.kind != WIRE_REQUEST)
			chk = WIRE_BAD_KIND;
		if (chk != WIRE_OK) {
			c->srv->handlers->frame_error(c, &h, chk);
			break;
		}
		if (avail < WIRE_HEADER_LEN + (size_t)h.length) {
			partial = true;
			break;
		}
		evbuffer_drain(in, WIRE_HEADER_LEN);
		payload = h.length ? evbuffer_pullup(in, h.length) : NULL;
		c->srv->handlers->request(c, h.request_id, payload, h.length);
		if (c->bev == NULL)
			return;
		evbuffer_drain(bufferevent_get_input(c->bev), h.length);
		c->srv->stats.requests++;
	}
	if (c->bev == NULL || c->state == CONN_CLOSING)
		return;
	/* While held, unread frames stay in the TLS layer, not our memory. */
	if (input_held(c))
		bufferevent_disable(c->bev, EV_READ);
	else {
		bufferevent_enable(c->bev, EV_READ);
		tls_read_pending(c->bev);
	}
	update_read_timeout(c, partial);
}

/*
 * Reads and dispatches what came in.  A request may close the connection
 * (out of memory, a broken stream): the struct lives until the reading is
 * done and is freed here, last.  False when it was closed: the caller must
 * not touch c again.
 */
static bool
conn_process_input(struct conn *c)
{
	bool open;

	c->in_use++;
	read_frames(c);
	c->in_use--;
	open = c->bev != NULL;
	conn_free_if_done(c);
	return open;
}

void
conn_resume(struct conn *c)
{
	if (c->bev == NULL || c->state == CONN_CLOSING)
		return;
	/* Held replies wait for the write callback, which only comes after
	 * a write: with the output drained already (a reply held back by the
	 * failed-login delay counted but not queued) nothing would come. */
	if (c->replies_held && conn_out_len(c) < c->srv->cfg.out_low_water)
		c->srv->handlers->replies_resume(c);
	conn_process_input(c);
}

static void
conn_read_cb(struct bufferevent *bev, void *arg)
{
	(void)bev;
	conn_process_input(arg);
}

static void
conn_write_cb(struct bufferevent *bev, void *arg)
{
	struct conn *c = arg;

	(void)bev;
	if (c->flush_close) {
		if (conn_out_len(c) == 0)
			conn_close(c, NULL);
		return;
	}
	/* Below low water: answer what waited for it, feed a lagging
	 * subscriber, then read again. */
	c->srv->handlers->replies_resume(c);
	if (c->subscribed)
		c->srv->handlers->drained(c);
	conn_resume(c);
}

static void
conn_event_cb(struct bufferevent *bev, short what, void *arg)
{
	struct conn *c = arg;
	char err[256], reason[320];

	if (what & BEV_EVENT_CONNECTED) {
		conn_io_priority(c);
		conn_set_state(c, CONN_HELLO);
		/* The first request may have come with the handshake's end. */
		tls_read_pending(bev);
		return;
	}
	if (what & BEV_EVENT_EOF) {
		/* EOF may arrive in the same pass as the last frames. */
		if (conn_process_input(c))
			conn_close(c, "peer closed the connection");
		return;
	}
	if (what & BEV_EVENT_TIMEOUT) {
		conn_close(c, c->state == CONN_TLS ? "TLS handshake timed out" :
		    c->state < CONN_READY ? "no login in time" :
		    c->flush_close ? "peer stopped reading" :
		    "timed out in the middle of a frame");
		return;
	}
	if (what & BEV_EVENT_ERROR) {
		if (tls_drain_errors(bev, err, sizeof(err)) > 0) {
			c->srv->stats.tls_errors++;
			snprintf(reason, sizeof(reason), "TLS error: %s", err);
		} else
			snprintf(reason, sizeof(reason), "socket error: %s",
			    evutil_socket_error_to_string(
			    EVUTIL_SOCKET_ERROR()));
		conn_close(c, reason);
	}
}

/* ---------- closing ---------- */

void
conn_close_after_flush(struct conn *c, const char *reason)
{
	struct timeval tv = { 5, 0 };

	if (c->bev == NULL || c->state == CONN_CLOSING)
		return;
	log_info("conn %" PRIu64 " %s%s%s: closing: %s", c->id, c->peer,
	    *c->user ? " " : "", c->user, reason);
	c->state = CONN_CLOSING;
	c->flush_close = true;
	c->srv->handlers->closing(c);
	bufferevent_disable(c->bev, EV_READ);
	if (conn_out_len(c) == 0) {
		conn_close(c, NULL);
		return;
	}
	bufferevent_setwatermark(c->bev, EV_WRITE, 0, 0);
	bufferevent_set_timeouts(c->bev, NULL, &tv);
}

/*
 * Stopping: a desk is let go once all it sent is answered -- nothing
 * staged, in the batch or held (c->pending), not merely nothing staged: a
 * batch decoded meanwhile sits in the batch, and closing then would drop
 * the answer to what is stored.
 */
void
conn_let_go_if_answered(struct conn *c)
{
	if (c->bev != NULL && c->srv->stopping && c->pending == 0)
		conn_close_after_flush(c, "server shutting down");
}

void
conn_close(struct conn *c, const char *reason)
{
	char line[256];

	if (c->bev == NULL)
		return;
	if (reason != NULL) {
		snprintf(line, sizeof(line), "conn %" PRIu64 " %s%s%s: closed: "
		    "%s", c->id, c->peer, *c->user ? " " : "", c->user, reason);
		/* Silent sockets by the thousand are a flood's: counted. */
		if (c->state == CONN_TLS)
			admit_note(c->srv, ADMIT_PRE_TLS_CLOSED, line);
		else
			log_info("%s", line);
	}
	c->state = CONN_CLOSING;
	c->srv->handlers->closing(c);
	admit_leave(c);
	tls_bev_free(c->bev);
	c->bev = NULL;
	c->srv->stats.closed++;
	c->srv->nconns--;
	/* Requests held for a desk that did not read are refused now. */
	c->srv->handlers->replies_resume(c);
	if (c->hold_ev != NULL) {
		hold_cancel(c);		/* may free c */
		return;
	}
	conn_free_if_done(c);
}

void
conn_release(struct conn *c)
{
	if (c->pending > 0)
		c->pending--;
	conn_free_if_done(c);
}

/* Closed, and nothing refers to the struct: no request of ours in the
 * batch or held, and no reading under way (conn_process_input). */
static void
conn_free_if_done(struct conn *c)
{
	if (c->bev == NULL && c->pending == 0 && c->in_use == 0)
		conn_free(c);
}

static void
conn_free(struct conn *c)
{
	struct server *srv = c->srv;

	TAILQ_REMOVE(&srv->conns, c, entry);
	flush_remove(c);
	free(c);
	/* Stopping and every desk is gone: no need to wait out the grace. */
	if (srv->stopping && TAILQ_EMPTY(&srv->conns))
		event_base_loopbreak(srv->base);
}

void
conn_close_all(struct server *srv)
{
	struct conn *c, *next;

	for (c = TAILQ_FIRST(&srv->conns); c != NULL; c = next) {
		next = TAILQ_NEXT(c, entry);
		conn_close(c, srv->stopping ? "server shutting down" : NULL);
	}
}
