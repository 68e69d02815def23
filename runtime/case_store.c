#define _DEFAULT_SOURCE /* realpath, strndup */
/* The case file as a store that keeps its promises. A case holds a survivor's facts and her
 * answers, and several workers (or processes of one app) may change it at once, so:
 * - writers take an exclusive lock (rd_case_lock) around load, change and save, and no update is
 *   lost, a withdrawal above all;
 * - a save writes a temporary file beside the real one (a symlink is followed: its target is
 *   replaced), flushes it and renames it over, so a crash leaves the old case or the new one; the
 *   file keeps its mode and group (a team's shared case stays shared); a new one is private (0600);
 * - the YAML is written by libyaml's emitter, so no value, however strange, can break the file or
 *   inject a key into it;
 * - what a crashed save left behind (CASE.rightdoor-save.XXXXXX) is removed by the next writer's
 *   lock. */
#include "case.h"
#include "rdtime.h"
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yaml.h>

/* ---- writing the YAML -------------------------------------------------------------------------- */

typedef struct emit {
    yaml_emitter_t em;
    int failed;
} emit;

static void ev(emit *e, yaml_event_t *event, int made)
{
    if (!made) {
        e->failed = 1;
        return;
    }
    if (e->failed) {
        yaml_event_delete(event);
        return;
    }
    if (!yaml_emitter_emit(&e->em, event)) e->failed = 1; /* the emitter frees the event either way */
}

/* A name of the SOP (an identifier) plainly; any other text double-quoted, which the emitter
 * escapes so that every character reads back as it was. */
static void scalar(emit *e, const char *s, int text)
{
    yaml_event_t x;
    ev(e, &x, yaml_scalar_event_initialize(&x, NULL, NULL, (yaml_char_t *)s, (int)strlen(s), 1, 1,
                                           text ? YAML_DOUBLE_QUOTED_SCALAR_STYLE : YAML_ANY_SCALAR_STYLE));
}

static void pair(emit *e, const char *key, const char *value, int text)
{
    scalar(e, key, 0);
    scalar(e, value, text);
}

/* A mapping (seq 0) or a sequence (seq 1) begins, in flow style ({...}, [...]) or block style. */
static void open_node(emit *e, int seq, int flow)
{
    yaml_event_t x;
    if (seq)
        ev(e, &x, yaml_sequence_start_event_initialize(&x, NULL, NULL, 1, flow ? YAML_FLOW_SEQUENCE_STYLE : YAML_BLOCK_SEQUENCE_STYLE));
    else
        ev(e, &x, yaml_mapping_start_event_initialize(&x, NULL, NULL, 1, flow ? YAML_FLOW_MAPPING_STYLE : YAML_BLOCK_MAPPING_STYLE));
}

static void close_node(emit *e, int seq)
{
    yaml_event_t x;
    ev(e, &x, seq ? yaml_sequence_end_event_initialize(&x) : yaml_mapping_end_event_initialize(&x));
}

static void time_pair(emit *e, const char *key, long long t)
{
    char buf[RD_TIME_TEXT];
    if (t == RD_TIME_NONE) return;
    if (rd_time_format(t, buf) != 0) {
        e->failed = 1;
        return;
    }
    pair(e, key, buf, 1);
}

static void set_pair(emit *e, const char *key, const unsigned char *set, const rd_decl *const *decls, uint32_t n)
{
    if (!set) return;
    scalar(e, key, 0);
    open_node(e, 1, 1);
    for (uint32_t i = 0; i < n; i++)
        if (set[i]) scalar(e, decls[i]->id, 0);
    close_node(e, 1);
}

static void fact_value(emit *e, const rd_decl *fd, const rd_fact_value *fv)
{
    char num[32];
    if (fv->state == RD_FV_UNKNOWN) {
        scalar(e, "unknown", 0);
    } else if (fd->u.fact.type == RD_T_BOOL) {
        scalar(e, fv->v ? "true" : "false", 0);
    } else if (fd->u.fact.type == RD_T_INT) {
        snprintf(num, sizeof num, "%lld", fv->v);
        scalar(e, num, 0);
    } else {
        const rd_ref *r = fd->u.fact.values;
        for (long long k = 0; r && k < fv->v; k++) r = r->next;
        scalar(e, r ? r->id : "unknown", 0);
    }
}

static void events(emit *e, const rd_case *c)
{
    static const char *const key[] = {"step", "inform", "choose", "refer", "share", "report", "permit", "told"};
    open_node(e, 1, 0);
    for (size_t i = 0; i < c->nevents; i++) {
        const rd_event *x = &c->events[i];
        open_node(e, 0, 1);
        scalar(e, key[x->kind], 0);
        if (x->kind == RD_EV_CHOOSE) {
            size_t n = strlen(x->a) + strlen(x->b) + 2;
            char *both = malloc(n);
            if (!both) {
                e->failed = 1;
                return;
            }
            snprintf(both, n, "%s.%s", x->a, x->b);
            scalar(e, both, 0);
            free(both);
        } else {
            scalar(e, x->a ? x->a : "", 0);
        }
        if (x->kind == RD_EV_SHARE && x->b) pair(e, "with", x->b, 0);
        if (x->kind == RD_EV_REFER && x->b) pair(e, "for", x->b, 0);
        if (x->kind == RD_EV_PERMIT && x->data) {
            pair(e, "data", x->data, 0);
            pair(e, "with", x->b, 0);
        }
        if (x->by) pair(e, "by", x->by, 1);
        if (x->reason) pair(e, "reason", x->reason, 1);
        time_pair(e, "at", x->at);
        close_node(e, 0);
    }
    close_node(e, 1);
}

static int write_case(const rd_case *c, FILE *f)
{
    const rd_graph *g = c->g;
    emit e = {.failed = 0};
    if (!yaml_emitter_initialize(&e.em)) return -1;
    yaml_emitter_set_output_file(&e.em, f);
    yaml_emitter_set_unicode(&e.em, 1);
    yaml_emitter_set_width(&e.em, -1);
    yaml_event_t x;
    ev(&e, &x, yaml_stream_start_event_initialize(&x, YAML_UTF8_ENCODING));
    ev(&e, &x, yaml_document_start_event_initialize(&x, NULL, NULL, NULL, 1));
    open_node(&e, 0, 0);
    if (c->sop) pair(&e, "sop", c->sop, 1);
    /* which text of the SOP the case was opened under: kept from the first save on */
    char hash[17];
    rd_program_hash(c->p, hash);
    pair(&e, "sop_fingerprint", c->opened_under ? c->opened_under : hash, 1);
    pair(&e, "case", c->id ? c->id : "", 1);
    pair(&e, "language", c->language ? c->language : "", 1);
    pair(&e, "opened_by", g->actors[c->opened_by]->id, 0);
    pair(&e, "pathway", c->pathway->id, 0);
    /* an empty section is written {} or [], which reads back as empty, not as null */
    scalar(&e, "facts", 0);
    int any = 0;
    for (uint32_t i = 0; i < g->nfacts; i++) any |= c->facts[i].state != RD_FV_UNSET;
    open_node(&e, 0, !any);
    for (uint32_t i = 0; i < g->nfacts; i++) {
        if (c->facts[i].state == RD_FV_UNSET) continue;
        scalar(&e, g->facts[i]->id, 0);
        fact_value(&e, g->facts[i], &c->facts[i]);
    }
    close_node(&e, 0);
    scalar(&e, "consents", 0);
    any = 0;
    for (uint32_t i = 0; i < g->nconsents; i++) any |= c->consents[i].state != RD_CS_UNSET;
    open_node(&e, 0, !any);
    for (uint32_t i = 0; i < g->nconsents; i++) {
        const rd_consent_value *cv = &c->consents[i];
        if (cv->state == RD_CS_UNSET) continue;
        scalar(&e, g->consents[i]->id, 0);
        open_node(&e, 0, 1);
        pair(&e, "granted", cv->state == RD_CS_GRANTED ? "true" : "false", 0);
        time_pair(&e, "at", cv->at);
        time_pair(&e, "until", cv->until);
        time_pair(&e, "withdrawn", cv->withdrawn);
        set_pair(&e, "except", cv->except, g->data, g->ndata);
        set_pair(&e, "only", cv->only, g->actors, g->nactors);
        set_pair(&e, "shared", cv->agreed, g->data, g->ndata);
        set_pair(&e, "to", cv->agreed_to, g->actors, g->nactors);
        close_node(&e, 0);
    }
    close_node(&e, 0);
    scalar(&e, "events", 0);
    events(&e, c);
    close_node(&e, 0);
    ev(&e, &x, yaml_document_end_event_initialize(&x, 1));
    ev(&e, &x, yaml_stream_end_event_initialize(&x));
    int ok = !e.failed && yaml_emitter_flush(&e.em);
    yaml_emitter_delete(&e.em);
    return ok && !ferror(f) ? 0 : -1;
}

/* ---- the file ----------------------------------------------------------------------------------- */

/* Between a case's name and mkstemp's six characters: a name no other program gives a file, so
 * that cleaning up after a crashed save never removes anyone's backup. */
#define SAVE_TAG ".rightdoor-save."

/* The file a save replaces: path itself, or where its symlinks lead. malloc'd, NULL when out of
 * memory or when a link leads nowhere that can be named. */
static char *target_of(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0 || !S_ISLNK(st.st_mode)) return strdup(path);
    return realpath(path, NULL);
}

/* The folder of `path` ("." when it names none), malloc'd. */
static char *folder_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash) return strdup(".");
    if (slash == path) return strdup("/");
    return strndup(path, (size_t)(slash - path));
}

rd_status rd_case_save(const rd_case *c, const char *path)
{
    char *target = target_of(path);
    if (!target) return errno == ENOMEM ? RD_ERR_NOMEM : RD_ERR_IO;
    size_t n = strlen(target) + sizeof SAVE_TAG + 8;
    char *tmp = malloc(n);
    if (!tmp) {
        free(target);
        return RD_ERR_NOMEM;
    }
    snprintf(tmp, n, "%s" SAVE_TAG "XXXXXX", target);
    int fd = mkstemp(tmp); /* 0600: her data, private unless the case file says otherwise */
    if (fd < 0) {
        free(tmp);
        free(target);
        return RD_ERR_IO;
    }
    struct stat old;
    int ok = 1;
    if (stat(target, &old) == 0) {
        /* the same mode and group as the file it replaces; the owner stays whoever saves */
        mode_t mode = old.st_mode & 0777;
        /* The old group, always (a setgid folder gives a new file its own): a group we cannot give
         * the file must not be given what the old group could read. */
        if (fchown(fd, (uid_t)-1, old.st_gid) != 0) mode &= 0700;
        ok = fchmod(fd, mode) == 0;
    }
    FILE *f = ok ? fdopen(fd, "w") : NULL;
    ok = f && write_case(c, f) == 0 && fflush(f) == 0 && fsync(fd) == 0;
    if (f) ok &= fclose(f) == 0;
    else close(fd);
    if (ok) ok = rename(tmp, target) == 0;
    if (!ok) unlink(tmp);
    if (ok) {
        /* the rename itself must survive a crash: sync the folder */
        char *dir = folder_of(target);
        int dfd = dir ? open(dir, O_RDONLY | O_DIRECTORY) : -1;
        if (dfd >= 0) {
            fsync(dfd);
            close(dfd);
        }
        free(dir);
    }
    free(tmp);
    free(target);
    return ok ? RD_OK : RD_ERR_IO;
}

/* Removes what a save killed between its temporary file and the rename left beside `target`: the
 * temporary holds a whole case (her data) that nothing will ever read. Called under the lock,
 * when no save of this case can be under way. */
static void remove_stale(const char *target)
{
    char *dir = folder_of(target);
    const char *slash = strrchr(target, '/');
    const char *base = slash ? slash + 1 : target;
    size_t blen = strlen(base);
    DIR *dh = dir ? opendir(dir) : NULL;
    struct dirent *de;
    while (dh && (de = readdir(dh))) {
        const char *name = de->d_name;
        size_t tl = sizeof SAVE_TAG - 1;
        if (strncmp(name, base, blen) != 0 || strncmp(name + blen, SAVE_TAG, tl) != 0 || strlen(name + blen + tl) != 6)
            continue;
        size_t n = strlen(dir) + strlen(name) + 2;
        char *p = malloc(n);
        if (!p) break;
        snprintf(p, n, "%s/%s", dir, name);
        struct stat st;
        /* only what a save of ours could have made: a private regular file of this user */
        if (lstat(p, &st) == 0 && S_ISREG(st.st_mode) && st.st_uid == geteuid() && (st.st_mode & 077) == 0) unlink(p);
        free(p);
    }
    if (dh) closedir(dh);
    free(dir);
}

int rd_case_lock(const char *path)
{
    char *target = target_of(path);
    if (!target) return -1;
    for (int tries = 0; tries < 1000; tries++) {
        /* non-blocking, and only a regular file: a FIFO named as the case must not hang a writer */
        int fd = open(target, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
        struct stat st;
        if (fd >= 0 && (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))) {
            close(fd);
            errno = EINVAL;
            fd = -1;
        }
        if (fd < 0) break;
        if (flock(fd, LOCK_EX) != 0) {
            close(fd);
            break;
        }
        /* A save renames a new file over the one we waited on: lock the file the name leads to now. */
        struct stat held, now;
        if (fstat(fd, &held) == 0 && stat(target, &now) == 0 && held.st_dev == now.st_dev && held.st_ino == now.st_ino) {
            remove_stale(target);
            free(target);
            return fd;
        }
        close(fd);
    }
    free(target);
    return -1;
}

void rd_case_unlock(int lock)
{
    if (lock >= 0) close(lock);
}
