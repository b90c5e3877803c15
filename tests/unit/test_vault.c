/*
 * test_vault.c - the archive's sealing and masks (E6): a round trip, a
 * blob bound to its place, a wrong key, tampering and truncation refused,
 * key files read strictly, masks that never show a whole number, and an
 * unmasked export that fails, never leaves a gap, on a number that does not
 * open.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "archive_rules.h"
#include "area.h"
#include "config.h"
#include "ctx.h"
#include "vault.h"

static struct vault *
key_of(uint8_t fill)
{
	uint8_t key[VAULT_KEY_LEN];
	struct vault *v;

	memset(key, fill, sizeof(key));
	assert_int_equal(vault_from_key(&v, key), 0);
	return v;
}

static void
test_round_trip(void **state)
{
	struct vault *v = key_of(1), *w = key_of(2);
	uint8_t *b, *b2;
	size_t n, n2;
	char *p;

	(void)state;
	assert_int_equal(vault_seal(v, "person.phone", "13800000000", &b, &n),
	    0);
	assert_int_equal(n, 11 + VAULT_OVERHEAD);
	assert_int_equal(b[0], VAULT_VERSION);
	assert_null(memmem(b, n, "13800000000", 11));
	assert_non_null(p = vault_unseal(v, "person.phone", b, n));
	assert_string_equal(p, "13800000000");
	free(p);
	/* Another place, another key: nothing. */
	assert_null(vault_unseal(v, "person.id_number", b, n));
	assert_null(vault_unseal(w, "person.phone", b, n));
	/* Tampered, truncated, unknown version. */
	b[5] ^= 1;
	assert_null(vault_unseal(v, "person.phone", b, n));
	b[5] ^= 1;
	assert_null(vault_unseal(v, "person.phone", b, n - 1));
	assert_null(vault_unseal(v, "person.phone", b, VAULT_OVERHEAD - 1));
	b[0] = 9;
	assert_null(vault_unseal(v, "person.phone", b, n));
	/* A fresh nonce every time: equal numbers do not look equal. */
	assert_int_equal(vault_seal(v, "person.phone", "13800000000", &b2,
	    &n2), 0);
	assert_int_not_equal(memcmp(b + 1, b2 + 1, n - 1), 0);
	free(b);
	free(b2);
	assert_null(vault_unseal(NULL, "person.phone", b2 = NULL, 0));
	vault_free(v);
	vault_free(w);
}

static void
write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void
test_key_files(void **state)
{
	char dir[] = "/tmp/deskd-vault-XXXXXX", path[64], err[256];
	struct vault *v;
	uint8_t *b;
	size_t n;
	char *p;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/k", dir);
	assert_int_equal(vault_open(&v, path, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "archive_key"));
	write_file(path, "abcd\n");
	assert_int_equal(vault_open(&v, path, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "64 hex"));
	write_file(path, "zz0102030405060708090a0b0c0d0e0f"
	    "101112131415161718191a1b1c1d1e1f\n");
	assert_int_equal(vault_open(&v, path, err, sizeof(err)), -1);
	unlink(path);
	/* keygen then open: the same key seals and opens. */
	assert_int_equal(vault_keygen(path, err, sizeof(err)), 0);
	assert_int_equal(vault_keygen(path, err, sizeof(err)), -1);
	assert_int_equal(vault_open(&v, path, err, sizeof(err)), 0);
	assert_int_equal(vault_seal(v, "a", "x1", &b, &n), 0);
	vault_free(v);
	assert_int_equal(vault_open(&v, path, err, sizeof(err)), 0);
	assert_non_null(p = vault_unseal(v, "a", b, n));
	assert_string_equal(p, "x1");
	free(p);
	free(b);
	vault_free(v);
	unlink(path);
	rmdir(dir);
}

static void
test_masks(void **state)
{
	char out[64];

	(void)state;
	mask_phone("13800000000", out, sizeof(out));
	assert_string_equal(out, "138****0000");
	mask_phone("010-66668888", out, sizeof(out));
	assert_string_equal(out, "********8888");
	mask_phone("1234", out, sizeof(out));
	assert_string_equal(out, "****");
	mask_phone("", out, sizeof(out));
	assert_string_equal(out, "");
	mask_id("110101199003071234", out, sizeof(out));
	assert_string_equal(out, "110***********1234");
	mask_id("A1234567", out, sizeof(out));
	assert_string_equal(out, "A12*4567");
	mask_id("1234567", out, sizeof(out));
	assert_string_equal(out, "*******");
	/* Not ASCII: all stars, never a cut UTF-8 character. */
	mask_id("\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9", out, sizeof(out));
	assert_string_equal(out, "**********");
	/* Cut to the buffer, never overrun. */
	mask_id("110101199003071234", out, 6);
	assert_string_equal(out, "110**");
}

static void
test_codes(void **state)
{
	const char *pat = "^[0-9]{1,3}-[0-9]{1,2}-[0-9]{3,4}$";
	char err[128];

	(void)state;
	assert_int_equal(archive_code_ok(pat, "3-2-1201", err, sizeof(err)), 1);
	assert_int_equal(archive_code_ok(pat, "12-1-101", err, sizeof(err)), 1);
	assert_int_equal(archive_code_ok(pat, "3-2", err, sizeof(err)), 0);
	assert_int_equal(archive_code_ok(pat, "3-2-12011", err, sizeof(err)),
	    0);
	assert_int_equal(archive_code_ok("^[A-Z]-[0-9]+$", "B-12", err,
	    sizeof(err)), 1);
	assert_int_equal(archive_code_ok("([", "x", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "unit_pattern"));
	assert_int_equal(archive_distance("3-2-1201", 8, "3-2-1210", 8, 4), 2);
	assert_int_equal(archive_distance("3-2-1201", 8, "3-2-1201", 8, 4), 0);
	assert_int_equal(archive_distance("1-1-101", 7, "9-9-9999", 8, 4), 4);
}

/* A person as read from the store: every string its own allocation. */
static Deskd__Person *
stored_person(const struct vault *v, const char *phone)
{
	Deskd__Person p = DESKD__PERSON__INIT, *back;
	uint8_t buf[512];
	size_t len;

	p.id = 42;
	p.unit = "3-2-1201";
	p.name = "陈业主";
	p.phone = "138****0001";
	assert_int_equal(vault_seal(v, "person.phone", phone,
	    &p.phone_sealed.data, &p.phone_sealed.len), 0);
	assert_true(deskd__person__get_packed_size(&p) <= sizeof(buf));
	len = deskd__person__pack(&p, buf);
	free(p.phone_sealed.data);
	assert_non_null(back = deskd__person__unpack(NULL, len, buf));
	return back;
}

/* E6: a burst of reveals is one alert, at the first one over the limit. */
static void
test_reveal_alerts(void **state)
{
	(void)state;
	assert_false(archive_reveal_alerts(0, 10));
	assert_false(archive_reveal_alerts(9, 10));
	assert_true(archive_reveal_alerts(10, 10));
	assert_false(archive_reveal_alerts(11, 10));
	assert_false(archive_reveal_alerts(26, 10));
}

/* A person as an export shows one, through the kind's description. */
static Deskd__Status
person_shown(struct apply_ctx *ctx, Deskd__Person *p, bool unmasked)
{
	const struct kind *k;
	ProtobufCMessage *m = &p->base;

	area_register_all(area_list);
	k = area_kind("person", strlen("person"));
	assert_non_null(k);
	assert_non_null(k->shown);
	return k->shown(ctx, k, &m, unmasked);
}

static void
test_export_form(void **state)
{
	struct vault *v = key_of(1), *other = key_of(2);
	struct config cfg;
	struct apply_ctx ctx;
	Deskd__Person *p;

	(void)state;
	memset(&cfg, 0, sizeof(cfg));
	cfg.vault = v;
	/* The admin's export carries the number plain, no sealed bytes. */
	ctx_init(&ctx, &cfg, NULL, 0, "admin");
	p = stored_person(v, "13800000001");
	assert_int_equal(person_shown(&ctx, p, true), DESKD__STATUS__OK);
	assert_string_equal(p->phone, "13800000001");
	assert_int_equal(p->phone_sealed.len, 0);
	deskd__person__free_unpacked(p, NULL);
	/* Anyone else's: the mask. */
	p = stored_person(v, "13800000001");
	assert_int_equal(person_shown(&ctx, p, false), DESKD__STATUS__OK);
	assert_string_equal(p->phone, "138****0001");
	assert_int_equal(p->phone_sealed.len, 0);
	deskd__person__free_unpacked(p, NULL);
	/* Sealed under another key: the export fails and says whose number,
	 * rather than leaving it out or sending the mask as if plain. */
	p = stored_person(other, "13800000001");
	assert_int_equal(person_shown(&ctx, p, true),
	    DESKD__STATUS__INTERNAL);
	assert_non_null(strstr(ctx.msg, "person 42 phone"));
	assert_string_equal(p->phone, "138****0001");
	deskd__person__free_unpacked(p, NULL);
	ctx_done(&ctx);
	vault_free(v);
	vault_free(other);
}

/* A bulk export masks a complaint's contact in its packed bytes exactly
 * as contacts_mask does to the decoded record; bytes that are not a
 * message are refused. */
static void
test_mask_packed(void **state)
{
	Deskd__Complaint c = DESKD__COMPLAINT__INIT, *back;
	uint8_t buf[512], junk[] = { 0x0a, 0x7f, 'x' };
	char phone[] = "13912345678";
	size_t len;

	(void)state;
	c.id = 7;
	c.unit = "3-2-1201";
	c.complainant = "王芳";
	c.phone = phone;
	c.text = "楼上装修噪音";
	len = deskd__complaint__pack(&c, buf);
	assert_true(contacts_mask_packed(&deskd__complaint__descriptor, buf,
	    len));
	back = deskd__complaint__unpack(NULL, len, buf);
	assert_non_null(back);
	contacts_mask(&c.base);
	assert_string_equal(back->phone, c.phone);
	assert_string_equal(back->phone, "139****5678");
	assert_string_equal(back->text, "楼上装修噪音");
	assert_string_equal(back->complainant, "王芳");
	deskd__complaint__free_unpacked(back, NULL);
	assert_false(contacts_mask_packed(&deskd__complaint__descriptor, junk,
	    sizeof(junk)));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_key_files),
		cmocka_unit_test(test_masks),
		cmocka_unit_test(test_codes),
		cmocka_unit_test(test_export_form),
		cmocka_unit_test(test_reveal_alerts),
		cmocka_unit_test(test_mask_packed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
