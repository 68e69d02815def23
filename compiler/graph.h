/* The decision graph: the one representation the verifier, the runtime and the emitters read.
 *
 * One node per action of a pathway (ask, inform, record, seek, refer, share, choose, branch, end),
 * a marker node where each step begins, and a duty node wherever a duty could fire: after every
 * action that gives an actor the duty applies to some of the data it reports. Whether it fires on
 * a given path (the actor then holds all of it, and `when` holds) is for the verifier and the
 * runtime to decide. Edges carry what must hold to take them: a branch's truth, a consent's
 * outcome, an option chosen. Targets written `sector X` are expanded to every actor of sector X;
 * `by provider` stays symbolic (RD_PROVIDER) and ranges over the actors at the pathway's entry. */
#ifndef RD_GRAPH_H
#define RD_GRAPH_H
#include "program.h"
#include <stdio.h>

#define RD_PROVIDER UINT32_MAX

/* Nodes in one decision graph. A duty node follows every action that gives its actor some of the
 * data it reports, so the graph grows with statements times duties; past this the program is
 * refused (program->graph_too_big) instead of running the machine out of memory. */
#define RD_MAX_GRAPH_NODES 4000000u
/* Duties weighed while placing duty nodes (each action times each duty, and along every chain of
 * reports): a few seconds of work at most. */
#define RD_MAX_GRAPH_WORK 20000000ull
/* A report that makes another duty fire at its recipient, and so on: no real SOP chains more than
 * a few; each link costs a walk of the chain, so the chain is bounded too. */
#define RD_MAX_REPORT_CHAIN 16u

typedef enum rd_gnode_kind {
    RD_N_STEP, RD_N_ASK, RD_N_INFORM, RD_N_RECORD, RD_N_SEEK, RD_N_REFER, RD_N_SHARE, RD_N_CHOOSE,
    RD_N_BRANCH, RD_N_END, RD_N_DUTY
} rd_gnode_kind;

/* A `choose` is a chain of offers, one per option: RD_G_OPTION takes it, RD_G_SKIP passes it over. */
typedef enum rd_gedge_kind { RD_G_NEXT, RD_G_TRUE, RD_G_FALSE, RD_G_GRANTED, RD_G_REFUSED, RD_G_OPTION, RD_G_SKIP } rd_gedge_kind;

typedef struct rd_gedge {
    uint32_t from, to;
    rd_gedge_kind kind;
    const rd_option *option; /* RD_G_OPTION, RD_G_SKIP */
} rd_gedge;

typedef struct rd_gnode {
    rd_gnode_kind kind;
    rd_span span;
    const rd_decl *pathway;
    const rd_step *step;
    const rd_stmt *stmt;      /* the statement, or NULL for step markers, duty nodes, implicit ends */
    uint32_t performer;       /* actor index, or RD_PROVIDER */
    const rd_decl *subject;   /* inform: notice; seek: consent; refer: service; duty: the duty */
    const uint32_t *to;       /* refer, share, duty: recipient actor indexes */
    uint32_t nto;
    const uint32_t *data;     /* record, refer, share, duty: data indexes; ask: data its facts reveal */
    uint32_t ndata;
    const rd_expr *cond;      /* branch */
    uint32_t first_out, nout; /* its edges: graph->edges[first_out .. first_out + nout) */
} rd_gnode;

typedef struct rd_gpathway {
    const rd_decl *decl;
    uint32_t start;           /* node where a case begins */
    const uint32_t *entry;    /* actors who may open a case here: the values `provider` takes */
    uint32_t nentry;
} rd_gpathway;

typedef struct rd_graph {
    rd_gnode *nodes;
    uint32_t nnodes;
    rd_gedge *edges;          /* sorted by `from` */
    uint32_t nedges;
    rd_gpathway *pathways;
    uint32_t npathways;
    const rd_decl **actors;   /* index -> declaration, for each kind that nodes refer to by index */
    uint32_t nactors;
    const rd_decl **data;
    uint32_t ndata;
    const rd_decl **facts;
    uint32_t nfacts;
    uint32_t nlua;            /* facts computed by Lua */
    const rd_decl **consents;
    uint32_t nconsents;
    const rd_decl **duties, **permits, **principles; /* in source order, for the runtime's questions */
    uint32_t nduties, npermits, nprinciples;
    unsigned char *discloses; /* data x data bits: what holding each category discloses (flow.c) */
    size_t discloses_row;     /* bytes per row */
    uint32_t **disclosed;     /* by data index: the same as a list of data indexes, itself first */
    uint32_t *ndisclosed;
} rd_graph;

/* Why rd_graph_build refused a program (program->graph_too_big). */
enum { RD_GRAPH_TOO_MANY_NODES = 1, RD_GRAPH_TOO_MUCH_WORK, RD_GRAPH_REPORT_CHAIN };
/* Adds the error that says which limit the program's graph passed, and `consequence` (what could
 * not be done). */
void rd_graph_too_big(rd_program *p, rd_diagnostics *d, const char *consequence);

/* Builds the graph of a checked program in its arena; NULL when memory runs out. The indexes of
 * actors, data, facts and consents are written into their declarations' `index`. */
rd_graph *rd_graph_build(rd_program *p);

/* A node in plain words ("ask safe_now", "refer district_police for police_protection"). */
const char *rd_graph_node_text(const rd_graph *g, rd_program *p, uint32_t n);
/* The same, written into arena `a` (the runtime's answers must not grow the program). */
const char *rd_graph_node_text_in(const rd_graph *g, rd_arena *a, uint32_t n);
const char *rd_graph_actor_name(const rd_graph *g, uint32_t a);
/* A condition written back as source text. */
const char *rd_expr_text(rd_program *p, const rd_expr *e);
const char *rd_expr_text_in(rd_arena *a, const rd_expr *e);

#endif
