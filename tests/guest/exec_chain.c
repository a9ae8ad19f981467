// execve: the program re-execs itself with a counter (argv and envp carried over, the process id
// kept, close-on-exec descriptors closed and the others kept, handled signals reset to default but
// ignored ones and the mask kept), then runs /bin/echo and a #! script from children, and checks the
// errors the kernel gives: ENOENT, EACCES (no x bit, a directory), ENOEXEC (not a program).
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static void on_usr2(int sig) { (void)sig; }

static int run_child(char *const argv[]) {
    fflush(stdout);
    pid_t c = fork();
    if (c == 0) {
        execv(argv[0], argv);
        _exit(100 + errno);
    }
    int st;
    waitpid(c, &st, 0);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 200 + WTERMSIG(st);
}

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IONBF, 0);
    if (argc >= 2 && strcmp(argv[1], "stage") == 0) {
        int n = atoi(argv[2]);
        pid_t pid0 = (pid_t)atoi(argv[3]);
        int keep = atoi(argv[4]), gone = atoi(argv[5]);
        printf("stage %d: same pid %d, env FERRY_STAGE=%s\n", n, getpid() == pid0, getenv("FERRY_STAGE"));
        printf("  kept fd open %d, cloexec fd closed %d\n", fcntl(keep, F_GETFD) >= 0, fcntl(gone, F_GETFD) == -1 && errno == EBADF);
        struct sigaction sa;
        sigaction(SIGUSR1, NULL, &sa);
        printf("  SIGUSR1 still ignored %d", sa.sa_handler == SIG_IGN);
        sigaction(SIGUSR2, NULL, &sa);
        printf(", SIGUSR2 handler reset %d", sa.sa_handler == SIG_DFL);
        sigset_t mask;
        sigprocmask(SIG_SETMASK, NULL, &mask);
        printf(", SIGTERM still blocked %d\n", sigismember(&mask, SIGTERM));
        if (n < 3) {
            char num[16];
            snprintf(num, sizeof num, "%d", n + 1);
            char *next[] = { argv[0], "stage", num, argv[3], argv[4], argv[5], NULL };
            char envbuf[32];
            snprintf(envbuf, sizeof envbuf, "FERRY_STAGE=%d", n + 1);
            char *env[] = { envbuf, NULL };
            execve(argv[0], next, env);
            printf("execve failed: %s\n", strerror(errno));
            return 1;
        }
        return 0;
    }
    if (argc >= 2 && strcmp(argv[1], "final") == 0) return 0;

    char dir[] = "/tmp/ferry-guest-XXXXXX";
    if (!mkdtemp(dir)) return 1;
    char script[64], plain[64], junk[64];
    snprintf(script, sizeof script, "%s/script.sh", dir);
    snprintf(plain, sizeof plain, "%s/plain", dir);
    snprintf(junk, sizeof junk, "%s/junk", dir);
    FILE *f = fopen(script, "w");
    fprintf(f, "#!/bin/sh -e\necho \"script says: I am ${0##*/}, args: $*\"\nexit 4\n");
    fclose(f);
    chmod(script, 0755);
    f = fopen(plain, "w");
    fprintf(f, "not executable\n");
    fclose(f);
    chmod(plain, 0644);
    f = fopen(junk, "w");
    fprintf(f, "\x01\x02 garbage that is no program\n");
    fclose(f);
    chmod(junk, 0755);

    char *echo[] = { "/bin/echo", "echo", "from", "a", "child", NULL };
    printf("/bin/echo exit %d\n", run_child(echo));
    char *sh[] = { script, "one", "two", NULL };
    printf("script exit %d\n", run_child(sh));
    char *missing[] = { "/nonexistent/prog", NULL };
    printf("missing: %d (ENOENT %d)\n", run_child(missing), 100 + ENOENT);
    char *noexec[] = { plain, NULL };
    printf("no x bit: %d (EACCES %d)\n", run_child(noexec), 100 + EACCES);
    char *isdir[] = { dir, NULL };
    printf("directory: %d (EACCES %d)\n", run_child(isdir), 100 + EACCES);
    char *garbage[] = { junk, NULL };
    printf("garbage: %d (ENOEXEC %d)\n", run_child(garbage), 100 + ENOEXEC);
    errno = 0;
    char **volatile bad_argv = (char **)8;
    printf("execve with a bad argv: %d", execve(argv[0], bad_argv, NULL));
    printf(" EFAULT %d\n", errno == EFAULT);
    unlink(script); unlink(plain); unlink(junk); rmdir(dir);

    // Now the chain, in this process.
    int keep = open("/dev/null", O_RDONLY);
    int gone = open("/dev/null", O_RDONLY | O_CLOEXEC);
    signal(SIGUSR1, SIG_IGN);
    signal(SIGUSR2, on_usr2);
    sigset_t block;
    sigemptyset(&block);
    sigaddset(&block, SIGTERM);
    sigprocmask(SIG_BLOCK, &block, NULL);
    char pid[16], k[16], g[16];
    snprintf(pid, sizeof pid, "%d", getpid());
    snprintf(k, sizeof k, "%d", keep);
    snprintf(g, sizeof g, "%d", gone);
    char *next[] = { argv[0], "stage", "1", pid, k, g, NULL };
    char *env[] = { "FERRY_STAGE=1", NULL };
    execve(argv[0], next, env);
    printf("execve failed: %s\n", strerror(errno));
    return 1;
}
