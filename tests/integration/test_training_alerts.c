/*
 * test_training_alerts.c - drills and training end to end over TLS (issue 14:
 * G5, F5), with short clocks: a fail has a retake due, alerting the
 * supervisor when it runs out and cleared by a later pass (F5); someone
 * about to fall below two fire trainings in 12 months alerts the
 * supervisor (G5); a pass for someone not in the session is refused,
 * nothing stored; a schedule putting someone untrained on a post is
 * refused with their name, and published with an override whose reason
 * the version keeps (G5, on here), after which neither the month's next
 * version nor the next month's needs one for them; an approved leave's
 * untrained cover is refused likewise.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "harness.h"

#define ST(x)	DESKD__STATUS__##x
#define PW	"train-pass-1"
#define DAY_MS	(24LL * 60 * 60 * 1000)

static struct server_proc srv;
static struct h_staff staff;

static const char *const extra[] = {
	"--clock", "training.retake=2s",
	"--clock", "training.retake.warn=0",
	"--before-first-shift", "on",
	NULL,
};

static int
setup(void **state)
{
	(void)state;
	h_office_up(&srv, extra, PW, &staff);
	h_add_user(&srv, "wang", "clerk", PW);
	h_add_user(&srv, "li", "clerk", PW);
	h_add_user(&srv, "newbie", "clerk", PW);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	h_office_down(&srv, &staff);
	return 0;
}

/* ---------- helpers ---------- */

/* Add an entry of kind packed from m at desk d: its id, or 0 with the
 * status in *st and the message in msg. */
static uint64_t
add(struct desk *d, const char *kind, const ProtobufCMessage *m, Deskd__Status *st,
    char *msg, size_t msglen)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__RegisterAdd a = DESKD__REGISTER_ADD__INIT;
	Deskd__Response *resp = NULL;
	uint64_t id = 0;

	a.kind = (char *)kind;
	a.entry.len = protobuf_c_message_get_packed_size(m);
	a.entry.data = malloc(a.entry.len + 1);
	assert_non_null(a.entry.data);
	protobuf_c_message_pack(m, a.entry.data);
	req.body_case = DESKD__REQUEST__BODY_REGISTER_ADD;
	req.register_add = &a;
	assert_int_not_equal(desk_call(d, &req, &resp), DESK_CONNECT);
	free(a.entry.data);
	assert_non_null(resp);
	*st = resp->status;
	snprintf(msg, msglen, "%s", resp->message);
	if (resp->status == ST(OK))
		id = resp->register_entry->id;
	deskd__response__free_unpacked(resp, NULL);
	return id;
}

static uint64_t
add_ok(const char *kind, const ProtobufCMessage *m)
{
	Deskd__Status st;
	char msg[256];
	uint64_t id = add(staff.clerk, kind, m, &st, msg, sizeof(msg));

	if (st != ST(OK))
		fail_msg("%s add: %d %s", kind, st, msg);
	return id;
}

/* A fire session held at `held` with these participants. */
static uint64_t
session(int64_t held, char **people, size_t n)
{
	Deskd__Training t = DESKD__TRAINING__INIT;

	t.topic = "灭火器与消火栓使用";
	t.subject = "fire";
	t.held_ms = held;
	t.trainer = "sup1";
	t.participants = people;
	t.n_participants = n;
	return add_ok("training", &t.base);
}

static Deskd__Status
result(uint64_t sess, const char *person, const char *res, char *msg,
    size_t msglen)
{
	Deskd__TrainingResult r = DESKD__TRAINING_RESULT__INIT;
	Deskd__Status st;

	r.session = sess;
	r.person = (char *)person;
	r.result = (char *)res;
	/* The trainer's record: never the person's own (G5). */
	add(staff.admin, "training-result", &r.base, &st, msg, msglen);
	return st;
}

/* Every entry of a kind, decoded (caller frees each and the array). */
static ProtobufCMessage **
list(const char *kind, const ProtobufCMessageDescriptor *d, size_t *n)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__RegisterList l = DESKD__REGISTER_LIST__INIT;
	Deskd__Response *resp;
	ProtobufCMessage **out;

	l.kind = (char *)kind;
	l.limit = 500;
	req.body_case = DESKD__REQUEST__BODY_REGISTER_LIST;
	req.register_list = &l;
	resp = h_expect(staff.clerk, &req, ST(OK));
	*n = resp->register_list->n_entries;
	out = calloc(*n + 1, sizeof(*out));
	assert_non_null(out);
	for (size_t i = 0; i < *n; i++)
		out[i] = protobuf_c_message_unpack(d, NULL,
		    resp->register_list->entries[i]->entry.len,
		    resp->register_list->entries[i]->entry.data);
	deskd__response__free_unpacked(resp, NULL);
	return out;
}

static void
list_free(ProtobufCMessage **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		protobuf_c_message_free_unpacked(v[i], NULL);
	free(v);
}

/* The trainee of person in fire (its id), or 0; its standing in *t. */
static uint64_t
trainee(const char *person, Deskd__Trainee *t)
{
	ProtobufCMessage **v;
	uint64_t id = 0;
	size_t n;

	v = list("trainee", &deskd__trainee__descriptor, &n);
	for (size_t i = 0; i < n; i++) {
		Deskd__Trainee *e = (Deskd__Trainee *)v[i];

		if (strcmp(e->person, person) == 0 &&
		    strcmp(e->subject, "fire") == 0) {
			id = e->id;
			if (t != NULL) {
				*t = *e;
				t->person = t->subject = t->state = "";
				t->created_by = t->updated_by = "";
			}
		}
	}
	list_free(v, n);
	return id;
}

/* Within timeout_ms, an event `type` about the alert of trainee:ID, by
 * `rule` and addressed to the supervisor. */
static void
expect_alert(uint64_t id, const char *type, const char *rule,
    int timeout_ms)
{
	static const char *const types[] = { "alert." };
	struct desk *w = h_login(&srv, "sup1", PW);
	int64_t until = h_now_ms() + timeout_ms;
	Deskd__Event *e = NULL;
	char rec[64];

	snprintf(rec, sizeof(rec), "trainee:%llu", (unsigned long long)id);
	assert_int_equal(desk_subscribe(w, 0, types, 1, NULL), DESK_OK);
	while (h_now_ms() < until && (e = h_next_alert(w, rec,
	    (int)(until - h_now_ms()))) != NULL &&
	    (strcmp(e->type, type) != 0 || strcmp(e->alert->rule, rule) != 0)) {
		deskd__event__free_unpacked(e, NULL);
		e = NULL;
	}
	if (e == NULL)
		fail_msg("no %s %s for %s", type, rule, rec);
	assert_string_equal(e->alert->role, "supervisor");
	deskd__event__free_unpacked(e, NULL);
	desk_close(w);
}

/* ---------- F5 ---------- */

/* F5: a result for someone not in the session is refused, nothing
 * stored; a fail has a retake due, which alerts the supervisor when it
 * runs out (2 s here) and is cleared when they pass a later session. */
static void
test_retake(void **state)
{
	char *people[] = { "li", "clerk1" };
	char msg[256];
	uint64_t s1, s2, t;
	size_t before, after;
	ProtobufCMessage **v;

	(void)state;
	s1 = session(h_wall_ms(), people, 2);
	v = list("training-result", &deskd__training_result__descriptor,
	    &before);
	list_free(v, before);
	assert_int_equal(result(s1, "newbie", "pass", msg, sizeof(msg)),
	    ST(INVALID_ARGUMENT));
	assert_non_null(strstr(msg, "'newbie' is not a participant"));
	assert_non_null(strstr(msg, "li, clerk1"));
	v = list("training-result", &deskd__training_result__descriptor,
	    &after);
	list_free(v, after);
	assert_int_equal(after, before);
	assert_int_equal(trainee("newbie", NULL), 0);

	assert_int_equal(result(s1, "li", "fail", msg, sizeof(msg)), ST(OK));
	assert_int_equal(result(s1, "li", "pass", msg, sizeof(msg)),
	    ST(CONFLICT));
	assert_non_null(t = trainee("li", NULL));
	expect_alert(t, "alert.raised", "F5", 6000);
	/* The retake: a later session passed. */
	s2 = session(h_wall_ms() + 60 * 1000, people, 1);
	assert_int_equal(result(s2, "li", "pass", msg, sizeof(msg)), ST(OK));
	expect_alert(t, "alert.cleared", "F5", 3000);
}

/* ---------- G5 ---------- */

/* G5: passed twice, 360 and 350 days ago: below two in 12 months in 5
 * days, so the supervisor hears at once (the notice is 30 days ahead);
 * someone passed twice lately is not due for 10 months. */
static void
test_twice_a_year(void **state)
{
	char *old_hand[] = { "wang" }, *fresh[] = { "dir1" };
	int64_t now = h_wall_ms();
	Deskd__Trainee t;
	char msg[256];
	uint64_t s, id;

	(void)state;
	s = session(now - 360 * DAY_MS, old_hand, 1);
	assert_int_equal(result(s, "wang", "pass", msg, sizeof(msg)), ST(OK));
	s = session(now - 350 * DAY_MS, old_hand, 1);
	assert_int_equal(result(s, "wang", "pass", msg, sizeof(msg)), ST(OK));
	assert_non_null(id = trainee("wang", &t));
	assert_int_equal(t.passes, 2);
	assert_int_equal(t.falls_below_ms, now - 360 * DAY_MS +
	    365 * DAY_MS);
	expect_alert(id, "alert.raised", "G5", 6000);

	s = session(now - 60 * DAY_MS, fresh, 1);
	assert_int_equal(result(s, "dir1", "pass", msg, sizeof(msg)), ST(OK));
	s = session(now - 10 * DAY_MS, fresh, 1);
	assert_int_equal(result(s, "dir1", "pass", msg, sizeof(msg)), ST(OK));
	assert_non_null(trainee("dir1", &t));
	assert_int_equal(t.falls_below_ms, now - 60 * DAY_MS + 365 * DAY_MS);
}

static Deskd__Response *
publish(uint32_t month, const char *override, Deskd__Status want)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__SchedulePublish pub = DESKD__SCHEDULE_PUBLISH__INIT;

	pub.month = month;
	pub.untrained_override = (char *)(override ? override : "");
	req.body_case = DESKD__REQUEST__BODY_SCHEDULE_PUBLISH;
	req.schedule_publish = &pub;
	return h_expect(staff.sup, &req, want);
}

/* G5: new staff pass fire training before their first shift. */
static void
test_untrained_on_roster(void **state)
{
	const char *const who[3] = { "clerk1", "newbie", "sup1" };
	const char *const swapped[3] = { "newbie", "clerk1", "sup1" };
	char *trained[] = { "clerk1", "sup1" };
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__ScheduleGet get = DESKD__SCHEDULE_GET__INIT;
	Deskd__DutyNew n = DESKD__DUTY_NEW__INIT;
	Deskd__DutyStep ds = DESKD__DUTY_STEP__INIT;
	Deskd__Response *resp;
	const Deskd__Schedule *s;
	char msg[256];
	uint64_t sess;

	(void)state;
	sess = session(h_wall_ms() - DAY_MS, trained, 2);
	assert_int_equal(result(sess, "clerk1", "pass", msg, sizeof(msg)),
	    ST(OK));
	assert_int_equal(result(sess, "sup1", "pass", msg, sizeof(msg)),
	    ST(OK));
	h_draft_rota(staff.sup, 209902, 28, who);
	resp = publish(209902, NULL, ST(CONFLICT));
	assert_non_null(strstr(resp->message, "newbie: no passed fire "
	    "training"));
	assert_non_null(strstr(resp->message, "G5"));
	assert_null(strstr(resp->message, "clerk1"));
	assert_int_equal(resp->schedule->n_problems, 1);
	assert_int_equal(resp->schedule->problems[0]->index, 1);
	deskd__response__free_unpacked(resp, NULL);

	resp = publish(209902, "入职培训定于2日, 首班由带班长陪同", ST(OK));
	s = resp->schedule->schedule;
	assert_int_equal(s->version, 1);
	assert_int_equal(s->n_untrained, 1);
	assert_string_equal(s->untrained[0], "newbie");
	assert_string_equal(s->untrained_override,
	    "入职培训定于2日, 首班由带班长陪同");
	deskd__response__free_unpacked(resp, NULL);
	/* Kept in the version, as published. */
	get.month = 209902;
	get.version = 1;
	req.body_case = DESKD__REQUEST__BODY_SCHEDULE_GET;
	req.schedule_get = &get;
	resp = h_expect(staff.clerk, &req, ST(OK));
	assert_string_equal(resp->schedule->schedule->untrained_override,
	    "入职培训定于2日, 首班由带班长陪同");
	deskd__response__free_unpacked(resp, NULL);

	/* The next version moves newbie, already on the roster: no
	 * override again. */
	h_draft_rota(staff.sup, 209902, 28, swapped);
	resp = publish(209902, NULL, ST(OK));
	assert_int_equal(resp->schedule->schedule->version, 2);
	assert_int_equal(resp->schedule->schedule->n_untrained, 0);
	deskd__response__free_unpacked(resp, NULL);
	/* Nor the month after's first version: on last month's roster,
	 * newbie is no new staff. */
	h_draft_rota(staff.sup, 209903, 31, who);
	resp = publish(209903, NULL, ST(OK));
	assert_int_equal(resp->schedule->schedule->n_untrained, 0);
	deskd__response__free_unpacked(resp, NULL);

	/* An approved leave publishes too: its cover is checked the same
	 * way, and an approval carries no override. */
	n.kind = DESKD__DUTY_KIND__DUTY_LEAVE;
	n.date = "2099-03-05";
	n.shift = "morning";
	n.reason = "病假";
	req.body_case = DESKD__REQUEST__BODY_DUTY_NEW;
	req.duty_new = &n;
	resp = h_expect(staff.clerk, &req, ST(OK));
	ds.id = resp->duty_request->id;
	deskd__response__free_unpacked(resp, NULL);
	ds.action = DESKD__DUTY_ACTION__DUTY_APPROVE;
	ds.cover = "eng1";
	req.body_case = DESKD__REQUEST__BODY_DUTY_STEP;
	req.duty_step = &ds;
	resp = h_expect(staff.sup, &req, ST(CONFLICT));
	assert_non_null(strstr(resp->message, "eng1: no passed fire "
	    "training"));
	deskd__response__free_unpacked(resp, NULL);
	ds.cover = "sup1";
	h_expect_free(staff.sup, &req, ST(OK));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_retake),
		cmocka_unit_test(test_twice_a_year),
		cmocka_unit_test(test_untrained_on_roster),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
