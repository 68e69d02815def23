/* rightdoor graph: the referral pathway as a diagram. DOT comes from the library
 * (rd_dot_write); pictures come from Graphviz's `dot` program, run under time and memory limits
 * (graphviz.h) and written to a temporary file next to the target, which is renamed only when
 * `dot` succeeded: a failure never leaves a file behind, nor half of one. */
#define _DEFAULT_SOURCE /* open_memstream, fsync */
#include "graph_cmd.h"
#include "common.h"
#include "graphviz.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef enum target { T_DOT, T_JSON, T_SVG, T_PNG, T_PROMELA } target;

static rd_status write_to(rd_program *p, const rd_diagnostics *d, target t, FILE *f)
{
    return t == T_JSON ? rd_graph_json_write(p, f) : t == T_PROMELA ? rd_promela_write(p, f) : rd_dot_write(p, d, f);
}

/* Draws the picture with Graphviz (cli_dot_draw, under its limits) into the file descriptor of tmp.
 * Returns the exit status for rightdoor (0 when the picture is in tmp). */
static int render(rd_program *p, const rd_diagnostics *d, const char *fmt, int fd)
{
    char *dot = NULL, *pic = NULL;
    size_t dot_len = 0, pic_len = 0;
    FILE *m = open_memstream(&dot, &dot_len);
    rd_status st = m ? rd_dot_write(p, d, m) : RD_ERR_NOMEM;
    if (m && fclose(m) != 0 && st == RD_OK) st = RD_ERR_NOMEM;
    char why[160];
    cli_dot_status ds = st == RD_OK ? cli_dot_draw(dot, dot_len, fmt, 0, &pic, &pic_len, why, sizeof why) : CLI_DOT_NOMEM;
    free(dot);
    int rc = 0;
    if (ds == CLI_DOT_NOMEM) {
        fprintf(stderr, "rightdoor: out of memory\n");
        rc = 3;
    } else if (ds == CLI_DOT_MISSING) {
        fprintf(stderr, "rightdoor: Graphviz is not installed: install the `graphviz` package, or write DOT with -o FILE.dot\n");
        rc = 2;
    } else if (ds != CLI_DOT_OK) {
        fprintf(stderr, "rightdoor: Graphviz's `dot` %s; no picture was written%s\n", why,
                ds == CLI_DOT_TOO_BIG ? ": the diagram is too large to draw here (write DOT with -o FILE.dot)" : "");
        rc = 2;
    } else {
        size_t off = 0;
        ssize_t k = 0;
        while (off < pic_len && ((k = write(fd, pic + off, pic_len - off)) > 0 || (k < 0 && errno == EINTR)))
            if (k > 0) off += (size_t)k;
        if (off != pic_len || fsync(fd) != 0) {
            fprintf(stderr, "rightdoor: could not write the picture: %s\n", strerror(errno));
            rc = 2;
        }
    }
    free(pic);
    return rc;
}

int cmd_graph(const char *sop, const rd_options *opt, graph_format fmt, const char *out_path)
{
    target t = T_DOT;
    if (fmt == GRAPH_OTHER) {
        fprintf(stderr, "rightdoor: `graph` writes --format dot (the default), json or promela\n");
        return 2;
    }
    if (out_path) {
        if (cli_ends_with(out_path, ".svg")) t = T_SVG;
        else if (cli_ends_with(out_path, ".png")) t = T_PNG;
        else if (cli_ends_with(out_path, ".json")) t = T_JSON;
        else if (cli_ends_with(out_path, ".pml")) t = T_PROMELA;
        else if (cli_ends_with(out_path, ".dot") || cli_ends_with(out_path, ".gv")) t = T_DOT;
        else {
            fprintf(stderr, "rightdoor: -o takes a file ending in .dot, .svg or .png (or .json with --format json, .pml with --format promela)\n");
            return 2;
        }
        if ((fmt == GRAPH_JSON && t != T_JSON) || (fmt == GRAPH_DOT && t != T_DOT) || (fmt == GRAPH_PROMELA && t != T_PROMELA)) {
            fprintf(stderr, "rightdoor: --format %s does not go with -o %s\n",
                    fmt == GRAPH_JSON ? "json" : fmt == GRAPH_PROMELA ? "promela" : "dot", out_path);
            return 2;
        }
    } else if (fmt == GRAPH_JSON) {
        t = T_JSON;
    } else if (fmt == GRAPH_PROMELA) {
        t = T_PROMELA;
    }

    rd_diagnostics *d = NULL;
    rd_program *p = rd_compile(sop, opt, &d);
    if (!p) {
        rd_diagnostics_print(d, stderr, 0);
        int rc = cli_exit_code(d ? rd_diagnostics_status(d) : RD_ERR_NOMEM);
        rd_diagnostics_free(d);
        return rc;
    }
    /* The diagram shows where principles fail, so it is drawn from a verified program. */
    size_t before = rd_diagnostics_count(d, RD_SEV_ERROR);
    if (t != T_JSON && t != T_PROMELA && rd_verify(p, d) == RD_ERR_NOMEM) {
        fprintf(stderr, "rightdoor: out of memory\n");
        rd_program_free(p);
        rd_diagnostics_free(d);
        return 3;
    }
    size_t failing = rd_diagnostics_count(d, RD_SEV_ERROR) - before;

    int rc = 0;
    if (!out_path) {
        rd_status st = write_to(p, d, t, stdout);
        if (st != RD_OK) fprintf(stderr, "rightdoor: could not write the graph%s\n", st == RD_ERR_NOMEM ? ": out of memory" : "");
        rc = cli_exit_code(st);
    } else {
        char *tmp = NULL;
        int fd = cli_temp_beside(out_path, CLI_NEW_FILE, &tmp);
        if (fd < 0) {
            fprintf(stderr, "rightdoor: cannot write %s: %s\n", out_path, strerror(errno));
            rd_program_free(p);
            rd_diagnostics_free(d);
            return 2;
        }
        if (t == T_SVG || t == T_PNG) {
            rc = render(p, d, t == T_SVG ? "svg" : "png", fd);
            close(fd);
        } else {
            FILE *f = fdopen(fd, "w");
            rd_status st = f ? write_to(p, d, t, f) : RD_ERR_NOMEM;
            if (st == RD_OK && (fflush(f) != 0 || fsync(fd) != 0)) st = RD_ERR_IO;
            if (f && fclose(f) != 0 && st == RD_OK) st = RD_ERR_IO;
            if (!f) close(fd);
            if (st != RD_OK) fprintf(stderr, "rightdoor: could not write %s%s\n", out_path, st == RD_ERR_NOMEM ? ": out of memory" : "");
            rc = cli_exit_code(st);
        }
        if (rc == 0 && rename(tmp, out_path) != 0) {
            fprintf(stderr, "rightdoor: cannot write %s: %s\n", out_path, strerror(errno));
            rc = 2;
        }
        if (rc != 0) unlink(tmp);
        free(tmp);
    }
    if (rc == 0 && failing)
        fprintf(stderr, "rightdoor: %zu check%s fail%s in %s: each failing path is drawn in bold red; `rightdoor check` explains\n",
                failing, failing == 1 ? "" : "s", failing == 1 ? "s" : "", sop);
    rd_program_free(p);
    rd_diagnostics_free(d);
    return rc;
}
