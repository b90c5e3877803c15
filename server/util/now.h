/*
 * now.h - the server's wall clock (with the testing offset) and a
 * monotonic one for waits and rates.
 */
#ifndef DESKD_NOW_H
#define DESKD_NOW_H

#include <stdint.h>

/* Milliseconds since the epoch, plus the --now-offset. */
int64_t	 server_now_ms(void);
/* Monotonic, for waits and rates. */
int64_t	 server_mono_ms(void);
int64_t	 server_mono_us(void);
void	 server_set_now_offset(int64_t);

#endif
