/*
 * tls.c - server TLS: ECDSA or RSA certificate, TLS 1.2 minimum, session
 * resumption (tickets and a server-side cache), and the libevent/OpenSSL 3
 * shutdown rules from STYLE.md.
 */
#include <stdio.h>
#include <string.h>

#include <event2/bufferevent_ssl.h>
#include <event2/bufferevent_struct.h>
#include <event2/event.h>
#include <openssl/err.h>

#include "tls.h"

/* tls_read_pending and tls_write_now reach into struct bufferevent and
 * bufferevent_openssl's own event callbacks, as libevent 2.1 has them:
 * read them again before building with another libevent. */
#if LIBEVENT_VERSION_NUMBER < 0x02010000 || LIBEVENT_VERSION_NUMBER >= 0x02020000
#error "tls.c is written against libevent 2.1's bufferevent_openssl"
#endif

static void
errbuf(char *err, size_t errlen, const char *what)
{
	unsigned long e = ERR_get_error();
	char buf[256];

	ERR_error_string_n(e, buf, sizeof(buf));
	snprintf(err, errlen, "%s: %s", what, e ? buf : "unknown error");
	ERR_clear_error();
}

SSL_CTX *
tls_server_ctx(const char *cert, const char *key, char *err, size_t errlen)
{
	static const unsigned char sid_ctx[] = "deskd";
	SSL_CTX *ctx;

	if ((ctx = SSL_CTX_new(TLS_server_method())) == NULL) {
		errbuf(err, errlen, "SSL_CTX_new");
		return NULL;
	}
	SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
	/*
	 * TLS 1.2 with AEAD suites only: CBC with a SHA-1/SHA-2 MAC is
	 * LUCKY13's ground.  TLS 1.3's suites are all AEAD already.
	 */
	if (SSL_CTX_set_cipher_list(ctx, "ECDHE+AESGCM:ECDHE+CHACHA20") != 1) {
		errbuf(err, errlen, "SSL_CTX_set_cipher_list");
		goto fail;
	}
	/*
	 * A peer that drops TCP without close_notify would otherwise surface as
	 * SSL_R_UNEXPECTED_EOF_WHILE_READING; our length prefix already detects
	 * truncation, so treat it as a plain EOF.
	 */
	SSL_CTX_set_options(ctx, SSL_OP_IGNORE_UNEXPECTED_EOF |
	    SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE);
	/* Idle desks hold no 16 KiB read/write buffers: memory per connection. */
	SSL_CTX_set_mode(ctx, SSL_MODE_RELEASE_BUFFERS);
	/* One read() takes every record that has arrived, not two read()s a
	 * record (its header, then its body); tls_read_pending below is
	 * what makes this safe under bufferevent_openssl. */
	SSL_CTX_set_read_ahead(ctx, 1);
	SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_SERVER);
	SSL_CTX_set_session_id_context(ctx, sid_ctx, sizeof(sid_ctx) - 1);
	SSL_CTX_sess_set_cache_size(ctx, 20000);
	if (SSL_CTX_use_certificate_chain_file(ctx, cert) != 1) {
		errbuf(err, errlen, cert);
		goto fail;
	}
	if (SSL_CTX_use_PrivateKey_file(ctx, key, SSL_FILETYPE_PEM) != 1) {
		errbuf(err, errlen, key);
		goto fail;
	}
	if (SSL_CTX_check_private_key(ctx) != 1) {
		errbuf(err, errlen, "certificate and key do not match");
		goto fail;
	}
	return ctx;
fail:
	SSL_CTX_free(ctx);
	return NULL;
}

void
tls_ctx_free(SSL_CTX *ctx)
{
	SSL_CTX_free(ctx);
}

struct bufferevent *
tls_accept(struct event_base *base, SSL_CTX *ctx, evutil_socket_t fd)
{
	struct bufferevent *bev;
	SSL *ssl;

	if ((ssl = SSL_new(ctx)) == NULL) {
		ERR_clear_error();
		return NULL;
	}
	/* No BEV_OPT_DEFER_CALLBACKS: deferred callbacks misbehave on filter
	 * bufferevents (libevent 952). */
	bev = bufferevent_openssl_socket_new(base, fd, ssl,
	    BUFFEREVENT_SSL_ACCEPTING, BEV_OPT_CLOSE_ON_FREE);
	if (bev == NULL)
		SSL_free(ssl);
	return bev;
}

/*
 * bufferevent_openssl (libevent 2.1.12, consider_reading) reads on until
 * SSL_pending() is 0, which counts only the record being processed: the
 * records read ahead behind it wait for the socket to be readable again,
 * which it may never be (curl 17596 hit the same).  Whoever stops reading
 * with reading enabled calls this: it makes the read event active, so it
 * runs at its priority before the loop waits again.  A partial record
 * read ahead makes it run once for nothing (SSL_read wants the rest from
 * the socket).
 */
void
tls_read_pending(struct bufferevent *bev)
{
	SSL *ssl = bufferevent_openssl_get_ssl(bev);

	if (ssl != NULL && SSL_has_pending(ssl) &&
	    (bufferevent_get_enabled(bev) & EV_READ))
		event_active(&bev->ev_read, EV_READ, 1);
}

/*
 * bufferevent_openssl writes only from its write event: output added to
 * an empty buffer adds the event (be_openssl_outbuf_cb), the next
 * epoll_wait reports the socket writable, consider_writing writes and
 * deletes the event: two epoll_ctl calls and a loop pass for every reply
 * and push.  Running the event's callback now writes in this pass, and
 * with the epoll changelist (main.c) the add and the delete cancel out
 * before epoll sees either.  After the handshake only: before it, the
 * write event's callback is the handshake's.
 */
void
tls_write_now(struct bufferevent *bev)
{
	event_callback_fn cb = event_get_callback(&bev->ev_write);
	SSL *ssl = bufferevent_openssl_get_ssl(bev);

	if (cb != NULL && ssl != NULL && SSL_is_init_finished(ssl))
		cb(bufferevent_getfd(bev), EV_WRITE,
		    event_get_callback_arg(&bev->ev_write));
}

void
tls_bev_free(struct bufferevent *bev)
{
	SSL *ssl = bufferevent_openssl_get_ssl(bev);

	bufferevent_setcb(bev, NULL, NULL, NULL, NULL);
	bufferevent_disable(bev, EV_READ | EV_WRITE);
	if (ssl != NULL) {
		/* Send close_notify without waiting for the peer's (libevent book). */
		SSL_set_shutdown(ssl, SSL_RECEIVED_SHUTDOWN);
		SSL_shutdown(ssl);
	}
	ERR_clear_error();
	/* The bufferevent owns the SSL: never SSL_free it here (libevent 472). */
	bufferevent_free(bev);
}

int
tls_drain_errors(struct bufferevent *bev, char *buf, size_t len)
{
	unsigned long e;
	int n = 0;

	buf[0] = '\0';
	while ((e = bufferevent_get_openssl_error(bev)) != 0) {
		/* libevent also queues SSL_get_error()'s SSL_ERROR_SYSCALL (5),
		 * which is no OpenSSL error: the socket's errno tells more. */
		if (ERR_GET_LIB(e) == 0 && e < 0x100)
			continue;
		if (n++ == 0)
			ERR_error_string_n(e, buf, len);
	}
	ERR_clear_error();
	return n;
}
