/*
 * fire_hazard.c - G3: fire hazards (消防隐患), the register of them.  A
 * hazard is found (by a desk, a round's abnormal point, a failed test),
 * fixed by the department responsible, and closed by a re-check.
 */
#include <stdio.h>
#include <string.h>

#include "area.h"
#include "fire_hazard.h"

static const struct reg_action hazard_acts[] = {
	{ "fix", "open", "fixed", "fixed", "fixed_ms", "fixed_by", NULL,
	    "fix_note", REG_NEED_TEXT, false, NULL, NULL },
	{ "close", "fixed", "closed", "closed", "closed_ms", "closed_by", NULL,
	    "recheck_note", 0, false, NULL, NULL },
	{ "reopen", "fixed", "open", "reopened", "reopened_ms", NULL, NULL,
	    "reopen_note", REG_NEED_TEXT, false, NULL, NULL },
};

const struct reg_def hazard_def = {
	.rec = RECORD_HAZARD, .name = "hazard",
	.d = &deskd__hazard__descriptor, .rules = "G3",
	.required = "location description", .summary = "location description",
	.added = "found", .start = "open", .open = "open fixed",
	.actions = hazard_acts, .nactions = nitems(hazard_acts),
};

uint64_t
hazard_open(struct apply_ctx *ctx, const char *location,
    const char *description, const char *source)
{
	Deskd__Hazard h = DESKD__HAZARD__INIT;
	ProtobufCMessage *out;

	h.location = (char *)location;
	h.description = (char *)description;
	h.origin = (char *)source;
	h.found_by = (char *)ctx->actor;
	if (reg_add_made(ctx, &hazard_def, &h.base, &out) != DESKD__STATUS__OK)
		return 0;
	return (uint64_t)reg_int(out, "id");
}
