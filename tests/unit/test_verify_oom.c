/* Running out of memory in the verifier is reported as out of memory, never as the state budget
 * (which tells a committee to simplify the SOP, and would not help), and never crashes it. Every
 * allocation of one verification is made to fail in turn, alone and from there on, as
 * fuzz/failmalloc.c does for the command line, but here by replacing glibc's allocator in this
 * test binary (glibc only; under AddressSanitizer, which owns the allocator, the tests are
 * skipped). */
#include "helpers.h"
#include "verify.h"
#include <errno.h>

#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN 1
#endif
#endif

/* base/arena.c takes memory in chunks of 64 KiB and a small header. */
#define ARENA_CHUNK (64u * 1024u)

static long allocs, fail_at = -1;
static int sticky, fail_chunks, arm_chunks; /* arm_chunks: verify_once sets fail_chunks once it may */

#ifndef UNDER_ASAN
extern void *__libc_malloc(size_t n);
extern void *__libc_calloc(size_t n, size_t size);
extern void *__libc_realloc(void *p, size_t n);

static int fail_now(size_t n)
{
    allocs++;
    int hit = fail_at >= 0 && (sticky ? allocs >= fail_at : allocs == fail_at);
    hit |= fail_chunks && n > ARENA_CHUNK && n <= ARENA_CHUNK + 64;
    if (hit) errno = ENOMEM;
    return hit;
}

void *malloc(size_t n) { return fail_now(n) ? NULL : __libc_malloc(n); }
void *calloc(size_t n, size_t size) { return fail_now(n * size) ? NULL : __libc_calloc(n, size); }
void *realloc(void *p, size_t n) { return fail_now(n) ? NULL : __libc_realloc(p, n); }
#endif

/* Shares, a consent, a refusal, a duty that breaks the firewall before her notice (so two
 * counterexamples are printed) and a loop: every pass of the verifier has work to do. */
static const char program[] =
    "sop \"T\" { languages en }\n"
    "sector health \"Health\"\nsector police \"Police\"\nsector immigration \"Immigration\" { enforcement }\n"
    "data survivor_name \"Name\" { identifying }\ndata migration_status \"Status\" { protected }\n"
    "service care \"Care\"\nservice protection \"Protection\"\n"
    "fact safe_now: bool \"Safe?\"\nfact emergency: bool \"Emergency?\"\n"
    "notice duty_notice \"If you tell me about an assault I must report it.\"\n"
    "actor clinic \"Clinic\" { sector health specialist provides care }\n"
    "actor station \"Station\" { sector police provides protection }\n"
    "actor checkpoint \"Checkpoint\" { sector immigration }\n"
    "consent to_police \"Police\" { shares survivor_name, migration_status with station purpose \"p\" }\n"
    "duty report_status \"example clause\" { applies to sector police reports migration_status to checkpoint notice duty_notice }\n"
    "principle firewall \"F\" { source \"s1\" never migration_status reaches sector immigration }\n"
    "principle consent_first \"C\" { source \"s2\" every share of survivor_name requires consent unless emergency }\n"
    "principle notice_first \"N\" { source \"s3\" every report requires notice }\n"
    "principle keeps_care \"R\" { source \"s4\" every refusal reaches care }\n"
    "pathway p \"P\" { entry sector health start a\n"
    "step a \"A\" by clinic { record migration_status ask safe_now, emergency\n"
    " if emergency { share survivor_name with station }\n"
    " if not safe_now { seek to_police { granted { refer station for protection sharing migration_status } refused { goto b } } }\n"
    " goto b }\n"
    "step b \"B\" by clinic { inform duty_notice ask safe_now if safe_now { end } else { refer clinic for care goto b } }\n"
    "}\n";

static rd_program *compile_program(void)
{
    rd_diagnostics *d;
    rd_program *p = compile_str(program, &d);
    if (!p) rd_diagnostics_print(d, stderr, 0);
    assert_non_null(p);
    rd_diagnostics_free(d);
    assert_non_null(rd_program_graph(p));
    return p;
}

/* One verification; with check, what it answered must be the verdict (two principles fail) or out
 * of memory, and never the budget. */
static void verify_once(rd_program *p, int check)
{
    rd_diagnostics *d = rd_diagnostics_new();
    /* the diagnostics' own arena takes its first chunk before fail_chunks is set: in
     * each_arena_end only the program's runs out */
    if (!d || !rd_arena_alloc(&d->arena, 1)) { /* failed before the verifier ran */
        rd_diagnostics_free(d);
        fail_at = -1;
        return;
    }
    fail_chunks = arm_chunks;
    rd_status st = rd_verify(p, d);
    fail_at = -1;
    fail_chunks = 0;
    if (check) {
        assert_null(find_diag(d, "budget"));
        if (st == RD_ERR_NOMEM) assert_int_equal(rd_diagnostics_status(d), RD_ERR_NOMEM);
        else assert_int_equal(st, RD_ERR_PROGRAM);
    }
    rd_diagnostics_free(d);
}

/* The holdings `rightdoor diff` reads: -2 would make it say "state budget". */
static void holdings_once(rd_program *p, int check)
{
    rd_holding *h;
    uint32_t n;
    int rc = rd_verify_holdings(p, rd_program_graph(p), &h, &n);
    fail_at = -1;
    if (check) assert_true(rc == 0 || rc == -1);
}

/* The program, compiled, and what one call of run() takes when nothing fails: allocations, and
 * bytes of the program's arena. Under AddressSanitizer the test is skipped here. */
static rd_program *measure(void (*run)(rd_program *, int), long *nallocs, size_t *narena)
{
#ifdef UNDER_ASAN
    skip();
#endif
    rd_program *p = compile_program();
    long a = allocs;
    size_t b = p->arena.used;
    run(p, 0);
    *nallocs = allocs - a;
    *narena = p->arena.used - b;
    return p;
}

/* Calls run() failing each allocation it makes in turn, alone and then from there on. The arena's
 * sticky flag is reset between runs: each starts as a fresh one would. */
static void each_allocation(void (*run)(rd_program *, int))
{
    long n;
    size_t bytes;
    rd_program *p = measure(run, &n, &bytes);
    n += 64; /* a later run may need a chunk more */
    for (sticky = 0; sticky < 2; sticky++)
        for (long k = 1; k <= n; k++) {
            fail_at = allocs + k;
            run(p, 1);
            p->arena.failed = 0;
        }
    sticky = 0;
    rd_program_free(p);
}

/* Calls run() (one that honours arm_chunks) with the program's arena running out at each point of
 * it in turn, 16 bytes apart: messages and the texts of counterexample steps live there, and a
 * text the arena could not hold must not reach the diagnostics as NULL. */
static void each_arena_end(void (*run)(rd_program *, int))
{
    long n;
    size_t bytes;
    rd_program_free(measure(run, &n, &bytes));
    for (size_t room = 16; room <= bytes + 16; room += 16) {
        rd_program *p = compile_program();
        /* a full chunk, then one with `room` bytes left; no chunk after it */
        assert_non_null(rd_arena_alloc(&p->arena, ARENA_CHUNK));
        assert_non_null(rd_arena_alloc(&p->arena, ARENA_CHUNK - room));
        arm_chunks = 1;
        run(p, 1);
        arm_chunks = 0;
        rd_program_free(p);
    }
}

static void verify_each_allocation(void **state)
{
    (void)state;
    each_allocation(verify_once);
}

static void verify_each_arena_end(void **state)
{
    (void)state;
    each_arena_end(verify_once);
}

static void holdings_each_allocation(void **state)
{
    (void)state;
    each_allocation(holdings_once);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(verify_each_allocation),
        cmocka_unit_test(verify_each_arena_end),
        cmocka_unit_test(holdings_each_allocation),
    };
    return cmocka_run_group_tests_name("verify-oom", tests, NULL, NULL);
}
