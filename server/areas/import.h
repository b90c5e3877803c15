/*
 * import.h - bulk import and export (issue 6: H3, H4).  The handlers are
 * declared in dispatch.h with the others; this is what dispatch asks
 * before them.
 */
#ifndef DESKD_IMPORT_H
#define DESKD_IMPORT_H

#include <stdbool.h>
#include <stddef.h>

#include "worker.h"
#include "deskd.pb-c.h"
#include "perm.h"

struct config;
struct store;

/* The permission an ImportBatch or ExportRequest needs: the kind's write
 * or read (an unmasked export of people: the archive export); `fallback`
 * for another request or an unknown kind (the handler then says so). */
enum perm_op	import_op(const Deskd__Request *, enum perm_op fallback);
/* The prepare step of an ImportBatch (dispatch.h): its rows decoded and
 * checked on the worker, for import_batch_apply. */
int		import_prepare(struct store *, const struct config *,
		    const char *actor, const Deskd__Request *,
		    struct worker_job *);
/* Is the first len bytes of name a kind a bulk import stores? */
bool		import_kind(const char *name, size_t len);

#endif
