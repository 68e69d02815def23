/* Sandboxed Lua 5.4 for computed facts (`fact risk: ... = lua "risk.lua"`) and auditors' custom
 * checks (verifier/audit.c). These chunks run next to survivors' case data, so a chunk sees only a
 * fresh environment at every call: the safe parts of the base, string, table, math and utf8
 * libraries, and `facts`, a read-only view of the case. It cannot reach files, processes, output,
 * the clock, another chunk or another case, and every call is bounded in instructions, time and memory.
 *
 * Left out, and why:
 *  - load, loadfile, dofile, require, string.dump and precompiled chunks: new code, or bytecode,
 *    which the Lua VM does not verify and which can corrupt memory;
 *  - io, os, package, debug, print, warn, collectgarbage: files, processes, output, the registry,
 *    and the hooks that enforce the limits;
 *  - coroutine: hooks are per coroutine, so code inside one would run past the instruction limit;
 *  - xpcall: when a limit's error is raised, Lua runs the message handler from inside the hook,
 *    with hooks off, so a handler that loops forever would never be stopped (pcall stays);
 *  - string.find, match, gmatch, gsub: a backtracking pattern can run for exponential time inside
 *    one C call, where no hook can stop it;
 *  - math.random, math.randomseed: their state is shared by every call, so a chunk could carry a
 *    value from one case into the next, and a computed fact should depend on the facts alone;
 *  - rawset: it writes past the guard that keeps `facts` read-only;
 *  - metatables with a __gc field: finalizers run with hooks off, outside every limit.
 *
 * table.insert, table.remove and table.move count the positions they shift as instructions: the
 * length of a sparse table of a hundred entries can be 2^50, and one such call would otherwise
 * loop for years where no hook sees it. string.rep of an empty string returns at once, however
 * many times it is asked to repeat nothing.
 *
 * Error messages never carry a value a chunk computed or raised: a chunk can write
 * `error("her name is " .. facts.name)`, so a failed call reports only where it failed and why
 * ("risk.lua:12: runtime error"). Syntax errors are reported in full: they quote the chunk's text,
 * never a case.
 *
 * An rd_lua is used by one thread at a time; separate rd_lua share nothing.
 */
#ifndef RD_LUA_SANDBOX_H
#define RD_LUA_SANDBOX_H
#include <stddef.h>

/* Every bound is per rd_lua_call except memory_bytes, which bounds all the live memory of the
 * state, libraries and loaded chunks included. A field left 0 takes its default. What several
 * calls may spend together is a budget (rd_lua_budget). */
typedef struct rd_lua_limits {
    size_t memory_bytes;         /* default RD_LUA_DEFAULT_MEMORY */
    unsigned long instructions;  /* Lua VM instructions; default RD_LUA_DEFAULT_INSTRUCTIONS */
    unsigned long milliseconds;  /* wall-clock time; default RD_LUA_DEFAULT_MILLISECONDS */
} rd_lua_limits;

#define RD_LUA_DEFAULT_MEMORY       (8u << 20)
#define RD_LUA_DEFAULT_INSTRUCTIONS 1000000ul
/* Instructions alone do not bound time: one instruction can call a library function that works
 * for milliseconds (table.sort of a large table, a comparison of two long strings). This is the
 * backstop, far above what a chunk within its instruction limit needs. */
#define RD_LUA_DEFAULT_MILLISECONDS 1000ul

typedef struct rd_lua rd_lua;

/* A new sandbox with the given limits (NULL: all defaults). NULL when out of memory, or when
 * memory_bytes is too small to hold the libraries. */
rd_lua *rd_lua_open(const rd_lua_limits *lim);
/* Releases the sandbox and every chunk in it. sb may be NULL. */
void rd_lua_close(rd_lua *sb);

/* Sets a budget the calls share: from now on, until the next rd_lua_budget, all the calls of sb
 * together may execute at most `instructions` instructions and run for at most `milliseconds` of
 * wall-clock time (counted while a chunk runs), each still within its own limits. Per-call limits
 * alone let twelve computed facts of a second each make one question take twelve seconds. A call
 * that reaches the budget fails as one past its own limit does, saying it was the budget; one that
 * finds it spent fails at once. Without a budget, each call is bounded alone. */
void rd_lua_budget(rd_lua *sb, unsigned long instructions, unsigned long milliseconds);
/* What is left of the budget (ULONG_MAX each when none was set): to carry it to another sandbox. */
void rd_lua_budget_left(const rd_lua *sb, unsigned long *instructions, unsigned long *milliseconds);

/* Compiles a chunk from source text (`len` bytes; precompiled bytecode is refused). `chunkname`
 * (a file name, such as "rules/lua/risk.lua") names the chunk in error messages. Returns a
 * handle >= 0 that stays valid until rd_lua_close, or -1 with a message in err (err may be NULL;
 * the message is cut to errlen bytes, terminator included). */
int rd_lua_load(rd_lua *sb, const char *chunkname, const char *text, size_t len, char *err,
                size_t errlen);

typedef enum rd_lua_vtype { RD_LV_NIL, RD_LV_BOOL, RD_LV_INT, RD_LV_STRING } rd_lua_vtype;

/* A value passed to or returned from a chunk. RD_LV_NIL is a fact that is unknown (she declined
 * to answer); RD_LV_BOOL and RD_LV_INT use i (0 or 1 for a boolean); RD_LV_STRING uses s, which
 * is NUL-terminated (an enum value is passed as its name). */
typedef struct rd_lua_value {
    rd_lua_vtype type;
    long long i;
    const char *s;
} rd_lua_value;

typedef struct rd_lua_arg {
    const char *key;  /* the fact's name */
    rd_lua_value v;
} rd_lua_arg;

/* Runs chunk `fn` in a fresh environment whose global `facts` is a read-only table of args (a
 * repeated key keeps its last value; a nil one is left out, so the chunk sees nil). The chunk's
 * first return value goes to *out: nil, a boolean, an integer (a float is accepted if it holds
 * an integer exactly) or a string without zero bytes; anything else is an error. A string in *out
 * belongs to the sandbox and stays valid until the next rd_lua_load, rd_lua_call or rd_lua_close.
 * Returns 0, or -1 (and *out nil) with a message in err that names the chunk, the line when known,
 * and what went wrong, never a value. The sandbox stays usable after a failure. */
int rd_lua_call(rd_lua *sb, int fn, const rd_lua_arg *args, size_t nargs, rd_lua_value *out,
                char *err, size_t errlen);

/* A read-only tree handed to a chunk (an audit check reads the decision graph this way): a list
 * or a map of entries, each a scalar or a tree. An entry of a map has a key; a list's entries are
 * numbered from 1. */
typedef enum rd_lua_tkind { RD_LT_NIL, RD_LT_BOOL, RD_LT_INT, RD_LT_STRING, RD_LT_LIST, RD_LT_MAP } rd_lua_tkind;

typedef struct rd_lua_tree {
    rd_lua_tkind kind;
    long long i;                     /* RD_LT_BOOL (0 or 1), RD_LT_INT */
    const char *s;                   /* RD_LT_STRING */
    const char *key;                 /* when this is an entry of a map */
    const struct rd_lua_tree *first; /* RD_LT_LIST, RD_LT_MAP: the entries */
    const struct rd_lua_tree *next;  /* the next entry of the same list or map */
} rd_lua_tree;

/* Trees nest at most this deep; deeper subtrees are handed over as nil. */
#define RD_LUA_TREE_DEPTH 16

/* Runs chunk `fn` like rd_lua_call, with the read-only global `name` built from `tree` (in every
 * table of it, assignment fails, `#` and pairs/ipairs work). The chunk returns nil (nothing to
 * report) or a list of integers: up to cap of them go to ids, their number to *n (more than cap
 * counts as a failure). Returns 0, or -1 with a message in err as rd_lua_call does. */
int rd_lua_call_tree(rd_lua *sb, int fn, const char *name, const rd_lua_tree *tree, long long *ids,
                     size_t cap, size_t *n, char *err, size_t errlen);

#endif
