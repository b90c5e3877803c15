/*
 * test_fields.c - a message's fields as text (client/fields.c, issue 6):
 * every type goes text -> field -> text and back to the same field, so an
 * export imports back as it was; text a field does not take is refused;
 * the forms of a time a desk writes all read.  Every field a register,
 * a unit or a person shows has a label a person reads (issue 16).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "area.h"
#include "deskd.pb-c.h"
#include "fields.h"
#include "register.h"
#include "wire.h"

static int
setup_tz(void **state)
{
	(void)state;
	setenv("TZ", "Asia/Shanghai", 1);
	tzset();
	return 0;
}

static const ProtobufCFieldDescriptor *
field(const ProtobufCMessage *m, const char *name)
{
	const ProtobufCFieldDescriptor *f =
	    protobuf_c_message_descriptor_get_field_by_name(m->descriptor,
	    name);

	assert_non_null(f);
	return f;
}

/*
 * Set `name` from `in`, check the file text is `out`, set a fresh message
 * from `out` and check it packs the same: the round trip.
 */
static void
round_trip(const ProtobufCMessageDescriptor *d, const char *name,
    const char *in, const char *out)
{
	ProtobufCMessage *a = calloc(1, d->sizeof_message);
	ProtobufCMessage *b = calloc(1, d->sizeof_message);
	struct field_arena arena = { NULL, 0, 0 };
	struct field_buf buf = { NULL, 0, 0 };
	uint8_t pa[4096], pb[4096];
	size_t la, lb;

	protobuf_c_message_init(d, a);
	protobuf_c_message_init(d, b);
	assert_int_equal(field_set(a, field(a, name), in, FIELD_SEP_FILE,
	    &arena), 0);
	assert_string_equal(field_text(a, field(a, name), &buf), out);
	assert_int_equal(field_set(b, field(b, name), out, FIELD_SEP_FILE,
	    &arena), 0);
	la = protobuf_c_message_pack(a, pa);
	lb = protobuf_c_message_pack(b, pb);
	assert_int_equal(la, lb);
	assert_memory_equal(pa, pb, la);
	field_buf_free(&buf);
	field_arena_free(&arena);
	free(a);
	free(b);
}

static void
refused(const ProtobufCMessageDescriptor *d, const char *name, const char *in)
{
	ProtobufCMessage *m = calloc(1, d->sizeof_message);
	struct field_arena arena = { NULL, 0, 0 };

	protobuf_c_message_init(d, m);
	assert_int_equal(field_set(m, field(m, name), in, FIELD_SEP_FILE,
	    &arena), -1);
	field_arena_free(&arena);
	free(m);
}

static void
test_strings_and_integers(void **state)
{
	(void)state;
	round_trip(&deskd__complaint__descriptor, "text",
	    "楼上装修, \"噪音\"\n第二行", "楼上装修, \"噪音\"\n第二行");
	round_trip(&deskd__complaint__descriptor, "satisfaction", "5", "5");
	round_trip(&deskd__complaint__descriptor, "id", "18446744073709551615",
	    "18446744073709551615");
	round_trip(&deskd__schedule_problem__descriptor, "index", "-1", "-1");
	refused(&deskd__complaint__descriptor, "satisfaction", "4294967296");
	refused(&deskd__complaint__descriptor, "satisfaction", "-1");
	refused(&deskd__complaint__descriptor, "satisfaction", "5x");
	round_trip(&deskd__complaint__descriptor, "id", "", "0");
	refused(&deskd__schedule_problem__descriptor, "index", "2147483648");
}

static void
test_enums_and_bools(void **state)
{
	(void)state;
	/* The words, or the name --json shows; a zero that is a value
	 * (STATUS_OPEN) is written, an unset one (KIND_UNSET) is not. */
	round_trip(&deskd__complaint__descriptor, "level", "general manager",
	    "general manager");
	round_trip(&deskd__complaint__descriptor, "level",
	    "LEVEL_GENERAL_MANAGER", "general manager");
	round_trip(&deskd__complaint__descriptor, "status", "open", "open");
	round_trip(&deskd__work_order__descriptor, "kind", "KIND_UNSET", "");
	round_trip(&deskd__visitor__descriptor, "consent", "phone", "phone");
	refused(&deskd__visitor__descriptor, "consent", "maybe");
	refused(&deskd__work_order__descriptor, "kind", "unset");
	round_trip(&deskd__user__descriptor, "disabled", "yes", "true");
	round_trip(&deskd__user__descriptor, "disabled", "no", "false");
	round_trip(&deskd__user__descriptor, "disabled", "true", "true");
	refused(&deskd__user__descriptor, "disabled", "1");
	/* C5 (issue 11): a move-in day as the CLI takes it, never 0 for
	 * none; the old YYYYMMDD still reads. */
	round_trip(&deskd__person__descriptor, "move_in", "2020-08-01",
	    "2020-08-01");
	round_trip(&deskd__person__descriptor, "move_in", "20200801",
	    "2020-08-01");
	round_trip(&deskd__person__descriptor, "move_in", "", "");
	refused(&deskd__person__descriptor, "move_in", "2020-13-01");
}

static void
test_money(void **state)
{
	(void)state;
	round_trip(&deskd__work_order__descriptor, "fee_price_cents", "35",
	    "35.00");
	round_trip(&deskd__work_order__descriptor, "fee_price_cents", "35.5",
	    "35.50");
	round_trip(&deskd__work_order__descriptor, "charge_cents", "-0.05",
	    "-0.05");
	refused(&deskd__work_order__descriptor, "charge_cents", "1.234");
	refused(&deskd__work_order__descriptor, "charge_cents", "¥5");
}

static void
test_times(void **state)
{
	int64_t ms, base;

	(void)state;
	/* Every form of one instant reads the same. */
	assert_int_equal(field_parse_time("2026-01-01 08:30", &base), 0);
	assert_int_equal(base, 1767227400000LL);
	assert_int_equal(field_parse_time("2026-01-01T08:30:00", &ms), 0);
	assert_int_equal(ms, base);
	assert_int_equal(field_parse_time("2026-01-01 00:30:00Z", &ms), 0);
	assert_int_equal(ms, base);
	assert_int_equal(field_parse_time("2026-01-01 08:30:00.250+08:00",
	    &ms), 0);
	assert_int_equal(ms, base + 250);
	assert_int_equal(field_parse_time("2026-01-01 03:30-0200", &ms), 0);
	assert_int_equal(ms, base + 5 * 3600000LL);
	assert_int_equal(field_parse_time("2026-01-01", &ms), 0);
	assert_int_equal(ms, base - (8 * 60 + 30) * 60000LL);
	/* The desk's own forms still read. */
	assert_int_equal(field_parse_time("+2h", &ms), 0);
	assert_int_equal(field_parse_time("08:30", &ms), 0);
	/* Not times. */
	assert_int_equal(field_parse_time("2026-13-01", &ms), -1);
	assert_int_equal(field_parse_time("2026-01-01 25:00", &ms), -1);
	assert_int_equal(field_parse_time("2026-01-01 08:30:00.", &ms), -1);
	assert_int_equal(field_parse_time("2026-01-01 08:30 tomorrow", &ms),
	    -1);
	assert_int_equal(field_parse_time("yesterday", &ms), -1);
	/* E5 (issue 11): an end given as a day is the whole day, through
	 * the flags and files too; a start is its first moment. */
	{
		Deskd__ParkingPermit pp = DESKD__PARKING_PERMIT__INIT;
		int64_t day = base - (8 * 60 + 30) * 60000LL;

		assert_int_equal(field_parse_end("2026-01-01", &ms), 0);
		assert_int_equal(ms, day + 86400000LL - 1);
		assert_int_equal(field_parse_end("2026-01-01 08:30", &ms), 0);
		assert_int_equal(ms, base);
		assert_int_equal(field_set(&pp.base, field(&pp.base,
		    "valid_to_ms"), "2026-01-01", FIELD_SEP_FLAG, NULL), 0);
		assert_int_equal(pp.valid_to_ms, day + 86400000LL - 1);
		assert_int_equal(field_set(&pp.base, field(&pp.base,
		    "valid_from_ms"), "2026-01-01", FIELD_SEP_FLAG, NULL), 0);
		assert_int_equal(pp.valid_from_ms, day);
	}

	/* Written to the millisecond with the offset, and read back. */
	round_trip(&deskd__complaint__descriptor, "created_ms",
	    "2026-01-01 08:30", "2026-01-01 08:30:00+08:00");
	round_trip(&deskd__complaint__descriptor, "created_ms",
	    "2026-01-01 00:30:15.007Z", "2026-01-01 08:30:15.007+08:00");
	round_trip(&deskd__complaint__descriptor, "created_ms",
	    "2000-01-01 00:00:00.000Z", "2000-01-01 08:00:00+08:00");
	round_trip(&deskd__complaint__descriptor, "created_ms",
	    "2099-12-31 23:59:59.999Z", "2100-01-01 07:59:59.999+08:00");
	/* Outside the one range of times (wire.h, issue 12). */
	refused(&deskd__complaint__descriptor, "created_ms",
	    "1999-12-31 23:59:59.999Z");
	refused(&deskd__complaint__descriptor, "created_ms",
	    "2100-01-01 08:00+08:00");
	refused(&deskd__complaint__descriptor, "created_ms", "soon");
	/* A day whose offset changes (DST) is written right on both sides
	 * (the export keeps whole days of one offset only); the days around
	 * it, kept, too. */
	setenv("TZ", "America/New_York", 1);
	tzset();
	round_trip(&deskd__complaint__descriptor, "created_ms",
	    "2026-03-07 12:00:00-05:00", "2026-03-07 12:00:00-05:00");
	round_trip(&deskd__complaint__descriptor, "created_ms",
	    "2026-03-08 01:30:00-05:00", "2026-03-08 01:30:00-05:00");
	round_trip(&deskd__complaint__descriptor, "created_ms",
	    "2026-03-08 03:30:00-04:00", "2026-03-08 03:30:00-04:00");
	round_trip(&deskd__complaint__descriptor, "created_ms",
	    "2026-03-09 23:59:59.999-04:00", "2026-03-09 23:59:59.999-04:00");
	round_trip(&deskd__complaint__descriptor, "created_ms",
	    "2026-03-09 00:00:00-04:00", "2026-03-09 00:00:00-04:00");
	setenv("TZ", "Asia/Shanghai", 1);
	tzset();
	/* Shanghai's local mean time before 1901 (+08:05:43) is before the
	 * range of times, so never written (issue 12). */
	refused(&deskd__complaint__descriptor, "created_ms",
	    "1898-11-27 12:00:00+08:05:43");
}

static void
test_lists(void **state)
{
	ProtobufCMessage *m = calloc(1, deskd__person__descriptor.sizeof_message);
	struct field_arena arena = { NULL, 0, 0 };
	char show[128];

	(void)state;
	/* ';' in files (what rows.c makes of a JSON array), ',' on the
	 * command line; blanks and empty items dropped. */
	round_trip(&deskd__person__descriptor, "vehicles", " 京A12345 ;;京B1 ",
	    "京A12345;京B1");
	round_trip(&deskd__person__descriptor, "vehicles", "", "");
	protobuf_c_message_init(&deskd__person__descriptor, m);
	assert_int_equal(field_set(m, field(m, "vehicles"), "A1, B2",
	    FIELD_SEP_FLAG, &arena), 0);
	assert_int_equal(((Deskd__Person *)m)->n_vehicles, 2);
	assert_string_equal(((Deskd__Person *)m)->vehicles[1], "B2");
	field_show(m, field(m, "vehicles"), show, sizeof(show));
	assert_string_equal(show, "A1, B2");
	field_arena_free(&arena);
	free(m);
}

static void
test_columns(void **state)
{
	const ProtobufCMessageDescriptor *d = &deskd__person__descriptor;
	char name[64], meta[128];

	(void)state;
	/* Sealed bytes are never a column. */
	assert_false(field_has_text(
	    protobuf_c_message_descriptor_get_field_by_name(d,
	    "phone_sealed")));
	assert_true(field_has_text(
	    protobuf_c_message_descriptor_get_field_by_name(d, "vehicles")));
	field_flag_name(protobuf_c_message_descriptor_get_field_by_name(
	    &deskd__release_pass__descriptor, "valid_until_ms"), name,
	    sizeof(name));
	assert_string_equal(name, "valid-until");
	assert_string_equal(field_meta(
	    protobuf_c_message_descriptor_get_field_by_name(
	    &deskd__visitor__descriptor, "consent"), meta, sizeof(meta)),
	    "present|phone|standing");
	assert_string_equal(field_meta(
	    protobuf_c_message_descriptor_get_field_by_name(
	    &deskd__work_order__descriptor, "charge_cents"), meta,
	    sizeof(meta)), "YUAN");
}

/* The fields of d without a label fail; the count of those checked. */
static size_t
check_labels(const ProtobufCMessageDescriptor *d)
{
	size_t n = 0;

	for (unsigned j = 0; j < d->n_fields; j++) {
		const ProtobufCFieldDescriptor *f = &d->fields[j];

		if (f->type == PROTOBUF_C_TYPE_BYTES ||
		    strncmp(f->name, "pw_", 3) == 0)
			continue;	/* sealed or kept, never shown */
		if (!field_label_known(d, f->name))
			fail_msg("%s.%s has no label", d->short_name, f->name);
		n++;
	}
	return n;
}

/* Each field of every register deskd has, and of the other kinds `desk
 * import --columns` lists (cli_bulk.c), has its label in the table (so in
 * the catalog, translated): a register added without one fails here, not
 * in front of a desk reading "id_type". */
static void
test_labels(void **state)
{
	static const ProtobufCMessageDescriptor *const others[] = {
	    &deskd__unit__descriptor, &deskd__person__descriptor,
	    &deskd__complaint__descriptor, &deskd__work_order__descriptor,
	    &deskd__fee__descriptor, &deskd__alert__descriptor,
	    &deskd__handover__descriptor, &deskd__duty_request__descriptor,
	    &deskd__reveal__descriptor, &deskd__user__descriptor,
	    &deskd__duty_log_entry__descriptor, &deskd__attendance__descriptor,
	};
	const struct reg_def *def;
	size_t checked = 0;
	char heading[64];

	(void)state;
	area_register_all(area_list);
	for (size_t i = 0; (def = reg_def_at(i)) != NULL; i++)
		checked += check_labels(def->d);
	for (size_t i = 0; i < sizeof(others) / sizeof(others[0]); i++)
		checked += check_labels(others[i]);
	assert_true(checked > 400);
	/* A message's own label before the one for any; English otherwise
	 * the name, spaced. */
	assert_string_equal(field_label(&deskd__key__descriptor, "out_ms"),
	    "taken out");
	assert_string_equal(field_label(&deskd__visitor__descriptor,
	    "out_ms"), "out at");
	assert_string_equal(field_label(&deskd__key_count__descriptor, "out"),
	    "keys out");
	assert_string_equal(field_label(&deskd__visitor__descriptor,
	    "id_type"), "id type");
	assert_false(field_label_known(NULL, "not_a_field_ms"));
	assert_string_equal(field_label(NULL, "not_a_field_ms"),
	    "not a field");
	field_heading(&deskd__release_pass__descriptor, "valid_until_ms",
	    heading, sizeof(heading));
	assert_string_equal(heading, "VALID UNTIL");
	/* The ranges translated are wire.h's. */
	assert_string_equal(field_time_range, WIRE_TIME_RANGE);
	assert_string_equal(field_day_range, WIRE_DAY_RANGE);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_strings_and_integers),
		cmocka_unit_test(test_enums_and_bools),
		cmocka_unit_test(test_money),
		cmocka_unit_test(test_times),
		cmocka_unit_test(test_lists),
		cmocka_unit_test(test_columns),
		cmocka_unit_test(test_labels),
	};

	return cmocka_run_group_tests(tests, setup_tz, NULL);
}
