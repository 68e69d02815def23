/* The program model: the compiled program's lifetime, its names, the files it reads, what it says
 * about itself (version, fingerprint) and its decision graph, built once on first need. Every
 * rd_program_* function is here. */
#define _DEFAULT_SOURCE /* realpath */
#include "program.h"
#include "graph.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <limits.h>
#include <unistd.h>

const char *rd_intern(rd_program *p, const char *s, size_t len)
{
    char small[128];
    const char *key = s;
    if (s[len] != '\0') {
        if (len < sizeof small) {
            memcpy(small, s, len);
            small[len] = '\0';
            key = small;
        } else {
            key = rd_arena_strndup(&p->arena, s, len);
            if (!key) return NULL;
        }
    }
    const char *found = rd_map_get(&p->intern, key);
    if (found) return found;
    char *copy = rd_arena_strndup(&p->arena, s, len);
    if (!copy || rd_map_put(&p->intern, copy, copy) != 0) {
        p->arena.failed = 1;
        return copy;
    }
    return copy;
}

rd_program *rd_program_new(void)
{
    rd_program *p = calloc(1, sizeof *p);
    if (!p) return NULL;
    if (!(p->diags = rd_diagnostics_new())) {
        free(p);
        return NULL;
    }
    rd_arena_init(&p->arena);
    rd_map_init(&p->intern);
    for (int k = 0; k < RD_D__COUNT; k++) rd_map_init(&p->names[k]);
    p->tail = &p->decls;
    return p;
}

void rd_program_free(rd_program *p)
{
    if (!p) return;
    rd_map_free(&p->intern);
    for (rd_decl *d = p->decls; d; d = d->next)
        if (d->kind == RD_D_PATHWAY) rd_map_free(&d->u.pathway.step_map);
    for (int k = 0; k < RD_D__COUNT; k++) rd_map_free(&p->names[k]);
    rd_sources_free(&p->sources);
    rd_arena_release(&p->arena);
    free(p);
}

/* The folder of source `from`, or NULL for text compiled from memory (it has none). */
static char *folder_of(rd_program *p, uint32_t from)
{
    const char *fp = p->sources.v[from].real ? p->sources.v[from].path : NULL;
    if (!fp) return NULL;
    const char *slash = strrchr(fp, '/');
    return slash ? rd_arena_printf(&p->arena, "%.*s", (int)(slash - fp), fp) : rd_arena_strdup(&p->arena, ".");
}

/* Whether `rel` names a path that stays inside the folder it is read against: relative, no `..`. */
static int stays_inside(const char *rel)
{
    if (rel[0] == '/') return 0;
    for (const char *s = rel; *s;) {
        size_t n = strcspn(s, "/");
        if (n == 2 && s[0] == '.' && s[1] == '.') return 0;
        s += n + (s[n] == '/');
    }
    return 1;
}

/* folder/rel when it exists and, unless the program may read any path, really lies inside folder
 * (a symlink leading out of it is refused as `..` is). Sets *outside when it exists but lies out. */
static char *inside(rd_program *p, const char *folder, const char *rel, int *outside)
{
    char *cand = strcmp(folder, ".") ? rd_arena_printf(&p->arena, "%s/%s", folder, rel) : rd_arena_strdup(&p->arena, rel);
    if (!cand || access(cand, R_OK) != 0) return NULL;
    if (p->any_path) return cand;
    char *rf = realpath(folder, NULL), *rc = realpath(cand, NULL);
    size_t n = rf ? strlen(rf) : 0;
    int ok = rf && rc && strncmp(rc, rf, n) == 0 && (rc[n] == '/' || (n == 1 && rf[0] == '/'));
    free(rf);
    free(rc);
    if (!ok) *outside = 1;
    return ok ? cand : NULL;
}

static char *on_search_path(rd_program *p, const char *rel, int *outside)
{
    for (size_t i = 0; i < p->search_path_len; i++) {
        char *cand = inside(p, p->search_path[i], rel, outside);
        if (cand) return cand;
    }
    return NULL;
}

/* What keeps a named file from being read, said at `at` (when given). */
static void not_found(rd_program *p, const rd_span *at, const char *what, const char *rel, int outside)
{
    if (!at) return;
    if (outside)
        RD_ERROR(p, "outside-path", *at,
                 "name a file in the SOP's own folder or the standard folders; to read one elsewhere, copy it there "
                 "(or run with --allow-any-path)",
                 "the %s `%s` is outside the SOP's folder and the standard folders, so it is not read", what, rel);
    else
        RD_ERROR(p, "unreadable-file", *at, "the path is relative to this file", "cannot find the %s `%s`", what, rel);
}

char *rd_find_file(rd_program *p, uint32_t from, const char *rel, const rd_span *at, const char *what, int *via_search)
{
    *via_search = 0;
    int outside = !p->any_path && !stays_inside(rel);
    if (rel[0] == '/' && p->any_path) return access(rel, R_OK) == 0 ? rd_arena_strdup(&p->arena, rel) : NULL;
    char *folder = outside ? NULL : folder_of(p, from);
    char *found = folder ? inside(p, folder, rel, &outside) : NULL;
    if (!found && !outside && (found = on_search_path(p, rel, &outside))) *via_search = 1;
    if (!found) not_found(p, at, what, rel, outside);
    return found;
}

char *rd_find_module(rd_program *p, uint32_t from, const char *rel, rd_span at, int *via_search)
{
    int outside = 0;
    *via_search = 0;
    char *folder = folder_of(p, from);
    char *local = folder ? inside(p, folder, rel, &outside) : NULL;
    char *standard = on_search_path(p, rel, &outside);
    if (!standard) return local;
    *via_search = 1;
    char *rl = local ? realpath(local, NULL) : NULL, *rs = realpath(standard, NULL);
    if (rl && rs && strcmp(rl, rs) != 0)
        RD_WARN(p, "shadowed-module", at,
                "rename your own module if it is meant to be used: a standard module cannot be replaced by a file "
                "of the same name next to the SOP",
                "`%s` here is the standard file %s, not %s beside this SOP", rel, standard, local);
    free(rl);
    free(rs);
    return standard;
}

const char *rd_read_problem(rd_read_status st)
{
    return st == RD_READ_TOO_BIG     ? "it is larger than 64 MiB"
         : st == RD_READ_NOMEM       ? "out of memory"
         : st == RD_READ_NOT_REGULAR ? "it is not a regular file (a FIFO, a device or a folder); name the file itself"
                                     : "no such file, or it cannot be read";
}

/* Loads a file into the source table and checks its text (rd_check_text). Returns 1 when it is new and
 * readable, 0 when already loaded, -1 on failure (reported at `at`). */
int rd_load_source(rd_program *p, const char *path, rd_span at, int has_at, int private_, uint32_t *index)
{
    int fresh = 0;
    rd_read_status st = rd_sources_load(&p->sources, path, index, &fresh);
    if (st != RD_READ_OK) {
        const char *why = rd_read_problem(st);
        if (st == RD_READ_NOMEM) rd_diag_set_status(p->diags, RD_ERR_NOMEM);
        if (has_at)
            RD_ERROR(p, "unreadable-file", at, "check the spelling of the path; it is relative to this file",
                     "cannot read `%s`: %s", path, why);
        else {
            rd_diag_file(p->diags, RD_SEV_ERROR, "unreadable-file", path, NULL, "cannot read this file: %s", why);
            rd_diag_set_status(p->diags, RD_ERR_IO);
        }
        return -1;
    }
    if (!fresh) return 0;
    p->sources.v[*index].private_ = private_;
    return rd_check_text(p, *index) == 0 ? 1 : -1;
}

int rd_check_text(rd_program *p, uint32_t file)
{
    rd_source *s = &p->sources.v[file];
    uint32_t line, col;
    int why = rd_utf8_check(s->text, s->len, &line, &col);
    rd_span sp = {file, line, col, line, col};
    if (why == -1)
        RD_ERROR(p, "encoding", sp, "save the file as UTF-8 (in most editors: Save As, Encoding: UTF-8)",
                 "this file is not valid UTF-8 text: the byte here is not part of any character");
    else if (why == -2)
        RD_ERROR(p, "control-character", sp, "remove it: a text needs no control character but tab and new line",
                 "a control character is here (such as ESC, DEL or a direction override), which would drive the "
                 "terminal or the page that shows this text");
    if (why) return -1;
    if (rd_line_check(s->text, s->len, &line, &col) != 0) {
        rd_span lp = {file, line, col, line, col};
        RD_ERROR(p, "line-too-long", lp, "break it into shorter lines (a long text in a .sop file continues with another "
                 "quoted text on the next line)", "this line is longer than %u KiB, the most a line may hold",
                 RD_MAX_LINE / 1024u);
        return -1;
    }
    return 0;
}

const char *rd_program_version(const rd_program *p) { return p && p->sop ? rd_field_get(p->sop, "version") : NULL; }

void rd_program_hash(const rd_program *p, char out[17]) { snprintf(out, 17, "%016llx", p ? (unsigned long long)p->hash : 0ull); }

rd_graph *rd_program_graph(rd_program *p)
{
    if (p && !p->graph && !p->graph_too_big) p->graph = rd_graph_build(p);
    return p ? p->graph : NULL;
}
