/* `rightdoor fmt [--check | --stdout] FILE.sop...`: lays out each file in the canonical layout
 * (docs/syntax.md, "Layout").
 *
 *   default   rewrites each file that is not in the layout, through a temporary file in the same
 *             folder renamed over it (same permissions), so the file is always whole: the old
 *             layout or the new one. Says which files it rewrote.
 *   --check   writes nothing; lists the files not in the layout and exits 1 if there are any
 *             (for CI and review, like gofmt -l and black --check).
 *   --stdout  writes the laid-out text to standard output instead of the file.
 *   -         as FILE: reads standard input and writes the result to standard output.
 *
 * A file with syntax errors is never touched: its errors are printed (file:line:col) and the exit
 * status is 1. Exit status: the worst over all files, 0 ok, 1 syntax errors or --check found files
 * to format, 2 bad usage or a file that cannot be read or written, 3 out of memory. */
#include "fmt_cmd.h"
#include "common.h"
#include "rightdoor.h"
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_FILE (64u * 1024u * 1024u) /* as for `check` (docs/syntax.md, Limits) */

static const char fmt_usage[] =
    "usage: rightdoor fmt [--check | --stdout] FILE.sop...\n"
    "  lays out each file in the canonical layout (docs/syntax.md, \"Layout\"), in place\n"
    "  --check    write nothing; list the files that are not laid out, exit 1 if any\n"
    "  --stdout   print the laid-out text instead of writing the file\n"
    "  -          read standard input, write to standard output\n";

/* The whole of f; NULL with errno set on failure (EFBIG past MAX_FILE). */
static char *read_all(FILE *f, size_t *len)
{
    size_t cap = 65536, n = 0;
    char *b = malloc(cap);
    if (!b) return NULL;
    for (;;) {
        if (n == cap) {
            if (cap >= MAX_FILE) {
                free(b);
                errno = EFBIG;
                return NULL;
            }
            char *nb = realloc(b, cap * 2);
            if (!nb) {
                free(b);
                errno = ENOMEM;
                return NULL;
            }
            b = nb;
            cap *= 2;
        }
        size_t got = fread(b + n, 1, cap - n, f);
        n += got;
        if (got == 0) break;
    }
    if (ferror(f)) {
        free(b);
        errno = EIO;
        return NULL;
    }
    *len = n;
    return b;
}

/* Replaces the file at `path` by text, keeping its permissions: a temporary file next to it,
 * flushed, then renamed over it. 0, or -1 with errno set (nothing changed then). */
static int replace_file(const char *path, mode_t mode, const char *text, size_t len)
{
    /* Through a symbolic link, the file it points at is the one rewritten; the link stays. */
    char *real = realpath(path, NULL);
    if (!real) return -1;
    char *tmp = NULL;
    int fd = cli_temp_beside(real, mode, &tmp);
    if (fd < 0) {
        free(real);
        return -1;
    }
    int ok = 1;
    for (size_t w = 0; ok && w < len;) {
        ssize_t k = write(fd, text + w, len - w);
        if (k < 0 && errno == EINTR) continue;
        ok = k > 0;
        if (ok) w += (size_t)k;
    }
    ok = ok && fsync(fd) == 0;
    int saved = errno;
    ok = (close(fd) == 0) && ok;
    if (ok) ok = rename(tmp, real) == 0;
    if (!ok) {
        saved = errno ? errno : saved;
        unlink(tmp);
    } else {
        /* the rename itself must survive a crash: sync the folder */
        char *slash = strrchr(real, '/');
        if (slash) *slash = '\0';
        int dfd = open(slash && slash != real ? real : "/", O_RDONLY | O_DIRECTORY);
        if (dfd >= 0) {
            fsync(dfd);
            close(dfd);
        }
    }
    free(tmp);
    free(real);
    errno = saved;
    return ok ? 0 : -1;
}

/* One file (or standard input, for "-"). Returns its exit status. */
static int fmt_one(const char *path, int check, int to_stdout)
{
    int from_stdin = !strcmp(path, "-");
    const char *name = from_stdin ? "<stdin>" : path;
    struct stat st;
    /* Opened without blocking, then refused unless a regular file: a FIFO would wait for a writer. */
    int fd = from_stdin ? 0 : open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY);
    FILE *in = from_stdin ? stdin : fd >= 0 ? fdopen(fd, "rb") : NULL;
    const char *why = NULL;
    int e = 0;
    if (!in || fstat(fileno(in), &st) != 0) e = errno;
    else if (!from_stdin && S_ISDIR(st.st_mode)) e = EISDIR;
    else if (!from_stdin && !S_ISREG(st.st_mode)) why = "it is not a regular file (a FIFO or a device); name the file itself";
    if (e || why) {
        if (in && !from_stdin) fclose(in);
        else if (!in && !from_stdin && fd >= 0) close(fd);
        fprintf(stderr, "%s: error: cannot read this file: %s\n", name, why ? why : strerror(e));
        return e == ENOMEM ? 3 : 2;
    }
    size_t len = 0;
    char *text = read_all(in, &len);
    e = errno;
    if (!from_stdin) fclose(in);
    if (!text) {
        fprintf(stderr, "%s: error: cannot read this file: %s\n", name,
                e == EFBIG ? "it is larger than 64 MiB" : strerror(e));
        return e == ENOMEM ? 3 : 2;
    }
    char *out = NULL;
    size_t out_len = 0;
    rd_diagnostics *d = NULL;
    rd_status s = rd_fmt_text(name, text, len, &out, &out_len, &d);
    int rc = 0;
    if (s != RD_OK) {
        rd_diagnostics_print(d, stderr, 0);
        if (s == RD_ERR_PROGRAM) fprintf(stderr, "%s: not formatted: fix the errors above first\n", name);
        else if (s == RD_ERR_NOMEM) fprintf(stderr, "%s: not formatted: out of memory\n", name);
        rc = s == RD_ERR_NOMEM ? 3 : s == RD_ERR_IO ? 2 : 1;
    } else {
        int changed = out_len != len || memcmp(out, text, len) != 0;
        if (check) {
            if (changed) {
                printf("%s\n", name);
                rc = 1;
            }
        } else if (to_stdout || from_stdin) {
            if (fwrite(out, 1, out_len, stdout) != out_len || fflush(stdout) != 0) {
                fprintf(stderr, "rightdoor: could not write to standard output\n");
                rc = 2;
            }
        } else if (changed) {
            if (replace_file(path, st.st_mode, out, out_len) != 0) {
                fprintf(stderr, "%s: error: cannot write the new layout: %s; the file is unchanged\n", name,
                        strerror(errno));
                rc = errno == ENOMEM ? 3 : 2;
            } else {
                printf("%s: formatted\n", name);
            }
        }
    }
    rd_diagnostics_free(d);
    free(out);
    free(text);
    return rc;
}

int cmd_fmt(int argc, char **argv)
{
    int check = 0, to_stdout = 0, nfiles = 0;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--check")) {
            check = 1;
        } else if (!strcmp(a, "--stdout")) {
            to_stdout = 1;
        } else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            fputs(fmt_usage, stdout);
            return 0;
        } else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "rightdoor: unknown option `%s` for fmt\n\n%s", a, fmt_usage);
            return 2;
        } else {
            nfiles++;
        }
    }
    if (!nfiles || (check && to_stdout)) {
        fputs(nfiles ? "rightdoor: fmt takes --check or --stdout, not both\n\n" : "rightdoor: fmt needs a file\n\n", stderr);
        fputs(fmt_usage, stderr);
        return 2;
    }
    int worst = 0;
    for (int i = 0; i < argc; i++) {
        if (argv[i][0] == '-' && argv[i][1]) continue;
        int rc = fmt_one(argv[i], check, to_stdout);
        if (rc > worst) worst = rc;
    }
    return worst;
}
