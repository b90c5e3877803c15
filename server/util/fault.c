/* fault.c - DESKD_FAULT_INJECT=N, DESKD_FAULT_CTX=N: the Nth allocation of
 * each kind fails (fault.h). */
#include <stdlib.h>

#include "fault.h"
#include "log.h"

struct fault {
	const char	*env;
	long		 n, nth;
	bool		 read;
};

static bool
fault_fails(struct fault *f)
{
	if (!f->read) {
		const char *env = getenv(f->env);

		f->nth = env != NULL ? atol(env) : 0;
		f->read = true;
	}
	if (++f->n != f->nth)
		return false;
	log_warnx("%s: failing allocation %ld on purpose", f->env, f->n);
	return true;
}

bool
fault_alloc_fails(void)
{
	static struct fault f = { "DESKD_FAULT_INJECT", 0, 0, false };

	return fault_fails(&f);
}

bool
fault_ctx_alloc_fails(void)
{
	static struct fault f = { "DESKD_FAULT_CTX", 0, 0, false };

	return fault_fails(&f);
}
