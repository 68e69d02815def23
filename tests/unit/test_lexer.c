/* The scanner as a user meets it: positions in code points, lexical mistakes reported with a
 * useful message, scanning going on after them. */
#include "helpers.h"

static void spans_count_code_points(void **state)
{
    (void)state;
    /* The Thai label takes 12 code points but 36 bytes; the `@` after it stands at column 25. */
    rd_diagnostics *d = refused("notice n \"\xe0\xb8\x9b\xe0\xb8\xa3\xe0\xb8\xb0\xe0\xb8\x81\xe0\xb8\xb2\xe0\xb8\xa8"
                                "\xe0\xb8\x82\xe0\xb8\xad\xe0\xb8\x87\xe0\xb9\x80\xe0\xb8\xa3\xe0\xb8\xb2\" @\n");
    assert_diag(the_diag(d, "syntax"), 1, 25, "unexpected `@`");
    rd_diagnostics_free(d);
}

static void reports_several_lexical_errors(void **state)
{
    (void)state;
    rd_diagnostics *d = refused("sector Health \"x\"\nsector police \"y\" ;\nnotice n \"bad \\q escape\"\n");
    assert_int_equal(rd_diagnostics_count(d, RD_SEV_ERROR), 3);
    assert_string_equal(rd_diagnostics_get(d, 0)->message, "names are written in lower case, with _ between words");
    assert_string_equal(rd_diagnostics_get(d, 0)->help, "write `health`");
    assert_int_equal(rd_diagnostics_get(d, 1)->line, 2);
    assert_int_equal(rd_diagnostics_get(d, 1)->col, 19);
    assert_string_equal(rd_diagnostics_get(d, 2)->message, "unknown escape in text");
    rd_diagnostics_free(d);
}

static void curly_quotes_are_explained(void **state)
{
    (void)state;
    rd_diagnostics *d = refused("notice n \xe2\x80\x9cHello\xe2\x80\x9d\n");
    assert_int_equal(rd_diagnostics_count(d, RD_SEV_ERROR), 1);
    assert_string_equal(rd_diagnostics_get(d, 0)->message, "this is a curly quote");
    assert_int_equal(rd_diagnostics_get(d, 0)->col, 10);
    rd_diagnostics_free(d);
}

static void unclosed_string_points_at_its_start(void **state)
{
    (void)state;
    rd_diagnostics *d = refused("sector a \"A\"\nnotice n \"never closed\nsector b \"B\" ;\n");
    assert_diag(rd_diagnostics_get(d, 0), 2, 10, "this text is never closed on its line");
    /* Scanning resumed at the next declaration, with its positions right. */
    assert_int_equal(rd_diagnostics_count(d, RD_SEV_ERROR), 2);
    assert_diag(rd_diagnostics_get(d, 1), 3, 14, "unexpected `;`");
    rd_diagnostics_free(d);
}

static void escapes_are_decoded(void **state)
{
    (void)state;
    rd_program *p = compile_ok("notice n \"say \\\"no\\\"\\\\ then\\nnext\"\n");
    assert_string_equal(decl_named(p, RD_D_NOTICE, "n")->label, "say \"no\"\\ then\nnext");
    rd_program_free(p);
}

static void invalid_utf8_is_located(void **state)
{
    (void)state;
    rd_diagnostics *d = refused("sector a \"A\"\nnotice n \"ab\xff\"\n");
    const rd_diagnostic *g = the_diag(d, "encoding");
    assert_int_equal(g->line, 2);
    assert_int_equal(g->col, 13);
    rd_diagnostics_free(d);
}

static void nul_byte_is_an_encoding_error(void **state)
{
    (void)state;
    rd_diagnostics *d;
    static const char text[] = "sector a \"A\0\"\n";
    rd_program *p = rd_compile_text("t.sop", text, sizeof text - 1, &test_opt, &d);
    assert_null(p);
    assert_non_null(find_diag(d, "encoding"));
    rd_diagnostics_free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(spans_count_code_points),
        cmocka_unit_test(reports_several_lexical_errors),
        cmocka_unit_test(curly_quotes_are_explained),
        cmocka_unit_test(unclosed_string_points_at_its_start),
        cmocka_unit_test(escapes_are_decoded),
        cmocka_unit_test(invalid_utf8_is_located),
        cmocka_unit_test(nul_byte_is_an_encoding_error),
    };
    return cmocka_run_group_tests_name("lexer", tests, NULL, NULL);
}
