/*
 * test_dutylog_rules.c - the director's spot-check draw (B9): reproducible
 * from its seed, at least 20 % of the month's logged days, and topped up,
 * never redrawn, when a day is logged after the draw.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "dutylog_rules.h"

static int
has(const uint32_t *v, size_t n, uint32_t x)
{
	for (size_t i = 0; i < n; i++)
		if (v[i] == x)
			return 1;
	return 0;
}

static void
draw_is_reproducible(void **state)
{
	uint32_t cand[9] = { 20261204, 20261208, 20261210, 20261212, 20261215,
	    20261218, 20261220, 20261222, 20261225 };
	uint32_t a[9], b[9];
	size_t ka, kb;

	(void)state;
	assert_int_equal(spot_count(9), 2);
	assert_int_equal(spot_count(10), 2);
	assert_int_equal(spot_count(11), 3);
	assert_int_equal(spot_count(1), 1);
	ka = spot_draw(42, cand, 9, a);
	kb = spot_draw(42, cand, 9, b);
	assert_int_equal(ka, 2);
	assert_int_equal(kb, 2);
	assert_memory_equal(a, b, ka * sizeof(*a));
	assert_true(a[0] < a[1]);
	assert_true(has(cand, 9, a[0]) && has(cand, 9, a[1]));
}

/* Three days logged late: 12 candidates need 3 drawn; the two drawn stay
 * drawn (one may be signed already), one more joins, the same for anyone
 * holding the seed. */
static void
topup_keeps_what_was_drawn(void **state)
{
	uint32_t cand[12] = { 20261204, 20261208, 20261210, 20261212,
	    20261215, 20261218, 20261220, 20261222, 20261225 };
	uint32_t sel[12], again[12], first[2];
	size_t k, k2;

	(void)state;
	k = spot_draw(7, cand, 9, sel);
	memcpy(first, sel, sizeof(first));
	/* A day joining without raising the count draws nothing. */
	cand[9] = 20261230;
	assert_int_equal(spot_topup(7, cand, 10, sel, k), 2);
	cand[10] = 20261231;
	cand[11] = 20261229;
	k = spot_topup(7, cand, 12, sel, k);
	assert_int_equal(k, 3);
	assert_true(has(sel, k, first[0]) && has(sel, k, first[1]));
	for (size_t i = 0; i < k; i++) {
		assert_true(has(cand, 12, sel[i]));
		if (i > 0)
			assert_true(sel[i - 1] < sel[i]);
	}
	memcpy(again, first, sizeof(first));
	k2 = spot_topup(7, cand, 12, again, 2);
	assert_int_equal(k2, 3);
	assert_memory_equal(sel, again, k * sizeof(*sel));
	/* Nothing more to draw: unchanged. */
	assert_int_equal(spot_topup(7, cand, 12, sel, k), 3);
}

/* Days and months as the desks read them. */
static void
periods_as_people_write_them(void **state)
{
	(void)state;
	assert_string_equal(period_text(20261204).s, "2026-12-04");
	assert_string_equal(period_text(202612).s, "2026-12");
	assert_string_equal(period_text(20000101).s, "2000-01-01");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(draw_is_reproducible),
		cmocka_unit_test(topup_keeps_what_was_drawn),
		cmocka_unit_test(periods_as_people_write_them),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
