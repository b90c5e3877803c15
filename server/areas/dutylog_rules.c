/*
 * dutylog_rules.c - the duty log's pure rules (issue 4: B7-B9).
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "duty_rules.h"
#include "dutylog_rules.h"
#include "wire.h"

uint64_t
spot_splitmix64(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

size_t
spot_count(size_t n)
{
	return (n * SPOT_PCT + 99) / 100;
}

static int
u32_cmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

size_t
spot_draw(uint64_t seed, const uint32_t *cand, size_t n, uint32_t *out)
{
	uint64_t state = seed;
	size_t k = spot_count(n);

	if (n > 0)
		memcpy(out, cand, n * sizeof(*out));
	for (size_t i = 0; i < k; i++) {
		size_t j = i + (size_t)(spot_splitmix64(&state) % (n - i));
		uint32_t tmp = out[i];

		out[i] = out[j];
		out[j] = tmp;
	}
	qsort(out, k, sizeof(*out), u32_cmp);
	return k;
}

static int
spot_drawn(const uint32_t *sel, size_t k, uint32_t day)
{
	for (size_t i = 0; i < k; i++)
		if (sel[i] == day)
			return 1;
	return 0;
}

size_t
spot_topup(uint64_t seed, const uint32_t *cand, size_t n, uint32_t *sel,
    size_t k)
{
	uint64_t state = seed ^ (uint64_t)n << 32;

	while (k < spot_count(n) && k < n) {
		size_t r = (size_t)(spot_splitmix64(&state) % (n - k));

		for (size_t i = 0; i < n; i++)
			if (!spot_drawn(sel, k, cand[i]) && r-- == 0) {
				sel[k++] = cand[i];
				break;
			}
	}
	qsort(sel, k, sizeof(*sel), u32_cmp);
	return k;
}

uint32_t
dutylog_day_at(const struct shift_conf *c, int64_t ms, const char **shift)
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;
	uint32_t date;
	int64_t end;
	int i;

	/* B3: the entry belongs to the shift in progress, so a night shift's
	 * entry after midnight goes to the day the shift began. */
	if (duty_shift_at(c, ms, &date, &i, &end) == 0) {
		*shift = c->shifts[i].name;
		return date;
	}
	*shift = "";
	if (localtime_r(&t, &tm) == NULL)
		return 0;
	return (uint32_t)((tm.tm_year + 1900) * 10000 + (tm.tm_mon + 1) * 100 +
	    tm.tm_mday);
}

struct period_text
period_text(uint32_t period)
{
	struct period_text t;

	wire_period_text(period, t.s, sizeof(t.s));
	return t;
}

int
dutylog_day_valid(uint32_t day)
{
	uint32_t d = day % 100;

	return d >= 1 && (int)d <= shift_month_days(day / 100);
}
