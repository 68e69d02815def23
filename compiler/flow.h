/* What a flow means: the one definition that the verifier, the runtime (may-share, next, the test
 * runner), the SOP document's sharing matrix and the Cedar and Promela writers all ask. Nothing
 * else follows `reveals`, reads a consent's `shares` or a principle's data list.
 *
 * - Holding a category discloses it and every category it `reveals`, directly or through a chain
 *   of any length (cycles included: language.md section 3). Computed once per graph
 *   (rd_flow_prepare), so asking is a bit test.
 * - A data list of a principle or of her `except` (names, `identifying`, `protected`) touches a
 *   category when that category discloses one the list names: a principle protecting
 *   `migration_status` protects `passport_details`; keeping back `location` keeps back
 *   `safety_plan`.
 * - A consent or permit covers a flow of d to actor r when it lists d by name in `shares` and r is
 *   among its `with`. A category that reveals a listed one is not covered: it discloses more than
 *   she was asked about.
 * - A duty reports the categories it lists by name; it can fire when its actor comes to hold a
 *   category disclosing one of them. */
#ifndef RD_FLOW_H
#define RD_FLOW_H
#include "graph.h"

/* Computes g->discloses for g's data categories in arena a. Returns 0, -1 out of memory. */
int rd_flow_prepare(rd_graph *g, rd_arena *a);

/* Whether holding data index d discloses data index w (d == w included). */
int rd_flow_discloses(const rd_graph *g, uint32_t d, uint32_t w);
/* Every data index that holding d discloses, d first; *n receives how many. */
const uint32_t *rd_flow_disclosed(const rd_graph *g, uint32_t d, uint32_t *n);

/* Whether actor index a belongs to target list t (actors and `sector X`). */
int rd_flow_actor_in(const rd_graph *g, uint32_t a, const rd_ref *t);

/* Whether data list `list` (names, `identifying`, `protected`) touches data index d. */
int rd_flow_list_touches(const rd_graph *g, const rd_ref *list, uint32_t d);

/* Whether her narrowing keeps data index d back: `except` (by data index, NULL for none) names a
 * category that d discloses. */
int rd_flow_kept_back(const rd_graph *g, const unsigned char *except, uint32_t d);

/* Whether consent or permit `flow` lists data index d in its `shares`. */
int rd_flow_shares(const rd_decl *flow, uint32_t d);

/* Whether consent or permit `flow` covers d going to actor index r. */
int rd_flow_covers(const rd_graph *g, const rd_decl *flow, uint32_t d, uint32_t r);

/* Whether consent or permit `flow` shares some category that discloses data index w. */
int rd_flow_shares_disclosing(const rd_graph *g, const rd_decl *flow, uint32_t w);

/* The first `never ... reaches` principle (source order) forbidding data index d from reaching
 * actor index r, or NULL. */
const rd_decl *rd_flow_forbidding(const rd_graph *g, uint32_t d, uint32_t r);

/* Whether duty y requires reporting data index d from actor index `from` (RD_PROVIDER: from any
 * actor it applies to) to actor index r. Its `when` is for the caller. */
int rd_flow_duty_covers(const rd_graph *g, const rd_decl *y, uint32_t from, uint32_t d, uint32_t r);

/* Whether duty y may fire when its actor comes to hold data index d: d discloses a category y
 * reports. */
int rd_flow_duty_fires_on(const rd_graph *g, const rd_decl *y, uint32_t d);

/* Implicit flows. Given `data` (by data index: what a principle protects, rd_flow_list_touches),
 * marks in `tfact` (by fact index) every fact whose value discloses some of it: a fact that
 * reveals such a category, a fact computed from a condition that reads a marked fact, and every
 * Lua-computed fact once a given fact is marked (the chunk is handed them all). */
void rd_flow_taint_facts(const rd_graph *g, const unsigned char *data, unsigned char *tfact);
/* Whether condition e reads a fact marked in tfact (computed facts are marked by the above). */
int rd_flow_reads(const rd_expr *e, const unsigned char *tfact);

#endif
