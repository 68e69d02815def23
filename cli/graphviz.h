/* Graphviz's `dot`, run under limits: a diagram of a few hundred steps can keep it busy for hours
 * and eat the machine's memory, and the command that asked for the picture must answer in time. */
#ifndef RD_CLI_GRAPHVIZ_H
#define RD_CLI_GRAPHVIZ_H
#include <stddef.h>

/* The shipped SOPs are drawn in under 0.3 s and 20 MiB. */
#define CLI_DOT_SECONDS 10                       /* wall-clock time, then `dot` is killed */
#define CLI_DOT_MEMORY (1024ul * 1024ul * 1024ul) /* its address space (setrlimit) */
#define CLI_DOT_OUTPUT (64ul * 1024ul * 1024ul)   /* the picture it writes, in bytes */

typedef enum cli_dot_status {
    CLI_DOT_OK,
    CLI_DOT_MISSING,  /* Graphviz is not installed */
    CLI_DOT_TOO_BIG,  /* past a limit above: `dot` was stopped */
    CLI_DOT_FAILED,   /* `dot` failed, or could not be run */
    CLI_DOT_NOMEM     /* out of memory here */
} cli_dot_status;

/* Draws the DOT document `dot` (len bytes) with `dot -T<format>`, run directly (no shell), fed
 * through a pipe and read back through another, so no file is made that a killed run could leave
 * behind; its own messages go to our standard error, or nowhere when `quiet`. On CLI_DOT_OK *out
 * (malloc'd, NUL-terminated; the caller frees it) holds the picture and *out_len its length.
 * Otherwise *out is NULL and `why` (may be NULL) says what happened, as the end of a sentence that
 * starts "Graphviz's `dot` " ("failed (exit status 3)"). */
cli_dot_status cli_dot_draw(const char *dot, size_t len, const char *format, int quiet, char **out, size_t *out_len,
                            char *why, size_t whylen);

#endif
