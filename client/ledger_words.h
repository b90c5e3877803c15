/*
 * ledger_words.h - the compliance ledger's words as the server sends them
 * in English (a quota's "what", its status), in one table for all that
 * shows them: desk ledger and its document, a survey's quota, the
 * director's line on the console.
 */
#ifndef DESK_LEDGER_WORDS_H
#define DESK_LEDGER_WORDS_H

/* A quota's status (QuotaLine.status), in the order a ledger line counts
 * them. */
enum ledger_status {
	LEDGER_MET,
	LEDGER_ON_TRACK,
	LEDGER_AT_RISK,
	LEDGER_MISSED,
	LEDGER_NSTATUS
};

/* The enum ledger_status of a status word, or -1 for any other word. */
int		 ledger_status_of(const char *status);
/* A word of the ledger: its Chinese for the document ("" for one the
 * table does not know), and in the user's language for the terminal (or
 * as it came). */
const char	*ledger_word_zh(const char *);
const char	*ledger_word(const char *);

#endif
