/*
 * survey_rules.c - surveys' pure rules (issue 15: F2, F3); see
 * survey_rules.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "calendar.h"
#include "refuse.h"
#include "survey_rules.h"

bool
survey_question_text(const char *q)
{
	return strncmp(q, SURVEY_TEXT_PREFIX, strlen(SURVEY_TEXT_PREFIX)) == 0;
}

static size_t
text_questions(char *const *questions, size_t n)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++)
		if (survey_question_text(questions[i]))
			k++;
	return k;
}

int
survey_answers_check(char *const *questions, size_t nquestions,
    const uint32_t *scores, size_t nscores, size_t ncomments, char *err,
    size_t errlen)
{
	size_t ntext = text_questions(questions, nquestions);
	size_t nscored = nquestions - ntext;

	if (nscores != nscored) {
		refuse_fmt(err, errlen, "scores: %zu given, the survey has %zu "
		    "scored question%s (0 for one left blank); nothing stored",
		    nscores, nscored, nscored == 1 ? "" : "s");
		return -1;
	}
	for (size_t i = 0; i < nscores; i++)
		if (scores[i] > SURVEY_SCORE_MAX) {
			refuse_fmt(err, errlen, "scores: the %zu%s score is "
			    "%u, not 1-%d (0: left blank); nothing stored",
			    i + 1, i == 0 ? "st" : i == 1 ? "nd" : i == 2 ?
			    "rd" : "th", scores[i], SURVEY_SCORE_MAX);
			return -1;
		}
	if (ncomments > ntext) {
		refuse_fmt(err, errlen, "comments: %zu given, the survey has "
		    "%zu text question%s; nothing stored", ncomments, ntext,
		    ntext == 1 ? "" : "s");
		return -1;
	}
	return 0;
}

/* Local midnight of y-m-d (month 1..12, any overflow normalised). */
static int64_t
local_midnight(int y, int m, int d)
{
	struct tm tm = { .tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = d,
	    .tm_isdst = -1 };
	time_t t = mktime(&tm);

	return t == (time_t)-1 ? -1 : (int64_t)t * 1000;
}

static bool
local_tm(int64_t ms, struct tm *tm)
{
	time_t t = (time_t)(ms / 1000);

	return localtime_r(&t, tm) != NULL;
}

int64_t
survey_due_ms(int64_t opened_ms)
{
	struct tm tm;
	int y, m;

	if (!local_tm(opened_ms, &tm))
		return -1;
	y = tm.tm_year + 1900;
	m = tm.tm_mon + 1;
	/* F2: before June (December to May), before December (June to
	 * November). */
	if (m >= 6 && m <= 11)
		return local_midnight(y, 12, 1);
	return local_midnight(m == 12 ? y + 1 : y, 6, 1);
}

bool
survey_due_month(uint32_t month)
{
	return month % 100 == 5 || month % 100 == 11;
}

uint32_t
survey_month_of(int64_t ms)
{
	struct tm tm;

	if (ms <= 0 || !local_tm(ms, &tm))
		return 0;
	return (uint32_t)(tm.tm_year + 1900) * 100 + (uint32_t)tm.tm_mon + 1;
}

int64_t
survey_month_start(uint32_t month)
{
	if (month % 100 < 1 || month % 100 > 12)
		return -1;
	return local_midnight((int)(month / 100), (int)(month % 100), 1);
}

bool
survey_in_month(uint32_t month, int64_t opened_ms, int64_t window_end_ms,
    int64_t due_ms)
{
	uint32_t from = survey_month_of(opened_ms);
	uint32_t to = survey_month_of(window_end_ms);

	/* due_ms is the midnight after the due day: its month is the next. */
	if (survey_due_month(month) && survey_month_of(due_ms - 1) == month)
		return true;
	return from != 0 && from <= month && month <= to;
}

int64_t
survey_window_end(const struct calendar *cal, int64_t opened_ms,
    int workdays)
{
	struct calendar *plain = NULL;
	int64_t end;

	if (cal == NULL && (cal = plain = calendar_new()) == NULL)
		return CALENDAR_ERROR;
	end = calendar_add_working_days(cal, opened_ms, workdays);
	calendar_free(plain);
	return end;
}

bool
survey_late(int64_t returned_ms, int64_t window_end_ms)
{
	return returned_ms > window_end_ms;
}

uint64_t
survey_half_of(uint64_t handed_out)
{
	return handed_out / 2 + handed_out % 2;
}

void
survey_building(const char *unit, char *out, size_t len)
{
	size_t n = strcspn(unit, "-");

	snprintf(out, len, "%.*s", (int)n, unit);
}

void
survey_scores_add(struct survey_scores *s, uint32_t score)
{
	if (score < 1 || score > SURVEY_SCORE_MAX)
		return;
	s->answered++;
	s->count[score - 1]++;
	s->sum += score;
}

double
survey_scores_mean(const struct survey_scores *s)
{
	return s->answered ? (double)s->sum / s->answered : 0.0;
}

/* ---------- the tally ---------- */

int
survey_tally_init(struct survey_tally *t, char *const *questions,
    size_t nquestions)
{
	memset(t, 0, sizeof(*t));
	t->questions = questions;
	t->nquestions = nquestions;
	if ((t->q = calloc(nquestions ? nquestions : 1, sizeof(*t->q))) ==
	    NULL)
		return -1;
	return 0;
}

void
survey_tally_free(struct survey_tally *t)
{
	free(t->q);
	free(t->b);
	memset(t, 0, sizeof(*t));
}

/* Buildings in their numbers' order ("2" before "10"), names otherwise. */
static int
building_cmp(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);

	if (la != lb && strspn(a, "0123456789") == la &&
	    strspn(b, "0123456789") == lb)
		return la < lb ? -1 : 1;
	return strcmp(a, b);
}

/* The unit's building, added in order when new; NULL out of memory. */
static struct survey_building *
building_of(struct survey_tally *t, const char *unit)
{
	char name[SURVEY_BUILDING_MAX];
	size_t i;
	int c = 1;

	survey_building(unit, name, sizeof(name));
	for (i = 0; i < t->nb && (c = building_cmp(t->b[i].name, name)) < 0;
	    i++)
		;
	if (i < t->nb && c == 0)
		return &t->b[i];
	if (t->nb == t->capb) {
		size_t cap = t->capb ? t->capb * 2 : 8;
		struct survey_building *nb = reallocarray(t->b, cap,
		    sizeof(*nb));

		if (nb == NULL)
			return NULL;
		t->b = nb;
		t->capb = cap;
	}
	memmove(&t->b[i + 1], &t->b[i], (t->nb - i) * sizeof(*t->b));
	memset(&t->b[i], 0, sizeof(*t->b));
	snprintf(t->b[i].name, sizeof(t->b[i].name), "%s", name);
	t->nb++;
	return &t->b[i];
}

/* An occupied unit (the target) or a hand-out, in its building too. */
static int
count_unit(struct survey_tally *t, const char *unit, bool handout)
{
	struct survey_building *b = building_of(t, unit);

	if (b == NULL)
		return -1;
	if (handout) {
		b->handed_out++;
		t->handed_out++;
	} else {
		b->target++;
		t->target++;
	}
	return 0;
}

int
survey_tally_target(struct survey_tally *t, const char *unit)
{
	return count_unit(t, unit, false);
}

int
survey_tally_handout(struct survey_tally *t, const char *unit)
{
	return count_unit(t, unit, true);
}

int
survey_tally_return(struct survey_tally *t, const char *unit, bool late,
    const uint32_t *scores, size_t nscores, char *const *comments,
    size_t ncomments)
{
	struct survey_building *b = building_of(t, unit);
	size_t si = 0, ci = 0;

	if (b == NULL)
		return -1;
	if (late) {
		b->late++;
		t->late++;
		return 0;
	}
	b->returned++;
	t->returned++;
	for (size_t i = 0; i < t->nquestions; i++) {
		if (!survey_question_text(t->questions[i])) {
			if (si < nscores) {
				survey_scores_add(&t->q[i], scores[si]);
				survey_scores_add(&b->scores, scores[si]);
			}
			si++;
		} else {
			if (ci < ncomments && *comments[ci])
				t->q[i].answered++;
			ci++;
		}
	}
	return 0;
}

bool
survey_tally_half_back(const struct survey_tally *t)
{
	return t->handed_out > 0 && t->returned >= survey_half_of(
	    t->handed_out);
}
