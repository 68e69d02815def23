/* rightdoor graph: the referral pathway as a diagram. DOT comes from the library
 * (rd_dot_write); pictures come from Graphviz's `dot` program, run directly (no shell),
 * fed through a pipe and writing to a temporary file next to the target, which is renamed only
 * when `dot` succeeded: a failure never leaves a file behind, nor half of one. */
#include "graph_cmd.h"
#include "common.h"
#include <errno.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

typedef enum target { T_DOT, T_JSON, T_SVG, T_PNG, T_PROMELA } target;

static rd_status write_to(rd_program *p, const rd_diagnostics *d, target t, FILE *f)
{
    return t == T_JSON ? rd_graph_json_write(p, f) : t == T_PROMELA ? rd_promela_write(p, f) : rd_dot_write(p, d, f);
}

/* Runs `dot -T<fmt> -o tmp` with the DOT document on its standard input. Returns the exit status
 * for rightdoor (0 when the picture is in tmp). */
static int render(rd_program *p, const rd_diagnostics *d, const char *fmt, const char *tmp)
{
    int fds[2];
    if (pipe(fds) != 0) {
        fprintf(stderr, "rightdoor: could not run Graphviz: %s\n", strerror(errno));
        return 2;
    }
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, fds[0], 0);
    posix_spawn_file_actions_addclose(&fa, fds[0]);
    posix_spawn_file_actions_addclose(&fa, fds[1]);
    char tflag[16];
    snprintf(tflag, sizeof tflag, "-T%s", fmt);
    char *argv[] = {"dot", tflag, "-o", (char *)tmp, NULL};
    pid_t pid;
    int err = posix_spawnp(&pid, "dot", &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(fds[0]);
    if (err) {
        close(fds[1]);
        if (err == ENOENT)
            fprintf(stderr, "rightdoor: Graphviz is not installed: install the `graphviz` package, or write DOT with -o FILE.dot\n");
        else fprintf(stderr, "rightdoor: could not run Graphviz's `dot`: %s\n", strerror(err));
        return 2;
    }
    /* If `dot` stops reading early, its exit status says why; a broken pipe must not kill us first. */
    struct sigaction ign = {.sa_handler = SIG_IGN}, old;
    sigemptyset(&ign.sa_mask);
    sigaction(SIGPIPE, &ign, &old);
    FILE *f = fdopen(fds[1], "w");
    rd_status st = f ? rd_dot_write(p, d, f) : RD_ERR_NOMEM;
    if (f) fclose(f);
    else close(fds[1]);
    sigaction(SIGPIPE, &old, NULL);
    int status;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (st == RD_ERR_NOMEM) {
        fprintf(stderr, "rightdoor: out of memory\n");
        return 3;
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0 && st == RD_OK) return 0;
    if (WIFEXITED(status) && WEXITSTATUS(status) != 0)
        fprintf(stderr, "rightdoor: Graphviz's `dot` failed (exit status %d); no picture was written\n", WEXITSTATUS(status));
    else if (WIFSIGNALED(status))
        fprintf(stderr, "rightdoor: Graphviz's `dot` was stopped by signal %d; no picture was written\n", WTERMSIG(status));
    else fprintf(stderr, "rightdoor: could not hand the diagram to Graphviz's `dot`; no picture was written\n");
    return 2;
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
            close(fd);
            rc = render(p, d, t == T_SVG ? "svg" : "png", tmp);
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
