/* A failure as a committee reads it: at its node, at the principle's severity or as waived, with
 * the principle's own help and citation, and the counterexample that shows it. One place, so every
 * pass words its failures the same way. */
#include "engine.h"
#include <stdlib.h>

/* The waiver of principle at step st, if the program has one. */
const rd_decl *rd_report_waiver_for(verifier *V, const rd_decl *principle, const rd_step *st)
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

/* An actor as messages name it: "`id` (label)", or "the provider". */
const char *rd_report_actor_words(verifier *V, uint32_t a)
{
    if (a == RD_PROVIDER) return "the provider";
    const rd_decl *d = V->g->actors[a];
    return rd_arena_printf(&V->p->arena, "`%s` (%s)", d->id, d->label ? d->label : d->id);
}

/* Reports one failure of P at node n, under the cases `viol`: at its node, with its counterexample
 * (a way on which property witness_prop fails there, or for UINT32_MAX any way there; extra_last,
 * when not NULL, shown as its last step), or as waived. Returns 1 when it counts as an error. */
int rd_report_failure(engine *E, const prop *P, uint32_t n, rd_bdd viol, const char *msg, const char *help,
                      uint32_t witness_prop, const char *extra_last)
{
    verifier *V = E->V;
    const rd_gnode *node = &V->g->nodes[n];
    const char *own_help = rd_field_get(P->principle, "help");
    const char *citation = rd_field_get(P->principle, "source");
    const rd_decl *w = rd_report_waiver_for(V, P->principle, node->step);
    rd_severity sev = w ? RD_SEV_NOTE : P->warning ? RD_SEV_WARNING : RD_SEV_ERROR;
    if (w && msg) msg = rd_arena_printf(&V->p->arena, "waived: %s (because %s)", msg, w->u.waive.because);
    if (!msg) {
        V->nomem = 1; /* the arena could not hold the message */
        return sev == RD_SEV_ERROR;
    }
    rd_diagnostic *g = rd_diag_at(V->d, &V->p->sources, sev, P->principle->id, node->span, own_help ? own_help : help,
                                  "%s", msg);
    uint32_t *nodes = NULL, *edges = NULL;
    unsigned char *changed = NULL;
    rd_bdd v = RD_BDD_FALSE;
    uint32_t len = rd_witness_find(E, witness_prop, n, viol, &nodes, &edges, &changed, &v);
    if (!len && witness_prop != UINT32_MAX) {
        /* Past the replay's budget: show the shortest way there under the same case instead. */
        free(nodes);
        free(edges);
        free(changed);
        nodes = edges = NULL;
        changed = NULL;
        len = rd_witness_find(E, UINT32_MAX, n, viol, &nodes, &edges, &changed, &v);
    }
    if (len) rd_witness_attach(E, g, nodes, edges, changed, len, extra_last, citation, v);
    else rd_diag_set_path(V->d, &V->p->sources, g, NULL, NULL, 0, citation);
    free(nodes);
    free(edges);
    free(changed);
    return sev == RD_SEV_ERROR;
}
