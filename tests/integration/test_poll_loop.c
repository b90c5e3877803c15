/*
 * test_poll_loop.c - the client library in a program's own poll loop (the
 * console: keyboard, connection and a clock tick in one poll).  desk_fd
 * becomes readable when a pushed event arrives; an event that came while
 * the program waited for a response is stashed, and desk_pending says so
 * where poll cannot.
 */
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "harness.h"
#include "wire.h"

#define CLERK_PW	"clerk-pass-1"

static struct server_proc srv;

static int
setup(void **state)
{
	(void)state;
	srv_setup(&srv, NULL);
	h_add_user(&srv, "clerk1", "clerk", CLERK_PW);
	h_add_user(&srv, "clerk2", "clerk", CLERK_PW);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	srv_teardown(&srv);
	return 0;
}

/* Is d's socket readable within ms? */
static bool
readable(struct desk *d, int ms)
{
	struct pollfd pfd = { desk_fd(d), POLLIN, 0 };

	return poll(&pfd, 1, ms) == 1 && (pfd.revents & POLLIN);
}

/* The next frame must be the event `type`. */
static void
expect_event(struct desk *d, const char *type)
{
	struct desk_frame f;

	assert_int_equal(desk_recv(d, &f, 2000), DESK_OK);
	assert_int_equal(f.kind, WIRE_EVENT);
	assert_non_null(f.event);
	assert_string_equal(f.event->type, type);
	desk_frame_free(&f);
}

/* clerk1's board subscribed from now, and clerk2 at another desk. */
static void
desks_up(struct desk **board, struct desk **other)
{
	uint64_t last;

	*board = h_login(&srv, "clerk1", CLERK_PW);
	*other = h_login(&srv, "clerk2", CLERK_PW);
	assert_int_equal(desk_subscribe(*board,
	    desk_welcome(*board)->last_seq, NULL, 0, &last), DESK_OK);
}

static void
test_push_wakes_poll(void **state)
{
	struct desk *board, *other;

	(void)state;
	desks_up(&board, &other);
	assert_true(desk_fd(board) >= 0);
	/* Nothing happened: nothing to read, nothing kept. */
	assert_false(desk_pending(board));
	assert_false(readable(board, 100));

	assert_true(h_complaint(other, "3-2-1201", "楼上噪音", NULL) > 0);
	assert_true(readable(board, 2000));
	expect_event(board, "complaint.created");
	assert_false(desk_pending(board));
	desk_close(other);
	desk_close(board);
}

static void
test_stashed_event_is_pending(void **state)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__AlertList al = DESKD__ALERT_LIST__INIT;
	Deskd__Response *resp = NULL;
	struct desk *board, *other;

	(void)state;
	desks_up(&board, &other);
	assert_true(h_complaint(other, "3-2-1202", "电梯故障", NULL) > 0);
	/* Wait until the push is on its way, then call: the event comes
	 * before the response and is kept for desk_recv. */
	assert_true(readable(board, 2000));
	req.body_case = DESKD__REQUEST__BODY_ALERT_LIST;
	req.alert_list = &al;
	assert_int_equal(desk_call(board, &req, &resp), DESK_OK);
	deskd__response__free_unpacked(resp, NULL);
	/* The socket has nothing more; the event is in hand all the same. */
	assert_false(readable(board, 100));
	assert_true(desk_pending(board));
	expect_event(board, "complaint.created");
	assert_false(desk_pending(board));
	desk_close(other);
	desk_close(board);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_push_wakes_poll),
		cmocka_unit_test(test_stashed_event_is_pending),
	};

	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, setup, teardown);
}
