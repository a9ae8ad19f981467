// What a POSIX timer did follows from the clock at the moment the program looks, not from when anything
// got a core: an expiry already due when the timer is set has its signal pending at once (the kernel
// queues it from the timer interrupt), a periodic timer's overrun counts every interval up to the moment
// its signal is taken, a one-shot that came due reads as disarmed without waiting for its signal, and a
// wait for the signal that ends when the timer expires gets it.
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

static long now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static timer_t make(void)
{
    struct sigevent ev = { .sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGUSR1, .sigev_value.sival_int = 7 };
    timer_t t;
    if (timer_create(CLOCK_MONOTONIC, &ev, &t) != 0) { perror("timer_create"); _exit(1); }
    return t;
}

static int pending(void)
{
    sigset_t p;
    sigpending(&p);
    return sigismember(&p, SIGUSR1);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, SIGUSR1);
    sigprocmask(SIG_BLOCK, &s, NULL);
    struct timespec zero = { 0, 0 };
    siginfo_t si;

    for (int round = 0; round < 20; round++) {
        // An absolute expiry in the past.
        timer_t t = make();
        struct itimerspec past = { .it_value = { 0, 1 } };
        timer_settime(t, TIMER_ABSTIME, &past, NULL);
        int p1 = pending();
        int r1 = sigtimedwait(&s, &si, &zero);
        struct itimerspec cur;
        timer_gettime(t, &cur);
        int disarmed1 = cur.it_value.tv_sec == 0 && cur.it_value.tv_nsec == 0;

        // A 1 ms periodic timer whose first expiry was 100 ms ago: at least 100 intervals have passed
        // by the time its signal is taken, all but the first overruns.
        long start = now_ns() - 100000000;
        struct itimerspec periodic = { .it_interval = { 0, 1000000 }, .it_value = { start / 1000000000, start % 1000000000 } };
        timer_settime(t, TIMER_ABSTIME, &periodic, NULL);
        int p2 = pending();
        int r2 = sigtimedwait(&s, &si, &zero);
        int ov = timer_getoverrun(t);
        int ov_ok = r2 == SIGUSR1 && si.si_overrun >= 100 && ov == si.si_overrun;
        struct itimerspec off = { 0 };
        timer_settime(t, 0, &off, NULL);
        while (sigtimedwait(&s, &si, &zero) > 0) {}

        // A 1 ms one-shot, then 20 ms without looking at signals: it has expired and reads as disarmed.
        struct itimerspec soon = { .it_value = { 0, 1000000 } };
        timer_settime(t, 0, &soon, NULL);
        long until = now_ns() + 20000000;
        while (now_ns() < until) {}
        timer_gettime(t, &cur);
        int disarmed3 = cur.it_value.tv_sec == 0 && cur.it_value.tv_nsec == 0;
        int p3 = pending();
        while (sigtimedwait(&s, &si, &zero) > 0) {}

        // A 5 ms one-shot and a wait of 5 ms for its signal, which the timer's expiry precedes.
        struct itimerspec five = { .it_value = { 0, 5000000 } };
        struct timespec wait5 = { 0, 5000000 };
        timer_settime(t, 0, &five, NULL);
        int r4 = sigtimedwait(&s, &si, &wait5);
        while (sigtimedwait(&s, &si, &zero) > 0) {}
        timer_delete(t);
        if (round == 0 || !(p1 && r1 == SIGUSR1 && disarmed1 && p2 && ov_ok && disarmed3 && p3 && r4 == SIGUSR1))
            printf("round %d: past: pending %d taken %d disarmed %d; periodic from 100 ms ago: pending %d overrun >= 100 and "
                   "timer_getoverrun agrees %d; one-shot due: disarmed %d pending %d; "
                   "5 ms one-shot taken by a 5 ms wait %d\n", round, p1, r1 == SIGUSR1, disarmed1, p2, ov_ok, disarmed3, p3, r4 == SIGUSR1);
    }
    printf("done\n");
    return 0;
}
