/* Between the scanner, the grammar and the tree builders. One rd_parse_ctx per file parsed. */
#ifndef RD_PARSE_H
#define RD_PARSE_H
#include "program.h"
#include <setjmp.h>

/* Blocks, parentheses and lists nested deeper than this are refused with an error, which keeps every
 * recursive pass over the tree far from the end of the C stack. */
#define RD_MAX_DEPTH 200

/* A text longer than this is refused: no notice or label comes near it (the longest in the seeds'
 * SOPs is a few hundred characters), and every later pass copies texts into messages and outputs. */
#define RD_MAX_STRING (64u * 1024u)

/* Declarations in one program, every file it uses included. The largest real SOP has a few
 * hundred; past this one the program is refused rather than left to exhaust memory. */
#define RD_MAX_DECLS 1000000u

/* More than the grammar's token count, so a syntax error can list every token it expected. */
#define RD_YYNTOKENS_MAX 128

typedef struct rd_parse_ctx {
    rd_program *prog;
    uint32_t file;
    int in_library;
    void *scanner;
    void *buffer;          /* the scanner's buffer over a copy of the file's text */
    /* position of the next character */
    uint32_t line, col;
    /* open `{` and `(`, innermost last, to say which one a missing `}` belongs to */
    rd_span open[RD_MAX_DEPTH + 1];
    int depth;
    int too_deep;          /* the depth error was reported; stay quiet until resynchronised */
    /* error recovery: skip tokens until a declaration keyword at depth 0 or column 1 */
    int skipping;
    int resync_col1;       /* resume only at a declaration keyword in column 1 */
    uint32_t quiet_line;   /* a syntax error at the resync token on this line is a known echo */
    int last_depth, last_col1; /* where the most recent token stood */
    /* string literal being scanned */
    char *buf;
    size_t blen, bcap;
    rd_span str_start;
    int last_tok;          /* the token most recently scanned: the parser's lookahead on error */
    const char *last_name; /* its text, when it was a name */
    uint32_t tok_line, tok_col;   /* where the most recent token ends */
    uint32_t prev_line, prev_col; /* where the token before it ends */
    int prev_tok, prev2_tok;      /* the two tokens before it, for messages */
    uint32_t prev2_line;          /* where the second one ends */
    const char *prev_name, *prev2_name;
    int syntax_errors;
    rd_decl scratch;       /* what rd_ast_decl returns when no declaration can be made */
    jmp_buf fatal;         /* where a flex fatal error (out of memory) returns to, in rd_parse_file:
                              flex's code after YY_FATAL_ERROR assumes it never returns */
    int fatal_armed;
} rd_parse_ctx;

static inline rd_span rd_span_of(const rd_parse_ctx *c, int fl, int fc, int ll, int lc)
{
    rd_span s = {c->file, (uint32_t)fl, (uint32_t)fc, (uint32_t)ll, (uint32_t)lc};
    return s;
}

/* Parses one file's text into declarations appended to ctx->prog. Returns the number of syntax
 * errors (reported as diagnostics). */
int rd_parse_file(rd_program *p, uint32_t file, int in_library);
/* One token as scanned, for the formatter (compiler/fmt.c). */
typedef struct rd_lex_token {
    int kind;                    /* RD_TOK_*, or the character itself for { } ( ) , . : = < > */
    uint32_t line, col;          /* its first character (for a text: the opening quote) */
    uint32_t end_line, end_col;  /* its last character, inclusive */
    const char *str;             /* a name, or a text's value with its escapes and pieces joined */
    long long num;               /* a number's value */
} rd_lex_token;

/* Scans file `file` without parsing it: *toks (malloc'd, the caller frees it, even on error)
 * receives its tokens in order, comments left out. Returns the number of lexical errors
 * (reported as diagnostics); out of memory sets p->arena.failed. */
int rd_lex_file(rd_program *p, uint32_t file, rd_lex_token **toks, size_t *n);
/* 1 when token `tok`, just scanned, starts a declaration where the parser may resume. */
int rd_lex_is_decl_start(const rd_parse_ctx *c, int tok);
/* 1 when s is a reserved word of the language (docs/syntax.md). */
int rd_lex_is_keyword(const char *s);

/* The scanner's life, for rd_parse_file and rd_lex_file (parse.c): rd_lex_init makes c->scanner
 * (0, or -1 out of memory); rd_lex_start scans `text`, `size` bytes of which the last two are NUL
 * (flex writes into it); rd_lex_tokens collects tokens instead of parsing; rd_lex_finish frees what
 * init and start made. A flex fatal error longjmps to c->fatal while c->fatal_armed. */
int  rd_lex_init(rd_parse_ctx *c);
int  rd_lex_start(rd_parse_ctx *c, char *text, size_t size);
void rd_lex_tokens(rd_parse_ctx *c, rd_lex_token **out, size_t *n);
void rd_lex_finish(rd_parse_ctx *c);
int  rd_yyparse(rd_parse_ctx *c);

#endif
