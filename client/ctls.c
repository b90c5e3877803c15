/*
 * ctls.c - client TLS: verify the server against the CA and the host name,
 * TLS 1.2 minimum, and resume the last session (kept in memory and, when
 * asked, in a file) so a reconnecting desk skips the full handshake.
 */
#include <errno.h>
#include <stdarg.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "ctls.h"
#include "i18n.h"

/* One context and one remembered session per process, shared by every
 * connection; the lock lets threads (the bench, importers) connect at once. */
static pthread_mutex_t	 cache_mu = PTHREAD_MUTEX_INITIALIZER;
static SSL_CTX		*ctx_cached;
static char		 ctx_ca[512];
static SSL_SESSION	*session_cached;
static char		 session_host[256];

void
ctls_verrf(struct ctls_err *err, const char *fmt, va_list ap)
{
	if (!refusal_capture(&err->why, fmt, ap))
		err->why.code = NULL;
	vsnprintf(err->text, sizeof(err->text), fmt, ap);
}

void
ctls_errf(struct ctls_err *err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ctls_verrf(err, fmt, ap);
	va_end(ap);
}

/* what: a text of desk's catalog (N_) or an OpenSSL call's name. */
static void
ssl_err(struct ctls_err *err, const char *what)
{
	unsigned long e = ERR_get_error();
	char buf[256] = "";

	if (e) {
		ERR_error_string_n(e, buf, sizeof(buf));
		ctls_errf(err, "%s: %s", what, buf);
	} else
		ctls_errf(err, "%s", what);
	ERR_clear_error();
}

static SSL_CTX *
client_ctx(const char *ca_file, struct ctls_err *err)
{
	const char *ca = ca_file ? ca_file : "";
	SSL_CTX *ctx;

	if (ctx_cached != NULL && strcmp(ctx_ca, ca) == 0)
		return ctx_cached;
	if ((ctx = SSL_CTX_new(TLS_client_method())) == NULL) {
		ssl_err(err, "SSL_CTX_new");
		return NULL;
	}
	SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
	SSL_CTX_set_options(ctx, SSL_OP_IGNORE_UNEXPECTED_EOF);
	SSL_CTX_set_mode(ctx, SSL_MODE_AUTO_RETRY);
	SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
	SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_CLIENT |
	    SSL_SESS_CACHE_NO_INTERNAL_STORE);
	if (*ca ? SSL_CTX_load_verify_locations(ctx, ca, NULL) != 1 :
	    SSL_CTX_set_default_verify_paths(ctx) != 1) {
		unsigned long e = ERR_get_error();
		char buf[256] = "";

		if (e)
			ERR_error_string_n(e, buf, sizeof(buf));
		ctls_errf(err, "CA %s: %s", *ca ? ca : "(system)", buf);
		ERR_clear_error();
		SSL_CTX_free(ctx);
		return NULL;
	}
	if (ctx_cached != NULL)
		SSL_CTX_free(ctx_cached);
	ctx_cached = ctx;
	snprintf(ctx_ca, sizeof(ctx_ca), "%s", ca);
	return ctx;
}

static SSL_SESSION *
session_load(const char *host, const char *file)
{
	SSL_SESSION *s = NULL;
	FILE *f;

	if (session_cached != NULL && strcmp(session_host, host) == 0) {
		SSL_SESSION_up_ref(session_cached);
		return session_cached;
	}
	if (file != NULL && (f = fopen(file, "r")) != NULL) {
		s = PEM_read_SSL_SESSION(f, NULL, NULL, NULL);
		fclose(f);
		ERR_clear_error();
	}
	return s;
}

SSL *
ctls_connect(int fd, const char *host, const char *ca_file,
    const char *session_file, struct ctls_err *err)
{
	SSL_CTX *ctx;
	SSL_SESSION *sess;
	SSL *ssl;
	long vr;

	pthread_mutex_lock(&cache_mu);
	if ((ctx = client_ctx(ca_file, err)) == NULL) {
		pthread_mutex_unlock(&cache_mu);
		return NULL;
	}
	ssl = SSL_new(ctx);
	sess = ssl ? session_load(host, session_file) : NULL;
	pthread_mutex_unlock(&cache_mu);
	if (ssl == NULL) {
		ssl_err(err, "SSL_new");
		return NULL;
	}
	SSL_set_fd(ssl, fd);
	/* The certificate must name the host we dialled (or its IP). */
	SSL_set_tlsext_host_name(ssl, host);
	if (SSL_set1_host(ssl, host) != 1) {
		ssl_err(err, "SSL_set1_host");
		SSL_free(ssl);
		return NULL;
	}
	if (sess != NULL) {
		SSL_set_session(ssl, sess);
		SSL_SESSION_free(sess);
	}
	if (SSL_connect(ssl) != 1) {
		vr = SSL_get_verify_result(ssl);
		if (vr != X509_V_OK) {
			ctls_errf(err, "TLS: server certificate not trusted: "
			    "%s", X509_verify_cert_error_string(vr));
			ERR_clear_error();
		} else
			ssl_err(err, N_("TLS handshake failed"));
		SSL_free(ssl);
		return NULL;
	}
	pthread_mutex_lock(&cache_mu);
	snprintf(session_host, sizeof(session_host), "%s", host);
	pthread_mutex_unlock(&cache_mu);
	return ssl;
}

bool
ctls_reused(SSL *ssl)
{
	return SSL_session_reused(ssl) == 1;
}

size_t
ctls_pending(SSL *ssl)
{
	return (size_t)SSL_pending(ssl);
}

void
ctls_close(SSL *ssl, const char *session_file)
{
	SSL_SESSION *s;
	FILE *f;

	if (ssl == NULL)
		return;
	/* TLS 1.3 tickets arrive after the handshake: take it at the end. */
	if ((s = SSL_get1_session(ssl)) != NULL) {
		if (SSL_SESSION_is_resumable(s)) {
			pthread_mutex_lock(&cache_mu);
			if (session_cached)
				SSL_SESSION_free(session_cached);
			session_cached = s;
			SSL_SESSION_up_ref(s);
			if (session_file != NULL &&
			    (f = fopen(session_file, "w")) != NULL) {
				PEM_write_SSL_SESSION(f, s);
				fclose(f);
			}
			pthread_mutex_unlock(&cache_mu);
		}
		SSL_SESSION_free(s);
	}
	SSL_shutdown(ssl);
	ERR_clear_error();
	SSL_free(ssl);
}

static int
io_result(SSL *ssl, int n, struct ctls_err *err)
{
	int e = SSL_get_error(ssl, n);

	if (e == SSL_ERROR_ZERO_RETURN)
		return 0;
	if (e == SSL_ERROR_SYSCALL && (errno == EAGAIN || errno == EWOULDBLOCK))
		return -2;
	if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE)
		return -2;
	if (e == SSL_ERROR_SYSCALL && errno == 0) {
		ctls_errf(err, "connection closed by the server");
		return 0;
	}
	if (e == SSL_ERROR_SYSCALL)
		ctls_errf(err, "connection: %s", strerror(errno));
	else
		ssl_err(err, "TLS");
	ERR_clear_error();
	return -1;
}

int
ctls_read(SSL *ssl, void *buf, size_t len, struct ctls_err *err)
{
	int n;

	errno = 0;
	n = SSL_read(ssl, buf, len > 1 << 30 ? 1 << 30 : (int)len);
	return n > 0 ? n : io_result(ssl, n, err);
}

int
ctls_write(SSL *ssl, const void *buf, size_t len, struct ctls_err *err)
{
	int n;

	errno = 0;
	n = SSL_write(ssl, buf, len > 1 << 30 ? 1 << 30 : (int)len);
	return n > 0 ? n : io_result(ssl, n, err);
}
