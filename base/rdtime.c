/* Instants as RFC 3339 writes them (https://www.rfc-editor.org/rfc/rfc3339, section 5.6), the one
 * way into and out of text for every time the project reads or writes: case files, --now, test
 * blocks. Strict on purpose: a time written the way other software writes times without saying
 * which zone it is in ("2024-05-01 15:00:00"), a day that does not exist, a field with one digit or
 * trailing text is refused, never guessed at, since a consent's hours are counted from it. */
#include "rdtime.h"
#include <string.h>

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar (Howard Hinnant's
 * days_from_civil), so that no time zone or C library range enters. */
static long long days_from_civil(long long y, unsigned m, unsigned d)
{
    y -= m <= 2;
    long long era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (long long)doe - 719468;
}

static void civil_from_days(long long z, long long *y, unsigned *m, unsigned *d)
{
    z += 719468;
    long long era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (long long)yoe + era * 400 + (*m <= 2);
}

static int leap(long long y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

static unsigned month_days(long long y, unsigned m)
{
    static const unsigned char days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && leap(y) ? 29 : days[m - 1];
}

/* A field of exactly n digits from lo to hi at s + *at, after the separator `sep` (none when 0).
 * Returns 0 and advances *at, or the 1-based column where the field goes wrong: the character that
 * is not a digit or separator, or the field's first digit when its value is out of range. */
static int field(const char *s, size_t *at, char sep, int n, long long lo, long long hi, long long *v)
{
    if (sep && s[(*at)++] != sep) return (int)*at;
    size_t start = *at;
    *v = 0;
    for (int i = 0; i < n; i++, (*at)++) {
        if (s[*at] < '0' || s[*at] > '9') return (int)*at + 1;
        *v = *v * 10 + (s[*at] - '0');
    }
    return *v < lo || *v > hi ? (int)start + 1 : 0;
}

int rd_time_parse(const char *s, long long *t) { return rd_time_parse_rounded(s, t, 0); }

int rd_time_parse_rounded(const char *s, long long *t, int up)
{
    size_t at = 0;
    int part = 0;
    long long y, mo, d, h, mi, se, oh = 0, om = 0, sign = 0;
    int col;
    if ((col = field(s, &at, 0, 4, 0, 9999, &y)) || (col = field(s, &at, '-', 2, 1, 12, &mo)) ||
        (col = field(s, &at, '-', 2, 1, month_days(y, (unsigned)mo), &d)))
        return col;
    /* RFC 3339 allows a space for readability, and t as well as T */
    if (s[at] != 'T' && s[at] != 't' && s[at] != ' ') return (int)at + 1;
    at++;
    /* 60 is a leap second (RFC 3339 5.7): the instant is the next second's start */
    if ((col = field(s, &at, 0, 2, 0, 23, &h)) || (col = field(s, &at, ':', 2, 0, 59, &mi)) ||
        (col = field(s, &at, ':', 2, 0, 60, &se)))
        return col;
    if (s[at] == '.') { /* a fraction: the whole second it falls in, or the next one (up) */
        if (s[++at] < '0' || s[at] > '9') return (int)at + 1;
        for (; s[at] >= '0' && s[at] <= '9'; at++) part |= s[at] != '0';
    }
    if (s[at] == 'Z' || s[at] == 'z') {
        at++;
    } else if (s[at] == '+' || s[at] == '-') {
        sign = s[at++] == '-' ? -1 : 1;
        if ((col = field(s, &at, 0, 2, 0, 23, &oh)) || (col = field(s, &at, ':', 2, 0, 59, &om))) return col;
    } else {
        return (int)at + 1; /* no zone: which instant it is cannot be known */
    }
    if (s[at]) return (int)at + 1;
    /* 60 only in a minute's last place (RFC 3339 5.7: a leap second ends a minute) */
    if (se == 60 && mi != 59) return 18;
    long long secs = days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 + h * 3600 + mi * 60 + se;
    secs -= sign * (oh * 3600 + om * 60);
    secs += up && part;
    /* an offset must not carry the instant out of the years 0000 to 9999: it could not be written back */
    if (secs < RD_TIME_FIRST || secs > RD_TIME_LAST) return 1;
    *t = secs;
    return 0;
}

int rd_time_format(long long t, char out[RD_TIME_TEXT])
{
    if (t < RD_TIME_FIRST || t > RD_TIME_LAST) return -1;
    long long days = t >= 0 ? t / 86400 : -((-t + 86399) / 86400), rem = t - days * 86400, y;
    unsigned m, d;
    civil_from_days(days, &y, &m, &d);
    if (y < 0 || y > 9999) return -1;
    out[0] = (char)('0' + y / 1000), out[1] = (char)('0' + y / 100 % 10), out[2] = (char)('0' + y / 10 % 10);
    out[3] = (char)('0' + y % 10), out[4] = '-', out[5] = (char)('0' + m / 10), out[6] = (char)('0' + m % 10);
    out[7] = '-', out[8] = (char)('0' + d / 10), out[9] = (char)('0' + d % 10), out[10] = 'T';
    unsigned h = (unsigned)(rem / 3600), mi = (unsigned)(rem / 60 % 60), se = (unsigned)(rem % 60);
    out[11] = (char)('0' + h / 10), out[12] = (char)('0' + h % 10), out[13] = ':';
    out[14] = (char)('0' + mi / 10), out[15] = (char)('0' + mi % 10), out[16] = ':';
    out[17] = (char)('0' + se / 10), out[18] = (char)('0' + se % 10), out[19] = 'Z', out[20] = '\0';
    return 0;
}
