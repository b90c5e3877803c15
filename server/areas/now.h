/*
 * now.h - what needs a desk now (issue 16): NowGet's items, offered by
 * the areas (area.h's now and now_more) and kept for the asker here.
 */
#ifndef DESKD_NOW_H
#define DESKD_NOW_H

#include "area.h"
#include "now_rules.h"

/* A record's own words, for an item about it (the strings are copied). */
struct now_record {
	const char	*kind;		/* the item's kind instead of the
					 * clock's (an agreed call-back);
					 * NULL: the clock's */
	const char	*title;
	const char	*unit;
	const char	*phone;		/* in full: masked when offered */
	const char	*post;
	const char	*state;
	const char	*owner;		/* NULL: the clock's */
	char		**blocks;	/* what still stops it (a handover) */
	size_t		 n_blocks;
};

struct now_list {
	struct now_asker	 asker;
	int64_t			 shift_ends_ms;	/* the asker's; 0 none */
	Deskd__NowItem		**v;
	size_t			 n, cap;
	bool			 more;		/* left out: the reply is full */
};

/* Offer an item (its strings the caller's, phone in full): kept, copied
 * and masked, when it is for the asker (now_for). */
void	now_offer(struct apply_ctx *, struct now_list *,
	    const Deskd__NowItem *);
/* A record's text as an item's title: its first NOW_TITLE_MAX characters
 * (the desk cuts it further to its column). */
#define NOW_TITLE_MAX	80
const char *now_title(struct apply_ctx *, const char *text);
/* The words of record kind:id by the area that keeps it (all "" when
 * none does, or it is not there). */
void	now_describe(struct apply_ctx *, enum record_kind, uint64_t id,
	    struct now_record *);

#endif
