/* The scanner as a user meets it: positions in code points, lexical mistakes reported with a
 * useful message, scanning going on after them. */
#include "helpers.h"

/* Texts the scanner refuses, and what it says (helpers.h: refusal_row, check_refusal). */
static const refusal_row refusals[] = {
    /* The Thai label takes 12 code points but 36 bytes; the `@` after it stands at column 25. */
    {"spans_count_code_points",
     "notice n \"\xe0\xb8\x9b\xe0\xb8\xa3\xe0\xb8\xb0\xe0\xb8\x81\xe0\xb8\xb2\xe0\xb8\xa8"
     "\xe0\xb8\x82\xe0\xb8\xad\xe0\xb8\x87\xe0\xb9\x80\xe0\xb8\xa3\xe0\xb8\xb2\" @\n",
     0, 0, {{0, "syntax", 1, 25, "unexpected `@`", NULL, 0}}},
    {"reports_several_lexical_errors", "sector Health \"x\"\nsector police \"y\" ;\nnotice n \"bad \\q escape\"\n", 0, 3,
     {{0, NULL, 0, 0, "names are written in lower case, with _ between words", "write `health`", 0},
      {1, NULL, 2, 19, NULL, NULL, 0},
      {2, NULL, 0, 0, "unknown escape in text", NULL, 0}}},
    {"curly_quotes_are_explained", "notice n \xe2\x80\x9cHello\xe2\x80\x9d\n", 0, 1,
     {{0, NULL, 0, 10, "this is a curly quote", NULL, 0}}},
    /* Scanning resumes at the next declaration, with its positions right. */
    {"unclosed_string_points_at_its_start", "sector a \"A\"\nnotice n \"never closed\nsector b \"B\" ;\n", 0, 2,
     {{0, NULL, 2, 10, "this text is never closed on its line", NULL, 0}, {1, NULL, 3, 14, "unexpected `;`", NULL, 0}}},
    {"invalid_utf8_is_located", "sector a \"A\"\nnotice n \"ab\xff\"\n", 0, 0, {{0, "encoding", 2, 13, NULL, NULL, 0}}},
    {"nul_byte_is_an_encoding_error", "sector a \"A\0\"\n", 14, 0, {{0, "encoding", 0, 0, NULL, NULL, 0}}},
};

static void escapes_are_decoded(void **state)
{
    (void)state;
    rd_program *p = compile_ok("notice n \"say \\\"no\\\"\\\\ then\\nnext\"\n");
    assert_string_equal(decl_named(p, RD_D_NOTICE, "n")->label, "say \"no\"\\ then\nnext");
    rd_program_free(p);
}

int main(void)
{
    const struct CMUnitTest more[] = {cmocka_unit_test(escapes_are_decoded)};
    return RUN_ROWS("lexer", check_refusal, refusals, more, NULL, NULL);
}
