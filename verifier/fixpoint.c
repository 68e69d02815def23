/* The forward fixpoint: states flow from the pathways' starts along every edge and are joined where
 * ways meet, until no bit grows. Nodes are taken in reverse postorder so a join has usually seen
 * all its forward inputs before it passes its state on: fewer revisits, smaller diagrams. */
#include "engine.h"
#include <stdlib.h>

/* Where a case can start in pathway pw: a valid encoding, opened at one of its entry actors. */
rd_bdd rd_fixpoint_start(verifier *V, const rd_gpathway *pw)
{
    rd_bdd who = RD_BDD_FALSE;
    for (uint32_t i = 0; i < pw->nentry; i++) who = rd_bdd_or(V->m, who, rd_enc_provider_is(V, pw->entry[i]));
    return rd_bdd_and(V->m, V->domain, who);
}

/* Reverse postorder of the graph from the pathways' starts: processing nodes in this order (lowest
 * first) lets each join see all its forward inputs before passing its state on, which keeps
 * revisits, and the transient decision diagrams they build, small. */
static uint32_t *reverse_postorder(rd_graph *g)
{
    uint32_t n = g->nnodes, count = 0, sp = 0;
    uint32_t *rpo = malloc((n + 1) * sizeof *rpo), *stack = malloc((n + 1) * sizeof *stack);
    uint32_t *it = calloc(n + 1, sizeof *it);
    unsigned char *seen = calloc(n + 1, 1);
    if (!rpo || !stack || !it || !seen) {
        free(rpo);
        rpo = NULL;
        goto done;
    }
    for (uint32_t i = 0; i < n; i++) rpo[i] = UINT32_MAX;
    for (uint32_t pw = 0; pw < g->npathways; pw++) {
        uint32_t root = g->pathways[pw].start;
        if (root >= n || seen[root]) continue;
        seen[root] = 1;
        stack[sp++] = root;
        while (sp) {
            uint32_t v = stack[sp - 1];
            if (it[v] < g->nodes[v].nout) {
                uint32_t w = g->edges[g->nodes[v].first_out + it[v]++].to;
                if (!seen[w]) {
                    seen[w] = 1;
                    stack[sp++] = w;
                }
            } else {
                sp--;
                rpo[v] = count++; /* postorder number; turned around below */
            }
        }
    }
    for (uint32_t i = 0; i < n; i++)
        if (rpo[i] != UINT32_MAX) rpo[i] = count - 1 - rpo[i];
done:
    free(stack);
    free(it);
    free(seen);
    return rpo;
}

/* A queue that always hands out the queued node earliest in reverse postorder (a binary heap). */
typedef struct pqueue { uint32_t *heap, n; const uint32_t *prio; unsigned char *queued; } pqueue;

static void pq_push(pqueue *q, uint32_t v)
{
    if (q->queued[v]) return;
    q->queued[v] = 1;
    uint32_t i = q->n++;
    while (i > 0 && q->prio[q->heap[(i - 1) / 2]] > q->prio[v]) {
        q->heap[i] = q->heap[(i - 1) / 2];
        i = (i - 1) / 2;
    }
    q->heap[i] = v;
}

static uint32_t pq_pop(pqueue *q)
{
    uint32_t top = q->heap[0], last = q->heap[--q->n], i = 0;
    for (;;) {
        uint32_t c = 2 * i + 1;
        if (c >= q->n) break;
        if (c + 1 < q->n && q->prio[q->heap[c + 1]] < q->prio[q->heap[c]]) c++;
        if (q->prio[q->heap[c]] >= q->prio[last]) break;
        q->heap[i] = q->heap[c];
        i = c;
    }
    if (q->n) q->heap[i] = last;
    q->queued[top] = 0;
    return top;
}

/* Runs the fixpoint into E->state: 0, or -1 when the BDD budget ran out or memory did. */
int rd_fixpoint_run(engine *E)
{
    rd_graph *g = E->V->g;
    uint32_t *rpo = reverse_postorder(g);
    pqueue q = {malloc((g->nnodes + 1) * sizeof *q.heap), 0, rpo, calloc(g->nnodes + 1, 1)};
    vstate base = {0}, out = {0};
    int rc = -1;
    if (!rpo || !q.heap || !q.queued) {
        E->V->nomem = 1;
        goto done;
    }
    for (uint32_t i = 0; i < g->npathways; i++) {
        vstate init = {0};
        rd_vs_put(&init, KEY(SP_R, 0), rd_fixpoint_start(E->V, &g->pathways[i]), &E->V->nomem);
        uint32_t s = g->pathways[i].start;
        if (rd_transfer_join(E, &E->state[s], &init)) pq_push(&q, s);
        rd_vs_free(&init);
    }
    while (q.n && !rd_bdd_overflow(E->V->m) && !E->V->nomem) {
        uint32_t n = pq_pop(&q);
        rd_transfer_visit(E, n, &E->state[n], &base);
        const rd_gnode *node = &g->nodes[n];
        for (uint32_t e = node->first_out; e < node->first_out + node->nout; e++) {
            rd_transfer_along(E, &g->edges[e], &base, &out);
            uint32_t to = g->edges[e].to;
            if (out.n && rd_transfer_join(E, &E->state[to], &out)) pq_push(&q, to);
        }
    }
    rc = rd_bdd_overflow(E->V->m) || E->V->nomem ? -1 : 0;
done:
    rd_vs_free(&base);
    rd_vs_free(&out);
    free(rpo);
    free(q.heap);
    free(q.queued);
    return rc;
}
