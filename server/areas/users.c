/*
 * users.c - users: add, disable, list, change password, and the directory
 * of who is who (logins and the names people know them by, issue 16).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "area.h"
#include "config.h"
#include "ctx.h"
#include "password.h"
#include "refuse.h"
#include "users.h"

#define MIN_PASSWORD	8
#define MAX_DISPLAY_NAME 32	/* characters: 王芳, or a long foreign name */

static Deskd__Status
check_user_name(const char *name, char *msg, size_t len)
{
	if (*name == '\0' || strlen(name) > 32) {
		refuse_fmt(msg, len, "name: 1 to 32 characters");
		return DESKD__STATUS__INVALID_ARGUMENT;
	}
	for (const char *p = name; *p; p++)
		if (!islower((unsigned char)*p) && !isdigit((unsigned char)*p) &&
		    !strchr("._-", *p)) {
			refuse_fmt(msg, len, "name: a login is lower-case latin "
			    "letters, digits, '.', '_' and '-' only (wangfang); "
			    "the name people know them by (王芳) goes in "
			    "display_name");
			return DESKD__STATUS__INVALID_ARGUMENT;
		}
	return DESKD__STATUS__OK;
}

/* Characters, as the rule says and people count them: 密码 is two, not
 * six (the string is valid UTF-8 by now, validate.c). */
static size_t
utf8_chars(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

/* A display name: what a person is called on every desk's screen, so
 * short enough for a column and nothing that moves the cursor. */
static Deskd__Status
check_display_name(const char *name, char *msg, size_t len)
{
	const unsigned char *p = (const unsigned char *)name;

	if (utf8_chars(name) > MAX_DISPLAY_NAME) {
		refuse_fmt(msg, len, "display_name: at most %d characters",
		    MAX_DISPLAY_NAME);
		return DESKD__STATUS__INVALID_ARGUMENT;
	}
	/* C0, DEL and C1 (U+0080-U+009F: C2 80 to C2 9F in UTF-8). */
	for (; *p; p++)
		if (*p < 0x20 || *p == 0x7f || (p[0] == 0xc2 && p[1] >= 0x80 &&
		    p[1] <= 0x9f)) {
			refuse_fmt(msg, len, "display_name: no control "
			    "characters (tabs, line breaks)");
			return DESKD__STATUS__INVALID_ARGUMENT;
		}
	return DESKD__STATUS__OK;
}

static Deskd__Status
check_password(const char *field, const char *pw, char *msg, size_t len)
{
	if (utf8_chars(pw) < MIN_PASSWORD) {
		refuse_fmt(msg, len, "%s: at least %d characters", field,
		    MIN_PASSWORD);
		return DESKD__STATUS__INVALID_ARGUMENT;
	}
	return DESKD__STATUS__OK;
}

static Deskd__Status
user_add_check(const Deskd__Request *req, char *msg, size_t len)
{
	const Deskd__UserAdd *a = req->user_add;
	Deskd__Status st;

	if ((st = check_user_name(a->name, msg, len)) != DESKD__STATUS__OK ||
	    (st = check_display_name(a->display_name, msg, len)) !=
	    DESKD__STATUS__OK)
		return st;
	if (role_parse(a->role) == ROLE_NONE) {
		refuse_fmt(msg, len, "role: one of clerk, supervisor, director, "
		    "engineer, admin");
		return DESKD__STATUS__INVALID_ARGUMENT;
	}
	return check_password("password", a->password, msg, len);
}

Deskd__User *
user_public(struct apply_ctx *ctx, const Deskd__User *u)
{
	Deskd__User *pub = ctx_new(ctx, &deskd__user__descriptor);

	pub->name = u->name;
	pub->display_name = u->display_name;
	pub->role = u->role;
	pub->disabled = u->disabled;
	pub->created_ms = u->created_ms;
	return pub;
}

/* Point u's password fields at a derivation done by the worker, or (no
 * worker: deskd init) derive it here into salt and hash. */
static Deskd__Status
set_password(struct apply_ctx *ctx, Deskd__User *u, const char *pw,
    const struct worker_job *derived, uint8_t salt[PASSWORD_SALT_LEN],
    uint8_t hash[PASSWORD_HASH_LEN])
{
	uint32_t iterations = ctx->cfg->pbkdf2_iterations;

	if (derived != NULL) {
		if (derived->rc != 0 || !derived->fresh_salt)
			return ctx_fail(ctx, DESKD__STATUS__INTERNAL,
			    "cannot hash the password");
		memcpy(salt, derived->salt, PASSWORD_SALT_LEN);
		memcpy(hash, derived->key, PASSWORD_HASH_LEN);
		iterations = derived->iterations;
	} else if (password_hash(pw, iterations, salt, hash) != 0)
		return ctx_fail(ctx, DESKD__STATUS__INTERNAL,
		    "cannot hash the password");
	u->pw_salt.data = salt;
	u->pw_salt.len = PASSWORD_SALT_LEN;
	u->pw_hash.data = hash;
	u->pw_hash.len = PASSWORD_HASH_LEN;
	u->pw_iterations = iterations;
	return DESKD__STATUS__OK;
}

static int
user_add_prepare(struct store *st, const struct config *cfg,
    const char *actor, const Deskd__Request *req, struct worker_job *jobs)
{
	(void)st;
	(void)actor;
	worker_job_init(&jobs[0], req->user_add->password, NULL, 0,
	    cfg->pbkdf2_iterations);
	return 1;
}

Deskd__Status
user_create(struct apply_ctx *ctx, const char *name, const char *display_name,
    const char *role, const char *password, const struct worker_job *derived)
{
	Deskd__User u = DESKD__USER__INIT, *old;
	uint8_t salt[PASSWORD_SALT_LEN], hash[PASSWORD_HASH_LEN];
	char summary[96];
	Deskd__Status st;

	if ((old = user_get(ctx->txn, name)) != NULL) {
		deskd__user__free_unpacked(old, NULL);
		return ctx_fail(ctx, DESKD__STATUS__CONFLICT,
		    "user %s already exists", name);
	}
	u.name = (char *)name;
	u.display_name = (char *)display_name;
	u.role = (char *)role_name(role_parse(role));
	u.created_ms = ctx->now_ms;
	if ((st = set_password(ctx, &u, password, derived, salt, hash)) !=
	    DESKD__STATUS__OK)
		return st;
	user_put(ctx->txn, &u);
	/* The role is a word of the desk's catalog, said in its language. */
	ctx_summary(ctx, summary, sizeof(summary), "%s added as %-s", name,
	    u.role);
	ctx_event(ctx, "user.added", RECORD_USER, 0, summary, NULL, NULL,
	    user_public(ctx, &u));
	return DESKD__STATUS__OK;
}

static Deskd__Status
user_add_apply(struct apply_ctx *ctx, const Deskd__Request *req)
{
	const Deskd__UserAdd *a = req->user_add;

	if (ctx->njobs != 1)
		return ctx_fail(ctx, DESKD__STATUS__INTERNAL,
		    "the password could not be hashed; try again");
	return user_create(ctx, a->name, a->display_name, a->role, a->password,
	    &ctx->jobs[0]);
}

static Deskd__Status
user_disable_apply(struct apply_ctx *ctx, const Deskd__Request *req)
{
	const char *name = req->user_disable->name;
	Deskd__User *u;
	char summary[96];

	if (strcmp(name, ctx->actor) == 0)
		return ctx_fail(ctx, DESKD__STATUS__CONFLICT,
		    "you cannot disable yourself");
	if ((u = user_get(ctx->txn, name)) == NULL)
		return ctx_fail(ctx, DESKD__STATUS__NOT_FOUND,
		    "no user %s", name);
	ctx_own_msg(ctx, u);
	if (u->disabled)
		return ctx_fail(ctx, DESKD__STATUS__CONFLICT,
		    "user %s is already disabled", name);
	u->disabled = true;
	user_put(ctx->txn, u);
	session_purge(ctx->txn, name, ctx->now_ms);
	ctx->effect.kind = EFFECT_DISABLE_USER;
	snprintf(ctx->effect.user, sizeof(ctx->effect.user), "%s", name);
	ctx_summary(ctx, summary, sizeof(summary), "%s disabled", name);
	ctx_event(ctx, "user.disabled", RECORD_USER, 0, summary, NULL, NULL,
	    user_public(ctx, u));
	return DESKD__STATUS__OK;
}

static Deskd__Status
user_list_apply(struct apply_ctx *ctx, const Deskd__Request *req)
{
	Deskd__UserListReply *r;
	Deskd__User **list;
	size_t n;

	(void)req;
	if (user_list(ctx->txn, &list, &n) != STORE_OK)
		return ctx_fail(ctx, DESKD__STATUS__INTERNAL, "cannot list users");
	ctx_own_page(ctx, (void **)list, n);
	for (size_t i = 0; i < n; i++) {
		list[i]->pw_salt.len = list[i]->pw_hash.len = 0;
		list[i]->pw_iterations = 0;
	}
	r = ctx_new(ctx, &deskd__user_list_reply__descriptor);
	r->users = list;
	r->n_users = n;
	ctx->resp->body_case = DESKD__RESPONSE__BODY_USERS;
	ctx->resp->users = r;
	return DESKD__STATUS__OK;
}

/*
 * Who is who, for every logged-in user: a desk shows 王芳 where a record
 * says wangfang.  With `login` set, the admin names that user first
 * (user.renamed).  Never password material: entries of their own.
 */
static Deskd__Status
user_directory_check(const Deskd__Request *req, char *msg, size_t len)
{
	return check_display_name(req->user_directory->display_name, msg, len);
}

static enum perm_op
user_directory_op(const Deskd__Request *req, enum perm_op op)
{
	return *req->user_directory->login ? OP_USER_ADMIN : op;
}

static Deskd__Status
user_rename(struct apply_ctx *ctx, const char *login, const char *name)
{
	Deskd__User *u, next;
	char summary[160];

	if ((u = user_get(ctx->txn, login)) == NULL)
		return ctx_fail(ctx, DESKD__STATUS__NOT_FOUND, "no user %s",
		    login);
	ctx_own_msg(ctx, u);
	/* The unpacked user frees its own strings; next points at the
	 * request's. */
	next = *u;
	next.display_name = (char *)name;
	user_put(ctx->txn, &next);
	ctx_summary(ctx, summary, sizeof(summary), "%s is called %s", login,
	    *name ? name : login);
	ctx_event(ctx, "user.renamed", RECORD_USER, 0, summary, NULL, NULL,
	    user_public(ctx, &next));
	return DESKD__STATUS__OK;
}

static Deskd__Status
user_directory_apply(struct apply_ctx *ctx, const Deskd__Request *req)
{
	const Deskd__UserDirectory *d = req->user_directory;
	Deskd__UserDirectoryReply *r;
	Deskd__User **list;
	Deskd__Status st;
	size_t n;

	if (*d->login && (st = user_rename(ctx, d->login, d->display_name)) !=
	    DESKD__STATUS__OK)
		return st;
	if (user_list(ctx->txn, &list, &n) != STORE_OK)
		return ctx_fail(ctx, DESKD__STATUS__INTERNAL, "cannot list users");
	ctx_own_page(ctx, (void **)list, n);
	r = ctx_new(ctx, &deskd__user_directory_reply__descriptor);
	r->users = ctx_calloc(ctx, n, sizeof(*r->users));
	for (size_t i = 0; i < n; i++) {
		Deskd__DirectoryEntry *e =
		    ctx_new(ctx, &deskd__directory_entry__descriptor);

		e->login = list[i]->name;
		e->display_name = list[i]->display_name;
		e->role = list[i]->role;
		e->disabled = list[i]->disabled;
		r->users[r->n_users++] = e;
	}
	ctx->resp->body_case = DESKD__RESPONSE__BODY_USER_DIRECTORY;
	ctx->resp->user_directory = r;
	return DESKD__STATUS__OK;
}

static Deskd__Status
passwd_check(const Deskd__Request *req, char *msg, size_t len)
{
	return check_password("new_password", req->passwd->new_password, msg,
	    len);
}

static int
passwd_prepare(struct store *st, const struct config *cfg, const char *actor,
    const Deskd__Request *req, struct worker_job *jobs)
{
	struct store_txn t;
	Deskd__User *u;

	if (store_txn_begin(st, NULL, false, &t) != STORE_OK)
		return 0;
	u = user_get(&t, actor);
	store_txn_abort(&t);
	if (u == NULL)
		return 0;
	/* Check the old password against the stored salt; derive the new
	 * one with a fresh salt. */
	worker_job_init(&jobs[0], req->passwd->old_password, u->pw_salt.data,
	    u->pw_salt.len, u->pw_iterations);
	worker_job_init(&jobs[1], req->passwd->new_password, NULL, 0,
	    cfg->pbkdf2_iterations);
	deskd__user__free_unpacked(u, NULL);
	return 2;
}

static Deskd__Status
passwd_apply(struct apply_ctx *ctx, const Deskd__Request *req)
{
	uint8_t salt[PASSWORD_SALT_LEN], hash[PASSWORD_HASH_LEN];
	Deskd__User *u, next;
	Deskd__Status st;
	char summary[32];

	if ((u = user_get(ctx->txn, ctx->actor)) == NULL)
		return ctx_fail(ctx, DESKD__STATUS__NOT_FOUND, "no user %s",
		    ctx->actor);
	ctx_own_msg(ctx, u);
	if (ctx->njobs != 2)
		return ctx_fail(ctx, DESKD__STATUS__INTERNAL,
		    "the password could not be checked; try again");
	if (!worker_job_matches(&ctx->jobs[0], u->pw_salt.data, u->pw_salt.len,
	    u->pw_iterations, u->pw_hash.data, u->pw_hash.len))
		return ctx_fail(ctx, DESKD__STATUS__AUTH_FAILED,
		    "the current password is wrong");
	/* The unpacked user keeps its own buffers for freeing; next points
	 * at ours. */
	next = *u;
	if ((st = set_password(ctx, &next, req->passwd->new_password,
	    &ctx->jobs[1], salt, hash)) != DESKD__STATUS__OK)
		return st;
	user_put(ctx->txn, &next);
	ctx_summary(ctx, summary, sizeof(summary), "password changed");
	ctx_event(ctx, "user.password_changed", RECORD_USER, 0, summary, NULL,
	    NULL, user_public(ctx, u));
	return DESKD__STATUS__OK;
}

static const struct request_row users_requests[] = {
	{ REQUEST(USER_ADD, "user add"), .op = OP_USER_ADMIN,
	    .check = user_add_check, .prepare = user_add_prepare,
	    .apply = user_add_apply, .holds_input = true },
	{ REQUEST(USER_DISABLE, "user disable"), .op = OP_USER_ADMIN,
	    .apply = user_disable_apply },
	{ REQUEST(USER_LIST, "user list"), .op = OP_USER_ADMIN,
	    .apply = user_list_apply },
	{ REQUEST(USER_DIRECTORY, "user directory"), .op = OP_SELF,
	    .op_of = user_directory_op, .check = user_directory_check,
	    .apply = user_directory_apply },
	{ REQUEST(PASSWD, "passwd"), .op = OP_SELF, .check = passwd_check,
	    .prepare = passwd_prepare, .apply = passwd_apply,
	    .holds_input = true },
};

/* A user as replies show one: never a password's salt or hash. */
static Deskd__Status
user_shown(struct apply_ctx *ctx, const struct kind *k,
    ProtobufCMessage **m, bool unmasked)
{
	(void)k;
	(void)unmasked;
	*m = &user_public(ctx, (const Deskd__User *)*m)->base;
	return DESKD__STATUS__OK;
}

/* For HQ's reports, the admin's; no time of change but their creation. */
static const struct kind user_kind = {
	.name = "user", .rec = RECORD_USER, .d = &deskd__user__descriptor,
	.db = DB_USERS, .prefix = -1, .write = OP_USER_ADMIN,
	.read = OP_USER_ADMIN,
	.export = OP_USER_ADMIN, .named = true, .changed = "created_ms",
	.shown = user_shown
};

static const struct kind *const users_kinds[] = {
	&user_kind, NULL
};

const struct area users_area = {
	.name = "users",
	.requests = users_requests,
	.nrequests = nitems(users_requests),
	.kinds = users_kinds,
};
