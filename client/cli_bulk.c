/*
 * cli_bulk.c - what `desk import` and `desk export` share (issue 6,
 * PROTOCOL.md 10.15): the kinds of record that go in and out, a kind's
 * columns (the fields of its record message by their proto names, plus
 * `ref`), and a CSV cell written out.
 */
#include <string.h>

#include "cli_bulk.h"

/* ---------- kinds ---------- */

/* The kinds that are not registers; a register's come from
 * cli_register.c.  `household` is the person rows (IMPORT.md).  The
 * records deskd makes itself (alerts, handovers, duty requests, reveals)
 * and those HQ's reports read (users, the duty log, attendance) are
 * exported only. */
static const struct bulk_kind fixed_kinds[] = {
	{ "complaint", "complaint", &deskd__complaint__descriptor, false },
	{ "repair", "repair", &deskd__work_order__descriptor, false },
	{ "unit", "unit", &deskd__unit__descriptor, false },
	{ "person", "person", &deskd__person__descriptor, false },
	{ "household", "person", &deskd__person__descriptor, false },
	{ "fee", "fee", &deskd__fee__descriptor, false },
	{ "alert", "alert", &deskd__alert__descriptor, true },
	{ "handover", "handover", &deskd__handover__descriptor, true },
	{ "duty", "duty", &deskd__duty_request__descriptor, true },
	{ "reveal", "reveal", &deskd__reveal__descriptor, true },
	{ "user", "user", &deskd__user__descriptor, true },
	{ "dutylog", "dutylog", &deskd__duty_log_entry__descriptor, true },
	{ "attendance", "attendance", &deskd__attendance__descriptor, true },
};

#define NFIXED	(sizeof(fixed_kinds) / sizeof(fixed_kinds[0]))

/* The i-th kind; false past the last. */
bool
bulk_kind_at(size_t i, struct bulk_kind *k)
{
	if (i < NFIXED) {
		*k = fixed_kinds[i];
		return true;
	}
	if ((k->d = cli_register_kind(i - NFIXED, &k->name)) == NULL)
		return false;
	k->wire = k->name;
	k->export_only = false;
	return true;
}

bool
bulk_kind_find(const char *name, struct bulk_kind *k)
{
	for (size_t i = 0; bulk_kind_at(i, k); i++)
		if (strcmp(k->name, name) == 0)
			return true;
	return false;
}

void
bulk_kinds_list(FILE *out)
{
	struct bulk_kind k;

	for (size_t i = 0; bulk_kind_at(i, &k); i++)
		fprintf(out, "%s%s", i ? ", " : "", k.name);
	fputc('\n', out);
}

/* A field that is a column: one with text, and not a user's password
 * fields (pw_*), which deskd keeps and never sends (a user export would
 * otherwise carry a column of zero iterations). */
bool
bulk_is_column(const ProtobufCFieldDescriptor *f)
{
	return field_has_text(f) && strncmp(f->name, "pw_", 3) != 0;
}

/* The field a column fills, or NULL: not a column of the kind (`ref` is
 * checked before). */
const ProtobufCFieldDescriptor *
bulk_column(const ProtobufCMessageDescriptor *d, const char *name)
{
	const ProtobufCFieldDescriptor *f =
	    protobuf_c_message_descriptor_get_field_by_name(d, name);

	return f != NULL && bulk_is_column(f) ? f : NULL;
}

bool
bulk_columns_fit(const ProtobufCMessageDescriptor *d, const char *const *names,
    size_t n, const char **bad)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(names[i], "ref") != 0 && bulk_column(d, names[i]) ==
		    NULL) {
			*bad = names[i];
			return false;
		}
	return true;
}

void
bulk_columns_print(FILE *out, const ProtobufCMessageDescriptor *d, bool types)
{
	char meta[256];

	if (types) {
		fputs("  ", out);
		cli_cell(out, "ref", 22);
		fprintf(out, " %s\n", _("TEXT (the row's external key)"));
	} else
		fputs("ref", out);
	for (unsigned i = 0; i < d->n_fields; i++) {
		const ProtobufCFieldDescriptor *f = &d->fields[i];

		if (!bulk_is_column(f))
			continue;
		if (!types) {
			fprintf(out, ",%s", f->name);
			continue;
		}
		/* The column's name is the file's; its label says it. */
		field_help(out, d, f, f->name, 22,
		    f->label == PROTOBUF_C_LABEL_REPEATED ? "A;B;..." :
		    field_meta(f, meta, sizeof(meta)));
	}
	if (!types)
		fputc('\n', out);
}

/* ---------- CSV out (RFC 4180) ---------- */

/* A cell, quoted when it holds a comma, a quote or a line end: one pass
 * that finds its length too (an export writes a cell per field per row). */
void
csv_cell(FILE *out, const char *s, bool first)
{
	static const bool special[256] = { [','] = true, ['"'] = true,
	    ['\r'] = true, ['\n'] = true };
	size_t n = 0;

	if (!first)
		putc_unlocked(',', out);
	while (s[n] != '\0' && !special[(unsigned char)s[n]])
		n++;
	if (s[n] == '\0') {
		fwrite_unlocked(s, 1, n, out);
		return;
	}
	putc_unlocked('"', out);
	for (; *s; s++) {
		if (*s == '"')
			putc_unlocked('"', out);
		putc_unlocked(*s, out);
	}
	putc_unlocked('"', out);
}
