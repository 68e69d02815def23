/* The program model: the compiled program's lifetime, its names, the files it reads, what it says
 * about itself (version, fingerprint) and its decision graph, built once on first need. Every
 * rd_program_* function is here. */
#include "program.h"
#include "graph.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

/* `rel` next to the file `from`, then in each search-path folder. *via_search is set when it was
 * found on the search path (a library file: its unused declarations are not the SOP's concern). */
char *rd_find_file(rd_program *p, uint32_t from, const char *rel, int *via_search)
{
    *via_search = 0;
    if (rel[0] == '/') return access(rel, R_OK) == 0 ? rd_arena_strdup(&p->arena, rel) : NULL;
    /* Text compiled from memory has no folder of its own: only the search path applies. */
    const char *fp = p->sources.v[from].real ? p->sources.v[from].path : NULL;
    const char *slash = fp ? strrchr(fp, '/') : NULL;
    char *cand = !fp ? NULL : slash ? rd_arena_printf(&p->arena, "%.*s/%s", (int)(slash - fp), fp, rel)
                       : rd_arena_strdup(&p->arena, rel);
    if (cand && access(cand, R_OK) == 0) return cand;
    for (size_t i = 0; i < p->search_path_len; i++) {
        cand = rd_arena_printf(&p->arena, "%s/%s", p->search_path[i], rel);
        if (cand && access(cand, R_OK) == 0) {
            *via_search = 1;
            return cand;
        }
    }
    return NULL;
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
int rd_load_source(rd_program *p, const char *path, rd_span at, int has_at, uint32_t *index)
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
    return rd_check_text(p, *index) == 0 ? 1 : -1;
}

int rd_check_text(rd_program *p, uint32_t index)
{
    rd_source *s = &p->sources.v[index];
    uint32_t line, col;
    if (rd_utf8_check(s->text, s->len, &line, &col) != 0) {
        rd_span sp = {index, line, col, line, col};
        RD_ERROR(p, "encoding", sp, "save the file as UTF-8 (in most editors: Save As, Encoding: UTF-8)",
                 "this file is not valid UTF-8 text: the byte here is not part of any character");
        return -1;
    }
    if (rd_line_check(s->text, s->len, &line, &col) != 0) {
        rd_span sp = {index, line, col, line, col};
        RD_ERROR(p, "line-too-long", sp, "break it into shorter lines (a long text in a .sop file continues with another "
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
