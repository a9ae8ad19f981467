// cflags: -pthread
// prctl's process-tree and naming calls. PR_SET_CHILD_SUBREAPER: a grandchild whose parent exits is reparented to
// us (its getppid() becomes our pid) and we wait for it; PR_GET_CHILD_SUBREAPER reads the flag back, and a forked
// child does not inherit it. PR_SET_PDEATHSIG/PR_GET_PDEATHSIG round trip (a fork clears it), and the signal arrives
// when the parent *thread* exits (the process lives on, the child stays ours) and when the parent process exits
// (the child then comes to us, the subreaper). PR_SET_NAME/PR_GET_NAME cut to 15 bytes and show in /proc/self/comm;
// a thread's name shows in /proc/self/task/TID/comm, and writing that file renames the thread. Children report
// through their exit status, so only this process prints and the order is fixed.
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static pid_t me;

static void status(const char *what, int st)
{
    if (WIFEXITED(st)) printf("%s: exit %d\n", what, WEXITSTATUS(st));
    else if (WIFSIGNALED(st)) printf("%s: killed by %d\n", what, WTERMSIG(st));
    else printf("%s: status %#x\n", what, st);
}

// Waits for a death signal `sig` (blocked): exit 10 if it came as the kernel sends it (SI_USER from the dying
// parent's process), 20 + code otherwise.
static int await_death_signal(int sig, pid_t from)
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, sig);
    struct timespec limit = { 10, 0 };
    siginfo_t si;
    int got = sigtimedwait(&set, &si, &limit);
    if (got != sig) return 30;
    if (si.si_code != SI_USER) return 20 + (si.si_code & 7);
    return si.si_pid == from ? 10 : 11;
}

static void subreaper(void)
{
    int v = -1;
    printf("PR_GET_CHILD_SUBREAPER before: %d", prctl(PR_GET_CHILD_SUBREAPER, &v));
    printf(" -> %d\n", v);
    printf("PR_SET_CHILD_SUBREAPER: %d\n", prctl(PR_SET_CHILD_SUBREAPER, 1));
    v = -1;
    prctl(PR_GET_CHILD_SUBREAPER, &v);
    printf("PR_GET_CHILD_SUBREAPER after: %d\n", v);
    int p[2];
    if (pipe(p)) return;
    fflush(stdout);
    pid_t child = fork();
    if (child == 0)
    {
        int inherited = -1;
        prctl(PR_GET_CHILD_SUBREAPER, &inherited);
        pid_t first = getpid(); // not the grandchild's getppid(): we may be gone before it asks
        pid_t grandchild = fork();
        if (grandchild == 0)
        {
            close(p[1]);
            char c;
            // The pipe ends when the child exits (its write end was the last one).
            while (read(p[0], &c, 1) > 0) {}
            for (int i = 0; i < 100000 && getppid() == first; i++) usleep(100);
            _exit(getppid() == me ? 7 : 8);
        }
        _exit(inherited == 0 && grandchild > 0 ? 3 : 4);
    }
    close(p[0]);
    close(p[1]);
    int st;
    waitpid(child, &st, 0);
    status("child (subreaper flag not inherited: 3)", st);
    pid_t got = wait(&st);
    printf("reaped the grandchild: %d\n", got > 0 && got != child);
    status("grandchild (saw us as its parent: 7)", st);
    printf("no more children: %d\n", wait(&st) == -1 && errno == ECHILD);
}

struct fork_from_thread
{
    int ready[2], result[2];
    pid_t child;
};

static void *forking_thread(void *arg)
{
    struct fork_from_thread *f = arg;
    f->child = fork();
    if (f->child == 0)
    {
        close(f->ready[0]);
        if (prctl(PR_SET_PDEATHSIG, SIGUSR1) != 0) _exit(40);
        // The parent thread may not have gone yet; if it already has, the signal would never come.
        if (write(f->ready[1], "r", 1) != 1) _exit(41);
        int r = await_death_signal(SIGUSR1, me);
        // The thread died, not the process: the parent is still this process. The result comes both through a
        // pipe and as the exit status (Ferry's child forked by a thread other than the first one used to exit 0).
        unsigned char b = (unsigned char)(getppid() == me ? r : r + 50);
        if (write(f->result[1], &b, 1) != 1) _exit(42);
        _exit(b);
    }
    close(f->ready[1]);
    char c;
    if (read(f->ready[0], &c, 1) != 1) return NULL;
    return NULL; // the thread exits now
}

static void pdeathsig(void)
{
    int v = -1;
    printf("PR_GET_PDEATHSIG initially: %d", prctl(PR_GET_PDEATHSIG, &v));
    printf(" -> %d\n", v);
    printf("PR_SET_PDEATHSIG SIGUSR2: %d\n", prctl(PR_SET_PDEATHSIG, SIGUSR2));
    prctl(PR_GET_PDEATHSIG, &v);
    printf("PR_GET_PDEATHSIG: %d\n", v);
    errno = 0;
    int r = prctl(PR_SET_PDEATHSIG, 65);
    printf("PR_SET_PDEATHSIG 65: %d errno EINVAL: %d\n", r, errno == EINVAL);
    fflush(stdout);
    pid_t c = fork();
    if (c == 0)
    {
        int w = -1;
        prctl(PR_GET_PDEATHSIG, &w);
        _exit(w == 0 ? 0 : 1);
    }
    int st;
    waitpid(c, &st, 0);
    status("forked child's PR_GET_PDEATHSIG is 0", st);
    prctl(PR_SET_PDEATHSIG, 0);

    // The parent thread exits.
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    sigaddset(&set, SIGUSR2);
    pthread_sigmask(SIG_BLOCK, &set, NULL); // threads and children inherit the mask
    struct fork_from_thread f;
    if (pipe(f.ready) || pipe(f.result)) return;
    pthread_t t;
    pthread_create(&t, NULL, forking_thread, &f);
    pthread_join(t, NULL);
    close(f.ready[0]);
    close(f.result[1]);
    unsigned char b = 0;
    printf("child of an exited thread (SIGUSR1 as SI_USER from us: 10): %d\n", read(f.result[0], &b, 1) == 1 ? b : -1);
    close(f.result[0]);
    printf("reaped it: %d\n", waitpid(f.child, &st, 0) == f.child);
    status("its status", st);

    // The parent process exits; the child comes to us, the subreaper.
    int ready[2];
    if (pipe(ready)) return;
    fflush(stdout);
    pid_t middle = fork();
    if (middle == 0)
    {
        pid_t grandchild = fork();
        if (grandchild == 0)
        {
            close(ready[0]);
            if (prctl(PR_SET_PDEATHSIG, SIGUSR2) != 0) _exit(40);
            pid_t parent = getppid();
            if (write(ready[1], "r", 1) != 1) _exit(41);
            int r = await_death_signal(SIGUSR2, parent);
            _exit(getppid() == me ? r : r + 50);
        }
        close(ready[1]);
        char ch;
        if (read(ready[0], &ch, 1) != 1) _exit(2);
        _exit(0);
    }
    close(ready[0]);
    close(ready[1]);
    waitpid(middle, &st, 0);
    status("middle process", st);
    pid_t got = wait(&st);
    printf("reaped its orphan: %d\n", got > 0 && got != middle);
    status("orphan (SIGUSR2 as SI_USER from its dead parent: 10)", st);
    pthread_sigmask(SIG_UNBLOCK, &set, NULL);
}

static int read_comm(const char *path, char *out, size_t n)
{
    FILE *f = fopen(path, "r");
    if (!f) return -1;
    if (!fgets(out, (int)n, f)) out[0] = 0;
    fclose(f);
    out[strcspn(out, "\n")] = 0;
    return 0;
}

static volatile int phase;
static char thread_seen[32];
static pid_t worker_tid;

static void *worker(void *arg)
{
    (void)arg;
    worker_tid = (pid_t)syscall(SYS_gettid);
    prctl(PR_SET_NAME, "worker-one");
    __atomic_store_n(&phase, 1, __ATOMIC_SEQ_CST);
    while (__atomic_load_n(&phase, __ATOMIC_SEQ_CST) != 2) usleep(100);
    prctl(PR_GET_NAME, thread_seen);
    return NULL;
}

static void names(void)
{
    char name[32] = "", comm[64];
    printf("PR_SET_NAME long: %d\n", prctl(PR_SET_NAME, "a-very-long-process-name"));
    prctl(PR_GET_NAME, name);
    read_comm("/proc/self/comm", comm, sizeof comm);
    printf("PR_GET_NAME: %s (%zu bytes), /proc/self/comm: %s\n", name, strlen(name), comm);
    prctl(PR_SET_NAME, "main");
    pthread_t t;
    pthread_create(&t, NULL, worker, NULL);
    while (__atomic_load_n(&phase, __ATOMIC_SEQ_CST) != 1) usleep(100);
    char path[64];
    snprintf(path, sizeof path, "/proc/self/task/%d/comm", worker_tid);
    read_comm(path, comm, sizeof comm);
    printf("worker's task comm: %s\n", comm);
    read_comm("/proc/self/comm", comm, sizeof comm);
    printf("/proc/self/comm still: %s\n", comm);
    snprintf(path, sizeof path, "/proc/self/task/%d/comm", (int)getpid());
    read_comm(path, comm, sizeof comm);
    printf("main's task comm: %s\n", comm);
    snprintf(path, sizeof path, "/proc/self/task/%d/comm", worker_tid);
    FILE *f = fopen(path, "w");
    if (f) { fputs("renamed-by-main", f); fclose(f); }
    __atomic_store_n(&phase, 2, __ATOMIC_SEQ_CST);
    pthread_join(t, NULL);
    printf("worker's PR_GET_NAME after the write: %s\n", thread_seen);
    char got[32] = "";
    pthread_setname_np(pthread_self(), "via-pthread");
    pthread_getname_np(pthread_self(), got, sizeof got);
    read_comm("/proc/thread-self/comm", comm, sizeof comm);
    printf("pthread_setname_np: %s, thread-self comm: %s\n", got, comm);
}

int main(void)
{
    me = getpid();
    subreaper();
    pdeathsig();
    names();
    return 0;
}
