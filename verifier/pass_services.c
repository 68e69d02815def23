/* The principles about what she can still have (`every refusal reaches S`, `every entry reaches
 * specialist`): read from the services reachable (reach.c), since a refusal must leave her a way
 * on, and asking again until she agrees is not one. */
#include "engine.h"
#include <stdlib.h>

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

/* `every refusal reaches S`: from each refused branch, some service of S stays reachable, and she
 * is not simply asked again. */
int rd_pass_services_refusals(engine *E, prop *P)
{
    verifier *V = E->V;
    rd_graph *g = V->g;
    int owned;
    rd_bdd *W = rd_reach_of(E, P->pr->services, &owned);
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
            rd_bdd R = rd_vs_get(&E->state[n], KEY(SP_R, 0));
            rd_bdd refused = rd_bdd_andnot(V->m, rd_bdd_and(V->m, R, rd_transfer_guard(E, &g->edges[e])), P->unless);
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
            errors += rd_report_failure(E, P, n, bad, msg, help, UINT32_MAX, rd_arena_printf(&V->p->arena, "%s refused", c));
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
int rd_pass_services_entries(engine *E, prop *P)
{
    verifier *V = E->V;
    rd_graph *g = V->g;
    rd_ref spec = {.tag = RD_REF_SPECIALIST, .id = "specialist"};
    int owned;
    rd_bdd *W = rd_reach_of(E, &spec, &owned);
    if (!W) return 0;
    int errors = 0;
    for (uint32_t i = 0; i < g->npathways; i++) {
        const rd_gpathway *pw = &g->pathways[i];
        for (uint32_t k = 0; k < pw->nentry; k++) {
            rd_bdd here = rd_bdd_and(V->m, rd_bdd_and(V->m, V->domain, rd_enc_provider_is(V, pw->entry[k])), W[pw->start]);
            if (here != RD_BDD_FALSE) continue;
            const rd_decl *w = rd_report_waiver_for(V, P->principle, g->nodes[pw->start].step);
            rd_severity sev = w ? RD_SEV_NOTE : P->warning ? RD_SEV_WARNING : RD_SEV_ERROR;
            rd_diagnostic *gd = rd_diag_at(V->d, &V->p->sources, sev, P->principle->id, pw->decl->id_span,
                                           "refer her to a specialist service (an actor marked `specialist`) on some way through the pathway",
                                           "a case opened at %s in pathway `%s` can never reach a specialist service",
                                           rd_report_actor_words(V, pw->entry[k]), pw->decl->id);
            rd_diag_set_path(V->d, &V->p->sources, gd, NULL, NULL, 0, rd_field_get(P->principle, "source"));
            errors += sev == RD_SEV_ERROR;
        }
    }
    if (owned) free(W);
    return errors;
}
