/*
 * test_clock_workdays.c - working-day clocks (C4) against a real deskd with
 * the shipped holiday calendar: a resolved complaint's revisit falls due 2
 * working days later on that calendar; the server's clock is moved forward
 * (--now-offset) rather than waited for.
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

#include "calendar.h"
#include "harness.h"

#define A(x)	DESKD__COMPLAINT_ACTION__ACTION_##x

static struct server_proc srv;
static char calfile[512];
static const char *flags[8];

static int
setup(void **state)
{
	(void)state;
	snprintf(calfile, sizeof(calfile), "%s/deskd-cal-XXXXXX.ini",
	    "/tmp");
	{
		/* 2025 and 2026 together, as scripts/serve makes it. */
		char cmd[1024];
		int fd = mkstemps(calfile, 4);

		assert_true(fd >= 0);
		close(fd);
		snprintf(cmd, sizeof(cmd), "cat %s/scripts/calendar-cn-2025.ini "
		    "%s/scripts/calendar-cn-2026.ini > %s", DESKD_SOURCE_DIR,
		    DESKD_SOURCE_DIR, calfile);
		assert_int_equal(system(cmd), 0);
	}
	flags[0] = "--calendar";
	flags[1] = calfile;
	flags[2] = NULL;
	srv_setup(&srv, flags);
	setenv("TZ", "Asia/Shanghai", 1);
	tzset();
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	srv_teardown(&srv);
	unlink(calfile);
	return 0;
}

static Deskd__Event *
revisit_alert(uint64_t id, int timeout_ms)
{
	struct desk *w = h_login(&srv, ADMIN_USER, ADMIN_PASS);
	const char *types[] = { "alert.raised" };
	int64_t until = h_now_ms() + timeout_ms;
	char record[32];
	struct desk_frame f;
	Deskd__Event *found = NULL;

	snprintf(record, sizeof(record), "complaint:%llu",
	    (unsigned long long)id);
	assert_int_equal(desk_subscribe(w, 0, types, 1, NULL), DESK_OK);
	while (found == NULL && h_now_ms() < until &&
	    desk_recv(w, &f, (int)(until - h_now_ms()) + 1) == DESK_OK) {
		if (f.event && f.event->alert &&
		    strcmp(f.event->alert->record, record) == 0 &&
		    strcmp(f.event->alert->clock, "complaint.revisit_due") == 0) {
			found = f.event;
			f.event = NULL;
		}
		desk_frame_free(&f);
	}
	desk_close(w);
	return found;
}

static void
restart_with_offset(const char *offset)
{
	srv_stop(&srv);
	flags[2] = "--now-offset";
	flags[3] = offset;
	flags[4] = NULL;
	for (int i = 0; i < 5; i++)
		srv.extra[i] = flags[i];
	srv_start(&srv);
}

static void
test_revisit_due_two_working_days_later(void **state)
{
	struct desk *d = h_login(&srv, ADMIN_USER, ADMIN_PASS);
	struct calendar *cal = NULL;
	char err[256];
	uint64_t id = h_complaint(d, "3-2-1201", "漏水已修复待回访", NULL);
	Deskd__Complaint *c;
	Deskd__Event *e;
	int64_t resolved, want;

	(void)state;
	assert_int_equal(h_step(d, id, A(VALID), NULL, 0, 0), DESKD__STATUS__OK);
	assert_int_equal(h_step(d, id, A(RESOLVE), "已修复", 0, 0),
	    DESKD__STATUS__OK);
	c = h_get(d, id);
	resolved = c->updated_ms;
	deskd__complaint__free_unpacked(c, NULL);
	desk_close(d);
	assert_int_equal(calendar_load_file(&cal, calfile, err, sizeof(err)),
	    0);
	want = calendar_add_working_days(cal, resolved, 2);
	calendar_free(cal);

	/* A day later by the server's clock: not due yet (C4 counts working
	 * days, and a day is at most one of them). */
	restart_with_offset("1d");
	e = revisit_alert(id, 1200);
	assert_null(e);
	/* Past the due day: it fires once, at start, late. */
	restart_with_offset("6d");
	e = revisit_alert(id, 3000);
	assert_non_null(e);
	assert_int_equal(e->alert->due_ms, want);
	assert_string_equal(e->alert->rule, "C4");
	assert_true(e->alert->late_ms > 0);
	deskd__event__free_unpacked(e, NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_revisit_due_two_working_days_later),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
