/* Building the decision graph from a checked program, and writing it as JSON.
 *
 * Statements are lowered back to front: each block is lowered knowing the node that follows it
 * (its continuation), so `if`, `seek` and `choose` simply point their arms at lowered blocks that
 * fall through to the same continuation, `goto` returns the target step's marker node and `end`
 * a node with no successor. A step that falls off its end gets an implicit end node. */
#include "graph.h"
#include "flow.h"
#include <stdlib.h>
#include <string.h>

typedef struct builder {
    rd_program *p;
    rd_graph *g;
    uint32_t cap_nodes, cap_edges;
    rd_gedge *edges;          /* unsorted while building */
    uint32_t *step_node;      /* marker node of each step, by position in its pathway */
    uint32_t performer;       /* of the step being lowered */
    const rd_gpathway *pw;
    const rd_decl **duties, **permits; /* collected once: statements are many, duties few */
    uint32_t **sector_members, *sector_count; /* actors of each sector, by sector index, on first use */
    uint32_t nduties, npermits;
    unsigned long long work; /* duties weighed for a duty node, against RD_MAX_GRAPH_WORK */
    int failed;
} builder;

static uint32_t new_node(builder *b, rd_gnode_kind kind, rd_span span, const rd_stmt *s, const rd_step *st)
{
    rd_graph *g = b->g;
    if (g->nnodes >= RD_MAX_GRAPH_NODES) {
        b->p->graph_too_big = RD_GRAPH_TOO_MANY_NODES;
        b->p->graph_limit_at = span;
        b->failed = 1;
        return 0;
    }
    if (g->nnodes == b->cap_nodes) {
        uint32_t cap = b->cap_nodes ? b->cap_nodes * 2 : 256;
        rd_gnode *v = realloc(g->nodes, cap * sizeof *v);
        if (!v) {
            b->failed = 1;
            return 0;
        }
        g->nodes = v;
        b->cap_nodes = cap;
    }
    rd_gnode *n = &g->nodes[g->nnodes];
    memset(n, 0, sizeof *n);
    n->kind = kind;
    n->span = span;
    n->stmt = s;
    n->step = st;
    n->pathway = b->pw ? b->pw->decl : NULL;
    n->performer = b->performer;
    return g->nnodes++;
}

static void new_edge(builder *b, uint32_t from, uint32_t to, rd_gedge_kind kind, const rd_option *o)
{
    rd_graph *g = b->g;
    if (b->failed) return;
    if (g->nedges == b->cap_edges) {
        uint32_t cap = b->cap_edges ? b->cap_edges * 2 : 256;
        rd_gedge *v = realloc(b->edges, cap * sizeof *v);
        if (!v) {
            b->failed = 1;
            return;
        }
        b->edges = v;
        b->cap_edges = cap;
    }
    b->edges[g->nedges++] = (rd_gedge){from, to, kind, o};
}

/* Actor indexes named by a target list, `sector X` expanded; each once, in index order. A list
 * that is a single `sector X` or a single actor (nearly all of them) needs no scan of the actors. */
static const uint32_t *targets(builder *b, const rd_ref *t, uint32_t *n)
{
    rd_graph *g = b->g;
    *n = 0;
    if (t && !t->next && t->tag == RD_REF_NAME && t->decl) {
        uint32_t *one = rd_arena_alloc(&b->p->arena, sizeof *one);
        if (!one) return b->failed = 1, NULL;
        one[0] = t->decl->index;
        *n = 1;
        return one;
    }
    if (t && !t->next && t->tag == RD_REF_SECTOR && t->decl) {
        const rd_decl *sec = t->decl;
        if (!b->sector_members[sec->index]) {
            uint32_t count = 0;
            for (uint32_t a = 0; a < g->nactors; a++)
                count += g->actors[a]->u.actor.sector && g->actors[a]->u.actor.sector->decl == sec;
            uint32_t *v = rd_arena_alloc(&b->p->arena, (count + 1) * sizeof *v);
            if (!v) return b->failed = 1, NULL;
            count = 0;
            for (uint32_t a = 0; a < g->nactors; a++)
                if (g->actors[a]->u.actor.sector && g->actors[a]->u.actor.sector->decl == sec) v[count++] = a;
            b->sector_members[sec->index] = v;
            b->sector_count[sec->index] = count;
        }
        *n = b->sector_count[sec->index];
        return b->sector_members[sec->index];
    }
    uint32_t *out = rd_arena_alloc(&b->p->arena, (g->nactors + 1) * sizeof *out);
    if (!out) return b->failed = 1, NULL;
    for (uint32_t a = 0; a < g->nactors; a++)
        if (rd_flow_actor_in(g, a, t)) out[(*n)++] = a;
    return out;
}

static const uint32_t *data_of(builder *b, const rd_ref *d, uint32_t *n)
{
    uint32_t count = 0;
    for (const rd_ref *r = d; r; r = r->next) count++;
    uint32_t *out = rd_arena_alloc(&b->p->arena, (count + 1) * sizeof *out);
    *n = 0;
    if (!out) {
        b->failed = 1;
        return NULL;
    }
    for (const rd_ref *r = d; r; r = r->next)
        if (r->decl) out[(*n)++] = r->decl->index;
    return out;
}

static int duty_applies(builder *b, const rd_decl *duty, uint32_t actor)
{
    if (actor != RD_PROVIDER) return rd_flow_actor_in(b->g, actor, duty->u.duty.applies);
    for (uint32_t i = 0; i < b->pw->nentry; i++)
        if (rd_flow_actor_in(b->g, b->pw->entry[i], duty->u.duty.applies)) return 1;
    return 0;
}

/* Whether duty could fire when `data` is acquired: it reports one of them, or what one reveals
 * (a work permit shows her migration status as well as a form naming it does). */
static int reports_any(const rd_graph *g, const rd_decl *duty, const uint32_t *data, uint32_t ndata)
{
    for (uint32_t i = 0; i < ndata; i++)
        if (rd_flow_duty_fires_on(g, duty, data[i])) return 1;
    return 0;
}

/* After a node where each actor in `to` acquires `data`: a duty node for every duty that could
 * fire because of it, chained in front of `next`; and after each of those, the duties that could
 * fire at the actors that duty reports to (a chain of reports), never repeating a duty at the same
 * actor within one chain. Returns the first node to go to. */
typedef struct chain { const rd_decl *duty; uint32_t actor; const struct chain *up; uint32_t depth; } chain;

static uint32_t duty_checks_in(builder *b, const uint32_t *to, uint32_t nto, const uint32_t *data, uint32_t ndata,
                               uint32_t next, rd_span span, const rd_step *st, const chain *up)
{
    uint32_t head = next;
    for (uint32_t di = 0; di < b->nduties && !b->failed; di++) {
        const rd_decl *d = b->duties[di];
        /* Chains of reports multiply: many duties that each report to an actor the others apply
         * to make a tree far past any node budget, slowly. Bound the weighing, not only the nodes. */
        if (++b->work > RD_MAX_GRAPH_WORK) {
            b->p->graph_too_big = RD_GRAPH_TOO_MUCH_WORK;
            b->p->graph_limit_at = span;
            b->failed = 1;
            return next;
        }
        if (!reports_any(b->g, d, data, ndata)) continue;
        for (uint32_t i = 0; i < nto; i++) {
            {
                uint32_t who = to[i];
                if (!duty_applies(b, d, who)) continue;
                int seen = 0;
                for (const chain *c = up; c && !seen; c = c->up) seen = c->duty == d && c->actor == who;
                if (seen) continue;
                uint32_t k = new_node(b, RD_N_DUTY, span, NULL, st);
                if (b->failed) return next;
                rd_gnode *n = &b->g->nodes[k];
                n->subject = d;
                n->performer = who;
                n->to = targets(b, d->u.duty.to, &n->nto);
                n->data = data_of(b, d->u.duty.reports, &n->ndata);
                chain here = {d, who, up, up ? up->depth + 1 : 1};
                if (here.depth > RD_MAX_REPORT_CHAIN) {
                    b->p->graph_too_big = RD_GRAPH_REPORT_CHAIN;
                    b->p->graph_limit_at = d->id_span;
                    b->failed = 1;
                    return next;
                }
                uint32_t after = duty_checks_in(b, n->to, n->nto, n->data, n->ndata, head, span, st, &here);
                new_edge(b, k, after, RD_G_NEXT, NULL);
                head = k;
            }
        }
    }
    return head;
}

static uint32_t duty_checks(builder *b, const uint32_t *to, uint32_t nto, const uint32_t *data, uint32_t ndata,
                            uint32_t next, rd_span span, const rd_step *st)
{
    return duty_checks_in(b, to, nto, data, ndata, next, span, st, NULL);
}

/* Where a step begins, a permit may be used while its condition holds: the duties its recipients
 * could then owe are checked there. */
static uint32_t permit_checks(builder *b, uint32_t next, rd_span span, const rd_step *st)
{
    uint32_t head = next;
    for (uint32_t pi = 0; pi < b->npermits; pi++) {
        const rd_decl *d = b->permits[pi];
        uint32_t nt, nd;
        const uint32_t *to = targets(b, d->u.flow.with, &nt);
        const uint32_t *data = data_of(b, d->u.flow.shares, &nd);
        head = duty_checks(b, to, nt, data, nd, head, span, st);
    }
    return head;
}

static uint32_t lower_block(builder *b, const rd_block *blk, uint32_t next, const rd_step *st);

static uint32_t lower_stmt(builder *b, const rd_stmt *s, uint32_t next, const rd_step *st)
{
    rd_graph *g = b->g;
    uint32_t k, one = b->performer;
    switch (s->kind) {
    case RD_S_GOTO: return s->goto_step ? b->step_node[s->goto_step->index] : next;
    case RD_S_END: return new_node(b, RD_N_END, s->span, s, st);
    case RD_S_ASK: {
        k = new_node(b, RD_N_ASK, s->span, s, st);
        /* Asking a fact that reveals data gives the performer that data. */
        uint32_t cap = 0;
        for (const rd_ref *r = s->names; r; r = r->next)
            for (const rd_ref *v = r->decl ? r->decl->u.fact.reveals : NULL; v; v = v->next) cap++;
        uint32_t *data = rd_arena_alloc(&b->p->arena, (cap + 1) * sizeof *data), nd = 0;
        if (!data) return b->failed = 1, next;
        for (const rd_ref *r = s->names; r; r = r->next)
            for (const rd_ref *v = r->decl ? r->decl->u.fact.reveals : NULL; v; v = v->next)
                if (v->decl) data[nd++] = v->decl->index;
        g->nodes[k].data = data;
        g->nodes[k].ndata = nd;
        new_edge(b, k, nd ? duty_checks(b, &one, 1, data, nd, next, s->span, st) : next, RD_G_NEXT, NULL);
        return k;
    }
    case RD_S_INFORM:
        k = new_node(b, RD_N_INFORM, s->span, s, st);
        g->nodes[k].subject = s->names ? s->names->decl : NULL;
        new_edge(b, k, next, RD_G_NEXT, NULL);
        return k;
    case RD_S_RECORD: {
        k = new_node(b, RD_N_RECORD, s->span, s, st);
        uint32_t nd;
        const uint32_t *data = data_of(b, s->names, &nd);
        g->nodes[k].data = data;
        g->nodes[k].ndata = nd;
        new_edge(b, k, duty_checks(b, &one, 1, data, nd, next, s->span, st), RD_G_NEXT, NULL);
        return k;
    }
    case RD_S_REFER:
    case RD_S_SHARE: {
        k = new_node(b, s->kind == RD_S_REFER ? RD_N_REFER : RD_N_SHARE, s->span, s, st);
        uint32_t nd, nt;
        const uint32_t *data = data_of(b, s->names, &nd);
        const uint32_t *to = targets(b, s->targets, &nt);
        rd_gnode *n = &g->nodes[k];
        n->data = data;
        n->ndata = nd;
        n->to = to;
        n->nto = nt;
        if (s->kind == RD_S_REFER && s->service) n->subject = s->service->decl;
        new_edge(b, k, duty_checks(b, to, nt, data, nd, next, s->span, st), RD_G_NEXT, NULL);
        return k;
    }
    case RD_S_SEEK: {
        uint32_t yes = s->then_b ? lower_block(b, s->then_b, next, st) : next;
        uint32_t no = s->else_b ? lower_block(b, s->else_b, next, st) : next;
        k = new_node(b, RD_N_SEEK, s->span, s, st);
        g->nodes[k].subject = s->names ? s->names->decl : NULL;
        new_edge(b, k, yes, RD_G_GRANTED, NULL);
        new_edge(b, k, no, RD_G_REFUSED, NULL);
        return k;
    }
    case RD_S_IF: {
        uint32_t yes = s->then_b ? lower_block(b, s->then_b, next, st) : next;
        uint32_t no = s->else_b ? lower_block(b, s->else_b, next, st) : next;
        k = new_node(b, RD_N_BRANCH, s->span, s, st);
        g->nodes[k].cond = s->cond;
        new_edge(b, k, yes, RD_G_TRUE, NULL);
        new_edge(b, k, no, RD_G_FALSE, NULL);
        return k;
    }
    case RD_S_CHOOSE: {
        /* She may choose any of the options, several at once: each option is offered in turn, taken
         * or passed over, and one that does not leave the step falls through to the next offer. */
        uint32_t narms = 0;
        for (const rd_option *o = s->options; o; o = o->next) narms++;
        const rd_option **opts = rd_arena_alloc(&b->p->arena, (narms + 1) * sizeof *opts);
        if (!opts) return b->failed = 1, next;
        narms = 0;
        for (const rd_option *o = s->options; o; o = o->next) opts[narms++] = o;
        uint32_t cont = next;
        while (narms--) {
            const rd_option *o = opts[narms];
            uint32_t body = o->body ? lower_block(b, o->body, cont, st) : cont;
            k = new_node(b, RD_N_CHOOSE, o->span, s, st);
            new_edge(b, k, body, RD_G_OPTION, o);
            new_edge(b, k, cont, RD_G_SKIP, o);
            cont = k;
        }
        return cont;
    }
    }
    return next;
}

static uint32_t lower_block(builder *b, const rd_block *blk, uint32_t next, const rd_step *st)
{
    size_t n = 0;
    for (const rd_stmt *s = blk->first; s; s = s->next) n++;
    const rd_stmt **v = rd_arena_alloc(&b->p->arena, (n + 1) * sizeof *v);
    if (!v) return b->failed = 1, next;
    n = 0;
    for (const rd_stmt *s = blk->first; s; s = s->next) v[n++] = s;
    /* Back to front, so each statement knows what follows it. */
    uint32_t cont = next;
    while (n) cont = lower_stmt(b, v[--n], cont, st);
    return cont;
}

static int by_from(const void *a, const void *b)
{
    const rd_gedge *x = a, *y = b;
    return x->from < y->from ? -1 : x->from > y->from;
}

static const rd_decl **index_kind(rd_program *p, rd_decl_kind k, uint32_t *n)
{
    uint32_t count = 0;
    for (rd_decl *d = p->decls; d; d = d->next) count += d->kind == k;
    const rd_decl **v = rd_arena_alloc(&p->arena, (count + 1) * sizeof *v);
    if (!v) return NULL;
    *n = 0;
    for (rd_decl *d = p->decls; d; d = d->next)
        if (d->kind == k) {
            d->index = *n;
            v[(*n)++] = d;
        }
    return v;
}

void rd_graph_too_big(rd_program *p, rd_diagnostics *d, const char *consequence)
{
    switch (p->graph_too_big) {
    case RD_GRAPH_TOO_MANY_NODES:
        rd_diag_at(d, &p->sources, RD_SEV_ERROR, "too-many", p->graph_limit_at, "split the SOP into several, or raise RD_MAX_GRAPH_NODES in compiler/graph.h",
                     "the SOP's decision graph would have more than %u nodes; %s", RD_MAX_GRAPH_NODES, consequence);
        break;
    case RD_GRAPH_TOO_MUCH_WORK:
        rd_diag_at(d, &p->sources, RD_SEV_ERROR, "too-many", p->graph_limit_at,
                     "fewer duties should apply to the actors that other duties report to; the limit is RD_MAX_GRAPH_WORK in compiler/graph.h",
                     "placing the duties in the decision graph took more than %llu checks; %s", RD_MAX_GRAPH_WORK, consequence);
        break;
    default:
        rd_diag_at(d, &p->sources, RD_SEV_ERROR, "too-deep", p->graph_limit_at,
                     "look at which duties apply to the actors other duties report to; the limit is RD_MAX_REPORT_CHAIN in compiler/graph.h",
                     "a report makes another duty fire at its recipient, and that one another, more than %u deep; %s",
                     RD_MAX_REPORT_CHAIN, consequence);
    }
}

rd_graph *rd_graph_build(rd_program *p)
{
    rd_graph *g = rd_arena_alloc(&p->arena, sizeof *g);
    if (!g) return NULL;
    builder b = {.p = p, .g = g};
    b.duties = rd_arena_alloc(&p->arena, (p->ndecls + 1) * sizeof *b.duties);
    b.permits = rd_arena_alloc(&p->arena, (p->ndecls + 1) * sizeof *b.permits);
    g->principles = rd_arena_alloc(&p->arena, (p->ndecls + 1) * sizeof *g->principles);
    if (!b.duties || !b.permits || !g->principles) return NULL;
    uint32_t nsectors = 0;
    for (rd_decl *d = p->decls; d; d = d->next) {
        if (d->kind == RD_D_DUTY) b.duties[b.nduties++] = d;
        if (d->kind == RD_D_PERMIT) b.permits[b.npermits++] = d;
        if (d->kind == RD_D_PRINCIPLE) g->principles[g->nprinciples++] = d;
        if (d->kind == RD_D_SECTOR) d->index = nsectors++;
    }
    g->duties = b.duties, g->nduties = b.nduties;
    g->permits = b.permits, g->npermits = b.npermits;
    b.sector_members = rd_arena_alloc(&p->arena, (nsectors + 1) * sizeof *b.sector_members);
    b.sector_count = rd_arena_alloc(&p->arena, (nsectors + 1) * sizeof *b.sector_count);
    if (!b.sector_members || !b.sector_count) return NULL;
    g->actors = index_kind(p, RD_D_ACTOR, &g->nactors);
    g->data = index_kind(p, RD_D_DATA, &g->ndata);
    g->facts = index_kind(p, RD_D_FACT, &g->nfacts);
    g->consents = index_kind(p, RD_D_CONSENT, &g->nconsents);
    uint32_t npw = 0;
    for (rd_decl *d = p->decls; d; d = d->next) npw += d->kind == RD_D_PATHWAY;
    g->pathways = rd_arena_alloc(&p->arena, (npw + 1) * sizeof *g->pathways);
    if (!g->actors || !g->data || !g->facts || !g->consents || !g->pathways) return NULL;
    for (uint32_t i = 0; i < g->nfacts; i++) g->nlua += g->facts[i]->u.fact.lua != NULL;
    if (rd_flow_prepare(g, &p->arena) != 0) return NULL;

    for (rd_decl *d = p->decls; d && !b.failed; d = d->next) {
        if (d->kind != RD_D_PATHWAY) continue;
        rd_gpathway *pw = &g->pathways[g->npathways++];
        pw->decl = d;
        pw->entry = targets(&b, d->u.pathway.entry, &pw->nentry);
        b.pw = pw;
        uint32_t nsteps = 0;
        for (rd_step *s = d->u.pathway.steps; s; s = s->next) s->index = nsteps++;
        b.step_node = rd_arena_alloc(&p->arena, (nsteps + 1) * sizeof *b.step_node);
        if (!b.step_node) return NULL;
        /* Markers first, so a goto can point at a step not lowered yet. */
        for (rd_step *s = d->u.pathway.steps; s; s = s->next) {
            b.performer = s->by && s->by->decl ? s->by->decl->index : RD_PROVIDER;
            b.step_node[s->index] = new_node(&b, RD_N_STEP, s->span, NULL, s);
        }
        for (rd_step *s = d->u.pathway.steps; s && !b.failed; s = s->next) {
            b.performer = s->by && s->by->decl ? s->by->decl->index : RD_PROVIDER;
            rd_span close = {s->body->span.file, s->body->span.end_line, s->body->span.end_col,
                             s->body->span.end_line, s->body->span.end_col};
            uint32_t fall = new_node(&b, RD_N_END, close, NULL, s);
            uint32_t first = lower_block(&b, s->body, fall, s);
            new_edge(&b, b.step_node[s->index], permit_checks(&b, first, s->span, s), RD_G_NEXT, NULL);
        }
        rd_step *start = d->u.pathway.start ? rd_map_get(&d->u.pathway.step_map, d->u.pathway.start->id) : NULL;
        pw->start = start ? b.step_node[start->index] : 0;
    }
    if (b.failed) {
        free(g->nodes);
        free(b.edges);
        return NULL;
    }
    /* Edges in the arena, grouped by source node; the nodes array moves there too so the program's
     * arena owns the whole graph. */
    if (g->nedges) qsort(b.edges, g->nedges, sizeof *b.edges, by_from);
    rd_gedge *edges = rd_arena_alloc(&p->arena, (g->nedges + 1) * sizeof *edges);
    rd_gnode *nodes = rd_arena_alloc(&p->arena, (g->nnodes + 1) * sizeof *nodes);
    if (edges && nodes && g->nedges) memcpy(edges, b.edges, g->nedges * sizeof *edges);
    if (edges && nodes && g->nnodes) memcpy(nodes, g->nodes, g->nnodes * sizeof *nodes);
    free(b.edges);
    free(g->nodes);
    if (!edges || !nodes) return NULL;
    g->edges = edges;
    g->nodes = nodes;
    for (uint32_t i = 0, e = 0; i < g->nnodes; i++) {
        g->nodes[i].first_out = e;
        while (e < g->nedges && g->edges[e].from == i) e++;
        g->nodes[i].nout = e - g->nodes[i].first_out;
    }
    return g;
}

/* ---- plain words ----------------------------------------------------------------------------- */

static const char *const op_text[] = {"==", "!=", "<", "<=", ">", ">="};

static void expr_text(const rd_expr *e, char *buf, size_t cap, size_t *off, int parent_prec)
{
#define PUT(...) do { if (*off < cap) { int w_ = snprintf(buf + *off, cap - *off, __VA_ARGS__); if (w_ > 0) *off += (size_t)w_; } } while (0)
    if (!e) return;
    int prec = e->kind == RD_E_OR ? 1 : e->kind == RD_E_AND ? 2 : e->kind == RD_E_NOT ? 3 : e->kind == RD_E_CMP ? 4 : 6;
    if (prec < parent_prec) PUT("(");
    switch (e->kind) {
    case RD_E_OR:
    case RD_E_AND:
        expr_text(e->a, buf, cap, off, prec);
        PUT(e->kind == RD_E_OR ? " or " : " and ");
        expr_text(e->b, buf, cap, off, prec + 1);
        break;
    case RD_E_NOT: PUT("not "); expr_text(e->a, buf, cap, off, prec); break;
    case RD_E_KNOWN: PUT("known %s", e->id); break;
    case RD_E_IN:
        PUT("%s in { ", e->id);
        for (const rd_ref *r = e->set; r; r = r->next) PUT("%s%s", r->id, r->next ? ", " : " }");
        break;
    case RD_E_CMP:
        expr_text(e->a, buf, cap, off, 5);
        PUT(" %s ", op_text[e->op]);
        expr_text(e->b, buf, cap, off, 5);
        break;
    case RD_E_NAME: PUT("%s", e->id); break;
    case RD_E_INT: PUT("%lld", e->value); break;
    case RD_E_BOOL: PUT("%s", e->value ? "true" : "false"); break;
    }
    if (prec < parent_prec) PUT(")");
#undef PUT
}

const char *rd_expr_text_in(rd_arena *a, const rd_expr *e)
{
    char buf[512];
    size_t off = 0;
    expr_text(e, buf, sizeof buf, &off, 0);
    if (off >= sizeof buf) off = sizeof buf - 1;
    return rd_arena_strndup(a, buf, off);
}

const char *rd_expr_text(rd_program *p, const rd_expr *e) { return rd_expr_text_in(&p->arena, e); }

const char *rd_graph_actor_name(const rd_graph *g, uint32_t a)
{
    return a == RD_PROVIDER ? "provider" : a < g->nactors ? g->actors[a]->id : "?";
}

static void list_data(const rd_graph *g, const uint32_t *d, uint32_t n, char *buf, size_t cap, size_t *off)
{
    for (uint32_t i = 0; i < n && *off < cap; i++) {
        int w = snprintf(buf + *off, cap - *off, "%s%s", i ? ", " : "", g->data[d[i]]->id);
        if (w > 0) *off += (size_t)w;
    }
}

static const char *ref_list(rd_arena *a, const rd_ref *r)
{
    char buf[512];
    size_t off = 0;
    for (; r && off < sizeof buf; r = r->next) {
        int w = snprintf(buf + off, sizeof buf - off, "%s%s%s", off ? ", " : "", r->tag == RD_REF_SECTOR ? "sector " : "", r->id);
        if (w > 0) off += (size_t)w;
    }
    if (off >= sizeof buf) off = sizeof buf - 1;
    return rd_arena_strndup(a, buf, off);
}

const char *rd_graph_node_text(const rd_graph *g, rd_program *p, uint32_t i)
{
    return rd_graph_node_text_in(g, &p->arena, i);
}

const char *rd_graph_node_text_in(const rd_graph *g, rd_arena *ar, uint32_t i)
{
    const rd_gnode *n = &g->nodes[i];
    const rd_stmt *s = n->stmt;
    char data[512];
    size_t off = 0;
    data[0] = '\0';
    list_data(g, n->data, n->ndata, data, sizeof data, &off);
    switch (n->kind) {
    case RD_N_STEP: return rd_arena_printf(ar, "%s (%s)", n->step->id, rd_graph_actor_name(g, n->performer));
    case RD_N_ASK: return rd_arena_printf(ar, "ask %s", ref_list(ar, s->names));
    case RD_N_INFORM: return rd_arena_printf(ar, "inform %s", n->subject ? n->subject->id : "?");
    case RD_N_RECORD: return rd_arena_printf(ar, "%s records %s", rd_graph_actor_name(g, n->performer), data);
    case RD_N_SEEK: return rd_arena_printf(ar, "seek %s", n->subject ? n->subject->id : "?");
    case RD_N_REFER:
        return n->ndata ? rd_arena_printf(ar, "refer %s for %s (shares %s)", ref_list(ar, s->targets), s->service->id, data)
                        : rd_arena_printf(ar, "refer %s for %s", ref_list(ar, s->targets), s->service->id);
    case RD_N_SHARE: return rd_arena_printf(ar, "share %s with %s", data, ref_list(ar, s->targets));
    case RD_N_CHOOSE: return "she chooses";
    case RD_N_BRANCH: return rd_arena_printf(ar, "if %s", rd_expr_text_in(ar, n->cond));
    case RD_N_END:
        return s && s->text ? rd_arena_printf(ar, "end \"%s\"", s->text) : rd_arena_printf(ar, "end of step %s", n->step->id);
    case RD_N_DUTY:
        return rd_arena_printf(ar, "duty %s fires at %s (reports %s to %s)", n->subject->id,
                               rd_graph_actor_name(g, n->performer), data, ref_list(ar, n->subject->u.duty.to));
    }
    return "?";
}
