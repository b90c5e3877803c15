/*
 * validate.h - the field checks every request, import row and register
 * form goes through before a handler sees it.
 */
#ifndef DESKD_VALIDATE_H
#define DESKD_VALIDATE_H

#include <stdbool.h>
#include <stddef.h>

#include "deskd.pb-c.h"

/* Field checks shared by every handler (validate.c): every string valid
 * UTF-8 within its limit, every repeated field within its count, a page's
 * limit, and every time in the one range of times (wire.h), at any depth. */
Deskd__Status validate_fields(const ProtobufCMessage *, char *, size_t);
/* "FIELD: not a time (the range)", the one refusal of an instant out of
 * range (PROTOCOL.md 13.4). */
Deskd__Status validate_not_a_time(const char *field, char *msg,
	    size_t msglen);
Deskd__Status validate_required(const char *field, const char *value,
	    char *, size_t);
size_t	 validate_limit(const char *field);
/* The most entries a repeated string or message field may carry. */
size_t	 validate_count(const char *field);
/* Every enum field of the message (top level) holds one of its values. */
Deskd__Status validate_enums(const ProtobufCMessage *, char *, size_t);
/* Works out once, for the request and every kind's record (an import
 * row's) and every message they hold, what the checks need of each field;
 * a message not reached is worked out field by field each time.  After
 * area_register_all (the areas add limits), before any thread (main); an
 * earlier build is dropped. */
void	 validate_rules_build(void);
/* Whether a message's rules were worked out: the tests' check that the
 * tables hold every message a request or a record can carry. */
bool	 validate_rules_cover(const ProtobufCMessageDescriptor *);
/* Only the times of validate_fields (a register's form). */
Deskd__Status validate_times(const ProtobufCMessage *, char *, size_t);

#endif
