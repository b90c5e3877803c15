/*
 * cli_bulk.h - what `desk import` (cli_import.c, cli_import_map.c,
 * cli_import_report.c) and `desk export` (cli_export.c) share: the kinds
 * and their columns (cli_bulk.c), and the parts of an import.
 */
#ifndef CLI_BULK_H
#define CLI_BULK_H

#include <sys/types.h>

#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "cli_record.h"
#include "fields.h"
#include "rows.h"
#include "wire.h"

/* A kind of record that goes in or out: its name on the command line,
 * its name on the wire and its record message. */
struct bulk_kind {
	const char	*name, *wire;
	const ProtobufCMessageDescriptor *d;
	bool		 export_only;
};

bool	 bulk_kind_at(size_t, struct bulk_kind *);
bool	 bulk_kind_find(const char *, struct bulk_kind *);
void	 bulk_kinds_list(FILE *);
bool	 bulk_is_column(const ProtobufCFieldDescriptor *);
const ProtobufCFieldDescriptor *bulk_column(const ProtobufCMessageDescriptor *,
	    const char *);
bool	 bulk_columns_fit(const ProtobufCMessageDescriptor *,
	    const char *const *, size_t, const char **);
void	 bulk_columns_print(FILE *, const ProtobufCMessageDescriptor *, bool);
void	 csv_cell(FILE *, const char *, bool);

/* An import's command line. */
struct import_opts {
	const char	*file, *rejects, *kind;
	int		 format;	/* enum rows_format; -1: by name */
	unsigned	 flags;
};

/* Where an import's rejects go, and how many were found before sending. */
struct importer {
	const char	*file;
	FILE		*rej;		/* --rejects, else lines on stderr */
	uint64_t	 rejected;	/* here, before sending */
	bool		 json;
};

/* What the whole run did, for the summary. */
struct import_run {
	struct desk_import	*imp;
	struct desk_import_summary sum;
	bool			 started, fatal, interrupted;
	int			 rc;
};

/* The one-line progress bar, on a terminal only, at most 10 times a
 * second. */
struct import_progress {
	bool	 on;
	off_t	 size;		/* 0: unknown (a pipe) */
	double	 start, last;
};

/* cli_import_map.c */
bool	 import_row_record(struct importer *, const struct bulk_kind *,
	    const struct row *, ProtobufCMessage *, struct field_arena *,
	    const char **);
int	 import_infer_kind(const char *const *, size_t, struct bulk_kind *);

/* cli_import_report.c */
void	 import_progress_begin(struct import_progress *);
void	 import_progress(struct import_progress *, uint64_t, size_t, bool);
void	 import_reject(struct importer *, unsigned, const char *,
	    const char *);
void	 import_on_result(const Deskd__ImportResult *, void *);
void	 import_summary(const struct import_opts *, const struct importer *,
	    const struct bulk_kind *, const struct import_run *);

#endif /* CLI_BULK_H */
