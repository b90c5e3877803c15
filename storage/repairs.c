/*
 * repairs.c - current state of work orders (D1-D5) with their open index,
 * and the fee schedule (D2).  Written only inside the transaction that
 * appends the event describing the change.
 */
#include <string.h>

#include "store.h"

Deskd__WorkOrder *
repair_get(struct store_txn *t, uint64_t id)
{
	return store_get_record(t, DB_REPAIRS, id,
	    &deskd__work_order__descriptor);
}

Deskd__Fee *
fee_get(struct store_txn *t, const char *item)
{
	return store_get_msg(t, store_dbi(t, DB_FEES), item, strlen(item),
	    &deskd__fee__descriptor);
}

void
fee_put(struct store_txn *t, const Deskd__Fee *f)
{
	store_put_msg(t, store_dbi(t, DB_FEES), f->item, strlen(f->item),
	    &f->base);
}

int
fee_list(struct store_txn *t, Deskd__Fee ***out, size_t *n)
{
	return store_all(t, DB_FEES, &deskd__fee__descriptor, (void ***)out, n);
}
