/*
 * test_refusal.c - a refusal's code and arguments (proto/refusal.c): the
 * server's capture of each value formatted alone, and a client's render
 * of them into a translation, positional or not; the server's note of
 * the refusal a message is (server/util/refuse.c).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "refusal.h"
#include "refuse.h"

static bool
capture(struct refusal *r, const char *fmt, ...)
{
	va_list ap;
	bool ok;

	va_start(ap, fmt);
	ok = refusal_capture(r, fmt, ap);
	va_end(ap);
	return ok;
}

static void
walks_conversions(void **state)
{
	struct fmt_conv c;
	size_t pos = 0;
	int next = 1;
	const char *f = "a %-*.*ld b %% c %2$s";

	(void)state;
	assert_int_equal(fmt_next(f, &pos, &next, &c), 1);
	assert_int_equal(c.start, 2);
	assert_int_equal(c.len, 7);
	assert_int_equal(c.conv, 'd');
	assert_int_equal(c.lenmod, FMT_LEN_L);
	assert_int_equal(c.width_arg, 1);
	assert_int_equal(c.prec_arg, 2);
	assert_int_equal(c.arg, 3);
	assert_int_equal(fmt_next(f, &pos, &next, &c), 1);
	assert_int_equal(c.conv, '%');
	assert_int_equal(c.arg, 0);
	/* Numbered after unnumbered: malformed, as for printf. */
	assert_int_equal(fmt_next(f, &pos, &next, &c), -1);

	assert_int_equal(fmt_values("%s: no unit '%s' in the archive"), 2);
	assert_int_equal(fmt_values("%.*s: %" "zu bytes, 100%%"), 2);
	assert_int_equal(fmt_values("%2$s %1$s"), 2);
	assert_int_equal(fmt_values("%2$.*1$s"), 1);
	assert_int_equal(fmt_values("no values"), 0);
	assert_int_equal(fmt_values("%3$s %1$s"), -1);	/* 2 skipped */
	assert_int_equal(fmt_values("%s %"), -1);
	assert_int_equal(fmt_values("%n"), -1);
	assert_int_equal(fmt_values("%1$s %s"), -1);
}

static void
captures_each_value_alone(void **state)
{
	struct refusal r;

	(void)state;
	assert_true(capture(&r, "%s: no unit '%s' in the archive",
	    "ComplaintNew", "3-2-1201"));
	assert_string_equal(r.code, "%s: no unit '%s' in the archive");
	assert_int_equal(r.nargs, 2);
	assert_string_equal(r.args[0], "ComplaintNew");
	assert_string_equal(r.args[1], "3-2-1201");

	/* A '*' precision is no value of its own; flags and width stay. */
	assert_true(capture(&r, "%.*s: %5d, %-4u|%zu %" "lld %c %.2f 100%%",
	    3, "abcdef", 42, 7u, (size_t)9, -5LL, 'x', 2.5));
	assert_int_equal(r.nargs, 7);
	assert_string_equal(r.args[0], "abc");
	assert_string_equal(r.args[1], "   42");
	assert_string_equal(r.args[2], "7   ");
	assert_string_equal(r.args[3], "9");
	assert_string_equal(r.args[4], "-5");
	assert_string_equal(r.args[5], "x");
	assert_string_equal(r.args[6], "2.50");

	/* Numbered: in the order of their numbers. */
	assert_true(capture(&r, "%2$s then %1$d", 1, "two"));
	assert_int_equal(r.nargs, 2);
	assert_string_equal(r.args[0], "1");
	assert_string_equal(r.args[1], "two");
	assert_true(capture(&r, "[%-*s]", 4, "ab"));
	assert_string_equal(r.args[0], "ab  ");

	assert_true(capture(&r, "send Hello first"));
	assert_int_equal(r.nargs, 0);
	assert_false(capture(&r, "%ls", L"wide"));
	assert_null(r.code);
}

static void
renders_into_a_translation(void **state)
{
	const char *args[] = { "ComplaintNew", "3-2-1201" };
	char out[128];

	(void)state;
	assert_int_equal(refusal_render("%s: no unit '%s' in the archive",
	    args, 2, out, sizeof(out)), 47);
	assert_string_equal(out, "ComplaintNew: no unit '3-2-1201' in the "
	    "archive");
	/* Chinese word order: the arguments by number. */
	assert_true(refusal_render("单元 %2$s 不在档案中（%1$s）", args, 2, out,
	    sizeof(out)) > 0);
	assert_string_equal(out, "单元 3-2-1201 不在档案中（ComplaintNew）");
	/* A '*' of the translation takes no argument of the wire's. */
	assert_true(refusal_render("%2$.*1$s 100%%", args + 1, 1, out,
	    sizeof(out)) > 0);
	assert_string_equal(out, "3-2-1201 100%");
	/* A written precision cuts a string, by whole characters: "%.0s"
	 * leaves out an argument the language has no use for. */
	assert_true(refusal_render("[%.0s]%2$.4s", (const char *[]){ "an",
	    "王芳女士" }, 2, out, sizeof(out)) < 0);
	assert_true(refusal_render("[%1$.0s]%2$.4s", (const char *[]){ "an",
	    "王芳女士" }, 2, out, sizeof(out)) > 0);
	assert_string_equal(out, "[]王");
	/* Too few or too many arguments, or no room: the caller falls back
	 * to the English message. */
	assert_int_equal(refusal_render("%s and %s", args, 1, out,
	    sizeof(out)), -1);
	assert_int_equal(refusal_render("%s", args, 2, out, sizeof(out)), -1);
	assert_int_equal(refusal_render("%s: no unit '%s'", args, 2, out, 10),
	    -1);
	assert_int_equal(refusal_render("%d%", args, 1, out, sizeof(out)),
	    -1);
}

static void
copies_its_arguments(void **state)
{
	struct refusal a, b;

	(void)state;
	assert_true(capture(&a, "%s and %d", "x", 3));
	refusal_copy(&b, &a);
	memset(&a, 0, sizeof(a));
	assert_string_equal(b.code, "%s and %d");
	assert_int_equal(b.nargs, 2);
	assert_string_equal(b.args[0], "x");
	assert_string_equal(b.args[1], "3");
}

/* An event summary's words ("%-s") are told from its data, in the order
 * of the captured values, positional or not. */
static void
tells_words_from_data(void **state)
{
	bool w[REFUSAL_MAX_ARGS];
	struct refusal r;
	char out[64];

	(void)state;
	assert_int_equal(fmt_words("%s added as %-s", w, REFUSAL_MAX_ARGS), 2);
	assert_false(w[0]);
	assert_true(w[1]);
	/* A star's argument is no value: three, not four. */
	assert_int_equal(fmt_words("%2$-s %1$s (%3$.*4$s)", w,
	    REFUSAL_MAX_ARGS), 3);
	assert_false(w[0]);
	assert_true(w[1]);
	assert_false(w[2]);
	assert_int_equal(fmt_words("%2$-s %1$d %3$s", w, REFUSAL_MAX_ARGS), 3);
	assert_false(w[0]);
	assert_true(w[1]);
	assert_false(w[2]);
	assert_int_equal(fmt_words("%-10d %s", w, REFUSAL_MAX_ARGS), 2);
	assert_false(w[0]);		/* only a string is a word */
	assert_int_equal(fmt_words("%s %s", w, 1), -1);
	/* The flag changes nothing printed, either side. */
	assert_true(capture(&r, "%s added as %-s", "admin", "clerk"));
	assert_string_equal(r.args[1], "clerk");
	assert_int_equal(refusal_render("%s，角色：%-s", r.args, r.nargs, out,
	    sizeof(out)), (int)strlen("admin，角色：clerk"));
	assert_string_equal(out, "admin，角色：clerk");
}

/* A reason in a buffer of its own, gone before the reply is packed. */
static void
refuse_with_passing_reason(char *msg, size_t len)
{
	char *why = strdup("the order is assigned to eng1");

	assert_non_null(why);
	refuse_text(msg, len, why);
	explicit_bzero(why, strlen(why));
	free(why);
}

static void
notes_the_refusal_sent(void **state)
{
	struct refusal r;
	char msg[256], why[256];

	(void)state;
	refuse_fmt(msg, sizeof(msg), "%s: no unit '%s' in the archive (see "
	    "desk unit list)", "unit", "9-9-9999");
	assert_true(refuse_noted(msg, &r));
	assert_string_equal(r.code, "%s: no unit '%s' in the archive (see "
	    "desk unit list)");
	assert_int_equal(r.nargs, 2);
	assert_string_equal(r.args[1], "9-9-9999");
	/* Taken once. */
	assert_false(refuse_noted(msg, &r));
	assert_null(r.code);

	/* Passed on as a whole, a refusal keeps its code. */
	refuse_fmt(why, sizeof(why), "a %s may not %s", "clerk", "manage users");
	refuse_fmt(msg, sizeof(msg), "%s", why);
	assert_true(refuse_noted(msg, &r));
	assert_string_equal(r.code, "a %s may not %s");
	refuse_fmt(why, sizeof(why), "a %s may not %s", "clerk", "manage users");
	refuse_text(msg, sizeof(msg), why);
	assert_true(refuse_noted(msg, &r));
	assert_string_equal(r.code, "a %s may not %s");

	/* A message put together otherwise has no code. */
	refuse_fmt(msg, sizeof(msg), "log in first");
	snprintf(msg, sizeof(msg), "field: %s", "log in first");
	assert_false(refuse_noted(msg, &r));
	assert_null(r.code);

	refuse_with_passing_reason(msg, sizeof(msg));
	assert_true(refuse_noted(msg, &r));
	assert_string_equal(r.code, "the order is assigned to eng1");
	assert_int_equal(r.nargs, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(walks_conversions),
		cmocka_unit_test(captures_each_value_alone),
		cmocka_unit_test(renders_into_a_translation),
		cmocka_unit_test(copies_its_arguments),
		cmocka_unit_test(tells_words_from_data),
		cmocka_unit_test(notes_the_refusal_sent),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
