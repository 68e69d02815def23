/* The commands about a case: next, may-share, case. */
#ifndef RD_CLI_CASE_H
#define RD_CLI_CASE_H
#include "rightdoor.h"

/* One change asked for on the command line of `rightdoor case`: the option (set, grant, refuse,
 * withdraw, choose, informed, referred, shared, reported, permit, told) and its argument. */
typedef struct cli_change { const char *what, *arg; } cli_change;

/* `next`, or with explain set `explain`: how the case got where it is, then what is pending. */
int cmd_next(const char *sop, const char *case_path, const rd_options *opt, int json, long long now, int explain,
             const char *log);
int cmd_may_share(const char *sop, const char *case_path, const char *data, const char *from, const char *to,
                  const rd_options *opt, int json, long long now, const char *log);
int cmd_case(const char *sop, const char *case_path, const rd_options *opt, const cli_change *ch, size_t n,
             const char *reason, long long now);

/* `run`: a terminal walk-through of a case, saving after every round. */
int cmd_run(const char *sop, const char *case_path, const rd_options *opt);

#endif
