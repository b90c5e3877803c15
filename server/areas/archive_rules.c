/*
 * archive_rules.c - the owner archive's rules (E6) as pure functions: unit codes
 * against the configured pattern, the distance behind near matches, names
 * and dates.
 */
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "archive_rules.h"
#include "text.h"

/* The pattern compiled once; compiled again when the setting changes
 * (tests run several configs in one process). */
static regex_t	re;
static char	re_src[128];
static int	re_ok;

int
archive_code_ok(const char *pattern, const char *code, char *err,
    size_t errlen)
{
	int rc;

	if (!re_ok || strcmp(re_src, pattern) != 0) {
		if (re_ok)
			regfree(&re);
		re_ok = 0;
		if ((rc = regcomp(&re, pattern, REG_EXTENDED | REG_NOSUB)) !=
		    0) {
			char why[128];

			regerror(rc, &re, why, sizeof(why));
			snprintf(err, errlen, "unit_pattern '%s': %s", pattern,
			    why);
			return -1;
		}
		snprintf(re_src, sizeof(re_src), "%s", pattern);
		re_ok = 1;
	}
	return regexec(&re, code, 0, NULL, 0) == 0;
}

size_t
archive_distance(const char *a, size_t alen, const char *b, size_t blen,
    size_t cap)
{
	uint32_t ca[TEXT_DISTANCE_MAX], cb[TEXT_DISTANCE_MAX];

	/* Codes are short; anything longer is simply far. */
	if (alen >= TEXT_DISTANCE_MAX || blen >= TEXT_DISTANCE_MAX)
		return cap;
	for (size_t i = 0; i < alen; i++)
		ca[i] = (unsigned char)a[i];
	for (size_t j = 0; j < blen; j++)
		cb[j] = (unsigned char)b[j];
	return text_distance(ca, alen, cb, blen, 1, cap);
}

const char *
unit_status_name(Deskd__UnitStatus s)
{
	switch (s) {
	case DESKD__UNIT_STATUS__UNIT_OCCUPIED:		return "occupied";
	case DESKD__UNIT_STATUS__UNIT_VACANT:		return "vacant";
	case DESKD__UNIT_STATUS__UNIT_RENOVATION:	return "renovation";
	case DESKD__UNIT_STATUS__UNIT_LET:		return "let";
	default:					return "unset";
	}
}

const char *
person_kind_name(Deskd__PersonKind k)
{
	switch (k) {
	case DESKD__PERSON_KIND__PERSON_OWNER:	return "owner";
	case DESKD__PERSON_KIND__PERSON_TENANT:	return "tenant";
	default:				return "unset";
	}
}

int
archive_date_parse(const char *s, uint32_t *out)
{
	unsigned y, m, d;
	char tail;

	*out = 0;
	if (*s == '\0')
		return 0;
	if (strlen(s) != 10 || sscanf(s, "%4u-%2u-%2u%c", &y, &m, &d,
	    &tail) != 3 || y < 1900 || y > 2200 || m < 1 || m > 12 || d < 1 ||
	    d > 31)
		return -1;
	*out = y * 10000 + m * 100 + d;
	return 0;
}

bool
archive_reveal_alerts(uint32_t before, uint32_t limit)
{
	return before == limit;
}
