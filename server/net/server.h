/*
 * server.h - the one deskd instance: event base, TLS context, store, the
 * connections and the group-commit queue.
 */
#ifndef DESKD_SERVER_H
#define DESKD_SERVER_H

#include <sys/queue.h>

#include <stdbool.h>
#include <stdint.h>

#include <event2/event.h>
#include <event2/listener.h>
#include <openssl/ssl.h>
#include <protobuf-c/protobuf-c.h>

#include "admit.h"
#include "config.h"
#include "now.h"
#include "store.h"
#include "wire.h"

struct conn;
struct pending;

TAILQ_HEAD(conn_list, conn);
TAILQ_HEAD(pending_list, pending);

struct server_stats {
	uint64_t	accepted;
	uint64_t	closed;
	uint64_t	tls_errors;
	uint64_t	requests;
	uint64_t	commits;
	uint64_t	commit_us;	/* in the batches' store_txn_commit:
					 * the counts written last, then the
					 * page writes and fsyncs (the disk) */
	uint64_t	commit_max_us;
	uint64_t	map_grows;
	uint64_t	evicted;	/* not logged in, made room for another */
	uint64_t	refused;	/* at the cap with nobody to evict */
	uint64_t	accept_failed;	/* accept() errors (EMFILE...) */
	uint64_t	feed_longest;	/* most events of the backlog (beyond
					 * the commit's own) one pass read */
	uint64_t	feed_slices;	/* catch-up passes run at PRIO_CATCHUP */
};

/* push's filter's answer for one event and subscriber (net_handlers).
 * PUSH_SEND_EDITED: send *edited instead of the stored bytes; push frees
 * it with protobuf_c_message_free_unpacked. */
enum push_verdict {
	PUSH_DROP,
	PUSH_SEND,
	PUSH_SEND_EDITED,
};

/*
 * What net hands up, set once at start by the core (dispatch_attach): net
 * reaches above itself only through these, and conn reaches push (which
 * uses conn) only through drained and closing.
 */
struct net_handlers {
	/* One whole request frame. */
	void	(*request)(struct conn *, uint32_t request_id,
		    const uint8_t *payload, size_t len);
	/* A header that fails its checks: nothing more is read. */
	void	(*frame_error)(struct conn *, const struct wire_header *,
		    enum wire_check);
	/* The output is below low water, or the connection closed: the
	 * replies held for it go on (or are refused). */
	void	(*replies_resume)(struct conn *);
	/* A subscriber's output drained below low water: feed it further. */
	void	(*drained)(struct conn *);
	/* The connection is closing: no more events for it. */
	void	(*closing)(struct conn *);
	/* Whether a subscriber receives an event that passed its prefixes:
	 * who may receive what is the core's (core/audience.c). */
	enum push_verdict (*push_filter)(struct conn *, struct store_txn *,
		    const char *type, size_t tlen, const uint8_t *data,
		    size_t len, ProtobufCMessage **edited);
};

/* What happened to connections since the last line about it: logged once
 * an interval, never once a connection (admit_note in conn.c). */
struct admit_log {
	struct event	*ev;		/* pending while an interval runs */
	uint64_t	 evicted, refused, accept_failed, pre_tls_closed;
	int		 accept_errno;
	char		 pre_tls_reason[96];
};

struct server {
	struct config		 cfg;
	struct event_base	*base;
	SSL_CTX			*ssl_ctx;
	struct store		*store;
	struct evconnlistener	*listener;
	struct event		*sig_term, *sig_int, *sig_usr1;
	struct event		*batch_ev;	/* lowest priority: after reads */
	struct conn_list	 conns;
	uint32_t		 nconns;	/* with a socket open */
	uint32_t		 max_conns;	/* admit_max_conns at start */
	struct conn_list	 unauth;	/* not logged in, oldest first */
	struct admit_table	*sources;	/* their source addresses */
	struct event		*accept_ev;	/* re-enables the listener */
	int64_t			 accept_backoff_ms;
	struct admit_log	 admit_log;
	struct conn_list	 subscribers;
	struct conn_list	 flush;		/* to write at the batch's end */
	uint32_t		 nflush;
	const struct net_handlers *handlers;	/* the core's */
	struct pending_list	 batch;
	uint32_t		 batch_len;
	uint64_t		 last_seq;	/* last committed event */
	uint64_t		 pushed_seq;	/* last_seq at the last push */
	uint64_t		 next_conn_id;
	bool			 stopping;
	struct server_stats	 stats;
};

/*
 * Priorities: socket I/O runs before the group commit of what it read.  An
 * event libevent assigns without one gets PRIO_COUNT / 2 (timers, signals,
 * and a TLS connection's events if conn_io_priority missed them): still
 * above the commit, so the batch stays the last thing in a pass.  Below
 * it a lagging subscriber's catch-up (push.c): libevent runs a priority
 * only when every higher one is idle, so replies and commits go first.
 */
#define PRIO_IO		0
#define PRIO_BATCH	3
#define PRIO_CATCHUP	4
#define PRIO_COUNT	5

#endif
