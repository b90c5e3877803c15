/*
 * area.h - what an area of the front desk (complaints, repairs, schedules,
 * registers, ...) tells the core about itself.  Each file in server/areas/
 * defines one `const struct area NAME_area` and nothing else public that
 * the core needs: dispatch, the deadline engine, the settings, push's
 * filter (audience.c) and import walk the registered areas instead of
 * naming them, so the core never calls up into an area and a new area is
 * one new file.
 *
 * The build lists the areas (CMakeLists.txt makes area_list.c from every
 * `const struct area X_area` in server/areas/); main.c registers them.
 */
#ifndef DESKD_AREA_H
#define DESKD_AREA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "ctx.h"
#include "kind.h"
#include "perm.h"
#include "request.h"

/*
 * One quota of the compliance ledger (issue 15) for one month, counted by
 * the area that keeps its records; the ledger (ledger.c) adds the
 * percentage, the forecast at the current rate and the status.
 */
struct quota {
	const char	*rule;		/* "F1" */
	const char	*what;		/* what is counted, English (the desk
					 * translates): "households visited" */
	uint64_t	 required;	/* this month, from the data */
	uint64_t	 done;
	int64_t		 due_ms;	/* to be met by then; 0: the month's end */
	bool		 once;		/* done at once by due_ms (a signature),
					 * not a little every day: on track
					 * until then */
	bool		 so_far;	/* required counts only what fell due
					 * so far (rounds): behind is at risk */
};

struct quota_rule {
	const char	*rule;
	/* Count the month (YYYYMM) into q, in ctx's transaction (read
	 * only); false: the quota does not apply to this month (F2 outside
	 * May and November). */
	bool		(*count)(struct apply_ctx *, uint32_t month,
			    struct quota *q);
};

/*
 * What needs a desk now (issue 16, now.c): the running clocks of a kind's
 * open records, each an item of the board.  The clocks listed become
 * items of their kind and rule; describe gives the record's words (its
 * title, unit, phone, post, state) and may name another kind for one
 * clock (an agreed call-back).  Alerts about a record of the kind are
 * described the same way (clock NULL).
 */
struct now_record;
struct now_list;

struct now_clock {
	const char	*clock;		/* "complaint.reply_due" */
	const char	*kind;		/* the item's: "complaint.reply" */
	const char	*rule;		/* "C2" */
};

struct now_rule {
	const struct kind	*kind;
	const struct now_clock	*clocks;
	size_t			 nclocks;
	void			(*describe)(struct apply_ctx *,
				    const ProtobufCMessage *,
				    const Deskd__Clock *, struct now_record *);
};

struct area {
	const char			*name;
	const struct request_row	*requests;
	size_t				 nrequests;
	/* Its deadline clocks, and what arms them when the engine starts
	 * (in the engine's transaction; NULL: nothing). */
	const struct clock_rule		*clocks;
	size_t				 nclocks;
	void				(*start)(struct apply_ctx *);
	/* Its sections of settings, registered with the config. */
	const struct config_section *const *settings;
	size_t				 nsettings;
	/* Field limits of its requests (validate.c). */
	const struct field_limit	*limits;
	size_t				 nlimits;
	const struct field_limit	*counts;
	size_t				 ncounts;
	/* The kinds of record it keeps, NULL-terminated; and for kinds
	 * made from the area's own table (the registers) the i-th or NULL. */
	const struct kind *const	*kinds;
	const struct kind		*(*kind_at)(size_t i);
	const struct event_rule		*events;
	size_t				 nevents;
	/* Its lines of the compliance ledger, in the ledger's order. */
	const struct quota_rule		*quotas;
	size_t				 nquotas;
	/* What needs a desk now (now.c): its open records' clocks, and
	 * items of its own (alerts, handovers) offered with now_offer. */
	const struct now_rule		*now;
	void				(*now_more)(struct apply_ctx *,
					    struct now_list *);
};

/* The areas the build found, NULL-terminated (area_list.c, generated). */
extern const struct area *const area_list[];

/* Register every area of a NULL-terminated list, and their settings
 * sections with the config; at start, once, before config_defaults.  A body
 * case served twice is a broken build: fatal. */
void	area_register_all(const struct area *const *);
/* The row serving a request's body, NULL when no area serves it. */
const struct request_row *area_request(Deskd__Request__BodyCase);
/* The permission this request needs (the row's op, or its op_of's). */
enum perm_op area_request_op(const struct request_row *,
	    const Deskd__Request *);
/* The kind of that import/export name (len bytes of it), or NULL. */
const struct kind *area_kind(const char *name, size_t len);
/* The kind stored as that record kind, or NULL. */
const struct kind *area_kind_of(enum record_kind);
/* The numbered kinds verify proves record by record (store.h's rules). */
const struct store_record_spec *area_record_specs(size_t *n);
/* Every kind, i from 0 until NULL. */
const struct kind *area_kind_nth(size_t i);
/*
 * May the actor make this request, as dispatch decides before a handler
 * runs?  For a step an import replays (issue 11): the same permission as
 * the desk's own command, or PERMISSION_DENIED with the reason in msg.
 */
Deskd__Status ctx_allows(struct apply_ctx *, const Deskd__Request *);
/* Every registered area in registration order: i from 0 until NULL. */
const struct area *area_nth(size_t i);

#endif
