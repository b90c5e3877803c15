/*
 * test_complaint_rules.c - the complaint state machine (C1-C9): which step is
 * allowed in which state, with which status, and what an allowed step does.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "complaint_rules.h"
#include "deskd.pb-c.h"

#define A(x)	DESKD__COMPLAINT_ACTION__ACTION_##x
#define ST(x)	DESKD__COMPLAINT_STATUS__STATUS_##x
#define V(x)	DESKD__VALIDITY__VALIDITY_##x
#define L(x)	DESKD__ESCALATION_LEVEL__LEVEL_##x

#define OK		DESKD__STATUS__OK
#define INVALID		DESKD__STATUS__INVALID_ARGUMENT
#define CONFLICT	DESKD__STATUS__CONFLICT

static const int64_t now = 1700000000000LL;	/* 2023-11-14 */
static const int64_t hour = 3600 * 1000;

static Deskd__Complaint
complaint(Deskd__ComplaintStatus st, Deskd__Validity v,
    Deskd__EscalationLevel l)
{
	Deskd__Complaint c = DESKD__COMPLAINT__INIT;

	c.id = 12;
	c.status = st;
	c.validity = v;
	c.level = l;
	c.reply_due_ms = now + 2 * hour;
	c.revision = 1;
	return c;
}

static Deskd__ComplaintStep
step(Deskd__ComplaintAction a, const char *text)
{
	Deskd__ComplaintStep s = DESKD__COMPLAINT_STEP__INIT;

	s.id = 12;
	s.action = a;
	s.text = (char *)text;
	return s;
}

/* The check's status; a refusal must always say why. */
static Deskd__Status
check(const Deskd__Complaint *c, const Deskd__ComplaintStep *s)
{
	char msg[256];
	Deskd__Status st;

	msg[0] = '\0';
	st = complaint_check_step(c, s, now, msg, sizeof(msg));
	if (st != OK)
		assert_true(strlen(msg) > 0);
	return st;
}

/* Check, require OK, apply; the revision goes up by one each time. */
static void
apply(Deskd__Complaint *c, const Deskd__ComplaintStep *s)
{
	uint32_t rev = c->revision;

	assert_int_equal(check(c, s), OK);
	complaint_apply_step(c, s, now);
	assert_int_equal(c->revision, rev + 1);
	assert_int_equal(c->updated_ms, now);
}

static void
note_always_allowed(void **state)
{
	static const Deskd__ComplaintStatus sts[] = { ST(OPEN), ST(RESOLVED),
	    ST(CLOSED) };
	static const Deskd__Validity vs[] = { V(UNDECIDED), V(VALID),
	    V(INVALID) };
	static const Deskd__EscalationLevel ls[] = { L(DESK), L(MANAGER),
	    L(GENERAL_MANAGER) };
	Deskd__ComplaintStep s = step(A(NOTE), "电话号码记错了，应为 138…");
	Deskd__ComplaintStep empty = step(A(NOTE), "");

	(void)state;
	/* C9: corrections are new entries, in any state at all. */
	for (size_t i = 0; i < 3; i++)
		for (size_t j = 0; j < 3; j++)
			for (size_t k = 0; k < 3; k++) {
				Deskd__Complaint c = complaint(sts[i], vs[j],
				    ls[k]);
				Deskd__Complaint before = c;

				assert_int_equal(check(&c, &empty), INVALID);
				apply(&c, &s);
				/* A note changes nothing but the revision. */
				assert_int_equal(c.status, before.status);
				assert_int_equal(c.validity, before.validity);
				assert_int_equal(c.level, before.level);
				assert_int_equal(c.reply_due_ms,
				    before.reply_due_ms);
				assert_string_equal(c.result, "");
			}
}

static void
assign(void **state)
{
	Deskd__Complaint c = complaint(ST(OPEN), V(UNDECIDED), L(DESK));
	Deskd__ComplaintStep s = step(A(ASSIGN), "");

	(void)state;
	/* C6: someone must be responsible. */
	assert_int_equal(check(&c, &s), INVALID);
	s.dept = "工程部";
	apply(&c, &s);
	assert_string_equal(c.responsible_dept, "工程部");
	assert_string_equal(c.responsible_person, "");
	/* A person alone keeps the department. */
	s.dept = "";
	s.person = "李工";
	apply(&c, &s);
	assert_string_equal(c.responsible_dept, "工程部");
	assert_string_equal(c.responsible_person, "李工");

	c = complaint(ST(RESOLVED), V(VALID), L(DESK));
	assert_int_equal(check(&c, &s), OK);
	c = complaint(ST(CLOSED), V(VALID), L(DESK));
	assert_int_equal(check(&c, &s), CONFLICT);
}

static void
valid_invalid(void **state)
{
	Deskd__Complaint c;
	Deskd__ComplaintStep valid = step(A(VALID), "");
	Deskd__ComplaintStep invalid = step(A(INVALID), "不属物业管理范围");
	Deskd__ComplaintStep noreason = step(A(INVALID), "");

	(void)state;
	c = complaint(ST(OPEN), V(UNDECIDED), L(DESK));
	apply(&c, &valid);
	assert_int_equal(c.validity, V(VALID));
	assert_int_equal(c.status, ST(OPEN));
	/* Judged once; a correction is a note. */
	assert_int_equal(check(&c, &valid), CONFLICT);
	assert_int_equal(check(&c, &invalid), CONFLICT);

	c = complaint(ST(OPEN), V(UNDECIDED), L(DESK));
	assert_int_equal(check(&c, &noreason), INVALID);	/* C3 */
	apply(&c, &invalid);
	assert_int_equal(c.validity, V(INVALID));
	assert_string_equal(c.invalid_reason, "不属物业管理范围");
	/* C3: still open, and the reply owed within the window stands. */
	assert_int_equal(c.status, ST(OPEN));
	assert_int_equal(c.reply_due_ms, now + 2 * hour);
	assert_int_equal(check(&c, &valid), CONFLICT);
	assert_int_equal(check(&c, &invalid), CONFLICT);

	/* Only an open complaint is judged. */
	c = complaint(ST(RESOLVED), V(UNDECIDED), L(DESK));
	assert_int_equal(check(&c, &valid), CONFLICT);
	assert_int_equal(check(&c, &invalid), CONFLICT);
	c = complaint(ST(CLOSED), V(UNDECIDED), L(DESK));
	assert_int_equal(check(&c, &valid), CONFLICT);
	assert_int_equal(check(&c, &invalid), CONFLICT);
}

static void
reply_valid_needs_next(void **state)
{
	Deskd__Complaint c = complaint(ST(OPEN), V(VALID), L(DESK));
	Deskd__ComplaintStep s = step(A(REPLY), "已联系施工方，明天答复");

	(void)state;
	/* C2: a valid complaint's reply agrees the time of the next one. */
	s.next_reply_ms = 0;
	assert_int_equal(check(&c, &s), INVALID);
	s.next_reply_ms = now - hour;
	assert_int_equal(check(&c, &s), INVALID);
	s.next_reply_ms = now;
	assert_int_equal(check(&c, &s), INVALID);
	s.next_reply_ms = now + 1;
	assert_int_equal(check(&c, &s), OK);
	s.next_reply_ms = now + 24 * hour;
	apply(&c, &s);
	assert_string_equal(c.result, "已联系施工方，明天答复");
	assert_int_equal(c.last_reply_ms, now);
	assert_int_equal(c.reply_due_ms, now + 24 * hour);
	assert_int_equal(c.status, ST(OPEN));
	/* Replies continue until it is resolved. */
	s.next_reply_ms = now + 48 * hour;
	apply(&c, &s);
	assert_int_equal(c.reply_due_ms, now + 48 * hour);

	s.text = "";
	assert_int_equal(check(&c, &s), INVALID);
}

static void
reply_undecided(void **state)
{
	Deskd__Complaint c = complaint(ST(OPEN), V(UNDECIDED), L(DESK));
	Deskd__ComplaintStep s = step(A(REPLY), "收到，正在核实");

	(void)state;
	/* Before judging, a reply needs no next time, but a given one must be
	 * in the future. */
	s.next_reply_ms = now - 1;
	assert_int_equal(check(&c, &s), INVALID);
	s.next_reply_ms = 0;
	apply(&c, &s);
	assert_int_equal(c.status, ST(OPEN));
	assert_int_equal(c.reply_due_ms, 0);
	assert_int_equal(c.last_reply_ms, now);
}

static void
reply_invalid_closes(void **state)
{
	Deskd__Complaint c = complaint(ST(OPEN), V(INVALID), L(DESK));
	Deskd__ComplaintStep s = step(A(REPLY), "经核实不属物业责任，已告知");

	(void)state;
	/* C3: telling the complainant it is invalid ends the case. */
	apply(&c, &s);
	assert_int_equal(c.status, ST(CLOSED));
	assert_string_equal(c.result, "经核实不属物业责任，已告知");
	assert_int_equal(c.reply_due_ms, 0);
	assert_int_equal(check(&c, &s), CONFLICT);

	/* A closed case owes no further reply, even if one was agreed. */
	c = complaint(ST(OPEN), V(INVALID), L(DESK));
	s.next_reply_ms = now + hour;
	apply(&c, &s);
	assert_int_equal(c.status, ST(CLOSED));
	assert_int_equal(c.reply_due_ms, 0);

	/* Nor does any reply go to a settled complaint. */
	s.next_reply_ms = now + hour;
	c = complaint(ST(RESOLVED), V(VALID), L(DESK));
	assert_int_equal(check(&c, &s), CONFLICT);
	c = complaint(ST(CLOSED), V(VALID), L(DESK));
	assert_int_equal(check(&c, &s), CONFLICT);
}

static void
resolve(void **state)
{
	Deskd__Complaint c;
	Deskd__ComplaintStep s = step(A(RESOLVE), "已停止夜间施工");

	(void)state;
	c = complaint(ST(OPEN), V(UNDECIDED), L(DESK));
	assert_int_equal(check(&c, &s), CONFLICT);	/* judge first */
	c = complaint(ST(OPEN), V(INVALID), L(DESK));
	assert_int_equal(check(&c, &s), CONFLICT);	/* closed by reply */
	c = complaint(ST(RESOLVED), V(VALID), L(DESK));
	assert_int_equal(check(&c, &s), CONFLICT);
	c = complaint(ST(CLOSED), V(VALID), L(DESK));
	assert_int_equal(check(&c, &s), CONFLICT);

	c = complaint(ST(OPEN), V(VALID), L(DESK));
	s.text = "";
	assert_int_equal(check(&c, &s), INVALID);
	s.text = "已停止夜间施工";
	apply(&c, &s);
	assert_int_equal(c.status, ST(RESOLVED));
	assert_string_equal(c.result, "已停止夜间施工");
	/* Settled: no reply is owed any more. */
	assert_int_equal(c.reply_due_ms, 0);
}

static void
revisit_after_resolve(void **state)
{
	Deskd__Complaint c;
	Deskd__ComplaintStep s = step(A(REVISIT), "业主满意");

	(void)state;
	s.satisfaction = 5;
	/* C4: the revisit comes after the resolution, never before. */
	c = complaint(ST(OPEN), V(VALID), L(DESK));
	assert_int_equal(check(&c, &s), CONFLICT);
	c = complaint(ST(OPEN), V(UNDECIDED), L(DESK));
	assert_int_equal(check(&c, &s), CONFLICT);
	c = complaint(ST(CLOSED), V(VALID), L(DESK));
	assert_int_equal(check(&c, &s), CONFLICT);

	c = complaint(ST(RESOLVED), V(VALID), L(DESK));
	s.satisfaction = 0;
	assert_int_equal(check(&c, &s), INVALID);
	s.satisfaction = 6;
	assert_int_equal(check(&c, &s), INVALID);
	s.satisfaction = 1;
	assert_int_equal(check(&c, &s), OK);
	s.satisfaction = 4;
	s.text = "";
	assert_int_equal(check(&c, &s), INVALID);
	s.text = "业主基本满意";
	apply(&c, &s);
	assert_int_equal(c.status, ST(CLOSED));
	assert_int_equal(c.satisfaction, 4);
	assert_string_equal(c.revisit_result, "业主基本满意");
	/* Once. */
	assert_int_equal(check(&c, &s), CONFLICT);
}

static void
escalate_then_appeal_once(void **state)
{
	Deskd__Complaint c = complaint(ST(OPEN), V(VALID), L(DESK));
	Deskd__ComplaintStep esc = step(A(ESCALATE), "业主要求经理处理");
	Deskd__ComplaintStep app = step(A(APPEAL), "维持原处理意见");
	Deskd__ComplaintStep empty;

	(void)state;
	/* C7: no appeal before an escalation. */
	assert_int_equal(check(&c, &app), CONFLICT);
	empty = step(A(ESCALATE), "");
	assert_int_equal(check(&c, &empty), INVALID);
	apply(&c, &esc);
	assert_int_equal(c.level, L(MANAGER));
	assert_int_equal(c.status, ST(OPEN));
	assert_int_equal(check(&c, &esc), CONFLICT);	/* only once */

	empty = step(A(APPEAL), "");
	assert_int_equal(check(&c, &empty), INVALID);
	apply(&c, &app);
	assert_int_equal(c.level, L(GENERAL_MANAGER));
	assert_string_equal(c.ruling, "维持原处理意见");
	/* The ruling is final. */
	assert_int_equal(check(&c, &app), CONFLICT);
	assert_int_equal(check(&c, &esc), CONFLICT);

	/* A resolved complaint may still go up; a closed one may not. */
	c = complaint(ST(RESOLVED), V(VALID), L(DESK));
	assert_int_equal(check(&c, &esc), OK);
	c = complaint(ST(CLOSED), V(VALID), L(DESK));
	assert_int_equal(check(&c, &esc), CONFLICT);
}

static void
unknown_action(void **state)
{
	Deskd__Complaint c = complaint(ST(OPEN), V(UNDECIDED), L(DESK));
	Deskd__ComplaintStep s = step(A(NONE), "text");

	(void)state;
	assert_int_equal(check(&c, &s), INVALID);
	s.action = (Deskd__ComplaintAction)99;
	assert_int_equal(check(&c, &s), INVALID);
	s.action = (Deskd__ComplaintAction)-1;
	assert_int_equal(check(&c, &s), INVALID);
}

/* One complaint from intake to the end; the revision counts every step. */
static void
whole_lifecycle(void **state)
{
	Deskd__Complaint c = complaint(ST(OPEN), V(UNDECIDED), L(DESK));
	Deskd__ComplaintStep s;

	(void)state;
	c.revision = 1;		/* the intake */
	s = step(A(ASSIGN), "");
	s.dept = "工程部";
	apply(&c, &s);
	s = step(A(VALID), "");
	apply(&c, &s);
	s = step(A(REPLY), "明天上午上门");
	s.next_reply_ms = now + hour;
	apply(&c, &s);
	s = step(A(NOTE), "业主改约下午");
	apply(&c, &s);
	s = step(A(ESCALATE), "业主不满");
	apply(&c, &s);
	s = step(A(APPEAL), "维持");
	apply(&c, &s);
	s = step(A(RESOLVE), "已修复");
	apply(&c, &s);
	s = step(A(REVISIT), "满意");
	s.satisfaction = 5;
	apply(&c, &s);
	s = step(A(NOTE), "归档");
	apply(&c, &s);
	assert_int_equal(c.revision, 10);
	assert_int_equal(c.status, ST(CLOSED));
	assert_int_equal(c.level, L(GENERAL_MANAGER));
	assert_int_equal(c.validity, V(VALID));
	assert_string_equal(c.result, "已修复");
	assert_int_equal(c.satisfaction, 5);
}

static void
event_types(void **state)
{
	(void)state;
	assert_string_equal(complaint_event_type(A(ASSIGN)),
	    "complaint.assigned");
	assert_string_equal(complaint_event_type(A(VALID)),
	    "complaint.validated");
	assert_string_equal(complaint_event_type(A(INVALID)),
	    "complaint.invalidated");
	assert_string_equal(complaint_event_type(A(REPLY)),
	    "complaint.replied");
	assert_string_equal(complaint_event_type(A(RESOLVE)),
	    "complaint.resolved");
	assert_string_equal(complaint_event_type(A(REVISIT)),
	    "complaint.revisited");
	assert_string_equal(complaint_event_type(A(ESCALATE)),
	    "complaint.escalated");
	assert_string_equal(complaint_event_type(A(APPEAL)),
	    "complaint.appealed");
	assert_string_equal(complaint_event_type(A(NOTE)), "complaint.noted");
	assert_string_equal(complaint_status_name(ST(CLOSED)), "closed");
	assert_string_equal(complaint_validity_name(V(INVALID)), "invalid");
	assert_string_equal(complaint_level_name(L(GENERAL_MANAGER)),
	    "general manager");
}

/* ---------- intake (C5) ---------- */

static Deskd__ComplaintNew
intake(void)
{
	Deskd__ComplaintNew n = DESKD__COMPLAINT_NEW__INIT;

	n.source = "customer";
	n.unit = "3-502";
	n.complainant = "王女士";
	n.phone = "+86 138-0000-0000";
	n.channel = "phone";
	n.category = "noise";
	n.event_time_ms = now - hour;
	n.text = "楼上装修噪音";
	n.demand = "停止夜间施工";
	return n;
}

static Deskd__Status
new_status(const Deskd__ComplaintNew *n)
{
	char msg[256];
	Deskd__Status st;

	msg[0] = '\0';
	st = complaint_new_validate(n, msg, sizeof(msg));
	if (st != OK)
		assert_true(strlen(msg) > 0);
	return st;
}

static void
new_complaint(void **state)
{
	Deskd__ComplaintNew n;

	(void)state;
	n = intake();
	assert_int_equal(new_status(&n), OK);
	/* Source and channel may be left out, not made up. */
	n.source = "";
	n.channel = "";
	n.demand = "";
	n.event_time_ms = 0;
	assert_int_equal(new_status(&n), OK);
	n = intake();
	n.source = "visitor";
	assert_int_equal(new_status(&n), INVALID);
	n = intake();
	n.source = "Customer";
	assert_int_equal(new_status(&n), INVALID);
	n = intake();
	n.channel = "fax";
	assert_int_equal(new_status(&n), INVALID);
	n = intake();
	n.channel = "wechat";
	assert_int_equal(new_status(&n), OK);
	n = intake();
	n.unit = "";
	assert_int_equal(new_status(&n), INVALID);
	n = intake();
	n.complainant = "";
	assert_int_equal(new_status(&n), INVALID);
	n = intake();
	n.phone = "";
	assert_int_equal(new_status(&n), INVALID);
	n = intake();
	n.phone = "call me";
	assert_int_equal(new_status(&n), INVALID);
	n = intake();
	n.category = "";
	assert_int_equal(new_status(&n), INVALID);
	n = intake();
	n.text = "";
	assert_int_equal(new_status(&n), INVALID);
	n = intake();
	n.event_time_ms = -1;
	assert_int_equal(new_status(&n), INVALID);
}

static void
phone_numbers(void **state)
{
	(void)state;
	assert_true(complaint_phone_ok("13800000000"));
	assert_true(complaint_phone_ok("+86 138-0000-0000"));
	assert_true(complaint_phone_ok("010-8888 6666"));
	assert_true(complaint_phone_ok("12345"));		/* 5 digits */
	assert_true(complaint_phone_ok("123456789012345"));	/* 15 */
	assert_false(complaint_phone_ok("1234"));
	assert_false(complaint_phone_ok("1234567890123456"));	/* 16 */
	assert_false(complaint_phone_ok(""));
	assert_false(complaint_phone_ok("+ - - -"));
	assert_false(complaint_phone_ok("138O0000000"));	/* letter O */
	assert_false(complaint_phone_ok("138+0000000"));	/* + inside */
	assert_false(complaint_phone_ok("++8613800000000"));
	assert_false(complaint_phone_ok("138\t0000 0000"));
	assert_false(complaint_phone_ok("１３８００００００００"));
}

/* C5/E6: an employee's complaint is not the engineers' to read. */
static void
internal_readers(void **state)
{
	Deskd__Complaint c = DESKD__COMPLAINT__INIT;

	(void)state;
	c.source = "employee";
	assert_false(complaint_readable_by(ROLE_ENGINEER, &c));
	assert_false(complaint_readable_by(ROLE_NONE, &c));
	assert_true(complaint_readable_by(ROLE_CLERK, &c));
	assert_true(complaint_readable_by(ROLE_SUPERVISOR, &c));
	assert_true(complaint_readable_by(ROLE_DIRECTOR, &c));
	assert_true(complaint_readable_by(ROLE_ADMIN, &c));
	c.source = "customer";
	assert_true(complaint_readable_by(ROLE_ENGINEER, &c));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(note_always_allowed),
		cmocka_unit_test(assign),
		cmocka_unit_test(valid_invalid),
		cmocka_unit_test(reply_valid_needs_next),
		cmocka_unit_test(reply_undecided),
		cmocka_unit_test(reply_invalid_closes),
		cmocka_unit_test(resolve),
		cmocka_unit_test(revisit_after_resolve),
		cmocka_unit_test(escalate_then_appeal_once),
		cmocka_unit_test(unknown_action),
		cmocka_unit_test(whole_lifecycle),
		cmocka_unit_test(event_types),
		cmocka_unit_test(new_complaint),
		cmocka_unit_test(phone_numbers),
		cmocka_unit_test(internal_readers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
