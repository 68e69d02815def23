/* The Lua sandbox; lua_sandbox.h says what a chunk may and may not do. Three things hold it
 * together: an allocator that counts live bytes, a hook that counts instructions and watches the
 * clock, and an environment rebuilt from an allow-list at every call. Every Lua API call that can
 * raise an error runs inside lua_pcall, because an error outside one reaches Lua's panic handler,
 * which aborts the process. */
#include "lua_sandbox.h"

#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Instructions between two runs of the hook: often enough that the clock is read every few
 * milliseconds even when each instruction is slow, seldom enough to cost nothing. The instruction
 * limit is therefore reached within this many instructions. */
#define RD_LUA_HOOK_EVERY 100
/* Calls are hooked too, because one call to a library function can do the work of many
 * instructions without executing any. */
#define RD_LUA_HOOK_MASK (LUA_MASKCOUNT | LUA_MASKCALL)

typedef enum rd_lua_stop {
    RD_LUA_RUNNING,
    RD_LUA_OUT_OF_INSTRUCTIONS,
    RD_LUA_OUT_OF_TIME
} rd_lua_stop;

struct rd_lua {
    lua_State *L;
    rd_lua_limits lim;
    size_t used;   /* live bytes handed to Lua; never above lim.memory_bytes */
    int refused;   /* the allocator refused to grow past the cap since the last load or call */
    int chunks;    /* registry reference of the table of loaded chunks, at handle + 1 */
    int nchunks;
    /* The budget the calls share (rd_lua_budget), when one is set: as given, and what is left. */
    int budgeted;
    unsigned long budget_instructions, budget_milliseconds;
    unsigned long left_instructions;
    unsigned long long left_us;
    /* The call in progress. */
    unsigned long executed;      /* instructions, counted `every` at a time */
    unsigned long cap;           /* the most it may execute: its own limit, or what is left of the budget */
    int cap_is_budget, deadline_is_budget; /* which of them the call may reach first */
    int every;                   /* what the count hook is set to */
    unsigned long long deadline; /* CLOCK_MONOTONIC microseconds */
    rd_lua_stop stop;
    const char *kind;            /* what ended the call: one of the rd_lua_k* */
    int line;                    /* where, 0 when unknown */
    char src[LUA_IDSIZE];        /* the chunk's name, shortened as Lua shortens it */
};

/* Errors the sandbox raises itself. The message handler recognises them by their text, so a
 * failed call can say more than "runtime error" without passing on any text a chunk wrote. */
static const char rd_lua_kruntime[] = "runtime error";
static const char rd_lua_kreadonly[] = "facts are read-only";
static const char rd_lua_kgc[] = "__gc metamethods are not allowed";
/* Lua's own text for a refused allocation, which a full luaL_Buffer raises as a plain error. */
static const char rd_lua_knomem[] = "not enough memory";

/* What a chunk may use. An allow-list, so that a newer Lua adding a function to a library adds
 * nothing here. Why the rest is left out is in lua_sandbox.h. setmetatable is added apart. */
static const char *const rd_lua_base_names[] = {
    "assert", "error", "getmetatable", "ipairs", "next", "pairs", "pcall", "rawequal", "rawget",
    "rawlen", "select", "tonumber", "tostring", "type", "_VERSION", NULL};
static const char *const rd_lua_string_names[] = {
    "byte", "char", "format", "len", "lower", "pack", "packsize", "rep", "reverse", "sub",
    "unpack", "upper", NULL};
static const char *const rd_lua_table_names[] = {
    "concat", "insert", "move", "pack", "remove", "sort", "unpack", NULL};
static const char *const rd_lua_math_names[] = {
    "abs", "acos", "asin", "atan", "ceil", "cos", "deg", "exp", "floor", "fmod", "huge", "log",
    "max", "maxinteger", "min", "mininteger", "modf", "pi", "rad", "sin", "sqrt", "tan",
    "tointeger", "type", "ult", NULL};
static const char *const rd_lua_utf8_names[] = {
    "char", "codes", "codepoint", "len", "offset", NULL};

static const struct {
    const char *name;
    lua_CFunction open;
    const char *const *names;
} rd_lua_libs[] = {
    {"string", luaopen_string, rd_lua_string_names},
    {"table", luaopen_table, rd_lua_table_names},
    {"math", luaopen_math, rd_lua_math_names},
    {"utf8", luaopen_utf8, rd_lua_utf8_names},
};

static int rd_lua_insert(lua_State *L);
static int rd_lua_remove(lua_State *L);
static int rd_lua_move(lua_State *L);
static int rd_lua_rep(lua_State *L);

/* Allowed functions that go in behind a guard, which keeps the original as its upvalue. */
static const struct {
    const char *lib, *name;
    lua_CFunction guard;
} rd_lua_guards[] = {
    {"string", "rep", rd_lua_rep},
    {"table", "insert", rd_lua_insert},
    {"table", "remove", rd_lua_remove},
    {"table", "move", rd_lua_move},
};

/* Writes the message into err, when there is one, and returns -1. */
static int rd_lua_fail(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int rd_lua_fail(char *err, size_t errlen, const char *fmt, ...)
{
    if (err && errlen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, errlen, fmt, ap);
        va_end(ap);
    }
    return -1;
}

/* The sandbox a Lua state belongs to: it is the allocator's user data, which spares a registry
 * lookup (that could fail) in the hook and the message handler. */
static rd_lua *rd_lua_self(lua_State *L)
{
    void *ud;
    lua_getallocf(L, &ud);
    return ud;
}

/* Counts live bytes and refuses to grow past the cap; Lua then collects garbage, tries again,
 * and raises a memory error if it still does not fit. */
static void *rd_lua_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
    rd_lua *sb = ud;
    size_t old = ptr ? osize : 0; /* without a block, osize tells what kind of object is wanted */
    if (nsize == 0) {
        free(ptr);
        sb->used -= old;
        return NULL;
    }
    if (nsize > old && nsize - old > sb->lim.memory_bytes - sb->used) {
        sb->refused = 1;
        return NULL;
    }
    void *p = realloc(ptr, nsize);
    if (!p) {
        if (nsize > old) return NULL;
        p = ptr; /* a block that could not shrink still holds everything */
    }
    sb->used = sb->used - old + nsize;
    return p;
}

/* Microseconds on a clock that never goes back: a budget shared by thousands of short calls must
 * not lose them to rounding. */
static unsigned long long rd_lua_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (unsigned long long)t.tv_sec * 1000000u + (unsigned long long)t.tv_nsec / 1000u;
}

/* ms in microseconds, where ULONG_MAX ("no limit") does not wrap around. */
static unsigned long long rd_lua_us(unsigned long ms)
{
    return ms > ULLONG_MAX / 1000u ? ULLONG_MAX : (unsigned long long)ms * 1000u;
}

static void rd_lua_hook(lua_State *L, lua_Debug *ar);

/* Ends the call for `why`. From then on every instruction and every call raises an error, so a
 * chunk that catches the first with pcall cannot carry on. lua_sethook walks the whole call stack,
 * which is why it is called here, once, and not to re-arm the count at every run of the hook. The
 * error's text does not matter: the reason is kept in sb. */
static void rd_lua_halt(lua_State *L, rd_lua *sb, rd_lua_stop why)
{
    if (sb->stop == RD_LUA_RUNNING) {
        sb->stop = why;
        sb->every = 1;
        lua_sethook(L, rd_lua_hook, RD_LUA_HOOK_MASK, 1);
    }
    lua_pushliteral(L, "limit reached");
    lua_error(L);
}

/* Counts instructions and watches the clock. */
static void rd_lua_hook(lua_State *L, lua_Debug *ar)
{
    rd_lua *sb = rd_lua_self(L);
    if (ar->event == LUA_HOOKCOUNT) sb->executed += (unsigned long)sb->every;
    if (sb->stop != RD_LUA_RUNNING || sb->executed >= sb->cap)
        rd_lua_halt(L, sb, RD_LUA_OUT_OF_INSTRUCTIONS);
    else if (rd_lua_now() >= sb->deadline)
        rd_lua_halt(L, sb, RD_LUA_OUT_OF_TIME);
}

/* Counts n instructions for the work a library function is about to do in one loop that neither
 * allocates nor calls anything, so that neither the memory limit nor the hooks would see it. */
static void rd_lua_charge(lua_State *L, lua_Unsigned n)
{
    rd_lua *sb = rd_lua_self(L);
    if (n >= sb->cap - sb->executed) rd_lua_halt(L, sb, RD_LUA_OUT_OF_INSTRUCTIONS);
    sb->executed += (unsigned long)n;
}

/* Calls the library function a guard stands in front of (its upvalue) with the guard's arguments,
 * which it checks again. */
static int rd_lua_forward(lua_State *L)
{
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);
    return lua_gettop(L);
}

/* Guards for the library functions whose loops a chunk sizes with a number: #t of a sparse table
 * with a hundred entries can be 2^50, and so can the range given to table.move. Arguments the
 * function would refuse are charged nothing and left for it to refuse. */

/* table.insert(t, pos, v) shifts t[pos..#t] up. */
static int rd_lua_insert(lua_State *L)
{
    if (lua_gettop(L) == 3) {
        int ok;
        lua_Integer pos = lua_tointegerx(L, 2, &ok);
        lua_Unsigned e = (lua_Unsigned)luaL_len(L, 1) + 1u;
        if (ok && pos >= 1 && (lua_Unsigned)pos < e) rd_lua_charge(L, e - (lua_Unsigned)pos);
    }
    return rd_lua_forward(L);
}

/* table.remove(t, pos) shifts t[pos+1..#t] down. */
static int rd_lua_remove(lua_State *L)
{
    int ok = 1;
    lua_Integer size = luaL_len(L, 1);
    lua_Integer pos = lua_isnoneornil(L, 2) ? size : lua_tointegerx(L, 2, &ok);
    if (ok && pos >= 1 && pos < size) rd_lua_charge(L, (lua_Unsigned)size - (lua_Unsigned)pos);
    return rd_lua_forward(L);
}

/* table.move(a1, f, e, t) copies e - f + 1 positions. */
static int rd_lua_move(lua_State *L)
{
    int okf, oke;
    lua_Integer f = lua_tointegerx(L, 2, &okf);
    lua_Integer e = lua_tointegerx(L, 3, &oke);
    if (okf && oke && e >= f && (f > 0 || e < LUA_MAXINTEGER + f))
        rd_lua_charge(L, (lua_Unsigned)e - (lua_Unsigned)f);
    return rd_lua_forward(L);
}

/* string.rep(s, n, sep) with s and sep both empty counts n down to zero copying nothing, which
 * for n = 1e18 never ends; the answer is known at once. */
static int rd_lua_rep(lua_State *L)
{
    size_t len, seplen;
    luaL_checklstring(L, 1, &len);
    luaL_checkinteger(L, 2);
    luaL_optlstring(L, 3, "", &seplen);
    if (len == 0 && seplen == 0) {
        lua_pushliteral(L, "");
        return 1;
    }
    return rd_lua_forward(L);
}

/* The message handler of a call: notes what kind of error ended it and at which line, before the
 * stack unwinds. The error value itself, which may hold case data, goes no further. */
static int rd_lua_on_error(lua_State *L)
{
    static const char *const own[] = {rd_lua_kreadonly, rd_lua_kgc, rd_lua_knomem};
    rd_lua *sb = rd_lua_self(L);
    sb->kind = rd_lua_kruntime;
    if (lua_type(L, 1) == LUA_TSTRING)
        for (size_t i = 0; i < sizeof own / sizeof *own; i++)
            if (strcmp(lua_tostring(L, 1), own[i]) == 0) sb->kind = own[i];
    /* The innermost Lua function is the chunk: chunks cannot reach each other's functions. */
    lua_Debug ar;
    sb->line = 0;
    for (int level = 0; lua_getstack(L, level, &ar); level++)
        if (lua_getinfo(L, "l", &ar) && ar.currentline > 0) {
            sb->line = ar.currentline;
            break;
        }
    return 1;
}

/* setmetatable, refusing a metatable with a __gc field: finalizers run with hooks off, so one
 * could loop forever, even after the call, in the garbage collector. Lua marks an object for
 * finalization only when it gets such a metatable; adding __gc afterwards marks nothing. */
static int rd_lua_setmetatable(lua_State *L)
{
    int t = lua_type(L, 2);
    luaL_checktype(L, 1, LUA_TTABLE);
    luaL_argexpected(L, t == LUA_TNIL || t == LUA_TTABLE, 2, "nil or table");
    if (t == LUA_TTABLE) {
        lua_pushliteral(L, "__gc");
        if (lua_rawget(L, 2) != LUA_TNIL) {
            lua_pushstring(L, rd_lua_kgc);
            return lua_error(L);
        }
    }
    if (luaL_getmetafield(L, 1, "__metatable") != LUA_TNIL)
        return luaL_error(L, "cannot change a protected metatable");
    lua_settop(L, 2);
    lua_setmetatable(L, 1);
    return 1;
}

/* __newindex of `facts`: any assignment is refused. */
static int rd_lua_facts_newindex(lua_State *L)
{
    lua_pushstring(L, rd_lua_kreadonly);
    return lua_error(L);
}

/* The iterator pairs(facts) returns. It walks the facts kept in its upvalue; returning the table
 * of facts itself, as pairs does, would hand the chunk a table it can write to. */
static int rd_lua_facts_next(lua_State *L)
{
    lua_settop(L, 2);
    if (lua_next(L, lua_upvalueindex(1))) return 2;
    lua_pushnil(L);
    return 1;
}

/* __pairs of `facts`: the iterator above, over the facts in this closure's upvalue. */
static int rd_lua_facts_pairs(lua_State *L)
{
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_pushcclosure(L, rd_lua_facts_next, 1);
    lua_pushvalue(L, 1);
    lua_pushnil(L);
    return 3;
}

/* __len of a read-only table: the length of the hidden table of values. */
static int rd_lua_ro_len(lua_State *L)
{
    lua_pushinteger(L, (lua_Integer)lua_rawlen(L, lua_upvalueindex(1)));
    return 1;
}

/* Replaces the table of values on top of the stack with an empty table whose locked metatable
 * reads from it. The chunk never gets the table of values, so neither assignment nor rawset
 * (which is not offered anyway) can change one. */
static void rd_lua_wrap_readonly(lua_State *L)
{
    int data = lua_gettop(L);
    lua_newtable(L);
    lua_createtable(L, 0, 5);
    lua_pushvalue(L, data);
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, rd_lua_facts_newindex);
    lua_setfield(L, -2, "__newindex");
    lua_pushvalue(L, data);
    lua_pushcclosure(L, rd_lua_facts_pairs, 1);
    lua_setfield(L, -2, "__pairs");
    lua_pushvalue(L, data);
    lua_pushcclosure(L, rd_lua_ro_len, 1);
    lua_setfield(L, -2, "__len");
    lua_pushstring(L, rd_lua_kreadonly);
    lua_setfield(L, -2, "__metatable");
    lua_setmetatable(L, -2);
    lua_remove(L, data);
}

/* Pushes a tree as nested read-only tables (scalars as they are). */
static void rd_lua_push_tree(lua_State *L, const rd_lua_tree *t, int depth)
{
    switch (t->kind) {
    case RD_LT_NIL: lua_pushnil(L); return;
    case RD_LT_BOOL: lua_pushboolean(L, t->i != 0); return;
    case RD_LT_INT: lua_pushinteger(L, (lua_Integer)t->i); return;
    case RD_LT_STRING: lua_pushstring(L, t->s ? t->s : ""); return;
    case RD_LT_LIST:
    case RD_LT_MAP: break;
    }
    if (depth >= RD_LUA_TREE_DEPTH) {
        lua_pushnil(L);
        return;
    }
    luaL_checkstack(L, 4, NULL);
    lua_newtable(L);
    lua_Integer i = 1;
    for (const rd_lua_tree *e = t->first; e; e = e->next) {
        rd_lua_push_tree(L, e, depth + 1);
        if (t->kind == RD_LT_LIST) lua_rawseti(L, -2, i++);
        else if (e->key) lua_setfield(L, -2, e->key);
        else lua_pop(L, 1);
    }
    rd_lua_wrap_readonly(L);
}

/* Pushes `facts`: a read-only table of the values. */
static void rd_lua_push_facts(lua_State *L, const rd_lua_arg *args, size_t n)
{
    lua_newtable(L);
    int data = lua_gettop(L);
    for (size_t i = 0; i < n; i++) {
        switch (args[i].v.type) {
        case RD_LV_NIL: lua_pushnil(L); break;
        case RD_LV_BOOL: lua_pushboolean(L, args[i].v.i != 0); break;
        case RD_LV_INT: lua_pushinteger(L, (lua_Integer)args[i].v.i); break;
        case RD_LV_STRING: lua_pushstring(L, args[i].v.s); break;
        }
        lua_setfield(L, data, args[i].key);
    }
    rd_lua_wrap_readonly(L);
}

/* Pushes a new table with the contents of the table at idx. */
static void rd_lua_push_copy(lua_State *L, int idx)
{
    idx = lua_absindex(L, idx);
    lua_newtable(L);
    lua_pushnil(L);
    while (lua_next(L, idx)) {
        lua_pushvalue(L, -2);
        lua_insert(L, -2);
        lua_rawset(L, -4);
    }
}

/* Copies the fields `names` (NULL-terminated) of the table at `from` into the table at `to`. */
static void rd_lua_copy_names(lua_State *L, int from, int to, const char *const *names)
{
    for (; *names; names++) {
        lua_getfield(L, from, *names);
        lua_setfield(L, to, *names);
    }
}

/* Protected part of rd_lua_open: builds the template every call's environment is copied from,
 * and the table of chunks. */
static int rd_lua_setup(lua_State *L)
{
    rd_lua *sb = rd_lua_self(L);
    lua_newtable(L);
    luaL_requiref(L, "_G", luaopen_base, 0);
    rd_lua_copy_names(L, 2, 1, rd_lua_base_names);
    lua_pop(L, 1);
    lua_pushcfunction(L, rd_lua_setmetatable);
    lua_setfield(L, 1, "setmetatable");
    for (size_t i = 0; i < sizeof rd_lua_libs / sizeof *rd_lua_libs; i++) {
        luaL_requiref(L, rd_lua_libs[i].name, rd_lua_libs[i].open, 0);
        lua_newtable(L);
        rd_lua_copy_names(L, 2, 3, rd_lua_libs[i].names);
        for (size_t g = 0; g < sizeof rd_lua_guards / sizeof *rd_lua_guards; g++)
            if (strcmp(rd_lua_guards[g].lib, rd_lua_libs[i].name) == 0) {
                lua_getfield(L, 3, rd_lua_guards[g].name);
                lua_pushcclosure(L, rd_lua_guards[g].guard, 1);
                lua_setfield(L, 3, rd_lua_guards[g].name);
            }
        lua_setfield(L, 1, rd_lua_libs[i].name);
        lua_pop(L, 1);
    }
    /* Method calls on strings ("x":rep(3)) look in the string metatable's __index, which is still
     * the whole string library, dump included: point it at the allowed part, and lock the
     * metatable so that getmetatable("") reaches neither it nor the library. */
    lua_pushliteral(L, "");
    lua_getmetatable(L, -1);
    lua_getfield(L, 1, "string");
    lua_setfield(L, -2, "__index");
    lua_pushliteral(L, "the string metatable is locked");
    lua_setfield(L, -2, "__metatable");
    lua_pop(L, 2);
    /* The template takes the place of the global table; the original, with all it held, is only
     * reachable from the registry, which no chunk can reach. */
    lua_rawseti(L, LUA_REGISTRYINDEX, LUA_RIDX_GLOBALS);
    lua_newtable(L);
    sb->chunks = luaL_ref(L, LUA_REGISTRYINDEX);
    return 0;
}

rd_lua *rd_lua_open(const rd_lua_limits *lim)
{
    rd_lua *sb = calloc(1, sizeof *sb);
    if (!sb) return NULL;
    rd_lua_limits given = lim ? *lim : (rd_lua_limits){0, 0, 0};
    sb->lim.memory_bytes = given.memory_bytes ? given.memory_bytes : RD_LUA_DEFAULT_MEMORY;
    sb->lim.instructions = given.instructions ? given.instructions : RD_LUA_DEFAULT_INSTRUCTIONS;
    sb->lim.milliseconds = given.milliseconds ? given.milliseconds : RD_LUA_DEFAULT_MILLISECONDS;
    sb->L = lua_newstate(rd_lua_alloc, sb);
    if (!sb->L) {
        free(sb);
        return NULL;
    }
    lua_pushcfunction(sb->L, rd_lua_setup);
    if (lua_pcall(sb->L, 0, 0, 0) != LUA_OK) {
        rd_lua_close(sb);
        return NULL;
    }
    return sb;
}

void rd_lua_close(rd_lua *sb)
{
    if (!sb) return;
    lua_close(sb->L);
    free(sb);
}

typedef struct rd_lua_source {
    const char *name, *text;
    size_t len;
    int status; /* of luaL_loadbufferx */
} rd_lua_source;

/* Protected part of rd_lua_load: compiles the text and files the function under the next
 * handle. On a compile error, returns the message. */
static int rd_lua_store(lua_State *L)
{
    rd_lua_source *src = lua_touserdata(L, 1);
    rd_lua *sb = rd_lua_self(L);
    /* "@": a file name, which Lua shortens from the left so that the file's own name stays. */
    const char *name = lua_pushfstring(L, "@%s", src->name);
    src->status = luaL_loadbufferx(L, src->text, src->len, name, "t");
    if (src->status != LUA_OK) return 1;
    /* A loaded chunk's first upvalue is its _ENV, set to the template. Only a call gives it an
     * environment, so a chunk can never run in one that outlives the call. */
    lua_pushnil(L);
    lua_setupvalue(L, -2, 1);
    lua_rawgeti(L, LUA_REGISTRYINDEX, sb->chunks);
    lua_insert(L, -2);
    lua_rawseti(L, -2, sb->nchunks + 1);
    return 0;
}

/* The message for a memory error in `where`: the cap, or the system, ran out. */
static int rd_lua_memory_error(rd_lua *sb, const char *where, char *err, size_t errlen)
{
    if (sb->refused)
        return rd_lua_fail(err, errlen, "%s: memory limit of %zu bytes reached", where,
                           sb->lim.memory_bytes);
    return rd_lua_fail(err, errlen, "%s: out of memory", where);
}

int rd_lua_load(rd_lua *sb, const char *chunkname, const char *text, size_t len, char *err,
                size_t errlen)
{
    if (!sb || !chunkname || (!text && len))
        return rd_lua_fail(err, errlen, "rd_lua_load: invalid arguments");
    /* Lua refuses it too (mode "t"); checked here as well for a message that says what to do. */
    if (len && text[0] == LUA_SIGNATURE[0])
        return rd_lua_fail(err, errlen, "%s: precompiled chunks are refused; give the source text",
                           chunkname);
    lua_State *L = sb->L;
    rd_lua_source src = {chunkname, text ? text : "", len, LUA_OK};
    lua_settop(L, 0);
    sb->refused = 0;
    lua_pushcfunction(L, rd_lua_store);
    lua_pushlightuserdata(L, &src);
    int st = lua_pcall(L, 1, 1, 0);
    int rc;
    if (st == LUA_OK && src.status == LUA_OK)
        rc = sb->nchunks++;
    else if (st == LUA_ERRMEM || src.status == LUA_ERRMEM)
        rc = rd_lua_memory_error(sb, chunkname, err, errlen);
    else /* a syntax error: it quotes the chunk's text, not a case, so it is passed on */
        rc = rd_lua_fail(err, errlen, "%s", lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1)
                                                                           : "cannot be compiled");
    lua_settop(L, 0);
    return rc;
}

typedef struct rd_lua_job {
    int fn;
    const rd_lua_arg *args;
    size_t nargs;
    const char *tree_name; /* rd_lua_call_tree: the global the tree goes in */
    const rd_lua_tree *tree;
} rd_lua_job;

/* Protected part of rd_lua_call: gives the chunk a fresh environment (its own copies of the
 * library tables, so nothing a chunk changes there outlives the call) and returns the chunk. */
static int rd_lua_prepare(lua_State *L)
{
    const rd_lua_job *job = lua_touserdata(L, 1);
    rd_lua *sb = rd_lua_self(L);
    lua_pushglobaltable(L);
    lua_newtable(L);
    lua_pushnil(L);
    while (lua_next(L, 2)) {
        if (lua_type(L, -1) == LUA_TTABLE) {
            rd_lua_push_copy(L, -1);
            lua_replace(L, -2);
        }
        lua_pushvalue(L, -2);
        lua_insert(L, -2);
        lua_rawset(L, 3);
    }
    lua_pushvalue(L, 3);
    lua_setfield(L, 3, "_G");
    rd_lua_push_facts(L, job->args, job->nargs);
    lua_setfield(L, 3, "facts");
    if (job->tree) {
        rd_lua_push_tree(L, job->tree, 0);
        lua_setfield(L, 3, job->tree_name);
    }
    lua_rawgeti(L, LUA_REGISTRYINDEX, sb->chunks);
    lua_rawgeti(L, -1, job->fn + 1);
    lua_pushvalue(L, 3);
    lua_setupvalue(L, -2, 1);
    return 1;
}

/* The message for a failed call: where, and what kind of failure, never the error's text. */
static int rd_lua_report(rd_lua *sb, int status, char *err, size_t errlen)
{
    char what[128];
    if (sb->stop == RD_LUA_OUT_OF_INSTRUCTIONS && sb->cap_is_budget)
        snprintf(what, sizeof what, "budget of %lu instructions shared with the calls before it used up",
                 sb->budget_instructions);
    else if (sb->stop == RD_LUA_OUT_OF_INSTRUCTIONS)
        snprintf(what, sizeof what, "instruction limit of %lu reached", sb->lim.instructions);
    else if (sb->stop == RD_LUA_OUT_OF_TIME && sb->deadline_is_budget)
        snprintf(what, sizeof what, "time budget of %lu ms shared with the calls before it used up",
                 sb->budget_milliseconds);
    else if (sb->stop == RD_LUA_OUT_OF_TIME)
        snprintf(what, sizeof what, "time limit of %lu ms reached", sb->lim.milliseconds);
    else if (status == LUA_ERRMEM || sb->kind == rd_lua_knomem) {
        if (sb->refused)
            snprintf(what, sizeof what, "memory limit of %zu bytes reached", sb->lim.memory_bytes);
        else
            snprintf(what, sizeof what, "out of memory");
    } else
        snprintf(what, sizeof what, "%s", sb->kind);
    if (sb->line > 0) return rd_lua_fail(err, errlen, "%s:%d: %s", sb->src, sb->line, what);
    return rd_lua_fail(err, errlen, "%s: %s", sb->src, what);
}

/* Reads the chunk's first return value, at idx. */
static int rd_lua_result(rd_lua *sb, int idx, rd_lua_value *out, char *err, size_t errlen)
{
    lua_State *L = sb->L;
    int ok;
    size_t len;
    switch (lua_type(L, idx)) {
    case LUA_TNIL:
        return 0;
    case LUA_TBOOLEAN:
        out->type = RD_LV_BOOL;
        out->i = lua_toboolean(L, idx);
        return 0;
    case LUA_TNUMBER:
        out->i = lua_tointegerx(L, idx, &ok);
        if (!ok)
            return rd_lua_fail(err, errlen, "%s: returned a number that is not an integer",
                               sb->src);
        out->type = RD_LV_INT;
        return 0;
    case LUA_TSTRING:
        out->s = lua_tolstring(L, idx, &len);
        if (strlen(out->s) != len)
            return rd_lua_fail(err, errlen, "%s: returned a string with a zero byte in it",
                               sb->src);
        out->type = RD_LV_STRING;
        return 0;
    default:
        return rd_lua_fail(err, errlen,
                           "%s: returned a %s where a boolean, an integer, a string or nil "
                           "was expected",
                           sb->src, lua_typename(L, lua_type(L, idx)));
    }
}

/* Once a call is over, the chunk loses its environment and the garbage is collected, so that
 * nothing of one case stays in the state while the next case is handled. */
static void rd_lua_forget(rd_lua *sb, int fn)
{
    lua_State *L = sb->L;
    lua_rawgeti(L, LUA_REGISTRYINDEX, sb->chunks);
    lua_rawgeti(L, -1, fn + 1);
    lua_pushnil(L);
    lua_setupvalue(L, -2, 1);
    lua_pop(L, 2);
    lua_gc(L, LUA_GCCOLLECT);
}

/* Runs a job: prepares its environment and calls its chunk under the limits. Returns the Lua status;
 * on LUA_OK the chunk's first result is at stack index 2. */
static int rd_lua_run(rd_lua *sb, const rd_lua_job *job)
{
    lua_State *L = sb->L;
    lua_settop(L, 0);
    lua_rawgeti(L, LUA_REGISTRYINDEX, sb->chunks);
    lua_rawgeti(L, -1, job->fn + 1);
    lua_Debug ar;
    lua_getinfo(L, ">S", &ar);
    snprintf(sb->src, sizeof sb->src, "%s", ar.short_src);
    lua_settop(L, 0);
    sb->refused = 0;
    sb->stop = RD_LUA_RUNNING;
    sb->kind = rd_lua_kruntime;
    sb->line = 0;
    sb->executed = 0;
    sb->cap = sb->lim.instructions;
    unsigned long long span = rd_lua_us(sb->lim.milliseconds);
    sb->cap_is_budget = sb->budgeted && sb->left_instructions < sb->cap;
    if (sb->cap_is_budget) sb->cap = sb->left_instructions;
    sb->deadline_is_budget = sb->budgeted && sb->left_us < span;
    if (sb->deadline_is_budget) span = sb->left_us;
    /* A budget spent by the calls before: this one does not start. */
    if (sb->cap == 0 || span == 0) {
        sb->stop = sb->cap == 0 ? RD_LUA_OUT_OF_INSTRUCTIONS : RD_LUA_OUT_OF_TIME;
        return LUA_ERRRUN;
    }
    lua_pushcfunction(L, rd_lua_on_error);
    lua_pushcfunction(L, rd_lua_prepare);
    lua_pushlightuserdata(L, (void *)job);
    int st = lua_pcall(L, 1, 1, 0);
    if (st == LUA_OK) {
        unsigned long long start = rd_lua_now();
        /* A caller may pass ULONG_MAX for "no time limit": the deadline must not wrap around. */
        sb->deadline = span > ULLONG_MAX - start ? ULLONG_MAX : start + span;
        sb->every = sb->cap < RD_LUA_HOOK_EVERY ? (int)sb->cap : RD_LUA_HOOK_EVERY;
        lua_sethook(L, rd_lua_hook, RD_LUA_HOOK_MASK, sb->every);
        st = lua_pcall(L, 0, 1, 1);
        lua_sethook(L, NULL, 0, 0);
        if (sb->budgeted) {
            unsigned long long spent = rd_lua_now() - start;
            sb->left_us -= spent < sb->left_us ? spent : sb->left_us;
            sb->left_instructions -= sb->executed < sb->left_instructions ? sb->executed : sb->left_instructions;
        }
    }
    return st;
}

void rd_lua_budget(rd_lua *sb, unsigned long instructions, unsigned long milliseconds)
{
    if (!sb) return;
    sb->budgeted = 1;
    sb->budget_instructions = sb->left_instructions = instructions;
    sb->budget_milliseconds = milliseconds;
    sb->left_us = rd_lua_us(milliseconds);
}

void rd_lua_budget_left(const rd_lua *sb, unsigned long *instructions, unsigned long *milliseconds)
{
    int on = sb && sb->budgeted;
    *instructions = on ? sb->left_instructions : ULONG_MAX;
    *milliseconds = !on ? ULONG_MAX : sb->left_us / 1000u > ULONG_MAX ? ULONG_MAX : (unsigned long)(sb->left_us / 1000u);
}

int rd_lua_call(rd_lua *sb, int fn, const rd_lua_arg *args, size_t nargs, rd_lua_value *out,
                char *err, size_t errlen)
{
    if (!sb || !out || (nargs && !args))
        return rd_lua_fail(err, errlen, "rd_lua_call: invalid arguments");
    *out = (rd_lua_value){RD_LV_NIL, 0, NULL};
    if (fn < 0 || fn >= sb->nchunks) return rd_lua_fail(err, errlen, "there is no chunk %d", fn);
    for (size_t i = 0; i < nargs; i++) {
        const rd_lua_value *v = &args[i].v;
        if (!args[i].key) return rd_lua_fail(err, errlen, "fact %zu has no name", i);
        if (v->type != RD_LV_NIL && v->type != RD_LV_BOOL && v->type != RD_LV_INT &&
            (v->type != RD_LV_STRING || !v->s))
            return rd_lua_fail(err, errlen, "fact `%s` has an invalid value", args[i].key);
    }
    rd_lua_job job = {fn, args, nargs, NULL, NULL};
    int st = rd_lua_run(sb, &job);
    lua_State *L = sb->L;
    int rc = st == LUA_OK ? rd_lua_result(sb, 2, out, err, errlen)
                          : rd_lua_report(sb, st, err, errlen);
    if (rc != 0) {
        *out = (rd_lua_value){RD_LV_NIL, 0, NULL};
        lua_settop(L, 0);
    } /* else a string result stays on the stack, which keeps it alive */
    rd_lua_forget(sb, fn);
    return rc;
}

int rd_lua_call_tree(rd_lua *sb, int fn, const char *name, const rd_lua_tree *tree, long long *ids,
                     size_t cap, size_t *n, char *err, size_t errlen)
{
    if (!sb || !name || !tree || !n || (cap && !ids))
        return rd_lua_fail(err, errlen, "rd_lua_call_tree: invalid arguments");
    *n = 0;
    if (fn < 0 || fn >= sb->nchunks) return rd_lua_fail(err, errlen, "there is no chunk %d", fn);
    rd_lua_job job = {fn, NULL, 0, name, tree};
    int st = rd_lua_run(sb, &job);
    lua_State *L = sb->L;
    int rc = 0;
    if (st != LUA_OK) {
        rc = rd_lua_report(sb, st, err, errlen);
    } else if (lua_type(L, 2) == LUA_TTABLE) {
        /* raw reads: the chunk's own table, no metamethod of its runs here */
        size_t len = (size_t)lua_rawlen(L, 2);
        if (len > cap) {
            rc = rd_lua_fail(err, errlen, "%s: returned %zu items, more than the %zu allowed", sb->src, len, cap);
        } else {
            for (size_t i = 0; i < len && rc == 0; i++) {
                int ok;
                lua_rawgeti(L, 2, (lua_Integer)i + 1);
                lua_Integer v = lua_tointegerx(L, -1, &ok);
                lua_pop(L, 1);
                if (!ok) rc = rd_lua_fail(err, errlen, "%s: item %zu of the list it returned is not an integer", sb->src, i + 1);
                else ids[(*n)++] = (long long)v;
            }
        }
    } else if (lua_type(L, 2) != LUA_TNIL) {
        rc = rd_lua_fail(err, errlen, "%s: returned a %s where a list of node ids or nil was expected", sb->src,
                         lua_typename(L, lua_type(L, 2)));
    }
    if (rc != 0) *n = 0;
    lua_settop(L, 0);
    rd_lua_forget(sb, fn);
    return rc;
}
