/* category_rules.c - the complaint categories (C8): the list and intake. */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "category_rules.h"
#include "refuse.h"
#include "text.h"

static const char *const defaults[][2] = {
	{ "noise", "噪音" }, { "cleaning", "卫生" }, { "repair", "维修" },
	{ "security", "安全" }, { "parking", "停车" }, { "fees", "收费" },
	{ "service", "服务态度" }, { "other", "其他" },
};

void
category_config_defaults(struct category_conf *c)
{
	memset(c, 0, sizeof(*c));
	for (size_t i = 0; i < sizeof(defaults) / sizeof(defaults[0]); i++) {
		snprintf(c->cats[i].code, CATEGORY_CODE, "%s", defaults[i][0]);
		snprintf(c->cats[i].name, CATEGORY_NAME, "%s", defaults[i][1]);
	}
	c->ncats = sizeof(defaults) / sizeof(defaults[0]);
}

static bool
code_ok(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n >= CATEGORY_CODE)
		return false;
	for (; *s; s++)
		if (!islower((unsigned char)*s) && !isdigit((unsigned char)*s) &&
		    *s != '_' && *s != '-')
			return false;
	return true;
}

int
category_find(const struct category_conf *c, const char *text)
{
	for (size_t i = 0; i < c->ncats; i++)
		if (strcasecmp(c->cats[i].code, text) == 0 ||
		    strcmp(c->cats[i].name, text) == 0)
			return (int)i;
	return -1;
}

int
category_map(const struct category_conf *c, const char *text)
{
	int i = category_find(c, text);

	for (size_t j = 0; i < 0 && j < c->nmap; j++)
		if (strcmp(c->map[j].text, text) == 0)
			i = (int)c->map[j].cat;
	return i;
}

/* One TEXT:CODE entry of a map line, len bytes at p. */
static int
map_add(struct category_conf *c, const char *p, size_t len, char *err,
    size_t errlen)
{
	const char *colon = NULL;
	char code[CATEGORY_CODE];
	int cat = -1;

	/* The last colon: a code has none, a free text may. */
	for (size_t i = 0; i < len; i++)
		if (p[i] == ':')
			colon = p + i;
	if (colon != NULL && (size_t)(p + len - colon - 1) < CATEGORY_CODE) {
		snprintf(code, sizeof(code), "%.*s", (int)(p + len - colon - 1),
		    colon + 1);
		cat = category_find(c, code);
	}
	if (colon == NULL || colon == p ||
	    (size_t)(colon - p) >= CATEGORY_TEXT || cat < 0 ||
	    c->nmap == CATEGORY_MAP_MAX) {
		/* A file's line past 200 bytes comes cut in two (inih). */
		snprintf(err, errlen, "[categories] map: bad entry '%.*s' "
		    "(TEXT:CODE with the code of a category above it, TEXT "
		    "at most %d bytes, at most %d entries; a line of the file "
		    "is at most 200 bytes: split a long table into map lines)",
		    (int)(len < 60 ? len : 60), p, CATEGORY_TEXT - 1,
		    CATEGORY_MAP_MAX);
		return -1;
	}
	snprintf(c->map[c->nmap].text, CATEGORY_TEXT, "%.*s",
	    (int)(colon - p), p);
	c->map[c->nmap++].cat = (size_t)cat;
	return 0;
}

int
category_config_set(struct category_conf *c, const char *key,
    const char *value, char *err, size_t errlen)
{
	int i;

	if (strcmp(key, "map") == 0) {
		for (const char *p = value; *p;) {
			size_t len;

			while (*p == ' ' || *p == ',')
				p++;
			if (*p == '\0')
				break;
			len = strcspn(p, ",");
			while (len > 0 && p[len - 1] == ' ')
				len--;
			if (map_add(c, p, len, err, errlen) != 0)
				return -1;
			p += len;
		}
		return 0;
	}
	if (!code_ok(key)) {
		snprintf(err, errlen, "[categories] '%s': not a category code "
		    "(CODE = NAME: the code in a-z, 0-9, _ or -, at most %d; "
		    "or map = TEXT:CODE,...)", key, CATEGORY_CODE - 1);
		return -1;
	}
	if (!*value || strlen(value) >= CATEGORY_NAME || strchr(value, ',') ||
	    strchr(value, ':')) {
		snprintf(err, errlen, "[categories] %s: the name is 1 to %d "
		    "bytes, with no ',' or ':'", key, CATEGORY_NAME - 1);
		return -1;
	}
	/* A name another code uses would count as two. */
	if ((i = category_find(c, value)) >= 0 &&
	    strcmp(c->cats[i].code, key) != 0) {
		snprintf(err, errlen, "[categories] %s: '%s' is %s's already",
		    key, value, c->cats[i].code);
		return -1;
	}
	for (i = 0; i < (int)c->ncats; i++)
		if (strcmp(c->cats[i].code, key) == 0)
			break;
	if (i == CATEGORY_MAX) {
		snprintf(err, errlen, "[categories] %s: at most %d categories",
		    key, CATEGORY_MAX);
		return -1;
	}
	if (i == (int)c->ncats)
		c->ncats++;
	snprintf(c->cats[i].code, CATEGORY_CODE, "%s", key);
	snprintf(c->cats[i].name, CATEGORY_NAME, "%s", value);
	return 0;
}

/* The characters of UTF-8 text as code points (ASCII letters lowered):
 * how many, at most max. */
static size_t
code_points(const char *s, uint32_t *out, size_t max)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = 0;

	while (*p && n < max) {
		uint32_t cp = *p++;

		if (cp >= 0xc0)
			for (int more = cp >= 0xf0 ? 3 : cp >= 0xe0 ? 2 : 1;
			    more > 0 && (*p & 0xc0) == 0x80; more--)
				cp = cp << 6 | (*p++ & 0x3f);
		out[n++] = cp < 0x80 ? (uint32_t)tolower((int)cp) : cp;
	}
	return n;
}

size_t
category_distance(const char *a, const char *b)
{
	uint32_t ca[TEXT_DISTANCE_MAX], cb[TEXT_DISTANCE_MAX];
	size_t na = code_points(a, ca, TEXT_DISTANCE_MAX);
	size_t nb = code_points(b, cb, TEXT_DISTANCE_MAX);

	/* Characters deleted and inserted (a change is both, 2): "服务" is
	 * nearer 服务态度 than 噪音, which one-for-one edits tie. */
	return text_distance(ca, na, cb, nb, 2, SIZE_MAX);
}

size_t
category_nearest(const struct category_conf *c, const char *text)
{
	size_t best = 0, best_d = SIZE_MAX;

	for (size_t i = 0; i < c->ncats; i++) {
		size_t dc = category_distance(text, c->cats[i].code);
		size_t dn = category_distance(text, c->cats[i].name);
		size_t d = dc < dn ? dc : dn;

		if (d < best_d) {
			best = i;
			best_d = d;
		}
	}
	return best;
}

static void
not_listed(char *msg, size_t len, const char *text, const char *name,
    const char *code, const char *list)
{
	refuse_fmt(msg, len, "category: '%s' is not on the list; did you mean "
	    "%s (%s)? The list:%s", text, name, code, list);
}

Deskd__Status
category_resolve(const struct category_conf *c, const char *text,
    bool import, const char **code, char *msg, size_t len)
{
	int i = import ? category_map(c, text) : category_find(c, text);
	size_t near, used, room;
	char list[512];

	if (i >= 0) {
		*code = c->cats[i].code;
		return DESKD__STATUS__OK;
	}
	near = category_nearest(c, text);
	/* The list is the refusal's last argument (PROTOCOL.md 6.1): as
	 * many as fit after the rest of it, then where to see them all. */
	not_listed(msg, len, text, c->cats[near].name, c->cats[near].code,
	    "");
	used = strlen(msg);
	room = used + 1 < len ? len - used : 0;
	room = room < sizeof(list) ? room : sizeof(list);
	list[0] = '\0';
	for (size_t k = 0, at = 0; k < c->ncats && at < room; k++) {
		static const char more[] = " ... (desk categories)";
		size_t entry = strlen(c->cats[k].code) +
		    strlen(c->cats[k].name) + 3;

		if (at + entry + sizeof(more) > room) {
			snprintf(list + at, room - at, "%s", more);
			break;
		}
		at += (size_t)snprintf(list + at, room - at, " %s %s%s",
		    c->cats[k].code, c->cats[k].name,
		    k + 1 < c->ncats ? "," : "");
	}
	not_listed(msg, len, text, c->cats[near].name, c->cats[near].code,
	    list);
	return DESKD__STATUS__INVALID_ARGUMENT;
}

const char *
category_counted_as(const struct category_conf *c, const char *stored)
{
	int i = category_find(c, stored);

	return i >= 0 ? c->cats[i].code : "other";
}
