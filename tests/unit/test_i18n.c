/*
 * test_i18n.c - words marked with their context (NC_) looked up by the
 * English the server sends: i18n_english, cli_word, cli_code_label and
 * cli_role_label, and the ledger's one table (ledger_words.c), in English
 * and through the build's zh_CN catalog.
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
#include "ledger_words.h"

static const char *const words[] = {
	NC_("state", "out"), N_("open"), NC_("ledger", "met"), NULL
};

static const char *const labels[][2] = {
	{ "day", N_("day signed (B7)") }, { "month", N_("month signed (B8)") },
	{ NULL, NULL },
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

static void
labels_in_english(void **state)
{
	(void)state;
	assert_string_equal(cli_code_label(labels, "day"), "day signed (B7)");
	assert_string_equal(cli_code_label(labels, "month"),
	    "month signed (B8)");
	/* A code the table does not have is data, shown as it came. */
	assert_string_equal(cli_code_label(labels, "spot"), "spot");
	assert_string_equal(cli_code_label(labels, ""), "");
	assert_string_equal(cli_role_label("clerk"), "clerk");
	assert_string_equal(cli_role_label("engineer"), "engineer");
	assert_string_equal(cli_role_label("janitor"), "janitor");
}

static void
ledger_statuses(void **state)
{
	(void)state;
	assert_int_equal(ledger_status_of("met"), LEDGER_MET);
	assert_int_equal(ledger_status_of("on track"), LEDGER_ON_TRACK);
	assert_int_equal(ledger_status_of("at risk"), LEDGER_AT_RISK);
	assert_int_equal(ledger_status_of("missed"), LEDGER_MISSED);
	/* A quota's "what" is in the table, but no status. */
	assert_int_equal(ledger_status_of("households visited"), -1);
	assert_int_equal(ledger_status_of("ledger"), -1);
	assert_int_equal(ledger_status_of(""), -1);
	assert_string_equal(ledger_word_zh("at risk"), "有风险");
	assert_string_equal(ledger_word_zh("households visited"), "已走访户数");
	assert_string_equal(ledger_word_zh("no such quota"), "");
	assert_string_equal(ledger_word("missed"), "missed");
	assert_string_equal(ledger_word("no such quota"), "no such quota");
}

/* The build's catalog (share/locale beside bin/, as desk finds it). */
static void
words_in_chinese(void **state)
{
	(void)state;
	setenv("LC_ALL", "zh_CN.UTF-8", 1);
	setenv("LANGUAGE", "zh_CN", 1);
	i18n_init();
	if (strcmp(_("UNIT"), "UNIT") == 0)
		skip();		/* no zh_CN locale or catalog here */
	assert_string_equal(cli_word(words, "met"), "已达标");
	assert_string_equal(ledger_word("met"), "已达标");
	assert_string_equal(ledger_word("on track"), "进度正常");
	/* The status is matched on the English whatever the language. */
	assert_int_equal(ledger_status_of("missed"), LEDGER_MISSED);
	assert_string_equal(ledger_word("no such quota"), "no such quota");
	assert_string_equal(cli_code_label(labels, "day"), "日签字 (B7)");
	assert_string_equal(cli_code_label(labels, "spot"), "spot");
	/* Every role, whoever lists them (desk user list, desk alerts). */
	assert_string_equal(cli_role_label("clerk"), "客服员");
	assert_string_equal(cli_role_label("engineer"), "工程人员");
	assert_string_equal(cli_role_label("janitor"), "janitor");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(english_of_a_marked_word),
		cmocka_unit_test(words_in_english),
		cmocka_unit_test(labels_in_english),
		cmocka_unit_test(ledger_statuses),
		cmocka_unit_test(words_in_chinese),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
