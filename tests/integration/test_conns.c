/*
 * test_conns.c - holding up against floods of connections (issue 12):
 * descriptor exhaustion with no login needed.
 */
#include <sys/socket.h>

#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "harness.h"

#define CLERK_PW	"clerk-pass-1"

static struct server_proc srv;

static int
cleanup(void **state)
{
	(void)state;
	if (srv.dir[0] != '\0')
		srv_teardown(&srv);
	memset(&srv, 0, sizeof(srv));
	return 0;
}

static long
log_lines(struct server_proc *s)
{
	FILE *f = fopen(s->log, "r");
	long n = 0;
	int ch;

	if (f == NULL)
		return -1;
	while ((ch = getc(f)) != EOF)
		n += ch == '\n';
	fclose(f);
	return n;
}

/* ---------- running out of descriptors ---------- */

#define NOFILE		200
#define FLOOD_SOCKETS	300	/* more than deskd has descriptors */
#define FLOOD_MS	3000
/* The old deskd spun in accept(): ~70 % of a core, 100,000s of lines. */
#define FLOOD_CPU_MS	1000
#define FLOOD_LINES	40

struct flood {
	int	fd[FLOOD_SOCKETS];
	int	open, reopened;
};

/* Silent sockets: no TLS, nothing sent.  Those deskd closes (evicted)
 * are opened again, a few a round, as a flood would. */
static void
flood_keep(struct flood *fl, int reopen_max)
{
	struct pollfd pfd[FLOOD_SOCKETS];
	char buf[64];
	int n = 0;

	for (int i = 0; i < FLOOD_SOCKETS; i++) {
		pfd[i].fd = fl->fd[i];
		pfd[i].events = POLLIN;
		pfd[i].revents = 0;
	}
	poll(pfd, FLOOD_SOCKETS, 0);
	for (int i = 0; i < FLOOD_SOCKETS; i++) {
		if (fl->fd[i] >= 0 && (pfd[i].revents & (POLLIN | POLLHUP |
		    POLLERR)) && recv(fl->fd[i], buf, sizeof(buf),
		    MSG_DONTWAIT) <= 0) {
			close(fl->fd[i]);
			fl->fd[i] = -1;
			fl->open--;
		}
		if (fl->fd[i] < 0 && n < reopen_max &&
		    (fl->fd[i] = h_tcp(&srv)) >= 0) {
			fl->open++;
			fl->reopened++;
			n++;
		}
	}
}

static void
flood_end(struct flood *fl)
{
	for (int i = 0; i < FLOOD_SOCKETS; i++)
		if (fl->fd[i] >= 0)
			close(fl->fd[i]);
}

/*
 * Under a limit of NOFILE descriptors, FLOOD_SOCKETS silent connections
 * (kept open, the evicted ones opened again) for FLOOD_MS: deskd's log
 * and CPU stay small, a desk logs in and records a complaint meanwhile,
 * and after the flood what was acknowledged is there.
 */
static void
flood_round(const char *const *extra, const char *what)
{
	struct flood fl = { .open = 0 };
	struct desk *d;
	Deskd__Status st;
	Deskd__Complaint *c;
	long lines0, lines, cpu0, cpu;
	int64_t t0, t_login;
	uint64_t id;

	srv_setup(&srv, extra);
	h_add_user(&srv, "clerk1", "clerk", CLERK_PW);
	srv_stop(&srv);
	srv.nofile = NOFILE;
	srv_start(&srv);
	lines0 = log_lines(&srv);
	cpu0 = srv_cpu_ms(&srv);
	for (int i = 0; i < FLOOD_SOCKETS; i++)
		fl.fd[i] = -1;
	t0 = h_now_ms();
	flood_keep(&fl, FLOOD_SOCKETS);
	while (h_now_ms() - t0 < FLOOD_MS) {
		h_sleep_ms(20);
		flood_keep(&fl, 10);
	}
	cpu = srv_cpu_ms(&srv) - cpu0;
	lines = log_lines(&srv) - lines0;
	print_message("%s: %d silent connections (%d opened again) for %d "
	    "ms: deskd used %ld ms of CPU and wrote %ld log lines\n", what,
	    fl.open, fl.reopened, FLOOD_MS, cpu, lines);
	assert_true(srv_alive(&srv));
	if (lines > FLOOD_LINES)
		fail_msg("%ld log lines during the flood (bound %d): see %s",
		    lines, FLOOD_LINES, srv.log);
	if (cpu > FLOOD_CPU_MS)
		fail_msg("deskd used %ld ms of CPU in %d ms of flood (bound %d)",
		    cpu, FLOOD_MS, FLOOD_CPU_MS);

	/* A desk still gets in, the flood still running. */
	t_login = h_now_ms();
	flood_keep(&fl, 10);
	d = h_login(&srv, "clerk1", CLERK_PW);
	id = h_complaint(d, "3-2-1201", "楼上装修噪音, during the flood", &st);
	assert_int_equal(st, DESKD__STATUS__OK);
	assert_true(id > 0);
	print_message("%s: logged in and recorded complaint %" PRIu64 " in %"
	    PRId64 " ms during the flood\n", what, id, h_now_ms() - t_login);
	flood_keep(&fl, 10);
	desk_close(d);
	flood_end(&fl);

	/* After it, a new desk sees what was acknowledged, also after a
	 * restart. */
	h_sleep_ms(100);
	d = h_login(&srv, "clerk1", CLERK_PW);
	assert_non_null(c = h_get(d, id));
	assert_string_equal(c->text, "楼上装修噪音, during the flood");
	deskd__complaint__free_unpacked(c, NULL);
	desk_close(d);
	srv_stop(&srv);
	srv_start(&srv);
	d = h_login(&srv, "clerk1", CLERK_PW);
	assert_non_null(c = h_get(d, id));
	deskd__complaint__free_unpacked(c, NULL);
	desk_close(d);
}

/* The cap from the descriptor limit: a newcomer evicts the oldest silent
 * connection, one address at a time. */
static void
test_fd_flood(void **state)
{
	(void)state;
	flood_round(NULL, "cap from the limit");
}

/* A cap set above what the descriptors allow: accept() fails (EMFILE),
 * and deskd pauses its listener rather than spin, evicting a silent
 * connection each time so that a desk gets in. */
static void
test_fd_flood_accept_fails(void **state)
{
	const char *const extra[] = { "--max-conns", "1000",
	    "--max-unauth-per-source", "0", NULL };

	(void)state;
	flood_round(extra, "accept failing");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_fd_flood, cleanup),
		cmocka_unit_test_teardown(test_fd_flood_accept_fails, cleanup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
