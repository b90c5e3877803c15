/*
 * cli_user.c - `desk user add|list|set-name|disable` and `desk passwd`.
 * A user has a login (latin letters: wangfang) and the name people know
 * them by (王芳), shown wherever a person is named (cli_people.c).
 */
#include <errno.h>
#include <string.h>

#include "cli.h"

static int
simple_call(struct cli *cli, Deskd__Request *req, const char *done)
{
	Deskd__Response *resp = NULL;
	int rc = cli_call(cli, req, &resp);

	if (rc == DESK_OK) {
		if (cli->json)
			cli_print_json(cli_to_json(&resp->base));
		else
			printf("%s\n", done);
	}
	if (resp)
		deskd__response__free_unpacked(resp, NULL);
	return rc;
}

/*
 * The password a command sets: from --new-password-file or --password-file
 * (sets_password keeps it from being taken for the login's), or asked twice
 * on the terminal.
 */
static int
new_password(const struct cli *cli, char *buf, size_t len)
{
	const char *file = cli->new_password_file ? cli->new_password_file :
	    cli->password_file;
	char again[256];

	if (file != NULL) {
		if (cli_read_file_line(file, buf, len) != 0) {
			fprintf(stderr, _("desk: %1$s: %2$s\n"), file,
			    strerror(errno));
			return -1;
		}
		return 0;
	}
	if (cli_read_password(_("New password: "), buf, len) != 0 ||
	    cli_read_password(_("Again: "), again, sizeof(again)) != 0)
		return -1;
	if (strcmp(buf, again) != 0) {
		fprintf(stderr, _("desk: the passwords differ\n"));
		return -1;
	}
	return 0;
}

static const char usage_add[] = N_(
"usage: desk user add LOGIN --role clerk|supervisor|director|engineer|admin\n"
"                     [--name NAME] [--new-password-file FILE]\n"
"Add a user (admin only).  LOGIN is lower-case latin letters, digits, '.',\n"
"'_' and '-' (wangfang); --name is the name people know them by (王芳),\n"
"shown wherever they are named, at most 32 characters.  The new user's\n"
"password comes from --new-password-file (or --password-file), else it is\n"
"asked twice.  Logged in on the fly (DESK_USER), the admin's own password\n"
"comes from DESK_PASSWORD or --login-password-file, never from those.\n");

/* A login is ASCII: say so before anything is asked, with the way to give
 * the Chinese name (issue 16: `user add 王芳` was refused without a word
 * of what to do). */
static int
login_ok(const char *login)
{
	for (const unsigned char *p = (const unsigned char *)login; *p; p++)
		if (*p >= 0x80) {
			fprintf(stderr, _("desk user add: the login '%1$s' is "
			    "not latin letters and digits; give a login such "
			    "as wangfang and the name with --name: desk user "
			    "add wangfang --name %1$s --role clerk\n"), login);
			return -1;
		}
	return 0;
}

static int
cmd_add(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "role", required_argument, NULL, 'r' },
		{ "name", required_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__UserAdd a = DESKD__USER_ADD__INIT;
	char pw[256], done[256];
	int c, rc;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (c == 'r')
			a.role = optarg;
		else if (c == 'n')
			a.display_name = optarg;
		else
			return cli_usage(usage_add, c == 'h' ? 0 : DESK_USAGE);
	}
	if (optind + 1 != argc || !*a.role)
		return cli_usage(usage_add, DESK_USAGE);
	a.name = argv[optind];
	if (login_ok(a.name) != 0)
		return DESK_USAGE;
	cli->sets_password = true;
	if ((rc = cli_connect(cli, true)) != DESK_OK)
		return rc;
	if (new_password(cli, pw, sizeof(pw)) != 0)
		return DESK_USAGE;
	a.password = pw;
	req.body_case = DESKD__REQUEST__BODY_USER_ADD;
	req.user_add = &a;
	if (*a.display_name)
		snprintf(done, sizeof(done), _("user %1$s (%2$s) added as "
		    "%3$s"), a.name, a.display_name, cli_role_label(a.role));
	else
		snprintf(done, sizeof(done), _("user %1$s added as %2$s"),
		    a.name, cli_role_label(a.role));
	rc = simple_call(cli, &req, done);
	memset(pw, 0, sizeof(pw));
	return rc;
}

/* A command of argc words (its name first), connected: true, or false
 * with the exit code in *rc (--help, a wrong count, no connection). */
static bool
connected(struct cli *cli, int argc, char **argv, int want,
    const char *usage, int *rc)
{
	if (cli_wants_help(argc, argv) || argc != want) {
		*rc = cli_usage(usage, cli_wants_help(argc, argv) ? 0 :
		    DESK_USAGE);
		return false;
	}
	return (*rc = cli_connect(cli, true)) == DESK_OK;
}

static int
cmd_disable(struct cli *cli, int argc, char **argv)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__UserDisable u = DESKD__USER_DISABLE__INIT;
	char done[96];
	int rc;

	if (!connected(cli, argc, argv, 2, N_("usage: desk user disable "
	    "LOGIN\n"), &rc))
		return rc;
	u.name = argv[1];
	req.body_case = DESKD__REQUEST__BODY_USER_DISABLE;
	req.user_disable = &u;
	snprintf(done, sizeof(done), _("user %s disabled"), u.name);
	return simple_call(cli, &req, done);
}

static const char usage_set_name[] = N_(
"usage: desk user set-name LOGIN NAME\n"
"The name people know LOGIN by (王芳), shown wherever they are named, at\n"
"most 32 characters; \"\" shows the login again (admin only).\n");

static int
cmd_set_name(struct cli *cli, int argc, char **argv)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__UserDirectory d = DESKD__USER_DIRECTORY__INIT;
	char done[256];
	int rc;

	if (!connected(cli, argc, argv, 3, usage_set_name, &rc))
		return rc;
	d.login = argv[1];
	d.display_name = argv[2];
	req.body_case = DESKD__REQUEST__BODY_USER_DIRECTORY;
	req.user_directory = &d;
	if (*d.display_name)
		snprintf(done, sizeof(done), _("%1$s is now shown as %2$s"),
		    d.login, d.display_name);
	else
		snprintf(done, sizeof(done), _("%s is now shown by the login"),
		    d.login);
	return simple_call(cli, &req, done);
}

static int
cmd_list(struct cli *cli, int argc, char **argv)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__UserList l = DESKD__USER_LIST__INIT;
	Deskd__Response *resp = NULL;
	int rc;

	if (!connected(cli, argc, argv, 1, N_("usage: desk user list\n"),
	    &rc))
		return rc;
	req.body_case = DESKD__REQUEST__BODY_USER_LIST;
	req.user_list = &l;
	if ((rc = cli_call(cli, &req, &resp)) == DESK_OK) {
		Deskd__UserListReply *r = resp->users;

		if (!cli->json) {
			cli_column(stdout, _("LOGIN"), 21);
			cli_column(stdout, _("NAME"), 17);
			cli_column(stdout, _("ROLE"), 12);
			printf("%s\n", _("STATE"));
		}
		for (size_t i = 0; i < r->n_users; i++) {
			const Deskd__User *u = r->users[i];

			if (cli->json) {
				cli_print_json(cli_to_json(&u->base));
				continue;
			}
			cli_column(stdout, u->name, 21);
			cli_column(stdout, u->display_name, 17);
			cli_column(stdout, cli_role_label(u->role), 12);
			printf("%s\n", u->disabled ? _("disabled") :
			    _("active"));
		}
	}
	if (resp)
		deskd__response__free_unpacked(resp, NULL);
	return rc;
}

int
cli_user(struct cli *cli, int argc, char **argv)
{
	static const struct cli_cmd cmds[] = {
		{ "add", cmd_add, N_("add a user with a role and a name") },
		{ "list", cmd_list, N_("list users") },
		{ "set-name", cmd_set_name,
		    N_("change the name a user is known by") },
		{ "disable", cmd_disable, N_("stop a user from logging in") },
	};

	return cli_dispatch(cli, cmds, sizeof(cmds) / sizeof(cmds[0]),
	    N_("usage: desk user COMMAND [ARGS]\n"), argc, argv);
}

static const char usage_passwd[] = N_(
"usage: desk passwd [--new-password-file NEWFILE]\n"
"Change your password: the new one from --new-password-file (or\n"
"--password-file), else asked twice; asks for the current one (or\n"
"DESK_OLD_PASSWORD).  Logged in on the fly (DESK_USER), the login's\n"
"password comes from DESK_PASSWORD or --login-password-file.\n");

int
cli_passwd(struct cli *cli, int argc, char **argv)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__Passwd p = DESKD__PASSWD__INIT;
	char old[256], pw[256];
	const char *oldenv = getenv("DESK_OLD_PASSWORD");
	int rc;

	if (cli_wants_help(argc, argv) || argc != 1)
		return cli_usage(usage_passwd, cli_wants_help(argc, argv) ? 0 :
		    DESK_USAGE);
	cli->sets_password = true;
	if ((rc = cli_connect(cli, true)) != DESK_OK)
		return rc;
	if (oldenv)
		snprintf(old, sizeof(old), "%s", oldenv);
	else if (cli_read_password(_("Current password: "), old, sizeof(old)))
		return DESK_USAGE;
	if (new_password(cli, pw, sizeof(pw)) != 0)
		return DESK_USAGE;
	p.old_password = old;
	p.new_password = pw;
	req.body_case = DESKD__REQUEST__BODY_PASSWD;
	req.passwd = &p;
	rc = simple_call(cli, &req, _("password changed"));
	memset(old, 0, sizeof(old));
	memset(pw, 0, sizeof(pw));
	return rc;
}
