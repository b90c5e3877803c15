/* push.c - feeding subscribers from the event log. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "now.h"
#include "conn.h"
#include "log.h"
#include "push.h"

void
push_subscribe(struct conn *c, uint64_t since_seq, uint64_t last_seq,
    char **prefixes, size_t n)
{
	push_unsubscribe(c);
	c->subscribed = true;
	c->replaying = last_seq != PUSH_NO_MARK;
	c->replay_last = last_seq;
	c->next_seq = since_seq + 1;
	c->prefixes = prefixes;
	c->nprefixes = n;
	TAILQ_INSERT_TAIL(&c->srv->subscribers, c, sub_entry);
}

void
push_unsubscribe(struct conn *c)
{
	if (!c->subscribed)
		return;
	TAILQ_REMOVE(&c->srv->subscribers, c, sub_entry);
	c->subscribed = false;
	if (c->catchup_ev != NULL) {
		event_free(c->catchup_ev);
		c->catchup_ev = NULL;
	}
	for (size_t i = 0; i < c->nprefixes; i++)
		free(c->prefixes[i]);
	free(c->prefixes);
	c->prefixes = NULL;
	c->nprefixes = 0;
}

static bool
read_varint(const uint8_t **p, const uint8_t *end, uint64_t *v)
{
	*v = 0;
	for (int shift = 0; shift < 64 && *p < end; shift += 7) {
		uint8_t b = *(*p)++;

		*v |= (uint64_t)(b & 0x7f) << shift;
		if (!(b & 0x80))
			return true;
	}
	return false;
}

bool
push_event_type(const uint8_t *data, size_t len, const char **type,
    size_t *tlen)
{
	const uint8_t *p = data, *end = data + len;
	uint64_t key, v;

	while (p < end) {
		if (!read_varint(&p, end, &key))
			return false;
		switch (key & 7) {
		case 0:
			if (!read_varint(&p, end, &v))
				return false;
			break;
		case 1:
			if (end - p < 8)
				return false;
			p += 8;
			break;
		case 2:
			if (!read_varint(&p, end, &v) || v > (uint64_t)(end - p))
				return false;
			if ((key >> 3) == 4) {
				*type = (const char *)p;
				*tlen = (size_t)v;
				return true;
			}
			p += v;
			break;
		case 5:
			if (end - p < 4)
				return false;
			p += 4;
			break;
		default:
			return false;
		}
	}
	return false;
}

static bool
has_prefix(const char *type, size_t len, const char *prefix)
{
	size_t pl = strlen(prefix);

	return pl <= len && memcmp(type, prefix, pl) == 0;
}

bool
push_type_matches(const char *type, size_t len, char *const *prefixes,
    size_t n)
{
	if (n == 0)
		return true;
	for (size_t i = 0; i < n; i++)
		if (has_prefix(type, len, prefixes[i]))
			return true;
	return false;
}

/*
 * The end of the replay, made visible: with a type filter the last event
 * a subscriber gets may be far before Subscribed.last_seq, so it could not
 * tell "nothing more matched" from "more is coming".  Not stored: its seq
 * is the last one replayed (a resume from it loses nothing).
 */
static void
caught_up(struct conn *c)
{
	Deskd__Event ev = DESKD__EVENT__INIT;
	char summary[64];

	c->replaying = false;
	snprintf(summary, sizeof(summary), "replayed to event %" PRIu64
	    "; live from here", c->replay_last);
	ev.seq = c->replay_last;
	ev.time_ms = server_now_ms();
	ev.type = "subscribe.caught_up";
	ev.summary = summary;
	conn_send_msg(c, WIRE_EVENT, 0, &ev.base);
}

/* The prefixes here, then the core's filter: who may receive it. */
static void
deliver(struct conn *c, struct store_txn *t, const uint8_t *data, size_t len)
{
	ProtobufCMessage *edited = NULL;
	const char *type;
	size_t tlen;

	if (!push_event_type(data, len, &type, &tlen)) {
		if (c->nprefixes == 0)
			conn_send_raw(c, WIRE_EVENT, 0, data, len);
		return;
	}
	if (!push_type_matches(type, tlen, c->prefixes, c->nprefixes))
		return;
	switch (c->srv->handlers->push_filter(c, t, type, tlen, data, len,
	    &edited)) {
	case PUSH_DROP:
		break;
	case PUSH_SEND:
		conn_send_raw(c, WIRE_EVENT, 0, data, len);
		break;
	case PUSH_SEND_EDITED:
		conn_send_msg(c, WIRE_EVENT, 0, edited);
		protobuf_c_message_free_unpacked(edited, NULL);
		break;
	}
}

static void	catch_up_run(evutil_socket_t, short, void *);

/* The rest of a lagging subscriber's events, once nothing else waits. */
static void
catch_up_later(struct conn *c)
{
	if (c->catchup_ev == NULL) {
		c->catchup_ev = event_new(c->srv->base, -1, 0, catch_up_run, c);
		if (c->catchup_ev == NULL ||
		    event_priority_set(c->catchup_ev, PRIO_CATCHUP) != 0) {
			/* The next commit or drain feeds it a slice still. */
			log_warnx("%s: conn %" PRIu64 ": no catch-up event",
			    __func__, c->id);
			if (c->catchup_ev != NULL)
				event_free(c->catchup_ev);
			c->catchup_ev = NULL;
			return;
		}
	}
	event_active(c->catchup_ev, EV_TIMEOUT, 0);
}

/*
 * One pass for one subscriber: from next_seq on, while its output is
 * below high water, this commit's `fresh` events and at most PUSH_SLICE
 * more.  A filter can drop nearly all of a long replay, so without the
 * slice one pass could read the whole log on the loop thread; a subscriber
 * up to date reads just the commit's events, and one behind never falls
 * further behind.
 */
static void
feed(struct conn *c, struct store_txn *t, uint64_t last, uint64_t fresh)
{
	struct server *srv = c->srv;
	size_t high = srv->cfg.out_high_water;
	uint64_t nread = 0;

	if (c->replaying && c->next_seq > c->replay_last)
		caught_up(c);
	while (c->subscribed && c->next_seq <= last && conn_out_len(c) < high) {
		const uint8_t *data;
		size_t len;
		int rc;

		if (nread == fresh + PUSH_SLICE) {
			catch_up_later(c);
			break;
		}
		if ((rc = event_get_raw(t, c->next_seq, &data, &len)) !=
		    STORE_OK) {
			log_warnx("%s: conn %" PRIu64 ": event %" PRIu64 ": %s",
			    __func__, c->id, c->next_seq, store_rc_str(rc));
			break;
		}
		deliver(c, t, data, len);
		c->next_seq++;
		nread++;
		if (c->replaying && c->next_seq > c->replay_last)
			caught_up(c);
	}
	if (nread > fresh && nread - fresh > srv->stats.feed_longest)
		srv->stats.feed_longest = nread - fresh;
}

void
push_feed_all(struct server *srv)
{
	uint64_t fresh = srv->last_seq - srv->pushed_seq;
	struct store_txn t;
	struct conn *c;

	srv->pushed_seq = srv->last_seq;
	if (TAILQ_EMPTY(&srv->subscribers))
		return;
	/* One read transaction serves every subscriber of this commit. */
	if (store_txn_begin(srv->store, NULL, false, &t) != STORE_OK) {
		log_warnx("%s: %s", __func__, store_rc_str(t.err));
		return;
	}
	TAILQ_FOREACH(c, &srv->subscribers, sub_entry)
		feed(c, &t, srv->last_seq, fresh);
	store_txn_abort(&t);
}

void
push_feed_one(struct conn *c)
{
	struct store_txn t;

	if (!c->subscribed || (c->next_seq > c->srv->last_seq &&
	    !c->replaying))
		return;
	if (store_txn_begin(c->srv->store, NULL, false, &t) != STORE_OK) {
		log_warnx("%s: %s", __func__, store_rc_str(t.err));
		return;
	}
	feed(c, &t, c->srv->last_seq, 0);
	store_txn_abort(&t);
}

static void
catch_up_run(evutil_socket_t fd, short what, void *arg)
{
	struct conn *c = arg;

	(void)fd;
	(void)what;
	c->srv->stats.feed_slices++;
	push_feed_one(c);
}
