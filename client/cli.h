/*
 * cli.h - what the desk command's files share: the invocation, connecting
 * and logging in, output helpers (CJK-aware columns, times, JSON).
 */
#ifndef DESK_CLI_H
#define DESK_CLI_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <getopt.h>
#include <jansson.h>

#include "desk.h"
#include "i18n.h"

struct cli {
	const char	*prog;
	char		 server[256];
	char		 ca[512];
	char		 user[64];	/* from the config file or DESK_USER */
	char		 token[160];	/* saved session token */
	char		 role[32];	/* as the last login said */
	char		 conf_dir[512];
	char		 conf_path[600];
	char		 session_path[600];
	/*
	 * Two passwords never share a flag (issue 12): --login-password-file
	 * is always the login's, --new-password-file the one a command sets;
	 * --password-file is the new one for such a command (user add,
	 * passwd: sets_password), else the login's.
	 */
	const char	*password_file;
	const char	*login_password_file;
	const char	*new_password_file;
	bool		 sets_password;
	bool		 json;
	int		 timeout_ms;
	struct desk	*d;
};

/* Each subcommand: argc/argv start at the subcommand's own name. */
typedef int (*cli_cmd_fn)(struct cli *, int argc, char **argv);

struct cli_cmd {
	const char	*name;
	cli_cmd_fn	 fn;
	const char	*summary;
};

/* Connect and, when login is true, authenticate (saved token, or DESK_USER
 * with --login-password-file / DESK_PASSWORD / --password-file, the last
 * unless the command sets a password).  Prints the error; returns the exit
 * code. */
int	cli_connect(struct cli *, bool login);
/* The last error of cli->d in the user's language (PROTOCOL.md 6.1):
 * valid until the next call. */
const char *cli_error(struct cli *);
/* A coded text (a refusal's, a schedule's problem, an import's rejected
 * row: PROTOCOL.md 6.1) said in the desk's language, in out (i18n_coded);
 * english when the catalog cannot say it. */
const char *cli_said(const char *code, const char *const *args,
	    size_t nargs, const char *english, char *out, size_t len);
/* Call and print the server's refusal if any; returns the exit code. */
int	cli_call(struct cli *, const Deskd__Request *, Deskd__Response **);
int	cli_save_config(struct cli *);

/* Helpers (cli_util.c) */
int	cli_usage(const char *usage, int rc);
int	cli_dispatch(struct cli *, const struct cli_cmd *, size_t n,
	    const char *group_usage, int argc, char **argv);
json_t	*cli_to_json(const ProtobufCMessage *);
void	 cli_print_json(json_t *);	/* one line; steals the reference */
int	 cli_width(const char *);	/* terminal columns of UTF-8 text */
/* Pad to width terminal columns, or cut to width ending in "…". */
void	 cli_cell(FILE *, const char *, int width);
/* The label of a code in a NULL-ended table of { code, N_() label }
 * pairs, translated; else the code itself (data). */
const char *cli_code_label(const char *const pairs[][2], const char *code);
/* A user's role as people read it ("clerk": 客服员), or as it came. */
const char *cli_role_label(const char *role);
/* w as people read it, when it is one of words (a NULL-ended table of
 * N_() texts: states, kinds); else w itself (data). */
const char *cli_word(const char *const *words, const char *w);
/* An event's summary in the desk's language, from its code and arguments
 * (PROTOCOL.md 6.1), else as the server wrote it (a new complaint's
 * category by the office's name); out holds it.  In cli_people.c, with
 * the names it looks up. */
const char *cli_event_summary(const Deskd__Event *, char *out, size_t len);
/* An alert's what-to-do in the desk's language: from its code and
 * arguments when it is made of figures (a quota of the ledger), else the
 * catalog's text; and a "needs me now" item's title (an alert's so, the
 * rest data).  out holds it. */
const char *cli_alert_message(const Deskd__Alert *, char *out, size_t len);
const char *cli_now_title(const Deskd__NowItem *, char *out, size_t len);
/* A table's column: cli_cell to width - 1, then the space that keeps it
 * off the next column, however long the text. */
void	 cli_column(FILE *, const char *, int width);
void	 cli_fmt_time(int64_t ms, char *, size_t);
int	 cli_parse_time(const char *, int64_t *ms);
int	 cli_parse_u64(const char *, uint64_t *);
/* Memory or the end: a command cannot go on without it ("desk: out of
 * memory", exit 2). */
void	*cli_xcalloc(size_t n, size_t size);
void	*cli_xreallocarray(void *, size_t n, size_t size);
int	 cli_read_password(const char *prompt, char *, size_t);
int	 cli_read_file_line(const char *path, char *, size_t);
bool	 cli_wants_help(int argc, char **argv);
/* Money as desks write it, "35", "35.5", "35.50" (yuan), in cents. */
int	 cli_parse_money(const char *, int64_t *cents);
void	 cli_fmt_money(int64_t cents, char *, size_t);
/* "2026-12" -> 202612; 0 when it is not a month (cli_schedule.c). */
uint32_t cli_parse_month(const char *);
/* The same for --month's argument, with the message; DESK_OK or
 * DESK_USAGE. */
int	 cli_month_arg(const char *, uint32_t *month);
/* A day "YYYY-MM-DD" in the one range of times (wire.h), kept as text:
 * 0, or -1 after saying what is wrong with --flag's value. */
int	 cli_day_arg(const char *flag, const char *);

/* The name a login is known by ("王芳" for wangfang; the login itself
 * when it has none), from the directory asked for once per process
 * (cli_people.c).  Needs the connection (cli_connect first). */
const char *cli_person_name(struct cli *, const char *login);
/* The connection cli_person_name(NULL, ...) asks on: set by cli_connect
 * once logged in, for what prints a record without the cli at hand. */
void	 cli_people_use(struct cli *);
/* The directory and the category names now, before a connection starts
 * streaming (desk watch). */
void	 cli_people_load(struct cli *);
/* The directory read again, now: a user added or renamed since it was
 * read is named as the directory says now (desk console, all shift). */
void	 cli_people_reload(struct cli *);
/* A complaint's category as the desk reads it: the office's name for the
 * code under a Chinese desk (噪音 for noise), the code otherwise or when
 * it has none; the categories asked for once per process, as the
 * directory is (cli NULL: cli_people_use's).  out holds the text. */
const char *cli_category_name(struct cli *, const char *code, char *out,
	    size_t len);

/* Subcommand groups */
int	cli_complaint(struct cli *, int, char **);
int	cli_user(struct cli *, int, char **);
int	cli_passwd(struct cli *, int, char **);
int	cli_watch(struct cli *, int, char **);
int	cli_console(struct cli *, int, char **);	/* console.c */
int	cli_now(struct cli *, int, char **);		/* cli_now.c */
/* What a NowItem is, as a desk reads it ("no engineer yet"; cli_now.c). */
const char *cli_now_kind(const Deskd__NowItem *);
/* cli_cell, with "…" where the text is cut (cli_now.c). */
void	cli_cell_cut(FILE *, const char *, int width);
/* Cell i of a row of n columns (cli_record.h), cut with "…" to its width
 * and, but for the last, a space after it. */
struct cli_col;
void	cli_col_cell(const struct cli_col *, size_t n, size_t i, const char *);
/* The row of their titles, translated, laid out as cli_col_cell does. */
void	cli_col_titles(const struct cli_col *, size_t n);
int	cli_repair(struct cli *, int, char **);
int	cli_fee(struct cli *, int, char **);
int	cli_categories(struct cli *, int, char **);
int	cli_alerts(struct cli *, int, char **);
int	cli_alert(struct cli *, int, char **);
int	cli_schedule(struct cli *, int, char **);
int	cli_handover(struct cli *, int, char **);
int	cli_request(struct cli *, int, char **);
int	cli_clock(struct cli *, int, char **);		/* cli_attendance.c */
int	cli_attendance(struct cli *, int, char **);
int	cli_log(struct cli *, int, char **);		/* cli_dutylog.c */
int	cli_spotcheck(struct cli *, int, char **);
/* cli_register.c: the front-desk registers (E1-E5, E7) */
/* visitor, permit-visitor, pass, key, parking: by the command's name */
int	cli_desk_group(struct cli *, int, char **);
int	cli_register(struct cli *, int, char **);
/* cli_fire.c: the fire-safety duties (G1-G5) */
int	cli_tasks(struct cli *, int, char **);
int	cli_task(struct cli *, int, char **);
int	cli_patrol(struct cli *, int, char **);
int	cli_equipment(struct cli *, int, char **);
/* cli_visit.c: household visits (F1, F4) */
int	cli_visit(struct cli *, int, char **);
/* The i-th register's kind and message (import, export); NULL past the
 * last. */
const ProtobufCMessageDescriptor *cli_register_kind(size_t i,
	    const char **kind);
/* cli_survey.c: `desk survey report ID`, the tally of a campaign (F3),
 * and `handout-all ID` (F2); verb is which. */
int	cli_survey(struct cli *, const char *verb, int, char **);
/* cli_notice.c: G3's rectification notice of a hazard, as text, as
 * JSON (its lines), or as a one-page PDF (0, or -1 after saying why). */
void	cli_notice_text(const Deskd__Hazard *, FILE *);
json_t	*cli_notice_json(const Deskd__Hazard *);
int	cli_notice_pdf(const Deskd__Hazard *, const char *path);
/* A one-page A4 PDF: a title of two lines, centred, and the body's lines
 * in `font` (a pango family with CJK glyphs: "Noto Sans CJK SC", or
 * "Noto Sans Mono CJK SC" for columns), at `size` points or smaller until
 * they fit.  0, or -1 after saying why. */
struct cli_page {
	const char		*title[2];
	const char *const	*lines;
	size_t			 n;
	const char		*font;
	int			 size;
	bool			 columns;	/* rows of a table: a smaller
						 * type rather than a wrap */
};
int	cli_page_pdf(const struct cli_page *, const char *path);
int	cli_unit(struct cli *, int, char **);		/* cli_archive.c */
int	cli_person(struct cli *, int, char **);
/* Registers in and out in bulk (issue 6; cli_bulk.h) */
int	cli_import(struct cli *, int, char **);		/* cli_import.c */
int	cli_report(struct cli *, int, char **);		/* cli_report.c */
int	cli_ledger(struct cli *, int, char **);		/* cli_ledger.c */
int	cli_export(struct cli *, int, char **);		/* cli_export.c */

#endif
