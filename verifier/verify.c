/* The principle verifier.
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
#include "verify.h"
#include "flow.h"
#include "audit.h"
#include "bdd.h"
#include "check.h"
#include "parse.h"
#include <stdlib.h>
#include <string.h>

/* ---- encoding facts, consents and the provider as variables ---------------------------------- */

/* Marks a cache entry not computed yet: no set the verifier builds has this many nodes. */
#define RD_BDD_ONE_UNSET UINT32_MAX

typedef struct enc {
    unsigned first, nbits;
    uint32_t ncodes;         /* valid codes are 0..ncodes-1; the last is "unknown" */
    const long long *cuts;   /* int facts: the constants compared with, ascending */
    uint32_t ncuts;
    int used;
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
    int budget_hit;
    int nomem;               /* some allocation failed: a pass lost work, so no verdict stands */
} verifier;

static unsigned bits_for(uint32_t n)
{
    unsigned b = 0;
    while ((1ull << b) < n) b++;
    return b ? b : 1;
}

static int cmp_ll(const void *a, const void *b)
{
    long long x = *(const long long *)a, y = *(const long long *)b;
    return x < y ? -1 : x > y;
}

/* Every condition of the program, for gathering the constants an int fact is compared with. */
static void each_cond(rd_program *p, void (*f)(const rd_expr *, void *), void *ctx);

typedef struct cut_ctx { long long **cuts; uint32_t *n, *cap; int *nomem; } cut_ctx;

/* Every constant compared with an int fact, filed under that fact: one walk over the program. */
static void cut_visit(const rd_expr *e, void *ctx)
{
    cut_ctx *c = ctx;
    if (!e) return;
    if (e->kind == RD_E_CMP) {
        const rd_expr *f = e->a->fact && e->a->type == RD_T_INT ? e->a : e->b->fact && e->b->type == RD_T_INT ? e->b : NULL;
        const rd_expr *v = f == e->a ? e->b : e->a;
        if (f && v->kind == RD_E_INT && !f->fact->u.fact.derived) {
            uint32_t i = f->fact->index;
            if (c->n[i] == c->cap[i]) {
                uint32_t cap = c->cap[i] ? c->cap[i] * 2 : 8;
                long long *nc = realloc(c->cuts[i], cap * sizeof *nc);
                if (!nc) {
                    *c->nomem = 1; /* a cut left out would merge values a condition tells apart */
                    return;
                }
                c->cuts[i] = nc;
                c->cap[i] = cap;
            }
            c->cuts[i][c->n[i]++] = v->value;
        }
    }
    cut_visit(e->a, ctx);
    cut_visit(e->b, ctx);
}

static void walk_block_conds(const rd_block *b, void (*f)(const rd_expr *, void *), void *ctx)
{
    if (!b) return;
    for (const rd_stmt *s = b->first; s; s = s->next) {
        if (s->cond) f(s->cond, ctx);
        walk_block_conds(s->then_b, f, ctx);
        walk_block_conds(s->else_b, f, ctx);
        for (const rd_option *o = s->options; o; o = o->next) walk_block_conds(o->body, f, ctx);
    }
}

static void each_cond(rd_program *p, void (*f)(const rd_expr *, void *), void *ctx)
{
    for (rd_decl *d = p->decls; d; d = d->next) {
        switch (d->kind) {
        case RD_D_FACT: if (d->u.fact.derived) f(d->u.fact.derived, ctx); break;
        case RD_D_PERMIT: if (d->u.flow.when) f(d->u.flow.when, ctx); break;
        case RD_D_DUTY: if (d->u.duty.when) f(d->u.duty.when, ctx); break;
        case RD_D_PRINCIPLE:
            for (rd_prop *pr = d->u.principle.props; pr; pr = pr->next)
                if (pr->unless) f(pr->unless, ctx);
            break;
        case RD_D_PATHWAY:
            for (rd_step *s = d->u.pathway.steps; s; s = s->next) walk_block_conds(s->body, f, ctx);
            break;
        default: break;
        }
    }
}

/* Variables are numbered in the order facts and consents are first used, walking the pathways in
 * source order: a consent sought under a condition then sits next to that condition's facts, which
 * keeps the decision diagrams small (all facts first and all consents last grows them
 * exponentially with the number of guarded consents). */
typedef struct order_ctx {
    verifier *V;
    unsigned char *fact_seen, *consent_seen;
    uint32_t *items; /* fact index, or nfacts + consent index */
    uint32_t n;
} order_ctx;

static void order_expr(order_ctx *o, const rd_expr *e, int depth)
{
    if (!e || depth > RD_MAX_DEPTH) return;
    if (e->fact) {
        if (e->fact->u.fact.derived) {
            /* each computation once: a shared chain would otherwise be walked 2^chain times */
            if (!o->fact_seen[e->fact->index]) {
                o->fact_seen[e->fact->index] = 1;
                order_expr(o, e->fact->u.fact.derived, depth + 1);
            }
        } else if (!o->fact_seen[e->fact->index]) {
            o->fact_seen[e->fact->index] = 1;
            o->items[o->n++] = e->fact->index;
        }
    }
    order_expr(o, e->a, depth + 1);
    order_expr(o, e->b, depth + 1);
}

static void order_block(order_ctx *o, const rd_block *b)
{
    if (!b) return;
    for (const rd_stmt *s = b->first; s; s = s->next) {
        if (s->cond) order_expr(o, s->cond, 0);
        if (s->kind == RD_S_SEEK && s->names && s->names->decl && !o->consent_seen[s->names->decl->index]) {
            o->consent_seen[s->names->decl->index] = 1;
            o->items[o->n++] = o->V->g->nfacts + s->names->decl->index;
        }
        order_block(o, s->then_b);
        order_block(o, s->else_b);
        for (const rd_option *op = s->options; op; op = op->next) order_block(o, op->body);
    }
}

/* Two int facts compared with each other share a variable saying how they stand: below, equal,
 * above (codes 0, 1, 2), so every comparison of the pair reads the same answer. */
typedef struct relvar { const rd_decl *a, *b; unsigned first; } relvar;

static void find_relations(const rd_expr *e, void *ctx)
{
    verifier *V = ctx;
    if (!e) return;
    if (e->kind == RD_E_CMP && e->a->fact && e->b->fact && e->a->type == RD_T_INT && e->b->type == RD_T_INT &&
        e->a->fact != e->b->fact && !e->a->fact->u.fact.derived && !e->b->fact->u.fact.derived) {
        const rd_decl *x = e->a->fact, *y = e->b->fact;
        if (x->index > y->index) {
            const rd_decl *t = x;
            x = y;
            y = t;
        }
        int have = 0;
        for (uint32_t i = 0; i < V->nrel && !have; i++) have = V->rel[i].a == x && V->rel[i].b == y;
        if (!have && V->nrel < RD_VERIFY_MAX_RELATIONS) V->rel[V->nrel++] = (relvar){x, y, 0};
    }
    find_relations(e->a, ctx);
    find_relations(e->b, ctx);
}

static rd_bdd code_is(verifier *V, const enc *e, uint32_t code);

static int encode(verifier *V)
{
    rd_graph *g = V->g;
    unsigned var = 0;
    V->facts = rd_arena_alloc(&V->p->arena, (g->nfacts + 1) * sizeof *V->facts);
    V->consent_var = rd_arena_alloc(&V->p->arena, (g->nconsents + 1) * sizeof *V->consent_var);
    V->rel = rd_arena_alloc(&V->p->arena, RD_VERIFY_MAX_RELATIONS * sizeof *V->rel);
    V->derived_t = rd_arena_alloc(&V->p->arena, (g->nfacts + 1) * sizeof *V->derived_t);
    V->derived_f = rd_arena_alloc(&V->p->arena, (g->nfacts + 1) * sizeof *V->derived_f);
    V->derived_done = rd_arena_alloc(&V->p->arena, g->nfacts + 1);
    if (!V->facts || !V->consent_var || !V->rel || !V->derived_t || !V->derived_f || !V->derived_done) return -1;
    cut_ctx cc = {calloc(g->nfacts + 1, sizeof *cc.cuts), calloc(g->nfacts + 1, sizeof *cc.n),
                  calloc(g->nfacts + 1, sizeof *cc.cap), &V->nomem};
    if (!cc.cuts || !cc.n || !cc.cap) {
        free(cc.cuts);
        free(cc.n);
        free(cc.cap);
        return -1;
    }
    each_cond(V->p, cut_visit, &cc);
    for (uint32_t i = 0; i < g->nfacts; i++) {
        const rd_decl *f = g->facts[i];
        enc *e = &V->facts[i];
        if (f->u.fact.derived) continue; /* expanded where it is used */
        if (f->u.fact.type == RD_T_BOOL) {
            e->ncodes = 3;
        } else if (f->u.fact.type == RD_T_ENUM) {
            uint32_t k = 0;
            for (const rd_ref *r = f->u.fact.values; r; r = r->next) k++;
            e->ncodes = k + 1;
        } else {
            long long *cuts = cc.cuts[i];
            uint32_t n = cc.n[i];
            if (n) qsort(cuts, n, sizeof *cuts, cmp_ll);
            uint32_t u = 0;
            for (uint32_t j = 0; j < n; j++)
                if (u == 0 || cuts[u - 1] != cuts[j]) cuts[u++] = cuts[j];
            long long *kept = rd_arena_alloc(&V->p->arena, (u + 1) * sizeof *kept);
            if (!kept) {
                V->budget_hit = 1; /* reported as out of memory by the caller */
                u = 0;
            }
            if (u) memcpy(kept, cuts, u * sizeof *kept);
            e->cuts = kept;
            e->ncuts = u;
            e->ncodes = 2 * u + 2; /* intervals and points between the cuts, and unknown */
        }
        e->nbits = bits_for(e->ncodes);
    }
    for (uint32_t i = 0; i < g->nfacts; i++) free(cc.cuts[i]);
    free(cc.cuts);
    free(cc.n);
    free(cc.cap);
    if (V->budget_hit) return -1;
    /* number the variables in order of first use */
    order_ctx o = {V, rd_arena_alloc(&V->p->arena, g->nfacts + 1), rd_arena_alloc(&V->p->arena, g->nconsents + 1),
                   rd_arena_alloc(&V->p->arena, (g->nfacts + g->nconsents + 1) * sizeof *o.items), 0};
    if (!o.fact_seen || !o.consent_seen || !o.items) return -1;
    for (rd_decl *d = V->p->decls; d; d = d->next)
        if (d->kind == RD_D_PATHWAY)
            for (rd_step *st = d->u.pathway.steps; st; st = st->next) order_block(&o, st->body);
    for (uint32_t i = 0; i < g->nfacts; i++)
        if (!o.fact_seen[i]) o.items[o.n++] = i;
    for (uint32_t i = 0; i < g->nconsents; i++)
        if (!o.consent_seen[i]) o.items[o.n++] = g->nfacts + i;
    for (uint32_t k = 0; k < o.n; k++) {
        uint32_t it = o.items[k];
        if (it < g->nfacts) {
            if (!V->facts[it].nbits) continue;
            V->facts[it].first = var;
            var += V->facts[it].nbits;
        } else {
            V->consent_var[it - g->nfacts] = var++;
        }
    }
    each_cond(V->p, find_relations, V);
    for (uint32_t i = 0; i < V->nrel; i++) {
        V->rel[i].first = var;
        var += 2;
    }
    V->provider.ncodes = g->nactors + 1;
    V->provider.first = var;
    V->provider.nbits = bits_for(V->provider.ncodes);
    var += V->provider.nbits;
    V->nvars = var;
    V->m = rd_bdd_new(var ? var : 1, RD_VERIFY_MAX_BDD_NODES);
    if (!V->m) return -1;
    rd_bdd *cubes = rd_arena_alloc(&V->p->arena, (g->nactors + 1) * sizeof *cubes);
    if (!cubes) return -1;
    for (uint32_t a = 0; a < g->nactors; a++) cubes[a] = code_is(V, &V->provider, a);
    V->provider_cube = cubes;
    /* Codes that stand for nothing stay out of every set: past the last valid code, and the open
     * interval between two whole numbers that are neighbours (between 72 and 73 there is none). */
    V->domain = RD_BDD_TRUE;
    for (uint32_t i = 0; i < g->nfacts; i++) {
        enc *e = &V->facts[i];
        if (!e->nbits) continue;
        rd_bdd ok = RD_BDD_FALSE;
        for (uint32_t c = 0; c < e->ncodes; c++) {
            int empty = e->cuts && c % 2 == 0 && c > 0 && c / 2 < e->ncuts && e->cuts[c / 2] - e->cuts[c / 2 - 1] == 1;
            if (!empty) ok = rd_bdd_or(V->m, ok, rd_bdd_cube(V->m, e->first, e->nbits, c));
        }
        V->domain = rd_bdd_and(V->m, V->domain, ok);
    }
    for (uint32_t i = 0; i < V->nrel; i++) {
        rd_bdd ok = rd_bdd_not(V->m, rd_bdd_cube(V->m, V->rel[i].first, 2, 3));
        V->domain = rd_bdd_and(V->m, V->domain, ok);
    }
    return 0;
}

static rd_bdd code_is(verifier *V, const enc *e, uint32_t code)
{
    return rd_bdd_cube(V->m, e->first, e->nbits, code);
}

static rd_bdd provider_is(verifier *V, uint32_t actor)
{
    if (V->provider_cube && actor < V->g->nactors) return V->provider_cube[actor];
    return code_is(V, &V->provider, actor);
}

static rd_bdd unknown(verifier *V, const rd_decl *f) { return code_is(V, &V->facts[f->index], V->facts[f->index].ncodes - 1); }

/* Code of a value of fact f: bool false/true are 0/1, an enum value its index; for ints, the code
 * of the point `value` (always a cut, since every compared constant is one). */
static uint32_t int_point_code(const enc *e, long long value)
{
    for (uint32_t j = 0; j < e->ncuts; j++)
        if (e->cuts[j] == value) return 2 * j + 1;
    return 0;
}

/* The codes of int fact f for which `x op value` holds. Even codes are the open intervals between
 * cuts (2j: below cut j), odd ones the cuts themselves. */
static rd_bdd int_cmp(verifier *V, const enc *e, rd_cmp_op op, long long value, int fact_on_left)
{
    uint32_t at = int_point_code(e, value);
    rd_bdd out = RD_BDD_FALSE;
    for (uint32_t c = 0; c + 1 < e->ncodes; c++) {
        int rel = c < at ? -1 : c > at; /* the fact's values in code c against `value` */
        if (!fact_on_left) rel = -rel;
        int holds = op == RD_OP_EQ ? rel == 0 : op == RD_OP_NE ? rel != 0 : op == RD_OP_LT ? rel < 0
                  : op == RD_OP_LE ? rel <= 0 : op == RD_OP_GT ? rel > 0 : rel >= 0;
        if (holds) out = rd_bdd_or(V->m, out, code_is(V, e, c));
    }
    return out;
}

/* Where a condition is true (*t) and where it is false (*f); neither where it is unknown. */
static void cond_sets(verifier *V, const rd_expr *x, rd_bdd *t, rd_bdd *f);

/* Where a computed fact is true and where false. Worked out once per fact: a fact read twice by
 * the next, and that one twice by the next, would otherwise cost 2^chain. */
static void derived_sets(verifier *V, const rd_decl *fact, rd_bdd *t, rd_bdd *f)
{
    uint32_t i = fact->index;
    if (!V->derived_done[i]) {
        cond_sets(V, fact->u.fact.derived, &V->derived_t[i], &V->derived_f[i]);
        V->derived_done[i] = 1;
    }
    *t = V->derived_t[i];
    *f = V->derived_f[i];
}

static void cond_sets(verifier *V, const rd_expr *x, rd_bdd *t, rd_bdd *f)
{
    rd_bdd_mgr *m = V->m;
    rd_bdd ta, fa, tb, fb;
    switch (x->kind) {
    case RD_E_OR:
        cond_sets(V, x->a, &ta, &fa);
        cond_sets(V, x->b, &tb, &fb);
        *t = rd_bdd_or(m, ta, tb);
        *f = rd_bdd_and(m, fa, fb);
        return;
    case RD_E_AND:
        cond_sets(V, x->a, &ta, &fa);
        cond_sets(V, x->b, &tb, &fb);
        *t = rd_bdd_and(m, ta, tb);
        *f = rd_bdd_or(m, fa, fb);
        return;
    case RD_E_NOT:
        cond_sets(V, x->a, &ta, &fa);
        *t = fa;
        *f = ta;
        return;
    case RD_E_BOOL:
        *t = x->value ? RD_BDD_TRUE : RD_BDD_FALSE;
        *f = x->value ? RD_BDD_FALSE : RD_BDD_TRUE;
        return;
    case RD_E_INT:
        *t = *f = RD_BDD_FALSE;
        return;
    case RD_E_KNOWN:
        if (x->fact && x->fact->u.fact.derived) {
            /* a computed fact is known when its condition is true or false */
            derived_sets(V, x->fact, &ta, &fa);
            *t = rd_bdd_or(m, ta, fa);
            *f = rd_bdd_not(m, *t);
            return;
        }
        *f = x->fact ? unknown(V, x->fact) : RD_BDD_FALSE;
        *t = rd_bdd_not(m, *f);
        return;
    case RD_E_NAME:
        if (x->fact && x->fact->u.fact.derived) {
            derived_sets(V, x->fact, t, f);
            return;
        }
        if (!x->fact) {
            *t = *f = RD_BDD_FALSE;
            return;
        }
        *t = code_is(V, &V->facts[x->fact->index], 1);
        *f = code_is(V, &V->facts[x->fact->index], 0);
        return;
    case RD_E_IN: {
        const enc *e = &V->facts[x->fact->index];
        *t = RD_BDD_FALSE;
        for (const rd_ref *r = x->set; r; r = r->next) {
            uint32_t i = 0;
            for (const rd_ref *v = x->fact->u.fact.values; v && v->id != r->id; v = v->next) i++;
            *t = rd_bdd_or(m, *t, code_is(V, e, i));
        }
        *f = rd_bdd_andnot(m, rd_bdd_not(m, unknown(V, x->fact)), *t);
        return;
    }
    case RD_E_CMP: {
        const rd_expr *a = x->a, *b = x->b;
        const rd_decl *fa_ = a->fact, *fb_ = b->kind == RD_E_NAME && b->type != RD_T_ENUMVAL ? b->fact : NULL;
        if (a->type == RD_T_ENUMVAL) fa_ = NULL;
        if (fa_ && fb_) {
            /* Two facts compared: equal codes (both known). */
            const enc *ea = &V->facts[fa_->index], *eb = &V->facts[fb_->index];
            rd_bdd eq = RD_BDD_FALSE;
            if (fa_->u.fact.type != RD_T_INT) {
                for (uint32_t c = 0; c + 1 < ea->ncodes && c + 1 < eb->ncodes; c++)
                    eq = rd_bdd_or(m, eq, rd_bdd_and(m, code_is(V, ea, c), code_is(V, eb, c)));
            }
            rd_bdd known = rd_bdd_and(m, rd_bdd_not(m, unknown(V, fa_)), rd_bdd_not(m, unknown(V, fb_)));
            if (fa_->u.fact.type == RD_T_INT) {
                const relvar *rv = NULL;
                int swap = fa_->index > fb_->index;
                for (uint32_t i = 0; i < V->nrel && !rv; i++)
                    if ((V->rel[i].a == fa_ && V->rel[i].b == fb_) || (V->rel[i].a == fb_ && V->rel[i].b == fa_)) rv = &V->rel[i];
                if (!rv) {
                    *t = *f = known; /* past RD_VERIFY_MAX_RELATIONS pairs: either outcome */
                    return;
                }
                rd_bdd hold = RD_BDD_FALSE;
                for (uint32_t c = 0; c < 3; c++) {
                    int rel = (int)c - 1; /* -1: first below second, 0 equal, 1 above */
                    if (swap) rel = -rel;
                    rd_cmp_op op = x->op;
                    int ok = op == RD_OP_EQ ? rel == 0 : op == RD_OP_NE ? rel != 0 : op == RD_OP_LT ? rel < 0
                           : op == RD_OP_LE ? rel <= 0 : op == RD_OP_GT ? rel > 0 : rel >= 0;
                    if (ok) hold = rd_bdd_or(m, hold, rd_bdd_cube(m, rv->first, 2, c));
                }
                *t = rd_bdd_and(m, known, hold);
                *f = rd_bdd_andnot(m, known, hold);
                return;
            }
            *t = x->op == RD_OP_EQ ? eq : rd_bdd_andnot(m, known, eq);
            *f = x->op == RD_OP_EQ ? rd_bdd_andnot(m, known, eq) : eq;
            return;
        }
        const rd_expr *fs = fa_ ? a : b, *v = fa_ ? b : a;
        const rd_decl *fact = fs->fact;
        if (!fact) {
            *t = *f = RD_BDD_FALSE;
            return;
        }
        if (fact->u.fact.derived) {
            /* a computed yes/no fact compared with true or false */
            derived_sets(V, fact, &ta, &fa);
            int want = v->value != 0;
            if (x->op == RD_OP_NE) want = !want;
            *t = want ? ta : fa;
            *f = want ? fa : ta;
            return;
        }
        const enc *e = &V->facts[fact->index];
        rd_bdd hold;
        if (fact->u.fact.type == RD_T_INT) {
            hold = int_cmp(V, e, x->op, v->value, fs == a);
        } else {
            uint32_t code = (uint32_t)v->value;
            hold = code_is(V, e, code);
            if (x->op == RD_OP_NE) hold = rd_bdd_andnot(m, rd_bdd_not(m, unknown(V, fact)), hold);
        }
        *t = hold;
        *f = rd_bdd_andnot(m, rd_bdd_not(m, unknown(V, fact)), hold);
        return;
    }
    }
    *t = *f = RD_BDD_FALSE;
}

static rd_bdd cond_true(verifier *V, const rd_expr *x)
{
    if (!x) return RD_BDD_TRUE;
    rd_bdd t, f;
    cond_sets(V, x, &t, &f);
    return t;
}

/* ---- sparse vectors of valuation sets -------------------------------------------------------- */

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

static int vs_put(vstate *s, uint32_t key, rd_bdd v, int *nomem)
{
    /* keys arrive mostly in order; insertion keeps the array sorted */
    uint32_t i = s->n;
    while (i > 0 && s->b[i - 1].key > key) i--;
    if (i > 0 && s->b[i - 1].key == key) {
        if (v == RD_BDD_FALSE) {
            memmove(&s->b[i - 1], &s->b[i], (s->n - i) * sizeof *s->b);
            s->n--;
        } else {
            s->b[i - 1].v = v;
        }
        return 0;
    }
    if (v == RD_BDD_FALSE) return 0;
    if (s->n == s->cap) {
        uint32_t cap = s->cap ? s->cap * 2 : 8;
        bit *nb = realloc(s->b, cap * sizeof *nb);
        if (!nb) {
            *nomem = 1;
            return -1;
        }
        s->b = nb;
        s->cap = cap;
    }
    memmove(&s->b[i + 1], &s->b[i], (s->n - i) * sizeof *s->b);
    s->b[i] = (bit){key, v};
    s->n++;
    return 0;
}

static rd_bdd vs_get(const vstate *s, uint32_t key)
{
    uint32_t lo = 0, hi = s->n;
    while (lo < hi) {
        uint32_t mid = (lo + hi) / 2;
        if (s->b[mid].key < key) lo = mid + 1;
        else hi = mid;
    }
    return lo < s->n && s->b[lo].key == key ? s->b[lo].v : RD_BDD_FALSE;
}

static void vs_free(vstate *s)
{
    free(s->b);
    memset(s, 0, sizeof *s);
}

static int vs_copy(vstate *dst, const vstate *src, int *nomem)
{
    dst->n = 0;
    if (src->n > dst->cap) {
        bit *nb = realloc(dst->b, src->n * sizeof *nb);
        if (!nb) {
            *nomem = 1; /* dst is left empty: a node that looks unreachable */
            return -1;
        }
        dst->b = nb;
        dst->cap = src->n;
    }
    if (src->n) memcpy(dst->b, src->b, src->n * sizeof *dst->b);
    dst->n = src->n;
    return 0;
}

/* Bits other than R hold a set relative to R: the set itself is R and rel. */
static rd_bdd R_of(const vstate *s) { return vs_get(s, KEY(SP_R, 0)); }

/* Adds `x` (a subset of R) to bit `key`. */
static void vs_or(rd_bdd_mgr *m, vstate *s, uint32_t key, rd_bdd x, int *nomem)
{
    if (x == RD_BDD_FALSE) return;
    rd_bdd rel = vs_get(s, key), R = R_of(s);
    if (rel == RD_BDD_TRUE) return;
    vs_put(s, key, x == R ? RD_BDD_TRUE : rd_bdd_or(m, rel, x), nomem);
}

/* ---- what the properties need ---------------------------------------------------------------- */

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
    const rd_decl **duties, **notices;
    uint32_t nduties, nnotices;
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

static uint32_t nact(const engine *E) { return E->V->g->nactors + 1; } /* actors and the provider */
static uint32_t actor_slot(const engine *E, uint32_t a) { return a == RD_PROVIDER ? E->V->g->nactors : a; }

/* The id of the set of consents that cover sharing `data` (or anything, when data is UINT32_MAX)
 * with actor r; created on first use. */
static uint32_t consent_set(engine *E, uint32_t data, uint32_t r)
{
    rd_graph *g = E->V->g;
    /* dense cache by (data or "any", recipient): ids stored plus one, 0 for not yet */
    size_t slot = (size_t)(data == UINT32_MAX ? g->ndata : data) * (g->nactors + 1) + (r == RD_PROVIDER ? g->nactors : r);
    if (E->set_cache[slot]) return E->set_cache[slot] - 1;
    void *got;
    /* The members, as text: sites covered by the same consents share one set. */
    size_t cap = 16 + (size_t)g->nconsents * 11, off = 0;
    char *members = rd_arena_alloc(&E->V->p->arena, cap);
    if (!members) {
        E->V->budget_hit = 1;
        return 0;
    }
    for (uint32_t c = 0; c < g->nconsents; c++) {
        const rd_decl *cd = g->consents[c];
        if (r == RD_PROVIDER || !rd_flow_actor_in(g, r, cd->u.flow.with)) continue;
        if (data == UINT32_MAX || rd_flow_shares(cd, data)) off += (size_t)snprintf(members + off, cap - off, "%u,", c);
    }
    got = rd_map_get(&E->set_by_content, members);
    uint32_t id;
    if (got) {
        id = (uint32_t)(uintptr_t)got - 1;
    } else {
        id = E->nsets++;
        if (rd_map_put(&E->set_by_content, members, (void *)(uintptr_t)(id + 1)) != 0) E->V->budget_hit = 1;
        for (char *c = members; *c;) {
            uint32_t ci = (uint32_t)strtoul(c, &c, 10);
            c++; /* the comma */
            uint32_t *v = realloc(E->sets_of_consent[ci], (E->nsets_of_consent[ci] + 1) * sizeof *v);
            if (!v) {
                E->V->budget_hit = 1;
                continue;
            }
            v[E->nsets_of_consent[ci]++] = id;
            E->sets_of_consent[ci] = v;
        }
    }
    E->set_cache[slot] = id + 1;
    return id;
}

/* Where a permit covering `data` to actor r is in force: flows it allows need no consent. */
static rd_bdd permitted(engine *E, uint32_t data, uint32_t r)
{
    rd_graph *g = E->V->g;
    rd_bdd out = RD_BDD_FALSE;
    for (uint32_t i = 0; i < E->npermits; i++) {
        const rd_decl *d = E->permits[i];
        if (!rd_flow_actor_in(g, r, d->u.flow.with)) continue;
        if (data == UINT32_MAX || rd_flow_shares(d, data)) out = rd_bdd_or(E->V->m, out, cond_true(E->V, d->u.flow.when));
    }
    return out;
}

static void fail(engine *E, uint32_t q, uint32_t node, rd_bdd when, uint32_t data, uint32_t actor)
{
    prop *P = &E->props[q];
    when = rd_bdd_andnot(E->V->m, when, P->unless);
    if (when == RD_BDD_FALSE) return;
    if (E->witness) {
        if (q == E->goal_prop && node == E->goal_node) E->found = 1;
        return;
    }
    if (!P->viol) {
        /* first failure of this principle: its per-node records (most principles never need them) */
        rd_arena *a = &E->V->p->arena;
        uint32_t nn = E->V->g->nnodes + 1;
        P->viol = rd_arena_alloc(a, nn * sizeof *P->viol);
        P->vdata = rd_arena_alloc(a, nn * sizeof *P->vdata);
        P->vactor = rd_arena_alloc(a, nn * sizeof *P->vactor);
        P->order = rd_arena_alloc(a, nn * sizeof *P->order);
        if (!P->viol || !P->vdata || !P->vactor || !P->order) {
            P->viol = NULL;
            E->V->budget_hit = 1;
            return;
        }
    }
    if (P->viol[node] == RD_BDD_FALSE) {
        P->order[P->norder++] = node;
        P->vdata[node] = data;
        P->vactor[node] = actor;
    }
    P->viol[node] = rd_bdd_or(E->V->m, P->viol[node], when);
    P->any = 1;
}

/* Where duty y applies to actor a: always or never for a named actor; for the provider, where it is
 * one of the actors the duty names. */
static rd_bdd duty_applies(verifier *V, const rd_decl *duty, uint32_t a)
{
    if (a != RD_PROVIDER) return rd_flow_actor_in(V->g, a, duty->u.duty.applies) ? RD_BDD_TRUE : RD_BDD_FALSE;
    if (V->provider_duty && duty->index < V->nduty_cache && V->provider_duty[duty->index] != RD_BDD_ONE_UNSET)
        return V->provider_duty[duty->index];
    rd_bdd out = RD_BDD_FALSE;
    for (uint32_t c = 0; c < V->g->nactors; c++)
        if (rd_flow_actor_in(V->g, c, duty->u.duty.applies)) out = rd_bdd_or(V->m, out, provider_is(V, c));
    if (V->provider_duty && duty->index < V->nduty_cache) V->provider_duty[duty->index] = out;
    return out;
}

static int reads_fact(const rd_expr *e, const unsigned char *tfact, int depth);

typedef enum acq_kind { ACQ_COLLECT, ACQ_FLOW, ACQ_PERMIT } acq_kind;

/* Actor `a` (or the provider, one holder whoever she is) comes to hold data `d` under `when`, at
 * node `node`: collected by it (record, ask), sent to it (share, refer, duty), or made possible by a
 * permit. Duty nodes merge the provider's holdings with those of the actor she opened the case at. */
/* Holding d is holding all that d discloses (a work permit shows her migration status), so a duty
 * to report a disclosed category can fire. */
static void hold(engine *E, vstate *out, uint32_t a, uint32_t slot, uint32_t d, rd_bdd when)
{
    const rd_graph *g = E->V->g;
    uint32_t n;
    const uint32_t *w = rd_flow_disclosed(g, d, &n);
    for (uint32_t i = 0; i < n; i++)
        if (a == RD_PROVIDER || E->pair[slot * g->ndata + w[i]])
            vs_or(E->V->m, out, KEY(SP_H, slot * g->ndata + w[i]), when, &E->V->nomem);
}

/* Holdings mode: actor a (the provider standing for each actor she may have opened the case at)
 * comes to hold d, and everything d reveals, under `when`, by way of node n (permit k: UINT32_MAX
 * for none, else nduties + its index). */
static void note_holding(engine *E, uint32_t n, uint32_t a, uint32_t d, rd_bdd when, unsigned how, uint32_t k)
{
    if (!E->held || E->witness || when == RD_BDD_FALSE) return;
    verifier *V = E->V;
    const rd_graph *g = V->g;
    uint32_t nk = E->nduties + E->npermits;
    if (how == RD_HOLD_DUTY) k = g->nodes[n].subject->index;
    for (uint32_t c = 0; c < g->nactors; c++) {
        if (a == RD_PROVIDER ? !E->candidate[c] : c != a) continue;
        rd_bdd w = a == RD_PROVIDER ? rd_bdd_and(V->m, when, provider_is(V, c)) : when;
        if (w == RD_BDD_FALSE) continue;
        uint32_t nx;
        const uint32_t *xs = rd_flow_disclosed(g, d, &nx);
        for (uint32_t j = 0; j < nx; j++) {
            size_t i = (size_t)c * g->ndata + xs[j];
            E->held[i] = rd_bdd_or(V->m, E->held[i], w);
            if (how == RD_HOLD_FLOW) E->held_sent[i] = rd_bdd_or(V->m, E->held_sent[i], w);
            if (how != RD_HOLD_PERMIT && n < E->held_via[i]) E->held_via[i] = n;
            E->held_how[i] |= (unsigned char)how;
            if (k != UINT32_MAX) E->held_by[i * nk + k] = 1;
        }
    }
}

static void acquire(engine *E, vstate *out, uint32_t node, uint32_t a, uint32_t d, rd_bdd when, acq_kind how)
{
    verifier *V = E->V;
    rd_bdd_mgr *m = V->m;
    uint32_t slot = actor_slot(E, a);
    hold(E, out, a, slot, d, when);
    if (how != ACQ_PERMIT)
        note_holding(E, node, a, d, when,
                     how == ACQ_COLLECT ? RD_HOLD_COLLECT : V->g->nodes[node].kind == RD_N_DUTY ? RD_HOLD_DUTY : RD_HOLD_FLOW,
                     UINT32_MAX);
    for (uint32_t y = 0; y < E->nduties; y++) {
        const rd_decl *duty = E->duties[y];
        if (!rd_flow_duty_fires_on(V->g, duty, d)) continue;
        if (how == ACQ_PERMIT) continue;
        rd_bdd early = rd_bdd_and(m, when, duty_applies(V, duty, a));
        if (duty->u.duty.notice && duty->u.duty.notice->decl)
            early = rd_bdd_andnot(m, early, vs_get(out, KEY(SP_KN, duty->u.duty.notice->decl->index)));
        vs_or(m, out, KEY(SP_U, y * nact(E) + slot), early, &E->V->nomem);
    }
    for (uint32_t q = 0; q < E->nprops; q++) {
        prop *P = &E->props[q];
        if (!P->data || !P->data[d]) continue;
        if (P->pr->kind == RD_P_NEVER_RECORD && how == ACQ_COLLECT) fail(E, q, node, when, d, a);
        if (P->pr->kind == RD_P_NEVER_REACHES && how != ACQ_PERMIT) {
            rd_bdd in = a == RD_PROVIDER ? P->provider_in : P->actor[a] ? RD_BDD_TRUE : RD_BDD_FALSE;
            fail(E, q, node, rd_bdd_and(m, when, in), d, a);
        }
    }
}

/* A flow to actor r at node n under `when`: implicit flows of protected data by control. */
static void flow_to(engine *E, const vstate *in, uint32_t node, uint32_t r, rd_bdd when)
{
    /* the state's taint bits sit together, sorted by key */
    uint32_t lo = 0, hi = in->n;
    while (lo < hi) {
        uint32_t mid = (lo + hi) / 2;
        if (in->b[mid].key < KEY(SP_P, 0)) lo = mid + 1;
        else hi = mid;
    }
    for (uint32_t i = lo; i < in->n && SPACE(in->b[i].key) == SP_P; i++) {
        uint32_t t = in->b[i].key & 0xFFFFFFu;
        prop *P = &E->props[E->taints[t].prop];
        if (!P->actor[r]) continue;
        fail(E, E->taints[t].prop, node, rd_bdd_and(E->V->m, when, in->b[i].v), UINT32_MAX, r); /* when is within R */
    }
}

/* A share or referral of data (UINT32_MAX: the referral itself) to r: consent checks. */
static void consent_checks(engine *E, const vstate *in, uint32_t node, uint32_t d, uint32_t r, int is_refer)
{
    verifier *V = E->V;
    rd_bdd R = vs_get(in, KEY(SP_R, 0));
    for (uint32_t q = 0; q < E->nprops; q++) {
        prop *P = &E->props[q];
        int share = P->pr->kind == RD_P_SHARE_CONSENT && d != UINT32_MAX && P->data[d];
        int refer = P->pr->kind == RD_P_REFER_CONSENT && is_refer && d == UINT32_MAX && P->actor[r];
        if (!share && !refer) continue;
        uint32_t set = consent_set(E, d, r);
        rd_bdd bad = rd_bdd_andnot(V->m, R, vs_get(in, KEY(SP_K, set)));
        bad = rd_bdd_andnot(V->m, bad, permitted(E, d, r));
        fail(E, q, node, bad, d, r);
    }
}

/* The effect of node n on state `in`, before its edges' guards: written to `out`. */
static void visit(engine *E, uint32_t n, const vstate *in, vstate *out)
{
    verifier *V = E->V;
    rd_graph *g = V->g;
    rd_bdd_mgr *m = V->m;
    const rd_gnode *node = &g->nodes[n];
    rd_bdd R = vs_get(in, KEY(SP_R, 0));
    vs_copy(out, in, &E->V->nomem);
    switch (node->kind) {
    case RD_N_ASK:
    case RD_N_RECORD:
        for (uint32_t i = 0; i < node->ndata; i++) acquire(E, out, n, node->performer, node->data[i], R, ACQ_COLLECT);
        break;
    case RD_N_INFORM:
        if (node->subject) vs_put(out, KEY(SP_KN, node->subject->index), RD_BDD_TRUE, &E->V->nomem);
        break;
    case RD_N_REFER:
    case RD_N_SHARE:
        for (uint32_t j = 0; j < node->nto; j++) {
            uint32_t r = node->to[j];
            flow_to(E, in, n, r, R);
            if (node->kind == RD_N_REFER) consent_checks(E, in, n, UINT32_MAX, r, 1);
            for (uint32_t i = 0; i < node->ndata; i++) {
                consent_checks(E, in, n, node->data[i], r, node->kind == RD_N_REFER);
                acquire(E, out, n, r, node->data[i], R, ACQ_FLOW);
            }
        }
        break;
    case RD_N_DUTY: {
        const rd_decl *duty = node->subject;
        uint32_t slot = actor_slot(E, node->performer), pslot = g->nactors;
        rd_bdd fires = rd_bdd_and(m, rd_bdd_and(m, R, cond_true(V, duty->u.duty.when)), duty_applies(V, duty, node->performer));
        /* Where she opened the case at this actor, what "the provider" holds, it holds. */
        rd_bdd is_here = node->performer == RD_PROVIDER ? RD_BDD_TRUE : provider_is(V, node->performer);
        rd_bdd early_u = rd_bdd_or(m, vs_get(in, KEY(SP_U, duty->index * nact(E) + slot)),
                                   node->performer == RD_PROVIDER ? RD_BDD_FALSE
                                       : rd_bdd_and(m, is_here, vs_get(in, KEY(SP_U, duty->index * nact(E) + pslot))));
        /* And the other way round: at the provider, what the actor she opened the case at holds
         * by name (sent to it by a share, say), the provider holds. */
        if (node->performer == RD_PROVIDER)
            for (uint32_t c = 0; c < g->nactors; c++)
                if (E->candidate[c] && rd_flow_actor_in(g, c, duty->u.duty.applies))
                    early_u = rd_bdd_or(m, early_u, rd_bdd_and(m, provider_is(V, c), vs_get(in, KEY(SP_U, duty->index * nact(E) + c))));
        for (uint32_t i = 0; i < node->ndata; i++) {
            rd_bdd held = vs_get(in, KEY(SP_H, slot * g->ndata + node->data[i]));
            if (node->performer != RD_PROVIDER) {
                held = rd_bdd_or(m, held, rd_bdd_and(m, is_here, vs_get(in, KEY(SP_H, pslot * g->ndata + node->data[i]))));
            } else {
                for (uint32_t c = 0; c < g->nactors; c++)
                    if (E->candidate[c] && E->pair[(size_t)c * g->ndata + node->data[i]])
                        held = rd_bdd_or(m, held, rd_bdd_and(m, provider_is(V, c), vs_get(in, KEY(SP_H, c * g->ndata + node->data[i]))));
            }
            fires = rd_bdd_and(m, fires, held);
        }
        if (fires == RD_BDD_FALSE) break;
        for (uint32_t q = 0; q < E->nprops; q++) {
            if (E->props[q].pr->kind != RD_P_REPORT_NOTICE) continue;
            fail(E, q, n, duty->u.duty.notice ? rd_bdd_and(m, fires, early_u) : fires, UINT32_MAX, node->performer);
        }
        for (uint32_t q = 0; q < E->nprops; q++) {
            prop *P = &E->props[q];
            if (P->pr->kind != RD_P_NEVER_REACHES || !reads_fact(duty->u.duty.when, P->tfact, 0)) continue;
            for (uint32_t j = 0; j < node->nto; j++)
                if (P->actor[node->to[j]]) fail(E, q, n, fires, UINT32_MAX, node->to[j]);
        }
        for (uint32_t j = 0; j < node->nto; j++) {
            flow_to(E, in, n, node->to[j], fires);
            for (uint32_t i = 0; i < node->ndata; i++) acquire(E, out, n, node->to[j], node->data[i], fires, ACQ_FLOW);
        }
        break;
    }
    case RD_N_STEP:
        /* Handing the case over to a step another actor performs tells that actor about it. */
        if (node->performer != RD_PROVIDER) flow_to(E, in, n, node->performer, R);
        /* A permit can be used at any step while its condition holds. */
        for (uint32_t pi = 0; pi < E->npermits; pi++) {
            const rd_decl *d = E->permits[pi];
            rd_bdd when = rd_bdd_and(m, R, cond_true(V, d->u.flow.when));
            if (when == RD_BDD_FALSE) continue;
            for (uint32_t a = 0; a < g->nactors; a++) {
                if (!rd_flow_actor_in(g, a, d->u.flow.with)) continue;
                for (const rd_ref *x = d->u.flow.shares; x; x = x->next)
                    if (x->decl) {
                        acquire(E, out, n, a, x->decl->index, when, ACQ_PERMIT);
                        note_holding(E, n, a, x->decl->index, when, RD_HOLD_PERMIT, E->nduties + pi);
                    }
            }
        }
        break;
    case RD_N_BRANCH:
        for (uint32_t i = E->taint_at_start[n]; i < E->taint_at_start[n + 1]; i++) vs_put(out, KEY(SP_P, E->taint_at[i]), RD_BDD_TRUE, &E->V->nomem);
        break;
    default: break;
    }
}

/* The guard of edge e: where it can be taken. Computed once per edge. */
static rd_bdd guard(engine *E, const rd_gedge *e)
{
    verifier *V = E->V;
    uint32_t i = (uint32_t)(e - V->g->edges);
    if (E->guard_done[i]) return E->edge_guard[i];
    const rd_gnode *from = &V->g->nodes[e->from];
    rd_bdd gd;
    switch (e->kind) {
    case RD_G_TRUE: gd = cond_true(V, from->cond); break;
    case RD_G_FALSE: gd = rd_bdd_not(V->m, cond_true(V, from->cond)); break;
    case RD_G_GRANTED: gd = from->subject ? rd_bdd_var(V->m, V->consent_var[from->subject->index]) : RD_BDD_TRUE; break;
    case RD_G_REFUSED: gd = from->subject ? rd_bdd_nvar(V->m, V->consent_var[from->subject->index]) : RD_BDD_TRUE; break;
    default: gd = RD_BDD_TRUE;
    }
    E->edge_guard[i] = gd;
    E->guard_done[i] = 1;
    return gd;
}

/* State `base` sent along edge e: narrowed by its guard, with what taking it establishes. Only R
 * changes; the other bits are relative to it. */
static void along(engine *E, const rd_gedge *e, const vstate *base, vstate *out)
{
    verifier *V = E->V;
    rd_bdd gd = guard(E, e);
    rd_bdd R = rd_bdd_and(V->m, R_of(base), gd);
    out->n = 0;
    if (R == RD_BDD_FALSE) return;
    for (uint32_t i = 0; i < base->n; i++) {
        rd_bdd rel = base->b[i].v;
        if (base->b[i].key == KEY(SP_R, 0)) rel = R;
        /* A replay follows one valuation, and tells states apart by which bits they hold. */
        else if (E->witness && rel != RD_BDD_TRUE) rel = rd_bdd_and(V->m, R, rel) == RD_BDD_FALSE ? RD_BDD_FALSE : RD_BDD_TRUE;
        if (rel != RD_BDD_FALSE) vs_put(out, base->b[i].key, rel, &E->V->nomem);
    }
    const rd_gnode *from = &V->g->nodes[e->from];
    if (e->kind == RD_G_GRANTED && from->subject) {
        uint32_t c = from->subject->index;
        for (uint32_t i = 0; i < E->nsets_of_consent[c]; i++) vs_put(out, KEY(SP_K, E->sets_of_consent[c][i]), RD_BDD_TRUE, &E->V->nomem);
    }
    /* Control no longer depends on a branch once its post-dominator is reached. */
    for (uint32_t i = E->clear_at_start[e->to]; i < E->clear_at_start[e->to + 1]; i++)
        vs_put(out, KEY(SP_P, E->clear_at[i]), RD_BDD_FALSE, &E->V->nomem);
}

/* Joins `in` into the stored state of a node; returns 1 when it grew. Must bits are joined through
 * their complement: a path that reaches without them takes them away. Bits are relative to R (see
 * the top); two equal relative bits join to themselves. */
static int join(engine *E, vstate *st, const vstate *in)
{
    rd_bdd_mgr *m = E->V->m;
    rd_bdd R_old = R_of(st), R_in = R_of(in);
    if (R_old == RD_BDD_FALSE) {
        /* first arrival: the state is what arrives */
        if (R_in == RD_BDD_FALSE) return 0;
        if (vs_copy(st, in, &E->V->nomem) != 0) E->V->budget_hit = 1;
        return 1;
    }
    rd_bdd R_new = rd_bdd_or(m, R_old, R_in);
    vstate next = {0};
    uint32_t i = 0, j = 0;
    int grew = R_new != R_old;
    while (i < st->n || j < in->n) {
        uint32_t ki = i < st->n ? st->b[i].key : UINT32_MAX, kj = j < in->n ? in->b[j].key : UINT32_MAX;
        uint32_t k = ki < kj ? ki : kj;
        rd_bdd a = ki == k ? st->b[i++].v : RD_BDD_FALSE, b = kj == k ? in->b[j++].v : RD_BDD_FALSE;
        rd_bdd v;
        if (k == KEY(SP_R, 0)) {
            v = R_new;
        } else if (a == b) {
            v = a;
        } else {
            rd_bdd abs_old = rd_bdd_and(m, R_old, a), abs_new;
            if (IS_MUST(k)) {
                rd_bdd ng = rd_bdd_or(m, rd_bdd_andnot(m, R_old, a), rd_bdd_andnot(m, R_in, b));
                abs_new = rd_bdd_andnot(m, R_new, ng);
            } else {
                abs_new = rd_bdd_or(m, abs_old, rd_bdd_and(m, R_in, b));
            }
            if (abs_new != abs_old) grew = 1;
            /* `a` is relative to R_old: it still says the same only while R is unchanged (a must
             * bit kept where the case arrives without it would otherwise spread to every way here) */
            v = abs_new == R_new ? RD_BDD_TRUE : abs_new == abs_old && R_new == R_old ? a : abs_new;
        }
        if (vs_put(&next, k, v, &E->V->nomem) != 0) E->V->budget_hit = 1;
    }
    vs_free(st);
    *st = next;
    return grew;
}

/* ---- post-dominators (Cooper, Harvey and Kennedy, on the reversed graph) ---------------------- */

uint32_t *rd_verify_post_dominators(const rd_graph *g)
{
    uint32_t n = g->nnodes, exit = n;
    uint32_t *ipdom = malloc((n + 1) * sizeof *ipdom), *po = malloc((n + 1) * sizeof *po);
    uint32_t *order = malloc((n + 1) * sizeof *order), *pred_start = calloc(n + 2, sizeof *pred_start);
    uint32_t *preds = malloc((g->nedges + n + 1) * sizeof *preds);
    uint32_t *stack = malloc((n + 1) * sizeof *stack), *iter = calloc(n + 1, sizeof *iter);
    if (!ipdom || !po || !order || !pred_start || !preds || !stack || !iter) goto fail;
    /* predecessors in the original graph = successors in the reversed one; END nodes feed `exit` */
    for (uint32_t e = 0; e < g->nedges; e++) pred_start[g->edges[e].to + 1]++;
    for (uint32_t i = 0; i < n; i++)
        if (g->nodes[i].nout == 0) pred_start[exit + 1]++;
    for (uint32_t i = 0; i < n + 1; i++) pred_start[i + 1] += pred_start[i];
    uint32_t *fill = calloc(n + 1, sizeof *fill);
    if (!fill) goto fail;
    for (uint32_t e = 0; e < g->nedges; e++) preds[pred_start[g->edges[e].to] + fill[g->edges[e].to]++] = g->edges[e].from;
    for (uint32_t i = 0; i < n; i++)
        if (g->nodes[i].nout == 0) preds[pred_start[exit] + fill[exit]++] = i;
    free(fill);
    /* depth-first from exit over reversed edges, numbering in postorder */
    for (uint32_t i = 0; i <= n; i++) po[i] = UINT32_MAX, ipdom[i] = UINT32_MAX;
    uint32_t sp = 0, count = 0;
    stack[sp++] = exit;
    po[exit] = UINT32_MAX - 1; /* on the stack */
    while (sp) {
        uint32_t v = stack[sp - 1];
        if (iter[v] < pred_start[v + 1] - pred_start[v]) {
            uint32_t w = preds[pred_start[v] + iter[v]++];
            if (po[w] == UINT32_MAX) {
                po[w] = UINT32_MAX - 1;
                stack[sp++] = w;
            }
        } else {
            sp--;
            po[v] = count;
            order[count++] = v;
        }
    }
    ipdom[exit] = exit;
    for (int changed = 1; changed;) {
        changed = 0;
        for (uint32_t k = count; k-- > 0;) {
            uint32_t b = order[k];
            if (b == exit) continue;
            uint32_t nd = UINT32_MAX;
            const rd_gnode *node = &g->nodes[b];
            uint32_t nsucc = node->nout ? node->nout : 1;
            for (uint32_t s = 0; s < nsucc; s++) {
                uint32_t x = node->nout ? g->edges[node->first_out + s].to : exit;
                if (ipdom[x] == UINT32_MAX) continue;
                if (nd == UINT32_MAX) {
                    nd = x;
                    continue;
                }
                uint32_t a = x, c = nd;
                while (a != c) {
                    while (po[a] < po[c]) a = ipdom[a];
                    while (po[c] < po[a]) c = ipdom[c];
                }
                nd = a;
            }
            if (nd != UINT32_MAX && ipdom[b] != nd) {
                ipdom[b] = nd;
                changed = 1;
            }
        }
    }
    /* nodes that never reach an end (a loop she never leaves) have no post-dominator */
    for (uint32_t i = 0; i < n; i++)
        if (ipdom[i] == UINT32_MAX) ipdom[i] = exit;
    free(po);
    free(order);
    free(pred_start);
    free(preds);
    free(stack);
    free(iter);
    return ipdom;
fail:
    free(ipdom);
    free(po);
    free(order);
    free(pred_start);
    free(preds);
    free(stack);
    free(iter);
    return NULL;
}

/* ---- setting the properties up --------------------------------------------------------------- */

static int reads_fact(const rd_expr *e, const unsigned char *tfact, int depth)
{
    if (!e || depth > RD_MAX_DEPTH) return 0;
    if (e->fact && tfact[e->fact->index]) return 1; /* computed facts are marked when tfact is set up */
    return reads_fact(e->a, tfact, depth + 1) || reads_fact(e->b, tfact, depth + 1);
}


static int setup(engine *E)
{
    verifier *V = E->V;
    rd_graph *g = V->g;
    rd_program *p = V->p;
    rd_arena *a = &p->arena;
    uint32_t nprops = 0;
    for (rd_decl *d = p->decls; d; d = d->next)
        if (d->kind == RD_D_PRINCIPLE && d->u.principle.props) nprops++;
    E->props = rd_arena_alloc(a, (nprops + 1) * sizeof *E->props);
    E->sets_of_consent = calloc(g->nconsents + 1, sizeof *E->sets_of_consent);
    E->nsets_of_consent = calloc(g->nconsents + 1, sizeof *E->nsets_of_consent);
    if (!E->props || !E->sets_of_consent || !E->nsets_of_consent) return -1;
    rd_map_init(&E->set_by_content);
    E->set_cache = rd_arena_alloc(a, (size_t)(g->ndata + 1) * (g->nactors + 1) * sizeof *E->set_cache);
    if (!E->set_cache) return -1;
    uint32_t nd = 0, nn = 0;
    for (rd_decl *d = p->decls; d; d = d->next) {
        if (d->kind == RD_D_DUTY) d->index = nd++;
        if (d->kind == RD_D_NOTICE) d->index = nn++;
    }
    E->duties = rd_arena_alloc(a, (nd + 1) * sizeof *E->duties);
    if (!E->duties) return -1;
    for (rd_decl *d = p->decls; d; d = d->next)
        if (d->kind == RD_D_DUTY) {
            E->duties[E->nduties++] = d;
        }
    E->nnotices = nn;
    V->provider_duty = rd_arena_alloc(a, (nd + 1) * sizeof *V->provider_duty);
    if (!V->provider_duty) return -1;
    for (uint32_t y = 0; y < nd; y++) V->provider_duty[y] = RD_BDD_ONE_UNSET;
    V->nduty_cache = nd;
    for (rd_decl *d = p->decls; d; d = d->next) {
        if (d->kind != RD_D_PRINCIPLE || !d->u.principle.props) continue;
        const rd_prop *pr = d->u.principle.props;
        prop *P = &E->props[E->nprops++];
        P->principle = d;
        P->pr = pr;
        P->warning = d->u.principle.severity && strcmp(d->u.principle.severity->id, "warning") == 0;
        P->data = rd_arena_alloc(a, g->ndata + 1);
        P->actor = rd_arena_alloc(a, g->nactors + 1);
        P->tfact = rd_arena_alloc(a, g->nfacts + 1);
        if (!P->data || !P->actor || !P->tfact) return -1;
        for (uint32_t i = 0; i < g->ndata; i++) P->data[i] = (unsigned char)rd_flow_list_touches(g, pr->data, i);
        P->provider_in = RD_BDD_FALSE;
        for (uint32_t i = 0; i < g->nactors; i++)
            if (rd_flow_actor_in(g, i, pr->targets)) {
                P->actor[i] = 1;
                P->provider_in = rd_bdd_or(V->m, P->provider_in, provider_is(V, i));
            }
        P->unless = pr->unless ? cond_true(V, pr->unless) : RD_BDD_FALSE;
        for (uint32_t i = 0; i < g->nfacts; i++)
            for (const rd_ref *r = g->facts[i]->u.fact.reveals; r; r = r->next)
                if (r->decl && P->data[r->decl->index]) P->tfact[i] = 1;
        /* A computed fact computed from one of those reveals as much. Marked here, to a fixed
         * point, so reads_fact never walks into a computation (chains of them shared by many
         * facts would cost 2^chain). Check limits chains, so this ends quickly. */
        for (int changed = 1; changed;) {
            changed = 0;
            for (uint32_t i = 0; i < g->nfacts; i++)
                if (!P->tfact[i] && g->facts[i]->u.fact.derived && reads_fact(g->facts[i]->u.fact.derived, P->tfact, 0))
                    P->tfact[i] = 1, changed = 1;
        }
    }
    /* Implicit flows: each branch that reads a fact revealing what a `never ... reaches` protects. */
    E->ipdom = rd_verify_post_dominators(g);
    if (!E->ipdom) return -1;
    uint32_t cap = 0;
    for (uint32_t q = 0; q < E->nprops; q++) {
        if (E->props[q].pr->kind != RD_P_NEVER_REACHES) continue;
        for (uint32_t n = 0; n < g->nnodes; n++) {
            if (g->nodes[n].kind != RD_N_BRANCH || !reads_fact(g->nodes[n].cond, E->props[q].tfact, 0)) continue;
            if (E->ntaints == cap) {
                cap = cap ? cap * 2 : 16;
                taint *t = realloc(E->taints, cap * sizeof *t);
                if (!t) return -1;
                E->taints = t;
            }
            E->taints[E->ntaints++] = (taint){q, n, E->ipdom[n]};
        }
    }
    /* Every consent set a share or referral could need, before the fixpoint reads them. */
    for (uint32_t n = 0; n < g->nnodes; n++) {
        const rd_gnode *node = &g->nodes[n];
        if (node->kind != RD_N_SHARE && node->kind != RD_N_REFER) continue;
        for (uint32_t j = 0; j < node->nto; j++) {
            consent_set(E, UINT32_MAX, node->to[j]);
            for (uint32_t i = 0; i < node->ndata; i++) consent_set(E, node->data[i], node->to[j]);
        }
    }
    E->candidate = rd_arena_alloc(a, g->nactors + 1);
    E->pair = rd_arena_alloc(a, (size_t)(g->nactors + 1) * (g->ndata + 1));
    E->permits = rd_arena_alloc(a, (E->V->p->ndecls + 1) * sizeof *E->permits);
    E->edge_guard = rd_arena_alloc(a, (g->nedges + 1) * sizeof *E->edge_guard);
    E->guard_done = rd_arena_alloc(a, g->nedges + 1);
    E->taint_at_start = rd_arena_alloc(a, (g->nnodes + 2) * sizeof *E->taint_at_start);
    E->clear_at_start = rd_arena_alloc(a, (g->nnodes + 2) * sizeof *E->clear_at_start);
    E->taint_at = rd_arena_alloc(a, (E->ntaints + 1) * sizeof *E->taint_at);
    E->clear_at = rd_arena_alloc(a, (E->ntaints + 1) * sizeof *E->clear_at);
    if (!E->candidate || !E->pair || !E->permits || !E->edge_guard || !E->guard_done || !E->taint_at_start ||
        !E->clear_at_start || !E->taint_at || !E->clear_at)
        return -1;
    for (rd_decl *d = p->decls; d; d = d->next)
        if (d->kind == RD_D_PERMIT) E->permits[E->npermits++] = d;
    for (uint32_t y = 0; y < E->nduties; y++)
        for (uint32_t x = 0; x < g->nactors; x++)
            if (rd_flow_actor_in(g, x, E->duties[y]->u.duty.applies))
                for (const rd_ref *r = E->duties[y]->u.duty.reports; r; r = r->next)
                    if (r->decl) E->pair[(size_t)x * g->ndata + r->decl->index] = 1;
    /* taints by the branch that sets them and by the node that clears them (counting sort) */
    for (uint32_t t = 0; t < E->ntaints; t++) {
        E->taint_at_start[E->taints[t].branch + 1]++;
        if (E->taints[t].ipdom < g->nnodes) E->clear_at_start[E->taints[t].ipdom + 1]++;
    }
    for (uint32_t n = 0; n < g->nnodes; n++) {
        E->taint_at_start[n + 1] += E->taint_at_start[n];
        E->clear_at_start[n + 1] += E->clear_at_start[n];
    }
    E->taint_at_start[g->nnodes + 1] = E->taint_at_start[g->nnodes];
    E->clear_at_start[g->nnodes + 1] = E->clear_at_start[g->nnodes];
    {
        uint32_t *ft = calloc(g->nnodes + 1, sizeof *ft), *fc = calloc(g->nnodes + 1, sizeof *fc);
        if (!ft || !fc) {
            free(ft);
            free(fc);
            return -1;
        }
        for (uint32_t t = 0; t < E->ntaints; t++) {
            uint32_t b = E->taints[t].branch, c = E->taints[t].ipdom;
            E->taint_at[E->taint_at_start[b] + ft[b]++] = t;
            if (c < g->nnodes) E->clear_at[E->clear_at_start[c] + fc[c]++] = t;
        }
        free(ft);
        free(fc);
    }
    for (uint32_t i = 0; i < g->npathways; i++)
        for (uint32_t k = 0; k < g->pathways[i].nentry; k++) E->candidate[g->pathways[i].entry[k]] = 1;
    E->state = calloc(g->nnodes + 1, sizeof *E->state);
    return E->state ? 0 : -1;
}

static void teardown(engine *E)
{
    if (E->state)
        for (uint32_t i = 0; i < E->V->g->nnodes; i++) vs_free(&E->state[i]);
    free(E->state);
    for (uint32_t c = 0; E->sets_of_consent && c < E->V->g->nconsents; c++) free(E->sets_of_consent[c]);
    free(E->sets_of_consent);
    free(E->nsets_of_consent);
    free(E->taints);
    free(E->ipdom);
    free(E->spec_reach);
    rd_map_free(&E->set_by_content);
}

/* ---- the forward fixpoint -------------------------------------------------------------------- */

static rd_bdd start_set(verifier *V, const rd_gpathway *pw)
{
    rd_bdd who = RD_BDD_FALSE;
    for (uint32_t i = 0; i < pw->nentry; i++) who = rd_bdd_or(V->m, who, provider_is(V, pw->entry[i]));
    return rd_bdd_and(V->m, V->domain, who);
}

/* Reverse postorder of the graph from the pathways' starts: processing nodes in this order (lowest
 * first) lets each join see all its forward inputs before passing its state on, which keeps
 * revisits, and the transient decision diagrams they build, small. */
static uint32_t *reverse_postorder(rd_graph *g)
{
    uint32_t n = g->nnodes, count = 0, sp = 0;
    uint32_t *rpo = malloc((n + 1) * sizeof *rpo), *stack = malloc((n + 1) * sizeof *stack);
    uint32_t *it = calloc(n + 1, sizeof *it);
    unsigned char *seen = calloc(n + 1, 1);
    if (!rpo || !stack || !it || !seen) {
        free(rpo);
        rpo = NULL;
        goto done;
    }
    for (uint32_t i = 0; i < n; i++) rpo[i] = UINT32_MAX;
    for (uint32_t pw = 0; pw < g->npathways; pw++) {
        uint32_t root = g->pathways[pw].start;
        if (root >= n || seen[root]) continue;
        seen[root] = 1;
        stack[sp++] = root;
        while (sp) {
            uint32_t v = stack[sp - 1];
            if (it[v] < g->nodes[v].nout) {
                uint32_t w = g->edges[g->nodes[v].first_out + it[v]++].to;
                if (!seen[w]) {
                    seen[w] = 1;
                    stack[sp++] = w;
                }
            } else {
                sp--;
                rpo[v] = count++; /* postorder number; turned around below */
            }
        }
    }
    for (uint32_t i = 0; i < n; i++)
        if (rpo[i] != UINT32_MAX) rpo[i] = count - 1 - rpo[i];
done:
    free(stack);
    free(it);
    free(seen);
    return rpo;
}

/* A queue that always hands out the queued node earliest in reverse postorder (a binary heap). */
typedef struct pqueue { uint32_t *heap, n; const uint32_t *prio; unsigned char *queued; } pqueue;

static void pq_push(pqueue *q, uint32_t v)
{
    if (q->queued[v]) return;
    q->queued[v] = 1;
    uint32_t i = q->n++;
    while (i > 0 && q->prio[q->heap[(i - 1) / 2]] > q->prio[v]) {
        q->heap[i] = q->heap[(i - 1) / 2];
        i = (i - 1) / 2;
    }
    q->heap[i] = v;
}

static uint32_t pq_pop(pqueue *q)
{
    uint32_t top = q->heap[0], last = q->heap[--q->n], i = 0;
    for (;;) {
        uint32_t c = 2 * i + 1;
        if (c >= q->n) break;
        if (c + 1 < q->n && q->prio[q->heap[c + 1]] < q->prio[q->heap[c]]) c++;
        if (q->prio[q->heap[c]] >= q->prio[last]) break;
        q->heap[i] = q->heap[c];
        i = c;
    }
    if (q->n) q->heap[i] = last;
    q->queued[top] = 0;
    return top;
}

static int fixpoint(engine *E)
{
    rd_graph *g = E->V->g;
    uint32_t *rpo = reverse_postorder(g);
    pqueue q = {malloc((g->nnodes + 1) * sizeof *q.heap), 0, rpo, calloc(g->nnodes + 1, 1)};
    vstate base = {0}, out = {0};
    int rc = -1;
    if (!rpo || !q.heap || !q.queued) {
        E->V->nomem = 1;
        goto done;
    }
    for (uint32_t i = 0; i < g->npathways; i++) {
        vstate init = {0};
        vs_put(&init, KEY(SP_R, 0), start_set(E->V, &g->pathways[i]), &E->V->nomem);
        uint32_t s = g->pathways[i].start;
        if (join(E, &E->state[s], &init)) pq_push(&q, s);
        vs_free(&init);
    }
    while (q.n && !rd_bdd_overflow(E->V->m) && !E->V->budget_hit && !E->V->nomem) {
        uint32_t n = pq_pop(&q);
        visit(E, n, &E->state[n], &base);
        const rd_gnode *node = &g->nodes[n];
        for (uint32_t e = node->first_out; e < node->first_out + node->nout; e++) {
            along(E, &g->edges[e], &base, &out);
            uint32_t to = g->edges[e].to;
            if (out.n && join(E, &E->state[to], &out)) pq_push(&q, to);
        }
    }
    rc = rd_bdd_overflow(E->V->m) || E->V->budget_hit ? -1 : 0;
done:
    vs_free(&base);
    vs_free(&out);
    free(rpo);
    free(q.heap);
    free(q.queued);
    return rc;
}

/* ---- services reachable (refusals, entries) -------------------------------------------------- */

/* Where node n itself gives her a service of the set: a referral for one (or to a specialist), or
 * a step done by an actor that provides one (or is a specialist). */
static rd_bdd serves(engine *E, uint32_t n, const rd_ref *services)
{
    verifier *V = E->V;
    rd_graph *g = V->g;
    const rd_gnode *node = &g->nodes[n];
    rd_bdd out = RD_BDD_FALSE;
    for (const rd_ref *s = services; s; s = s->next) {
        if (node->kind == RD_N_REFER) {
            if (s->tag == RD_REF_NAME && node->subject == s->decl) return RD_BDD_TRUE;
            for (uint32_t j = 0; j < node->nto; j++)
                if (s->tag == RD_REF_SPECIALIST && g->actors[node->to[j]]->u.actor.specialist) return RD_BDD_TRUE;
        }
        if (node->kind != RD_N_STEP) continue;
        for (uint32_t a = 0; a < g->nactors; a++) {
            if (node->performer != RD_PROVIDER && node->performer != a) continue;
            const rd_decl *actor = g->actors[a];
            int gives = s->tag == RD_REF_SPECIALIST ? actor->u.actor.specialist : 0;
            for (const rd_ref *pv = actor->u.actor.provides; pv && !gives; pv = pv->next) gives = pv->decl == s->decl;
            if (!gives) continue;
            if (node->performer != RD_PROVIDER) return RD_BDD_TRUE;
            out = rd_bdd_or(V->m, out, provider_is(V, a));
        }
    }
    return out;
}

/* W[n]: the valuations from which some path from n reaches a service of the set: a backward
 * worklist from the nodes that serve. Facts keep their guards; consent outcomes do not: a service
 * "stays reachable" when it is still offered, whatever she answers then (asking again for what she
 * refused is caught separately, as coercion). */
static rd_bdd *service_reach(engine *E, const rd_ref *services)
{
    rd_graph *g = E->V->g;
    uint32_t n = g->nnodes;
    rd_bdd *W = calloc(n + 1, sizeof *W);
    uint32_t *pstart = calloc(n + 2, sizeof *pstart), *pedge = malloc((g->nedges + 1) * sizeof *pedge);
    uint32_t *fill = calloc(n + 1, sizeof *fill), *stack = malloc((n + 1) * sizeof *stack), sp = 0;
    unsigned char *queued = calloc(n + 1, 1);
    if (!W || !pstart || !pedge || !fill || !stack || !queued) {
        E->V->nomem = 1;
        free(W);
        W = NULL;
        goto done;
    }
    for (uint32_t e = 0; e < g->nedges; e++) pstart[g->edges[e].to + 1]++;
    for (uint32_t i = 0; i < n; i++) pstart[i + 1] += pstart[i];
    for (uint32_t e = 0; e < g->nedges; e++) pedge[pstart[g->edges[e].to] + fill[g->edges[e].to]++] = e;
    for (uint32_t i = 0; i < n; i++) {
        W[i] = serves(E, i, services);
        if (W[i] != RD_BDD_FALSE) {
            queued[i] = 1;
            stack[sp++] = i;
        }
    }
    while (sp && !rd_bdd_overflow(E->V->m)) {
        uint32_t v = stack[--sp];
        queued[v] = 0;
        for (uint32_t k = pstart[v]; k < pstart[v + 1]; k++) {
            const rd_gedge *e = &g->edges[pedge[k]];
            rd_bdd gd = e->kind == RD_G_GRANTED || e->kind == RD_G_REFUSED ? RD_BDD_TRUE : guard(E, e);
            rd_bdd w = rd_bdd_or(E->V->m, W[e->from], rd_bdd_and(E->V->m, gd, W[v]));
            if (w == W[e->from]) continue;
            W[e->from] = w;
            if (!queued[e->from]) {
                queued[e->from] = 1;
                stack[sp++] = e->from;
            }
        }
    }
done:
    free(pstart);
    free(pedge);
    free(fill);
    free(stack);
    free(queued);
    return W;
}

/* ---- counterexamples ------------------------------------------------------------------------- */

typedef struct wrec {
    uint32_t node, parent, edge; /* edge taken from the parent; UINT32_MAX at a start */
    uint32_t changed;            /* the node changed what someone holds (for duty nodes) */
    vstate st;
} wrec;

/* One member of `set`, as the cube that is exactly that valuation. */
static rd_bdd one_valuation(verifier *V, rd_bdd set)
{
    signed char *v = malloc(V->nvars + 1);
    if (!v) {
        V->nomem = 1;
        return RD_BDD_FALSE;
    }
    rd_bdd cube = RD_BDD_FALSE;
    if (rd_bdd_sat_one(V->m, rd_bdd_and(V->m, set, V->domain), v) == 0) {
        cube = RD_BDD_TRUE;
        for (unsigned i = V->nvars; i-- > 0;)
            cube = rd_bdd_and(V->m, cube, v[i] == 1 ? rd_bdd_var(V->m, i) : rd_bdd_nvar(V->m, i));
    }
    free(v);
    return cube;
}

static uint64_t state_hash(uint32_t node, const vstate *s)
{
    uint64_t h = 1469598103934665603ull ^ node;
    for (uint32_t i = 0; i < s->n; i++) h = (h ^ s->b[i].key) * 1099511628211ull;
    return h;
}

static int same_state(const vstate *a, const vstate *b)
{
    if (a->n != b->n) return 0;
    for (uint32_t i = 0; i < a->n; i++)
        if (a->b[i].key != b->b[i].key) return 0;
    return 1;
}

/* Breadth-first replay under one valuation: the shortest path from a start to `target` on which
 * property q fails there (q == UINT32_MAX: on which `target` is merely reached). Writes the records
 * of the path, start first, to *out (malloc'd) and returns its length; 0 when none was found within
 * the budget. */
static uint32_t witness(engine *E, uint32_t q, uint32_t target, rd_bdd viol, uint32_t **nodes_out, uint32_t **edges_out,
                        unsigned char **changed_out, rd_bdd *valuation)
{
    verifier *V = E->V;
    rd_graph *g = V->g;
    rd_bdd v = one_valuation(V, viol);
    *valuation = v;
    if (v == RD_BDD_FALSE) return 0;
    uint32_t cap = 1024, n = 0, found = UINT32_MAX;
    wrec *rec = malloc(cap * sizeof *rec);
    size_t hcap = 4096;
    uint32_t *table = malloc(hcap * sizeof *table);
    if (!rec || !table) {
        E->V->nomem = 1;
        free(rec);
        free(table);
        return 0;
    }
    for (size_t i = 0; i < hcap; i++) table[i] = UINT32_MAX;
    E->witness = 1;
    E->goal_prop = q;
    E->goal_node = target;
    vstate base = {0}, out = {0};
    /* For a plain way to a node, states that differ only in what they track are the same place. */
    int plain = q == UINT32_MAX;
    const vstate base_empty = {0};
    for (uint32_t pw = 0; pw < g->npathways && n < cap; pw++) {
        rd_bdd init = rd_bdd_and(V->m, v, start_set(V, &g->pathways[pw]));
        if (init == RD_BDD_FALSE) continue;
        rec[n] = (wrec){g->pathways[pw].start, UINT32_MAX, UINT32_MAX, 0, {0}};
        vs_put(&rec[n].st, KEY(SP_R, 0), init, &E->V->nomem);
        n++;
    }
    for (uint32_t i = 0; i < n && found == UINT32_MAX && n < RD_VERIFY_MAX_WITNESS_STATES; i++) {
        E->found = 0;
        visit(E, rec[i].node, &rec[i].st, &base);
        rec[i].changed = base.n != rec[i].st.n;
        if ((q == UINT32_MAX && rec[i].node == target) || (q != UINT32_MAX && E->found)) {
            found = i;
            break;
        }
        const rd_gnode *node = &g->nodes[rec[i].node];
        for (uint32_t e = node->first_out; e < node->first_out + node->nout; e++) {
            along(E, &g->edges[e], &base, &out);
            if (vs_get(&out, KEY(SP_R, 0)) == RD_BDD_FALSE) continue;
            uint32_t to = g->edges[e].to;
            size_t h = (size_t)state_hash(to, plain ? &base_empty : &out) & (hcap - 1);
            int seen = 0;
            while (table[h] != UINT32_MAX) {
                if (rec[table[h]].node == to && (plain || same_state(&rec[table[h]].st, &out))) {
                    seen = 1;
                    break;
                }
                h = (h + 1) & (hcap - 1);
            }
            if (seen) continue;
            if (n == cap) {
                wrec *r2 = realloc(rec, cap * 2 * sizeof *rec);
                if (!r2) break;
                rec = r2;
                cap *= 2;
            }
            if ((n + 1) * 2 > hcap) {
                /* grow and rehash */
                size_t ncap = hcap * 2;
                uint32_t *t2 = malloc(ncap * sizeof *t2);
                if (!t2) break;
                for (size_t k = 0; k < ncap; k++) t2[k] = UINT32_MAX;
                for (uint32_t k = 0; k < n; k++) {
                    size_t hh = (size_t)state_hash(rec[k].node, plain ? &base_empty : &rec[k].st) & (ncap - 1);
                    while (t2[hh] != UINT32_MAX) hh = (hh + 1) & (ncap - 1);
                    t2[hh] = k;
                }
                free(table);
                table = t2;
                hcap = ncap;
                h = (size_t)state_hash(to, plain ? &base_empty : &out) & (hcap - 1);
                while (table[h] != UINT32_MAX) h = (h + 1) & (hcap - 1);
            }
            rec[n] = (wrec){to, i, e, 0, {0}};
            vs_copy(&rec[n].st, &out, &E->V->nomem);
            table[h] = n++;
        }
    }
    E->witness = 0;
    uint32_t len = 0;
    if (found != UINT32_MAX) {
        for (uint32_t i = found; i != UINT32_MAX; i = rec[i].parent) len++;
        *nodes_out = malloc(len * sizeof **nodes_out);
        *edges_out = malloc(len * sizeof **edges_out);
        *changed_out = malloc(len);
        if (*nodes_out && *edges_out && *changed_out) {
            uint32_t k = len;
            for (uint32_t i = found; i != UINT32_MAX; i = rec[i].parent) {
                k--;
                (*nodes_out)[k] = rec[i].node;
                (*edges_out)[k] = rec[i].edge;
                (*changed_out)[k] = (unsigned char)rec[i].changed;
            }
        } else {
            len = 0;
        }
    }
    for (uint32_t i = 0; i < n; i++) vs_free(&rec[i].st);
    vs_free(&base);
    vs_free(&out);
    free(rec);
    free(table);
    return len;
}

/* The words for one step of a counterexample: the node, and the decision taken to leave the
 * previous one. */
static const char *edge_words(verifier *V, const rd_gedge *e, rd_bdd v)
{
    rd_program *p = V->p;
    const rd_gnode *from = &V->g->nodes[e->from];
    const char *step = from->step ? from->step->id : "";
    switch (e->kind) {
    case RD_G_TRUE: return rd_arena_printf(&p->arena, "%s: %s", step, rd_expr_text(p, from->cond));
    case RD_G_FALSE: {
        /* The else arm runs both when the condition is false and when it is unknown: say which. */
        rd_bdd t, f;
        cond_sets(V, from->cond, &t, &f);
        if (rd_bdd_and(V->m, v, f) == RD_BDD_FALSE) {
            const rd_expr *c = from->cond && from->cond->kind == RD_E_NOT ? from->cond->a : from->cond;
            return rd_arena_printf(&p->arena, "%s: not known whether %s (she did not say, or was not asked)", step,
                                   rd_expr_text(p, c));
        }
    }
        if (from->cond && from->cond->kind == RD_E_NOT)
            return rd_arena_printf(&p->arena, "%s: %s", step, rd_expr_text(p, from->cond->a));
        if (from->cond && (from->cond->kind == RD_E_NAME || from->cond->kind == RD_E_KNOWN))
            return rd_arena_printf(&p->arena, "%s: not %s", step, rd_expr_text(p, from->cond));
        return rd_arena_printf(&p->arena, "%s: not (%s)", step, rd_expr_text(p, from->cond));
    case RD_G_SKIP: return NULL;
    case RD_G_GRANTED: return rd_arena_printf(&p->arena, "%s granted", from->subject ? from->subject->id : "?");
    case RD_G_REFUSED: return rd_arena_printf(&p->arena, "%s refused", from->subject ? from->subject->id : "?");
    case RD_G_OPTION: return rd_arena_printf(&p->arena, "she chooses %s", e->option ? e->option->id : "?");
    default: return NULL;
    }
}

/* Turns a replayed path into the steps a committee reads: where each step starts, every decision,
 * every flow of data, and the failing node last. */
static void attach_path(engine *E, rd_diagnostic *g, const uint32_t *nodes, const uint32_t *edges,
                        const unsigned char *changed, uint32_t len, const char *extra_last, const char *citation, rd_bdd v)
{
    verifier *V = E->V;
    rd_graph *gr = V->g;
    uint32_t cap = 2 * len + 2, k = 0;
    rd_span *spans = malloc(cap * sizeof *spans);
    const char **texts = malloc(cap * sizeof *texts);
    if (!spans || !texts) {
        E->V->nomem = 1;
        free(spans);
        free(texts);
        return;
    }
    for (uint32_t i = 0; i < len; i++) {
        if (i > 0 && edges[i] != UINT32_MAX) {
            const char *w = edge_words(V, &gr->edges[edges[i]], v);
            if (w) {
                spans[k] = gr->nodes[gr->edges[edges[i]].from].span;
                texts[k++] = w;
            }
        }
        const rd_gnode *node = &gr->nodes[nodes[i]];
        int last = i + 1 == len;
        int show = last || node->kind == RD_N_STEP || node->kind == RD_N_RECORD || node->kind == RD_N_REFER ||
                   node->kind == RD_N_SHARE || node->kind == RD_N_INFORM || node->kind == RD_N_ASK ||
                   (node->kind == RD_N_DUTY && changed[i]);
        if (!show) continue;
        spans[k] = node->span;
        texts[k++] = rd_graph_node_text(gr, V->p, nodes[i]);
    }
    if (extra_last) {
        spans[k] = (rd_span){0, 0, 0, 0, 0};
        texts[k++] = extra_last;
    }
    rd_diag_set_path(V->d, &V->p->sources, g, spans, texts, k, citation);
    free(spans);
    free(texts);
}

/* ---- reporting ------------------------------------------------------------------------------- */

static const rd_decl *waiver_for(verifier *V, const rd_decl *principle, const rd_step *st)
{
    if (!st) return NULL;
    for (rd_decl *w = V->p->decls; w; w = w->next) {
        if (w->kind != RD_D_WAIVE || !w->u.waive.principle || w->u.waive.principle->decl != principle) continue;
        const rd_ref *s = w->u.waive.step;
        if (!s) continue;
        if (s->sub ? (s->id == st->pathway->id && s->sub == st->id) : s->id == st->id) return w;
    }
    return NULL;
}

static const char *actor_words(verifier *V, uint32_t a)
{
    if (a == RD_PROVIDER) return "the provider";
    const rd_decl *d = V->g->actors[a];
    return rd_arena_printf(&V->p->arena, "`%s` (%s)", d->id, d->label ? d->label : d->id);
}

static const char *data_words(verifier *V, uint32_t d)
{
    return d == UINT32_MAX ? "" : V->g->data[d]->id;
}

/* The message and default help for a failure of property P at node n. */
static void describe(engine *E, const prop *P, uint32_t n, const char **msg, const char **help)
{
    verifier *V = E->V;
    rd_arena *a = &V->p->arena;
    const rd_gnode *node = &V->g->nodes[n];
    uint32_t d = P->vdata[n], r = P->vactor[n];
    switch (P->pr->kind) {
    case RD_P_NEVER_REACHES:
        if (d == UINT32_MAX) {
            *msg = rd_arena_printf(a, "what reaches %s depends on a fact that reveals what `%s` protects",
                                   actor_words(V, r), P->principle->id);
            *help = "decide this without that fact, or do not ask it: choosing whom to contact by her status tells them her status";
        } else if (node->kind == RD_N_DUTY) {
            /* a duty placed after what the provider records fires at the provider, whoever she is */
            const char *from = node->performer == RD_PROVIDER ? "provider" : V->g->actors[node->performer]->id;
            *msg = rd_arena_printf(a, "`%s` can reach %s: duty `%s` reports it there from `%s`", data_words(V, d),
                                   actor_words(V, r), node->subject->id, from);
            *help = rd_arena_printf(a, "make sure `%s` never holds `%s`: do not record it there or share it, or what reveals it, with them; or narrow the duty",
                                    from, data_words(V, d));
        } else if (node->kind == RD_N_RECORD || node->kind == RD_N_ASK) {
            *msg = node->kind == RD_N_ASK
                ? rd_arena_printf(a, "asking `%s` tells %s `%s`", node->stmt->names->id, actor_words(V, r), data_words(V, d))
                : rd_arena_printf(a, "%s records `%s`", actor_words(V, r), data_words(V, d));
            *help = rd_arena_printf(a, "%s must not collect `%s`: leave it out of this step", actor_words(V, r), data_words(V, d));
        } else {
            *msg = rd_arena_printf(a, "`%s` can reach %s", data_words(V, d), actor_words(V, r));
            *help = rd_arena_printf(a, "do not share `%s` with %s here", data_words(V, d), actor_words(V, r));
        }
        return;
    case RD_P_NEVER_RECORD:
        *msg = node->kind == RD_N_ASK
            ? rd_arena_printf(a, "asking `%s` records `%s` at %s", node->stmt->names->id, data_words(V, d), actor_words(V, r))
            : rd_arena_printf(a, "%s records `%s`", actor_words(V, r), data_words(V, d));
        *help = node->kind == RD_N_ASK ? "do not ask this question: its answer reveals what must not be collected"
                                       : rd_arena_printf(a, "remove `%s` from what is recorded here", data_words(V, d));
        return;
    case RD_P_SHARE_CONSENT:
        *msg = rd_arena_printf(a, "`%s` goes to %s without her consent", data_words(V, d), actor_words(V, r));
        *help = rd_arena_printf(a, "on every way here, first `seek` a consent that shares `%s` with `%s`, and share only in its `granted` branch",
                                data_words(V, d), r == RD_PROVIDER ? "provider" : V->g->actors[r]->id);
        return;
    case RD_P_REFER_CONSENT:
        *msg = rd_arena_printf(a, "she is referred to %s without her consent", actor_words(V, r));
        *help = "refer only in the `granted` branch of a `seek` whose consent names this recipient";
        return;
    case RD_P_REPORT_NOTICE: {
        const rd_decl *duty = node->subject;
        if (!duty->u.duty.notice) {
            *msg = rd_arena_printf(a, "duty `%s` can fire, and it has no notice to tell her about it first", duty->id);
            *help = "give the duty a `notice` and `inform` it before she discloses (000 \"Mandatory reporting\")";
        } else {
            *msg = rd_arena_printf(a, "duty `%s` can fire at %s before she was told about it", duty->id, actor_words(V, r));
            *help = rd_arena_printf(a, "`inform %s` before the step where %s learns what is reported, so she can decide what to disclose (000 \"Mandatory reporting\")",
                                    duty->u.duty.notice->id, actor_words(V, r));
        }
        return;
    }
    default:
        *msg = "fails";
        *help = NULL;
    }
}

/* Reports one failure: at its node, with its counterexample, or as waived. Returns 1 when it
 * counts as an error. */
static int report(engine *E, const prop *P, uint32_t q, uint32_t n, rd_bdd viol, const char *msg, const char *help,
                  uint32_t witness_prop, const char *extra_last)
{
    verifier *V = E->V;
    const rd_gnode *node = &V->g->nodes[n];
    const char *own_help = rd_field_get(P->principle, "help");
    const char *citation = rd_field_get(P->principle, "source");
    const rd_decl *w = waiver_for(V, P->principle, node->step);
    rd_severity sev = w ? RD_SEV_NOTE : P->warning ? RD_SEV_WARNING : RD_SEV_ERROR;
    if (w) msg = rd_arena_printf(&V->p->arena, "waived: %s (because %s)", msg, w->u.waive.because);
    rd_diagnostic *g = rd_diag_at(V->d, &V->p->sources, sev, P->principle->id, node->span, own_help ? own_help : help,
                                  "%s", msg);
    uint32_t *nodes = NULL, *edges = NULL;
    unsigned char *changed = NULL;
    rd_bdd v = RD_BDD_FALSE;
    uint32_t len = witness(E, witness_prop, n, viol, &nodes, &edges, &changed, &v);
    if (!len && witness_prop != UINT32_MAX) {
        /* Past the replay's budget: show the shortest way there under the same case instead. */
        free(nodes);
        free(edges);
        free(changed);
        nodes = edges = NULL;
        changed = NULL;
        len = witness(E, UINT32_MAX, n, viol, &nodes, &edges, &changed, &v);
    }
    if (len) attach_path(E, g, nodes, edges, changed, len, extra_last, citation, v);
    else rd_diag_set_path(V->d, &V->p->sources, g, NULL, NULL, 0, citation);
    free(nodes);
    free(edges);
    free(changed);
    (void)q;
    return sev == RD_SEV_ERROR;
}

static int report_flow_props(engine *E)
{
    int errors = 0;
    for (uint32_t q = 0; q < E->nprops; q++) {
        prop *P = &E->props[q];
        uint32_t shown = 0;
        for (uint32_t i = 0; i < P->norder; i++) {
            uint32_t n = P->order[i];
            if (shown == RD_VERIFY_MAX_REPORTS) {
                rd_diag_at(E->V->d, &E->V->p->sources, RD_SEV_NOTE, P->principle->id, P->principle->id_span, NULL,
                           "principle `%s` also fails at %u more places", P->principle->id, P->norder - shown);
                break;
            }
            const char *msg, *help;
            describe(E, P, n, &msg, &help);
            errors += report(E, P, q, n, P->viol[n], msg, help, q, NULL);
            shown++;
        }
    }
    return errors;
}

/* For consent c: the nodes from which the case can end without seeking c again (1), found backward
 * from every end with c's seek nodes as walls. A refusal whose way on cannot escape only asks her
 * again (or loops, which the cycle check reports). One pass per consent, not one per refusal. */
static unsigned char *escapes_without(rd_graph *g, const rd_decl *c)
{
    uint32_t n = g->nnodes;
    unsigned char *esc = calloc(n + 1, 1);
    uint32_t *pstart = calloc(n + 2, sizeof *pstart), *pfrom = malloc((g->nedges + 1) * sizeof *pfrom);
    uint32_t *fill = calloc(n + 1, sizeof *fill), *stack = malloc((n + 1) * sizeof *stack), sp = 0;
    if (!esc || !pstart || !pfrom || !fill || !stack) {
        free(esc);
        esc = NULL;
        goto done;
    }
    for (uint32_t e = 0; e < g->nedges; e++) pstart[g->edges[e].to + 1]++;
    for (uint32_t i = 0; i < n; i++) pstart[i + 1] += pstart[i];
    for (uint32_t e = 0; e < g->nedges; e++) pfrom[pstart[g->edges[e].to] + fill[g->edges[e].to]++] = g->edges[e].from;
    for (uint32_t i = 0; i < n; i++)
        if (g->nodes[i].nout == 0) {
            esc[i] = 1;
            stack[sp++] = i;
        }
    while (sp) {
        uint32_t v = stack[--sp];
        for (uint32_t k = pstart[v]; k < pstart[v + 1]; k++) {
            uint32_t u = pfrom[k];
            if (esc[u] || (g->nodes[u].kind == RD_N_SEEK && g->nodes[u].subject == c)) continue;
            esc[u] = 1;
            stack[sp++] = u;
        }
    }
done:
    free(pstart);
    free(pfrom);
    free(fill);
    free(stack);
    return esc;
}

/* `never D reaches T` for permits: a permit whose recipients are in T and whose data is protected
 * lets the data reach them whenever its condition holds at some step; reported once, at the permit. */
static int check_permits(engine *E)
{
    verifier *V = E->V;
    rd_graph *g = V->g;
    int errors = 0;
    rd_bdd at_steps = RD_BDD_FALSE;
    for (uint32_t n = 0; n < g->nnodes; n++)
        if (g->nodes[n].kind == RD_N_STEP) at_steps = rd_bdd_or(V->m, at_steps, vs_get(&E->state[n], KEY(SP_R, 0)));
    for (uint32_t q = 0; q < E->nprops; q++) {
        prop *P = &E->props[q];
        if (P->pr->kind != RD_P_NEVER_REACHES) continue;
        for (rd_decl *d = V->p->decls; d; d = d->next) {
            if (d->kind != RD_D_PERMIT) continue;
            rd_bdd when = rd_bdd_andnot(V->m, rd_bdd_and(V->m, at_steps, cond_true(V, d->u.flow.when)), P->unless);
            if (when == RD_BDD_FALSE) continue;
            uint32_t who = UINT32_MAX, what = UINT32_MAX;
            for (uint32_t a = 0; a < g->nactors && who == UINT32_MAX; a++)
                if (P->actor[a] && rd_flow_actor_in(g, a, d->u.flow.with)) who = a;
            int implicit = reads_fact(d->u.flow.when, P->tfact, 0);
            for (const rd_ref *x = d->u.flow.shares; x && what == UINT32_MAX; x = x->next)
                if (x->decl && P->data[x->decl->index]) what = x->decl->index;
            if (who == UINT32_MAX || (what == UINT32_MAX && !implicit)) continue;
            rd_severity sev = P->warning ? RD_SEV_WARNING : RD_SEV_ERROR;
            const char *cond = rd_expr_text(V->p, d->u.flow.when);
            rd_diagnostic *gd = what != UINT32_MAX
                ? rd_diag_at(V->d, &V->p->sources, sev, P->principle->id, d->id_span,
                             "narrow the permit: leave out that data, or those recipients",
                             "permit `%s` lets `%s` reach %s whenever `%s`", d->id, g->data[what]->id, actor_words(V, who), cond)
                : rd_diag_at(V->d, &V->p->sources, sev, P->principle->id, d->id_span,
                             "a permit's condition must not read her status: whether it is used would tell them",
                             "permit `%s` is used depending on `%s`, which reveals what `%s` protects, and it sends to %s",
                             d->id, cond, P->principle->id, actor_words(V, who));
            rd_diag_set_path(V->d, &V->p->sources, gd, NULL, NULL, 0, rd_field_get(P->principle, "source"));
            errors += sev == RD_SEV_ERROR;
        }
    }
    return errors;
}

/* service_reach for a list of services; the common `specialist` alone is computed once. The result
 * belongs to the engine when shared (*owned 0), else to the caller. */
static rd_bdd *reach_of(engine *E, const rd_ref *services, int *owned)
{
    int spec = services && !services->next && services->tag == RD_REF_SPECIALIST;
    *owned = !spec;
    if (!spec) return service_reach(E, services);
    if (!E->spec_reach) E->spec_reach = service_reach(E, services);
    return E->spec_reach;
}

/* `every refusal reaches S`: from each refused branch, some service of S stays reachable, and she
 * is not simply asked again. */
static int check_refusals(engine *E, prop *P, uint32_t q)
{
    verifier *V = E->V;
    rd_graph *g = V->g;
    int owned;
    rd_bdd *W = reach_of(E, P->pr->services, &owned);
    unsigned char **esc = calloc(g->nconsents + 1, sizeof *esc);
    if (!W || !esc) {
        V->nomem = 1;
        if (owned) free(W);
        free(esc);
        return 0;
    }
    int errors = 0;
    uint32_t shown = 0, more = 0;
    for (uint32_t n = 0; n < g->nnodes; n++) {
        const rd_gnode *node = &g->nodes[n];
        if (node->kind != RD_N_SEEK) continue;
        for (uint32_t e = node->first_out; e < node->first_out + node->nout; e++) {
            if (g->edges[e].kind != RD_G_REFUSED) continue;
            rd_bdd R = vs_get(&E->state[n], KEY(SP_R, 0));
            rd_bdd refused = rd_bdd_andnot(V->m, rd_bdd_and(V->m, R, guard(E, &g->edges[e])), P->unless);
            /* Asking again after a refusal, with no other way on, is pressure, not a choice: a
             * failure even when services lie beyond the next `yes`. */
            int again = 0;
            if (node->subject) {
                uint32_t ci = node->subject->index;
                if (!esc[ci] && !(esc[ci] = escapes_without(g, node->subject))) V->nomem = 1;
                again = esc[ci] && !esc[ci][g->edges[e].to];
            }
            rd_bdd bad = again ? refused : rd_bdd_andnot(V->m, refused, W[g->edges[e].to]);
            if (bad == RD_BDD_FALSE) continue;
            if (shown == RD_VERIFY_MAX_REPORTS) {
                more++;
                continue;
            }
            const char *c = node->subject ? node->subject->id : "?";
            const char *msg = again ? rd_arena_printf(&V->p->arena, "after she refuses `%s`, the procedure only asks her again: no service is offered in between", c)
                                    : rd_arena_printf(&V->p->arena, "after she refuses `%s`, she can no longer reach any of the services this principle requires", c);
            const char *help = again ? "asking again until she agrees is coercion: in `refused { }`, go on to the services she can have without it"
                                     : "in `refused { }`, go on to what she can still have without it (000 \"Right to refuse services\")";
            errors += report(E, P, q, n, bad, msg, help, UINT32_MAX, rd_arena_printf(&V->p->arena, "%s refused", c));
            shown++;
        }
    }
    if (more)
        rd_diag_at(V->d, &V->p->sources, RD_SEV_NOTE, P->principle->id, P->principle->id_span, NULL,
                   "principle `%s` also fails at %u more places", P->principle->id, more);
    for (uint32_t i = 0; i < g->nconsents; i++) free(esc[i]);
    free(esc);
    if (owned) free(W);
    return errors;
}

/* `every entry reaches specialist`: from each door, some path reaches a specialist service. */
static int check_entries(engine *E, prop *P)
{
    verifier *V = E->V;
    rd_graph *g = V->g;
    rd_ref spec = {.tag = RD_REF_SPECIALIST, .id = "specialist"};
    int owned;
    rd_bdd *W = reach_of(E, &spec, &owned);
    if (!W) return 0;
    int errors = 0;
    for (uint32_t i = 0; i < g->npathways; i++) {
        const rd_gpathway *pw = &g->pathways[i];
        for (uint32_t k = 0; k < pw->nentry; k++) {
            rd_bdd here = rd_bdd_and(V->m, rd_bdd_and(V->m, V->domain, provider_is(V, pw->entry[k])), W[pw->start]);
            if (here != RD_BDD_FALSE) continue;
            const rd_decl *w = waiver_for(V, P->principle, g->nodes[pw->start].step);
            rd_severity sev = w ? RD_SEV_NOTE : P->warning ? RD_SEV_WARNING : RD_SEV_ERROR;
            rd_diagnostic *gd = rd_diag_at(V->d, &V->p->sources, sev, P->principle->id, pw->decl->id_span,
                                           "refer her to a specialist service (an actor marked `specialist`) on some way through the pathway",
                                           "a case opened at %s in pathway `%s` can never reach a specialist service",
                                           actor_words(V, pw->entry[k]), pw->decl->id);
            rd_diag_set_path(V->d, &V->p->sources, gd, NULL, NULL, 0, rd_field_get(P->principle, "source"));
            errors += sev == RD_SEV_ERROR;
        }
    }
    if (owned) free(W);
    return errors;
}

/* The language a notice's own text is written in: the SOP's first language for its own notices;
 * the standard library writes its texts in English. */
static const char *inline_language(const rd_program *p, const rd_decl *n)
{
    return n->in_library ? "en" : p->first_language;
}

static int check_translations(engine *E, prop *P)
{
    verifier *V = E->V;
    rd_program *p = V->p;
    if (!p->sop) return 0;
    int errors = 0;
    for (rd_decl *n = p->decls; n; n = n->next) {
        if (n->kind != RD_D_NOTICE || !n->used) continue;
        for (const rd_ref *l = p->sop->u.sop.languages; l; l = l->next) {
            const char *own = inline_language(p, n);
            int has = own && strcmp(own, l->id) == 0;
            for (const rd_text *t = n->texts; t && !has; t = t->next) has = strcmp(t->lang, l->id) == 0;
            if (has) continue;
            rd_severity sev = P->warning ? RD_SEV_WARNING : RD_SEV_ERROR;
            rd_span at = n->in_library ? p->sop->span : n->id_span;
            rd_diagnostic *g = rd_diag_at(V->d, &p->sources, sev, P->principle->id, at,
                                          "add the text to the translations file for that language (language.md section 9)",
                                          "notice `%s` has no text in `%s`, a language this SOP serves", n->id, l->id);
            rd_diag_set_path(V->d, &p->sources, g, NULL, NULL, 0, rd_field_get(P->principle, "source"));
            errors += sev == RD_SEV_ERROR;
        }
    }
    return errors;
}

/* A loop must wait for her (an ask, seek or choose) on every way round, or it could spin forever:
 * with the waiting nodes taken out of the graph, any cycle left is such a loop. Tarjan's strongly
 * connected components, iteratively so deep graphs cannot exhaust the stack. */
static int waits(const rd_gnode *n) { return n->kind == RD_N_ASK || n->kind == RD_N_SEEK || n->kind == RD_N_CHOOSE; }

static int check_cycles(verifier *V)
{
    rd_graph *g = V->g;
    uint32_t n = g->nnodes, idx = 0, sp = 0, csp = 0;
    uint32_t *index = malloc((n + 1) * sizeof *index), *low = malloc((n + 1) * sizeof *low);
    uint32_t *stack = malloc((n + 1) * sizeof *stack), *call = malloc((n + 1) * sizeof *call), *it = calloc(n + 1, sizeof *it);
    unsigned char *on = calloc(n + 1, 1);
    int errors = 0;
    if (!index || !low || !stack || !call || !it || !on) {
        V->nomem = 1;
        goto done;
    }
    for (uint32_t i = 0; i < n; i++) index[i] = UINT32_MAX;
    for (uint32_t root = 0; root < n; root++) {
        if (index[root] != UINT32_MAX || waits(&g->nodes[root])) continue;
        call[csp++] = root;
        index[root] = low[root] = idx++;
        stack[sp++] = root;
        on[root] = 1;
        while (csp) {
            uint32_t v = call[csp - 1];
            const rd_gnode *node = &g->nodes[v];
            if (it[v] < node->nout) {
                uint32_t w = g->edges[node->first_out + it[v]++].to;
                if (waits(&g->nodes[w])) continue;
                if (index[w] == UINT32_MAX) {
                    index[w] = low[w] = idx++;
                    stack[sp++] = w;
                    on[w] = 1;
                    call[csp++] = w;
                } else if (on[w] && index[w] < low[v]) {
                    low[v] = index[w];
                }
                continue;
            }
            csp--;
            if (csp && low[v] < low[call[csp - 1]]) low[call[csp - 1]] = low[v];
            if (low[v] != index[v]) continue;
            uint32_t size = 0, self = 0, first_step = UINT32_MAX;
            uint32_t w;
            do {
                w = stack[--sp];
                on[w] = 0;
                size++;
                if (g->nodes[w].kind == RD_N_STEP && (first_step == UINT32_MAX || w < first_step)) first_step = w;
                for (uint32_t e = g->nodes[w].first_out; e < g->nodes[w].first_out + g->nodes[w].nout; e++)
                    self |= g->edges[e].to == w;
            } while (w != v);
            if (size > 1 || self) {
                uint32_t at = first_step != UINT32_MAX ? first_step : v;
                RD_ERROR(V->p, "endless-loop", g->nodes[at].span,
                         "a loop must come back to her: put an `ask`, `seek` or `choose` in it (a follow-up asks how she is)",
                         "these steps can go round forever without asking her anything, starting at `%s`",
                         g->nodes[at].step ? g->nodes[at].step->id : "?");
                errors++;
            }
        }
    }
done:
    free(index);
    free(low);
    free(stack);
    free(call);
    free(it);
    free(on);
    return errors;
}

/* Principles written as Lua audit checks: each node a check returns is a failure there. */
static int check_audits(engine *E)
{
    verifier *V = E->V;
    int errors = 0;
    for (rd_decl *pd = V->p->decls; pd; pd = pd->next) {
        if (pd->kind != RD_D_PRINCIPLE || !pd->u.principle.lua) continue;
        uint32_t *nodes;
        size_t n;
        char err[512];
        if (rd_audit_run(V->p, V->g, pd, &nodes, &n, err, sizeof err) != 0) {
            RD_ERROR(V->p, "audit-failed", pd->u.principle.lua_span,
                     "fix the check (a Lua error), or remove it from the principle",
                     "the Lua check of principle `%s` could not run: %s", pd->id, err);
            errors++;
            continue;
        }
        prop P = {.principle = pd, .warning = pd->u.principle.severity && strcmp(pd->u.principle.severity->id, "warning") == 0};
        for (size_t i = 0; i < n && i < RD_VERIFY_MAX_REPORTS; i++) {
            rd_bdd R = vs_get(&E->state[nodes[i]], KEY(SP_R, 0));
            const char *msg = rd_arena_printf(&V->p->arena, "the audit check `%s` flags this: %s", pd->u.principle.lua,
                                              pd->label ? pd->label : pd->id);
            errors += report(E, &P, UINT32_MAX, nodes[i], R != RD_BDD_FALSE ? R : V->domain, msg,
                             "see the check's own comments for what it looks for", UINT32_MAX, NULL);
        }
        if (n > RD_VERIFY_MAX_REPORTS)
            rd_diag_at(V->d, &V->p->sources, RD_SEV_NOTE, pd->id, pd->id_span, NULL,
                       "principle `%s` also fails at %zu more places", pd->id, n - RD_VERIFY_MAX_REPORTS);
        free(nodes);
    }
    return errors;
}

int rd_verify_program(rd_program *p, rd_graph *g, rd_diagnostics *d)
{
    verifier V = {.p = p, .g = g, .d = d, .domain = RD_BDD_TRUE};
    rd_diagnostics *saved = p->diags;
    p->diags = d;
    engine E = {0};
    E.V = &V;
    int errors = -1;
    if (encode(&V) != 0 || setup(&E) != 0) {
        rd_diag_set_status(d, RD_ERR_NOMEM);
        goto out;
    }
    errors = check_cycles(&V);
    int fp = fixpoint(&E);
    if (V.nomem || rd_bdd_overflow(V.m) == RD_BDD_NOMEM) {
        rd_diag_set_status(d, RD_ERR_NOMEM); /* a state lost part of itself: no verdict */
        errors = -1;
        goto out;
    }
    if (fp != 0) {
        rd_diag_file(d, RD_SEV_ERROR, "budget", NULL,
                     "simplify the SOP, or split it into several pathways; the limit is RD_VERIFY_MAX_BDD_NODES in compiler/verify.h",
                     "the verifier ran out of its state budget (%u decision-diagram nodes) before exploring every path; "
                     "no principle is proved for this SOP", RD_VERIFY_MAX_BDD_NODES);
        errors = -1;
        goto out;
    }
    errors += report_flow_props(&E);
    errors += check_permits(&E);
    errors += check_audits(&E);
    for (uint32_t q = 0; q < E.nprops; q++) {
        prop *P = &E.props[q];
        if (P->pr->kind == RD_P_REFUSAL_REACHES) errors += check_refusals(&E, P, q);
        if (P->pr->kind == RD_P_ENTRY_SPECIALIST) errors += check_entries(&E, P);
        if (P->pr->kind == RD_P_NOTICE_TRANSLATED) errors += check_translations(&E, P);
    }
    /* Waivers are listed in every report, whether or not they were needed. */
    for (rd_decl *w = p->decls; w; w = w->next)
        if (w->kind == RD_D_WAIVE)
            rd_diag_at(d, &p->sources, RD_SEV_NOTE, "waiver", w->span, NULL, "principle `%s` is waived at step `%s%s%s`: %s",
                    w->u.waive.principle ? w->u.waive.principle->id : "?", w->u.waive.step ? w->u.waive.step->id : "?",
                    w->u.waive.step && w->u.waive.step->sub ? "." : "", w->u.waive.step && w->u.waive.step->sub ? w->u.waive.step->sub : "",
                    w->u.waive.because);
    if (V.nomem || rd_bdd_overflow(V.m) == RD_BDD_NOMEM) {
        rd_diag_set_status(d, RD_ERR_NOMEM); /* some pass could not finish: no verdict stands */
        errors = -1;
    } else if (rd_bdd_overflow(V.m)) {
        rd_diag_file(d, RD_SEV_ERROR, "budget", NULL, "simplify the SOP, or split it into several pathways",
                     "the verifier ran out of its state budget while building counterexamples; results may be incomplete");
        errors = -1;
    }
out:
    teardown(&E);
    rd_bdd_free(V.m);
    p->diags = saved;
    return errors;
}

/* ---- holdings, for `rightdoor diff` --------------------------------------------------------- */

int rd_verify_holdings(rd_program *p, rd_graph *g, rd_holding **out, uint32_t *nout)
{
    verifier V = {.p = p, .g = g, .domain = RD_BDD_TRUE};
    engine E = {0};
    E.V = &V;
    int rc = -1;
    size_t npairs = (size_t)g->nactors * g->ndata;
    *out = NULL;
    *nout = 0;
    if (encode(&V) != 0 || setup(&E) != 0) goto done;
    size_t nk = (size_t)E.nduties + E.npermits;
    E.held = calloc(npairs + 1, sizeof *E.held);
    E.held_sent = calloc(npairs + 1, sizeof *E.held_sent);
    E.held_via = malloc((npairs + 1) * sizeof *E.held_via);
    E.held_how = calloc(npairs + 1, 1);
    E.held_by = calloc(npairs * nk + 1, 1);
    if (!E.held || !E.held_sent || !E.held_via || !E.held_how || !E.held_by) goto done;
    for (size_t i = 0; i < npairs; i++) E.held_via[i] = UINT32_MAX;
    int fp = fixpoint(&E);
    if (V.nomem || rd_bdd_overflow(V.m) == RD_BDD_NOMEM) goto done;
    if (fp != 0) {
        rc = -2;
        goto done;
    }
    uint32_t count = 0;
    for (size_t i = 0; i < npairs; i++) count += E.held[i] != RD_BDD_FALSE;
    rd_holding *h = rd_arena_alloc(&p->arena, (count + 1) * sizeof *h);
    if (!h) goto done;
    uint32_t k = 0;
    for (size_t i = 0; i < npairs; i++) {
        if (E.held[i] == RD_BDD_FALSE) continue;
        rd_holding *x = &h[k++];
        *x = (rd_holding){.actor = (uint32_t)(i / g->ndata), .data = (uint32_t)(i % g->ndata), .how = E.held_how[i], .via = E.held_via[i]};
        x->consents = rd_arena_alloc(&p->arena, (g->nconsents + 1) * sizeof *x->consents);
        x->duties = rd_arena_alloc(&p->arena, (nk + 1) * sizeof *x->duties);
        x->permits = rd_arena_alloc(&p->arena, (nk + 1) * sizeof *x->permits);
        if (!x->consents || !x->duties || !x->permits) goto done;
        /* A consent covers the pair when it is to that actor and shares the data, or data disclosing
         * it. Only shares and referrals ask for one: what an actor records itself, a duty firing and
         * a permit are other ways, each named on its own. */
        rd_bdd sent = E.held_sent[i];
        rd_bdd covered = RD_BDD_FALSE;
        for (uint32_t c = 0; c < g->nconsents; c++) {
            const rd_decl *cd = g->consents[c];
            if (!rd_flow_shares_disclosing(g, cd, x->data) || !rd_flow_actor_in(g, x->actor, cd->u.flow.with)) continue;
            rd_bdd granted = rd_bdd_var(V.m, V.consent_var[c]);
            covered = rd_bdd_or(V.m, covered, granted);
            if (rd_bdd_and(V.m, sent, granted) != RD_BDD_FALSE) x->consents[x->nconsents++] = cd;
        }
        x->consented = sent != RD_BDD_FALSE && covered != RD_BDD_FALSE && rd_bdd_implies(V.m, sent, covered);
        for (size_t j = 0; j < nk; j++)
            if (E.held_by[i * nk + j]) {
                if (j < E.nduties) x->duties[x->nduties++] = E.duties[j];
                else x->permits[x->npermits++] = E.permits[j - E.nduties];
            }
    }
    if (rd_bdd_overflow(V.m)) {
        rc = rd_bdd_overflow(V.m) == RD_BDD_NOMEM ? -1 : -2;
        goto done;
    }
    *out = h;
    *nout = k;
    rc = 0;
done:
    free(E.held);
    free(E.held_sent);
    free(E.held_via);
    free(E.held_how);
    free(E.held_by);
    teardown(&E);
    rd_bdd_free(V.m);
    return rc;
}

/* ---- public entry points --------------------------------------------------------------------- */

rd_status rd_verify(rd_program *p, rd_diagnostics *d)
{
    if (!p || !d) return RD_ERR_NOMEM;
    rd_graph *g = rd_program_graph(p);
    if (!g && p->graph_too_big) {
        rd_graph_too_big(p, d, "nothing is proved");
        return RD_ERR_PROGRAM;
    }
    if (!g) {
        rd_diag_set_status(d, RD_ERR_NOMEM);
        return RD_ERR_NOMEM;
    }
    int errors = rd_verify_program(p, g, d);
    if (rd_diagnostics_status(d) == RD_ERR_NOMEM) return RD_ERR_NOMEM;
    return errors == 0 ? RD_OK : RD_ERR_PROGRAM;
}
