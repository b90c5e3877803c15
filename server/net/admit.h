/*
 * admit.h - who gets a connection slot (issue 12): a cap on connections
 * below the descriptor limit, a cap per source address on those not yet
 * logged in, and the table of sources that counts them.  No sockets here.
 */
#ifndef DESKD_ADMIT_H
#define DESKD_ADMIT_H

#include <sys/queue.h>

#include <stdbool.h>
#include <stdint.h>

struct conn;
TAILQ_HEAD(admit_conns, conn);

/* Descriptors kept back from connections: the listener, LMDB's two
 * files, the logs, the event loop's and the workers' pipes, a config or
 * calendar read at a signal, with room to spare. */
#define ADMIT_FD_RESERVE	32

/* One source address and its connections that have not logged in,
 * oldest first. */
struct admit_source {
	struct admit_source	*next;		/* hash chain */
	char			 addr[46];
	uint32_t		 unauth;
	struct admit_conns	 conns;
};

struct admit_table;

/*
 * The connection cap: `configured`, or when 0 what the descriptor limit
 * leaves after ADMIT_FD_RESERVE (at least 1).  *over is set when a
 * configured cap is above that (accept will fail before it is reached).
 */
uint32_t admit_max_conns(uint32_t configured, uint64_t nofile, bool *over);

/* What to do with a new connection from a source that already has
 * `source_unauth` not logged in, `open` connections in all. */
enum admit_verdict {
	ADMIT_OK,
	ADMIT_EVICT_SOURCE,	/* make room: the source's oldest idle one */
	ADMIT_EVICT_ANY,	/* make room: the oldest idle one of all */
};
enum admit_verdict admit_decide(uint32_t open, uint32_t max_conns,
	    uint32_t source_unauth, uint32_t max_unauth_per_source);

struct admit_table *admit_table_new(void);
void	 admit_table_free(struct admit_table *);
/* The entry of addr, or NULL (find), or made (get: NULL when out of
 * memory). */
struct admit_source *admit_find(struct admit_table *, const char *addr);
struct admit_source *admit_get(struct admit_table *, const char *addr);
/* Drop the entry once it counts nothing. */
void	 admit_put(struct admit_table *, struct admit_source *);

#endif
