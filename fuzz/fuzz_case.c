/* libFuzzer target: the case loader (runtime/case.c) and every question an app asks of a loaded
 * case. The Annex 1a SOP is compiled once, as an app keeps its program; each input is written to a
 * private temporary file, loaded as a case, asked for its next steps and its explanation, asked
 * may-share for every data category from the actor that opened it to every actor, and saved (to
 * a second temporary file). Both files are removed before returning. */
#include <stddef.h>
#include <stdint.h>
#include <unistd.h>

#include "common.h"
#include "graph.h"
#include "program.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static rd_program *prog;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    fuzz_init_root(*argc > 0 ? (*argv)[0] : NULL);
    prog = fuzz_compile("fuzz_case", "examples/annex1a/annex1a.sop");
    return 0;
}

static void ask(rd_case *c)
{
    const long long now = 1795575600; /* 2026-11-25T03:00:00Z: fixed, so runs repeat */
    rd_actions_free(rd_case_next(c, now));
    rd_actions_free(rd_case_explain(c, now));
    const rd_graph *g = prog->graph;
    if (!g) return;
    char text[512];
    for (uint32_t d = 0; d < g->ndata; d++)
        for (uint32_t a = 0; a < g->nactors; a++) {
            rd_reason why;
            rd_may_share(c, g->data[d]->id, g->actors[0]->id, g->actors[a]->id, now, &why);
            rd_reason_text(&why, text, sizeof text);
        }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[] = "/tmp/rd-fuzz-case-XXXXXX", saved[] = "/tmp/rd-fuzz-saved-XXXXXX";
    int written = fuzz_write_temp(path, data, size);
    if (written < 0) return 0;
    if (written) {
        rd_diagnostics *d = rd_diagnostics_new();
        rd_case *c = rd_case_load(prog, path, d);
        if (fuzz_sink) rd_diagnostics_print(d, fuzz_sink, 0);
        if (c) {
            ask(c);
            int sfd = mkstemp(saved);
            if (sfd >= 0) {
                close(sfd);
                rd_case_save(c, saved);
                unlink(saved);
            }
        }
        rd_case_free(c);
        rd_diagnostics_free(d);
    }
    unlink(path);
    return 0;
}
