/* `every notice translated`: a notice she cannot read does not tell her anything, so each notice
 * the procedure gives needs a text in every language the SOP says it serves. */
#include "engine.h"
#include <string.h>

/* The language a notice's own text is written in: the SOP's first language for its own notices;
 * the standard library writes its texts in English. */
static const char *inline_language(const rd_program *p, const rd_decl *n)
{
    return n->in_library ? "en" : p->first_language;
}

/* Each notice used, in each language of the SOP: its own text or a translation. */
int rd_pass_text_translations(engine *E, prop *P)
{
    verifier *V = E->V;
    rd_program *p = V->p;
    if (!p->sop) return 0;
    int errors = 0;
    for (rd_decl *n = p->decls; n; n = n->next) {
        if (n->kind != RD_D_NOTICE || !n->used) continue;
        for (const rd_ref *l = p->sop->u.sop.languages; l; l = l->next) {
            const char *own = inline_language(p, n);
            int has = own && strcmp(own, l->id) == 0;
            for (const rd_text *t = n->texts; t && !has; t = t->next) has = strcmp(t->lang, l->id) == 0;
            if (has) continue;
            rd_severity sev = P->warning ? RD_SEV_WARNING : RD_SEV_ERROR;
            rd_span at = n->in_library ? p->sop->span : n->id_span;
            rd_diagnostic *g = rd_diag_at(V->d, &p->sources, sev, P->principle->id, at,
                                          "add the text to the translations file for that language (language.md section 9)",
                                          "notice `%s` has no text in `%s`, a language this SOP serves", n->id, l->id);
            rd_diag_set_path(V->d, &p->sources, g, NULL, NULL, 0, rd_field_get(P->principle, "source"));
            errors += sev == RD_SEV_ERROR;
        }
    }
    return errors;
}
