/* String-keyed hash map (open addressing). Keys are not copied: they must outlive the map, which
 * holds for the arena-owned names it is used with. */
#ifndef RD_MAP_H
#define RD_MAP_H
#include <stddef.h>

typedef struct rd_map_slot {
    const char *key;
    void *value;
} rd_map_slot;

typedef struct rd_map {
    rd_map_slot *slots;
    size_t cap, len;
} rd_map;

void  rd_map_init(rd_map *m);
void  rd_map_free(rd_map *m);
void *rd_map_get(const rd_map *m, const char *key);
/* Inserts or replaces; returns 0, or -1 when out of memory. */
int   rd_map_put(rd_map *m, const char *key, void *value);

#endif
