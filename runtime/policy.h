/* The rules of may-share, read statically: which rule of the SOP could let a data category reach an
 * actor. rd_may_share (policy.c) applies them to a case; the SOP document's information-sharing
 * matrix (compiler/doc.c) lists them, so both read the SOP's rules the same way. */
#ifndef RD_POLICY_H
#define RD_POLICY_H
#include "../compiler/graph.h"

/* The first `never ... reaches` principle that forbids data index d from reaching actor index r,
 * whatever any consent says, or NULL. */
const rd_decl *rd_policy_forbidding(const rd_graph *g, uint32_t d, uint32_t r);
/* Whether a consent or permit names data index d among what it shares and actor r among whom. */
int rd_policy_flow_covers(const rd_graph *g, const rd_decl *flow, uint32_t d, uint32_t r);
/* Whether duty y reports data index d to actor r when actor `from` makes the report (from may be
 * RD_PROVIDER: any actor the duty applies to). Its `when` is not looked at. */
int rd_policy_duty_covers(const rd_graph *g, const rd_decl *y, uint32_t from, uint32_t d, uint32_t r);

#endif
