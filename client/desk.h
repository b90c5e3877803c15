/*
 * desk.h - the deskd client library: a TLS connection to deskd that
 * verifies the server's certificate, the Hello/Login handshake, synchronous
 * calls, pipelined requests and the live event stream.
 *
 * Blocking I/O, one connection per struct desk, not shared between threads
 * (several threads may each have their own).  A write to a connection the
 * server closed raises SIGPIPE: programs ignore it (the CLI does) and get
 * DESK_CONNECT instead.
 * Messages are the protobuf-c types of proto/deskd.proto (Deskd__*).
 */
#ifndef DESK_H
#define DESK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "deskd.pb-c.h"
#include "refusal.h"

/* Results; the CLI's exit codes are the same numbers. */
enum desk_rc {
	DESK_OK = 0,
	DESK_REFUSED = 1,	/* the server answered with a non-OK status */
	DESK_USAGE = 2,		/* bad arguments to the library call */
	DESK_CONNECT = 3,	/* cannot connect, TLS failure, connection lost */
	DESK_AUTH = 4,		/* not authenticated or not permitted */
	DESK_TIMEOUT = 5,
	DESK_PROTOCOL = 6,	/* the server sent something we cannot read */
};

struct desk_opts {
	const char	*server;	/* host:port */
	const char	*ca_file;	/* PEM CA to verify the server; NULL: system */
	const char	*client_name;	/* Hello: program name */
	const char	*desk_name;	/* Hello: which front desk */
	int		 timeout_ms;	/* each connect/call; 0: wait forever */
	const char	*session_file;	/* TLS session kept here for resumption */
};

/* One frame received: a response (to request_id) or an event. */
struct desk_frame {
	uint8_t		 kind;		/* WIRE_RESPONSE or WIRE_EVENT */
	uint32_t	 request_id;
	Deskd__Response	*response;
	Deskd__Event	*event;
};

struct desk;

int	desk_connect(struct desk **, const struct desk_opts *);
void	desk_close(struct desk *);
/* The last error, human-readable; valid until the next call. */
const char *desk_error(const struct desk *);
/* The same as a code and its arguments (refusal.h), to say in the user's
 * language, or NULL; *status names the server's status when the server
 * refused, else NULL. */
const struct refusal *desk_error_why(const struct desk *,
	    const char **status);
const Deskd__Welcome *desk_welcome(const struct desk *);
/* Did the TLS handshake resume an earlier session? */
bool	desk_session_reused(const struct desk *);

/* Login by password (token NULL) or by session token (user, pw NULL).
 * On success *ok (if given) is the server's LoginOk; free it with
 * deskd__login_ok__free_unpacked. */
int	desk_login(struct desk *, const char *user, const char *password,
	    const char *token, Deskd__LoginOk **ok);

/* Send one request without waiting; its id is returned in *id. */
int	desk_send(struct desk *, const Deskd__Request *, uint32_t *id);
/* The next frame, in arrival order (frames stashed by desk_call first).
 * timeout_ms < 0: use the connection's timeout; 0: wait forever. */
int	desk_recv(struct desk *, struct desk_frame *, int timeout_ms);
void	desk_frame_free(struct desk_frame *);
/* Send and wait for the matching response; events and other responses that
 * arrive meanwhile are kept for desk_recv.  *resp is set whatever the
 * status (free with deskd__response__free_unpacked); a non-OK status
 * returns DESK_REFUSED or DESK_AUTH. */
int	desk_call(struct desk *, const Deskd__Request *, Deskd__Response **);
/* The response to a request desk_send sent (by its id), the same way:
 * for pipelining, send several, then wait for each in turn. */
int	desk_wait(struct desk *, uint32_t id, Deskd__Response **);
/*
 * For a program's own poll loop (the console: keyboard, connection and a
 * clock tick in one poll): the socket to poll for POLLIN, and whether a
 * frame may be had without reading it (stashed by desk_call, bytes read
 * already, TLS records decrypted but not yet taken): poll says nothing of
 * those.  Either way desk_recv then returns the frame.
 */
int	desk_fd(const struct desk *);
bool	desk_pending(const struct desk *);
/* Subscribe from since_seq; events then come through desk_recv. */
int	desk_subscribe(struct desk *, uint64_t since_seq,
	    const char *const *type_prefixes, size_t n, uint64_t *last_seq);
/* The same, asking for the subscribe.caught_up event at the replay's end
 * (PROTOCOL.md section 9). */
int	desk_subscribe_marked(struct desk *, uint64_t since_seq,
	    const char *const *type_prefixes, size_t n, uint64_t *last_seq);

/*
 * Bulk import (PROTOCOL.md 10.15): rows of one kind, each the kind's record
 * message with its line in the file and its external key (ref), sent in
 * ImportBatch frames of up to DESK_IMPORT_ROWS rows or DESK_IMPORT_BYTES,
 * with up to DESK_IMPORT_INFLIGHT batches in flight.  A re-run of the
 * same rows skips those stored already (by ref).
 *
 *	struct desk_import *imp;
 *	desk_import_begin(d, "complaint", 0, on_result, arg, &imp);
 *	for (each row)
 *		desk_import_row(imp, line, ref, &complaint.base);
 *	desk_import_end(imp, &sum);
 *
 * on_result is called once per row, in the order the rows were given, as
 * the acknowledgements arrive (a row too large for a frame: at once, as
 * IMPORT_REJECTED with field "record").  An error ends the import: the
 * rows acknowledged so far are stored, the others are not; desk_error says
 * why.  scripts/examples/import_example.c is a whole program.
 */
#define DESK_IMPORT_DRY_RUN	 0x1	/* check every row, store none */
#define DESK_IMPORT_ALLOW_NO_REF 0x2	/* else a row without ref is refused */
#define DESK_IMPORT_ROWS	 2000
#define DESK_IMPORT_BYTES	 (896 * 1024)
#define DESK_IMPORT_INFLIGHT	 4

struct desk_import;
struct desk_import_summary {
	uint64_t	rows;		/* given to desk_import_row */
	uint64_t	stored;		/* dry run: would be stored */
	uint64_t	duplicates;	/* ref stored already: skipped */
	uint64_t	rejected;
};
typedef void (*desk_import_result_fn)(const Deskd__ImportResult *,
	    void *arg);

int	desk_import_begin(struct desk *, const char *kind, unsigned flags,
	    desk_import_result_fn, void *arg, struct desk_import **);
/* The file's name, kept by deskd with each record it stores (C9: an
 * imported record says where it came from); unset: "(unnamed)". */
int	desk_import_file(struct desk_import *, const char *name);
/* Queue one row (packed now: record may change after); sends a batch when
 * one is full and reads the acks that are in. */
int	desk_import_row(struct desk_import *, uint32_t line, const char *ref,
	    const ProtobufCMessage *record);
/* Send what is left, wait for every ack, free the import (always);
 * *sum (if given) holds the counts. */
int	desk_import_end(struct desk_import *, struct desk_import_summary *);

/* Maps a response status to a desk_rc. */
int	desk_status_rc(Deskd__Status);
const char *desk_status_name(Deskd__Status);

/* Raw access for tests and tools that speak the protocol by hand. */
int	desk_write_raw(struct desk *, const void *, size_t);

#endif
