/*
 * import_example.c - your own importer in C with the deskd client library
 * (client/desk.h): a few complaints, each with its external key (ref), so
 * that running it twice stores them once.  Built with deskd (CMake target
 * import_example); run against a server:
 *
 *	DESK_SERVER=127.0.0.1:7443 DESK_CA=ca.pem DESK_USER=admin \
 *	DESK_PASSWORD=... ./import_example
 *
 * The units named must be in the owner archive when it has any
 * (scripts/examples/unit.csv has them).
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>

#include "desk.h"

/* Called once per row, in order, as deskd acknowledges each batch. */
static void
on_result(const Deskd__ImportResult *r, void *arg)
{
	(void)arg;
	if (r->outcome == DESKD__IMPORT_OUTCOME__IMPORT_REJECTED)
		fprintf(stderr, "row %u: %s: %s\n", r->line, r->field,
		    r->reason);
}

int
main(void)
{
	static const struct { const char *ref, *unit, *who, *text; } rows[] = {
		{ "example-1", "3-2-1201", "陈业主", "电梯异响" },
		{ "example-2", "3-2-1202", "Li Wei", "Hallway light broken" },
		{ "example-3", "5-1-0301", "王芳", "楼道堆放杂物" },
	};
	struct desk_opts o = {
		.server = getenv("DESK_SERVER") ? getenv("DESK_SERVER") :
		    "127.0.0.1:7443",
		.ca_file = getenv("DESK_CA"),
		.client_name = "import_example",
		.timeout_ms = 15000,
	};
	struct desk *d = NULL;
	struct desk_import *imp;
	struct desk_import_summary sum;
	int rc;

	signal(SIGPIPE, SIG_IGN);
	if ((rc = desk_connect(&d, &o)) != DESK_OK ||
	    (rc = desk_login(d, getenv("DESK_USER"), getenv("DESK_PASSWORD"),
	    NULL, NULL)) != DESK_OK ||
	    (rc = desk_import_begin(d, "complaint", 0, on_result, NULL,
	    &imp)) != DESK_OK) {
		fprintf(stderr, "import_example: %s\n", desk_error(d));
		desk_close(d);
		return rc;
	}
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		Deskd__Complaint c = DESKD__COMPLAINT__INIT;

		/* The record message itself; deskd fills in id, status and
		 * the times it owns. */
		c.unit = (char *)rows[i].unit;
		c.complainant = (char *)rows[i].who;
		c.phone = "13800000000";
		c.category = "repair";
		c.text = (char *)rows[i].text;
		if (desk_import_row(imp, (uint32_t)i + 1, rows[i].ref,
		    &c.base) != DESK_OK)
			break;
	}
	rc = desk_import_end(imp, &sum);
	if (rc != DESK_OK)
		fprintf(stderr, "import_example: %s\n", desk_error(d));
	printf("imported %llu, skipped %llu as duplicates, rejected %llu\n",
	    (unsigned long long)sum.stored,
	    (unsigned long long)sum.duplicates,
	    (unsigned long long)sum.rejected);
	desk_close(d);
	return rc != DESK_OK ? rc : sum.rejected ? DESK_REFUSED : DESK_OK;
}
