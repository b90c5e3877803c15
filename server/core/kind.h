/*
 * kind.h - a kind of record as the areas describe it to the core: where
 * it is stored, who may read and write it, how a bulk import checks a row
 * of it, who sees a stored one and what they are shown.  Import and
 * export, the generic Get, List and History, and verify walk these
 * descriptions (area.h); they name no area.
 */
#ifndef DESKD_KIND_H
#define DESKD_KIND_H

#include <stdbool.h>
#include <stddef.h>

#include "ctx.h"
#include "perm.h"
#include "store.h"

struct kind;

/*
 * Bulk import (H3): check a row's record as the kind's intake does and,
 * unless dry, store it with its event (KIND.imported); *id is the new
 * record's.  Refused: ctx_fail's message, nothing written.
 */
typedef Deskd__Status (*import_fn)(struct apply_ctx *, const struct kind *,
    ProtobufCMessage *, bool dry, uint64_t *id);

/*
 * A kind whose database is not keyed by id (the duty log: day + id;
 * attendance: shift + user) is paged by position: its records are
 * numbered 1..n in key order.  A number is only good for one export, so
 * a ref names such a record by its own fields.
 */
struct ordinal {
	const char	*end;		/* keys from here on are not records;
					 * NULL: none */
	const char	*ref;		/* its fields naming a record: the ref
					 * is NODE:KIND:F1:F2... */
};

/*
 * One count a record adds to (issue 15, C8): its day (YYYYMMDD, local)
 * and what it is counted as ("cat" "noise").  A kind's tally lists them;
 * kind_put and kind_add keep the counts in the record's transaction.
 */
struct tally_key {
	uint32_t	 day;
	const char	*dim;
	char		 value[STORE_TALLY_TEXT_MAX + 1];
};
#define KIND_TALLY_MAX	16

struct kind {
	const char			 *name;		/* import/export */
	enum record_kind		  rec;		/* 0: not numbered */
	const ProtobufCMessageDescriptor *d;
	enum store_db			  db;
	enum store_db			  open;		/* its open index */
	/* Is a record open (in the open index: lists' open_only, the
	 * handover's pending work)?  NULL: the kind has no open index. */
	bool		(*is_open)(const ProtobufCMessage *);
	/* verify proves each record against its history: one event a
	 * revision, or at least one.  NONE: proven otherwise (carried whole
	 * by its events, or a register's). */
	enum { HISTORY_NONE, HISTORY_SOME, HISTORY_PER_REVISION } history;
	int				  prefix;	/* key's kind byte, or -1 */
	/* Who adds (and imports) records, reads one (get, list, history),
	 * and exports them all. */
	enum perm_op			  write, read, export;
	import_fn			  import;	/* NULL: made here,
							 * export only */
	bool				  named;	/* keyed by name (fees,
							 * users): no refs,
							 * one page */
	const char			 *changed;	/* its times of change
							 * (--since); NULL:
							 * updated_ms */
	const struct ordinal		 *ord;		/* not keyed by id */
	/* E6: it carries phone or ID numbers, masked unless the admin
	 * exports them unmasked (which is logged). */
	bool				  numbers;
	/*
	 * What a reader is shown of a stored record, in place or as a new
	 * message (*m): masks, no sealed bytes, another desk's work
	 * withheld.  NOT_FOUND: this reader does not see it at all.
	 * `unmasked`: the admin's export, numbers in full.  NULL: as stored.
	 */
	Deskd__Status	(*shown)(struct apply_ctx *, const struct kind *,
			    ProtobufCMessage **m, bool unmasked);
	/* The masked form straight on the stored bytes, when shown only
	 * masks (a bulk export then decodes nothing); false: decode. */
	bool		(*shown_packed)(const struct kind *, uint8_t *,
			    size_t);
	/*
	 * Who reads a record, beyond the read permission: an internal
	 * complaint (C5), an engineer's own orders.  false: the reader is
	 * told the record `hidden_why` (after "KIND ID "), and lists and
	 * exports leave it out.  NULL: every reader with the permission.
	 */
	bool		(*visible)(const struct apply_ctx *,
			    const ProtobufCMessage *);
	const char			 *hidden_why;
	/* The Response bodies of one record (a get) and of a page. */
	Deskd__Response__BodyCase	  one, page;
	/* May this reader export every record of the kind, beyond the read
	 * permission (attendance: A1)?  NULL: yes. */
	Deskd__Status	(*may_export)(struct apply_ctx *);
	const void			 *area_data;	/* the area's own (a
							 * register's rules) */
	/* The counts a record adds to, at most KIND_TALLY_MAX; NULL: not
	 * counted.  tally_version: bumped when what it counts changes, so
	 * the counts are made again from the records at start. */
	size_t		(*tally)(const ProtobufCMessage *, struct tally_key *,
			    size_t max);
	uint64_t			  tally_version;
};

/*
 * Every read of a record goes through here: the record id of kind k,
 * owned by ctx, or NOT_FOUND, or PERMISSION_DENIED when the kind's
 * visible rule hides it from this reader (the reason in ctx->msg).  As
 * stored: what the reader is shown of it is kind_shown's.
 */
Deskd__Status	kind_load(struct apply_ctx *, const struct kind *, uint64_t id,
		    ProtobufCMessage **);
/* Write a record (its `id` field), with its entry in the open index;
 * kind_add for one just numbered (appended: no search for its key). */
void		kind_put(struct apply_ctx *, const struct kind *,
		    const ProtobufCMessage *);
void		kind_add(struct apply_ctx *, const struct kind *,
		    const ProtobufCMessage *);
/* Count the kind's records again when its tally_version is not the one
 * they were counted by (at start, in the engine's transaction). */
void		kind_tally_rebuild(struct apply_ctx *, const struct kind *);
/* A page of the kind's records with id > after_id, ascending, from the
 * open index with open_only; the caller frees each and the array. */
int		kind_page(struct store_txn *, const struct kind *,
		    bool open_only, uint64_t after_id, size_t limit,
		    void ***out, size_t *n, bool *more);
/* Does the kind's visible rule let this reader see m? */
bool		kind_visible(const struct apply_ctx *, const struct kind *,
		    const ProtobufCMessage *);
/* The record as this reader is shown it (the kind's shown, masked). */
Deskd__Status	kind_shown(struct apply_ctx *, const struct kind *,
		    ProtobufCMessage **);
/*
 * The generic handlers of a request row whose .kind is set.  Get (its
 * `id`: the record as shown, in the kind's `one` body); History (its
 * `id`, `after_seq`, `limit`: the record's events, once the reader may
 * see the record).
 */
Deskd__Status	kind_get_apply(struct apply_ctx *, const Deskd__Request *);
/* List (its `open_only`, `after_id`, `limit`): a page of the records the
 * reader may see, as shown, in the kind's `page` body. */
Deskd__Status	kind_list_apply(struct apply_ctx *, const Deskd__Request *);
/*
 * The same for a list with filters of its own: a page of up to `limit`
 * records after after_id that the reader may see and keep(ctx, record,
 * arg) takes (NULL: all), full while there are more to find.
 */
Deskd__Status	kind_list_kept(struct apply_ctx *, const struct kind *,
		    bool open_only, uint64_t after_id, uint32_t limit,
		    bool (*keep)(struct apply_ctx *, const ProtobufCMessage *,
		    const void *), const void *arg);
Deskd__Status	kind_history_apply(struct apply_ctx *,
		    const Deskd__Request *);
/* E6: a record's contact (phone) masked unless the admin's export asks
 * for it in full (complaints, work orders). */
Deskd__Status	kind_contacts_shown(struct apply_ctx *, const struct kind *,
		    ProtobufCMessage **, bool unmasked);
bool		kind_contacts_shown_packed(const struct kind *, uint8_t *,
		    size_t);
/* E6: the event archive.exported for a page of a kind's records (people,
 * complaints, repairs) sent with the numbers in full. */
void		kind_exported_unmasked(struct apply_ctx *, const char *kind,
		    uint64_t after_id, uint64_t last_id, uint32_t count);

#endif
