/*
 * test_refusal_codes.c - a refusal carries its stable code (the English
 * message's printf template) and its arguments, each formatted alone,
 * besides the English (PROTOCOL.md 6.1): from a handler (no unit of the
 * archive), the dispatcher (permission denied, not logged in) and the
 * field limits; the template with its arguments put in is the message;
 * an answer that is not a refusal carries none.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "harness.h"

#define ST(x)	DESKD__STATUS__##x
#define PW	"refusal-pass-1"

static struct server_proc srv;
static struct h_staff staff;

/* The response to req, which must have status want. */
static Deskd__Response *
answer(struct desk *d, const Deskd__Request *req, Deskd__Status want)
{
	Deskd__Response *r = NULL;

	desk_call(d, req, &r);
	assert_non_null(r);
	if (r->status != want)
		fail_msg("wanted status %d, got %d (%s)", want, r->status,
		    r->message);
	return r;
}

/* The code and arguments as sent, and the message the template makes of
 * them: what an older client shows is what a new one says in English. */
static void
assert_refusal(const Deskd__Response *r, const char *code,
    const char *const *args, size_t nargs)
{
	char english[1024];

	assert_string_equal(r->code, code);
	assert_int_equal(r->n_args, nargs);
	for (size_t i = 0; i < nargs; i++)
		assert_string_equal(r->args[i], args[i]);
	assert_true(refusal_render(r->code, (const char *const *)r->args,
	    (int)r->n_args, english, sizeof(english)) >= 0);
	assert_string_equal(english, r->message);
}

static Deskd__Response *
complaint_new(struct desk *d, const char *unit, Deskd__Status want)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__ComplaintNew n = DESKD__COMPLAINT_NEW__INIT;

	n.unit = (char *)unit;
	n.complainant = "王女士";
	n.phone = "13800000000";
	n.category = "noise";
	n.text = "楼上装修噪音";
	req.body_case = DESKD__REQUEST__BODY_COMPLAINT_NEW;
	req.complaint_new = &n;
	return answer(d, &req, want);
}

static void
test_handler_refusal(void **state)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__UnitAdd a = DESKD__UNIT_ADD__INIT;
	Deskd__Response *r;

	(void)state;
	a.code = "3-2-1201";
	a.area_dm2 = 9000;
	a.status = DESKD__UNIT_STATUS__UNIT_OCCUPIED;
	req.body_case = DESKD__REQUEST__BODY_UNIT_ADD;
	req.unit_add = &a;
	r = answer(staff.sup, &req, ST(OK));
	/* Not a refusal: no code. */
	assert_string_equal(r->code, "");
	assert_int_equal(r->n_args, 0);
	deskd__response__free_unpacked(r, NULL);

	r = complaint_new(staff.clerk, "3-2-1210", ST(NOT_FOUND));
	assert_refusal(r, "%s: no unit '%s' in the archive (near: %s)",
	    (const char *[]){ "unit", "3-2-1210", "3-2-1201" }, 3);
	deskd__response__free_unpacked(r, NULL);
	r = complaint_new(staff.clerk, "9-9-9999", ST(NOT_FOUND));
	assert_refusal(r, "%s: no unit '%s' in the archive (see desk unit "
	    "list)", (const char *[]){ "unit", "9-9-9999" }, 2);
	deskd__response__free_unpacked(r, NULL);
}

static void
test_dispatcher_refusals(void **state)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__UserAdd u = DESKD__USER_ADD__INIT;
	Deskd__ComplaintList l = DESKD__COMPLAINT_LIST__INIT;
	Deskd__Response *r;
	const struct refusal *why;
	const char *status;
	struct desk *anon;

	(void)state;
	u.name = "wangfang";
	u.role = "clerk";
	u.password = "wangfang-pass-1";
	req.body_case = DESKD__REQUEST__BODY_USER_ADD;
	req.user_add = &u;
	r = answer(staff.clerk, &req, ST(PERMISSION_DENIED));
	assert_refusal(r, "a %s may not %s",
	    (const char *[]){ "clerk", "manage users" }, 2);
	deskd__response__free_unpacked(r, NULL);
	/* The library keeps them for its caller to say. */
	why = desk_error_why(staff.clerk, &status);
	assert_non_null(why);
	assert_string_equal(why->code, "a %s may not %s");
	assert_int_equal(why->nargs, 2);
	assert_string_equal(why->args[1], "manage users");
	assert_string_equal(status, "PERMISSION_DENIED");

	/* Refused before the batch, answered in it. */
	anon = h_connect(&srv);
	req.body_case = DESKD__REQUEST__BODY_COMPLAINT_LIST;
	req.complaint_list = &l;
	r = answer(anon, &req, ST(NOT_AUTHENTICATED));
	assert_refusal(r, "log in first", NULL, 0);
	deskd__response__free_unpacked(r, NULL);
	desk_close(anon);
}

static void
test_field_limit(void **state)
{
	char unit[41];
	Deskd__Response *r;

	(void)state;
	memset(unit, '1', sizeof(unit) - 1);
	unit[sizeof(unit) - 1] = '\0';
	r = complaint_new(staff.clerk, unit, ST(INVALID_ARGUMENT));
	assert_refusal(r, "%s: %zu bytes, the limit is %zu",
	    (const char *[]){ "unit", "40", "32" }, 3);
	deskd__response__free_unpacked(r, NULL);
}

static int
setup(void **state)
{
	(void)state;
	h_office_up(&srv, NULL, PW, &staff);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	h_office_down(&srv, &staff);
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_handler_refusal),
		cmocka_unit_test(test_dispatcher_refusals),
		cmocka_unit_test(test_field_limit),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
