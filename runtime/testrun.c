/* `rightdoor test`: runs the SOP's `test` blocks (language.md section 7) through the runtime, the
 * same code that answers apps, so a test passes only if a real case would go that way.
 *
 * A test is one case. Everything it says about her is known from the start: the facts it gives,
 * the facts she declines to answer (unknown), her answer to each consent and the options she
 * chooses. The runner then plays the worker: it asks the runtime what to do next and does it
 * (gives each notice, makes each referral to the first directory entry offered, makes each share
 * and each report due), round after round, until nothing more can be done. What is left waiting
 * is a question, a consent or a choice the test does not answer; the walk stops there, as a real
 * case would, and the output says so. The expectations are then checked against what happened.
 *
 * Tests run at a fixed time, so that the ranking of referrals by opening hours cannot make a
 * test pass on Monday and fail on Sunday. */
#include "case.h"
#include "check.h"
#include "lua_sandbox.h"
#include <stdlib.h>
#include <string.h>

/* Wednesday 1 May 2024, 10:00 UTC: a working day, in working hours in every SOP's time zone
 * from UTC-2 to UTC+7. */
#define TEST_NOW 1714557600LL

typedef struct flow {
    uint32_t data, to, node;
    const char *how; /* "share", "referral", "report" */
} flow;

typedef struct referral {
    uint32_t to, node;
    const rd_decl *service;
} referral;

typedef struct run {
    rd_program *p;
    rd_graph *g;
    rd_case *c;
    unsigned char *visited; /* by node, over every round */
    unsigned char *taken;   /* by edge */
    flow *flows;
    size_t nflows, capflows;
    referral *refs;
    size_t nrefs, caprefs;
    const rd_decl **reports;
    size_t nreports, capreports;
    const char *waiting[16]; /* what the walk stopped at, in words */
    size_t nwaiting;
    int ended, breach, failed;
    const char *refused; /* the runtime refused something the runner did, or it never settled */
    char err[256];
} run;

static int grow(void **v, size_t *cap, size_t n, size_t size)
{
    if (n < *cap) return 0;
    size_t nc = *cap ? *cap * 2 : 16;
    void *nv = realloc(*v, nc * size);
    if (!nv) return -1;
    *v = nv;
    *cap = nc;
    return 0;
}

static void add_flow(run *r, uint32_t data, uint32_t to, uint32_t node, const char *how)
{
    if (grow((void **)&r->flows, &r->capflows, r->nflows, sizeof *r->flows)) {
        r->failed = 1;
        return;
    }
    r->flows[r->nflows++] = (flow){data, to, node, how};
}

static void wait_for(run *r, rd_arena *a, const char *what, const char *name)
{
    if (r->nwaiting < sizeof r->waiting / sizeof *r->waiting)
        r->waiting[r->nwaiting++] = rd_arena_printf(a, "%s `%s`", what, name);
}

static const char *source_path(const rd_program *p, rd_span at)
{
    return at.file < p->sources.n ? p->sources.v[at.file].path : "?";
}

/* Sets up the case as the test describes her. 0, or -1 when the runtime refuses it (r->err). */
static int describe(run *r, const rd_decl *t)
{
    rd_case *c = r->c;
    for (const rd_titem *it = t->u.test.items; it; it = it->next) {
        rd_status st = RD_OK;
        switch (it->kind) {
        case RD_TI_GIVEN:
            for (const rd_given *gv = it->given; gv; gv = gv->next)
                if (gv->fact.decl && gv->value) c->facts[gv->fact.decl->index] = (rd_fact_value){RD_FV_SET, gv->value->value};
            break;
        case RD_TI_DECLINE:
            for (const rd_ref *n = it->names; n; n = n->next)
                if (n->decl) c->facts[n->decl->index] = (rd_fact_value){RD_FV_UNKNOWN, 0};
            break;
        case RD_TI_GRANT:
        case RD_TI_REFUSE:
            for (const rd_ref *n = it->names; n && st == RD_OK; n = n->next)
                st = rd_case_decide(c, n->id, it->kind == RD_TI_GRANT, TEST_NOW - 60, r->err, sizeof r->err);
            break;
        case RD_TI_CHOOSE:
            for (const rd_ref *n = it->names; n && st == RD_OK; n = n->next)
                st = rd_case_record(c, "choose", n->id, n->sub, NULL, TEST_NOW - 60, r->err, sizeof r->err);
            break;
        default: break;
        }
        if (st == RD_ERR_NOMEM) r->failed = 1;
        if (st != RD_OK) return -1;
    }
    c->gen++; /* facts were written directly: nothing computed before is current */
    return 0;
}

/* Does what the runtime says is next, once. 1 when something was done, 0 when the walk waits
 * only for what the test does not answer, -1 on failure. */
static int round_once(run *r, rd_arena *scratch)
{
    rd_case *c = r->c;
    rd_graph *g = r->g;
    rd_action_list *l = rd_case_walk(c, TEST_NOW, r->visited, r->taken);
    if (!l) return -1;
    int progress = 0;
    r->nwaiting = 0;
    rd_status st = RD_OK;
    for (size_t i = 0; i < rd_actions_len(l) && st == RD_OK; i++) {
        const rd_action *a = rd_actions_get(l, i);
        uint32_t n = rd_actions_node(l, i);
        const rd_gnode *node = n < g->nnodes ? &g->nodes[n] : NULL;
        switch (a->kind) {
        case RD_ACT_ASK: wait_for(r, scratch, "an answer to", a->name); break;
        case RD_ACT_SEEK: wait_for(r, scratch, "her answer to consent", a->name); break;
        case RD_ACT_CHOOSE: wait_for(r, scratch, "her choice at step", a->name); break;
        case RD_ACT_INFORM:
            st = rd_case_record(c, "inform", a->name, NULL, NULL, TEST_NOW, r->err, sizeof r->err);
            progress = 1;
            break;
        case RD_ACT_REFER: {
            if (!node) break;
            uint32_t to = rd_case_refer_best(c, n, TEST_NOW);
            if (to == UINT32_MAX) {
                wait_for(r, scratch, "an actor who provides", node->subject ? node->subject->id : "?");
                break;
            }
            st = rd_case_record(c, "refer", g->actors[to]->id, node->subject ? node->subject->id : NULL, NULL, TEST_NOW,
                                r->err, sizeof r->err);
            if (grow((void **)&r->refs, &r->caprefs, r->nrefs, sizeof *r->refs)) return -1;
            r->refs[r->nrefs++] = (referral){to, n, node->subject};
            for (uint32_t d = 0; d < node->ndata; d++) add_flow(r, node->data[d], to, n, "referral");
            progress = 1;
            break;
        }
        case RD_ACT_SHARE:
            if (!node) break;
            /* to each actor named, and to the first actor of each sector named */
            progress = 1;
            for (const rd_ref *t = node->stmt->targets; t && st == RD_OK; t = t->next) {
                rd_ref one = *t;
                one.next = NULL;
                uint32_t to = UINT32_MAX;
                for (uint32_t j = 0; j < node->nto && to == UINT32_MAX; j++)
                    if (rd_flow_actor_in(g, node->to[j], &one)) to = node->to[j];
                if (to == UINT32_MAX) {
                    wait_for(r, scratch, "an actor of", t->id);
                    progress = 0;
                }
                for (uint32_t d = 0; d < node->ndata && to != UINT32_MAX && st == RD_OK; d++) {
                    st = rd_case_record(c, "share", g->data[node->data[d]]->id, g->actors[to]->id, NULL, TEST_NOW, r->err,
                                        sizeof r->err);
                    add_flow(r, node->data[d], to, n, "share");
                }
            }
            break;
        case RD_ACT_REPORT:
            if (!node) break;
            st = rd_case_record(c, "report", a->name, NULL, NULL, TEST_NOW, r->err, sizeof r->err);
            if (grow((void **)&r->reports, &r->capreports, r->nreports, sizeof *r->reports)) return -1;
            r->reports[r->nreports++] = node->subject;
            r->breach |= a->breach;
            for (uint32_t d = 0; d < node->ndata; d++)
                for (uint32_t j = 0; j < node->nto; j++) add_flow(r, node->data[d], node->to[j], n, "report");
            progress = 1;
            break;
        case RD_ACT_END: r->ended = 1; break;
        case RD_ACT_TELL_AFTER:
        case RD_ACT_TRACE: break;
        }
    }
    rd_actions_free(l);
    if (st == RD_ERR_NOMEM || r->failed) return -1;
    if (st != RD_OK) {
        r->refused = r->err;
        return 0;
    }
    return progress;
}

/* ---- expectations ----------------------------------------------------------------------------- */

static int names_has(const rd_ref *list, const char *id)
{
    for (; list; list = list->next)
        if (!strcmp(list->id, id)) return 1;
    return 0;
}

/* The first node of kind k the walk visited whose subject (or, for asks, whose facts; for steps,
 * whose step) is `id`; UINT32_MAX when none. */
static uint32_t visited_node(const run *r, rd_gnode_kind k, const char *id)
{
    for (uint32_t n = 0; n < r->g->nnodes; n++) {
        const rd_gnode *node = &r->g->nodes[n];
        if (!r->visited[n] || node->kind != k) continue;
        if (k == RD_N_STEP ? !strcmp(node->step->id, id)
            : k == RD_N_ASK ? node->stmt && names_has(node->stmt->names, id)
                            : node->subject && !strcmp(node->subject->id, id))
            return n;
    }
    return UINT32_MAX;
}

static int flow_matches(const run *r, const flow *f, const rd_titem *t)
{
    if (!rd_flow_actor_in(r->g, f->to, t->targets)) return 0;
    if (!t->data) return 1;
    for (const rd_ref *d = t->data; d; d = d->next)
        if (d->decl && rd_flow_discloses(r->g, f->data, d->decl->index)) return 1;
    return 0;
}

static int ref_matches(const run *r, const referral *f, const rd_titem *t)
{
    return rd_flow_actor_in(r->g, f->to, t->targets) && (!t->service || (f->service && !strcmp(f->service->id, t->service->id)));
}

static const char *refs_text(rd_arena *a, const rd_ref *list, const char *sep)
{
    const char *s = "";
    for (const rd_ref *x = list; x; x = x->next)
        s = rd_arena_printf(a, "%s%s%s%s", s, *s ? sep : "", x->tag == RD_REF_SECTOR ? "sector " : "", x->id);
    return s;
}

/* The expectation as the test wrote it. */
static const char *expect_text(rd_arena *a, const rd_titem *t)
{
    static const char *const verb[] = {"step", "ask", "notice", "seek", "share", "refer", "report", "end"};
    const char *s = rd_arena_printf(a, "expect %s%s", t->negated ? "no " : "", verb[t->expect]);
    if (t->names) s = rd_arena_printf(a, "%s %s", s, t->names->id);
    if (t->data) s = rd_arena_printf(a, "%s of %s", s, refs_text(a, t->data, ", "));
    if (t->targets) s = rd_arena_printf(a, "%s to %s", s, refs_text(a, t->targets, ", "));
    if (t->service) s = rd_arena_printf(a, "%s for %s", s, t->service->id);
    return s;
}

static unsigned node_line(const run *r, uint32_t n) { return n < r->g->nnodes ? r->g->nodes[n].span.line : 0; }

/* Checks one expectation. NULL when it holds, or what happened instead, in words. */
static const char *check_expect(const run *r, rd_arena *a, const rd_titem *t)
{
    rd_graph *g = r->g;
    const char *id = t->names ? t->names->id : NULL;
    switch (t->expect) {
    case RD_X_STEP:
    case RD_X_ASK:
    case RD_X_NOTICE:
    case RD_X_SEEK: {
        static const rd_gnode_kind kinds[] = {[RD_X_STEP] = RD_N_STEP, [RD_X_ASK] = RD_N_ASK, [RD_X_NOTICE] = RD_N_INFORM,
                                              [RD_X_SEEK] = RD_N_SEEK};
        static const char *const done[] = {[RD_X_STEP] = "the case reached step", [RD_X_ASK] = "she was asked",
                                           [RD_X_NOTICE] = "she was told", [RD_X_SEEK] = "her consent was sought for"};
        static const char *const never[] = {[RD_X_STEP] = "the case never reached step", [RD_X_ASK] = "she was never asked",
                                            [RD_X_NOTICE] = "she was never told", [RD_X_SEEK] = "her consent was never sought for"};
        uint32_t n = visited_node(r, kinds[t->expect], id);
        if ((n != UINT32_MAX) != t->negated) return NULL;
        return n == UINT32_MAX ? rd_arena_printf(a, "%s `%s`", never[t->expect], id)
                               : rd_arena_printf(a, "%s `%s` (line %u)", done[t->expect], id, node_line(r, n));
    }
    case RD_X_SHARE: {
        const char *seen = "";
        for (size_t i = 0; i < r->nflows; i++) {
            const flow *f = &r->flows[i];
            if (t->negated ? !flow_matches(r, f, t) : !rd_flow_actor_in(g, f->to, t->targets)) continue;
            seen = rd_arena_printf(a, "%s%s`%s` went to `%s` (%s, line %u)", seen, *seen ? "; " : "", g->data[f->data]->id,
                                   g->actors[f->to]->id, f->how, node_line(r, f->node));
        }
        int any = 0;
        for (size_t i = 0; i < r->nflows && !any; i++) any = flow_matches(r, &r->flows[i], t);
        if (any != t->negated) return NULL;
        if (t->negated) return seen;
        return *seen ? rd_arena_printf(a, "only this went there: %s", seen)
                     : rd_arena_printf(a, "nothing went to %s", refs_text(a, t->targets, " or "));
    }
    case RD_X_REFER: {
        const char *seen = "";
        int any = 0;
        for (size_t i = 0; i < r->nrefs; i++) {
            const referral *f = &r->refs[i];
            int m = ref_matches(r, f, t);
            any |= m;
            if (t->negated && !m) continue;
            seen = rd_arena_printf(a, "%s%s`%s`%s%s (line %u)", seen, *seen ? "; " : "", g->actors[f->to]->id,
                                   f->service ? " for " : "", f->service ? f->service->id : "", node_line(r, f->node));
        }
        if (any != t->negated) return NULL;
        if (t->negated) return rd_arena_printf(a, "she was referred to %s", seen);
        return *seen ? rd_arena_printf(a, "the referrals made were: %s", seen) : "no referral was made";
    }
    case RD_X_REPORT: {
        const char *seen = "";
        int any = 0;
        for (size_t i = 0; i < r->nreports; i++) {
            int m = !id || !strcmp(r->reports[i]->id, id);
            any |= m;
            if (m || !t->negated) seen = rd_arena_printf(a, "%s%s`%s`", seen, *seen ? ", " : "", r->reports[i]->id);
        }
        if (any != t->negated) return NULL;
        if (t->negated) return rd_arena_printf(a, "a report was made: %s", seen);
        return *seen ? rd_arena_printf(a, "the reports made were: %s", seen) : "no report was made";
    }
    case RD_X_END:
        if (r->ended != t->negated) return NULL;
        return r->ended ? "a branch of the case ended" : "no branch of the case reached an end";
    }
    return NULL;
}

/* ---- one test, every test --------------------------------------------------------------------- */

static const rd_decl *test_pathway(rd_program *p, const rd_decl *t)
{
    for (const rd_titem *it = t->u.test.items; it; it = it->next)
        if (it->kind == RD_TI_PATHWAY && it->names) return rd_lookup(p, RD_D_PATHWAY, it->names->id);
    return NULL;
}

static uint32_t test_actor(const rd_graph *g, const rd_decl *t, const rd_decl *pw)
{
    for (const rd_titem *it = t->u.test.items; it; it = it->next)
        if (it->kind == RD_TI_BY && it->names && it->names->decl) return it->names->decl->index;
    for (uint32_t i = 0; i < g->npathways; i++)
        if (g->pathways[i].decl == pw && g->pathways[i].nentry) return g->pathways[i].entry[0];
    return UINT32_MAX;
}

/* How the case went, as rd_case_explain tells it, for a failing test. */
static void print_path(rd_case *c, FILE *out)
{
    rd_action_list *l = rd_case_trace(c, TEST_NOW);
    fprintf(out, "  the way the case went:\n");
    for (size_t i = 0; i < rd_actions_len(l); i++) {
        const rd_action *a = rd_actions_get(l, i);
        if (a->kind == RD_ACT_TRACE) fprintf(out, "    line %u: %s\n", a->line, a->text);
    }
    rd_actions_free(l);
}

/* What is left of the Lua budget of the whole run: every test's case draws on it in turn. */
typedef struct lua_left { unsigned long instructions, milliseconds; } lua_left;

/* Runs test t. 1 passed, 0 failed, -1 out of memory. Adds to the coverage in `taken`. */
static int run_test(rd_program *p, const rd_decl *t, unsigned char *taken, lua_left *lua, FILE *out)
{
    rd_graph *g = p->graph;
    const rd_decl *pw = test_pathway(p, t);
    uint32_t by = pw ? test_actor(g, t, pw) : UINT32_MAX;
    const char *path = source_path(p, t->span);
    if (!pw || by == UINT32_MAX) {
        fprintf(out, "%s:%u: test \"%s\": FAILED\n  the test names no pathway with an actor to open the case\n", path,
                t->span.line, t->label);
        return 0;
    }
    run r = {.p = p, .g = g, .c = rd_case_blank(p, pw, by), .visited = calloc(g->nnodes + 1, 1), .taken = taken};
    rd_arena scratch;
    rd_arena_init(&scratch);
    int result = -1;
    if (!r.c || !r.visited) goto done;
    rd_case_lua_budget(r.c, lua->instructions, lua->milliseconds);
    if (describe(&r, t)) {
        if (r.failed) goto done;
        r.refused = r.err;
    }
    /* Each round does at least one new thing, and there are fewer things to do than nodes. */
    uint32_t rounds = 0;
    for (int more = !r.refused; more; rounds++) {
        more = round_once(&r, &scratch);
        if (more < 0) goto done;
        if (more && rounds > g->nnodes + 8) {
            r.refused = "the case never settled: the runner kept finding new things to do";
            break;
        }
    }
    if (r.c->lua) rd_lua_budget_left(r.c->lua, &lua->instructions, &lua->milliseconds);
    const char *first = NULL;
    int ok = !r.refused;
    for (const rd_titem *it = t->u.test.items; it; it = it->next) {
        if (it->kind != RD_TI_EXPECT) continue;
        const char *why = check_expect(&r, &scratch, it);
        if (!why) continue;
        if (ok) fprintf(out, "%s:%u: test \"%s\": FAILED\n", path, t->span.line, t->label);
        ok = 0;
        first = first ? first : why;
        fprintf(out, "  line %u: %s\n    but %s\n", it->span.line, expect_text(&scratch, it), why);
    }
    if (r.refused) fprintf(out, "%s:%u: test \"%s\": FAILED\n  the runtime refused what the test describes: %s\n", path,
                           t->span.line, t->label, r.refused);
    if (ok) {
        fprintf(out, "%s:%u: test \"%s\": ok", path, t->span.line, t->label);
        if (r.nwaiting) fprintf(out, " (the case stops waiting for %s%s)", r.waiting[0], r.nwaiting > 1 ? ", and more" : "");
        fputc('\n', out);
    } else {
        print_path(r.c, out);
        for (size_t i = 0; i < r.nwaiting; i++) fprintf(out, "  it stops waiting for %s, which the test does not give\n", r.waiting[i]);
        if (r.breach) fprintf(out, "  a report was made before she was told of the duty\n");
        for (uint32_t i = 0; r.c->lua && i < r.c->g->nfacts; i++)
            if (r.c->lua_failed[i])
                fprintf(out, "  computed fact `%s` stayed unknown: %s\n", r.c->g->facts[i]->id, r.c->lua_failed[i]);
    }
    result = ok;
done:
    rd_case_free(r.c);
    free(r.visited);
    free(r.flows);
    free(r.refs);
    free(r.reports);
    rd_arena_release(&scratch);
    return result;
}

/* ---- coverage --------------------------------------------------------------------------------- */

static int is_branch(rd_gedge_kind k)
{
    return k == RD_G_TRUE || k == RD_G_FALSE || k == RD_G_GRANTED || k == RD_G_REFUSED || k == RD_G_OPTION;
}

static int by_place(const void *x, const void *y)
{
    const rd_gnode *a = *(const rd_gnode *const *)x, *b = *(const rd_gnode *const *)y;
    if (a->span.file != b->span.file) return a->span.file < b->span.file ? -1 : 1;
    if (a->span.line != b->span.line) return a->span.line < b->span.line ? -1 : 1;
    return a->span.col < b->span.col ? -1 : a->span.col > b->span.col;
}

/* The branches no test took, in source order. -1 when out of memory. */
static int print_coverage(rd_program *p, const unsigned char *taken, FILE *out, rd_test_summary *sum)
{
    rd_graph *g = p->graph;
    size_t total = 0, covered = 0, nmiss = 0;
    const rd_gnode **miss = calloc(g->nedges + 1, sizeof *miss);
    if (!miss) return -1;
    for (uint32_t e = 0; e < g->nedges; e++) {
        const rd_gnode *from = &g->nodes[g->edges[e].from];
        if (!is_branch(g->edges[e].kind) || from->pathway->in_library) continue;
        total++;
        covered += taken[e] != 0;
        if (!taken[e]) miss[nmiss++] = from;
    }
    /* One node has at most two branch edges; sort the nodes, then list their edges. */
    qsort(miss, nmiss, sizeof *miss, by_place);
    rd_arena a;
    rd_arena_init(&a);
    fprintf(out, "coverage: %zu of %zu branches taken by a test\n", covered, total);
    for (size_t i = 0; i < nmiss; i++) {
        if (i && miss[i] == miss[i - 1]) continue;
        const rd_gnode *from = miss[i];
        for (uint32_t e = from->first_out; e < from->first_out + from->nout; e++) {
            const rd_gedge *ed = &g->edges[e];
            if (!is_branch(ed->kind) || taken[e]) continue;
            const char *what = "";
            switch (ed->kind) {
            case RD_G_TRUE: what = rd_arena_printf(&a, "if %s: no test makes it true", rd_expr_text_in(&a, from->cond)); break;
            case RD_G_FALSE:
                what = rd_arena_printf(&a, "if %s: no test makes it false or unknown (the `else` way)", rd_expr_text_in(&a, from->cond));
                break;
            case RD_G_GRANTED: what = rd_arena_printf(&a, "seek %s: no test has her grant it", from->subject->id); break;
            case RD_G_REFUSED: what = rd_arena_printf(&a, "seek %s: no test has her refuse it", from->subject->id); break;
            case RD_G_OPTION: what = rd_arena_printf(&a, "choose: no test chooses `%s`", ed->option ? ed->option->id : "?"); break;
            default: break;
            }
            fprintf(out, "  %s:%u: step %s: %s\n", source_path(p, from->span), from->span.line, from->step->id, what);
        }
    }
    rd_arena_release(&a);
    free(miss);
    if (sum) {
        sum->branches = total;
        sum->covered = covered;
    }
    return 0;
}

rd_status rd_testrun(rd_program *p, FILE *out, int coverage, rd_test_summary *sum)
{
    if (sum) *sum = (rd_test_summary){0};
    if (!p || !out) return RD_ERR_IO;
    if (!rd_program_graph(p)) return RD_ERR_NOMEM;
    unsigned char *taken = calloc(p->graph->nedges + 1, 1);
    if (!taken) return RD_ERR_NOMEM;
    size_t passed = 0, failed = 0;
    rd_status st = RD_OK;
    lua_left lua = {RD_LUA_TESTS_INSTRUCTIONS, RD_LUA_TESTS_MILLISECONDS};
    for (const rd_decl *d = p->decls; d && st == RD_OK; d = d->next) {
        if (d->kind != RD_D_TEST || d->in_library) continue;
        int res = run_test(p, d, taken, &lua, out);
        if (res < 0) st = RD_ERR_NOMEM;
        else if (res) passed++;
        else failed++;
    }
    if (st == RD_OK && coverage && print_coverage(p, taken, out, sum)) st = RD_ERR_NOMEM;
    if (st == RD_OK) {
        if (!passed && !failed) fprintf(out, "no tests: write `test` blocks to try the SOP on situations (docs/syntax.md, Tests)\n");
        fprintf(out, "%zu passed, %zu failed\n", passed, failed);
    }
    free(taken);
    if (sum) {
        sum->passed = passed;
        sum->failed = failed;
    }
    if (st == RD_OK && (fflush(out) != 0 || ferror(out))) st = RD_ERR_IO;
    return st;
}
