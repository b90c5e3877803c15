/* session.c - Hello, Login, Logout, Subscribe. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "area.h"
#include "config.h"
#include "conn.h"
#include "ctx.h"
#include "password.h"
#include "version.h"

static Deskd__Status
hello_apply(struct apply_ctx *ctx, const Deskd__Request *req)
{
	const Deskd__Hello *h = req->hello;
	Deskd__Welcome *w;

	if (h->protocol_version != WIRE_VERSION)
		return ctx_fail(ctx, DESKD__STATUS__UNSUPPORTED_VERSION,
		    "protocol version %u is not supported; this server speaks "
		    "%d", h->protocol_version, WIRE_VERSION);
	w = ctx_new(ctx, &deskd__welcome__descriptor);
	w->server_version = (char *)DESKD_VERSION;
	w->server_time_ms = ctx->now_ms;
	w->last_seq = store_last_seq(ctx->txn);
	w->time_zone = (char *)ctx->cfg->time_zone;
	w->protocol_version = WIRE_VERSION;
	/* What a client may send in one frame (a bigger one is TOO_LARGE
	 * and closes the connection): told, not found out. */
	w->max_payload = ctx->cfg->max_payload;
	ctx->resp->body_case = DESKD__RESPONSE__BODY_WELCOME;
	ctx->resp->welcome = w;
	return DESKD__STATUS__OK;
}

/* ---------- login ---------- */

static Deskd__Status
login_ok(struct apply_ctx *ctx, const Deskd__User *u, const char *token,
    int64_t expires)
{
	Deskd__LoginOk *ok = ctx_new(ctx, &deskd__login_ok__descriptor);
	char *tok;

	if ((tok = strdup(token)) == NULL)
		return ctx_fail(ctx, DESKD__STATUS__INTERNAL, "out of memory");
	ctx_own_mem(ctx, tok);
	ok->user = ctx->effect.user;
	ok->role = (char *)role_name(role_parse(u->role));
	ok->token = tok;
	ok->expires_ms = expires;
	ctx->effect.kind = EFFECT_LOGIN;
	snprintf(ctx->effect.user, sizeof(ctx->effect.user), "%s", u->name);
	ctx->effect.role = role_parse(u->role);
	ctx->resp->body_case = DESKD__RESPONSE__BODY_LOGIN_OK;
	ctx->resp->login_ok = ok;
	return DESKD__STATUS__OK;
}

/*
 * Memory per user (issue 12): a user's connections are capped, so one
 * account cannot hold the server's memory through many of them.  Checked
 * before a session is made: a refused login leaves nothing behind.
 */
static Deskd__Status
login_room(struct apply_ctx *ctx, const char *user)
{
	uint32_t max = ctx->cfg->max_conns_per_user, n;

	if (ctx->srv == NULL || max == 0 ||
	    (n = conn_user_count(ctx->srv, user)) < max)
		return DESKD__STATUS__OK;
	return ctx_fail(ctx, DESKD__STATUS__CONFLICT, "%s already has %u "
	    "connections open, the most one user may (max_conns_per_user): "
	    "close one (a desk watch?) and log in again", user, n);
}

static Deskd__Status
login_by_token(struct apply_ctx *ctx, const char *token)
{
	uint8_t hash[32];
	Deskd__Session *s;
	Deskd__User *u = NULL;
	Deskd__Status st;

	token_hash(token, hash);
	if ((s = session_get(ctx->txn, hash)) == NULL)
		return ctx_fail(ctx, DESKD__STATUS__AUTH_FAILED,
		    "session token unknown or revoked; log in again");
	ctx_own_msg(ctx, s);
	if (s->expires_ms <= ctx->now_ms)
		return ctx_fail(ctx, DESKD__STATUS__AUTH_FAILED,
		    "session expired; log in again");
	if ((u = user_get(ctx->txn, s->user)) == NULL || u->disabled) {
		if (u)
			deskd__user__free_unpacked(u, NULL);
		return ctx_fail(ctx, DESKD__STATUS__AUTH_FAILED,
		    "user %s is disabled", s->user);
	}
	ctx_own_msg(ctx, u);
	if ((st = login_room(ctx, u->name)) != DESKD__STATUS__OK)
		return st;
	st = login_ok(ctx, u, "", s->expires_ms);
	return st;
}

static int
login_prepare(struct store *st, const struct config *cfg, const char *actor,
    const Deskd__Request *req, struct worker_job *jobs)
{
	static const uint8_t no_salt[PASSWORD_SALT_LEN];
	const Deskd__Login *l = req->login;
	struct store_txn t;
	Deskd__User *u;

	(void)actor;
	if (*l->token || !*l->user || !*l->password)
		return 0;
	if (store_txn_begin(st, NULL, false, &t) != STORE_OK)
		return 0;
	/* An unknown user costs the same derivation as a known one: no
	 * user-name oracle by timing. */
	if ((u = user_get(&t, l->user)) != NULL) {
		worker_job_init(&jobs[0], l->password, u->pw_salt.data,
		    u->pw_salt.len, u->pw_iterations);
		if (role_parse(u->role) == ROLE_ADMIN)
			jobs[0].lane = WORKER_FAST;
		deskd__user__free_unpacked(u, NULL);
	} else
		worker_job_init(&jobs[0], l->password, no_salt, sizeof(no_salt),
		    cfg->pbkdf2_iterations);
	store_txn_abort(&t);
	return 1;
}

static Deskd__Status
login_apply(struct apply_ctx *ctx, const Deskd__Request *req)
{
	const Deskd__Login *l = req->login;
	char token[TOKEN_HEX_LEN + 1];
	uint8_t hash[32];
	Deskd__Session s = DESKD__SESSION__INIT;
	Deskd__User *u;
	Deskd__Status st;
	bool ok;

	if (*l->token)
		return login_by_token(ctx, l->token);
	if (!*l->user || !*l->password)
		return ctx_fail(ctx, DESKD__STATUS__INVALID_ARGUMENT,
		    "user and password, or a session token, are required");
	if (ctx->njobs != 1)
		return ctx_fail(ctx, DESKD__STATUS__INTERNAL,
		    "the password could not be checked; try again");
	u = user_get(ctx->txn, l->user);
	ctx_own_msg(ctx, u);
	ok = u != NULL && !u->disabled && worker_job_matches(&ctx->jobs[0],
	    u->pw_salt.data, u->pw_salt.len, u->pw_iterations, u->pw_hash.data,
	    u->pw_hash.len);
	if (!ok)
		return ctx_fail(ctx, DESKD__STATUS__AUTH_FAILED,
		    "wrong user name or password");
	if ((st = login_room(ctx, u->name)) != DESKD__STATUS__OK)
		return st;
	if (token_new(token) != 0)
		return ctx_fail(ctx, DESKD__STATUS__INTERNAL,
		    "no randomness for a session token");
	token_hash(token, hash);
	s.user = u->name;
	s.created_ms = ctx->now_ms;
	s.expires_ms = ctx->now_ms + ctx->cfg->session_ttl_ms;
	session_put(ctx->txn, hash, &s);
	return login_ok(ctx, u, token, s.expires_ms);
}

static Deskd__Status
logout_apply(struct apply_ctx *ctx, const Deskd__Request *req)
{
	uint8_t hash[32];

	if (*req->logout->token) {
		token_hash(req->logout->token, hash);
		session_del(ctx->txn, hash);
	}
	ctx->effect.kind = EFFECT_LOGOUT;
	return DESKD__STATUS__OK;
}

/* ---------- subscribe ---------- */

static Deskd__Status
subscribe_apply(struct apply_ctx *ctx, const Deskd__Request *req)
{
	const Deskd__Subscribe *s = req->subscribe;
	uint64_t last = store_last_seq(ctx->txn);
	Deskd__Subscribed *ok;
	struct conn_effect *e = &ctx->effect;

	if (s->since_seq > last)
		return ctx_fail(ctx, DESKD__STATUS__INVALID_ARGUMENT,
		    "since_seq %llu is beyond the last event %llu",
		    (unsigned long long)s->since_seq, (unsigned long long)last);
	ok = ctx_new(ctx, &deskd__subscribed__descriptor);
	ok->last_seq = last;
	if (s->n_type_prefixes > 0 &&
	    (e->prefixes = calloc(s->n_type_prefixes, sizeof(char *))) == NULL)
		return ctx_fail(ctx, DESKD__STATUS__INTERNAL, "out of memory");
	for (size_t i = 0; i < s->n_type_prefixes; i++) {
		if ((e->prefixes[i] = strdup(s->type_prefixes[i])) == NULL)
			return ctx_fail(ctx, DESKD__STATUS__INTERNAL,
			    "out of memory");
		e->nprefixes++;
	}
	e->kind = EFFECT_SUBSCRIBE;
	e->since_seq = s->since_seq;
	e->last_seq = last;
	e->caught_up = s->caught_up;
	ctx->resp->body_case = DESKD__RESPONSE__BODY_SUBSCRIBED;
	ctx->resp->subscribed = ok;
	return DESKD__STATUS__OK;
}

/* C9, H4: the chain hash after an event, for a client to check a seal or
 * its own copy of the log. */
static Deskd__Status
chain_get_apply(struct apply_ctx *ctx, const Deskd__Request *req)
{
	uint64_t last = store_last_seq(ctx->txn);
	uint64_t seq = req->chain_get->seq ? req->chain_get->seq : last;
	Deskd__ChainHash *h;
	uint8_t *hash;

	if (seq == 0 || seq > last)
		return ctx_fail(ctx, DESKD__STATUS__NOT_FOUND, "event %llu is "
		    "not in the log (it ends at %llu)",
		    (unsigned long long)seq, (unsigned long long)last);
	h = ctx_new(ctx, &deskd__chain_hash__descriptor);
	hash = ctx_calloc(ctx, STORE_HASH_LEN, 1);
	if (event_chain_hash(ctx->txn, seq, hash) != STORE_OK)
		return ctx_fail(ctx, DESKD__STATUS__INTERNAL, "event %llu "
		    "does not read", (unsigned long long)seq);
	h->seq = seq;
	h->hash.data = hash;
	h->hash.len = STORE_HASH_LEN;
	h->last_seq = last;
	ctx->resp->body_case = DESKD__RESPONSE__BODY_CHAIN_HASH;
	ctx->resp->chain_hash = h;
	return DESKD__STATUS__OK;
}

static const struct request_row session_requests[] = {
	{ REQUEST(HELLO, "hello"), .need = NEED_HELLO, .op = OP_SELF,
	    .apply = hello_apply, .holds_input = true },
	{ REQUEST(LOGIN, "login"), .need = NEED_LOGIN, .op = OP_SELF,
	    .prepare = login_prepare, .apply = login_apply,
	    .holds_input = true },
	{ REQUEST(LOGOUT, "logout"), .op = OP_SELF, .apply = logout_apply,
	    .holds_input = true },
	{ REQUEST(SUBSCRIBE, "subscribe"), .op = OP_WATCH,
	    .apply = subscribe_apply },
	{ REQUEST(CHAIN_GET, "log chain"), .op = OP_WATCH,
	    .apply = chain_get_apply },
};

const struct area session_area = {
	.name = "session",
	.requests = session_requests,
	.nrequests = nitems(session_requests),
};
