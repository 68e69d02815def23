/* The `graph` command: the decision graph as a diagram (DOT, SVG, PNG) or as JSON. */
#ifndef RD_CLI_GRAPH_H
#define RD_CLI_GRAPH_H
#include "rightdoor.h"

/* What --format asked for: nothing (decided by -o's extension), json, dot, promela, or something `graph`
 * does not write. */
typedef enum graph_format { GRAPH_DEFAULT, GRAPH_JSON, GRAPH_DOT, GRAPH_PROMELA, GRAPH_OTHER } graph_format;

/* Writes the graph of `sop` to standard output, or to out_path (NULL: standard output) through a
 * temporary file in the same folder that is renamed when complete; FILE.svg and FILE.png are drawn
 * by Graphviz's `dot`. Returns the exit status. */
int cmd_graph(const char *sop, const rd_options *opt, graph_format fmt, const char *out_path);

#endif
