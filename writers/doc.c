/* The SOP document: the checked program and its decision graph written out as the document a
 * committee signs and trains staff with, in the ten components of seed 000 Sample 1 ("Components
 * of a Strong SOP"), as Markdown or as one self-contained HTML file.
 *
 * Everything comes from the program: declarations and their fields, the pathways' statements as
 * checked, the decision graph (where duties may fall due, who performs what, who is referred for
 * what), the verifier's diagnostics (each principle proved, failing with its counterexample, or
 * waived) and the meaning of flows (compiler/flow.h) for the sharing matrix. Nothing re-reads a
 * source file. Where the SOP leaves a component out, the document says "not stated in the SOP".
 *
 * What each section says is written here once; how it is spelled in Markdown or HTML is
 * writers/doc_markup.c's, so both formats say the same thing. */
#include "doc.h"
#include "doc_markup.h"
#include "flow.h"
#include "check.h"
#include "graph.h"
#include <stdarg.h>
#include <string.h>

const char *const rd_doc_components[10] = {
    "1. Purpose and scope",
    "2. Groups and settings",
    "3. Definitions",
    "4. Guiding principles",
    "5. Reporting and referral mechanism",
    "6. Responsibilities for provision of essential services",
    "7. Documentation and information sharing",
    "8. Monitoring and evaluation",
    "9. Coordination mechanism",
    "10. Annexes",
};

typedef struct doc {
    rd_program *p;
    rd_graph *g;
    rd_mk *m;
    const rd_diagnostics *vd;
    const char *svg, *dot; /* the pathway diagram, drawn or in DOT, to put in the document; or NULL */
    const char *skipped;   /* why Graphviz did not draw it, or NULL */
} doc;

/* ---- blocks the sections share --------------------------------------------------------------- */

static void para(doc *D, const char *s)
{
    rd_mk_p_open(D->m, NULL, NULL);
    rd_mk_prose(D->m, s);
    rd_mk_p_close(D->m);
}
static void para_text(doc *D, const char *s)
{
    rd_mk_p_open(D->m, NULL, NULL);
    rd_mk_text(D->m, s);
    rd_mk_p_close(D->m);
}
/* A field of the SOP by name, or "not stated" where the SOP leaves it out. */
static void field_para(doc *D, const char *title, const char *value)
{
    rd_mk_p_open(D->m, NULL, NULL);
    rd_mk_strong(D->m, title);
    rd_mk_text(D->m, ": ");
    if (value) rd_mk_text(D->m, value);
    else rd_mk_em(D->m, "not stated in the SOP");
    rd_mk_p_close(D->m);
}
/* An item of a list that is one plain sentence. */
static void item(doc *D, const char *s)
{
    rd_mk_li_open(D->m);
    rd_mk_text(D->m, s);
    rd_mk_li_close(D->m);
}
/* A name in bold and what it is, as an item of a list. */
static void field_item(doc *D, const char *title, const char *value)
{
    rd_mk_li_open(D->m);
    rd_mk_strong(D->m, title);
    rd_mk_text(D->m, ": ");
    rd_mk_text(D->m, value);
    rd_mk_li_close(D->m);
}
/* A table cell, or a dash where there is nothing to say. */
static void td(doc *D, const char *s)
{
    rd_mk_td_open(D->m, NULL);
    rd_mk_text(D->m, s && *s ? s : "—");
    rd_mk_td_close(D->m);
}

/* ---- names and words ------------------------------------------------------------------------- */

static const char *S(doc *D, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static const char *S(doc *D, const char *fmt, ...)
{
    char buf[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    const char *s = rd_arena_strdup(&D->p->arena, buf);
    return s ? s : "";
}

static const char *label_of(const rd_decl *d) { return d ? (d->label ? d->label : d->id) : "?"; }

/* The language a declaration's own text is written in: the standard library writes English, an
 * SOP its first language. */
static const char *own_lang(doc *D, const rd_decl *d)
{
    return d && d->in_library ? "en" : D->p->first_language ? D->p->first_language : "en";
}

static const char *field(const rd_decl *d, const char *name) { return d ? rd_field_get(d, name) : NULL; }

static const struct { const char *code, *name; } lang_names[] = {
    {"en", "English"}, {"th", "Thai"}, {"my", "Burmese"}, {"kar", "Karen"}, {"km", "Khmer"},
    {"vi", "Vietnamese"}, {"fil", "Filipino"}, {"tl", "Tagalog"}, {"id", "Indonesian"}, {"ms", "Malay"},
    {"lo", "Lao"}, {"zh", "Chinese"}, {"ne", "Nepali"}, {"bn", "Bengali"}, {"tet", "Tetum"},
};

static const char *lang_name(doc *D, const char *code_)
{
    for (size_t i = 0; i < sizeof lang_names / sizeof *lang_names; i++)
        if (!strcmp(lang_names[i].code, code_)) return S(D, "%s (%s)", lang_names[i].name, code_);
    return S(D, "language `%s`", code_);
}

/* A text said to her, in language `lang`: a translation, or the declaration's own text when it is
 * written in that language. NULL when there is none. */
static const char *text_in(doc *D, const char *own, const rd_text *texts, int in_library, const char *lang, int *draft)
{
    *draft = 0;
    for (const rd_text *t = texts; t; t = t->next)
        if (!strcmp(t->lang, lang)) {
            *draft = t->draft;
            return t->text;
        }
    const char *ol = in_library ? "en" : D->p->first_language ? D->p->first_language : "en";
    return !strcmp(ol, lang) ? own : NULL;
}

/* What is said to her, quoted in its own language; with the English beside it when the SOP's own
 * text is in another language and has an English translation. */
static void say(doc *D, const char *own, const rd_text *texts, int in_library)
{
    const char *ol = in_library ? "en" : D->p->first_language ? D->p->first_language : "en";
    rd_mk_text(D->m, "“");
    rd_mk_lang_text(D->m, ol, own);
    rd_mk_text(D->m, "”");
    if (strcmp(ol, "en")) {
        int draft;
        const char *en = text_in(D, own, texts, in_library, "en", &draft);
        if (en) {
            rd_mk_text(D->m, draft ? " (in English, draft translation: “" : " (in English: “");
            rd_mk_text(D->m, en);
            rd_mk_text(D->m, "”)");
        }
    }
}

static const char *actor_words(doc *D, const rd_decl *a)
{
    (void)D;
    return label_of(a);
}

/* Joins the items of a list: "a", "a and b", "a; b and c" (labels may hold commas). */
static const char *join(doc *D, const char *s, const char *w, int last)
{
    return *s ? S(D, "%s%s%s", s, last ? " and " : "; ", w) : w;
}

/* A list of targets (actors, `sector X`, `provider`) in words: the organisations named, then any
 * organisation of the sectors named. */
static const char *targets_words(doc *D, const rd_ref *list)
{
    const char *names = "", *sectors = "";
    size_t nsec = 0, nnames = 0, isec = 0, iname = 0;
    for (const rd_ref *r = list; r; r = r->next) r->tag == RD_REF_SECTOR ? nsec++ : nnames++;
    for (const rd_ref *r = list; r; r = r->next) {
        if (r->tag == RD_REF_SECTOR) {
            isec++;
            sectors = *sectors ? S(D, "%s%s“%s”", sectors, isec == nsec ? " or " : ", ", label_of(r->decl))
                               : S(D, "“%s”", label_of(r->decl));
        } else {
            iname++;
            names = join(D, names, r->tag == RD_REF_PROVIDER ? "the first contact" : actor_words(D, r->decl), iname == nnames);
        }
    }
    if (nsec)
        sectors = S(D, "any organisation of the sector%s %s", nsec == 1 ? "" : "s", sectors);
    return *names && *sectors ? S(D, "%s and %s", names, sectors) : *names ? names : sectors;
}

/* A list of data categories (or attributes, in principles) in words. */
static const char *data_words(doc *D, const rd_ref *list)
{
    const char *s = "";
    for (const rd_ref *r = list; r; r = r->next) {
        const char *w = r->tag == RD_REF_IDENTIFYING ? "all identifying data"
                        : r->tag == RD_REF_PROTECTED ? "all protected data"
                                                     : label_of(r->decl);
        s = join(D, s, w, !r->next);
    }
    return s;
}

static const char *data_index_words(doc *D, const uint32_t *v, uint32_t n)
{
    const char *s = "";
    for (uint32_t i = 0; i < n; i++) s = join(D, s, label_of(D->g->data[v[i]]), i + 1 == n);
    return s;
}

static const char *fact_words(doc *D, const rd_decl *f)
{
    if (f->u.fact.derived)
        return S(D, "“%s” (worked out: %s)", f->label ? f->label : f->id, rd_expr_text(D->p, f->u.fact.derived));
    if (f->u.fact.lua) return S(D, "“%s” (worked out by %s)", f->label ? f->label : f->id, f->u.fact.lua);
    return S(D, "“%s”", label_of(f));
}

static int asked_fact(const rd_decl *f) { return f && !f->u.fact.derived && !f->u.fact.lua; }

static const char *operand_words(doc *D, const rd_expr *e)
{
    if (e->kind == RD_E_INT) return S(D, "%lld", e->value);
    if (e->kind == RD_E_BOOL) return e->value ? "yes" : "no";
    if (e->type == RD_T_ENUMVAL) return e->id ? e->id : "?";
    if (e->fact) return fact_words(D, e->fact);
    return e->id ? e->id : "?";
}

/* A condition in plain words. Unknown (she declined) makes no condition true: the words say
 * "answered yes/no" so that the reader sees an unanswered question falls to "otherwise". */
static const char *expr_words(doc *D, const rd_expr *e)
{
    static const char *const op_words[] = {"is", "is not", "is less than", "is at most", "is more than", "is at least"};
    switch (e->kind) {
    case RD_E_OR:
    case RD_E_AND: {
        const char *a = expr_words(D, e->a), *b = expr_words(D, e->b);
        if ((e->a->kind == RD_E_OR || e->a->kind == RD_E_AND) && e->a->kind != e->kind) a = S(D, "(%s)", a);
        if ((e->b->kind == RD_E_OR || e->b->kind == RD_E_AND) && e->b->kind != e->kind) b = S(D, "(%s)", b);
        return S(D, "%s %s %s", a, e->kind == RD_E_OR ? "or" : "and", b);
    }
    case RD_E_NOT:
        if (e->a->kind == RD_E_NAME && e->a->fact)
            return asked_fact(e->a->fact) ? S(D, "the answer to %s is no", fact_words(D, e->a->fact))
                                          : S(D, "%s does not hold", fact_words(D, e->a->fact));
        if (e->a->kind == RD_E_KNOWN && e->a->fact) return S(D, "she did not answer %s", fact_words(D, e->a->fact));
        return S(D, "not (%s)", expr_words(D, e->a));
    case RD_E_KNOWN: return e->fact ? S(D, "she answered %s", fact_words(D, e->fact)) : "?";
    case RD_E_NAME:
        if (!e->fact) return e->id ? e->id : "?";
        return asked_fact(e->fact) ? S(D, "the answer to %s is yes", fact_words(D, e->fact))
                                   : S(D, "%s holds", fact_words(D, e->fact));
    case RD_E_BOOL: return e->value ? "always" : "never";
    case RD_E_INT: return S(D, "%lld", e->value);
    case RD_E_IN: {
        const char *vals = "";
        for (const rd_ref *r = e->set; r; r = r->next) vals = *vals ? S(D, "%s, %s", vals, r->id) : r->id;
        return S(D, "the answer to %s is one of: %s", e->fact ? fact_words(D, e->fact) : "?", vals);
    }
    case RD_E_CMP:
        if (e->a->fact && e->b->kind == RD_E_BOOL && (e->op == RD_OP_EQ || e->op == RD_OP_NE))
            return S(D, "the answer to %s is %s", fact_words(D, e->a->fact),
                     (e->b->value != 0) == (e->op == RD_OP_EQ) ? "yes" : "no");
        return S(D, "%s%s %s %s", e->a->fact && e->a->type != RD_T_ENUMVAL && asked_fact(e->a->fact) ? "the answer to " : "", operand_words(D, e->a),
                 op_words[e->op], operand_words(D, e->b));
    }
    return "?";
}

/* Who does a step. */
static const char *performer_words(doc *D, const rd_step *st)
{
    const rd_ref *by = st->by;
    if (!by || by->tag == RD_REF_PROVIDER) {
        const rd_decl *pw = st->pathway;
        return S(D, "the first contact (whichever of %s opened the case)", targets_words(D, pw->u.pathway.entry));
    }
    return actor_words(D, by->decl);
}

/* ---- verification results --------------------------------------------------------------------- */

typedef enum pstate { P_NOT_VERIFIED, P_PROVED, P_FAILS, P_WAIVED, P_UNKNOWN } pstate;

static pstate principle_state(doc *D, const rd_decl *pr, size_t *nfail, size_t *nwaived)
{
    *nfail = *nwaived = 0;
    if (!D->vd) return P_NOT_VERIFIED;
    int budget = 0, broken = 0;
    for (size_t i = 0; i < rd_diagnostics_len(D->vd); i++) {
        const rd_diagnostic *g = rd_diagnostics_get(D->vd, i);
        if (!strcmp(g->code, "budget")) budget = 1;
        if (!strcmp(g->code, "audit-failed") && strstr(g->message, S(D, "`%s`", pr->id))) broken = 1;
        if (strcmp(g->code, pr->id)) continue;
        if (g->severity != RD_SEV_NOTE) (*nfail)++;
        else if (!strncmp(g->message, "waived:", 7)) (*nwaived)++;
    }
    if (*nfail) return P_FAILS;
    if (budget || broken || rd_diagnostics_status(D->vd) == RD_ERR_NOMEM) return P_UNKNOWN;
    return *nwaived ? P_WAIVED : P_PROVED;
}

/* ---- 1 and 2: purpose, scope, groups and settings --------------------------------------------- */

static void component_1(doc *D)
{
    const rd_decl *sop = D->p->sop;
    rd_mk_heading(D->m, 2, "c1", rd_doc_components[0]);
    field_para(D, "Purpose", field(sop, "purpose"));
    field_para(D, "Scope", field(sop, "scope"));
    field_para(D, "Locality", field(sop, "locality"));
    const char *who = "";
    for (uint32_t a = 0; a < D->g->nactors; a++)
        who = *who ? S(D, "%s; %s", who, label_of(D->g->actors[a])) : label_of(D->g->actors[a]);
    field_para(D, "Organisations included", *who ? who : NULL);
    uint32_t np = D->g->nprinciples;
    field_para(D, "Standards it follows", np ? S(D, "the %u guiding principles in component 4, each citing its source", np) : NULL);
}

static void component_2(doc *D)
{
    const rd_decl *sop = D->p->sop;
    rd_mk_heading(D->m, 2, "c2", rd_doc_components[1]);
    field_para(D, "Groups", field(sop, "groups"));
    field_para(D, "Settings", field(sop, "settings") ? field(sop, "settings") : field(sop, "locality"));
    rd_mk_p_open(D->m, NULL, NULL);
    rd_mk_strong(D->m, "Languages she is served in");
    rd_mk_text(D->m, ": ");
    const char *l = "";
    for (const rd_ref *r = sop ? sop->u.sop.languages : NULL; r; r = r->next)
        l = *l ? S(D, "%s, %s", l, lang_name(D, r->id)) : lang_name(D, r->id);
    rd_mk_text(D->m, *l ? l : "not stated in the SOP");
    if (*l) rd_mk_text(D->m, ". Every notice, question, consent and choice is given in these languages (annexes B and C).");
    rd_mk_p_close(D->m);
    rd_mk_p_open(D->m, NULL, NULL);
    rd_mk_strong(D->m, "Where she can come in");
    rd_mk_text(D->m, ":");
    if (!D->g->npathways) rd_mk_text(D->m, " not stated in the SOP (no pathway)");
    rd_mk_p_close(D->m);
    if (D->g->npathways) {
        rd_mk_ul_open(D->m);
        for (uint32_t i = 0; i < D->g->npathways; i++) {
            const rd_decl *pw = D->g->pathways[i].decl;
            rd_mk_li_open(D->m);
            rd_mk_text(D->m, label_of(pw));
            rd_mk_text(D->m, ": ");
            rd_mk_text(D->m, targets_words(D, pw->u.pathway.entry));
            rd_mk_li_close(D->m);
        }
        rd_mk_ul_close(D->m);
    }
}

/* ---- 3: definitions --------------------------------------------------------------------------- */

/* Whether a service is provided by some actor or named in some referral. */
static int service_in_use(doc *D, const rd_decl *s)
{
    for (uint32_t a = 0; a < D->g->nactors; a++)
        for (const rd_ref *r = D->g->actors[a]->u.actor.provides; r; r = r->next)
            if (r->decl == s) return 1;
    for (uint32_t n = 0; n < D->g->nnodes; n++)
        if (D->g->nodes[n].kind == RD_N_REFER && D->g->nodes[n].subject == s) return 1;
    return 0;
}

/* Whether a fact is asked, or read by a condition, anywhere. */
static int fact_in_use(doc *D, const rd_decl *f)
{
    for (uint32_t n = 0; n < D->g->nnodes; n++) {
        const rd_gnode *x = &D->g->nodes[n];
        if (x->kind == RD_N_ASK)
            for (const rd_ref *r = x->stmt->names; r; r = r->next)
                if (r->decl == f) return 1;
    }
    return f->used;
}

/* A row of a definitions table: the name the SOP uses, its label, and what more there is to say. */
static void definition_row(doc *D, const rd_decl *d, const char *more)
{
    rd_mk_tr_open(D->m);
    rd_mk_td_open(D->m, NULL);
    rd_mk_code(D->m, d->id);
    rd_mk_td_close(D->m);
    td(D, label_of(d));
    td(D, more);
    rd_mk_tr_close(D->m);
}

static void component_3(doc *D)
{
    rd_program *p = D->p;
    rd_mk_heading(D->m, 2, "c3", rd_doc_components[2]);
    const char *defs = field(p->sop, "definitions");
    if (defs) para_text(D, defs);
    para(D, "The names in code type are the names the SOP itself uses; the rest of this document uses "
            "the plain-language labels.");

    rd_mk_heading(D->m, 3, "c3-data", "3.1 Data categories");
    static const char *const dh[] = {"Name", "What it is", "Kind"};
    rd_mk_table_open(D->m, NULL, dh, 3);
    for (uint32_t i = 0; i < D->g->ndata; i++) {
        const rd_decl *d = D->g->data[i];
        const char *k = d->u.data.identifying && d->u.data.protected_ ? "identifying, protected"
                        : d->u.data.identifying                       ? "identifying"
                        : d->u.data.protected_                        ? "protected"
                                                                      : "";
        if (d->u.data.reveals) k = S(D, "%s%sreveals %s", k, *k ? "; " : "", data_words(D, d->u.data.reveals));
        definition_row(D, d, k);
    }
    rd_mk_table_close(D->m);

    rd_mk_heading(D->m, 3, "c3-services", "3.2 Services");
    static const char *const sh[] = {"Name", "Service", "Notes"};
    size_t unused = 0, listed = 0;
    for (rd_decl *d = p->decls; d; d = d->next) {
        if (d->kind != RD_D_SERVICE) continue;
        if (!service_in_use(D, d)) {
            unused++;
            continue;
        }
        if (!listed++) rd_mk_table_open(D->m, NULL, sh, 3);
        const char *notes = "";
        for (const rd_field *f = d->fields; f; f = f->next)
            notes = *notes ? S(D, "%s; %s: %s", notes, f->name, f->value) : S(D, "%s: %s", f->name, f->value);
        definition_row(D, d, notes);
    }
    if (listed) rd_mk_table_close(D->m);
    if (unused)
        para(D, S(D, "%zu more service%s of the standard vocabulary %s not provided or referred to by this SOP and "
                     "%s not listed.", unused, unused == 1 ? "" : "s", unused == 1 ? "is" : "are", unused == 1 ? "is" : "are"));

    rd_mk_heading(D->m, 3, "c3-facts", "3.3 Incident types and facts established with her");
    para(D, "What staff ask her, or work out from her answers. She may decline any question; a question "
            "she does not answer counts as neither yes nor no.");
    static const char *const fh[] = {"Name", "Question or meaning", "Possible answers"};
    rd_mk_table_open(D->m, NULL, fh, 3);
    unused = 0;
    for (uint32_t i = 0; i < D->g->nfacts; i++) {
        const rd_decl *f = D->g->facts[i];
        if (!fact_in_use(D, f)) {
            unused++;
            continue;
        }
        rd_mk_tr_open(D->m);
        rd_mk_td_open(D->m, NULL);
        rd_mk_code(D->m, f->id);
        rd_mk_td_close(D->m);
        rd_mk_td_open(D->m, NULL);
        if (asked_fact(f)) rd_mk_lang_text(D->m, own_lang(D, f), label_of(f));
        else rd_mk_text(D->m, fact_words(D, f));
        if (f->u.fact.reveals) rd_mk_textf(D->m, " (the answer reveals %s)", data_words(D, f->u.fact.reveals));
        rd_mk_td_close(D->m);
        rd_mk_td_open(D->m, NULL);
        if (f->u.fact.type == RD_T_BOOL) rd_mk_text(D->m, "yes, no");
        else if (f->u.fact.type == RD_T_INT) rd_mk_text(D->m, "a number");
        else {
            const char *v = "";
            for (const rd_ref *r = f->u.fact.values; r; r = r->next) v = *v ? S(D, "%s, %s", v, r->id) : r->id;
            rd_mk_text(D->m, v);
        }
        rd_mk_td_close(D->m);
        rd_mk_tr_close(D->m);
    }
    rd_mk_table_close(D->m);
    if (unused)
        para(D, S(D, "%zu more fact%s of the standard vocabulary %s not used by this SOP.", unused,
                  unused == 1 ? "" : "s", unused == 1 ? "is" : "are"));
}

/* ---- 4: guiding principles -------------------------------------------------------------------- */

static void principle_property_words(doc *D, const rd_decl *pr)
{
    for (const rd_prop *q = pr->u.principle.props; q; q = q->next) {
        rd_mk_li_open(D->m);
        switch (q->kind) {
        case RD_P_NEVER_REACHES:
            rd_mk_textf(D->m, "%s never reaches %s, directly or through anyone else.", data_words(D, q->data), targets_words(D, q->targets));
            break;
        case RD_P_NEVER_RECORD: rd_mk_textf(D->m, "%s is never recorded or asked.", data_words(D, q->data)); break;
        case RD_P_SHARE_CONSENT:
            rd_mk_textf(D->m, "Every sharing of %s needs her consent%s.", data_words(D, q->data),
                        q->unless ? S(D, ", unless %s", expr_words(D, q->unless)) : "");
            break;
        case RD_P_REFER_CONSENT:
            rd_mk_textf(D->m, "Every referral to %s needs her consent%s.", targets_words(D, q->targets),
                        q->unless ? S(D, ", unless %s", expr_words(D, q->unless)) : "");
            break;
        case RD_P_REPORT_NOTICE: rd_mk_text(D->m, "She is told of every mandatory report before she discloses what it reports."); break;
        case RD_P_REFUSAL_REACHES: {
            const char *s = "";
            for (const rd_ref *r = q->services; r; r = r->next) {
                const char *w = r->tag == RD_REF_SPECIALIST ? "a specialist service" : S(D, "“%s”", label_of(r->decl));
                s = *s ? S(D, "%s or %s", s, w) : w;
            }
            rd_mk_textf(D->m, "After she refuses anything, she can still reach %s.", s);
            break;
        }
        case RD_P_ENTRY_SPECIALIST: rd_mk_text(D->m, "Wherever she comes in, she can reach a specialist service."); break;
        case RD_P_NOTICE_TRANSLATED: rd_mk_text(D->m, "Every notice has a text in every language the SOP serves."); break;
        }
        rd_mk_li_close(D->m);
    }
    if (pr->u.principle.lua) {
        rd_mk_li_open(D->m);
        rd_mk_textf(D->m, "Checked by the audit script %s.", pr->u.principle.lua);
        rd_mk_li_close(D->m);
    }
}

static void principle_result(doc *D, const rd_decl *pr)
{
    size_t nfail, nwaived;
    pstate st = principle_state(D, pr, &nfail, &nwaived);
    int warning = pr->u.principle.severity && !strcmp(pr->u.principle.severity->id, "warning");
    rd_mk_p_open(D->m, st == P_PROVED ? "result proved" : st == P_WAIVED ? "result waived" : "result fails", NULL);
    rd_mk_strong(D->m, "Verification:");
    rd_mk_text(D->m, " ");
    switch (st) {
    case P_NOT_VERIFIED: rd_mk_text(D->m, "not verified."); break;
    case P_UNKNOWN: rd_mk_prose(D->m, "not proved: the verifier could not finish (see `rightdoor check`)."); break;
    case P_PROVED: rd_mk_text(D->m, "proved on every path a case can take."); break;
    case P_WAIVED: rd_mk_textf(D->m, "proved on every path, except where it is waived (%zu place%s; below).", nwaived, nwaived == 1 ? "" : "s"); break;
    case P_FAILS:
        rd_mk_textf(D->m, "FAILS%s at %zu place%s. This SOP is not ready to sign until it is fixed.",
                    warning ? " (a warning)" : "", nfail, nfail == 1 ? "" : "s");
        break;
    }
    rd_mk_p_close(D->m);
    if (st != P_FAILS && st != P_WAIVED) return;
    rd_mk_ul_open(D->m);
    for (size_t i = 0; i < rd_diagnostics_len(D->vd); i++) {
        const rd_diagnostic *g = rd_diagnostics_get(D->vd, i);
        if (strcmp(g->code, pr->id)) continue;
        int waived = g->severity == RD_SEV_NOTE && !strncmp(g->message, "waived:", 7);
        if (g->severity == RD_SEV_NOTE && !waived) {
            rd_mk_li_open(D->m);
            rd_mk_prose(D->m, g->message);
            rd_mk_li_close(D->m);
            continue;
        }
        rd_mk_li_open(D->m);
        rd_mk_text(D->m, waived ? "Waived: " : "Fails: ");
        rd_mk_prose(D->m, waived ? g->message + 8 : g->message);
        if (g->file) rd_mk_textf(D->m, " (%s:%u)", g->file, g->line);
        if (g->path_len) {
            rd_mk_text(D->m, ". A case that gets there:");
            rd_mk_ul_open(D->m);
            for (size_t k = 0; k < g->path_len; k++) {
                rd_mk_li_open(D->m);
                rd_mk_prose(D->m, g->path[k].text);
                rd_mk_textf(D->m, " (%s:%u)", g->path[k].file ? g->path[k].file : "", g->path[k].line);
                rd_mk_li_close(D->m);
            }
            rd_mk_ul_close(D->m);
        }
        if (g->help && !waived) {
            rd_mk_li_close(D->m);
            rd_mk_li_open(D->m);
            rd_mk_text(D->m, "What to do: ");
            rd_mk_prose(D->m, g->help);
        }
        rd_mk_li_close(D->m);
    }
    rd_mk_ul_close(D->m);
}

static void component_4(doc *D)
{
    rd_mk_heading(D->m, 2, "c4", rd_doc_components[3]);
    para(D, "Each principle is a rule the verifier proves over every way a case can go through the "
            "pathways: whatever she answers, declines to answer, agrees to or refuses. The result is "
            "given under each one.");
    size_t fails = 0;
    for (uint32_t i = 0; i < D->g->nprinciples; i++) {
        size_t nf, nw;
        fails += principle_state(D, D->g->principles[i], &nf, &nw) == P_FAILS;
    }
    if (!D->g->nprinciples) para(D, "The SOP states no principle that can be checked (it does not say `use rules.esp`).");
    else if (fails)
        para(D, S(D, "%zu of %u principles FAIL: this is a draft, not ready to sign.", fails, D->g->nprinciples));
    else para(D, S(D, "All %u principles hold (some may be waived at named steps, with the reason).", D->g->nprinciples));
    for (uint32_t i = 0; i < D->g->nprinciples; i++) {
        const rd_decl *pr = D->g->principles[i];
        rd_mk_heading(D->m, 3, S(D, "principle-%s", pr->id), S(D, "4.%u %s", i + 1, label_of(pr)));
        rd_mk_p_open(D->m, NULL, NULL);
        rd_mk_code(D->m, pr->id);
        const char *src = field(pr, "source");
        if (src) rd_mk_textf(D->m, ". Source: %s.", src);
        rd_mk_p_close(D->m);
        rd_mk_ul_open(D->m);
        principle_property_words(D, pr);
        rd_mk_ul_close(D->m);
        principle_result(D, pr);
    }
    int any = 0;
    for (rd_decl *w = D->p->decls; w; w = w->next) {
        if (w->kind != RD_D_WAIVE) continue;
        if (!any++) {
            rd_mk_heading(D->m, 3, "c4-waivers", "Waivers");
            rd_mk_ul_open(D->m);
        }
        rd_mk_li_open(D->m);
        rd_mk_textf(D->m, "Principle %s is waived at step %s%s%s because: %s", w->u.waive.principle ? w->u.waive.principle->id : "?",
                    w->u.waive.step ? w->u.waive.step->id : "?", w->u.waive.step && w->u.waive.step->sub ? "." : "",
                    w->u.waive.step && w->u.waive.step->sub ? w->u.waive.step->sub : "", w->u.waive.because);
        rd_mk_li_close(D->m);
    }
    if (any) rd_mk_ul_close(D->m);
}

/* ---- 5: reporting and referral ----------------------------------------------------------------- */

static void consent_summary(doc *D, const rd_decl *c)
{
    rd_mk_textf(D->m, "it would let %s receive: %s", targets_words(D, c->u.flow.with), data_words(D, c->u.flow.shares));
}

static void block_items(doc *D, const rd_block *b);

/* A block's statements as a nested list, or one line saying what an empty one means there. */
static void block_list(doc *D, const rd_block *b, const char *when_empty)
{
    rd_mk_ul_open(D->m);
    if (b && b->first) block_items(D, b);
    else item(D, when_empty);
    rd_mk_ul_close(D->m);
}

/* A branch: its heading sentence, then its statements as a nested list. */
static void branch(doc *D, const char *head, const rd_block *b)
{
    rd_mk_li_open(D->m);
    rd_mk_text(D->m, head);
    block_list(D, b, "Nothing more here; carry on with the rest of the step.");
    rd_mk_li_close(D->m);
}

static void step_link(doc *D, const rd_step *st)
{
    rd_mk_link_open(D->m, S(D, "step-%s", st->pathway->id), st->id);
    rd_mk_textf(D->m, "step %u, “%s”", st->index + 1, st->label ? st->label : st->id);
    rd_mk_link_close(D->m);
}

static void stmt_items(doc *D, const rd_stmt *s)
{
    switch (s->kind) {
    case RD_S_ASK:
        for (const rd_ref *r = s->names; r; r = r->next) {
            rd_mk_li_open(D->m);
            rd_mk_text(D->m, "Ask her ");
            say(D, label_of(r->decl), r->decl->texts, r->decl->in_library);
            rd_mk_text(D->m, " (");
            rd_mk_code(D->m, r->id);
            rd_mk_text(D->m, "). She may decline to answer.");
            rd_mk_li_close(D->m);
        }
        return;
    case RD_S_INFORM:
        rd_mk_li_open(D->m);
        rd_mk_text(D->m, "Tell her (notice ");
        rd_mk_code(D->m, s->names->id);
        rd_mk_text(D->m, "): ");
        say(D, s->names->decl->label, s->names->decl->texts, s->names->decl->in_library);
        rd_mk_li_close(D->m);
        return;
    case RD_S_RECORD:
        rd_mk_li_open(D->m);
        rd_mk_textf(D->m, "Record: %s.", data_words(D, s->names));
        rd_mk_li_close(D->m);
        return;
    case RD_S_SEEK: {
        const rd_decl *c = s->names->decl;
        rd_mk_li_open(D->m);
        rd_mk_text(D->m, "Ask for her consent ");
        say(D, label_of(c), c->texts, c->in_library);
        rd_mk_text(D->m, " (");
        rd_mk_code(D->m, c->id);
        rd_mk_text(D->m, ", form in annex B): ");
        consent_summary(D, c);
        rd_mk_text(D->m, ". She may agree to part of it, or refuse.");
        rd_mk_ul_open(D->m);
        branch(D, "If she agrees:", s->then_b);
        branch(D, "If she refuses:", s->else_b);
        rd_mk_ul_close(D->m);
        rd_mk_li_close(D->m);
        return;
    }
    case RD_S_REFER:
        rd_mk_li_open(D->m);
        rd_mk_textf(D->m, "Refer her to %s for “%s”", targets_words(D, s->targets), label_of(s->service->decl));
        if (s->names) rd_mk_textf(D->m, ", sharing: %s.", data_words(D, s->names));
        else rd_mk_text(D->m, " (the referral itself is all they learn).");
        rd_mk_li_close(D->m);
        return;
    case RD_S_SHARE:
        rd_mk_li_open(D->m);
        rd_mk_textf(D->m, "Share with %s: %s.", targets_words(D, s->targets), data_words(D, s->names));
        rd_mk_li_close(D->m);
        return;
    case RD_S_CHOOSE:
        rd_mk_li_open(D->m);
        rd_mk_text(D->m, "Offer her these choices; she may take any of them, several, or none:");
        rd_mk_ul_open(D->m);
        for (const rd_option *o = s->options; o; o = o->next) {
            rd_mk_li_open(D->m);
            rd_mk_text(D->m, "If she chooses ");
            say(D, o->label ? o->label : o->id, o->texts, 0);
            rd_mk_text(D->m, ":");
            block_list(D, o->body, "Nothing more here.");
            rd_mk_li_close(D->m);
        }
        rd_mk_ul_close(D->m);
        rd_mk_li_close(D->m);
        return;
    case RD_S_IF:
        branch(D, S(D, "If %s:", expr_words(D, s->cond)), s->then_b);
        if (s->else_b) branch(D, "Otherwise (also when she did not answer):", s->else_b);
        return;
    case RD_S_GOTO:
        rd_mk_li_open(D->m);
        rd_mk_text(D->m, "Go to ");
        if (s->goto_step) step_link(D, s->goto_step);
        else rd_mk_text(D->m, s->names ? s->names->id : "?");
        rd_mk_text(D->m, ".");
        rd_mk_li_close(D->m);
        return;
    case RD_S_END:
        item(D, s->text ? S(D, "End: %s.", s->text) : "End.");
        return;
    }
}

static void block_items(doc *D, const rd_block *b)
{
    for (const rd_stmt *s = b->first; s; s = s->next) stmt_items(D, s);
}

static void duty_when(doc *D, const rd_decl *y)
{
    if (y->u.duty.when) rd_mk_textf(D->m, " when %s", expr_words(D, y->u.duty.when));
}

static void component_5(doc *D)
{
    rd_graph *g = D->g;
    rd_mk_heading(D->m, 2, "c5", rd_doc_components[4]);

    rd_mk_heading(D->m, 3, "c5-duties", "5.1 Mandatory reporting");
    if (!g->nduties) {
        para(D, "The SOP states no mandatory reporting duty. Nothing is reported without her consent, except "
                "what a permit allows in its emergency (component 7).");
    } else {
        para(D, "Seed 000 (Mandatory reporting): tell her about the duty before she discloses what would be "
                "reported; let her decide what to tell; if she does, make the report, follow up, and keep her "
                "informed and supported.");
    }
    for (uint32_t i = 0; i < g->nduties; i++) {
        const rd_decl *y = g->duties[i];
        rd_mk_heading(D->m, 4, S(D, "duty-%s", y->id), S(D, "Duty: %s", label_of(y)));
        rd_mk_ul_open(D->m);
        rd_mk_li_open(D->m);
        rd_mk_strong(D->m, "Legal basis");
        rd_mk_text(D->m, ": ");
        rd_mk_text(D->m, label_of(y));
        rd_mk_text(D->m, " (");
        rd_mk_code(D->m, y->id);
        rd_mk_text(D->m, ")");
        rd_mk_li_close(D->m);
        field_item(D, "Who must report", targets_words(D, y->u.duty.applies));
        field_item(D, "Reports", data_words(D, y->u.duty.reports));
        field_item(D, "To", targets_words(D, y->u.duty.to));
        rd_mk_li_open(D->m);
        rd_mk_strong(D->m, "When");
        rd_mk_text(D->m, ": once the one who must report holds all of it");
        if (y->u.duty.when) rd_mk_textf(D->m, ", and %s", expr_words(D, y->u.duty.when));
        rd_mk_li_close(D->m);
        rd_mk_li_open(D->m);
        rd_mk_strong(D->m, "Her notice, given before she discloses");
        rd_mk_text(D->m, ": ");
        if (y->u.duty.notice && y->u.duty.notice->decl) {
            rd_mk_code(D->m, y->u.duty.notice->id);
            rd_mk_text(D->m, " ");
            say(D, y->u.duty.notice->decl->label, y->u.duty.notice->decl->texts, y->u.duty.notice->decl->in_library);
        } else {
            rd_mk_text(D->m, "none stated");
        }
        rd_mk_li_close(D->m);
        for (const rd_field *f = y->fields; f; f = f->next)
            field_item(D, S(D, "%c%s", f->name[0] >= 'a' && f->name[0] <= 'z' ? f->name[0] - 32 : f->name[0], f->name + 1),
                       f->value);
        rd_mk_ul_close(D->m);
    }

    rd_mk_heading(D->m, 3, "c5-diagram", "5.2 Pathway diagram");
    const char *src = D->p->sources.n ? D->p->sources.v[0].path : "FILE.sop";
    if (D->svg) {
        rd_mk_figure(D->m, "diagram", D->svg,
                     S(D, "The referral pathways as the checked SOP has them, drawn by Graphviz. Full size: "
                          "`rightdoor graph %s -o pathway.svg`.", src));
    } else if (D->skipped) {
        para(D, S(D, "The diagram is not drawn here: Graphviz's `dot`, which draws it, %s. The procedure below says "
                     "in words everything the diagram shows; `rightdoor graph %s -o pathway.dot` writes the diagram in "
                     "Graphviz's DOT language, to draw where there is more time.", D->skipped, src));
    } else if (D->dot) {
        para(D, S(D, "Graphviz is not installed where this document was made, so the diagram is not drawn here. Install "
                     "Graphviz (the `graphviz` package) and generate the document again, or draw the diagram alone with "
                     "`rightdoor graph %s -o pathway.svg`. The diagram in Graphviz's DOT language:", src));
        rd_mk_pre(D->m, "dot", D->dot);
    } else {
        para(D, S(D, "Draw the diagram with `rightdoor graph %s -o pathway.svg` (it needs Graphviz); "
                     "`rightdoor graph %s` writes it in Graphviz's DOT language. The procedure below says in "
                     "words everything the diagram shows.", src, src));
    }

    for (uint32_t i = 0; i < g->npathways; i++) {
        const rd_gpathway *gp = &g->pathways[i];
        const rd_decl *pw = gp->decl;
        rd_mk_heading(D->m, 3, S(D, "pathway-%s", pw->id), S(D, "5.%u Procedure: %s", i + 3, label_of(pw)));
        rd_mk_p_open(D->m, NULL, NULL);
        rd_mk_textf(D->m, "Pathway ");
        rd_mk_code(D->m, pw->id);
        rd_mk_textf(D->m, ". A case starts here when she comes to %s, at ", targets_words(D, pw->u.pathway.entry));
        const rd_step *start = g->nodes[gp->start].step;
        if (start) step_link(D, start);
        rd_mk_text(D->m, ". \"The first contact\" below is whoever received her.");
        rd_mk_p_close(D->m);
        for (const rd_step *st = pw->u.pathway.steps; st; st = st->next) {
            rd_mk_heading(D->m, 4, S(D, "step-%s-%s", pw->id, st->id), S(D, "Step %u: %s", st->index + 1, st->label ? st->label : st->id));
            rd_mk_p_open(D->m, NULL, NULL);
            rd_mk_strong(D->m, "Who");
            rd_mk_textf(D->m, ": %s. ", performer_words(D, st));
            rd_mk_code(D->m, st->id);
            rd_mk_p_close(D->m);
            block_list(D, st->body, "Nothing to do; the step ends here.");
            /* Duties are not written in pathways: the graph has a node wherever one may fall due. */
            const rd_decl *seen[16];
            size_t nseen = 0;
            for (uint32_t n = 0; n < g->nnodes; n++) {
                const rd_gnode *x = &g->nodes[n];
                if (x->kind != RD_N_DUTY || x->step != st) continue;
                int dup = 0;
                for (size_t k = 0; k < nseen; k++) dup |= seen[k] == x->subject;
                if (dup) continue;
                if (nseen < sizeof seen / sizeof *seen) seen[nseen++] = x->subject;
                rd_mk_p_open(D->m, "duty-here", NULL);
                rd_mk_strong(D->m, "Mandatory report");
                rd_mk_textf(D->m, ": duty “%s” may fall due in this step, once %s holds: %s;", label_of(x->subject),
                            x->performer == RD_PROVIDER ? "the first contact" : label_of(g->actors[x->performer]),
                            data_index_words(D, x->data, x->ndata));
                duty_when(D, x->subject);
                rd_mk_text(D->m, " (see ");
                rd_mk_link_open(D->m, "duty", x->subject->id);
                rd_mk_text(D->m, "5.1");
                rd_mk_link_close(D->m);
                rd_mk_text(D->m, ").");
                rd_mk_p_close(D->m);
            }
        }
    }
}

/* ---- 6: responsibilities ----------------------------------------------------------------------- */

/* The rules that could let data d reach actor r (compiler/flow.h, the may-share rules read without
 * a case). */
typedef struct cell {
    const rd_decl *never;
    const rd_decl *rules[8];
    size_t n, more;
} cell;

static void cell_of(doc *D, uint32_t d, uint32_t r, cell *c)
{
    rd_graph *g = D->g;
    memset(c, 0, sizeof *c);
    c->never = rd_flow_forbidding(g, d, r);
    if (c->never) return;
#define ADD(x)                                                                                                         \
    do {                                                                                                               \
        if (c->n < sizeof c->rules / sizeof *c->rules) c->rules[c->n++] = (x);                                         \
        else c->more++;                                                                                                \
    } while (0)
    for (uint32_t k = 0; k < g->nconsents; k++)
        if (rd_flow_covers(g, g->consents[k], d, r)) ADD(g->consents[k]);
    for (uint32_t k = 0; k < g->npermits; k++)
        if (rd_flow_covers(g, g->permits[k], d, r)) ADD(g->permits[k]);
    for (uint32_t k = 0; k < g->nduties; k++)
        if (rd_flow_duty_covers(g, g->duties[k], RD_PROVIDER, d, r)) ADD(g->duties[k]);
#undef ADD
}

static const char *rule_kind(const rd_decl *d)
{
    return d->kind == RD_D_CONSENT ? "consent" : d->kind == RD_D_PERMIT ? "permit" : "duty";
}

static void component_6(doc *D)
{
    rd_graph *g = D->g;
    rd_mk_heading(D->m, 2, "c6", rd_doc_components[5]);
    para(D, "What each organisation does in the pathways, the services it provides, and what it may "
            "receive about her and under which rule (the rules are explained in component 7).");
    for (uint32_t a = 0; a < g->nactors; a++) {
        const rd_decl *ac = g->actors[a];
        rd_mk_heading(D->m, 3, S(D, "actor-%s", ac->id), label_of(ac));
        rd_mk_p_open(D->m, NULL, NULL);
        rd_mk_code(D->m, ac->id);
        if (ac->u.actor.sector && ac->u.actor.sector->decl) rd_mk_textf(D->m, ". Sector: %s", label_of(ac->u.actor.sector->decl));
        rd_mk_text(D->m, ac->u.actor.specialist ? ". A specialist VAW service provider." : ".");
        rd_mk_p_close(D->m);
        rd_mk_ul_open(D->m);
        /* What it does: steps it performs, by name or as the first contact. */
        rd_mk_li_open(D->m);
        rd_mk_strong(D->m, "Does");
        rd_mk_text(D->m, ":");
        rd_mk_ul_open(D->m);
        int any = 0;
        for (uint32_t i = 0; i < g->npathways; i++) {
            const rd_gpathway *gp = &g->pathways[i];
            int entry = 0, n = 0;
            for (uint32_t e = 0; e < gp->nentry; e++) entry |= gp->entry[e] == a;
            for (int pass = 0; pass < 2; pass++) {
                n = 0;
                for (const rd_step *st = gp->decl->u.pathway.steps; st; st = st->next) {
                    int by_name = st->by && st->by->tag == RD_REF_NAME && st->by->decl == ac;
                    int as_first = entry && (!st->by || st->by->tag == RD_REF_PROVIDER);
                    if (pass != (as_first ? 1 : 0) || (!by_name && !as_first)) continue;
                    if (!n++) {
                        any = 1;
                        rd_mk_li_open(D->m);
                        rd_mk_textf(D->m, pass ? "In “%s”, as the first contact: " : "In “%s”: ", label_of(gp->decl));
                    } else {
                        rd_mk_text(D->m, "; ");
                    }
                    step_link(D, st);
                }
                if (n) rd_mk_li_close(D->m);
            }
        }
        if (!any) item(D, "No step of the pathways is done by this organisation.");
        rd_mk_ul_close(D->m);
        rd_mk_li_close(D->m);
        const char *sv = "";
        for (const rd_ref *r = ac->u.actor.provides; r; r = r->next)
            sv = *sv ? S(D, "%s; %s", sv, label_of(r->decl)) : label_of(r->decl);
        field_item(D, "Services it provides", *sv ? sv : "none listed");
        /* Referrals it receives, from the graph. */
        const char *refs = "";
        for (uint32_t n = 0; n < g->nnodes; n++) {
            const rd_gnode *x = &g->nodes[n];
            if (x->kind != RD_N_REFER) continue;
            int to = 0;
            for (uint32_t t = 0; t < x->nto; t++) to |= x->to[t] == a;
            const char *w = label_of(x->subject);
            if (!to || strstr(refs, w)) continue;
            refs = *refs ? S(D, "%s; %s", refs, w) : w;
        }
        field_item(D, "Referrals it receives", *refs ? refs : "none");
        for (uint32_t i = 0; i < g->nduties; i++) {
            if (!rd_flow_actor_in(g, a, g->duties[i]->u.duty.applies)) continue;
            rd_mk_li_open(D->m);
            rd_mk_strong(D->m, "Must report");
            rd_mk_textf(D->m, ": %s (", label_of(g->duties[i]));
            rd_mk_link_open(D->m, "duty", g->duties[i]->id);
            rd_mk_text(D->m, "5.1");
            rd_mk_link_close(D->m);
            rd_mk_text(D->m, ")");
            rd_mk_li_close(D->m);
        }
        const char *rec = "";
        for (uint32_t d = 0; d < g->ndata; d++) {
            int by = 0;
            for (uint32_t n = 0; n < g->nnodes && !by; n++) {
                const rd_gnode *x = &g->nodes[n];
                if (x->kind != RD_N_RECORD && x->kind != RD_N_ASK) continue;
                int has = 0;
                for (uint32_t k = 0; k < x->ndata; k++) has |= x->data[k] == d;
                if (!has) continue;
                if (x->performer == a) by = 1;
                if (x->performer == RD_PROVIDER)
                    for (uint32_t i = 0; i < g->npathways; i++)
                        if (g->pathways[i].decl == x->pathway)
                            for (uint32_t e = 0; e < g->pathways[i].nentry; e++) by |= g->pathways[i].entry[e] == a;
            }
            if (by) rec = join(D, rec, label_of(g->data[d]), 0);
        }
        if (*rec) field_item(D, "Records", rec);
        rd_mk_li_open(D->m);
        rd_mk_strong(D->m, "May receive from others");
        rd_mk_text(D->m, ":");
        rd_mk_ul_open(D->m);
        int may = 0;
        const char *never = "";
        for (uint32_t d = 0; d < g->ndata; d++) {
            cell c;
            cell_of(D, d, a, &c);
            if (c.never) {
                never = *never ? S(D, "%s; %s", never, label_of(g->data[d])) : label_of(g->data[d]);
                continue;
            }
            if (!c.n) continue;
            may = 1;
            rd_mk_li_open(D->m);
            rd_mk_textf(D->m, "%s: ", label_of(g->data[d]));
            for (size_t k = 0; k < c.n; k++) {
                rd_mk_textf(D->m, "%s%s ", k ? "; " : "", rule_kind(c.rules[k]));
                rd_mk_code(D->m, c.rules[k]->id);
            }
            rd_mk_li_close(D->m);
        }
        if (!may) item(D, "nothing (no consent, permit or duty names this organisation)");
        rd_mk_ul_close(D->m);
        rd_mk_li_close(D->m);
        if (*never) {
            rd_mk_li_open(D->m);
            rd_mk_strong(D->m, "Never receives");
            rd_mk_textf(D->m, ", whatever any consent says: %s", never);
            rd_mk_li_close(D->m);
        }
        const char *facts[] = {"languages", "hours", "contact", "location", "notes"};
        for (size_t k = 0; k < sizeof facts / sizeof *facts; k++) {
            const char *v = NULL;
            if (!strcmp(facts[k], "languages")) {
                const char *l = "";
                for (const rd_ref *r = ac->u.actor.languages; r; r = r->next) l = *l ? S(D, "%s, %s", l, r->id) : r->id;
                v = *l ? l : NULL;
            } else if (!strcmp(facts[k], "location") && ac->u.actor.location_confidential) {
                v = "confidential (not shown)";
            } else {
                v = field(ac, facts[k]);
            }
            if (v) field_item(D, S(D, "%c%s", facts[k][0] - 32, facts[k] + 1), v);
        }
        rd_mk_ul_close(D->m);
    }
}

/* ---- 7: information sharing -------------------------------------------------------------------- */

static void component_7(doc *D)
{
    rd_graph *g = D->g;
    rd_mk_heading(D->m, 2, "c7", rd_doc_components[6]);
    para(D, "Who may receive what. Nothing about her is shared unless a rule of the SOP allows it; a "
            "principle that forbids a flow wins over any consent. The same rules decide `rightdoor may-share` "
            "for a real case, where her actual answers count: a consent counts only as she gave it "
            "(narrowed, time-limited or withdrawn), a permit only while its condition holds, a duty only "
            "where it applies.");
    rd_mk_ul_open(D->m);
    field_item(D, "consent (name)", "only if she agrees to that consent (annex B has the form).");
    field_item(D, "permit (name)",
               "without her consent, only while the permit's condition holds; record who, when and why, and tell her afterwards.");
    field_item(D, "duty (name)", "a mandatory report (5.1), after she was told.");
    field_item(D, "never (name)", "a principle forbids it, whatever she or anyone agrees.");
    field_item(D, "—", "no rule allows it: denied.");
    rd_mk_ul_close(D->m);
    for (uint32_t i = 0; i < g->npermits; i++) {
        const rd_decl *pm = g->permits[i];
        rd_mk_p_open(D->m, NULL, NULL);
        rd_mk_strong(D->m, S(D, "Permit %s", pm->id));
        rd_mk_textf(D->m, " (%s): %s may receive, without her consent: %s", label_of(pm), targets_words(D, pm->u.flow.with),
                    data_words(D, pm->u.flow.shares));
        if (pm->u.flow.when) rd_mk_textf(D->m, ", only while %s", expr_words(D, pm->u.flow.when));
        rd_mk_text(D->m, ".");
        rd_mk_p_close(D->m);
    }

    const char **heads = rd_arena_alloc(&D->p->arena, (g->nactors + 1) * sizeof *heads);
    if (!heads) return;
    heads[0] = "Data category";
    for (uint32_t a = 0; a < g->nactors; a++) heads[a + 1] = label_of(g->actors[a]);
    rd_mk_box_open(D->m, "matrix-wrap");
    rd_mk_table_open(D->m, "matrix", heads, g->nactors + 1);
    for (uint32_t d = 0; d < g->ndata; d++) {
        rd_mk_tr_open(D->m);
        rd_mk_row_head(D->m, label_of(g->data[d]));
        for (uint32_t a = 0; a < g->nactors; a++) {
            cell c;
            cell_of(D, d, a, &c);
            if (c.never) {
                rd_mk_td_open(D->m, "never");
                rd_mk_text(D->m, "never ");
                rd_mk_code(D->m, c.never->id);
            } else if (!c.n) {
                rd_mk_td_open(D->m, "none");
                rd_mk_text(D->m, "—");
            } else {
                rd_mk_td_open(D->m, rule_kind(c.rules[0]));
                for (size_t k = 0; k < c.n; k++) {
                    if (k) rd_mk_cell_break(D->m);
                    rd_mk_textf(D->m, "%s ", rule_kind(c.rules[k]));
                    rd_mk_code(D->m, c.rules[k]->id);
                }
                if (c.more) rd_mk_textf(D->m, " and %zu more", c.more);
            }
            rd_mk_td_close(D->m);
        }
        rd_mk_tr_close(D->m);
    }
    rd_mk_table_close(D->m);
    rd_mk_box_close(D->m);
}

/* ---- 8: monitoring, and the minimum data set --------------------------------------------------- */

/* Seed 000 Sample 4 "Minimum Data Set", as the standard vocabulary (stdlib/std.sop) names its
 * items. */
static const char *const sample4[] = {
    "incident_type", "incident_date", "survivor_sex", "survivor_age", "occupation", "perpetrator_relationship",
    "country_of_birth", "country_of_citizenship", "perpetrator_age_group", "perpetrator_sex", "registration_date",
    "registering_entity", "incident_area", "incident_setting", "cyber_violence", "services_provided", "referrals_made",
};

/* The steps where data index d is recorded, or learnt from a question, as words. */
static const char *recorded_where(doc *D, uint32_t d)
{
    const char *s = "";
    for (uint32_t n = 0; n < D->g->nnodes; n++) {
        const rd_gnode *x = &D->g->nodes[n];
        if (x->kind != RD_N_RECORD && x->kind != RD_N_ASK) continue;
        int has = 0;
        for (uint32_t k = 0; k < x->ndata; k++) has |= x->data[k] == d;
        if (!has || !x->step) continue;
        const char *w = S(D, "%s step %u “%s”%s", x->pathway->id, x->step->index + 1, x->step->label ? x->step->label : x->step->id,
                          x->kind == RD_N_ASK ? " (revealed by a question)" : "");
        if (strstr(s, w)) continue;
        s = *s ? S(D, "%s; %s", s, w) : w;
    }
    return s;
}

static void component_8(doc *D)
{
    rd_graph *g = D->g;
    rd_mk_heading(D->m, 2, "c8", rd_doc_components[7]);
    field_para(D, "Monitoring and evaluation", field(D->p->sop, "monitoring"));
    field_para(D, "Review of this SOP", field(D->p->sop, "review"));

    rd_mk_heading(D->m, 3, "c8-recorded", "8.1 What is recorded about her");
    para(D, "Seed 000 Component 7: data is not collected without a purpose, and she may ask that her data "
            "not be recorded. These are all the data categories the pathways record, and where.");
    static const char *const rh[] = {"Data category", "Recorded in"};
    rd_mk_table_open(D->m, NULL, rh, 2);
    int any = 0;
    for (uint32_t d = 0; d < g->ndata; d++) {
        const char *w = recorded_where(D, d);
        if (!*w) continue;
        any = 1;
        rd_mk_tr_open(D->m);
        td(D, label_of(g->data[d]));
        td(D, w);
        rd_mk_tr_close(D->m);
    }
    if (!any) {
        rd_mk_tr_open(D->m);
        td(D, "nothing");
        td(D, "");
        rd_mk_tr_close(D->m);
    }
    rd_mk_table_close(D->m);
    const char *never = "";
    for (uint32_t i = 0; i < g->nprinciples; i++)
        for (const rd_prop *q = g->principles[i]->u.principle.props; q; q = q->next)
            if (q->kind == RD_P_NEVER_RECORD)
                never = *never ? S(D, "%s; %s (principle %s)", never, data_words(D, q->data), g->principles[i]->id)
                               : S(D, "%s (principle %s)", data_words(D, q->data), g->principles[i]->id);
    if (*never) para(D, S(D, "Never recorded or asked: %s.", never));

    rd_mk_heading(D->m, 3, "c8-mds", "8.2 The minimum data set (seed 000 Sample 4)");
    para(D, "The minimum data set seed 000 (Sample 4) recommends for monitoring, and whether this SOP "
            "records each item. Her migration or documentation status is never part of it (seed 000 Annex 3 tip 2).");
    static const char *const mh[] = {"Item", "Recorded by this SOP"};
    rd_mk_table_open(D->m, NULL, mh, 2);
    for (size_t i = 0; i < sizeof sample4 / sizeof *sample4; i++) {
        const rd_decl *d = rd_lookup(D->p, RD_D_DATA, rd_intern(D->p, sample4[i], strlen(sample4[i])));
        rd_mk_tr_open(D->m);
        td(D, d ? label_of(d) : sample4[i]);
        const char *w = d ? recorded_where(D, d->index) : "";
        td(D, *w ? w : d ? "not recorded" : "not declared in this SOP");
        rd_mk_tr_close(D->m);
    }
    rd_mk_table_close(D->m);
}

/* ---- 9: coordination --------------------------------------------------------------------------- */

static void component_9(doc *D)
{
    rd_mk_heading(D->m, 2, "c9", rd_doc_components[8]);
    field_para(D, "Coordination mechanism", field(D->p->sop, "coordination"));
    const rd_directory_meta *m = &D->p->directory;
    if (m->present && (m->focal_name || m->focal_organization))
        field_para(D, "Focal point for the service directory",
                   S(D, "%s%s%s%s%s", m->focal_name ? m->focal_name : "", m->focal_name && m->focal_organization ? ", " : "",
                     m->focal_organization ? m->focal_organization : "", m->focal_contact ? ", " : "",
                     m->focal_contact ? m->focal_contact : ""));
    field_para(D, "Approved by", field(D->p->sop, "approved_by"));
}

/* ---- 10: annexes -------------------------------------------------------------------------------- */

static void annex_directory(doc *D)
{
    rd_graph *g = D->g;
    const rd_directory_meta *m = &D->p->directory;
    rd_mk_heading(D->m, 3, "annex-a", "Annex A: Service directory");
    if (m->present) {
        para(D, "Coverage of the service directory (seed 000 Annex 2):");
        rd_mk_ul_open(D->m);
        const char *rows[][2] = {{"Country", m->country}, {"Province", m->province}, {"Focal point: name", m->focal_name},
                                 {"Focal point: organization", m->focal_organization}, {"Focal point: contact", m->focal_contact},
                                 {"Last updated", m->last_updated}};
        for (size_t i = 0; i < sizeof rows / sizeof *rows; i++)
            field_item(D, rows[i][0], rows[i][1] ? rows[i][1] : "not stated");
        rd_mk_ul_close(D->m);
    } else {
        para(D, "The SOP has no service directory file; the organisations below are those it declares.");
    }
    static const char *const h[] = {"Category", "Name of Service Provider", "Services Provided", "Location",
                                    "Contact Information / Person", "Hours/Days", "Languages"};
    rd_mk_table_open(D->m, "directory", h, 7);
    /* Grouped by category, as the template is (seed 000 Annex 2), in the order categories first appear. */
    for (uint32_t a = 0; a < g->nactors; a++) {
        const rd_decl *sec = g->actors[a]->u.actor.sector ? g->actors[a]->u.actor.sector->decl : NULL;
        int first = 1;
        for (uint32_t b = 0; b < a && first; b++)
            first = (g->actors[b]->u.actor.sector ? g->actors[b]->u.actor.sector->decl : NULL) != sec;
        if (!first) continue;
        for (uint32_t b = a; b < g->nactors; b++) {
            const rd_decl *ac = g->actors[b];
            if ((ac->u.actor.sector ? ac->u.actor.sector->decl : NULL) != sec) continue;
            rd_mk_tr_open(D->m);
            rd_mk_td_open(D->m, NULL);
            if (b == a) rd_mk_text(D->m, sec ? label_of(sec) : "no sector");
            rd_mk_td_close(D->m);
            rd_mk_td_open(D->m, NULL);
            rd_mk_text(D->m, label_of(ac));
            if (ac->u.actor.specialist) rd_mk_text(D->m, " (specialist)");
            rd_mk_td_close(D->m);
            const char *sv = "";
            for (const rd_ref *r = ac->u.actor.provides; r; r = r->next)
                sv = *sv ? S(D, "%s; %s", sv, label_of(r->decl)) : label_of(r->decl);
            td(D, sv);
            td(D, ac->u.actor.location_confidential ? "confidential (not shown)" : field(ac, "location"));
            rd_mk_td_open(D->m, NULL);
            int n = 0;
            const char *cf[] = {"contact", "email", "website"};
            for (size_t k = 0; k < 3; k++) {
                const char *v = field(ac, cf[k]);
                if (!v) continue;
                if (n++) rd_mk_cell_break(D->m);
                rd_mk_text(D->m, v);
            }
            if (!n) rd_mk_text(D->m, "—");
            rd_mk_td_close(D->m);
            td(D, field(ac, "hours"));
            const char *l = "";
            for (const rd_ref *r = ac->u.actor.languages; r; r = r->next) l = *l ? S(D, "%s, %s", l, r->id) : r->id;
            td(D, l);
            rd_mk_tr_close(D->m);
        }
    }
    rd_mk_table_close(D->m);
}

static void draft_mark(doc *D) { rd_mk_flag(D->m, "draft", "DRAFT translation: to be reviewed by a qualified translator"); }

static void checkbox_item(doc *D, const char *s)
{
    rd_mk_li_open(D->m);
    rd_mk_tick_box(D->m);
    rd_mk_text(D->m, s);
    rd_mk_li_close(D->m);
}

static void annex_consents(doc *D)
{
    rd_graph *g = D->g;
    const rd_decl *sop = D->p->sop;
    rd_mk_heading(D->m, 3, "annex-b", "Annex B: Consent forms");
    para(D, "One form per consent and per language the SOP serves. Seed 000 (Informed consent): she is told "
            "what would be shared, with whom and why, and any risks; she may limit what goes to whom, refuse, "
            "or withdraw later; refusing never costs her other services.");
    if (!g->nconsents) para(D, "The SOP asks for no consent.");
    for (uint32_t k = 0; k < g->nconsents; k++) {
        const rd_decl *c = g->consents[k];
        for (const rd_ref *l = sop ? sop->u.sop.languages : NULL; l; l = l->next) {
            int draft;
            const char *t = text_in(D, label_of(c), c->texts, c->in_library, l->id, &draft);
            rd_mk_section_open(D->m, "form", S(D, "form-%s", c->id), l->id);
            rd_mk_heading(D->m, 4, NULL, S(D, "Consent form: %s, in %s", c->id, lang_name(D, l->id)));
            rd_mk_box_open(D->m, "form-body");
            if (t) {
                rd_mk_p_open(D->m, "ask", l->id);
                rd_mk_text(D->m, t);
                rd_mk_p_close(D->m);
                if (draft) {
                    rd_mk_p_open(D->m, "draft-note", NULL);
                    draft_mark(D);
                    rd_mk_p_close(D->m);
                }
            } else {
                rd_mk_p_open(D->m, "missing", NULL);
                rd_mk_strong(D->m, S(D, "No text in %s yet.", lang_name(D, l->id)));
                rd_mk_text(D->m, " Add it to a translations file for this language before using this form.");
                rd_mk_p_close(D->m);
            }
            const char *purpose = field(c, "purpose");
            if (purpose) {
                rd_mk_p_open(D->m, NULL, NULL);
                rd_mk_strong(D->m, strcmp(own_lang(D, c), l->id) ? S(D, "Purpose (as the SOP states it, in %s)", lang_name(D, own_lang(D, c)))
                                                                 : "Purpose");
                rd_mk_text(D->m, ": ");
                rd_mk_lang_text(D->m, own_lang(D, c), purpose);
                rd_mk_p_close(D->m);
            }
            rd_mk_p_open(D->m, NULL, NULL);
            rd_mk_strong(D->m, "Tick what she agrees may be shared:");
            rd_mk_p_close(D->m);
            rd_mk_ul_open(D->m);
            for (const rd_ref *r = c->u.flow.shares; r; r = r->next) checkbox_item(D, label_of(r->decl));
            rd_mk_ul_close(D->m);
            rd_mk_p_open(D->m, NULL, NULL);
            rd_mk_strong(D->m, "Tick who she agrees may receive it:");
            rd_mk_p_close(D->m);
            rd_mk_ul_open(D->m);
            for (const rd_ref *r = c->u.flow.with; r; r = r->next)
                checkbox_item(D, r->tag == RD_REF_SECTOR ? S(D, "every organisation of the sector “%s”", label_of(r->decl))
                                                          : label_of(r->decl));
            rd_mk_ul_close(D->m);
            rd_mk_p_open(D->m, NULL, NULL);
            rd_mk_strong(D->m, "Her answer:");
            rd_mk_p_close(D->m);
            rd_mk_ul_open(D->m);
            checkbox_item(D, "She agrees to what is ticked above");
            checkbox_item(D, "She does not agree (this does not stop any other help)");
            checkbox_item(D, "Until (a date, if she sets one): ..............................");
            rd_mk_ul_close(D->m);
            rd_mk_p_open(D->m, "sign", NULL);
            rd_mk_text(D->m, "Her signature or mark: ........................................ Date: ....................");
            rd_mk_p_close(D->m);
            rd_mk_p_open(D->m, "sign", NULL);
            rd_mk_text(D->m, "Staff member (name, organisation, signature): ........................................ Date: ....................");
            rd_mk_p_close(D->m);
            rd_mk_box_close(D->m);
            rd_mk_section_close(D->m);
        }
    }
}

/* Whether a notice appears anywhere: given in a step or attached to a duty. */
static int notice_in_use(doc *D, const rd_decl *n)
{
    for (uint32_t i = 0; i < D->g->nnodes; i++)
        if (D->g->nodes[i].kind == RD_N_INFORM && D->g->nodes[i].subject == n) return 1;
    for (uint32_t i = 0; i < D->g->nduties; i++)
        if (D->g->duties[i]->u.duty.notice && D->g->duties[i]->u.duty.notice->decl == n) return 1;
    return 0;
}

static void annex_notices(doc *D)
{
    const rd_decl *sop = D->p->sop;
    rd_mk_heading(D->m, 3, "annex-c", "Annex C: Notices in every language");
    para(D, "Every notice the SOP gives her, in every language it serves (seed 002 essential 1: written and "
            "spoken communication in her native language).");
    size_t unused = 0;
    static const char *const h[] = {"Language", "Text"};
    for (rd_decl *n = D->p->decls; n; n = n->next) {
        if (n->kind != RD_D_NOTICE) continue;
        if (!notice_in_use(D, n) && n->in_library) {
            unused++;
            continue;
        }
        rd_mk_heading(D->m, 4, S(D, "notice-%s", n->id), S(D, "Notice %s", n->id));
        rd_mk_table_open(D->m, "notice", h, 2);
        for (const rd_ref *l = sop ? sop->u.sop.languages : NULL; l; l = l->next) {
            int draft;
            const char *t = text_in(D, n->label, n->texts, n->in_library, l->id, &draft);
            rd_mk_tr_open(D->m);
            td(D, lang_name(D, l->id));
            rd_mk_td_open(D->m, t ? NULL : "missing");
            if (t) {
                rd_mk_lang_text(D->m, l->id, t);
                if (draft) {
                    rd_mk_cell_break(D->m);
                    draft_mark(D);
                }
            } else {
                rd_mk_strong(D->m, "No text in this language yet.");
            }
            rd_mk_td_close(D->m);
            rd_mk_tr_close(D->m);
        }
        rd_mk_table_close(D->m);
    }
    if (unused)
        para(D, S(D, "%zu notice%s of the standard vocabulary %s not given by this SOP and %s not listed.", unused,
                  unused == 1 ? "" : "s", unused == 1 ? "is" : "are", unused == 1 ? "is" : "are"));
}

static void component_10(doc *D)
{
    rd_mk_heading(D->m, 2, "c10", rd_doc_components[9]);
    annex_directory(D);
    annex_consents(D);
    annex_notices(D);
}

/* ---- the whole document ------------------------------------------------------------------------- */

static void front_matter(doc *D)
{
    rd_program *p = D->p;
    const rd_decl *sop = p->sop;
    const char *title = sop && sop->label ? sop->label : "Standard Operating Procedures";
    rd_mk_document_open(D->m, title);
    rd_mk_heading(D->m, 1, NULL, title);
    rd_mk_p_open(D->m, NULL, NULL);
    rd_mk_text(D->m, "Standard Operating Procedures for a coordinated response to violence against women, including "
                     "women migrant workers, in the ten components of seed 000 Sample 1.");
    rd_mk_p_close(D->m);
    char hash[17];
    rd_program_hash(p, hash);
    const char *rows[][2] = {
        {"Version", field(sop, "version")},
        {"Locality", field(sop, "locality")},
        {"In effect from", field(sop, "effective")},
        {"Review", field(sop, "review")},
        {"Approved by", field(sop, "approved_by")},
        {"Generated from", S(D, "%s (fingerprint %s), by `rightdoor doc`", p->sources.n ? p->sources.v[0].path : "?", hash)},
    };
    static const char *const h2[] = {"Field", "Value"};
    rd_mk_table_open_headless(D->m, "meta", h2, 2);
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
        rd_mk_tr_open(D->m);
        td(D, rows[i][0]);
        rd_mk_td_open(D->m, NULL);
        if (i + 1 == sizeof rows / sizeof *rows) rd_mk_prose(D->m, rows[i][1]);
        else rd_mk_text(D->m, rows[i][1] ? rows[i][1] : "not stated in the SOP");
        rd_mk_td_close(D->m);
        rd_mk_tr_close(D->m);
    }
    rd_mk_table_close(D->m);
    para(D, "This document is generated from the SOP as written in the .sop language and checked by "
            "Rightdoor. Do not edit it by hand: change the SOP, check it, and generate the document again.");
    size_t fails = 0;
    for (uint32_t i = 0; i < D->g->nprinciples; i++) {
        size_t nf, nw;
        fails += principle_state(D, D->g->principles[i], &nf, &nw) == P_FAILS;
    }
    if (fails) {
        rd_mk_p_open(D->m, "banner", NULL);
        rd_mk_strong(D->m, S(D, "DRAFT: %zu guiding principle%s fail%s (component 4). Not ready to sign.", fails,
                             fails == 1 ? "" : "s", fails == 1 ? "s" : ""));
        rd_mk_p_close(D->m);
    } else if (!D->vd) {
        rd_mk_p_open(D->m, "banner", NULL);
        rd_mk_strong(D->m, "The principles of this SOP were not verified.");
        rd_mk_p_close(D->m);
    }
    const char *ids[10], *titles[10];
    for (int i = 0; i < 10; i++) {
        ids[i] = S(D, "c%d", i + 1);
        titles[i] = strchr(rd_doc_components[i], ' ') + 1;
    }
    rd_mk_contents(D->m, ids, titles, 10);
    rd_mk_front_matter_close(D->m);
}

static void signatures(doc *D)
{
    rd_mk_heading(D->m, 3, "signatures", "Signatures of the committee");
    static const char *const h[] = {"Name", "Organisation", "Signature", "Date"};
    rd_mk_table_open(D->m, "signatures", h, 4);
    for (int i = 0; i < 6; i++) {
        rd_mk_tr_open(D->m);
        for (int k = 0; k < 4; k++) rd_mk_td_blank(D->m);
        rd_mk_tr_close(D->m);
    }
    rd_mk_table_close(D->m);
}

rd_status rd_doc_write(rd_program *p, const rd_diagnostics *verified, const rd_doc_options *opt, FILE *out)
{
    if (!p || !out) return RD_ERR_IO;
    if (!rd_program_graph(p)) return RD_ERR_NOMEM;
    int html = opt && opt->format == RD_DOC_HTML;
    rd_mk m;
    rd_mk_init(&m, out, html);
    /* A Markdown document names the command that draws the diagram rather than carry the drawing. */
    doc D = {.p = p, .g = p->graph, .m = &m, .vd = verified, .svg = html ? opt->diagram_svg : NULL,
             .dot = html ? opt->diagram_dot : NULL, .skipped = html ? opt->diagram_skipped : NULL};
    front_matter(&D);
    component_1(&D);
    component_2(&D);
    component_3(&D);
    component_4(&D);
    component_5(&D);
    component_6(&D);
    component_7(&D);
    component_8(&D);
    component_9(&D);
    signatures(&D);
    component_10(&D);
    rd_mk_document_close(&m);
    if (fflush(out) != 0) m.failed = 1;
    if (p->arena.failed) return RD_ERR_NOMEM;
    return m.failed || ferror(out) ? RD_ERR_IO : RD_OK;
}
