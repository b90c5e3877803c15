/*
 * test_bench_stop.c - the bench stops its children in bounded time
 * (proc_stop: deskd and redis-server alike): one that ignores SIGTERM is
 * killed after the grace, and one that exits on it is not waited for
 * longer than it takes.  An alarm fails a stop that would hang.
 */
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "bench.h"

static int failures;
static pid_t stopping;		/* killed by the alarm, not left behind */

static void
expect(bool ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "test_bench_stop: %s\n", what);
		failures++;
	}
}

static void
hung(int sig)
{
	static const char msg[] = "test_bench_stop: the stop hung\n";
	ssize_t n;

	(void)sig;
	if (stopping > 0)
		kill(stopping, SIGKILL);
	n = write(2, msg, sizeof(msg) - 1);
	_exit(n < 0 ? 2 : 1);
}

/* A child that is up (its SIGTERM disposition set) once this returns. */
static pid_t
child(bool ignore_term)
{
	int ready[2];
	char c;
	pid_t pid;

	if (pipe(ready) != 0 || (pid = fork()) == -1) {
		perror("test_bench_stop");
		exit(1);
	}
	if (pid == 0) {
		if (ignore_term)
			signal(SIGTERM, SIG_IGN);
		if (write(ready[1], "", 1) != 1)
			_exit(1);
		for (;;)
			pause();
	}
	close(ready[1]);
	if (read(ready[0], &c, 1) != 1)
		exit(1);
	close(ready[0]);
	return pid;
}

int
main(void)
{
	pid_t pid, was;
	int64_t t0;

	signal(SIGALRM, hung);
	alarm(10);

	stopping = was = pid = child(true);
	t0 = mono_ns();
	expect(!proc_stop(&pid, "stubborn", 300), "SIGTERM said to work");
	expect(pid == 0, "pid not cleared");
	expect(mono_ns() - t0 < 3000000000LL, "more than 3 s to stop");
	expect(waitpid(was, NULL, WNOHANG) == -1 && errno == ECHILD,
	    "the child was not reaped");

	stopping = was = pid = child(false);
	t0 = mono_ns();
	expect(proc_stop(&pid, "willing", 5000), "SIGTERM said not to work");
	expect(pid == 0, "pid not cleared");
	expect(mono_ns() - t0 < 2000000000LL, "waited out the grace");
	expect(waitpid(was, NULL, WNOHANG) == -1 && errno == ECHILD,
	    "the child was not reaped");

	pid = 0;
	expect(proc_stop(&pid, "none", 100), "no child is stopped");
	if (failures == 0)
		printf("test_bench_stop: ok\n");
	return failures != 0;
}
