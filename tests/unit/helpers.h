/* Shared by the unit tests: compile text in memory against the repository's stdlib/ and rules/. */
#ifndef RD_TEST_HELPERS_H
#define RD_TEST_HELPERS_H
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "program.h"

static const char *const test_search[] = {"stdlib", "."};
static const rd_options test_opt = {test_search, 2, 0};

/* Writes `text` to dir/name for a test to read back. */
static inline void put_file(const char *dir, const char *name, const char *text)
{
    char path[128];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

/* Compiles `text`; returns the program (or NULL) and leaves the diagnostics in *d. */
static inline rd_program *compile_str(const char *text, rd_diagnostics **d)
{
    return rd_compile_text("t.sop", text, strlen(text), &test_opt, d);
}

/* p, a program that must have compiled: when it did not, its diagnostics d are printed. d is freed. */
static inline rd_program *compiled(rd_program *p, rd_diagnostics *d)
{
    if (!p) rd_diagnostics_print(d, stderr, 0);
    rd_diagnostics_free(d);
    assert_non_null(p);
    return p;
}

/* d, the diagnostics of a program p that must not have compiled. */
static inline rd_diagnostics *refusal(rd_program *p, rd_diagnostics *d)
{
    assert_null(p);
    assert_non_null(d);
    return d;
}

/* `text`, which must compile (the caller frees the program), or must not (the caller frees the
 * diagnostics). */
static inline rd_program *compile_ok(const char *text)
{
    rd_diagnostics *d;
    rd_program *p = compile_str(text, &d);
    return compiled(p, d);
}
static inline rd_diagnostics *refused(const char *text)
{
    rd_diagnostics *d;
    rd_program *p = compile_str(text, &d);
    return refusal(p, d);
}

/* What the diagnostic at index `at` must be: each field given (not 0, not NULL) is checked; `note`
 * 1: it points at a second place. */
typedef struct want_diag {
    size_t at;
    const char *code;
    unsigned line, col;
    const char *message, *help;
    int note;
} want_diag;

/* A text that must not compile, and what its diagnostics say: `errors` errors (0: not counted),
 * then each of `want` up to the first that checks nothing. `len` 0: the text is a C string. One
 * test a row (RUN_ROWS), named by `name`. */
typedef struct refusal_row {
    const char *name, *text;
    size_t len, errors;
    want_diag want[4];
} refusal_row;

static inline void check_refusal(void **state)
{
    const refusal_row *r = *state;
    rd_diagnostics *d;
    rd_program *p = rd_compile_text("t.sop", r->text, r->len ? r->len : strlen(r->text), &test_opt, &d);
    refusal(p, d);
    if (r->errors) assert_int_equal(rd_diagnostics_count(d, RD_SEV_ERROR), r->errors);
    for (const want_diag *w = r->want; w < r->want + 4 && (w->code || w->line || w->col || w->message || w->help || w->note); w++) {
        const rd_diagnostic *g = rd_diagnostics_get(d, w->at);
        if (!g) fail_msg("no diagnostic %zu", w->at);
        if (w->code) assert_string_equal(g->code, w->code);
        if (w->line) assert_int_equal(g->line, w->line);
        if (w->col) assert_int_equal(g->col, w->col);
        if (w->message) assert_string_equal(g->message, w->message);
        if (w->help) assert_string_equal(g->help, w->help);
        if (w->note) assert_non_null(g->note);
    }
    rd_diagnostics_free(d);
}

/* Runs the group `name`: one test a row of a table, `fn` given the row as its state and named by
 * the row's first field (a string), then the tests in `more`. Use RUN_ROWS. */
static inline int run_rows(const char *name, CMUnitTestFunction fn, const void *rows, size_t row_size, size_t nrows,
                           const struct CMUnitTest *more, size_t nmore, CMFixtureFunction setup, CMFixtureFunction teardown)
{
    struct CMUnitTest *t = calloc(nrows + nmore, sizeof *t);
    assert_non_null(t);
    for (size_t i = 0; i < nrows; i++) {
        const void *row = (const char *)rows + i * row_size;
        t[i] = (struct CMUnitTest){*(const char *const *)row, fn, NULL, NULL, (void *)row};
    }
    for (size_t i = 0; i < nmore; i++) t[nrows + i] = more[i];
    int failed = _cmocka_run_group_tests(name, t, nrows + nmore, setup, teardown);
    free(t);
    return failed;
}
#define RUN_ROWS(name, fn, rows, more, setup, teardown)                                            \
    run_rows(name, fn, rows, sizeof *(rows), sizeof(rows) / sizeof *(rows), more, sizeof(more) / sizeof *(more), setup, \
             teardown)

/* The diagnostics of compiling base followed by extra (the program itself is not kept). */
static inline rd_diagnostics *diagnostics_of(const char *base, const char *extra)
{
    size_t n = strlen(base) + strlen(extra) + 1;
    char *text = malloc(n);
    assert_non_null(text);
    snprintf(text, n, "%s%s", base, extra);
    rd_diagnostics *d;
    rd_program_free(compile_str(text, &d));
    free(text);
    assert_non_null(d);
    return d;
}

/* The first diagnostic with the given code, or NULL. */
static inline const rd_diagnostic *find_diag(const rd_diagnostics *d, const char *code)
{
    for (size_t i = 0; i < rd_diagnostics_len(d); i++)
        if (strcmp(rd_diagnostics_get(d, i)->code, code) == 0) return rd_diagnostics_get(d, i);
    return NULL;
}

/* The first diagnostic with the given code, which must be there. */
static inline const rd_diagnostic *the_diag(const rd_diagnostics *d, const char *code)
{
    const rd_diagnostic *g = find_diag(d, code);
    if (!g) {
        rd_diagnostics_print(d, stderr, 0);
        fail_msg("no `%s` diagnostic among these", code);
    }
    return g;
}

/* The one error among the diagnostics (printed when there are more or none). */
static inline const rd_diagnostic *only_error(const rd_diagnostics *d)
{
    if (rd_diagnostics_count(d, RD_SEV_ERROR) != 1) rd_diagnostics_print(d, stderr, 0);
    assert_int_equal(rd_diagnostics_count(d, RD_SEV_ERROR), 1);
    for (size_t i = 0; i < rd_diagnostics_len(d); i++)
        if (rd_diagnostics_get(d, i)->severity == RD_SEV_ERROR) return rd_diagnostics_get(d, i);
    return NULL;
}

/* A diagnostic says `message` at line:col. A macro, so that a failure names the test's line. */
#define assert_diag(g, line_, col_, message_)                                                     \
    do {                                                                                           \
        const rd_diagnostic *g_ = (g);                                                             \
        assert_non_null(g_);                                                                       \
        assert_string_equal(g_->message, message_);                                                \
        assert_int_equal(g_->line, line_);                                                         \
        assert_int_equal(g_->col, col_);                                                           \
    } while (0)

static inline rd_decl *decl_named(rd_program *p, rd_decl_kind k, const char *id)
{
    return rd_map_get(&p->names[k], id);
}

#endif
