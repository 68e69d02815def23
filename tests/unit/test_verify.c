/* The verifier's answers on small programs: what must be found, what must not be (paths that need
 * a fact both true and false, consents granted on every way, notices given in time), and the shape
 * of the counterexample. */
#include "helpers.h"
#include <stdio.h>
#include <stdlib.h>

#define VOCAB                                                                                      \
    "sop \"T\" { languages en }\n"                                                                \
    "sector health \"Health\"\nsector police \"Police\"\nsector immigration \"Immigration\" { enforcement }\n" \
    "data survivor_name \"Name\" { identifying }\ndata migration_status \"Status\" { protected }\n" \
    "service care \"Care\"\nservice protection \"Protection\"\n"                                  \
    "fact safe_now: bool \"Safe?\"\nfact emergency: bool \"Emergency?\"\n"                        \
    "fact hours: int \"Hours since?\"\nfact violence: enum { physical, sexual } \"Type?\"\n"      \
    "fact undocumented: bool \"Papers?\" { reveals migration_status }\n"                          \
    "notice duty_notice \"If you tell me about an assault I must report it.\"\n"                  \
    "actor clinic \"Clinic\" { sector health specialist provides care }\n"                        \
    "actor station \"Station\" { sector police provides protection }\n"                          \
    "actor checkpoint \"Checkpoint\" { sector immigration }\n"                                    \
    "consent to_police \"Police\" { shares survivor_name, migration_status with station purpose \"p\" }\n"

#define PRINCIPLES                                                                                 \
    "principle firewall \"F\" { source \"s1\" never migration_status reaches sector immigration }\n" \
    "principle consent_first \"C\" { source \"s2\" every share of survivor_name requires consent unless emergency }\n" \
    "principle notice_first \"N\" { source \"s3\" every report requires notice }\n"             \
    "principle keeps_care \"R\" { source \"s4\" every refusal reaches care }\n"

#define PATHWAY(body) "pathway p \"P\" { entry sector health start a\n" body "\n}\n"

/* Compiles and verifies; returns the diagnostics (compile must succeed). */
static rd_diagnostics *verify(const char *extra, const char *pathway)
{
    size_t n = strlen(VOCAB) + strlen(PRINCIPLES) + strlen(extra) + strlen(pathway) + 1;
    char *text = malloc(n);
    snprintf(text, n, "%s%s%s%s", VOCAB, PRINCIPLES, extra, pathway);
    rd_diagnostics *d;
    rd_program *p = compile_str(text, &d);
    if (!p) rd_diagnostics_print(d, stderr, 0);
    assert_non_null(p);
    rd_verify(p, d);
    rd_program_free(p);
    free(text);
    return d;
}

static size_t count_code(const rd_diagnostics *d, const char *code, rd_severity sev)
{
    size_t n = 0;
    for (size_t i = 0; i < rd_diagnostics_len(d); i++)
        n += strcmp(rd_diagnostics_get(d, i)->code, code) == 0 && rd_diagnostics_get(d, i)->severity == sev;
    return n;
}

static void clean(const char *extra, const char *pathway)
{
    rd_diagnostics *d = verify(extra, pathway);
    if (rd_diagnostics_count(d, RD_SEV_ERROR)) rd_diagnostics_print(d, stderr, 0);
    assert_int_equal(rd_diagnostics_count(d, RD_SEV_ERROR), 0);
    rd_diagnostics_free(d);
}

static void firewall_through_a_duty_chain(void **state)
{
    (void)state;
    rd_diagnostics *d = verify(
        "duty report_status \"example clause\" { applies to sector police reports migration_status to checkpoint notice duty_notice }\n",
        PATHWAY("step a \"A\" by clinic { inform duty_notice record migration_status ask safe_now\n"
                " if not safe_now { seek to_police { granted { refer station for protection sharing migration_status } refused { refer clinic for care } } }\n"
                " end }"));
    assert_int_equal(count_code(d, "firewall", RD_SEV_ERROR), 1);
    const rd_diagnostic *g = find_diag(d, "firewall");
    assert_string_equal(g->message, "`migration_status` can reach `checkpoint` (Checkpoint): duty `report_status` reports it there from `station`");
    assert_string_equal(g->citation, "s1");
    /* the path goes through the consent, the referral and the duty, in that order */
    assert_true(g->path_len >= 4);
    assert_string_equal(g->path[g->path_len - 1].text,
                        "duty report_status fires at station (reports migration_status to checkpoint)");
    int granted = 0;
    for (size_t i = 0; i < g->path_len; i++) granted |= strcmp(g->path[i].text, "to_police granted") == 0;
    assert_true(granted);
    rd_diagnostics_free(d);
}

static void contradictory_paths_are_not_counterexamples(void **state)
{
    (void)state;
    clean("", PATHWAY("step a \"A\" by clinic { ask safe_now, violence, hours\n"
                      " if safe_now { if not safe_now { share migration_status with checkpoint } }\n"
                      " if violence == physical { if violence == sexual { share migration_status with checkpoint } }\n"
                      " if hours <= 72 { if hours > 72 { share migration_status with checkpoint } }\n"
                      " seek to_police { granted { if not to_police_dummy { end } end } refused { refer clinic for care } }\n"
                      " }")
                  "fact to_police_dummy: bool = safe_now and not safe_now\n");
}

static void unknown_takes_else(void **state)
{
    (void)state;
    /* If she declines to say whether she is safe, `if safe_now` is not true: the else runs. */
    rd_diagnostics *d = verify("", PATHWAY("step a \"A\" by clinic { ask safe_now\n"
                                           " if safe_now { end } else { if not safe_now { end } share migration_status with checkpoint }\n"
                                           " end }"));
    assert_int_equal(count_code(d, "firewall", RD_SEV_ERROR), 1);
    rd_diagnostics_free(d);
}

static void consent_must_hold_on_every_way(void **state)
{
    (void)state;
    /* granted on both arms of a diamond, then shared: fine */
    clean("", PATHWAY("step a \"A\" by clinic { ask safe_now\n"
                      " if safe_now { seek to_police { granted { } refused { refer clinic for care end } } }\n"
                      " else { seek to_police { granted { } refused { refer clinic for care end } } }\n"
                      " share survivor_name with station end }"));
    /* granted on one arm only: the other arm shares without it */
    rd_diagnostics *d = verify("", PATHWAY("step a \"A\" by clinic { ask safe_now\n"
                                           " if safe_now { seek to_police { granted { } refused { refer clinic for care end } } }\n"
                                           " share survivor_name with station end }"));
    assert_int_equal(count_code(d, "consent_first", RD_SEV_ERROR), 1);
    const rd_diagnostic *g = find_diag(d, "consent_first");
    assert_string_equal(g->message, "`survivor_name` goes to `station` (Station) without her consent");
    /* the counterexample takes the way around the consent */
    int skipped = 0;
    for (size_t i = 0; i < g->path_len; i++) skipped |= strstr(g->path[i].text, "not safe_now") != NULL;
    assert_true(skipped);
    rd_diagnostics_free(d);
    /* `unless emergency`: legal while the emergency holds */
    clean("", PATHWAY("step a \"A\" by clinic { ask emergency\n if emergency { share survivor_name with station } end }"));
}

static void notice_must_come_before_disclosure(void **state)
{
    (void)state;
    const char *duty = "duty report_assault \"example clause\" { applies to sector health when violence == physical "
                       "reports survivor_name to station notice duty_notice }\n";
    clean(duty, PATHWAY("step a \"A\" by clinic { inform duty_notice ask violence record survivor_name end }"));
    rd_diagnostics *d = verify(duty, PATHWAY("step a \"A\" by clinic { ask violence record survivor_name inform duty_notice end }"));
    assert_int_equal(count_code(d, "notice_first", RD_SEV_ERROR), 1);
    assert_string_equal(find_diag(d, "notice_first")->message,
                        "duty `report_assault` can fire at `clinic` (Clinic) before she was told about it");
    rd_diagnostics_free(d);
    /* the duty fires only when its condition can hold: a case that is never physical violence is fine */
    clean(duty, PATHWAY("step a \"A\" by clinic { ask violence if violence == sexual { record survivor_name } end }"));
}

static void implicit_flow_through_a_branch(void **state)
{
    (void)state;
    /* whom she is referred to depends on her papers: immigration learns her status */
    rd_diagnostics *d = verify("", PATHWAY("step a \"A\" by clinic { ask undocumented\n"
                                           " if undocumented { share survivor_name with checkpoint } end }"));
    assert_int_equal(count_code(d, "firewall", RD_SEV_ERROR), 1);
    rd_diagnostics_free(d);
}

static void loops_must_wait_for_her(void **state)
{
    (void)state;
    rd_diagnostics *d = verify("", PATHWAY("step a \"A\" by clinic { goto b }\n step b \"B\" by clinic { goto a }"));
    assert_int_equal(count_code(d, "endless-loop", RD_SEV_ERROR), 1);
    rd_diagnostics_free(d);
    clean("", PATHWAY("step a \"A\" by clinic { goto b }\n"
                      " step b \"B\" by clinic { choose { again \"Again\" { goto a } stop \"Stop\" { end } } }"));
}

static void waivers_do_not_fail_the_run(void **state)
{
    (void)state;
    rd_diagnostics *d = verify("waive firewall at step a because \"court order, reviewed yearly\"\n",
                               PATHWAY("step a \"A\" by clinic { share migration_status with checkpoint end }"));
    assert_int_equal(rd_diagnostics_count(d, RD_SEV_ERROR), 0);
    assert_int_equal(count_code(d, "firewall", RD_SEV_NOTE), 1);
    assert_int_equal(count_code(d, "waiver", RD_SEV_NOTE), 1);
    rd_diagnostics_free(d);
}

/* A principle broken at many places shows the first few in full and says how many more there are. */
static void many_failures_are_counted_not_dropped(void **state)
{
    (void)state;
    char body[2048] = "", consents[1024] = "";
    for (int i = 1; i <= 7; i++) { /* seven different questions: one answer cannot stand for all */
        char step[160], consent[128];
        snprintf(consent, sizeof consent, "consent c%d \"C\" { shares survivor_name with station purpose \"p\" }\n", i);
        strcat(consents, consent);
        snprintf(step, sizeof step, " step s%d \"S\" by clinic { seek c%d { granted { goto s%d } refused { end \"closed\" } } }\n", i,
                 i, i + 1);
        strcat(body, step);
    }
    strcat(body, " step s8 \"Care\" by clinic { refer clinic for care end }");
    char pathway[2200];
    snprintf(pathway, sizeof pathway, "pathway p \"P\" { entry sector health start s1\n%s\n}\n", body);
    rd_diagnostics *d = verify(consents, pathway);
    assert_int_equal(count_code(d, "keeps_care", RD_SEV_ERROR), 5);
    assert_int_equal(count_code(d, "keeps_care", RD_SEV_NOTE), 1);
    for (size_t i = 0; i < rd_diagnostics_len(d); i++)
        if (rd_diagnostics_get(d, i)->severity == RD_SEV_NOTE && !strcmp(rd_diagnostics_get(d, i)->code, "keeps_care"))
            assert_non_null(strstr(rd_diagnostics_get(d, i)->message, "also fails at 2 more places"));
    rd_diagnostics_free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(firewall_through_a_duty_chain),
        cmocka_unit_test(contradictory_paths_are_not_counterexamples),
        cmocka_unit_test(unknown_takes_else),
        cmocka_unit_test(consent_must_hold_on_every_way),
        cmocka_unit_test(notice_must_come_before_disclosure),
        cmocka_unit_test(implicit_flow_through_a_branch),
        cmocka_unit_test(loops_must_wait_for_her),
        cmocka_unit_test(waivers_do_not_fail_the_run),
        cmocka_unit_test(many_failures_are_counted_not_dropped),
    };
    return cmocka_run_group_tests_name("verify", tests, NULL, NULL);
}
