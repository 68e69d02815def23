/* The two formats of the SOP document (writers/doc.c): the few constructs the document is made
 * of, each spelled in Markdown (CommonMark with tables) and in HTML. The document's sections say
 * what to write and call only these: rd_doc_write chooses the format once, and nothing in the
 * sections asks which it is.
 *
 * Text passed to these functions is the document's own words or the SOP's, never markup: each
 * function escapes it for the format. A `cls` names a CSS class of the HTML document (NULL for
 * none); Markdown has no classes. Constructs that only HTML has (the page around the document,
 * the table of contents, links, boxes and sections for layout, a drawing, preformatted text)
 * write nothing in Markdown. */
#ifndef RD_DOC_MARKUP_H
#define RD_DOC_MARKUP_H
#include <stddef.h>
#include <stdio.h>

typedef struct rd_mk {
    FILE *out;
    int html;   /* the format: HTML, or Markdown */
    int depth;  /* Markdown: nesting of the list being written */
    int last;   /* the last character written */
    int failed; /* a write failed: the one field for callers to read */
} rd_mk;

/* Starts writing on out, in HTML when html is not 0, else in Markdown. */
void rd_mk_init(rd_mk *m, FILE *out, int html);

/* ---- the document's frame: HTML's head, style sheet and landmarks ---- */

/* Opens the document and its front matter; `title` is the HTML page's title. */
void rd_mk_document_open(rd_mk *m, const char *title);
/* The table of contents: a link to anchor ids[i] reading titles[i], for each of the n. */
void rd_mk_contents(rd_mk *m, const char *const *ids, const char *const *titles, size_t n);
/* Ends the front matter; the body follows. */
void rd_mk_front_matter_close(rd_mk *m);
void rd_mk_document_close(rd_mk *m);

/* ---- inline ---- */

void rd_mk_text(rd_mk *m, const char *s);
void rd_mk_textf(rd_mk *m, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A name as the SOP spells it, in code type. */
void rd_mk_code(rd_mk *m, const char *s);
/* A sentence in which `name` in backticks is a name (rd_mk_code) and the rest is text. */
void rd_mk_prose(rd_mk *m, const char *s);
void rd_mk_strong(rd_mk *m, const char *s);
void rd_mk_em(rd_mk *m, const char *s);
/* Text in language `lang` (a code such as "th"); the document's own language is English. */
void rd_mk_lang_text(rd_mk *m, const char *lang, const char *s);
/* A warning set off from the text around it, such as a draft translation's. */
void rd_mk_flag(rd_mk *m, const char *cls, const char *s);
/* An empty box to tick by hand, before an item of a form. */
void rd_mk_tick_box(rd_mk *m);
/* A link to the anchor named `a`, or `a-b` when b is not NULL (anchor names are made of letters,
 * digits, `_` and `-`); the link's text is written between open and close. */
void rd_mk_link_open(rd_mk *m, const char *a, const char *b);
void rd_mk_link_close(rd_mk *m);

/* ---- blocks ---- */

/* A heading of level 1 to 4; `id`, when not NULL, is its anchor. */
void rd_mk_heading(rd_mk *m, int level, const char *id, const char *s);
/* A paragraph; `lang`, when not NULL, is the language of all its text. */
void rd_mk_p_open(rd_mk *m, const char *cls, const char *lang);
void rd_mk_p_close(rd_mk *m);
/* A bulleted list; lists nest inside an item. */
void rd_mk_ul_open(rd_mk *m);
void rd_mk_ul_close(rd_mk *m);
void rd_mk_li_open(rd_mk *m);
void rd_mk_li_close(rd_mk *m);
/* A group of blocks laid out together, such as a form or a table that scrolls sideways; a
 * section has the anchor `a` or `a-b` (as rd_mk_link_open names it). */
void rd_mk_box_open(rd_mk *m, const char *cls);
void rd_mk_box_close(rd_mk *m);
void rd_mk_section_open(rd_mk *m, const char *cls, const char *a, const char *b);
void rd_mk_section_close(rd_mk *m);
/* A drawing in SVG (a whole SVG document, as Graphviz writes it) and its caption (as
 * rd_mk_prose). */
void rd_mk_figure(rd_mk *m, const char *cls, const char *svg, const char *caption);
/* Text set as it is, line by line, in a fixed-width font. */
void rd_mk_pre(rd_mk *m, const char *cls, const char *s);

/* ---- tables ---- */

/* A table with a header row of the n `heads`. Cells hold no line break: rd_mk_cell_break
 * separates lines within one. */
void rd_mk_table_open(rd_mk *m, const char *cls, const char *const *heads, size_t n);
/* A table of names and values, with no header row where the format allows (HTML); Markdown
 * cannot have a table without one and writes the n `heads`. */
void rd_mk_table_open_headless(rd_mk *m, const char *cls, const char *const *heads, size_t n);
void rd_mk_table_close(rd_mk *m);
void rd_mk_tr_open(rd_mk *m);
void rd_mk_tr_close(rd_mk *m);
/* The first cell of a row, naming what the row is about. */
void rd_mk_row_head(rd_mk *m, const char *s);
void rd_mk_td_open(rd_mk *m, const char *cls);
void rd_mk_td_close(rd_mk *m);
/* An empty cell, as tall as a line, to be filled in by hand. */
void rd_mk_td_blank(rd_mk *m);
void rd_mk_cell_break(rd_mk *m);

#endif
