/* The BDD package against brute force: random formulas are built both as BDDs and as trees that
 * are evaluated directly on every assignment, so any wrong operation, lost node or cache mix-up
 * shows up as a disagreement. The seed is fixed so that a failure can be replayed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "bdd.h"
#include "fixed.h"

#define SEED 0x5EED2024C0FFEEull
#define MAXV 10

static uint64_t rng_state;

static uint64_t rnd(void) { return splitmix64(&rng_state); }

static unsigned below(unsigned n) { return (unsigned)(rnd() % n); }

typedef enum { F_FALSE, F_TRUE, F_VAR, F_NVAR, F_NOT, F_AND, F_OR, F_ANDNOT, F_ITE } fop;

typedef struct fnode {
    fop op;
    unsigned v;
    int a, b, c; /* children, as indices into the pool */
} fnode;

typedef struct formula {
    fnode pool[1200]; /* enough for depth 6: 3^0 + ... + 3^6 nodes */
    int len;
} formula;

/* A random formula over nv variables, at most `depth` operators deep; returns its root. */
static int gen(formula *f, unsigned nv, int depth)
{
    int i = f->len++;
    fnode *n = &f->pool[i];
    /* Leaves are forced at the depth limit and appear above it a quarter of the time. */
    unsigned pick = depth <= 0 || below(4) == 0 ? below(10) : 10 + below(5);
    if (pick < 8) {
        n->op = pick < 6 ? F_VAR : F_NVAR;
        n->v = below(nv);
    } else if (pick < 10) {
        n->op = pick == 8 ? F_FALSE : F_TRUE;
    } else {
        n->op = (fop)(F_NOT + (pick - 10));
        n->a = gen(f, nv, depth - 1);
        if (n->op != F_NOT) n->b = gen(f, nv, depth - 1 - (int)below(2));
        if (n->op == F_ITE) n->c = gen(f, nv, depth - 1 - (int)below(2));
    }
    return i;
}

static int direct(const formula *f, int i, unsigned x)
{
    const fnode *n = &f->pool[i];
    switch (n->op) {
    case F_FALSE: return 0;
    case F_TRUE: return 1;
    case F_VAR: return (int)(x >> n->v & 1u);
    case F_NVAR: return !(x >> n->v & 1u);
    case F_NOT: return !direct(f, n->a, x);
    case F_AND: return direct(f, n->a, x) && direct(f, n->b, x);
    case F_OR: return direct(f, n->a, x) || direct(f, n->b, x);
    case F_ANDNOT: return direct(f, n->a, x) && !direct(f, n->b, x);
    case F_ITE: return direct(f, n->a, x) ? direct(f, n->b, x) : direct(f, n->c, x);
    }
    return -1;
}

static rd_bdd build(rd_bdd_mgr *m, const formula *f, int i)
{
    const fnode *n = &f->pool[i];
    switch (n->op) {
    case F_FALSE: return RD_BDD_FALSE;
    case F_TRUE: return RD_BDD_TRUE;
    case F_VAR: return rd_bdd_var(m, n->v);
    case F_NVAR: return rd_bdd_nvar(m, n->v);
    case F_NOT: return rd_bdd_not(m, build(m, f, n->a));
    case F_AND: return rd_bdd_and(m, build(m, f, n->a), build(m, f, n->b));
    case F_OR: return rd_bdd_or(m, build(m, f, n->a), build(m, f, n->b));
    case F_ANDNOT: return rd_bdd_andnot(m, build(m, f, n->a), build(m, f, n->b));
    case F_ITE: return rd_bdd_ite(m, build(m, f, n->a), build(m, f, n->b), build(m, f, n->c));
    }
    return RD_BDD_FALSE;
}

static void to_assignment(unsigned x, unsigned nv, unsigned char *out)
{
    for (unsigned v = 0; v < nv; v++) out[v] = (unsigned char)(x >> v & 1u);
}

/* Truth table of a formula over nv <= 5 variables, bit x for assignment x. */
static uint32_t table(const formula *f, int root, unsigned nv)
{
    uint32_t t = 0;
    for (unsigned x = 0; x < 1u << nv; x++) t |= (uint32_t)direct(f, root, x) << x;
    return t;
}

static void random_formulas_agree_on_every_assignment(void **state)
{
    (void)state;
    rng_state = SEED;
    rd_bdd_mgr *m = rd_bdd_new(MAXV, 1u << 20);
    assert_non_null(m);
    unsigned char asg[MAXV];
    int nontrivial = 0;
    for (int k = 0; k < 600; k++) {
        unsigned nv = 1 + below(MAXV);
        formula f = {.len = 0};
        int root = gen(&f, nv, 2 + (int)below(5));
        rd_bdd b = build(m, &f, root);
        assert_int_equal(rd_bdd_overflow(m), RD_BDD_OK);
        int ones = 0;
        for (unsigned x = 0; x < 1u << nv; x++) {
            to_assignment(x, nv, asg);
            for (unsigned v = nv; v < MAXV; v++) asg[v] = (unsigned char)below(2);
            int want = direct(&f, root, x);
            if (rd_bdd_eval(m, b, asg) != want)
                fail_msg("formula %d disagrees at assignment %u", k, x);
            ones += want;
        }
        nontrivial += ones != 0 && ones != 1 << nv;
    }
    /* Guard against a generator that only makes constants, which would test nothing. */
    assert_true(nontrivial > 400);
    rd_bdd_free(m);
}

static void equivalent_formulas_share_one_node(void **state)
{
    (void)state;
    rd_bdd_mgr *m = rd_bdd_new(4, 4096);
    rd_bdd a = rd_bdd_var(m, 0), b = rd_bdd_var(m, 1), c = rd_bdd_var(m, 3);
    /* De Morgan */
    assert_int_equal(rd_bdd_not(m, rd_bdd_and(m, a, b)),
                     rd_bdd_or(m, rd_bdd_not(m, a), rd_bdd_not(m, b)));
    assert_int_equal(rd_bdd_not(m, rd_bdd_or(m, a, c)),
                     rd_bdd_and(m, rd_bdd_nvar(m, 0), rd_bdd_nvar(m, 3)));
    /* distribution, with the operands in the other order on one side */
    assert_int_equal(rd_bdd_and(m, a, rd_bdd_or(m, b, c)),
                     rd_bdd_or(m, rd_bdd_and(m, c, a), rd_bdd_and(m, b, a)));
    assert_int_equal(rd_bdd_or(m, a, rd_bdd_and(m, b, c)),
                     rd_bdd_and(m, rd_bdd_or(m, a, b), rd_bdd_or(m, c, a)));
    /* absorption */
    assert_int_equal(rd_bdd_or(m, a, rd_bdd_and(m, a, b)), a);
    assert_int_equal(rd_bdd_and(m, c, rd_bdd_or(m, b, c)), c);
    /* the derived operations */
    assert_int_equal(rd_bdd_andnot(m, a, b), rd_bdd_and(m, a, rd_bdd_not(m, b)));
    assert_int_equal(rd_bdd_ite(m, a, b, c),
                     rd_bdd_or(m, rd_bdd_and(m, a, b), rd_bdd_andnot(m, c, a)));
    assert_int_equal(rd_bdd_not(m, rd_bdd_not(m, rd_bdd_ite(m, c, a, b))), rd_bdd_ite(m, c, a, b));
    assert_int_equal(rd_bdd_or(m, a, rd_bdd_not(m, a)), RD_BDD_TRUE);
    assert_int_equal(rd_bdd_and(m, c, rd_bdd_nvar(m, 3)), RD_BDD_FALSE);
    assert_int_equal(rd_bdd_overflow(m), RD_BDD_OK);
    rd_bdd_free(m);
}

/* Over 4 variables there are only 65536 functions, so random formulas collide often: equal truth
 * tables must give equal indices and different ones different indices. */
static void canonical_for_random_formulas(void **state)
{
    (void)state;
    rng_state = SEED + 1;
    rd_bdd_mgr *m = rd_bdd_new(4, 1u << 20);
    uint32_t *by_table = malloc(65536 * sizeof *by_table);
    memset(by_table, 0xFF, 65536 * sizeof *by_table);
    int collisions = 0, distinct = 0;
    for (int k = 0; k < 5000; k++) {
        formula f = {.len = 0};
        int root = gen(&f, 4, 1 + (int)below(5));
        rd_bdd b = build(m, &f, root);
        uint32_t t = table(&f, root, 4);
        if (by_table[t] == UINT32_MAX) {
            by_table[t] = b;
            distinct++;
        } else {
            if (by_table[t] != b)
                fail_msg("formula %d: same function, nodes %u and %u", k, by_table[t], b);
            collisions++;
        }
    }
    /* Different functions must not share a node either. */
    size_t n = rd_bdd_node_count(m);
    unsigned char *seen = calloc(n, 1);
    for (uint32_t t = 0; t < 65536; t++) {
        if (by_table[t] == UINT32_MAX) continue;
        assert_true(by_table[t] < n);
        if (seen[by_table[t]]) fail_msg("node %u stands for two functions", by_table[t]);
        seen[by_table[t]] = 1;
    }
    assert_true(collisions > 1000);
    assert_true(distinct > 500);
    assert_int_equal(rd_bdd_overflow(m), RD_BDD_OK);
    free(seen);
    free(by_table);
    rd_bdd_free(m);
}

static void implies_agrees_with_brute_force(void **state)
{
    (void)state;
    rng_state = SEED + 2;
    enum { N = 300, NV = 5 };
    rd_bdd_mgr *m = rd_bdd_new(NV, 1u << 20);
    static rd_bdd b[N];
    static uint32_t t[N];
    for (int k = 0; k < N; k++) {
        formula f = {.len = 0};
        int root = gen(&f, NV, 1 + (int)below(4));
        b[k] = build(m, &f, root);
        t[k] = table(&f, root, NV);
    }
    size_t before = rd_bdd_node_count(m);
    int yes = 0, strict = 0;
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) {
            int want = (t[i] & ~t[j]) == 0;
            if (rd_bdd_implies(m, b[i], b[j]) != want)
                fail_msg("implies(%d, %d) should be %d", i, j, want);
            yes += want;
            strict += want && t[i] != t[j] && t[i] != 0 && t[j] != UINT32_MAX;
        }
    assert_int_equal(rd_bdd_node_count(m), before); /* it builds nothing */
    assert_true(strict > 1000);                      /* not only the trivial inclusions */
    assert_true(yes < N * N / 2);
    assert_int_equal(rd_bdd_overflow(m), RD_BDD_OK);
    rd_bdd_free(m);
}

static void sat_one_finds_a_member(void **state)
{
    (void)state;
    rng_state = SEED + 3;
    rd_bdd_mgr *m = rd_bdd_new(MAXV, 1u << 20);
    signed char out[MAXV];
    unsigned char asg[MAXV];
    int empty = 0, nonempty = 0;
    for (int k = 0; k < 2000; k++) {
        unsigned nv = 1 + below(MAXV);
        formula f = {.len = 0};
        int root = gen(&f, nv, 1 + (int)below(5));
        rd_bdd b = build(m, &f, root);
        if (b == RD_BDD_FALSE) {
            memset(out, 7, sizeof out);
            assert_int_equal(rd_bdd_sat_one(m, b, out), -1);
            assert_int_equal(out[0], 7);
            for (unsigned x = 0; x < 1u << nv; x++) assert_int_equal(direct(&f, root, x), 0);
            empty++;
            continue;
        }
        assert_int_equal(rd_bdd_sat_one(m, b, out), 0);
        nonempty++;
        for (int fill = 0; fill < 3; fill++) {
            unsigned x = 0;
            for (unsigned v = 0; v < MAXV; v++) {
                assert_true(out[v] >= -1 && out[v] <= 1);
                int bit = out[v] >= 0 ? out[v] : fill < 2 ? fill : (int)below(2);
                asg[v] = (unsigned char)bit;
                x |= (unsigned)bit << v;
            }
            assert_int_equal(rd_bdd_eval(m, b, asg), 1);
            assert_int_equal(direct(&f, root, x & ((1u << nv) - 1)), 1);
        }
    }
    assert_true(empty > 10);
    assert_true(nonempty > 1000);
    assert_int_equal(rd_bdd_sat_one(m, RD_BDD_TRUE, out), 0);
    for (unsigned v = 0; v < MAXV; v++) assert_int_equal(out[v], -1);
    rd_bdd_free(m);
}

static void a_cube_has_exactly_one_member(void **state)
{
    (void)state;
    rd_bdd_mgr *m = rd_bdd_new(12, 1u << 16);
    unsigned char asg[12];
    for (unsigned first = 0; first <= 3; first += 3)
        for (unsigned nbits = 1; nbits <= 6; nbits++)
            for (uint64_t value = 0; value < 1u << nbits; value++) {
                rd_bdd c = rd_bdd_cube(m, first, nbits, value);
                int members = 0;
                for (unsigned x = 0; x < 1u << nbits; x++) {
                    memset(asg, 0, sizeof asg);
                    for (unsigned i = 0; i < nbits; i++)
                        asg[first + i] = (unsigned char)(x >> i & 1u);
                    /* the variables outside the cube must not matter */
                    asg[11] = (unsigned char)(x & 1u);
                    int in = rd_bdd_eval(m, c, asg);
                    if (in) assert_int_equal(x, value);
                    members += in;
                }
                assert_int_equal(members, 1);
            }
    /* A value wider than nbits is no nbits-bit number; zero bits is the empty condition. */
    assert_int_equal(rd_bdd_cube(m, 0, 3, 8), RD_BDD_FALSE);
    assert_int_equal(rd_bdd_cube(m, 0, 0, 0), RD_BDD_TRUE);
    assert_int_equal(rd_bdd_cube(m, 2, 2, 2), rd_bdd_and(m, rd_bdd_nvar(m, 2), rd_bdd_var(m, 3)));
    assert_int_equal(rd_bdd_overflow(m), RD_BDD_OK);
    rd_bdd_free(m);

    m = rd_bdd_new(64, 1000);
    rd_bdd wide = rd_bdd_cube(m, 0, 64, UINT64_MAX);
    rd_bdd all = RD_BDD_TRUE;
    for (unsigned v = 64; v-- > 0;) all = rd_bdd_and(m, rd_bdd_var(m, v), all);
    assert_int_equal(wide, all);
    assert_int_equal(rd_bdd_overflow(m), RD_BDD_OK);
    rd_bdd_free(m);
}

/* x0 x8 + x1 x9 + ... in index order needs about 2^8 nodes, far beyond a budget of 64. */
static rd_bdd interleaved_pairs(rd_bdd_mgr *m)
{
    rd_bdd acc = RD_BDD_FALSE;
    for (unsigned i = 0; i < 8; i++)
        acc = rd_bdd_or(m, acc, rd_bdd_and(m, rd_bdd_var(m, i), rd_bdd_var(m, i + 8)));
    return acc;
}

static void the_budget_is_a_hard_limit(void **state)
{
    (void)state;
    rd_bdd_mgr *m = rd_bdd_new(16, 64);
    assert_int_equal(interleaved_pairs(m), RD_BDD_FALSE);
    assert_int_equal(rd_bdd_overflow(m), RD_BDD_BUDGET);
    assert_true(rd_bdd_node_count(m) <= 64);
    /* Sticky: everything afterwards is FALSE, even operations that would need no new node. */
    assert_int_equal(rd_bdd_var(m, 0), RD_BDD_FALSE);
    assert_int_equal(rd_bdd_or(m, RD_BDD_TRUE, RD_BDD_FALSE), RD_BDD_FALSE);
    assert_int_equal(rd_bdd_not(m, RD_BDD_FALSE), RD_BDD_FALSE);
    assert_int_equal(rd_bdd_cube(m, 0, 2, 1), RD_BDD_FALSE);
    assert_int_equal(rd_bdd_overflow(m), RD_BDD_BUDGET);
    rd_bdd_free(m);

    /* Exactly: a 5-bit cube needs 5 nodes besides the terminals. */
    m = rd_bdd_new(5, 7);
    assert_int_not_equal(rd_bdd_cube(m, 0, 5, 21), RD_BDD_FALSE);
    assert_int_equal(rd_bdd_overflow(m), RD_BDD_OK);
    assert_int_equal(rd_bdd_node_count(m), 7);
    rd_bdd_free(m);
    m = rd_bdd_new(5, 6);
    assert_int_equal(rd_bdd_cube(m, 0, 5, 21), RD_BDD_FALSE);
    assert_int_equal(rd_bdd_overflow(m), RD_BDD_BUDGET);
    assert_int_equal(rd_bdd_node_count(m), 6);
    rd_bdd_free(m);
}

/* Under every small budget, whatever was built before the flag went up is still exact, and the
 * failure happens in not, apply and ite alike without touching memory it should not. */
static void results_before_an_overflow_stay_exact(void **state)
{
    (void)state;
    rng_state = SEED + 4;
    unsigned char asg[MAXV];
    static formula f[30];
    int root[30];
    rd_bdd b[30];
    int overflowed = 0;
    for (size_t budget = 0; budget < 120; budget++) {
        rd_bdd_mgr *m = rd_bdd_new(MAXV, budget);
        assert_non_null(m);
        int exact = 0;
        for (int k = 0; k < 30; k++) {
            f[k].len = 0;
            root[k] = gen(&f[k], MAXV, 3 + (int)below(4));
            b[k] = build(m, &f[k], root[k]);
            assert_true(rd_bdd_node_count(m) <= (budget < 2 ? 2 : budget));
            if (!rd_bdd_overflow(m)) exact = k + 1;
            else if (f[k].pool[root[k]].op > F_TRUE) assert_int_equal(b[k], RD_BDD_FALSE);
        }
        /* Checked at the end, so that an overflow that damaged earlier nodes would show. */
        for (int k = 0; k < exact; k++)
            for (unsigned x = 0; x < 1u << MAXV; x += 1 + below(16)) {
                to_assignment(x, MAXV, asg);
                assert_int_equal(rd_bdd_eval(m, b[k], asg), direct(&f[k], root[k], x));
            }
        overflowed += rd_bdd_overflow(m) == RD_BDD_BUDGET;
        rd_bdd_free(m);
    }
    assert_true(overflowed > 100);
}

static void misuse_fails_soft(void **state)
{
    (void)state;
    assert_null(rd_bdd_new(RD_BDD_MAX_VARS + 1, 100));
    signed char out[4];
    unsigned char asg[4] = {1, 1, 1, 1};

    rd_bdd_mgr *m = rd_bdd_new(4, 100);
    assert_int_equal(rd_bdd_var(m, 4), RD_BDD_FALSE);
    assert_int_equal(rd_bdd_overflow(m), RD_BDD_MISUSE);
    rd_bdd_free(m);

    /* The first index past the last node is the closest a stale handle can come. */
    m = rd_bdd_new(4, 100);
    rd_bdd a = rd_bdd_var(m, 1), next = (rd_bdd)rd_bdd_node_count(m);
    assert_int_equal(rd_bdd_sat_one(m, next, out), -1);
    assert_int_equal(rd_bdd_eval(m, next, asg), 0);
    assert_int_equal(rd_bdd_overflow(m), RD_BDD_OK);
    assert_int_equal(rd_bdd_and(m, a, next), RD_BDD_FALSE);
    assert_int_equal(rd_bdd_overflow(m), RD_BDD_MISUSE);
    rd_bdd_free(m);

    m = rd_bdd_new(4, 100);
    assert_int_equal(rd_bdd_cube(m, 3, 2, 0), RD_BDD_FALSE);
    assert_int_equal(rd_bdd_overflow(m), RD_BDD_MISUSE);
    rd_bdd_free(m);

    m = rd_bdd_new(4, 100);
    assert_int_equal(rd_bdd_implies(m, RD_BDD_FALSE, 2), 0);
    assert_int_equal(rd_bdd_overflow(m), RD_BDD_MISUSE);
    rd_bdd_free(m);
}

/* The deepest recursion the header allows, to be sure it fits the stack under the sanitizers:
 * parity keeps both cofactors non-constant at every level, so the operations below recurse once
 * per variable. */
static void the_variable_bound_fits_the_stack(void **state)
{
    (void)state;
    const unsigned n = RD_BDD_MAX_VARS;
    rd_bdd_mgr *m = rd_bdd_new(n, 1u << 20);
    rd_bdd even = RD_BDD_TRUE, odd = RD_BDD_FALSE, any = RD_BDD_FALSE, none = RD_BDD_TRUE;
    for (unsigned v = n; v-- > 0;) {
        rd_bdd x = rd_bdd_var(m, v), e = rd_bdd_ite(m, x, odd, even);
        odd = rd_bdd_ite(m, x, even, odd);
        even = e;
        any = rd_bdd_or(m, x, any);
        none = rd_bdd_and(m, rd_bdd_nvar(m, v), none);
    }
    size_t built = rd_bdd_node_count(m);
    assert_int_equal(rd_bdd_not(m, even), odd);
    assert_int_equal(rd_bdd_node_count(m), built);
    rd_bdd even_nonzero = rd_bdd_and(m, even, any);
    assert_int_equal(rd_bdd_andnot(m, even, any), none);
    assert_false(rd_bdd_implies(m, even, any));
    assert_true(rd_bdd_implies(m, even_nonzero, any));
    assert_true(rd_bdd_implies(m, odd, any));
    assert_int_equal(rd_bdd_ite(m, even, odd, even), RD_BDD_FALSE);
    assert_int_equal(rd_bdd_overflow(m), RD_BDD_OK);
    signed char *out = malloc(n);
    assert_int_equal(rd_bdd_sat_one(m, even_nonzero, out), 0);
    unsigned char *asg = malloc(n);
    unsigned ones = 0;
    for (unsigned v = 0; v < n; v++) {
        assert_true(out[v] >= 0); /* every variable matters for parity */
        asg[v] = (unsigned char)out[v];
        ones += asg[v];
    }
    assert_int_equal(rd_bdd_eval(m, even_nonzero, asg), 1);
    assert_true(ones > 0 && ones % 2 == 0);
    free(asg);
    free(out);
    rd_bdd_free(m);
}

/* Facts are small binary numbers: conjoining one value for each of 16 two-bit facts must stay a
 * chain, and equal the single 32-bit cube that says the same. */
static void conjoined_fact_values_stay_linear(void **state)
{
    (void)state;
    rd_bdd_mgr *m = rd_bdd_new(32, 1u << 16);
    rd_bdd acc = RD_BDD_TRUE;
    uint64_t all = 0;
    for (unsigned fact = 16; fact-- > 0;) {
        uint64_t value = (fact * 7u) % 4u;
        all |= value << (2 * fact);
        acc = rd_bdd_and(m, rd_bdd_cube(m, 2 * fact, 2, value), acc);
    }
    assert_int_equal(acc, rd_bdd_cube(m, 0, 32, all));
    assert_true(rd_bdd_node_count(m) <= 2 + 2 * 32);
    assert_int_equal(rd_bdd_overflow(m), RD_BDD_OK);
    rd_bdd_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(random_formulas_agree_on_every_assignment),
        cmocka_unit_test(equivalent_formulas_share_one_node),
        cmocka_unit_test(canonical_for_random_formulas),
        cmocka_unit_test(implies_agrees_with_brute_force),
        cmocka_unit_test(sat_one_finds_a_member),
        cmocka_unit_test(a_cube_has_exactly_one_member),
        cmocka_unit_test(the_budget_is_a_hard_limit),
        cmocka_unit_test(results_before_an_overflow_stay_exact),
        cmocka_unit_test(misuse_fails_soft),
        cmocka_unit_test(the_variable_bound_fits_the_stack),
        cmocka_unit_test(conjoined_fact_values_stay_linear),
    };
    return cmocka_run_group_tests_name("bdd", tests, NULL, NULL);
}
