// POSIX timers (timer_create/settime/gettime/getoverrun/delete): one-shot, periodic, absolute and
// overrun expiries, the siginfo they carry (SI_TIMER, timer id, sigev_value) through sigwaitinfo, a
// handler and signalfd, the default sigevent, SIGEV_THREAD callbacks, and bad arguments. Only what
// does not depend on the machine's speed is printed.
#define _GNU_SOURCE
#include <errno.h>
#include <semaphore.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static timer_t make(int signo, int value)
{
    struct sigevent ev = { .sigev_notify = SIGEV_SIGNAL, .sigev_signo = signo, .sigev_value.sival_int = value };
    timer_t t;
    if (timer_create(CLOCK_MONOTONIC, &ev, &t) != 0) { perror("timer_create"); _exit(1); }
    return t;
}

static void arm(timer_t t, long value_ns, long interval_ns, int flags)
{
    struct itimerspec its = { .it_interval = { interval_ns / 1000000000, interval_ns % 1000000000 },
                              .it_value = { value_ns / 1000000000, value_ns % 1000000000 } };
    if (timer_settime(t, flags, &its, NULL) != 0) { perror("timer_settime"); _exit(1); }
}

static volatile sig_atomic_t handled, handled_code, handled_value;
static void on_usr2(int sig, siginfo_t *si, void *uc)
{
    (void)sig; (void)uc;
    handled++;
    handled_code = si->si_code;
    handled_value = si->si_value.sival_int;
}

static sem_t fired;
static volatile int thread_value;
static void on_thread(union sigval v)
{
    thread_value = v.sival_int;
    sem_post(&fired);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    sigaddset(&set, SIGALRM);
    sigaddset(&set, SIGRTMIN + 2);
    sigprocmask(SIG_BLOCK, &set, NULL);

    // One-shot.
    timer_t t = make(SIGUSR1, 77);
    struct itimerspec cur;
    timer_gettime(t, &cur);
    printf("disarmed: %ld %ld %ld %ld\n", (long)cur.it_value.tv_sec, cur.it_value.tv_nsec, (long)cur.it_interval.tv_sec, cur.it_interval.tv_nsec);
    // Armed far enough ahead that no preemption between the two calls lets it expire, under any load.
    arm(t, 5000000000, 0, 0);
    timer_gettime(t, &cur);
    printf("armed: remaining in (0, 5s]: %d interval 0: %d\n", cur.it_value.tv_sec * 1000000000 + cur.it_value.tv_nsec > 0 &&
           cur.it_value.tv_sec * 1000000000 + cur.it_value.tv_nsec <= 5000000000, cur.it_interval.tv_sec == 0 && cur.it_interval.tv_nsec == 0);
    arm(t, 5000000, 0, 0);
    siginfo_t si;
    sigset_t one;
    sigemptyset(&one);
    sigaddset(&one, SIGUSR1);
    int s = sigwaitinfo(&one, &si);
    printf("one-shot: sig=%d code_is_timer=%d value=%d timerid_ok=%d overrun=%d\n", s, si.si_code == SI_TIMER, si.si_value.sival_int,
           si.si_timerid == (int)(long)t, si.si_overrun);
    timer_gettime(t, &cur);
    printf("after expiry: %ld %ld\n", (long)cur.it_value.tv_sec, cur.it_value.tv_nsec);

    // Periodic, then disarmed.
    arm(t, 2000000, 2000000, 0);
    int got = 0;
    for (int k = 0; k < 3; k++) got += sigwaitinfo(&one, &si) == SIGUSR1;
    arm(t, 0, 0, 0);
    timer_gettime(t, &cur);
    printf("periodic: %d expiries, disarmed: %d\n", got, cur.it_value.tv_sec == 0 && cur.it_value.tv_nsec == 0);

    // Overruns: expiries while the signal is still pending are counted, not queued.
    arm(t, 1000000, 1000000, 0);
    struct timespec nap = { 0, 30000000 };
    nanosleep(&nap, NULL);
    sigwaitinfo(&one, &si);
    int ov = timer_getoverrun(t);
    arm(t, 0, 0, 0);
    printf("overrun: si_overrun>0: %d timer_getoverrun is it: %d\n", si.si_overrun > 0, ov == si.si_overrun);

    // Absolute expiry.
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    long abs_ns = (long)now.tv_sec * 1000000000 + now.tv_nsec + 3000000;
    arm(t, abs_ns, 0, TIMER_ABSTIME);
    s = sigwaitinfo(&one, &si);
    clock_gettime(CLOCK_MONOTONIC, &now);
    printf("absolute: sig=%d not early: %d\n", s, (long)now.tv_sec * 1000000000 + now.tv_nsec >= abs_ns);
    int d1 = timer_delete(t), d2 = timer_delete(t);
    printf("delete: %d again: %d %s\n", d1, d2, strerror(errno));

    // The default sigevent: SIGALRM.
    timer_t d;
    timer_create(CLOCK_REALTIME, NULL, &d);
    arm(d, 2000000, 0, 0);
    sigset_t alrm;
    sigemptyset(&alrm);
    sigaddset(&alrm, SIGALRM);
    s = sigwaitinfo(&alrm, &si);
    printf("default sigevent: sig=%d code_is_timer=%d\n", s, si.si_code == SI_TIMER);
    timer_delete(d);

    // A handler.
    struct sigaction sa = { .sa_sigaction = on_usr2, .sa_flags = SA_SIGINFO };
    sigaction(SIGUSR2, &sa, NULL);
    timer_t h = make(SIGUSR2, 4242);
    arm(h, 2000000, 0, 0);
    while (!handled) pause();
    printf("handler: %d code_is_timer=%d value=%d\n", handled, handled_code == SI_TIMER, handled_value);
    timer_delete(h);

    // signalfd.
    int rt = SIGRTMIN + 2;
    sigset_t rts;
    sigemptyset(&rts);
    sigaddset(&rts, rt);
    int sfd = signalfd(-1, &rts, 0);
    timer_t r = make(rt, -9);
    arm(r, 2000000, 0, 0);
    struct signalfd_siginfo ssi;
    ssize_t n = read(sfd, &ssi, sizeof ssi);
    printf("signalfd: n=%zd rt_ok=%d code_is_timer=%d int=%d tid_ok=%d overrun=%u\n", n, ssi.ssi_signo == (unsigned)rt,
           ssi.ssi_code == SI_TIMER, ssi.ssi_int, ssi.ssi_tid == (unsigned)(long)r, ssi.ssi_overrun);
    timer_delete(r);
    close(sfd);

    // SIGEV_THREAD: glibc runs the callback in a thread of its own.
    sem_init(&fired, 0, 0);
    struct sigevent tev = { .sigev_notify = SIGEV_THREAD, .sigev_notify_function = on_thread, .sigev_value.sival_int = 31337 };
    timer_t th;
    printf("SIGEV_THREAD create: %d\n", timer_create(CLOCK_MONOTONIC, &tev, &th));
    arm(th, 2000000, 0, 0);
    sem_wait(&fired);
    printf("SIGEV_THREAD callback value: %d\n", thread_value);
    timer_delete(th);

    // Errors.
    timer_t bad;
    errno = 0;
    s = timer_create(12345, NULL, &bad);
    printf("bad clock: %d %s\n", s, strerror(errno));
    struct sigevent badev = { .sigev_notify = 99 };
    s = timer_create(CLOCK_MONOTONIC, &badev, &bad);
    printf("bad notify: %d %s\n", s, strerror(errno));
    s = (int)syscall(SYS_timer_settime, 999, 0, &cur, NULL);
    printf("bad id: %d %s\n", s, strerror(errno));
    t = make(SIGUSR1, 0);
    struct itimerspec badspec = { .it_value = { 0, 1000000000 } };
    s = timer_settime(t, 0, &badspec, NULL);
    printf("bad nsec: %d %s\n", s, strerror(errno));
    timer_delete(t);
    return 0;
}
