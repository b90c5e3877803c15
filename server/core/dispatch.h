/*
 * dispatch.h - frame -> decode -> validate -> authorise -> (batch) apply in
 * one write txn -> commit -> reply and push.  Handlers see an apply_ctx
 * (ctx.h) and the decoded request; they never touch sockets.
 */
#ifndef DESKD_DISPATCH_H
#define DESKD_DISPATCH_H

#include <stddef.h>
#include <stdint.h>

#include <event2/util.h>

#include "ctx.h"
#include "wire.h"

struct conn;
struct server;

void	 dispatch_request(struct conn *, uint32_t request_id,
	    const uint8_t *payload, size_t len);
void	 dispatch_frame_error(struct conn *, const struct wire_header *,
	    enum wire_check);
/* A connection's output drained (or it closed): its requests held while
 * it did not read go on to the batch. */
void	 dispatch_replies_resume(struct conn *);
/* The group commit: runs at the lowest priority, after the reads of a pass. */
void	 batch_run(evutil_socket_t, short, void *srv);
void	 batch_flush(struct server *);

/* At start: the connections hand their frames to these, and push asks
 * the event rules of the areas (audience.c) who receives what. */
void	 dispatch_attach(struct server *);
/* Failed-login accounting, from the config (issue 12). */
void		login_guard_start(struct server *);
void		login_guard_stop(void);
#endif
