/* Collecting diagnostics. Passes add to an rd_diagnostics and carry on; nothing prints from inside
 * the library. Each diagnostic copies the source line it points at so it stays printable after the
 * program that produced it is freed. */
#ifndef RD_DIAG_H
#define RD_DIAG_H
#include "rightdoor.h"
#include "arena.h"
#include "source.h"

/* Past this many stored diagnostics the rest are only counted: random input must not grow memory
 * without bound. */
#define RD_DIAG_STORE_MAX 1000
/* Nor past this many bytes of them (messages, lines, paths): a line of 128 KiB would otherwise cost
 * 128 KiB per diagnostic on it. */
#define RD_DIAG_MAX_BYTES (16u * 1024u * 1024u)
/* A source line longer than this is kept only as the window a diagnostic shows (rd_diagnostic's
 * source_col). */
#define RD_DIAG_LINE_MAX 1024u

typedef struct rd_diag_item {
    rd_diagnostic pub;
    rd_diagnostic note_storage;
} rd_diag_item;

struct rd_diagnostics {
    rd_arena arena;
    rd_diag_item **v;
    size_t n, cap;
    size_t counts[3];  /* by severity, including those not stored */
    rd_status status;
};

rd_diagnostics *rd_diagnostics_new(void);

/* Adds a diagnostic at `span` of a file in `src` (span.line 0: no position). `help` may be NULL.
 * Returns the stored diagnostic, or NULL if it was only counted. */
rd_diagnostic *rd_diag_at(rd_diagnostics *d, rd_sources *src, rd_severity sev, const char *code,
                          rd_span span, const char *help, const char *fmt, ...)
    __attribute__((format(printf, 7, 8)));
/* Attaches a second place ("first defined here") to a diagnostic. */
void rd_diag_note(rd_diagnostics *d, rd_sources *src, rd_diagnostic *diag, rd_span span,
                  const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* A diagnostic about a file as a whole, or no file at all. */
rd_diagnostic *rd_diag_file(rd_diagnostics *d, rd_severity sev, const char *code, const char *file,
                            const char *help, const char *fmt, ...) __attribute__((format(printf, 6, 7)));
void rd_diag_set_status(rd_diagnostics *d, rd_status st);
/* Attaches a counterexample (n steps, each a place and its text) and the principle's citation;
 * everything is copied. */
void rd_diag_set_path(rd_diagnostics *d, rd_sources *src, rd_diagnostic *diag, const rd_span *spans,
                      const char *const *texts, size_t n, const char *citation);

/* "`a`, `b`, `c`": names for a message, in the arena. */
const char *rd_quoted_list(rd_arena *a, const char *const *names, size_t n);

/* The closest of `candidates` to `word` by edit distance, when close enough to be a likely typo. */
const char *rd_did_you_mean(const char *word, const char *const *candidates, size_t n);
size_t rd_edit_distance(const char *a, const char *b, size_t limit);

/* A jansson string for s (null for NULL), each byte that is not valid UTF-8 written as U+FFFD: the
 * user's files and paths may hold such bytes. NULL only when out of memory. */
struct json_t *rd_json_str(const char *s);
/* Writes a JSON tree (and releases it) as one indented document and a newline, then flushes: made
 * in memory first, so running out of memory never leaves half a document. RD_OK, RD_ERR_IO or
 * RD_ERR_NOMEM. */
rd_status rd_json_write(struct json_t *root, FILE *out);

#endif
