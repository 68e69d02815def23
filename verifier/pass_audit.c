/* Principles an auditor writes as Lua checks (audit.c runs them): each node a check flags is
 * reported like any other failure, with a counterexample that reaches it. */
#include "engine.h"
#include "audit.h"
#include <stdlib.h>
#include <string.h>

/* Principles written as Lua audit checks: each node a check returns is a failure there. */
int rd_pass_audit_run(engine *E)
{
    verifier *V = E->V;
    int errors = 0;
    for (rd_decl *pd = V->p->decls; pd; pd = pd->next) {
        if (pd->kind != RD_D_PRINCIPLE || !pd->u.principle.lua) continue;
        uint32_t *nodes;
        size_t n;
        char err[512];
        int rc = rd_audit_run(V->p, V->g, pd, &nodes, &n, err, sizeof err);
        if (rc == -2) {
            V->nomem = 1;
            continue;
        }
        if (rc != 0) {
            RD_ERROR(V->p, "audit-failed", pd->u.principle.lua_span,
                     "fix the check (a Lua error), or remove it from the principle",
                     "the Lua check of principle `%s` could not run: %s", pd->id, err);
            errors++;
            continue;
        }
        prop P = {.principle = pd, .warning = pd->u.principle.severity && strcmp(pd->u.principle.severity->id, "warning") == 0};
        for (size_t i = 0; i < n && i < RD_VERIFY_MAX_REPORTS; i++) {
            rd_bdd R = rd_vs_get(&E->state[nodes[i]], KEY(SP_R, 0));
            const char *msg = rd_arena_printf(&V->p->arena, "the audit check `%s` flags this: %s", pd->u.principle.lua,
                                              pd->label ? pd->label : pd->id);
            errors += rd_report_failure(E, &P, nodes[i], R != RD_BDD_FALSE ? R : V->domain, msg,
                                        "see the check's own comments for what it looks for", UINT32_MAX, NULL);
        }
        if (n > RD_VERIFY_MAX_REPORTS)
            rd_diag_at(V->d, &V->p->sources, RD_SEV_NOTE, pd->id, pd->id_span, NULL,
                       "principle `%s` also fails at %zu more places", pd->id, n - RD_VERIFY_MAX_REPORTS);
        free(nodes);
    }
    return errors;
}
