/*
 * visible.h - E6: what a user may read of the work the desks record,
 * decided once for every path that shows it (RepairGet, HandoverGet,
 * export, AlertList, the event stream).  An engineer sees the orders sent
 * to them (repair_visible) and the complaints they may read
 * (complaint_readable_by); every other role sees all.
 */
#ifndef DESKD_VISIBLE_H
#define DESKD_VISIBLE_H

#include <stdbool.h>
#include <stdint.h>

#include "area.h"
#include "deskd.pb-c.h"
#include "perm.h"
#include "store.h"

/* Whether the role sees less than everything (an engineer): the paths
 * that show records in bulk decode and check them only then. */
bool	visible_narrowed(enum role);
/* The complaint, work order or alert kind:id, as stored now.  Another kind,
 * or a record that is gone, is visible: there is nothing of it to hide. */
bool	record_visible(struct store_txn *, enum role, const char *user,
	    enum record_kind, uint64_t id);
/* An alert: as the record its clock runs on. */
bool	alert_visible(struct store_txn *, enum role, const char *user,
	    const Deskd__Alert *);
/*
 * A handover's pending work that names a record the user may not see has
 * its text and note withheld (the item, its number and state stay, so the
 * list reads as the desks see it).  Returns how many were withheld.
 */
size_t	handover_withhold(struct store_txn *, enum role, const char *user,
	    Deskd__Handover *);
/*
 * An event_rule's check (area.h) for the events that carry such work (the
 * complaints', repairs', alerts' and handovers' rules): the record it
 * carries as above, a handover's pending work withheld (EVENT_EDITED).
 */
enum event_sight visible_event(struct store_txn *, enum role,
	    const char *user, Deskd__Event *);

#endif
