/*
 * test_tls.c - what deskd's TLS offers a client.  TLS 1.2 is kept for older
 * desks, but only with AEAD suites: CBC with SHA-1 MACs is what scanners
 * flag (LUCKY13), so a client that offers nothing else must be refused.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <unistd.h>

#include <cmocka.h>
#include <openssl/err.h>
#include <openssl/ssl.h>

#include "harness.h"

static struct server_proc srv;

/* 1 if a TLS 1.2 client offering only `ciphers` completes a handshake. */
static int
tls12_handshake(const char *ciphers)
{
	SSL_CTX *ctx;
	SSL *ssl;
	int fd, ok;

	assert_non_null(ctx = SSL_CTX_new(TLS_client_method()));
	SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
	SSL_CTX_set_max_proto_version(ctx, TLS1_2_VERSION);
	assert_int_equal(SSL_CTX_set_cipher_list(ctx, ciphers), 1);
	assert_int_equal(SSL_CTX_load_verify_locations(ctx, h_ca(), NULL), 1);
	SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
	assert_true((fd = h_tcp(&srv)) >= 0);
	assert_non_null(ssl = SSL_new(ctx));
	SSL_set_fd(ssl, fd);
	ok = SSL_connect(ssl) == 1;
	if (ok)
		assert_string_equal(SSL_get_cipher_name(ssl), ciphers);
	ERR_clear_error();
	SSL_free(ssl);
	SSL_CTX_free(ctx);
	close(fd);
	return ok;
}

/* TLS 1.2's CBC suites (SHA-1 and SHA-256 MACs) are refused, its AEAD
 * ones accepted; a desk's default client (TLS 1.3) still gets in. */
static void
test_tls12_aead_only(void **state)
{
	(void)state;
	srv_setup(&srv, NULL);
	assert_false(tls12_handshake("ECDHE-ECDSA-AES128-SHA"));
	assert_false(tls12_handshake("ECDHE-ECDSA-AES256-SHA"));
	assert_false(tls12_handshake("ECDHE-ECDSA-AES128-SHA256"));
	assert_true(tls12_handshake("ECDHE-ECDSA-AES128-GCM-SHA256"));
	assert_true(tls12_handshake("ECDHE-ECDSA-CHACHA20-POLY1305"));
	desk_close(h_login(&srv, ADMIN_USER, ADMIN_PASS));
	srv_teardown(&srv);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tls12_aead_only),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
