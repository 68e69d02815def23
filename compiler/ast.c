/* Building the tree from grammar actions, with the checks that belong to one declaration alone
 * (an item given twice, an expression nested too deep). */
#include "ast_build.h"
#include "parser.h"
#include <stdlib.h>
#include <string.h>

#define NEW(c, T) ((T *)rd_arena_alloc(&(c)->prog->arena, sizeof(T)))

static const char *const kind_names[RD_D__COUNT] = {
    "sop", "use", "directory", "translations", "sector", "data category", "service", "fact",
    "notice", "actor", "consent", "permit", "duty", "pathway", "principle", "waiver", "test",
};

const char *rd_decl_kind_name(rd_decl_kind k) { return k < RD_D__COUNT ? kind_names[k] : "?"; }

const char *rd_article(const char *noun) { return strchr("aeiou", noun[0]) ? "an" : "a"; }

static rd_span join(rd_span a, rd_span b)
{
    rd_span s = a;
    s.end_line = b.end_line;
    s.end_col = b.end_col;
    return s;
}

/* Left-recursive rules gather a list newest first; this puts it in source order. */
#define REVERSE(T, list)                                                                           \
    do {                                                                                           \
        T *out_ = NULL;                                                                            \
        while (list) {                                                                             \
            T *n_ = (list)->next;                                                                  \
            (list)->next = out_;                                                                   \
            out_ = (list);                                                                         \
            (list) = n_;                                                                           \
        }                                                                                          \
        (list) = out_;                                                                             \
    } while (0)

rd_ref *rd_ast_ref(rd_parse_ctx *c, rd_ref_tag tag, const char *id, rd_span span)
{
    rd_ref *r = NEW(c, rd_ref);
    if (!r) return NULL;
    r->tag = tag;
    r->id = id;
    r->span = span;
    return r;
}

rd_ref *rd_ast_push_ref(rd_ref *rev, rd_ref *item)
{
    if (!item) return rev;
    item->next = rev;
    return item;
}

rd_ref *rd_ast_reverse_refs(rd_ref *rev)
{
    REVERSE(rd_ref, rev);
    return rev;
}

rd_ref *rd_ast_pair(rd_parse_ctx *c, rd_ref *first, const char *sub, rd_span sub_span)
{
    (void)c;
    if (!first) return NULL;
    first->sub = sub;
    first->sub_span = sub_span;
    first->span = join(first->span, sub_span);
    return first;
}

rd_decl *rd_ast_decl(rd_parse_ctx *c, rd_decl_kind kind, const char *id, rd_span kw, rd_span id_span,
                     const char *label, rd_span label_span)
{
    if (c->prog->ndecls == RD_MAX_DECLS)
        RD_ERROR(c->prog, "too-many", kw, "split the SOP, or raise RD_MAX_DECLS in compiler/parse.h",
                 "the program has more than %u declarations", RD_MAX_DECLS);
    rd_decl *d = c->prog->ndecls < RD_MAX_DECLS ? NEW(c, rd_decl) : NULL;
    /* What follows is written into a scratch declaration, harmlessly: the compile fails anyway
     * (RD_ERR_NOMEM, or too many declarations). */
    if (!d) {
        memset(&c->scratch, 0, sizeof c->scratch);
        return &c->scratch;
    }
    d->kind = kind;
    d->span = kw;
    d->id = id;
    d->id_span = id_span;
    d->label = label;
    d->label_span = label_span;
    d->in_library = c->in_library;
    *c->prog->tail = d;
    c->prog->tail = &d->next;
    c->prog->ndecls++;
    return d;
}

void rd_ast_use(rd_parse_ctx *c, rd_ref *rev, rd_span kw)
{
    rd_ref *parts = rd_ast_reverse_refs(rev);
    size_t len = 5;
    for (rd_ref *r = parts; r; r = r->next) len += strlen(r->id) + 1;
    char *path = rd_arena_alloc(&c->prog->arena, len);
    if (!path || !parts) return;
    for (rd_ref *r = parts; r; r = r->next) {
        strcat(path, r->id);
        strcat(path, r->next ? "/" : ".sop");
    }
    rd_decl *d = rd_ast_decl(c, RD_D_USE, NULL, kw, parts->span, NULL, kw);
    rd_span s = parts->span;
    for (rd_ref *r = parts; r; r = r->next) s = join(s, r->span);
    d->u.file.path = path;
    d->u.file.path_span = s;
}

void rd_ast_file_decl(rd_parse_ctx *c, rd_decl_kind kind, const char *path, rd_span kw, rd_span pspan)
{
    rd_decl *d = rd_ast_decl(c, kind, NULL, kw, pspan, NULL, kw);
    d->u.file.path = path;
    d->u.file.path_span = pspan;
}

void rd_ast_waive(rd_parse_ctx *c, rd_span kw, rd_ref *principle, rd_ref *step, const char *because)
{
    rd_decl *d = rd_ast_decl(c, RD_D_WAIVE, NULL, kw, principle ? principle->span : kw, because, kw);
    d->u.waive.principle = principle;
    d->u.waive.step = step;
    d->u.waive.because = because;
}

static void add_field(rd_parse_ctx *c, rd_decl *d, rd_field *f)
{
    if (!f) return;
    rd_field **tail = &d->fields;
    for (; *tail; tail = &(*tail)->next) {
        if ((*tail)->name == f->name) {
            rd_diagnostic *g = RD_ERROR(c->prog, "duplicate-field", f->span, "keep one of the two",
                                        "`%s` is given twice in this %s", f->name, rd_decl_kind_name(d->kind));
            rd_diag_note(c->prog->diags, &c->prog->sources, g, (*tail)->span, "first given here");
            return;
        }
    }
    *tail = f;
}

/* Writing a list over several lines (`provides a` then `provides b`) extends it. */
static void add_list(rd_ref **slot, rd_ref *list)
{
    while (*slot) slot = &(*slot)->next;
    *slot = list;
}

static void set_one(rd_parse_ctx *c, rd_decl *d, rd_ref **slot, rd_ref *item, const char *what)
{
    if (*slot) {
        rd_diagnostic *g = RD_ERROR(c->prog, "duplicate-field", item ? item->span : d->span,
                                    "keep one of the two", "this %s has two `%s` lines",
                                    rd_decl_kind_name(d->kind), what);
        rd_diag_note(c->prog->diags, &c->prog->sources, g, (*slot)->span, "the first one is here");
        return;
    }
    *slot = item;
}

static void set_when(rd_parse_ctx *c, rd_decl *d, rd_expr **slot, rd_expr *e)
{
    if (*slot) {
        RD_ERROR(c->prog, "duplicate-field", e ? e->span : d->span,
                 "join the two conditions with `and` (or `or`) in one `when`",
                 "this %s has two `when` conditions", rd_decl_kind_name(d->kind));
        return;
    }
    *slot = e;
}

static void set_lua(rd_parse_ctx *c, rd_decl *d, const char *path, rd_span span)
{
    if (d->u.principle.lua) {
        RD_ERROR(c->prog, "duplicate-field", span, "write a second principle for the second check",
                 "this principle already names a Lua check");
        return;
    }
    d->u.principle.lua = path;
    d->u.principle.lua_span = span;
}

/* Pushed, not appended, as a pathway may have thousands of steps: rd_ast_pathway_end puts them in
 * order. */
static void add_step(rd_decl *d, rd_step *s)
{
    if (!s) return;
    s->pathway = d;
    s->next = d->u.pathway.steps;
    d->u.pathway.steps = s;
}

static void add_prop(rd_decl *d, rd_prop *p)
{
    if (!p) return;
    rd_prop **tail = &d->u.principle.props;
    while (*tail) tail = &(*tail)->next;
    *tail = p;
}

static void add_titem(rd_decl *d, rd_titem *t)
{
    if (!t) return;
    rd_titem **tail = &d->u.test.items;
    while (*tail) tail = &(*tail)->next;
    *tail = t;
}

rd_decl *rd_ast_add(rd_parse_ctx *c, rd_decl *d, rd_item it)
{
    switch (it.kind) {
    case RD_I_NONE: break;
    case RD_I_FIELD: add_field(c, d, it.node.field); break;
    case RD_I_SOP_LANGUAGES: add_list(&d->u.sop.languages, it.refs); break;
    case RD_I_ENFORCEMENT: d->u.sector.enforcement = 1; break;
    case RD_I_IDENTIFYING: d->u.data.identifying = 1; break;
    case RD_I_PROTECTED: d->u.data.protected_ = 1; break;
    case RD_I_DATA_REVEALS: add_list(&d->u.data.reveals, it.refs); break;
    case RD_I_FACT_TYPE:
        d->u.fact.type = it.type;
        d->u.fact.values = it.refs;
        break;
    case RD_I_FACT_DERIVED: d->u.fact.derived = it.node.expr; break;
    case RD_I_FACT_LUA:
        d->u.fact.lua = it.text;
        d->u.fact.lua_span = it.span;
        break;
    case RD_I_FACT_REVEALS: add_list(&d->u.fact.reveals, it.refs); break;
    case RD_I_SECTOR: set_one(c, d, &d->u.actor.sector, it.refs, "sector"); break;
    case RD_I_SPECIALIST: d->u.actor.specialist = 1; break;
    case RD_I_PROVIDES: add_list(&d->u.actor.provides, it.refs); break;
    case RD_I_ACTOR_LANGUAGES: add_list(&d->u.actor.languages, it.refs); break;
    case RD_I_SHARES: add_list(&d->u.flow.shares, it.refs); break;
    case RD_I_WITH: add_list(&d->u.flow.with, it.refs); break;
    case RD_I_FLOW_WHEN: set_when(c, d, &d->u.flow.when, it.node.expr); break;
    case RD_I_APPLIES: add_list(&d->u.duty.applies, it.refs); break;
    case RD_I_DUTY_WHEN: set_when(c, d, &d->u.duty.when, it.node.expr); break;
    case RD_I_REPORTS:
        add_list(&d->u.duty.reports, it.refs);
        add_list(&d->u.duty.to, it.to);
        break;
    case RD_I_NOTICE: set_one(c, d, &d->u.duty.notice, it.refs, "notice"); break;
    case RD_I_ENTRY: add_list(&d->u.pathway.entry, it.refs); break;
    case RD_I_START: set_one(c, d, &d->u.pathway.start, it.refs, "start"); break;
    case RD_I_STEP: add_step(d, it.node.step); break;
    case RD_I_PROPERTY: add_prop(d, it.node.prop); break;
    case RD_I_PRINCIPLE_LUA: set_lua(c, d, it.text, it.span); break;
    case RD_I_SEVERITY: set_one(c, d, &d->u.principle.severity, it.refs, "severity"); break;
    case RD_I_TEST: add_titem(d, it.node.titem); break;
    }
    return d;
}

rd_decl *rd_ast_fact(rd_parse_ctx *c, rd_decl *d, rd_item type, rd_item init, const char *label,
                     rd_span label_span)
{
    rd_ast_add(c, rd_ast_add(c, d, type), init);
    if (label) {
        d->label = label;
        d->label_span = label_span;
    }
    return d;
}

void rd_ast_pathway_end(rd_decl *d) { REVERSE(rd_step, d->u.pathway.steps); }

rd_item rd_ast_item(rd_item_kind kind, rd_ref *refs, rd_ref *to)
{
    rd_item it = {.kind = kind, .refs = refs, .to = to};
    return it;
}

rd_item rd_ast_item_expr(rd_item_kind kind, rd_expr *e)
{
    rd_item it = {.kind = kind, .node.expr = e};
    return it;
}

rd_item rd_ast_item_text(rd_item_kind kind, const char *text, rd_span span)
{
    rd_item it = {.kind = kind, .text = text, .span = span};
    return it;
}

rd_item rd_ast_fact_type(rd_type type, rd_ref *values)
{
    rd_item it = {.kind = RD_I_FACT_TYPE, .type = type, .refs = values};
    return it;
}

rd_item rd_ast_field(rd_parse_ctx *c, const char *name, rd_span span, const char *value, rd_span vspan)
{
    rd_item it = {.kind = RD_I_FIELD, .node.field = NEW(c, rd_field)};
    if (it.node.field) *it.node.field = (rd_field){.name = name, .span = span, .value = value, .value_span = vspan};
    return it;
}

rd_item rd_ast_step(rd_parse_ctx *c, const char *id, rd_span span, const char *label, rd_ref *by,
                    rd_block *body)
{
    rd_item it = {.kind = RD_I_STEP, .node.step = NEW(c, rd_step)};
    if (!it.node.step) return it;
    *it.node.step = (rd_step){.id = id, .span = span, .label = label, .by = by, .body = body};
    if (by && strcmp(by->id, "provider") == 0) by->tag = RD_REF_PROVIDER;
    return it;
}

rd_stmt *rd_ast_push_stmt(rd_stmt *rev, rd_stmt *s)
{
    if (!s) return rev;
    s->next = rev;
    return s;
}

rd_block *rd_ast_block(rd_parse_ctx *c, rd_stmt *rev, rd_span span)
{
    rd_block *b = NEW(c, rd_block);
    if (!b) return NULL;
    REVERSE(rd_stmt, rev);
    b->first = rev;
    b->span = span;
    return b;
}

rd_block *rd_ast_wrap(rd_parse_ctx *c, rd_stmt *s)
{
    return s ? rd_ast_block(c, s, s->span) : NULL;
}

rd_stmt *rd_ast_stmt(rd_parse_ctx *c, rd_stmt_kind kind, rd_span span, rd_ref *names, rd_ref *targets)
{
    rd_stmt *s = NEW(c, rd_stmt);
    if (!s) return NULL;
    s->kind = kind;
    s->span = span;
    s->names = names;
    s->targets = targets;
    return s;
}

rd_stmt *rd_ast_refer(rd_parse_ctx *c, rd_span span, rd_ref *target, rd_ref *service, rd_ref *sharing)
{
    rd_stmt *s = rd_ast_stmt(c, RD_S_REFER, span, sharing, target);
    if (s) s->service = service;
    return s;
}

rd_stmt *rd_ast_choose(rd_parse_ctx *c, rd_span span, rd_option *rev)
{
    rd_stmt *s = rd_ast_stmt(c, RD_S_CHOOSE, span, NULL, NULL);
    REVERSE(rd_option, rev);
    if (s) s->options = rev;
    return s;
}

rd_stmt *rd_ast_end(rd_parse_ctx *c, rd_span span, const char *reason)
{
    rd_stmt *s = rd_ast_stmt(c, RD_S_END, span, NULL, NULL);
    if (s) s->text = reason;
    return s;
}

rd_stmt *rd_ast_if(rd_parse_ctx *c, rd_span span, rd_expr *cond, rd_block *then_b, rd_block *else_b)
{
    rd_stmt *s = rd_ast_stmt(c, RD_S_IF, span, NULL, NULL);
    if (!s) return NULL;
    s->cond = cond;
    s->then_b = then_b;
    s->else_b = else_b;
    /* An `else if` chain is written flat but nests: every pass walks it as an `if` inside an
     * `else`. Held to the same limit as written nesting, reported once, where it crosses. */
    int depth = 0;
    for (const rd_stmt *t = s; t && depth <= RD_MAX_DEPTH + 1; depth++)
        t = t->else_b && t->else_b->first && t->else_b->first->kind == RD_S_IF && !t->else_b->first->next
                ? t->else_b->first : NULL;
    if (depth == RD_MAX_DEPTH + 1)
        RD_ERROR(c->prog, "too-deep", span, "split the chain: ask a fact that sorts the cases first, or use `choose`",
                 "this `else if` chain is more than %d long", RD_MAX_DEPTH);
    return s;
}

rd_stmt *rd_ast_seek_arm(rd_parse_ctx *c, rd_stmt *seek, int granted, rd_block *b, rd_span kw)
{
    if (!seek) return NULL;
    rd_block **slot = granted ? &seek->then_b : &seek->else_b;
    if (*slot) {
        rd_diagnostic *g = RD_ERROR(c->prog, "duplicate-branch", kw, "merge the two into one block",
                                    "this `seek` has two `%s` branches", granted ? "granted" : "refused");
        rd_diag_note(c->prog->diags, &c->prog->sources, g, (*slot)->span, "the first one is here");
        return seek;
    }
    *slot = b;
    return seek;
}

rd_option *rd_ast_push_option(rd_parse_ctx *c, rd_option *rev, const char *id, rd_span span,
                              const char *label, rd_block *body)
{
    rd_option *o = NEW(c, rd_option);
    if (!o) return rev;
    o->id = id;
    o->span = span;
    o->label = label;
    o->body = body;
    o->next = rev;
    return o;
}

rd_item rd_ast_prop(rd_parse_ctx *c, rd_prop_kind kind, rd_span span, rd_ref *data, rd_ref *targets,
                    rd_ref *services, rd_expr *unless)
{
    rd_item it = {.kind = RD_I_PROPERTY, .node.prop = NEW(c, rd_prop)};
    if (it.node.prop)
        *it.node.prop = (rd_prop){.kind = kind, .span = span, .data = data, .targets = targets,
                                  .services = services, .unless = unless};
    return it;
}

static rd_titem *titem_new(rd_parse_ctx *c, rd_titem_kind kind, rd_span span)
{
    rd_titem *t = NEW(c, rd_titem);
    if (!t) return NULL;
    t->kind = kind;
    t->span = span;
    return t;
}

static rd_item test_item(rd_titem *t)
{
    rd_item it = {.kind = RD_I_TEST, .node.titem = t};
    return it;
}

rd_item rd_ast_titem(rd_parse_ctx *c, rd_titem_kind kind, rd_span span, rd_ref *names)
{
    rd_titem *t = titem_new(c, kind, span);
    if (t) t->names = names;
    return test_item(t);
}

rd_given *rd_ast_push_given(rd_given *rev, rd_given *g)
{
    if (!g) return rev;
    g->next = rev;
    return g;
}

rd_given *rd_ast_given_one(rd_parse_ctx *c, rd_ref *fact, rd_expr *value)
{
    rd_given *g = NEW(c, rd_given);
    if (!g || !fact) return NULL;
    g->fact = *fact;
    g->fact.next = NULL;
    g->value = value;
    return g;
}

rd_item rd_ast_given(rd_parse_ctx *c, rd_span span, rd_given *rev)
{
    rd_titem *t = titem_new(c, RD_TI_GIVEN, span);
    if (t) {
        REVERSE(rd_given, rev);
        t->given = rev;
    }
    return test_item(t);
}

rd_titem *rd_ast_x(rd_parse_ctx *c, rd_expect_kind kind, rd_ref *name, rd_ref *data, rd_ref *targets,
                   rd_ref *service)
{
    rd_span unset = {0, 0, 0, 0, 0};
    rd_titem *t = titem_new(c, RD_TI_EXPECT, unset);
    if (!t) return NULL;
    t->expect = kind;
    t->names = name;
    t->data = data;
    t->targets = targets;
    t->service = service;
    return t;
}

rd_item rd_ast_expect(rd_span span, rd_titem *x, int negated)
{
    if (x) {
        x->span = span;
        x->negated = negated;
    }
    return test_item(x);
}

static rd_expr *expr_new(rd_parse_ctx *c, rd_expr_kind kind, rd_span span, uint32_t depth)
{
    rd_expr *e = NEW(c, rd_expr);
    if (!e) return NULL;
    e->kind = kind;
    e->span = span;
    e->depth = depth;
    if (depth == RD_MAX_DEPTH + 1) {
        RD_ERROR(c->prog, "too-deep", span, "split the condition into derived facts (`fact x: bool = ...`)",
                 "this condition is nested more than %d deep", RD_MAX_DEPTH);
        c->syntax_errors++;
    }
    return e;
}

static uint32_t depth_of(const rd_expr *a, const rd_expr *b)
{
    uint32_t d = a ? a->depth : 0;
    if (b && b->depth > d) d = b->depth;
    return d + 1;
}

rd_expr *rd_ast_binary(rd_parse_ctx *c, rd_expr_kind kind, rd_expr *a, rd_expr *b)
{
    if (!a || !b) return NULL;
    rd_expr *e = expr_new(c, kind, join(a->span, b->span), depth_of(a, b));
    if (!e) return NULL;
    e->a = a;
    e->b = b;
    return e;
}

rd_expr *rd_ast_not(rd_parse_ctx *c, rd_span kw, rd_expr *a)
{
    if (!a) return NULL;
    rd_expr *e = expr_new(c, RD_E_NOT, join(kw, a->span), depth_of(a, NULL));
    if (e) e->a = a;
    return e;
}

rd_expr *rd_ast_known(rd_parse_ctx *c, rd_span span, const char *id, rd_span id_span)
{
    rd_expr *e = expr_new(c, RD_E_KNOWN, span, 1);
    if (!e) return NULL;
    e->id = id;
    e->id_span = id_span;
    return e;
}

rd_expr *rd_ast_in(rd_parse_ctx *c, rd_span span, const char *id, rd_span id_span, rd_ref *set)
{
    rd_expr *e = expr_new(c, RD_E_IN, span, 1);
    if (!e) return NULL;
    e->id = id;
    e->id_span = id_span;
    e->set = set;
    return e;
}

rd_expr *rd_ast_cmp(rd_parse_ctx *c, rd_cmp_op op, rd_expr *a, rd_expr *b)
{
    if (!a || !b) return NULL;
    rd_expr *e = expr_new(c, RD_E_CMP, join(a->span, b->span), depth_of(a, b));
    if (!e) return NULL;
    e->op = op;
    e->a = a;
    e->b = b;
    return e;
}

rd_expr *rd_ast_atom(rd_parse_ctx *c, rd_expr_kind kind, rd_span span, const char *id, long long v)
{
    rd_expr *e = expr_new(c, kind, span, 1);
    if (!e) return NULL;
    e->id = id;
    e->id_span = span;
    e->value = v;
    return e;
}

const char *rd_field_get(const rd_decl *d, const char *name)
{
    for (rd_field *f = d->fields; f; f = f->next)
        if (strcmp(f->name, name) == 0) return f->value;
    return NULL;
}
