/*
 * ctx.h - what a handler works with: the apply context of one request in
 * the group commit's transaction, and what it owns until the reply is
 * packed.  Handlers check everything before their first write: one that
 * returns an error has written nothing, so requests sharing one
 * transaction need no nested transactions.  A refusal is ctx_fail's
 * status and message.
 */
#ifndef DESKD_CTX_H
#define DESKD_CTX_H

#include <setjmp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "deskd.pb-c.h"
#include "perm.h"
#include "refusal.h"
#include "store.h"
#include "worker.h"

struct conn;
struct request_row;
struct server;
struct config;

/* What a committed request changes on its connection (applied by dispatch). */
enum effect_kind {
	EFFECT_NONE = 0,
	EFFECT_LOGIN,
	EFFECT_LOGOUT,
	EFFECT_SUBSCRIBE,
	EFFECT_DISABLE_USER,	/* close every connection of effect.user */
};

struct conn_effect {
	enum effect_kind	 kind;
	char			 user[64];
	enum role		 role;
	uint64_t		 since_seq;
	uint64_t		 last_seq;	/* Subscribed's: the replay's end */
	bool			 caught_up;	/* mark it (Subscribe.caught_up) */
	char			**prefixes;	/* owned until handed to push */
	size_t			 nprefixes;
};

struct apply_ctx {
	const struct config	*cfg;
	struct store_txn	*txn;
	int64_t			 now_ms;
	const char		*actor;		/* logged-in user */
	enum role		 role;
	Deskd__Response		*resp;		/* handlers set the body when
						 * it is to be sent, also with
						 * a refusal that it explains */
	const struct worker_job	*jobs;		/* what prepare asked for, done */
	int			 njobs;
	char			 msg[256];	/* the human-readable message */
	int			 archive_units;	/* E6: 0 not looked, 1 the
						 * archive has units, -1 none
						 * (archive_unit_check) */
	const char		*duty_post;	/* B3: the actor's post now, by
						 * the schedule; NULL not looked
						 * (handover_record_post) */
	const struct request_row *row;		/* what is being served;
						 * NULL outside the batch */
	const struct import_src	*import;	/* the row being imported;
						 * NULL: a desk's own request */
	struct conn_effect	 effect;
	/* The next event's summary as its code and arguments (ctx_summary),
	 * taken by the event whose summary is still said_text. */
	struct refusal		 said;
	char			 said_text[1024];
	const struct server	*srv;		/* serving a desk's request;
						 * NULL outside the batch */
	/* Out of memory while applying: back to the dispatcher, which
	 * refuses the request (NULL outside a request: fatal). */
	jmp_buf			*oom;
	/* what resp points into, freed once it is packed */
	ProtobufCMessage	**owned;
	size_t			 nowned, capowned;
	void			**mem;
	size_t			 nmem, capmem;
};

/* Where an imported row came from (H3): kept with what it stores. */
struct import_src {
	const char	*file;		/* the file's name as the desk gave it */
	const char	*ref;		/* the row's external key */
};

typedef Deskd__Status (*apply_fn)(struct apply_ctx *, const Deskd__Request *);
typedef Deskd__Status (*check_fn)(const Deskd__Request *, char *, size_t);
/*
 * Before the batch, off the loop: the password derivations apply will need
 * (worker.c).  Reads the store (never writes); returns how many of the
 * jobs it filled, 0 to DISPATCH_MAX_JOBS.
 */
#define DISPATCH_MAX_JOBS	2
struct store;
typedef int (*prepare_fn)(struct store *, const struct config *,
    const char *actor, const Deskd__Request *, struct worker_job *);

/* A zeroed, initialised message owned by the context (freed after the
 * response is packed); its string fields may point at anything that lives
 * as long. */
void	*ctx_new(struct apply_ctx *, const ProtobufCMessageDescriptor *);
/* A zeroed array owned by the context, like ctx_new. */
void	*ctx_calloc(struct apply_ctx *, size_t n, size_t size);
/* Every record of an id-keyed database, oldest first, owned by the
 * context (NULL and 0 when none or unreadable). */
void	**ctx_records(struct apply_ctx *, enum store_db,
	    const ProtobufCMessageDescriptor *, size_t *n);
/* Out of memory: a request being applied is refused (deskd serves on);
 * outside one, fatal.  Free what the context does not own first. */
void	 ctx_out_of_memory(const struct apply_ctx *, const char *where)
	    __attribute__((noreturn));
/* A copy of s owned by the context. */
char	*ctx_strdup(struct apply_ctx *, const char *s);
/* Keep a message or block alive until the response has been packed. */
void	 ctx_own_msg(struct apply_ctx *, void *protobuf_message);
void	 ctx_own_mem(struct apply_ctx *, void *);
/* A page from storage: its n messages and the array, at once (out of
 * memory, all of it is freed before the request is refused).  Returns
 * the slot of msgs[0]: msgs[i] is slot + i for ctx_free_owned. */
size_t	 ctx_own_page(struct apply_ctx *, void **msgs, size_t n);
/* Free an owned page's message before the reply (one a filter left out:
 * a filtered list may read every record). */
void	 ctx_free_owned(struct apply_ctx *, size_t slot);
Deskd__Status ctx_fail(struct apply_ctx *, Deskd__Status, const char *, ...)
	    __attribute__((format(printf, 3, 4)));
/*
 * An event's summary: out as snprintf would write it (the English of the
 * log), and its template and values noted for the event appended next
 * with that summary, which carries them as its code and arguments for a
 * desk to say in its language (PROTOCOL.md 6.1).  A word among the values
 * is marked R_() so the desk's catalog has it.
 */
void	 ctx_summary(struct apply_ctx *, char *out, size_t len,
	    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* The same for a summary of texts only whose template is made as it goes
 * (a list as long as a record's fields): tmpl's "%s" each one of args. */
void	 ctx_summary_texts(struct apply_ctx *, char *out, size_t len,
	    const char *tmpl, const char *const *args, int nargs);
/* Append the event for a change, in the handler's transaction. */
uint64_t ctx_event(struct apply_ctx *, const char *type, enum record_kind,
	    uint64_t id, const char *summary, const char *text,
	    Deskd__Complaint *, Deskd__User *);
/*
 * The same for any record: `body` goes into the Event field of its message
 * type (complaint, user, alert, ...), found through the descriptors.
 * `record` overrides the "kind:id" label; kind 0 means no history entry.
 */
uint64_t ctx_event_msg(struct apply_ctx *, const char *type, enum record_kind,
	    uint64_t id, const char *record, const char *summary,
	    const char *text, const ProtobufCMessage *body);
/* A context outside the batch (the clock engine); ctx_done frees what it
 * owns. */
void	 ctx_init(struct apply_ctx *, const struct config *, struct store_txn *,
	    int64_t now_ms, const char *actor);
void	 ctx_done(struct apply_ctx *);

#endif
