/*
 * cli_import_report.c - what `desk import` tells its user: the progress
 * line on a terminal, each rejected row (stderr, or the --rejects CSV),
 * and the summary at the end (text, or JSON with --json).
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli_bulk.h"

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

void
import_progress_begin(struct import_progress *p)
{
	p->start = p->last = now_s();
}

void
import_progress(struct import_progress *p, uint64_t rows, size_t offset,
    bool done)
{
	double now, rate;
	char count[24];

	if (!p->on || (!done && now_s() - p->last < 0.1))
		return;
	now = now_s();
	p->last = now;
	if (done) {
		fputs("\r\033[K", stderr);
		return;
	}
	rate = now > p->start ? rows / (now - p->start) : 0;
	snprintf(count, sizeof(count), "%" PRIu64, rows);
	fputc('\r', stderr);
	fprintf(stderr, P_("%s row  %.0f rows/s", "%s rows  %.0f rows/s",
	    rows), count, rate);
	if (p->size > 0 && offset > 0) {
		double frac = (double)offset / (double)p->size;
		double eta = (now - p->start) * (1 - frac) / frac;

		fprintf(stderr, _("  %3.0f%%  ETA %d:%02d"), frac * 100,
		    (int)eta / 60, (int)eta % 60);
	}
	fputs("\033[K", stderr);
}

/* "field 'phone': not UTF-8": the field and the reason apart. */
void
import_reject(struct importer *im, unsigned line, const char *field,
    const char *reason)
{
	char name[128];
	const char *p;

	if (field == NULL && strncmp(reason, "field '", 7) == 0 &&
	    (p = strstr(reason + 7, "': ")) != NULL &&
	    (size_t)(p - reason - 7) < sizeof(name)) {
		snprintf(name, sizeof(name), "%.*s", (int)(p - reason - 7),
		    reason + 7);
		field = name;
		reason = p + 3;
	}
	if (field == NULL || *field == '\0')
		field = "row";	/* a column's name in the rejects: data */
	if (im->rej == NULL) {
		fprintf(stderr, "%s:%u: %s: %s\n", im->file, line, field,
		    reason);
		return;
	}
	fprintf(im->rej, "%u", line);
	csv_cell(im->rej, field, false);
	csv_cell(im->rej, reason, false);
	putc('\n', im->rej);
}

/*
 * A rejected row's reason in the desk's language, said from its code
 * (PROTOCOL.md 6.1; the English reason when the catalog cannot say it).
 * A code that starts with a field ("%s: ...", "text: ..." of a step the
 * row implies) says it again: the row's field is shown apart, so the
 * said text loses what comes before its first ": " or "：".
 */
static const char *
reject_reason(const Deskd__ImportResult *r, char *out, size_t len)
{
	const char *said = cli_said(r->code, (const char *const *)r->args,
	    r->n_args, NULL, out, len);
	size_t n = strncmp(r->code, "%s", 2) == 0 ? 2 :
	    strspn(r->code, "abcdefghijklmnopqrstuvwxyz_");
	const char *en = strstr(said != NULL ? said : "", ": "),
	    *zh = strstr(said != NULL ? said : "", "：");

	if (said == NULL)
		return r->reason;
	if (n == 0 || strncmp(r->code + n, ": ", 2) != 0)
		return said;
	if (zh != NULL && (en == NULL || zh < en))
		return zh + strlen("：");
	return en != NULL ? en + 2 : said;
}

void
import_on_result(const Deskd__ImportResult *r, void *arg)
{
	char buf[1024];

	if (r->outcome == DESKD__IMPORT_OUTCOME__IMPORT_REJECTED)
		import_reject(arg, r->line, r->field, reject_reason(r, buf,
		    sizeof(buf)));
}

void
import_summary(const struct import_opts *o, const struct importer *im,
    const struct bulk_kind *k, const struct import_run *run)
{
	uint64_t rejected = run->sum.rejected + im->rejected;
	bool dry = (o->flags & DESK_IMPORT_DRY_RUN) != 0;
	char stored[24], dups[24], rej[24];

	if (im->json) {
		json_t *j = json_object();

		json_object_set_new(j, "kind", json_string(k->name ?
		    k->name : ""));
		json_object_set_new(j, "dry_run", json_boolean(dry));
		json_object_set_new(j, "imported",
		    json_integer((json_int_t)run->sum.stored));
		json_object_set_new(j, "duplicates",
		    json_integer((json_int_t)run->sum.duplicates));
		json_object_set_new(j, "rejected",
		    json_integer((json_int_t)rejected));
		json_object_set_new(j, "interrupted",
		    json_boolean(run->interrupted));
		cli_print_json(j);
		return;
	}
	/* Counts as text: a translation's format holds no PRIu64. */
	snprintf(stored, sizeof(stored), "%" PRIu64, run->sum.stored);
	snprintf(dups, sizeof(dups), "%" PRIu64, run->sum.duplicates);
	snprintf(rej, sizeof(rej), "%" PRIu64, rejected);
	fprintf(stderr, dry ? _("dry run, nothing stored: would have imported "
	    "%s, skipped %s as duplicates, rejected %s\n") : _("imported %s, "
	    "skipped %s as duplicates, rejected %s\n"), stored, dups, rej);
	if (run->interrupted || (run->rc != DESK_OK && run->rc != DESK_REFUSED))
		fprintf(stderr, _("desk import: stopped before the end of %s: "
		    "run the same command again to import the rest\n"),
		    o->file);
}

