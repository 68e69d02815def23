/* Front-end benchmark: generates an SOP of about N lines (vocabulary, actors, consents and
 * pathways of realistic steps, growing together), then times reading it through to a checked
 * program. Prints one line: lines, bytes, the baseline (one pass over the bytes counting
 * newlines, the least any front end must do), parse+check time (best of R runs), their ratio,
 * arena bytes per line and the process's peak RSS. Run one size per process so the peak RSS is
 * that size's own: bench/run.sh does. */
#include "buf.h"
#include "program.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

static size_t count_lines(const buf *b)
{
    size_t n = 0;
    for (size_t i = 0; i < b->n; i++) n += b->s[i] == '\n';
    return n;
}

/* One "unit" is about 100 lines: 5 of each vocabulary kind and a pathway of 10 steps. */
static void unit(buf *b, int u)
{
    add(b, "sector sec%d \"Sector %d\"\n", u, u);
    for (int k = 0; k < 5; k++) {
        int i = u * 5 + k;
        add(b, "data d%d \"Data %d\" { identifying }\n", i, i);
        add(b, "service svc%d \"Service %d\"\n", i, i);
        add(b, "fact f%d: enum { v1, v2, v3 } \"Question %d?\"\n", i, i);
        add(b, "notice n%d \"Notice %d: what she must know before she answers.\"\n", i, i);
        add(b, "actor a%d \"Actor %d\" { sector sec%d provides svc%d hours \"24/7\" }\n", i, i, u, i);
        add(b, "consent c%d \"Consent %d\" { shares d%d with a%d purpose \"referral\" }\n", i, i, i, i);
    }
    add(b, "pathway p%d \"Pathway %d\" {\n  entry sector sec%d\n  start s0\n", u, u, u);
    for (int s = 0; s < 10; s++) {
        int i = u * 5 + s % 5;
        add(b, "  step s%d \"Step %d\" by a%d {\n", s, s, i);
        add(b, "    inform n%d\n    ask f%d, hours\n", i, i);
        add(b, "    if f%d == v1 and hours <= 72 {\n", i);
        add(b, "      seek c%d { granted { refer a%d for svc%d sharing d%d } refused { goto s%d } }\n", i, i, i, i,
            s == 9 ? 0 : s + 1);
        add(b, "    }\n");
        if (s == 9) add(b, "    choose { again \"Again\" { goto s0 } done \"Done\" { end \"closed\" } }\n  }\n");
        else add(b, "    goto s%d\n  }\n", s + 1);
    }
    add(b, "}\n");
}

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
    long want = argc > 1 ? atol(argv[1]) : 10000;
    int runs = argc > 2 ? atoi(argv[2]) : 5;
    buf b = {0};
    add(&b, "fact hours: int \"Hours since the incident\"\n");
    for (int u = 0; (long)count_lines(&b) < want; u++) unit(&b, u);
    size_t lines = count_lines(&b);

    double best_base = 1e9, best = 1e9;
    size_t arena = 0, sink = 0;
    for (int r = 0; r < runs; r++) {
        double t0 = now();
        sink += count_lines(&b);
        double t1 = now();
        rd_diagnostics *d;
        rd_program *p = rd_compile_text("bench.sop", b.s, b.n, NULL, &d);
        double t2 = now();
        if (!p) {
            rd_diagnostics_print(d, stderr, 5);
            return 1;
        }
        arena = p->arena.used;
        rd_program_free(p);
        rd_diagnostics_free(d);
        if (t1 - t0 < best_base) best_base = t1 - t0;
        if (t2 - t1 < best) best = t2 - t1;
    }
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("%8zu lines %10zu bytes  baseline %8.3f ms  parse+check %9.3f ms  ratio %6.1fx  arena %5.0f B/line  peak RSS %7.1f MiB%s\n",
           lines, b.n, best_base * 1e3, best * 1e3, best / best_base, (double)arena / (double)lines,
           (double)ru.ru_maxrss / 1024.0, sink ? "" : " ");
    free(b.s);
    return 0;
}
