/* The principle verifier (engine.h says how it works). */
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
 * or the state budget ran out (reported), or when memory ran out (d's status set to RD_ERR_NOMEM,
 * never reported as the budget). */
int rd_verify_program(rd_program *p, rd_graph *g, rd_diagnostics *d);

/* How data comes to an actor, for rd_holding.how. */
enum { RD_HOLD_COLLECT = 1, RD_HOLD_FLOW = 2, RD_HOLD_DUTY = 4, RD_HOLD_PERMIT = 8 };

/* One data category an actor can come to hold on some real path (`rightdoor diff`). */
typedef struct rd_holding {
    uint32_t actor, data;     /* graph indexes */
    unsigned how;             /* RD_HOLD_* bits: every way it gets there */
    uint32_t via;             /* the first node (graph order) that brings it there other than a
                                 permit, or UINT32_MAX when only a permit does */
    int consented;            /* in every case where a share or referral sends it there, she granted
                                 a consent covering it */
    const rd_decl **consents; /* the consents covering it (to that actor, that data or data revealing
                                 it) that she may have granted in the cases where it is sent */
    uint32_t nconsents;
    const rd_decl **duties, **permits; /* the duty firings and permits that bring it there */
    uint32_t nduties, npermits;
} rd_holding;

/* Every (actor, data) pair some real path lets the actor hold: collected by it, sent to it by a
 * share, a referral or a duty firing, or allowed by a permit while its condition holds, with what
 * the data reveals. The same fixpoint as the principles, so the same cases count (one value per
 * fact, one outcome per consent). Pairs are in order of actor, then data, in the program's arena.
 * Returns 0, -1 out of memory, -2 state budget exhausted. */
int rd_verify_holdings(rd_program *p, rd_graph *g, rd_holding **out, uint32_t *n);

#endif
