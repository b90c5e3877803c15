/*
 * console_form.c - typing on the board (console.h): a form shows all its
 * fields at once over the bottom of the board, each checked as it is
 * left (console_check.c; a unit in the archive), with why it will not do
 * on its own line; what was typed stays through a resize, a refusal and
 * another go.  A lone prompt (`/`) is a form of one field.
 */
#include <curses.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <wctype.h>

#include "console.h"

/* A UnitList of the archive: the units starting with prefix (at most
 * limit), NULL when it cannot be read. */
static Deskd__Response *
units_starting(struct board *b, const char *prefix, uint32_t limit)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__UnitList ul = DESKD__UNIT_LIST__INIT;
	Deskd__Response *resp = NULL;

	ul.prefix = (char *)prefix;
	ul.limit = limit;
	req.body_case = DESKD__REQUEST__BODY_UNIT_LIST;
	req.unit_list = &ul;
	if (board_call(b, &req, &resp) != DESK_OK ||
	    resp->body_case != DESKD__RESPONSE__BODY_UNIT_LIST) {
		if (resp)
			deskd__response__free_unpacked(resp, NULL);
		return NULL;
	}
	return resp;
}

/* The archive's units that start with what was typed, for the row under
 * the form, as it is typed. */
static void
unit_hint(struct board *b, struct form *f, const char *typed)
{
	Deskd__Response *resp;
	size_t at, len = sizeof(f->hint);

	snprintf(f->hinted, sizeof(f->hinted), "%s", typed);
	if (!*typed) {
		snprintf(f->hint, len, "%s", _("Type the unit: the archive's "
		    "units that start so are shown here."));
		return;
	}
	if ((resp = units_starting(b, typed, 8)) == NULL)
		snprintf(f->hint, len, "%s", _("(the archive cannot be read "
		    "now)"));
	else if (resp->unit_list->n_units == 0)
		snprintf(f->hint, len, _("no unit %s... in the archive"), typed);
	else {
		at = (size_t)snprintf(f->hint, len, "%s", _("archive:"));
		for (size_t i = 0; i < resp->unit_list->n_units && at < len; i++)
			at += (size_t)snprintf(f->hint + at, len - at, "  %s",
			    resp->unit_list->units[i]->code);
		if (resp->unit_list->more && at < len)
			snprintf(f->hint + at, len - at, "  ...");
	}
	if (resp)
		deskd__response__free_unpacked(resp, NULL);
}

/*
 * A unit deskd would refuse: not in the archive, once the archive has a
 * unit (archive_unit_check: a new office records before loading it).  An
 * archive that cannot be read now is deskd's to judge when it is sent.
 */
static bool
unit_known(struct board *b, const char *code, char *why, size_t len)
{
	Deskd__Response *resp;
	bool known;

	if ((resp = units_starting(b, code, 1)) == NULL)
		return true;
	known = resp->unit_list->n_units > 0 &&
	    strcmp(resp->unit_list->units[0]->code, code) == 0;
	deskd__response__free_unpacked(resp, NULL);
	if (!known && (resp = units_starting(b, "", 1)) != NULL) {
		known = resp->unit_list->n_units == 0;
		deskd__response__free_unpacked(resp, NULL);
	}
	if (!known)
		snprintf(why, len, _("no unit %s in the archive"), code);
	return known;
}

/* Field i checked as it is left: why it will not do, on its line. */
static bool
form_leave(struct board *b, struct form *f, size_t i)
{
	const struct form_field *ff = &f->fields[i];

	if (!form_check_field(ff, f->value[i], f->why[i], sizeof(f->why[i])))
		return false;
	if (ff->check == CHECK_UNIT && *f->value[i])
		return unit_known(b, f->value[i], f->why[i], sizeof(f->why[i]));
	return true;
}

static bool
has_unit_field(const struct form *f)
{
	for (size_t i = 0; i < f->n; i++)
		if (f->fields[i].check == CHECK_UNIT)
			return true;
	return false;
}

/* Row y: text in attr, then more in red, both within the width (more
 * first: it says what is wrong). */
static void
put_text(int y, const char *text, attr_t attr, const char *more)
{
	char buf[2048];
	int mw = 0, tw;

	if (y < 0)
		return;
	move(y, 0);
	clrtoeol();
	if (more && *more)
		mw = cli_width(more) < COLS - 1 ? cli_width(more) : COLS - 1;
	tw = cli_width(text) < COLS - 1 - mw ? cli_width(text) : COLS - 1 - mw;
	board_fit(buf, sizeof(buf), text, tw);
	attrset(attr);
	mvaddstr(y, 0, buf);
	if (mw > 0) {
		board_fit(buf, sizeof(buf), more, mw);
		attrset(COLOR_PAIR(1) | A_BOLD);
		addstr(buf);
	}
	attrset(A_NORMAL);
}

/* Field i's line: its label and value, the value's end in sight when it
 * is too long, and why it will not do after it. */
static int
draw_field(const struct form *f, size_t i, int y)
{
	const char *label = _(f->fields[i].prompt), *v = f->value[i];
	char line[FORM_VALUE + 256], why[200] = "";
	int room;

	if (*f->why[i])
		snprintf(why, sizeof(why), "  [%s]", f->why[i]);
	room = COLS - 1 - cli_width(why);
	snprintf(line, sizeof(line), "%s%s", label, v);
	while (cli_width(line) > room && *v) {
		/* Past a whole character of UTF-8. */
		do
			v++;
		while ((*v & 0xc0) == 0x80);
		snprintf(line, sizeof(line), "%s…%s", label, v);
	}
	put_text(y, line, i == f->at ? A_BOLD : A_NORMAL, why);
	return cli_width(line) < COLS - 1 ? cli_width(line) : COLS - 1;
}

static void
form_draw(struct board *b, struct form *f)
{
	bool hint = has_unit_field(f) && f->title != NULL;
	int y = LINES - 1 - (int)f->n - (hint ? 1 : 0) - 1, cy = LINES - 1;
	int cx = 0, x;
	char title[256];

	if (f->title == NULL) {
		/* A lone prompt: on the bottom row, as it always was. */
		move(LINES - 1, draw_field(f, 0, LINES - 1));
		refresh();
		return;
	}
	snprintf(title, sizeof(title), "== %s ==", f->title);
	put_text(y++, title, A_REVERSE | A_BOLD, NULL);
	for (size_t i = 0; i < f->n; i++, y++) {
		x = draw_field(f, i, y);
		if (i == f->at) {
			cy = y;
			cx = x;
		}
	}
	if (hint)
		put_text(y++, f->fields[f->at].check == CHECK_UNIT ? f->hint :
		    "", A_NORMAL, NULL);
	/* The bottom row: deskd's refusal of the last go, else the keys. */
	if (*b->message)
		put_text(LINES - 1, b->message, b->message_error ?
		    COLOR_PAIR(1) | A_BOLD : COLOR_PAIR(2), NULL);
	else
		put_text(LINES - 1, _("Enter next field (on the last: send)  "
		    "Up/Down move  Esc cancel"), A_DIM, NULL);
	move(cy, cx);
	refresh();
}

/* The last character of UTF-8 text off. */
static void
drop_last(char *s)
{
	size_t n = strlen(s);

	while (n > 0 && (s[--n] & 0xc0) == 0x80)
		;
	s[n] = '\0';
}

static void
append_char(char *s, size_t len, wchar_t ch)
{
	char mb[MB_LEN_MAX];
	mbstate_t st;
	size_t n = strlen(s), k;

	memset(&st, 0, sizeof(st));
	if ((k = wcrtomb(mb, ch, &st)) == (size_t)-1 || n + k >= len)
		return;
	memcpy(s + n, mb, k);
	s[n + k] = '\0';
}

bool
board_form_edit(struct board *b, struct form *f)
{
	bool done = false, ok = false;

	nodelay(stdscr, FALSE);
	curs_set(1);
	board_draw(b);
	while (!done) {
		char *v = f->value[f->at];
		wint_t ch;
		int r;

		if (f->fields[f->at].check == CHECK_UNIT && f->title != NULL &&
		    (!f->hint_shown || strcmp(v, f->hinted) != 0)) {
			unit_hint(b, f, v);
			f->hint_shown = true;
		}
		form_draw(b, f);
		if ((r = get_wch(&ch)) == ERR)
			continue;
		if (r == KEY_CODE_YES && ch == KEY_ENTER) {
			r = OK;
			ch = L'\n';
		}
		if (r == KEY_CODE_YES) {
			switch (ch) {
			case KEY_RESIZE:
				board_draw(b);
				break;
			case KEY_BACKSPACE:
				drop_last(v);
				f->why[f->at][0] = '\0';
				break;
			case KEY_UP: case KEY_BTAB:
				form_leave(b, f, f->at);
				if (f->at > 0)
					f->at--;
				break;
			case KEY_DOWN:
				form_leave(b, f, f->at);
				if (f->at + 1 < f->n)
					f->at++;
				break;
			}
			continue;
		}
		if (ch == 27)
			done = true;
		else if (ch == L'\r' || ch == L'\n') {
			/* Enter leaves a field that will do; on the last,
			 * sends the form when every field will, else goes to
			 * the first that will not. */
			if (!form_leave(b, f, f->at))
				continue;
			if (f->at + 1 < f->n) {
				f->at++;
				continue;
			}
			done = ok = true;
			for (size_t i = 0; i < f->n; i++)
				if (!form_leave(b, f, i) && ok) {
					f->at = i;
					done = ok = false;
				}
		} else if (ch == L'\t') {
			form_leave(b, f, f->at);
			if (f->at + 1 < f->n)
				f->at++;
		} else if (ch == 127 || ch == 8) {
			drop_last(v);
			f->why[f->at][0] = '\0';
		} else if (ch == 21) {	/* ^U */
			*v = '\0';
			f->why[f->at][0] = '\0';
		} else if (iswprint(ch)) {
			append_char(v, FORM_VALUE, (wchar_t)ch);
			f->why[f->at][0] = '\0';
		}
	}
	curs_set(0);
	nodelay(stdscr, TRUE);
	b->dirty = true;
	return ok;
}

bool
board_prompt(struct board *b, const char *label, char *out, size_t len)
{
	const struct form_field field = { NULL, label, true, CHECK_TEXT,
	    len - 1 };
	struct form f = { .fields = &field, .n = 1 };

	snprintf(f.value[0], sizeof(f.value[0]), "%s", out);
	if (!board_form_edit(b, &f))
		return false;
	snprintf(out, len, "%s", f.value[0]);
	return true;
}

void
board_draw_bottom(struct board *b, const char *text)
{
	board_draw(b);
	put_text(LINES - 1, text, A_BOLD, NULL);
	refresh();
}
