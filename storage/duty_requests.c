/*
 * duty_requests.c - duty change requests (A3, A7, A8) with their open index: a
 * request is open while it waits for the supervisor, and a leave from the
 * post stays open until the person is back (A7).  Written only inside the
 * transaction that appends the event describing the change.
 */
#include "store.h"

bool
duty_is_open(const Deskd__DutyRequest *d)
{
	return d->status == DESKD__DUTY_STATUS__DUTY_PENDING ||
	    (d->kind == DESKD__DUTY_KIND__DUTY_LEAVE_POST &&
	    d->status == DESKD__DUTY_STATUS__DUTY_APPROVED);
}

Deskd__DutyRequest *
duty_get(struct store_txn *t, uint64_t id)
{
	return store_get_record(t, DB_DUTY, id,
	    &deskd__duty_request__descriptor);
}

void
duty_put(struct store_txn *t, const Deskd__DutyRequest *d)
{
	store_put_record(t, DB_DUTY, DB_DUTY_OPEN, d->id, &d->base,
	    duty_is_open(d));
}

int
duty_list(struct store_txn *t, bool open_only, uint64_t after_id,
    size_t limit, Deskd__DutyRequest ***out, size_t *n, bool *more)
{
	return store_page(t, DB_DUTY, DB_DUTY_OPEN, open_only, after_id, limit,
	    &deskd__duty_request__descriptor, (void ***)out, n, more);
}
