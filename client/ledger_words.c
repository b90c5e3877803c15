/*
 * ledger_words.c - the compliance ledger's words, one table (see
 * ledger_words.h).
 */
#include <stddef.h>
#include <string.h>

#include "i18n.h"
#include "ledger_words.h"

/*
 * The ledger's words as the server sends them (the statuses first, in
 * enum ledger_status's order, then each quota's "what"), with the
 * document's Chinese: the terminal translates them through the catalog
 * (NC_, in the context "ledger"), the document prints both whatever the
 * locale.
 */
static const char *const ledger_words[][2] = {
	{ NC_("ledger", "met"), "已达标" },
	{ NC_("ledger", "on track"), "进度正常" },
	{ NC_("ledger", "at risk"), "有风险" },
	{ NC_("ledger", "missed"), "未达标" },
	{ NC_("ledger", "attendance report submitted by the 25th"),
	    "25日前报送考勤" },
	{ NC_("ledger", "valid complaints revisited"), "有效投诉已回访" },
	{ NC_("ledger", "complaints answered within 2 h"), "投诉2小时内回复" },
	{ NC_("ledger", "services revisited within 2 working days"),
	    "维修服务2个工作日内回访" },
	{ NC_("ledger", "people trained who passed"), "培训考核合格人数" },
	{ NC_("ledger", "next year's community-culture plan made"),
	    "已制定下一年度社区文化计划" },
	{ NC_("ledger", "days of the duty log signed"), "值班日志已签字天数" },
	{ NC_("ledger", "month of duty records signed"), "月度值班记录已签字" },
	{ NC_("ledger", "duty-log days spot-checked by the director"),
	    "经理抽查值班日志天数" },
	{ NC_("ledger", "patrols and inspections in time"), "按时巡查、检查" },
	{ NC_("ledger", "key-location rounds in time"), "按时巡查重点部位" },
	{ NC_("ledger", "equipment tests in time"), "按时测试消防设施" },
	{ NC_("ledger", "households visited"), "已走访户数" },
	{ NC_("ledger", "households of the month's visit list visited"),
	    "本月走访名单已走访户数" },
	{ NC_("ledger", "occupied units handed a survey"), "已发放问卷的入住户" },
	{ NC_("ledger", "surveys returned in the window"), "回收期内收回的问卷" },
};

#define NWORDS	(sizeof(ledger_words) / sizeof(ledger_words[0]))

/* The row of en among the first n of the table, or -1. */
static int
ledger_row_of(const char *en, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(en, i18n_english(ledger_words[i][0])) == 0)
			return (int)i;
	return -1;
}

int
ledger_status_of(const char *status)
{
	return ledger_row_of(status, LEDGER_NSTATUS);
}

const char *
ledger_word_zh(const char *en)
{
	int row = ledger_row_of(en, NWORDS);

	return row >= 0 ? ledger_words[row][1] : "";
}

const char *
ledger_word(const char *en)
{
	int row = ledger_row_of(en, NWORDS);

	return row >= 0 ? i18n_ctext(ledger_words[row][0]) : en;
}
