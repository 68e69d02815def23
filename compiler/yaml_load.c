/* Service directory and translation catalogues, read with libyaml's document API. Every node keeps
 * its position, so a wrong key or type is reported like a .sop error. Providers become actor
 * declarations that the resolver binds like any other; translations attach texts to declarations
 * after resolution. */
#include "yaml_load.h"
#include "check.h"
#include "parse.h"
#include "yaml_util.h"
#include <ctype.h>
#include <string.h>

/* The file a `directory` or `translations` declaration names, opened. */
static yaml_node_t *open_named(rd_program *p, rd_decl *d, ydoc *y, const char *what)
{
    int via;
    char *path = rd_find_file(p, d->span.file, d->u.file.path, &d->u.file.path_span, what, &via);
    if (!path) return NULL;
    return rd_y_open(p, path, d->u.file.path_span, 1, y, what, 0);
}

/* ---- service directory ----------------------------------------------------------------------- */

static const char *const dir_top[] = {"directory", "providers", NULL};
static const char *const dir_meta[] = {"country", "province", "focal_point", "last_updated", "utc_offset", NULL};
static const char *const dir_focal[] = {"name", "organization", "contact", NULL};
static const char *const dir_provider[] = {"id", "name", "sector", "specialist", "services", "location",
                                           "location_confidential", "contact", "hours", "languages",
                                           "email", "website", "notes", NULL};

static void focal_pair(ydoc *y, void *ctx, const char *key, yaml_node_t *k, yaml_node_t *v)
{
    (void)ctx;
    (void)k;
    rd_directory_meta *m = &y->p->directory;
    const char *s = rd_y_scalar(y, v, key);
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
        rd_y_each_pair(y, v, "focal_point", dir_focal, focal_pair, NULL);
        return;
    }
    const char *s = rd_y_scalar(y, v, key);
    if (!strcmp(key, "utc_offset")) {
        /* +HH:MM or -HH:MM: the providers' opening hours are in this local time */
        int ok = s && (s[0] == '+' || s[0] == '-') && strlen(s) == 6 && isdigit((unsigned char)s[1]) &&
                 isdigit((unsigned char)s[2]) && s[3] == ':' && isdigit((unsigned char)s[4]) && isdigit((unsigned char)s[5]);
        int h = ok ? (s[1] - '0') * 10 + (s[2] - '0') : 0, mi = ok ? (s[4] - '0') * 10 + (s[5] - '0') : 0;
        if (!ok || h > 14 || mi > 59) {
            if (s) rd_y_error(y, v, "bad-value", "write it as \"+07:00\" (Bangkok, Ha Noi, Phnom Penh) or \"+08:00\" (Manila)",
                              "`utc_offset` must be a sign, hours and minutes");
            return;
        }
        m->utc_offset_min = (s[0] == '-' ? -1 : 1) * (h * 60 + mi);
        m->has_utc_offset = 1;
        return;
    }
    if (!strcmp(key, "country")) m->country = s;
    else if (!strcmp(key, "province")) m->province = s;
    else m->last_updated = s;
}

static void add_field(ydoc *y, rd_decl *a, const char *name, yaml_node_t *k, yaml_node_t *v)
{
    rd_field *f = rd_arena_alloc(&y->p->arena, sizeof *f);
    if (!f) return;
    f->name = rd_intern(y->p, name, strlen(name));
    f->span = rd_y_span(y, k);
    f->value = rd_y_scalar(y, v, name);
    f->value_span = rd_y_span(y, v);
    if (!f->value) return;
    f->next = a->fields;
    a->fields = f;
}

static void provider_pair(ydoc *y, void *ctx, const char *key, yaml_node_t *k, yaml_node_t *v)
{
    rd_decl *a = ctx;
    if (!strcmp(key, "id")) {
        a->id = rd_y_name(y, v, "id");
        a->id_span = rd_y_span(y, v);
    } else if (!strcmp(key, "name")) {
        a->label = rd_y_scalar(y, v, "name");
        a->label_span = rd_y_span(y, v);
    } else if (!strcmp(key, "sector")) {
        const char *s = rd_y_name(y, v, "sector");
        if (!s) return;
        rd_ref *r = rd_arena_alloc(&y->p->arena, sizeof *r);
        if (!r) return;
        r->id = s;
        r->span = rd_y_span(y, v);
        a->u.actor.sector = r;
    } else if (!strcmp(key, "specialist")) {
        rd_y_boolean(y, v, "specialist", &a->u.actor.specialist);
    } else if (!strcmp(key, "location_confidential")) {
        rd_y_boolean(y, v, "location_confidential", &a->u.actor.location_confidential);
    } else if (!strcmp(key, "services")) {
        a->u.actor.provides = rd_y_name_list(y, v, "services");
    } else if (!strcmp(key, "languages")) {
        a->u.actor.languages = rd_y_name_list(y, v, "languages");
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
        p->directory.span = rd_y_span(y, k);
        rd_y_each_pair(y, v, "directory", dir_meta, meta_pair, NULL);
        return;
    }
    if (rd_y_expect(y, v, YAML_SEQUENCE_NODE, "providers") != 0) return;
    for (yaml_node_item_t *it = v->data.sequence.items.start; it < v->data.sequence.items.top; it++) {
        yaml_node_t *e = yaml_document_get_node(&y->doc, *it);
        rd_decl *a = rd_arena_alloc(&p->arena, sizeof *a);
        if (!a) return;
        a->kind = RD_D_ACTOR;
        a->span = rd_y_span(y, e);
        a->u.actor.from_directory = 1;
        rd_y_each_pair(y, e, "a provider", dir_provider, provider_pair, a);
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
    yaml_node_t *root = open_named(p, d, &y, "service directory");
    if (!root) return;
    rd_y_each_pair(&y, root, "a service directory", dir_top, top_pair, NULL);
    yaml_document_delete(&y.doc);
}

/* ---- translations ---------------------------------------------------------------------------- */

static const char *const tr_top[] = {"language", "status", "notices", "facts", "consents", "options", NULL};

typedef struct tr_ctx {
    const char *lang;
    int attach; /* 0 for a language the SOP does not declare: names are checked, texts not kept */
    int draft;  /* `status: draft`: every text of the file is marked a draft */
} tr_ctx;

static void attach(ydoc *y, rd_text **list, const tr_ctx *c, const char *text, rd_span at)
{
    const char *lang = c->lang;
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
    t->draft = c->draft;
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
    const char *text = rd_y_scalar(y, v, key);
    rd_span at = rd_y_span(y, k);
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
            if (c->attach && text) attach(y, &o->texts, c, text, at);
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
    if (c->attach && text) attach(y, &d->texts, c, text, at);
}

static void tr_top_pair(ydoc *y, void *ctx, const char *key, yaml_node_t *k, yaml_node_t *v)
{
    (void)k;
    tr_ctx *c = ctx;
    if (!strcmp(key, "language")) return;
    if (!strcmp(key, "status")) {
        const char *s = rd_y_scalar(y, v, "status");
        if (s && strcmp(s, "draft") && strcmp(s, "reviewed"))
            rd_y_error(y, v, "bad-value", "write `status: draft` until a qualified translator has reviewed the texts, then `status: reviewed`",
                       "`status` is `draft` or `reviewed`");
        return;
    }
    tr_section s = {*c, !strcmp(key, "notices") ? RD_D_NOTICE : !strcmp(key, "facts") ? RD_D_FACT
                        : !strcmp(key, "consents") ? RD_D_CONSENT : RD_D_PATHWAY};
    rd_y_each_pair(y, v, key, NULL, tr_entry, &s);
}

void rd_yaml_translations(rd_program *p, rd_decl *d)
{
    ydoc y;
    yaml_node_t *root = open_named(p, d, &y, "translations file");
    if (!root) return;
    tr_ctx c = {NULL, 1, 0};
    if (root->type == YAML_MAPPING_NODE) {
        for (yaml_node_pair_t *pr = root->data.mapping.pairs.start; pr < root->data.mapping.pairs.top; pr++) {
            yaml_node_t *k = yaml_document_get_node(&y.doc, pr->key);
            if (k->type != YAML_SCALAR_NODE) continue;
            yaml_node_t *v = yaml_document_get_node(&y.doc, pr->value);
            if (!strcmp((const char *)k->data.scalar.value, "language"))
                c.lang = rd_y_name(&y, v, "language");
            /* Read before the texts, which carry the mark; a bad value is reported with the rest. */
            else if (!strcmp((const char *)k->data.scalar.value, "status") && v->type == YAML_SCALAR_NODE)
                c.draft = !strcmp((const char *)v->data.scalar.value, "draft");
        }
        if (!c.lang) {
            RD_ERROR(p, "missing-field", rd_y_span(&y, root), "add `language: my` (the code the SOP uses for it)",
                     "this translations file does not say its language");
            yaml_document_delete(&y.doc);
            return;
        }
        if (p->sop) {
            c.attach = 0;
            for (rd_ref *r = p->sop->u.sop.languages; r; r = r->next) c.attach |= r->id == c.lang;
        }
    }
    rd_y_each_pair(&y, root, "a translations file", tr_top, tr_top_pair, &c);
    yaml_document_delete(&y.doc);
}
