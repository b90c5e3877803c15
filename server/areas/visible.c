/*
 * visible.c - E6: one rule for what a user may read of complaints, work
 * orders and the alerts and handovers that point at them.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "complaint_rules.h"
#include "repair_rules.h"
#include "visible.h"

bool
visible_narrowed(enum role role)
{
	return role == ROLE_ENGINEER;
}

bool
record_visible(struct store_txn *t, enum role role, const char *user,
    enum record_kind kind, uint64_t id)
{
	bool sees = true;

	if (!visible_narrowed(role))
		return true;
	if (kind == RECORD_REPAIR) {
		Deskd__WorkOrder *w = repair_get(t, id);

		sees = w == NULL || repair_visible(role, user, w);
		if (w != NULL)
			deskd__work_order__free_unpacked(w, NULL);
	} else if (kind == RECORD_COMPLAINT) {
		Deskd__Complaint *c = complaint_get(t, id);

		sees = c == NULL || complaint_readable_by(role, c);
		if (c != NULL)
			deskd__complaint__free_unpacked(c, NULL);
	} else if (kind == RECORD_ALERT) {
		Deskd__Alert *a = alert_get(t, id);

		sees = a == NULL || alert_visible(t, role, user, a);
		if (a != NULL)
			deskd__alert__free_unpacked(a, NULL);
	}
	return sees;
}

bool
alert_visible(struct store_txn *t, enum role role, const char *user,
    const Deskd__Alert *a)
{
	/* An alert's record is never another alert: no loop. */
	return a->record_kind == RECORD_ALERT || record_visible(t, role, user,
	    (enum record_kind)a->record_kind, a->record_id);
}

/* "repair:12" -> RECORD_REPAIR, 12; false for a text without one. */
static bool
pending_ref(const char *record, enum record_kind *kind, uint64_t *id)
{
	static const enum record_kind kinds[] = { RECORD_COMPLAINT,
	    RECORD_REPAIR, RECORD_ALERT };
	const char *colon = strchr(record, ':');

	if (colon == NULL)
		return false;
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		const char *name = record_kind_name(kinds[i]);

		if (strlen(name) == (size_t)(colon - record) &&
		    strncmp(record, name, strlen(name)) == 0) {
			*kind = kinds[i];
			*id = strtoull(colon + 1, NULL, 10);
			return true;
		}
	}
	return false;
}

/* A message's string replaced: protobuf-c frees what it points at. */
static void
string_replace(char **s, const char *with)
{
	char *copy = strdup(with);

	if (copy == NULL) {
		if (**s)
			(*s)[0] = '\0';
		return;
	}
	free(*s);
	*s = copy;
}

size_t
handover_withhold(struct store_txn *t, enum role role, const char *user,
    Deskd__Handover *h)
{
	enum record_kind kind;
	uint64_t id;
	size_t n = 0;

	if (!visible_narrowed(role))
		return 0;
	for (size_t i = 0; i < h->n_pending; i++) {
		Deskd__HandoverPending *p = h->pending[i];
		char text[96];

		if (!pending_ref(p->record, &kind, &id) ||
		    record_visible(t, role, user, kind, id))
			continue;
		snprintf(text, sizeof(text), "(withheld: %s is not yours to "
		    "read)", p->record);
		string_replace(&p->text, text);
		if (*p->note)
			string_replace(&p->note, "");
		n++;
	}
	return n;
}

enum event_sight
visible_event(struct store_txn *t, enum role role, const char *user,
    Deskd__Event *ev)
{
	bool sees = true;

	if (ev->work_order != NULL)
		sees = repair_visible(role, user, ev->work_order);
	else if (ev->complaint != NULL)
		sees = complaint_readable_by(role, ev->complaint);
	else if (ev->alert != NULL)
		sees = alert_visible(t, role, user, ev->alert);
	if (!sees)
		return EVENT_HIDDEN;
	if (ev->shift != NULL && ev->shift->handover != NULL &&
	    handover_withhold(t, role, user, ev->shift->handover) > 0)
		return EVENT_EDITED;
	return EVENT_SEEN;
}
