/* ctls.h - every OpenSSL call of the client lives in client/tls.c. */
#ifndef DESK_CTLS_H
#define DESK_CTLS_H

#include <stdbool.h>
#include <stddef.h>

#include <openssl/ssl.h>

/* A connected, verified TLS session over fd, or NULL with err set. */
SSL	*ctls_connect(int fd, const char *host, const char *ca_file,
	    const char *session_file, char *err, size_t errlen);
void	 ctls_close(SSL *, const char *session_file);
/* Bytes moved, 0 on orderly EOF, -1 on error (err set), -2 on timeout. */
int	 ctls_read(SSL *, void *, size_t, char *err, size_t errlen);
int	 ctls_write(SSL *, const void *, size_t, char *err, size_t errlen);
bool	 ctls_reused(SSL *);
size_t	 ctls_pending(SSL *);

#endif
