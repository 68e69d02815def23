/* Loading source files and mapping positions back to lines for diagnostics. */
#include "source.h"
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int reserve(rd_sources *s)
{
    if (s->n < s->cap) return 0;
    size_t cap = s->cap ? s->cap * 2 : 8;
    rd_source *v = realloc(s->v, cap * sizeof *v);
    if (!v) return -1;
    s->v = v;
    s->cap = cap;
    return 0;
}

static int push(rd_sources *s, char *path, char *real, char *text, size_t len, uint32_t *index)
{
    if (reserve(s) != 0) return -1;
    rd_source *src = &s->v[s->n];
    memset(src, 0, sizeof *src);
    src->path = path;
    src->real = real;
    src->text = text;
    src->len = len;
    *index = (uint32_t)s->n++;
    return 0;
}

/* Reads the regular file at path into a new NUL-terminated buffer. A FIFO, a device or a folder is
 * refused before it is opened, and the open itself cannot block (O_NONBLOCK), in case the file was
 * swapped for a FIFO in between: reading one would wait for a writer that may never come. */
static rd_read_status read_regular(const char *path, char **text_out, size_t *len_out)
{
    struct stat st;
    if (stat(path, &st) != 0) return errno == ENOMEM ? RD_READ_NOMEM : RD_READ_MISSING;
    if (!S_ISREG(st.st_mode)) return RD_READ_NOT_REGULAR;
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) return errno == ENOMEM ? RD_READ_NOMEM : RD_READ_MISSING;
    rd_read_status rs = RD_READ_OK;
    if (fstat(fd, &st) != 0) rs = RD_READ_MISSING;
    else if (!S_ISREG(st.st_mode)) rs = RD_READ_NOT_REGULAR;
    else if ((unsigned long long)st.st_size > RD_MAX_FILE_SIZE) rs = RD_READ_TOO_BIG;
    size_t want = rs == RD_READ_OK ? (size_t)st.st_size : 0, got = 0;
    char *text = rs == RD_READ_OK ? malloc(want + 1) : NULL;
    if (rs == RD_READ_OK && !text) rs = RD_READ_NOMEM;
    /* A file that shrinks while it is read ends where the reading does. */
    while (rs == RD_READ_OK && got < want) {
        ssize_t k = read(fd, text + got, want - got);
        if (k < 0 && errno == EINTR) continue;
        if (k < 0) rs = RD_READ_MISSING;
        if (k <= 0) break;
        got += (size_t)k;
    }
    close(fd);
    if (rs != RD_READ_OK) {
        free(text);
        return rs;
    }
    text[got] = '\0';
    *text_out = text;
    *len_out = got;
    return RD_READ_OK;
}

rd_read_status rd_sources_load(rd_sources *s, const char *path, uint32_t *index, int *fresh)
{
    *fresh = 0;
    char *real = realpath(path, NULL);
    if (!real) return errno == ENOMEM ? RD_READ_NOMEM : RD_READ_MISSING;
    for (size_t i = 0; i < s->n; i++) {
        if (s->v[i].real && strcmp(s->v[i].real, real) == 0) {
            free(real);
            *index = (uint32_t)i;
            return RD_READ_OK;
        }
    }
    char *text = NULL, *p = NULL;
    size_t len = 0;
    rd_read_status rs = read_regular(real, &text, &len);
    if (rs == RD_READ_OK && (!(p = strdup(path)) || push(s, p, real, text, len, index) != 0)) rs = RD_READ_NOMEM;
    if (rs != RD_READ_OK) {
        free(text);
        free(p);
        free(real);
        return rs;
    }
    *fresh = 1;
    return RD_READ_OK;
}

int rd_sources_add_text(rd_sources *s, const char *name, const char *text, size_t len, uint32_t *index)
{
    char *t = malloc(len + 1), *p = strdup(name);
    if (!t || !p || push(s, p, NULL, t, len, index) != 0) {
        free(t);
        free(p);
        return -1;
    }
    if (len) memcpy(t, text, len);
    t[len] = '\0';
    return 0;
}

void rd_sources_free(rd_sources *s)
{
    for (size_t i = 0; i < s->n; i++) {
        free(s->v[i].path);
        free(s->v[i].real);
        free(s->v[i].text);
        free(s->v[i].line_starts);
    }
    free(s->v);
    memset(s, 0, sizeof *s);
}

void rd_sources_drop_text(rd_sources *s, uint32_t index)
{
    rd_source *src = &s->v[index];
    if (src->text) memset(src->text, 0, src->len); /* her data: not left in freed memory either */
    free(src->text);
    free(src->line_starts);
    src->text = NULL;
    src->line_starts = NULL;
    src->len = 0;
    src->nlines = 0;
}

void rd_sources_forget(rd_sources *s, uint32_t index)
{
    rd_sources_drop_text(s, index);
    if (index + 1 != s->n) return;
    free(s->v[index].path);
    free(s->v[index].real);
    s->n--;
}

const char *rd_source_line(rd_source *src, uint32_t line, size_t *len)
{
    if (!src->text) return NULL;
    if (!src->line_starts) {
        uint32_t n = 1;
        for (size_t i = 0; i < src->len; i++)
            if (src->text[i] == '\n') n++;
        src->line_starts = malloc(n * sizeof *src->line_starts);
        if (!src->line_starts) return NULL;
        src->line_starts[0] = 0;
        uint32_t k = 1;
        for (size_t i = 0; i < src->len; i++)
            if (src->text[i] == '\n') src->line_starts[k++] = (uint32_t)(i + 1);
        src->nlines = n;
    }
    if (line == 0 || line > src->nlines) return NULL;
    const char *b = src->text + src->line_starts[line - 1];
    const char *e = b;
    while (e < src->text + src->len && *e != '\n') e++;
    if (e > b && e[-1] == '\r') e--;
    *len = (size_t)(e - b);
    return b;
}

int rd_utf8_check(const char *text, size_t len, uint32_t *line, uint32_t *col)
{
    const unsigned char *p = (const unsigned char *)text, *end = p + len;
    uint32_t ln = 1, cl = 1;
    int why = -1;
    while (p < end) {
        unsigned c = *p;
        size_t n;
        unsigned min;
        if (c == 0) goto bad;
        if (c < 0x80) {
            /* Controls other than tab and line ends drive the terminal that shows the text (clear
             * the screen, hide text, write the clipboard), so no file may hold them. */
            if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F) {
                why = -2;
                goto bad;
            }
            if (c == '\n') {
                ln++;
                cl = 1;
            } else {
                cl++;
            }
            p++;
            continue;
        }
        if ((c & 0xE0) == 0xC0) { n = 2; min = 0x80; c &= 0x1F; }
        else if ((c & 0xF0) == 0xE0) { n = 3; min = 0x800; c &= 0x0F; }
        else if ((c & 0xF8) == 0xF0) { n = 4; min = 0x10000; c &= 0x07; }
        else goto bad;
        if ((size_t)(end - p) < n) goto bad;
        for (size_t i = 1; i < n; i++) {
            if ((p[i] & 0xC0) != 0x80) goto bad;
            c = (c << 6) | (p[i] & 0x3F);
        }
        if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) goto bad;
        if (rd_is_control(c)) {
            why = -2;
            goto bad;
        }
        p += n;
        cl++;
    }
    return 0;
bad:
    *line = ln;
    *col = cl;
    return why;
}

int rd_is_control(unsigned c)
{
    /* C0 but tab and line ends, DEL, C1 (U+009B is a terminal's CSI), and the bidirectional
     * overrides and isolates that make text read in another order than it is (CVE-2021-42574). */
    return (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || (c >= 0x7F && c <= 0x9F) || (c >= 0x202A && c <= 0x202E) ||
           (c >= 0x2066 && c <= 0x2069);
}

int rd_line_check(const char *text, size_t len, uint32_t *line, uint32_t *col)
{
    const char *p = text, *end = text + len;
    for (uint32_t ln = 1; p < end; ln++) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *stop = nl ? nl : end;
        if ((size_t)(stop - p) > RD_MAX_LINE) {
            uint32_t cl = 1;
            for (const char *q = p; q < p + RD_MAX_LINE; q++) cl += ((unsigned char)*q & 0xC0) != 0x80;
            *line = ln;
            *col = cl;
            return -1;
        }
        p = stop + 1;
    }
    return 0;
}

rd_read_status rd_sources_reload(rd_sources *s, uint32_t index)
{
    rd_source *src = &s->v[index];
    if (!src->real) return RD_READ_MISSING;
    char *text;
    size_t len;
    rd_read_status rs = read_regular(src->real, &text, &len);
    if (rs != RD_READ_OK) return rs;
    free(src->text);
    free(src->line_starts);
    src->text = text;
    src->len = len;
    src->line_starts = NULL;
    src->nlines = 0;
    return RD_READ_OK;
}
