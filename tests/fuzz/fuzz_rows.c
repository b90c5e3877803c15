/*
 * fuzz_rows.c - a register file as `desk import` reads it (issue 6): the
 * bytes as CSV and as JSON Lines through client/rows.c, and every cell of
 * every row into the matching field of a complaint through client/
 * fields.c, then written back out.  Nothing may crash, leak or loop; a
 * refused row must say why.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "deskd.pb-c.h"
#include "fields.h"
#include "rows.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
cells(const struct row *r)
{
	const ProtobufCMessageDescriptor *d = &deskd__complaint__descriptor;
	ProtobufCMessage *m = calloc(1, d->sizeof_message);
	struct field_arena arena = { NULL, 0, 0 };
	struct field_buf b = { NULL, 0, 0 };

	if (m == NULL)
		return;
	protobuf_c_message_init(d, m);
	for (size_t i = 0; i < r->n; i++) {
		const ProtobufCFieldDescriptor *f =
		    protobuf_c_message_descriptor_get_field_by_name(d,
		    r->names[i]);

		if (f == NULL || !field_has_text(f))
			continue;
		if (field_set(m, f, r->values[i], FIELD_SEP_FILE, &arena) ==
		    0)
			(void)field_text(m, f, &b);
	}
	field_buf_free(&b);
	field_arena_free(&arena);
	free(m);
}

static void
read_all(const uint8_t *data, size_t len, enum rows_format fmt)
{
	FILE *fp = fmemopen((void *)data, len, "r");
	const struct row *r;
	struct rows *rs;
	enum rows_status st;

	if (fp == NULL)
		return;
	if ((rs = rows_open(fp, fmt, 4096)) != NULL) {
		while ((st = rows_next(rs, &r)) != ROWS_END &&
		    st != ROWS_FATAL) {
			if (st == ROWS_ROW)
				cells(r);
			else if (rows_error(rs)[0] == '\0')
				abort();	/* a refusal says why */
		}
		rows_free(rs);
	}
	fclose(fp);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	if (len == 0)
		return 0;
	read_all(data, len, ROWS_CSV);
	read_all(data, len, ROWS_JSONL);
	return 0;
}
