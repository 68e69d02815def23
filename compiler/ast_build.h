/* Tree builders called from the grammar's actions. Each allocates in the program's arena; on
 * allocation failure they return NULL and the program's arena is marked failed, which rd_compile
 * turns into RD_ERR_NOMEM, so the grammar never has to test results. */
#ifndef RD_AST_BUILD_H
#define RD_AST_BUILD_H
#include "parse.h"

rd_ref  *rd_ast_ref(rd_parse_ctx *c, rd_ref_tag tag, const char *id, rd_span span);
rd_ref  *rd_ast_push_ref(rd_ref *rev, rd_ref *item);
rd_ref  *rd_ast_reverse_refs(rd_ref *rev);
rd_ref  *rd_ast_pair(rd_parse_ctx *c, rd_ref *first, const char *sub, rd_span sub_span);

rd_decl *rd_ast_decl(rd_parse_ctx *c, rd_decl_kind kind, const char *id, rd_span kw, rd_span id_span,
                     const char *label, rd_span label_span);
void rd_ast_set_label(rd_parse_ctx *c, const char *label, rd_span span);
void rd_ast_field(rd_parse_ctx *c, const char *name, rd_span span, const char *value, rd_span vspan);
void rd_ast_use(rd_parse_ctx *c, rd_ref *modpath_rev, rd_span kw);
void rd_ast_file_decl(rd_parse_ctx *c, rd_decl_kind kind, const char *path, rd_span kw, rd_span pspan);
void rd_ast_set_one(rd_parse_ctx *c, rd_ref **slot, rd_ref *item, const char *what);
void rd_ast_add_list(rd_parse_ctx *c, rd_ref **slot, rd_ref *list, const char *what);
void rd_ast_set_when(rd_parse_ctx *c, rd_expr **slot, rd_expr *e);
void rd_ast_duty_reports(rd_parse_ctx *c, rd_ref *data, rd_ref *to);

void     rd_ast_add_step(rd_parse_ctx *c, rd_step *s);
rd_step *rd_ast_step(rd_parse_ctx *c, const char *id, rd_span span, const char *label, rd_ref *by,
                     rd_block *body);
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

void     rd_ast_add_prop(rd_parse_ctx *c, rd_prop *p);
rd_prop *rd_ast_prop(rd_parse_ctx *c, rd_prop_kind kind, rd_span span, rd_ref *data, rd_ref *targets,
                     rd_ref *services, rd_expr *unless);
void     rd_ast_principle_lua(rd_parse_ctx *c, const char *path, rd_span span);
void     rd_ast_waive(rd_parse_ctx *c, rd_span kw, rd_ref *principle, rd_ref *step, const char *because);

void      rd_ast_titem(rd_parse_ctx *c, rd_titem_kind kind, rd_span span, rd_ref *names);
void      rd_ast_given(rd_parse_ctx *c, rd_span span, rd_given *rev);
rd_given *rd_ast_push_given(rd_given *rev, rd_given *g);
rd_given *rd_ast_given_one(rd_parse_ctx *c, rd_ref *fact, rd_expr *value);
/* An expectation's span and negation are set by rd_ast_expect. */
rd_titem *rd_ast_x(rd_parse_ctx *c, rd_expect_kind kind, rd_ref *name, rd_ref *data, rd_ref *targets,
                   rd_ref *service);
void      rd_ast_expect(rd_parse_ctx *c, rd_span span, rd_titem *x, int negated);

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
