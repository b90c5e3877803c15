/*
 * import.h - bulk import and export (issue 6: H3, H4): what push asks.
 */
#ifndef DESKD_IMPORT_H
#define DESKD_IMPORT_H

#include <stdbool.h>
#include <stddef.h>

/* Is the first len bytes of name a kind a bulk import stores? */
bool		import_kind(const char *name, size_t len);

#endif
