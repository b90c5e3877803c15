/*
 * test_area_settings.c - the clocks and the sections of settings are the
 * areas' (issue 13): whatever an area describes, the deadline engine, the
 * config file, the command line and --help all reach, with nothing listed
 * twice and nothing named only in util/ or core/.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "area.h"
#include "config.h"
#include "deadline.h"
#include "handover.h"
#include "reverify.h"
#include "shift_rules.h"

/* deskd --help's settings lines, in a string the caller frees. */
static char *
usage_text(void)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	assert_non_null(f);
	config_usage(f);
	assert_int_equal(fclose(f), 0);
	return text;
}

/* Every kind of clock an area arms has one name, a [clocks] key that
 * sets it, and what the engine needs to raise its alert. */
static void
every_clock_is_set_by_its_key(void **state)
{
	const struct clock_rule *r, *o;
	struct config c;
	char line[128], err[256];
	size_t n = 0;

	(void)state;
	config_defaults(&c);
	for (size_t i = 0; (r = clock_rule_nth(i)) != NULL; i++, n++) {
		for (size_t j = 0; j < i; j++) {
			o = clock_rule_nth(j);
			if (strcmp(o->name, r->name) == 0)
				fail_msg("clock %s defined twice", r->name);
		}
		assert_non_null(r->rule);
		assert_non_null(r->todo);
		assert_true(r->span_ms > 0 || r->span_workdays > 0);
		/* Its default span, until the file or a flag says otherwise. */
		assert_int_equal(clock_conf_of(&c, r->name)->span_ms,
		    r->span_ms);
		snprintf(line, sizeof(line), "[clocks]\n%s = 7s\n%s.repeat = "
		    "3s\n", r->name, r->name);
		if (config_load_string(&c, "t.ini", line, err,
		    sizeof(err)) != 0)
			fail_msg("[clocks] %s: %s", r->name, err);
		assert_int_equal(clock_conf_of(&c, r->name)->span_ms, 7000);
		assert_int_equal(clock_conf_of(&c, r->name)->repeat_ms, 3000);
		snprintf(line, sizeof(line), "%s=9s", r->name);
		assert_int_equal(config_set(&c, "clock", line, err,
		    sizeof(err)), 0);
		assert_int_equal(clock_conf_of(&c, r->name)->span_ms, 9000);
	}
	/* The fifteen of issues 3 to 5, each from its own area, and issue
	 * 14's: the fire area's three (tasks, their refill, equipment),
	 * G3's four (one a hazard's severity) and training's two (F5
	 * retake, G5 twice a year); issue 15's monthly ledger check. */
	assert_int_equal(n, 25);
	assert_null(clock_conf_of(&c, "no.such_clock"));
}

/* Every area's clocks reach the engine: none is left out. */
static void
every_area_clock_is_registered(void **state)
{
	const struct area *a;

	(void)state;
	for (size_t i = 0; (a = area_nth(i)) != NULL; i++)
		for (size_t j = 0; j < a->nclocks; j++) {
			const struct clock_rule *r;
			size_t k;

			for (k = 0; (r = clock_rule_nth(k)) != NULL; k++)
				if (r == &a->clocks[j])
					break;
			if (r == NULL)
				fail_msg("%s's clock %s not in the engine",
				    a->name, a->clocks[j].name);
		}
}

/* --help lists every area's sections with their flags, and every clock
 * that describes itself there. */
static void
help_lists_every_area_setting(void **state)
{
	const struct clock_rule *r;
	const struct area *a;
	char *text = usage_text(), want[96];
	size_t sections = 0;

	(void)state;
	for (size_t i = 0; (a = area_nth(i)) != NULL; i++)
		for (size_t j = 0; j < a->nsettings; j++, sections++) {
			const struct config_section *s = a->settings[j];

			snprintf(want, sizeof(want), "[%s]", s->name);
			if (strstr(text, want) == NULL)
				fail_msg("--help does not name %s", want);
			if (s->flag == NULL)
				continue;
			snprintf(want, sizeof(want), "  --%s ", s->flag);
			for (char *p = want; *p; p++)
				if (*p == '_')
					*p = '-';
			if (strstr(text, want) == NULL)
				fail_msg("--help lists no '%s'", want);
		}
	assert_true(sections >= 2);	/* [shifts], [handover] */
	assert_non_null(strstr(text, "  --clock NAME=DURATION"));
	for (size_t i = 0; (r = clock_rule_nth(i)) != NULL; i++)
		if (r->help != NULL && strstr(text, r->name) == NULL)
			fail_msg("--help lists no clock %s", r->name);
	/* The [server] keys come first, the sections after them. */
	assert_true(strstr(text, "--now-offset") < strstr(text, "--clock"));
	assert_true(strstr(text, "--clock") < strstr(text, "--posts"));
	assert_true(strstr(text, "--posts") < strstr(text, "--handover-items"));
	free(text);
}

/* An area's section, read from the file and from its flag, lands in the
 * block the area reads back; a refusal says which line. */
static void
sections_reach_their_areas(void **state)
{
	struct config c;
	char err[256];

	(void)state;
	config_defaults(&c);
	assert_int_equal(shift_conf_of(&c)->nposts, 1);
	assert_int_equal(handover_conf_of(&c)->nitems, 0);
	assert_int_equal(config_load_string(&c, "t.ini", "[shifts]\n"
	    "posts = front,lobby\n[handover]\nitems = keys:12\n", err,
	    sizeof(err)), 0);
	assert_int_equal(shift_conf_of(&c)->nposts, 2);
	assert_string_equal(shift_conf_of(&c)->posts[1], "lobby");
	assert_int_equal(handover_conf_of(&c)->nitems, 1);
	assert_int_equal(handover_conf_of(&c)->items[0].count, 12);
	/* --posts, --handover-items (and handover_items in [server]); more
	 * posts lines add to the first. */
	assert_int_equal(config_set(&c, "posts", "a,b,c", err, sizeof(err)),
	    0);
	assert_int_equal(shift_conf_of(&c)->nposts, 5);
	assert_int_equal(config_set(&c, "handover-items", "pen:2,keys:3",
	    err, sizeof(err)), 0);
	assert_int_equal(handover_conf_of(&c)->nitems, 2);
	assert_int_equal(config_load_string(&c, "t.ini", "[server]\n"
	    "handover_items = pen:1\n", err, sizeof(err)), 0);
	assert_int_equal(handover_conf_of(&c)->nitems, 1);
	/* Two configs do not share an area's values. */
	{
		struct config d;

		config_defaults(&d);
		assert_int_equal(shift_conf_of(&d)->nposts, 1);
		assert_int_equal(shift_conf_of(&c)->nposts, 5);
	}
	assert_int_equal(config_load_string(&c, "t.ini", "[shifts]\n"
	    "posts = a,a\n", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "t.ini"));
	assert_non_null(strstr(err, "twice"));
	assert_int_equal(config_load_string(&c, "t.ini", "[nosuch]\nx = 1\n",
	    err, sizeof(err)), -1);
	assert_non_null(strstr(err, "unknown section [nosuch]"));
	assert_int_equal(config_set(&c, "clock", "repair.no_engineer", err,
	    sizeof(err)), -1);
	assert_non_null(strstr(err, "--clock takes NAME=DURATION"));
}

/* verify checks a register's entries by the message its area describes
 * (reverify names no area), and no other kind as a register. */
static void
verify_finds_registers_through_the_areas(void **state)
{
	(void)state;
	assert_ptr_equal(reverify_rules.register_d(RECORD_VISITOR),
	    &deskd__visitor__descriptor);
	assert_ptr_equal(reverify_rules.register_d(RECORD_KEY),
	    &deskd__key__descriptor);
	assert_null(reverify_rules.register_d(RECORD_COMPLAINT));
	assert_null(reverify_rules.register_d(RECORD_ALERT));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_clock_is_set_by_its_key),
		cmocka_unit_test(every_area_clock_is_registered),
		cmocka_unit_test(help_lists_every_area_setting),
		cmocka_unit_test(sections_reach_their_areas),
		cmocka_unit_test(verify_finds_registers_through_the_areas),
	};

	/* As deskd's main does first. */
	area_register_all(area_list);
	clock_rules_register();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
