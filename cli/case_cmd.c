/* `rightdoor next`, `rightdoor may-share` and `rightdoor case`: load the SOP and the case, ask the
 * library, print (text for people, JSON for programs). Exit codes as everywhere: 0 done, 1 errors
 * in the SOP or the case, 2 usage or an unreadable file, 3 out of memory. */
#include "case_cmd.h"
#include "common.h"
#define _DEFAULT_SOURCE /* gmtime_r */
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>


/* Compiles the SOP and loads the case; on failure prints why and returns the exit code. */
static int open_case(const char *sop, const char *case_path, const rd_options *opt, rd_program **p, rd_case **c,
                     rd_diagnostics **d)
{
    *c = NULL;
    *p = rd_compile(sop, opt, d);
    if (!*p) {
        rd_diagnostics_print(*d, stderr, 0);
        return cli_exit_code(*d ? rd_diagnostics_status(*d) : RD_ERR_NOMEM);
    }
    *c = rd_case_load(*p, case_path, *d);
    if (!*c) {
        rd_diagnostics_print(*d, stderr, 0);
        rd_status st = rd_diagnostics_status(*d);
        return cli_exit_code(st == RD_OK ? RD_ERR_PROGRAM : st);
    }
    return 0;
}

/* One line of the decision log (--decision-log): what was asked and answered, under which SOP,
 * for which case, by which rule; never a fact, a name or any value from the case. One write(2)
 * of one line with O_APPEND, so lines from several processes do not interleave. */
static int log_decision(const char *path, const rd_program *p, const rd_case *c, json_t *entry)
{
    if (!path) return 0;
    unsigned char rnd[8] = {0};
    FILE *ur = fopen("/dev/urandom", "rb");
    if (ur) {
        if (fread(rnd, 1, sizeof rnd, ur) != sizeof rnd) memset(rnd, 0, sizeof rnd);
        fclose(ur);
    }
    char id[20], hash[17], when[32];
    snprintf(id, sizeof id, "d-%02x%02x%02x%02x%02x%02x%02x%02x", rnd[0], rnd[1], rnd[2], rnd[3], rnd[4], rnd[5], rnd[6], rnd[7]);
    rd_program_hash(p, hash);
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
    json_object_set_new(entry, "id", json_string(id));
    json_object_set_new(entry, "time", json_string(when));
    json_object_set_new(entry, "sop_hash", json_string(hash));
    const char *v = rd_program_version(p);
    json_object_set_new(entry, "sop_version", v ? json_string(v) : json_null());
    json_object_set_new(entry, "case", json_string(rd_case_id(c)));
    char *line = json_dumps(entry, JSON_COMPACT | JSON_PRESERVE_ORDER);
    if (!line) return -1;
    size_t n = strlen(line);
    line[n] = '\n'; /* json_dumps leaves room: the terminator becomes the newline */
    /* non-blocking, and only a regular file: a FIFO named as the log must not hang the question */
    int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_NONBLOCK, 0600);
    struct stat st;
    if (fd >= 0 && (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))) {
        close(fd);
        fd = -1;
    }
    int ok = fd >= 0 && write(fd, line, n + 1) == (ssize_t)(n + 1);
    if (fd >= 0) ok &= close(fd) == 0;
    free(line);
    if (!ok) fprintf(stderr, "rightdoor: could not append to the decision log %s\n", path);
    return ok ? 0 : -1;
}

static const char *const kind_name[] = {"ask", "inform", "seek", "choose", "refer", "share", "report", "tell_after", "end",
                                        "trace"};

int cmd_next(const char *sop, const char *case_path, const rd_options *opt, int json, long long now, int explain,
             const char *log)
{
    rd_program *p;
    rd_case *c;
    rd_diagnostics *d = NULL;
    int rc = open_case(sop, case_path, opt, &p, &c, &d);
    if (rc) goto out;
    rd_action_list *l = explain ? rd_case_explain(c, now) : rd_case_next(c, now);
    if (!l) {
        rc = 3;
        goto out;
    }
    if (log) {
        json_t *e = json_object(), *acts = json_array();
        json_object_set_new(e, "command", json_string(explain ? "explain" : "next"));
        for (size_t i = 0; i < rd_actions_len(l); i++) {
            const rd_action *a = rd_actions_get(l, i);
            if (a->kind == RD_ACT_TRACE) continue;
            json_t *o = json_object();
            json_object_set_new(o, "kind", json_string(kind_name[a->kind]));
            json_object_set_new(o, "name", json_string(a->name ? a->name : ""));
            json_object_set_new(o, "rule_file", a->file ? json_string(a->file) : json_null());
            json_object_set_new(o, "rule_line", json_integer(a->line));
            json_array_append_new(acts, o);
        }
        json_object_set_new(e, "actions", acts);
        if (log_decision(log, p, c, e) != 0) rc = 2;
        json_decref(e);
    }
    if (json) {
        json_t *root = json_object(), *acts = json_array();
        for (size_t i = 0; i < rd_actions_len(l); i++) {
            const rd_action *a = rd_actions_get(l, i);
            json_t *o = json_object();
            json_object_set_new(o, "kind", json_string(kind_name[a->kind]));
            json_object_set_new(o, "name", json_string(a->name ? a->name : ""));
            json_object_set_new(o, "text", a->text ? json_string(a->text) : json_null());
            json_object_set_new(o, "detail", a->detail ? json_string(a->detail) : json_null());
            json_object_set_new(o, "language_fallback", json_boolean(a->fallback));
            json_object_set_new(o, "breach", json_boolean(a->breach));
            json_object_set_new(o, "file", a->file ? json_string(a->file) : json_null());
            json_object_set_new(o, "line", json_integer(a->line));
            json_array_append_new(acts, o);
        }
        json_object_set_new(root, "actions", acts);
        rc = json_dumpf(root, stdout, JSON_INDENT(1) | JSON_PRESERVE_ORDER) == 0 && fputc('\n', stdout) != EOF ? 0 : 2;
        json_decref(root);
    } else {
        int pending = 0;
        for (size_t i = 0; i < rd_actions_len(l); i++) {
            const rd_action *a = rd_actions_get(l, i);
            if (a->kind == RD_ACT_TRACE) {
                printf("%s\n", a->text);
                if (a->file) printf("    (%s:%u)\n", a->file, a->line);
                continue;
            }
            if (explain && !pending++) printf("now:\n");
            printf("%s %s: %s%s\n", kind_name[a->kind], a->name ? a->name : "", a->text ? a->text : "",
                   a->fallback ? " [not translated into the case's language]" : "");
            /* a detail of several lines (what must not be sent) keeps the indent on each */
            for (const char *line = a->detail; line && *line;) {
                size_t len = strcspn(line, "\n");
                printf("    %.*s\n", (int)len, line);
                line += len + (line[len] == '\n');
            }
            if (a->file) printf("    (%s:%u)\n", a->file, a->line);
        }
        if (!rd_actions_len(l)) printf("nothing to do now\n");
    }
    rd_actions_free(l);
out:
    rd_case_free(c);
    rd_program_free(p);
    rd_diagnostics_free(d);
    return rc;
}

int cmd_may_share(const char *sop, const char *case_path, const char *data, const char *from, const char *to,
                  const rd_options *opt, int json, long long now, const char *log)
{
    rd_program *p;
    rd_case *c;
    rd_diagnostics *d = NULL;
    int rc = open_case(sop, case_path, opt, &p, &c, &d);
    if (rc) goto out;
    rd_reason why;
    char text[512];
    rd_decision dec = rd_may_share(c, data, from, to, now, &why);
    rd_reason_text(&why, text, sizeof text);
    if (log) {
        /* the question names SOP vocabulary (a data category, two actors), not her data; a name that
         * is not the SOP's may be anything typed, so it is not logged */
        int known = strcmp(why.kind, "unknown") != 0;
        json_t *e = json_object();
        json_object_set_new(e, "command", json_string("may-share"));
        json_object_set_new(e, "data", known ? json_string(data) : json_null());
        json_object_set_new(e, "from", known ? json_string(from) : json_null());
        json_object_set_new(e, "to", known ? json_string(to) : json_null());
        json_object_set_new(e, "decision", json_string(dec == RD_ALLOW ? "allow" : "deny"));
        json_object_set_new(e, "rule", json_string(why.rule ? why.rule : ""));
        json_object_set_new(e, "rule_kind", json_string(why.kind ? why.kind : ""));
        json_object_set_new(e, "rule_file", why.file ? json_string(why.file) : json_null());
        json_object_set_new(e, "rule_line", json_integer(why.line));
        if (log_decision(log, p, c, e) != 0) rc = 2;
        json_decref(e);
    }
    if (json) {
        json_t *o = json_object();
        json_object_set_new(o, "decision", json_string(dec == RD_ALLOW ? "allow" : "deny"));
        json_object_set_new(o, "reason", json_string(text));
        json_object_set_new(o, "rule", json_string(why.rule ? why.rule : ""));
        json_object_set_new(o, "rule_kind", json_string(why.kind ? why.kind : ""));
        json_object_set_new(o, "file", why.file ? json_string(why.file) : json_null());
        json_object_set_new(o, "line", json_integer(why.line));
        json_object_set_new(o, "break_glass", json_boolean(why.break_glass));
        rc = json_dumpf(o, stdout, JSON_INDENT(1) | JSON_PRESERVE_ORDER) == 0 && fputc('\n', stdout) != EOF ? 0 : 2;
        json_decref(o);
    } else {
        printf("%s: %s\n", dec == RD_ALLOW ? "allow" : "deny", text);
        if (why.file) printf("    (%s:%u)\n", why.file, why.line);
    }
out:
    rd_case_free(c);
    rd_program_free(p);
    rd_diagnostics_free(d);
    return rc;
}

int cmd_case(const char *sop, const char *case_path, const rd_options *opt, const cli_change *ch, size_t n,
             const char *reason, long long now)
{
    rd_program *p = NULL;
    rd_case *c = NULL;
    rd_diagnostics *d = NULL;
    /* Load, change and save under the case's lock: a worker recording her withdrawal while another
     * records a fact must not lose the withdrawal. */
    int lock = rd_case_lock(case_path);
    if (lock < 0) {
        fprintf(stderr, "rightdoor: cannot open the case file %s: %s\n", case_path, strerror(errno));
        return 2;
    }
    int rc = open_case(sop, case_path, opt, &p, &c, &d);
    if (rc) goto out;
    char err[256];
    for (size_t i = 0; i < n && !rc; i++) {
        const char *w = ch[i].what, *arg = ch[i].arg;
        char *buf = strdup(arg); /* whole, however long: a value cut short would be saved cut short */
        if (!buf) {
            rc = 3;
            break;
        }
        char *sep = strpbrk(buf, "=.:");
        rd_status st = RD_OK;
        if (!strcmp(w, "set")) {
            if (!sep || *sep != '=') {
                fprintf(stderr, "rightdoor: --set takes FACT=VALUE\n");
                rc = 2;
            } else {
                *sep = '\0';
                st = rd_case_set_fact(c, buf, sep + 1, err, sizeof err);
            }
        } else if (!strcmp(w, "grant")) {
            /* --except, --only and --until that follow are the terms of this grant */
            rd_consent_terms terms = {NULL, NULL, RD_TIME_NONE};
            int any = 0;
            while (i + 1 < n && (!strcmp(ch[i + 1].what, "except") || !strcmp(ch[i + 1].what, "only") ||
                                 !strcmp(ch[i + 1].what, "until"))) {
                const cli_change *t = &ch[++i];
                any = 1;
                if (t->what[0] == 'e') terms.except = t->arg;
                else if (t->what[0] == 'o') terms.only = t->arg;
                else if (rd_time_parse(t->arg, &terms.until) != 0) {
                    fprintf(stderr, "rightdoor: --until takes a time with its offset, such as 2024-05-01T10:00:00Z\n");
                    rc = 2;
                }
            }
            if (!rc) st = any ? rd_case_grant(c, arg, &terms, now, err, sizeof err) : rd_case_decide(c, arg, 1, now, err, sizeof err);
        } else if (!strcmp(w, "except") || !strcmp(w, "only") || !strcmp(w, "until")) {
            fprintf(stderr, "rightdoor: --%s is a term of a grant: write it after --grant CONSENT\n", w);
            rc = 2;
        } else if (!strcmp(w, "refuse") || !strcmp(w, "withdraw")) {
            st = rd_case_decide(c, arg, w[0] == 'r' ? 0 : -1, now, err, sizeof err);
        } else if (!strcmp(w, "choose") || !strcmp(w, "shared")) {
            if (!sep) {
                fprintf(stderr, "rightdoor: --%s takes %s\n", w, w[0] == 'c' ? "STEP.OPTION" : "DATA:ACTOR");
                rc = 2;
            } else {
                *sep = '\0';
                st = rd_case_record(c, w[0] == 'c' ? "choose" : "share", buf, sep + 1, NULL, now, err, sizeof err);
            }
        } else {
            static const struct { const char *opt, *kind; } map[] = {{"informed", "inform"}, {"referred", "refer"},
                                                                     {"reported", "report"}, {"permit", "permit"},
                                                                     {"told", "told"},       {"step", "step"}};
            const char *kind = NULL;
            for (size_t k = 0; k < sizeof map / sizeof *map; k++)
                if (!strcmp(w, map[k].opt)) kind = map[k].kind;
            /* --referred ACTOR:SERVICE says what she was referred for; --permit P:DATA:ACTOR the one
             * flow a permit was used for */
            const char *b = NULL;
            if ((!strcmp(w, "referred") || !strcmp(w, "permit")) && sep && *sep == ':') {
                *sep = '\0';
                b = sep + 1;
            }
            st = rd_case_record(c, kind, b ? buf : arg, b, !strcmp(w, "permit") ? reason : NULL, now, err, sizeof err);
        }
        free(buf);
        if (st != RD_OK) {
            fprintf(stderr, "rightdoor: %s: %s\n", case_path, err);
            rc = cli_exit_code(st);
        }
    }
    if (!rc) {
        rd_status st = rd_case_save(c, case_path);
        if (st != RD_OK) fprintf(stderr, "rightdoor: could not save %s; the file is unchanged\n", case_path);
        rc = cli_exit_code(st);
    }
out:
    rd_case_free(c);
    rd_program_free(p);
    rd_diagnostics_free(d);
    rd_case_unlock(lock);
    return rc;
}
