/*
 * console.h - `desk console`, the full-screen board a desk leaves open all
 * shift (issue 16): who is on duty, what needs this desk now with live
 * countdowns, the other desks' work as it commits, and the actions to take
 * an item without leaving it.  console.c runs the loop (keyboard, the
 * connection, a 1 s tick, in one poll) and the connection; console_draw.c
 * lays the screen out; console_act.c takes items.
 */
#ifndef DESK_CONSOLE_H
#define DESK_CONSOLE_H

#include <stdbool.h>
#include <stdint.h>

#include "cli.h"

enum board_conn {
	BOARD_CONNECTING,	/* never connected yet */
	BOARD_ONLINE,
	BOARD_CATCHING_UP,	/* reconnected: replaying what was missed */
	BOARD_OFFLINE,
};

/* One line of the live feed: an event of another desk (or ours). */
struct feed_line {
	uint64_t	seq;
	int64_t		ms;
	char		actor[48];
	char		type[40];
	char		record[32];
	char		summary[200];
};

#define FEED_MAX	400
#define FLASH_TURN_MS	500

struct board {
	struct cli		*cli;
	bool			 all_posts;	/* a supervisor's: every post */
	enum board_conn		 conn;
	int64_t			 offline_since_ms;
	int64_t			 next_try_ms;
	int			 backoff_ms;
	char			 conn_error[160];
	/* The last event shown: nothing at or below it is shown again. */
	uint64_t		 last_seq;
	int64_t			 last_event_ms;
	char			 last_event_type[40];

	/* "Needs me now" as deskd last said it (NowGet), NULL: not read */
	Deskd__NowReply		*now;
	bool			 now_unsupported;	/* an older deskd */
	bool			 now_wanted;	/* an event changed it: re-read */
	int64_t			 skew_ms;	/* deskd's clock minus ours */
	char			 tz[64];
	/* The item flashed after a new breach or escalation, till when;
	 * it turns on and off every FLASH_TURN_MS. */
	char			 flash_record[32];
	uint64_t		 flash_alert;
	int64_t			 flash_until_ms;

	struct feed_line	 feed[FEED_MAX];	/* a ring, oldest first */
	size_t			 feed_head, feed_len;
	int			 visitors_in, keys_out;	/* -1: unknown */
	bool			 counts_wanted;
	bool			 people_wanted;	/* a user added or renamed */
	/* A director's: the month's ledger line (LedgerGet), "" none */
	char			 ledger[192];
	int64_t			 ledger_read_ms;

	/* The screen */
	int			 sel;		/* index among the shown items */
	/* The selected item's kind and record: it stays selected when the
	 * list is read again and moves (Enter acts on what was chosen). */
	char			 sel_key[72];
	int			 top;		/* first item shown */
	char			 filter[64];	/* `/`: shown items contain it */
	bool			 help;		/* `?`: the keys */
	char			 message[256];	/* the last action's outcome */
	bool			 message_error;
	bool			 dirty;

	/* DESK_CONSOLE_TRACE (tests/bench/console_bench.sh): frames and
	 * their time, and each event's commit-to-screen time */
	FILE			*trace;
	bool			 bench_items;	/* made up: never re-read */
	int64_t			 drawn_event_ms;	/* committed, not drawn */
	uint64_t		 frames;
	int64_t			 frame_us_total, frame_us_max;
};

int64_t	board_now_ms(void);		/* the wall clock, ms */
/* deskd's time now, by its clock as of the last NowGet. */
int64_t	board_server_ms(const struct board *);

/* console_draw.c */
void	board_draw(struct board *);
/* The items of b->now shown under the filter, in order: their indexes
 * into now->items, at most max; returns how many. */
size_t	board_shown(const struct board *, size_t *idx, size_t max);
/* "12:05", "-3:20" (late), "1h05" for a countdown of ms */
void	board_fmt_left(int64_t ms, char *, size_t);
/* s cut or padded to `width` display columns (CJK: two) */
void	board_fit(char *, size_t, const char *s, int width);

/* A field of a form: what it asks, the flag it fills, what it takes. */
enum form_check {
	CHECK_TEXT,	/* anything within its length */
	CHECK_UNIT,	/* a unit of the archive (looked up as it is left) */
	CHECK_PHONE,	/* a phone as deskd takes it (C5, D1) */
	CHECK_TIME,	/* what cli_parse_time takes: HH:MM, +2h, ... */
	CHECK_SCORE,	/* 1 to 5 */
	CHECK_KIND,	/* a work order's: repair, service, special */
};

struct form_field {
	const char	*flag;		/* "--note" */
	const char	*prompt;	/* N_(), translated where shown */
	bool		 optional;
	enum form_check	 check;
	size_t		 max;		/* bytes deskd takes (validate.c);
					 * 0: its default */
};

#define FORM_FIELDS	6
#define FORM_VALUE	512

/* A form being typed: every field on its own line, why it will not do
 * beside it. */
struct form {
	const char		*title;	/* translated; NULL: a lone prompt */
	const struct form_field	*fields;
	size_t			 n;
	size_t			 at;	/* the field being typed */
	char			 value[FORM_FIELDS][FORM_VALUE];
	char			 why[FORM_FIELDS][160];
	char			 hint[1024];	/* the unit look-up's line */
	char			 hinted[FORM_VALUE];	/* ... for what */
	bool			 hint_shown;
};

/* console_check.c: true when v will do for f; else why not, in the
 * user's language (the archive is not asked here). */
bool	form_check_field(const struct form_field *, const char *v, char *why,
	    size_t);

/* console_form.c: typed until Enter on the last field with every field
 * fine (true), or Esc (false); what was typed stays in the form, for
 * another go after deskd refused it.  A resize redraws board and form. */
bool	board_form_edit(struct board *, struct form *);
/* The board and, over its bottom row, text (a menu): after a resize. */
void	board_draw_bottom(struct board *, const char *);

/* console_act.c: the actions on the selected item; Enter opens them. */
void	board_act(struct board *, const Deskd__NowItem *);
/* `n` a new complaint, `w` a new work order: false for another key. */
bool	board_form(struct board *, int key);
/* A call on the board's connection; a broken one goes offline.  *resp as
 * desk_call sets it. */
int	board_call(struct board *, const Deskd__Request *, Deskd__Response **);
/* A line of text typed at the bottom; false when Esc cancelled it. */
bool	board_prompt(struct board *, const char *label, char *, size_t);
void	board_say(struct board *, bool error, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
