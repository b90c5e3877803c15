/*
 * request.h - one request an area serves, as dispatch finds it (area.h
 * lists them by area; kind.c's generic handlers read their row).
 */
#ifndef DESKD_REQUEST_H
#define DESKD_REQUEST_H

#include <stdbool.h>

#include "ctx.h"
#include "perm.h"

struct kind;

/* Where the desk must be for a request: logged in unless said. */
enum request_need {
	NEED_READY = 0,
	NEED_HELLO,		/* the first request, before anything */
	NEED_LOGIN,		/* after Hello, not logged in */
};

/* One request the area serves: dispatch's row for its body case. */
struct request_row {
	Deskd__Request__BodyCase body;
	const char		*name;		/* in refusals and logs */
	enum request_need	 need;
	enum perm_op		 op;
	/* The permission a particular request needs instead of op (a step
	 * only a director takes, an import of another kind); NULL: op. */
	enum perm_op		(*op_of)(const Deskd__Request *, enum perm_op);
	check_fn		 check;		/* pure validation, may be NULL */
	prepare_fn		 prepare;	/* worker jobs, may be NULL */
	apply_fn		 apply;
	/* Nothing more is read from the desk until it is answered: it
	 * changes who the conn is or waits for the worker. */
	bool			 holds_input;
	/* At most one of a connection's in a group commit (an import
	 * batch): the desks' requests are served between them (H3). */
	bool			 one_per_commit;
	/* The kind a generic handler (kind_get_apply, ...) serves. */
	const struct kind	*kind;
};

/* A row's first fields: { REQUEST(COMPLAINT_NEW, "complaint new"), ... } */
#define REQUEST(body_, name_)	.body = DESKD__REQUEST__BODY_##body_, \
	.name = (name_)

#ifndef nitems
#define nitems(a)	(sizeof(a) / sizeof((a)[0]))
#endif

/* Spans of clock_rules, in ms. */
#define CLOCK_MINUTES(n)	((int64_t)(n) * 60 * 1000)
#define CLOCK_HOURS(n)		CLOCK_MINUTES((n) * 60)
#define CLOCK_DAYS(n)		CLOCK_HOURS((n) * 24)

/*
 * A kind of deadline clock an area arms (deadline.h has the engine): its
 * name is its [clocks] key and is stored with every clock of the kind.
 */
struct clock_rule {
	const char	*name;
	const char	*rule;
	const char	*todo;		/* what the desk must do */
	int64_t		 span_ms;	/* the default span ([clocks] NAME) */
	int		 span_workdays;	/* > 0: in working days instead */
	/* Whom the breach is addressed to first; NULL: the desk. */
	const char	*role;
	/* No warning at 75 % of the span by default. */
	bool		 no_warning;
	/* A recurring clock does its own work at the deadline instead of
	 * raising an alert, and sets the clock's next deadline (next_ms 0:
	 * done), all in the same transaction; it returns 0, or 1 to raise
	 * the breach alert after all (only when the work is not done).
	 * NULL: the breach raises the alert. */
	int		(*fire)(struct apply_ctx *, Deskd__Clock *);
	/* In --help's list of clocks ("20m", ...), by help_rank; NULL: not
	 * listed. */
	const char	*help;
	int		 help_rank;
};

/* A string field's longest value (bytes), or a repeated field's most
 * entries, that an area's requests need other than the default. */
struct field_limit {
	const char	*field;
	size_t		 max;
};

/* What an event rule's per-record check finds (see event_rule). */
enum event_sight {
	EVENT_HIDDEN,		/* not for this subscriber */
	EVENT_SEEN,		/* as stored */
	EVENT_EDITED,		/* the check withheld part of it: send that */
};

/*
 * Who may receive an area's events (core/audience.c decides for push).
 * Every rule that covers an event's type must let the subscriber have it;
 * a type no rule covers needs OP_WATCH only, as subscribing does.
 */
struct event_rule {
	const char		*prefix;	/* of the types it covers */
	/* Or, for a family the area keeps in a table (the registers): whether
	 * it covers the type; prefix is then NULL. */
	bool			(*covers)(const char *type, size_t len);
	enum perm_op		 op;		/* needed to receive them */
	/* Not NULL: only for a subscriber that asked by a prefix containing
	 * this and matching the type (not "" or the kind's "KIND."). */
	const char		*asked;
	/* The roles that see some of these events only (not NULL with
	 * check): for them check decides each event, decoded; the others
	 * get it without a decode, the costly path. */
	bool			(*narrowed)(enum role);
	enum event_sight	(*check)(struct store_txn *, enum role,
				    const char *user, Deskd__Event *);
};

#endif
