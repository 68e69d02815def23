/* embed: librightdoor inside an app, as a hotline or case-management tool would use it.
 *
 * At start-up the app compiles its SOP once and proves its principles; it refuses to run an SOP
 * that breaks one. Then, for a worker at actor FROM handling the case in CASE.yaml:
 *   1. load the case and print what to do next (the texts are in the case's language);
 *   2. the worker gives the notices listed, and the app records that (rd_case_record "inform");
 *   3. the worker is about to share DATA with actor TO: the app asks rd_may_share first and, when
 *      the answer is no, refuses to send it and shows the rule that decided and its source line;
 *      when the answer rests on a permit (break-glass), it goes ahead only with a stated REASON,
 *      and records the permit's use;
 *   4. the share, when made, is recorded (rd_case_record "share");
 *   5. the case is saved (rd_case_save: a crash leaves the old file or the new one).
 * Steps 1 to 5 run under the case's lock (rd_case_lock): another worker changing the same case
 * meanwhile (recording her withdrawal) waits, and neither change is lost.
 * The case file is changed in place: run it on a copy.
 *
 * Usage, from the top folder of the source tree (the SOP's `use std` and `use rules.esp` are
 * found in stdlib/ and ./):
 *   embed SOP CASE FROM DATA TO [REASON]
 * Exit status: 0 the share was made, 1 it was refused (what was done is still recorded and
 * saved), 2 the SOP, the case or the saving failed.
 *
 * Nothing here prints a fact's value: a case holds a survivor's facts. */
#include "rightdoor.h"
#include <stdio.h>
#include <string.h>
#include <time.h>

/* The library has no names for action kinds: an app keeps its own, in enum order. */
static const char *const kind_name[] = {"ask", "inform", "seek consent", "offer a choice", "refer", "share",
                                        "report", "tell her afterwards", "end", "trace"};

static const char *kind_of(rd_action_kind k)
{
    return (size_t)k < sizeof kind_name / sizeof *kind_name ? kind_name[k] : "?";
}

/* Prints line `line` of `file` (the rule an answer rests on), as a compiler shows a source line. */
static void print_source_line(const char *file, unsigned line)
{
    FILE *f = file ? fopen(file, "r") : NULL;
    if (!f) return;
    char buf[1024];
    unsigned n = 0;
    while (fgets(buf, sizeof buf, f)) {
        int whole = strchr(buf, '\n') != NULL; /* a long line comes in several pieces */
        if (++n == line) {
            buf[strcspn(buf, "\n")] = '\0';
            printf("    %4u | %s%s\n", line, buf, whole ? "" : " ...");
            break;
        }
        while (!whole && fgets(buf, sizeof buf, f)) whole = strchr(buf, '\n') != NULL;
    }
    fclose(f);
}

static void print_actions(const rd_action_list *l)
{
    size_t n = rd_actions_len(l);
    if (!n) printf("  nothing to do now\n");
    for (size_t i = 0; i < n; i++) {
        const rd_action *a = rd_actions_get(l, i);
        printf("  %zu. %s %s%s\n", i + 1, kind_of(a->kind), a->name ? a->name : "", a->breach ? "  [BREACH OF THE SOP]" : "");
        if (a->text) printf("     %s%s\n", a->text, a->fallback ? "  [not in her language]" : "");
        if (a->detail) printf("     %s\n", a->detail);
        if (a->file) printf("     (%s:%u)\n", a->file, a->line);
    }
}

/* Step 3: may the worker share? 1 yes (and any permit use recorded), 0 no. */
static int may_share(rd_case *c, const char *data, const char *from, const char *to, const char *reason, long long now)
{
    rd_reason why;
    char text[512];
    rd_decision d = rd_may_share(c, data, from, to, now, &why);
    rd_reason_text(&why, text, sizeof text);
    printf("\nThe worker is about to share `%s` with `%s`:\n", data, to);
    if (d == RD_DENY) {
        printf("  REFUSED: %s\n", text);
        if (why.file) { /* the rule that decided, and where it is written */
            printf("  rule: %s `%s`, %s:%u\n", why.kind, why.rule, why.file, why.line);
            print_source_line(why.file, why.line);
        } else { /* no rule allows it ("default"), or a name the SOP does not have ("unknown") */
            printf("  rule: %s (deny unless a rule allows)\n", why.kind);
        }
        printf("  Nothing was sent.\n");
        return 0;
    }
    if (why.break_glass && !reason) {
        printf("  NOT SENT: only permit `%s` allows this, without her consent; give the reason for using it\n", why.rule);
        printf("  rule: %s `%s`, %s:%u\n", why.kind, why.rule, why.file, why.line);
        print_source_line(why.file, why.line);
        return 0;
    }
    printf("  allowed: %s\n", text);
    if (why.file) printf("  rule: %s `%s`, %s:%u\n", why.kind, why.rule, why.file, why.line);
    if (why.break_glass) {
        /* break-glass: the use of a permit is recorded with who, when and why; she is told later */
        char err[256];
        char flow[256]; /* the one flow this use of the permit allows */
        snprintf(flow, sizeof flow, "%s:%s", data, to);
        if (rd_case_record(c, "permit", why.rule, flow, reason, now, err, sizeof err) != RD_OK) {
            printf("  REFUSED: the permit's use could not be recorded: %s\n", err);
            return 0;
        }
        printf("  permit `%s` used; recorded with its reason. She must be told afterwards.\n", why.rule);
    }
    return 1;
}

int main(int argc, char **argv)
{
    if (argc != 6 && argc != 7) {
        fprintf(stderr, "usage: embed SOP CASE FROM DATA TO [REASON]\n");
        return 2;
    }
    const char *sop = argv[1], *case_path = argv[2], *from = argv[3], *data = argv[4], *to = argv[5];
    const char *reason = argc == 7 ? argv[6] : NULL;
    int rc = 2;
    rd_case *c = NULL;
    rd_action_list *l = NULL;
    int lock = -1;
    char err[256];

    /* Start-up, once: compile and prove. The same rd_diagnostics collects what loading cases
     * reports later (rd_case_load needs one to add to). */
    static const char *const search[] = {"stdlib", "."};
    rd_options opt = {search, sizeof search / sizeof *search, 0};
    rd_diagnostics *diags = NULL;
    rd_program *prog = rd_compile(sop, &opt, &diags);
    if (!prog || rd_verify(prog, diags) != RD_OK) {
        fprintf(stderr, "embed: the SOP cannot be used:\n");
        rd_diagnostics_print(diags, stderr, 0);
        goto out;
    }
    char fingerprint[17];
    rd_program_hash(prog, fingerprint);
    const char *version = rd_program_version(prog);
    printf("SOP %s, version %s (fingerprint %s): compiled, every principle holds\n", sop, version ? version : "?",
           fingerprint);

    /* 1. A worker opens the case, under its lock until it is saved. */
    lock = rd_case_lock(case_path);
    if (lock < 0) {
        fprintf(stderr, "embed: the case cannot be opened\n");
        goto out;
    }
    c = rd_case_load(prog, case_path, diags);
    if (!c) {
        fprintf(stderr, "embed: the case cannot be read:\n");
        rd_diagnostics_print(diags, stderr, 0);
        goto out;
    }
    long long now = (long long)time(NULL);
    l = rd_case_next(c, now);
    if (!l) {
        fprintf(stderr, "embed: out of memory\n");
        goto out;
    }
    printf("\nCase %s, what to do now:\n", rd_case_id(c));
    print_actions(l);

    /* 2. The worker gives the notices listed (a real app asks her to confirm each on screen). */
    for (size_t i = 0; i < rd_actions_len(l); i++) {
        const rd_action *a = rd_actions_get(l, i);
        if (a->kind != RD_ACT_INFORM) continue;
        if (rd_case_record(c, "inform", a->name, NULL, NULL, now, err, sizeof err) != RD_OK) {
            fprintf(stderr, "embed: %s\n", err);
            goto out;
        }
        printf("\nRecorded: she was told `%s`.\n", a->name);
    }

    /* 3 and 4. Ask before sharing; record the share only when it is made. */
    int shared = may_share(c, data, from, to, reason, now);
    if (shared) {
        if (rd_case_record(c, "share", data, to, NULL, now, err, sizeof err) != RD_OK) {
            fprintf(stderr, "embed: %s\n", err);
            goto out;
        }
        printf("  Sent, and recorded.\n");
    }

    /* 5. Save. */
    rd_status st = rd_case_save(c, case_path);
    if (st != RD_OK) {
        fprintf(stderr, "embed: the case could not be saved (%s)\n", st == RD_ERR_NOMEM ? "out of memory" : "input/output error");
        goto out;
    }
    printf("\nSaved %s.\n", case_path);
    rc = shared ? 0 : 1;
out:
    rd_case_unlock(lock);
    rd_actions_free(l);
    rd_case_free(c);
    rd_program_free(prog);
    rd_diagnostics_free(diags);
    return rc;
}
