/* A storm of signals from two other processes against a thread that waits in sigsuspend: every signal reaches
   Ferry through its host handler and reader thread while the guest thread wakes and looks again. Ferry deadlocked
   here (6 of 6 runs): the waiting thread polled host signals holding its wait lock while the reader, holding the
   signal gate, took that lock to wake it. Prints only what every run prints. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>
static volatile sig_atomic_t got;
static void on(int s) { (void)s; got++; }
int main(void)
{
    struct sigaction sa = { .sa_handler = on };
    sigemptyset(&sa.sa_mask);
    sigaction(SIGUSR1, &sa, NULL);
    sigaction(SIGUSR2, &sa, NULL);
    sigaction(SIGCHLD, &sa, NULL);
    sigset_t block, old;
    sigemptyset(&block); sigaddset(&block, SIGUSR1); sigaddset(&block, SIGUSR2); sigaddset(&block, SIGCHLD);
    sigprocmask(SIG_BLOCK, &block, &old);
    pid_t parent = getpid();
    int n = 3000;
    pid_t kids[2];
    for (int k = 0; k < 2; k++) {
        kids[k] = fork();
        if (kids[k] == 0) {
            for (int i = 0; i < n; i++) { kill(parent, k ? SIGUSR2 : SIGUSR1); if (i % 64 == 0) usleep(100); }
            _exit(0);
        }
    }
    int done = 0, rounds = 0;
    while (done < 2) {
        sigsuspend(&old);
        rounds++;
        int st;
        while (waitpid(-1, &st, WNOHANG) > 0) done++;
        if (rounds > 10 * n) break;
    }
    sigprocmask(SIG_SETMASK, &old, NULL);
    printf("senders done: %d, some signals handled: %d\n", done, got > 0);
    return 0;
}
