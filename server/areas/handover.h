/*
 * handover.h - shift change and handover (issue 4: A6, B1-B6, H1, H2).
 * The shift boundary is a recurring durable clock (core/deadline.c): when it fires
 * it emits shift.changed and opens one handover per post, in the same
 * transaction, so it happens exactly once, late if deskd was down.
 */
#ifndef DESKD_HANDOVER_H
#define DESKD_HANDOVER_H

#include <stddef.h>
#include <stdint.h>

#include "deskd.pb-c.h"
#include "shift_rules.h"

struct apply_ctx;

/* B2: the post's public items, [handover] items = computer:1,stapler:2 */
#define HANDOVER_ITEMS_MAX	64
struct handover_conf {
	struct {
		char	 name[SHIFT_NAME];
		uint32_t count;
	}	 items[HANDOVER_ITEMS_MAX];
	size_t	 nitems;
};

/* The [handover] section of the settings (the handover area registers
 * it), and its values in a config. */
extern const struct config_section handover_section;
const struct handover_conf *handover_conf_of(const struct config *);

void	handover_config_defaults(struct handover_conf *);
int	handover_config_set(struct handover_conf *, const char *key,
	    const char *value, char *err, size_t errlen);

/* A6: the first shift boundary after `after_ms` and the last one at or
 * before `at_ms` (local time; a boundary is where a shift starts or ends). */
int64_t	shift_boundary_next(const struct shift_conf *, int64_t after_ms);
int64_t	shift_boundary_last(const struct shift_conf *, int64_t at_ms);

/* B3: the post a new complaint or repair is followed up at: the one named,
 * else the only post, else where the recorder is on duty now by the
 * published schedule, else "" (then it is pending at every post).  NULL
 * after ctx_fail when the named post is not configured. */
const char *handover_record_post(struct apply_ctx *, const char *named);

/* The post `user` is on now by the published schedule ("" none), and
 * when that shift ends (*ends_ms; 0 none). */
const char *handover_duty_post(struct apply_ctx *, const char *user,
	    int64_t *ends_ms);
/* Who is on post pi now by the published schedule ("" nobody). */
const char *handover_post_holder(struct apply_ctx *, size_t pi);

/* E6: is `user` on duty now by the published schedule (the shift in
 * progress, at any post)? */
bool	handover_on_duty(struct apply_ctx *, const char *user);

/* Arm the boundary clock when there is none (the first start). */
void	handover_boundary_arm(struct apply_ctx *);
/* The boundary clock's work (the deadline engine calls it). */
int	handover_boundary_fire(struct apply_ctx *, Deskd__Clock *);

/* The handover area's deadline clocks ([clocks] keys): the next shift
 * boundary (one recurring clock, A6), and a handover still unsigned after
 * the boundary (B5, H2). */
#define CLOCK_SHIFT_BOUNDARY		"shift.boundary"
#define CLOCK_HANDOVER_UNSIGNED		"handover.unsigned"

#endif
