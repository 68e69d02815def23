/* Name resolution: every declaration goes into the namespace of its kind, and every reference that
 * is not inside a condition is bound to its declaration. Conditions are bound by the checker, which
 * needs the type of the fact to know what a bare name means (an enum value or a fact). */
#include "check.h"
#include <stdlib.h>
#include <string.h>

static const char *const kind_keyword[RD_D__COUNT] = {
    [RD_D_SECTOR] = "sector", [RD_D_DATA] = "data", [RD_D_SERVICE] = "service", [RD_D_FACT] = "fact",
    [RD_D_NOTICE] = "notice", [RD_D_ACTOR] = "actor", [RD_D_CONSENT] = "consent",
    [RD_D_PERMIT] = "permit", [RD_D_DUTY] = "duty", [RD_D_PATHWAY] = "pathway",
    [RD_D_PRINCIPLE] = "principle",
};

static int cmp_str(const void *a, const void *b) { return strcmp(*(const char *const *)a, *(const char *const *)b); }

rd_decl *rd_lookup(rd_program *p, rd_decl_kind k, const char *id) { return rd_map_get(&p->names[k], id); }

/* Each search compares with every name of the kind; past this many, a file full of unknown names
 * (a wrong `use`, a generated file) would cost names x names. Only the first errors are shown. */
#define RD_MAX_SUGGESTIONS 200

/* Names of one kind, for "did you mean". */
static const char *closest(rd_program *p, const rd_map *m, const char *id)
{
    if (p->suggested >= RD_MAX_SUGGESTIONS) return NULL;
    p->suggested++;
    const char **names = malloc((m->len + 1) * sizeof *names); /* scratch: not kept with the program */
    if (!names) return NULL;
    size_t n = 0;
    for (size_t i = 0; i < m->cap; i++)
        if (m->slots[i].key) names[n++] = m->slots[i].key;
    const char *best = rd_did_you_mean(id, names, n);
    free(names);
    return best;
}

/* Help texts are written in a scratch arena (the diagnostic keeps its own copy): a case file read
 * at run time with a wrong name must not grow the program an app keeps open. */
void rd_unknown_name(rd_program *p, rd_span at, const char *id, rd_decl_kind k, const char *extra_help)
{
    rd_arena tmp;
    rd_arena_init(&tmp);
    for (int k2 = 0; k2 < RD_D__COUNT; k2++) {
        rd_decl *other = k2 == (int)k ? NULL : rd_lookup(p, (rd_decl_kind)k2, id);
        if (!other) continue;
        const char *help;
        if (k == RD_D_ACTOR && k2 == RD_D_SECTOR)
            help = rd_arena_printf(&tmp, "write `sector %s` to mean any actor of that sector", id);
        else
            help = rd_arena_printf(&tmp, "%s %s is needed here; `%s` names %s %s", rd_article(rd_decl_kind_name(k)),
                                   rd_decl_kind_name(k), id, rd_article(rd_decl_kind_name((rd_decl_kind)k2)),
                                   rd_decl_kind_name((rd_decl_kind)k2));
        rd_diagnostic *g = RD_ERROR(p, "wrong-kind", at, help, "`%s` is %s %s, not %s %s", id,
                                    rd_article(rd_decl_kind_name((rd_decl_kind)k2)), rd_decl_kind_name((rd_decl_kind)k2),
                                    rd_article(rd_decl_kind_name(k)), rd_decl_kind_name(k));
        rd_diag_note(p->diags, &p->sources, g, other->id_span, "`%s` is declared here", id);
        rd_arena_release(&tmp);
        return;
    }
    const char *m = closest(p, &p->names[k], id);
    const char *help;
    if (m)
        help = rd_arena_printf(&tmp, "did you mean `%s`?", m);
    else if (extra_help)
        help = extra_help;
    else if (k == RD_D_SECTOR && p->names[k].len && p->names[k].len <= 40) {
        const char *sorted[40];
        size_t ns = 0;
        for (size_t i = 0; i < p->names[k].cap; i++)
            if (p->names[k].slots[i].key) sorted[ns++] = p->names[k].slots[i].key;
        qsort(sorted, ns, sizeof *sorted, cmp_str);
        help = rd_arena_printf(&tmp, "the sectors declared are %s", rd_quoted_list(&tmp, sorted, ns));
    } else if (k == RD_D_FACT)
        help = rd_arena_printf(&tmp, "declare it with `fact %s: bool \"...?\"` (or `: int`, `: enum { ... }`)", id);
    else if (kind_keyword[k])
        help = rd_arena_printf(&tmp, "declare it with `%s %s \"...\"`, or check that the file declaring it is `use`d",
                               kind_keyword[k], id);
    else
        help = NULL;
    if (at.file < p->sources.n && p->sources.v[at.file].private_)
        /* in a case file a name that is not the SOP's may be anything someone typed there */
        RD_ERROR(p, "unknown-name", at, m ? help : extra_help, "there is no %s of that name", rd_decl_kind_name(k));
    else
        RD_ERROR(p, "unknown-name", at, help, "there is no %s named `%s`", rd_decl_kind_name(k), id);
    rd_arena_release(&tmp);
}

static rd_decl *want(rd_program *p, rd_ref *r, rd_decl_kind k)
{
    rd_decl *d = rd_lookup(p, k, r->id);
    if (d) {
        d->used = 1;
        r->decl = d;
        return d;
    }
    rd_unknown_name(p, r->span, r->id, k,
                    k == RD_D_ACTOR ? "declare it with `actor`, or add it to the service directory" : NULL);
    return NULL;
}

static void want_all(rd_program *p, rd_ref *list, rd_decl_kind k)
{
    for (rd_ref *r = list; r; r = r->next) want(p, r, k);
}

void rd_resolve_targets(rd_program *p, rd_ref *list)
{
    for (rd_ref *r = list; r; r = r->next) want(p, r, r->tag == RD_REF_SECTOR ? RD_D_SECTOR : RD_D_ACTOR);
}

/* Data lists: attributes (`identifying`, `protected`) stand for sets and belong in principles only. */
void rd_resolve_data(rd_program *p, rd_ref *list, int allow_attributes)
{
    for (rd_ref *r = list; r; r = r->next) {
        if (r->tag == RD_REF_NAME) {
            want(p, r, RD_D_DATA);
        } else if (!allow_attributes) {
            RD_ERROR(p, "attribute-not-allowed", r->span,
                     "name the data categories one by one; `identifying` and `protected` stand for sets only in principles",
                     "`%s` is a data attribute, not a data category", r->id);
        }
    }
}

static void enter(rd_program *p, rd_decl *d)
{
    if (!d->id) return;
    rd_decl *prev = rd_lookup(p, d->kind, d->id);
    if (prev) {
        /* When one of the two comes from the standard library, the mistake is in the user's file. */
        rd_decl *mine = d, *theirs = prev;
        if (d->in_library && !prev->in_library) mine = prev, theirs = d;
        rd_diagnostic *g;
        if (theirs->in_library && !mine->in_library) {
            g = RD_ERROR(p, "duplicate-name", mine->id_span,
                         "the standard library already declares it: delete this declaration and use that one, or pick another name",
                         "%s `%s` is already declared by a file this program uses", rd_decl_kind_name(d->kind), d->id);
            rd_diag_note(p->diags, &p->sources, g, theirs->id_span, "declared here");
        } else {
            g = RD_ERROR(p, "duplicate-name", d->id_span, "give one of them another name, or delete the copy",
                         "%s `%s` is declared twice", rd_decl_kind_name(d->kind), d->id);
            rd_diag_note(p->diags, &p->sources, g, prev->id_span, "first declared here");
        }
        if (mine != d && rd_map_put(&p->names[d->kind], d->id, d) != 0) p->arena.failed = 1;
        return;
    }
    if (rd_map_put(&p->names[d->kind], d->id, d) != 0) p->arena.failed = 1;
}

static void enter_steps(rd_program *p, rd_decl *pw)
{
    for (rd_step *s = pw->u.pathway.steps; s; s = s->next) {
        rd_step *prev = rd_map_get(&pw->u.pathway.step_map, s->id);
        if (prev) {
            rd_diagnostic *g = RD_ERROR(p, "duplicate-name", s->span, "give one of them another name",
                                        "pathway `%s` has two steps named `%s`", pw->id, s->id);
            rd_diag_note(p->diags, &p->sources, g, prev->span, "first declared here");
            continue;
        }
        if (rd_map_put(&pw->u.pathway.step_map, s->id, s) != 0) p->arena.failed = 1;
    }
}

rd_step *rd_find_step(rd_program *p, rd_decl *pw, const char *id, rd_span at)
{
    rd_step *s = rd_map_get(&pw->u.pathway.step_map, id);
    if (s) return s;
    const char *m = closest(p, &pw->u.pathway.step_map, id);
    char *help = m ? rd_arena_printf(&p->arena, "did you mean `%s`?", m)
                   : rd_arena_printf(&p->arena, "add `step %s \"...\" by ... { ... }` to pathway `%s`", id, pw->id);
    for (rd_decl *o = p->decls; o && !m; o = o->next)
        if (o->kind == RD_D_PATHWAY && o != pw && rd_map_get(&o->u.pathway.step_map, id))
            help = rd_arena_printf(&p->arena, "`%s` is a step of pathway `%s`; a `goto` stays inside its own pathway", id, o->id);
    RD_ERROR(p, "unknown-step", at, help, "pathway `%s` has no step named `%s`", pw->id, id);
    return NULL;
}

static void resolve_block(rd_program *p, rd_decl *pw, rd_block *b);

static void resolve_stmt(rd_program *p, rd_decl *pw, rd_stmt *s)
{
    switch (s->kind) {
    case RD_S_ASK: want_all(p, s->names, RD_D_FACT); break;
    case RD_S_INFORM: want_all(p, s->names, RD_D_NOTICE); break;
    case RD_S_RECORD: rd_resolve_data(p, s->names, 0); break;
    case RD_S_SEEK:
        want_all(p, s->names, RD_D_CONSENT);
        if (s->then_b) resolve_block(p, pw, s->then_b);
        if (s->else_b) resolve_block(p, pw, s->else_b);
        break;
    case RD_S_REFER:
        rd_resolve_targets(p, s->targets);
        want_all(p, s->service, RD_D_SERVICE);
        rd_resolve_data(p, s->names, 0);
        break;
    case RD_S_SHARE:
        rd_resolve_data(p, s->names, 0);
        rd_resolve_targets(p, s->targets);
        break;
    case RD_S_CHOOSE: {
        rd_map seen;
        rd_map_init(&seen);
        for (rd_option *o = s->options; o; o = o->next) {
            rd_option *prev = rd_map_get(&seen, o->id);
            if (prev) {
                rd_diagnostic *g = RD_ERROR(p, "duplicate-name", o->span, "give each option its own name",
                                            "this `choose` has two options named `%s`", o->id);
                rd_diag_note(p->diags, &p->sources, g, prev->span, "first one here");
            } else if (rd_map_put(&seen, o->id, o) != 0) {
                p->arena.failed = 1;
            }
            if (o->body) resolve_block(p, pw, o->body);
        }
        rd_map_free(&seen);
        break;
    }
    case RD_S_IF:
        if (s->then_b) resolve_block(p, pw, s->then_b);
        if (s->else_b) resolve_block(p, pw, s->else_b);
        break;
    case RD_S_GOTO:
        if (s->names) s->goto_step = rd_find_step(p, pw, s->names->id, s->names->span);
        break;
    case RD_S_END: break;
    }
}

static void resolve_block(rd_program *p, rd_decl *pw, rd_block *b)
{
    for (rd_stmt *s = b->first; s; s = s->next) resolve_stmt(p, pw, s);
}

static void resolve_pathway(rd_program *p, rd_decl *d)
{
    rd_resolve_targets(p, d->u.pathway.entry);
    if (d->u.pathway.start) rd_find_step(p, d, d->u.pathway.start->id, d->u.pathway.start->span);
    for (rd_step *s = d->u.pathway.steps; s; s = s->next) {
        if (s->by && s->by->tag != RD_REF_PROVIDER) {
            rd_decl *sec = rd_lookup(p, RD_D_SECTOR, s->by->id);
            if (!rd_lookup(p, RD_D_ACTOR, s->by->id) && sec) {
                RD_ERROR(p, "wrong-kind", s->by->span,
                         "a step is done by one actor: `by <an actor of that sector>`, or `by provider` for whoever has the case",
                         "`%s` is a sector; a step is done `by` an actor", s->by->id);
                continue;
            }
            want(p, s->by, RD_D_ACTOR);
        }
        if (s->body) resolve_block(p, d, s->body);
    }
}

static void resolve_principle(rd_program *p, rd_decl *d)
{
    for (rd_prop *pr = d->u.principle.props; pr; pr = pr->next) {
        rd_resolve_data(p, pr->data, 1);
        rd_resolve_targets(p, pr->targets);
        for (rd_ref *r = pr->services; r; r = r->next)
            if (r->tag == RD_REF_NAME) want(p, r, RD_D_SERVICE);
    }
}

static void resolve_waive(rd_program *p, rd_decl *d)
{
    rd_ref *pr = d->u.waive.principle, *st = d->u.waive.step;
    if (pr) want(p, pr, RD_D_PRINCIPLE);
    if (!st) return;
    if (st->sub) {
        /* pathway.step */
        rd_decl *pw = rd_lookup(p, RD_D_PATHWAY, st->id);
        if (!pw) {
            rd_unknown_name(p, st->span, st->id, RD_D_PATHWAY, NULL);
            return;
        }
        pw->used = 1;
        rd_find_step(p, pw, st->sub, st->sub_span);
        return;
    }
    int found = 0;
    for (rd_decl *pw = p->decls; pw; pw = pw->next)
        if (pw->kind == RD_D_PATHWAY && rd_map_get(&pw->u.pathway.step_map, st->id)) found++;
    if (found == 0)
        RD_ERROR(p, "unknown-step", st->span, "name the step as `pathway.step`",
                 "no pathway has a step named `%s`", st->id);
    else if (found > 1)
        RD_ERROR(p, "ambiguous-step", st->span, "write it as `pathway.step` to say which one",
                 "%d pathways have a step named `%s`", found, st->id);
}

void rd_resolve(rd_program *p)
{
    for (rd_decl *d = p->decls; d; d = d->next) {
        enter(p, d);
        if (d->kind == RD_D_PATHWAY) enter_steps(p, d);
        if (d->kind == RD_D_SOP) {
            if (p->sop) {
                rd_diagnostic *g = RD_ERROR(p, "duplicate-name", d->span, "a program has one `sop` header; keep one",
                                            "a second `sop` header");
                rd_diag_note(p->diags, &p->sources, g, p->sop->span, "the first one is here");
            } else {
                p->sop = d;
                if (d->u.sop.languages) p->first_language = d->u.sop.languages->id;
            }
        }
    }
    for (rd_decl *d = p->decls; d; d = d->next) {
        switch (d->kind) {
        case RD_D_DATA: want_all(p, d->u.data.reveals, RD_D_DATA); break;
        case RD_D_FACT: want_all(p, d->u.fact.reveals, RD_D_DATA); break;
        case RD_D_ACTOR:
            want_all(p, d->u.actor.sector, RD_D_SECTOR);
            want_all(p, d->u.actor.provides, RD_D_SERVICE);
            break;
        case RD_D_CONSENT:
        case RD_D_PERMIT:
            rd_resolve_data(p, d->u.flow.shares, 0);
            rd_resolve_targets(p, d->u.flow.with);
            break;
        case RD_D_DUTY:
            rd_resolve_targets(p, d->u.duty.applies);
            rd_resolve_data(p, d->u.duty.reports, 0);
            rd_resolve_targets(p, d->u.duty.to);
            want_all(p, d->u.duty.notice, RD_D_NOTICE);
            break;
        case RD_D_PATHWAY: resolve_pathway(p, d); break;
        case RD_D_PRINCIPLE: resolve_principle(p, d); break;
        case RD_D_WAIVE: resolve_waive(p, d); break;
        default: break;
        }
    }
}
