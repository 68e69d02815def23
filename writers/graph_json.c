/* The decision graph as JSON, for programs that read it (`rightdoor graph --format json`): every
 * node with its kind, words, place in the SOP and edges, and every pathway with its start and
 * entries. */
#include "graph.h"
#include <jansson.h>

static const char *const node_kind_name[] = {"step", "ask", "inform", "record", "seek", "refer", "share",
                                             "choose", "branch", "end", "duty"};
static const char *const edge_kind_name[] = {"next", "true", "false", "granted", "refused", "option", "skip"};

static json_t *index_array(const rd_decl *const *names, const uint32_t *v, uint32_t n)
{
    json_t *a = json_array();
    for (uint32_t i = 0; i < n; i++) json_array_append_new(a, json_string(names[v[i]]->id));
    return a;
}

static int write_json(const rd_graph *g, rd_program *p, FILE *out)
{
    json_t *root = json_object(), *nodes = json_array(), *pws = json_array();
    for (uint32_t i = 0; i < g->nnodes; i++) {
        const rd_gnode *n = &g->nodes[i];
        json_t *o = json_object(), *edges = json_array();
        json_object_set_new(o, "id", json_integer(i));
        json_object_set_new(o, "kind", json_string(node_kind_name[n->kind]));
        json_object_set_new(o, "text", json_string(rd_graph_node_text(g, p, i)));
        json_object_set_new(o, "pathway", json_string(n->pathway ? n->pathway->id : ""));
        json_object_set_new(o, "step", json_string(n->step ? n->step->id : ""));
        json_object_set_new(o, "performer", json_string(rd_graph_actor_name(g, n->performer)));
        json_object_set_new(o, "file", json_string(p->sources.v[n->span.file].path));
        json_object_set_new(o, "line", json_integer(n->span.line));
        json_object_set_new(o, "column", json_integer(n->span.col));
        if (n->subject) json_object_set_new(o, "subject", json_string(n->subject->id));
        if (n->nto) json_object_set_new(o, "to", index_array(g->actors, n->to, n->nto));
        if (n->ndata) json_object_set_new(o, "data", index_array(g->data, n->data, n->ndata));
        for (uint32_t e = n->first_out; e < n->first_out + n->nout; e++) {
            json_t *eo = json_object();
            json_object_set_new(eo, "to", json_integer(g->edges[e].to));
            json_object_set_new(eo, "kind", json_string(edge_kind_name[g->edges[e].kind]));
            if (g->edges[e].option) json_object_set_new(eo, "option", json_string(g->edges[e].option->id));
            json_array_append_new(edges, eo);
        }
        json_object_set_new(o, "edges", edges);
        json_array_append_new(nodes, o);
    }
    for (uint32_t i = 0; i < g->npathways; i++) {
        json_t *o = json_object();
        json_object_set_new(o, "name", json_string(g->pathways[i].decl->id));
        json_object_set_new(o, "start", json_integer(g->pathways[i].start));
        json_object_set_new(o, "entry", index_array(g->actors, g->pathways[i].entry, g->pathways[i].nentry));
        json_array_append_new(pws, o);
    }
    json_object_set_new(root, "pathways", pws);
    json_object_set_new(root, "nodes", nodes);
    int rc = json_dumpf(root, out, JSON_INDENT(1) | JSON_PRESERVE_ORDER) == 0 && fputc('\n', out) != EOF ? 0 : -1;
    json_decref(root);
    return rc;
}

rd_status rd_graph_json_write(rd_program *p, FILE *out)
{
    rd_graph *g = p ? rd_program_graph(p) : NULL;
    if (!g) return RD_ERR_NOMEM;
    return write_json(g, p, out) == 0 ? RD_OK : RD_ERR_IO;
}
