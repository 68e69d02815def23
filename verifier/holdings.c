/* Who can come to hold what, for `rightdoor diff`: the same fixpoint as the principles, run with
 * the holdings records switched on, so a committee comparing two versions sees the flows the
 * verifier itself found, over the same cases. */
#include "engine.h"
#include "flow.h"
#include <stdlib.h>

int rd_verify_holdings(rd_program *p, rd_graph *g, rd_holding **out, uint32_t *nout)
{
    verifier V = {.p = p, .g = g, .domain = RD_BDD_TRUE};
    engine E = {0};
    E.V = &V;
    int rc = -1;
    size_t npairs = (size_t)g->nactors * g->ndata;
    *out = NULL;
    *nout = 0;
    if (rd_enc_program(&V) != 0 || rd_setup_engine(&E) != 0) goto done;
    size_t nk = (size_t)E.nduties + E.npermits;
    E.held = calloc(npairs + 1, sizeof *E.held);
    E.held_sent = calloc(npairs + 1, sizeof *E.held_sent);
    E.held_via = malloc((npairs + 1) * sizeof *E.held_via);
    E.held_how = calloc(npairs + 1, 1);
    E.held_by = calloc(npairs * nk + 1, 1);
    if (!E.held || !E.held_sent || !E.held_via || !E.held_how || !E.held_by) goto done;
    for (size_t i = 0; i < npairs; i++) E.held_via[i] = UINT32_MAX;
    int fp = rd_fixpoint_run(&E);
    if (rd_verify_out_of_memory(&V)) goto done;
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
    if (rd_verify_out_of_memory(&V)) goto done;
    if (rd_bdd_overflow(V.m)) {
        rc = -2;
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
    rd_setup_release(&E);
    rd_bdd_free(V.m);
    return rc;
}
