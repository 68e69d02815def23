/* The runtime as an app uses it: load a case, ask what to do next and whether data may go
 * somewhere, record what was done, save and load again; and the privacy rule: nothing a case file
 * holds ever appears in a message. */
#include "helpers.h"
#include "case.h"
#include "fixed.h"
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* What the SOP declares, for `sop` below and for variants of its pathway. `in_danger` is computed,
 * so that may-share below also checks a computed value follows the facts it is computed from. */
#define DECLS                                                                                              \
    "sop \"T\" { languages en, my }\n"                                                                     \
    "sector health \"Health\"\nsector police \"Police\"\nsector immigration \"Immigration\" { enforcement }\n" \
    "data survivor_name \"Name\" { identifying }\ndata location \"Where she is\" { identifying }\n"        \
    "data migration_status \"Status\" { protected }\n"                                                     \
    "data work_papers \"Work papers\" { reveals migration_status }\n"                                      \
    "service care \"Care\"\nservice protection \"Protection\"\n"                                           \
    "fact safe_now: bool \"Are you safe now?\"\nfact emergency: bool \"Is a life in danger now?\"\n"       \
    "fact violence: enum { physical, sexual } \"What happened?\"\nfact hours: int \"Hours since?\"\n"      \
    "fact papers_rule: bool \"Does the fictional papers rule apply?\"\n"                                   \
    "notice duty_notice \"If you tell me about an assault I must report it.\"\n"                           \
    "actor clinic \"Clinic\" { sector health specialist provides care languages en }\n"                    \
    "actor station \"Station\" { sector police provides protection languages my }\n"                       \
    "actor checkpoint \"Checkpoint\" { sector immigration }\n"                                             \
    "consent to_police \"Police referral\" { shares survivor_name, location with station "                \
    "purpose \"protection\" }\n"                                                                          \
    "fact in_danger: bool = emergency\n"                                                                   \
    "permit emergency_police \"Emergency\" { shares location with station when in_danger }\n"              \
    "duty assault_report \"Example clause (fictional)\" { applies to sector health when violence == physical " \
    "reports survivor_name to station notice duty_notice }\n"                                              \
    "duty papers_report \"Example clause (fictional)\" { applies to sector health when papers_rule "        \
    "reports migration_status to station notice duty_notice }\n"                                           \
    "principle firewall \"F\" { source \"s\" never migration_status reaches sector immigration }\n"

static const char sop[] =
    DECLS
    "pathway p \"P\" { entry sector health start a\n"
    " step a \"Intake\" by provider { inform duty_notice ask safe_now, violence record survivor_name, work_papers\n"
    "  if not safe_now { seek to_police { granted { refer station for protection sharing survivor_name, location } refused { } } }\n"
    "  end \"done\" }\n"
    "}\n";

static char dir[64];
static rd_program *prog;

static void put(const char *name, const char *text) { put_file(dir, name, text); }

/* Writes `text` to the case file `name` and loads it for program p; NULL when refused, with why in *d. */
static rd_case *load_in(rd_program *p, const char *name, const char *text, rd_diagnostics **d)
{
    put(name, text);
    char path[128];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    *d = rd_diagnostics_new();
    return rd_case_load(p, path, *d);
}

static rd_case *load(const char *text, rd_diagnostics **d) { return load_in(prog, "c.yaml", text, d); }

/* The case file at `path`, which must load for program p (what is wrong is printed when it does not). */
static rd_case *load_path(rd_program *p, const char *path)
{
    rd_diagnostics *d = rd_diagnostics_new();
    rd_case *c = rd_case_load(p, path, d);
    if (!c) rd_diagnostics_print(d, stderr, 0);
    rd_diagnostics_free(d);
    assert_non_null(c);
    return c;
}

/* Writes `text` to the case file `name`, which must then load for program p. */
static rd_case *opened_in(rd_program *p, const char *name, const char *text)
{
    put(name, text);
    char path[128];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return load_path(p, path);
}

static rd_case *opened(const char *text) { return opened_in(prog, "c.yaml", text); }

/* `text` written as an SOP beside the files it names (it reads them only from its own folder),
 * which must compile. */
static rd_program *compiled_here(const char *text)
{
    put("s.sop", text);
    char path[128];
    snprintf(path, sizeof path, "%s/s.sop", dir);
    rd_diagnostics *d;
    rd_program *p = rd_compile(path, &test_opt, &d);
    return compiled(p, d);
}

static int setup(void **state)
{
    (void)state;
    strcpy(dir, "/tmp/rd_rt_XXXXXX");
    if (!mkdtemp(dir)) return -1;
    rd_diagnostics *d;
    prog = compile_str(sop, &d);
    if (!prog) rd_diagnostics_print(d, stderr, 0);
    rd_diagnostics_free(d);
    return prog ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    rd_program_free(prog);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static const rd_action *find_action(const rd_action_list *l, rd_action_kind k)
{
    for (size_t i = 0; i < rd_actions_len(l); i++)
        if (rd_actions_get(l, i)->kind == k) return rd_actions_get(l, i);
    return NULL;
}

static void next_actions_follow_the_case(void **state)
{
    (void)state;
    rd_case *c = opened("opened_by: clinic\nlanguage: my\nfacts: {}\n");
    rd_action_list *l = rd_case_next(c, 0);
    const rd_action *a = find_action(l, RD_ACT_INFORM);
    assert_non_null(a);
    assert_string_equal(a->name, "duty_notice");
    assert_true(a->fallback); /* no Burmese text: the English one, flagged */
    rd_actions_free(l);

    char err[128];
    assert_int_equal(rd_case_record(c, "inform", "duty_notice", NULL, NULL, 0, err, sizeof err), RD_OK);
    l = rd_case_next(c, 0);
    assert_int_equal(rd_actions_len(l), 2);
    assert_int_equal(rd_actions_get(l, 0)->kind, RD_ACT_ASK);
    assert_string_equal(rd_actions_get(l, 0)->name, "safe_now");
    assert_string_equal(rd_actions_get(l, 1)->name, "violence");
    rd_actions_free(l);

    assert_int_equal(rd_case_set_fact(c, "safe_now", "false", err, sizeof err), RD_OK);
    assert_int_equal(rd_case_set_fact(c, "violence", "physical", err, sizeof err), RD_OK);
    l = rd_case_next(c, 0);
    /* a report is now due (the clinic holds her name, violence is physical), and the consent */
    a = find_action(l, RD_ACT_REPORT);
    assert_non_null(a);
    assert_string_equal(a->name, "assault_report");
    assert_false(a->breach);
    assert_non_null(find_action(l, RD_ACT_SEEK));
    rd_actions_free(l);

    assert_int_equal(rd_case_decide(c, "to_police", 1, 0, err, sizeof err), RD_OK);
    l = rd_case_next(c, 0);
    a = find_action(l, RD_ACT_REFER);
    assert_non_null(a);
    assert_non_null(strstr(a->detail, "Station (station)"));
    rd_actions_free(l);
    /* a referral to the same actor for another service is not this one */
    assert_int_equal(rd_case_record(c, "refer", "station", "care", NULL, 0, err, sizeof err), RD_OK);
    l = rd_case_next(c, 0);
    assert_non_null(find_action(l, RD_ACT_REFER));
    rd_actions_free(l);
    assert_int_equal(rd_case_record(c, "refer", "station", "no_such_service", NULL, 0, err, sizeof err), RD_ERR_PROGRAM);
    assert_int_equal(rd_case_record(c, "refer", "station", "protection", NULL, 0, err, sizeof err), RD_OK);
    l = rd_case_next(c, 0);
    assert_null(find_action(l, RD_ACT_REFER));
    rd_actions_free(l);
    rd_case_free(c);
}

/* The report `duty`, which must be due in the case `case_text` of program p: whether it is a
 * breach of the SOP (the flag, checked to agree with what the action tells the worker). */
static int breach_of_report(rd_program *p, const char *case_text, const char *duty)
{
    rd_case *c = opened_in(p, "c.yaml", case_text);
    rd_action_list *l = rd_case_next(c, 0);
    const rd_action *a = find_action(l, RD_ACT_REPORT);
    assert_non_null(a);
    assert_string_equal(a->name, duty);
    int breach = a->breach, said = strstr(a->detail, "THIS CASE BREACHED THE SOP") != NULL;
    if (said != (breach != 0)) fail_msg("`breach` is %d, but the worker is told: %s", breach, a->detail);
    rd_actions_free(l);
    rd_case_free(c);
    return breach;
}

/* Holding work papers is holding the migration status they show: a duty to report the status
 * is due though the SOP never names the status where the papers are recorded. */
static void holding_what_reveals_data_holds_the_data(void **state)
{
    (void)state;
    assert_int_equal(breach_of_report(prog, "opened_by: clinic\nfacts: { safe_now: true, violence: sexual, papers_rule: true }\n"
                                            "events: [ { inform: duty_notice } ]\n", "papers_report"),
                     0);
}

/* A report due where she disclosed before she was told of the duty: the case departs from the
 * SOP, and the action says so (`breach`). `sop` tells her first, and the runtime stops at the
 * notice until it is given, so this draft asks and records before it tells her (the verifier's
 * notice_before_report catches such a draft; a case can still run under it). */
static const char tells_late[] =
    DECLS
    "pathway late \"Late\" { entry sector health start a\n"
    " step a \"Intake\" by provider { ask violence record survivor_name inform duty_notice end \"done\" }\n"
    "}\n";

static void a_report_without_the_notice_is_a_breach(void **state)
{
    (void)state;
    rd_program *p = compile_ok(tells_late);
    /* she disclosed, and was not told: the report is due, and it is a breach */
    assert_int_equal(breach_of_report(p, "opened_by: clinic\nfacts: { violence: physical }\n", "assault_report"), 1);
    /* told first: the same report is due, and it is no breach */
    assert_int_equal(breach_of_report(p, "opened_by: clinic\nfacts: { violence: physical }\n"
                                         "events: [ { inform: duty_notice } ]\n", "assault_report"),
                     0);
    rd_program_free(p);
}

/* A consent counts from when she gave it: a question dated earlier (a clock behind, a log being
 * replayed) is denied, as it would have been then. */
static void a_consent_counts_from_when_she_gave_it(void **state)
{
    (void)state;
    rd_case *c = opened("opened_by: clinic\nconsents:\n  to_police: { granted: true, at: \"2024-05-01T10:00:00Z\" }\n");
    rd_reason why;
    assert_int_equal(rd_may_share(c, "survivor_name", "clinic", "station", instant("2024-05-01T09:59:59Z"), &why), RD_DENY);
    assert_int_equal(rd_may_share(c, "survivor_name", "clinic", "station", instant("2024-05-01T10:00:00Z"), &why), RD_ALLOW);
    assert_string_equal(why.rule, "to_police");
    rd_case_free(c);
}

static void may_share_denies_unless_a_rule_allows(void **state)
{
    (void)state;
    rd_case *c = opened("opened_by: clinic\nfacts: { emergency: false }\n"
                        "consents:\n  to_police: { granted: true, except: [location], until: \"2030-01-01T00:00:00Z\" }\n");
    rd_reason why;
    long long t2029 = instant("2029-06-01T00:00:00Z"), t2031 = instant("2031-01-01T00:00:00Z");
    assert_int_equal(rd_may_share(c, "survivor_name", "clinic", "station", t2029, &why), RD_ALLOW);
    assert_string_equal(why.rule, "to_police");
    assert_string_equal(why.kind, "consent");
    char text[512];
    assert_string_equal(rd_reason_text(&why, text, sizeof text), "allowed by her consent `to_police` (Police referral)");
    /* cut short, never overrun */
    assert_string_equal(rd_reason_text(&why, text, 8), "allowed");
    /* an app asks many times while a case stays open: asking must not grow the program or the case */
    size_t prog_used = c->p->arena.used, case_used = c->arena.used;
    for (int i = 0; i < 100; i++) {
        rd_may_share(c, "location", "clinic", "station", t2029, &why);
        rd_may_share(c, "no_such_data", "clinic", "station", t2029, &why);
    }
    assert_int_equal(c->p->arena.used, prog_used);
    assert_int_equal(c->arena.used, case_used);
    assert_string_equal(rd_reason_text(&why, text, sizeof text), "denied: the SOP has no data category `no_such_data`");
    /* narrowed: she excluded her location */
    assert_int_equal(rd_may_share(c, "location", "clinic", "station", t2029, &why), RD_DENY);
    assert_string_equal(rd_reason_text(&why, text, sizeof text),
                        "denied: her answer to `to_police` does not allow it (refused, narrowed, expired or withdrawn)");
    /* expired */
    assert_int_equal(rd_may_share(c, "survivor_name", "clinic", "station", t2031, &why), RD_DENY);
    /* the principle wins whatever any consent says */
    assert_int_equal(rd_may_share(c, "migration_status", "clinic", "checkpoint", t2029, &why), RD_DENY);
    assert_string_equal(why.kind, "principle");
    assert_non_null(strstr(rd_reason_text(&why, text, sizeof text), "`migration_status` must never reach `checkpoint`"));
    /* nobody allows it */
    assert_int_equal(rd_may_share(c, "survivor_name", "clinic", "checkpoint", t2029, &why), RD_DENY);
    assert_string_equal(why.rule, "default");
    /* withdrawn */
    char err[128];
    assert_int_equal(rd_case_decide(c, "to_police", -1, t2029, err, sizeof err), RD_OK);
    assert_int_equal(rd_may_share(c, "survivor_name", "clinic", "station", t2029 + 10, &why), RD_DENY);
    /* a permit, while its condition holds: break-glass */
    assert_int_equal(rd_may_share(c, "location", "clinic", "station", t2029, &why), RD_DENY);
    assert_int_equal(rd_case_set_fact(c, "emergency", "true", err, sizeof err), RD_OK);
    assert_int_equal(rd_may_share(c, "location", "clinic", "station", t2029, &why), RD_ALLOW);
    assert_string_equal(why.kind, "permit");
    assert_true(why.break_glass);
    /* a duty, where it applies, once she has been told of it */
    assert_int_equal(rd_case_set_fact(c, "violence", "physical", err, sizeof err), RD_OK);
    rd_case_decide(c, "to_police", 0, 0, err, sizeof err);
    assert_int_equal(rd_may_share(c, "survivor_name", "clinic", "station", t2029, &why), RD_DENY);
    assert_string_equal(why.kind, "duty");
    assert_string_equal(why.notice, "duty_notice");
    assert_int_equal(rd_case_record(c, "inform", "duty_notice", NULL, NULL, t2029 - 60, err, sizeof err), RD_OK);
    assert_int_equal(rd_may_share(c, "survivor_name", "clinic", "station", t2029 - 61, &why), RD_DENY);
    assert_int_equal(rd_may_share(c, "survivor_name", "clinic", "station", t2029, &why), RD_ALLOW);
    assert_string_equal(why.kind, "duty");
    rd_case_free(c);
}

static void saving_and_loading_keep_the_case(void **state)
{
    (void)state;
    rd_case *c = opened("opened_by: clinic\ncase: \"c-1\"\nfacts: { hours: 30, violence: sexual, safe_now: unknown }\n"
                        "consents:\n  to_police: { granted: true, except: [location], only: [station] }\n"
                        "events:\n  - { inform: duty_notice, at: \"2024-05-01T10:00:00Z\" }\n"
                        "  - { permit: emergency_police, data: location, with: station, reason: \"knife at the door\", by: \"worker 3\" }\n");
    char path[128];
    snprintf(path, sizeof path, "%s/saved.yaml", dir);
    assert_int_equal(rd_case_save(c, path), RD_OK);
    rd_case *c2 = load_path(prog, path);
    char again[128];
    snprintf(again, sizeof again, "%s/saved2.yaml", dir);
    assert_int_equal(rd_case_save(c2, again), RD_OK);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "cmp -s %s %s", path, again);
    assert_int_equal(system(cmd), 0); /* saving what was loaded gives the same file */
    /* the permit's use asks for her to be told */
    rd_action_list *l = rd_case_next(c2, 0);
    assert_non_null(find_action(l, RD_ACT_TELL_AFTER));
    rd_actions_free(l);
    char err[128];
    assert_int_equal(rd_case_record(c2, "told", "emergency_police", NULL, NULL, 0, err, sizeof err), RD_OK);
    l = rd_case_next(c2, 0);
    assert_null(find_action(l, RD_ACT_TELL_AFTER));
    rd_actions_free(l);
    /* a permit is used for one named flow it covers, with a reason, while its condition holds */
    assert_int_equal(rd_case_record(c2, "permit", "emergency_police", "location:station", "still in danger", 0, err, sizeof err),
                     RD_ERR_PROGRAM); /* no emergency known */
    assert_non_null(strstr(err, "its condition does not hold"));
    assert_int_equal(rd_case_set_fact(c2, "emergency", "true", err, sizeof err), RD_OK);
    assert_int_equal(rd_case_record(c2, "permit", "emergency_police", NULL, "still in danger", 0, err, sizeof err), RD_ERR_PROGRAM);
    assert_int_equal(rd_case_record(c2, "permit", "emergency_police", "survivor_name:station", "x", 0, err, sizeof err),
                     RD_ERR_PROGRAM); /* the permit shares only her location */
    assert_int_equal(rd_case_record(c2, "permit", "emergency_police", "location:station", NULL, 0, err, sizeof err), RD_ERR_PROGRAM);
    /* used again: telling her about the first use does not cover the second */
    assert_int_equal(rd_case_record(c2, "permit", "emergency_police", "location:station", "still in danger", 0, err, sizeof err), RD_OK);
    l = rd_case_next(c2, 0);
    assert_non_null(find_action(l, RD_ACT_TELL_AFTER));
    assert_non_null(strstr(find_action(l, RD_ACT_TELL_AFTER)->text, "`location` was sent to `station`"));
    rd_actions_free(l);
    rd_case_free(c);
    rd_case_free(c2);
}

/* Every message from a bad case file, rendered as the CLI renders it. */
static char *render(rd_diagnostics *d)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    rd_diagnostics_print(d, f, 0);
    fclose(f);
    return buf;
}

/* An app keeps its program open and reads case after case: nothing of a case, not a value, a
 * reason or a name, may stay in the program's memory once the case is freed. */
static void reading_cases_leaves_the_program_as_it_was(void **state)
{
    (void)state;
    size_t before = prog->arena.used;
    for (int i = 0; i < 3; i++) {
        rd_case *c = opened("opened_by: clinic\ncase: \"c-77\"\nlanguage: my\nfacts: { hours: 30, violence: sexual }\n"
                            "consents:\n  to_police: { granted: true, except: [location], only: [station] }\n"
                            "events:\n  - { inform: duty_notice, by: \"worker 3\" }\n  - { step: a }\n");
        char err[128];
        assert_int_equal(rd_case_record(c, "refer", "station", "protection", NULL, 0, err, sizeof err), RD_OK);
        assert_int_equal(rd_case_set_fact(c, "safe_now", "false", err, sizeof err), RD_OK);
        rd_actions_free(rd_case_next(c, 0));
        rd_case_free(c);
        /* and a case the loader refuses (an unknown name) */
        rd_diagnostics *d;
        c = load("opened_by: clinic\nevents: [ { inform: no_such_notice_zz } ]\n", &d);
        assert_null(c);
        rd_diagnostics_free(d);
        /* and one it refuses for a value that is not one of a fact's (its help lists them) */
        c = load("opened_by: clinic\nfacts: { violence: neither_zz }\n", &d);
        assert_null(c);
        rd_diagnostics_free(d);
        if (i == 0) before = prog->arena.used; /* the first time may build what the program keeps (its graph) */
    }
    assert_int_equal(prog->arena.used, before);
    /* nor keeps the case file itself, its text or even its name: an app that serves many cases,
     * each in its own file, would otherwise grow with every one */
    size_t files = prog->sources.n;
    for (int i = 0; i < 3; i++) {
        char name[32];
        snprintf(name, sizeof name, "case-%d.yaml", i);
        rd_case_free(opened_in(prog, name, "opened_by: clinic\nfacts: { hours: 30 }\n"));
    }
    assert_int_equal(prog->sources.n, files);
    for (uint32_t i = 0; i < prog->sources.n; i++) assert_null(strstr(prog->sources.v[i].path, ".yaml"));
}

static void nothing_from_a_case_reaches_a_message(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "opened_by: clinic\nfacts: { violence: SECRETMARKER }\n",
        "opened_by: clinic\nfacts: { hours: SECRETMARKER }\n",
        "opened_by: clinic\nfacts: { safe_now: SECRETMARKER }\n",
        "opened_by: clinic\nconsents: { to_police: SECRETMARKER }\n",
        "opened_by: clinic\nconsents: { to_police: { granted: true, until: SECRETMARKER } }\n",
        "opened_by: clinic\nevents: [ { inform: duty_notice, at: SECRETMARKER } ]\n",
        "opened_by: clinic\nfacts: { violence: [SECRETMARKER] }\n",
        "opened_by: clinic\nfacts: {\n  violence: \"SECRETMARKER\n",
        "opened_by: clinic\nfacts: { safe_now: true }\n  bad indent: SECRETMARKER\n",
        "opened_by: clinic\nconsents: { to_police: { granted: true, except: [SECRETMARKER] } }\n",
        "opened_by: clinic\nfacts: { violence: SECRETMARKER\xff }\n",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        rd_diagnostics *d;
        rd_case *c = load(bad[i], &d);
        assert_null(c);
        assert_true(rd_diagnostics_count(d, RD_SEV_ERROR) > 0);
        char *out = render(d);
        if (strstr(out, "SECRETMARKER")) fprintf(stderr, "case %zu leaked:\n%s", i, out);
        assert_null(strstr(out, "SECRETMARKER"));
        free(out);
        rd_diagnostics_free(d);
    }
    /* changes through the API: the value never comes back in the message */
    rd_case *c = opened("opened_by: clinic\n");
    char err[256];
    assert_int_equal(rd_case_set_fact(c, "violence", "SECRETMARKER", err, sizeof err), RD_ERR_PROGRAM);
    assert_null(strstr(err, "SECRETMARKER"));
    assert_int_equal(rd_case_set_fact(c, "hours", "SECRETMARKER", err, sizeof err), RD_ERR_PROGRAM);
    assert_null(strstr(err, "SECRETMARKER"));
    rd_case_free(c);
}

/* A referral to a sector lists who provides the service, best first: she is served in her
 * language, then open around the clock (however the directory words it), then specialist. */
static void referral_entries_are_ranked(void **state)
{
    (void)state;
    const char *text = "sop \"R\" { languages en, my }\nsector shelter \"Shelter\"\nservice stay \"A safe place\"\n"
                       "actor plain \"Plain House\" { sector shelter provides stay }\n"
                       "actor special \"Special House\" { sector shelter specialist provides stay }\n"
                       "actor allday \"All-day House\" { sector shelter provides stay hours \"24 hours (front desk)\" }\n"
                       "actor spoken \"Spoken House\" { sector shelter provides stay languages my }\n"
                       "pathway p \"P\" { entry plain start a\n step a \"A\" by provider { refer sector shelter for stay end } }\n";
    rd_program *p = compile_ok(text);
    rd_case *c = opened_in(p, "rank.yaml", "opened_by: plain\nlanguage: my\n");
    rd_action_list *l = rd_case_next(c, 0);
    const rd_action *a = find_action(l, RD_ACT_REFER);
    assert_non_null(a);
    const char *spoken = strstr(a->detail, "(spoken)"), *allday = strstr(a->detail, "(allday)"),
               *special = strstr(a->detail, "(special)"), *plain = strstr(a->detail, "(plain)");
    assert_true(spoken && allday && special && plain);
    assert_true(spoken < allday && allday < special && special < plain);
    rd_actions_free(l);
    rd_case_free(c);
    rd_program_free(p);
}

/* Opening hours as directories write them, in the directory's local time (here UTC+7). */
static void opening_hours_are_read(void **state)
{
    (void)state;
    const int bkk = 7 * 60;
    long long wed_10 = instant("2026-11-25T03:00:00Z"), wed_19 = instant("2026-11-25T12:00:00Z");
    long long sat_10 = instant("2026-11-28T03:00:00Z"), sun_23 = instant("2026-11-29T16:00:00Z");
    long long tue_05 = instant("2026-12-01T22:00:00Z") - 24 * 3600, wed_05 = instant("2026-12-01T22:00:00Z");
    assert_int_equal(rd_open_at("Mon-Fri 08:00-17:00", wed_10, bkk), 1);
    assert_int_equal(rd_open_at("Mon-Fri 08:00-17:00", wed_19, bkk), 0);
    assert_int_equal(rd_open_at("Mon-Fri 08:00-17:00", sat_10, bkk), 0);
    assert_int_equal(rd_open_at("Mon-Fri 08:00-17:00; Sat 08:00-12:00 (fictional)", sat_10, bkk), 1);
    assert_int_equal(rd_open_at("mon-fri 08:00-17:00", wed_10, 0), 0); /* 03:00 in UTC */
    /* past midnight, and a day range that wraps */
    assert_int_equal(rd_open_at("Sat-Mon 22:00-06:00", sun_23, bkk), 1);
    assert_int_equal(rd_open_at("Sat-Mon 22:00-06:00", tue_05, bkk), 1); /* Monday night into Tuesday */
    assert_int_equal(rd_open_at("Sat-Mon 22:00-06:00", wed_05, bkk), 0);
    assert_int_equal(rd_open_at("daily 09:00-17:00 (front desk)", wed_10, bkk), 1);
    assert_int_equal(rd_open_at("24/7 (fictional)", wed_19, bkk), 1);
    assert_int_equal(rd_open_at("24 hours (emergency room)", wed_19, bkk), 1);
    /* not understood: never taken as open */
    assert_int_equal(rd_open_at("Hours (template placeholder)", wed_10, bkk), -1);
    assert_int_equal(rd_open_at("Mon-Fri 8-5", wed_10, bkk), -1);
    assert_int_equal(rd_open_at("Mon-Fri 08:00-25:00", wed_10, bkk), -1);
    assert_int_equal(rd_open_at("Mon-Fri 08:00-17:00 and Sat", wed_10, bkk), -1);

    /* end to end: an office open now ranks above a specialist that is not said to be */
    put("hours.yaml", "directory:\n  utc_offset: \"+07:00\"\nproviders:\n"
                      "  - id: office\n    name: \"Office House\"\n    sector: shelter\n    services: [stay]\n"
                      "    hours: \"Mon-Fri 08:00-17:00\"\n");
    rd_program *p = compiled_here(
        "sop \"H\" { languages en }\ndirectory \"hours.yaml\"\nsector shelter \"Shelter\"\nservice stay \"A safe place\"\n"
        "actor special \"Special House\" { sector shelter specialist provides stay }\n"
        "pathway p \"P\" { entry special start a\n step a \"A\" by provider { refer sector shelter for stay end } }\n");
    rd_case *c = opened_in(p, "hours_case.yaml", "opened_by: special\n");
    rd_action_list *l = rd_case_next(c, wed_10);
    const rd_action *a = find_action(l, RD_ACT_REFER);
    assert_non_null(a);
    assert_non_null(strstr(a->detail, "1. Office House (office)"));
    assert_non_null(strstr(a->detail, "(open now)"));
    rd_actions_free(l);
    l = rd_case_next(c, wed_19);
    a = find_action(l, RD_ACT_REFER);
    assert_non_null(strstr(a->detail, "1. Special House (special)"));
    assert_null(strstr(a->detail, "(open now)"));
    rd_actions_free(l);
    rd_case_free(c);
    rd_program_free(p);
}

static void lua_facts_are_computed_in_the_sandbox(void **state)
{
    (void)state;
    put("risk.lua", "if facts.violence == 'physical' and facts.hours and facts.hours < 72 then return 'high' end\n"
                    "return 'low'\n");
    put("escape.lua", "os.execute('touch /tmp/rd_escaped') return true\n");
    rd_program *p = compiled_here(
        "sector health \"Health\"\nservice care \"Care\"\n"
        "fact violence: enum { physical, sexual } \"What happened?\"\nfact hours: int \"Hours since?\"\n"
        "fact risk: enum { low, high } = lua \"risk.lua\"\n"
        "fact broken: bool = lua \"escape.lua\"\n"
        "actor clinic \"Clinic\" { sector health specialist provides care }\n"
        "pathway p \"P\" { entry sector health start a\n"
        " step a \"A\" by provider { if risk == high { refer clinic for care } if broken { end \"x\" } end \"y\" } }\n");
    rd_case *c = opened_in(p, "c.yaml", "opened_by: clinic\nfacts: { violence: physical, hours: 30 }\n");
    rd_action_list *l = rd_case_next(c, 0);
    assert_non_null(find_action(l, RD_ACT_REFER)); /* risk computed high: the referral waits */
    rd_actions_free(l);
    char err[128];
    assert_int_equal(rd_case_set_fact(c, "hours", "100", err, sizeof err), RD_OK);
    l = rd_case_next(c, 0);
    assert_null(find_action(l, RD_ACT_REFER)); /* recomputed: low */
    const rd_action *e = find_action(l, RD_ACT_END);
    assert_non_null(e);
    assert_string_equal(e->text, "y"); /* `broken` stayed unknown: its chunk was stopped */
    rd_actions_free(l);
    assert_int_equal(access("/tmp/rd_escaped", F_OK), -1);
    rd_case_free(c);
    rd_program_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(next_actions_follow_the_case),
        cmocka_unit_test(a_report_without_the_notice_is_a_breach),
        cmocka_unit_test(holding_what_reveals_data_holds_the_data),
        cmocka_unit_test(may_share_denies_unless_a_rule_allows),
        cmocka_unit_test(a_consent_counts_from_when_she_gave_it),
        cmocka_unit_test(saving_and_loading_keep_the_case),
        cmocka_unit_test(reading_cases_leaves_the_program_as_it_was),
        cmocka_unit_test(nothing_from_a_case_reaches_a_message),
        cmocka_unit_test(referral_entries_are_ranked),
        cmocka_unit_test(opening_hours_are_read),
        cmocka_unit_test(lua_facts_are_computed_in_the_sandbox),
    };
    return cmocka_run_group_tests_name("runtime", tests, setup, teardown);
}
