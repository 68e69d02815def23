/* Allocation-failure injection for `rightdoor` (LD_PRELOAD), as Lua's ltests.c fakes failures:
 *   RD_FAIL_AT=N        the Nth malloc/calloc/realloc returns NULL (errno ENOMEM)
 *   RD_FAIL_STICKY=1    ... and so does every one after it
 *   RD_FAIL_COUNT=1     (without RD_FAIL_AT) print "allocs: N" on stderr at exit
 *   RD_FAIL_TRAP=1      trap at the failing call (run under gdb for its backtrace)
 * Built and driven by fuzz/oom_sweep.sh. Not part of the library. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void *(*real_malloc)(size_t);
static void *(*real_calloc)(size_t, size_t);
static void *(*real_realloc)(void *, size_t);
static long count, fail_at = -1;
static int sticky, trap, inited, resolving;
/* dlsym may allocate before the real functions are known: serve it from here (never freed). */
static _Alignas(16) char boot[65536];
static size_t boot_used;

static void *boot_alloc(size_t n)
{
    n = (n + 15) & ~(size_t)15;
    if (boot_used + n > sizeof boot) return NULL;
    void *p = boot + boot_used;
    boot_used += n;
    return p;
}

static int flag(const char *name)
{
    const char *v = getenv(name);
    return v && *v && strcmp(v, "0") != 0;
}

static void init(void)
{
    if (inited || resolving) return;
    resolving = 1;
    real_malloc = (void *(*)(size_t))dlsym(RTLD_NEXT, "malloc");
    real_calloc = (void *(*)(size_t, size_t))dlsym(RTLD_NEXT, "calloc");
    real_realloc = (void *(*)(void *, size_t))dlsym(RTLD_NEXT, "realloc");
    const char *e = getenv("RD_FAIL_AT");
    if (e && *e) fail_at = atol(e);
    sticky = flag("RD_FAIL_STICKY");
    trap = flag("RD_FAIL_TRAP");
    resolving = 0;
    inited = 1;
}

static int fail_now(void)
{
    count++;
    if (fail_at < 0) return 0;
    int hit = sticky ? count >= fail_at : count == fail_at;
    if (hit && trap && count == fail_at) __builtin_trap();
    if (hit) errno = ENOMEM;
    return hit;
}

void *malloc(size_t n)
{
    init();
    if (!real_malloc) return boot_alloc(n);
    return fail_now() ? NULL : real_malloc(n);
}

void *calloc(size_t a, size_t b)
{
    init();
    if (!real_calloc) {
        void *p = boot_alloc(a * b);
        if (p) memset(p, 0, a * b);
        return p;
    }
    return fail_now() ? NULL : real_calloc(a, b);
}

void *realloc(void *p, size_t n)
{
    init();
    return fail_now() ? NULL : real_realloc(p, n);
}

__attribute__((destructor)) static void report(void)
{
    if (fail_at >= 0 || !flag("RD_FAIL_COUNT")) return;
    char b[64];
    int k = snprintf(b, sizeof b, "allocs: %ld\n", count);
    if (k > 0) (void)!write(2, b, (size_t)k);
}
