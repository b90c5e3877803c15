/*
 * refuse.c - the code and arguments noted beside a refusal's English
 * (refuse.h).  The note is one per thread, overwritten by the next
 * refusal: the import worker checks rows with the same functions as the
 * loop (decode_row), and its notes must not land in the loop's.
 */
#include <stdio.h>
#include <string.h>

#include "refuse.h"

static _Thread_local struct {
	struct refusal	 r;
	char		 text[512];	/* the English it was noted with */
	bool		 set;
} last;

const char *
said_word(const char *const *words, size_t n, const char *w)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(words[i], w) == 0)
			return words[i];
	return w;
}

void
refuse_vfmt(char *msg, size_t len, const char *fmt, va_list ap)
{
	va_list aq;

	va_copy(aq, ap);
	vsnprintf(msg, len, fmt, aq);
	va_end(aq);
	/* A refusal passed on as a whole ("%s", why) keeps its own code. */
	if (strcmp(fmt, "%s") == 0 && last.set && strcmp(last.text, msg) == 0)
		return;
	if ((last.set = refusal_capture(&last.r, fmt, ap)))
		snprintf(last.text, sizeof(last.text), "%s", msg);
}

void
refuse_fmt(char *msg, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	refuse_vfmt(msg, len, fmt, ap);
	va_end(ap);
}

void
refuse_text(char *msg, size_t len, const char *text)
{
	snprintf(msg, len, "%s", text);
	/* A refusal passed on as a whole keeps its own code. */
	if (last.set && strcmp(last.text, msg) == 0)
		return;
	/* Kept here: a reason may be a buffer gone by the time of the reply. */
	last.set = snprintf(last.r.buf, sizeof(last.r.buf), "%s", text) <
	    (int)sizeof(last.r.buf);
	snprintf(last.text, sizeof(last.text), "%s", msg);
	last.r.code = last.r.buf;
	last.r.nargs = 0;
}

void
refuse_renote(const char *msg)
{
	if (last.set)
		last.set = snprintf(last.text, sizeof(last.text), "%s", msg) <
		    (int)sizeof(last.text);
}

bool
refuse_noted(const char *msg, struct refusal *out)
{
	bool same = last.set && strcmp(last.text, msg) == 0;

	if (same)
		refusal_copy(out, &last.r);
	else {
		out->code = NULL;
		out->nargs = 0;
	}
	last.set = false;
	return same;
}
