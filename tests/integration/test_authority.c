/*
 * test_authority.c - who may do what with each kind of record is said once,
 * in the kind's description (server/core/kind.h), and a real deskd does
 * exactly that: every kind the areas register, for every role, over TLS:
 *
 *   export  OK when the role has the kind's export permission (and the
 *           kind's own export rule, A1's for attendance, lets it), else
 *           PERMISSION_DENIED;
 *   import  (an empty dry run: nothing stored) OK when the role has the
 *           kind's write permission and the kind is imported at all,
 *           INVALID_ARGUMENT for a kind deskd makes itself, else
 *           PERMISSION_DENIED;
 *   get, list and history, where a kind is served by the generic
 *           handlers: the row asks the kind's read permission, and a role
 *           with it gets its (empty) list or is told NOT_FOUND for a
 *           record that is not there, others PERMISSION_DENIED.
 *
 * A kind added later is walked the same way without touching this file.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "area.h"
#include "config.h"
#include "harness.h"
#include "kind.h"

#define PW	"authority-pass-1"
#define ST(x)	DESKD__STATUS__##x

static struct server_proc srv;
static struct h_staff staff;

struct seat {
	struct desk	**desk;
	const char	 *user;
	enum role	  role;
};

static const struct seat seats[] = {
	{ &staff.clerk, "clerk1", ROLE_CLERK },
	{ &staff.sup, "sup1", ROLE_SUPERVISOR },
	{ &staff.dir, "dir1", ROLE_DIRECTOR },
	{ &staff.eng, "eng1", ROLE_ENGINEER },
	{ &staff.admin, "admin", ROLE_ADMIN },
};

static int
setup(void **state)
{
	(void)state;
	area_register_all(area_list);
	h_office_up(&srv, NULL, PW, &staff);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	h_office_down(&srv, &staff);
	return 0;
}

/* The status the table promises a role for exporting kind k. */
static Deskd__Status
export_expected(const struct kind *k, const struct seat *s)
{
	struct config cfg;
	struct apply_ctx ctx;
	Deskd__Status st = ST(OK);

	if (!perm_allows(s->role, k->export))
		return ST(PERMISSION_DENIED);
	if (k->may_export == NULL)
		return ST(OK);
	config_defaults(&cfg);
	ctx_init(&ctx, &cfg, NULL, 0, s->user);
	ctx.role = s->role;
	st = k->may_export(&ctx);
	ctx_done(&ctx);
	return st;
}

static Deskd__Status
import_expected(const struct kind *k, const struct seat *s)
{
	if (!perm_allows(s->role, k->write))
		return ST(PERMISSION_DENIED);
	return k->import != NULL ? ST(OK) : ST(INVALID_ARGUMENT);
}

static void
expect_status(const struct seat *s, const Deskd__Request *req,
    Deskd__Status want, const char *what, const char *kind)
{
	char msg[512];
	Deskd__Status got = h_call_status(*s->desk, req, msg, sizeof(msg));

	if (got != want)
		fail_msg("%s %s as %s: status %d, the table says %d (%s)",
		    what, kind, role_name(s->role), got, want, msg);
}

static void
test_export_and_import_by_the_table(void **state)
{
	const struct kind *k;
	size_t nkinds = 0;

	(void)state;
	for (size_t i = 0; (k = area_kind_nth(i)) != NULL; i++, nkinds++)
		for (size_t j = 0; j < sizeof(seats) / sizeof(seats[0]); j++) {
			Deskd__Request req = DESKD__REQUEST__INIT;
			Deskd__ExportRequest e = DESKD__EXPORT_REQUEST__INIT;
			Deskd__ImportBatch b = DESKD__IMPORT_BATCH__INIT;

			e.kind = (char *)k->name;
			e.limit = 1;
			req.body_case = DESKD__REQUEST__BODY_EXPORT;
			req.export = &e;
			expect_status(&seats[j], &req,
			    export_expected(k, &seats[j]), "export", k->name);
			b.kind = (char *)k->name;
			b.dry_run = true;
			req.body_case = DESKD__REQUEST__BODY_IMPORT_BATCH;
			req.import_batch = &b;
			expect_status(&seats[j], &req,
			    import_expected(k, &seats[j]), "import", k->name);
		}
	/* Every kind of the tree was walked: the registers and the rest. */
	assert_true(nkinds >= 25);
}

/* A request of the row's body with its `id` set, if it has one (else a
 * list: false), owned by *body. */
static bool
request_for(const struct request_row *r, uint64_t id, Deskd__Request *req,
    ProtobufCMessage **body)
{
	const ProtobufCFieldDescriptor *f =
	    protobuf_c_message_descriptor_get_field(&deskd__request__descriptor,
	    (unsigned)r->body);
	const ProtobufCMessageDescriptor *d = f->descriptor;
	const ProtobufCFieldDescriptor *idf =
	    protobuf_c_message_descriptor_get_field_by_name(d, "id");

	*body = calloc(1, d->sizeof_message);
	assert_non_null(*body);
	protobuf_c_message_init(d, *body);
	if (idf != NULL)
		*(uint64_t *)((char *)*body + idf->offset) = id;
	deskd__request__init(req);
	req->body_case = r->body;
	*(ProtobufCMessage **)((char *)req + f->offset) = *body;
	return idf != NULL;
}

static void
test_generic_reads_by_the_table(void **state)
{
	const struct area *a;
	size_t rows = 0;

	(void)state;
	for (size_t i = 0; (a = area_nth(i)) != NULL; i++)
		for (size_t j = 0; j < a->nrequests; j++) {
			const struct request_row *r = &a->requests[j];

			if (r->kind == NULL)
				continue;
			rows++;
			/* The row asks what the kind says reading takes. */
			assert_int_equal(r->op, r->kind->read);
			for (size_t s = 0; s < sizeof(seats) / sizeof(seats[0]);
			    s++) {
				Deskd__Request req;
				ProtobufCMessage *body;
				bool one = request_for(r, 987654321, &req,
				    &body);

				expect_status(&seats[s], &req,
				    !perm_allows(seats[s].role, r->kind->read) ?
				    ST(PERMISSION_DENIED) : one ? ST(NOT_FOUND) :
				    ST(OK), r->name, r->kind->name);
				free(body);
			}
		}
	/* Gets, lists and histories of complaints, repairs, duty requests,
	 * alerts at least. */
	assert_true(rows >= 9);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_export_and_import_by_the_table),
		cmocka_unit_test(test_generic_reads_by_the_table),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
