/* The decision graph as a Promela model for SPIN (`rightdoor graph FILE.sop --format promela`).
 *
 * Why: the verifier (verify.c) proves principles with a BDD fixpoint; SPIN proves the same
 * properties by enumerating states. Running both on the same graph checks each against the other
 * (tests/spin/) and measures what the fixpoint saves (bench/bench_spin.sh). The model is written
 * from the graph and the language's rules, not from the verifier's internals: only where a branch
 * stops deciding what follows (its immediate post-dominator, rd_postdom_compute) is shared.
 *
 * What is modelled. One case, walked along the graph by one process:
 *  - facts: one value per case, three-valued (a bool is false, true or unknown; an enum one of its
 *    values or unknown; an int one of the intervals cut by the constants the program compares it
 *    with, or unknown; two int facts compared with each other share a below/equal/above variable).
 *    A value is chosen nondeterministically the first time a condition on the path reads the fact
 *    and then stays (the same cases as choosing all of them at the start, fewer states). A computed
 *    fact (`= expr`) is its expression; a Lua-computed fact takes any value of its type. Conditions
 *    follow Kleene logic: unknown makes neither side hold, and `else` is taken;
 *  - consents: one outcome per case, chosen the first time one is sought;
 *  - the provider: one of the pathway's entry actors, chosen at the start; which pathway: any;
 *  - `choose`: each offer is taken or passed over, as the graph lays them out, so one walk takes
 *    any subset of the options in order. Not modelled: an option that leaves the step (a `goto`
 *    or `end` in it) chosen together with a later option of the same `choose`; the walk that takes
 *    it passes no later offer, and the branches she would then have open at once are not run side
 *    by side. (The verifier covers that case through its merge of what actors may hold.);
 *  - which actor holds which data: only the pairs a duty could need (an actor it applies to and a
 *    category it reports), each a bit; acquiring a category sets the bits of everything it
 *    `reveals`, transitively. An actor acquires by `record`, by `ask` of a fact that reveals data,
 *    by a share or referral to it, by a duty firing at it, and (for duties only) by a permit whose
 *    condition holds at the start of a step;
 *  - duties fire at a duty node of the graph when the actor it applies to holds everything it
 *    reports and its `when` holds; firing sends the reported data to the recipients;
 *  - `never D reaches T` (D by name, `protected` or `identifying`, closed under `reveals`; T actors
 *    and `sector X`): fails when an actor of T records, is asked for or is sent D by a share,
 *    referral or duty firing; when a flow to an actor of T (a share, a referral, a duty firing, a
 *    step handed to it) happens while control depends on a branch reading a fact that reveals D
 *    (until that branch's post-dominator); when a firing duty whose `when` reads such a fact reports
 *    to T; and when a permit to T of D (or whose condition reads such a fact) holds at a step;
 *  - `every report requires notice`: fails when a duty fires that has no notice, or whose actor
 *    acquired some of what it reports, on this path, before the notice was given.
 * Each principle of those two forms is a bit set when it fails and an LTL formula `[] !bit`, named
 * p_<principle>, so `pan -N p_<principle>` checks one principle per run; `pan -N all_principles` checks them
 * all in one search (one pass over the states instead of one per principle).
 *
 * Encoding for SPIN (its manual, "Optimizing the verification"): every variable is a bit or a bit
 * field of the width its codes need (a compact state vector); each node, and each straight run of
 * nodes no other edge enters, is one atomic sequence, so a state is stored only where the walk
 * branches or joins. There is one process, so partial-order reduction has nothing to reorder; the
 * model is safety only (compile pan with -DSAFETY). Bit-state hashing is not for verdicts.
 *
 * Not modelled (no bit, no formula): `never record`, `every share of D requires consent`,
 * `every refer to T requires consent`, `every refusal reaches S`, `every entry reaches
 * specialist`, `every notice translated`, Lua audit checks, only the first form of a principle
 * that has several (as the verifier), `unless`, waivers (a waived failure still fails here) and
 * severity; structural checks (loops that never wait for her); time-limited or withdrawn consents
 * (the runtime's business). */
#include "promela.h"
#include "flow.h"
#include "parse.h"
#include "postdom.h"
#include "strbuf.h"
#include "verify.h"
#include <stdlib.h>
#include <string.h>

/* ---- what the model needs to know about the program ------------------------------------------ */

typedef struct fenc {
    uint32_t ncodes;        /* valid codes 0..ncodes-1, the last "unknown"; ncodes itself: not chosen */
    long long *cuts;        /* int facts: the constants compared with, ascending, distinct */
    uint32_t ncuts;
} fenc;

typedef struct relv { uint32_t a, b; } relv; /* int facts a < b (indexes) compared with each other */

typedef struct taint { uint32_t q, branch, ipdom; } taint;

typedef struct pp {
    const rd_decl *decl;
    rd_prop_kind kind;
    unsigned char *data;    /* by data index: protected, with what reveals it */
    unsigned char *actor;   /* by actor index: a target */
    unsigned char *tfact;   /* by fact index: its value reveals protected data */
} pp;

typedef struct model {
    const rd_graph *g;
    rd_program *p;
    rd_sb out;
    fenc *f;
    relv rel[RD_VERIFY_MAX_RELATIONS];
    uint32_t nrel;
    pp *props;
    uint32_t nprops;
    taint *taints;
    uint32_t ntaints;
    uint32_t *taint_start, *taint_of;  /* taints set at each branch node (CSR) */
    uint32_t *clear_start, *clear_of;  /* taints cleared on arriving at each node (CSR) */
    unsigned char *pair;    /* actor * ndata + data: a duty applies to the actor and reports the data */
    const rd_decl **notices;
    uint32_t nnotices;
    unsigned char *mark;    /* scratch, by fact index, for the facts a condition reads (computed ones too) */
    unsigned char *rmark;   /* scratch, by relation */
    uint32_t *dorder;       /* the computed facts, each after those it reads */
    uint32_t ndorder;
    int nomem;
} model;

static unsigned bits_for(uint32_t n)
{
    unsigned b = 0;
    while ((1ull << b) < n) b++;
    return b ? b : 1;
}

static uint32_t duty_index(const model *M, const rd_decl *d)
{
    for (uint32_t i = 0; i < M->g->nduties; i++)
        if (M->g->duties[i] == d) return i;
    return UINT32_MAX;
}

static uint32_t notice_index(model *M, const rd_decl *n)
{
    for (uint32_t i = 0; i < M->nnotices; i++)
        if (M->notices[i] == n) return i;
    return UINT32_MAX;
}

/* Every condition of the program. */
static void walk_block(const rd_block *b, void (*fn)(model *, const rd_expr *), model *M)
{
    if (!b) return;
    for (const rd_stmt *s = b->first; s; s = s->next) {
        if (s->cond) fn(M, s->cond);
        walk_block(s->then_b, fn, M);
        walk_block(s->else_b, fn, M);
        for (const rd_option *o = s->options; o; o = o->next) walk_block(o->body, fn, M);
    }
}

static void each_cond(model *M, void (*fn)(model *, const rd_expr *))
{
    for (rd_decl *d = M->p->decls; d; d = d->next) {
        if (d->kind == RD_D_FACT && d->u.fact.derived) fn(M, d->u.fact.derived);
        if (d->kind == RD_D_PERMIT && d->u.flow.when) fn(M, d->u.flow.when);
        if (d->kind == RD_D_DUTY && d->u.duty.when) fn(M, d->u.duty.when);
        if (d->kind == RD_D_PATHWAY)
            for (rd_step *s = d->u.pathway.steps; s; s = s->next) walk_block(s->body, fn, M);
    }
}

static int is_base(const rd_decl *f) { return f && !f->u.fact.derived; }

/* The int fact a comparison reads against a constant, and the constant; NULL when not that shape. */
static const rd_expr *int_vs_const(const rd_expr *e, const rd_expr **value)
{
    if (e->kind != RD_E_CMP) return NULL;
    if (e->a->fact && e->a->type == RD_T_INT && e->b->kind == RD_E_INT) {
        *value = e->b;
        return e->a;
    }
    if (e->b->fact && e->b->type == RD_T_INT && e->a->kind == RD_E_INT) {
        *value = e->a;
        return e->b;
    }
    return NULL;
}

static void gather(model *M, const rd_expr *e)
{
    if (!e || M->nomem) return;
    const rd_expr *v = NULL, *f = int_vs_const(e, &v);
    if (f && is_base(f->fact)) {
        fenc *x = &M->f[f->fact->index];
        long long *c = realloc(x->cuts, (x->ncuts + 1) * sizeof *c);
        if (!c) {
            M->nomem = 1;
            return;
        }
        x->cuts = c;
        x->cuts[x->ncuts++] = v->value;
    }
    if (e->kind == RD_E_CMP && e->a->fact && e->b->fact && e->a->type == RD_T_INT && e->b->type == RD_T_INT &&
        e->a->fact != e->b->fact && is_base(e->a->fact) && is_base(e->b->fact)) {
        uint32_t a = e->a->fact->index, b = e->b->fact->index;
        if (a > b) {
            uint32_t t = a;
            a = b;
            b = t;
        }
        int have = 0;
        for (uint32_t i = 0; i < M->nrel && !have; i++) have = M->rel[i].a == a && M->rel[i].b == b;
        if (!have && M->nrel < RD_VERIFY_MAX_RELATIONS) M->rel[M->nrel++] = (relv){a, b};
    }
    gather(M, e->a);
    gather(M, e->b);
}

static void order_expr(model *M, const rd_expr *e, int depth);

/* Appends computed fact f to dorder (once: mark), after the computed facts it reads. */
static void order_fact(model *M, const rd_decl *f, int depth)
{
    if (!f->u.fact.derived || M->mark[f->index]) return;
    M->mark[f->index] = 1;
    order_expr(M, f->u.fact.derived, depth + 1);
    M->dorder[M->ndorder++] = f->index;
}

static void order_expr(model *M, const rd_expr *e, int depth)
{
    if (!e || depth > RD_MAX_DEPTH) return;
    if (e->fact) order_fact(M, e->fact, depth);
    order_expr(M, e->a, depth + 1);
    order_expr(M, e->b, depth + 1);
}

static int cmp_ll(const void *a, const void *b)
{
    long long x = *(const long long *)a, y = *(const long long *)b;
    return x < y ? -1 : x > y;
}

static int encode(model *M)
{
    const rd_graph *g = M->g;
    M->f = calloc(g->nfacts + 1, sizeof *M->f);
    M->mark = calloc(g->nfacts + 1, 1);
    M->dorder = calloc(g->nfacts + 1, sizeof *M->dorder);
    if (!M->f || !M->mark || !M->dorder) return -1;
    for (uint32_t i = 0; i < g->nfacts; i++) order_fact(M, g->facts[i], 0);
    each_cond(M, gather);
    if (M->nomem) return -1;
    for (uint32_t i = 0; i < g->nfacts; i++) {
        const rd_decl *f = g->facts[i];
        fenc *x = &M->f[i];
        if (!is_base(f)) continue;
        if (f->u.fact.type == RD_T_BOOL) {
            x->ncodes = 3;
        } else if (f->u.fact.type == RD_T_ENUM) {
            uint32_t k = 0;
            for (const rd_ref *r = f->u.fact.values; r; r = r->next) k++;
            x->ncodes = k + 1;
        } else {
            if (x->ncuts) qsort(x->cuts, x->ncuts, sizeof *x->cuts, cmp_ll);
            uint32_t u = 0;
            for (uint32_t j = 0; j < x->ncuts; j++)
                if (u == 0 || x->cuts[u - 1] != x->cuts[j]) x->cuts[u++] = x->cuts[j];
            x->ncuts = u;
            x->ncodes = 2 * u + 2; /* below each cut, each cut, above the last, unknown */
        }
    }
    return 0;
}

/* Whether code c of int fact x stands for no number (between two neighbouring whole numbers). */
static int empty_code(const fenc *x, uint32_t c)
{
    return x->cuts && c % 2 == 0 && c > 0 && c / 2 < x->ncuts && x->cuts[c / 2] - x->cuts[c / 2 - 1] == 1;
}

/* ---- conditions ------------------------------------------------------------------------------ */

/* Marks the facts (and relations) condition e reads, through computed facts, each of which is
 * walked once: a chain of them each read twice by the next would cost 2^chain. */
static void reads(model *M, const rd_expr *e, int depth)
{
    if (!e || depth > RD_MAX_DEPTH) return;
    if (e->fact && !M->mark[e->fact->index]) {
        M->mark[e->fact->index] = 1;
        if (e->fact->u.fact.derived) reads(M, e->fact->u.fact.derived, depth + 1);
    }
    if (e->kind == RD_E_CMP && e->a->fact && e->b->fact && e->a->type == RD_T_INT && e->b->type == RD_T_INT &&
        is_base(e->a->fact) && is_base(e->b->fact))
        for (uint32_t i = 0; i < M->nrel; i++) {
            uint32_t a = e->a->fact->index, b = e->b->fact->index;
            if ((M->rel[i].a == a && M->rel[i].b == b) || (M->rel[i].a == b && M->rel[i].b == a)) M->rmark[i] = 1;
        }
    reads(M, e->a, depth + 1);
    reads(M, e->b, depth + 1);
}

/* Chooses, the first time, every fact and relation condition e reads, then works out the computed
 * facts it reads, each after those it reads in turn. */
static void choose_for(model *M, const rd_expr *e)
{
    if (!e) return;
    memset(M->mark, 0, M->g->nfacts + 1);
    memset(M->rmark, 0, M->nrel + 1);
    reads(M, e, 0);
    for (uint32_t i = 0; i < M->g->nfacts; i++)
        if (M->mark[i] && is_base(M->g->facts[i])) rd_sb_printf(&M->out, "ch_f%u(); ", i);
    for (uint32_t i = 0; i < M->nrel; i++)
        if (M->rmark[i]) rd_sb_printf(&M->out, "ch_r%u(); ", i);
    for (uint32_t k = 0; k < M->ndorder; k++)
        if (M->mark[M->dorder[k]]) rd_sb_printf(&M->out, "cd%u(); ", M->dorder[k]);
}

static void cond(model *M, const rd_expr *e, int want_true);

/* The codes of int fact f for which `f op value` holds (the fact on the left). */
static void int_cmp(model *M, uint32_t fi, rd_cmp_op op, long long value)
{
    const fenc *x = &M->f[fi];
    uint32_t at = 0;
    for (uint32_t j = 0; j < x->ncuts; j++)
        if (x->cuts[j] == value) at = 2 * j + 1;
    int any = 0;
    rd_sb_printf(&M->out, "(");
    for (uint32_t c = 0; c + 1 < x->ncodes; c++) {
        int rel = c < at ? -1 : c > at;
        int holds = op == RD_OP_EQ ? rel == 0 : op == RD_OP_NE ? rel != 0 : op == RD_OP_LT ? rel < 0
                  : op == RD_OP_LE ? rel <= 0 : op == RD_OP_GT ? rel > 0 : rel >= 0;
        if (!holds) continue;
        rd_sb_printf(&M->out, "%sf%u == %u", any ? " || " : "", fi, c);
        any = 1;
    }
    rd_sb_printf(&M->out, "%s)", any ? "" : "0");
}

static rd_cmp_op flip(rd_cmp_op op)
{
    return op == RD_OP_LT ? RD_OP_GT : op == RD_OP_GT ? RD_OP_LT : op == RD_OP_LE ? RD_OP_GE : op == RD_OP_GE ? RD_OP_LE : op;
}

static int op_holds(rd_cmp_op op, int rel)
{
    return op == RD_OP_EQ ? rel == 0 : op == RD_OP_NE ? rel != 0 : op == RD_OP_LT ? rel < 0
         : op == RD_OP_LE ? rel <= 0 : op == RD_OP_GT ? rel > 0 : rel >= 0;
}

/* `e` is true (want_true) or false, as a Promela expression over the chosen codes. */
static void cond(model *M, const rd_expr *e, int want_true)
{
    rd_sb *o = &M->out;
    if (!e) {
        rd_sb_printf(o, want_true ? "1" : "0");
        return;
    }
    switch (e->kind) {
    case RD_E_OR:
    case RD_E_AND: {
        /* true of `or` is either true; false of it is both false (and the dual for `and`) */
        int either = (e->kind == RD_E_OR) == want_true;
        rd_sb_printf(o, "(");
        cond(M, e->a, want_true);
        rd_sb_printf(o, either ? " || " : " && ");
        cond(M, e->b, want_true);
        rd_sb_printf(o, ")");
        return;
    }
    case RD_E_NOT: cond(M, e->a, !want_true); return;
    case RD_E_BOOL: rd_sb_printf(o, "%d", (e->value != 0) == want_true); return;
    case RD_E_INT: rd_sb_printf(o, "0"); return;
    case RD_E_KNOWN:
        if (!e->fact) {
            rd_sb_printf(o, want_true ? "1" : "0");
        } else if (e->fact->u.fact.derived) {
            rd_sb_printf(o, "(d%u %s 2)", e->fact->index, want_true ? "!=" : "==");
        } else {
            rd_sb_printf(o, "(f%u %s %u)", e->fact->index, want_true ? "!=" : "==", M->f[e->fact->index].ncodes - 1);
        }
        return;
    case RD_E_NAME:
        if (!e->fact) rd_sb_printf(o, "0");
        else if (e->fact->u.fact.derived) rd_sb_printf(o, "(d%u == %d)", e->fact->index, want_true ? 1 : 0);
        else rd_sb_printf(o, "(f%u == %d)", e->fact->index, want_true ? 1 : 0);
        return;
    case RD_E_IN: {
        uint32_t fi = e->fact->index, unk = M->f[fi].ncodes - 1;
        rd_sb_printf(o, want_true ? "(0" : "(f%u != %u && !(0", fi, unk);
        for (const rd_ref *r = e->set; r; r = r->next) {
            uint32_t i = 0;
            for (const rd_ref *v = e->fact->u.fact.values; v && v->id != r->id; v = v->next) i++;
            rd_sb_printf(o, " || f%u == %u", fi, i);
        }
        rd_sb_printf(o, want_true ? ")" : "))");
        return;
    }
    case RD_E_CMP: {
        const rd_expr *a = e->a, *b = e->b;
        const rd_decl *fa = a->type == RD_T_ENUMVAL ? NULL : a->fact;
        const rd_decl *fb = b->kind == RD_E_NAME && b->type != RD_T_ENUMVAL ? b->fact : NULL;
        if (fa && fb && is_base(fa) && is_base(fb)) {
            uint32_t ia = fa->index, ib = fb->index;
            rd_sb_printf(o, "(f%u != %u && f%u != %u && ", ia, M->f[ia].ncodes - 1, ib, M->f[ib].ncodes - 1);
            if (fa->u.fact.type == RD_T_INT) {
                uint32_t r = UINT32_MAX;
                for (uint32_t i = 0; i < M->nrel && r == UINT32_MAX; i++)
                    if ((M->rel[i].a == ia && M->rel[i].b == ib) || (M->rel[i].a == ib && M->rel[i].b == ia)) r = i;
                if (r == UINT32_MAX) {
                    rd_sb_printf(o, "1)"); /* past the relation limit: either outcome, as the verifier */
                    return;
                }
                int any = 0;
                rd_sb_printf(o, "(");
                for (int c = 0; c < 3; c++) {
                    int rel = c - 1;
                    if (ia > ib) rel = -rel;
                    if (op_holds(e->op, rel) != want_true) continue;
                    rd_sb_printf(o, "%sr%u == %d", any ? " || " : "", r, c);
                    any = 1;
                }
                rd_sb_printf(o, "%s))", any ? "" : "0");
                return;
            }
            int eq_wanted = (e->op == RD_OP_EQ) == want_true;
            rd_sb_printf(o, "%s(0", eq_wanted ? "" : "!");
            for (uint32_t c = 0; c + 1 < M->f[ia].ncodes && c + 1 < M->f[ib].ncodes; c++)
                rd_sb_printf(o, " || (f%u == %u && f%u == %u)", ia, c, ib, c);
            rd_sb_printf(o, "))");
            return;
        }
        const rd_expr *fs = fa ? a : b, *v = fa ? b : a;
        const rd_decl *fact = fs->fact;
        if (!fact || (fa && fb)) {
            rd_sb_printf(o, "0");
            return;
        }
        if (fact->u.fact.derived) {
            int want = v->value != 0;
            if (e->op == RD_OP_NE) want = !want;
            rd_sb_printf(o, "(d%u == %d)", fact->index, want == want_true);
            return;
        }
        uint32_t fi = fact->index, unk = M->f[fi].ncodes - 1;
        if (!want_true) rd_sb_printf(o, "(f%u != %u && !", fi, unk);
        if (fact->u.fact.type == RD_T_INT) {
            int_cmp(M, fi, fs == a ? e->op : flip(e->op), v->value);
        } else if (e->op == RD_OP_NE) {
            rd_sb_printf(o, "(f%u != %u && f%u != %lld)", fi, unk, fi, v->value);
        } else {
            rd_sb_printf(o, "(f%u == %lld)", fi, v->value);
        }
        if (!want_true) rd_sb_printf(o, ")");
        return;
    }
    }
    rd_sb_printf(o, "0");
}

/* ---- principles ------------------------------------------------------------------------------ */

static int setup(model *M)
{
    const rd_graph *g = M->g;
    uint32_t n = 0;
    for (uint32_t i = 0; i < g->nprinciples; i++) {
        const rd_prop *pr = g->principles[i]->u.principle.props;
        if (pr && (pr->kind == RD_P_NEVER_REACHES || pr->kind == RD_P_REPORT_NOTICE)) n++;
    }
    M->props = calloc(n + 1, sizeof *M->props);
    M->pair = calloc((size_t)g->nactors * g->ndata + 1, 1);
    M->notices = calloc(g->nnodes + g->nduties + 1, sizeof *M->notices);
    M->rmark = calloc(RD_VERIFY_MAX_RELATIONS + 1, 1);
    if (!M->props || !M->pair || !M->notices || !M->rmark) return -1;
    for (uint32_t i = 0; i < g->nprinciples; i++) {
        const rd_decl *d = g->principles[i];
        const rd_prop *pr = d->u.principle.props;
        if (!pr || (pr->kind != RD_P_NEVER_REACHES && pr->kind != RD_P_REPORT_NOTICE)) continue;
        pp *P = &M->props[M->nprops++];
        P->decl = d;
        P->kind = pr->kind;
        if (pr->kind != RD_P_NEVER_REACHES) continue;
        P->data = calloc(g->ndata + 1, 1);
        P->actor = calloc(g->nactors + 1, 1);
        P->tfact = calloc(g->nfacts + 1, 1);
        if (!P->data || !P->actor || !P->tfact) return -1;
        for (uint32_t y = 0; y < g->ndata; y++) P->data[y] = (unsigned char)rd_flow_list_touches(g, pr->data, y);
        for (uint32_t a = 0; a < g->nactors; a++) P->actor[a] = (unsigned char)rd_flow_actor_in(g, a, pr->targets);
        rd_flow_taint_facts(g, P->data, P->tfact);
    }
    for (uint32_t y = 0; y < g->nduties; y++) {
        const rd_decl *duty = g->duties[y];
        for (uint32_t a = 0; a < g->nactors; a++)
            if (rd_flow_actor_in(g, a, duty->u.duty.applies))
                for (const rd_ref *r = duty->u.duty.reports; r; r = r->next)
                    if (r->decl) M->pair[(size_t)a * g->ndata + r->decl->index] = 1;
        const rd_decl *nt = duty->u.duty.notice ? duty->u.duty.notice->decl : NULL;
        if (nt && notice_index(M, nt) == UINT32_MAX) M->notices[M->nnotices++] = nt;
    }
    for (uint32_t k = 0; k < g->nnodes; k++)
        if (g->nodes[k].kind == RD_N_INFORM && g->nodes[k].subject && notice_index(M, g->nodes[k].subject) == UINT32_MAX)
            M->notices[M->nnotices++] = g->nodes[k].subject;
    /* implicit flows: branches reading a fact that reveals protected data, until their post-dominator */
    uint32_t *ipdom = rd_postdom_compute(g);
    if (!ipdom) return -1;
    uint32_t cap = 0;
    for (uint32_t q = 0; q < M->nprops; q++) {
        if (M->props[q].kind != RD_P_NEVER_REACHES) continue;
        for (uint32_t k = 0; k < g->nnodes; k++) {
            if (g->nodes[k].kind != RD_N_BRANCH || !rd_flow_reads(g->nodes[k].cond, M->props[q].tfact)) continue;
            if (M->ntaints == cap) {
                cap = cap ? cap * 2 : 16;
                taint *t = realloc(M->taints, cap * sizeof *t);
                if (!t) {
                    free(ipdom);
                    return -1;
                }
                M->taints = t;
            }
            M->taints[M->ntaints++] = (taint){q, k, ipdom[k]};
        }
    }
    free(ipdom);
    M->taint_start = calloc(g->nnodes + 2, sizeof *M->taint_start);
    M->clear_start = calloc(g->nnodes + 2, sizeof *M->clear_start);
    M->taint_of = calloc(M->ntaints + 1, sizeof *M->taint_of);
    M->clear_of = calloc(M->ntaints + 1, sizeof *M->clear_of);
    if (!M->taint_start || !M->clear_start || !M->taint_of || !M->clear_of) return -1;
    for (uint32_t t = 0; t < M->ntaints; t++) {
        M->taint_start[M->taints[t].branch + 1]++;
        if (M->taints[t].ipdom < g->nnodes) M->clear_start[M->taints[t].ipdom + 1]++;
    }
    for (uint32_t k = 0; k <= g->nnodes; k++) {
        M->taint_start[k + 1] += M->taint_start[k];
        M->clear_start[k + 1] += M->clear_start[k];
    }
    uint32_t *ft = calloc(g->nnodes + 1, sizeof *ft), *fc = calloc(g->nnodes + 1, sizeof *fc);
    if (!ft || !fc) {
        free(ft);
        free(fc);
        return -1;
    }
    for (uint32_t t = 0; t < M->ntaints; t++) {
        uint32_t b = M->taints[t].branch, c = M->taints[t].ipdom;
        M->taint_of[M->taint_start[b] + ft[b]++] = t;
        if (c < g->nnodes) M->clear_of[M->clear_start[c] + fc[c]++] = t;
    }
    free(ft);
    free(fc);
    return 0;
}

/* ---- effects --------------------------------------------------------------------------------- */

typedef enum how { BY_COLLECT, BY_FLOW, BY_PERMIT } how;

/* Actor a comes to hold data d. */
static void acquire(model *M, uint32_t a, uint32_t d, how by)
{
    const rd_graph *g = M->g;
    rd_sb *o = &M->out;
    uint32_t nw;
    const uint32_t *w = rd_flow_disclosed(g, d, &nw);
    for (uint32_t i = 0; i < nw; i++)
        if (M->pair[(size_t)a * g->ndata + w[i]]) rd_sb_printf(o, "h_%u_%u = 1; ", a, w[i]);
    if (by == BY_PERMIT) return;
    for (uint32_t y = 0; y < g->nduties; y++) {
        const rd_decl *duty = g->duties[y];
        const rd_decl *nt = duty->u.duty.notice ? duty->u.duty.notice->decl : NULL;
        if (!nt || !rd_flow_actor_in(g, a, duty->u.duty.applies)) continue;
        if (rd_flow_duty_fires_on(g, duty, d)) rd_sb_printf(o, "u_%u_%u = u_%u_%u || !kn%u; ", y, a, y, a, notice_index(M, nt));
    }
    for (uint32_t q = 0; q < M->nprops; q++) {
        const pp *P = &M->props[q];
        if (P->kind == RD_P_NEVER_REACHES && P->data[d] && P->actor[a]) rd_sb_printf(o, "bad%u = 1; ", q);
    }
}

/* A flow to actor r: fails a firewall while control depends on a fact revealing what it protects. */
static void flow_to(model *M, uint32_t r)
{
    for (uint32_t t = 0; t < M->ntaints; t++)
        if (M->props[M->taints[t].q].actor[r]) rd_sb_printf(&M->out, "bad%u = bad%u || t%u; ", M->taints[t].q, M->taints[t].q, t);
}

/* The duty of node k firing at concrete actor a (its `when` and holdings checked first). */
static void duty_at(model *M, const rd_gnode *node, uint32_t a)
{
    const rd_graph *g = M->g;
    rd_sb *o = &M->out;
    const rd_decl *duty = node->subject;
    uint32_t y = duty_index(M, duty);
    if (y == UINT32_MAX || !rd_flow_actor_in(g, a, duty->u.duty.applies)) return;
    rd_sb_printf(o, "if :: (1");
    for (uint32_t i = 0; i < node->ndata; i++) rd_sb_printf(o, " && h_%u_%u", a, node->data[i]);
    rd_sb_printf(o, ") -> ");
    if (duty->u.duty.when) {
        choose_for(M, duty->u.duty.when);
        rd_sb_printf(o, "if :: ");
        cond(M, duty->u.duty.when, 1);
        rd_sb_printf(o, " -> ");
    }
    const rd_decl *nt = duty->u.duty.notice ? duty->u.duty.notice->decl : NULL;
    for (uint32_t q = 0; q < M->nprops; q++) {
        const pp *P = &M->props[q];
        if (P->kind == RD_P_REPORT_NOTICE) {
            if (nt) rd_sb_printf(o, "bad%u = bad%u || u_%u_%u; ", q, q, y, a);
            else rd_sb_printf(o, "bad%u = 1; ", q);
        } else if (rd_flow_reads(duty->u.duty.when, P->tfact)) {
            for (uint32_t j = 0; j < node->nto; j++)
                if (P->actor[node->to[j]]) {
                    rd_sb_printf(o, "bad%u = 1; ", q);
                    break;
                }
        }
    }
    for (uint32_t j = 0; j < node->nto; j++) {
        flow_to(M, node->to[j]);
        for (uint32_t i = 0; i < node->ndata; i++) acquire(M, node->to[j], node->data[i], BY_FLOW);
    }
    rd_sb_printf(o, "skip ");
    if (duty->u.duty.when) rd_sb_printf(o, ":: else -> skip fi ");
    rd_sb_printf(o, ":: else -> skip fi;\n    ");
}

static const rd_gpathway *pathway_of(const rd_graph *g, const rd_gnode *node)
{
    for (uint32_t i = 0; i < g->npathways; i++)
        if (g->pathways[i].decl == node->pathway) return &g->pathways[i];
    return NULL;
}

/* What node k does when actor a performs it (a concrete: the provider is expanded by the caller). */
static void effects_by(model *M, uint32_t k, uint32_t a)
{
    const rd_graph *g = M->g;
    const rd_gnode *node = &g->nodes[k];
    switch (node->kind) {
    case RD_N_ASK:
    case RD_N_RECORD:
        for (uint32_t i = 0; i < node->ndata; i++) acquire(M, a, node->data[i], BY_COLLECT);
        break;
    case RD_N_DUTY: duty_at(M, node, a); break;
    default: break;
    }
}

static void body(model *M, uint32_t k)
{
    const rd_graph *g = M->g;
    const rd_gnode *node = &g->nodes[k];
    rd_sb *o = &M->out;
    rd_sb_printf(o, "/* %u */ ", k);
    for (uint32_t i = M->clear_start[k]; i < M->clear_start[k + 1]; i++) rd_sb_printf(o, "t%u = 0; ", M->clear_of[i]);
    switch (node->kind) {
    case RD_N_ASK:
    case RD_N_RECORD:
    case RD_N_DUTY:
        if (node->performer != RD_PROVIDER) {
            effects_by(M, k, node->performer);
        } else {
            const rd_gpathway *pw = pathway_of(g, node);
            if (!pw || !pw->nentry) break;
            /* Only arms that do something: the rest fall to `else`. */
            size_t at = o->n;
            rd_sb_printf(o, "if ");
            int any = 0;
            for (uint32_t i = 0; i < pw->nentry; i++) {
                size_t arm = o->n;
                rd_sb_printf(o, ":: prov == %u -> ", pw->entry[i]);
                size_t mid = o->n;
                effects_by(M, k, pw->entry[i]);
                if (o->failed) return;
                if (o->n == mid) o->n = arm;
                else {
                    rd_sb_printf(o, "skip ");
                    any = 1;
                }
            }
            if (any) rd_sb_printf(o, ":: else -> skip fi; ");
            else o->n = at;
        }
        break;
    case RD_N_INFORM:
        if (node->subject) rd_sb_printf(o, "kn%u = 1; ", notice_index(M, node->subject));
        break;
    case RD_N_REFER:
    case RD_N_SHARE:
        for (uint32_t j = 0; j < node->nto; j++) {
            flow_to(M, node->to[j]);
            for (uint32_t i = 0; i < node->ndata; i++) acquire(M, node->to[j], node->data[i], BY_FLOW);
        }
        break;
    case RD_N_STEP:
        /* handing the case to a named actor tells that actor about it */
        if (node->performer != RD_PROVIDER) flow_to(M, node->performer);
        for (uint32_t pi = 0; pi < g->npermits; pi++) {
            const rd_decl *pd = g->permits[pi];
            choose_for(M, pd->u.flow.when);
            rd_sb_printf(o, "if :: ");
            cond(M, pd->u.flow.when, 1);
            rd_sb_printf(o, " -> ");
            for (uint32_t a = 0; a < g->nactors; a++) {
                if (!rd_flow_actor_in(g, a, pd->u.flow.with)) continue;
                for (const rd_ref *x = pd->u.flow.shares; x; x = x->next)
                    if (x->decl) acquire(M, a, x->decl->index, BY_PERMIT);
            }
            for (uint32_t q = 0; q < M->nprops; q++) {
                const pp *P = &M->props[q];
                if (P->kind != RD_P_NEVER_REACHES) continue;
                int to_target = 0, protected_ = rd_flow_reads(pd->u.flow.when, P->tfact);
                for (uint32_t a = 0; a < g->nactors && !to_target; a++) to_target = P->actor[a] && rd_flow_actor_in(g, a, pd->u.flow.with);
                for (const rd_ref *x = pd->u.flow.shares; x && !protected_; x = x->next) protected_ = x->decl && P->data[x->decl->index];
                if (to_target && protected_) rd_sb_printf(o, "bad%u = 1; ", q);
            }
            rd_sb_printf(o, "skip :: else -> skip fi; ");
        }
        break;
    case RD_N_BRANCH:
        choose_for(M, node->cond);
        for (uint32_t i = M->taint_start[k]; i < M->taint_start[k + 1]; i++) rd_sb_printf(o, "t%u = 1; ", M->taint_of[i]);
        break;
    default: break;
    }
    rd_sb_printf(o, "\n    ");
}

static void edges(model *M, uint32_t k)
{
    const rd_graph *g = M->g;
    const rd_gnode *node = &g->nodes[k];
    rd_sb *o = &M->out;
    if (!node->nout) {
        rd_sb_printf(o, "goto stop\n");
        return;
    }
    const rd_gedge *e = &g->edges[node->first_out];
    if (node->nout == 1) {
        rd_sb_printf(o, "goto N%u\n", e->to);
        return;
    }
    const rd_gedge *e2 = &g->edges[node->first_out + 1];
    switch (e->kind) {
    case RD_G_TRUE:
    case RD_G_FALSE: {
        const rd_gedge *yes = e->kind == RD_G_TRUE ? e : e2, *no = e->kind == RD_G_TRUE ? e2 : e;
        rd_sb_printf(o, "if :: ");
        cond(M, node->cond, 1);
        rd_sb_printf(o, " -> goto N%u :: else -> goto N%u fi\n", yes->to, no->to);
        return;
    }
    case RD_G_GRANTED:
    case RD_G_REFUSED: {
        const rd_gedge *yes = e->kind == RD_G_GRANTED ? e : e2, *no = e->kind == RD_G_GRANTED ? e2 : e;
        if (!node->subject) break;
        uint32_t c = node->subject->index;
        rd_sb_printf(o, "if :: c%u == 0 -> if :: c%u = 1 :: c%u = 2 fi :: else -> skip fi;\n    ", c, c, c);
        rd_sb_printf(o, "if :: c%u == 1 -> goto N%u :: else -> goto N%u fi\n", c, yes->to, no->to);
        return;
    }
    default: break;
    }
    /* options of a choose (taken or passed over), and anything else: any way out */
    rd_sb_printf(o, "if");
    for (uint32_t i = 0; i < node->nout; i++) rd_sb_printf(o, " :: goto N%u", g->edges[node->first_out + i].to);
    rd_sb_printf(o, " fi\n");
}

static void declarations(model *M)
{
    const rd_graph *g = M->g;
    rd_sb *o = &M->out;
    rd_sb_printf(o, "/* facts: each value's code; the last code is unknown, one more means not chosen yet */\n");
    for (uint32_t i = 0; i < g->nfacts; i++) {
        const fenc *x = &M->f[i];
        if (!is_base(g->facts[i])) continue;
        rd_sb_printf(o, "unsigned f%u : %u = %u; /* %s", i, bits_for(x->ncodes + 1), x->ncodes, g->facts[i]->id);
        if (x->ncuts) {
            rd_sb_printf(o, ", cut at");
            for (uint32_t j = 0; j < x->ncuts; j++) rd_sb_printf(o, " %lld", x->cuts[j]);
        }
        rd_sb_printf(o, " */\ninline ch_f%u() { if :: f%u == %u -> if", i, i, x->ncodes);
        for (uint32_t c = 0; c < x->ncodes; c++)
            if (!empty_code(x, c)) rd_sb_printf(o, " :: f%u = %u", i, c);
        rd_sb_printf(o, " fi :: else -> skip fi }\n");
    }
    /* A computed fact is worked out into a variable just before a condition reads it, from the
     * variables of what it reads, so that each formula is written once: written out in full where
     * it is read, a chain of facts each read twice by the next doubles at every link. Hidden: it is
     * a function of the facts, so storing it would only add states. */
    rd_sb_printf(o, "/* computed facts: 0 false, 1 true, 2 unknown; cdN() works fact N out */\n");
    for (uint32_t k = 0; k < M->ndorder; k++) {
        uint32_t i = M->dorder[k];
        rd_sb_printf(o, "hidden byte d%u; /* %s */\ninline cd%u() { d%u = (", i, g->facts[i]->id, i, i);
        cond(M, g->facts[i]->u.fact.derived, 1);
        rd_sb_printf(o, " -> 1 : (");
        cond(M, g->facts[i]->u.fact.derived, 0);
        rd_sb_printf(o, " -> 0 : 2)) }\n");
    }
    for (uint32_t i = 0; i < M->nrel; i++) {
        rd_sb_printf(o, "unsigned r%u : 2 = 3; /* %s below, equal to, above %s */\n", i, g->facts[M->rel[i].a]->id, g->facts[M->rel[i].b]->id);
        rd_sb_printf(o, "inline ch_r%u() { if :: r%u == 3 -> if :: r%u = 0 :: r%u = 1 :: r%u = 2 fi :: else -> skip fi }\n", i, i, i, i, i);
    }
    rd_sb_printf(o, "/* consents: 0 not sought yet, 1 granted, 2 refused */\n");
    for (uint32_t i = 0; i < g->nconsents; i++) rd_sb_printf(o, "unsigned c%u : 2; /* %s */\n", i, g->consents[i]->id);
    rd_sb_printf(o, "unsigned prov : %u; /* the actor who opened the case */\n", bits_for(g->nactors + 1));
    rd_sb_printf(o, "/* what an actor holds, only where a duty applies to it and reports the data */\n");
    for (uint32_t a = 0; a < g->nactors; a++)
        for (uint32_t d = 0; d < g->ndata; d++)
            if (M->pair[(size_t)a * g->ndata + d]) rd_sb_printf(o, "bit h_%u_%u; /* %s holds %s */\n", a, d, g->actors[a]->id, g->data[d]->id);
    rd_sb_printf(o, "/* an actor acquired what a duty reports before its notice was given */\n");
    for (uint32_t y = 0; y < g->nduties; y++)
        if (g->duties[y]->u.duty.notice)
            for (uint32_t a = 0; a < g->nactors; a++)
                if (rd_flow_actor_in(g, a, g->duties[y]->u.duty.applies)) rd_sb_printf(o, "bit u_%u_%u; /* %s at %s */\n", y, a, g->duties[y]->id, g->actors[a]->id);
    for (uint32_t i = 0; i < M->nnotices; i++) rd_sb_printf(o, "bit kn%u; /* notice %s given */\n", i, M->notices[i]->id);
    for (uint32_t t = 0; t < M->ntaints; t++)
        rd_sb_printf(o, "bit t%u; /* control depends on a branch reading what %s protects */\n", t, M->props[M->taints[t].q].decl->id);
    for (uint32_t q = 0; q < M->nprops; q++) {
        rd_sb_printf(o, "bit bad%u; /* principle %s fails */\n", q, M->props[q].decl->id);
        rd_sb_printf(o, "ltl p_%s { [] !bad%u }\n", M->props[q].decl->id, q);
    }
    if (M->nprops) {
        rd_sb_printf(o, "ltl all_principles { [] !(0");
        for (uint32_t q = 0; q < M->nprops; q++) rd_sb_printf(o, " || bad%u", q);
        rd_sb_printf(o, ") }\n");
    }
}

static void walk(model *M)
{
    const rd_graph *g = M->g;
    rd_sb *o = &M->out;
    uint32_t n = g->nnodes;
    /* A node entered by one NEXT edge only, from a node with that single way out, runs in its
     * predecessor's atomic sequence: no state is stored between them. */
    uint32_t *indeg = calloc(n + 1, sizeof *indeg), *next_of = malloc((n + 1) * sizeof *next_of);
    unsigned char *absorbed = calloc(n + 1, 1);
    if (!indeg || !next_of || !absorbed) {
        o->failed = 1;
        goto done;
    }
    for (uint32_t e = 0; e < g->nedges; e++) indeg[g->edges[e].to]++;
    for (uint32_t i = 0; i < g->npathways; i++) indeg[g->pathways[i].start]++;
    for (uint32_t k = 0; k < n; k++) {
        next_of[k] = UINT32_MAX;
        const rd_gnode *node = &g->nodes[k];
        if (node->nout == 1 && g->edges[node->first_out].kind == RD_G_NEXT) {
            uint32_t to = g->edges[node->first_out].to;
            if (to != k && indeg[to] == 1) {
                next_of[k] = to;
                absorbed[to] = 1;
            }
        }
    }
    rd_sb_printf(o, "\nactive proctype walk() {\n    if");
    for (uint32_t i = 0; i < g->npathways; i++)
        if (g->pathways[i].nentry) rd_sb_printf(o, " :: goto P%u", i);
    rd_sb_printf(o, " :: else -> goto stop fi;\n");
    for (uint32_t i = 0; i < g->npathways; i++) {
        const rd_gpathway *pw = &g->pathways[i];
        if (!pw->nentry) continue;
        rd_sb_printf(o, "P%u: /* pathway %s */ atomic { if", i, pw->decl->id);
        for (uint32_t k = 0; k < pw->nentry; k++) rd_sb_printf(o, " :: prov = %u", pw->entry[k]);
        rd_sb_printf(o, " fi; goto N%u }\n", pw->start);
    }
    for (uint32_t k = 0; k < n && !o->failed; k++) {
        if (absorbed[k]) continue;
        rd_sb_printf(o, "N%u: atomic {\n    ", k);
        uint32_t last = k;
        body(M, k);
        while (next_of[last] != UINT32_MAX) {
            last = next_of[last];
            body(M, last);
        }
        edges(M, last);
        rd_sb_printf(o, "    }\n");
    }
    rd_sb_printf(o, "stop: skip\n}\n");
done:
    free(indeg);
    free(next_of);
    free(absorbed);
}

int rd_graph_write_promela(const rd_graph *g, rd_program *p, FILE *out)
{
    model M = {.g = g, .p = p};
    int rc = -2;
    if (encode(&M) != 0 || setup(&M) != 0) goto done;
    const char *name = p->sources.n ? p->sources.v[0].path : NULL;
    if (!name || strstr(name, "*/")) name = "the SOP"; /* the name goes inside a comment */
    rd_sb_printf(&M.out, "/* Promela model of the decision graph of %s, written by `rightdoor graph --format promela`.\n", name);
    rd_sb_printf(&M.out, " * One case walked along the graph; what is modelled and what is not: compiler/promela.c.\n"
                " * Verify one principle: spin -a THIS.pml && cc -O2 -DSAFETY -o pan pan.c && ./pan -m1000000 -N p_NAME */\n");
    declarations(&M);
    walk(&M);
    if (M.out.failed) goto done;
    rc = fwrite(M.out.s, 1, M.out.n, out) == M.out.n && fflush(out) == 0 ? 0 : -1;
done:
    for (uint32_t i = 0; M.f && i < g->nfacts; i++) free(M.f[i].cuts);
    free(M.f);
    for (uint32_t q = 0; q < M.nprops; q++) {
        free(M.props[q].data);
        free(M.props[q].actor);
        free(M.props[q].tfact);
    }
    free(M.props);
    free(M.pair);
    free(M.notices);
    free(M.mark);
    free(M.dorder);
    free(M.rmark);
    free(M.taints);
    free(M.taint_start);
    free(M.clear_start);
    free(M.taint_of);
    free(M.clear_of);
    free(M.out.s);
    return rc;
}

rd_status rd_promela_write(rd_program *p, FILE *out)
{
    if (!p) return RD_ERR_NOMEM;
    if (!rd_program_graph(p)) return p->graph_too_big ? RD_ERR_PROGRAM : RD_ERR_NOMEM;
    int rc = rd_graph_write_promela(p->graph, p, out);
    return rc == 0 ? RD_OK : rc == -1 ? RD_ERR_IO : RD_ERR_NOMEM;
}
