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
static const rd_options test_opt = {test_search, 2};

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

/* Fills tests[n...] with one test a row of the array `rows`: `fn` run with the row as its state,
 * named by the row's field `name`. */
#define add_row_tests(tests, n, rows, name, fn)                                                    \
    for (size_t row_ = 0; row_ < sizeof(rows) / sizeof *(rows); row_++)                           \
    (tests)[(n)++] = (struct CMUnitTest){(rows)[row_].name, (fn), NULL, NULL, (void *)&(rows)[row_]}

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
