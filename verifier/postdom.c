/* Post-dominators (Cooper, Harvey and Kennedy's iteration, on the reversed graph): where a branch
 * stops deciding what happens next. The verifier clears a branch's implicit flow there, and the
 * Promela emitter must clear it at the same node for SPIN to agree, so both read this one file. */
#include "postdom.h"
#include <stdlib.h>

uint32_t *rd_postdom_compute(const rd_graph *g)
{
    uint32_t n = g->nnodes, exit = n;
    uint32_t *ipdom = malloc((n + 1) * sizeof *ipdom), *po = malloc((n + 1) * sizeof *po);
    uint32_t *order = malloc((n + 1) * sizeof *order), *pred_start = calloc(n + 2, sizeof *pred_start);
    uint32_t *preds = malloc((g->nedges + n + 1) * sizeof *preds);
    uint32_t *stack = malloc((n + 1) * sizeof *stack), *iter = calloc(n + 1, sizeof *iter);
    if (!ipdom || !po || !order || !pred_start || !preds || !stack || !iter) goto fail;
    /* predecessors in the original graph = successors in the reversed one; END nodes feed `exit` */
    for (uint32_t e = 0; e < g->nedges; e++) pred_start[g->edges[e].to + 1]++;
    for (uint32_t i = 0; i < n; i++)
        if (g->nodes[i].nout == 0) pred_start[exit + 1]++;
    for (uint32_t i = 0; i < n + 1; i++) pred_start[i + 1] += pred_start[i];
    uint32_t *fill = calloc(n + 1, sizeof *fill);
    if (!fill) goto fail;
    for (uint32_t e = 0; e < g->nedges; e++) preds[pred_start[g->edges[e].to] + fill[g->edges[e].to]++] = g->edges[e].from;
    for (uint32_t i = 0; i < n; i++)
        if (g->nodes[i].nout == 0) preds[pred_start[exit] + fill[exit]++] = i;
    free(fill);
    /* depth-first from exit over reversed edges, numbering in postorder */
    for (uint32_t i = 0; i <= n; i++) po[i] = UINT32_MAX, ipdom[i] = UINT32_MAX;
    uint32_t sp = 0, count = 0;
    stack[sp++] = exit;
    po[exit] = UINT32_MAX - 1; /* on the stack */
    while (sp) {
        uint32_t v = stack[sp - 1];
        if (iter[v] < pred_start[v + 1] - pred_start[v]) {
            uint32_t w = preds[pred_start[v] + iter[v]++];
            if (po[w] == UINT32_MAX) {
                po[w] = UINT32_MAX - 1;
                stack[sp++] = w;
            }
        } else {
            sp--;
            po[v] = count;
            order[count++] = v;
        }
    }
    ipdom[exit] = exit;
    for (int changed = 1; changed;) {
        changed = 0;
        for (uint32_t k = count; k-- > 0;) {
            uint32_t b = order[k];
            if (b == exit) continue;
            uint32_t nd = UINT32_MAX;
            const rd_gnode *node = &g->nodes[b];
            uint32_t nsucc = node->nout ? node->nout : 1;
            for (uint32_t s = 0; s < nsucc; s++) {
                uint32_t x = node->nout ? g->edges[node->first_out + s].to : exit;
                if (ipdom[x] == UINT32_MAX) continue;
                if (nd == UINT32_MAX) {
                    nd = x;
                    continue;
                }
                uint32_t a = x, c = nd;
                while (a != c) {
                    while (po[a] < po[c]) a = ipdom[a];
                    while (po[c] < po[a]) c = ipdom[c];
                }
                nd = a;
            }
            if (nd != UINT32_MAX && ipdom[b] != nd) {
                ipdom[b] = nd;
                changed = 1;
            }
        }
    }
    /* nodes that never reach an end (a loop she never leaves) have no post-dominator */
    for (uint32_t i = 0; i < n; i++)
        if (ipdom[i] == UINT32_MAX) ipdom[i] = exit;
    goto done;
fail:
    free(ipdom);
    ipdom = NULL;
done:
    free(po);
    free(order);
    free(pred_start);
    free(preds);
    free(stack);
    free(iter);
    return ipdom;
}
