/*
 * repairs.c - current state of work orders (D1-D5) with their open index,
 * and the fee schedule (D2).  Written only inside the transaction that
 * appends the event describing the change.
 */
#include <string.h>

#include "store.h"

bool
repair_is_open(const Deskd__WorkOrder *w)
{
	/* D4/D5: finished work stays open until it has been revisited. */
	return w->status != DESKD__WORK_STATUS__WORK_CLOSED;
}

Deskd__WorkOrder *
repair_get(struct store_txn *t, uint64_t id)
{
	return store_get_record(t, DB_REPAIRS, id,
	    &deskd__work_order__descriptor);
}

void
repair_put(struct store_txn *t, const Deskd__WorkOrder *w)
{
	store_put_record(t, DB_REPAIRS, DB_REPAIRS_OPEN, w->id, &w->base,
	    repair_is_open(w));
}

void
repair_add(struct store_txn *t, const Deskd__WorkOrder *w)
{
	store_add_record(t, DB_REPAIRS, DB_REPAIRS_OPEN, w->id, &w->base,
	    repair_is_open(w));
}

int
repair_list(struct store_txn *t, bool open_only, uint64_t after_id,
    size_t limit, Deskd__WorkOrder ***out, size_t *n, bool *more)
{
	return store_page(t, DB_REPAIRS, DB_REPAIRS_OPEN, open_only, after_id,
	    limit, &deskd__work_order__descriptor, (void ***)out, n, more);
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
