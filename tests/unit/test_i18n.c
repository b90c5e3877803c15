/*
 * test_i18n.c - words marked with their context (NC_) looked up by the
 * English the server sends: i18n_english and cli_word.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cli.h"

static const char *const words[] = {
	NC_("state", "out"), N_("open"), NC_("ledger", "met"), NULL
};

static void
english_of_a_marked_word(void **state)
{
	const char *marked = NC_("key", "out");

	(void)state;
	assert_string_equal(i18n_english(marked), "out");
	/* A pointer into the text: a translation is told by its address. */
	assert_ptr_equal(i18n_english(marked), marked + strlen("key") + 1);
	assert_string_equal(i18n_english("open"), "open");
	assert_string_equal(i18n_english(""), "");
}

static void
words_in_english(void **state)
{
	(void)state;
	assert_string_equal(cli_word(words, "out"), "out");
	assert_string_equal(cli_word(words, "open"), "open");
	assert_string_equal(cli_word(words, "met"), "met");
	/* A word the table does not have is shown as it came. */
	assert_string_equal(cli_word(words, "state"), "state");
	assert_string_equal(cli_word(words, "gone"), "gone");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(english_of_a_marked_word),
		cmocka_unit_test(words_in_english),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
