// cflags: -pthread
// sigtimedwait and sigwaitinfo: a timeout (EAGAIN; a zero timeout polls; a bad one is EINVAL), a signal already
// pending (returned with its siginfo: SI_USER from kill, SI_QUEUE with the value from sigqueue, and whatever code
// the kernel gives tgkill and raise to oneself -- SI_USER on this host's 6.18, where a tgkill from another process
// is SI_TKILL, see signals_tgkill_thread -- with si_pid and si_uid), a signal another thread sends during the wait (process-directed and to this
// thread), a real-time signal queued several times (every instance, in order, lowest signal first, a standard
// signal sent twice taken once, before the real-time ones), a signal in the set that is not blocked (the wait takes
// it instead of its handler), and EINTR when a handled signal outside the set arrives (SA_RESTART or not: these
// waits are never restarted). The senders that must hit the wait send again every millisecond until the waiter
// says it returned, so what is printed does not depend on when the waiter got there.
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static pid_t me, main_tid;

static const char *code(int c)
{
    switch (c)
    {
    case SI_USER: return "SI_USER";
    case SI_QUEUE: return "SI_QUEUE";
    case SI_TKILL: return "SI_TKILL";
    case SI_KERNEL: return "SI_KERNEL";
    default: return "other";
    }
}

static const char *signame(int s)
{
    static char b[32];
    if (s == SIGUSR1) return "SIGUSR1";
    if (s == SIGUSR2) return "SIGUSR2";
    if (s == SIGURG) return "SIGURG";
    if (s >= SIGRTMIN && s <= SIGRTMAX) { snprintf(b, sizeof b, "SIGRTMIN+%d", s - SIGRTMIN); return b; }
    snprintf(b, sizeof b, "%d", s);
    return b;
}

static void show(const char *what, int r, const siginfo_t *si, int with_value)
{
    if (r < 0) { printf("%s: -1 %s\n", what, errno == EAGAIN ? "EAGAIN" : errno == EINTR ? "EINTR" : errno == EINVAL ? "EINVAL" : "other"); return; }
    printf("%s: %s si_signo ok %d code %s pid ok %d uid ok %d", what, signame(r), si->si_signo == r, code(si->si_code),
           si->si_pid == me, si->si_uid == getuid());
    if (with_value) printf(" value %d", si->si_value.sival_int);
    printf("\n");
}

static volatile int done;
static volatile int handled;

static void on_signal(int sig) { (void)sig; handled++; }

struct sender { int sig; int to_thread; int repeat; };

static void *send_body(void *arg)
{
    struct sender *s = arg;
    do
    {
        usleep(1000);
        if (s->to_thread) syscall(SYS_tgkill, me, main_tid, s->sig);
        else kill(me, s->sig);
    } while (s->repeat && !__atomic_load_n(&done, __ATOMIC_SEQ_CST));
    return NULL;
}

static pthread_t start_sender(struct sender *s)
{
    pthread_t t;
    __atomic_store_n(&done, 0, __ATOMIC_SEQ_CST);
    pthread_create(&t, NULL, send_body, s);
    return t;
}

static void stop_sender(pthread_t t)
{
    __atomic_store_n(&done, 1, __ATOMIC_SEQ_CST);
    pthread_join(t, NULL);
}

int main(void)
{
    me = getpid();
    main_tid = (pid_t)syscall(SYS_gettid);
    sigset_t set, blocked;
    siginfo_t si;
    sigemptyset(&blocked);
    sigaddset(&blocked, SIGUSR1);
    sigaddset(&blocked, SIGUSR2);
    for (int i = 0; i < 4; i++) sigaddset(&blocked, SIGRTMIN + i);
    sigprocmask(SIG_BLOCK, &blocked, NULL);

    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    struct timespec ten = { 0, 10000000 }, zero = { 0, 0 }, bad = { 0, 1000000000 };
    memset(&si, 0, sizeof si);
    show("nothing pending, 10 ms", sigtimedwait(&set, &si, &ten), &si, 0);
    show("nothing pending, zero timeout", sigtimedwait(&set, &si, &zero), &si, 0);
    show("bad timeout", sigtimedwait(&set, &si, &bad), &si, 0);
    show("bad timeout, signal pending", (kill(me, SIGUSR1), sigtimedwait(&set, &si, &bad)), &si, 0);
    show("then zero timeout", sigtimedwait(&set, &si, &zero), &si, 0);

    kill(me, SIGUSR1);
    show("kill", sigtimedwait(&set, &si, &ten), &si, 0);
    union sigval v = { .sival_int = 42 };
    sigqueue(me, SIGUSR1, v);
    show("sigqueue 42", sigwaitinfo(&set, &si), &si, 1);
    syscall(SYS_tgkill, me, main_tid, SIGUSR1);
    show("tgkill", sigwaitinfo(&set, &si), &si, 0);
    raise(SIGUSR1);
    show("raise", sigtimedwait(&set, &si, NULL), &si, 0);
    kill(me, SIGUSR1);
    printf("NULL siginfo: %s\n", signame(sigwaitinfo(&set, NULL)));

    // Sent by another thread while we wait (it has them blocked too, so they come to us).
    sigaddset(&set, SIGUSR2);
    sigaddset(&set, SIGRTMIN);
    struct sender s1 = { SIGUSR2, 0, 0 };
    pthread_t t = start_sender(&s1);
    show("from a thread, kill", sigwaitinfo(&set, &si), &si, 0);
    stop_sender(t);
    struct sender s2 = { SIGRTMIN, 1, 0 };
    t = start_sender(&s2);
    show("from a thread, tgkill", sigwaitinfo(&set, &si), &si, 0);
    stop_sender(t);

    // Queued real-time signals: every instance, lowest signal first, each one's in the order sent.
    sigemptyset(&set);
    for (int i = 0; i < 4; i++) sigaddset(&set, SIGRTMIN + i);
    sigaddset(&set, SIGUSR1);
    static const int order[][2] = { { 2, 1 }, { 2, 2 }, { 0, 3 }, { 3, 4 }, { 2, 5 }, { 0, 6 }, { 1, 7 } };
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++)
    {
        union sigval val = { .sival_int = order[i][1] };
        sigqueue(me, SIGRTMIN + order[i][0], val);
    }
    kill(me, SIGUSR1);
    kill(me, SIGUSR1);
    sigset_t pending;
    sigpending(&pending);
    printf("pending: USR1 %d RTMIN+0..3 %d%d%d%d\n", sigismember(&pending, SIGUSR1), sigismember(&pending, SIGRTMIN),
           sigismember(&pending, SIGRTMIN + 1), sigismember(&pending, SIGRTMIN + 2), sigismember(&pending, SIGRTMIN + 3));
    int r;
    while ((r = sigtimedwait(&set, &si, &zero)) > 0)
        printf("  took %s value %d code %s\n", signame(r), r == SIGUSR1 ? 0 : si.si_value.sival_int, code(si.si_code));
    printf("then: %s\n", r < 0 && errno == EAGAIN ? "EAGAIN" : "other");

    // A signal in the set that is not blocked, with a handler: sent while we wait, the wait takes it and the
    // handler does not run. Until we wait, the sender's signals go to the handler.
    struct sigaction sa = { .sa_handler = on_signal };
    sigaction(SIGURG, &sa, NULL);
    sigemptyset(&set);
    sigaddset(&set, SIGURG);
    struct sender s3 = { SIGURG, 1, 1 };
    t = start_sender(&s3);
    struct timespec second = { 1, 0 };
    int took = 0;
    for (int i = 0; i < 20 && !took; i++)
    {
        r = sigtimedwait(&set, &si, &second);
        took = r == SIGURG;
    }
    stop_sender(t);
    printf("unblocked SIGURG taken by the wait: %d code %s\n", took, code(si.si_code));
    sigset_t now;
    sigprocmask(SIG_BLOCK, NULL, &now);
    printf("SIGURG still unblocked after: %d\n", !sigismember(&now, SIGURG));

    // A handled signal outside the set ends the wait with EINTR, with or without SA_RESTART.
    for (int restart = 0; restart < 2; restart++)
    {
        struct sigaction h = { .sa_handler = on_signal, .sa_flags = restart ? SA_RESTART : 0 };
        sigaction(SIGURG, &h, NULL);
        sigemptyset(&set);
        sigaddset(&set, SIGUSR1);
        handled = 0;
        struct sender s4 = { SIGURG, 1, 1 };
        t = start_sender(&s4);
        struct timespec five = { 5, 0 };
        errno = 0;
        r = restart ? sigwaitinfo(&set, &si) : sigtimedwait(&set, &si, &five);
        int e = errno;
        stop_sender(t);
        printf("%s, handled SIGURG%s: %d %s, handler ran: %d\n", restart ? "sigwaitinfo" : "sigtimedwait",
               restart ? " (SA_RESTART)" : "", r, e == EINTR ? "EINTR" : "other", handled > 0);
    }
    return 0;
}
