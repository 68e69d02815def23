/* The verifier's entry points: encode the program, set the engine up, run the fixpoint and every
 * pass, and decide what the result may claim (a verdict, the state budget, or out of memory). How
 * it works: engine.h. */
#include "engine.h"

int rd_verify_out_of_memory(verifier *V)
{
    if (V->p->arena.failed || (V->m && rd_bdd_overflow(V->m) == RD_BDD_NOMEM)) V->nomem = 1;
    return V->nomem;
}

int rd_verify_program(rd_program *p, rd_graph *g, rd_diagnostics *d)
{
    verifier V = {.p = p, .g = g, .d = d, .domain = RD_BDD_TRUE};
    rd_diagnostics *saved = p->diags;
    p->diags = d;
    engine E = {0};
    E.V = &V;
    int errors = -1;
    if (rd_enc_program(&V) != 0 || rd_setup_engine(&E) != 0) V.nomem = 1;
    if (rd_verify_out_of_memory(&V)) {
        rd_diag_set_status(d, RD_ERR_NOMEM);
        goto out;
    }
    errors = rd_pass_cycles_check(&V);
    int fp = rd_fixpoint_run(&E);
    if (rd_verify_out_of_memory(&V)) {
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
    errors += rd_pass_flow_props(&E);
    errors += rd_pass_flow_permits(&E);
    errors += rd_pass_audit_run(&E);
    for (uint32_t q = 0; q < E.nprops; q++) {
        prop *P = &E.props[q];
        if (P->pr->kind == RD_P_REFUSAL_REACHES) errors += rd_pass_services_refusals(&E, P);
        if (P->pr->kind == RD_P_ENTRY_SPECIALIST) errors += rd_pass_services_entries(&E, P);
        if (P->pr->kind == RD_P_NOTICE_TRANSLATED) errors += rd_pass_text_translations(&E, P);
    }
    /* Waivers are listed in every report, whether or not they were needed. */
    for (rd_decl *w = p->decls; w; w = w->next)
        if (w->kind == RD_D_WAIVE)
            rd_diag_at(d, &p->sources, RD_SEV_NOTE, "waiver", w->span, NULL, "principle `%s` is waived at step `%s%s%s`: %s",
                    w->u.waive.principle ? w->u.waive.principle->id : "?", w->u.waive.step ? w->u.waive.step->id : "?",
                    w->u.waive.step && w->u.waive.step->sub ? "." : "", w->u.waive.step && w->u.waive.step->sub ? w->u.waive.step->sub : "",
                    w->u.waive.because);
    if (rd_verify_out_of_memory(&V)) {
        rd_diag_set_status(d, RD_ERR_NOMEM); /* some pass could not finish: no verdict stands */
        errors = -1;
    } else if (rd_bdd_overflow(V.m)) {
        rd_diag_file(d, RD_SEV_ERROR, "budget", NULL, "simplify the SOP, or split it into several pathways",
                     "the verifier ran out of its state budget while building counterexamples; results may be incomplete");
        errors = -1;
    }
out:
    rd_setup_release(&E);
    rd_bdd_free(V.m);
    p->diags = saved;
    return errors;
}

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
