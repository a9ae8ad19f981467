// Real-time signals between processes: sigqueue from a child to its parent and back, with si_value,
// si_code SI_QUEUE, si_pid and si_uid; queued instances are kept (not merged) and taken lowest
// signal first, each signal's in the order sent, by sigtimedwait and sigwaitinfo; a standard signal
// sent twice is pending once; a SA_SIGINFO handler sees the sender's siginfo.
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t handled;
static volatile int handled_value, handled_code, handled_pid_ok;

static void on_rt(int sig, siginfo_t *si, void *ctx)
{
    (void)sig; (void)ctx;
    handled_value = si->si_value.sival_int;
    handled_code = si->si_code;
    handled_pid_ok = si->si_pid == getppid();
    handled = 1;
}

static const char *name(int sig)
{
    static char b[32];
    if (sig == SIGUSR1) return "SIGUSR1";
    snprintf(b, sizeof b, "SIGRTMIN+%d", sig - SIGRTMIN);
    return b;
}

int main(void)
{
    int up[2], down[2];
    if (pipe(up) || pipe(down)) return 1;
    sigset_t set;
    sigemptyset(&set);
    for (int i = 1; i <= 4; i++) sigaddset(&set, SIGRTMIN + i);
    sigaddset(&set, SIGUSR1);
    sigprocmask(SIG_BLOCK, &set, NULL); // the child inherits the mask
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0)
    {
        struct sigaction sa = { .sa_sigaction = on_rt, .sa_flags = SA_SIGINFO };
        sigaction(SIGRTMIN + 5, &sa, NULL);
        static const int order[][2] = { { 3, 1 }, { 1, 2 }, { 1, 3 }, { 2, 4 }, { 1, 5 } };
        pid_t parent = getppid();
        for (int i = 0; i < 5; i++)
            if (sigqueue(parent, SIGRTMIN + order[i][0], (union sigval){ .sival_int = order[i][1] }) != 0) return 2;
        kill(parent, SIGUSR1);
        kill(parent, SIGUSR1);
        char c = 1;
        if (write(up[1], &c, 1) != 1) return 3;
        // The parent's three signals to us, taken with sigwaitinfo.
        sigset_t four;
        sigemptyset(&four);
        sigaddset(&four, SIGRTMIN + 4);
        for (int i = 0; i < 3; i++)
        {
            siginfo_t si;
            int s = sigwaitinfo(&four, &si);
            printf("child: %s value %d code %s pid %s uid %s\n", name(s), si.si_value.sival_int,
                   si.si_code == SI_QUEUE ? "SI_QUEUE" : "other", si.si_pid == parent ? "parent" : "other",
                   si.si_uid == getuid() ? "mine" : "other");
        }
        // And one to a handler, while the child sleeps in sigsuspend.
        sigset_t none;
        sigemptyset(&none);
        if (write(up[1], &c, 1) != 1) return 3;
        while (!handled) sigsuspend(&none);
        printf("child handler: value %d code %s sender parent %d\n", handled_value, handled_code == SI_QUEUE ? "SI_QUEUE" : "other", handled_pid_ok);
        fflush(stdout);
        return 0;
    }
    char c;
    if (read(up[0], &c, 1) != 1) return 1;
    // Everything the child sent is pending now: lowest signal first, each in the order queued.
    for (int i = 0; i < 6; i++)
    {
        siginfo_t si;
        struct timespec ts = { 5, 0 };
        int s = sigtimedwait(&set, &si, &ts);
        if (s < 0) { printf("parent: sigtimedwait: %s\n", strerror(errno)); break; }
        printf("parent: %s value %d code %s pid %s uid %s\n", name(s), s == SIGUSR1 ? 0 : si.si_value.sival_int,
               si.si_code == SI_QUEUE ? "SI_QUEUE" : si.si_code == SI_USER ? "SI_USER" : "other",
               si.si_pid == pid ? "child" : "other", si.si_uid == getuid() ? "mine" : "other");
    }
    struct timespec zero = { 0, 0 };
    int r = sigtimedwait(&set, NULL, &zero);
    printf("parent: nothing left: %d %s\n", r, strerror(errno));
    fflush(stdout);
    for (int v = 100; v < 103; v++) sigqueue(pid, SIGRTMIN + 4, (union sigval){ .sival_int = v });
    if (read(up[0], &c, 1) != 1) return 1;
    sigqueue(pid, SIGRTMIN + 5, (union sigval){ .sival_int = 77 });
    int st;
    waitpid(pid, &st, 0);
    printf("child exit %d\n", WIFEXITED(st) ? WEXITSTATUS(st) : -WTERMSIG(st));
    r = sigqueue(pid, SIGRTMIN + 1, (union sigval){ 0 });
    printf("sigqueue to a process that is gone: %d %s\n", r, strerror(errno));
    printf("sigqueue signal 0 to itself: %d\n", sigqueue(getpid(), 0, (union sigval){ 0 }));
    return 0;
}
