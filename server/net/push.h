/*
 * push.h - live events.  A subscriber is fed from the committed event log,
 * never from a per-client queue: live push, replay after reconnect and
 * catching up after falling behind are one path, and a desk that stops
 * reading costs at most its output high-water mark.
 */
#ifndef DESKD_PUSH_H
#define DESKD_PUSH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct conn;
struct server;

/* Takes ownership of prefixes (each string and the array).  last_seq is
 * the Subscribed reply's: once the replay has passed it, the subscriber
 * gets a subscribe.caught_up event with that seq; PUSH_NO_MARK: none. */
#define PUSH_NO_MARK	UINT64_MAX
/* The most events of its backlog one pass reads for one subscriber,
 * beyond what the commit added: a lagging one gets the rest in later
 * passes, after live requests and commits. */
#define PUSH_SLICE	256
void	push_subscribe(struct conn *, uint64_t since_seq, uint64_t last_seq,
	    char **prefixes, size_t n);
void	push_unsubscribe(struct conn *);
/* After a commit: every subscriber gets what it is owed, up to high water
 * and a slice each. */
void	push_feed_all(struct server *);
/* One subscriber whose output drained. */
void	push_feed_one(struct conn *);

/* Pure helpers, unit-tested. */
bool	push_type_matches(const char *type, size_t len, char *const *prefixes,
	    size_t n);
/* Finds field 4 (type) in an encoded Event without decoding the rest. */
bool	push_event_type(const uint8_t *, size_t, const char **type,
	    size_t *len);

#endif
