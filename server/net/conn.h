/*
 * conn.h - one desk's connection: TLS bufferevent, frame reading, explicit
 * state, output backpressure, and orderly close.  The only module that
 * touches sockets.
 */
#ifndef DESKD_CONN_H
#define DESKD_CONN_H

#include <sys/socket.h>

#include <stdbool.h>
#include <stdint.h>

#include <protobuf-c/protobuf-c.h>

#include "server.h"
#include "wire.h"

enum conn_state {
	CONN_TLS,		/* handshake in progress */
	CONN_HELLO,		/* waiting for Hello */
	CONN_LOGIN,		/* Hello done, waiting for Login */
	CONN_READY,		/* authenticated */
	CONN_CLOSING,
};

struct held_reply;

struct conn {
	TAILQ_ENTRY(conn)	 entry;
	struct server		*srv;
	struct bufferevent	*bev;		/* NULL once closed */
	uint64_t		 id;
	enum conn_state		 state;
	char			 peer[64];
	char			 desk[64];
	char			 user[64];
	int			 role;		/* the core's (enum role in
						 * perm.h): net only keeps it */
	uint32_t		 pending;	/* our requests in the batch */
	/* Reading and dispatching (conn_process_input): a request that
	 * closes the connection meanwhile leaves the freeing to it. */
	uint32_t		 in_use;
	bool			 reply_awaited; /* hold input until it commits */
	/* Requests read but not yet in the batch, in the order they came:
	 * one on the worker holds back those behind it (dispatch.c). */
	struct pending_list	 staged;
	uint8_t			 batches_open;	/* import batches read, not yet
						 * answered: one is read ahead */
	uint8_t			 batches_queued; /* of those, in the batch */
	bool			 flush_close;	/* free once output drains */
	/* On srv->flush: given output since the last conn_flush_all. */
	TAILQ_ENTRY(conn)	 flush_entry;
	bool			 to_flush;
	bool			 broken;	/* bad frame: read nothing more */
	int64_t			 accepted_ms;	/* monotonic; the login deadline */
	struct event		*hold_ev;	/* failed-login slowdown */
	struct held_reply	*held;
	int			 login_failures;
	/* admission (admit.h): on srv->unauth and its source's list until
	 * logged in; src is NULL once off them */
	TAILQ_ENTRY(conn)	 unauth_entry;
	TAILQ_ENTRY(conn)	 src_entry;
	struct admit_source	*src;
	/* Memory per desk (issue 12): its unread output reached the high-
	 * water mark, so its later requests wait in `staged`, unanswered,
	 * until the output drains below low water (dispatch.c). */
	bool			 replies_held;
	size_t			 batch_out;	/* queued plus this commit's */
	char			 batch_login[64]; /* logged in by this commit,
						 * not yet READY: counted by
						 * conn_user_count */
	/* subscription (push.c) */
	TAILQ_ENTRY(conn)	 sub_entry;
	bool			 subscribed;
	bool			 replaying;	/* caught_up not sent yet */
	uint64_t		 replay_last;	/* Subscribed.last_seq */
	uint64_t		 next_seq;
	struct event		*catchup_ev;	/* the rest after a slice */
	char			**prefixes;
	size_t			 nprefixes;
};

void	 conn_accept(struct evconnlistener *, evutil_socket_t,
	    struct sockaddr *, int, void *srv);
/* evconnlistener's error callback: accept failed (EMFILE...). */
void	 conn_accept_error(struct evconnlistener *, void *srv);
/* Set up the caps and the accept backoff, once the listener exists. */
int	 conn_admit_start(struct server *);
void	 conn_admit_stop(struct server *);
/* Connections logged in as user (the per-user cap). */
uint32_t conn_user_count(const struct server *, const char *user);
/* Write every connection's output queued since the last call (a batch's end). */
void	 conn_flush_all(struct server *);
/* Queue one frame; false when the connection is gone or the message is over
 * the payload limit. */
bool	 conn_send_msg(struct conn *, enum wire_kind, uint32_t request_id,
	    const ProtobufCMessage *);
bool	 conn_send_raw(struct conn *, enum wire_kind, uint32_t request_id,
	    const uint8_t *, size_t);
size_t	 conn_out_len(struct conn *);
void	 conn_set_state(struct conn *, enum conn_state);
/* Send this response only after delay_ms, reading nothing from the desk
 * meanwhile. */
void	 conn_send_delayed(struct conn *, uint32_t request_id,
	    const uint8_t *response, size_t len, int64_t delay_ms);
/* Close now (broken stream), or once what is queued has been written. */
void	 conn_close(struct conn *, const char *reason);
void	 conn_close_after_flush(struct conn *, const char *reason);
/* Stopping: close (after flushing) once all it sent is answered. */
void	 conn_let_go_if_answered(struct conn *);
/* The batch is done with one of our requests. */
void	 conn_release(struct conn *);
/* Read whatever input was held back while a batch or the peer caught up. */
void	 conn_resume(struct conn *);
void	 conn_close_all(struct server *);

#endif
