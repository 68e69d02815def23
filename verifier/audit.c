/* The graph as a Lua audit check sees it, as one read-only global `graph`:
 *
 *   graph.nodes[i]    = { id = i, kind = "refer", text = "refer ... for ...", pathway, step,
 *                         performer, file, line, subject?, to = {actor...}, data = {data...},
 *                         edges = { {to = j, kind = "granted", option?}, ... } }
 *   graph.pathways[i] = { name, start = node id, entry = {actor...} }
 *   graph.actors[id]  = { label, sector, specialist, provides = {...}, languages = {...} }
 *   graph.data[id]    = { label, identifying, protected, reveals = {...} }
 *
 * Node ids are 1-based, as Lua lists are. The check returns nil, or a list of the node ids where
 * the principle fails. */
#include "audit.h"
#include "lua_sandbox.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct tb {
    rd_arena *a;
    int failed;
} tb;

static rd_lua_tree *tnew(tb *t, rd_lua_tkind kind, const char *key)
{
    rd_lua_tree *n = rd_arena_alloc(t->a, sizeof *n);
    if (!n) {
        t->failed = 1;
        return NULL;
    }
    n->kind = kind;
    n->key = key;
    return n;
}

/* Appends child to a list or map being built; *tail points at where the next entry goes. */
static void add(const rd_lua_tree ***tail, rd_lua_tree *child)
{
    if (!child) return;
    **tail = child;
    *tail = &child->next;
}

static rd_lua_tree *tstr(tb *t, const char *key, const char *s)
{
    rd_lua_tree *n = tnew(t, RD_LT_STRING, key);
    if (n) n->s = s ? s : "";
    return n;
}

static rd_lua_tree *tint(tb *t, const char *key, long long v, rd_lua_tkind kind)
{
    rd_lua_tree *n = tnew(t, kind, key);
    if (n) n->i = v;
    return n;
}

/* A list of names from a list of indexes into decls. */
static rd_lua_tree *name_list(tb *t, const char *key, const rd_decl *const *decls, const uint32_t *v, uint32_t n)
{
    rd_lua_tree *l = tnew(t, RD_LT_LIST, key);
    if (!l) return NULL;
    const rd_lua_tree **tail = &l->first;
    for (uint32_t i = 0; i < n; i++) add(&tail, tstr(t, NULL, decls[v[i]]->id));
    return l;
}

static rd_lua_tree *ref_list(tb *t, const char *key, const rd_ref *r)
{
    rd_lua_tree *l = tnew(t, RD_LT_LIST, key);
    if (!l) return NULL;
    const rd_lua_tree **tail = &l->first;
    for (; r; r = r->next) add(&tail, tstr(t, NULL, r->id));
    return l;
}

static const char *const node_kind[] = {"step", "ask", "inform", "record", "seek", "refer", "share",
                                        "choose", "branch", "end", "duty"};
static const char *const edge_kind[] = {"next", "true", "false", "granted", "refused", "option", "skip"};

static rd_lua_tree *graph_tree(tb *t, rd_program *p, rd_graph *g)
{
    rd_lua_tree *root = tnew(t, RD_LT_MAP, NULL), *nodes = tnew(t, RD_LT_LIST, "nodes");
    rd_lua_tree *pws = tnew(t, RD_LT_LIST, "pathways"), *actors = tnew(t, RD_LT_MAP, "actors");
    rd_lua_tree *data = tnew(t, RD_LT_MAP, "data");
    if (!root || !nodes || !pws || !actors || !data) return NULL;
    const rd_lua_tree **rt = &root->first, **nt = &nodes->first, **pt = &pws->first;
    const rd_lua_tree **at = &actors->first, **dt = &data->first;
    add(&rt, nodes);
    add(&rt, pws);
    add(&rt, actors);
    add(&rt, data);
    for (uint32_t i = 0; i < g->nnodes && !t->failed; i++) {
        const rd_gnode *n = &g->nodes[i];
        rd_lua_tree *o = tnew(t, RD_LT_MAP, NULL), *edges = tnew(t, RD_LT_LIST, "edges");
        if (!o || !edges) break;
        const rd_lua_tree **ot = &o->first, **et = &edges->first;
        add(&ot, tint(t, "id", (long long)i + 1, RD_LT_INT));
        add(&ot, tstr(t, "kind", node_kind[n->kind]));
        add(&ot, tstr(t, "text", rd_graph_node_text(g, p, i)));
        add(&ot, tstr(t, "pathway", n->pathway ? n->pathway->id : ""));
        add(&ot, tstr(t, "step", n->step ? n->step->id : ""));
        add(&ot, tstr(t, "performer", rd_graph_actor_name(g, n->performer)));
        add(&ot, tstr(t, "file", p->sources.v[n->span.file].path));
        add(&ot, tint(t, "line", n->span.line, RD_LT_INT));
        if (n->subject) add(&ot, tstr(t, "subject", n->subject->id));
        add(&ot, name_list(t, "to", g->actors, n->to, n->nto));
        add(&ot, name_list(t, "data", g->data, n->data, n->ndata));
        for (uint32_t e = n->first_out; e < n->first_out + n->nout; e++) {
            rd_lua_tree *eo = tnew(t, RD_LT_MAP, NULL);
            if (!eo) break;
            const rd_lua_tree **eot = &eo->first;
            add(&eot, tint(t, "to", (long long)g->edges[e].to + 1, RD_LT_INT));
            add(&eot, tstr(t, "kind", edge_kind[g->edges[e].kind]));
            if (g->edges[e].option) add(&eot, tstr(t, "option", g->edges[e].option->id));
            add(&et, eo);
        }
        add(&ot, edges);
        add(&nt, o);
    }
    for (uint32_t i = 0; i < g->npathways; i++) {
        rd_lua_tree *o = tnew(t, RD_LT_MAP, NULL);
        if (!o) break;
        const rd_lua_tree **ot = &o->first;
        add(&ot, tstr(t, "name", g->pathways[i].decl->id));
        add(&ot, tint(t, "start", (long long)g->pathways[i].start + 1, RD_LT_INT));
        add(&ot, name_list(t, "entry", g->actors, g->pathways[i].entry, g->pathways[i].nentry));
        add(&pt, o);
    }
    for (uint32_t i = 0; i < g->nactors; i++) {
        const rd_decl *d = g->actors[i];
        rd_lua_tree *o = tnew(t, RD_LT_MAP, d->id);
        if (!o) break;
        const rd_lua_tree **ot = &o->first;
        add(&ot, tstr(t, "label", d->label));
        add(&ot, tstr(t, "sector", d->u.actor.sector ? d->u.actor.sector->id : ""));
        add(&ot, tint(t, "specialist", d->u.actor.specialist != 0, RD_LT_BOOL));
        add(&ot, ref_list(t, "provides", d->u.actor.provides));
        add(&ot, ref_list(t, "languages", d->u.actor.languages));
        add(&at, o);
    }
    for (uint32_t i = 0; i < g->ndata; i++) {
        const rd_decl *d = g->data[i];
        rd_lua_tree *o = tnew(t, RD_LT_MAP, d->id);
        if (!o) break;
        const rd_lua_tree **ot = &o->first;
        add(&ot, tstr(t, "label", d->label));
        add(&ot, tint(t, "identifying", d->u.data.identifying != 0, RD_LT_BOOL));
        add(&ot, tint(t, "protected", d->u.data.protected_ != 0, RD_LT_BOOL));
        add(&ot, ref_list(t, "reveals", d->u.data.reveals));
        add(&dt, o);
    }
    return t->failed ? NULL : root;
}

int rd_audit_run(rd_program *p, rd_graph *g, const rd_decl *principle, uint32_t **nodes, size_t *n, char *err,
                 size_t errlen)
{
    *nodes = NULL;
    *n = 0;
    int via;
    char *path = rd_find_file(p, principle->span.file, principle->u.principle.lua, NULL, NULL, &via);
    if (!path) {
        snprintf(err, errlen, "cannot find `%s`", principle->u.principle.lua);
        return -1;
    }
    uint32_t idx;
    rd_span at = principle->u.principle.lua_span;
    if (rd_load_source(p, path, at, 1, 0, &idx) < 0) {
        snprintf(err, errlen, "cannot read `%s`", principle->u.principle.lua);
        return -1;
    }
    tb t = {&p->arena, 0};
    rd_lua_tree *tree = graph_tree(&t, p, g);
    rd_lua_limits lim = {RD_AUDIT_MEMORY, RD_AUDIT_INSTRUCTIONS, RD_AUDIT_MILLISECONDS};
    rd_lua *sb = tree ? rd_lua_open(&lim) : NULL;
    long long *ids = malloc(((size_t)g->nnodes + 1) * sizeof *ids);
    uint32_t *out = malloc(((size_t)g->nnodes + 1) * sizeof *out);
    int rc = -1;
    if (!sb || !ids || !out) {
        snprintf(err, errlen, "out of memory");
        rc = -2;
        goto done;
    }
    rd_source *src = &p->sources.v[idx];
    int fn = rd_lua_load(sb, src->path, src->text, src->len, err, errlen);
    if (fn < 0) goto done;
    if (!p->audits_begun) {
        p->audits_begun = 1;
        p->audit_instructions = RD_AUDIT_TOTAL_INSTRUCTIONS;
        p->audit_milliseconds = RD_AUDIT_TOTAL_MILLISECONDS;
    }
    rd_lua_budget(sb, p->audit_instructions, p->audit_milliseconds);
    size_t got = 0;
    int called = rd_lua_call_tree(sb, fn, "graph", tree, ids, g->nnodes, &got, err, errlen);
    rd_lua_budget_left(sb, &p->audit_instructions, &p->audit_milliseconds);
    if (called != 0) goto done;
    for (size_t i = 0; i < got; i++) {
        if (ids[i] < 1 || ids[i] > (long long)g->nnodes) {
            snprintf(err, errlen, "%s: returned %lld, which is not a node id (1 to %u)", src->path, ids[i], g->nnodes);
            goto done;
        }
        out[(*n)++] = (uint32_t)(ids[i] - 1);
    }
    *nodes = out;
    out = NULL;
    rc = 0;
done:
    rd_lua_close(sb);
    free(ids);
    free(out);
    return rc;
}
