// cflags: -pthread
// Another process sends a signal with tgkill to one particular thread of this one: a standard signal (SIGUSR1) to
// a thread blocked in read(), SIGUSR2 to a thread spinning in a busy loop, and a real-time one to a spinning thread.
// Each handler must run on its target thread, with si_code SI_TKILL and the sender's pid and uid, and at once (the
// read fails with EINTR, as the handler has no SA_RESTART; the busy loop ends). Then the same in a forked child,
// which under Ferry has no signal-reader thread of its own. Ferry used to hand standard signals from outside to the
// whole process, so the main thread (spinning in no guest code, only waiting) could run the handler, and it kept a
// real-time one in the host until the target thread next changed its mask. Only one thread of one process prints at
// a time, so the output does not depend on the scheduler. alarm() turns a signal that never arrives into a failure
// rather than a hang.
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile pid_t handled_on, sender_seen;
static volatile int code_seen, uid_seen;
static volatile sig_atomic_t got, spinning;
static int idle[2], ready[2];
static ssize_t read_result;
static int read_errno;

static void on_signal(int sig, siginfo_t *si, void *uc)
{
    (void)sig; (void)uc;
    handled_on = (pid_t)syscall(SYS_gettid);
    code_seen = si->si_code;
    sender_seen = si->si_pid;
    uid_seen = si->si_uid == getuid();
    got = 1;
}

static void *blocker(void *arg)
{
    (void)arg;
    pid_t self = (pid_t)syscall(SYS_gettid);
    if (write(ready[1], &self, sizeof self) != sizeof self) return NULL;
    char c;
    read_result = read(idle[0], &c, 1);
    read_errno = errno;
    return NULL;
}

static void *spinner(void *arg)
{
    (void)arg;
    pid_t self = (pid_t)syscall(SYS_gettid);
    if (write(ready[1], &self, sizeof self) != sizeof self) return NULL;
    spinning = 1;
    while (!got) { }
    return NULL;
}

// Whether thread tid sleeps in read() (system call 0), from /proc: a signal that comes before the read leaves the
// thread to block in it for good.
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

static int run(const char *where, int sig, const char *name, int busy)
{
    handled_on = sender_seen = 0;
    code_seen = uid_seen = 0;
    got = spinning = 0;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_signal;
    sa.sa_flags = SA_SIGINFO;
    sigaction(sig, &sa, NULL);
    if (pipe(idle) || pipe(ready)) return 1;
    pthread_t t;
    pthread_create(&t, NULL, busy ? spinner : blocker, NULL);
    pid_t target;
    if (read(ready[0], &target, sizeof target) != sizeof target) return 1;
    if (busy) while (!spinning) usleep(1000);
    else for (int i = 0; i < 2000 && !in_read(target); i++) usleep(5000);
    pid_t self = getpid();
    fflush(stdout);
    pid_t kid = fork();
    if (kid == 0) _exit(syscall(SYS_tgkill, self, target, sig) == 0 ? 0 : 1);
    int st;
    waitpid(kid, &st, 0);
    pthread_join(t, NULL);
    printf("%s, %s to a thread %s: sender exit %d\n", where, name, busy ? "in a busy loop" : "in read()",
           WIFEXITED(st) ? WEXITSTATUS(st) : -1);
    if (!busy)
        printf("  read %zd (%s)\n", read_result, read_result < 0 ? strerror(read_errno) : "data");
    printf("  handler on that thread: %d, on main: %d, SI_TKILL: %d, si_pid is the sender: %d, si_uid: %d\n",
           handled_on == target, handled_on == self, code_seen == SI_TKILL, sender_seen == kid, uid_seen);
    close(idle[0]); close(idle[1]); close(ready[0]); close(ready[1]);
    return 0;
}

static int all(const char *where)
{
    if (run(where, SIGUSR1, "SIGUSR1", 0)) return 1;
    if (run(where, SIGUSR2, "SIGUSR2", 1)) return 1;
    if (run(where, SIGRTMIN + 2, "SIGRTMIN+2", 1)) return 1;
    if (run(where, SIGRTMIN + 4, "SIGRTMIN+4", 0)) return 1;
    return 0;
}

int main(void)
{
    alarm(60);
    if (all("process")) return 1;
    fflush(stdout);
    pid_t child = fork();
    if (child == 0)
    {
        alarm(60);
        int r = all("forked child");
        fflush(stdout);
        _exit(r);
    }
    int st;
    waitpid(child, &st, 0);
    printf("forked child: exit %d\n", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
    return 0;
}
