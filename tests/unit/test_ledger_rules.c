/*
 * test_ledger_rules.c - the arithmetic of the compliance ledger and the
 * monthly report (issue 15): a report's weeks run Monday to Sunday,
 * clipped to the month, and the week before week 1 is the previous
 * month's last; a month asked for is refused malformed or in the future;
 * a quota is on track while done keeps up with its share of the time
 * gone, at risk when it falls behind, met once done, missed when due and
 * short; a signature (once) is on track until it is due.  And what a
 * complaint counts as in the report (complaint_tally).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "calendar.h"
#include "complaint_rules.h"
#include "kind.h"
#include "ledger_rules.h"

#define DAY	(24LL * 60 * 60 * 1000)

static void
weeks_run_monday_to_sunday_clipped(void **state)
{
	uint32_t from, to;

	(void)state;
	/* 2026-12-01 is a Tuesday: week 1 is the 1st to Sunday the 6th. */
	assert_true(report_period(202612, 0, &from, &to));
	assert_int_equal(from, 20261201);
	assert_int_equal(to, 20261231);
	assert_true(report_period(202612, 1, &from, &to));
	assert_int_equal(from, 20261201);
	assert_int_equal(to, 20261206);
	assert_true(report_period(202612, 2, &from, &to));
	assert_int_equal(from, 20261207);
	assert_int_equal(to, 20261213);
	assert_true(report_period(202612, 5, &from, &to));
	assert_int_equal(from, 20261228);
	assert_int_equal(to, 20261231);
	assert_false(report_period(202612, 6, &from, &to));
	/* February 2027 starts on a Monday: four whole weeks, no fifth. */
	assert_true(report_period(202702, 4, &from, &to));
	assert_int_equal(from, 20270222);
	assert_int_equal(to, 20270228);
	assert_false(report_period(202702, 5, &from, &to));
	/* August 2026 starts on a Saturday and has six weeks. */
	assert_true(report_period(202608, 6, &from, &to));
	assert_int_equal(from, 20260831);
	assert_int_equal(to, 20260831);
	assert_false(report_period(202613, 0, &from, &to));
}

static void
the_period_before(void **state)
{
	uint32_t m;
	unsigned w;

	(void)state;
	report_previous(202612, 0, &m, &w);
	assert_int_equal(m, 202611);
	assert_int_equal(w, 0);
	report_previous(202601, 0, &m, &w);
	assert_int_equal(m, 202512);
	report_previous(202612, 3, &m, &w);
	assert_int_equal(m, 202612);
	assert_int_equal(w, 2);
	/* Week 1's: November 2026's last week (the 30th, a Monday: week 6). */
	report_previous(202612, 1, &m, &w);
	assert_int_equal(m, 202611);
	assert_int_equal(w, 6);
}

static void
month_asked(void **state)
{
	char msg[128];
	uint32_t m;

	(void)state;
	assert_int_equal(report_month("", 202612, &m, msg, sizeof(msg)), 0);
	assert_int_equal(m, 202612);
	assert_int_equal(report_month("2026-11", 202612, &m, msg, sizeof(msg)),
	    0);
	assert_int_equal(m, 202611);
	assert_int_equal(report_month("2027-01", 202612, &m, msg, sizeof(msg)),
	    -1);
	assert_non_null(strstr(msg, "in the future"));
	assert_int_equal(report_month("2026-13", 202612, &m, msg, sizeof(msg)),
	    -1);
	assert_non_null(strstr(msg, "not a month"));
	assert_int_equal(report_month("2026-1", 202612, &m, msg, sizeof(msg)),
	    -1);
}

static void
quota_against_time_gone(void **state)
{
	struct quota_judgement j;
	int64_t start = 1000 * DAY, due = start + 30 * DAY;

	(void)state;
	/* 10 days of 30 gone: a share of 1/3.  20 required: 7 keeps up. */
	quota_judge(20, 7, QUOTA_PRO_RATA, start, due, start + 10 * DAY, &j);
	assert_int_equal(j.state, QUOTA_ON_TRACK);
	assert_int_equal(j.forecast, 21);
	assert_int_equal(j.percent, 35);
	quota_judge(20, 6, QUOTA_PRO_RATA, start, due, start + 10 * DAY, &j);
	assert_int_equal(j.state, QUOTA_AT_RISK);
	assert_int_equal(j.forecast, 18);
	quota_judge(20, 20, QUOTA_PRO_RATA, start, due, start + 10 * DAY, &j);
	assert_int_equal(j.state, QUOTA_MET);
	quota_judge(20, 19, QUOTA_PRO_RATA, start, due, due, &j);
	assert_int_equal(j.state, QUOTA_MISSED);
	assert_int_equal(j.forecast, 19);
	quota_judge(20, 25, QUOTA_PRO_RATA, start, due, due + DAY, &j);
	assert_int_equal(j.state, QUOTA_MET);
	assert_int_equal(j.percent, 125);
	/* Nothing required: met, 100 %. */
	quota_judge(0, 0, QUOTA_PRO_RATA, start, due, start + DAY, &j);
	assert_int_equal(j.state, QUOTA_MET);
	assert_int_equal(j.percent, 100);
	/* A signature: on track until due, then missed. */
	quota_judge(1, 0, QUOTA_ONCE, start, due, due - 1, &j);
	assert_int_equal(j.state, QUOTA_ON_TRACK);
	quota_judge(1, 0, QUOTA_ONCE, start, due, due, &j);
	assert_int_equal(j.state, QUOTA_MISSED);
	/* Rounds so far: all done is on track (more fall due), one not is
	 * at risk; at the month's end, met or missed. */
	quota_judge(40, 40, QUOTA_SO_FAR, start, due, start + 10 * DAY, &j);
	assert_int_equal(j.state, QUOTA_ON_TRACK);
	quota_judge(40, 39, QUOTA_SO_FAR, start, due, start + 10 * DAY, &j);
	assert_int_equal(j.state, QUOTA_AT_RISK);
	quota_judge(120, 120, QUOTA_SO_FAR, start, due, due, &j);
	assert_int_equal(j.state, QUOTA_MET);
	quota_judge(120, 119, QUOTA_SO_FAR, start, due, due, &j);
	assert_int_equal(j.state, QUOTA_MISSED);
	assert_string_equal(quota_state_name(QUOTA_AT_RISK), "at risk");
}

static const char *
key_of(const struct tally_key *k, size_t n, const char *dim)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(k[i].dim, dim) == 0)
			return k[i].value;
	return NULL;
}

static void
what_a_complaint_counts_as(void **state)
{
	Deskd__Complaint c = DESKD__COMPLAINT__INIT;
	struct tally_key k[KIND_TALLY_MAX];
	size_t n;

	(void)state;
	c.created_ms = calendar_day_start_ms(20261204) + 10 * 3600 * 1000;
	c.category = "noise";
	c.source = "customer";
	c.unit = "3-2-1201";
	c.first_due_ms = c.created_ms + 2 * 3600 * 1000;
	n = complaint_tally(&c, k, KIND_TALLY_MAX);
	assert_int_equal(k[0].day, 20261204);
	assert_string_equal(key_of(k, n, "cat"), "noise");
	assert_string_equal(key_of(k, n, "bld"), "3");
	assert_string_equal(key_of(k, n, "unit"), "3-2-1201");
	assert_string_equal(key_of(k, n, "reply"), "none");
	assert_null(key_of(k, n, "revisit"));
	assert_null(key_of(k, n, "sat"));
	/* Answered late, valid and settled: its revisit is owed. */
	c.first_reply_ms = c.first_due_ms + 1;
	c.validity = DESKD__VALIDITY__VALIDITY_VALID;
	c.status = DESKD__COMPLAINT_STATUS__STATUS_RESOLVED;
	n = complaint_tally(&c, k, KIND_TALLY_MAX);
	assert_string_equal(key_of(k, n, "reply"), "late");
	assert_string_equal(key_of(k, n, "revisit"), "owed");
	c.status = DESKD__COMPLAINT_STATUS__STATUS_CLOSED;
	c.satisfaction = 4;
	n = complaint_tally(&c, k, KIND_TALLY_MAX);
	assert_string_equal(key_of(k, n, "revisit"), "done");
	assert_string_equal(key_of(k, n, "sat"), "4");
	/* An import counts on the day its file reports; its reply times
	 * are not known. */
	c.import_file = "register.csv";
	c.reported_ms = calendar_day_start_ms(20261115) + 3600 * 1000;
	c.first_due_ms = c.first_reply_ms = 0;
	n = complaint_tally(&c, k, KIND_TALLY_MAX);
	assert_int_equal(k[0].day, 20261115);
	assert_string_equal(key_of(k, n, "reply"), "unknown");
	/* An employee's complaint about no unit: no building. */
	c.unit = "";
	n = complaint_tally(&c, k, KIND_TALLY_MAX);
	assert_null(key_of(k, n, "bld"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(weeks_run_monday_to_sunday_clipped),
		cmocka_unit_test(the_period_before),
		cmocka_unit_test(month_asked),
		cmocka_unit_test(quota_against_time_gone),
		cmocka_unit_test(what_a_complaint_counts_as),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
