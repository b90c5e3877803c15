/*
 * test_auth_worker.c - password hashing runs off the event loop: while a
 * deliberately expensive login is being checked, other desks are served at
 * once, and the login still succeeds (or fails) correctly afterwards.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "harness.h"
#include "wire.h"

static struct server_proc srv;
/* ~1 s of PBKDF2 per password on this kind of machine: the login is still
 * being hashed when the other desk has its answer. */
static const char *const slow[] = { "--pbkdf2-iterations", "4000000", NULL };

static int
setup(void **state)
{
	(void)state;
	srv_setup(&srv, slow);
	h_add_user(&srv, "slowpoke", "clerk", "slow-pass-1");
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	srv_teardown(&srv);
	return 0;
}

static void
send_login(struct desk *d, const char *user, const char *pw)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__Login l = DESKD__LOGIN__INIT;

	l.user = (char *)user;
	l.password = (char *)pw;
	req.body_case = DESKD__REQUEST__BODY_LOGIN;
	req.login = &l;
	assert_int_equal(desk_send(d, &req, NULL), DESK_OK);
}

static void
expect_login_served_later(const char *pw, Deskd__Status want)
{
	struct desk *slowd = h_connect(&srv);
	struct desk *other = h_login(&srv, ADMIN_USER, ADMIN_PASS);
	struct desk_frame f;
	int64_t t0, took;

	assert_non_null(slowd);
	send_login(slowd, "slowpoke", pw);
	t0 = h_now_ms();
	/* Another desk is answered while the hash is still being computed. */
	assert_true(h_complaint(other, "1-1-101", "served meanwhile", NULL) > 0);
	took = h_now_ms() - t0;
	assert_true(took < 1000);
	assert_int_equal(desk_recv(slowd, &f, 50), DESK_TIMEOUT);
	/* And the login itself is answered, rightly, once hashed. */
	assert_int_equal(desk_recv(slowd, &f, 20000), DESK_OK);
	assert_non_null(f.response);
	assert_int_equal(f.response->status, want);
	desk_frame_free(&f);
	desk_close(slowd);
	desk_close(other);
}

static void
test_good_login_does_not_stall_others(void **state)
{
	(void)state;
	expect_login_served_later("slow-pass-1", DESKD__STATUS__OK);
}

static void
test_bad_login_does_not_stall_others(void **state)
{
	(void)state;
	expect_login_served_later("wrong-pass-1", DESKD__STATUS__AUTH_FAILED);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good_login_does_not_stall_others),
		cmocka_unit_test(test_bad_login_does_not_stall_others),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
