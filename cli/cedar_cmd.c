/* `rightdoor cedar FILE.sop [CASE.yaml FROM] -o DIR [--now TIME]`: the SOP's may-share rules as
 * Cedar policies, entities and schema, and with a case the context of a question, so that the
 * same question can be put to Cedar (docs/cedar.md). Exit codes: 0 written, 1 the SOP or the case
 * has errors (nothing written), 2 usage or a file that cannot be read or written, 3 out of memory. */
#define _DEFAULT_SOURCE /* mkstemp, fsync */
#include "cedar_cmd.h"
#include "common.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct what {
    rd_program *p;
    rd_diagnostics *d;
    rd_case *c;
    const char *from;
    long long now;
    int part; /* an rd_cedar_part, or -1 for the context */
} what;

/* One file in dir, through a temporary file beside it, flushed and renamed. */
static rd_status write_one(const char *dir, const char *name, const what *w)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *path = malloc(n), *tmp = NULL;
    if (!path) return RD_ERR_NOMEM;
    snprintf(path, n, "%s/%s", dir, name);
    rd_status st = RD_ERR_IO;
    /* the context holds her facts and answers: private, as the case it comes from */
    int fd = cli_temp_beside(path, w->part < 0 ? 0600 : CLI_NEW_FILE, &tmp);
    FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (f) {
        st = w->part < 0 ? rd_cedar_write_context(w->c, w->from, w->now, f)
                         : rd_cedar_write(w->p, (rd_cedar_part)w->part, w->d, f);
        if (st == RD_OK && (fflush(f) != 0 || fsync(fileno(f)) != 0)) st = RD_ERR_IO;
        if (fclose(f) != 0 && st == RD_OK) st = RD_ERR_IO;
        if (st == RD_OK && rename(tmp, path) != 0) st = RD_ERR_IO;
        if (st != RD_OK) unlink(tmp);
    } else if (fd >= 0) {
        close(fd);
        unlink(tmp);
    }
    if (st == RD_ERR_PROGRAM)
        rd_diagnostics_print(w->d, stderr, 0);
    else if (st != RD_OK)
        fprintf(stderr, "rightdoor: could not write `%s`%s%s\n", path, st == RD_ERR_NOMEM ? ": out of memory" : errno ? ": " : "",
                st == RD_ERR_NOMEM || !errno ? "" : strerror(errno));
    free(path);
    free(tmp);
    return st;
}

int cmd_cedar(const char *sop, const char *case_path, const char *from, const char *out_dir, const rd_options *opt,
              long long now)
{
    if (!out_dir) {
        fprintf(stderr, "rightdoor: `cedar` writes several files: name their folder with -o DIR\n");
        return 2;
    }
    rd_diagnostics *d = NULL;
    rd_program *p = rd_compile(sop, opt, &d);
    rd_case *c = NULL;
    int rc = 0;
    if (!p) {
        rd_diagnostics_print(d, stderr, 0);
        rc = cli_exit_code(d ? rd_diagnostics_status(d) : RD_ERR_NOMEM);
        goto out;
    }
    if (case_path) {
        c = rd_case_load(p, case_path, d);
        if (!c) {
            rd_diagnostics_print(d, stderr, 0);
            rd_status st = rd_diagnostics_status(d);
            rc = cli_exit_code(st == RD_OK ? RD_ERR_PROGRAM : st);
            goto out;
        }
    }
    if (mkdir(out_dir, 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, "rightdoor: cannot create the folder `%s`: %s\n", out_dir, strerror(errno));
        rc = 2;
        goto out;
    }
    static const struct { const char *name; int part; } files[] = {
        {"policies.cedar", RD_CEDAR_POLICIES}, {"entities.json", RD_CEDAR_ENTITIES},
        {"schema.cedarschema", RD_CEDAR_SCHEMA}, {"context.json", -1},
    };
    for (size_t i = 0; i < sizeof files / sizeof *files && !rc; i++) {
        if (files[i].part < 0 && !c) continue;
        what w = {p, d, c, from, now, files[i].part};
        errno = 0;
        rc = cli_exit_code(write_one(out_dir, files[i].name, &w));
    }
out:
    rd_case_free(c);
    rd_program_free(p);
    rd_diagnostics_free(d);
    return rc;
}
