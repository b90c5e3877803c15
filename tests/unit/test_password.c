/*
 * test_password.c - PBKDF2-HMAC-SHA256 password hashes and session tokens.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "password.h"

/* Cheap for tests; the server's default is 200000. */
#define ITER	1000

static void
round_trip(void **state)
{
	uint8_t salt[PASSWORD_SALT_LEN], hash[PASSWORD_HASH_LEN];
	static const char *pws[] = { "correct horse", "", "密码 123",
	    "a much longer passphrase with spaces and punctuation!" };

	(void)state;
	for (size_t i = 0; i < sizeof(pws) / sizeof(pws[0]); i++) {
		assert_int_equal(password_hash(pws[i], ITER, salt, hash), 0);
		assert_true(password_check(pws[i], salt, sizeof(salt), ITER,
		    hash, sizeof(hash)));
	}
}

static void
wrong_password(void **state)
{
	uint8_t salt[PASSWORD_SALT_LEN], hash[PASSWORD_HASH_LEN];
	uint8_t other[PASSWORD_SALT_LEN];

	(void)state;
	assert_int_equal(password_hash("correct horse", ITER, salt, hash), 0);
	assert_false(password_check("correct hors", salt, sizeof(salt), ITER,
	    hash, sizeof(hash)));
	assert_false(password_check("Correct horse", salt, sizeof(salt), ITER,
	    hash, sizeof(hash)));
	assert_false(password_check("correct horse ", salt, sizeof(salt),
	    ITER, hash, sizeof(hash)));
	assert_false(password_check("", salt, sizeof(salt), ITER, hash,
	    sizeof(hash)));
	/* Salt, cost and hash are all part of it. */
	memcpy(other, salt, sizeof(other));
	other[0] ^= 1;
	assert_false(password_check("correct horse", other, sizeof(other),
	    ITER, hash, sizeof(hash)));
	assert_false(password_check("correct horse", salt, sizeof(salt),
	    ITER + 1, hash, sizeof(hash)));
	assert_false(password_check("correct horse", salt, sizeof(salt), 0,
	    hash, sizeof(hash)));
	assert_false(password_check("correct horse", salt, sizeof(salt), ITER,
	    hash, sizeof(hash) - 1));
	hash[PASSWORD_HASH_LEN - 1] ^= 0x80;
	assert_false(password_check("correct horse", salt, sizeof(salt), ITER,
	    hash, sizeof(hash)));
}

static void
fresh_salt(void **state)
{
	uint8_t s1[PASSWORD_SALT_LEN], h1[PASSWORD_HASH_LEN];
	uint8_t s2[PASSWORD_SALT_LEN], h2[PASSWORD_HASH_LEN];

	(void)state;
	/* The same password twice is stored differently. */
	assert_int_equal(password_hash("secret", ITER, s1, h1), 0);
	assert_int_equal(password_hash("secret", ITER, s2, h2), 0);
	assert_memory_not_equal(s1, s2, sizeof(s1));
	assert_memory_not_equal(h1, h2, sizeof(h1));
}

/* RFC 7914 section 11's PBKDF2-HMAC-SHA256 vectors: stored hashes must
 * keep verifying whatever the implementation underneath. */
static void
known_vectors(void **state)
{
	static const uint8_t one[32] = {
		0x12, 0x0f, 0xb6, 0xcf, 0xfc, 0xf8, 0xb3, 0x2c,
		0x43, 0xe7, 0x22, 0x52, 0x56, 0xc4, 0xf8, 0x37,
		0xa8, 0x65, 0x48, 0xc9, 0x2c, 0xcc, 0x35, 0x48,
		0x08, 0x05, 0x98, 0x7c, 0xb7, 0x0b, 0xe1, 0x7b,
	};
	static const uint8_t two[32] = {
		0xae, 0x4d, 0x0c, 0x95, 0xaf, 0x6b, 0x46, 0xd3,
		0x2d, 0x0a, 0xdf, 0xf9, 0x28, 0xf0, 0x6d, 0xd0,
		0x2a, 0x30, 0x3f, 0x8e, 0xf3, 0xc2, 0x51, 0xdf,
		0xd6, 0xe2, 0xd8, 0x5a, 0x95, 0x47, 0x4c, 0x43,
	};

	(void)state;
	assert_true(password_check("password", (const uint8_t *)"salt", 4, 1,
	    one, sizeof(one)));
	assert_true(password_check("password", (const uint8_t *)"salt", 4, 2,
	    two, sizeof(two)));
	assert_false(password_check("password", (const uint8_t *)"salt", 4, 2,
	    one, sizeof(one)));
}

static bool
all_hex(const char *s)
{
	for (; *s; s++)
		if (strchr("0123456789abcdef", *s) == NULL)
			return false;
	return true;
}

static void
tokens(void **state)
{
	char a[TOKEN_HEX_LEN + 1], b[TOKEN_HEX_LEN + 1];
	uint8_t ha[32], hb[32], ha2[32];

	(void)state;
	memset(a, 'x', sizeof(a));
	assert_int_equal(token_new(a), 0);
	assert_int_equal(strlen(a), 64);
	assert_true(all_hex(a));
	assert_int_equal(token_new(b), 0);
	assert_int_equal(strlen(b), 64);
	assert_true(all_hex(b));
	assert_string_not_equal(a, b);

	/* Stored by hash: the same token always finds its session. */
	token_hash(a, ha);
	token_hash(a, ha2);
	token_hash(b, hb);
	assert_memory_equal(ha, ha2, 32);
	assert_memory_not_equal(ha, hb, 32);
}

static void
token_hash_is_sha256(void **state)
{
	static const uint8_t abc[32] = {
		0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea,
		0x41, 0x41, 0x40, 0xde, 0x5d, 0xae, 0x22, 0x23,
		0xb0, 0x03, 0x61, 0xa3, 0x96, 0x17, 0x7a, 0x9c,
		0xb4, 0x10, 0xff, 0x61, 0xf2, 0x00, 0x15, 0xad,
	};
	uint8_t out[32];

	(void)state;
	token_hash("abc", out);
	assert_memory_equal(out, abc, 32);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(round_trip),
		cmocka_unit_test(wrong_password),
		cmocka_unit_test(fresh_salt),
		cmocka_unit_test(known_vectors),
		cmocka_unit_test(tokens),
		cmocka_unit_test(token_hash_is_sha256),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
