/* What the command-line tools share: the exit code for a status, file-name suffixes, and the
 * temporary file beside a target that every command writing a file renames into place. */
#ifndef RD_CLI_COMMON_H
#define RD_CLI_COMMON_H
#include "rightdoor.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* 0 ok, 1 errors in the program, 2 usage or a file that cannot be read or written, 3 out of memory. */
static inline int cli_exit_code(rd_status st) { return st == RD_OK ? 0 : st == RD_ERR_PROGRAM ? 1 : st == RD_ERR_IO ? 2 : 3; }

static inline int cli_ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a > b && strcmp(s + a - b, suffix) == 0;
}

/* For cli_temp_beside: the permissions a new file gets (mkstemp alone would make it private). */
#define CLI_NEW_FILE ((mode_t)-1)

/* A temporary file beside `path` (same folder, so the rename into place is atomic), with `mode`
 * (that of the file it replaces) or CLI_NEW_FILE.
 * Returns its descriptor and sets *tmp_out (the caller frees it), or -1 with errno set. */
static inline int cli_temp_beside(const char *path, mode_t mode, char **tmp_out)
{
    size_t n = strlen(path) + 16;
    char *tmp = malloc(n);
    if (!tmp) {
        errno = ENOMEM;
        return -1;
    }
    snprintf(tmp, n, "%s.tmp.XXXXXX", path);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        free(tmp);
        return -1;
    }
    if (mode == CLI_NEW_FILE) {
        mode_t mask = umask(0);
        umask(mask);
        mode = 0666 & ~mask;
    }
    if (fchmod(fd, mode & 07777) != 0) {
        int saved = errno;
        close(fd);
        unlink(tmp);
        free(tmp);
        errno = saved;
        return -1;
    }
    *tmp_out = tmp;
    return fd;
}

#endif
