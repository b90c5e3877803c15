/*
 * guard.h - failed-login accounting: backoff by user name and by source
 * address across connections, which sources have logged in before, the
 * rate-limited failure log and the burst alarm (PROTOCOL.md 8.2).  In
 * memory, no I/O: every call is given the time, so it is unit-tested
 * directly; dispatch.c does the logging and raises the alert.
 */
#ifndef DESKD_GUARD_H
#define DESKD_GUARD_H

#include <stdbool.h>
#include <stdint.h>

struct guard_conf {
	int64_t		base_ms;	/* first failure's delay, doubles */
	int64_t		max_ms;		/* cap on it */
	int64_t		decay_ms;	/* a quiet spell halving the count */
	uint32_t	log_lines;	/* failures logged one by one per
					 * source and interval */
	int64_t		log_every_ms;	/* the interval; then a summary */
	uint32_t	burst;		/* failures within burst_window_ms */
	int64_t		burst_window_ms; /* that alert the admin */
};

/* What to say about one failure (or a tick): dispatch.c logs it. */
struct guard_report {
	bool		log_line;	/* log this failure by itself */
	uint32_t	user_fails;	/* for the name (this lane) */
	uint32_t	source_fails;
	uint32_t	suppressed;	/* summary: failures not logged */
	char		source[48];	/* of the summary */
	bool		burst;		/* raise the alert, once a burst */
	uint32_t	burst_count;	/* failures in this burst's window */
};

enum guard_outcome {
	GUARD_OK,		/* the password was right */
	GUARD_FAILED,		/* checked and wrong */
	GUARD_UNCHECKED,	/* refused or lost before it was checked */
};

/* The delay after `fails` failures: none, then base doubling to cap. */
int64_t	guard_backoff_ms(int64_t base_ms, int64_t max_ms, uint32_t fails);
/* A failure count after quiet_ms without failures: halved per decay_ms. */
uint32_t guard_decayed(uint32_t fails, int64_t quiet_ms, int64_t decay_ms);
/* Loopback (127.0.0.0/8, ::1): the server's own console. */
bool	guard_is_console(const char *ip);
/* The address part of a "host:port" or "[v6]:port"-less peer string. */
void	guard_source(const char *peer, char *ip, size_t len);

void	guard_configure(const struct guard_conf *);
/* Forget everything (tests, restart). */
void	guard_reset(void);
/*
 * May a password login for user from ip be checked now?  0: yes, and the
 * name is held (one check at a time per name) until guard_done; else the
 * ms to wait before trying again.
 */
int64_t	guard_admit(const char *user, const char *ip, int64_t now_ms);
/* The outcome of an admitted login; fills *r for a failure. */
void	guard_done(const char *user, const char *ip, enum guard_outcome,
	    int64_t now_ms, struct guard_report *r);
/* How long a failed login's reply is held back: the larger count of the
 * name's, the source's and the connection's own failures. */
int64_t	guard_reply_delay(const char *user, const char *ip,
	    uint32_t conn_failures, int64_t now_ms);
/* Has this name logged in from this address before (the fast lane)? */
bool	guard_known(const char *user, const char *ip);
/* Summaries of sources whose log interval has ended: calls fn for each. */
void	guard_tick(int64_t now_ms, void (*fn)(const struct guard_report *,
	    void *), void *arg);

#endif
