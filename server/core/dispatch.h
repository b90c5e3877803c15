/*
 * Handlers check everything before their first write: a handler that returns
 * an error has written nothing, so requests sharing one group-commit
 * transaction need no nested transactions.
 *
 * dispatch.h - frame -> decode -> validate -> authorise -> (batch) apply in
 * one write txn -> commit -> reply and push.  Handlers see an apply_ctx and
 * the decoded request; they never touch sockets.
 */
#ifndef DESKD_DISPATCH_H
#define DESKD_DISPATCH_H

#include <stddef.h>
#include <stdint.h>

#include <event2/util.h>

#include "worker.h"
#include "deskd.pb-c.h"
#include "perm.h"
#include "store.h"
#include "wire.h"

struct conn;
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
	const struct import_src	*import;	/* the row being imported;
						 * NULL: a desk's own request */
	struct conn_effect	 effect;
	const struct server	*srv;		/* serving a desk's request;
						 * NULL outside the batch */
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
 * (crypto.c).  Reads the store (never writes); returns how many of the
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
/* A copy of s owned by the context. */
char	*ctx_strdup(struct apply_ctx *, const char *s);
/* Keep a message or block alive until the response has been packed. */
void	 ctx_own_msg(struct apply_ctx *, void *protobuf_message);
void	 ctx_own_mem(struct apply_ctx *, void *);
Deskd__Status ctx_fail(struct apply_ctx *, Deskd__Status, const char *, ...)
	    __attribute__((format(printf, 3, 4)));
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
/*
 * May the actor make this request, as dispatch decides before a handler
 * runs?  For a step an import replays (issue 11): the same permission as
 * the desk's own command, or PERMISSION_DENIED with the reason in msg.
 */
Deskd__Status ctx_allows(struct apply_ctx *, const Deskd__Request *);
/* A context outside the batch (the clock engine); ctx_done frees what it
 * owns. */
void	 ctx_init(struct apply_ctx *, const struct config *, struct store_txn *,
	    int64_t now_ms, const char *actor);
void	 ctx_done(struct apply_ctx *);

/* At start: the connections hand their frames to these, and push asks
 * the event rules of the areas (audience.c) who receives what. */
void	 dispatch_attach(struct server *);
void	 dispatch_request(struct conn *, uint32_t request_id,
	    const uint8_t *payload, size_t len);
void	 dispatch_frame_error(struct conn *, const struct wire_header *,
	    enum wire_check);
/* A connection's output drained (or it closed): its requests held while
 * it did not read go on to the batch. */
void	 dispatch_replies_resume(struct conn *);
/* The group commit: runs at the lowest priority, after the reads of a pass. */
void	 batch_run(evutil_socket_t, short, void *srv);
void	 batch_flush(struct server *);

/* Field checks shared by every handler (validate.c): every string valid
 * UTF-8 within its limit, every repeated field within its count, a page's
 * limit, and every time in the one range of times (wire.h), at any depth. */
Deskd__Status validate_fields(const ProtobufCMessage *, char *, size_t);
Deskd__Status validate_required(const char *field, const char *value,
	    char *, size_t);
size_t	 validate_limit(const char *field);
/* The most entries a repeated string or message field may carry. */
size_t	 validate_count(const char *field);
/* Every enum field of the message (top level) holds one of its values. */
Deskd__Status validate_enums(const ProtobufCMessage *, char *, size_t);
/* Only the times of validate_fields (a register's form). */
Deskd__Status validate_times(const ProtobufCMessage *, char *, size_t);

/* Failed-login accounting, from the config (issue 12). */
void		login_guard_start(struct server *);
void		login_guard_stop(void);
/* handle_session.c */
Deskd__Status	hello_apply(struct apply_ctx *, const Deskd__Request *);
int		login_prepare(struct store *, const struct config *,
		    const char *, const Deskd__Request *, struct worker_job *);
Deskd__Status	login_apply(struct apply_ctx *, const Deskd__Request *);
Deskd__Status	logout_apply(struct apply_ctx *, const Deskd__Request *);
Deskd__Status	subscribe_apply(struct apply_ctx *, const Deskd__Request *);
Deskd__Status	chain_get_apply(struct apply_ctx *, const Deskd__Request *);
/* handle_user.c */
Deskd__Status	user_add_check(const Deskd__Request *, char *, size_t);
int		user_add_prepare(struct store *, const struct config *,
		    const char *, const Deskd__Request *, struct worker_job *);
Deskd__Status	user_add_apply(struct apply_ctx *, const Deskd__Request *);
Deskd__Status	user_disable_apply(struct apply_ctx *, const Deskd__Request *);
Deskd__Status	user_list_apply(struct apply_ctx *, const Deskd__Request *);
Deskd__Status	passwd_check(const Deskd__Request *, char *, size_t);
int		passwd_prepare(struct store *, const struct config *,
		    const char *, const Deskd__Request *, struct worker_job *);
Deskd__Status	passwd_apply(struct apply_ctx *, const Deskd__Request *);
/* handle_alert.c */
Deskd__Status	alert_list_apply(struct apply_ctx *, const Deskd__Request *);
Deskd__Status	alert_ack_apply(struct apply_ctx *, const Deskd__Request *);
/* handle_complaint.c */
Deskd__Status	complaint_new_check(const Deskd__Request *, char *, size_t);
Deskd__Status	complaint_new_apply(struct apply_ctx *, const Deskd__Request *);
Deskd__Status	complaint_step_apply(struct apply_ctx *, const Deskd__Request *);
Deskd__Status	complaint_get_apply(struct apply_ctx *, const Deskd__Request *);
Deskd__Status	complaint_list_apply(struct apply_ctx *, const Deskd__Request *);
Deskd__Status	complaint_history_apply(struct apply_ctx *,
		    const Deskd__Request *);
/*
 * Bulk import (issue 6, import.c): check a row's record as the kind's
 * intake does and, unless dry, store it with its event (KIND.imported);
 * *id is the new record's.  Refused: ctx_fail's message, nothing written.
 */
typedef Deskd__Status (*import_fn)(struct apply_ctx *, ProtobufCMessage *,
    bool dry, uint64_t *id);
/* A step an imported row implies, refused (st, ctx->msg) by its
 * permission or rule: the refusal as "FIELD: reason", FIELD the row's. */
Deskd__Status	import_step_refused(struct apply_ctx *, const char *field,
		    Deskd__Status);
/* C9: an imported record's import_file, import_ref, reported_by and
 * reported_ms, from ctx->import and the row `in` (its reported_* when a
 * re-import of an imported record, else its created_*). */
void		import_provenance(struct apply_ctx *, ProtobufCMessage *rec,
		    const ProtobufCMessage *in);
/* The times of the steps an import replayed (`names`, NULL-terminated)
 * are the row's where it gives them, not the import's: the order was done
 * when its file says, and an export imports back as it was (issue 12). */
void		import_step_times(ProtobufCMessage *rec,
		    const ProtobufCMessage *in, const char *const *names);
Deskd__Status	complaint_import(struct apply_ctx *, ProtobufCMessage *,
		    bool, uint64_t *);
Deskd__Status	repair_import(struct apply_ctx *, ProtobufCMessage *, bool,
		    uint64_t *);
Deskd__Status	unit_import(struct apply_ctx *, ProtobufCMessage *, bool,
		    uint64_t *);
Deskd__Status	fee_import(struct apply_ctx *, ProtobufCMessage *, bool,
		    uint64_t *);
Deskd__Status	person_import(struct apply_ctx *, ProtobufCMessage *, bool,
		    uint64_t *);
/* A stored person as an export sends it: masked, or (unmasked, the
 * admin's) with the numbers unsealed; never the sealed bytes. */
Deskd__Status	person_export_form(struct apply_ctx *, Deskd__Person *,
		    bool unmasked);
/* E6: the event archive.exported for a page of a kind's records (people,
 * complaints, repairs) sent unmasked. */
void		archive_exported(struct apply_ctx *, const char *kind,
		    uint64_t after_id, uint64_t last_id, uint32_t count);
Deskd__Status	import_batch_apply(struct apply_ctx *, const Deskd__Request *);
Deskd__Status	export_apply(struct apply_ctx *, const Deskd__Request *);
/* handle_repair.c (the checks are repair.c's) */
Deskd__Status	repair_new_apply(struct apply_ctx *, const Deskd__Request *);
Deskd__Status	repair_step_apply(struct apply_ctx *, const Deskd__Request *);
Deskd__Status	repair_get_apply(struct apply_ctx *, const Deskd__Request *);
Deskd__Status	repair_list_apply(struct apply_ctx *, const Deskd__Request *);
Deskd__Status	repair_history_apply(struct apply_ctx *,
		    const Deskd__Request *);
Deskd__Status	fee_set_apply(struct apply_ctx *, const Deskd__Request *);
Deskd__Status	fee_list_apply(struct apply_ctx *, const Deskd__Request *);
/* handle_schedule.c (the rules are shift.c's) */
Deskd__Status	schedule_draft_apply(struct apply_ctx *, const Deskd__Request *);
Deskd__Status	schedule_set_apply(struct apply_ctx *, const Deskd__Request *);
Deskd__Status	schedule_publish_apply(struct apply_ctx *,
		    const Deskd__Request *);
Deskd__Status	schedule_get_apply(struct apply_ctx *, const Deskd__Request *);
Deskd__Status	schedule_diff_apply(struct apply_ctx *, const Deskd__Request *);
Deskd__Status	schedule_history_apply(struct apply_ctx *,
		    const Deskd__Request *);
/* handle_handover.c (the boundary is handover.c's) */
Deskd__Status	handover_get_apply(struct apply_ctx *, const Deskd__Request *);
Deskd__Status	handover_step_apply(struct apply_ctx *,
		    const Deskd__Request *);
/* correction: the reason for changing shifts that are over (A1, A5);
 * NULL or "" refuses such a change. */
Deskd__Status	schedule_publish_assignments(struct apply_ctx *,
		    uint32_t month, Deskd__Assignment **, size_t n,
		    const char *why, const char *correction, uint32_t *version);
/* handle_duty.c (the rules are duty.c's) */
/* Every duty request, oldest first, owned by ctx (NULL and 0 when none). */
Deskd__DutyRequest **duty_requests_all(struct apply_ctx *, size_t *n);
Deskd__Status	duty_new_apply(struct apply_ctx *, const Deskd__Request *);
Deskd__Status	duty_step_apply(struct apply_ctx *, const Deskd__Request *);
Deskd__Status	duty_get_apply(struct apply_ctx *, const Deskd__Request *);
Deskd__Status	duty_list_apply(struct apply_ctx *, const Deskd__Request *);
Deskd__Status	duty_history_apply(struct apply_ctx *, const Deskd__Request *);
/* handle_attendance.c (the rules are attendance.c's) */
Deskd__Status	punch_in_apply(struct apply_ctx *, const Deskd__Request *);
Deskd__Status	punch_out_apply(struct apply_ctx *, const Deskd__Request *);
Deskd__Status	attendance_report_apply(struct apply_ctx *,
		    const Deskd__Request *);
/* A1: may the caller read everyone's attendance, not only their own (the
 * report's rows, an export of the records)? */
bool		attendance_reads_all(const struct apply_ctx *);
/* A1, A4: arm or stop the report and holiday-publication clocks, after
 * the publish of published_month, or at startup (0). */
void		attendance_clocks(struct apply_ctx *, uint32_t published_month);
/* handle_dutylog.c (the draw is dutylog.c's) */
Deskd__Status	dlog_add_apply(struct apply_ctx *, const Deskd__Request *);
Deskd__Status	dlog_get_apply(struct apply_ctx *, const Deskd__Request *);
Deskd__Status	dlog_sign_apply(struct apply_ctx *, const Deskd__Request *);
Deskd__Status	spot_draw_apply(struct apply_ctx *, const Deskd__Request *);
Deskd__Status	spot_sign_apply(struct apply_ctx *, const Deskd__Request *);
Deskd__Status	spot_report_apply(struct apply_ctx *, const Deskd__Request *);
/* B9: the spotcheck.coverage clock's fire hook (clock.c): 1 to alert the
 * director, 0 when the month's 20 % is reached (the clock stops). */
int		spot_coverage_fire(struct apply_ctx *, Deskd__Clock *);
/* B7: arm the reminder of day YYYYMMDD unless it is signed or armed. */
void		dutylog_day_arm(struct apply_ctx *, uint32_t day);
/* handle_archive.c: the owner archive (E6); the rules are archive.c's */
Deskd__Status	unit_add_apply(struct apply_ctx *, const Deskd__Request *);
Deskd__Status	unit_set_apply(struct apply_ctx *, const Deskd__Request *);
Deskd__Status	unit_get_apply(struct apply_ctx *, const Deskd__Request *);
Deskd__Status	unit_list_apply(struct apply_ctx *, const Deskd__Request *);
Deskd__Status	person_add_apply(struct apply_ctx *, const Deskd__Request *);
Deskd__Status	person_set_apply(struct apply_ctx *, const Deskd__Request *);
Deskd__Status	person_get_apply(struct apply_ctx *, const Deskd__Request *);
Deskd__Status	person_reveal_apply(struct apply_ctx *,
		    const Deskd__Request *);
Deskd__Status	reveal_list_apply(struct apply_ctx *, const Deskd__Request *);
Deskd__Status	archive_export_apply(struct apply_ctx *,
		    const Deskd__Request *);
/* register.c: the front-desk registers (E1-E5, E7), one generic path;
 * each register's rules are a row of register_rules.c */
Deskd__Status	register_add_apply(struct apply_ctx *, const Deskd__Request *);
Deskd__Status	register_step_apply(struct apply_ctx *,
		    const Deskd__Request *);
Deskd__Status	register_get_apply(struct apply_ctx *, const Deskd__Request *);
Deskd__Status	register_list_apply(struct apply_ctx *,
		    const Deskd__Request *);
Deskd__Status	register_history_apply(struct apply_ctx *,
		    const Deskd__Request *);
Deskd__Status	register_report_apply(struct apply_ctx *,
		    const Deskd__Request *);

#endif
