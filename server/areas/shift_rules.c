/*
 * shift_rules.c - the shifts and posts, and the pure rules of a month's schedule
 * (A2, A5, A6).  Storage and the wire are schedule.c's.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "refuse.h"
#include "shift_rules.h"

static void
shift_add(struct shift_conf *c, const char *name, int start, int end)
{
	struct shift_def *s = &c->shifts[c->nshifts++];

	snprintf(s->name, sizeof(s->name), "%s", name);
	snprintf(s->label, sizeof(s->label), "%s %02d:%02d-%02d:%02d", name,
	    start / 60, start % 60, end / 60, end % 60);
	s->start_min = start;
	s->end_min = end;
}

void
shift_config_defaults(struct shift_conf *c)
{
	memset(c, 0, sizeof(*c));
	/* A6: 三班制, 24-hour duty. */
	shift_add(c, "morning", 8 * 60, 16 * 60);
	shift_add(c, "evening", 16 * 60, 24 * 60);
	shift_add(c, "night", 0, 8 * 60);
	snprintf(c->posts[0], sizeof(c->posts[0]), "front");
	c->nposts = 1;
}

static void
shift_section_defaults(void *block)
{
	shift_config_defaults(block);
}

static int
shift_section_set(void *block, const char *key, const char *value,
    char *err, size_t errlen)
{
	return shift_config_set(block, key, value, err, errlen);
}

static void
shift_usage(FILE *f)
{
	fprintf(f, "  --posts A,B,...        the posts staffed each shift "
	    "([shifts] posts)\n");
}

/* [shifts]; --posts is its posts line (A6). */
const struct config_section shift_section = {
	.name = "shifts",
	.size = sizeof(struct shift_conf),
	.defaults = shift_section_defaults,
	.set = shift_section_set,
	.flag = "posts",
	.flag_key = "posts",
	.usage = shift_usage,
	.usage_rank = 20,
};

const struct shift_conf *
shift_conf_of(const struct config *cfg)
{
	return config_section(cfg, &shift_section);
}

/* "08:00" -> 480; "24:00" is the end of the day. */
static int
parse_hhmm(const char *s, const char **end)
{
	int h, m;

	if (!isdigit((unsigned char)s[0]) || !isdigit((unsigned char)s[1]) ||
	    s[2] != ':' || !isdigit((unsigned char)s[3]) ||
	    !isdigit((unsigned char)s[4]))
		return -1;
	h = (s[0] - '0') * 10 + (s[1] - '0');
	m = (s[3] - '0') * 10 + (s[4] - '0');
	if (m > 59 || h > 24 || (h == 24 && m != 0))
		return -1;
	*end = s + 5;
	return h * 60 + m;
}

static bool
name_ok(const char *s, size_t len)
{
	if (len == 0 || len >= SHIFT_NAME)
		return false;
	for (size_t i = 0; i < len; i++)
		if (isspace((unsigned char)s[i]) || s[i] == ',')
			return false;
	return true;
}

int
shift_index(const struct shift_conf *c, const char *name)
{
	for (size_t i = 0; i < c->nshifts; i++)
		if (strcmp(c->shifts[i].name, name) == 0)
			return (int)i;
	return -1;
}

int
post_index(const struct shift_conf *c, const char *name)
{
	for (size_t i = 0; i < c->nposts; i++)
		if (strcmp(c->posts[i], name) == 0)
			return (int)i;
	return -1;
}

static int
posts_set(struct shift_conf *c, const char *value, char *err, size_t errlen)
{
	const char *p = value;

	if (!c->posts_set) {
		c->nposts = 0;
		c->posts_set = true;
	}
	while (*p) {
		size_t len;

		while (*p == ' ' || *p == ',')
			p++;
		len = strcspn(p, ",");
		while (len > 0 && p[len - 1] == ' ')
			len--;
		if (len == 0)
			break;
		if (!name_ok(p, len) || c->nposts == POST_MAX) {
			snprintf(err, errlen, "[shifts] posts: bad post '%.*s' "
			    "(names without spaces, at most %d posts)",
			    (int)(len < 40 ? len : 40), p, POST_MAX);
			return -1;
		}
		snprintf(c->posts[c->nposts], SHIFT_NAME, "%.*s", (int)len, p);
		if (post_index(c, c->posts[c->nposts]) >= 0) {
			snprintf(err, errlen, "[shifts] posts: '%s' twice",
			    c->posts[c->nposts]);
			return -1;
		}
		c->nposts++;
		p += strcspn(p, ",");
	}
	if (c->nposts == 0) {
		snprintf(err, errlen, "[shifts] posts: at least one post");
		return -1;
	}
	return 0;
}

int
shift_config_set(struct shift_conf *c, const char *key, const char *value,
    char *err, size_t errlen)
{
	const char *p;
	int start, end;

	if (strcmp(key, "posts") == 0)
		return posts_set(c, value, err, errlen);
	if (!name_ok(key, strlen(key)) || (start = parse_hhmm(value, &p)) < 0 ||
	    *p++ != '-' || (end = parse_hhmm(p, &p)) < 0 || *p != '\0' ||
	    start == 24 * 60 || start == end) {
		snprintf(err, errlen, "[shifts] %s = %s: a shift is NAME = "
		    "HH:MM-HH:MM, e.g. morning = 08:00-16:00", key, value);
		return -1;
	}
	if (!c->shifts_set) {
		c->nshifts = 0;
		c->shifts_set = true;
	}
	if (shift_index(c, key) >= 0 || c->nshifts == SHIFT_MAX) {
		snprintf(err, errlen, "[shifts] %s: defined twice, or more "
		    "than %d shifts", key, SHIFT_MAX);
		return -1;
	}
	shift_add(c, key, start, end);
	return 0;
}

uint32_t
shift_month_parse(const char *s)
{
	unsigned y, m;
	int n = 0;

	if (sscanf(s, "%4u-%2u%n", &y, &m, &n) != 2 || s[n] != '\0' ||
	    n != 7 || y < 2000 || y > 2999 || m < 1 || m > 12)
		return 0;
	return y * 100 + m;
}

int
shift_month_days(uint32_t month)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };
	uint32_t y = month / 100, m = month % 100;

	if (y < 2000 || y > 2999 || m < 1 || m > 12)
		return 0;
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return days[m - 1];
}

size_t
shift_slot(const Deskd__Assignment *a)
{
	return ((size_t)a->day * SHIFT_MAX + a->shift) * POST_MAX + a->post;
}

void
sched_slot_name(const struct shift_conf *c, uint32_t month,
    const Deskd__Assignment *a, char *out, size_t len)
{
	snprintf(out, len, "%04u-%02u-%02u %s %s", month / 100, month % 100,
	    a->day, a->shift < c->nshifts ? c->shifts[a->shift].name : "?",
	    a->post < c->nposts ? c->posts[a->post] : "?");
}

/* A problem's template and values, as a refusal's (PROTOCOL.md 6.1), so
 * that a desk says each in its language; none when they do not fit. */
static void
problem_code(struct sched_problem_entry *e, const char *fmt, va_list ap)
{
	struct refusal r;
	size_t used = 0, n;

	e->code = NULL;
	if (!refusal_capture(&r, fmt, ap))
		return;
	for (int i = 0; i < r.nargs; i++) {
		if ((n = strlen(r.args[i]) + 1) > sizeof(e->args) - used)
			return;
		memcpy(e->args + used, r.args[i], n);
		used += n;
	}
	e->nargs = r.nargs;
	e->code = fmt;
}

void
sched_problem(struct sched_problems *p, int index, const char *fmt, ...)
{
	va_list ap;

	p->n++;
	if (p->kept == SCHED_PROBLEMS_MAX)
		return;
	if (p->v == NULL && (p->v = calloc(SCHED_PROBLEMS_MAX,
	    sizeof(*p->v))) == NULL)
		return;
	p->v[p->kept].index = index;
	va_start(ap, fmt);
	vsnprintf(p->v[p->kept].text, sizeof(p->v[0].text), fmt, ap);
	va_end(ap);
	va_start(ap, fmt);
	problem_code(&p->v[p->kept], fmt, ap);
	va_end(ap);
	p->kept++;
}

void
sched_problems_free(struct sched_problems *p)
{
	free(p->v);
	memset(p, 0, sizeof(*p));
}

void
sched_problems_text(const struct sched_problems *p, const char *what,
    char *out, size_t len)
{
	char list[256];
	size_t used = 0, room;
	int w;

	/* The list takes what the header leaves of len. */
	w = snprintf(NULL, 0, "%s: %zu problems: ", what, p->n);
	room = w < 0 || (size_t)w >= len ? 1 : len - (size_t)w;
	if (room > sizeof(list))
		room = sizeof(list);
	list[0] = '\0';
	for (size_t i = 0; i < p->kept && used < room; i++) {
		char more[48];
		size_t need = strlen(p->v[i].text) + 2;

		snprintf(more, sizeof(more), " ... and %zu more", p->n - i);
		/* Keep room to say how many did not fit. */
		if (used + need + strlen(more) >= room) {
			snprintf(list + used, room - used, "%s", more);
			break;
		}
		used += (size_t)snprintf(list + used, room - used, "%s%s",
		    i ? "; " : "", p->v[i].text);
	}
	refuse_fmt(out, len, "%s: %zu problem%s: %s", what, p->n,
	    p->n == 1 ? "" : "s", list);
}

void
sched_check_entries(const struct shift_conf *c, uint32_t month,
    Deskd__Assignment *const *a, size_t n, struct sched_problems *p)
{
	int days = shift_month_days(month);
	uint8_t *seen;

	if (days == 0) {
		sched_problem(p, -1, "month %u is not a month (YYYYMM)", month);
		return;
	}
	if ((seen = calloc(SHIFT_SLOTS, 1)) == NULL) {
		sched_problem(p, -1, "out of memory");
		return;
	}
	for (size_t i = 0; i < n; i++) {
		if (a[i]->day < 1 || (int)a[i]->day > days)
			sched_problem(p, (int)i, "day %u: %04u-%02u has %d "
			    "days", a[i]->day, month / 100, month % 100, days);
		else if (a[i]->shift >= c->nshifts)
			sched_problem(p, (int)i, "shift %u: there are %zu "
			    "shifts", a[i]->shift, c->nshifts);
		else if (a[i]->post >= c->nposts)
			sched_problem(p, (int)i, "post %u: there are %zu "
			    "posts", a[i]->post, c->nposts);
		else if (seen[shift_slot(a[i])]++) {
			char slot[96];

			sched_slot_name(c, month, a[i], slot, sizeof(slot));
			sched_problem(p, (int)i, "%s: given twice", slot);
		}
	}
	free(seen);
}

struct span {
	const Deskd__Assignment *a;
	long	 start, end;	/* minutes from the month's start */
};

static int
span_cmp(const void *x, const void *y)
{
	const struct span *s = x, *t = y;
	int c = strcmp(s->a->user, t->a->user);

	if (c != 0)
		return c;
	return (s->start > t->start) - (s->start < t->start);
}

void
sched_check_publish(const struct shift_conf *c, uint32_t month,
    Deskd__Assignment *const *a, size_t n, struct sched_problems *p)
{
	int days = shift_month_days(month);
	uint8_t *staffed;
	struct span *s;
	char slot[96], other[96];
	size_t ns = 0;

	sched_check_entries(c, month, a, n, p);
	if (p->n > 0)
		return;
	if ((staffed = calloc(SHIFT_SLOTS, 1)) == NULL ||
	    (s = calloc(n ? n : 1, sizeof(*s))) == NULL) {
		free(staffed);
		sched_problem(p, -1, "out of memory");
		return;
	}
	for (size_t i = 0; i < n; i++) {
		const struct shift_def *d = &c->shifts[a[i]->shift];

		if (*a[i]->user == '\0')
			continue;
		staffed[shift_slot(a[i])] = 1;
		s[ns].a = a[i];
		s[ns].start = (long)(a[i]->day - 1) * 1440 + d->start_min;
		s[ns].end = (long)(a[i]->day - 1) * 1440 + d->end_min +
		    (d->end_min <= d->start_min ? 1440 : 0);
		ns++;
	}
	/* A2: every post of every shift of every day has somebody. */
	for (uint32_t day = 1; day <= (uint32_t)days; day++)
		for (uint32_t sh = 0; sh < c->nshifts; sh++)
			for (uint32_t po = 0; po < c->nposts; po++) {
				Deskd__Assignment x = DESKD__ASSIGNMENT__INIT;

				x.day = day;
				x.shift = sh;
				x.post = po;
				if (staffed[shift_slot(&x)])
					continue;
				sched_slot_name(c, month, &x, slot,
				    sizeof(slot));
				sched_problem(p, -1, "%s: nobody on duty",
				    slot);
			}
	/* Nobody in two places at once: per person, by start, each span
	 * against the latest-ending one before it. */
	qsort(s, ns, sizeof(*s), span_cmp);
	for (size_t i = 1, last = 0; i < ns; i++) {
		if (strcmp(s[i].a->user, s[last].a->user) != 0) {
			last = i;
			continue;
		}
		if (s[i].start < s[last].end) {
			sched_slot_name(c, month, s[last].a, other,
			    sizeof(other));
			sched_slot_name(c, month, s[i].a, slot, sizeof(slot));
			sched_problem(p, -1, "%s: in two places at once (%s "
			    "and %s)", s[i].a->user, other, slot);
		}
		if (s[i].end > s[last].end)
			last = i;
	}
	free(s);
	free(staffed);
}

static int
slot_cmp(const void *x, const void *y)
{
	size_t a = shift_slot(*(Deskd__Assignment *const *)x);
	size_t b = shift_slot(*(Deskd__Assignment *const *)y);

	return (a > b) - (a < b);
}

void
sched_sort(Deskd__Assignment **a, size_t n)
{
	if (n > 1)
		qsort(a, n, sizeof(*a), slot_cmp);
}

/* One side of a diff: an assignment, which version it is in. */
struct side {
	Deskd__Assignment *a;
	bool	 added;
};

static int
side_cmp(const void *x, const void *y)
{
	const struct side *s = x, *t = y;
	int c = strcmp(s->a->user, t->a->user);
	size_t a = shift_slot(s->a), b = shift_slot(t->a);

	if (c != 0)
		return c;
	if (a != b)
		return (a > b) - (a < b);
	return (int)s->added - (int)t->added;
}

static int
push_ptr(Deskd__Assignment ***arr, size_t *n, Deskd__Assignment *a)
{
	Deskd__Assignment **grown;

	if ((grown = realloc(*arr, (*n + 1) * sizeof(*grown))) == NULL)
		return -1;
	*arr = grown;
	grown[(*n)++] = a;
	return 0;
}

int
sched_diff(Deskd__Assignment *const *old, size_t nold,
    Deskd__Assignment *const *new, size_t nnew, Deskd__PersonChange ***out,
    size_t *nout)
{
	struct side *s;
	Deskd__PersonChange **list = NULL, *pc = NULL;
	size_t ns = 0, n = 0;

	*out = NULL;
	*nout = 0;
	if ((s = calloc(nold + nnew + 1, sizeof(*s))) == NULL)
		return -1;
	for (size_t i = 0; i < nold; i++)
		if (*old[i]->user)
			s[ns++] = (struct side){ old[i], false };
	for (size_t i = 0; i < nnew; i++)
		if (*new[i]->user)
			s[ns++] = (struct side){ new[i], true };
	qsort(s, ns, sizeof(*s), side_cmp);
	for (size_t i = 0; i < ns; i++) {
		/* The same person on the same slot in both: no change. */
		if (i + 1 < ns && !s[i].added && s[i + 1].added &&
		    strcmp(s[i].a->user, s[i + 1].a->user) == 0 &&
		    shift_slot(s[i].a) == shift_slot(s[i + 1].a)) {
			i++;
			continue;
		}
		if (pc == NULL || strcmp(pc->user, s[i].a->user) != 0) {
			Deskd__PersonChange **grown;

			if ((pc = malloc(sizeof(*pc))) == NULL ||
			    (grown = realloc(list, (n + 1) *
			    sizeof(*grown))) == NULL) {
				free(pc);
				goto fail;
			}
			deskd__person_change__init(pc);
			pc->user = s[i].a->user;
			list = grown;
			list[n++] = pc;
		}
		if (s[i].added ? push_ptr(&pc->added, &pc->n_added, s[i].a) :
		    push_ptr(&pc->removed, &pc->n_removed, s[i].a))
			goto fail;
	}
	free(s);
	*out = list;
	*nout = n;
	return 0;
fail:
	free(s);
	sched_changes_free(list, n);
	return -1;
}

void
sched_changes_free(Deskd__PersonChange **list, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(list[i]->added);
		free(list[i]->removed);
		free(list[i]);
	}
	free(list);
}
