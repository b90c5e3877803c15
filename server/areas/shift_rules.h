/*
 * shift_rules.h - shift schedules (issue 4, A2 A5 A6): the shifts and posts of
 * the [shifts] section, and the pure rules of a month's schedule: what a
 * draft may hold, what stops a publish, and what a publish changed for
 * each person.  No storage here, so the rules are unit-tested alone.
 */
#ifndef DESKD_SHIFT_RULES_H
#define DESKD_SHIFT_RULES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "deskd.pb-c.h"

#define SHIFT_MAX	8
#define POST_MAX	256
#define SHIFT_NAME	32
/* Slots of a month: day (1-31) x shift x post; the index of a slot. */
#define SHIFT_SLOTS	(32 * SHIFT_MAX * POST_MAX)

struct shift_def {
	char	name[SHIFT_NAME];
	char	label[SHIFT_NAME + 16];	/* "morning 08:00-16:00" */
	int	start_min, end_min;	/* end <= start: runs past midnight */
};

struct shift_conf {
	struct shift_def shifts[SHIFT_MAX];
	size_t		 nshifts;
	char		 posts[POST_MAX][SHIFT_NAME];
	size_t		 nposts;
	bool		 shifts_set, posts_set;	/* the file replaced a default */
};

struct config;
struct config_section;

/* The [shifts] section of the settings (the schedule area registers it),
 * and its values in a config. */
extern const struct config_section shift_section;
const struct shift_conf *shift_conf_of(const struct config *);

/* A6: three shifts around the clock, one post. */
void	shift_config_defaults(struct shift_conf *);
/*
 * One line of [shifts]: `NAME = HH:MM-HH:MM` defines a shift (the first
 * replaces the three defaults), `posts = a,b,c` the posts (the first line
 * replaces the default, more lines add).  0, or -1 with err.
 */
int	shift_config_set(struct shift_conf *, const char *key,
	    const char *value, char *err, size_t errlen);
int	shift_index(const struct shift_conf *, const char *name);
int	post_index(const struct shift_conf *, const char *name);

/* "2026-12" -> 202612; 0 when it is not a month. */
uint32_t shift_month_parse(const char *);
/* Days in a YYYYMM month, 0 when it is not one. */
int	shift_month_days(uint32_t month);
size_t	shift_slot(const Deskd__Assignment *);

/* Every problem found, in order; the list is capped, the count is not. */
#define SCHED_PROBLEMS_MAX	1000
struct sched_problem_entry {
	int		 index;		/* the request's assignment, or -1 */
	char		 text[128];
	const char	*code;		/* text's template, or NULL */
	int		 nargs;
	char		 args[128];	/* its values, each ending in '\0' */
};
struct sched_problems {
	size_t		 n;		/* all of them */
	size_t		 kept;		/* those in v */
	struct sched_problem_entry *v;
};
void	sched_problem(struct sched_problems *, int index, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
void	sched_problems_free(struct sched_problems *);
/* "not published: 3 problems: a; b; c ... and 5 more" within len, its
 * code noted (refuse_fmt); `what` is marked R_() where it is written. */
void	sched_problems_text(const struct sched_problems *, const char *what,
	    char *out, size_t len);

/* Entries a set or an import carries: day in the month, known shift and
 * post, no slot twice in one request. */
void	sched_check_entries(const struct shift_conf *, uint32_t month,
	    Deskd__Assignment *const *, size_t n, struct sched_problems *);
/* A2/A6: every post of every shift of every day staffed, and nobody in two
 * places at once (overlapping shifts, across midnight too). */
void	sched_check_publish(const struct shift_conf *, uint32_t month,
	    Deskd__Assignment *const *, size_t n, struct sched_problems *);
/* Sort assignments by slot (the stored order). */
void	sched_sort(Deskd__Assignment **, size_t n);
/*
 * A5: what changed for each person between two versions, by user name:
 * PersonChange messages whose added/removed arrays point at the given
 * assignments.  Free with sched_changes_free (the assignments stay).
 */
int	sched_diff(Deskd__Assignment *const *old, size_t nold,
	    Deskd__Assignment *const *new, size_t nnew,
	    Deskd__PersonChange ***out, size_t *n);
void	sched_changes_free(Deskd__PersonChange **, size_t n);
/* "2026-12-03 morning front" */
void	sched_slot_name(const struct shift_conf *, uint32_t month,
	    const Deskd__Assignment *, char *, size_t);

#endif
