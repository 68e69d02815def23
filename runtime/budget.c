/* The Lua budget of a question about a case (case.h): what all the Lua calls it makes may spend
 * together. Its own file: rd_case_next, rd_may_share and the test runner all start one. */
#include "case.h"
#include "lua_sandbox.h"

void rd_case_lua_budget(rd_case *c, unsigned long instructions, unsigned long milliseconds)
{
    if (!c || !c->g->nlua) return;
    if (!c->lua) c->lua = rd_lua_open(NULL);
    rd_lua_budget(c->lua, instructions, milliseconds);
}
