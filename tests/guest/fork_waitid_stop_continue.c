// wait statuses of a child stopped and continued by signals from its parent (waitid WSTOPPED/WCONTINUED with
// si_code CLD_STOPPED/CLD_CONTINUED, waitpid WUNTRACED/WCONTINUED), then killed (CLD_KILLED); and
// PR_SET_PDEATHSIG: a grandchild gets the signal it asked for when its parent exits.
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>
int main(void) {
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) { for (;;) pause(); }
    siginfo_t si;
    kill(pid, SIGSTOP);
    waitid(P_PID, pid, &si, WSTOPPED);
    printf("stopped: code %d status %d pid_ok %d\n", si.si_code, si.si_status, si.si_pid == pid);
    kill(pid, SIGCONT);
    waitid(P_PID, pid, &si, WCONTINUED);
    printf("continued: code %d status %d\n", si.si_code, si.si_status);
    int st;
    kill(pid, SIGSTOP);
    waitpid(pid, &st, WUNTRACED);
    printf("waitpid stopped %d sig %d\n", WIFSTOPPED(st), WSTOPSIG(st));
    kill(pid, SIGCONT);
    waitpid(pid, &st, WCONTINUED);
    printf("waitpid continued %d\n", WIFCONTINUED(st));
    kill(pid, SIGTERM);
    waitid(P_PID, pid, &si, WEXITED);
    printf("killed: code %d status %d\n", si.si_code, si.si_status);
    // PR_SET_PDEATHSIG: a grandchild learns of its parent's death.
    int p[2]; if (pipe(p)) return 1;
    fflush(stdout);
    pid = fork();
    if (pid == 0) {
        pid_t g = fork();
        if (g == 0) {
            sigset_t s; sigemptyset(&s); sigaddset(&s, SIGUSR1); sigprocmask(SIG_BLOCK, &s, NULL);
            prctl(PR_SET_PDEATHSIG, SIGUSR1);
            if (write(p[1], "r", 1) != 1) _exit(9);
            int sig; sigwait(&s, &sig);
            char c = sig == SIGUSR1 ? 'u' : '?';
            if (write(p[1], &c, 1) != 1) _exit(9);
            _exit(0);
        }
        char c; if (read(p[0], &c, 1) != 1) _exit(8);
        _exit(3);
    }
    waitpid(pid, &st, 0);
    char c = 0; if (read(p[0], &c, 1) != 1) return 1;
    printf("pdeathsig: %c, middle exit %d\n", c, WEXITSTATUS(st));
    return 0;
}
