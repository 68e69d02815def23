/* `rightdoor diff`: what a revision of an SOP changes in meaning. */
#ifndef RD_CLI_DIFF_H
#define RD_CLI_DIFF_H
#include "rightdoor.h"

/* Exit status: 0 the same meaning, 1 differences, 2 bad usage, an unreadable file or errors in
 * either program (shown with file:line:col), 3 out of memory. */
int cmd_diff(const char *old_path, const char *new_path, const rd_options *opt, int json);

#endif
