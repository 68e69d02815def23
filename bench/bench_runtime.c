/* Runtime benchmark: how long an app waits for rd_case_next and rd_may_share on the Annex 1a
 * example, and how long `rightdoor next` takes as a whole process.
 *
 * In-process: each measured call goes through one function pointer and is timed alone with
 * clock_gettime(CLOCK_MONOTONIC), N times (default 1,000,000) after a warm-up; median and p99 of
 * those N times are printed. The baseline is the same harness calling an empty function through
 * the same pointer: it is the cost of the clock itself plus one call, and "net" is a median minus
 * the baseline's median. may-share calls are also timed in batches of 100 (one clock pair per 100
 * calls, median over the batches, divided by 100), where the clock's own cost hardly counts.
 * rd_case_next is timed together with rd_actions_free, since an app must call both. Each
 * measurement gets a freshly compiled program and a fresh case, and prints what the calls left in
 * the program's and the case's memory (their arenas, freed only by rd_program_free and
 * rd_case_free), per call: an app keeps both open for a long time.
 *
 * Two cases: examples/annex1a/cases/c-0001.yaml as committed (the walk stops at the first notice
 * not yet given), and "c-0001 further along", built here from it with rd_case_set_fact,
 * rd_case_decide and rd_case_record: life in danger, the police called under the emergency
 * permit, treated at the hospital, sexual assault 20 hours ago, no charges, legal and
 * psycho-social referrals chosen. Nothing is written to disk.
 *
 * "Denied by a principle" needs an actor of the immigration or border sector, and Annex 1a has
 * none, so the firewall principle can never decide there. That one question is asked of Annex 1a
 * plus one fictional immigration office (the same text with one `actor` line added, compiled
 * from memory); every other figure is on Annex 1a as committed.
 *
 * Whole process: `./rightdoor next examples/annex1a/annex1a.sop examples/annex1a/cases/c-0001.yaml`
 * started with posix_spawn (fork/exec) and waited for, stdout to /dev/null, R times (default 200),
 * interleaved with the baseline /bin/true started the same way.
 *
 * Usage (from the repository root; bench/run.sh does this): bench_runtime [N] [R] [next|share|process]
 * The third argument runs only that part (for `perf record`). Prints one line per measurement,
 * with the target next to it. Exit status 1 if anything fails to compile or load, or if an
 * answer is not the one expected (not when a target is missed). */
#include "case.h"
#include "program.h"
#include "rightdoor.h"
#include "../tests/unit/fixed.h"
#include <fcntl.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>

extern char **environ;

#define SOP "examples/annex1a/annex1a.sop"
#define CASE "examples/annex1a/cases/c-0001.yaml"
#define BATCH 100

static const char *const search[] = {"stdlib", "."};
/* for Annex 1a compiled from memory: translations are found on the search path only */
static const char *const search_mem[] = {"stdlib", ".", "examples/annex1a"};

static uint64_t ns_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

typedef struct stats { double median, p99; } stats;

static stats summarise(uint64_t *v, size_t n)
{
    qsort(v, n, sizeof *v, cmp_u64);
    size_t i99 = (size_t)((double)n * 0.99);
    if (i99 >= n) i99 = n - 1;
    return (stats){(double)v[n / 2], (double)v[i99]};
}

/* ---- the harness: one operation through a function pointer -------------------------------- */

typedef struct share_q {
    rd_case *c;
    const char *data, *from, *to;
    long long now;
    rd_reason why;
    rd_decision dec;
} share_q;

typedef struct next_q {
    rd_case *c;
    long long now;
    size_t actions;
    int failed;
} next_q;

typedef void (*op_fn)(void *ctx);

static void op_empty(void *ctx) { (void)ctx; }
static void op_share(void *ctx)
{
    share_q *q = ctx;
    q->dec = rd_may_share(q->c, q->data, q->from, q->to, q->now, &q->why);
}
static void op_next(void *ctx)
{
    next_q *q = ctx;
    rd_action_list *l = rd_case_next(q->c, q->now);
    if (!l) q->failed = 1;
    q->actions = rd_actions_len(l);
    rd_actions_free(l);
}

/* The calls go through a volatile pointer so the compiler cannot inline or drop them. */
static op_fn volatile the_op;

static stats time_each(op_fn op, void *ctx, uint64_t *buf, size_t n)
{
    the_op = op;
    for (size_t i = 0; i < n / 100 + 1000; i++) the_op(ctx); /* warm-up */
    for (size_t i = 0; i < n; i++) {
        uint64_t t0 = ns_now();
        the_op(ctx);
        buf[i] = ns_now() - t0;
    }
    return summarise(buf, n);
}

/* Median and p99 of the per-call time within batches of BATCH calls (n / BATCH batches). */
static stats time_batches(op_fn op, void *ctx, uint64_t *buf, size_t n)
{
    the_op = op;
    size_t nb = n / BATCH;
    for (size_t b = 0; b < nb; b++) {
        uint64_t t0 = ns_now();
        for (int i = 0; i < BATCH; i++) the_op(ctx);
        buf[b] = ns_now() - t0;
    }
    stats s = summarise(buf, nb);
    return (stats){s.median / BATCH, s.p99 / BATCH};
}

static const char *verdict(double v, double target) { return v < target ? "met" : "MISSED"; }

/* ---- the programs and cases ---------------------------------------------------------------- */

/* The compile's diagnostics are kept: rd_case_load needs one to add to, and there is no public
 * constructor for an empty one. */
static rd_program *compile_file(rd_diagnostics **d)
{
    rd_options opt = {search, 2, 0};
    rd_program *p = rd_compile(SOP, &opt, d);
    if (!p) rd_diagnostics_print(*d, stderr, 5);
    return p;
}

/* Annex 1a plus a fictional immigration office, so that the firewall principle can decide. */
static rd_program *compile_with_immigration(rd_diagnostics **d)
{
    FILE *f = fopen(SOP, "rb");
    if (!f) return NULL;
    char *text = NULL;
    size_t len = 0, cap = 0;
    for (;;) {
        if (cap - len < 65536) {
            cap = cap * 2 + 65536;
            char *t = realloc(text, cap);
            if (!t) {
                free(text);
                fclose(f);
                return NULL;
            }
            text = t;
        }
        size_t got = fread(text + len, 1, cap - len - 256, f);
        len += got;
        if (got == 0) break;
    }
    fclose(f);
    len += (size_t)snprintf(text + len, cap - len,
                            "\nactor immigration_office \"Example Immigration Office (FICTIONAL, for the benchmark)\" {\n"
                            "  sector immigration\n  provides legal_documentation\n}\n");
    rd_options opt = {search_mem, 3, 0};
    rd_program *p = rd_compile_text("annex1a+immigration.sop", text, len, &opt, d);
    if (!p) rd_diagnostics_print(*d, stderr, 5);
    free(text);
    return p;
}

static rd_case *load(rd_program *p, rd_diagnostics *d)
{
    if (!p || !d) return NULL;
    rd_case *c = rd_case_load(p, CASE, d);
    if (!c) rd_diagnostics_print(d, stderr, 5);
    return c;
}

static int must(rd_status st, const char *err)
{
    if (st != RD_OK) fprintf(stderr, "bench_runtime: building the case: %s\n", err);
    return st == RD_OK;
}

/* c-0001, further along the pathway, through the public API only. */
static rd_case *further_along(rd_program *p, rd_diagnostics *d, long long t)
{
    rd_case *c = load(p, d);
    if (!c) return NULL;
    char err[256] = "";
    static const char *const facts[][2] = {
        {"emergency", "true"},          {"needs_medical_care", "true"},  {"urgent_injuries", "true"},
        {"sexual_assault_suspected", "true"}, {"hours_since_incident", "20"}, {"crime_committed", "true"},
        {"wants_charges", "false"},
    };
    static const char *const informs[] = {"right_to_refuse", "services_regardless_of_status", "emergency_police",
                                          "hospital_report_duty", "forensic_exam_info", "time_critical_care",
                                          "charges_options", "reporting_implications"};
    int ok = 1;
    for (size_t i = 0; i < sizeof facts / sizeof *facts && ok; i++)
        ok = must(rd_case_set_fact(c, facts[i][0], facts[i][1], err, sizeof err), err);
    for (size_t i = 0; i < sizeof informs / sizeof *informs && ok; i++)
        ok = must(rd_case_record(c, "inform", informs[i], NULL, NULL, t + 60 * (long long)i, err, sizeof err), err);
    ok = ok && must(rd_case_record(c, "permit", "life_threat_police", "location:district_police", "her partner was outside with a knife", t + 120, err, sizeof err), err);
    ok = ok && must(rd_case_record(c, "share", "survivor_name", "district_police", NULL, t + 120, err, sizeof err), err);
    ok = ok && must(rd_case_record(c, "share", "location", "district_police", NULL, t + 120, err, sizeof err), err);
    ok = ok && must(rd_case_record(c, "told", "life_threat_police", NULL, NULL, t + 3600, err, sizeof err), err);
    ok = ok && must(rd_case_decide(c, "health_referral", 1, t + 600, err, sizeof err), err);
    ok = ok && must(rd_case_decide(c, "forensic_exam_consent", 1, t + 600, err, sizeof err), err);
    ok = ok && must(rd_case_record(c, "refer", "district_hospital", NULL, NULL, t + 900, err, sizeof err), err);
    ok = ok && must(rd_case_record(c, "report", "injury_report", NULL, NULL, t + 7200, err, sizeof err), err);
    ok = ok && must(rd_case_record(c, "choose", "referrals", "legal", NULL, t + 9000, err, sizeof err), err);
    ok = ok && must(rd_case_record(c, "choose", "referrals", "psychosocial", NULL, t + 9000, err, sizeof err), err);
    ok = ok && must(rd_case_decide(c, "legal_referral", 1, t + 9100, err, sizeof err), err);
    ok = ok && must(rd_case_decide(c, "psychosocial_referral", 1, t + 9100, err, sizeof err), err);
    ok = ok && must(rd_case_record(c, "refer", "legal_aid_cso", NULL, NULL, t + 9200, err, sizeof err), err);
    if (!ok) {
        rd_case_free(c);
        return NULL;
    }
    return c;
}

/* ---- the whole process --------------------------------------------------------------------- */

static int spawn_wait(char *const argv[], posix_spawn_file_actions_t *fa, uint64_t *ns)
{
    pid_t pid;
    int status;
    uint64_t t0 = ns_now();
    if (posix_spawn(&pid, argv[0], fa, NULL, argv, environ) != 0) return -1;
    if (waitpid(pid, &status, 0) != pid) return -1;
    *ns = ns_now() - t0;
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

/* `rightdoor next` as a whole process, and /bin/true the same way. */
static int process(int runs)
{
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    char *rd_argv[] = {"./rightdoor", "next", SOP, CASE, NULL}, *true_argv[] = {"/bin/true", NULL};
    uint64_t *tb = malloc((size_t)runs * sizeof *tb), *tr = malloc((size_t)runs * sizeof *tr);
    int ok = tb && tr;
    for (int i = 0; i < runs && ok; i++) /* interleaved, so both see the same machine */
        ok = spawn_wait(true_argv, &fa, &tb[i]) == 0 && spawn_wait(rd_argv, &fa, &tr[i]) == 0;
    posix_spawn_file_actions_destroy(&fa);
    if (!ok) {
        fprintf(stderr, "bench_runtime: ./rightdoor next failed (run `make` first)\n");
        free(tb);
        free(tr);
        return 1;
    }
    stats sp = summarise(tb, (size_t)runs), sr = summarise(tr, (size_t)runs);
    printf("process: posix_spawn + waitpid, %d runs each, interleaved, stdout to /dev/null\n", runs);
    printf("  baseline: /bin/true                                   median %6.2f ms  p99 %6.2f ms\n", sp.median / 1e6, sp.p99 / 1e6);
    printf("  ./rightdoor next %s c-0001.yaml  median %6.2f ms  p99 %6.2f ms  net %6.2f ms   target < 5 ms: %s\n",
           SOP, sr.median / 1e6, sr.p99 / 1e6, (sr.median - sp.median) / 1e6, verdict(sr.median / 1e6, 5));
    free(tb);
    free(tr);
    return 0;
}

/* One program and one case, fresh for each measurement, so that what one measurement leaves in
 * memory (see "program +B/call") neither slows the next nor adds up in the peak RSS. */
typedef enum which_case { COMMITTED, FURTHER, IMMIGRATION } which_case;
typedef struct fixture {
    rd_program *p;
    rd_diagnostics *d;
    rd_case *c;
} fixture;

static void fixture_close(fixture *f)
{
    rd_case_free(f->c);
    rd_program_free(f->p);
    rd_diagnostics_free(f->d);
    memset(f, 0, sizeof *f);
}

static int fixture_open(fixture *f, which_case w)
{
    memset(f, 0, sizeof *f);
    f->p = w == IMMIGRATION ? compile_with_immigration(&f->d) : compile_file(&f->d);
    f->c = w == FURTHER ? further_along(f->p, f->d, instant("2024-05-01T10:00:00Z")) : load(f->p, f->d);
    if (f->c) return 0;
    fprintf(stderr, "bench_runtime: could not compile %s or load %s (run from the repository root)\n", SOP, CASE);
    fixture_close(f);
    return -1;
}

/* ---- main ---------------------------------------------------------------------------------- */

int main(int argc, char **argv)
{
    size_t n = argc > 1 ? (size_t)atol(argv[1]) : 1000000;
    int runs = argc > 2 ? atoi(argv[2]) : 200;
    const char *only = argc > 3 ? argv[3] : "";
    int do_next = !*only || !strcmp(only, "next"), do_share = !*only || !strcmp(only, "share"),
        do_process = !*only || !strcmp(only, "process");
    if (n < 1000 || runs < 1) {
        fprintf(stderr, "usage: bench_runtime [N >= 1000] [RUNS >= 1] [next|share|process]\n");
        return 2;
    }
    uint64_t *buf = malloc(n * sizeof *buf);
    if (!buf) return 1;
    long long now = instant("2024-05-02T12:00:00Z");
    fixture fx;

    printf("runtime: %s; %zu calls each, each call timed alone with clock_gettime(CLOCK_MONOTONIC)\n", SOP, n);
    stats base = time_each(op_empty, NULL, buf, n);
    stats base_b = time_batches(op_empty, NULL, buf, n);
    printf("  baseline: empty function through a function pointer, timed the same way (= the clock's own cost): "
           "median %.0f ns  p99 %.0f ns;  in batches of %d: %.1f ns/call\n",
           base.median, base.p99, BATCH, base_b.median);

    /* rd_case_next (with rd_actions_free) */
    struct { const char *label; which_case w; } nexts[] = {{"c-0001 as committed", COMMITTED}, {"c-0001 further along", FURTHER}};
    for (size_t i = 0; i < 2 && do_next; i++) {
        if (fixture_open(&fx, nexts[i].w) != 0) return 1;
        next_q q = {fx.c, now, 0, 0};
        size_t prog0 = fx.p->arena.used, case0 = fx.c->arena.used;
        stats s = time_each(op_next, &q, buf, n);
        double calls = (double)(n + n / 100 + 1000);
        double prog = (double)(fx.p->arena.used - prog0) / calls, cas = (double)(fx.c->arena.used - case0) / calls;
        if (q.failed) {
            fprintf(stderr, "bench_runtime: rd_case_next returned NULL\n");
            return 1;
        }
        static const char *const kinds[] = {"ask", "inform", "seek", "choose", "refer", "share", "report", "tell after", "end", "trace"};
        char what[96];
        rd_action_list *l = rd_case_next(fx.c, now);
        const rd_action *first = rd_actions_get(l, 0);
        snprintf(what, sizeof what, "%zu action%s%s%s%s%s", q.actions, q.actions == 1 ? "" : "s", first ? ", first: " : "",
                 first && (size_t)first->kind < sizeof kinds / sizeof *kinds ? kinds[first->kind] : "", first ? " " : "",
                 first && first->name ? first->name : "");
        rd_actions_free(l);
        printf("  next       %-24s %-51s median %7.0f ns  p99 %7.0f ns  net %7.0f ns                               program +%4.0f B/call  case +%3.0f B/call  target < 2000 ns: %s\n",
               nexts[i].label, what, s.median, s.p99, s.median - base.median, prog, cas, verdict(s.median - base.median, 2000));
        fixture_close(&fx);
    }

    /* rd_may_share */
    struct { const char *label; which_case w; const char *data, *from, *to; rd_decision want; const char *kind; } qs[] = {
        {"allowed by consent", FURTHER, "survivor_name", "vaw_centre", "legal_aid_cso", RD_ALLOW, "consent"},
        {"allowed by a permit", FURTHER, "location", "vaw_centre", "district_police", RD_ALLOW, "permit"},
        {"denied by default", FURTHER, "incident_details", "vaw_centre", "women_shelter", RD_DENY, "default"},
        {"denied: she refused", COMMITTED, "location", "vaw_centre", "district_police", RD_DENY, "consent"},
        {"denied by a principle *", IMMIGRATION, "migration_status", "vaw_centre", "immigration_office", RD_DENY, "principle"},
    };
    for (size_t i = 0; i < sizeof qs / sizeof *qs && do_share; i++) {
        if (fixture_open(&fx, qs[i].w) != 0) return 1;
        share_q q = {fx.c, qs[i].data, qs[i].from, qs[i].to, now, {0}, RD_DENY};
        op_share(&q);
        if (q.dec != qs[i].want || !q.why.kind || strcmp(q.why.kind, qs[i].kind) != 0) {
            fprintf(stderr, "bench_runtime: may-share %s %s->%s gave %s by %s, expected %s by %s\n", qs[i].data, qs[i].from,
                    qs[i].to, q.dec ? "allow" : "deny", q.why.kind ? q.why.kind : "?", qs[i].want ? "allow" : "deny", qs[i].kind);
            return 1;
        }
        char what[96];
        snprintf(what, sizeof what, "%s %s->%s", qs[i].data, qs[i].from, qs[i].to);
        size_t prog0 = fx.p->arena.used, case0 = fx.c->arena.used;
        stats s = time_each(op_share, &q, buf, n);
        stats sb = time_batches(op_share, &q, buf, n);
        double calls = (double)(n + n / 100 + 1000 + (n / BATCH) * BATCH);
        double prog = (double)(fx.p->arena.used - prog0) / calls, cas = (double)(fx.c->arena.used - case0) / calls;
        printf("  may-share  %-24s %-51s median %7.0f ns  p99 %7.0f ns  net %7.0f ns   batches of %d: %5.0f ns/call   program +%4.0f B/call  case +%3.0f B/call  target < 200 ns: %s\n",
               qs[i].label, what, s.median, s.p99, s.median - base.median, BATCH, sb.median, prog, cas, verdict(sb.median, 200));
        fixture_close(&fx);
    }
    if (do_share) {
        printf("  * Annex 1a has no immigration or border actor; this one is asked of Annex 1a plus one fictional immigration office\n");
        printf("  may-share targets are judged on the batched figure; next on the net median (the clock's cost is small beside it)\n");
    }
    if (do_next || do_share)
        printf("  \"program +B/call\", \"case +B/call\": what each call leaves in the program's or the case's memory until rd_program_free or rd_case_free\n");

    int rc = do_process ? process(runs) : 0;

    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("  peak RSS of this benchmark: %.1f MiB\n", (double)ru.ru_maxrss / 1024.0);
    free(buf);
    return rc;
}
