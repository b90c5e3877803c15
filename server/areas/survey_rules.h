/*
 * survey_rules.h - surveys' pure rules (issue 15: F2, F3): which questions
 * are scored, what a return must answer, when a campaign is due (F2:
 * before June and before December), its collection window (F3: 15 working
 * days on the office's calendar), and the tally (问卷结果统计表) per
 * question and per building.  No storage: unit-tested alone.
 */
#ifndef DESKD_SURVEY_RULES_H
#define DESKD_SURVEY_RULES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct calendar;

/* F3: returns count this many working days after the opening. */
#define SURVEY_WINDOW_WORKDAYS	15
/* A question is scored 1..SURVEY_SCORE_MAX unless it starts so. */
#define SURVEY_SCORE_MAX	5
#define SURVEY_TEXT_PREFIX	"text:"
#define SURVEY_QUESTIONS_MAX	30
/* The building part of a unit code ("3" of "3-2-1201"), at most. */
#define SURVEY_BUILDING_MAX	32

/* Is the question free text ("text:意见和建议")? */
bool	survey_question_text(const char *);
/*
 * F3: do a return's answers fit the questions: one score (0..5, 0 left
 * blank) a scored question in order, at most one comment a text question.
 * 0, or -1 with why in err (its code noted, refuse_fmt; "nothing
 * stored" said).
 */
int	survey_answers_check(char *const *questions, size_t nquestions,
	    const uint32_t *scores, size_t nscores, size_t ncomments,
	    char *err, size_t errlen);

/* F2: the local midnight a campaign opened at opened_ms must come before:
 * June 1 for one opened December to May, December 1 for June to November. */
int64_t	survey_due_ms(int64_t opened_ms);
/* F2: is YYYYMM a month a campaign is due by (May, November)? */
bool	survey_due_month(uint32_t month);
/* The local month YYYYMM of an instant (0: none). */
uint32_t survey_month_of(int64_t ms);
/* The local midnight starting month YYYYMM (-1: none). */
int64_t	survey_month_start(uint32_t month);
/* F2's ledger line: a campaign counts in `month` while it is open (from
 * the month it opened to the month its window closes) and in the month
 * it was due by. */
bool	survey_in_month(uint32_t month, int64_t opened_ms,
	    int64_t window_end_ms, int64_t due_ms);

/* F3: the end of the collection window of a campaign opened at opened_ms
 * (NULL calendar: weekends only); CALENDAR_ERROR when none. */
int64_t	survey_window_end(const struct calendar *, int64_t opened_ms,
	    int workdays);
bool	survey_late(int64_t returned_ms, int64_t window_end_ms);
/* F3: how many of `handed_out` must come back: at least 50 %. */
uint64_t survey_half_of(uint64_t handed_out);

/* The building of a unit code: its part before the first '-' (the
 * archive's building-entrance-room), or the whole code. */
void	survey_building(const char *unit, char *out, size_t len);

/* Scores given to one question (or in one building). */
struct survey_scores {
	uint32_t	answered;
	uint32_t	count[SURVEY_SCORE_MAX];	/* of 1..5 */
	uint64_t	sum;
};
void	survey_scores_add(struct survey_scores *, uint32_t score);
double	survey_scores_mean(const struct survey_scores *);

struct survey_building {
	char			name[SURVEY_BUILDING_MAX];
	uint32_t		target, handed_out, returned, late;
	struct survey_scores	scores;
};

/* A campaign's tally, fed unit by unit: the occupied units (the 100 %
 * target), the hand-outs and the returns. */
struct survey_tally {
	char *const		*questions;
	size_t			 nquestions;
	struct survey_scores	*q;		/* one a question */
	struct survey_building	*b;		/* by building, in order */
	size_t			 nb, capb;
	uint32_t		 target, handed_out, returned, late;
};

/* 0, or -1 out of memory. */
int	survey_tally_init(struct survey_tally *, char *const *questions,
	    size_t nquestions);
void	survey_tally_free(struct survey_tally *);
int	survey_tally_target(struct survey_tally *, const char *unit);
int	survey_tally_handout(struct survey_tally *, const char *unit);
/* A return: late ones are counted apart, their answers not at all (F3);
 * a comment counts as answering its text question when not empty. */
int	survey_tally_return(struct survey_tally *, const char *unit, bool late,
	    const uint32_t *scores, size_t nscores, char *const *comments,
	    size_t ncomments);
/* F3: at least half of those handed out came back in the window. */
bool	survey_tally_half_back(const struct survey_tally *);

#endif
