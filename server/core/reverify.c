/*
 * reverify.c - deskd verify while serving (C9, H4).  Nightly (verify_at,
 * or every verify_every) a thread of its own walks the whole store in one
 * read transaction, which LMDB never lets block a write, and the loop turns
 * a mismatch into an alert to the supervisor (and the admin, who reads
 * every alert).  At start the chain's tail is checked at once.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "area.h"
#include "deadline.h"
#include "now.h"
#include "log.h"
#include "reverify.h"
#include "server.h"
#include "vault.h"

/* The message a register kind is stored as: a kind the areas keep in
 * the registers' database. */
static const ProtobufCMessageDescriptor *
register_message(enum record_kind rec)
{
	const struct kind *k = area_kind_of(rec);

	return k != NULL && k->db == DB_REGISTERS ? k->d : NULL;
}

/* deskd's rules for what the log shows of a record (deskd verify too). */
const struct store_verify_rules reverify_rules = {
	record_event_form, register_message, area_record_specs
};

/* Events whose links the start checks: a moment's work. */
#define TAIL_LINKS	1024

static struct {
	struct server	*srv;
	struct event	*timer, *done_ev;
	int		 wake[2];
	pthread_t	 thread;
	bool		 running;
	/* the thread's result, read by the loop after the wake-up */
	int		 rc;
	uint64_t	 events;
	char		 err[512];
	/* what the last alert said: the same finding is not raised again
	 * each night, only logged, until a walk passes */
	char		 alerted[512];
} rv = { .wake = { -1, -1 } };

static void
report(const char *what, const char *err)
{
	char message[640];

	log_warnx("%s: %s", what, err);
	if (strcmp(rv.alerted, err) == 0)
		return;
	snprintf(message, sizeof(message), "%s: %s; run deskd verify on a "
	    "copy and restore from backup if it fails", what, err);
	if (clock_alert_raise_now(rv.srv, "C9", "store", "supervisor",
	    message) != STORE_OK)
		log_warnx("%s: could not raise the alert", __func__);
	else
		snprintf(rv.alerted, sizeof(rv.alerted), "%s", err);
}

/* ms until the next verify_at (local), or verify_every; -1: never. */
static int64_t
next_wait_ms(const struct config *cfg)
{
	unsigned hh, mm;
	struct tm tm;
	time_t now, at;

	if (cfg->verify_every_ms > 0)
		return cfg->verify_every_ms;
	if (sscanf(cfg->verify_at, "%u:%u", &hh, &mm) != 2 || hh > 23 ||
	    mm > 59)
		return -1;
	now = (time_t)(server_now_ms() / 1000);
	localtime_r(&now, &tm);
	tm.tm_hour = (int)hh;
	tm.tm_min = (int)mm;
	tm.tm_sec = 0;
	tm.tm_isdst = -1;
	if ((at = mktime(&tm)) <= now) {
		tm.tm_mday++;
		tm.tm_isdst = -1;
		at = mktime(&tm);
	}
	return ((int64_t)at - (int64_t)now) * 1000;
}

static void
schedule(void)
{
	int64_t wait = next_wait_ms(&rv.srv->cfg);
	struct timeval tv;

	if (wait < 0)
		return;
	tv.tv_sec = wait / 1000;
	tv.tv_usec = (wait % 1000) * 1000;
	evtimer_add(rv.timer, &tv);
}

static void *
verify_thread(void *arg)
{
	(void)arg;
	rv.rc = store_verify(rv.srv->store, &reverify_rules, &rv.events,
	    rv.err, sizeof(rv.err));
	/* The loop reads the result once this byte arrives. */
	while (write(rv.wake[1], "v", 1) == -1 && errno == EINTR)
		;
	return NULL;
}

static void
on_done(evutil_socket_t fd, short what, void *arg)
{
	char buf[16];

	(void)what;
	(void)arg;
	while (read(fd, buf, sizeof(buf)) > 0)
		;
	if (!rv.running)
		return;
	pthread_join(rv.thread, NULL);
	rv.running = false;
	if (rv.rc == STORE_OK) {
		log_info("store re-verified: ok, %" PRIu64 " events", rv.events);
		rv.alerted[0] = '\0';
	} else if (rv.rc == STORE_YIELDED) {
		/* The map grew under it: again in a minute. */
		struct timeval tv = { 60, 0 };

		log_info("store re-verify %s; again in a minute", rv.err);
		evtimer_add(rv.timer, &tv);
		return;
	} else
		report("the store failed its check", rv.err);
	schedule();
}

static void
on_timer(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	(void)arg;
	if (rv.running)
		return;
	log_info("re-verifying the store");
	if (pthread_create(&rv.thread, NULL, verify_thread, NULL) != 0) {
		log_warnx("%s: cannot start the verify thread", __func__);
		schedule();
		return;
	}
	rv.running = true;
}

int
reverify_start(struct server *srv)
{
	char err[512];

	rv.srv = srv;
	if (pipe2(rv.wake, O_NONBLOCK | O_CLOEXEC) == -1)
		return -1;
	rv.timer = evtimer_new(srv->base, on_timer, NULL);
	rv.done_ev = event_new(srv->base, rv.wake[0], EV_READ | EV_PERSIST,
	    on_done, NULL);
	if (rv.timer == NULL || rv.done_ev == NULL ||
	    event_add(rv.done_ev, NULL) != 0) {
		reverify_stop();
		return -1;
	}
	if (store_check_tail(srv->store, TAIL_LINKS, err, sizeof(err)) !=
	    STORE_OK)
		report("the event log's tail failed its check at start", err);
	schedule();
	return 0;
}

void
reverify_stop(void)
{
	/* A walk under way stops at its next record, and is waited for: it
	 * holds a read transaction. */
	if (rv.running) {
		store_long_read_interrupt(rv.srv->store);
		pthread_join(rv.thread, NULL);
	}
	rv.running = false;
	if (rv.timer != NULL)
		event_free(rv.timer);
	if (rv.done_ev != NULL)
		event_free(rv.done_ev);
	rv.timer = rv.done_ev = NULL;
	for (int i = 0; i < 2; i++)
		if (rv.wake[i] != -1)
			close(rv.wake[i]);
	rv.wake[0] = rv.wake[1] = -1;
}
