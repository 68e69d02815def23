/* `rightdoor diff OLD.sop NEW.sop [--format text|json]`. Exit status as diff(1): 0 no difference in
 * meaning, 1 differences. A program with errors has no meaning to compare, so errors in either file
 * are shown (file:line:col, as `check` shows them) and the status is 2, kept apart from 1 so a
 * script never takes a broken revision for a changed one. */
#include "diff_cmd.h"
#include <stdio.h>

int cmd_diff(const char *old_path, const char *new_path, const rd_options *opt, int json)
{
    rd_diagnostics *dold = NULL, *dnew = NULL;
    rd_program *old = rd_compile(old_path, opt, &dold);
    rd_program *new_ = rd_compile(new_path, opt, &dnew);
    int rc;
    rd_status so = dold ? rd_diagnostics_status(dold) : RD_ERR_NOMEM, sn = dnew ? rd_diagnostics_status(dnew) : RD_ERR_NOMEM;
    if (so == RD_ERR_NOMEM || sn == RD_ERR_NOMEM) {
        fprintf(stderr, "rightdoor: out of memory\n");
        rc = 3;
    } else if (!old || !new_) {
        /* Only errors: a diff is not a check, so warnings of a program that compiled stay quiet. */
        if (!old) rd_diagnostics_print(dold, stderr, 0);
        if (!new_) rd_diagnostics_print(dnew, stderr, 0);
        if (!old) fprintf(stderr, "rightdoor: cannot compare: %s %s\n", old_path, so == RD_ERR_IO ? "cannot be read" : "has errors");
        if (!new_) fprintf(stderr, "rightdoor: cannot compare: %s %s\n", new_path, sn == RD_ERR_IO ? "cannot be read" : "has errors");
        rc = 2;
    } else {
        size_t n = 0;
        rd_status st = rd_diff(old, new_, stdout, json, &n);
        if (st == RD_ERR_NOMEM) fprintf(stderr, "rightdoor: out of memory\n");
        else if (st != RD_OK) fprintf(stderr, "rightdoor: could not write the comparison\n");
        rc = st == RD_OK ? (n ? 1 : 0) : st == RD_ERR_NOMEM ? 3 : 2;
    }
    rd_program_free(old);
    rd_program_free(new_);
    rd_diagnostics_free(dold);
    rd_diagnostics_free(dnew);
    return rc;
}
