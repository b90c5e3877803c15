/*
 * test_hazards.c - G3's deadline over TLS with short clocks: a hazard not
 * fixed by its notice's deadline raises an alert to the desk, which a
 * supervisor watching sees escalate to the supervisor and then the
 * director; one fixed before its deadline raises nothing, nor does one
 * whose given deadline the fix beats; a reopened hazard whose deadline has
 * passed alerts at once; and a kill -9 between a deadline and its alert
 * raises it exactly once after the restart, late.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "harness.h"

#define PW	"hazard-pass-1"

static struct server_proc srv;

/* high: due 2 s after it is found, the supervisor 1 s after the alert,
 * the director 2 s after; critical: 1.5 s, no escalation to wait for. */
static const char *const fast[] = {
	"--clock", "hazard.high=2s",
	"--clock", "hazard.high.warn=0",
	"--clock", "hazard.high.escalate=1s",
	"--clock", "hazard.high.escalate_director=2s",
	"--clock", "hazard.critical=1500ms",
	"--clock", "hazard.critical.warn=0",
	NULL,
};

static int
setup(void **state)
{
	(void)state;
	srv_setup(&srv, fast);
	h_add_user(&srv, "clerk1", "clerk", PW);
	h_add_user(&srv, "clerk2", "clerk", PW);
	h_add_user(&srv, "sup1", "supervisor", PW);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	srv_teardown(&srv);
	return 0;
}

/* A supervisor's desk watching the alert stream from now on. */
static struct desk *
sup_watching(void)
{
	struct desk *w = h_login(&srv, "sup1", PW), *d = h_connect(&srv);
	const char *types[] = { "alert." };

	assert_non_null(d);
	assert_int_equal(desk_subscribe(w, desk_welcome(d)->last_seq, types,
	    1, NULL), DESK_OK);
	desk_close(d);
	return w;
}

/* A hazard found at the desk; deadline 0: the severity's default. */
static uint64_t
hazard_add(struct desk *d, const char *severity, int64_t deadline_ms,
    char *record, size_t len)
{
	Deskd__Hazard h = DESKD__HAZARD__INIT;
	Deskd__RegisterAdd a = DESKD__REGISTER_ADD__INIT;
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__Response *resp;
	uint8_t buf[512];
	uint64_t id;

	h.location = "B1 水泵房";
	h.description = "消防泵控制柜指示灯不亮";
	h.severity = (char *)severity;
	h.deadline_ms = deadline_ms;
	a.kind = "hazard";
	a.entry.len = protobuf_c_message_pack(&h.base, buf);
	a.entry.data = buf;
	req.body_case = DESKD__REQUEST__BODY_REGISTER_ADD;
	req.register_add = &a;
	resp = h_expect(d, &req, DESKD__STATUS__OK);
	id = resp->register_entry->id;
	deskd__response__free_unpacked(resp, NULL);
	snprintf(record, len, "hazard:%llu", (unsigned long long)id);
	return id;
}

static Deskd__Status
hazard_step(struct desk *d, uint64_t id, const char *action,
    const char *text)
{
	Deskd__RegisterStep s = DESKD__REGISTER_STEP__INIT;
	Deskd__Request req = DESKD__REQUEST__INIT;

	s.kind = "hazard";
	s.id = id;
	s.action = (char *)action;
	s.text = (char *)text;
	req.body_case = DESKD__REQUEST__BODY_REGISTER_STEP;
	req.register_step = &s;
	return h_call_status(d, &req, NULL, 0);
}

/* The next alert of the record, of that type and G3's. */
static Deskd__Event *
expect_alert(struct desk *w, const char *record, const char *type,
    int timeout_ms)
{
	Deskd__Event *e = h_expect_alert(w, record, type, timeout_ms);

	assert_string_equal(e->alert->rule, "G3");
	return e;
}

static void
test_past_deadline_escalates(void **state)
{
	struct desk *w = sup_watching(), *d = h_login(&srv, "clerk1", PW);
	char record[32];
	int64_t t0 = h_now_ms();
	Deskd__Event *e;

	(void)state;
	hazard_add(d, "high", 0, record, sizeof(record));
	e = expect_alert(w, record, "alert.raised", 4000);
	assert_true(h_now_ms() - t0 >= 1700);
	assert_string_equal(e->alert->role, "clerk");
	assert_string_equal(e->alert->clock, "hazard.high");
	deskd__event__free_unpacked(e, NULL);
	e = expect_alert(w, record, "alert.escalated", 3000);
	assert_string_equal(e->alert->role, "supervisor");
	deskd__event__free_unpacked(e, NULL);
	e = expect_alert(w, record, "alert.escalated", 3000);
	assert_string_equal(e->alert->role, "director");
	deskd__event__free_unpacked(e, NULL);
	desk_close(w);
	desk_close(d);
}

/* Two fixed before their deadlines, beside one left alone: when that
 * one's alert comes, theirs have come due too, and raised nothing. */
static void
test_fixed_in_time_raises_none(void **state)
{
	struct desk *w = sup_watching(), *d = h_login(&srv, "clerk1", PW);
	char r1[32], r2[32], r3[32];
	uint64_t id1, id2;
	Deskd__Event *e;

	(void)state;
	/* The severity's default deadline, and one the desk gave. */
	id1 = hazard_add(d, "high", 0, r1, sizeof(r1));
	id2 = hazard_add(d, "low", h_wall_ms() + 1500, r2, sizeof(r2));
	hazard_add(d, "high", 0, r3, sizeof(r3));
	assert_int_equal(hazard_step(d, id1, "fix", "已清理"),
	    DESKD__STATUS__OK);
	assert_int_equal(hazard_step(d, id2, "fix", "已更换"),
	    DESKD__STATUS__OK);
	e = expect_alert(w, r3, "alert.raised", 4000);
	deskd__event__free_unpacked(e, NULL);
	assert_int_equal(h_raised_count(&srv, r1, 0), 0);
	assert_int_equal(h_raised_count(&srv, r2, 0), 0);
	desk_close(w);
	desk_close(d);
}

/* Reopened by the re-check after its deadline: the notice's deadline
 * stands, so the alert comes at once. */
static void
test_reopened_past_deadline_alerts(void **state)
{
	struct desk *w = sup_watching(), *d = h_login(&srv, "clerk1", PW);
	struct desk *d2 = h_login(&srv, "clerk2", PW);
	char record[32];
	uint64_t id;
	Deskd__Event *e;

	(void)state;
	id = hazard_add(d, "critical", 0, record, sizeof(record));
	assert_int_equal(hazard_step(d, id, "fix", "已整改"),
	    DESKD__STATUS__OK);
	h_sleep_ms(2000);
	assert_null(h_next_alert(w, record, 100));
	assert_int_equal(hazard_step(d, id, "reopen", "复查未整改"),
	    DESKD__STATUS__CONFLICT);
	assert_int_equal(hazard_step(d2, id, "reopen", "复查未整改"),
	    DESKD__STATUS__OK);
	e = expect_alert(w, record, "alert.raised", 1500);
	assert_true(e->alert->late_ms > 0);
	deskd__event__free_unpacked(e, NULL);
	desk_close(w);
	desk_close(d);
	desk_close(d2);
}

static void
test_kill9_between_deadline_and_alert(void **state)
{
	struct desk *d = h_login(&srv, "clerk1", PW);
	char record[32];

	(void)state;
	hazard_add(d, "critical", 0, record, sizeof(record));
	desk_close(d);
	/* Down through the deadline: kill -9, no goodbye. */
	srv_kill9(&srv);
	h_sleep_ms(2500);
	srv_start(&srv);
	assert_int_equal(h_raised_count(&srv, record, 300), 1);
	/* Restarting again does not raise it a second time. */
	srv_kill9(&srv);
	srv_start(&srv);
	assert_int_equal(h_raised_count(&srv, record, 300), 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_past_deadline_escalates),
		cmocka_unit_test(test_fixed_in_time_raises_none),
		cmocka_unit_test(test_reopened_past_deadline_alerts),
		cmocka_unit_test(test_kill9_between_deadline_and_alert),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
