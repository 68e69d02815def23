/* libFuzzer target: case files as the CLI and apps write them. Each input is a list of changes,
 * one a line, applied to a committed Annex 1a case through the library calls `rightdoor case` uses;
 * the case is then saved, and must load again, and saving what was loaded must give the same bytes.
 * A change that is refused is fine; a file the store wrote that does not read back, or reads back
 * as something else, is the bug this hunts (values that break hand-written YAML, limits lost).
 *
 *   s FACT=VALUE      rd_case_set_fact
 *   g CONSENT         grant (rd_case_decide), r refuse, w withdraw
 *   t CONSENT|EXCEPT|ONLY   grant on terms (rd_case_grant; lists comma-separated)
 *   e KIND|A|B|REASON rd_case_record (empty fields are NULL)
 */
#include <stddef.h>
#include <stdint.h>
#include <unistd.h>

#include "common.h"
#include "program.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static rd_program *prog;
static char base[PATH_MAX + 64];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    fuzz_init_root(*argc > 0 ? (*argv)[0] : NULL);
    snprintf(base, sizeof base, "%s/examples/annex1a/cases/c-0002.yaml", fuzz_root);
    prog = fuzz_compile("fuzz_change", "examples/annex1a/annex1a.sop");
    return 0;
}

/* Splits s at '|' into at most n fields (empty ones NULL). */
static void fields(char *s, char **out, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        out[i] = s && *s && *s != '|' ? s : NULL;
        char *bar = s ? strchr(s, '|') : NULL;
        if (bar) *bar = '\0';
        s = bar ? bar + 1 : NULL;
    }
}

static void apply(rd_case *c, char *line, long long at)
{
    char err[256], *f[4];
    char op = line[0];
    char *arg = line[0] ? line + 1 : line;
    while (*arg == ' ') arg++;
    switch (op) {
    case 's': {
        char *eq = strchr(arg, '=');
        if (eq) {
            *eq = '\0';
            rd_case_set_fact(c, arg, eq + 1, err, sizeof err);
        }
        break;
    }
    case 'g': rd_case_decide(c, arg, 1, at, err, sizeof err); break;
    case 'r': rd_case_decide(c, arg, 0, at, err, sizeof err); break;
    case 'w': rd_case_decide(c, arg, -1, at, err, sizeof err); break;
    case 't': {
        fields(arg, f, 3);
        rd_consent_terms terms = {f[1], f[2], at + 86400};
        if (f[0]) rd_case_grant(c, f[0], &terms, at, err, sizeof err);
        break;
    }
    case 'e':
        fields(arg, f, 4);
        if (f[0] && f[1]) rd_case_record(c, f[0], f[1], f[2], f[3], at, err, sizeof err);
        break;
    default: break;
    }
}

static char *slurp(const char *path, size_t *n)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) return NULL;
    char *buf = malloc(1 << 20);
    *n = buf ? fread(buf, 1, 1 << 20, fp) : 0;
    fclose(fp);
    return buf;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 4096) return 0;
    char *text = malloc(size + 1);
    if (!text) return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    rd_diagnostics *d = rd_diagnostics_new();
    rd_case *c = d ? rd_case_load(prog, base, d) : NULL;
    char one[] = "/tmp/rd-fuzz-change-XXXXXX", two[] = "/tmp/rd-fuzz-change-XXXXXX";
    int f1 = mkstemp(one), f2 = mkstemp(two);
    if (f1 >= 0) close(f1);
    if (f2 >= 0) close(f2);
    if (c && f1 >= 0 && f2 >= 0) {
        long long at = 1714557600;
        for (char *line = text; line;) {
            char *nl = strchr(line, '\n');
            if (nl) *nl = '\0';
            apply(c, line, at);
            at += 60;
            line = nl ? nl + 1 : NULL;
        }
        if (rd_case_save(c, one) == RD_OK) {
            rd_diagnostics *d2 = rd_diagnostics_new();
            rd_case *back = d2 ? rd_case_load(prog, one, d2) : NULL;
            if (d2 && !back) {
                rd_diagnostics_print(d2, stderr, 5);
                fprintf(stderr, "fuzz_change: a case the store wrote does not load again\n");
                abort();
            }
            if (back && rd_case_save(back, two) == RD_OK) {
                size_t n1 = 0, n2 = 0;
                char *b1 = slurp(one, &n1), *b2 = slurp(two, &n2);
                if (b1 && b2 && (n1 != n2 || memcmp(b1, b2, n1) != 0)) {
                    fprintf(stderr, "fuzz_change: saving what was loaded gives other bytes\n");
                    abort();
                }
                free(b1);
                free(b2);
            }
            rd_case_free(back);
            rd_diagnostics_free(d2);
        }
    }
    if (f1 >= 0) unlink(one);
    if (f2 >= 0) unlink(two);
    rd_case_free(c);
    rd_diagnostics_free(d);
    free(text);
    return 0;
}
