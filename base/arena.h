/* Bump allocator: the AST, the symbol tables and every string of a program live in one arena and
 * are released together, so no pass has to track ownership of what it builds. */
#ifndef RD_ARENA_H
#define RD_ARENA_H
#include <stdarg.h>
#include <stddef.h>

typedef struct rd_arena_chunk rd_arena_chunk;
typedef struct rd_arena {
    rd_arena_chunk *head;
    size_t used;        /* bytes handed out, for the memory figures in bench/ */
    int failed;         /* set once an allocation failed; callers check it at pass boundaries */
} rd_arena;

void  rd_arena_init(rd_arena *a);
void  rd_arena_release(rd_arena *a);
/* Zeroed memory, or NULL (and a->failed set) when the system is out of memory. */
void *rd_arena_alloc(rd_arena *a, size_t n);
char *rd_arena_strndup(rd_arena *a, const char *s, size_t n);
char *rd_arena_strdup(rd_arena *a, const char *s);
char *rd_arena_printf(rd_arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
char *rd_arena_vprintf(rd_arena *a, const char *fmt, va_list ap);

#endif
