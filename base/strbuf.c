/* The emitters' growing string (strbuf.h). */
#include "strbuf.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void rd_sb_putn(rd_sb *b, const char *s, size_t n)
{
    if (b->failed) return;
    if (b->n + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (b->n + n + 1 > cap) cap *= 2;
        char *v = realloc(b->s, cap);
        if (!v) {
            b->failed = 1;
            return;
        }
        b->s = v;
        b->cap = cap;
    }
    memcpy(b->s + b->n, s, n);
    b->n += n;
    b->s[b->n] = '\0';
}

void rd_sb_puts(rd_sb *b, const char *s) { rd_sb_putn(b, s, strlen(s)); }

void rd_sb_printf(rd_sb *b, const char *fmt, ...)
{
    /* most pieces are short: format on the stack, and only a long one twice */
    char small[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0 || b->failed) return;
    if ((size_t)n < sizeof small) {
        rd_sb_putn(b, small, (size_t)n);
        return;
    }
    char *big = malloc((size_t)n + 1);
    if (!big) {
        b->failed = 1;
        return;
    }
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    rd_sb_putn(b, big, (size_t)n);
    free(big);
}
