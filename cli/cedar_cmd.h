/* The `cedar` command: the SOP's may-share rules (and a case's answers) in Cedar. */
#ifndef RD_CLI_CEDAR_H
#define RD_CLI_CEDAR_H
#include "rightdoor.h"

/* Writes policies.cedar, entities.json and schema.cedarschema for `sop` into folder out_dir
 * (created if missing), and with a case, context.json: the context of a question asked at `now`
 * by actor `from`. Each file through a temporary file renamed when complete. case_path and from
 * may be NULL. Returns the exit status. */
int cmd_cedar(const char *sop, const char *case_path, const char *from, const char *out_dir, const rd_options *opt,
              long long now);

#endif
