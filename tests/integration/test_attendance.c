/*
 * test_attendance.c - attendance end to end over TLS (A1, B1): clocking in
 * and out against the published schedule, lateness from the shift's start,
 * 10 minutes early reported (B1), nonsense refused (out without in, in
 * twice, no shift near), and the month's report with an approved leave
 * (A3) and the attendance clerk's submitted mark.
 *
 * The server's clock is moved (--now-offset) to 2031-03-10 07:45 in
 * Asia/Shanghai: c1's morning shift starts at 08:00, c3's night shift
 * (00:00-08:00) is under way, c2's evening is far off.  Later it moves on
 * to see the A4 holiday-publication and the A1 report clocks fire.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "harness.h"

#define ST(x)	DESKD__STATUS__##x
#define PW	"att-pass-123"
#define MONTH	203103

static struct server_proc srv;
static struct desk *c1, *c2, *c3, *sup1, *kq;
static char offset[32], calfile[64];
static const char *flags[7];

/* A4: the calendar's major holidays, found by name; 清明节 is not one. */
static const char calendar_text[] =
    "[holidays]\n"
    "2031-04-01..2031-04-03 = 春节\n"
    "2031-04-04 = 清明节\n"
    "2031-05-01..2031-05-05 = 劳动节\n";

/* The server's clock at 2031-MM-DD HH:MM in Shanghai (UTC+8). */
static int64_t
at_ms(int mon, int day, int hour, int min)
{
	struct tm tm = { .tm_year = 2031 - 1900, .tm_mon = mon - 1,
	    .tm_mday = day, .tm_hour = hour - 8, .tm_min = min };

	return (int64_t)timegm(&tm) * 1000;
}

static void
set_offset(int mon, int day, int hour, int min)
{
	snprintf(offset, sizeof(offset), "%lldms",
	    (long long)(at_ms(mon, day, hour, min) - h_wall_ms()));
}

/* c1 mornings, c2 evenings, c3 nights, every day of a month (A6). */
static void
publish_month(uint32_t month, uint32_t days)
{
	static const char *const who[3] = { "c1", "c2", "c3" };

	h_publish_rota(sup1, month, days, who);
}

static int
setup(void **state)
{
	FILE *f;
	int fd;

	(void)state;
	setenv("TZ", "Asia/Shanghai", 1);
	tzset();
	snprintf(calfile, sizeof(calfile), "/tmp/deskd-att-cal-XXXXXX");
	assert_true((fd = mkstemp(calfile)) >= 0);
	assert_non_null(f = fdopen(fd, "w"));
	fputs(calendar_text, f);
	fclose(f);
	set_offset(3, 10, 7, 45);
	flags[0] = "--now-offset";
	flags[1] = offset;
	flags[2] = "--attendance-clerk";
	flags[3] = "kq";
	flags[4] = "--calendar";
	flags[5] = calfile;
	flags[6] = NULL;
	srv_setup(&srv, flags);
	h_add_user(&srv, "c1", "clerk", PW);
	h_add_user(&srv, "c2", "clerk", PW);
	h_add_user(&srv, "c3", "clerk", PW);
	h_add_user(&srv, "kq", "clerk", PW);
	h_add_user(&srv, "sup1", "supervisor", PW);
	c1 = h_login(&srv, "c1", PW);
	c2 = h_login(&srv, "c2", PW);
	c3 = h_login(&srv, "c3", PW);
	kq = h_login(&srv, "kq", PW);
	sup1 = h_login(&srv, "sup1", PW);
	publish_month(MONTH, 31);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	desk_close(c1);
	desk_close(c2);
	desk_close(c3);
	desk_close(kq);
	desk_close(sup1);
	srv_teardown(&srv);
	unlink(calfile);
	return 0;
}

/* Clock in or out; the record when the status is the one expected and OK
 * (caller frees the response through *resp), else NULL. */
static const Deskd__Attendance *
punch(struct desk *d, bool in, Deskd__Status want, Deskd__Response **resp)
{
	*resp = h_punch(d, in, want);
	if (want != ST(OK))
		return NULL;
	assert_int_equal((*resp)->body_case, DESKD__RESPONSE__BODY_ATTENDANCE);
	return (*resp)->attendance;
}

static void
test_clock_in_out(void **state)
{
	const Deskd__Attendance *a;
	Deskd__Response *r;

	(void)state;
	/* Nonsense first: out without in. */
	punch(c1, false, ST(CONFLICT), &r);
	assert_non_null(strstr(r->message, "not clocked in"));
	deskd__response__free_unpacked(r, NULL);
	/* B1: 15 minutes early, reported. */
	a = punch(c1, true, ST(OK), &r);
	assert_string_equal(a->user, "c1");
	assert_int_equal(a->date, 20310310);
	assert_string_equal(a->shift, "morning");
	assert_int_equal(a->late_min, 0);
	assert_in_range(a->early_min, 13, 15);
	deskd__response__free_unpacked(r, NULL);
	/* In twice. */
	punch(c1, true, ST(CONFLICT), &r);
	assert_non_null(strstr(r->message, "clock out first"));
	deskd__response__free_unpacked(r, NULL);
	/* The evening is more than 2 hours off. */
	punch(c2, true, ST(CONFLICT), &r);
	assert_non_null(strstr(r->message, "no shift"));
	deskd__response__free_unpacked(r, NULL);
	/* The night shift began at 00:00: late by 7 h 45 min. */
	a = punch(c3, true, ST(OK), &r);
	assert_int_equal(a->date, 20310310);
	assert_string_equal(a->shift, "night");
	assert_in_range(a->late_min, 465, 467);
	deskd__response__free_unpacked(r, NULL);
	a = punch(c3, false, ST(OK), &r);
	assert_true(a->out_ms >= a->in_ms);
	assert_in_range(a->left_early_min, 12, 15);
	deskd__response__free_unpacked(r, NULL);
	/* That shift is done; the next night is 16 hours away. */
	punch(c3, true, ST(CONFLICT), &r);
	assert_non_null(strstr(r->message, "already clocked in and out"));
	deskd__response__free_unpacked(r, NULL);
	punch(c3, false, ST(CONFLICT), &r);
	deskd__response__free_unpacked(r, NULL);
}

/* c2 takes leave on 2031-03-20, c1 covers; sup1 approves (A3). */
static void
approve_leave(void)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__DutyNew n = DESKD__DUTY_NEW__INIT;
	Deskd__DutyStep s = DESKD__DUTY_STEP__INIT;
	Deskd__Response *r;

	n.kind = DESKD__DUTY_KIND__DUTY_LEAVE;
	n.other = "c1";
	n.date = "2031-03-20";
	n.shift = "evening";
	n.reason = "family wedding";
	req.body_case = DESKD__REQUEST__BODY_DUTY_NEW;
	req.duty_new = &n;
	r = h_expect(c2, &req, ST(OK));
	s.id = r->duty_request->id;
	deskd__response__free_unpacked(r, NULL);
	s.action = DESKD__DUTY_ACTION__DUTY_APPROVE;
	req.body_case = DESKD__REQUEST__BODY_DUTY_STEP;
	req.duty_step = &s;
	h_expect_free(sup1, &req, ST(OK));
}

static Deskd__Response *
report(struct desk *d, uint32_t month, bool submit, Deskd__Status want)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__AttendanceReport q = DESKD__ATTENDANCE_REPORT__INIT;

	q.month = month;
	q.submit = submit;
	req.body_case = DESKD__REQUEST__BODY_ATTENDANCE_REPORT;
	req.attendance_report = &q;
	return h_expect(d, &req, want);
}

/* Restart the server at another time; the desks log in again. */
static void
restart_at(int mon, int day, int hour)
{
	desk_close(c1);
	desk_close(c2);
	desk_close(c3);
	desk_close(kq);
	desk_close(sup1);
	srv_stop(&srv);
	set_offset(mon, day, hour, 0);
	srv_start(&srv);
	c1 = h_login(&srv, "c1", PW);
	c2 = h_login(&srv, "c2", PW);
	c3 = h_login(&srv, "c3", PW);
	kq = h_login(&srv, "kq", PW);
	sup1 = h_login(&srv, "sup1", PW);
}

/* The rows of the attendance.submitted event (replayed), or -1. */
static int
submitted_event_rows(void)
{
	struct desk *w = h_login(&srv, "sup1", PW);
	const char *types[] = { "attendance.submitted" };
	struct desk_frame f;
	int n = -1;

	assert_int_equal(desk_subscribe(w, 0, types, 1, NULL), DESK_OK);
	while (n < 0 && desk_recv(w, &f, 5000) == DESK_OK) {
		if (f.event != NULL && f.event->attendance_report != NULL)
			n = (int)f.event->attendance_report->n_submitted_rows;
		desk_frame_free(&f);
	}
	desk_close(w);
	return n;
}

static uint32_t sealed_absent;

/* Publish the draft with a correction reason ("": none), wanting `want`;
 * the refusal's message in msg. */
static Deskd__Status
publish_draft(const char *correction, char *msg, size_t len)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__SchedulePublish p = DESKD__SCHEDULE_PUBLISH__INIT;

	p.month = MONTH;
	p.correction = (char *)correction;
	req.body_case = DESKD__REQUEST__BODY_SCHEDULE_PUBLISH;
	req.schedule_publish = &p;
	return h_call_status(sup1, &req, msg, len);
}

/*
 * A1, A5: c3 worked the night of the 10th (late).  A new version giving
 * that night to c2 is a change to a shift that is over: refused without a
 * reason; with one it is published as a correction, c3's recorded shift
 * still counts, and the submitted report shows c2's row corrected.
 */
static void
correct_past_night(void)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__ScheduleSet set = DESKD__SCHEDULE_SET__INIT;
	Deskd__Assignment a = DESKD__ASSIGNMENT__INIT, *list[] = { &a };
	const Deskd__AttendanceReportReply *rep;
	Deskd__Response *r;
	char msg[512];

	a.day = 10;
	a.shift = 2;	/* night */
	a.post = 0;
	a.user = "c2";
	set.month = MONTH;
	set.assignments = list;
	set.n_assignments = 1;
	req.body_case = DESKD__REQUEST__BODY_SCHEDULE_SET;
	req.schedule_set = &set;
	h_expect_free(sup1, &req, ST(OK));
	assert_int_equal(publish_draft("", msg, sizeof(msg)), ST(CONFLICT));
	assert_non_null(strstr(msg, "2031-03-10 night front: c3 -> c2: the "
	    "shift is over"));
	assert_int_equal(publish_draft("c2 顶了 3 日夜班, 补登", msg,
	    sizeof(msg)), ST(OK));
	r = report(sup1, MONTH, false, ST(OK));
	rep = r->attendance_report;
	assert_string_equal(rep->rows[2]->user, "c3");
	assert_int_equal(rep->rows[2]->worked, 1);
	assert_int_equal(rep->rows[2]->late, 1);
	assert_in_range(rep->rows[2]->late_min, 465, 467);
	assert_int_equal(rep->n_corrected_rows, 1);
	assert_string_equal(rep->corrected_rows[0]->user, "c2");
	assert_int_equal(rep->corrected_rows[0]->absent,
	    rep->submitted_rows[1]->absent + 1);
	deskd__response__free_unpacked(r, NULL);
}

static void
test_report_and_submit(void **state)
{
	const Deskd__AttendanceReportReply *rep;
	Deskd__AttendanceRow *const *w;
	Deskd__Response *r;

	(void)state;
	approve_leave();
	/* A desk sees its own row only. */
	r = report(c1, MONTH, false, ST(OK));
	assert_int_equal(r->attendance_report->n_rows, 1);
	assert_string_equal(r->attendance_report->rows[0]->user, "c1");
	assert_int_equal(r->attendance_report->rows[0]->worked, 1);
	deskd__response__free_unpacked(r, NULL);
	r = report(sup1, MONTH, false, ST(OK));
	rep = r->attendance_report;
	assert_int_equal(rep->n_rows, 3);
	assert_false(rep->submitted);
	w = rep->rows;
	/* c1: 31 mornings and the evening covered; in early today; the 9
	 * mornings before today missed. */
	assert_string_equal(w[0]->user, "c1");
	assert_int_equal(w[0]->scheduled, 32);
	assert_int_equal(w[0]->worked, 1);
	assert_int_equal(w[0]->late, 0);
	assert_int_equal(w[0]->early_ok, 1);
	assert_int_equal(w[0]->absent, 9);
	assert_int_equal(w[0]->leaves, 0);
	assert_string_equal(w[1]->user, "c2");
	assert_int_equal(w[1]->scheduled, 30);
	assert_int_equal(w[1]->worked, 0);
	assert_int_equal(w[1]->absent, 9);
	assert_int_equal(w[1]->leaves, 1);
	assert_string_equal(w[2]->user, "c3");
	assert_int_equal(w[2]->worked, 1);
	assert_int_equal(w[2]->late, 1);
	assert_in_range(w[2]->late_min, 465, 467);
	assert_int_equal(w[2]->absent, 9);
	deskd__response__free_unpacked(r, NULL);

	/* A1: only the designated clerk submits, once. */
	deskd__response__free_unpacked(report(c1, MONTH, true,
	    ST(PERMISSION_DENIED)), NULL);
	deskd__response__free_unpacked(report(sup1, MONTH, true,
	    ST(PERMISSION_DENIED)), NULL);
	deskd__response__free_unpacked(report(kq, 203113, false,
	    ST(INVALID_ARGUMENT)), NULL);
	/* The 10th: the month is still running, its figures would go on
	 * changing after the submission (A1 closes it at the 25th). */
	deskd__response__free_unpacked(report(kq, MONTH, true,
	    ST(CONFLICT)), NULL);
	restart_at(3, 25, 9);
	deskd__response__free_unpacked(report(kq, 203104, true,
	    ST(CONFLICT)), NULL);	/* nothing published */
	r = report(kq, MONTH, true, ST(OK));
	rep = r->attendance_report;
	assert_true(rep->submitted);
	assert_string_equal(rep->submitted_by, "kq");
	assert_int_equal(rep->n_rows, 3);
	assert_true(rep->cutoff_ms == at_ms(3, 25, 0, 0));
	/* Sealed: the shifts up to the 24th (c1: 24 mornings and the
	 * evening covered), the rest of the month not counted. */
	assert_int_equal(rep->n_submitted_rows, 3);
	assert_string_equal(rep->submitted_rows[0]->user, "c1");
	assert_int_equal(rep->submitted_rows[0]->scheduled, 25);
	assert_int_equal(rep->submitted_rows[0]->worked, 1);
	assert_int_equal(rep->submitted_rows[0]->absent, 24);
	assert_int_equal(rep->submitted_rows[1]->absent, 23);
	sealed_absent = rep->submitted_rows[0]->absent;
	deskd__response__free_unpacked(r, NULL);
	deskd__response__free_unpacked(report(kq, MONTH, true, ST(CONFLICT)),
	    NULL);
	r = report(c2, MONTH, false, ST(OK));
	assert_true(r->attendance_report->submitted);
	assert_string_equal(r->attendance_report->submitted_by, "kq");
	assert_int_equal(r->attendance_report->n_rows, 1);
	assert_string_equal(r->attendance_report->rows[0]->user, "c2");
	assert_int_equal(r->attendance_report->n_submitted_rows, 1);
	assert_string_equal(r->attendance_report->submitted_rows[0]->user,
	    "c2");
	deskd__response__free_unpacked(r, NULL);
	/* The submit event carries the figures as submitted. */
	assert_int_equal(submitted_event_rows(), 3);
	correct_past_night();
}

/* The open alert of a record's clock, or NULL; the caller frees *resp. */
static const Deskd__Alert *
open_alert(const char *record, const char *clock, Deskd__Response **resp)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__AlertList q = DESKD__ALERT_LIST__INIT;

	q.open_only = true;
	q.limit = 500;
	req.body_case = DESKD__REQUEST__BODY_ALERT_LIST;
	req.alert_list = &q;
	*resp = h_expect(sup1, &req, ST(OK));
	for (size_t i = 0; i < (*resp)->alert_list->n_alerts; i++) {
		const Deskd__Alert *a = (*resp)->alert_list->alerts[i];

		if (strcmp(a->record, record) == 0 &&
		    strcmp(a->clock, clock) == 0)
			return a;
	}
	return NULL;
}

static void
test_clocks(void **state)
{
	const Deskd__Alert *a;
	Deskd__Response *r;

	(void)state;
	/* May is published in good time: its 劳动节 clock stops. */
	publish_month(203105, 31);
	/* A4: 春节 on 2031-04-01 wanted April published by 03-25. */
	restart_at(3, 26, 9);
	a = open_alert("schedule:20310401", "schedule.holiday_publish", &r);
	assert_non_null(a);
	assert_string_equal(a->rule, "A4");
	/* Raised to the supervisor on the 25th (the submission's restart),
	 * escalated to the director since. */
	assert_string_equal(a->role, "director");
	deskd__response__free_unpacked(r, NULL);
	assert_null(open_alert("schedule:20310501",
	    "schedule.holiday_publish", &r));
	deskd__response__free_unpacked(r, NULL);
	assert_null(open_alert("schedule:20310404",
	    "schedule.holiday_publish", &r));
	deskd__response__free_unpacked(r, NULL);
	/* March was submitted: no A1 alert. */
	assert_null(open_alert("attendance:203103", "attendance.report_due",
	    &r));
	deskd__response__free_unpacked(r, NULL);
	/* A1: the month goes on (the 25th's shifts are missed), what was
	 * submitted does not, and up to the cut-off only the correction of
	 * the 10th's night (c2) changed. */
	r = report(sup1, MONTH, false, ST(OK));
	assert_true(r->attendance_report->rows[0]->absent > sealed_absent);
	assert_int_equal(r->attendance_report->submitted_rows[0]->absent,
	    sealed_absent);
	assert_int_equal(r->attendance_report->n_corrected_rows, 1);
	assert_string_equal(r->attendance_report->corrected_rows[0]->user,
	    "c2");
	deskd__response__free_unpacked(r, NULL);
	/* Publishing April clears the A4 alert and arms its A1 clock. */
	publish_month(203104, 30);
	a = open_alert("schedule:20310401", "schedule.holiday_publish", &r);
	assert_null(a);
	deskd__response__free_unpacked(r, NULL);
	/* A1: April's attendance is not in by the end of the 25th. */
	restart_at(4, 26, 10);
	a = open_alert("attendance:203104", "attendance.report_due", &r);
	assert_non_null(a);
	assert_string_equal(a->rule, "A1");
	deskd__response__free_unpacked(r, NULL);
	deskd__response__free_unpacked(report(kq, 203104, true, ST(OK)),
	    NULL);
	assert_null(open_alert("attendance:203104", "attendance.report_due",
	    &r));
	deskd__response__free_unpacked(r, NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_clock_in_out),
		cmocka_unit_test(test_report_and_submit),
		cmocka_unit_test(test_clocks),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
