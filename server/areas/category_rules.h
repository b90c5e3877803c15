/*
 * category_rules.h - the complaint categories (C8) as pure functions: the
 * configured list (a short code and a Chinese name each), what intake
 * accepts as one of them, the nearest one to suggest, and the table an
 * import maps free text through.  No storage, no sockets.
 */
#ifndef DESKD_CATEGORY_RULES_H
#define DESKD_CATEGORY_RULES_H

#include <stdbool.h>
#include <stddef.h>

#include "deskd.pb-c.h"

#define CATEGORY_MAX		32
#define CATEGORY_CODE		16	/* "noise": [a-z0-9_-], with its NUL */
#define CATEGORY_NAME		48	/* "服务态度" */
#define CATEGORY_MAP_MAX	64
#define CATEGORY_TEXT		33	/* a mapped text: a category's 32 bytes */

/* The [categories] section: the list, then the import's table. */
struct category_conf {
	struct {
		char	code[CATEGORY_CODE];
		char	name[CATEGORY_NAME];
	}	 cats[CATEGORY_MAX];
	size_t	 ncats;
	struct {
		char	text[CATEGORY_TEXT];
		size_t	cat;		/* index into cats */
	}	 map[CATEGORY_MAP_MAX];
	size_t	 nmap;
};

/* The default list: noise 噪音 ... other 其他; no map. */
void	category_config_defaults(struct category_conf *);
/*
 * One line: CODE = NAME adds a category or renames one; map =
 * TEXT:CODE,... adds entries to the import's table (lines append, so a
 * long table is several lines).  0, or -1 with the reason in err.
 */
int	category_config_set(struct category_conf *, const char *key,
	    const char *value, char *err, size_t errlen);
/* The category whose code (any ASCII case) or name is text, or -1. */
int	category_find(const struct category_conf *, const char *text);
/* The same, or else the import's table entry for text, or -1. */
int	category_map(const struct category_conf *, const char *text);
/* The nearest-category measure: how many characters of two UTF-8 texts
 * are deleted or inserted to turn one into the other (a changed one
 * counts 2), ASCII letters compared without case. */
size_t	category_distance(const char *, const char *);
/* The category nearest to text by its code or its name (the first of
 * equals, in list order). */
size_t	category_nearest(const struct category_conf *, const char *text);
/*
 * C8: the code intake stores for text (from an import, mapped too), or
 * INVALID_ARGUMENT naming the nearest category and the list in msg.
 */
Deskd__Status category_resolve(const struct category_conf *,
	    const char *text, bool import, const char **code, char *msg,
	    size_t len);
/* What a count by category counts a stored category as: its code when
 * it is a code or name on the list, else "other" (free text stored
 * before the list existed). */
const char *category_counted_as(const struct category_conf *,
	    const char *stored);

#endif
