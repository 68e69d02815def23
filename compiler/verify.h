/* The principle verifier (see the comment at the top of verify.c for the algorithm). */
#ifndef RD_VERIFY_H
#define RD_VERIFY_H
#include "graph.h"

/* Limits that keep the verifier's work bounded; past them it says what it did not explore. */
#define RD_VERIFY_MAX_BDD_NODES (4u * 1000u * 1000u)
#define RD_VERIFY_MAX_WITNESS_STATES 200000u
#define RD_VERIFY_MAX_REPORTS 5u /* violating places shown per principle */
#define RD_VERIFY_MAX_RELATIONS 256u /* pairs of number facts compared with each other */

/* Checks every principle of the program against its decision graph, and the structure every graph
 * must have (no cycle that never waits for her). Adds errors, warnings and waiver notes to d.
 * Returns the number of unwaived error-severity failures, or -1 when the graph could not be built
 * or the state budget ran out (reported). */
int rd_verify_program(rd_program *p, rd_graph *g, rd_diagnostics *d);

#endif
