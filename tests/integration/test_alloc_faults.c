/*
 * test_alloc_faults.c - deskd with one allocation of the request path
 * failed on purpose (DESKD_FAULT_INJECT=N, server/util/fault.h; a build with
 * -DDESKD_FAULT_INJECT, on in the sanitizer build, else skipped).  For
 * N = 1..FAULTS deskd is restarted and a desk runs Hello, a wrong and a
 * right login (the wrong one's reply is held), complaints and a bad frame,
 * so the Nth soft allocation falls on each of them in turn.  Each time the
 * desk gets its answers, an error or a closed connection; deskd stays up
 * (under ASan: no use after free of the connection it closed), exits
 * cleanly on SIGTERM (no leak), and every complaint it acknowledged is
 * there afterwards.
 */
#include <sys/wait.h>

#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "harness.h"
#include "wire.h"

/* Soft allocations the sequence makes: Hello 1, the wrong login 2 and its
 * held reply 3, the login 4, complaints 5-7, the bad frame 8; then one
 * run with nothing failed. */
#define FAULTS		9
#define MAX_ACKED	(FAULTS * 3)

static struct server_proc srv;

/* One desk's requests, as far as the connection lasts; the complaints
 * acknowledged go to acked. */
static void
desk_run(uint64_t *acked, size_t *nacked)
{
	struct desk_frame f;
	struct desk *d;

	if ((d = h_connect(&srv)) == NULL)
		return;
	if (desk_login(d, ADMIN_USER, "not-the-password", NULL, NULL) ==
	    DESK_OK)
		fail_msg("a wrong password logged in");
	if (desk_login(d, ADMIN_USER, ADMIN_PASS, NULL, NULL) == DESK_OK) {
		for (int i = 0; i < 3; i++) {
			uint64_t id = h_complaint(d, "1-1-101", "故障注入",
			    NULL);

			if (id == 0)
				break;
			acked[(*nacked)++] = id;
		}
		/* A version deskd does not speak: answered, then closed. */
		if (h_send_frame(d, 99, WIRE_REQUEST, 0, 1, 0, NULL, 0) ==
		    DESK_OK && desk_recv(d, &f, 5000) == DESK_OK)
			desk_frame_free(&f);
	}
	desk_close(d);
}

static void
test_alloc_faults(void **state)
{
	uint64_t acked[MAX_ACKED];
	size_t nacked = 0;
	struct desk *d;
	char n[16], logged[64];

	(void)state;
#ifndef DESKD_FAULT_INJECT
	skip();
#endif
	for (int i = 1; i <= FAULTS; i++) {
		snprintf(n, sizeof(n), "%d", i);
		setenv("DESKD_FAULT_INJECT", n, 1);
		srv_start(&srv);
		unsetenv("DESKD_FAULT_INJECT");
		desk_run(acked, &nacked);
		if (!srv_alive(&srv))
			fail_msg("deskd died with allocation %d failed", i);
		snprintf(logged, sizeof(logged), "failing allocation %d on "
		    "purpose", i);
		if (i < FAULTS && !srv_log_has(&srv, logged))
			fail_msg("the sequence made fewer than %d soft "
			    "allocations", i);
		srv_stop(&srv);
		if (!WIFEXITED(srv.status) || WEXITSTATUS(srv.status) != 0)
			fail_msg("deskd with allocation %d failed did not exit "
			    "cleanly (status %d): see %s", i, srv.status,
			    srv.log);
	}
	/* The last run failed nothing: all three of its complaints. */
	assert_true(nacked >= 3);
	srv_start(&srv);
	d = h_login(&srv, ADMIN_USER, ADMIN_PASS);
	for (size_t i = 0; i < nacked; i++) {
		Deskd__Complaint *c = h_get(d, acked[i]);

		assert_non_null(c);
		deskd__complaint__free_unpacked(c, NULL);
	}
	desk_close(d);
}

static int
setup(void **state)
{
	static const char *const flags[] = { "--login-delay", "50ms", NULL };

	(void)state;
	srv_setup(&srv, flags);
	srv_stop(&srv);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	srv_teardown(&srv);
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_alloc_faults),
	};

	/* A closed connection is an answer here, not a death. */
	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, setup, teardown);
}
