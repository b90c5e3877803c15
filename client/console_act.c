/*
 * console_act.c - taking an item from the board (console.h).  An action is
 * the desk command a clerk would type (`desk repair call 12 --note ...`),
 * run as a child of this very program with the board's server and
 * session: the request is built in one place, the CLI's, and its answer or
 * refusal is what the bottom line says (a refused form comes back, as it
 * was typed: console_form.c).
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

#include "console.h"

/* One action: the key that takes it, the command, the form it asks. */
struct action {
	const char	*on;		/* the record's kind, "alert", or
					 * "" for a new record (a form) */
	int		 key;
	const char	*label;
	const char	*cmd[2];	/* "repair", "call" */
	bool		 no_id;		/* the command takes no id */
	struct form_field ask[FORM_FIELDS];
};

/* The fields' limits are deskd's (server/core/validate.c). */
static const struct action actions[] = {
	{ "alert", 'a', N_("ack the alert"), { "alert", "ack" }, false,
	    { { "--note", N_("Note (may be empty): "), true, CHECK_TEXT, 0 } } },
	{ "complaint", 'r', N_("reply"), { "complaint", "reply" }, false,
	    { { "--text", N_("Reply to the complainant: "), false, CHECK_TEXT,
	      4096 },
	      { "--next-reply-at", N_("Next reply at (HH:MM or +2h; empty: "
	      "none): "), true, CHECK_TIME, 0 } } },
	{ "complaint", 'v', N_("revisit"), { "complaint", "revisit" }, false,
	    { { "--result", N_("Revisit result: "), false, CHECK_TEXT, 0 },
	      { "--satisfaction", N_("Satisfaction 1-5: "), false, CHECK_SCORE,
	      0 } } },
	{ "repair", 'c', N_("call to the owner"), { "repair", "call" }, false,
	    { { "--note", N_("What the owner was told: "), false, CHECK_TEXT,
	      0 },
	      { "--eta", N_("Engineer expected at (HH:MM or +30m; empty: not "
	      "agreed): "), true, CHECK_TIME, 0 } } },
	{ "repair", 'd', N_("dispatch"), { "repair", "dispatch" }, false,
	    { { "--engineer", N_("Engineer (empty: engineering): "), true,
	      CHECK_TEXT, 32 } } },
	{ "repair", 'e', N_("engineer arrived"), { "repair", "arrive" }, false,
	    { { "--engineer", N_("Engineer (empty: as dispatched): "), true,
	      CHECK_TEXT, 32 } } },
	{ "handover", 's', N_("sign the handover"), { "handover", "sign" }, true,
	    { { NULL, NULL, false, CHECK_TEXT, 0 } } },
	/* The forms: a new complaint (C5) and a new work order (D1). */
	{ "", 'n', N_("new complaint"), { "complaint", "new" }, true,
	    { { "--unit", N_("Unit: "), true, CHECK_UNIT, 32 },
	      { "--name", N_("Complainant: "), false, CHECK_TEXT, 64 },
	      { "--phone", N_("Phone: "), false, CHECK_PHONE, 20 },
	      { "--category", N_("Category (code or name): "), false,
	      CHECK_TEXT, 32 },
	      { "--text", N_("What happened: "), false, CHECK_TEXT, 4096 },
	      { "--demand", N_("What they ask for (may be empty): "), true,
	      CHECK_TEXT, 1024 } } },
	{ "", 'w', N_("new work order"), { "repair", "new" }, true,
	    { { "--unit", N_("Unit: "), false, CHECK_UNIT, 32 },
	      { "--name", N_("Owner: "), false, CHECK_TEXT, 32 },
	      { "--phone", N_("Phone: "), false, CHECK_PHONE, 20 },
	      { "--kind", N_("Kind (repair, service, special): "), false,
	      CHECK_KIND, 0 },
	      { "--text", N_("What is to be done: "), false, CHECK_TEXT, 4096 },
	      { "--visit-at", N_("Visit at (HH:MM or +1h; empty: not agreed): "),
	      true, CHECK_TIME, 0 } } },
};
#define NACTIONS	(sizeof(actions) / sizeof(actions[0]))

/* Run `desk ARGS` (this program) and put its first line of output, or its
 * refusal, on the bottom line; true when it was done. */
static bool
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
		return false;
	}
	exe[n] = '\0';
	args[0] = exe;
	if ((pid = fork()) == -1) {
		board_say(b, true, "fork: %s", strerror(errno));
		close(p[0]);
		close(p[1]);
		return false;
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
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
		board_say(b, false, _("done: %s"), out);
		return true;
	}
	board_say(b, true, _("not done: %s"), out);
	return false;
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

/* The action's form, then its command; refused, the form again with
 * what was typed and deskd's reason under it, until sent or left. */
static void
take(struct board *b, const struct action *a, const char *title,
    const char *id)
{
	struct form f = { .title = title, .fields = a->ask };
	char *args[32];
	int n;

	while (f.n < FORM_FIELDS && a->ask[f.n].flag)
		f.n++;
	b->message[0] = '\0';
	do {
		if (f.n > 0 && !board_form_edit(b, &f)) {
			board_say(b, false, "%s", _("cancelled"));
			return;
		}
		n = 1;
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
		for (size_t i = 0; i < f.n; i++)
			if (*f.value[i] || !a->ask[i].optional) {
				args[n++] = (char *)a->ask[i].flag;
				args[n++] = f.value[i];
			}
		args[n] = NULL;
	} while (!run_desk(b, args) && f.n > 0);
}

void
board_act(struct board *b, const Deskd__NowItem *it)
{
	const struct action *mine[NACTIONS];
	char kind[32], id[32], alert_id[32], menu[1024], title[128];
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
	board_draw_bottom(b, menu);
	nodelay(stdscr, FALSE);
	/* A resize draws the board at its new size, the menu under it. */
	while ((ch = getch()) == KEY_RESIZE || ch == ERR)
		if (ch == KEY_RESIZE)
			board_draw_bottom(b, menu);
	nodelay(stdscr, TRUE);
	for (size_t i = 0; i < n; i++)
		if (mine[i]->key == ch) {
			snprintf(title, sizeof(title), "%s: %s", it->record,
			    _(mine[i]->label));
			take(b, mine[i], title, strcmp(mine[i]->on, "alert") ==
			    0 ? alert_id : id);
			return;
		}
	b->dirty = true;
}

bool
board_form(struct board *b, int key)
{
	for (size_t i = 0; i < NACTIONS; i++)
		if (!*actions[i].on && actions[i].key == key) {
			take(b, &actions[i], _(actions[i].label), NULL);
			return true;
		}
	return false;
}
