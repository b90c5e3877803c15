/*
 * audience.c - who receives which event (E6).  Each area describes its
 * events (area.h: prefix, permission, per-record check); this walks them
 * for every event push would send, without allocating unless an event
 * must be decoded for a check.
 */
#include <string.h>

#include "area.h"
#include "audience.h"
#include "conn.h"
#include "push.h"

/* Rules with a check covering one type: more is a broken description. */
#define CHECKS_MAX	8

static bool
rule_covers(const struct event_rule *r, const char *type, size_t tlen)
{
	size_t pl;

	if (r->prefix == NULL)
		return r->covers(type, tlen);
	pl = strlen(r->prefix);
	return pl <= tlen && memcmp(type, r->prefix, pl) == 0;
}

/* A rule's `asked`: a prefix of the subscriber's names the type by it. */
static bool
asked_for(const struct conn *c, const char *asked, const char *type,
    size_t tlen)
{
	for (size_t i = 0; i < c->nprefixes; i++)
		if (strstr(c->prefixes[i], asked) != NULL &&
		    push_type_matches(type, tlen, &c->prefixes[i], 1))
			return true;
	return false;
}

/* The checks on the event, decoded once for all of them. */
static enum push_verdict
checked(const struct conn *c, struct store_txn *t,
    const struct event_rule *const *checks, size_t n, const uint8_t *data,
    size_t len, ProtobufCMessage **edited)
{
	Deskd__Event *ev = deskd__event__unpack(NULL, len, data);
	enum event_sight sight = EVENT_SEEN;

	if (ev == NULL)
		return PUSH_DROP;
	for (size_t i = 0; i < n && sight != EVENT_HIDDEN; i++) {
		enum event_sight one = checks[i]->check(t, c->role, c->user,
		    ev);

		if (one != EVENT_SEEN)
			sight = one;
	}
	if (sight == EVENT_EDITED) {
		*edited = &ev->base;
		return PUSH_SEND_EDITED;
	}
	deskd__event__free_unpacked(ev, NULL);
	return sight == EVENT_SEEN ? PUSH_SEND : PUSH_DROP;
}

enum push_verdict
audience_filter(struct conn *c, struct store_txn *t, const char *type,
    size_t tlen, const uint8_t *data, size_t len, ProtobufCMessage **edited)
{
	const struct event_rule *checks[CHECKS_MAX];
	const struct area *a;
	size_t nchecks = 0;
	bool covered = false;

	for (size_t i = 0; (a = area_nth(i)) != NULL; i++)
		for (size_t j = 0; j < a->nevents; j++) {
			const struct event_rule *r = &a->events[j];

			if (!rule_covers(r, type, tlen))
				continue;
			covered = true;
			if (!perm_allows(c->role, r->op) || (r->asked != NULL &&
			    !asked_for(c, r->asked, type, tlen)))
				return PUSH_DROP;
			if (r->check == NULL || !r->narrowed(c->role))
				continue;
			/* A check left out would show what it hides. */
			if (nchecks == CHECKS_MAX)
				return PUSH_DROP;
			checks[nchecks++] = r;
		}
	if (!covered && !perm_allows(c->role, OP_WATCH))
		return PUSH_DROP;
	if (nchecks == 0)
		return PUSH_SEND;
	return checked(c, t, checks, nchecks, data, len, edited);
}
