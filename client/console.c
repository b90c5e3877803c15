/*
 * console.c - `desk console` (console.h): the loop and the connection.
 * One poll waits on the keyboard, the connection and the next whole
 * second (the countdowns).  The connection reconnects by itself with
 * back-off, logs in again with the saved session, and catches up from the
 * log by seq: an event at or below the last one shown is never shown again.
 */
#include <sys/time.h>

#include <curses.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "console.h"
#include "ledger_words.h"

static const char usage_console[] = N_(
"usage: desk console [--all-posts]\n"
"The front desk's board, full screen, to leave open all shift: who is on\n"
"duty, what needs you now with its countdown, and the other desks' new\n"
"complaints, work orders, alerts and shift changes as they happen.\n"
"Reconnects by itself and catches up on what it missed.\n"
"--all-posts: a supervisor's board, every post's items.\n"
"Keys: arrows or j/k select, Enter takes the item, / filters, r re-reads,\n"
"? shows the keys, q quits.\n");

/* What the feed and the list follow; visitors and keys only count, and
 * users only name people (the directory is read again). */
static const char *const board_types[] = { "complaint.", "repair.",
	"alert.", "shift.", "handover.", "task.", "visitor.", "key.",
	"user." };
#define NTYPES	(sizeof(board_types) / sizeof(board_types[0]))
/* Events replayed on opening, so the feed is not empty. */
#define FEED_BACKLOG	20
/* Re-read the list this often even when nothing happened: a heartbeat
 * that finds a connection gone quiet. */
#define REFRESH_MS	30000
/* The director's ledger line: a month's figures move slowly. */
#define LEDGER_MS	300000
#define CALL_TIMEOUT_MS	5000
#define BACKOFF_MAX_MS	5000
#define FLASH_MS	6000

int64_t
board_now_ms(void)
{
	struct timeval tv;

	gettimeofday(&tv, NULL);
	return (int64_t)tv.tv_sec * 1000 + tv.tv_usec / 1000;
}

int64_t
board_server_ms(const struct board *b)
{
	return board_now_ms() + b->skew_ms;
}

void
board_say(struct board *b, bool error, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(b->message, sizeof(b->message), fmt, ap);
	va_end(ap);
	b->message_error = error;
	b->dirty = true;
}

static bool
has_prefix(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* ---------- the connection ---------- */

static void
go_offline(struct board *b)
{
	struct desk *d = b->cli->d;

	snprintf(b->conn_error, sizeof(b->conn_error), "%s",
	    d ? desk_error(d) : "");
	desk_close(d);
	b->cli->d = NULL;
	if (b->conn != BOARD_OFFLINE)
		b->offline_since_ms = board_now_ms();
	b->conn = BOARD_OFFLINE;
	b->next_try_ms = board_now_ms() + b->backoff_ms;
	if (b->backoff_ms < BACKOFF_MAX_MS)
		b->backoff_ms *= 2;
	b->dirty = true;
}

int
board_call(struct board *b, const Deskd__Request *req, Deskd__Response **resp)
{
	int rc;

	if (b->cli->d == NULL)
		return DESK_CONNECT;
	rc = desk_call(b->cli->d, req, resp);
	if (rc == DESK_CONNECT || rc == DESK_TIMEOUT || rc == DESK_PROTOCOL)
		go_offline(b);
	return rc;
}

static void
read_now(struct board *b)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__NowGet get = DESKD__NOW_GET__INIT;
	Deskd__Response *resp = NULL;
	int rc;

	b->now_wanted = false;
	if (b->bench_items)
		return;
	get.all_posts = b->all_posts;
	req.body_case = DESKD__REQUEST__BODY_NOW;
	req.now = &get;
	rc = board_call(b, &req, &resp);
	if (rc == DESK_OK && resp->body_case == DESKD__RESPONSE__BODY_NOW) {
		if (b->now)
			deskd__now_reply__free_unpacked(b->now, NULL);
		b->now = resp->now;
		resp->now = NULL;
		b->skew_ms = b->now->now_ms ? b->now->now_ms - board_now_ms() :
		    0;
		if (*b->now->tz)
			snprintf(b->tz, sizeof(b->tz), "%s", b->now->tz);
		b->now_unsupported = false;
	} else if (resp && resp->status == DESKD__STATUS__UNKNOWN_REQUEST)
		b->now_unsupported = true;
	if (resp)
		deskd__response__free_unpacked(resp, NULL);
	b->dirty = true;
}

/* Open entries of a register kind (filter "" or "field=value"), or -1. */
static int
count_open(struct board *b, const char *kind, const char *filter)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__RegisterList rl = DESKD__REGISTER_LIST__INIT;
	Deskd__Response *resp = NULL;
	int n = 0;

	rl.kind = (char *)kind;
	rl.open_only = true;
	rl.filter = (char *)filter;
	rl.limit = 500;	/* a page's most (PROTOCOL.md) */
	req.body_case = DESKD__REQUEST__BODY_REGISTER_LIST;
	req.register_list = &rl;
	do {
		if (board_call(b, &req, &resp) != DESK_OK ||
		    resp->body_case != DESKD__RESPONSE__BODY_REGISTER_LIST) {
			n = -1;
			break;
		}
		n += (int)resp->register_list->n_entries;
		if (!resp->register_list->more || n == 0)
			break;
		rl.after_id = resp->register_list->entries[
		    resp->register_list->n_entries - 1]->id;
		deskd__response__free_unpacked(resp, NULL);
		resp = NULL;
	} while (n < 100000);
	if (resp)
		deskd__response__free_unpacked(resp, NULL);
	return n;
}

/*
 * The director's board carries the month's compliance ledger in a line:
 * how many quotas are met, on track, at risk, missed.  Read on connect
 * and every LEDGER_MS; a deskd without the ledger leaves it out.
 */
static void
read_ledger(struct board *b)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__LedgerGet get = DESKD__LEDGER_GET__INIT;
	Deskd__Response *resp = NULL;
	int count[LEDGER_NSTATUS] = { 0 }, k;

	b->ledger_read_ms = board_now_ms();
	if (strcmp(b->cli->role, "director") != 0 || b->bench_items)
		return;
	req.body_case = DESKD__REQUEST__BODY_LEDGER;
	req.ledger = &get;
	if (board_call(b, &req, &resp) == DESK_OK &&
	    resp->body_case == DESKD__RESPONSE__BODY_LEDGER) {
		for (size_t i = 0; i < resp->ledger->n_lines; i++)
			if ((k = ledger_status_of(
			    resp->ledger->lines[i]->status)) >= 0)
				count[k]++;
		snprintf(b->ledger, sizeof(b->ledger), _("Ledger %1$s: %2$d "
		    "met, %3$d on track, %4$d at risk, %5$d missed"),
		    resp->ledger->month, count[LEDGER_MET],
		    count[LEDGER_ON_TRACK], count[LEDGER_AT_RISK],
		    count[LEDGER_MISSED]);
		b->dirty = true;
	}
	if (resp)
		deskd__response__free_unpacked(resp, NULL);
}

static void
read_counts(struct board *b)
{
	b->counts_wanted = false;
	b->visitors_in = count_open(b, "visitor", "");
	if (b->cli->d != NULL)
		b->keys_out = count_open(b, "key", "state=out");
	b->dirty = true;
}

/* Connect, log in with the saved session, subscribe from the last event
 * shown.  DESK_AUTH and DESK_USAGE will not mend by retrying. */
static int
board_connect(struct board *b)
{
	struct cli *cli = b->cli;
	uint64_t since, last;
	int rc;

	cli->timeout_ms = CALL_TIMEOUT_MS;
	if ((rc = cli_connect(cli, true)) != DESK_OK) {
		if (rc != DESK_AUTH && rc != DESK_USAGE)
			go_offline(b);
		else
			snprintf(b->conn_error, sizeof(b->conn_error), "%s",
			    cli->d ? desk_error(cli->d) : "");
		return rc;
	}
	if (!*b->tz)
		snprintf(b->tz, sizeof(b->tz), "%s",
		    desk_welcome(cli->d)->time_zone);
	if (b->conn == BOARD_CONNECTING) {
		/* The first time, a little of what went before. */
		since = desk_welcome(cli->d)->last_seq;
		since = since > FEED_BACKLOG ? since - FEED_BACKLOG : 0;
		b->last_seq = since;
	} else
		since = b->last_seq;
	rc = desk_subscribe_marked(cli->d, since, board_types, NTYPES, &last);
	if (rc != DESK_OK) {
		go_offline(b);
		return DESK_CONNECT;
	}
	b->conn = BOARD_CATCHING_UP;
	b->backoff_ms = 250;
	b->conn_error[0] = '\0';
	/* Whoever was added or renamed while we were away is named. */
	cli_people_reload(cli);
	read_now(b);
	read_counts(b);
	b->dirty = true;
	return b->cli->d ? DESK_OK : DESK_CONNECT;
}

/* ---------- events ---------- */

static void
feed_add(struct board *b, const Deskd__Event *e)
{
	struct feed_line *l;
	char said[1024];

	if (b->feed_len == FEED_MAX) {
		b->feed_head = (b->feed_head + 1) % FEED_MAX;
		b->feed_len--;
	}
	l = &b->feed[(b->feed_head + b->feed_len++) % FEED_MAX];
	l->seq = e->seq;
	l->ms = e->time_ms;
	snprintf(l->actor, sizeof(l->actor), "%s", e->actor);
	snprintf(l->type, sizeof(l->type), "%s", e->type);
	/* An alert by the record it is about, as the desk knows it. */
	snprintf(l->record, sizeof(l->record), "%s", e->alert &&
	    *e->alert->record ? e->alert->record : e->record);
	snprintf(l->summary, sizeof(l->summary), "%s",
	    cli_event_summary(e, said, sizeof(said)));
}

/* H2: a new breach or escalation is heard and its line flashes. */
static void
ring(struct board *b, const Deskd__Event *e)
{
	snprintf(b->flash_record, sizeof(b->flash_record), "%s",
	    e->alert->record);
	b->flash_alert = e->alert->id;
	b->flash_until_ms = board_now_ms() + FLASH_MS;
	beep();
}

/*
 * H2: a new breach is heard by the role it is addressed to, or whoever
 * holds it (B5); an escalation by the role it now goes to only (the desk
 * heard the breach; a supervisor is not rung for every clerk's breach).
 * A repeat of a breach already rung is not a new one.
 */
static bool
rings(const struct board *b, const Deskd__Event *e)
{
	const Deskd__Alert *a = e->alert;
	bool mine = strcmp(a->role, b->cli->role) == 0 ||
	    strcmp(b->cli->role, "admin") == 0;

	if (strcmp(e->type, "alert.raised") == 0 && a->repeats == 0)
		return mine || strcmp(a->owner, b->cli->user) == 0;
	return strcmp(e->type, "alert.escalated") == 0 && mine;
}

static void
on_event(struct board *b, const Deskd__Event *e)
{
	if (strcmp(e->type, "subscribe.caught_up") == 0) {
		b->conn = BOARD_ONLINE;
		b->dirty = true;
		return;
	}
	/* Caught up from the log by seq: what was shown is not again. */
	if (e->seq <= b->last_seq)
		return;
	b->last_seq = e->seq;
	b->last_event_ms = e->time_ms;
	if (b->drawn_event_ms == 0)
		b->drawn_event_ms = e->time_ms;
	snprintf(b->last_event_type, sizeof(b->last_event_type), "%s",
	    e->type);
	b->dirty = true;
	if (has_prefix(e->type, "visitor.") || has_prefix(e->type, "key.")) {
		b->counts_wanted = true;
		return;
	}
	/* user.added, user.renamed: the header and the feed name them as
	 * the directory says now (read after the frames at hand). */
	if (has_prefix(e->type, "user.")) {
		b->people_wanted = true;
		return;
	}
	feed_add(b, e);
	b->now_wanted = true;
	if (e->alert != NULL && b->conn == BOARD_ONLINE && rings(b, e))
		ring(b, e);
}

/* Every frame that can be had without waiting; false when the connection
 * broke. */
static bool
drain(struct board *b)
{
	struct desk_frame f;
	int rc;

	do {
		if ((rc = desk_recv(b->cli->d, &f, 2000)) != DESK_OK) {
			if (rc == DESK_TIMEOUT)
				return true;
			go_offline(b);
			return false;
		}
		if (f.event != NULL)
			on_event(b, f.event);
		desk_frame_free(&f);
	} while (desk_pending(b->cli->d));
	return true;
}

/* ---------- keys ---------- */

static void
move_sel(struct board *b, int by)
{
	size_t n = board_shown(b, NULL, SIZE_MAX);

	b->sel += by;
	b->sel_key[0] = '\0';
	if (b->sel >= (int)n)
		b->sel = (int)n - 1;
	if (b->sel < 0)
		b->sel = 0;
	b->dirty = true;
}

static void
take_selected(struct board *b)
{
	size_t *idx, n;

	if (b->now == NULL || b->now->n_items == 0)
		return;
	idx = cli_xcalloc(b->now->n_items, sizeof(*idx));
	n = board_shown(b, idx, b->now->n_items);
	if (b->sel >= 0 && (size_t)b->sel < n)
		board_act(b, b->now->items[idx[b->sel]]);
	free(idx);
	b->now_wanted = true;
}

/* One key; false to quit. */
static bool
on_key(struct board *b, int ch)
{
	char buf[sizeof(b->filter)];

	if (b->help && ch != KEY_RESIZE) {
		b->help = false;
		b->dirty = true;
		return ch != 'q';
	}
	switch (ch) {
	case 'q':
		return false;
	case KEY_UP: case 'k':
		move_sel(b, -1);
		break;
	case KEY_DOWN: case 'j':
		move_sel(b, 1);
		break;
	case KEY_PPAGE:
		move_sel(b, -10);
		break;
	case KEY_NPAGE:
		move_sel(b, 10);
		break;
	case KEY_HOME:
		move_sel(b, -b->sel);
		break;
	case '\n': case '\r': case KEY_ENTER:
		take_selected(b);
		break;
	case '/':
		snprintf(buf, sizeof(buf), "%s", b->filter);
		if (board_prompt(b, _("Filter (empty: all): "), buf,
		    sizeof(buf))) {
			snprintf(b->filter, sizeof(b->filter), "%s", buf);
			b->sel = 0;
			b->sel_key[0] = '\0';
			b->top = 0;
		}
		break;
	case '?':
		b->help = true;
		break;
	case 'r':
		b->now_wanted = true;
		b->counts_wanted = true;
		break;
	default:
		board_form(b, ch);
		break;
	}
	b->dirty = true;
	return true;
}

/* ---------- the loop ---------- */

/* A frame; traced, the time from the oldest event it shows first to the
 * screen (deskd stamps an event at its commit, on the same clock here). */
static void
draw(struct board *b)
{
	board_draw(b);
	if (b->trace && b->drawn_event_ms) {
		fprintf(b->trace, "push-to-screen %" PRId64 " ms\n",
		    board_now_ms() - b->drawn_event_ms);
		fflush(b->trace);
	}
	b->drawn_event_ms = 0;
}

/*
 * DESK_CONSOLE_ITEMS=N (the bench only): N made-up items in place of
 * deskd's list, to time scrolling and filtering a board that full.
 */
static char *
xstrdup(const char *s)
{
	size_t len = strlen(s) + 1;

	return memcpy(cli_xcalloc(len, 1), s, len);
}

static void
bench_items(struct board *b, size_t n)
{
	Deskd__NowReply *nr = cli_xcalloc(1, sizeof(*nr));
	char buf[128];

	deskd__now_reply__init(nr);
	nr->items = cli_xcalloc(n, sizeof(*nr->items));
	for (size_t i = 0; i < n; i++) {
		Deskd__NowItem *it = cli_xcalloc(1, sizeof(*it));

		deskd__now_item__init(it);
		it->kind = xstrdup(i % 3 ? "complaint.reply" : "repair.arrive");
		snprintf(buf, sizeof(buf), "%s:%zu", i % 3 ? "complaint" :
		    "repair", i + 1);
		it->record = xstrdup(buf);
		snprintf(buf, sizeof(buf), "%zu-%zu-%zu", i % 9 + 1,
		    i % 4 + 1, 1000 + i % 997);
		it->unit = xstrdup(buf);
		snprintf(buf, sizeof(buf), "第%zu件 楼上装修噪音", i + 1);
		it->title = xstrdup(buf);
		it->due_ms = board_now_ms() + (int64_t)i * 60000;
		nr->items[nr->n_items++] = it;
	}
	if (b->now)
		deskd__now_reply__free_unpacked(b->now, NULL);
	b->now = nr;
	b->bench_items = true;
	b->now_unsupported = false;
}

/*
 * Until the next tick of the countdowns: when the soonest item's shows
 * one second less, so that it moves on time whatever its deadline's
 * milliseconds (the others move at the same ticks, once a second); else
 * the next whole second of the clock.
 */
static int
tick_ms(const struct board *b)
{
	int64_t left, now = board_now_ms();
	int tick;

	if (b->now == NULL || b->now->n_items == 0 ||
	    b->now->items[0]->due_ms == 0)
		tick = (int)(1000 - now % 1000);
	else {
		left = b->now->items[0]->due_ms - board_server_ms(b);
		tick = (int)((left % 1000 + 1000) % 1000) + 1;
	}
	/* A flashing line turns at every FLASH_TURN_MS: a tick a second
	 * alone comes at the same point of the turn, never showing it. */
	if (now < b->flash_until_ms && FLASH_TURN_MS - now % FLASH_TURN_MS <
	    tick)
		tick = (int)(FLASH_TURN_MS - now % FLASH_TURN_MS);
	return tick;
}

static int
board_loop(struct board *b)
{
	int64_t last_read = board_now_ms();

	for (;;) {
		struct pollfd pfd[2];
		int64_t now = board_now_ms();
		int n = 1, ch, timeout, ready;

		if (b->cli->d == NULL && now >= b->next_try_ms &&
		    board_connect(b) == DESK_AUTH)
			return DESK_AUTH;
		/* The event on screen first, then what it changed. */
		if (b->dirty)
			draw(b);
		if (b->cli->d != NULL && b->now_wanted)
			read_now(b);
		if (b->cli->d != NULL && b->counts_wanted)
			read_counts(b);
		if (b->cli->d != NULL && b->people_wanted) {
			b->people_wanted = false;
			cli_people_reload(b->cli);
			b->dirty = true;
		}
		if (b->cli->d != NULL && board_now_ms() - b->ledger_read_ms >
		    LEDGER_MS)
			read_ledger(b);
		if (b->cli->d != NULL && board_now_ms() - last_read >
		    REFRESH_MS) {
			read_now(b);
			last_read = board_now_ms();
		}
		if (b->dirty)
			draw(b);
		timeout = tick_ms(b);
		pfd[0] = (struct pollfd){ STDIN_FILENO, POLLIN, 0 };
		if (b->cli->d != NULL) {
			pfd[n++] = (struct pollfd){ desk_fd(b->cli->d), POLLIN,
			    0 };
			if (desk_pending(b->cli->d))
				timeout = 0;
		} else if (b->next_try_ms - now < timeout)
			timeout = b->next_try_ms > now ? (int)(b->next_try_ms -
			    now) : 0;
		if ((ready = poll(pfd, (nfds_t)n, timeout)) == -1 &&
		    errno != EINTR)
			return DESK_CONNECT;
		if (ready == 0)
			b->dirty = true;	/* the countdowns move */
		/* Keys, and KEY_RESIZE after a SIGWINCH broke the poll. */
		while ((ch = getch()) != ERR)
			if (!on_key(b, ch))
				return DESK_OK;
		if (b->cli->d != NULL && (n == 2 && (pfd[1].revents != 0 ||
		    desk_pending(b->cli->d))))
			drain(b);
	}
}

int
cli_console(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "all-posts", no_argument, NULL, 'a' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct board *b;
	const char *env;
	int c, rc, saved_stderr, devnull;
	bool all_posts = false;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (c == 'a')
			all_posts = true;
		else
			return cli_usage(usage_console, c == 'h' ? 0 :
			    DESK_USAGE);
	}
	if (optind != argc)
		return cli_usage(usage_console, DESK_USAGE);
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		fprintf(stderr, "%s", _("desk console: needs a terminal (for "
		    "scripts: desk watch, desk now)\n"));
		return DESK_USAGE;
	}
	b = cli_xcalloc(1, sizeof(*b));
	b->cli = cli;
	b->conn = BOARD_CONNECTING;
	b->backoff_ms = 250;
	b->visitors_in = b->keys_out = -1;
	b->all_posts = all_posts;
	/* The first connection before the screen: a wrong server or an
	 * expired session is said plainly, as by every other command. */
	if ((rc = board_connect(b)) != DESK_OK) {
		free(b);
		return rc;
	}
	/* Nothing may write over the screen: stderr (cli_connect's
	 * messages while reconnecting) goes nowhere until the end. */
	fflush(stderr);
	saved_stderr = dup(STDERR_FILENO);
	if ((devnull = open("/dev/null", O_WRONLY)) != -1) {
		dup2(devnull, STDERR_FILENO);
		close(devnull);
	}
	initscr();
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	curs_set(0);
	if (has_colors()) {
		start_color();
		use_default_colors();
		init_pair(1, COLOR_RED, -1);
		init_pair(2, COLOR_GREEN, -1);
		init_pair(3, COLOR_YELLOW, -1);
	}
	if ((env = getenv("DESK_CONSOLE_TRACE")) != NULL && *env)
		b->trace = fopen(env, "a");
	if ((env = getenv("DESK_CONSOLE_ITEMS")) != NULL && atoi(env) > 0)
		bench_items(b, (size_t)atoi(env));
	b->dirty = true;
	rc = board_loop(b);
	endwin();
	if (b->trace) {
		fprintf(b->trace, "frames %" PRIu64 " mean %" PRId64 " us max %"
		    PRId64 " us\n", b->frames, b->frames ? b->frame_us_total /
		    (int64_t)b->frames : 0, b->frame_us_max);
		fclose(b->trace);
	}
	if (saved_stderr != -1) {
		dup2(saved_stderr, STDERR_FILENO);
		close(saved_stderr);
	}
	if (rc == DESK_AUTH)
		fprintf(stderr, _("desk console: the session is no longer "
		    "valid: %s; run `desk login`\n"), b->conn_error);
	if (b->now)
		deskd__now_reply__free_unpacked(b->now, NULL);
	free(b);
	return rc;
}
