/*
 * config.c - one table names every setting of the [server] section once,
 * for the file, the command line and --help alike; the other sections are
 * described by whoever owns them (config_add_section) and iterated here.
 */
#include <ctype.h>
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ini.h>

#include "config.h"
#include "log.h"

enum opt_type { OPT_STR, OPT_U32, OPT_SIZE, OPT_DURATION, OPT_INT };

struct opt {
	const char	*name;
	enum opt_type	 type;
	size_t		 off;
	size_t		 len;		/* OPT_STR: buffer size */
	const char	*help;
};

#define S(f)	OPT_STR, offsetof(struct config, f), sizeof(((struct config *)0)->f)
#define N(t, f)	t, offsetof(struct config, f), 0

static const struct opt opts[] = {
	{ "listen", S(listen), "address to listen on, host:port (127.0.0.1:7443)" },
	{ "data", S(data), "LMDB data directory (./var/data)" },
	{ "cert", S(cert), "server certificate, PEM (./var/certs/server.pem)" },
	{ "key", S(key), "server private key, PEM (./var/certs/server-key.pem)" },
	{ "ca", S(ca), "CA for desk client certificates (optional)" },
	{ "time_zone", S(time_zone), "zone for calendars and display (Asia/Shanghai)" },
	{ "calendar", S(calendar), "C4/D5 working-day file: holidays, make-up days (empty: Sat+Sun only)" },
	{ "ready_file", S(ready_file), "write host:port here once listening" },
	{ "archive_key", S(archive_key), "E6: key file (64 hex chars) sealing the archive's phone and ID numbers; outside the data dir, or deskd refuses to start (none: a person's numbers are refused; a complaint's or repair's phone is kept as typed)" },
	{ "unit_pattern", S(unit_pattern), "E6: unit codes, a POSIX extended regex (^[0-9]{1,3}-[0-9]{1,2}-[0-9]{3,4}$)" },
	{ "reveal_limit", N(OPT_U32, reveal_limit), "E6: full numbers one person may reveal within reveal_window before the supervisor is alerted (10)" },
	{ "reveal_window", N(OPT_DURATION, reveal_window_ms), "E6: the window of reveal_limit (10m)" },
	{ "attendance_clerk", S(attendance_clerk), "A1: the attendance clerk (考勤员) who submits the month's report; [attendance] clerk (empty: a supervisor)" },
	{ "max_payload", N(OPT_SIZE, max_payload), "largest frame payload (1M)" },
	{ "hello_timeout", N(OPT_DURATION, hello_timeout_ms), "time to log in after connecting (30s)" },
	{ "frame_timeout", N(OPT_DURATION, frame_timeout_ms), "time a partial frame may wait (10s)" },
	{ "session_ttl", N(OPT_DURATION, session_ttl_ms), "session token lifetime (12h)" },
	{ "login_delay", N(OPT_DURATION, login_delay_ms), "delay after a failed login, doubling (250ms)" },
	{ "login_delay_max", N(OPT_DURATION, login_delay_max_ms), "cap on that delay (8s)" },
	{ "login_decay", N(OPT_DURATION, login_decay_ms), "a name's or address's failed-login count halves after this long without one (15m)" },
	{ "login_log_lines", N(OPT_U32, login_log_lines), "failed logins logged one by one per address and login_log_every; then one summary line (5)" },
	{ "login_log_every", N(OPT_DURATION, login_log_every_ms), "the interval of login_log_lines (60s)" },
	{ "login_burst", N(OPT_U32, login_burst), "this many failed logins within login_burst_window alert the admin, once a burst; 0: never (20)" },
	{ "login_burst_window", N(OPT_DURATION, login_burst_window_ms), "the window of login_burst (60s)" },
	{ "password_workers", N(OPT_U32, password_workers), "threads hashing passwords, at most 64; 0: one per online CPU (0)" },
	{ "password_queue", N(OPT_U32, password_queue), "logins waiting to be hashed before more are refused with TRY_LATER; 0: a lockdown, only desks known at their address and an admin at the console log in by password (256)" },
	{ "pbkdf2_iterations", N(OPT_U32, pbkdf2_iterations), "password hashing cost (200000)" },
	{ "out_high_water", N(OPT_SIZE, out_high_water), "stop queueing output for a client (256K)" },
	{ "out_low_water", N(OPT_SIZE, out_low_water), "resume output (64K)" },
	{ "map_size", N(OPT_SIZE, map_size), "initial LMDB map; grows when full (64M)" },
	{ "batch_max", N(OPT_U32, batch_max), "requests in one group commit (1024)" },
	{ "conn_max_pending", N(OPT_U32, conn_max_pending), "pipelined requests per client (128)" },
	{ "max_conns", N(OPT_U32, max_conns), "connections open at once; when full, a new one evicts the oldest idle one not logged in (0: the descriptor limit less 32 kept for the listener, LMDB and logs)" },
	{ "max_unauth_per_source", N(OPT_U32, max_unauth_per_source), "connections not logged in from one address; past it a new one evicts that address's oldest idle one (64; 0: no cap)" },
	{ "max_conns_per_user", N(OPT_U32, max_conns_per_user), "connections logged in as one user; another login is refused (16; 0: no cap)" },
	{ "verbose", N(OPT_INT, verbose), "1 for debug logs (0)" },
	{ "verify_at", S(verify_at), "C9: local time of the nightly re-verify of the store while serving, HH:MM; \"off\": never (03:30)" },
	{ "verify_every", N(OPT_DURATION, verify_every_ms), "re-verify this often instead of nightly at verify_at (0)" },
	{ "now_offset", N(OPT_DURATION, now_offset_ms), "testing: run the server's clock ahead by this much, e.g. 3d (0)" },
};

#define SECTION_MAX	16

static const struct config_section *sections[SECTION_MAX];
static size_t section_off[SECTION_MAX], nsections, section_used;

void
config_add_section(const struct config_section *s)
{
	size_t align = _Alignof(max_align_t);
	size_t size = (s->size + align - 1) / align * align;

	for (size_t i = 0; i < nsections; i++)
		if (sections[i] == s)
			return;
	if (nsections == SECTION_MAX || size < s->size ||
	    size > CONFIG_SECTION_SPACE - section_used)
		fatalx("%s: no room for the [%s] settings", __func__, s->name);
	sections[nsections] = s;
	section_off[nsections++] = section_used;
	section_used += size;
}

static int
section_index(const struct config_section *s)
{
	for (size_t i = 0; i < nsections; i++)
		if (sections[i] == s)
			return (int)i;
	return -1;
}

const void *
config_section(const struct config *c, const struct config_section *s)
{
	int i = section_index(s);

	if (i < 0)
		fatalx("%s: the [%s] settings are not registered", __func__,
		    s->name);
	return c->sections + section_off[i];
}

static void *
section_block(struct config *c, size_t i)
{
	return c->sections + section_off[i];
}

/* The registered section named `name`, or -1. */
static int
section_named(const char *name)
{
	for (size_t i = 0; i < nsections; i++)
		if (strcmp(sections[i]->name, name) == 0)
			return (int)i;
	return -1;
}

/* A section's --flag VALUE (flag as the [server] key, '_' for '-'). */
static int
section_flag(struct config *c, const char *flag, const char *value,
    char *err, size_t errlen)
{
	for (size_t i = 0; i < nsections; i++) {
		const struct config_section *s = sections[i];
		const char *eq;
		char key[64];

		if (s->flag == NULL || strcmp(s->flag, flag) != 0)
			continue;
		if (s->flag_key != NULL)
			return s->set(section_block(c, i), s->flag_key, value,
			    err, errlen);
		/* --flag KEY=VALUE: the section's line KEY = VALUE. */
		if ((eq = strchr(value, '=')) == NULL) {
			snprintf(err, errlen, "--%s takes %s", s->flag,
			    s->flag_form);
			return -1;
		}
		snprintf(key, sizeof(key), "%.*s", (int)(eq - value), value);
		return s->set(section_block(c, i), key, eq + 1, err, errlen);
	}
	return 1;
}

void
config_defaults(struct config *c)
{
	memset(c, 0, sizeof(*c));
	snprintf(c->listen, sizeof(c->listen), "127.0.0.1:7443");
	snprintf(c->data, sizeof(c->data), "./var/data");
	snprintf(c->cert, sizeof(c->cert), "./var/certs/server.pem");
	snprintf(c->key, sizeof(c->key), "./var/certs/server-key.pem");
	snprintf(c->time_zone, sizeof(c->time_zone), "Asia/Shanghai");
	snprintf(c->unit_pattern, sizeof(c->unit_pattern),
	    "^[0-9]{1,3}-[0-9]{1,2}-[0-9]{3,4}$");
	c->reveal_limit = 10;
	c->reveal_window_ms = 10 * 60 * 1000;
	c->max_payload = 1024 * 1024;
	c->hello_timeout_ms = 30000;
	c->frame_timeout_ms = 10000;
	c->session_ttl_ms = 12LL * 3600 * 1000;
	c->login_delay_ms = 250;
	c->login_delay_max_ms = 8000;
	c->login_decay_ms = 15 * 60 * 1000;
	c->login_log_lines = 5;
	c->login_log_every_ms = 60 * 1000;
	c->login_burst = 20;
	c->login_burst_window_ms = 60 * 1000;
	c->password_queue = 256;
	c->pbkdf2_iterations = 200000;
	c->out_high_water = 256 * 1024;
	c->out_low_water = 64 * 1024;
	c->map_size = 64 * 1024 * 1024;
	c->batch_max = 1024;
	c->conn_max_pending = 128;
	c->max_unauth_per_source = 64;
	c->max_conns_per_user = 16;
	snprintf(c->verify_at, sizeof(c->verify_at), "03:30");
	for (size_t i = 0; i < nsections; i++)
		sections[i]->defaults(section_block(c, i));
}

int
config_parse_duration_ms(const char *s, int64_t *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || v < 0)
		return -1;
	if (*end == '\0' || strcmp(end, "s") == 0)
		v *= 1000;
	else if (strcmp(end, "ms") == 0)
		;
	else if (strcmp(end, "m") == 0 || strcmp(end, "min") == 0)
		v *= 60 * 1000;
	else if (strcmp(end, "h") == 0)
		v *= 3600 * 1000;
	else if (strcmp(end, "d") == 0)
		v *= 86400 * 1000;
	else
		return -1;
	/* Written so that NaN fails too: converting it is undefined. */
	if (!(v <= 9e15))
		return -1;
	*out = (int64_t)v;
	return 0;
}

int
config_parse_size(const char *s, size_t *out)
{
	char *end;
	unsigned long long v;
	int shift;

	errno = 0;
	if (!isdigit((unsigned char)*s))
		return -1;
	v = strtoull(s, &end, 10);
	if (errno)
		return -1;
	switch (toupper((unsigned char)*end)) {
	case '\0':	shift = 0; break;
	case 'K':	shift = 10; end++; break;
	case 'M':	shift = 20; end++; break;
	case 'G':	shift = 30; end++; break;
	default:	return -1;
	}
	/* "17179869184G" must not wrap around to 0. */
	if (v > (SIZE_MAX >> shift))
		return -1;
	v <<= shift;
	if (*end == 'i' || *end == 'B')
		end += (*end == 'i' && end[1] == 'B') ? 2 : 1;
	if (*end != '\0')
		return -1;
	*out = v;
	return 0;
}

int
config_set(struct config *c, const char *key, const char *value, char *err,
    size_t errlen)
{
	char name[64];
	size_t i;
	int rc;

	/* --frame-timeout and frame_timeout are the same setting. */
	snprintf(name, sizeof(name), "%s", key);
	for (i = 0; name[i]; i++)
		if (name[i] == '-')
			name[i] = '_';
	/* A section's own flag stands for one of its lines. */
	if ((rc = section_flag(c, name, value, err, errlen)) <= 0)
		return rc;
	for (i = 0; i < sizeof(opts) / sizeof(opts[0]); i++) {
		const struct opt *o = &opts[i];
		char *field = (char *)c + o->off;
		size_t sz;
		int64_t ms;
		char *end;
		unsigned long ul;

		if (strcmp(o->name, name) != 0)
			continue;
		switch (o->type) {
		case OPT_STR:
			if (strlen(value) >= o->len)
				goto bad;
			snprintf(field, o->len, "%s", value);
			return 0;
		case OPT_U32:
		case OPT_INT:
			errno = 0;
			ul = strtoul(value, &end, 10);
			if (errno || *end || end == value || ul > 0x7fffffffUL)
				goto bad;
			if (o->type == OPT_U32)
				*(uint32_t *)field = (uint32_t)ul;
			else
				*(int *)field = (int)ul;
			return 0;
		case OPT_SIZE:
			if (config_parse_size(value, &sz) != 0)
				goto bad;
			if (strcmp(o->name, "max_payload") == 0) {
				if (sz > 64u * 1024 * 1024)
					goto bad;
				c->max_payload = (uint32_t)sz;
			} else
				*(size_t *)field = sz;
			return 0;
		case OPT_DURATION:
			if (config_parse_duration_ms(value, &ms) != 0)
				goto bad;
			*(int64_t *)field = ms;
			return 0;
		}
bad:
		snprintf(err, errlen, "%s: bad value '%s' (%s)", key, value,
		    o->help);
		return -1;
	}
	snprintf(err, errlen, "unknown setting '%s'", key);
	return -1;
}

struct load_ctx {
	struct config	*c;
	char		*err;
	size_t		 errlen;
	int		 failed;
};

static int
ini_cb(void *arg, const char *section, const char *key, const char *value)
{
	struct load_ctx *l = arg;
	int i;

	if (l->failed)
		return 1;
	if ((i = section_named(section)) >= 0) {
		if (sections[i]->set(section_block(l->c, (size_t)i), key,
		    value, l->err, l->errlen) != 0)
			l->failed = 1;
	} else if (strcmp(section, "attendance") == 0) {
		/* A1: [attendance] clerk = NAME is the attendance_clerk
		 * setting. */
		if (strcmp(key, "clerk") != 0) {
			snprintf(l->err, l->errlen, "[attendance]: unknown "
			    "key '%s'", key);
			l->failed = 1;
		} else if (config_set(l->c, "attendance_clerk", value, l->err,
		    l->errlen) != 0)
			l->failed = 1;
	} else if (*section == '\0' || strcmp(section, "server") == 0) {
		if (config_set(l->c, key, value, l->err, l->errlen) != 0)
			l->failed = 1;
	} else {
		snprintf(l->err, l->errlen, "unknown section [%s]", section);
		l->failed = 1;
	}
	return 1;
}

/* What ini_parse(_string) said, as one message naming the file. */
static int
load_result(const struct load_ctx *l, int rc, const char *name, char *err,
    size_t errlen)
{
	if (rc < 0) {
		snprintf(err, errlen, "%s: cannot read: %s", name,
		    strerror(errno));
		return -1;
	}
	if (rc > 0 && !l->failed) {
		snprintf(err, errlen, "%s:%d: syntax error", name, rc);
		return -1;
	}
	if (l->failed) {
		char inner[256];

		snprintf(inner, sizeof(inner), "%s", err);
		snprintf(err, errlen, "%s: %s", name, inner);
		return -1;
	}
	return 0;
}

int
config_load_file(struct config *c, const char *path, char *err, size_t errlen)
{
	struct load_ctx l = { c, err, errlen, 0 };

	return load_result(&l, ini_parse(path, ini_cb, &l), path, err, errlen);
}

int
config_load_string(struct config *c, const char *name, const char *text,
    char *err, size_t errlen)
{
	struct load_ctx l = { c, err, errlen, 0 };

	return load_result(&l, ini_parse_string(text, ini_cb, &l), name, err,
	    errlen);
}

void
config_usage(FILE *f)
{
	const struct config_section *by_rank[SECTION_MAX];
	size_t n = 0;

	for (size_t i = 0; i < sizeof(opts) / sizeof(opts[0]); i++) {
		char flag[64];

		snprintf(flag, sizeof(flag), "%s", opts[i].name);
		for (char *p = flag; *p; p++)
			if (*p == '_')
				*p = '-';
		fprintf(f, "  --%-20s %s\n", flag, opts[i].help);
	}
	/* The other sections in their owners' order, not registration's:
	 * --help reads the same whatever the areas' file names. */
	for (size_t i = 0; i < nsections; i++) {
		size_t j = n++;

		for (; j > 0 && by_rank[j - 1]->usage_rank >
		    sections[i]->usage_rank; j--)
			by_rank[j] = by_rank[j - 1];
		by_rank[j] = sections[i];
	}
	for (size_t i = 0; i < n; i++)
		if (by_rank[i]->usage != NULL)
			by_rank[i]->usage(f);
}
