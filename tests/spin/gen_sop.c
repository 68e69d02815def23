/* Random SOPs for checking the verifier against SPIN (tests/spin/run.sh) and timing both
 * (bench/bench_spin.sh). The same seed and sizes always give the same SOP.
 *
 *   gen_sop SEED STEPS FACTS [STEPS_PER_PATHWAY [safe]]
 *
 * writes one self-contained SOP (no `use`) to standard output: four sectors (immigration marked
 * `enforcement`), eight actors, data with `protected`, `identifying` and a chain of `reveals`, FACTS
 * facts (bool, enum, int in turn; one `reveals` migration status; one computed from two others),
 * consents, one to four duties (some without a notice, some with a `when`, reporting to the police
 * or to immigration), sometimes a permit, and STEPS steps in pathways of at most STEPS_PER_PATHWAY
 * (default: all in one). Steps are done by the provider or a named actor and hold asks, notices,
 * records, seeks with granted / refused, referrals and shares (to enforcement actors too), choices
 * (whose last option may jump ahead, or back for a follow-up) and `if` on the facts, nested two deep.
 * Three principles are checked: `firewall` (never migration_status reaches sector immigration),
 * `firewall2` (one of four other `never ... reaches` forms, by attribute, sector or actor) and
 * `told_first` (every report requires notice). Probabilities are set so that about half the SOPs break
 * some principle. With `safe` (for bench/bench_spin.sh) all three hold, so a model checker must
 * explore every state to prove them: nothing goes to immigration (no share, referral, permit or
 * report to it, and `firewall2` is `never location reaches sector immigration`), every duty has a
 * notice, and each pathway's first step gives them all before anything else. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned long long state;

static unsigned rnd(unsigned n)
{
    /* xorshift64*: fixed across platforms, unlike rand() */
    state ^= state >> 12;
    state ^= state << 25;
    state ^= state >> 27;
    return (unsigned)((state * 2685821657736338717ull) >> 33) % n;
}

static int chance(unsigned pct) { return rnd(100) < pct; }

enum { NDATA = 6, NACT = 8, NCONS = 4 };
static const char *data_name[NDATA] = {"migration_status", "work_permit", "passport", "survivor_name", "location", "incident"};
static const char *actor_name[NACT] = {"imm0", "imm1", "pol0", "pol1", "hosp0", "hosp1", "soc0", "soc1"};
static const char *actor_sector[NACT] = {"immigration", "immigration", "police", "police", "health", "health", "social", "social"};
static const char *sectors[4] = {"immigration", "police", "health", "social"};

static int nfacts, nduties, nsteps, per_pw, has_derived, safe;
static char ftype[16];

static void indent(int d)
{
    for (int i = 0; i < d; i++) fputs("  ", stdout);
}

/* A condition on one fact, sometimes two joined. */
static void one_cond(void)
{
    int k = (int)rnd((unsigned)nfacts);
    if (has_derived && chance(10)) {
        printf(chance(50) ? "derived" : "not derived");
        return;
    }
    switch (ftype[k]) {
    case 'b': {
        static const char *f[] = {"f%d", "not f%d", "known f%d"};
        printf(f[rnd(3)], k);
        break;
    }
    case 'e': {
        static const char *f[] = {"f%d == low", "f%d in { mid, high }", "f%d != high"};
        printf(f[rnd(3)], k);
        break;
    }
    default: {
        static const char *f[] = {"f%d < 18", "f%d >= 72", "f%d <= 72", "f%d > 120", "f%d == 72", "f%d >= 73"};
        printf(f[rnd(6)], k);
    }
    }
}

static void condition(void)
{
    one_cond();
    if (chance(25)) {
        printf(chance(50) ? " and " : " or ");
        one_cond();
    }
}

static void data_list(int max)
{
    int n = 1 + (int)rnd((unsigned)max), used = 0;
    for (int i = 0; i < n; i++) {
        /* protected data less often than the rest, so that some SOPs pass */
        int d = chance(30) ? (int)rnd(3) : 3 + (int)rnd(3);
        if (used & (1 << d)) continue;
        printf("%s%s", used ? ", " : "", data_name[d]);
        used |= 1 << d;
    }
}

static void target(void)
{
    int a = (int)rnd(NACT);
    if (chance(30)) printf("sector %s", actor_sector[a]);
    else printf("%s", actor_name[a]);
}

/* A recipient for a share or referral: enforcement actors now and then. */
static void recipient(void)
{
    int a = chance(15) && !safe ? (int)rnd(4) : 2 + (int)rnd(6);
    if (chance(25)) printf("sector %s", actor_sector[a]);
    else printf("%s", actor_name[a]);
}

static void block(int depth, int step, int pw_first, int pw_last);

static void statement(int depth, int step, int pw_first, int pw_last)
{
    indent(depth);
    unsigned k = rnd(depth > 3 ? 6 : 9);
    switch (k) {
    case 0: printf("ask f%u\n", rnd((unsigned)nfacts)); break;
    case 1: printf("inform n%u\n", rnd((unsigned)nduties)); break;
    case 2: printf("record "); data_list(2); printf("\n"); break;
    case 3: printf("share "); data_list(2); printf(" with "); recipient(); printf("\n"); break;
    case 4: printf("refer "); recipient(); printf(" for care"); if (chance(70)) { printf(" sharing "); data_list(2); } printf("\n"); break;
    case 5: printf("ask f1\n"); break; /* the fact that reveals her status, often */
    case 6:
        printf("seek c%u {\n", rnd(NCONS));
        indent(depth + 1); printf("granted {\n"); block(depth + 2, step, pw_first, pw_last); indent(depth + 1); printf("}\n");
        indent(depth + 1); printf("refused {\n");
        if (chance(15)) { indent(depth + 2); printf("end \"refused\"\n"); }
        else block(depth + 2, step, pw_first, pw_last);
        indent(depth + 1); printf("}\n");
        indent(depth); printf("}\n");
        break;
    case 7:
        printf("if ");
        condition();
        printf(" {\n");
        block(depth + 1, step, pw_first, pw_last);
        indent(depth); printf("}");
        if (chance(60)) {
            printf(" else {\n");
            block(depth + 1, step, pw_first, pw_last);
            indent(depth); printf("}");
        }
        printf("\n");
        break;
    default: {
        int n = 2 + (int)rnd(2);
        printf("choose {\n");
        for (int i = 0; i < n; i++) {
            indent(depth + 1);
            printf("o%d \"Option %d\" {\n", i, i);
            block(depth + 2, step, pw_first, pw_last);
            /* The last option may jump ahead, or back to an earlier step (a follow-up). Only the
             * last: the model SPIN checks walks one way through the offers, and an option that
             * leaves the step ends the offers after it on that walk, while she may choose it
             * together with later ones (the verifier's merge of holdings covers that case; the
             * model does not: see compiler/promela.c). */
            if (i == n - 1 && chance(40)) {
                int to = chance(25) ? pw_first + (int)rnd((unsigned)(step - pw_first + 1))
                                    : step + 1 + (int)rnd(3);
                if (to > pw_last) to = pw_last;
                indent(depth + 2);
                printf("goto s%d\n", to);
            }
            indent(depth + 1);
            printf("}\n");
        }
        indent(depth);
        printf("}\n");
    }
    }
}

static void block(int depth, int step, int pw_first, int pw_last)
{
    int n = depth > 3 ? (int)rnd(2) : 1 + (int)rnd(2);
    for (int i = 0; i < n; i++) statement(depth, step, pw_first, pw_last);
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: gen_sop SEED STEPS FACTS [STEPS_PER_PATHWAY]\n");
        return 2;
    }
    unsigned long long seed = strtoull(argv[1], NULL, 10);
    nsteps = atoi(argv[2]);
    nfacts = atoi(argv[3]);
    per_pw = argc > 4 ? atoi(argv[4]) : nsteps;
    safe = argc > 5 && strcmp(argv[5], "safe") == 0;
    if (nsteps < 1 || nfacts < 2 || nfacts > 16 || per_pw < 1) {
        fprintf(stderr, "gen_sop: STEPS >= 1, FACTS 2..16, STEPS_PER_PATHWAY >= 1\n");
        return 2;
    }
    state = seed * 0x9E3779B97F4A7C15ull + 0x2545F4914F6CDD1Dull;
    if (!state) state = 1;
    for (int i = 0; i < 8; i++) rnd(2);

    printf("# Generated by tests/spin/gen_sop %s %s %s%s%s%s (fictional: no real law or place)\n", argv[1], argv[2], argv[3],
           argc > 4 ? " " : "", argc > 4 ? argv[4] : "", safe ? " safe" : "");
    printf("sop \"Generated SOP %s\" { languages en }\n\n", argv[1]);
    printf("sector immigration \"Immigration enforcement\" { enforcement }\nsector police \"Police\"\n"
           "sector health \"Health care\"\nsector social \"Social services\"\n");
    printf("service care \"Care\"\n");
    printf("data migration_status \"Migration status\" { protected }\n"
           "data work_permit \"Work permit\" { identifying reveals migration_status }\n"
           "data passport \"Passport\" { identifying reveals work_permit }\n"
           "data survivor_name \"Name\" { identifying }\n"
           "data location \"Where she stays\" { identifying }\n"
           "data incident \"What happened\"\n");
    for (int i = 0; i < nfacts; i++) {
        ftype[i] = "bei"[i % 3];
        if (i == 1) ftype[i] = 'b';
        if (ftype[i] == 'b') printf("fact f%d: bool \"Question %d?\"%s\n", i, i, i == 1 ? " { reveals migration_status }" : "");
        else if (ftype[i] == 'e') printf("fact f%d: enum { low, mid, high } \"Question %d?\"\n", i, i);
        else printf("fact f%d: int \"Question %d (a number)?\"\n", i, i);
    }
    has_derived = nfacts >= 3 && chance(50);
    if (has_derived) printf("fact derived: bool = f0 and f2 < 18 \"Computed\"\n");
    nduties = 1 + (int)rnd(4);
    for (int i = 0; i < nduties; i++) printf("notice n%d \"Before you tell me more: rule %d makes me report some of it.\"\n", i, i);
    for (int a = 0; a < NACT; a++)
        printf("actor %s \"Office %s\" { sector %s provides care }\n", actor_name[a], actor_name[a], actor_sector[a]);
    for (int c = 0; c < NCONS; c++) {
        printf("consent c%d \"Consent %d\" { shares ", c, c);
        data_list(3);
        printf(" with ");
        target();
        printf(" purpose \"referral\" }\n");
    }
    for (int y = 0; y < nduties; y++) {
        printf("duty d%d \"EXAMPLE rule %d, not a real law\" {\n  applies to ", y, y);
        if (chance(40)) printf("sector %s", sectors[1 + rnd(3)]);
        else printf("%s", actor_name[2 + rnd(6)]);
        if (chance(50)) {
            printf("\n  when ");
            condition();
        }
        printf("\n  reports ");
        data_list(2);
        printf(" to %s\n", chance(50) && !safe ? actor_name[rnd(2)] : actor_name[2 + rnd(2)]);
        if (chance(85) || safe) printf("  notice n%d\n", y);
        printf("}\n");
    }
    if (chance(20)) {
        printf("permit p0 \"Emergency\" {\n  shares ");
        data_list(2);
        printf("\n  with ");
        recipient();
        printf("\n  when ");
        condition();
        printf("\n}\n");
    }
    static const char *fw2[] = {"never protected reaches sector police", "never identifying reaches imm0",
                                "never location reaches sector immigration", "never work_permit reaches pol0, sector health"};
    printf("principle firewall \"Migration status never reaches immigration\" {\n  never migration_status reaches sector immigration\n  source \"fictional\"\n}\n");
    printf("principle firewall2 \"A second firewall\" {\n  %s\n  source \"fictional\"\n}\n", safe ? fw2[2] : fw2[rnd(4)]);
    printf("principle told_first \"Told before a report\" {\n  every report requires notice\n  source \"fictional\"\n}\n");

    for (int first = 0, pw = 0; first < nsteps; first += per_pw, pw++) {
        int last = first + per_pw - 1 < nsteps - 1 ? first + per_pw - 1 : nsteps - 1;
        printf("\npathway w%d \"Pathway %d\" {\n  entry %s\n  start s%d\n", pw, pw,
               chance(50) ? "sector social, hosp0" : chance(50) ? "soc0" : "sector health", first);
        for (int s = first; s <= last; s++) {
            int named = chance(30);
            printf("  step s%d \"Step %d\" by %s {\n", s, s, named ? actor_name[2 + rnd(6)] : "provider");
            for (int y = 0; safe && s == first && y < nduties; y++) printf("    inform n%d\n", y);
            block(2, s, first, last);
            if (s < last) printf("    goto s%d\n", s + 1);
            else printf("    end \"done\"\n");
            printf("  }\n");
        }
        printf("}\n");
    }
    return 0;
}
