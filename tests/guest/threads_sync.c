// cflags: -pthread
// Threads as glibc makes them (clone3/clone with CLONE_THREAD|SETTLS|PARENT_SETTID|CHILD_CLEARTID):
// a mutex-protected counter, a condition-variable work queue, a barrier, __thread variables, detached
// threads, pthread_join results, gettid, per-thread signal masks, pthread_kill to one thread, thread
// names, sched_* calls and exit from a non-main thread while main waits. Output is deterministic.
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <semaphore.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#define NT 8
#define PER 20000

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static long counter;
static __thread long tls_value = 100;
static __thread char tls_buf[32];

static void *count_worker(void *arg) {
    long id = (long)arg;
    tls_value += id;
    snprintf(tls_buf, sizeof tls_buf, "worker-%ld", id);
    for (int i = 0; i < PER; i++) {
        pthread_mutex_lock(&lock);
        counter++;
        pthread_mutex_unlock(&lock);
        if (i % 5000 == 0) sched_yield();
    }
    // The TLS block is this thread's own: nobody else changed it.
    if (tls_value != 100 + id || strcmp(tls_buf + 7, (char[]){ (char)('0' + id), 0 }) != 0) return (void *)-1L;
    return (void *)(id * id);
}

// A bounded queue with two condition variables.
#define QCAP 4
static int queue[QCAP], qhead, qcount, produced_done;
static pthread_mutex_t qlock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t not_empty = PTHREAD_COND_INITIALIZER, not_full = PTHREAD_COND_INITIALIZER;
static long consumed_sum[3];

static void *producer(void *arg) {
    (void)arg;
    for (int v = 1; v <= 3000; v++) {
        pthread_mutex_lock(&qlock);
        while (qcount == QCAP) pthread_cond_wait(&not_full, &qlock);
        queue[(qhead + qcount++) % QCAP] = v;
        pthread_cond_signal(&not_empty);
        pthread_mutex_unlock(&qlock);
    }
    pthread_mutex_lock(&qlock);
    produced_done = 1;
    pthread_cond_broadcast(&not_empty);
    pthread_mutex_unlock(&qlock);
    return NULL;
}

static void *consumer(void *arg) {
    long id = (long)arg;
    long n = 0;
    for (;;) {
        pthread_mutex_lock(&qlock);
        while (qcount == 0 && !produced_done) pthread_cond_wait(&not_empty, &qlock);
        if (qcount == 0) { pthread_mutex_unlock(&qlock); break; }
        int v = queue[qhead];
        qhead = (qhead + 1) % QCAP;
        qcount--;
        pthread_cond_signal(&not_full);
        pthread_mutex_unlock(&qlock);
        consumed_sum[id] += v;
        n++;
    }
    return (void *)n;
}

static pthread_barrier_t barrier;
static int arrivals[4];
static void *barrier_worker(void *arg) {
    long id = (long)arg;
    for (int round = 0; round < 50; round++) {
        __atomic_fetch_add(&arrivals[id], 1, __ATOMIC_SEQ_CST);
        pthread_barrier_wait(&barrier);
        // After the barrier every thread has arrived round+1 times.
        for (int k = 0; k < 4; k++)
            if (__atomic_load_n(&arrivals[k], __ATOMIC_SEQ_CST) < round + 1) return (void *)1;
        pthread_barrier_wait(&barrier);
    }
    return NULL;
}

static sem_t detached_done;
static int detached_results[4];
static void *detached_worker(void *arg) {
    long id = (long)arg;
    detached_results[id] = (int)(id * 3 + 1);
    sem_post(&detached_done);
    return NULL;
}

static volatile sig_atomic_t usr1_tid;
static void on_usr1(int sig) { (void)sig; usr1_tid = (sig_atomic_t)syscall(SYS_gettid); }

static pid_t target_tid;
static sem_t target_ready, target_go;
static void *signal_target(void *arg) {
    (void)arg;
    target_tid = (pid_t)syscall(SYS_gettid);
    sem_post(&target_ready);
    while (sem_wait(&target_go) != 0 && errno == EINTR) {}
    return NULL;
}

static void *named(void *arg) {
    (void)arg;
    char name[16];
    prctl(PR_SET_NAME, "ferry-worker", 0, 0, 0);
    prctl(PR_GET_NAME, name, 0, 0, 0);
    return strcmp(name, "ferry-worker") == 0 ? (void *)1 : (void *)0;
}

static void *exits_early(void *arg) {
    (void)arg;
    pthread_exit((void *)77);
}

int main(void) {
    pthread_t t[NT];
    for (long i = 0; i < NT; i++) pthread_create(&t[i], NULL, count_worker, (void *)i);
    for (int i = 0; i < NT; i++) {
        void *r;
        pthread_join(t[i], &r);
        printf("join %d -> %ld\n", i, (long)r);
    }
    printf("counter %ld (expected %d), main tls %ld\n", counter, NT * PER, tls_value);

    pthread_t p, c[3];
    pthread_create(&p, NULL, producer, NULL);
    for (long i = 0; i < 3; i++) pthread_create(&c[i], NULL, consumer, (void *)i);
    pthread_join(p, NULL);
    long items = 0, sum = 0;
    for (int i = 0; i < 3; i++) {
        void *r;
        pthread_join(c[i], &r);
        items += (long)r;
        sum += consumed_sum[i];
    }
    printf("queue: %ld items, sum %ld\n", items, sum);

    pthread_barrier_init(&barrier, NULL, 4);
    pthread_t b[4];
    for (long i = 0; i < 4; i++) pthread_create(&b[i], NULL, barrier_worker, (void *)i);
    long bad = 0;
    for (int i = 0; i < 4; i++) { void *r; pthread_join(b[i], &r); bad += (long)r; }
    printf("barrier: %d %d %d %d, bad %ld\n", arrivals[0], arrivals[1], arrivals[2], arrivals[3], bad);

    sem_init(&detached_done, 0, 0);
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    for (long i = 0; i < 4; i++) { pthread_t d; pthread_create(&d, &attr, detached_worker, (void *)i); }
    for (int i = 0; i < 4; i++) sem_wait(&detached_done);
    printf("detached: %d %d %d %d\n", detached_results[0], detached_results[1], detached_results[2], detached_results[3]);

    // A signal sent to one thread runs its handler on that thread; the main thread blocks it meanwhile.
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_usr1;
    sigaction(SIGUSR1, &sa, NULL);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    sem_init(&target_ready, 0, 0);
    sem_init(&target_go, 0, 0);
    pthread_t st;
    sigset_t none;
    sigemptyset(&none);
    pthread_create(&st, NULL, signal_target, NULL);
    sem_wait(&target_ready);
    pid_t main_tid = (pid_t)syscall(SYS_gettid);
    printf("gettid: main is pid %d, thread differs %d\n", main_tid == getpid(), target_tid != main_tid && target_tid > 0);
    // The new thread inherited the blocked mask, so the signal stays pending on it alone.
    pthread_kill(st, SIGUSR1);
    sigset_t pend;
    sigpending(&pend);
    printf("main sees thread-directed signal pending: %d\n", sigismember(&pend, SIGUSR1));
    sem_post(&target_go);
    pthread_join(st, NULL);
    // Now one to the main thread itself.
    pthread_kill(pthread_self(), SIGUSR1);
    sigpending(&pend);
    printf("main pending after self kill: %d\n", sigismember(&pend, SIGUSR1));
    pthread_sigmask(SIG_UNBLOCK, &set, NULL);
    printf("handler ran on main: %d\n", usr1_tid == main_tid);
    printf("tgkill to a dead tid: %d\n", (int)syscall(SYS_tgkill, getpid(), target_tid, 0) == -1 && errno == ESRCH);

    pthread_t nt;
    void *nr;
    pthread_create(&nt, NULL, named, NULL);
    pthread_join(nt, &nr);
    printf("thread name set: %ld\n", (long)nr);

    cpu_set_t cpus;
    CPU_ZERO(&cpus);
    int ar = sched_getaffinity(0, sizeof cpus, &cpus);
    printf("affinity: %d, has a cpu %d\n", ar, CPU_COUNT(&cpus) > 0);
    printf("scheduler: %d\n", sched_getscheduler(0));
    struct sched_param sp;
    printf("getparam: %d prio %d\n", sched_getparam(0, &sp), sp.sched_priority);

    pthread_t ee;
    void *er;
    pthread_create(&ee, NULL, exits_early, NULL);
    pthread_join(ee, &er);
    printf("pthread_exit value %ld\n", (long)er);
    return 0;
}
