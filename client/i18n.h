/*
 * i18n.h - every text a person reads from desk goes through gettext
 * (domain "desk", catalogs built from po/ by CMake): Chinese under
 * LANG=zh_CN.UTF-8, the English of the source otherwise.
 */
#ifndef DESK_I18N_H
#define DESK_I18N_H

#include <libintl.h>
#include <stdbool.h>
#include <stddef.h>

#define DESK_TEXTDOMAIN	"desk"
#define _(s)		gettext(s)
/* A text translated where it is shown, not where it is written (tables). */
#define N_(s)		s
/* The same text counted: "1 row" / "2 rows". */
#define P_(one, many, n) ngettext((one), (many), (n))

/*
 * A word marked with its context (xgettext --keyword=NC_:1c,2), for one
 * that reads otherwise elsewhere: a key's state "out" is 已借出, a
 * visitor's 已离开; a quota "met" is 已达标.  i18n_ctext gives it
 * translated, or the word without its context (as gettext.h's pgettext);
 * a text without a context, as _() does (a table's titles mix both).
 */
#define NC_(ctx, s)	ctx "\004" s
const char	*i18n_ctext(const char *ctx_s);
/* The English a marked text stands for: the word after its context, or
 * the text itself (a pointer into it).  What the server sends is matched
 * against this when a table of marked words is looked up. */
const char	*i18n_english(const char *ctx_s);

/* A text the server sends as it is (an alert's what-to-do, marked R_()
 * where the server defines it): its translation when the catalog has
 * one, else as it came; "" stays "" (gettext's "" is the header). */
const char	*i18n_said(const char *);

/*
 * A coded text from the server, a refusal or an event's summary (PROTOCOL.md
 * 6.1): the code's translation with the arguments put in.  A refusal's
 * argument is translated when it is a text of the catalog (a record's
 * kind in the "record" context first: a repair is 工单); with
 * marked_words (an event's summary), only one the code marks a word
 * ("%-s"), so that a login "admin" stays itself.  -1 when the code does not
 * take nargs values or its translation does not fit out: show the English.
 */
int		 i18n_coded(const char *code, const char *const *args, int nargs,
		    bool marked_words, char *out, size_t len);

/* The locale from the environment, and the catalogs: $DESK_LOCALEDIR, else
 * share/locale beside the bin/ the program runs from (an install and the
 * build tree alike), else the install's.  Call once, first in main. */
void	i18n_init(void);

#endif
