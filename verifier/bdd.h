/* Reduced ordered binary decision diagrams: the verifier represents the set of fact valuations
 * under which each graph node is reached as one BDD, so that unions at joins, guards, the fixpoint
 * test and the counterexample are all cheap operations on shared, canonical nodes.
 *
 * Ownership: every node belongs to its manager and lives until rd_bdd_free; an rd_bdd is a plain
 * index that needs no release. Two handles from one manager are equal exactly when they denote the
 * same boolean function, so `a == b` is the equivalence test. Variable order is index order.
 *
 * Failure is soft and sticky: once the node budget is spent, memory runs out or a call is given a
 * variable or handle out of range, rd_bdd_overflow() turns non-zero and every later operation
 * returns RD_BDD_FALSE. A caller checks the flag after a batch of work and reports "state budget
 * exhausted" instead of trusting a result built from the FALSE placeholders. */
#ifndef RD_BDD_H
#define RD_BDD_H
#include <stddef.h>
#include <stdint.h>

typedef uint32_t rd_bdd; /* index of a node in its manager */
#define RD_BDD_FALSE 0u
#define RD_BDD_TRUE  1u

/* Operations recurse once per variable, so nvars bounds the stack depth: about 110 bytes a level,
 * under 0.5 MB at this bound (measured with -O0, -O2 and the sanitizers). */
#define RD_BDD_MAX_VARS 4096u

/* What rd_bdd_overflow() reports; the first failure is kept. */
enum {
    RD_BDD_OK = 0,
    RD_BDD_BUDGET = 1, /* max_nodes reached */
    RD_BDD_NOMEM = 2,  /* malloc failed */
    RD_BDD_MISUSE = 3, /* a variable or handle out of range: a bug in the caller */
};

typedef struct rd_bdd_mgr rd_bdd_mgr;

/* A manager for variables 0..nvars-1 that will never hold more than max_nodes nodes, counting
 * the two terminals (a max_nodes below 2 counts as 2). NULL when out of memory or when nvars
 * exceeds RD_BDD_MAX_VARS. */
rd_bdd_mgr *rd_bdd_new(unsigned nvars, size_t max_nodes);
/* Releases the manager and every node in it; NULL is accepted. */
void rd_bdd_free(rd_bdd_mgr *m);
/* 0 while every result is exact; otherwise one of RD_BDD_BUDGET, RD_BDD_NOMEM, RD_BDD_MISUSE. */
int rd_bdd_overflow(const rd_bdd_mgr *m);
/* Nodes built so far, terminals included. Nothing is collected, so this counts intermediate
 * results too: it is the figure max_nodes is compared with. */
size_t rd_bdd_node_count(const rd_bdd_mgr *m);

/* The set where variable v is true (rd_bdd_var) or false (rd_bdd_nvar). */
rd_bdd rd_bdd_var(rd_bdd_mgr *m, unsigned v);
rd_bdd rd_bdd_nvar(rd_bdd_mgr *m, unsigned v);
/* The set where the nbits variables first_var.. first_var+nbits-1, read as a little-endian
 * number, equal value (nbits <= 64). FALSE when value does not fit in nbits bits; TRUE when nbits
 * is 0. Builds at most nbits nodes. */
rd_bdd rd_bdd_cube(rd_bdd_mgr *m, unsigned first_var, unsigned nbits, uint64_t value);

/* Complement, intersection and union of sets of valuations. Like every operation that returns an
 * rd_bdd, they return FALSE once rd_bdd_overflow() is non-zero. */
rd_bdd rd_bdd_not(rd_bdd_mgr *m, rd_bdd a);
rd_bdd rd_bdd_and(rd_bdd_mgr *m, rd_bdd a, rd_bdd b);
rd_bdd rd_bdd_or(rd_bdd_mgr *m, rd_bdd a, rd_bdd b);
/* a and not b, without building not b. */
rd_bdd rd_bdd_andnot(rd_bdd_mgr *m, rd_bdd a, rd_bdd b);
/* if c then t else e. */
rd_bdd rd_bdd_ite(rd_bdd_mgr *m, rd_bdd c, rd_bdd t, rd_bdd e);

/* 1 when a is a subset of b, else 0 (and 0 with RD_BDD_MISUSE for a handle out of range). It
 * builds no node, so the budget does not limit it, and after an overflow it still answers
 * truthfully about the (FALSE) handles it is then given: a fixpoint loop ends, and the caller
 * checks the flag. */
int rd_bdd_implies(rd_bdd_mgr *m, rd_bdd a, rd_bdd b);
/* One member of a, written to out[0..nvars-1] as 0, 1, or -1 for "either value"; prefers 0 for
 * each variable it has to fix. Returns 0, or -1 (out untouched) when a is FALSE or out of range. */
int rd_bdd_sat_one(const rd_bdd_mgr *m, rd_bdd a, signed char *out);
/* 1 when assignment (nvars entries, non-zero meaning true) is a member of a, else 0; 0 for a
 * handle out of range. */
int rd_bdd_eval(const rd_bdd_mgr *m, rd_bdd a, const unsigned char *assignment);

#endif
