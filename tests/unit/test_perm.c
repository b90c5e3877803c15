/*
 * test_perm.c - the permission table, row by row, as README.md states it.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "perm.h"

/* The whole table, written out independently of perm.c. */
static const bool want[ROLE__COUNT][OP__COUNT] = {
	/*		     self   watch  c.read c.write c.rule users  ack
	 *		     r.read r.write r.work fee.set s.read s.write hand
	 *		     a.read a.write reveal audit  export g.read g.write approve
	 *		     f.plan */
	[ROLE_NONE] =	    { false, false, false, false, false, false, false,
			      false, false, false, false, false, false, false,
			      false, false, false, false, false, false, false, false,
			      false },
	[ROLE_CLERK] =	    { true,  true,  true,  true,  false, false, true,
			      true,  true,  true,  false, true,  false, true,
			      true,  true,  true,  false, false, true,  true,  false,
			      false },
	[ROLE_SUPERVISOR] = { true,  true,  true,  true,  false, false, true,
			      true,  true,  true,  true, true,  true, true,
			      true,  true,  true,  true,  false, true,  true,  true,
			      true },
	[ROLE_DIRECTOR] =   { true,  true,  true,  true,  true,  false, true,
			      true,  true,  true,  false, true,  false, true,
			      true,  true,  true,  true,  false, true,  true,  true,
			      true },
	[ROLE_ENGINEER] =   { true,  true,  true,  false, false, false, false,
			      true,  false, true,  false, true,  false, false,
			      false, false, false, false, false, false, false, false,
			      false },
	[ROLE_ADMIN] =	    { true,  true,  true,  true,  true,  true,  true,
			      true,  true,  true,  true, true,  true, true,
			      true,  true,  true,  true,  true,  true,  true,  true,
			      true },
};

static void
whole_table(void **state)
{
	(void)state;
	for (int r = 0; r < ROLE__COUNT; r++)
		for (int op = 0; op < OP__COUNT; op++)
			if (perm_allows((enum role)r, (enum perm_op)op) !=
			    want[r][op])
				fail_msg("%s may%s %s", role_name((enum role)r),
				    want[r][op] ? "" : " not",
				    perm_op_name((enum perm_op)op));
}

static void
clerk(void **state)
{
	(void)state;
	assert_true(perm_allows(ROLE_CLERK, OP_COMPLAINT_WRITE));
	assert_true(perm_allows(ROLE_CLERK, OP_COMPLAINT_READ));
	assert_true(perm_allows(ROLE_CLERK, OP_WATCH));
	assert_false(perm_allows(ROLE_CLERK, OP_USER_ADMIN));
	/* G1-G5: the desks record the duties, their superiors plan them. */
	assert_false(perm_allows(ROLE_CLERK, OP_FIRE_PLAN));
	/* C7: the ruling on an appeal is the director's. */
	assert_false(perm_allows(ROLE_CLERK, OP_COMPLAINT_RULE));
	assert_false(perm_allows(ROLE_SUPERVISOR, OP_COMPLAINT_RULE));
	assert_false(perm_allows(ROLE_SUPERVISOR, OP_USER_ADMIN));
}

static void
director_engineer_admin(void **state)
{
	(void)state;
	assert_true(perm_allows(ROLE_DIRECTOR, OP_COMPLAINT_RULE));
	assert_false(perm_allows(ROLE_DIRECTOR, OP_USER_ADMIN));
	/* Engineers read (they may be responsible, C6) but do not record. */
	assert_true(perm_allows(ROLE_ENGINEER, OP_COMPLAINT_READ));
	assert_true(perm_allows(ROLE_ENGINEER, OP_WATCH));
	assert_false(perm_allows(ROLE_ENGINEER, OP_COMPLAINT_WRITE));
	assert_false(perm_allows(ROLE_ENGINEER, OP_COMPLAINT_RULE));
	assert_false(perm_allows(ROLE_ENGINEER, OP_USER_ADMIN));
	for (int op = 0; op < OP__COUNT; op++)
		assert_true(perm_allows(ROLE_ADMIN, (enum perm_op)op));
}

static void
none_and_out_of_range(void **state)
{
	(void)state;
	for (int op = 0; op < OP__COUNT; op++)
		assert_false(perm_allows(ROLE_NONE, (enum perm_op)op));
	/* Values from a corrupt record or a newer build: nothing. */
	assert_false(perm_allows(ROLE__COUNT, OP_SELF));
	assert_false(perm_allows((enum role)-1, OP_SELF));
	assert_false(perm_allows((enum role)1000, OP_COMPLAINT_READ));
	assert_false(perm_allows(ROLE_ADMIN, OP__COUNT));
	assert_false(perm_allows(ROLE_ADMIN, (enum perm_op)-1));
}

static void
role_parsing(void **state)
{
	static const char *names[] = { "clerk", "supervisor", "director",
	    "engineer", "admin" };

	(void)state;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		enum role r = role_parse(names[i]);

		assert_int_not_equal(r, ROLE_NONE);
		assert_string_equal(role_name(r), names[i]);
	}
	assert_int_equal(role_parse("clerk"), ROLE_CLERK);
	assert_int_equal(role_parse("director"), ROLE_DIRECTOR);
	assert_int_equal(role_parse("engineer"), ROLE_ENGINEER);
	assert_int_equal(role_parse("admin"), ROLE_ADMIN);
	/* Unknown names are no role at all, and none may nothing. */
	assert_int_equal(role_parse("root"), ROLE_NONE);
	assert_int_equal(role_parse(""), ROLE_NONE);
	assert_int_equal(role_parse("Admin"), ROLE_NONE);
	assert_int_equal(role_parse("admin "), ROLE_NONE);
	assert_int_equal(role_parse("adm"), ROLE_NONE);
	/* "none" is not a role one can be given. */
	assert_int_equal(role_parse("none"), ROLE_NONE);
	assert_false(perm_allows(role_parse("superuser"), OP_SELF));
	assert_string_equal(role_name(ROLE_NONE), "none");
	assert_string_equal(role_name((enum role)77), "none");
	assert_string_equal(perm_op_name(OP_USER_ADMIN), "manage users");
	assert_string_equal(perm_op_name((enum perm_op)77), "do that");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(whole_table),
		cmocka_unit_test(clerk),
		cmocka_unit_test(director_engineer_admin),
		cmocka_unit_test(none_and_out_of_range),
		cmocka_unit_test(role_parsing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
