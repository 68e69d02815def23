/* rd_fmt_text: the layout rules one at a time, and what it refuses. */
#include "helpers.h"

/* Formats `in`, expects `want`, and expects formatting `want` to give `want` again. */
static void formats_to(const char *in, const char *want)
{
    char *out = NULL, *again = NULL;
    size_t n = 0, n2 = 0;
    rd_diagnostics *d = NULL;
    assert_int_equal(rd_fmt_text("t.sop", in, strlen(in), &out, &n, &d), RD_OK);
    rd_diagnostics_free(d);
    assert_non_null(out);
    assert_string_equal(out, want);
    assert_int_equal(n, strlen(want));
    assert_int_equal(rd_fmt_text("t.sop", out, n, &again, &n2, &d), RD_OK);
    rd_diagnostics_free(d);
    assert_string_equal(again, want);
    free(out);
    free(again);
}

static void spacing_and_indentation(void **state)
{
    (void)state;
    formats_to("fact x : bool=a==b and(c<=72 or known d)\"X\"",
               "fact x: bool = a == b and (c <= 72 or known d) \"X\"\n");
    formats_to("actor a \"A\"\n{\n\tsector   h specialist\nprovides u,v ,w\n}\n",
               "actor a \"A\" {\n  sector h\n  specialist\n  provides u, v, w\n}\n");
}

static void one_line_blocks_stay_and_else_joins(void **state)
{
    (void)state;
    formats_to("pathway p \"P\" {\n step s \"S\" by provider {\n  if a { goto s }\n  else {\n goto s }\n  seek c {granted{}refused {\n}}\n }\n}\n",
               "pathway p \"P\" {\n  step s \"S\" by provider {\n    if a { goto s } else {\n      goto s\n    }\n"
               "    seek c {\n      granted { }\n      refused { }\n    }\n  }\n}\n");
    /* a block written on one line keeps it, however many items it holds */
    formats_to("pathway p \"P\" {\n step s \"S\" by provider { seek c {granted{}refused {   }} }\n}\n",
               "pathway p \"P\" {\n  step s \"S\" by provider { seek c { granted { } refused { } } }\n}\n");
}

static void comments_kept_and_aligned(void **state)
{
    (void)state;
    formats_to("# head\n\n\n\nsop \"S\" {\n  version \"1\" # v\n   languages th    # l\n        # own line\n}\n",
               "# head\n\nsop \"S\" {\n  version \"1\"   # v\n  languages th  # l\n  # own line\n}\n");
}

static void blank_lines_around_long_declarations(void **state)
{
    (void)state;
    formats_to("use std\nuse rules.esp\nactor a \"A\" {\n  sector h\n}\nnotice n \"N\"\nnotice m \"M\"\n",
               "use std\nuse rules.esp\n\nactor a \"A\" {\n  sector h\n}\n\nnotice n \"N\"\nnotice m \"M\"\n");
}

static void texts_are_never_changed(void **state)
{
    (void)state;
    /* aligned pieces stay aligned under the first quote; escapes and a `#` inside are text */
    formats_to("sop \"S\" {\n    purpose \"a \\\"b\\\" # c \"\n            \"d\"   # after d\n}\n",
               "sop \"S\" {\n  purpose \"a \\\"b\\\" # c \"\n          \"d\"  # after d\n}\n");
}

static void syntax_errors_are_refused(void **state)
{
    (void)state;
    char *out = (char *)"untouched";
    size_t n = 7;
    rd_diagnostics *d = NULL;
    const char *in = "actor a \"A\" {\n  provides u,\n}\n";
    assert_int_equal(rd_fmt_text("t.sop", in, strlen(in), &out, &n, &d), RD_ERR_PROGRAM);
    assert_null(out);
    assert_int_equal(n, 0);
    const rd_diagnostic *g = find_diag(d, "syntax");
    assert_non_null(g);
    assert_int_equal(g->line, 3);
    assert_null(find_diag(d, "fmt-internal"));
    rd_diagnostics_free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(spacing_and_indentation),
        cmocka_unit_test(one_line_blocks_stay_and_else_joins),
        cmocka_unit_test(comments_kept_and_aligned),
        cmocka_unit_test(blank_lines_around_long_declarations),
        cmocka_unit_test(texts_are_never_changed),
        cmocka_unit_test(syntax_errors_are_refused),
    };
    return cmocka_run_group_tests_name("fmt", tests, NULL, NULL);
}
