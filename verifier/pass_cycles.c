/* Loops that never come back to her: always checked, whatever the principles, since a procedure
 * that can go round forever without asking her anything never ends for her. */
#include "engine.h"
#include <stdlib.h>

/* A loop must wait for her (an ask, seek or choose) on every way round, or it could spin forever:
 * with the waiting nodes taken out of the graph, any cycle left is such a loop. Tarjan's strongly
 * connected components, iteratively so deep graphs cannot exhaust the stack. */
static int waits(const rd_gnode *n) { return n->kind == RD_N_ASK || n->kind == RD_N_SEEK || n->kind == RD_N_CHOOSE; }

int rd_pass_cycles_check(verifier *V)
{
    rd_graph *g = V->g;
    uint32_t n = g->nnodes, idx = 0, sp = 0, csp = 0;
    uint32_t *index = malloc((n + 1) * sizeof *index), *low = malloc((n + 1) * sizeof *low);
    uint32_t *stack = malloc((n + 1) * sizeof *stack), *call = malloc((n + 1) * sizeof *call), *it = calloc(n + 1, sizeof *it);
    unsigned char *on = calloc(n + 1, 1);
    int errors = 0;
    if (!index || !low || !stack || !call || !it || !on) {
        V->nomem = 1;
        goto done;
    }
    for (uint32_t i = 0; i < n; i++) index[i] = UINT32_MAX;
    for (uint32_t root = 0; root < n; root++) {
        if (index[root] != UINT32_MAX || waits(&g->nodes[root])) continue;
        call[csp++] = root;
        index[root] = low[root] = idx++;
        stack[sp++] = root;
        on[root] = 1;
        while (csp) {
            uint32_t v = call[csp - 1];
            const rd_gnode *node = &g->nodes[v];
            if (it[v] < node->nout) {
                uint32_t w = g->edges[node->first_out + it[v]++].to;
                if (waits(&g->nodes[w])) continue;
                if (index[w] == UINT32_MAX) {
                    index[w] = low[w] = idx++;
                    stack[sp++] = w;
                    on[w] = 1;
                    call[csp++] = w;
                } else if (on[w] && index[w] < low[v]) {
                    low[v] = index[w];
                }
                continue;
            }
            csp--;
            if (csp && low[v] < low[call[csp - 1]]) low[call[csp - 1]] = low[v];
            if (low[v] != index[v]) continue;
            uint32_t size = 0, self = 0, first_step = UINT32_MAX;
            uint32_t w;
            do {
                w = stack[--sp];
                on[w] = 0;
                size++;
                if (g->nodes[w].kind == RD_N_STEP && (first_step == UINT32_MAX || w < first_step)) first_step = w;
                for (uint32_t e = g->nodes[w].first_out; e < g->nodes[w].first_out + g->nodes[w].nout; e++)
                    self |= g->edges[e].to == w;
            } while (w != v);
            if (size > 1 || self) {
                uint32_t at = first_step != UINT32_MAX ? first_step : v;
                RD_ERROR(V->p, "endless-loop", g->nodes[at].span,
                         "a loop must come back to her: put an `ask`, `seek` or `choose` in it (a follow-up asks how she is)",
                         "these steps can go round forever without asking her anything, starting at `%s`",
                         g->nodes[at].step ? g->nodes[at].step->id : "?");
                errors++;
            }
        }
    }
done:
    free(index);
    free(low);
    free(stack);
    free(call);
    free(it);
    free(on);
    return errors;
}
