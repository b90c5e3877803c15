/*
 * test_times.c - the one range of times at the door (issue 12, PROTOCOL.md
 * 13.4): every request kind with a time, day or month field, sent with a
 * value just outside the range at each end, is refused INVALID_ARGUMENT
 * naming the field and the range, and nothing is stored (the event log
 * does not move).  The edges themselves are taken.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "harness.h"
#include "wire.h"

#define ST(x)	DESKD__STATUS__##x
#define PW	"times-pass-1"

static struct server_proc srv;
static struct h_staff staff;

static uint64_t
last_seq(void)
{
	struct desk *d = h_connect(&srv);
	uint64_t seq;

	assert_non_null(d);
	seq = desk_welcome(d)->last_seq;
	desk_close(d);
	return seq;
}

/* Values outside the range: just below, just above, and garbage. */
static const int64_t bad_ms[] = { WIRE_TIME_MIN_MS - 1, WIRE_TIME_END_MS,
    INT64_MAX, -1 };
static const int64_t bad_day[] = { 19991231, 21000101, 20250229 };
static const int64_t bad_month[] = { 199912, 210001, 202613 };
static const char *const bad_text[] = { "1999-12-31", "2100-01-01",
    "2025-02-29" };

/*
 * The request as it stands is refused at the door: INVALID_ARGUMENT, the
 * message starts with the field and says the range, and the log has not
 * moved.
 */
static void
refused(const Deskd__Request *req, const char *field)
{
	char msg[512] = "", want[64];
	uint64_t seq = last_seq();
	Deskd__Status st = h_call_status(staff.admin, req, msg, sizeof(msg));

	snprintf(want, sizeof(want), "%s: ", field);
	if (st != ST(INVALID_ARGUMENT) || strncmp(msg, want, strlen(want)) != 0 ||
	    strstr(msg, "from 2000-01") == NULL)
		fail_msg("request %d, %s: status %d '%s'", (int)req->body_case,
		    field, (int)st, msg);
	assert_int_equal(last_seq(), seq);
}

/*
 * Each bad value of the field's kind (wire_time_of) set in m, the body of
 * req or, with ra, the register form packed into it; refused every time.
 * The field's value is put back after.
 */
static void
refuse_in(Deskd__Request *req, ProtobufCMessage *m, const char *field,
    Deskd__RegisterAdd *ra)
{
	const ProtobufCFieldDescriptor *f =
	    protobuf_c_message_descriptor_get_field_by_name(m->descriptor,
	    field);
	char **text, *saved_text;
	const int64_t *bad = bad_ms;
	size_t n = sizeof(bad_ms) / sizeof(bad_ms[0]);
	int64_t saved;
	uint8_t buf[1024];

	assert_non_null(f);
	text = (char **)((char *)m + f->offset);
	saved = wire_get_int(m, f);
	saved_text = f->type == PROTOBUF_C_TYPE_STRING ? *text : NULL;
	switch (wire_time_of(m->descriptor, f)) {
	case WIRE_TIME_INSTANT:
		break;
	case WIRE_TIME_DAY:
		bad = bad_day;
		n = sizeof(bad_day) / sizeof(bad_day[0]);
		break;
	case WIRE_TIME_MONTH:
		bad = bad_month;
		n = sizeof(bad_month) / sizeof(bad_month[0]);
		break;
	case WIRE_TIME_DAY_TEXT:
		n = sizeof(bad_text) / sizeof(bad_text[0]);
		break;
	default:
		fail_msg("%s is not a time", field);
	}
	for (size_t i = 0; i < n; i++) {
		if (f->type == PROTOBUF_C_TYPE_STRING)
			*text = (char *)bad_text[i];
		else
			wire_set_int(m, f, bad[i]);
		if (ra != NULL) {
			ra->entry.data = buf;
			ra->entry.len = protobuf_c_message_pack(m, buf);
		}
		refused(req, field);
	}
	if (f->type == PROTOBUF_C_TYPE_STRING)
		*text = saved_text;
	else
		wire_set_int(m, f, saved);
}

/* The request whose body (the oneof member numbered `body`) is m. */
static void
refuse(uint32_t body, void *m, const char *field)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	const ProtobufCFieldDescriptor *f =
	    protobuf_c_message_descriptor_get_field(&deskd__request__descriptor,
	    body);

	assert_non_null(f);
	req.body_case = body;
	*(void **)((char *)&req + f->offset) = m;
	refuse_in(&req, m, field, NULL);
}

/* A register's form, packed into a RegisterAdd of its kind. */
static void
refuse_form(const char *kind, ProtobufCMessage *form, const char *field)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__RegisterAdd ra = DESKD__REGISTER_ADD__INIT;

	ra.kind = (char *)kind;
	req.body_case = DESKD__REQUEST__BODY_REGISTER_ADD;
	req.register_add = &ra;
	refuse_in(&req, form, field, &ra);
}

static void
complaint_new(Deskd__ComplaintNew *n)
{
	n->unit = "3-2-1201";
	n->complainant = "王女士";
	n->phone = "13800000000";
	n->category = "noise";
	n->text = "楼上装修噪音";
}

static void
test_complaints_and_repairs(void **state)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__ComplaintNew cn = DESKD__COMPLAINT_NEW__INIT;
	Deskd__ComplaintStep cs = DESKD__COMPLAINT_STEP__INIT;
	Deskd__RepairNew rn = DESKD__REPAIR_NEW__INIT;
	Deskd__RepairStep rs = DESKD__REPAIR_STEP__INIT;
	Deskd__Response *r;

	(void)state;
	complaint_new(&cn);
	refuse(DESKD__REQUEST__BODY_COMPLAINT_NEW, &cn, "event_time_ms");
	/* The edges are times. */
	req.body_case = DESKD__REQUEST__BODY_COMPLAINT_NEW;
	req.complaint_new = &cn;
	cn.event_time_ms = WIRE_TIME_MIN_MS;
	h_expect_free(staff.admin, &req, ST(OK));
	cn.event_time_ms = WIRE_TIME_END_MS - 1;
	r = h_expect(staff.admin, &req, ST(OK));
	cs.id = r->complaint->id;
	assert_int_equal(r->complaint->event_time_ms, WIRE_TIME_END_MS - 1);
	deskd__response__free_unpacked(r, NULL);

	cs.action = DESKD__COMPLAINT_ACTION__ACTION_REPLY;
	cs.text = "已联系";
	refuse(DESKD__REQUEST__BODY_COMPLAINT_STEP, &cs, "next_reply_ms");

	rn.kind = DESKD__WORK_KIND__KIND_REPAIR;
	rn.unit = "3-2-1201";
	rn.name = "李先生";
	rn.phone = "13900000000";
	rn.text = "厨房水管漏水";
	refuse(DESKD__REQUEST__BODY_REPAIR_NEW, &rn, "visit_at_ms");
	rn.visit_at_ms = WIRE_TIME_END_MS - 1;
	req.body_case = DESKD__REQUEST__BODY_REPAIR_NEW;
	req.repair_new = &rn;
	r = h_expect(staff.admin, &req, ST(OK));
	rs.id = r->work_order->id;
	deskd__response__free_unpacked(r, NULL);

	rs.action = DESKD__REPAIR_ACTION__REPAIR_DISPATCH;
	req.body_case = DESKD__REQUEST__BODY_REPAIR_STEP;
	req.repair_step = &rs;
	h_expect_free(staff.admin, &req, ST(OK));
	rs.action = DESKD__REPAIR_ACTION__REPAIR_CALL;
	rs.text = "已致电业主";
	refuse(DESKD__REQUEST__BODY_REPAIR_STEP, &rs, "eta_ms");
}

static void
test_duty_and_schedules(void **state)
{
	Deskd__DutyNew dn = DESKD__DUTY_NEW__INIT;
	Deskd__ScheduleDraft sd = DESKD__SCHEDULE_DRAFT__INIT;
	Deskd__ScheduleSet ss = DESKD__SCHEDULE_SET__INIT;
	Deskd__SchedulePublish sp = DESKD__SCHEDULE_PUBLISH__INIT;
	Deskd__ScheduleGet sg = DESKD__SCHEDULE_GET__INIT;
	Deskd__ScheduleDiff sf = DESKD__SCHEDULE_DIFF__INIT;
	Deskd__ScheduleHistory sh = DESKD__SCHEDULE_HISTORY__INIT;
	Deskd__AttendanceReport ar = DESKD__ATTENDANCE_REPORT__INIT;

	(void)state;
	dn.kind = DESKD__DUTY_KIND__DUTY_STANDIN;
	dn.other = "clerk1";
	dn.reason = "家中有事";
	dn.from_ms = h_wall_ms() + 3600000;
	dn.to_ms = h_wall_ms() + 2 * 3600000;
	refuse(DESKD__REQUEST__BODY_DUTY_NEW, &dn, "from_ms");
	dn.from_ms = h_wall_ms() + 3600000;
	refuse(DESKD__REQUEST__BODY_DUTY_NEW, &dn, "to_ms");
	dn.kind = DESKD__DUTY_KIND__DUTY_SWAP;
	dn.shift = "morning";
	dn.other_shift = "evening";
	dn.date = "2026-12-20";
	dn.other_date = "2026-12-21";
	refuse(DESKD__REQUEST__BODY_DUTY_NEW, &dn, "date");
	dn.date = "2026-12-20";
	refuse(DESKD__REQUEST__BODY_DUTY_NEW, &dn, "other_date");

	refuse(DESKD__REQUEST__BODY_SCHEDULE_DRAFT, &sd, "month");
	refuse(DESKD__REQUEST__BODY_SCHEDULE_SET, &ss, "month");
	refuse(DESKD__REQUEST__BODY_SCHEDULE_PUBLISH, &sp, "month");
	refuse(DESKD__REQUEST__BODY_SCHEDULE_GET, &sg, "month");
	refuse(DESKD__REQUEST__BODY_SCHEDULE_DIFF, &sf, "month");
	refuse(DESKD__REQUEST__BODY_SCHEDULE_HISTORY, &sh, "month");
	refuse(DESKD__REQUEST__BODY_ATTENDANCE_REPORT, &ar, "month");
	ar.submit = true;
	refuse(DESKD__REQUEST__BODY_ATTENDANCE_REPORT, &ar, "month");
}

static void
test_duty_log_and_spot_checks(void **state)
{
	Deskd__DutyLogAdd la = DESKD__DUTY_LOG_ADD__INIT;
	Deskd__DutyLogGet lg = DESKD__DUTY_LOG_GET__INIT;
	Deskd__DutyLogSign ls = DESKD__DUTY_LOG_SIGN__INIT;
	Deskd__SpotCheckDraw sd = DESKD__SPOT_CHECK_DRAW__INIT;
	Deskd__SpotCheckSign ss = DESKD__SPOT_CHECK_SIGN__INIT;
	Deskd__SpotCheckReport sr = DESKD__SPOT_CHECK_REPORT__INIT;

	(void)state;
	la.text = "巡查正常";
	refuse(DESKD__REQUEST__BODY_LOG_ADD, &la, "day");
	refuse(DESKD__REQUEST__BODY_LOG_GET, &lg, "day");
	refuse(DESKD__REQUEST__BODY_LOG_SIGN, &ls, "day");
	refuse(DESKD__REQUEST__BODY_LOG_SIGN, &ls, "month");
	refuse(DESKD__REQUEST__BODY_SPOT_DRAW, &sd, "month");
	ss.month = 202611;
	refuse(DESKD__REQUEST__BODY_SPOT_SIGN, &ss, "day");
	ss.day = 20261102;
	refuse(DESKD__REQUEST__BODY_SPOT_SIGN, &ss, "month");
	refuse(DESKD__REQUEST__BODY_SPOT_REPORT, &sr, "month");
}

static void
test_registers_archive_export(void **state)
{
	Deskd__RegisterReport rr = DESKD__REGISTER_REPORT__INIT;
	Deskd__ParkingPermit pp = DESKD__PARKING_PERMIT__INIT;
	Deskd__VisitorPermit vp = DESKD__VISITOR_PERMIT__INIT;
	Deskd__PersonAdd pa = DESKD__PERSON_ADD__INIT;
	Deskd__PersonSet ps = DESKD__PERSON_SET__INIT;
	Deskd__ExportRequest ex = DESKD__EXPORT_REQUEST__INIT;

	(void)state;
	pp.plate = "粤B12345";
	pp.unit = "3-2-1201";
	pp.type = DESKD__PARKING_TYPE__PARKING_MONTHLY;
	pp.holder = "赵六";
	pp.valid_to_ms = h_wall_ms() + 86400000;
	refuse_form("parking", &pp.base, "valid_from_ms");
	refuse_form("parking", &pp.base, "valid_to_ms");
	vp.unit = "3-2-1201";
	vp.visitor = "保姆王";
	vp.owner = "王芳";
	refuse_form("visitor-permit", &vp.base, "until_ms");

	rr.kind = "visitor";
	refuse(DESKD__REQUEST__BODY_REGISTER_REPORT, &rr, "month");

	pa.unit = "3-2-1201";
	pa.name = "王芳";
	refuse(DESKD__REQUEST__BODY_PERSON_ADD, &pa, "move_in");
	ps.id = 1;
	refuse(DESKD__REQUEST__BODY_PERSON_SET, &ps, "move_in");

	ex.kind = "complaint";
	refuse(DESKD__REQUEST__BODY_EXPORT, &ex, "since_ms");
}

/* An import's row with a time out of range is rejected, by its line and
 * field, through the same check; the batch's good row is stored. */
static void
test_import_rows(void **state)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__ImportBatch b = DESKD__IMPORT_BATCH__INIT;
	Deskd__ImportRow rows[3] = { DESKD__IMPORT_ROW__INIT,
	    DESKD__IMPORT_ROW__INIT, DESKD__IMPORT_ROW__INIT };
	Deskd__ImportRow *rp[3] = { &rows[0], &rows[1], &rows[2] };
	Deskd__Complaint c[3] = { DESKD__COMPLAINT__INIT,
	    DESKD__COMPLAINT__INIT, DESKD__COMPLAINT__INIT };
	const char *const refs[3] = { "t-low", "t-high", "t-ok" };
	const int64_t times[3] = { WIRE_TIME_MIN_MS - 1, WIRE_TIME_END_MS,
	    WIRE_TIME_END_MS - 1 };
	uint8_t buf[3][512];
	Deskd__Response *r;

	(void)state;
	for (int i = 0; i < 3; i++) {
		c[i].source = "customer";
		c[i].unit = "3-2-1201";
		c[i].complainant = "王女士";
		c[i].phone = "13800000000";
		c[i].category = "noise";
		c[i].text = "导入";
		c[i].event_time_ms = times[i];
		rows[i].line = (uint32_t)i + 2;
		rows[i].ref = (char *)refs[i];
		rows[i].record.data = buf[i];
		rows[i].record.len = deskd__complaint__pack(&c[i], buf[i]);
	}
	b.kind = "complaint";
	b.n_rows = 3;
	b.rows = rp;
	req.body_case = DESKD__REQUEST__BODY_IMPORT_BATCH;
	req.import_batch = &b;
	r = h_expect(staff.admin, &req, ST(OK));
	assert_int_equal(r->import_ack->stored, 1);
	assert_int_equal(r->import_ack->rejected, 2);
	for (int i = 0; i < 2; i++) {
		const Deskd__ImportResult *x = r->import_ack->results[i];

		assert_int_equal(x->line, i + 2);
		assert_string_equal(x->field, "event_time_ms");
		if (strstr(x->reason, "from 2000-01-01") == NULL)
			fail_msg("row %d: '%s'", i, x->reason);
	}
	assert_int_equal(r->import_ack->results[2]->outcome,
	    DESKD__IMPORT_OUTCOME__IMPORT_STORED);
	deskd__response__free_unpacked(r, NULL);
}

static int
setup(void **state)
{
	(void)state;
	h_office_up(&srv, NULL, PW, &staff);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	h_office_down(&srv, &staff);
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_complaints_and_repairs),
		cmocka_unit_test(test_duty_and_schedules),
		cmocka_unit_test(test_duty_log_and_spot_checks),
		cmocka_unit_test(test_registers_archive_export),
		cmocka_unit_test(test_import_rows),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
