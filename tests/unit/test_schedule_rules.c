/*
 * test_schedule_rules.c - the pure rules of a month's schedule (shift.c):
 * A2 every post staffed, nobody in two places at once, A6 three shifts,
 * and what a publish changed for each person (A5).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "shift_rules.h"

#define MONTH	202602		/* 28 days */

static Deskd__Assignment pool[28 * 3 * 2 + 8];
static Deskd__Assignment *ptrs[28 * 3 * 2 + 8];

static size_t
add(size_t n, uint32_t day, uint32_t shift, uint32_t post, const char *user)
{
	deskd__assignment__init(&pool[n]);
	pool[n].day = day;
	pool[n].shift = shift;
	pool[n].post = post;
	pool[n].user = (char *)user;
	ptrs[n] = &pool[n];
	return n + 1;
}

/* Every slot of February staffed: posts front, lobby; nobody twice. */
static size_t
full_month(void)
{
	static const char *people[] = { "a", "b", "c", "d", "e", "f" };
	size_t n = 0;

	for (uint32_t d = 1; d <= 28; d++)
		for (uint32_t s = 0; s < 3; s++)
			for (uint32_t p = 0; p < 2; p++)
				n = add(n, d, s, p, people[s * 2 + p]);
	return n;
}

static void
conf2(struct shift_conf *c)
{
	char err[128];

	shift_config_defaults(c);
	assert_int_equal(shift_config_set(c, "posts", "front, lobby", err,
	    sizeof(err)), 0);
}

static void
defaults_are_three_shifts(void **state)
{
	struct shift_conf c;
	char err[128];

	(void)state;
	shift_config_defaults(&c);
	assert_int_equal(c.nshifts, 3);
	assert_string_equal(c.shifts[0].label, "morning 08:00-16:00");
	assert_string_equal(c.shifts[1].label, "evening 16:00-24:00");
	assert_string_equal(c.shifts[2].label, "night 00:00-08:00");
	assert_int_equal(c.nposts, 1);
	assert_int_equal(shift_config_set(&c, "late", "22:00-06:00", err,
	    sizeof(err)), 0);
	assert_int_equal(c.nshifts, 1);		/* the file replaces A6's */
	assert_int_not_equal(shift_config_set(&c, "bad", "25:00-06:00", err,
	    sizeof(err)), 0);
	assert_int_not_equal(shift_config_set(&c, "posts", "a,a", err,
	    sizeof(err)), 0);
	assert_int_equal(shift_month_parse("2026-12"), 202612);
	assert_int_equal(shift_month_parse("2026-13"), 0);
	assert_int_equal(shift_month_days(202402), 29);
	assert_int_equal(shift_month_days(202602), 28);
}

static void
complete_month_publishes(void **state)
{
	struct shift_conf c;
	struct sched_problems p = { 0 };
	size_t n;

	(void)state;
	conf2(&c);
	n = full_month();
	sched_check_publish(&c, MONTH, ptrs, n, &p);
	assert_int_equal(p.n, 0);
	sched_problems_free(&p);
}

static void
unstaffed_posts_all_listed(void **state)
{
	struct shift_conf c;
	struct sched_problems p = { 0 };
	char text[256];
	size_t n;

	(void)state;
	conf2(&c);
	n = full_month();
	/* Drop two slots: 02-01 morning lobby and 02-28 night front. */
	ptrs[1]->user = "";
	ptrs[n - 2]->user = "";
	sched_check_publish(&c, MONTH, ptrs, n, &p);
	assert_int_equal(p.n, 2);
	assert_string_equal(p.v[0].text, "2026-02-01 morning lobby: nobody "
	    "on duty");
	assert_string_equal(p.v[1].text, "2026-02-28 night front: nobody "
	    "on duty");
	sched_problems_text(&p, "not published", text, sizeof(text));
	assert_non_null(strstr(text, "2 problems"));
	sched_problems_free(&p);
	/* An empty month: every slot, counted, the list capped. */
	sched_check_publish(&c, MONTH, ptrs, 0, &p);
	assert_int_equal(p.n, 28 * 3 * 2);
	sched_problems_text(&p, "not published", text, sizeof(text));
	assert_non_null(strstr(text, "more"));
	sched_problems_free(&p);
}

static void
double_booking(void **state)
{
	struct shift_conf c;
	struct sched_problems p = { 0 };
	char err[128];
	size_t n;

	(void)state;
	conf2(&c);
	n = full_month();
	ptrs[0]->user = "b";	/* 02-01 morning: b on front and lobby */
	sched_check_publish(&c, MONTH, ptrs, n, &p);
	assert_int_equal(p.n, 1);
	assert_non_null(strstr(p.v[0].text, "b: in two places at once"));
	sched_problems_free(&p);
	/* A shift across midnight overlaps the next morning's. */
	shift_config_defaults(&c);
	assert_int_equal(shift_config_set(&c, "day", "08:00-20:00", err,
	    sizeof(err)), 0);
	assert_int_equal(shift_config_set(&c, "late", "20:00-09:00", err,
	    sizeof(err)), 0);
	n = 0;
	n = add(n, 1, 1, 0, "x");
	n = add(n, 2, 0, 0, "x");
	sched_check_publish(&c, MONTH, ptrs, n, &p);
	assert_true(p.n > 0);
	assert_non_null(strstr(p.v[p.kept - 1].text, "x: in two places"));
	sched_problems_free(&p);
}

static void
bad_entries(void **state)
{
	struct shift_conf c;
	struct sched_problems p = { 0 };
	size_t n = 0;

	(void)state;
	conf2(&c);
	n = add(n, 29, 0, 0, "a");	/* February has 28 days */
	n = add(n, 1, 3, 0, "a");	/* no fourth shift */
	n = add(n, 1, 0, 2, "a");	/* no third post */
	n = add(n, 1, 0, 0, "a");
	n = add(n, 1, 0, 0, "b");	/* the same slot twice */
	sched_check_entries(&c, MONTH, ptrs, n, &p);
	assert_int_equal(p.n, 4);
	assert_int_equal(p.v[0].index, 0);
	assert_int_equal(p.v[1].index, 1);
	assert_int_equal(p.v[2].index, 2);
	assert_int_equal(p.v[3].index, 4);
	assert_non_null(strstr(p.v[3].text, "given twice"));
	sched_problems_free(&p);
}

static void
diff_per_person(void **state)
{
	Deskd__PersonChange **ch;
	size_t n, nold;

	(void)state;
	nold = add(0, 1, 0, 0, "a");
	nold = add(nold, 1, 1, 0, "b");
	add(nold, 1, 0, 0, "a");		/* unchanged */
	add(nold + 1, 1, 1, 0, "c");		/* b -> c */
	assert_int_equal(sched_diff(ptrs, nold, ptrs + nold, 2, &ch, &n), 0);
	assert_int_equal(n, 2);
	assert_string_equal(ch[0]->user, "b");
	assert_int_equal(ch[0]->n_removed, 1);
	assert_int_equal(ch[0]->n_added, 0);
	assert_string_equal(ch[1]->user, "c");
	assert_int_equal(ch[1]->n_added, 1);
	sched_changes_free(ch, n);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(defaults_are_three_shifts),
		cmocka_unit_test(complete_month_publishes),
		cmocka_unit_test(unstaffed_posts_all_listed),
		cmocka_unit_test(double_booking),
		cmocka_unit_test(bad_entries),
		cmocka_unit_test(diff_per_person),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
