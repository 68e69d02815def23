/* libFuzzer target: the whole front end (scanner, grammar, `use`, resolution, checks) and the
 * principle verifier, on one .sop text held in memory, then every diagnostic writer and the
 * graph writers (JSON, DOT).
 * `use std` and `use rules.esp` resolve against the repository's stdlib/ and top folder. */
#include <stddef.h>
#include <stdint.h>

#include "common.h"
#include "program.h"

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
    rd_program_free(p);
    rd_diagnostics_free(d);
    return 0;
}
