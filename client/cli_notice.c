/*
 * cli_notice.c - G3: a hazard's rectification notice (消防安全隐患整改通知书)
 * as the one page the desk hands to the department responsible: its
 * number, the hazard, the deadline and the signature lines (issued by,
 * received by the department, rectified, re-checked), those already done
 * filled in from the record.  Chinese first, the English beside it.  The
 * same lines go to the terminal (text), to --json, and into a one-page
 * A4 PDF laid out by pango on cairo.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cairo-pdf.h>
#include <pango/pangocairo.h>

#include "cli.h"
#include "cli_pdf.h"

#define NOTICE_LINES	24
#define NOTICE_LINE_LEN	1600
#define BLANK		"____________"

/* The notice's title (two lines) and body, one string a line. */
struct notice {
	char	 title[2][96];
	char	 line[NOTICE_LINES][NOTICE_LINE_LEN];
	size_t	 n;
};

static void add(struct notice *, const char *, ...)
    __attribute__((format(printf, 2, 3)));

static void
add(struct notice *nt, const char *fmt, ...)
{
	va_list ap;

	if (nt->n == NOTICE_LINES)
		return;
	va_start(ap, fmt);
	vsnprintf(nt->line[nt->n++], NOTICE_LINE_LEN, fmt, ap);
	va_end(ap);
}

static const char *
severity_zh(const char *s)
{
	static const char *const zh[][2] = { { "low", "轻微" },
	    { "medium", "一般" }, { "high", "较大" }, { "critical", "重大" } };

	for (size_t i = 0; i < sizeof(zh) / sizeof(zh[0]); i++)
		if (strcmp(s, zh[i][0]) == 0)
			return zh[i][1];
	return "";
}

/* A signature line: who and when once done, blanks to sign until then. */
static void
signature(struct notice *nt, const char *role, const char *who, int64_t ms)
{
	char when[32];

	cli_fmt_time(ms, when, sizeof(when));
	add(nt, "%s: %s    日期 Date: %s", role, *who ? who : BLANK,
	    ms ? when : BLANK);
}

static void
notice_of(const Deskd__Hazard *h, struct notice *nt)
{
	char found[32], deadline[32];

	memset(nt, 0, sizeof(*nt));
	snprintf(nt->title[0], sizeof(nt->title[0]), "消防安全隐患整改通知书");
	snprintf(nt->title[1], sizeof(nt->title[1]),
	    "Fire Hazard Rectification Notice");
	cli_fmt_time(h->created_ms, found, sizeof(found));
	cli_fmt_time(h->deadline_ms, deadline, sizeof(deadline));
	add(nt, "编号 No.: %s", h->notice_no);
	add(nt, "致（责任部门） To (department responsible): %s", h->department);
	add(nt, "隐患地点 Location: %s", h->location);
	add(nt, "隐患情况 Hazard: %s", h->description);
	add(nt, "严重程度 Severity: %s %s", severity_zh(h->severity),
	    h->severity);
	add(nt, "发现人 Found by: %s    发现时间 Found at: %s", h->found_by,
	    found);
	if (*h->origin)
		add(nt, "来源 Source: %s", h->origin);
	add(nt, "整改期限 Deadline: %s", deadline);
	add(nt, "请在期限前完成整改并告知客服前台复查；"
	    "逾期未整改将上报主管及经理。");
	add(nt, "Rectify the hazard by the deadline and tell the front desk for "
	    "the re-check; a hazard not rectified by then is escalated to the "
	    "supervisor and the director (G3).");
	add(nt, "%s", "");
	signature(nt, "签发 Issued by", h->created_by, h->created_ms);
	signature(nt, "签收（责任部门） Received by the department", "", 0);
	signature(nt, "整改人 Rectified by", h->fixed_by, h->fixed_ms);
	add(nt, "整改情况 What was done: %s", *h->fix_note ? h->fix_note :
	    BLANK BLANK BLANK);
	signature(nt, "复查人 Re-checked by", h->closed_by, h->closed_ms);
	if (*h->recheck_note)
		add(nt, "复查意见 Re-check: %s", h->recheck_note);
}

void
cli_notice_text(const Deskd__Hazard *h, FILE *out)
{
	struct notice nt;

	notice_of(h, &nt);
	fprintf(out, "%s\n%s\n\n", nt.title[0], nt.title[1]);
	for (size_t i = 0; i < nt.n; i++)
		fprintf(out, "%s\n", nt.line[i]);
}

json_t *
cli_notice_json(const Deskd__Hazard *h)
{
	struct notice nt;
	json_t *o = json_object(), *lines = json_array();

	notice_of(h, &nt);
	json_object_set_new(o, "notice_no", json_string(h->notice_no));
	json_object_set_new(o, "id", json_integer((json_int_t)h->id));
	json_object_set_new(o, "title", json_pack("[ss]", nt.title[0],
	    nt.title[1]));
	for (size_t i = 0; i < nt.n; i++)
		json_array_append_new(lines, json_string(nt.line[i]));
	json_object_set_new(o, "lines", lines);
	return o;
}

/* The first text laid out with a character no font has (tofu), if any. */
static const char *tofu;

/* One paragraph at y in the given font; returns its height. */
static double
paragraph(cairo_t *cr, PangoLayout *l, const char *font, const char *text,
    double y, PangoAlignment align)
{
	PangoFontDescription *fd = pango_font_description_from_string(font);
	int w, hgt;

	pango_layout_set_font_description(l, fd);
	pango_font_description_free(fd);
	pango_layout_set_alignment(l, align);
	pango_layout_set_text(l, text, -1);
	if (tofu == NULL && pango_layout_get_unknown_glyphs_count(l) > 0)
		tofu = text;
	cairo_move_to(cr, PDF_MARGIN, y);
	pango_cairo_show_layout(cr, l);
	pango_layout_get_size(l, &w, &hgt);
	return (double)hgt / PANGO_SCALE;
}

/* The body's height at this font size, laid out but not drawn. */
static double
body_height(PangoLayout *l, const struct cli_page *pg, int size)
{
	char font[64];
	double total = 0;
	int w, hgt;

	snprintf(font, sizeof(font), "%s %d", pg->font, size);
	for (size_t i = 0; i < pg->n; i++) {
		PangoFontDescription *fd =
		    pango_font_description_from_string(font);

		pango_layout_set_font_description(l, fd);
		pango_font_description_free(fd);
		pango_layout_set_text(l, *pg->lines[i] ? pg->lines[i] : " ",
		    -1);
		pango_layout_get_size(l, &w, &hgt);
		/* A table's row that would wrap: too big a type. */
		if (pg->columns && pango_layout_get_line_count(l) > 1)
			return PDF_PAGE_H;
		total += (double)hgt / PANGO_SCALE + size * 0.6;
	}
	return total;
}

int
cli_page_pdf(const struct cli_page *pg, const char *path)
{
	cairo_surface_t *s;
	cairo_t *cr;
	PangoLayout *l;
	char font[64];
	double y = PDF_MARGIN;
	int size = pg->size, rc = 0;

	s = cairo_pdf_surface_create(path, PDF_PAGE_W, PDF_PAGE_H);
	if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
		fprintf(stderr, _("desk: %s: cannot write the PDF: %s\n"), path,
		    cairo_status_to_string(cairo_surface_status(s)));
		cairo_surface_destroy(s);
		return -1;
	}
	cr = cairo_create(s);
	l = pango_cairo_create_layout(cr);
	pango_layout_set_width(l,
	    (int)((PDF_PAGE_W - 2 * PDF_MARGIN) * PANGO_SCALE));
	pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
	tofu = NULL;
	y += paragraph(cr, l, PDF_FONT " Bold 20", pg->title[0], y,
	    PANGO_ALIGN_CENTER);
	y += paragraph(cr, l, PDF_FONT " 13", pg->title[1], y,
	    PANGO_ALIGN_CENTER) + 24;
	/* One page, always: a long body takes a smaller type. */
	while (size > 6 && y + body_height(l, pg, size) > PDF_PAGE_H - PDF_MARGIN)
		size--;
	snprintf(font, sizeof(font), "%s %d", pg->font, size);
	for (size_t i = 0; i < pg->n; i++)
		y += paragraph(cr, l, font, *pg->lines[i] ? pg->lines[i] : " ",
		    y, PANGO_ALIGN_LEFT) + size * 0.6;
	g_object_unref(l);
	cairo_destroy(cr);
	cairo_surface_finish(s);
	if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
		fprintf(stderr, _("desk: %s: cannot write the PDF: %s\n"), path,
		    cairo_status_to_string(cairo_surface_status(s)));
		rc = -1;
	}
	cairo_surface_destroy(s);
	/* A box printed for a character is a wrong document: none at all. */
	if (rc == 0 && tofu != NULL) {
		fprintf(stderr, _("desk: %s: no installed font has a "
		    "character of \"%s\"; nothing written\n"), path, tofu);
		unlink(path);
		rc = -1;
	}
	pdf_release_fonts();
	return rc;
}

int
cli_notice_pdf(const Deskd__Hazard *h, const char *path)
{
	struct notice nt;
	const char *lines[NOTICE_LINES];
	struct cli_page pg = { { NULL, NULL }, lines, 0, PDF_FONT,
	    12, false };

	notice_of(h, &nt);
	pg.title[0] = nt.title[0];
	pg.title[1] = nt.title[1];
	for (pg.n = 0; pg.n < nt.n; pg.n++)
		lines[pg.n] = nt.line[pg.n];
	return cli_page_pdf(&pg, path);
}
