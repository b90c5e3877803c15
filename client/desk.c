/*
 * desk.c - the client library (see desk.h).
 */
#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ctls.h"
#include "desk.h"
#include "wire.h"

#define CLIENT_MAX_PAYLOAD	(64u * 1024 * 1024)
#define READ_CHUNK		(64 * 1024)

struct desk {
	int			 fd;
	SSL			*ssl;
	char			 err[512];
	Deskd__Welcome		*welcome;
	uint32_t		 next_id;
	int			 timeout_ms;
	char			*session_file;
	/* frames read while waiting for another response */
	struct desk_frame	*stash;
	size_t			 stash_head, stash_len, stash_cap;
	/* bytes read but not yet parsed */
	uint8_t			*rbuf;
	size_t			 rlen, rcap;
};

static int
fail(struct desk *d, int rc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
fail(struct desk *d, int rc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(d->err, sizeof(d->err), fmt, ap);
	va_end(ap);
	return rc;
}

const char *
desk_error(const struct desk *d)
{
	return d ? d->err : "out of memory";
}

const Deskd__Welcome *
desk_welcome(const struct desk *d)
{
	return d->welcome;
}

bool
desk_session_reused(const struct desk *d)
{
	return d->ssl != NULL && ctls_reused(d->ssl);
}

int
desk_status_rc(Deskd__Status st)
{
	switch (st) {
	case DESKD__STATUS__OK:
		return DESK_OK;
	case DESKD__STATUS__NOT_AUTHENTICATED:
	case DESKD__STATUS__AUTH_FAILED:
	case DESKD__STATUS__PERMISSION_DENIED:
		return DESK_AUTH;
	default:
		return DESK_REFUSED;
	}
}

const char *
desk_status_name(Deskd__Status st)
{
	const ProtobufCEnumValue *v = protobuf_c_enum_descriptor_get_value(
	    &deskd__status__descriptor, (int)st);

	return v ? v->name : "UNKNOWN_STATUS";
}

/* ---------- connecting ---------- */

static int
split_host_port(const char *server, char *host, size_t hostlen, char *port,
    size_t portlen)
{
	const char *colon;

	if (server == NULL || *server == '\0')
		return -1;
	if (*server == '[') {
		const char *end = strchr(server, ']');

		if (end == NULL || end[1] != ':')
			return -1;
		snprintf(host, hostlen, "%.*s", (int)(end - server - 1),
		    server + 1);
		snprintf(port, portlen, "%s", end + 2);
		return 0;
	}
	if ((colon = strrchr(server, ':')) == NULL)
		return -1;
	snprintf(host, hostlen, "%.*s", (int)(colon - server), server);
	snprintf(port, portlen, "%s", colon + 1);
	return *host && *port ? 0 : -1;
}

static int
dial(struct desk *d, const char *host, const char *port)
{
	struct addrinfo hints, *res, *ai;
	int rc, fd = -1, one = 1;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	if ((rc = getaddrinfo(host, port, &hints, &res)) != 0)
		return fail(d, DESK_CONNECT, "%s:%s: %s", host, port,
		    gai_strerror(rc));
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		struct pollfd pfd;
		int soerr = 0;
		socklen_t sl = sizeof(soerr);

		if ((fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC,
		    ai->ai_protocol)) == -1)
			continue;
		/* Non-blocking connect, so the timeout applies to it too. */
		fcntl(fd, F_SETFL, O_NONBLOCK);
		if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
			break;
		if (errno == EINPROGRESS) {
			pfd.fd = fd;
			pfd.events = POLLOUT;
			if (poll(&pfd, 1, d->timeout_ms ? d->timeout_ms : -1) == 1
			    && getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr,
			    &sl) == 0 && soerr == 0)
				break;
			errno = soerr ? soerr : ETIMEDOUT;
		}
		rc = errno;
		close(fd);
		fd = -1;
		errno = rc;
	}
	freeaddrinfo(res);
	if (fd == -1)
		return fail(d, DESK_CONNECT, "cannot connect to %s:%s: %s",
		    host, port, strerror(errno));
	fcntl(fd, F_SETFL, 0);
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (d->timeout_ms > 0) {
		struct timeval tv = { d->timeout_ms / 1000,
		    (d->timeout_ms % 1000) * 1000 };

		setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
		setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	}
	d->fd = fd;
	return DESK_OK;
}

int
desk_connect(struct desk **out, const struct desk_opts *o)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__Hello hello = DESKD__HELLO__INIT;
	Deskd__Response *resp = NULL;
	char host[256], port[32];
	struct desk *d;
	int rc;

	*out = NULL;
	if ((d = calloc(1, sizeof(*d))) == NULL)
		return DESK_CONNECT;
	*out = d;
	d->fd = -1;
	d->timeout_ms = o->timeout_ms;
	if (o->session_file && (d->session_file = strdup(o->session_file)) ==
	    NULL)
		return fail(d, DESK_CONNECT, "out of memory");
	if (split_host_port(o->server, host, sizeof(host), port,
	    sizeof(port)) != 0)
		return fail(d, DESK_USAGE, "server '%s' is not host:port",
		    o->server ? o->server : "");
	if ((rc = dial(d, host, port)) != DESK_OK)
		return rc;
	if ((d->ssl = ctls_connect(d->fd, host, o->ca_file, d->session_file,
	    d->err, sizeof(d->err))) == NULL)
		return DESK_CONNECT;

	hello.protocol_version = WIRE_VERSION;
	hello.client_name = (char *)(o->client_name ? o->client_name : "desk");
	hello.desk_name = (char *)(o->desk_name ? o->desk_name : "");
	req.body_case = DESKD__REQUEST__BODY_HELLO;
	req.hello = &hello;
	if ((rc = desk_call(d, &req, &resp)) != DESK_OK) {
		if (resp)
			deskd__response__free_unpacked(resp, NULL);
		return rc;
	}
	if (resp->body_case != DESKD__RESPONSE__BODY_WELCOME) {
		deskd__response__free_unpacked(resp, NULL);
		return fail(d, DESK_PROTOCOL, "server did not answer Hello "
		    "with Welcome");
	}
	d->welcome = resp->welcome;
	resp->welcome = NULL;
	deskd__response__free_unpacked(resp, NULL);
	return DESK_OK;
}

void
desk_close(struct desk *d)
{
	if (d == NULL)
		return;
	ctls_close(d->ssl, d->session_file);
	if (d->fd != -1)
		close(d->fd);
	while (d->stash_len > 0) {
		desk_frame_free(&d->stash[d->stash_head]);
		d->stash_head = (d->stash_head + 1) % d->stash_cap;
		d->stash_len--;
	}
	free(d->stash);
	free(d->rbuf);
	free(d->session_file);
	if (d->welcome)
		deskd__welcome__free_unpacked(d->welcome, NULL);
	free(d);
}

/* ---------- frames ---------- */

int
desk_write_raw(struct desk *d, const void *buf, size_t len)
{
	const uint8_t *p = buf;

	if (d->ssl == NULL)
		return fail(d, DESK_CONNECT, "not connected");
	while (len > 0) {
		int n = ctls_write(d->ssl, p, len, d->err, sizeof(d->err));

		if (n == -2)
			return fail(d, DESK_TIMEOUT, "timed out sending");
		if (n <= 0)
			return n == 0 ? fail(d, DESK_CONNECT,
			    "connection closed by the server") : DESK_CONNECT;
		p += n;
		len -= (size_t)n;
	}
	return DESK_OK;
}

int
desk_send(struct desk *d, const Deskd__Request *req, uint32_t *id)
{
	size_t len = deskd__request__get_packed_size(req);
	struct wire_header h = { WIRE_VERSION, WIRE_REQUEST, 0, 0,
	    (uint32_t)len };
	uint8_t *buf;
	int rc;

	if (++d->next_id == 0)
		d->next_id = 1;
	h.request_id = d->next_id;
	if ((buf = malloc(WIRE_HEADER_LEN + len)) == NULL)
		return fail(d, DESK_CONNECT, "out of memory");
	wire_header_encode(buf, &h);
	deskd__request__pack(req, buf + WIRE_HEADER_LEN);
	rc = desk_write_raw(d, buf, WIRE_HEADER_LEN + len);
	free(buf);
	if (id)
		*id = h.request_id;
	return rc;
}

/* Read more bytes into rbuf, waiting at most timeout_ms (0: forever). */
static int
fill(struct desk *d, int timeout_ms)
{
	int n;

	if (d->ssl == NULL)
		return fail(d, DESK_CONNECT, "not connected");
	if (ctls_pending(d->ssl) == 0 && timeout_ms > 0) {
		struct pollfd pfd = { d->fd, POLLIN, 0 };

		n = poll(&pfd, 1, timeout_ms);
		if (n == 0)
			return fail(d, DESK_TIMEOUT, "timed out waiting for "
			    "the server");
	}
	if (d->rcap - d->rlen < READ_CHUNK) {
		size_t ncap = d->rcap ? d->rcap * 2 : READ_CHUNK * 2;
		uint8_t *grown = realloc(d->rbuf, ncap);

		if (grown == NULL)
			return fail(d, DESK_CONNECT, "out of memory");
		d->rbuf = grown;
		d->rcap = ncap;
	}
	n = ctls_read(d->ssl, d->rbuf + d->rlen, d->rcap - d->rlen, d->err,
	    sizeof(d->err));
	if (n == -2)
		return fail(d, DESK_TIMEOUT, "timed out waiting for the server");
	if (n == 0) {
		if (!*d->err)
			fail(d, DESK_CONNECT, "connection closed by the server");
		return DESK_CONNECT;
	}
	if (n < 0)
		return DESK_CONNECT;
	d->rlen += (size_t)n;
	return DESK_OK;
}

static int
read_frame(struct desk *d, struct desk_frame *f, int timeout_ms)
{
	struct wire_header h;
	enum wire_check chk;
	int rc;

	memset(f, 0, sizeof(*f));
	d->err[0] = '\0';
	while (d->rlen < WIRE_HEADER_LEN)
		if ((rc = fill(d, timeout_ms)) != DESK_OK)
			return rc;
	if ((chk = wire_header_decode(d->rbuf, CLIENT_MAX_PAYLOAD, &h)) !=
	    WIRE_OK)
		return fail(d, DESK_PROTOCOL, "bad frame from server: %s",
		    wire_check_str(chk));
	while (d->rlen < WIRE_HEADER_LEN + (size_t)h.length)
		if ((rc = fill(d, timeout_ms)) != DESK_OK)
			return rc;
	f->kind = h.kind;
	f->request_id = h.request_id;
	if (h.kind == WIRE_RESPONSE)
		f->response = deskd__response__unpack(NULL, h.length,
		    d->rbuf + WIRE_HEADER_LEN);
	else if (h.kind == WIRE_EVENT)
		f->event = deskd__event__unpack(NULL, h.length,
		    d->rbuf + WIRE_HEADER_LEN);
	d->rlen -= WIRE_HEADER_LEN + h.length;
	memmove(d->rbuf, d->rbuf + WIRE_HEADER_LEN + h.length, d->rlen);
	if (f->response == NULL && f->event == NULL)
		return fail(d, DESK_PROTOCOL, "server sent an unreadable "
		    "frame (kind %u)", h.kind);
	return DESK_OK;
}

void
desk_frame_free(struct desk_frame *f)
{
	if (f->response)
		deskd__response__free_unpacked(f->response, NULL);
	if (f->event)
		deskd__event__free_unpacked(f->event, NULL);
	memset(f, 0, sizeof(*f));
}

static int
stash_push(struct desk *d, struct desk_frame *f)
{
	if (d->stash_len == d->stash_cap) {
		size_t ncap = d->stash_cap ? d->stash_cap * 2 : 16;
		struct desk_frame *grown = malloc(ncap * sizeof(*grown));

		if (grown == NULL)
			return fail(d, DESK_CONNECT, "out of memory");
		for (size_t i = 0; i < d->stash_len; i++)
			grown[i] = d->stash[(d->stash_head + i) % d->stash_cap];
		free(d->stash);
		d->stash = grown;
		d->stash_cap = ncap;
		d->stash_head = 0;
	}
	d->stash[(d->stash_head + d->stash_len) % d->stash_cap] = *f;
	d->stash_len++;
	return DESK_OK;
}

int
desk_recv(struct desk *d, struct desk_frame *f, int timeout_ms)
{
	if (d->stash_len > 0) {
		*f = d->stash[d->stash_head];
		d->stash_head = (d->stash_head + 1) % d->stash_cap;
		d->stash_len--;
		return DESK_OK;
	}
	return read_frame(d, f, timeout_ms < 0 ? d->timeout_ms : timeout_ms);
}

int
desk_call(struct desk *d, const Deskd__Request *req, Deskd__Response **resp)
{
	struct desk_frame f;
	uint32_t id;
	int rc;

	*resp = NULL;
	if ((rc = desk_send(d, req, &id)) != DESK_OK)
		return rc;
	for (;;) {
		if ((rc = read_frame(d, &f, d->timeout_ms)) != DESK_OK)
			return rc;
		if (f.kind == WIRE_RESPONSE && (f.request_id == id ||
		    f.request_id == 0)) {
			*resp = f.response;
			if (f.response->status == DESKD__STATUS__OK)
				return DESK_OK;
			return fail(d, desk_status_rc(f.response->status),
			    "%s (%s)", f.response->message,
			    desk_status_name(f.response->status));
		}
		if ((rc = stash_push(d, &f)) != DESK_OK) {
			desk_frame_free(&f);
			return rc;
		}
	}
}

/* ---------- conveniences ---------- */

int
desk_login(struct desk *d, const char *user, const char *password,
    const char *token, Deskd__LoginOk **ok)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__Login login = DESKD__LOGIN__INIT;
	Deskd__Response *resp;
	int rc;

	if (ok)
		*ok = NULL;
	login.user = (char *)(user ? user : "");
	login.password = (char *)(password ? password : "");
	login.token = (char *)(token ? token : "");
	req.body_case = DESKD__REQUEST__BODY_LOGIN;
	req.login = &login;
	rc = desk_call(d, &req, &resp);
	if (rc == DESK_OK && ok && resp->body_case ==
	    DESKD__RESPONSE__BODY_LOGIN_OK) {
		*ok = resp->login_ok;
		resp->login_ok = NULL;
	}
	if (resp)
		deskd__response__free_unpacked(resp, NULL);
	return rc;
}

int
desk_subscribe(struct desk *d, uint64_t since_seq,
    const char *const *type_prefixes, size_t n, uint64_t *last_seq)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__Subscribe sub = DESKD__SUBSCRIBE__INIT;
	Deskd__Response *resp;
	int rc;

	sub.since_seq = since_seq;
	sub.type_prefixes = (char **)type_prefixes;
	sub.n_type_prefixes = n;
	req.body_case = DESKD__REQUEST__BODY_SUBSCRIBE;
	req.subscribe = &sub;
	rc = desk_call(d, &req, &resp);
	if (rc == DESK_OK && last_seq && resp->body_case ==
	    DESKD__RESPONSE__BODY_SUBSCRIBED)
		*last_seq = resp->subscribed->last_seq;
	if (resp)
		deskd__response__free_unpacked(resp, NULL);
	return rc;
}
