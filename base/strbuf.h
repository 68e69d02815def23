/* A growing string for the emitters that build a whole document in memory before writing it
 * (DOT, Cedar), so that a failure never leaves half of one on the output. Running out of memory
 * is sticky: `failed` is set, further writes do nothing, and the caller checks it once. */
#ifndef RD_STRBUF_H
#define RD_STRBUF_H
#include <stddef.h>

typedef struct rd_sb {
    char *s; /* NUL-terminated; NULL until the first write */
    size_t n, cap;
    int failed;
} rd_sb;

void rd_sb_putn(rd_sb *b, const char *s, size_t n);
void rd_sb_puts(rd_sb *b, const char *s);
void rd_sb_printf(rd_sb *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
