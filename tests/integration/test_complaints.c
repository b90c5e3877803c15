/*
 * test_complaints.c - complaints end to end (C1-C9) over TLS: intake, every
 * step, the transitions that must be refused, history that never
 * overwrites, and who may do what.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "harness.h"

#define A(x)	DESKD__COMPLAINT_ACTION__ACTION_##x

static struct server_proc srv;

static int
setup(void **state)
{
	(void)state;
	srv_setup(&srv, NULL);
	h_add_user(&srv, "clerk1", "clerk", "clerk-pass-1");
	h_add_user(&srv, "boss", "director", "director-pass-1");
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	srv_teardown(&srv);
	return 0;
}

static void
test_lifecycle_valid(void **state)
{
	struct desk *d = h_login(&srv, "clerk1", "clerk-pass-1");
	Deskd__Complaint *c;
	Deskd__Status st;
	uint64_t id;
	int64_t future = (int64_t)time(NULL) * 1000 + 3600 * 1000;

	(void)state;
	id = h_complaint(d, "3-2-1201", "楼上装修噪音", &st);
	assert_int_equal(st, DESKD__STATUS__OK);
	assert_true(id > 0);
	c = h_get(d, id);
	assert_non_null(c);
	assert_string_equal(c->text, "楼上装修噪音");
	assert_string_equal(c->complainant, "王女士");
	assert_string_equal(c->created_by, "clerk1");
	/* C2/C3: a reply is owed within 2 hours of intake. */
	assert_int_equal(c->reply_due_ms - c->created_ms, 2 * 3600 * 1000);
	deskd__complaint__free_unpacked(c, NULL);

	/* Revisit before resolve makes no sense (C4). */
	assert_int_equal(h_step(d, id, A(REVISIT), "ok", 0, 5),
	    DESKD__STATUS__CONFLICT);
	assert_int_equal(h_step(d, id, A(ASSIGN), NULL, 0, 0), DESKD__STATUS__OK);
	assert_int_equal(h_step(d, id, A(VALID), NULL, 0, 0), DESKD__STATUS__OK);
	/* C2: a reply to a valid complaint agrees the next reply time. */
	assert_int_equal(h_step(d, id, A(REPLY), "已联系", 0, 0),
	    DESKD__STATUS__INVALID_ARGUMENT);
	assert_int_equal(h_step(d, id, A(REPLY), "已联系", future, 0),
	    DESKD__STATUS__OK);
	c = h_get(d, id);
	assert_int_equal(c->reply_due_ms, future);
	assert_string_equal(c->responsible_dept, "工程部");
	deskd__complaint__free_unpacked(c, NULL);
	assert_int_equal(h_step(d, id, A(RESOLVE), "已限定施工时间", 0, 0),
	    DESKD__STATUS__OK);
	/* A resolved case takes no more replies. */
	assert_int_equal(h_step(d, id, A(REPLY), "again", future, 0),
	    DESKD__STATUS__CONFLICT);
	assert_int_equal(h_step(d, id, A(REVISIT), "满意", 0, 9),
	    DESKD__STATUS__INVALID_ARGUMENT);
	assert_int_equal(h_step(d, id, A(REVISIT), "满意", 0, 5),
	    DESKD__STATUS__OK);
	c = h_get(d, id);
	assert_int_equal(c->status, DESKD__COMPLAINT_STATUS__STATUS_CLOSED);
	assert_int_equal(c->satisfaction, 5);
	assert_int_equal(c->revision, 6);	/* created + 5 accepted steps */
	deskd__complaint__free_unpacked(c, NULL);
	/* Closed: no more revisits, but notes are always allowed (C9). */
	assert_int_equal(h_step(d, id, A(REVISIT), "again", 0, 5),
	    DESKD__STATUS__CONFLICT);
	assert_int_equal(h_step(d, id, A(NOTE), "更正: 电话有误", 0, 0),
	    DESKD__STATUS__OK);
	desk_close(d);
}

static void
test_invalid_complaint_closes_on_reply(void **state)
{
	struct desk *d = h_login(&srv, "clerk1", "clerk-pass-1");
	Deskd__Complaint *c;
	uint64_t id = h_complaint(d, "1-1-101", "无效投诉", NULL);

	(void)state;
	assert_int_equal(h_step(d, id, A(INVALID), "", 0, 0),
	    DESKD__STATUS__INVALID_ARGUMENT);
	assert_int_equal(h_step(d, id, A(INVALID), "不属物业责任", 0, 0),
	    DESKD__STATUS__OK);
	assert_int_equal(h_step(d, id, A(VALID), NULL, 0, 0),
	    DESKD__STATUS__CONFLICT);
	assert_int_equal(h_step(d, id, A(RESOLVE), "x", 0, 0),
	    DESKD__STATUS__CONFLICT);
	assert_int_equal(h_step(d, id, A(REPLY), "已解释", 0, 0),
	    DESKD__STATUS__OK);
	c = h_get(d, id);
	assert_int_equal(c->status, DESKD__COMPLAINT_STATUS__STATUS_CLOSED);
	assert_string_equal(c->invalid_reason, "不属物业责任");
	deskd__complaint__free_unpacked(c, NULL);
	desk_close(d);
}

static void
test_escalation_and_final_ruling(void **state)
{
	struct desk *clerk = h_login(&srv, "clerk1", "clerk-pass-1");
	struct desk *dir = h_login(&srv, "boss", "director-pass-1");
	uint64_t id = h_complaint(clerk, "2-1-301", "漏水", NULL);

	(void)state;
	assert_int_equal(h_step(dir, id, A(APPEAL), "驳回", 0, 0),
	    DESKD__STATUS__CONFLICT);
	assert_int_equal(h_step(clerk, id, A(ESCALATE), "无法决定", 0, 0),
	    DESKD__STATUS__OK);
	assert_int_equal(h_step(clerk, id, A(ESCALATE), "again", 0, 0),
	    DESKD__STATUS__CONFLICT);
	/* C7: only the director records the final ruling. */
	assert_int_equal(h_step(clerk, id, A(APPEAL), "驳回", 0, 0),
	    DESKD__STATUS__PERMISSION_DENIED);
	assert_int_equal(h_step(dir, id, A(APPEAL), "维持原处理", 0, 0),
	    DESKD__STATUS__OK);
	assert_int_equal(h_step(dir, id, A(APPEAL), "改判", 0, 0),
	    DESKD__STATUS__CONFLICT);
	desk_close(clerk);
	desk_close(dir);
}

static void
test_history_keeps_every_entry(void **state)
{
	struct desk *d = h_login(&srv, "clerk1", "clerk-pass-1");
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__ComplaintHistory h = DESKD__COMPLAINT_HISTORY__INIT;
	Deskd__Response *resp = NULL;
	uint64_t id = h_complaint(d, "5-1-502", "电梯故障", NULL);

	(void)state;
	assert_int_equal(h_step(d, id, A(NOTE), "第一条", 0, 0), DESKD__STATUS__OK);
	assert_int_equal(h_step(d, id, A(NOTE), "更正第一条", 0, 0),
	    DESKD__STATUS__OK);
	h.id = id;
	req.body_case = DESKD__REQUEST__BODY_COMPLAINT_HISTORY;
	req.complaint_history = &h;
	assert_int_equal(desk_call(d, &req, &resp), DESK_OK);
	assert_int_equal(resp->history->n_events, 3);
	assert_string_equal(resp->history->events[0]->type, "complaint.created");
	assert_string_equal(resp->history->events[1]->text, "第一条");
	assert_string_equal(resp->history->events[2]->text, "更正第一条");
	assert_string_equal(resp->history->events[2]->actor, "clerk1");
	assert_true(resp->history->events[1]->seq < resp->history->events[2]->seq);
	deskd__response__free_unpacked(resp, NULL);

	h.id = 999999;
	assert_int_equal(h_call_status(d, &req, NULL, 0), DESKD__STATUS__NOT_FOUND);
	desk_close(d);
}

static void
test_list_open(void **state)
{
	struct desk *d = h_login(&srv, "clerk1", "clerk-pass-1");
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__ComplaintList l = DESKD__COMPLAINT_LIST__INIT;
	Deskd__Response *resp = NULL;
	uint64_t open_id = h_complaint(d, "7-1-701", "open one", NULL);
	uint64_t closed_id = h_complaint(d, "7-1-702", "closed one", NULL);
	bool saw_open = false, saw_closed = false;

	(void)state;
	h_step(d, closed_id, A(INVALID), "n/a", 0, 0);
	h_step(d, closed_id, A(REPLY), "n/a", 0, 0);
	l.open_only = true;
	req.body_case = DESKD__REQUEST__BODY_COMPLAINT_LIST;
	req.complaint_list = &l;
	assert_int_equal(desk_call(d, &req, &resp), DESK_OK);
	for (size_t i = 0; i < resp->complaint_list->n_complaints; i++) {
		Deskd__Complaint *c = resp->complaint_list->complaints[i];

		saw_open |= c->id == open_id;
		saw_closed |= c->id == closed_id;
		assert_int_not_equal(c->status,
		    DESKD__COMPLAINT_STATUS__STATUS_CLOSED);
	}
	assert_true(saw_open);
	assert_false(saw_closed);
	deskd__response__free_unpacked(resp, NULL);
	desk_close(d);
}

static void
test_engineer_cannot_record(void **state)
{
	struct desk *d;
	Deskd__Status st;

	(void)state;
	h_add_user(&srv, "eng1", "engineer", "engineer-pass-1");
	d = h_login(&srv, "eng1", "engineer-pass-1");
	assert_int_equal(h_complaint(d, "1-1-1", "x", &st), 0);
	assert_int_equal(st, DESKD__STATUS__PERMISSION_DENIED);
	desk_close(d);
}

/* Issue 11, C5: an employee's complaint (internal) needs no owner's
 * unit; a customer's still does. */
static void
test_employee_complaint_without_unit(void **state)
{
	struct desk *d = h_login(&srv, "clerk1", "clerk-pass-1");
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__ComplaintNew n = DESKD__COMPLAINT_NEW__INIT;
	char msg[256];

	(void)state;
	n.source = "employee";
	n.complainant = "保安张";
	n.phone = "13800000009";
	n.category = "repair";
	n.text = "值班室空调坏了一周无人修";
	req.body_case = DESKD__REQUEST__BODY_COMPLAINT_NEW;
	req.complaint_new = &n;
	assert_int_equal(h_call_status(d, &req, msg, sizeof(msg)),
	    DESKD__STATUS__OK);
	n.source = "customer";
	assert_int_equal(h_call_status(d, &req, msg, sizeof(msg)),
	    DESKD__STATUS__INVALID_ARGUMENT);
	assert_non_null(strstr(msg, "unit"));
	desk_close(d);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lifecycle_valid),
		cmocka_unit_test(test_invalid_complaint_closes_on_reply),
		cmocka_unit_test(test_escalation_and_final_ruling),
		cmocka_unit_test(test_history_keeps_every_entry),
		cmocka_unit_test(test_list_open),
		cmocka_unit_test(test_engineer_cannot_record),
		cmocka_unit_test(test_employee_complaint_without_unit),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
