/* The case file as a store: times read strictly, her limits kept when a grant is recorded again,
 * a bad value never replacing a good one, names that are not the SOP's refused, and any text saved
 * and read back exactly (a round trip over random Unicode, control characters and YAML's own
 * syntax). Each test here failed on the code before the store was rewritten (issue 13). */
#include "helpers.h"
#include "case.h"
#include "check.h"
#include "rightdoor.h"
#include <sys/stat.h>
#include <unistd.h>

static const char *const sop_path = "tests/flow/narrowed.sop";

static rd_case *load(const char *path, rd_program **p, rd_diagnostics **d)
{
    *d = NULL;
    *p = rd_compile(sop_path, &test_opt, d);
    assert_non_null(*p);
    rd_diagnostics_free(*d);
    *d = rd_diagnostics_new();
    assert_non_null(*d);
    return rd_case_load(*p, path, *d);
}

/* The case file `yaml` loaded from a scratch folder removed at once (the case holds what it read). */
static rd_case *load_text(const char *yaml, rd_program **p, rd_diagnostics **d)
{
    char dir[] = "/tmp/rd-store-XXXXXX", path[64];
    assert_non_null(mkdtemp(dir));
    put_file(dir, "c.yaml", yaml);
    snprintf(path, sizeof path, "%s/c.yaml", dir);
    rd_case *c = load(path, p, d);
    unlink(path);
    rmdir(dir);
    return c;
}

static void release(rd_case *c, rd_program *p, rd_diagnostics *d)
{
    rd_case_free(c);
    rd_program_free(p);
    rd_diagnostics_free(d);
}

/* ---- times ------------------------------------------------------------------------------------ */

static void times_are_read_strictly(void **state)
{
    (void)state;
    static const struct { const char *text; long long want; } good[] = {
        {"1970-01-01T00:00:00Z", 0},
        {"2024-05-01T10:00:00Z", 1714557600},
        {"2024-05-01T17:00:00+07:00", 1714557600},
        {"2024-05-01t03:00:00-07:00", 1714557600},
        {"2024-05-01 10:00:00z", 1714557600},
        {"2024-05-01T10:00:00.999Z", 1714557600},
        {"2024-02-29T00:00:00Z", 1709164800},
        {"1969-12-31T23:59:59Z", -1},
        {"2016-12-31T23:59:60Z", 1483228800},
        {"0000-01-01T00:00:00Z", -62167219200LL},
        {"9999-12-31T23:59:59Z", 253402300799LL},
    };
    for (size_t i = 0; i < sizeof good / sizeof *good; i++) {
        long long t = 42;
        if (rd_time_parse(good[i].text, &t) != 0 || t != good[i].want) {
            print_error("%s: got %lld\n", good[i].text, t);
            fail();
        }
    }
    static const struct { const char *text; int col; } bad[] = {
        {"2024-05-01 15:00:00", 20},   /* as SQL and Python write it: no zone, so no instant */
        {"2024-05-01T15:00:00", 20},
        {"2024-02-31T00:00:00Z", 9},   /* a day February does not have */
        {"2023-02-29T00:00:00Z", 9},
        {"2024-5-1T1:2:3Z", 7},
        {"2024-05-01T10:00:00Zjunk", 21},
        {"2024-05-01", 11},
        {"", 1},
        {"2024-05-01T24:00:00Z", 12},
        {"2024-05-01T10:00:00+7:00", 22},
        {"2024-05-01T10:00:00.Z", 21},
        {"2024-05-01T10:00:60Z", 18},       /* a leap second only ends a minute */
        {"0000-01-01T00:30:00+01:00", 1},   /* before the first instant the text can name */
        {"9999-12-31T23:59:59-01:00", 1},   /* after the last: it could not be written back */
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        long long t = 42;
        int col = rd_time_parse(bad[i].text, &t);
        if (col != bad[i].col || t != 42) {
            print_error("%s: column %d, wanted %d\n", bad[i].text, col, bad[i].col);
            fail();
        }
    }
}

/* A withdrawal at the first second of 1970 is a withdrawal: 0 used to mean "not set". */
static void a_withdrawal_at_the_epoch_counts(void **state)
{
    (void)state;
    rd_program *p;
    rd_diagnostics *d;
    rd_case *c = load_text("sop: \"tests/flow/narrowed.sop\"\ncase: \"t-1\"\nopened_by: narrow_centre\n"
                           "consents:\n  police_referral: { granted: true, at: \"1970-01-01T00:00:00Z\", withdrawn: "
                           "\"1970-01-01T00:00:00Z\" }\n",
                           &p, &d);
    assert_non_null(c);
    rd_reason why;
    assert_int_equal(rd_may_share(c, "survivor_name", "narrow_centre", "narrow_police", 1714557600, &why), RD_DENY);
    assert_string_equal(why.kind, "consent");
    release(c, p, d);
}

/* ---- changes ------------------------------------------------------------------------------------ */

static void a_grant_recorded_again_keeps_her_limits(void **state)
{
    (void)state;
    rd_program *p;
    rd_diagnostics *d;
    rd_case *c = load("tests/flow/narrowed.yaml", &p, &d);
    assert_non_null(c);
    char err[256];
    long long later = 1714557600 + 86400;
    rd_reason why;
    assert_int_equal(rd_case_decide(c, "police_referral", 1, later, err, sizeof err), RD_OK);
    assert_int_equal(rd_may_share(c, "location", "narrow_centre", "narrow_police", later + 1, &why), RD_DENY);
    assert_int_equal(rd_may_share(c, "safety_plan", "narrow_centre", "narrow_police", later + 1, &why), RD_DENY);
    assert_int_equal(rd_may_share(c, "survivor_name", "narrow_centre", "narrow_police", later + 1, &why), RD_ALLOW);
    /* a refusal and a grant after it do not lift them either */
    assert_int_equal(rd_case_decide(c, "police_referral", 0, later + 2, err, sizeof err), RD_OK);
    assert_int_equal(rd_case_decide(c, "police_referral", 1, later + 3, err, sizeof err), RD_OK);
    assert_int_equal(rd_may_share(c, "location", "narrow_centre", "narrow_police", later + 4, &why), RD_DENY);
    /* new terms as she states them: until a day later, and her location no longer kept back */
    rd_consent_terms terms = {"migration_status", "narrow_police", later + 86400};
    assert_int_equal(rd_case_grant(c, "police_referral", &terms, later + 5, err, sizeof err), RD_OK);
    assert_int_equal(rd_may_share(c, "location", "narrow_centre", "narrow_police", later + 6, &why), RD_ALLOW);
    assert_int_equal(rd_may_share(c, "passport_details", "narrow_centre", "narrow_police", later + 6, &why), RD_DENY);
    assert_int_equal(rd_may_share(c, "location", "narrow_centre", "narrow_police", later + 2 * 86400, &why), RD_DENY);
    /* terms that name what the SOP does not have, or end before they begin, change nothing */
    rd_consent_terms wrong = {"no_such_data", NULL, RD_TIME_NONE};
    assert_int_equal(rd_case_grant(c, "police_referral", &wrong, later + 7, err, sizeof err), RD_ERR_PROGRAM);
    rd_consent_terms backwards = {NULL, NULL, later};
    assert_int_equal(rd_case_grant(c, "police_referral", &backwards, later + 8, err, sizeof err), RD_ERR_PROGRAM);
    assert_int_equal(rd_may_share(c, "location", "narrow_centre", "narrow_police", later + 9, &why), RD_ALLOW);
    release(c, p, d);
}

static void a_bad_value_never_replaces_a_good_one(void **state)
{
    (void)state;
    rd_program *p;
    rd_diagnostics *d = NULL;
    p = compile_str("sop \"T\" { languages en }\nfact hours_since_incident: int \"Hours?\"\n", &d);
    assert_non_null(p);
    rd_diagnostics_free(d);
    rd_case *c = rd_case_blank(p, NULL, 0);
    assert_non_null(c);
    char err[256];
    assert_int_equal(rd_case_set_fact(c, "hours_since_incident", "30", err, sizeof err), RD_OK);
    assert_int_equal(rd_case_set_fact(c, "hours_since_incident", "thirty", err, sizeof err), RD_ERR_PROGRAM);
    assert_null(strstr(err, "thirty"));
    long long v = 0;
    assert_true(rd_case_fact_value(c, rd_lookup(p, RD_D_FACT, "hours_since_incident"), &v));
    assert_int_equal(v, 30);
    rd_case_free(c);
    rd_program_free(p);
}

static void names_that_are_not_the_sops_are_refused(void **state)
{
    (void)state;
    rd_program *p;
    rd_diagnostics *d;
    rd_case *c = load("tests/flow/narrowed.yaml", &p, &d);
    assert_non_null(c);
    char err[256];
    /* a newline would once have written `consents: police_referral: granted` into the file */
    assert_int_equal(rd_case_record(c, "step", "received\nconsents:\n  police_referral: granted", NULL, NULL, 1, err, sizeof err),
                     RD_ERR_PROGRAM);
    assert_null(strstr(err, "consents"));
    assert_int_equal(rd_case_record(c, "choose", "received", "no_such_option", NULL, 1, err, sizeof err), RD_ERR_PROGRAM);
    assert_int_equal(rd_case_record(c, "share", "survivor_name", "nobody\n", NULL, 1, err, sizeof err), RD_ERR_PROGRAM);
    assert_int_equal(rd_case_record(c, "step", "received", NULL, NULL, 1, err, sizeof err), RD_OK);
    release(c, p, d);
    /* a NUL escape in a name of a case file: read as the whole name (refused), never cut short */
    c = load_text("sop: \"tests/flow/narrowed.sop\"\ncase: \"t-2\"\nopened_by: narrow_centre\n"
                  "consents:\n  \"police_referral\\0_refused\": granted\n",
                  &p, &d);
    assert_null(c);
    release(c, p, d);
}

/* ---- saving and loading again -------------------------------------------------------------------- */

static uint64_t rng = 88172645463325252ull;
static uint32_t rnd(uint32_t n)
{
    rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
    return (uint32_t)(rng % n);
}

/* Random UTF-8 text, heavy in what breaks hand-written YAML: quotes, colons, hashes, newlines,
 * tabs, YAML's words, and any code point but the controls no text may hold (rd_is_control). */
static void random_text(char *out, size_t cap)
{
    static const char *const pieces[] = {"\"", "'", ": ", "#", "\n", "\t", "\xc2\xa0", "\xc2\xa9", "\\",
                                         "true", "null", "~", "- ", "{", "}", "[", "&a", "*a", "!!str", "%", "@", "`",
                                         " ", "\xe2\x80\xa8", "\xef\xbb\xbf", "\xf0\x9f\x98\x80", "\xe0\xb8\x81", "x"};
    size_t n = 0, len = rnd(40);
    for (size_t i = 0; i < len; i++) {
        char piece[8];
        if (rnd(3)) {
            snprintf(piece, sizeof piece, "%s", pieces[rnd(sizeof pieces / sizeof *pieces)]);
        } else { /* any code point but the surrogates and NUL */
            uint32_t cp = 1 + rnd(0x10fffe);
            if ((cp >= 0xd800 && cp <= 0xdfff) || rd_is_control(cp) || cp == '\r') cp = 'x';
            if (cp < 0x80) piece[0] = (char)cp, piece[1] = 0;
            else if (cp < 0x800) piece[0] = (char)(0xc0 | cp >> 6), piece[1] = (char)(0x80 | (cp & 63)), piece[2] = 0;
            else if (cp < 0x10000)
                piece[0] = (char)(0xe0 | cp >> 12), piece[1] = (char)(0x80 | (cp >> 6 & 63)), piece[2] = (char)(0x80 | (cp & 63)),
                piece[3] = 0;
            else
                piece[0] = (char)(0xf0 | cp >> 18), piece[1] = (char)(0x80 | (cp >> 12 & 63)),
                piece[2] = (char)(0x80 | (cp >> 6 & 63)), piece[3] = (char)(0x80 | (cp & 63)), piece[4] = 0;
        }
        size_t k = strlen(piece);
        if (n + k + 1 > cap) break;
        memcpy(out + n, piece, k);
        n += k;
    }
    out[n] = '\0';
}

static void any_text_is_saved_and_read_back_exactly(void **state)
{
    (void)state;
    char dir[] = "/tmp/rd-store-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[64];
    snprintf(path, sizeof path, "%s/c.yaml", dir);
    rd_program *p;
    rd_diagnostics *d;
    rd_case *c = load("tests/flow/narrowed.yaml", &p, &d);
    assert_non_null(c);
    char err[256];
    assert_int_equal(rd_case_record(c, "step", "received", NULL, NULL, 1714557600, err, sizeof err), RD_OK);
    rd_event *ev = &c->events[c->nevents - 1];
    for (int round = 0; round < 500; round++) {
        char id[256], by[256], reason[256];
        random_text(id, sizeof id);
        random_text(by, sizeof by);
        random_text(reason, sizeof reason);
        c->id = id;
        ev->by = by;
        ev->reason = reason;
        assert_int_equal(rd_case_save(c, path), RD_OK);
        rd_diagnostics *d2 = rd_diagnostics_new();
        rd_case *back = rd_case_load(p, path, d2);
        if (!back) {
            rd_diagnostics_print(d2, stderr, 3);
            fail();
        }
        const rd_event *e2 = &back->events[back->nevents - 1];
        assert_string_equal(rd_case_id(back), id);
        assert_string_equal(e2->by, by);
        assert_string_equal(e2->reason, reason);
        assert_int_equal(back->nevents, c->nevents);
        assert_int_equal(back->consents[0].state, RD_CS_GRANTED);
        rd_case_free(back);
        rd_diagnostics_free(d2);
    }
    c->id = "t-3";
    ev->by = ev->reason = NULL;
    rd_case_free(c);
    rd_program_free(p);
    rd_diagnostics_free(d);
    unlink(path);
    rmdir(dir);
}

/* A symlink's target is replaced (not the link by a copy); a file shared with a team keeps its mode
 * and group; a new file is private. */
static void saving_keeps_the_file_what_it_was(void **state)
{
    (void)state;
    char dir[] = "/tmp/rd-store-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char real[64], link[64], fresh[64];
    snprintf(real, sizeof real, "%s/real.yaml", dir);
    snprintf(link, sizeof link, "%s/link.yaml", dir);
    snprintf(fresh, sizeof fresh, "%s/new.yaml", dir);
    rd_program *p;
    rd_diagnostics *d;
    rd_case *c = load("tests/flow/narrowed.yaml", &p, &d);
    assert_non_null(c);
    assert_int_equal(rd_case_save(c, real), RD_OK);
    assert_int_equal(chmod(real, 0660), 0);
    assert_int_equal(symlink("real.yaml", link), 0);
    char err[256];
    assert_int_equal(rd_case_decide(c, "police_referral", -1, 1714557600 + 60, err, sizeof err), RD_OK);
    assert_int_equal(rd_case_save(c, link), RD_OK);
    struct stat st;
    assert_int_equal(lstat(link, &st), 0);
    assert_true(S_ISLNK(st.st_mode));
    assert_int_equal(stat(real, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0660);
    rd_case *back = rd_case_load(p, real, d);
    assert_non_null(back);
    assert_int_not_equal(back->consents[0].withdrawn, RD_TIME_NONE);
    rd_case_free(back);
    assert_int_equal(rd_case_save(c, fresh), RD_OK);
    assert_int_equal(stat(fresh, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    /* what a save killed before its rename left behind is removed by the next writer's lock */
    char stale[80];
    snprintf(stale, sizeof stale, "%s/real.yaml.rightdoor-save.AbC123", dir);
    put_file(dir, "real.yaml.rightdoor-save.AbC123", "her whole case");
    assert_int_equal(chmod(stale, 0600), 0);
    int lock = rd_case_lock(link);
    assert_true(lock >= 0);
    assert_int_not_equal(access(stale, F_OK), 0);
    rd_case_unlock(lock);
    rd_case_free(c);
    rd_program_free(p);
    rd_diagnostics_free(d);
    unlink(link);
    unlink(real);
    unlink(fresh);
    rmdir(dir);
}

/* Control characters would drive the terminal that shows a reason: refused, never saved. */
static void a_reason_with_a_control_character_is_refused(void **state)
{
    (void)state;
    rd_program *p = rd_compile("examples/annex1a/annex1a.sop", &test_opt, NULL);
    assert_non_null(p);
    rd_diagnostics *d = rd_diagnostics_new();
    rd_case *c = rd_case_load(p, "examples/annex1a/cases/c-0001.yaml", d);
    assert_non_null(c);
    char err[256];
    assert_int_equal(rd_case_set_fact(c, "emergency", "true", err, sizeof err), RD_OK);
    static const char *const bad[] = {"a \x7f b", "a \xc2\x93 b", "a \x1b[2J b", "a \xe2\x80\xae b", "a \xff b"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        assert_int_equal(rd_case_record(c, "permit", "life_threat_police", "location:district_police", bad[i], 1, err, sizeof err),
                         RD_ERR_PROGRAM);
    assert_int_equal(rd_case_record(c, "permit", "life_threat_police", "location:district_police", "she asked: \"now\" # 1", 1,
                                    err, sizeof err),
                     RD_OK);
    rd_case_free(c);
    rd_diagnostics_free(d);
    rd_program_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(times_are_read_strictly),
        cmocka_unit_test(a_withdrawal_at_the_epoch_counts),
        cmocka_unit_test(a_grant_recorded_again_keeps_her_limits),
        cmocka_unit_test(a_bad_value_never_replaces_a_good_one),
        cmocka_unit_test(names_that_are_not_the_sops_are_refused),
        cmocka_unit_test(any_text_is_saved_and_read_back_exactly),
        cmocka_unit_test(saving_keeps_the_file_what_it_was),
        cmocka_unit_test(a_reason_with_a_control_character_is_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
