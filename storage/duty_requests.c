/*
 * duty_requests.c - duty change requests (A3, A7, A8) with their open index: a
 * request is open while it waits for the supervisor, and a leave from the
 * post stays open until the person is back (A7).  Written only inside the
 * transaction that appends the event describing the change.
 */
#include "store.h"

Deskd__DutyRequest *
duty_get(struct store_txn *t, uint64_t id)
{
	return store_get_record(t, DB_DUTY, id,
	    &deskd__duty_request__descriptor);
}
