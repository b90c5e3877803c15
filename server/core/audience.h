/*
 * audience.h - who receives which event: the event rules of the
 * registered areas (area.h), as push's filter (push.h).
 */
#ifndef DESKD_AUDIENCE_H
#define DESKD_AUDIENCE_H

#include "server.h"

/* net_handlers.push_filter: the subscriber's role and user against every
 * rule that covers the type; decodes the event only for a rule's narrowed
 * role. */
enum push_verdict audience_filter(struct conn *, struct store_txn *,
	    const char *type, size_t tlen, const uint8_t *data, size_t len,
	    ProtobufCMessage **edited);

#endif
