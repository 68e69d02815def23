/* The front end's driver for one file: a scanner over a copy of its text, then either the grammar
 * (rd_parse_file) or the bare token stream (rd_lex_file, for the formatter). Here rather than in
 * lexer.l so that the scanner never calls the grammar: bison's parser calls the scanner, not back. */
#include "parse.h"
#include <stdlib.h>
#include <string.h>

/* Parses file `file`, or only scans it when `toks` is given. */
static int scan_file(rd_program *p, uint32_t file, int in_library, rd_lex_token **toks, size_t *ntoks)
{
    rd_parse_ctx c;
    memset(&c, 0, sizeof c);
    c.prog = p;
    c.file = file;
    c.in_library = in_library;
    c.line = 1;
    c.col = 1;
    if (rd_lex_init(&c) != 0) {
        p->arena.failed = 1;
        return 1;
    }
    rd_source *src = &p->sources.v[file];
    /* flex scans a copy it does not own (it writes into it; two NULs end it), so that nothing flex
     * allocated is lost when an allocation fails and the scanner's fatal error jumps back here. */
    char *volatile text = malloc(src->len + 2);
    if (!text) {
        p->arena.failed = 1;
    } else if (setjmp(c.fatal) == 0) {
        c.fatal_armed = 1;
        memcpy(text, src->text, src->len);
        text[src->len] = text[src->len + 1] = '\0';
        if (rd_lex_start(&c, text, src->len + 2) == 0) {
            if (toks) rd_lex_tokens(&c, toks, ntoks);
            else rd_yyparse(&c);
        }
    }
    c.fatal_armed = 0;
    rd_lex_finish(&c);
    free(text);
    free(c.buf);
    return c.syntax_errors;
}

int rd_parse_file(rd_program *p, uint32_t file, int in_library)
{
    return scan_file(p, file, in_library, NULL, NULL);
}

int rd_lex_file(rd_program *p, uint32_t file, rd_lex_token **toks, size_t *n)
{
    *toks = NULL;
    *n = 0;
    return scan_file(p, file, 0, toks, n);
}
