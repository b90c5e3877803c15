/*
 * fire.c - the fire-safety area (G1-G5): its registers (equipment, check
 * points, hazards in fire_hazard.c), the plans of its recurring duties and
 * the tasks deskd makes from them, each task a deadline clock.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "area.h"
#include "fire_hazard.h"

/* Numbered here, not in storage's enum: stored in the keys, never reused
 * (28 is the hazards', fire_hazard.h). */
#define RECORD_FIRE_EQUIPMENT	((enum record_kind)26)
#define RECORD_CHECKPOINT	((enum record_kind)27)
#define RECORD_FIRE_PLAN	((enum record_kind)29)
#define RECORD_FIRE_TASK	((enum record_kind)30)

#define EQUIPMENT_TYPES	"pump hydrant sprinkler pressurisation " \
			"smoke-exhaust detector extinguisher"

/* ---------- G4: fire equipment, G2: check points ---------- */

/* G4's intervals are by type, so the type is one of those it names. */
static Deskd__Status
equipment_check(struct reg_op *op)
{
	const char *type = reg_str(op->entry, "type");

	if (reg_word_in(type, EQUIPMENT_TYPES))
		return DESKD__STATUS__OK;
	return ctx_fail(op->ctx, DESKD__STATUS__INVALID_ARGUMENT, "type: "
	    "'%s' is not fire equipment G4 tests; one of: %s", type,
	    EQUIPMENT_TYPES);
}

/* A test keeps the equipment in service and stamps the last one. */
static const struct reg_action equipment_acts[] = {
	{ "test", "in-service", "in-service", "tested", "last_test_ms",
	    "last_test_by", NULL, "last_result", REG_NEED_TEXT, false, NULL,
	    NULL },
	{ "retire", "in-service", "retired", "retired", "retired_ms", NULL,
	    NULL, "retired_why", REG_NEED_TEXT, false, NULL, NULL },
};

static const struct reg_def equipment_def = {
	.rec = RECORD_FIRE_EQUIPMENT, .name = "fire-equipment",
	.d = &deskd__fire_equipment__descriptor, .rules = "G4",
	.required = "code type location", .summary = "code type location",
	.added = "added", .start = "in-service", .open = "in-service",
	.unique = "code", .check = equipment_check,
	.actions = equipment_acts, .nactions = nitems(equipment_acts),
};

static const struct reg_action checkpoint_acts[] = {
	{ "retire", "in-service", "retired", "retired", "retired_ms", NULL,
	    NULL, "retired_why", REG_NEED_TEXT, false, NULL, NULL },
};

static const struct reg_def checkpoint_def = {
	.rec = RECORD_CHECKPOINT, .name = "checkpoint",
	.d = &deskd__checkpoint__descriptor, .rules = "G2",
	.required = "code location", .summary = "code location",
	.added = "added", .start = "in-service", .open = "in-service",
	.unique = "code",
	.actions = checkpoint_acts, .nactions = nitems(checkpoint_acts),
};

/* ---------- the area ---------- */

static const struct reg_def *const fire_defs[] = {
	&equipment_def, &checkpoint_def, &hazard_def,
};

static const struct kind *
fire_kind_at(size_t i)
{
	static struct kind kinds[nitems(fire_defs)];

	if (i >= nitems(fire_defs))
		return NULL;
	if (kinds[i].name == NULL)
		reg_kind_fill(&kinds[i], fire_defs[i]);
	return &kinds[i];
}

const struct area fire_area = {
	.name = "fire",
	.kind_at = fire_kind_at,
};
