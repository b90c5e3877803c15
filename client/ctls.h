/* ctls.h - every OpenSSL call of the client lives in client/tls.c. */
#ifndef DESK_CTLS_H
#define DESK_CTLS_H

#include <stdbool.h>
#include <stddef.h>

#include <openssl/ssl.h>

#include "refusal.h"

/*
 * The library's error: its English, and the template and values it was
 * made of (refusal.h) so that desk says it in its user's language; the
 * templates are in desk's catalog (CMakeLists.txt: fail, ctls_errf).
 */
struct ctls_err {
	char		 text[512];
	struct refusal	 why;
};
void	 ctls_errf(struct ctls_err *, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
void	 ctls_verrf(struct ctls_err *, const char *fmt, va_list)
	    __attribute__((format(printf, 2, 0)));

/* A connected, verified TLS session over fd, or NULL with err set. */
SSL	*ctls_connect(int fd, const char *host, const char *ca_file,
	    const char *session_file, struct ctls_err *);
void	 ctls_close(SSL *, const char *session_file);
/* Bytes moved, 0 on orderly EOF, -1 on error (err set), -2 on timeout. */
int	 ctls_read(SSL *, void *, size_t, struct ctls_err *);
int	 ctls_write(SSL *, const void *, size_t, struct ctls_err *);
bool	 ctls_reused(SSL *);
size_t	 ctls_pending(SSL *);

#endif
