/* Custom audit checks: `principle x "..." { lua "file.lua" }` runs file.lua in the sandbox with a
 * read-only view of the decision graph and reports the nodes it returns. */
#ifndef RD_AUDIT_H
#define RD_AUDIT_H
#include "graph.h"

/* Limits for an audit check: it reads the whole graph, so it gets more than a computed fact. */
#define RD_AUDIT_MEMORY (256u * 1024u * 1024u)
#define RD_AUDIT_INSTRUCTIONS 100000000ul
#define RD_AUDIT_MILLISECONDS 10000ul
/* And all the audit checks of one program together: a check of the SOP must end, however many
 * principles are written in Lua. */
#define RD_AUDIT_TOTAL_INSTRUCTIONS 300000000ul
#define RD_AUDIT_TOTAL_MILLISECONDS 30000ul

/* Runs the Lua check of `principle` over graph g. On success writes the indexes of the nodes it
 * flags (0-based, each checked to be a node) to *nodes (malloc'd; the caller frees it) and their
 * number to *n, and returns 0. Returns -1 with a message in err when the check cannot be found,
 * loaded or run; the message never holds case data (there is none here: only the SOP). Returns -2
 * (err saying so too) when out of memory before the check could start. */
int rd_audit_run(rd_program *p, rd_graph *g, const rd_decl *principle, uint32_t **nodes, size_t *n, char *err,
                 size_t errlen);

#endif
