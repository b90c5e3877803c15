/*
 * fuzz_calendar.c - the working-day calendar file (server/util/calendar.c) on
 * its own, so the fuzzer steers by the calendar's parser rather than the
 * config's: the bytes as a file, and their first line as calendar_add's
 * dates.  A refusal must say why; a calendar that loads must keep what its
 * header promises: years within 1970..2199, a listed holiday is a day off,
 * n working days on from a working day lands on one, and counting back n
 * from there comes home.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "calendar.h"

int	LLVMFuzzerInitialize(int *, char ***);
int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define DAY_MS	86400000LL

/* A deadline's promise: forward n working days, then back n. */
static void
round_trip(const struct calendar *cal, int64_t from, int n)
{
	time_t t = (time_t)(from / 1000);
	int64_t to, back;
	struct tm tm;

	if (localtime_r(&t, &tm) == NULL || !calendar_is_working_day(cal,
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday))
		return;
	if ((to = calendar_add_working_days(cal, from, n)) == CALENDAR_ERROR)
		return;
	t = (time_t)(to / 1000);
	if (to <= from || localtime_r(&t, &tm) == NULL ||
	    !calendar_is_working_day(cal, tm.tm_year + 1900, tm.tm_mon + 1,
	    tm.tm_mday))
		abort();
	back = calendar_add_working_days(cal, to, -n);
	if (back != from)
		abort();
}

static void
ask(const struct calendar *cal, const uint8_t *data, size_t len)
{
	const struct calendar_holiday *h;
	int first, last;
	size_t n;

	if (calendar_years(cal, &first, &last) && (first > last ||
	    first < 1970 || last > 2199))
		abort();
	if ((h = calendar_holidays(cal, &n)) != NULL) {
		for (size_t i = 0; i < n && i < 8; i++) {
			uint32_t d = h[i].first;

			if (h[i].first > h[i].last ||
			    calendar_is_working_day(cal, (int)(d / 10000),
			    (int)(d / 100 % 100), (int)(d % 100)))
				abort();
		}
	}
	/* Noon, local, on days spread over the calendar's years; n from
	 * the data so long counts (F3's 15) are tried too. */
	for (int i = 0; i < 12; i++) {
		int64_t from = 1735689600000LL + 4 * 3600000LL +
		    (int64_t)i * 61 * DAY_MS;

		round_trip(cal, from, 1 + (len > (size_t)i ? data[i] % 40 : i));
	}
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	/* deskd's zone (no daylight saving): dates as the desks see them. */
	setenv("TZ", "Asia/Shanghai", 1);
	tzset();
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct calendar *cal = NULL, *lines;
	char *text, *nl, err[512];

	/* NUL-terminated and exact in size: a read past it is ASan's. */
	if ((text = malloc(len + 1)) == NULL)
		return 0;
	memcpy(text, data, len);
	text[len] = '\0';
	err[0] = '\0';
	if (calendar_load_string(&cal, "fuzz.ini", text, err,
	    sizeof(err)) != 0) {
		if (err[0] == '\0')
			abort();
	} else {
		ask(cal, data, len);
		calendar_free(cal);
	}
	/* The first line as one entry, as calendar_add takes it. */
	if ((nl = strchr(text, '\n')) != NULL)
		*nl = '\0';
	if ((lines = calendar_new()) != NULL) {
		err[0] = '\0';
		if (calendar_add(lines, len > 0 && data[len - 1] % 2 ?
		    CALENDAR_WORKDAY : CALENDAR_HOLIDAY, text, err,
		    sizeof(err)) != 0 && err[0] == '\0')
			abort();
		ask(lines, data, len);
		calendar_free(lines);
	}
	free(text);
	return 0;
}
