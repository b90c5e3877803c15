/*
 * training_rules.c - drills and training's pure rules (G5, F5); see
 * training_rules.h.
 */
#include <string.h>

#include "training_rules.h"

void
training_standing_add(struct training_standing *s, bool pass, int64_t held_ms)
{
	if (!pass) {
		s->fails++;
		if (held_ms > s->last_fail_ms)
			s->last_fail_ms = held_ms;
		return;
	}
	s->passes++;
	/* Only the two latest count for G5: keep them in order. */
	if (held_ms > s->last_pass_ms) {
		s->prev_pass_ms = s->last_pass_ms;
		s->last_pass_ms = held_ms;
	} else if (held_ms > s->prev_pass_ms)
		s->prev_pass_ms = held_ms;
}

bool
training_retake_open(const struct training_standing *s)
{
	/* A pass of the failed session's own time is no later one. */
	return s->fails > 0 && s->last_pass_ms <= s->last_fail_ms;
}

int64_t
training_falls_below_ms(const struct training_standing *s)
{
	if (s->passes == 0)
		return 0;
	return (s->passes > 1 ? s->prev_pass_ms : s->last_pass_ms) +
	    TRAINING_YEAR_MS;
}

const char *
training_state(const struct training_standing *s)
{
	return training_retake_open(s) ? "retake" : "trained";
}

bool
training_participant(const char *person, char *const *participants, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(participants[i], person) == 0)
			return true;
	return false;
}
