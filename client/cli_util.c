/* cli_util.c - output and input helpers for the desk command. */
#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <inttypes.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>
#include <wchar.h>

#include "cli.h"
#include "refusal.h"
#include "wire.h"

int
cli_usage(const char *usage, int rc)
{
	fputs(_(usage), rc == 0 ? stdout : stderr);
	return rc;
}

bool
cli_wants_help(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
			return true;
	return false;
}

int
cli_dispatch(struct cli *cli, const struct cli_cmd *cmds, size_t n,
    const char *group_usage, int argc, char **argv)
{
	if (argc < 2 || strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "help") == 0) {
		FILE *out = argc < 2 ? stderr : stdout;
		int w = 10;

		for (size_t i = 0; i < n; i++)
			if (cli_width(cmds[i].name) > w)
				w = cli_width(cmds[i].name);
		fputs(_(group_usage), out);
		for (size_t i = 0; i < n; i++) {
			fputs("  ", out);
			cli_cell(out, cmds[i].name, w);
			fprintf(out, " %s\n", _(cmds[i].summary));
		}
		return argc < 2 ? DESK_USAGE : 0;
	}
	for (size_t i = 0; i < n; i++)
		if (strcmp(argv[1], cmds[i].name) == 0)
			return cmds[i].fn(cli, argc - 1, argv + 1);
	fprintf(stderr, _("%s %s: unknown command '%s' (try --help)\n"),
	    cli->prog, argv[0], argv[1]);
	return DESK_USAGE;
}

/* ---------- JSON from any message, through its descriptor ---------- */

static json_t *
value_json(const ProtobufCFieldDescriptor *f, const void *p)
{
	switch (f->type) {
	case PROTOBUF_C_TYPE_INT32:
	case PROTOBUF_C_TYPE_SINT32:
	case PROTOBUF_C_TYPE_SFIXED32:
		return json_integer(*(const int32_t *)p);
	case PROTOBUF_C_TYPE_UINT32:
	case PROTOBUF_C_TYPE_FIXED32:
		return json_integer(*(const uint32_t *)p);
	case PROTOBUF_C_TYPE_INT64:
	case PROTOBUF_C_TYPE_SINT64:
	case PROTOBUF_C_TYPE_SFIXED64:
		return json_integer(*(const int64_t *)p);
	case PROTOBUF_C_TYPE_UINT64:
	case PROTOBUF_C_TYPE_FIXED64:
		return json_integer((json_int_t)*(const uint64_t *)p);
	case PROTOBUF_C_TYPE_BOOL:
		return json_boolean(*(const protobuf_c_boolean *)p);
	case PROTOBUF_C_TYPE_FLOAT:
		return json_real(*(const float *)p);
	case PROTOBUF_C_TYPE_DOUBLE:
		return json_real(*(const double *)p);
	case PROTOBUF_C_TYPE_ENUM: {
		const ProtobufCEnumValue *v = protobuf_c_enum_descriptor_get_value(
		    f->descriptor, *(const int *)p);

		return v ? json_string(v->name) : json_integer(*(const int *)p);
	}
	case PROTOBUF_C_TYPE_STRING: {
		const char *s = *(char *const *)p;

		return json_string(s ? s : "");
	}
	case PROTOBUF_C_TYPE_MESSAGE: {
		const ProtobufCMessage *m = *(ProtobufCMessage *const *)p;

		return m ? cli_to_json(m) : json_null();
	}
	case PROTOBUF_C_TYPE_BYTES:
	default:
		return NULL;
	}
}

json_t *
cli_to_json(const ProtobufCMessage *m)
{
	const ProtobufCMessageDescriptor *d = m->descriptor;
	const char *base = (const char *)m;
	json_t *o = json_object();

	for (unsigned i = 0; i < d->n_fields; i++) {
		const ProtobufCFieldDescriptor *f = &d->fields[i];
		json_t *v;

		/* Password material never leaves the program. */
		if (f->type == PROTOBUF_C_TYPE_BYTES)
			continue;
		if ((f->flags & PROTOBUF_C_FIELD_FLAG_ONEOF) &&
		    *(const uint32_t *)(base + f->quantifier_offset) != f->id)
			continue;
		if (f->label == PROTOBUF_C_LABEL_REPEATED) {
			size_t n = *(const size_t *)(base + f->quantifier_offset);
			const char *arr = *(char *const *)(base + f->offset);

			v = json_array();
			for (size_t j = 0; j < n; j++)
				json_array_append_new(v, value_json(f,
				    arr + j * wire_value_size(f)));
		} else
			v = value_json(f, base + f->offset);
		if (v != NULL)
			json_object_set_new(o, f->name, v);
	}
	return o;
}

void
cli_print_json(json_t *j)
{
	char *s = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);

	if (s != NULL) {
		puts(s);
		free(s);
	}
	json_decref(j);
	fflush(stdout);
}

/* ---------- columns that line up with CJK text ---------- */

int
cli_width(const char *s)
{
	mbstate_t st;
	size_t len = strlen(s);
	int cols = 0;

	memset(&st, 0, sizeof(st));
	while (len > 0) {
		wchar_t wc;
		size_t n = mbrtowc(&wc, s, len, &st);
		int w;

		if (n == (size_t)-1 || n == (size_t)-2) {
			/* Not UTF-8: count the byte as one column. */
			memset(&st, 0, sizeof(st));
			n = 1;
			w = 1;
		} else {
			if (n == 0)
				break;
			w = wcwidth(wc);
			if (w < 0)
				w = 0;
		}
		cols += w;
		s += n;
		len -= n;
	}
	return cols;
}

/* One character of s at p: its bytes and columns (a byte that is not
 * UTF-8 is one column, shown as '?'; a tab or line break as a space). */
static size_t
char_at(const char *p, size_t len, mbstate_t *st, int *w, bool *blank,
    bool *bad)
{
	wchar_t wc;
	size_t n = mbrtowc(&wc, p, len, st);

	*blank = *p == '\n' || *p == '\t';
	*bad = false;
	if (*blank) {
		*w = 1;
		return 1;
	}
	if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
		memset(st, 0, sizeof(*st));
		*w = 1;
		*bad = true;
		return 1;
	}
	*w = wcwidth(wc) < 0 ? 0 : wcwidth(wc);
	return n;
}

/* Columns of s as a cell shows it (char_at's way). */
static int
cell_width(const char *s)
{
	mbstate_t st;
	size_t len = strlen(s), n;
	int cols = 0, w;
	bool blank, bad;

	memset(&st, 0, sizeof(st));
	for (; len > 0; s += n, len -= n) {
		n = char_at(s, len, &st, &w, &blank, &bad);
		cols += w;
	}
	return cols;
}

void
cli_cell(FILE *f, const char *s, int width)
{
	mbstate_t st;
	size_t len = strlen(s), n;
	/* Cut only when it does not fit: whole characters up to width - 1,
	 * then "…", so that a cut text is seen to be cut. */
	bool cut = cell_width(s) > width;
	int room = cut ? width - 1 : width, cols = 0, w;
	bool blank, bad;

	memset(&st, 0, sizeof(st));
	for (const char *p = s; len > 0; p += n, len -= n) {
		n = char_at(p, len, &st, &w, &blank, &bad);
		if (cols + w > room)
			break;
		if (blank || bad)
			fputc(blank ? ' ' : '?', f);
		else
			fwrite(p, 1, n, f);
		cols += w;
	}
	if (cut && width > 0) {
		fputs("\u2026", f);
		cols++;
	}
	for (; cols < width; cols++)
		fputc(' ', f);
}

void
cli_column(FILE *f, const char *s, int width)
{
	cli_cell(f, s, width > 1 ? width - 1 : width);
	if (width > 1)
		fputc(' ', f);
}

const char *
cli_code_label(const char *const pairs[][2], const char *code)
{
	for (; pairs[0][0] != NULL; pairs++)
		if (strcmp(pairs[0][0], code) == 0)
			return _(pairs[0][1]);
	return code;
}

const char *
cli_role_label(const char *role)
{
	static const char *const roles[] = { N_("clerk"), N_("supervisor"),
	    N_("director"), N_("engineer"), N_("admin"), NULL };

	return cli_word(roles, role);
}

const char *
cli_word(const char *const *words, const char *w)
{
	/* A word may carry its context (NC_). */
	for (; *words != NULL; words++)
		if (strcmp(i18n_english(*words), w) == 0)
			return i18n_ctext(*words);
	return w;
}

static const char *
coded_or_said(const char *text, const char *code, char **args, size_t nargs,
    char *out, size_t len)
{
	if (i18n_coded(code, (const char *const *)args, (int)nargs, true, out,
	    len) < 0)
		return i18n_said(text);
	return out;
}

const char *
cli_alert_message(const Deskd__Alert *a, char *out, size_t len)
{
	return coded_or_said(a->message, a->message_code, a->message_args,
	    a->n_message_args, out, len);
}

const char *
cli_now_title(const Deskd__NowItem *it, char *out, size_t len)
{
	if (strcmp(it->kind, "alert") != 0)
		return it->title;
	return coded_or_said(it->title, it->title_code, it->title_args,
	    it->n_title_args, out, len);
}

/* ---------- times, in the server's time zone ---------- */

void
cli_fmt_time(int64_t ms, char *buf, size_t len)
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;

	if (ms == 0) {
		snprintf(buf, len, "-");
		return;
	}
	localtime_r(&t, &tm);
	strftime(buf, len, "%Y-%m-%d %H:%M", &tm);
}

int
cli_parse_time(const char *s, int64_t *ms)
{
	static const char *const formats[] = { "%Y-%m-%d %H:%M:%S",
	    "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%H:%M" };
	struct tm tm;
	time_t now = time(NULL), t;
	const char *end;
	char *e;
	double v;
	size_t i;

	if (*s == '+') {
		/* Relative: +30m, +2h, +1d */
		errno = 0;
		v = strtod(s + 1, &e);
		if (errno || e == s + 1 || v < 0)
			return -1;
		if (strcmp(e, "m") == 0 || strcmp(e, "min") == 0)
			v *= 60;
		else if (strcmp(e, "h") == 0)
			v *= 3600;
		else if (strcmp(e, "d") == 0)
			v *= 86400;
		else if (strcmp(e, "s") != 0)
			return -1;
		/* At most 1000 years ahead; written so that inf and NaN fail
		 * too, as converting them is undefined. */
		if (!(v <= 1000.0 * 366 * 86400))
			return -1;
		*ms = ((int64_t)now + (int64_t)v) * 1000;
		return wire_time_ok(*ms) ? 0 : -1;
	}
	for (i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
		/* Afresh for each format: a failed strptime leaves what it
		 * parsed so far ("14:30" read as year 14 by %Y). */
		localtime_r(&now, &tm);
		tm.tm_sec = 0;
		end = strptime(s, formats[i], &tm);
		if (end != NULL && *end == '\0')
			break;
	}
	if (i == sizeof(formats) / sizeof(formats[0]))
		return -1;
	tm.tm_isdst = -1;
	if ((t = mktime(&tm)) == (time_t)-1)
		return -1;
	*ms = (int64_t)t * 1000;
	/* The one range of times deskd takes (wire.h), refused here first. */
	return wire_time_ok(*ms) ? 0 : -1;
}

int
cli_day_arg(const char *flag, const char *s)
{
	uint32_t day;

	if (wire_day_parse(s, &day) == 0)
		return 0;
	fprintf(stderr, "desk: --%s '%s' is not a day (YYYY-MM-DD) %s\n",
	    flag, s, WIRE_DAY_RANGE);
	return -1;
}

int
cli_parse_u64(const char *s, uint64_t *out)
{
	char *end;

	if (!isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	*out = strtoull(s, &end, 10);
	return errno || *end ? -1 : 0;
}

/* ---------- passwords ---------- */

int
cli_read_password(const char *prompt, char *buf, size_t len)
{
	struct termios old, quiet;
	bool tty = isatty(STDIN_FILENO);
	size_t n;

	if (tty) {
		fprintf(stderr, "%s", prompt);
		fflush(stderr);
		tcgetattr(STDIN_FILENO, &old);
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
	}
	if (fgets(buf, (int)len, stdin) == NULL)
		buf[0] = '\0';
	if (tty) {
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
		fputc('\n', stderr);
	}
	n = strlen(buf);
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
		buf[--n] = '\0';
	return n > 0 ? 0 : -1;
}

int
cli_read_file_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");
	size_t n;

	if (f == NULL)
		return -1;
	if (fgets(buf, (int)len, f) == NULL)
		buf[0] = '\0';
	fclose(f);
	n = strlen(buf);
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
		buf[--n] = '\0';
	return 0;
}

/* ---------- money (D2): integer cents, never floating point ---------- */

int
cli_parse_money(const char *s, int64_t *cents)
{
	int64_t yuan = 0;
	int frac = 0, digits = 0;
	const char *p = s;

	if (!isdigit((unsigned char)*p))
		return -1;
	for (; isdigit((unsigned char)*p); p++) {
		/* 1e12 yuan is far beyond any fee; stop before overflow. */
		if (yuan > 1000000000000LL)
			return -1;
		yuan = yuan * 10 + (*p - '0');
	}
	if (*p == '.') {
		for (p++; isdigit((unsigned char)*p); p++, digits++) {
			if (digits == 2)
				return -1;	/* no fractions of a fen */
			frac = frac * 10 + (*p - '0');
		}
		if (digits == 0)
			return -1;
		if (digits == 1)
			frac *= 10;
	}
	if (*p != '\0')
		return -1;
	*cents = yuan * 100 + frac;
	return 0;
}

void
cli_fmt_money(int64_t cents, char *buf, size_t len)
{
	int64_t a = cents < 0 ? -cents : cents;

	snprintf(buf, len, "%s%" PRId64 ".%02d", cents < 0 ? "-" : "",
	    a / 100, (int)(a % 100));
}

static void
out_of_memory(void)
{
	fprintf(stderr, "desk: out of memory\n");
	exit(DESK_USAGE);
}

void *
cli_xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (p == NULL)
		out_of_memory();
	return p;
}

void *
cli_xreallocarray(void *old, size_t n, size_t size)
{
	void *p;

	if (size != 0 && n > SIZE_MAX / size)
		out_of_memory();
	if ((p = realloc(old, n * size > 0 ? n * size : 1)) == NULL)
		out_of_memory();
	return p;
}
