/*
 * test_export_reports.c - the exports HQ's nightly reports read
 * (PROTOCOL.md 10.15) against a real deskd over TLS: the users (no
 * password material), the duty log and attendance.  The last two have no
 * id key and are paged by position in key order: paged two at a time,
 * every record comes exactly once, in key order, with a ref made of its
 * own fields; a month's submitted mark, in the attendance database too, is
 * not a record; --since keeps what changed since; who may not read them
 * all is refused; and `desk export --kind attendance` writes a header and
 * a row per record.
 *
 * The server's clock is moved (--now-offset) to 2031-03-10 07:45 in
 * Asia/Shanghai (c1's morning is about to start, c3's night is under
 * way), then restarted at 15:45 (c2's evening is about to start).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "harness.h"
#include "wire.h"

#define ST(x)	DESKD__STATUS__##x
#define PW	"report-pass-123"
#define MONTH	203103u

static struct server_proc srv;
static struct desk *c1, *c2, *c3, *kq, *sup1, *eng1, *admin;
static char offset[32];
static const char *flags[5];
static uint64_t log_ids[5];	/* the duty log entries, in the order made */

/* 2031-03-DD HH:MM in Shanghai (UTC+8), in ms since the epoch. */
static int64_t
at_ms(int day, int hour, int min)
{
	struct tm tm = { .tm_year = 2031 - 1900, .tm_mon = 2, .tm_mday = day,
	    .tm_hour = hour - 8, .tm_min = min };

	return (int64_t)timegm(&tm) * 1000;
}

static void
set_offset(int day, int hour, int min)
{
	snprintf(offset, sizeof(offset), "%lldms",
	    (long long)(at_ms(day, hour, min) - h_wall_ms()));
}

static void
login_all(void)
{
	c1 = h_login(&srv, "c1", PW);
	c2 = h_login(&srv, "c2", PW);
	c3 = h_login(&srv, "c3", PW);
	kq = h_login(&srv, "kq", PW);
	sup1 = h_login(&srv, "sup1", PW);
	eng1 = h_login(&srv, "eng1", PW);
	admin = h_login(&srv, ADMIN_USER, ADMIN_PASS);
}

static void
close_all(void)
{
	desk_close(c1);
	desk_close(c2);
	desk_close(c3);
	desk_close(kq);
	desk_close(sup1);
	desk_close(eng1);
	desk_close(admin);
}

static int
setup(void **state)
{
	static const char *const who[3] = { "c1", "c2", "c3" };

	(void)state;
	setenv("TZ", "Asia/Shanghai", 1);
	tzset();
	set_offset(10, 7, 45);
	flags[0] = "--now-offset";
	flags[1] = offset;
	flags[2] = "--attendance-clerk";
	flags[3] = "kq";
	flags[4] = NULL;
	srv_setup(&srv, flags);
	h_add_user(&srv, "c1", "clerk", PW);
	h_add_user(&srv, "c2", "clerk", PW);
	h_add_user(&srv, "c3", "clerk", PW);
	h_add_user(&srv, "kq", "clerk", PW);
	h_add_user(&srv, "sup1", "supervisor", PW);
	h_add_user(&srv, "eng1", "engineer", PW);
	login_all();
	h_publish_rota(sup1, MONTH, 31, who);
	/* February, over: its attendance can be submitted (A1). */
	h_publish_rota(sup1, MONTH - 1, 28, who);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	close_all();
	srv_teardown(&srv);
	return 0;
}

/* ---------- the requests ---------- */

static uint64_t
log_add(struct desk *d, const char *text, uint32_t day)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__DutyLogAdd a = DESKD__DUTY_LOG_ADD__INIT;
	Deskd__Response *r;
	uint64_t id;

	a.text = (char *)text;
	a.record = "";
	a.day = day;
	req.body_case = DESKD__REQUEST__BODY_LOG_ADD;
	req.log_add = &a;
	r = h_expect(d, &req, ST(OK));
	id = r->log_entry->id;
	h_free(r);
	return id;
}

static void
punch(struct desk *d, bool in)
{
	h_free(h_punch(d, in, ST(OK)));
}

/* The records of one export, every page of it. */
struct got {
	Deskd__ExportRecord	*rec[64];
	Deskd__Response		*resp[64];
	size_t			 n, nresp;
	uint64_t		 last_id;
};

static void
got_free(struct got *g)
{
	for (size_t i = 0; i < g->nresp; i++)
		h_free(g->resp[i]);
	memset(g, 0, sizeof(*g));
}

/* Export a kind two records a page, following next_id to the end. */
static void
export_all(struct desk *d, const char *kind, int64_t since_ms,
    struct got *g)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__ExportRequest q = DESKD__EXPORT_REQUEST__INIT;
	uint64_t from = 1;

	memset(g, 0, sizeof(*g));
	q.kind = (char *)kind;
	q.since_ms = since_ms;
	q.limit = 2;
	req.body_case = DESKD__REQUEST__BODY_EXPORT;
	req.export = &q;
	do {
		Deskd__Response *r;

		q.from_id = from;
		r = h_expect(d, &req, ST(OK));
		assert_int_equal(r->body_case, DESKD__RESPONSE__BODY_EXPORT);
		assert_in_range(g->nresp, 0, 63);
		g->resp[g->nresp++] = r;
		assert_true(r->export->n_records <= 2);
		for (size_t i = 0; i < r->export->n_records; i++) {
			assert_in_range(g->n, 0, 63);
			g->rec[g->n++] = r->export->records[i];
		}
		g->last_id = r->export->last_id;
		from = r->export->next_id;
	} while (from != 0);
}

static Deskd__Status
export_status(struct desk *d, const char *kind, char *msg, size_t len)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__ExportRequest q = DESKD__EXPORT_REQUEST__INIT;

	q.kind = (char *)kind;
	req.body_case = DESKD__REQUEST__BODY_EXPORT;
	req.export = &q;
	return h_call_status(d, &req, msg, len);
}

/* Every ref once; ids (positions) ascending, within 1..last_id. */
static void
assert_once(const struct got *g)
{
	for (size_t i = 0; i < g->n; i++) {
		assert_true(g->rec[i]->id >= 1 && g->rec[i]->id <= g->last_id);
		if (i > 0)
			assert_true(g->rec[i]->id > g->rec[i - 1]->id);
		for (size_t j = 0; j < i; j++)
			assert_string_not_equal(g->rec[i]->ref,
			    g->rec[j]->ref);
	}
}

/* The ref after NODE: ("dutylog:7"), the node being hex digits. */
static const char *
ref_tail(const char *ref)
{
	size_t n = strspn(ref, "0123456789abcdef");

	assert_true(n > 0 && ref[n] == ':');
	return ref + n + 1;
}

static Deskd__DutyLogEntry *
as_entry(const Deskd__ExportRecord *e)
{
	Deskd__DutyLogEntry *x = deskd__duty_log_entry__unpack(NULL,
	    e->record.len, e->record.data);

	assert_non_null(x);
	return x;
}

static Deskd__Attendance *
as_att(const Deskd__ExportRecord *e)
{
	Deskd__Attendance *a = deskd__attendance__unpack(NULL, e->record.len,
	    e->record.data);

	assert_non_null(a);
	return a;
}

/* ---------- the tests ---------- */

/* Entries made out of day order: the export is in day order, each once,
 * named by its entry id. */
static void
test_dutylog_paged(void **state)
{
	static const uint32_t days[4] = { 5, 3, 0, 3 };	/* 0: today */
	static const size_t order[4] = { 1, 3, 0, 2 };	/* by day, then id */
	struct got g;
	char want[64];

	(void)state;
	for (size_t i = 0; i < 4; i++)
		log_ids[i] = log_add(c1, "巡查正常", days[i] ? MONTH * 100 +
		    days[i] : 0);
	export_all(c1, "dutylog", 0, &g);
	assert_int_equal(g.n, 4);
	assert_int_equal(g.last_id, 4);
	assert_once(&g);
	for (size_t i = 0; i < 4; i++) {
		Deskd__DutyLogEntry *x = as_entry(g.rec[i]);

		assert_int_equal(g.rec[i]->id, i + 1);
		assert_int_equal(x->id, log_ids[order[i]]);
		snprintf(want, sizeof(want), "dutylog:%llu",
		    (unsigned long long)x->id);
		assert_string_equal(ref_tail(g.rec[i]->ref), want);
		deskd__duty_log_entry__free_unpacked(x, NULL);
	}
	got_free(&g);

	/* A range of positions is what it says: the second and third. */
	{
		Deskd__Request req = DESKD__REQUEST__INIT;
		Deskd__ExportRequest q = DESKD__EXPORT_REQUEST__INIT;
		Deskd__Response *r;

		q.kind = "dutylog";
		q.from_id = 2;
		q.to_id = 4;
		req.body_case = DESKD__REQUEST__BODY_EXPORT;
		req.export = &q;
		r = h_expect(c1, &req, ST(OK));
		assert_int_equal(r->export->n_records, 2);
		assert_int_equal(r->export->records[0]->id, 2);
		assert_int_equal(r->export->records[1]->id, 3);
		assert_int_equal(r->export->next_id, 0);
		h_free(r);
	}
}

/* Two records and the month's submitted mark, which is not one. */
static void
test_attendance_paged(void **state)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__AttendanceReport rep = DESKD__ATTENDANCE_REPORT__INIT;
	struct got g;

	(void)state;
	punch(c1, true);	/* the morning, 15 minutes early */
	punch(c3, true);	/* the night, under way */
	punch(c3, false);
	rep.month = MONTH - 1;
	rep.submit = true;
	req.body_case = DESKD__REQUEST__BODY_ATTENDANCE_REPORT;
	req.attendance_report = &rep;
	h_expect_free(kq, &req, ST(OK));

	export_all(kq, "attendance", 0, &g);
	assert_int_equal(g.last_id, 2);
	assert_int_equal(g.n, 2);
	assert_once(&g);
	/* Key order: the day, then the shift (its place in the
	 * configuration: morning, evening, night), then the person. */
	assert_string_equal(ref_tail(g.rec[0]->ref),
	    "attendance:20310310:morning:c1");
	assert_string_equal(ref_tail(g.rec[1]->ref),
	    "attendance:20310310:night:c3");
	for (size_t i = 0; i < g.n; i++) {
		Deskd__Attendance *a = as_att(g.rec[i]);

		assert_int_equal(a->date, 20310310);
		assert_true(a->in_ms > 0);
		deskd__attendance__free_unpacked(a, NULL);
	}
	got_free(&g);
}

/* Later that day: one more of each, in the middle and at the end of the
 * key order; --since keeps only what changed after noon. */
static void
test_since_and_later(void **state)
{
	struct got g;
	int64_t noon = at_ms(10, 12, 0);

	(void)state;
	close_all();
	srv_stop(&srv);
	set_offset(10, 15, 45);
	srv_start(&srv);
	login_all();
	log_ids[4] = log_add(c2, "补记: 4日", MONTH * 100 + 4);
	punch(c2, true);	/* the evening */

	export_all(sup1, "dutylog", 0, &g);
	assert_int_equal(g.n, 5);
	assert_int_equal(g.last_id, 5);
	assert_once(&g);
	got_free(&g);
	export_all(sup1, "dutylog", noon, &g);
	assert_int_equal(g.n, 1);
	assert_int_equal(g.last_id, 5);
	{
		Deskd__DutyLogEntry *x = as_entry(g.rec[0]);

		assert_int_equal(x->id, log_ids[4]);
		assert_int_equal(x->day, MONTH * 100 + 4);
		/* Day 4 sorts after both entries of day 3. */
		assert_int_equal(g.rec[0]->id, 3);
		deskd__duty_log_entry__free_unpacked(x, NULL);
	}
	got_free(&g);

	export_all(sup1, "attendance", 0, &g);
	assert_int_equal(g.n, 3);
	assert_int_equal(g.last_id, 3);
	assert_once(&g);
	got_free(&g);
	export_all(kq, "attendance", noon, &g);
	assert_int_equal(g.n, 1);
	assert_string_equal(ref_tail(g.rec[0]->ref),
	    "attendance:20310310:evening:c2");
	got_free(&g);
	/* c1 clocks out: the latest of in and out is after noon now. */
	punch(c1, false);
	export_all(kq, "attendance", noon, &g);
	assert_int_equal(g.n, 2);
	got_free(&g);
	export_all(kq, "attendance", at_ms(11, 0, 0), &g);
	assert_int_equal(g.n, 0);
	assert_int_equal(g.last_id, 3);
	got_free(&g);
}

/* Who may read them all: the duty log is the desks'; attendance the
 * attendance clerk's and the supervisors'; the users the admin's. */
static void
test_permissions(void **state)
{
	char msg[256];

	(void)state;
	assert_int_equal(export_status(c1, "attendance", msg, sizeof(msg)),
	    ST(PERMISSION_DENIED));
	assert_non_null(strstr(msg, "attendance clerk"));
	assert_int_equal(export_status(kq, "attendance", msg, sizeof(msg)),
	    ST(OK));
	assert_int_equal(export_status(sup1, "attendance", msg, sizeof(msg)),
	    ST(OK));
	assert_int_equal(export_status(eng1, "dutylog", msg, sizeof(msg)),
	    ST(PERMISSION_DENIED));
	assert_int_equal(export_status(c1, "dutylog", msg, sizeof(msg)),
	    ST(OK));
	assert_int_equal(export_status(c1, "user", msg, sizeof(msg)),
	    ST(PERMISSION_DENIED));
	assert_int_equal(export_status(sup1, "user", msg, sizeof(msg)),
	    ST(PERMISSION_DENIED));
	/* Exported only. */
	{
		Deskd__Request req = DESKD__REQUEST__INIT;
		Deskd__ImportBatch b = DESKD__IMPORT_BATCH__INIT;
		Deskd__ImportRow row = DESKD__IMPORT_ROW__INIT, *rows[1] = {
		    &row };

		b.kind = "dutylog";
		b.rows = rows;
		b.n_rows = 1;
		row.ref = "x";
		req.body_case = DESKD__REQUEST__BODY_IMPORT_BATCH;
		req.import_batch = &b;
		assert_int_equal(h_call_status(sup1, &req, msg, sizeof(msg)),
		    ST(INVALID_ARGUMENT));
		assert_non_null(strstr(msg, "exported, not imported"));
	}
}

/* Every user, by name, and not a byte of a salt or a hash. */
static void
test_users(void **state)
{
	static const char *const names[] = { "admin", "c1", "c2", "c3",
	    "eng1", "kq", "sup1" };
	struct got g;

	(void)state;
	export_all(admin, "user", 0, &g);
	assert_int_equal(g.n, 7);
	assert_int_equal(g.last_id, 7);
	for (size_t i = 0; i < g.n; i++) {
		Deskd__User *u = deskd__user__unpack(NULL,
		    g.rec[i]->record.len, g.rec[i]->record.data);

		assert_non_null(u);
		assert_string_equal(u->name, names[i]);
		assert_string_equal(g.rec[i]->ref, names[i]);
		assert_true(*u->role != '\0');
		assert_true(u->created_ms > 0);
		assert_int_equal(u->pw_salt.len, 0);
		assert_int_equal(u->pw_hash.len, 0);
		assert_int_equal(u->pw_iterations, 0);
		assert_int_equal(u->base.n_unknown_fields, 0);
		/* Nothing but the public fields: a salt (tag 10) or hash
		 * (tag 11) would take 16+ bytes more. */
		assert_true(g.rec[i]->record.len < 64);
		deskd__user__free_unpacked(u, NULL);
	}
	got_free(&g);
	/* The last time there is (wire.h): nobody was created since. */
	export_all(admin, "user", WIRE_TIME_END_MS - 1, &g);
	assert_int_equal(g.n, 0);
	got_free(&g);
}

/* The CLI: a header row, then a row per attendance record. */
static void
test_cli_csv(void **state)
{
	char cmd[1024], line[1024];
	FILE *p;
	size_t n = 0;

	(void)state;
	snprintf(cmd, sizeof(cmd), "XDG_CONFIG_HOME='%s' DESK_SERVER='%s' "
	    "DESK_CA='%s' DESK_USER=kq DESK_PASSWORD='%s' '%s' export "
	    "--kind attendance --format csv", srv.dir, srv.addr, h_ca(), PW,
	    DESK_BIN);
	assert_non_null(p = popen(cmd, "r"));
	while (fgets(line, sizeof(line), p) != NULL) {
		if (n == 0)
			assert_string_equal(line, "ref,user,date,shift,start_ms,"
			    "end_ms,in_ms,out_ms,late_min,early_min,"
			    "left_early_min\n");
		else {
			assert_non_null(strstr(line, ":attendance:20310310:"));
			assert_non_null(strstr(line, ",20310310,"));
		}
		n++;
	}
	assert_int_equal(pclose(p), 0);
	assert_int_equal(n, 1 + 3);

	/* The users' file has no password columns; the display name is
	 * exported with the user (issue 16). */
	snprintf(cmd, sizeof(cmd), "XDG_CONFIG_HOME='%s' DESK_SERVER='%s' "
	    "DESK_CA='%s' DESK_USER=%s DESK_PASSWORD='%s' '%s' export "
	    "--kind user --format csv", srv.dir, srv.addr, h_ca(), ADMIN_USER,
	    ADMIN_PASS, DESK_BIN);
	assert_non_null(p = popen(cmd, "r"));
	n = 0;
	while (fgets(line, sizeof(line), p) != NULL) {
		if (n == 0)
			assert_string_equal(line,
			    "ref,name,role,disabled,created_ms,"
			    "display_name\n");
		n++;
	}
	assert_int_equal(pclose(p), 0);
	assert_int_equal(n, 1 + 7);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dutylog_paged),
		cmocka_unit_test(test_attendance_paged),
		cmocka_unit_test(test_since_and_later),
		cmocka_unit_test(test_permissions),
		cmocka_unit_test(test_users),
		cmocka_unit_test(test_cli_csv),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
