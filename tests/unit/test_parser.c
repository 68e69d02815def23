/* The grammar: the tree it builds, the messages for syntax mistakes, recovery at the next
 * declaration, and the inputs that must never crash it. */
#include "helpers.h"
#include "parse.h"
#include <stdio.h>
#include <stdlib.h>

static const char good[] =
    "sop \"Test SOP\" { languages en, my  version \"1.0\" }\n"
    "sector health \"Health\"\n"
    "sector police \"Police\"\n"
    "data survivor_name \"Name\" { identifying }\n"
    "data migration_status \"Status\" { protected }\n"
    "service care \"Care\"\n"
    "fact safe_now: bool \"Is she safe?\"\n"
    "fact violence: enum { physical, sexual } \"Type\"\n"
    "fact hours: int \"Hours since\"\n"
    "fact window: bool = hours <= 72 and not (violence == physical)\n"
    "notice limits \"Limits of confidentiality\"\n"
    "actor clinic \"Clinic\" { sector health specialist provides care languages en, my hours \"24/7\" }\n"
    "actor station \"Station\" { sector police }\n"
    "consent to_police \"Referral to police\" { shares survivor_name with sector police purpose \"protection\" }\n"
    "pathway main \"Main\" {\n"
    "  entry sector health\n"
    "  start intake\n"
    "  step intake \"Intake\" by provider {\n"
    "    inform limits\n"
    "    ask safe_now, violence, hours\n"
    "    if not safe_now and violence in { physical, sexual } {\n"
    "      seek to_police { granted { share survivor_name with station } refused { } }\n"
    "    } else if window { refer clinic for care sharing survivor_name } else { goto close }\n"
    "    choose { care \"Care\" { refer clinic for care } none \"Nothing now\" { end \"her choice\" } }\n"
    "    goto close\n"
    "  }\n"
    "  step close \"Close\" by clinic { end }\n"
    "}\n"
    "test \"unsafe\" { pathway main  given safe_now = false, hours = 10  grant to_police  choose intake.care\n"
    "  expect step close  expect no share of survivor_name to sector police  expect refer to clinic for care }\n";

static void builds_the_tree(void **state)
{
    (void)state;
    rd_diagnostics *d;
    rd_program *p = compile_str(good, &d);
    if (!p) rd_diagnostics_print(d, stderr, 0);
    assert_non_null(p);
    assert_int_equal(rd_diagnostics_count(d, RD_SEV_ERROR), 0);
    assert_string_equal(p->first_language, "en");

    rd_decl *a = decl_named(p, RD_D_ACTOR, "clinic");
    assert_non_null(a);
    assert_true(a->u.actor.specialist);
    assert_string_equal(a->u.actor.sector->id, "health");
    assert_ptr_equal(a->u.actor.sector->decl, decl_named(p, RD_D_SECTOR, "health"));
    assert_string_equal(a->fields->name, "hours");
    assert_string_equal(a->fields->value, "24/7");
    assert_int_equal(a->id_span.line, 12);
    assert_int_equal(a->id_span.col, 7);

    rd_decl *w = decl_named(p, RD_D_FACT, "window");
    assert_int_equal(w->u.fact.derived->kind, RD_E_AND);
    assert_int_equal(w->u.fact.derived->a->kind, RD_E_CMP);
    assert_int_equal(w->u.fact.derived->a->op, RD_OP_LE);
    assert_int_equal(w->u.fact.derived->b->kind, RD_E_NOT);

    rd_decl *pw = decl_named(p, RD_D_PATHWAY, "main");
    rd_step *s = pw->u.pathway.steps;
    assert_string_equal(s->id, "intake");
    assert_int_equal(s->by->tag, RD_REF_PROVIDER);
    rd_stmt *st = s->body->first;
    assert_int_equal(st->kind, RD_S_INFORM);
    st = st->next;
    assert_int_equal(st->kind, RD_S_ASK);
    assert_string_equal(st->names->next->next->id, "hours");
    st = st->next;
    assert_int_equal(st->kind, RD_S_IF);
    assert_int_equal(st->cond->kind, RD_E_AND);
    assert_int_equal(st->then_b->first->kind, RD_S_SEEK);
    assert_non_null(st->then_b->first->then_b);
    assert_non_null(st->then_b->first->else_b);
    /* `else if` is an if inside the else block */
    assert_int_equal(st->else_b->first->kind, RD_S_IF);
    assert_int_equal(st->else_b->first->then_b->first->kind, RD_S_REFER);
    st = st->next;
    assert_int_equal(st->kind, RD_S_CHOOSE);
    assert_string_equal(st->options->id, "care");
    assert_string_equal(st->options->next->label, "Nothing now");
    st = st->next;
    assert_int_equal(st->kind, RD_S_GOTO);
    assert_ptr_equal(st->goto_step, s->next);

    rd_decl *t = NULL;
    for (rd_decl *x = p->decls; x; x = x->next)
        if (x->kind == RD_D_TEST) t = x;
    assert_non_null(t);
    rd_titem *it = t->u.test.items;
    assert_int_equal(it->kind, RD_TI_PATHWAY);
    it = it->next;
    assert_int_equal(it->kind, RD_TI_GIVEN);
    assert_string_equal(it->given->next->fact.id, "hours");
    assert_int_equal(it->given->next->value->value, 10);
    it = it->next->next->next;
    assert_int_equal(it->kind, RD_TI_EXPECT);
    assert_int_equal(it->expect, RD_X_STEP);
    it = it->next;
    assert_true(it->negated);
    assert_int_equal(it->expect, RD_X_SHARE);
    assert_int_equal(it->targets->tag, RD_REF_SECTOR);
    rd_program_free(p);
    rd_diagnostics_free(d);
}

/* Syntax mistakes, what is said about them, and recovery at the next declaration (helpers.h:
 * refusal_row, check_refusal). */
static const refusal_row refusals[] = {
    /* the missing text belongs after `notice n` on line 3, not at the next line's `notice` */
    {"recovers_at_the_next_declaration",
     "sector a \"A\" oops\n"
     "actor b \"B\" { sector a provides }\n"
     "notice n\n"
     "notice m \"fine\"\n"
     "pathway p \"P\" { step s \"S\" { end } }\n",
     0, 4,
     {{0, NULL, 1, 0, NULL, NULL, 0},
      {1, NULL, 2, 0, NULL, NULL, 0},
      {2, NULL, 3, 9, "expected a quoted text, found `notice`", NULL, 0},
      {3, NULL, 5, 0, "expected `by`, found `{`", NULL, 0}}},
    {"reserved_word_as_name", "notice report \"x\"\n", 0, 0,
     {{0, "reserved-word", 1, 8, "`report` is a reserved word, so it cannot be used as a name here", NULL, 0}}},
    {"misspelt_keyword_gets_a_suggestion", "acter a \"A\" { }\n", 0, 0,
     {{0, NULL, 0, 0, "expected a declaration, found `acter`", "did you mean `actor`?", 0}}},
    {"missing_close_brace_names_the_open_one", "sector a \"A\"\nactor b \"B\" {\n  sector a\n", 0, 0,
     {{0, NULL, 2, 13, "this `{` is never closed: the file ends first", NULL, 1}}},
};

static char *repeat(const char *a, size_t n, const char *mid, const char *b)
{
    size_t la = strlen(a), lm = strlen(mid), lb = strlen(b);
    char *s = malloc(la * n + lm + lb * n + 1), *q = s;
    for (size_t i = 0; i < n; i++, q += la) memcpy(q, a, la);
    memcpy(q, mid, lm);
    q += lm;
    for (size_t i = 0; i < n; i++, q += lb) memcpy(q, b, lb);
    *q = '\0';
    return s;
}

/* fmt with its one %s replaced by `a` n times, then `mid`, then `b` n times. The caller frees it. */
static char *nested(const char *fmt, const char *a, size_t n, const char *mid, const char *b)
{
    char *inner = repeat(a, n, mid, b);
    size_t len = strlen(fmt) + strlen(inner) + 1;
    char *text = malloc(len);
    assert_non_null(text);
    snprintf(text, len, fmt, inner);
    free(inner);
    return text;
}

/* `text` (freed here) is refused with one error: it nests too deep. */
static void one_too_deep(char *text)
{
    rd_diagnostics *d = refused(text);
    assert_int_equal(rd_diagnostics_count(d, RD_SEV_ERROR), 1);
    assert_string_equal(rd_diagnostics_get(d, 0)->code, "too-deep");
    rd_diagnostics_free(d);
    free(text);
}

#define IN_A_STEP "fact x: bool\npathway p \"P\" { entry sector s start a step a \"A\" by provider { %s } }\n"
#define IN_A_FACT "fact x: bool\nfact y: bool = %s\n"

static void deep_nesting_is_refused_not_overflowed(void **state)
{
    (void)state;
    one_too_deep(nested(IN_A_STEP, "if x { ", 10000, "end", " }"));
    /* a `not` 10,000 times: an error (the grammar's own stack runs out), not a crash */
    char *text = nested(IN_A_FACT, "not ", 10000, "x", "");
    rd_diagnostics *d = refused(text);
    assert_true(rd_diagnostics_count(d, RD_SEV_ERROR) >= 1);
    rd_diagnostics_free(d);
    free(text);
    one_too_deep(nested(IN_A_FACT, "(", 10000, "x", ")"));
    /* an `else if` chain nests as deep as it is long: 2,400 links, one error, no deep recursion */
    one_too_deep(nested(IN_A_STEP, "if x { end } else ", 2400, "{ end }", ""));
    /* and 200 links are fine */
    text = nested("sector s \"S\"\nfact x: bool \"X?\"\npathway p \"P\" { entry sector s start a step a \"A\" by provider { ask x %s } }\n",
                  "if x { end } else ", 199, "{ end }", "");
    rd_program *p = compile_str(text, &d);
    for (size_t i = 0; i < rd_diagnostics_len(d); i++) assert_string_not_equal(rd_diagnostics_get(d, i)->code, "too-deep");
    rd_program_free(p);
    rd_diagnostics_free(d);
    free(text);
}

/* A text up to RD_MAX_STRING is kept whole; past it, an error that says how long the text is;
 * on a line of megabytes, the line is refused before it is scanned: never an exhausted machine. */
static void texts_are_held_to_the_limit(void **state)
{
    (void)state;
    size_t sizes[] = {RD_MAX_STRING, RD_MAX_STRING + RD_MAX_STRING / 2, 10u * 1024u * 1024u};
    static const char *const code[] = {NULL, "too-long", "line-too-long"};
    for (size_t i = 0; i < 3; i++) {
        size_t n = sizes[i];
        char *text = malloc(n + 64);
        assert_non_null(text);
        strcpy(text, "notice big \"");
        memset(text + 12, 'a', n);
        strcpy(text + 12 + n, "\"\n");
        rd_diagnostics *d;
        rd_program *p = compile_str(text, &d);
        if (n <= RD_MAX_STRING) {
            assert_non_null(p);
            assert_int_equal(strlen(decl_named(p, RD_D_NOTICE, "big")->label), n);
        } else {
            assert_null(p);
            assert_int_equal(rd_diagnostics_count(d, RD_SEV_ERROR), 1);
            assert_string_equal(rd_diagnostics_get(d, 0)->code, code[i]);
        }
        rd_program_free(p);
        rd_diagnostics_free(d);
        free(text);
    }
}

static void empty_and_comment_only_files_are_fine(void **state)
{
    (void)state;
    rd_program_free(compile_ok(""));
    rd_program_free(compile_ok("# nothing yet\n"));
}

static void every_truncation_of_a_program_is_handled(void **state)
{
    (void)state;
    /* Each prefix of a valid program either compiles or yields diagnostics; none crashes, and each
     * failing prefix says why. */
    size_t n = strlen(good);
    for (size_t i = 0; i < n; i++) {
        rd_diagnostics *d;
        rd_program *p = rd_compile_text("t.sop", good, i, &test_opt, &d);
        if (!p) assert_true(rd_diagnostics_count(d, RD_SEV_ERROR) > 0);
        rd_program_free(p);
        rd_diagnostics_free(d);
    }
}

static void random_bytes_are_handled(void **state)
{
    (void)state;
    uint64_t x = 0x9e3779b97f4a7c15ull; /* fixed seed: the same bytes every run */
    char buf[4096];
    for (int round = 0; round < 300; round++) {
        size_t n = (size_t)(round * 13 % 4096);
        for (size_t i = 0; i < n; i++) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            /* half the rounds draw from the language's own characters, to get deeper */
            buf[i] = round % 2 ? (char)(x & 0xff) : "ab_ {}\"=<,.()#\n0123456789stepifgoto"[x % 36];
        }
        rd_diagnostics *d;
        rd_program *p = rd_compile_text("t.sop", buf, n, &test_opt, &d);
        rd_program_free(p);
        rd_diagnostics_free(d);
    }
}

int main(void)
{
    const struct CMUnitTest more[] = {
        cmocka_unit_test(builds_the_tree),
        cmocka_unit_test(deep_nesting_is_refused_not_overflowed),
        cmocka_unit_test(texts_are_held_to_the_limit),
        cmocka_unit_test(empty_and_comment_only_files_are_fine),
        cmocka_unit_test(every_truncation_of_a_program_is_handled),
        cmocka_unit_test(random_bytes_are_handled),
    };
    return RUN_ROWS("parser", check_refusal, refusals, more, NULL, NULL);
}
