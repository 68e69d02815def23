/* Running Graphviz's `dot` under limits (graphviz.h). The child gets an address-space limit and a
 * CPU-time limit of its own (setrlimit, which posix_spawn cannot set: hence fork and exec), and
 * dies with rightdoor (PR_SET_PDEATHSIG on Linux), so a killed run leaves no `dot` running; the
 * parent kills it at the wall-clock limit. Input and output go through pipes, written and read
 * together (poll), so neither side waits on the other and no temporary file exists. */
#define _DEFAULT_SOURCE
#include "graphviz.h"
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

static long long now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static void close_fd(int *fd)
{
    if (*fd >= 0) close(*fd);
    *fd = -1;
}

/* Lowers a limit to `want`, never above the hard limit already set. */
static void lower_limit(int resource, rlim_t want)
{
    struct rlimit r;
    if (getrlimit(resource, &r) != 0) return;
    if (r.rlim_max != RLIM_INFINITY && r.rlim_max < want) want = r.rlim_max;
    r.rlim_cur = r.rlim_max = want;
    setrlimit(resource, &r);
}

/* In the child: stdin from `in`, stdout to `out`, stderr to /dev/null when quiet, the limits, then
 * `dot`. If exec fails, its errno goes back through `report` (closed on exec, so silence means
 * success). */
static void run_child(int in, int out, int report, int other_in, int other_out, int quiet, pid_t parent, char **argv)
{
#ifdef __linux__
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(127); /* rightdoor died before the line above */
#else
    (void)parent;
#endif
    close(other_in);
    close(other_out);
    int nul = quiet ? open("/dev/null", O_WRONLY) : -1;
    if (dup2(in, 0) < 0 || dup2(out, 1) < 0 || (nul >= 0 && dup2(nul, 2) < 0)) _exit(127);
    close(in);
    close(out);
    if (nul > 2) close(nul);
    lower_limit(RLIMIT_AS, (rlim_t)CLI_DOT_MEMORY);
    lower_limit(RLIMIT_CPU, (rlim_t)CLI_DOT_SECONDS + 1);
    execvp(argv[0], argv);
    int e = errno;
    ssize_t ignored = write(report, &e, sizeof e);
    (void)ignored;
    _exit(127);
}

static void say(char *why, size_t whylen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void say(char *why, size_t whylen, const char *fmt, ...)
{
    if (!why || !whylen) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, whylen, fmt, ap);
    va_end(ap);
}

cli_dot_status cli_dot_draw(const char *dot, size_t len, const char *format, int quiet, char **out, size_t *out_len,
                            char *why, size_t whylen)
{
    *out = NULL;
    *out_len = 0;
    int in[2] = {-1, -1}, from[2] = {-1, -1}, report[2] = {-1, -1};
    if (pipe(in) != 0 || pipe(from) != 0 || pipe(report) != 0 || fcntl(report[1], F_SETFD, FD_CLOEXEC) != 0) {
        say(why, whylen, "could not be started: %s", strerror(errno));
        for (int i = 0; i < 2; i++) {
            close_fd(&in[i]);
            close_fd(&from[i]);
            close_fd(&report[i]);
        }
        return CLI_DOT_FAILED;
    }
    char tflag[32];
    snprintf(tflag, sizeof tflag, "-T%s", format);
    char *argv[] = {"dot", tflag, NULL};
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid == 0) run_child(in[0], from[1], report[1], in[1], from[0], quiet, parent, argv);
    int fork_errno = errno;
    close_fd(&in[0]);
    close_fd(&from[1]);
    close_fd(&report[1]);
    int exec_errno = 0;
    ssize_t got = -1;
    if (pid > 0)
        while ((got = read(report[0], &exec_errno, sizeof exec_errno)) < 0 && errno == EINTR) {
        }
    close_fd(&report[0]);
    if (pid < 0 || got == (ssize_t)sizeof exec_errno) {
        if (pid > 0)
            while (waitpid(pid, NULL, 0) < 0 && errno == EINTR) {
            }
        close_fd(&in[1]);
        close_fd(&from[0]);
        if (pid > 0 && exec_errno == ENOENT) return CLI_DOT_MISSING;
        say(why, whylen, "could not be started: %s", strerror(pid < 0 ? fork_errno : exec_errno));
        return CLI_DOT_FAILED;
    }

    /* If `dot` stops reading early, its exit status says why; a broken pipe must not kill us first. */
    struct sigaction ign = {.sa_handler = SIG_IGN}, old;
    sigemptyset(&ign.sa_mask);
    sigaction(SIGPIPE, &ign, &old);
    fcntl(in[1], F_SETFL, O_NONBLOCK);
    long long deadline = now_ms() + CLI_DOT_SECONDS * 1000ll;
    char *buf = NULL;
    size_t n = 0, cap = 0, sent = 0;
    cli_dot_status st = CLI_DOT_OK;
    if (len == 0) close_fd(&in[1]);
    while (st == CLI_DOT_OK && from[0] >= 0) {
        long long left = deadline - now_ms();
        if (left <= 0) {
            st = CLI_DOT_TOO_BIG;
            say(why, whylen, "took more than %d s, the most it may take, and was stopped", CLI_DOT_SECONDS);
            break;
        }
        struct pollfd fds[2] = {{from[0], POLLIN, 0}, {in[1], POLLOUT, 0}};
        if (poll(fds, in[1] >= 0 ? 2 : 1, (int)left) < 0) {
            if (errno == EINTR) continue;
            st = CLI_DOT_FAILED;
            say(why, whylen, "could not be waited for: %s", strerror(errno));
            break;
        }
        if (in[1] >= 0 && fds[1].revents) {
            ssize_t k = write(in[1], dot + sent, len - sent);
            if (k > 0) sent += (size_t)k;
            /* EPIPE: `dot` stopped reading; its exit status says why */
            if (sent == len || (k < 0 && errno != EAGAIN && errno != EINTR)) close_fd(&in[1]);
        }
        if (!fds[0].revents) continue;
        if (n == cap) {
            if (cap >= CLI_DOT_OUTPUT) {
                st = CLI_DOT_TOO_BIG;
                say(why, whylen, "wrote more than %lu MiB, the most it may write, and was stopped", CLI_DOT_OUTPUT >> 20);
                break;
            }
            size_t c = cap ? cap * 2 : 65536;
            char *b = realloc(buf, c + 1);
            if (!b) {
                st = CLI_DOT_NOMEM;
                say(why, whylen, "out of memory");
                break;
            }
            buf = b;
            cap = c;
        }
        ssize_t k = read(from[0], buf + n, cap - n);
        if (k > 0) n += (size_t)k;
        else if (k == 0) close_fd(&from[0]);
        else if (errno != EINTR && errno != EAGAIN) {
            st = CLI_DOT_FAILED;
            say(why, whylen, "could not be read from: %s", strerror(errno));
        }
    }
    close_fd(&in[1]);
    close_fd(&from[0]);
    if (st != CLI_DOT_OK) kill(pid, SIGKILL);
    /* It has closed its output; it must also end, within the same time. */
    int status = 0;
    for (;;) {
        pid_t w = waitpid(pid, &status, WNOHANG);
        if (w == pid || (w < 0 && errno != EINTR)) break;
        if (w == 0 && st == CLI_DOT_OK && now_ms() >= deadline) {
            kill(pid, SIGKILL);
            st = CLI_DOT_TOO_BIG;
            say(why, whylen, "took more than %d s, the most it may take, and was stopped", CLI_DOT_SECONDS);
        }
        if (w == 0) {
            struct timespec pause = {0, 5 * 1000000};
            nanosleep(&pause, NULL);
        }
    }
    sigaction(SIGPIPE, &old, NULL);
    if (st == CLI_DOT_OK && WIFSIGNALED(status) && WTERMSIG(status) == SIGXCPU) {
        st = CLI_DOT_TOO_BIG;
        say(why, whylen, "took more than %d s, the most it may take, and was stopped", CLI_DOT_SECONDS);
    } else if (st == CLI_DOT_OK && (!WIFEXITED(status) || WEXITSTATUS(status) != 0)) {
        st = CLI_DOT_FAILED;
        if (WIFEXITED(status))
            say(why, whylen, "failed (exit status %d)", WEXITSTATUS(status));
        else
            say(why, whylen, "was stopped by signal %d (it may use at most %lu MiB of memory)", WTERMSIG(status),
                CLI_DOT_MEMORY >> 20);
    }
    if (st != CLI_DOT_OK) {
        free(buf);
        return st;
    }
    if (!buf && !(buf = malloc(1))) return CLI_DOT_NOMEM;
    buf[n] = '\0';
    *out = buf;
    *out_len = n;
    return CLI_DOT_OK;
}
