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

static inline rd_decl *decl_named(rd_program *p, rd_decl_kind k, const char *id)
{
    return rd_map_get(&p->names[k], id);
}

#endif
