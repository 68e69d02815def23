/* The principle verifier, inside: how it works, and the state and calls its files share (each
 * file's part of the work is named in its section below; verify.h has the public calls).
 *
 * What is proved. Every principle (language.md section 6) is a statement about all paths through
 * the decision graph from a pathway's start. A path is only real if the case behind it is
 * consistent: a fact has one value for the whole case (possibly "unknown": she declined, or nobody
 * asked), a consent has one outcome, and the provider who opened the case is one of the pathway's
 * entry actors. The verifier never reports a path that needs a fact both true and false, or a
 * consent both granted and refused.
 *
 * How. Facts, consent outcomes and the provider are encoded as boolean variables (a bool fact takes
 * three codes: false, true, unknown; an enum its values plus unknown; an int the intervals cut by
 * the constants it is compared with, plus unknown) and a set of valuations is a BDD. Conditions get
 * two sets, where they are true and where they are false (Kleene logic: unknown makes neither hold,
 * so an unknown condition takes `else`, as section 3 says). One forward fixpoint over the graph
 * attaches to each node a sparse vector of BDDs, one per tracked bit:
 *   R          the valuations under which some path reaches the node;
 *   H(a, d)    ... under which actor a may hold data d there (only data that duties report, which is
 *              all that firing a duty depends on);
 *   K(S)       ... under which every path there has granted some consent of the set S (a "must"
 *              fact, stored as such but joined through its complement "some path has not");
 *   KN(n)      ... under which every path there has given notice n;
 *   U(y, a)    ... under which duty y's actor a acquired reported data before the notice was given;
 *   P(q, b)    ... under which control depends on branch b that reads data principle q protects
 *              (implicit flow), cleared at b's immediate post-dominator.
 * Every bit but R is stored relative to R (its value is R and rel), so that the common bit "holds
 * wherever the case gets here" is just TRUE: narrowing along an edge touches only R, and a join of
 * two equal bits costs nothing.
 * This is the Bebop/ESP idea: instead of one state per valuation (exponential, as SPIN's state
 * count shows), one state per node whose bits are sets of valuations, united at joins and narrowed
 * by guards. Each property reads these bits at the nodes where it can fail and ORs the valuations
 * under which it does; `every refusal reaches` and `every entry reaches specialist` use the dual, a
 * backward least fixpoint W(n) = valuations from which some path reaches a service of the set.
 *
 * Feasible counterexamples. For a failure with valuation set V, one valuation v in V is picked and
 * the same transfer functions are replayed on singleton sets {v}, breadth first from the start, so
 * the path printed is the shortest one that really fails under one consistent case.
 *
 * Cost. Each node's vector holds only bits that are not FALSE; a transfer touches each bit once,
 * and a node is revisited only when a bit grows, which happens at most (number of distinct BDDs on
 * the lattice path) times — in practice a handful. So the work is O(nodes x live bits x BDD
 * operation), near-linear in the size of the SOP (bench/ prints the figures). Structural checks
 * (cycles that never wait for her) are one Tarjan SCC pass. Post-dominators come from the
 * Cooper-Harvey-Kennedy iteration on the reversed graph.
 *
 * Known approximation: options of a `choose` are explored one per path; when she picks several,
 * their effects combine only through the H bits (which merge across paths under the same
 * valuation), so a duty fed by two options still fires in the analysis, but its printed witness
 * then shows one option's path. */
#ifndef RD_ENGINE_H
#define RD_ENGINE_H
#include "bdd.h"
#include "verify.h"

/* ---- encode.c: facts, consents and the provider as variables; conditions as valuation sets --- */

/* Marks a cache entry not computed yet: no set the verifier builds has this many nodes. */
#define RD_BDD_ONE_UNSET UINT32_MAX

typedef struct enc {
    unsigned first, nbits;
    uint32_t ncodes;         /* valid codes are 0..ncodes-1; the last is "unknown" */
    const long long *cuts;   /* int facts: the constants compared with, ascending */
    uint32_t ncuts;
} enc;

typedef struct verifier {
    rd_program *p;
    rd_graph *g;
    rd_diagnostics *d;
    rd_bdd_mgr *m;
    enc *facts;              /* by fact index */
    rd_bdd *derived_t, *derived_f; /* by fact index: a computed fact's sets, once worked out */
    unsigned char *derived_done;
    unsigned *consent_var;   /* by consent index */
    enc provider;            /* codes: actor indexes; the last code unused */
    rd_bdd *provider_cube;   /* by actor: where she opened the case there */
    rd_bdd *provider_duty;   /* by duty: where it applies to the provider (RD_BDD_ONE_UNSET: not yet) */
    uint32_t nduty_cache;
    struct relvar *rel;      /* int facts compared with each other */
    uint32_t nrel;
    unsigned nvars;
    rd_bdd domain;           /* every encoding holds a valid code */
    int nomem;               /* some allocation failed: a pass lost work, so no verdict stands (the one
                                out-of-memory flag; see rd_verify_out_of_memory) */
} verifier;

int rd_enc_program(verifier *V);
rd_bdd rd_enc_provider_is(verifier *V, uint32_t actor);
void rd_enc_cond_sets(verifier *V, const rd_expr *x, rd_bdd *t, rd_bdd *f);
rd_bdd rd_enc_cond_true(verifier *V, const rd_expr *x);

/* ---- vset.c: a node's state, a sparse vector of valuation sets ------------------------------- */

enum { SP_R = 0, SP_H = 1, SP_K = 2, SP_KN = 3, SP_U = 4, SP_P = 5 };
#define KEY(sp, i) (((uint32_t)(sp) << 24) | (uint32_t)(i))
#define SPACE(k) ((k) >> 24)
#define IS_MUST(k) (SPACE(k) == SP_K || SPACE(k) == SP_KN)

typedef struct bit {
    uint32_t key;
    rd_bdd v;
} bit;

/* A node's state: bits sorted by key, none FALSE. R (key 0) comes first when present. */
typedef struct vstate {
    bit *b;
    uint32_t n, cap;
} vstate;

int rd_vs_put(vstate *s, uint32_t key, rd_bdd v, int *nomem);
rd_bdd rd_vs_get(const vstate *s, uint32_t key);
void rd_vs_free(vstate *s);
int rd_vs_copy(vstate *dst, const vstate *src, int *nomem);
rd_bdd rd_vs_R(const vstate *s);
void rd_vs_or(rd_bdd_mgr *m, vstate *s, uint32_t key, rd_bdd x, int *nomem);

/* ---- the engine; transfer.c: what the properties need, node by node and edge by edge --------- */

typedef struct prop {
    const rd_decl *principle;
    const rd_prop *pr;
    unsigned char *data;     /* by data index: protected by this property (with what reveals it) */
    unsigned char *actor;    /* by actor index: in the property's targets */
    unsigned char *tfact;    /* by fact index: facts whose value reveals protected data */
    rd_bdd unless;           /* where `unless` holds */
    rd_bdd provider_in;      /* the provider is one of the targets */
    rd_bdd *viol;            /* by node: valuations under which it fails there (NULL until it fails) */
    uint32_t *vdata, *vactor;/* by node: the data and actor of the first failure seen there */
    uint32_t *order;         /* nodes in the order their failure was first found */
    uint32_t norder;
    int warning, any;
} prop;

typedef struct taint { uint32_t prop, branch, ipdom; } taint;

typedef struct engine {
    verifier *V;
    prop *props;
    uint32_t nprops;
    const rd_decl **duties;
    uint32_t nduties;
    /* consent sets: for share (data, recipient) and refer (recipient) sites */
    uint32_t *set_cache;     /* by (data, recipient): consent set id + 1 */
    uint32_t nsets;
    uint32_t **sets_of_consent; /* by consent: ids of the sets it belongs to */
    uint32_t *nsets_of_consent;
    taint *taints;
    uint32_t ntaints;
    unsigned char *candidate; /* by actor index: an entry actor of some pathway (a possible provider) */
    unsigned char *pair;     /* by actor * ndata + data: some duty applies to the actor and reports the data */
    const rd_decl **permits;
    uint32_t npermits;
    uint32_t *taint_at, *taint_at_start;     /* taints set by each branch node (CSR by node) */
    uint32_t *clear_at, *clear_at_start;     /* taints cleared on arriving at each node */
    rd_bdd *edge_guard;      /* cached guard of each edge */
    unsigned char *guard_done;
    rd_map set_by_content;   /* consent sets, by their members */
    rd_bdd *spec_reach;      /* service_reach for `specialist`, shared by refusals and entries */
    uint32_t *ipdom;
    vstate *state;           /* by node */
    /* witness mode: stop when property `goal_prop` fails at node `goal_node` */
    int witness;
    uint32_t goal_prop, goal_node;
    int found;
    /* holdings mode (rd_verify_holdings), by actor * ndata + data: where the actor may come to hold
     * the data, the first node that brings it there, how (RD_HOLD_* bits), and by that index *
     * (nduties + npermits) + k which duty k or permit (nduties + k) brings it */
    rd_bdd *held, *held_sent; /* held_sent: by a share or referral */
    uint32_t *held_via;
    unsigned char *held_how, *held_by;
} engine;

uint32_t rd_transfer_consent_set(engine *E, uint32_t data, uint32_t r);
void rd_transfer_visit(engine *E, uint32_t n, const vstate *in, vstate *out);
rd_bdd rd_transfer_guard(engine *E, const rd_gedge *e);
void rd_transfer_along(engine *E, const rd_gedge *e, const vstate *base, vstate *out);
int rd_transfer_join(engine *E, vstate *st, const vstate *in);

/* ---- setup.c, fixpoint.c, reach.c: the engine set up, run, and read backwards ---------------- */

int rd_setup_engine(engine *E);
void rd_setup_release(engine *E);

rd_bdd rd_fixpoint_start(verifier *V, const rd_gpathway *pw);
int rd_fixpoint_run(engine *E);

rd_bdd *rd_reach_of(engine *E, const rd_ref *services, int *owned);

/* ---- witness.c, report.c: counterexamples and diagnostics ------------------------------------ */

uint32_t rd_witness_find(engine *E, uint32_t q, uint32_t target, rd_bdd viol, uint32_t **nodes_out, uint32_t **edges_out,
                         unsigned char **changed_out, rd_bdd *valuation);
void rd_witness_attach(engine *E, rd_diagnostic *g, const uint32_t *nodes, const uint32_t *edges,
                       const unsigned char *changed, uint32_t len, const char *extra_last, const char *citation, rd_bdd v);

const rd_decl *rd_report_waiver_for(verifier *V, const rd_decl *principle, const rd_step *st);
const char *rd_report_actor_words(verifier *V, uint32_t a);
int rd_report_failure(engine *E, const prop *P, uint32_t n, rd_bdd viol, const char *msg, const char *help,
                      uint32_t witness_prop, const char *extra_last);

/* ---- pass_*.c: the checks, one family a file; each returns its unwaived errors --------------- */

int rd_pass_flow_props(engine *E);
int rd_pass_flow_permits(engine *E);
int rd_pass_services_refusals(engine *E, prop *P);
int rd_pass_services_entries(engine *E, prop *P);
int rd_pass_text_translations(engine *E, prop *P);
int rd_pass_cycles_check(verifier *V);
int rd_pass_audit_run(engine *E);

/* ---- verify.c: the entry points -------------------------------------------------------------- */

/* Whether memory ran out anywhere in the run: V->nomem, which every allocation failure of the
 * verifier sets, or, folded into it here, a failure in the program's arena (records, messages) or
 * in the decision diagrams. Never the state budget: that is rd_bdd_overflow's RD_BDD_BUDGET. */
int rd_verify_out_of_memory(verifier *V);

#endif
