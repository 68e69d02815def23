/* Verifier benchmark: generates a self-contained SOP with N steps, M actors, K data categories, D
 * duties and F facts used in conditions, compiles it (the baseline: parse + resolve + check of the
 * same text) and times building its decision graph and proving every principle (rd_verify, best of
 * R runs, each on a freshly compiled program in a child process). Prints one line: the sizes, graph
 * nodes, compile ms, verify ms, their ratio, what the verifier reported (errors by principle; a
 * `budget` error when its state budget ran out) and the peak RSS. Run one configuration per process
 * so the peak RSS is that configuration's own: bench/run.sh does.
 *
 *   bench_verify STEPS ACTORS DATA DUTIES FACTS RUNS [LIMIT]
 *
 * LIMIT (seconds, optional) bounds the time spent verifying: a run still going then is stopped and
 * the line says "NOT FINISHED". BENCH_VERIFY_DUMP=file writes the generated SOP out;
 * BENCH_VERIFY_SHOW=1 prints the verifier's diagnostics.
 *
 * The SOP is shaped like a real one and exercises every principle form:
 *  - vocabulary: eight sectors, one of them immigration `{ enforcement }`; data with `identifying`,
 *    `protected` and `reveals`; bool, enum and int facts (ints compared against windows such as
 *    72 and 120 hours); a fact that reveals migration status; consents per receiving sector; a
 *    permit `when emergency`;
 *  - D duties with notices; all but one notice are given at intake, before she discloses anything,
 *    and the last duty's notice only after the data it reports has been recorded (a real failure
 *    of `every report requires notice`); duty 0 is the police reporting work permits to
 *    immigration, and one step of pathway 0 refers her to the police sharing her work permit (a
 *    real failure of the firewall, through the chain referral -> duty firing);
 *  - pathways of at most 100 steps each; steps ask facts, branch on them two and three levels deep,
 *    seek consents with granted / refused, refer with sharing, record, share under the emergency
 *    permit, choose among options (including "nothing now"), jump forward, and loop back for a
 *    follow-up through a `choose`.
 * So the expected report is: the two deliberate failures (each shown at up to 5 places, plus a
 * note counting the rest), nothing else. */
#include "buf.h"
#include "program.h"
#include "graph.h"
#include "rightdoor.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* ---- the generated SOP ----------------------------------------------------------------------- */

enum { S_IMM, S_POLICE, S_HEALTH, S_SOCIAL, S_SHELTER, S_LEGAL, S_HOTLINE, S_PSYCH, NSECT };
static const char *sect_name[NSECT] = {"immigration", "police", "health", "social_services",
                                       "shelter", "legal_aid", "hotline", "psychosocial"};
static const char *sect_label[NSECT] = {"Immigration enforcement", "Police", "Health care", "Social services",
                                        "Safe shelter", "Legal aid", "Hotlines", "Psycho-social support"};
static const char *sect_service[NSECT] = {"immigration_processing", "police_protection", "medical_care",
                                          "case_management", "safe_shelter", "legal_information",
                                          "crisis_line", "counselling"};
/* share of the actors per sector, in percent (immigration gets at least one) */
static const int sect_pct[NSECT] = {2, 10, 25, 25, 10, 10, 8, 10};

typedef struct gen {
    int steps, actors, data, duties, facts;
    int first[NSECT], count[NSECT]; /* actor numbers a<first> .. of each sector */
    int nspec_social;               /* social_services actors 0..nspec_social-1 are specialists */
    char ftype[64];                 /* 'b' bool, 'e' enum, 'i' int */
    const char *fname[64];
    int ngeneric;                   /* data g0..g<ngeneric-1> beyond the six fixed ones */
} gen;

static int actor_of(const gen *G, int sector, int k) { return G->first[sector] + k % G->count[sector]; }

/* A specialist actor of the social services or shelter sector (always exists). */
static int specialist_actor(const gen *G, int k)
{
    if (k % 2 && G->nspec_social) return G->first[S_SOCIAL] + k % G->nspec_social;
    return actor_of(G, S_SHELTER, k);
}

/* A condition on fact i, true for some of its values. */
static void cond(buf *b, const gen *G, int i, int variant)
{
    i %= G->facts;
    const char *f = G->fname[i];
    switch (G->ftype[i]) {
    case 'b': add(b, variant % 2 ? "not %s" : "%s", f); break;
    case 'e':
        if (i == 3) add(b, variant % 2 ? "%s in { sexual, physical }" : "%s == physical", f);
        else add(b, variant % 2 ? "%s != low" : "%s in { medium, high }", f);
        break;
    default:
        if (i == 2) add(b, variant % 2 ? "%s > 120" : "%s <= 72", f);
        else add(b, variant % 2 ? "%s >= 18" : "%s < 60", f);
    }
}

static void vocabulary(buf *b, gen *G)
{
    add(b, "sop \"Generated verifier benchmark\" {\n  languages en\n  version \"1\"\n}\n\n");
    for (int s = 0; s < NSECT; s++)
        add(b, "sector %s \"%s\"%s\n", sect_name[s], sect_label[s], s == S_IMM ? " { enforcement }" : "");
    for (int s = 0; s < NSECT; s++) add(b, "service %s \"%s\"\n", sect_service[s], sect_label[s]);

    /* data: six fixed categories, then generic ones */
    add(b, "data migration_status \"Migration status\" { protected }\n");
    add(b, "data survivor_name \"Survivor's name\" { identifying }\n");
    add(b, "data location \"Where she stays\" { identifying }\n");
    add(b, "data work_permit \"Work permit\" { identifying reveals migration_status }\n");
    add(b, "data incident_details \"What happened\"\n");
    add(b, "data national_id \"National ID number\" { identifying }\n");
    for (int i = 0; i < G->ngeneric; i++)
        add(b, "data g%d \"Case data %d\"%s\n", i, i, i % 3 == 0 ? " { identifying }" : "");

    /* facts: the fixed roles first, then bool / enum / int in turn */
    static const char *fixed[] = {"safe_now", "emergency", "hours_since_incident", "violence", "undocumented"};
    static char names[64][16];
    for (int i = 0; i < G->facts; i++) {
        if (i < 5) {
            G->fname[i] = fixed[i];
            G->ftype[i] = i == 2 ? 'i' : i == 3 ? 'e' : 'b';
        } else {
            snprintf(names[i], sizeof names[i], "q%d", i);
            G->fname[i] = names[i];
            G->ftype[i] = "bei"[i % 3];
        }
        const char *f = G->fname[i];
        if (i == 3) add(b, "fact %s: enum { physical, sexual, psychological, economic } \"Type of violence\"\n", f);
        else if (i == 4) add(b, "fact %s: bool \"Is she undocumented?\" { reveals migration_status }\n", f);
        else if (G->ftype[i] == 'b') add(b, "fact %s: bool \"Question %d?\"\n", f, i);
        else if (G->ftype[i] == 'e') add(b, "fact %s: enum { low, medium, high } \"Question %d?\"\n", f, i);
        else add(b, "fact %s: int \"Question %d (a number)?\"\n", f, i);
    }

    add(b, "notice confidentiality \"What you tell us stays with us unless you agree, except as the law requires.\"\n");
    add(b, "notice right_to_refuse \"You may refuse any service; refusing one never ends the others.\"\n");
    for (int y = 0; y < G->duties; y++)
        add(b, "notice duty_notice%d \"Before you tell me more: rule %d requires me to report some of it.\"\n", y, y);

    /* actors across the sectors */
    int next = 0;
    for (int s = 0; s < NSECT; s++) {
        int c = G->actors * sect_pct[s] / 100;
        if (c < 1) c = 1;
        if (s == S_PSYCH) c = G->actors - next > 1 ? G->actors - next : 1;
        G->first[s] = next;
        G->count[s] = c;
        next += c;
    }
    G->actors = next;
    G->nspec_social = G->count[S_SOCIAL] / 2;
    for (int s = 0; s < NSECT; s++)
        for (int k = 0; k < G->count[s]; k++) {
            int a = G->first[s] + k;
            int spec = s == S_SHELTER || s == S_HOTLINE || (s == S_SOCIAL && k < G->nspec_social) ||
                       (s == S_LEGAL && k % 2 == 0) || (s == S_HEALTH && k % 5 == 0) || s == S_PSYCH;
            add(b, "actor a%d \"%s office %d\" {\n  sector %s\n%s  provides %s\n  languages en\n  hours \"24/7\"\n}\n", a,
                sect_label[s], k, sect_name[s], spec ? "  specialist\n" : "", sect_service[s]);
        }

    /* consents per receiving sector, and the emergency permit */
    for (int s = S_POLICE; s < NSECT; s++)
        if (s != S_SOCIAL && s != S_HOTLINE) /* the sectors steps refer to */
            add(b, "consent c_%s \"Referral to %s\" {\n  shares survivor_name, location, incident_details%s\n  with sector %s\n  purpose \"referral\"\n}\n",
            sect_name[s], sect_label[s], s == S_POLICE ? ", work_permit" : "", sect_name[s]);
    add(b, "permit emergency_police \"Life-threatening emergency\" {\n  shares survivor_name, location\n  with sector police\n  when emergency\n}\n");

    /* duties: 0 is the police reporting work permits to immigration; the others report her name
     * and one generic datum from health or social services to a police station */
    for (int y = 0; y < G->duties; y++) {
        if (y == 0) {
            add(b, "duty foreign_worker_report \"EXAMPLE: police report foreign workers' permits\" {\n  applies to sector police\n"
                   "  when undocumented\n  reports work_permit to a%d\n  notice duty_notice0\n}\n", actor_of(G, S_IMM, 0));
            continue;
        }
        add(b, "duty duty%d \"EXAMPLE clause %d\" {\n  applies to sector %s\n  when ", y, y, y % 2 ? "health" : "social_services");
        cond(b, G, 3 + y, y);
        add(b, "\n  reports survivor_name, g%d to a%d\n  notice duty_notice%d\n}\n", y % G->ngeneric, actor_of(G, S_POLICE, y), y);
    }

    add(b, "principle firewall \"Migration status never reaches immigration enforcement\" {\n  source \"000 Annex 3 tip 7\"\n"
           "  never migration_status reaches sector immigration\n}\n");
    add(b, "principle firewall_addresses \"Where she stays never reaches immigration enforcement\" {\n  source \"000 Annex 3\"\n"
           "  never location reaches sector immigration\n}\n");
    add(b, "principle no_national_id \"National ID numbers are never recorded\" {\n  source \"000 Annex 3 tip 3\"\n"
           "  never record national_id\n}\n");
    add(b, "principle consent_before_sharing \"Identifying data is shared only with her consent\" {\n  source \"000 Component 5\"\n"
           "  every share of identifying requires consent unless emergency\n}\n");
    add(b, "principle police_only_with_consent \"Referral to the police only with her consent\" {\n  source \"000 Mandatory reporting\"\n"
           "  every refer to sector police requires consent unless emergency\n}\n");
    add(b, "principle notice_before_report \"She is told of a duty to report before she discloses\" {\n  source \"000 Mandatory reporting\"\n"
           "  every report requires notice\n}\n");
    add(b, "principle refusal_keeps_services \"Refusing one service never ends the others\" {\n  source \"000 Right to refuse services\"\n"
           "  every refusal reaches specialist\n}\n");
    add(b, "principle right_door \"Every door is the right door\" {\n  source \"002 essential 1\"\n"
           "  every entry reaches specialist\n}\n");
    add(b, "principle notices_translated \"Every notice in her language\" {\n  source \"000 Component 5\"\n  every notice translated\n}\n\n");
}

/* One step, number i of a pathway of n steps (global step number s). */
static void step(buf *b, const gen *G, int pw, int i, int n, int s)
{
    int f = s * 7; /* where this step's facts start in the pool */
    int nxt = i + 1 < n ? i + 1 : -1;
#define GOTO_NEXT() (nxt >= 0 ? add(b, "goto s%d\n", nxt) : add(b, "end \"case closed\"\n"))
    if (i == 0) {
        add(b, "  step s0 \"Report received\" by provider {\n    inform confidentiality\n    inform right_to_refuse\n");
        for (int y = 0; y + 1 < G->duties || (y == 0 && G->duties == 1); y++) add(b, "    inform duty_notice%d\n", y);
        add(b, "    ask safe_now, emergency, hours_since_incident, violence\n");
        add(b, "    record survivor_name, incident_details, g%d\n    ", pw % G->ngeneric);
        GOTO_NEXT();
        add(b, "  }\n");
        return;
    }
    if (nxt < 0) {
        add(b, "  step s%d \"Closing the case\" by a%d {\n    record g%d\n    end \"case closed\"\n  }\n", i,
            specialist_actor(G, s), s % G->ngeneric);
        return;
    }
    int kind = i % 6;
    /* the late notice: the last duty's notice, given in pathway steps after g<its datum> is recorded */
    int late = G->duties >= 2 && kind == 3 && i % 12 == 3;
    switch (kind) {
    case 0: /* follow-up loop back through a choose */
        add(b, "  step s%d \"Follow-up %d\" by provider {\n    ask %s\n    choose {\n", i, s, G->fname[(f + 1) % G->facts]);
        add(b, "      review \"Review again\" { goto s%d }\n      go_on \"Go on\" { goto s%d }\n", i >= 4 ? i - 4 : 1, nxt);
        add(b, "      nothing \"Nothing now\" { end \"she may come back\" }\n    }\n  }\n");
        return;
    case 1: { /* assessment: nested conditions, a health referral under consent */
        int h = actor_of(G, S_HEALTH, s);
        add(b, "  step s%d \"Assessment %d\" by provider {\n    ask %s, %s\n    if ", i, s, G->fname[f % G->facts],
            G->fname[(f + 2) % G->facts]);
        cond(b, G, f, s);
        add(b, " {\n      if ");
        cond(b, G, 2, s / 3);
        add(b, " {\n        seek c_health {\n          granted { refer a%d for medical_care sharing survivor_name, incident_details }\n"
               "          refused { goto s%d }\n        }\n      } else {\n        if ", h, nxt);
        cond(b, G, f + 2, s);
        add(b, " { record g%d } else { inform confidentiality }\n      }\n    } else {\n      ask %s\n    }\n    goto s%d\n  }\n",
            (s + 1) % G->ngeneric, G->fname[(f + 3) % G->facts], nxt);
        return;
    }
    case 2: { /* safety: the emergency permit, the police under consent */
        int pol = actor_of(G, S_POLICE, s);
        int permit_step = pw == 0 && i == 8; /* the deliberate firewall failure */
        add(b, "  step s%d \"Safety %d\" by provider {\n    ask safe_now, emergency\n    if not safe_now {\n", i, s);
        add(b, "      if emergency { share survivor_name, location with a%d }\n      else {\n        seek c_police {\n", pol);
        add(b, "          granted { refer a%d for police_protection sharing survivor_name, location%s }\n", pol,
            permit_step ? ", work_permit" : "");
        add(b, "          refused { inform right_to_refuse }\n        }\n      }\n    }\n    goto s%d\n  }\n", nxt);
        return;
    }
    case 3: /* record, jump forward on a compound condition */
        add(b, "  step s%d \"Documentation %d\" by provider {\n    ask %s\n    record g%d%s\n", i, s,
            G->fname[(f + 4) % G->facts], late ? (G->duties - 1) % G->ngeneric : s % G->ngeneric,
            s % 5 == 0 ? ", work_permit" : "");
        if (late) add(b, "    inform duty_notice%d\n", G->duties - 1);
        add(b, "    if ");
        cond(b, G, f + 4, s);
        add(b, " and ");
        cond(b, G, f + 5, s + 1);
        add(b, " { goto s%d }\n    goto s%d\n  }\n", i + 2 < n ? i + 2 : nxt, nxt);
        return;
    case 4: { /* referrals she chooses among */
        int sh = actor_of(G, S_SHELTER, s), lg = actor_of(G, S_LEGAL, s);
        add(b, "  step s%d \"Referrals %d\" by provider {\n    choose {\n", i, s);
        add(b, "      shelter \"Safe shelter\" {\n        seek c_shelter {\n          granted { refer a%d for safe_shelter sharing survivor_name, location }\n"
               "          refused { goto s%d }\n        }\n      }\n", sh, nxt);
        add(b, "      legal \"Legal information\" {\n        seek c_legal_aid {\n          granted { refer a%d for legal_information sharing survivor_name, incident_details }\n"
               "          refused { }\n        }\n      }\n", lg);
        add(b, "      nothing \"Nothing now\" { end \"no referral now, at her request\" }\n    }\n    goto s%d\n  }\n", nxt);
        return;
    }
    default: { /* case conference by a specialist: three levels of conditions */
        int sp = specialist_actor(G, s), ps = actor_of(G, S_PSYCH, s);
        add(b, "  step s%d \"Case conference %d\" by a%d {\n    ask %s, %s\n    if ", i, s, sp, G->fname[(f + 5) % G->facts],
            G->fname[(f + 6) % G->facts]);
        cond(b, G, f + 5, s);
        add(b, " {\n      if ");
        cond(b, G, f + 6, s + 1);
        add(b, " or ");
        cond(b, G, 3, s);
        add(b, " {\n        if ");
        cond(b, G, f + 1, s);
        add(b, " {\n          seek c_psychosocial {\n            granted { refer a%d for counselling sharing survivor_name }\n"
               "            refused { }\n          }\n        }\n      }\n    }\n    goto s%d\n  }\n", ps, nxt);
        return;
    }
    }
#undef GOTO_NEXT
}

static void pathways(buf *b, const gen *G)
{
    int per = 100, s = 0;
    for (int pw = 0; s < G->steps; pw++) {
        int n = G->steps - s < per ? G->steps - s : per;
        if (n < 2) n = 2;
        add(b, "pathway p%d \"Pathway %d\" {\n  entry %s\n  start s0\n", pw, pw,
            pw % 2 ? "sector health, sector social_services" : "sector social_services, sector hotline");
        for (int i = 0; i < n; i++) step(b, G, pw, i, n, s + i);
        add(b, "}\n");
        s += n;
    }
}

/* ---- measuring ------------------------------------------------------------------------------
 * Each verification runs in a child process, so that one that takes too long can be stopped (the
 * line then says so) and the peak RSS of the largest run is read from RUSAGE_CHILDREN. */

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static int arg(int argc, char **argv, int i, int dflt) { return argc > i ? atoi(argv[i]) : dflt; }

/* What a child reports about one verification. */
typedef struct result {
    double graph_s, verify_s; /* graph build, and graph build + rd_verify */
    uint32_t nodes;
    int status, budget, compiled;
    size_t errors;
    char codes[400];          /* errors by principle, in order of first appearance */
} result;

/* Compiles (untimed), then tells fd `ready` (when >= 0) that verification starts, and times it. */
static void verify_once(const buf *b, result *res, int ready)
{
    memset(res, 0, sizeof *res);
    rd_diagnostics *cd;
    rd_program *p = rd_compile_text("bench.sop", b->s, b->n, NULL, &cd);
    rd_diagnostics_free(cd);
    if (ready >= 0 && write(ready, "c", 1) != 1) exit(4);
    if (!p) return;
    res->compiled = 1;
    rd_diagnostics *vd = rd_diagnostics_new();
    if (!vd) exit(3);
    double t0 = now();
    p->graph = rd_graph_build(p);
    double t1 = now();
    rd_status st = p->graph ? rd_verify(p, vd) : RD_ERR_NOMEM;
    double t2 = now();
    res->graph_s = t1 - t0;
    res->verify_s = t2 - t0;
    res->nodes = p->graph ? p->graph->nnodes : 0;
    res->status = (int)st;
    res->errors = rd_diagnostics_count(vd, RD_SEV_ERROR);
    const char *seen[32];
    int cnt[32], nseen = 0;
    for (size_t i = 0; i < rd_diagnostics_len(vd); i++) {
        const rd_diagnostic *dg = rd_diagnostics_get(vd, i);
        if (dg->severity != RD_SEV_ERROR) continue;
        if (strcmp(dg->code, "budget") == 0) res->budget = 1;
        int k = 0;
        while (k < nseen && strcmp(seen[k], dg->code) != 0) k++;
        if (k == nseen && nseen < 32) seen[nseen] = dg->code, cnt[nseen++] = 0;
        if (k < 32) cnt[k]++;
    }
    for (int k = 0; k < nseen; k++) {
        size_t l = strlen(res->codes);
        snprintf(res->codes + l, sizeof res->codes - l, "%s%s %d", k ? ", " : "", seen[k], cnt[k]);
    }
    if (getenv("BENCH_VERIFY_SHOW")) rd_diagnostics_print(vd, stderr, 100);
    rd_diagnostics_free(vd);
    rd_program_free(p);
}

/* Runs verify_once in a child; 0 and *res on success, 1 when it was stopped after verifying for
 * `limit` seconds (limit <= 0: no limit; the child's compile is not counted), -1 when the child
 * failed. *spent: the seconds it verified. */
static int verify_in_child(const buf *b, double limit, result *res, double *spent)
{
    int fd[2];
    if (pipe(fd) != 0) return -1;
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) return -1;
    if (pid == 0) {
        close(fd[0]);
        result r;
        verify_once(b, &r, fd[1]);
        ssize_t w = write(fd[1], &r, sizeof r);
        _exit(w == (ssize_t)sizeof r ? 0 : 4);
    }
    close(fd[1]);
    char c;
    int out = -1;
    *spent = 0;
    if (read(fd[0], &c, 1) == 1) { /* compiled: verification starts now */
        double t0 = now();
        struct pollfd pf = {fd[0], POLLIN, 0};
        int ready = poll(&pf, 1, limit > 0 ? (int)(limit * 1000.0) : -1);
        if (ready == 0) {
            kill(pid, SIGKILL);
            out = 1;
        } else if (ready > 0 && read(fd[0], res, sizeof *res) == (ssize_t)sizeof *res) {
            out = 0;
        }
        *spent = now() - t0;
    }
    close(fd[0]);
    int wst;
    waitpid(pid, &wst, 0);
    if (out == 0 && !(WIFEXITED(wst) && WEXITSTATUS(wst) == 0)) out = -1;
    return out;
}

int main(int argc, char **argv)
{
    gen G = {0};
    G.steps = arg(argc, argv, 1, 2000);
    G.actors = arg(argc, argv, 2, 200);
    G.data = arg(argc, argv, 3, 20);
    G.duties = arg(argc, argv, 4, 10);
    G.facts = arg(argc, argv, 5, 16);
    int runs = arg(argc, argv, 6, 5);
    double limit = argc > 7 ? atof(argv[7]) : 0;
    if (G.steps < 2 || G.actors < NSECT || G.data < 7 || G.duties < 1 || G.facts < 5 || G.facts > 64 || runs < 1) {
        fprintf(stderr, "usage: bench_verify STEPS>=2 ACTORS>=%d DATA>=7 DUTIES>=1 FACTS(5..64) RUNS>=1 [LIMIT_SECONDS]\n", NSECT);
        return 2;
    }
    G.ngeneric = G.data - 6;
    buf b = {0};
    vocabulary(&b, &G);
    pathways(&b, &G);
    if (getenv("BENCH_VERIFY_DUMP")) {
        FILE *f = fopen(getenv("BENCH_VERIFY_DUMP"), "w");
        if (f) {
            fwrite(b.s, 1, b.n, f);
            fclose(f);
        }
    }

    /* The baseline: parse + resolve + check of the same text, best of RUNS, in this process. */
    double best_c = 1e9;
    for (int r = 0; r < runs; r++) {
        double t0 = now();
        rd_diagnostics *cd;
        rd_program *p = rd_compile_text("bench.sop", b.s, b.n, NULL, &cd);
        double t1 = now();
        if (!p) {
            fprintf(stderr, "bench_verify: the generated SOP does not compile (BENCH_VERIFY_DUMP=file writes it out):\n");
            rd_diagnostics_print(cd, stderr, 10);
            return 1;
        }
        rd_diagnostics_free(cd);
        rd_program_free(p);
        if (t1 - t0 < best_c) best_c = t1 - t0;
    }

    /* Verification, best of RUNS; within `limit` seconds in all when one is given (a run that would
     * not fit in what is left is not started, one that overruns it is stopped). */
    result best = {0}, r;
    int done = 0, stopped = 0;
    double spent = 0;
    for (int k = 0; k < runs; k++) {
        double left = limit > 0 ? limit - spent : 0;
        if (limit > 0 && done && left < best.verify_s * 1.5) break;
        double took;
        int got = verify_in_child(&b, limit > 0 ? left : 0, &r, &took);
        spent += took;
        if (got < 0) {
            fprintf(stderr, "bench_verify: the verifier's process failed (crash or out of memory)\n");
            return 1;
        }
        if (got == 1) {
            stopped = 1;
            break;
        }
        if (!done || r.verify_s < best.verify_s) best = r;
        done++;
        if (best.budget) break; /* the budget is spent the same way every time */
    }
    struct rusage self, kids;
    getrusage(RUSAGE_SELF, &self);
    getrusage(RUSAGE_CHILDREN, &kids);
    double rss = (double)(kids.ru_maxrss > self.ru_maxrss ? kids.ru_maxrss : self.ru_maxrss) / 1024.0;
    printf("%7d steps %4d actors %3d data %3d duties %2d facts", G.steps, G.actors, G.data, G.duties, G.facts);
    if (!done) {
        printf("  %8s nodes  compile %8.2f ms  verify NOT FINISHED: stopped after %.1f s  ratio > %.0fx  peak RSS %7.1f MiB\n", "?",
               best_c * 1e3, spent, spent / best_c, rss);
    } else {
        printf(" %8u nodes  compile %8.2f ms  verify %9.2f ms (graph %6.2f, best of %d%s)  ratio %6.1fx  failures %zu [%s]%s  peak RSS %7.1f MiB\n",
               best.nodes, best_c * 1e3, best.verify_s * 1e3, best.graph_s * 1e3, done, stopped ? ", then one stopped" : "",
               best.verify_s / best_c, best.errors, best.codes[0] ? best.codes : "none",
               best.budget ? "  BUDGET EXHAUSTED: no principle proved" : best.status == RD_ERR_NOMEM ? "  OUT OF MEMORY" : "", rss);
    }
    free(b.s);
    return 0;
}
