/*
 * text.h - cutting and joining the texts events and replies carry,
 * never splitting a UTF-8 character.
 */
#ifndef DESKD_TEXT_H
#define DESKD_TEXT_H

#include <stddef.h>
#include <stdint.h>

#include "deskd.pb-c.h"

/* Copy at most `max` characters of UTF-8 text, never splitting one; a cut
 * is marked with an ellipsis. */
void		text_excerpt(char *out, size_t outlen, const char *s,
		    size_t max);
/* The n strings one after another, cut to fit outlen: "%s%s..." without
 * printf's parsing, for the summary every stored record's event carries. */
void		text_join(char *out, size_t outlen, const char *const *parts,
		    size_t n);
/*
 * The edit distance between two strings of characters (at most
 * TEXT_DISTANCE_MAX each): a deletion or an insertion costs 1, a change
 * `change` (1 is Levenshtein's; 2 counts only deletions and insertions).
 * At most cap: it stops once every way costs that much.
 */
#define TEXT_DISTANCE_MAX	64
size_t		text_distance(const uint32_t *, size_t, const uint32_t *,
		    size_t, size_t change, size_t cap);
/* A pure rule's refusal, the one way the rules give their reason: the
 * reason into the caller's buffer, the status returned. */
Deskd__Status	text_refuse(char *msg, size_t len, Deskd__Status,
		    const char *reason);

#endif
