/* `rightdoor diff OLD.sop NEW.sop`: what a revision of an SOP changes in meaning, not in text.
 *
 * Committees revise an SOP after each meeting and when monitoring finds gaps (seed 000, Table 1,
 * steps 7 and 10). A text diff of two versions shows moved lines and reworded comments, and hides
 * what matters to her: who may now learn what, which principle now fails. So the comparison is of
 * the compiled programs, by name:
 *   - declarations (actors, data categories, consents, permits, duties): added, removed, or changed
 *     in a field that has meaning (lists compared as sets, so reordering is no change);
 *   - who can receive what: every (data, actor) pair some real path lets the actor hold, from the
 *     verifier's own fixpoint (rd_verify_holdings), with how it gets there and under which consent;
 *   - principle results: each principle's verdict in both versions (rd_verify on each);
 *   - waivers, and the steps of each pathway (names only).
 * The comparison is built once as a JSON tree; the text for a committee is written from that tree,
 * so both formats always say the same thing. */
#include "diff.h"
#include "graph.h"
#include "verify.h"
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

typedef struct ctx {
    rd_program *old, *new_;
    int bad; /* some part of the tree could not be built: out of memory */
    size_t count;
} ctx;

/* o[k] = v, taking v; a NULL o or v (out of memory) marks the tree as failed. jansson releases v
 * when the set fails. */
static void put(ctx *c, json_t *o, const char *k, json_t *v)
{
    if (json_object_set_new(o, k, v) != 0) c->bad = 1;
}
static void push(ctx *c, json_t *a, json_t *v)
{
    if (json_array_append_new(a, v) != 0) c->bad = 1;
}
static json_t *push_obj(ctx *c, json_t *a)
{
    json_t *o = json_object();
    if (json_array_append_new(a, o) != 0) {
        c->bad = 1;
        return NULL;
    }
    return o;
}
static json_t *str(const char *s) { return rd_json_str(s); }

static const char *file_of(rd_program *p, rd_span sp) { return sp.file < p->sources.n ? p->sources.v[sp.file].path : "?"; }

/* Where a change is, as "file", "line" and "column" keys. */
static void put_at(ctx *c, json_t *o, rd_program *p, rd_span sp)
{
    put(c, o, "file", str(file_of(p, sp)));
    put(c, o, "line", json_integer(sp.line));
    put(c, o, "column", json_integer(sp.col));
}

/* ---- declarations ---------------------------------------------------------------------------- */

static json_t *ref_words(const rd_ref *r)
{
    json_t *a = json_array();
    for (; r && a; r = r->next) {
        const char *w = r->tag == RD_REF_SECTOR ? NULL : r->id;
        json_t *s;
        if (w) {
            s = str(w);
        } else {
            size_t n = strlen(r->id) + 8;
            char *buf = malloc(n);
            if (!buf) {
                json_decref(a);
                return NULL;
            }
            snprintf(buf, n, "sector %s", r->id);
            s = str(buf);
            free(buf);
        }
        if (json_array_append_new(a, s) != 0) {
            json_decref(a);
            return NULL;
        }
    }
    return a;
}

static json_t *one_word(const char *w)
{
    json_t *a = json_array();
    if (a && w && json_array_append_new(a, str(w)) != 0) {
        json_decref(a);
        return NULL;
    }
    return a;
}

/* The fields with meaning, per kind of declaration, as a committee calls them. Descriptive fields
 * (hours, contact, purpose) are left out: changing them changes no flow and no verdict. */
typedef struct kind_fields {
    rd_decl_kind kind;
    const char *name, *heading;
    const char *fields[5];
} kind_fields;

static const kind_fields kinds[] = {
    {RD_D_ACTOR, "actor", "Actors", {"sector", "specialist", "services provided", "languages"}},
    {RD_D_DATA, "data", "Data categories", {"attributes", "reveals"}},
    {RD_D_CONSENT, "consent", "Consents", {"shares", "with"}},
    {RD_D_PERMIT, "permit", "Permits", {"shares", "with", "when"}},
    {RD_D_DUTY, "duty", "Duties", {"applies to", "when", "reports", "to", "notice"}},
};

/* Field f of declaration d (of kind k) as a list of words; a missing value is []. */
static json_t *field_value(rd_program *p, const kind_fields *k, const rd_decl *d, unsigned f)
{
    const char *name = k->fields[f];
    switch (d->kind) {
    case RD_D_ACTOR:
        if (!strcmp(name, "sector")) return ref_words(d->u.actor.sector);
        if (!strcmp(name, "specialist")) return one_word(d->u.actor.specialist ? "yes" : "no");
        if (!strcmp(name, "services provided")) return ref_words(d->u.actor.provides);
        return ref_words(d->u.actor.languages);
    case RD_D_DATA: {
        if (!strcmp(name, "reveals")) return ref_words(d->u.data.reveals);
        json_t *a = json_array();
        if (a && d->u.data.identifying && json_array_append_new(a, str("identifying")) != 0) a = NULL;
        if (a && d->u.data.protected_ && json_array_append_new(a, str("protected")) != 0) a = NULL;
        return a;
    }
    case RD_D_CONSENT:
    case RD_D_PERMIT:
        if (!strcmp(name, "shares")) return ref_words(d->u.flow.shares);
        if (!strcmp(name, "with")) return ref_words(d->u.flow.with);
        return one_word(d->u.flow.when ? rd_expr_text(p, d->u.flow.when) : NULL);
    case RD_D_DUTY:
        if (!strcmp(name, "applies to")) return ref_words(d->u.duty.applies);
        if (!strcmp(name, "when")) return one_word(d->u.duty.when ? rd_expr_text(p, d->u.duty.when) : NULL);
        if (!strcmp(name, "reports")) return ref_words(d->u.duty.reports);
        if (!strcmp(name, "to")) return ref_words(d->u.duty.to);
        return ref_words(d->u.duty.notice);
    default: return json_array();
    }
}

static int has_word(const json_t *a, const char *w)
{
    for (size_t i = 0; i < json_array_size(a); i++)
        if (!strcmp(json_string_value(json_array_get(a, i)), w)) return 1;
    return 0;
}

/* Lists compared as sets: naming the same recipients in another order changes nothing. */
static int same_words(const json_t *a, const json_t *b)
{
    for (size_t i = 0; i < json_array_size(a); i++)
        if (!has_word(b, json_string_value(json_array_get(a, i)))) return 0;
    for (size_t i = 0; i < json_array_size(b); i++)
        if (!has_word(a, json_string_value(json_array_get(b, i)))) return 0;
    return 1;
}

static void add_decl(ctx *c, json_t *arr, const kind_fields *k, const rd_decl *d, const char *change, rd_program *p,
                     const rd_decl *od)
{
    json_t *o = push_obj(c, arr);
    put(c, o, "kind", str(k->name));
    put(c, o, "name", str(d->id));
    put(c, o, "label", str(d->label));
    put(c, o, "change", str(change));
    put_at(c, o, p, d->id_span);
    json_t *fields = json_array();
    put(c, o, "fields", fields);
    int added = !strcmp(change, "added"), removed = !strcmp(change, "removed");
    for (unsigned f = 0; f < sizeof k->fields / sizeof *k->fields && k->fields[f]; f++) {
        json_t *nv = removed ? json_array() : field_value(p, k, d, f);
        json_t *ov = added ? json_array() : removed ? field_value(p, k, d, f) : field_value(c->old, k, od, f);
        if (!nv || !ov) c->bad = 1;
        if (!nv || !ov || (!added && !removed && same_words(nv, ov)) || (added && !json_array_size(nv)) ||
            (removed && !json_array_size(ov))) {
            json_decref(nv);
            json_decref(ov);
            continue;
        }
        json_t *fo = push_obj(c, fields);
        put(c, fo, "field", str(k->fields[f]));
        put(c, fo, "old", ov);
        put(c, fo, "new", nv);
    }
    if (!strcmp(change, "changed") && !json_array_size(fields)) {
        /* Only descriptive fields differ: no change in meaning. */
        json_array_remove(arr, json_array_size(arr) - 1);
        return;
    }
    c->count++;
}

static void diff_decls(ctx *c, json_t *arr)
{
    for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++) {
        const kind_fields *k = &kinds[i];
        for (const rd_decl *d = c->new_->decls; d; d = d->next) {
            if (d->kind != k->kind || !d->id) continue;
            const rd_decl *od = rd_map_get(&c->old->names[k->kind], d->id);
            add_decl(c, arr, k, d, od ? "changed" : "added", c->new_, od);
        }
        for (const rd_decl *od = c->old->decls; od; od = od->next)
            if (od->kind == k->kind && od->id && !rd_map_get(&c->new_->names[k->kind], od->id))
                add_decl(c, arr, k, od, "removed", c->old, NULL);
    }
}

/* ---- who can receive what -------------------------------------------------------------------- */

/* How data gets to an actor, in words: the ways, then whether her consent is always behind it. */
static const char *how_words(rd_program *p, const rd_holding *h)
{
    char buf[2048];
    size_t off = 0;
#define PUT(...)                                                                                  \
    do {                                                                                          \
        if (off < sizeof buf) {                                                                   \
            int w_ = snprintf(buf + off, sizeof buf - off, __VA_ARGS__);                          \
            if (w_ > 0) off += (size_t)w_;                                                        \
        }                                                                                         \
    } while (0)
    const char *sep = "";
    if (h->how & RD_HOLD_COLLECT) {
        PUT("they record it themselves");
        sep = "; ";
    }
    if (h->how & RD_HOLD_FLOW) {
        PUT("%sit is sent to them", sep);
        sep = "; ";
        if (h->consented) {
            PUT(" only after she consents to ");
            for (uint32_t i = 0; i < h->nconsents; i++) PUT("%s%s", i ? (i + 1 == h->nconsents ? " or " : ", ") : "", h->consents[i]->id);
        } else if (h->nconsents) {
            PUT(" even without her consent (");
            for (uint32_t i = 0; i < h->nconsents; i++) PUT("%s%s", i ? ", " : "", h->consents[i]->id);
            PUT(" cover%s it only in some cases)", h->nconsents == 1 ? "s" : "");
        } else {
            PUT(" without her consent");
        }
    }
    for (uint32_t i = 0; i < h->nduties; i++) {
        PUT("%sduty %s reports it to them", sep, h->duties[i]->id);
        sep = "; ";
    }
    for (uint32_t i = 0; i < h->npermits; i++) {
        PUT("%spermit %s lets it go to them when %s", sep, h->permits[i]->id,
            h->permits[i]->u.flow.when ? rd_expr_text(p, h->permits[i]->u.flow.when) : "always");
        sep = "; ";
    }
#undef PUT
    if (off >= sizeof buf) off = sizeof buf - 1;
    return rd_arena_strndup(&p->arena, buf, off);
}

static json_t *decl_names(const rd_decl *const *v, uint32_t n)
{
    json_t *a = json_array();
    for (uint32_t i = 0; i < n && a; i++)
        if (json_array_append_new(a, str(v[i]->id)) != 0) {
            json_decref(a);
            return NULL;
        }
    return a;
}

static json_t *how_json(ctx *c, rd_program *p, const rd_holding *h)
{
    rd_graph *g = p->graph;
    json_t *o = json_object();
    put(c, o, "words", str(how_words(p, h)));
    put(c, o, "collected", json_boolean(h->how & RD_HOLD_COLLECT));
    put(c, o, "sent", json_boolean(h->how & RD_HOLD_FLOW));
    put(c, o, "consented", json_boolean(h->consented));
    put(c, o, "consents", decl_names(h->consents, h->nconsents));
    put(c, o, "duties", decl_names(h->duties, h->nduties));
    put(c, o, "permits", decl_names(h->permits, h->npermits));
    json_t *via = json_object();
    if (h->via != UINT32_MAX) {
        put(c, via, "text", str(rd_graph_node_text(g, p, h->via)));
        put_at(c, via, p, g->nodes[h->via].span);
    } else if (h->npermits) {
        put(c, via, "text", str(rd_arena_printf(&p->arena, "permit %s", h->permits[0]->id)));
        put_at(c, via, p, h->permits[0]->id_span);
    } else {
        json_decref(via);
        via = json_null();
    }
    put(c, o, "via", via);
    return o;
}

static const char *pair_key(rd_program *p, const rd_holding *h)
{
    return rd_arena_printf(&p->arena, "%s %s", p->graph->data[h->data]->id, p->graph->actors[h->actor]->id);
}

static void add_flow(ctx *c, json_t *arr, rd_program *p, const rd_holding *h, const char *change, json_t *old, json_t *new_)
{
    json_t *o = push_obj(c, arr);
    put(c, o, "data", str(p->graph->data[h->data]->id));
    put(c, o, "actor", str(p->graph->actors[h->actor]->id));
    put(c, o, "change", str(change));
    put(c, o, "old", old ? old : json_null());
    put(c, o, "new", new_ ? new_ : json_null());
    c->count++;
}

/* -1 out of memory, -2 the verifier's budget ran out. */
static int diff_flows(ctx *c, json_t *arr)
{
    rd_holding *oh, *nh;
    uint32_t on, nn;
    if (!rd_program_graph(c->old) || !rd_program_graph(c->new_)) return -1;
    int rc = rd_verify_holdings(c->old, c->old->graph, &oh, &on);
    if (rc == 0) rc = rd_verify_holdings(c->new_, c->new_->graph, &nh, &nn);
    if (rc != 0) return rc;
    rd_map old_by_key, new_by_key;
    rd_map_init(&old_by_key);
    rd_map_init(&new_by_key);
    for (uint32_t i = 0; i < on && !c->bad; i++)
        if (rd_map_put(&old_by_key, pair_key(c->old, &oh[i]), &oh[i]) != 0) c->bad = 1;
    for (uint32_t i = 0; i < nn && !c->bad; i++)
        if (rd_map_put(&new_by_key, pair_key(c->new_, &nh[i]), &nh[i]) != 0) c->bad = 1;
    for (uint32_t i = 0; i < nn && !c->bad; i++) {
        const rd_holding *was = rd_map_get(&old_by_key, pair_key(c->new_, &nh[i]));
        if (!was) {
            add_flow(c, arr, c->new_, &nh[i], "now-possible", NULL, how_json(c, c->new_, &nh[i]));
        } else if (strcmp(how_words(c->old, was), how_words(c->new_, &nh[i]))) {
            add_flow(c, arr, c->new_, &nh[i], "changed", how_json(c, c->old, was), how_json(c, c->new_, &nh[i]));
        }
    }
    for (uint32_t i = 0; i < on && !c->bad; i++)
        if (!rd_map_get(&new_by_key, pair_key(c->old, &oh[i])))
            add_flow(c, arr, c->old, &oh[i], "no-longer-possible", how_json(c, c->old, &oh[i]), NULL);
    rd_map_free(&old_by_key);
    rd_map_free(&new_by_key);
    return 0;
}

/* ---- principles ------------------------------------------------------------------------------ */

/* Failures of principle (or structural check) `code`: errors and warnings; waived ones are notes. */
static size_t failures(const rd_diagnostics *d, const char *code, const rd_diagnostic **first)
{
    size_t n = 0;
    *first = NULL;
    for (size_t i = 0; i < rd_diagnostics_len(d); i++) {
        const rd_diagnostic *x = rd_diagnostics_get(d, i);
        if (x->severity == RD_SEV_NOTE || strcmp(x->code, code)) continue;
        if (!n++) *first = x;
    }
    return n;
}

static json_t *counterexample(ctx *c, const rd_diagnostic *x)
{
    json_t *o = json_object();
    put(c, o, "message", str(x->message));
    put(c, o, "file", str(x->file));
    put(c, o, "line", json_integer(x->line));
    put(c, o, "column", json_integer(x->col));
    json_t *path = json_array();
    put(c, o, "path", path);
    for (size_t i = 0; i < x->path_len; i++) {
        json_t *s = push_obj(c, path);
        put(c, s, "file", str(x->path[i].file));
        put(c, s, "line", json_integer(x->path[i].line));
        put(c, s, "column", json_integer(x->path[i].col));
        put(c, s, "text", str(x->path[i].text));
    }
    return o;
}

static void add_principle(ctx *c, json_t *arr, const char *name, const rd_decl *od, const rd_decl *nd,
                          const rd_diagnostics *dold, const rd_diagnostics *dnew)
{
    const rd_diagnostic *of, *nf;
    size_t ofail = od || !nd ? failures(dold, name, &of) : 0, nfail = nd || !od ? failures(dnew, name, &nf) : 0;
    int in_old = od || (!nd && ofail), in_new = nd || (!od && nfail);
    const char *change;
    if (in_old && in_new) {
        if (!ofail == !nfail) return;
        change = nfail ? "now-fails" : "now-holds";
    } else {
        change = in_new ? "added" : "removed";
    }
    json_t *o = push_obj(c, arr);
    put(c, o, "name", str(name));
    put(c, o, "label", str(nd ? nd->label : od ? od->label : NULL));
    put(c, o, "change", str(change));
    put(c, o, "old", in_old ? str(ofail ? "fails" : "holds") : json_null());
    put(c, o, "new", in_new ? str(nfail ? "fails" : "holds") : json_null());
    put(c, o, "failures", json_integer((json_int_t)(in_new ? nfail : ofail)));
    if (nd) put_at(c, o, c->new_, nd->id_span);
    else if (od) put_at(c, o, c->old, od->id_span);
    put(c, o, "counterexample", in_new && nfail ? counterexample(c, nf) : json_null());
    c->count++;
}

static int listed(const json_t *arr, const char *name)
{
    for (size_t i = 0; i < json_array_size(arr); i++)
        if (!strcmp(json_string_value(json_object_get(json_array_get(arr, i), "name")), name)) return 1;
    return 0;
}

/* Verdicts of both versions. Returns 0, or -1 out of memory. */
static int diff_principles(ctx *c, json_t *arr)
{
    rd_diagnostics *dold = rd_diagnostics_new(), *dnew = rd_diagnostics_new();
    int rc = -1;
    if (!dold || !dnew) goto out;
    if (rd_verify(c->old, dold) == RD_ERR_NOMEM || rd_verify(c->new_, dnew) == RD_ERR_NOMEM) goto out;
    for (const rd_decl *d = c->new_->decls; d; d = d->next)
        if (d->kind == RD_D_PRINCIPLE)
            add_principle(c, arr, d->id, rd_map_get(&c->old->names[RD_D_PRINCIPLE], d->id), d, dold, dnew);
    for (const rd_decl *d = c->old->decls; d; d = d->next)
        if (d->kind == RD_D_PRINCIPLE && !rd_map_get(&c->new_->names[RD_D_PRINCIPLE], d->id))
            add_principle(c, arr, d->id, d, NULL, dold, dnew);
    /* Structural checks are not declared (a loop that never waits for her, a Lua check that could
     * not run, the state budget): compared by their codes. */
    json_t *seen = json_array();
    if (!seen) goto out;
    for (int side = 0; side < 2; side++) {
        const rd_diagnostics *d = side ? dold : dnew;
        for (size_t i = 0; i < rd_diagnostics_len(d); i++) {
            const rd_diagnostic *x = rd_diagnostics_get(d, i);
            if (x->severity == RD_SEV_NOTE || rd_map_get(&c->new_->names[RD_D_PRINCIPLE], x->code) ||
                rd_map_get(&c->old->names[RD_D_PRINCIPLE], x->code) || has_word(seen, x->code))
                continue;
            push(c, seen, str(x->code));
            const rd_diagnostic *of, *nf;
            size_t ofail = failures(dold, x->code, &of), nfail = failures(dnew, x->code, &nf);
            if (!ofail == !nfail || listed(arr, x->code)) continue;
            json_t *o = push_obj(c, arr);
            put(c, o, "name", str(x->code));
            put(c, o, "label", str("a check every SOP must pass"));
            put(c, o, "change", str(nfail ? "now-fails" : "now-holds"));
            put(c, o, "old", str(ofail ? "fails" : "holds"));
            put(c, o, "new", str(nfail ? "fails" : "holds"));
            put(c, o, "failures", json_integer((json_int_t)nfail));
            put(c, o, "file", str(nfail ? nf->file : of->file));
            put(c, o, "line", json_integer(nfail ? nf->line : of->line));
            put(c, o, "column", json_integer(nfail ? nf->col : of->col));
            put(c, o, "counterexample", nfail ? counterexample(c, nf) : json_null());
            c->count++;
        }
    }
    json_decref(seen);
    rc = 0;
out:
    rd_diagnostics_free(dold);
    rd_diagnostics_free(dnew);
    return rc;
}

/* ---- waivers and pathways -------------------------------------------------------------------- */

static const char *waiver_key(rd_program *p, const rd_decl *w)
{
    const rd_ref *s = w->u.waive.step;
    return rd_arena_printf(&p->arena, "%s@%s%s%s", w->u.waive.principle ? w->u.waive.principle->id : "?", s ? s->id : "?",
                           s && s->sub ? "." : "", s && s->sub ? s->sub : "");
}

static const rd_decl *find_waiver(rd_program *p, rd_program *kp, const char *key)
{
    for (const rd_decl *w = p->decls; w; w = w->next)
        if (w->kind == RD_D_WAIVE && !strcmp(waiver_key(kp, w), key)) return w;
    return NULL;
}

static void add_waiver(ctx *c, json_t *arr, rd_program *p, const rd_decl *w, const char *change, const char *old_because)
{
    json_t *o = push_obj(c, arr);
    const rd_ref *s = w->u.waive.step;
    put(c, o, "principle", str(w->u.waive.principle ? w->u.waive.principle->id : NULL));
    put(c, o, "step", str(s ? (s->sub ? rd_arena_printf(&p->arena, "%s.%s", s->id, s->sub) : s->id) : NULL));
    put(c, o, "change", str(change));
    put(c, o, "because", str(w->u.waive.because));
    put(c, o, "old_because", str(old_because));
    put_at(c, o, p, w->span);
    c->count++;
}

static void diff_waivers(ctx *c, json_t *arr)
{
    for (const rd_decl *w = c->new_->decls; w; w = w->next) {
        if (w->kind != RD_D_WAIVE) continue;
        const rd_decl *ow = find_waiver(c->old, c->new_, waiver_key(c->new_, w));
        if (!ow) add_waiver(c, arr, c->new_, w, "added", NULL);
        else if (strcmp(ow->u.waive.because ? ow->u.waive.because : "", w->u.waive.because ? w->u.waive.because : ""))
            add_waiver(c, arr, c->new_, w, "changed", ow->u.waive.because);
    }
    for (const rd_decl *w = c->old->decls; w; w = w->next)
        if (w->kind == RD_D_WAIVE && !find_waiver(c->new_, c->old, waiver_key(c->old, w)))
            add_waiver(c, arr, c->old, w, "removed", NULL);
}

static const rd_step *find_step(const rd_decl *pw, const char *id)
{
    for (const rd_step *s = pw ? pw->u.pathway.steps : NULL; s; s = s->next)
        if (!strcmp(s->id, id)) return s;
    return NULL;
}

/* Steps of pathway `a` that pathway `b` (NULL: none) lacks. */
static json_t *steps_missing(const rd_decl *a, const rd_decl *b)
{
    json_t *arr = json_array();
    for (const rd_step *s = a ? a->u.pathway.steps : NULL; s && arr; s = s->next)
        if (!find_step(b, s->id) && json_array_append_new(arr, str(s->id)) != 0) {
            json_decref(arr);
            return NULL;
        }
    return arr;
}

static void diff_pathways(ctx *c, json_t *arr)
{
    for (int side = 0; side < 2; side++) {
        rd_program *p = side ? c->old : c->new_, *other = side ? c->new_ : c->old;
        for (const rd_decl *d = p->decls; d; d = d->next) {
            if (d->kind != RD_D_PATHWAY) continue;
            const rd_decl *od = rd_map_get(&other->names[RD_D_PATHWAY], d->id);
            if (side && od) continue; /* compared from the new side */
            const rd_decl *newd = side ? NULL : d, *oldd = side ? d : od;
            json_t *added = steps_missing(newd, oldd), *removed = steps_missing(oldd, newd);
            if (!added || !removed) c->bad = 1;
            if (oldd && newd && !json_array_size(added) && !json_array_size(removed)) {
                json_decref(added);
                json_decref(removed);
                continue;
            }
            json_t *o = push_obj(c, arr);
            put(c, o, "name", str(d->id));
            put(c, o, "label", str(d->label));
            put(c, o, "change", str(!oldd ? "added" : !newd ? "removed" : "changed"));
            put(c, o, "steps_added", added);
            put(c, o, "steps_removed", removed);
            put_at(c, o, p, d->id_span);
            c->count++;
        }
    }
}

json_t *rd_diff_build(rd_program *old, rd_program *new_, size_t *differences)
{
    ctx c = {old, new_, 0, 0};
    json_t *root = json_object();
    put(&c, root, "old", str(old->sources.n ? old->sources.v[0].path : NULL));
    put(&c, root, "new", str(new_->sources.n ? new_->sources.v[0].path : NULL));
    json_t *decls = json_array(), *flows = json_array(), *principles = json_array(), *waivers = json_array(),
           *pathways = json_array();
    put(&c, root, "declarations", decls);
    put(&c, root, "flows", flows);
    put(&c, root, "principles", principles);
    put(&c, root, "waivers", waivers);
    put(&c, root, "pathways", pathways);
    if (c.bad) goto fail;
    diff_decls(&c, decls);
    int fr = diff_flows(&c, flows);
    if (fr == -1) goto fail;
    if (diff_principles(&c, principles) != 0) goto fail;
    diff_waivers(&c, waivers);
    diff_pathways(&c, pathways);
    /* A verifier that ran out of its state budget proves nothing about flows: said, not hidden. */
    put(&c, root, "flows_complete", json_boolean(fr == 0));
    put(&c, root, "differences", json_integer((json_int_t)c.count));
    if (c.bad) goto fail;
    *differences = c.count;
    return root;
fail:
    json_decref(root);
    return NULL;
}

/* ---- text for a committee -------------------------------------------------------------------- */

static const char *s_of(const json_t *o, const char *k)
{
    const char *s = json_string_value(json_object_get(o, k));
    return s ? s : "";
}
static long long i_of(const json_t *o, const char *k) { return (long long)json_integer_value(json_object_get(o, k)); }

static void words(FILE *out, const json_t *a)
{
    if (!json_array_size(a)) fputs("(none)", out);
    for (size_t i = 0; i < json_array_size(a); i++)
        fprintf(out, "%s%s", i ? ", " : "", json_string_value(json_array_get(a, i)));
}

static void where(FILE *out, const json_t *o) { fprintf(out, "%s:%lld", s_of(o, "file"), i_of(o, "line")); }

static void name_label(FILE *out, const json_t *o)
{
    fputs(s_of(o, "name"), out);
    if (json_string_value(json_object_get(o, "label"))) fprintf(out, " \"%s\"", s_of(o, "label"));
}

/* "  changed  [what ]name "label" (file:line)", the first line of every change. */
static void change_line(FILE *out, const char *change, const char *what, const json_t *o)
{
    fprintf(out, "  %-8s %s", change, what);
    name_label(out, o);
    fputs(" (", out);
    where(out, o);
    fputs(")\n", out);
}

static void heading(FILE *out, int *first, const char *h)
{
    fprintf(out, "%s%s\n", *first ? "" : "\n", h);
    *first = 0;
}

#define MAX_PATH_SHOWN 4

static void write_text(const json_t *root, FILE *out)
{
    int first = 1;
    fprintf(out, "rightdoor diff: %s (old) -> %s (new)\n\n", s_of(root, "old"), s_of(root, "new"));
    const json_t *decls = json_object_get(root, "declarations");
    for (size_t k = 0; k < sizeof kinds / sizeof *kinds; k++) {
        int shown = 0;
        for (size_t i = 0; i < json_array_size(decls); i++) {
            const json_t *d = json_array_get(decls, i);
            if (strcmp(s_of(d, "kind"), kinds[k].name)) continue;
            if (!shown++) heading(out, &first, kinds[k].heading);
            const char *ch = s_of(d, "change");
            change_line(out, ch, "", d);
            const json_t *fields = json_object_get(d, "fields");
            for (size_t f = 0; f < json_array_size(fields); f++) {
                const json_t *fo = json_array_get(fields, f);
                fprintf(out, "             %s: ", s_of(fo, "field"));
                if (!strcmp(ch, "changed")) {
                    fputs("was ", out);
                    words(out, json_object_get(fo, "old"));
                    fputs("; now ", out);
                }
                words(out, json_object_get(fo, strcmp(ch, "removed") ? "new" : "old"));
                fputc('\n', out);
            }
        }
    }
    const json_t *flows = json_object_get(root, "flows");
    static const char *const flow_changes[] = {"now-possible", "no-longer-possible", "changed"};
    static const char *const flow_titles[] = {"now possible", "no longer possible", "possible before and now, in another way"};
    if (json_array_size(flows) || json_is_false(json_object_get(root, "flows_complete"))) heading(out, &first, "Who can receive what");
    if (json_is_false(json_object_get(root, "flows_complete")))
        fputs("  (not worked out: the verifier ran out of its state budget on one of the versions)\n", out);
    for (size_t k = 0; k < 3; k++) {
        int shown = 0;
        for (size_t i = 0; i < json_array_size(flows); i++) {
            const json_t *f = json_array_get(flows, i);
            if (strcmp(s_of(f, "change"), flow_changes[k])) continue;
            if (!shown++) fprintf(out, "  %s:\n", flow_titles[k]);
            const json_t *o = json_object_get(f, "old"), *n = json_object_get(f, "new");
            fprintf(out, "    %s can reach %s", s_of(f, "data"), s_of(f, "actor"));
            if (k == 2) fprintf(out, "\n      was: %s\n      now: %s\n", s_of(o, "words"), s_of(n, "words"));
            else fprintf(out, ": %s\n", s_of(k == 1 ? o : n, "words"));
            const json_t *via = json_object_get(k == 1 ? o : n, "via");
            if (json_is_object(via)) {
                fprintf(out, "      %s ", k == 1 ? "was first at" : "first at");
                where(out, via);
                fprintf(out, ": %s\n", s_of(via, "text"));
            }
        }
    }
    const json_t *pr = json_object_get(root, "principles");
    if (json_array_size(pr)) heading(out, &first, "Principles");
    for (size_t i = 0; i < json_array_size(pr); i++) {
        const json_t *p = json_array_get(pr, i);
        const char *ch = s_of(p, "change");
        fprintf(out, "  %-10s ", !strcmp(ch, "now-fails") ? "now fails" : !strcmp(ch, "now-holds") ? "now holds" : ch);
        name_label(out, p);
        fputs(" (", out);
        where(out, p);
        fputs(")", out);
        if (!strcmp(ch, "now-holds")) fputs(": it failed in the old version", out);
        else if (!strcmp(ch, "added")) fprintf(out, ": %s", s_of(p, "new"));
        else if (!strcmp(ch, "removed")) fprintf(out, ": it %s in the old version", !strcmp(s_of(p, "old"), "fails") ? "failed" : "held");
        if (!strcmp(s_of(p, "new"), "fails")) fprintf(out, " at %lld place%s", i_of(p, "failures"), i_of(p, "failures") == 1 ? "" : "s");
        fputc('\n', out);
        const json_t *cx = json_object_get(p, "counterexample");
        if (!json_is_object(cx)) continue;
        fprintf(out, "             %s:%lld:%lld: %s\n", s_of(cx, "file"), i_of(cx, "line"), i_of(cx, "column"), s_of(cx, "message"));
        const json_t *path = json_object_get(cx, "path");
        for (size_t s = 0; s < json_array_size(path) && s < MAX_PATH_SHOWN; s++) {
            const json_t *st = json_array_get(path, s);
            fprintf(out, "             %s %s:%lld:%lld: %s\n", s ? "   ->" : "path:", s_of(st, "file"), i_of(st, "line"),
                    i_of(st, "column"), s_of(st, "text"));
        }
        if (json_array_size(path) > MAX_PATH_SHOWN)
            fprintf(out, "                ... %zu more steps: `rightdoor check %s` shows them all\n",
                    json_array_size(path) - MAX_PATH_SHOWN, s_of(root, "new"));
    }
    const json_t *wv = json_object_get(root, "waivers");
    if (json_array_size(wv)) heading(out, &first, "Waivers");
    for (size_t i = 0; i < json_array_size(wv); i++) {
        const json_t *w = json_array_get(wv, i);
        fprintf(out, "  %-8s %s at step %s (", s_of(w, "change"), s_of(w, "principle"), s_of(w, "step"));
        where(out, w);
        fputs(")\n", out);
        if (json_string_value(json_object_get(w, "old_because"))) fprintf(out, "             was because \"%s\"\n", s_of(w, "old_because"));
        fprintf(out, "             %sbecause \"%s\"\n", json_string_value(json_object_get(w, "old_because")) ? "now " : "", s_of(w, "because"));
    }
    const json_t *pw = json_object_get(root, "pathways");
    if (json_array_size(pw)) heading(out, &first, "Pathways and steps");
    for (size_t i = 0; i < json_array_size(pw); i++) {
        const json_t *p = json_array_get(pw, i);
        const char *ch = s_of(p, "change");
        change_line(out, ch, "pathway ", p);
        if (strcmp(ch, "removed")) {
            fputs(!strcmp(ch, "added") ? "             steps: " : "             steps added: ", out);
            words(out, json_object_get(p, "steps_added"));
            fputc('\n', out);
        }
        if (strcmp(ch, "added")) {
            fputs(!strcmp(ch, "removed") ? "             steps: " : "             steps removed: ", out);
            words(out, json_object_get(p, "steps_removed"));
            fputc('\n', out);
        }
    }
    long long n = i_of(root, "differences");
    if (n) fprintf(out, "\n%lld difference%s in meaning\n", n, n == 1 ? "" : "s");
    else fputs("no difference in meaning\n", out);
}

rd_status rd_diff(rd_program *old, rd_program *new_, FILE *out, int json, size_t *differences)
{
    size_t n = 0;
    if (differences) *differences = 0;
    if (!old || !new_) return RD_ERR_NOMEM;
    json_t *root = rd_diff_build(old, new_, &n);
    if (!root) return RD_ERR_NOMEM;
    if (json) {
        rd_status st = rd_json_write(root, out);
        if (st != RD_OK) return st;
    } else {
        write_text(root, out);
        json_decref(root);
    }
    if (fflush(out) != 0 || ferror(out)) return RD_ERR_IO;
    if (differences) *differences = n;
    return RD_OK;
}
