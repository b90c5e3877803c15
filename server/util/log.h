/* log.h - one-line logs to stderr, with the function and connection id. */
#ifndef DESKD_LOG_H
#define DESKD_LOG_H

#include <stdarg.h>

void	log_init(int verbose);
void	log_info(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_warnx(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_debug(const char *, ...) __attribute__((format(printf, 1, 2)));
/* Internal invariants only, never peer input. */
void	fatalx(const char *, ...) __attribute__((format(printf, 1, 2), noreturn));

#endif
