/* May-share decisions. Deny unless a rule allows: first the `never ... reaches` principles, which
 * deny whatever else says yes; then her consents as she gave them (what, to whom, until when,
 * not withdrawn); then permits while their condition holds (break-glass: to be recorded, and she
 * is told afterwards); then duties where they apply. Every answer names its rule and where it is
 * written. */
#include "case.h"
#include "../compiler/check.h"
#include <string.h>

static void reason(const rd_case *c, rd_reason *why, const rd_decl *d, const char *kind, const char *text)
{
    if (!why) return;
    memset(why, 0, sizeof *why);
    why->rule = d ? d->id : "default";
    why->kind = kind;
    why->text = text;
    if (d && d->span.file < c->p->sources.n) {
        why->file = c->p->sources.v[d->span.file].path;
        why->line = d->span.line;
    }
}

/* Whether data index d is protected by a property's data list (names, attributes, and what
 * reveals them). */
static int covers_data(const rd_case *c, const rd_ref *list, uint32_t d, int depth)
{
    const rd_decl *dd = c->g->data[d];
    for (const rd_ref *r = list; r; r = r->next) {
        if (r->tag == RD_REF_NAME && r->decl == dd) return 1;
        if (r->tag == RD_REF_IDENTIFYING && dd->u.data.identifying) return 1;
        if (r->tag == RD_REF_PROTECTED && dd->u.data.protected_) return 1;
    }
    if (depth > 16) return 0;
    for (const rd_ref *v = dd->u.data.reveals; v; v = v->next)
        if (v->decl && covers_data(c, list, v->decl->index, depth + 1)) return 1;
    return 0;
}

static int shares(const rd_decl *flow, uint32_t d)
{
    for (const rd_ref *r = flow->u.flow.shares; r; r = r->next)
        if (r->decl && r->decl->index == d) return 1;
    return 0;
}

rd_decision rd_may_share(rd_case *c, const char *data, const char *from, const char *to, long long now, rd_reason *why)
{
    rd_program *p = c->p;
    rd_graph *g = c->g;
    rd_arena *a = &c->arena;
    rd_decl *dd = rd_lookup(p, RD_D_DATA, rd_intern(p, data, strlen(data)));
    rd_decl *fa = rd_lookup(p, RD_D_ACTOR, rd_intern(p, from, strlen(from)));
    rd_decl *ta = rd_lookup(p, RD_D_ACTOR, rd_intern(p, to, strlen(to)));
    if (!dd || !fa || !ta) {
        reason(c, why, NULL, "unknown",
               rd_arena_printf(a, "denied: the SOP has no %s `%s`", !dd ? "data category" : "actor", !dd ? data : !fa ? from : to));
        return RD_DENY;
    }
    uint32_t d = dd->index, r = ta->index;
    /* 1. principles that forbid it, whatever else allows */
    for (rd_decl *pr = p->decls; pr; pr = pr->next) {
        if (pr->kind != RD_D_PRINCIPLE) continue;
        for (const rd_prop *q = pr->u.principle.props; q; q = q->next)
            if (q->kind == RD_P_NEVER_REACHES && covers_data(c, q->data, d, 0) && rd_graph_actor_in(g, r, q->targets)) {
                reason(c, why, pr, "principle",
                       rd_arena_printf(a, "denied by principle `%s` (%s): `%s` must never reach `%s`, whatever any consent says",
                                       pr->id, pr->label ? pr->label : pr->id, data, to));
                return RD_DENY;
            }
    }
    /* 2. her consents, as she gave them */
    const rd_decl *refused = NULL;
    for (uint32_t k = 0; k < g->nconsents; k++) {
        const rd_decl *cd = g->consents[k];
        if (!shares(cd, d) || !rd_graph_actor_in(g, r, cd->u.flow.with)) continue;
        const rd_consent_value *cv = &c->consents[k];
        if (cv->state == RD_CS_REFUSED) {
            refused = cd;
            continue;
        }
        if (cv->state != RD_CS_GRANTED) continue;
        if (cv->except && cv->except[d]) {
            refused = cd;
            continue;
        }
        if (cv->only && !cv->only[r]) {
            refused = cd;
            continue;
        }
        if (!rd_case_consent_active(c, k, now)) {
            refused = cd;
            continue;
        }
        reason(c, why, cd, "consent", rd_arena_printf(a, "allowed by her consent `%s` (%s)", cd->id, cd->label));
        return RD_ALLOW;
    }
    /* 3. permits, while their condition holds */
    for (rd_decl *pm = p->decls; pm; pm = pm->next) {
        if (pm->kind != RD_D_PERMIT || !shares(pm, d) || !rd_graph_actor_in(g, r, pm->u.flow.with)) continue;
        if (pm->u.flow.when && rd_case_cond(c, pm->u.flow.when) != 1) continue;
        reason(c, why, pm, "permit",
               rd_arena_printf(a, "allowed without her consent by permit `%s` (%s) while its condition holds: record who, when and why, and tell her afterwards",
                               pm->id, pm->label));
        if (why) why->break_glass = 1;
        return RD_ALLOW;
    }
    /* 4. duties that require this report */
    for (rd_decl *dy = p->decls; dy; dy = dy->next) {
        if (dy->kind != RD_D_DUTY || !rd_graph_actor_in(g, fa->index, dy->u.duty.applies) ||
            !rd_graph_actor_in(g, r, dy->u.duty.to))
            continue;
        int reports = 0;
        for (const rd_ref *x = dy->u.duty.reports; x && !reports; x = x->next) reports = x->decl == dd;
        if (!reports || (dy->u.duty.when && rd_case_cond(c, dy->u.duty.when) != 1)) continue;
        reason(c, why, dy, "duty", rd_arena_printf(a, "allowed: duty `%s` (%s) requires this report", dy->id, dy->label));
        return RD_ALLOW;
    }
    if (refused) {
        reason(c, why, refused, "consent",
               rd_arena_printf(a, "denied: her answer to `%s` does not allow it (refused, narrowed, expired or withdrawn)", refused->id));
        return RD_DENY;
    }
    reason(c, why, NULL, "default", rd_arena_printf(a, "denied: no consent, permit or duty allows `%s` to go to `%s`", data, to));
    return RD_DENY;
}
