// Processes: a fork tree joined by pipes, wait statuses (exit codes, killed by signals, no core
// dump), waitid, WNOHANG, getppid, process groups and sessions, vfork, posix_spawn, and a SIGCHLD
// handler; SIGCHLD ignored or SA_NOCLDWAIT (no zombies). Output is deterministic: children report
// through pipes and are reaped in a fixed order.
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static void report(const char *what, int st) {
    if (WIFEXITED(st)) printf("%s: exited %d\n", what, WEXITSTATUS(st));
    else if (WIFSIGNALED(st)) printf("%s: killed by %d%s\n", what, WTERMSIG(st), WCOREDUMP(st) ? " (core)" : "");
    else printf("%s: status 0x%x\n", what, st);
}

static volatile int *volatile bad_pointer = (volatile int *)16;
static volatile sig_atomic_t chld;
static void on_chld(int sig) { (void)sig; chld++; }

// A pipeline of depth n: each level forks the next, reads a number from it, adds its level.
static int chain(int level, int depth) {
    if (level == depth) return 1000;
    int p[2];
    if (pipe(p) != 0) return -1;
    pid_t c = fork();
    if (c == 0) {
        close(p[0]);
        int v = chain(level + 1, depth);
        if (write(p[1], &v, sizeof v) != sizeof v) _exit(2);
        _exit(level + 1);
    }
    close(p[1]);
    int v = 0;
    if (read(p[0], &v, sizeof v) != sizeof v) v = -1;
    close(p[0]);
    int st;
    if (waitpid(c, &st, 0) != c || !WIFEXITED(st) || WEXITSTATUS(st) != level + 1) return -2;
    return v + level;
}

int main(void) {
    struct rlimit none = { 0, 0 };
    setrlimit(RLIMIT_CORE, &none);
    setvbuf(stdout, NULL, _IONBF, 0);
    pid_t me = getpid();

    printf("chain of 5: %d\n", chain(0, 5));

    // Exit codes and deaths, reaped in order.
    int codes[] = { 0, 1, 42, 255 };
    for (int i = 0; i < 4; i++) {
        pid_t c = fork();
        if (c == 0) {
            if (getppid() != me) _exit(99);
            _exit(codes[i]);
        }
        int st;
        waitpid(c, &st, 0);
        char what[32];
        snprintf(what, sizeof what, "exit(%d)", codes[i]);
        report(what, st);
    }
    int sigs[] = { SIGKILL, SIGTERM, SIGSEGV, SIGABRT, SIGUSR1 };
    for (int i = 0; i < 5; i++) {
        int ready[2];
        pipe(ready);
        pid_t c = fork();
        if (c == 0) {
            close(ready[0]);
            if (sigs[i] == SIGSEGV) { close(ready[1]); *bad_pointer = 1; }
            if (sigs[i] == SIGABRT) { close(ready[1]); abort(); }
            close(ready[1]);
            for (;;) pause();
        }
        close(ready[1]);
        char b;
        (void)!read(ready[0], &b, 1); // EOF once the child is ready
        close(ready[0]);
        if (sigs[i] != SIGSEGV && sigs[i] != SIGABRT) kill(c, sigs[i]);
        int st;
        waitpid(c, &st, 0);
        report(strsignal(sigs[i]), st);
    }

    // WNOHANG before the child is done, waitid after.
    int go[2];
    pipe(go);
    pid_t c = fork();
    if (c == 0) {
        close(go[1]);
        char b;
        (void)!read(go[0], &b, 1);
        _exit(7);
    }
    close(go[0]);
    int st = 0;
    printf("WNOHANG while running: %d\n", waitpid(c, &st, WNOHANG));
    close(go[1]);
    siginfo_t si;
    memset(&si, 0, sizeof si);
    printf("waitid: %d", waitid(P_PID, c, &si, WEXITED));
    printf(" pid matches %d code %d status %d\n", si.si_pid == c, si.si_code == CLD_EXITED, si.si_status);
    int w = wait(&st);
    printf("no more children: %d %d\n", w, errno == ECHILD);

    // Process groups and sessions.
    int sync[2];
    pipe(sync);
    c = fork();
    if (c == 0) {
        close(sync[0]);
        int ok = setpgid(0, 0) == 0 && getpgrp() == getpid() && getpgid(0) == getpid();
        pid_t sid = setsid();
        // A process group leader may not start a session.
        ok = ok && sid == -1 && errno == EPERM;
        if (write(sync[1], &ok, sizeof ok) != sizeof ok) _exit(3);
        pid_t g = fork();
        if (g == 0) {
            pid_t s = setsid();
            _exit(s == getpid() && getsid(0) == getpid() && getpgrp() == getpid() ? 0 : 1);
        }
        int gst;
        waitpid(g, &gst, 0);
        _exit(WIFEXITED(gst) ? WEXITSTATUS(gst) : 5);
    }
    close(sync[1]);
    int ok = 0;
    (void)!read(sync[0], &ok, sizeof ok);
    waitpid(c, &st, 0);
    printf("setpgid/getpgid: %d, setsid in grandchild: ", ok);
    report("", st);
    printf("own session unchanged: %d\n", getsid(0) == getsid(getppid()) || getsid(0) > 0);

    // vfork then _exit, and posix_spawn of this very program with an argument.
    c = vfork();
    if (c == 0) _exit(12);
    waitpid(c, &st, 0);
    report("vfork", st);

    // SIGCHLD reaches a handler, once per child when reaped one by one.
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_chld;
    sigaction(SIGCHLD, &sa, NULL);
    for (int i = 0; i < 3; i++) {
        c = fork();
        if (c == 0) _exit(0);
        while (waitpid(c, &st, 0) < 0 && errno == EINTR) {}
        // The signal may arrive after waitpid returns: wait for it.
        sigset_t empty;
        sigemptyset(&empty);
        while (chld < i + 1) {
            sigset_t block, old;
            sigemptyset(&block);
            sigaddset(&block, SIGCHLD);
            sigprocmask(SIG_BLOCK, &block, &old);
            if (chld < i + 1) sigsuspend(&old);
            sigprocmask(SIG_SETMASK, &old, NULL);
        }
    }
    printf("SIGCHLD handler ran %d times\n", (int)chld);

    pid_t sp;
    char *args[] = { "/bin/true", NULL };
    int r = posix_spawn(&sp, "/bin/true", NULL, NULL, args, environ);
    waitpid(sp, &st, 0);
    printf("posix_spawn: %d ", r);
    report("/bin/true", st);

    // SIGCHLD ignored, or SA_NOCLDWAIT: children are reaped by the kernel and wait says ECHILD.
    signal(SIGCHLD, SIG_IGN);
    for (int i = 0; i < 3; i++) if (fork() == 0) _exit(i);
    w = wait(&st);
    printf("ignored SIGCHLD: wait %d ECHILD %d\n", w, errno == ECHILD);
    signal(SIGCHLD, SIG_DFL);
    c = fork();
    if (c == 0) _exit(5);
    w = waitpid(c, &st, 0);
    printf("default again: reaped %d ", w == c);
    report("child", st);
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = SIG_DFL;
    sa.sa_flags = SA_NOCLDWAIT;
    sigaction(SIGCHLD, &sa, NULL);
    if (fork() == 0) _exit(1);
    w = wait(&st);
    printf("SA_NOCLDWAIT: wait %d ECHILD %d\n", w, errno == ECHILD);
    return 0;
}
