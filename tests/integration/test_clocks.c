/*
 * test_clocks.c - the deadline engine against a real deskd with short
 * configured durations (issue 3): warn, breach, repeat, escalate, ack,
 * clear; restarts fire late clocks exactly once; bad acks are refused.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "harness.h"

#define A(x)	DESKD__COMPLAINT_ACTION__ACTION_##x

static struct server_proc srv;

/* complaint.reply_due: warn at 1 s, breach at 2 s, repeat every 1 s,
 * supervisor 1.5 s and director 3 s after the breach. */
static const char *const fast[] = {
	"--clock", "complaint.reply_due=2s",
	"--clock", "complaint.reply_due.warn=50%",
	"--clock", "complaint.reply_due.repeat=1s",
	"--clock", "complaint.reply_due.escalate=1500ms",
	"--clock", "complaint.reply_due.escalate_director=3s",
	NULL,
};

static int
setup(void **state)
{
	(void)state;
	srv_setup(&srv, fast);
	h_add_user(&srv, "eng1", "engineer", "engineer-pass-1");
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	srv_teardown(&srv);
	return 0;
}

static struct desk *
watcher(uint64_t since)
{
	struct desk *w = h_login(&srv, ADMIN_USER, ADMIN_PASS);
	const char *types[] = { "alert." };

	assert_int_equal(desk_subscribe(w, since, types, 1, NULL), DESK_OK);
	return w;
}

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

static Deskd__Status
ack(struct desk *d, uint64_t id, const char *note)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__AlertAck a = DESKD__ALERT_ACK__INIT;

	a.id = id;
	a.note = (char *)(note ? note : "");
	req.body_case = DESKD__REQUEST__BODY_ALERT_ACK;
	req.alert_ack = &a;
	return h_call_status(d, &req, NULL, 0);
}

static void
test_warn_breach_repeat_escalate_ack_clear(void **state)
{
	struct desk *w = watcher(last_seq());
	struct desk *d = h_login(&srv, ADMIN_USER, ADMIN_PASS);
	uint64_t id = h_complaint(d, "1-1-101", "no reply yet", NULL), alert;
	int64_t t0 = h_now_ms();
	char record[32];
	Deskd__Event *e;
	bool saw_repeat = false, saw_sup = false, saw_dir = false;

	(void)state;
	snprintf(record, sizeof(record), "complaint:%llu",
	    (unsigned long long)id);
	e = h_expect_alert(w, record, "alert.warning", 3000);
	assert_true(h_now_ms() - t0 >= 700);
	deskd__event__free_unpacked(e, NULL);

	e = h_expect_alert(w, record, "alert.raised", 3000);
	assert_true(h_now_ms() - t0 >= 1700);
	assert_string_equal(e->alert->rule, "C2/C3");
	assert_string_equal(e->alert->role, "clerk");
	assert_int_equal(e->alert->state, DESKD__ALERT_STATE__ALERT_OPEN);
	alert = e->alert->id;
	assert_true(alert > 0);
	deskd__event__free_unpacked(e, NULL);

	/* Unacknowledged: raised again, then up to the supervisor and the
	 * director, each exactly once. */
	while (!(saw_repeat && saw_sup && saw_dir)) {
		e = h_next_alert(w, record, 3000);
		if (e == NULL)
			fail_msg("follow-up stalled: repeat %d sup %d dir %d",
			    saw_repeat, saw_sup, saw_dir);
		if (strcmp(e->type, "alert.raised") == 0) {
			assert_true(e->alert->repeats > 0);
			saw_repeat = true;
		} else if (strcmp(e->type, "alert.escalated") == 0) {
			if (strcmp(e->alert->role, "supervisor") == 0) {
				assert_false(saw_sup);
				saw_sup = true;
			} else {
				assert_string_equal(e->alert->role, "director");
				assert_true(saw_sup);
				assert_false(saw_dir);
				saw_dir = true;
			}
		} else
			fail_msg("unexpected %s", e->type);
		deskd__event__free_unpacked(e, NULL);
	}

	/* Taken: it goes quiet (a repeat may have been on its way). */
	assert_int_equal(ack(d, alert, "calling back"), DESKD__STATUS__OK);
	while ((e = h_next_alert(w, record, 2000)) != NULL &&
	    strcmp(e->type, "alert.raised") == 0)
		deskd__event__free_unpacked(e, NULL);
	assert_non_null(e);
	assert_string_equal(e->type, "alert.acked");
	assert_string_equal(e->alert->acked_by, ADMIN_USER);
	assert_string_equal(e->alert->note, "calling back");
	deskd__event__free_unpacked(e, NULL);
	assert_null(h_next_alert(w, record, 1500));

	/* The work done (a reply with the next agreed time): cleared. */
	assert_int_equal(h_step(d, id, A(REPLY), "已回复",
	    (int64_t)time(NULL) * 1000 + 3600 * 1000, 0), DESKD__STATUS__OK);
	e = h_expect_alert(w, record, "alert.cleared", 2000);
	assert_int_equal(e->alert->state, DESKD__ALERT_STATE__ALERT_CLEARED);
	deskd__event__free_unpacked(e, NULL);
	desk_close(w);
	desk_close(d);
}

static void
test_done_in_time_raises_nothing(void **state)
{
	struct desk *w = watcher(last_seq());
	struct desk *d = h_login(&srv, ADMIN_USER, ADMIN_PASS);
	uint64_t id = h_complaint(d, "1-1-102", "answered at once", NULL);
	char record[32];
	Deskd__Event *e;

	(void)state;
	snprintf(record, sizeof(record), "complaint:%llu",
	    (unsigned long long)id);
	assert_int_equal(h_step(d, id, A(INVALID), "不属物业", 0, 0),
	    DESKD__STATUS__OK);
	assert_int_equal(h_step(d, id, A(REPLY), "已解释", 0, 0),
	    DESKD__STATUS__OK);
	/* Closed before the warning was due: nothing, ever. */
	e = h_next_alert(w, record, 2600);
	if (e != NULL)
		fail_msg("closed complaint still got %s", e->type);
	desk_close(w);
	desk_close(d);
}

static void
test_bad_acks(void **state)
{
	struct desk *w = watcher(last_seq());
	struct desk *d = h_login(&srv, ADMIN_USER, ADMIN_PASS);
	struct desk *eng = h_login(&srv, "eng1", "engineer-pass-1");
	uint64_t id = h_complaint(d, "1-1-103", "ack me twice", NULL), alert;
	char record[32];
	Deskd__Event *e;

	(void)state;
	snprintf(record, sizeof(record), "complaint:%llu",
	    (unsigned long long)id);
	assert_int_equal(ack(d, 999999, NULL), DESKD__STATUS__NOT_FOUND);
	e = h_expect_alert(w, record, "alert.warning", 3000);
	deskd__event__free_unpacked(e, NULL);
	e = h_expect_alert(w, record, "alert.raised", 3000);
	alert = e->alert->id;
	deskd__event__free_unpacked(e, NULL);
	assert_int_equal(ack(eng, alert, NULL), DESKD__STATUS__PERMISSION_DENIED);
	assert_int_equal(ack(d, alert, NULL), DESKD__STATUS__OK);
	assert_int_equal(ack(d, alert, NULL), DESKD__STATUS__CONFLICT);
	/* Cleared alerts cannot be taken either. */
	assert_int_equal(h_step(d, id, A(INVALID), "n/a", 0, 0),
	    DESKD__STATUS__OK);
	assert_int_equal(h_step(d, id, A(REPLY), "n/a", 0, 0), DESKD__STATUS__OK);
	assert_int_equal(ack(d, alert, NULL), DESKD__STATUS__CONFLICT);
	desk_close(w);
	desk_close(d);
	desk_close(eng);
}

static void
test_due_while_down_fires_late_once(void **state)
{
	struct desk *d = h_login(&srv, ADMIN_USER, ADMIN_PASS);
	uint64_t id = h_complaint(d, "1-1-104", "due while down", NULL);
	char record[32];

	(void)state;
	snprintf(record, sizeof(record), "complaint:%llu",
	    (unsigned long long)id);
	desk_close(d);
	/* Down before the warning, through the breach: kill -9, no goodbye. */
	srv_kill9(&srv);
	h_sleep_ms(2500);
	srv_start(&srv);
	assert_int_equal(h_raised_count(&srv, record, 0), 1);
	/* Restarting again must not fire it a second time. */
	srv_kill9(&srv);
	srv_start(&srv);
	assert_int_equal(h_raised_count(&srv, record, 0), 1);
	{
		struct desk *w = watcher(0);
		Deskd__Event *e;
		bool late = false;

		while ((e = h_next_alert(w, record, 700)) != NULL) {
			if (strcmp(e->type, "alert.raised") == 0 &&
			    e->alert->repeats == 0)
				late = e->alert->late_ms >= 300;
			deskd__event__free_unpacked(e, NULL);
		}
		assert_true(late);
		desk_close(w);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_warn_breach_repeat_escalate_ack_clear),
		cmocka_unit_test(test_done_in_time_raises_nothing),
		cmocka_unit_test(test_bad_acks),
		cmocka_unit_test(test_due_while_down_fires_late_once),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
