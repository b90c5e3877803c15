/*
 * test_registers.c - the front-desk registers end to end over TLS (E1-E5,
 * E7), all through the one generic RegisterAdd/Step/Get/List path: a
 * visitor needs the owner's consent (E3), present or by a standing
 * permission that has not expired; in, out, who is inside; a release pass
 * is approved by the duty officer only, used once, never after expiry
 * (E1); a key cannot go out twice, a count with a key missing lists it, a
 * key out too long raises an alert (E4); a parking permit alerts before
 * expiry and a renewal is a new entry (E5); hot work past its window
 * alerts (E7); an unknown kind, an unknown field, an over-long field are
 * refused with a clear message, and after every refusal the server serves
 * and the earlier entries are still there.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "harness.h"

#define ST(x)	DESKD__STATUS__##x
#define PW	"reg-pass-1"

static struct server_proc srv;
static struct h_staff staff;
static struct desk *clerk, *sup, *eng;

static const char *const extra[] = {
	"--clock", "key.out_too_long=2s",
	"--clock", "key.out_too_long.warn=0",
	"--clock", "parking.expiring=2s",
	"--clock", "parking.expiring.warn=0",
	"--clock", "hotwork.overrun.warn=0",
	NULL,
};

static int
setup(void **state)
{
	(void)state;
	h_office_up(&srv, extra, PW, &staff);
	clerk = staff.clerk;
	sup = staff.sup;
	eng = staff.eng;
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	h_office_down(&srv, &staff);
	return 0;
}

/* ---------- helpers: one register call each ---------- */

/* Add an entry packed from `m`; its id, or 0 with the status in *st and
 * the message in msg. */
static uint64_t
add_bytes(struct desk *d, const char *kind, const void *data, size_t len,
    Deskd__Status *st, char *msg, size_t msglen)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__RegisterAdd a = DESKD__REGISTER_ADD__INIT;
	Deskd__Response *resp = NULL;
	uint64_t id = 0;

	a.kind = (char *)kind;
	a.entry.data = (uint8_t *)data;
	a.entry.len = len;
	req.body_case = DESKD__REQUEST__BODY_REGISTER_ADD;
	req.register_add = &a;
	assert_int_not_equal(desk_call(d, &req, &resp), DESK_CONNECT);
	assert_non_null(resp);
	*st = resp->status;
	if (msg != NULL)
		snprintf(msg, msglen, "%s", resp->message);
	if (resp->status == ST(OK)) {
		assert_int_equal(resp->body_case,
		    DESKD__RESPONSE__BODY_REGISTER_ENTRY);
		assert_string_equal(resp->register_entry->kind, kind);
		id = resp->register_entry->id;
	}
	deskd__response__free_unpacked(resp, NULL);
	return id;
}

static uint64_t
add(struct desk *d, const char *kind, const ProtobufCMessage *m,
    Deskd__Status *st, char *msg, size_t msglen)
{
	size_t len = protobuf_c_message_get_packed_size(m);
	uint8_t *buf = malloc(len + 1);
	uint64_t id;

	assert_non_null(buf);
	protobuf_c_message_pack(m, buf);
	id = add_bytes(d, kind, buf, len, st, msg, msglen);
	free(buf);
	return id;
}

/* Add and expect it to be recorded. */
static uint64_t
add_ok(struct desk *d, const char *kind, const ProtobufCMessage *m)
{
	Deskd__Status st;
	char msg[256];
	uint64_t id = add(d, kind, m, &st, msg, sizeof(msg));

	if (st != ST(OK))
		fail_msg("%s add: %d %s", kind, st, msg);
	return id;
}

static Deskd__Status
step(struct desk *d, const char *kind, uint64_t id, const char *action,
    const char *person, const char *text, char *msg, size_t msglen)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__RegisterStep s = DESKD__REGISTER_STEP__INIT;

	s.kind = (char *)kind;
	s.id = id;
	s.action = (char *)action;
	s.person = (char *)(person ? person : "");
	s.text = (char *)(text ? text : "");
	req.body_case = DESKD__REQUEST__BODY_REGISTER_STEP;
	req.register_step = &s;
	return h_call_status(d, &req, msg, msglen);
}

/* The entry, decoded as its register's message (caller frees it). */
static void *
get(struct desk *d, const char *kind, uint64_t id,
    const ProtobufCMessageDescriptor *desc)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__RegisterGet g = DESKD__REGISTER_GET__INIT;
	Deskd__Response *resp;
	void *m;

	g.kind = (char *)kind;
	g.id = id;
	req.body_case = DESKD__REQUEST__BODY_REGISTER_GET;
	req.register_get = &g;
	resp = h_expect(d, &req, ST(OK));
	assert_int_equal(resp->body_case, DESKD__RESPONSE__BODY_REGISTER_ENTRY);
	m = protobuf_c_message_unpack(desc, NULL, resp->register_entry->entry.len,
	    resp->register_entry->entry.data);
	assert_non_null(m);
	deskd__response__free_unpacked(resp, NULL);
	return m;
}

/* The ids of a kind's entries, open only or all. */
static size_t
list_ids(struct desk *d, const char *kind, bool open_only, uint64_t *ids,
    size_t max)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__RegisterList l = DESKD__REGISTER_LIST__INIT;
	Deskd__Response *resp;
	size_t n;

	l.kind = (char *)kind;
	l.open_only = open_only;
	req.body_case = DESKD__REQUEST__BODY_REGISTER_LIST;
	req.register_list = &l;
	resp = h_expect(d, &req, ST(OK));
	n = resp->register_list->n_entries;
	for (size_t i = 0; i < n && i < max; i++)
		ids[i] = resp->register_list->entries[i]->id;
	deskd__response__free_unpacked(resp, NULL);
	return n;
}

static bool
has_id(const uint64_t *ids, size_t n, uint64_t id)
{
	for (size_t i = 0; i < n; i++)
		if (ids[i] == id)
			return true;
	return false;
}

static uint64_t
visitor(struct desk *d, const char *name, const char *unit,
    Deskd__Consent consent, Deskd__Status *st, char *msg, size_t msglen)
{
	Deskd__Visitor v = DESKD__VISITOR__INIT;

	v.name = (char *)name;
	v.id_type = "身份证";
	v.id_number = "110101199001011234";
	v.unit = (char *)unit;
	v.purpose = "拜访";
	v.consent = consent;
	return add(d, "visitor", &v.base, st, msg, msglen);
}

#define CONTAINS(msg, s)	do {					\
	if (strstr((msg), (s)) == NULL)					\
		fail_msg("'%s' does not say '%s'", (msg), (s));		\
} while (0)

/* ---------- E2, E3: visitors ---------- */

static void
test_visitor_consent_in_out(void **state)
{
	Deskd__Status st;
	Deskd__Visitor *v;
	uint64_t id, id2, ids[64];
	char msg[256];
	size_t n;

	(void)state;
	/* E3: no consent given, refused; nothing recorded. */
	id = visitor(clerk, "张三", "3-1201", DESKD__CONSENT__CONSENT_UNSET,
	    &st, msg, sizeof(msg));
	assert_int_equal(st, ST(INVALID_ARGUMENT));
	assert_int_equal(id, 0);
	CONTAINS(msg, "consent");
	CONTAINS(msg, "E3");
	id = visitor(clerk, "张三", "3-1201", DESKD__CONSENT__CONSENT_PRESENT,
	    &st, msg, sizeof(msg));
	assert_int_equal(st, ST(OK));
	id2 = visitor(clerk, "李四", "3-1202", DESKD__CONSENT__CONSENT_PHONE,
	    &st, msg, sizeof(msg));
	assert_int_equal(st, ST(OK));
	/* E6: the ID number is never stored or sent in full. */
	v = get(clerk, "visitor", id, &deskd__visitor__descriptor);
	assert_string_equal(v->state, "inside");
	assert_string_equal(v->id_number, "110***********1234");
	assert_int_equal(v->id_number_sealed.len, 0);
	assert_string_equal(v->created_by, "clerk1");
	deskd__visitor__free_unpacked(v, NULL);
	/* Out, then only the other is inside. */
	assert_int_equal(step(clerk, "visitor", id, "out", NULL, NULL, msg,
	    sizeof(msg)), ST(OK));
	n = list_ids(clerk, "visitor", true, ids, 64);
	assert_false(has_id(ids, n, id));
	assert_true(has_id(ids, n, id2));
	n = list_ids(clerk, "visitor", false, ids, 64);
	assert_true(has_id(ids, n, id));
	assert_int_equal(step(clerk, "visitor", id, "out", NULL, NULL, msg,
	    sizeof(msg)), ST(CONFLICT));
	CONTAINS(msg, "already out");
	v = get(clerk, "visitor", id, &deskd__visitor__descriptor);
	assert_string_equal(v->state, "out");
	assert_true(v->out_ms > 0);
	assert_int_equal(v->revision, 2);
	deskd__visitor__free_unpacked(v, NULL);
}

static void
test_standing_permission(void **state)
{
	Deskd__VisitorPermit p = DESKD__VISITOR_PERMIT__INIT;
	Deskd__Visitor *v;
	Deskd__Status st;
	uint64_t pid, id;
	char msg[256];

	(void)state;
	p.unit = "5-0301";
	p.visitor = "保姆王";
	p.owner = "陈业主";
	p.until_ms = h_wall_ms() + 1500;
	pid = add_ok(clerk, "visitor-permit", &p.base);
	id = visitor(clerk, "保姆王", "5-0301", DESKD__CONSENT__CONSENT_STANDING,
	    &st, msg, sizeof(msg));
	assert_int_equal(st, ST(OK));
	v = get(clerk, "visitor", id, &deskd__visitor__descriptor);
	assert_int_equal(v->permit_id, pid);
	deskd__visitor__free_unpacked(v, NULL);
	/* Another name, or another unit: no permission. */
	visitor(clerk, "陌生人", "5-0301", DESKD__CONSENT__CONSENT_STANDING, &st,
	    msg, sizeof(msg));
	assert_int_equal(st, ST(CONFLICT));
	CONTAINS(msg, "no standing permission");
	visitor(clerk, "保姆王", "5-0302", DESKD__CONSENT__CONSENT_STANDING, &st,
	    msg, sizeof(msg));
	assert_int_equal(st, ST(CONFLICT));
	/* Expired: refused, and says so. */
	h_sleep_ms(1700);
	visitor(clerk, "保姆王", "5-0301", DESKD__CONSENT__CONSENT_STANDING, &st,
	    msg, sizeof(msg));
	assert_int_equal(st, ST(CONFLICT));
	CONTAINS(msg, "expired");
	/* A permission that ends before it is given is refused. */
	p.until_ms = h_wall_ms() - 1000;
	add(clerk, "visitor-permit", &p.base, &st, msg, sizeof(msg));
	assert_int_equal(st, ST(INVALID_ARGUMENT));
	CONTAINS(msg, "until_ms");
}

/* ---------- E1: release passes ---------- */

static uint64_t
pass(int64_t valid_until_ms)
{
	Deskd__ReleasePass p = DESKD__RELEASE_PASS__INIT;

	p.unit = "3-1201";
	p.owner = "张三";
	p.identity_check = "身份证 checked against the archive";
	p.items = "电视机一台, 纸箱三个";
	p.carrier = "顺丰搬家";
	p.vehicle = "沪A12345";
	p.valid_until_ms = valid_until_ms;
	return add_ok(clerk, "pass", &p.base);
}

static void
test_pass_approve_use_expire(void **state)
{
	Deskd__ReleasePass *p;
	char msg[256];
	uint64_t id, late;

	(void)state;
	id = pass(0);
	/* Not approved yet: no use at the gate. */
	assert_int_equal(step(clerk, "pass", id, "use", NULL, NULL, msg,
	    sizeof(msg)), ST(CONFLICT));
	/* E1: the duty officer signs, not a clerk. */
	assert_int_equal(step(clerk, "pass", id, "approve", NULL, NULL, msg,
	    sizeof(msg)), ST(PERMISSION_DENIED));
	CONTAINS(msg, "E1");
	assert_int_equal(step(sup, "pass", id, "approve", NULL, "ok", msg,
	    sizeof(msg)), ST(OK));
	assert_int_equal(step(clerk, "pass", id, "use", NULL, "north gate",
	    msg, sizeof(msg)), ST(OK));
	/* Used once only. */
	assert_int_equal(step(clerk, "pass", id, "use", NULL, NULL, msg,
	    sizeof(msg)), ST(CONFLICT));
	CONTAINS(msg, "already used");
	p = get(clerk, "pass", id, &deskd__release_pass__descriptor);
	assert_string_equal(p->state, "used");
	assert_string_equal(p->approved_by, "sup1");
	assert_string_equal(p->used_by, "clerk1");
	assert_string_equal(p->gate_note, "north gate");
	assert_true(p->valid_until_ms > h_wall_ms());
	deskd__release_pass__free_unpacked(p, NULL);
	/* Expired before it was used: refused at the gate. */
	late = pass(h_wall_ms() + 1200);
	assert_int_equal(step(sup, "pass", late, "approve", NULL, NULL, msg,
	    sizeof(msg)), ST(OK));
	h_sleep_ms(1400);
	assert_int_equal(step(clerk, "pass", late, "use", NULL, NULL, msg,
	    sizeof(msg)), ST(CONFLICT));
	CONTAINS(msg, "expired");
	p = get(clerk, "pass", late, &deskd__release_pass__descriptor);
	assert_string_equal(p->state, "approved");
	deskd__release_pass__free_unpacked(p, NULL);
}

/* ---------- E4: keys ---------- */

static uint64_t
key(const char *tag, const char *slot)
{
	Deskd__Key k = DESKD__KEY__INIT;

	k.tag = (char *)tag;
	k.slot = (char *)slot;
	k.unit = "7-0101";
	k.source = DESKD__KEY_SOURCE__KEY_VACANT;
	return add_ok(clerk, "key", &k.base);
}

static void
test_keys_out_twice_and_count(void **state)
{
	Deskd__KeyCount kc = DESKD__KEY_COUNT__INIT, *got;
	Deskd__Key k = DESKD__KEY__INIT;
	Deskd__Status st;
	char *counted[] = { "K-2", "K-9" };
	char msg[256];
	uint64_t k1, k2, k3, cid;

	(void)state;
	k1 = key("K-1", "A1");
	k2 = key("K-2", "A2");
	k3 = key("K-3", "A3");
	/* Two keys with one tag: refused. */
	k.tag = "K-1";
	k.slot = "B9";
	k.unit = "7-0101";
	k.source = DESKD__KEY_SOURCE__KEY_DEPOSITED;
	add(clerk, "key", &k.base, &st, msg, sizeof(msg));
	assert_int_equal(st, ST(CONFLICT));
	CONTAINS(msg, "K-1");
	/* Out needs who and why; out twice is refused. */
	assert_int_equal(step(clerk, "key", k1, "out", NULL, "维修", msg,
	    sizeof(msg)), ST(INVALID_ARGUMENT));
	assert_int_equal(step(clerk, "key", k1, "out", "工程部老李", "维修",
	    msg, sizeof(msg)), ST(OK));
	assert_int_equal(step(clerk, "key", k1, "out", "someone else", "看房",
	    msg, sizeof(msg)), ST(CONFLICT));
	CONTAINS(msg, "already out");
	/* E4: counted K-2 and a stray K-9; K-3 is missing, K-1 is out. */
	kc.counted = counted;
	kc.n_counted = 2;
	kc.note = "monthly count";
	cid = add_ok(clerk, "key-count", &kc.base);
	got = get(clerk, "key-count", cid, &deskd__key_count__descriptor);
	assert_string_equal(got->state, "discrepancy");
	assert_int_equal(got->expected, 2);
	assert_int_equal(got->out, 1);
	assert_int_equal(got->n_missing, 1);
	CONTAINS(got->missing[0], "K-3");
	assert_int_equal(got->n_unexpected, 1);
	CONTAINS(got->unexpected[0], "K-9");
	deskd__key_count__free_unpacked(got, NULL);
	/* Back in; then a full count is clean. */
	assert_int_equal(step(clerk, "key", k1, "in", NULL, NULL, msg,
	    sizeof(msg)), ST(OK));
	assert_int_equal(step(clerk, "key", k1, "in", NULL, NULL, msg,
	    sizeof(msg)), ST(CONFLICT));
	{
		char *all[] = { "K-1", "K-2", "K-3" };

		kc.counted = all;
		kc.n_counted = 3;
		cid = add_ok(clerk, "key-count", &kc.base);
		got = get(clerk, "key-count", cid,
		    &deskd__key_count__descriptor);
		assert_string_equal(got->state, "ok");
		assert_int_equal(got->n_missing + got->n_unexpected, 0);
		deskd__key_count__free_unpacked(got, NULL);
	}
	(void)k2;
	(void)k3;
}

/* Within 6 s, an event `type` about the alert of KIND:ID, raised by
 * `rule` (the log is read from the start: the order of alerts of
 * different records is the clocks'). */
static void
expect_alert(const char *kind, uint64_t id, const char *type,
    const char *rule)
{
	static const char *const types[] = { "alert." };
	struct desk *w = h_login(&srv, "sup1", PW);
	int64_t until = h_now_ms() + 6000;
	Deskd__Event *e = NULL;
	char rec[64];

	snprintf(rec, sizeof(rec), "%s:%llu", kind, (unsigned long long)id);
	assert_int_equal(desk_subscribe(w, 0, types, 1, NULL), DESK_OK);
	while (h_now_ms() < until && (e = h_next_alert(w, rec,
	    (int)(until - h_now_ms()))) != NULL &&
	    strcmp(e->type, type) != 0) {
		deskd__event__free_unpacked(e, NULL);
		e = NULL;
	}
	if (e == NULL)
		fail_msg("no %s for %s", type, rec);
	assert_string_equal(e->alert->rule, rule);
	if (strcmp(kind, "hotwork") == 0)
		assert_string_equal(e->alert->role, "supervisor");
	deskd__event__free_unpacked(e, NULL);
	desk_close(w);
}

/* E4: a key out longer than allowed (2 s here) raises an alert; E5 and E7
 * likewise before a permit expires and past a hot-work window. */
static void
test_register_clocks(void **state)
{
	Deskd__ParkingPermit pp = DESKD__PARKING_PERMIT__INIT;
	Deskd__HotWorkPermit hw = DESKD__HOT_WORK_PERMIT__INIT;
	char msg[256];
	uint64_t k, pid, hid;

	(void)state;
	k = key("K-LONG", "C1");
	assert_int_equal(step(clerk, "key", k, "out", "装修工", "量尺寸", msg,
	    sizeof(msg)), ST(OK));
	pp.plate = "沪B54321";
	pp.unit = "7-0101";
	pp.type = DESKD__PARKING_TYPE__PARKING_MONTHLY;
	pp.valid_to_ms = h_wall_ms() + 3000;
	pid = add_ok(clerk, "parking", &pp.base);
	hw.unit = "7-0101";
	hw.location = "厨房";
	hw.work = "电焊";
	hw.worker = "焊工甲";
	hw.fire_watch = "保安乙";
	hw.from_ms = h_wall_ms();
	hw.to_ms = h_wall_ms() + 2000;
	hid = add_ok(clerk, "hotwork", &hw.base);
	assert_int_equal(step(clerk, "hotwork", hid, "approve", NULL, NULL,
	    msg, sizeof(msg)), ST(PERMISSION_DENIED));
	assert_int_equal(step(sup, "hotwork", hid, "approve", NULL, NULL, msg,
	    sizeof(msg)), ST(OK));

	expect_alert("key", k, "alert.raised", "E4");
	expect_alert("parking", pid, "alert.raised", "E5");
	expect_alert("hotwork", hid, "alert.raised", "E7");
	/* The key back in: its clock stops and clears the alert. */
	assert_int_equal(step(clerk, "key", k, "in", NULL, NULL, msg,
	    sizeof(msg)), ST(OK));
	expect_alert("key", k, "alert.cleared", "E4");
}

/* E5: a renewal is a new entry; the renewed one says so and cannot be
 * renewed again. */
static void
test_parking_renewal(void **state)
{
	Deskd__ParkingPermit pp = DESKD__PARKING_PERMIT__INIT, *old;
	Deskd__Status st;
	char msg[256];
	uint64_t a, b;

	(void)state;
	pp.plate = "沪C11111";
	pp.unit = "8-0808";
	pp.type = DESKD__PARKING_TYPE__PARKING_TEMPORARY;
	pp.valid_to_ms = h_wall_ms() + 86400000;
	a = add_ok(clerk, "parking", &pp.base);
	pp.renews = a;
	pp.valid_to_ms = h_wall_ms() + 2 * 86400000LL;
	b = add_ok(clerk, "parking", &pp.base);
	assert_true(b > a);
	old = get(clerk, "parking", a, &deskd__parking_permit__descriptor);
	assert_string_equal(old->state, "renewed");
	assert_int_equal(old->renewed_by, b);
	deskd__parking_permit__free_unpacked(old, NULL);
	add(clerk, "parking", &pp.base, &st, msg, sizeof(msg));
	assert_int_equal(st, ST(CONFLICT));
	CONTAINS(msg, "renewed");
	pp.renews = b;
	pp.plate = "沪D22222";
	add(clerk, "parking", &pp.base, &st, msg, sizeof(msg));
	assert_int_equal(st, ST(CONFLICT));
}

/*
 * Issue 11, D2: a cleaning order's `--fee 500` ignored the fee schedule.
 * Its fee is the schedule's price of its service; another is a
 * supervisor's override with a reason, shown as such.
 */
static void
test_cleaning_fee_by_schedule(void **state)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__FeeSet f = DESKD__FEE_SET__INIT;
	Deskd__CleaningOrder c = DESKD__CLEANING_ORDER__INIT, *got;
	Deskd__Status st;
	char msg[256];
	uint64_t id;

	(void)state;
	f.item = "深度保洁";
	f.price_cents = 12000;
	f.unit = "次";
	req.body_case = DESKD__REQUEST__BODY_FEE_SET;
	req.fee_set = &f;
	h_expect_free(sup, &req, ST(OK));
	c.unit = "2-0202";
	c.requester = "刘先生";
	c.service = "深度保洁";
	id = add_ok(clerk, "cleaning", &c.base);
	got = get(clerk, "cleaning", id, &deskd__cleaning_order__descriptor);
	assert_int_equal(got->fee_cents, 12000);
	assert_string_equal(got->fee_override_by, "");
	deskd__cleaning_order__free_unpacked(got, NULL);
	c.fee_cents = 50000;
	add(clerk, "cleaning", &c.base, &st, msg, sizeof(msg));
	assert_int_equal(st, ST(INVALID_ARGUMENT));
	CONTAINS(msg, "fee_reason");
	c.fee_reason = "加做外窗";
	add(clerk, "cleaning", &c.base, &st, msg, sizeof(msg));
	assert_int_equal(st, ST(PERMISSION_DENIED));
	CONTAINS(msg, "supervisor");
	id = add_ok(sup, "cleaning", &c.base);
	got = get(clerk, "cleaning", id, &deskd__cleaning_order__descriptor);
	assert_int_equal(got->fee_cents, 50000);
	assert_string_equal(got->fee_override_by, "sup1");
	assert_string_equal(got->fee_reason, "加做外窗");
	deskd__cleaning_order__free_unpacked(got, NULL);
}

/*
 * Issue 11, E5: `parking list --valid` listed a permit that ended 6
 * December, and a plate had valid permits on two units.  A permit past
 * its valid_to is not valid; one current permit a plate.
 */
static void
test_parking_current_one_per_plate(void **state)
{
	Deskd__ParkingPermit pp = DESKD__PARKING_PERMIT__INIT;
	uint64_t ids[64], ended, now_valid;
	Deskd__Status st;
	char msg[256];
	size_t n;

	(void)state;
	pp.plate = "沪E55555";
	pp.unit = "8-0808";
	pp.type = DESKD__PARKING_TYPE__PARKING_MONTHLY;
	pp.valid_from_ms = h_wall_ms() - 30 * 86400000LL;
	pp.valid_to_ms = h_wall_ms() - 86400000LL;	/* ended yesterday */
	ended = add_ok(clerk, "parking", &pp.base);
	n = list_ids(clerk, "parking", true, ids, 64);
	assert_false(has_id(ids, n, ended));
	/* An ended permit does not hold the plate. */
	pp.valid_from_ms = 0;
	pp.valid_to_ms = h_wall_ms() + 30 * 86400000LL;
	now_valid = add_ok(clerk, "parking", &pp.base);
	n = list_ids(clerk, "parking", true, ids, 64);
	assert_true(has_id(ids, n, now_valid));
	/* The same plate on another unit while that one is valid. */
	pp.unit = "2-0202";
	add(clerk, "parking", &pp.base, &st, msg, sizeof(msg));
	assert_int_equal(st, ST(CONFLICT));
	CONTAINS(msg, "plate");
}

/* E7: a message note is delivered, then read, once each. */
static void
test_note(void **state)
{
	Deskd__MessageNote n = DESKD__MESSAGE_NOTE__INIT;
	char msg[256];
	uint64_t id;

	(void)state;
	n.unit = "2-0202";
	n.recipient = "刘先生";
	n.left_by = "快递员";
	n.text = "包裹放在前台";
	id = add_ok(clerk, "note", &n.base);
	assert_int_equal(step(clerk, "note", id, "read", NULL, NULL, msg,
	    sizeof(msg)), ST(CONFLICT));
	assert_int_equal(step(clerk, "note", id, "deliver", NULL, NULL, msg,
	    sizeof(msg)), ST(OK));
	assert_int_equal(step(clerk, "note", id, "read", NULL, NULL, msg,
	    sizeof(msg)), ST(OK));
	assert_int_equal(step(clerk, "note", id, "read", NULL, NULL, msg,
	    sizeof(msg)), ST(CONFLICT));
	assert_int_equal(step(clerk, "note", id, "fly", NULL, NULL, msg,
	    sizeof(msg)), ST(INVALID_ARGUMENT));
	CONTAINS(msg, "deliver, read");
}

/* ---------- bad input ---------- */

static void
test_bad_input(void **state)
{
	Deskd__Visitor v = DESKD__VISITOR__INIT;
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__RegisterList l = DESKD__REGISTER_LIST__INIT;
	Deskd__Status st;
	Deskd__Visitor *got;
	char msg[256], longname[101];
	uint8_t buf[512];
	size_t len;
	uint64_t first;

	(void)state;
	first = visitor(clerk, "先到者", "1-0101",
	    DESKD__CONSENT__CONSENT_PRESENT, &st, msg, sizeof(msg));
	assert_int_equal(st, ST(OK));
	v.name = "王五";
	v.id_type = "身份证";
	v.id_number = "110101199001011234";
	v.unit = "1-0101";
	v.purpose = "拜访";
	v.consent = DESKD__CONSENT__CONSENT_PRESENT;
	/* No register of that kind. */
	add(clerk, "spaceship", &v.base, &st, msg, sizeof(msg));
	assert_int_equal(st, ST(INVALID_ARGUMENT));
	CONTAINS(msg, "no register 'spaceship'");
	CONTAINS(msg, "visitor");
	/* A field the visitor form does not have: field 40, a varint. */
	len = protobuf_c_message_pack(&v.base, buf);
	buf[len++] = 0xc0;		/* tag (40 << 3) as a varint */
	buf[len++] = 0x02;
	buf[len++] = 1;
	add_bytes(clerk, "visitor", buf, len, &st, msg, sizeof(msg));
	assert_int_equal(st, ST(INVALID_ARGUMENT));
	CONTAINS(msg, "field 40");
	/* Not a visitor at all. */
	add_bytes(clerk, "visitor", "\xff\xff\xff", 3, &st, msg, sizeof(msg));
	assert_int_equal(st, ST(INVALID_ARGUMENT));
	/* Over-long, and a required field left out. */
	memset(longname, 'x', 100);
	longname[100] = '\0';
	v.name = longname;
	add(clerk, "visitor", &v.base, &st, msg, sizeof(msg));
	assert_int_equal(st, ST(INVALID_ARGUMENT));
	CONTAINS(msg, "name: 100 bytes");
	v.name = "王五";
	v.purpose = "";
	add(clerk, "visitor", &v.base, &st, msg, sizeof(msg));
	assert_int_equal(st, ST(INVALID_ARGUMENT));
	CONTAINS(msg, "purpose: required");
	v.purpose = "拜访";
	v.name = "\xc3\x28";
	add(clerk, "visitor", &v.base, &st, msg, sizeof(msg));
	assert_int_equal(st, ST(INVALID_ARGUMENT));
	CONTAINS(msg, "UTF-8");
	v.name = "王五";
	/* deskd's own fields cannot be forged: id and state are its. */
	v.id = 999;
	v.state = "out";
	{
		uint64_t id = add(clerk, "visitor", &v.base, &st, msg,
		    sizeof(msg));

		assert_int_equal(st, ST(OK));
		assert_int_not_equal(id, 999);
		got = get(clerk, "visitor", id, &deskd__visitor__descriptor);
		assert_string_equal(got->state, "inside");
		deskd__visitor__free_unpacked(got, NULL);
	}
	/* Unknown entry, unknown action, a bad filter. */
	assert_int_equal(step(clerk, "visitor", 424242, "out", NULL, NULL, msg,
	    sizeof(msg)), ST(NOT_FOUND));
	l.kind = "visitor";
	l.filter = "nonsense";
	req.body_case = DESKD__REQUEST__BODY_REGISTER_LIST;
	req.register_list = &l;
	assert_int_equal(h_call_status(clerk, &req, msg, sizeof(msg)),
	    ST(INVALID_ARGUMENT));
	/* Engineers have no register access. */
	l.filter = "";
	assert_int_equal(h_call_status(eng, &req, msg, sizeof(msg)),
	    ST(PERMISSION_DENIED));
	/* Still serving, and the earlier entry is still there. */
	assert_true(srv_alive(&srv));
	got = get(clerk, "visitor", first, &deskd__visitor__descriptor);
	assert_string_equal(got->name, "先到者");
	deskd__visitor__free_unpacked(got, NULL);
	l.filter = "name=先到者";
	{
		Deskd__Response *resp = h_expect(clerk, &req, ST(OK));

		assert_int_equal(resp->register_list->n_entries, 1);
		assert_int_equal(resp->register_list->entries[0]->id, first);
		deskd__response__free_unpacked(resp, NULL);
	}
}

/* E2: the month's report counts registrations over 60 s. */
static void
test_visitor_report(void **state)
{
	Deskd__Visitor v = DESKD__VISITOR__INIT;
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__RegisterReport q = DESKD__REGISTER_REPORT__INIT;
	Deskd__Response *resp;
	uint64_t slow;
	uint32_t before;

	(void)state;
	q.kind = "visitor";
	req.body_case = DESKD__REQUEST__BODY_REGISTER_REPORT;
	req.register_report = &q;
	resp = h_expect(clerk, &req, ST(OK));
	before = resp->register_report->over_limit;
	deskd__response__free_unpacked(resp, NULL);
	v.name = "慢登记";
	v.id_type = "护照";
	v.id_number = "E12345678";
	v.unit = "1-0101";
	v.purpose = "拜访";
	v.consent = DESKD__CONSENT__CONSENT_PHONE;
	v.reg_seconds = 75;
	slow = add_ok(clerk, "visitor", &v.base);
	v.reg_seconds = 30;
	add_ok(clerk, "visitor", &v.base);
	resp = h_expect(clerk, &req, ST(OK));
	assert_int_equal(resp->register_report->over_limit, before + 1);
	assert_int_equal(resp->register_report->limit_seconds, 60);
	assert_true(resp->register_report->max_seconds >= 75);
	assert_int_equal(resp->register_report->slow_ids[
	    resp->register_report->n_slow_ids - 1], slow);
	deskd__response__free_unpacked(resp, NULL);
	/* The pass register has no timed report. */
	q.kind = "pass";
	assert_int_equal(h_call_status(clerk, &req, NULL, 0),
	    ST(INVALID_ARGUMENT));
}

/* A register entry names a unit of the owner archive (archive.h), once
 * the archive has units: run last, as every unit above is not in it. */
static void
test_unit_in_archive(void **state)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__UnitAdd u = DESKD__UNIT_ADD__INIT;
	Deskd__Status st;
	char msg[256];

	(void)state;
	u.code = "1-1-1201";
	u.status = DESKD__UNIT_STATUS__UNIT_OCCUPIED;
	req.body_case = DESKD__REQUEST__BODY_UNIT_ADD;
	req.unit_add = &u;
	h_expect_free(clerk, &req, ST(OK));
	visitor(clerk, "访客", "1-1-1210", DESKD__CONSENT__CONSENT_PRESENT, &st,
	    msg, sizeof(msg));
	assert_int_equal(st, ST(NOT_FOUND));
	CONTAINS(msg, "1-1-1201");
	visitor(clerk, "访客", "1-1-1201", DESKD__CONSENT__CONSENT_PRESENT, &st,
	    msg, sizeof(msg));
	assert_int_equal(st, ST(OK));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_visitor_consent_in_out),
		cmocka_unit_test(test_standing_permission),
		cmocka_unit_test(test_pass_approve_use_expire),
		cmocka_unit_test(test_keys_out_twice_and_count),
		cmocka_unit_test(test_register_clocks),
		cmocka_unit_test(test_parking_renewal),
		cmocka_unit_test(test_note),
		cmocka_unit_test(test_cleaning_fee_by_schedule),
		cmocka_unit_test(test_parking_current_one_per_plate),
		cmocka_unit_test(test_bad_input),
		cmocka_unit_test(test_visitor_report),
		cmocka_unit_test(test_unit_in_archive),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
