/*
 * i18n.c - finding the catalogs (see i18n.h).
 */
#include <libgen.h>
#include <limits.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "i18n.h"
#include "refusal.h"

#ifndef DESK_INSTALL_LOCALEDIR
#define DESK_INSTALL_LOCALEDIR	"/usr/local/share/locale"
#endif

/* bin/desk -> share/locale, when that holds our catalog: the build tree
 * and an install under any prefix, without a rebuild. */
static int
localedir_beside_program(char *dir, size_t len)
{
	char exe[PATH_MAX], probe[PATH_MAX + 64];
	ssize_t n;
	struct stat st;

	if ((n = readlink("/proc/self/exe", exe, sizeof(exe) - 1)) <= 0)
		return -1;
	exe[n] = '\0';
	snprintf(dir, len, "%s/share/locale", dirname(dirname(exe)));
	snprintf(probe, sizeof(probe), "%s/zh_CN/LC_MESSAGES/%s.mo", dir,
	    DESK_TEXTDOMAIN);
	return stat(probe, &st) == 0 ? 0 : -1;
}

const char *
i18n_english(const char *ctx_s)
{
	const char *word = strchr(ctx_s, '\004');

	return word != NULL ? word + 1 : ctx_s;
}

const char *
i18n_ctext(const char *ctx_s)
{
	const char *t;

	if (*ctx_s == '\0')
		return ctx_s;	/* gettext's "" is the catalog's header */
	t = gettext(ctx_s);
	/* Untranslated, gettext gives back its argument, context and all. */
	return t == ctx_s ? i18n_english(ctx_s) : t;
}

const char *
i18n_said(const char *s)
{
	return s != NULL && *s ? gettext(s) : s;
}

/*
 * A refusal's argument that is a text of the catalog: a record's kind in
 * its "record" context first (no repair 9: 没有 工单 9, where a kind of
 * work is 维修; RC_ on the server), else as it is.
 */
static const char *
in_context(const char *ctx, const char *arg, const char *otherwise)
{
	char key[160];
	const char *t;
	int n = snprintf(key, sizeof(key), "%s\004%s", ctx, arg);

	if (n > 0 && n < (int)sizeof(key) && (t = gettext(key)) != key)
		return t;
	return otherwise;
}

static const char *
refusal_arg(const char *arg)
{
	return in_context("record", arg, gettext(arg));
}

/* A word an event's summary or an alert's message marks ("%-s"): as
 * itself, else a quota's (the "ledger" context: an alert of the month's
 * ledger names its quota), else a record's kind (a register's). */
static const char *
marked_word(const char *arg)
{
	const char *t = gettext(arg);

	if (t != arg)
		return t;
	return in_context("ledger", arg, in_context("record", arg, arg));
}

int
i18n_coded(const char *code, const char *const *args, int nargs,
    bool marked_words, char *out, size_t len)
{
	const char *said[REFUSAL_MAX_ARGS];
	bool word[REFUSAL_MAX_ARGS];

	if (code == NULL || !*code || nargs > REFUSAL_MAX_ARGS ||
	    fmt_words(code, word, REFUSAL_MAX_ARGS) != nargs)
		return -1;
	/* gettext("") is the catalog's header, not an empty text. */
	for (int i = 0; i < nargs; i++)
		said[i] = !*args[i] ? args[i] : !marked_words ?
		    refusal_arg(args[i]) : word[i] ? marked_word(args[i]) :
		    args[i];
	return refusal_render(gettext(code), said, nargs, out, len);
}

void
i18n_init(void)
{
	char dir[PATH_MAX];
	const char *env;

	setlocale(LC_ALL, "");
	/* Numbers in files and JSON keep their '.', whatever the desk's
	 * language (a de_DE desk would write 4,5 in a CSV). */
	setlocale(LC_NUMERIC, "C");
	if ((env = getenv("DESK_LOCALEDIR")) != NULL && *env)
		snprintf(dir, sizeof(dir), "%s", env);
	else if (localedir_beside_program(dir, sizeof(dir)) != 0)
		snprintf(dir, sizeof(dir), "%s", DESK_INSTALL_LOCALEDIR);
	bindtextdomain(DESK_TEXTDOMAIN, dir);
	bind_textdomain_codeset(DESK_TEXTDOMAIN, "UTF-8");
	textdomain(DESK_TEXTDOMAIN);
}
