/* Counterexamples a committee can check: a failure found on sets of cases is replayed on one case
 * that has it, breadth first, so the path printed is the shortest one that really fails under one
 * consistent case; then it is written out as the steps, decisions and flows a reader follows. */
#include "engine.h"
#include <stdlib.h>

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
uint32_t rd_witness_find(engine *E, uint32_t q, uint32_t target, rd_bdd viol, uint32_t **nodes_out, uint32_t **edges_out,
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
        rd_bdd init = rd_bdd_and(V->m, v, rd_fixpoint_start(V, &g->pathways[pw]));
        if (init == RD_BDD_FALSE) continue;
        rec[n] = (wrec){g->pathways[pw].start, UINT32_MAX, UINT32_MAX, 0, {0}};
        rd_vs_put(&rec[n].st, KEY(SP_R, 0), init, &E->V->nomem);
        n++;
    }
    for (uint32_t i = 0; i < n && found == UINT32_MAX && n < RD_VERIFY_MAX_WITNESS_STATES && !E->V->nomem; i++) {
        E->found = 0;
        rd_transfer_visit(E, rec[i].node, &rec[i].st, &base);
        rec[i].changed = base.n != rec[i].st.n;
        if ((q == UINT32_MAX && rec[i].node == target) || (q != UINT32_MAX && E->found)) {
            found = i;
            break;
        }
        const rd_gnode *node = &g->nodes[rec[i].node];
        for (uint32_t e = node->first_out; e < node->first_out + node->nout; e++) {
            rd_transfer_along(E, &g->edges[e], &base, &out);
            if (rd_vs_get(&out, KEY(SP_R, 0)) == RD_BDD_FALSE) continue;
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
                if (!r2) {
                    E->V->nomem = 1;
                    break;
                }
                rec = r2;
                cap *= 2;
            }
            if ((n + 1) * 2 > hcap) {
                /* grow and rehash */
                size_t ncap = hcap * 2;
                uint32_t *t2 = malloc(ncap * sizeof *t2);
                if (!t2) {
                    E->V->nomem = 1;
                    break;
                }
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
            rd_vs_copy(&rec[n].st, &out, &E->V->nomem);
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
            E->V->nomem = 1;
            len = 0;
        }
    }
    for (uint32_t i = 0; i < n; i++) rd_vs_free(&rec[i].st);
    rd_vs_free(&base);
    rd_vs_free(&out);
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
        rd_enc_cond_sets(V, from->cond, &t, &f);
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
void rd_witness_attach(engine *E, rd_diagnostic *g, const uint32_t *nodes, const uint32_t *edges,
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
    /* a step's text the arena could not hold is NULL: no path then (and no verdict either) */
    if (V->p->arena.failed) V->nomem = 1;
    else rd_diag_set_path(V->d, &V->p->sources, g, spans, texts, k, citation);
    free(spans);
    free(texts);
}
