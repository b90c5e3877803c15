/*
 * test_protocol_limits.c - PROTOCOL.md's limits are the server's (issue
 * 11: the doc said "at most 64 entries per repeated field" while
 * ScheduleSet took 93 assignments and ImportBatch 5,000 rows).  Every
 * repeated string or message field of every request, at any depth, is
 * looked up in PROTOCOL.md section 13.1 (its own row, else "any other
 * repeated field") and compared with what validate.c enforces.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "area.h"
#include "ctx.h"
#include "validate.h"

#define DOC	DESKD_SOURCE_DIR "/proto/PROTOCOL.md"

/* The documented count of `field`: its row of the repeated-field table
 * ("| `rows` (ImportBatch) | 5000 entries |"), else the "any other" row. */
static size_t
documented(const char *field)
{
	FILE *f = fopen(DOC, "r");
	char line[1024], want[96];
	size_t any = 0, own = 0;

	assert_non_null(f);
	snprintf(want, sizeof(want), "| `%s` ", field);
	while (fgets(line, sizeof(line), f) != NULL) {
		const char *cell;

		if (strstr(line, " entries") == NULL ||
		    (cell = strstr(line + 1, "| ")) == NULL)
			continue;
		if (strncmp(line, want, strlen(want)) == 0)
			own = strtoul(cell + 2, NULL, 10);
		else if (strncmp(line, "| any other repeated field |", 28) == 0)
			any = strtoul(cell + 2, NULL, 10);
	}
	fclose(f);
	return own ? own : any;
}

static void
walk(const ProtobufCMessageDescriptor *d, int depth, size_t *checked)
{
	if (depth > 4)
		return;
	for (unsigned i = 0; i < d->n_fields; i++) {
		const ProtobufCFieldDescriptor *fd = &d->fields[i];

		if (fd->label == PROTOBUF_C_LABEL_REPEATED &&
		    (fd->type == PROTOBUF_C_TYPE_STRING ||
		    fd->type == PROTOBUF_C_TYPE_MESSAGE)) {
			size_t doc = documented(fd->name);

			if (doc != validate_count(fd->name))
				fail_msg("%s.%s: PROTOCOL.md says %zu entries, "
				    "the server takes %zu", d->name, fd->name,
				    doc, validate_count(fd->name));
			(*checked)++;
		}
		if (fd->type == PROTOBUF_C_TYPE_MESSAGE)
			walk(fd->descriptor, depth + 1, checked);
	}
}

static void
repeated_counts_agree(void **state)
{
	size_t checked = 0;

	(void)state;
	walk(&deskd__request__descriptor, 0, &checked);
	/* Subscribe, ScheduleSet and ImportBatch at least. */
	assert_true(checked >= 3);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(repeated_counts_agree),
	};

	/* An area may allow more entries (a month's schedule): as deskd. */
	area_register_all(area_list);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
