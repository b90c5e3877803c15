/* guard.c - failed-login accounting (see guard.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "guard.h"

/*
 * Each table is set-associative: a key hashes to a set of a few entries,
 * and a new key evicts the one with the fewest failures (then the oldest),
 * never one being checked.  A guesser flooding fresh names so evicts other
 * fresh names, not the count of the name it is after.
 */
#define GUARD_SETS	1024
#define GUARD_WAYS	4
#define BURST_RING_MAX	4096

struct guard_entry {
	char		key[96];
	bool		used;
	uint32_t	fails;		/* as of last_ms */
	int64_t		last_ms;	/* last failure (or success) */
	int64_t		next_ok_ms;	/* no check before this */
	uint32_t	inflight;	/* admitted, not yet done */
	/* sources only: the failure log's interval */
	int64_t		log_start_ms;
	uint32_t	logged, suppressed;
};

struct guard_table {
	struct guard_entry e[GUARD_SETS][GUARD_WAYS];
};

static struct guard_conf conf = { 250, 8000, 15 * 60 * 1000, 5, 60 * 1000,
	20, 60 * 1000 };
static struct guard_table users, sources, known;
static int64_t	 burst_ring[BURST_RING_MAX];
static uint64_t	 burst_n;
static bool	 burst_alerted;

int64_t
guard_backoff_ms(int64_t base_ms, int64_t max_ms, uint32_t fails)
{
	int64_t delay;

	if (fails == 0)
		return 0;
	/* Past 2^20 the cap has long been reached; no shift overflows. */
	delay = base_ms << (fails - 1 > 20 ? 20 : fails - 1);
	return delay > max_ms ? max_ms : delay;
}

uint32_t
guard_decayed(uint32_t fails, int64_t quiet_ms, int64_t decay_ms)
{
	int64_t halvings;

	if (decay_ms <= 0 || quiet_ms < decay_ms)
		return fails;
	halvings = quiet_ms / decay_ms;
	return halvings >= 32 ? 0 : fails >> halvings;
}

bool
guard_is_console(const char *ip)
{
	return strncmp(ip, "127.", 4) == 0 || strcmp(ip, "::1") == 0 ||
	    strncmp(ip, "::ffff:127.", 11) == 0;
}

void
guard_source(const char *peer, char *ip, size_t len)
{
	const char *colon = strrchr(peer, ':');
	size_t n = colon ? (size_t)(colon - peer) : strlen(peer);

	snprintf(ip, len, "%.*s", (int)n, peer);
}

void
guard_configure(const struct guard_conf *c)
{
	conf = *c;
	if (conf.burst > BURST_RING_MAX)
		conf.burst = BURST_RING_MAX;
}

void
guard_reset(void)
{
	memset(&users, 0, sizeof(users));
	memset(&sources, 0, sizeof(sources));
	memset(&known, 0, sizeof(known));
	burst_n = 0;
	burst_alerted = false;
}

static uint32_t
fails_now(const struct guard_entry *e, int64_t now)
{
	return guard_decayed(e->fails, now - e->last_ms, conf.decay_ms);
}

static struct guard_entry *
find(struct guard_table *t, const char *key, bool create, int64_t now)
{
	struct guard_entry *set, *victim = NULL;
	uint32_t h = 2166136261u;

	for (const char *p = key; *p; p++)
		h = (h ^ (uint8_t)*p) * 16777619u;
	set = t->e[h % GUARD_SETS];
	for (int i = 0; i < GUARD_WAYS; i++)
		if (set[i].used && strcmp(set[i].key, key) == 0)
			return &set[i];
	if (!create)
		return NULL;
	for (int i = 0; i < GUARD_WAYS; i++) {
		struct guard_entry *e = &set[i];

		if (!e->used) {
			victim = e;
			break;
		}
		if (e->inflight > 0)
			continue;
		if (victim == NULL || fails_now(e, now) <
		    fails_now(victim, now) || (fails_now(e, now) ==
		    fails_now(victim, now) && e->last_ms < victim->last_ms))
			victim = e;
	}
	if (victim == NULL)
		return NULL;
	memset(victim, 0, sizeof(*victim));
	victim->used = true;
	victim->last_ms = now;
	snprintf(victim->key, sizeof(victim->key), "%s", key);
	return victim;
}

/* The console's failures for a name are counted apart from the network's:
 * a remote guesser's lockout of `admin` never delays the admin at the
 * server's own keyboard. */
static struct guard_entry *
user_entry(const char *user, const char *ip, bool create, int64_t now)
{
	char key[96];

	snprintf(key, sizeof(key), "%c:%s", guard_is_console(ip) ? 'c' : 'r',
	    user);
	return find(&users, key, create, now);
}

static void
pair_key(const char *user, const char *ip, char *key, size_t len)
{
	snprintf(key, len, "%s\x1f%s", user, ip);
}

int64_t
guard_admit(const char *user, const char *ip, int64_t now)
{
	struct guard_entry *u, *s = NULL;

	/* One check at a time per name: more connections guess no faster. */
	if ((u = user_entry(user, ip, true, now)) == NULL || u->inflight > 0)
		return conf.base_ms;
	if (now < u->next_ok_ms)
		return u->next_ok_ms - now;
	if (!guard_is_console(ip)) {
		if ((s = find(&sources, ip, true, now)) == NULL)
			return conf.base_ms;
		if (now < s->next_ok_ms)
			return s->next_ok_ms - now;
		/* A source that failed is checked one login at a time; one
		 * that did not (an office at 08:00) is not held up. */
		if (fails_now(s, now) > 0 && s->inflight > 0)
			return conf.base_ms;
		s->inflight++;
	}
	u->inflight++;
	return 0;
}

static void
note_burst(int64_t now, struct guard_report *r)
{
	uint64_t i = burst_n++;
	int64_t oldest;

	if (conf.burst == 0)
		return;
	burst_ring[i % conf.burst] = now;
	if (burst_n < conf.burst) {
		burst_alerted = false;
		return;
	}
	oldest = burst_ring[(i + 1) % conf.burst];
	if (now - oldest >= conf.burst_window_ms) {
		/* Fewer than `burst` in the window: that burst is over. */
		burst_alerted = false;
		return;
	}
	if (!burst_alerted) {
		burst_alerted = true;
		r->burst = true;
		r->burst_count = conf.burst;
	}
}

static void
note_log(struct guard_entry *s, int64_t now, struct guard_report *r)
{
	if (s->logged + s->suppressed > 0 &&
	    now - s->log_start_ms >= conf.log_every_ms) {
		r->suppressed = s->suppressed;
		s->logged = s->suppressed = 0;
	}
	if (s->logged + s->suppressed == 0)
		s->log_start_ms = now;
	if (s->logged < conf.log_lines) {
		s->logged++;
		r->log_line = true;
	} else
		s->suppressed++;
}

static void
note_failure(struct guard_entry *e, int64_t now)
{
	e->fails = fails_now(e, now) + 1;
	e->last_ms = now;
	e->next_ok_ms = now + guard_backoff_ms(conf.base_ms, conf.max_ms,
	    e->fails);
}

void
guard_done(const char *user, const char *ip, enum guard_outcome outcome,
    int64_t now, struct guard_report *r)
{
	bool console = guard_is_console(ip);
	struct guard_entry *u, *s, *k;
	char key[96];

	memset(r, 0, sizeof(*r));
	snprintf(r->source, sizeof(r->source), "%s", ip);
	u = user_entry(user, ip, outcome == GUARD_FAILED, now);
	s = find(&sources, ip, outcome == GUARD_FAILED, now);
	if (u != NULL && u->inflight > 0)
		u->inflight--;
	if (s != NULL && !console && s->inflight > 0)
		s->inflight--;
	switch (outcome) {
	case GUARD_UNCHECKED:
		break;
	case GUARD_OK:
		if (u != NULL)
			u->fails = 0, u->next_ok_ms = 0;
		/* Halved, not cleared: a guesser with one good account of
		 * its own does not wipe its address's record by using it. */
		if (s != NULL) {
			s->fails = fails_now(s, now) / 2;
			s->last_ms = now;
			s->next_ok_ms = 0;
		}
		pair_key(user, ip, key, sizeof(key));
		if ((k = find(&known, key, true, now)) != NULL)
			k->last_ms = now;
		break;
	case GUARD_FAILED:
		if (u != NULL) {
			note_failure(u, now);
			r->user_fails = u->fails;
		}
		if (s != NULL) {
			/* The console's count is reported, never waited on. */
			note_failure(s, now);
			r->source_fails = s->fails;
			note_log(s, now, r);
		} else
			r->log_line = true;
		note_burst(now, r);
		break;
	}
}

int64_t
guard_reply_delay(const char *user, const char *ip, uint32_t conn_failures,
    int64_t now)
{
	struct guard_entry *u = user_entry(user, ip, false, now), *s;
	uint32_t n = conn_failures;

	if (u != NULL && fails_now(u, now) > n)
		n = fails_now(u, now);
	if (!guard_is_console(ip) && (s = find(&sources, ip, false, now)) &&
	    fails_now(s, now) > n)
		n = fails_now(s, now);
	return guard_backoff_ms(conf.base_ms, conf.max_ms, n ? n : 1);
}

bool
guard_known(const char *user, const char *ip)
{
	char key[96];

	pair_key(user, ip, key, sizeof(key));
	return find(&known, key, false, 0) != NULL;
}

void
guard_tick(int64_t now, void (*fn)(const struct guard_report *, void *),
    void *arg)
{
	for (size_t i = 0; i < GUARD_SETS; i++)
		for (size_t w = 0; w < GUARD_WAYS; w++) {
			struct guard_entry *s = &sources.e[i][w];
			struct guard_report r;

			if (!s->used || s->suppressed == 0 ||
			    now - s->log_start_ms < conf.log_every_ms)
				continue;
			memset(&r, 0, sizeof(r));
			snprintf(r.source, sizeof(r.source), "%.*s",
			    (int)sizeof(r.source) - 1, s->key);
			r.suppressed = s->suppressed;
			r.source_fails = fails_now(s, now);
			s->log_start_ms = now;
			s->logged = s->suppressed = 0;
			fn(&r, arg);
		}
}
