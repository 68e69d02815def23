/* The files of a program and positions in them. A span names a file by its index in the program's
 * source table so every AST node can say where it came from in 20 bytes. */
#ifndef RD_SOURCE_H
#define RD_SOURCE_H
#include <stddef.h>
#include <stdint.h>

#define RD_MAX_FILE_SIZE (64u * 1024u * 1024u)
/* No line of a file read from disk may be longer (in bytes): a one-line file of megabytes is no
 * SOP, directory or case, and every pass that shows or scans a line stays cheap. Twice the longest
 * text (RD_MAX_STRING), so that any text the language takes fits on one line. */
#define RD_MAX_LINE (128u * 1024u)

typedef struct rd_span {
    uint32_t file;
    uint32_t line, col;         /* 1-based; col counts UTF-8 code points */
    uint32_t end_line, end_col; /* the last character, inclusive */
} rd_span;

typedef struct rd_source {
    char *path;  /* as the user or the naming file wrote it, joined to its folder */
    char *real;  /* canonical path, to load a file used twice only once */
    char *text;  /* NUL-terminated; len excludes the NUL */
    size_t len;
    uint32_t *line_starts; /* built on first use by rd_source_line */
    uint32_t nlines;
    int private_; /* holds a survivor's data (a case file): no diagnostic quotes its text */
} rd_source;

typedef struct rd_sources {
    rd_source *v;
    size_t n, cap;
} rd_sources;

/* RD_READ_NOT_REGULAR: a FIFO, a device or a folder, refused unopened (a FIFO would block). */
typedef enum rd_read_status { RD_READ_OK, RD_READ_MISSING, RD_READ_TOO_BIG, RD_READ_NOT_REGULAR, RD_READ_NOMEM } rd_read_status;

/* Reads a file into the table. *index receives its slot; a file already present (same real path)
 * is not read again and `*fresh` is set to 0. */
rd_read_status rd_sources_load(rd_sources *s, const char *path, uint32_t *index, int *fresh);
/* Reads file `index` from disk again (a case file changes between loads; SOP files do not). */
rd_read_status rd_sources_reload(rd_sources *s, uint32_t index);
/* Frees a source's text, keeping its path for messages: a case file's text must not stay in the
 * program an app keeps open. rd_sources_reload reads it again. */
void rd_sources_drop_text(rd_sources *s, uint32_t index);
/* The same, and the entry itself goes when it is the last one (a file read and done with, such as
 * a case file: a program serving many cases would otherwise grow by one entry per case file). */
void rd_sources_forget(rd_sources *s, uint32_t index);
/* Adds text that did not come from disk (tests, fuzzers). */
int  rd_sources_add_text(rd_sources *s, const char *name, const char *text, size_t len, uint32_t *index);
void rd_sources_free(rd_sources *s);
/* The text of a 1-based line without its newline; NULL when out of range. */
const char *rd_source_line(rd_source *src, uint32_t line, size_t *len);

/* Checks that text is valid UTF-8 with no NUL byte and no control character (rd_is_control).
 * Returns 0; -1 not UTF-8, -2 a control character; with the 1-based line and column of it. */
int rd_utf8_check(const char *text, size_t len, uint32_t *line, uint32_t *col);
/* Whether code point c is a control character no text of the project may hold (tab and line ends
 * may). */
int rd_is_control(unsigned c);
/* Checks that no line of valid UTF-8 text is longer than RD_MAX_LINE bytes. Returns 0, or -1 with
 * the 1-based line of the first that is and the column (in code points) where it passes the limit. */
int rd_line_check(const char *text, size_t len, uint32_t *line, uint32_t *col);

#endif
