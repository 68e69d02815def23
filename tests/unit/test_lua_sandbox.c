/* The Lua sandbox: chunks compute values from the facts; every way out a chunk can try is closed,
 * stopped by a limit, or reported without the case data it carried; and the sandbox stays usable
 * after each failure. An escape chunk returns "escaped" if it gets through, so each test fails
 * when the door it tries is open. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>
#include <lua.h>

#include "lua_sandbox.h"

/* Stands for a survivor's name: no error message may contain it. */
#define MARKER "Nang-Aye-Zq7x"

static const rd_lua_arg case_facts[] = {
    {"name", {RD_LV_STRING, 0, MARKER}},
    {"age", {RD_LV_INT, 34, NULL}},
    {"safe_now", {RD_LV_BOOL, 0, NULL}},
    {"violence", {RD_LV_STRING, 0, "physical"}},
    {"hours", {RD_LV_INT, 20, NULL}},
    {"undocumented", {RD_LV_NIL, 0, NULL}}, /* she declined to answer */
};
#define NFACTS (sizeof case_facts / sizeof *case_facts)

static int load(rd_lua *sb, const char *name, const char *text)
{
    char err[256] = "";
    int fn = rd_lua_load(sb, name, text, strlen(text), err, sizeof err);
    if (fn < 0) fail_msg("%s does not load: %s", name, err);
    return fn;
}

static int run(rd_lua *sb, const char *name, const char *text, rd_lua_value *out, char *err,
               size_t errlen)
{
    return rd_lua_call(sb, load(sb, name, text), case_facts, NFACTS, out, err, errlen);
}

static const char good_chunk[] =
    "if facts.hours <= 72 and not facts.safe_now then return 'high' end\n"
    "return 'low'\n";

static void still_usable(rd_lua *sb)
{
    char err[256] = "";
    rd_lua_value out;
    int rc = run(sb, "good.lua", good_chunk, &out, err, sizeof err);
    if (rc != 0) fail_msg("the sandbox no longer works: %s", err);
    assert_int_equal(out.type, RD_LV_STRING);
    assert_string_equal(out.s, "high");
}

/* Runs `text`, which must fail with exactly `expected`, with no case data in the message, and
 * leave the sandbox usable. */
static void expect_error(rd_lua *sb, const char *name, const char *text, const char *expected)
{
    char err[256] = "";
    rd_lua_value out;
    assert_int_equal(run(sb, name, text, &out, err, sizeof err), -1);
    assert_string_equal(err, expected);
    assert_null(strstr(err, MARKER));
    assert_int_equal(out.type, RD_LV_NIL);
    still_usable(sb);
}

static void expect_result(rd_lua *sb, const char *text, rd_lua_vtype type, long long i,
                          const char *s)
{
    char err[256] = "";
    rd_lua_value out;
    int rc = run(sb, "value.lua", text, &out, err, sizeof err);
    if (rc != 0) fail_msg("%s fails: %s", text, err);
    assert_int_equal(out.type, type);
    if (type == RD_LV_STRING)
        assert_string_equal(out.s, s);
    else
        assert_int_equal(out.i, i);
}

/* ---- computing values ------------------------------------------------------------------------ */

static void computes_values_from_facts(void **state)
{
    (void)state;
    rd_lua *sb = rd_lua_open(NULL);
    assert_non_null(sb);
    expect_result(sb, "return facts.hours <= 72", RD_LV_BOOL, 1, NULL);
    expect_result(sb, "return facts.safe_now", RD_LV_BOOL, 0, NULL);
    expect_result(sb, "return facts.age + 1", RD_LV_INT, 35, NULL);
    expect_result(sb, "return facts.hours / 4", RD_LV_INT, 5, NULL); /* a float holding an integer */
    expect_result(sb, "return facts.violence == 'physical' and 'high' or 'low'", RD_LV_STRING, 0,
                  "high");
    expect_result(sb, "return string.format('%d-%s', facts.age, facts.violence)", RD_LV_STRING, 0,
                  "34-physical");
    expect_result(sb, "return ('ab'):upper() .. string.rep('x', 2) .. #facts.violence", RD_LV_STRING,
                  0, "ABxx8");
    expect_result(sb, "return facts.undocumented", RD_LV_NIL, 0, NULL);
    expect_result(sb, "return", RD_LV_NIL, 0, NULL);
    expect_result(sb, "return 1, 2", RD_LV_INT, 1, NULL);
    expect_result(sb, "local n = 0 for k, v in pairs(facts) do n = n + 1 end return n", RD_LV_INT, 5,
                  NULL);
    expect_result(sb, "local t = {3, 1, 2} table.sort(t) return table.concat(t, ',')", RD_LV_STRING,
                  0, "1,2,3");
    expect_result(sb, "return math.max(facts.age, 40) + utf8.len('\xe1\x80\x99')", RD_LV_INT, 41,
                  NULL);
    expect_result(sb, "local ok = pcall(error, 'x') return ok", RD_LV_BOOL, 0, NULL);
    expect_result(sb,
                  "local t = {1, 2, 3} table.insert(t, 1, 0) table.insert(t, 9)\n"
                  "local x = table.remove(t, 1) + table.remove(t) table.move(t, 1, 3, 2)\n"
                  "return table.concat(t, ',') .. ';' .. x .. ';' .. string.rep('', 1e18)",
                  RD_LV_STRING, 0, "1,1,2,3;9;");
    still_usable(sb);
    rd_lua_close(sb);
}

static void a_chunk_runs_again_with_other_facts(void **state)
{
    (void)state;
    rd_lua *sb = rd_lua_open(NULL);
    int fn = load(sb, "risk.lua", good_chunk);
    rd_lua_arg safe[] = {{"hours", {RD_LV_INT, 200, NULL}}, {"safe_now", {RD_LV_BOOL, 1, NULL}}};
    rd_lua_value out;
    char err[256] = "";
    assert_int_equal(rd_lua_call(sb, fn, safe, 2, &out, err, sizeof err), 0);
    assert_string_equal(out.s, "low");
    assert_int_equal(rd_lua_call(sb, fn, case_facts, NFACTS, &out, err, sizeof err), 0);
    assert_string_equal(out.s, "high");
    rd_lua_close(sb);
}

static void results_that_are_not_values(void **state)
{
    (void)state;
    rd_lua *sb = rd_lua_open(NULL);
    expect_error(sb, "r.lua", "return {facts.name}",
                 "r.lua: returned a table where a boolean, an integer, a string or nil was expected");
    expect_error(sb, "r.lua", "return print or function() return facts.name end",
                 "r.lua: returned a function where a boolean, an integer, a string or nil was expected");
    expect_error(sb, "r.lua", "return facts.age / 7", "r.lua: returned a number that is not an integer");
    expect_error(sb, "r.lua", "return 0/0", "r.lua: returned a number that is not an integer");
    expect_error(sb, "r.lua", "return facts.name .. '\\0' .. facts.name",
                 "r.lua: returned a string with a zero byte in it");
    rd_lua_close(sb);
}

/* ---- what a chunk cannot reach: one test per door ------------------------------------------- */

typedef struct escape {
    const char *name; /* also the chunk's name */
    const char *text;
    const char *kind; /* the error it must end with, after "<name>:1: " */
} escape;

#define RUNTIME "runtime error"
static const escape escapes[] = {
    {"io.open", "local f = io.open('/etc/passwd') return 'escaped'", RUNTIME},
    {"io.write", "io.write('x') return 'escaped'", RUNTIME},
    {"os.execute", "os.execute('true') return 'escaped'", RUNTIME},
    {"os.getenv", "local h = os.getenv('HOME') return 'escaped'", RUNTIME},
    {"os.clock", "local c = os.clock() return 'escaped'", RUNTIME},
    {"require", "local os = require 'os' return 'escaped'", RUNTIME},
    {"load", "local f = load('return 1') return 'escaped'", RUNTIME},
    {"loadstring", "local f = loadstring('return 1') return 'escaped'", RUNTIME},
    {"dofile", "local f = dofile f('/dev/null') return 'escaped'", RUNTIME},
    {"loadfile", "local f = loadfile('/dev/null') return 'escaped'", RUNTIME},
    {"debug.getinfo", "local i = debug.getinfo(1) return 'escaped'", RUNTIME},
    {"debug.sethook", "debug.sethook() return 'escaped'", RUNTIME},
    {"debug.getregistry", "local r = debug.getregistry() return 'escaped'", RUNTIME},
    {"string.dump", "local b = string.dump(function() end) return 'escaped'", RUNTIME},
    {"string.dump as a method", "local b = (''):dump() return 'escaped'", RUNTIME},
    {"string metatable __index",
     "local b = getmetatable('').__index.dump(function() end) return 'escaped'", RUNTIME},
    {"string metatable changed", "getmetatable('').__index = {} return 'escaped'", RUNTIME},
    {"string metatable replaced", "setmetatable('', {}) return 'escaped'", RUNTIME},
    {"package.loadlib", "local f = package.loadlib('libc.so.6', 'system') return 'escaped'", RUNTIME},
    {"package.loaded", "local io = package.loaded.io return 'escaped'", RUNTIME},
    {"collectgarbage", "collectgarbage() return 'escaped'", RUNTIME},
    {"coroutine.create",
     "local co = coroutine.create(function() end) coroutine.resume(co) return 'escaped'", RUNTIME},
    {"coroutine.wrap", "coroutine.wrap(function() end)() return 'escaped'", RUNTIME},
    /* A handler that loops would run with hooks off once a limit is reached: a harmless one here. */
    {"xpcall", "xpcall(error, function() end) return 'escaped'", RUNTIME},
    {"print", "print('x') return 'escaped'", RUNTIME},
    {"warn", "warn('@on') return 'escaped'", RUNTIME},
    {"math.random", "local r = math.random() return 'escaped'", RUNTIME},
    {"math.randomseed", "math.randomseed(1) return 'escaped'", RUNTIME},
    /* Backtracking patterns: harmless ones here, since an open door would otherwise hang. */
    {"string.find", "local i = ('abc'):find('b') return 'escaped'", RUNTIME},
    {"string.match", "local m = string.match('abc', 'b') return 'escaped'", RUNTIME},
    {"string.gmatch", "for w in string.gmatch('a b', '%a') do end return 'escaped'", RUNTIME},
    {"string.gsub", "local s = ('abc'):gsub('b', 'x') return 'escaped'", RUNTIME},
    {"facts.x = 1", "facts.x = 1 return 'escaped'", "facts are read-only"},
    {"facts changed", "facts.safe_now = true return 'escaped'", "facts are read-only"},
    {"rawset(facts)", "rawset(facts, 'safe_now', true) return 'escaped'", RUNTIME},
    {"table.insert(facts)", "table.insert(facts, 1) return 'escaped'", "facts are read-only"},
    {"facts metatable removed", "setmetatable(facts, nil) return 'escaped'", RUNTIME},
    {"facts metatable read",
     "getmetatable(facts).__index.safe_now = true return 'escaped'", RUNTIME},
    {"pairs(facts) table", "local _, t = pairs(facts) t.safe_now = true return 'escaped'",
     "facts are read-only"},
    {"__gc finalizer", "setmetatable({}, {__gc = function() end}) return 'escaped'",
     "__gc metamethods are not allowed"},
};

static void denies(void **state)
{
    const escape *e = *state;
    rd_lua *sb = rd_lua_open(NULL);
    assert_non_null(sb);
    char expected[128];
    snprintf(expected, sizeof expected, "%s:1: %s", e->name, e->kind);
    expect_error(sb, e->name, e->text, expected);
    rd_lua_close(sb);
}

static void getmetatable_reveals_nothing(void **state)
{
    (void)state;
    rd_lua *sb = rd_lua_open(NULL);
    expect_result(sb, "return type(getmetatable(facts)) .. ' ' .. type(getmetatable(''))",
                  RD_LV_STRING, 0, "string string");
    expect_result(sb, "return rawget(facts, 'name') == nil and rawlen(facts)",
                  RD_LV_INT, 0, NULL);
    rd_lua_close(sb);
}

/* Lua marks an object for finalization only when it gets a metatable with __gc already in it:
 * adding the field afterwards must leave the finalizer (which would run with hooks off) unrun. */
static void gc_added_later_never_runs(void **state)
{
    (void)state;
    rd_lua *sb = rd_lua_open(NULL);
    expect_result(sb,
                  "local mt = {} setmetatable({}, mt)\n"
                  "mt.__gc = function() while true do end end\n"
                  "return 'ok'",
                  RD_LV_STRING, 0, "ok");
    still_usable(sb);
    rd_lua_close(sb);
}

/* Nothing a chunk stores in its environment, in a library table or in its _ENV reaches the next
 * call, which may be another case. */
static void calls_share_nothing(void **state)
{
    (void)state;
    rd_lua *sb = rd_lua_open(NULL);
    rd_lua_value out;
    char err[256] = "";
    int stash = load(sb, "stash.lua",
                     "local before = leak or string.leak or (math.pi == 3 and 'pi') or 'clean'\n"
                     "leak = facts.name string.leak = facts.name math.pi = 3\n"
                     "return before");
    int env = load(sb, "env.lua",
                   "local before = kept or 'clean'\n"
                   "_ENV = {kept = facts.name}\n"
                   "return before");
    for (int i = 0; i < 2; i++) {
        assert_int_equal(rd_lua_call(sb, stash, case_facts, NFACTS, &out, err, sizeof err), 0);
        assert_string_equal(out.s, "clean");
        assert_int_equal(rd_lua_call(sb, env, case_facts, NFACTS, &out, err, sizeof err), 0);
        assert_string_equal(out.s, "clean");
    }
    expect_result(sb, "return leak or string.leak or kept or (math.pi == 3 and 'pi') or 'clean'",
                  RD_LV_STRING, 0, "clean");
    rd_lua_close(sb);
}

/* ---- bytecode ------------------------------------------------------------------------------ */

typedef struct bytes {
    char *p;
    size_t n;
} bytes;

static int collect(lua_State *L, const void *p, size_t n, void *ud)
{
    (void)L;
    bytes *b = ud;
    b->p = realloc(b->p, b->n + n + 1);
    if (!b->p) return 1;
    memcpy(b->p + b->n + 1, p, n); /* one byte left free in front, for the shifted copy */
    b->n += n;
    return 0;
}

static void refuses_bytecode(void **state)
{
    (void)state;
    rd_lua *sb = rd_lua_open(NULL);
    char err[256] = "";
    const char fake[] = "\x1bLua\x54\x00";
    assert_int_equal(rd_lua_load(sb, "fake.luac", fake, sizeof fake - 1, err, sizeof err), -1);
    assert_string_equal(err, "fake.luac: precompiled chunks are refused; give the source text");

    /* A real string.dump, made by an ordinary Lua state. */
    lua_State *L = luaL_newstate();
    assert_non_null(L);
    assert_int_equal(luaL_loadstring(L, "return 'escaped'"), LUA_OK);
    bytes b = {NULL, 0};
    assert_int_equal(lua_dump(L, collect, &b, 0), 0);
    lua_close(L);
    assert_non_null(b.p);
    assert_memory_equal(b.p + 1, LUA_SIGNATURE, 4);
    assert_int_equal(rd_lua_load(sb, "real.luac", b.p + 1, b.n, err, sizeof err), -1);
    assert_string_equal(err, "real.luac: precompiled chunks are refused; give the source text");
    /* Behind a newline it is no longer bytecode to Lua, only text that does not parse. */
    b.p[0] = '\n';
    assert_int_equal(rd_lua_load(sb, "shifted.luac", b.p, b.n + 1, err, sizeof err), -1);
    assert_non_null(strstr(err, "shifted.luac:2:"));
    free(b.p);
    still_usable(sb);
    rd_lua_close(sb);
}

static void syntax_errors_are_reported_in_full(void **state)
{
    (void)state;
    rd_lua *sb = rd_lua_open(NULL);
    char err[256] = "";
    const char text[] = "local x = 1\nreturn x +\n";
    assert_int_equal(rd_lua_load(sb, "rules/lua/risk.lua", text, strlen(text), err, sizeof err),
                     -1);
    assert_string_equal(err, "rules/lua/risk.lua:3: unexpected symbol near <eof>");
    still_usable(sb);
    rd_lua_close(sb);
}

static void misuse_is_refused(void **state)
{
    (void)state;
    rd_lua *sb = rd_lua_open(NULL);
    char err[256] = "";
    rd_lua_value out;
    assert_int_equal(rd_lua_call(sb, 7, NULL, 0, &out, err, sizeof err), -1);
    assert_string_equal(err, "there is no chunk 7");
    int fn = load(sb, "good.lua", good_chunk);
    rd_lua_arg bad[] = {{"name", {RD_LV_STRING, 0, NULL}}};
    assert_int_equal(rd_lua_call(sb, fn, bad, 1, &out, err, sizeof err), -1);
    assert_string_equal(err, "fact `name` has an invalid value");
    assert_int_equal(rd_lua_call(NULL, fn, NULL, 0, &out, NULL, 0), -1);
    assert_int_equal(rd_lua_load(sb, NULL, "", 0, NULL, 0), -1);
    still_usable(sb);
    rd_lua_close(sb);
    rd_lua_close(NULL);
}

/* ---- limits -------------------------------------------------------------------------------- */

static void instruction_limit_stops_loops(void **state)
{
    (void)state;
    rd_lua *sb = rd_lua_open(NULL);
    expect_error(sb, "loop.lua", "local n = 0\nwhile true do n = n + 1 end",
                 "loop.lua:2: instruction limit of 1000000 reached");
    /* Catching the limit's error does not buy more time. */
    expect_error(sb, "pcall.lua", "while true do\n pcall(function() while true do end end)\nend",
                 "pcall.lua:2: instruction limit of 1000000 reached");
    expect_error(sb, "caught.lua", "local ok = pcall(function() while true do end end)\n"
                 "return 'escaped'",
                 "caught.lua:2: instruction limit of 1000000 reached");
    expect_error(sb, "close.lua",
                 "do local x <close> = setmetatable({}, {__close = function() while true do end end})\n"
                 "end return 'escaped'",
                 "close.lua:1: instruction limit of 1000000 reached");
    /* Library loops that neither allocate nor call anything: the positions they shift count. */
    expect_error(sb, "remove.lua",
                 "local t = {} for k = 0, 50 do t[2^k] = 1 t[2^k + 1] = 1 end\n"
                 "return #t, table.remove(t, 1)",
                 "remove.lua:2: instruction limit of 1000000 reached");
    expect_error(sb, "insert.lua",
                 "local t = {} for k = 0, 50 do t[2^k] = 1 t[2^k + 1] = 1 end\n"
                 "table.insert(t, 1, 0)",
                 "insert.lua:2: instruction limit of 1000000 reached");
    expect_error(sb, "len.lua",
                 "local t = setmetatable({}, {__len = function() return math.maxinteger - 1 end})\n"
                 "table.insert(t, 1, 0)",
                 "len.lua:2: instruction limit of 1000000 reached");
    expect_error(sb, "move.lua", "table.move({}, 1, 1e15, 2)",
                 "move.lua:1: instruction limit of 1000000 reached");
    expect_error(sb, "move.lua", "local ok = pcall(table.move, {}, 1, 1e15, 2)\nreturn 'escaped'",
                 "move.lua:2: instruction limit of 1000000 reached");
    rd_lua_close(sb);
}

static void time_limit_stops_slow_library_calls(void **state)
{
    (void)state;
    /* Each table.sort is one instruction doing milliseconds of work: the instruction limit alone
     * lets this run for seconds (and with the default limit, for hours). */
    rd_lua_limits lim = {0, 32000, 100};
    rd_lua *sb = rd_lua_open(&lim);
    expect_error(sb, "sort.lua",
                 "local t = {} for i = 1, 10000 do t[i] = -i end while true do table.sort(t) end",
                 "sort.lua:1: time limit of 100 ms reached");
    rd_lua_close(sb);
    /* Fewer instructions than the count hook waits for, each a slow call: only the call hook
     * sees the time go by. */
    lim = (rd_lua_limits){0, 0, 1};
    sb = rd_lua_open(&lim);
    expect_error(sb, "upper.lua",
                 "local s, u = string.rep('x', 2e6), string.upper u(s) u(s) u(s) u(s) u(s) u(s)"
                 " u(s) u(s) u(s) u(s) u(s) u(s) u(s) u(s) u(s) u(s) u(s) u(s) u(s) u(s)"
                 " return 'escaped'",
                 "upper.lua:1: time limit of 1 ms reached");
    rd_lua_close(sb);
}

static void memory_limit_stops_allocation(void **state)
{
    (void)state;
    rd_lua_limits lim = {0, 0, 60000};
    rd_lua *sb = rd_lua_open(&lim);
    expect_error(sb, "table.lua", "local t = {}\nfor i = 1, 1e9 do t[i] = i end",
                 "table.lua: memory limit of 8388608 bytes reached");
    expect_error(sb, "rep.lua", "local s = string.rep('x', 1e9)\nreturn 'escaped'",
                 "rep.lua: memory limit of 8388608 bytes reached");
    expect_error(sb, "concat.lua", "local s = 'x'\nwhile true do s = s .. s end",
                 "concat.lua: memory limit of 8388608 bytes reached");
    /* Caught, the memory error leaves the chunk at its limit, and it can go on. */
    expect_result(sb, "local ok = pcall(string.rep, 'x', 1e9) return ok", RD_LV_BOOL, 0, NULL);
    rd_lua_close(sb);
}

/* What a call leaves in its environment is released when the call ends: here the memory it held
 * is needed by the next call. */
static void a_call_leaves_nothing_behind(void **state)
{
    (void)state;
    rd_lua_limits lim = {0, 0, 60000};
    rd_lua *sb = rd_lua_open(&lim);
    expect_result(sb, "big = string.rep(facts.name, 2.5e5) return 1", RD_LV_INT, 1, NULL);
    expect_result(sb, "return #string.rep('y', 3e6)", RD_LV_INT, 3000000, NULL);
    rd_lua_close(sb);
}

static void memory_limit_covers_loading(void **state)
{
    (void)state;
    rd_lua_limits lim = {256 << 10, 0, 0};
    rd_lua *sb = rd_lua_open(&lim);
    assert_non_null(sb);
    size_t n = 400000;
    char *text = malloc(n + 1);
    memcpy(text, "return {", 8);
    for (size_t i = 8; i < n - 1; i += 2) memcpy(text + i, "1,", 2);
    text[n - 1] = '}';
    text[n] = 0;
    char err[256] = "";
    assert_int_equal(rd_lua_load(sb, "big.lua", text, n, err, sizeof err), -1);
    assert_string_equal(err, "big.lua: memory limit of 262144 bytes reached");
    free(text);
    still_usable(sb);
    rd_lua_close(sb);
    lim.memory_bytes = 1024;
    assert_null(rd_lua_open(&lim));
}

/* Tests of one limit give the others room, so that a slow machine (or valgrind) cannot make the
 * time limit strike first. */
static void deep_recursion_is_stopped(void **state)
{
    (void)state;
    rd_lua_limits lim = {0, 0, 60000};
    rd_lua *sb = rd_lua_open(&lim);
    expect_error(sb, "rec.lua", "local function f(n) return 1 + f(n + 1) end\nreturn f(1)",
                 "rec.lua: memory limit of 8388608 bytes reached");
    /* Through metamethods the C stack grows, and Lua's own bound stops it. */
    expect_error(sb, "meta.lua",
                 "local t = setmetatable({}, {__index = function(t, k) return t[k] end})\n"
                 "return t.x",
                 "meta.lua:1: runtime error");
    rd_lua_close(sb);
    /* With room enough, Lua's stack limit is reached first. */
    lim = (rd_lua_limits){256u << 20, 100000000ul, 60000};
    sb = rd_lua_open(&lim);
    expect_error(sb, "rec.lua", "local function f(n) return 1 + f(n + 1) end\nreturn f(1)",
                 "rec.lua:1: runtime error");
    rd_lua_close(sb);
}

/* ---- privacy ------------------------------------------------------------------------------- */

static void errors_never_carry_case_data(void **state)
{
    (void)state;
    rd_lua *sb = rd_lua_open(NULL);
    expect_error(sb, "p.lua", "\nerror('her name is ' .. facts.name)", "p.lua:2: runtime error");
    expect_error(sb, "p.lua", "error(facts.name, 0)", "p.lua:1: runtime error");
    expect_error(sb, "p.lua", "error({facts.name})", "p.lua:1: runtime error");
    expect_error(sb, "p.lua",
                 "error(setmetatable({}, {__tostring = function() return facts.name end}))",
                 "p.lua:1: runtime error");
    /* Lua's own messages can quote data too. */
    expect_error(sb, "p.lua", "return string.format('%' .. facts.name)", "p.lua:1: runtime error");
    expect_error(sb, "p.lua", "return utf8.codepoint(facts.name .. '\\xff', 1, -1)",
                 "p.lua:1: runtime error");
    expect_error(sb, "p.lua", "return facts.name + 1", "p.lua:1: runtime error");
    /* A chunk that imitates the sandbox's own message still passes nothing on. */
    expect_error(sb, "p.lua", "error('facts are read-only\\0' .. facts.name, 0)",
                 "p.lua:1: facts are read-only");
    expect_error(sb, "p.lua", "local ok, e = pcall(error, facts.name)\nerror(e)",
                 "p.lua:2: runtime error");
    rd_lua_close(sb);
}

int main(void)
{
    static const struct CMUnitTest fixed[] = {
        cmocka_unit_test(computes_values_from_facts),
        cmocka_unit_test(a_chunk_runs_again_with_other_facts),
        cmocka_unit_test(results_that_are_not_values),
        cmocka_unit_test(getmetatable_reveals_nothing),
        cmocka_unit_test(gc_added_later_never_runs),
        cmocka_unit_test(calls_share_nothing),
        cmocka_unit_test(refuses_bytecode),
        cmocka_unit_test(syntax_errors_are_reported_in_full),
        cmocka_unit_test(misuse_is_refused),
        cmocka_unit_test(instruction_limit_stops_loops),
        cmocka_unit_test(time_limit_stops_slow_library_calls),
        cmocka_unit_test(memory_limit_stops_allocation),
        cmocka_unit_test(a_call_leaves_nothing_behind),
        cmocka_unit_test(memory_limit_covers_loading),
        cmocka_unit_test(deep_recursion_is_stopped),
        cmocka_unit_test(errors_never_carry_case_data),
    };
    enum { NFIXED = sizeof fixed / sizeof *fixed, NESC = sizeof escapes / sizeof *escapes };
    struct CMUnitTest tests[NFIXED + NESC];
    memcpy(tests, fixed, sizeof fixed);
    for (size_t i = 0; i < NESC; i++)
        tests[NFIXED + i] =
            (struct CMUnitTest){escapes[i].name, denies, NULL, NULL, (void *)&escapes[i]};
    return cmocka_run_group_tests_name("lua_sandbox", tests, NULL, NULL);
}
