/* Linear probing with a power-of-two table kept at most half full. */
#include "map.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static size_t hash_str(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return (size_t)h;
}

void rd_map_init(rd_map *m) { memset(m, 0, sizeof *m); }

void rd_map_free(rd_map *m)
{
    free(m->slots);
    memset(m, 0, sizeof *m);
}

void *rd_map_get(const rd_map *m, const char *key)
{
    if (!m->cap) return NULL;
    for (size_t i = hash_str(key) & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
        if (!m->slots[i].key) return NULL;
        if (strcmp(m->slots[i].key, key) == 0) return m->slots[i].value;
    }
}

static int grow(rd_map *m)
{
    size_t cap = m->cap ? m->cap * 2 : 16;
    rd_map_slot *s = calloc(cap, sizeof *s);
    if (!s) return -1;
    for (size_t j = 0; j < m->cap; j++) {
        if (!m->slots[j].key) continue;
        size_t i = hash_str(m->slots[j].key) & (cap - 1);
        while (s[i].key) i = (i + 1) & (cap - 1);
        s[i] = m->slots[j];
    }
    free(m->slots);
    m->slots = s;
    m->cap = cap;
    return 0;
}

int rd_map_put(rd_map *m, const char *key, void *value)
{
    if ((m->len + 1) * 2 > m->cap && grow(m) != 0) return -1;
    size_t i = hash_str(key) & (m->cap - 1);
    while (m->slots[i].key) {
        if (strcmp(m->slots[i].key, key) == 0) {
            m->slots[i].value = value;
            return 0;
        }
        i = (i + 1) & (m->cap - 1);
    }
    m->slots[i].key = key;
    m->slots[i].value = value;
    m->len++;
    return 0;
}
