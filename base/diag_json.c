/* Diagnostics for programs to read: one JSON document of our own shape (case-management tools,
 * scripts) and SARIF 2.1.0 (CI code scanning). Both are built as a jansson tree first and written
 * only when the whole tree exists, so running out of memory never leaves half a document behind.
 *
 * The two shapes are documented in rightdoor.h next to rd_diagnostics_write_json and
 * rd_diagnostics_write_sarif; change them there and here together. */
#include "diag.h"
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#define SARIF_SCHEMA \
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"

static const char *const sev_name[] = {"error", "warning", "note"};

/* ---- building blocks -------------------------------------------------------------------------- */

/* Length of the well-formed UTF-8 sequence at s (1 to 4), or 0 if the bytes there are not one:
 * stray continuation bytes, overlong forms, surrogates and code points past U+10FFFF are refused,
 * exactly as jansson refuses them. */
static size_t utf8_seq(const unsigned char *s)
{
    unsigned char c = s[0];
    if (c < 0x80) return 1;
    size_t n;
    unsigned char lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) n = 2;
    else if (c == 0xE0) n = 3, lo = 0xA0;
    else if (c == 0xED) n = 3, hi = 0x9F;
    else if (c >= 0xE1 && c <= 0xEF) n = 3;
    else if (c == 0xF0) n = 4, lo = 0x90;
    else if (c >= 0xF1 && c <= 0xF3) n = 4;
    else if (c == 0xF4) n = 4, hi = 0x8F;
    else return 0;
    if (s[1] < lo || s[1] > hi) return 0;
    for (size_t i = 2; i < n; i++)
        if ((s[i] & 0xC0) != 0x80) return 0;
    return n;
}

/* A JSON string for s; null for NULL. Messages quote the user's files, which may not be valid UTF-8
 * (that is one of the things `check` reports), so each malformed byte becomes U+FFFD rather than
 * the whole document failing. NULL only when out of memory. */
static json_t *jstr(const char *s)
{
    if (!s) return json_null();
    json_t *j = json_string(s);
    if (j) return j;
    size_t len = strlen(s);
    char *buf = malloc(len * 3 + 1);
    if (!buf) return NULL;
    const unsigned char *p = (const unsigned char *)s;
    char *o = buf;
    while (*p) {
        size_t n = utf8_seq(p);
        if (n) {
            memcpy(o, p, n);
            o += n;
            p += n;
        } else {
            memcpy(o, "\xEF\xBF\xBD", 3);
            o += 3;
            p++;
        }
    }
    *o = '\0';
    j = json_string(buf);
    free(buf);
    return j;
}

struct json_t *rd_json_str(const char *s) { return jstr(s); }

/* A 1-based line or column, or null for 0 ("no particular place"). */
static json_t *jpos(unsigned v) { return v ? json_integer((json_int_t)v) : json_null(); }

/* Sets o[key] = v, taking v; nonzero (and v released) when v is NULL or the set fails, so a chain
 * of calls can be or-ed together and checked once. */
static int set(json_t *o, const char *key, json_t *v) { return json_object_set_new(o, key, v) != 0; }
static int push(json_t *a, json_t *v) { return json_array_append_new(a, v) != 0; }

/* A new object or array, already placed at o[key] or at the end of array a, so that it is freed
 * with the tree whatever happens next; NULL if either step fails (and then nothing is left over).
 * A NULL parent is accepted and gives NULL, so a chain of these needs one check at the end. */
static json_t *add_object(json_t *o, const char *key)
{
    json_t *c = json_object();
    return set(o, key, c) ? NULL : c;
}
static json_t *add_array(json_t *o, const char *key)
{
    json_t *c = json_array();
    return set(o, key, c) ? NULL : c;
}
static json_t *push_object(json_t *a)
{
    json_t *c = json_object();
    return push(a, c) ? NULL : c;
}

static const char *status_name(rd_status st)
{
    switch (st) {
    case RD_OK: return "ok";
    case RD_ERR_PROGRAM: return "program-errors";
    case RD_ERR_IO: return "io-error";
    case RD_ERR_NOMEM: break;
    }
    return "out-of-memory";
}

/* Writes the finished tree, one document and a newline, and flushes so that a full disk or a
 * closed pipe is noticed here rather than at exit. The text is made in memory first: jansson
 * allocates while it writes, and running out of memory then would leave half a document. */
rd_status rd_json_write(json_t *root, FILE *out)
{
    char *text = json_dumps(root, JSON_INDENT(2));
    json_decref(root);
    if (!text) return RD_ERR_NOMEM;
    size_t len = strlen(text);
    int bad = fwrite(text, 1, len, out) != len;
    json_free_t jfree;
    json_get_alloc_funcs(NULL, &jfree);
    jfree(text);
    bad |= fputc('\n', out) == EOF;
    bad |= fflush(out) != 0;
    bad |= ferror(out) != 0;
    return bad ? RD_ERR_IO : RD_OK;
}

/* ---- our JSON ---------------------------------------------------------------------------------- */

static json_t *json_note(const rd_diagnostic *n)
{
    if (!n) return json_null();
    json_t *o = json_object();
    if (!o) return NULL;
    int bad = set(o, "file", jstr(n->file));
    bad |= set(o, "line", jpos(n->line));
    bad |= set(o, "column", jpos(n->line ? n->col : 0));
    bad |= set(o, "end_column", jpos(n->line ? n->end_col : 0));
    bad |= set(o, "message", jstr(n->message));
    if (bad) json_decref(o);
    return bad ? NULL : o;
}

static json_t *json_path(const rd_diagnostic *g)
{
    json_t *a = json_array();
    if (!a) return NULL;
    int bad = 0;
    for (size_t i = 0; g->path && i < g->path_len && !bad; i++) {
        const rd_path_step *s = &g->path[i];
        json_t *o = push_object(a);
        bad |= !o;
        bad |= set(o, "file", jstr(s->file));
        bad |= set(o, "line", jpos(s->line));
        bad |= set(o, "column", jpos(s->line ? s->col : 0));
        bad |= set(o, "text", jstr(s->text));
    }
    if (bad) json_decref(a);
    return bad ? NULL : a;
}

static json_t *json_diag(const rd_diagnostic *g)
{
    json_t *o = json_object();
    if (!o) return NULL;
    int bad = set(o, "severity", json_string(sev_name[g->severity]));
    bad |= set(o, "code", jstr(g->code));
    bad |= set(o, "file", jstr(g->file));
    bad |= set(o, "line", jpos(g->line));
    bad |= set(o, "column", jpos(g->line ? g->col : 0));
    bad |= set(o, "end_column", jpos(g->line ? g->end_col : 0));
    bad |= set(o, "message", jstr(g->message));
    bad |= set(o, "help", jstr(g->help));
    bad |= set(o, "source_line", jstr(g->source_line));
    bad |= set(o, "source_column", jpos(g->source_line ? (g->source_col > 1 ? g->source_col : 1) : 0));
    bad |= set(o, "note", json_note(g->note));
    bad |= set(o, "path", json_path(g));
    bad |= set(o, "citation", jstr(g->citation));
    if (bad) json_decref(o);
    return bad ? NULL : o;
}

rd_status rd_diagnostics_write_json(const rd_diagnostics *d, FILE *out)
{
    json_t *root = json_object(), *list = add_array(root, "diagnostics");
    int bad = !list;
    for (size_t i = 0; i < rd_diagnostics_len(d) && !bad; i++)
        bad |= push(list, json_diag(rd_diagnostics_get(d, i)));
    bad |= set(root, "errors", json_integer((json_int_t)rd_diagnostics_count(d, RD_SEV_ERROR)));
    bad |= set(root, "warnings", json_integer((json_int_t)rd_diagnostics_count(d, RD_SEV_WARNING)));
    bad |= set(root, "status", json_string(status_name(rd_diagnostics_status(d))));
    if (bad) {
        json_decref(root);
        return RD_ERR_NOMEM;
    }
    return rd_json_write(root, out);
}

/* ---- SARIF 2.1.0 ------------------------------------------------------------------------------- */

/* artifactLocation.uri must be a URI reference: a relative path stays relative (as the user gave
 * it), an absolute one becomes a file:// URI, and every byte outside the unreserved and path
 * characters of RFC 3986 is percent-encoded (spaces, non-ASCII names such as Thai ones, '%', '#',
 * '?'). ':' is encoded too, so that "a:b.sop" is not read as a URI with scheme "a". */
static json_t *sarif_uri(const char *path)
{
    static const char hex[] = "0123456789ABCDEF";
    static const char keep[] = "-._~/!$&'()*+,;=@";
    size_t len = strlen(path);
    char *buf = malloc(len * 3 + sizeof "file://");
    if (!buf) return NULL;
    char *o = buf;
    if (path[0] == '/') {
        memcpy(o, "file://", 7);
        o += 7;
    }
    for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            strchr(keep, *p)) {
            *o++ = (char)*p;
        } else {
            *o++ = '%';
            *o++ = hex[*p >> 4];
            *o++ = hex[*p & 15];
        }
    }
    *o = '\0';
    json_t *j = json_string(buf);
    free(buf);
    return j;
}

/* Appends s to the buffer at *o with '{' and '}' doubled: SARIF reads "{0}" in any message text as
 * a placeholder (3.11.5), and .sop messages quote braces ("expected `}`"). */
static void put_braced(char **o, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '{' || s[i] == '}') *(*o)++ = s[i];
        *(*o)++ = s[i];
    }
}

static int ends_sentence(const char *s, size_t n) { return n && strchr(".?!", s[n - 1]); }

/* A SARIF message object. The help, when given, becomes a second sentence ("there is no actor
 * named `x`. Did you mean `y`?"): code-scanning viewers show message.text and nothing else, and
 * the first sentence stays the summary, as SARIF 3.11.3 asks. */
static json_t *sarif_message(const char *text, const char *help)
{
    if (!text) text = "";
    size_t tl = strlen(text), hl = help ? strlen(help) : 0;
    char *buf = malloc(2 * (tl + hl) + 4);
    if (!buf) return NULL;
    char *o = buf;
    put_braced(&o, text, tl);
    if (help && hl) {
        if (tl && !ends_sentence(text, tl)) *o++ = '.';
        if (tl) *o++ = ' ';
        char first = help[0] >= 'a' && help[0] <= 'z' ? (char)(help[0] - 'a' + 'A') : help[0];
        put_braced(&o, &first, 1);
        put_braced(&o, help + 1, hl - 1);
        if (!ends_sentence(help, hl)) *o++ = '.';
    }
    *o = '\0';
    json_t *m = json_object();
    int bad = set(m, "text", jstr(buf));
    free(buf);
    if (bad) json_decref(m);
    return bad ? NULL : m;
}

/* A location object: the file and, when the place has a line, the region. SARIF columns are
 * 1-based like ours, counted in code points because the run says columnKind "unicodeCodePoints";
 * endColumn is the column just past the span while our end_col is its last character (end_col 0:
 * no known end, and SARIF then takes the region to the end of the line). Without a file the
 * location has only its message. id (when nonzero) lets a message link to it; message may be NULL. */
static json_t *sarif_location(int id, const char *file, unsigned line, unsigned col, unsigned end_col,
                              const char *message)
{
    json_t *loc = json_object();
    if (!loc) return NULL;
    int bad = 0;
    if (id) bad |= set(loc, "id", json_integer(id));
    if (file) {
        json_t *phys = add_object(loc, "physicalLocation");
        json_t *art = add_object(phys, "artifactLocation");
        bad |= set(art, "uri", sarif_uri(file));
        if (line) {
            json_t *region = add_object(phys, "region");
            bad |= set(region, "startLine", json_integer((json_int_t)line));
            if (col) bad |= set(region, "startColumn", json_integer((json_int_t)col));
            if (col && end_col >= col) bad |= set(region, "endColumn", json_integer((json_int_t)end_col + 1));
        }
        bad |= !phys || !art;
    }
    if (message) bad |= set(loc, "message", sarif_message(message, NULL));
    if (bad) json_decref(loc);
    return bad ? NULL : loc;
}

/* codeFlows: one flow of one thread; each step of the counterexample, in order, is a
 * threadFlowLocation whose location carries the step's place and its words. */
static json_t *sarif_code_flows(const rd_diagnostic *g)
{
    json_t *flows = json_array();
    json_t *threads = add_array(push_object(flows), "threadFlows");
    json_t *steps = add_array(push_object(threads), "locations");
    int bad = !steps;
    for (size_t i = 0; i < g->path_len && !bad; i++) {
        const rd_path_step *s = &g->path[i];
        bad |= set(push_object(steps), "location",
                   sarif_location(0, s->file, s->line, s->col, 0, s->text ? s->text : ""));
    }
    if (bad) json_decref(flows);
    return bad ? NULL : flows;
}

/* Distinct codes in order of first use; rule[i] is the index of diagnostic i's code. */
typedef struct rules {
    const char **code;
    size_t n;
    size_t *rule;
} rules;

static int collect_rules(const rd_diagnostics *d, rules *r)
{
    size_t n = rd_diagnostics_len(d);
    r->n = 0;
    r->code = malloc((n ? n : 1) * sizeof *r->code);
    r->rule = malloc((n ? n : 1) * sizeof *r->rule);
    if (!r->code || !r->rule) return -1;
    for (size_t i = 0; i < n; i++) {
        const char *c = rd_diagnostics_get(d, i)->code;
        if (!c) c = "unknown";
        size_t k = 0;
        while (k < r->n && strcmp(r->code[k], c) != 0) k++;
        if (k == r->n) r->code[r->n++] = c;
        r->rule[i] = k;
    }
    return 0;
}

/* "unknown-name" -> "Unknown name": the code says what went wrong in a few words already. */
static json_t *sarif_rule(const char *code)
{
    char *text = strdup(code);
    if (!text) return NULL;
    for (char *p = text; *p; p++)
        if (*p == '-') *p = ' ';
    if (text[0] >= 'a' && text[0] <= 'z') text[0] = (char)(text[0] - 'a' + 'A');
    json_t *rule = json_object();
    int bad = set(rule, "id", jstr(code));
    bad |= set(add_object(rule, "shortDescription"), "text", jstr(text));
    free(text);
    if (bad) json_decref(rule);
    return bad ? NULL : rule;
}

static json_t *sarif_result(const rd_diagnostic *g, const char *rule_id, size_t rule_index)
{
    json_t *res = json_object();
    if (!res) return NULL;
    int bad = set(res, "ruleId", jstr(rule_id));
    bad |= set(res, "ruleIndex", json_integer((json_int_t)rule_index));
    bad |= set(res, "level", json_string(sev_name[g->severity]));
    bad |= set(res, "message", sarif_message(g->message, g->help));
    if (g->file)
        bad |= push(add_array(res, "locations"), sarif_location(0, g->file, g->line, g->col, g->end_col, NULL));
    if (g->note) {
        const rd_diagnostic *n = g->note;
        bad |= push(add_array(res, "relatedLocations"),
                    sarif_location(1, n->file, n->line, n->col, n->end_col, n->message ? n->message : ""));
    }
    if (g->path && g->path_len) bad |= set(res, "codeFlows", sarif_code_flows(g));
    if (g->help || g->citation) {
        json_t *props = add_object(res, "properties");
        bad |= !props;
        if (g->help) bad |= set(props, "help", jstr(g->help));
        if (g->citation) bad |= set(props, "citation", jstr(g->citation));
    }
    if (bad) json_decref(res);
    return bad ? NULL : res;
}

rd_status rd_diagnostics_write_sarif(const rd_diagnostics *d, FILE *out, const char *tool_version)
{
    rules r = {0};
    json_t *root = json_object();
    int bad = set(root, "$schema", json_string(SARIF_SCHEMA));
    bad |= set(root, "version", json_string("2.1.0"));
    json_t *run = push_object(add_array(root, "runs"));
    json_t *driver = add_object(add_object(run, "tool"), "driver");
    bad |= set(driver, "name", json_string("rightdoor"));
    if (tool_version) bad |= set(driver, "version", jstr(tool_version));
#ifdef RD_HOMEPAGE
    bad |= set(driver, "informationUri", json_string(RD_HOMEPAGE));
#endif
    json_t *rule_list = add_array(driver, "rules");
    bad |= set(run, "columnKind", json_string("unicodeCodePoints"));
    /* Errors in the program are findings; an unreadable input or lack of memory means the run
     * itself did not do its job. */
    rd_status st = rd_diagnostics_status(d);
    bad |= set(push_object(add_array(run, "invocations")), "executionSuccessful",
               json_boolean(st == RD_OK || st == RD_ERR_PROGRAM));
    json_t *results = add_array(run, "results");
    bad |= !results || !rule_list;
    bad |= collect_rules(d, &r) != 0;
    for (size_t k = 0; k < r.n && !bad; k++) bad |= push(rule_list, sarif_rule(r.code[k]));
    for (size_t i = 0; i < rd_diagnostics_len(d) && !bad; i++)
        bad |= push(results, sarif_result(rd_diagnostics_get(d, i), r.code[r.rule[i]], r.rule[i]));
    free(r.code);
    free(r.rule);
    if (bad) {
        json_decref(root);
        return RD_ERR_NOMEM;
    }
    return rd_json_write(root, out);
}
