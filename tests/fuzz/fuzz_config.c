/*
 * fuzz_config.c - the files an operator writes, as deskd reads them: the
 * config file ([server], [clocks], [shifts], [handover] ...) and the
 * working-day calendar, each from the same bytes; a calendar that loads is
 * then asked what the deadlines ask of it.  A refusal must say why.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "area.h"
#include "calendar.h"
#include "config.h"
#include "deadline.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
ask(const struct calendar *cal)
{
	int first, last;

	if (calendar_years(cal, &first, &last)) {
		for (int d = 1; d <= 31; d += 3)
			(void)calendar_is_working_day(cal, first, 1 + d % 12,
			    d);
	}
	/* Two working days from a few moments, as C4 and D5 count. */
	for (int64_t ms = 0; ms < 4LL * 365 * 86400000; ms += 97LL * 86400000)
		(void)calendar_add_working_days(cal, 1735689600000LL + ms, 2);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct calendar *cal = NULL;
	struct config cfg;
	char *text, err[512];

	/* The sections ([clocks], [shifts], ...) are the areas', as in deskd
	 * (registering twice is a no-op). */
	area_register_all(area_list);
	clock_rules_register();
	/* NUL-terminated and exact in size: a read past it is ASan's. */
	if ((text = malloc(len + 1)) == NULL)
		return 0;
	memcpy(text, data, len);
	text[len] = '\0';
	config_defaults(&cfg);
	err[0] = '\0';
	if (config_load_string(&cfg, "fuzz.ini", text, err, sizeof(err)) != 0 &&
	    err[0] == '\0')
		abort();
	err[0] = '\0';
	if (calendar_load_string(&cal, "fuzz.ini", text, err,
	    sizeof(err)) != 0) {
		if (err[0] == '\0')
			abort();
	} else {
		ask(cal);
		calendar_free(cal);
	}
	free(text);
	return 0;
}
