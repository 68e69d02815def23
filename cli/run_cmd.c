/* `rightdoor run FILE.sop CASE.yaml`: walks a worker through a case in the terminal (for training).
 * Each round shows what is to be done now, takes one answer for each item, applies it with the
 * same library calls as `rightdoor case`, and saves the case at once (the safe way), so stopping
 * at any moment loses nothing. Ends when nothing is left to do, or on `q` / end of input. */
#include "case_cmd.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* One line from the worker, without its newline; NULL at end of input. */
static char *ask_line(const char *prompt, char *buf, size_t n)
{
    printf("%s", prompt);
    fflush(stdout);
    if (!fgets(buf, (int)n, stdin)) return NULL;
    buf[strcspn(buf, "\r\n")] = '\0';
    return buf;
}

static int yes(const char *s) { return s && (s[0] == 'y' || s[0] == 'Y'); }

int cmd_run(const char *sop, const char *case_path, const rd_options *opt)
{
    rd_diagnostics *d = NULL;
    rd_program *p = rd_compile(sop, opt, &d);
    if (!p) {
        rd_diagnostics_print(d, stderr, 0);
        int rc = d && rd_diagnostics_status(d) == RD_ERR_IO ? 2 : 1;
        rd_diagnostics_free(d);
        return rc;
    }
    int rc = 0;
    char buf[512], err[256];
    for (int round = 1;; round++) {
        rd_case *c = rd_case_load(p, case_path, d);
        if (!c) {
            rd_diagnostics_print(d, stderr, 0);
            rc = 1;
            break;
        }
        long long now = (long long)time(NULL);
        rd_action_list *l = rd_case_next(c, now);
        if (!l) {
            rd_case_free(c);
            rc = 3;
            break;
        }
        size_t waiting = 0;
        for (size_t i = 0; i < rd_actions_len(l); i++) waiting += rd_actions_get(l, i)->kind != RD_ACT_END;
        if (!waiting) {
            printf("\nNothing more to do for this case now.\n");
            for (size_t i = 0; i < rd_actions_len(l); i++) printf("  (%s)\n", rd_actions_get(l, i)->text);
            rd_actions_free(l);
            rd_case_free(c);
            break;
        }
        printf("\n--- round %d ---\n", round);
        int quit = 0;
        for (size_t i = 0; i < rd_actions_len(l) && !quit; i++) {
            const rd_action *a = rd_actions_get(l, i);
            char *in = NULL;
            rd_status st = RD_OK;
            err[0] = '\0';
            switch (a->kind) {
            case RD_ACT_ASK:
                printf("\nAsk her: %s\n", a->text);
                in = ask_line("  her answer (a value, `unknown` if she declines, `q` to stop): ", buf, sizeof buf);
                if (in && strcmp(in, "q")) st = rd_case_set_fact(c, a->name, in, err, sizeof err);
                break;
            case RD_ACT_INFORM:
                printf("\nTell her (%s):\n  %s%s\n", a->name, a->text, a->fallback ? "\n  [not translated into her language]" : "");
                in = ask_line("  told? [y/n, q]: ", buf, sizeof buf);
                if (in && yes(in)) st = rd_case_record(c, "inform", a->name, NULL, NULL, now, err, sizeof err);
                break;
            case RD_ACT_SEEK:
                printf("\nAsk for her consent: %s\n  (%s)\n", a->text, a->detail ? a->detail : "");
                in = ask_line("  does she agree? [y/n, q]: ", buf, sizeof buf);
                if (in && strcmp(in, "q")) st = rd_case_decide(c, a->name, yes(in), now, err, sizeof err);
                break;
            case RD_ACT_CHOOSE:
                printf("\n%s\n  options: %s\n", a->text, a->detail ? a->detail : "");
                in = ask_line("  which does she choose? (option names, separated by spaces; q): ", buf, sizeof buf);
                if (in && strcmp(in, "q"))
                    for (char *tok = strtok(in, " ,"); tok && st == RD_OK; tok = strtok(NULL, " ,"))
                        st = rd_case_record(c, "choose", a->name, tok, NULL, now, err, sizeof err);
                break;
            case RD_ACT_REFER:
            case RD_ACT_SHARE:
            case RD_ACT_REPORT:
            case RD_ACT_TELL_AFTER:
                printf("\nTo do: %s\n", a->text);
                if (a->detail) printf("  %s\n", a->detail);
                in = ask_line(a->kind == RD_ACT_REFER ? "  referred to (actor name, or empty if not yet; q): "
                                                      : "  done? [y/n, q]: ",
                              buf, sizeof buf);
                if (in && a->kind == RD_ACT_REFER && *in && strcmp(in, "q"))
                    st = rd_case_record(c, "refer", in, *a->name ? a->name : NULL, NULL, now, err, sizeof err);
                else if (in && yes(in) && a->kind == RD_ACT_REPORT)
                    st = rd_case_record(c, "report", a->name, NULL, NULL, now, err, sizeof err);
                else if (in && yes(in) && a->kind == RD_ACT_TELL_AFTER)
                    st = rd_case_record(c, "told", a->name, NULL, NULL, now, err, sizeof err);
                else if (in && yes(in) && a->kind == RD_ACT_SHARE)
                    printf("  record the share with `rightdoor case ... --shared DATA:ACTOR`\n");
                break;
            default: continue;
            }
            if (!in || !strcmp(in, "q")) quit = 1;
            else if (st != RD_OK) printf("  not taken: %s\n", err);
        }
        rd_actions_free(l);
        rd_status saved = rd_case_save(c, case_path);
        rd_case_free(c);
        if (saved != RD_OK) {
            fprintf(stderr, "rightdoor: could not save %s; the file is unchanged\n", case_path);
            rc = 2;
            break;
        }
        if (quit) {
            printf("\nSaved. Stopped.\n");
            break;
        }
    }
    rd_program_free(p);
    rd_diagnostics_free(d);
    return rc;
}
