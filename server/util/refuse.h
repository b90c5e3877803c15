/*
 * refuse.h - a refusal's English, and beside it its code and arguments
 * for the reply (PROTOCOL.md 6.1): whatever formats a refusal into a
 * message buffer does it with refuse_fmt (or ctx_fail, text_refuse,
 * which use it), and the dispatcher takes the code and arguments of the
 * message it sends with refuse_noted.  The extraction of the desk's
 * catalog (CMakeLists.txt) knows these functions' template arguments.
 */
#ifndef DESKD_REFUSE_H
#define DESKD_REFUSE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#include "refusal.h"

/* A text a refusal carries as an argument (a role, what a permission is
 * for): marked for the desk's catalog, which translates such arguments. */
#define R_(s)	s

/* w as it is among words, a table of R_() texts (the verbs of a kind of
 * event), so that the table is what the catalog is extracted from. */
const char *said_word(const char *const *words, size_t n, const char *w);

/* msg as snprintf(msg, len, fmt, ...) would, and the template and its
 * values noted for the reply. */
void	 refuse_fmt(char *msg, size_t len, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
void	 refuse_vfmt(char *msg, size_t len, const char *fmt, va_list)
	    __attribute__((format(printf, 3, 0)));
/* A refusal without values: its text is its code. */
void	 refuse_text(char *msg, size_t len, const char *text);
/* The refusal noted last, its code and arguments kept, now reads msg (an
 * import row's step refused: "text: ..." said of the row's "result"). */
void	 refuse_renote(const char *msg);
/*
 * The code and arguments of the refusal noted last, copied into out, when
 * its text is still msg's (a message put together some other way has no
 * code: a client shows its English); then it is forgotten.
 */
bool	 refuse_noted(const char *msg, struct refusal *out);

#endif
