/* `rightdoor diff`: what a revision of an SOP changes in meaning (rd_diff in rightdoor.h).
 * Internal: the public entry point is declared in rightdoor.h. */
#ifndef RD_DIFF_H
#define RD_DIFF_H
#include "program.h"
#include <stdio.h>

/* Builds the whole comparison of two checked programs as one JSON tree (the shape documented in
 * rightdoor.h next to rd_diff); *differences receives how many differences it holds.
 * NULL when memory runs out. Runs the verifier on both programs. */
struct json_t *rd_diff_build(rd_program *old, rd_program *new_, size_t *differences);

#endif
