// Synchronisation between processes through shared memory (shared futexes): a process-shared robust
// mutex whose owner process exits holding it (EOWNERDEAD for a parent already blocked on it, and
// for one that locks later), a named semaphore (sem_open in /dev/shm) and an unnamed process-shared
// one passed between parent and child with blocking waits, and a process-shared condition variable.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

struct shared
{
    pthread_mutex_t m;
    pthread_mutex_t cm;
    pthread_cond_t c;
    sem_t sem;
    int flag;
    int counter;
};

static int failures;
static void check(const char *what, int got, int want)
{
    printf("%-40s %s\n", what, got == want ? "ok" : strerror(got));
    if (got != want) failures++;
}

static int status_of(pid_t pid)
{
    int st;
    if (waitpid(pid, &st, 0) != pid) return -1;
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

int main(void)
{
    struct shared *s = mmap(NULL, sizeof *s, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (s == MAP_FAILED) return 1;
    pthread_mutexattr_t ma;
    pthread_mutexattr_init(&ma);
    pthread_mutexattr_setpshared(&ma, PTHREAD_PROCESS_SHARED);
    pthread_mutexattr_setrobust(&ma, PTHREAD_MUTEX_ROBUST);
    pthread_mutex_init(&s->m, &ma);
    pthread_mutexattr_setrobust(&ma, PTHREAD_MUTEX_STALLED);
    pthread_mutex_init(&s->cm, &ma);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setpshared(&ca, PTHREAD_PROCESS_SHARED);
    pthread_cond_init(&s->c, &ca);
    sem_init(&s->sem, 1, 0);

    // The child locks the robust mutex, lets the parent block on it, and exits holding it.
    pid_t pid = fork();
    if (pid == 0)
    {
        pthread_mutex_lock(&s->m);
        sem_post(&s->sem);
        usleep(20000);
        _exit(3);
    }
    sem_wait(&s->sem);
    check("pshared robust: blocked lock", pthread_mutex_lock(&s->m), EOWNERDEAD);
    check("pshared robust: consistent", pthread_mutex_consistent(&s->m), 0);
    pthread_mutex_unlock(&s->m);
    printf("child status %d\n", status_of(pid));

    pid = fork();
    if (pid == 0)
    {
        pthread_mutex_lock(&s->m);
        _exit(4);
    }
    printf("child status %d\n", status_of(pid));
    check("pshared robust: lock after exit", pthread_mutex_lock(&s->m), EOWNERDEAD);
    pthread_mutex_consistent(&s->m);
    pthread_mutex_unlock(&s->m);

    // A named semaphore handed back and forth: each side blocks until the other posts.
    char name[64];
    snprintf(name, sizeof name, "/ferry-guest-%d", (int)getpid());
    sem_t *ping = sem_open(name, O_CREAT | O_EXCL, 0600, 0);
    if (ping == SEM_FAILED) { perror("sem_open"); return 1; }
    sem_unlink(name);
    pid = fork();
    if (pid == 0)
    {
        for (int i = 0; i < 200; i++)
        {
            sem_wait(ping);
            s->counter++;
            sem_post(&s->sem);
        }
        _exit(0);
    }
    for (int i = 0; i < 200; i++)
    {
        sem_post(ping);
        sem_wait(&s->sem);
    }
    printf("ping-pong %d, child status %d\n", s->counter, status_of(pid));
    sem_close(ping);

    // A process-shared condition variable: the parent waits for a flag the child sets.
    pid = fork();
    if (pid == 0)
    {
        usleep(10000);
        pthread_mutex_lock(&s->cm);
        s->flag = 42;
        pthread_cond_signal(&s->c);
        pthread_mutex_unlock(&s->cm);
        _exit(0);
    }
    pthread_mutex_lock(&s->cm);
    while (s->flag == 0) pthread_cond_wait(&s->c, &s->cm);
    pthread_mutex_unlock(&s->cm);
    printf("flag %d, child status %d\n", s->flag, status_of(pid));
    return failures != 0;
}
