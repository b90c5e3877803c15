/*
 * now.c - the server's time.  Every rule reads the wall clock here, so tests
 * can move it ahead (--now-offset) instead of waiting for days to pass.
 */
#include <stdint.h>
#include <time.h>

#include "now.h"

static int64_t now_offset_ms;

int64_t
server_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000 +
	    now_offset_ms;
}

int64_t
server_mono_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

int64_t
server_mono_ms(void)
{
	return server_mono_us() / 1000;
}

void
server_set_now_offset(int64_t ms)
{
	now_offset_ms = ms;
}
