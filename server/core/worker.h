/*
 * worker.h - work off the event loop.  PBKDF2 at a safe cost takes ~100 ms;
 * done on the loop it would stall every desk at each login and let a
 * password guesser stall the server.  One worker thread derives keys, and
 * runs the other jobs a request may bring (an import batch's rows decoded
 * and checked while the loop commits the batch before it, import.c);
 * results come back to the loop through a pipe, in submission order.
 */
#ifndef DESKD_WORKER_H
#define DESKD_WORKER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <event2/event.h>

#include "password.h"

enum worker_lane {
	WORKER_NORMAL,	/* logins: bounded */
	WORKER_FAST,	/* logged-in desks; logins known at their address */
};

struct worker_job {
	/* in */
	char		 password[257];
	uint8_t		 salt[PASSWORD_SALT_LEN];
	bool		 fresh_salt;	/* make a new salt (a new password) */
	uint32_t	 iterations;
	/* out */
	uint8_t		 key[PASSWORD_HASH_LEN];
	int		 rc;		/* 0 ok */
	/* other work: run instead of a derivation, on the worker; it may
	 * touch only what the job holds.  data is freed with the request. */
	void		(*run)(struct worker_job *);
	void		*data;
	void		(*data_free)(void *);
	/* login_prepare: WORKER_FAST for an admin's name, the lane the
	 * console keeps for it (dispatch.c decides) */
	enum worker_lane lane;
	/* completion, on the loop thread */
	void		(*done)(struct worker_job *, void *);
	void		*arg;
	struct worker_job *next;
};

/* threads workers; at most queue_max jobs wait in the normal lane. */
int	worker_start(struct event_base *, int threads, uint32_t queue_max);
/* Is the lane full (only the normal one ever is)?  *retry_ms: about when
 * it will have room.  Only the loop submits, so room seen stays. */
bool	worker_full(enum worker_lane, int64_t *retry_ms);
/* Set in fields, done and arg; the job must live until done runs. */
void	worker_submit(struct worker_job *, enum worker_lane);
/* Join the worker and run the callbacks of what it finished. */
void	worker_stop(void);
/* Fill a job's in fields; password is copied (and cut at 256 bytes). */
void	worker_job_init(struct worker_job *, const char *password,
	    const uint8_t *salt, size_t saltlen, uint32_t iterations);
/* Does the derived key match a stored hash (same salt and cost)? */
bool	worker_job_matches(const struct worker_job *, const uint8_t *salt,
	    size_t saltlen, uint32_t iterations, const uint8_t *hash,
	    size_t hashlen);

#endif
