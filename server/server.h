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

#include "config.h"
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

int64_t	 server_now_ms(void);
/* Monotonic, for waits and rates. */
int64_t	 server_mono_ms(void);
void	 server_set_now_offset(int64_t);

#endif
