/* A growing text buffer for the benchmark generators (bench_front, bench_verify). Out of memory
 * ends the benchmark with status 3, as rightdoor does. */
#ifndef RD_BENCH_BUF_H
#define RD_BENCH_BUF_H
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

typedef struct buf { char *s; size_t n, cap; } buf;

static void add(buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add(buf *b, const char *fmt, ...)
{
    va_list ap;
    for (;;) {
        va_start(ap, fmt);
        int w = vsnprintf(b->s + b->n, b->cap - b->n, fmt, ap);
        va_end(ap);
        if (w >= 0 && (size_t)w < b->cap - b->n) {
            b->n += (size_t)w;
            return;
        }
        b->cap = b->cap * 2 + 65536;
        b->s = realloc(b->s, b->cap);
        if (!b->s) exit(3);
    }
}

#endif
