/*
 * fault.h - allocation faults on purpose, for tests.  A build with
 * -DDESKD_FAULT_INJECT=ON (the default of the sanitizer build) reads
 * DESKD_FAULT_INJECT=N from deskd's environment and fails the Nth of the
 * request path's allocations that are meant to fail softly (a request's
 * pending struct, a bad frame's answer, a held reply), counted from the
 * start; the allocations of applying a request stay fatal (fatalx: nothing
 * half-applied is answered).  Every other build compiles the checks away.
 */
#ifndef DESKD_FAULT_H
#define DESKD_FAULT_H

#include <stdbool.h>

#ifdef DESKD_FAULT_INJECT
bool	fault_alloc_fails(void);
#else
#define fault_alloc_fails()	false
#endif

#endif
