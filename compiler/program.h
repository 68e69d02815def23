/* The compiled program: everything the front end builds, owned by one arena. Internal to the
 * library; the public handle is rd_program in rightdoor.h. */
#ifndef RD_PROGRAM_H
#define RD_PROGRAM_H
#include "arena.h"
#include "ast.h"
#include "diag.h"
#include "map.h"
#include "source.h"

typedef struct rd_directory_meta {
    const char *country, *province, *last_updated;
    const char *focal_name, *focal_organization, *focal_contact;
    int utc_offset_min, has_utc_offset; /* local time of the opening hours */
    rd_span span;
    int present;
} rd_directory_meta;

struct rd_program {
    rd_arena arena;
    rd_sources sources;
    rd_diagnostics *diags;
    rd_map intern;
    rd_decl *decls, **tail;        /* every declaration, in load order */
    size_t ndecls;
    rd_map names[RD_D__COUNT];     /* id -> decl, one namespace per kind */
    rd_decl *sop;                  /* the `sop` header, if any */
    const char *first_language;
    rd_directory_meta directory;
    const char *const *search_path;
    size_t search_path_len;
    int any_path;                  /* named files may be anywhere (rd_options.any_path) */
    struct rd_graph *graph;        /* built on first need (rd_verify, the runtime, emitters) */
    int graph_too_big;             /* it could not be: which limit (RD_GRAPH_TOO_MANY_NODES, ...) */
    rd_span graph_limit_at;        /* and where in the SOP the graph grew past it */
    uint64_t hash;                 /* of the SOP's files, taken when compiled (before any case is read) */
    unsigned suggested;            /* "did you mean" searches made; see rd_unknown_name */
    /* What is left of the Lua budget the program's audit checks share (verifier/audit.c), once the
     * first has run. */
    int audits_begun;
    unsigned long audit_instructions, audit_milliseconds;
};

/* The unique copy of a name, so later passes may compare names by pointer. */
const char *rd_intern(rd_program *p, const char *s, size_t len);

/* An empty program with a diagnostics list of its own in p->diags, which the caller takes over
 * (rd_program_free does not free it): for rd_compile, and for passes that read one file without
 * compiling it, like the formatter. NULL when out of memory. */
rd_program *rd_program_new(void);
/* rd_compile for text held in memory (tests, fuzzers); `name` stands for its file name in messages
 * and the files it names are looked for on the search path only. */
rd_program *rd_compile_text(const char *name, const char *text, size_t len, const rd_options *opt,
                            rd_diagnostics **diags);
/* The file `rel` (a `directory`, `translations` or `lua` path) that source `from` names: next to
 * that file, then in each search-path folder, never outside them: an absolute path, a `..` or a
 * link leading out is refused, unless the program may read any path. NULL when not found or
 * refused; then, when `at` is given, an error there says which (`what` names the kind of file).
 * *via_search is set when found on the search path. */
char *rd_find_file(rd_program *p, uint32_t from, const char *rel, const rd_span *at, const char *what, int *via_search);
/* The file of `use MODULE`: the standard one on the search path when there is one (a file of the
 * same name next to the SOP is warned about at `at`, never used instead), else the one next to
 * source `from`. NULL when neither exists. */
char *rd_find_module(rd_program *p, uint32_t from, const char *rel, rd_span at, int *via_search);
/* Reads a file into the source table: 1 new, 0 already there, -1 unreadable (reported at `at` when
 * has_at, else as an I/O failure of the run). A private file (a case) is never quoted by a
 * diagnostic. */
int rd_load_source(rd_program *p, const char *path, rd_span at, int has_at, int private_, uint32_t *index);
/* Why a file could not be read, in words for a message. */
const char *rd_read_problem(rd_read_status st);
/* Checks that source `file` is UTF-8 text without control characters and with no line longer than
 * RD_MAX_LINE, reporting where it is not. 0 or -1. */
int rd_check_text(rd_program *p, uint32_t file);

/* The program's decision graph, built on the first call (every later pass reads only it); NULL
 * when out of memory, or when the graph is too big (p->graph_too_big says which limit). */
struct rd_graph *rd_program_graph(rd_program *p);

/* Diagnostics at a span of one of the program's files. */
#define RD_ERROR(p, code, span, help, ...) \
    rd_diag_at((p)->diags, &(p)->sources, RD_SEV_ERROR, code, span, help, __VA_ARGS__)
#define RD_WARN(p, code, span, help, ...) \
    rd_diag_at((p)->diags, &(p)->sources, RD_SEV_WARNING, code, span, help, __VA_ARGS__)

#endif
