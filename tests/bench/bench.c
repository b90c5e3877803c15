/*
 * bench.c - deskd-bench: starts its own deskd (durable commits, TLS on
 * 127.0.0.1, data in a temp dir) and measures five figures:
 *
 *   throughput      creates acknowledged per second by 32 pipelining desks
 *   fanout          complaint send -> last of 100 watchers receives it
 *                   (p50/p99/max)
 *   idle            deskd's RSS per idle, logged-in TLS connection
 *   clocks_startup  with 1M pending deadline clocks (written beforehand by
 *                   deskd-bench-load): start -> first request served, deskd's
 *                   own memory (RssAnon) against an empty store, and the
 *                   cost of an arm + cancel pair at both sizes
 *   clock_fire      lateness of a clock's alert.raised against its due
 *                   time, while complaints are created at 1,000/s
 *   unread          deskd's heap while desks pipeline big lists and never
 *                   read the replies (issue 12), another desk's p99
 *   login_flood     the admin's password login while 800 connections
 *                   guess passwords (issue 12)
 *   fire_year       a year of patrol rounds every 2 h made ahead for an
 *                   office of 2,300 fire equipment items, and deskd's
 *                   start and memory with them pending (issue 14)
 *   fire_alert      a missed round's alert at a watching supervisor
 *                   against its window's end, under 1,000 creates/s
 *   report          the month's complaint report and compliance ledger over
 *                   a year of 50,000 units, 200,000 complaints and 1M
 *                   events, and the desk commands' memory (issue 15)
 *   catchup         one of the watchers stops reading while 8 desks
 *                   create: the others' p99 before, during and after, and
 *                   whether it got every event once it read again (issue 17)
 *
 * Each figure gets a fresh deskd so one phase's state (log size, session
 * cache, heap) does not colour the next.  Output is one line per figure:
 *
 *   BENCH throughput creates_per_s=N ...
 *   BENCH fanout p50_ms=X p99_ms=Y max_ms=Z ...
 *   BENCH idle kib_per_conn=X ...
 *   BENCH clocks_startup first_request_ms=X ...
 *   BENCH clock_fire p50_ms=X p99_ms=Y max_ms=Z ...
 *   BENCH unread heap_growth_kib=X ...
 *
 * The key=value pairs after the figure say where the time went: requests
 * per group commit (from deskd's own counters), the creator's ack latency
 * versus the first-to-last watcher spread, and how many cores deskd and
 * the bench itself used -- both run on this machine, so a busy machine
 * shows up there first.
 *
 * Speed is measured here, never asserted: the exit code only says whether
 * every requested figure could be measured.
 *
 * This file is the command line and the table of figures; bench_common.c
 * and bench_deskd.c are the plumbing (bench.h), and each family of
 * figures has its own bench_<family>.c.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"

/* ---------- main ---------- */

/* The figures in the order they run; --only names one. */
static const struct figure {
	const char	*name;
	int		(*run)(const struct opts *);
} figures[] = {
	{ "throughput", bench_throughput },
	{ "fanout", bench_fanout },
	{ "idle", bench_idle },
	{ "clocks_startup", bench_clocks_startup },
	{ "clock_fire", bench_clock_fire },
	{ "schedule_publish", bench_schedule },
	{ "shift_changed", bench_shift },
	{ "unit_show", bench_unit_show },
	{ "visitor_in", bench_visitor_in },
	{ "import", bench_import },
	{ "unread", bench_unread },
	{ "login_flood", bench_login_flood },
	{ "fire_year", bench_fire_year },
	{ "fire_alert", bench_fire_alert },
	{ "report", bench_report },
	{ "peers", bench_peers },
	{ "catchup", bench_catchup },
};

static const struct figure *
figure_find(const char *name)
{
	for (size_t i = 0; i < sizeof(figures) / sizeof(figures[0]); i++)
		if (strcmp(figures[i].name, name) == 0)
			return &figures[i];
	return NULL;
}

static void
usage(FILE *f)
{
	fprintf(f,
"usage: deskd-bench [--only FIGURE] [--seconds N] [--quick]\n"
"                   [--desks N] [--depth N] [--watchers N] [--rate N]\n"
"                   [--idle N] [--clocks N] [--pairs N] [--fire-rate N]\n"
"                   [--fire-desks N] [--deskd PATH] [--load PATH]\n"
"                   [--certs DIR] [--keep] [--stop-seconds N]\n"
"\n"
"Starts its own deskd (durable commits) on 127.0.0.1 with data in a temp\n"
"dir and prints one BENCH line per figure:\n"
"  throughput  creates/s by --desks desks, --depth requests in flight each\n"
"  fanout      send -> last of --watchers watchers, at --rate creates/s\n"
"  idle        deskd RSS KiB per idle logged-in TLS connection (--idle)\n"
"  clocks_startup  start -> first request with --clocks pending clocks\n"
"              (1,000,000), deskd's RssAnon against an empty store, and\n"
"              --pairs arm + cancel pairs (create, invalid, reply) at both\n"
"  clock_fire  alert.raised lateness against due time, with --fire-rate\n"
"              creates/s (1000) from --fire-desks desks (4) for --seconds\n"
"              (10 for this figure unless given)\n"
"  shift_changed  boundary -> shift.changed at each of --watchers desks\n"
"  schedule_publish  publishing a month for 200 people x 3 shifts x 31\n"
"              days, and a swap's schedule.published naming just the two\n"
"  unit_show   UnitGet p50/p99 over an archive of 50,000 units and 150,000\n"
"              people, and whether the data dir holds a known phone (E6)\n"
"  visitor_in  a visitor registration (RegisterAdd, durable) p50/p99 from\n"
"              one desk, and the whole `desk visitor in` process (E2)\n"
"  import      `desk import` of 1,000,000 complaint history rows: rows/s,\n"
"              deskd's memory growth, a desk's create every 100 ms meanwhile\n"
"              (p99); then `desk export` of them: rows/s, its peak RSS (H3)\n"
"  unread      deskd's heap while 4 desks pipeline ComplaintList(500) over\n"
"              5,000 complaints of 2 KB, 200 each, and read nothing for\n"
"              --seconds; another desk's create p99 meanwhile (issue 12)\n"
"  login_flood the admin's password login while 800 connections (64 with\n"
"              --quick) guess random names, each attempt a new connection\n"
"              (issue 12): p50/max of 5 logins\n"
"  fire_year   an office of 2,000 detectors and 300 extinguishers (imported)\n"
"              plans a round every 2 h with --fire-horizon 366d: the plan's\n"
"              round trip making a year of tasks, deskd's start with them\n"
"              pending and its RssAnon against the store without them\n"
"  fire_alert  200 rounds (20 with --quick) missed in windows of 1-2 s over\n"
"              --seconds (10): alert.raised at a watching supervisor minus\n"
"              the window's end, with --fire-rate creates/s from --fire-desks\n"
"  report      a year of 50,000 units, 200,000 complaints, 1,000,000 events\n"
"              (imported): last month's ComplaintReport and LedgerGet round\n"
"              trips and the desk commands' peak memory\n"
"  peers       deskd beside redis (TLS, appendfsync always) started here,\n"
"              3 runs alternated, medians and ratios: 32 writers with 16\n"
"              and 1 in flight (complaint / SET), a record to --watchers\n"
"              at --rate (p50/p99), and saturation with 1 and 8 creators\n"
"              (MULTI{SET,PUBLISH}); skipped when redis-server is missing;\n"
"              --workload NAME runs one (set_32x16, set_32x1,\n"
"              w1_latency_200_per_s, w1_saturation_1, w1_saturation_8);\n"
"              --reps N (1-3): runs of each\n"
"  catchup     8 desks create at 1,000/s (300 with --quick) to --watchers;\n"
"              one stops reading for --stop-seconds (30; 2 with --quick):\n"
"              the others' p99 before / during / after, and whether the\n"
"              stopped one got every event, in order, once it read again\n"
"--quick: short runs with small counts (a smoke test, not a measurement).\n"
"--load: the bulk clock loader (default: deskd-bench-load of this build).\n"
"--certs: a dir from scripts/gen-certs (default: made in the temp dir).\n"
"--keep: keep the temp dir (data and deskd logs).\n");
}

static bool
parse_int(const char *s, int lo, int hi, int *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < lo || v > hi)
		return false;
	*out = (int)v;
	return true;
}

static int
parse_opts(int argc, char **argv, struct opts *o)
{
	static const struct option lo[] = {
		{ "only", required_argument, NULL, 'o' },
		{ "seconds", required_argument, NULL, 's' },
		{ "quick", no_argument, NULL, 'q' },
		{ "desks", required_argument, NULL, 'D' },
		{ "depth", required_argument, NULL, 'p' },
		{ "watchers", required_argument, NULL, 'w' },
		{ "rate", required_argument, NULL, 'r' },
		{ "idle", required_argument, NULL, 'i' },
		{ "clocks", required_argument, NULL, 'C' },
		{ "pairs", required_argument, NULL, 'P' },
		{ "fire-rate", required_argument, NULL, 'F' },
		{ "fire-desks", required_argument, NULL, 'f' },
		{ "load", required_argument, NULL, 'l' },
		{ "deskd", required_argument, NULL, 'b' },
		{ "certs", required_argument, NULL, 'c' },
		{ "keep", no_argument, NULL, 'k' },
		{ "stop-seconds", required_argument, NULL, 'S' },
		{ "workload", required_argument, NULL, 'W' },
		{ "reps", required_argument, NULL, 'R' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int ch, secs = -1, desks = -1, depth = -1, watchers = -1, rate = -1,
	    idle = -1, clocks = -1, pairs = -1, fire_rate = -1, fire_desks = -1,
	    stop = -1, reps = -1;
	const struct {
		int	 ch, lo, hi;
		int	*dst;
	} nums[] = {
		{ 's', 1, 600, &secs }, { 'D', 1, 1000, &desks },
		{ 'p', 1, 100, &depth }, { 'w', 1, 2000, &watchers },
		{ 'r', 1, 100000, &rate }, { 'i', 1, 100000, &idle },
		{ 'C', 1, 50000000, &clocks }, { 'P', 4, 1000000, &pairs },
		{ 'F', 1, 20000, &fire_rate }, { 'f', 1, 64, &fire_desks },
		{ 'S', 1, 600, &stop }, { 'R', 1, 3, &reps },
	};
	size_t i;
	bool quick = false;

	memset(o, 0, sizeof(*o));
	o->deskd = DESKD_BIN;
	o->load = DESKD_BENCH_LOAD;
	while ((ch = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
		switch (ch) {
		case 'o':
			if (figure_find(optarg) == NULL)
				goto bad;
			o->only = optarg;
			break;
		case 'q':
			quick = true;
			break;
		case 'l':
			o->load = optarg;
			break;
		case 'b':
			o->deskd = optarg;
			break;
		case 'c':
			o->certs = optarg;
			break;
		case 'k':
			o->keep = true;
			break;
		case 'W':
			o->workload = optarg;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		default:
			/* The numeric options: one table, one range check. */
			for (i = 0; i < sizeof(nums) / sizeof(nums[0]); i++)
				if (nums[i].ch == ch)
					break;
			if (i == sizeof(nums) / sizeof(nums[0]) ||
			    !parse_int(optarg, nums[i].lo, nums[i].hi,
			    nums[i].dst))
				goto bad;
			break;
		}
	}
	if (optind != argc)
		goto bad;
	/* --quick: a smoke test that the bench still runs, in a few seconds. */
	o->seconds = secs > 0 ? secs : quick ? 1 : 5;
	o->warmup = quick ? 0.2 : 1;
	o->desks = desks > 0 ? desks : quick ? 8 : 32;
	o->depth = depth > 0 ? depth : 4;
	o->watchers = watchers > 0 ? watchers : quick ? 20 : 100;
	o->rate = rate > 0 ? rate : 200;
	o->idle = idle > 0 ? idle : quick ? 200 : 5000;
	o->clocks = (uint32_t)(clocks > 0 ? clocks : quick ? 20000 : 1000000);
	o->pairs = (uint32_t)(pairs > 0 ? pairs : quick ? 300 : 5000);
	o->fire_rate = fire_rate > 0 ? fire_rate : quick ? 200 : 1000;
	o->fire_seconds = secs > 0 ? secs : quick ? 2 : 10;
	o->fire_desks = fire_desks > 0 ? fire_desks : 4;
	o->sched_people = quick ? 20 : 200;
	o->units = quick ? 500 : 50000;
	o->visitors = quick ? 200 : 5000;
	o->import_rows = quick ? 20000 : 1000000;
	o->unread_complaints = quick ? 600 : 5000;
	o->flood = quick ? 64 : 800;
	o->report_units = quick ? 500 : 50000;
	o->report_complaints = quick ? 2000 : 200000;
	o->report_events = quick ? 10000 : 1000000;
	o->fire_detectors = quick ? 200 : 2000;
	o->fire_extinguishers = quick ? 30 : 300;
	o->fire_horizon = quick ? "30d" : "366d";
	o->fire_plans = quick ? 20 : 200;
	o->peer_reps = reps > 0 ? reps : quick ? 1 : 3;
	o->catchup_stop = stop > 0 ? stop : quick ? 2 : 30;
	o->catchup_rate = quick ? 300 : 1000;
	return 0;
bad:
	usage(stderr);
	return -1;
}

static int
make_certs(void)
{
	char script[600], log[400];
	char *argv[] = { script, certs_dir, NULL };

	snprintf(script, sizeof(script), "%s/scripts/gen-certs",
	    DESKD_SOURCE_DIR);
	snprintf(certs_dir, sizeof(certs_dir), "%s/certs", tmp_root);
	snprintf(log, sizeof(log), "%s/gen-certs.log", tmp_root);
	if (run_wait(argv, log, NULL) != 0) {
		warnx_("%s failed; see %s", script, log);
		return -1;
	}
	return 0;
}

static bool
wanted(const struct opts *o, const char *name)
{
	return o->only == NULL || strcmp(o->only, name) == 0;
}

int
main(int argc, char **argv)
{
	struct opts o;
	int failed = 0;

	if (parse_opts(argc, argv, &o) != 0)
		return 2;
	if (access(o.deskd, X_OK) != 0) {
		warnx_("%s: %s (use --deskd PATH)", o.deskd, strerror(errno));
		return 2;
	}
	if (wanted(&o, "clocks_startup") && access(o.load, X_OK) != 0) {
		warnx_("%s: %s (use --load PATH)", o.load, strerror(errno));
		return 2;
	}
	/* A desk the server dropped must be an error here, not a signal. */
	signal(SIGPIPE, SIG_IGN);
	raise_nofile();
	snprintf(tmp_root, sizeof(tmp_root), "/tmp/deskd-bench-XXXXXX");
	if (mkdtemp(tmp_root) == NULL) {
		warnx_("mkdtemp: %s", strerror(errno));
		return 1;
	}
	if (o.certs != NULL)
		snprintf(certs_dir, sizeof(certs_dir), "%s", o.certs);
	else if (make_certs() != 0) {
		failed++;
		goto out;
	}
	snprintf(ca_file, sizeof(ca_file), "%s/ca.pem", certs_dir);

	for (size_t i = 0; i < sizeof(figures) / sizeof(figures[0]); i++)
		if (wanted(&o, figures[i].name) && figures[i].run(&o) != 0)
			failed++;
out:
	if (o.keep || failed)
		fprintf(stderr, "deskd-bench: data and logs kept in %s\n",
		    tmp_root);
	else
		rm_tree(tmp_root);
	return failed ? 1 : 0;
}
