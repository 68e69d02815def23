/* `rightdoor doc`: the SOP as a document (Markdown or HTML). */
#ifndef RD_CLI_DOC_H
#define RD_CLI_DOC_H
#include "rightdoor.h"

/* format: "md", "html" or NULL (from the extension of out_path; Markdown on stdout when out_path
 * is NULL). out_path is written through a temporary file in the same folder and a rename. */
int cmd_doc(const char *sop, const rd_options *opt, const char *format, const char *out_path);

#endif
