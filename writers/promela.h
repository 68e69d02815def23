/* The decision graph as a Promela model for the SPIN model checker (`rightdoor graph --format
 * promela`), so the verifier's verdicts can be checked against, and timed against, a tool people
 * already trust. What is modelled, and what is not: the comment at the top of promela.c. */
#ifndef RD_PROMELA_H
#define RD_PROMELA_H
#include "graph.h"
#include <stdio.h>

/* Writes the model of graph g (of program p) to out. Returns 0, -1 when writing failed, -2 when
 * memory ran out (nothing is written then). */
int rd_graph_write_promela(const rd_graph *g, rd_program *p, FILE *out);

#endif
