// cflags: -pthread
// The signal masks of pselect, ppoll, epoll_pwait and epoll_pwait2: the call replaces the thread's mask for
// the wait and puts it back after. A signal the temporary mask unblocks that is pending at entry (SIGCHLD of a
// child that exited while blocked: the classic "block SIGCHLD, fork, pselect" pattern) or that arrives during
// the wait (from another process or from a thread) fails the call with EINTR at once, even with SA_RESTART,
// and its handler runs with the temporary mask in force and returns to the old one (uc_sigmask). A signal the
// temporary mask blocks does not interrupt the wait, even when the old mask does not block it: the call times
// out with 0 and the signal comes right after it. Ready descriptors win over a pending signal, a zero timeout
// gives 0 for ppoll and epoll (but EINTR for pselect), SIGKILL and SIGSTOP stay unblocked (/proc's SigBlk
// during the wait), a NULL mask changes nothing, a bad sigsetsize is EINVAL and a bad pointer EFAULT, and
// ppoll and pselect6 write the time left back. sigsuspend's mask works the same way: its handlers run with it as
// their base, and all the signals it unblocks are taken before it returns. Only deterministic facts are printed,
// never times.
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>

enum kind { PSELECT, PPOLL, EPOLL_PWAIT, EPOLL_PWAIT2, KINDS };
static const char *const names[KINDS] = { "pselect", "ppoll", "epoll_pwait", "epoll_pwait2" };

static int idle[2];   // never written to except where a test says so
static int epfd;      // watches idle[0] for input

static volatile sig_atomic_t hits[65];
// What the last handler saw: its own mask and the one it returns to.
static volatile int in_handler_blocks_usr2, saved_blocks_chld, saved_blocks_usr2, saved_blocks_self;

static void on_signal(int sig, siginfo_t *si, void *ucv)
{
    (void)si;
    ucontext_t *uc = ucv;
    sigset_t now;
    sigprocmask(SIG_SETMASK, NULL, &now);
    in_handler_blocks_usr2 = sigismember(&now, SIGUSR2);
    saved_blocks_chld = sigismember(&uc->uc_sigmask, SIGCHLD);
    saved_blocks_usr2 = sigismember(&uc->uc_sigmask, SIGUSR2);
    saved_blocks_self = sigismember(&uc->uc_sigmask, sig);
    hits[sig]++;
}

static void handle(int sig)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_signal;
    // SA_RESTART changes nothing: these calls are never restarted after a handler.
    sa.sa_flags = SA_SIGINFO | SA_RESTART;
    sigaction(sig, &sa, NULL);
}

static void block_only(int a, int b)
{
    sigset_t s;
    sigemptyset(&s);
    if (a) sigaddset(&s, a);
    if (b) sigaddset(&s, b);
    sigprocmask(SIG_SETMASK, &s, NULL);
}

static unsigned long long mask_now(void)
{
    sigset_t s;
    unsigned long long m;
    sigprocmask(SIG_SETMASK, NULL, &s);
    memcpy(&m, &s, sizeof m);
    return m;
}

// One wait on idle[0] (and whatever else is readable on it), through glibc's wrapper; timeout_ms < 0 waits
// for ever. Returns the call's result, with errno in *err.
static int wait_on(enum kind k, int timeout_ms, const sigset_t *mask, int *err)
{
    struct timespec ts = { timeout_ms / 1000, (long)(timeout_ms % 1000) * 1000000L };
    int r = -2;
    errno = 0;
    switch (k) {
    case PSELECT: {
        fd_set rd;
        FD_ZERO(&rd);
        FD_SET(idle[0], &rd);
        r = pselect(idle[0] + 1, &rd, NULL, NULL, timeout_ms < 0 ? NULL : &ts, mask);
        break;
    }
    case PPOLL: {
        struct pollfd p = { idle[0], POLLIN, 0 };
        r = ppoll(&p, 1, timeout_ms < 0 ? NULL : &ts, mask);
        break;
    }
    case EPOLL_PWAIT: {
        struct epoll_event ev;
        r = epoll_pwait(epfd, &ev, 1, timeout_ms, mask);
        break;
    }
    case EPOLL_PWAIT2: {
        struct epoll_event ev;
        r = (int)syscall(SYS_epoll_pwait2, epfd, &ev, 1, timeout_ms < 0 ? NULL : &ts, mask, (size_t)8);
        break;
    }
    default: break;
    }
    *err = errno;
    return r;
}

static const char *err_name(int e)
{
    switch (e) {
    case 0: return "0";
    case EINTR: return "EINTR";
    case EINVAL: return "EINVAL";
    case EFAULT: return "EFAULT";
    case EBADF: return "EBADF";
    default: return "other";
    }
}

static int is_pending(int sig)
{
    sigset_t s;
    sigpending(&s);
    return sigismember(&s, sig);
}

// Whether thread tid of process pid sleeps in one of the waiting calls (natively the call itself; under an
// emulator whatever host call serves it), from /proc: a signal sent before the wait would not test the wait.
// Another process's system call is not for a child to read (ptrace rules): it looks at the thread's state.
static int in_wait(pid_t pid, pid_t tid)
{
    char path[80], buf[512] = { 0 };
    int own = pid == getpid();
    snprintf(path, sizeof path, "/proc/%d/task/%d/%s", (int)pid, (int)tid, own ? "syscall" : "stat");
    FILE *f = fopen(path, "r");
    if (!f) return 0;
    int ok = fgets(buf, sizeof buf, f) != NULL;
    fclose(f);
    if (!ok) return 0;
    if (!own) {
        char *end = strrchr(buf, ')');
        return end && end[1] == ' ' && end[2] == 'S';
    }
    int nr = atoi(buf);
    return buf[0] >= '0' && buf[0] <= '9' && (nr == 7 || nr == 23 || nr == 232 || nr == 270 || nr == 271 || nr == 281 || nr == 441);
}

static void wait_until_waiting(pid_t pid, pid_t tid)
{
    for (int i = 0; i < 2000 && !in_wait(pid, tid); i++) usleep(2000);
}

// Makes SIGCHLD pending while it is blocked: a child exits and is reaped.
static void pending_sigchld(void)
{
    pid_t c = fork();
    if (c == 0) _exit(0);
    int st;
    waitpid(c, &st, 0);
}

// 1. The classic pattern: SIGCHLD blocked, a child exits, then the call with an empty mask and no timeout. SIGUSR2
// is blocked before and after, but not in the handler, which runs with the temporary mask (plus SIGCHLD itself).
static void pending_at_entry(enum kind k)
{
    block_only(SIGCHLD, SIGUSR2);
    unsigned long long before = mask_now();
    hits[SIGCHLD] = 0;
    pending_sigchld();
    int was_pending = is_pending(SIGCHLD);
    sigset_t empty;
    sigemptyset(&empty);
    int err, r = wait_on(k, -1, &empty, &err);
    printf("%s pending at entry: pending before %d, result %d %s, handler ran %d, in handler SIGUSR2 blocked %d,"
           " returns to SIGCHLD and SIGUSR2 blocked %d %d, mask after same %d, still pending %d\n",
           names[k], was_pending, r, err_name(err), (int)hits[SIGCHLD], in_handler_blocks_usr2,
           saved_blocks_chld, saved_blocks_usr2, mask_now() == before, is_pending(SIGCHLD));
}

// 2. Descriptors ready and a zero timeout: what a pending signal that the mask unblocks does then.
static void ready_and_zero_timeout(enum kind k)
{
    block_only(SIGCHLD, 0);
    unsigned long long before = mask_now();
    sigset_t empty;
    sigemptyset(&empty);
    hits[SIGCHLD] = 0;
    pending_sigchld();
    char c = 'r';
    if (write(idle[1], &c, 1) != 1) printf("write failed\n");
    int err, r = wait_on(k, -1, &empty, &err);
    printf("%s ready fd with SIGCHLD pending: result %d %s, handler ran %d, still pending %d\n",
           names[k], r, err_name(err), (int)hits[SIGCHLD], is_pending(SIGCHLD));
    if (read(idle[0], &c, 1) != 1) printf("read failed\n");
    r = wait_on(k, 0, &empty, &err);
    printf("%s zero timeout with SIGCHLD pending: result %d %s, handler ran %d, still pending %d, mask after same %d\n",
           names[k], r, err_name(err), (int)hits[SIGCHLD], is_pending(SIGCHLD), mask_now() == before);
    // Take the SIGCHLD that is left, so the next test starts clean.
    if (is_pending(SIGCHLD)) sigsuspend(&empty);
}

struct sender { pid_t pid, tid; int sig; int directed; };

static void *send_when_waiting(void *arg)
{
    struct sender *s = arg;
    // The thread inherited the caller's mask, which blocks the signal: it cannot take it itself.
    wait_until_waiting(s->pid, s->tid);
    if (s->directed) syscall(SYS_tgkill, s->pid, s->tid, s->sig);
    else kill(s->pid, s->sig);
    return NULL;
}

// 3. A signal that only the temporary mask unblocks arrives during the wait, from a child process or a thread.
static void arrives_during_wait(enum kind k, int from_child, int directed)
{
    int sig = from_child ? SIGUSR2 : SIGUSR1;
    block_only(SIGCHLD, sig);
    unsigned long long before = mask_now();
    hits[sig] = 0;
    sigset_t temp;
    sigemptyset(&temp);
    sigaddset(&temp, SIGCHLD);
    pid_t self = getpid(), tid = (pid_t)syscall(SYS_gettid);
    pthread_t t;
    struct sender s = { self, tid, sig, directed };
    pid_t c = -1;
    if (from_child) {
        c = fork();
        if (c == 0) {
            wait_until_waiting(self, tid);
            kill(self, sig);
            _exit(0);
        }
    } else pthread_create(&t, NULL, send_when_waiting, &s);
    int err, r = wait_on(k, -1, &temp, &err);
    int ran = hits[sig];
    if (from_child) {
        int st;
        waitpid(c, &st, 0);
    } else pthread_join(t, NULL);
    printf("%s %s during the wait: result %d %s, handler ran %d, returns to it blocked %d, mask after same %d\n",
           names[k], from_child ? "from a child" : directed ? "tgkill from a thread" : "kill from a thread",
           r, err_name(err), ran, saved_blocks_self, mask_now() == before);
}

// 4. A signal the temporary mask blocks and the old one does not: the wait times out, then the signal comes.
static void blocked_by_temporary(enum kind k)
{
    block_only(0, 0);
    unsigned long long before = mask_now();
    hits[SIGUSR1] = 0;
    sigset_t temp;
    sigemptyset(&temp);
    sigaddset(&temp, SIGUSR1);
    // The sender blocks SIGUSR1 too, so the signal waits for this thread.
    sigset_t old;
    pthread_sigmask(SIG_BLOCK, &temp, &old);
    struct sender s = { getpid(), (pid_t)syscall(SYS_gettid), SIGUSR1, 0 };
    pthread_t t;
    pthread_create(&t, NULL, send_when_waiting, &s);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    int err, r = wait_on(k, 50, &temp, &err);
    pthread_join(t, NULL);
    printf("%s blocked by the temporary mask: result %d %s, handler ran after the call %d, mask after same %d\n",
           names[k], r, err_name(err), (int)hits[SIGUSR1], mask_now() == before);
}

// 5. What the mask is during the wait, as /proc shows it to another thread: the temporary one, less SIGKILL and
// SIGSTOP, which cannot be blocked.
struct watcher { pid_t tid; char sigblk[40]; };

static void *read_sigblk(void *arg)
{
    struct watcher *w = arg;
    wait_until_waiting(getpid(), w->tid);
    char path[64], line[128];
    snprintf(path, sizeof path, "/proc/self/task/%d/status", (int)w->tid);
    FILE *f = fopen(path, "r");
    if (f) {
        while (fgets(line, sizeof line, f))
            if (strncmp(line, "SigBlk:", 7) == 0) sscanf(line + 7, "%39s", w->sigblk);
        fclose(f);
    }
    char c = 'w';
    if (write(idle[1], &c, 1) != 1) printf("write failed\n");
    return NULL;
}

static void mask_during_wait(enum kind k)
{
    block_only(SIGCHLD, 0);
    unsigned long long before = mask_now();
    sigset_t full;
    sigfillset(&full);
    sigaddset(&full, SIGKILL);
    sigaddset(&full, SIGSTOP);
    struct watcher w = { (pid_t)syscall(SYS_gettid), "" };
    pthread_t t;
    pthread_create(&t, NULL, read_sigblk, &w);
    int err, r = wait_on(k, -1, &full, &err);
    pthread_join(t, NULL);
    char c;
    if (read(idle[0], &c, 1) != 1) printf("read failed\n");
    printf("%s full mask: result %d %s, SigBlk during the wait %s, mask after same %d\n",
           names[k], r, err_name(err), w.sigblk, mask_now() == before);
}

// 6. Argument checks, through the raw calls.
static void bad_arguments(void)
{
    sigset_t empty;
    sigemptyset(&empty);
    struct pollfd p = { idle[0], POLLIN, 0 };
    struct timespec zero = { 0, 0 };
    struct epoll_event ev;
    fd_set rd;
    FD_ZERO(&rd);
    FD_SET(idle[0], &rd);
    struct { const sigset_t *ss; size_t len; } arg6 = { &empty, 4 };
    long r;
    errno = 0; r = syscall(SYS_ppoll, &p, 1, &zero, &empty, 4);
    printf("ppoll sigsetsize 4: %ld %s\n", r, err_name(errno));
    errno = 0; r = syscall(SYS_ppoll, &p, 1, &zero, (void *)8, 8);
    printf("ppoll bad mask pointer: %ld %s\n", r, err_name(errno));
    errno = 0; r = syscall(SYS_ppoll, &p, 1, &zero, NULL, 4);
    printf("ppoll NULL mask, size 4: %ld %s\n", r, err_name(errno));
    errno = 0; r = syscall(SYS_pselect6, idle[0] + 1, &rd, NULL, NULL, &zero, &arg6);
    printf("pselect6 sigsetsize 4: %ld %s\n", r, err_name(errno));
    arg6.ss = NULL;
    FD_SET(idle[0], &rd);
    errno = 0; r = syscall(SYS_pselect6, idle[0] + 1, &rd, NULL, NULL, &zero, &arg6);
    printf("pselect6 NULL mask, size 4: %ld %s\n", r, err_name(errno));
    arg6.ss = (const sigset_t *)8;
    arg6.len = 8;
    FD_SET(idle[0], &rd);
    errno = 0; r = syscall(SYS_pselect6, idle[0] + 1, &rd, NULL, NULL, &zero, &arg6);
    printf("pselect6 bad mask pointer: %ld %s\n", r, err_name(errno));
    FD_SET(idle[0], &rd);
    errno = 0; r = syscall(SYS_pselect6, idle[0] + 1, &rd, NULL, NULL, &zero, (void *)8);
    printf("pselect6 bad argument block: %ld %s\n", r, err_name(errno));
    errno = 0; r = syscall(SYS_epoll_pwait, epfd, &ev, 1, 0, &empty, 4);
    printf("epoll_pwait sigsetsize 4: %ld %s\n", r, err_name(errno));
    errno = 0; r = syscall(SYS_epoll_pwait, -1, &ev, 1, 0, &empty, 4);
    printf("epoll_pwait sigsetsize 4, bad fd: %ld %s\n", r, err_name(errno));
    errno = 0; r = syscall(SYS_epoll_pwait, epfd, &ev, 1, 0, NULL, 4);
    printf("epoll_pwait NULL mask, size 4: %ld %s\n", r, err_name(errno));
    errno = 0; r = syscall(SYS_epoll_pwait2, epfd, &ev, 1, &zero, &empty, 16);
    printf("epoll_pwait2 sigsetsize 16: %ld %s\n", r, err_name(errno));
}

// 7. The time left, written back by the raw ppoll and pselect6 (glibc's wrappers hide it).
static void time_left(void)
{
    block_only(SIGCHLD, 0);
    sigset_t empty;
    sigemptyset(&empty);
    struct pollfd p = { idle[0], POLLIN, 0 };
    fd_set rd;
    struct { const sigset_t *ss; size_t len; } arg6 = { &empty, 8 };

    struct timespec ts = { 0, 30 * 1000000L };
    long r = syscall(SYS_ppoll, &p, 1, &ts, NULL, 8);
    printf("ppoll timed out: %ld, time left zero %d\n", r, ts.tv_sec == 0 && ts.tv_nsec == 0);
    FD_ZERO(&rd);
    FD_SET(idle[0], &rd);
    ts.tv_sec = 0; ts.tv_nsec = 30 * 1000000L;
    r = syscall(SYS_pselect6, idle[0] + 1, &rd, NULL, NULL, &ts, NULL);
    printf("pselect6 timed out: %ld, time left zero %d, set cleared %d\n", r, ts.tv_sec == 0 && ts.tv_nsec == 0, !FD_ISSET(idle[0], &rd));

    // Interrupted by the pending SIGCHLD at once: nearly all of the 100 s is left.
    pending_sigchld();
    ts.tv_sec = 100; ts.tv_nsec = 0;
    errno = 0;
    r = syscall(SYS_ppoll, &p, 1, &ts, &empty, 8);
    printf("ppoll interrupted: %ld %s, time left in (90 s, 100 s] %d\n", r, err_name(errno),
           ts.tv_sec >= 90 && (ts.tv_sec < 100 || (ts.tv_sec == 100 && ts.tv_nsec == 0)) && ts.tv_nsec >= 0 && ts.tv_nsec < 1000000000L);
    pending_sigchld();
    FD_ZERO(&rd);
    FD_SET(idle[0], &rd);
    ts.tv_sec = 100; ts.tv_nsec = 0;
    errno = 0;
    r = syscall(SYS_pselect6, idle[0] + 1, &rd, NULL, NULL, &ts, &arg6);
    printf("pselect6 interrupted: %ld %s, time left in (90 s, 100 s] %d\n", r, err_name(errno),
           ts.tv_sec >= 90 && (ts.tv_sec < 100 || (ts.tv_sec == 100 && ts.tv_nsec == 0)) && ts.tv_nsec >= 0 && ts.tv_nsec < 1000000000L);

    // Ready at once: the time left is written too.
    char c = 'x';
    if (write(idle[1], &c, 1) != 1) printf("write failed\n");
    ts.tv_sec = 100; ts.tv_nsec = 0;
    r = syscall(SYS_ppoll, &p, 1, &ts, &empty, 8);
    printf("ppoll ready: %ld revents %d, time left in (90 s, 100 s] %d\n", r, p.revents,
           ts.tv_sec >= 90 && (ts.tv_sec < 100 || (ts.tv_sec == 100 && ts.tv_nsec == 0)));
    if (read(idle[0], &c, 1) != 1) printf("read failed\n");
}

// 8. sigsuspend, whose temporary mask is the model of the others: with SIGUSR1, SIGUSR2 and SIGCHLD blocked and both
// SIGUSR1 and SIGCHLD pending, a mask that unblocks them both has both handlers run (SIGUSR1's frame first, so
// SIGCHLD's handler runs first, then SIGUSR1's), the handlers see SIGUSR2 unblocked as the temporary mask says,
// and the first frame returns to the old mask.
static volatile int order[4], order_n;

static void on_ordered(int sig, siginfo_t *si, void *ucv)
{
    on_signal(sig, si, ucv);
    if (order_n < 4) order[order_n++] = sig;
}

static void sigsuspend_mask(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_ordered;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGUSR1, &sa, NULL);
    sigaction(SIGCHLD, &sa, NULL);
    block_only(SIGCHLD, SIGUSR1);
    sigset_t m;
    sigprocmask(SIG_BLOCK, NULL, &m);
    sigaddset(&m, SIGUSR2);
    sigprocmask(SIG_SETMASK, &m, NULL);
    unsigned long long before = mask_now();
    order_n = 0;
    pending_sigchld();
    raise(SIGUSR1);
    sigset_t empty;
    sigemptyset(&empty);
    errno = 0;
    int r = sigsuspend(&empty);
    printf("sigsuspend: result %d %s, handlers ran %d:", r, err_name(errno), order_n);
    for (int i = 0; i < order_n; i++) printf(" %s", order[i] == SIGCHLD ? "SIGCHLD" : order[i] == SIGUSR1 ? "SIGUSR1" : "?");
    printf(", last handler saw SIGUSR2 blocked %d, mask after same %d, still pending %d %d\n", in_handler_blocks_usr2,
           mask_now() == before, is_pending(SIGCHLD), is_pending(SIGUSR1));
    handle(SIGUSR1);
    handle(SIGCHLD);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    if (pipe(idle) != 0) return 1;
    epfd = epoll_create1(0);
    struct epoll_event ev = { .events = EPOLLIN, .data.u64 = 7 };
    if (epfd < 0 || epoll_ctl(epfd, EPOLL_CTL_ADD, idle[0], &ev) != 0) return 1;
    handle(SIGCHLD);
    handle(SIGUSR1);
    handle(SIGUSR2);

    for (int k = 0; k < KINDS; k++) pending_at_entry(k);
    for (int k = 0; k < KINDS; k++) ready_and_zero_timeout(k);
    for (int k = 0; k < KINDS; k++) {
        arrives_during_wait(k, 1, 0);
        arrives_during_wait(k, 0, 0);
        arrives_during_wait(k, 0, 1);
    }
    for (int k = 0; k < KINDS; k++) blocked_by_temporary(k);
    for (int k = 0; k < KINDS; k++) mask_during_wait(k);
    bad_arguments();
    time_left();
    sigsuspend_mask();

    block_only(0, 0);
    printf("SIGCHLD handled %d in all, pending at the end %d\n", (int)hits[SIGCHLD] > 0, is_pending(SIGCHLD));
    return 0;
}
