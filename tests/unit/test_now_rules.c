/*
 * test_now_rules.c - who an item of "what needs me now" is for, and its
 * order (issue 16, server/areas/now_rules.c).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "now_rules.h"

static Deskd__NowItem
item(const char *post, const char *owner, uint32_t level)
{
	Deskd__NowItem it = DESKD__NOW_ITEM__INIT;

	it.post = (char *)post;
	it.owner = (char *)owner;
	it.level = level;
	return it;
}

static void
levels(void **state)
{
	(void)state;
	assert_int_equal(now_level("clerk"), 0);
	assert_int_equal(now_level(""), 0);
	assert_int_equal(now_level("supervisor"), 1);
	assert_int_equal(now_level("director"), 2);
}

static void
clerk_sees_own_and_post(void **state)
{
	struct now_asker a = { ROLE_CLERK, "fa", "front", false };
	struct now_asker off = { ROLE_CLERK, "fa", "", false };
	Deskd__NowItem mine = item("garage", "fa", 0);
	Deskd__NowItem post = item("front", "mo", 0);
	Deskd__NowItem other = item("garage", "ga", 0);
	Deskd__NowItem anywhere = item("", "ga", 0);
	Deskd__NowItem up = item("front", "fa", 1);
	Deskd__NowItem top = item("front", "fa", 2);

	(void)state;
	assert_true(now_for(&a, &mine));
	assert_true(now_for(&a, &post));
	assert_false(now_for(&a, &other));
	assert_true(now_for(&a, &anywhere));
	assert_true(now_for(&a, &up));
	/* Never what went up to the director, even their own. */
	assert_false(now_for(&a, &top));
	/* Off duty: their own only, not another's work at no post. */
	assert_true(now_for(&off, &mine));
	assert_false(now_for(&off, &post));
	assert_false(now_for(&off, &anywhere));
}

static void
supervisor_all_posts(void **state)
{
	struct now_asker own = { ROLE_SUPERVISOR, "sue", "", false };
	struct now_asker all = { ROLE_SUPERVISOR, "sue", "", true };
	Deskd__NowItem desk = item("front", "fa", 0);
	Deskd__NowItem up = item("front", "fa", 1);
	Deskd__NowItem top = item("front", "fa", 2);

	(void)state;
	assert_false(now_for(&own, &desk));
	assert_true(now_for(&all, &desk));
	assert_true(now_for(&own, &up));
	assert_false(now_for(&all, &top));
}

static void
director_escalations(void **state)
{
	struct now_asker d = { ROLE_DIRECTOR, "dan", "", true };
	Deskd__NowItem desk = item("", "", 0);
	Deskd__NowItem up = item("front", "", 1);
	Deskd__NowItem top = item("front", "fa", 2);
	Deskd__NowItem mine = item("", "dan", 0);

	(void)state;
	assert_false(now_for(&d, &desk));
	assert_false(now_for(&d, &up));
	assert_true(now_for(&d, &top));
	assert_true(now_for(&d, &mine));
}

static void
engineer_own_only(void **state)
{
	struct now_asker e = { ROLE_ENGINEER, "eng1", "", false };
	Deskd__NowItem desk = item("", "", 0);
	Deskd__NowItem mine = item("", "eng1", 0);

	(void)state;
	assert_false(now_for(&e, &desk));
	assert_true(now_for(&e, &mine));
}

static void
sorted_by_due_none_last(void **state)
{
	Deskd__NowItem a = DESKD__NOW_ITEM__INIT, b = DESKD__NOW_ITEM__INIT,
	    c = DESKD__NOW_ITEM__INIT, d = DESKD__NOW_ITEM__INIT;
	Deskd__NowItem *v[] = { &a, &b, &c, &d };

	(void)state;
	a.due_ms = 0;
	a.record = "complaint:1";
	b.due_ms = 300;
	b.record = "repair:2";
	c.due_ms = 100;
	c.record = "complaint:3";
	d.due_ms = 300;
	d.record = "complaint:4";
	now_sort(v, 4);
	assert_ptr_equal(v[0], &c);
	assert_ptr_equal(v[1], &d);
	assert_ptr_equal(v[2], &b);
	assert_ptr_equal(v[3], &a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(levels),
		cmocka_unit_test(clerk_sees_own_and_post),
		cmocka_unit_test(supervisor_all_posts),
		cmocka_unit_test(director_escalations),
		cmocka_unit_test(engineer_own_only),
		cmocka_unit_test(sorted_by_due_none_last),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
