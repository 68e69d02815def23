/* rightdoor fmt: the one layout of a .sop file (docs/syntax.md, "Layout").
 *
 * A token-stream formatter, as gofmt is: the file is scanned by the parser's own scanner, the
 * comments are read from the gaps between its tokens, and the tokens are printed again with
 * canonical spacing and indentation. Where the author broke a line inside a declaration is kept (a
 * committee splits a long list or puts a label on a line of its own on purpose); the rules decide
 * the rest: `{` on the line of what it opens, a block of several lines has one item per line and
 * its `}` alone on a line, `} else`, one blank line around declarations of several lines, at most
 * one anywhere. A comment written between a token and the `{` or `else` pulled up to it waits for
 * the end of that line. Every decision depends on the tokens and on where the author broke lines, never on
 * the author's spacing, and every rule maps its own output to itself: formatting twice changes
 * nothing.
 *
 * A text is never split or joined differently: its pieces ("..." "..." on consecutive lines, which
 * the scanner joins) are printed as written, one per line, each under the first one's quote.
 *
 * Safety net: the output is scanned again and must give exactly the tokens of the input (kinds,
 * names, the values of texts and numbers); otherwise nothing is produced and an "fmt-internal"
 * error says so. */
#include "fmt.h"
#include "strbuf.h"
#include "parse.h"
#include "parser.h"
#include <stdlib.h>
#include <string.h>

/* ---- what the formatter knows of the grammar ------------------------------------------------- */

/* What a `{` opens decides which tokens start an item inside it. */
typedef enum block_kind {
    K_LIST, /* enum { a, b }, x in { a, b }: a list, broken where the author broke it */
    K_STMT, K_SEEK, K_CHOOSE,
    K_SOP, K_SECTOR, K_DATA, K_SERVICE, K_FACT, K_ACTOR, K_FLOW, K_DUTY, K_PATHWAY, K_PRINCIPLE, K_TEST
} block_kind;

static int is_decl_keyword(int t)
{
    switch (t) {
    case RD_TOK_SOP: case RD_TOK_USE: case RD_TOK_DIRECTORY: case RD_TOK_TRANSLATIONS:
    case RD_TOK_SECTOR: case RD_TOK_DATA: case RD_TOK_SERVICE: case RD_TOK_FACT:
    case RD_TOK_NOTICE: case RD_TOK_ACTOR: case RD_TOK_CONSENT: case RD_TOK_PERMIT:
    case RD_TOK_DUTY: case RD_TOK_PATHWAY: case RD_TOK_PRINCIPLE: case RD_TOK_WAIVE:
    case RD_TOK_TEST:
        return 1;
    default:
        return 0;
    }
}

static block_kind decl_block(int decl)
{
    switch (decl) {
    case RD_TOK_SOP: return K_SOP;
    case RD_TOK_SECTOR: return K_SECTOR;
    case RD_TOK_DATA: return K_DATA;
    case RD_TOK_SERVICE: return K_SERVICE;
    case RD_TOK_FACT: return K_FACT;
    case RD_TOK_ACTOR: return K_ACTOR;
    case RD_TOK_CONSENT: case RD_TOK_PERMIT: return K_FLOW;
    case RD_TOK_DUTY: return K_DUTY;
    case RD_TOK_PATHWAY: return K_PATHWAY;
    case RD_TOK_PRINCIPLE: return K_PRINCIPLE;
    case RD_TOK_TEST: return K_TEST;
    default: return K_LIST;
    }
}

/* Tokens that begin an item (a statement, an attribute, a field) directly inside a block of kind k
 * (docs/syntax.md, Grammar). */
static int starts_item(block_kind k, int t)
{
    switch (k) {
    case K_STMT:
        return t == RD_TOK_ASK || t == RD_TOK_INFORM || t == RD_TOK_RECORD || t == RD_TOK_SEEK ||
               t == RD_TOK_REFER || t == RD_TOK_SHARE || t == RD_TOK_CHOOSE || t == RD_TOK_IF ||
               t == RD_TOK_GOTO || t == RD_TOK_END;
    case K_SEEK: return t == RD_TOK_GRANTED || t == RD_TOK_REFUSED;
    case K_CHOOSE: case K_SERVICE: return t == RD_TOK_NAME;
    case K_SOP: return t == RD_TOK_LANGUAGES || t == RD_TOK_NAME;
    case K_SECTOR: return t == RD_TOK_ENFORCEMENT;
    case K_DATA: return t == RD_TOK_IDENTIFYING || t == RD_TOK_PROTECTED || t == RD_TOK_REVEALS;
    case K_FACT: return t == RD_TOK_REVEALS;
    case K_ACTOR:
        return t == RD_TOK_SECTOR || t == RD_TOK_SPECIALIST || t == RD_TOK_PROVIDES || t == RD_TOK_LANGUAGES ||
               t == RD_TOK_NAME;
    case K_FLOW: return t == RD_TOK_SHARES || t == RD_TOK_WITH || t == RD_TOK_WHEN || t == RD_TOK_NAME;
    case K_DUTY:
        return t == RD_TOK_APPLIES || t == RD_TOK_WHEN || t == RD_TOK_REPORTS || t == RD_TOK_NOTICE || t == RD_TOK_NAME;
    case K_PATHWAY: return t == RD_TOK_ENTRY || t == RD_TOK_START || t == RD_TOK_STEP;
    case K_PRINCIPLE:
        return t == RD_TOK_NEVER || t == RD_TOK_EVERY || t == RD_TOK_LUA || t == RD_TOK_SEVERITY || t == RD_TOK_NAME;
    case K_TEST:
        return t == RD_TOK_PATHWAY || t == RD_TOK_BY || t == RD_TOK_GIVEN || t == RD_TOK_DECLINE ||
               t == RD_TOK_GRANT || t == RD_TOK_REFUSE || t == RD_TOK_CHOOSE || t == RD_TOK_EXPECT;
    case K_LIST: return 0;
    }
    return 0;
}

/* Tokens after which an item may be complete. A keyword that always wants something after it
 * (`sector`, `notice` in a duty, `to`, `==`) is not one, so `sector health` stays one item. */
static int ends_item(int t)
{
    switch (t) {
    case RD_TOK_NAME: case RD_TOK_STRING: case RD_TOK_INT: case RD_TOK_TRUE: case RD_TOK_FALSE:
    case '}': case ')': case '{':
    case RD_TOK_SPECIALIST: case RD_TOK_ENFORCEMENT: case RD_TOK_IDENTIFYING: case RD_TOK_PROTECTED:
    case RD_TOK_TRANSLATED: case RD_TOK_REPORT: case RD_TOK_END: case RD_TOK_CONSENT:
    case RD_TOK_BOOL: case RD_TOK_INT_T:
        return 1;
    default:
        return 0;
    }
}

/* ---- the input: tokens, their bytes, and the comments between them ---------------------------- */

typedef struct comment {
    const char *text; /* from `#`, trailing blanks left out */
    size_t len;
    int trailing;     /* on the line of the token before it */
    int blank_before; /* an empty line between it and what comes before it */
} comment;

typedef struct gap {
    size_t first, n;  /* its comments: cm[first .. first + n) */
    int newline;      /* the author broke the line here */
    int blank_after;  /* an empty line between the last comment (or the token before) and the next token */
} gap;

typedef struct fmt {
    const char *src;
    size_t len;
    const rd_lex_token *t;
    size_t n;
    size_t *start, *end;   /* bytes of token i: [start, end) */
    comment *cm;
    size_t ncm;
    gap *gp;               /* gp[i]: before token i; gp[n]: after the last */
    int *level;            /* braces open around token i (a `}` counts as outside its block) */
    long *encl;            /* the innermost `{` around token i, or -1 */
    long *match;           /* for a brace, the index of its partner */
    block_kind *kind;      /* for a `{` */
    char *one_line;        /* for a `{`: the block is printed on one line */
    char *brk;             /* a line break before token i */
    long *decl_of;         /* for token i, its top-level declaration's number */
    char *decl_multi;      /* per declaration: printed on more than one line */
    size_t ndecl;
    /* output lines */
    struct line {
        size_t code, code_len, width; /* code in out[], width in code points, indentation included */
        const char *com;              /* its comment, or NULL */
        size_t com_len;
        int own;                      /* the line is only a comment, `width` columns in */
        size_t pad;                   /* spaces before the comment */
        int blank;
    } *lines;
    size_t nlines, cap_lines;
    rd_sb out;
    size_t cur;            /* where the current line's code starts in out[], or SIZE_MAX */
    const char *cur_com;
    size_t cur_com_len;
    int failed;
} fmt;

#define NO_LINE ((size_t)-1)

static size_t utf8_len(unsigned char c)
{
    return c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : 4;
}

/* Byte offsets of every token from its line and column (code points, as the scanner counts). */
static void locate(fmt *f)
{
    size_t b = 0;
    uint32_t line = 1, col = 1;
    for (size_t i = 0; i < f->n; i++) {
        for (int e = 0; e < 2; e++) {
            uint32_t tl = e ? f->t[i].end_line : f->t[i].line, tc = e ? f->t[i].end_col : f->t[i].col;
            while (b < f->len && (line < tl || (line == tl && col < tc))) {
                if (f->src[b] == '\n') {
                    line++;
                    col = 1;
                    b++;
                } else {
                    b += utf8_len((unsigned char)f->src[b]);
                    col++;
                }
            }
            if (e) f->end[i] = b < f->len ? b + utf8_len((unsigned char)f->src[b]) : f->len;
            else f->start[i] = b;
        }
    }
}

/* The comments and line breaks between two tokens: only blanks and `#` comments lie there. */
static void read_gap(fmt *f, size_t i, size_t from, size_t to)
{
    gap *g = &f->gp[i];
    g->first = f->ncm;
    int newlines = 0, any_newline = 0;
    for (size_t b = from; b < to; b++) {
        char c = f->src[b];
        if (c == '\n') {
            newlines++;
            any_newline = 1;
        } else if (c == '#') {
            size_t e = b;
            while (e < to && f->src[e] != '\n') e++;
            size_t l = e - b;
            while (l > 1 && (f->src[b + l - 1] == ' ' || f->src[b + l - 1] == '\t' || f->src[b + l - 1] == '\r')) l--;
            comment *m = &f->cm[f->ncm++];
            m->text = f->src + b;
            m->len = l;
            m->trailing = i > 0 && !any_newline;
            m->blank_before = newlines >= 2;
            newlines = 0;
            b = e - 1;
        }
    }
    g->n = f->ncm - g->first;
    g->newline = any_newline;
    g->blank_after = newlines >= 2;
}

static int kind_of(const fmt *f, long i) { return i >= 0 && (size_t)i < f->n ? f->t[i].kind : 0; }

/* `{` always goes on the line before it, and so do `else` after a `}` and whatever follows `else`. */
static int joins(const fmt *f, size_t i)
{
    if (i == 0 || i >= f->n) return 0;
    int k = f->t[i].kind, prev = f->t[i - 1].kind;
    return k == '{' || (k == RD_TOK_ELSE && prev == '}') || prev == RD_TOK_ELSE;
}

static int decl_start(const fmt *f, size_t i) { return f->level[i] == 0 && is_decl_keyword(f->t[i].kind); }

/* Token i begins an item of the block around it. */
static int new_item(const fmt *f, size_t i)
{
    if (f->encl[i] < 0) return decl_start(f, i);
    if (i == 0) return 1;
    if (f->t[i - 1].kind == '{') return 1;
    return starts_item(f->kind[f->encl[i]], f->t[i].kind) && ends_item(f->t[i - 1].kind);
}

static int line_indent(const fmt *f, size_t i)
{
    int base = RD_FMT_INDENT * f->level[i];
    if (f->t[i].kind == '}') return base;
    if (f->encl[i] >= 0 && f->kind[f->encl[i]] == K_LIST) return base;
    return new_item(f, i) ? base : base + RD_FMT_INDENT;
}

/* An own-line comment takes the indentation of the code after it; before a `}`, of the block's
 * inside. */
static int comment_indent(const fmt *f, size_t i)
{
    if (i >= f->n) return 0;
    if (f->t[i].kind == '}') return RD_FMT_INDENT * (f->level[i] + 1);
    return line_indent(f, i);
}

static void analyse(fmt *f)
{
    long *stack = malloc((f->n + 1) * sizeof *stack);
    if (!stack) {
        f->failed = 1;
        return;
    }
    size_t depth = 0;
    int decl = 0;
    for (size_t i = 0; i < f->n; i++) {
        int k = f->t[i].kind;
        f->match[i] = -1;
        if (k == '}' && depth > 0) {
            depth--;
            f->match[i] = stack[depth];
            f->match[stack[depth]] = (long)i;
        }
        f->level[i] = (int)depth;
        f->encl[i] = depth ? stack[depth - 1] : -1;
        if (depth == 0 && is_decl_keyword(k)) decl = k;
        if (k == '{') {
            int prev = kind_of(f, (long)i - 1);
            f->kind[i] = prev == RD_TOK_ENUM || prev == RD_TOK_IN ? K_LIST
                       : depth == 0                              ? decl_block(decl)
                       : prev == RD_TOK_CHOOSE                   ? K_CHOOSE
                       : kind_of(f, (long)i - 2) == RD_TOK_SEEK  ? K_SEEK
                                                                 : K_STMT;
            stack[depth++] = (long)i;
        }
    }
    free(stack);

    for (size_t i = 0; i < f->n; i++) {
        if (f->t[i].kind != '{') continue;
        long j = f->match[i];
        f->one_line[i] = 0;
        if (j < 0) continue;
        int comments = 0;
        for (long k = (long)i + 1; k <= j; k++) comments |= f->gp[k].n > 0;
        f->one_line[i] = !comments && (f->t[j].line == f->t[i].line || j == (long)i + 1);
    }

    for (size_t i = 1; i < f->n; i++) {
        int k = f->t[i].kind, prev = f->t[i - 1].kind;
        if (joins(f, i) || (prev == '{' && k == '}' && f->one_line[i - 1])) {
            f->brk[i] = 0;
            continue;
        }
        int forced = (prev == '{' && !f->one_line[i - 1]) || (k == '}' && f->match[i] >= 0 && !f->one_line[f->match[i]]) ||
                     decl_start(f, i) || (f->encl[i] >= 0 && !f->one_line[f->encl[i]] && new_item(f, i));
        f->brk[i] = forced || f->gp[i].newline || f->gp[i].n > 0;
    }

    /* Which declarations take several lines: they get a blank line on each side. */
    long d = -1;
    for (size_t i = 0; i < f->n; i++) {
        if (i == 0 || decl_start(f, i)) d++;
        f->decl_of[i] = d;
    }
    f->ndecl = (size_t)(d + 1);
    for (size_t i = 0; i < f->n; i++) {
        int multi = i > 0 && f->decl_of[i - 1] == f->decl_of[i] && f->brk[i];
        if (f->t[i].kind == RD_TOK_STRING && f->t[i].end_line != f->t[i].line) multi = 1;
        if (multi) f->decl_multi[f->decl_of[i]] = 1;
    }
}

/* ---- output ----------------------------------------------------------------------------------- */

static void put(fmt *f, const char *s, size_t n)
{
    rd_sb_putn(&f->out, s, n);
    f->failed |= f->out.failed;
}

static struct line *push_line(fmt *f)
{
    if (f->nlines == f->cap_lines) {
        size_t cap = f->cap_lines ? f->cap_lines * 2 : 256;
        struct line *l = realloc(f->lines, cap * sizeof *l);
        if (!l) {
            f->failed = 1;
            return NULL;
        }
        f->lines = l;
        f->cap_lines = cap;
    }
    struct line *l = &f->lines[f->nlines++];
    memset(l, 0, sizeof *l);
    return l;
}

static void line_start(fmt *f, int indent)
{
    f->cur = f->out.n;
    for (int k = 0; k < indent; k++) put(f, " ", 1);
}

static size_t width(const char *s, size_t n)
{
    size_t w = 0;
    for (size_t i = 0; i < n; i++) w += ((unsigned char)s[i] & 0xC0) != 0x80;
    return w;
}

static void line_end(fmt *f)
{
    if (f->cur == NO_LINE) return;
    struct line *l = push_line(f);
    if (l) {
        l->code = f->cur;
        l->code_len = f->out.n - f->cur;
        while (l->code_len && f->out.s[l->code + l->code_len - 1] == ' ') l->code_len--;
        l->width = width(f->out.s + l->code, l->code_len);
        l->com = f->cur_com;
        l->com_len = f->cur_com ? f->cur_com_len : 0;
    }
    f->cur = NO_LINE;
    f->cur_com = NULL;
    f->cur_com_len = 0;
}

static void blank(fmt *f)
{
    if (!f->nlines || f->lines[f->nlines - 1].blank) return;
    struct line *l = push_line(f);
    if (l) l->blank = 1;
}

static void own_comment(fmt *f, int indent, const comment *c)
{
    struct line *l = push_line(f);
    if (!l) return;
    l->own = 1;
    l->width = (size_t)indent;
    l->com = c->text;
    l->com_len = c->len;
}

/* Between two tokens on one line: none before , . : ) and after ( . ; one space elsewhere. */
static void space(fmt *f, size_t i)
{
    int k = f->t[i].kind, prev = f->t[i - 1].kind;
    if (k == ',' || k == '.' || k == ':' || k == ')' || prev == '.' || prev == '(') return;
    put(f, " ", 1);
}

/* The column (in code points, from 1) of byte b of the source. */
static size_t src_col(const fmt *f, size_t b)
{
    size_t s = b;
    while (s > 0 && f->src[s - 1] != '\n') s--;
    return width(f->src + s, b - s) + 1;
}

/* A text as written: its pieces one per line, with the comment the author put after a piece. The
 * pieces after the first stand under the first one's quote when the author put them there, else
 * one indentation step in from the line the text starts on. */
static void put_string(fmt *f, size_t i)
{
    const char *s = f->src;
    size_t b = f->start[i], e = f->end[i];
    size_t col = width(f->out.s + f->cur, f->out.n - f->cur), indent = 0;
    while (f->cur + indent < f->out.n && f->out.s[f->cur + indent] == ' ') indent++;
    if (col != indent) {
        /* the second piece: past the first one's closing quote, then the next quote */
        size_t q = b + 1;
        while (q < e && s[q] != '"') q += s[q] == '\\' ? 2 : 1;
        for (q++; q < e && s[q] != '"'; q++)
            if (s[q] == '#') while (q < e && s[q] != '\n') q++;
        if (q < e && src_col(f, q) != f->t[i].col) col = indent + RD_FMT_INDENT;
    }
    int first = 1;
    while (b < e) {
        size_t p = b + 1; /* past the opening quote */
        size_t stop = e;
        while (p < e) {
            if (s[p] == '\\') {
                p += 2;
            } else if (s[p] == '"') {
                stop = p + 1;
                break;
            } else {
                p++;
            }
        }
        if (stop > e) stop = e;
        if (!first) {
            line_end(f);
            line_start(f, (int)col);
        }
        put(f, s + b, stop - b);
        first = 0;
        /* between pieces: blanks, perhaps a comment, a line break, blanks */
        b = stop;
        while (b < e && s[b] != '"') {
            if (s[b] == '#') {
                size_t c = b;
                while (c < e && s[c] != '\n') c++;
                size_t l = c - b;
                while (l > 1 && (s[b + l - 1] == ' ' || s[b + l - 1] == '\t' || s[b + l - 1] == '\r')) l--;
                f->cur_com = s + b;
                f->cur_com_len = l;
                b = c;
            } else {
                b++;
            }
        }
    }
}

static void put_token(fmt *f, size_t i)
{
    if (f->t[i].kind == RD_TOK_STRING) put_string(f, i);
    else put(f, f->src + f->start[i], f->end[i] - f->start[i]);
}

/* The gap before token i (i == n: after the last token), with the comments carried into it. */
static void put_gap(fmt *f, size_t i, comment **pend, size_t *npend)
{
    gap *g = &f->gp[i];
    for (size_t k = 0; k < g->n; k++) pend[(*npend)++] = &f->cm[g->first + k];
    /* Comments before a joined `{` or `else` wait for the end of that line. */
    if (i > 0 && i < f->n && !f->brk[i]) {
        space(f, i);
        return;
    }
    size_t k = 0;
    if (*npend && pend[0]->trailing && f->cur != NO_LINE) {
        f->cur_com = pend[0]->text;
        f->cur_com_len = pend[0]->len;
        k = 1;
    }
    line_end(f);
    int block_start = i > 0 && i < f->n && f->t[i - 1].kind == '{';
    int before_close = i < f->n && f->t[i].kind == '}';
    if (i > 0 && i < f->n && decl_start(f, i)) {
        long d = f->decl_of[i];
        int any_blank = g->blank_after;
        for (size_t m = k; m < *npend; m++) any_blank |= pend[m]->blank_before;
        if (!any_blank && (f->decl_multi[d] || f->decl_multi[d - 1])) blank(f);
    }
    int ci = comment_indent(f, i);
    for (size_t m = k; m < *npend; m++) {
        if (pend[m]->blank_before && !(block_start && m == k)) blank(f);
        own_comment(f, ci, pend[m]);
    }
    int had_comments = *npend > k;
    *npend = 0;
    if (i >= f->n) return;
    if (g->blank_after && !before_close && (!block_start || had_comments) && f->nlines) blank(f);
    line_start(f, line_indent(f, i));
}

/* Trailing comments of consecutive lines line up, two spaces past the longest of their code. */
static void write_lines(fmt *f, char **text, size_t *len)
{
    size_t n = f->nlines;
    while (n && f->lines[n - 1].blank) n--;
    size_t total = 0;
    for (size_t i = 0; i < n;) {
        size_t run = i, col = 0;
        while (run < n && !f->lines[run].blank && !f->lines[run].own && f->lines[run].com) {
            if (f->lines[run].width > col) col = f->lines[run].width;
            run++;
        }
        if (run == i) run = i + 1;
        for (; i < run; i++) {
            struct line *l = &f->lines[i];
            l->pad = l->com && !l->own ? col + 2 - l->width : l->own ? l->width : 0;
            total += l->code_len + l->pad + l->com_len + 1;
        }
    }
    char *o = malloc(total + 1);
    if (!o) {
        f->failed = 1;
        return;
    }
    size_t w = 0;
    for (size_t i = 0; i < n; i++) {
        const struct line *l = &f->lines[i];
        if (l->code_len) memcpy(o + w, f->out.s + l->code, l->code_len);
        w += l->code_len;
        memset(o + w, ' ', l->pad);
        w += l->pad;
        if (l->com) memcpy(o + w, l->com, l->com_len);
        w += l->com_len;
        o[w++] = '\n';
    }
    o[w] = '\0';
    *text = o;
    *len = w;
}

static int same_tokens(const rd_lex_token *a, size_t na, const rd_lex_token *b, size_t nb)
{
    if (na != nb) return 0;
    for (size_t i = 0; i < na; i++) {
        if (a[i].kind != b[i].kind || a[i].num != b[i].num) return 0;
        if ((a[i].str == NULL) != (b[i].str == NULL)) return 0;
        if (a[i].str && strcmp(a[i].str, b[i].str) != 0) return 0;
    }
    return 1;
}

static int layout(fmt *f, char **text, size_t *len)
{
    size_t n = f->n;
    f->start = calloc(n + 1, sizeof *f->start);
    f->end = calloc(n + 1, sizeof *f->end);
    f->gp = calloc(n + 1, sizeof *f->gp);
    f->level = calloc(n + 1, sizeof *f->level);
    f->encl = calloc(n + 1, sizeof *f->encl);
    f->match = calloc(n + 1, sizeof *f->match);
    f->kind = calloc(n + 1, sizeof *f->kind);
    f->one_line = calloc(n + 1, 1);
    f->brk = calloc(n + 1, 1);
    f->decl_of = calloc(n + 1, sizeof *f->decl_of);
    f->decl_multi = calloc(n + 1, 1);
    /* a comment takes at least two bytes ("#" and its line break) except the last */
    f->cm = calloc(f->len / 2 + 2, sizeof *f->cm);
    comment **pend = calloc(f->len / 2 + 2, sizeof *pend);
    if (!f->start || !f->end || !f->gp || !f->level || !f->encl || !f->match || !f->kind || !f->one_line ||
        !f->brk || !f->decl_of || !f->decl_multi || !f->cm || !pend) {
        free(pend);
        return -1;
    }
    locate(f);
    for (size_t i = 0; i <= n; i++)
        read_gap(f, i, i ? f->end[i - 1] : 0, i < n ? f->start[i] : f->len);
    analyse(f);
    f->cur = NO_LINE;
    size_t npend = 0;
    /* the comments before the first token: the file's header */
    gap *g0 = &f->gp[0];
    for (size_t k = 0; k < g0->n; k++) {
        if (k && f->cm[g0->first + k].blank_before) blank(f);
        own_comment(f, 0, &f->cm[g0->first + k]);
    }
    if (n && g0->n && g0->blank_after) blank(f);
    if (n) line_start(f, 0);
    for (size_t i = 0; i < n && !f->failed; i++) {
        if (i) put_gap(f, i, pend, &npend);
        put_token(f, i);
    }
    if (n) put_gap(f, n, pend, &npend);
    free(pend);
    if (f->failed) return -1;
    write_lines(f, text, len);
    return f->failed ? -1 : 0;
}

static void fmt_free(fmt *f)
{
    free(f->start);
    free(f->end);
    free(f->gp);
    free(f->level);
    free(f->encl);
    free(f->match);
    free(f->kind);
    free(f->one_line);
    free(f->brk);
    free(f->decl_of);
    free(f->decl_multi);
    free(f->cm);
    free(f->lines);
    free(f->out.s);
}

rd_status rd_fmt_text(const char *name, const char *text, size_t len, char **out, size_t *out_len,
                         rd_diagnostics **diags)
{
    *out = NULL;
    *out_len = 0;
    if (diags) *diags = NULL;
    rd_program *p = rd_program_new();
    if (!p) return RD_ERR_NOMEM;
    rd_diagnostics *dg = p->diags;
    rd_lex_token *toks = NULL, *again = NULL;
    size_t ntoks = 0, nagain = 0;
    uint32_t file;
    if (rd_sources_add_text(&p->sources, name, text, len, &file) != 0) {
        p->arena.failed = 1;
    } else if (rd_check_text(p, file) == 0 && rd_parse_file(p, file, 0) == 0 && !p->arena.failed && dg->counts[RD_SEV_ERROR] == 0) {
        /* Only a file that reads without errors is laid out: a mistake could make its tokens
         * mean something else than the author meant, and the layout would hide it. */
        rd_lex_file(p, file, &toks, &ntoks);
        fmt f;
        memset(&f, 0, sizeof f);
        f.src = p->sources.v[file].text;
        f.len = len;
        f.t = toks;
        f.n = ntoks;
        char *res = NULL;
        size_t rlen = 0;
        if (!p->arena.failed && layout(&f, &res, &rlen) != 0) p->arena.failed = 1;
        fmt_free(&f);
        uint32_t again_file;
        if (res && !p->arena.failed) {
            if (rd_sources_add_text(&p->sources, name, res, rlen, &again_file) != 0) {
                p->arena.failed = 1;
            } else {
                /* the output's own lexical errors would point at lines the user never wrote */
                rd_diagnostics *quiet = rd_diagnostics_new();
                if (!quiet) p->arena.failed = 1;
                p->diags = quiet;
                int lex_errors = quiet ? rd_lex_file(p, again_file, &again, &nagain) : 0;
                p->diags = dg;
                rd_diagnostics_free(quiet);
                if (!p->arena.failed && (lex_errors || !same_tokens(toks, ntoks, again, nagain))) {
                    rd_diag_file(dg, RD_SEV_ERROR, "fmt-internal", name,
                                 "this is a mistake in rightdoor fmt, not in the file: please report it with the file",
                                 "the new layout would change what this file says, so it was not written");
                    free(res);
                    res = NULL;
                }
            }
        }
        if (p->arena.failed) {
            free(res);
            res = NULL;
        }
        *out = res;
        *out_len = res ? rlen : 0;
    }
    free(toks);
    free(again);
    if (p->arena.failed) rd_diag_set_status(dg, RD_ERR_NOMEM);
    rd_status st = rd_diagnostics_status(dg);
    if (st == RD_OK && !*out) st = RD_ERR_NOMEM;
    p->diags = NULL;
    rd_program_free(p);
    if (diags) *diags = dg;
    else rd_diagnostics_free(dg);
    return st;
}
