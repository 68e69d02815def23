/* librightdoor: compile a Standard Operating Procedure written in the .sop language, check it, and
 * (in later modules) verify and run it.
 *
 * Conventions, as in SQLite and Lua:
 *  - Handles are opaque. Whatever a function returns through a pointer named *_out or a
 *    rd_diagnostics** belongs to the caller, who releases it with the matching *_free function.
 *  - The library never prints, never exits and never aborts: every problem comes back as a status
 *    code and, for problems in the user's files, as diagnostics with file, line and column.
 *  - No global state: two programs compiled in one process share nothing.
 */
#ifndef RIGHTDOOR_H
#define RIGHTDOOR_H

#include <stddef.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum rd_status {
    RD_OK = 0,
    RD_ERR_PROGRAM = 1, /* the .sop program (or a file it names) has errors: see the diagnostics */
    RD_ERR_IO = 2,      /* the file given could not be read */
    RD_ERR_NOMEM = 3    /* out of memory */
} rd_status;

typedef enum rd_severity { RD_SEV_ERROR = 0, RD_SEV_WARNING = 1, RD_SEV_NOTE = 2 } rd_severity;

/* One message about the user's files. Strings are owned by the rd_diagnostics that holds it.
 * line and col are 1-based; col counts characters (UTF-8 code points), not bytes. A diagnostic
 * that concerns no particular place (a missing file given on the command line) has line 0. */
/* One step of a counterexample: where it is in the source and what happens there, in plain words
 * ("safety: she is not safe now", "refer mae_sot_police (shares migration_status)"). */
typedef struct rd_path_step {
    const char *file;
    unsigned line, col;
    const char *text;
} rd_path_step;

typedef struct rd_diagnostic {
    rd_severity severity;
    const char *code;        /* stable kebab-case identifier, e.g. "unknown-name", "syntax" */
    const char *file;
    unsigned line, col, end_col;
    const char *message;
    const char *help;        /* what to do about it, or NULL */
    const char *source_line; /* the text of `line`, without its newline, or NULL */
    const struct rd_diagnostic *note; /* a second place it concerns ("first defined here"), or NULL */
    /* For a principle that fails: the shortest path from an entry to the violation, and the
     * principle's source citation (seed passage, law). NULL / 0 otherwise. */
    const rd_path_step *path;
    size_t path_len;
    const char *citation;
} rd_diagnostic;

typedef struct rd_diagnostics rd_diagnostics;

void   rd_diagnostics_free(rd_diagnostics *d);
size_t rd_diagnostics_len(const rd_diagnostics *d);
const rd_diagnostic *rd_diagnostics_get(const rd_diagnostics *d, size_t i);
size_t rd_diagnostics_count(const rd_diagnostics *d, rd_severity sev);
/* RD_OK, RD_ERR_PROGRAM, RD_ERR_IO or RD_ERR_NOMEM: the worst outcome recorded. */
rd_status rd_diagnostics_status(const rd_diagnostics *d);
/* Writes the diagnostics as a compiler does: "file:line:col: error: message", the source line, a
 * caret under the span, help and notes. At most max_errors errors are shown (0 means 20), followed
 * by a count of the rest. */
void rd_diagnostics_print(const rd_diagnostics *d, FILE *out, unsigned max_errors);

typedef struct rd_options {
    /* Folders searched, in order, for `use`d modules and named files that are not found next to the
     * file naming them. The strings must outlive the rd_compile call. */
    const char *const *search_path;
    size_t search_path_len;
} rd_options;

typedef struct rd_program rd_program;

/* Reads the .sop file at `path` and everything it uses, resolves every name and checks the program.
 * Returns the program, or NULL when it has errors. *diags (always set, even on success, when diags
 * is not NULL) receives the errors and warnings; the caller frees it. `opt` may be NULL. */
rd_program *rd_compile(const char *path, const rd_options *opt, rd_diagnostics **diags);
void        rd_program_free(rd_program *p);

#ifdef __cplusplus
}
#endif
#endif
