/*
 * console_act.c - taking an item from the board (console.h).  An action is
 * the desk command a clerk would type (`desk repair call 12 --note ...`),
 * run as a child of this very program with the board's server and
 * session: the request is built in one place, the CLI's, and its answer or
 * refusal is what the bottom line says.
 */
#include <sys/wait.h>

#include <curses.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wchar.h>
#include <wctype.h>

#include "console.h"

#define ACT_FLAGS	6

/* One action: the key that takes it, the command, the flags asked for. */
struct action {
	const char	*on;		/* the record's kind, "alert", or
					 * "" for a new record (a form) */
	int		 key;
	const char	*label;
	const char	*cmd[2];	/* "repair", "call" */
	bool		 no_id;		/* the command takes no id */
	struct {
		const char	*flag;	/* "--note" */
		const char	*prompt;
		bool		 optional;
		bool		 unit;	/* looked up in the archive as typed */
	} ask[ACT_FLAGS];
};

static const struct action actions[] = {
	{ "alert", 'a', N_("ack the alert"), { "alert", "ack" }, false,
	    { { "--note", N_("Note (may be empty): "), true, false } } },
	{ "complaint", 'r', N_("reply"), { "complaint", "reply" }, false,
	    { { "--text", N_("Reply to the complainant: "), false, false },
	      { "--next-reply-at", N_("Next reply at (HH:MM or +2h; empty: "
	      "none): "), true, false } } },
	{ "complaint", 'v', N_("revisit"), { "complaint", "revisit" }, false,
	    { { "--result", N_("Revisit result: "), false, false },
	      { "--satisfaction", N_("Satisfaction 1-5: "), false, false } } },
	{ "repair", 'c', N_("call to the owner"), { "repair", "call" }, false,
	    { { "--note", N_("What the owner was told: "), false, false },
	      { "--eta", N_("Engineer expected at (HH:MM or +30m; empty: not "
	      "agreed): "), true, false } } },
	{ "repair", 'd', N_("dispatch"), { "repair", "dispatch" }, false,
	    { { "--engineer", N_("Engineer (empty: engineering): "), true,
	      false } } },
	{ "repair", 'e', N_("engineer arrived"), { "repair", "arrive" }, false,
	    { { "--engineer", N_("Engineer (empty: as dispatched): "), true,
	      false } } },
	{ "handover", 's', N_("sign the handover"), { "handover", "sign" }, true,
	    { { NULL, NULL, false, false } } },
	/* The forms: a new complaint (C5) and a new work order (D1). */
	{ "", 'n', N_("new complaint"), { "complaint", "new" }, true,
	    { { "--unit", N_("Unit: "), true, true },
	      { "--name", N_("Complainant: "), false, false },
	      { "--phone", N_("Phone: "), false, false },
	      { "--category", N_("Category (code or name): "), false, false },
	      { "--text", N_("What happened: "), false, false },
	      { "--demand", N_("What they ask for (may be empty): "), true,
	      false } } },
	{ "", 'w', N_("new work order"), { "repair", "new" }, true,
	    { { "--unit", N_("Unit: "), false, true },
	      { "--name", N_("Owner: "), false, false },
	      { "--phone", N_("Phone: "), false, false },
	      { "--kind", N_("Kind (repair, service, special): "), false,
	      false },
	      { "--text", N_("What is to be done: "), false, false },
	      { "--visit-at", N_("Visit at (HH:MM or +1h; empty: not agreed): "),
	      true, false } } },
};
#define NACTIONS	(sizeof(actions) / sizeof(actions[0]))

static bool prompt_hinted(struct board *, const char *, char *, size_t,
	    bool);

bool
board_prompt(struct board *b, const char *label, char *out, size_t len)
{
	return prompt_hinted(b, label, out, len, false);
}

/* The archive's units starting with what was typed, on the row above the
 * prompt, as it is typed. */
static void
unit_hint(struct board *b, const char *typed)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__UnitList ul = DESKD__UNIT_LIST__INIT;
	Deskd__Response *resp = NULL;
	char line[1024];
	size_t at;

	if (!*typed)
		snprintf(line, sizeof(line), "%s", _("Type the unit: the "
		    "archive's units that start so are shown here."));
	else {
		ul.prefix = (char *)typed;
		ul.limit = 8;
		req.body_case = DESKD__REQUEST__BODY_UNIT_LIST;
		req.unit_list = &ul;
		if (board_call(b, &req, &resp) != DESK_OK ||
		    resp->body_case != DESKD__RESPONSE__BODY_UNIT_LIST)
			snprintf(line, sizeof(line), "%s", _("(the archive "
			    "cannot be read now)"));
		else if (resp->unit_list->n_units == 0)
			snprintf(line, sizeof(line), _("no unit %s... in the "
			    "archive"), typed);
		else {
			at = (size_t)snprintf(line, sizeof(line), "%s",
			    _("archive:"));
			for (size_t i = 0; i < resp->unit_list->n_units &&
			    at < sizeof(line); i++)
				at += (size_t)snprintf(line + at, sizeof(line) -
				    at, "  %s", resp->unit_list->units[i]->code);
			if (resp->unit_list->more && at < sizeof(line))
				snprintf(line + at, sizeof(line) - at, "  ...");
		}
		if (resp)
			deskd__response__free_unpacked(resp, NULL);
	}
	move(LINES - 2, 0);
	clrtoeol();
	mvaddnstr(LINES - 2, 0, line, (int)sizeof(line));
}

static bool
prompt_hinted(struct board *b, const char *label, char *out, size_t len,
    bool unit)
{
	wchar_t w[256];
	size_t n = 0;
	bool done = false, ok = false;
	char shown[1200], typed[1024], hinted[1024] = "\x01";

	if ((n = mbstowcs(w, out, 255)) == (size_t)-1)
		n = 0;
	nodelay(stdscr, FALSE);
	curs_set(1);
	while (!done) {
		wint_t ch;
		int r;

		w[n] = L'\0';
		if (wcstombs(typed, w, sizeof(typed)) == (size_t)-1)
			typed[0] = '\0';
		snprintf(shown, sizeof(shown), "%s%s", label, typed);
		/* The end of a long line stays in sight. */
		while (cli_width(shown) > COLS - 2 && n > 0 && *typed) {
			memmove(typed, typed + 1, strlen(typed));
			snprintf(shown, sizeof(shown), "%s…%s", label, typed);
		}
		if (unit && strcmp(typed, hinted) != 0) {
			unit_hint(b, typed);
			snprintf(hinted, sizeof(hinted), "%s", typed);
		}
		move(LINES - 1, 0);
		clrtoeol();
		attrset(A_BOLD);
		mvaddstr(LINES - 1, 0, shown);
		attrset(A_NORMAL);
		refresh();
		if ((r = get_wch(&ch)) == ERR)
			continue;
		if (r == KEY_CODE_YES) {
			if (ch == KEY_BACKSPACE && n > 0)
				n--;
			else if (ch == KEY_ENTER)
				done = ok = true;
			else if (ch == KEY_RESIZE)
				board_draw(b);
			continue;
		}
		if (ch == 27)
			done = true;
		else if (ch == L'\r' || ch == L'\n')
			done = ok = true;
		else if ((ch == 127 || ch == 8) && n > 0)
			n--;
		else if (ch == 21)	/* ^U */
			n = 0;
		else if (iswprint(ch) && n < 255)
			w[n++] = (wchar_t)ch;
	}
	curs_set(0);
	nodelay(stdscr, TRUE);
	w[n] = L'\0';
	if (ok && wcstombs(out, w, len) == (size_t)-1)
		ok = false;
	b->dirty = true;
	return ok;
}

/* Run `desk ARGS` (this program) and put its first line of output, or its
 * refusal, on the bottom line. */
static void
run_desk(struct board *b, char **args)
{
	char exe[PATH_MAX], out[2048];
	size_t got = 0;
	ssize_t r, n;
	int p[2], status = 0, fd;
	pid_t pid;

	if ((n = readlink("/proc/self/exe", exe, sizeof(exe) - 1)) <= 0 ||
	    pipe(p) == -1) {
		board_say(b, true, "%s", strerror(errno));
		return;
	}
	exe[n] = '\0';
	args[0] = exe;
	if ((pid = fork()) == -1) {
		board_say(b, true, "fork: %s", strerror(errno));
		close(p[0]);
		close(p[1]);
		return;
	}
	if (pid == 0) {
		if ((fd = open("/dev/null", O_RDONLY)) != -1)
			dup2(fd, STDIN_FILENO);
		dup2(p[1], STDOUT_FILENO);
		dup2(p[1], STDERR_FILENO);
		close(p[0]);
		close(p[1]);
		execv(exe, args);
		_exit(127);
	}
	close(p[1]);
	while ((r = read(p[0], out + got, sizeof(out) - 1 - got)) > 0 ||
	    (r == -1 && errno == EINTR))
		if (r > 0)
			got += (size_t)r;
	close(p[0]);
	out[got] = '\0';
	while (waitpid(pid, &status, 0) == -1 && errno == EINTR)
		;
	/* Its lines on one: the bottom line is all there is. */
	for (char *c = out; *c; c++)
		if (*c == '\n')
			*c = *(c + 1) ? ' ' : '\0';
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		board_say(b, false, _("done: %s"), out);
	else
		board_say(b, true, _("not done: %s"), out);
}

/* The record's kind and id: "repair:12". */
static bool
split_record(const char *record, char *kind, size_t len, char *id,
    size_t idlen)
{
	const char *colon = strchr(record, ':');

	if (colon == NULL)
		return false;
	snprintf(kind, len, "%.*s", (int)(colon - record), record);
	snprintf(id, idlen, "%s", colon + 1);
	return true;
}

static void
take(struct board *b, const struct action *a, const char *id)
{
	char *args[32], vals[ACT_FLAGS][512];
	int n = 1;

	for (int i = 0; i < ACT_FLAGS && a->ask[i].flag; i++) {
		vals[i][0] = '\0';
		if (!prompt_hinted(b, _(a->ask[i].prompt), vals[i],
		    sizeof(vals[i]), a->ask[i].unit)) {
			board_say(b, false, "%s", _("cancelled"));
			return;
		}
	}
	args[n++] = "--server";
	args[n++] = b->cli->server;
	if (*b->cli->ca) {
		args[n++] = "--ca";
		args[n++] = b->cli->ca;
	}
	if (b->cli->login_password_file) {
		args[n++] = "--login-password-file";
		args[n++] = (char *)b->cli->login_password_file;
	}
	args[n++] = (char *)a->cmd[0];
	args[n++] = (char *)a->cmd[1];
	if (!a->no_id)
		args[n++] = (char *)id;
	for (int i = 0; i < ACT_FLAGS && a->ask[i].flag; i++)
		if (*vals[i] || !a->ask[i].optional) {
			args[n++] = (char *)a->ask[i].flag;
			args[n++] = vals[i];
		}
	args[n] = NULL;
	run_desk(b, args);
}

void
board_act(struct board *b, const Deskd__NowItem *it)
{
	const struct action *mine[NACTIONS];
	char kind[32], id[32], alert_id[32], menu[1024];
	size_t n = 0, at;
	int ch;

	if (!split_record(it->record, kind, sizeof(kind), id, sizeof(id)))
		snprintf(kind, sizeof(kind), "%s", it->kind);
	snprintf(alert_id, sizeof(alert_id), "%" PRIu64, it->alert_id);
	/* An alert is acked, and its record taken, from the same line. */
	for (size_t i = 0; i < NACTIONS; i++)
		if (!*actions[i].on)
			continue;
		else if ((strcmp(actions[i].on, "alert") == 0 && it->alert_id) ||
		    strcmp(actions[i].on, kind) == 0 ||
		    (strcmp(actions[i].on, "handover") == 0 &&
		    strcmp(it->kind, "handover") == 0))
			mine[n++] = &actions[i];
	if (n == 0) {
		board_say(b, true, _("nothing to take here for %s: use desk "
		    "on the command line"), it->record);
		return;
	}
	at = (size_t)snprintf(menu, sizeof(menu), "%s ", it->record);
	for (size_t i = 0; i < n && at < sizeof(menu); i++)
		at += (size_t)snprintf(menu + at, sizeof(menu) - at,
		    " [%c] %s", mine[i]->key, _(mine[i]->label));
	if (at < sizeof(menu))
		snprintf(menu + at, sizeof(menu) - at, "  %s", _("[Esc] back"));
	move(LINES - 1, 0);
	clrtoeol();
	attrset(A_BOLD);
	mvaddstr(LINES - 1, 0, menu);
	attrset(A_NORMAL);
	refresh();
	nodelay(stdscr, FALSE);
	while ((ch = getch()) == KEY_RESIZE || ch == ERR)
		;
	nodelay(stdscr, TRUE);
	for (size_t i = 0; i < n; i++)
		if (mine[i]->key == ch) {
			take(b, mine[i], strcmp(mine[i]->on, "alert") == 0 ?
			    alert_id : id);
			return;
		}
	b->dirty = true;
}

bool
board_form(struct board *b, int key)
{
	for (size_t i = 0; i < NACTIONS; i++)
		if (!*actions[i].on && actions[i].key == key) {
			take(b, &actions[i], NULL);
			return true;
		}
	return false;
}
