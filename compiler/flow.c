/* What a flow means (see flow.h): disclosure through `reveals`, what a consent, permit or duty
 * covers, what a principle forbids. */
#include "flow.h"
#include "parse.h"
#include <string.h>

#define ROW(g, d) ((g)->discloses + (size_t)(d) * (g)->discloses_row)

int rd_flow_prepare(rd_graph *g, rd_arena *a)
{
    g->discloses_row = (g->ndata + 7) / 8;
    g->discloses = rd_arena_alloc(a, (size_t)g->ndata * g->discloses_row + 1);
    uint32_t *stack = rd_arena_alloc(a, ((size_t)g->ndata + 1) * sizeof *stack);
    g->disclosed = rd_arena_alloc(a, ((size_t)g->ndata + 1) * sizeof *g->disclosed);
    g->ndisclosed = rd_arena_alloc(a, ((size_t)g->ndata + 1) * sizeof *g->ndisclosed);
    if (!g->discloses || !stack || !g->disclosed || !g->ndisclosed) return -1;
    memset(g->discloses, 0, (size_t)g->ndata * g->discloses_row + 1);
    /* A depth-first walk from each category; a category already marked is not walked again, which
     * ends cycles and makes each walk linear in the `reveals` edges. Each category is pushed once,
     * so the stack, read from its bottom, is also the list of what d discloses. */
    for (uint32_t d = 0; d < g->ndata; d++) {
        unsigned char *row = ROW(g, d);
        uint32_t top = 0, next = 0;
        row[d / 8] |= (unsigned char)(1u << (d % 8));
        stack[top++] = d;
        while (next < top) {
            const rd_decl *x = g->data[stack[next++]];
            for (const rd_ref *v = x->u.data.reveals; v; v = v->next) {
                if (!v->decl) continue;
                uint32_t w = v->decl->index;
                if (row[w / 8] & (1u << (w % 8))) continue;
                row[w / 8] |= (unsigned char)(1u << (w % 8));
                stack[top++] = w;
            }
        }
        g->disclosed[d] = rd_arena_alloc(a, (size_t)top * sizeof **g->disclosed);
        if (!g->disclosed[d]) return -1;
        memcpy(g->disclosed[d], stack, (size_t)top * sizeof *stack);
        g->ndisclosed[d] = top;
    }
    return 0;
}

int rd_flow_discloses(const rd_graph *g, uint32_t d, uint32_t w)
{
    if (d >= g->ndata || w >= g->ndata) return 0;
    return (ROW(g, d)[w / 8] >> (w % 8)) & 1;
}

const uint32_t *rd_flow_disclosed(const rd_graph *g, uint32_t d, uint32_t *n)
{
    *n = d < g->ndata ? g->ndisclosed[d] : 0;
    return d < g->ndata ? g->disclosed[d] : NULL;
}

int rd_flow_actor_in(const rd_graph *g, uint32_t a, const rd_ref *t)
{
    if (a >= g->nactors) return 0;
    const rd_decl *actor = g->actors[a];
    for (; t; t = t->next) {
        if (t->tag == RD_REF_SECTOR && actor->u.actor.sector && actor->u.actor.sector->decl == t->decl) return 1;
        if (t->tag == RD_REF_NAME && t->decl == actor) return 1;
    }
    return 0;
}

/* Whether the list names data index w itself (by name or by attribute). */
static int names(const rd_graph *g, const rd_ref *list, uint32_t w)
{
    const rd_decl *dw = g->data[w];
    for (const rd_ref *r = list; r; r = r->next) {
        if (r->tag == RD_REF_NAME && r->decl == dw) return 1;
        if (r->tag == RD_REF_IDENTIFYING && dw->u.data.identifying) return 1;
        if (r->tag == RD_REF_PROTECTED && dw->u.data.protected_) return 1;
    }
    return 0;
}

int rd_flow_list_touches(const rd_graph *g, const rd_ref *list, uint32_t d)
{
    uint32_t n;
    const uint32_t *w = rd_flow_disclosed(g, d, &n);
    for (uint32_t i = 0; i < n; i++)
        if (names(g, list, w[i])) return 1;
    return 0;
}

int rd_flow_kept_back(const rd_graph *g, const unsigned char *except, uint32_t d)
{
    uint32_t n;
    const uint32_t *w = rd_flow_disclosed(g, d, &n);
    for (uint32_t i = 0; except && i < n; i++)
        if (except[w[i]]) return 1;
    return 0;
}

int rd_flow_shares(const rd_decl *flow, uint32_t d)
{
    for (const rd_ref *x = flow->u.flow.shares; x; x = x->next)
        if (x->decl && x->decl->index == d) return 1;
    return 0;
}

int rd_flow_covers(const rd_graph *g, const rd_decl *flow, uint32_t d, uint32_t r)
{
    return rd_flow_shares(flow, d) && rd_flow_actor_in(g, r, flow->u.flow.with);
}

int rd_flow_shares_disclosing(const rd_graph *g, const rd_decl *flow, uint32_t w)
{
    for (const rd_ref *x = flow->u.flow.shares; x; x = x->next)
        if (x->decl && rd_flow_discloses(g, x->decl->index, w)) return 1;
    return 0;
}

const rd_decl *rd_flow_forbidding(const rd_graph *g, uint32_t d, uint32_t r)
{
    for (uint32_t i = 0; i < g->nprinciples; i++) {
        const rd_decl *pr = g->principles[i];
        for (const rd_prop *q = pr->u.principle.props; q; q = q->next)
            if (q->kind == RD_P_NEVER_REACHES && rd_flow_actor_in(g, r, q->targets) && rd_flow_list_touches(g, q->data, d))
                return pr;
    }
    return NULL;
}

int rd_flow_duty_covers(const rd_graph *g, const rd_decl *y, uint32_t from, uint32_t d, uint32_t r)
{
    if (from != RD_PROVIDER && !rd_flow_actor_in(g, from, y->u.duty.applies)) return 0;
    if (!rd_flow_actor_in(g, r, y->u.duty.to)) return 0;
    for (const rd_ref *x = y->u.duty.reports; x; x = x->next)
        if (x->decl && x->decl->index == d) return 1;
    return 0;
}

int rd_flow_duty_fires_on(const rd_graph *g, const rd_decl *y, uint32_t d)
{
    for (const rd_ref *x = y->u.duty.reports; x; x = x->next)
        if (x->decl && rd_flow_discloses(g, d, x->decl->index)) return 1;
    return 0;
}

static int reads(const rd_expr *e, const unsigned char *tfact, int depth)
{
    if (!e || depth > RD_MAX_DEPTH) return 0;
    if (e->fact && tfact[e->fact->index]) return 1;
    return reads(e->a, tfact, depth + 1) || reads(e->b, tfact, depth + 1);
}

int rd_flow_reads(const rd_expr *e, const unsigned char *tfact) { return reads(e, tfact, 0); }

void rd_flow_taint_facts(const rd_graph *g, const unsigned char *data, unsigned char *tfact)
{
    int given = 0;
    for (uint32_t i = 0; i < g->nfacts; i++)
        for (const rd_ref *r = g->facts[i]->u.fact.reveals; r; r = r->next)
            if (r->decl && data[r->decl->index]) {
                tfact[i] = 1;
                given |= !g->facts[i]->u.fact.derived && !g->facts[i]->u.fact.lua;
            }
    /* A Lua chunk is handed every fact given in the case (runtime/case.c), so what it computes may
     * depend on any of them: once one discloses protected data, every Lua-computed fact does. */
    for (uint32_t i = 0; given && i < g->nfacts; i++)
        if (g->facts[i]->u.fact.lua) tfact[i] = 1;
    /* Marked to a fixed point, so that a read never walks into a computation: a chain of computed
     * facts shared by many others would cost 2^chain. The checker bounds chains, so this ends
     * quickly. */
    for (int changed = 1; changed;) {
        changed = 0;
        for (uint32_t i = 0; i < g->nfacts; i++)
            if (!tfact[i] && g->facts[i]->u.fact.derived && reads(g->facts[i]->u.fact.derived, tfact, 0))
                tfact[i] = 1, changed = 1;
    }
}
