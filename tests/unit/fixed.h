/* Inputs a test or benchmark fixes itself, so that a run can be replayed: numbers from a seed
 * (splitmix64: the same on every libc, unlike rand()) and instants it states. Shared by the unit
 * tests and the benchmarks that generate their inputs; the generator's state is theirs. */
#ifndef RD_TEST_FIXED_H
#define RD_TEST_FIXED_H
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "rightdoor.h"

/* splitmix64 (Steele, Lea and Flood, 2014): the next number from *state, which it advances. */
static inline uint64_t splitmix64(uint64_t *state)
{
    uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* An instant the test or benchmark states itself (RFC 3339): a mistake in it stops the run. */
static inline long long instant(const char *s)
{
    long long t = 0;
    if (rd_time_parse(s, &t) != 0) {
        fprintf(stderr, "not a time: %s\n", s);
        exit(2);
    }
    return t;
}

#endif
