/* A case at run time: what is known of her situation, what she consented to (and on what terms),
 * and what was done. Loaded from and saved to the YAML of language.md section 8. Internal to the
 * library; the public handle is rd_case in rightdoor.h. */
#ifndef RD_CASE_H
#define RD_CASE_H
#include "flow.h"

typedef enum rd_fact_state { RD_FV_UNSET, RD_FV_UNKNOWN, RD_FV_SET } rd_fact_state;

/* A fact's value: bool 0/1, an enum value's index, or the number. */
typedef struct rd_fact_value {
    rd_fact_state state;
    long long v;
} rd_fact_value;

typedef enum rd_consent_state { RD_CS_UNSET, RD_CS_REFUSED, RD_CS_GRANTED } rd_consent_state;

/* Her answer to a consent, as she gave it: narrowed to fewer data (except) or recipients (only),
 * limited in time (until) and possibly withdrawn. Times are seconds since 1970 (UTC); 0 is none. */
typedef struct rd_consent_value {
    rd_consent_state state;
    long long at, until, withdrawn;
    unsigned char *except; /* by data index, or NULL */
    unsigned char *only;   /* by actor index, or NULL: everyone the consent names */
    /* What the consent shared, and with whom, when she answered: she agreed to what she was told,
     * so a later text of the SOP that shares more covers no more. NULL: not recorded (a case file
     * written before these were). */
    unsigned char *agreed;    /* by data index */
    unsigned char *agreed_to; /* by actor index */
} rd_consent_value;

/* Whether she was given notice `notice` at `now` or before (an event without a time counts): the
 * one reading of "was she told" for may-share and the Cedar context. */
int rd_case_informed(const rd_case *c, const char *notice, long long now);

/* Whether her answer to consent k was given to a text that shared less, or with fewer, than the
 * SOP's consent does now: she must be asked again before the rest is covered. */
int rd_case_consent_changed(const rd_case *c, uint32_t k);

typedef enum rd_event_kind {
    RD_EV_STEP, RD_EV_INFORM, RD_EV_CHOOSE, RD_EV_REFER, RD_EV_SHARE, RD_EV_REPORT, RD_EV_PERMIT, RD_EV_TOLD
} rd_event_kind;

/* Something done: a step (name), a notice given (name), an option she chose (step, option), a
 * referral made (actor), data shared (data, actor), a report made (duty), a permit used (permit,
 * reason), she was told afterwards what a permit let go (permit). */
typedef struct rd_event {
    rd_event_kind kind;
    const char *a, *b;
    const char *data;         /* permit: the one flow it was used for is `data` to actor `b` */
    const char *by, *reason;
    long long at;
} rd_event;

struct rd_case {
    rd_program *p;
    rd_graph *g;
    rd_arena arena;
    const char *sop, *id, *language;
    const char *opened_under; /* the fingerprint of the SOP's text when the case was first saved */
    uint32_t opened_by;       /* actor index */
    const rd_decl *pathway;
    rd_fact_value *facts;     /* by fact index */
    rd_consent_value *consents; /* by consent index */
    rd_event *events;
    size_t nevents, cap;
    /* facts computed by Lua: the sandbox, each fact's chunk and its last value */
    struct rd_lua *lua;
    int *lua_fn;               /* by fact index: chunk handle + 1, 0 not loaded, -1 failed */
    rd_fact_value *lua_value;  /* by fact index */
    unsigned *lua_gen;         /* the `gen` each value was computed at */
    unsigned gen;              /* changes whenever a fact does */
    /* facts computed from a condition: the last value and the `gen` it was computed at, so a
     * chain of them read twice by each next link costs its length, not 2^length */
    rd_fact_value *derived_value; /* by fact index */
    unsigned *derived_gen;
    const char **lua_failed;   /* by fact index: why its Lua gave no value for the current facts,
                                  or NULL; no case data in it (never Lua's own message) */
};

/* The value of fact f (given, computed from a condition or by Lua): 1 and *v set when known, 0
 * when not. */
int rd_case_fact_value(const rd_case *c, const rd_decl *f, long long *v);
/* The value of fact f in case c under Kleene logic: 1 true, 0 false, -1 unknown. */
int rd_case_cond(const rd_case *c, const rd_expr *e);
/* Whether consent k is in force at time now: granted, not withdrawn, not expired. */
int rd_case_consent_active(const rd_case *c, uint32_t k, long long now);
int rd_case_add_event(rd_case *c, rd_event ev);
/* Opening hours (runtime/hours.c): whether the text says always open; whether the entry is open at
 * `now` given the directory's offset from UTC in minutes: 1 open, 0 closed, -1 the text is not in
 * a form it understands. */
int rd_always_open(const char *hours);

/* What the Lua calls of one question may spend together (rd_case_next, rd_case_explain,
 * rd_may_share and rd_cedar_write_context each start a budget), and of one whole run of a program's tests (rd_testrun): one
 * call alone may take 1,000,000 instructions and 1 s (lua_sandbox.h). */
#define RD_LUA_QUESTION_INSTRUCTIONS 4000000ul
#define RD_LUA_QUESTION_MILLISECONDS 2000ul
#define RD_LUA_TESTS_INSTRUCTIONS 20000000ul
#define RD_LUA_TESTS_MILLISECONDS 10000ul
/* Starts a Lua budget for case c (rd_lua_budget), opening its sandbox first when the program
 * computes a fact with Lua, so that the budget covers the first call too. */
void rd_case_lua_budget(rd_case *c, unsigned long instructions, unsigned long milliseconds);
/* rd_case_explain and rd_may_share inside a question or a test already begun: no new budget. */
rd_action_list *rd_case_trace(rd_case *c, long long now);
rd_decision rd_case_share(rd_case *c, const char *data, const char *from, const char *to, long long now, rd_reason *why);

/* For the test runner (runtime/testrun.c). A case with nothing known yet, on pathway pw, opened
 * by actor index `by`, in the SOP's first language; NULL when out of memory. */
rd_case *rd_case_blank(rd_program *p, const rd_decl *pw, uint32_t by);
/* rd_case_next that also marks (adds to) the graph nodes the walk visited and the edges it followed
 * (arrays of nnodes and nedges bytes, or NULL), and keeps each action's node. */
rd_action_list *rd_case_walk(rd_case *c, long long now, unsigned char *visited, unsigned char *taken);
uint32_t rd_actions_node(const rd_action_list *l, size_t i);
/* The actor a referral at node n goes to first (the top of its directory entries), or UINT32_MAX. */
uint32_t rd_case_refer_best(rd_case *c, uint32_t n, long long now);
int rd_open_at(const char *hours, long long now, int utc_offset_min);

#endif
