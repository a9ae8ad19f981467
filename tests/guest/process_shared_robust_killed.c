// Robust process-shared mutexes whose owner process dies by a signal (SIGKILL from outside, SIGSEGV's
// default action, SIGKILL while another process waits for the lock, a thread other than the main one
// holding it): the kernel walks the dead threads' robust lists on any exit, so the next locker gets
// EOWNERDEAD and makes the mutex consistent. Plain and priority-inheritance (PI) mutexes both.
// cflags: -pthread
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

static pthread_mutex_t *m;
static volatile unsigned long bad_address = 16;

static void init(int pi)
{
    pthread_mutexattr_t at;
    pthread_mutexattr_init(&at);
    pthread_mutexattr_setpshared(&at, PTHREAD_PROCESS_SHARED);
    pthread_mutexattr_setrobust(&at, PTHREAD_MUTEX_ROBUST);
    if (pi) pthread_mutexattr_setprotocol(&at, PTHREAD_PRIO_INHERIT);
    pthread_mutex_init(m, &at);
    pthread_mutexattr_destroy(&at);
}

static void report(const char *what, pid_t pid)
{
    int st;
    if (waitpid(pid, &st, 0) != pid) { printf("%s: waitpid: %s\n", what, strerror(errno)); return; }
    if (WIFSIGNALED(st)) printf("%s: child killed by signal %d\n", what, WTERMSIG(st));
    else printf("%s: child exited %d\n", what, WEXITSTATUS(st));
}

static void relock(const char *what)
{
    int r = pthread_mutex_lock(m);
    printf("%s: lock: %s\n", what, r == EOWNERDEAD ? "EOWNERDEAD" : r == 0 ? "0" : strerror(r));
    if (r == EOWNERDEAD) printf("%s: consistent: %d\n", what, pthread_mutex_consistent(m));
    printf("%s: unlock: %d\n", what, pthread_mutex_unlock(m));
    r = pthread_mutex_lock(m);
    printf("%s: lock again: %d\n", what, r);
    pthread_mutex_unlock(m);
}

static void *hold_and_crash(void *arg)
{
    int *ready = arg;
    pthread_mutex_lock(m);
    if (write(ready[1], "x", 1) != 1) _exit(3);
    usleep(20000);
    *(volatile int *)bad_address = 1; // SIGSEGV: the whole process dies
    return NULL;
}

int main(void)
{
    m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (m == MAP_FAILED) return 1;
    for (int pi = 0; pi <= 1; pi++)
    {
        const char *kind = pi ? "pi" : "plain";
        char what[64];
        int p[2];
        char c;

        // 1. SIGKILL from the parent while the child holds the lock.
        init(pi);
        if (pipe(p)) return 1;
        fflush(stdout);
        pid_t pid = fork();
        if (pid == 0)
        {
            pthread_mutex_lock(m);
            if (write(p[1], "x", 1) != 1) _exit(3);
            for (;;) pause();
        }
        if (read(p[0], &c, 1) != 1) return 1;
        kill(pid, SIGKILL);
        snprintf(what, sizeof what, "%s sigkill", kind);
        report(what, pid);
        relock(what);
        close(p[0]); close(p[1]);

        // 2. SIGSEGV's default action, the lock held by a second thread of the child.
        init(pi);
        if (pipe(p)) return 1;
        fflush(stdout);
        pid = fork();
        if (pid == 0)
        {
            pthread_t t;
            pthread_create(&t, NULL, hold_and_crash, p);
            pthread_join(t, NULL);
            _exit(4);
        }
        if (read(p[0], &c, 1) != 1) return 1;
        snprintf(what, sizeof what, "%s sigsegv in thread", kind);
        report(what, pid);
        relock(what);
        close(p[0]); close(p[1]);

        // 3. The parent already waits in pthread_mutex_lock when the owner kills itself.
        init(pi);
        if (pipe(p)) return 1;
        fflush(stdout);
        pid = fork();
        if (pid == 0)
        {
            pthread_mutex_lock(m);
            if (write(p[1], "x", 1) != 1) _exit(3);
            usleep(100000);
            raise(SIGKILL);
            _exit(5);
        }
        if (read(p[0], &c, 1) != 1) return 1;
        snprintf(what, sizeof what, "%s waiter", kind);
        int r = pthread_mutex_lock(m);
        printf("%s: lock: %s\n", what, r == EOWNERDEAD ? "EOWNERDEAD" : r == 0 ? "0" : strerror(r));
        if (r == EOWNERDEAD) pthread_mutex_consistent(m);
        pthread_mutex_unlock(m);
        report(what, pid);
        close(p[0]); close(p[1]);
    }
    return 0;
}
