/*
 * rows.c - register files read row by row (issue 6): CSV through libcsv,
 * JSON Lines through jansson.  See rows.h.
 *
 * CSV is fed to libcsv one physical line at a time, so a row's number is
 * the line it starts on (a quoted field may run over several lines) and
 * a parse error costs one row: the parser is started afresh at the next
 * line.  Rows libcsv completes are queued (a bare CR ends a row too, so one
 * physical line may hold several).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <csv.h>
#include <jansson.h>

#include "i18n.h"
#include "rows.h"
#include "wire.h"

#define ERR_MAX	256

struct rec {
	char		**f;
	size_t		  nf, cap;
	unsigned	  line;
	char		  err[ERR_MAX];	/* "" when the row is good */
};

struct rows {
	FILE			*fp;
	enum rows_format	 fmt;
	size_t			 max_field;
	char			*buf;
	size_t			 bufcap, offset;
	unsigned		 lineno;
	bool			 eof;

	struct csv_parser	 p;
	bool			 p_live;
	char			**header;
	size_t			 nheader;
	struct rec		 cur;		/* the row being parsed */
	bool			 in_row;	/* cur has begun */
	struct rec		*q;		/* completed rows */
	size_t			 qhead, qn, qcap;

	struct rec		 out;		/* the row handed out */
	const char		**names;	/* out's names (JSONL) */
	struct row		 row;
	unsigned		 err_line;
	char			 err[ERR_MAX + 32];
};

static void
rec_clear(struct rec *r)
{
	for (size_t i = 0; i < r->nf; i++)
		free(r->f[i]);
	free(r->f);
	memset(r, 0, sizeof(*r));
}

/* The first reason a row is refused is the one told. */
static void __attribute__((format(printf, 2, 3)))
rec_fail(struct rec *r, const char *fmt, ...)
{
	va_list ap;

	if (r->err[0] != '\0')
		return;
	va_start(ap, fmt);
	vsnprintf(r->err, sizeof(r->err), fmt, ap);
	va_end(ap);
}

/* Append a field (a copy); false when out of memory. */
static bool
rec_add(struct rec *r, const char *s, size_t len)
{
	char *v;

	if (r->nf == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 16;
		char **grown = realloc(r->f, cap * sizeof(*grown));

		if (grown == NULL)
			return false;
		r->f = grown;
		r->cap = cap;
	}
	if ((v = malloc(len + 1)) == NULL)
		return false;
	memcpy(v, s, len);
	v[len] = '\0';
	r->f[r->nf++] = v;
	return true;
}

static const char *
column_name(const struct rows *rs, size_t i)
{
	static char buf[32];

	if (i < rs->nheader)
		return rs->header[i];
	snprintf(buf, sizeof(buf), "#%zu", i + 1);
	return buf;
}

/* The checks every field gets, in either format.  "field 'NAME': " is
 * how the import's report finds the field, in any language. */
static void
check_field(const struct rows *rs, struct rec *r, const char *name,
    const char *s, size_t len)
{
	char why[128];

	if (len > rs->max_field) {
		snprintf(why, sizeof(why), _("%zu bytes, over the limit"), len);
		rec_fail(r, "field '%s': %s", name, why);
	} else if (memchr(s, '\0', len) != NULL)
		rec_fail(r, "field '%s': %s", name, _("holds a NUL byte"));
	else if (!wire_utf8_valid(s, len))
		rec_fail(r, "field '%s': %s", name, _("not UTF-8 (save the "
		    "file as UTF-8; Latin-1 and GBK are not read)"));
}

/* ---------- CSV ---------- */

static void
csv_field(void *s, size_t len, void *arg)
{
	struct rows *rs = arg;
	struct rec *r = &rs->cur;

	check_field(rs, r, column_name(rs, r->nf), s ? s : "", len);
	if (r->err[0] != '\0')
		len = 0;	/* keep the count, not a 20 MB field */
	if (!rec_add(r, s ? s : "", len))
		rec_fail(r, "%s", _("out of memory"));
}

static void
csv_row(int term, void *arg)
{
	struct rows *rs = arg;
	struct rec *slot;

	(void)term;
	if (rs->qn == rs->qcap) {
		size_t cap = rs->qcap ? rs->qcap * 2 : 4;
		struct rec *grown;

		if (rs->qhead > 0) {
			memmove(rs->q, rs->q + rs->qhead,
			    (rs->qn - rs->qhead) * sizeof(*rs->q));
			rs->qn -= rs->qhead;
			rs->qhead = 0;
		}
		if (rs->qn == rs->qcap) {
			if ((grown = realloc(rs->q, cap * sizeof(*grown))) ==
			    NULL) {
				rec_clear(&rs->cur);
				rs->in_row = false;
				return;
			}
			rs->q = grown;
			rs->qcap = cap;
		}
	}
	slot = &rs->q[rs->qn++];
	*slot = rs->cur;
	memset(&rs->cur, 0, sizeof(rs->cur));
	rs->in_row = false;
}

static bool
parser_start(struct rows *rs)
{
	if (rs->p_live)
		csv_free(&rs->p);
	rs->p_live = csv_init(&rs->p, CSV_STRICT | CSV_STRICT_FINI |
	    CSV_APPEND_NULL) == 0;
	/* libcsv grows a field's buffer by this much at a time: its default
	 * (128 bytes) makes a long field quadratic to read. */
	if (rs->p_live)
		csv_set_blk_size(&rs->p, 1024 * 1024);
	return rs->p_live;
}

/* The next physical line into rs->buf; its length, or -1 at the end. */
static ssize_t
read_line(struct rows *rs)
{
	ssize_t len = getline(&rs->buf, &rs->bufcap, rs->fp);
	char *s = rs->buf;

	if (len < 0) {
		rs->eof = true;
		return -1;
	}
	rs->lineno++;
	rs->offset += (size_t)len;
	/* UTF-8 with a BOM (Excel's "CSV UTF-8"): the BOM is not data. */
	if (rs->lineno == 1 && len >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0) {
		memmove(s, s + 3, (size_t)len - 2);
		len -= 3;
	}
	return len;
}

/* Feed lines until a row is queued or the file ends. */
static enum rows_status
csv_fill(struct rows *rs)
{
	while (rs->qhead == rs->qn && !rs->eof) {
		ssize_t len = read_line(rs);

		if (len < 0) {
			if (csv_fini(&rs->p, csv_field, csv_row, rs) != 0) {
				rs->err_line = rs->cur.line;
				snprintf(rs->err, sizeof(rs->err), _("a quote "
				    "opened on line %u is never closed: the "
				    "rest of the file was read as one field"),
				    rs->cur.line);
				rec_clear(&rs->cur);
				return ROWS_FATAL;
			}
			break;
		}
		if (!rs->in_row) {
			rs->cur.line = rs->lineno;
			rs->in_row = len > 0 && strspn(rs->buf, "\r\n") <
			    (size_t)len;
		}
		if (csv_parse(&rs->p, rs->buf, (size_t)len, csv_field,
		    csv_row, rs) != (size_t)len) {
			/* A stray quote: this row is lost, the next line
			 * starts afresh. */
			rec_fail(&rs->cur, _("%s (a quote inside an unquoted "
			    "field, or text after a closing quote)"),
			    csv_strerror(csv_error(&rs->p)));
			csv_row(0, rs);
			if (!parser_start(rs))
				return ROWS_FATAL;
		}
	}
	return rs->qhead < rs->qn ? ROWS_ROW : ROWS_END;
}

static enum rows_status
csv_next(struct rows *rs)
{
	enum rows_status st;

	for (;;) {
		if ((st = csv_fill(rs)) != ROWS_ROW)
			return st;
		rec_clear(&rs->out);
		rs->out = rs->q[rs->qhead++];
		if (rs->header == NULL) {
			if (rs->out.err[0] != '\0') {
				rs->err_line = rs->out.line;
				snprintf(rs->err, sizeof(rs->err), _("the "
				    "header row: %s"), rs->out.err);
				return ROWS_FATAL;
			}
			rs->header = rs->out.f;
			rs->nheader = rs->out.nf;
			memset(&rs->out, 0, sizeof(rs->out));
			continue;
		}
		if (rs->out.err[0] == '\0' && rs->out.nf != rs->nheader)
			snprintf(rs->out.err, sizeof(rs->out.err), _("%zu "
			    "fields, the header has %zu"), rs->out.nf,
			    rs->nheader);
		break;
	}
	rs->row.names = (const char **)rs->header;
	return ROWS_ROW;
}

/* ---------- JSON Lines ---------- */

static void
free_names(struct rows *rs)
{
	if (rs->names == NULL)
		return;
	for (size_t i = 0; i < rs->out.nf; i++)
		free((char *)rs->names[i]);
	free(rs->names);
	rs->names = NULL;
}


/* A scalar as text; an array of them joined with ';' (repeated fields). */
static bool
json_text(json_t *v, char **out)
{
	char buf[64];
	size_t i;
	json_t *e;
	char *s = NULL, *p;
	size_t len = 0;

	switch (json_typeof(v)) {
	case JSON_STRING:
		return (*out = strdup(json_string_value(v))) != NULL;
	case JSON_INTEGER:
		snprintf(buf, sizeof(buf), "%" JSON_INTEGER_FORMAT,
		    json_integer_value(v));
		return (*out = strdup(buf)) != NULL;
	case JSON_REAL:
		snprintf(buf, sizeof(buf), "%.17g", json_real_value(v));
		return (*out = strdup(buf)) != NULL;
	case JSON_TRUE:
	case JSON_FALSE:
		return (*out = strdup(json_is_true(v) ? "true" : "false")) !=
		    NULL;
	case JSON_ARRAY:
		json_array_foreach(v, i, e) {
			char *t;

			if (json_is_array(e) || json_is_object(e) ||
			    !json_text(e, &t)) {
				free(s);
				return false;
			}
			if ((p = realloc(s, len + strlen(t) + 2)) == NULL) {
				free(t);
				free(s);
				return false;
			}
			s = p;
			len += (size_t)sprintf(s + len, "%s%s", len ? ";" : "",
			    t);
			free(t);
		}
		return (*out = s ? s : strdup("")) != NULL;
	default:
		return false;
	}
}

static enum rows_status
jsonl_next(struct rows *rs)
{
	json_error_t jerr;
	json_t *o, *v;
	const char *key;
	ssize_t len;

	do {
		if ((len = read_line(rs)) < 0)
			return ROWS_END;
	} while (strspn(rs->buf, " \t\r\n") == (size_t)len);
	free_names(rs);
	rec_clear(&rs->out);
	rs->out.line = rs->lineno;
	if ((o = json_loadb(rs->buf, (size_t)len, JSON_REJECT_DUPLICATES,
	    &jerr)) == NULL) {
		snprintf(rs->out.err, sizeof(rs->out.err), _("not JSON: %s"),
		    jerr.text);
		return ROWS_ROW;
	}
	if (!json_is_object(o)) {
		snprintf(rs->out.err, sizeof(rs->out.err), "%s", _("a line "
		    "must be one JSON object ({\"field\": value, ...})"));
		json_decref(o);
		return ROWS_ROW;
	}
	if ((rs->names = calloc(json_object_size(o) + 1,
	    sizeof(*rs->names))) == NULL) {
		json_decref(o);
		return ROWS_FATAL;
	}
	json_object_foreach(o, key, v) {
		char *t;

		if (json_is_null(v))
			continue;	/* null: the field is not given */
		if (!json_text(v, &t)) {
			rec_fail(&rs->out, "field '%s': %s", key, _("not a "
			    "value a field takes (a string, number, boolean, "
			    "or a list of them)"));
			continue;
		}
		check_field(rs, &rs->out, key, t, strlen(t));
		if (!rec_add(&rs->out, t, strlen(t)) ||
		    (rs->names[rs->out.nf - 1] = strdup(key)) == NULL) {
			free(t);
			json_decref(o);
			return ROWS_FATAL;
		}
		free(t);
	}
	json_decref(o);
	rs->row.names = rs->names;
	return ROWS_ROW;
}

/* ---------- the reader ---------- */

struct rows *
rows_open(FILE *fp, enum rows_format fmt, size_t max_field)
{
	struct rows *rs = calloc(1, sizeof(*rs));

	if (rs == NULL)
		return NULL;
	rs->fp = fp;
	rs->fmt = fmt;
	rs->max_field = max_field;
	if (fmt == ROWS_CSV && !parser_start(rs)) {
		free(rs);
		return NULL;
	}
	return rs;
}

void
rows_free(struct rows *rs)
{
	if (rs == NULL)
		return;
	if (rs->p_live)
		csv_free(&rs->p);
	for (size_t i = 0; i < rs->nheader; i++)
		free(rs->header[i]);
	free(rs->header);
	for (size_t i = rs->qhead; i < rs->qn; i++)
		rec_clear(&rs->q[i]);
	free(rs->q);
	free_names(rs);
	rec_clear(&rs->cur);
	rec_clear(&rs->out);
	free(rs->buf);
	free(rs);
}

enum rows_format
rows_format_of(const char *path)
{
	size_t n = strlen(path);

	if ((n >= 6 && strcmp(path + n - 6, ".jsonl") == 0) ||
	    (n >= 7 && strcmp(path + n - 7, ".ndjson") == 0))
		return ROWS_JSONL;
	return ROWS_CSV;
}

enum rows_status
rows_next(struct rows *rs, const struct row **row)
{
	enum rows_status st;

	*row = NULL;
	st = rs->fmt == ROWS_CSV ? csv_next(rs) : jsonl_next(rs);
	if (st != ROWS_ROW)
		return st;
	if (rs->out.err[0] != '\0') {
		rs->err_line = rs->out.line;
		snprintf(rs->err, sizeof(rs->err), "%s", rs->out.err);
		return ROWS_BAD;
	}
	rs->row.line = rs->out.line;
	rs->row.n = rs->out.nf;
	rs->row.values = rs->out.f;
	*row = &rs->row;
	return ROWS_ROW;
}

unsigned
rows_error_line(const struct rows *rs)
{
	return rs->err_line;
}

const char *
rows_error(const struct rows *rs)
{
	return rs->err;
}

size_t
rows_header(const struct rows *rs, const char *const **names)
{
	*names = (const char *const *)rs->header;
	return rs->nheader;
}

size_t
rows_offset(const struct rows *rs)
{
	return rs->offset;
}
