/*
 * bench_common.c - deskd-bench's plumbing that knows nothing of deskd:
 * messages, clocks and sleeps, child processes, the temp dir, threads and
 * percentiles.
 */
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <signal.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"

void
warnx_(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "deskd-bench: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int64_t
mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

void
sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000 };

	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

void
sleep_until(int64_t when_ns)
{
	struct timespec ts = { (time_t)(when_ns / 1000000000),
	    (long)(when_ns % 1000000000) };

	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) ==
	    EINTR)
		;
}

static int
rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	if (remove(path) != 0)
		warnx_("cannot remove %s: %s", path, strerror(errno));
	return 0;
}

void
rm_tree(const char *dir)
{
	if (*dir)
		nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* Run argv with stdout and stderr to log (appended); its exit code. */
int
run_wait(char *const argv[], const char *log, const char *admin_pw)
{
	pid_t pid;
	int status, fd;

	if ((pid = fork()) == -1)
		return -1;
	if (pid == 0) {
		if ((fd = open(log, O_WRONLY | O_CREAT | O_APPEND, 0600)) >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
			close(fd);
		}
		if (admin_pw)
			setenv("DESKD_ADMIN_PASSWORD", admin_pw, 1);
		execv(argv[0], argv);
		_exit(127);
	}
	while (waitpid(pid, &status, 0) == -1)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

bool
proc_stop(pid_t *pid, const char *name, int grace_ms)
{
	int status;

	if (*pid <= 0)
		return true;
	kill(*pid, SIGTERM);
	for (int waited = 0; waited < grace_ms; waited += 10) {
		if (waitpid(*pid, &status, WNOHANG) == *pid) {
			*pid = 0;
			return true;
		}
		sleep_ms(10);
	}
	warnx_("%s %d ignored SIGTERM for %d ms; killing it", name, (int)*pid,
	    grace_ms);
	kill(*pid, SIGKILL);
	while (waitpid(*pid, &status, 0) == -1 && errno == EINTR)
		;
	*pid = 0;
	return false;
}

void
raise_nofile(void)
{
	struct rlimit rl;

	/* 5,000 idle desks are 5,000 descriptors here too; deskd inherits
	 * the raised limit and raises its own to the hard limit anyway. */
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
}

long
nofile_limit(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur == RLIM_INFINITY)
		return LONG_MAX;
	return (long)rl.rlim_cur;
}

int64_t
wall_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

int
start_thread(pthread_t *t, void *(*fn)(void *), void *arg)
{
	pthread_attr_t attr;
	int rc;

	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, THREAD_STACK);
	rc = pthread_create(t, &attr, fn, arg);
	pthread_attr_destroy(&attr);
	return rc;
}

int
cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

/* Nearest-rank percentile of a sorted array. */
int64_t
pct(const int64_t *v, size_t n, double p)
{
	size_t k = (size_t)(p * (double)n + 0.999999);

	if (k == 0)
		k = 1;
	return v[(k > n ? n : k) - 1];
}

int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}
