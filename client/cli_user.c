/* cli_user.c - `desk user add|list|disable` and `desk passwd`. */
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
			fprintf(stderr, "desk: %s: %s\n", file, strerror(errno));
			return -1;
		}
		return 0;
	}
	if (cli_read_password("New password: ", buf, len) != 0 ||
	    cli_read_password("Again: ", again, sizeof(again)) != 0)
		return -1;
	if (strcmp(buf, again) != 0) {
		fprintf(stderr, "desk: the passwords differ\n");
		return -1;
	}
	return 0;
}

static const char usage_add[] =
"usage: desk user add NAME --role clerk|supervisor|director|engineer|admin\n"
"                     [--new-password-file FILE]\n"
"Add a user (admin only).  The new user's password comes from\n"
"--new-password-file (or --password-file), else it is asked twice.  Logged\n"
"in on the fly (DESK_USER), the admin's own password comes from\n"
"DESK_PASSWORD or --login-password-file, never from those.\n";

static int
cmd_add(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "role", required_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__UserAdd a = DESKD__USER_ADD__INIT;
	char pw[256], done[128];
	int c, rc;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (c == 'r')
			a.role = optarg;
		else
			return cli_usage(usage_add, c == 'h' ? 0 : DESK_USAGE);
	}
	if (optind + 1 != argc || !*a.role)
		return cli_usage(usage_add, DESK_USAGE);
	a.name = argv[optind];
	cli->sets_password = true;
	if ((rc = cli_connect(cli, true)) != DESK_OK)
		return rc;
	if (new_password(cli, pw, sizeof(pw)) != 0)
		return DESK_USAGE;
	a.password = pw;
	req.body_case = DESKD__REQUEST__BODY_USER_ADD;
	req.user_add = &a;
	snprintf(done, sizeof(done), "user %s added as %s", a.name, a.role);
	rc = simple_call(cli, &req, done);
	memset(pw, 0, sizeof(pw));
	return rc;
}

static int
cmd_disable(struct cli *cli, int argc, char **argv)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__UserDisable u = DESKD__USER_DISABLE__INIT;
	char done[96];
	int rc;

	if (cli_wants_help(argc, argv) || argc != 2)
		return cli_usage("usage: desk user disable NAME\n",
		    cli_wants_help(argc, argv) ? 0 : DESK_USAGE);
	if ((rc = cli_connect(cli, true)) != DESK_OK)
		return rc;
	u.name = argv[1];
	req.body_case = DESKD__REQUEST__BODY_USER_DISABLE;
	req.user_disable = &u;
	snprintf(done, sizeof(done), "user %s disabled", u.name);
	return simple_call(cli, &req, done);
}

static int
cmd_list(struct cli *cli, int argc, char **argv)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__UserList l = DESKD__USER_LIST__INIT;
	Deskd__Response *resp = NULL;
	int rc;

	if (cli_wants_help(argc, argv) || argc != 1)
		return cli_usage("usage: desk user list\n",
		    cli_wants_help(argc, argv) ? 0 : DESK_USAGE);
	if ((rc = cli_connect(cli, true)) != DESK_OK)
		return rc;
	req.body_case = DESKD__REQUEST__BODY_USER_LIST;
	req.user_list = &l;
	if ((rc = cli_call(cli, &req, &resp)) == DESK_OK) {
		Deskd__UserListReply *r = resp->users;

		if (!cli->json)
			printf("%-20s %-11s %s\n", "NAME", "ROLE", "STATE");
		for (size_t i = 0; i < r->n_users; i++) {
			if (cli->json)
				cli_print_json(cli_to_json(&r->users[i]->base));
			else
				printf("%-20s %-11s %s\n", r->users[i]->name,
				    r->users[i]->role, r->users[i]->disabled ?
				    "disabled" : "active");
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
		{ "add", cmd_add, "add a user with a role" },
		{ "list", cmd_list, "list users" },
		{ "disable", cmd_disable, "stop a user from logging in" },
	};

	return cli_dispatch(cli, cmds, 3, "usage: desk user COMMAND [ARGS]\n",
	    argc, argv);
}

static const char usage_passwd[] =
"usage: desk passwd [--new-password-file NEWFILE]\n"
"Change your password: the new one from --new-password-file (or\n"
"--password-file), else asked twice; asks for the current one (or\n"
"DESK_OLD_PASSWORD).  Logged in on the fly (DESK_USER), the login's\n"
"password comes from DESK_PASSWORD or --login-password-file.\n";

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
	else if (cli_read_password("Current password: ", old, sizeof(old)))
		return DESK_USAGE;
	if (new_password(cli, pw, sizeof(pw)) != 0)
		return DESK_USAGE;
	p.old_password = old;
	p.new_password = pw;
	req.body_case = DESKD__REQUEST__BODY_PASSWD;
	req.passwd = &p;
	rc = simple_call(cli, &req, "password changed");
	memset(old, 0, sizeof(old));
	memset(pw, 0, sizeof(pw));
	return rc;
}
