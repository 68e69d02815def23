/* A node's state as a sparse vector: of the many bits the properties could track (engine.h), a node
 * usually has a handful that are not FALSE, so the state stores only those, sorted by key, and a
 * transfer or a join costs what the node carries, not what the program could. */
#include "engine.h"
#include <stdlib.h>
#include <string.h>

/* Sets bit `key` to v; FALSE takes the bit out. -1, with *nomem set, when it cannot grow. */
int rd_vs_put(vstate *s, uint32_t key, rd_bdd v, int *nomem)
{
    /* keys arrive mostly in order; insertion keeps the array sorted */
    uint32_t i = s->n;
    while (i > 0 && s->b[i - 1].key > key) i--;
    if (i > 0 && s->b[i - 1].key == key) {
        if (v == RD_BDD_FALSE) {
            memmove(&s->b[i - 1], &s->b[i], (s->n - i) * sizeof *s->b);
            s->n--;
        } else {
            s->b[i - 1].v = v;
        }
        return 0;
    }
    if (v == RD_BDD_FALSE) return 0;
    if (s->n == s->cap) {
        uint32_t cap = s->cap ? s->cap * 2 : 8;
        bit *nb = realloc(s->b, cap * sizeof *nb);
        if (!nb) {
            *nomem = 1;
            return -1;
        }
        s->b = nb;
        s->cap = cap;
    }
    memmove(&s->b[i + 1], &s->b[i], (s->n - i) * sizeof *s->b);
    s->b[i] = (bit){key, v};
    s->n++;
    return 0;
}

/* Bit `key`: FALSE when the state does not hold it. */
rd_bdd rd_vs_get(const vstate *s, uint32_t key)
{
    uint32_t lo = 0, hi = s->n;
    while (lo < hi) {
        uint32_t mid = (lo + hi) / 2;
        if (s->b[mid].key < key) lo = mid + 1;
        else hi = mid;
    }
    return lo < s->n && s->b[lo].key == key ? s->b[lo].v : RD_BDD_FALSE;
}

/* Releases the bits; the state is empty and can be used again. */
void rd_vs_free(vstate *s)
{
    free(s->b);
    memset(s, 0, sizeof *s);
}

/* dst becomes a copy of src. -1, with *nomem set, when out of memory. */
int rd_vs_copy(vstate *dst, const vstate *src, int *nomem)
{
    dst->n = 0;
    if (src->n > dst->cap) {
        bit *nb = realloc(dst->b, src->n * sizeof *nb);
        if (!nb) {
            *nomem = 1; /* dst is left empty: a node that looks unreachable */
            return -1;
        }
        dst->b = nb;
        dst->cap = src->n;
    }
    if (src->n) memcpy(dst->b, src->b, src->n * sizeof *dst->b);
    dst->n = src->n;
    return 0;
}

/* Bits other than R hold a set relative to R: the set itself is R and rel. */
rd_bdd rd_vs_R(const vstate *s) { return rd_vs_get(s, KEY(SP_R, 0)); }

/* Adds `x` (a subset of R) to bit `key`. */
void rd_vs_or(rd_bdd_mgr *m, vstate *s, uint32_t key, rd_bdd x, int *nomem)
{
    if (x == RD_BDD_FALSE) return;
    rd_bdd rel = rd_vs_get(s, key), R = rd_vs_R(s);
    if (rel == RD_BDD_TRUE) return;
    rd_vs_put(s, key, x == R ? RD_BDD_TRUE : rd_bdd_or(m, rel, x), nomem);
}
