/* The SOP document (`rightdoor doc`): the checked program and its decision graph written as the
 * document a committee signs and trains staff with, in the ten components of seed 000 Sample 1.
 * The public entry point is rd_doc_write in rightdoor.h. */
#ifndef RD_DOC_H
#define RD_DOC_H
#include "program.h"

/* The ten component headings, in order (seed 000 Sample 1, "Components of a Strong SOP"). The
 * tests look for each of them in every document. */
extern const char *const rd_doc_components[10];

#endif
