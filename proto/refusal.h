/*
 * refusal.h - a refusal as a stable code and its arguments (PROTOCOL.md
 * 6.1): the code is the printf template the server wrote its English
 * with, the arguments each of its values formatted alone.  The server
 * captures them while it formats (refusal_capture); a client puts them
 * into the template's translation (refusal_render).  Both walk a printf
 * format the same way, with fmt_next.
 */
#ifndef DESKD_REFUSAL_H
#define DESKD_REFUSAL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

/*
 * A word a refusal carries as an argument, marked with its context for the
 * desk's catalog (xgettext --keyword=RC_:1c,2): a record's kind ("no %s
 * %lu") is said in the "record" context, where a repair is a work order
 * and not a kind of work (cli_error).
 */
#define RC_(ctx, s)	s

#define REFUSAL_MAX_ARGS	9
#define REFUSAL_ARGS_LEN	768

/* The length modifier of a conversion, which decides its C type. */
enum fmt_len {
	FMT_LEN_NONE = 0,
	FMT_LEN_HH,
	FMT_LEN_H,
	FMT_LEN_L,
	FMT_LEN_LL,
	FMT_LEN_J,
	FMT_LEN_Z,
	FMT_LEN_T,
	FMT_LEN_BIG_L,		/* long double */
};

/* One conversion of a format: "%-*.*ld", "%2$s", "%%". */
struct fmt_conv {
	size_t		 start;		/* of the '%' in the format */
	size_t		 len;		/* up to and with the conversion */
	char		 conv;		/* d i o u x X e E f F g G a A c s p % */
	enum fmt_len	 lenmod;
	int		 arg;		/* the value's argument, from 1 (0: %%) */
	int		 width_arg;	/* a '*' width's argument, or 0 */
	int		 prec_arg;	/* a '*' precision's argument, or 0 */
	int		 prec;		/* a written precision, or -1 */
	bool		 left;		/* the '-' flag */
};

/*
 * The next conversion of fmt at or after *pos, numbering arguments as
 * printf does (in order, or by "n$"; *next counts the ones in order, start
 * it at 1); *pos moves past it.  1 with one, 0 at the end, -1 when the
 * format is malformed or mixes numbered and unnumbered arguments.
 */
int	 fmt_next(const char *fmt, size_t *pos, int *next, struct fmt_conv *);

/* How many values a format takes ('*' widths and precisions are not
 * values: "%.*s" takes one), or -1 when malformed or a value is skipped. */
int	 fmt_values(const char *fmt);

/*
 * Which of a format's values, in the order refusal_capture gives them,
 * are words of the catalog rather than data: those written "%-s" (the
 * flag alone, without a width, prints as "%s" does).  An event's summary
 * marks them so (PROTOCOL.md 6.1).  The count of values, or -1.
 */
int	 fmt_words(const char *fmt, bool *words, int max);

/* A refusal's code and arguments, as the wire carries them. */
struct refusal {
	const char	*code;		/* the template; NULL: none */
	int		 nargs;
	const char	*args[REFUSAL_MAX_ARGS];
	char		 buf[REFUSAL_ARGS_LEN];	/* what args point into */
};

/*
 * fmt's values from ap, each formatted alone with its conversion (flags,
 * width, precision; a '*' taken from ap), in the order of their argument
 * numbers.  False (and no code) for a format it cannot take apart: %n,
 * wide strings, more than REFUSAL_MAX_ARGS values, or too long.
 */
bool	 refusal_capture(struct refusal *, const char *fmt, va_list ap);
/* A copy holding its code and arguments in its own buffer; no code when
 * they do not fit. */
void	 refusal_copy(struct refusal *to, const struct refusal *from);

/*
 * tmpl (a code's translation, or the code itself) with args put in place
 * of its conversions, each as the text it is, or cut to a written
 * precision of %s ("%1$.0s" leaves an English-only argument out, whole
 * characters only); "%%" is a '%'.  -1 when
 * tmpl is malformed, takes another number of values than nargs, or the
 * result does not fit out.
 */
int	 refusal_render(const char *tmpl, const char *const *args, int nargs,
	    char *out, size_t len);

#endif
