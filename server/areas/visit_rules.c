/*
 * visit_rules.c - household visits' pure rules (issue 15: F1, F4); see
 * visit_rules.h.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "category_rules.h"
#include "dutylog_rules.h"
#include "visit_rules.h"

const struct visit_topic visit_topics[] = {
	{ "routine", "例行走访" },
	{ "complaint", "投诉回访" },
	{ "repair", "维修回访" },
	{ "opinion", "意见征询" },
	{ "fees", "收费" },
	{ "safety", "安全" },
	{ "other", "其他" },
};
const size_t visit_ntopics = sizeof(visit_topics) / sizeof(visit_topics[0]);

int
visit_topic_find(const char *text)
{
	for (size_t i = 0; i < visit_ntopics; i++)
		if (strcasecmp(text, visit_topics[i].code) == 0 ||
		    strcmp(text, visit_topics[i].name) == 0)
			return (int)i;
	return -1;
}

size_t
visit_topic_nearest(const char *text)
{
	size_t best = 0, bestd = SIZE_MAX;

	for (size_t i = 0; i < visit_ntopics; i++) {
		size_t a = category_distance(text, visit_topics[i].code);
		size_t b = category_distance(text, visit_topics[i].name);

		if ((a < b ? a : b) < bestd) {
			bestd = a < b ? a : b;
			best = i;
		}
	}
	return best;
}

size_t
visit_required(size_t occupied)
{
	return (occupied * VISIT_PCT + 99) / 100;
}

static int
rank_cmp(const void *a, const void *b)
{
	const struct visit_rank *x = a, *y = b;

	if (x->last_day != y->last_day)
		return x->last_day < y->last_day ? -1 : 1;
	return x->pos < y->pos ? -1 : x->pos > y->pos;
}

size_t
visit_draw(uint64_t seed, const struct visit_cand *cand, size_t n,
    size_t *out, struct visit_rank *r)
{
	uint64_t state = seed;
	size_t k = visit_required(n);

	if (n == 0)
		return 0;
	for (size_t i = 0; i < n; i++)
		out[i] = i;
	/* The same generator as the B9 spot check (spot_splitmix64), so one
	 * description in PROTOCOL.md reproduces both. */
	for (size_t i = 0; i + 1 < n; i++) {
		size_t j = i + (size_t)(spot_splitmix64(&state) % (n - i));
		size_t tmp = out[i];

		out[i] = out[j];
		out[j] = tmp;
	}
	for (size_t i = 0; i < n; i++)
		r[i] = (struct visit_rank){ out[i], cand[out[i]].last_day, i };
	qsort(r, n, sizeof(*r), rank_cmp);
	for (size_t i = 0; i < k; i++)
		out[i] = r[i].cand;
	return k;
}

static int
str_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

size_t
visit_distinct(const char **units, size_t n)
{
	size_t d = 0;

	if (n > 1)
		qsort(units, n, sizeof(*units), str_cmp);
	for (size_t i = 0; i < n; i++)
		if (i == 0 || strcmp(units[i], units[i - 1]) != 0)
			d++;
	return d;
}

size_t
visit_list_done(char *const *list, size_t nlist, const char *const *visited,
    size_t nvisited)
{
	size_t done = 0;

	for (size_t i = 0; i < nlist; i++)
		if (bsearch(&list[i], visited, nvisited, sizeof(*visited),
		    str_cmp) != NULL)
			done++;
	return done;
}
