/*
 * list_rules.h - what a list of complaints or work orders is narrowed to
 * (issue 16: "complaint list --unit U --category C --from D --to D
 * --status S"), as pure functions: the request's filters read once, then
 * a record's unit, day and state matched against them.
 */
#ifndef DESKD_LIST_RULES_H
#define DESKD_LIST_RULES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "deskd.pb-c.h"

struct list_filter {
	const char	*unit;		/* "": any */
	uint32_t	 from, to;	/* YYYYMMDD, both included; 0: open */
	int		 status;	/* a value of the status enum; -1: any */
	int		 kind;		/* a value of the kind enum; -1: any */
};

/*
 * The filters as a request gives them: unit, from_day and to_day
 * ("YYYY-MM-DD"), and words of the status and kind enums (the value's
 * name without its prefix, any case: "open" for STATUS_OPEN; NULL enum:
 * no such filter).  OK, or INVALID_ARGUMENT with what is wrong in msg.
 */
Deskd__Status list_filter_read(struct list_filter *, const char *unit,
	    const char *from_day, const char *to_day,
	    const ProtobufCEnumDescriptor *status_enum, const char *status,
	    const ProtobufCEnumDescriptor *kind_enum, const char *kind,
	    char *msg, size_t len);
/* Is this unit the filter's, or inside it ("3-2" takes "3-2-1201")? */
bool	list_unit_matches(const char *filter, const char *unit);
/* The day a record counts as recorded on (YYYYMMDD, the office's): an
 * imported one's own date (reported_ms), else when it was recorded. */
uint32_t list_record_day(int64_t created_ms, int64_t reported_ms);
/* Does a record of that unit, recorded on day (YYYYMMDD), with that
 * status and kind, pass the filter? */
bool	list_filter_matches(const struct list_filter *, const char *unit,
	    uint32_t day, int status, int kind);

#endif
