/*
 * bench_fire.c - the fire-safety duties (issue 14, G1-G5): an office's
 * year of patrol rounds made ahead, deskd's start with them pending, and
 * a missed round's alert reaching a watching supervisor under load.
 */
#include <sys/types.h>

#include <inttypes.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"

/* Targets, printed beside the figures; nothing fails when they are missed. */
#define TARGET_YEAR_MS		1000	/* making the year; deskd's start */
#define TARGET_YEAR_MEM_MIB	20	/* RssAnon, the year pending vs none */
#define TARGET_ALERT_P99_MS	50.0

/* fire.c's RECORD_FIRE_TASK: Alert.record_kind of a task's clock. */
#define KIND_FIRE_TASK		30

#define ROUND_POINTS		5
#define DAY_MS			(24 * 3600 * 1000LL)
#define YEAR_RESTARTS		3
#define DUE_CALLS		20	/* `desk tasks --due`, `desk equipment
					 * due`: each timed this often */

/* ---------- talking to the fire area ---------- */

/* The reply when it is OK and carries `want` (NOT_SET: any); else NULL,
 * the reason printed as `what`'s.  Free it with deskd__response__free_unpacked. */
static Deskd__Response *
fire_call(struct desk *d, const Deskd__Request *req,
    Deskd__Response__BodyCase want, const char *what)
{
	Deskd__Response *resp = NULL;

	if (desk_call(d, req, &resp) == DESK_OK && resp != NULL &&
	    (want == DESKD__RESPONSE__BODY__NOT_SET || resp->body_case == want))
		return resp;
	warnx_("%s: %s", what, resp != NULL && *resp->message ?
	    resp->message : desk_error(d));
	if (resp != NULL)
		deskd__response__free_unpacked(resp, NULL);
	return NULL;
}

/* RegisterAdd of m to the register `kind`: its id, or 0. */
static uint64_t
register_add(struct desk *d, const char *kind, const ProtobufCMessage *m)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__RegisterAdd a = DESKD__REGISTER_ADD__INIT;
	Deskd__Response *resp;
	uint64_t id = 0;
	uint8_t *buf;

	if ((buf = malloc(protobuf_c_message_get_packed_size(m) + 1)) == NULL)
		return 0;
	a.kind = (char *)kind;
	a.entry.data = buf;
	a.entry.len = protobuf_c_message_pack(m, buf);
	req.body_case = DESKD__REQUEST__BODY_REGISTER_ADD;
	req.register_add = &a;
	if ((resp = fire_call(d, &req, DESKD__RESPONSE__BODY_REGISTER_ENTRY,
	    kind)) != NULL) {
		id = resp->register_entry->id;
		deskd__response__free_unpacked(resp, NULL);
	}
	free(buf);
	return id;
}

/* The key locations of the office's round (G2), in walking order. */
static char point_codes[ROUND_POINTS][8];
static char *round_points[ROUND_POINTS];

static int
add_points(struct desk *d)
{
	static const char *const where[ROUND_POINTS] = { "变配电室",
	    "水泵房", "电梯机房", "消防控制室", "服务大厅" };

	for (int i = 0; i < ROUND_POINTS; i++) {
		Deskd__Checkpoint c = DESKD__CHECKPOINT__INIT;

		snprintf(point_codes[i], sizeof(point_codes[i]), "P-%02d",
		    i + 1);
		round_points[i] = point_codes[i];
		c.code = point_codes[i];
		c.location = (char *)where[i];
		c.kind = "key-location";
		if (register_add(d, "checkpoint", &c.base) == 0)
			return -1;
	}
	return 0;
}

/* A round of the office's points every `every`, each window `window` long
 * ("": until the next), the first opening at starts_ms (0: now); its id,
 * or 0. */
static uint64_t
round_plan(struct desk *d, const char *every, const char *window,
    int64_t starts_ms)
{
	Deskd__FirePlan p = DESKD__FIRE_PLAN__INIT;

	p.title = "重点部位巡查";
	p.what = "round";
	p.every = (char *)every;
	p.window = (char *)window;
	p.points = round_points;
	p.n_points = ROUND_POINTS;
	p.starts_ms = starts_ms;
	return register_add(d, "fire-plan", &p.base);
}

/* Every task TaskList finds (of `plan`, or any; `due`: open now), page by
 * page, handed to each (or NULL); how many, or -1. */
static int64_t
list_tasks(struct desk *d, uint64_t plan, bool due,
    void (*each)(const Deskd__FireTask *, void *), void *arg)
{
	uint64_t after = 0;
	int64_t n = 0;
	bool more;

	do {
		Deskd__Request req = DESKD__REQUEST__INIT;
		Deskd__TaskList q = DESKD__TASK_LIST__INIT;
		Deskd__TaskListReply *l;
		Deskd__Response *resp;

		q.plan = plan;
		q.due_only = due;
		q.after_id = after;
		q.limit = 500;	/* the most a page holds */
		req.body_case = DESKD__REQUEST__BODY_TASK_LIST;
		req.task_list = &q;
		if ((resp = fire_call(d, &req, DESKD__RESPONSE__BODY_TASK_LIST,
		    "task list")) == NULL)
			return -1;
		l = resp->task_list;
		for (size_t i = 0; i < l->n_tasks; i++) {
			if (each != NULL)
				each(l->tasks[i], arg);
			after = l->tasks[i]->id;
		}
		n += (int64_t)l->n_tasks;
		more = l->more && l->n_tasks > 0;
		deskd__response__free_unpacked(resp, NULL);
	} while (more);
	return n;
}

/* ---------- fire_year: a year of rounds made ahead ---------- */

struct import_rejects {
	uint32_t	n;
	char		first[256];
};

static void
import_result(const Deskd__ImportResult *r, void *arg)
{
	struct import_rejects *rj = arg;

	if (r->outcome != DESKD__IMPORT_OUTCOME__IMPORT_REJECTED)
		return;
	if (rj->n++ == 0)
		snprintf(rj->first, sizeof(rj->first), "line %u: %s: %s",
		    r->line, r->field, r->reason);
}

/*
 * G4's office as `desk import` loads its equipment list: the detectors and
 * extinguishers, each last tested at a moment spread over its interval, so
 * that their clocks spread over the year as in a real rotation.  0 when
 * every row was stored.
 */
static int
import_equipment(struct desk *d, uint32_t detectors, uint32_t extinguishers)
{
	struct desk_import *imp;
	struct desk_import_summary sum;
	struct import_rejects rj = { 0 };
	uint32_t n = detectors + extinguishers;
	int64_t now = wall_us() / 1000;
	char code[16], ref[16], where[32];

	if (desk_import_begin(d, "fire-equipment", 0, import_result, &rj,
	    &imp) != DESK_OK || desk_import_file(imp, "equipment.csv") !=
	    DESK_OK) {
		warnx_("import: %s", desk_error(d));
		return -1;
	}
	for (uint32_t i = 0; i < n; i++) {
		Deskd__FireEquipment e = DESKD__FIRE_EQUIPMENT__INIT;
		bool detector = i < detectors;
		int64_t interval = (detector ? 365 : 182) * DAY_MS;

		snprintf(code, sizeof(code), "%s-%04u", detector ? "SD" : "EX",
		    i);
		snprintf(ref, sizeof(ref), "eq-%u", i);
		snprintf(where, sizeof(where), "%uF-%02u", i % 30 + 1,
		    i / 30 % 100);
		e.code = code;
		e.type = detector ? "detector" : "extinguisher";
		e.location = where;
		e.tested_before_ms = now - (int64_t)(i % 1000 + 1) *
		    (interval / 1001);
		if (desk_import_row(imp, i + 2, ref, &e.base) != DESK_OK) {
			warnx_("import: %s", desk_error(d));
			desk_import_end(imp, NULL);
			return -1;
		}
	}
	if (desk_import_end(imp, &sum) != DESK_OK) {
		warnx_("import: %s", desk_error(d));
		return -1;
	}
	if (sum.stored != n) {
		warnx_("import: %" PRIu64 " of %u stored; %s", sum.stored, n,
		    rj.first);
		return -1;
	}
	return 0;
}

/* G4: `desk equipment due`, this month's rotation of every type. */
static int
equipment_due(struct desk *d)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__EquipmentDue q = DESKD__EQUIPMENT_DUE__INIT;
	Deskd__Response *resp;

	req.body_case = DESKD__REQUEST__BODY_EQUIPMENT_DUE;
	req.equipment_due = &q;
	if ((resp = fire_call(d, &req, DESKD__RESPONSE__BODY_EQUIPMENT_DUE,
	    "equipment due")) == NULL)
		return -1;
	deskd__response__free_unpacked(resp, NULL);
	return 0;
}

/* `desk tasks --due`: what a desk asks first after a restart. */
static int
tasks_due(struct desk *d, void *arg)
{
	(void)arg;
	return list_tasks(d, 0, true, NULL, NULL) < 0 ? -1 : 0;
}

/*
 * An office with o->fire_detectors detectors and o->fire_extinguishers
 * extinguishers (imported) and a patrol round every 2 h, made ahead for
 * o->fire_horizon (366d): the plan's RegisterAdd round trip (every task
 * and its clock in its transaction, durable when acknowledged), deskd's
 * start with them pending against the same store without them, its
 * RssAnon both ways, and `desk tasks --due` and `desk equipment due`
 * among them.
 */
int
bench_fire_year(const struct opts *o)
{
	const char *const extra[] = { "--fire-horizon", o->fire_horizon,
	    NULL };
	struct restart_times none, year;
	struct server s;
	struct desk *d = NULL;
	char token[128];
	int64_t t0, import_ns, plan_ns, tasks, due[DUE_CALLS],
	    rotation[DUE_CALLS];
	long live_before, live_after, delta;
	uint64_t plan;
	int rc = -1;

	if (srv_prepare(&s, o, "fire_year") != 0 ||
	    srv_launch(&s, o, extra, 10) != 0)
		return -1;
	if ((d = bench_password_login(&s, token, sizeof(token))) == NULL)
		goto out;
	t0 = mono_ns();
	if (import_equipment(d, o->fire_detectors, o->fire_extinguishers) !=
	    0 || add_points(d) != 0)
		goto out;
	import_ns = mono_ns() - t0;
	desk_close(d);
	d = NULL;
	srv_stop(&s);
	/* The same store, the equipment's clocks pending, no tasks yet. */
	if (srv_restart_timed(&s, o, extra, token, YEAR_RESTARTS, tasks_due,
	    NULL, &none) != 0 ||
	    (d = bench_token_login(&s, token, 1)) == NULL)
		goto out;
	live_before = srv_status_kib(&s, "RssAnon");
	t0 = mono_ns();
	if ((plan = round_plan(d, "2h", "", 0)) == 0)
		goto out;
	plan_ns = mono_ns() - t0;
	live_after = srv_status_kib(&s, "RssAnon");
	if ((tasks = list_tasks(d, plan, false, NULL, NULL)) < 0)
		goto out;
	for (int i = 0; i < DUE_CALLS; i++) {
		t0 = mono_ns();
		if (tasks_due(d, NULL) != 0)
			goto out;
		due[i] = mono_ns() - t0;
		t0 = mono_ns();
		if (equipment_due(d) != 0)
			goto out;
		rotation[i] = mono_ns() - t0;
	}
	qsort(due, DUE_CALLS, sizeof(due[0]), cmp_i64);
	qsort(rotation, DUE_CALLS, sizeof(rotation[0]), cmp_i64);
	desk_close(d);
	d = NULL;
	srv_stop(&s);
	if (srv_restart_timed(&s, o, extra, token, YEAR_RESTARTS, tasks_due,
	    NULL, &year) != 0 || !srv_alive(&s))
		goto out;
	delta = year.anon_kib - none.anon_kib;
	printf("BENCH fire_year plan_add_ms=%.1f tasks=%" PRId64 " "
	    "first_request_ms=%.1f first_request_max_ms=%.1f ready_ms=%.1f "
	    "no_tasks_first_request_ms=%.1f no_tasks_ready_ms=%.1f "
	    "rss_anon_kib=%ld no_tasks_rss_anon_kib=%ld "
	    "rss_anon_delta_kib=%ld live_rss_anon_before_kib=%ld "
	    "live_rss_anon_after_kib=%ld vm_rss_kib=%ld "
	    "no_tasks_vm_rss_kib=%ld tasks_due_p50_ms=%.2f "
	    "tasks_due_max_ms=%.2f equipment_due_p50_ms=%.2f "
	    "equipment_due_max_ms=%.2f equipment=%u horizon=%s "
	    "import_ms=%.0f target_ms=%d target_mem_mib=%d met=%s\n",
	    (double)plan_ns / 1e6, tasks, year.first_ms, year.first_max_ms,
	    year.ready_ms, none.first_ms, none.ready_ms, year.anon_kib,
	    none.anon_kib, delta, live_before, live_after, year.rss_kib,
	    none.rss_kib, (double)pct(due, DUE_CALLS, 0.5) / 1e6,
	    (double)due[DUE_CALLS - 1] / 1e6,
	    (double)pct(rotation, DUE_CALLS, 0.5) / 1e6,
	    (double)rotation[DUE_CALLS - 1] / 1e6,
	    o->fire_detectors + o->fire_extinguishers, o->fire_horizon,
	    (double)import_ns / 1e6, TARGET_YEAR_MS, TARGET_YEAR_MEM_MIB,
	    plan_ns / 1000000 < TARGET_YEAR_MS &&
	    year.first_ms < TARGET_YEAR_MS &&
	    delta < TARGET_YEAR_MEM_MIB * 1024 ? "yes" : "no");
	fflush(stdout);
	rc = 0;
out:
	desk_close(d);
	srv_stop(&s);
	if (rc != 0)
		warnx_("fire_year: not measured; deskd log: %s", s.log);
	return rc;
}

/* ---------- fire_alert: a missed round under load ---------- */

/* Each task's first alert may come once: no repeat, no escalation within
 * the run. */
static const char *const alert_args[] = {
	"--fire-horizon", "1h",
	"--clock", "fire.task_due.repeat=1h",
	"--clock", "fire.task_due.escalate=1h",
	"--clock", "fire.task_due.escalate_director=2h",
	NULL
};

#define SUPERVISOR	"lead1"
#define SUPERVISOR_PASS	"bench-lead-pass-1"

struct missed {
	uint64_t		*task;		/* [n] ids, ascending */
	int64_t			*due_ms;	/* [n] */
	size_t			 n, cap;
	uint8_t			*seen;		/* [n] first alerts */
	int64_t			*recv_us;	/* [n] receipt - due */
	int64_t			*late_us;	/* [n] raised - due */
	struct watch_goal	 goal;
	uint32_t		 dup, other;
};

static void
missed_task(const Deskd__FireTask *t, void *arg)
{
	struct missed *m = arg;

	if (m->n == m->cap)
		return;		/* more than planned: list_tasks says */
	m->task[m->n] = t->id;
	m->due_ms[m->n++] = t->due_ms;
}

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static void
missed_event(struct watcher *w, const Deskd__Event *e)
{
	struct missed *m = w->fig;
	const Deskd__Alert *a = e->alert;
	int64_t now = wall_us();
	uint64_t *hit;
	size_t i;

	if (a == NULL || strcmp(e->type, "alert.raised") != 0 ||
	    a->record_kind != KIND_FIRE_TASK || (hit = bsearch(&a->record_id,
	    m->task, m->n, sizeof(*m->task), cmp_u64)) == NULL) {
		m->other++;
		return;
	}
	i = (size_t)(hit - m->task);
	if (m->seen[i]++ != 0) {
		m->dup++;
		return;
	}
	w->got++;
	m->recv_us[i] = now - a->due_ms * 1000;
	m->late_us[i] = (a->raised_ms - a->due_ms) * 1000;
}

struct creator {
	struct open_loop loop;
	uint32_t	 acked;
	bool		 failed;
	char		 err[256];
};

static void
creator_reply(struct open_loop *l, const Deskd__Response *r)
{
	struct creator *c = l->fig;

	if (r->status == DESKD__STATUS__OK)
		c->acked++;
	else if (!c->failed) {
		/* Noted, not fatal: the count shows it. */
		c->failed = true;
		snprintf(c->err, sizeof(c->err), "refused: %s", r->message);
	}
}

static void *
creator_run(void *arg)
{
	struct creator *c = arg;

	if (open_loop_create(&c->loop) != 0 && !c->failed) {
		c->failed = true;
		snprintf(c->err, sizeof(c->err), "%s", desk_error(c->loop.d));
	}
	return NULL;
}

/* The supervisor watching the alerts, as `desk watch --alerts` does. */
static struct desk *
supervisor_watching(const struct server *s, struct desk *admin)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__UserAdd ua = DESKD__USER_ADD__INIT;
	const char *prefix[] = { "alert." };
	Deskd__Response *resp;
	struct desk *w;

	ua.name = SUPERVISOR;
	ua.role = "supervisor";
	ua.password = SUPERVISOR_PASS;
	req.body_case = DESKD__REQUEST__BODY_USER_ADD;
	req.user_add = &ua;
	if ((resp = fire_call(admin, &req, DESKD__RESPONSE__BODY__NOT_SET,
	    "user add")) == NULL)
		return NULL;
	deskd__response__free_unpacked(resp, NULL);
	if ((w = bench_connect(s, "bench-watch")) == NULL)
		return NULL;
	if (desk_login(w, SUPERVISOR, SUPERVISOR_PASS, NULL, NULL) != DESK_OK ||
	    desk_subscribe(w, desk_welcome(w)->last_seq, prefix, 1, NULL) !=
	    DESK_OK) {
		warnx_("supervisor: %s", desk_error(w));
		desk_close(w);
		return NULL;
	}
	return w;
}

/*
 * G2: o->fire_plans round plans, each with one task whose window (1 s or
 * 2 s) opens a little after the last, all ending within the run; nobody
 * walks them.  A supervisor watches the alerts while o->fire_desks desks
 * create complaints at o->fire_rate a second until a second after the
 * last window's end: each missed round's alert.raised, received minus
 * its task's due time (and deskd's raised_ms minus it), p50/p99/max.
 */
int
bench_fire_alert(const struct opts *o)
{
	struct server s;
	struct missed m;
	struct watcher w;
	struct creator *c = NULL;
	pthread_t wth, *cth = NULL;
	struct desk *admin = NULL;
	struct cpu_mark m0, m1;
	double srv_cores = 0, self_cores = 0, secs;
	int64_t base, last_due = 0, *recv = NULL, *late = NULL, t_start;
	char token[128];
	uint32_t total, acked = 0, measured = 0;
	int plans = o->fire_plans, connected = 0, started = 0, rc = -1;
	bool watching = false;

	memset(&m, 0, sizeof(m));
	memset(&w, 0, sizeof(w));
	atomic_init(&m.goal.writers_done, false);
	atomic_init(&m.goal.expected, 0);
	m.cap = (size_t)plans;
	m.task = calloc((size_t)plans, sizeof(*m.task));
	m.due_ms = calloc((size_t)plans, sizeof(*m.due_ms));
	m.seen = calloc((size_t)plans, 1);
	m.recv_us = calloc((size_t)plans, sizeof(*m.recv_us));
	m.late_us = calloc((size_t)plans, sizeof(*m.late_us));
	recv = calloc((size_t)plans, sizeof(*recv));
	late = calloc((size_t)plans, sizeof(*late));
	c = calloc((size_t)o->fire_desks, sizeof(*c));
	cth = calloc((size_t)o->fire_desks, sizeof(*cth));
	if (!m.task || !m.due_ms || !m.seen || !m.recv_us || !m.late_us ||
	    !recv || !late || !c || !cth) {
		warnx_("out of memory");
		goto out_free;
	}
	if (srv_prepare(&s, o, "fire_alert") != 0 ||
	    srv_launch(&s, o, alert_args, 10) != 0)
		goto out_free;
	if ((admin = bench_password_login(&s, token, sizeof(token))) == NULL ||
	    add_points(admin) != 0 ||
	    (w.d = supervisor_watching(&s, admin)) == NULL)
		goto out;
	/* The windows open from 2 s on, staggered over the run, 1 s and 2 s
	 * long by turns; one window each within the hour's horizon. */
	base = wall_us() / 1000 + 2000;
	for (int i = 0; i < plans; i++)
		if (round_plan(admin, "1h", i % 2 ? "2s" : "1s", base +
		    (int64_t)i * (int64_t)(o->fire_seconds * 1000) / plans) ==
		    0)
			goto out;
	if (list_tasks(admin, 0, false, missed_task, &m) != plans) {
		warnx_("fire_alert: %zu tasks for %d plans", m.n, plans);
		goto out;
	}
	for (size_t i = 0; i < m.n; i++)
		if (m.due_ms[i] > last_due)
			last_due = m.due_ms[i];
	/* The load runs from now until a second after the last window. */
	secs = (double)(last_due + 1000 - wall_us() / 1000) / 1e3;
	if (secs < 2) {
		warnx_("fire_alert: adding the plans took until their windows "
		    "were nearly over");
		goto out;
	}
	total = (uint32_t)(secs * o->fire_rate);
	t_start = mono_ns() + 50000000;
	for (connected = 0; connected < o->fire_desks; connected++) {
		struct open_loop *l = &c[connected].loop;

		l->desk = connected;
		l->stride = o->fire_desks;
		l->gap = 1000000000LL / o->fire_rate;
		l->start = t_start;
		l->on_reply = creator_reply;
		l->fig = &c[connected];
		l->n = total / (uint32_t)o->fire_desks +
		    ((uint32_t)connected < total % (uint32_t)o->fire_desks);
		if ((l->d = bench_token_login(&s, token, connected + 1)) ==
		    NULL)
			goto out;
	}
	w.goal = &m.goal;
	w.on_event = missed_event;
	w.fig = &m;
	m.goal.deadline = t_start + (int64_t)((secs + 10) * 1e9);
	atomic_store(&m.goal.expected, (unsigned)m.n);
	if (start_thread(&wth, watcher_run, &w) != 0) {
		warnx_("pthread_create failed");
		goto out;
	}
	watching = true;
	for (started = 0; started < o->fire_desks; started++)
		if (start_thread(&cth[started], creator_run, &c[started]) !=
		    0) {
			warnx_("pthread_create failed");
			break;
		}
	sleep_until(t_start);
	cpu_mark(&m0, &s);
	for (int i = 0; i < started; i++) {
		pthread_join(cth[i], NULL);
		acked += c[i].acked;
		if (c[i].failed)
			warnx_("fire_alert creator %d: %s", i, c[i].err);
	}
	cpu_mark(&m1, &s);
	cpu_cores(&m0, &m1, &srv_cores, &self_cores);
	atomic_store(&m.goal.writers_done, true);
	pthread_join(wth, NULL);
	watching = false;
	if (w.failed)
		warnx_("fire_alert watcher: %s", w.err);
	if (started < o->fire_desks || w.failed || !srv_alive(&s))
		goto out;
	for (size_t i = 0; i < m.n; i++)
		if (m.seen[i]) {
			recv[measured] = m.recv_us[i];
			late[measured++] = m.late_us[i];
		}
	if (measured == 0) {
		warnx_("fire_alert: no missed round raised an alert");
		goto out;
	}
	qsort(recv, measured, sizeof(*recv), cmp_i64);
	qsort(late, measured, sizeof(*late), cmp_i64);
	printf("BENCH fire_alert p50_ms=%.3f p99_ms=%.3f max_ms=%.3f "
	    "alerts=%u tasks=%zu missing=%zu dup=%u other=%u "
	    "raised_p50_ms=%.3f raised_p99_ms=%.3f raised_max_ms=%.3f "
	    "creates=%u acked=%u rate=%d seconds=%.1f deskd_cores=%.2f "
	    "bench_cores=%.2f target_p99_ms=%.0f met=%s\n",
	    pct(recv, measured, 0.50) / 1e3, pct(recv, measured, 0.99) / 1e3,
	    recv[measured - 1] / 1e3, measured, m.n, m.n - measured, m.dup,
	    m.other, pct(late, measured, 0.50) / 1e3,
	    pct(late, measured, 0.99) / 1e3, late[measured - 1] / 1e3, total,
	    acked, o->fire_rate, secs, srv_cores, self_cores,
	    TARGET_ALERT_P99_MS, pct(recv, measured, 0.99) / 1e3 <
	    TARGET_ALERT_P99_MS && measured == m.n && m.dup == 0 &&
	    acked == total ? "yes" : "no");
	fflush(stdout);
	rc = 0;
out:
	if (watching) {
		atomic_store(&m.goal.writers_done, true);
		pthread_join(wth, NULL);
	}
	for (int i = 0; i < connected; i++)
		desk_close(c[i].loop.d);
	desk_close(w.d);
	desk_close(admin);
	srv_stop(&s);
	if (rc != 0)
		warnx_("fire_alert: not measured; deskd log: %s", s.log);
out_free:
	free(m.task);
	free(m.due_ms);
	free(m.seen);
	free(m.recv_us);
	free(m.late_us);
	free(recv);
	free(late);
	free(c);
	free(cth);
	return rc;
}
