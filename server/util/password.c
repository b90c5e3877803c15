/* password.c - OpenSSL's PBKDF2 and RAND; never a password in the clear. */
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "password.h"

int
password_derive(const char *pw, const uint8_t *salt, size_t saltlen,
    uint32_t iterations, uint8_t out[PASSWORD_HASH_LEN])
{
	if (iterations == 0 || iterations > 0x7fffffff)
		return -1;
	return PKCS5_PBKDF2_HMAC(pw, (int)strlen(pw), salt, (int)saltlen,
	    (int)iterations, EVP_sha256(), PASSWORD_HASH_LEN, out) == 1 ? 0 : -1;
}

int
password_hash(const char *pw, uint32_t iterations,
    uint8_t salt[PASSWORD_SALT_LEN], uint8_t out[PASSWORD_HASH_LEN])
{
	if (RAND_bytes(salt, PASSWORD_SALT_LEN) != 1)
		return -1;
	return password_derive(pw, salt, PASSWORD_SALT_LEN, iterations, out);
}

bool
password_check(const char *pw, const uint8_t *salt, size_t saltlen,
    uint32_t iterations, const uint8_t *hash, size_t hashlen)
{
	uint8_t got[PASSWORD_HASH_LEN];

	if (hashlen != PASSWORD_HASH_LEN || iterations == 0 ||
	    password_derive(pw, salt, saltlen, iterations, got) != 0)
		return false;
	return CRYPTO_memcmp(got, hash, PASSWORD_HASH_LEN) == 0;
}

int
token_new(char out[TOKEN_HEX_LEN + 1])
{
	static const char hex[] = "0123456789abcdef";
	uint8_t raw[TOKEN_HEX_LEN / 2];

	if (RAND_bytes(raw, sizeof(raw)) != 1)
		return -1;
	for (size_t i = 0; i < sizeof(raw); i++) {
		out[2 * i] = hex[raw[i] >> 4];
		out[2 * i + 1] = hex[raw[i] & 15];
	}
	out[TOKEN_HEX_LEN] = '\0';
	return 0;
}

void
token_hash(const char *token, uint8_t out[32])
{
	unsigned int n = 32;

	if (EVP_Digest(token, strlen(token), out, &n, EVP_sha256(), NULL) != 1)
		memset(out, 0, 32);
}
