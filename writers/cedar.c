/* The SOP's sharing rules as Cedar (https://docs.cedarpolicy.com): policies, the entities they
 * read and a schema, and a case as a request context, so that may-share decisions can be checked
 * against, and timed beside, an engine people already trust (bench/cedar/, docs/cedar.md).
 *
 * The translation keeps rd_may_share's meaning (runtime/may_share.c, compiler/flow.h) with Cedar's own rules: deny
 * unless a permit is satisfied, and any satisfied forbid wins. rd_may_share asks its rules in
 * order (principles, consents, permits, duties); since only principles and unknown names deny and
 * everything else allows, "forbid overrides permit" gives the same answer whatever the order.
 *
 *   Sector::"police"        {label, enforcement}
 *   Actor::"district_police" {label, specialist}, member of its Sector, so that `principal in
 *                           [Sector::"police", Actor::"x"]` is exactly rd_flow_actor_in
 *   Data::"work_permit"     {label, identifying, protected}, member of the Data it `reveals` and
 *                           of DataAttribute::"identifying" / "protected" when it has them, so that
 *                           `resource in [...]` is exactly what a principle protects (rd_flow_list_touches)
 *   request                 principal: the recipient, action: Action::"share", resource: the data,
 *                           context: {from: the sending Actor, now: seconds since 1970,
 *                           consents: {ID: her answer}, facts: {ID: value}}
 *
 * Consents, permits and duties name their data with `==` (contains), not `in`: what they share is
 * the categories they list, not what those reveal. What she kept back (`except`) is read with
 * `in`: keeping back her location keeps back her safety plan, which reveals it (compiler/flow.h). A fact that is unknown, or not given, is absent
 * from context.facts, and a condition is true in Cedar exactly when it is true in Rightdoor's
 * three-valued logic (rd_case_cond == 1): each is written as two expressions, "certainly true" and
 * "certainly false" (used under `not`), with facts computed from a condition written out in full.
 * A fact computed by Lua cannot be: its value, computed by the runtime, goes in the context. */
#define _DEFAULT_SOURCE
#include "case.h"
#include "diag.h"
#include "graph.h"
#include "rightdoor.h"
#include <jansson.h>
#include <stdarg.h>
#include "strbuf.h"
#include <stdlib.h>
#include <string.h>

/* ---- text ------------------------------------------------------------------------------------ */

/* A Cedar string literal: quotes and backslashes escaped, control characters as \u{..}. */
static void sb_string(rd_sb *b, const char *s)
{
    rd_sb_putn(b, "\"", 1);
    for (; *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch == '"' || ch == '\\') {
            rd_sb_putn(b, "\\", 1);
            rd_sb_putn(b, s, 1);
        } else if (ch < 0x20) {
            rd_sb_printf(b, "\\u{%x}", ch);
        } else {
            rd_sb_putn(b, s, 1);
        }
    }
    rd_sb_putn(b, "\"", 1);
}

/* ---- conditions -------------------------------------------------------------------------------
 * Expressions are built as malloc'd strings; each builder consumes its arguments and returns NULL
 * (and marks the translation failed) when memory runs out, or when the text built so far passes
 * RD_CEDAR_MAX_TEXT. "true" and "false" fold away, so a permit without a condition reads as one.
 *
 * Cedar cannot name a part of an expression, so a computed fact is written out in full wherever a
 * condition reads it, and a chain of computed facts each read twice by the next doubles at every
 * link. Each computed fact is written out once (memo) and copied where it is read, but the copies
 * still double: the text is bounded and an SOP past the bound is refused, at the rule where it
 * passed it. Putting computed facts in the context instead, as Lua-computed ones are, would keep
 * the policies short but make Cedar take the runtime's word for them, and Cedar is here to check
 * the runtime's decisions. */

/* All the condition text built for one policies.cedar: real SOPs need a few KiB. */
#define RD_CEDAR_MAX_TEXT (16u * 1024u * 1024u)

typedef struct cx {
    int failed, too_big;
    size_t built;   /* bytes of expression text built so far */
    char **memo;    /* by 2 * fact index + truth: a computed fact written out, or NULL */
    const rd_expr *at; /* the condition being written when the text passed the bound */
} cx;

static char *str(cx *x, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static char *str(cx *x, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n >= 0 && (size_t)n > RD_CEDAR_MAX_TEXT - x->built) {
        x->too_big = 1;
        return NULL;
    }
    char *t = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (!t) {
        x->failed = 1;
        return NULL;
    }
    x->built += (size_t)n;
    va_start(ap, fmt);
    vsnprintf(t, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return t;
}

static int is(const char *s, const char *lit) { return s && !strcmp(s, lit); }

static char *both(cx *x, char *a, char *b, int conj)
{
    const char *absorb = conj ? "false" : "true", *unit = conj ? "true" : "false";
    char *r;
    if (!a || !b) r = NULL;
    else if (is(a, absorb) || is(b, absorb)) r = str(x, "%s", absorb);
    else if (is(a, unit)) return free(a), b;
    else if (is(b, unit)) return free(b), a;
    else r = str(x, "(%s %s %s)", a, conj ? "&&" : "||", b);
    free(a);
    free(b);
    return r;
}
static char *and_(cx *x, char *a, char *b) { return both(x, a, b, 1); }
static char *or_(cx *x, char *a, char *b) { return both(x, a, b, 0); }
static char *not_(cx *x, char *a)
{
    char *r = !a ? NULL : is(a, "true") ? str(x, "false") : is(a, "false") ? str(x, "true") : str(x, "!%s", a);
    free(a);
    return r;
}

static char *cert(cx *x, const rd_expr *e, int truth);

static char *has_fact(cx *x, const rd_decl *f) { return str(x, "(context.facts has \"%s\")", f->id); }

/* Computed fact f is certainly `truth`: its condition, written out once and copied. */
static char *derived(cx *x, const rd_decl *f, int truth)
{
    char **m = &x->memo[2 * f->index + (truth != 0)];
    if (!*m) *m = cert(x, f->u.fact.derived, truth);
    return *m ? str(x, "%s", *m) : NULL;
}

/* Fact f is known: given (or computed by Lua) and present, or computed from a condition that is
 * not unknown. */
static char *known(cx *x, const rd_decl *f)
{
    if (f->u.fact.derived) return or_(x, derived(x, f, 1), derived(x, f, 0));
    return has_fact(x, f);
}

/* Bool fact f is certainly `truth`. */
static char *bool_fact(cx *x, const rd_decl *f, int truth)
{
    if (f->u.fact.derived) return derived(x, f, truth);
    return and_(x, has_fact(x, f), str(x, truth ? "context.facts[\"%s\"]" : "!context.facts[\"%s\"]", f->id));
}

/* One side of a comparison: a fact (not an enum value named on the other side) or a constant. */
static const rd_decl *side_fact(const rd_expr *e) { return e->fact && e->type != RD_T_ENUMVAL ? e->fact : NULL; }

static char *side_value(cx *x, const rd_expr *e)
{
    const rd_decl *f = side_fact(e);
    if (f) return str(x, "context.facts[\"%s\"]", f->id);
    if (e->kind == RD_E_NAME) return str(x, "\"%s\"", e->id); /* an enum value, by name */
    if (e->kind == RD_E_BOOL) return str(x, "%s", e->value ? "true" : "false");
    return str(x, "%lld", e->value);
}

/* A bool side is certainly `truth`. */
static char *bool_side(cx *x, const rd_expr *e, int truth)
{
    const rd_decl *f = side_fact(e);
    if (f) return bool_fact(x, f, truth);
    return str(x, "%s", (e->value != 0) == truth ? "true" : "false");
}

static char *compare(cx *x, const rd_expr *e, int truth)
{
    const rd_expr *l = e->a, *r = e->b;
    const rd_decl *fl = side_fact(l), *fr = side_fact(r);
    int boolean = (fl && fl->u.fact.type == RD_T_BOOL) || (fr && fr->u.fact.type == RD_T_BOOL);
    if (boolean && (e->op == RD_OP_EQ || e->op == RD_OP_NE)) {
        /* two truth values: equal when both certainly true or both certainly false */
        int eq = (e->op == RD_OP_EQ) == truth;
        if (eq)
            return or_(x, and_(x, bool_side(x, l, 1), bool_side(x, r, 1)), and_(x, bool_side(x, l, 0), bool_side(x, r, 0)));
        return or_(x, and_(x, bool_side(x, l, 1), bool_side(x, r, 0)), and_(x, bool_side(x, l, 0), bool_side(x, r, 1)));
    }
    static const char *const ops[] = {"==", "!=", "<", "<=", ">", ">="};
    char *lv = side_value(x, l), *rv = side_value(x, r);
    char *c = lv && rv ? str(x, "(%s %s %s)", lv, ops[e->op], rv) : NULL;
    free(lv);
    free(rv);
    if (!truth) c = not_(x, c);
    char *k = and_(x, fl ? known(x, fl) : str(x, "true"), fr ? known(x, fr) : str(x, "true"));
    return and_(x, k, c);
}

/* The Cedar expression true exactly when rd_case_cond(e) == (truth ? 1 : 0). */
static char *cert(cx *x, const rd_expr *e, int truth)
{
    if (x->failed || x->too_big) return NULL;
    switch (e->kind) {
    case RD_E_OR:
        return truth ? or_(x, cert(x, e->a, 1), cert(x, e->b, 1)) : and_(x, cert(x, e->a, 0), cert(x, e->b, 0));
    case RD_E_AND:
        return truth ? and_(x, cert(x, e->a, 1), cert(x, e->b, 1)) : or_(x, cert(x, e->a, 0), cert(x, e->b, 0));
    case RD_E_NOT: return cert(x, e->a, !truth);
    case RD_E_BOOL: return str(x, "%s", (e->value != 0) == truth ? "true" : "false");
    case RD_E_INT: return str(x, "false"); /* a number alone is neither true nor false */
    case RD_E_KNOWN:
        if (!e->fact) return str(x, "%s", truth ? "false" : "true");
        return truth ? known(x, e->fact) : not_(x, known(x, e->fact));
    case RD_E_NAME: {
        const rd_decl *f = e->fact;
        if (!f) return str(x, "false");
        if (f->u.fact.type == RD_T_BOOL) return bool_fact(x, f, truth);
        /* a number or an enum read as a truth value: not zero, not its first value */
        const char *zero = f->u.fact.type == RD_T_ENUM && f->u.fact.values ? f->u.fact.values->id : NULL;
        char *v = zero ? str(x, "(context.facts[\"%s\"] %s \"%s\")", f->id, truth ? "!=" : "==", zero)
                       : str(x, "(context.facts[\"%s\"] %s 0)", f->id, truth ? "!=" : "==");
        return and_(x, has_fact(x, f), v);
    }
    case RD_E_IN: {
        if (!e->fact) return str(x, "false");
        rd_sb set = {0};
        rd_sb_puts(&set, "[");
        for (const rd_ref *r = e->set; r; r = r->next) rd_sb_printf(&set, "%s\"%s\"", r == e->set ? "" : ", ", r->id);
        rd_sb_puts(&set, "]");
        if (set.failed) {
            free(set.s);
            x->failed = 1;
            return NULL;
        }
        char *c = str(x, "%s.contains(context.facts[\"%s\"])", set.s, e->fact->id);
        free(set.s);
        if (!truth) c = not_(x, c);
        return and_(x, known(x, e->fact), c);
    }
    case RD_E_CMP: return compare(x, e, truth);
    }
    return str(x, "false");
}

/* ---- policies -------------------------------------------------------------------------------- */

static const char *ref_type(const rd_ref *r, const char *name_type)
{
    return r->tag == RD_REF_SECTOR ? "Sector" : r->tag == RD_REF_IDENTIFYING || r->tag == RD_REF_PROTECTED ? "DataAttribute" : name_type;
}

/* The entities a list names, of one type, as a Cedar set; 0 when there are none. */
static int entity_set(rd_sb *b, const rd_ref *list, const char *name_type, const char *type)
{
    int n = 0;
    for (const rd_ref *r = list; r; r = r->next) {
        if ((r->tag == RD_REF_NAME && !r->decl) || strcmp(ref_type(r, name_type), type) != 0) continue;
        const char *id = r->tag == RD_REF_IDENTIFYING ? "identifying" : r->tag == RD_REF_PROTECTED ? "protected" : r->id;
        rd_sb_printf(b, "%s%s::\"%s\"", n ? ", " : "[", type, id);
        n++;
    }
    if (n) rd_sb_puts(b, "]");
    return n;
}

/* `subject in [...]` for a list of targets (actors and sectors) or of protected data (categories
 * and attributes), one set per entity type: Cedar's validator wants the elements of a set to be of
 * one type. */
static void in_list(rd_sb *b, const char *subject, const rd_ref *list, const char *name_type)
{
    static const char *const types[] = {"Sector", "Actor", "Data", "DataAttribute"};
    rd_sb d = {0};
    int groups = 0;
    for (size_t t = 0; t < 4; t++) {
        rd_sb g = {0};
        if (entity_set(&g, list, name_type, types[t])) rd_sb_printf(&d, "%s%s in %s", groups++ ? " || " : "", subject, g.s ? g.s : "");
        d.failed |= g.failed;
        free(g.s);
    }
    b->failed |= d.failed;
    if (!groups) rd_sb_puts(b, "false");
    else if (groups == 1) rd_sb_puts(b, d.s ? d.s : "");
    else rd_sb_printf(b, "(%s)", d.s ? d.s : "");
    free(d.s);
}

/* `[...].contains(resource)`: the data categories a consent, permit or duty names, and only those. */
static void named_data(rd_sb *b, const rd_ref *list)
{
    if (!entity_set(b, list, "Data", "Data")) rd_sb_puts(b, "[]");
    rd_sb_puts(b, ".contains(resource)");
}

static void head(rd_sb *b, rd_program *p, const rd_decl *d, const char *kind, unsigned nth, const char *effect)
{
    rd_sb_printf(b, "\n@id(\"%s:%s", kind, d->id);
    if (nth > 1) rd_sb_printf(b, "#%u", nth);
    rd_sb_puts(b, "\")\n");
    if (d->label) {
        rd_sb_puts(b, "@label(");
        sb_string(b, d->label);
        rd_sb_puts(b, ")\n");
    }
    if (d->span.file < p->sources.n) {
        rd_sb where = {0};
        rd_sb_printf(&where, "%s:%u", p->sources.v[d->span.file].path, d->span.line);
        if (where.failed) b->failed = 1;
        rd_sb_puts(b, "@source(");
        if (!where.failed) sb_string(b, where.s);
        rd_sb_puts(b, ")\n");
        free(where.s);
    }
    rd_sb_printf(b, "%s (principal, action == Action::\"share\", resource)\n", effect);
}

static void cond_line(rd_sb *b, cx *x, const rd_expr *when)
{
    if (!when) return;
    char *c = cert(x, when, 1);
    if (c) rd_sb_printf(b, " &&\n  %s", c);
    else if (x->too_big && !x->at) x->at = when;
    free(c);
}

/* The start of the `permit` of a consent or a permit: what it shares, with whom. */
static void flow_head(rd_sb *b, rd_program *p, const rd_decl *d, const char *kind)
{
    head(b, p, d, kind, 1, "permit");
    rd_sb_puts(b, "when {\n  ");
    named_data(b, d->u.flow.shares);
    rd_sb_puts(b, " &&\n  ");
    in_list(b, "principal", d->u.flow.with, "Actor");
}

static rd_status write_policies(rd_program *p, rd_graph *g, rd_diagnostics *d, FILE *out)
{
    rd_sb b = {0};
    cx x = {0};
    x.memo = calloc(2 * (size_t)g->nfacts + 1, sizeof *x.memo);
    if (!x.memo) return RD_ERR_NOMEM;
    rd_sb_puts(&b, "// Generated by `rightdoor cedar` from the SOP's sharing rules; see docs/cedar.md.\n"
                "// Request: principal = the recipient (Actor), action = Action::\"share\", resource = the data,\n"
                "// context = { from: the sending Actor, now: seconds since 1970 (UTC), consents, facts }.\n");
    rd_sb_puts(&b, "\n// A name the SOP does not have: denied, as rd_may_share denies it.\n"
                "@id(\"unknown\")\nforbid (principal, action, resource)\n"
                "unless { principal has label && resource has label && context.from has label };\n");
    rd_sb_puts(&b, "\n// Principles: `never D reaches T` forbids, whatever any consent says.\n");
    for (uint32_t i = 0; i < g->nprinciples; i++) {
        const rd_decl *pr = g->principles[i];
        unsigned nth = 0;
        for (const rd_prop *q = pr->u.principle.props; q; q = q->next) {
            if (q->kind != RD_P_NEVER_REACHES) continue;
            head(&b, p, pr, "principle", ++nth, "forbid");
            rd_sb_puts(&b, "when {\n  ");
            in_list(&b, "resource", q->data, "Data");
            rd_sb_puts(&b, " &&\n  ");
            in_list(&b, "principal", q->targets, "Actor");
            rd_sb_puts(&b, "\n};\n");
        }
    }
    rd_sb_puts(&b, "\n// Her consents, as she answered them (context.consents).\n");
    for (uint32_t k = 0; k < g->nconsents; k++) {
        const rd_decl *c = g->consents[k];
        flow_head(&b, p, c, "consent");
        const char *a = c->id;
        /* if-then-else rather than `!has || ...`: Cedar's validator follows a `has` into `then` */
        rd_sb_printf(&b,
                  " &&\n  context.consents has \"%s\" &&\n  context.consents[\"%s\"].granted &&\n"
                  "  !(resource in context.consents[\"%s\"].except) &&\n"
                  "  (if context.consents[\"%s\"] has only then context.consents[\"%s\"].only.contains(principal) else true) &&\n"
                  "  (if context.consents[\"%s\"] has at then context.consents[\"%s\"].at <= context.now else true) &&\n"
                  "  (if context.consents[\"%s\"] has until then context.now <= context.consents[\"%s\"].until else true) &&\n"
                  "  (if context.consents[\"%s\"] has withdrawn then context.now < context.consents[\"%s\"].withdrawn else true) &&\n"
                  "  (if context.consents[\"%s\"] has shared then context.consents[\"%s\"].shared.contains(resource) else true) &&\n"
                  "  (if context.consents[\"%s\"] has to then context.consents[\"%s\"].to.contains(principal) else true)\n};\n",
                  a, a, a, a, a, a, a, a, a, a, a, a, a, a, a);
    }
    rd_sb_puts(&b, "\n// Permits: without her consent, only while the condition certainly holds.\n");
    for (uint32_t i = 0; i < g->npermits; i++) {
        const rd_decl *pm = g->permits[i];
        flow_head(&b, p, pm, "permit");
        cond_line(&b, &x, pm->u.flow.when);
        rd_sb_puts(&b, "\n};\n");
    }
    rd_sb_puts(&b, "\n// Duties: the report they require, made by an actor they apply to, when they apply.\n");
    for (uint32_t i = 0; i < g->nduties; i++) {
        const rd_decl *dy = g->duties[i];
        head(&b, p, dy, "duty", 1, "permit");
        rd_sb_puts(&b, "when {\n  ");
        named_data(&b, dy->u.duty.reports);
        rd_sb_puts(&b, " &&\n  ");
        in_list(&b, "principal", dy->u.duty.to, "Actor");
        rd_sb_puts(&b, " &&\n  ");
        in_list(&b, "context.from", dy->u.duty.applies, "Actor");
        /* only once she has been told of the duty (rd_may_share: "denied for now") */
        if (dy->u.duty.notice && dy->u.duty.notice->decl)
            rd_sb_printf(&b, " &&\n  context.notices.contains(\"%s\")", dy->u.duty.notice->decl->id);
        cond_line(&b, &x, dy->u.duty.when);
        rd_sb_puts(&b, "\n};\n");
    }
    rd_status st = b.failed || x.failed ? RD_ERR_NOMEM : x.too_big ? RD_ERR_PROGRAM
                 : fwrite(b.s, 1, b.n, out) == b.n ? RD_OK : RD_ERR_IO;
    if (st == RD_ERR_PROGRAM && d)
        rd_diag_at(d, &p->sources, RD_SEV_ERROR, "cedar-too-big", x.at->span,
                   "read each computed fact at most once in the facts computed from it, or compute fewer facts from "
                   "computed facts (docs/cedar.md, \"What does not map\")",
                   "this condition cannot be written in Cedar: with the computed facts it reads written out in full "
                   "(Cedar cannot name a part of a condition), the conditions would pass %u MiB", RD_CEDAR_MAX_TEXT >> 20);
    for (uint32_t i = 0; i < 2 * g->nfacts; i++) free(x.memo[i]);
    free(x.memo);
    free(b.s);
    return st;
}

/* ---- entities and schema ----------------------------------------------------------------------- */

/* Writes the JSON value and a newline, and releases it. */
static rd_status dump(json_t *v, size_t flags, FILE *out)
{
    char *s = json_dumps(v, flags);
    json_decref(v);
    if (!s) return RD_ERR_NOMEM;
    size_t n = strlen(s);
    rd_status st = fwrite(s, 1, n, out) == n && fputc('\n', out) != EOF ? RD_OK : RD_ERR_IO;
    free(s);
    return st;
}

static json_t *uid(const char *type, const char *id)
{
    json_t *u = json_object();
    if (u) {
        json_object_set_new(u, "type", json_string(type));
        json_object_set_new(u, "id", json_string(id));
    }
    return u;
}

static json_t *entity(const char *type, const char *id, json_t *attrs, json_t *parents)
{
    json_t *e = json_object();
    if (e) {
        json_object_set_new(e, "uid", uid(type, id));
        json_object_set_new(e, "attrs", attrs ? attrs : json_object());
        json_object_set_new(e, "parents", parents ? parents : json_array());
    }
    return e;
}

static rd_status write_entities(rd_program *p, rd_graph *g, FILE *out)
{
    json_t *all = json_array();
    if (!all) return RD_ERR_NOMEM;
    for (const rd_decl *d = p->decls; d; d = d->next) {
        if (d->kind != RD_D_SECTOR) continue;
        json_t *a = json_pack("{s:s, s:b}", "label", d->label ? d->label : d->id, "enforcement", d->u.sector.enforcement != 0);
        json_array_append_new(all, entity("Sector", d->id, a, NULL));
    }
    json_array_append_new(all, entity("DataAttribute", "identifying", NULL, NULL));
    json_array_append_new(all, entity("DataAttribute", "protected", NULL, NULL));
    for (uint32_t i = 0; i < g->ndata; i++) {
        const rd_decl *d = g->data[i];
        json_t *a = json_pack("{s:s, s:b, s:b}", "label", d->label ? d->label : d->id, "identifying",
                              d->u.data.identifying != 0, "protected", d->u.data.protected_ != 0);
        json_t *up = json_array();
        for (const rd_ref *r = d->u.data.reveals; up && r; r = r->next)
            if (r->decl) json_array_append_new(up, uid("Data", r->decl->id));
        if (up && d->u.data.identifying) json_array_append_new(up, uid("DataAttribute", "identifying"));
        if (up && d->u.data.protected_) json_array_append_new(up, uid("DataAttribute", "protected"));
        json_array_append_new(all, entity("Data", d->id, a, up));
    }
    for (uint32_t i = 0; i < g->nactors; i++) {
        const rd_decl *d = g->actors[i];
        json_t *a = json_pack("{s:s, s:b}", "label", d->label ? d->label : d->id, "specialist", d->u.actor.specialist != 0);
        json_t *up = json_array();
        if (up && d->u.actor.sector && d->u.actor.sector->decl) json_array_append_new(up, uid("Sector", d->u.actor.sector->decl->id));
        json_array_append_new(all, entity("Actor", d->id, a, up));
    }
    return dump(all, JSON_INDENT(1) | JSON_PRESERVE_ORDER, out);
}

static rd_status write_schema(rd_graph *g, FILE *out)
{
    rd_sb b = {0};
    rd_sb_puts(&b, "// Generated by `rightdoor cedar`: the entities and the request context of the SOP's may-share rules.\n"
                "entity Sector = { \"label\": String, \"enforcement\": Bool };\n"
                "entity DataAttribute;\n"
                "entity Data in [Data, DataAttribute] = { \"label\": String, \"identifying\": Bool, \"protected\": Bool };\n"
                "entity Actor in [Sector] = { \"label\": String, \"specialist\": Bool };\n"
                "type ConsentAnswer = { \"granted\": Bool, \"except\": Set<Data>, \"only\"?: Set<Actor>, \"at\"?: Long, \"until\"?: Long, \"withdrawn\"?: Long, \"shared\"?: Set<Data>, \"to\"?: Set<Actor> };\n"
                "action share appliesTo {\n  principal: [Actor],\n  resource: [Data],\n  context: {\n"
                "    \"from\": Actor,\n    \"now\": Long,\n    \"consents\": {");
    for (uint32_t k = 0; k < g->nconsents; k++) rd_sb_printf(&b, "%s\n      \"%s\"?: ConsentAnswer", k ? "," : "", g->consents[k]->id);
    rd_sb_puts(&b, "\n    },\n    \"facts\": {");
    int first = 1;
    for (uint32_t i = 0; i < g->nfacts; i++) {
        const rd_decl *f = g->facts[i];
        if (f->u.fact.derived) continue;
        const char *t = f->u.fact.type == RD_T_BOOL ? "Bool" : f->u.fact.type == RD_T_INT ? "Long" : "String";
        rd_sb_printf(&b, "%s\n      \"%s\"?: %s", first ? "" : ",", f->id, t);
        first = 0;
    }
    rd_sb_puts(&b, "\n    },\n    \"notices\": Set<String>\n  }\n};\n");
    rd_status st = b.failed ? RD_ERR_NOMEM : fwrite(b.s, 1, b.n, out) == b.n ? RD_OK : RD_ERR_IO;
    free(b.s);
    return st;
}

rd_status rd_cedar_write(rd_program *p, rd_cedar_part part, rd_diagnostics *d, FILE *out)
{
    if (!rd_program_graph(p)) return RD_ERR_NOMEM;
    switch (part) {
    case RD_CEDAR_POLICIES: return write_policies(p, p->graph, d, out);
    case RD_CEDAR_ENTITIES: return write_entities(p, p->graph, out);
    case RD_CEDAR_SCHEMA: return write_schema(p->graph, out);
    }
    return RD_ERR_IO;
}

/* ---- a case as a request context ------------------------------------------------------------- */

static json_t *entity_ref(const char *type, const char *id)
{
    json_t *e = json_object();
    if (e) json_object_set_new(e, "__entity", uid(type, id));
    return e;
}

static json_t *names(const unsigned char *set, const rd_decl **decls, uint32_t n, const char *type)
{
    json_t *a = json_array();
    for (uint32_t i = 0; a && i < n; i++)
        if (set[i]) json_array_append_new(a, entity_ref(type, decls[i]->id));
    return a;
}

rd_status rd_cedar_write_context(rd_case *c, const char *from, long long now, FILE *out)
{
    rd_case_lua_budget(c, RD_LUA_QUESTION_INSTRUCTIONS, RD_LUA_QUESTION_MILLISECONDS); /* it asks the Lua facts */
    rd_graph *g = c->g;
    json_t *ctx = json_object(), *cons = json_object(), *facts = json_object();
    if (!ctx || !cons || !facts) {
        json_decref(ctx);
        json_decref(cons);
        json_decref(facts);
        return RD_ERR_NOMEM;
    }
    json_object_set_new(ctx, "from", entity_ref("Actor", from));
    json_object_set_new(ctx, "now", json_integer(now));
    for (uint32_t k = 0; k < g->nconsents; k++) {
        const rd_consent_value *cv = &c->consents[k];
        if (cv->state == RD_CS_UNSET) continue;
        json_t *a = json_object();
        if (!a) break;
        json_object_set_new(a, "granted", json_boolean(cv->state == RD_CS_GRANTED));
        json_object_set_new(a, "except", cv->except ? names(cv->except, g->data, g->ndata, "Data") : json_array());
        if (cv->only) json_object_set_new(a, "only", names(cv->only, g->actors, g->nactors, "Actor"));
        /* what the consent shared, and with whom, when she answered (rd_case_consent_changed) */
        if (cv->agreed) json_object_set_new(a, "shared", names(cv->agreed, g->data, g->ndata, "Data"));
        if (cv->agreed_to) json_object_set_new(a, "to", names(cv->agreed_to, g->actors, g->nactors, "Actor"));
        if (cv->at != RD_TIME_NONE) json_object_set_new(a, "at", json_integer(cv->at));
        if (cv->until != RD_TIME_NONE) json_object_set_new(a, "until", json_integer(cv->until));
        if (cv->withdrawn != RD_TIME_NONE) json_object_set_new(a, "withdrawn", json_integer(cv->withdrawn));
        json_object_set_new(cons, g->consents[k]->id, a);
    }
    for (uint32_t i = 0; i < g->nfacts; i++) {
        const rd_decl *f = g->facts[i];
        long long v;
        if (f->u.fact.derived || !rd_case_fact_value(c, f, &v)) continue;
        json_t *j = NULL;
        if (f->u.fact.type == RD_T_BOOL) j = json_boolean(v != 0);
        else if (f->u.fact.type == RD_T_INT) j = json_integer(v);
        else {
            const rd_ref *r = f->u.fact.values;
            for (long long n = 0; r && n < v; n++) r = r->next;
            if (r) j = json_string(r->id);
        }
        if (j) json_object_set_new(facts, f->id, j);
    }
    json_object_set_new(ctx, "consents", cons);
    json_object_set_new(ctx, "facts", facts);
    json_t *told = json_array();
    for (const rd_decl *d = c->p->decls; told && d; d = d->next)
        if (d->kind == RD_D_NOTICE && rd_case_informed(c, d->id, now)) json_array_append_new(told, json_string(d->id));
    json_object_set_new(ctx, "notices", told ? told : json_array());
    return dump(ctx, JSON_COMPACT | JSON_PRESERVE_ORDER, out);
}
