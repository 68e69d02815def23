/* The .sop grammar (docs/syntax.md). Every action is one call to a builder in ast.c, which returns
 * the rule's value: a name or list, an expression, a statement or block, an item of a declaration.
 * A declaration with items is a left-recursive list seeded by its head (`actor_items: ACTOR NAME
 * STRING '{'`), so that each item is added, and checked against those before it, as soon as it is
 * parsed: a repeated item is reported in its place among the other messages, even when the
 * declaration never closes. After a syntax error the scanner skips to the next declaration
 * (rd_yylex). The rule `decls error` drops the offending token unless it already is that
 * declaration's keyword, and re-arms error reporting at once: since the scanner guarantees a fresh
 * start, bison's usual three-token silence would only hide the next real mistake. */
%require "3.8"
%define api.pure full
%define api.prefix {rd_yy}
%define api.token.prefix {RD_TOK_}
%define parse.error custom
%locations
%expect 0
%param {rd_parse_ctx *ctx}

%code requires {
#include "ast_build.h"
}

%code {
#include <string.h>
int rd_yylex(RD_YYSTYPE *v, RD_YYLTYPE *l, rd_parse_ctx *c);
static void rd_yyerror(RD_YYLTYPE *l, rd_parse_ctx *ctx, const char *msg);
#define S(l) rd_span_of(ctx, (l).first_line, (l).first_column, (l).last_line, (l).last_column)
#define R(id, l) rd_ast_ref(ctx, RD_REF_NAME, (id), S(l))
}

%union {
    const char *str;
    long long num;
    rd_ref *ref;
    rd_expr *expr;
    rd_stmt *stmt;
    rd_block *block;
    rd_option *option;
    rd_step *step;
    rd_prop *prop;
    rd_given *given;
    rd_titem *titem;
    rd_decl *decl;
    rd_item item;
    int op;
}

%token <str> NAME "a name" STRING "a quoted text"
%token <num> INT "a number"
%token SOP "`sop`" USE "`use`" DIRECTORY "`directory`" TRANSLATIONS "`translations`"
%token SECTOR "`sector`" DATA "`data`" SERVICE "`service`" FACT "`fact`" NOTICE "`notice`"
%token ACTOR "`actor`" CONSENT "`consent`" PERMIT "`permit`" DUTY "`duty`" PATHWAY "`pathway`"
%token PRINCIPLE "`principle`" WAIVE "`waive`" TEST "`test`"
%token BOOL "`bool`" INT_T "`int`" ENUM "`enum`" LUA "`lua`"
%token SPECIALIST "`specialist`" PROVIDES "`provides`" LANGUAGES "`languages`"
%token ENFORCEMENT "`enforcement`" IDENTIFYING "`identifying`" PROTECTED "`protected`"
%token REVEALS "`reveals`" SHARES "`shares`" WITH "`with`" WHEN "`when`" APPLIES "`applies`"
%token TO "`to`" REPORTS "`reports`" ENTRY "`entry`" START "`start`" STEP "`step`" BY "`by`"
%token ASK "`ask`" INFORM "`inform`" RECORD "`record`" SEEK "`seek`" GRANTED "`granted`"
%token REFUSED "`refused`" REFER "`refer`" FOR "`for`" SHARING "`sharing`" SHARE "`share`"
%token CHOOSE "`choose`" IF "`if`" ELSE "`else`" GOTO "`goto`" END "`end`"
%token NOT "`not`" AND "`and`" OR "`or`" IN "`in`" KNOWN "`known`" TRUE "`true`" FALSE "`false`"
%token NEVER "`never`" REACHES "`reaches`" EVERY "`every`" OF "`of`" REQUIRES "`requires`"
%token UNLESS "`unless`" REFUSAL "`refusal`" REPORT "`report`" TRANSLATED "`translated`"
%token SEVERITY "`severity`" AT "`at`" BECAUSE "`because`" GIVEN "`given`" GRANT "`grant`"
%token REFUSE "`refuse`" DECLINE "`decline`" EXPECT "`expect`" NO "`no`"
%token EQ "`==`" NE "`!=`" LE "`<=`" GE "`>=`"
%token DEPTH_ERROR "too deep a nesting"

%type <ref> name names names_rev data_ref datas datas_rev target targets targets_rev svc svcs svcs_rev
%type <ref> modpath pair pairs pairs_rev opt_for
%type <str> opt_label opt_text
%type <expr> expr operand opt_unless
%type <op> cmpop
%type <stmt> stmt stmts if_stmt seek_arms
%type <block> block
%type <option> options
%type <given> given givens
%type <titem> expectation
%type <decl> sop_items sector_head sector_items data_head data_items service_head service_items
%type <decl> fact_open fact_head fact_items actor_items flow_items duty_items pathway_items
%type <decl> principle_items test_items
%type <item> sop_item field sector_item data_item fact_type fact_init fact_item actor_item flow_item
%type <item> duty_item pathway_item step principle_item property test_item

%left OR
%left AND
%precedence NOT

%%

program: decls ;

decls
    : %empty
    | decls decl
    | decls error                   { if (ctx->skipping) yyclearin; yyerrok; }
    ;

decl: sop | use | directory | translations | sector | data | service | fact | notice | actor | flow
    | duty | pathway | principle | waive | test ;

name: NAME                          { $$ = R($1, @1); } ;
names: names_rev                    { $$ = rd_ast_reverse_refs($1); } ;
names_rev
    : name                          { $$ = $1; }
    | names_rev ',' name            { $$ = rd_ast_push_ref($1, $3); }
    ;
opt_label: %empty { $$ = NULL; } | STRING { $$ = $1; } ;
opt_text: %empty { $$ = NULL; } | STRING { $$ = $1; } ;

/* sop "title" { languages th, my  version "2.1" ... } */
sop: sop_items '}' ;
sop_items
    : SOP STRING '{'                { $$ = rd_ast_decl(ctx, RD_D_SOP, NULL, S(@1), S(@1), $2, S(@2)); }
    | sop_items sop_item            { $$ = rd_ast_add(ctx, $1, $2); }
    ;
sop_item
    : LANGUAGES names               { $$ = rd_ast_item(RD_I_SOP_LANGUAGES, $2, NULL); }
    | field
    ;
field: NAME STRING                  { $$ = rd_ast_field(ctx, $1, S(@1), $2, S(@2)); } ;

use: USE modpath                    { rd_ast_use(ctx, $2, S(@1)); } ;
modpath
    : name                          { $$ = $1; }
    | modpath '.' name              { $$ = rd_ast_push_ref($1, $3); }
    ;
directory: DIRECTORY STRING         { rd_ast_file_decl(ctx, RD_D_DIRECTORY, $2, S(@1), S(@2)); } ;
translations: TRANSLATIONS STRING   { rd_ast_file_decl(ctx, RD_D_TRANSLATIONS, $2, S(@1), S(@2)); } ;

sector: sector_head | sector_items '}' ;
sector_head: SECTOR NAME opt_label  { $$ = rd_ast_decl(ctx, RD_D_SECTOR, $2, S(@1), S(@2), $3, S(@3)); } ;
sector_items
    : sector_head '{'
    | sector_items sector_item      { $$ = rd_ast_add(ctx, $1, $2); }
    ;
sector_item: ENFORCEMENT            { $$ = rd_ast_item(RD_I_ENFORCEMENT, NULL, NULL); } ;

data: data_head | data_items '}' ;
data_head: DATA NAME opt_label      { $$ = rd_ast_decl(ctx, RD_D_DATA, $2, S(@1), S(@2), $3, S(@3)); } ;
data_items
    : data_head '{'
    | data_items data_item          { $$ = rd_ast_add(ctx, $1, $2); }
    ;
data_item
    : IDENTIFYING                   { $$ = rd_ast_item(RD_I_IDENTIFYING, NULL, NULL); }
    | PROTECTED                     { $$ = rd_ast_item(RD_I_PROTECTED, NULL, NULL); }
    | REVEALS names                 { $$ = rd_ast_item(RD_I_DATA_REVEALS, $2, NULL); }
    ;

service: service_head | service_items '}' ;
service_head: SERVICE NAME opt_label { $$ = rd_ast_decl(ctx, RD_D_SERVICE, $2, S(@1), S(@2), $3, S(@3)); } ;
service_items
    : service_head '{'
    | service_items field           { $$ = rd_ast_add(ctx, $1, $2); }
    ;

/* fact x: type [= derivation] ["label"] [{ reveals ... }]. Made at its head, like every
 * declaration, before anything inside it can report a mistake. */
fact: fact_head | fact_items '}' ;
fact_open: FACT NAME ':'            { $$ = rd_ast_decl(ctx, RD_D_FACT, $2, S(@1), S(@2), NULL, S(@2)); } ;
fact_head: fact_open fact_type fact_init opt_label { $$ = rd_ast_fact(ctx, $1, $2, $3, $4, S(@4)); } ;
fact_type
    : BOOL                          { $$ = rd_ast_fact_type(RD_T_BOOL, NULL); }
    | INT_T                         { $$ = rd_ast_fact_type(RD_T_INT, NULL); }
    | ENUM '{' names '}'            { $$ = rd_ast_fact_type(RD_T_ENUM, $3); }
    ;
fact_init
    : %empty                        { $$ = rd_ast_item(RD_I_NONE, NULL, NULL); }
    | '=' expr                      { $$ = rd_ast_item_expr(RD_I_FACT_DERIVED, $2); }
    | '=' LUA STRING                { $$ = rd_ast_item_text(RD_I_FACT_LUA, $3, S(@3)); }
    ;
fact_items
    : fact_head '{'
    | fact_items fact_item          { $$ = rd_ast_add(ctx, $1, $2); }
    ;
fact_item: REVEALS names            { $$ = rd_ast_item(RD_I_FACT_REVEALS, $2, NULL); } ;

notice: NOTICE NAME STRING          { rd_ast_decl(ctx, RD_D_NOTICE, $2, S(@1), S(@2), $3, S(@3)); } ;

actor: actor_items '}' ;
actor_items
    : ACTOR NAME STRING '{'         { $$ = rd_ast_decl(ctx, RD_D_ACTOR, $2, S(@1), S(@2), $3, S(@3)); }
    | actor_items actor_item        { $$ = rd_ast_add(ctx, $1, $2); }
    ;
actor_item
    : SECTOR name                   { $$ = rd_ast_item(RD_I_SECTOR, $2, NULL); }
    | SPECIALIST                    { $$ = rd_ast_item(RD_I_SPECIALIST, NULL, NULL); }
    | PROVIDES names                { $$ = rd_ast_item(RD_I_PROVIDES, $2, NULL); }
    | LANGUAGES names               { $$ = rd_ast_item(RD_I_ACTOR_LANGUAGES, $2, NULL); }
    | field
    ;

/* consent and permit */
flow: flow_items '}' ;
flow_items
    : CONSENT NAME STRING '{'       { $$ = rd_ast_decl(ctx, RD_D_CONSENT, $2, S(@1), S(@2), $3, S(@3)); }
    | PERMIT NAME STRING '{'        { $$ = rd_ast_decl(ctx, RD_D_PERMIT, $2, S(@1), S(@2), $3, S(@3)); }
    | flow_items flow_item          { $$ = rd_ast_add(ctx, $1, $2); }
    ;
flow_item
    : SHARES datas                  { $$ = rd_ast_item(RD_I_SHARES, $2, NULL); }
    | WITH targets                  { $$ = rd_ast_item(RD_I_WITH, $2, NULL); }
    | WHEN expr                     { $$ = rd_ast_item_expr(RD_I_FLOW_WHEN, $2); }
    | field
    ;

duty: duty_items '}' ;
duty_items
    : DUTY NAME STRING '{'          { $$ = rd_ast_decl(ctx, RD_D_DUTY, $2, S(@1), S(@2), $3, S(@3)); }
    | duty_items duty_item          { $$ = rd_ast_add(ctx, $1, $2); }
    ;
duty_item
    : APPLIES TO targets            { $$ = rd_ast_item(RD_I_APPLIES, $3, NULL); }
    | WHEN expr                     { $$ = rd_ast_item_expr(RD_I_DUTY_WHEN, $2); }
    | REPORTS datas TO targets      { $$ = rd_ast_item(RD_I_REPORTS, $2, $4); }
    | NOTICE name                   { $$ = rd_ast_item(RD_I_NOTICE, $2, NULL); }
    | field
    ;

pathway: pathway_items '}'          { rd_ast_pathway_end($1); } ;
pathway_items
    : PATHWAY NAME STRING '{'       { $$ = rd_ast_decl(ctx, RD_D_PATHWAY, $2, S(@1), S(@2), $3, S(@3)); }
    | pathway_items pathway_item    { $$ = rd_ast_add(ctx, $1, $2); }
    ;
pathway_item
    : ENTRY targets                 { $$ = rd_ast_item(RD_I_ENTRY, $2, NULL); }
    | START name                    { $$ = rd_ast_item(RD_I_START, $2, NULL); }
    | step
    ;
step: STEP NAME STRING BY name block { $$ = rd_ast_step(ctx, $2, S(@2), $3, $5, $6); } ;

block: '{' stmts '}'                { $$ = rd_ast_block(ctx, $2, S(@$)); } ;
stmts
    : %empty                        { $$ = NULL; }
    | stmts stmt                    { $$ = rd_ast_push_stmt($1, $2); }
    ;
stmt
    : ASK names                     { $$ = rd_ast_stmt(ctx, RD_S_ASK, S(@$), $2, NULL); }
    | INFORM name                   { $$ = rd_ast_stmt(ctx, RD_S_INFORM, S(@$), $2, NULL); }
    | RECORD datas                  { $$ = rd_ast_stmt(ctx, RD_S_RECORD, S(@$), $2, NULL); }
    | seek_arms '}'                 { $$ = $1; }
    | REFER target FOR name         { $$ = rd_ast_refer(ctx, S(@$), $2, $4, NULL); }
    | REFER target FOR name SHARING datas { $$ = rd_ast_refer(ctx, S(@$), $2, $4, $6); }
    | SHARE datas WITH targets      { $$ = rd_ast_stmt(ctx, RD_S_SHARE, S(@$), $2, $4); }
    | CHOOSE '{' options '}'        { $$ = rd_ast_choose(ctx, S(@1), $3); }
    | if_stmt                       { $$ = $1; }
    | GOTO name                     { $$ = rd_ast_stmt(ctx, RD_S_GOTO, S(@$), $2, NULL); }
    | END opt_text                  { $$ = rd_ast_end(ctx, S(@$), $2); }
    ;
seek_arms
    : SEEK name '{'                 { $$ = rd_ast_stmt(ctx, RD_S_SEEK, S(@1), $2, NULL); }
    | seek_arms GRANTED block       { $$ = rd_ast_seek_arm(ctx, $1, 1, $3, S(@2)); }
    | seek_arms REFUSED block       { $$ = rd_ast_seek_arm(ctx, $1, 0, $3, S(@2)); }
    ;
if_stmt
    : IF expr block                 { $$ = rd_ast_if(ctx, S(@1), $2, $3, NULL); }
    | IF expr block ELSE block      { $$ = rd_ast_if(ctx, S(@1), $2, $3, $5); }
    | IF expr block ELSE if_stmt    { $$ = rd_ast_if(ctx, S(@1), $2, $3, rd_ast_wrap(ctx, $5)); }
    ;
options
    : %empty                        { $$ = NULL; }
    | options NAME STRING block     { $$ = rd_ast_push_option(ctx, $1, $2, S(@2), $3, $4); }
    ;

principle: principle_items '}' ;
principle_items
    : PRINCIPLE NAME STRING '{'     { $$ = rd_ast_decl(ctx, RD_D_PRINCIPLE, $2, S(@1), S(@2), $3, S(@3)); }
    | principle_items principle_item { $$ = rd_ast_add(ctx, $1, $2); }
    ;
principle_item
    : property
    | LUA STRING                    { $$ = rd_ast_item_text(RD_I_PRINCIPLE_LUA, $2, S(@2)); }
    | SEVERITY name                 { $$ = rd_ast_item(RD_I_SEVERITY, $2, NULL); }
    | field
    ;
property
    : NEVER datas REACHES targets   { $$ = rd_ast_prop(ctx, RD_P_NEVER_REACHES, S(@$), $2, $4, NULL, NULL); }
    | NEVER RECORD datas            { $$ = rd_ast_prop(ctx, RD_P_NEVER_RECORD, S(@$), $3, NULL, NULL, NULL); }
    | EVERY SHARE OF datas REQUIRES CONSENT opt_unless
                                    { $$ = rd_ast_prop(ctx, RD_P_SHARE_CONSENT, S(@$), $4, NULL, NULL, $7); }
    | EVERY REFER TO targets REQUIRES CONSENT opt_unless
                                    { $$ = rd_ast_prop(ctx, RD_P_REFER_CONSENT, S(@$), NULL, $4, NULL, $7); }
    | EVERY REPORT REQUIRES NOTICE  { $$ = rd_ast_prop(ctx, RD_P_REPORT_NOTICE, S(@$), NULL, NULL, NULL, NULL); }
    | EVERY REFUSAL REACHES svcs    { $$ = rd_ast_prop(ctx, RD_P_REFUSAL_REACHES, S(@$), NULL, NULL, $4, NULL); }
    | EVERY ENTRY REACHES SPECIALIST { $$ = rd_ast_prop(ctx, RD_P_ENTRY_SPECIALIST, S(@$), NULL, NULL, NULL, NULL); }
    | EVERY NOTICE TRANSLATED       { $$ = rd_ast_prop(ctx, RD_P_NOTICE_TRANSLATED, S(@$), NULL, NULL, NULL, NULL); }
    ;
opt_unless: %empty { $$ = NULL; } | UNLESS expr { $$ = $2; } ;

waive: WAIVE name AT STEP pair BECAUSE STRING { rd_ast_waive(ctx, S(@1), $2, $5, $7); } ;
pair
    : name                          { $$ = $1; }
    | name '.' NAME                 { $$ = rd_ast_pair(ctx, $1, $3, S(@3)); }
    ;
pairs: pairs_rev                    { $$ = rd_ast_reverse_refs($1); } ;
pairs_rev
    : pair                          { $$ = $1; }
    | pairs_rev ',' pair            { $$ = rd_ast_push_ref($1, $3); }
    ;

test: test_items '}' ;
test_items
    : TEST STRING '{'               { $$ = rd_ast_decl(ctx, RD_D_TEST, NULL, S(@1), S(@1), $2, S(@2)); }
    | test_items test_item          { $$ = rd_ast_add(ctx, $1, $2); }
    ;
test_item
    : PATHWAY name                  { $$ = rd_ast_titem(ctx, RD_TI_PATHWAY, S(@$), $2); }
    | BY name                       { $$ = rd_ast_titem(ctx, RD_TI_BY, S(@$), $2); }
    | GIVEN givens                  { $$ = rd_ast_given(ctx, S(@$), $2); }
    | DECLINE names                 { $$ = rd_ast_titem(ctx, RD_TI_DECLINE, S(@$), $2); }
    | GRANT names                   { $$ = rd_ast_titem(ctx, RD_TI_GRANT, S(@$), $2); }
    | REFUSE names                  { $$ = rd_ast_titem(ctx, RD_TI_REFUSE, S(@$), $2); }
    | CHOOSE pairs                  { $$ = rd_ast_titem(ctx, RD_TI_CHOOSE, S(@$), $2); }
    | EXPECT expectation            { $$ = rd_ast_expect(S(@$), $2, 0); }
    | EXPECT NO expectation         { $$ = rd_ast_expect(S(@$), $3, 1); }
    ;
givens
    : given                         { $$ = $1; }
    | givens ',' given              { $$ = rd_ast_push_given($1, $3); }
    ;
given: name '=' operand             { $$ = rd_ast_given_one(ctx, $1, $3); } ;
expectation
    : STEP name                     { $$ = rd_ast_x(ctx, RD_X_STEP, $2, NULL, NULL, NULL); }
    | ASK name                      { $$ = rd_ast_x(ctx, RD_X_ASK, $2, NULL, NULL, NULL); }
    | NOTICE name                   { $$ = rd_ast_x(ctx, RD_X_NOTICE, $2, NULL, NULL, NULL); }
    | SEEK name                     { $$ = rd_ast_x(ctx, RD_X_SEEK, $2, NULL, NULL, NULL); }
    | SHARE TO targets              { $$ = rd_ast_x(ctx, RD_X_SHARE, NULL, NULL, $3, NULL); }
    | SHARE OF datas TO targets     { $$ = rd_ast_x(ctx, RD_X_SHARE, NULL, $3, $5, NULL); }
    | REFER TO targets opt_for      { $$ = rd_ast_x(ctx, RD_X_REFER, NULL, NULL, $3, $4); }
    | REPORT                        { $$ = rd_ast_x(ctx, RD_X_REPORT, NULL, NULL, NULL, NULL); }
    | REPORT name                   { $$ = rd_ast_x(ctx, RD_X_REPORT, $2, NULL, NULL, NULL); }
    | END                           { $$ = rd_ast_x(ctx, RD_X_END, NULL, NULL, NULL, NULL); }
    ;
opt_for: %empty { $$ = NULL; } | FOR name { $$ = $2; } ;

datas: datas_rev                    { $$ = rd_ast_reverse_refs($1); } ;
datas_rev
    : data_ref                      { $$ = $1; }
    | datas_rev ',' data_ref        { $$ = rd_ast_push_ref($1, $3); }
    ;
data_ref
    : name                          { $$ = $1; }
    | IDENTIFYING                   { $$ = rd_ast_ref(ctx, RD_REF_IDENTIFYING, "identifying", S(@1)); }
    | PROTECTED                     { $$ = rd_ast_ref(ctx, RD_REF_PROTECTED, "protected", S(@1)); }
    ;
targets: targets_rev                { $$ = rd_ast_reverse_refs($1); } ;
targets_rev
    : target                        { $$ = $1; }
    | targets_rev ',' target        { $$ = rd_ast_push_ref($1, $3); }
    ;
target
    : name                          { $$ = $1; }
    | SECTOR NAME                   { $$ = rd_ast_ref(ctx, RD_REF_SECTOR, $2, S(@2)); }
    ;
svcs: svcs_rev                      { $$ = rd_ast_reverse_refs($1); } ;
svcs_rev
    : svc                           { $$ = $1; }
    | svcs_rev ',' svc              { $$ = rd_ast_push_ref($1, $3); }
    ;
svc
    : name                          { $$ = $1; }
    | SPECIALIST                    { $$ = rd_ast_ref(ctx, RD_REF_SPECIALIST, "specialist", S(@1)); }
    ;

expr
    : expr OR expr                  { $$ = rd_ast_binary(ctx, RD_E_OR, $1, $3); }
    | expr AND expr                 { $$ = rd_ast_binary(ctx, RD_E_AND, $1, $3); }
    | NOT expr                      { $$ = rd_ast_not(ctx, S(@1), $2); }
    | '(' expr ')'                  { $$ = $2; }
    | KNOWN NAME                    { $$ = rd_ast_known(ctx, S(@$), $2, S(@2)); }
    | NAME IN '{' names '}'         { $$ = rd_ast_in(ctx, S(@$), $1, S(@1), $4); }
    | operand cmpop operand         { $$ = rd_ast_cmp(ctx, (rd_cmp_op)$2, $1, $3); }
    | operand                       { $$ = $1; }
    ;
operand
    : NAME                          { $$ = rd_ast_atom(ctx, RD_E_NAME, S(@1), $1, 0); }
    | INT                           { $$ = rd_ast_atom(ctx, RD_E_INT, S(@1), NULL, $1); }
    | TRUE                          { $$ = rd_ast_atom(ctx, RD_E_BOOL, S(@1), NULL, 1); }
    | FALSE                         { $$ = rd_ast_atom(ctx, RD_E_BOOL, S(@1), NULL, 0); }
    ;
cmpop
    : EQ { $$ = RD_OP_EQ; } | NE { $$ = RD_OP_NE; } | '<' { $$ = RD_OP_LT; }
    | LE { $$ = RD_OP_LE; } | '>' { $$ = RD_OP_GT; } | GE { $$ = RD_OP_GE; }
    ;

%%

static void rd_yyerror(RD_YYLTYPE *l, rd_parse_ctx *ctx, const char *msg)
{
    /* Bison calls this only for its own failures (memory exhausted by extreme nesting). */
    RD_ERROR(ctx->prog, "syntax", S(*l), "split the file into smaller declarations", "%s", msg);
    ctx->syntax_errors++;
}

static int report_syntax_error(const yypcontext_t *pc, rd_parse_ctx *ctx)
{
    yysymbol_kind_t found = yypcontext_token(pc);
    RD_YYLTYPE *l = yypcontext_location(pc);
    yysymbol_kind_t expected[YYNTOKENS];
    int n = yypcontext_expected_tokens(pc, expected, YYNTOKENS);
    if (n < 0) n = 0;
    const char *names[YYNTOKENS];
    for (int i = 0; i < n; i++) names[i] = yysymbol_name(expected[i]);
    rd_syntax_error(ctx, S(*l), (int)found, yysymbol_name(found), names, n);
    return 0;
}

static int yyreport_syntax_error(const yypcontext_t *pc, rd_parse_ctx *ctx)
{
    return report_syntax_error(pc, ctx);
}
