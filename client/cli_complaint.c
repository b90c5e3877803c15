/*
 * cli_complaint.c - `desk complaint ...`: intake, the steps of C1-C9, and
 * the reads.  Every step command is one row of step_cmds.
 */
#include <ctype.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define ACT(x)	DESKD__COMPLAINT_ACTION__ACTION_##x

static const char *
enum_label(const ProtobufCEnumDescriptor *d, int v, const char *prefix)
{
	const ProtobufCEnumValue *ev = protobuf_c_enum_descriptor_get_value(d, v);
	const char *name = ev ? ev->name : "?";

	static char bufs[4][32];
	static int next;
	char *out = bufs[next++ % 4];
	size_t i;

	if (strncmp(name, prefix, strlen(prefix)) == 0)
		name += strlen(prefix);
	/* STATUS_OPEN -> open, LEVEL_GENERAL_MANAGER -> general manager */
	for (i = 0; name[i] && i + 1 < sizeof(bufs[0]); i++)
		out[i] = name[i] == '_' ? ' ' : (char)tolower((unsigned char)name[i]);
	out[i] = '\0';
	return out;
}

#define STATUS_LABEL(c)	enum_label(&deskd__complaint_status__descriptor, \
	(int)(c)->status, "STATUS_")
#define VALIDITY_LABEL(c) enum_label(&deskd__validity__descriptor, \
	(int)(c)->validity, "VALIDITY_")
#define LEVEL_LABEL(c)	enum_label(&deskd__escalation_level__descriptor, \
	(int)(c)->level, "LEVEL_")

static void
print_field(const char *label, const char *value)
{
	cli_cell(stdout, label, 15);
	printf("%s\n", value && *value ? value : "-");
}

static void
print_complaint(const Deskd__Complaint *c)
{
	char buf[512], t1[32];

	printf("complaint %" PRIu64 "  %s, %s, with the %s\n", c->id,
	    STATUS_LABEL(c), VALIDITY_LABEL(c), LEVEL_LABEL(c));
	print_field("unit", c->unit);
	snprintf(buf, sizeof(buf), "%s (%s)", c->complainant, c->phone);
	print_field("complainant", buf);
	snprintf(buf, sizeof(buf), "%s, by %s", c->source, c->channel);
	print_field("source", buf);
	print_field("category", c->category);
	cli_fmt_time(c->event_time_ms, t1, sizeof(t1));
	print_field("event time", t1);
	print_field("what happened", c->text);
	print_field("demand", c->demand);
	snprintf(buf, sizeof(buf), "%s%s%s", c->responsible_dept,
	    *c->responsible_dept && *c->responsible_person ? " / " : "",
	    c->responsible_person);
	print_field("responsible", buf);
	if (*c->invalid_reason)
		print_field("invalid because", c->invalid_reason);
	cli_fmt_time(c->reply_due_ms, t1, sizeof(t1));
	print_field("reply due", t1);
	cli_fmt_time(c->last_reply_ms, t1, sizeof(t1));
	print_field("last reply", t1);
	print_field("result", c->result);
	if (*c->revisit_result) {
		snprintf(buf, sizeof(buf), "%s (satisfaction %u/5)",
		    c->revisit_result, c->satisfaction);
		print_field("revisit", buf);
	}
	if (*c->ruling)
		print_field("final ruling", c->ruling);
	cli_fmt_time(c->created_ms, t1, sizeof(t1));
	snprintf(buf, sizeof(buf), "%s by %s (revision %u)", t1,
	    c->created_by, c->revision);
	print_field("recorded", buf);
}

static int
show_result(struct cli *cli, Deskd__Response *resp, bool id_only)
{
	if (resp->body_case != DESKD__RESPONSE__BODY_COMPLAINT)
		return DESK_OK;
	if (cli->json)
		cli_print_json(cli_to_json(&resp->complaint->base));
	else if (id_only)
		printf("%" PRIu64 "\n", resp->complaint->id);
	else
		print_complaint(resp->complaint);
	return DESK_OK;
}

static int
finish(struct cli *cli, const Deskd__Request *req, bool id_only)
{
	Deskd__Response *resp = NULL;
	int rc = cli_call(cli, req, &resp);

	if (rc == DESK_OK)
		show_result(cli, resp, id_only);
	if (resp)
		deskd__response__free_unpacked(resp, NULL);
	return rc;
}

static int
parse_id(const char *prog, const char *s, uint64_t *id)
{
	if (s == NULL || cli_parse_u64(s, id) != 0 || *id == 0) {
		fprintf(stderr, "%s: a complaint id (a number) is required\n",
		    prog);
		return -1;
	}
	return 0;
}

/* ---------- new ---------- */

static const char usage_new[] =
"usage: desk complaint new --unit UNIT --name NAME --phone PHONE\n"
"           --category CATEGORY --text TEXT [--demand TEXT]\n"
"           [--source customer|employee] [--channel phone|visit|wechat|letter|email|other]\n"
"           [--event-time TIME]\n"
"Record a complaint (C5: who, the event and its time, what happened, what\n"
"they ask for, a contact number).  Prints the new id.  A reply is owed\n"
"within 2 hours (C2/C3).  TIME: 'YYYY-MM-DD HH:MM', 'HH:MM' or '+30m'.\n";

static int
cmd_new(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "unit", required_argument, NULL, 'u' },
		{ "name", required_argument, NULL, 'n' },
		{ "phone", required_argument, NULL, 'p' },
		{ "category", required_argument, NULL, 'c' },
		{ "text", required_argument, NULL, 't' },
		{ "demand", required_argument, NULL, 'd' },
		{ "source", required_argument, NULL, 's' },
		{ "channel", required_argument, NULL, 'C' },
		{ "event-time", required_argument, NULL, 'e' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__ComplaintNew n = DESKD__COMPLAINT_NEW__INIT;
	const char *event_time = NULL;
	int c, rc;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'u': n.unit = optarg; break;
		case 'n': n.complainant = optarg; break;
		case 'p': n.phone = optarg; break;
		case 'c': n.category = optarg; break;
		case 't': n.text = optarg; break;
		case 'd': n.demand = optarg; break;
		case 's': n.source = optarg; break;
		case 'C': n.channel = optarg; break;
		case 'e': event_time = optarg; break;
		case 'h': return cli_usage(usage_new, 0);
		default: return cli_usage(usage_new, DESK_USAGE);
		}
	}
	if (optind != argc)
		return cli_usage(usage_new, DESK_USAGE);
	/* C5: the intake record is complete; say what is missing here. */
	if (!*n.unit || !*n.complainant || !*n.phone || !*n.category ||
	    !*n.text) {
		fprintf(stderr, "desk complaint new: missing%s%s%s%s%s\n",
		    *n.unit ? "" : " --unit", *n.complainant ? "" : " --name",
		    *n.phone ? "" : " --phone", *n.category ? "" : " --category",
		    *n.text ? "" : " --text");
		return cli_usage(usage_new, DESK_USAGE);
	}
	if ((rc = cli_connect(cli, true)) != DESK_OK)
		return rc;
	if (event_time && cli_parse_time(event_time, &n.event_time_ms) != 0) {
		fprintf(stderr, "desk complaint new: --event-time '%s' is not "
		    "a time\n", event_time);
		return DESK_USAGE;
	}
	req.body_case = DESKD__REQUEST__BODY_COMPLAINT_NEW;
	req.complaint_new = &n;
	return finish(cli, &req, true);
}

/* ---------- steps ---------- */

struct step_cmd {
	const char		*name;
	Deskd__ComplaintAction	 action;
	const char		*text_flag;	/* the flag that carries text */
	bool			 assign;	/* --dept, --person */
	bool			 next_reply;	/* --next-reply-at */
	bool			 satisfaction;
	const char		*summary;
};

static const struct step_cmd step_cmds[] = {
	{ "assign", ACT(ASSIGN), NULL, true, false, false,
	    "attribute responsibility to a department and/or person (C6)" },
	{ "valid", ACT(VALID), NULL, false, false, false,
	    "judge the complaint valid (C2)" },
	{ "invalid", ACT(INVALID), "reason", false, false, false,
	    "judge it invalid, with the reason (C3)" },
	{ "reply", ACT(REPLY), "text", false, true, false,
	    "record the reply to the complainant and the agreed next reply (C2)" },
	{ "resolve", ACT(RESOLVE), "text", false, false, false,
	    "record the resolution" },
	{ "revisit", ACT(REVISIT), "result", false, false, true,
	    "record the revisit and satisfaction 1-5 (C4)" },
	{ "escalate", ACT(ESCALATE), "reason", false, false, false,
	    "pass to the manager (C7)" },
	{ "appeal", ACT(APPEAL), "ruling", false, false, false,
	    "record the general manager's final ruling (C7, director)" },
	{ "note", ACT(NOTE), "text", false, false, false,
	    "add a note or correction; nothing is overwritten (C9)" },
};

static void
step_usage(const struct step_cmd *s, FILE *f)
{
	fprintf(f, "usage: desk complaint %s ID", s->name);
	if (s->text_flag)
		fprintf(f, " --%s TEXT", s->text_flag);
	if (s->assign)
		fprintf(f, " [--dept DEPT] [--person PERSON]");
	if (s->next_reply)
		fprintf(f, " [--next-reply-at TIME]");
	if (s->satisfaction)
		fprintf(f, " --satisfaction 1-5");
	fprintf(f, "\n%s.\n", s->summary);
	if (s->next_reply)
		fprintf(f, "A valid complaint needs --next-reply-at "
		    "('YYYY-MM-DD HH:MM', 'HH:MM' or '+2h').\n");
}

static int
cmd_step(struct cli *cli, const struct step_cmd *s, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "text", required_argument, NULL, 't' },
		{ "reason", required_argument, NULL, 't' },
		{ "result", required_argument, NULL, 't' },
		{ "ruling", required_argument, NULL, 't' },
		{ "dept", required_argument, NULL, 'd' },
		{ "person", required_argument, NULL, 'p' },
		{ "next-reply-at", required_argument, NULL, 'r' },
		{ "satisfaction", required_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__ComplaintStep st = DESKD__COMPLAINT_STEP__INIT;
	const char *next = NULL, *flag;
	uint64_t sat;
	int c, idx, rc;

	while ((c = getopt_long(argc, argv, "h", opts, &idx)) != -1) {
		flag = c == '?' || c == 'h' ? NULL : opts[idx].name;
		/* Only the flags this step takes. */
		if (c == 't' && (!s->text_flag || strcmp(flag, s->text_flag)))
			c = '?';
		if ((c == 'd' || c == 'p') && !s->assign)
			c = '?';
		if (c == 'r' && !s->next_reply)
			c = '?';
		if (c == 's' && !s->satisfaction)
			c = '?';
		switch (c) {
		case 't': st.text = optarg; break;
		case 'd': st.dept = optarg; break;
		case 'p': st.person = optarg; break;
		case 'r': next = optarg; break;
		case 's':
			if (cli_parse_u64(optarg, &sat) != 0 || sat > 5) {
				fprintf(stderr, "desk complaint %s: "
				    "--satisfaction is 1 to 5\n", s->name);
				return DESK_USAGE;
			}
			st.satisfaction = (uint32_t)sat;
			break;
		case 'h':
			step_usage(s, stdout);
			return 0;
		default:
			step_usage(s, stderr);
			return DESK_USAGE;
		}
	}
	if (optind + 1 != argc) {
		step_usage(s, stderr);
		return DESK_USAGE;
	}
	if (parse_id("desk complaint", argv[optind], &st.id) != 0)
		return DESK_USAGE;
	if ((rc = cli_connect(cli, true)) != DESK_OK)
		return rc;
	if (next && cli_parse_time(next, &st.next_reply_ms) != 0) {
		fprintf(stderr, "desk complaint %s: --next-reply-at '%s' is "
		    "not a time\n", s->name, next);
		return DESK_USAGE;
	}
	st.action = s->action;
	req.body_case = DESKD__REQUEST__BODY_COMPLAINT_STEP;
	req.complaint_step = &st;
	return finish(cli, &req, false);
}

/* ---------- reads ---------- */

static int
cmd_show(struct cli *cli, int argc, char **argv)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__ComplaintGet g = DESKD__COMPLAINT_GET__INIT;
	int rc;

	if (cli_wants_help(argc, argv))
		return cli_usage("usage: desk complaint show ID\n", 0);
	if (argc != 2 || parse_id("desk complaint show", argv[1], &g.id) != 0)
		return cli_usage("usage: desk complaint show ID\n", DESK_USAGE);
	if ((rc = cli_connect(cli, true)) != DESK_OK)
		return rc;
	req.body_case = DESKD__REQUEST__BODY_COMPLAINT_GET;
	req.complaint_get = &g;
	return finish(cli, &req, false);
}

static const char usage_list[] =
"usage: desk complaint list [--open] [--limit N]\n"
"List complaints, oldest first (--open: not yet closed).\n";

static void
list_row(const Deskd__Complaint *c)
{
	char id[24], due[32];

	snprintf(id, sizeof(id), "%" PRIu64, c->id);
	cli_fmt_time(c->reply_due_ms, due, sizeof(due));
	cli_cell(stdout, id, 6);
	cli_cell(stdout, STATUS_LABEL(c), 9);
	cli_cell(stdout, VALIDITY_LABEL(c), 10);
	cli_cell(stdout, c->unit, 11);
	cli_cell(stdout, c->complainant, 11);
	cli_cell(stdout, c->category, 11);
	cli_cell(stdout, due, 17);
	cli_cell(stdout, c->text, 30);
	fputc('\n', stdout);
}

static int
cmd_list(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "open", no_argument, NULL, 'o' },
		{ "limit", required_argument, NULL, 'l' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__ComplaintList l = DESKD__COMPLAINT_LIST__INIT;
	uint64_t limit = UINT64_MAX, shown = 0;
	bool more = true;
	int c, rc;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (c == 'o')
			l.open_only = true;
		else if (c == 'l' && cli_parse_u64(optarg, &limit) == 0)
			;
		else
			return cli_usage(usage_list, c == 'h' ? 0 : DESK_USAGE);
	}
	if (optind != argc)
		return cli_usage(usage_list, DESK_USAGE);
	if ((rc = cli_connect(cli, true)) != DESK_OK)
		return rc;
	req.body_case = DESKD__REQUEST__BODY_COMPLAINT_LIST;
	req.complaint_list = &l;
	if (!cli->json) {
		cli_cell(stdout, "ID", 6);
		cli_cell(stdout, "STATUS", 9);
		cli_cell(stdout, "VALIDITY", 10);
		cli_cell(stdout, "UNIT", 11);
		cli_cell(stdout, "NAME", 11);
		cli_cell(stdout, "CATEGORY", 11);
		cli_cell(stdout, "REPLY DUE", 17);
		printf("TEXT\n");
	}
	/* Page through: the server answers at most a few hundred at a time. */
	while (more && shown < limit) {
		Deskd__Response *resp = NULL;
		Deskd__ComplaintListReply *r;

		if ((rc = cli_call(cli, &req, &resp)) != DESK_OK) {
			if (resp)
				deskd__response__free_unpacked(resp, NULL);
			return rc;
		}
		r = resp->complaint_list;
		for (size_t i = 0; i < r->n_complaints && shown < limit; i++,
		    shown++) {
			if (cli->json)
				cli_print_json(cli_to_json(&r->complaints[i]->base));
			else
				list_row(r->complaints[i]);
			l.after_id = r->complaints[i]->id;
		}
		more = r->more && r->n_complaints > 0;
		deskd__response__free_unpacked(resp, NULL);
	}
	return DESK_OK;
}

static int
cmd_history(struct cli *cli, int argc, char **argv)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__ComplaintHistory h = DESKD__COMPLAINT_HISTORY__INIT;
	bool more = true;
	int rc;

	if (cli_wants_help(argc, argv))
		return cli_usage("usage: desk complaint history ID\nEvery entry "
		    "of the complaint, who and when; nothing is ever "
		    "overwritten (C9).\n", 0);
	if (argc != 2 || parse_id("desk complaint history", argv[1], &h.id))
		return cli_usage("usage: desk complaint history ID\n",
		    DESK_USAGE);
	if ((rc = cli_connect(cli, true)) != DESK_OK)
		return rc;
	req.body_case = DESKD__REQUEST__BODY_COMPLAINT_HISTORY;
	req.complaint_history = &h;
	while (more) {
		Deskd__Response *resp = NULL;
		Deskd__HistoryReply *r;

		if ((rc = cli_call(cli, &req, &resp)) != DESK_OK) {
			if (resp)
				deskd__response__free_unpacked(resp, NULL);
			return rc;
		}
		r = resp->history;
		for (size_t i = 0; i < r->n_events; i++) {
			Deskd__Event *e = r->events[i];
			char when[32];

			h.after_seq = e->seq;
			if (cli->json) {
				cli_print_json(cli_to_json(&e->base));
				continue;
			}
			cli_fmt_time(e->time_ms, when, sizeof(when));
			printf("%-7" PRIu64 " %s  ", e->seq, when);
			cli_cell(stdout, e->actor, 11);
			cli_cell(stdout, e->type, 23);
			printf("%s\n", e->summary);
			if (*e->text && strstr(e->summary, e->text) == NULL)
				printf("        %s\n", e->text);
		}
		more = r->more;
		deskd__response__free_unpacked(resp, NULL);
	}
	return DESK_OK;
}

static const char usage_group[] =
"usage: desk complaint COMMAND [ARGS]   (each takes --help)\n";

int
cli_complaint(struct cli *cli, int argc, char **argv)
{
	static const struct cli_cmd reads[] = {
		{ "new", cmd_new, "record a new complaint (C5)" },
		{ "list", cmd_list, "list complaints" },
		{ "show", cmd_show, "one complaint as it stands" },
		{ "history", cmd_history, "every entry of one complaint (C9)" },
	};
	size_t nsteps = sizeof(step_cmds) / sizeof(step_cmds[0]);

	if (argc >= 2)
		for (size_t i = 0; i < nsteps; i++)
			if (strcmp(argv[1], step_cmds[i].name) == 0)
				return cmd_step(cli, &step_cmds[i], argc - 1,
				    argv + 1);
	if (argc < 2 || strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "help") == 0) {
		FILE *f = argc < 2 ? stderr : stdout;

		fputs(usage_group, f);
		for (size_t i = 0; i < 4; i++)
			fprintf(f, "  %-10s %s\n", reads[i].name,
			    reads[i].summary);
		for (size_t i = 0; i < nsteps; i++)
			fprintf(f, "  %-10s %s\n", step_cmds[i].name,
			    step_cmds[i].summary);
		return argc < 2 ? DESK_USAGE : 0;
	}
	return cli_dispatch(cli, reads, 4, usage_group, argc, argv);
}
