#define _DEFAULT_SOURCE /* strndup */
/* Cases: loading and checking the YAML of language.md section 8, saving it so that a crash leaves
 * either the old file or the new one, and the changes a worker makes. Messages about a case name
 * the file, line, column and key, never a value: a case holds a survivor's facts. */
#include "case.h"
#include "rdtime.h"
#include "check.h"
#include "yaml_util.h"
#include "lua_sandbox.h"
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int rd_case_add_event(rd_case *c, rd_event ev)
{
    if (c->nevents == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 16;
        rd_event *v = rd_arena_alloc(&c->arena, cap * sizeof *v);
        if (!v) return -1;
        if (c->nevents) memcpy(v, c->events, c->nevents * sizeof *v);
        c->events = v;
        c->cap = cap;
    }
    c->events[c->nevents++] = ev;
    return 0;
}

/* ---- evaluating conditions on a case (Kleene logic: unknown is neither true nor false) ------- */

/* A fact computed by its Lua chunk from the case's other facts (in the sandbox; an enum's value
 * comes back as its name). A chunk that fails, or returns something that is not a value of the
 * fact's type, leaves the fact unknown, which a condition treats as neither true nor false. */
static int lua_fact(rd_case *c, const rd_decl *f, long long *v)
{
    uint32_t i = f->index;
    if (c->lua_gen[i] == c->gen + 1) goto cached;
    if (!c->lua) {
        c->lua = rd_lua_open(NULL);
        if (!c->lua) return 0;
    }
    char err[256];
    if (c->lua_fn[i] == 0) {
        int via;
        char *path = rd_find_file(c->p, f->span.file, f->u.fact.lua, NULL, NULL, &via);
        uint32_t idx;
        rd_span at = f->u.fact.lua_span;
        int fn = -1;
        if (path && rd_load_source(c->p, path, at, 1, 0, &idx) >= 0) {
            rd_source *src = &c->p->sources.v[idx];
            fn = rd_lua_load(c->lua, src->path, src->text, src->len, err, sizeof err);
        }
        c->lua_fn[i] = fn + 1 > 0 ? fn + 1 : -1;
    }
    c->lua_value[i].state = RD_FV_UNKNOWN;
    c->lua_failed[i] = c->lua_fn[i] < 0 ? "its Lua could not be read or does not compile" : NULL;
    if (c->lua_fn[i] > 0) {
        rd_lua_arg *args = rd_arena_alloc(&c->arena, (c->g->nfacts + 1) * sizeof *args);
        size_t n = 0;
        for (uint32_t k = 0; args && k < c->g->nfacts; k++) {
            const rd_decl *d = c->g->facts[k];
            const rd_fact_value *fv = &c->facts[k];
            if (fv->state != RD_FV_SET || d->u.fact.lua || d->u.fact.derived) continue;
            args[n].key = d->id;
            if (d->u.fact.type == RD_T_BOOL) args[n].v = (rd_lua_value){RD_LV_BOOL, fv->v, NULL};
            else if (d->u.fact.type == RD_T_INT) args[n].v = (rd_lua_value){RD_LV_INT, fv->v, NULL};
            else {
                const rd_ref *r = d->u.fact.values;
                for (long long j = 0; r && j < fv->v; j++) r = r->next;
                args[n].v = (rd_lua_value){RD_LV_STRING, 0, r ? r->id : ""};
            }
            n++;
        }
        rd_lua_value out;
        if (args && rd_lua_call(c->lua, c->lua_fn[i] - 1, args, n, &out, err, sizeof err) == 0) {
            if (f->u.fact.type == RD_T_BOOL && out.type == RD_LV_BOOL) c->lua_value[i] = (rd_fact_value){RD_FV_SET, out.i};
            else if (f->u.fact.type == RD_T_INT && out.type == RD_LV_INT) c->lua_value[i] = (rd_fact_value){RD_FV_SET, out.i};
            else if (f->u.fact.type == RD_T_ENUM && out.type == RD_LV_STRING) {
                long long j = 0;
                for (const rd_ref *r = f->u.fact.values; r; r = r->next, j++)
                    if (!strcmp(r->id, out.s)) c->lua_value[i] = (rd_fact_value){RD_FV_SET, j};
            }
            if (c->lua_value[i].state != RD_FV_SET && out.type != RD_LV_NIL)
                c->lua_failed[i] = "its Lua returned a value that is not one of the fact's";
        } else if (args) {
            /* Lua's message may quote what the chunk was given: only that it failed is said */
            c->lua_failed[i] = strstr(err, "limit") || strstr(err, "budget")
                                   ? "its Lua ran past its limits (its own, or the budget all the Lua of one question shares)"
                                   : "its Lua failed while running";
        }
    }
    c->lua_gen[i] = c->gen + 1;
cached:
    if (c->lua_value[i].state != RD_FV_SET) return 0;
    *v = c->lua_value[i].v;
    return 1;
}

static int fact_value(const rd_case *c, const rd_decl *f, long long *v)
{
    if (f->u.fact.lua) return lua_fact((rd_case *)c, f, v);
    if (f->u.fact.derived) {
        rd_case *m = (rd_case *)c; /* the cache only; the case's facts are untouched */
        uint32_t i = f->index;
        if (m->derived_gen[i] != m->gen + 1) {
            int r = rd_case_cond(c, f->u.fact.derived);
            m->derived_value[i] = r < 0 ? (rd_fact_value){0} : (rd_fact_value){RD_FV_SET, r};
            m->derived_gen[i] = m->gen + 1;
        }
        if (m->derived_value[i].state != RD_FV_SET) return 0;
        *v = m->derived_value[i].v;
        return 1;
    }
    const rd_fact_value *fv = &c->facts[f->index];
    if (fv->state != RD_FV_SET) return 0;
    *v = fv->v;
    return 1;
}

int rd_case_fact_value(const rd_case *c, const rd_decl *f, long long *v) { return fact_value(c, f, v); }

int rd_case_cond(const rd_case *c, const rd_expr *e)
{
    int a, b;
    long long x, y;
    switch (e->kind) {
    case RD_E_OR:
        a = rd_case_cond(c, e->a);
        b = rd_case_cond(c, e->b);
        return a == 1 || b == 1 ? 1 : a == 0 && b == 0 ? 0 : -1;
    case RD_E_AND:
        a = rd_case_cond(c, e->a);
        b = rd_case_cond(c, e->b);
        return a == 0 || b == 0 ? 0 : a == 1 && b == 1 ? 1 : -1;
    case RD_E_NOT:
        a = rd_case_cond(c, e->a);
        return a < 0 ? -1 : !a;
    case RD_E_BOOL: return e->value != 0;
    case RD_E_INT: return -1;
    case RD_E_KNOWN: return e->fact ? fact_value(c, e->fact, &x) : 0;
    case RD_E_NAME: return e->fact && fact_value(c, e->fact, &x) ? x != 0 : -1;
    case RD_E_IN:
        if (!e->fact || !fact_value(c, e->fact, &x)) return -1;
        for (const rd_ref *r = e->set; r; r = r->next) {
            long long i = 0;
            for (const rd_ref *v = e->fact->u.fact.values; v && v->id != r->id; v = v->next) i++;
            if (i == x) return 1;
        }
        return 0;
    case RD_E_CMP: {
        /* each side: a fact's value or a constant (an enum value's index, a number, a bool) */
        const rd_expr *l = e->a, *r = e->b;
        if (l->fact && l->type != RD_T_ENUMVAL) {
            if (!fact_value(c, l->fact, &x)) return -1;
        } else {
            x = l->value;
        }
        if (r->fact && r->type != RD_T_ENUMVAL) {
            if (!fact_value(c, r->fact, &y)) return -1;
        } else {
            y = r->value;
        }
        switch (e->op) {
        case RD_OP_EQ: return x == y;
        case RD_OP_NE: return x != y;
        case RD_OP_LT: return x < y;
        case RD_OP_LE: return x <= y;
        case RD_OP_GT: return x > y;
        case RD_OP_GE: return x >= y;
        }
    }
    }
    return -1;
}

int rd_case_consent_active(const rd_case *c, uint32_t k, long long now)
{
    const rd_consent_value *cv = &c->consents[k];
    if (cv->state != RD_CS_GRANTED) return 0;
    /* not before she gave it: a question dated earlier (a clock behind, a replayed log) is denied */
    if (cv->at != RD_TIME_NONE && now < cv->at) return 0;
    if (cv->withdrawn != RD_TIME_NONE && cv->withdrawn <= now) return 0;
    if (cv->until != RD_TIME_NONE && cv->until < now) return 0;
    return 1;
}

/* ---- loading ---------------------------------------------------------------------------------- */

static const char *const case_keys[] = {"sop", "sop_fingerprint", "case", "language", "opened_by", "pathway", "facts",
                                        "consents", "events", NULL};
static const char *const consent_keys[] = {"granted", "at", "until", "except", "only", "withdrawn", "shared", "to", NULL};
static const char *const event_keys[] = {"step", "by", "at", "inform", "choose", "refer", "share", "with",
                                         "report", "permit", "reason", "told", "for", "data", NULL};

typedef struct loader {
    rd_case *c;
    int bad;
} loader;

/* The index of `name` among the values of enum fact f (how a value is kept), or -1. */
static long long enum_index(const rd_decl *f, const char *name)
{
    long long i = 0;
    for (const rd_ref *r = f->u.fact.values; r; r = r->next, i++)
        if (!strcmp(r->id, name)) return i;
    return -1;
}

static void fact_pair(ydoc *y, void *ctx, const char *key, yaml_node_t *k, yaml_node_t *v)
{
    loader *L = ctx;
    rd_program *p = y->p;
    rd_decl *f = rd_lookup(p, RD_D_FACT, key);
    if (!f) {
        rd_unknown_name(p, rd_y_span(y, k), key, RD_D_FACT, "check the spelling against the SOP's `fact` declarations");
        L->bad = 1;
        return;
    }
    if (f->u.fact.derived || f->u.fact.lua) {
        rd_y_error(y, k, "computed-fact", "give the facts it is computed from instead", "`%s` is computed, not given", key);
        L->bad = 1;
        return;
    }
    rd_fact_value *fv = &L->c->facts[f->index];
    if (v->type == YAML_SCALAR_NODE && (!strcmp((const char *)v->data.scalar.value, "unknown") ||
                                        !strcmp((const char *)v->data.scalar.value, "~") || v->data.scalar.length == 0)) {
        fv->state = RD_FV_UNKNOWN; /* she declined to answer */
        return;
    }
    const char *s = rd_y_scalar(y, v, key);
    if (!s) {
        L->bad = 1;
        return;
    }
    char *end;
    switch (f->u.fact.type) {
    case RD_T_BOOL:
        if (!strcmp(s, "true") || !strcmp(s, "false")) {
            fv->state = RD_FV_SET;
            fv->v = s[0] == 't';
            return;
        }
        rd_y_error(y, v, "type-mismatch", "write true, false or unknown", "`%s` is a yes/no fact; this value is not one", key);
        break;
    case RD_T_INT:
        errno = 0;
        fv->v = strtoll(s, &end, 10);
        if (*s && !*end && errno == 0) {
            fv->state = RD_FV_SET;
            return;
        }
        rd_y_error(y, v, "type-mismatch", "write a whole number, or unknown", "`%s` is a number; this value is not one", key);
        break;
    case RD_T_ENUM: {
        long long i = enum_index(f, s);
        if (i >= 0) {
            fv->state = RD_FV_SET;
            fv->v = i;
            return;
        }
        const char *names[64];
        size_t n = 0;
        for (const rd_ref *r = f->u.fact.values; r && n < 64; r = r->next) names[n++] = r->id;
        rd_y_error(y, v, "unknown-value", rd_arena_printf(y->arena, "`%s` can be %s", key, rd_quoted_list(y->arena, names, n)),
                   "this value is not one of the values of `%s`", key);
        break;
    }
    default: break;
    }
    L->bad = 1;
}

static unsigned char *name_set(ydoc *y, yaml_node_t *v, const char *what, rd_decl_kind kind, uint32_t n, loader *L)
{
    rd_ref *list = rd_y_name_list(y, v, what);
    unsigned char *set = rd_arena_alloc(&L->c->arena, n + 1);
    if (!set) return NULL;
    for (rd_ref *r = list; r; r = r->next) {
        rd_decl *d = rd_lookup(y->p, kind, r->id);
        if (!d) {
            rd_unknown_name(y->p, r->span, r->id, kind, NULL);
            L->bad = 1;
            continue;
        }
        set[d->index] = 1;
    }
    return set;
}

typedef struct consent_ctx { loader *L; rd_consent_value *cv; } consent_ctx;

/* What a consent covered when she answered, by the names the SOP had then: a name a later text
 * no longer has is dropped (it cannot be shared anyway), never an error that would lock the case. */
static unsigned char *agreed_set(ydoc *y, yaml_node_t *v, const char *what, rd_decl_kind kind, uint32_t n, loader *L)
{
    unsigned char *set = rd_arena_alloc(&L->c->arena, n + 1);
    if (!set || rd_y_expect(y, v, YAML_SEQUENCE_NODE, what) != 0) return set;
    for (yaml_node_item_t *it = v->data.sequence.items.start; it < v->data.sequence.items.top; it++) {
        const char *s = rd_y_scalar(y, yaml_document_get_node(&y->doc, *it), what);
        const rd_decl *d = s ? rd_lookup(y->p, kind, s) : NULL;
        if (d) set[d->index] = 1;
    }
    return set;
}

/* The time of key `what`; a fraction of a second rounded `up` or down, to the safe side for the
 * key: up for when something was given (a consent, a notice), down for when it ends. */
static long long when_of(ydoc *y, yaml_node_t *v, const char *what, int up, loader *L)
{
    const char *s = rd_y_scalar(y, v, what);
    long long t = RD_TIME_NONE;
    int col = s ? rd_time_parse_rounded(s, &t, up) : 1;
    if (col) {
        /* the column of the mistake within the value, never the value itself */
        rd_y_error(y, v, "bad-time",
                   "write the date, the time and the offset from UTC, as in 2024-05-01T10:00:00Z or "
                   "2024-05-01T17:00:00+07:00",
                   "`%s` is not a time with its offset from UTC (character %d of the value is wrong)", what, col);
        L->bad = 1;
        return RD_TIME_NONE;
    }
    return t;
}

static void consent_field(ydoc *y, void *ctx, const char *key, yaml_node_t *k, yaml_node_t *v)
{
    (void)k;
    consent_ctx *cc = ctx;
    rd_case *c = cc->L->c;
    int b;
    if (!strcmp(key, "granted")) {
        if (rd_y_boolean(y, v, "granted", &b) == 0) cc->cv->state = b ? RD_CS_GRANTED : RD_CS_REFUSED;
        else cc->L->bad = 1;
    } else if (!strcmp(key, "at")) {
        cc->cv->at = when_of(y, v, "at", 1, cc->L);
    } else if (!strcmp(key, "until")) {
        cc->cv->until = when_of(y, v, "until", 0, cc->L);
    } else if (!strcmp(key, "withdrawn")) {
        cc->cv->withdrawn = when_of(y, v, "withdrawn", 0, cc->L);
    } else if (!strcmp(key, "except")) {
        cc->cv->except = name_set(y, v, "except", RD_D_DATA, c->g->ndata, cc->L);
    } else if (!strcmp(key, "shared")) {
        cc->cv->agreed = agreed_set(y, v, "shared", RD_D_DATA, c->g->ndata, cc->L);
    } else if (!strcmp(key, "to")) {
        cc->cv->agreed_to = agreed_set(y, v, "to", RD_D_ACTOR, c->g->nactors, cc->L);
    } else {
        cc->cv->only = name_set(y, v, "only", RD_D_ACTOR, c->g->nactors, cc->L);
    }
}

static void consent_pair(ydoc *y, void *ctx, const char *key, yaml_node_t *k, yaml_node_t *v)
{
    loader *L = ctx;
    rd_decl *d = rd_lookup(y->p, RD_D_CONSENT, key);
    if (!d) {
        rd_unknown_name(y->p, rd_y_span(y, k), key, RD_D_CONSENT, NULL);
        L->bad = 1;
        return;
    }
    rd_consent_value *cv = &L->c->consents[d->index];
    if (v->type == YAML_SCALAR_NODE) {
        const char *s = (const char *)v->data.scalar.value;
        if (!strcmp(s, "granted")) cv->state = RD_CS_GRANTED;
        else if (!strcmp(s, "refused")) cv->state = RD_CS_REFUSED;
        else {
            rd_y_error(y, v, "unknown-value", "write granted, refused, or `{ granted: true, except: [...], until: ... }`",
                       "the answer to `%s` must be granted or refused", key);
            L->bad = 1;
        }
        return;
    }
    consent_ctx cc = {L, cv};
    rd_y_each_pair(y, v, "a consent", consent_keys, consent_field, &cc);
    if (cv->state == RD_CS_UNSET) {
        rd_y_error(y, v, "missing-field", "add `granted: true` (or false)", "the answer to `%s` does not say whether she agreed", key);
        L->bad = 1;
    }
}

typedef struct event_ctx { loader *L; rd_event ev; int kinds; } event_ctx;

static const char *name_at(ydoc *y, yaml_node_t *v, const char *what, rd_decl_kind kind, loader *L)
{
    const char *s = rd_y_name(y, v, what);
    if (!s) {
        L->bad = 1;
        return NULL;
    }
    if ((int)kind >= 0 && !rd_lookup(y->p, kind, s)) {
        rd_unknown_name(y->p, rd_y_span(y, v), s, kind, NULL);
        L->bad = 1;
        return NULL;
    }
    return s;
}

/* The program's copy of a name (events compare names by pointer), or, for a name the program
 * does not have, a copy in arena a: reading a case never grows the program. */
static const char *name_in(rd_program *p, rd_arena *a, const char *s, size_t len)
{
    char small[128];
    if (len < sizeof small) {
        memcpy(small, s, len);
        small[len] = '\0';
        const char *known = rd_map_get(&p->intern, small);
        if (known) return known;
    }
    return rd_arena_strndup(a, s, len);
}

static void event_field(ydoc *y, void *ctx, const char *key, yaml_node_t *k, yaml_node_t *v)
{
    (void)k;
    event_ctx *ec = ctx;
    rd_event *ev = &ec->ev;
    if (!strcmp(key, "at")) {
        ev->at = when_of(y, v, "at", 1, ec->L);
    } else if (!strcmp(key, "by")) {
        ev->by = rd_y_scalar(y, v, "by");
    } else if (!strcmp(key, "reason")) {
        ev->reason = rd_y_scalar(y, v, "reason");
    } else if (!strcmp(key, "with")) {
        ev->b = name_at(y, v, "with", RD_D_ACTOR, ec->L);
    } else if (!strcmp(key, "data")) { /* permit: what it was used to send (to `with`) */
        ev->data = name_at(y, v, "data", RD_D_DATA, ec->L);
    } else if (!strcmp(key, "for")) { /* refer: the service she was referred for */
        ev->b = name_at(y, v, "for", RD_D_SERVICE, ec->L);
    } else if (!strcmp(key, "choose")) {
        const char *s = rd_y_scalar(y, v, "choose");
        const char *dot = s ? strchr(s, '.') : NULL;
        ec->kinds++;
        ev->kind = RD_EV_CHOOSE;
        if (!dot) {
            rd_y_error(y, v, "bad-name", "write step.option, as in `referrals.shelter`", "`choose` names a step and an option");
            ec->L->bad = 1;
            return;
        }
        ev->a = name_in(y->p, y->arena, s, (size_t)(dot - s));
        ev->b = name_in(y->p, y->arena, dot + 1, strlen(dot + 1));
    } else {
        static const struct { const char *key; rd_event_kind kind; rd_decl_kind decl; } kinds[] = {
            {"step", RD_EV_STEP, (rd_decl_kind)-1}, {"inform", RD_EV_INFORM, RD_D_NOTICE},
            {"refer", RD_EV_REFER, RD_D_ACTOR},      {"share", RD_EV_SHARE, RD_D_DATA},
            {"report", RD_EV_REPORT, RD_D_DUTY},     {"permit", RD_EV_PERMIT, RD_D_PERMIT},
            {"told", RD_EV_TOLD, RD_D_PERMIT},
        };
        for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++)
            if (!strcmp(key, kinds[i].key)) {
                ec->kinds++;
                ev->kind = kinds[i].kind;
                ev->a = name_at(y, v, key, kinds[i].decl, ec->L);
            }
    }
}

/* The step `id` of the case's pathway or, while a case file is being read and its pathway is not
 * known yet, of any pathway. */
static rd_step *step_named(const rd_case *c, const char *id)
{
    if (c->pathway) return rd_map_get(&c->pathway->u.pathway.step_map, id);
    for (uint32_t i = 0; i < c->g->npathways; i++) {
        rd_step *st = rd_map_get(&c->g->pathways[i].decl->u.pathway.step_map, id);
        if (st) return st;
    }
    return NULL;
}

/* What is wrong with an event's names, or NULL: each must be the SOP's (a step, an option of that
 * step, an actor). Said without quoting the name: what is not the SOP's may be anything a person
 * typed. */
static const char *event_problem(const rd_case *c, const rd_event *ev)
{
    rd_step *st;
    switch (ev->kind) {
    case RD_EV_STEP:
        return ev->a && step_named(c, ev->a) ? NULL : "the pathway has no step of that name";
    case RD_EV_CHOOSE:
        if (!ev->a || !(st = step_named(c, ev->a))) return "the pathway has no step of that name";
        return ev->b && rd_find_option(st, ev->b) ? NULL : "that step offers no option of that name";
    case RD_EV_SHARE:
        return !ev->b || rd_lookup(c->p, RD_D_ACTOR, ev->b) ? NULL : "the SOP has no actor of that name";
    default:
        return NULL;
    }
}

static void top_pair(ydoc *y, void *ctx, const char *key, yaml_node_t *k, yaml_node_t *v)
{
    (void)k;
    loader *L = ctx;
    rd_case *c = L->c;
    int empty = v->type == YAML_SCALAR_NODE && v->data.scalar.length == 0;
    if (empty && (!strcmp(key, "facts") || !strcmp(key, "consents") || !strcmp(key, "events"))) return;
    if (!strcmp(key, "sop")) {
        c->sop = rd_y_scalar(y, v, "sop");
    } else if (!strcmp(key, "case")) {
        c->id = rd_y_scalar(y, v, "case");
    } else if (!strcmp(key, "sop_fingerprint")) {
        c->opened_under = rd_y_scalar(y, v, "sop_fingerprint");
    } else if (!strcmp(key, "language")) {
        c->language = rd_y_name(y, v, "language");
    } else if (!strcmp(key, "opened_by")) {
        const char *s = name_at(y, v, "opened_by", RD_D_ACTOR, L);
        if (s) c->opened_by = rd_lookup(y->p, RD_D_ACTOR, s)->index;
    } else if (!strcmp(key, "pathway")) {
        const char *s = name_at(y, v, "pathway", RD_D_PATHWAY, L);
        if (s) c->pathway = rd_lookup(y->p, RD_D_PATHWAY, s);
    } else if (!strcmp(key, "facts")) {
        rd_y_each_pair(y, v, "facts", NULL, fact_pair, L);
    } else if (!strcmp(key, "consents")) {
        rd_y_each_pair(y, v, "consents", NULL, consent_pair, L);
    } else {
        if (rd_y_expect(y, v, YAML_SEQUENCE_NODE, "events") != 0) {
            L->bad = 1;
            return;
        }
        for (yaml_node_item_t *it = v->data.sequence.items.start; it < v->data.sequence.items.top; it++) {
            yaml_node_t *e = yaml_document_get_node(&y->doc, *it);
            event_ctx ec = {L, {0}, 0};
            ec.ev.at = RD_TIME_NONE;
            rd_y_each_pair(y, e, "an event", event_keys, event_field, &ec);
            if (ec.kinds != 1) {
                rd_y_error(y, e, "bad-event", "an event is one of step, inform, choose, refer, share, report, permit or told",
                           "this event must say exactly one thing that was done");
                L->bad = 1;
                continue;
            }
            if (ec.ev.kind == RD_EV_PERMIT && ec.ev.a) {
                /* the one flow the permit was used for, and one it covers */
                const rd_decl *pm = rd_lookup(y->p, RD_D_PERMIT, ec.ev.a);
                const rd_decl *dd = ec.ev.data ? rd_lookup(y->p, RD_D_DATA, ec.ev.data) : NULL;
                const rd_decl *to = ec.ev.b ? rd_lookup(y->p, RD_D_ACTOR, ec.ev.b) : NULL;
                if (!dd || !to || !ec.ev.reason) {
                    rd_y_error(y, e, "bad-event", "write `{ permit: P, data: D, with: ACTOR, reason: \"...\" }`",
                               "a permit's use must say what it sent, to whom, and why");
                    L->bad = 1;
                    continue;
                }
                if (pm && !rd_flow_covers(c->g, pm, dd->index, to->index)) {
                    rd_y_error(y, e, "bad-event", "name a data category and an actor the permit lists",
                               "permit `%s` does not cover `%s` going to `%s`", pm->id, dd->id, to->id);
                    L->bad = 1;
                    continue;
                }
            }
            const char *problem = event_problem(c, &ec.ev);
            if (problem) {
                rd_y_error(y, e, "bad-event", "name a step, option or actor of the SOP", "%s", problem);
                L->bad = 1;
                continue;
            }
            if (rd_case_add_event(c, ec.ev) != 0) L->bad = 1;
        }
    }
}

/* The pathway a case runs: named in the file, or the first whose entry includes the actor that
 * opened it. */
static const rd_decl *pathway_for(rd_case *c)
{
    for (uint32_t i = 0; i < c->g->npathways; i++)
        for (uint32_t k = 0; k < c->g->pathways[i].nentry; k++)
            if (c->g->pathways[i].entry[k] == c->opened_by) return c->g->pathways[i].decl;
    return NULL;
}

/* Whether the actor that opened c is one of its pathway's entries. */
static int opens(const rd_case *c)
{
    for (uint32_t i = 0; i < c->g->npathways; i++)
        if (c->g->pathways[i].decl == c->pathway)
            for (uint32_t k = 0; k < c->g->pathways[i].nentry; k++)
                if (c->g->pathways[i].entry[k] == c->opened_by) return 1;
    return 0;
}

static rd_case *case_new(rd_program *p)
{
    if (!rd_program_graph(p)) return NULL;
    rd_case *c = calloc(1, sizeof *c);
    if (!c) return NULL;
    rd_arena_init(&c->arena);
    c->p = p;
    c->g = p->graph;
    c->opened_by = UINT32_MAX;
    c->facts = rd_arena_alloc(&c->arena, (c->g->nfacts + 1) * sizeof *c->facts);
    c->consents = rd_arena_alloc(&c->arena, (c->g->nconsents + 1) * sizeof *c->consents);
    c->lua_fn = rd_arena_alloc(&c->arena, (c->g->nfacts + 1) * sizeof *c->lua_fn);
    c->lua_value = rd_arena_alloc(&c->arena, (c->g->nfacts + 1) * sizeof *c->lua_value);
    c->lua_gen = rd_arena_alloc(&c->arena, (c->g->nfacts + 1) * sizeof *c->lua_gen);
    c->derived_value = rd_arena_alloc(&c->arena, (c->g->nfacts + 1) * sizeof *c->derived_value);
    c->derived_gen = rd_arena_alloc(&c->arena, (c->g->nfacts + 1) * sizeof *c->derived_gen);
    c->lua_failed = rd_arena_alloc(&c->arena, (c->g->nfacts + 1) * sizeof *c->lua_failed);
    if (!c->facts || !c->consents || !c->lua_fn || !c->lua_value || !c->lua_gen || !c->derived_value || !c->derived_gen ||
        !c->lua_failed) {
        rd_arena_release(&c->arena);
        free(c);
        return NULL;
    }
    for (uint32_t k = 0; k < c->g->nconsents; k++)
        c->consents[k].at = c->consents[k].until = c->consents[k].withdrawn = RD_TIME_NONE;
    return c;
}

rd_case *rd_case_blank(rd_program *p, const rd_decl *pw, uint32_t by)
{
    rd_case *c = case_new(p);
    if (!c) return NULL;
    c->pathway = pw;
    c->opened_by = by;
    c->language = p->first_language;
    return c;
}

rd_case *rd_case_load(rd_program *p, const char *path, rd_diagnostics *d)
{
    if (!p || !path || !d) return NULL;
    rd_diagnostics *saved = p->diags;
    p->diags = d;
    rd_case *c = case_new(p);
    if (!c && p->graph_too_big) {
        rd_graph_too_big(p, d, "it cannot be run");
        p->diags = saved;
        return NULL;
    }
    if (!c) {
        rd_diag_set_status(d, RD_ERR_NOMEM);
        p->diags = saved;
        return NULL;
    }
    size_t errors_before = rd_diagnostics_count(d, RD_SEV_ERROR);
    ydoc y;
    rd_span none = {0, 0, 0, 0, 0};
    yaml_node_t *root = rd_y_open(p, path, none, 0, &y, "case file", 1);
    y.arena = &c->arena;
    loader L = {c, root == NULL};
    if (root) {
        rd_y_each_pair(&y, root, "a case", case_keys, top_pair, &L);
        if (!L.bad && c->opened_by == UINT32_MAX) {
            rd_y_error(&y, root, "missing-field", "add `opened_by: <actor>`: where she came in", "the case does not say who opened it");
            L.bad = 1;
        }
        if (!L.bad && !c->pathway && !(c->pathway = pathway_for(c))) {
            rd_y_error(&y, root, "missing-field", "add `pathway: <name>`",
                       "no pathway of the SOP starts at the actor that opened this case");
            L.bad = 1;
        }
        if (!L.bad && !opens(c)) {
            /* a case opened where the pathway says it cannot be would run steps nobody there does */
            rd_y_error(&y, root, "bad-entry", "name an actor of the pathway's `entry`, or the pathway she came in by",
                       "the actor that opened this case is not one that may open pathway `%s`", c->pathway->id);
            L.bad = 1;
        }
        if (!L.bad && !c->language) c->language = p->first_language;
        yaml_document_delete(&y.doc);
    }
    p->diags = saved;
    if (y.has_file) rd_sources_forget(&p->sources, y.file);
    /* any error reported while reading it, wherever it was found, and the case is refused */
    if (L.bad || p->arena.failed || c->arena.failed || rd_diagnostics_count(d, RD_SEV_ERROR) > errors_before) {
        rd_case_free(c);
        return NULL;
    }
    c->gen++; /* anything computed while the facts were being read is stale now */
    return c;
}

const char *rd_case_id(const rd_case *c) { return c && c->id ? c->id : ""; }

void rd_case_free(rd_case *c)
{
    if (!c) return;
    rd_lua_close(c->lua);
    rd_arena_release(&c->arena);
    free(c);
}

/* ---- changes a worker makes ------------------------------------------------------------------ */

static rd_status fail(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static rd_status fail(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (err && errlen) vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
    return RD_ERR_PROGRAM;
}

rd_status rd_case_set_fact(rd_case *c, const char *fact, const char *value, char *err, size_t errlen)
{
    rd_decl *f = rd_lookup(c->p, RD_D_FACT, fact);
    if (!f) return fail(err, errlen, "the SOP has no fact `%s`", fact);
    if (f->u.fact.derived || f->u.fact.lua) return fail(err, errlen, "`%s` is computed, not given", fact);
    rd_fact_value *fv = &c->facts[f->index];
    c->gen++;
    if (!strcmp(value, "unknown")) {
        fv->state = RD_FV_UNKNOWN;
        return RD_OK;
    }
    char *end;
    switch (f->u.fact.type) {
    case RD_T_BOOL:
        if (strcmp(value, "true") && strcmp(value, "false"))
            return fail(err, errlen, "`%s` is a yes/no fact: give true, false or unknown", fact);
        fv->state = RD_FV_SET;
        fv->v = value[0] == 't';
        return RD_OK;
    case RD_T_INT: {
        errno = 0;
        long long v = strtoll(value, &end, 10);
        /* refused before anything is stored: a bad value must not replace a good one */
        if (!*value || *end || errno) return fail(err, errlen, "`%s` is a number: give a whole number or unknown", fact);
        fv->state = RD_FV_SET;
        fv->v = v;
        return RD_OK;
    }
    case RD_T_ENUM: {
        long long i = enum_index(f, value);
        if (i >= 0) {
            fv->state = RD_FV_SET;
            fv->v = i;
            return RD_OK;
        }
        return fail(err, errlen, "the value given is not one of the values of `%s`", fact);
    }
    default: return fail(err, errlen, "`%s` cannot be set", fact);
    }
}

/* What consent cd shares, and with whom, now that she answers it. */
static rd_status record_agreed(rd_case *c, const rd_decl *cd, rd_consent_value *cv, char *err, size_t errlen)
{
    cv->agreed = rd_arena_alloc(&c->arena, c->g->ndata + 1);
    cv->agreed_to = rd_arena_alloc(&c->arena, c->g->nactors + 1);
    if (!cv->agreed || !cv->agreed_to) return fail(err, errlen, "out of memory"), RD_ERR_NOMEM;
    for (uint32_t d = 0; d < c->g->ndata; d++) cv->agreed[d] = (unsigned char)rd_flow_shares(cd, d);
    for (uint32_t a = 0; a < c->g->nactors; a++) cv->agreed_to[a] = (unsigned char)rd_flow_actor_in(c->g, a, cd->u.flow.with);
    return RD_OK;
}

rd_status rd_case_decide(rd_case *c, const char *consent, int granted, long long at, char *err, size_t errlen)
{
    /* a grant recorded again is a grant on the terms she set before (no new terms) */
    if (granted > 0) return rd_case_grant(c, consent, NULL, at, err, errlen);
    rd_decl *d = rd_lookup(c->p, RD_D_CONSENT, consent);
    if (!d) return fail(err, errlen, "the SOP has no consent `%s`", consent);
    rd_consent_value *cv = &c->consents[d->index];
    if (granted < 0) {
        /* withdrawal: only of a consent she gave */
        if (cv->state != RD_CS_GRANTED) return fail(err, errlen, "`%s` was not granted, so it cannot be withdrawn", consent);
        /* withdrawn once is withdrawn from then on: a second withdrawal never moves it later */
        if (cv->withdrawn == RD_TIME_NONE || at < cv->withdrawn) cv->withdrawn = at;
        return RD_OK;
    }
    /* What she limited stays limited, through a refusal too: a grant after it is not a grant of
     * more than she said. Only new terms change it. */
    cv->state = RD_CS_REFUSED;
    cv->at = at;
    cv->withdrawn = RD_TIME_NONE;
    return record_agreed(c, d, cv, err, errlen);
}

int rd_case_informed(const rd_case *c, const char *notice, long long now)
{
    for (size_t i = 0; i < c->nevents; i++) {
        const rd_event *e = &c->events[i];
        if (e->kind == RD_EV_INFORM && e->a && !strcmp(e->a, notice) && (e->at == RD_TIME_NONE || e->at <= now)) return 1;
    }
    return 0;
}

int rd_case_consent_changed(const rd_case *c, uint32_t k)
{
    const rd_consent_value *cv = &c->consents[k];
    const rd_decl *cd = c->g->consents[k];
    /* walked from the consent's own lists, which are short: next asks this of every grant */
    for (const rd_ref *x = cd->u.flow.shares; cv->agreed && x; x = x->next)
        if (x->decl && !cv->agreed[x->decl->index]) return 1;
    for (const rd_ref *t = cd->u.flow.with; cv->agreed_to && t; t = t->next) {
        if (t->tag == RD_REF_NAME && t->decl && !cv->agreed_to[t->decl->index]) return 1;
        if (t->tag != RD_REF_SECTOR) continue;
        for (uint32_t a = 0; a < c->g->nactors; a++) {
            const rd_ref *sec = c->g->actors[a]->u.actor.sector;
            if (sec && sec->decl == t->decl && !cv->agreed_to[a]) return 1;
        }
    }
    return 0;
}

/* The set named by a comma-separated list of `kind` names, in the case's arena; "" is the empty
 * set. NULL with err set when a name is not the SOP's, or out of memory. */
static unsigned char *names_given(rd_case *c, const char *list, rd_decl_kind kind, uint32_t n, char *err, size_t errlen)
{
    unsigned char *set = rd_arena_alloc(&c->arena, n + 1);
    if (!set) {
        fail(err, errlen, "out of memory");
        return NULL;
    }
    memset(set, 0, n + 1);
    for (const char *s = list; *s;) {
        size_t len = strcspn(s, ",");
        char *name = rd_arena_strndup(&c->arena, s, len);
        const rd_decl *d = name ? rd_lookup(c->p, kind, name) : NULL;
        if (!d) {
            if (name) fail(err, errlen, "the SOP has no %s `%s`", rd_decl_kind_name(kind), name);
            return NULL;
        }
        set[d->index] = 1;
        s += len + (s[len] == ',');
    }
    return set;
}

rd_status rd_case_grant(rd_case *c, const char *consent, const rd_consent_terms *terms, long long at, char *err,
                        size_t errlen)
{
    rd_decl *d = rd_lookup(c->p, RD_D_CONSENT, consent);
    if (!d) return fail(err, errlen, "the SOP has no consent `%s`", consent);
    unsigned char *except = NULL, *only = NULL;
    if (terms && terms->except && !(except = names_given(c, terms->except, RD_D_DATA, c->g->ndata, err, errlen)))
        return RD_ERR_PROGRAM;
    if (terms && terms->only && !(only = names_given(c, terms->only, RD_D_ACTOR, c->g->nactors, err, errlen)))
        return RD_ERR_PROGRAM;
    if (terms && terms->until != RD_TIME_NONE && terms->until < at)
        return fail(err, errlen, "the grant of `%s` would end before it is given: `until` is before its time", consent);
    rd_consent_value *cv = &c->consents[d->index];
    cv->state = RD_CS_GRANTED;
    cv->at = at;
    cv->withdrawn = RD_TIME_NONE;
    if (except) cv->except = *terms->except ? except : NULL;
    if (only) cv->only = *terms->only ? only : NULL;
    if (terms && terms->until != RD_TIME_NONE) cv->until = terms->until;
    return record_agreed(c, d, cv, err, errlen);
}

/* Break-glass: a permit is used for one flow, named as DATA:ACTOR, with a reason, while its
 * condition holds. Messages name the SOP's rules, never a fact's value. */
static rd_status use_permit(rd_case *c, const char *permit, const char *flow, const char *reason, long long at, char *err,
                            size_t errlen)
{
    const rd_decl *pm = rd_lookup(c->p, RD_D_PERMIT, permit);
    if (!pm) return fail(err, errlen, "the SOP has no permit `%s`", permit);
    if (!reason || !*reason) return fail(err, errlen, "using a permit needs a stated reason");
    uint32_t line, col;
    int text = rd_utf8_check(reason, strlen(reason), &line, &col);
    if (text)
        return fail(err, errlen, "the reason %s: write it again without it",
                    text == -2 ? "holds a control character (such as ESC or DEL)" : "is not UTF-8 text");
    const char *colon = flow ? strchr(flow, ':') : NULL;
    if (!colon) return fail(err, errlen, "name the one flow permit `%s` is used for, as DATA:ACTOR", permit);
    char data[128];
    /* a name longer than any the SOP has is none of them: never cut it into one that is */
    if (colon - flow >= (ptrdiff_t)sizeof data) return fail(err, errlen, "the SOP has no data category of that name");
    snprintf(data, sizeof data, "%.*s", (int)(colon - flow), flow);
    const rd_decl *dd = rd_lookup(c->p, RD_D_DATA, data), *to = rd_lookup(c->p, RD_D_ACTOR, colon + 1);
    if (!dd) return fail(err, errlen, "the SOP has no data category `%s`", data);
    if (!to) return fail(err, errlen, "the SOP has no actor `%s`", colon + 1);
    if (!rd_flow_covers(c->g, pm, dd->index, to->index))
        return fail(err, errlen, "permit `%s` does not cover `%s` going to `%s`", permit, dd->id, to->id);
    if (pm->u.flow.when && rd_case_cond(c, pm->u.flow.when) != 1)
        return fail(err, errlen, "permit `%s` cannot be used now: its condition does not hold for this case", permit);
    rd_event ev = {RD_EV_PERMIT, pm->id, to->id, dd->id, NULL, rd_arena_strdup(&c->arena, reason), at};
    return rd_case_add_event(c, ev) == 0 ? RD_OK : RD_ERR_NOMEM;
}

rd_status rd_case_record(rd_case *c, const char *kind, const char *a, const char *b, const char *reason, long long at,
                         char *err, size_t errlen)
{
    static const struct { const char *name; rd_event_kind kind; int decl; } kinds[] = {
        {"step", RD_EV_STEP, -1},      {"inform", RD_EV_INFORM, RD_D_NOTICE}, {"choose", RD_EV_CHOOSE, -1},
        {"refer", RD_EV_REFER, RD_D_ACTOR}, {"share", RD_EV_SHARE, RD_D_DATA}, {"report", RD_EV_REPORT, RD_D_DUTY},
        {"permit", RD_EV_PERMIT, RD_D_PERMIT}, {"told", RD_EV_TOLD, RD_D_PERMIT},
    };
    for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++) {
        if (strcmp(kind, kinds[i].name)) continue;
        if (kinds[i].kind == RD_EV_PERMIT) return use_permit(c, a, b, reason, at, err, errlen);
        rd_event ev = {kinds[i].kind, name_in(c->p, &c->arena, a, strlen(a)), b ? name_in(c->p, &c->arena, b, strlen(b)) : NULL, NULL, NULL,
                       reason ? rd_arena_strdup(&c->arena, reason) : NULL, at};
        if (kinds[i].decl >= 0 && !rd_lookup(c->p, (rd_decl_kind)kinds[i].decl, ev.a))
            return fail(err, errlen, "the SOP has no %s `%s`", rd_decl_kind_name((rd_decl_kind)kinds[i].decl), a);
        if (ev.kind == RD_EV_REFER && b && !rd_lookup(c->p, RD_D_SERVICE, ev.b))
            return fail(err, errlen, "the SOP has no service `%s`", b);
        const char *problem = event_problem(c, &ev);
        if (problem) return fail(err, errlen, "%s", problem);
        return rd_case_add_event(c, ev) == 0 ? RD_OK : RD_ERR_NOMEM;
    }
    return fail(err, errlen, "unknown kind of event `%s`", kind);
}
