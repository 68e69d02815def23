/* Cases as variables: each fact, consent outcome and the provider gets a few BDD variables, so that
 * "the cases under which this happens" is one decision diagram and a path that needs a fact both
 * true and false is simply the empty set. A condition becomes two such sets, where it is true and
 * where it is false (unknown is in neither). The variable order is chosen here, and it decides
 * how big every diagram of the verifier grows. */
#include "engine.h"
#include "parse.h"
#include <stdlib.h>
#include <string.h>

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

/* Every condition of the program, for gathering the constants an int fact is compared with. */
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

static rd_bdd code_is(verifier *V, const enc *e, uint32_t code)
{
    return rd_bdd_cube(V->m, e->first, e->nbits, code);
}

/* Encodes the program: the codes of each fact (int facts cut by the constants they are compared
 * with), the variables in order of first use, the relations between int facts and the provider;
 * then the decision-diagram manager and the domain. 0, or -1 when out of memory. */
int rd_enc_program(verifier *V)
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
                V->nomem = 1;
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
    if (V->nomem) return -1;
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

/* Where she opened the case at `actor`. */
rd_bdd rd_enc_provider_is(verifier *V, uint32_t actor)
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

/* Where a computed fact is true and where false. Worked out once per fact: a fact read twice by
 * the next, and that one twice by the next, would otherwise cost 2^chain. */
static void derived_sets(verifier *V, const rd_decl *fact, rd_bdd *t, rd_bdd *f)
{
    uint32_t i = fact->index;
    if (!V->derived_done[i]) {
        rd_enc_cond_sets(V, fact->u.fact.derived, &V->derived_t[i], &V->derived_f[i]);
        V->derived_done[i] = 1;
    }
    *t = V->derived_t[i];
    *f = V->derived_f[i];
}

/* Where a condition is true (*t) and where it is false (*f); neither where it is unknown. */
void rd_enc_cond_sets(verifier *V, const rd_expr *x, rd_bdd *t, rd_bdd *f)
{
    rd_bdd_mgr *m = V->m;
    rd_bdd ta, fa, tb, fb;
    switch (x->kind) {
    case RD_E_OR:
        rd_enc_cond_sets(V, x->a, &ta, &fa);
        rd_enc_cond_sets(V, x->b, &tb, &fb);
        *t = rd_bdd_or(m, ta, tb);
        *f = rd_bdd_and(m, fa, fb);
        return;
    case RD_E_AND:
        rd_enc_cond_sets(V, x->a, &ta, &fa);
        rd_enc_cond_sets(V, x->b, &tb, &fb);
        *t = rd_bdd_and(m, ta, tb);
        *f = rd_bdd_or(m, fa, fb);
        return;
    case RD_E_NOT:
        rd_enc_cond_sets(V, x->a, &ta, &fa);
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

/* Where condition x is true; everywhere when there is none. */
rd_bdd rd_enc_cond_true(verifier *V, const rd_expr *x)
{
    if (!x) return RD_BDD_TRUE;
    rd_bdd t, f;
    rd_enc_cond_sets(V, x, &t, &f);
    return t;
}
