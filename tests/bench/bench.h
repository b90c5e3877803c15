/*
 * bench.h - what deskd-bench's files share: the options, the deskd under
 * test, the plumbing of bench_common.c and bench_deskd.c, and one
 * bench_<figure>() per figure (bench.c runs them from its table).
 */
#ifndef BENCH_H
#define BENCH_H

#include <sys/types.h>

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "desk.h"
#include "wire.h"

#ifndef DESKD_BIN
#define DESKD_BIN	"deskd"
#endif
#ifndef DESKD_BENCH_LOAD
#define DESKD_BENCH_LOAD	"deskd-bench-load"
#endif
#ifndef DESK_BIN
#define DESK_BIN	"desk"
#endif
#ifndef DESKD_SOURCE_DIR
#define DESKD_SOURCE_DIR	"."
#endif

#define ADMIN_USER	"admin"
#define ADMIN_PASS	"bench-admin-pass-1"
#define CALL_TIMEOUT_MS	15000		/* generous: sanitizer builds are slow */
#define READY_WAIT_MS	30000
#define THREAD_STACK	(256 * 1024)

struct opts {
	const char	*deskd;
	const char	*certs;		/* NULL: make our own */
	const char	*only;		/* NULL: every figure */
	double		 seconds;	/* measured time per timed figure */
	double		 warmup;	/* seconds before measuring starts */
	int		 desks;		/* throughput connections */
	int		 depth;		/* requests in flight per desk */
	int		 watchers;
	int		 rate;		/* fanout creates per second */
	int		 idle;		/* idle connections */
	const char	*load;		/* deskd-bench-load */
	uint32_t	 clocks;	/* pending clocks for clocks_startup */
	uint32_t	 pairs;		/* arm + cancel pairs at each size */
	int		 fire_rate;	/* clock_fire creates per second */
	double		 fire_seconds;	/* ... for this long */
	int		 fire_desks;	/* ... from this many desks */
	bool		 keep;		/* keep the temp dir */
	int		 sched_people;	/* schedule_publish: people (posts) */
	uint32_t	 units;		/* unit_show: archive units (E6) */
	uint32_t	 visitors;	/* visitor_in: registrations (E2) */
	uint32_t	 import_rows;	/* import: rows of the file (H3) */
	uint32_t	 unread_complaints; /* unread: 2 KB complaints */
	int		 flood;		/* login_flood: guessing connections */
	uint32_t	 report_units;	/* report: the office (issue 15) */
	uint32_t	 report_complaints;
	uint32_t	 report_events;
	uint32_t	 fire_detectors; /* fire_year: the office's equipment */
	uint32_t	 fire_extinguishers;
	const char	*fire_horizon;	/* fire_year: --fire-horizon */
	int		 fire_plans;	/* fire_alert: missed rounds */
	int		 peer_reps;	/* peers: runs of each, alternated */
	const char	*workload;	/* peers: only this one (NULL: all) */
	double		 catchup_stop;	/* catchup: seconds a watcher stops */
	int		 catchup_rate;	/* ... while 8 desks create this/s */
};

struct server {
	pid_t		 pid;
	char		 dir[256];	/* this run's temp dir */
	char		 data[300];
	char		 log[300];
	char		 ready[300];
	char		 addr[64];	/* 127.0.0.1:PORT once ready */
};

/* deskd started again and again (srv_restart_timed). */
#define RESTART_RUNS_MAX	9
struct restart_times {
	double		 first_ms;	/* median fork -> first request served */
	double		 first_max_ms;
	double		 ready_ms;	/* median fork -> ready file */
	long		 anon_kib;	/* RssAnon after the last */
	long		 rss_kib;	/* VmRSS, page cache of the map included */
};

/*
 * Watching desks and the desks writing what they watch for: the writers
 * say when they are done and how many events to expect; each watcher's
 * thread (watcher_run) hands every event to on_event, which counts in
 * got those it expected.
 */
struct watch_goal {
	atomic_bool	 writers_done;
	atomic_uint	 expected;
	int64_t		 deadline;	/* mono ns: the watchers give up */
};

struct watcher {
	struct watch_goal *goal;
	struct desk	*d;
	void		(*on_event)(struct watcher *, const Deskd__Event *);
	void		*fig;		/* the figure's own state */
	int		 idx;
	uint32_t	 got;
	bool		 failed;
	char		 err[256];
};

/* A desk creating complaints at a steady rate (open_loop_create). */
struct open_loop {
	struct desk	*d;
	int		 desk;		/* its number among stride desks */
	int		 stride;
	uint32_t	 n;		/* complaints to send */
	int64_t		 start, gap;	/* mono ns */
	void		(*on_send)(struct open_loop *, uint32_t); /* or NULL */
	void		(*on_reply)(struct open_loop *,
			    const Deskd__Response *);
	void		*fig;		/* the figure's own state */
};

/* CPU use over a window, in cores, to show who had the machine. */
struct cpu_mark {
	int64_t		wall;
	double		srv, self;
};

extern char	 tmp_root[64];	/* temp dir of the whole run */
extern char	 certs_dir[512];
extern char	 ca_file[600];

/* bench_common.c */
void	 warnx_(const char *, ...) __attribute__((format(printf, 1, 2)));
int64_t	 mono_ns(void);
int64_t	 wall_us(void);
void	 sleep_ms(int);
void	 sleep_until(int64_t);
void	 rm_tree(const char *);
int	 run_wait(char *const [], const char *, const char *);
/* Stop a child: SIGTERM, up to grace_ms for it to exit, then SIGKILL
 * (saying so, with its name); *pid is 0 after.  True when SIGTERM did. */
bool	 proc_stop(pid_t *pid, const char *name, int grace_ms);
void	 raise_nofile(void);
long	 nofile_limit(void);
int	 start_thread(pthread_t *, void *(*)(void *), void *);
int	 cmp_i64(const void *, const void *);
int	 cmp_double(const void *, const void *);
int64_t	 pct(const int64_t *, size_t, double);

/* bench_deskd.c: the server under test */
bool	 srv_alive(struct server *);
void	 srv_stop(struct server *);
int	 srv_prepare(struct server *, const struct opts *, const char *);
int	 srv_launch(struct server *, const struct opts *, const char *const *,
	    int);
int	 srv_start(struct server *, const struct opts *, const char *);
int	 srv_restart_timed(struct server *, const struct opts *,
	    const char *const *, const char *, int,
	    int (*)(struct desk *, void *), void *, struct restart_times *);
long	 pid_status_kib(pid_t, const char *);
bool	 pid_is(pid_t, const char *);
long	 srv_status_kib(const struct server *, const char *);
long	 srv_rss_kib(const struct server *);
void	 srv_stats(const struct server *, uint64_t *, uint64_t *, double *);
double	 srv_cpu_s(const struct server *);
void	 cpu_mark(struct cpu_mark *, const struct server *);
void	 cpu_cores(const struct cpu_mark *, const struct cpu_mark *,
	    double *, double *);

/* bench_deskd.c: desks */
struct desk *bench_connect_wait(const struct server *, const char *, int);
struct desk *bench_connect(const struct server *, const char *);
struct desk *bench_password_login(const struct server *, char *, size_t);
struct desk *bench_token_login(const struct server *, const char *, int);
void	 fill_complaint(Deskd__ComplaintNew *, char *, size_t, char *,
	    size_t, int, uint32_t);
int	 send_complaint(struct desk *, int, uint32_t);
uint64_t create_one(struct desk *);
void	*watcher_run(void *);
int	 open_loop_create(struct open_loop *);
int	 pipeline_requests(struct desk *, uint32_t, const char *,
	    void (*)(Deskd__Request *, uint32_t, char *, char *));
pid_t	 desk_cmd_spawn(const char *, const char *, char *const []);
int	 desk_cmd_session(const struct server *, const char *, char *,
	    size_t);

/* The figures, one file a family; 0 when measured. */
int	 bench_throughput(const struct opts *);		/* bench_throughput.c */
int	 bench_fanout(const struct opts *);		/* bench_push.c */
int	 bench_shift(const struct opts *);
int	 bench_idle(const struct opts *);		/* bench_conns.c */
int	 bench_login_flood(const struct opts *);
int	 bench_clocks_startup(const struct opts *);	/* bench_clocks.c */
int	 bench_clock_fire(const struct opts *);
int	 bench_schedule(const struct opts *);		/* bench_schedule.c */
int	 bench_unit_show(const struct opts *);		/* bench_archive.c */
int	 bench_visitor_in(const struct opts *);
int	 bench_import(const struct opts *);		/* bench_import.c */
int	 bench_peers(const struct opts *);		/* bench_peers.c */
int	 bench_unread(const struct opts *);		/* bench_unread.c */
int	 bench_fire_year(const struct opts *);		/* bench_fire.c */
int	 bench_fire_alert(const struct opts *);
int	 bench_report(const struct opts *);		/* bench_report.c */
int	 bench_catchup(const struct opts *);		/* bench_catchup.c */

#endif /* BENCH_H */
