/*
 * test_audience.c - who receives which event: every area's event rules
 * (area.h) as push's filter asks them (core/audience.c), walked against
 * the permission table (perm.c) for every role, as PROTOCOL.md §8.4 says.
 * No store: only the checks that need none (the engineer's orders and
 * complaints); handovers and alerts are test_engineer_scope's.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "area.h"
#include "audience.h"
#include "conn.h"
#include "deskd.pb-c.h"
#include "push.h"

/* The filter's verdict on ev for a subscriber of role and user with
 * these prefixes (push has already matched them). */
static enum push_verdict
verdict(enum role role, const char *user, char **prefixes, size_t n,
    Deskd__Event *ev)
{
	ProtobufCMessage *edited = NULL;
	struct conn c;
	enum push_verdict v;
	const char *type;
	size_t tlen, len = deskd__event__get_packed_size(ev);
	uint8_t *data = malloc(len ? len : 1);

	assert_non_null(data);
	deskd__event__pack(ev, data);
	assert_true(push_event_type(data, len, &type, &tlen));
	memset(&c, 0, sizeof(c));
	c.role = role;
	snprintf(c.user, sizeof(c.user), "%s", user);
	c.prefixes = prefixes;
	c.nprefixes = n;
	v = audience_filter(&c, NULL, type, tlen, data, len, &edited);
	if (edited != NULL)
		protobuf_c_message_free_unpacked(edited, NULL);
	free(data);
	return v;
}

static enum push_verdict
verdict_type(enum role role, const char *type)
{
	Deskd__Event ev = DESKD__EVENT__INIT;

	ev.type = (char *)type;
	return verdict(role, "someone", NULL, 0, &ev);
}

static int
setup(void **state)
{
	(void)state;
	area_register_all(area_list);
	return 0;
}

/* Each rule says what it covers one way, and a check with whom it runs
 * for; receiving an event never needs less than subscribing does. */
static void
test_rules_well_formed(void **state)
{
	const struct area *a;
	size_t nrules = 0;

	(void)state;
	for (size_t i = 0; (a = area_nth(i)) != NULL; i++)
		for (size_t j = 0; j < a->nevents; j++) {
			const struct event_rule *r = &a->events[j];

			assert_true((r->prefix == NULL) != (r->covers == NULL));
			assert_true((r->check == NULL) ==
			    (r->narrowed == NULL));
			assert_true(r->op < OP__COUNT);
			for (int role = ROLE_NONE; role < ROLE__COUNT; role++)
				if (perm_allows((enum role)role, r->op))
					assert_true(perm_allows(
					    (enum role)role, OP_WATCH));
			nrules++;
		}
	assert_true(nrules > 0);
}

/* PROTOCOL.md §8.4, Subscribe: what each type needs, for every role. */
static void
test_types_by_role(void **state)
{
	static const struct {
		const char	*type;
		enum perm_op	 op;
	} want[] = {
		{ "complaint.created", OP_WATCH },
		{ "repair.created", OP_WATCH },
		{ "alert.raised", OP_WATCH },
		{ "handover.opened", OP_WATCH },
		{ "shift.changed", OP_WATCH },
		{ "user.added", OP_WATCH },
		{ "fee.set", OP_WATCH },
		{ "import.progress", OP_WATCH },
		{ "schedule.imported", OP_WATCH },	/* not a bulk import */
		{ "person.added", OP_ARCHIVE_READ },
		{ "unit.added", OP_ARCHIVE_READ },
		{ "archive.exported", OP_ARCHIVE_READ },
		{ "person.revealed", OP_REVEAL_AUDIT },
		{ "contact.revealed", OP_REVEAL_AUDIT },
		{ "visitor.in", OP_REGISTER_READ },
		{ "visitor-permit.added", OP_REGISTER_READ },
		{ "key.out", OP_REGISTER_READ },
		{ "parking.renewed", OP_REGISTER_READ },
	};

	(void)state;
	for (size_t i = 0; i < nitems(want); i++)
		for (int role = ROLE_NONE; role < ROLE__COUNT; role++) {
			enum push_verdict expect = perm_allows((enum role)role,
			    want[i].op) ? PUSH_SEND : PUSH_DROP;

			if (verdict_type((enum role)role, want[i].type) !=
			    expect)
				fail_msg("%s for %s: expected %s", want[i].type,
				    role_name((enum role)role), expect ==
				    PUSH_SEND ? "sent" : "dropped");
		}
}

/* E6: an engineer gets the orders sent to them, and no employee's
 * complaint (C5); every other role gets them all. */
static void
test_engineer_narrowed(void **state)
{
	Deskd__Event ev = DESKD__EVENT__INIT;
	Deskd__WorkOrder w = DESKD__WORK_ORDER__INIT;
	Deskd__Complaint c = DESKD__COMPLAINT__INIT;

	(void)state;
	ev.type = "repair.dispatched";
	ev.work_order = &w;
	w.engineer = "eng1";
	assert_int_equal(verdict(ROLE_ENGINEER, "eng1", NULL, 0, &ev),
	    PUSH_SEND);
	assert_int_equal(verdict(ROLE_ENGINEER, "eng2", NULL, 0, &ev),
	    PUSH_DROP);
	assert_int_equal(verdict(ROLE_CLERK, "clerk1", NULL, 0, &ev),
	    PUSH_SEND);

	ev.type = "complaint.created";
	ev.work_order = NULL;
	ev.complaint = &c;
	c.source = "employee";
	assert_int_equal(verdict(ROLE_ENGINEER, "eng1", NULL, 0, &ev),
	    PUSH_DROP);
	assert_int_equal(verdict(ROLE_CLERK, "clerk1", NULL, 0, &ev),
	    PUSH_SEND);
	c.source = "owner";
	assert_int_equal(verdict(ROLE_ENGINEER, "eng1", NULL, 0, &ev),
	    PUSH_SEND);
}

/* H3: a bulk import's KIND.imported goes only to a subscriber that names
 * it (".imp"); the register's own rule still applies to it. */
static void
test_imported_asked_by_name(void **state)
{
	Deskd__Event ev = DESKD__EVENT__INIT;
	char *kind[] = { "complaint." }, *imp[] = { "user.", "complaint.imp" };
	char *other[] = { "repair.imp" }, *visitor[] = { "visitor.imported" };

	(void)state;
	ev.type = "complaint.imported";
	assert_int_equal(verdict(ROLE_CLERK, "c", NULL, 0, &ev), PUSH_DROP);
	assert_int_equal(verdict(ROLE_CLERK, "c", kind, 1, &ev), PUSH_DROP);
	assert_int_equal(verdict(ROLE_CLERK, "c", other, 1, &ev), PUSH_DROP);
	assert_int_equal(verdict(ROLE_CLERK, "c", imp, 2, &ev), PUSH_SEND);
	ev.type = "visitor.imported";
	assert_int_equal(verdict(ROLE_CLERK, "c", visitor, 1, &ev),
	    PUSH_SEND);
	assert_int_equal(verdict(ROLE_ENGINEER, "e", visitor, 1, &ev),
	    PUSH_DROP);
	ev.type = "schedule.imported";
	assert_int_equal(verdict(ROLE_CLERK, "c", NULL, 0, &ev), PUSH_SEND);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rules_well_formed),
		cmocka_unit_test(test_types_by_role),
		cmocka_unit_test(test_engineer_narrowed),
		cmocka_unit_test(test_imported_asked_by_name),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
