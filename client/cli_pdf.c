/*
 * cli_pdf.c - printable A4 documents (cli_pdf.h).  Each page is drawn
 * into a cairo recording surface; pdf_close replays them into the PDF
 * with "page n of N" under each, so the file is written only once the
 * whole document has laid out, and a failure leaves nothing behind.
 * Every text goes through lay(), which refuses a character that no
 * installed font has: on paper it would be a box nobody can read.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cairo-pdf.h>
#include <fontconfig/fontconfig.h>
#include <pango/pangocairo.h>

#include "cli.h"
#include "cli_pdf.h"

#define TOP		PDF_MARGIN
#define BOTTOM		(PDF_PAGE_H - PDF_MARGIN)
#define TEXT_W		(PDF_PAGE_W - 2 * PDF_MARGIN)
#define CELL_PAD	3.0
#define PLOT_H		140.0	/* a chart's plot area */
#define AXIS_W		34.0	/* its scale, left of it */
#define SHOWN_MAX	40	/* characters of a text an error quotes */

#define F_TITLE		PDF_FONT " Bold 17"
#define F_SUBTITLE	PDF_FONT " 11"
#define F_HEADING	PDF_FONT " Bold 12"
#define F_BODY		PDF_FONT " 10"
#define F_CELL		PDF_FONT " 9"
#define F_CELL_HEAD	PDF_FONT " Bold 9"
#define F_CHART_TITLE	PDF_FONT " Bold 9.5"
#define F_SMALL		PDF_FONT " 7.5"

struct pdf {
	char			 path[4096];
	char			 title[256];	/* the PDF's metadata */
	cairo_surface_t		**pages;	/* recording surfaces */
	size_t			 npages;
	cairo_t			*cr;		/* drawing on the last */
	PangoLayout		*l;		/* the one layout, page to page */
	double			 y;
	bool			 failed;
	bool			 boxed;		/* pango laid out a box */
	struct pdf_column	 cols[PDF_MAX_COLS];	/* the table's */
	size_t			 ncols;
};

/*
 * The first character of text that neither font's family nor a fallback
 * has (0: none), looked up before the text is laid out: pango would lay
 * it out as a box and keep that box's fonts past the document.
 */
static gunichar
missing_char(struct pdf *p, const char *font, const char *text)
{
	PangoContext *ctx = pango_layout_get_context(p->l);
	PangoFontDescription *fd = pango_font_description_from_string(font);
	PangoFontset *fs;
	gunichar c = 0;

	fs = pango_font_map_load_fontset(pango_context_get_font_map(ctx), ctx,
	    fd, pango_context_get_language(ctx));
	pango_font_description_free(fd);
	if (fs == NULL)
		return g_utf8_get_char(text);
	for (const char *s = text; *s && c == 0; s = g_utf8_next_char(s)) {
		gunichar wc = g_utf8_get_char(s);
		PangoFont *f;

		/* A line break, a joiner, an accent: drawn with another
		 * character, or not at all. */
		if (g_unichar_iscntrl(wc) || g_unichar_iszerowidth(wc))
			continue;
		f = pango_fontset_get_font(fs, wc);
		if (f == NULL || !pango_font_has_char(f, wc))
			c = wc;
		if (f != NULL)
			g_object_unref(f);
	}
	g_object_unref(fs);
	return c;
}

/* The first character pango laid out as a box: its "unknown glyph"
 * carries the character. */
static gunichar
first_unknown(PangoLayout *l)
{
	PangoLayoutIter *it = pango_layout_get_iter(l);
	gunichar c = 0;

	do {
		PangoLayoutRun *run = pango_layout_iter_get_run_readonly(it);

		for (int i = 0; run != NULL && c == 0 &&
		    i < run->glyphs->num_glyphs; i++) {
			PangoGlyph g = run->glyphs->glyphs[i].glyph;

			if (g & PANGO_GLYPH_UNKNOWN_FLAG)
				c = g & ~PANGO_GLYPH_UNKNOWN_FLAG;
		}
	} while (c == 0 && pango_layout_iter_next_run(it));
	pango_layout_iter_free(it);
	return c;
}

/* The document fails: why, with the text quoted (its first characters),
 * once; everything after is skipped and pdf_close writes nothing. */
static void
fail(struct pdf *p, const char *why, const char *text)
{
	char shown[SHOWN_MAX * 4 + 1];

	if (p->failed)
		return;
	p->failed = true;
	if (g_utf8_validate(text, -1, NULL))
		g_utf8_strncpy(shown, text, SHOWN_MAX);
	else
		snprintf(shown, sizeof(shown), "%s", "?");
	fprintf(stderr, _("desk: %s: %s, in \"%s%s\": no PDF written\n"),
	    p->path, why, shown, strlen(shown) < strlen(text) ? "..." : "");
}

/* No installed font has c. */
static void
tofu(struct pdf *p, gunichar c, const char *text)
{
	char why[96];

	snprintf(why, sizeof(why), _("no installed font has U+%04X "
	    "(fonts-noto-cjk has the Chinese ones)"), (unsigned)c);
	fail(p, why, text);
}

/*
 * Lays text out in font, width wide (0: one line as long as it is), and
 * returns its height; 0 once the document has failed.  A character no
 * installed font has fails it: the PDF would show a box for it.
 */
static double
lay(struct pdf *p, const char *font, double width, PangoAlignment align,
    const char *text)
{
	PangoFontDescription *fd;
	gunichar c;
	int w, h;

	if (p->failed)
		return 0;
	if (!g_utf8_validate(text, -1, NULL)) {
		fail(p, _("a text is not UTF-8"), text);
		return 0;
	}
	if ((c = missing_char(p, font, text)) != 0) {
		tofu(p, c, text);
		return 0;
	}
	fd = pango_font_description_from_string(font);
	pango_layout_set_font_description(p->l, fd);
	pango_font_description_free(fd);
	pango_layout_set_width(p->l, width > 0 ? (int)(width * PANGO_SCALE) :
	    -1);
	pango_layout_set_alignment(p->l, align);
	pango_layout_set_text(p->l, text, -1);
	/* What pango still draws as a box (an accent no font has). */
	if (pango_layout_get_unknown_glyphs_count(p->l) > 0) {
		p->boxed = true;
		tofu(p, first_unknown(p->l), text);
		return 0;
	}
	pango_layout_get_size(p->l, &w, &h);
	return (double)h / PANGO_SCALE;
}

/* Draws what lay() laid out last, its top left at x, y. */
static void
show(struct pdf *p, double x, double y)
{
	if (p->failed)
		return;
	cairo_set_source_rgb(p->cr, 0, 0, 0);
	cairo_move_to(p->cr, x, y);
	pango_cairo_show_layout(p->cr, p->l);
}

/* The layout draws on cr from now on (a new page, or the PDF itself),
 * measuring as a PDF does: unhinted. */
static void
draw_on(struct pdf *p, cairo_t *cr)
{
	cairo_font_options_t *fo;

	if (p->cr != NULL)
		cairo_destroy(p->cr);
	p->cr = cr;
	if (p->l == NULL) {
		p->l = pango_cairo_create_layout(cr);
		pango_layout_set_wrap(p->l, PANGO_WRAP_WORD_CHAR);
		fo = cairo_font_options_create();
		cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
		cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
		pango_cairo_context_set_font_options(
		    pango_layout_get_context(p->l), fo);
		cairo_font_options_destroy(fo);
	}
	pango_cairo_update_layout(cr, p->l);
}

static void
new_page(struct pdf *p)
{
	cairo_rectangle_t a4 = { 0, 0, PDF_PAGE_W, PDF_PAGE_H };
	cairo_surface_t *s;

	s = cairo_recording_surface_create(CAIRO_CONTENT_COLOR_ALPHA, &a4);
	p->pages = cli_xreallocarray(p->pages, p->npages + 1,
	    sizeof(*p->pages));
	p->pages[p->npages++] = s;
	draw_on(p, cairo_create(s));
	p->y = TOP;
}

/* Room for h more points on this page, or the next page (a block taller
 * than a page starts at its top and runs over the margin). */
static void
need(struct pdf *p, double h)
{
	if (p->y + h > BOTTOM && p->y > TOP)
		new_page(p);
}

struct pdf *
pdf_open(const char *path, const char *const *title, size_t n)
{
	struct pdf *p = cli_xcalloc(1, sizeof(*p));
	double h;

	snprintf(p->path, sizeof(p->path), "%s", path);
	snprintf(p->title, sizeof(p->title), "%s", n > 0 ? title[0] : "");
	new_page(p);
	for (size_t i = 0; i < n; i++) {
		h = lay(p, i == 0 ? F_TITLE : F_SUBTITLE, TEXT_W,
		    PANGO_ALIGN_CENTER, title[i]);
		show(p, PDF_MARGIN, p->y);
		p->y += h + (i == 0 ? 4 : 2);
	}
	p->y += 14;
	return p;
}

void
pdf_heading(struct pdf *p, const char *text)
{
	double h = lay(p, F_HEADING, TEXT_W, PANGO_ALIGN_LEFT, text);

	/* Never alone at the foot of a page: a few lines' room under it. */
	need(p, h + 8 + 60);
	p->y += 8;
	show(p, PDF_MARGIN, p->y);
	p->y += h + 5;
}

void
pdf_paragraph(struct pdf *p, const char *fmt, ...)
{
	va_list ap;
	char *text;
	double h;

	va_start(ap, fmt);
	text = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	h = lay(p, F_BODY, TEXT_W, PANGO_ALIGN_LEFT, text);
	g_free(text);
	need(p, h);
	show(p, PDF_MARGIN, p->y);
	p->y += h + 4;
}

/* Column i's left edge and width. */
static void
column(const struct pdf *p, size_t i, double *x, double *w)
{
	double total = 0, before = 0;

	for (size_t c = 0; c < p->ncols; c++) {
		total += p->cols[c].width;
		if (c < i)
			before += p->cols[c].width;
	}
	*x = PDF_MARGIN + TEXT_W * before / total;
	*w = TEXT_W * p->cols[i].width / total;
}

/* One cell's text laid out in its column; its height. */
static double
lay_cell(struct pdf *p, size_t i, const char *font, const char *text)
{
	double x, w;

	column(p, i, &x, &w);
	return lay(p, font, w - 2 * CELL_PAD, p->cols[i].number ?
	    PANGO_ALIGN_RIGHT : PANGO_ALIGN_LEFT, text ? text : "");
}

static double
row_height(struct pdf *p, const char *const *cells, const char *font)
{
	double h = 0;

	for (size_t i = 0; i < p->ncols; i++) {
		double ch = lay_cell(p, i, font, cells[i]);

		if (ch > h)
			h = ch;
	}
	return h + 2 * CELL_PAD;
}

/* A row at y, boxed; the header's shaded. */
static void
draw_row(struct pdf *p, const char *const *cells, const char *font,
    bool header)
{
	double h = row_height(p, cells, font), x, w;

	for (size_t i = 0; i < p->ncols && !p->failed; i++) {
		column(p, i, &x, &w);
		cairo_rectangle(p->cr, x, p->y, w, h);
		if (header) {
			cairo_set_source_rgb(p->cr, 0.88, 0.9, 0.93);
			cairo_fill_preserve(p->cr);
		}
		cairo_set_source_rgb(p->cr, 0.3, 0.3, 0.3);
		cairo_set_line_width(p->cr, 0.5);
		cairo_stroke(p->cr);
		lay_cell(p, i, font, cells[i]);
		show(p, x + CELL_PAD, p->y + CELL_PAD);
	}
	p->y += h;
}

static void
table_header(struct pdf *p)
{
	const char *head[PDF_MAX_COLS];

	for (size_t i = 0; i < p->ncols; i++)
		head[i] = p->cols[i].header;
	draw_row(p, head, F_CELL_HEAD, true);
}

void
pdf_table(struct pdf *p, const struct pdf_column *cols, size_t n)
{
	const char *head[PDF_MAX_COLS];

	p->ncols = n < PDF_MAX_COLS ? n : PDF_MAX_COLS;
	memcpy(p->cols, cols, p->ncols * sizeof(*cols));
	for (size_t i = 0; i < p->ncols; i++)
		head[i] = p->cols[i].header;
	/* The header with a row or two under it, not alone. */
	need(p, row_height(p, head, F_CELL_HEAD) + 40);
	table_header(p);
}

void
pdf_row(struct pdf *p, const char *const *cells)
{
	/* Past the page: the rest on the next, under the header again. */
	if (p->y + row_height(p, cells, F_CELL) > BOTTOM) {
		new_page(p);
		table_header(p);
	}
	draw_row(p, cells, F_CELL, false);
}

void
pdf_table_end(struct pdf *p)
{
	p->ncols = 0;
	p->y += 10;
}

/* The scale's step, 1, 2 or 5 times a power of ten, and its top: at most
 * 5 steps up to max or above. */
static void
scale(double max, double *top, double *step)
{
	static const double next[] = { 2, 2.5, 2 };	/* 1 2 5 10 20 50 ... */
	double s = 1;
	int n;

	for (int i = 0; s * 5 < max; i++)
		s *= next[i % 3];
	n = (int)(max / s);
	if (n * s < max)
		n++;
	*step = s;
	*top = (n > 0 ? n : 1) * s;
}

/* A chart's frame: where it plots, and how high its top value is. */
struct plot {
	double	x, y, w, h;
	double	top;
	double	slot;		/* the width a label has */
};

static double
plot_y(const struct plot *pl, double v)
{
	return pl->y + pl->h - v / pl->top * pl->h;
}

/* Every step-th label's tallest height, each slot wide. */
static double
labels_height(struct pdf *p, const struct pdf_chart *c, double slot,
    size_t step)
{
	double h = 0;

	for (size_t i = 0; i < c->n; i += step) {
		double lh = lay(p, F_SMALL, slot, PANGO_ALIGN_CENTER,
		    c->labels[i]);

		if (lh > h)
			h = lh;
	}
	return h;
}

/*
 * The chart's title, its scale and grid, on one page with the labels
 * every step-th point shows; false when it has no values (said in a
 * line instead).
 */
static bool
chart_frame(struct pdf *p, const struct pdf_chart *c, size_t step,
    struct plot *pl)
{
	double max = c->has_target ? c->target : 0, th, lh, step_v;
	char num[32];

	if (c->n == 0) {
		pdf_paragraph(p, "%s: 无数据 No data", c->title);
		return false;
	}
	for (size_t i = 0; i < c->n; i++)
		if (c->values[i] > max)
			max = c->values[i];
	pl->x = PDF_MARGIN + AXIS_W;
	pl->w = TEXT_W - AXIS_W;
	pl->h = PLOT_H;
	pl->slot = pl->w / (double)c->n;
	scale(max, &pl->top, &step_v);
	lh = labels_height(p, c, pl->slot * (double)step, step);
	th = lay(p, F_CHART_TITLE, TEXT_W, PANGO_ALIGN_CENTER, c->title);
	need(p, 6 + th + 14 + pl->h + 4 + lh + 12);
	p->y += 6;
	show(p, PDF_MARGIN, p->y);
	pl->y = p->y + th + 14;
	for (double v = 0; v <= pl->top + step_v / 2; v += step_v) {
		double yy = plot_y(pl, v), nh;

		cairo_set_source_rgb(p->cr, 0.85, 0.85, 0.85);
		cairo_set_line_width(p->cr, 0.4);
		cairo_move_to(p->cr, pl->x, yy);
		cairo_line_to(p->cr, pl->x + pl->w, yy);
		cairo_stroke(p->cr);
		snprintf(num, sizeof(num), "%g%s", v, c->unit);
		nh = lay(p, F_SMALL, AXIS_W - 4, PANGO_ALIGN_RIGHT, num);
		show(p, PDF_MARGIN, yy - nh / 2);
	}
	cairo_set_source_rgb(p->cr, 0.3, 0.3, 0.3);
	cairo_set_line_width(p->cr, 0.8);
	cairo_move_to(p->cr, pl->x, pl->y);
	cairo_line_to(p->cr, pl->x, pl->y + pl->h);
	cairo_line_to(p->cr, pl->x + pl->w, pl->y + pl->h);
	cairo_stroke(p->cr);
	for (size_t i = 0; i < c->n; i += step) {
		double w = pl->slot * (double)step;

		lay(p, F_SMALL, w, PANGO_ALIGN_CENTER, c->labels[i]);
		show(p, pl->x + ((double)i + 0.5) * pl->slot - w / 2,
		    pl->y + pl->h + 4);
	}
	p->y = pl->y + pl->h + 4 + lh + 12;
	return true;
}

/* A value written above the point at x, y. */
static void
value_label(struct pdf *p, const struct plot *pl, const char *unit,
    double v, double x, double y)
{
	char num[32];
	double h;

	snprintf(num, sizeof(num), v == (double)(long long)v ? "%.0f%s" :
	    "%.1f%s", v, unit);
	h = lay(p, F_SMALL, pl->slot, PANGO_ALIGN_CENTER, num);
	show(p, x - pl->slot / 2, y - h - 1);
}

void
pdf_bar_chart(struct pdf *p, const struct pdf_chart *c)
{
	struct plot pl;

	if (!chart_frame(p, c, 1, &pl))
		return;
	for (size_t i = 0; i < c->n && !p->failed; i++) {
		double bw = pl.slot * 0.6 < 40 ? pl.slot * 0.6 : 40;
		double cx = pl.x + ((double)i + 0.5) * pl.slot;
		double top = plot_y(&pl, c->values[i]);

		cairo_set_source_rgb(p->cr, 0.33, 0.49, 0.7);
		cairo_rectangle(p->cr, cx - bw / 2, top, bw,
		    pl.y + pl.h - top);
		cairo_fill(p->cr);
		value_label(p, &pl, c->unit, c->values[i], cx, top);
	}
}

void
pdf_line_chart(struct pdf *p, const struct pdf_chart *c)
{
	/* A month's days: every second or third one named, not crowded. */
	size_t step = (c->n + 15) / 16;
	struct plot pl;
	double ty, h;

	if (!chart_frame(p, c, step ? step : 1, &pl))
		return;
	if (c->has_target) {
		static const double dash[] = { 4, 3 };

		ty = plot_y(&pl, c->target);
		cairo_set_source_rgb(p->cr, 0.75, 0.15, 0.15);
		cairo_set_line_width(p->cr, 0.9);
		cairo_set_dash(p->cr, dash, 2, 0);
		cairo_move_to(p->cr, pl.x, ty);
		cairo_line_to(p->cr, pl.x + pl.w, ty);
		cairo_stroke(p->cr);
		cairo_set_dash(p->cr, NULL, 0, 0);
		h = lay(p, F_SMALL, pl.w - 4, PANGO_ALIGN_RIGHT,
		    c->target_label ? c->target_label : "");
		show(p, pl.x, ty - h - 1);
	}
	cairo_set_source_rgb(p->cr, 0.33, 0.49, 0.7);
	cairo_set_line_width(p->cr, 1.4);
	cairo_new_path(p->cr);	/* not from where the last text ended */
	for (size_t i = 0; i < c->n; i++)
		cairo_line_to(p->cr, pl.x + ((double)i + 0.5) * pl.slot,
		    plot_y(&pl, c->values[i]));
	cairo_stroke(p->cr);
	for (size_t i = 0; i < c->n && !p->failed; i++) {
		double x = pl.x + ((double)i + 0.5) * pl.slot;
		double y = plot_y(&pl, c->values[i]);

		cairo_set_source_rgb(p->cr, 0.33, 0.49, 0.7);
		cairo_new_path(p->cr);
		cairo_arc(p->cr, x, y, 2, 0, 2 * G_PI);
		cairo_fill(p->cr);
		/* Each value written when there is room for it. */
		if (step == 1)
			value_label(p, &pl, c->unit, c->values[i], x, y - 2);
	}
}

void
pdf_signatures(struct pdf *p, const char *const *roles, size_t n)
{
	double colw = TEXT_W / (double)(n ? n : 1), h = 0, line_y;

	/* Room to sign above each line, the role under it. */
	need(p, 90);
	line_y = p->y + 50;
	cairo_set_source_rgb(p->cr, 0, 0, 0);
	cairo_set_line_width(p->cr, 0.6);
	for (size_t i = 0; i < n && !p->failed; i++) {
		double x = PDF_MARGIN + colw * (double)i;
		double rh = lay(p, F_BODY, colw - 16, PANGO_ALIGN_CENTER,
		    roles[i]);

		cairo_move_to(p->cr, x + 8, line_y);
		cairo_line_to(p->cr, x + colw - 8, line_y);
		cairo_stroke(p->cr);
		show(p, x + 8, line_y + 4);
		if (rh > h)
			h = rh;
	}
	p->y = line_y + 4 + h + 10;
}

static cairo_status_t
write_to(void *f, const unsigned char *data, unsigned int len)
{
	return fwrite(data, 1, len, f) == len ? CAIRO_STATUS_SUCCESS :
	    CAIRO_STATUS_WRITE_ERROR;
}

/* Page n of N at the foot of the page cr draws on. */
static void
footer(struct pdf *p, size_t n)
{
	char text[160];

	snprintf(text, sizeof(text), "第 %zu 页 / 共 %zu 页    Page %zu of %zu",
	    n, p->npages, n, p->npages);
	lay(p, F_SMALL, TEXT_W, PANGO_ALIGN_CENTER, text);
	show(p, PDF_MARGIN, PDF_PAGE_H - PDF_MARGIN / 2);
}

/* The pages into a file beside path, renamed to it once whole. */
static int
write_pdf(struct pdf *p)
{
	char tmp[sizeof(p->path) + 8];
	cairo_surface_t *s;
	cairo_status_t st;
	FILE *f = NULL;
	mode_t um;
	int fd, rc = 0;

	snprintf(tmp, sizeof(tmp), "%s.XXXXXX", p->path);
	if ((fd = mkstemp(tmp)) == -1 || (f = fdopen(fd, "wb")) == NULL) {
		fprintf(stderr, _("desk: %s: cannot write the PDF: %s\n"),
		    p->path, strerror(errno));
		if (fd != -1) {
			close(fd);
			unlink(tmp);
		}
		return -1;
	}
	/* As any file written: 0666 less the umask (mkstemp's is 0600). */
	um = umask(0);
	umask(um);
	fchmod(fd, 0666 & ~um);
	s = cairo_pdf_surface_create_for_stream(write_to, f, PDF_PAGE_W,
	    PDF_PAGE_H);
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, p->title);
	draw_on(p, cairo_create(s));
	for (size_t i = 0; i < p->npages && !p->failed; i++) {
		cairo_set_source_surface(p->cr, p->pages[i], 0, 0);
		cairo_paint(p->cr);
		footer(p, i + 1);
		cairo_show_page(p->cr);
	}
	cairo_destroy(p->cr);
	p->cr = NULL;
	cairo_surface_finish(s);
	st = cairo_surface_status(s);
	cairo_surface_destroy(s);
	if (fclose(f) != 0 && st == CAIRO_STATUS_SUCCESS)
		st = CAIRO_STATUS_WRITE_ERROR;
	if (p->failed)
		rc = -1;
	else if (st != CAIRO_STATUS_SUCCESS) {
		fprintf(stderr, _("desk: %s: cannot write the PDF: %s\n"),
		    p->path, cairo_status_to_string(st));
		rc = -1;
	} else if (rename(tmp, p->path) == -1) {
		fprintf(stderr, _("desk: %s: cannot write the PDF: %s\n"),
		    p->path, strerror(errno));
		rc = -1;
	}
	if (rc != 0)
		unlink(tmp);
	return rc;
}

int
pdf_close(struct pdf *p)
{
	int rc;

	rc = p->failed ? -1 : write_pdf(p);
	if (p->cr != NULL)
		cairo_destroy(p->cr);
	g_object_unref(p->l);
	for (size_t i = 0; i < p->npages; i++)
		cairo_surface_destroy(p->pages[i]);
	free(p->pages);
	/* A box laid out keeps its fonts in pango's cache, which cairo
	 * would find still in use: left to the exit that follows. */
	if (!p->boxed)
		pdf_release_fonts();
	free(p);
	return rc;
}

static gint font_map_gone;

/* Run as the font map's data is cleared: the last step of finalizing. */
static void
font_map_finalized(gpointer data)
{
	(void)data;
	g_atomic_int_set(&font_map_gone, 1);
}

void
pdf_release_fonts(void)
{
	PangoFontMap *fm = pango_cairo_font_map_get_default();

	/*
	 * pango sorts the fallback fonts in a worker thread that holds the
	 * font map, and its fonts hold cairo's: the caches are reset once it
	 * has let go (cairo asserts on fonts still in use), else they stay
	 * till the exit, as they would without this.
	 */
	g_atomic_int_set(&font_map_gone, 0);
	g_object_set_data_full(G_OBJECT(fm), "desk-pdf-gone", &font_map_gone,
	    font_map_finalized);
	pango_cairo_font_map_set_default(NULL);
	for (int ms = 0; ms < 2000 && !g_atomic_int_get(&font_map_gone); ms++)
		g_usleep(1000);
	if (!g_atomic_int_get(&font_map_gone))
		return;
	cairo_debug_reset_static_data();
	FcFini();
}
