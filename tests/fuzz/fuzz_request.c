/*
 * fuzz_request.c - one Request payload through everything pure that a
 * request meets: the capped unpack, string validation, the complaint rules
 * against complaints in every state, and the event-type scanner that push
 * runs on stored events.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "complaint_rules.h"
#include "ctx.h"
#include "push.h"
#include "validate.h"
#include "wire.h"

#define ST(x)	DESKD__COMPLAINT_STATUS__STATUS_##x
#define V(x)	DESKD__VALIDITY__VALIDITY_##x
#define L(x)	DESKD__ESCALATION_LEVEL__LEVEL_##x

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static const int64_t now_ms = 1700000000000LL;

static void
samples(Deskd__Complaint out[6])
{
	static const struct {
		Deskd__ComplaintStatus	 st;
		Deskd__Validity		 v;
		Deskd__EscalationLevel	 l;
	} s[6] = {
		{ ST(OPEN), V(UNDECIDED), L(DESK) },
		{ ST(OPEN), V(VALID), L(DESK) },
		{ ST(OPEN), V(INVALID), L(MANAGER) },
		{ ST(RESOLVED), V(VALID), L(DESK) },
		{ ST(CLOSED), V(VALID), L(MANAGER) },
		{ ST(CLOSED), V(INVALID), L(GENERAL_MANAGER) },
	};

	for (int i = 0; i < 6; i++) {
		deskd__complaint__init(&out[i]);
		out[i].id = 7;
		out[i].status = s[i].st;
		out[i].validity = s[i].v;
		out[i].level = s[i].l;
		out[i].revision = 3;
	}
}

static void
steps(const Deskd__ComplaintStep *step)
{
	Deskd__Complaint c[6];
	char msg[256];

	samples(c);
	for (int i = 0; i < 6; i++) {
		Deskd__Status st;

		msg[0] = '\0';
		st = complaint_check_step(&c[i], step, now_ms, msg,
		    sizeof(msg));
		if (st != DESKD__STATUS__OK) {
			if (msg[0] == '\0')
				abort();	/* every refusal says why */
			continue;
		}
		complaint_apply_step(&c[i], step, now_ms);
		/* An allowed step is one more revision, stamped now, and never
		 * reopens a closed complaint. */
		if (c[i].revision != 4 || c[i].updated_ms != now_ms)
			abort();
		if (i >= 4 && c[i].status != ST(CLOSED))
			abort();
		(void)complaint_event_type(step->action);
	}
}

/* Differential check of the scanner: whatever protobuf-c decodes as an
 * Event, re-packed, must show the scanner the same type. */
static void
scan_event(const uint8_t *data, size_t size)
{
	struct wire_budget budget;
	Deskd__Event *ev;
	const char *type;
	size_t tlen, plen;
	uint8_t *packed;

	if (push_event_type(data, size, &type, &tlen)) {
		if (type < (const char *)data || tlen > size ||
		    type + tlen > (const char *)data + size)
			abort();
		(void)push_type_matches(type, tlen,
		    (char *const[]){ "complaint.", "user." }, 2);
	}
	wire_budget_init(&budget, wire_budget_for(size));
	if ((ev = deskd__event__unpack(&budget.allocator, size, data)) == NULL) {
		wire_budget_release(&budget);
		return;
	}
	plen = deskd__event__get_packed_size(ev);
	if ((packed = malloc(plen ? plen : 1)) != NULL) {
		if (deskd__event__pack(ev, packed) != plen)
			abort();
		if (push_event_type(packed, plen, &type, &tlen)) {
			if (tlen != strlen(ev->type) ||
			    memcmp(type, ev->type, tlen) != 0)
				abort();
		} else if (ev->type[0] != '\0')
			abort();
		free(packed);
	}
	wire_budget_release(&budget);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct wire_budget budget;
	Deskd__Request *req;
	char msg[256];

	scan_event(data, size);
	wire_budget_init(&budget, wire_budget_for(size));
	if ((req = deskd__request__unpack(&budget.allocator, size, data)) ==
	    NULL) {
		if (budget.used > budget.cap)
			abort();
		wire_budget_release(&budget);
		return 0;
	}
	msg[0] = '\0';
	if (validate_fields(&req->base, msg, sizeof(msg)) ==
	    DESKD__STATUS__OK) {
		/* The rules run only on what validation let through, as in
		 * dispatch.c. */
		if (req->body_case == DESKD__REQUEST__BODY_COMPLAINT_NEW) {
			if (complaint_new_validate(req->complaint_new, msg,
			    sizeof(msg)) != DESKD__STATUS__OK && msg[0] == '\0')
				abort();
		} else if (req->body_case ==
		    DESKD__REQUEST__BODY_COMPLAINT_STEP)
			steps(req->complaint_step);
	} else if (msg[0] == '\0')
		abort();
	wire_budget_release(&budget);
	return 0;
}
