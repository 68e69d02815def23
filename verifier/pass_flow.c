/* The principles about where her data goes and what she is told first (never reaches, never
 * recorded, shared or referred only with consent, reported only after notice): the fixpoint has
 * already found where each fails; this pass words each failure, and checks permits, which can
 * send data at any step and so are reported once, at the permit. */
#include "engine.h"
#include "flow.h"

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
                                   rd_report_actor_words(V, r), P->principle->id);
            *help = "decide this without that fact, or do not ask it: choosing whom to contact by her status tells them her status";
        } else if (node->kind == RD_N_DUTY) {
            /* a duty placed after what the provider records fires at the provider, whoever she is */
            const char *from = node->performer == RD_PROVIDER ? "provider" : V->g->actors[node->performer]->id;
            *msg = rd_arena_printf(a, "`%s` can reach %s: duty `%s` reports it there from `%s`", data_words(V, d),
                                   rd_report_actor_words(V, r), node->subject->id, from);
            *help = rd_arena_printf(a, "make sure `%s` never holds `%s`: do not record it there or share it, or what reveals it, with them; or narrow the duty",
                                    from, data_words(V, d));
        } else if (node->kind == RD_N_RECORD || node->kind == RD_N_ASK) {
            *msg = node->kind == RD_N_ASK
                ? rd_arena_printf(a, "asking `%s` tells %s `%s`", node->stmt->names->id, rd_report_actor_words(V, r), data_words(V, d))
                : rd_arena_printf(a, "%s records `%s`", rd_report_actor_words(V, r), data_words(V, d));
            *help = rd_arena_printf(a, "%s must not collect `%s`: leave it out of this step", rd_report_actor_words(V, r), data_words(V, d));
        } else {
            *msg = rd_arena_printf(a, "`%s` can reach %s", data_words(V, d), rd_report_actor_words(V, r));
            *help = rd_arena_printf(a, "do not share `%s` with %s here", data_words(V, d), rd_report_actor_words(V, r));
        }
        return;
    case RD_P_NEVER_RECORD:
        *msg = node->kind == RD_N_ASK
            ? rd_arena_printf(a, "asking `%s` records `%s` at %s", node->stmt->names->id, data_words(V, d), rd_report_actor_words(V, r))
            : rd_arena_printf(a, "%s records `%s`", rd_report_actor_words(V, r), data_words(V, d));
        *help = node->kind == RD_N_ASK ? "do not ask this question: its answer reveals what must not be collected"
                                       : rd_arena_printf(a, "remove `%s` from what is recorded here", data_words(V, d));
        return;
    case RD_P_SHARE_CONSENT:
        *msg = rd_arena_printf(a, "`%s` goes to %s without her consent", data_words(V, d), rd_report_actor_words(V, r));
        *help = rd_arena_printf(a, "on every way here, first `seek` a consent that shares `%s` with `%s`, and share only in its `granted` branch",
                                data_words(V, d), r == RD_PROVIDER ? "provider" : V->g->actors[r]->id);
        return;
    case RD_P_REFER_CONSENT:
        *msg = rd_arena_printf(a, "she is referred to %s without her consent", rd_report_actor_words(V, r));
        *help = "refer only in the `granted` branch of a `seek` whose consent names this recipient";
        return;
    case RD_P_REPORT_NOTICE: {
        const rd_decl *duty = node->subject;
        if (!duty->u.duty.notice) {
            *msg = rd_arena_printf(a, "duty `%s` can fire, and it has no notice to tell her about it first", duty->id);
            *help = "give the duty a `notice` and `inform` it before she discloses (000 \"Mandatory reporting\")";
        } else {
            *msg = rd_arena_printf(a, "duty `%s` can fire at %s before she was told about it", duty->id, rd_report_actor_words(V, r));
            *help = rd_arena_printf(a, "`inform %s` before the step where %s learns what is reported, so she can decide what to disclose (000 \"Mandatory reporting\")",
                                    duty->u.duty.notice->id, rd_report_actor_words(V, r));
        }
        return;
    }
    default:
        *msg = "fails";
        *help = NULL;
    }
}

/* Reports where each principle the fixpoint checks failed: RD_VERIFY_MAX_REPORTS places each at
 * most, in the order they were found, then a note counting the rest. */
int rd_pass_flow_props(engine *E)
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
            errors += rd_report_failure(E, P, n, P->viol[n], msg, help, q, NULL);
            shown++;
        }
    }
    return errors;
}

/* `never D reaches T` for permits: a permit whose recipients are in T and whose data is protected
 * lets the data reach them whenever its condition holds at some step; reported once, at the permit. */
int rd_pass_flow_permits(engine *E)
{
    verifier *V = E->V;
    rd_graph *g = V->g;
    int errors = 0;
    rd_bdd at_steps = RD_BDD_FALSE;
    for (uint32_t n = 0; n < g->nnodes; n++)
        if (g->nodes[n].kind == RD_N_STEP) at_steps = rd_bdd_or(V->m, at_steps, rd_vs_get(&E->state[n], KEY(SP_R, 0)));
    for (uint32_t q = 0; q < E->nprops; q++) {
        prop *P = &E->props[q];
        if (P->pr->kind != RD_P_NEVER_REACHES) continue;
        for (rd_decl *d = V->p->decls; d; d = d->next) {
            if (d->kind != RD_D_PERMIT) continue;
            rd_bdd when = rd_bdd_andnot(V->m, rd_bdd_and(V->m, at_steps, rd_enc_cond_true(V, d->u.flow.when)), P->unless);
            if (when == RD_BDD_FALSE) continue;
            uint32_t who = UINT32_MAX, what = UINT32_MAX;
            for (uint32_t a = 0; a < g->nactors && who == UINT32_MAX; a++)
                if (P->actor[a] && rd_flow_actor_in(g, a, d->u.flow.with)) who = a;
            int implicit = rd_flow_reads(d->u.flow.when, P->tfact);
            for (const rd_ref *x = d->u.flow.shares; x && what == UINT32_MAX; x = x->next)
                if (x->decl && P->data[x->decl->index]) what = x->decl->index;
            if (who == UINT32_MAX || (what == UINT32_MAX && !implicit)) continue;
            rd_severity sev = P->warning ? RD_SEV_WARNING : RD_SEV_ERROR;
            const char *cond = rd_expr_text(V->p, d->u.flow.when);
            rd_diagnostic *gd = what != UINT32_MAX
                ? rd_diag_at(V->d, &V->p->sources, sev, P->principle->id, d->id_span,
                             "narrow the permit: leave out that data, or those recipients",
                             "permit `%s` lets `%s` reach %s whenever `%s`", d->id, g->data[what]->id, rd_report_actor_words(V, who), cond)
                : rd_diag_at(V->d, &V->p->sources, sev, P->principle->id, d->id_span,
                             "a permit's condition must not read her status: whether it is used would tell them",
                             "permit `%s` is used depending on `%s`, which reveals what `%s` protects, and it sends to %s",
                             d->id, cond, P->principle->id, rd_report_actor_words(V, who));
            rd_diag_set_path(V->d, &V->p->sources, gd, NULL, NULL, 0, rd_field_get(P->principle, "source"));
            errors += sev == RD_SEV_ERROR;
        }
    }
    return errors;
}
