/*
 * bench_report.c - the month's reports over a year of a large office
 * (issue 15, C8): 50,000 units, 200,000 complaints spread over twelve
 * months, 1,000,000 events in the log (the complaints and 800,000
 * message notes), all imported with `desk import`.  Then the monthly
 * complaint report and the compliance ledger on the server (round trip
 * of the request, p50 and max), `desk report complaints` and `desk
 * ledger` as commands: their peak memory, and the report as a PDF end to
 * end.
 */
#include <sys/types.h>
#include <sys/wait.h>

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"

#define TARGET_REPORT_MS	1000.0
#define TARGET_DESK_MIB		50.0
#define TARGET_PDF_MS		2000.0
#define REPORT_CALLS		10

static const char *const categories[] = { "noise", "cleaning", "repair",
	"security", "parking", "fees", "service", "other" };

static int
write_units(const char *path, uint32_t n)
{
	FILE *f = fopen(path, "w");

	if (f == NULL)
		return -1;
	fprintf(f, "ref,code,area_dm2,status\n");
	for (uint32_t i = 0; i < n; i++)
		fprintf(f, "u%u,%u-%u-%04u,9000,%s\n", i, 1 + i / 1000,
		    1 + i / 250 % 4, i % 250 + 101, i % 10 == 0 ? "vacant" :
		    i % 10 == 1 ? "let" : "occupied");
	return fclose(f) == 0 ? 0 : -1;
}

/* The complaints of the twelve months up to this one, by their files'
 * dates (created_ms: what the report counts them by). */
static int
write_complaints(const char *path, uint32_t n, uint32_t units)
{
	FILE *f = fopen(path, "w");
	time_t now = time(NULL);

	if (f == NULL)
		return -1;
	fprintf(f, "ref,unit,complainant,phone,channel,category,created_ms,"
	    "status,validity,result,revisit_result,satisfaction,text\n");
	for (uint32_t i = 0; i < n; i++) {
		time_t t = now - (time_t)((uint64_t)i * 365 * 86400 / n);
		uint32_t u = (i * 7919u) % units;
		struct tm tm;
		char when[32];

		localtime_r(&t, &tm);
		strftime(when, sizeof(when), "%Y-%m-%d %H:%M", &tm);
		fprintf(f, "c%u,%u-%u-%04u,业主%u,1380000%04u,phone,%s,%s,%s,"
		    "楼上装修噪音\n", i, 1 + u / 1000, 1 + u / 250 % 4,
		    u % 250 + 101, i, i % 10000, categories[i % 8], when,
		    i % 10 ? "closed,valid,已协调,满意,5" : "open,,,,");
	}
	return fclose(f) == 0 ? 0 : -1;
}

static int
write_notes(const char *path, uint32_t n)
{
	FILE *f = fopen(path, "w");

	if (f == NULL)
		return -1;
	fprintf(f, "ref,unit,recipient,left_by,text\n");
	for (uint32_t i = 0; i < n; i++)
		fprintf(f, "n%u,1-1-0101,业主,快递,包裹暂存前台 %u\n", i, i);
	return fclose(f) == 0 ? 0 : -1;
}

/* `desk ARGV...` with the saved session; its exit status, *hwm_kib its
 * peak memory (VmHWM while it runs, once it is desk) and *anon_kib the
 * most of it its own (RssAnon, sampled: VmHWM also counts the pages of
 * the fonts it maps, which are the page cache's). */
static int
run_desk_anon(const char *cfg, const char *out, char *const argv[],
    long *hwm_kib, long *anon_kib)
{
	pid_t pid = desk_cmd_spawn(cfg, out, argv);
	int status;
	long kib;

	if (pid < 0)
		return -1;
	*hwm_kib = *anon_kib = 0;
	while (waitpid(pid, &status, WNOHANG) == 0) {
		if (pid_is(pid, "desk")) {
			if ((kib = pid_status_kib(pid, "VmHWM")) > *hwm_kib)
				*hwm_kib = kib;
			if ((kib = pid_status_kib(pid, "RssAnon")) > *anon_kib)
				*anon_kib = kib;
		}
		sleep_ms(2);
	}
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static int
run_desk(const char *cfg, const char *out, char *const argv[], long *hwm_kib)
{
	long anon;

	return run_desk_anon(cfg, out, argv, hwm_kib, &anon);
}

static int
import(const char *cfg, const char *dir, const char *file, const char *kind)
{
	char path[600], k[32];
	char *argv[] = { DESK_BIN, "import", path, "--kind", k, NULL };
	long hwm;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	snprintf(k, sizeof(k), "%s", kind);
	if (run_desk(cfg, "/dev/null", argv, &hwm) != 0) {
		warnx_("desk import %s failed", file);
		return -1;
	}
	return 0;
}

/* REPORT_CALLS round trips of req: p50 and max in ms into t[0], t[1]. */
static int
time_calls(struct desk *d, const Deskd__Request *req,
    Deskd__Response__BodyCase want, double t[2])
{
	int64_t lat[REPORT_CALLS];

	for (int i = 0; i < REPORT_CALLS; i++) {
		Deskd__Response *resp = NULL;
		int64_t t0 = mono_ns();

		if (desk_call(d, req, &resp) != DESK_OK || resp == NULL ||
		    resp->body_case != want) {
			warnx_("report: %s", resp != NULL ? resp->message :
			    desk_error(d));
			if (resp != NULL)
				deskd__response__free_unpacked(resp, NULL);
			return -1;
		}
		lat[i] = mono_ns() - t0;
		deskd__response__free_unpacked(resp, NULL);
	}
	qsort(lat, REPORT_CALLS, sizeof(lat[0]), cmp_i64);
	t[0] = (double)lat[REPORT_CALLS / 2] / 1e6;
	t[1] = (double)lat[REPORT_CALLS - 1] / 1e6;
	return 0;
}

int
bench_report(const struct opts *o)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__ComplaintReport cr = DESKD__COMPLAINT_REPORT__INIT;
	Deskd__LedgerGet lg = DESKD__LEDGER_GET__INIT;
	char token[128], cfg[400], path[600], month[16];
	char *rep_argv[] = { DESK_BIN, "report", "complaints", "--month",
	    month, NULL };
	char *led_argv[] = { DESK_BIN, "ledger", "--month", month, NULL };
	char pdf[600];
	char *pdf_argv[] = { DESK_BIN, "report", "complaints", "--month",
	    month, "--pdf", pdf, NULL };
	double t_pdf;
	long pdf_kib, pdf_anon;
	double rep[2], led[2];
	long rep_kib, led_kib;
	uint32_t ncomp = o->report_complaints;
	uint32_t nnotes = o->report_events - ncomp;
	time_t prev = time(NULL) - 31 * 86400;
	struct tm tm;
	struct server s;
	struct desk *d = NULL;
	int64_t t0;
	double t_load;
	int rc = -1;

	localtime_r(&prev, &tm);
	strftime(month, sizeof(month), "%Y-%m", &tm);
	if (srv_prepare(&s, o, "report") != 0 ||
	    srv_launch(&s, o, NULL, 10) != 0)
		return -1;
	if ((d = bench_password_login(&s, token, sizeof(token))) == NULL ||
	    desk_cmd_session(&s, token, cfg, sizeof(cfg)) != 0)
		goto out;
	t0 = mono_ns();
	snprintf(path, sizeof(path), "%s/units.csv", s.dir);
	if (write_units(path, o->report_units) != 0 ||
	    import(cfg, s.dir, "units.csv", "unit") != 0)
		goto out;
	snprintf(path, sizeof(path), "%s/complaints.csv", s.dir);
	if (write_complaints(path, ncomp, o->report_units) != 0 ||
	    import(cfg, s.dir, "complaints.csv", "complaint") != 0)
		goto out;
	snprintf(path, sizeof(path), "%s/notes.csv", s.dir);
	if (write_notes(path, nnotes) != 0 ||
	    import(cfg, s.dir, "notes.csv", "note") != 0)
		goto out;
	t_load = (double)(mono_ns() - t0) / 1e9;

	/* Last month's: a whole month of the year's complaints. */
	cr.month = month;
	req.body_case = DESKD__REQUEST__BODY_COMPLAINT_REPORT;
	req.complaint_report = &cr;
	if (time_calls(d, &req, DESKD__RESPONSE__BODY_COMPLAINT_REPORT,
	    rep) != 0)
		goto out;
	lg.month = month;
	req.body_case = DESKD__REQUEST__BODY_LEDGER;
	req.ledger = &lg;
	if (time_calls(d, &req, DESKD__RESPONSE__BODY_LEDGER, led) != 0)
		goto out;
	if (run_desk(cfg, "/dev/null", rep_argv, &rep_kib) != 0 ||
	    run_desk(cfg, "/dev/null", led_argv, &led_kib) != 0) {
		warnx_("desk report / desk ledger failed");
		goto out;
	}
	/* The printable report end to end: the request, the layout, the
	 * file (the 2 s). */
	snprintf(pdf, sizeof(pdf), "%s/report.pdf", s.dir);
	/* Under LeakSanitizer, cairo's own loss at the end of a PDF is not
	 * desk's (as the CLI tests say for it). */
	setenv("LSAN_OPTIONS", "suppressions=" DESKD_SOURCE_DIR
	    "/tests/cli/lsan-cairo.supp", 0);
	t0 = mono_ns();
	if (run_desk_anon(cfg, "/dev/null", pdf_argv, &pdf_kib, &pdf_anon) !=
	    0) {
		warnx_("desk report complaints --pdf failed");
		goto out;
	}
	t_pdf = (double)(mono_ns() - t0) / 1e6;
	printf("BENCH report units=%u complaints=%u events=%u load_s=%.1f "
	    "month=%s report_p50_ms=%.1f report_max_ms=%.1f "
	    "ledger_p50_ms=%.1f ledger_max_ms=%.1f desk_report_mib=%.1f "
	    "desk_ledger_mib=%.1f pdf_ms=%.0f desk_pdf_mib=%.1f "
	    "desk_pdf_anon_mib=%.1f "
	    "target_ms=%.0f target_pdf_ms=%.0f target_desk_mib=%.0f "
	    "met=%s\n", o->report_units, ncomp, o->report_events, t_load,
	    month, rep[0], rep[1], led[0], led[1], rep_kib / 1024.0,
	    led_kib / 1024.0, t_pdf, pdf_kib / 1024.0, pdf_anon / 1024.0,
	    TARGET_REPORT_MS,
	    TARGET_PDF_MS, TARGET_DESK_MIB,
	    rep[1] < TARGET_REPORT_MS && led[1] < TARGET_REPORT_MS &&
	    t_pdf < TARGET_PDF_MS && rep_kib / 1024.0 < TARGET_DESK_MIB &&
	    led_kib / 1024.0 < TARGET_DESK_MIB &&
	    pdf_anon / 1024.0 < TARGET_DESK_MIB ? "yes" : "no");
	fflush(stdout);
	rc = 0;
out:
	if (d != NULL)
		desk_close(d);
	if (s.pid > 0)
		srv_stop(&s);
	return rc;
}
