/* splitmix64 (Steele, Lea and Flood, 2014): a fixed seed gives the same numbers on every libc,
 * unlike rand(), so that a generated input can be replayed. For the tests and benchmarks that
 * generate their inputs (tests/unit/test_bdd.c, bench/cedar/bench_cedar.c); the state is theirs. */
#ifndef RD_SPLITMIX64_H
#define RD_SPLITMIX64_H
#include <stdint.h>

/* The next number from *state, which it advances. */
static inline uint64_t splitmix64(uint64_t *state)
{
    uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

#endif
