/*
 * cli_report_pdf.c - the month's documents to print and sign (cli_pdf.h):
 * C8's monthly complaint report (部门客户投诉工作月报), the period's
 * figures beside the one before, its tables and charts; and the
 * compliance ledger (服务合规台账), a line a quota, with the month's
 * signature (B8).  Chinese first, the English beside it.
 */
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_pdf.h"
#include "ledger_words.h"

#define NONE	"—"

static const char *const sign_here[] = { "制表 Prepared by",
    "审核 Reviewed by", "日期 Date" };

/* ---------- the monthly complaint report (C8) ---------- */

#define FIELD(f)	offsetof(Deskd__ComplaintPeriod, f)

/*
 * A line of the period's figures: a count, or (nden > 0) the count as a
 * share of the sum of the den fields, e.g. replies on time among those
 * owed one by a known time (C2/C3), revisits among those owed (C4).
 */
struct figure {
	const char	*item;
	size_t		 num;
	size_t		 den[3];
	size_t		 nden;
};

static const struct figure figures[] = {
	{ "投诉总数 Complaints", FIELD(total), { 0 }, 0 },
	{ "有效 Valid", FIELD(valid), { 0 }, 0 },
	{ "无效 Invalid", FIELD(invalid), { 0 }, 0 },
	{ "待认定 Not yet judged", FIELD(pending), { 0 }, 0 },
	{ "2小时内按时回复 Replied on time (2 h)", FIELD(reply_on_time),
	    { FIELD(reply_on_time), FIELD(reply_late), FIELD(reply_none) }, 3 },
	{ "逾期回复 Replied late", FIELD(reply_late), { 0 }, 0 },
	{ "未回复 Not replied", FIELD(reply_none), { 0 }, 0 },
	{ "回复时限不详 Reply due time unknown", FIELD(reply_unknown),
	    { 0 }, 0 },
	{ "已回访 Revisited", FIELD(revisited),
	    { FIELD(revisited), FIELD(revisit_owed) }, 2 },
	{ "待回访 Revisit owed", FIELD(revisit_owed), { 0 }, 0 },
	{ "升级处理 Escalated", FIELD(escalated), { 0 }, 0 },
	{ "申诉 Appealed", FIELD(appealed), { 0 }, 0 },
	{ "处理中 Open", FIELD(open), { 0 }, 0 },
	{ "已解决 Resolved", FIELD(resolved), { 0 }, 0 },
	{ "已关闭 Closed", FIELD(closed), { 0 }, 0 },
};

static uint64_t
field(const Deskd__ComplaintPeriod *pd, size_t off)
{
	uint64_t v;

	memcpy(&v, (const char *)pd + off, sizeof(v));
	return v;
}

/* The figure's value in the period: a count, or a share in per cent;
 * false when it has none (no period, nothing to share). */
static bool
figure_value(const struct figure *f, const Deskd__ComplaintPeriod *pd,
    double *v)
{
	uint64_t den = 0;

	if (pd == NULL)
		return false;
	for (size_t i = 0; i < f->nden; i++)
		den += field(pd, f->den[i]);
	if (f->nden == 0)
		*v = (double)field(pd, f->num);
	else if (den == 0)
		return false;
	else
		*v = 100.0 * (double)field(pd, f->num) / (double)den;
	return true;
}

static void
figure_cell(const struct figure *f, const Deskd__ComplaintPeriod *pd,
    char *buf, size_t len)
{
	double v;

	if (!figure_value(f, pd, &v))
		snprintf(buf, len, NONE);
	else if (f->nden == 0)
		snprintf(buf, len, "%" PRIu64, field(pd, f->num));
	else
		snprintf(buf, len, "%.1f%% (%" PRIu64 ")", v,
		    field(pd, f->num));
}

bool
report_satisfaction_mean(const Deskd__ComplaintPeriod *pd, double *mean)
{
	uint64_t n = 0, sum = 0;

	for (size_t i = 0; pd != NULL && i < pd->n_satisfaction && i < 5; i++) {
		n += pd->satisfaction[i];
		sum += pd->satisfaction[i] * (i + 1);
	}
	if (n == 0)
		return false;
	*mean = (double)sum / (double)n;
	return true;
}

static void
mean_cell(bool have, double mean, char *buf, size_t len)
{
	if (have)
		snprintf(buf, len, "%.2f", mean);
	else
		snprintf(buf, len, NONE);
}

static uint64_t
score_count(const Deskd__ComplaintPeriod *pd, size_t score)
{
	return score - 1 < pd->n_satisfaction ? pd->satisfaction[score - 1] :
	    0;
}

/* This period and the one before, and the change between them: counts
 * by their difference, shares in percentage points. */
static void
change_cell(bool have, double cur, double prev, bool points, char *buf,
    size_t len)
{
	if (!have)
		snprintf(buf, len, NONE);
	else
		snprintf(buf, len, points ? "%+.1f pt" : "%+.0f", cur - prev);
}

static const struct pdf_column figure_cols[] = {
	{ "项目 Item", 0.46, false }, { "本期\nThis period", 0.2, true },
	{ "上期\nPrevious", 0.2, true }, { "增减\nChange", 0.14, true },
};

static void
figures_table(struct pdf *p, const Deskd__ComplaintPeriod *cur,
    const Deskd__ComplaintPeriod *prev)
{
	char c[3][48], item[64];
	const char *row[4] = { NULL, c[0], c[1], c[2] };
	double a, b;
	bool have_a, have_b;

	pdf_table(p, figure_cols, 4);
	for (size_t i = 0; i < sizeof(figures) / sizeof(figures[0]); i++) {
		const struct figure *f = &figures[i];

		row[0] = f->item;
		figure_cell(f, cur, c[0], sizeof(c[0]));
		figure_cell(f, prev, c[1], sizeof(c[1]));
		have_a = figure_value(f, cur, &a);
		have_b = figure_value(f, prev, &b);
		change_cell(have_a && have_b, a, b, f->nden > 0, c[2],
		    sizeof(c[2]));
		pdf_row(p, row);
	}
	have_a = report_satisfaction_mean(cur, &a);
	have_b = report_satisfaction_mean(prev, &b);
	mean_cell(have_a, a, c[0], sizeof(c[0]));
	mean_cell(have_b, b, c[1], sizeof(c[1]));
	if (have_a && have_b)
		snprintf(c[2], sizeof(c[2]), "%+.2f", a - b);
	else
		snprintf(c[2], sizeof(c[2]), NONE);
	row[0] = "满意度均分 Satisfaction, mean (1-5)";
	pdf_row(p, row);
	for (size_t score = 5; score >= 1; score--) {
		uint64_t n = score_count(cur, score);

		snprintf(item, sizeof(item), "满意度 %zu 分 Scored %zu", score,
		    score);
		row[0] = item;
		snprintf(c[0], sizeof(c[0]), "%" PRIu64, n);
		if (prev != NULL) {
			snprintf(c[1], sizeof(c[1]), "%" PRIu64,
			    score_count(prev, score));
			change_cell(true, (double)n,
			    (double)score_count(prev, score), false, c[2],
			    sizeof(c[2]));
		} else {
			snprintf(c[1], sizeof(c[1]), NONE);
			snprintf(c[2], sizeof(c[2]), NONE);
		}
		pdf_row(p, row);
	}
	pdf_table_end(p);
}

uint64_t
report_count_of(Deskd__TallyCount *const *t, size_t n, const char *key)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(t[i]->key, key) == 0)
			return t[i]->count;
	return 0;
}

static bool
has_key(Deskd__TallyCount *const *t, size_t n, const char *key)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(t[i]->key, key) == 0)
			return true;
	return false;
}

/* What a tally's key is called: its name (a category's), the desk's word
 * for a source, or the key itself. */
static void
tally_label(const Deskd__TallyCount *t, bool with_code, char *buf,
    size_t len)
{
	static const char *const source_zh[][2] = {
		{ "customer", "业主 customer" }, { "employee", "员工 employee" },
	};

	if (*t->name) {
		snprintf(buf, len, "%s", t->name);
		return;
	}
	for (size_t i = 0; !with_code && i < 2; i++)
		if (strcmp(t->key, source_zh[i][0]) == 0) {
			snprintf(buf, len, "%s", source_zh[i][1]);
			return;
		}
	snprintf(buf, len, "%s", *t->key ? t->key : "(未填 none)");
}

/* One of the period's tallies (by category, building, source) beside the
 * period before's; the period's order, then what only the one before had.
 * with_code: a category's name and its code in a column each. */
struct tally_table {
	const char	*heading;
	const char	*what;		/* the first column's header */
	bool		 with_code;
};

static void
tally_row(struct pdf *p, const struct tally_table *tt,
    const Deskd__TallyCount *t, uint64_t cur, uint64_t total, uint64_t prev,
    bool have_prev)
{
	char label[512], n[24], share[24], before[24];
	const char *row[5];
	size_t c = 0;

	tally_label(t, tt->with_code, label, sizeof(label));
	row[c++] = label;
	if (tt->with_code)
		row[c++] = t->key;
	snprintf(n, sizeof(n), "%" PRIu64, cur);
	if (total > 0)
		snprintf(share, sizeof(share), "%.1f%%",
		    100.0 * (double)cur / (double)total);
	else
		snprintf(share, sizeof(share), NONE);
	if (have_prev)
		snprintf(before, sizeof(before), "%" PRIu64, prev);
	else
		snprintf(before, sizeof(before), NONE);
	row[c++] = n;
	row[c++] = share;
	row[c++] = before;
	pdf_row(p, row);
}

static void
tally(struct pdf *p, const struct tally_table *tt,
    Deskd__TallyCount *const *cur, size_t ncur,
    Deskd__TallyCount *const *prev, size_t nprev, bool have_prev)
{
	struct pdf_column cols[5];
	uint64_t total = 0;
	size_t c = 0;

	pdf_heading(p, tt->heading);
	if (ncur == 0 && nprev == 0) {
		pdf_paragraph(p, "无数据 No data");
		return;
	}
	cols[c++] = (struct pdf_column){ tt->what, 0.4, false };
	if (tt->with_code)
		cols[c++] = (struct pdf_column){ "代码 Code", 0.16, false };
	cols[c++] = (struct pdf_column){ "本期\nThis period", 0.16, true };
	cols[c++] = (struct pdf_column){ "占比\nShare", 0.12, true };
	cols[c++] = (struct pdf_column){ "上期\nPrevious", 0.16, true };
	for (size_t i = 0; i < ncur; i++)
		total += cur[i]->count;
	pdf_table(p, cols, c);
	for (size_t i = 0; i < ncur; i++)
		tally_row(p, tt, cur[i], cur[i]->count, total,
		    report_count_of(prev, nprev, cur[i]->key), have_prev);
	for (size_t i = 0; i < nprev; i++)
		if (!has_key(cur, ncur, prev[i]->key))
			tally_row(p, tt, prev[i], 0, total, prev[i]->count,
			    have_prev);
	pdf_table_end(p);
}

static void
repeat_units(struct pdf *p, const Deskd__ComplaintPeriod *pd)
{
	static const struct pdf_column with_note[] = {
		{ "房号 Unit", 0.3, false }, { "备注 Note", 0.5, false },
		{ "投诉次数\nComplaints", 0.2, true },
	};
	static const struct pdf_column plain[] = {
		{ "房号 Unit", 0.6, false }, { "投诉次数\nComplaints", 0.4, true },
	};
	bool notes = false;
	char n[24];

	pdf_heading(p, "重复投诉住户 Units that complained more than once");
	if (pd->n_repeat_units == 0) {
		pdf_paragraph(p, "无 None");
		return;
	}
	for (size_t i = 0; i < pd->n_repeat_units; i++)
		notes = notes || *pd->repeat_units[i]->name;
	pdf_table(p, notes ? with_note : plain, notes ? 3 : 2);
	for (size_t i = 0; i < pd->n_repeat_units; i++) {
		const Deskd__TallyCount *t = pd->repeat_units[i];
		const char *row[3] = { t->key, notes ? t->name : n, n };

		snprintf(n, sizeof(n), "%" PRIu64, t->count);
		pdf_row(p, row);
	}
	pdf_table_end(p);
}

/* A tally as a chart's series: its labels and values, freed by the
 * caller (free(*labels), free(*values), and the label texts' block). */
static char *
series(Deskd__TallyCount *const *t, size_t n, bool names,
    const char ***labels, double **values)
{
	char *text = cli_xcalloc(n ? n : 1, 128);

	*labels = cli_xcalloc(n ? n : 1, sizeof(**labels));
	*values = cli_xcalloc(n ? n : 1, sizeof(**values));
	for (size_t i = 0; i < n; i++) {
		snprintf(text + i * 128, 128, "%s", names && *t[i]->name ?
		    t[i]->name : t[i]->key);
		(*labels)[i] = text + i * 128;
		(*values)[i] = (double)t[i]->count;
	}
	return text;
}

static void
tally_chart(struct pdf *p, const char *title, Deskd__TallyCount *const *t,
    size_t n, bool bars)
{
	struct pdf_chart c = { .title = title, .n = n, .unit = "" };
	const char **labels;
	double *values;
	char *text = series(t, n, bars, &labels, &values);

	c.labels = labels;
	c.values = values;
	if (bars)
		pdf_bar_chart(p, &c);
	else
		pdf_line_chart(p, &c);
	free(text);
	free(labels);
	free(values);
}

/* C2/C3: the share of replies on time, the period before and this one,
 * against the rule's 100%. */
static void
on_time_chart(struct pdf *p, const Deskd__ComplaintPeriod *cur,
    const Deskd__ComplaintPeriod *prev)
{
	const struct figure *on_time = NULL;
	const Deskd__ComplaintPeriod *pds[2] = { prev, cur };
	const char *labels[2];
	double values[2];
	struct pdf_chart c = { .title = "2小时内按时回复率 Replies on time "
	    "within 2 h (C2)", .labels = labels, .values = values, .unit = "%",
	    .has_target = true, .target = 100,
	    .target_label = "目标 Target 100%" };

	for (size_t i = 0; i < sizeof(figures) / sizeof(figures[0]); i++)
		if (figures[i].num == FIELD(reply_on_time) && figures[i].nden)
			on_time = &figures[i];
	for (size_t i = 0; i < 2; i++)
		if (figure_value(on_time, pds[i], &values[c.n]))
			labels[c.n++] = pds[i]->label;
	pdf_line_chart(p, &c);
}

/* Which office's figures (the store's node): head office files many. */
static void
office_line(struct pdf *p, const char *office)
{
	if (office != NULL && *office)
		pdf_paragraph(p, "管理处 Office: %s", office);
}

/* "20261201" as 2026-12-01. */
static void
fmt_day(uint32_t day, char *buf, size_t len)
{
	snprintf(buf, len, "%04u-%02u-%02u", day / 10000, day / 100 % 100,
	    day % 100);
}

/* From the 1st to the last day of one month (days YYYYMMDD). */
static bool
whole_month(uint32_t from, uint32_t to)
{
	static const uint32_t days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30,
	    31, 30, 31 };
	uint32_t y = from / 10000, m = from / 100 % 100, last;

	if (m < 1 || m > 12 || from % 100 != 1 || to / 100 != from / 100)
		return false;
	last = days[m - 1] + (m == 2 && y % 4 == 0 && (y % 100 != 0 ||
	    y % 400 == 0));
	return to % 100 == last;
}

int
cli_report_pdf(const Deskd__ComplaintReportReply *r, const char *dept_title,
    const char *path)
{
	static const struct tally_table by_category = {
		"按投诉类别 By category", "类别 Category", true };
	static const struct tally_table by_building = {
		"按楼栋 By building", "楼栋 Building", false };
	static const struct tally_table by_source = {
		"按来源 By source", "来源 Source", false };
	Deskd__ComplaintPeriod empty = DESKD__COMPLAINT_PERIOD__INIT;
	const Deskd__ComplaintPeriod *cur = r->period ? r->period : &empty;
	const Deskd__ComplaintPeriod *prev = r->previous;
	char title[2][256], from[16], to[16];
	const char *titles[2] = { title[0], title[1] };
	struct pdf *p;
	bool week;

	/* A week's count (C8 asks one every week) is the weekly report. */
	week = cur->from_day != 0 && !whole_month(cur->from_day, cur->to_day);
	snprintf(title[0], sizeof(title[0]), "部门客户投诉工作%s %s",
	    week ? "周报" : "月报", cur->label);
	snprintf(title[1], sizeof(title[1]), "%s%s%s Complaint Report, %s",
	    dept_title ? dept_title : "", dept_title && *dept_title ? "  " : "",
	    week ? "Weekly" : "Monthly", cur->label);
	p = pdf_open(path, titles, 2);
	fmt_day(cur->from_day, from, sizeof(from));
	fmt_day(cur->to_day, to, sizeof(to));
	pdf_paragraph(p, "统计期间 Period: %s 至 to %s；上期 Previous: %s",
	    from, to, prev ? prev->label : NONE);
	office_line(p, r->office);
	if (cur->total == 0)
		pdf_paragraph(p, "本期没有投诉记录。No complaints were recorded "
		    "in this period.");
	pdf_heading(p, "本期概况 The period's figures");
	figures_table(p, cur, prev);
	tally(p, &by_category, cur->by_category, cur->n_by_category,
	    prev ? prev->by_category : NULL, prev ? prev->n_by_category : 0,
	    prev != NULL);
	tally(p, &by_building, cur->by_building, cur->n_by_building,
	    prev ? prev->by_building : NULL, prev ? prev->n_by_building : 0,
	    prev != NULL);
	tally(p, &by_source, cur->by_source, cur->n_by_source,
	    prev ? prev->by_source : NULL, prev ? prev->n_by_source : 0,
	    prev != NULL);
	repeat_units(p, cur);
	tally_chart(p, "各类别投诉数 Complaints by category", cur->by_category,
	    cur->n_by_category, true);
	tally_chart(p, "每日投诉数 Complaints per day", cur->by_day,
	    cur->n_by_day, false);
	on_time_chart(p, cur, prev);
	pdf_signatures(p, sign_here, 3);
	return pdf_close(p);
}

/* ---------- the compliance ledger ---------- */

/* A ledger figure; a corrected line's as signed under it (B8). */
static void
figure_as_signed(uint64_t now, bool corrected, uint64_t signed_as, char *buf,
    size_t len)
{
	if (corrected)
		snprintf(buf, len, "%" PRIu64 "\n签署时 %" PRIu64, now, signed_as);
	else
		snprintf(buf, len, "%" PRIu64, now);
}

static void
ledger_row(struct pdf *p, const Deskd__QuotaLine *q)
{
	char rule[48], what[512], req[24], done[24], pct[24], fc[24], st[64];
	const char *row[7] = { rule, what, req, done, pct, fc, st };

	snprintf(rule, sizeof(rule), "%s%s", q->rule, q->corrected ? " *" : "");
	/* The server's English first, its Chinese under it. */
	snprintf(what, sizeof(what), "%s%s%s%s", q->what,
	    *ledger_word_zh(q->what) ? "\n" : "", ledger_word_zh(q->what),
	    q->corrected ? "\n* 已更正 corrected" : "");
	figure_as_signed(q->required, q->corrected, q->signed_required, req,
	    sizeof(req));
	figure_as_signed(q->done, q->corrected, q->signed_done, done,
	    sizeof(done));
	snprintf(pct, sizeof(pct), "%u%%", q->percent);
	snprintf(fc, sizeof(fc), "%" PRIu64, q->forecast);
	snprintf(st, sizeof(st), "%s %s", ledger_word_zh(q->status), q->status);
	pdf_row(p, row);
}

int
cli_ledger_pdf(const Deskd__LedgerReply *r, const char *path)
{
	static const struct pdf_column cols[] = {
		{ "规则\nRule", 0.07, false }, { "项目\nWhat", 0.24, false },
		{ "应完成\nRequired", 0.13, true }, { "已完成\nDone", 0.11, true },
		{ "完成率\n%", 0.09, true }, { "月末预计\nForecast", 0.13, true },
		{ "状态\nStatus", 0.23, false },
	};
	char title[2][128], now[32], when[32];
	const char *titles[2] = { title[0], title[1] };
	bool corrected = false;
	struct pdf *p;

	snprintf(title[0], sizeof(title[0]), "服务合规台账 %s", r->month);
	snprintf(title[1], sizeof(title[1]), "Service Compliance Ledger, %s",
	    r->month);
	p = pdf_open(path, titles, 2);
	office_line(p, r->office);
	cli_fmt_time(r->now_ms, now, sizeof(now));
	pdf_paragraph(p, "数据截至 As of: %s", now);
	if (r->seal != NULL) {
		cli_fmt_time(r->seal->signed_ms, when, sizeof(when));
		pdf_paragraph(p, "本月已签署 Signed for the month (B8): %s, %s",
		    r->seal->signed_by, when);
	} else
		pdf_paragraph(p, "本月尚未签署 Not yet signed for the month (B8)");
	if (r->n_lines == 0)
		pdf_paragraph(p, "本月没有指标 No quotas this month.");
	else {
		pdf_table(p, cols, 7);
		for (size_t i = 0; i < r->n_lines; i++) {
			ledger_row(p, r->lines[i]);
			corrected = corrected || r->lines[i]->corrected;
		}
		pdf_table_end(p);
	}
	if (corrected)
		pdf_paragraph(p, "* 本月签署后数字有变化的行，签署时的数字列在"
		    "现数之下。A line marked * changed after the month was "
		    "signed: under each figure, the figure as signed.");
	pdf_signatures(p, sign_here, 3);
	return pdf_close(p);
}
