/*
 * register.h - the front-desk registers (E1-E5, E7) on one generic path.
 * Each register is one row of a table (register_rules.c): its kind name,
 * its protobuf message, which fields the paper form requires, its states,
 * its actions and the few rules of its own.  register.c does the rest for
 * every register alike, by walking the message's descriptor: validation,
 * ids and stamps, storage, events, replies.
 *
 * In every register's message, fields 1-49 are what the desk writes on the
 * form and fields 50 and up are deskd's (id, state, the stamps).
 */
#ifndef DESKD_REGISTER_H
#define DESKD_REGISTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ctx.h"
#include "kind.h"

/* The first field number deskd sets; below it, the desk's. */
#define REG_SERVER_FIELDS	50

struct reg_def;

/* What a register's rule sees: the entry as it is about to be stored (a
 * rule may fill computed fields), and for a step the entry as it was. */
struct reg_op {
	struct apply_ctx		*ctx;
	const struct reg_def		*def;
	ProtobufCMessage		*entry;
	const ProtobufCMessage		*old;		/* NULL on add */
	const Deskd__RegisterStep	*step;		/* NULL on add */
	uint64_t			 id;
};

/* A check reads but never writes (it may refuse); an effect runs after
 * the entry and its event are written (clocks, linked entries). */
typedef Deskd__Status	(*reg_check_fn)(struct reg_op *);
typedef void		(*reg_effect_fn)(struct reg_op *);

#define REG_NEED_PERSON	0x1
#define REG_NEED_TEXT	0x2

/* The most actions a register has (an imported row's path to its state
 * is at most as long). */
#define REG_ACTIONS_MAX	8

struct reg_action {
	const char	*name;		/* "out", "approve", "use" */
	const char	*from;		/* states it starts from: "a b" */
	const char	*to;		/* the state after it */
	const char	*event;		/* event type KIND.EVENT */
	const char	*stamp_ms;	/* set to now, or NULL */
	const char	*stamp_by;	/* set to the actor, or NULL */
	const char	*person;	/* the step's person goes here, or NULL */
	const char	*text;		/* the step's text goes here, or NULL */
	unsigned	 need;		/* REG_NEED_* */
	bool		 approve;	/* the duty officer's (E1) */
	reg_check_fn	 check;
	reg_effect_fn	 effect;
};

struct reg_def {
	enum record_kind	 rec;		/* the kind's name is its
						 * record_kind_name, or name */
	const ProtobufCMessageDescriptor *d;
	const char		*rules;		/* "E2, E3" */
	const char		*required;	/* "name unit ...": the form's */
	const char		*summary;	/* fields an event's summary shows */
	const char		*added;		/* the add's event: KIND.ADDED */
	const char		*start;		/* a new entry's state */
	const char		*open;		/* open states: "inside" */
	const char		*secret;	/* sealed + masked field (E6) */
	const char		*unique;	/* no two open entries share it */
	const char		*timed;		/* E2: seconds field a report counts */
	reg_check_fn		 check;
	reg_effect_fn		 effect;
	const struct reg_action	*actions;
	size_t			 nactions;
	const char		*ends;		/* time field past which an
						 * open entry is no longer
						 * current (E5: valid_to_ms) */
	const char		*linked;	/* states another entry's add
						 * sets (E5: renewed) */
	const char		*name;		/* a register numbered since
						 * (26 on): its kind's name;
						 * NULL: record_kind_name */
	/* Who adds and steps its entries; 0: OP_REGISTER_WRITE. */
	enum perm_op		 write_op;
	/* Entries deskd makes itself (a plan's tasks): no desk adds or
	 * imports one, steps are the area's own requests. */
	bool			 made_by_deskd;
};

/* An entry fit to send: a copy without the sealed bytes (E6). */
ProtobufCMessage *register_public(struct apply_ctx *, ProtobufCMessage *);
/* The kind hooks of every register (register_rules.c describes them): a
 * row of a register's file as its add (H3); an entry as any reply shows
 * it, its sealed number masked (E6). */
Deskd__Status	 register_import(struct apply_ctx *, const struct kind *,
		    ProtobufCMessage *, bool dry, uint64_t *id);
Deskd__Status	 register_shown(struct apply_ctx *, const struct kind *,
		    ProtobufCMessage **, bool unmasked);
/* A register's kind of record, described from its row (an area's
 * kind_at fills one slot per row, at registration). */
void		 reg_kind_fill(struct kind *, const struct reg_def *);
/* The same for an area keeping a table of rows: the i-th row's kind in
 * slots (one per row, described on first use), NULL past the last. */
const struct kind *reg_kind_at(struct kind *slots,
		    const struct reg_def *const *defs, size_t n, size_t i);
/* An entry deskd makes (a plan's task): checked and written as a desk's
 * add would be, by the request's actor; *out is the entry stored. */
Deskd__Status	 reg_add_made(struct apply_ctx *, const struct reg_def *,
		    ProtobufCMessage *in, ProtobufCMessage **out);
/* Whether reg_add_made would take it, writing nothing (or ctx_fail). */
Deskd__Status	 reg_add_made_check(struct apply_ctx *, const struct reg_def *,
		    ProtobufCMessage *in);
/* The register of a record kind, or NULL. */
const struct reg_def	*reg_def_of(enum record_kind);
/* register_rules.c: the table. */
const struct reg_def	*reg_def_find(const char *kind);
size_t			 reg_def_count(void);
const struct reg_def	*reg_def_at(size_t);
const char		*reg_kind(const struct reg_def *);

/* register.c: fields by name, for the rules. */
const char	*reg_str(const ProtobufCMessage *, const char *field);
void		 reg_set_str(ProtobufCMessage *, const char *field,
		    const char *);
int64_t		 reg_int(const ProtobufCMessage *, const char *field);
void		 reg_set_int(ProtobufCMessage *, const char *field, int64_t);
bool		 reg_word_in(const char *word, const char *words);
/* Every entry of a kind that keep() accepts (NULL: all), owned by ctx. */
ProtobufCMessage **reg_all(struct apply_ctx *, const struct reg_def *,
		    bool open_only, bool (*keep)(const ProtobufCMessage *,
		    const void *), const void *arg, size_t *n);
/* Write an entry of a kind (another than the op's: a renewed permit) with
 * its event KIND.EVENT. */
void		 reg_store(struct apply_ctx *, const struct reg_def *,
		    ProtobufCMessage *, const char *event, const char *text);
/* A shallow copy owned by ctx: its strings stay the original's. */
ProtobufCMessage *reg_copy(struct apply_ctx *, const ProtobufCMessage *);

/* The registers' deadline clocks ([clocks] keys, register_rules.c): E4
 * the key cabinet due for a count (RECORD_KEY_COUNT, id 0; monthly) and a
 * key out too long; E5 a parking permit about to expire (the span is how
 * long before); E7 hot work past its permitted window (the deadline is the
 * window's end). */
#define CLOCK_KEY_RECONCILE		"key.reconcile_due"
#define CLOCK_KEY_OUT			"key.out_too_long"
#define CLOCK_PARKING_EXPIRY		"parking.expiring"
#define CLOCK_HOTWORK_OVERRUN		"hotwork.overrun"

#endif
