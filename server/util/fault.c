/* fault.c - DESKD_FAULT_INJECT=N: the Nth soft allocation fails (fault.h). */
#include <stdlib.h>

#include "fault.h"
#include "log.h"

bool
fault_alloc_fails(void)
{
	static long n, nth = -1;

	if (nth < 0) {
		const char *env = getenv("DESKD_FAULT_INJECT");

		nth = env != NULL ? atol(env) : 0;
	}
	if (++n != nth)
		return false;
	log_warnx("%s: failing allocation %ld on purpose", __func__, n);
	return true;
}
