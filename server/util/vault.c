/*
 * vault.c - AES-256-GCM sealing of the archive's phone and ID numbers (E6)
 * with OpenSSL's EVP, and the masks every display uses.
 */
#include <sys/stat.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "log.h"
#include "store.h"
#include "vault.h"

struct vault {
	uint8_t	key[VAULT_KEY_LEN];
};

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

int
vault_from_key(struct vault **out, const uint8_t key[VAULT_KEY_LEN])
{
	struct vault *v;

	if ((v = calloc(1, sizeof(*v))) == NULL)
		return -1;
	memcpy(v->key, key, VAULT_KEY_LEN);
	*out = v;
	return 0;
}

int
vault_open(struct vault **out, const char *keyfile, char *err, size_t errlen)
{
	char buf[VAULT_KEY_LEN * 2 + 4];
	uint8_t key[VAULT_KEY_LEN];
	struct stat sb;
	size_t n;
	FILE *f;
	int rc;

	*out = NULL;
	if ((f = fopen(keyfile, "r")) == NULL) {
		snprintf(err, errlen, "archive_key %s: %s", keyfile,
		    strerror(errno));
		return -1;
	}
	if (fstat(fileno(f), &sb) == 0 && (sb.st_mode & 077) != 0)
		log_warnx("archive_key %s is readable by group or other "
		    "(chmod 600 it)", keyfile);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
		buf[--n] = '\0';
	if (n != VAULT_KEY_LEN * 2) {
		snprintf(err, errlen, "archive_key %s: want 64 hex characters "
		    "(32 bytes), found %zu characters", keyfile, n);
		return -1;
	}
	for (size_t i = 0; i < VAULT_KEY_LEN; i++) {
		int hi = hexval((unsigned char)buf[2 * i]);
		int lo = hexval((unsigned char)buf[2 * i + 1]);

		if (hi < 0 || lo < 0) {
			snprintf(err, errlen, "archive_key %s: not hex",
			    keyfile);
			OPENSSL_cleanse(key, sizeof(key));
			return -1;
		}
		key[i] = (uint8_t)(hi << 4 | lo);
	}
	OPENSSL_cleanse(buf, sizeof(buf));
	rc = vault_from_key(out, key);
	OPENSSL_cleanse(key, sizeof(key));
	if (rc != 0)
		snprintf(err, errlen, "out of memory");
	return rc;
}

void
vault_free(struct vault *v)
{
	if (v == NULL)
		return;
	OPENSSL_cleanse(v->key, sizeof(v->key));
	free(v);
}

int
vault_keygen(const char *keyfile, char *err, size_t errlen)
{
	static const char hex[] = "0123456789abcdef";
	uint8_t key[VAULT_KEY_LEN];
	char line[VAULT_KEY_LEN * 2 + 1];
	ssize_t w;
	int fd;

	if (RAND_bytes(key, sizeof(key)) != 1) {
		snprintf(err, errlen, "no random bytes for the key");
		return -1;
	}
	for (size_t i = 0; i < VAULT_KEY_LEN; i++) {
		line[2 * i] = hex[key[i] >> 4];
		line[2 * i + 1] = hex[key[i] & 15];
	}
	line[VAULT_KEY_LEN * 2] = '\n';
	OPENSSL_cleanse(key, sizeof(key));
	if ((fd = open(keyfile, O_WRONLY | O_CREAT | O_EXCL, 0600)) == -1) {
		snprintf(err, errlen, "%s: %s", keyfile, strerror(errno));
		OPENSSL_cleanse(line, sizeof(line));
		return -1;
	}
	w = write(fd, line, sizeof(line));
	OPENSSL_cleanse(line, sizeof(line));
	if (w != (ssize_t)sizeof(line) || fsync(fd) != 0) {
		snprintf(err, errlen, "%s: %s", keyfile, strerror(errno));
		close(fd);
		return -1;
	}
	return close(fd);
}

/* One GCM pass: encrypt (enc = 1) or decrypt, the tag set or checked. */
static int
gcm(const struct vault *v, int enc, const uint8_t nonce[VAULT_NONCE_LEN],
    const char *aad, const uint8_t *in, size_t inlen, uint8_t *out,
    uint8_t tag[VAULT_TAG_LEN])
{
	EVP_CIPHER_CTX *c;
	int n, ok;

	if (inlen > 0x7fffffff || (c = EVP_CIPHER_CTX_new()) == NULL)
		return -1;
	ok = EVP_CipherInit_ex(c, EVP_aes_256_gcm(), NULL, NULL, NULL,
	    enc) == 1 &&
	    EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_SET_IVLEN, VAULT_NONCE_LEN,
	    NULL) == 1 &&
	    EVP_CipherInit_ex(c, NULL, NULL, v->key, nonce, enc) == 1 &&
	    EVP_CipherUpdate(c, NULL, &n, (const uint8_t *)aad,
	    (int)strlen(aad)) == 1 &&
	    (inlen == 0 ||
	    EVP_CipherUpdate(c, out, &n, in, (int)inlen) == 1);
	if (ok && !enc)
		ok = EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_SET_TAG,
		    VAULT_TAG_LEN, tag) == 1;
	if (ok)
		ok = EVP_CipherFinal_ex(c, out + inlen, &n) == 1;
	if (ok && enc)
		ok = EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_GET_TAG,
		    VAULT_TAG_LEN, tag) == 1;
	EVP_CIPHER_CTX_free(c);
	if (!ok)
		ERR_clear_error();
	return ok ? 0 : -1;
}

int
vault_seal(const struct vault *v, const char *aad, const char *plain,
    uint8_t **out, size_t *outlen)
{
	size_t len = strlen(plain);
	uint8_t *b;

	*out = NULL;
	*outlen = 0;
	if (v == NULL || (b = malloc(len + VAULT_OVERHEAD)) == NULL)
		return -1;
	b[0] = VAULT_VERSION;
	if (RAND_bytes(b + 1, VAULT_NONCE_LEN) != 1 ||
	    gcm(v, 1, b + 1, aad, (const uint8_t *)plain, len,
	    b + 1 + VAULT_NONCE_LEN, b + 1 + VAULT_NONCE_LEN + len) != 0) {
		free(b);
		return -1;
	}
	*out = b;
	*outlen = len + VAULT_OVERHEAD;
	return 0;
}

char *
vault_unseal(const struct vault *v, const char *aad, const uint8_t *blob,
    size_t len)
{
	uint8_t tag[VAULT_TAG_LEN];
	size_t n;
	char *p;

	if (v == NULL || blob == NULL || len < VAULT_OVERHEAD ||
	    blob[0] != VAULT_VERSION)
		return NULL;
	n = len - VAULT_OVERHEAD;
	if ((p = malloc(n + 1)) == NULL)
		return NULL;
	memcpy(tag, blob + len - VAULT_TAG_LEN, VAULT_TAG_LEN);
	if (gcm(v, 0, blob + 1, aad, blob + 1 + VAULT_NONCE_LEN, n,
	    (uint8_t *)p, tag) != 0) {
		OPENSSL_cleanse(p, n);
		free(p);
		return NULL;
	}
	p[n] = '\0';
	/* A sealed value never holds a NUL: one would be a forgery that got
	 * through, which GCM excludes, or a bug. */
	if (strlen(p) != n) {
		OPENSSL_cleanse(p, n);
		free(p);
		return NULL;
	}
	return p;
}

/* Keep `head` leading and `tail` trailing characters, stars between; a
 * value too short for that is all stars, so a mask never shows the whole
 * number. */
static void
mask(const char *plain, size_t head, size_t tail, char *out, size_t outlen)
{
	size_t len = strlen(plain), i, o = 0;

	if (outlen == 0)
		return;
	/* Numbers are ASCII; anything else is all stars, a star a byte, so
	 * a mask never splits a UTF-8 character (nor stores one cut). */
	for (i = 0; i < len; i++)
		if ((unsigned char)plain[i] >= 0x80)
			head = tail = len;
	if (len <= head + tail)
		head = tail = 0;
	for (i = 0; i < len && o + 1 < outlen; i++)
		out[o++] = (i < head || i >= len - tail) ? plain[i] : '*';
	out[o] = '\0';
}

void
mask_phone(const char *plain, char *out, size_t outlen)
{
	size_t len = strlen(plain);

	/* A mainland mobile number (11 digits, 1...) keeps 3 and 4 like
	 * "138****0000"; any other number keeps its last 4. */
	if (len == 11 && plain[0] == '1' &&
	    strspn(plain, "0123456789") == len)
		mask(plain, 3, 4, out, outlen);
	else
		mask(plain, 0, 4, out, outlen);
}

void
mask_id(const char *plain, char *out, size_t outlen)
{
	mask(plain, 3, 4, out, outlen);
}

/* A contact phone's field: a singular string named *phone. */
static bool
names_phone(const ProtobufCFieldDescriptor *f)
{
	size_t len;

	return f->type == PROTOBUF_C_TYPE_STRING &&
	    f->label != PROTOBUF_C_LABEL_REPEATED &&
	    (len = strlen(f->name)) >= 5 && strcmp(f->name + len - 5,
	    "phone") == 0;
}

/* Where m's contact phone number i is (a singular string field named
 * *phone, set and not a mask already), or NULL past the last. */
static char **
phone_field(ProtobufCMessage *m, unsigned *i)
{
	const ProtobufCMessageDescriptor *d = m->descriptor;

	for (; *i < d->n_fields; (*i)++) {
		const ProtobufCFieldDescriptor *f = &d->fields[*i];
		char **v = (char **)((char *)m + f->offset);

		/* Every event's body comes here: the cheap tests first. */
		if (f->type != PROTOBUF_C_TYPE_STRING ||
		    f->label == PROTOBUF_C_LABEL_REPEATED || *v == NULL ||
		    **v == '\0' || !names_phone(f) || strchr(*v, '*') != NULL)
			continue;
		(*i)++;
		return v;
	}
	return NULL;
}

void
phones_mask(ProtobufCMessage *m, struct masked_phones *mp)
{
	unsigned i = 0;
	char **v;

	mp->n = 0;
	while (mp->n < PHONES_MAX && (v = phone_field(m, &i)) != NULL) {
		mp->at[mp->n] = v;
		mp->plain[mp->n] = *v;
		mask_phone(*v, mp->mask[mp->n], sizeof(mp->mask[0]));
		*v = mp->mask[mp->n++];
	}
}

void
contacts_mask(ProtobufCMessage *m)
{
	unsigned i = 0;
	char **v, masked[64];
	size_t len;

	while ((v = phone_field(m, &i)) != NULL) {
		/* A mask is as long as its number: it fits where it was. */
		if ((len = strlen(*v)) >= sizeof(masked)) {
			memset(*v, '*', len);
			continue;
		}
		mask_phone(*v, masked, sizeof(masked));
		memcpy(*v, masked, len);
	}
}

/* A protobuf varint at *p before end, or false. */
static bool
read_varint(const uint8_t **p, const uint8_t *end, uint64_t *v)
{
	*v = 0;
	for (int shift = 0; *p < end && shift < 64; shift += 7) {
		uint8_t b = *(*p)++;

		*v |= (uint64_t)(b & 0x7f) << shift;
		if ((b & 0x80) == 0)
			return true;
	}
	return false;
}

/* Is field `number` of d a contact phone (as phone_field chooses)?  The
 * answers for numbers under 64 are kept for the last descriptor asked
 * about: every stored record's event asks, of each of its strings. */
static bool
is_phone_field(const ProtobufCMessageDescriptor *d, uint64_t number)
{
	static _Thread_local const ProtobufCMessageDescriptor *known;
	static _Thread_local uint64_t phones;
	const ProtobufCFieldDescriptor *f;

	if (number < 64) {
		if (known != d) {
			phones = 0;
			for (unsigned i = 0; i < d->n_fields; i++)
				if (d->fields[i].id < 64 &&
				    names_phone(&d->fields[i]))
					phones |= (uint64_t)1 << d->fields[i].id;
			known = d;
		}
		return (phones >> number) & 1;
	}
	if (number > UINT32_MAX ||
	    (f = protobuf_c_message_descriptor_get_field(d,
	    (unsigned)number)) == NULL)
		return false;
	return names_phone(f);
}

bool
contacts_mask_packed(const ProtobufCMessageDescriptor *d, uint8_t *buf,
    size_t len)
{
	const uint8_t *p = buf, *end = buf + len;
	uint64_t tag, n;

	while (p < end) {
		if (!read_varint(&p, end, &tag))
			return false;
		switch (tag & 7) {
		case 0:
			if (!read_varint(&p, end, &n))
				return false;
			break;
		case 1:
			if ((size_t)(end - p) < 8)
				return false;
			p += 8;
			break;
		case 5:
			if ((size_t)(end - p) < 4)
				return false;
			p += 4;
			break;
		case 2: {
			char plain[64], masked[64];

			if (!read_varint(&p, end, &n) || n > (uint64_t)(end - p))
				return false;
			if (n > 0 && is_phone_field(d, tag >> 3)) {
				if (n >= sizeof(plain))
					return false;
				memcpy(plain, p, n);
				plain[n] = '\0';
				/* A mask is as long as its number (contacts_mask). */
				if (strchr(plain, '*') == NULL &&
				    strlen(plain) == n) {
					mask_phone(plain, masked, sizeof(masked));
					memcpy((uint8_t *)p, masked, n);
				}
			}
			p += n;
			break;
		}
		default:
			return false;
		}
	}
	return true;
}

void
phones_restore(struct masked_phones *mp)
{
	while (mp->n > 0) {
		mp->n--;
		*mp->at[mp->n] = mp->plain[mp->n];
	}
}

/*
 * A stored record as the event log shows it, packed (deskd verify compares
 * the two): contact phones masked as ctx_event_msg masks them, and what is
 * stored only left out as the public forms leave it -- sealed numbers
 * (bytes *_sealed) and a user's password material (pw_*).
 */
uint8_t *
record_event_form(ProtobufCMessage *m, size_t *len)
{
	const ProtobufCMessageDescriptor *d = m->descriptor;
	struct masked_phones mp;
	uint8_t *out;

	for (unsigned i = 0; i < d->n_fields; i++) {
		const ProtobufCFieldDescriptor *f = &d->fields[i];
		size_t n = strlen(f->name);
		void *at = (char *)m + f->offset;

		if (!(n > 7 && strcmp(f->name + n - 7, "_sealed") == 0) &&
		    strncmp(f->name, "pw_", 3) != 0)
			continue;
		/* A scratch copy: its bytes stay the unpacker's to free. */
		if (f->type == PROTOBUF_C_TYPE_BYTES)
			((ProtobufCBinaryData *)at)->len = 0;
		else if (f->type == PROTOBUF_C_TYPE_UINT32)
			*(uint32_t *)at = 0;
	}
	phones_mask(m, &mp);
	out = store_packed(m, len);
	phones_restore(&mp);
	return out;
}
