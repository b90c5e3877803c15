/*
 * test_now.c - what needs each desk now (issue 16: NowGet) against a real
 * deskd over TLS: clerks at two posts, a supervisor and a director, each
 * in their own session.  The server's clock is put in the middle of a
 * shift (--now-offset); the default shifts in Asia/Shanghai start at the
 * multiples of 8 h UTC, so the test knows who is on duty and when the
 * shift ends.  D3's 20 minutes are 3 s, escalated to the supervisor 4 s
 * and to the director 8 s after the breach.
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

#define EIGHT_H		((int64_t)8 * 3600 * 1000)
#define TWO_H		((int64_t)2 * 3600 * 1000)
#define ST(x)		DESKD__STATUS__##x
#define PW		"now-pass-12345"

static struct server_proc srv;
static char offset[32];
static int64_t shift_start;	/* server time: the shift in progress */
static int si;			/* its index (A6: morning, evening, night) */
static const char *const front[] = { "fa0", "fa1", "fa2" };
static const char *const garage[] = { "ga0", "ga1", "ga2" };

static int
setup(void **state)
{
	static const char *flags[] = { "--now-offset", offset, "--posts",
	    "front,garage", "--clock", "repair.no_engineer=3s", "--clock",
	    "repair.no_engineer.escalate=4s", "--clock",
	    "repair.no_engineer.escalate_director=8s", NULL };
	const char *const *posts[] = { front, garage };
	struct desk *d;
	int64_t wall = h_wall_ms();

	(void)state;
	/* The middle of the shift in progress, or of the next once this
	 * one's is past: deskd's clock is only ever run ahead. */
	shift_start = (wall / EIGHT_H + (wall % EIGHT_H > EIGHT_H / 2)) *
	    EIGHT_H;
	si = (int)(shift_start % (3 * EIGHT_H) / EIGHT_H);
	snprintf(offset, sizeof(offset), "%lldms",
	    (long long)(shift_start + EIGHT_H / 2 - wall));
	srv_setup(&srv, flags);
	for (int i = 0; i < 3; i++) {
		h_add_user(&srv, front[i], "clerk", PW);
		h_add_user(&srv, garage[i], "clerk", PW);
	}
	h_add_user(&srv, "sue", "supervisor", PW);
	h_add_user(&srv, "dan", "director", PW);
	h_add_user(&srv, "eng", "engineer", PW);
	d = h_login(&srv, ADMIN_USER, ADMIN_PASS);
	h_publish_posts(d, h_month_of(shift_start), posts, 2);
	/* Every front clerk has the name people know them by; the garage's
	 * none, so the header falls back to the login. */
	for (int i = 0; i < 3; i++) {
		Deskd__Request req = DESKD__REQUEST__INIT;
		Deskd__UserDirectory u = DESKD__USER_DIRECTORY__INIT;

		u.login = (char *)front[i];
		u.display_name = "王芳";
		req.body_case = DESKD__REQUEST__BODY_USER_DIRECTORY;
		req.user_directory = &u;
		h_expect_free(d, &req,
		    DESKD__STATUS__OK);
	}
	desk_close(d);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	srv_teardown(&srv);
	return 0;
}

static Deskd__Response *
now_get(struct desk *d, bool all_posts)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__NowGet g = DESKD__NOW_GET__INIT;
	Deskd__Response *r;

	g.all_posts = all_posts;
	req.body_case = DESKD__REQUEST__BODY_NOW;
	req.now = &g;
	r = h_expect(d, &req, ST(OK));
	assert_int_equal(r->body_case, DESKD__RESPONSE__BODY_NOW);
	return r;
}

/* The item of that kind about that record, or NULL. */
static const Deskd__NowItem *
item(const Deskd__Response *r, const char *kind, const char *record)
{
	for (size_t i = 0; i < r->now->n_items; i++)
		if (strcmp(r->now->items[i]->kind, kind) == 0 &&
		    strcmp(r->now->items[i]->record, record) == 0)
			return r->now->items[i];
	return NULL;
}

static bool
has_item(struct desk *d, bool all_posts, const char *kind,
    const char *record)
{
	Deskd__Response *r = now_get(d, all_posts);
	bool has = item(r, kind, record) != NULL;

	deskd__response__free_unpacked(r, NULL);
	return has;
}

/* The alert about record reaches level within ms (polled). */
static bool
alert_reaches(struct desk *d, const char *record, uint32_t level, int ms)
{
	int64_t until = h_now_ms() + ms;

	do {
		Deskd__Response *r = now_get(d, false);
		const Deskd__NowItem *it = item(r, "alert", record);
		bool reached = it != NULL && it->level == level;

		deskd__response__free_unpacked(r, NULL);
		if (reached)
			return true;
		h_sleep_ms(100);
	} while (h_now_ms() < until);
	return false;
}

static int64_t
dispatched_ms(struct desk *d, uint64_t id)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__RepairGet g = DESKD__REPAIR_GET__INIT;
	Deskd__Response *r;
	int64_t at;

	g.id = id;
	req.body_case = DESKD__REQUEST__BODY_REPAIR_GET;
	req.repair_get = &g;
	r = h_expect(d, &req, ST(OK));
	at = r->work_order->dispatched_ms;
	deskd__response__free_unpacked(r, NULL);
	return at;
}

static void
test_needs_me_now(void **state)
{
	struct desk *fa = h_login(&srv, front[si], PW);
	struct desk *ga = h_login(&srv, garage[si], PW);
	struct desk *sue = h_login(&srv, "sue", PW);
	struct desk *dan = h_login(&srv, "dan", PW), *eng;
	const Deskd__NowItem *it;
	Deskd__Complaint *c;
	Deskd__Response *r;
	char crec[32], rrec[32];
	uint64_t cid, rid;
	bool blocked_c = false, blocked_r = false;

	(void)state;
	/* The header: the office, its zone, the asker's post and shift. */
	r = now_get(fa, false);
	assert_true(*r->now->office != '\0');
	assert_string_equal(r->now->tz, "Asia/Shanghai");
	assert_string_equal(r->now->post, "front");
	assert_string_equal(r->now->role, "clerk");
	assert_string_equal(r->now->user, front[si]);
	assert_int_equal(r->now->shift_ends_ms, shift_start + EIGHT_H);
	assert_int_equal(r->now->n_on_duty, 2);
	assert_string_equal(r->now->on_duty[0]->post, "front");
	assert_string_equal(r->now->on_duty[0]->user, front[si]);
	assert_string_equal(r->now->on_duty[0]->name, "王芳");
	assert_string_equal(r->now->on_duty[1]->post, "garage");
	assert_string_equal(r->now->on_duty[1]->user, garage[si]);
	assert_string_equal(r->now->on_duty[1]->name, "");
	deskd__response__free_unpacked(r, NULL);

	/* C2: a new complaint is its desk's, with its 2 h. */
	cid = h_complaint(fa, "3-2-1201", "楼上装修噪音，晚上十点后仍在施工",
	    NULL);
	assert_true(cid > 0);
	snprintf(crec, sizeof(crec), "complaint:%llu", (unsigned long long)cid);
	c = h_get(fa, cid);
	r = now_get(fa, false);
	assert_true(r->now->last_seq > 0);
	assert_non_null(it = item(r, "complaint.reply", crec));
	assert_int_equal(it->due_ms, c->reply_due_ms);
	assert_int_equal(it->due_ms, c->created_ms + TWO_H);
	assert_string_equal(it->rule, "C2");
	assert_string_equal(it->unit, "3-2-1201");
	assert_string_equal(it->phone, "138****0000");
	assert_string_equal(it->post, "front");
	deskd__complaint__free_unpacked(c, NULL);
	deskd__response__free_unpacked(r, NULL);
	/* Not the other post's, nor the director's; the supervisor's board
	 * of every post has it, their own (on no post) not. */
	assert_false(has_item(ga, false, "complaint.reply", crec));
	assert_false(has_item(dan, false, "complaint.reply", crec));
	assert_true(has_item(sue, true, "complaint.reply", crec));
	assert_false(has_item(sue, false, "complaint.reply", crec));

	/* D3: dispatched, nobody on site: due when the clock breaches. */
	rid = h_repair(fa, "5-1-0302", "13912345678", "厨房水管爆裂，急需维修",
	    "");
	snprintf(rrec, sizeof(rrec), "repair:%llu", (unsigned long long)rid);
	r = now_get(fa, false);
	assert_non_null(it = item(r, "repair.arrive", rrec));
	assert_int_equal(it->due_ms, dispatched_ms(fa, rid) + 3000);
	assert_string_equal(it->rule, "D3");
	assert_string_equal(it->phone, "139****5678");
	/* Sorted by deadline: the repair's 3 s before the complaint's 2 h,
	 * and the handover at the shift's end after both. */
	for (size_t i = 1; i < r->now->n_items; i++)
		assert_true(r->now->items[i]->due_ms == 0 ||
		    (r->now->items[i - 1]->due_ms != 0 &&
		    r->now->items[i - 1]->due_ms <= r->now->items[i]->due_ms));
	/* B6: the handover at the end of the shift, blocked by the work
	 * still open at the post. */
	assert_non_null(it = item(r, "handover", ""));
	assert_int_equal(it->due_ms, shift_start + EIGHT_H);
	assert_string_equal(it->post, "front");
	for (size_t i = 0; i < it->n_blocks; i++) {
		blocked_c |= strncmp(it->blocks[i], crec, strlen(crec)) == 0 &&
		    it->blocks[i][strlen(crec)] == ' ';
		blocked_r |= strncmp(it->blocks[i], rrec, strlen(rrec)) == 0 &&
		    it->blocks[i][strlen(rrec)] == ' ';
	}
	assert_true(blocked_c);
	assert_true(blocked_r);
	deskd__response__free_unpacked(r, NULL);
	/* The garage's handover is not blocked by the front's work. */
	r = now_get(ga, false);
	assert_non_null(it = item(r, "handover", ""));
	for (size_t i = 0; i < it->n_blocks; i++)
		assert_null(strstr(it->blocks[i], crec));
	deskd__response__free_unpacked(r, NULL);

	/* The breach: an alert to the desk that dispatched it... */
	assert_true(alert_reaches(fa, rrec, 0, 6000));
	r = now_get(fa, false);
	assert_non_null(it = item(r, "alert", rrec));
	assert_true(it->alert_id > 0);
	assert_string_equal(it->rule, "D3");
	assert_string_equal(it->unit, "5-1-0302");
	assert_string_equal(it->phone, "139****5678");
	deskd__response__free_unpacked(r, NULL);
	/* ...not to the other post, and never on the director's list. */
	assert_false(has_item(ga, false, "alert", rrec));
	assert_false(has_item(dan, false, "alert", rrec));
	/* Unanswered, it climbs: the supervisor's, then the director's,
	 * and then no longer on the clerk's list. */
	assert_true(alert_reaches(sue, rrec, 1, 8000));
	assert_true(alert_reaches(dan, rrec, 2, 8000));
	assert_false(has_item(fa, false, "alert", rrec));
	assert_false(has_item(sue, true, "alert", rrec));
	/* Every role that logs in may ask: an engineer gets what is
	 * addressed to them, none of the desks' work. */
	eng = h_login(&srv, "eng", PW);
	r = now_get(eng, true);
	assert_int_equal(r->now->n_items, 0);
	deskd__response__free_unpacked(r, NULL);
	desk_close(eng);

	desk_close(fa);
	desk_close(ga);
	desk_close(sue);
	desk_close(dan);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_needs_me_now),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
