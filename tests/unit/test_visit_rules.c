/*
 * test_visit_rules.c - the month's visit list (F1) and its counts (F1,
 * F4): 5 % of the occupied households rounded up; never visited first,
 * then the longest unvisited; ties in the order of a shuffle that anyone
 * reproduces from the recorded seed with the generator PROTOCOL.md
 * names (re-done here from its constants); the distinct households
 * visited and the list's done; topics by code or Chinese name.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "visit_rules.h"

#define NCAND	64

static char codes[NCAND][32];

static void
cands(struct visit_cand *c, size_t n, uint32_t last_day)
{
	for (size_t i = 0; i < n; i++) {
		snprintf(codes[i], sizeof(codes[i]), "1-1-%02zu01", i + 1);
		c[i] = (struct visit_cand){ codes[i], last_day };
	}
}

static void
five_percent_rounded_up(void **state)
{
	(void)state;
	assert_int_equal(visit_required(0), 0);
	assert_int_equal(visit_required(1), 1);
	assert_int_equal(visit_required(20), 1);
	assert_int_equal(visit_required(21), 2);
	assert_int_equal(visit_required(40), 2);
	assert_int_equal(visit_required(100), 5);
	assert_int_equal(visit_required(101), 6);
	assert_int_equal(visit_required(50000), 2500);
}

/* SplitMix64 as PROTOCOL.md 10.17 gives it, not the code's. */
static uint64_t
doc_next(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static void
ties_follow_the_seeds_shuffle(void **state)
{
	struct visit_cand c[NCAND];
	struct visit_rank work[NCAND];
	size_t out[NCAND], again[NCAND], shuffle[NCAND], k;
	uint64_t s = 20261204;

	(void)state;
	cands(c, 60, 0);
	k = visit_draw(20261204, c, 60, out, work);
	assert_int_equal(k, 3);
	/* All never visited: the list is the shuffle's first three. */
	for (size_t i = 0; i < 60; i++)
		shuffle[i] = i;
	for (size_t i = 0; i + 1 < 60; i++) {
		size_t j = i + (size_t)(doc_next(&s) % (60 - i)), t = shuffle[i];

		shuffle[i] = shuffle[j];
		shuffle[j] = t;
	}
	for (size_t i = 0; i < k; i++)
		assert_int_equal(out[i], shuffle[i]);
	/* The same seed, the same list; another seed, another. */
	assert_int_equal(visit_draw(20261204, c, 60, again, work), 3);
	assert_memory_equal(out, again, 3 * sizeof(*out));
	assert_int_equal(visit_draw(20261205, c, 60, again, work), 3);
	assert_memory_not_equal(out, again, 3 * sizeof(*out));
}

static void
longest_unvisited_first(void **state)
{
	struct visit_cand c[NCAND];
	struct visit_rank work[NCAND];
	size_t out[NCAND], k;

	(void)state;
	/* 60 households (3 drawn), all visited lately but three: one never,
	 * two long ago.  Whatever the seed, those three, in that order. */
	cands(c, 60, 20261120);
	c[41].last_day = 0;
	c[7].last_day = 20250301;
	c[30].last_day = 20260115;
	c[12].last_day = 20261119;
	for (uint64_t seed = 1; seed < 50; seed++) {
		k = visit_draw(seed, c, 60, out, work);
		assert_int_equal(k, 3);
		assert_int_equal(out[0], 41);
		assert_int_equal(out[1], 7);
		assert_int_equal(out[2], 30);
	}
	/* Fewer than 20: still one household a month. */
	assert_int_equal(visit_draw(9, c, 5, out, work), 1);
	assert_int_equal(visit_draw(9, c, 0, out, work), 0);
}

static void
households_and_list_done(void **state)
{
	const char *visited[] = { "2-1-0101", "1-1-0101", "2-1-0101",
	    "3-1-0101", "1-1-0101" };
	char *list[] = { "1-1-0101", "4-1-0101", "3-1-0101" };

	(void)state;
	/* A household visited twice counts once (F1). */
	assert_int_equal(visit_distinct(visited, 5), 3);
	/* visit_distinct left them sorted, as the list's count wants. */
	assert_int_equal(visit_list_done(list, 3, visited, 5), 2);
	assert_int_equal(visit_list_done(list, 3, visited, 0), 0);
	assert_int_equal(visit_distinct(visited, 0), 0);
}

static void
topics_by_code_or_name(void **state)
{
	(void)state;
	assert_int_equal(visit_topic_find("routine"), 0);
	assert_int_equal(visit_topic_find("Routine"), 0);
	assert_int_equal(visit_topic_find("例行走访"), 0);
	assert_string_equal(visit_topics[visit_topic_find("维修回访")].code,
	    "repair");
	assert_int_equal(visit_topic_find("闲聊"), -1);
	assert_string_equal(visit_topics[visit_topic_nearest("repiar")].code,
	    "repair");
	assert_string_equal(visit_topics[visit_topic_nearest("安全检查")].code,
	    "safety");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(five_percent_rounded_up),
		cmocka_unit_test(ties_follow_the_seeds_shuffle),
		cmocka_unit_test(longest_unvisited_first),
		cmocka_unit_test(households_and_list_done),
		cmocka_unit_test(topics_by_code_or_name),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
