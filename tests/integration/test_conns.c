/*
 * test_conns.c - holding up against floods of connections (issue 12):
 * descriptor exhaustion with no login needed, and the memory one user
 * can make deskd hold by not reading its replies.
 */
#include <sys/socket.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <stdbool.h>
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

/* A silent TCP connection to deskd from a loopback address of our choice. */
static int
tcp_from(const char *from)
{
	struct sockaddr_in src, dst;
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	assert_true(fd >= 0);
	memset(&src, 0, sizeof(src));
	src.sin_family = AF_INET;
	inet_pton(AF_INET, from, &src.sin_addr);
	memset(&dst, 0, sizeof(dst));
	dst.sin_family = AF_INET;
	dst.sin_port = htons((uint16_t)atoi(srv.port));
	dst.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&src, sizeof(src)), 0);
	assert_int_equal(connect(fd, (struct sockaddr *)&dst, sizeof(dst)), 0);
	return fd;
}

/* Closed by deskd (EOF or reset), within ms. */
static bool
closed_by_peer(int fd, int ms)
{
	struct pollfd p = { fd, POLLIN, 0 };
	char b;

	return poll(&p, 1, ms) == 1 && recv(fd, &b, 1, MSG_DONTWAIT) <= 0;
}

/*
 * The cap per address: one address flooding makes room from its own
 * connections, and another address's connection not yet logged in is
 * left alone.
 */
static void
test_per_source_cap(void **state)
{
	const char *const extra[] = { "--max-unauth-per-source", "8", NULL };
	int mine, flood[50], closed = 0;

	(void)state;
	srv_setup(&srv, extra);
	mine = tcp_from("127.0.0.1");
	h_sleep_ms(100);
	for (int i = 0; i < 50; i++)
		flood[i] = tcp_from("127.0.0.2");
	/* Wait for deskd to have accepted them all (up to 3 s), then a
	 * little for closes in flight. */
	for (int64_t t0 = h_now_ms(); h_now_ms() - t0 < 3000 &&
	    closed < 50 - 8; h_sleep_ms(20))
		for (int i = 0; i < 50; i++)
			if (flood[i] >= 0 && closed_by_peer(flood[i], 0)) {
				close(flood[i]);
				flood[i] = -1;
				closed++;
			}
	h_sleep_ms(100);
	for (int i = 0; i < 50; i++)
		if (flood[i] >= 0) {
			closed += closed_by_peer(flood[i], 0);
			close(flood[i]);
		}
	print_message("50 silent from 127.0.0.2 with 8 a source: %d closed\n",
	    closed);
	assert_int_equal(closed, 50 - 8);
	assert_false(closed_by_peer(mine, 0));
	close(mine);
}

/* ---------- connections per user ---------- */

static void
test_user_conn_cap(void **state)
{
	const char *const extra[] = { "--max-conns-per-user", "3", NULL };
	struct desk *d[4];
	int rc;

	(void)state;
	srv_setup(&srv, extra);
	h_add_user(&srv, "clerk1", "clerk", CLERK_PW);
	for (int i = 0; i < 3; i++)
		d[i] = h_login(&srv, "clerk1", CLERK_PW);
	assert_non_null(d[3] = h_connect(&srv));
	rc = desk_login(d[3], "clerk1", CLERK_PW, NULL, NULL);
	assert_int_equal(rc, DESK_REFUSED);
	print_message("fourth login: %s\n", desk_error(d[3]));
	assert_non_null(strstr(desk_error(d[3]), "max_conns_per_user"));
	/* Another user is not affected, and one closed makes room. */
	desk_close(h_login(&srv, ADMIN_USER, ADMIN_PASS));
	desk_close(d[0]);
	h_sleep_ms(200);
	assert_int_equal(desk_login(d[3], "clerk1", CLERK_PW, NULL, NULL),
	    DESK_OK);
	for (int i = 1; i < 4; i++)
		desk_close(d[i]);
}

/* Logins that land in one commit count each other: of 4 token logins
 * sent at once with room for 2, 2 get in. */
static void
test_user_conn_cap_burst(void **state)
{
	const char *const extra[] = { "--max-conns-per-user", "3", NULL };
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__Login l = DESKD__LOGIN__INIT;
	Deskd__LoginOk *ok = NULL;
	struct desk *first, *d[4];
	uint32_t ids[4];
	int in = 0;

	(void)state;
	srv_setup(&srv, extra);
	h_add_user(&srv, "clerk1", "clerk", CLERK_PW);
	assert_non_null(first = h_connect(&srv));
	assert_int_equal(desk_login(first, "clerk1", CLERK_PW, NULL, &ok),
	    DESK_OK);
	l.token = ok->token;
	req.body_case = DESKD__REQUEST__BODY_LOGIN;
	req.login = &l;
	for (int i = 0; i < 4; i++)
		assert_non_null(d[i] = h_connect(&srv));
	/* Stopped while they are sent, deskd reads all four in one pass
	 * and applies them in one commit. */
	kill(srv.pid, SIGSTOP);
	for (int i = 0; i < 4; i++)
		assert_int_equal(desk_send(d[i], &req, &ids[i]), DESK_OK);
	h_sleep_ms(50);
	kill(srv.pid, SIGCONT);
	for (int i = 0; i < 4; i++) {
		Deskd__Response *r = NULL;

		desk_wait(d[i], ids[i], &r);
		assert_non_null(r);
		in += r->status == DESKD__STATUS__OK;
		if (r->status != DESKD__STATUS__OK)
			assert_int_equal(r->status, DESKD__STATUS__CONFLICT);
		deskd__response__free_unpacked(r, NULL);
	}
	assert_int_equal(in, 2);
	deskd__login_ok__free_unpacked(ok, NULL);
	for (int i = 0; i < 4; i++)
		desk_close(d[i]);
	desk_close(first);
}

/* ---------- replies nobody reads ---------- */

#define COMPLAINTS	3000
#define TEXT_BYTES	2000
#define STALLERS	4
#define LISTS		100	/* pipelined by each staller */
/* The old deskd buffered up to conn_max_pending replies of ~1 MiB each
 * per connection: 4 x 128 MiB. */
#define UNREAD_BOUND_KIB (64 * 1024)

static void
add_big_complaints(struct desk *d, int n)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__ComplaintNew cn = DESKD__COMPLAINT_NEW__INIT;
	char text[TEXT_BYTES + 1];
	uint32_t ids[100];

	memset(text, 'x', TEXT_BYTES);
	text[TEXT_BYTES] = '\0';
	cn.unit = "3-2-1201";
	cn.complainant = "王女士";
	cn.phone = "13800000000";
	cn.category = "noise";
	cn.text = text;
	req.body_case = DESKD__REQUEST__BODY_COMPLAINT_NEW;
	req.complaint_new = &cn;
	for (int done = 0; done < n; done += 100) {
		for (int i = 0; i < 100; i++)
			assert_int_equal(desk_send(d, &req, &ids[i]), DESK_OK);
		for (int i = 0; i < 100; i++) {
			Deskd__Response *r = NULL;

			assert_int_equal(desk_wait(d, ids[i], &r), DESK_OK);
			deskd__response__free_unpacked(r, NULL);
		}
	}
}

static void
test_unread_replies(void **state)
{
	char *asan = h_asan_small_quarantine();
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__ComplaintList cl = DESKD__COMPLAINT_LIST__INIT;
	struct desk *stall[STALLERS], *other;
	uint32_t ids[STALLERS][LISTS];
	long base, peak, anon;
	int64_t t0, answered;
	Deskd__Status st;

	(void)state;
	srv_setup(&srv, NULL);
	if (asan != NULL) {
		setenv("ASAN_OPTIONS", asan, 1);
		free(asan);
	}
	h_add_user(&srv, "clerk1", "clerk", CLERK_PW);
	other = h_login(&srv, "clerk1", CLERK_PW);
	add_big_complaints(other, COMPLAINTS);
	for (int i = 0; i < STALLERS; i++)
		stall[i] = h_login(&srv, "clerk1", CLERK_PW);
	h_sleep_ms(200);
	base = peak = srv_status_kib(&srv, "RssAnon");
	assert_true(base > 0);

	/* Each asks for the same big page LISTS times and reads nothing. */
	cl.limit = 500;
	req.body_case = DESKD__REQUEST__BODY_COMPLAINT_LIST;
	req.complaint_list = &cl;
	for (int i = 0; i < STALLERS; i++)
		for (int j = 0; j < LISTS; j++)
			assert_int_equal(desk_send(stall[i], &req, &ids[i][j]),
			    DESK_OK);
	t0 = h_now_ms();
	while (h_now_ms() - t0 < 3000) {
		if ((anon = srv_status_kib(&srv, "RssAnon")) > peak)
			peak = anon;
		h_sleep_ms(50);
	}
	/* One that goes away with its requests held has them refused, and
	 * deskd goes on (ASan: nothing of it is used after it is freed). */
	{
		struct desk *gone = h_login(&srv, "clerk1", CLERK_PW);

		for (int j = 0; j < LISTS; j++)
			assert_int_equal(desk_send(gone, &req, NULL), DESK_OK);
		h_sleep_ms(300);
		desk_close(gone);
	}
	/* Another desk is answered meanwhile. */
	t0 = h_now_ms();
	assert_true(h_complaint(other, "3-2-1201", "a probe", &st) > 0);
	assert_int_equal(st, DESKD__STATUS__OK);
	answered = h_now_ms() - t0;
	if ((anon = srv_status_kib(&srv, "RssAnon")) > peak)
		peak = anon;
	print_message("%d desks x %d unread ComplaintList(500) over %d "
	    "complaints of %d bytes: deskd's heap %ld -> peak %ld KiB (+%ld); "
	    "another desk answered in %" PRId64 " ms\n", STALLERS, LISTS,
	    COMPLAINTS, TEXT_BYTES, base, peak, peak - base, answered);
	if (peak - base > UNREAD_BOUND_KIB)
		fail_msg("deskd's heap grew by %ld KiB (bound %d KiB) behind "
		    "desks that do not read", peak - base, UNREAD_BOUND_KIB);

	/* Now they read: every reply, in order, none lost. */
	for (int i = 0; i < STALLERS; i++) {
		for (int j = 0; j < LISTS; j++) {
			struct desk_frame f;

			assert_int_equal(desk_recv(stall[i], &f, -1), DESK_OK);
			assert_non_null(f.response);
			assert_int_equal(f.request_id, ids[i][j]);
			assert_int_equal(f.response->status,
			    DESKD__STATUS__OK);
			assert_int_equal(f.response->body_case,
			    DESKD__RESPONSE__BODY_COMPLAINT_LIST);
			assert_true(f.response->complaint_list->n_complaints >
			    100);
			desk_frame_free(&f);
		}
		desk_close(stall[i]);
	}
	desk_close(other);
	srv_stop(&srv);
	assert_true(WIFEXITED(srv.status));
	assert_int_equal(WEXITSTATUS(srv.status), 0);
	srv_start(&srv);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_fd_flood, cleanup),
		cmocka_unit_test_teardown(test_fd_flood_accept_fails, cleanup),
		cmocka_unit_test_teardown(test_per_source_cap, cleanup),
		cmocka_unit_test_teardown(test_user_conn_cap, cleanup),
		cmocka_unit_test_teardown(test_user_conn_cap_burst, cleanup),
		cmocka_unit_test_teardown(test_unread_replies, cleanup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
