/*
 * visit_rules.h - household visits' pure rules (issue 15: F1, F4): the
 * topics a visit is about, how many households a month's list takes, the
 * draw of the list (those not visited for the longest first, ties in the
 * order of a shuffle from a recorded seed), and the counts the ledger and
 * the summary show.  No storage: the draw is reproduced and unit-tested
 * from its seed alone.
 */
#ifndef DESKD_VISIT_RULES_H
#define DESKD_VISIT_RULES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* F1: at least this share of the occupied households each month. */
#define VISIT_PCT	5

/* The topics of a visit, a code and its Chinese name each, in the
 * summary's order. */
struct visit_topic {
	const char	*code;
	const char	*name;
};
extern const struct visit_topic visit_topics[];
extern const size_t visit_ntopics;

/* The topic whose code (any ASCII case) or Chinese name is text, or -1. */
int	visit_topic_find(const char *text);
/* The topic nearest to text, to suggest (its index). */
size_t	visit_topic_nearest(const char *text);

/* F1: how many of n occupied households a month's list takes:
 * ceil(n * VISIT_PCT / 100). */
size_t	visit_required(size_t occupied);

/* A household that may be drawn: its last visit's day (YYYYMMDD, 0:
 * never visited). */
struct visit_cand {
	const char	*unit;
	uint32_t	 last_day;
};

/* The draw's working space, one per candidate. */
struct visit_rank {
	size_t		 cand;
	uint32_t	 last_day;
	size_t		 pos;		/* in the shuffle: breaks ties */
};

/*
 * F1: the month's list.  cand[0..n) in the archive's code order is
 * shuffled (Fisher-Yates, j = i + next % (n - i), SplitMix64 from seed),
 * then ordered by last_day ascending (never visited first), equal days
 * keeping the shuffle's order; the first visit_required(n) indexes into
 * cand go to out (room for n), in the list's order.  work has room for n.
 * Returns their number.
 */
size_t	visit_draw(uint64_t seed, const struct visit_cand *cand, size_t n,
	    size_t *out, struct visit_rank *work);

/* How many distinct texts units[0..n) holds (sorts units in place). */
size_t	visit_distinct(const char **units, size_t n);
/* F4: how many of list[0..nlist) are among visited[0..nvisited), which is
 * sorted (strcmp order). */
size_t	visit_list_done(char *const *list, size_t nlist,
	    const char *const *visited, size_t nvisited);

#endif
