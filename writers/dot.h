/* The referral pathway as a Graphviz diagram (DOT), drawn from the decision graph alone. */
#ifndef RD_DOT_H
#define RD_DOT_H
#include "graph.h"

/* Writes graph g of program p as one DOT document on out. `verified`, when not NULL, holds the
 * diagnostics of rd_verify: the counterexample path of each failing principle is drawn bold red.
 * The document is built in memory and written at once. Returns 0, -1 when writing failed, -2 when
 * memory ran out (nothing written then). */
int rd_graph_write_dot(const rd_graph *g, rd_program *p, const rd_diagnostics *verified, FILE *out);

#endif
