/*
 * cli.c - the desk command: global options, the saved session, login and
 * logout, and the table of subcommands.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <ini.h>

#include "cli.h"

static const char usage_main[] = N_(
"usage: desk [--server HOST:PORT] [--ca FILE] [--json] [--timeout MS]\n"
"            [--password-file FILE] [--login-password-file FILE]\n"
"            [--new-password-file FILE] COMMAND [ARGS]\n"
"\n"
"The front-desk client of deskd.  The server and CA come from the flags, or\n"
"DESK_SERVER / DESK_CA, or what `desk login` saved under\n"
"$XDG_CONFIG_HOME/desk/ (default 127.0.0.1:7443).  Commands use the saved\n"
"session token, or log in on the fly when DESK_USER and a password\n"
"(--login-password-file, --password-file or DESK_PASSWORD) are given.\n"
"A command that sets a password (user add, passwd) reads the new one from\n"
"--new-password-file or --password-file, and never logs in with it.\n"
"\n"
"Exit codes: 0 ok, 1 refused by the server, 2 usage, 3 cannot connect or\n"
"TLS failure, 4 not authenticated or not permitted.\n"
"\n"
"Commands:\n");

static int cmd_login(struct cli *, int, char **);
static int cmd_logout(struct cli *, int, char **);

static const struct cli_cmd commands[] = {
	{ "login", cmd_login, N_("log in and save a session token") },
	{ "logout", cmd_logout, N_("revoke the saved session token") },
	{ "console", cli_console, N_("the desk's live board, full screen: what needs you now") },
	{ "now", cli_now, N_("what needs me now, soonest first (issue 16)") },
	{ "watch", cli_watch, N_("live events, one line each, until Ctrl-C") },
	{ "complaint", cli_complaint, N_("record and follow complaints (C1-C9)") },
	{ "categories", cli_categories, N_("the complaint categories, code and name (C8)") },
	{ "ledger", cli_ledger, N_("the month's quotas: required, done, forecast, status (issue 15)") },
	{ "report", cli_report, N_("the monthly complaint report: table, CSV, JSON (C8)") },
	{ "repair", cli_repair, N_("repairs and services, dispatch to engineering (D1-D5)") },
	{ "fee", cli_fee, N_("the fee schedule for paid services (D2)") },
	{ "alerts", cli_alerts, N_("deadlines missed: list the alerts (H2)") },
	{ "alert", cli_alert, N_("take an alert: desk alert ack ID") },
	{ "schedule", cli_schedule, N_("shift schedules: draft, set, import, publish, show (A2)") },
	{ "handover", cli_handover, N_("the handover at a shift change: count, pending, sign (B2-B6)") },
	{ "request", cli_request, N_("changes to duty: swap, leave, stand-in, leave the post (A3, A7)") },
	{ "clock", cli_clock, N_("clock in or out of your shift (A1, B1)") },
	{ "attendance", cli_attendance, N_("the month's attendance report; submit it (A1)") },
	{ "log", cli_log, N_("the shift's duty log: add, show, sign (B3, B7, B8)") },
	{ "spotcheck", cli_spotcheck, N_("the director's spot check of the duty log (B9)") },
	{ "unit", cli_unit, N_("the owner archive's units: add, show, list, set (E6)") },
	{ "person", cli_person, N_("owners and tenants: add, show, set, reveal (E6)") },
	{ "visitor", cli_desk_group, N_("visitors in and out, who is inside, the E2 report (E2, E3)") },
	{ "permit-visitor", cli_desk_group, N_("an owner's standing permission for a visitor (E3)") },
	{ "pass", cli_desk_group, N_("item release passes: new, approve, use at the gate (E1)") },
	{ "key", cli_desk_group, N_("the key cabinet: add, out, in, reconcile (E4)") },
	{ "parking", cli_desk_group, N_("parking permits: add, renew, list (E5)") },
	{ "visit", cli_visit, N_("household visits, the month's visit list and summary (F1, F4)") },
	{ "drill", cli_desk_group, N_("evacuation drills: add, list, show (G5)") },
	{ "culture", cli_desk_group, N_("the next year's community-culture plan, made in December (F6)") },
	{ "training", cli_desk_group, N_("training sessions and plans, pass and fail, who is due (F5, G5)") },
	{ "survey", cli_desk_group, N_("survey campaigns: open, hand out, returns, the tally (F2, F3)") },
	{ "hazard", cli_desk_group, N_("fire hazards: add, fix, close by a re-check, the notice (G3)") },
	{ "register", cli_register, N_("any front-desk register by kind (E1-E5, E7)") },
	{ "tasks", cli_tasks, N_("fire-safety duties made from the plans: --due, --mine (G1-G5)") },
	{ "patrol", cli_patrol, N_("walk a patrol round point by point (G2)") },
	{ "task", cli_task, N_("record a fire-safety task's points: record, show (G1-G5)") },
	{ "plan", cli_desk_group, N_("plans of the recurring fire-safety duties (G1-G5)") },
	{ "checkpoint", cli_desk_group, N_("check points of the patrol rounds (G2)") },
	{ "equipment", cli_equipment, N_("fire equipment: add, test, due this month (G4)") },
	{ "import", cli_import, N_("rows of a kind in bulk from CSV or JSON Lines (H3)") },
	{ "export", cli_export, N_("every record of a kind as CSV or JSON Lines (H3)") },
	{ "user", cli_user, N_("add, list, disable users (admin)") },
	{ "passwd", cli_passwd, N_("change your password") },
};

/* ---------- the saved configuration ---------- */

static int
conf_cb(void *arg, const char *section, const char *key, const char *value)
{
	struct cli *cli = arg;

	(void)section;
	if (strcmp(key, "server") == 0 && !*cli->server)
		snprintf(cli->server, sizeof(cli->server), "%s", value);
	else if (strcmp(key, "ca") == 0 && !*cli->ca)
		snprintf(cli->ca, sizeof(cli->ca), "%s", value);
	else if (strcmp(key, "user") == 0 && !*cli->user)
		snprintf(cli->user, sizeof(cli->user), "%s", value);
	else if (strcmp(key, "token") == 0)
		snprintf(cli->token, sizeof(cli->token), "%s", value);
	return 1;
}

static void
conf_paths(struct cli *cli)
{
	const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");

	if (xdg && *xdg)
		snprintf(cli->conf_dir, sizeof(cli->conf_dir), "%s/desk", xdg);
	else
		snprintf(cli->conf_dir, sizeof(cli->conf_dir), "%s/.config/desk",
		    home ? home : ".");
	snprintf(cli->conf_path, sizeof(cli->conf_path), "%s/desk.conf",
	    cli->conf_dir);
	snprintf(cli->session_path, sizeof(cli->session_path),
	    "%s/tls-session.pem", cli->conf_dir);
}

static int
mkdir_p(const char *path)
{
	char tmp[512];

	snprintf(tmp, sizeof(tmp), "%s", path);
	for (char *p = tmp + 1; *p; p++)
		if (*p == '/') {
			*p = '\0';
			mkdir(tmp, 0700);
			*p = '/';
		}
	return mkdir(tmp, 0700) == 0 || errno == EEXIST ? 0 : -1;
}

int
cli_save_config(struct cli *cli)
{
	char tmp[700];
	FILE *f;
	int fd;

	if (mkdir_p(cli->conf_dir) != 0) {
		fprintf(stderr, "desk: %s: %s\n", cli->conf_dir, strerror(errno));
		return -1;
	}
	snprintf(tmp, sizeof(tmp), "%s.tmp", cli->conf_path);
	/* 0600 from the start: the token is as good as a password. */
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0600)) == -1 ||
	    (f = fdopen(fd, "w")) == NULL) {
		fprintf(stderr, "desk: %s: %s\n", tmp, strerror(errno));
		if (fd != -1)
			close(fd);
		return -1;
	}
	fprintf(f, "# written by desk login\nserver = %s\n", cli->server);
	if (*cli->ca)
		fprintf(f, "ca = %s\n", cli->ca);
	if (*cli->user)
		fprintf(f, "user = %s\n", cli->user);
	if (*cli->token)
		fprintf(f, "token = %s\n", cli->token);
	if (fclose(f) != 0 || rename(tmp, cli->conf_path) != 0) {
		fprintf(stderr, "desk: %s: %s\n", cli->conf_path,
		    strerror(errno));
		return -1;
	}
	return 0;
}

/* ---------- connecting ---------- */

/* The login's password: never the file a command sets a password from. */
static int
password_for(struct cli *cli, char *buf, size_t len, bool prompt)
{
	const char *env = getenv("DESK_PASSWORD");
	const char *file = cli->login_password_file ? cli->login_password_file :
	    cli->sets_password ? NULL : cli->password_file;

	if (file != NULL) {
		if (cli_read_file_line(file, buf, len) != 0) {
			fprintf(stderr, "desk: %s: %s\n", file,
			    strerror(errno));
			return -1;
		}
		return 0;
	}
	if (env && *env) {
		snprintf(buf, len, "%s", env);
		return 0;
	}
	if (prompt && cli_read_password(_("Password: "), buf, len) == 0)
		return 0;
	return -1;
}

int
cli_connect(struct cli *cli, bool login)
{
	struct desk_opts o = { 0 };
	Deskd__LoginOk *ok = NULL;
	const char *env_user = getenv("DESK_USER");
	char pw[256];
	int rc;

	o.server = cli->server;
	o.ca_file = *cli->ca ? cli->ca : NULL;
	o.client_name = "desk";
	o.desk_name = getenv("DESK_NAME");
	o.timeout_ms = cli->timeout_ms;
	o.session_file = access(cli->conf_dir, W_OK) == 0 ? cli->session_path :
	    NULL;
	if ((rc = desk_connect(&cli->d, &o)) != DESK_OK) {
		fprintf(stderr, "desk: %s\n", cli_error(cli));
		desk_close(cli->d);
		cli->d = NULL;
		return rc;
	}
	/* Times are shown and read in the server's zone, unless DESK_TZ. */
	setenv("TZ", getenv("DESK_TZ") ? getenv("DESK_TZ") :
	    desk_welcome(cli->d)->time_zone, 1);
	tzset();
	if (!login)
		return DESK_OK;
	if (env_user && *env_user) {
		if (password_for(cli, pw, sizeof(pw), false) != 0) {
			fprintf(stderr, _("desk: DESK_USER is set: give %s's "
			    "password in DESK_PASSWORD or "
			    "--login-password-file\n"), env_user);
			return DESK_AUTH;
		}
		rc = desk_login(cli->d, env_user, pw, NULL, &ok);
		memset(pw, 0, sizeof(pw));
	} else if (*cli->token) {
		rc = desk_login(cli->d, NULL, NULL, cli->token, &ok);
	} else {
		fprintf(stderr, "%s", _("desk: not logged in: run `desk login` "
		    "(or set DESK_USER and DESK_PASSWORD)\n"));
		return DESK_AUTH;
	}
	if (rc != DESK_OK)
		fprintf(stderr, _("desk: login: %s\n"), cli_error(cli));
	else
		cli_people_use(cli);
	if (ok != NULL) {
		snprintf(cli->role, sizeof(cli->role), "%s", ok->role);
		deskd__login_ok__free_unpacked(ok, NULL);
	}
	return rc;
}

/* A coded text in the desk's language (i18n_coded), or english. */
const char *
cli_said(const char *code, const char *const *args, size_t nargs,
    const char *english, char *out, size_t len)
{
	if (nargs > REFUSAL_MAX_ARGS || i18n_coded(code, args, (int)nargs,
	    false, out, len) < 0)
		return english;
	return out;
}

const char *
cli_error(struct cli *cli)
{
	static char out[1100];
	const char *status;
	const struct refusal *why = desk_error_why(cli->d, &status);
	char said[1024];

	if (why == NULL || i18n_coded(why->code, why->args, why->nargs, false,
	    said, sizeof(said)) < 0)
		return desk_error(cli->d);
	if (status != NULL)
		snprintf(out, sizeof(out), "%s (%s)", said, status);
	else
		snprintf(out, sizeof(out), "%s", said);
	return out;
}

int
cli_call(struct cli *cli, const Deskd__Request *req, Deskd__Response **resp)
{
	int rc = desk_call(cli->d, req, resp);

	if (rc != DESK_OK)
		fprintf(stderr, "desk: %s\n", cli_error(cli));
	return rc;
}

/* ---------- login / logout ---------- */

static const char usage_login[] = N_(
"usage: desk login [--user NAME] [--password-file FILE]\n"
"Log in and save a session token (mode 0600) with the server and CA under\n"
"$XDG_CONFIG_HOME/desk/desk.conf.  Prompts for the password without echo\n"
"unless --password-file or DESK_PASSWORD gives it.\n");

static int
cmd_login(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "user", required_argument, NULL, 'u' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	Deskd__LoginOk *ok = NULL;
	char pw[256], name[64] = "", until[32];
	int c, rc;

	while ((c = getopt_long(argc, argv, "u:h", opts, NULL)) != -1) {
		if (c == 'u')
			snprintf(name, sizeof(name), "%s", optarg);
		else
			return cli_usage(usage_login, c == 'h' ? 0 : DESK_USAGE);
	}
	if (optind != argc)
		return cli_usage(usage_login, DESK_USAGE);
	if (!*name)
		snprintf(name, sizeof(name), "%s", getenv("DESK_USER") ?
		    getenv("DESK_USER") : cli->user);
	if (!*name) {
		fprintf(stderr, "%s", _("User: "));
		if (fgets(name, sizeof(name), stdin) == NULL)
			return DESK_USAGE;
		name[strcspn(name, "\r\n")] = '\0';
	}
	if ((rc = cli_connect(cli, false)) != DESK_OK)
		return rc;
	if (password_for(cli, pw, sizeof(pw), true) != 0) {
		fprintf(stderr, "%s", _("desk login: no password given\n"));
		return DESK_USAGE;
	}
	rc = desk_login(cli->d, name, pw, NULL, &ok);
	memset(pw, 0, sizeof(pw));
	if (rc != DESK_OK) {
		fprintf(stderr, _("desk login: %s\n"), cli_error(cli));
		return rc;
	}
	snprintf(cli->user, sizeof(cli->user), "%s", ok->user);
	snprintf(cli->token, sizeof(cli->token), "%s", ok->token);
	if (cli_save_config(cli) != 0) {
		deskd__login_ok__free_unpacked(ok, NULL);
		return DESK_USAGE;
	}
	cli_fmt_time(ok->expires_ms, until, sizeof(until));
	if (cli->json)
		cli_print_json(cli_to_json(&ok->base));
	else
		printf(_("logged in as %s (%s) until %s\n"), ok->user,
		    cli_role_label(ok->role), until);
	deskd__login_ok__free_unpacked(ok, NULL);
	return DESK_OK;
}

static int
cmd_logout(struct cli *cli, int argc, char **argv)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__Logout lo = DESKD__LOGOUT__INIT;
	Deskd__Response *resp = NULL;
	int rc;

	if (cli_wants_help(argc, argv) || argc != 1)
		return cli_usage(N_("usage: desk logout\nRevoke the saved "
		    "session token on the server and forget it here.\n"),
		    cli_wants_help(argc, argv) ? 0 : DESK_USAGE);
	if ((rc = cli_connect(cli, true)) != DESK_OK)
		return rc;
	lo.token = cli->token;
	req.body_case = DESKD__REQUEST__BODY_LOGOUT;
	req.logout = &lo;
	rc = cli_call(cli, &req, &resp);
	if (resp)
		deskd__response__free_unpacked(resp, NULL);
	cli->token[0] = '\0';
	if (cli_save_config(cli) != 0)
		return DESK_USAGE;
	if (rc == DESK_OK && !cli->json)
		printf("%s", _("logged out\n"));
	return rc;
}

/* ---------- main ---------- */

/* Where a password file flag's value goes, or NULL for another flag. */
static const char **
password_flag(struct cli *cli, const char *a)
{
	if (strcmp(a, "--password-file") == 0)
		return &cli->password_file;
	if (strcmp(a, "--login-password-file") == 0)
		return &cli->login_password_file;
	if (strcmp(a, "--new-password-file") == 0)
		return &cli->new_password_file;
	return NULL;
}

/* Global options may stand anywhere; they are taken out of argv here. */
static int
take_globals(struct cli *cli, int *argc, char **argv)
{
	int out = 1;

	for (int i = 1; i < *argc; i++) {
		const char *a = argv[i];
		const char **file;
		bool has_val = i + 1 < *argc;

		if (strcmp(a, "--json") == 0)
			cli->json = true;
		else if (strcmp(a, "--server") == 0 && has_val)
			snprintf(cli->server, sizeof(cli->server), "%s",
			    argv[++i]);
		else if (strcmp(a, "--ca") == 0 && has_val)
			snprintf(cli->ca, sizeof(cli->ca), "%s", argv[++i]);
		else if ((file = password_flag(cli, a)) != NULL && has_val)
			*file = argv[++i];
		else if (strcmp(a, "--timeout") == 0 && has_val)
			cli->timeout_ms = atoi(argv[++i]);
		else if (strcmp(a, "--server") == 0 || strcmp(a, "--ca") == 0 ||
		    file != NULL || strcmp(a, "--timeout") == 0) {
			fprintf(stderr, _("desk: %s needs a value\n"), a);
			return -1;
		} else
			argv[out++] = argv[i];
	}
	argv[out] = NULL;
	*argc = out;
	return 0;
}

int
main(int argc, char **argv)
{
	struct cli cli;
	const char *env;
	int rc;

	/* A server that went away is an exit code (3), not a signal death. */
	signal(SIGPIPE, SIG_IGN);
	i18n_init();
	/* Column widths need a UTF-8 locale whatever the environment says. */
	if (MB_CUR_MAX == 1)
		setlocale(LC_CTYPE, "C.UTF-8");
	memset(&cli, 0, sizeof(cli));
	cli.prog = "desk";
	cli.timeout_ms = 15000;
	if (take_globals(&cli, &argc, argv) != 0)
		return DESK_USAGE;
	if ((env = getenv("DESK_SERVER")) && *env && !*cli.server)
		snprintf(cli.server, sizeof(cli.server), "%s", env);
	if ((env = getenv("DESK_CA")) && *env && !*cli.ca)
		snprintf(cli.ca, sizeof(cli.ca), "%s", env);
	conf_paths(&cli);
	ini_parse(cli.conf_path, conf_cb, &cli);
	if (!*cli.server)
		snprintf(cli.server, sizeof(cli.server), "127.0.0.1:7443");

	if (argc >= 2 && strcmp(argv[1], "--version") == 0) {
		printf("desk 0.1.0\n");
		return 0;
	}
	rc = cli_dispatch(&cli, commands, sizeof(commands) / sizeof(commands[0]),
	    usage_main, argc, argv);
	desk_close(cli.d);
	return rc;
}
