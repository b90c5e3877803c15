/*
 * refusal.c - walking a printf format, capturing a refusal's arguments
 * and rendering them into a translation (refusal.h).
 */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "refusal.h"

/* Arguments a format may number, values and '*' alike. */
#define FMT_MAX_INDEX	(3 * REFUSAL_MAX_ARGS)

/* "12$" at *p: 12, p past the '$'; else 0 and p unmoved. */
static int
arg_number(const char *fmt, size_t *p)
{
	size_t q = *p;
	int n = 0;

	while (isdigit((unsigned char)fmt[q]) && n < 1000)
		n = n * 10 + (fmt[q++] - '0');
	if (q == *p || fmt[q] != '$' || n == 0)
		return 0;
	*p = q + 1;
	return n;
}

/*
 * The argument of a '*' or a value: numbered ("n$", then *next is 0 for
 * the rest of the format) or the next in order; -1 when they are mixed.
 */
static int
take_arg(int numbered, int *next)
{
	if (numbered > 0) {
		if (*next > 1)
			return -1;
		*next = 0;
		return numbered;
	}
	if (*next == 0)
		return -1;
	return (*next)++;
}

/* A '*' at *p, with its "n$": its argument, or 0 when no star. */
static int
star(const char *fmt, size_t *p, int *next)
{
	if (fmt[*p] != '*')
		return 0;
	(*p)++;
	return take_arg(arg_number(fmt, p), next);
}

static enum fmt_len
length_modifier(const char *fmt, size_t *p)
{
	switch (fmt[*p]) {
	case 'h':
		return fmt[++*p] == 'h' ? (++*p, FMT_LEN_HH) : FMT_LEN_H;
	case 'l':
		return fmt[++*p] == 'l' ? (++*p, FMT_LEN_LL) : FMT_LEN_L;
	case 'q':
		return ++*p, FMT_LEN_LL;
	case 'j':
		return ++*p, FMT_LEN_J;
	case 'z':
		return ++*p, FMT_LEN_Z;
	case 't':
		return ++*p, FMT_LEN_T;
	case 'L':
		return ++*p, FMT_LEN_BIG_L;
	default:
		return FMT_LEN_NONE;
	}
}

int
fmt_next(const char *fmt, size_t *pos, int *next, struct fmt_conv *c)
{
	const char *pct = strchr(fmt + *pos, '%');
	size_t p;
	int numbered;

	if (pct == NULL) {
		*pos += strlen(fmt + *pos);
		return 0;
	}
	memset(c, 0, sizeof(*c));
	c->start = (size_t)(pct - fmt);
	p = c->start + 1;
	if (fmt[p] == '%') {
		c->conv = '%';
		c->len = 2;
		*pos = c->start + 2;
		return 1;
	}
	numbered = arg_number(fmt, &p);
	while (fmt[p] != '\0' && strchr("-+ #0'", fmt[p]) != NULL)
		c->left |= fmt[p++] == '-';
	if ((c->width_arg = star(fmt, &p, next)) < 0)
		return -1;
	while (isdigit((unsigned char)fmt[p]))
		p++;
	c->prec = -1;
	if (fmt[p] == '.') {
		p++;
		if ((c->prec_arg = star(fmt, &p, next)) < 0)
			return -1;
		if (c->prec_arg == 0)
			c->prec = 0;
		while (isdigit((unsigned char)fmt[p]) && c->prec < 100000)
			c->prec = c->prec * 10 + (fmt[p++] - '0');
	}
	c->lenmod = length_modifier(fmt, &p);
	if (fmt[p] == '\0' || strchr("diouxXeEfFgGaAcsp", fmt[p]) == NULL)
		return -1;
	c->conv = fmt[p];
	if ((c->arg = take_arg(numbered, next)) < 0 ||
	    c->arg > FMT_MAX_INDEX || c->width_arg > FMT_MAX_INDEX ||
	    c->prec_arg > FMT_MAX_INDEX)
		return -1;
	c->len = p + 1 - c->start;
	*pos = p + 1;
	return 1;
}

/*
 * Every conversion of fmt into convs (at most max), and which argument
 * numbers are values: -1 for a malformed format, one numbering an
 * argument twice as different things, or skipping one (printf cannot).
 */
static int
walk(const char *fmt, struct fmt_conv *convs, int max, bool value[],
    int *nindex)
{
	enum { UNUSED, STAR, VALUE } use[FMT_MAX_INDEX + 1] = { UNUSED };
	struct fmt_conv c;
	size_t pos = 0;
	int next = 1, n = 0, rc, top = 0;

	while ((rc = fmt_next(fmt, &pos, &next, &c)) == 1) {
		int star_args[2] = { c.width_arg, c.prec_arg };

		if (c.conv == '%')
			continue;
		if (n == max)
			return -1;
		convs[n++] = c;
		for (int i = 0; i < 2; i++) {
			if (star_args[i] == 0)
				continue;
			if (use[star_args[i]] == VALUE)
				return -1;
			use[star_args[i]] = STAR;
			top = star_args[i] > top ? star_args[i] : top;
		}
		if (use[c.arg] == STAR)
			return -1;
		use[c.arg] = VALUE;
		top = c.arg > top ? c.arg : top;
	}
	if (rc < 0)
		return -1;
	for (int i = 1; i <= top; i++) {
		if (use[i] == UNUSED)
			return -1;
		value[i] = use[i] == VALUE;
	}
	*nindex = top;
	return n;
}

int
fmt_values(const char *fmt)
{
	struct fmt_conv convs[FMT_MAX_INDEX];
	bool value[FMT_MAX_INDEX + 1];
	int top, values = 0;

	if (walk(fmt, convs, FMT_MAX_INDEX, value, &top) < 0)
		return -1;
	for (int i = 1; i <= top; i++)
		values += value[i];
	return values;
}

/* ---------- the server's side: capture ---------- */

/* What va_arg takes for a conversion. */
enum arg_type {
	ARG_INT, ARG_LONG, ARG_LLONG, ARG_INTMAX, ARG_SIZE, ARG_PTRDIFF,
	ARG_DOUBLE, ARG_LDOUBLE, ARG_STRING, ARG_POINTER,
};

union arg_value {
	int			 i;
	long			 l;
	long long		 ll;
	intmax_t		 j;
	size_t			 z;
	ptrdiff_t		 t;
	double			 d;
	long double		 ld;
	const char		*s;
	const void		*p;
};

static int
arg_type(const struct fmt_conv *c)
{
	static const enum arg_type ints[] = {
		[FMT_LEN_NONE] = ARG_INT, [FMT_LEN_HH] = ARG_INT,
		[FMT_LEN_H] = ARG_INT, [FMT_LEN_L] = ARG_LONG,
		[FMT_LEN_LL] = ARG_LLONG, [FMT_LEN_J] = ARG_INTMAX,
		[FMT_LEN_Z] = ARG_SIZE, [FMT_LEN_T] = ARG_PTRDIFF,
	};

	if (strchr("diouxX", c->conv) != NULL)
		return c->lenmod == FMT_LEN_BIG_L ? -1 : (int)ints[c->lenmod];
	if (strchr("eEfFgGaA", c->conv) != NULL)
		return c->lenmod == FMT_LEN_BIG_L ? ARG_LDOUBLE :
		    c->lenmod == FMT_LEN_NONE || c->lenmod == FMT_LEN_L ?
		    ARG_DOUBLE : -1;
	/* %lc and %ls are wide: not ours to take apart. */
	if (c->lenmod != FMT_LEN_NONE)
		return -1;
	return c->conv == 'c' ? ARG_INT : c->conv == 's' ? ARG_STRING :
	    ARG_POINTER;
}

static void
arg_fetch(union arg_value *v, enum arg_type t, va_list *ap)
{
	switch (t) {
	case ARG_INT:		v->i = va_arg(*ap, int); break;
	case ARG_LONG:		v->l = va_arg(*ap, long); break;
	case ARG_LLONG:		v->ll = va_arg(*ap, long long); break;
	case ARG_INTMAX:	v->j = va_arg(*ap, intmax_t); break;
	case ARG_SIZE:		v->z = va_arg(*ap, size_t); break;
	case ARG_PTRDIFF:	v->t = va_arg(*ap, ptrdiff_t); break;
	case ARG_DOUBLE:	v->d = va_arg(*ap, double); break;
	case ARG_LDOUBLE:	v->ld = va_arg(*ap, long double); break;
	case ARG_STRING:	v->s = va_arg(*ap, const char *); break;
	case ARG_POINTER:	v->p = va_arg(*ap, const void *); break;
	}
}

/* The conversion alone: no "n$", each '*' its value ("%-*s" -> "%-8s"). */
static bool
spec_alone(const char *fmt, const struct fmt_conv *c,
    const union arg_value *vals, char *spec, size_t len)
{
	size_t p = c->start + 1, end = c->start + c->len, o = 1;

	spec[0] = '%';
	arg_number(fmt, &p);
	while (p < end && o + 16 < len) {
		if (fmt[p] == '*') {
			int star_arg = o > 1 && spec[o - 1] == '.' ?
			    c->prec_arg : c->width_arg;

			p++;
			arg_number(fmt, &p);
			o += (size_t)snprintf(spec + o, len - o, "%d",
			    vals[star_arg].i);
		} else
			spec[o++] = fmt[p++];
	}
	spec[o] = '\0';
	return p == end;
}

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
static int
format_alone(char *out, size_t len, const char *spec, enum arg_type t,
    const union arg_value *v)
{
	switch (t) {
	case ARG_INT:		return snprintf(out, len, spec, v->i);
	case ARG_LONG:		return snprintf(out, len, spec, v->l);
	case ARG_LLONG:		return snprintf(out, len, spec, v->ll);
	case ARG_INTMAX:	return snprintf(out, len, spec, v->j);
	case ARG_SIZE:		return snprintf(out, len, spec, v->z);
	case ARG_PTRDIFF:	return snprintf(out, len, spec, v->t);
	case ARG_DOUBLE:	return snprintf(out, len, spec, v->d);
	case ARG_LDOUBLE:	return snprintf(out, len, spec, v->ld);
	case ARG_STRING:	return snprintf(out, len, spec,
				    v->s != NULL ? v->s : "(null)");
	case ARG_POINTER:	return snprintf(out, len, spec, v->p);
	}
	return -1;
}
#pragma GCC diagnostic pop

bool
refusal_capture(struct refusal *r, const char *fmt, va_list ap)
{
	struct fmt_conv convs[FMT_MAX_INDEX];
	enum arg_type types[FMT_MAX_INDEX + 1];
	union arg_value vals[FMT_MAX_INDEX + 1];
	bool value[FMT_MAX_INDEX + 1];
	char spec[64];
	size_t used = 0;
	va_list aq;
	int n, top;

	r->code = NULL;
	r->nargs = 0;
	if ((n = walk(fmt, convs, FMT_MAX_INDEX, value, &top)) < 0)
		return false;
	for (int i = 1; i <= top; i++)
		types[i] = ARG_INT;		/* the stars' */
	for (int k = 0; k < n; k++) {
		int t = arg_type(&convs[k]);

		if (t < 0)
			return false;
		types[convs[k].arg] = (enum arg_type)t;
	}
	va_copy(aq, ap);
	for (int i = 1; i <= top; i++)
		arg_fetch(&vals[i], types[i], &aq);
	va_end(aq);
	for (int i = 1; i <= top; i++) {
		const struct fmt_conv *c = NULL;
		int w;

		if (!value[i])
			continue;
		for (int k = 0; k < n && c == NULL; k++)
			if (convs[k].arg == i)
				c = &convs[k];
		if (r->nargs == REFUSAL_MAX_ARGS || !spec_alone(fmt, c, vals,
		    spec, sizeof(spec)) || (w = format_alone(r->buf + used,
		    sizeof(r->buf) - used, spec, types[i], &vals[i])) < 0 ||
		    (size_t)w >= sizeof(r->buf) - used) {
			r->nargs = 0;
			return false;
		}
		r->args[r->nargs++] = r->buf + used;
		used += (size_t)w + 1;
	}
	r->code = fmt;
	return true;
}

/* The code too: it may be a message's own text (refuse_text). */
void
refusal_copy(struct refusal *to, const struct refusal *from)
{
	size_t used = 0;

	to->code = NULL;
	to->nargs = 0;
	if (from->code == NULL || strlen(from->code) + 1 > sizeof(to->buf))
		return;
	used = strlen(from->code) + 1;
	memcpy(to->buf, from->code, used);
	for (int i = 0; i < from->nargs; i++) {
		size_t n = strlen(from->args[i]) + 1;

		if (n > sizeof(to->buf) - used) {
			to->nargs = 0;
			return;
		}
		memcpy(to->buf + used, from->args[i], n);
		to->args[to->nargs++] = to->buf + used;
		used += n;
	}
	to->code = to->buf;
}

int
fmt_words(const char *fmt, bool *words, int max)
{
	struct fmt_conv convs[FMT_MAX_INDEX];
	bool value[FMT_MAX_INDEX + 1];
	int top, n, values = 0;

	if ((n = walk(fmt, convs, FMT_MAX_INDEX, value, &top)) < 0)
		return -1;
	for (int i = 1; i <= top; i++) {
		if (!value[i])
			continue;
		if (values == max)
			return -1;
		words[values] = false;
		for (int k = 0; k < n; k++)
			if (convs[k].arg == i && convs[k].conv == 's' &&
			    convs[k].left && convs[k].width_arg == 0)
				words[values] = true;
		values++;
	}
	return values;
}

/* ---------- a client's side: render ---------- */

int
refusal_render(const char *tmpl, const char *const *args, int nargs,
    char *out, size_t len)
{
	struct fmt_conv convs[FMT_MAX_INDEX], c;
	bool value[FMT_MAX_INDEX + 1];
	int ordinal[FMT_MAX_INDEX + 1];
	size_t pos = 0, at = 0, o = 0;
	int next = 1, top, values = 0;

	if (len == 0 || walk(tmpl, convs, FMT_MAX_INDEX, value, &top) < 0)
		return -1;
	/* The k-th value by argument number is args[k], whatever order the
	 * translation puts them in. */
	for (int i = 1; i <= top; i++)
		ordinal[i] = value[i] ? values++ : -1;
	if (values != nargs)
		return -1;
	while (fmt_next(tmpl, &pos, &next, &c) == 1) {
		const char *put = c.conv == '%' ? "%" : args[ordinal[c.arg]];
		size_t lit = c.start - at, n = strlen(put);

		if (c.conv == 's' && c.prec >= 0 && n > (size_t)c.prec) {
			n = (size_t)c.prec;
			while (n > 0 && ((unsigned char)put[n] & 0xc0) == 0x80)
				n--;
		}

		if (o + lit + n >= len)
			return -1;
		memcpy(out + o, tmpl + at, lit);
		memcpy(out + o + lit, put, n);
		o += lit + n;
		at = c.start + c.len;
	}
	if (o + strlen(tmpl + at) >= len)
		return -1;
	memcpy(out + o, tmpl + at, strlen(tmpl + at) + 1);
	return (int)(o + strlen(tmpl + at));
}
