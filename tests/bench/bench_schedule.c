/*
 * bench_schedule.c - publishing a month's schedule, and what a swap's
 * second publish says changed.
 */
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"

/* December of a year to come: 31 days, every shift still ahead, so a
 * swap is a change and not a correction of shifts that are over (A5). */
#define SCHED_MONTH	203112
#define SCHED_DAYS	31
#define SCHED_SHIFTS	3

/* One call; the reply's status, or -1 when there is none. */
static int
sched_call(struct desk *d, Deskd__Request__BodyCase body, void *msg,
    Deskd__Response **resp)
{
	Deskd__Request req = DESKD__REQUEST__INIT;

	req.body_case = body;
	/* The oneof members are pointers at the same place. */
	req.schedule_draft = msg;
	*resp = NULL;
	desk_call(d, &req, resp);
	return *resp ? (int)(*resp)->status : -1;
}

/* Publish the draft; its wall time from send to answer in *ms. */
static int
sched_publish(struct desk *d, double *ms, Deskd__Response **resp)
{
	Deskd__SchedulePublish pub = DESKD__SCHEDULE_PUBLISH__INIT;
	int64_t t0;
	int st;

	pub.month = SCHED_MONTH;
	t0 = mono_ns();
	st = sched_call(d, DESKD__REQUEST__BODY_SCHEDULE_PUBLISH, &pub, resp);
	*ms = (double)(mono_ns() - t0) / 1e6;
	return st;
}

/*
 * 200 people x 3 shifts x 31 days (issue 4): person i holds post i in every
 * shift, so the month has 18,600 assignments; time the publish, then swap
 * two people's slots on one day and check that the second publish's
 * schedule.published names exactly those two, each with only their own
 * changes.
 */
int
bench_schedule(const struct opts *o)
{
	static const char *const extra[] = { "--config", NULL,
	    "--pbkdf2-iterations", "1000", NULL };
	const char *ex[6];
	struct server s;
	struct desk *d = NULL;
	Deskd__Response *resp = NULL;
	Deskd__ScheduleDraft draft = DESKD__SCHEDULE_DRAFT__INIT;
	Deskd__ScheduleSet set = DESKD__SCHEDULE_SET__INIT;
	Deskd__Assignment *as = NULL, **ap = NULL;
	char conf[400], token[128], (*names)[16] = NULL;
	int people = o->sched_people, rc = -1, st;
	size_t n = (size_t)people * SCHED_SHIFTS * SCHED_DAYS, k = 0;
	double first_ms, second_ms;
	bool own_only = true;
	FILE *f;

	if (srv_prepare(&s, o, "schedule") != 0)
		return -1;
	/* One post per person; inih caps a line, so 20 posts a line. */
	snprintf(conf, sizeof(conf), "%s/deskd.conf", s.dir);
	if ((f = fopen(conf, "w")) == NULL) {
		warnx_("%s: %s", conf, strerror(errno));
		return -1;
	}
	fprintf(f, "[shifts]\n");
	for (int i = 0; i < people; i++)
		fprintf(f, "%sp%d%s", i % 20 == 0 ? "posts = " : "", i,
		    i % 20 == 19 || i == people - 1 ? "\n" : ",");
	fclose(f);
	memcpy(ex, extra, sizeof(extra));
	ex[1] = conf;
	if (srv_launch(&s, o, ex, 10) != 0)
		return -1;
	if ((d = bench_password_login(&s, token, sizeof(token))) == NULL)
		goto out;
	names = calloc((size_t)people, sizeof(*names));
	as = calloc(n, sizeof(*as));
	ap = calloc(n, sizeof(*ap));
	if (names == NULL || as == NULL || ap == NULL) {
		warnx_("out of memory");
		goto out;
	}
	for (int i = 0; i < people; i++) {
		Deskd__Request req = DESKD__REQUEST__INIT;
		Deskd__UserAdd ua = DESKD__USER_ADD__INIT;

		snprintf(names[i], sizeof(names[i]), "clerk%03d", i);
		ua.name = names[i];
		ua.role = "clerk";
		ua.password = "bench-clerk-pass";
		req.body_case = DESKD__REQUEST__BODY_USER_ADD;
		req.user_add = &ua;
		if (desk_call(d, &req, &resp) != DESK_OK) {
			warnx_("user add: %s", desk_error(d));
			goto out;
		}
		deskd__response__free_unpacked(resp, NULL);
		resp = NULL;
	}
	draft.month = SCHED_MONTH;
	if ((st = sched_call(d, DESKD__REQUEST__BODY_SCHEDULE_DRAFT, &draft,
	    &resp)) != DESKD__STATUS__OK) {
		warnx_("schedule draft: %s", desk_error(d));
		goto out;
	}
	deskd__response__free_unpacked(resp, NULL);
	for (uint32_t day = 1; day <= SCHED_DAYS; day++)
		for (uint32_t sh = 0; sh < SCHED_SHIFTS; sh++)
			for (int p = 0; p < people; p++, k++) {
				deskd__assignment__init(&as[k]);
				as[k].day = day;
				as[k].shift = sh;
				as[k].post = (uint32_t)p;
				as[k].user = names[p];
				ap[k] = &as[k];
			}
	set.month = SCHED_MONTH;
	set.assignments = ap;
	set.n_assignments = n;
	set.replace = true;
	if ((st = sched_call(d, DESKD__REQUEST__BODY_SCHEDULE_SET, &set,
	    &resp)) != DESKD__STATUS__OK) {
		warnx_("schedule import: %s", desk_error(d));
		goto out;
	}
	deskd__response__free_unpacked(resp, NULL);
	if ((st = sched_publish(d, &first_ms, &resp)) != DESKD__STATUS__OK) {
		warnx_("schedule publish: %s", desk_error(d));
		goto out;
	}
	deskd__response__free_unpacked(resp, NULL);

	/* Version 2: persons 0 and 1 swap posts on day 1's first shift. */
	if ((st = sched_call(d, DESKD__REQUEST__BODY_SCHEDULE_DRAFT, &draft,
	    &resp)) != DESKD__STATUS__OK) {
		warnx_("schedule draft 2: %s", desk_error(d));
		goto out;
	}
	deskd__response__free_unpacked(resp, NULL);
	as[0].user = names[1];
	as[1].user = names[0];
	set.n_assignments = 2;
	set.replace = false;
	if ((st = sched_call(d, DESKD__REQUEST__BODY_SCHEDULE_SET, &set,
	    &resp)) != DESKD__STATUS__OK) {
		warnx_("schedule set: %s", desk_error(d));
		goto out;
	}
	deskd__response__free_unpacked(resp, NULL);
	if ((st = sched_publish(d, &second_ms, &resp)) != DESKD__STATUS__OK ||
	    resp->schedule == NULL || resp->schedule->change == NULL) {
		warnx_("schedule publish 2: %s", desk_error(d));
		goto out;
	}
	{
		const Deskd__ScheduleChange *ch = resp->schedule->change;

		/* Each person's entry holds only that person's slots. */
		for (size_t i = 0; i < ch->n_changes; i++) {
			const Deskd__PersonChange *pc = ch->changes[i];

			for (size_t j = 0; j < pc->n_added; j++)
				own_only &= strcmp(pc->added[j]->user,
				    pc->user) == 0;
			for (size_t j = 0; j < pc->n_removed; j++)
				own_only &= strcmp(pc->removed[j]->user,
				    pc->user) == 0;
		}
		printf("BENCH schedule_publish first_ms=%.1f second_ms=%.1f "
		    "people=%d assignments=%zu persons_changed=%zu "
		    "own_changes_only=%s target_ms=100 met=%s\n", first_ms,
		    second_ms, people, n, ch->n_changes, own_only ? "yes" : "no",
		    first_ms < 100 && second_ms < 100 && ch->n_changes == 2 &&
		    own_only ? "yes" : "no");
		fflush(stdout);
	}
	rc = 0;
out:
	if (resp)
		deskd__response__free_unpacked(resp, NULL);
	desk_close(d);
	free(names);
	free(as);
	free(ap);
	srv_stop(&s);
	if (rc != 0)
		warnx_("schedule: not measured; deskd log: %s", s.log);
	return rc;
}
