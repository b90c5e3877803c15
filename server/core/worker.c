/* worker.c - the worker: password hashing and other jobs (see worker.h). */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/rand.h>

#include "worker.h"
#include "now.h"
#include "log.h"
#include "server.h"

/*
 * The pool: `nworkers` threads take jobs from two lanes, the fast one
 * first.  Work of logged-in desks and logins of names known at their
 * address go fast; every other login waits in the normal lane, which is
 * bounded: past its bound a login is refused (TRY_LATER), so a flood of
 * guesses cannot queue the admin's login behind minutes of hashing.
 */
#define WORKERS_MAX	64

static pthread_t	 workers[WORKERS_MAX];
static int		 nworkers;
static uint32_t		 normal_max;
static pthread_mutex_t	 mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t	 cv = PTHREAD_COND_INITIALIZER;
static struct worker_job *fast_head, *fast_tail, *normal_head, *normal_tail;
static struct worker_job *done_head, *done_tail;
static uint32_t		 normal_len;
static int64_t		 job_ms = 100;	/* a job's time, smoothed: the hint */
static bool		 stopping;
static int		 wake[2] = { -1, -1 };
static struct event	*wake_ev;

static void
append(struct worker_job **head, struct worker_job **tail,
    struct worker_job *j)
{
	j->next = NULL;
	if (*tail)
		(*tail)->next = j;
	else
		*head = j;
	*tail = j;
}

static void
derive(struct worker_job *j)
{
	if (j->run != NULL) {
		j->run(j);
		return;
	}
	if (j->fresh_salt && RAND_bytes(j->salt, sizeof(j->salt)) != 1) {
		j->rc = -1;
		ERR_clear_error();
		return;
	}
	j->rc = password_derive(j->password, j->salt, sizeof(j->salt),
	    j->iterations, j->key);
	/* The clear-text password is not kept a moment longer than needed. */
	OPENSSL_cleanse(j->password, sizeof(j->password));
}

static struct worker_job *
take(struct worker_job **head, struct worker_job **tail)
{
	struct worker_job *j = *head;

	if (j != NULL && (*head = j->next) == NULL)
		*tail = NULL;
	return j;
}

static void *
worker_main(void *arg)
{
	(void)arg;
	for (;;) {
		struct worker_job *j;
		int64_t t0;
		char one = 1;

		pthread_mutex_lock(&mu);
		while (fast_head == NULL && normal_head == NULL && !stopping)
			pthread_cond_wait(&cv, &mu);
		if ((j = take(&fast_head, &fast_tail)) == NULL &&
		    (j = take(&normal_head, &normal_tail)) != NULL)
			normal_len--;
		pthread_mutex_unlock(&mu);
		if (j == NULL)
			break;

		t0 = server_mono_ms();
		derive(j);

		pthread_mutex_lock(&mu);
		job_ms = (job_ms * 7 + (server_mono_ms() - t0)) / 8;
		append(&done_head, &done_tail, j);
		pthread_mutex_unlock(&mu);
		while (write(wake[1], &one, 1) == -1 && errno == EINTR)
			;
	}
	return NULL;
}

static void
run_done(void)
{
	struct worker_job *j, *next;

	pthread_mutex_lock(&mu);
	j = done_head;
	done_head = done_tail = NULL;
	pthread_mutex_unlock(&mu);
	for (; j != NULL; j = next) {
		next = j->next;
		j->done(j, j->arg);
	}
}

static void
on_wake(evutil_socket_t fd, short what, void *arg)
{
	char buf[64];

	(void)what;
	(void)arg;
	while (read(fd, buf, sizeof(buf)) > 0)
		;
	run_done();
}

int
worker_start(struct event_base *base, int threads, uint32_t queue_max)
{
	if (pipe2(wake, O_NONBLOCK | O_CLOEXEC) == -1)
		return -1;
	wake_ev = event_new(base, wake[0], EV_READ | EV_PERSIST, on_wake, NULL);
	if (wake_ev == NULL || event_add(wake_ev, NULL) != 0)
		return -1;
	stopping = false;
	normal_max = queue_max;
	if (threads < 1)
		threads = 1;
	for (nworkers = 0; nworkers < threads && nworkers < WORKERS_MAX;
	    nworkers++)
		if (pthread_create(&workers[nworkers], NULL, worker_main,
		    NULL) != 0)
			return -1;
	return 0;
}

bool
worker_full(enum worker_lane lane, int64_t *retry_ms)
{
	bool full;

	if (nworkers == 0 || lane != WORKER_NORMAL)
		return false;
	pthread_mutex_lock(&mu);
	full = normal_len >= normal_max;
	/* About when the queue ahead will have drained. */
	*retry_ms = job_ms * (normal_len / (uint32_t)nworkers + 1);
	pthread_mutex_unlock(&mu);
	if (*retry_ms < 100)
		*retry_ms = 100;
	return full;
}

void
worker_submit(struct worker_job *j, enum worker_lane lane)
{
	if (nworkers == 0) {
		/* No worker (deskd init, unit tests): derive in place. */
		derive(j);
		j->done(j, j->arg);
		return;
	}
	pthread_mutex_lock(&mu);
	if (lane == WORKER_NORMAL) {
		append(&normal_head, &normal_tail, j);
		normal_len++;
	} else
		append(&fast_head, &fast_tail, j);
	pthread_cond_signal(&cv);
	pthread_mutex_unlock(&mu);
}

void
worker_stop(void)
{
	if (nworkers > 0) {
		pthread_mutex_lock(&mu);
		stopping = true;
		pthread_cond_broadcast(&cv);
		pthread_mutex_unlock(&mu);
		/* Workers drain both lanes before they see stopping. */
		for (int i = 0; i < nworkers; i++)
			pthread_join(workers[i], NULL);
		nworkers = 0;
		run_done();
	}
	if (wake_ev)
		event_free(wake_ev);
	wake_ev = NULL;
	for (int i = 0; i < 2; i++) {
		if (wake[i] != -1)
			close(wake[i]);
		wake[i] = -1;
	}
}

void
worker_job_init(struct worker_job *j, const char *password,
    const uint8_t *salt, size_t saltlen, uint32_t iterations)
{
	memset(j, 0, sizeof(*j));
	snprintf(j->password, sizeof(j->password), "%s", password);
	if (salt != NULL)
		memcpy(j->salt, salt, saltlen < sizeof(j->salt) ? saltlen :
		    sizeof(j->salt));
	else
		j->fresh_salt = true;
	j->iterations = iterations;
}

bool
worker_job_matches(const struct worker_job *j, const uint8_t *salt,
    size_t saltlen, uint32_t iterations, const uint8_t *hash, size_t hashlen)
{
	/* The record may have changed while the worker ran: a key derived
	 * from another salt or cost proves nothing. */
	if (j->rc != 0 || saltlen != sizeof(j->salt) ||
	    memcmp(salt, j->salt, saltlen) != 0 || iterations != j->iterations ||
	    hashlen != sizeof(j->key))
		return false;
	return CRYPTO_memcmp(hash, j->key, hashlen) == 0;
}
