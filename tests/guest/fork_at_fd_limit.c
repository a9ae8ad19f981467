/* fork, pipe and wait when every descriptor up to RLIMIT_NOFILE is in use: Ferry's fork used to die with
   "Too many open files" (its first use of its own stdout needed a descriptor). Prints only what a native run
   prints too: how many descriptors Ferry itself holds differs, so the counts are not printed. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
    struct rlimit rl = { 256, 256 };
    if (setrlimit(RLIMIT_NOFILE, &rl) != 0) { perror("setrlimit"); return 1; }
    int opened = 0, fds[256];
    for (;;) {
        int fd = open("/dev/null", O_RDONLY);
        if (fd < 0) { printf("open at the limit: %s\n", strerror(errno)); break; }
        fds[opened++] = fd;
    }
    for (int i = 0; i < 5; i++) {
        pid_t p = fork();
        if (p < 0) { printf("fork: %s\n", strerror(errno)); return 1; }
        if (p == 0) _exit(10 + i);
        int st;
        if (waitpid(p, &st, 0) != p) { perror("waitpid"); return 1; }
        printf("child %d: exit %d\n", i, WIFEXITED(st) ? WEXITSTATUS(st) : -1);
    }
    /* Two descriptors back: a pipe between parent and child still works. */
    close(fds[--opened]);
    close(fds[--opened]);
    int pp[2];
    if (pipe(pp) != 0) { perror("pipe"); return 1; }
    pid_t p = fork();
    if (p == 0) { close(pp[0]); write(pp[1], "hello", 5); _exit(0); }
    close(pp[1]);
    char buf[8] = {0};
    ssize_t n = read(pp[0], buf, sizeof buf - 1);
    waitpid(p, NULL, 0);
    printf("through the pipe: %zd \"%s\"\n", n, buf);
    return 0;
}
