/* Name resolution and checking: what a committee's mistakes produce, and that a correct program
 * is bound the way the later passes rely on. */
#include "helpers.h"
#include <stdio.h>
#include <stdlib.h>

#define BASE                                                                                       \
    "sector health \"Health\"\nsector police \"Police\"\n"                                         \
    "data survivor_name \"Name\" { identifying }\ndata location \"Where she is\"\n"               \
    "service care \"Care\"\nservice protection \"Protection\"\n"                                  \
    "fact safe_now: bool \"Safe?\"\nfact violence: enum { physical, sexual } \"Type\"\n"          \
    "fact hours: int \"Hours\"\n"                                                                 \
    "actor police_station \"Station\" { sector police provides protection }\n"                    \
    "actor clinic \"Clinic\" { sector health provides care }\n"

static rd_diagnostics *errors_of(const char *extra) { return diagnostics_of(BASE, extra); }

static void expect_one(const char *extra, const char *code, const char *message, const char *help)
{
    rd_diagnostics *d = errors_of(extra);
    if (rd_diagnostics_count(d, RD_SEV_ERROR) != 1) rd_diagnostics_print(d, stderr, 0);
    assert_int_equal(rd_diagnostics_count(d, RD_SEV_ERROR), 1);
    const rd_diagnostic *g = find_diag(d, code);
    assert_non_null(g);
    assert_string_equal(g->message, message);
    if (help) assert_string_equal(g->help, help);
    rd_diagnostics_free(d);
}

static void misspelt_names_get_suggestions(void **state)
{
    (void)state;
    expect_one("consent c \"C\" { shares survivor_name with police_staton purpose \"p\" }\n", "unknown-name",
               "there is no actor named `police_staton`", "did you mean `police_station`?");
    expect_one("consent c \"C\" { shares survivor_nme with clinic purpose \"p\" }\n", "unknown-name",
               "there is no data category named `survivor_nme`", "did you mean `survivor_name`?");
}

static void a_sector_where_an_actor_belongs(void **state)
{
    (void)state;
    rd_diagnostics *d = errors_of("consent c \"C\" { shares location with police purpose \"p\" }\n");
    const rd_diagnostic *g = the_diag(d, "wrong-kind");
    assert_string_equal(g->message, "`police` is a sector, not an actor");
    assert_string_equal(g->help, "write `sector police` to mean any actor of that sector");
    assert_non_null(g->note);
    assert_int_equal(g->note->line, 2);
    rd_diagnostics_free(d);
}

static void duplicates_point_at_both(void **state)
{
    (void)state;
    rd_diagnostics *d = errors_of("actor clinic \"Again\" { sector health }\n");
    const rd_diagnostic *g = the_diag(d, "duplicate-name");
    assert_diag(g, 12, 7, "actor `clinic` is declared twice");
    assert_non_null(g->note);
    assert_int_equal(g->note->line, 11);
    assert_int_equal(g->note->col, 7);
    rd_diagnostics_free(d);
}

static void conditions_are_typed(void **state)
{
    (void)state;
    expect_one("fact w: bool = violence == phisical\n", "unknown-value",
               "`phisical` is not one of the values of `violence`", "did you mean `physical`?");
    expect_one("fact w: bool = hours\n", "type-mismatch", "`hours` is a number, not a yes/no condition",
               "compare it with a number: `hours <= 72`");
    expect_one("fact w: bool = safe_now == 72\n", "type-mismatch", "this value does not fit `safe_now`", NULL);
    expect_one("fact w: bool = violence < sexual\n", "type-mismatch",
               "`<`, `<=`, `>` and `>=` compare numbers, and `violence` is a choice among values", NULL);
    expect_one("fact w: bool = safe_now in { physical }\n", "type-mismatch",
               "`in { ... }` needs a choice fact, and `safe_now` is a yes/no fact", "write `if safe_now` or `if not safe_now`");
    expect_one("fact w: bool = 3 < 4\n", "type-mismatch", "this compares two fixed values", NULL);
    expect_one("fact w: bool = not x\nfact x: bool = w\n", "derived-cycle",
               "`x` is computed from itself (through `w`)", NULL);
}

static void enum_values_are_bound_by_index(void **state)
{
    (void)state;
    rd_program *p = compile_ok(BASE "fact w: bool = violence == sexual or known hours\n");
    rd_expr *e = decl_named(p, RD_D_FACT, "w")->u.fact.derived;
    assert_int_equal(e->a->b->type, RD_T_ENUMVAL);
    assert_int_equal(e->a->b->value, 1);
    assert_ptr_equal(e->a->a->fact, decl_named(p, RD_D_FACT, "violence"));
    assert_ptr_equal(e->b->fact, decl_named(p, RD_D_FACT, "hours"));
    rd_program_free(p);
}

#define PW(body) "pathway p \"P\" { entry sector health start a\n step a \"A\" by provider {\n" body "\n }\n}\n"

static void pathway_structure(void **state)
{
    (void)state;
    expect_one("consent c \"C\" { shares location with clinic purpose \"p\" }\n" PW("seek c { granted { end } }"),
               "missing-branch", "this `seek c` does not say what happens if she refuses", NULL);
    expect_one(PW("refer clinic for protection\n end"), "not-provided", "`clinic` does not provide `protection`",
               "refer to an actor that provides it, such as `police_station`, or add `protection` to what `clinic` provides");
    expect_one(PW("refer sector health for protection\n end"), "not-provided",
               "no actor of sector `health` provides `protection`", NULL);
    expect_one(PW("goto b\n }\n step b \"B\" by clinic { end }\n step c \"C\" by clinic { end"),
               "unreachable-step", "step `c` can never be reached: it is not the start and no `goto` leads to it", NULL);
    expect_one(PW("goto bb\n }\n step b \"B\" by clinic { end"), "unknown-step",
               "pathway `p` has no step named `bb`", "did you mean `b`?");
    expect_one(PW("ask w\n end") "fact w: bool = safe_now\n", "computed-fact",
               "`w` is computed, not asked", NULL);
}

static void warnings_do_not_fail_the_program(void **state)
{
    (void)state;
    char text[4096];
    snprintf(text, sizeof text, "%s" PW("ask safe_now\n goto a2\n end\n }\n step a2 \"B\" by clinic { ask hours"), BASE);
    rd_diagnostics *d;
    rd_program *p = compile_str(text, &d);
    assert_non_null(p);
    assert_int_equal(rd_diagnostics_count(d, RD_SEV_WARNING), 2);
    assert_non_null(find_diag(d, "dead-statement"));
    const rd_diagnostic *g = find_diag(d, "falls-off-end");
    assert_string_equal(g->message, "step `a2` can finish without saying what comes next");
    rd_program_free(p);
    rd_diagnostics_free(d);
}

static void unused_declarations_only_in_a_complete_sop(void **state)
{
    (void)state;
    rd_diagnostics *d = errors_of("sop \"S\" { languages en }\nnotice never_given \"x\"\n");
    assert_int_equal(rd_diagnostics_count(d, RD_SEV_ERROR), 0);
    int unused = 0;
    for (size_t i = 0; i < rd_diagnostics_len(d); i++)
        unused += strcmp(rd_diagnostics_get(d, i)->code, "unused") == 0;
    /* BASE's two data categories, three facts and the notice; its services are provided by actors */
    assert_int_equal(unused, 6);
    rd_diagnostics_free(d);
    d = errors_of("notice never_given \"x\"\n");
    assert_null(find_diag(d, "unused"));
    rd_diagnostics_free(d);
}

static void tests_are_checked(void **state)
{
    (void)state;
    expect_one("consent c \"C\" { shares location with clinic purpose \"p\" }\n"
               PW("seek c { granted { end } refused { end } }")
               "test \"t\" { pathway p grant c refuse c }\n",
               "contradiction", "this test both grants and refuses `c`", NULL);
    expect_one(PW("choose { x \"X\" { end } }") "test \"t\" { pathway p choose a.y }\n", "unknown-option",
               "step `a` offers no option `y`", NULL);
    expect_one(PW("end") "test \"t\" { given hours = 5 }\n", "missing-field",
               "this test does not say which pathway it runs", NULL);
}

static void use_finds_the_standard_library(void **state)
{
    (void)state;
    rd_program *p = compile_ok("use std\nuse rules.esp\n");
    assert_non_null(decl_named(p, RD_D_SECTOR, "immigration"));
    assert_true(decl_named(p, RD_D_SECTOR, "immigration")->u.sector.enforcement);
    assert_true(decl_named(p, RD_D_DATA, "migration_status")->u.data.protected_);
    assert_non_null(decl_named(p, RD_D_PRINCIPLE, "firewall"));
    assert_true(decl_named(p, RD_D_PRINCIPLE, "firewall")->in_library);
    rd_program_free(p);
    rd_diagnostics *d = refused("use rules.espp\n");
    assert_string_equal(rd_diagnostics_get(d, 0)->message, "cannot find `rules/espp.sop`");
    rd_diagnostics_free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(misspelt_names_get_suggestions),
        cmocka_unit_test(a_sector_where_an_actor_belongs),
        cmocka_unit_test(duplicates_point_at_both),
        cmocka_unit_test(conditions_are_typed),
        cmocka_unit_test(enum_values_are_bound_by_index),
        cmocka_unit_test(pathway_structure),
        cmocka_unit_test(warnings_do_not_fail_the_program),
        cmocka_unit_test(unused_declarations_only_in_a_complete_sop),
        cmocka_unit_test(tests_are_checked),
        cmocka_unit_test(use_finds_the_standard_library),
    };
    return cmocka_run_group_tests_name("check", tests, NULL, NULL);
}
