/* Instants: RFC 3339 text to seconds since 1970 (UTC) and back (rdtime.c). The parser is public
 * (rd_time_parse in rightdoor.h); the writer is for the library's own output. */
#ifndef RD_RDTIME_H
#define RD_RDTIME_H
#include "rightdoor.h"

/* The first and last instants RFC 3339 can write: 0000-01-01T00:00:00Z, 9999-12-31T23:59:59Z. */
#define RD_TIME_FIRST (-62167219200LL)
#define RD_TIME_LAST 253402300799LL

/* Room for "YYYY-MM-DDTHH:MM:SSZ" and its NUL. */
#define RD_TIME_TEXT 21

/* rd_time_parse, with a fraction of a second rounded up when `up` is set, down when not: times are
 * kept in whole seconds, and each use rounds to the side that never allows early (when a consent
 * or a notice was given) or late (when one ends). */
int rd_time_parse_rounded(const char *s, long long *t, int up);

/* Writes t as "2024-05-01T10:00:00Z" into out. Returns 0, or -1 when t is RD_TIME_NONE or outside
 * the years 0000 to 9999. */
int rd_time_format(long long t, char out[RD_TIME_TEXT]);

#endif
