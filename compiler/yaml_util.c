/* YAML with positions (yaml_util.h). */
#include "yaml_util.h"
#include "parse.h"
#include "check.h"
#include "map.h"
#include <stdarg.h>
#include <string.h>

rd_span rd_y_span(const ydoc *y, const yaml_node_t *n)
{
    rd_span s = {y->file, (uint32_t)n->start_mark.line + 1, (uint32_t)n->start_mark.column + 1, 0, 0};
    s.end_line = (uint32_t)n->end_mark.line + 1;
    s.end_col = n->end_mark.column ? (uint32_t)n->end_mark.column : s.col;
    if (s.end_line != s.line) {
        s.end_line = s.line;
        s.end_col = s.col;
    }
    return s;
}

static const char *type_word(const yaml_node_t *n)
{
    switch (n->type) {
    case YAML_SCALAR_NODE: return "a single value";
    case YAML_SEQUENCE_NODE: return "a list";
    case YAML_MAPPING_NODE: return "a set of `key: value` lines";
    default: return "nothing";
    }
}

int rd_y_expect(ydoc *y, yaml_node_t *n, yaml_node_type_t t, const char *what)
{
    if (n && n->type == t) return 0;
    static const char *const want[] = {"", "a single value", "a list", "a set of `key: value` lines"};
    const char *help = t == YAML_SEQUENCE_NODE ? "write a list as [a, b] or as lines starting with `- `"
                     : t == YAML_MAPPING_NODE ? "write `key: value` lines indented under it" : NULL;
    rd_y_error(y, n, "yaml-type", help, "%s should be %s, not %s", what, want[t], type_word(n));
    return -1;
}

const char *rd_y_scalar(ydoc *y, yaml_node_t *n, const char *what)
{
    if (rd_y_expect(y, n, YAML_SCALAR_NODE, what) != 0) return NULL;
    /* A "\0" escape would cut the text short here while another YAML reader sees all of it:
     * `police_referral\0_refused` must not be read as `police_referral`. */
    if (memchr(n->data.scalar.value, 0, n->data.scalar.length)) {
        rd_y_error(y, n, "bad-text", "remove the \\0 (NUL) from the value", "%s holds a NUL character", what);
        return NULL;
    }
    /* YAML's escapes (\\e, \\x1b, \\u009b) make the control characters the file itself may not hold */
    uint32_t line, col;
    if (rd_utf8_check((const char *)n->data.scalar.value, n->data.scalar.length, &line, &col) == -2 ||
        memchr(n->data.scalar.value, '\r', n->data.scalar.length)) {
        rd_y_error(y, n, "control-character", "remove the escape: a text needs no control character but tab and new line",
                   "%s holds a control character (such as ESC or a direction override)", what);
        return NULL;
    }
    return rd_arena_strndup(y->arena, (const char *)n->data.scalar.value, n->data.scalar.length);
}

int rd_y_boolean(ydoc *y, yaml_node_t *n, const char *what, int *out)
{
    const char *s = rd_y_scalar(y, n, what);
    if (!s) return -1;
    if (!strcmp(s, "true") || !strcmp(s, "yes")) *out = 1;
    else if (!strcmp(s, "false") || !strcmp(s, "no")) *out = 0;
    else {
        rd_y_error(y, n, "yaml-type", "write `true` or `false`", "%s should be true or false", what);
        return -1;
    }
    return 0;
}

static int is_name(const char *s)
{
    if (!s || !*s || !((*s >= 'a' && *s <= 'z') || *s == '_')) return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_')) return 0;
    return 1;
}

/* A name from YAML, held to the same rules as in .sop text. */
const char *rd_y_name(ydoc *y, yaml_node_t *n, const char *what)
{
    const char *s = rd_y_scalar(y, n, what);
    if (!s) return NULL;
    if (!is_name(s) || rd_lex_is_keyword(s)) {
        if (y->private_)
            rd_y_error(y, n, "bad-name", "use lower case letters, digits and _ , not a reserved word",
                       "this value cannot be used as a name");
        else
            rd_y_error(y, n, "bad-name", "use lower case letters, digits and _ , not a reserved word",
                       "`%s` cannot be used as a name", s);
        return NULL;
    }
    /* A case's names are looked up, never added: the program an app keeps open must not grow with
     * every case it reads. A name the program does not have stays in the case's own copy. */
    if (y->private_) {
        const char *known = rd_map_get(&y->p->intern, s);
        return known ? known : s;
    }
    return rd_intern(y->p, s, strlen(s));
}

rd_ref *rd_y_name_list(ydoc *y, yaml_node_t *n, const char *what)
{
    if (rd_y_expect(y, n, YAML_SEQUENCE_NODE, what) != 0) return NULL;
    rd_ref *head = NULL, **tail = &head;
    for (yaml_node_item_t *it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++) {
        yaml_node_t *e = yaml_document_get_node(&y->doc, *it);
        const char *id = rd_y_name(y, e, what);
        if (!id) continue;
        rd_ref *r = rd_arena_alloc(y->arena, sizeof *r);
        if (!r) return head;
        r->id = id;
        r->span = rd_y_span(y, e);
        *tail = r;
        tail = &r->next;
    }
    return head;
}


/* Calls f for each `key: value`; keys must be unique and in `allowed` (NULL: any key). */
void rd_y_each_pair(ydoc *y, yaml_node_t *map, const char *what, const char *const *allowed, rd_y_pair_fn f, void *ctx)
{
    if (rd_y_expect(y, map, YAML_MAPPING_NODE, what) != 0) return;
    /* Keys seen so far, hashed: a file with 100,000 keys in one mapping is answered in time. The
     * keys are the document's own strings, which outlive the map. */
    rd_map seen;
    rd_map_init(&seen);
    yaml_node_pair_t *start = map->data.mapping.pairs.start;
    for (yaml_node_pair_t *pr = start; pr < map->data.mapping.pairs.top; pr++) {
        yaml_node_t *k = yaml_document_get_node(&y->doc, pr->key);
        yaml_node_t *v = yaml_document_get_node(&y->doc, pr->value);
        const char *key = rd_y_scalar(y, k, "a key");
        if (!key) continue;
        int dup = rd_map_get(&seen, key) != NULL;
        if (!dup && rd_map_put(&seen, key, (void *)key) != 0) {
            y->p->arena.failed = 1; /* reported as out of memory by the caller's pass check */
            break;
        }
        if (dup) {
            if (y->private_) rd_y_error(y, k, "duplicate-field", "keep one of them", "a key appears twice in %s", what);
            else rd_y_error(y, k, "duplicate-field", "keep one of them", "`%s` appears twice in %s", key, what);
            continue;
        }
        if (allowed) {
            size_t n = 0;
            int ok = 0;
            for (; allowed[n]; n++) ok |= strcmp(allowed[n], key) == 0;
            if (!ok) {
                const char *m = rd_did_you_mean(key, allowed, n);
                const char *list = rd_quoted_list(&y->p->arena, allowed, n);
                const char *help = m ? rd_arena_printf(&y->p->arena, "did you mean `%s`?", m)
                                     : rd_arena_printf(&y->p->arena, "%s takes %s", what, list);
                if (y->private_) /* a key in a case file may be anything someone typed there */
                    rd_y_error(y, k, "unknown-field", m ? help : rd_arena_printf(&y->p->arena, "%s takes %s", what, list),
                               "%s has no field of that name", what);
                else
                    rd_y_error(y, k, "unknown-field", help, "%s has no `%s`", what, key);
                continue;
            }
        }
        f(y, ctx, key, k, v);
    }
    rd_map_free(&seen);
}

/* libyaml's wording, said the way a committee member would understand it. */
static const char *yaml_problem(const char *problem)
{
    static const struct { const char *yaml, *plain; } words[] = {
        {"did not find expected key", "this line is indented differently from the lines above it"},
        {"did not find expected '-' indicator", "this line is indented differently from the list items above it"},
        {"mapping values are not allowed in this context", "a `key: value` cannot start here; check the indentation and quotes"},
        {"found character that cannot start any token", "this character cannot start a value; put the value in quotes"},
        {"found undefined alias", "`*` starts a YAML alias; put the value in quotes"},
        {"found unexpected end of stream", "the file ends in the middle of a value; check for an unclosed quote"},
    };
    for (size_t i = 0; problem && i < sizeof words / sizeof *words; i++)
        if (strcmp(problem, words[i].yaml) == 0) return words[i].plain;
    return "this YAML cannot be read";
}

/* Reports libyaml's parse error, where it found it. */
static void syntax_error(rd_program *p, uint32_t file, const yaml_parser_t *parser)
{
    if (parser->error == YAML_MEMORY_ERROR) {
        rd_diag_set_status(p->diags, RD_ERR_NOMEM); /* not a mistake in the file */
        return;
    }
    rd_span sp = {file, (uint32_t)parser->problem_mark.line + 1, (uint32_t)parser->problem_mark.column + 1, 0, 0};
    sp.end_line = sp.line;
    sp.end_col = sp.col;
    RD_ERROR(p, "yaml-syntax", sp, "check the indentation, and that each `key: value` has a space after the colon",
             "%s (YAML: %s)", yaml_problem(parser->problem), parser->problem ? parser->problem : "syntax error");
}

static rd_span mark_span(uint32_t file, yaml_mark_t m)
{
    rd_span sp = {file, (uint32_t)m.line + 1, (uint32_t)m.column + 1, 0, 0};
    sp.end_line = sp.line;
    sp.end_col = sp.col;
    return sp;
}

/* What an anchor stands for, counted as scan_events counts; `open` while the anchored list or
 * mapping is still being read. */
typedef struct anchor { uint64_t size; int open; } anchor;

/* The first pass over the first document's events, before anything is loaded: refuses nesting
 * deeper than RD_YAML_MAX_DEPTH (libyaml's loader takes time quadratic in the depth), more than
 * RD_YAML_MAX_ANCHORS anchors (it looks each alias up among all of them), and aliases that stand
 * for more than RD_YAML_MAX_ALIAS_BYTES in all, each counted in full (a value of 500 KB named a
 * thousand times is 500 MB to whoever reads the values). Returns 0, or -1 when it reported why
 * not (a syntax error included). */
static int scan_events(rd_program *p, uint32_t file, const rd_source *src)
{
    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser)) {
        p->arena.failed = 1;
        return -1;
    }
    yaml_parser_set_input_string(&parser, (const unsigned char *)src->text, src->len);
    rd_arena names; /* anchors' names and counts, for this pass only */
    rd_arena_init(&names);
    rd_map anchors;
    rd_map_init(&anchors);
    uint64_t size[RD_YAML_MAX_DEPTH + 2] = {0}; /* by depth: what the open list or mapping holds so far */
    anchor *named[RD_YAML_MAX_DEPTH + 2] = {0}; /* by depth: its anchor, if it has one */
    uint64_t expanded = 0;
    size_t depth = 0, nanchors = 0;
    int rc = 0, done = 0;
    while (!done && rc == 0) {
        yaml_event_t ev;
        if (!yaml_parser_parse(&parser, &ev)) {
            syntax_error(p, file, &parser);
            rc = -1;
            break;
        }
        const char *name = ev.type == YAML_SCALAR_EVENT           ? (const char *)ev.data.scalar.anchor
                         : ev.type == YAML_SEQUENCE_START_EVENT ? (const char *)ev.data.sequence_start.anchor
                         : ev.type == YAML_MAPPING_START_EVENT  ? (const char *)ev.data.mapping_start.anchor
                                                                : NULL;
        anchor *a = NULL;
        if (name && ++nanchors > RD_YAML_MAX_ANCHORS) {
            RD_ERROR(p, "yaml-anchors", mark_span(file, ev.start_mark), "write the values out instead of naming them with `&`",
                     "this file names more than %u values with anchors (`&name`)", RD_YAML_MAX_ANCHORS);
            rc = -1;
        } else if (name) {
            char *key = rd_arena_strdup(&names, name);
            a = rd_arena_alloc(&names, sizeof *a);
            if (!key || !a || rd_map_put(&anchors, key, a) != 0) {
                p->arena.failed = 1;
                rc = -1;
            }
        }
        uint64_t node = 0; /* a value that ended here: what it counts for */
        switch (rc ? YAML_NO_EVENT : ev.type) {
        case YAML_SCALAR_EVENT:
            node = RD_YAML_NODE_BYTES + ev.data.scalar.length;
            if (a) a->size = node;
            break;
        case YAML_SEQUENCE_START_EVENT:
        case YAML_MAPPING_START_EVENT:
            if (++depth > RD_YAML_MAX_DEPTH) {
                RD_ERROR(p, "yaml-too-deep", mark_span(file, ev.start_mark),
                         "a directory, translations or case file needs a few levels; look for a `[` or `{` that is never closed",
                         "lists and mappings are nested more than %u deep here", RD_YAML_MAX_DEPTH);
                rc = -1;
                break;
            }
            size[depth] = 0;
            named[depth] = a;
            if (a) a->open = 1;
            break;
        case YAML_SEQUENCE_END_EVENT:
        case YAML_MAPPING_END_EVENT:
            node = RD_YAML_NODE_BYTES + size[depth];
            if (named[depth]) *named[depth] = (anchor){node, 0};
            depth--;
            break;
        case YAML_ALIAS_EVENT: {
            const anchor *to = rd_map_get(&anchors, (const char *)ev.data.alias.anchor);
            if (!to) break; /* the loader reports an undefined alias */
            if (to->open) {
                RD_ERROR(p, "yaml-aliases", mark_span(file, ev.start_mark), "write the value out where it is needed",
                         "this alias (`*`) stands for the list or mapping it is in");
                rc = -1;
                break;
            }
            node = to->size;
            expanded += node;
            if (expanded > RD_YAML_MAX_ALIAS_BYTES) {
                RD_ERROR(p, "yaml-aliases", mark_span(file, ev.start_mark),
                         "write the values out where they are needed, or name fewer of them with `*`",
                         "the aliases (`*name`) in this file stand for more than %u MiB of text, counting each every time "
                         "it is used", RD_YAML_MAX_ALIAS_BYTES >> 20);
                rc = -1;
            }
            break;
        }
        case YAML_DOCUMENT_END_EVENT:
        case YAML_STREAM_END_EVENT: done = 1; break;
        default: break;
        }
        size[depth] += node; /* the root's count, at depth 0, is never read */
        yaml_event_delete(&ev);
    }
    rd_map_free(&anchors);
    rd_arena_release(&names);
    yaml_parser_delete(&parser);
    return rc;
}

yaml_node_t *rd_y_open(rd_program *p, const char *path, rd_span at, int has_at, ydoc *y, const char *what, int private_)
{
    memset(y, 0, sizeof *y);
    y->p = p;
    y->arena = &p->arena;
    y->private_ = private_;
    int fresh = rd_load_source(p, path, at, has_at, private_, &y->file);
    if (fresh < 0) return NULL;
    y->has_file = 1;
    rd_source *src = &p->sources.v[y->file];
    src->private_ |= private_; /* a file read before as the SOP's is hers now too */
    if (!fresh && private_) {
        /* a case file read before: read it again, it may have changed */
        rd_read_status st = rd_sources_reload(&p->sources, y->file);
        if (st != RD_READ_OK) {
            rd_diag_file(p->diags, RD_SEV_ERROR, "unreadable-file", path, NULL, "cannot read this file again: %s",
                         rd_read_problem(st));
            rd_diag_set_status(p->diags, st == RD_READ_NOMEM ? RD_ERR_NOMEM : RD_ERR_IO);
            return NULL;
        }
        if (rd_check_text(p, y->file) != 0) return NULL;
    }
    if (scan_events(p, y->file, src) != 0) return NULL;
    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser)) {
        p->arena.failed = 1;
        return NULL;
    }
    yaml_parser_set_input_string(&parser, (const unsigned char *)src->text, src->len);
    int ok = yaml_parser_load(&parser, &y->doc);
    if (!ok) syntax_error(p, y->file, &parser);
    yaml_parser_delete(&parser);
    if (!ok) return NULL;
    yaml_node_t *root = yaml_document_get_root_node(&y->doc);
    if (!root) {
        rd_span sp = {y->file, 1, 1, 1, 1};
        RD_ERROR(p, "yaml-empty", sp, NULL, "this %s is empty", what);
        yaml_document_delete(&y->doc);
        return NULL;
    }
    return root;
}

rd_diagnostic *rd_y_error(ydoc *y, const yaml_node_t *n, const char *code, const char *help, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return rd_diag_at(y->p->diags, &y->p->sources, RD_SEV_ERROR, code, rd_y_span(y, n), help, "%s", msg);
}
