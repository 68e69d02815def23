/* Which services stay reachable: `every refusal reaches S` and `every entry reaches specialist` ask
 * about what can still come, not about what came before, so they need the backward dual of the
 * fixpoint, W(n), the cases from which some way on from n reaches a service of the set. */
#include "engine.h"
#include <stdlib.h>

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
            out = rd_bdd_or(V->m, out, rd_enc_provider_is(V, a));
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
            rd_bdd gd = e->kind == RD_G_GRANTED || e->kind == RD_G_REFUSED ? RD_BDD_TRUE : rd_transfer_guard(E, e);
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

/* service_reach for a list of services; the common `specialist` alone is computed once. The result
 * belongs to the engine when shared (*owned 0), else to the caller. */
rd_bdd *rd_reach_of(engine *E, const rd_ref *services, int *owned)
{
    int spec = services && !services->next && services->tag == RD_REF_SPECIALIST;
    *owned = !spec;
    if (!spec) return service_reach(E, services);
    if (!E->spec_reach) E->spec_reach = service_reach(E, services);
    return E->spec_reach;
}
