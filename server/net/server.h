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

#include "admit.h"
#include "config.h"
#include "now.h"
#include "store.h"

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
	uint64_t	map_grows;
	uint64_t	evicted;	/* not logged in, made room for another */
	uint64_t	refused;	/* at the cap with nobody to evict */
	uint64_t	accept_failed;	/* accept() errors (EMFILE...) */
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
	struct pending_list	 batch;
	uint32_t		 batch_len;
	uint64_t		 last_seq;	/* last committed event */
	uint64_t		 next_conn_id;
	bool			 stopping;
	struct server_stats	 stats;
};

/*
 * Priorities: socket I/O runs before the group commit of what it read.  An
 * event libevent assigns without one gets PRIO_COUNT / 2 (timers, signals,
 * and a TLS connection's events if conn_io_priority missed them): still
 * above the commit, so the batch stays the last thing in a pass.
 */
#define PRIO_IO		0
#define PRIO_BATCH	2
#define PRIO_COUNT	3

#endif
