/*
 * cli_archive.c - `desk unit ...` and `desk person ...`: the owner archive
 * (业户档案, E6).  Phone and ID numbers come back masked; `person reveal`
 * asks for one full number with a reason (on record), and `person export
 * --unmasked` is the admin's, logged by the server.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_record.h"

#define MAX_REPEATED	16	/* --vehicle and --clear */

static const char usage_unit[] = N_(
"usage: desk unit COMMAND [ARGS]   (each takes --help)\n"
"The units of the owner archive (E6), by code: building-entrance-room.\n");

static const char usage_unit_edit[] = N_(
"usage: desk unit add CODE [--area M2] [--status STATUS] [--note TEXT]\n"
"       desk unit set CODE [--area M2] [--status STATUS] [--note TEXT]\n"
"                          [--clear note]\n"
"CODE: building-entrance-room, e.g. 3-2-1201 (the server's unit_pattern).\n"
"--area: floor area in m², at most 2 decimals (89.5).\n"
"STATUS: occupied, vacant, renovation or let (add: vacant).\n");

static const char usage_unit_show[] = N_(
"usage: desk unit show CODE\n"
"The unit and its people, phone and ID numbers masked (E6).\n");

static const char usage_unit_list[] = N_(
"usage: desk unit list [--prefix CODE] [--status STATUS] [--limit N]\n"
"Units by code; --prefix 3-2- lists one entrance.\n");

static const char usage_person[] = N_(
"usage: desk person COMMAND [ARGS]   (each takes --help)\n"
"Owners and tenants of the archive (E6); numbers are shown masked.\n");

static const char usage_person_edit[] = N_(
"usage: desk person add --unit CODE --name NAME [FIELDS]\n"
"       desk person set ID [--unit CODE] [--name NAME] [FIELDS]\n"
"                   [--clear FIELD]...\n"
"FIELDS: --kind owner|tenant (add: owner), --phone NUMBER,\n"
"  --id-number NUMBER, --vehicle PLATE (repeat; replaces the list),\n"
"  --emergency-name NAME, --emergency-phone NUMBER, --move-in YYYY-MM-DD,\n"
"  --note TEXT.\n"
"--clear: phone, id_number, vehicles, emergency_name, emergency_phone,\n"
"  move_in or note.\n"
"Phone and ID numbers are sealed by the server (archive_key) and shown\n"
"masked to everyone: desk person reveal shows one, with a reason.\n");

static const char usage_person_show[] = N_(
"usage: desk person show ID\n"
"One person, phone and ID numbers masked.\n");

static const char usage_person_reveal[] = N_(
"usage: desk person reveal ID --reason TEXT [--field FIELD]\n"
"Show one full number: FIELD is phone (default), id_number or\n"
"emergency_phone.  Who revealed what, when and why is recorded, and a\n"
"supervisor can list it (desk person reveals).  A clerk reveals while on\n"
"duty by the published schedule; more than 10 in 10 minutes alert the\n"
"supervisor.\n");

static const char usage_person_reveals[] = N_(
"usage: desk person reveals [--person ID] [--limit N]\n"
"Who revealed which number, when and why (supervisor, director, admin):\n"
"a person's, or a complaint's or repair's call-back number (PERSON names\n"
"the record, e.g. complaint:12).\n");

static const char usage_person_export[] = N_(
"usage: desk person export [--unmasked] [--limit N]\n"
"Every person as JSON lines.  --unmasked (admin only) puts the full\n"
"numbers in, and the server records the export as an event.\n");

/* --help anywhere: print usage to stdout and return 1. */
static int
help(int argc, char **argv, const char *usage)
{
	if (!cli_wants_help(argc, argv))
		return 0;
	fputs(_(usage), stdout);
	return 1;
}

static int
parse_status(const char *v, Deskd__UnitStatus *out)
{
	static const char *const names[] = { "occupied", "vacant",
	    "renovation", "let" };

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(v, names[i]) == 0) {
			*out = (Deskd__UnitStatus)(i + 1);
			return 0;
		}
	fprintf(stderr, _("desk unit: status '%s': occupied, vacant, "
	    "renovation or let\n"), v);
	return -1;
}

/* A unit's status and a person's kind as a desk reads them; the words
 * typed (--status let, --kind tenant) and files stay deskd's. */
static const char *
unit_status(Deskd__UnitStatus st)
{
	static const char *const words[] = { NC_("unit status", "occupied"),
	    NC_("unit status", "vacant"), NC_("unit status", "renovation"),
	    NC_("unit status", "let") };

	if (st >= 1 && (size_t)st <= sizeof(words) / sizeof(words[0]))
		return i18n_ctext(words[st - 1]);
	return cli_enum_label(&deskd__unit_status__descriptor, (int)st,
	    "UNIT_");
}

static const char *
person_kind(Deskd__PersonKind k)
{
	if (k == DESKD__PERSON_KIND__PERSON_OWNER)
		return i18n_ctext(NC_("person kind", "owner"));
	if (k == DESKD__PERSON_KIND__PERSON_TENANT)
		return i18n_ctext(NC_("person kind", "tenant"));
	return cli_enum_label(&deskd__person_kind__descriptor, (int)k,
	    "PERSON_");
}

static void
fmt_area(uint32_t dm2, char *out, size_t len)
{
	if (dm2 == 0)
		snprintf(out, len, "-");
	else
		snprintf(out, len, "%u.%02u m²", dm2 / 100, dm2 % 100);
}

/* Call; print the reply's body with print (or as JSON); exit code. */
static int
call_print(struct cli *cli, Deskd__Request *req,
    void (*print)(const ProtobufCMessage *))
{
	Deskd__Response *resp = NULL;
	const ProtobufCMessage *m;
	int rc;

	if ((rc = cli_connect(cli, true)) != DESK_OK)
		return rc;
	if ((rc = cli_call(cli, req, &resp)) == DESK_OK &&
	    (m = cli_body(resp)) != NULL) {
		if (cli->json)
			cli_print_json(cli_to_json(m));
		else
			print(m);
	}
	if (resp)
		deskd__response__free_unpacked(resp, NULL);
	return rc;
}

/* ---------- units ---------- */

static void
print_unit(const ProtobufCMessage *m)
{
	const Deskd__Unit *u = (const Deskd__Unit *)m;
	char buf[64];

	printf(_("unit %s  %s\n"), u->code, unit_status(u->status));
	fmt_area(u->area_dm2, buf, sizeof(buf));
	cli_field(field_label(u->base.descriptor, "area_dm2"), buf);
	snprintf(buf, sizeof(buf), "%u", u->people);
	cli_field(field_label(u->base.descriptor, "people"), buf);
	cli_field(field_label(u->base.descriptor, "note"), u->note);
	cli_recorded(u->created_by, u->created_ms, u->revision, u->import_file,
	    u->import_ref, u->reported_by, u->reported_ms);
}

static const struct cli_col people_cols[] = {
	{ N_("ID"), 6, "id" }, { N_("KIND"), 7, "kind" },
	{ N_("NAME"), 12, "name" }, { N_("PHONE"), 14, "phone" },
	{ N_("ID NUMBER"), 20, "id_number" },
	{ N_("VEHICLES"), 12, "vehicles" }, { N_("MOVE-IN"), 10, "move_in" },
};
#define NPEOPLE_COLS	(sizeof(people_cols) / sizeof(people_cols[0]))

static void
person_row(const Deskd__Person *p)
{
	char id[24], date[16];

	snprintf(id, sizeof(id), "%" PRIu64, p->id);
	if (p->move_in)
		snprintf(date, sizeof(date), "%04u-%02u-%02u", p->move_in /
		    10000, p->move_in / 100 % 100, p->move_in % 100);
	else
		snprintf(date, sizeof(date), "-");
	cli_cell(stdout, id, people_cols[0].width);
	cli_cell(stdout, person_kind(p->kind), people_cols[1].width);
	cli_cell(stdout, p->name, people_cols[2].width);
	cli_cell(stdout, *p->phone ? p->phone : "-", people_cols[3].width);
	cli_cell(stdout, *p->id_number ? p->id_number : "-",
	    people_cols[4].width);
	cli_cell(stdout, p->n_vehicles ? p->vehicles[0] : "-",
	    people_cols[5].width);
	printf("%s\n", date);
}

static void
print_unit_show(const ProtobufCMessage *m)
{
	const Deskd__UnitShow *s = (const Deskd__UnitShow *)m;

	if (s->unit != NULL)
		print_unit(&s->unit->base);
	if (s->n_people == 0)
		return;
	printf("\n");
	cli_header(people_cols, NPEOPLE_COLS);
	for (size_t i = 0; i < s->n_people; i++)
		person_row(s->people[i]);
}

static int
unit_edit(struct cli *cli, int argc, char **argv, bool add)
{
	static const struct option opts[] = {
		{ "area", required_argument, NULL, 'a' },
		{ "status", required_argument, NULL, 's' },
		{ "note", required_argument, NULL, 'n' },
		{ "clear", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__UnitSet s = DESKD__UNIT_SET__INIT;
	Deskd__UnitAdd a = DESKD__UNIT_ADD__INIT;
	char *clear[MAX_REPEATED];
	int64_t area;
	int c;

	if (help(argc, argv, usage_unit_edit))
		return 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'a':
			if (cli_parse_money(optarg, &area) != 0 || area <= 0 ||
			    area > UINT32_MAX) {
				fprintf(stderr, _("desk unit: --area '%s' is "
				    "not an area in m² (89.5)\n"), optarg);
				return DESK_USAGE;
			}
			s.area_dm2 = (uint32_t)area;
			break;
		case 's':
			if (parse_status(optarg, &s.status) != 0)
				return DESK_USAGE;
			break;
		case 'n':
			s.note = optarg;
			break;
		case 'c':
			if (add || s.n_clear == MAX_REPEATED)
				return cli_usage(usage_unit_edit, DESK_USAGE);
			clear[s.n_clear++] = optarg;
			break;
		default:
			return cli_usage(usage_unit_edit, DESK_USAGE);
		}
	}
	if (optind + 1 != argc)
		return cli_usage(usage_unit_edit, DESK_USAGE);
	s.code = argv[optind];
	s.clear = clear;
	if (add) {
		a.code = s.code;
		a.area_dm2 = s.area_dm2;
		a.status = s.status;
		a.note = s.note;
		req.body_case = DESKD__REQUEST__BODY_UNIT_ADD;
		req.unit_add = &a;
	} else {
		req.body_case = DESKD__REQUEST__BODY_UNIT_SET;
		req.unit_set = &s;
	}
	return call_print(cli, &req, print_unit);
}

static int
unit_add(struct cli *cli, int argc, char **argv)
{
	return unit_edit(cli, argc, argv, true);
}

static int
unit_set(struct cli *cli, int argc, char **argv)
{
	return unit_edit(cli, argc, argv, false);
}

static int
unit_show(struct cli *cli, int argc, char **argv)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__UnitGet g = DESKD__UNIT_GET__INIT;

	if (help(argc, argv, usage_unit_show))
		return 0;
	if (argc != 2)
		return cli_usage(usage_unit_show, DESK_USAGE);
	g.code = argv[1];
	req.body_case = DESKD__REQUEST__BODY_UNIT_GET;
	req.unit_get = &g;
	return call_print(cli, &req, print_unit_show);
}

static const struct cli_col unit_cols[] = {
	{ NC_("unit", "CODE"), 14, "code" }, { N_("STATUS"), 12, "status" },
	{ N_("AREA"), 12, "area" }, { N_("PEOPLE"), 7, "people" },
	{ N_("NOTE"), 30, "note" },
};

static int
unit_list_cmd(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "prefix", required_argument, NULL, 'p' },
		{ "status", required_argument, NULL, 's' },
		{ "limit", required_argument, NULL, 'l' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__UnitList l = DESKD__UNIT_LIST__INIT;
	uint64_t limit = UINT64_MAX, shown = 0;
	char after[128] = "";
	bool more = true;
	int c, rc;

	if (help(argc, argv, usage_unit_list))
		return 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'p')
			l.prefix = optarg;
		else if (c == 's' && parse_status(optarg, &l.status) == 0)
			continue;
		else if (c == 'l' && cli_parse_u64(optarg, &limit) == 0)
			continue;
		else if (c != 'p')
			return cli_usage(usage_unit_list, DESK_USAGE);
	}
	if (optind != argc)
		return cli_usage(usage_unit_list, DESK_USAGE);
	if ((rc = cli_connect(cli, true)) != DESK_OK)
		return rc;
	req.body_case = DESKD__REQUEST__BODY_UNIT_LIST;
	req.unit_list = &l;
	if (!cli->json)
		cli_header(unit_cols, sizeof(unit_cols) / sizeof(unit_cols[0]));
	/* Paged by code: each page starts after the last code shown. */
	while (more && shown < limit && rc == DESK_OK) {
		Deskd__Response *resp = NULL;
		Deskd__UnitListReply *r;

		l.after = after;
		more = false;
		if ((rc = cli_call(cli, &req, &resp)) == DESK_OK &&
		    resp->body_case == DESKD__RESPONSE__BODY_UNIT_LIST) {
			r = resp->unit_list;
			for (size_t i = 0; i < r->n_units && shown < limit;
			    i++, shown++) {
				const Deskd__Unit *u = r->units[i];
				char area[32], people[16];

				snprintf(after, sizeof(after), "%s", u->code);
				if (cli->json) {
					cli_print_json(cli_to_json(&u->base));
					continue;
				}
				fmt_area(u->area_dm2, area, sizeof(area));
				snprintf(people, sizeof(people), "%u",
				    u->people);
				cli_cell(stdout, u->code, unit_cols[0].width);
				cli_cell(stdout, unit_status(u->status),
				    unit_cols[1].width);
				cli_cell(stdout, area, unit_cols[2].width);
				cli_cell(stdout, people, unit_cols[3].width);
				printf("%s\n", *u->note ? u->note : "-");
			}
			more = r->more && r->n_units > 0;
		}
		if (resp)
			deskd__response__free_unpacked(resp, NULL);
	}
	return rc;
}

static const struct cli_cmd unit_cmds[] = {
	{ "add", unit_add, N_("add a unit: code, area, status (E6)") },
	{ "show", unit_show, N_("a unit and its people, numbers masked") },
	{ "list", unit_list_cmd, N_("units by code") },
	{ "set", unit_set, N_("change a unit's area, status or note") },
};

int
cli_unit(struct cli *cli, int argc, char **argv)
{
	return cli_dispatch(cli, unit_cmds, sizeof(unit_cmds) /
	    sizeof(unit_cmds[0]), usage_unit, argc, argv);
}

/* ---------- people ---------- */

static void
print_person(const ProtobufCMessage *m)
{
	const Deskd__Person *p = (const Deskd__Person *)m;
	char buf[512];
	size_t used = 0;

	snprintf(buf, sizeof(buf), "%" PRIu64, p->id);
	printf(_("person %s  %s, %s of %s\n"), buf, p->name,
	    person_kind(p->kind), p->unit);
	cli_field(field_label(p->base.descriptor, "phone"), p->phone);
	cli_field(field_label(p->base.descriptor, "id_number"),
	    p->id_number);
	buf[0] = '\0';
	for (size_t i = 0; i < p->n_vehicles && used < sizeof(buf); i++)
		used += (size_t)snprintf(buf + used, sizeof(buf) - used,
		    "%s%s", i ? ", " : "", p->vehicles[i]);
	cli_field(field_label(p->base.descriptor, "vehicles"), buf);
	snprintf(buf, sizeof(buf), "%s%s%s", p->emergency_name,
	    *p->emergency_name && *p->emergency_phone ? " " : "",
	    p->emergency_phone);
	cli_field(_("emergency"), buf);
	if (p->move_in)
		snprintf(buf, sizeof(buf), "%04u-%02u-%02u", p->move_in / 10000,
		    p->move_in / 100 % 100, p->move_in % 100);
	else
		buf[0] = '\0';
	cli_field(_("move-in"), buf);
	cli_field(field_label(p->base.descriptor, "note"), p->note);
	cli_recorded(p->created_by, p->created_ms, p->revision, p->import_file,
	    p->import_ref, p->reported_by, p->reported_ms);
}

static int
person_edit(struct cli *cli, int argc, char **argv, bool add)
{
	static const struct option opts[] = {
		{ "unit", required_argument, NULL, 'u' },
		{ "name", required_argument, NULL, 'n' },
		{ "kind", required_argument, NULL, 'k' },
		{ "phone", required_argument, NULL, 'p' },
		{ "id-number", required_argument, NULL, 'i' },
		{ "vehicle", required_argument, NULL, 'v' },
		{ "emergency-name", required_argument, NULL, 'e' },
		{ "emergency-phone", required_argument, NULL, 'E' },
		{ "move-in", required_argument, NULL, 'm' },
		{ "note", required_argument, NULL, 'N' },
		{ "clear", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__PersonSet s = DESKD__PERSON_SET__INIT;
	Deskd__PersonAdd a = DESKD__PERSON_ADD__INIT;
	char *vehicles[MAX_REPEATED], *clear[MAX_REPEATED];
	int c;

	if (help(argc, argv, usage_person_edit))
		return 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'u': s.unit = optarg; break;
		case 'n': s.name = optarg; break;
		case 'p': s.phone = optarg; break;
		case 'i': s.id_number = optarg; break;
		case 'e': s.emergency_name = optarg; break;
		case 'E': s.emergency_phone = optarg; break;
		case 'm':
			if (cli_day_arg("move-in", optarg) != 0)
				return DESK_USAGE;
			s.move_in = optarg;
			break;
		case 'N': s.note = optarg; break;
		case 'k':
			if (strcmp(optarg, "owner") == 0)
				s.kind = DESKD__PERSON_KIND__PERSON_OWNER;
			else if (strcmp(optarg, "tenant") == 0)
				s.kind = DESKD__PERSON_KIND__PERSON_TENANT;
			else
				return cli_usage(usage_person_edit, DESK_USAGE);
			break;
		case 'v':
			if (s.n_vehicles == MAX_REPEATED)
				return cli_usage(usage_person_edit, DESK_USAGE);
			vehicles[s.n_vehicles++] = optarg;
			break;
		case 'c':
			if (add || s.n_clear == MAX_REPEATED)
				return cli_usage(usage_person_edit, DESK_USAGE);
			clear[s.n_clear++] = optarg;
			break;
		default:
			return cli_usage(usage_person_edit, DESK_USAGE);
		}
	}
	s.vehicles = vehicles;
	s.clear = clear;
	if (add) {
		if (optind != argc || !*s.unit || !*s.name)
			return cli_usage(usage_person_edit, DESK_USAGE);
		a.unit = s.unit;
		a.name = s.name;
		a.kind = s.kind;
		a.phone = s.phone;
		a.id_number = s.id_number;
		a.vehicles = s.vehicles;
		a.n_vehicles = s.n_vehicles;
		a.emergency_name = s.emergency_name;
		a.emergency_phone = s.emergency_phone;
		a.move_in = s.move_in;
		a.note = s.note;
		req.body_case = DESKD__REQUEST__BODY_PERSON_ADD;
		req.person_add = &a;
	} else {
		if (optind + 1 != argc || cli_parse_u64(argv[optind],
		    &s.id) != 0)
			return cli_usage(usage_person_edit, DESK_USAGE);
		req.body_case = DESKD__REQUEST__BODY_PERSON_SET;
		req.person_set = &s;
	}
	return call_print(cli, &req, print_person);
}

static int
person_add(struct cli *cli, int argc, char **argv)
{
	return person_edit(cli, argc, argv, true);
}

static int
person_set(struct cli *cli, int argc, char **argv)
{
	return person_edit(cli, argc, argv, false);
}

static int
person_show(struct cli *cli, int argc, char **argv)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__PersonGet g = DESKD__PERSON_GET__INIT;

	if (help(argc, argv, usage_person_show))
		return 0;
	if (argc != 2 || cli_parse_u64(argv[1], &g.id) != 0)
		return cli_usage(usage_person_show, DESK_USAGE);
	req.body_case = DESKD__REQUEST__BODY_PERSON_GET;
	req.person_get = &g;
	return call_print(cli, &req, print_person);
}

static void
print_reveal(const ProtobufCMessage *m)
{
	const Deskd__Reveal *r = (const Deskd__Reveal *)m;

	printf("%s\n", r->value);
}

static int
person_reveal(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "reason", required_argument, NULL, 'r' },
		{ "field", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__PersonReveal r = DESKD__PERSON_REVEAL__INIT;
	int c;

	if (help(argc, argv, usage_person_reveal))
		return 0;
	r.field = "phone";
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'r')
			r.reason = optarg;
		else if (c == 'f')
			r.field = optarg;
		else
			return cli_usage(usage_person_reveal, DESK_USAGE);
	}
	/* E6: the reason is the point; the server refuses a blank one too. */
	if (optind + 1 != argc || cli_parse_u64(argv[optind], &r.id) != 0 ||
	    !*r.reason) {
		fprintf(stderr, _("desk person reveal: an ID and --reason TEXT "
		    "are required\n"));
		return cli_usage(usage_person_reveal, DESK_USAGE);
	}
	req.body_case = DESKD__REQUEST__BODY_PERSON_REVEAL;
	req.person_reveal = &r;
	return call_print(cli, &req, print_reveal);
}

static const struct cli_col reveal_cols[] = {
	{ N_("ID"), 6, "id" }, { N_("TIME"), 17, "time_ms" },
	{ NC_("history", "BY"), 10, "actor" }, { N_("PERSON"), 13, "person_id" },
	{ N_("UNIT"), 12, "unit" }, { N_("FIELD"), 16, "field" },
	{ N_("REASON"), 30, "reason" },
};

static void
reveal_row(const ProtobufCMessage *m, const void *arg)
{
	const Deskd__Reveal *r = (const Deskd__Reveal *)m;
	char id[24], t[32], person[48];

	(void)arg;
	snprintf(id, sizeof(id), "%" PRIu64, r->id);
	/* A call-back number (issue 11) names its record, not a person. */
	if (r->person_id == 0 && *r->record)
		snprintf(person, sizeof(person), "%s", r->record);
	else
		snprintf(person, sizeof(person), "%" PRIu64, r->person_id);
	cli_fmt_time(r->time_ms, t, sizeof(t));
	cli_cell(stdout, id, reveal_cols[0].width);
	cli_cell(stdout, t, reveal_cols[1].width);
	cli_cell(stdout, r->actor, reveal_cols[2].width);
	cli_cell(stdout, person, reveal_cols[3].width);
	cli_cell(stdout, r->unit, reveal_cols[4].width);
	cli_cell(stdout, r->field, reveal_cols[5].width);
	printf("%s\n", r->reason);
}

static void
export_row(const ProtobufCMessage *m, const void *arg)
{
	(void)arg;
	cli_print_json(cli_to_json(m));
}

/* reveals and export: a paged read by id with --limit. */
static int
paged(struct cli *cli, int argc, char **argv, bool export)
{
	static const struct option opts[] = {
		{ "person", required_argument, NULL, 'p' },
		{ "unmasked", no_argument, NULL, 'u' },
		{ "limit", required_argument, NULL, 'l' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *usage = export ? usage_person_export : usage_person_reveals;
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__RevealList rl = DESKD__REVEAL_LIST__INIT;
	Deskd__ArchiveExport ex = DESKD__ARCHIVE_EXPORT__INIT;
	uint64_t limit = UINT64_MAX;
	int c, rc;

	if (help(argc, argv, usage))
		return 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'p' && !export &&
		    cli_parse_u64(optarg, &rl.person_id) == 0)
			continue;
		if (c == 'u' && export)
			ex.unmasked = true;
		else if (c != 'l' || cli_parse_u64(optarg, &limit) != 0)
			return cli_usage(usage, DESK_USAGE);
	}
	if (optind != argc)
		return cli_usage(usage, DESK_USAGE);
	if ((rc = cli_connect(cli, true)) != DESK_OK)
		return rc;
	if (export) {
		req.body_case = DESKD__REQUEST__BODY_ARCHIVE_EXPORT;
		req.archive_export = &ex;
		return cli_list_pages(cli, &req, &ex.after_id, "id", limit,
		    export_row, NULL);
	}
	req.body_case = DESKD__REQUEST__BODY_REVEAL_LIST;
	req.reveal_list = &rl;
	if (!cli->json)
		cli_header(reveal_cols, sizeof(reveal_cols) /
		    sizeof(reveal_cols[0]));
	return cli_list_pages(cli, &req, &rl.after_id, "id", limit, reveal_row,
	    NULL);
}

static int
person_reveals(struct cli *cli, int argc, char **argv)
{
	return paged(cli, argc, argv, false);
}

static int
person_export(struct cli *cli, int argc, char **argv)
{
	return paged(cli, argc, argv, true);
}

static const struct cli_cmd person_cmds[] = {
	{ "add", person_add, N_("attach an owner or tenant to a unit (E6)") },
	{ "show", person_show, N_("one person, numbers masked") },
	{ "set", person_set, N_("change a person's details") },
	{ "reveal", person_reveal,
	    N_("one full number, with a reason (recorded)") },
	{ "reveals", person_reveals, N_("who revealed what, when and why") },
	{ "export", person_export,
	    N_("every person as JSON lines (--unmasked: admin)") },
};

int
cli_person(struct cli *cli, int argc, char **argv)
{
	return cli_dispatch(cli, person_cmds, sizeof(person_cmds) /
	    sizeof(person_cmds[0]), usage_person, argc, argv);
}
