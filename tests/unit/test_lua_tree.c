/* Read-only trees handed to a chunk, and the list of integers it returns: what an audit check
 * written in Lua relies on. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "lua_sandbox.h"

/* graph = { nodes = { {id = 1, kind = "share"}, {id = 2, kind = "refer"} }, name = "g" } */
static rd_lua_tree kind2 = {RD_LT_STRING, 0, "refer", "kind", NULL, NULL};
static rd_lua_tree id2 = {RD_LT_INT, 2, NULL, "id", NULL, &kind2};
static rd_lua_tree kind1 = {RD_LT_STRING, 0, "share", "kind", NULL, NULL};
static rd_lua_tree id1 = {RD_LT_INT, 1, NULL, "id", NULL, &kind1};
static rd_lua_tree node2 = {RD_LT_MAP, 0, NULL, NULL, &id2, NULL};
static rd_lua_tree node1 = {RD_LT_MAP, 0, NULL, NULL, &id1, &node2};
static rd_lua_tree name = {RD_LT_STRING, 0, "g", "name", NULL, NULL};
static rd_lua_tree nodes = {RD_LT_LIST, 0, NULL, "nodes", &node1, &name};
static rd_lua_tree graph = {RD_LT_MAP, 0, NULL, NULL, &nodes, NULL};

static int run(const char *chunk, long long *ids, size_t cap, size_t *n, char *err)
{
    rd_lua *sb = rd_lua_open(NULL);
    assert_non_null(sb);
    int fn = rd_lua_load(sb, "check.lua", chunk, strlen(chunk), err, 256);
    assert_true(fn >= 0);
    int rc = rd_lua_call_tree(sb, fn, "graph", &graph, ids, cap, n, err, 256);
    rd_lua_close(sb);
    return rc;
}

static void reads_the_tree_and_returns_ids(void **state)
{
    (void)state;
    long long ids[8];
    size_t n;
    char err[256];
    const char *chunk =
        "local out = {}\n"
        "assert(#graph.nodes == 2 and graph.name == 'g')\n"
        "for _, node in ipairs(graph.nodes) do if node.kind == 'refer' then out[#out + 1] = node.id end end\n"
        "local count = 0 for k, v in pairs(graph.nodes[1]) do count = count + 1 end\n"
        "assert(count == 2)\n"
        "return out\n";
    assert_int_equal(run(chunk, ids, 8, &n, err), 0);
    assert_int_equal(n, 1);
    assert_int_equal(ids[0], 2);
    assert_int_equal(run("return nil", ids, 8, &n, err), 0);
    assert_int_equal(n, 0);
}

static void the_tree_cannot_be_changed(void **state)
{
    (void)state;
    long long ids[8];
    size_t n;
    char err[256];
    const char *const attempts[] = {
        "graph.nodes[1].kind = 'x' return nil",
        "graph.nodes[3] = {} return nil",
        "graph.extra = 1 return nil",
        "setmetatable(graph.nodes, nil) return nil",
        "getmetatable(graph).__index.name = 'x' return nil",
        "for k, v in pairs(graph) do if type(v) == 'table' then v.x = 1 end end return nil",
    };
    for (size_t i = 0; i < sizeof attempts / sizeof *attempts; i++)
        assert_int_equal(run(attempts[i], ids, 8, &n, err), -1);
    /* and what it saw afterwards is unchanged */
    assert_int_equal(run("return {#graph.nodes, graph.nodes[2].id}", ids, 8, &n, err), 0);
    assert_int_equal(ids[0], 2);
    assert_int_equal(ids[1], 2);
}

static void bad_results_are_refused(void **state)
{
    (void)state;
    long long ids[2];
    size_t n;
    char err[256];
    assert_int_equal(run("return {1, 2, 3}", ids, 2, &n, err), -1);
    assert_non_null(strstr(err, "more than the 2 allowed"));
    assert_int_equal(run("return {1, 'two'}", ids, 2, &n, err), -1);
    assert_non_null(strstr(err, "not an integer"));
    assert_int_equal(run("return 'x'", ids, 2, &n, err), -1);
    assert_int_equal(n, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(reads_the_tree_and_returns_ids),
        cmocka_unit_test(the_tree_cannot_be_changed),
        cmocka_unit_test(bad_results_are_refused),
    };
    return cmocka_run_group_tests_name("lua_tree", tests, NULL, NULL);
}
