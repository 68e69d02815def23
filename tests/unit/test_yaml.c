/* The service directory and translation catalogues: providers become actors, texts attach to what
 * they translate, and every mistake in the YAML is reported at its line and column. */
#include "helpers.h"
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static char dir[64];

static void put(const char *name, const char *text) { put_file(dir, name, text); }

static rd_program *compile_dir(const char *sop, rd_diagnostics **d)
{
    put("s.sop", sop);
    char path[128];
    snprintf(path, sizeof path, "%s/s.sop", dir);
    return rd_compile(path, &test_opt, d);
}

/* `sop`, written beside the YAML files: it must compile, or must not (helpers.h). */
static rd_program *compiled_dir(const char *sop)
{
    rd_diagnostics *d;
    rd_program *p = compile_dir(sop, &d);
    return compiled(p, d);
}
static rd_diagnostics *refused_dir(const char *sop)
{
    rd_diagnostics *d;
    rd_program *p = compile_dir(sop, &d);
    return refusal(p, d);
}

static int setup(void **state)
{
    (void)state;
    strcpy(dir, "/tmp/rd_yaml_XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    const char *names[] = {"s.sop", "d.yaml", "t.yaml"};
    for (size_t i = 0; i < 3; i++) {
        char path[128];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        unlink(path);
    }
    return rmdir(dir);
}

#define SOP_HEAD                                                                                   \
    "sop \"S\" { languages en, my }\nsector health \"Health\"\nservice care \"Care\"\n"          \
    "fact safe_now: bool \"Are you safe?\"\nnotice hello \"Hello\"\n"

static const char directory_ok[] =
    "directory:\n"
    "  country: Thailand\n"
    "  province: Tak\n"
    "  focal_point: { name: \"A. Example\", organization: \"Org\", contact: \"+00 000 0000\" }\n"
    "  last_updated: \"2023-03-01\"\n"
    "providers:\n"
    "  - id: river_clinic\n"
    "    name: \"River Clinic\"\n"
    "    sector: health\n"
    "    specialist: true\n"
    "    services: [care]\n"
    "    languages: [my, en]\n"
    "    hours: \"24/7\"\n"
    "    location_confidential: false\n";

static void providers_become_actors(void **state)
{
    (void)state;
    put("d.yaml", directory_ok);
    rd_program *p = compiled_dir(SOP_HEAD "directory \"d.yaml\"\n");
    rd_decl *a = decl_named(p, RD_D_ACTOR, "river_clinic");
    assert_non_null(a);
    assert_true(a->u.actor.from_directory);
    assert_true(a->u.actor.specialist);
    assert_string_equal(a->label, "River Clinic");
    assert_ptr_equal(a->u.actor.sector->decl, decl_named(p, RD_D_SECTOR, "health"));
    assert_ptr_equal(a->u.actor.provides->decl, decl_named(p, RD_D_SERVICE, "care"));
    assert_string_equal(a->u.actor.languages->next->id, "en");
    assert_int_equal(a->id_span.line, 7);
    assert_int_equal(a->id_span.col, 9);
    assert_string_equal(p->directory.province, "Tak");
    assert_string_equal(p->directory.focal_contact, "+00 000 0000");
    rd_program_free(p);
}

static void directory_mistakes_are_located(void **state)
{
    (void)state;
    struct { const char *yaml, *message; unsigned line, col; } cases[] = {
        {"providers:\n  - id: a\n    name: A\n    sector: health\n    servises: [care]\n",
         "a provider has no `servises`", 5, 5},
        {"providers:\n  - id: a\n    name: A\n    sector: health\n    languages: my\n",
         "languages should be a list, not a single value", 5, 16},
        {"providers:\n  - name: A\n    sector: health\n", "this provider has no `id`", 2, 5},
        {"directory:\n  utc_offset: \"7\"\nproviders: []\n", "`utc_offset` must be a sign, hours and minutes", 2, 15},
        {"providers:\n  - id: a\n    name: A\n    sector: helth\n", "there is no sector named `helth`", 4, 13},
        {"providers:\n  - id: a\n   name: A\n", "this line is indented differently from the list items above it (YAML: did not find expected '-' indicator)", 3, 4},
        {"providers:\n  - id: Bad Name\n    name: A\n    sector: health\n", "`Bad Name` cannot be used as a name", 2, 9},
        {"providers:\n  - id: a\n    name: A\n    sector: health\n    specialist: maybe\n",
         "specialist should be true or false", 5, 17},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        put("d.yaml", cases[i].yaml);
        rd_diagnostics *d = refused_dir(SOP_HEAD "directory \"d.yaml\"\n");
        const rd_diagnostic *g = only_error(d);
        assert_diag(g, cases[i].line, cases[i].col, cases[i].message);
        assert_non_null(strstr(g->file, "d.yaml"));
        rd_diagnostics_free(d);
    }
}

static void translations_attach_texts(void **state)
{
    (void)state;
    put("t.yaml", "language: my\nnotices:\n  hello: \"\xe1\x80\x99\xe1\x80\x84\xe1\x80\xba\xe1\x80\xb9\xe1\x80\x82\xe1\x80\x9c\xe1\x80\xac\xe1\x80\x95\xe1\x80\xab\"\n"
                  "facts:\n  safe_now: \"?\"\n");
    rd_program *p = compiled_dir(SOP_HEAD "translations \"t.yaml\"\npathway x \"X\" { entry sector health start a step a \"A\" by provider { inform hello ask safe_now end } }\n");
    rd_text *t = decl_named(p, RD_D_NOTICE, "hello")->texts;
    assert_non_null(t);
    assert_string_equal(t->lang, "my");
    assert_null(t->next);
    assert_string_equal(decl_named(p, RD_D_FACT, "safe_now")->texts->text, "?");
    rd_program_free(p);
}

static void translations_of_unknown_names_are_errors(void **state)
{
    (void)state;
    put("t.yaml", "language: my\nnotices:\n  helo: \"x\"\n");
    rd_diagnostics *d = refused_dir(SOP_HEAD "translations \"t.yaml\"\n");
    const rd_diagnostic *g = only_error(d);
    assert_string_equal(g->message, "there is no notice named `helo`");
    assert_string_equal(g->help, "did you mean `hello`?");
    assert_int_equal(g->line, 3);
    rd_diagnostics_free(d);

    put("t.yaml", "notices:\n  hello: \"x\"\n");
    d = refused_dir(SOP_HEAD "translations \"t.yaml\"\n");
    assert_string_equal(only_error(d)->message, "this translations file does not say its language");
    rd_diagnostics_free(d);
}

static void a_language_the_sop_does_not_serve_is_checked_not_kept(void **state)
{
    (void)state;
    put("t.yaml", "language: th\nnotices:\n  hello: \"x\"\n");
    rd_program *p = compiled_dir(SOP_HEAD "translations \"t.yaml\"\n");
    assert_null(decl_named(p, RD_D_NOTICE, "hello")->texts);
    rd_program_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(providers_become_actors),
        cmocka_unit_test(directory_mistakes_are_located),
        cmocka_unit_test(translations_attach_texts),
        cmocka_unit_test(translations_of_unknown_names_are_errors),
        cmocka_unit_test(a_language_the_sop_does_not_serve_is_checked_not_kept),
    };
    return cmocka_run_group_tests_name("yaml", tests, setup, teardown);
}
