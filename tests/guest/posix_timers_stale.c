// A POSIX timer's signal that is still queued when the timer is disarmed, re-armed or deleted: Linux
// (6.13 on) keeps it visible to sigpending but drops it when it is taken, unless the timer expires
// again first, which makes the queued signal current again. Standard and real-time signals; sigtimedwait
// and a signalfd read take it.
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/signalfd.h>
#include <time.h>
#include <unistd.h>

enum { DISARM, REARM_LATER, DELETE, REARM_SOON };

static void nap(long ms)
{
    struct timespec d = { ms / 1000, (ms % 1000) * 1000000 };
    while (nanosleep(&d, &d) != 0 && errno == EINTR) {}
}

static void take(const char *what, const sigset_t *s, int use_signalfd)
{
    if (use_signalfd) {
        int fd = signalfd(-1, s, SFD_NONBLOCK);
        struct signalfd_siginfo si;
        ssize_t n = read(fd, &si, sizeof si);
        if (n < 0) printf("  %s: signalfd read: %s\n", what, strerror(errno));
        else printf("  %s: signalfd read: signal %s code %d value %d overrun %u\n", what,
                    si.ssi_signo == SIGUSR1 ? "USR1" : "RTMIN", si.ssi_code, si.ssi_int, si.ssi_overrun);
        close(fd);
        return;
    }
    struct timespec z = { 0, 0 };
    siginfo_t si;
    int r = sigtimedwait(s, &si, &z);
    if (r < 0) printf("  %s: sigtimedwait: %s\n", what, strerror(errno));
    else printf("  %s: sigtimedwait: signal %s code %d value %d overrun %d\n", what, r == SIGUSR1 ? "USR1" : "RTMIN",
                si.si_code, si.si_value.sival_int, si.si_overrun);
}

static void run(const char *name, int signo, int how, int use_signalfd)
{
    printf("%s, %s, %s\n", name, signo == SIGUSR1 ? "SIGUSR1" : "SIGRTMIN", use_signalfd ? "signalfd" : "sigtimedwait");
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, signo);
    sigprocmask(SIG_BLOCK, &s, NULL);
    struct sigevent ev = { .sigev_notify = SIGEV_SIGNAL, .sigev_signo = signo, .sigev_value.sival_int = 42 };
    timer_t t;
    if (timer_create(CLOCK_MONOTONIC, &ev, &t) != 0) { perror("timer_create"); _exit(1); }
    struct itimerspec periodic = { .it_interval = { 0, 1000000 }, .it_value = { 0, 1000000 } };
    struct itimerspec zero = { 0 }, later = { .it_value = { 10, 0 } }, soon = { .it_value = { 0, 1000000 } };
    timer_settime(t, 0, &periodic, NULL);
    nap(30);
    sigset_t p;
    sigpending(&p);
    printf("  pending while it runs: %d\n", sigismember(&p, signo));
    if (how == DISARM) timer_settime(t, 0, &zero, NULL);
    else if (how == REARM_LATER) timer_settime(t, 0, &later, NULL);
    else if (how == REARM_SOON) { timer_settime(t, 0, &soon, NULL); nap(30); }
    else timer_delete(t);
    sigpending(&p);
    printf("  pending after: %d\n", sigismember(&p, signo));
    take("first", &s, use_signalfd);
    take("second", &s, use_signalfd);
    if (how != DELETE) timer_delete(t);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    static const struct { const char *name; int how; } cases[] = {
        { "disarmed", DISARM }, { "re-armed for later", REARM_LATER }, { "deleted", DELETE }, { "re-armed and expired", REARM_SOON },
    };
    for (int fd = 0; fd < 2; fd++)
        for (unsigned k = 0; k < sizeof cases / sizeof *cases; k++) {
            run(cases[k].name, SIGUSR1, cases[k].how, fd);
            run(cases[k].name, SIGRTMIN, cases[k].how, fd);
        }
    return 0;
}
