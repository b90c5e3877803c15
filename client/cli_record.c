/*
 * cli_record.c - the commands every record kind has (steps as table rows,
 * show, list pages, history), written once over the protobuf descriptors.
 */
#include <ctype.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cli_record.h"
#include "wire.h"

void
cli_set_body(Deskd__Request *req, Deskd__Request__BodyCase body, void *msg)
{
	const ProtobufCFieldDescriptor *f =
	    protobuf_c_message_descriptor_get_field(&deskd__request__descriptor,
	    (unsigned)body);

	req->body_case = body;
	*(void **)((char *)req + f->offset) = msg;
}

const ProtobufCMessage *
cli_body(const Deskd__Response *resp)
{
	const ProtobufCFieldDescriptor *f;

	if (resp->body_case == DESKD__RESPONSE__BODY__NOT_SET ||
	    (f = protobuf_c_message_descriptor_get_field(
	    &deskd__response__descriptor, (unsigned)resp->body_case)) == NULL)
		return NULL;
	return *(ProtobufCMessage *const *)((const char *)resp + f->offset);
}

/* Fill a field of a message by name: strings from str, numbers from num.
 * A companion bool NAME_set says that it was given (0 is a value too). */
static void
set_field(ProtobufCMessage *m, const char *name, const char *str, int64_t num)
{
	const ProtobufCFieldDescriptor *f =
	    protobuf_c_message_descriptor_get_field_by_name(m->descriptor, name);
	char *p, set[64];

	if (f == NULL)
		return;
	p = (char *)m + f->offset;
	if (f->type == PROTOBUF_C_TYPE_STRING)
		*(const char **)p = str;
	else if (f->type == PROTOBUF_C_TYPE_INT64 ||
	    f->type == PROTOBUF_C_TYPE_UINT64 ||
	    f->type == PROTOBUF_C_TYPE_UINT32 ||
	    f->type == PROTOBUF_C_TYPE_ENUM || f->type == PROTOBUF_C_TYPE_BOOL)
		wire_set_int(m, f, num);
	else
		return;
	snprintf(set, sizeof(set), "%s_set", name);
	if ((f = protobuf_c_message_descriptor_get_field_by_name(m->descriptor,
	    set)) != NULL && f->type == PROTOBUF_C_TYPE_BOOL)
		*(protobuf_c_boolean *)((char *)m + f->offset) = 1;
}

/* A uint64 field of a message by name ("id", "after_seq"), or NULL. */
static uint64_t *
u64_field(const ProtobufCMessage *m, const char *name)
{
	const ProtobufCFieldDescriptor *f =
	    protobuf_c_message_descriptor_get_field_by_name(m->descriptor, name);

	return f && f->type == PROTOBUF_C_TYPE_UINT64 ?
	    (uint64_t *)((char *)m + f->offset) : NULL;
}

/* A fresh message of a type, to be freed with free() (its strings are the
 * command line's). */
static ProtobufCMessage *
new_msg(const ProtobufCMessageDescriptor *d)
{
	ProtobufCMessage *m = cli_xcalloc(1, d->sizeof_message);

	protobuf_c_message_init(d, m);
	return m;
}

int
cli_parse_id(const struct cli_kind *k, const char *cmd, const char *s,
    uint64_t *id)
{
	if (s == NULL || cli_parse_u64(s, id) != 0 || *id == 0) {
		fprintf(stderr, _("desk %s%s%s: a %s id (a number) is "
		    "required\n"), k->group, cmd ? " " : "", cmd ? cmd : "",
		    k->group);
		return -1;
	}
	return 0;
}

int
cli_record_call(struct cli *cli, const struct cli_kind *k,
    const Deskd__Request *req, bool id_only)
{
	Deskd__Response *resp = NULL;
	const ProtobufCMessage *m;
	int rc = cli_call(cli, req, &resp);

	if (rc == DESK_OK && resp->body_case == k->record_body &&
	    (m = cli_body(resp)) != NULL) {
		if (cli->json)
			cli_print_json(cli_to_json(m));
		else if (id_only)
			printf("%" PRIu64 "\n", *u64_field(m, "id"));
		else
			k->print(m);
	}
	if (resp)
		deskd__response__free_unpacked(resp, NULL);
	return rc;
}

void
cli_field(const char *label, const char *value)
{
	int w = cli_width(label);

	/* Values line up after 15 columns; a longer label ("day signed
	 * (B7)") keeps a space before its value. */
	cli_cell(stdout, label, w < 15 ? 15 : w + 1);
	printf("%s\n", value && *value ? value : "-");
}

void
cli_recorded(const char *by, int64_t ms, uint32_t revision,
    const char *file, const char *ref, const char *reported_by,
    int64_t reported_ms)
{
	char buf[768], t[32];

	cli_fmt_time(ms, t, sizeof(t));
	/* C9: an import says so, by whom and from where; the file's own
	 * author and date are only what it reported. */
	if (*file == '\0') {
		snprintf(buf, sizeof(buf), _("%s by %s (revision %u)"), t,
		    cli_person_name(NULL, by), revision);
		cli_field(_("recorded"), buf);
		return;
	}
	snprintf(buf, sizeof(buf), _("%s by %s from %.200s, ref %.200s "
	    "(revision %u)"), t, cli_person_name(NULL, by), file,
	    *ref ? ref : "-", revision);
	cli_field(_("imported"), buf);
	if (*reported_by == '\0' && reported_ms == 0)
		return;
	cli_fmt_time(reported_ms, t, sizeof(t));
	snprintf(buf, sizeof(buf), "%s%s%s", *reported_by ? reported_by : "",
	    *reported_by && reported_ms ? ", " : "", reported_ms ? t : "");
	cli_field(_("reported as"), buf);
}

/* ---------- new and steps ---------- */

static void
step_usage(const struct cli_kind *k, const struct cli_step *s, FILE *f)
{
	int col = fprintf(f, _("usage: desk %s %s%s"), k->group, s->name,
	    s == k->new ? "" : _(" ID"));

	for (int i = 0; i < CLI_FLAGS; i++) {
		const struct cli_flag *fl = &s->flags[i];

		if (fl->flag == NULL)
			continue;
		if (col + (int)strlen(fl->flag) + (int)strlen(fl->meta) > 72)
			col = fprintf(f, "\n          ") - 1;
		col += fprintf(f, fl->optional ? " [--%s%s%s]" : " --%s%s%s",
		    fl->flag, *fl->meta ? " " : "", *fl->meta ? _(fl->meta) :
		    "");
	}
	fprintf(f, _("\n%s.\n"), _(s->summary));
	if (s->help && *s->help)
		fputs(_(s->help), f);
	for (int i = 0; i < CLI_FLAGS; i++)
		if (s->flags[i].flag != NULL &&
		    strcmp(s->flags[i].flag, "post") == 0)
			fputs(_(CLI_POST_HELP), f);
}

/* An enum value from its word: "repair" for KIND_REPAIR (never value 0,
 * the unset one). */
static int
parse_enum(const ProtobufCEnumDescriptor *d, const char *v, int64_t *num)
{
	for (unsigned i = 0; i < d->n_values; i++)
		if (d->values[i].value != 0 &&
		    strcmp(cli_enum_label(d, d->values[i].value, NULL), v) == 0) {
			*num = d->values[i].value;
			return 0;
		}
	return -1;
}

/* The value of one flag, or -1 after saying what is wrong with it.  Times
 * wait for the connection: they are read in the server's zone. */
static int
flag_value(const struct cli_kind *k, const struct cli_step *s,
    const struct cli_flag *fl, const char *v, int64_t *num)
{
	const ProtobufCFieldDescriptor *f;
	uint64_t u;

	switch (fl->arg) {
	case ARG_TEXT:
		return 0;
	case ARG_DAY:
		return cli_day_arg(fl->flag, v);
	case ARG_FLAG:
		*num = 1;
		return 0;
	case ARG_SCORE:
	case ARG_COUNT:
		if (cli_parse_u64(v, &u) == 0 && u >= 1 &&
		    u <= (fl->arg == ARG_SCORE ? 5 : UINT32_MAX)) {
			*num = (int64_t)u;
			return 0;
		}
		fprintf(stderr, _("desk %s %s: --%s is %s\n"), k->group,
		    s->name, fl->flag, fl->arg == ARG_SCORE ? _("1 to 5") :
		    _("a whole number from 1"));
		return -1;
	case ARG_MONEY:
		if (cli_parse_money(v, num) == 0)
			return 0;
		fprintf(stderr, _("desk %s %s: --%s '%s' is not an amount "
		    "(yuan, e.g. 35 or 35.50)\n"), k->group, s->name,
		    fl->flag, v);
		return -1;
	case ARG_ENUM:
		f = protobuf_c_message_descriptor_get_field_by_name(
		    s == k->new ? k->new_msg : k->step, fl->field);
		if (f != NULL && parse_enum(f->descriptor, v, num) == 0)
			return 0;
		fprintf(stderr, _("desk %s %s: --%s is %s\n"), k->group,
		    s->name, fl->flag, fl->meta);
		return -1;
	case ARG_TIME:
		if (cli_parse_time(v, num) == 0)
			return 0;
		fprintf(stderr, _("desk %s %s: --%s '%s' is not a time %s\n"),
		    k->group, s->name, fl->flag, v, _(field_time_range));
		return -1;
	}
	return -1;
}

/* Every required flag given?  Else say which are missing. */
static bool
flags_complete(const struct cli_kind *k, const struct cli_step *s,
    const char *const *vals)
{
	bool ok = true;

	for (int i = 0; i < CLI_FLAGS; i++)
		if (s->flags[i].flag && !s->flags[i].optional && !vals[i]) {
			if (ok)
				fprintf(stderr, _("desk %s %s: missing"),
				    k->group, s->name);
			fprintf(stderr, " --%s", s->flags[i].flag);
			ok = false;
		}
	if (!ok)
		fputc('\n', stderr);
	return ok;
}

static int
step_cmd(struct cli *cli, const struct cli_kind *k, const struct cli_step *s,
    int argc, char **argv)
{
	struct option opts[CLI_FLAGS + 2];
	const char *vals[CLI_FLAGS] = { NULL };
	int64_t nums[CLI_FLAGS] = { 0 };
	Deskd__Request req = DESKD__REQUEST__INIT;
	ProtobufCMessage *m;
	bool is_new = s == k->new;
	uint64_t id = 0;
	size_t n = 0;
	int c, rc;

	/* Only the flags this command takes; getopt returns the row's index. */
	for (int i = 0; i < CLI_FLAGS; i++)
		if (s->flags[i].flag)
			opts[n++] = (struct option){ s->flags[i].flag,
			    s->flags[i].arg == ARG_FLAG ? no_argument :
			    required_argument, NULL, i };
	opts[n++] = (struct option){ "help", no_argument, NULL, 'h' };
	opts[n] = (struct option){ NULL, 0, NULL, 0 };
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (c == 'h') {
			step_usage(k, s, stdout);
			return 0;
		}
		if (c < 0 || c >= CLI_FLAGS) {
			step_usage(k, s, stderr);
			return DESK_USAGE;
		}
		vals[c] = optarg != NULL ? optarg : "";
	}
	if (optind + (is_new ? 0 : 1) != argc || !flags_complete(k, s, vals)) {
		step_usage(k, s, stderr);
		return DESK_USAGE;
	}
	if (!is_new && cli_parse_id(k, NULL, argv[optind], &id) != 0)
		return DESK_USAGE;
	for (int i = 0; i < CLI_FLAGS; i++)
		if (vals[i] && s->flags[i].arg != ARG_TIME &&
		    flag_value(k, s, &s->flags[i], vals[i], &nums[i]) != 0)
			return DESK_USAGE;
	if ((rc = cli_connect(cli, true)) != DESK_OK)
		return rc;
	for (int i = 0; i < CLI_FLAGS; i++)
		if (vals[i] && s->flags[i].arg == ARG_TIME &&
		    flag_value(k, s, &s->flags[i], vals[i], &nums[i]) != 0)
			return DESK_USAGE;
	m = new_msg(is_new ? k->new_msg : k->step);
	/* A `new` with an action is one kind of it (desk request swap). */
	if (is_new && s->action != 0)
		set_field(m, "kind", NULL, s->action);
	if (!is_new) {
		set_field(m, "id", NULL, (int64_t)id);
		set_field(m, "action", NULL, s->action);
	}
	for (int i = 0; i < CLI_FLAGS; i++)
		if (vals[i])
			set_field(m, s->flags[i].field, vals[i], nums[i]);
	cli_set_body(&req, is_new ? k->new_body : k->step_body, m);
	rc = cli_record_call(cli, k, &req, is_new);
	free(m);
	return rc;
}

/* ---------- reads ---------- */

void
cli_event_row(const ProtobufCMessage *m, const void *arg)
{
	const Deskd__Event *e = (const Deskd__Event *)m;
	char when[32], said[1024];
	const char *summary = cli_event_summary(e, said, sizeof(said));

	(void)arg;
	cli_fmt_time(e->time_ms, when, sizeof(when));
	printf("%-7" PRIu64 " %s  ", e->seq, when);
	cli_column(stdout, cli_person_name(NULL, e->actor), 12);
	cli_column(stdout, e->type, 24);
	printf("%s\n", summary);
	if (*e->text && strstr(summary, e->text) == NULL)
		printf("        %s\n", e->text);
}

/* `desk GROUP show ID` (the record as it stands) and `desk GROUP history
 * ID` (every event of it, paged by seq). */
static int
read_cmd(struct cli *cli, const struct cli_kind *k, bool history, int argc,
    char **argv)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	const char *cmd = history ? "history" : "show";
	ProtobufCMessage *m;
	char usage[64];
	uint64_t id;
	int rc;

	snprintf(usage, sizeof(usage), _("usage: desk %s %s ID\n"), k->group,
	    cmd);
	if (cli_wants_help(argc, argv)) {
		fputs(usage, stdout);
		if (history)
			printf(_("Every entry of the %s, who and when; nothing "
			    "is ever overwritten (C9).\n"), k->group);
		return 0;
	}
	if (argc != 2 || cli_parse_id(k, cmd, argv[1], &id) != 0) {
		fputs(usage, stderr);
		return DESK_USAGE;
	}
	if ((rc = cli_connect(cli, true)) != DESK_OK)
		return rc;
	m = new_msg(history ? k->history : k->get);
	*u64_field(m, "id") = id;
	cli_set_body(&req, history ? k->history_body : k->get_body, m);
	if (history)
		rc = cli_list_pages(cli, &req, u64_field(m, "after_seq"), "seq",
		    UINT64_MAX, cli_event_row, NULL);
	else
		rc = cli_record_call(cli, k, &req, false);
	free(m);
	return rc;
}
/* The usage, made and translated already (cli_usage would look it up
 * again): on stderr, exit 2. */
static int
reveal_usage(const char *usage)
{
	fputs(usage, stderr);
	return DESK_USAGE;
}

/*
 * E6: `desk GROUP reveal ID --reason TEXT`: the call-back number of a
 * complaint or an order, which every reply shows masked.  The server
 * keeps who asked, when and why (a Reveal, like the archive's).
 */
static int
reveal_cmd(struct cli *cli, const struct cli_kind *k, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "reason", required_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__PersonReveal r = DESKD__PERSON_REVEAL__INIT;
	Deskd__Response *resp = NULL;
	char usage[256], record[64];
	uint64_t id;
	int c, rc;

	snprintf(usage, sizeof(usage), _("usage: desk %s reveal ID --reason "
	    "TEXT\nThe full phone number to call back, recorded with the "
	    "reason (E6).\nOn duty by the schedule, or a supervisor.\n"),
	    k->group);
	if (cli_wants_help(argc, argv)) {
		fputs(usage, stdout);
		return 0;
	}
	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c != 'r')
			return reveal_usage(usage);
		r.reason = optarg;
	}
	if (optind + 1 != argc || !*r.reason) {
		fprintf(stderr, _("desk %s reveal: an ID and --reason TEXT are "
		    "required\n"), k->group);
		return reveal_usage(usage);
	}
	if (cli_parse_id(k, "reveal", argv[optind], &id) != 0)
		return reveal_usage(usage);
	snprintf(record, sizeof(record), "%s:%" PRIu64, k->group, id);
	r.record = record;
	req.body_case = DESKD__REQUEST__BODY_PERSON_REVEAL;
	req.person_reveal = &r;
	if ((rc = cli_connect(cli, true)) != DESK_OK)
		return rc;
	if ((rc = cli_call(cli, &req, &resp)) == DESK_OK &&
	    resp->body_case == DESKD__RESPONSE__BODY_REVEAL) {
		if (cli->json)
			cli_print_json(cli_to_json(&resp->reveal->base));
		else
			printf("%s\n", resp->reveal->value);
	}
	if (resp != NULL)
		deskd__response__free_unpacked(resp, NULL);
	return rc;
}

/* A field that holds a login: shown as the name the person is known by
 * (issue 16). */
static bool
is_person(const char *field)
{
	size_t n = strlen(field);

	return (n > 3 && strcmp(field + n - 3, "_by") == 0) ||
	    strcmp(field, "engineer") == 0 || strcmp(field, "actor") == 0;
}

/* What a row of a list needs: the columns, and the desk for names. */
struct list_rows {
	struct cli		*cli;
	const struct cli_list	*ls;
};

static void
list_row(const ProtobufCMessage *m, const void *arg)
{
	const struct list_rows *lr = arg;
	char buf[256], cat[128];

	for (size_t i = 0; i < lr->ls->ncols; i++) {
		const struct cli_col *col = &lr->ls->cols[i];

		const ProtobufCFieldDescriptor *f =
		    protobuf_c_message_descriptor_get_field_by_name(
		    m->descriptor, col->field);

		const char *text;

		cli_cell_text(m, col->field, buf, sizeof(buf));
		/* A state or kind in the reader's language; a login as the
		 * name the person is known by, a category by its name. */
		text = is_person(col->field) ? cli_person_name(lr->cli, buf) :
		    strcmp(col->field, "category") == 0 ?
		    cli_category_name(lr->cli, buf, cat, sizeof(cat)) :
		    f != NULL && f->type == PROTOBUF_C_TYPE_ENUM ? _(buf) : buf;
		/* The last column is cut, not padded. */
		if (i + 1 < lr->ls->ncols)
			cli_column(stdout, text, col->width);
		else if (cli_width(text) > col->width)
			cli_cell(stdout, text, col->width);
		else
			fputs(text, stdout);
	}
	fputc('\n', stdout);
}

/* The list's filter flags, checked before anything is asked: a day is a
 * day, and --from is not after --to.  0, or -1 after saying what is
 * wrong. */
static int
filters_ok(const struct cli_flag *filters, int n, const char *const *vals)
{
	const char *from = NULL, *to = NULL;

	for (int i = 0; i < n; i++) {
		const struct cli_flag *fl = &filters[i];

		if (vals[i] == NULL)
			continue;
		if (fl->arg == ARG_DAY && cli_day_arg(fl->flag, vals[i]) != 0)
			return -1;
		if (strcmp(fl->field, "from_day") == 0)
			from = vals[i];
		else if (strcmp(fl->field, "to_day") == 0)
			to = vals[i];
	}
	/* Days as YYYY-MM-DD compare as text. */
	if (from != NULL && to != NULL && strcmp(from, to) > 0) {
		fprintf(stderr, _("desk: --from %1$s is after --to %2$s\n"),
		    from, to);
		return -1;
	}
	return 0;
}

int
cli_list_cmd(struct cli *cli, const struct cli_list *ls, int argc,
    char **argv)
{
	return cli_list_filtered(cli, ls, NULL, argc, argv);
}

int
cli_list_filtered(struct cli *cli, const struct cli_list *ls,
    const struct cli_flag *filters, int argc, char **argv)
{
	enum { FILTER = 256 };	/* past every short option's char */
	struct option opts[CLI_LIST_FLAGS + CLI_LIST_FILTERS + 3];
	Deskd__Request req = DESKD__REQUEST__INIT;
	ProtobufCMessage *m;
	bool on[CLI_LIST_FLAGS] = { false };
	const char *vals[CLI_LIST_FILTERS] = { NULL };
	struct list_rows lr = { cli, ls };
	uint64_t limit = UINT64_MAX;
	char field[64];
	size_t n = 0;
	int c, rc, nfilters = 0;

	while (filters != NULL && nfilters < CLI_LIST_FILTERS &&
	    filters[nfilters].flag != NULL)
		nfilters++;
	for (int i = 0; i < CLI_LIST_FLAGS; i++)
		if (ls->flags[i])
			opts[n++] = (struct option){ ls->flags[i], no_argument,
			    NULL, i };
	for (int i = 0; i < nfilters; i++)
		opts[n++] = (struct option){ filters[i].flag,
		    required_argument, NULL, FILTER + i };
	opts[n++] = (struct option){ "limit", required_argument, NULL, 'l' };
	opts[n++] = (struct option){ "help", no_argument, NULL, 'h' };
	opts[n] = (struct option){ NULL, 0, NULL, 0 };
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (c >= 0 && c < CLI_LIST_FLAGS)
			on[c] = true;
		else if (c >= FILTER && c < FILTER + nfilters)
			vals[c - FILTER] = optarg;
		else if (c != 'l' || cli_parse_u64(optarg, &limit) != 0)
			return cli_usage(ls->usage, c == 'h' ? 0 : DESK_USAGE);
	}
	if (optind != argc)
		return cli_usage(ls->usage, DESK_USAGE);
	if (filters_ok(filters, nfilters, vals) != 0)
		return DESK_USAGE;
	if ((rc = cli_connect(cli, true)) != DESK_OK)
		return rc;
	m = new_msg(ls->msg);
	/* --open sets open_only, --overdue overdue_only. */
	for (int i = 0; i < CLI_LIST_FLAGS; i++)
		if (on[i]) {
			snprintf(field, sizeof(field), "%s_only", ls->flags[i]);
			set_field(m, field, NULL, 1);
		}
	for (int i = 0; i < nfilters; i++)
		if (vals[i] != NULL)
			set_field(m, filters[i].field, vals[i], 0);
	cli_set_body(&req, ls->body, m);
	if (!cli->json)
		cli_header(ls->cols, ls->ncols);
	rc = cli_list_pages(cli, &req, u64_field(m, "after_id"), "id", limit,
	    list_row, &lr);
	free(m);
	return rc;
}

int
cli_list_pages(struct cli *cli, Deskd__Request *req, uint64_t *after,
    const char *key, uint64_t limit,
    void (*row)(const ProtobufCMessage *, const void *), const void *arg)
{
	uint64_t shown = 0;
	bool more = true;
	int rc = DESK_OK;

	/* Page through: the server answers at most a few hundred at a time. */
	while (more && shown < limit && rc == DESK_OK) {
		Deskd__Response *resp = NULL;
		const ProtobufCMessage *page;
		const ProtobufCFieldDescriptor *f, *fm;
		ProtobufCMessage *const *items = NULL;
		size_t n = 0;

		more = false;
		if ((rc = cli_call(cli, req, &resp)) == DESK_OK &&
		    (page = cli_body(resp)) != NULL) {
			/* The page's records are its repeated message field. */
			for (unsigned i = 0; i < page->descriptor->n_fields;
			    i++) {
				f = &page->descriptor->fields[i];
				if (f->label != PROTOBUF_C_LABEL_REPEATED ||
				    f->type != PROTOBUF_C_TYPE_MESSAGE)
					continue;
				n = *(const size_t *)((const char *)page +
				    f->quantifier_offset);
				items = *(ProtobufCMessage *const *const *)
				    ((const char *)page + f->offset);
				break;
			}
			for (size_t i = 0; i < n && shown < limit; i++,
			    shown++) {
				if (cli->json)
					cli_print_json(cli_to_json(items[i]));
				else
					row(items[i], arg);
				if (after != NULL)
					*after = *u64_field(items[i], key);
			}
			fm = protobuf_c_message_descriptor_get_field_by_name(
			    page->descriptor, "more");
			more = after != NULL && fm != NULL && n > 0 &&
			    *(const protobuf_c_boolean *)((const char *)page +
			    fm->offset);
		}
		if (resp)
			deskd__response__free_unpacked(resp, NULL);
	}
	return rc;
}

void
cli_header(const struct cli_col *cols, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (i + 1 < n)
			cli_column(stdout, i18n_ctext(cols[i].title),
			    cols[i].width);
		else
			printf("%s\n", i18n_ctext(cols[i].title));
}

int
cli_record_group(struct cli *cli, const struct cli_kind *k,
    const struct cli_step *steps, size_t nsteps, int argc, char **argv)
{
	FILE *f = argc < 2 ? stderr : stdout;

	if (argc >= 2 && strcmp(argv[1], "new") == 0)
		return step_cmd(cli, k, k->new, argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "list") == 0)
		return cli_list_filtered(cli, k->list, k->filters, argc - 1,
		    argv + 1);
	if (argc >= 2 && strcmp(argv[1], "show") == 0)
		return read_cmd(cli, k, false, argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "history") == 0)
		return read_cmd(cli, k, true, argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "reveal") == 0)
		return reveal_cmd(cli, k, argc - 1, argv + 1);
	for (size_t i = 0; argc >= 2 && i < nsteps; i++)
		if (strcmp(argv[1], steps[i].name) == 0)
			return step_cmd(cli, k, &steps[i], argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "--help") != 0 &&
	    strcmp(argv[1], "-h") != 0 && strcmp(argv[1], "help") != 0) {
		fprintf(stderr, _("desk %s: unknown command '%s' (try "
		    "--help)\n"), k->group, argv[1]);
		return DESK_USAGE;
	}
	fprintf(f, _("usage: desk %s COMMAND [ARGS]   (each takes --help)\n"),
	    k->group);
	fprintf(f, "  %-10s %s\n", "new", _(k->new->summary));
	fprintf(f, _("  %-10s list %ss\n"), "list", k->group);
	fprintf(f, _("  %-10s one %s as it stands\n"), "show", k->group);
	fprintf(f, _("  %-10s every entry of one %s (C9)\n"), "history",
	    k->group);
	fprintf(f, _("  %-10s the full phone number to call back, with a "
	    "reason (E6)\n"), "reveal");
	for (size_t i = 0; i < nsteps; i++)
		fprintf(f, "  %-10s %s\n", steps[i].name,
		    _(steps[i].summary));
	return argc < 2 ? DESK_USAGE : 0;
}
