/* Post-dominators of the decision graph, shared by the verifier and the Promela emitter. */
#ifndef RD_POSTDOM_H
#define RD_POSTDOM_H
#include "graph.h"

/* The immediate post-dominator of every node (index nnodes stands for the exit every end flows
 * to), malloc'd; NULL when out of memory. Where a branch stops deciding what happens next: the
 * verifier, and the Promela emitter that must agree with it, clear a branch's implicit flow there. */
uint32_t *rd_postdom_compute(const rd_graph *g);

#endif
