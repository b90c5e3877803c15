/*
 * provenance.c - what an area's intake does differently for a row of a
 * bulk import (H3, C9): the record keeps the file and ref it came from and
 * the author and time the file reports, apart from who imported it; the
 * steps the row implies keep the row's times; a step refused is named by
 * the row's field.  The import itself is the import area's.
 */
#include <stdio.h>
#include <string.h>

#include "provenance.h"
#include "refuse.h"

/* The string or int64 field of a message by name ("", 0: none). */
static void *
field_at(const ProtobufCMessage *m, const char *name,
    ProtobufCType type)
{
	const ProtobufCFieldDescriptor *f = protobuf_c_message_descriptor_get_field_by_name(
	    m->descriptor, name);

	if (f == NULL || f->type != type ||
	    f->label == PROTOBUF_C_LABEL_REPEATED)
		return NULL;
	return (char *)m + f->offset;
}

static const char *
str_of(const ProtobufCMessage *m, const char *name)
{
	char **p = field_at(m, name, PROTOBUF_C_TYPE_STRING);

	return p != NULL && *p != NULL ? *p : "";
}

static int64_t
ms_of(const ProtobufCMessage *m, const char *name)
{
	int64_t *p = field_at(m, name, PROTOBUF_C_TYPE_INT64);

	return p != NULL ? *p : 0;
}

void
import_provenance(struct apply_ctx *ctx, ProtobufCMessage *rec,
    const ProtobufCMessage *in)
{
	const char *by = str_of(in, "reported_by");
	int64_t ms = ms_of(in, "reported_ms");
	char **s;
	int64_t *t;

	if (*by == '\0' && ms == 0) {
		by = str_of(in, "created_by");
		ms = ms_of(in, "created_ms");
	}
	if ((s = field_at(rec, "import_file", PROTOBUF_C_TYPE_STRING)) != NULL)
		*s = (char *)ctx->import->file;
	if ((s = field_at(rec, "import_ref", PROTOBUF_C_TYPE_STRING)) != NULL)
		*s = (char *)ctx->import->ref;
	if ((s = field_at(rec, "reported_by", PROTOBUF_C_TYPE_STRING)) != NULL)
		*s = (char *)by;
	if ((t = field_at(rec, "reported_ms", PROTOBUF_C_TYPE_INT64)) != NULL)
		*t = ms;
}

void
import_step_times(ProtobufCMessage *rec, const ProtobufCMessage *in,
    const char *const *names)
{
	int64_t *t;

	for (; *names != NULL; names++)
		if ((t = field_at(rec, *names, PROTOBUF_C_TYPE_INT64)) != NULL &&
		    *t != 0 && ms_of(in, *names) != 0)
			*t = ms_of(in, *names);
}

Deskd__Status
import_step_refused(struct apply_ctx *ctx, const char *field,
    Deskd__Status st)
{
	char why[sizeof(ctx->msg) + 64];
	const char *reason = ctx->msg;
	size_t n = strspn(reason, "abcdefghijklmnopqrstuvwxyz_");

	/* "text: the resolution" names the step's own field: the row's
	 * says which. */
	if (n > 0 && strncmp(reason + n, ": ", 2) == 0)
		reason += n + 2;
	snprintf(why, sizeof(why), "%s: %s", field, reason);
	snprintf(ctx->msg, sizeof(ctx->msg), "%.*s", (int)sizeof(ctx->msg) - 1,
	    why);
	/* The step's code still says the reason (ImportResult.code). */
	refuse_renote(ctx->msg);
	return st;
}
