/*
 * console_draw.c - the board's screen (console.h): the header, "needs me
 * now" with its countdowns, the live feed, the bottom line.  Every row is
 * laid out by display width (cli_cell: CJK takes two columns) for the
 * terminal's size now, so a resize is one more draw.
 */
#include <curses.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "console.h"

/* The feed's events, as the desk says them; others by their type. */
static const struct {
	const char	*type;
	const char	*label;
} type_labels[] = {
	{ "complaint.created", N_("new complaint") },
	{ "complaint.replied", N_("replied") },
	{ "complaint.validated", N_("judged valid") },
	{ "complaint.invalidated", N_("judged invalid") },
	{ "complaint.assigned", N_("assigned") },
	{ "complaint.resolved", N_("resolved") },
	{ "complaint.revisited", N_("revisited") },
	{ "complaint.escalated", N_("escalated") },
	{ "complaint.appealed", N_("final ruling") },
	{ "complaint.noted", N_("note") },
	{ "repair.created", N_("new work order") },
	{ "repair.dispatched", N_("dispatched") },
	{ "repair.arrived", N_("engineer arrived") },
	{ "repair.called", N_("owner called") },
	{ "repair.done", N_("work done") },
	{ "repair.feedback", N_("feedback") },
	{ "repair.revisited", N_("revisited") },
	{ "repair.noted", N_("note") },
	{ "alert.warning", N_("warning") },
	{ "alert.raised", N_("ALERT") },
	{ "alert.escalated", N_("ESCALATED") },
	{ "alert.acked", N_("alert taken") },
	{ "alert.cleared", N_("alert cleared") },
	{ "shift.changed", N_("shift change") },
	{ "handover.opened", N_("handover opened") },
	{ "handover.signed_out", N_("signed out") },
	{ "handover.closed", N_("handover signed") },
};

static const char *
type_label(const char *type)
{
	for (size_t i = 0; i < sizeof(type_labels) / sizeof(type_labels[0]);
	    i++)
		if (strcmp(type_labels[i].type, type) == 0)
			return _(type_labels[i].label);
	return type;
}

/* The help (`?`), a line each. */
static const char *const help_lines[] = {
	N_("Keys of the board"),
	"",
	N_("  Up/Down, j/k    select an item of \"needs me now\""),
	N_("  PgUp/PgDn       ten items up or down"),
	N_("  Enter           take the selected item: ack, reply, call, dispatch, sign"),
	N_("  n / w           new complaint / new work order (unit looked up as typed)"),
	N_("  /               filter the lists by any text (empty: all)"),
	N_("  r               read the list again now"),
	N_("  ?               this help (any key closes it)"),
	N_("  q               quit"),
	"",
	N_("Countdowns run to each deadline; a minus sign is late.  A new breach"),
	N_("or escalation rings the bell and its line flashes."),
};

void
board_fit(char *out, size_t len, const char *s, int width)
{
	FILE *f;

	if (len == 0)
		return;
	*out = '\0';
	if (width <= 0 || (f = fmemopen(out, len, "w")) == NULL)
		return;
	cli_cell_cut(f, s, width);
	fclose(f);
	out[len - 1] = '\0';
}

void
board_fmt_left(int64_t ms, char *buf, size_t len)
{
	int64_t s = (ms < 0 ? -ms : ms) / 1000;
	const char *sign = ms < 0 ? "-" : "";

	if (s < 3600)
		snprintf(buf, len, "%s%" PRId64 ":%02" PRId64, sign, s / 60,
		    s % 60);
	else if (s < 100 * 3600)
		snprintf(buf, len, "%s%" PRId64 "h%02" PRId64, sign, s / 3600,
		    s / 60 % 60);
	else
		snprintf(buf, len, "%s%" PRId64 "d", sign, s / 86400);
}

static bool
item_matches(const Deskd__NowItem *it, const char *filter)
{
	return !*filter || strcasestr(it->title, filter) ||
	    strcasestr(it->unit, filter) || strcasestr(it->record, filter) ||
	    strcasestr(it->kind, filter) ||
	    strcasestr(cli_now_kind(it), filter) ||
	    strcasestr(it->phone, filter) || strcasestr(it->post, filter) ||
	    strcasestr(it->owner, filter) || strcasestr(it->rule, filter);
}

size_t
board_shown(const struct board *b, size_t *idx, size_t max)
{
	size_t n = 0;

	if (b->now == NULL)
		return 0;
	for (size_t i = 0; i < b->now->n_items && n < max; i++)
		if (item_matches(b->now->items[i], b->filter)) {
			if (idx)
				idx[n] = i;
			n++;
		}
	return n;
}

/* Who did it, as people know them now (a rename shows on older lines). */
static const char *
feed_actor(const struct feed_line *l)
{
	return cli_person_name(NULL, l->actor);
}

static bool
feed_matches(const struct feed_line *l, const char *filter)
{
	return !*filter || strcasestr(l->summary, filter) ||
	    strcasestr(l->record, filter) || strcasestr(l->type, filter) ||
	    strcasestr(type_label(l->type), filter) ||
	    strcasestr(l->actor, filter) ||
	    strcasestr(feed_actor(l), filter);
}

/* Row y: text cut or padded to the width (the last column left alone, so
 * the bottom row never scrolls the screen). */
static void
put_row(int y, const char *text, attr_t attr)
{
	char buf[2048];

	board_fit(buf, sizeof(buf), text, COLS - 1);
	attrset(attr);
	mvaddstr(y, 0, buf);
	attrset(A_NORMAL);
}

/* Cells side by side, each fitted to its width and a space after. */
struct cell {
	const char	*text;
	int		 width;	/* 0: the rest of the row */
};

static void
put_cells(int y, const struct cell *c, size_t n, attr_t attr)
{
	char row[4096], buf[1024];
	size_t at = 0;
	int used = 0;

	row[0] = '\0';
	for (size_t i = 0; i < n && used < COLS - 1; i++) {
		int w = c[i].width ? c[i].width : COLS - 1 - used;

		if (used + w > COLS - 1)
			w = COLS - 1 - used;
		board_fit(buf, sizeof(buf), c[i].text, w);
		at += (size_t)snprintf(row + at, sizeof(row) - at, "%s%s", buf,
		    i + 1 < n ? " " : "");
		if (at >= sizeof(row))
			break;
		used += w + 1;
	}
	put_row(y, row, attr);
}

/* HH:MM, or HH:MM:SS with seconds, in the office's zone (cli_connect
 * set TZ). */
static void
fmt_clock(int64_t ms, bool seconds, char *buf, size_t len)
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;

	localtime_r(&t, &tm);
	if (seconds)
		strftime(buf, len, "%H:%M:%S", &tm);
	else
		strftime(buf, len, "%H:%M", &tm);
}

static void
draw_header(struct board *b)
{
	const Deskd__NowReply *nr = b->now;
	char line[1024], t[32], left[32], seen[160], seq[24];
	size_t at;

	/* Row 0: where and who, the shift's time left, the zone (once). */
	if (nr != NULL && nr->shift_ends_ms > 0)
		board_fmt_left(nr->shift_ends_ms - board_server_ms(b), left,
		    sizeof(left));
	snprintf(line, sizeof(line), _("%s  post %s  %s  shift: %s  time zone %s"),
	    nr && *nr->office ? nr->office : _("front desk"),
	    nr && *nr->post ? nr->post : "-",
	    cli_person_name(b->cli, b->cli->user),
	    nr && nr->shift_ends_ms > 0 ? left : _("none now"), b->tz);
	put_row(0, line, A_REVERSE | A_BOLD);

	/* Row 1: the connection, and the last event seen. */
	switch (b->conn) {
	case BOARD_ONLINE:
		snprintf(line, sizeof(line), "%s", _("online"));
		break;
	case BOARD_CATCHING_UP:
		snprintf(line, sizeof(line), "%s", _("catching up"));
		break;
	case BOARD_CONNECTING:
		snprintf(line, sizeof(line), "%s", _("connecting"));
		break;
	case BOARD_OFFLINE:
		fmt_clock(b->offline_since_ms, false, t, sizeof(t));
		snprintf(line, sizeof(line), _("OFFLINE since %s, reconnecting"),
		    t);
		break;
	}
	if (b->last_seq > 0 && b->last_event_ms > 0) {
		fmt_clock(b->last_event_ms, true, t, sizeof(t));
		snprintf(seq, sizeof(seq), "%" PRIu64, b->last_seq);
		snprintf(seen, sizeof(seen), _("last event #%s %s %s"), seq, t,
		    b->last_event_type);
	} else
		snprintf(seen, sizeof(seen), "%s", _("no event yet"));
	at = strlen(line);
	snprintf(line + at, sizeof(line) - at, "  |  %s", seen);
	put_row(1, line, b->conn == BOARD_OFFLINE ? A_BOLD | COLOR_PAIR(1) :
	    A_NORMAL);

	/* Row 2: who is on each post now. */
	at = (size_t)snprintf(line, sizeof(line), "%s", _("On duty:"));
	for (size_t i = 0; nr != NULL && i < nr->n_on_duty &&
	    at < sizeof(line); i++)
		at += (size_t)snprintf(line + at, sizeof(line) - at, "  %s %s",
		    nr->on_duty[i]->post, *nr->on_duty[i]->name ?
		    nr->on_duty[i]->name : *nr->on_duty[i]->user ?
		    nr->on_duty[i]->user : _("(nobody)"));
	if (nr == NULL || nr->n_on_duty == 0)
		at += (size_t)snprintf(line + at, sizeof(line) - at, " %s",
		    _("nobody by the schedule"));
	if (*b->ledger && at < sizeof(line))
		snprintf(line + at, sizeof(line) - at, "  |  %s", b->ledger);
	put_row(2, line, A_NORMAL);
}

static void
item_key(const Deskd__NowItem *it, char *key, size_t len)
{
	snprintf(key, len, "%s %s", it->kind, it->record);
}

/* The item selected before the list was read again, wherever it is now;
 * gone, the same row. */
static void
follow_selection(struct board *b, const size_t *idx, size_t n)
{
	char key[sizeof(b->sel_key)];

	for (size_t i = 0; *b->sel_key && i < n; i++) {
		item_key(b->now->items[idx[i]], key, sizeof(key));
		if (strcmp(key, b->sel_key) == 0) {
			b->sel = (int)i;
			break;
		}
	}
	if (b->sel >= (int)n)
		b->sel = n ? (int)n - 1 : 0;
	if (n > 0)
		item_key(b->now->items[idx[b->sel]], b->sel_key,
		    sizeof(b->sel_key));
}

/* The "needs me now" rows, y0 up to (not) y1. */
static void
draw_items(struct board *b, int y0, int y1)
{
	size_t *idx, n, max;
	char title[64], left[32], what[512], count[24];
	int rows = y1 - y0 - 2, y;
	int64_t now = board_server_ms(b);

	max = b->now ? b->now->n_items : 0;
	idx = max ? cli_xcalloc(max, sizeof(*idx)) : NULL;
	n = board_shown(b, idx, max);
	/* more: deskd sent the soonest, not all */
	snprintf(count, sizeof(count), "%zu%s", n, b->now && b->now->more ?
	    "+" : "");
	snprintf(title, sizeof(title), _("Needs me now (%s)"), count);
	snprintf(what, sizeof(what), "== %s ==%s%s", title, *b->filter ?
	    _("  filter: ") : "", b->filter);
	put_row(y0, what, A_BOLD);
	{
		const struct cell head[] = { { _("LEFT"), 7 }, { _("WHAT"), 15 },
		    { _("RULE"), 4 }, { _("RECORD"), 13 }, { _("UNIT"), 11 },
		    { _("TITLE, PHONE"), 0 } };

		put_cells(y0 + 1, head, 6, A_DIM);
	}
	if (b->now_unsupported)
		put_row(y0 + 2, _("This deskd does not list what needs you "
		    "(NowGet): update deskd."), A_NORMAL);
	else if (n == 0)
		put_row(y0 + 2, b->now ? _("Nothing needs you now.") :
		    _("Reading..."), A_NORMAL);
	follow_selection(b, idx, n);
	if (b->sel < b->top)
		b->top = b->sel;
	if (rows > 0 && b->sel >= b->top + rows)
		b->top = b->sel - rows + 1;
	y = y0 + 2;
	for (int i = b->top; rows > 0 && i < (int)n && y < y1; i++, y++) {
		const Deskd__NowItem *it = b->now->items[idx[i]];
		attr_t attr = A_NORMAL;

		if (it->due_ms)
			board_fmt_left(it->due_ms - now, left, sizeof(left));
		else
			snprintf(left, sizeof(left), "-");
		snprintf(what, sizeof(what), "%s%s%s", it->title,
		    *it->phone ? "  " : "", it->phone);
		if (it->due_ms && it->due_ms < now)
			attr = COLOR_PAIR(1) | A_BOLD;
		else if (it->due_ms && it->due_ms - now < 5 * 60 * 1000)
			attr = COLOR_PAIR(3);
		/* H2: the new breach's line flashes for a few seconds. */
		if (((it->alert_id && it->alert_id == b->flash_alert) ||
		    strcmp(it->record, b->flash_record) == 0) &&
		    board_now_ms() < b->flash_until_ms &&
		    board_now_ms() / FLASH_TURN_MS % 2 == 0)
			attr |= A_STANDOUT | A_BOLD;
		if (i == b->sel)
			attr |= A_REVERSE;
		{
			const struct cell row[] = { { left, 7 },
			    { cli_now_kind(it), 15 }, { it->rule, 4 },
			    { it->record, 13 }, { it->unit, 11 },
			    { what, 0 } };

			put_cells(y, row, 6, attr);
		}
	}
	free(idx);
}

/* The live feed, newest at the bottom, y0 up to (not) y1. */
static void
draw_feed(struct board *b, int y0, int y1)
{
	char head[256], t[16];
	size_t want = (size_t)(y1 - y0 - 1), shown = 0, i;
	size_t *pick;

	if (b->visitors_in >= 0 && b->keys_out >= 0)
		snprintf(head, sizeof(head), _("== Live ==  visitors inside %d  "
		    "keys out %d"), b->visitors_in, b->keys_out);
	else
		snprintf(head, sizeof(head), "== %s ==", _("Live"));
	put_row(y0, head, A_BOLD);
	if (y1 - y0 < 2 || b->feed_len == 0)
		return;
	/* The newest lines that pass the filter, shown oldest first. */
	pick = cli_xcalloc(want, sizeof(*pick));
	for (i = b->feed_len; i > 0 && shown < want; i--) {
		size_t at = (b->feed_head + i - 1) % FEED_MAX;

		if (feed_matches(&b->feed[at], b->filter))
			pick[shown++] = at;
	}
	for (i = 0; i < shown; i++) {
		const struct feed_line *l = &b->feed[pick[shown - 1 - i]];
		const struct cell row[] = { { t, 8 }, { feed_actor(l), 10 },
		    { type_label(l->type), 14 }, { l->record, 13 }, { l->summary, 0 } };

		fmt_clock(l->ms, true, t, sizeof(t));
		put_cells(y0 + 1 + (int)i, row, 5, strncmp(l->type, "alert.", 6) == 0 ?
		    COLOR_PAIR(1) : A_NORMAL);
	}
	free(pick);
}

static void
draw_help(int y0, int y1)
{
	for (size_t i = 0; i < sizeof(help_lines) / sizeof(help_lines[0]) &&
	    y0 + (int)i < y1; i++)
		put_row(y0 + (int)i, *help_lines[i] ? _(help_lines[i]) : "",
		    i == 0 ? A_BOLD : A_NORMAL);
}

void
board_draw(struct board *b)
{
	struct timespec t0, t1;
	int split;
	int64_t us;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	erase();
	if (LINES < 12 || COLS < 40) {
		put_row(0, _("The window is too small for the board: 80x24 at "
		    "least."), A_BOLD);
		refresh();
		b->dirty = false;
		return;
	}
	draw_header(b);
	if (b->help)
		draw_help(4, LINES - 1);
	else {
		/* Needs me now above, the feed below: the list gets the
		 * larger part. */
		split = 3 + (LINES - 4) * 3 / 5;
		draw_items(b, 3, split);
		draw_feed(b, split, LINES - 1);
	}
	if (*b->message)
		put_row(LINES - 1, b->message, b->message_error ?
		    COLOR_PAIR(1) | A_BOLD : COLOR_PAIR(2));
	else
		put_row(LINES - 1, _("Up/Down select  Enter take  n/w new  "
		    "/ filter  ? keys  q quit"), A_DIM);
	refresh();
	b->dirty = false;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	us = (t1.tv_sec - t0.tv_sec) * 1000000 + (t1.tv_nsec - t0.tv_nsec) /
	    1000;
	b->frames++;
	b->frame_us_total += us;
	if (us > b->frame_us_max)
		b->frame_us_max = us;
}
