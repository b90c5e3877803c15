/*
 * cli_record.h - what the record commands (complaint, repair) share.  A step
 * command is one table row: its name, its action, and the flags it takes,
 * each naming the field of the step message it fills.  The rest (show, list
 * pages, history, --help) is driven by the protobuf descriptors, so every
 * record kind prints and pages the same way.
 */
#ifndef DESK_CLI_RECORD_H
#define DESK_CLI_RECORD_H

#include "cli.h"
#include "fields.h"

enum cli_arg {
	ARG_TEXT,	/* a string, as given */
	ARG_DAY,	/* a string, a day in range (cli_day_arg) */
	ARG_TIME,	/* cli_parse_time, into an int64 ms field */
	ARG_SCORE,	/* 1 to 5, into a uint32 field */
	ARG_MONEY,	/* cli_parse_money, into an int64 cents field */
	ARG_COUNT,	/* a whole number from 1, into a uint32 field */
	ARG_ENUM,	/* a value of the field's enum, as a word ("repair") */
	ARG_FLAG,	/* no value: sets a bool field */
};

struct cli_flag {
	const char	*flag;		/* "next-reply-at" (NULL: unused) */
	const char	*field;		/* "next_reply_ms" in the message */
	enum cli_arg	 arg;
	const char	*meta;		/* TEXT, TIME, 1-5 in the usage line
					 * (shown with _(): mark it N_) */
	bool		 optional;	/* else required, and shown so */
};

#define CLI_FLAGS	10
/* B3: the post (desk) that follows a new record up at its handovers. */
#define CLI_POST	{ "post", "post", ARG_TEXT, N_("POST"), true }
#define CLI_POST_HELP N_( \
	"--post: the desk that follows it up (default: where you are on duty\n" \
	"by the published schedule, or the only post).\n")
/* The usual flag: free text into the step's `text`. */
#define CLI_TEXT(flag)	{ flag, "text", ARG_TEXT, N_("TEXT"), false }

/*
 * A command that sends one message filled from its flags: a step on a
 * record (`desk GROUP NAME ID --flag ...`, the step message with its id and
 * action), or the kind's `new` (no id; prints the new record's id).
 */
struct cli_step {
	const char	*name;
	int		 action;	/* a `new`: the kind, when not 0 */
	struct cli_flag	 flags[CLI_FLAGS];
	const char	*summary;
	const char	*help;		/* more lines of --help, or NULL */
};

/*
 * A column of a list: its heading (shown translated), width in terminal
 * columns, and the record's field it shows (times for *_ms, yuan for
 * *_cents, enums as words, a person's login -- *_by, engineer -- as the
 * name they are known by).  A cell is cut with "…" and keeps a space.
 */
struct cli_col {
	const char	*title;
	int		 width;
	const char	*field;
};

#define CLI_LIST_FLAGS	2
#define CLI_LIST_FILTERS 6

/* A list command: `desk ... list [--FLAG] [--limit N]`, paged by after_id. */
struct cli_list {
	const char	*usage;
	const ProtobufCMessageDescriptor *msg;	/* ComplaintList */
	Deskd__Request__BodyCase body;
	const char	*flags[CLI_LIST_FLAGS];	/* --open sets open_only */
	const struct cli_col *cols;
	size_t		 ncols;
};

/* One kind of record as the commands see it. */
struct cli_kind {
	const char	*group;		/* "complaint": `desk complaint ...` */
	const struct cli_step *new;	/* `desk GROUP new` */
	const ProtobufCMessageDescriptor *new_msg, *step, *get, *history;
	Deskd__Request__BodyCase new_body, step_body, get_body, history_body;
	Deskd__Response__BodyCase record_body;	/* the record in a reply */
	void		(*print)(const ProtobufCMessage *);
	const struct cli_list *list;
	/* Its list's flags with a value, each into a field of the request
	 * (--unit into unit, --from into from_day; ARG_TEXT or ARG_DAY), up
	 * to CLI_LIST_FILTERS, ended by one without a flag. */
	const struct cli_flag *filters;
};

/* Put a message in the Request's body oneof by its case (field number). */
void	cli_set_body(Deskd__Request *, Deskd__Request__BodyCase, void *msg);
/* The message in a Response's body oneof, or NULL. */
const ProtobufCMessage *cli_body(const Deskd__Response *);
/* "desk GROUP CMD: an id (a number) is required" on failure: -1. */
int	cli_parse_id(const struct cli_kind *, const char *cmd, const char *s,
	    uint64_t *id);
/* Call, and print the record of the reply (its id alone when id_only). */
int	cli_record_call(struct cli *, const struct cli_kind *,
	    const Deskd__Request *, bool id_only);
int	cli_list_cmd(struct cli *, const struct cli_list *, int, char **);
/* The same with filters (a cli_kind's), NULL for none. */
int	cli_list_filtered(struct cli *, const struct cli_list *,
	    const struct cli_flag *filters, int, char **);
/*
 * Page through a list request until done or `limit` records were shown:
 * each page's repeated field is printed row by row (JSON lines with --json)
 * and *after (NULL: one page only) follows the last element's `key` field.
 */
int	cli_list_pages(struct cli *, Deskd__Request *, uint64_t *after,
	    const char *key, uint64_t limit,
	    void (*row)(const ProtobufCMessage *, const void *), const void *);
/* cli_enum_label and cli_cell_text: fields.h */
/* One event as `desk ... history` prints it (a cli_list_pages row). */
void	cli_event_row(const ProtobufCMessage *, const void *);
/* One "label          value" line of a show. */
void	cli_field(const char *label, const char *value);
/* "recorded: TIME by WHO (revision N)", or for an imported record
 * "imported: ... from FILE, ref REF" and "reported as: AUTHOR, DATE". */
void	cli_recorded(const char *by, int64_t ms, uint32_t revision,
	    const char *file, const char *ref, const char *reported_by,
	    int64_t reported_ms);
void	cli_header(const struct cli_col *, size_t n);
/* `desk GROUP ...`: new, list, show, history and the step rows, with
 * --help. */
int	cli_record_group(struct cli *, const struct cli_kind *,
	    const struct cli_step *steps, size_t nsteps, int argc, char **argv);

#endif
