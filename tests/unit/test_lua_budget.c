/* The Lua sandbox's budget (rd_lua_budget): what all the calls of a question may spend together.
 * Each call is still bounded alone; the budget bounds their sum, fails a call that reaches it as
 * one past its own limit fails, saying it was the budget, and fails at once a call that finds it
 * spent. Without a budget each call is bounded alone, as before. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "lua_sandbox.h"

static const char loop[] = "while true do end";
/* One instruction of many milliseconds: comparing two strings of 3 MB. */
static const char slow[] = "local s = string.rep('a', 3000000)\nlocal t = s .. 'b'\nwhile true do local _ = s < t end";

/* Runs chunk `text` once; returns the error ("" when it succeeded). */
static const char *call(rd_lua *sb, const char *name, const char *text)
{
    static char err[256];
    err[0] = '\0';
    int fn = rd_lua_load(sb, name, text, strlen(text), err, sizeof err);
    if (fn < 0) fail_msg("%s does not load: %s", name, err);
    rd_lua_value out;
    if (rd_lua_call(sb, fn, NULL, 0, &out, err, sizeof err) == 0) err[0] = '\0';
    return err;
}

static void instructions_are_shared_by_calls(void **state)
{
    (void)state;
    rd_lua *sb = rd_lua_open(NULL);
    assert_non_null(sb);
    rd_lua_budget(sb, 2500000, 60000);
    assert_string_equal(call(sb, "loop.lua", loop), "loop.lua:1: instruction limit of 1000000 reached");
    assert_string_equal(call(sb, "loop.lua", loop), "loop.lua:1: instruction limit of 1000000 reached");
    assert_string_equal(call(sb, "loop.lua", loop),
                        "loop.lua:1: budget of 2500000 instructions shared with the calls before it used up");
    unsigned long instructions, milliseconds;
    rd_lua_budget_left(sb, &instructions, &milliseconds);
    assert_int_equal(instructions, 0);
    /* Spent: the next call does not start. */
    assert_string_equal(call(sb, "loop.lua", loop),
                        "loop.lua: budget of 2500000 instructions shared with the calls before it used up");
    assert_string_equal(call(sb, "ok.lua", "return 1"),
                        "ok.lua: budget of 2500000 instructions shared with the calls before it used up");
    /* A new question, a new budget. */
    rd_lua_budget(sb, 2500000, 60000);
    assert_string_equal(call(sb, "ok.lua", "return 1"), "");
    rd_lua_close(sb);
}

static void time_is_shared_by_calls(void **state)
{
    (void)state;
    rd_lua_limits lim = {0, 0, 200};
    rd_lua *sb = rd_lua_open(&lim);
    assert_non_null(sb);
    rd_lua_budget(sb, ULONG_MAX, 500);
    assert_string_equal(call(sb, "slow.lua", slow), "slow.lua:3: time limit of 200 ms reached");
    /* On a loaded machine the first call may have used more than its 200 ms. */
    const char *second = call(sb, "slow.lua", slow);
    assert_non_null(strstr(second, "slow.lua"));
    const char *third = call(sb, "slow.lua", slow);
    assert_non_null(strstr(third, "time budget of 500 ms shared with the calls before it used up"));
    assert_string_equal(call(sb, "slow.lua", slow),
                        "slow.lua: time budget of 500 ms shared with the calls before it used up");
    rd_lua_close(sb);
}

static void the_rest_carries_to_another_sandbox(void **state)
{
    (void)state;
    rd_lua *a = rd_lua_open(NULL), *b = rd_lua_open(NULL);
    assert_non_null(a);
    assert_non_null(b);
    rd_lua_budget(a, 1500000, 60000);
    assert_string_equal(call(a, "loop.lua", loop), "loop.lua:1: instruction limit of 1000000 reached");
    unsigned long instructions, milliseconds;
    rd_lua_budget_left(a, &instructions, &milliseconds);
    assert_in_range(instructions, 490000, 500000);
    assert_in_range(milliseconds, 1, 60000);
    rd_lua_budget(b, instructions, milliseconds);
    char want[128];
    snprintf(want, sizeof want, "loop.lua:1: budget of %lu instructions shared with the calls before it used up",
             instructions);
    assert_string_equal(call(b, "loop.lua", loop), want);
    rd_lua_close(a);
    rd_lua_close(b);
}

static void without_a_budget_each_call_is_bounded_alone(void **state)
{
    (void)state;
    rd_lua *sb = rd_lua_open(NULL);
    assert_non_null(sb);
    for (int i = 0; i < 6; i++)
        assert_string_equal(call(sb, "loop.lua", loop), "loop.lua:1: instruction limit of 1000000 reached");
    unsigned long instructions, milliseconds;
    rd_lua_budget_left(sb, &instructions, &milliseconds);
    assert_true(instructions == ULONG_MAX && milliseconds == ULONG_MAX);
    rd_lua_close(sb);
}

int main(void)
{
    static const struct CMUnitTest tests[] = {
        cmocka_unit_test(instructions_are_shared_by_calls),
        cmocka_unit_test(time_is_shared_by_calls),
        cmocka_unit_test(the_rest_carries_to_another_sandbox),
        cmocka_unit_test(without_a_budget_each_call_is_bounded_alone),
    };
    return cmocka_run_group_tests_name("lua_budget", tests, NULL, NULL);
}
