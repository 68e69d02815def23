/* May-share decisions. Deny unless a rule allows: first the `never ... reaches` principles, which
 * deny whatever else says yes; then her consents as she gave them (what, to whom, until when,
 * not withdrawn); then permits while their condition holds (break-glass: to be recorded, and she
 * is told afterwards); then duties where they apply. Every answer names its rule and where it is
 * written. */
#include "case.h"
#include "check.h"
#include <stdio.h>
#include <string.h>

static void reason(const rd_case *c, rd_reason *why, const rd_decl *d, const char *kind, rd_decision dec,
                   const char *data, const char *to)
{
    if (!why) return;
    memset(why, 0, sizeof *why);
    why->rule = d ? d->id : "default";
    why->kind = kind;
    why->label = d ? d->label : NULL;
    why->decision = dec;
    why->data = data;
    why->to = to;
    if (d && d->span.file < c->p->sources.n) {
        why->file = c->p->sources.v[d->span.file].path;
        why->line = d->span.line;
    }
}

static rd_decision decide(rd_case *c, const char *data, const char *from, const char *to, long long now, rd_reason *why)
{
    rd_case_lua_budget(c, RD_LUA_QUESTION_INSTRUCTIONS, RD_LUA_QUESTION_MILLISECONDS);
    return rd_case_share(c, data, from, to, now, why);
}

rd_decision rd_case_share(rd_case *c, const char *data, const char *from, const char *to, long long now, rd_reason *why)
{
    rd_program *p = c->p;
    rd_graph *g = c->g;
    /* Looked up, not interned: a question must not grow the program an app keeps open. */
    rd_decl *dd = rd_lookup(p, RD_D_DATA, data);
    rd_decl *fa = rd_lookup(p, RD_D_ACTOR, from);
    rd_decl *ta = rd_lookup(p, RD_D_ACTOR, to);
    if (!dd || !fa || !ta) {
        reason(c, why, NULL, "unknown", RD_DENY, !dd ? data : NULL, dd ? (!fa ? from : to) : NULL);
        if (why) why->unknown = !dd ? "data category" : "actor";
        return RD_DENY;
    }
    uint32_t d = dd->index, r = ta->index;
    /* 1. principles that forbid it, whatever else allows */
    const rd_decl *pr = rd_flow_forbidding(g, d, r);
    if (pr) {
        reason(c, why, pr, "principle", RD_DENY, dd->id, ta->id);
        return RD_DENY;
    }
    /* 2. her consents, as she gave them */
    const rd_decl *refused = NULL;
    int ask_again = 0;
    for (uint32_t k = 0; k < g->nconsents; k++) {
        const rd_decl *cd = g->consents[k];
        if (!rd_flow_covers(g, cd, d, r)) continue;
        const rd_consent_value *cv = &c->consents[k];
        /* she agreed to what the consent shared when she answered, not to a later text */
        int beyond = (cv->agreed && !cv->agreed[d]) || (cv->agreed_to && !cv->agreed_to[r]);
        if (cv->state != RD_CS_GRANTED || rd_flow_kept_back(g, cv->except, d) || (cv->only && !cv->only[r]) || beyond ||
            !rd_case_consent_active(c, k, now)) {
            if (cv->state != RD_CS_UNSET) {
                refused = cd;
                ask_again = beyond && cv->state == RD_CS_GRANTED;
            }
            continue;
        }
        reason(c, why, cd, "consent", RD_ALLOW, dd->id, ta->id);
        return RD_ALLOW;
    }
    /* 3. permits, while their condition holds */
    for (uint32_t i = 0; i < g->npermits; i++) {
        const rd_decl *pm = g->permits[i];
        if (!rd_flow_covers(g, pm, d, r)) continue;
        if (pm->u.flow.when && rd_case_cond(c, pm->u.flow.when) != 1) continue;
        reason(c, why, pm, "permit", RD_ALLOW, dd->id, ta->id);
        if (why) why->break_glass = 1;
        return RD_ALLOW;
    }
    /* 4. duties that require this report, once she has been told of it (000 "Mandatory
     * reporting": inform her of the duty before she discloses; a report made before telling her
     * is a report that must not be made yet) */
    const rd_decl *untold = NULL;
    for (uint32_t i = 0; i < g->nduties; i++) {
        const rd_decl *dy = g->duties[i];
        if (!rd_flow_duty_covers(g, dy, fa->index, d, r)) continue;
        if (dy->u.duty.when && rd_case_cond(c, dy->u.duty.when) != 1) continue;
        const rd_decl *nt = dy->u.duty.notice ? dy->u.duty.notice->decl : NULL;
        if (nt && !rd_case_informed(c, nt->id, now)) {
            if (!untold) untold = dy;
            continue;
        }
        reason(c, why, dy, "duty", RD_ALLOW, dd->id, ta->id);
        return RD_ALLOW;
    }
    if (untold) {
        reason(c, why, untold, "duty", RD_DENY, dd->id, ta->id);
        if (why) why->notice = untold->u.duty.notice->decl->id;
        return RD_DENY;
    }
    if (refused) {
        reason(c, why, refused, "consent", RD_DENY, dd->id, ta->id);
        if (why) why->ask_again = ask_again;
        return RD_DENY;
    }
    reason(c, why, NULL, "default", RD_DENY, dd->id, ta->id);
    return RD_DENY;
}

rd_decision rd_may_share(rd_case *c, const char *data, const char *from, const char *to, long long now, rd_reason *why)
{
    rd_decision dec = decide(c, data, from, to, now, why);
    /* A rule whose condition reads a computed fact that failed did not apply for that reason: said
     * with the answer, never hidden in it. */
    for (uint32_t i = 0; why && c->lua && i < c->g->nfacts; i++)
        if (c->g->facts[i]->u.fact.lua && c->lua_failed[i] && c->lua_gen[i] == c->gen + 1) {
            why->failed = c->g->facts[i]->id;
            break;
        }
    return dec;
}

const char *rd_reason_text(const rd_reason *w, char *buf, size_t size)
{
    if (!buf || !size) return buf;
    const char *k = w->kind ? w->kind : "default", *id = w->rule ? w->rule : "", *label = w->label ? w->label : id;
    const char *data = w->data ? w->data : "", *to = w->to ? w->to : "";
    if (!strcmp(k, "unknown"))
        snprintf(buf, size, "denied: the SOP has no %s `%s`", w->unknown ? w->unknown : "name",
                 w->data ? data : to);
    else if (!strcmp(k, "principle"))
        snprintf(buf, size, "denied by principle `%s` (%s): `%s` must never reach `%s`, whatever any consent says", id, label,
                 data, to);
    else if (!strcmp(k, "consent") && w->decision == RD_ALLOW)
        snprintf(buf, size, "allowed by her consent `%s` (%s)", id, label);
    else if (!strcmp(k, "consent") && w->ask_again)
        snprintf(buf, size,
                 "denied: she answered `%s` when it did not share `%s` with `%s`; the SOP's text has changed since: ask her again",
                 id, data, to);
    else if (!strcmp(k, "consent"))
        snprintf(buf, size, "denied: her answer to `%s` does not allow it (refused, narrowed, expired or withdrawn)", id);
    else if (!strcmp(k, "permit"))
        snprintf(buf, size,
                 "allowed without her consent by permit `%s` (%s) while its condition holds: record who, when and why, and tell her afterwards",
                 id, label);
    else if (!strcmp(k, "duty") && w->decision == RD_DENY)
        snprintf(buf, size, "denied for now: duty `%s` (%s) requires this report, but she has not been told of it: give "
                            "notice `%s` first", id, label, w->notice ? w->notice : "");
    else if (!strcmp(k, "duty"))
        snprintf(buf, size, "allowed: duty `%s` (%s) requires this report", id, label);
    else
        snprintf(buf, size, "denied: no consent, permit or duty allows `%s` to go to `%s`", data, to);
    size_t n = strlen(buf);
    if (w->failed && n < size)
        snprintf(buf + n, size - n, " (computed fact `%s` has no value: its Lua failed, so it counted as unknown)", w->failed);
    return buf;
}
