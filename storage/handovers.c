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
