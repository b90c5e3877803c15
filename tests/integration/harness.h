/*
 * harness.h - integration tests run a real deskd (TLS over loopback, LMDB
 * in a temp dir, certificates from scripts/gen-certs) and talk to it with
 * the real client library.  No mocks.
 */
#ifndef DESKD_HARNESS_H
#define DESKD_HARNESS_H

#include <sys/types.h>

#include <stdbool.h>
#include <stdint.h>

#include "desk.h"

#define ADMIN_USER	"admin"
#define ADMIN_PASS	"admin-pass-1"

struct server_proc {
	pid_t	pid;
	char	dir[256];	/* temp dir: data/, log, ready */
	char	data[300];
	char	log[300];
	char	addr[64];	/* 127.0.0.1:PORT once ready */
	char	port[16];	/* kept across restarts */
	char	keyfile[300];	/* archive_key (E6), made by srv_setup;
				 * "" starts deskd without one */
	const char *extra[32];	/* extra --key value pairs for deskd */
	int	status;		/* how it ended, as waitpid says (srv_stop,
				 * srv_kill9): 0 is a clean exit */
	bool	damaged;	/* the test damaged the store on purpose:
				 * srv_teardown does not verify it */
	unsigned nofile;	/* RLIMIT_NOFILE (soft and hard) deskd runs
				 * under from the next srv_start; 0: the
				 * test's own */
};

/* Paths compiled in by CMake. */
const char *h_certs(void);	/* dir with ca.pem, server.pem, server-key.pem */
const char *h_ca(void);

/* Make the temp dir, `deskd init`, then start.  Fails the test on error. */
void	srv_setup(struct server_proc *, const char *const *extra);
void	srv_start(struct server_proc *);	/* (re)start on the same port */
void	srv_stop(struct server_proc *);		/* SIGTERM, wait */
void	srv_kill9(struct server_proc *);
/* Start, expecting deskd to exit before it is ready: its exit status
 * (the log says why); fails the test if it became ready. */
int	srv_start_fails(struct server_proc *);
void	srv_teardown(struct server_proc *);	/* stop, remove temp dir */
bool	srv_alive(struct server_proc *);
long	srv_rss_kib(struct server_proc *);
/* CPU time (user + system) deskd has used, in ms, or -1. */
long	srv_cpu_ms(struct server_proc *);
/*
 * Under ASan, the deskd started next keeps a small quarantine: the 256 MiB
 * of freed memory ASan holds by default is not deskd's.  Returns the
 * ASAN_OPTIONS to put back (setenv, then free), or NULL without ASan.
 */
char	*h_asan_small_quarantine(void);
/* A kB line of /proc/PID/status ("VmRSS", "RssAnon"), or -1. */
long	srv_status_kib(struct server_proc *, const char *field);
/* deskd's own counters: SIGUSR1 makes it log a "stats:" line, read here
 * (fails the test if none comes within 5 s). */
void	srv_counters(struct server_proc *, uint64_t *requests,
	    uint64_t *commits);
/* The time a commit took, mean and longest (ms), as the stats line that
 * srv_counters made deskd log says. */
void	srv_commit_times(struct server_proc *, double *mean_ms,
	    double *longest_ms);
/* A line of deskd's log contains what. */
bool	srv_log_has(struct server_proc *, const char *what);
/* Run `deskd verify`; returns its exit code, output in out. */
int	srv_verify(struct server_proc *, char *out, size_t len);

/* A connected (Hello done) desk, or NULL. */
struct desk *h_connect(struct server_proc *);
/* Connected and logged in; fails the test otherwise. */
struct desk *h_login(struct server_proc *, const char *user, const char *pw);
/*
 * The usual staff of a test: clerk1, sup1, dir1 and eng1 added with the
 * password pw, and a desk logged in for each and for the admin.
 */
struct h_staff {
	struct desk	*admin, *clerk, *sup, *dir, *eng;
};
void	h_staff_up(struct server_proc *, const char *pw, struct h_staff *);
void	h_staff_down(struct h_staff *);	/* closes the desks */
/* A test's office: srv_setup (with extra), then h_staff_up; and the
 * other way, h_staff_down, then srv_teardown. */
void	h_office_up(struct server_proc *, const char *const *extra,
	    const char *pw, struct h_staff *);
void	h_office_down(struct server_proc *, struct h_staff *);
/* admin adds a user with a role and password. */
void	h_add_user(struct server_proc *, const char *name, const char *role,
	    const char *pw);
/* Draft and fill a month as a supervisor: every day, shift i (A6:
 * morning, evening, night) to who[i], the one post; h_publish_rota
 * publishes it too. */
void	h_draft_rota(struct desk *sup, uint32_t month, uint32_t days,
	    const char *const who[3]);
void	h_publish_rota(struct desk *sup, uint32_t month, uint32_t days,
	    const char *const who[3]);
/* Publish a month with several posts: every day, shift i (A6) at post p
 * to who[p][i]. */
void	h_publish_posts(struct desk *sup, uint32_t month,
	    const char *const *const who[], size_t nposts);
/* The month (YYYYMM) of a moment in Asia/Shanghai, deskd's default zone. */
uint32_t h_month_of(int64_t ms);
/* A plain TCP socket to the server (no TLS). */
int	h_tcp(struct server_proc *);

/* Record a complaint; returns its id (0 on refusal, status in *st). */
/* Clock in (in) or out, expecting `want`; the response (caller frees). */
Deskd__Response *h_punch(struct desk *, bool in, Deskd__Status want);
/* A duty log entry ("巡查正常") to day (0: today's shift), accepted. */
void	h_log_add(struct desk *, uint32_t day);
uint64_t h_complaint(struct desk *, const char *unit, const char *text,
	    Deskd__Status *st);
/* A work order (a repair) for 李先生 at unit, recorded by d; dispatched too
 * when engineer is not NULL ("" names none).  Its id; fails the test on a
 * refusal. */
uint64_t h_repair(struct desk *, const char *unit, const char *phone,
	    const char *text, const char *engineer);
/* A step; returns the response status. */
Deskd__Status h_step(struct desk *, uint64_t id, Deskd__ComplaintAction,
	    const char *text, int64_t next_reply_ms, uint32_t satisfaction);
/* Fetch a complaint (NULL if absent). */
Deskd__Complaint *h_get(struct desk *, uint64_t id);
/* Send one request and return the response status (response freed). */
Deskd__Status h_call_status(struct desk *, const Deskd__Request *,
	    char *msg, size_t msglen);
/* Call and fail the test unless the status is `want`; the response
 * (caller frees it with deskd__response__free_unpacked). */
Deskd__Response *h_expect(struct desk *, const Deskd__Request *,
	    Deskd__Status want);
/* The same, for a test that wants only the status: the response freed. */
void	h_expect_free(struct desk *, const Deskd__Request *,
	    Deskd__Status want);
/* One request: its status, and the response in *resp when resp is not
 * NULL (caller frees it); fails the test when no response comes. */
Deskd__Status h_call(struct desk *, const Deskd__Request *,
	    Deskd__Response **resp);
/* Free a response; NULL is none. */
void	h_free(Deskd__Response *);
/* Frame a raw payload with a header and send it. */
int	h_send_frame(struct desk *, uint8_t version, uint8_t kind,
	    uint16_t flags, uint32_t id, uint32_t length, const void *payload,
	    size_t payload_len);
int64_t	h_now_ms(void);		/* monotonic, for waits */
int64_t	h_wall_ms(void);	/* since the epoch, as the server stamps */
/* The next event of `type` within 2 s (other frames are skipped and
 * freed), or NULL.  Free with deskd__event__free_unpacked. */
Deskd__Event *h_next_event(struct desk *, const char *type);
/* The next event of any type within timeout_ms, or NULL (the same). */
Deskd__Event *h_next_any(struct desk *, int timeout_ms);
/* The next alert.* event whose alert concerns `record`, within timeout_ms
 * (other frames are skipped and freed), or NULL.  Free with
 * deskd__event__free_unpacked. */
Deskd__Event *h_next_alert(struct desk *, const char *record, int timeout_ms);
/* The next alert.* event concerning `record`, which must come within
 * timeout_ms and be of `type` (fails the test otherwise).  Free with
 * deskd__event__free_unpacked. */
Deskd__Event *h_expect_alert(struct desk *, const char *record,
	    const char *type, int timeout_ms);
/* How many alerts were first raised (repeats not counted) on `record` in
 * the whole log, as the admin reads it; each must be at least min_late_ms
 * late (fails the test otherwise). */
int	h_raised_count(struct server_proc *, const char *record,
	    int64_t min_late_ms);
void	h_sleep_ms(int);

#endif
