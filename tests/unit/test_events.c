/*
 * test_events.c - the event log's bytes in a real LMDB store (a temp dir):
 * an event with its record body packed by event_append is exactly what
 * protobuf-c packs of the whole event, so readers and `deskd verify` see
 * the same message, and so is one made from the bytes its record was put
 * with; the chain verifies; and a new record's append refuses
 * an id that is not past the last (storage never overwrites by accident).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "store.h"

struct fixture {
	char		 dir[64];
	struct store	*st;
};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct store_options o = { .map_size = 16 << 20, .create = true };
	struct store_txn t;
	char err[256];

	assert_non_null(f);
	snprintf(f->dir, sizeof(f->dir), "/tmp/deskd-events-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	assert_int_equal(store_open(&f->st, f->dir, &o, err, sizeof(err)),
	    STORE_OK);
	/* As deskd init makes it. */
	assert_int_equal(store_txn_begin(f->st, NULL, true, &t), STORE_OK);
	store_init_schema(&t);
	assert_int_equal(store_txn_commit(&t), STORE_OK);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;
	char cmd[128];

	store_close(f->st);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
	assert_int_equal(system(cmd), 0);
	free(f);
	return 0;
}

/* The stored bytes of event seq (event_get_raw: after its hash) against
 * a plain pack. */
/* What the server's complaint kind tells verify (kind.h); storage's
 * own tests say it themselves. */
static bool
complaint_open(const ProtobufCMessage *m)
{
	return ((const Deskd__Complaint *)m)->status !=
	    DESKD__COMPLAINT_STATUS__STATUS_CLOSED;
}

static const struct store_record_spec complaint_spec = {
	"complaint", RECORD_COMPLAINT, DB_COMPLAINTS, DB_COMPLAINTS_OPEN,
	&deskd__complaint__descriptor, complaint_open, true
};

static const struct store_record_spec *
complaint_specs(size_t *n)
{
	*n = 1;
	return &complaint_spec;
}

static const struct store_verify_rules complaint_rules = {
	NULL, NULL, complaint_specs
};

static void
assert_stored_as_packed(struct store_txn *t, uint64_t seq, Deskd__Event *ev)
{
	const uint8_t *data;
	size_t len, want = protobuf_c_message_get_packed_size(&ev->base);
	uint8_t *packed = malloc(want + 1);

	assert_non_null(packed);
	assert_int_equal(protobuf_c_message_pack(&ev->base, packed), want);
	assert_int_equal(event_get_raw(t, seq, &data, &len), STORE_OK);
	assert_int_equal(len, want);
	assert_memory_equal(data, packed, want);
	free(packed);
}

static void
body_packed_as_protobuf_c_would(void **state)
{
	struct fixture *f = *state;
	Deskd__Event ev = DESKD__EVENT__INIT, bare = DESKD__EVENT__INIT;
	Deskd__Complaint c = DESKD__COMPLAINT__INIT;
	Deskd__User u = DESKD__USER__INIT;
	struct store_txn t;
	uint64_t seq[3], events = 0;
	char text[600], err[256];

	/* A body over 127 bytes: its length takes two varint bytes. */
	memset(text, 'x', sizeof(text) - 1);
	text[sizeof(text) - 1] = '\0';
	c.id = 7;
	c.unit = "3-2-1201";
	c.text = text;
	c.phone = "138****0000";
	c.revision = 1;
	ev.time_ms = 1735689600000;
	ev.actor = "clerk1";
	ev.type = "complaint.created";
	ev.record = "complaint:7";
	ev.summary = "3-2-1201";
	ev.complaint = &c;
	bare.type = "import.progress";
	u.name = "sup1";
	assert_int_equal(store_txn_begin(f->st, NULL, true, &t), STORE_OK);
	assert_int_not_equal(seq[0] = event_append(&t, &ev, RECORD_COMPLAINT,
	    7), 0);
	/* The body is back in place for the caller. */
	assert_ptr_equal(ev.complaint, &c);
	assert_int_not_equal(seq[1] = event_append(&t, &bare, 0, 0), 0);
	ev.complaint = NULL;
	ev.user = &u;
	ev.type = "user.added";
	assert_int_not_equal(seq[2] = event_append(&t, &ev, 0, 0), 0);
	/* The records the events carry are stored: verify finds every
	 * record the log has (C9). */
	store_put_record(&t, DB_COMPLAINTS, DB_COMPLAINTS_OPEN, c.id, &c.base,
	    complaint_open(&c.base));
	user_put(&t, &u);
	assert_int_equal(store_txn_commit(&t), STORE_OK);

	assert_int_equal(store_txn_begin(f->st, NULL, false, &t), STORE_OK);
	ev.seq = seq[2];
	assert_stored_as_packed(&t, seq[2], &ev);
	ev.user = NULL;
	ev.complaint = &c;
	ev.type = "complaint.created";
	ev.seq = seq[0];
	assert_stored_as_packed(&t, seq[0], &ev);
	assert_stored_as_packed(&t, seq[1], &bare);
	store_txn_abort(&t);
	if (store_verify(f->st, &complaint_rules, &events, err,
	    sizeof(err)) != 0)
		fail_msg("verify: %s", err);
	assert_int_equal(events, 3);
}

static void
new_record_appended_never_overwrites(void **state)
{
	struct fixture *f = *state;
	Deskd__Complaint c = DESKD__COMPLAINT__INIT, *back;
	struct store_txn t;

	c.unit = "3-2-1201";
	c.text = "first";
	assert_int_equal(store_txn_begin(f->st, NULL, true, &t), STORE_OK);
	c.id = store_next_id(&t, RECORD_COMPLAINT);
	store_add_record(&t, DB_COMPLAINTS, DB_COMPLAINTS_OPEN, c.id, &c.base,
	    complaint_open(&c.base));
	c.id = store_next_id(&t, RECORD_COMPLAINT);
	c.text = "second";
	store_add_record(&t, DB_COMPLAINTS, DB_COMPLAINTS_OPEN, c.id, &c.base,
	    complaint_open(&c.base));
	/* Read back through the same write's cursors. */
	back = complaint_get(&t, c.id - 1);
	assert_non_null(back);
	assert_string_equal(back->text, "first");
	deskd__complaint__free_unpacked(back, NULL);
	assert_int_equal(t.err, STORE_OK);
	assert_int_equal(store_txn_commit(&t), STORE_OK);

	/* An id that is not new is refused, and the write with it. */
	assert_int_equal(store_txn_begin(f->st, NULL, true, &t), STORE_OK);
	c.id = 1;
	c.text = "overwrite?";
	store_add_record(&t, DB_COMPLAINTS, DB_COMPLAINTS_OPEN, c.id, &c.base,
	    complaint_open(&c.base));
	assert_int_not_equal(t.err, STORE_OK);
	assert_int_not_equal(store_txn_commit(&t), STORE_OK);
	assert_int_equal(store_txn_begin(f->st, NULL, false, &t), STORE_OK);
	back = complaint_get(&t, 1);
	assert_non_null(back);
	assert_string_equal(back->text, "first");
	deskd__complaint__free_unpacked(back, NULL);
	store_txn_abort(&t);
}

/*
 * A record's bytes are kept for its event (store_record_packed) across a
 * clock's or an index's put -- a new complaint arms its reply clock between
 * the two -- and end with the next record's put or any event; the event
 * made from them is what packing it would make.  Bytes with no body in
 * the event to carry them fail the transaction.
 */
static void
record_bytes_kept_for_its_event(void **state)
{
	struct fixture *f = *state;
	Deskd__Complaint c = DESKD__COMPLAINT__INIT, d = DESKD__COMPLAINT__INIT;
	Deskd__Event ev = DESKD__EVENT__INIT, bare = DESKD__EVENT__INIT;
	Deskd__Clock clock = DESKD__CLOCK__INIT;
	struct store_txn t;
	uint8_t *kept, *want;
	size_t len, wlen;
	uint64_t seq;

	c.unit = "3-2-1201";
	c.phone = "13800000000";
	c.text = "kept";
	d.unit = "3-2-1202";
	assert_int_equal(store_txn_begin(f->st, NULL, true, &t), STORE_OK);
	c.id = store_next_id(&t, RECORD_COMPLAINT);
	store_add_record(&t, DB_COMPLAINTS, DB_COMPLAINTS_OPEN, c.id, &c.base,
	    true);
	assert_non_null(kept = store_record_packed(&t, &c.base, &len));
	assert_non_null(want = store_packed(&c.base, &wlen));
	assert_int_equal(len, wlen);
	assert_memory_equal(kept, want, len);
	free(want);
	assert_null(store_record_packed(&t, &d.base, &len));
	/* A clock between them leaves the record's bytes. */
	clock.name = "complaint_reply";
	clock.record_kind = RECORD_COMPLAINT;
	clock.record_id = c.id;
	clock.deadline_ms = clock.next_ms = 1735689600000;
	clock_put(&t, NULL, &clock);
	assert_non_null(kept = store_record_packed(&t, &c.base, &len));
	ev.time_ms = 1735689600000;
	ev.type = "complaint.created";
	ev.record = "complaint:1";
	ev.complaint = &c;
	assert_int_not_equal(seq = event_append_packed(&t, &ev,
	    RECORD_COMPLAINT, c.id, kept, len), 0);
	assert_ptr_equal(ev.complaint, &c);
	assert_null(store_record_packed(&t, &c.base, &len));
	/* Another record's put ends them too. */
	store_put_record(&t, DB_COMPLAINTS, DB_COMPLAINTS_OPEN, c.id, &c.base,
	    true);
	d.id = store_next_id(&t, RECORD_COMPLAINT);
	store_add_record(&t, DB_COMPLAINTS, DB_COMPLAINTS_OPEN, d.id, &d.base,
	    true);
	assert_null(store_record_packed(&t, &c.base, &len));
	assert_non_null(kept = store_record_packed(&t, &d.base, &len));
	assert_int_equal(t.err, STORE_OK);
	assert_int_equal(store_txn_commit(&t), STORE_OK);

	assert_int_equal(store_txn_begin(f->st, NULL, false, &t), STORE_OK);
	ev.seq = seq;
	assert_stored_as_packed(&t, seq, &ev);
	store_txn_abort(&t);

	assert_int_equal(store_txn_begin(f->st, NULL, true, &t), STORE_OK);
	store_add_record(&t, DB_COMPLAINTS, DB_COMPLAINTS_OPEN,
	    store_next_id(&t, RECORD_COMPLAINT), &d.base, true);
	assert_non_null(kept = store_record_packed(&t, &d.base, &len));
	bare.type = "import.progress";
	assert_int_equal(event_append_packed(&t, &bare, 0, 0, kept, len), 0);
	assert_int_equal(t.err, STORE_CORRUPT);
	store_txn_abort(&t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(record_bytes_kept_for_its_event,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(body_packed_as_protobuf_c_would,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    new_record_appended_never_overwrites, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
