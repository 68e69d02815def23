/* Service directory and translation catalogues, read with libyaml's document API. Every node keeps
 * its position, so a wrong key or type is reported like a .sop error. Providers become actor
 * declarations that the resolver binds like any other; translations attach texts to declarations
 * after resolution. */
#include "yaml_load.h"
#include "check.h"
#include "parse.h"
#include <string.h>
#include <yaml.h>

typedef struct ydoc {
    rd_program *p;
    uint32_t file;
    yaml_document_t doc;
} ydoc;

static rd_span node_span(const ydoc *y, const yaml_node_t *n)
{
    rd_span s = {y->file, (uint32_t)n->start_mark.line + 1, (uint32_t)n->start_mark.column + 1, 0, 0};
    s.end_line = (uint32_t)n->end_mark.line + 1;
    s.end_col = n->end_mark.column ? (uint32_t)n->end_mark.column : s.col;
    if (s.end_line != s.line) {
        s.end_line = s.line;
        s.end_col = s.col;
    }
    return s;
}

static const char *type_word(const yaml_node_t *n)
{
    switch (n->type) {
    case YAML_SCALAR_NODE: return "a single value";
    case YAML_SEQUENCE_NODE: return "a list";
    case YAML_MAPPING_NODE: return "a set of `key: value` lines";
    default: return "nothing";
    }
}

static int expect_type(ydoc *y, yaml_node_t *n, yaml_node_type_t t, const char *what)
{
    if (n && n->type == t) return 0;
    static const char *const want[] = {"", "a single value", "a list", "a set of `key: value` lines"};
    const char *help = t == YAML_SEQUENCE_NODE ? "write a list as [a, b] or as lines starting with `- `"
                     : t == YAML_MAPPING_NODE ? "write `key: value` lines indented under it" : NULL;
    RD_ERROR(y->p, "yaml-type", node_span(y, n), help, "%s should be %s, not %s", what, want[t], type_word(n));
    return -1;
}

static const char *scalar(ydoc *y, yaml_node_t *n, const char *what)
{
    if (expect_type(y, n, YAML_SCALAR_NODE, what) != 0) return NULL;
    return rd_arena_strndup(&y->p->arena, (const char *)n->data.scalar.value, n->data.scalar.length);
}

static int boolean(ydoc *y, yaml_node_t *n, const char *what, int *out)
{
    const char *s = scalar(y, n, what);
    if (!s) return -1;
    if (!strcmp(s, "true") || !strcmp(s, "yes")) *out = 1;
    else if (!strcmp(s, "false") || !strcmp(s, "no")) *out = 0;
    else {
        RD_ERROR(y->p, "yaml-type", node_span(y, n), "write `true` or `false`", "%s should be true or false", what);
        return -1;
    }
    return 0;
}

static int is_name(const char *s)
{
    if (!s || !*s || !((*s >= 'a' && *s <= 'z') || *s == '_')) return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_')) return 0;
    return 1;
}

/* A name from YAML, held to the same rules as in .sop text. */
static const char *name_of(ydoc *y, yaml_node_t *n, const char *what)
{
    const char *s = scalar(y, n, what);
    if (!s) return NULL;
    if (!is_name(s) || rd_is_keyword(s)) {
        RD_ERROR(y->p, "bad-name", node_span(y, n), "use lower case letters, digits and _ , not a reserved word",
                 "`%s` cannot be used as a name", s);
        return NULL;
    }
    return rd_intern(y->p, s, strlen(s));
}

static rd_ref *name_list(ydoc *y, yaml_node_t *n, const char *what)
{
    if (expect_type(y, n, YAML_SEQUENCE_NODE, what) != 0) return NULL;
    rd_ref *head = NULL, **tail = &head;
    for (yaml_node_item_t *it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++) {
        yaml_node_t *e = yaml_document_get_node(&y->doc, *it);
        const char *id = name_of(y, e, what);
        if (!id) continue;
        rd_ref *r = rd_arena_alloc(&y->p->arena, sizeof *r);
        if (!r) return head;
        r->id = id;
        r->span = node_span(y, e);
        *tail = r;
        tail = &r->next;
    }
    return head;
}

typedef void (*pair_fn)(ydoc *y, void *ctx, const char *key, yaml_node_t *k, yaml_node_t *v);

/* Calls f for each `key: value`; keys must be unique and in `allowed` (NULL: any key). */
static void each_pair(ydoc *y, yaml_node_t *map, const char *what, const char *const *allowed, pair_fn f, void *ctx)
{
    if (expect_type(y, map, YAML_MAPPING_NODE, what) != 0) return;
    yaml_node_pair_t *start = map->data.mapping.pairs.start;
    for (yaml_node_pair_t *pr = start; pr < map->data.mapping.pairs.top; pr++) {
        yaml_node_t *k = yaml_document_get_node(&y->doc, pr->key);
        yaml_node_t *v = yaml_document_get_node(&y->doc, pr->value);
        const char *key = scalar(y, k, "a key");
        if (!key) continue;
        int dup = 0;
        for (yaml_node_pair_t *q = start; q < pr && !dup; q++) {
            yaml_node_t *k2 = yaml_document_get_node(&y->doc, q->key);
            dup = k2->type == YAML_SCALAR_NODE && strcmp((const char *)k2->data.scalar.value, key) == 0;
        }
        if (dup) {
            RD_ERROR(y->p, "duplicate-field", node_span(y, k), "keep one of them", "`%s` appears twice in %s", key, what);
            continue;
        }
        if (allowed) {
            size_t n = 0;
            int ok = 0;
            for (; allowed[n]; n++) ok |= strcmp(allowed[n], key) == 0;
            if (!ok) {
                const char *m = rd_did_you_mean(key, allowed, n);
                const char *list = rd_quoted_list(&y->p->arena, allowed, n);
                const char *help = m ? rd_arena_printf(&y->p->arena, "did you mean `%s`?", m)
                                     : rd_arena_printf(&y->p->arena, "%s takes %s", what, list);
                RD_ERROR(y->p, "unknown-field", node_span(y, k), help, "%s has no `%s`", what, key);
                continue;
            }
        }
        f(y, ctx, key, k, v);
    }
}

/* libyaml's wording, said the way a committee member would understand it. */
static const char *yaml_problem(const char *problem)
{
    static const struct { const char *yaml, *plain; } words[] = {
        {"did not find expected key", "this line is indented differently from the lines above it"},
        {"did not find expected '-' indicator", "this line is indented differently from the list items above it"},
        {"mapping values are not allowed in this context", "a `key: value` cannot start here; check the indentation and quotes"},
        {"found character that cannot start any token", "this character cannot start a value; put the value in quotes"},
        {"found undefined alias", "`*` starts a YAML alias; put the value in quotes"},
        {"found unexpected end of stream", "the file ends in the middle of a value; check for an unclosed quote"},
    };
    for (size_t i = 0; problem && i < sizeof words / sizeof *words; i++)
        if (strcmp(problem, words[i].yaml) == 0) return words[i].plain;
    return "this YAML cannot be read";
}

/* Loads and parses a YAML file named by declaration d. Returns the root node, or NULL (reported). */
static yaml_node_t *open_doc(rd_program *p, rd_decl *d, ydoc *y, const char *what)
{
    int via;
    char *path = rd_find_file(p, d->span.file, d->u.file.path, &via);
    if (!path) {
        RD_ERROR(p, "unreadable-file", d->u.file.path_span, "the path is relative to this .sop file",
                 "cannot find the %s `%s`", what, d->u.file.path);
        return NULL;
    }
    memset(y, 0, sizeof *y);
    y->p = p;
    if (rd_load_source(p, path, d->u.file.path_span, 1, &y->file) < 0) return NULL;
    rd_source *src = &p->sources.v[y->file];
    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser)) {
        p->arena.failed = 1;
        return NULL;
    }
    yaml_parser_set_input_string(&parser, (const unsigned char *)src->text, src->len);
    int ok = yaml_parser_load(&parser, &y->doc);
    if (!ok) {
        rd_span at = {y->file, (uint32_t)parser.problem_mark.line + 1, (uint32_t)parser.problem_mark.column + 1, 0, 0};
        at.end_line = at.line;
        at.end_col = at.col;
        RD_ERROR(p, "yaml-syntax", at,
                 "check the indentation, and that each `key: value` has a space after the colon",
                 "%s (YAML: %s)", yaml_problem(parser.problem), parser.problem ? parser.problem : "syntax error");
        yaml_parser_delete(&parser);
        return NULL;
    }
    yaml_parser_delete(&parser);
    yaml_node_t *root = yaml_document_get_root_node(&y->doc);
    if (!root) {
        rd_span at = {y->file, 1, 1, 1, 1};
        RD_ERROR(p, "yaml-empty", at, NULL, "this %s is empty", what);
        yaml_document_delete(&y->doc);
        return NULL;
    }
    return root;
}

/* ---- service directory ----------------------------------------------------------------------- */

static const char *const dir_top[] = {"directory", "providers", NULL};
static const char *const dir_meta[] = {"country", "province", "focal_point", "last_updated", NULL};
static const char *const dir_focal[] = {"name", "organization", "contact", NULL};
static const char *const dir_provider[] = {"id", "name", "sector", "specialist", "services", "location",
                                           "location_confidential", "contact", "hours", "languages",
                                           "email", "website", "notes", NULL};

static void focal_pair(ydoc *y, void *ctx, const char *key, yaml_node_t *k, yaml_node_t *v)
{
    (void)ctx;
    (void)k;
    rd_directory_meta *m = &y->p->directory;
    const char *s = scalar(y, v, key);
    if (!strcmp(key, "name")) m->focal_name = s;
    else if (!strcmp(key, "organization")) m->focal_organization = s;
    else m->focal_contact = s;
}

static void meta_pair(ydoc *y, void *ctx, const char *key, yaml_node_t *k, yaml_node_t *v)
{
    (void)ctx;
    (void)k;
    rd_directory_meta *m = &y->p->directory;
    if (!strcmp(key, "focal_point")) {
        each_pair(y, v, "focal_point", dir_focal, focal_pair, NULL);
        return;
    }
    const char *s = scalar(y, v, key);
    if (!strcmp(key, "country")) m->country = s;
    else if (!strcmp(key, "province")) m->province = s;
    else m->last_updated = s;
}

static void add_field(ydoc *y, rd_decl *a, const char *name, yaml_node_t *k, yaml_node_t *v)
{
    rd_field *f = rd_arena_alloc(&y->p->arena, sizeof *f);
    if (!f) return;
    f->name = rd_intern(y->p, name, strlen(name));
    f->span = node_span(y, k);
    f->value = scalar(y, v, name);
    f->value_span = node_span(y, v);
    if (!f->value) return;
    f->next = a->fields;
    a->fields = f;
}

static void provider_pair(ydoc *y, void *ctx, const char *key, yaml_node_t *k, yaml_node_t *v)
{
    rd_decl *a = ctx;
    if (!strcmp(key, "id")) {
        a->id = name_of(y, v, "id");
        a->id_span = node_span(y, v);
    } else if (!strcmp(key, "name")) {
        a->label = scalar(y, v, "name");
        a->label_span = node_span(y, v);
    } else if (!strcmp(key, "sector")) {
        const char *s = name_of(y, v, "sector");
        if (!s) return;
        rd_ref *r = rd_arena_alloc(&y->p->arena, sizeof *r);
        if (!r) return;
        r->id = s;
        r->span = node_span(y, v);
        a->u.actor.sector = r;
    } else if (!strcmp(key, "specialist")) {
        boolean(y, v, "specialist", &a->u.actor.specialist);
    } else if (!strcmp(key, "location_confidential")) {
        boolean(y, v, "location_confidential", &a->u.actor.location_confidential);
    } else if (!strcmp(key, "services")) {
        a->u.actor.provides = name_list(y, v, "services");
    } else if (!strcmp(key, "languages")) {
        a->u.actor.languages = name_list(y, v, "languages");
    } else {
        add_field(y, a, key, k, v);
    }
}

static void top_pair(ydoc *y, void *ctx, const char *key, yaml_node_t *k, yaml_node_t *v)
{
    (void)ctx;
    rd_program *p = y->p;
    if (!strcmp(key, "directory")) {
        p->directory.present = 1;
        p->directory.span = node_span(y, k);
        each_pair(y, v, "directory", dir_meta, meta_pair, NULL);
        return;
    }
    if (expect_type(y, v, YAML_SEQUENCE_NODE, "providers") != 0) return;
    for (yaml_node_item_t *it = v->data.sequence.items.start; it < v->data.sequence.items.top; it++) {
        yaml_node_t *e = yaml_document_get_node(&y->doc, *it);
        rd_decl *a = rd_arena_alloc(&p->arena, sizeof *a);
        if (!a) return;
        a->kind = RD_D_ACTOR;
        a->span = node_span(y, e);
        a->u.actor.from_directory = 1;
        each_pair(y, e, "a provider", dir_provider, provider_pair, a);
        /* An id or name that was given but bad has been reported already. */
        if (!a->id) {
            if (!a->id_span.line)
                RD_ERROR(p, "missing-field", a->span, "add `id: some_name`: the name the SOP uses for this provider",
                         "this provider has no `id`");
            continue;
        }
        if (!a->label) {
            if (!a->label_span.line)
                RD_ERROR(p, "missing-field", a->span, "add `name: \"...\"`", "provider `%s` has no `name`", a->id);
            continue;
        }
        *p->tail = a;
        p->tail = &a->next;
        p->ndecls++;
    }
}

void rd_yaml_directory(rd_program *p, rd_decl *d)
{
    ydoc y;
    yaml_node_t *root = open_doc(p, d, &y, "service directory");
    if (!root) return;
    each_pair(&y, root, "a service directory", dir_top, top_pair, NULL);
    yaml_document_delete(&y.doc);
}

/* ---- translations ---------------------------------------------------------------------------- */

static const char *const tr_top[] = {"language", "notices", "facts", "consents", "options", NULL};

typedef struct tr_ctx {
    const char *lang;
    int attach; /* 0 for a language the SOP does not declare: names are checked, texts not kept */
} tr_ctx;

static void attach(ydoc *y, rd_text **list, const char *lang, const char *text, rd_span at)
{
    for (rd_text *t = *list; t; t = t->next) {
        if (t->lang == lang) {
            rd_diagnostic *g = RD_ERROR(y->p, "duplicate-translation", at, "keep one of the two",
                                        "a second `%s` text for this", lang);
            rd_diag_note(y->p->diags, &y->p->sources, g, t->span, "the first one is here");
            return;
        }
    }
    rd_text *t = rd_arena_alloc(&y->p->arena, sizeof *t);
    if (!t) return;
    t->lang = lang;
    t->text = text;
    t->span = at;
    t->next = *list;
    *list = t;
}

typedef struct tr_section {
    tr_ctx c;
    rd_decl_kind kind;
} tr_section;

static void tr_entry(ydoc *y, void *ctx, const char *key, yaml_node_t *k, yaml_node_t *v)
{
    tr_section *sec = ctx;
    tr_ctx *c = &sec->c;
    rd_decl_kind kind = sec->kind;
    const char *text = scalar(y, v, key);
    rd_span at = node_span(y, k);
    if (kind == RD_D_PATHWAY) {
        /* options: pathway.step.option */
        char pw_id[256], st_id[256], opt_id[256];
        if (sscanf(key, "%255[a-z0-9_].%255[a-z0-9_].%255[a-z0-9_]", pw_id, st_id, opt_id) != 3) {
            RD_ERROR(y->p, "bad-name", at, "write it as pathway.step.option, as in `ipv_sv.referrals.shelter`",
                     "`%s` does not name a choice option", key);
            return;
        }
        rd_decl *pw = rd_lookup(y->p, RD_D_PATHWAY, rd_intern(y->p, pw_id, strlen(pw_id)));
        if (!pw) {
            rd_unknown_name(y->p, at, pw_id, RD_D_PATHWAY, NULL);
            return;
        }
        rd_step *st = rd_find_step(y->p, pw, rd_intern(y->p, st_id, strlen(st_id)), at);
        if (!st) return;
        rd_option *o = rd_find_option(st, rd_intern(y->p, opt_id, strlen(opt_id)));
        if (o) {
            if (c->attach && text) attach(y, &o->texts, c->lang, text, at);
            return;
        }
        RD_ERROR(y->p, "unknown-option", at, rd_option_list(y->p, st),
                 "step `%s` offers no option `%s`", st_id, opt_id);
        return;
    }
    rd_decl *d = rd_lookup(y->p, kind, rd_intern(y->p, key, strlen(key)));
    if (!d) {
        rd_unknown_name(y->p, at, key, kind, NULL);
        return;
    }
    if (c->attach && text) attach(y, &d->texts, c->lang, text, at);
}

static void tr_top_pair(ydoc *y, void *ctx, const char *key, yaml_node_t *k, yaml_node_t *v)
{
    (void)k;
    tr_ctx *c = ctx;
    if (!strcmp(key, "language")) return;
    tr_section s = {*c, !strcmp(key, "notices") ? RD_D_NOTICE : !strcmp(key, "facts") ? RD_D_FACT
                        : !strcmp(key, "consents") ? RD_D_CONSENT : RD_D_PATHWAY};
    each_pair(y, v, key, NULL, tr_entry, &s);
}

void rd_yaml_translations(rd_program *p, rd_decl *d)
{
    ydoc y;
    yaml_node_t *root = open_doc(p, d, &y, "translations file");
    if (!root) return;
    tr_ctx c = {NULL, 1};
    if (root->type == YAML_MAPPING_NODE) {
        for (yaml_node_pair_t *pr = root->data.mapping.pairs.start; pr < root->data.mapping.pairs.top; pr++) {
            yaml_node_t *k = yaml_document_get_node(&y.doc, pr->key);
            if (k->type == YAML_SCALAR_NODE && !strcmp((const char *)k->data.scalar.value, "language"))
                c.lang = name_of(&y, yaml_document_get_node(&y.doc, pr->value), "language");
        }
        if (!c.lang) {
            RD_ERROR(p, "missing-field", node_span(&y, root), "add `language: my` (the code the SOP uses for it)",
                     "this translations file does not say its language");
            yaml_document_delete(&y.doc);
            return;
        }
        if (p->sop) {
            c.attach = 0;
            for (rd_ref *r = p->sop->u.sop.languages; r; r = r->next) c.attach |= r->id == c.lang;
        }
    }
    each_pair(&y, root, "a translations file", tr_top, tr_top_pair, &c);
    yaml_document_delete(&y.doc);
}
