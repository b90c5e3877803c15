/*
 * handovers.c - handover records in LMDB: id -> Handover, and the index of
 * those not yet signed by both sides (B5), like complaints and repairs.
 */
#include "store.h"

Deskd__Handover *
handover_get(struct store_txn *t, uint64_t id)
{
	return store_get_record(t, DB_HANDOVERS, id,
	    &deskd__handover__descriptor);
}

void
handover_put(struct store_txn *t, const Deskd__Handover *h)
{
	store_put_record(t, DB_HANDOVERS, DB_HANDOVERS_OPEN, h->id, &h->base,
	    h->state != DESKD__HANDOVER_STATE__HANDOVER_CLOSED);
}

int
handover_list(struct store_txn *t, bool open_only, uint64_t after_id,
    size_t limit, Deskd__Handover ***out, size_t *n, bool *more)
{
	return store_page(t, DB_HANDOVERS, DB_HANDOVERS_OPEN, open_only,
	    after_id, limit, &deskd__handover__descriptor, (void ***)out, n,
	    more);
}
