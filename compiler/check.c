/* Checking a resolved program: conditions are typed (each name bound to a fact or an enum value),
 * descriptive fields are known, pathways are well formed (both outcomes of every `seek`, referrals
 * only to actors providing the service, every step reachable), tests name what exists, and the
 * warnings a committee wants (a step that stops without saying so, a declaration nothing uses). */
#include "check.h"
#include "lua_sandbox.h"
#include "parse.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ---- descriptive fields ---------------------------------------------------------------------- */

static const char *const sop_fields[] = {"version", "locality", "effective", "review", "purpose", "scope",
                                         "groups", "settings", "definitions", "coordination",
                                         "monitoring", "approved_by", NULL};
static const char *const service_fields[] = {"window", "description", NULL};
static const char *const actor_fields[] = {"hours", "contact", "location", "address", "email", "website",
                                           "notes", NULL};
static const char *const flow_fields[] = {"purpose", "notes", NULL};
static const char *const duty_fields[] = {"source", "notes", NULL};
static const char *const principle_fields[] = {"source", "help", "notes", NULL};

static const char *const *fields_for(rd_decl_kind k)
{
    switch (k) {
    case RD_D_SOP: return sop_fields;
    case RD_D_SERVICE: return service_fields;
    case RD_D_ACTOR: return actor_fields;
    case RD_D_CONSENT:
    case RD_D_PERMIT: return flow_fields;
    case RD_D_DUTY: return duty_fields;
    case RD_D_PRINCIPLE: return principle_fields;
    default: return NULL;
    }
}

static void check_fields(rd_program *p, rd_decl *d)
{
    const char *const *ok = fields_for(d->kind);
    for (rd_field *f = d->fields; f; f = f->next) {
        size_t n = 0;
        int known = 0;
        for (; ok && ok[n]; n++)
            if (strcmp(ok[n], f->name) == 0) known = 1;
        if (known) continue;
        const char *m = ok ? rd_did_you_mean(f->name, ok, n) : NULL;
        const char *list = rd_quoted_list(&p->arena, ok, n);
        const char *kind = rd_decl_kind_name(d->kind);
        const char *whose = d->kind == RD_D_SOP ? "the `sop` header" : rd_arena_printf(&p->arena, "%s %s", rd_article(kind), kind);
        const char *help = m ? rd_arena_printf(&p->arena, "did you mean `%s`?", m)
                             : rd_arena_printf(&p->arena, "%s takes %s", whose, list);
        RD_ERROR(p, "unknown-field", f->span, help, "%s has no field `%s`", whose, f->name);
    }
}

/* ---- conditions ------------------------------------------------------------------------------ */

static const char *type_phrase(rd_type t)
{
    switch (t) {
    case RD_T_BOOL: return "a yes/no fact";
    case RD_T_INT: return "a number";
    case RD_T_ENUM: return "a choice among values";
    default: return "a value";
    }
}

/* The fact whose enum has value `id`, if any: `violence == rape or sexual_assault` names a value
 * where a condition belongs. */
static rd_decl *enum_owner(rd_program *p, const char *id)
{
    for (rd_decl *d = p->decls; d; d = d->next)
        if (d->kind == RD_D_FACT && d->u.fact.type == RD_T_ENUM)
            for (rd_ref *r = d->u.fact.values; r; r = r->next)
                if (r->id == id) return d;
    return NULL;
}

static rd_decl *fact_named(rd_program *p, const char *id, rd_span at)
{
    rd_decl *f = rd_lookup(p, RD_D_FACT, id);
    if (f) {
        f->used = 1;
        return f;
    }
    rd_decl *owner = enum_owner(p, id);
    if (owner) {
        char *help = rd_arena_printf(&p->arena, "compare the fact with it: `%s == %s`; for several values write `%s in { %s, ... }`",
                                     owner->id, id, owner->id, id);
        RD_ERROR(p, "unknown-name", at, help, "`%s` is a value of `%s`, not a condition", id, owner->id);
        return NULL;
    }
    rd_unknown_name(p, at, id, RD_D_FACT, NULL);
    return NULL;
}

/* Binds `v` (an operand) as a value of fact f's type. Returns 0 when it fits. */
static int check_value(rd_program *p, rd_decl *f, rd_expr *v, const char *verb)
{
    rd_type t = f->u.fact.type;
    if (t == RD_T_BOOL && v->kind == RD_E_BOOL) return 0;
    if (t == RD_T_INT && v->kind == RD_E_INT) return 0;
    if (t == RD_T_ENUM && v->kind == RD_E_NAME) {
        long long i = 0;
        for (rd_ref *r = f->u.fact.values; r; r = r->next, i++) {
            if (r->id == v->id) {
                v->value = i;
                v->type = RD_T_ENUMVAL;
                v->fact = f;
                return 0;
            }
        }
        const char *names[64] = {0};
        size_t n = 0;
        for (rd_ref *r = f->u.fact.values; r && n < 64; r = r->next) names[n++] = r->id;
        const char *m = rd_did_you_mean(v->id, names, n);
        const char *list = rd_quoted_list(&p->arena, names, n);
        const char *help = m ? rd_arena_printf(&p->arena, "did you mean `%s`?", m)
                             : rd_arena_printf(&p->arena, "`%s` can be %s", f->id, list);
        RD_ERROR(p, "unknown-value", v->span, help, "`%s` is not one of the values of `%s`", v->id, f->id);
        return -1;
    }
    const char *example = t == RD_T_BOOL ? "`true` or `false`" : t == RD_T_INT ? "a number such as `72`"
                        : "one of its values";
    char *help = rd_arena_printf(&p->arena, "`%s` is %s; %s %s", f->id, type_phrase(t), verb, example);
    RD_ERROR(p, "type-mismatch", v->span, help, "this value does not fit `%s`", f->id);
    return -1;
}

static void check_cond(rd_program *p, rd_expr *e)
{
    if (!e) return;
    e->type = RD_T_BOOL;
    switch (e->kind) {
    case RD_E_OR:
    case RD_E_AND:
        check_cond(p, e->a);
        check_cond(p, e->b);
        return;
    case RD_E_NOT: check_cond(p, e->a); return;
    case RD_E_KNOWN: e->fact = fact_named(p, e->id, e->id_span); return;
    case RD_E_BOOL: return;
    case RD_E_INT:
        RD_ERROR(p, "type-mismatch", e->span, "compare a fact with it, as in `hours_since_incident <= 72`",
                 "a number alone is not a condition");
        return;
    case RD_E_NAME: {
        rd_decl *f = fact_named(p, e->id, e->span);
        e->fact = f;
        if (f && f->u.fact.type != RD_T_BOOL) {
            char *help = f->u.fact.type == RD_T_ENUM && f->u.fact.values
                ? rd_arena_printf(&p->arena, "compare it with a value: `%s == %s`", f->id, f->u.fact.values->id)
                : rd_arena_printf(&p->arena, "compare it with a number: `%s <= 72`", f->id);
            RD_ERROR(p, "type-mismatch", e->span, help, "`%s` is %s, not a yes/no condition", f->id,
                     type_phrase(f->u.fact.type));
        }
        return;
    }
    case RD_E_IN: {
        rd_decl *f = fact_named(p, e->id, e->id_span);
        e->fact = f;
        if (!f) return;
        if (f->u.fact.type != RD_T_ENUM) {
            char *help = f->u.fact.type == RD_T_BOOL ? rd_arena_printf(&p->arena, "write `if %s` or `if not %s`", f->id, f->id)
                                                     : rd_arena_printf(&p->arena, "compare it: `%s >= 18`", f->id);
            RD_ERROR(p, "type-mismatch", e->id_span, help, "`in { ... }` needs a choice fact, and `%s` is %s", f->id,
                     type_phrase(f->u.fact.type));
            return;
        }
        for (rd_ref *r = e->set; r; r = r->next) {
            rd_expr v = {.kind = RD_E_NAME, .id = r->id, .span = r->span};
            check_value(p, f, &v, "compare it with");
        }
        return;
    }
    case RD_E_CMP: {
        rd_expr *a = e->a, *b = e->b;
        rd_decl *fa = a->kind == RD_E_NAME ? rd_lookup(p, RD_D_FACT, a->id) : NULL;
        rd_decl *fb = b->kind == RD_E_NAME ? rd_lookup(p, RD_D_FACT, b->id) : NULL;
        if (!fa && !fb) {
            if (a->kind == RD_E_NAME) rd_unknown_name(p, a->span, a->id, RD_D_FACT, NULL);
            else if (b->kind == RD_E_NAME) rd_unknown_name(p, b->span, b->id, RD_D_FACT, NULL);
            else RD_ERROR(p, "type-mismatch", e->span, "one side must be a fact, as in `hours_since_incident <= 72`",
                          "this compares two fixed values");
            return;
        }
        /* A name on the value side that is a value of the fact's enum means the value, even if a fact
         * of the same name exists. */
        rd_decl *f = fa ? fa : fb;
        rd_expr *v = fa ? b : a;
        f->used = 1;
        if (fa) a->fact = fa, a->type = fa->u.fact.type;
        else b->fact = fb, b->type = fb->u.fact.type;
        rd_decl *fv = v->kind == RD_E_NAME ? rd_lookup(p, RD_D_FACT, v->id) : NULL;
        int is_enum_value = 0;
        if (f->u.fact.type == RD_T_ENUM && v->kind == RD_E_NAME)
            for (rd_ref *r = f->u.fact.values; r; r = r->next) is_enum_value |= r->id == v->id;
        if (fv && !is_enum_value) {
            fv->used = 1;
            v->fact = fv;
            v->type = fv->u.fact.type;
            if (fv->u.fact.type != f->u.fact.type || (f->u.fact.type == RD_T_ENUM && fv != f))
                RD_ERROR(p, "type-mismatch", e->span, "compare facts of the same kind",
                         "`%s` is %s but `%s` is %s", f->id, type_phrase(f->u.fact.type), fv->id,
                         type_phrase(fv->u.fact.type));
        } else if (check_value(p, f, v, "compare it with") != 0) {
            return;
        }
        if (e->op != RD_OP_EQ && e->op != RD_OP_NE && f->u.fact.type != RD_T_INT)
            RD_ERROR(p, "type-mismatch", e->span, "use `==` or `!=` here",
                     "`<`, `<=`, `>` and `>=` compare numbers, and `%s` is %s", f->id,
                     type_phrase(f->u.fact.type));
        return;
    }
    }
}

/* ---- facts ----------------------------------------------------------------------------------- */

/* Computed facts must not depend on themselves, and how deep they go is bounded, as every other
 * nesting is: the verifier and the runtime recurse down each condition and into every computed
 * fact it reads, so what bounds their stack is the nesting counted through the chain, not the
 * nesting of any one condition. Two measures, both bounded: the chain of computed facts (each
 * link may be a deep expression) and the nesting of conditions counted through it. */
#define RD_MAX_DERIVED_CHAIN 32
#define RD_MAX_DERIVED_NESTING 200

typedef struct dheight {
    int chain; /* computed facts on the longest chain, this one included */
    int nest;  /* levels of condition on the deepest way down, through computed facts */
    int over;  /* a computed fact further down already passed the nesting limit (reported there) */
} dheight;

/* The state map holds, by computed fact: 1 while its derivation is being walked, then its
 * heights, packed (2 + chain + 64 * nest). The walk is cut where either measure passes its limit,
 * so its own recursion is bounded too; past the limit the heights are only lower bounds, which is
 * enough, as the error is reported where the limit is first crossed and stops the compile. */
static dheight derived_height(rd_program *p, rd_decl *f, rd_map *state, int chain, int level);

static dheight derived_deps(rd_program *p, rd_decl *f, rd_expr *e, rd_map *state, int chain, int level)
{
    dheight h = {0, 0, 0};
    if (!e || level > RD_MAX_DERIVED_NESTING) return h;
    rd_decl *g = e->fact;
    if (g && g->u.fact.derived) {
        if ((intptr_t)rd_map_get(state, g->id) == 1)
            RD_ERROR(p, "derived-cycle", f->id_span, "compute it from facts that are asked, not from itself",
                     "`%s` is computed from itself (through `%s`)", f->id, g->id);
        else
            h = derived_height(p, g, state, chain + 1, level + 1);
    }
    dheight ha = derived_deps(p, f, e->a, state, chain, level + 1), hb = derived_deps(p, f, e->b, state, chain, level + 1);
    if (ha.chain > h.chain) h.chain = ha.chain;
    if (hb.chain > h.chain) h.chain = hb.chain;
    if (ha.nest > h.nest) h.nest = ha.nest;
    if (hb.nest > h.nest) h.nest = hb.nest;
    h.over |= ha.over | hb.over;
    h.nest++;
    return h;
}

static dheight derived_height(rd_program *p, rd_decl *f, rd_map *state, int chain, int level)
{
    intptr_t st = (intptr_t)rd_map_get(state, f->id);
    if (st >= 2) {
        int nest = (int)((st - 2) / 64);
        return (dheight){(int)((st - 2) % 64), nest, nest > RD_MAX_DERIVED_NESTING};
    }
    /* Cut the walk short: the caller, at the limit, is where the chain crosses it. */
    if (chain > RD_MAX_DERIVED_CHAIN) return (dheight){RD_MAX_DERIVED_CHAIN, 0, 0};
    rd_map_put(state, f->id, (void *)1);
    dheight h = derived_deps(p, f, f->u.fact.derived, state, chain, level);
    h.chain++;
    /* Each reported once, at the fact where it first grows past its limit. */
    if (h.chain == RD_MAX_DERIVED_CHAIN + 1)
        RD_ERROR(p, "too-deep", f->id_span, "compute it from asked facts more directly",
                 "`%s` is computed through a chain of more than %d computed facts", f->id, RD_MAX_DERIVED_CHAIN);
    else if (h.chain <= RD_MAX_DERIVED_CHAIN && h.nest > RD_MAX_DERIVED_NESTING && !h.over)
        RD_ERROR(p, "too-deep", f->id_span, "compute it from asked facts more directly, or split the conditions",
                 "`%s` is computed through conditions nested more than %d levels deep, counting the computed facts it reads",
                 f->id, RD_MAX_DERIVED_NESTING);
    h.over = h.nest > RD_MAX_DERIVED_NESTING;
    if (h.chain > RD_MAX_DERIVED_CHAIN) h.chain = RD_MAX_DERIVED_CHAIN + 1;
    if (h.nest > RD_MAX_DERIVED_NESTING + 1) h.nest = RD_MAX_DERIVED_NESTING + 1;
    rd_map_put(state, f->id, (void *)(intptr_t)(2 + h.chain + 64 * h.nest));
    return h;
}

/* A Lua file an SOP names is found and compiled now, in the sandbox the runtime uses, so that a
 * chunk that cannot run is an error of `check` at its line, not a fact silently unknown in every
 * case later. Lua's message names the chunk and its line; it holds no case data (there is none). */
static void check_lua(rd_program *p, uint32_t from, const char *file, rd_span at, const char *what)
{
    int via;
    char *path = rd_find_file(p, from, file, &at, what, &via);
    uint32_t idx;
    if (!path || rd_load_source(p, path, at, 1, 0, &idx) < 0) return;
    rd_lua *lua = rd_lua_open(NULL);
    if (!lua) {
        p->arena.failed = 1;
        return;
    }
    char err[256];
    const rd_source *src = &p->sources.v[idx];
    if (rd_lua_load(lua, src->path, src->text, src->len, err, sizeof err) < 0)
        RD_ERROR(p, "lua", at, "fix the Lua file: `check` compiles every chunk an SOP names",
                 "the %s `%s` does not compile: %s", what, file, err);
    rd_lua_close(lua);
}

static void check_fact(rd_program *p, rd_decl *d)
{
    if (d->u.fact.type == RD_T_ENUM) {
        rd_map seen;
        rd_map_init(&seen);
        for (rd_ref *r = d->u.fact.values; r; r = r->next) {
            if (!strcmp(r->id, "unknown"))
                /* a case says `unknown` when she declined to answer: a value of that name could never be recorded */
                RD_ERROR(p, "reserved-value", r->span, "name it otherwise, such as `not_known`",
                         "`unknown` cannot be a value: in a case it means she declined to answer");
            else if (rd_map_get(&seen, r->id))
                RD_ERROR(p, "duplicate-name", r->span, "list each value once", "`%s` is listed twice", r->id);
            else
                rd_map_put(&seen, r->id, r);
        }
        rd_map_free(&seen);
    }
    if (d->u.fact.derived) {
        if (d->u.fact.type != RD_T_BOOL)
            RD_ERROR(p, "type-mismatch", d->id_span, "declare it `bool`, or compute it with `= lua \"file.lua\"`",
                     "only a yes/no fact can be computed from a condition");
        else
            check_cond(p, d->u.fact.derived);
    }
    if (d->u.fact.lua) {
        check_lua(p, d->span.file, d->u.fact.lua, d->u.fact.lua_span, "Lua file");
    }
}

/* The asked facts a condition reads, each once, at most cap of them. */
static void fact_sources(const rd_expr *e, rd_decl **out, size_t *n, size_t cap, rd_map *seen)
{
    if (!e || *n >= cap) return;
    if (e->fact && !e->fact->u.fact.derived) {
        size_t i = 0;
        while (i < *n && out[i] != e->fact) i++;
        if (i == *n && *n < cap) out[(*n)++] = e->fact;
    } else if (e->fact && !rd_map_get(seen, e->fact->id)) {
        /* each computed fact once: a chain that reads every link twice would double at each */
        rd_map_put(seen, e->fact->id, (void *)1);
        fact_sources(e->fact->u.fact.derived, out, n, cap, seen);
    }
    fact_sources(e->a, out, n, cap, seen);
    fact_sources(e->b, out, n, cap, seen);
}

/* ---- pathways -------------------------------------------------------------------------------- */

typedef struct walk {
    rd_program *p;
    rd_step **stack; /* steps reached but not yet expanded, for reachability */
    size_t nstack, cap;
    int broken_goto;
} walk;

static int actor_provides(const rd_decl *a, const rd_decl *svc)
{
    for (rd_ref *r = a->u.actor.provides; r; r = r->next)
        if (r->decl == svc) return 1;
    return 0;
}

static void check_refer(rd_program *p, rd_stmt *s)
{
    rd_ref *t = s->targets, *sv = s->service;
    if (!t || !sv || !t->decl || !sv->decl) return;
    if (t->tag == RD_REF_NAME) {
        if (actor_provides(t->decl, sv->decl)) return;
        const char *alt = NULL;
        for (rd_decl *a = p->decls; a && !alt; a = a->next)
            if (a->kind == RD_D_ACTOR && actor_provides(a, sv->decl)) alt = a->id;
        char *help = alt ? rd_arena_printf(&p->arena, "refer to an actor that provides it, such as `%s`, or add `%s` to what `%s` provides",
                                           alt, sv->id, t->id)
                         : rd_arena_printf(&p->arena, "no actor provides `%s` yet: add it to `provides` of the actor that does", sv->id);
        RD_ERROR(p, "not-provided", sv->span, help, "`%s` does not provide `%s`", t->id, sv->id);
        return;
    }
    for (rd_decl *a = p->decls; a; a = a->next)
        if (a->kind == RD_D_ACTOR && a->u.actor.sector && a->u.actor.sector->decl == t->decl &&
            actor_provides(a, sv->decl))
            return;
    char *help = rd_arena_printf(&p->arena, "add an actor of sector `%s` that provides `%s` (in the SOP or its service directory)",
                                 t->id, sv->id);
    RD_ERROR(p, "not-provided", sv->span, help, "no actor of sector `%s` provides `%s`", t->id, sv->id);
}

static void push_step(walk *w, rd_step *s)
{
    if (!s || s->reachable) return;
    s->reachable = 1;
    if (w->nstack == w->cap) {
        size_t cap = w->cap ? w->cap * 2 : 64;
        rd_step **v = rd_arena_alloc(&w->p->arena, cap * sizeof *v);
        if (!v) return;
        if (w->nstack) memcpy(v, w->stack, w->nstack * sizeof *v);
        w->stack = v;
        w->cap = cap;
    }
    w->stack[w->nstack++] = s;
}

static void push_gotos(walk *w, rd_block *b)
{
    if (!b) return;
    for (rd_stmt *s = b->first; s; s = s->next) {
        if (s->kind == RD_S_GOTO) push_step(w, s->goto_step);
        push_gotos(w, s->then_b);
        push_gotos(w, s->else_b);
        for (rd_option *o = s->options; o; o = o->next) push_gotos(w, o->body);
    }
}

/* Checks the statements of a block and returns 1 when every way through it ends with `goto` or
 * `end` (so nothing after it runs). */
static int check_block(walk *w, rd_block *b);

static int check_stmt(walk *w, rd_stmt *s)
{
    rd_program *p = w->p;
    switch (s->kind) {
    case RD_S_ASK:
        for (rd_ref *r = s->names; r; r = r->next) {
            rd_decl *f = r->decl;
            if (f && (f->u.fact.derived || f->u.fact.lua)) {
                rd_decl *src[8];
                const char *ids[8];
                size_t n = 0;
                rd_map seen;
                rd_map_init(&seen);
                fact_sources(f->u.fact.derived, src, &n, 8, &seen);
                rd_map_free(&seen);
                for (size_t i = 0; i < n; i++) ids[i] = src[i]->id;
                const char *list = rd_quoted_list(&p->arena, ids, n);
                char *help = n ? rd_arena_printf(&p->arena, "ask what it is computed from instead: %s", list)
                               : "it is computed by its Lua file; ask the facts that file reads";
                RD_ERROR(p, "computed-fact", r->span, help, "`%s` is computed, not asked", f->id);
            }
        }
        return 0;
    case RD_S_SEEK: {
        int tg = s->then_b ? check_block(w, s->then_b) : 0;
        int tr = s->else_b ? check_block(w, s->else_b) : 0;
        const char *c = s->names ? s->names->id : "?";
        if (!s->then_b)
            RD_ERROR(p, "missing-branch", s->span, "add `granted { ... }`: what is done once she agrees",
                     "this `seek %s` does not say what happens if she agrees", c);
        if (!s->else_b)
            RD_ERROR(p, "missing-branch", s->span,
                     "add `refused { ... }`: what she can still have without it (000 \"Right to refuse services\")",
                     "this `seek %s` does not say what happens if she refuses", c);
        return s->then_b && s->else_b && tg && tr;
    }
    case RD_S_REFER: check_refer(p, s); return 0;
    case RD_S_CHOOSE: {
        if (!s->options) {
            RD_ERROR(p, "empty-choice", s->span, "list the options she can choose among", "this `choose` offers nothing");
            return 0;
        }
        /* She may pick several options; each runs. The step goes on after `choose` unless every
         * option ends with `goto` or `end`. */
        int all = 1;
        for (rd_option *o = s->options; o; o = o->next)
            all &= o->body ? check_block(w, o->body) : 0;
        return all;
    }
    case RD_S_IF: {
        check_cond(p, s->cond);
        int t = s->then_b ? check_block(w, s->then_b) : 0;
        int e = s->else_b ? check_block(w, s->else_b) : 0;
        return t && e;
    }
    case RD_S_GOTO:
        w->broken_goto |= !s->goto_step;
        return 1;
    case RD_S_END: return 1;
    case RD_S_INFORM:
    case RD_S_RECORD:
    case RD_S_SHARE: return 0;
    }
    return 0;
}

static int check_block(walk *w, rd_block *b)
{
    int done = 0;
    for (rd_stmt *s = b->first; s; s = s->next) {
        if (done) {
            RD_WARN(w->p, "dead-statement", s->span, "move it before the `goto` or `end`, or delete it",
                    "this statement can never run: every way before it has already left the step");
            return 1;
        }
        done = check_stmt(w, s);
    }
    return done;
}

static rd_span closing_brace(const rd_block *b)
{
    rd_span s = {b->span.file, b->span.end_line, b->span.end_col, b->span.end_line, b->span.end_col};
    return s;
}

static void check_pathway(rd_program *p, rd_decl *d)
{
    if (!d->u.pathway.entry)
        RD_ERROR(p, "missing-field", d->id_span, "add `entry sector health, sector hotline` (who may open a case here)",
                 "pathway `%s` does not say where a case can start (`entry`)", d->id);
    if (!d->u.pathway.start) {
        RD_ERROR(p, "missing-field", d->id_span, "add `start <first step>`",
                 "pathway `%s` has no `start` step", d->id);
        return;
    }
    walk w = {p, NULL, 0, 0, 0};
    for (rd_step *s = d->u.pathway.steps; s; s = s->next) {
        if (!s->body) continue;
        if (!check_block(&w, s->body))
            RD_WARN(p, "falls-off-end", closing_brace(s->body),
                    "end the step with `goto <next step>` or `end \"reason\"` so the procedure says what happens next",
                    "step `%s` can finish without saying what comes next", s->id);
    }
    /* A misspelt goto or start was reported already; what it meant to reach is not "unreachable". */
    rd_step *first = rd_map_get(&d->u.pathway.step_map, d->u.pathway.start->id);
    if (w.broken_goto || !first) return;
    push_step(&w, first);
    while (w.nstack) push_gotos(&w, w.stack[--w.nstack]->body);
    for (rd_step *s = d->u.pathway.steps; s; s = s->next)
        if (!s->reachable && rd_map_get(&d->u.pathway.step_map, s->id) == s)
            RD_ERROR(p, "unreachable-step", s->span, "add a `goto` to it where it should happen, or delete it",
                     "step `%s` can never be reached: it is not the start and no `goto` leads to it", s->id);
}

/* ---- consents, permits, duties, principles, waivers ------------------------------------------ */

static void check_flow(rd_program *p, rd_decl *d)
{
    int consent = d->kind == RD_D_CONSENT;
    if (!d->u.flow.shares)
        RD_ERROR(p, "missing-field", d->id_span, "add `shares <data>, ...`: the information this lets go",
                 "%s `%s` does not say what it shares", rd_decl_kind_name(d->kind), d->id);
    if (!d->u.flow.with)
        RD_ERROR(p, "missing-field", d->id_span, "add `with <actor>` or `with sector <sector>`",
                 "%s `%s` does not say with whom", rd_decl_kind_name(d->kind), d->id);
    if (consent && d->u.flow.when)
        RD_ERROR(p, "consent-condition", d->u.flow.when->span,
                 "she decides on a consent; for a flow allowed without her consent under a condition, write a `permit`",
                 "a consent has no `when`");
    if (!consent && !d->u.flow.when)
        RD_ERROR(p, "missing-field", d->id_span, "add `when <condition>`, such as `when emergency`",
                 "permit `%s` has no `when`: it would allow sharing without consent at any time", d->id);
    check_cond(p, d->u.flow.when);
    if (consent && !rd_field_get(d, "purpose"))
        RD_WARN(p, "missing-field", d->id_span,
                "add `purpose \"...\"`: she must know why before she agrees (000 \"Informed consent\")",
                "consent `%s` does not state its purpose", d->id);
}

static void check_duty(rd_program *p, rd_decl *d)
{
    if (!d->u.duty.applies)
        RD_ERROR(p, "missing-field", d->id_span, "add `applies to sector health` (who must report)",
                 "duty `%s` does not say whom it applies to", d->id);
    if (!d->u.duty.reports)
        RD_ERROR(p, "missing-field", d->id_span, "add `reports <data> to <actor or sector>`",
                 "duty `%s` does not say what is reported to whom", d->id);
    check_cond(p, d->u.duty.when);
}

static void check_principle(rd_program *p, rd_decl *d)
{
    rd_ref *sev = d->u.principle.severity;
    if (sev && strcmp(sev->id, "warning") != 0 && strcmp(sev->id, "error") != 0)
        RD_ERROR(p, "unknown-value", sev->span, "write `severity warning` or `severity error`",
                 "`%s` is not a severity", sev->id);
    if (!d->u.principle.props && !d->u.principle.lua)
        RD_ERROR(p, "missing-field", d->id_span, "add a property such as `never migration_status reaches sector immigration`",
                 "principle `%s` states nothing to check", d->id);
    if (d->u.principle.props && d->u.principle.props->next)
        RD_ERROR(p, "several-properties", d->u.principle.props->next->span,
                 "write each property as a principle of its own, so each result has one name",
                 "principle `%s` states more than one property", d->id);
    if (d->u.principle.lua) {
        check_lua(p, d->span.file, d->u.principle.lua, d->u.principle.lua_span, "Lua check");
    }
    for (rd_prop *pr = d->u.principle.props; pr; pr = pr->next) check_cond(p, pr->unless);
    if (!rd_field_get(d, "source"))
        RD_WARN(p, "missing-field", d->id_span, "add `source \"...\"` naming the law, policy or guidance it comes from",
                "principle `%s` does not cite its source", d->id);
}

/* Pushes b on a stack that starts in `small` and moves to the heap when it outgrows it. */
static int push_block(rd_block ***pending, rd_block **small, size_t *n, size_t *cap, rd_block *b)
{
    if (*n == *cap) {
        rd_block **bigger = malloc(*cap * 2 * sizeof *bigger);
        if (!bigger) return -1;
        memcpy(bigger, *pending, *n * sizeof *bigger);
        if (*pending != small) free(*pending);
        *pending = bigger;
        *cap *= 2;
    }
    (*pending)[(*n)++] = b;
    return 0;
}

/* Calls f on every option of every `choose` in step st, branches included, until it returns
 * non-zero; returns that option or NULL. `else if` chains nest blocks past RD_MAX_DEPTH and a
 * `choose` may offer any number of options, so the stack of blocks to visit grows as needed. */
static rd_option *each_option(rd_step *st, int (*f)(rd_option *, void *), void *ctx)
{
    rd_block *small[64], **pending = small;
    size_t n = 0, cap = sizeof small / sizeof *small;
    rd_option *found = NULL;
    if (st->body) pending[n++] = st->body;
    while (n && !found) {
        rd_block *b = pending[--n];
        for (rd_stmt *s = b->first; s && !found; s = s->next) {
            rd_block *more[2] = {s->then_b, s->else_b};
            for (rd_option *o = s->options; o && !found; o = o->next) {
                if (f(o, ctx)) found = o;
                else if (o->body && push_block(&pending, small, &n, &cap, o->body) != 0) goto out;
            }
            for (int i = 0; i < 2 && !found; i++)
                if (more[i] && push_block(&pending, small, &n, &cap, more[i]) != 0) goto out;
        }
    }
out:
    if (pending != small) free(pending);
    return found;
}

static int option_is(rd_option *o, void *id) { return o->id == id; }

rd_option *rd_find_option(rd_step *st, const char *id) { return each_option(st, option_is, (void *)id); }

typedef struct names_acc { const char *v[64]; size_t n; } names_acc;

static int option_collect(rd_option *o, void *ctx)
{
    names_acc *a = ctx;
    if (a->n < 64) a->v[a->n++] = o->id;
    return 0;
}

const char *rd_option_list(rd_program *p, rd_step *st)
{
    names_acc a = {{0}, 0};
    each_option(st, option_collect, &a);
    return a.n ? rd_arena_printf(&p->arena, "step `%s` offers %s", st->id, rd_quoted_list(&p->arena, a.v, a.n))
               : rd_arena_printf(&p->arena, "step `%s` has no `choose`", st->id);
}

/* ---- tests ----------------------------------------------------------------------------------- */

static void check_test(rd_program *p, rd_decl *d)
{
    rd_decl *pw = NULL;
    rd_titem *pw_item = NULL;
    for (rd_titem *t = d->u.test.items; t; t = t->next) {
        if (t->kind != RD_TI_PATHWAY || !t->names) continue;
        if (pw_item) {
            rd_diagnostic *g = RD_ERROR(p, "duplicate-field", t->span, "write one test per pathway",
                                        "this test names a second pathway");
            rd_diag_note(p->diags, &p->sources, g, pw_item->span, "the first one is here");
            continue;
        }
        pw_item = t;
        pw = rd_lookup(p, RD_D_PATHWAY, t->names->id);
        if (pw) pw->used = 1;
        else rd_unknown_name(p, t->names->span, t->names->id, RD_D_PATHWAY, NULL);
    }
    if (!pw_item) {
        rd_decl *only = NULL;
        int count = 0;
        for (rd_decl *x = p->decls; x; x = x->next)
            if (x->kind == RD_D_PATHWAY && !x->in_library) only = x, count++;
        const char *help = count == 1 ? rd_arena_printf(&p->arena, "add `pathway %s`", only->id) : "add `pathway <name>`";
        RD_ERROR(p, "missing-field", d->span, help, "this test does not say which pathway it runs");
    }
    rd_map granted, refused;
    rd_map_init(&granted);
    rd_map_init(&refused);
    for (rd_titem *t = d->u.test.items; t; t = t->next) {
        switch (t->kind) {
        case RD_TI_PATHWAY: break;
        case RD_TI_BY:
            for (rd_ref *r = t->names; r; r = r->next)
                if ((r->decl = rd_lookup(p, RD_D_ACTOR, r->id))) r->decl->used = 1;
                else rd_unknown_name(p, r->span, r->id, RD_D_ACTOR, NULL);
            break;
        case RD_TI_GIVEN:
            for (rd_given *g = t->given; g; g = g->next) {
                rd_decl *f = fact_named(p, g->fact.id, g->fact.span);
                g->fact.decl = f;
                if (!f || !g->value) continue;
                if (f->u.fact.derived)
                    RD_ERROR(p, "computed-fact", g->fact.span, "give the facts it is computed from instead",
                             "`%s` is computed, so a test cannot set it", f->id);
                else
                    check_value(p, f, g->value, "give it");
            }
            break;
        case RD_TI_DECLINE:
            for (rd_ref *r = t->names; r; r = r->next)
                if ((r->decl = fact_named(p, r->id, r->span)) == NULL) continue;
            break;
        case RD_TI_GRANT:
        case RD_TI_REFUSE:
            for (rd_ref *r = t->names; r; r = r->next) {
                rd_decl *c = rd_lookup(p, RD_D_CONSENT, r->id);
                if (!c) {
                    rd_unknown_name(p, r->span, r->id, RD_D_CONSENT, NULL);
                    continue;
                }
                r->decl = c;
                c->used = 1;
                rd_map *mine = t->kind == RD_TI_GRANT ? &granted : &refused;
                rd_map *other = t->kind == RD_TI_GRANT ? &refused : &granted;
                if (rd_map_get(other, r->id))
                    RD_ERROR(p, "contradiction", r->span, "write two tests, one for each answer",
                             "this test both grants and refuses `%s`", r->id);
                rd_map_put(mine, r->id, r);
            }
            break;
        case RD_TI_CHOOSE:
            for (rd_ref *r = t->names; r; r = r->next) {
                if (!pw) continue;
                if (!r->sub) {
                    RD_ERROR(p, "syntax", r->span, "write the step and the option, as in `referrals.shelter`",
                             "say which step's option she chooses");
                    continue;
                }
                rd_step *st = rd_find_step(p, pw, r->id, r->span);
                if (!st) continue;
                if (!rd_find_option(st, r->sub))
                    RD_ERROR(p, "unknown-option", r->sub_span, rd_option_list(p, st),
                             "step `%s` offers no option `%s`", st->id, r->sub);
            }
            break;
        case RD_TI_EXPECT:
            switch (t->expect) {
            case RD_X_STEP:
                if (pw && t->names) rd_find_step(p, pw, t->names->id, t->names->span);
                break;
            case RD_X_ASK:
                if (t->names) t->names->decl = fact_named(p, t->names->id, t->names->span);
                break;
            case RD_X_NOTICE:
            case RD_X_SEEK:
            case RD_X_REPORT: {
                rd_decl_kind k = t->expect == RD_X_NOTICE ? RD_D_NOTICE : t->expect == RD_X_SEEK ? RD_D_CONSENT : RD_D_DUTY;
                rd_ref *r = t->names;
                if (!r) break;
                if ((r->decl = rd_lookup(p, k, r->id))) r->decl->used = 1;
                else rd_unknown_name(p, r->span, r->id, k, NULL);
                break;
            }
            case RD_X_SHARE:
                rd_resolve_data(p, t->data, 0);
                rd_resolve_targets(p, t->targets);
                break;
            case RD_X_REFER:
                rd_resolve_targets(p, t->targets);
                for (rd_ref *r = t->service; r; r = r->next)
                    if ((r->decl = rd_lookup(p, RD_D_SERVICE, r->id))) r->decl->used = 1;
                    else rd_unknown_name(p, r->span, r->id, RD_D_SERVICE, NULL);
                break;
            case RD_X_END: break;
            }
            break;
        }
    }
    rd_map_free(&granted);
    rd_map_free(&refused);
}

/* ---- the whole program ----------------------------------------------------------------------- */

static void warn_unused(rd_program *p)
{
    /* Only a complete SOP (with its `sop` header) has a notion of unused: a library declares a
     * vocabulary for others to draw on. Actors, duties, permits and principles act without being
     * named, so only what must be named to matter is reported. */
    if (!p->sop) return;
    for (rd_decl *d = p->decls; d; d = d->next) {
        if (d->in_library || d->used) continue;
        switch (d->kind) {
        case RD_D_DATA:
        case RD_D_SERVICE:
        case RD_D_FACT:
        case RD_D_NOTICE:
        case RD_D_CONSENT:
            RD_WARN(p, "unused", d->id_span, "use it in a pathway, or delete it",
                    "%s `%s` is declared but never used", rd_decl_kind_name(d->kind), d->id);
            break;
        default: break;
        }
    }
}

void rd_check(rd_program *p)
{
    rd_map cyc;
    rd_map_init(&cyc);
    /* Facts first: conditions elsewhere read what their derivations resolve to, and declarations
     * from `use`d files come after the ones that use them. */
    for (rd_decl *d = p->decls; d; d = d->next)
        if (d->kind == RD_D_FACT) check_fact(p, d);
    for (rd_decl *d = p->decls; d; d = d->next) {
        check_fields(p, d);
        switch (d->kind) {
        case RD_D_ACTOR:
            if (!d->u.actor.sector)
                RD_ERROR(p, "missing-field", d->id_span, "add `sector <sector>`, such as `sector health`",
                         "actor `%s` has no sector", d->id);
            break;
        case RD_D_CONSENT:
        case RD_D_PERMIT: check_flow(p, d); break;
        case RD_D_DUTY: check_duty(p, d); break;
        case RD_D_PATHWAY: check_pathway(p, d); break;
        case RD_D_PRINCIPLE: check_principle(p, d); break;
        case RD_D_TEST: check_test(p, d); break;
        default: break;
        }
    }
    for (rd_decl *d = p->decls; d; d = d->next)
        if (d->kind == RD_D_FACT && d->u.fact.derived) derived_height(p, d, &cyc, 0, 0);
    rd_map_free(&cyc);
    warn_unused(p);
}
