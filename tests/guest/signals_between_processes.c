// cflags: -pthread
// Signals between processes: a child sends a storm of SIGUSR1 to its busy parent (each one
// acknowledged, so none is lost to merging); a parent stops children by SIGTERM (handled), SIGINT
// (default: killed) while they spin or block in read; ignored SIGHUP and default-ignored SIGWINCH
// leave a child running; kill to a process group; PR_SET_PDEATHSIG; fork while other threads run.
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#define STORM 200

static volatile sig_atomic_t got;
static int ack[2];
static void on_usr1(int sig) {
    (void)sig;
    got++;
    char c = 1;
    if (write(ack[1], &c, 1) != 1) got += 1000;
}

static volatile sig_atomic_t term_seen;
static void on_term(int sig) { (void)sig; term_seen = 1; }

static void report(const char *what, int st) {
    if (WIFEXITED(st)) printf("%s: exited %d\n", what, WEXITSTATUS(st));
    else if (WIFSIGNALED(st)) printf("%s: killed by %s\n", what, strsignal(WTERMSIG(st)));
}

static void wait_ready(int fd) {
    char b;
    if (read(fd, &b, 1) != 1) printf("ready pipe failed\n");
}

static volatile int spinning = 1;
static void *spinner(void *arg) {
    unsigned long *n = arg;
    while (spinning) (*n)++;
    return NULL;
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    pid_t parent = getpid();

    // The storm: the parent computes in a tight loop until every signal has arrived.
    if (pipe(ack) != 0) return 1;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_usr1;
    sa.sa_flags = SA_RESTART;
    sigaction(SIGUSR1, &sa, NULL);
    pid_t c = fork();
    if (c == 0) {
        close(ack[1]);
        for (int i = 0; i < STORM; i++) {
            kill(parent, SIGUSR1);
            char b;
            if (read(ack[0], &b, 1) != 1) _exit(2);
        }
        _exit(0);
    }
    close(ack[0]);
    unsigned long work = 0;
    while (got < STORM) work = work * 6364136223846793005UL + 1442695040888963407UL;
    int st;
    waitpid(c, &st, 0);
    printf("storm: parent got %d of %d signals\n", (int)got, STORM);
    report("storm sender", st);
    signal(SIGUSR1, SIG_DFL);

    // A child with a SIGTERM handler, spinning; one without (SIGINT kills it), blocked in read.
    int ready[2], hold[2];
    pipe(ready);
    pipe(hold);
    c = fork();
    if (c == 0) {
        struct sigaction t;
        memset(&t, 0, sizeof t);
        t.sa_handler = on_term;
        sigaction(SIGTERM, &t, NULL);
        signal(SIGHUP, SIG_IGN);
        if (write(ready[1], "r", 1) != 1) _exit(9);
        unsigned long spins = 0;
        while (!term_seen) spins++;
        _exit(33);
    }
    wait_ready(ready[0]);
    kill(c, SIGHUP);   // ignored
    kill(c, SIGWINCH); // ignored by default
    kill(c, SIGTERM);
    waitpid(c, &st, 0);
    report("spinning child after SIGHUP, SIGWINCH, SIGTERM", st);

    c = fork();
    if (c == 0) {
        // SIGINT's default action, whatever this program inherited: started in the background (a test run
        // under `cmd &`), it ignores SIGINT, and the native run then hung in this read.
        signal(SIGINT, SIG_DFL);
        if (write(ready[1], "r", 1) != 1) _exit(9);
        char b;
        ssize_t n = read(hold[0], &b, 1);
        _exit(n == 1 ? 1 : 2);
    }
    wait_ready(ready[0]);
    kill(c, SIGINT);
    waitpid(c, &st, 0);
    report("child blocked in read after SIGINT", st);

    // A process group of two children, ended with one kill.
    pid_t g1 = fork();
    if (g1 == 0) {
        setpgid(0, 0);
        if (write(ready[1], "r", 1) != 1) _exit(9);
        for (;;) pause();
    }
    setpgid(g1, g1);
    wait_ready(ready[0]);
    pid_t g2 = fork();
    if (g2 == 0) {
        setpgid(0, g1);
        if (write(ready[1], "r", 1) != 1) _exit(9);
        for (;;) pause();
    }
    setpgid(g2, g1);
    wait_ready(ready[0]);
    kill(-g1, SIGTERM);
    waitpid(g1, &st, 0);
    report("group leader", st);
    waitpid(g2, &st, 0);
    report("group member", st);

    // PR_SET_PDEATHSIG: a grandchild dies with its parent. Its end shows as EOF on a pipe.
    int gone[2];
    pipe(gone);
    c = fork();
    if (c == 0) {
        pid_t gc = fork();
        if (gc == 0) {
            close(gone[0]);
            prctl(PR_SET_PDEATHSIG, SIGTERM);
            int sig = 0;
            prctl(PR_GET_PDEATHSIG, &sig);
            if (write(ready[1], sig == SIGTERM ? "y" : "n", 1) != 1) _exit(9);
            for (;;) pause();
        }
        close(gone[1]);
        wait_ready(ready[0]);
        _exit(0);
    }
    close(gone[1]);
    waitpid(c, &st, 0);
    char b;
    printf("grandchild ended with its parent: %d\n", read(gone[0], &b, 1) == 0);
    close(gone[0]);

    // fork while other threads spin: the child has only the forking thread.
    pthread_t th[3];
    unsigned long counts[3] = { 0, 0, 0 };
    for (int i = 0; i < 3; i++) pthread_create(&th[i], NULL, spinner, &counts[i]);
    for (int round = 0; round < 5; round++) {
        c = fork();
        if (c == 0) {
            // /proc/self/task lists the threads of this process.
            FILE *f = popen("ls /proc/self/task | wc -l", "r");
            int n = -1;
            if (f) { if (fscanf(f, "%d", &n) != 1) n = -2; pclose(f); }
            _exit(n > 0 ? 0 : 1);
        }
        waitpid(c, &st, 0);
        if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) report("fork with threads", st);
    }
    spinning = 0;
    for (int i = 0; i < 3; i++) pthread_join(th[i], NULL);
    printf("fork while threads ran: done, threads advanced %d\n", counts[0] > 0 && counts[1] > 0 && counts[2] > 0);
    return 0;
}
