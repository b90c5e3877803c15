/*
 * config.h - deskd's settings: defaults, then the config file (inih), then
 * the command line, each overriding the one before.
 */
#ifndef DESKD_CONFIG_H
#define DESKD_CONFIG_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct vault;

/*
 * A section of settings an upper layer describes (the deadline engine's
 * clocks, an area's own): config reads its lines and its --flag into a
 * block of the struct config it owns without knowing what the block
 * holds; the describer reads it back with config_section.
 * In the struct, not beside it, so a config stays one value: copied,
 * reset by config_defaults, read by every thread, never freed.
 */
struct config_section {
	const char	*name;		/* [name] in the config file */
	size_t		 size;		/* of its block of parsed values */
	void		(*defaults)(void *block);
	/* One line, key = value: 0, or -1 with a message in err. */
	int		(*set)(void *block, const char *key, const char *value,
			    char *err, size_t errlen);
	/* Its command-line --flag (or the [server] key of the same name):
	 * flag_key is the line it stands for, or NULL when the value is
	 * KEY=VALUE, of the form flag_form.  NULL flag: none. */
	const char	*flag;
	const char	*flag_key;
	const char	*flag_form;
	/* Its lines of --help, printed by usage_rank. */
	void		(*usage)(FILE *);
	int		 usage_rank;
};

/* Room for the sections' blocks in a struct config (the [shifts] posts
 * and the [categories] list are most of it). */
#define CONFIG_SECTION_SPACE	32768

struct config {
	char		listen[128];		/* host:port */
	char		data[512];		/* LMDB environment directory */
	char		cert[512];
	char		key[512];
	char		ca[512];		/* client CA, for mutual TLS later */
	char		time_zone[64];
	char		calendar[512];		/* C4/D5 working days; "" = Sat+Sun only */
	char		ready_file[512];	/* written with host:port when listening */
	char		attendance_clerk[64];	/* A1: who marks the report submitted */
	char		archive_key[512];	/* E6: key file sealing phone and ID
						 * numbers, outside the data dir */
	char		unit_pattern[128];	/* E6: unit codes, POSIX ERE */
	uint32_t	reveal_limit;		/* E6: reveals a person makes in */
	int64_t		reveal_window_ms;	/* the window before the supervisor
						 * is alerted */
	struct vault	*vault;			/* opened from archive_key at start
						 * (archive_open_key), or NULL */
	uint32_t	max_payload;		/* bytes per frame payload */
	int64_t		hello_timeout_ms;	/* until logged in */
	int64_t		frame_timeout_ms;	/* a partial frame may wait this long */
	int64_t		session_ttl_ms;
	int64_t		login_delay_ms;		/* first failed-login delay, doubles */
	int64_t		login_delay_max_ms;
	int64_t		login_decay_ms;		/* a quiet spell halves a count */
	uint32_t	login_log_lines;	/* failures logged one by one, per
						 * source and login_log_every */
	int64_t		login_log_every_ms;
	uint32_t	login_burst;		/* failures within */
	int64_t		login_burst_window_ms;	/* that alert the admin */
	uint32_t	password_workers;	/* hashing threads; 0: the cores */
	uint32_t	password_queue;		/* logins waiting to be hashed */
	uint32_t	pbkdf2_iterations;
	size_t		out_high_water;		/* stop queueing for a client here */
	size_t		out_low_water;		/* and resume here */
	size_t		map_size;		/* initial LMDB map */
	uint32_t	batch_max;		/* requests in one group commit */
	uint32_t	conn_max_pending;	/* pipelined requests per client */
	uint32_t	max_conns;		/* 0: from RLIMIT_NOFILE (admit.c) */
	uint32_t	max_unauth_per_source;	/* not logged in, one address */
	uint32_t	max_conns_per_user;	/* logged in as one user */
	int		verbose;
	int64_t		now_offset_ms;		/* testing: the clock runs ahead */
	char		verify_at[8];		/* C9: nightly store check, HH:MM */
	int64_t		verify_every_ms;	/* 0: daily at verify_at */
	/* the registered sections' blocks (config_section) */
	_Alignas(max_align_t) unsigned char sections[CONFIG_SECTION_SPACE];
};

/*
 * Sections are added once at start, before config_defaults (main.c has
 * them registered first thing, for --help, init and verify too);
 * adding one twice is a no-op.  Too many, or blocks past
 * CONFIG_SECTION_SPACE, is a broken build: fatal.
 */
void	config_add_section(const struct config_section *);
/* A section's block in this config; an unregistered section is fatal. */
const void *config_section(const struct config *,
	    const struct config_section *);

void	config_defaults(struct config *);
/* Returns 0, or -1 with a message in err. */
int	config_load_file(struct config *, const char *path, char *err,
	    size_t errlen);
/* The same from text in memory; name stands for the file in messages. */
int	config_load_string(struct config *, const char *name, const char *text,
	    char *err, size_t errlen);
int	config_set(struct config *, const char *key, const char *value,
	    char *err, size_t errlen);
/* Prints every key with its meaning, for --help: the [server] keys, then
 * every registered section's lines. */
void	config_usage(FILE *);
/* "250ms", "10s", "5m", "12h", "2d"; a bare number is seconds. */
int	config_parse_duration_ms(const char *, int64_t *);
int	config_parse_size(const char *, size_t *);

#endif
