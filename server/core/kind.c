/*
 * kind.c - what several kinds share in how they are shown: the contacts
 * of complaints and work orders masked (E6), and the record of an export
 * with the numbers in full.
 */
#include <inttypes.h>
#include <stdio.h>

#include "kind.h"
#include "vault.h"

Deskd__Status
kind_contacts_shown(struct apply_ctx *ctx, const struct kind *k,
    ProtobufCMessage **m, bool unmasked)
{
	(void)ctx;
	(void)k;
	if (!unmasked)
		contacts_mask(*m);
	return DESKD__STATUS__OK;
}

bool
kind_contacts_shown_packed(const struct kind *k, uint8_t *b, size_t len)
{
	return contacts_mask_packed(k->d, b, len);
}

void
kind_exported_unmasked(struct apply_ctx *ctx, const char *kind, uint64_t after_id,
    uint64_t last_id, uint32_t count)
{
	Deskd__ArchiveExported *ev = ctx_new(ctx,
	    &deskd__archive_exported__descriptor);
	char line[160];

	ev->unmasked = true;
	ev->after_id = after_id;
	ev->last_id = last_id;
	ev->count = count;
	ev->kind = (char *)kind;
	snprintf(line, sizeof(line), "%s exported %u %s records unmasked (ids %"
	    PRIu64 "-%" PRIu64 ")", ctx->actor, count, kind, after_id + 1,
	    last_id);
	ctx_event_msg(ctx, "archive.exported", 0, 0, "archive", line, NULL,
	    &ev->base);
}
