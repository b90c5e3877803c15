/*
 * cli_import_map.c - a file's rows mapped onto a kind's record for
 * `desk import`: which kind a header is, and each row's values set into
 * the kind's message by fields.c (a value that does not fit is a
 * reject, told with the field and a short copy of the value).
 */
#include <stdio.h>
#include <string.h>

#include "cli_bulk.h"

/* How much of a bad value a reject repeats. */
#define SHOW_VALUE	40

/* At most SHOW_VALUE bytes of a value, cut at a character boundary. */
static void
short_value(const char *v, char *buf, size_t len)
{
	size_t n = strlen(v);

	if (n < SHOW_VALUE && n < len) {
		memcpy(buf, v, n + 1);
		return;
	}
	n = SHOW_VALUE < len - 4 ? SHOW_VALUE : len - 4;
	while (n > 0 && ((unsigned char)v[n] & 0xc0) == 0x80)
		n--;
	snprintf(buf, len, "%.*s...", (int)n, v);
}

/* A row into the kind's message; false (told as a reject) when a value is
 * not one its field takes. */
bool
import_row_record(struct importer *im, const struct bulk_kind *k,
    const struct row *r, ProtobufCMessage *m, struct field_arena *a,
    const char **ref)
{
	const ProtobufCFieldDescriptor *f;
	char why[256], val[SHOW_VALUE + 8], meta[192];

	protobuf_c_message_init(k->d, m);
	field_arena_clear(a);
	*ref = "";
	for (size_t i = 0; i < r->n; i++) {
		if (strcmp(r->names[i], "ref") == 0) {
			*ref = r->values[i];
			continue;
		}
		if ((f = bulk_column(k->d, r->names[i])) == NULL) {
			import_reject(im, r->line, r->names[i], _("not a "
			    "column of this kind (desk import --columns KIND)"));
			return false;
		}
		/* An empty cell is a field not given. */
		if (r->values[i][0] == '\0')
			continue;
		if (field_set(m, f, r->values[i], FIELD_SEP_FILE, a) != 0) {
			short_value(r->values[i], val, sizeof(val));
			snprintf(why, sizeof(why), _("'%s' is not %s"), val,
			    field_wanted(f, meta, sizeof(meta)));
			import_reject(im, r->line, f->name, why);
			return false;
		}
	}
	return true;
}

/* The kind of a file without --kind: the one whose message has every
 * column of the header (or the first JSON line). */
int
import_infer_kind(const char *const *names, size_t n, struct bulk_kind *out)
{
	struct bulk_kind k;
	size_t found = 0;
	const char *bad;
	char list[512] = "";

	for (size_t i = 0; bulk_kind_at(i, &k); i++) {
		/* household is person under another name. */
		if (strcmp(k.name, k.wire) != 0 || k.export_only ||
		    !bulk_columns_fit(k.d, names, n, &bad))
			continue;
		if (found++ == 0)
			*out = k;
		snprintf(list + strlen(list), sizeof(list) - strlen(list),
		    "%s%s", *list ? ", " : "", k.name);
	}
	if (found == 1) {
		fprintf(stderr, _("desk import: the columns are those of a %s "
		    "(--kind %s)\n"), out->name, out->name);
		return DESK_OK;
	}
	if (found == 0) {
		fputs(_("desk import: no kind has all these columns: give "
		    "--kind; kinds: "), stderr);
		bulk_kinds_list(stderr);
	} else
		fprintf(stderr, _("desk import: the columns fit %s: give "
		    "--kind\n"), list);
	return DESK_USAGE;
}
