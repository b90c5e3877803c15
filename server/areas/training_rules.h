/*
 * training_rules.h - drills and training's pure rules (issue 14: G5, F5):
 * where a person stands in a subject of training after each result, when
 * a retake is open (F5: pass rate 100 %), and when someone falls below two
 * passed trainings in 12 months (G5).  No storage: unit-tested alone.
 */
#ifndef DESKD_TRAINING_RULES_H
#define DESKD_TRAINING_RULES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* G5: "a year" of the twice-a-year rule, as a span of time. */
#define TRAINING_YEAR_MS	(365LL * 24 * 60 * 60 * 1000)

/* The subjects of a session; G5 counts fire. */
#define TRAINING_SUBJECTS	"fire service other"
#define TRAINING_FIRE		"fire"

/* One person's results in one subject, by the sessions' times: the two
 * latest passes and the latest fail. */
struct training_standing {
	int64_t		last_pass_ms;
	int64_t		prev_pass_ms;
	int64_t		last_fail_ms;
	uint32_t	passes;
	uint32_t	fails;
};

/* A result of a session held at held_ms; results may come in any order
 * (an import of last year's sheet). */
void	training_standing_add(struct training_standing *, bool pass,
	    int64_t held_ms);
/* F5: failed, and passed no session held after the failed one. */
bool	training_retake_open(const struct training_standing *);
/* G5: from when the person has fewer than two passes in the 12 months
 * before: a year after the second latest pass, or after the only one;
 * 0 without any pass. */
int64_t	training_falls_below_ms(const struct training_standing *);
/* "trained" or "retake" (F5). */
const char *training_state(const struct training_standing *);
/* Is person one of the n participants? */
bool	training_participant(const char *person, char *const *participants,
	    size_t n);

#endif
