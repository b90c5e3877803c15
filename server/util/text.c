/* text.c - cutting and joining the texts events and replies carry. */
#include <stdio.h>
#include <string.h>

#include "refuse.h"
#include "text.h"

void
text_excerpt(char *out, size_t outlen, const char *s, size_t max)
{
	size_t i = 0, chars = 0;

	/* Keep room for the ellipsis (3 bytes) and the NUL: a cut character
	 * would make the event's text invalid UTF-8 for ever. */
	while (s[i] && chars < max) {
		size_t n = 1;

		while ((s[i + n] & 0xc0) == 0x80)
			n++;
		if (i + n + sizeof("…") > outlen)
			break;
		i += n;
		chars++;
	}
	memcpy(out, s, i);
	out[i] = '\0';
	if (s[i])
		memcpy(out + i, "…", sizeof("…"));
}

void
text_join(char *out, size_t outlen, const char *const *parts, size_t n)
{
	size_t at = 0;

	for (size_t i = 0; i < n && at + 1 < outlen; i++) {
		size_t len = strlen(parts[i]);

		if (len > outlen - 1 - at)
			len = outlen - 1 - at;
		memcpy(out + at, parts[i], len);
		at += len;
	}
	if (outlen > 0)
		out[at] = '\0';
}

Deskd__Status
text_refuse(char *msg, size_t len, Deskd__Status st, const char *reason)
{
	refuse_text(msg, len, reason);
	return st;
}

size_t
text_distance(const uint32_t *a, size_t na, const uint32_t *b, size_t nb,
    size_t change, size_t cap)
{
	size_t row[TEXT_DISTANCE_MAX + 1];

	if (na > TEXT_DISTANCE_MAX || nb > TEXT_DISTANCE_MAX)
		return cap;
	/* One row at a time; a row's least is a bound on the rest. */
	for (size_t j = 0; j <= nb; j++)
		row[j] = j;
	for (size_t i = 1; i <= na; i++) {
		size_t diag = row[0], least;

		least = row[0] = i;
		for (size_t j = 1; j <= nb; j++) {
			size_t up = row[j], v = diag +
			    (a[i - 1] != b[j - 1] ? change : 0);

			if (up + 1 < v)
				v = up + 1;
			if (row[j - 1] + 1 < v)
				v = row[j - 1] + 1;
			diag = up;
			row[j] = v;
			if (v < least)
				least = v;
		}
		if (least >= cap)
			return cap;
	}
	return row[nb] < cap ? row[nb] : cap;
}
