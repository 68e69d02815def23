/* How the runtime walks what she chose and what was shared: every option she took is open at once,
 * even one that leaves the step; what follows a `choose` comes only when no option she took leaves
 * it; a share to several actors is done only when each has the data. */
#include "helpers.h"
#include "case.h"
#include "check.h"
#include <string.h>

static const char sop[] =
    "sop \"W\" { languages en }\n"
    "sector health \"Health\"\nsector shelter \"Shelter\"\nsector social \"Social\"\n"
    "data survivor_name \"Name\" { identifying }\n"
    "service care \"Care\"\nservice housing \"Housing\"\nservice support \"Support\"\n"
    "notice later \"We will follow up.\"\n"
    "actor centre \"Centre\" { sector social specialist provides support }\n"
    "actor clinic \"Clinic\" { sector health provides care }\n"
    "actor house \"House\" { sector shelter provides housing }\n"
    "pathway p \"P\" { entry centre start a\n"
    " step a \"What she wants\" by provider {\n"
    "  choose { health \"Health\" { goto h } stay \"A place\" { goto s } talk \"Talk\" { } done \"Nothing\" { end \"closed\" } }\n"
    "  inform later\n"
    "  end \"followed up\" }\n"
    " step h \"Health\" by provider { refer clinic for care sharing survivor_name end \"h\" }\n"
    " step s \"Shelter\" by provider { refer house for housing sharing survivor_name end \"s\" }\n"
    "}\n"
    "pathway q \"Q\" { entry centre start b\n"
    " step b \"Both\" by provider { share survivor_name with clinic, house end \"b\" }\n"
    "}\n";

static rd_program *prog;

static int setup(void **state)
{
    (void)state;
    rd_diagnostics *d;
    prog = compile_str(sop, &d);
    if (!prog) rd_diagnostics_print(d, stderr, 0);
    rd_diagnostics_free(d);
    /* actor indexes, which a blank case is opened with, are given when the graph is built */
    if (prog) prog->graph = rd_graph_build(prog);
    return prog && prog->graph ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    rd_program_free(prog);
    return 0;
}

static size_t count(const rd_action_list *l, rd_action_kind k, const char *name)
{
    size_t n = 0;
    for (size_t i = 0; i < rd_actions_len(l); i++)
        if (rd_actions_get(l, i)->kind == k && (!name || !strcmp(rd_actions_get(l, i)->name, name))) n++;
    return n;
}

static rd_case *opened(const char *pathway)
{
    rd_case *c = rd_case_blank(prog, rd_lookup(prog, RD_D_PATHWAY, pathway), rd_lookup(prog, RD_D_ACTOR, "centre")->index);
    assert_non_null(c);
    return c;
}

static void choose(rd_case *c, const char *option)
{
    char err[128];
    assert_int_equal(rd_case_record(c, "choose", "a", option, NULL, 0, err, sizeof err), RD_OK);
}

/* What she chose at step `a` of pathway p, and how many actions of each kind (of that name, when
 * one is given) must then be open. One test a row, named by the row. */
typedef struct chosen {
    const char *name;
    const char *options[3];
    struct { rd_action_kind kind; const char *name; size_t n; } want[4];
    size_t nwant;
} chosen;

static const chosen choices[] = {
    /* both options leave the step: what follows the choose is not reached */
    {"options_that_leave_the_step_are_all_open", {"health", "stay"},
     {{RD_ACT_REFER, "care", 1}, {RD_ACT_REFER, "housing", 1}, {RD_ACT_INFORM, "later", 0}}, 3},
    {"a_body_that_falls_through_reaches_what_follows", {"health", "talk"},
     {{RD_ACT_REFER, "care", 1}, {RD_ACT_INFORM, "later", 1}}, 2},
    {"an_end_chosen_alone_ends_the_case", {"done"},
     {{RD_ACT_END, NULL, 1}, {RD_ACT_INFORM, "later", 0}, {RD_ACT_REFER, NULL, 0}}, 3},
};

static void open_after_choosing(void **state)
{
    const chosen *t = *state;
    rd_case *c = opened("p");
    for (size_t i = 0; i < 3 && t->options[i]; i++) choose(c, t->options[i]);
    rd_action_list *l = rd_case_next(c, 0);
    for (size_t i = 0; i < t->nwant; i++) {
        size_t n = count(l, t->want[i].kind, t->want[i].name);
        if (n != t->want[i].n)
            fail_msg("%zu actions of kind %d%s%s, wanted %zu", n, (int)t->want[i].kind, t->want[i].name ? " for " : "",
                     t->want[i].name ? t->want[i].name : "", t->want[i].n);
    }
    rd_actions_free(l);
    rd_case_free(c);
}

static void a_share_to_two_actors_waits_for_both(void **state)
{
    (void)state;
    rd_case *c = opened("q");
    char err[128];
    assert_int_equal(rd_case_record(c, "share", "survivor_name", "clinic", NULL, 0, err, sizeof err), RD_OK);
    rd_action_list *l = rd_case_next(c, 0);
    assert_int_equal(count(l, RD_ACT_SHARE, NULL), 1);
    assert_int_equal(count(l, RD_ACT_END, NULL), 0);
    rd_actions_free(l);
    assert_int_equal(rd_case_record(c, "share", "survivor_name", "house", NULL, 0, err, sizeof err), RD_OK);
    l = rd_case_next(c, 0);
    assert_int_equal(count(l, RD_ACT_SHARE, NULL), 0);
    assert_int_equal(count(l, RD_ACT_END, NULL), 1);
    rd_actions_free(l);
    rd_case_free(c);
}

int main(void)
{
    const struct CMUnitTest more[] = {cmocka_unit_test(a_share_to_two_actors_waits_for_both)};
    return RUN_ROWS("walk", open_after_choosing, choices, more, setup, teardown);
}
