/* tls.h - every OpenSSL call of the server lives in tls.c. */
#ifndef DESKD_TLS_H
#define DESKD_TLS_H

#include <stddef.h>

#include <event2/bufferevent.h>
#include <openssl/ssl.h>

SSL_CTX	*tls_server_ctx(const char *cert, const char *key, char *err,
	    size_t errlen);
void	 tls_ctx_free(SSL_CTX *);
struct bufferevent *tls_accept(struct event_base *, SSL_CTX *, evutil_socket_t);
/* Run the read event again if records wait in the TLS layer (read ahead). */
void	 tls_read_pending(struct bufferevent *);
/* Write the output now, in this pass; only once the handshake is done. */
void	 tls_write_now(struct bufferevent *);
/* Send close_notify (best effort) and free the bufferevent and its SSL. */
void	 tls_bev_free(struct bufferevent *);
/* Drain OpenSSL's error queue into buf; returns how many errors there were. */
int	 tls_drain_errors(struct bufferevent *, char *buf, size_t len);

#endif
