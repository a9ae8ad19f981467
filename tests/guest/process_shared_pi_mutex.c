// Process-shared priority-inheritance mutexes (FUTEX_LOCK_PI/UNLOCK_PI/TRYLOCK_PI on shared memory) between
// processes: a parent and two children take turns on one counter under the lock, a trylock on a lock
// another process holds fails with EBUSY, a lock with a deadline times out with ETIMEDOUT, and a waiter
// blocked in the kernel gets the lock when the other process unlocks it.
// cflags: -pthread
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

struct shared { pthread_mutex_t m; long counter; int held; };

int main(void)
{
    struct shared *s = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (s == MAP_FAILED) return 1;
    pthread_mutexattr_t at;
    pthread_mutexattr_init(&at);
    pthread_mutexattr_setpshared(&at, PTHREAD_PROCESS_SHARED);
    pthread_mutexattr_setprotocol(&at, PTHREAD_PRIO_INHERIT);
    pthread_mutex_init(&s->m, &at);

    // Three processes, 20000 increments each, under the lock (contended: waits go to the kernel).
    fflush(stdout);
    pid_t kids[2];
    for (int k = 0; k < 2; k++)
        if ((kids[k] = fork()) == 0)
        {
            for (int i = 0; i < 20000; i++)
            {
                if (pthread_mutex_lock(&s->m) != 0) _exit(2);
                s->counter++;
                if (pthread_mutex_unlock(&s->m) != 0) _exit(3);
            }
            _exit(0);
        }
    for (int i = 0; i < 20000; i++)
    {
        pthread_mutex_lock(&s->m);
        s->counter++;
        pthread_mutex_unlock(&s->m);
    }
    for (int k = 0; k < 2; k++)
    {
        int st;
        waitpid(kids[k], &st, 0);
        printf("child %d: exit %d\n", k, WIFEXITED(st) ? WEXITSTATUS(st) : -WTERMSIG(st));
    }
    printf("counter: %ld\n", s->counter);

    // A child holds the lock: trylock is EBUSY, a timed lock times out, a plain lock waits for the unlock.
    int p[2];
    char c;
    if (pipe(p)) return 1;
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0)
    {
        pthread_mutex_lock(&s->m);
        s->held = 1;
        if (write(p[1], "x", 1) != 1) _exit(3);
        usleep(300000);
        s->held = 0;
        pthread_mutex_unlock(&s->m);
        _exit(0);
    }
    if (read(p[0], &c, 1) != 1) return 1;
    printf("trylock: %s\n", strerror(pthread_mutex_trylock(&s->m)));
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_nsec += 50000000;
    if (ts.tv_nsec >= 1000000000) { ts.tv_sec++; ts.tv_nsec -= 1000000000; }
    printf("timedlock: %s\n", strerror(pthread_mutex_timedlock(&s->m, &ts)));
    int r = pthread_mutex_lock(&s->m);
    printf("lock: %d, held by the child: %d\n", r, s->held);
    printf("unlock: %d\n", pthread_mutex_unlock(&s->m));
    int st;
    waitpid(pid, &st, 0);
    printf("child: exit %d\n", WIFEXITED(st) ? WEXITSTATUS(st) : -WTERMSIG(st));
    return 0;
}
