/* complaint_rules.c - the complaint state machine (C1-C9). */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "calendar.h"
#include "complaint_rules.h"
#include "kind.h"
#include "refuse.h"
#include "text.h"
#include "validate.h"
#include "wire.h"

#define A(x)	DESKD__COMPLAINT_ACTION__ACTION_##x
#define ST(x)	DESKD__COMPLAINT_STATUS__STATUS_##x
#define V(x)	DESKD__VALIDITY__VALIDITY_##x
#define L(x)	DESKD__ESCALATION_LEVEL__LEVEL_##x

static const char *const sources[] = { "customer", "employee", NULL };
static const char *const channels[] = { "phone", "visit", "wechat", "letter",
	"email", "other", NULL };

static int
one_of(const char *s, const char *const *list)
{
	for (; *list; list++)
		if (strcmp(s, *list) == 0)
			return 1;
	return 0;
}

bool
complaint_readable_by(enum role r, const Deskd__Complaint *c)
{
	return strcmp(c->source, "employee") != 0 ||
	    perm_allows(r, OP_COMPLAINT_WRITE);
}

int
complaint_phone_ok(const char *s)
{
	return wire_phone_ok(s);
}

static Deskd__Status
bad(char *msg, size_t len, const char *text)
{
	return text_refuse(msg, len, DESKD__STATUS__INVALID_ARGUMENT, text);
}

Deskd__Status
complaint_new_validate(const Deskd__ComplaintNew *n, char *msg, size_t len)
{
	/* C5: who complains, about what, when, what they ask, how to call back. */
	if (*n->source && !one_of(n->source, sources))
		return bad(msg, len, "source: customer or employee");
	/* C5: an employee's complaint (internal) need not be an owner's. */
	if (!*n->unit && strcmp(n->source, "employee") != 0)
		return bad(msg, len, "unit: required (an employee's complaint "
		    "may leave it out: --source employee)");
	if (!*n->complainant)
		return bad(msg, len, "complainant: required (name)");
	if (!*n->phone)
		return bad(msg, len, "phone: required (a contact number, C5)");
	if (!complaint_phone_ok(n->phone))
		return bad(msg, len, "phone: 5 to 15 digits, with optional "
		    "leading +, spaces or dashes");
	if (*n->channel && !one_of(n->channel, channels))
		return bad(msg, len, "channel: phone, visit, wechat, letter, "
		    "email or other");
	if (!*n->category)
		return bad(msg, len, "category: required");
	if (!*n->text)
		return bad(msg, len, "text: required (what happened)");
	if (n->event_time_ms != 0 && !wire_time_ok(n->event_time_ms))
		return validate_not_a_time("event_time_ms", msg, len);
	return DESKD__STATUS__OK;
}

static Deskd__Status
conflict(char *msg, size_t len, const char *text)
{
	return text_refuse(msg, len, DESKD__STATUS__CONFLICT, text);
}

Deskd__Status
complaint_check_step(const Deskd__Complaint *c, const Deskd__ComplaintStep *s,
    int64_t now_ms, char *msg, size_t len)
{
	bool closed = c->status == ST(CLOSED);
	bool open = c->status == ST(OPEN);

	switch (s->action) {
	case A(NOTE):
		/* C9: corrections are new entries, allowed at any time. */
		if (!*s->text)
			return bad(msg, len, "text: required");
		return DESKD__STATUS__OK;
	case A(ASSIGN):
		if (!*s->dept && !*s->person)
			return bad(msg, len, "dept or person: required (C6)");
		if (closed)
			return conflict(msg, len, "the complaint is closed");
		return DESKD__STATUS__OK;
	case A(VALID):
	case A(INVALID):
		if (s->action == A(INVALID) && !*s->text)
			return bad(msg, len, "text: the reason it is invalid");
		if (!open)
			return conflict(msg, len, "only an open complaint can "
			    "be judged valid or invalid");
		if (c->validity != V(UNDECIDED))
			return conflict(msg, len, c->validity == V(VALID) ?
			    "already judged valid; add a note to correct" :
			    "already judged invalid; add a note to correct");
		return DESKD__STATUS__OK;
	case A(REPLY):
		if (!*s->text)
			return bad(msg, len, "text: what was replied");
		if (!open)
			return conflict(msg, len, "cannot reply to a complaint "
			    "that is resolved or closed");
		/* C2: a valid complaint not yet settled gets a reply and an
		 * agreed time for the next one. */
		if (c->validity == V(VALID) && s->next_reply_ms == 0)
			return bad(msg, len, "next_reply_ms: agree the time of "
			    "the next reply (C2), or resolve the complaint");
		if (s->next_reply_ms != 0 && !wire_time_ok(s->next_reply_ms))
			return validate_not_a_time("next_reply_ms", msg, len);
		if (s->next_reply_ms != 0 && s->next_reply_ms <= now_ms)
			return bad(msg, len, "next_reply_ms: must be in the "
			    "future");
		return DESKD__STATUS__OK;
	case A(RESOLVE):
		if (!*s->text)
			return bad(msg, len, "text: the resolution");
		if (!open)
			return conflict(msg, len, "the complaint is not open");
		if (c->validity != V(VALID))
			return conflict(msg, len, c->validity == V(INVALID) ?
			    "an invalid complaint is closed by its reply, not "
			    "resolved" : R_("judge the complaint valid first"));
		return DESKD__STATUS__OK;
	case A(REVISIT):
		if (!*s->text)
			return bad(msg, len, "text: the revisit result");
		if (s->satisfaction < 1 || s->satisfaction > 5)
			return bad(msg, len, "satisfaction: 1 to 5");
		if (c->status != ST(RESOLVED))
			return conflict(msg, len, closed ? "already closed" :
			    "revisit comes after the complaint is resolved (C4)");
		return DESKD__STATUS__OK;
	case A(ESCALATE):
		if (!*s->text)
			return bad(msg, len, "text: why it goes to the manager");
		if (closed)
			return conflict(msg, len, "the complaint is closed");
		if (c->level != L(DESK))
			return conflict(msg, len, "already escalated; the "
			    "parties may appeal (C7)");
		return DESKD__STATUS__OK;
	case A(APPEAL):
		if (!*s->text)
			return bad(msg, len, "text: the general manager's ruling");
		if (c->level == L(GENERAL_MANAGER))
			return conflict(msg, len, "the general manager's ruling "
			    "is final (C7)");
		if (c->level != L(MANAGER))
			return conflict(msg, len, "an appeal follows an "
			    "escalation to the manager (C7)");
		return DESKD__STATUS__OK;
	default:
		return bad(msg, len, "action: unknown step");
	}
}

void
complaint_apply_step(Deskd__Complaint *c, const Deskd__ComplaintStep *s,
    int64_t now_ms)
{
	switch (s->action) {
	case A(ASSIGN):
		if (*s->dept)
			c->responsible_dept = s->dept;
		if (*s->person)
			c->responsible_person = s->person;
		break;
	case A(VALID):
		c->validity = V(VALID);
		break;
	case A(INVALID):
		/* C3: the reply owed within the window still stands. */
		c->validity = V(INVALID);
		c->invalid_reason = s->text;
		break;
	case A(REPLY):
		c->result = s->text;
		c->last_reply_ms = now_ms;
		if (c->first_reply_ms == 0)
			c->first_reply_ms = now_ms;
		c->reply_due_ms = s->next_reply_ms;
		/* C3: telling the complainant it is invalid ends the case, and
		 * a closed case owes no further reply. */
		if (c->validity == V(INVALID)) {
			c->status = ST(CLOSED);
			c->reply_due_ms = 0;
		}
		break;
	case A(RESOLVE):
		/* Settled is answered (C2): it counts as the first reply. */
		if (c->first_reply_ms == 0)
			c->first_reply_ms = now_ms;
		c->result = s->text;
		c->status = ST(RESOLVED);
		c->reply_due_ms = 0;
		break;
	case A(REVISIT):
		c->revisit_result = s->text;
		c->satisfaction = s->satisfaction;
		c->status = ST(CLOSED);
		break;
	case A(ESCALATE):
		c->level = L(MANAGER);
		break;
	case A(APPEAL):
		c->level = L(GENERAL_MANAGER);
		c->ruling = s->text;
		break;
	default:
		break;
	}
	c->updated_ms = now_ms;
	c->revision++;
}

const char *
complaint_event_type(Deskd__ComplaintAction a)
{
	switch (a) {
	case A(ASSIGN):		return "complaint.assigned";
	case A(VALID):		return "complaint.validated";
	case A(INVALID):	return "complaint.invalidated";
	case A(REPLY):		return "complaint.replied";
	case A(RESOLVE):	return "complaint.resolved";
	case A(REVISIT):	return "complaint.revisited";
	case A(ESCALATE):	return "complaint.escalated";
	case A(APPEAL):		return "complaint.appealed";
	case A(NOTE):		return "complaint.noted";
	default:		return "complaint.changed";
	}
}

const char *
complaint_status_name(Deskd__ComplaintStatus s)
{
	switch (s) {
	case ST(OPEN):		return "open";
	case ST(RESOLVED):	return "resolved";
	case ST(CLOSED):	return "closed";
	default:		return "?";
	}
}

const char *
complaint_validity_name(Deskd__Validity v)
{
	switch (v) {
	case V(VALID):		return "valid";
	case V(INVALID):	return "invalid";
	default:		return "undecided";
	}
}

const char *
complaint_level_name(Deskd__EscalationLevel l)
{
	switch (l) {
	case L(MANAGER):	return "manager";
	case L(GENERAL_MANAGER): return "general manager";
	default:		return "desk";
	}
}

void
unit_building(const char *unit, char *out, size_t len)
{
	size_t n = strcspn(unit, "-");

	snprintf(out, len, "%.*s", (int)n, unit);
}

static void
tally_put(struct tally_key *k, size_t *n, size_t max, uint32_t day,
    const char *dim, const char *value)
{
	size_t len;

	if (*n == max)
		return;
	len = strnlen(value, sizeof(k[*n].value) - 1);
	k[*n].day = day;
	k[*n].dim = dim;
	memcpy(k[*n].value, value, len);	/* snprintf was a twentieth */
	k[*n].value[len] = '\0';
	(*n)++;
}

static const char *
reply_tally(const Deskd__Complaint *c)
{
	if (c->first_due_ms == 0)
		return "unknown";
	if (c->first_reply_ms == 0)
		return "none";
	return c->first_reply_ms <= c->first_due_ms ? "on_time" : "late";
}

size_t
complaint_tally(const Deskd__Complaint *c, struct tally_key *k, size_t max)
{
	int64_t at = *c->import_file && c->reported_ms ? c->reported_ms :
	    c->created_ms;
	uint32_t day = calendar_local_day(at);
	char building[STORE_TALLY_TEXT_MAX + 1], score[2];
	size_t n = 0;

	if (day == 0)
		return 0;
	tally_put(k, &n, max, day, "all", "");
	tally_put(k, &n, max, day, "cat", c->category);
	tally_put(k, &n, max, day, "src", c->source);
	tally_put(k, &n, max, day, "val", complaint_validity_name(c->validity));
	tally_put(k, &n, max, day, "st", complaint_status_name(c->status));
	tally_put(k, &n, max, day, "reply", reply_tally(c));
	if (*c->unit) {
		unit_building(c->unit, building, sizeof(building));
		tally_put(k, &n, max, day, "bld", building);
		tally_put(k, &n, max, day, "unit", c->unit);
	}
	/* C4: a valid complaint settled is owed its revisit until done. */
	if (c->validity == V(VALID) && c->status != ST(OPEN))
		tally_put(k, &n, max, day, "revisit", *c->revisit_result ||
		    c->status == ST(CLOSED) ? "done" : "owed");
	if (c->satisfaction >= 1 && c->satisfaction <= 5) {
		score[0] = (char)('0' + c->satisfaction);
		score[1] = '\0';
		tally_put(k, &n, max, day, "sat", score);
	}
	if (c->level != L(DESK))
		tally_put(k, &n, max, day, "lvl",
		    complaint_level_name(c->level));
	return n;
}
