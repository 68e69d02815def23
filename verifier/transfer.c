/* The transfer functions: what each kind of node and each edge does to a state's bits, and where a
 * property fails on the way. The fixpoint (on sets of cases) and the counterexample replay (on one
 * case) both run these, so a printed path fails for the very reason the verdict does. */
#include "engine.h"
#include "flow.h"
#include "parse.h"
#include <stdio.h>
#include <stdlib.h>

static uint32_t nact(const engine *E) { return E->V->g->nactors + 1; } /* actors and the provider */
static uint32_t actor_slot(const engine *E, uint32_t a) { return a == RD_PROVIDER ? E->V->g->nactors : a; }

/* The id of the set of consents that cover sharing `data` (or anything, when data is UINT32_MAX)
 * with actor r; created on first use. */
uint32_t rd_transfer_consent_set(engine *E, uint32_t data, uint32_t r)
{
    rd_graph *g = E->V->g;
    /* dense cache by (data or "any", recipient): ids stored plus one, 0 for not yet */
    size_t slot = (size_t)(data == UINT32_MAX ? g->ndata : data) * (g->nactors + 1) + (r == RD_PROVIDER ? g->nactors : r);
    if (E->set_cache[slot]) return E->set_cache[slot] - 1;
    void *got;
    /* The members, as text: sites covered by the same consents share one set. */
    size_t cap = 16 + (size_t)g->nconsents * 11, off = 0;
    char *members = rd_arena_alloc(&E->V->p->arena, cap);
    if (!members) {
        E->V->nomem = 1;
        return 0;
    }
    for (uint32_t c = 0; c < g->nconsents; c++) {
        const rd_decl *cd = g->consents[c];
        if (r == RD_PROVIDER || !rd_flow_actor_in(g, r, cd->u.flow.with)) continue;
        if (data == UINT32_MAX || rd_flow_shares(cd, data)) off += (size_t)snprintf(members + off, cap - off, "%u,", c);
    }
    got = rd_map_get(&E->set_by_content, members);
    uint32_t id;
    if (got) {
        id = (uint32_t)(uintptr_t)got - 1;
    } else {
        id = E->nsets++;
        if (rd_map_put(&E->set_by_content, members, (void *)(uintptr_t)(id + 1)) != 0) E->V->nomem = 1;
        for (char *c = members; *c;) {
            uint32_t ci = (uint32_t)strtoul(c, &c, 10);
            c++; /* the comma */
            uint32_t *v = realloc(E->sets_of_consent[ci], (E->nsets_of_consent[ci] + 1) * sizeof *v);
            if (!v) {
                E->V->nomem = 1;
                continue;
            }
            v[E->nsets_of_consent[ci]++] = id;
            E->sets_of_consent[ci] = v;
        }
    }
    E->set_cache[slot] = id + 1;
    return id;
}

/* Where a permit covering `data` to actor r is in force: flows it allows need no consent. */
static rd_bdd permitted(engine *E, uint32_t data, uint32_t r)
{
    rd_graph *g = E->V->g;
    rd_bdd out = RD_BDD_FALSE;
    for (uint32_t i = 0; i < E->npermits; i++) {
        const rd_decl *d = E->permits[i];
        if (!rd_flow_actor_in(g, r, d->u.flow.with)) continue;
        if (data == UINT32_MAX || rd_flow_shares(d, data)) out = rd_bdd_or(E->V->m, out, rd_enc_cond_true(E->V, d->u.flow.when));
    }
    return out;
}

static void fail(engine *E, uint32_t q, uint32_t node, rd_bdd when, uint32_t data, uint32_t actor)
{
    prop *P = &E->props[q];
    when = rd_bdd_andnot(E->V->m, when, P->unless);
    if (when == RD_BDD_FALSE) return;
    if (E->witness) {
        if (q == E->goal_prop && node == E->goal_node) E->found = 1;
        return;
    }
    if (!P->viol) {
        /* first failure of this principle: its per-node records (most principles never need them) */
        rd_arena *a = &E->V->p->arena;
        uint32_t nn = E->V->g->nnodes + 1;
        P->viol = rd_arena_alloc(a, nn * sizeof *P->viol);
        P->vdata = rd_arena_alloc(a, nn * sizeof *P->vdata);
        P->vactor = rd_arena_alloc(a, nn * sizeof *P->vactor);
        P->order = rd_arena_alloc(a, nn * sizeof *P->order);
        if (!P->viol || !P->vdata || !P->vactor || !P->order) {
            P->viol = NULL;
            E->V->nomem = 1;
            return;
        }
    }
    if (P->viol[node] == RD_BDD_FALSE) {
        P->order[P->norder++] = node;
        P->vdata[node] = data;
        P->vactor[node] = actor;
    }
    P->viol[node] = rd_bdd_or(E->V->m, P->viol[node], when);
    P->any = 1;
}

/* Where duty y applies to actor a: always or never for a named actor; for the provider, where it is
 * one of the actors the duty names. */
static rd_bdd duty_applies(verifier *V, const rd_decl *duty, uint32_t a)
{
    if (a != RD_PROVIDER) return rd_flow_actor_in(V->g, a, duty->u.duty.applies) ? RD_BDD_TRUE : RD_BDD_FALSE;
    if (V->provider_duty && duty->index < V->nduty_cache && V->provider_duty[duty->index] != RD_BDD_ONE_UNSET)
        return V->provider_duty[duty->index];
    rd_bdd out = RD_BDD_FALSE;
    for (uint32_t c = 0; c < V->g->nactors; c++)
        if (rd_flow_actor_in(V->g, c, duty->u.duty.applies)) out = rd_bdd_or(V->m, out, rd_enc_provider_is(V, c));
    if (V->provider_duty && duty->index < V->nduty_cache) V->provider_duty[duty->index] = out;
    return out;
}

typedef enum acq_kind { ACQ_COLLECT, ACQ_FLOW, ACQ_PERMIT } acq_kind;

/* Actor `a` comes to hold data `d` under `when`: sets its H bits, in state slot `slot`. Holding d
 * is holding all that d discloses (a work permit shows her migration status), so a duty to report a
 * disclosed category can fire. Only what some duty reports is tracked for a named actor; for the
 * provider, who may be any of them, all of it. */
static void hold(engine *E, vstate *out, uint32_t a, uint32_t slot, uint32_t d, rd_bdd when)
{
    const rd_graph *g = E->V->g;
    uint32_t n;
    const uint32_t *w = rd_flow_disclosed(g, d, &n);
    for (uint32_t i = 0; i < n; i++)
        if (a == RD_PROVIDER || E->pair[slot * g->ndata + w[i]])
            rd_vs_or(E->V->m, out, KEY(SP_H, slot * g->ndata + w[i]), when, &E->V->nomem);
}

/* Holdings mode: actor a (the provider standing for each actor she may have opened the case at)
 * comes to hold d, and everything d reveals, under `when`, in way `how` (RD_HOLD_*) by way of node
 * n. k names the permit that allows it (nduties + its index), or is UINT32_MAX; a duty node names
 * its own duty. */
static void note_holding(engine *E, uint32_t n, uint32_t a, uint32_t d, rd_bdd when, unsigned how, uint32_t k)
{
    if (!E->held || E->witness || when == RD_BDD_FALSE) return;
    verifier *V = E->V;
    const rd_graph *g = V->g;
    uint32_t nk = E->nduties + E->npermits;
    if (how == RD_HOLD_DUTY) k = g->nodes[n].subject->index;
    for (uint32_t c = 0; c < g->nactors; c++) {
        if (a == RD_PROVIDER ? !E->candidate[c] : c != a) continue;
        rd_bdd w = a == RD_PROVIDER ? rd_bdd_and(V->m, when, rd_enc_provider_is(V, c)) : when;
        if (w == RD_BDD_FALSE) continue;
        uint32_t nx;
        const uint32_t *xs = rd_flow_disclosed(g, d, &nx);
        for (uint32_t j = 0; j < nx; j++) {
            size_t i = (size_t)c * g->ndata + xs[j];
            E->held[i] = rd_bdd_or(V->m, E->held[i], w);
            if (how == RD_HOLD_FLOW) E->held_sent[i] = rd_bdd_or(V->m, E->held_sent[i], w);
            if (how != RD_HOLD_PERMIT && n < E->held_via[i]) E->held_via[i] = n;
            E->held_how[i] |= (unsigned char)how;
            if (k != UINT32_MAX) E->held_by[i * nk + k] = 1;
        }
    }
}

/* Actor `a` (or the provider, one holder whoever she is: a duty node reads her holdings together
 * with those of the actor she opened the case at) comes to hold data `d` under `when`, at node
 * `node`: collected by it (record, ask), sent to it (share, refer, duty), or made possible by a
 * permit. Records the holding, the duties that can now fire before her notice (U bits), and the
 * `never recorded` and `never reaches` principles it breaks. */
static void acquire(engine *E, vstate *out, uint32_t node, uint32_t a, uint32_t d, rd_bdd when, acq_kind how)
{
    verifier *V = E->V;
    rd_bdd_mgr *m = V->m;
    uint32_t slot = actor_slot(E, a);
    hold(E, out, a, slot, d, when);
    if (how != ACQ_PERMIT)
        note_holding(E, node, a, d, when,
                     how == ACQ_COLLECT ? RD_HOLD_COLLECT : V->g->nodes[node].kind == RD_N_DUTY ? RD_HOLD_DUTY : RD_HOLD_FLOW,
                     UINT32_MAX);
    for (uint32_t y = 0; y < E->nduties; y++) {
        const rd_decl *duty = E->duties[y];
        if (!rd_flow_duty_fires_on(V->g, duty, d)) continue;
        if (how == ACQ_PERMIT) continue;
        rd_bdd early = rd_bdd_and(m, when, duty_applies(V, duty, a));
        if (duty->u.duty.notice && duty->u.duty.notice->decl)
            early = rd_bdd_andnot(m, early, rd_vs_get(out, KEY(SP_KN, duty->u.duty.notice->decl->index)));
        rd_vs_or(m, out, KEY(SP_U, y * nact(E) + slot), early, &E->V->nomem);
    }
    for (uint32_t q = 0; q < E->nprops; q++) {
        prop *P = &E->props[q];
        if (!P->data || !P->data[d]) continue;
        if (P->pr->kind == RD_P_NEVER_RECORD && how == ACQ_COLLECT) fail(E, q, node, when, d, a);
        if (P->pr->kind == RD_P_NEVER_REACHES && how != ACQ_PERMIT) {
            rd_bdd in = a == RD_PROVIDER ? P->provider_in : P->actor[a] ? RD_BDD_TRUE : RD_BDD_FALSE;
            fail(E, q, node, rd_bdd_and(m, when, in), d, a);
        }
    }
}

/* A flow to actor r at node n under `when`: implicit flows of protected data by control. */
static void flow_to(engine *E, const vstate *in, uint32_t node, uint32_t r, rd_bdd when)
{
    /* the state's taint bits sit together, sorted by key */
    uint32_t lo = 0, hi = in->n;
    while (lo < hi) {
        uint32_t mid = (lo + hi) / 2;
        if (in->b[mid].key < KEY(SP_P, 0)) lo = mid + 1;
        else hi = mid;
    }
    for (uint32_t i = lo; i < in->n && SPACE(in->b[i].key) == SP_P; i++) {
        uint32_t t = in->b[i].key & 0xFFFFFFu;
        prop *P = &E->props[E->taints[t].prop];
        if (!P->actor[r]) continue;
        fail(E, E->taints[t].prop, node, rd_bdd_and(E->V->m, when, in->b[i].v), UINT32_MAX, r); /* when is within R */
    }
}

/* A share or referral of data (UINT32_MAX: the referral itself) to r: consent checks. */
static void consent_checks(engine *E, const vstate *in, uint32_t node, uint32_t d, uint32_t r, int is_refer)
{
    verifier *V = E->V;
    rd_bdd R = rd_vs_get(in, KEY(SP_R, 0));
    for (uint32_t q = 0; q < E->nprops; q++) {
        prop *P = &E->props[q];
        int share = P->pr->kind == RD_P_SHARE_CONSENT && d != UINT32_MAX && P->data[d];
        int refer = P->pr->kind == RD_P_REFER_CONSENT && is_refer && d == UINT32_MAX && P->actor[r];
        if (!share && !refer) continue;
        uint32_t set = rd_transfer_consent_set(E, d, r);
        rd_bdd bad = rd_bdd_andnot(V->m, R, rd_vs_get(in, KEY(SP_K, set)));
        bad = rd_bdd_andnot(V->m, bad, permitted(E, d, r));
        fail(E, q, node, bad, d, r);
    }
}

/* The effect of node n on state `in`, before its edges' guards: written to `out`. */
void rd_transfer_visit(engine *E, uint32_t n, const vstate *in, vstate *out)
{
    verifier *V = E->V;
    rd_graph *g = V->g;
    rd_bdd_mgr *m = V->m;
    const rd_gnode *node = &g->nodes[n];
    rd_bdd R = rd_vs_get(in, KEY(SP_R, 0));
    rd_vs_copy(out, in, &E->V->nomem);
    switch (node->kind) {
    case RD_N_ASK:
    case RD_N_RECORD:
        for (uint32_t i = 0; i < node->ndata; i++) acquire(E, out, n, node->performer, node->data[i], R, ACQ_COLLECT);
        break;
    case RD_N_INFORM:
        if (node->subject) rd_vs_put(out, KEY(SP_KN, node->subject->index), RD_BDD_TRUE, &E->V->nomem);
        break;
    case RD_N_REFER:
    case RD_N_SHARE:
        for (uint32_t j = 0; j < node->nto; j++) {
            uint32_t r = node->to[j];
            flow_to(E, in, n, r, R);
            if (node->kind == RD_N_REFER) consent_checks(E, in, n, UINT32_MAX, r, 1);
            for (uint32_t i = 0; i < node->ndata; i++) {
                consent_checks(E, in, n, node->data[i], r, node->kind == RD_N_REFER);
                acquire(E, out, n, r, node->data[i], R, ACQ_FLOW);
            }
        }
        break;
    case RD_N_DUTY: {
        const rd_decl *duty = node->subject;
        uint32_t slot = actor_slot(E, node->performer), pslot = g->nactors;
        rd_bdd fires = rd_bdd_and(m, rd_bdd_and(m, R, rd_enc_cond_true(V, duty->u.duty.when)), duty_applies(V, duty, node->performer));
        /* Where she opened the case at this actor, what "the provider" holds, it holds. */
        rd_bdd is_here = node->performer == RD_PROVIDER ? RD_BDD_TRUE : rd_enc_provider_is(V, node->performer);
        rd_bdd early_u = rd_bdd_or(m, rd_vs_get(in, KEY(SP_U, duty->index * nact(E) + slot)),
                                   node->performer == RD_PROVIDER ? RD_BDD_FALSE
                                       : rd_bdd_and(m, is_here, rd_vs_get(in, KEY(SP_U, duty->index * nact(E) + pslot))));
        /* And the other way round: at the provider, what the actor she opened the case at holds
         * by name (sent to it by a share, say), the provider holds. */
        if (node->performer == RD_PROVIDER)
            for (uint32_t c = 0; c < g->nactors; c++)
                if (E->candidate[c] && rd_flow_actor_in(g, c, duty->u.duty.applies))
                    early_u = rd_bdd_or(m, early_u, rd_bdd_and(m, rd_enc_provider_is(V, c), rd_vs_get(in, KEY(SP_U, duty->index * nact(E) + c))));
        for (uint32_t i = 0; i < node->ndata; i++) {
            rd_bdd held = rd_vs_get(in, KEY(SP_H, slot * g->ndata + node->data[i]));
            if (node->performer != RD_PROVIDER) {
                held = rd_bdd_or(m, held, rd_bdd_and(m, is_here, rd_vs_get(in, KEY(SP_H, pslot * g->ndata + node->data[i]))));
            } else {
                for (uint32_t c = 0; c < g->nactors; c++)
                    if (E->candidate[c] && E->pair[(size_t)c * g->ndata + node->data[i]])
                        held = rd_bdd_or(m, held, rd_bdd_and(m, rd_enc_provider_is(V, c), rd_vs_get(in, KEY(SP_H, c * g->ndata + node->data[i]))));
            }
            fires = rd_bdd_and(m, fires, held);
        }
        if (fires == RD_BDD_FALSE) break;
        for (uint32_t q = 0; q < E->nprops; q++) {
            if (E->props[q].pr->kind != RD_P_REPORT_NOTICE) continue;
            fail(E, q, n, duty->u.duty.notice ? rd_bdd_and(m, fires, early_u) : fires, UINT32_MAX, node->performer);
        }
        for (uint32_t q = 0; q < E->nprops; q++) {
            prop *P = &E->props[q];
            if (P->pr->kind != RD_P_NEVER_REACHES || !rd_flow_reads(duty->u.duty.when, P->tfact)) continue;
            for (uint32_t j = 0; j < node->nto; j++)
                if (P->actor[node->to[j]]) fail(E, q, n, fires, UINT32_MAX, node->to[j]);
        }
        for (uint32_t j = 0; j < node->nto; j++) {
            flow_to(E, in, n, node->to[j], fires);
            for (uint32_t i = 0; i < node->ndata; i++) acquire(E, out, n, node->to[j], node->data[i], fires, ACQ_FLOW);
        }
        break;
    }
    case RD_N_STEP:
        /* Handing the case over to a step another actor performs tells that actor about it. */
        if (node->performer != RD_PROVIDER) flow_to(E, in, n, node->performer, R);
        /* A permit can be used at any step while its condition holds. */
        for (uint32_t pi = 0; pi < E->npermits; pi++) {
            const rd_decl *d = E->permits[pi];
            rd_bdd when = rd_bdd_and(m, R, rd_enc_cond_true(V, d->u.flow.when));
            if (when == RD_BDD_FALSE) continue;
            for (uint32_t a = 0; a < g->nactors; a++) {
                if (!rd_flow_actor_in(g, a, d->u.flow.with)) continue;
                for (const rd_ref *x = d->u.flow.shares; x; x = x->next)
                    if (x->decl) {
                        acquire(E, out, n, a, x->decl->index, when, ACQ_PERMIT);
                        note_holding(E, n, a, x->decl->index, when, RD_HOLD_PERMIT, E->nduties + pi);
                    }
            }
        }
        break;
    case RD_N_BRANCH:
        for (uint32_t i = E->taint_at_start[n]; i < E->taint_at_start[n + 1]; i++) rd_vs_put(out, KEY(SP_P, E->taint_at[i]), RD_BDD_TRUE, &E->V->nomem);
        break;
    default: break;
    }
}

/* The guard of edge e: where it can be taken. Computed once per edge. */
rd_bdd rd_transfer_guard(engine *E, const rd_gedge *e)
{
    verifier *V = E->V;
    uint32_t i = (uint32_t)(e - V->g->edges);
    if (E->guard_done[i]) return E->edge_guard[i];
    const rd_gnode *from = &V->g->nodes[e->from];
    rd_bdd gd;
    switch (e->kind) {
    case RD_G_TRUE: gd = rd_enc_cond_true(V, from->cond); break;
    case RD_G_FALSE: gd = rd_bdd_not(V->m, rd_enc_cond_true(V, from->cond)); break;
    case RD_G_GRANTED: gd = from->subject ? rd_bdd_var(V->m, V->consent_var[from->subject->index]) : RD_BDD_TRUE; break;
    case RD_G_REFUSED: gd = from->subject ? rd_bdd_nvar(V->m, V->consent_var[from->subject->index]) : RD_BDD_TRUE; break;
    default: gd = RD_BDD_TRUE;
    }
    E->edge_guard[i] = gd;
    E->guard_done[i] = 1;
    return gd;
}

/* State `base` sent along edge e: narrowed by its guard, with what taking it establishes. Only R
 * changes; the other bits are relative to it. */
void rd_transfer_along(engine *E, const rd_gedge *e, const vstate *base, vstate *out)
{
    verifier *V = E->V;
    rd_bdd gd = rd_transfer_guard(E, e);
    rd_bdd R = rd_bdd_and(V->m, rd_vs_R(base), gd);
    out->n = 0;
    if (R == RD_BDD_FALSE) return;
    for (uint32_t i = 0; i < base->n; i++) {
        rd_bdd rel = base->b[i].v;
        if (base->b[i].key == KEY(SP_R, 0)) rel = R;
        /* A replay follows one valuation, and tells states apart by which bits they hold. */
        else if (E->witness && rel != RD_BDD_TRUE) rel = rd_bdd_and(V->m, R, rel) == RD_BDD_FALSE ? RD_BDD_FALSE : RD_BDD_TRUE;
        if (rel != RD_BDD_FALSE) rd_vs_put(out, base->b[i].key, rel, &E->V->nomem);
    }
    const rd_gnode *from = &V->g->nodes[e->from];
    if (e->kind == RD_G_GRANTED && from->subject) {
        uint32_t c = from->subject->index;
        for (uint32_t i = 0; i < E->nsets_of_consent[c]; i++) rd_vs_put(out, KEY(SP_K, E->sets_of_consent[c][i]), RD_BDD_TRUE, &E->V->nomem);
    }
    /* Control no longer depends on a branch once its post-dominator is reached. */
    for (uint32_t i = E->clear_at_start[e->to]; i < E->clear_at_start[e->to + 1]; i++)
        rd_vs_put(out, KEY(SP_P, E->clear_at[i]), RD_BDD_FALSE, &E->V->nomem);
}

/* Joins `in` into the stored state of a node; returns 1 when it grew. Must bits are joined through
 * their complement: a path that reaches without them takes them away. Bits are relative to R (see
 * the top); two equal relative bits join to themselves. */
int rd_transfer_join(engine *E, vstate *st, const vstate *in)
{
    rd_bdd_mgr *m = E->V->m;
    rd_bdd R_old = rd_vs_R(st), R_in = rd_vs_R(in);
    if (R_old == RD_BDD_FALSE) {
        /* first arrival: the state is what arrives */
        if (R_in == RD_BDD_FALSE) return 0;
        rd_vs_copy(st, in, &E->V->nomem);
        return 1;
    }
    rd_bdd R_new = rd_bdd_or(m, R_old, R_in);
    vstate next = {0};
    uint32_t i = 0, j = 0;
    int grew = R_new != R_old;
    while (i < st->n || j < in->n) {
        uint32_t ki = i < st->n ? st->b[i].key : UINT32_MAX, kj = j < in->n ? in->b[j].key : UINT32_MAX;
        uint32_t k = ki < kj ? ki : kj;
        rd_bdd a = ki == k ? st->b[i++].v : RD_BDD_FALSE, b = kj == k ? in->b[j++].v : RD_BDD_FALSE;
        rd_bdd v;
        if (k == KEY(SP_R, 0)) {
            v = R_new;
        } else if (a == b) {
            v = a;
        } else {
            rd_bdd abs_old = rd_bdd_and(m, R_old, a), abs_new;
            if (IS_MUST(k)) {
                rd_bdd ng = rd_bdd_or(m, rd_bdd_andnot(m, R_old, a), rd_bdd_andnot(m, R_in, b));
                abs_new = rd_bdd_andnot(m, R_new, ng);
            } else {
                abs_new = rd_bdd_or(m, abs_old, rd_bdd_and(m, R_in, b));
            }
            if (abs_new != abs_old) grew = 1;
            /* `a` is relative to R_old: it still says the same only while R is unchanged (a must
             * bit kept where the case arrives without it would otherwise spread to every way here) */
            v = abs_new == R_new ? RD_BDD_TRUE : abs_new == abs_old && R_new == R_old ? a : abs_new;
        }
        rd_vs_put(&next, k, v, &E->V->nomem);
    }
    rd_vs_free(st);
    *st = next;
    return grew;
}
