/* The referral pathway as a Graphviz diagram, in the manner of the sample pathway of seed 000
 * Annex 1a: questions in diamonds with yes/no arrows, referrals in boxes, for a committee to read.
 *
 * Everything is drawn from the decision graph; nothing re-reads the source. The graph has one node
 * per action, which is right for the verifier but too fine for a reader, so the drawing folds it:
 *  - each step is a cluster titled with its label and who performs it; a `goto` is an arrow to the
 *    first thing in that cluster (the step's marker node is not drawn), and a step with nothing of
 *    its own (only a `goto`) is one box;
 *  - a run of notices, records and questions inside a step, one after the other, is one box that
 *    lists them;
 *  - a `choose`, a chain of offers in the graph, is one diamond with an arrow per option (and one
 *    for "none of these");
 *  - a duty node, which the graph places in the flow wherever a duty could fire, hangs off the
 *    action that could make it fire on a dashed arrow, so the flow of the pathway stays straight.
 * Referrals and shares are coloured by the recipient's sector (a fixed palette, listed in a legend),
 * anything that holds or passes protected data (or data that reveals it) is outlined red, and the
 * counterexample path of each failing principle is matched back to graph nodes by source position
 * and drawn bold red, with a note naming the principle.
 *
 * Labels are Graphviz HTML-like labels (bold titles, red protected data); text from the SOP is
 * escaped as HTML entities and wrapped by code points, never inside a UTF-8 sequence or before a
 * combining mark. Tooltips (shown in SVG) are double-quoted DOT strings. */
#include "dot.h"
#include "flow.h"
#include "strbuf.h"
#include <stdlib.h>
#include <string.h>

#define NONE UINT32_MAX
#define WRAP 30          /* characters per line in a box */
#define WRAP_DIAMOND 22  /* diamonds grow fast with width */
#define MAX_FAILURES 12  /* failing diagnostics drawn; the rest are in `rightdoor check` */
#define HL_COLOR "#c8102e"
#define PROTECTED_COLOR "#d7301f"

/* ---- escaping and wrapping -------------------------------------------------------------------- */

static size_t utf8_len(unsigned char c) { return c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4; }

static uint32_t utf8_cp(const char *s)
{
    const unsigned char *u = (const unsigned char *)s;
    switch (utf8_len(u[0])) {
    case 1: return u[0];
    case 2: return (uint32_t)(u[0] & 0x1F) << 6 | (u[1] & 0x3F);
    case 3: return (uint32_t)(u[0] & 0x0F) << 12 | (uint32_t)(u[1] & 0x3F) << 6 | (u[2] & 0x3F);
    default: return (uint32_t)(u[0] & 0x07) << 18 | (uint32_t)(u[1] & 0x3F) << 12 | (uint32_t)(u[2] & 0x3F) << 6 | (u[3] & 0x3F);
    }
}

/* Marks that belong to the letter before them (Thai, Burmese, Khmer vowels and tones, Latin
 * accents): a line must not start with one. */
static int combining(uint32_t c)
{
    return (c >= 0x300 && c <= 0x36F) || c == 0xE31 || (c >= 0xE34 && c <= 0xE3A) || (c >= 0xE47 && c <= 0xE4E) ||
           (c >= 0x102B && c <= 0x103E) || (c >= 0x1056 && c <= 0x1059) || (c >= 0x105E && c <= 0x1060) ||
           (c >= 0x1062 && c <= 0x1064) || (c >= 0x1067 && c <= 0x106D) || (c >= 0x1071 && c <= 0x1074) ||
           (c >= 0x1082 && c <= 0x108D) || c == 0x108F || (c >= 0x109A && c <= 0x109D) ||
           (c >= 0x17B4 && c <= 0x17D3) || c == 0x200C || c == 0x200D;
}

static void html_char(rd_sb *b, const char *s, size_t n)
{
    switch (s[0]) {
    case '&': rd_sb_puts(b, "&amp;"); break;
    case '<': rd_sb_puts(b, "&lt;"); break;
    case '>': rd_sb_puts(b, "&gt;"); break;
    case '"': rd_sb_puts(b, "&quot;"); break;
    default:
        if ((unsigned char)s[0] < 0x20 || s[0] == 0x7F) rd_sb_puts(b, " ");
        else rd_sb_putn(b, s, n);
    }
}

/* Text of the SOP into an HTML-like label, wrapped at `width` characters: at a space where there is
 * one, else (scripts written without spaces) at a character that is not a combining mark. `br` is
 * the line break to use ("<BR/>" centres lines, "<BR ALIGN=\"LEFT\"/>" aligns them left); `col`
 * is the column the text starts at, and the column it ends at is returned. */
static size_t put_text(rd_sb *b, const char *s, size_t width, const char *br, size_t col)
{
    if (!s) return col;
    while (*s) {
        if (*s == '\n') {
            rd_sb_puts(b, br);
            col = 0;
            s++;
            continue;
        }
        if (*s == ' ') {
            /* Break here when the next word would not fit. */
            size_t w = 0;
            const char *t = s + 1;
            while (*t && *t != ' ' && *t != '\n' && w <= width) {
                t += utf8_len((unsigned char)*t);
                w++;
            }
            if (col > 0 && col + 1 + w > width && w <= width) {
                rd_sb_puts(b, br);
                col = 0;
                s++;
                continue;
            }
        }
        size_t n = utf8_len((unsigned char)*s);
        for (size_t k = 1; k < n; k++)
            if (!s[k]) n = k; /* a cut sequence: the checker rejects these, but never read past the end */
        if (col >= width + 4 && !combining(utf8_cp(s)) && *s != ' ') {
            rd_sb_puts(b, br);
            col = 0;
        }
        html_char(b, s, n);
        col += !combining(utf8_cp(s));
        s += n;
    }
    return col;
}

static void put_html(rd_sb *b, const char *s) { put_text(b, s, (size_t)-1 / 2, "<BR/>", 0); }

/* A double-quoted DOT string. */
static void put_quoted(rd_sb *b, const char *s)
{
    rd_sb_puts(b, "\"");
    for (; s && *s; s++) {
        if (*s == '"' || *s == '\\') {
            char e[2] = {'\\', *s};
            rd_sb_putn(b, e, 2);
        } else if (*s == '\n') {
            rd_sb_puts(b, "\\n");
        } else if ((unsigned char)*s < 0x20 || *s == 0x7F) {
            rd_sb_puts(b, " ");
        } else {
            rd_sb_putn(b, s, 1);
        }
    }
    rd_sb_puts(b, "\"");
}

/* ---- sector colours ---------------------------------------------------------------------------- */

/* A fixed colour per standard sector (stdlib/std.sop), so the same sector looks the same in every
 * diagram; enforcement sectors are dark, to stand out. `fill` for referral boxes, `pale` for the
 * background of the steps a sector performs. */
typedef struct palette { const char *sector, *fill, *pale, *font; } palette;

static const palette sectors[] = {
    {"health", "#8dd3c7", "#eaf7f5", "black"},        {"police", "#80b1d3", "#e8f1f8", "black"},
    {"justice", "#bebada", "#f0eff7", "black"},       {"legal_aid", "#cab2d6", "#f3eef6", "black"},
    {"social_services", "#fdb462", "#fff3e3", "black"}, {"shelter", "#b3de69", "#f1f9e3", "black"},
    {"psychosocial", "#fccde5", "#fff1f8", "black"},  {"hotline", "#ffffb3", "#fffff0", "black"},
    {"economic_support", "#e5d8bd", "#f9f5ec", "black"}, {"mediation", "#d9d9d9", "#f4f4f4", "black"},
    {"vocational_training", "#ccebc5", "#f1f9ef", "black"}, {"migrant_resource", "#a6cee3", "#ebf4f9", "black"},
    {"recruitment_agency", "#dfc27d", "#f8f0dc", "black"}, {"employer", "#bf812d", "#f5e8d6", "white"},
    {"trade_union", "#c7eae5", "#eef8f7", "black"},   {"labour", "#b8b8b8", "#efefef", "black"},
    {"consular", "#9ecae1", "#eaf3f9", "black"},      {"immigration", "#4d4d4d", "#e0e0e0", "white"},
    {"border", "#6b6b6b", "#e6e6e6", "white"},        {"womens_affairs", "#f4a582", "#fdeee6", "black"},
    {"local_authority", "#c2a5cf", "#f2ecf5", "black"}, {"civil_society", "#fee08b", "#fff8e0", "black"},
    {"peer_network", "#d9ef8b", "#f5fbe3", "black"},  {"family", "#fdd0a2", "#fff4ea", "black"},
    {"child_protection", "#9e9ac8", "#ecebf5", "black"}, {"education", "#c6dbef", "#eef4fa", "black"},
    {"origin_country", "#a1d99b", "#ecf7ea", "black"},
};

/* Sectors an SOP declares itself take one of these, by name, so a name keeps its colour. */
static const palette extra[] = {
    {"", "#66c2a5", "#e8f6f1", "black"}, {"", "#e78ac3", "#fbe9f4", "black"}, {"", "#a6d854", "#f0f9e2", "black"},
    {"", "#ffd92f", "#fff9dc", "black"}, {"", "#e5c494", "#f9f2e7", "black"}, {"", "#8da0cb", "#ebeef6", "black"},
};

static const palette *sector_palette(const rd_decl *sector)
{
    static const palette none = {"", "#ffffff", "#ffffff", "black"};
    if (!sector) return &none;
    for (size_t i = 0; i < sizeof sectors / sizeof *sectors; i++)
        if (strcmp(sectors[i].sector, sector->id) == 0) return &sectors[i];
    uint32_t h = 2166136261u;
    for (const char *c = sector->id; *c; c++) h = (h ^ (unsigned char)*c) * 16777619u;
    return &extra[h % (sizeof extra / sizeof *extra)];
}

/* ---- the writer -------------------------------------------------------------------------------- */

typedef struct dotw {
    const rd_graph *g;
    rd_program *p;
    rd_arena scratch;          /* node texts for matching counterexample steps */
    rd_sb o;
    unsigned char *reach;      /* reachable from some step */
    unsigned char *protected_data; /* by data index: protected, or reveals protected data */
    unsigned char *sector_used; /* by sector index, for the legend */
    uint32_t nsectors;
    uint32_t *first_offer;     /* choose offers: the first offer of the same `choose` */
    uint32_t *fold;            /* a question drawn as the diamond that follows it, or NONE */
    uint32_t *indeg;           /* arrows into a drawn node */
    uint32_t *gnext, *gprev;   /* the next and previous node listed in the same box */
    uint32_t *head;            /* the drawn node that stands for a graph node, or NONE */
    uint32_t *order;           /* nodes ordered by step, for the clusters */
    uint32_t *step_first;      /* by global step number: first position in `order` */
    uint32_t nsteps;
    uint32_t *pw_offset;       /* by pathway: global number of its first step */
    unsigned char *hl_node, *hl_edge; /* on a failing path */
    int nomem;
} dotw;

static uint32_t pathway_no(const dotw *w, const rd_decl *pw)
{
    for (uint32_t i = 0; i < w->g->npathways; i++)
        if (w->g->pathways[i].decl == pw) return i;
    return 0;
}

/* Steps are numbered across pathways, to name their clusters. */
static uint32_t step_no(const dotw *w, const rd_gnode *n)
{
    return w->pw_offset[pathway_no(w, n->pathway)] + n->step->index;
}

/* The node after u when u is not a decision (a choose offer's "skip" for an offer). */
static uint32_t next_of(const rd_graph *g, uint32_t u)
{
    const rd_gnode *n = &g->nodes[u];
    for (uint32_t e = n->first_out; e < n->first_out + n->nout; e++)
        if (g->edges[e].kind == RD_G_NEXT || g->edges[e].kind == RD_G_SKIP) return g->edges[e].to;
    return NONE;
}

static uint32_t skip_duties(const rd_graph *g, uint32_t u)
{
    for (uint32_t guard = 0; u != NONE && g->nodes[u].kind == RD_N_DUTY && guard < g->nnodes; guard++) u = next_of(g, u);
    return u;
}

/* A step marker stands for its step's first action, unless the step has none of its own. */
static int marker_elided(const rd_graph *g, uint32_t m)
{
    uint32_t x = skip_duties(g, next_of(g, m));
    return x != NONE && g->nodes[x].step == g->nodes[m].step && g->nodes[x].kind != RD_N_STEP;
}

/* Where the `choose` of offer chain `first` continues when she takes none of the options. */
static uint32_t continuation(const dotw *w, uint32_t first)
{
    const rd_graph *g = w->g;
    uint32_t k = first;
    for (uint32_t guard = 0; guard < g->nnodes; guard++) {
        uint32_t t = next_of(g, k);
        if (t == NONE || g->nodes[t].kind != RD_N_CHOOSE || w->first_offer[t] != first) return t;
        k = t;
    }
    return NONE;
}

/* The drawn node an arrow to v really points at: past duty nodes (drawn off to the side), step
 * markers (the arrow enters the step's cluster) and later offers of a choose (its diamond stands
 * for the whole chain; reaching a later offer from inside an option means the option is done). */
static uint32_t resolve(const dotw *w, uint32_t v, const rd_step **via)
{
    const rd_graph *g = w->g;
    if (via) *via = NULL;
    for (uint32_t guard = 0; v != NONE && guard < g->nnodes; guard++) {
        const rd_gnode *n = &g->nodes[v];
        if (w->fold[v] != NONE) {
            v = w->fold[v];
        } else if (n->kind == RD_N_DUTY) {
            v = next_of(g, v);
        } else if (n->kind == RD_N_STEP && marker_elided(g, v)) {
            if (via && !*via) *via = n->step;
            v = next_of(g, v);
        } else if (n->kind == RD_N_CHOOSE && w->first_offer[v] != v) {
            v = continuation(w, w->first_offer[v]);
        } else {
            return v;
        }
    }
    return NONE;
}

static int groupable(const rd_gnode *n)
{
    return n->kind == RD_N_INFORM || n->kind == RD_N_RECORD || n->kind == RD_N_ASK;
}

/* Whether u is drawn as a node of its own (or heads a box of several). */
static int drawn(const dotw *w, uint32_t u)
{
    const rd_gnode *n = &w->g->nodes[u];
    if (!w->reach[u] || w->fold[u] != NONE) return 0;
    if (n->kind == RD_N_STEP) return !marker_elided(w->g, u);
    if (n->kind == RD_N_CHOOSE) return w->first_offer[u] == u;
    return w->gprev[u] == NONE;
}

/* The arrows leaving drawn node u (the last of its box for a box), each with the graph edge it
 * comes from and what it resolves to. */
typedef void (*edge_fn)(dotw *w, uint32_t from, uint32_t e, uint32_t to, void *ctx);

static void each_edge(dotw *w, uint32_t u, edge_fn f, void *ctx)
{
    const rd_graph *g = w->g;
    const rd_gnode *n = &g->nodes[u];
    if (n->kind == RD_N_DUTY || n->kind == RD_N_END) return;
    if (n->kind == RD_N_CHOOSE) {
        for (uint32_t k = u, guard = 0; k != NONE && guard < g->nnodes; guard++) {
            const rd_gnode *o = &g->nodes[k];
            uint32_t skip = NONE;
            for (uint32_t e = o->first_out; e < o->first_out + o->nout; e++) {
                if (g->edges[e].kind == RD_G_OPTION) f(w, u, e, resolve(w, g->edges[e].to, NULL), ctx);
                else skip = e;
            }
            if (skip == NONE) break;
            uint32_t t = g->edges[skip].to;
            if (t != NONE && g->nodes[t].kind == RD_N_CHOOSE && w->first_offer[t] == u) {
                k = t;
                continue;
            }
            f(w, u, skip, resolve(w, t, NULL), ctx);
            break;
        }
        return;
    }
    uint32_t last = u;
    while (w->gnext[last] != NONE) last = w->gnext[last];
    const rd_gnode *l = &g->nodes[last];
    for (uint32_t e = l->first_out; e < l->first_out + l->nout; e++) {
        f(w, u, e, resolve(w, g->edges[e].to, NULL), ctx);
    }
}

static void count_in(dotw *w, uint32_t from, uint32_t e, uint32_t to, void *ctx)
{
    (void)from, (void)e, (void)ctx;
    if (to != NONE) w->indeg[to]++;
}

/* ---- labels ------------------------------------------------------------------------------------ */

static const char *label_of(const rd_decl *d) { return d ? (d->label && *d->label ? d->label : d->id) : "?"; }

static const rd_decl *actor_sector(const rd_decl *a)
{
    return a && a->kind == RD_D_ACTOR && a->u.actor.sector ? a->u.actor.sector->decl : NULL;
}

static void use_sector(dotw *w, const rd_decl *s)
{
    if (s && s->index < w->nsectors) w->sector_used[s->index] = 1;
}

/* The sector of a target list: `sector X`, or the first actor's. */
static const rd_decl *targets_sector(const rd_ref *t)
{
    for (; t; t = t->next) {
        if (t->tag == RD_REF_SECTOR && t->decl) return t->decl;
        if (t->tag == RD_REF_NAME && t->decl) return actor_sector(t->decl);
    }
    return NULL;
}

static void put_targets(rd_sb *b, const rd_ref *t, size_t col)
{
    for (; t; t = t->next) {
        if (t->tag == RD_REF_SECTOR) {
            rd_sb_puts(b, "any of: ");
            col += 8;
        }
        col = put_text(b, label_of(t->decl), WRAP, "<BR/>", col);
        if (t->next) {
            rd_sb_puts(b, ", ");
            col += 2;
        }
    }
}

/* A list of data categories, protected ones in red. */
static void put_data(dotw *w, const uint32_t *d, uint32_t n, size_t col, const char *br)
{
    for (uint32_t i = 0; i < n; i++) {
        const char *id = w->g->data[d[i]]->id;
        size_t len = strlen(id) + (w->protected_data[d[i]] ? 12 : 0);
        if (w->protected_data[d[i]]) rd_sb_puts(&w->o, "<FONT COLOR=\"" PROTECTED_COLOR "\"><B>");
        put_html(&w->o, id);
        if (w->protected_data[d[i]]) rd_sb_puts(&w->o, " (protected)</B></FONT>");
        col += len;
        if (i + 1 < n) {
            rd_sb_puts(&w->o, ",");
            col += 1;
            size_t next = strlen(w->g->data[d[i + 1]]->id) + (w->protected_data[d[i + 1]] ? 12 : 0);
            if (col + 1 + next > WRAP) {
                rd_sb_puts(&w->o, br);
                col = 0;
            } else {
                rd_sb_puts(&w->o, " ");
                col += 1;
            }
        }
    }
}

static int touches_protected(const dotw *w, const rd_gnode *n)
{
    for (uint32_t i = 0; i < n->ndata; i++)
        if (w->protected_data[n->data[i]]) return 1;
    return 0;
}

/* The fact a condition is mostly about, for its question: the first it names. Each operand is
 * looked at once, so the time is linear in the condition's size (asking the left operand twice,
 * as this once did, doubled it at each level of `a or a or a ...`). */
static const rd_decl *cond_fact(const rd_expr *e)
{
    for (uint32_t guard = 0; e && guard < 256; guard++) {
        if (e->fact) return e->fact;
        if (e->kind == RD_E_KNOWN || e->kind == RD_E_IN || e->kind == RD_E_NAME) return e->fact;
        const rd_decl *f = e->a ? cond_fact(e->a) : NULL;
        if (f) return f;
        e = e->b;
    }
    return NULL;
}

/* 1 when the condition is "the answer to a yes/no question is yes", 0 when it is "... is no", -1
 * when it is something else (a comparison, a combination). */
static int polarity(const rd_expr *e)
{
    if (!e) return -1;
    if (e->kind == RD_E_NAME && e->fact && e->type == RD_T_BOOL) return 1;
    if (e->kind == RD_E_NOT) {
        int p = polarity(e->a);
        return p < 0 ? -1 : !p;
    }
    if (e->kind == RD_E_CMP && (e->op == RD_OP_EQ || e->op == RD_OP_NE)) {
        const rd_expr *f = e->a, *v = e->b;
        if (f->kind == RD_E_BOOL) f = e->b, v = e->a;
        if (f->kind == RD_E_NAME && f->fact && f->type == RD_T_BOOL && v->kind == RD_E_BOOL)
            return (v->value != 0) == (e->op == RD_OP_EQ);
    }
    return -1;
}

static void put_branch_label(dotw *w, const rd_gnode *n)
{
    const rd_decl *f = cond_fact(n->cond);
    rd_sb_puts(&w->o, "<");
    if (polarity(n->cond) >= 0 && f) {
        put_text(&w->o, label_of(f), WRAP_DIAMOND, "<BR/>", 0);
    } else {
        if (f) {
            put_text(&w->o, label_of(f), WRAP_DIAMOND, "<BR/>", 0);
            rd_sb_puts(&w->o, "<BR/>");
        }
        rd_sb_puts(&w->o, "<I>");
        put_text(&w->o, rd_expr_text_in(&w->scratch, n->cond), WRAP_DIAMOND, "<BR/>", 0);
        rd_sb_puts(&w->o, "?</I>");
    }
    rd_sb_puts(&w->o, ">");
}

static const char *performer_words(dotw *w, const rd_gnode *n, const rd_gpathway *pw)
{
    if (n->performer != RD_PROVIDER) return label_of(w->g->actors[n->performer]);
    (void)pw; /* the Start box names the entry actors */
    return "the provider who received her";
}

/* The sector of a step's performer; for `provider`, the sector all entry actors share, if one. */
static const rd_decl *performer_sector(const dotw *w, const rd_gnode *n, const rd_gpathway *pw)
{
    if (n->performer != RD_PROVIDER) return actor_sector(w->g->actors[n->performer]);
    const rd_decl *s = NULL;
    for (uint32_t i = 0; pw && i < pw->nentry; i++) {
        const rd_decl *t = actor_sector(w->g->actors[pw->entry[i]]);
        if (i && t != s) return NULL;
        s = t;
    }
    return s;
}

static void put_line_item(dotw *w, const rd_gnode *n)
{
    rd_sb *b = &w->o;
    const char *left = "<BR ALIGN=\"LEFT\"/>";
    switch (n->kind) {
    case RD_N_INFORM:
        rd_sb_puts(b, "Tell her: ");
        put_html(b, n->subject ? n->subject->id : "?");
        break;
    case RD_N_RECORD:
        rd_sb_puts(b, "Record: ");
        put_data(w, n->data, n->ndata, 8, left);
        break;
    case RD_N_ASK: {
        int first = 1;
        for (const rd_ref *r = n->stmt ? n->stmt->names : NULL; r; r = r->next) {
            if (!first) rd_sb_puts(b, left);
            first = 0;
            rd_sb_puts(b, "Ask: ");
            put_text(b, label_of(r->decl), WRAP, left, 5);
        }
        if (touches_protected(w, n)) {
            rd_sb_puts(b, left);
            rd_sb_puts(b, "(the answer reveals ");
            put_data(w, n->data, n->ndata, 20, left);
            rd_sb_puts(b, ")");
        }
        break;
    }
    default: break;
    }
    rd_sb_puts(b, left);
}

static void put_tooltip(dotw *w, uint32_t u)
{
    const rd_gnode *n = &w->g->nodes[u];
    const char *t = rd_arena_printf(&w->scratch, "%s:%u: %s", w->p->sources.v[n->span.file].path, n->span.line,
                                    rd_graph_node_text_in(w->g, &w->scratch, u));
    rd_sb_puts(&w->o, " tooltip=");
    put_quoted(&w->o, t);
}

static void put_node(dotw *w, uint32_t u, const rd_gpathway *pw)
{
    const rd_graph *g = w->g;
    const rd_gnode *n = &g->nodes[u];
    rd_sb *b = &w->o;
    int hl = 0, prot = 0;
    for (uint32_t k = u; k != NONE; k = w->gnext[k]) {
        hl |= w->hl_node[k];
        prot |= touches_protected(w, &g->nodes[k]);
    }
    rd_sb_printf(b, "    n%u [", u);
    switch (n->kind) {
    case RD_N_STEP:
        rd_sb_puts(b, "shape=box style=\"rounded,filled\" fillcolor=\"#ffffff\" label=<<B>");
        put_text(b, n->step->label ? n->step->label : n->step->id, WRAP, "<BR/>", 0);
        rd_sb_puts(b, "</B><BR/><FONT POINT-SIZE=\"10\">by ");
        put_text(b, performer_words(w, n, pw), WRAP, "<BR/>", 3);
        rd_sb_puts(b, "</FONT>>");
        break;
    case RD_N_INFORM:
    case RD_N_RECORD:
    case RD_N_ASK:
        rd_sb_puts(b, "shape=box style=\"rounded,filled\" fillcolor=\"#ffffff\" label=<");
        for (uint32_t k = u; k != NONE; k = w->gnext[k]) put_line_item(w, &g->nodes[k]);
        rd_sb_puts(b, ">");
        break;
    case RD_N_REFER:
    case RD_N_SHARE: {
        const rd_decl *sec = targets_sector(n->stmt->targets);
        const palette *pal = sector_palette(sec);
        use_sector(w, sec);
        rd_sb_printf(b, "shape=box style=\"filled%s\" fillcolor=\"%s\" fontcolor=\"%s\" label=<<B>",
                  n->kind == RD_N_SHARE ? ",dashed" : "", pal->fill, pal->font);
        rd_sb_puts(b, n->kind == RD_N_REFER ? "Refer to " : "Share with ");
        put_targets(b, n->stmt->targets, 9);
        rd_sb_puts(b, "</B>");
        if (n->kind == RD_N_REFER && n->subject) {
            rd_sb_puts(b, "<BR/>for ");
            put_text(b, label_of(n->subject), WRAP, "<BR/>", 4);
        }
        if (n->ndata) {
            rd_sb_puts(b, n->kind == RD_N_REFER ? "<BR/>sharing: " : "<BR/>");
            put_data(w, n->data, n->ndata, 9, "<BR/>");
        }
        rd_sb_puts(b, ">");
        break;
    }
    case RD_N_SEEK:
        rd_sb_puts(b, "shape=diamond peripheries=2 style=filled fillcolor=\"#e5dcf3\" label=<<FONT POINT-SIZE=\"10\">Does she agree?</FONT><BR/><B>");
        put_text(b, label_of(n->subject), WRAP_DIAMOND, "<BR/>", 0);
        rd_sb_puts(b, "</B>>");
        break;
    case RD_N_CHOOSE:
        rd_sb_puts(b, "shape=diamond style=filled fillcolor=\"#fff7d6\" label=<<FONT POINT-SIZE=\"10\">She chooses any of:</FONT><BR/>");
        put_text(b, n->step->label ? n->step->label : n->step->id, WRAP_DIAMOND, "<BR/>", 0);
        rd_sb_puts(b, ">");
        break;
    case RD_N_BRANCH:
        rd_sb_puts(b, "shape=diamond style=filled fillcolor=\"#fff7d6\" label=");
        put_branch_label(w, n);
        break;
    case RD_N_END:
        rd_sb_puts(b, "shape=oval style=filled fillcolor=\"#eeeeee\" fontsize=11 label=<");
        if (n->stmt && n->stmt->text) {
            rd_sb_puts(b, "End: ");
            put_text(b, n->stmt->text, WRAP, "<BR/>", 5);
        } else {
            rd_sb_puts(b, "This branch ends");
        }
        rd_sb_puts(b, ">");
        break;
    case RD_N_DUTY: {
        /* Kept small: a duty may fire after many actions. Its full title is in the tooltip. */
        const rd_decl *d = n->subject;
        rd_sb_puts(b, "shape=octagon style=filled fillcolor=\"#fdd88a\" fontsize=10 margin=\"0.02,0.02\" label=<<B>Mandatory report: ");
        put_html(b, d->id);
        rd_sb_puts(b, "</B><BR/>");
        put_text(b, n->performer == RD_PROVIDER ? "The provider who received her" : label_of(g->actors[n->performer]), WRAP, "<BR/>", 0);
        rd_sb_puts(b, " reports to<BR/>");
        put_targets(b, d->u.duty.to, 0);
        rd_sb_puts(b, "<BR/>");
        put_data(w, n->data, n->ndata, 0, "<BR/>");
        if (d->u.duty.when) {
            rd_sb_puts(b, "<BR/><I>if ");
            put_text(b, rd_expr_text_in(&w->scratch, d->u.duty.when), WRAP, "<BR/>", 3);
            rd_sb_puts(b, "</I>");
        }
        rd_sb_puts(b, ">");
        for (uint32_t i = 0; i < n->nto; i++) use_sector(w, actor_sector(g->actors[n->to[i]]));
        break;
    }
    }
    if (hl) rd_sb_puts(b, " color=\"" HL_COLOR "\" penwidth=4");
    else if (prot) rd_sb_puts(b, " color=\"" PROTECTED_COLOR "\" penwidth=2.5");
    put_tooltip(w, u);
    rd_sb_puts(b, "]\n");
}

/* ---- arrows ------------------------------------------------------------------------------------ */

static void put_edge(dotw *w, uint32_t from, uint32_t e, uint32_t to, void *ctx)
{
    (void)ctx;
    const rd_graph *g = w->g;
    if (to == NONE) return;
    const rd_gedge *ed = &g->edges[e];
    const rd_gnode *src = &g->nodes[from];
    rd_sb *b = &w->o;
    int hl = w->hl_edge[e] && w->hl_node[to];
    const char *color = NULL, *sep = "";
    rd_sb_printf(b, "  n%u -> n%u [", from, to);
    size_t open = b->n;
    switch (ed->kind) {
    case RD_G_GRANTED: rd_sb_puts(b, "label=\"granted\" fontcolor=\"#1a9850\""), color = "#1a9850"; break;
    case RD_G_REFUSED: rd_sb_puts(b, "label=\"refused\" fontcolor=\"#8c510a\""), color = "#8c510a"; break;
    case RD_G_TRUE:
    case RD_G_FALSE: {
        int p = polarity(src->cond), yes = (ed->kind == RD_G_TRUE) == (p != 0);
        /* Unknown takes `else` (language.md section 3): the else arrow says so. */
        rd_sb_printf(b, "label=\"%s%s\"", yes ? "yes" : "no", ed->kind == RD_G_FALSE ? " / not known" : "");
        break;
    }
    case RD_G_OPTION:
        rd_sb_puts(b, "label=<");
        put_text(b, ed->option && ed->option->label ? ed->option->label : ed->option ? ed->option->id : "?", 24, "<BR/>", 0);
        rd_sb_puts(b, ">");
        break;
    case RD_G_SKIP: rd_sb_puts(b, "label=\"none of these\" style=dashed fontcolor=\"#666666\""), color = "#888888"; break;
    case RD_G_NEXT: break;
    }
    if (ed->kind != RD_G_NEXT) sep = " ";
    if (hl) rd_sb_printf(b, "%scolor=\"" HL_COLOR "\" penwidth=4", sep);
    else if (color) rd_sb_printf(b, "%scolor=\"%s\"", sep, color);
    if (!b->failed && b->n == open) b->n -= 2; /* no attributes: no brackets */
    rd_sb_puts(b, b->n == open - 2 ? "\n" : "]\n");
}

/* Duty nodes hang off the action after which they could fire, on dashed arrows; a duty that could
 * fire because an earlier one reported to its actor hangs off that one (a chain of reports). */
static void put_duty_edges(dotw *w, uint32_t x)
{
    const rd_graph *g = w->g;
    uint32_t from = w->head[x];
    if (from == NONE) return;
    uint32_t first = next_of(g, x);
    for (uint32_t d = first, guard = 0; d != NONE && g->nodes[d].kind == RD_N_DUTY && guard < g->nnodes;
         d = next_of(g, d), guard++) {
        uint32_t parent = x;
        for (uint32_t e = first; e != d; e = next_of(g, e))
            for (uint32_t i = 0; i < g->nodes[e].nto; i++)
                if (g->nodes[e].to[i] == g->nodes[d].performer) parent = e;
        int prot = touches_protected(w, &g->nodes[d]), hl = w->hl_node[parent] && w->hl_node[d];
        rd_sb_printf(&w->o, "  n%u -> n%u [style=dashed arrowhead=vee color=\"%s\"%s]\n", parent == x ? from : parent, d,
                  hl ? HL_COLOR : prot ? PROTECTED_COLOR : "#b7791f", hl ? " penwidth=4" : prot ? " penwidth=2" : "");
    }
}

/* ---- failing principles: their paths back onto the graph ---------------------------------------- */

typedef struct cand { uint32_t node, edge; } cand;

/* Texts built in the scratch arena are NULL once memory runs out (the writer then gives up). */
static int same(const char *a, const char *b) { return a && b && strcmp(a, b) == 0; }

/* Whether counterexample step text t is node c, or the decision taken at c (then *edge is set). */
static int step_matches(dotw *w, uint32_t c, const char *t, uint32_t *edge)
{
    const rd_graph *g = w->g;
    const rd_gnode *n = &g->nodes[c];
    *edge = NONE;
    if (same(rd_graph_node_text_in(g, &w->scratch, c), t)) return 1;
    for (uint32_t e = n->first_out; e < n->first_out + n->nout; e++) {
        const rd_gedge *ed = &g->edges[e];
        const char *want = NULL;
        if (n->kind == RD_N_SEEK && (ed->kind == RD_G_GRANTED || ed->kind == RD_G_REFUSED))
            want = rd_arena_printf(&w->scratch, "%s %s", n->subject ? n->subject->id : "?",
                                   ed->kind == RD_G_GRANTED ? "granted" : "refused");
        else if (n->kind == RD_N_CHOOSE && ed->kind == RD_G_OPTION && ed->option)
            want = rd_arena_printf(&w->scratch, "she chooses %s", ed->option->id);
        if (same(want, t)) {
            *edge = e;
            return 1;
        }
        if (n->kind == RD_N_BRANCH && (ed->kind == RD_G_TRUE || ed->kind == RD_G_FALSE)) {
            const char *pre = rd_arena_printf(&w->scratch, "%s: ", n->step ? n->step->id : "");
            size_t pl = pre ? strlen(pre) : 0;
            if (!pre || strncmp(t, pre, pl) != 0) continue;
            int is_true = same(t + pl, rd_expr_text_in(&w->scratch, n->cond));
            if (is_true == (ed->kind == RD_G_TRUE)) {
                *edge = e;
                return 1;
            }
        }
    }
    return 0;
}

static uint32_t straight_edge(const rd_graph *g, uint32_t u)
{
    const rd_gnode *n = &g->nodes[u];
    for (uint32_t e = n->first_out; e < n->first_out + n->nout; e++)
        if (g->edges[e].kind == RD_G_NEXT || g->edges[e].kind == RD_G_SKIP) return e;
    return NONE;
}

/* Marks the nodes and edges of a counterexample. Steps are matched to nodes by file, line and
 * column, then by their words; between two steps the path goes straight (the verifier writes down
 * every decision it takes), so the edges in between are found by following it. Returns the last
 * node matched (where the principle fails), or NONE. */
static uint32_t highlight(dotw *w, const rd_diagnostic *d, uint32_t *trail)
{
    const rd_graph *g = w->g;
    uint32_t cur = NONE, pending = NONE;
    for (size_t i = 0; i < d->path_len; i++) {
        const rd_path_step *st = &d->path[i];
        if (!st->file || !st->line || !st->text) continue;
        cand c[16];
        uint32_t nc = 0;
        for (uint32_t k = 0; k < g->nnodes && nc < 16; k++) {
            const rd_gnode *n = &g->nodes[k];
            if (n->span.line != st->line || n->span.col != st->col || strcmp(w->p->sources.v[n->span.file].path, st->file))
                continue;
            uint32_t e;
            if (step_matches(w, k, st->text, &e)) c[nc++] = (cand){k, e};
        }
        if (!nc) continue;
        uint32_t ntrail = 0, x = NONE, found = NONE;
        if (cur != NONE) {
            uint32_t e = pending != NONE ? pending : straight_edge(g, cur);
            for (uint32_t guard = 0; e != NONE && guard < g->nnodes && found == NONE; guard++) {
                trail[ntrail++] = e;
                x = g->edges[e].to;
                for (uint32_t j = 0; j < nc && found == NONE; j++)
                    if (c[j].node == x) found = j;
                if (found == NONE) e = straight_edge(g, x);
            }
        }
        if (found == NONE) {
            found = 0;
            ntrail = 0;
        }
        for (uint32_t t = 0; t < ntrail; t++) {
            w->hl_edge[trail[t]] = 1;
            w->hl_node[g->edges[trail[t]].to] = 1;
        }
        cur = c[found].node;
        pending = c[found].edge;
        w->hl_node[cur] = 1;
    }
    return cur;
}

/* ---- the document -------------------------------------------------------------------------------- */

/* The title and, under it, the legend in two rows (shapes, then the sectors drawn), as the graph's
 * label: a legend drawn as a node would take part in the layout. Written after the clusters, when
 * the sectors in use are known. */
static void put_title(dotw *w, uint32_t nfail, uint32_t all_fail)
{
    rd_sb *b = &w->o;
    rd_program *p = w->p;
    rd_sb_puts(b, "  label=<<TABLE BORDER=\"0\" CELLSPACING=\"0\" CELLPADDING=\"2\"><TR><TD><FONT POINT-SIZE=\"20\"><B>");
    put_text(b, p->sop ? label_of(p->sop) : "Referral pathway", 80, "<BR/>", 0);
    rd_sb_puts(b, "</B></FONT></TD></TR>\n");
    const char *version = NULL;
    for (const rd_field *f = p->sop ? p->sop->fields : NULL; f; f = f->next)
        if (strcmp(f->name, "version") == 0) version = f->value;
    if (version) {
        rd_sb_puts(b, "  <TR><TD>version ");
        put_html(b, version);
        rd_sb_puts(b, "</TD></TR>\n");
    }
    if (nfail == all_fail && nfail)
        rd_sb_printf(b, "  <TR><TD><FONT COLOR=\"" HL_COLOR "\" POINT-SIZE=\"16\"><B>%u failing check%s: the path is drawn in bold red</B></FONT></TD></TR>\n",
                  nfail, nfail == 1 ? "" : "s");
    else if (nfail)
        rd_sb_printf(b, "  <TR><TD><FONT COLOR=\"" HL_COLOR "\" POINT-SIZE=\"16\"><B>%u failing checks: the paths of the first %u are drawn in bold red</B></FONT></TD></TR>\n",
                  all_fail, nfail);
    rd_sb_puts(b, "  <TR><TD><FONT POINT-SIZE=\"11\"><TABLE BORDER=\"0\" CELLBORDER=\"1\" CELLSPACING=\"4\" CELLPADDING=\"4\"><TR>"
               "<TD BGCOLOR=\"#fff7d6\">diamond: a question<BR/>(not known goes with no)</TD>"
               "<TD BGCOLOR=\"#e5dcf3\">double diamond: her consent<BR/>granted / refused</TD>"
               "<TD BGCOLOR=\"#fdd88a\">octagon: a mandatory<BR/>report that may fire here</TD>"
               "<TD BGCOLOR=\"#ffffff\">rounded box: what is said,<BR/>asked and recorded</TD>"
               "<TD COLOR=\"" PROTECTED_COLOR "\" BORDER=\"3\"><FONT COLOR=\"" PROTECTED_COLOR
               "\">red outline: protected data<BR/>or what reveals it</FONT></TD>");
    if (nfail) rd_sb_puts(b, "<TD COLOR=\"" HL_COLOR "\" BORDER=\"4\"><B>bold red: the path on<BR/>which a check fails</B></TD>");
    rd_sb_puts(b, "</TR></TABLE></FONT></TD></TR>\n");
    uint32_t k = 0;
    for (const rd_decl *d = p->decls; d; d = d->next) {
        if (d->kind != RD_D_SECTOR || d->index >= w->nsectors || !w->sector_used[d->index]) continue;
        if (k % 6 == 0) {
            if (k) rd_sb_puts(b, "</TR></TABLE></FONT></TD></TR>\n");
            rd_sb_puts(b, "  <TR><TD><FONT POINT-SIZE=\"11\"><TABLE BORDER=\"0\" CELLBORDER=\"1\" CELLSPACING=\"4\" CELLPADDING=\"4\"><TR>");
        }
        if (k == 0) rd_sb_puts(b, "<TD BORDER=\"0\">referral (solid) or<BR/>share (dashed) to:</TD>");
        const palette *pal = sector_palette(d);
        rd_sb_printf(b, "<TD BGCOLOR=\"%s\"><FONT COLOR=\"%s\">", pal->fill, pal->font);
        put_text(b, label_of(d), 24, "<BR/>", 0);
        rd_sb_puts(b, "</FONT></TD>");
        k++;
    }
    if (k) rd_sb_puts(b, "</TR></TABLE></FONT></TD></TR>\n");
    rd_sb_puts(b, "  </TABLE>>\n");
}

static void put_failure(dotw *w, const rd_diagnostic *d, uint32_t k, uint32_t at)
{
    rd_sb *b = &w->o;
    int principle = d->code && rd_map_get(&w->p->names[RD_D_PRINCIPLE], d->code);
    rd_sb_printf(b, "  fail%u [shape=note style=filled fillcolor=\"#fde0dd\" color=\"" HL_COLOR "\" penwidth=2 label=<<B>", k);
    if (principle) {
        rd_sb_puts(b, "Principle <I>");
        put_html(b, d->code);
        rd_sb_puts(b, "</I> fails");
    } else {
        rd_sb_puts(b, "Check fails");
    }
    rd_sb_puts(b, "</B><BR/>");
    put_text(b, d->message, 40, "<BR/>", 0);
    if (d->citation) {
        rd_sb_puts(b, "<BR/><I>source: ");
        put_text(b, d->citation, 40, "<BR/>", 8);
        rd_sb_puts(b, "</I>");
    }
    if (d->file && d->line) {
        rd_sb_puts(b, "<BR/><FONT POINT-SIZE=\"10\">");
        put_html(b, d->file);
        rd_sb_printf(b, ":%u</FONT>", d->line);
    }
    rd_sb_puts(b, ">]\n");
    if (at != NONE && w->head[at] != NONE)
        rd_sb_printf(b, "  fail%u -> n%u [style=dashed color=\"" HL_COLOR "\" penwidth=2 arrowhead=none]\n", k, w->head[at]);
}

static void put_clusters(dotw *w)
{
    const rd_graph *g = w->g;
    rd_sb *b = &w->o;
    for (uint32_t pi = 0; pi < g->npathways; pi++) {
        const rd_gpathway *pw = &g->pathways[pi];
        rd_sb_printf(b, "  subgraph cluster_p%u {\n    style=rounded color=\"#999999\" fontsize=16 label=<<B>", pi);
        put_text(b, label_of(pw->decl), 60, "<BR/>", 0);
        rd_sb_puts(b, "</B>>\n");
        rd_sb_printf(b, "    start%u [shape=invhouse style=filled fillcolor=\"#dddddd\" label=<<B>Start</B><BR/>", pi);
        rd_sb_puts(b, "<FONT POINT-SIZE=\"10\">opened by: ");
        size_t col = 11;
        for (uint32_t i = 0; i < pw->nentry; i++) {
            if (i) rd_sb_puts(b, ", "), col += 2;
            col = put_text(b, label_of(g->actors[pw->entry[i]]), WRAP, "<BR/>", col);
        }
        rd_sb_puts(b, "</FONT>>]\n");
        for (uint32_t s = w->pw_offset[pi]; s < w->pw_offset[pi + 1]; s++) {
            uint32_t lo = w->step_first[s], hi = w->step_first[s + 1];
            if (lo == hi) continue;
            const rd_gnode *first = &g->nodes[w->order[lo]];
            if (first->kind == RD_N_STEP && hi - lo == 1) { /* a step with nothing of its own: one box */
                put_node(w, w->order[lo], pw);
                continue;
            }
            const palette *pal = sector_palette(performer_sector(w, first, pw));
            use_sector(w, performer_sector(w, first, pw));
            rd_sb_printf(b, "    subgraph cluster_s%u {\n      style=\"rounded,filled\" fillcolor=\"%s\" color=\"#aaaaaa\" label=<<B>",
                      s, pal->pale);
            put_text(b, first->step->label ? first->step->label : first->step->id, 50, "<BR/>", 0);
            rd_sb_puts(b, "</B><BR/><FONT POINT-SIZE=\"10\">by ");
            put_text(b, performer_words(w, first, pw), 60, "<BR/>", 3);
            rd_sb_puts(b, "</FONT>>\n");
            for (uint32_t k = lo; k < hi; k++) {
                rd_sb_puts(b, "  ");
                put_node(w, w->order[k], pw);
            }
            rd_sb_puts(b, "    }\n");
        }
        rd_sb_puts(b, "  }\n");
    }
}

int rd_graph_write_dot(const rd_graph *g, rd_program *p, const rd_diagnostics *verified, FILE *out)
{
    dotw W = {.g = g, .p = p}, *w = &W;
    rd_arena_init(&w->scratch);
    uint32_t n = g->nnodes + 1, nsec = 0;
    for (const rd_decl *d = p->decls; d; d = d->next) nsec += d->kind == RD_D_SECTOR;
    w->nsectors = nsec;
    w->reach = calloc(n, 1);
    w->hl_node = calloc(n, 1);
    w->hl_edge = calloc(g->nedges + 1, 1);
    w->protected_data = calloc(g->ndata + 1, 1);
    w->sector_used = calloc(nsec + 1, 1);
    w->first_offer = malloc(n * sizeof *w->first_offer);
    w->fold = malloc(n * sizeof *w->fold);
    w->indeg = calloc(n, sizeof *w->indeg);
    w->gnext = malloc(n * sizeof *w->gnext);
    w->gprev = malloc(n * sizeof *w->gprev);
    w->head = malloc(n * sizeof *w->head);
    w->order = malloc(n * sizeof *w->order);
    w->pw_offset = calloc(g->npathways + 1, sizeof *w->pw_offset);
    uint32_t *stack = malloc(n * sizeof *stack);
    int rc = -2;
    if (!w->reach || !w->hl_node || !w->hl_edge || !w->protected_data || !w->sector_used || !w->first_offer || !w->fold ||
        !w->indeg || !w->gnext || !w->gprev || !w->head || !w->order || !w->pw_offset || !stack)
        goto done;
    for (uint32_t i = 0; i < g->npathways; i++) {
        uint32_t c = 0;
        for (const rd_step *s = g->pathways[i].decl->u.pathway.steps; s; s = s->next) c++;
        w->pw_offset[i + 1] = w->pw_offset[i] + c;
    }
    w->nsteps = w->pw_offset[g->npathways];
    w->step_first = calloc(w->nsteps + 2, sizeof *w->step_first);
    if (!w->step_first) goto done;
    for (uint32_t d = 0; d < g->ndata; d++)
        for (const rd_decl *q = p->decls; q; q = q->next)
            if (q->kind == RD_D_DATA && q->u.data.protected_ && rd_flow_discloses(g, d, q->index)) w->protected_data[d] = 1;

    /* Everything a step can lead to; what nothing leads to (the implicit end of a step that always
     * leaves by `goto`) is not drawn. */
    uint32_t top = 0;
    for (uint32_t u = 0; u < g->nnodes; u++)
        if (g->nodes[u].kind == RD_N_STEP) w->reach[u] = 1, stack[top++] = u;
    while (top) {
        const rd_gnode *x = &g->nodes[stack[--top]];
        for (uint32_t e = x->first_out; e < x->first_out + x->nout; e++)
            if (!w->reach[g->edges[e].to]) w->reach[g->edges[e].to] = 1, stack[top++] = g->edges[e].to;
    }
    for (uint32_t u = 0; u < g->nnodes; u++) w->first_offer[u] = w->fold[u] = w->gnext[u] = w->gprev[u] = w->head[u] = NONE;
    for (uint32_t u = 0; u < g->nnodes; u++) {
        const rd_gnode *x = &g->nodes[u];
        if (x->kind != RD_N_CHOOSE || !x->stmt) continue;
        int first = 0;
        for (uint32_t e = x->first_out; e < x->first_out + x->nout; e++)
            first |= g->edges[e].kind == RD_G_OPTION && g->edges[e].option == x->stmt->options;
        if (!first) continue;
        for (uint32_t k = u, guard = 0; k != NONE && guard < g->nnodes; guard++) {
            w->first_offer[k] = u;
            uint32_t t = next_of(g, k);
            k = t != NONE && g->nodes[t].kind == RD_N_CHOOSE && g->nodes[t].stmt == x->stmt && w->first_offer[t] == NONE ? t : NONE;
        }
    }

    /* A question asked and then branched on at once is the diamond alone (its "not known" arrow
     * covers her declining to answer), unless the answer reveals data: then the box stays. */
    for (uint32_t u = 0; u < g->nnodes; u++) {
        const rd_gnode *x = &g->nodes[u];
        if (!w->reach[u] || x->kind != RD_N_ASK || x->ndata || !x->stmt || !x->stmt->names || x->stmt->names->next) continue;
        uint32_t v = next_of(g, u);
        if (v != NONE && g->nodes[v].kind == RD_N_BRANCH && g->nodes[v].step == x->step &&
            cond_fact(g->nodes[v].cond) == x->stmt->names->decl)
            w->fold[u] = v;
    }
    /* Boxes: a notice, record or question followed by another in the same step, which nothing
     * else leads to, joins the box before it. */
    for (uint32_t u = 0; u < g->nnodes; u++)
        if (drawn(w, u)) each_edge(w, u, count_in, NULL);
    for (uint32_t i = 0; i < g->npathways; i++) {
        uint32_t s = resolve(w, g->pathways[i].start, NULL);
        if (s != NONE) w->indeg[s]++;
    }
    for (uint32_t u = 0; u < g->nnodes; u++) {
        if (!w->reach[u] || w->fold[u] != NONE || !groupable(&g->nodes[u])) continue;
        const rd_step *via = NULL;
        uint32_t v = resolve(w, next_of(g, u), &via);
        if (v != NONE && !via && groupable(&g->nodes[v]) && g->nodes[v].step == g->nodes[u].step && w->indeg[v] == 1) {
            w->gnext[u] = v;
            w->gprev[v] = u;
        }
    }
    for (uint32_t u = 0; u < g->nnodes; u++) {
        if (!drawn(w, u)) continue;
        for (uint32_t k = u; k != NONE; k = w->gnext[k]) w->head[k] = u;
    }
    for (uint32_t u = 0; u < g->nnodes; u++) {
        if (!w->reach[u]) continue;
        if (w->fold[u] != NONE) {
            w->head[u] = w->fold[u];
        } else if (g->nodes[u].kind == RD_N_STEP && w->head[u] == NONE) {
            uint32_t r = resolve(w, u, NULL);
            w->head[u] = r != NONE ? w->head[r] : NONE;
        } else if (g->nodes[u].kind == RD_N_CHOOSE && w->head[u] == NONE && w->first_offer[u] != NONE) {
            w->head[u] = w->first_offer[u];
        }
    }

    /* Drawn nodes by step, for the clusters (a counting sort on the step's number). */
    for (uint32_t u = 0; u < g->nnodes; u++)
        if (drawn(w, u)) w->step_first[step_no(w, &g->nodes[u]) + 1]++;
    for (uint32_t s = 0; s < w->nsteps; s++) w->step_first[s + 1] += w->step_first[s];
    w->step_first[w->nsteps + 1] = w->step_first[w->nsteps];
    for (uint32_t u = 0; u < g->nnodes; u++) stack[u] = 0;
    {
        uint32_t *fill = stack; /* reused: next free position of each step */
        for (uint32_t u = 0; u < g->nnodes; u++) {
            if (!drawn(w, u)) continue;
            uint32_t s = step_no(w, &g->nodes[u]);
            w->order[w->step_first[s] + fill[s]++] = u;
        }
    }

    /* Failing principles, matched back onto the graph. */
    uint32_t nfail = 0, fail_at[MAX_FAILURES], all_fail = 0;
    const rd_diagnostic *fails[MAX_FAILURES];
    for (size_t i = 0; verified && i < rd_diagnostics_len(verified); i++) {
        const rd_diagnostic *d = rd_diagnostics_get(verified, i);
        if (d->severity != RD_SEV_ERROR || !d->path_len || all_fail++ >= MAX_FAILURES) continue;
        fails[nfail] = d;
        fail_at[nfail++] = highlight(w, d, stack);
    }

    rd_sb *b = &w->o;
    rd_sb_puts(b, "digraph rightdoor {\n"
               "  graph [rankdir=TB newrank=true nodesep=0.3 ranksep=0.4 fontname=\"sans-serif\" "
               "labelloc=t fontsize=18 remincross=true");
    rd_sb_puts(b, "]\n"
               "  node [fontname=\"sans-serif\" fontsize=12 margin=\"0.15,0.06\"]\n"
               "  edge [fontname=\"sans-serif\" fontsize=10 color=\"#444444\"]\n");
    put_clusters(w);
    for (uint32_t i = 0; i < g->npathways; i++) {
        uint32_t s = resolve(w, g->pathways[i].start, NULL);
        if (s == NONE) continue;
        int hl = w->hl_node[s] && w->hl_node[g->pathways[i].start];
        rd_sb_printf(b, "  start%u -> n%u%s\n", i, s, hl ? " [color=\"" HL_COLOR "\" penwidth=4]" : "");
    }
    for (uint32_t u = 0; u < g->nnodes; u++)
        if (drawn(w, u)) each_edge(w, u, put_edge, NULL);
    for (uint32_t u = 0; u < g->nnodes; u++) {
        uint32_t t = next_of(g, u);
        if (w->reach[u] && g->nodes[u].kind != RD_N_DUTY && t != NONE && g->nodes[t].kind == RD_N_DUTY) put_duty_edges(w, u);
    }
    for (uint32_t k = 0; k < nfail; k++) put_failure(w, fails[k], k, fail_at[k]);
    put_title(w, nfail, all_fail);
    rd_sb_puts(b, "}\n");
    if (b->failed || w->scratch.failed) goto done;
    rc = fwrite(b->s, 1, b->n, out) == b->n && fflush(out) == 0 ? 0 : -1;
done:
    free(w->reach);
    free(w->hl_node);
    free(w->hl_edge);
    free(w->protected_data);
    free(w->sector_used);
    free(w->first_offer);
    free(w->fold);
    free(w->indeg);
    free(w->gnext);
    free(w->gprev);
    free(w->head);
    free(w->order);
    free(w->pw_offset);
    free(w->step_first);
    free(stack);
    free(w->o.s);
    rd_arena_release(&w->scratch);
    return rc;
}

rd_status rd_dot_write(rd_program *p, const rd_diagnostics *verified, FILE *out)
{
    if (!p) return RD_ERR_NOMEM;
    if (!rd_program_graph(p)) return RD_ERR_NOMEM;
    int rc = rd_graph_write_dot(p->graph, p, verified, out);
    return rc == 0 ? RD_OK : rc == -1 ? RD_ERR_IO : RD_ERR_NOMEM;
}
