/*
 * fault.h - allocation faults on purpose, for tests.  A build with
 * -DDESKD_FAULT_INJECT=ON (the default of the sanitizer build) reads
 * DESKD_FAULT_INJECT=N from deskd's environment and fails the Nth of the
 * request path's allocations that are meant to fail softly (a request's
 * pending struct, a bad frame's answer, a held reply), counted from the
 * start.  Every other build compiles the checks away.
 */
#ifndef DESKD_FAULT_H
#define DESKD_FAULT_H

#include <stdbool.h>

#ifdef DESKD_FAULT_INJECT
bool	fault_alloc_fails(void);
/* DESKD_FAULT_CTX=N: the Nth allocation of a request's apply context
 * (ctx.c), the out-of-memory policy's path: the request is refused, deskd
 * serves on. */
bool	fault_ctx_alloc_fails(void);
#else
#define fault_alloc_fails()	false
#define fault_ctx_alloc_fails()	false
#endif

#endif
