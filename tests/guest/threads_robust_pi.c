// Robust and priority-inheritance mutexes: a thread that ends holding a robust mutex leaves it
// EOWNERDEAD for the next locker (also one already blocked on it), ENOTRECOVERABLE if not made
// consistent; PI mutexes (FUTEX_LOCK_PI/UNLOCK_PI/TRYLOCK_PI) under contention, with a condvar,
// error-checking and trylock; robust PI mutexes. Exit status 0 when every check holds.
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int failures;
static void check(const char *what, int got, int want)
{
    printf("%-40s %s\n", what, got == want ? "ok" : strerror(got));
    if (got != want) failures++;
}

static pthread_mutex_t m;
static int ready[2];

static void *hold_and_exit(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&m);
    char c = 1;
    if (write(ready[1], &c, 1) != 1) return NULL;
    usleep(20000); // the main thread is likely blocked on the mutex by now
    return NULL;   // ends holding it
}

static void init(int robust, int protocol, int type)
{
    pthread_mutexattr_t a;
    pthread_mutexattr_init(&a);
    if (robust) pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST);
    pthread_mutexattr_setprotocol(&a, protocol);
    pthread_mutexattr_settype(&a, type);
    pthread_mutex_init(&m, &a);
    pthread_mutexattr_destroy(&a);
}

static void owner_dies(const char *name, int protocol)
{
    char buf[80];
    init(1, protocol, PTHREAD_MUTEX_NORMAL);
    pthread_t t;
    pthread_create(&t, NULL, hold_and_exit, NULL);
    char c;
    if (read(ready[0], &c, 1) != 1) failures++;
    snprintf(buf, sizeof buf, "%s: blocked lock", name);
    check(buf, pthread_mutex_lock(&m), EOWNERDEAD);
    pthread_join(t, NULL);
    snprintf(buf, sizeof buf, "%s: consistent", name);
    check(buf, pthread_mutex_consistent(&m), 0);
    pthread_mutex_unlock(&m);
    snprintf(buf, sizeof buf, "%s: lock again", name);
    check(buf, pthread_mutex_lock(&m), 0);
    pthread_mutex_unlock(&m);

    // Not made consistent: the mutex is dead for good.
    pthread_create(&t, NULL, hold_and_exit, NULL);
    if (read(ready[0], &c, 1) != 1) failures++;
    pthread_join(t, NULL);
    snprintf(buf, sizeof buf, "%s: lock after join", name);
    check(buf, pthread_mutex_lock(&m), EOWNERDEAD);
    pthread_mutex_unlock(&m);
    snprintf(buf, sizeof buf, "%s: unrecoverable", name);
    check(buf, pthread_mutex_lock(&m), ENOTRECOVERABLE);
    pthread_mutex_destroy(&m);
}

enum { Threads = 6, Rounds = 4000 };
static long counter;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static int queue_len, produced, consumed;

static void *add(void *arg)
{
    (void)arg;
    for (int i = 0; i < Rounds; i++)
    {
        pthread_mutex_lock(&m);
        long v = counter;
        if ((i & 255) == 0) sched_yield(); // hold it a while now and then, so others block
        counter = v + 1;
        pthread_mutex_unlock(&m);
    }
    return NULL;
}

static void *consume(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&m);
    while (consumed < 3000)
    {
        while (queue_len == 0 && consumed < 3000) pthread_cond_wait(&cond, &m);
        if (queue_len > 0) { queue_len--; consumed++; pthread_cond_broadcast(&cond); }
    }
    pthread_mutex_unlock(&m);
    return NULL;
}

static void *produce(void *arg)
{
    (void)arg;
    for (int i = 0; i < 1000; i++)
    {
        pthread_mutex_lock(&m);
        while (queue_len >= 4) pthread_cond_wait(&cond, &m);
        queue_len++;
        produced++;
        pthread_cond_broadcast(&cond);
        pthread_mutex_unlock(&m);
    }
    return NULL;
}

static void *try_other(void *arg)
{
    (void)arg;
    return (void *)(long)pthread_mutex_trylock(&m);
}

int main(void)
{
    if (pipe(ready) != 0) return 1;
    owner_dies("robust", PTHREAD_PRIO_NONE);
    owner_dies("robust pi", PTHREAD_PRIO_INHERIT);

    init(0, PTHREAD_PRIO_INHERIT, PTHREAD_MUTEX_ERRORCHECK);
    pthread_t t[Threads];
    for (int i = 0; i < Threads; i++) pthread_create(&t[i], NULL, add, NULL);
    for (int i = 0; i < Threads; i++) pthread_join(t[i], NULL);
    check("pi: counter", counter == (long)Threads * Rounds ? 0 : EINVAL, 0);
    check("pi: lock", pthread_mutex_lock(&m), 0);
    check("pi errorcheck: relock", pthread_mutex_lock(&m), EDEADLK);
    void *r;
    pthread_create(&t[0], NULL, try_other, NULL);
    pthread_join(t[0], &r);
    check("pi: trylock by another thread", (int)(long)r, EBUSY);
    check("pi: unlock", pthread_mutex_unlock(&m), 0);
    check("pi errorcheck: unlock unowned", pthread_mutex_unlock(&m), EPERM);
    pthread_mutex_destroy(&m);

    init(0, PTHREAD_PRIO_INHERIT, PTHREAD_MUTEX_NORMAL);
    for (int i = 0; i < 3; i++) pthread_create(&t[i], NULL, produce, NULL);
    for (int i = 3; i < 5; i++) pthread_create(&t[i], NULL, consume, NULL);
    for (int i = 0; i < 5; i++) pthread_join(t[i], NULL);
    printf("pi condvar: produced %d consumed %d left %d\n", produced, consumed, queue_len);
    pthread_mutex_destroy(&m);
    return failures != 0;
}
