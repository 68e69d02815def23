/* Next actions for a case: the pathway is walked from its start with the case's facts, her answers
 * and what was done; each branch stops where the worker is needed (a question not yet asked, a
 * notice not yet given, a consent not yet sought, a choice not yet made, a referral or share not
 * yet made) or where it ends. A `choose` can leave several branches open. Duties fire where the
 * actor they apply to holds all they report and their condition holds; a report is then due. */
#include "case.h"
#include "check.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct rd_action_list {
    rd_arena arena;
    rd_action *v;
    uint32_t *node; /* the graph node each action comes from (UINT32_MAX: none), for the test runner */
    size_t n, cap;
};

size_t rd_actions_len(const rd_action_list *l) { return l ? l->n : 0; }
const rd_action *rd_actions_get(const rd_action_list *l, size_t i) { return l && i < l->n ? &l->v[i] : NULL; }

void rd_actions_free(rd_action_list *l)
{
    if (!l) return;
    free(l->v);
    free(l->node);
    rd_arena_release(&l->arena);
    free(l);
}

typedef struct walker {
    rd_case *c;
    rd_action_list *out;
    long long now;
    unsigned char *visited;
    unsigned char *held;         /* by actor * ndata + data */
    const rd_stmt **offered;     /* choose statements already offered, so one action per choose */
    size_t noffered;
    uint32_t cur;                /* the node being walked, for rd_actions_node */
    unsigned char *taken;        /* edges followed, when the test runner asks (rd_case_walk) */
    int explain;                 /* record how the walk went (rd_case_explain) */
    int failed;
} walker;

static int done(const rd_case *c, rd_event_kind k, const char *a, const char *b)
{
    for (size_t i = 0; i < c->nevents; i++)
        if (c->events[i].kind == k && c->events[i].a == a && (!b || c->events[i].b == b)) return 1;
    return 0;
}

/* Whether she was referred to actor `to` for `service`; a referral recorded without its service
 * counts for any. */
static int referred(const rd_case *c, const char *to, const char *service)
{
    for (size_t i = 0; i < c->nevents; i++)
        if (c->events[i].kind == RD_EV_REFER && c->events[i].a == to && (!c->events[i].b || c->events[i].b == service))
            return 1;
    return 0;
}

/* A text said to her, in the case's language when there is one; *fallback when not. */
static const char *in_language(const rd_case *c, const char *own, const rd_text *texts, int from_library, int *fallback)
{
    for (const rd_text *t = texts; t; t = t->next)
        if (c->language && !strcmp(t->lang, c->language)) return t->text;
    const char *own_lang = from_library ? "en" : c->p->first_language;
    *fallback = !(c->language && own_lang && !strcmp(c->language, own_lang));
    return own;
}

static void act(walker *w, rd_action_kind kind, const char *name, const char *text, const char *detail, int fallback,
                int breach, rd_span at)
{
    rd_action_list *l = w->out;
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 16;
        rd_action *v = realloc(l->v, cap * sizeof *v);
        if (v) l->v = v;
        uint32_t *nv = v ? realloc(l->node, cap * sizeof *nv) : NULL;
        if (!nv) {
            w->failed = 1;
            return;
        }
        l->node = nv;
        l->cap = cap;
    }
    rd_program *p = w->c->p;
    l->node[l->n] = w->cur;
    l->v[l->n++] = (rd_action){kind, name, text, detail, fallback, breach,
                               at.line && at.file < p->sources.n ? p->sources.v[at.file].path : NULL, at.line};
}

/* A line of the explanation, when one is asked for; the macro keeps next from building the
 * arguments at all. */
#define trace(w, ...) do { if ((w)->explain) trace_line((w), __VA_ARGS__); } while (0)
static void trace_line(walker *w, rd_span at, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void trace_line(walker *w, rd_span at, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    act(w, RD_ACT_TRACE, "", rd_arena_strdup(&w->out->arena, buf), NULL, 0, 0, at);
}

static uint32_t actor_of(const walker *w, uint32_t performer) { return performer == RD_PROVIDER ? w->c->opened_by : performer; }

/* Holding a category is holding all it discloses (a work permit shows her migration status). */
static void hold(walker *w, uint32_t a, const uint32_t *data, uint32_t n)
{
    const rd_graph *g = w->c->g;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t nx;
        const uint32_t *x = rd_flow_disclosed(g, data[i], &nx);
        for (uint32_t j = 0; j < nx; j++) w->held[(size_t)a * g->ndata + x[j]] = 1;
    }
}

/* Open now: always open, or open at the walk's `now` by hours the runtime understands, in the
 * directory's local time (without a `utc_offset` the time of day is not known: only "always"). */
static int open_now(const walker *w, const char *hours)
{
    const rd_directory_meta *m = &w->c->p->directory;
    return rd_always_open(hours) || (m->has_utc_offset && rd_open_at(hours, w->now, m->utc_offset_min) == 1);
}

/* The actors a referral can go to, best first: served in her language, then open now (or around
 * the clock), then specialist. Of a list of several, only those providing the service. */
static uint32_t ranked(const walker *w, const rd_gnode *n, uint32_t best[64])
{
    rd_case *c = w->c;
    uint32_t nb = 0;
    int score[64];
    for (uint32_t j = 0; j < n->nto && nb < 64; j++) {
        const rd_decl *d = c->g->actors[n->to[j]];
        int provides = 0;
        for (const rd_ref *r = d->u.actor.provides; r && !provides; r = r->next) provides = r->decl == n->subject;
        if (!provides && n->nto > 1) continue;
        int lang = 0;
        for (const rd_ref *r = d->u.actor.languages; r && !lang; r = r->next) lang = c->language && !strcmp(r->id, c->language);
        score[nb] = lang * 4 + open_now(w, rd_field_get(d, "hours")) * 2 + (d->u.actor.specialist != 0);
        best[nb++] = n->to[j];
    }
    for (uint32_t i = 1; i < nb; i++)
        for (uint32_t k = i; k > 0 && score[k] > score[k - 1]; k--) {
            int s = score[k];
            score[k] = score[k - 1];
            score[k - 1] = s;
            uint32_t b = best[k];
            best[k] = best[k - 1];
            best[k - 1] = b;
        }
    return nb;
}

/* Directory entries for a referral, best first. A confidential location (a safe shelter) is never
 * shown. */
static const char *entries(walker *w, const rd_gnode *n)
{
    rd_case *c = w->c;
    rd_arena *a = &w->out->arena;
    uint32_t best[64], nb = ranked(w, n, best);
    char *out = rd_arena_strdup(a, "");
    for (uint32_t i = 0; i < nb && out; i++) {
        const rd_decl *d = c->g->actors[best[i]];
        const char *contact = rd_field_get(d, "contact"), *hours = rd_field_get(d, "hours");
        const char *loc = d->u.actor.location_confidential ? "(location confidential)" : rd_field_get(d, "location");
        char langs[128] = "";
        size_t off = 0;
        for (const rd_ref *r = d->u.actor.languages; r && off < sizeof langs; r = r->next) {
            int wr = snprintf(langs + off, sizeof langs - off, "%s%s", off ? " " : "", r->id);
            if (wr > 0) off += (size_t)wr;
        }
        out = rd_arena_printf(a, "%s%s%d. %s (%s): %s%s%s%s%s%s [%s]", out, i ? "; " : "", (int)i + 1, d->label ? d->label : d->id,
                              d->id, contact ? contact : "no contact listed", hours ? ", " : "", hours ? hours : "",
                              hours && !rd_always_open(hours) && open_now(w, hours) ? " (open now)" : "", loc ? ", " : "",
                              loc ? loc : "", langs);
    }
    return out;
}

static void walk(walker *w, uint32_t n);

/* What of a referral or share must not be sent, as the rules stand for this case now: what she
 * left out of her consent (`except`, `only`), what a consent no longer covers (expired, withdrawn),
 * what a principle forbids. Apps and workers read the action, so it says so there, with the rule,
 * rather than leaving it to a may-share question nobody asked. `detail` is what the action
 * already says, or NULL. */
static const char *withheld(walker *w, const rd_gnode *node, const char *detail)
{
    rd_case *c = w->c;
    const rd_graph *g = c->g;
    rd_arena *a = &w->out->arena;
    const char *from = g->actors[actor_of(w, node->performer)]->id;
    const char *out = detail;
    for (uint32_t j = 0; j < node->nto; j++)
        for (uint32_t i = 0; i < node->ndata; i++) {
            rd_reason why;
            const char *d = g->data[node->data[i]]->id, *to = g->actors[node->to[j]]->id;
            char buf[512];
            if (rd_case_share(c, d, from, to, w->now, &why) == RD_ALLOW) {
                /* without her consent: never shown like a consented share */
                if (why.break_glass)
                    out = rd_arena_printf(a,
                                          "%s%sBREAK-GLASS: `%s` to `%s` only under permit `%s` (%s), without her consent: "
                                          "record the use and why (rightdoor case --permit %s:%s:%s --reason TEXT), and tell "
                                          "her afterwards",
                                          out ? out : "", out ? "\n" : "", d, to, why.rule, why.label ? why.label : why.rule,
                                          why.rule, d, to);
                continue;
            }
            out = rd_arena_printf(a, "%s%sDO NOT SEND `%s` to `%s`: %s", out ? out : "", out ? "\n" : "", d, to,
                                  rd_reason_text(&why, buf, sizeof buf));
        }
    return out;
}

static uint32_t edge_of(const rd_graph *g, uint32_t n, rd_gedge_kind kind)
{
    for (uint32_t e = g->nodes[n].first_out; e < g->nodes[n].first_out + g->nodes[n].nout; e++)
        if (g->edges[e].kind == kind) return e;
    return UINT32_MAX;
}

/* From a later offer of a `choose`, reached by falling through a body she took: on past the
 * remaining offers (the first offer walks those she took) to what follows the `choose`. */
static void walk_on(walker *w, uint32_t n, rd_gedge_kind kind)
{
    const rd_graph *g = w->c->g;
    const rd_stmt *s = g->nodes[n].stmt;
    for (uint32_t e = edge_of(g, n, kind); e != UINT32_MAX; e = edge_of(g, n, kind)) {
        n = g->edges[e].to;
        if (g->nodes[n].kind != RD_N_CHOOSE || g->nodes[n].stmt != s) {
            walk(w, n);
            return;
        }
    }
}

static void follow(walker *w, uint32_t n, rd_gedge_kind kind)
{
    const rd_gnode *node = &w->c->g->nodes[n];
    for (uint32_t e = node->first_out; e < node->first_out + node->nout; e++)
        if (w->c->g->edges[e].kind == kind) {
            if (w->taken) w->taken[e] = 1;
            uint32_t here = w->cur;
            walk(w, w->c->g->edges[e].to);
            w->cur = here;
        }
}

static void walk(walker *w, uint32_t n)
{
    rd_case *c = w->c;
    rd_graph *g = c->g;
    rd_arena *a = &w->out->arena;
    if (w->failed || w->visited[n]) return;
    w->visited[n] = 1; /* a loop comes round once: what waits in it is already listed */
    w->cur = n;
    const rd_gnode *node = &g->nodes[n];
    const rd_stmt *s = node->stmt;
    int fb = 0;
    switch (node->kind) {
    case RD_N_STEP:
    case RD_N_RECORD:
        if (node->kind == RD_N_STEP)
            trace(w, node->span, "step `%s` (%s): %s", node->step->id, g->actors[actor_of(w, node->performer)]->id, node->step->label);
        if (node->kind == RD_N_RECORD) hold(w, actor_of(w, node->performer), node->data, node->ndata);
        follow(w, n, RD_G_NEXT);
        return;
    case RD_N_ASK: {
        int waiting = 0;
        for (const rd_ref *r = s->names; r; r = r->next) {
            if (!r->decl || c->facts[r->decl->index].state != RD_FV_UNSET) continue;
            const char *q = in_language(c, r->decl->label ? r->decl->label : r->id, r->decl->texts, r->decl->in_library, &fb);
            act(w, RD_ACT_ASK, r->id, q, NULL, fb, 0, node->span);
            waiting = 1;
        }
        if (waiting) return;
        hold(w, actor_of(w, node->performer), node->data, node->ndata);
        follow(w, n, RD_G_NEXT);
        return;
    }
    case RD_N_INFORM:
        if (!node->subject || done(c, RD_EV_INFORM, node->subject->id, NULL)) {
            if (node->subject) trace(w, node->span, "she was told `%s`", node->subject->id);
            follow(w, n, RD_G_NEXT);
            return;
        }
    {
        const char *text = in_language(c, node->subject->label, node->subject->texts, node->subject->in_library, &fb);
        act(w, RD_ACT_INFORM, node->subject->id, text, NULL, fb, 0, node->span);
        return;
    }
    case RD_N_SEEK: {
        const rd_decl *k = node->subject;
        const rd_consent_value *cv = &c->consents[k->index];
        if (cv->state == RD_CS_UNSET) {
            const char *purpose = rd_field_get(k, "purpose");
            char shares[512];
            size_t off = 0;
            shares[0] = '\0';
            for (const rd_ref *r = k->u.flow.shares; r && off < sizeof shares; r = r->next) {
                int wr = snprintf(shares + off, sizeof shares - off, "%s%s", off ? ", " : "", r->decl && r->decl->label ? r->decl->label : r->id);
                if (wr > 0) off += (size_t)wr;
            }
            char with[512];
            off = 0;
            with[0] = '\0';
            for (const rd_ref *r = k->u.flow.with; r && off < sizeof with; r = r->next) {
                int wr = snprintf(with + off, sizeof with - off, "%s%s", off ? ", " : "",
                                  r->decl && r->decl->label ? r->decl->label : r->id);
                if (wr > 0) off += (size_t)wr;
            }
            const char *text = in_language(c, k->label, k->texts, k->in_library, &fb);
            act(w, RD_ACT_SEEK, k->id, text,
                rd_arena_printf(a, "would share %s with %s%s%s", shares, with, purpose ? "; purpose: " : "", purpose ? purpose : ""),
                fb, 0, node->span);
            return;
        }
        int yes = rd_case_consent_active(c, k->index, w->now);
        trace(w, node->span, "consent `%s`: %s", k->id,
              yes ? "granted" : cv->state == RD_CS_REFUSED ? "refused" : "granted, but not in force now (withdrawn or expired)");
        follow(w, n, yes ? RD_G_GRANTED : RD_G_REFUSED);
        return;
    }
    case RD_N_REFER:
        {
            const char *svc = node->subject ? node->subject->id : NULL;
            int made = 0;
            for (uint32_t j = 0; j < node->nto && !made; j++) made = referred(c, g->actors[node->to[j]]->id, svc);
            if (made) {
                trace(w, node->span, "done: %s", rd_graph_node_text_in(g, a, n));
                for (uint32_t j = 0; j < node->nto; j++)
                    if (referred(c, g->actors[node->to[j]]->id, svc)) hold(w, node->to[j], node->data, node->ndata);
                follow(w, n, RD_G_NEXT);
                return;
            }
        }
        act(w, RD_ACT_REFER, node->subject ? node->subject->id : "", rd_graph_node_text_in(g, a, n),
            withheld(w, node, entries(w, node)), 0, 0, node->span);
        return;
    case RD_N_SHARE: {
        /* Done when each datum went to every actor named, and to one actor of each sector named
         * (`with sector health` asks for a health service, not all of them). */
        int all = 1;
        for (uint32_t i = 0; i < node->ndata && all; i++)
            for (const rd_ref *t = s->targets; t && all; t = t->next) {
                rd_ref one = *t;
                one.next = NULL;
                int any = 0;
                for (uint32_t j = 0; j < node->nto && !any; j++)
                    any = rd_flow_actor_in(g, node->to[j], &one) && done(c, RD_EV_SHARE, g->data[node->data[i]]->id, g->actors[node->to[j]]->id);
                all = any;
            }
        if (all) {
            trace(w, node->span, "done: %s", rd_graph_node_text_in(g, a, n));
            for (uint32_t i = 0; i < node->ndata; i++)
                for (uint32_t j = 0; j < node->nto; j++)
                    if (done(c, RD_EV_SHARE, g->data[node->data[i]]->id, g->actors[node->to[j]]->id))
                        hold(w, node->to[j], &node->data[i], 1);
            follow(w, n, RD_G_NEXT);
            return;
        }
        act(w, RD_ACT_SHARE, "", rd_graph_node_text_in(g, a, n), withheld(w, node, NULL), 0, 0, node->span);
        return;
    }
    case RD_N_CHOOSE: {
        const rd_option *o = NULL;
        for (uint32_t e = node->first_out; e < node->first_out + node->nout; e++)
            if (g->edges[e].kind == RD_G_OPTION) o = g->edges[e].option;
        const char *step = node->step->id;
        int chose_any = 0;
        for (size_t i = 0; i < c->nevents; i++) chose_any |= c->events[i].kind == RD_EV_CHOOSE && c->events[i].a == step;
        if (!chose_any) {
            /* one action for the whole choose, listing its options */
            int seen = 0;
            for (size_t i = 0; i < w->noffered && !seen; i++) seen = w->offered[i] == s;
            if (seen) return;
            const rd_stmt **v = realloc(w->offered, (w->noffered + 1) * sizeof *v);
            if (!v) {
                w->failed = 1;
                return;
            }
            w->offered = v;
            w->offered[w->noffered++] = s;
            char *opts = rd_arena_strdup(a, "");
            for (const rd_option *op = s->options; op && opts; op = op->next) {
                int f2 = 0;
                opts = rd_arena_printf(a, "%s%s%s: %s", opts, *opts ? "; " : "", op->id,
                                       in_language(c, op->label, op->texts, node->step->pathway->in_library, &f2));
            }
            const char *text = in_language(c, node->step->label, NULL, node->step->pathway->in_library, &fb);
            act(w, RD_ACT_CHOOSE, step, text, opts, fb, 0, s->span);
            return;
        }
        /* Her choices are all taken together: an option that leaves the step (a goto, an end)
         * does not cancel the others she chose, so the first offer of the chain walks every
         * option she took. What follows the `choose` comes next when she took none of them, or
         * when a body she took falls through: that is the only way to reach a later offer. */
        if (o != s->options) {
            walk_on(w, n, RD_G_SKIP);
            return;
        }
        int any = 0;
        for (uint32_t k = n;;) {
            const rd_gnode *kn = &g->nodes[k];
            uint32_t opt = edge_of(g, k, RD_G_OPTION), skip = edge_of(g, k, RD_G_SKIP);
            const rd_option *ko = opt != UINT32_MAX ? g->edges[opt].option : NULL;
            if (ko && done(c, RD_EV_CHOOSE, step, ko->id)) {
                trace(w, ko->span, "she chose `%s` (%s)", ko->id, ko->label);
                any = 1;
                if (w->taken) w->taken[opt] = 1;
                uint32_t here = w->cur;
                walk(w, g->edges[opt].to);
                w->cur = here;
            }
            if (skip == UINT32_MAX) break;
            uint32_t next = g->edges[skip].to;
            if (g->nodes[next].kind != RD_N_CHOOSE || g->nodes[next].stmt != kn->stmt) {
                if (!any) walk(w, next);
                break;
            }
            k = next;
        }
        return;
    }
    case RD_N_BRANCH: {
        int v = rd_case_cond(c, node->cond);
        trace(w, node->span, "if %s: %s", rd_expr_text_in(a, node->cond), v == 1 ? "yes" : v == 0 ? "no" : "not known, so the `else` way");
        follow(w, n, v == 1 ? RD_G_TRUE : RD_G_FALSE);
        return;
    }
    case RD_N_DUTY: {
        const rd_decl *duty = node->subject;
        uint32_t who = actor_of(w, node->performer);
        int fires = rd_flow_actor_in(g, who, duty->u.duty.applies) && (!duty->u.duty.when || rd_case_cond(c, duty->u.duty.when) == 1);
        for (uint32_t i = 0; i < node->ndata && fires; i++) fires = w->held[(size_t)who * g->ndata + node->data[i]];
        if (fires && !done(c, RD_EV_REPORT, duty->id, NULL)) {
            int told = duty->u.duty.notice && done(c, RD_EV_INFORM, duty->u.duty.notice->id, NULL);
            const char *to = "";
            for (uint32_t j = 0; j < node->nto; j++)
                to = rd_arena_printf(a, "%s%s%s", to, j ? ", " : "", g->actors[node->to[j]]->id);
            act(w, RD_ACT_REPORT, duty->id, duty->label,
                told ? rd_arena_printf(a, "%s reports to %s", g->actors[who]->id, to)
                     : rd_arena_printf(a, "%s reports to %s. THIS CASE BREACHED THE SOP: she was not told of this duty before she disclosed", g->actors[who]->id, to),
                0, !told, duty->span);
        }
        if (fires) {
            trace(w, duty->span, "duty `%s` applies at `%s` (%s): report %s", duty->id, g->actors[who]->id, duty->label,
                  done(c, RD_EV_REPORT, duty->id, NULL) ? "made" : "due");
            for (uint32_t j = 0; j < node->nto; j++) hold(w, node->to[j], node->data, node->ndata);
        }
        follow(w, n, RD_G_NEXT);
        return;
    }
    case RD_N_END:
        act(w, RD_ACT_END, node->step ? node->step->id : "", s && s->text ? s->text : "this branch ends", NULL, 0, 0, node->span);
        return;
    }
}

static int rank(rd_action_kind k)
{
    /* the explanation keeps its own order and comes first */
    static const int order[] = {[RD_ACT_TRACE] = 0, [RD_ACT_ASK] = 1, [RD_ACT_INFORM] = 2, [RD_ACT_SEEK] = 3, [RD_ACT_CHOOSE] = 4,
                                [RD_ACT_REFER] = 5, [RD_ACT_SHARE] = 6, [RD_ACT_REPORT] = 7, [RD_ACT_TELL_AFTER] = 8, [RD_ACT_END] = 9};
    return order[k];
}

static rd_action_list *run(rd_case *c, long long now, int explain, unsigned char *visited, unsigned char *taken);

rd_action_list *rd_case_next(rd_case *c, long long now)
{
    rd_case_lua_budget(c, RD_LUA_QUESTION_INSTRUCTIONS, RD_LUA_QUESTION_MILLISECONDS);
    return run(c, now, 0, NULL, NULL);
}

rd_action_list *rd_case_explain(rd_case *c, long long now)
{
    rd_case_lua_budget(c, RD_LUA_QUESTION_INSTRUCTIONS, RD_LUA_QUESTION_MILLISECONDS);
    return run(c, now, 1, NULL, NULL);
}

rd_action_list *rd_case_trace(rd_case *c, long long now) { return run(c, now, 1, NULL, NULL); }

rd_action_list *rd_case_walk(rd_case *c, long long now, unsigned char *visited, unsigned char *taken)
{
    return run(c, now, 0, visited, taken);
}

uint32_t rd_actions_node(const rd_action_list *l, size_t i) { return l && i < l->n ? l->node[i] : UINT32_MAX; }

uint32_t rd_case_refer_best(rd_case *c, uint32_t n, long long now)
{
    walker w = {.c = c, .now = now};
    uint32_t best[64];
    return n < c->g->nnodes && ranked(&w, &c->g->nodes[n], best) ? best[0] : UINT32_MAX;
}

static rd_action_list *run(rd_case *c, long long now, int explain, unsigned char *visited, unsigned char *taken)
{
    if (!c) return NULL;
    rd_action_list *l = calloc(1, sizeof *l);
    if (!l) return NULL;
    rd_arena_init(&l->arena);
    rd_graph *g = c->g;
    walker w = {.c = c, .out = l, .now = now, .visited = calloc(g->nnodes + 1, 1),
                .held = calloc((size_t)(g->nactors + 1) * (g->ndata + 1), 1), .cur = UINT32_MAX, .taken = taken,
                .explain = explain};
    if (!w.visited || !w.held) w.failed = 1;
    uint32_t start = 0;
    for (uint32_t i = 0; i < g->npathways; i++)
        if (g->pathways[i].decl == c->pathway) start = g->pathways[i].start;
    if (!w.failed) walk(&w, start);
    /* Each use of a permit is told to her on its own: a `told` after it answers the earliest use
     * of that permit not told yet, so one `told` never clears two uses (a call to the police and one
     * to the ambulance are two things she must hear about). */
    size_t uses = 0;
    for (size_t i = 0; i < c->nevents; i++) uses += c->events[i].kind == RD_EV_PERMIT;
    unsigned char *told = uses ? calloc(c->nevents + 1, 1) : NULL;
    if (uses && !told) w.failed = 1;
    for (size_t k = 0; uses && k < c->nevents && !w.failed; k++) {
        if (c->events[k].kind != RD_EV_TOLD) continue;
        for (size_t i = 0; i < k; i++)
            if (c->events[i].kind == RD_EV_PERMIT && !told[i] && c->events[i].a == c->events[k].a) {
                told[i] = 1;
                break;
            }
    }
    for (size_t i = 0; uses && i < c->nevents && !w.failed; i++) {
        const rd_event *e = &c->events[i];
        if (e->kind != RD_EV_PERMIT || told[i]) continue;
        const rd_decl *pm = rd_lookup(c->p, RD_D_PERMIT, e->a);
        w.cur = UINT32_MAX;
        act(&w, RD_ACT_TELL_AFTER, e->a,
            e->data ? rd_arena_printf(&l->arena, "tell her that `%s` was sent to `%s` without her consent under this permit, and why", e->data, e->b)
                    : "tell her what was shared under the permit, with whom, and why",
            pm ? pm->label : NULL, 0, 0, pm ? pm->span : (rd_span){0, 0, 0, 0, 0});
    }
    /* Opened under another text of the SOP: what she answered then is read as she answered it. */
    char hash[17];
    if (c->opened_under && !w.failed && (rd_program_hash(c->p, hash), strcmp(c->opened_under, hash) != 0)) {
        w.cur = UINT32_MAX;
        act(&w, RD_ACT_TRACE, "", "this case was opened under another text of the SOP: her answers cover what the consents "
                                  "said when she gave them",
            NULL, 0, 0, (rd_span){0, 0, 0, 0, 0});
    }
    /* A grant given to an earlier text of the consent covers what that text said, no more: the
     * rest needs her answer again. */
    for (uint32_t k = 0; !w.failed && k < g->nconsents; k++) {
        if (c->consents[k].state != RD_CS_GRANTED || !rd_case_consent_changed(c, k)) continue;
        const rd_decl *cd = g->consents[k];
        w.cur = UINT32_MAX;
        act(&w, RD_ACT_SEEK, cd->id,
            rd_arena_printf(&l->arena, "ask her again: `%s` now shares more, or with more recipients, than when she "
                                       "answered; her grant covers only what she was told then", cd->id),
            cd->label, 0, 0, cd->span);
    }
    /* A computed fact whose Lua failed counts as unknown: say so, so that nobody takes what does not
     * apply because of it for the SOP's intent. */
    for (uint32_t i = 0; c->lua && !w.failed && i < g->nfacts; i++) {
        const rd_decl *f = g->facts[i];
        if (!f->u.fact.lua || !c->lua_failed[i] || c->lua_gen[i] != c->gen + 1) continue;
        w.cur = UINT32_MAX;
        act(&w, RD_ACT_TRACE, f->id,
            rd_arena_printf(&l->arena, "computed fact `%s` has no value: %s; it counts as unknown", f->id, c->lua_failed[i]),
            NULL, 0, 0, f->u.fact.lua_span);
    }
    free(told);
    for (uint32_t i = 0; visited && !w.failed && i < g->nnodes; i++) visited[i] |= w.visited[i];
    free(w.visited);
    free(w.held);
    free(w.offered);
    if (w.failed) {
        rd_actions_free(l);
        return NULL;
    }
    /* stable: the walk's order within a kind */
    for (size_t i = 1; i < l->n; i++)
        for (size_t k = i; k > 0 && rank(l->v[k].kind) < rank(l->v[k - 1].kind); k--) {
            rd_action t = l->v[k];
            l->v[k] = l->v[k - 1];
            l->v[k - 1] = t;
            uint32_t tn = l->node[k];
            l->node[k] = l->node[k - 1];
            l->node[k - 1] = tn;
        }
    return l;
}
