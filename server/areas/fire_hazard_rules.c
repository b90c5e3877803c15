/*
 * fire_hazard_rules.c - G3: a hazard's severities and clocks, its notice
 * number, the re-check by another person (fire_hazard_rules.h).
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "fire_hazard_rules.h"
#include "refuse.h"

static const struct {
	const char	*severity, *clock;
} severity_clocks[] = {
	{ "low", CLOCK_HAZARD_LOW },
	{ "medium", CLOCK_HAZARD_MEDIUM },
	{ "high", CLOCK_HAZARD_HIGH },
	{ "critical", CLOCK_HAZARD_CRITICAL },
};

const char *
hazard_clock(const char *severity)
{
	for (size_t i = 0; i < sizeof(severity_clocks) /
	    sizeof(severity_clocks[0]); i++)
		if (strcmp(severity, severity_clocks[i].severity) == 0)
			return severity_clocks[i].clock;
	return NULL;
}

void
hazard_notice_no(char *out, size_t len, int64_t registered_ms, uint64_t id)
{
	time_t t = (time_t)(registered_ms / 1000);
	struct tm tm;

	localtime_r(&t, &tm);
	snprintf(out, len, "XF-%04d-%04" PRIu64, tm.tm_year + 1900, id);
}

Deskd__Status
hazard_recheck_check(uint64_t id, const char *fixer, const char *actor,
    const char *action, char *msg, size_t len)
{
	if (strcmp(fixer, actor) != 0)
		return DESKD__STATUS__OK;
	refuse_fmt(msg, len, "hazard %" PRIu64 " was fixed by %s: the re-check "
	    "(%s) is someone else's (G3)", id, fixer, action);
	return DESKD__STATUS__CONFLICT;
}
