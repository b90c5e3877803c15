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
/* A login told to wait longer than this is given up at once. */
#define LOGIN_WAIT_MAX_MS	10000

struct desk {
	int			 fd;
	SSL			*ssl;
	struct ctls_err		 err;
	char			 refused[32];	/* a refusal's status name */
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
	ctls_verrf(&d->err, fmt, ap);
	va_end(ap);
	d->refused[0] = '\0';
	return rc;
}

const char *
desk_error(const struct desk *d)
{
	return d ? d->err.text : "out of memory";
}

const struct refusal *
desk_error_why(const struct desk *d, const char **status)
{
	*status = d != NULL && d->refused[0] ? d->refused : NULL;
	return d != NULL && d->err.why.code != NULL ? &d->err.why : NULL;
}

/* The server's refusal: its English as ever, and its code and arguments
 * (PROTOCOL.md 6.1) when it sent them. */
static int
refused(struct desk *d, const Deskd__Response *r)
{
	struct refusal said = { 0 };
	int rc = fail(d, desk_status_rc(r->status), "%s (%s)", r->message,
	    desk_status_name(r->status));

	d->err.why.code = NULL;		/* not "%s (%s)": the server's */
	if (*r->code && r->n_args <= REFUSAL_MAX_ARGS) {
		said.code = r->code;
		said.nargs = (int)r->n_args;
		for (size_t i = 0; i < r->n_args; i++)
			said.args[i] = r->args[i];
		refusal_copy(&d->err.why, &said);
	}
	snprintf(d->refused, sizeof(d->refused), "%s",
	    desk_status_name(r->status));
	return rc;
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
	    &d->err)) == NULL)
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
		int n = ctls_write(d->ssl, p, len, &d->err);

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
	n = ctls_read(d->ssl, d->rbuf + d->rlen, d->rcap - d->rlen, &d->err);
	if (n == -2)
		return fail(d, DESK_TIMEOUT, "timed out waiting for the server");
	if (n == 0) {
		if (!*d->err.text)
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
	d->err.text[0] = '\0';
	d->err.why.code = NULL;
	d->refused[0] = '\0';
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

/* Take the stashed response to request `id` out of the stash; the
 * others keep their order. */
static bool
stash_take(struct desk *d, uint32_t id, struct desk_frame *f)
{
	for (size_t i = 0; i < d->stash_len; i++) {
		size_t at = (d->stash_head + i) % d->stash_cap;

		if (d->stash[at].kind != WIRE_RESPONSE ||
		    d->stash[at].request_id != id)
			continue;
		*f = d->stash[at];
		for (; i + 1 < d->stash_len; i++)
			d->stash[(d->stash_head + i) % d->stash_cap] =
			    d->stash[(d->stash_head + i + 1) % d->stash_cap];
		d->stash_len--;
		return true;
	}
	return false;
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
desk_fd(const struct desk *d)
{
	return d->fd;
}

bool
desk_pending(const struct desk *d)
{
	return d->stash_len > 0 || d->rlen > 0 ||
	    (d->ssl != NULL && ctls_pending(d->ssl) > 0);
}

int
desk_call(struct desk *d, const Deskd__Request *req, Deskd__Response **resp)
{
	uint32_t id = 0;	/* set by desk_send; gcc -O2 cannot tell */
	int rc;

	*resp = NULL;
	if ((rc = desk_send(d, req, &id)) != DESK_OK)
		return rc;
	return desk_wait(d, id, resp);
}

int
desk_wait(struct desk *d, uint32_t id, Deskd__Response **resp)
{
	struct desk_frame f;
	int rc;

	*resp = NULL;
	for (;;) {
		/* Pipelined: its response may have come while waiting for
		 * another one's. */
		if (!stash_take(d, id, &f) &&
		    (rc = read_frame(d, &f, d->timeout_ms)) != DESK_OK)
			return rc;
		if (f.kind == WIRE_RESPONSE && (f.request_id == id ||
		    f.request_id == 0)) {
			*resp = f.response;
			if (f.response->status == DESKD__STATUS__OK)
				return DESK_OK;
			return refused(d, f.response);
		}
		if ((rc = stash_push(d, &f)) != DESK_OK) {
			desk_frame_free(&f);
			return rc;
		}
	}
}

/* ---------- conveniences ---------- */

static void
nap_ms(uint32_t ms)
{
	/* poll, not sleep: no signal handler of the program's to mind. */
	while (poll(NULL, 0, (int)ms) == -1 && errno == EINTR)
		;
}

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
	/* Busy, or this name backing off: wait as told, twice at most
	 * (PROTOCOL.md 8.2), then give up saying so. */
	for (int tries = 1; ; tries++) {
		uint32_t wait;

		rc = desk_call(d, &req, &resp);
		if (resp == NULL || resp->status != DESKD__STATUS__TRY_LATER)
			break;
		wait = resp->retry_after_ms ? resp->retry_after_ms : 1000;
		if (tries == 3 || wait > LOGIN_WAIT_MAX_MS) {
			rc = fail(d, rc, "%s (TRY_LATER); gave up after %d "
			    "tries", resp->message, tries);
			break;
		}
		deskd__response__free_unpacked(resp, NULL);
		resp = NULL;
		nap_ms(wait);
	}
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
subscribe(struct desk *d, uint64_t since_seq,
    const char *const *type_prefixes, size_t n, bool marked,
    uint64_t *last_seq)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__Subscribe sub = DESKD__SUBSCRIBE__INIT;
	Deskd__Response *resp;
	int rc;

	sub.caught_up = marked;
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

int
desk_subscribe(struct desk *d, uint64_t since_seq,
    const char *const *type_prefixes, size_t n, uint64_t *last_seq)
{
	return subscribe(d, since_seq, type_prefixes, n, false, last_seq);
}

int
desk_subscribe_marked(struct desk *d, uint64_t since_seq,
    const char *const *type_prefixes, size_t n, uint64_t *last_seq)
{
	return subscribe(d, since_seq, type_prefixes, n, true, last_seq);
}

/*
 * ---------- bulk import (PROTOCOL.md 10.15) ----------
 *
 * Rows are packed into ImportBatch frames as they come, several batches in
 * flight, and the acknowledgements handed back row by row in order.
 * Memory is one batch being filled plus the requests in flight, whatever
 * the length of the input (H3).
 */

/* deskd's frame limit (max_payload, PROTOCOL.md 3): a row that cannot go
 * even alone is refused here, as the server would close the connection on
 * the frame.  The margin covers the kind and the row's own tags. */
#define FRAME_MAX	(1024 * 1024)
#define FRAME_MARGIN	1024

/* A row of the batch being filled: its ref and record in `bytes`. */
struct slot {
	uint32_t	line;
	size_t		ref_off, rec_off, rec_len;
};

struct sent {
	uint32_t	id;
	size_t		nrows;
};

struct desk_import {
	struct desk		*d;
	char			*kind;
	char			*file;	/* sent with each batch (H3) */
	unsigned		 flags;
	desk_import_result_fn	 cb;
	void			*arg;
	struct slot		 slots[DESK_IMPORT_ROWS];
	size_t			 nslots;
	uint8_t			*bytes;
	size_t			 blen, bcap;
	struct sent		 sent[DESK_IMPORT_INFLIGHT];
	size_t			 head, nsent;		/* a ring, oldest first */
	Deskd__ImportRow	 rows[DESK_IMPORT_ROWS];
	Deskd__ImportRow	*rowp[DESK_IMPORT_ROWS];
	struct desk_import_summary sum;
	int			 err;	/* sticky: the first error ends it */
};

int
desk_import_begin(struct desk *d, const char *kind, unsigned flags,
    desk_import_result_fn cb, void *arg, struct desk_import **out)
{
	struct desk_import *imp;

	*out = NULL;
	if (kind == NULL || *kind == '\0')
		return DESK_USAGE;
	if ((imp = calloc(1, sizeof(*imp))) == NULL ||
	    (imp->kind = strdup(kind)) == NULL) {
		free(imp);
		return fail(d, DESK_CONNECT, "out of memory");
	}
	imp->d = d;
	imp->flags = flags;
	imp->cb = cb;
	imp->arg = arg;
	*out = imp;
	return DESK_OK;
}

int
desk_import_file(struct desk_import *imp, const char *name)
{
	char *file;

	if ((file = strdup(name)) == NULL)
		return fail(imp->d, DESK_CONNECT, "out of memory");
	free(imp->file);
	imp->file = file;
	return DESK_OK;
}

static void
result(struct desk_import *imp, const Deskd__ImportResult *r)
{
	switch (r->outcome) {
	case DESKD__IMPORT_OUTCOME__IMPORT_STORED:
		imp->sum.stored++;
		break;
	case DESKD__IMPORT_OUTCOME__IMPORT_DUPLICATE:
		imp->sum.duplicates++;
		break;
	default:
		imp->sum.rejected++;
		break;
	}
	if (imp->cb)
		imp->cb(r, imp->arg);
}

/* Wait for the oldest batch's ack and hand its results on. */
static int
ack_oldest(struct desk_import *imp)
{
	struct sent *s = &imp->sent[imp->head];
	Deskd__Response *resp = NULL;
	const Deskd__ImportAck *ack;
	int rc;

	imp->head = (imp->head + 1) % DESK_IMPORT_INFLIGHT;
	imp->nsent--;
	if ((rc = desk_wait(imp->d, s->id, &resp)) == DESK_OK) {
		if (resp->body_case != DESKD__RESPONSE__BODY_IMPORT_ACK ||
		    (ack = resp->import_ack)->n_results != s->nrows)
			rc = fail(imp->d, DESK_PROTOCOL, "the server's answer "
			    "to an import batch of %zu rows is not its ack",
			    s->nrows);
		else
			for (size_t i = 0; i < ack->n_results; i++)
				result(imp, ack->results[i]);
	}
	if (resp)
		deskd__response__free_unpacked(resp, NULL);
	return rc;
}

/* Send the batch being filled; first make room in the window. */
static int
flush(struct desk_import *imp)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__ImportBatch b = DESKD__IMPORT_BATCH__INIT;
	struct sent *s;
	int rc;

	if (imp->nslots == 0)
		return DESK_OK;
	if (imp->nsent == DESK_IMPORT_INFLIGHT &&
	    (rc = ack_oldest(imp)) != DESK_OK)
		return rc;
	for (size_t i = 0; i < imp->nslots; i++) {
		const struct slot *sl = &imp->slots[i];

		deskd__import_row__init(&imp->rows[i]);
		imp->rows[i].line = sl->line;
		imp->rows[i].ref = (char *)imp->bytes + sl->ref_off;
		imp->rows[i].record.data = imp->bytes + sl->rec_off;
		imp->rows[i].record.len = sl->rec_len;
		imp->rowp[i] = &imp->rows[i];
	}
	b.kind = imp->kind;
	b.file = imp->file ? imp->file : "";
	b.rows = imp->rowp;
	b.n_rows = imp->nslots;
	b.dry_run = (imp->flags & DESK_IMPORT_DRY_RUN) != 0;
	b.allow_no_ref = (imp->flags & DESK_IMPORT_ALLOW_NO_REF) != 0;
	req.body_case = DESKD__REQUEST__BODY_IMPORT_BATCH;
	req.import_batch = &b;
	s = &imp->sent[(imp->head + imp->nsent) % DESK_IMPORT_INFLIGHT];
	if ((rc = desk_send(imp->d, &req, &s->id)) != DESK_OK)
		return rc;
	s->nrows = imp->nslots;
	imp->nsent++;
	imp->nslots = 0;
	imp->blen = 0;
	return DESK_OK;
}

/* Room for len more bytes in the batch; false when out of memory. */
static bool
reserve(struct desk_import *imp, size_t len)
{
	uint8_t *grown;
	size_t cap;

	if (imp->bcap - imp->blen >= len)
		return true;
	cap = imp->bcap ? imp->bcap : 64 * 1024;
	while (cap - imp->blen < len)
		cap *= 2;
	if ((grown = realloc(imp->bytes, cap)) == NULL)
		return false;
	imp->bytes = grown;
	imp->bcap = cap;
	return true;
}

/* A row refused before it was sent, told as the server tells a reject. */
static void
refuse(struct desk_import *imp, uint32_t line, const char *field,
    const char *reason)
{
	Deskd__ImportResult r = DESKD__IMPORT_RESULT__INIT;

	r.line = line;
	r.outcome = DESKD__IMPORT_OUTCOME__IMPORT_REJECTED;
	r.field = (char *)field;
	r.reason = (char *)reason;
	result(imp, &r);
}

int
desk_import_row(struct desk_import *imp, uint32_t line, const char *ref,
    const ProtobufCMessage *record)
{
	size_t rlen = ref ? strlen(ref) + 1 : 1;
	size_t len = protobuf_c_message_get_packed_size(record);
	struct slot *sl;

	if (imp->err != DESK_OK)
		return imp->err;
	imp->sum.rows++;
	if (len + rlen > FRAME_MAX - FRAME_MARGIN) {
		refuse(imp, line, "record", "too large for one frame (1 MiB)");
		return DESK_OK;
	}
	/* A full batch goes before this row would overfill it. */
	if ((imp->nslots == DESK_IMPORT_ROWS ||
	    (imp->nslots > 0 && imp->blen + len + rlen > DESK_IMPORT_BYTES)) &&
	    (imp->err = flush(imp)) != DESK_OK)
		return imp->err;
	if (!reserve(imp, len + rlen))
		return imp->err = fail(imp->d, DESK_CONNECT, "out of memory");
	sl = &imp->slots[imp->nslots++];
	sl->line = line;
	sl->ref_off = imp->blen;
	memcpy(imp->bytes + imp->blen, ref ? ref : "", rlen);
	imp->blen += rlen;
	sl->rec_off = imp->blen;
	sl->rec_len = protobuf_c_message_pack(record, imp->bytes + imp->blen);
	imp->blen += sl->rec_len;
	return DESK_OK;
}

int
desk_import_end(struct desk_import *imp, struct desk_import_summary *sum)
{
	int rc = imp->err;

	if (rc == DESK_OK)
		rc = flush(imp);
	/* The acks of what was sent are owed whatever happened since: read
	 * them while the connection lasts, so the counts say what is
	 * stored. */
	while (imp->nsent > 0) {
		int r = ack_oldest(imp);

		if (rc == DESK_OK)
			rc = r;
		if (r == DESK_CONNECT || r == DESK_TIMEOUT ||
		    r == DESK_PROTOCOL)
			break;
	}
	if (sum)
		*sum = imp->sum;
	free(imp->bytes);
	free(imp->kind);
	free(imp->file);
	free(imp);
	return rc;
}
