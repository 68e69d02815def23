/* Tree builders called from the grammar's actions: each returns the value of its rule. Each
 * allocates in the program's arena; on allocation failure it returns NULL (or an item without its
 * node) and the program's arena is marked failed, which rd_compile turns into RD_ERR_NOMEM. Every
 * builder takes NULL, so the grammar never has to test results. */
#ifndef RD_AST_BUILD_H
#define RD_AST_BUILD_H
#include "parse.h"

rd_ref  *rd_ast_ref(rd_parse_ctx *c, rd_ref_tag tag, const char *id, rd_span span);
rd_ref  *rd_ast_push_ref(rd_ref *rev, rd_ref *item);
rd_ref  *rd_ast_reverse_refs(rd_ref *rev);
rd_ref  *rd_ast_pair(rd_parse_ctx *c, rd_ref *first, const char *sub, rd_span sub_span);

/* One line inside a declaration's braces, or one part of a fact's head, as a grammar rule returns
 * it; rd_ast_add puts it in its place. The kind names the place, so that the grammar, not the
 * declaration, says where an item goes. Passed by value: an item costs no allocation. */
typedef enum rd_item_kind {
    RD_I_NONE, /* an optional part left out */
    RD_I_FIELD, RD_I_SOP_LANGUAGES, RD_I_ENFORCEMENT, RD_I_IDENTIFYING, RD_I_PROTECTED, RD_I_DATA_REVEALS,
    RD_I_FACT_TYPE, RD_I_FACT_DERIVED, RD_I_FACT_LUA, RD_I_FACT_REVEALS, RD_I_SECTOR, RD_I_SPECIALIST,
    RD_I_PROVIDES, RD_I_ACTOR_LANGUAGES, RD_I_SHARES, RD_I_WITH, RD_I_FLOW_WHEN, RD_I_APPLIES,
    RD_I_DUTY_WHEN, RD_I_REPORTS, RD_I_NOTICE, RD_I_ENTRY, RD_I_START, RD_I_STEP, RD_I_PROPERTY,
    RD_I_PRINCIPLE_LUA, RD_I_SEVERITY, RD_I_TEST
} rd_item_kind;

typedef struct rd_item {
    rd_item_kind kind;
    rd_type type;     /* RD_I_FACT_TYPE */
    const char *text; /* RD_I_FACT_LUA, RD_I_PRINCIPLE_LUA: the path */
    rd_span span;     /* of the text */
    rd_ref *refs;     /* the names; RD_I_REPORTS: the data; RD_I_FACT_TYPE: the enum values */
    rd_ref *to;       /* RD_I_REPORTS: the recipients */
    union {
        rd_expr *expr; /* a `when`, or a fact's derivation */
        rd_field *field;
        rd_step *step;
        rd_prop *prop;
        rd_titem *titem;
    } node;
} rd_item;

/* A declaration's builders: rd_ast_decl makes one from its head and appends it to the program,
 * rd_ast_add adds an item to it as soon as the item is parsed (so an item given twice is reported
 * where it stands among the other messages, even when the declaration never closes). When no
 * declaration can be made rd_ast_decl returns c->scratch, which takes the items harmlessly. */
rd_decl *rd_ast_decl(rd_parse_ctx *c, rd_decl_kind kind, const char *id, rd_span kw, rd_span id_span,
                     const char *label, rd_span label_span);
rd_decl *rd_ast_add(rd_parse_ctx *c, rd_decl *d, rd_item it);
rd_decl *rd_ast_fact(rd_parse_ctx *c, rd_decl *d, rd_item type, rd_item init, const char *label,
                     rd_span label_span);
/* At a pathway's `}`: its steps, gathered newest first, go in source order. */
void rd_ast_pathway_end(rd_decl *d);
void rd_ast_use(rd_parse_ctx *c, rd_ref *modpath_rev, rd_span kw);
void rd_ast_file_decl(rd_parse_ctx *c, rd_decl_kind kind, const char *path, rd_span kw, rd_span pspan);
void rd_ast_waive(rd_parse_ctx *c, rd_span kw, rd_ref *principle, rd_ref *step, const char *because);

rd_item rd_ast_item(rd_item_kind kind, rd_ref *refs, rd_ref *to);
rd_item rd_ast_item_expr(rd_item_kind kind, rd_expr *e);
rd_item rd_ast_item_text(rd_item_kind kind, const char *text, rd_span span);
rd_item rd_ast_fact_type(rd_type type, rd_ref *values);
rd_item rd_ast_field(rd_parse_ctx *c, const char *name, rd_span span, const char *value, rd_span vspan);
rd_item rd_ast_step(rd_parse_ctx *c, const char *id, rd_span span, const char *label, rd_ref *by,
                    rd_block *body);
rd_item rd_ast_prop(rd_parse_ctx *c, rd_prop_kind kind, rd_span span, rd_ref *data, rd_ref *targets,
                    rd_ref *services, rd_expr *unless);
rd_item rd_ast_titem(rd_parse_ctx *c, rd_titem_kind kind, rd_span span, rd_ref *names);
rd_item rd_ast_given(rd_parse_ctx *c, rd_span span, rd_given *rev);
rd_item rd_ast_expect(rd_span span, rd_titem *x, int negated);
rd_given *rd_ast_push_given(rd_given *rev, rd_given *g);
rd_given *rd_ast_given_one(rd_parse_ctx *c, rd_ref *fact, rd_expr *value);
/* An expectation's span and negation are set by rd_ast_expect. */
rd_titem *rd_ast_x(rd_parse_ctx *c, rd_expect_kind kind, rd_ref *name, rd_ref *data, rd_ref *targets,
                   rd_ref *service);

rd_block *rd_ast_block(rd_parse_ctx *c, rd_stmt *rev, rd_span span);
rd_block *rd_ast_wrap(rd_parse_ctx *c, rd_stmt *s);
rd_stmt  *rd_ast_push_stmt(rd_stmt *rev, rd_stmt *s);
rd_stmt  *rd_ast_stmt(rd_parse_ctx *c, rd_stmt_kind kind, rd_span span, rd_ref *names, rd_ref *targets);
rd_stmt  *rd_ast_refer(rd_parse_ctx *c, rd_span span, rd_ref *target, rd_ref *service, rd_ref *sharing);
rd_stmt  *rd_ast_choose(rd_parse_ctx *c, rd_span span, rd_option *rev);
rd_stmt  *rd_ast_end(rd_parse_ctx *c, rd_span span, const char *reason);
rd_stmt  *rd_ast_if(rd_parse_ctx *c, rd_span span, rd_expr *cond, rd_block *then_b, rd_block *else_b);
rd_stmt  *rd_ast_seek_arm(rd_parse_ctx *c, rd_stmt *seek, int granted, rd_block *b, rd_span kw);
rd_option *rd_ast_push_option(rd_parse_ctx *c, rd_option *rev, const char *id, rd_span span,
                              const char *label, rd_block *body);

rd_expr *rd_ast_binary(rd_parse_ctx *c, rd_expr_kind kind, rd_expr *a, rd_expr *b);
rd_expr *rd_ast_not(rd_parse_ctx *c, rd_span kw, rd_expr *a);
rd_expr *rd_ast_known(rd_parse_ctx *c, rd_span span, const char *id, rd_span id_span);
rd_expr *rd_ast_in(rd_parse_ctx *c, rd_span span, const char *id, rd_span id_span, rd_ref *set);
rd_expr *rd_ast_cmp(rd_parse_ctx *c, rd_cmp_op op, rd_expr *a, rd_expr *b);
rd_expr *rd_ast_atom(rd_parse_ctx *c, rd_expr_kind kind, rd_span span, const char *id, long long v);

/* Reports a syntax error with the friendliest message the situation allows, and starts recovery
 * (syntax.c). */
void rd_syntax_error(rd_parse_ctx *c, rd_span at, int found, const char *found_name,
                     const char *const *expected, int n_expected);

#endif
