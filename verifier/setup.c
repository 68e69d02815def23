/* Everything the fixpoint looks up, worked out before it starts: each principle as a property (the
 * data, actors and revealing facts it concerns), the duties and permits in force, the branches
 * whose choice leaks protected data (taints) and the post-dominators where that stops, and every
 * consent set a share or referral can need, so the fixpoint's own work is only on the bits. */
#include "engine.h"
#include "flow.h"
#include "postdom.h"
#include <stdlib.h>
#include <string.h>

/* Sets the engine up for V (encoded already): 0, or -1 when out of memory. */
int rd_setup_engine(engine *E)
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
                P->provider_in = rd_bdd_or(V->m, P->provider_in, rd_enc_provider_is(V, i));
            }
        P->unless = pr->unless ? rd_enc_cond_true(V, pr->unless) : RD_BDD_FALSE;
        rd_flow_taint_facts(g, P->data, P->tfact);
    }
    /* Implicit flows: each branch that reads a fact revealing what a `never ... reaches` protects. */
    E->ipdom = rd_postdom_compute(g);
    if (!E->ipdom) return -1;
    uint32_t cap = 0;
    for (uint32_t q = 0; q < E->nprops; q++) {
        if (E->props[q].pr->kind != RD_P_NEVER_REACHES) continue;
        for (uint32_t n = 0; n < g->nnodes; n++) {
            if (g->nodes[n].kind != RD_N_BRANCH || !rd_flow_reads(g->nodes[n].cond, E->props[q].tfact)) continue;
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
            rd_transfer_consent_set(E, UINT32_MAX, node->to[j]);
            for (uint32_t i = 0; i < node->ndata; i++) rd_transfer_consent_set(E, node->data[i], node->to[j]);
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

/* Releases what the engine holds outside the program's arena; E may be partly set up. */
void rd_setup_release(engine *E)
{
    if (E->state)
        for (uint32_t i = 0; i < E->V->g->nnodes; i++) rd_vs_free(&E->state[i]);
    free(E->state);
    for (uint32_t c = 0; E->sets_of_consent && c < E->V->g->nconsents; c++) free(E->sets_of_consent[c]);
    free(E->sets_of_consent);
    free(E->nsets_of_consent);
    free(E->taints);
    free(E->ipdom);
    free(E->spec_reach);
    rd_map_free(&E->set_by_content);
}
