/*
 * test_category_rules.c - the complaint categories (C8): the list and its
 * [categories] lines, the nearest-category measure, intake's code or name,
 * an import's free text through the table, and what a count counts older
 * free text as.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "category_rules.h"

#define OK		DESKD__STATUS__OK
#define INVALID		DESKD__STATUS__INVALID_ARGUMENT

static struct category_conf conf;
static char err[256];

static int
setup(void **state)
{
	(void)state;
	category_config_defaults(&conf);
	return 0;
}

static int
set(const char *key, const char *value)
{
	return category_config_set(&conf, key, value, err, sizeof(err));
}

/* Characters, not bytes: one Chinese character deleted or inserted is
 * one; a changed one is two, so a text that is a part of a name is
 * nearer it than one of the same length all different. */
static void
test_distance(void **state)
{
	(void)state;
	assert_int_equal(category_distance("噪声", "噪音"), 2);
	assert_int_equal(category_distance("噪音", "噪音"), 0);
	assert_int_equal(category_distance("楼上噪音", "噪音"), 2);
	assert_int_equal(category_distance("", "卫生"), 2);
	assert_int_equal(category_distance("noize", "noise"), 2);
	assert_int_equal(category_distance("Noise", "noise"), 0);
	assert_int_equal(category_distance("parkign", "parking"), 2);
	assert_int_equal(category_distance("kitten", "sitting"), 5);
	assert_int_equal(category_distance("服务", "服务态度"), 2);
	assert_int_equal(category_distance("服务", "噪音"), 4);
}

/* By the code or the name, whichever is nearer; the first of equals. */
static void
test_nearest(void **state)
{
	(void)state;
	assert_string_equal(conf.cats[category_nearest(&conf, "噪声")].code,
	    "noise");
	assert_string_equal(conf.cats[category_nearest(&conf, "noize")].code,
	    "noise");
	assert_string_equal(conf.cats[category_nearest(&conf, "服务")].code,
	    "service");
	assert_string_equal(conf.cats[category_nearest(&conf, "停车位")].code,
	    "parking");
	assert_string_equal(conf.cats[category_nearest(&conf, "fee")].code,
	    "fees");
	assert_string_equal(conf.cats[category_nearest(&conf, "清洁卫生")].code,
	    "cleaning");
}

/* The code (any case) or the name, both stored as the code. */
static void
test_resolve(void **state)
{
	const char *code = NULL;
	char msg[256];

	(void)state;
	assert_int_equal(category_resolve(&conf, "noise", false, &code, msg,
	    sizeof(msg)), OK);
	assert_string_equal(code, "noise");
	assert_int_equal(category_resolve(&conf, "噪音", false, &code, msg,
	    sizeof(msg)), OK);
	assert_string_equal(code, "noise");
	assert_int_equal(category_resolve(&conf, "Parking", false, &code, msg,
	    sizeof(msg)), OK);
	assert_string_equal(code, "parking");
	assert_int_equal(category_resolve(&conf, "服务态度", false, &code,
	    msg, sizeof(msg)), OK);
	assert_string_equal(code, "service");
	assert_int_equal(category_resolve(&conf, "噪声", false, &code, msg,
	    sizeof(msg)), INVALID);
	assert_non_null(strstr(msg, "category: '噪声' is not on the list; "
	    "did you mean 噪音 (noise)?"));
	assert_non_null(strstr(msg, "noise 噪音, cleaning 卫生,"));
	assert_non_null(strstr(msg, "other 其他"));
}

/* A long list does not overflow the message: it ends saying where the
 * rest is, and the nearest is named all the same. */
static void
test_resolve_long_list(void **state)
{
	const char *code = NULL;
	char msg[256], key[16];

	(void)state;
	for (int i = 0; conf.ncats < CATEGORY_MAX; i++) {
		char name[32];

		snprintf(key, sizeof(key), "own%d", i);
		snprintf(name, sizeof(name), "本处分类%d", i);
		assert_int_equal(set(key, name), 0);
	}
	assert_int_equal(set("own99", "x"), -1);
	assert_non_null(strstr(err, "at most 32"));
	assert_int_equal(category_resolve(&conf, "本处分类7x", false, &code,
	    msg, sizeof(msg)), INVALID);
	assert_true(strlen(msg) < sizeof(msg) - 1);
	assert_non_null(strstr(msg, "did you mean 本处分类7 (own7)?"));
	assert_non_null(strstr(msg, "... (desk categories)"));
}

/* An office's own, a default renamed; bad lines refused with why. */
static void
test_config_lines(void **state)
{
	(void)state;
	assert_int_equal(set("water", "漏水"), 0);
	assert_int_equal(category_find(&conf, "漏水"), 8);
	assert_int_equal(category_find(&conf, "water"), 8);
	assert_int_equal(set("noise", "噪声扰民"), 0);
	assert_int_equal(conf.ncats, 9);
	assert_int_equal(category_find(&conf, "噪声扰民"), 0);
	assert_int_equal(category_find(&conf, "噪音"), -1);
	assert_int_equal(set("Water", "水"), -1);
	assert_non_null(strstr(err, "not a category code"));
	assert_int_equal(set("leak", "漏水"), -1);
	assert_non_null(strstr(err, "'漏水' is water's already"));
	assert_int_equal(set("leak", ""), -1);
	assert_int_equal(set("leak", "a,b"), -1);
	assert_int_equal(conf.ncats, 9);
}

/* An import's free text through the table; the desk's intake does not
 * use it, and what is not on it is refused with the suggestion. */
static void
test_map(void **state)
{
	const char *code = NULL;
	char msg[256];

	(void)state;
	assert_int_equal(set("water", "漏水"), 0);
	assert_int_equal(set("map", "楼上吵:noise, 漏水了:water"), 0);
	assert_int_equal(set("map", "车位被占:parking"), 0);	/* appends */
	assert_int_equal(conf.nmap, 3);
	assert_int_equal(category_map(&conf, "楼上吵"), 0);
	assert_int_equal(category_map(&conf, "漏水了"), 8);
	assert_int_equal(category_map(&conf, "车位被占"), 4);
	assert_int_equal(category_map(&conf, "卫生"), 1);
	assert_int_equal(category_map(&conf, "楼下吵"), -1);
	assert_int_equal(category_resolve(&conf, "楼上吵", true, &code, msg,
	    sizeof(msg)), OK);
	assert_string_equal(code, "noise");
	assert_int_equal(category_resolve(&conf, "楼上吵", false, &code, msg,
	    sizeof(msg)), INVALID);
	assert_int_equal(category_resolve(&conf, "漏水啦", true, &code, msg,
	    sizeof(msg)), INVALID);
	assert_non_null(strstr(msg, "did you mean 漏水 (water)?"));
	/* The code must be listed already; an entry needs both halves. */
	assert_int_equal(set("map", "电梯坏了:lift"), -1);
	assert_non_null(strstr(err, "bad entry '电梯坏了:lift'"));
	assert_int_equal(set("map", "电梯坏了"), -1);
	assert_int_equal(set("map", ":repair"), -1);
	assert_int_equal(conf.nmap, 3);
}

/* Older records keep their free text; a count takes a code or a name
 * as its code and anything else as other. */
static void
test_counted_as(void **state)
{
	(void)state;
	assert_string_equal(category_counted_as(&conf, "noise"), "noise");
	assert_string_equal(category_counted_as(&conf, "噪音"), "noise");
	assert_string_equal(category_counted_as(&conf, "facility"), "other");
	assert_string_equal(category_counted_as(&conf, ""), "other");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_distance, setup),
		cmocka_unit_test_setup(test_nearest, setup),
		cmocka_unit_test_setup(test_resolve, setup),
		cmocka_unit_test_setup(test_resolve_long_list, setup),
		cmocka_unit_test_setup(test_config_lines, setup),
		cmocka_unit_test_setup(test_map, setup),
		cmocka_unit_test_setup(test_counted_as, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
