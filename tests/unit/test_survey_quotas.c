/*
 * test_survey_quotas.c - the surveys' lines of the compliance ledger (F2,
 * F3), counted by the survey area in a real store: a campaign opened on
 * 2026-11-10 (window to 2026-12-01, 15 working days), four occupied units
 * and a vacant one, three hand-outs, one return in the window and one
 * late.  F2 applies in November (due, and open) and December (still open)
 * with the occupied units and the hand-outs, not in January; F3 applies
 * in December only, half the hand-outs rounded up against the returns in
 * the window.  The figures are worked out here, by hand.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "area.h"
#include "config.h"
#include "deadline.h"
#include "store.h"

#define HOUR	(60LL * 60 * 1000)

static int64_t
at(int y, int m, int d, int h)
{
	struct tm tm = { .tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = d,
	    .tm_hour = h, .tm_isdst = -1 };

	return (int64_t)mktime(&tm) * 1000;
}

/* A register's add, as a desk sends it; the new entry's id. */
static uint64_t
add(struct apply_ctx *ctx, const char *kind, ProtobufCMessage *m)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__RegisterAdd a = DESKD__REGISTER_ADD__INIT;
	Deskd__Response resp = DESKD__RESPONSE__INIT;
	uint8_t buf[1024];
	uint64_t id;

	a.kind = (char *)kind;
	a.entry.len = protobuf_c_message_pack(m, buf);
	a.entry.data = buf;
	req.body_case = DESKD__REQUEST__BODY_REGISTER_ADD;
	req.register_add = &a;
	ctx->resp = &resp;
	if (area_request(req.body_case)->apply(ctx, &req) !=
	    DESKD__STATUS__OK)
		fail_msg("%s: %s", kind, ctx->msg);
	/* The entry is the context's, as every reply's body. */
	id = resp.register_entry->id;
	return id;
}

static const struct quota_rule *
quota(const char *rule)
{
	const struct area *a;

	for (size_t i = 0; (a = area_nth(i)) != NULL; i++)
		for (size_t j = 0; j < a->nquotas; j++)
			if (strcmp(a->quotas[j].rule, rule) == 0)
				return &a->quotas[j];
	fail_msg("no quota %s", rule);
	return NULL;
}

/* The archive: code and status (1 occupied, 2 vacant, 4 let). */
static const char *const units[] = { "3-1-101:1", "3-1-102:1", "3-2-201:4",
    "5-1-101:1", "5-1-102:2" };

static char *
code_of(size_t i, char *buf, size_t len)
{
	snprintf(buf, len, "%.*s", (int)strcspn(units[i], ":"), units[i]);
	return buf;
}

static void
f2_and_f3_lines(void **state)
{
	char dir[] = "/tmp/deskd-survey-quotas-XXXXXX", cmd[128], err[256];
	struct store_options o = { .map_size = 16 << 20, .create = true };
	Deskd__Survey s = DESKD__SURVEY__INIT;
	char *questions[] = { "整体满意度" };
	uint32_t five = 5;
	struct store *st;
	struct store_txn t;
	struct apply_ctx ctx;
	struct config cfg;
	struct quota q;
	uint64_t id;

	(void)state;
	assert_non_null(mkdtemp(dir));
	assert_int_equal(store_open(&st, dir, &o, err, sizeof(err)),
	    STORE_OK);
	config_defaults(&cfg);
	assert_int_equal(store_txn_begin(st, NULL, true, &t), STORE_OK);
	store_init_schema(&t);
	ctx_init(&ctx, &cfg, &t, at(2026, 11, 10, 9), "sue");
	ctx.role = ROLE_SUPERVISOR;
	for (size_t i = 0; i < 5; i++) {
		Deskd__Unit u = DESKD__UNIT__INIT;
		char code[16];

		u.code = code_of(i, code, sizeof(code));
		u.status = (Deskd__UnitStatus)atoi(strchr(units[i], ':') + 1);
		u.id = store_next_id(&t, RECORD_UNIT);
		unit_put(&t, NULL, &u);
	}
	s.title = "满意度调查";
	s.n_questions = 1;
	s.questions = questions;
	id = add(&ctx, "survey", &s.base);
	for (size_t i = 0; i < 3; i++) {
		Deskd__SurveyHandout h = DESKD__SURVEY_HANDOUT__INIT;
		char code[16];

		h.survey = id;
		h.unit = code_of(i, code, sizeof(code));
		add(&ctx, "survey-handout", &h.base);
	}
	{
		Deskd__SurveyReturn r = DESKD__SURVEY_RETURN__INIT;

		r.survey = id;
		r.unit = "3-1-101";
		r.n_scores = 1;
		r.scores = &five;
		add(&ctx, "survey-return", &r.base);
		/* After the window (2026-12-01 09:00): late. */
		ctx.now_ms = at(2026, 12, 1, 9) + HOUR;
		r.unit = "3-1-102";
		add(&ctx, "survey-return", &r.base);
	}

	/* F2: four households (the vacant unit is none), three handed. */
	memset(&q, 0, sizeof(q));
	assert_true(quota("F2")->count(&ctx, 202611, &q));
	assert_int_equal(q.required, 4);
	assert_int_equal(q.done, 3);
	assert_int_equal(q.due_ms, at(2026, 12, 1, 0));
	memset(&q, 0, sizeof(q));
	assert_true(quota("F2")->count(&ctx, 202612, &q));
	assert_int_equal(q.done, 3);
	assert_false(quota("F2")->count(&ctx, 202701, &q));
	/* May counts even with no campaign: none handed. */
	memset(&q, 0, sizeof(q));
	assert_true(quota("F2")->count(&ctx, 202705, &q));
	assert_int_equal(q.required, 4);
	assert_int_equal(q.done, 0);
	/* F3: in the window's month, 2 of 3 needed, 1 in the window. */
	assert_false(quota("F3")->count(&ctx, 202611, &q));
	memset(&q, 0, sizeof(q));
	assert_true(quota("F3")->count(&ctx, 202612, &q));
	assert_int_equal(q.required, 2);
	assert_int_equal(q.done, 1);
	assert_int_equal(q.due_ms, at(2026, 12, 1, 9));

	ctx_done(&ctx);
	store_txn_abort(&t);
	store_close(st);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(f2_and_f3_lines),
	};

	setenv("TZ", "Asia/Shanghai", 1);
	tzset();
	/* As deskd's main does first. */
	area_register_all(area_list);
	clock_rules_register();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
