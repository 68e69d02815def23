/* may-share against Cedar, the Rightdoor half: generates the questions both engines answer, the
 * cases they are about, and the SOP's rules in Cedar; answers every question with rd_may_share and
 * times it. bench/cedar/bench.mjs then puts the same questions to Cedar (cedar-wasm), compares
 * every decision and prints both rates (bench/cedar/run.sh runs the two in one go).
 *
 * The cases are generated with a fixed seed as YAML case files (language.md section 8), read back
 * with rd_case_load as an app would read them: facts given, unknown (she declined) or not asked;
 * consents unanswered, refused, granted, and granted narrowed (`except` some of the data, `only`
 * some of the recipients), time-limited (`until`) and withdrawn, at times on either side of the
 * questions. Each question is about one case: a data category, the actor asking, the recipient,
 * and the time it is asked; half of them are drawn from what some rule of the SOP names (so that
 * consents, permits, duties and principles all decide), the rest uniformly, and a few name
 * something the SOP does not have. Some are asked exactly when a consent expires or is withdrawn.
 *
 * Written into OUT (default bench/cedar/out):
 *   policies.cedar entities.json schema.cedarschema   rd_cedar_write
 *   cases/bench-NNNN.yaml                              the generated cases
 *   contexts.jsonl    one line per case: rd_cedar_write_context, asked by the actor that
 *                     opened it at the base time; a question's context is this with its own
 *                     `from` and `now` (the only fields of the context that depend on the question)
 *   questions.tsv     case, data, from, to, now (seconds since 1970)
 *   rightdoor.tsv     per question: allow|deny and the rule as Cedar's policy @id names it
 *                     ("consent:ID", "principle:ID", ...; "-" when no rule allows or forbids)
 *   rightdoor.json    the timing
 *
 * Usage (from the repository root): bench_cedar [SOP] [QUESTIONS] [CASES] [SEED] [OUT] [RUNS]
 * Exit status 0, 1 when the SOP or a generated case does not load, 2 usage, 3 out of memory. */
#define _DEFAULT_SOURCE
#include "case.h"
#include "program.h"
#include "rightdoor.h"
#include "../../tests/unit/fixed.h"
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

static const char *const search[] = {"stdlib", "."};
#define UNKNOWN_NAME "no_such_name"

/* ---- a fixed-seed generator (splitmix64) ------------------------------------------------------ */

static uint64_t rng_state;
static uint64_t rnd(void) { return splitmix64(&rng_state); }
static uint32_t below(uint32_t n) { return n ? (uint32_t)(rnd() % n) : 0; }
static int chance(unsigned percent) { return below(100) < percent; }

static uint64_t ns_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

/* CPU time of this process: on a machine shared with other work, what the answers themselves cost. */
static uint64_t cpu_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

static void iso(long long t, char out[32])
{
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static FILE *open_out(const char *dir, const char *name)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    if (!f) fprintf(stderr, "bench_cedar: cannot write %s: %s\n", path, strerror(errno));
    return f;
}

/* ---- cases ------------------------------------------------------------------------------------- */

#define BASE "2024-05-01T10:00:00Z"
#define DAY 86400LL

/* A time within `days` days of base, on the hour. */
static long long around(long long base, int days) { return base + ((long long)below((uint32_t)(2 * days * 24 + 1)) - days * 24) * 3600; }

typedef struct gen_case {
    rd_case *c;
    const char *opened_by;
    long long moments[64]; /* its consents' until and withdrawn times, for questions asked exactly then */
    size_t nmoments;
} gen_case;

/* Writes one generated case as YAML. */
static int write_case(FILE *f, rd_program *p, const char *sop, size_t i, gen_case *gc, long long base)
{
    rd_graph *g = p->graph;
    /* who opened it: an entry actor of one of the pathways */
    const rd_gpathway *pw = &g->pathways[below(g->npathways)];
    const char *by = pw->nentry ? g->actors[pw->entry[below(pw->nentry)]]->id : g->actors[0]->id;
    gc->opened_by = by;
    fprintf(f, "sop: \"%s\"\ncase: \"bench-%04zu\"\nopened_by: %s\npathway: %s\nfacts:\n", sop, i, by, pw->decl->id);
    for (uint32_t k = 0; k < g->nfacts; k++) {
        const rd_decl *fd = g->facts[k];
        if (fd->u.fact.derived || fd->u.fact.lua || chance(15)) continue;
        if (chance(10)) {
            fprintf(f, "  %s: unknown\n", fd->id);
        } else if (fd->u.fact.type == RD_T_BOOL) {
            fprintf(f, "  %s: %s\n", fd->id, chance(50) ? "true" : "false");
        } else if (fd->u.fact.type == RD_T_INT) {
            fprintf(f, "  %s: %u\n", fd->id, below(200));
        } else {
            uint32_t n = 0;
            for (const rd_ref *r = fd->u.fact.values; r; r = r->next) n++;
            const rd_ref *r = fd->u.fact.values;
            for (uint32_t j = below(n); r && j; j--) r = r->next;
            if (r) fprintf(f, "  %s: %s\n", fd->id, r->id);
        }
    }
    fputs("consents:\n", f);
    char t[32];
    for (uint32_t k = 0; k < g->nconsents; k++) {
        const rd_decl *cd = g->consents[k];
        if (chance(25)) continue;
        if (chance(27)) {
            fprintf(f, "  %s: refused\n", cd->id);
            continue;
        }
        if (chance(30)) {
            fprintf(f, "  %s: granted\n", cd->id);
            continue;
        }
        iso(base - DAY, t);
        fprintf(f, "  %s: { granted: true, at: \"%s\"", cd->id, t);
        if (chance(35)) {
            fputs(", except: [", f);
            int first = 1;
            for (const rd_ref *r = cd->u.flow.shares; r; r = r->next)
                if (chance(40)) fprintf(f, "%s%s", first ? "" : ", ", r->id), first = 0;
            fputs("]", f);
        }
        if (chance(30)) {
            fputs(", only: [", f);
            int first = 1;
            for (uint32_t a = 0; a < g->nactors; a++)
                if (rd_flow_actor_in(g, a, cd->u.flow.with) && chance(60))
                    fprintf(f, "%s%s", first ? "" : ", ", g->actors[a]->id), first = 0;
            fputs("]", f);
        }
        if (chance(40)) {
            long long u = around(base, 5);
            iso(u, t);
            fprintf(f, ", until: \"%s\"", t);
            if (gc->nmoments < 64) gc->moments[gc->nmoments++] = u;
        }
        if (chance(30)) {
            long long w = around(base, 5);
            iso(w, t);
            fprintf(f, ", withdrawn: \"%s\"", t);
            if (gc->nmoments < 64) gc->moments[gc->nmoments++] = w;
        }
        fputs(" }\n", f);
    }
    return ferror(f) ? -1 : 0;
}

/* ---- questions --------------------------------------------------------------------------------- */

typedef struct question {
    uint32_t c;
    const char *data, *from, *to;
    long long now;
} question;

/* A data category and a recipient some rule of the SOP names, or any two; for a duty, mostly asked
 * by an actor it applies to (*from is left alone otherwise). */
static void pick_flow(rd_graph *g, const char **data, const char **to, const char **from)
{
    const rd_ref *dl = NULL, *tl = NULL, *fl = NULL;
    if (chance(50)) {
        uint32_t nrules = g->nconsents + g->npermits + g->nduties + g->nprinciples;
        uint32_t r = below(nrules);
        if (r < g->nconsents) {
            dl = g->consents[r]->u.flow.shares, tl = g->consents[r]->u.flow.with;
        } else if ((r -= g->nconsents) < g->npermits) {
            dl = g->permits[r]->u.flow.shares, tl = g->permits[r]->u.flow.with;
        } else if ((r -= g->npermits) < g->nduties) {
            dl = g->duties[r]->u.duty.reports, tl = g->duties[r]->u.duty.to;
            if (chance(70)) fl = g->duties[r]->u.duty.applies;
        } else {
            const rd_prop *q = g->principles[r - g->nduties]->u.principle.props;
            while (q && q->kind != RD_P_NEVER_REACHES) q = q->next;
            if (q) dl = q->data, tl = q->targets;
        }
    }
    /* a named data category from the list (an attribute stands for any), a recipient it names */
    uint32_t n = 0;
    for (const rd_ref *x = dl; x; x = x->next) n += x->tag == RD_REF_NAME && x->decl;
    *data = g->data[below(g->ndata)]->id;
    if (n) {
        uint32_t j = below(n);
        for (const rd_ref *x = dl; x; x = x->next)
            if (x->tag == RD_REF_NAME && x->decl && j-- == 0) *data = x->decl->id;
    }
    uint32_t m = 0;
    for (uint32_t a = 0; tl && a < g->nactors; a++) m += rd_flow_actor_in(g, a, tl) != 0;
    *to = g->actors[below(g->nactors)]->id;
    if (m) {
        uint32_t j = below(m);
        for (uint32_t a = 0; a < g->nactors; a++)
            if (rd_flow_actor_in(g, a, tl) && j-- == 0) *to = g->actors[a]->id;
    }
    uint32_t k = 0;
    for (uint32_t a = 0; fl && a < g->nactors; a++) k += rd_flow_actor_in(g, a, fl) != 0;
    if (k) {
        uint32_t j = below(k);
        for (uint32_t a = 0; a < g->nactors; a++)
            if (rd_flow_actor_in(g, a, fl) && j-- == 0) *from = g->actors[a]->id;
    }
}

/* The rule as Cedar's policy @id names it: only rules that allow, and principles and unknown
 * names that forbid, have one; a denial by default or by her answer has none. */
static void rule_id(const rd_reason *w, char *out, size_t size)
{
    if (!strcmp(w->kind, "unknown")) snprintf(out, size, "unknown");
    else if (!strcmp(w->kind, "principle") || w->decision == RD_ALLOW) snprintf(out, size, "%s:%s", w->kind, w->rule);
    else snprintf(out, size, "-");
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
    const char *sop = argc > 1 ? argv[1] : "examples/mae_sot/mae_sot.sop";
    size_t nq = argc > 2 ? (size_t)atol(argv[2]) : 100000, ncases = argc > 3 ? (size_t)atol(argv[3]) : 1000;
    uint64_t seed = argc > 4 ? strtoull(argv[4], NULL, 10) : 20240501;
    const char *out = argc > 5 ? argv[5] : "bench/cedar/out";
    int runs = argc > 6 ? atoi(argv[6]) : 5;
    if (!nq || !ncases || ncases > 9999 || runs < 1) {
        fprintf(stderr, "usage: bench_cedar [SOP] [QUESTIONS] [CASES <= 9999] [SEED] [OUT] [RUNS]\n");
        return 2;
    }
    rng_state = seed;
    rd_options opt = {search, 2, 0};
    rd_diagnostics *d = NULL;
    rd_program *p = rd_compile(sop, &opt, &d);
    if (!p) {
        rd_diagnostics_print(d, stderr, 5);
        return 1;
    }
    char path[4096];
    snprintf(path, sizeof path, "%s/cases", out);
    if ((mkdir(out, 0777) != 0 && errno != EEXIST) || (mkdir(path, 0777) != 0 && errno != EEXIST)) {
        fprintf(stderr, "bench_cedar: cannot create %s: %s\n", path, strerror(errno));
        return 2;
    }
    static const struct { const char *name; rd_cedar_part part; } parts[] = {
        {"policies.cedar", RD_CEDAR_POLICIES}, {"entities.json", RD_CEDAR_ENTITIES}, {"schema.cedarschema", RD_CEDAR_SCHEMA}};
    for (size_t i = 0; i < 3; i++) {
        FILE *f = open_out(out, parts[i].name);
        if (!f || rd_cedar_write(p, parts[i].part, NULL, f) != RD_OK || fclose(f) != 0) return 2;
    }
    rd_graph *g = p->graph;
    long long base = instant(BASE);

    /* the cases, written and read back */
    gen_case *cases = calloc(ncases, sizeof *cases);
    question *qs = malloc(nq * sizeof *qs);
    rd_decision *dec = malloc(nq * sizeof *dec);
    rd_reason *why = malloc(nq * sizeof *why);
    uint64_t *times = malloc((size_t)runs * sizeof *times), *cpu = malloc((size_t)runs * sizeof *cpu);
    if (!cases || !qs || !dec || !why || !times || !cpu) return 3;
    FILE *ctx = open_out(out, "contexts.jsonl");
    if (!ctx) return 2;
    for (size_t i = 0; i < ncases; i++) {
        char name[64];
        snprintf(name, sizeof name, "cases/bench-%04zu.yaml", i);
        FILE *f = open_out(out, name);
        if (!f || write_case(f, p, sop, i, &cases[i], base) != 0 || fclose(f) != 0) return 2;
        snprintf(path, sizeof path, "%s/%s", out, name);
        cases[i].c = rd_case_load(p, path, d);
        if (!cases[i].c) {
            rd_diagnostics_print(d, stderr, 5);
            return 1;
        }
        if (rd_cedar_write_context(cases[i].c, cases[i].opened_by, base, ctx) != RD_OK) return 2;
    }
    if (fclose(ctx) != 0) return 2;

    /* the questions */
    FILE *qf = open_out(out, "questions.tsv");
    if (!qf) return 2;
    for (size_t i = 0; i < nq; i++) {
        question *q = &qs[i];
        q->c = (uint32_t)(i * ncases / nq);
        gen_case *gc = &cases[q->c];
        q->from = chance(50) ? gc->opened_by : g->actors[below(g->nactors)]->id;
        pick_flow(g, &q->data, &q->to, &q->from);
        q->now = gc->nmoments && chance(10) ? gc->moments[below((uint32_t)gc->nmoments)] : around(base, 6);
        if (chance(1)) {
            int which = (int)below(3);
            if (which == 0) q->data = UNKNOWN_NAME;
            else if (which == 1) q->from = UNKNOWN_NAME;
            else q->to = UNKNOWN_NAME;
        }
        fprintf(qf, "%u\t%s\t%s\t%s\t%lld\n", q->c, q->data, q->from, q->to, q->now);
    }
    if (fclose(qf) != 0) return 2;

    /* the answers: every question in order, RUNS times; the first run's answers are kept */
    rd_reason scratch;
    for (int r = 0; r < runs; r++) {
        uint64_t t0 = ns_now(), c0 = cpu_now();
        for (size_t i = 0; i < nq; i++) {
            const question *q = &qs[i];
            dec[i] = rd_may_share(cases[q->c].c, q->data, q->from, q->to, q->now, r ? &scratch : &why[i]);
        }
        times[r] = ns_now() - t0;
        cpu[r] = cpu_now() - c0;
    }
    FILE *af = open_out(out, "rightdoor.tsv");
    if (!af) return 2;
    size_t allowed = 0, by_kind[6] = {0};
    static const char *const kinds[] = {"consent", "permit", "duty", "principle", "unknown", "default"};
    for (size_t i = 0; i < nq; i++) {
        char rule[256];
        rule_id(&why[i], rule, sizeof rule);
        fprintf(af, "%s\t%s\n", dec[i] == RD_ALLOW ? "allow" : "deny", rule);
        allowed += dec[i] == RD_ALLOW;
        for (size_t k = 0; k < 6; k++)
            if (!strcmp(why[i].kind, kinds[k]) && (k != 0 || dec[i] == RD_ALLOW)) by_kind[k]++;
    }
    if (fclose(af) != 0) return 2;
    qsort(times, (size_t)runs, sizeof *times, cmp_u64);
    qsort(cpu, (size_t)runs, sizeof *cpu, cmp_u64);
    FILE *tf = open_out(out, "rightdoor.json");
    if (!tf) return 2;
    fprintf(tf,
            "{\"sop\": \"%s\", \"questions\": %zu, \"cases\": %zu, \"seed\": %llu, \"runs\": %d, \"best_ns\": %llu, "
            "\"median_ns\": %llu, \"best_cpu_ns\": %llu, \"allowed\": %zu, \"by_consent\": %zu, \"by_permit\": %zu, \"by_duty\": %zu, "
            "\"denied_by_principle\": %zu, \"denied_unknown\": %zu}\n",
            sop, nq, ncases, (unsigned long long)seed, runs, (unsigned long long)times[0],
            (unsigned long long)times[runs / 2], (unsigned long long)cpu[0], allowed, by_kind[0], by_kind[1], by_kind[2], by_kind[3], by_kind[4]);
    if (fclose(tf) != 0) return 2;
    printf("rightdoor: %zu questions over %zu generated cases of %s (seed %llu): %zu allowed (consent %zu, permit %zu, duty %zu), "
           "%zu denied (principle %zu, unknown name %zu, no rule or her answer %zu)\n",
           nq, ncases, sop, (unsigned long long)seed, allowed, by_kind[0], by_kind[1], by_kind[2], nq - allowed, by_kind[3],
           by_kind[4], nq - allowed - by_kind[3] - by_kind[4]);
    printf("rightdoor: rd_may_share, all %zu in a loop, %d runs: best %.2f ms (%.0f ns/decision, %.2f M decisions/s), median %.2f ms; CPU time best %.2f ms\n",
           nq, runs, (double)times[0] / 1e6, (double)times[0] / (double)nq, (double)nq / ((double)times[0] / 1e9) / 1e6,
           (double)times[runs / 2] / 1e6, (double)cpu[0] / 1e6);
    for (size_t i = 0; i < ncases; i++) rd_case_free(cases[i].c);
    free(cases);
    free(qs);
    free(dec);
    free(why);
    free(times);
    free(cpu);
    rd_program_free(p);
    rd_diagnostics_free(d);
    return 0;
}
