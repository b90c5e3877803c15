/* clock.c - deadline clocks: placeholder until the engine lands. */
#include "clock.h"
#include "dispatch.h"

int64_t
clock_deadline(const struct apply_ctx *ctx, const char *name, int64_t from_ms)
{
	(void)ctx;
	(void)name;
	return from_ms;
}

void
clock_arm(struct apply_ctx *ctx, const char *name, enum record_kind kind,
    uint64_t id, int64_t deadline_ms)
{
	(void)ctx; (void)name; (void)kind; (void)id; (void)deadline_ms;
}

void
clock_stop(struct apply_ctx *ctx, const char *name, enum record_kind kind,
    uint64_t id)
{
	(void)ctx; (void)name; (void)kind; (void)id;
}

void
clock_ack(struct apply_ctx *ctx, const char *name, enum record_kind kind,
    uint64_t id, const char *note)
{
	(void)ctx; (void)name; (void)kind; (void)id; (void)note;
}
