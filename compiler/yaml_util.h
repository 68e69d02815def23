/* Reading YAML files with positions: the helpers shared by the service directory, translation and
 * case loaders. Every mistake is reported at its file, line and column. A document opened as
 * private (a case file: her facts) never has a value or a source line copied into a message. */
#ifndef RD_YAML_UTIL_H
#define RD_YAML_UTIL_H
#include "program.h"
#include <yaml.h>

/* Limits on every YAML file, checked before it is loaded (rd_y_open). Real files nest 4 deep and
 * use no anchors. */
#define RD_YAML_MAX_DEPTH 64                   /* lists and mappings inside each other */
#define RD_YAML_MAX_ANCHORS 1000u              /* values named with `&name` */
#define RD_YAML_MAX_ALIAS_BYTES (1024u * 1024u) /* what all `*name` stand for, each use counted in full */
#define RD_YAML_NODE_BYTES 16u                 /* what one value, list or mapping counts in that, besides its text */

typedef struct ydoc {
    rd_program *p;
    rd_arena *arena; /* where values are copied: the program's, or for a case its own, so that
                      * nothing of a case outlives rd_case_free */
    uint32_t file;
    int has_file; /* `file` names the document's source (it was read) */
    int private_;
    yaml_document_t doc;
} ydoc;

typedef void (*rd_y_pair_fn)(ydoc *y, void *ctx, const char *key, yaml_node_t *k, yaml_node_t *v);

rd_span rd_y_span(const ydoc *y, const yaml_node_t *n);
/* An error at node n (help may be NULL); in a private document without the source line. */
rd_diagnostic *rd_y_error(ydoc *y, const yaml_node_t *n, const char *code, const char *help, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
int rd_y_expect(ydoc *y, yaml_node_t *n, yaml_node_type_t t, const char *what);
const char *rd_y_scalar(ydoc *y, yaml_node_t *n, const char *what);
int rd_y_boolean(ydoc *y, yaml_node_t *n, const char *what, int *out);
const char *rd_y_name(ydoc *y, yaml_node_t *n, const char *what);
rd_ref *rd_y_name_list(ydoc *y, yaml_node_t *n, const char *what);
/* Calls f for each `key: value`; keys must be unique and in `allowed` (NULL: any key). */
void rd_y_each_pair(ydoc *y, yaml_node_t *map, const char *what, const char *const *allowed, rd_y_pair_fn f, void *ctx);
/* Reads and parses the file at path (found already), within the limits above. Returns the root
 * node, or NULL (reported at `at` when has_at, else as an unreadable file). The caller deletes
 * y->doc when it got a root. */
yaml_node_t *rd_y_open(rd_program *p, const char *path, rd_span at, int has_at, ydoc *y, const char *what, int private_);

#endif
