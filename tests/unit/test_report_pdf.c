/*
 * test_report_pdf.c - the printed documents (cli_report_pdf.c on
 * cli_pdf.c): a month's complaint report and a compliance ledger built in
 * memory with figures chosen here, written as PDF, read back with
 * poppler's pdftotext (the figures, computed here from the same data, on
 * the right lines) and rendered with pdftoppm (a PNG a page).  A text a
 * font cannot show fails the document and leaves no file.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <dirent.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "cli.h"
#include "cli_pdf.h"

/* LeakSanitizer: cairo 1.16 loses a little of its own finishing a PDF
 * with text (as tests/cli/lsan-cairo.supp says for the notice). */
const char *__lsan_default_suppressions(void);
const char *
__lsan_default_suppressions(void)
{
	return "leak:libcairo.so\n";
}

static char dir[64];

static int
setup(void **state)
{
	(void)state;
	setenv("TZ", "UTC", 1);
	tzset();
	snprintf(dir, sizeof(dir), "/tmp/test_report_pdf.XXXXXX");
	return mkdtemp(dir) == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	char cmd[128];

	(void)state;
	/* TEST_KEEP=1: the PDFs, their text and PNGs stay, to look at. */
	if (getenv("TEST_KEEP") != NULL) {
		printf("kept in %s\n", dir);
		return 0;
	}
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

/* ---------- building the replies ---------- */

static char *
xs(const char *s)
{
	char *d = strdup(s);

	assert_non_null(d);
	return d;
}

static void
add(Deskd__TallyCount ***arr, size_t *n, const char *key, const char *name,
    uint64_t count)
{
	Deskd__TallyCount *t = malloc(sizeof(*t));

	assert_non_null(t);
	deskd__tally_count__init(t);
	t->key = xs(key);
	t->name = xs(name);
	t->count = count;
	*arr = realloc(*arr, (*n + 1) * sizeof(**arr));
	assert_non_null(*arr);
	(*arr)[(*n)++] = t;
}

static Deskd__ComplaintPeriod *
period(const char *label, uint32_t from, uint32_t to)
{
	Deskd__ComplaintPeriod *pd = malloc(sizeof(*pd));

	assert_non_null(pd);
	deskd__complaint_period__init(pd);
	pd->label = xs(label);
	pd->from_day = from;
	pd->to_day = to;
	pd->n_satisfaction = 5;
	pd->satisfaction = calloc(5, sizeof(*pd->satisfaction));
	assert_non_null(pd->satisfaction);
	return pd;
}

/* The month the report is of: its complaints by category, the month
 * before's, and the rest of its figures. */
static const struct {
	const char	*code, *name;
	uint64_t	 now, before;
} cats[] = {
	{ "noise", "噪音", 7, 5 }, { "cleaning", "卫生", 4, 7 },
	{ "repair", "维修", 3, 0 }, { "parking", "停车", 3, 0 },
};
#define NCATS		(sizeof(cats) / sizeof(cats[0]))
#define ON_TIME		11
#define LATE		2
#define UNREPLIED	1
#define REVISITED	9
#define REVISIT_OWED	3
static const uint64_t scores[5] = { 0, 1, 2, 4, 3 };	/* 1..5 */
#define PREV_TOTAL	12
#define PREV_ON_TIME	6
#define PREV_LATE	4

static uint64_t
month_total(void)
{
	uint64_t n = 0;

	for (size_t i = 0; i < NCATS; i++)
		n += cats[i].now;
	return n;
}

/* A report of November 2026, with extra_units more units that complained
 * twice (a table longer than a page). */
static Deskd__ComplaintReportReply *
report(size_t extra_units)
{
	Deskd__ComplaintReportReply *r = malloc(sizeof(*r));
	Deskd__ComplaintPeriod *pd, *pv;
	uint64_t total = month_total(), left = total;
	char key[32];

	assert_non_null(r);
	deskd__complaint_report_reply__init(r);
	pd = r->period = period("2026-11", 20261101, 20261130);
	pv = r->previous = period("2026-10", 20261001, 20261031);
	pd->total = total;
	pd->valid = total - 3;
	pd->invalid = 2;
	pd->pending = 1;
	pd->reply_on_time = ON_TIME;
	pd->reply_late = LATE;
	pd->reply_none = UNREPLIED;
	pd->revisited = REVISITED;
	pd->revisit_owed = REVISIT_OWED;
	memcpy(pd->satisfaction, scores, sizeof(scores));
	pd->escalated = 2;
	pd->appealed = 1;
	for (size_t i = 0; i < NCATS; i++) {
		add(&pd->by_category, &pd->n_by_category, cats[i].code,
		    cats[i].name, cats[i].now);
		if (cats[i].before)
			add(&pv->by_category, &pv->n_by_category,
			    cats[i].code, cats[i].name, cats[i].before);
	}
	add(&pd->by_building, &pd->n_by_building, "1栋", "", 10);
	add(&pd->by_building, &pd->n_by_building, "3栋", "", total - 10);
	add(&pd->by_source, &pd->n_by_source, "customer", "", total - 1);
	add(&pd->by_source, &pd->n_by_source, "employee", "", 1);
	for (unsigned d = 1; d <= 30; d++) {
		uint64_t n = d == 30 ? left : d % 4 == 1 ? 2 : d % 3 == 0;

		n = n < left ? n : left;
		left -= n;
		snprintf(key, sizeof(key), "%02u", d);
		add(&pd->by_day, &pd->n_by_day, key, "", n);
	}
	add(&pd->repeat_units, &pd->n_repeat_units, "3-2-1201",
	    "王女士 楼上装修噪音", 3);
	for (size_t i = 0; i < extra_units; i++) {
		snprintf(key, sizeof(key), "9-%zu-%03zu", i / 100 + 1,
		    i % 100 + 101);
		add(&pd->repeat_units, &pd->n_repeat_units, key, "", 2);
	}
	r->office = xs("sh-xinhua");
	pv->total = PREV_TOTAL;
	pv->reply_on_time = PREV_ON_TIME;
	pv->reply_late = PREV_LATE;
	return r;
}

/* ---------- reading the PDF back ---------- */

static char *
slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf;
	long n;

	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = calloc(1, (size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	return buf;
}

/* pdftotext -layout's text of the PDF. */
static char *
pdf_text(const char *pdf)
{
	char cmd[512], txt[256];

	snprintf(txt, sizeof(txt), "%s.txt", pdf);
	snprintf(cmd, sizeof(cmd), "pdftotext -layout '%s' '%s'", pdf, txt);
	assert_int_equal(system(cmd), 0);
	return slurp(txt);
}

static int
pages(const char *pdf)
{
	char cmd[512];
	FILE *f;
	int n = 0;

	snprintf(cmd, sizeof(cmd), "pdfinfo '%s' | sed -n 's/^Pages: *//p'",
	    pdf);
	f = popen(cmd, "r");
	assert_non_null(f);
	assert_int_equal(fscanf(f, "%d", &n), 1);
	pclose(f);
	return n;
}

/* pdftoppm renders every page at 50 dpi: a non-empty PNG each. */
static void
assert_renders(const char *pdf, const char *name)
{
	char cmd[512], sub[128];
	struct dirent *e;
	struct stat st;
	DIR *d;
	int png = 0;

	snprintf(sub, sizeof(sub), "%s/%s-png", dir, name);
	assert_int_equal(mkdir(sub, 0700), 0);
	snprintf(cmd, sizeof(cmd), "pdftoppm -png -r 50 '%s' '%s/page'", pdf,
	    sub);
	assert_int_equal(system(cmd), 0);
	assert_non_null(d = opendir(sub));
	while ((e = readdir(d)) != NULL) {
		char path[512];

		if (strstr(e->d_name, ".png") == NULL)
			continue;
		snprintf(path, sizeof(path), "%s/%s", sub, e->d_name);
		assert_int_equal(stat(path, &st), 0);
		assert_true(st.st_size > 1000);
		png++;
	}
	closedir(d);
	assert_int_equal(png, pages(pdf));
}

/* A line of the text holds these words (NULL-ended), in this order, each
 * a whole word between the columns' spaces. */
static bool
line_has(const char *text, ...)
{
	const char *line = text;

	while (*line) {
		const char *end = strchr(line, '\n');
		size_t len = end ? (size_t)(end - line) : strlen(line);
		char *copy = strndup(line, len), *save = NULL, *w;
		const char *want;
		va_list ap;

		va_start(ap, text);
		want = va_arg(ap, const char *);
		for (w = strtok_r(copy, " ", &save); w && want;
		    w = strtok_r(NULL, " ", &save))
			if (strcmp(w, want) == 0)
				want = va_arg(ap, const char *);
		va_end(ap);
		free(copy);
		if (want == NULL)
			return true;
		line += len + (end != NULL);
	}
	return false;
}

static size_t
count_of(const char *text, const char *s)
{
	size_t n = 0;

	for (const char *p = text; (p = strstr(p, s)) != NULL; p += strlen(s))
		n++;
	return n;
}

static void
pct(char *buf, size_t len, uint64_t num, uint64_t den)
{
	snprintf(buf, len, "%.1f%%", 100.0 * (double)num / (double)den);
}

/* ---------- the tests ---------- */

static void
report_holds_the_months_figures(void **state)
{
	Deskd__ComplaintReportReply *r = report(0);
	uint64_t total = month_total(), n = 0, sum = 0;
	char pdf[128], a[32], b[32], c[32];
	char *text;

	(void)state;
	snprintf(pdf, sizeof(pdf), "%s/report.pdf", dir);
	assert_int_equal(cli_report_pdf(r, "客服部", pdf), 0);
	text = pdf_text(pdf);
	assert_non_null(strstr(text, "部门客户投诉工作月报 2026-11"));
	assert_non_null(strstr(text, "客服部"));
	assert_true(line_has(text, "管理处", "Office:", "sh-xinhua", NULL));
	/* The month beside the one before, and the change. */
	snprintf(a, sizeof(a), "%" PRIu64, total);
	snprintf(b, sizeof(b), "%d", PREV_TOTAL);
	snprintf(c, sizeof(c), "%+d", (int)total - PREV_TOTAL);
	assert_true(line_has(text, "投诉总数", "Complaints", a, b, c, NULL));
	/* Each category: its name, code, count, share, the month before. */
	for (size_t i = 0; i < NCATS; i++) {
		char now[16], before[16], share[16];

		snprintf(now, sizeof(now), "%" PRIu64, cats[i].now);
		snprintf(before, sizeof(before), "%" PRIu64, cats[i].before);
		pct(share, sizeof(share), cats[i].now, total);
		assert_true(line_has(text, cats[i].name, cats[i].code, now,
		    share, before, NULL));
	}
	/* C2/C3: on time among replies owed by a known time. */
	pct(a, sizeof(a), ON_TIME, ON_TIME + LATE + UNREPLIED);
	pct(b, sizeof(b), PREV_ON_TIME, PREV_ON_TIME + PREV_LATE);
	assert_true(line_has(text, "2小时内按时回复", a, b, NULL));
	pct(a, sizeof(a), REVISITED, REVISITED + REVISIT_OWED);
	assert_true(line_has(text, "已回访", "Revisited", a, NULL));
	for (size_t i = 0; i < 5; i++) {
		n += scores[i];
		sum += scores[i] * (i + 1);
	}
	snprintf(a, sizeof(a), "%.2f", (double)sum / (double)n);
	assert_true(line_has(text, "满意度均分", a, NULL));
	snprintf(a, sizeof(a), "%" PRIu64, scores[3]);
	assert_true(line_has(text, "满意度", "4", "分", a, NULL));
	assert_true(line_has(text, "升级处理", "Escalated", "2", NULL));
	assert_true(line_has(text, "申诉", "Appealed", "1", NULL));
	assert_true(line_has(text, "1栋", "10", NULL));
	assert_true(line_has(text, "业主", "customer", NULL));
	/* The repeat unit, and its note, as typed at the desk. */
	assert_non_null(strstr(text, "王女士 楼上装修噪音"));
	assert_true(line_has(text, "3-2-1201", "王女士", "楼上装修噪音", "3",
	    NULL));
	/* The charts' titles and the target, the signature lines. */
	assert_non_null(strstr(text, "各类别投诉数"));
	assert_non_null(strstr(text, "每日投诉数"));
	assert_non_null(strstr(text, "目标 Target 100%"));
	assert_true(line_has(text, "制表", "审核", "日期", NULL));
	assert_non_null(strstr(text, "Page 1 of"));
	assert_renders(pdf, "report");
	free(text);
	deskd__complaint_report_reply__free_unpacked(r, NULL);
}

/* A table past the end of a page goes on under its header again. */
static void
long_table_goes_on_the_next_page(void **state)
{
	Deskd__ComplaintReportReply *r = report(150);
	char pdf[128], *text;
	int n;

	(void)state;
	snprintf(pdf, sizeof(pdf), "%s/long.pdf", dir);
	assert_int_equal(cli_report_pdf(r, "", pdf), 0);
	text = pdf_text(pdf);
	n = pages(pdf);
	assert_true(n >= 4);
	assert_true(count_of(text, "房号 Unit") >= 3);
	assert_non_null(strstr(text, "9-1-101"));
	assert_non_null(strstr(text, "9-2-150"));
	assert_true(line_has(text, "第", "2", "页", "/", "共", NULL));
	assert_renders(pdf, "long");
	free(text);
	deskd__complaint_report_reply__free_unpacked(r, NULL);
}

/* A week of the month (Monday to Sunday) is the weekly report; a whole
 * February, leap year or not, the monthly one. */
static void
week_is_the_weekly_report(void **state)
{
	static const struct {
		const char	*label;
		uint32_t	 from, to;
		const char	*title;
	} periods[] = {
		{ "2026-11 week 2", 20261102, 20261108, "部门客户投诉工作周报" },
		{ "2026-11 week 1", 20261101, 20261101, "部门客户投诉工作周报" },
		{ "2028-02", 20280201, 20280229, "部门客户投诉工作月报" },
		{ "2027-02", 20270201, 20270228, "部门客户投诉工作月报" },
	};
	Deskd__ComplaintReportReply r = DESKD__COMPLAINT_REPORT_REPLY__INIT;
	Deskd__ComplaintPeriod pd = DESKD__COMPLAINT_PERIOD__INIT;
	char pdf[128], *text;

	(void)state;
	r.period = &pd;
	for (size_t i = 0; i < sizeof(periods) / sizeof(periods[0]); i++) {
		pd.label = (char *)periods[i].label;
		pd.from_day = periods[i].from;
		pd.to_day = periods[i].to;
		snprintf(pdf, sizeof(pdf), "%s/week%zu.pdf", dir, i);
		assert_int_equal(cli_report_pdf(&r, "客服部", pdf), 0);
		text = pdf_text(pdf);
		assert_non_null(strstr(text, periods[i].title));
		assert_non_null(strstr(text, periods[i].label));
		free(text);
	}
}

/* A month with no complaints is a report that says so, not an error. */
static void
empty_month_says_so(void **state)
{
	Deskd__ComplaintReportReply r = DESKD__COMPLAINT_REPORT_REPLY__INIT;
	Deskd__ComplaintPeriod pd = DESKD__COMPLAINT_PERIOD__INIT;
	char pdf[128], *text;

	(void)state;
	pd.label = "2026-11";
	pd.from_day = 20261101;
	pd.to_day = 20261130;
	r.period = &pd;
	snprintf(pdf, sizeof(pdf), "%s/empty.pdf", dir);
	assert_int_equal(cli_report_pdf(&r, NULL, pdf), 0);
	text = pdf_text(pdf);
	assert_non_null(strstr(text, "本期没有投诉记录"));
	assert_true(line_has(text, "投诉总数", "Complaints", "0", "—", NULL));
	free(text);
	assert_renders(pdf, "empty");
}

/* A ledger line as deskd sends it: the percentage done of required. */
static void
quota(Deskd__QuotaLine *q, char *rule, char *what, uint64_t required,
    uint64_t done, uint64_t forecast, char *status)
{
	q->rule = rule;
	q->what = what;
	q->required = required;
	q->done = done;
	q->percent = required ? (uint32_t)(done * 100 / required) : 100;
	q->forecast = forecast;
	q->status = status;
}

static void
ledger_holds_its_lines(void **state)
{
	Deskd__LedgerReply r = DESKD__LEDGER_REPLY__INIT;
	Deskd__QuotaLine q[3] = { DESKD__QUOTA_LINE__INIT,
	    DESKD__QUOTA_LINE__INIT, DESKD__QUOTA_LINE__INIT };
	Deskd__QuotaLine *lines[3] = { &q[0], &q[1], &q[2] };
	Deskd__DutySeal seal = DESKD__DUTY_SEAL__INIT;
	char pdf[128], when[32], *text;

	(void)state;
	r.month = "2026-11";
	r.office = "sh-xinhua";
	r.now_ms = 1796083200000;	/* 2026-12-01 */
	r.lines = lines;
	r.n_lines = 3;
	quota(&q[0], "F1", "households visited", 25, 12, 26, "on track");
	quota(&q[1], "C4", "valid complaints revisited", 14, 9, 13, "at risk");
	q[1].corrected = true;
	q[1].signed_required = 14;
	q[1].signed_done = 8;
	quota(&q[2], "B9", "duty-log days spot-checked", 6, 6, 6, "met");
	seal.signed_by = "lead1";
	seal.signed_ms = 1796090400000;
	r.seal = &seal;
	snprintf(pdf, sizeof(pdf), "%s/ledger.pdf", dir);
	assert_int_equal(cli_ledger_pdf(&r, pdf), 0);
	text = pdf_text(pdf);
	assert_non_null(strstr(text, "服务合规台账 2026-11"));
	assert_true(line_has(text, "管理处", "Office:", "sh-xinhua", NULL));
	assert_true(line_has(text, "F1", "households", "visited", "25", "12",
	    "48%", "26", "进度正常", "on", "track", NULL));
	assert_true(line_has(text, "C4", "*", "valid", "14", "9", "64%", "13",
	    "有风险", "at", "risk", NULL));
	assert_true(line_has(text, "B9", "6", "6", "100%", "6", "已达标",
	    "met", NULL));
	/* The corrected line shows its figures as signed; the seal. */
	assert_non_null(strstr(text, "已更正 corrected"));
	assert_true(line_has(text, "签署时", "14", "签署时", "8", NULL));
	cli_fmt_time(seal.signed_ms, when, sizeof(when));
	assert_non_null(strstr(text, "lead1"));
	assert_non_null(strstr(text, when));
	assert_true(line_has(text, "制表", "审核", "日期", NULL));
	free(text);
	assert_renders(pdf, "ledger");
}

/* stderr while fn runs with arg, into buf. */
static int
with_stderr(char *buf, size_t len, int (*fn)(const void *, const char *),
    const void *arg, const char *path)
{
	char cap[128];
	int saved = dup(2), rc;
	FILE *f;

	snprintf(cap, sizeof(cap), "%s/stderr", dir);
	assert_non_null(f = fopen(cap, "w+"));
	fflush(stderr);
	dup2(fileno(f), 2);
	rc = fn(arg, path);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	rewind(f);
	buf[fread(buf, 1, len - 1, f)] = '\0';
	fclose(f);
	unlink(cap);
	return rc;
}

static int
write_report(const void *r, const char *path)
{
	return cli_report_pdf(r, "客服部", path);
}

/* Files in the test's directory whose name starts with prefix. */
static int
files_like(const char *prefix)
{
	struct dirent *e;
	DIR *d = opendir(dir);
	int n = 0;

	assert_non_null(d);
	while ((e = readdir(d)) != NULL)
		n += strncmp(e->d_name, prefix, strlen(prefix)) == 0;
	closedir(d);
	return n;
}

/*
 * No tofu: a character no installed font has (U+10FFFD, private use) would
 * print as a box; the document fails naming the text, and nothing is
 * written: no file, and one already there is left as it was.
 */
static void
missing_glyph_fails_the_document(void **state)
{
	Deskd__ComplaintReportReply *r = report(0);
	char pdf[128], err[1024], *old;
	FILE *f;

	(void)state;
	free(r->period->repeat_units[0]->name);
	r->period->repeat_units[0]->name = xs("王女士 \xf4\x8f\xbf\xbd");
	snprintf(pdf, sizeof(pdf), "%s/tofu.pdf", dir);
	assert_int_equal(with_stderr(err, sizeof(err), write_report, r, pdf),
	    -1);
	assert_non_null(strstr(err, "U+10FFFD"));
	assert_non_null(strstr(err, "王女士"));
	assert_non_null(strstr(err, pdf));
	assert_int_equal(files_like("tofu.pdf"), 0);

	assert_non_null(f = fopen(pdf, "w"));
	fputs("the report printed last month\n", f);
	fclose(f);
	assert_int_equal(with_stderr(err, sizeof(err), write_report, r, pdf),
	    -1);
	old = slurp(pdf);
	assert_string_equal(old, "the report printed last month\n");
	free(old);
	assert_int_equal(files_like("tofu.pdf"), 1);
	unlink(pdf);
	deskd__complaint_report_reply__free_unpacked(r, NULL);
}

/* A text that is not UTF-8 (a building as some old import stored it) is
 * refused the same way, naming it. */
static void
bad_utf8_fails_the_document(void **state)
{
	Deskd__ComplaintReportReply *r = report(0);
	char pdf[128], err[1024];

	(void)state;
	free(r->period->by_building[0]->key);
	r->period->by_building[0]->key = xs("1\xff");
	snprintf(pdf, sizeof(pdf), "%s/latin1.pdf", dir);
	assert_int_equal(with_stderr(err, sizeof(err), write_report, r, pdf),
	    -1);
	assert_non_null(strstr(err, "not UTF-8"));
	assert_int_equal(files_like("latin1.pdf"), 0);
	deskd__complaint_report_reply__free_unpacked(r, NULL);
}

/* A path that cannot be written: said, with the reason. */
static void
unwritable_path_says_why(void **state)
{
	Deskd__ComplaintReportReply *r = report(0);
	char pdf[128], err[1024];

	(void)state;
	snprintf(pdf, sizeof(pdf), "%s/no-such-dir/report.pdf", dir);
	assert_int_equal(with_stderr(err, sizeof(err), write_report, r, pdf),
	    -1);
	assert_non_null(strstr(err, pdf));
	assert_non_null(strstr(err, "No such file or directory"));
	deskd__complaint_report_reply__free_unpacked(r, NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(report_holds_the_months_figures),
		cmocka_unit_test(long_table_goes_on_the_next_page),
		cmocka_unit_test(empty_month_says_so),
		cmocka_unit_test(week_is_the_weekly_report),
		cmocka_unit_test(ledger_holds_its_lines),
		cmocka_unit_test(missing_glyph_fails_the_document),
		cmocka_unit_test(bad_utf8_fails_the_document),
		cmocka_unit_test(unwritable_path_says_why),
	};

	if (getenv("TEST_FILTER"))
		cmocka_set_test_filter(getenv("TEST_FILTER"));
	return cmocka_run_group_tests(tests, setup, teardown);
}
