/* librightdoor: compile a Standard Operating Procedure written in the .sop language, check and verify
 * it, write it out (graph, document, diff, diagnostics, layout, Cedar), run its tests and its cases.
 *
 * Conventions, as in SQLite and Lua:
 *  - Handles are opaque. Whatever a function returns through a pointer named *_out or a
 *    rd_diagnostics** belongs to the caller, who releases it with the matching *_free function.
 *  - The library never prints, never exits and never aborts: every problem comes back as a status
 *    code and, for problems in the user's files, as diagnostics with file, line and column.
 *  - No global state: two programs compiled in one process share nothing.
 */
#ifndef RIGHTDOOR_H
#define RIGHTDOOR_H

#include <stddef.h>
#include <limits.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The version of this header. An app compares it with rd_version() to know which library it runs
 * against; until 1.0 a minor version may change the API. */
#define RD_VERSION_MAJOR 0
#define RD_VERSION_MINOR 2
#define RD_VERSION_PATCH 0
#define RD_VERSION_STRING "0.2.0"

typedef enum rd_status {
    RD_OK = 0,
    RD_ERR_PROGRAM = 1, /* the .sop program (or a file it names) has errors: see the diagnostics */
    RD_ERR_IO = 2,      /* the file given could not be read */
    RD_ERR_NOMEM = 3    /* out of memory */
} rd_status;

/* The version of the library linked, as "MAJOR.MINOR.PATCH". */
const char *rd_version(void);
/* A status in words ("ok", "errors in the program", "cannot read the file", "out of memory"),
 * "unknown status" for a value that is none of them; never NULL. */
const char *rd_status_str(rd_status st);

typedef enum rd_severity { RD_SEV_ERROR = 0, RD_SEV_WARNING = 1, RD_SEV_NOTE = 2 } rd_severity;

/* One message about the user's files. Strings are owned by the rd_diagnostics that holds it.
 * line and col are 1-based; col counts characters (UTF-8 code points), not bytes. A diagnostic
 * that concerns no particular place (a missing file given on the command line) has line 0. */
/* One step of a counterexample: where it is in the source and what happens there, in plain words
 * ("safety: she is not safe now", "refer mae_sot_police (shares migration_status)"). */
typedef struct rd_path_step {
    const char *file;
    unsigned line, col;
    const char *text;
} rd_path_step;

typedef struct rd_diagnostic {
    rd_severity severity;
    const char *code;        /* stable kebab-case identifier, e.g. "unknown-name", "syntax" */
    const char *file;
    unsigned line, col, end_col;
    const char *message;
    const char *help;        /* what to do about it, or NULL */
    const char *source_line; /* the text of `line`, without its newline, or NULL */
    /* 0 or 1: source_line is the whole line. A line longer than 1 KiB is cut to the 100 characters
     * or so around `col` that a diagnostic shows: "..." marks each end that was cut, and when the
     * start was, source_col is the column of the character after the "...". */
    unsigned source_col;
    const struct rd_diagnostic *note; /* a second place it concerns ("first defined here"), or NULL */
    /* For a principle that fails: the shortest path from an entry to the violation, and the
     * principle's source citation (seed passage, law). NULL / 0 otherwise. */
    const rd_path_step *path;
    size_t path_len;
    const char *citation;
} rd_diagnostic;

typedef struct rd_diagnostics rd_diagnostics;

void   rd_diagnostics_free(rd_diagnostics *d);
size_t rd_diagnostics_len(const rd_diagnostics *d);
const rd_diagnostic *rd_diagnostics_get(const rd_diagnostics *d, size_t i);
size_t rd_diagnostics_count(const rd_diagnostics *d, rd_severity sev);
/* RD_OK, RD_ERR_PROGRAM, RD_ERR_IO or RD_ERR_NOMEM: the worst outcome recorded. */
rd_status rd_diagnostics_status(const rd_diagnostics *d);
/* Writes the diagnostics as a compiler does: "file:line:col: error: message", the source line, a
 * caret under the span, help and notes. At most max_errors errors are shown (0 means 20), followed
 * by a count of the rest. */
void rd_diagnostics_print(const rd_diagnostics *d, FILE *out, unsigned max_errors);

typedef struct rd_options {
    /* Folders searched, in order, for `use`d modules and named files that are not found next to the
     * file naming them. The strings must outlive the rd_compile call. */
    const char *const *search_path;
    size_t search_path_len;
    /* Files an SOP names (directory, translations, Lua) are read only from its own folder and the
     * search path unless this is set: an SOP cannot make `check` read a case file or /etc/passwd
     * into its messages. */
    int any_path;
} rd_options;

typedef struct rd_program rd_program;

/* Reads the .sop file at `path` and everything it uses, resolves every name and checks the program.
 * Returns the program, or NULL when it has errors. *diags (always set, even on success, when diags
 * is not NULL) receives the errors and warnings; the caller frees it. `opt` may be NULL. */
rd_program *rd_compile(const char *path, const rd_options *opt, rd_diagnostics **diags);
void        rd_program_free(rd_program *p);

/* Proves every principle of a compiled program (language.md section 6) over its decision graph and
 * checks the graph's structure (no loop that never waits for her). Each failure is added to d as
 * an error (or a warning, for `severity warning`) at the statement where it happens, with the
 * shortest counterexample path, the principle's citation and a help line; waived failures and
 * every waiver are added as notes and warnings. Returns RD_OK when no error-severity principle
 * fails, RD_ERR_PROGRAM when one does or when the verifier's state budget ran out before it could
 * prove them (reported), RD_ERR_NOMEM when memory ran out. */
rd_status rd_verify(rd_program *p, rd_diagnostics *d);

/* Writes the program's decision graph as JSON: {"pathways": [{name, start, entry}], "nodes":
 * [{id, kind, text, pathway, step, performer, file, line, column, subject?, to?, data?, edges:
 * [{to, kind, option?}]}]}. Returns RD_OK, RD_ERR_IO or RD_ERR_NOMEM. */
rd_status rd_graph_json_write(rd_program *p, FILE *out);

/* Writes the program's referral pathways as one Graphviz DOT document (UTF-8), drawn from the
 * decision graph for a committee to read: each step a frame titled with its label and performer,
 * questions and choices as diamonds with yes/no or option arrows, consents as double diamonds with
 * granted/refused arrows, referrals and shares as boxes coloured by the recipient's sector (with a
 * legend), mandatory reports as octagons where they may fire, and whatever holds or passes
 * protected data outlined red. `verified` may be NULL; otherwise it holds the diagnostics rd_verify
 * added, and the counterexample path of each failing principle (error severity, up to 12) is drawn
 * bold red with a note naming the principle. Run Graphviz (`dot -Tsvg`) on the result for a
 * picture. The document is built in memory and then written, so a failure leaves nothing half
 * written by this call. Returns RD_OK, RD_ERR_IO or RD_ERR_NOMEM. */
rd_status rd_dot_write(rd_program *p, const rd_diagnostics *verified, FILE *out);

/* Writes the program's decision graph as a Promela model for the SPIN model checker: one case
 * walked along the graph (facts three-valued and fixed once chosen, consents decided once, the
 * provider one of the entry actors, what each actor holds, duties firing where they fire), with
 * each `never D reaches T` and `every report requires notice` principle as an LTL formula named
 * p_<principle> (`pan -N p_<principle>`). What is and is not modelled: the top of
 * compiler/promela.c. The model is built in memory and then written. Returns RD_OK, RD_ERR_IO,
 * RD_ERR_NOMEM, or RD_ERR_PROGRAM when the graph is past its limits. */
rd_status rd_promela_write(rd_program *p, FILE *out);

/* ---- The SOP document -------------------------------------------------------------------------
 * rd_doc_write writes the SOP as the document a committee signs and trains staff with, in
 * the ten components of seed 000 Sample 1: purpose and scope; groups and settings; definitions;
 * guiding principles, each with its verification result; reporting and referral (duties, the
 * pathway diagram, the procedure step by step in plain words); responsibilities per organisation;
 * the information-sharing matrix (the may-share rules read without a case); monitoring and the
 * minimum data set; coordination; annexes (service directory, one consent form per consent and
 * language, every notice in every language, drafts marked). Markdown is CommonMark with tables;
 * HTML is one self-contained UTF-8 file (inline CSS and SVG, no scripts, nothing fetched) that
 * prints on A4. */
typedef enum rd_doc_format { RD_DOC_MARKDOWN = 0, RD_DOC_HTML = 1 } rd_doc_format;

typedef struct rd_doc_options {
    rd_doc_format format;
    const char *diagram_svg; /* HTML: the pathway diagram as SVG (Graphviz output), embedded inline; or NULL */
    const char *diagram_dot; /* HTML: the diagram in DOT, shown when there is no SVG (Graphviz is not installed); or NULL */
    const char *diagram_skipped; /* HTML: what stopped Graphviz's `dot` from drawing it ("took more than 10 s, ..."),
                                  * said in its place instead of either; or NULL */
} rd_doc_options;

/* `verified`: the diagnostics rd_verify added for p, from which each principle's result is read
 * (proved, failing with its counterexample, waived with the reason); NULL when it was not run, and
 * the document says so. With neither diagram the document says how to draw one. Returns RD_OK,
 * RD_ERR_IO (writing failed; part of the document may be on `out`) or RD_ERR_NOMEM. */
rd_status rd_doc_write(rd_program *p, const rd_diagnostics *verified, const rd_doc_options *opt, FILE *out);

/* What revising an SOP changes in meaning, not in text (`rightdoor diff OLD NEW`): declarations
 * added, removed or changed in a field with meaning (actors: sector, specialist, services provided,
 * languages; data categories: attributes, reveals; consents: shares, with; permits: shares, with,
 * when; duties: applies to, when, reports, to, notice; lists compared as sets); every (data, actor)
 * pair some real path lets the actor hold that is new, gone, or reached in another way (the
 * verifier's own analysis: collected, shared, referred, reported by a duty, allowed by a permit,
 * with what the data reveals; implicit flows by branching are not counted); principle verdicts that
 * changed (run on both, as rd_verify); waivers; the steps of each pathway. Both programs must have
 * compiled without errors. Writes text for a committee (json 0) or one JSON document (json 1) to
 * out; *differences (may be NULL) receives how many differences there are (0: the same meaning).
 * Returns RD_OK, RD_ERR_IO (writing failed) or RD_ERR_NOMEM. Each program's graph is built if it
 * was not, and both arenas grow.
 *
 * The JSON shape. Keys may be added later; none will be removed or change meaning:
 *   { "old": "before.sop", "new": "after.sop",           -- the main files as given
 *     "differences": 12,                                  -- number of entries below, all lists
 *     "flows_complete": true,                             -- false: the verifier's budget ran out,
 *                                                            "flows" is empty and means nothing
 *     "declarations": [
 *       { "kind": "actor" | "data" | "consent" | "permit" | "duty",
 *         "name": "crisis_centre", "label": "..." | null,
 *         "change": "added" | "removed" | "changed",
 *         "file", "line", "column",                       -- in the new version; for "removed", the old
 *         "fields": [ { "field": "services provided",     -- a name from the list above
 *                       "old": ["urgent_care"], "new": ["urgent_care", "pep"] } ] } ],
 *                                                            -- values are lists of words ("sector police",
 *                                                               a condition as written, "yes"/"no");
 *                                                               [] for none; added: old []; removed: new []
 *     "flows": [
 *       { "data": "migration_status", "actor": "labour_inspectorate",
 *         "change": "now-possible" | "no-longer-possible" | "changed",
 *         "old": HOW | null, "new": HOW | null } ],
 *         HOW = { "words": "it is sent to them only after she consents to wage_claim",
 *                 "collected": bool, "sent": bool,        -- they record it / a share or referral sends it
 *                 "consented": bool,                      -- whenever it is sent, she had granted a consent
 *                                                            covering it (to them, that data)
 *                 "consents": [...], "duties": [...], "permits": [...],
 *                 "via": { "text", "file", "line", "column" } | null }  -- the first place it gets there
 *     "principles": [
 *       { "name", "label", "change": "now-fails" | "now-holds" | "added" | "removed",
 *         "old": "holds" | "fails" | null, "new": "holds" | "fails" | null,
 *         "failures": 3,                                  -- unwaived places it fails (new version, else old)
 *         "file", "line", "column",                       -- the principle (new version, else old)
 *         "counterexample": { "message", "file", "line", "column",
 *                             "path": [ { "file", "line", "column", "text" } ] } | null } ],
 *                                                            -- the first failure, when it fails now
 *     "waivers": [ { "principle", "step", "change": "added" | "removed" | "changed",
 *                    "because", "old_because" | null, "file", "line", "column" } ],
 *     "pathways": [ { "name", "label", "change": "added" | "removed" | "changed",
 *                     "steps_added": [...], "steps_removed": [...], "file", "line", "column" } ] } */
rd_status rd_diff(rd_program *old, rd_program *new_, FILE *out, int json, size_t *differences);

/* ---- Diagnostics for programs to read --------------------------------------------------------
 * Both writers put one document on `out`, followed by a newline, and flush it. They write every
 * stored diagnostic, in the order found (max_errors of rd_diagnostics_print does not apply; past
 * the first 1000, diagnostics are only counted). d may be NULL, meaning the compile ran out of
 * memory before it could record anything. Strings are UTF-8 as in the user's files; a byte that is
 * not valid UTF-8 is written as U+FFFD. Nothing is written when building the document fails for
 * lack of memory.
 * Returns RD_OK, RD_ERR_IO (writing to `out` failed; part of the document may have been written) or
 * RD_ERR_NOMEM. */

/* The JSON shape. Keys may be added later; none will be removed or change meaning:
 *   {
 *     "diagnostics": [
 *       { "severity": "error" | "warning" | "note",
 *         "code": "unknown-name",        -- the stable kebab-case code
 *         "file": "mae_sot.sop" | null,  -- the path as given or as found on the search path
 *         "line": 41 | null,             -- null: about the file as a whole, or no file
 *         "column": 13 | null,           -- 1-based, in characters (code points), not bytes
 *         "end_column": 25 | null,       -- the last character of the span, inclusive
 *         "message": "there is no actor named `police_staton`",
 *         "help": "did you mean `police_station`?" | null,
 *         "source_line": "      refer police_staton for police_protection" | null,
 *         "source_column": 1 | null,     -- the column source_line starts at (see source_col)
 *         "note": { "file", "line", "column", "end_column", "message" } | null,
 *         "path": [ { "file", "line", "column", "text" }, ... ],  -- [] unless a principle fails
 *         "citation": "000 Annex 3 tip 7; 002 essential 5" | null },
 *       ... ],
 *     "errors": 1, "warnings": 0,        -- all of them, including those past the stored 1000
 *     "status": "ok" | "program-errors" | "io-error" | "out-of-memory"   -- rd_diagnostics_status
 *   }
 * Every key is always present; absent values are null (or [] for "path"). */
rd_status rd_diagnostics_write_json(const rd_diagnostics *d, FILE *out);

/* SARIF 2.1.0 (https://docs.oasis-open.org/sarif/sarif/v2.1.0/), as code-scanning services read it:
 * one run whose tool.driver is {"name": "rightdoor", "version": tool_version (left out when NULL),
 * "rules": one per distinct code, in order of first use, {"id": code, "shortDescription"}};
 * run.columnKind is "unicodeCodePoints". Each diagnostic is a result:
 *   ruleId, ruleIndex, level ("error" | "warning" | "note"),
 *   message.text: the message, then the help as a second sentence, '{' and '}' doubled as SARIF
 *     requires of message strings;
 *   locations[0].physicalLocation: artifactLocation.uri (the path percent-encoded; an absolute path
 *     as a file:// URI) and region {startLine, startColumn, endColumn (one past the span)}; no
 *     region for a diagnostic about a whole file, no locations at all when there is no file;
 *   relatedLocations[0] (id 1): the note, with its message;
 *   codeFlows[0].threadFlows[0].locations[]: the counterexample path, one threadFlowLocation per
 *     step in order, each {location: {physicalLocation, message.text: the step's words}};
 *   properties: {"help", "citation"} when the diagnostic has them.
 * invocations[0].executionSuccessful is false when the status is RD_ERR_IO or RD_ERR_NOMEM. */
rd_status rd_diagnostics_write_sarif(const rd_diagnostics *d, FILE *out, const char *tool_version);

/* ---- tests written by committees (language.md section 7) ---------------------------------------
 * Runs every `test` block of the program's own files through the runtime, as one case each: the
 * facts it gives and declines, her answers and choices are known from the start; the runner gives
 * each notice, makes each referral (to the first directory entry offered), share and report the
 * runtime asks for, until only what the test does not answer is left; then checks each `expect`.
 * Tests run at a fixed time (2024-05-01T10:00:00Z) so that opening hours cannot change the result.
 * Writes one line per test ("FILE:LINE: test \"title\": ok"), and for each failure the
 * expectation, what happened instead and the way the case went; with `coverage`, the branches
 * (if true/false, consent granted/refused, choose options) no test took; and last the line
 * "N passed, N failed". Returns RD_OK (whatever the tests' outcome: see *sum), RD_ERR_IO when
 * writing failed or RD_ERR_NOMEM. */
typedef struct rd_test_summary {
    size_t passed, failed;
    size_t branches, covered; /* filled when coverage is asked for */
} rd_test_summary;
rd_status rd_testrun(rd_program *p, FILE *out, int coverage, rd_test_summary *sum);

/* Lays out the .sop text `text` (len bytes; `name` stands for its file in messages) in the one
 * canonical layout of docs/syntax.md, "Layout": indentation, spacing, braces and blank lines are
 * normalised; comments, texts (never split) and the author's line breaks inside a declaration are
 * kept. Formatting the result again gives it unchanged. Only the file itself is read (no `use`).
 * On RD_OK, *out (NUL-terminated, malloc'd: the caller frees it) holds the new text and *out_len its
 * length. RD_ERR_PROGRAM when the text does not read (its syntax errors, with file, line and
 * column, are in *diags) or when the new layout would not scan to exactly the same tokens (an
 * "fmt-internal" error; a mistake of the formatter, never expected); *out is NULL then.
 * RD_ERR_NOMEM when memory runs out. *diags is always set when diags is not NULL. */
rd_status rd_fmt_text(const char *name, const char *text, size_t len, char **out, size_t *out_len,
                         rd_diagnostics **diags);

/* The SOP's `version` field, or NULL. */
const char *rd_program_version(const rd_program *p);
/* A fingerprint of every file the program was read from (64-bit FNV-1a, 16 hex digits): two
 * decisions with the same fingerprint were made under exactly the same SOP text. */
void rd_program_hash(const rd_program *p, char out[17]);

/* ---- cases at run time ------------------------------------------------------------------------
 * A case is one survivor's way through a pathway: what is known of her situation (facts; one may
 * be unknown when she declined to answer), her answers to consents (as she gave them: narrowed,
 * time-limited, withdrawn), and what was done. Apps load one, ask what to do next and whether a
 * piece of information may go to someone, record what was done, and save it.
 * Privacy: no message from these functions contains a fact's value, a name or any data value. */

typedef struct rd_case rd_case;

/* Times are seconds since 1970, UTC. RD_TIME_NONE stands for "no time": no instant an RFC 3339
 * text can name has that value, so 1970-01-01T00:00:00Z is an instant like any other. */
#define RD_TIME_NONE LLONG_MIN

/* Reads an RFC 3339 date and time with its offset ("2024-05-01T10:00:00Z",
 * "2024-05-01T17:00:00+07:00"; a space may stand for the T). Returns 0 and sets *t, or the 1-based
 * column of the first character that is wrong: a missing offset, a day the month does not have, a
 * field of the wrong width or trailing text are errors, never guesses. */
int rd_time_parse(const char *s, long long *t);

/* Reads a case file (language.md section 8) for program p. NULL on error, with the reasons (file,
 * line, column and key; never a value, never the line's text) added to d. */
rd_case *rd_case_load(rd_program *p, const char *path, rd_diagnostics *d);
void     rd_case_free(rd_case *c);
/* The case's identifier as the case file gives it (an app's reference, not her name), or "". */
const char *rd_case_id(const rd_case *c);
/* Writes the case to path through a temporary file beside it that is flushed and renamed, so a
 * crash leaves the old file or the new one. A symlink is followed and its target replaced; an
 * existing file keeps its mode and group, a new one is private (0600). Any text is written so that
 * rd_case_load reads back exactly what was saved. RD_OK, RD_ERR_IO or RD_ERR_NOMEM. */
rd_status rd_case_save(const rd_case *c, const char *path);

/* Takes an exclusive lock on the case file at path (its target, if a symlink), waiting while
 * another process holds it, and removes what a save that crashed left beside it. Load, change and
 * save under the lock, so that two workers changing one case at once lose neither's change.
 * Returns a handle for rd_case_unlock, or -1 (errno set) when the file cannot be opened. */
int  rd_case_lock(const char *path);
void rd_case_unlock(int lock);

/* Changes a worker makes. Each returns RD_OK, or RD_ERR_PROGRAM with a message in err (naming the
 * fact, consent or kind, never a value). Times are seconds since 1970, UTC. */
rd_status rd_case_set_fact(rd_case *c, const char *fact, const char *value, char *err, size_t errlen);
/* granted 1 or 0; -1 withdraws a consent she gave, from `at` on. A grant recorded again keeps the
 * limits she set before (what she kept back, the only recipients, until when). */
rd_status rd_case_decide(rd_case *c, const char *consent, int granted, long long at, char *err, size_t errlen);
/* The terms of a grant as she states them: `except` the data categories she keeps back and `only`
 * the recipients she allows, each a comma-separated list of the SOP's names ("" lifts the limit),
 * `until` when the grant ends (seconds since 1970, UTC). NULL or RD_TIME_NONE leaves that term as
 * she set it before. Keeping a category back keeps back whatever reveals it. */
typedef struct rd_consent_terms {
    const char *except, *only;
    long long until;
} rd_consent_terms;
/* She grants `consent` at `at`, on `terms` (NULL: on the terms she set before, if any). */
rd_status rd_case_grant(rd_case *c, const char *consent, const rd_consent_terms *terms, long long at, char *err,
                        size_t errlen);
/* kind: "step", "inform", "choose" (a = step, b = option), "refer" (a = actor, b = the service, or NULL when not said), "share" (a = data,
 * b = actor), "report" (a = duty), "permit" (break-glass: a = permit, b = the one flow it is used for as
 * "DATA:ACTOR", reason required; refused unless the permit covers that flow and its condition holds
 * now), "told" (a = permit: she was told afterwards). */
rd_status rd_case_record(rd_case *c, const char *kind, const char *a, const char *b, const char *reason, long long at,
                         char *err, size_t errlen);

typedef enum rd_action_kind {
    RD_ACT_ASK, RD_ACT_INFORM, RD_ACT_SEEK, RD_ACT_CHOOSE, RD_ACT_REFER, RD_ACT_SHARE, RD_ACT_REPORT,
    RD_ACT_TELL_AFTER, RD_ACT_END,
    RD_ACT_TRACE /* rd_case_explain: one thing that happened on the way (text), with its rule */
} rd_action_kind;

/* One thing to do now. `name` is the fact, notice, consent, step, actor, data or duty concerned;
 * `text` what to say or do, in the case's language when there is a text in it (`fallback` 1 when
 * the SOP's first language had to be used instead); `detail` more (what a consent would share
 * with whom, a duty's legal basis, the directory entries for a referral, ranked); `breach` 1 when
 * the case departs from the SOP (a report is due but she was not told first). `file`:`line` is
 * the rule in the SOP. Strings belong to the list. */
typedef struct rd_action {
    rd_action_kind kind;
    const char *name, *text, *detail;
    int fallback, breach;
    const char *file;
    unsigned line;
} rd_action;

typedef struct rd_action_list rd_action_list;

/* What the worker must do now for case c at time `now` (seconds since 1970; it decides whether a
 * time-limited consent still holds), in order: questions, notices, consents to seek, choices to
 * offer, referrals, shares, reports due, ends of branches. Several branches can be open at once.
 * NULL when out of memory. */
rd_action_list *rd_case_next(rd_case *c, long long now);
/* How the case got where it is: each step entered, each condition and how it came out, her
 * answers and choices, notices given, referrals and reports made (RD_ACT_TRACE items, in the order
 * they happened on the pathway, each with the rule's file and line), then what is pending now (as
 * rd_case_next). NULL when out of memory. */
rd_action_list *rd_case_explain(rd_case *c, long long now);
size_t rd_actions_len(const rd_action_list *l);
const rd_action *rd_actions_get(const rd_action_list *l, size_t i);
void rd_actions_free(rd_action_list *l);

typedef enum rd_decision { RD_DENY = 0, RD_ALLOW = 1 } rd_decision;

/* Why a may-share answer is what it is: the rule that decided (a principle, consent, permit or
 * duty, or "default" when none allows it; "unknown" when a name is not in the SOP), its kind, its
 * label, where it is written, and the names asked about as the SOP spells them. Nothing is
 * formatted or allocated while deciding; rd_reason_text writes the sentence when it is wanted.
 * Strings live as long as the program, except `data` and `to` after an "unknown" answer, which
 * point at the caller's own strings. `break_glass` is set when the answer rests on a permit: using
 * it must be recorded with a reason, and she must be told afterwards. */
typedef struct rd_reason {
    const char *rule, *kind, *label, *file;
    unsigned line;
    rd_decision decision;
    const char *data, *to;
    const char *unknown; /* for kind "unknown": "data category" or "actor" */
    int break_glass;
    const char *failed;  /* a computed fact whose Lua failed, so it counted as unknown, or NULL */
    int ask_again;       /* denied by her consent because its text now shares more, or with more
                            recipients, than when she answered: she must be asked again */
    const char *notice;  /* denied because the duty requiring the report has a notice she has not
                            been given yet: this one */
} rd_reason;

/* May `data` go from actor `from` to actor `to` in case c at time `now`? Denied unless a rule
 * allows it: `never ... reaches` principles deny whatever any consent says; a consent applies as
 * she gave it (narrowed, time-limited, withdrawn); a permit only while its condition holds; a duty
 * only where it applies. Unknown names are denied, with the reason saying so. Does not allocate (except
 * that, for an SOP with facts computed by Lua, the first question about a case opens its sandbox).
 * rd_case_next, rd_case_explain and rd_may_share each give the Lua calls they make one budget
 * together (docs/syntax.md, "Limits"). */
rd_decision rd_may_share(rd_case *c, const char *data, const char *from, const char *to, long long now, rd_reason *why);

/* ---- Cedar -----------------------------------------------------------------------------------
 * The SOP's may-share rules in Cedar (https://docs.cedarpolicy.com), so that its decisions can be
 * checked against, and timed beside, Cedar's (bench/cedar/; the mapping is in docs/cedar.md).
 * Requests: principal the recipient (Actor::"id"), action Action::"share", resource the data
 * (Data::"id"), context from rd_cedar_write_context. Under these, Cedar's decision is
 * rd_may_share's, and the @id of each policy that decides ("principle:ID", "consent:ID",
 * "permit:ID", "duty:ID", "unknown") names the rule rd_may_share gives as its reason. */
typedef enum rd_cedar_part {
    RD_CEDAR_POLICIES, /* policies.cedar: one forbid per `never ... reaches`, one permit per consent, permit and duty */
    RD_CEDAR_ENTITIES, /* entities.json: sectors, actors (in their sector), data (in what they reveal and their attributes) */
    RD_CEDAR_SCHEMA    /* schema.cedarschema: the entity types and the context of Action::"share" */
} rd_cedar_part;
/* Writes one part for program p. Returns RD_OK, RD_ERR_IO (writing failed), RD_ERR_NOMEM (nothing
 * written then), or RD_ERR_PROGRAM (nothing written) when the policies' conditions, written out in
 * full (Cedar cannot name a part of one), would pass 16 MiB: the error, at the condition where they
 * did, is added to d (may be NULL). The program's graph is built if it was not. */
rd_status rd_cedar_write(rd_program *p, rd_cedar_part part, rd_diagnostics *d, FILE *out);
/* Writes the context of a may-share question about case c asked at time `now` by actor `from` (not
 * NULL), as one line of JSON: {"from": Actor, "now": seconds, "consents": {ID: {"granted", "except":
 * [Data], "only": [Actor] (when she named them), "until", "withdrawn" (when given)}}, "facts": {ID:
 * value}}. Consents she has not answered and facts not known are left out; facts computed from a
 * condition are left out too (the policies compute them); a fact computed by Lua is given with the
 * value the runtime computes. Returns RD_OK, RD_ERR_IO or RD_ERR_NOMEM. */
rd_status rd_cedar_write_context(rd_case *c, const char *from, long long now, FILE *out);

/* The reason as one sentence for a person, written into buf (at most size bytes, always
 * terminated, cut short if it does not fit). Returns buf. */
const char *rd_reason_text(const rd_reason *why, char *buf, size_t size);

#ifdef __cplusplus
}
#endif
#endif
