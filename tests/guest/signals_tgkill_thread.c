// cflags: -pthread
// Another process sends a real-time signal with tgkill to one particular thread of this one, which is blocked in read(): its
// handler must run on that thread, at once (the read fails with EINTR, as the handler has no SA_RESTART), and
// si_code is SI_TKILL. Ferry keeps forwarded real-time signals blocked in every host thread, so such a signal waited in
// the host until that thread next changed its mask, and the thread slept on in read(). Only main prints, after the
// join, so the order of lines does not depend on which process the scheduler runs first.
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile pid_t handled_on;
static volatile int handled_value;
static int idle[2], ready[2];
static ssize_t read_result;
static int read_errno, on_reader, was_tkill;

static void on_signal(int sig, siginfo_t *si, void *uc)
{
    (void)sig; (void)uc;
    handled_on = (pid_t)syscall(SYS_gettid);
    handled_value = si->si_code == SI_TKILL;
}

static void *reader(void *arg)
{
    (void)arg;
    pid_t self = (pid_t)syscall(SYS_gettid);
    if (write(ready[1], &self, sizeof self) != sizeof self) return NULL;
    char c;
    ssize_t r = read(idle[0], &c, 1);
    read_errno = errno;
    read_result = r;
    on_reader = handled_on == self;
    was_tkill = handled_value;
    return NULL;
}

// Whether thread tid sleeps in read() (system call 0), from /proc: a fixed sleep was not always enough under the
// emulator, and a signal that comes before the read leaves the thread to block in it for good.
static int in_read(pid_t tid)
{
    char path[64], buf[32] = {0};
    snprintf(path, sizeof path, "/proc/self/task/%d/syscall", (int)tid);
    FILE *f = fopen(path, "r");
    if (!f) return 0;
    int ok = fgets(buf, sizeof buf, f) && buf[0] == '0' && buf[1] == ' ';
    fclose(f);
    return ok;
}

static int run(int sig, const char *name)
{
    handled_on = 0;
    handled_value = 0;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_signal;
    sa.sa_flags = SA_SIGINFO;
    sigaction(sig, &sa, NULL);
    if (pipe(idle) || pipe(ready)) return 1;
    pthread_t t;
    pthread_create(&t, NULL, reader, NULL);
    pid_t target;
    if (read(ready[0], &target, sizeof target) != sizeof target) return 1;
    for (int i = 0; i < 2000 && !in_read(target); i++) usleep(5000);
    pid_t parent = getpid(), kid = fork();
    if (kid == 0)
    {
        _exit(syscall(SYS_tgkill, parent, target, sig) == 0 ? 0 : 1);
    }
    int st;
    waitpid(kid, &st, 0);
    pthread_join(t, NULL);
    printf("%s: sender exit %d\n", name, WIFEXITED(st) ? WEXITSTATUS(st) : -1);
    printf("%s: thread read %zd (%s), handler ran on that thread: %d, SI_TKILL: %d\n", name, read_result,
           read_result < 0 ? strerror(read_errno) : "data", on_reader, was_tkill);
    printf("%s: handler ran on main: %d\n", name, handled_on == getpid());
    close(idle[0]); close(idle[1]); close(ready[0]); close(ready[1]);
    return 0;
}

int main(void)
{
    if (run(SIGRTMIN + 3, "real-time")) return 1;
    return 0;
}
