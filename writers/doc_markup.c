/* The SOP document's two formats (doc_markup.h): each construct is written once, with its
 * Markdown and its HTML side by side, so that one can see the two say the same thing. The HTML
 * document is self-contained: its style sheet is here, and styles the classes doc.c names. */
#include "doc_markup.h"
#include <stdarg.h>
#include <string.h>

void rd_mk_init(rd_mk *m, FILE *out, int html)
{
    memset(m, 0, sizeof *m);
    m->out = out;
    m->html = html;
}

static void put(rd_mk *m, const char *s, size_t n)
{
    if (!n) return;
    if (fwrite(s, 1, n, m->out) != n) m->failed = 1;
    m->last = (unsigned char)s[n - 1];
}
static void raw(rd_mk *m, const char *s) { put(m, s, strlen(s)); }
/* Markup that is the same construct in both formats, spelled differently. */
static void spell(rd_mk *m, const char *md, const char *html) { raw(m, m->html ? html : md); }
/* Markup that only HTML has. */
static void html_only(rd_mk *m, const char *s) { spell(m, "", s); }

/* An HTML start tag up to its other attributes, which the caller writes before the `>`. */
static void tag_open(rd_mk *m, const char *name, const char *cls)
{
    raw(m, "<");
    raw(m, name);
    if (!cls) return;
    raw(m, " class=\"");
    raw(m, cls);
    raw(m, "\"");
}

void rd_mk_text(rd_mk *m, const char *s)
{
    if (!s) return;
    for (const char *c = s; *c; c++) {
        const char *rep = NULL;
        char buf[3];
        if (m->html) {
            switch (*c) {
            case '&': rep = "&amp;"; break;
            case '<': rep = "&lt;"; break;
            case '>': rep = "&gt;"; break;
            case '"': rep = "&quot;"; break;
            case '\'': rep = "&#39;"; break;
            }
        } else if (*c == '\n' || *c == '\r' || *c == '\t') {
            /* A line break would end a table cell or a list item. */
            rep = " ";
        } else if (strchr("\\`*_[]<>|#&", *c)) {
            buf[0] = '\\', buf[1] = *c, buf[2] = '\0';
            rep = buf;
        }
        if (rep) raw(m, rep);
        else put(m, c, 1);
    }
}

void rd_mk_textf(rd_mk *m, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    rd_mk_text(m, buf);
}

/* Names never hold a backtick; Markdown takes a code span's text as it is, except that a table
 * cell still ends at `|`. */
void rd_mk_code(rd_mk *m, const char *s)
{
    if (m->html) {
        /* A long name may break after an underscore, and nowhere else. */
        raw(m, "<code>");
        for (const char *c = s; c && *c; c++) {
            char one[2] = {*c, '\0'};
            rd_mk_text(m, one);
            if (*c == '_' && c[1]) raw(m, "<wbr>");
        }
        raw(m, "</code>");
        return;
    }
    raw(m, "`");
    for (const char *c = s; c && *c; c++) {
        if (*c == '|') raw(m, "\\|");
        else if (*c != '`' && *c != '\n') put(m, c, 1);
    }
    raw(m, "`");
}

void rd_mk_prose(rd_mk *m, const char *s)
{
    while (s && *s) {
        const char *open = strchr(s, '`'), *close = open ? strchr(open + 1, '`') : NULL;
        if (!close) {
            rd_mk_text(m, s);
            return;
        }
        char buf[512];
        size_t n = (size_t)(open - s);
        while (n) {
            size_t k = n < sizeof buf - 1 ? n : sizeof buf - 1;
            memcpy(buf, s, k);
            buf[k] = '\0';
            rd_mk_text(m, buf);
            s += k;
            n -= k;
        }
        size_t k = (size_t)(close - open - 1) < sizeof buf - 1 ? (size_t)(close - open - 1) : sizeof buf - 1;
        memcpy(buf, open + 1, k);
        buf[k] = '\0';
        rd_mk_code(m, buf);
        s = close + 1;
    }
}

void rd_mk_strong(rd_mk *m, const char *s)
{
    spell(m, "**", "<strong>");
    rd_mk_text(m, s);
    spell(m, "**", "</strong>");
}

void rd_mk_em(rd_mk *m, const char *s)
{
    spell(m, "*", "<em>");
    rd_mk_text(m, s);
    spell(m, "*", "</em>");
}

/* Marked for screen readers and fonts; Markdown has no way to say it. */
void rd_mk_lang_text(rd_mk *m, const char *lang, const char *s)
{
    if (m->html && lang && strcmp(lang, "en")) {
        raw(m, "<span lang=\"");
        rd_mk_text(m, lang);
        raw(m, "\">");
        rd_mk_text(m, s);
        raw(m, "</span>");
    } else {
        rd_mk_text(m, s);
    }
}

void rd_mk_flag(rd_mk *m, const char *cls, const char *s)
{
    if (m->html) {
        tag_open(m, "span", cls);
        raw(m, ">");
        rd_mk_text(m, s);
        raw(m, "</span>");
        return;
    }
    raw(m, "**(");
    rd_mk_text(m, s);
    raw(m, ")**");
}

void rd_mk_tick_box(rd_mk *m) { spell(m, "[ ] ", "<span class=\"box\"></span> "); }

static void anchor_name(rd_mk *m, const char *a, const char *b)
{
    rd_mk_text(m, a);
    if (b) {
        raw(m, "-");
        rd_mk_text(m, b);
    }
}

static void anchor_attr(rd_mk *m, const char *a, const char *b)
{
    raw(m, " id=\"");
    anchor_name(m, a, b);
    raw(m, "\"");
}

void rd_mk_link_open(rd_mk *m, const char *a, const char *b)
{
    if (!m->html) return;
    raw(m, "<a href=\"#");
    anchor_name(m, a, b);
    raw(m, "\">");
}
void rd_mk_link_close(rd_mk *m) { html_only(m, "</a>"); }

/* ---- blocks ---------------------------------------------------------------------------------- */

void rd_mk_heading(rd_mk *m, int level, const char *id, const char *s)
{
    if (m->html) {
        char h[8];
        snprintf(h, sizeof h, "<h%d", level);
        raw(m, h);
        if (id) anchor_attr(m, id, NULL);
        raw(m, ">");
        rd_mk_text(m, s);
        snprintf(h, sizeof h, "</h%d>\n", level);
        raw(m, h);
    } else {
        for (int i = 0; i < level; i++) raw(m, "#");
        raw(m, " ");
        rd_mk_text(m, s);
        raw(m, "\n\n");
    }
}

void rd_mk_p_open(rd_mk *m, const char *cls, const char *lang)
{
    if (!m->html) return;
    tag_open(m, "p", cls);
    if (lang && strcmp(lang, "en")) {
        raw(m, " lang=\"");
        rd_mk_text(m, lang);
        raw(m, "\"");
    }
    raw(m, ">");
}
void rd_mk_p_close(rd_mk *m) { spell(m, "\n\n", "</p>\n"); }

void rd_mk_ul_open(rd_mk *m)
{
    m->depth++;
    html_only(m, "<ul>\n");
}
void rd_mk_ul_close(rd_mk *m)
{
    m->depth--;
    if (m->html) raw(m, "</ul>\n");
    else if (m->depth == 0) raw(m, m->last == '\n' ? "\n" : "\n\n");
}
void rd_mk_li_open(rd_mk *m)
{
    if (m->html) {
        raw(m, "<li>");
        return;
    }
    if (m->last != '\n' && m->last != 0) raw(m, "\n");
    for (int i = 1; i < m->depth; i++) raw(m, "  ");
    raw(m, "- ");
}
void rd_mk_li_close(rd_mk *m) { html_only(m, "</li>\n"); }

void rd_mk_box_open(rd_mk *m, const char *cls)
{
    if (!m->html) return;
    tag_open(m, "div", cls);
    raw(m, ">\n");
}
void rd_mk_box_close(rd_mk *m) { html_only(m, "</div>\n"); }

void rd_mk_section_open(rd_mk *m, const char *cls, const char *a, const char *b)
{
    if (!m->html) return;
    tag_open(m, "section", cls);
    anchor_attr(m, a, b);
    raw(m, ">\n");
}
void rd_mk_section_close(rd_mk *m) { html_only(m, "</section>\n"); }

void rd_mk_figure(rd_mk *m, const char *cls, const char *svg, const char *caption)
{
    if (!m->html) return;
    tag_open(m, "figure", cls);
    raw(m, ">\n");
    /* Graphviz's SVG is a whole document: its XML prologue and doctype cannot sit inside HTML. */
    const char *start = strstr(svg, "<svg");
    raw(m, start ? start : "");
    raw(m, "\n<figcaption>");
    rd_mk_prose(m, caption);
    raw(m, "</figcaption></figure>\n");
}

void rd_mk_pre(rd_mk *m, const char *cls, const char *s)
{
    if (!m->html) return;
    tag_open(m, "pre", cls);
    raw(m, ">");
    rd_mk_text(m, s);
    raw(m, "</pre>\n");
}

/* ---- tables ---------------------------------------------------------------------------------- */

static void table_open(rd_mk *m, const char *cls, const char *const *heads, size_t n, int html_heads)
{
    if (m->html) {
        tag_open(m, "table", cls);
        if (!html_heads) {
            raw(m, "><tbody>\n");
            return;
        }
        raw(m, "><thead><tr>");
    } else {
        raw(m, "|");
    }
    for (size_t i = 0; i < n; i++) {
        spell(m, " ", "<th>");
        rd_mk_text(m, heads[i]);
        spell(m, " |", "</th>");
    }
    if (m->html) {
        raw(m, "</tr></thead>\n<tbody>\n");
        return;
    }
    raw(m, "\n|");
    for (size_t i = 0; i < n; i++) raw(m, "---|");
    raw(m, "\n");
}
void rd_mk_table_open(rd_mk *m, const char *cls, const char *const *heads, size_t n) { table_open(m, cls, heads, n, 1); }
void rd_mk_table_open_headless(rd_mk *m, const char *cls, const char *const *heads, size_t n)
{
    table_open(m, cls, heads, n, 0);
}
void rd_mk_table_close(rd_mk *m) { spell(m, "\n", "</tbody></table>\n"); }

void rd_mk_tr_open(rd_mk *m) { spell(m, "|", "<tr>"); }
void rd_mk_tr_close(rd_mk *m) { spell(m, "\n", "</tr>\n"); }

void rd_mk_row_head(rd_mk *m, const char *s)
{
    spell(m, " ", "<th scope=\"row\">");
    rd_mk_text(m, s);
    spell(m, " |", "</th>");
}

void rd_mk_td_open(rd_mk *m, const char *cls)
{
    if (!m->html) {
        raw(m, " ");
        return;
    }
    tag_open(m, "td", cls);
    raw(m, ">");
}
void rd_mk_td_close(rd_mk *m) { spell(m, " |", "</td>"); }

void rd_mk_td_blank(rd_mk *m)
{
    rd_mk_td_open(m, NULL);
    /* An HTML cell with nothing in it would have no height to write in. */
    spell(m, " ", "&nbsp;");
    rd_mk_td_close(m);
}

/* Markdown: a cell cannot hold a line break. */
void rd_mk_cell_break(rd_mk *m) { spell(m, "; ", "<br>"); }

/* ---- the document's frame --------------------------------------------------------------------- */

static const char css[] =
    "body{font-family:\"Noto Sans\",\"DejaVu Sans\",Arial,\"Noto Sans Thai\",\"Noto Sans Myanmar\",\"Noto Sans Khmer\","
    "Tahoma,\"Leelawadee UI\",\"Myanmar Text\",\"Khmer UI\",sans-serif;font-size:11pt;line-height:1.45;color:#1a1a1a;"
    "max-width:60em;margin:2em auto;padding:0 1.5em}\n"
    "h1{font-size:1.7em;margin-bottom:.2em}h2{font-size:1.35em;border-bottom:2px solid #5a3d7a;padding-bottom:.2em;"
    "margin-top:2.2em;color:#3b2454}h3{font-size:1.12em;margin-top:1.6em;color:#3b2454}h4{font-size:1em;margin-top:1.2em}\n"
    "code{font-family:\"DejaVu Sans Mono\",monospace;font-size:.88em;background:#f1edf5;padding:0 .2em;border-radius:2px}\n"
    "table{border-collapse:collapse;margin:.6em 0 1.2em;width:100%}th,td{border:1px solid #bbb;padding:.25em .4em;"
    "vertical-align:top;text-align:left}thead th{background:#ece6f2}tr{break-inside:avoid}thead{display:table-header-group}\n"
    ".matrix-wrap{overflow-x:auto}table.matrix{font-size:7.5pt}table.matrix td,table.matrix th{overflow-wrap:break-word;"
    "padding:.15em .25em}table.matrix thead th{font-weight:600}table.matrix code{background:none;padding:0;font-size:1em;font-family:inherit}\n"
    "td.never{background:#f6d5d5}td.consent{background:#dcefdc}td.permit{background:#fbeccb}td.duty{background:#d9e6f6}"
    "td.none{color:#888;text-align:center}\n"
    "table.directory{font-size:9pt}td.missing{background:#fde2e2}\n"
    ".result{padding:.3em .6em;border-left:4px solid #888;background:#f6f6f6}.result.proved{border-color:#2e7d32;"
    "background:#e8f5e9}.result.fails{border-color:#c62828;background:#fdecea}.result.waived{border-color:#b26a00;"
    "background:#fff4e0}\n"
    ".duty-here{border-left:4px solid #1f5fa8;padding:.2em .6em;background:#eef4fb}\n"
    ".draft{color:#8a4b00;font-weight:600;font-size:.85em}.banner{border:2px solid #c62828;padding:.5em .8em;"
    "background:#fdecea;font-weight:600}\n"
    ".form{border:1px solid #999;padding:0 1em 1em;margin:1.2em 0;break-inside:avoid}.form .ask{font-size:1.1em}"
    ".form ul{list-style:none;padding-left:1em}.box{display:inline-block;width:.9em;height:.9em;border:1px solid #333;"
    "vertical-align:middle;margin-right:.3em}.sign{margin-top:1.4em}\n"
    "figure.diagram{margin:1em 0;overflow-x:auto}figure.diagram svg{max-width:100%;height:auto}pre.dot{font-size:8pt;"
    "white-space:pre-wrap;background:#f6f6f6;padding:.5em}\n"
    ".meta td:first-child{width:12em;font-weight:600}nav.toc ol{columns:2}h2.toc{break-before:auto}\n"
    "@page{size:A4;margin:18mm 15mm}\n"
    "@media print{body{max-width:none;margin:0;padding:0;font-size:10pt}h2{break-before:page}h2,h3,h4{break-after:avoid}"
    ".form{break-before:page}a{color:inherit;text-decoration:none}.matrix-wrap{overflow:visible}"
    "#c5-diagram{break-before:page}figure.diagram{break-inside:avoid;break-before:avoid}"
    "figure.diagram svg{max-height:235mm;width:auto;max-width:100%}}\n";

void rd_mk_document_open(rd_mk *m, const char *title)
{
    if (!m->html) return;
    raw(m, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
           "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>");
    rd_mk_text(m, title);
    raw(m, "</title>\n<style>\n");
    raw(m, css);
    raw(m, "</style>\n</head>\n<body>\n<header>\n");
}

/* Markdown readers make their own from the headings. */
void rd_mk_contents(rd_mk *m, const char *const *ids, const char *const *titles, size_t n)
{
    if (!m->html) return;
    raw(m, "<nav class=\"toc\"><h2 class=\"toc\">Contents</h2><ol>\n");
    for (size_t i = 0; i < n; i++) {
        raw(m, "<li>");
        rd_mk_link_open(m, ids[i], NULL);
        rd_mk_text(m, titles[i]);
        rd_mk_link_close(m);
        raw(m, "</li>\n");
    }
    raw(m, "</ol></nav>\n");
}

void rd_mk_front_matter_close(rd_mk *m) { html_only(m, "</header>\n<main>\n"); }
void rd_mk_document_close(rd_mk *m) { html_only(m, "</main>\n</body>\n</html>\n"); }
