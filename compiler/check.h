/* Name resolution and checking of a parsed program. */
#ifndef RD_CHECK_H
#define RD_CHECK_H
#include "program.h"

/* Enters every declaration in its namespace and resolves every reference, reporting unknown and
 * duplicate names. */
void rd_resolve(rd_program *p);
/* Types, pathway structure, tests and the warnings; run after rd_resolve. */
void rd_check(rd_program *p);

/* Shared by the resolver, the checker and the YAML loaders. */
rd_decl *rd_lookup(rd_program *p, rd_decl_kind k, const char *id);
/* Reports an unknown name of kind k, saying when it names something of another kind and suggesting
 * the closest name of the right kind. */
void     rd_unknown_name(rd_program *p, rd_span at, const char *id, rd_decl_kind k, const char *extra_help);
rd_step *rd_find_step(rd_program *p, rd_decl *pw, const char *id, rd_span at);
void     rd_resolve_targets(rd_program *p, rd_ref *list);
void     rd_resolve_data(rd_program *p, rd_ref *list, int allow_attributes);


/* The option `id` of a `choose` anywhere in step st, or NULL. */
rd_option *rd_find_option(rd_step *st, const char *id);

/* "step `x` offers `a`, `b`": the options of every `choose` in a step, for messages. */
const char *rd_option_list(rd_program *p, rd_step *st);

#endif
