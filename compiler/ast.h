/* The syntax tree of a .sop program. Every node carries its span. Lists are singly linked through
 * `next` in source order. Everything lives in the program's arena. The resolver fills the `decl`
 * and `fact`/`type` fields that the parser leaves empty. */
#ifndef RD_AST_H
#define RD_AST_H
#include "map.h"
#include "source.h"
#include <stdint.h>

typedef struct rd_decl rd_decl;
typedef struct rd_stmt rd_stmt;
typedef struct rd_step rd_step;

/* A translated text: one per language a translations file gives for a notice, fact, consent or
 * option. */
typedef struct rd_text {
    const char *lang;
    const char *text;
    rd_span span;
    int draft; /* its file says `status: draft`: not yet reviewed by a qualified translator */
    struct rd_text *next;
} rd_text;

typedef enum rd_ref_tag {
    RD_REF_NAME,        /* a plain name */
    RD_REF_SECTOR,      /* `sector X` as a target: every actor of sector X */
    RD_REF_IDENTIFYING, /* the data attribute `identifying`, in principles */
    RD_REF_PROTECTED,   /* the data attribute `protected`, in principles */
    RD_REF_SPECIALIST,  /* `specialist` as a service set, in principles */
    RD_REF_PROVIDER     /* `by provider` */
} rd_ref_tag;

/* A use of a name. `sub` is the second half of a dotted pair (`step.option`, `pathway.step`). */
typedef struct rd_ref {
    rd_ref_tag tag;
    const char *id;
    rd_span span;
    const char *sub;
    rd_span sub_span;
    rd_decl *decl; /* resolved declaration, when the name is one */
    struct rd_ref *next;
} rd_ref;

/* A `name "text"` descriptive field. */
typedef struct rd_field {
    const char *name;
    rd_span span;
    const char *value;
    rd_span value_span;
    struct rd_field *next;
} rd_field;

typedef enum rd_type { RD_T_NONE, RD_T_BOOL, RD_T_INT, RD_T_ENUM, RD_T_ENUMVAL } rd_type;

typedef enum rd_expr_kind {
    RD_E_OR, RD_E_AND, RD_E_NOT, RD_E_CMP, RD_E_IN, RD_E_KNOWN, RD_E_NAME, RD_E_INT, RD_E_BOOL
} rd_expr_kind;

typedef enum rd_cmp_op { RD_OP_EQ, RD_OP_NE, RD_OP_LT, RD_OP_LE, RD_OP_GT, RD_OP_GE } rd_cmp_op;

typedef struct rd_expr {
    rd_expr_kind kind;
    rd_span span;
    rd_cmp_op op;
    struct rd_expr *a, *b;
    const char *id;       /* RD_E_NAME, RD_E_KNOWN, RD_E_IN: the name */
    rd_span id_span;
    long long value;      /* RD_E_INT, RD_E_BOOL; for a resolved enum value, its index */
    rd_ref *set;          /* RD_E_IN: the enum values */
    rd_decl *fact;        /* resolved fact for a name that is a fact */
    rd_type type;         /* set by the checker */
    uint32_t depth;
} rd_expr;

typedef struct rd_block {
    rd_stmt *first;
    rd_span span; /* from `{` to `}` */
} rd_block;

typedef struct rd_option {
    const char *id;
    rd_span span;
    const char *label;
    rd_block *body;
    rd_text *texts;
    struct rd_option *next;
} rd_option;

typedef enum rd_stmt_kind {
    RD_S_ASK, RD_S_INFORM, RD_S_RECORD, RD_S_SEEK, RD_S_REFER, RD_S_SHARE, RD_S_CHOOSE, RD_S_IF,
    RD_S_GOTO, RD_S_END
} rd_stmt_kind;

struct rd_stmt {
    rd_stmt_kind kind;
    rd_span span;
    rd_ref *names;     /* ask: facts; inform: notice; record, share, refer sharing: data;
                          seek: consent; goto: step */
    rd_ref *targets;   /* refer: the one target; share: recipients */
    rd_ref *service;   /* refer: the service */
    rd_expr *cond;     /* if */
    rd_block *then_b;  /* if: then; seek: granted (NULL when absent) */
    rd_block *else_b;  /* if: else; seek: refused (NULL when absent) */
    rd_option *options;
    const char *text;  /* end: the reason */
    rd_step *goto_step; /* goto: resolved */
    rd_stmt *next;
};

struct rd_step {
    const char *id;
    rd_span span;
    const char *label;
    rd_ref *by;
    rd_block *body;
    rd_decl *pathway;
    int reachable; /* set by the checker */
    uint32_t index; /* position in its pathway, set by rd_graph_build */
    rd_step *next;
};

typedef enum rd_prop_kind {
    RD_P_NEVER_REACHES, RD_P_NEVER_RECORD, RD_P_SHARE_CONSENT, RD_P_REFER_CONSENT,
    RD_P_REPORT_NOTICE, RD_P_REFUSAL_REACHES, RD_P_ENTRY_SPECIALIST, RD_P_NOTICE_TRANSLATED
} rd_prop_kind;

typedef struct rd_prop {
    rd_prop_kind kind;
    rd_span span;
    rd_ref *data;
    rd_ref *targets;
    rd_ref *services;
    rd_expr *unless;
    struct rd_prop *next;
} rd_prop;

typedef enum rd_titem_kind {
    RD_TI_PATHWAY, RD_TI_BY, RD_TI_GIVEN, RD_TI_DECLINE, RD_TI_GRANT, RD_TI_REFUSE, RD_TI_CHOOSE,
    RD_TI_EXPECT
} rd_titem_kind;

typedef enum rd_expect_kind {
    RD_X_STEP, RD_X_ASK, RD_X_NOTICE, RD_X_SEEK, RD_X_SHARE, RD_X_REFER, RD_X_REPORT, RD_X_END
} rd_expect_kind;

typedef struct rd_given {
    rd_ref fact;
    rd_expr *value;
    struct rd_given *next;
} rd_given;

typedef struct rd_titem {
    rd_titem_kind kind;
    rd_span span;
    rd_expect_kind expect;
    int negated;       /* expect no ... */
    rd_ref *names;     /* pathway, by, decline, grant, refuse, choose (step.option), expect subject */
    rd_ref *data;      /* expect share of ... */
    rd_ref *targets;   /* expect share/refer to ... */
    rd_ref *service;   /* expect refer ... for S */
    rd_given *given;
    struct rd_titem *next;
} rd_titem;

typedef enum rd_decl_kind {
    RD_D_SOP, RD_D_USE, RD_D_DIRECTORY, RD_D_TRANSLATIONS, RD_D_SECTOR, RD_D_DATA, RD_D_SERVICE,
    RD_D_FACT, RD_D_NOTICE, RD_D_ACTOR, RD_D_CONSENT, RD_D_PERMIT, RD_D_DUTY, RD_D_PATHWAY,
    RD_D_PRINCIPLE, RD_D_WAIVE, RD_D_TEST,
    RD_D__COUNT
} rd_decl_kind;

struct rd_decl {
    rd_decl_kind kind;
    rd_span span;       /* the keyword */
    const char *id;     /* NULL for sop, use, directory, translations, waive, test */
    rd_span id_span;
    const char *label;  /* notice: its text in the first language */
    rd_span label_span;
    rd_field *fields;
    rd_text *texts;     /* translations of a notice, fact or consent */
    int used;           /* referenced from somewhere, for the unused-declaration warning */
    int in_library;     /* came from a file reached by `use` through the search path */
    uint32_t index;     /* position among the declarations of its kind, set by rd_graph_build */
    rd_decl *next;
    union {
        struct { rd_ref *languages; } sop;
        struct { const char *path; rd_span path_span; } file; /* use: "a/b.sop"; directory; translations */
        struct { int enforcement; } sector;
        struct { int identifying, protected_; rd_ref *reveals; } data;
        struct {
            rd_type type;
            rd_ref *values;     /* enum values */
            rd_expr *derived;
            const char *lua;
            rd_span lua_span;
            rd_ref *reveals;
        } fact;
        struct {
            rd_ref *sector;
            int specialist;
            rd_ref *provides;
            rd_ref *languages;
            int from_directory;
            int location_confidential;
        } actor;
        struct { rd_ref *shares; rd_ref *with; rd_expr *when; } flow; /* consent, permit */
        struct { rd_ref *applies; rd_expr *when; rd_ref *reports; rd_ref *to; rd_ref *notice; } duty;
        struct { rd_ref *entry; rd_ref *start; rd_step *steps; rd_map step_map; } pathway;
        struct { rd_prop *props; rd_ref *severity; const char *lua; rd_span lua_span; } principle;
        struct { rd_ref *principle; rd_ref *step; const char *because; } waive; /* step->sub: pathway.step */
        struct { rd_titem *items; } test;
    } u;
};

const char *rd_decl_kind_name(rd_decl_kind k);
/* "a" or "an" for a noun, for messages. */
const char *rd_article(const char *noun);
/* The value of a `name "text"` field of a declaration, or NULL. */
const char *rd_field_get(const rd_decl *d, const char *name);

#endif
