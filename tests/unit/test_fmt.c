/* rd_fmt_text: the layout rules one at a time, and what it refuses. */
#include "helpers.h"

/* One layout rule: `in` formats to `want`, and formatting `want` gives `want` again. One test a
 * row, named by the rule. */
typedef struct layout {
    const char *rule, *in, *want;
} layout;

static const layout layouts[] = {
    {"spacing_in_expressions", "fact x : bool=a==b and(c<=72 or known d)\"X\"",
     "fact x: bool = a == b and (c <= 72 or known d) \"X\"\n"},
    {"indentation_one_item_a_line", "actor a \"A\"\n{\n\tsector   h specialist\nprovides u,v ,w\n}\n",
     "actor a \"A\" {\n  sector h\n  specialist\n  provides u, v, w\n}\n"},
    {"one_line_blocks_stay_and_else_joins",
     "pathway p \"P\" {\n step s \"S\" by provider {\n  if a { goto s }\n  else {\n goto s }\n  seek c {granted{}refused {\n}}\n }\n}\n",
     "pathway p \"P\" {\n  step s \"S\" by provider {\n    if a { goto s } else {\n      goto s\n    }\n"
     "    seek c {\n      granted { }\n      refused { }\n    }\n  }\n}\n"},
    /* a block written on one line keeps it, however many items it holds */
    {"a_block_on_one_line_stays_on_one_line",
     "pathway p \"P\" {\n step s \"S\" by provider { seek c {granted{}refused {   }} }\n}\n",
     "pathway p \"P\" {\n  step s \"S\" by provider { seek c { granted { } refused { } } }\n}\n"},
    {"comments_kept_and_aligned",
     "# head\n\n\n\nsop \"S\" {\n  version \"1\" # v\n   languages th    # l\n        # own line\n}\n",
     "# head\n\nsop \"S\" {\n  version \"1\"   # v\n  languages th  # l\n  # own line\n}\n"},
    {"blank_lines_around_long_declarations",
     "use std\nuse rules.esp\nactor a \"A\" {\n  sector h\n}\nnotice n \"N\"\nnotice m \"M\"\n",
     "use std\nuse rules.esp\n\nactor a \"A\" {\n  sector h\n}\n\nnotice n \"N\"\nnotice m \"M\"\n"},
    /* aligned pieces stay aligned under the first quote; escapes and a `#` inside are text */
    {"texts_are_never_changed", "sop \"S\" {\n    purpose \"a \\\"b\\\" # c \"\n            \"d\"   # after d\n}\n",
     "sop \"S\" {\n  purpose \"a \\\"b\\\" # c \"\n          \"d\"  # after d\n}\n"},
};

static void formats_to(void **state)
{
    const layout *t = *state;
    char *out = NULL, *again = NULL;
    size_t n = 0, n2 = 0;
    rd_diagnostics *d = NULL;
    assert_int_equal(rd_fmt_text("t.sop", t->in, strlen(t->in), &out, &n, &d), RD_OK);
    rd_diagnostics_free(d);
    assert_non_null(out);
    assert_string_equal(out, t->want);
    assert_int_equal(n, strlen(t->want));
    assert_int_equal(rd_fmt_text("t.sop", out, n, &again, &n2, &d), RD_OK);
    rd_diagnostics_free(d);
    assert_string_equal(again, t->want);
    free(out);
    free(again);
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
    assert_int_equal(the_diag(d, "syntax")->line, 3);
    assert_null(find_diag(d, "fmt-internal"));
    rd_diagnostics_free(d);
}

int main(void)
{
    const struct CMUnitTest more[] = {cmocka_unit_test(syntax_errors_are_refused)};
    return RUN_ROWS("fmt", formats_to, layouts, more, NULL, NULL);
}
