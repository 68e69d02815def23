/* Bump allocator in chunks; a request larger than a chunk gets a chunk of its own. */
#include "arena.h"
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RD_ARENA_CHUNK (64u * 1024u)

struct rd_arena_chunk {
    rd_arena_chunk *next;
    size_t size, off;
    max_align_t data[];
};

void rd_arena_init(rd_arena *a) { memset(a, 0, sizeof *a); }

void rd_arena_release(rd_arena *a)
{
    rd_arena_chunk *c = a->head;
    while (c) {
        rd_arena_chunk *n = c->next;
        free(c);
        c = n;
    }
    a->head = NULL;
    a->used = 0;
}

void *rd_arena_alloc(rd_arena *a, size_t n)
{
    const size_t align = sizeof(max_align_t);
    n = (n + align - 1) & ~(align - 1);
    if (n == 0) n = align;
    rd_arena_chunk *c = a->head;
    if (!c || c->size - c->off < n) {
        size_t size = n > RD_ARENA_CHUNK ? n : RD_ARENA_CHUNK;
        c = malloc(sizeof *c + size);
        if (!c) {
            a->failed = 1;
            return NULL;
        }
        c->size = size;
        c->off = 0;
        /* A private oversized chunk goes behind the head so the head's free space stays usable. */
        if (a->head && size > RD_ARENA_CHUNK) {
            c->next = a->head->next;
            a->head->next = c;
        } else {
            c->next = a->head;
            a->head = c;
        }
    }
    void *p = (char *)c->data + c->off;
    c->off += n;
    a->used += n;
    memset(p, 0, n);
    return p;
}

char *rd_arena_strndup(rd_arena *a, const char *s, size_t n)
{
    char *p = rd_arena_alloc(a, n + 1);
    if (!p) return NULL;
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *rd_arena_strdup(rd_arena *a, const char *s) { return rd_arena_strndup(a, s, strlen(s)); }

char *rd_arena_vprintf(rd_arena *a, const char *fmt, va_list ap)
{
    va_list cp;
    va_copy(cp, ap);
    int n = vsnprintf(NULL, 0, fmt, cp);
    va_end(cp);
    if (n < 0) return NULL;
    char *p = rd_arena_alloc(a, (size_t)n + 1);
    if (p) vsnprintf(p, (size_t)n + 1, fmt, ap);
    return p;
}

char *rd_arena_printf(rd_arena *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *p = rd_arena_vprintf(a, fmt, ap);
    va_end(ap);
    return p;
}
