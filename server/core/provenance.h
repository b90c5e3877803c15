/*
 * provenance.h - an imported row's origin kept with the record it makes,
 * for the areas' intakes (H3, C9).  ctx->import is the row being
 * imported; NULL for a desk's own request.
 */
#ifndef DESKD_PROVENANCE_H
#define DESKD_PROVENANCE_H

#include "ctx.h"

/* A step an imported row implies, refused (st, ctx->msg) by its
 * permission or rule: the refusal as "FIELD: reason", FIELD the row's. */
Deskd__Status	import_step_refused(struct apply_ctx *, const char *field,
		    Deskd__Status);
/* C9: an imported record's import_file, import_ref, reported_by and
 * reported_ms, from ctx->import and the row `in` (its reported_* when a
 * re-import of an imported record, else its created_*). */
void		import_provenance(struct apply_ctx *, ProtobufCMessage *rec,
		    const ProtobufCMessage *in);
/* The times of the steps an import replayed (`names`, NULL-terminated)
 * are the row's where it gives them, not the import's: the order was done
 * when its file says, and an export imports back as it was (issue 12). */
void		import_step_times(ProtobufCMessage *rec,
		    const ProtobufCMessage *in, const char *const *names);

#endif
