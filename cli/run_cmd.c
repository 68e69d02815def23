/* `rightdoor run FILE.sop CASE.yaml`: walks a worker through a case in the terminal (for training).
 * Each round shows what is to be done now and takes one answer for each item; then, under the
 * case's lock, reads the case again, applies the answers with the same library calls as `rightdoor
 * case` and saves it (the safe way), so that stopping at any moment loses nothing and a change
 * another worker saved meanwhile (her withdrawal) is never overwritten. Ends when nothing is left
 * to do, or on `q` / end of input. */
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

/* An answer the worker gave, applied later under the lock: set a fact (kind "set"), decide a
 * consent ("decide", granted in `yes`), or record an event (rd_case_record's kinds). */
typedef struct answer { char *kind, *a, *b; int yes; } answer;
typedef struct answers { answer *v; size_t n, cap; } answers;

static int keep(answers *l, const char *kind, const char *a, const char *b, int y)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 8;
        answer *v = realloc(l->v, cap * sizeof *v);
        if (!v) return -1;
        l->v = v;
        l->cap = cap;
    }
    answer *x = &l->v[l->n];
    x->kind = strdup(kind);
    x->a = strdup(a);
    x->b = b ? strdup(b) : NULL;
    x->yes = y;
    if (!x->kind || !x->a || (b && !x->b)) {
        free(x->kind), free(x->a), free(x->b);
        return -1;
    }
    l->n++;
    return 0;
}

static void forget(answers *l)
{
    for (size_t i = 0; i < l->n; i++) free(l->v[i].kind), free(l->v[i].a), free(l->v[i].b);
    l->n = 0;
}

/* Under the lock: the case as saved now, the round's answers on it, saved. 0, or an exit code. */
static int apply(rd_program *p, rd_diagnostics *d, const char *case_path, const answers *l, long long now)
{
    int lock = rd_case_lock(case_path);
    if (lock < 0) {
        fprintf(stderr, "rightdoor: cannot open the case file %s\n", case_path);
        return 2;
    }
    rd_case *c = rd_case_load(p, case_path, d);
    int rc = 0;
    char err[256];
    if (!c) {
        rd_diagnostics_print(d, stderr, 0);
        rc = 1;
    }
    for (size_t i = 0; c && i < l->n; i++) {
        const answer *x = &l->v[i];
        rd_status st = !strcmp(x->kind, "set")      ? rd_case_set_fact(c, x->a, x->b, err, sizeof err)
                     : !strcmp(x->kind, "decide")   ? rd_case_decide(c, x->a, x->yes, now, err, sizeof err)
                                                    : rd_case_record(c, x->kind, x->a, x->b, NULL, now, err, sizeof err);
        if (st != RD_OK) printf("  not taken: %s\n", err);
    }
    if (c && rd_case_save(c, case_path) != RD_OK) {
        fprintf(stderr, "rightdoor: could not save %s; the file is unchanged\n", case_path);
        rc = 2;
    }
    rd_case_free(c);
    rd_case_unlock(lock);
    return rc;
}

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
    char buf[512];
    answers got = {NULL, 0, 0};
    for (int round = 1;; round++) {
        rd_case *c = rd_case_load(p, case_path, d);
        if (!c) {
            rd_diagnostics_print(d, stderr, 0);
            rc = 1;
            break;
        }
        long long now = (long long)time(NULL);
        rd_action_list *l = rd_case_next(c, now);
        rd_case_free(c);
        if (!l) {
            rc = 3;
            break;
        }
        size_t waiting = 0;
        for (size_t i = 0; i < rd_actions_len(l); i++) waiting += rd_actions_get(l, i)->kind != RD_ACT_END;
        if (!waiting) {
            printf("\nNothing more to do for this case now.\n");
            for (size_t i = 0; i < rd_actions_len(l); i++) printf("  (%s)\n", rd_actions_get(l, i)->text);
            rd_actions_free(l);
            break;
        }
        printf("\n--- round %d ---\n", round);
        int quit = 0, nomem = 0;
        forget(&got);
        for (size_t i = 0; i < rd_actions_len(l) && !quit && !nomem; i++) {
            const rd_action *a = rd_actions_get(l, i);
            char *in = NULL;
            switch (a->kind) {
            case RD_ACT_ASK:
                printf("\nAsk her: %s\n", a->text);
                in = ask_line("  her answer (a value, `unknown` if she declines, `q` to stop): ", buf, sizeof buf);
                if (in && strcmp(in, "q")) nomem = keep(&got, "set", a->name, in, 0);
                break;
            case RD_ACT_INFORM:
                printf("\nTell her (%s):\n  %s%s\n", a->name, a->text, a->fallback ? "\n  [not translated into her language]" : "");
                in = ask_line("  told? [y/n, q]: ", buf, sizeof buf);
                if (in && yes(in)) nomem = keep(&got, "inform", a->name, NULL, 0);
                break;
            case RD_ACT_SEEK:
                printf("\nAsk for her consent: %s\n  (%s)\n", a->text, a->detail ? a->detail : "");
                in = ask_line("  does she agree? [y/n, q]: ", buf, sizeof buf);
                if (in && strcmp(in, "q")) nomem = keep(&got, "decide", a->name, NULL, yes(in));
                break;
            case RD_ACT_CHOOSE:
                printf("\n%s\n  options: %s\n", a->text, a->detail ? a->detail : "");
                in = ask_line("  which does she choose? (option names, separated by spaces; q): ", buf, sizeof buf);
                if (in && strcmp(in, "q"))
                    for (char *tok = strtok(in, " ,"); tok && !nomem; tok = strtok(NULL, " ,"))
                        nomem = keep(&got, "choose", a->name, tok, 0);
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
                    nomem = keep(&got, "refer", in, *a->name ? a->name : NULL, 0);
                else if (in && yes(in) && a->kind == RD_ACT_REPORT)
                    nomem = keep(&got, "report", a->name, NULL, 0);
                else if (in && yes(in) && a->kind == RD_ACT_TELL_AFTER)
                    nomem = keep(&got, "told", a->name, NULL, 0);
                else if (in && yes(in) && a->kind == RD_ACT_SHARE)
                    printf("  record the share with `rightdoor case ... --shared DATA:ACTOR`\n");
                break;
            default: continue;
            }
            if (!in || !strcmp(in, "q")) quit = 1;
        }
        rd_actions_free(l);
        if (nomem) {
            rc = 3;
            break;
        }
        /* nothing answered, nothing written: the file another worker saved stays as it is */
        if (got.n && (rc = apply(p, d, case_path, &got, now)) != 0) break;
        if (quit) {
            printf(got.n ? "\nSaved. Stopped.\n" : "\nStopped.\n");
            break;
        }
    }
    forget(&got);
    free(got.v);
    rd_program_free(p);
    rd_diagnostics_free(d);
    return rc;
}
