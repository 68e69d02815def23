/* Whether a directory entry is open at a given moment, from its `hours` text. Directories are
 * written by people, so the text is free; these forms are understood (docs/syntax.md, "Opening
 * hours"), and anything else is shown as written but never taken as open:
 *   24/7, 24 hours ..., 24h ...                      always open
 *   Mon-Fri 08:00-17:00, Sat 08:00-12:00             days (Mon..Sun, a range, or `daily`) and a
 *                                                    time range; `;` also separates; an end before
 *                                                    the start runs past midnight
 * A trailing remark in parentheses is ignored. Times are local to the directory: its `utc_offset`. */
#include "case.h"
#include <ctype.h>
#include <string.h>
#include <strings.h>

static const char *const day_names[7] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

static const char *skip_space(const char *s)
{
    while (*s == ' ' || *s == '\t') s++;
    return s;
}

static int day_at(const char **s)
{
    for (int d = 0; d < 7; d++)
        if (!strncasecmp(*s, day_names[d], 3) && !isalpha((unsigned char)(*s)[3])) {
            *s += 3;
            return d;
        }
    return -1;
}

static int clock_at(const char **s) /* HH:MM, minutes since midnight; 24:00 allowed as an end */
{
    const char *p = *s;
    if (!isdigit((unsigned char)p[0]) || !isdigit((unsigned char)p[1]) || p[2] != ':' || !isdigit((unsigned char)p[3]) ||
        !isdigit((unsigned char)p[4]))
        return -1;
    int h = (p[0] - '0') * 10 + (p[1] - '0'), m = (p[3] - '0') * 10 + (p[4] - '0');
    if (h > 24 || m > 59 || (h == 24 && m)) return -1;
    *s = p + 5;
    return h * 60 + m;
}

int rd_always_open(const char *hours)
{
    if (!hours) return 0;
    hours = skip_space(hours);
    return !strncmp(hours, "24/7", 4) || !strncasecmp(hours, "24 hours", 8) || !strncasecmp(hours, "24h", 3);
}

int rd_open_at(const char *hours, long long now, int utc_offset_min)
{
    if (!hours) return -1;
    if (rd_always_open(hours)) return 1;
    long long local = now + (long long)utc_offset_min * 60;
    long long days = local >= 0 ? local / 86400 : (local - 86399) / 86400;
    int minute = (int)((local - days * 86400) / 60);
    int today = (int)(((days + 3) % 7 + 7) % 7); /* 1970-01-01 was a Thursday; 0 = Monday */
    int yesterday = (today + 6) % 7, open = 0;
    const char *s = skip_space(hours);
    for (;;) {
        int from, to;
        if (!strncasecmp(s, "daily", 5)) {
            s += 5;
            from = 0, to = 6;
        } else {
            if ((from = day_at(&s)) < 0) return -1;
            to = from;
            if (*s == '-') {
                s++;
                if ((to = day_at(&s)) < 0) return -1;
            }
        }
        s = skip_space(s);
        int start = clock_at(&s);
        if (start < 0 || *s++ != '-') return -1;
        int end = clock_at(&s);
        if (end < 0) return -1;
        /* a day range may wrap (Sat-Mon) */
        int on_today = from <= to ? today >= from && today <= to : today >= from || today <= to;
        int on_yesterday = from <= to ? yesterday >= from && yesterday <= to : yesterday >= from || yesterday <= to;
        if (start < end) open |= on_today && minute >= start && minute < end;
        else open |= (on_today && minute >= start) || (on_yesterday && minute < end); /* past midnight */
        s = skip_space(s);
        if (*s == ',' || *s == ';') {
            s = skip_space(s + 1);
            continue;
        }
        if (*s == '(' || !*s) return open;
        return -1;
    }
}
