/*
 * dispatch.c - the one path every request takes:
 *
 *   frame (conn.c) -> decode (capped allocator) -> validate -> authorise ->
 *   queue -> [batch] apply all queued requests in one LMDB write txn ->
 *   commit (one fsync for the batch) -> reply -> push to subscribers.
 *
 * Replies leave in request order, only after the commit that made them true.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "deadline.h"
#include "now.h"
#include "conn.h"
#include "dispatch.h"
#include "fault.h"
#include "guard.h"
#include "area.h"
#include "audience.h"
#include "log.h"
#include "push.h"
#include "refuse.h"
#include "reply.h"
#include "validate.h"
#include "vault.h"

struct pending {
	TAILQ_ENTRY(pending)	 entry;
	struct conn		*conn;
	uint32_t		 request_id;
	const struct request_row *h;
	Deskd__Request		*req;
	struct wire_budget	 budget;	/* owns req's memory */
	bool			 refused;	/* status set before the batch */
	bool			 fatal;		/* the stream is broken: close after */
	Deskd__Status		 status;
	char			 msg[256];
	struct refusal		 why;		/* msg's code and arguments */
	uint8_t			*reply;		/* packed Response */
	size_t			 reply_len;
	struct conn_effect	 effect;
	struct worker_job	 jobs[DISPATCH_MAX_JOBS];
	int			 njobs, jobs_left;
	bool			 deferred;	/* not applied: its desk does
						 * not read (apply_all) */
	enum worker_lane	 lane;
	bool			 guarded;	/* a login guard_admit let in */
	uint32_t		 retry_after_ms; /* TRY_LATER */
};

static void
effect_free(struct conn_effect *e)
{
	for (size_t i = 0; i < e->nprefixes; i++)
		free(e->prefixes[i]);
	free(e->prefixes);
	memset(e, 0, sizeof(*e));
}

/* ---------- decode, validate, authorise, queue ---------- */

static void
pending_free(struct pending *p)
{
	for (int i = 0; i < p->njobs; i++)
		if (p->jobs[i].data_free != NULL)
			p->jobs[i].data_free(p->jobs[i].data);
	OPENSSL_cleanse(p->jobs, sizeof(p->jobs));
	wire_budget_release(&p->budget);
	free(p->reply);
	effect_free(&p->effect);
	free(p);
}

static Deskd__Status
refuse(struct pending *p, Deskd__Status st, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static Deskd__Status
refuse(struct pending *p, Deskd__Status st, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	refuse_vfmt(p->msg, sizeof(p->msg), fmt, ap);
	va_end(ap);
	refuse_noted(p->msg, &p->why);
	p->refused = true;
	p->status = st;
	return st;
}

static void
screen(struct conn *c, struct pending *p, const uint8_t *payload, size_t len)
{
	const struct request_row *h;
	enum perm_op op;

	p->req = deskd__request__unpack(&p->budget.allocator, len, payload);
	if (p->req == NULL) {
		refuse(p, DESKD__STATUS__BAD_FRAME, "payload is not a valid "
		    "Request message");
		return;
	}
	if ((h = area_request(p->req->body_case)) == NULL) {
		unsigned tag = p->req->base.n_unknown_fields ?
		    p->req->base.unknown_fields[0].tag : 0;

		refuse(p, DESKD__STATUS__UNKNOWN_REQUEST, "unknown request "
		    "type (field %u); this server speaks protocol %d", tag,
		    WIRE_VERSION);
		return;
	}
	p->h = h;
	if (c->state == CONN_HELLO && h->need != NEED_HELLO) {
		refuse(p, DESKD__STATUS__NOT_AUTHENTICATED, "send Hello first");
		return;
	}
	if (h->need == NEED_HELLO && c->state != CONN_HELLO) {
		refuse(p, DESKD__STATUS__CONFLICT, "Hello was already sent");
		return;
	}
	if (h->need == NEED_LOGIN && c->state == CONN_READY) {
		refuse(p, DESKD__STATUS__CONFLICT, "already logged in as %s; "
		    "log out first", c->user);
		return;
	}
	if (h->need == NEED_READY && c->state != CONN_READY) {
		refuse(p, DESKD__STATUS__NOT_AUTHENTICATED, "log in first");
		return;
	}
	op = area_request_op(h, p->req);
	if (h->need == NEED_READY && !perm_allows(c->role, op)) {
		refuse(p, DESKD__STATUS__PERMISSION_DENIED, "a %s may not %s",
		    role_name(c->role), perm_op_name(op));
		return;
	}
	if ((p->status = validate_fields(&p->req->base, p->msg,
	    sizeof(p->msg))) != DESKD__STATUS__OK ||
	    (h->check && (p->status = h->check(p->req, p->msg,
	    sizeof(p->msg))) != DESKD__STATUS__OK)) {
		refuse_noted(p->msg, &p->why);
		p->refused = true;
		return;
	}
}

/*
 * An import batch: at most one of a connection's in each group commit, so
 * the desks' requests are served between them (H3); the next is read and
 * decoded on the worker meanwhile (conn.c reads one ahead).
 */
static bool
one_per_commit(const struct pending *p)
{
	return p->h != NULL && p->h->one_per_commit;
}

/*
 * A connection's requests reach the batch in the order they came: the
 * first staged one goes once its worker jobs are done, and an import batch
 * only once the conn's batch before it has committed.  Refusals go this
 * way too, so replies keep the order of the requests.
 */
static void
stage_release(struct conn *c)
{
	struct server *srv = c->srv;
	struct pending *p;

	/* Held until the desk reads what it was answered; once it is gone
	 * they go, to be refused. */
	if (c->replies_held && c->bev != NULL && c->state != CONN_CLOSING)
		return;
	while ((p = TAILQ_FIRST(&c->staged)) != NULL && p->jobs_left == 0 &&
	    !(one_per_commit(p) && c->batches_queued > 0)) {
		TAILQ_REMOVE(&c->staged, p, entry);
		if (one_per_commit(p))
			c->batches_queued++;
		/* Not answered, not stored: a batch read ahead, or waiting on
		 * the worker, when its desk went (or was put out: a disabled
		 * user) is refused, not applied in a commit nobody hears of. */
		if ((c->bev == NULL || c->state == CONN_CLOSING) &&
		    !p->refused)
			refuse(p, DESKD__STATUS__CONFLICT, "the connection "
			    "closed before this was stored; nothing was "
			    "stored");
		TAILQ_INSERT_TAIL(&srv->batch, p, entry);
		if (srv->batch_len++ == 0)
			event_active(srv->batch_ev, EV_TIMEOUT, 0);
	}
}

void
dispatch_replies_resume(struct conn *c)
{
	if (!c->replies_held)
		return;
	c->replies_held = false;
	stage_release(c);
}

/* Staged requests keep the connection struct alive (conn_release). */
static void
stage(struct conn *c, struct pending *p)
{
	c->pending++;
	TAILQ_INSERT_TAIL(&c->staged, p, entry);
	stage_release(c);
}

static void
jobs_done(struct worker_job *j, void *arg)
{
	struct pending *p = arg;

	(void)j;
	if (--p->jobs_left > 0)
		return;
	stage_release(p->conn);
}

/* ---------- password logins (issue 12) ---------- */

static void
refuse_later(struct pending *p, int64_t wait_ms, const char *why)
{
	OPENSSL_cleanse(p->jobs, sizeof(p->jobs));
	p->njobs = 0;
	p->retry_after_ms = (uint32_t)(wait_ms > 0 ? wait_ms : 1);
	refuse(p, DESKD__STATUS__TRY_LATER, "%s; nothing was checked; try "
	    "again in %" PRIu32 " ms", why, p->retry_after_ms);
}

/*
 * A password login is hashed only when its name (and, off the console,
 * its address) is not backing off, and only if the queue has room; a name
 * known at its address, or an admin's at the console, goes in the fast
 * lane ahead of the guesses.
 */
static void
login_admit(struct conn *c, struct pending *p)
{
	const char *user = p->req->login->user;
	struct guard_report r;
	int64_t now = server_mono_ms(), wait;
	char ip[48];

	guard_source(c->peer, ip, sizeof(ip));
	if ((wait = guard_admit(user, ip, now)) > 0) {
		refuse_later(p, wait, R_("too many failed logins for this "
		    "name or from this address"));
		return;
	}
	if (guard_known(user, ip) || (guard_is_console(ip) &&
	    p->jobs[0].lane == WORKER_FAST))
		p->lane = WORKER_FAST;
	else
		p->lane = WORKER_NORMAL;
	if (worker_full(p->lane, &wait)) {
		guard_done(user, ip, GUARD_UNCHECKED, now, &r);
		refuse_later(p, wait, R_("deskd is busy checking other "
		    "logins"));
		return;
	}
	p->guarded = true;
}

/* A user name as typed by anyone: printable in one log line. */
static void
log_safe(const char *in, char *out, size_t len)
{
	size_t i;

	for (i = 0; in[i] && i + 1 < len; i++)
		out[i] = (uint8_t)in[i] < 0x20 || in[i] == 0x7f ? '?' : in[i];
	out[i] = '\0';
}

static void
login_summary(const struct guard_report *r, void *arg)
{
	const struct server *srv = arg;

	log_info("login: %u more failed logins from %s in the last %" PRId64
	    " s, not logged one by one (%u failures from there)",
	    r->suppressed, r->source, srv->cfg.login_log_every_ms / 1000,
	    r->source_fails);
}

static struct event *summary_ev;

static void
summary_run(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	guard_tick(server_mono_ms(), login_summary, arg);
}

void
login_guard_start(struct server *srv)
{
	struct guard_conf gc = {
		.base_ms = srv->cfg.login_delay_ms,
		.max_ms = srv->cfg.login_delay_max_ms,
		.decay_ms = srv->cfg.login_decay_ms,
		.log_lines = srv->cfg.login_log_lines,
		.log_every_ms = srv->cfg.login_log_every_ms,
		.burst = srv->cfg.login_burst,
		.burst_window_ms = srv->cfg.login_burst_window_ms,
	};
	int64_t every = gc.log_every_ms > 1000 ? gc.log_every_ms : 1000;
	struct timeval tv;

	guard_configure(&gc);
	guard_reset();
	/* A flood that stops still has its last interval summed up. */
	if ((summary_ev = event_new(srv->base, -1, EV_PERSIST, summary_run,
	    srv)) == NULL)
		return;
	tv.tv_sec = every / 1000;
	tv.tv_usec = (every % 1000) * 1000;
	event_add(summary_ev, &tv);
}

void
login_guard_stop(void)
{
	if (summary_ev != NULL)
		event_free(summary_ev);
	summary_ev = NULL;
}

/* The login's outcome, told to the guard; failures logged (rate-limited
 * per source) and a burst alerted to the admin. */
static void
login_outcome(struct server *srv, struct pending *p)
{
	struct conn *c = p->conn;
	enum guard_outcome o = p->status == DESKD__STATUS__OK ? GUARD_OK :
	    p->status == DESKD__STATUS__AUTH_FAILED ? GUARD_FAILED :
	    GUARD_UNCHECKED;
	struct guard_report r;
	char ip[48], user[40], msg[256];

	p->guarded = false;
	guard_source(c->peer, ip, sizeof(ip));
	guard_done(p->req->login->user, ip, o, server_mono_ms(), &r);
	if (o != GUARD_FAILED)
		return;
	log_safe(p->req->login->user, user, sizeof(user));
	if (r.suppressed > 0)
		login_summary(&r, srv);
	if (r.log_line)
		log_info("conn %" PRIu64 " %s: login failed: user %s (%u "
		    "failures for the name, %u from %s)", c->id, c->peer,
		    user, r.user_fails, r.source_fails, ip);
	if (r.burst) {
		snprintf(msg, sizeof(msg), "%u failed logins within %" PRId64
		    " s (the last: user %s from %s); someone may be guessing "
		    "passwords", r.burst_count,
		    srv->cfg.login_burst_window_ms / 1000, user, ip);
		log_warnx("login: %s", msg);
		if (clock_alert_raise_now(srv, "login", "login", "admin",
		    msg) != STORE_OK)
			log_warnx("%s: could not raise the alert", __func__);
	}
}

void
dispatch_request(struct conn *c, uint32_t request_id, const uint8_t *payload,
    size_t len)
{
	struct pending *p;

	if (fault_alloc_fails() || (p = calloc(1, sizeof(*p))) == NULL) {
		conn_close(c, "out of memory");
		return;
	}
	p->conn = c;
	p->request_id = request_id;
	wire_budget_init(&p->budget, wire_budget_for(len));
	screen(c, p, payload, len);
	if (!p->refused && p->h->holds_input)
		c->reply_awaited = true;
	if (one_per_commit(p))
		c->batches_open++;
	if (!p->refused && p->h->prepare != NULL)
		p->njobs = p->h->prepare(c->srv->store, &c->srv->cfg, c->user,
		    p->req, p->jobs);
	p->lane = WORKER_FAST;
	if (p->njobs > 0 && p->h->body == DESKD__REQUEST__BODY_LOGIN)
		login_admit(c, p);
	/* Staged first: a job done at once (no worker) releases it. */
	p->jobs_left = p->njobs;
	stage(c, p);
	for (int i = 0; i < p->njobs; i++) {
		p->jobs[i].done = jobs_done;
		p->jobs[i].arg = p;
		worker_submit(&p->jobs[i], p->lane);
	}
}

void
dispatch_frame_error(struct conn *c, const struct wire_header *h,
    enum wire_check chk)
{
	struct pending *p;

	if (fault_alloc_fails() || (p = calloc(1, sizeof(*p))) == NULL) {
		conn_close(c, "out of memory");
		return;
	}
	p->conn = c;
	p->request_id = chk == WIRE_BAD_MAGIC ? 0 : h->request_id;
	p->fatal = true;
	/* The stream can no longer be trusted: read nothing more, answer
	 * once after the replies owed to earlier requests, then close. */
	c->broken = true;
	switch (chk) {
	case WIRE_BAD_VERSION:
		refuse(p, DESKD__STATUS__UNSUPPORTED_VERSION, "protocol "
		    "version %u is not supported; this server speaks %d",
		    h->version, WIRE_VERSION);
		break;
	case WIRE_TOO_LARGE:
		refuse(p, DESKD__STATUS__TOO_LARGE, "payload of %u bytes is "
		    "over the %u-byte limit", h->length,
		    c->srv->cfg.max_payload);
		break;
	default:
		refuse(p, DESKD__STATUS__BAD_FRAME, "%s", wire_check_str(chk));
		break;
	}
	stage(c, p);
}

/* net's own push is handed to its connections here too: conn and push
 * use each other only one way round. */
static const struct net_handlers dispatch_handlers = {
	.request = dispatch_request,
	.frame_error = dispatch_frame_error,
	.replies_resume = dispatch_replies_resume,
	.drained = push_feed_one,
	.closing = push_unsubscribe,
	.push_filter = audience_filter,
};

void
dispatch_attach(struct server *srv)
{
	srv->handlers = &dispatch_handlers;
}

/* ---------- the batch ---------- */

static void
pack_reply(struct pending *p, Deskd__Response *resp)
{
	size_t len;

	resp->status = p->status;
	resp->message = p->msg;
	/* PROTOCOL.md 6.1: what a desk says in its user's language. */
	if (p->status != DESKD__STATUS__OK && p->why.code != NULL) {
		resp->code = (char *)p->why.code;
		resp->n_args = (size_t)p->why.nargs;
		resp->args = (char **)p->why.args;
	}
	resp->retry_after_ms = p->retry_after_ms;
	len = protobuf_c_message_get_packed_size(&resp->base);
	free(p->reply);
	if ((p->reply = malloc(len ? len : 1)) == NULL)
		fatalx("%s: out of memory", __func__);
	protobuf_c_message_pack(&resp->base, p->reply);
	p->reply_len = len;
}

/*
 * The request ran out of memory while applied (ctx.c): it is refused and
 * deskd serves on.  Writes it made cannot be taken out of the shared
 * transaction: then the whole commit is void, nothing of it recorded, as
 * for an I/O error, and every request of it is told so.
 */
static void
out_of_memory(struct pending *p, struct apply_ctx *ctx, struct store_txn *txn,
    uint64_t writes)
{
	p->status = DESKD__STATUS__INTERNAL;
	refuse_fmt(ctx->msg, sizeof(ctx->msg), "the server ran out of memory "
	    "for this request; nothing of it was recorded; try again");
	ctx->resp->body_case = DESKD__RESPONSE__BODY__NOT_SET;
	if (txn->writes != writes && txn->err == STORE_OK)
		txn->err = STORE_NOMEM;
}

static void
apply_one(struct server *srv, struct store_txn *txn, int64_t now,
    struct pending *p)
{
	Deskd__Response resp = DESKD__RESPONSE__INIT;
	struct apply_ctx ctx;
	jmp_buf oom;
	uint64_t writes;
	uint32_t unreadable;

	effect_free(&p->effect);
	if (p->refused) {
		pack_reply(p, &resp);
		return;
	}
	ctx_init(&ctx, &srv->cfg, txn, now, p->conn->user);
	ctx.srv = srv;
	ctx.role = p->conn->role;
	ctx.resp = &resp;
	ctx.jobs = p->jobs;
	ctx.njobs = p->njobs;
	ctx.row = p->h;
	unreadable = txn->unreadable;
	writes = txn->writes;
	ctx.oom = &oom;
	if (setjmp(oom) == 0)
		p->status = p->h->apply(&ctx, p->req);
	else
		out_of_memory(p, &ctx, txn, writes);
	ctx.oom = NULL;
	if (txn->unreadable != unreadable && txn->err == STORE_OK) {
		/* A damaged record fails the request that read it.  Writes
		 * it made after cannot be taken out of the shared
		 * transaction: then the whole commit fails, as for I/O. */
		if (txn->writes != writes)
			txn->err = STORE_CORRUPT;
		else {
			p->status = DESKD__STATUS__INTERNAL;
			refuse_fmt(ctx.msg, sizeof(ctx.msg), "the stored record "
			    "%s does not read (damaged?); nothing was "
			    "recorded; the admin should run deskd verify",
			    txn->unreadable_what);
			log_warnx("%s: %s: stored record %s does not decode",
			    __func__, p->h->name, txn->unreadable_what);
			resp.body_case = DESKD__RESPONSE__BODY__NOT_SET;
		}
	}
	if (txn->err != STORE_OK)
		p->status = DESKD__STATUS__INTERNAL;
	snprintf(p->msg, sizeof(p->msg), "%s", p->status == DESKD__STATUS__OK ?
	    "ok" : ctx.msg[0] ? ctx.msg : "failed");
	refuse_noted(p->msg, &p->why);
	/* Handlers set a body only to send it: with a refusal it explains it
	 * (a schedule publish lists every problem, A2).  A storage failure
	 * voids whatever the handler built. */
	if (txn->err != STORE_OK)
		resp.body_case = DESKD__RESPONSE__BODY__NOT_SET;
	pack_reply(p, &resp);
	if (p->status == DESKD__STATUS__OK &&
	    ctx.effect.kind == EFFECT_LOGIN)
		snprintf(p->conn->batch_login, sizeof(p->conn->batch_login),
		    "%s", ctx.effect.user);
	if (p->status == DESKD__STATUS__OK)
		p->effect = ctx.effect;
	else
		effect_free(&ctx.effect);
	ctx_done(&ctx);
}

/*
 * Memory per desk (issue 12): a desk whose unread output, with what this
 * commit answers it, reaches out_high_water gets nothing more answered --
 * its later requests are not applied but wait, in order, until it reads
 * (requeue_deferred).  Checked here, not only when reading: one pass reads
 * conn_max_pending requests, and 128 answers of 1 MiB each were 128 MiB
 * queued to a desk that never read them.
 */
static bool
defer_unread(struct server *srv, struct pending *p)
{
	struct conn *c = p->conn;

	if (!c->replies_held && c->batch_out < srv->cfg.out_high_water)
		return false;
	c->replies_held = true;
	p->deferred = true;
	return true;
}

/* The disk's share of a batch, for the stats line: a slow disk shows
 * there before the desks call it a slow server. */
static void
commit_took(struct server_stats *st, int64_t us)
{
	if (us < 0)
		us = 0;
	st->commit_us += (uint64_t)us;
	if ((uint64_t)us > st->commit_max_us)
		st->commit_max_us = (uint64_t)us;
}

/* Apply every queued request in one write transaction and commit it. */
static int
apply_all(struct server *srv, struct pending_list *work, uint64_t *last_seq,
    int64_t *next_clock)
{
	struct store_txn txn;
	struct pending *p;
	int64_t now = server_now_ms(), t0;
	int rc;

	if ((rc = store_txn_begin(srv->store, NULL, true, &txn)) != STORE_OK)
		return rc;
	TAILQ_FOREACH(p, work, entry) {
		p->deferred = false;
		p->conn->replies_held = false;
		p->conn->batch_login[0] = '\0';
		p->conn->batch_out = conn_out_len(p->conn);
	}
	TAILQ_FOREACH(p, work, entry) {
		if (defer_unread(srv, p))
			continue;
		apply_one(srv, &txn, now, p);
		p->conn->batch_out += p->reply_len;
		if (txn.err == STORE_MAP_FULL) {
			store_txn_abort(&txn);
			return STORE_MAP_FULL;
		}
	}
	*last_seq = store_last_seq(&txn);
	/* Handlers may have armed or stopped clocks: the timer follows. */
	if (clock_first_due(&txn, next_clock) != STORE_OK)
		*next_clock = 0;
	t0 = server_mono_us();
	if ((rc = store_txn_commit(&txn)) == STORE_OK)
		commit_took(&srv->stats, server_mono_us() - t0);
	return rc;
}

static void
apply_effect(struct conn *c, struct pending *p)
{
	struct conn_effect *e = &p->effect;

	if (p->h != NULL && p->h->holds_input)
		c->reply_awaited = false;
	if (p->status == DESKD__STATUS__UNSUPPORTED_VERSION) {
		conn_close_after_flush(c, p->msg);
		return;
	}
	switch (e->kind) {
	case EFFECT_NONE:
		if (p->h && p->h->body == DESKD__REQUEST__BODY_HELLO &&
		    p->status == DESKD__STATUS__OK)
			conn_set_state(c, CONN_LOGIN);
		break;
	case EFFECT_LOGIN:
		snprintf(c->user, sizeof(c->user), "%s", e->user);
		c->role = e->role;
		c->login_failures = 0;
		conn_set_state(c, CONN_READY);
		log_info("conn %" PRIu64 " %s: logged in as %s (%s)", c->id,
		    c->peer, c->user, role_name(c->role));
		break;
	case EFFECT_LOGOUT:
		push_unsubscribe(c);
		c->user[0] = '\0';
		c->role = ROLE_NONE;
		c->state = CONN_LOGIN;
		break;
	case EFFECT_SUBSCRIBE:
		push_subscribe(c, e->since_seq, e->caught_up ? e->last_seq :
		    PUSH_NO_MARK, e->prefixes, e->nprefixes);
		e->prefixes = NULL;
		e->nprefixes = 0;
		break;
	case EFFECT_DISABLE_USER: {
		struct conn *o, *next;

		/* A disabled user is out now, not when their session ends. */
		for (o = TAILQ_FIRST(&c->srv->conns); o != NULL; o = next) {
			next = TAILQ_NEXT(o, entry);
			if (o != c && o->state == CONN_READY &&
			    strcmp(o->user, e->user) == 0)
				conn_close_after_flush(o, "user disabled");
		}
		break;
	}
	}
}

/*
 * Deferred requests go back to the head of their connection's staged
 * list, in the order they came, until its output drains
 * (dispatch_replies_resume); an import batch among them is no longer in
 * the batch.
 */
static void
requeue_deferred(struct pending_list *work)
{
	struct pending *p, *prev;

	for (p = TAILQ_LAST(work, pending_list); p != NULL; p = prev) {
		prev = TAILQ_PREV(p, pending_list, entry);
		if (!p->deferred)
			continue;
		TAILQ_REMOVE(work, p, entry);
		if (one_per_commit(p))
			p->conn->batches_queued--;
		TAILQ_INSERT_HEAD(&p->conn->staged, p, entry);
	}
}

static void
deliver(struct server *srv, struct pending *p)
{
	struct conn *c = p->conn;
	char ip[48];

	if (p->guarded)
		login_outcome(srv, p);
	if (c->bev == NULL || c->state == CONN_CLOSING)
		return;
	if (p->status == DESKD__STATUS__AUTH_FAILED) {
		/* Repeated wrong passwords (at login or passwd) are slowed
		 * down, by name, address and connection, blocking no one
		 * else. */
		const char *user = p->req->body_case ==
		    DESKD__REQUEST__BODY_LOGIN ? p->req->login->user : c->user;

		c->login_failures++;
		c->reply_awaited = false;
		guard_source(c->peer, ip, sizeof(ip));
		conn_send_delayed(c, p->request_id, p->reply, p->reply_len,
		    guard_reply_delay(user, ip, (uint32_t)c->login_failures,
		    server_mono_ms()));
		return;
	}
	/* The reply goes first: an effect may close the connection (after
	 * flushing) or start a subscription whose events must follow it. */
	conn_send_raw(c, WIRE_RESPONSE, p->request_id, p->reply, p->reply_len);
	if (p->fatal)
		conn_close_after_flush(c, p->msg);
	else
		apply_effect(c, p);
}

void
batch_flush(struct server *srv)
{
	struct pending_list work;
	struct pending *p;
	uint64_t last_seq = srv->last_seq;
	bool full = srv->batch_len >= srv->cfg.batch_max;
	int64_t next_clock = 0;
	int rc, attempt;

	if (TAILQ_EMPTY(&srv->batch))
		return;
	TAILQ_INIT(&work);
	TAILQ_CONCAT(&work, &srv->batch, entry);
	srv->batch_len = 0;

	for (attempt = 0; ; attempt++) {
		rc = apply_all(srv, &work, &last_seq, &next_clock);
		if (rc != STORE_MAP_FULL || attempt == 10)
			break;
		/* No transaction is open here: the map may grow. */
		if (store_grow(srv->store) != STORE_OK)
			break;
		srv->stats.map_grows++;
		log_info("%s: LMDB map grown to %zu MiB", __func__,
		    store_map_size(srv->store) >> 20);
	}
	if (rc != STORE_OK) {
		log_warnx("%s: commit failed: %s (%s)", __func__,
		    store_rc_str(rc), store_dir(srv->store));
		TAILQ_FOREACH(p, &work, entry) {
			Deskd__Response resp = DESKD__RESPONSE__INIT;

			if (p->deferred)
				continue;
			effect_free(&p->effect);
			if (p->h != NULL && p->h->holds_input)
				p->conn->reply_awaited = false;
			p->status = DESKD__STATUS__INTERNAL;
			refuse_fmt(p->msg, sizeof(p->msg), "storage failure: %s; "
			    "nothing was recorded", store_rc_str(rc));
			refuse_noted(p->msg, &p->why);
			pack_reply(p, &resp);
		}
	} else {
		srv->last_seq = last_seq;
		srv->stats.commits++;
		clock_engine_schedule(srv, next_clock);
	}

	requeue_deferred(&work);
	/* Durable now: answer, then push. */
	TAILQ_FOREACH(p, &work, entry)
		deliver(srv, p);
	push_feed_all(srv);

	while ((p = TAILQ_FIRST(&work)) != NULL) {
		struct conn *c = p->conn;
		bool alive = c->bev != NULL;

		TAILQ_REMOVE(&work, p, entry);
		c->batch_login[0] = '\0';
		if (one_per_commit(p)) {
			c->batches_open--;
			c->batches_queued--;
			stage_release(c);
		}
		pending_free(p);
		conn_release(c);
		if (alive && srv->stopping)
			conn_let_go_if_answered(c);
		else if (alive)
			conn_resume(c);
	}
	if (full) {
		struct conn *c, *next;

		for (c = TAILQ_FIRST(&srv->conns); c; c = next) {
			next = TAILQ_NEXT(c, entry);
			conn_resume(c);
		}
	}
	/* The replies first (deliver queued them first), then the pushes. */
	conn_flush_all(srv);
}

void
batch_run(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	batch_flush(arg);
}
