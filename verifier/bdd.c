/* Hash-consed BDD nodes in one growable array, a linear-probing unique table of node indices and
 * a direct-mapped, lossy cache of operation results. Nothing is ever freed before the manager, so
 * a node index stays valid and the unique table never needs deletions. */
#include "bdd.h"
#include <stdlib.h>
#include <string.h>

typedef struct rd_bdd_node {
    uint32_t var; /* the terminals carry nvars: they come after every variable in the order */
    rd_bdd lo, hi;
} rd_bdd_node;

/* A zeroed entry reads as ITE(FALSE, FALSE, FALSE) = FALSE, which is true, so the cache needs no
 * sentinel and calloc's lazily zeroed pages cost nothing until used. A placeholder FALSE stored
 * while a failure unwinds is never read back: failure is sticky, and the operations that consult
 * these entries refuse to run after it. */
typedef struct rd_bdd_cache_entry {
    uint32_t a, b, c;
    rd_bdd r;
} rd_bdd_cache_entry;

struct rd_bdd_mgr {
    rd_bdd_node *nodes;
    size_t len, cap, max;
    uint32_t *unique; /* node indices; 0 (a terminal, never stored) marks an empty slot */
    size_t ucap;      /* a power of two, kept at least twice the number of stored nodes */
    unsigned ubits;
    rd_bdd_cache_entry *cache;
    unsigned cbits;
    uint32_t nvars;
    int status;
};

/* Node indices stay below 2^31, so these can share the third key word with ITE's third operand. */
enum { OP_AND = 0xFFFFFFF0u, OP_OR, OP_ANDNOT, OP_NOT, OP_IMPLIES };
#define MAX_INDEX 0x7FFFFFFFu
#define CACHE_MIN_BITS 8
/* The cache follows max_nodes up to 4 MB, so a huge budget costs no more. */
#define CACHE_MAX_BITS 18

static void fail(rd_bdd_mgr *m, int why)
{
    if (!m->status) m->status = why;
}

/* Multiplicative hashing: the top bits of the product mix every input bit. */
static size_t hash3(uint32_t a, uint32_t b, uint32_t c, unsigned bits)
{
    uint64_t h = (((uint64_t)a << 32) | b) * 0x9E3779B97F4A7C15ull;
    h ^= (uint64_t)c * 0xC2B2AE3D27D4EB4Full;
    h *= 0x165667B19E3779F9ull;
    return (size_t)(h >> (64 - bits));
}

static int grow_unique(rd_bdd_mgr *m)
{
    size_t cap = m->ucap * 2;
    uint32_t *u = calloc(cap, sizeof *u);
    if (!u) {
        fail(m, RD_BDD_NOMEM);
        return -1;
    }
    for (size_t j = 0; j < m->ucap; j++) {
        uint32_t k = m->unique[j];
        if (!k) continue;
        const rd_bdd_node *n = &m->nodes[k];
        size_t i = hash3(n->lo, n->hi, n->var, m->ubits + 1);
        while (u[i]) i = (i + 1) & (cap - 1);
        u[i] = k;
    }
    free(m->unique);
    m->unique = u;
    m->ucap = cap;
    m->ubits++;
    return 0;
}

static int grow_nodes(rd_bdd_mgr *m)
{
    size_t cap = m->cap * 2 < m->max ? m->cap * 2 : m->max;
    rd_bdd_node *n = realloc(m->nodes, cap * sizeof *n);
    if (!n) {
        fail(m, RD_BDD_NOMEM);
        return -1;
    }
    m->nodes = n;
    m->cap = cap;
    return 0;
}

/* The unique node (v, lo, hi), v earlier in the order than the variables of lo and hi; FALSE with
 * the flag set when a new node would exceed the budget or memory. */
static rd_bdd mk(rd_bdd_mgr *m, uint32_t v, rd_bdd lo, rd_bdd hi)
{
    if (lo == hi) return lo;
    size_t mask = m->ucap - 1, i = hash3(lo, hi, v, m->ubits);
    for (uint32_t k; (k = m->unique[i]) != 0; i = (i + 1) & mask) {
        const rd_bdd_node *n = &m->nodes[k];
        if (n->lo == lo && n->hi == hi && n->var == v) return k;
    }
    if (m->len >= m->max) {
        fail(m, RD_BDD_BUDGET);
        return RD_BDD_FALSE;
    }
    if (m->len == m->cap && grow_nodes(m) != 0) return RD_BDD_FALSE;
    /* Stored nodes are len - 2 (the terminals are not stored); keep the table at most half full. */
    if ((m->len - 1) * 2 > m->ucap) {
        if (grow_unique(m) != 0) return RD_BDD_FALSE;
        mask = m->ucap - 1;
        for (i = hash3(lo, hi, v, m->ubits); m->unique[i]; i = (i + 1) & mask) {}
    }
    rd_bdd k = (rd_bdd)m->len++;
    m->nodes[k] = (rd_bdd_node){v, lo, hi};
    m->unique[i] = k;
    return k;
}

static rd_bdd_cache_entry *cache_slot(rd_bdd_mgr *m, uint32_t a, uint32_t b, uint32_t c)
{
    return &m->cache[hash3(a, b, c, m->cbits)];
}

static int cache_hit(const rd_bdd_cache_entry *e, uint32_t a, uint32_t b, uint32_t c)
{
    return e->a == a && e->b == b && e->c == c;
}

static uint32_t top(const rd_bdd_mgr *m, rd_bdd a) { return m->nodes[a].var; }
static rd_bdd co_lo(const rd_bdd_mgr *m, rd_bdd a, uint32_t v)
{
    return m->nodes[a].var == v ? m->nodes[a].lo : a;
}
static rd_bdd co_hi(const rd_bdd_mgr *m, rd_bdd a, uint32_t v)
{
    return m->nodes[a].var == v ? m->nodes[a].hi : a;
}

static rd_bdd not_rec(rd_bdd_mgr *m, rd_bdd a)
{
    if (a <= RD_BDD_TRUE) return a ^ 1u;
    rd_bdd_cache_entry *e = cache_slot(m, a, 0, OP_NOT);
    if (cache_hit(e, a, 0, OP_NOT)) return e->r;
    const rd_bdd_node n = m->nodes[a];
    rd_bdd lo = not_rec(m, n.lo);
    rd_bdd hi = m->status ? RD_BDD_FALSE : not_rec(m, n.hi);
    if (m->status) return RD_BDD_FALSE;
    rd_bdd r = mk(m, n.var, lo, hi);
    *e = (rd_bdd_cache_entry){a, 0, OP_NOT, r};
    return r;
}

/* AND, OR and ANDNOT, one recursion: the terminal cases differ, the Shannon expansion does not. */
static rd_bdd apply(rd_bdd_mgr *m, uint32_t op, rd_bdd a, rd_bdd b)
{
    switch (op) {
    case OP_AND:
        if (a == RD_BDD_FALSE || b == RD_BDD_FALSE) return RD_BDD_FALSE;
        if (a == RD_BDD_TRUE || a == b) return b;
        if (b == RD_BDD_TRUE) return a;
        break;
    case OP_OR:
        if (a == RD_BDD_TRUE || b == RD_BDD_TRUE) return RD_BDD_TRUE;
        if (a == RD_BDD_FALSE || a == b) return b;
        if (b == RD_BDD_FALSE) return a;
        break;
    default: /* OP_ANDNOT */
        if (a == RD_BDD_FALSE || b == RD_BDD_TRUE || a == b) return RD_BDD_FALSE;
        if (b == RD_BDD_FALSE) return a;
        if (a == RD_BDD_TRUE) return not_rec(m, b);
        break;
    }
    if (op != OP_ANDNOT && a > b) { /* commutative: one cache entry for both orders */
        rd_bdd t = a;
        a = b;
        b = t;
    }
    rd_bdd_cache_entry *e = cache_slot(m, a, b, op);
    if (cache_hit(e, a, b, op)) return e->r;
    uint32_t va = top(m, a), vb = top(m, b), v = va < vb ? va : vb;
    rd_bdd lo = apply(m, op, co_lo(m, a, v), co_lo(m, b, v));
    rd_bdd hi = m->status ? RD_BDD_FALSE : apply(m, op, co_hi(m, a, v), co_hi(m, b, v));
    if (m->status) return RD_BDD_FALSE;
    rd_bdd r = mk(m, v, lo, hi);
    *e = (rd_bdd_cache_entry){a, b, op, r};
    return r;
}

static rd_bdd ite_rec(rd_bdd_mgr *m, rd_bdd f, rd_bdd g, rd_bdd h)
{
    if (f == RD_BDD_TRUE) return g;
    if (f == RD_BDD_FALSE) return h;
    if (g == f) g = RD_BDD_TRUE;
    if (h == f) h = RD_BDD_FALSE;
    if (g == h) return g;
    /* The two-operand cases go to apply, whose cache entries they then share. */
    if (g == RD_BDD_TRUE) return h == RD_BDD_FALSE ? f : apply(m, OP_OR, f, h);
    if (h == RD_BDD_FALSE) return apply(m, OP_AND, f, g);
    if (g == RD_BDD_FALSE) return h == RD_BDD_TRUE ? not_rec(m, f) : apply(m, OP_ANDNOT, h, f);
    rd_bdd_cache_entry *e = cache_slot(m, f, g, h);
    if (cache_hit(e, f, g, h)) return e->r;
    uint32_t v = top(m, f), vg = top(m, g), vh = top(m, h);
    if (vg < v) v = vg;
    if (vh < v) v = vh;
    rd_bdd lo = ite_rec(m, co_lo(m, f, v), co_lo(m, g, v), co_lo(m, h, v));
    rd_bdd hi = m->status ? RD_BDD_FALSE
                          : ite_rec(m, co_hi(m, f, v), co_hi(m, g, v), co_hi(m, h, v));
    if (m->status) return RD_BDD_FALSE;
    rd_bdd r = mk(m, v, lo, hi);
    *e = (rd_bdd_cache_entry){f, g, h, r};
    return r;
}

static int implies_rec(rd_bdd_mgr *m, rd_bdd a, rd_bdd b)
{
    if (a == RD_BDD_FALSE || b == RD_BDD_TRUE || a == b) return 1;
    /* Canonical forms: TRUE is only a subset of TRUE, and only FALSE is a subset of FALSE. */
    if (a == RD_BDD_TRUE || b == RD_BDD_FALSE) return 0;
    rd_bdd_cache_entry *e = cache_slot(m, a, b, OP_IMPLIES);
    if (cache_hit(e, a, b, OP_IMPLIES)) return (int)e->r;
    uint32_t va = top(m, a), vb = top(m, b), v = va < vb ? va : vb;
    int r = implies_rec(m, co_lo(m, a, v), co_lo(m, b, v)) &&
            implies_rec(m, co_hi(m, a, v), co_hi(m, b, v));
    /* Exact even after a failure: the answer reads only existing nodes. */
    *e = (rd_bdd_cache_entry){a, b, OP_IMPLIES, (rd_bdd)r};
    return r;
}

rd_bdd_mgr *rd_bdd_new(unsigned nvars, size_t max_nodes)
{
    if (nvars > RD_BDD_MAX_VARS) return NULL;
    rd_bdd_mgr *m = calloc(1, sizeof *m);
    if (!m) return NULL;
    m->nvars = nvars;
    m->max = max_nodes < 2 ? 2 : max_nodes > MAX_INDEX ? MAX_INDEX : max_nodes;
    m->cap = m->max < 1024 ? m->max : 1024;
    m->ubits = 11;
    m->ucap = (size_t)1 << m->ubits;
    for (m->cbits = CACHE_MIN_BITS; m->cbits < CACHE_MAX_BITS && ((size_t)1 << m->cbits) < m->max;)
        m->cbits++;
    m->nodes = malloc(m->cap * sizeof *m->nodes);
    m->unique = calloc(m->ucap, sizeof *m->unique);
    m->cache = calloc((size_t)1 << m->cbits, sizeof *m->cache);
    if (!m->nodes || !m->unique || !m->cache) {
        rd_bdd_free(m);
        return NULL;
    }
    m->nodes[RD_BDD_FALSE] = (rd_bdd_node){nvars, RD_BDD_FALSE, RD_BDD_FALSE};
    m->nodes[RD_BDD_TRUE] = (rd_bdd_node){nvars, RD_BDD_TRUE, RD_BDD_TRUE};
    m->len = 2;
    return m;
}

void rd_bdd_free(rd_bdd_mgr *m)
{
    if (!m) return;
    free(m->nodes);
    free(m->unique);
    free(m->cache);
    free(m);
}

int rd_bdd_overflow(const rd_bdd_mgr *m) { return m->status; }

size_t rd_bdd_node_count(const rd_bdd_mgr *m) { return m->len; }

/* Entry check shared by the operations: refuse after a failure, and turn a handle that is not
 * this manager's into a failure instead of an out-of-bounds read. */
static int usable(rd_bdd_mgr *m, rd_bdd a)
{
    if (m->status) return 0;
    if (a < m->len) return 1;
    fail(m, RD_BDD_MISUSE);
    return 0;
}

/* Variable v, or its negation: the node testing v with `lo` and `hi` as its branches. */
static rd_bdd literal(rd_bdd_mgr *m, unsigned v, rd_bdd lo, rd_bdd hi)
{
    if (m->status) return RD_BDD_FALSE;
    if (v >= m->nvars) {
        fail(m, RD_BDD_MISUSE);
        return RD_BDD_FALSE;
    }
    return mk(m, v, lo, hi);
}

rd_bdd rd_bdd_var(rd_bdd_mgr *m, unsigned v) { return literal(m, v, RD_BDD_FALSE, RD_BDD_TRUE); }

rd_bdd rd_bdd_nvar(rd_bdd_mgr *m, unsigned v) { return literal(m, v, RD_BDD_TRUE, RD_BDD_FALSE); }

rd_bdd rd_bdd_cube(rd_bdd_mgr *m, unsigned first_var, unsigned nbits, uint64_t value)
{
    if (m->status) return RD_BDD_FALSE;
    if (nbits > 64 || first_var > m->nvars || nbits > m->nvars - first_var) {
        fail(m, RD_BDD_MISUSE);
        return RD_BDD_FALSE;
    }
    if (nbits < 64 && value >> nbits) return RD_BDD_FALSE;
    /* Bottom-up along the order, each node directly above the last: no apply needed. */
    rd_bdd r = RD_BDD_TRUE;
    for (unsigned i = nbits; i-- > 0 && !m->status;) {
        int bit = (int)(value >> i & 1u);
        r = mk(m, first_var + i, bit ? RD_BDD_FALSE : r, bit ? r : RD_BDD_FALSE);
    }
    return m->status ? RD_BDD_FALSE : r;
}

rd_bdd rd_bdd_not(rd_bdd_mgr *m, rd_bdd a)
{
    return usable(m, a) ? not_rec(m, a) : RD_BDD_FALSE;
}

rd_bdd rd_bdd_and(rd_bdd_mgr *m, rd_bdd a, rd_bdd b)
{
    return usable(m, a) && usable(m, b) ? apply(m, OP_AND, a, b) : RD_BDD_FALSE;
}

rd_bdd rd_bdd_or(rd_bdd_mgr *m, rd_bdd a, rd_bdd b)
{
    return usable(m, a) && usable(m, b) ? apply(m, OP_OR, a, b) : RD_BDD_FALSE;
}

rd_bdd rd_bdd_andnot(rd_bdd_mgr *m, rd_bdd a, rd_bdd b)
{
    return usable(m, a) && usable(m, b) ? apply(m, OP_ANDNOT, a, b) : RD_BDD_FALSE;
}

rd_bdd rd_bdd_ite(rd_bdd_mgr *m, rd_bdd c, rd_bdd t, rd_bdd e)
{
    return usable(m, c) && usable(m, t) && usable(m, e) ? ite_rec(m, c, t, e) : RD_BDD_FALSE;
}

int rd_bdd_implies(rd_bdd_mgr *m, rd_bdd a, rd_bdd b)
{
    if (a >= m->len || b >= m->len) {
        fail(m, RD_BDD_MISUSE);
        return 0;
    }
    return implies_rec(m, a, b);
}

int rd_bdd_sat_one(const rd_bdd_mgr *m, rd_bdd a, signed char *out)
{
    if (a == RD_BDD_FALSE || a >= m->len) return -1;
    memset(out, -1, m->nvars);
    /* In a reduced diagram every node other than FALSE reaches TRUE, so any non-FALSE child will
     * do and the walk never backtracks. */
    while (a > RD_BDD_TRUE) {
        const rd_bdd_node *n = &m->nodes[a];
        out[n->var] = n->lo != RD_BDD_FALSE ? 0 : 1;
        a = n->lo != RD_BDD_FALSE ? n->lo : n->hi;
    }
    return 0;
}

int rd_bdd_eval(const rd_bdd_mgr *m, rd_bdd a, const unsigned char *assignment)
{
    if (a >= m->len) return 0;
    while (a > RD_BDD_TRUE) a = assignment[m->nodes[a].var] ? m->nodes[a].hi : m->nodes[a].lo;
    return (int)a;
}
