/*
 * test_time_range.c - the one range of times (issue 12, wire.h): the
 * range functions at their edges, which fields of which messages are
 * times, days and months, the check at the door (validate_fields, at any
 * depth, unset allowed) and the desk's parsing, which refuses the same.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "area.h"
#include "cli.h"
#include "ctx.h"
#include "fields.h"
#include "validate.h"
#include "wire.h"

#define INVALID	DESKD__STATUS__INVALID_ARGUMENT
#define OK	DESKD__STATUS__OK

static int
setup_tz(void **state)
{
	(void)state;
	setenv("TZ", "Asia/Shanghai", 1);
	tzset();
	return 0;
}

static void
test_edges(void **state)
{
	(void)state;
	assert_int_equal(WIRE_TIME_MIN_MS, 946684800000LL);
	assert_int_equal(WIRE_TIME_END_MS, 4102444800000LL);
	assert_true(wire_time_ok(WIRE_TIME_MIN_MS));
	assert_true(wire_time_ok(WIRE_TIME_END_MS - 1));
	assert_false(wire_time_ok(WIRE_TIME_MIN_MS - 1));
	assert_false(wire_time_ok(WIRE_TIME_END_MS));
	assert_false(wire_time_ok(0));
	assert_false(wire_time_ok(-1));
	assert_false(wire_time_ok(INT64_MIN));
	assert_false(wire_time_ok(INT64_MAX));
	/* 9999-12-31 UTC, the old bound: in Shanghai already year 10000. */
	assert_false(wire_time_ok(253402300799999LL));

	assert_true(wire_month_ok(200001));
	assert_true(wire_month_ok(209912));
	assert_false(wire_month_ok(199912));
	assert_false(wire_month_ok(210001));
	assert_false(wire_month_ok(202600));
	assert_false(wire_month_ok(202613));
	assert_false(wire_month_ok(0));

	assert_true(wire_day_ok(20000101));
	assert_true(wire_day_ok(20991231));
	assert_true(wire_day_ok(20000229));	/* 2000: a leap year (400) */
	assert_true(wire_day_ok(20240229));
	assert_false(wire_day_ok(20250229));
	assert_false(wire_day_ok(20260431));
	assert_false(wire_day_ok(20260100));
	assert_false(wire_day_ok(19991231));
	assert_false(wire_day_ok(21000101));
	assert_false(wire_day_ok(0));
}

static void
test_day_parse(void **state)
{
	const char *const bad[] = { "", "1999-12-31", "2100-01-01",
	    "2026-02-29", "2026-13-01", "2026-1-01", "2026-01-01 ",
	    " 2026-01-01", "2026-01-0a", "+026-01-01", "20260101",
	    "2026/01/01", "2026-01-01T00:00" };
	uint32_t d = 7;

	(void)state;
	assert_int_equal(wire_day_parse("2000-01-01", &d), 0);
	assert_int_equal(d, 20000101);
	assert_int_equal(wire_day_parse("2099-12-31", &d), 0);
	assert_int_equal(d, 20991231);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		d = 7;
		assert_int_equal(wire_day_parse(bad[i], &d), -1);
		assert_int_equal(d, 7);
	}
}

static enum wire_time
kind_of(const ProtobufCMessageDescriptor *d, const char *name)
{
	const ProtobufCFieldDescriptor *f =
	    protobuf_c_message_descriptor_get_field_by_name(d, name);

	assert_non_null(f);
	return wire_time_of(d, f);
}

static void
test_fields_classified(void **state)
{
	(void)state;
	assert_int_equal(kind_of(&deskd__complaint_new__descriptor,
	    "event_time_ms"), WIRE_TIME_INSTANT);
	assert_int_equal(kind_of(&deskd__export_request__descriptor,
	    "since_ms"), WIRE_TIME_INSTANT);
	assert_int_equal(kind_of(&deskd__duty_new__descriptor, "date"),
	    WIRE_TIME_DAY_TEXT);
	assert_int_equal(kind_of(&deskd__person_add__descriptor, "move_in"),
	    WIRE_TIME_DAY_TEXT);
	assert_int_equal(kind_of(&deskd__person__descriptor, "move_in"),
	    WIRE_TIME_DAY);
	assert_int_equal(kind_of(&deskd__duty_log_sign__descriptor, "day"),
	    WIRE_TIME_DAY);
	assert_int_equal(kind_of(&deskd__duty_log_sign__descriptor, "month"),
	    WIRE_TIME_MONTH);
	assert_int_equal(kind_of(&deskd__schedule_get__descriptor, "month"),
	    WIRE_TIME_MONTH);
	/* Not times: a duration, a schedule's day of the month, a count. */
	assert_int_equal(kind_of(&deskd__alert__descriptor, "late_ms"),
	    WIRE_TIME_NONE);
	assert_int_equal(kind_of(&deskd__assignment__descriptor, "day"),
	    WIRE_TIME_NONE);
	assert_int_equal(kind_of(&deskd__complaint_list__descriptor, "limit"),
	    WIRE_TIME_NONE);
}

/* A request's status at the door, and the message naming the field. */
static Deskd__Status
door(Deskd__Request *req, const char *field)
{
	char msg[256] = "";
	Deskd__Status st = validate_fields(&req->base, msg, sizeof(msg));

	if (st != OK)
		assert_non_null(strstr(msg, field));
	return st;
}

static void
test_door(void **state)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__ComplaintNew cn = DESKD__COMPLAINT_NEW__INIT;
	Deskd__DutyNew dn = DESKD__DUTY_NEW__INIT;
	Deskd__DutyLogSign ls = DESKD__DUTY_LOG_SIGN__INIT;
	Deskd__ScheduleSet ss = DESKD__SCHEDULE_SET__INIT;
	Deskd__Assignment a = DESKD__ASSIGNMENT__INIT, *as[] = { &a };

	(void)state;
	req.body_case = DESKD__REQUEST__BODY_COMPLAINT_NEW;
	req.complaint_new = &cn;
	cn.event_time_ms = 0;			/* unset: the intake's time */
	assert_int_equal(door(&req, ""), OK);
	cn.event_time_ms = WIRE_TIME_MIN_MS;
	assert_int_equal(door(&req, ""), OK);
	cn.event_time_ms = WIRE_TIME_END_MS - 1;
	assert_int_equal(door(&req, ""), OK);
	cn.event_time_ms = WIRE_TIME_END_MS;
	assert_int_equal(door(&req, "event_time_ms: not a time"), INVALID);
	cn.event_time_ms = INT64_MAX;
	assert_int_equal(door(&req, "event_time_ms: not a time"), INVALID);
	cn.event_time_ms = -1;
	assert_int_equal(door(&req, "event_time_ms: not a time"), INVALID);

	req.body_case = DESKD__REQUEST__BODY_DUTY_NEW;
	req.duty_new = &dn;
	dn.date = "2099-12-31";
	assert_int_equal(door(&req, ""), OK);
	dn.other_date = "2100-01-01";
	assert_int_equal(door(&req, "other_date: not a day"), INVALID);
	dn.other_date = "";
	dn.to_ms = WIRE_TIME_MIN_MS - 1;
	assert_int_equal(door(&req, "to_ms: not a time"), INVALID);

	req.body_case = DESKD__REQUEST__BODY_LOG_SIGN;
	req.log_sign = &ls;
	ls.month = 210001;
	assert_int_equal(door(&req, "month: 210001 is not a month"), INVALID);
	ls.month = 0;
	ls.day = 20250229;
	assert_int_equal(door(&req, "day: 20250229 is not a day"), INVALID);

	/* In a nested message too; a schedule's days are of its month. */
	req.body_case = DESKD__REQUEST__BODY_SCHEDULE_SET;
	req.schedule_set = &ss;
	ss.month = 202612;
	ss.n_assignments = 1;
	ss.assignments = as;
	a.day = 31;
	a.user = "wang";
	assert_int_equal(door(&req, ""), OK);
	ss.month = 199912;
	assert_int_equal(door(&req, "month: 199912"), INVALID);

	/* A register's form: only its times (register.c checks strings). */
	{
		Deskd__ParkingPermit pp = DESKD__PARKING_PERMIT__INIT;
		char msg[256];

		pp.valid_to_ms = WIRE_TIME_END_MS;
		assert_int_equal(validate_times(&pp.base, msg, sizeof(msg)),
		    INVALID);
		assert_non_null(strstr(msg, "valid_to_ms: not a time"));
		pp.valid_to_ms = WIRE_TIME_END_MS - 1;
		assert_int_equal(validate_times(&pp.base, msg, sizeof(msg)),
		    OK);
	}
}

/* Every message reachable from d has its rules worked out. */
static void
assert_covered(const ProtobufCMessageDescriptor *d, int depth)
{
	assert_true(validate_rules_cover(d));
	if (depth == 8)
		return;
	for (unsigned i = 0; i < d->n_fields; i++)
		if (d->fields[i].type == PROTOBUF_C_TYPE_MESSAGE)
			assert_covered(d->fields[i].descriptor, depth + 1);
}

/*
 * The same door with the rules worked out once, as deskd starts
 * (validate_rules_build after area_register_all): every message a
 * request or a record carries is in the tables, the refusals are the
 * same, and the limits of strings, lists and pages come from the same
 * tables, an area's (the schedule's assignments) included.  Run last:
 * the rules stay.
 */
static void
test_door_with_rules(void **state)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__ComplaintNew cn = DESKD__COMPLAINT_NEW__INIT;
	Deskd__ComplaintList cl = DESKD__COMPLAINT_LIST__INIT;
	Deskd__Subscribe sub = DESKD__SUBSCRIBE__INIT;
	Deskd__ScheduleSet ss = DESKD__SCHEDULE_SET__INIT;
	Deskd__Assignment a = DESKD__ASSIGNMENT__INIT, **as;
	size_t assignments;
	const struct kind *k;
	char unit[256], *prefixes[17];

	/* Built once before the areas register, as a careless caller
	 * might: the build after them must replace it, or the schedule's
	 * count below stays the default. */
	assert_false(validate_rules_cover(&deskd__request__descriptor));
	validate_rules_build();
	assert_true(validate_rules_cover(&deskd__schedule_set__descriptor));
	area_register_all(area_list);
	validate_rules_build();
	assert_covered(&deskd__request__descriptor, 0);
	for (size_t i = 0; (k = area_kind_nth(i)) != NULL; i++)
		assert_covered(k->d, 0);
	test_door(state);

	req.body_case = DESKD__REQUEST__BODY_COMPLAINT_NEW;
	req.complaint_new = &cn;
	assert_true(validate_limit("unit") < sizeof(unit) - 1);
	memset(unit, '1', validate_limit("unit") + 1);
	unit[validate_limit("unit")] = '\0';
	cn.unit = unit;
	assert_int_equal(door(&req, ""), OK);
	unit[validate_limit("unit")] = '1';
	unit[validate_limit("unit") + 1] = '\0';
	assert_int_equal(door(&req, "unit: 33 bytes, the limit is 32"),
	    INVALID);

	req.body_case = DESKD__REQUEST__BODY_COMPLAINT_LIST;
	req.complaint_list = &cl;
	cl.limit = 500;
	assert_int_equal(door(&req, ""), OK);
	cl.limit = 501;
	assert_int_equal(door(&req, "limit: 501 is more than a page holds"),
	    INVALID);

	for (size_t i = 0; i < 17; i++)
		prefixes[i] = "complaint.";
	req.body_case = DESKD__REQUEST__BODY_SUBSCRIBE;
	req.subscribe = &sub;
	sub.type_prefixes = prefixes;
	sub.n_type_prefixes = 16;
	assert_int_equal(door(&req, ""), OK);
	sub.n_type_prefixes = 17;
	assert_int_equal(door(&req, "type_prefixes: 17 entries, the limit "
	    "is 16"), INVALID);

	/* The schedule area's count, not the default 64. */
	assert_true((assignments = validate_count("assignments")) > 64);
	assert_non_null(as = calloc(assignments + 1, sizeof(*as)));
	for (size_t i = 0; i <= assignments; i++)
		as[i] = &a;
	a.day = 1;
	a.user = "wang";
	req.body_case = DESKD__REQUEST__BODY_SCHEDULE_SET;
	req.schedule_set = &ss;
	ss.month = 202612;
	ss.assignments = as;
	ss.n_assignments = assignments;
	assert_int_equal(door(&req, ""), OK);
	ss.n_assignments = assignments + 1;
	assert_int_equal(door(&req, "assignments:"), INVALID);
	free(as);
}

/* The desk refuses out of range before sending (client/). */
static void
test_desk_parsing(void **state)
{
	Deskd__Person p = DESKD__PERSON__INIT;
	const ProtobufCFieldDescriptor *f =
	    protobuf_c_message_descriptor_get_field_by_name(
	    &deskd__person__descriptor, "move_in");
	int64_t ms;

	(void)state;
	/* Shanghai: 2000-01-01 08:00 is the first time, 2100-01-01 07:59:59
	 * the last. */
	assert_int_equal(cli_parse_time("2000-01-01 08:00", &ms), 0);
	assert_int_equal(ms, WIRE_TIME_MIN_MS);
	assert_int_equal(cli_parse_time("2000-01-01 07:59", &ms), -1);
	assert_int_equal(cli_parse_time("2100-01-01 07:59:59", &ms), 0);
	assert_int_equal(cli_parse_time("2100-01-01 08:00", &ms), -1);
	assert_int_equal(cli_parse_time("+100000d", &ms), -1);
	assert_int_equal(field_parse_time("2100-01-01 00:00Z", &ms), -1);
	assert_int_equal(field_parse_time("1999-12-31 23:59:59.999Z", &ms),
	    -1);
	assert_int_equal(field_parse_end("2099-12-31", &ms), 0);
	assert_true(wire_time_ok(ms));
	assert_int_equal(field_parse_time("9999-12-31 23:59Z", &ms), -1);

	assert_int_equal(field_set(&p.base, f, "2000-01-01", FIELD_SEP_FLAG,
	    NULL), 0);
	assert_int_equal(p.move_in, 20000101);
	assert_int_equal(field_set(&p.base, f, "1999-12-31", FIELD_SEP_FLAG,
	    NULL), -1);
	assert_int_equal(field_set(&p.base, f, "21000101", FIELD_SEP_FLAG,
	    NULL), -1);
	assert_int_equal(field_set(&p.base, f, "2026-02-30", FIELD_SEP_FLAG,
	    NULL), -1);
	assert_int_equal(p.move_in, 20000101);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_edges),
		cmocka_unit_test(test_day_parse),
		cmocka_unit_test(test_fields_classified),
		cmocka_unit_test(test_door),
		cmocka_unit_test(test_desk_parsing),
		cmocka_unit_test(test_door_with_rules),
	};

	return cmocka_run_group_tests(tests, setup_tz, NULL);
}
