/* rd_verify_holdings (who can come to hold what) and rd_diff, in process. */
#include "helpers.h"
#include "graph.h"
#include "verify.h"
#include <jansson.h>

static const char prog[] =
    "use std\n"
    "actor centre \"Centre\" { sector social_services  specialist  provides first_line_support }\n"
    "actor clinic \"Clinic\" { sector health  provides urgent_care }\n"
    "actor office \"Office\" { sector labour  provides wage_recovery }\n"
    "actor post \"Post\" { sector immigration }\n"
    "consent wages \"Wages\" { shares work_permit  with office  purpose \"wages\" }\n"
    "duty tell \"EXAMPLE clause\" { applies to sector labour  reports migration_status to post }\n"
    "pathway p \"P\" {\n"
    "  entry centre, clinic\n"
    "  start a\n"
    "  step a \"A\" by provider {\n"
    "    record survivor_name\n"
    "    seek wages {\n"
    "      granted { refer office for wage_recovery sharing work_permit }\n"
    "      refused { }\n"
    "    }\n"
    "    end \"done\"\n"
    "  }\n"
    "}\n";

static const rd_holding *find(rd_program *p, const rd_holding *h, uint32_t n, const char *data, const char *actor)
{
    for (uint32_t i = 0; i < n; i++)
        if (!strcmp(p->graph->data[h[i].data]->id, data) && !strcmp(p->graph->actors[h[i].actor]->id, actor)) return &h[i];
    return NULL;
}

static void test_holdings(void **state)
{
    (void)state;
    rd_program *p = compile_ok(prog);
    p->graph = rd_graph_build(p);
    assert_non_null(p->graph);
    rd_holding *h;
    uint32_t n;
    assert_int_equal(rd_verify_holdings(p, p->graph, &h, &n), 0);
    /* the provider is each entry actor in turn */
    const rd_holding *x = find(p, h, n, "survivor_name", "clinic");
    assert_non_null(x);
    assert_int_equal(x->how, RD_HOLD_COLLECT);
    assert_non_null(find(p, h, n, "survivor_name", "centre"));
    assert_null(find(p, h, n, "survivor_name", "office"));
    /* sent under the consent that covers it, and what it reveals comes with it */
    x = find(p, h, n, "work_permit", "office");
    assert_non_null(x);
    assert_int_equal(x->how, RD_HOLD_FLOW);
    assert_true(x->consented);
    assert_int_equal(x->nconsents, 1);
    x = find(p, h, n, "migration_status", "office");
    assert_non_null(x);
    assert_true(x->consented); /* a consent to share her work permit covers what it reveals */
    /* the duty fires at the office once it holds her status, and reports it to the post */
    x = find(p, h, n, "migration_status", "post");
    assert_non_null(x);
    assert_int_equal(x->how, RD_HOLD_DUTY);
    assert_int_equal(x->nduties, 1);
    assert_string_equal(x->duties[0]->id, "tell");
    assert_false(x->consented);
    assert_null(find(p, h, n, "work_permit", "post"));
    rd_program_free(p);
}

/* Writes the diff of a and b as JSON into memory and returns the parsed document. */
static json_t *diff_json(const char *a, const char *b, size_t *n)
{
    rd_program *pa = compile_ok(a), *pb = compile_ok(b);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    assert_int_equal(rd_diff(pa, pb, f, 1, n), RD_OK);
    fclose(f);
    json_error_t err;
    json_t *doc = json_loads(buf, 0, &err);
    assert_non_null(doc);
    free(buf);
    rd_program_free(pa);
    rd_program_free(pb);
    return doc;
}

static char *replaced(const char *text, const char *from, const char *to)
{
    const char *at = strstr(text, from);
    assert_non_null(at);
    size_t n = strlen(text) - strlen(from) + strlen(to) + 1;
    char *out = malloc(n);
    assert_non_null(out);
    snprintf(out, n, "%.*s%s%s", (int)(at - text), text, to, at + strlen(from));
    return out;
}

static void test_diff_same_meaning(void **state)
{
    (void)state;
    char *reordered = replaced(prog, "entry centre, clinic", "entry clinic, centre  # reordered");
    size_t n = 99;
    json_t *doc = diff_json(prog, reordered, &n);
    assert_int_equal(n, 0);
    assert_int_equal(json_integer_value(json_object_get(doc, "differences")), 0);
    assert_true(json_is_true(json_object_get(doc, "flows_complete")));
    json_decref(doc);
    free(reordered);
}

static void test_diff_consent_removed(void **state)
{
    (void)state;
    /* The referral no longer asks: her work permit now goes to the office without her consent. */
    char *b = replaced(prog, "    seek wages {\n      granted { refer office for wage_recovery sharing work_permit }\n      refused { }\n    }\n",
                       "    refer office for wage_recovery sharing work_permit\n");
    size_t n = 0;
    json_t *doc = diff_json(prog, b, &n);
    assert_true(n > 0);
    const json_t *flows = json_object_get(doc, "flows");
    int seen = 0;
    for (size_t i = 0; i < json_array_size(flows); i++) {
        const json_t *f = json_array_get(flows, i);
        if (strcmp(json_string_value(json_object_get(f, "data")), "work_permit") ||
            strcmp(json_string_value(json_object_get(f, "actor")), "office"))
            continue;
        seen = 1;
        assert_string_equal(json_string_value(json_object_get(f, "change")), "changed");
        assert_true(json_is_true(json_object_get(json_object_get(f, "old"), "consented")));
        assert_true(json_is_false(json_object_get(json_object_get(f, "new"), "consented")));
    }
    assert_true(seen);
    json_decref(doc);
    free(b);
}

static void test_diff_write_error(void **state)
{
    (void)state;
    rd_program *p = compile_ok(prog), *q = compile_ok(prog);
    FILE *ro = fopen("/dev/null", "r"); /* a stream that cannot be written */
    assert_non_null(ro);
    size_t n;
    assert_int_equal(rd_diff(p, q, ro, 0, &n), RD_ERR_IO);
    assert_int_equal(rd_diff(p, q, ro, 1, &n), RD_ERR_IO);
    fclose(ro);
    rd_program_free(p);
    rd_program_free(q);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_holdings),
        cmocka_unit_test(test_diff_same_meaning),
        cmocka_unit_test(test_diff_consent_removed),
        cmocka_unit_test(test_diff_write_error),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
