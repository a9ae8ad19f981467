// Timers and interrupted calls: alarm and setitimer(ITIMER_REAL) deliver SIGALRM; a read blocked on
// an empty pipe is restarted after a SA_RESTART handler (which writes the byte it then reads) and
// fails with EINTR after a handler without it; pause and sigsuspend return after a handler;
// nanosleep is interrupted; a tight loop still sees the signal; getitimer reports an armed timer.
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static int fds[2];
static volatile sig_atomic_t alarms;

static void on_alarm_write(int sig) {
    (void)sig;
    alarms++;
    char c = 'x';
    if (write(fds[1], &c, 1) != 1) alarms += 100;
}

static void on_alarm(int sig) { (void)sig; alarms++; }

static void arm_ms(int ms) {
    struct itimerval it;
    memset(&it, 0, sizeof it);
    it.it_value.tv_sec = ms / 1000;
    it.it_value.tv_usec = (ms % 1000) * 1000;
    setitimer(ITIMER_REAL, &it, NULL);
}

static void handle(void (*h)(int), int flags) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = h;
    sa.sa_flags = flags;
    sigaction(SIGALRM, &sa, NULL);
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    if (pipe(fds) != 0) return 1;

    handle(on_alarm_write, SA_RESTART);
    arm_ms(50);
    char c = 0;
    ssize_t n = read(fds[0], &c, 1);
    printf("SA_RESTART read: %zd '%c' alarms %d\n", n, c, (int)alarms);

    handle(on_alarm, 0);
    alarms = 0;
    arm_ms(50);
    errno = 0;
    n = read(fds[0], &c, 1);
    int e = errno;
    printf("plain read: %zd EINTR %d alarms %d\n", n, e == EINTR, (int)alarms);

    alarms = 0;
    printf("alarm(1) returns %u\n", alarm(1));
    unsigned left = alarm(2);
    printf("second alarm returns %u (1 or 0)\n", left <= 1);
    pause();
    printf("pause returned, alarms %d errno EINTR %d\n", (int)alarms, errno == EINTR);

    struct itimerval it, cur;
    memset(&it, 0, sizeof it);
    it.it_value.tv_sec = 5;
    setitimer(ITIMER_REAL, &it, NULL);
    getitimer(ITIMER_REAL, &cur);
    printf("getitimer armed: %d\n", cur.it_value.tv_sec >= 3 && cur.it_value.tv_sec <= 5);
    memset(&it, 0, sizeof it);
    setitimer(ITIMER_REAL, &it, NULL);
    getitimer(ITIMER_REAL, &cur);
    printf("disarmed: %d\n", cur.it_value.tv_sec == 0 && cur.it_value.tv_usec == 0);

    // sigsuspend with SIGALRM blocked outside.
    sigset_t block, old;
    sigemptyset(&block);
    sigaddset(&block, SIGALRM);
    sigprocmask(SIG_BLOCK, &block, &old);
    alarms = 0;
    arm_ms(30);
    int r = sigsuspend(&old);
    printf("sigsuspend: %d EINTR %d alarms %d\n", r, errno == EINTR, (int)alarms);
    sigprocmask(SIG_SETMASK, &old, NULL);

    // nanosleep is never restarted after a handler.
    alarms = 0;
    arm_ms(30);
    struct timespec ts = { 10, 0 }, rem;
    r = nanosleep(&ts, &rem);
    printf("nanosleep: %d EINTR %d alarms %d remaining<10s %d\n", r, errno == EINTR, (int)alarms, rem.tv_sec < 10);

    // A guest spinning without system calls still gets the signal.
    alarms = 0;
    arm_ms(30);
    unsigned long spins = 0;
    while (!alarms) spins++;
    printf("tight loop saw the alarm: %d\n", spins > 0);

    // A periodic timer fires again and again.
    alarms = 0;
    memset(&it, 0, sizeof it);
    it.it_value.tv_usec = 10000;
    it.it_interval.tv_usec = 10000;
    setitimer(ITIMER_REAL, &it, NULL);
    while (alarms < 5) pause();
    memset(&it, 0, sizeof it);
    setitimer(ITIMER_REAL, &it, NULL);
    printf("interval timer fired at least 5 times: %d\n", alarms >= 5);
    return 0;
}
