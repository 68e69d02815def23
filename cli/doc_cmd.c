/* `rightdoor doc FILE.sop [-o out.html|out.md] [--format html|md]`: compile and verify the SOP,
 * then write it as a document. Without -o, Markdown goes to standard output. A file is written to
 * a temporary file in the same folder, flushed and renamed, so there is never a half-written
 * document. Exit codes: 0 written, 1 the SOP has errors (nothing written) or a principle fails
 * (the document is written and says so), 2 usage or a file that cannot be read or written, 3 out
 * of memory. */
#define _DEFAULT_SOURCE /* mkstemp, fsync, open_memstream */
#include "doc_cmd.h"
#include "common.h"
#include "graphviz.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The format asked for: --format wins, then the extension of -o. -1 when neither says. */
static int pick_format(const char *format, const char *out_path)
{
    if (format) return !strcmp(format, "html") ? RD_DOC_HTML : !strcmp(format, "md") ? RD_DOC_MARKDOWN : -1;
    if (!out_path) return RD_DOC_MARKDOWN;
    if (cli_ends_with(out_path, ".html") || cli_ends_with(out_path, ".htm")) return RD_DOC_HTML;
    if (cli_ends_with(out_path, ".md") || cli_ends_with(out_path, ".markdown")) return RD_DOC_MARKDOWN;
    return -1;
}

/* Writes the document to path via a temporary file beside it. */
static rd_status write_file(rd_program *p, const rd_diagnostics *d, const rd_doc_options *o, const char *path)
{
    char *tmp = NULL;
    int fd = cli_temp_beside(path, CLI_NEW_FILE, &tmp);
    if (fd < 0) {
        fprintf(stderr, "rightdoor: cannot write `%s`: %s\n", path, strerror(errno));
        return errno == ENOMEM ? RD_ERR_NOMEM : RD_ERR_IO;
    }
    FILE *f = fdopen(fd, "w");
    if (!f) {
        close(fd);
        unlink(tmp);
        free(tmp);
        return RD_ERR_NOMEM;
    }
    rd_status st = rd_doc_write(p, d, o, f);
    if (st == RD_OK && (fflush(f) != 0 || fsync(fileno(f)) != 0)) st = RD_ERR_IO;
    if (fclose(f) != 0 && st == RD_OK) st = RD_ERR_IO;
    if (st == RD_OK && rename(tmp, path) != 0) st = RD_ERR_IO;
    if (st != RD_OK) {
        fprintf(stderr, "rightdoor: could not write `%s`%s\n", path, st == RD_ERR_NOMEM ? ": out of memory" : "");
        unlink(tmp);
    }
    free(tmp);
    return st;
}

/* The pathway diagram in DOT (rd_dot_write), in memory; NULL when out of memory. */
static char *diagram_dot(rd_program *p, const rd_diagnostics *d)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    if (!m) return NULL;
    rd_status st = rd_dot_write(p, d, m);
    if (fclose(m) != 0 || st != RD_OK) {
        free(buf);
        return NULL;
    }
    return buf;
}

int cmd_doc(const char *sop, const rd_options *opt, const char *format, const char *out_path)
{
    int fmt = pick_format(format, out_path);
    if (fmt < 0) {
        fprintf(stderr, format ? "rightdoor: `doc` writes --format html or md\n"
                               : "rightdoor: say which format to write: name the file .html or .md, or add --format html|md\n");
        return 2;
    }
    rd_diagnostics *d = NULL;
    rd_program *p = rd_compile(sop, opt, &d);
    if (!p) {
        rd_diagnostics_print(d, stderr, 0);
        rd_status st = d ? rd_diagnostics_status(d) : RD_ERR_NOMEM;
        rd_diagnostics_free(d);
        return cli_exit_code(st);
    }
    rd_status vst = rd_verify(p, d);
    /* Markdown names the command that draws the diagram rather than carry the drawing. */
    char *dot = vst == RD_ERR_NOMEM || fmt != RD_DOC_HTML ? NULL : diagram_dot(p, d);
    char *svg = NULL, why[160];
    size_t svg_len;
    cli_dot_status ds = dot ? cli_dot_draw(dot, strlen(dot), "svg", 1, &svg, &svg_len, why, sizeof why) : CLI_DOT_MISSING;
    /* The document is what a committee signs and trains with; the drawing only shows what section
     * 5.3 says in words. A diagram Graphviz cannot draw within its limits is left out, and the
     * document says so where it would be, rather than no document at all. */
    const char *skipped = ds == CLI_DOT_TOO_BIG || ds == CLI_DOT_FAILED ? why : NULL;
    if (skipped)
        fprintf(stderr, "rightdoor: %s: the pathway diagram is left out of the document: Graphviz's `dot` %s\n", sop, why);
    rd_doc_options o = {(rd_doc_format)fmt, svg, ds == CLI_DOT_MISSING ? dot : NULL, skipped};
    rd_status st = vst == RD_ERR_NOMEM || ds == CLI_DOT_NOMEM ? RD_ERR_NOMEM
                 : out_path ? write_file(p, d, &o, out_path) : rd_doc_write(p, d, &o, stdout);
    if (st == RD_OK && vst == RD_ERR_PROGRAM) {
        fprintf(stderr, "rightdoor: %s: some principles fail; the document says which (component 4). "
                        "`rightdoor check %s` shows the details.\n", sop, sop);
        st = RD_ERR_PROGRAM;
    }
    free(svg);
    free(dot);
    rd_program_free(p);
    rd_diagnostics_free(d);
    return cli_exit_code(st);
}
