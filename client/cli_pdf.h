/*
 * cli_pdf.h - printable A4 documents, laid out by pango on cairo in Noto
 * Sans CJK (fonts-noto-cjk): headings, paragraphs, tables that carry
 * their header onto the next page, bar and line charts, signature lines,
 * numbered pages.  Built in memory and written only when whole: a text
 * with a character no installed font has (a tofu box on paper) fails the
 * document, naming the text, and leaves no file behind.
 */
#ifndef DESK_CLI_PDF_H
#define DESK_CLI_PDF_H

#include <stdbool.h>
#include <stddef.h>

#include "deskd.pb-c.h"

/* A4 in points, and the margin (about 2 cm). */
#define PDF_PAGE_W	595.0
#define PDF_PAGE_H	842.0
#define PDF_MARGIN	56.0
#define PDF_FONT	"Noto Sans CJK SC"
#define PDF_MAX_COLS	8

struct pdf;

struct pdf_column {
	const char	*header;
	double		 width;		/* a share of the text's width */
	bool		 number;	/* right-aligned */
};

/* A chart's series: one value a label; a target drawn as a dashed line
 * across the line chart (has_target), e.g. the on-time rate's 100%. */
struct pdf_chart {
	const char		 *title;
	const char *const	 *labels;
	const double		 *values;
	size_t			  n;
	const char		 *unit;		/* after each value, "%"; or "" */
	bool			  has_target;
	double			  target;
	const char		 *target_label;
};

/* The document for path, its title lines centred on the first page (the
 * first large).  Exits on no memory, as the desk does. */
struct pdf	*pdf_open(const char *path, const char *const *title, size_t n);
void	 pdf_heading(struct pdf *, const char *);
void	 pdf_paragraph(struct pdf *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
/* A table: its columns (kept until pdf_table_end), then row by row, one
 * cell a column. */
void	 pdf_table(struct pdf *, const struct pdf_column *, size_t n);
void	 pdf_row(struct pdf *, const char *const *cells);
void	 pdf_table_end(struct pdf *);
void	 pdf_bar_chart(struct pdf *, const struct pdf_chart *);
void	 pdf_line_chart(struct pdf *, const struct pdf_chart *);
/* Lines to sign on, one a role ("制表 Prepared by"), side by side. */
void	 pdf_signatures(struct pdf *, const char *const *roles, size_t n);
/* Writes the file (numbering the pages) unless something failed; 0, or -1
 * after saying why on stderr, with no file left at path.  Frees the
 * document either way. */
int	 pdf_close(struct pdf *);
/* Gives back the font caches a finished document leaves, so that a leak
 * checker sees only what is really lost. */
void	 pdf_release_fonts(void);

/* The documents (cli_report_pdf.c): C8's monthly complaint report
 * (部门客户投诉工作月报) for the department dept_title ("" none), and the
 * month's compliance ledger (服务合规台账).  0, or -1 after saying why. */
int	cli_report_pdf(const Deskd__ComplaintReportReply *,
	    const char *dept_title, const char *path);
int	cli_ledger_pdf(const Deskd__LedgerReply *, const char *path);
/* What the terminal's report and the document both compute: the count of
 * key in a tally (0 when it has none), and the satisfaction scores' mean
 * (C4; false when nobody scored). */
uint64_t report_count_of(Deskd__TallyCount *const *, size_t n,
	    const char *key);
bool	report_satisfaction_mean(const Deskd__ComplaintPeriod *, double *);

#endif
