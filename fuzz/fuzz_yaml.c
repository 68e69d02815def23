/* libFuzzer target: the service-directory and translations loaders (compiler/yaml_load.c). The
 * input is written to a private temporary file, named by a tiny SOP compiled in memory, first as a
 * `directory`, then as a `translations` file of an SOP serving `en` and `my`; the file is always
 * removed before returning. */
#include <stddef.h>
#include <stdint.h>
#include <unistd.h>

#include "common.h"
#include "program.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Declares one of each thing a translations file may name (notice, fact, consent, choice option:
 * fz.intake.stay), besides the standard ones from `use std`. */
static const char translations_sop[] =
    "sop \"fuzz\" { languages en, my }\n"
    "use std\n"
    "translations \"%s\"\n"
    "actor fz_centre \"Fuzz Centre\" { sector social_services specialist provides first_line_support }\n"
    "notice fz_notice \"A notice.\"\n"
    "fact fz_fact: bool \"A question?\"\n"
    "consent fz_consent \"A consent\" { shares survivor_name with fz_centre purpose \"fuzzing\" }\n"
    "pathway fz \"Fuzz\" {\n"
    "  entry fz_centre\n"
    "  start intake\n"
    "  step intake \"Intake\" by provider {\n"
    "    inform fz_notice\n"
    "    ask fz_fact\n"
    "    seek fz_consent { granted { refer fz_centre for first_line_support sharing survivor_name } refused { } }\n"
    "    choose {\n"
    "      stay \"Stay\" { end \"stays\" }\n"
    "      leave \"Leave\" { end \"leaves\" }\n"
    "    }\n"
    "  }\n"
    "}\n";

static const char directory_sop[] = "use std\ndirectory \"%s\"\n";

static void run(const char *fmt, const char *path)
{
    char text[sizeof translations_sop + PATH_MAX];
    int n = snprintf(text, sizeof text, fmt, path);
    if (n < 0 || (size_t)n >= sizeof text) return;
    rd_options opt = fuzz_options();
    rd_diagnostics *d = NULL;
    rd_program *p = rd_compile_text("fuzz.sop", text, (size_t)n, &opt, &d);
    fuzz_verify_and_report(p, d);
    rd_program_free(p);
    rd_diagnostics_free(d);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    fuzz_init_root(*argc > 0 ? (*argv)[0] : NULL);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[] = "/tmp/rd-fuzz-yaml-XXXXXX";
    int written = fuzz_write_temp(path, data, size);
    if (written < 0) return 0;
    if (written) {
        run(directory_sop, path);
        run(translations_sop, path);
    }
    unlink(path);
    return 0;
}
