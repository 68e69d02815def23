/* Diagnostics as JSON and SARIF: each document is written to memory, parsed back with jansson and
 * compared with the rd_diagnostic it came from, so the tests hold whatever the messages say. */
#include "helpers.h"
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>

#define BASE                                                                                       \
    "sector health \"Health\"\nsector police \"Police\"\n"                                         \
    "data survivor_name \"Name\" { identifying }\ndata location \"Where she is\"\n"               \
    "service care \"Care\"\nservice protection \"Protection\"\n"                                  \
    "actor police_station \"Station\" { sector police provides protection }\n"                    \
    "actor clinic \"Clinic\" { sector health provides care }\n"

/* Text in the languages the SOPs are written in: "her safety comes first" in Thai and Burmese, and
 * a character outside the Basic Multilingual Plane. */
#define THAI "ความปลอดภัยของเธอมาก่อน"
#define BURMESE "သူမ၏ဘေးကင်းလုံခြုံရေးသည် ဦးစားပေးဖြစ်သည်"
#define DOOR "\xF0\x9F\x9A\xAA"

static rd_diagnostics *compile_errors(const char *extra) { return diagnostics_of(BASE, extra); }

/* What a writer put on the stream, as a string the caller frees. */
static char *capture(const rd_diagnostics *d, int sarif)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    rd_status st = sarif ? rd_diagnostics_write_sarif(d, f, "9.8.7") : rd_diagnostics_write_json(d, f);
    assert_int_equal(fclose(f), 0);
    assert_int_equal(st, RD_OK);
    assert_true(len > 0 && buf[len - 1] == '\n');
    return buf;
}

/* Parses a document: exactly one JSON value, nothing after it. */
static json_t *parse(const char *text)
{
    json_error_t err;
    json_t *j = json_loads(text, 0, &err);
    if (!j) fail_msg("not one JSON document (%s, line %d):\n%s", err.text, err.line, text);
    return j;
}

static json_t *written(const rd_diagnostics *d, int sarif)
{
    char *text = capture(d, sarif);
    json_t *j = parse(text);
    free(text);
    return j;
}

static const char *str(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    if (!json_is_string(v)) fail_msg("`%s` is not a string", key);
    return json_string_value(v);
}

static json_int_t num(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    if (!json_is_integer(v)) fail_msg("`%s` is not an integer", key);
    return json_integer_value(v);
}

static void expect_null(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    if (!json_is_null(v)) fail_msg("`%s` is missing or not null", key);
}

/* A string member equal to s, or null when s is NULL. */
static void expect_str(json_t *o, const char *key, const char *s)
{
    if (s) assert_string_equal(str(o, key), s);
    else expect_null(o, key);
}

/* Element i of an array and member k of an object, failing the test when there is none. */
static json_t *idx(json_t *a, size_t i)
{
    if (!json_is_array(a) || i >= json_array_size(a)) fail_msg("no element %zu", i);
    return json_array_get(a, i);
}

static json_t *key(json_t *o, const char *k)
{
    json_t *v = json_object_get(o, k);
    if (!v) fail_msg("no member `%s`", k);
    return v;
}

/* Every field of one JSON diagnostic against the diagnostic it was written from. */
static void expect_same(json_t *o, const rd_diagnostic *g)
{
    static const char *const sev[] = {"error", "warning", "note"};
    assert_string_equal(str(o, "severity"), sev[g->severity]);
    assert_string_equal(str(o, "code"), g->code);
    expect_str(o, "file", g->file);
    if (g->line) {
        assert_int_equal(num(o, "line"), g->line);
        assert_int_equal(num(o, "column"), g->col);
        assert_int_equal(num(o, "end_column"), g->end_col);
    } else {
        expect_null(o, "line");
        expect_null(o, "column");
        expect_null(o, "end_column");
    }
    assert_string_equal(str(o, "message"), g->message);
    expect_str(o, "help", g->help);
    expect_str(o, "source_line", g->source_line);
    expect_str(o, "citation", g->citation);
    json_t *note = key(o, "note");
    if (g->note) {
        expect_str(note, "file", g->note->file);
        assert_int_equal(num(note, "line"), g->note->line);
        assert_int_equal(num(note, "column"), g->note->col);
        assert_int_equal(num(note, "end_column"), g->note->end_col);
        assert_string_equal(str(note, "message"), g->note->message);
    } else {
        assert_true(json_is_null(note));
    }
    json_t *path = key(o, "path");
    assert_true(json_is_array(path));
    assert_int_equal(json_array_size(path), g->path ? g->path_len : 0);
}

static void json_has_every_field(void **state)
{
    (void)state;
    rd_diagnostics *d =
        compile_errors("consent c \"C\" { shares survivor_name with police_staton purpose \"p\" }\n");
    const rd_diagnostic *g = the_diag(d, "unknown-name");
    json_t *j = written(d, 0);
    json_t *list = key(j, "diagnostics");
    assert_int_equal(json_array_size(list), rd_diagnostics_len(d));
    json_t *o = idx(list, 0);
    expect_same(o, g);
    /* The values themselves, not only agreement with the struct. */
    assert_string_equal(str(o, "severity"), "error");
    assert_string_equal(str(o, "file"), "t.sop");
    assert_int_equal(num(o, "line"), 9);
    assert_int_equal(num(o, "column"), 43);
    assert_int_equal(num(o, "end_column"), 55);
    assert_string_equal(str(o, "message"), "there is no actor named `police_staton`");
    assert_string_equal(str(o, "help"), "did you mean `police_station`?");
    assert_string_equal(str(o, "source_line"),
                        "consent c \"C\" { shares survivor_name with police_staton purpose \"p\" }");
    assert_int_equal(num(j, "errors"), rd_diagnostics_count(d, RD_SEV_ERROR));
    assert_int_equal(num(j, "warnings"), rd_diagnostics_count(d, RD_SEV_WARNING));
    assert_string_equal(str(j, "status"), "program-errors");
    json_decref(j);
    rd_diagnostics_free(d);
}

static void json_note_points_at_the_first(void **state)
{
    (void)state;
    rd_diagnostics *d = compile_errors("actor clinic \"Again\" { sector health }\n");
    const rd_diagnostic *g = the_diag(d, "duplicate-name");
    assert_non_null(g->note);
    json_t *j = written(d, 0);
    json_t *list = key(j, "diagnostics");
    for (size_t i = 0; i < rd_diagnostics_len(d); i++) expect_same(idx(list, i), rd_diagnostics_get(d, i));
    json_t *note = key(idx(list, 0), "note");
    assert_int_equal(num(note, "line"), 8);
    assert_int_equal(num(note, "column"), 7);
    assert_string_equal(str(note, "file"), "t.sop");
    json_decref(j);
    rd_diagnostics_free(d);
}

static void json_without_a_place(void **state)
{
    (void)state;
    rd_diagnostics *d = rd_diagnostics_new();
    rd_diag_file(d, RD_SEV_ERROR, "unreadable-file", "missing.sop", NULL, "cannot read this file");
    rd_diag_file(d, RD_SEV_WARNING, "no-file", NULL, "give a file", "nothing to read");
    json_t *j = written(d, 0);
    json_t *list = key(j, "diagnostics");
    expect_same(idx(list, 0), rd_diagnostics_get(d, 0));
    expect_same(idx(list, 1), rd_diagnostics_get(d, 1));
    expect_null(idx(list, 0), "line");
    expect_null(idx(list, 1), "file");
    assert_string_equal(str(idx(list, 1), "severity"), "warning");
    assert_int_equal(num(j, "errors"), 1);
    assert_int_equal(num(j, "warnings"), 1);
    json_decref(j);
    rd_diagnostics_free(d);
}

/* A principle violation as the verifier will report it; the steps belong to the test. */
static const rd_path_step firewall_path[] = {
    {"mae_sot.sop", 12, 3, "received (provider)"},
    {"mae_sot.sop", 30, 5, "safety: she is not safe now"},
    {"mae_sot.sop", 41, 7, "refer mae_sot_police (shares migration_status)"},
    {"rules/esp.sop", 0, 0, "duty report_foreigners fires at mae_sot_police"},
    {NULL, 0, 0, "Tak Immigration Checkpoint"},
};

static rd_diagnostics *firewall_violation(void)
{
    rd_diagnostics *d = rd_diagnostics_new();
    rd_diagnostic *g = rd_diag_file(d, RD_SEV_ERROR, "firewall", "mae_sot.sop",
                                    "do not record migration_status, or do not share it with the police",
                                    "migration status can reach Tak Immigration Checkpoint");
    g->line = 88;
    g->col = 7;
    g->end_col = 31;
    g->path = firewall_path;
    g->path_len = sizeof firewall_path / sizeof firewall_path[0];
    g->citation = "000 Annex 3 tip 7; 002 essential 5";
    return d;
}

static void json_path_and_citation(void **state)
{
    (void)state;
    rd_diagnostics *d = firewall_violation();
    json_t *j = written(d, 0);
    json_t *o = idx(key(j, "diagnostics"), 0);
    expect_same(o, rd_diagnostics_get(d, 0));
    assert_string_equal(str(o, "citation"), "000 Annex 3 tip 7; 002 essential 5");
    json_t *path = key(o, "path");
    assert_int_equal(json_array_size(path), 5);
    for (size_t i = 0; i < 5; i++) {
        json_t *s = idx(path, i);
        const rd_path_step *want = &firewall_path[i];
        expect_str(s, "file", want->file);
        assert_string_equal(str(s, "text"), want->text);
        if (want->line) {
            assert_int_equal(num(s, "line"), want->line);
            assert_int_equal(num(s, "column"), want->col);
        } else {
            expect_null(s, "line");
            expect_null(s, "column");
        }
    }
    json_decref(j);
    rd_diagnostics_free(d);
}

/* ---- SARIF ------------------------------------------------------------------------------------ */

static json_t *sarif_run(json_t *log) { return idx(key(log, "runs"), 0); }

static json_t *region_of(json_t *location)
{
    return json_object_get(key(location, "physicalLocation"), "region");
}

static void sarif_log_rules_and_results(void **state)
{
    (void)state;
    rd_diagnostics *d = compile_errors("consent c \"C\" { shares survivor_name with police_staton purpose \"p\" }\n"
                                       "actor clinic \"Again\" { sector health }\n"
                                       "consent e \"E\" { shares survivor_nme with clinic purpose \"p\" }\n");
    assert_true(rd_diagnostics_len(d) >= 3);
    json_t *log = written(d, 1);
    assert_string_equal(str(log, "version"), "2.1.0");
    assert_string_equal(str(log, "$schema"),
                        "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json");
    assert_int_equal(json_array_size(key(log, "runs")), 1);
    json_t *run = sarif_run(log);
    json_t *driver = key(key(run, "tool"), "driver");
    assert_string_equal(str(driver, "name"), "rightdoor");
    assert_string_equal(str(driver, "version"), "9.8.7");
    assert_string_equal(str(run, "columnKind"), "unicodeCodePoints");
    assert_true(json_is_true(key(idx(key(run, "invocations"), 0), "executionSuccessful")));

    json_t *rules = key(driver, "rules"), *results = key(run, "results");
    assert_int_equal(json_array_size(results), rd_diagnostics_len(d));
    /* One rule per code, each with a description. */
    for (size_t a = 0; a < json_array_size(rules); a++) {
        assert_true(strlen(str(key(idx(rules, a), "shortDescription"), "text")) > 0);
        for (size_t b = a + 1; b < json_array_size(rules); b++)
            assert_string_not_equal(str(idx(rules, a), "id"), str(idx(rules, b), "id"));
    }
    for (size_t i = 0; i < rd_diagnostics_len(d); i++) {
        const rd_diagnostic *g = rd_diagnostics_get(d, i);
        json_t *res = idx(results, i);
        assert_string_equal(str(res, "ruleId"), g->code);
        assert_string_equal(str(idx(rules, (size_t)num(res, "ruleIndex")), "id"), g->code);
        assert_string_equal(str(res, "level"), g->severity == RD_SEV_ERROR ? "error" : "warning");
        /* The message comes first, whole: it is the summary a viewer shows. */
        const char *text = str(key(res, "message"), "text");
        assert_memory_equal(text, g->message, strlen(g->message));
        json_t *loc = idx(key(res, "locations"), 0);
        assert_string_equal(str(key(key(loc, "physicalLocation"), "artifactLocation"), "uri"), "t.sop");
        json_t *region = region_of(loc);
        assert_int_equal(num(region, "startLine"), g->line);
        assert_int_equal(num(region, "startColumn"), g->col);
        assert_int_equal(num(region, "endColumn"), g->end_col + 1);
        if (g->note) {
            json_t *rel = idx(key(res, "relatedLocations"), 0);
            assert_int_equal(num(rel, "id"), 1);
            assert_string_equal(str(key(rel, "message"), "text"), g->note->message);
            assert_int_equal(num(region_of(rel), "startLine"), g->note->line);
            assert_int_equal(num(region_of(rel), "startColumn"), g->note->col);
        } else {
            assert_null(json_object_get(res, "relatedLocations"));
        }
        assert_null(json_object_get(res, "codeFlows"));
        if (g->help) assert_string_equal(str(key(res, "properties"), "help"), g->help);
    }
    /* The misspelt actor, spelt out. */
    size_t first = 0;
    while (strcmp(rd_diagnostics_get(d, first)->code, "unknown-name") != 0) first++;
    json_t *res = idx(results, first);
    assert_string_equal(str(res, "ruleId"), "unknown-name");
    assert_string_equal(str(key(res, "message"), "text"),
                        "there is no actor named `police_staton`. Did you mean `police_station`?");
    assert_int_equal(num(region_of(idx(key(res, "locations"), 0)), "startColumn"), 43);
    assert_int_equal(num(region_of(idx(key(res, "locations"), 0)), "endColumn"), 56);
    /* Two unknown names share one rule. */
    size_t unknown = 0;
    for (size_t a = 0; a < json_array_size(rules); a++)
        unknown += strcmp(str(idx(rules, a), "id"), "unknown-name") == 0;
    assert_int_equal(unknown, 1);
    json_decref(log);
    rd_diagnostics_free(d);
}

static void sarif_code_flow_follows_the_path(void **state)
{
    (void)state;
    rd_diagnostics *d = firewall_violation();
    json_t *log = written(d, 1);
    json_t *res = idx(key(sarif_run(log), "results"), 0);
    assert_string_equal(str(res, "ruleId"), "firewall");
    assert_string_equal(str(key(res, "properties"), "citation"), "000 Annex 3 tip 7; 002 essential 5");
    assert_string_equal(str(key(res, "message"), "text"),
                        "migration status can reach Tak Immigration Checkpoint. Do not record "
                        "migration_status, or do not share it with the police.");
    json_t *flows = key(res, "codeFlows");
    assert_int_equal(json_array_size(flows), 1);
    json_t *threads = key(idx(flows, 0), "threadFlows");
    assert_int_equal(json_array_size(threads), 1);
    json_t *steps = key(idx(threads, 0), "locations");
    assert_int_equal(json_array_size(steps), 5);
    for (size_t i = 0; i < 5; i++) {
        const rd_path_step *want = &firewall_path[i];
        json_t *loc = key(idx(steps, i), "location");
        assert_string_equal(str(key(loc, "message"), "text"), want->text);
        json_t *phys = json_object_get(loc, "physicalLocation");
        if (!want->file) {
            assert_null(phys);
            continue;
        }
        assert_string_equal(str(key(phys, "artifactLocation"), "uri"), want->file);
        json_t *region = json_object_get(phys, "region");
        if (want->line) {
            assert_int_equal(num(region, "startLine"), want->line);
            assert_int_equal(num(region, "startColumn"), want->col);
        } else {
            assert_null(region);
        }
    }
    json_decref(log);
    rd_diagnostics_free(d);
}

static void sarif_without_a_place(void **state)
{
    (void)state;
    rd_diagnostics *d = rd_diagnostics_new();
    rd_diag_file(d, RD_SEV_ERROR, "unreadable-file", "/srv/sop/mae sot.sop", NULL, "cannot read this file");
    rd_diag_file(d, RD_SEV_NOTE, "no-file", NULL, NULL, "nothing to read");
    rd_diag_set_status(d, RD_ERR_IO);
    json_t *log = written(d, 1);
    json_t *run = sarif_run(log);
    assert_true(json_is_false(key(idx(key(run, "invocations"), 0), "executionSuccessful")));
    json_t *results = key(run, "results");
    json_t *loc = idx(key(idx(results, 0), "locations"), 0);
    json_t *phys = key(loc, "physicalLocation");
    assert_string_equal(str(key(phys, "artifactLocation"), "uri"), "file:///srv/sop/mae%20sot.sop");
    assert_null(json_object_get(phys, "region"));
    assert_null(json_object_get(idx(results, 1), "locations"));
    assert_string_equal(str(idx(results, 1), "level"), "note");
    assert_null(json_object_get(idx(results, 1), "properties"));
    json_decref(log);
    rd_diagnostics_free(d);
}

static void sarif_message_text(void **state)
{
    (void)state;
    rd_diagnostics *d = rd_diagnostics_new();
    rd_diag_file(d, RD_SEV_ERROR, "syntax", "t.sop", "close the block with `}`", "expected `}` before `{0}`");
    rd_diag_file(d, RD_SEV_ERROR, "syntax", "t.sop", "`x` is the step; did you mean it?", "is this a step?");
    rd_diag_file(d, RD_SEV_ERROR, "syntax", "t.sop", NULL, "no help here");
    json_t *log = written(d, 1);
    json_t *results = key(sarif_run(log), "results");
    /* Braces doubled (SARIF placeholders), the help a second sentence. */
    assert_string_equal(str(key(idx(results, 0), "message"), "text"),
                        "expected `}}` before `{{0}}`. Close the block with `}}`.");
    assert_string_equal(str(key(idx(results, 1), "message"), "text"), "is this a step? `x` is the step; did you mean it?");
    assert_string_equal(str(key(idx(results, 2), "message"), "text"), "no help here");
    /* The raw help is kept as it was for programs. */
    assert_string_equal(str(key(idx(results, 0), "properties"), "help"), "close the block with `}`");
    json_t *rules = key(key(key(sarif_run(log), "tool"), "driver"), "rules");
    assert_int_equal(json_array_size(rules), 1);
    assert_string_equal(str(key(idx(rules, 0), "shortDescription"), "text"), "Syntax");
    json_decref(log);
    rd_diagnostics_free(d);
}

/* ---- Both -------------------------------------------------------------------------------------- */

static void thai_and_burmese_survive_byte_for_byte(void **state)
{
    (void)state;
    /* From the compiler: a source line in Thai, the column counted in characters. */
    rd_diagnostics *d = compile_errors("actor shelter \"บ้านพักฉุกเฉิน\" { sector helth }\n");
    const rd_diagnostic *g = the_diag(d, "unknown-name");
    assert_int_equal(g->col, 41);
    char *text = capture(d, 0);
    assert_non_null(strstr(text, "บ้านพักฉุกเฉิน")); /* written as UTF-8, not \u escapes */
    json_t *j = parse(text);
    json_t *o = idx(key(j, "diagnostics"), 0);
    assert_string_equal(str(o, "source_line"), g->source_line);
    assert_int_equal(num(o, "column"), 41);
    assert_int_equal(num(o, "end_column"), 45);
    json_decref(j);
    free(text);
    json_t *log = written(d, 1);
    json_t *region = region_of(idx(key(idx(key(sarif_run(log), "results"), 0), "locations"), 0));
    assert_int_equal(num(region, "startColumn"), 41);
    assert_int_equal(num(region, "endColumn"), 46);
    json_decref(log);
    rd_diagnostics_free(d);

    /* Made by hand: every string a diagnostic has, in Thai and Burmese. */
    static const rd_path_step steps[] = {{"ก.sop", 3, 2, THAI}, {"ก.sop", 4, 1, BURMESE DOOR}};
    d = rd_diagnostics_new();
    rd_diagnostic *h = rd_diag_file(d, RD_SEV_WARNING, "notice-untranslated", "ก.sop", BURMESE, "%s", THAI DOOR);
    h->line = 2;
    h->col = 5;
    h->end_col = 9;
    h->path = steps;
    h->path_len = 2;
    h->citation = "002 " THAI;
    j = written(d, 0);
    o = idx(key(j, "diagnostics"), 0);
    expect_same(o, h);
    assert_string_equal(str(o, "message"), THAI DOOR);
    assert_string_equal(str(o, "help"), BURMESE);
    assert_string_equal(str(o, "file"), "ก.sop");
    assert_string_equal(str(o, "citation"), "002 " THAI);
    assert_string_equal(str(idx(key(o, "path"), 0), "text"), THAI);
    assert_string_equal(str(idx(key(o, "path"), 1), "text"), BURMESE DOOR);
    json_decref(j);

    log = written(d, 1);
    json_t *res = idx(key(sarif_run(log), "results"), 0);
    assert_string_equal(str(key(res, "message"), "text"), THAI DOOR ". " BURMESE ".");
    assert_string_equal(str(key(key(idx(key(res, "locations"), 0), "physicalLocation"), "artifactLocation"), "uri"),
                        "%E0%B8%81.sop");
    json_t *flow = key(idx(key(idx(key(res, "codeFlows"), 0), "threadFlows"), 0), "locations");
    assert_string_equal(str(key(key(idx(flow, 0), "location"), "message"), "text"), THAI);
    assert_string_equal(str(key(key(idx(flow, 1), "location"), "message"), "text"), BURMESE DOOR);
    assert_string_equal(str(key(res, "properties"), "citation"), "002 " THAI);
    json_decref(log);
    rd_diagnostics_free(d);
}

static void malformed_utf8_is_replaced(void **state)
{
    (void)state;
    rd_diagnostics *d = rd_diagnostics_new();
    /* A lone byte, an overlong '/', a surrogate half, a truncated Thai letter at the end. */
    rd_diag_file(d, RD_SEV_ERROR, "encoding", "t.sop", "\xE0\xB8", "bad \xFF, \xC0\xAF, \xED\xA0\x80 ok %s",
                 THAI);
    json_t *j = written(d, 0);
    json_t *o = idx(key(j, "diagnostics"), 0);
    assert_string_equal(str(o, "message"), "bad \xEF\xBF\xBD, \xEF\xBF\xBD\xEF\xBF\xBD, "
                                           "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD ok " THAI);
    assert_string_equal(str(o, "help"), "\xEF\xBF\xBD\xEF\xBF\xBD");
    json_decref(j);
    json_t *log = written(d, 1);
    assert_non_null(strstr(str(key(idx(key(sarif_run(log), "results"), 0), "message"), "text"), "ok " THAI));
    json_decref(log);
    rd_diagnostics_free(d);
}

static void no_diagnostics_at_all(void **state)
{
    (void)state;
    /* A compile that ran out of memory before it had a list to give. */
    json_t *j = written(NULL, 0);
    assert_int_equal(json_array_size(key(j, "diagnostics")), 0);
    assert_int_equal(num(j, "errors"), 0);
    assert_string_equal(str(j, "status"), "out-of-memory");
    json_decref(j);
    json_t *log = written(NULL, 1);
    json_t *run = sarif_run(log);
    assert_int_equal(json_array_size(key(run, "results")), 0);
    assert_int_equal(json_array_size(key(key(key(run, "tool"), "driver"), "rules")), 0);
    assert_true(json_is_false(key(idx(key(run, "invocations"), 0), "executionSuccessful")));
    json_decref(log);
    /* A clean program. */
    rd_diagnostics *d = compile_errors("");
    j = written(d, 0);
    assert_string_equal(str(j, "status"), "ok");
    assert_int_equal(json_array_size(key(j, "diagnostics")), rd_diagnostics_len(d));
    json_decref(j);
    rd_diagnostics_free(d);
}

static void counts_include_what_was_not_stored(void **state)
{
    (void)state;
    rd_diagnostics *d = rd_diagnostics_new();
    for (int i = 0; i < RD_DIAG_STORE_MAX + 5; i++)
        rd_diag_file(d, RD_SEV_ERROR, "syntax", "t.sop", NULL, "error %d", i);
    json_t *j = written(d, 0);
    assert_int_equal(json_array_size(key(j, "diagnostics")), RD_DIAG_STORE_MAX);
    assert_int_equal(num(j, "errors"), RD_DIAG_STORE_MAX + 5);
    json_decref(j);
    rd_diagnostics_free(d);
}

static void a_failed_write_is_reported(void **state)
{
    (void)state;
    rd_diagnostics *d = firewall_violation();
    FILE *ro = fopen("/dev/null", "r"); /* every write to it fails */
    assert_non_null(ro);
    assert_int_equal(rd_diagnostics_write_json(d, ro), RD_ERR_IO);
    clearerr(ro);
    assert_int_equal(rd_diagnostics_write_sarif(d, ro, NULL), RD_ERR_IO);
    fclose(ro);
    rd_diagnostics_free(d);
}

/* jansson's allocations fail from the n-th on; -1: never. */
static long alloc_budget = -1;

static void *budget_malloc(size_t n)
{
    if (alloc_budget == 0) return NULL;
    if (alloc_budget > 0) alloc_budget--;
    return malloc(n);
}

static void every_allocation_failure_is_clean(void **state)
{
    (void)state;
    rd_diagnostics *d = firewall_violation();
    rd_span nowhere = {0};
    rd_diag_note(d, NULL, (rd_diagnostic *)rd_diagnostics_get(d, 0), nowhere, "the police share it on");
    rd_diagnostic *h = rd_diag_file(d, RD_SEV_WARNING, "encoding", "ก.sop", BURMESE, "bad \xFF %s", THAI);
    h->line = 3;
    h->col = 1;
    h->end_col = 2;
    rd_diag_file(d, RD_SEV_ERROR, "unreadable-file", NULL, NULL, "cannot read {this}");
    json_set_alloc_funcs(budget_malloc, free);
    for (int sarif = 0; sarif < 2; sarif++) {
        long n = 0;
        for (;; n++) {
            char *buf = NULL;
            size_t len = 0;
            FILE *f = open_memstream(&buf, &len);
            assert_non_null(f);
            alloc_budget = n;
            rd_status st = sarif ? rd_diagnostics_write_sarif(d, f, "1") : rd_diagnostics_write_json(d, f);
            alloc_budget = -1;
            fclose(f);
            if (st == RD_OK) {
                json_decref(parse(buf));
                free(buf);
                break;
            }
            /* Out of memory: said so, and nothing written. */
            assert_int_equal(st, RD_ERR_NOMEM);
            assert_int_equal(len, 0);
            free(buf);
            assert_true(n < 100000);
        }
        assert_true(n > 50); /* every one of the document's allocations was made to fail once */
    }
    json_set_alloc_funcs(malloc, free);
    rd_diagnostics_free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(json_has_every_field),
        cmocka_unit_test(json_note_points_at_the_first),
        cmocka_unit_test(json_without_a_place),
        cmocka_unit_test(json_path_and_citation),
        cmocka_unit_test(sarif_log_rules_and_results),
        cmocka_unit_test(sarif_code_flow_follows_the_path),
        cmocka_unit_test(sarif_without_a_place),
        cmocka_unit_test(sarif_message_text),
        cmocka_unit_test(thai_and_burmese_survive_byte_for_byte),
        cmocka_unit_test(malformed_utf8_is_replaced),
        cmocka_unit_test(no_diagnostics_at_all),
        cmocka_unit_test(counts_include_what_was_not_stored),
        cmocka_unit_test(a_failed_write_is_reported),
        cmocka_unit_test(every_allocation_failure_is_clean),
    };
    return cmocka_run_group_tests_name("diag_json", tests, NULL, NULL);
}
