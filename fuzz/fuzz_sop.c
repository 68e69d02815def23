/* libFuzzer target: the whole front end (scanner, grammar, `use`, resolution, checks) and the
 * principle verifier, on one .sop text held in memory, then every diagnostic writer, the graph
 * writers (JSON, DOT), the SOP document (Markdown, HTML) and a diff of the program with itself;
 * and the formatter on the same text. Two properties are checked, not only the absence of
 * crashes: a program differs in nothing from itself, and formatting is idempotent and never trips
 * its own safety net (an "fmt-internal" error is a formatter bug).
 * `use std` and `use rules.esp` resolve against the repository's stdlib/ and top folder. */
#include <stddef.h>
#include <stdint.h>

#include "common.h"
#include "program.h"
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    fuzz_init_root(*argc > 0 ? (*argv)[0] : NULL);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    rd_options opt = fuzz_options();
    rd_diagnostics *d = NULL;
    rd_program *p = rd_compile_text("fuzz.sop", (const char *)data, size, &opt, &d);
    fuzz_verify_and_report(p, d);
    if (p && fuzz_sink) {
        rd_doc_options md = {RD_DOC_MARKDOWN, NULL, NULL, NULL}, html = {RD_DOC_HTML, NULL, NULL, NULL};
        rd_doc_write(p, d, &md, fuzz_sink);
        rd_doc_write(p, d, &html, fuzz_sink);
        size_t differences = 0;
        if (rd_diff(p, p, fuzz_sink, 0, &differences) == RD_OK && differences != 0) __builtin_trap();
    }
    rd_program_free(p);
    rd_diagnostics_free(d);

    char *once = NULL, *twice = NULL;
    size_t once_len = 0, twice_len = 0;
    rd_diagnostics *fd = NULL, *fd2 = NULL;
    if (rd_fmt_text("fuzz.sop", (const char *)data, size, &once, &once_len, &fd) == RD_OK) {
        if (rd_fmt_text("fuzz.sop", once, once_len, &twice, &twice_len, &fd2) != RD_OK || twice_len != once_len ||
            memcmp(once, twice, once_len) != 0)
            __builtin_trap();
    }
    for (size_t i = 0; fd && i < rd_diagnostics_len(fd); i++)
        if (!strcmp(rd_diagnostics_get(fd, i)->code, "fmt-internal")) __builtin_trap();
    free(once);
    free(twice);
    rd_diagnostics_free(fd);
    rd_diagnostics_free(fd2);
    return 0;
}
