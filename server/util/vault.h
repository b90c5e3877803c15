/*
 * vault.h - the owner archive's secrets at rest (E6).  Phone and ID numbers
 * are sealed with AES-256-GCM under a key read from a file kept outside the
 * data directory, so the data directory alone reveals nothing; displays get
 * masks.  There is no plaintext fallback: a blob that does not open is an
 * error, never shown as it is.
 */
#ifndef DESKD_VAULT_H
#define DESKD_VAULT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <protobuf-c/protobuf-c.h>

#define VAULT_VERSION		1
#define VAULT_KEY_LEN		32
#define VAULT_NONCE_LEN		12
#define VAULT_TAG_LEN		16
#define VAULT_OVERHEAD		(1 + VAULT_NONCE_LEN + VAULT_TAG_LEN)
/* The constant sealed into the store's meta so a wrong key is found at
 * startup, before any request (aad VAULT_CHECK_AAD). */
#define VAULT_CHECK_AAD		"meta.archive_key_check"
#define VAULT_CHECK_PLAIN	"deskd archive key check v1"

struct vault;

/* Read a key file (64 hex chars = 32 bytes, optional trailing newline); -1
 * with err.  A key file readable by group or other is opened, with a
 * warning in the log. */
int	 vault_open(struct vault **, const char *keyfile, char *err,
	    size_t errlen);
/* A vault from raw key bytes (tests, the bench). */
int	 vault_from_key(struct vault **, const uint8_t key[VAULT_KEY_LEN]);
void	 vault_free(struct vault *);
/* AES-256-GCM: out = version byte | 12-byte random nonce | ciphertext |
 * 16-byte tag.  `aad` binds the blob to its place (e.g. "person.phone").
 * Caller frees *out.  0 or -1. */
int	 vault_seal(const struct vault *, const char *aad, const char *plain,
	    uint8_t **out, size_t *outlen);
/* The plaintext (NUL-terminated, caller frees) or NULL when the blob does
 * not open (wrong key, wrong place, tampered, truncated). */
char	*vault_unseal(const struct vault *, const char *aad,
	    const uint8_t *blob, size_t len);
/* Write a new random key file (mode 0600, never overwriting); 0 or -1. */
int	 vault_keygen(const char *keyfile, char *err, size_t errlen);

/* Masks for display: "13800000000" -> "138****0000"; other numbers keep
 * their last 4; ID numbers keep the first 3 and last 4
 * ("110***********1234").  Short values are masked entirely. */
void	 mask_phone(const char *plain, char *out, size_t outlen);
void	 mask_id(const char *plain, char *out, size_t outlen);

/*
 * E6: the contact phones of a message (its singular string fields named
 * *phone, not masks already) masked in place for the event log, the masks
 * held here; phones_restore puts the numbers back.
 */
#define PHONES_MAX	4
struct masked_phones {
	size_t	  n;
	char	**at[PHONES_MAX];
	char	 *plain[PHONES_MAX];
	char	  mask[PHONES_MAX][64];
};
void	phones_mask(ProtobufCMessage *, struct masked_phones *);
void	phones_restore(struct masked_phones *);
/* A stored record packed as its event shows it (store_event_form_fn). */
uint8_t	*record_event_form(ProtobufCMessage *, size_t *len);
/*
 * E6: the same phones of a record masked in place for a reply or an
 * export, the one masking every reader of a complaint or a work order
 * goes through (the archive's numbers are sealed and masked at the
 * source).  The strings must be the message's own or the context's,
 * never a request's: a retried batch reads its requests again.
 */
void	contacts_mask(ProtobufCMessage *);
/* The same in a record's packed bytes, in place (no decode: a bulk
 * export); false when they are not a well-formed message of d. */
bool	contacts_mask_packed(const ProtobufCMessageDescriptor *, uint8_t *,
	    size_t);

#endif
