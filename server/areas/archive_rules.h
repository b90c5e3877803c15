/*
 * archive_rules.h - the owner archive (业户档案, E6): units and the people
 * attached to them.  Other registers name units; they check the name here.
 */
#ifndef DESKD_ARCHIVE_RULES_H
#define DESKD_ARCHIVE_RULES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "deskd.pb-c.h"

struct apply_ctx;
struct config;
struct store;

/* OK when `unit` names a unit of the archive (or the archive has no units
 * yet: a new office that has not loaded it); else ctx_fail(NOT_FOUND)
 * listing up to 5 near matches. */
Deskd__Status	archive_unit_check(struct apply_ctx *, const char *unit);
/*
 * At startup: open cfg->archive_key into cfg->vault and check it against
 * the key check sealed in the store (written on the first start with a
 * key).  A store with a key check and no key, or a key that does not open
 * the check, is an error: never a plaintext fallback.  Also checks
 * unit_pattern.  0, or -1 with err.
 */
int		archive_open_key(struct config *, struct store *, char *err,
		    size_t errlen);

/* Pure rules (archive.c). */
/* Does `code` match the configured unit pattern: 1 yes, 0 no, -1 when
 * the pattern does not compile (err set). */
int		archive_code_ok(const char *pattern, const char *code,
		    char *err, size_t errlen);
/* Edit distance between two short codes, capped at `cap`. */
size_t		archive_distance(const char *, size_t, const char *, size_t,
		    size_t cap);
const char	*unit_status_name(Deskd__UnitStatus);
const char	*person_kind_name(Deskd__PersonKind);
/* E6: does a reveal, after `before` by the same person within the
 * window, go over the limit?  Only the first one over alerts, so a burst
 * is one alert, not one a number. */
bool		archive_reveal_alerts(uint32_t before, uint32_t limit);
/* "YYYY-MM-DD" -> YYYYMMDD; 0 when empty; -1 when malformed. */
int		archive_date_parse(const char *, uint32_t *);

#endif
