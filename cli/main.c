/* rightdoor: the command line. Parses arguments, calls the library, decides exit codes:
 * 0 clean, 1 errors in the program, 2 usage or unreadable file, 3 out of memory. */
#include "case_cmd.h"
#include "cedar_cmd.h"
#include "common.h"
#include "diff_cmd.h"
#include "doc_cmd.h"
#include "fmt_cmd.h"
#include "graph_cmd.h"
#include "rightdoor.h"
#include "rdtime.h"
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MAX_SEARCH 32

/* How `check` reports: text for people on stderr, or one JSON / SARIF document on stdout. */
typedef enum out_format { FMT_TEXT, FMT_JSON, FMT_SARIF, FMT_DOT, FMT_PROMELA, FMT_DEFAULT } out_format;

static const char usage[] =
    "usage: rightdoor <command> [options] FILE.sop\n"
    "\n"
    "commands:\n"
    "  check FILE.sop     read and check an SOP and everything it uses, then prove its\n"
    "                     principles; each failure comes with a counterexample path\n"
    "  graph FILE.sop [-o OUT.dot|OUT.svg|OUT.png]\n"
    "                     the referral pathway as a diagram: DOT on stdout, or a file;\n"
    "                     .svg and .png are drawn by Graphviz (`dot`); --format json\n"
    "                     writes the decision graph as JSON, --format promela as a\n"
    "                     model for the SPIN model checker\n"
    "  test FILE.sop      run the SOP's `test` blocks against the runtime; --coverage also\n"
    "                     lists the branches no test takes\n"
    "  doc FILE.sop [-o OUT.html|OUT.md]\n"
    "                     the SOP as a document to sign and train with, in the ten components\n"
    "                     of seed 000 Sample 1; Markdown on stdout without -o (--format html|md)\n"
    "  next FILE.sop CASE.yaml\n"
    "                     what to do now for a case: questions, notices, consents, choices,\n"
    "                     referrals (with directory entries), reports due\n"
    "  may-share FILE.sop CASE.yaml DATA FROM TO\n"
    "                     may DATA go from actor FROM to actor TO now? allow or deny, and why\n"
    "  explain FILE.sop CASE.yaml\n"
    "                     how the case got where it is, step by step, with the rules used\n"
    "  run FILE.sop CASE.yaml\n"
    "                     walk through a case in the terminal (training), saving as it goes\n"
    "  case FILE.sop CASE.yaml CHANGES...\n"
    "                     record what was done and save the case (safely: a crash leaves the\n"
    "                     old file or the new one). CHANGES: --set FACT=VALUE, --grant C\n"
    "                     [--except DATA,... --only ACTOR,... --until TIME] (her terms),\n"
    "                     --refuse C, --withdraw C, --choose STEP.OPTION, --informed NOTICE,\n"
    "                     --referred ACTOR[:SERVICE], --shared DATA:ACTOR, --reported DUTY, --step STEP,\n"
    "                     --permit P:DATA:ACTOR --reason TEXT (break-glass: the one flow), --told P\n"
    "  diff OLD.sop NEW.sop\n"
    "                     what a revision changes in meaning: actors, consents, permits, duties,\n"
    "                     who can receive what, principle results, waivers, steps (--format json);\n"
    "                     exit 0 no difference, 1 differences, 2 errors in either file\n"
    "  cedar FILE.sop [CASE.yaml FROM] -o DIR\n"
    "                     the may-share rules as Cedar policies, entities and schema; with a\n"
    "                     case, the context of a question FROM an actor (--now): docs/cedar.md\n"
    "  fmt FILE.sop...    lay out SOP files in the canonical layout, in place (--check: list\n"
    "                     those that are not and exit 1; --stdout: print instead; - : stdin)\n"
    "\n"
    "options:\n"
    "  -I DIR             also look for `use`d modules in DIR (may be repeated)\n"
    "  --allow-any-path   let the SOP name files (directory, translations, Lua) outside its own\n"
    "                     folder and the standard folders\n"
    "  --max-errors N     show at most N errors (default 20)\n"
    "  --format F         text (default, on stderr), json or sarif (SARIF 2.1.0): json and\n"
    "                     sarif write one document with every diagnostic to stdout;\n"
    "                     graph: dot (default), json or promela; doc: html or md\n"
    "  -o FILE            graph, doc: write to FILE (through a temporary file, renamed when done)\n"
    "  --now TIME         the time for time-limited consents (2024-05-01T10:00:00Z); default now\n"
    "  --decision-log F   next, explain, may-share: append each answer to F as a JSON line (id,\n"
    "                     time, SOP hash and version, case id, rule and its line; never facts)\n"
    "  -h, --help         show this help\n"
    "  --version          show the version (also: rightdoor version)\n"
    "\n"
    "exit status: 0 no errors, 1 errors in the program or a principle fails, 2 bad usage or\n"
    "unreadable file, 3 out of memory\n";

/* The standard folders sit next to the binary in a source tree (./rightdoor beside ./stdlib and
 * ./rules; build/ and build-asan/ binaries one folder down); an installed binary finds them under
 * RD_DATADIR. */
static void default_search(const char **path, size_t *n, char *buf, size_t bufsize, char *lib, size_t libsize)
{
    ssize_t len = readlink("/proc/self/exe", buf, bufsize - 1);
    if (len > 0) {
        buf[len] = '\0';
        char *slash = strrchr(buf, '/');
        if (slash) *slash = '\0';
        static const char *const sub[] = {"/build", "/build-asan"};
        for (size_t i = 0; i < 2; i++) {
            size_t bl = strlen(buf), sl = strlen(sub[i]);
            if (bl > sl && strcmp(buf + bl - sl, sub[i]) == 0) buf[bl - sl] = '\0';
        }
        /* Paths in messages read better relative to where the user stands. */
        char cwd[PATH_MAX];
        if (getcwd(cwd, sizeof cwd)) {
            size_t cl = strlen(cwd);
            if (strcmp(buf, cwd) == 0) {
                strcpy(buf, ".");
            } else if (strncmp(buf, cwd, cl) == 0 && buf[cl] == '/') {
                memmove(buf, buf + cl + 1, strlen(buf + cl + 1) + 1);
            }
        }
        if (strcmp(buf, ".") == 0) snprintf(lib, libsize, "stdlib");
        else snprintf(lib, libsize, "%.*s/stdlib", (int)(libsize - 8), buf);
        path[(*n)++] = lib;
        path[(*n)++] = buf;
    }
#ifdef RD_DATADIR
    path[(*n)++] = RD_DATADIR "/stdlib";
    path[(*n)++] = RD_DATADIR;
#endif
}

static int cmd_check(const char *file, const rd_options *opt, unsigned max_errors, out_format fmt)
{
    rd_diagnostics *d = NULL;
    rd_program *p = rd_compile(file, opt, &d);
    if (p) rd_verify(p, d);
    rd_status st = d ? rd_diagnostics_status(d) : RD_ERR_NOMEM;
    if (fmt == FMT_TEXT) {
        rd_diagnostics_print(d, stderr, max_errors);
        if (p && rd_diagnostics_count(d, RD_SEV_ERROR) == 0)
            printf("%s: ok (%zu warning%s)\n", file, rd_diagnostics_count(d, RD_SEV_WARNING),
                   rd_diagnostics_count(d, RD_SEV_WARNING) == 1 ? "" : "s");
    } else {
        rd_status w = fmt == FMT_JSON ? rd_diagnostics_write_json(d, stdout)
                                      : rd_diagnostics_write_sarif(d, stdout, rd_version());
        if (w != RD_OK) {
            fprintf(stderr, "rightdoor: could not write the %s output%s\n", fmt == FMT_JSON ? "JSON" : "SARIF",
                    w == RD_ERR_NOMEM ? ": out of memory" : "");
            /* As in the library, a failure to give the whole answer outranks errors in the program. */
            if (w > st) st = w;
        }
    }
    rd_program_free(p);
    rd_diagnostics_free(d);
    return cli_exit_code(st);
}

static int cmd_test(const char *file, const rd_options *opt, int coverage)
{
    rd_diagnostics *d = NULL;
    rd_program *p = rd_compile(file, opt, &d);
    rd_status st = d ? rd_diagnostics_status(d) : RD_ERR_NOMEM;
    rd_test_summary sum = {0};
    if (!p) {
        rd_diagnostics_print(d, stderr, 0);
    } else {
        st = rd_testrun(p, stdout, coverage, &sum);
        if (st != RD_OK) fprintf(stderr, "rightdoor: could not run the tests%s\n", st == RD_ERR_NOMEM ? ": out of memory" : "");
    }
    rd_program_free(p);
    rd_diagnostics_free(d);
    if (st == RD_OK && sum.failed) st = RD_ERR_PROGRAM;
    return cli_exit_code(st);
}

int main(int argc, char **argv)
{
    const char *search[MAX_SEARCH + 4];
    size_t nsearch = 0;
    char exe_buf[PATH_MAX], lib_buf[PATH_MAX + 8];
    unsigned max_errors = 20;
    out_format fmt = FMT_DEFAULT;
    const char *pos[8], *out_path = NULL;
    size_t npos = 0;
    cli_change changes[64];
    size_t nchanges = 0;
    const char *reason = NULL, *log = NULL, *doc_format = NULL;
    int coverage = 0, any_path = 0;
    long long now = (long long)time(NULL);
    static const char *const change_opts[] = {"--set", "--grant", "--refuse", "--withdraw", "--choose", "--informed",
                                              "--referred", "--shared", "--reported", "--permit", "--told", "--step",
                                              "--except", "--only", "--until"};
    /* fmt takes any number of files and options of its own */
    if (argc > 1 && !strcmp(argv[1], "fmt")) return cmd_fmt(argc - 2, argv + 2);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int is_change = 0;
        for (size_t k = 0; k < sizeof change_opts / sizeof *change_opts; k++) is_change |= !strcmp(a, change_opts[k]);
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            fputs(usage, stdout);
            return 0;
        } else if (!strcmp(a, "--version") || (i == 1 && !strcmp(a, "version"))) {
            /* the library's version, which is what answers the questions */
            printf("rightdoor %s\n", rd_version());
            return 0;
        } else if (!strcmp(a, "-I") && i + 1 < argc) {
            if (nsearch == MAX_SEARCH) {
                fprintf(stderr, "rightdoor: at most %d -I folders\n", MAX_SEARCH);
                return 2;
            }
            search[nsearch++] = argv[++i];
        } else if (!strcmp(a, "--max-errors") && i + 1 < argc) {
            char *end;
            long v = strtol(argv[++i], &end, 10);
            if (*end || v < 1 || v > 100000) {
                fprintf(stderr, "rightdoor: --max-errors takes a number from 1 to 100000\n");
                return 2;
            }
            max_errors = (unsigned)v;
        } else if (!strcmp(a, "--format")) {
            const char *f = i + 1 < argc ? argv[++i] : "";
            if (!strcmp(f, "text")) fmt = FMT_TEXT;
            else if (!strcmp(f, "json")) fmt = FMT_JSON;
            else if (!strcmp(f, "sarif")) fmt = FMT_SARIF;
            else if (!strcmp(f, "dot")) fmt = FMT_DOT;
            else if (!strcmp(f, "promela")) fmt = FMT_PROMELA;
            else if (!strcmp(f, "html") || !strcmp(f, "md")) doc_format = f;
            else {
                fprintf(stderr, "rightdoor: --format takes text, json, sarif, dot or promela (html or md for doc)\n");
                return 2;
            }
        } else if (!strcmp(a, "--now") && i + 1 < argc) {
            long long up = 0;
            int col = rd_time_parse(argv[++i], &now);
            /* a question is asked at a whole second: one between two could be answered as if
             * asked before a withdrawal or after a grant it came before */
            if (!col && rd_time_parse_rounded(argv[i], &up, 1) == 0 && up != now) {
                fprintf(stderr, "rightdoor: --now: give the time in whole seconds (no fraction)\n");
                return 2;
            }
            if (col) {
                fprintf(stderr, "rightdoor: --now: character %d is wrong: write the date, the time and the offset from UTC, "
                                "as in 2024-05-01T10:00:00Z or 2024-05-01T17:00:00+07:00\n", col);
                return 2;
            }
        } else if (!strcmp(a, "--coverage")) {
            coverage = 1;
        } else if (!strcmp(a, "--allow-any-path")) {
            any_path = 1;
        } else if (!strcmp(a, "-o") && i + 1 < argc) {
            out_path = argv[++i];
        } else if (!strcmp(a, "--decision-log") && i + 1 < argc) {
            log = argv[++i];
        } else if (!strcmp(a, "--reason") && i + 1 < argc) {
            reason = argv[++i];
        } else if (is_change && i + 1 < argc) {
            if (nchanges == sizeof changes / sizeof *changes) {
                fprintf(stderr, "rightdoor: too many changes at once\n");
                return 2;
            }
            changes[nchanges++] = (cli_change){a + 2, argv[++i]};
        } else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "rightdoor: unknown option `%s`, or it lacks its argument\n\n%s", a, usage);
            return 2;
        } else if (npos < sizeof pos / sizeof *pos) {
            pos[npos++] = a;
        } else {
            fprintf(stderr, "rightdoor: unexpected argument `%s`\n\n%s", a, usage);
            return 2;
        }
    }
    if (!npos) {
        fputs(usage, stderr);
        return 2;
    }
    const char *cmd = pos[0];
    default_search(search, &nsearch, exe_buf, sizeof exe_buf, lib_buf, sizeof lib_buf);
    rd_options opt = {search, nsearch, any_path};
    enum { C_CHECK, C_GRAPH, C_NEXT, C_MAY_SHARE, C_CASE, C_EXPLAIN, C_RUN, C_TEST, C_DOC, C_DIFF, C_CEDAR };
    static const struct { const char *name; size_t args; } cmds[] = {
        [C_CHECK] = {"check", 1}, [C_GRAPH] = {"graph", 1}, [C_NEXT] = {"next", 2}, [C_MAY_SHARE] = {"may-share", 5},
        [C_CASE] = {"case", 2}, [C_EXPLAIN] = {"explain", 2}, [C_RUN] = {"run", 2}, [C_TEST] = {"test", 1},
        [C_DOC] = {"doc", 1}, [C_DIFF] = {"diff", 2}, [C_CEDAR] = {"cedar", 1},
    };
    for (size_t k = 0; k < sizeof cmds / sizeof *cmds; k++) {
        if (strcmp(cmd, cmds[k].name)) continue;
        if (npos - 1 != cmds[k].args && !(k == C_CEDAR && npos == 4)) {
            fprintf(stderr, "rightdoor: `%s` takes %zu argument%s\n\n%s", cmd, cmds[k].args, cmds[k].args == 1 ? "" : "s", usage);
            return 2;
        }
        if (nchanges && strcmp(cmd, "case")) {
            fprintf(stderr, "rightdoor: changes like --%s go with `rightdoor case`\n", changes[0].what);
            return 2;
        }
        if (out_path && k != C_GRAPH && k != C_DOC && k != C_CEDAR) {
            fprintf(stderr, "rightdoor: -o goes with `rightdoor graph`, `rightdoor doc` or `rightdoor cedar`\n");
            return 2;
        }
        if ((fmt == FMT_DOT || fmt == FMT_PROMELA) && k != C_GRAPH) {
            fprintf(stderr, "rightdoor: --format %s goes with `rightdoor graph`\n", fmt == FMT_DOT ? "dot" : "promela");
            return 2;
        }
        if (doc_format && k != C_DOC) {
            fprintf(stderr, "rightdoor: --format html|md goes with `rightdoor doc`\n");
            return 2;
        }
        if (fmt == FMT_DEFAULT && k != C_GRAPH) fmt = FMT_TEXT;
        switch (k) {
        case C_CEDAR: return cmd_cedar(pos[1], npos == 4 ? pos[2] : NULL, npos == 4 ? pos[3] : NULL, out_path, &opt, now);
        case C_DOC: return cmd_doc(pos[1], &opt, doc_format, out_path);
        case C_CHECK: return cmd_check(pos[1], &opt, max_errors, fmt);
        case C_GRAPH:
            return cmd_graph(pos[1], &opt,
                             fmt == FMT_DEFAULT ? GRAPH_DEFAULT : fmt == FMT_JSON ? GRAPH_JSON : fmt == FMT_DOT ? GRAPH_DOT : fmt == FMT_PROMELA ? GRAPH_PROMELA : GRAPH_OTHER,
                             out_path);
        case C_NEXT: return cmd_next(pos[1], pos[2], &opt, fmt == FMT_JSON, now, 0, log);
        case C_EXPLAIN: return cmd_next(pos[1], pos[2], &opt, fmt == FMT_JSON, now, 1, log);
        case C_RUN: return cmd_run(pos[1], pos[2], &opt);
        case C_TEST: return cmd_test(pos[1], &opt, coverage);
        case C_MAY_SHARE: return cmd_may_share(pos[1], pos[2], pos[3], pos[4], pos[5], &opt, fmt == FMT_JSON, now, log);
        case C_DIFF:
            if (fmt == FMT_SARIF) {
                fprintf(stderr, "rightdoor: `diff` writes text or json\n");
                return 2;
            }
            return cmd_diff(pos[1], pos[2], &opt, fmt == FMT_JSON);
        case C_CASE:
            if (!nchanges) {
                fprintf(stderr, "rightdoor: `case` needs at least one change, such as --set safe_now=false\n");
                return 2;
            }
            return cmd_case(pos[1], pos[2], &opt, changes, nchanges, reason, now);
        }
    }
    fprintf(stderr, "rightdoor: unknown command `%s`\n\n%s", cmd, usage);
    return 2;
}
