/* Shared by the libFuzzer harnesses: where the repository is (for the search path), and a sink for
 * the diagnostic writers. Not part of the library. */
#ifndef RD_FUZZ_COMMON_H
#define RD_FUZZ_COMMON_H
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "rightdoor.h"

/* The repository's top folder: $RD_ROOT, else the folder above the one holding the fuzzer binary
 * (build-fuzz/fuzz_sop -> .), else the current folder. Absolute, so `use std` works from anywhere
 * and libFuzzer's relative corpus paths keep working (no chdir). */
static char fuzz_root[PATH_MAX] = ".";
static char fuzz_stdlib[PATH_MAX + 8] = "./stdlib";
static const char *fuzz_search[2] = {fuzz_stdlib, fuzz_root};
static FILE *fuzz_sink;

static void fuzz_init_root(const char *argv0)
{
    const char *env = getenv("RD_ROOT");
    char buf[PATH_MAX];
    if (env && realpath(env, buf)) {
        snprintf(fuzz_root, sizeof fuzz_root, "%s", buf);
    } else if (argv0 && realpath(argv0, buf)) {
        for (int up = 0; up < 2; up++) {
            char *slash = strrchr(buf, '/');
            if (slash && slash != buf) *slash = '\0';
        }
        snprintf(fuzz_root, sizeof fuzz_root, "%s", buf);
    }
    snprintf(fuzz_stdlib, sizeof fuzz_stdlib, "%s/stdlib", fuzz_root);
    fuzz_sink = fopen("/dev/null", "w");
}

/* Writes the input to a new private file named from `path` (a mkstemp template, rewritten in
 * place): 1 all of it written, 0 the file was made but the write fell short, -1 no file. The
 * caller unlinks `path` unless -1. */
static inline int fuzz_write_temp(char *path, const uint8_t *data, size_t size)
{
    int fd = mkstemp(path);
    if (fd < 0) return -1;
    size_t off = 0;
    while (off < size) {
        ssize_t w = write(fd, data + off, size - off);
        if (w <= 0) break;
        off += (size_t)w;
    }
    close(fd);
    return off == size;
}

static rd_options fuzz_options(void)
{
    rd_options o = {fuzz_search, 2, 0};
    return o;
}

/* What `rightdoor check` does after compiling: prove the principles, then report in every format. */
static inline void fuzz_verify_and_report(rd_program *p, rd_diagnostics *d)
{
    if (p && d) {
        rd_verify(p, d);
        if (fuzz_sink) rd_graph_json_write(p, fuzz_sink);
        if (fuzz_sink) rd_dot_write(p, d, fuzz_sink);
        if (fuzz_sink) rd_promela_write(p, fuzz_sink);
    }
    if (fuzz_sink) {
        rd_diagnostics_print(d, fuzz_sink, 0);
        rd_diagnostics_write_json(d, fuzz_sink);
        rd_diagnostics_write_sarif(d, fuzz_sink, "fuzz");
    }
}
/* Compiles the repository's SOP at `rel` (from the top folder) once, as an app keeps its program;
 * exits when it does not compile, since every input would then test nothing. */
static inline rd_program *fuzz_compile(const char *who, const char *rel)
{
    char path[PATH_MAX + 64];
    snprintf(path, sizeof path, "%s/%s", fuzz_root, rel);
    rd_options opt = fuzz_options();
    rd_diagnostics *d = NULL;
    rd_program *p = rd_compile(path, &opt, &d);
    rd_diagnostics_free(d);
    if (!p) {
        fprintf(stderr, "%s: %s does not compile\n", who, path);
        exit(1);
    }
    return p;
}

#endif
