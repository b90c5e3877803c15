/* password.h - password hashing (PBKDF2-HMAC-SHA256) and session tokens. */
#ifndef DESKD_PASSWORD_H
#define DESKD_PASSWORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PASSWORD_SALT_LEN	16
#define PASSWORD_HASH_LEN	32
#define TOKEN_HEX_LEN		64

/* 0 on success; salt is made fresh. */
int	password_hash(const char *pw, uint32_t iterations,
	    uint8_t salt[PASSWORD_SALT_LEN], uint8_t out[PASSWORD_HASH_LEN]);
/* The raw derivation (the worker runs it, core/worker.c); 0 on success. */
int	password_derive(const char *pw, const uint8_t *salt, size_t saltlen,
	    uint32_t iterations, uint8_t out[PASSWORD_HASH_LEN]);
bool	password_check(const char *pw, const uint8_t *salt, size_t saltlen,
	    uint32_t iterations, const uint8_t *hash, size_t hashlen);
/* A new random token, hex, NUL-terminated. */
int	token_new(char out[TOKEN_HEX_LEN + 1]);
/* Tokens are stored only as their SHA-256. */
void	token_hash(const char *token, uint8_t out[32]);

#endif
