/*
 * cli_watch.c - `desk watch`: live events, one line each.  Reconnects by
 * itself with the last seq it printed, so nothing is missed or repeated.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

static const char usage_watch[] =
N_("usage: desk watch [--since SEQ] [--type PREFIX]... [--alerts [--all]]\n"
"                  [--json]\n"
"Print events as they happen: seq, time, who, type, record, summary.\n"
"--since SEQ replays every stored event after SEQ first (0: all).\n"
"--type complaint. shows only types starting with that prefix.\n"
"--alerts shows only the alert stream (alert.*) addressed to you: a clerk\n"
"their own and those of no one in particular, a supervisor all but the\n"
"director's, a director the escalations to directors; --all every alert.\n"
"It rings the terminal bell on each new breach or escalation.\n"
"Reconnects by itself when the connection drops; Ctrl-C to stop.\n");

/* Who is watching, as the server says (NowReply): whom alerts are for. */
struct watcher {
	char	role[16];
	char	user[64];
};

/*
 * Issue 16: is this alert addressed to the watcher?  Their own always; a
 * director the director's; a supervisor (or an admin) all but those;
 * a clerk, below the director, those held by no one else.  An engineer
 * gets from the server only the alerts on their own orders: all of them.
 */
static bool
addressed(const struct watcher *w, const Deskd__Alert *a)
{
	bool director = strcmp(a->role, "director") == 0;

	if (*a->owner && strcmp(a->owner, w->user) == 0)
		return true;
	if (strcmp(w->role, "director") == 0)
		return director;
	if (strcmp(w->role, "clerk") == 0)
		return !director && *a->owner == '\0';
	return strcmp(w->role, "engineer") == 0 || !director;
}

/* The watcher's role and name, once a connection: 0, or the exit code. */
static int
who_watches(struct cli *cli, struct watcher *w)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__NowGet q = DESKD__NOW_GET__INIT;
	Deskd__Response *resp = NULL;
	int rc;

	req.body_case = DESKD__REQUEST__BODY_NOW;
	req.now = &q;
	if ((rc = cli_call(cli, &req, &resp)) == DESK_OK) {
		snprintf(w->role, sizeof(w->role), "%s", resp->now->role);
		snprintf(w->user, sizeof(w->user), "%s", resp->now->user);
	}
	if (resp)
		deskd__response__free_unpacked(resp, NULL);
	return rc;
}

#define MAX_TYPES	16

static void
print_event(struct cli *cli, const Deskd__Event *e)
{
	char when[32], said[1024];
	time_t t = (time_t)(e->time_ms / 1000);
	struct tm tm;

	if (cli->json) {
		cli_print_json(cli_to_json(&e->base));
		return;
	}
	localtime_r(&t, &tm);
	strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", &tm);
	printf("%-7" PRIu64 " %s  ", e->seq, when);
	/* A long record ("schedule:2026-12") cut with "…", never run into
	 * the summary (issue 16). */
	cli_column(stdout, cli_person_name(NULL, e->actor), 12);
	cli_column(stdout, e->type, 24);
	cli_column(stdout, e->record, 18);
	printf("%s\n", cli_event_summary(e, said, sizeof(said)));
	fflush(stdout);
}

int
cli_watch(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "since", required_argument, NULL, 's' },
		{ "type", required_argument, NULL, 't' },
		{ "alerts", no_argument, NULL, 'a' },
		{ "all", no_argument, NULL, 'A' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *types[MAX_TYPES];
	size_t ntypes = 0;
	uint64_t since = UINT64_MAX, last;
	int c, rc, backoff_ms = 250;
	bool once_connected = false, bell = false, caught_up = false;
	bool alerts = false, all = false;
	struct watcher w = { "", "" };

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (c == 's' && cli_parse_u64(optarg, &since) == 0)
			;
		else if (c == 't' && ntypes < MAX_TYPES)
			types[ntypes++] = optarg;
		else if (c == 'a' && ntypes < MAX_TYPES) {
			types[ntypes++] = "alert.";
			bell = isatty(STDOUT_FILENO);
			alerts = true;
		} else if (c == 'A')
			all = true;
		else
			return cli_usage(usage_watch, c == 'h' ? 0 : DESK_USAGE);
	}
	if (optind != argc || (all && !alerts))
		return cli_usage(usage_watch, DESK_USAGE);
	/* Waiting for events is not a timeout. */
	cli->timeout_ms = 0;
	for (;;) {
		struct desk_frame f;

		if ((rc = cli_connect(cli, true)) != DESK_OK) {
			/* Wrong credentials will not fix themselves. */
			if (rc == DESK_AUTH || rc == DESK_USAGE ||
			    !once_connected)
				return rc;
			goto retry;
		}
		/* Whom the alerts are for, asked once (filtered here: the
		 * stream is the log's, the same for every watcher). */
		if (alerts && !all && *w.role == '\0' &&
		    (rc = who_watches(cli, &w)) != DESK_OK) {
			if (rc != DESK_CONNECT)
				return rc;
			goto retry;
		}
		/* Names before the stream starts: no call on it after. */
		if (!cli->json)
			cli_people_load(cli);
		/* Without --since, live events only: from what the server
		 * had when we connected. */
		if (since == UINT64_MAX)
			since = desk_welcome(cli->d)->last_seq;
		rc = desk_subscribe_marked(cli->d, since, types, ntypes,
		    &last);
		if (rc != DESK_OK) {
			fprintf(stderr, _("desk watch: %s\n"), cli_error(cli));
			if (rc != DESK_CONNECT)
				return rc;
			goto retry;
		}
		if (!once_connected && !cli->json)
			fprintf(stderr, _("watching %1$s after event %2$" PRIu64
			    " (Ctrl-C to stop)\n"), cli->server, since);
		once_connected = true;
		backoff_ms = 250;
		while ((rc = desk_recv(cli->d, &f, 0)) == DESK_OK) {
			if (f.event != NULL && alerts && !all &&
			    f.event->alert != NULL &&
			    !addressed(&w, f.event->alert)) {
				/* Not this desk's: passed over, not lost. */
				since = f.event->seq;
			} else if (f.event != NULL) {
				/* H2: a breach or escalation should be heard. */
				if (bell && (strcmp(f.event->type,
				    "alert.raised") == 0 || strcmp(f.event->type,
				    "alert.escalated") == 0))
					fputc('\a', stdout);
				/* The replay's end: said once, aside, never
				 * as an event (it is not one of the log). */
				if (strcmp(f.event->type,
				    "subscribe.caught_up") != 0)
					print_event(cli, f.event);
				else if (!caught_up && !cli->json)
					fprintf(stderr, _("caught up at event "
					    "%" PRIu64 "; live from here\n"),
					    f.event->seq);
				caught_up |= strcmp(f.event->type,
				    "subscribe.caught_up") == 0;
				since = f.event->seq;
			}
			desk_frame_free(&f);
		}
		fprintf(stderr, _("desk watch: %1$s; reconnecting from event "
		    "%2$llu\n"), cli_error(cli), (unsigned long long)since);
retry:
		desk_close(cli->d);
		cli->d = NULL;
		usleep((useconds_t)backoff_ms * 1000);
		if (backoff_ms < 5000)
			backoff_ms *= 2;
	}
}
