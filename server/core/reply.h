/*
 * reply.h - what the record handlers (complaints, work orders) share: event
 * summaries, pages that fit in a frame, and a record's history.
 */
#ifndef DESKD_REPLY_H
#define DESKD_REPLY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ctx.h"
#include "text.h"

#define LIST_DEFAULT	100
#define LIST_MAX	500
#define HISTORY_DEFAULT	100
#define HISTORY_MAX	200
#define EXPORT_MAX	5000	/* records of an export page (issue 6) */

/* A request's page size: 0 means the default, and there is a maximum. */
size_t		reply_limit(uint32_t asked, size_t def, size_t max);
/*
 * Does one more element of len packed bytes fit in a page already `used`
 * bytes long?  The first element always goes in.
 */
bool		reply_room(struct apply_ctx *, size_t *used, size_t count,
		    size_t len);
/* Put msg in the Response's body oneof (by its case); returns OK. */
Deskd__Status	reply_with(struct apply_ctx *, Deskd__Response__BodyCase,
		    void *msg);
/* Reply with one record just read (rec), or NOT_FOUND when there is none. */
Deskd__Status	reply_record(struct apply_ctx *, Deskd__Response__BodyCase,
		    enum record_kind, uint64_t id, void *rec);
/*
 * Reply with a page: takes ownership of the n messages and their array,
 * cuts the page where it would outgrow a frame, and fills the list reply
 * the body case names (its repeated field, and `more` if it has one).
 */
Deskd__Status	reply_list(struct apply_ctx *, Deskd__Response__BodyCase,
		    void *msgs, size_t n, bool more);
/* The same for messages and an array the context owns already. */
Deskd__Status	reply_page(struct apply_ctx *, Deskd__Response__BodyCase,
		    ProtobufCMessage **, size_t n, bool more);
/* The body of a history reply: the record's events after after_seq;
 * NOT_FOUND when the record has none. */
Deskd__Status	reply_history(struct apply_ctx *, enum record_kind,
		    uint64_t id, uint64_t after_seq, uint32_t limit);

#endif
