/* Syntax-error messages: from what bison expected, what was found and the tokens before it, the
 * friendliest message the situation allows, and where the parser resumes (rd_yyerror calls it). */
#include "ast_build.h"
#include "parser.h"
#include <stdio.h>
#include <string.h>

/* Token names come from the grammar's aliases ("`sop`", "a name"); bison wraps them in quotes. */
static const char *display(rd_parse_ctx *c, const char *sym)
{
    size_t n = strlen(sym);
    const char *shown = sym;
    if (n >= 2 && sym[0] == '"' && sym[n - 1] == '"') shown = rd_arena_strndup(&c->prog->arena, sym + 1, n - 2);
    else if (n == 3 && sym[0] == '\'') shown = rd_arena_printf(&c->prog->arena, "`%c`", sym[1]);
    return shown ? shown : sym; /* out of memory: bison's own spelling */
}

/* "`report`" -> 1 when the word between the backquotes is reserved. */
static int is_keyword_name(const char *shown)
{
    char word[32];
    size_t n = strlen(shown);
    if (n < 3 || n - 2 >= sizeof word || shown[0] != '`') return 0;
    memcpy(word, shown + 1, n - 2);
    word[n - 2] = '\0';
    return rd_lex_is_keyword(word);
}

static int has(const char *const *names, int n, const char *want)
{
    for (int i = 0; i < n; i++)
        if (strcmp(names[i], want) == 0) return 1;
    return 0;
}

static const char *token_word(int tok)
{
    switch (tok) {
    case RD_TOK_STEP: return "step";
    case RD_TOK_NOTICE: return "notice";
    case RD_TOK_DATA: return "data";
    case RD_TOK_ACTOR: return "actor";
    case RD_TOK_FACT: return "fact";
    case RD_TOK_SERVICE: return "service";
    case RD_TOK_SECTOR: return "sector";
    case RD_TOK_CONSENT: return "consent";
    case RD_TOK_PERMIT: return "permit";
    case RD_TOK_DUTY: return "duty";
    case RD_TOK_PATHWAY: return "pathway";
    case RD_TOK_PRINCIPLE: return "principle";
    default: return NULL;
    }
}

/* The help for a syntax error, from what was expected, what was found and what came before. */
static const char *syntax_help(rd_parse_ctx *c, int tok, const char *const *exp, int n)
{
    rd_arena *a = &c->prog->arena;
    int want_text = has(exp, n, "a quoted text");
    if (tok == '=' && (has(exp, n, "`==`") || has(exp, n, "`and`") || has(exp, n, "`{`")))
        return "to compare, write `==`; to test a yes/no fact, write it alone (`if safe_now`) or with `not`";
    if (tok == '=' && token_word(c->prev_tok))
        return rd_arena_printf(a, "remove the `=`: the name follows `%s` directly", token_word(c->prev_tok));
    if (tok == '.') return "remove the `.`: a statement ends at the end of its line";
    if (tok == '}' && c->prev_tok == ',') return "remove the `,` at the end of the list";
    if (has(exp, n, "`by`")) return "say who does the step: `by provider` (whoever has the case) or `by <actor>`";
    if (has(exp, n, "`for`") && c->prev2_tok == RD_TOK_REFER)
        return "say which service: `refer <actor> for <service>`";
    if (has(exp, n, "`:`")) return "a fact needs a type: `fact name: bool \"...\"`, `: int` or `: enum { a, b }`";
    if (c->prev2_tok == RD_TOK_SEEK && has(exp, n, "`{`"))
        return "write both outcomes: `seek <consent> { granted { ... } refused { ... } }`";
    if (c->prev_tok == RD_TOK_ELSE && tok == RD_TOK_NAME)
        return "to test another condition write `else if <condition> { ... }`";
    if (c->prev_tok == RD_TOK_IF && tok == '{') return "write the condition before `{`, as in `if safe_now { ... }`";
    if (has(exp, n, "`{`") && has(exp, n, "`and`"))
        return "put what happens in braces: `if <condition> { ... }`";
    if (want_text && c->prev_tok == RD_TOK_NAME) {
        /* `provides forensic_exam pep` or `shares name location with`: a list without commas reads
         * as a `field "text"` line. */
        static const char *const fields[] = {"hours", "contact", "location", "address", "email", "website", "notes",
                                             "purpose", "source", "help", "version", "locality", "effective", "review",
                                             "scope", "window", "description"};
        const char *pn = c->prev_name;
        /* A list item just before, on the same line: a missing comma, not a field. */
        int in_list = (c->prev2_tok == RD_TOK_NAME || c->prev2_tok == ',') && c->prev2_line == c->prev_line;
        if (in_list && tok == RD_TOK_NAME && c->last_name && pn)
            return rd_arena_printf(a, "if this is a list, separate its items with commas: `%s, %s`", pn, c->last_name);
        if (in_list && c->prev2_tok == RD_TOK_NAME && c->prev2_name && pn)
            return rd_arena_printf(a, "if this is a list, separate its items with commas: `%s, %s`", c->prev2_name, pn);
        for (size_t i = 0; pn && i < sizeof fields / sizeof *fields; i++)
            if (strcmp(pn, fields[i]) == 0) return rd_arena_printf(a, "`%s` takes text in quotes: `%s \"...\"`", pn, pn);
        if (tok == RD_TOK_NAME && c->last_name && pn)
            return rd_arena_printf(a, "if this is a list, separate its items with commas: `%s, %s`", pn, c->last_name);
        if (tok == '{') return "add the label in quotes after the name, as in `actor clinic \"City Clinic\" {`";
    }
    if (want_text && tok == '{') return "add the label in quotes before `{`, as in `actor clinic \"City Clinic\" {`";
    return NULL;
}

void rd_syntax_error(rd_parse_ctx *c, rd_span at, int found, const char *found_name,
                         const char *const *expected, int n_expected)
{
    (void)found;
    rd_program *p = c->prog;
    int tok = c->last_tok;
    c->syntax_errors++;
    /* After a declaration keyword at the top level, the parser resumes right there. */
    int decl_start = tok != RD_TOK_YYEOF && rd_lex_is_decl_start(c, tok);
    c->skipping = tok != RD_TOK_YYEOF && !decl_start;
    if (tok == RD_TOK_DEPTH_ERROR) return;
    /* Out of memory: the scanner stopped early (rd_yylex), so this is only its echo. */
    if (p->arena.failed) return;
    if (c->quiet_line && c->last_col1 && c->tok_line == c->quiet_line) {
        c->quiet_line = 0;
        return;
    }
    /* The file ended while skipping what an unclosed text swallowed: already reported. */
    if (tok == RD_TOK_YYEOF && c->resync_col1) return;

    const char *shown = display(c, found_name);
    const char *shown_exp[RD_YYNTOKENS_MAX];
    if (n_expected > RD_YYNTOKENS_MAX) n_expected = RD_YYNTOKENS_MAX;
    for (int i = 0; i < n_expected; i++) shown_exp[i] = display(c, expected[i]);
    int want_name = has(shown_exp, n_expected, "a name");
    int want_close = has(shown_exp, n_expected, "`}`");
    int want_decl = has(shown_exp, n_expected, "`sop`");
    if (tok == RD_TOK_NAME && c->last_name) shown = rd_arena_printf(&p->arena, "`%s`", c->last_name);
    else if (tok == RD_TOK_YYEOF) shown = "the end of the file";

    /* When the next declaration (or the end) is what was found, something is missing before it:
     * point right after the last token, where it belongs. Otherwise the found token is the mistake. */
    if ((decl_start && c->last_col1) || tok == RD_TOK_YYEOF) {
        if (c->prev_line && c->prev_line < at.line) {
            at.line = at.end_line = c->prev_line;
            at.col = at.end_col = c->prev_col + 1;
        }
    }

    if (want_name && tok != RD_TOK_YYEOF && is_keyword_name(shown)) {
        char word[64];
        size_t n = strlen(shown);
        snprintf(word, sizeof word, "%.*s", (int)(n - 2), shown + 1);
        const char *kind = token_word(c->prev_tok);
        char *help = kind ? rd_arena_printf(&p->arena, "choose another name, such as `%s_%s`", word, kind)
                          : rd_arena_printf(&p->arena, "choose another name, such as `%s_1`", word);
        RD_ERROR(p, "reserved-word", at, help, "%s is a reserved word, so it cannot be used as a name here", shown);
        return;
    }
    if (tok == RD_TOK_YYEOF && want_close && c->depth > 0) {
        rd_span open = c->open[c->depth - 1];
        rd_diagnostic *g = RD_ERROR(p, "syntax", open, "add a `}` to close it",
                                    "this `{` is never closed: the file ends first");
        rd_diag_note(p->diags, &p->sources, g, at, "the file ends here");
        return;
    }
    if (want_decl) {
        const char *help = "every declaration starts with a keyword: sop, use, actor, consent, permit, duty, "
                           "pathway, principle, sector, data, service, fact, notice or test";
        if (tok == RD_TOK_NAME && c->last_name) {
            static const char *const kws[] = {"sop", "use", "directory", "translations", "sector", "data",
                                              "service", "fact", "notice", "actor", "consent", "permit",
                                              "duty", "pathway", "principle", "waive", "test"};
            const char *m = rd_did_you_mean(c->last_name, kws, sizeof kws / sizeof kws[0]);
            if (m) help = rd_arena_printf(&p->arena, "did you mean `%s`?", m);
        }
        if (tok == '}')
            help = "this `}` closes nothing: remove it, or look above for a `}` that closes a block too early";
        else if (tok != RD_TOK_NAME && tok != RD_TOK_YYEOF && is_keyword_name(shown))
            help = rd_arena_printf(&p->arena, "%s belongs inside a block; look above for a `}` that closes it too early", shown);
        RD_ERROR(p, "syntax", at, help, "expected a declaration, found %s", shown);
        return;
    }
    const char *help = syntax_help(c, tok, shown_exp, n_expected);
    if (n_expected <= 0 || n_expected > 6) {
        RD_ERROR(p, "syntax", at, help, "%s was not expected here", shown);
        return;
    }
    char list[512];
    size_t off = 0;
    for (int i = 0; i < n_expected; i++) {
        const char *sep = i == 0 ? "" : i == n_expected - 1 ? " or " : ", ";
        int w = snprintf(list + off, sizeof list - off, "%s%s", sep, shown_exp[i]);
        if (w < 0 || (size_t)w >= sizeof list - off) break;
        off += (size_t)w;
    }
    if (!help && want_close && tok != RD_TOK_YYEOF && c->depth > 0)
        help = rd_arena_printf(&p->arena, "the block opened at line %u may be missing its `}`",
                               c->open[c->depth - 1].line);
    RD_ERROR(p, "syntax", at, help, "expected %s, found %s", list, shown);
}
