/* Diagnostics: storage, "did you mean", and the compiler-style text rendering. */
#include "diag.h"
#include <stdint.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

rd_diagnostics *rd_diagnostics_new(void)
{
    rd_diagnostics *d = calloc(1, sizeof *d);
    if (d) rd_arena_init(&d->arena);
    return d;
}

void rd_diagnostics_free(rd_diagnostics *d)
{
    if (!d) return;
    rd_arena_release(&d->arena);
    free(d->v);
    free(d);
}

size_t rd_diagnostics_len(const rd_diagnostics *d) { return d ? d->n : 0; }

const rd_diagnostic *rd_diagnostics_get(const rd_diagnostics *d, size_t i)
{
    return d && i < d->n ? &d->v[i]->pub : NULL;
}

size_t rd_diagnostics_count(const rd_diagnostics *d, rd_severity sev)
{
    return d && (unsigned)sev < 3 ? d->counts[sev] : 0;
}

rd_status rd_diagnostics_status(const rd_diagnostics *d) { return d ? d->status : RD_ERR_NOMEM; }

void rd_diag_set_status(rd_diagnostics *d, rd_status st)
{
    /* RD_ERR_IO and RD_ERR_NOMEM outrank program errors: they say the answer is incomplete. */
    if (st > d->status) d->status = st;
}

/* Byte offset of the 1-based code point `cp` in the n bytes at s (or of their end). */
static size_t cp_offset(const char *s, size_t n, unsigned cp)
{
    size_t i = 0;
    unsigned seen = 0;
    for (; i < n; i++) {
        if (((unsigned char)s[i] & 0xC0) != 0x80) {
            if (++seen == cp) return i;
        }
    }
    return i;
}

/* Lines longer than this are shown as a window around the caret. */
#define RD_SHOWN_COLS 100u

/* The part of the line s (n bytes) shown around column col: from column *first, the bytes
 * [*b0, *b1), and whether the line goes on after them. */
static void window(const char *s, size_t n, unsigned col, unsigned *first, size_t *b0, size_t *b1, int *more)
{
    unsigned total = 0;
    for (size_t i = 0; i < n; i++) total += ((unsigned char)s[i] & 0xC0) != 0x80;
    *first = total > RD_SHOWN_COLS && col > RD_SHOWN_COLS / 2 ? col - RD_SHOWN_COLS / 2 : 1;
    unsigned last = *first + RD_SHOWN_COLS - 1;
    *b0 = cp_offset(s, n, *first);
    *b1 = cp_offset(s, n, last + 1);
    *more = total > last;
}

static void fill_place(rd_diagnostics *d, rd_sources *src, rd_diagnostic *out, rd_span span)
{
    if (!src || span.file >= src->n) return;
    rd_source *s = &src->v[span.file];
    out->file = s->path;
    out->line = span.line;
    out->col = span.col;
    out->end_col = span.end_line == span.line && span.end_col >= span.col ? span.end_col : span.col;
    size_t len;
    const char *l = span.line && !s->private_ ? rd_source_line(s, span.line, &len) : NULL;
    if (!l) return;
    if (len <= RD_DIAG_LINE_MAX) {
        out->source_line = rd_arena_strndup(&d->arena, l, len);
        return;
    }
    /* Only what is shown is kept: a thousand diagnostics on a line of 128 KiB would otherwise
     * hold 128 MiB. */
    unsigned first;
    size_t b0, b1;
    int more;
    window(l, len, span.col, &first, &b0, &b1, &more);
    out->source_line = rd_arena_printf(&d->arena, "%s%.*s%s", first > 1 ? "..." : "", (int)(b1 - b0), l + b0,
                                       more ? "..." : "");
    out->source_col = first;
}

static rd_diag_item *new_item(rd_diagnostics *d, rd_severity sev)
{
    d->counts[sev]++;
    if (sev == RD_SEV_ERROR) rd_diag_set_status(d, RD_ERR_PROGRAM);
    if (d->n >= RD_DIAG_STORE_MAX || d->arena.used >= RD_DIAG_MAX_BYTES) return NULL;
    if (d->n == d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 16;
        rd_diag_item **v = realloc(d->v, cap * sizeof *v);
        if (!v) {
            rd_diag_set_status(d, RD_ERR_NOMEM);
            return NULL;
        }
        d->v = v;
        d->cap = cap;
    }
    rd_diag_item *it = rd_arena_alloc(&d->arena, sizeof *it);
    if (!it) {
        rd_diag_set_status(d, RD_ERR_NOMEM);
        return NULL;
    }
    it->pub.severity = sev;
    d->v[d->n++] = it;
    return it;
}

/* A new diagnostic with its message, code and help; NULL when it is only counted. */
static rd_diag_item *start(rd_diagnostics *d, rd_severity sev, const char *code, const char *help, const char *fmt,
                           va_list ap)
{
    rd_diag_item *it = new_item(d, sev);
    if (!it) return NULL;
    it->pub.message = rd_arena_vprintf(&d->arena, fmt, ap);
    it->pub.code = code ? rd_arena_strdup(&d->arena, code) : "";
    it->pub.help = help ? rd_arena_strdup(&d->arena, help) : NULL;
    return it;
}

rd_diagnostic *rd_diag_at(rd_diagnostics *d, rd_sources *src, rd_severity sev, const char *code,
                          rd_span span, const char *help, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    rd_diag_item *it = start(d, sev, code, help, fmt, ap);
    va_end(ap);
    if (!it) return NULL;
    fill_place(d, src, &it->pub, span);
    if (it->pub.file) it->pub.file = rd_arena_strdup(&d->arena, it->pub.file);
    return &it->pub;
}

void rd_diag_note(rd_diagnostics *d, rd_sources *src, rd_diagnostic *diag, rd_span span,
                  const char *fmt, ...)
{
    if (!diag) return;
    rd_diag_item *it = (rd_diag_item *)diag;
    rd_diagnostic *n = &it->note_storage;
    memset(n, 0, sizeof *n);
    n->severity = RD_SEV_NOTE;
    n->code = diag->code;
    va_list ap;
    va_start(ap, fmt);
    n->message = rd_arena_vprintf(&d->arena, fmt, ap);
    va_end(ap);
    fill_place(d, src, n, span);
    if (n->file) n->file = rd_arena_strdup(&d->arena, n->file);
    it->pub.note = n;
}

rd_diagnostic *rd_diag_file(rd_diagnostics *d, rd_severity sev, const char *code, const char *file,
                            const char *help, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    rd_diag_item *it = start(d, sev, code, help, fmt, ap);
    va_end(ap);
    if (!it) return NULL;
    it->pub.file = file ? rd_arena_strdup(&d->arena, file) : NULL;
    return &it->pub;
}

const char *rd_quoted_list(rd_arena *a, const char *const *names, size_t n)
{
    char list[1024];
    size_t off = 0;
    list[0] = '\0';
    for (size_t i = 0; i < n && off < sizeof list; i++) {
        int w = snprintf(list + off, sizeof list - off, "%s`%s`", i ? ", " : "", names[i]);
        if (w > 0) off += (size_t)w;
    }
    if (off >= sizeof list) off = sizeof list - 1;
    return rd_arena_strndup(a, list, off);
}

size_t rd_edit_distance(const char *a, const char *b, size_t limit)
{
    /* Optimal string alignment distance (Levenshtein plus adjacent transpositions), which is what
     * a typing slip produces; two rows of history are enough for it. */
    size_t la = strlen(a), lb = strlen(b);
    if (la > 64 || lb > 64) return limit + 1;
    if ((la > lb ? la - lb : lb - la) > limit) return limit + 1;
    size_t rows[3][65];
    size_t *pp = rows[0], *prev = rows[1], *cur = rows[2];
    for (size_t j = 0; j <= lb; j++) prev[j] = j;
    for (size_t i = 1; i <= la; i++) {
        cur[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t cost = a[i - 1] != b[j - 1];
            size_t v = prev[j] + 1;
            if (cur[j - 1] + 1 < v) v = cur[j - 1] + 1;
            if (prev[j - 1] + cost < v) v = prev[j - 1] + cost;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && pp[j - 2] + 1 < v)
                v = pp[j - 2] + 1;
            cur[j] = v;
        }
        size_t *t = pp;
        pp = prev;
        prev = cur;
        cur = t;
    }
    return prev[lb];
}

const char *rd_did_you_mean(const char *word, const char *const *candidates, size_t n)
{
    size_t len = strlen(word);
    size_t limit = len <= 4 ? 1 : len <= 8 ? 2 : 3;
    const char *best = NULL;
    size_t best_d = limit + 1;
    for (size_t i = 0; i < n; i++) {
        size_t dd = rd_edit_distance(word, candidates[i], limit);
        if (dd < best_d) {
            best_d = dd;
            best = candidates[i];
        }
    }
    return best;
}

/* Writes n bytes of s (all of it when n is SIZE_MAX) with every control character shown as `?` and
 * a tab as a space: whatever a file or a name holds, it never drives the terminal. One code point
 * stands for one, so the caret under a line still points where it should. */
static void put_visible(FILE *out, const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    for (size_t i = 0; i < n && p[i];) {
        unsigned c = p[i];
        size_t len = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
        unsigned cp = len > 1 ? c & (0x7Fu >> len) : c;
        /* a broken sequence (the line of an encoding error) is shown byte by byte, each as `?`: a
         * continuation byte missing, an overlong form, a surrogate or past U+10FFFF */
        for (size_t k = 1; k < len; k++) {
            if (i + k >= n || (p[i + k] & 0xC0) != 0x80) {
                len = 0;
                break;
            }
            cp = (cp << 6) | (p[i + k] & 0x3F);
        }
        static const unsigned least[] = {0, 0, 0x80, 0x800, 0x10000};
        if (len > 1 && (cp < least[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))) len = 0;
        if (!len) {
            fputc('?', out);
            i++;
            continue;
        }
        if (c == '\t') fputc(' ', out);
        else if (rd_is_control(cp) || c == '\r' || c == '\n') fputc('?', out);
        else fwrite(p + i, 1, len, out);
        i += len;
    }
}

static void put_text(FILE *out, const char *s) { put_visible(out, s, SIZE_MAX); }

static void print_one(FILE *out, const rd_diagnostic *g)
{
    static const char *const sev[] = {"error", "warning", "note"};
    /* A principle's failure carries the principle's name, which a waiver needs. */
    char kind[128];
    if (g->citation) snprintf(kind, sizeof kind, "%s[%s]", sev[g->severity], g->code);
    else snprintf(kind, sizeof kind, "%s", sev[g->severity]);
    if (g->file) {
        put_text(out, g->file);
        if (g->line) fprintf(out, ":%u:%u", g->line, g->col);
        fputs(": ", out);
    }
    fprintf(out, "%s: ", kind);
    put_text(out, g->message);
    fputc('\n', out);
    if (g->source_line) {
        char num[16];
        int w = snprintf(num, sizeof num, "%u", g->line);
        unsigned first, col = g->col, end = g->end_col;
        size_t b0, b1, n = strlen(g->source_line);
        int more, cut = g->source_col > 1;
        /* A line fill_place cut is the window already, with its "..." marks. */
        if (cut) {
            first = g->source_col;
            b0 = 0;
            b1 = n;
            more = 0;
        } else {
            window(g->source_line, n, col, &first, &b0, &b1, &more);
        }
        unsigned last = first + RD_SHOWN_COLS - 1;
        fprintf(out, " %s | %s", num, first > 1 && !cut ? "..." : "");
        put_visible(out, g->source_line + b0, b1 - b0);
        fprintf(out, "%s\n", more ? "..." : "");
        fprintf(out, " %*s | %s", w, "", first > 1 ? "   " : "");
        for (unsigned i = first; i < col; i++) fputc(' ', out);
        fputc('^', out);
        if (end > last) end = last;
        for (unsigned i = col; i < end; i++) fputc('~', out);
        fputc('\n', out);
    }
    /* A counterexample, one step per line, each with its place so editors can jump to it. */
    for (size_t i = 0; g->path && i < g->path_len; i++) {
        const rd_path_step *s = &g->path[i];
        fputs(i ? "     -> " : "  path: ", out);
        if (s->file) {
            put_text(out, s->file);
            if (s->line) fprintf(out, ":%u:%u", s->line, s->col);
            fputs(": ", out);
        }
        put_text(out, s->text ? s->text : "");
        fputc('\n', out);
    }
    if (g->citation) {
        fputs("  principle: ", out);
        put_text(out, g->citation);
        fputc('\n', out);
    }
    if (g->help) {
        fputs("  help: ", out);
        put_text(out, g->help);
        fputc('\n', out);
    }
}

void rd_diagnostics_print(const rd_diagnostics *d, FILE *out, unsigned max_errors)
{
    if (!d) return;
    if (!max_errors) max_errors = 20;
    size_t shown = 0, hidden;
    for (size_t i = 0; i < d->n; i++) {
        const rd_diagnostic *g = &d->v[i]->pub;
        if (g->severity == RD_SEV_ERROR && shown >= max_errors) continue;
        if (g->severity == RD_SEV_ERROR) shown++;
        print_one(out, g);
        if (g->note) print_one(out, g->note);
    }
    /* Errors past RD_DIAG_STORE_MAX were counted but not stored. */
    hidden = d->counts[RD_SEV_ERROR] - shown;
    if (hidden) fprintf(out, "... and %zu more error%s not shown\n", hidden, hidden == 1 ? "" : "s");
    /* A clean run's summary is the caller's ("FILE: ok"); a failing one ends with the counts. */
    size_t ne = d->counts[RD_SEV_ERROR], nw = d->counts[RD_SEV_WARNING];
    if (ne)
        fprintf(out, "%zu error%s, %zu warning%s\n", ne, ne == 1 ? "" : "s", nw, nw == 1 ? "" : "s");
}

void rd_diag_set_path(rd_diagnostics *d, rd_sources *src, rd_diagnostic *diag, const rd_span *spans,
                      const char *const *texts, size_t n, const char *citation)
{
    if (!diag || d->arena.used >= RD_DIAG_MAX_BYTES) return;
    rd_path_step *steps = n ? rd_arena_alloc(&d->arena, n * sizeof *steps) : NULL;
    if (n && !steps) return;
    for (size_t i = 0; i < n; i++) {
        rd_span sp = spans[i];
        steps[i].file = sp.line && sp.file < src->n ? rd_arena_strdup(&d->arena, src->v[sp.file].path) : NULL;
        steps[i].line = sp.line;
        steps[i].col = sp.col;
        steps[i].text = rd_arena_strdup(&d->arena, texts[i]);
    }
    diag->path = steps;
    diag->path_len = n;
    diag->citation = citation ? rd_arena_strdup(&d->arena, citation) : NULL;
}

