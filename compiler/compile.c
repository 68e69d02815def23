/* rd_compile: read the root file, follow `use`, `directory` and `translations` to the files they
 * name, parse each once, then resolve and check the whole program. */
#include "check.h"
#include "parse.h"
#include "yaml_load.h"
#include <stdlib.h>
#include <string.h>
#include <dirent.h>

/* Adds to names[] the modules (`std`, `rules.esp`) found in folder `dir` and its subfolders. */
static void list_modules(rd_program *p, const char *dir, const char *prefix, int depth, const char **names, size_t *n,
                         size_t cap)
{
    DIR *dh = opendir(dir);
    if (!dh) return;
    struct dirent *e;
    while ((e = readdir(dh)) && *n < cap) {
        size_t len = strlen(e->d_name);
        if (e->d_name[0] == '.') continue;
        if (len > 4 && strcmp(e->d_name + len - 4, ".sop") == 0) {
            names[(*n)++] = rd_arena_printf(&p->arena, "%s%.*s", prefix, (int)(len - 4), e->d_name);
        } else if (depth == 0) {
            char *sub = rd_arena_printf(&p->arena, "%s/%s", dir, e->d_name);
            char *pre = rd_arena_printf(&p->arena, "%s.", e->d_name);
            if (sub && pre) list_modules(p, sub, pre, 1, names, n, cap);
        }
    }
    closedir(dh);
}

static void follow_use(rd_program *p, rd_decl *d)
{
    int via_search;
    char *path = rd_find_file(p, d->span.file, d->u.file.path, &via_search);
    if (!path) {
        /* The module as written, dotted again, against the modules that exist. */
        char *written = rd_arena_strdup(&p->arena, d->u.file.path);
        if (!written) return;
        written[strlen(written) - 4] = '\0';
        for (char *c = written; *c; c++)
            if (*c == '/') *c = '.';
        const char *names[256];
        size_t n = 0;
        for (size_t i = 0; i < p->search_path_len; i++) list_modules(p, p->search_path[i], "", 0, names, &n, 256);
        const char *m = rd_did_you_mean(written, names, n);
        char *help = m ? rd_arena_printf(&p->arena, "did you mean `use %s`?", m)
                       : rd_arena_printf(&p->arena,
                                         "`use a.b` reads a/b.sop next to this file or in the standard folders "
                                         "(stdlib/, rules/); is `%s` spelt right?", written);
        RD_ERROR(p, "unknown-module", d->u.file.path_span, help, "cannot find `%s`", d->u.file.path);
        return;
    }
    uint32_t idx;
    if (rd_load_source(p, path, d->u.file.path_span, 1, &idx) == 1)
        rd_parse_file(p, idx, d->in_library || via_search);
}

/* Shared by rd_compile (root read from `path`) and rd_compile_text (root given as text). */
static rd_program *compile(const rd_options *opt, rd_diagnostics **diags, const char *path,
                           const char *text, size_t len)
{
    if (diags) *diags = NULL;
    rd_program *p = rd_program_new();
    if (!p) return NULL;
    rd_diagnostics *dg = p->diags;
    if (opt) {
        p->search_path = opt->search_path;
        p->search_path_len = opt->search_path_len;
    }
    uint32_t root;
    rd_span none = {0, 0, 0, 0, 0};
    int ready;
    if (text) {
        ready = rd_sources_add_text(&p->sources, path, text, len, &root) == 0;
        if (!ready) p->arena.failed = 1;
        uint32_t line, col;
        if (ready && rd_utf8_check(text, len, &line, &col) != 0) {
            rd_span sp = {root, line, col, line, col};
            RD_ERROR(p, "encoding", sp, "save the file as UTF-8 (in most editors: Save As, Encoding: UTF-8)",
                     "this file is not valid UTF-8 text: the byte here is not part of any character");
            ready = 0;
        }
    } else {
        ready = rd_load_source(p, path, none, 0, &root) == 1;
    }
    if (ready) rd_parse_file(p, root, 0);
    /* `use` declarations are appended as files are parsed, so this walk reaches them all. */
    for (rd_decl *d = p->decls; d && !p->arena.failed; d = d->next)
        if (d->kind == RD_D_USE) follow_use(p, d);
    if (!p->arena.failed && dg->counts[RD_SEV_ERROR] == 0) {
        for (rd_decl *d = p->decls; d; d = d->next)
            if (d->kind == RD_D_DIRECTORY) rd_yaml_directory(p, d);
    }
    /* A directory that could not be read would make every provider it names "unknown". */
    if (!p->arena.failed && dg->counts[RD_SEV_ERROR] == 0) {
        rd_resolve(p);
        for (rd_decl *d = p->decls; d; d = d->next)
            if (d->kind == RD_D_TRANSLATIONS) rd_yaml_translations(p, d);
        rd_check(p);
    }
    if (p->arena.failed) rd_diag_set_status(dg, RD_ERR_NOMEM);
    /* the fingerprint decisions are logged under: every file read so far, all of them the SOP's */
    p->hash = 1469598103934665603ull;
    for (size_t i = 0; i < p->sources.n; i++)
        for (size_t k = 0; k < p->sources.v[i].len; k++) p->hash = (p->hash ^ (unsigned char)p->sources.v[i].text[k]) * 1099511628211ull;
    int failed = rd_diagnostics_status(dg) != RD_OK;
    p->diags = NULL;
    if (diags) *diags = dg;
    else rd_diagnostics_free(dg);
    if (failed) {
        rd_program_free(p);
        return NULL;
    }
    return p;
}

rd_program *rd_compile(const char *path, const rd_options *opt, rd_diagnostics **diags)
{
    return compile(opt, diags, path, NULL, 0);
}

rd_program *rd_compile_text(const char *name, const char *text, size_t len, const rd_options *opt,
                            rd_diagnostics **diags)
{
    return compile(opt, diags, name, text, len);
}
