/* RLIMIT_NOFILE as the guest's own limit, and fork, pipe and wait when every descriptor up to it is in use.
   Under Ferry the guest's limit must count only the guest's descriptors (not Ferry's own), a lowered limit must not
   starve Ferry (its fork died with "Too many open files" when its first use of its own stdout needed a
   descriptor), and the calls that look at the limit must see the guest's. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/select.h>
#include <sys/wait.h>
#include <unistd.h>

static void show(const char *what, long r)
{
    printf("%s: %ld%s%s\n", what, r, r < 0 ? " " : "", r < 0 ? strerror(errno) : "");
}

int main(void)
{
    struct rlimit rl = { 256, 256 }, got;
    show("setrlimit 256 256", setrlimit(RLIMIT_NOFILE, &rl));
    getrlimit(RLIMIT_NOFILE, &got);
    printf("getrlimit: %lu %lu\n", (unsigned long)got.rlim_cur, (unsigned long)got.rlim_max);
    struct rlimit bad = { 300, 200 };
    show("soft above hard", setrlimit(RLIMIT_NOFILE, &bad));
    int opened = 0, fds[256];
    for (;;) {
        int fd = open("/dev/null", O_RDONLY);
        if (fd < 0) { printf("open failed after %d more: %s\n", opened, strerror(errno)); break; }
        fds[opened++] = fd;
    }
    printf("highest descriptor %d\n", fds[opened - 1]);
    show("dup2 to 300", dup2(0, 300));
    show("F_DUPFD from 300", fcntl(0, F_DUPFD, 300));
    struct pollfd p[300];
    for (int i = 0; i < 300; i++) { p[i].fd = -1; p[i].events = 0; }
    show("poll of 300 entries", poll(p, 300, 0));
    show("poll of 256 entries", poll(p, 256, 0));
    fd_set r;
    FD_ZERO(&r);
    FD_SET(fds[0], &r);
    struct timeval tv = { 0, 0 };
    show("select(FD_SETSIZE) of /dev/null", select(FD_SETSIZE, &r, NULL, NULL, &tv));
    for (int i = 0; i < 5; i++) {
        pid_t pid = fork();
        if (pid < 0) { printf("fork: %s\n", strerror(errno)); return 1; }
        if (pid == 0) {
            struct rlimit c;
            getrlimit(RLIMIT_NOFILE, &c);
            int fd = open("/dev/null", O_RDONLY);
            _exit(c.rlim_cur == 256 && fd < 0 && errno == EMFILE ? 10 + i : 99);
        }
        int st;
        if (waitpid(pid, &st, 0) != pid) { perror("waitpid"); return 1; }
        printf("child %d: exit %d\n", i, WIFEXITED(st) ? WEXITSTATUS(st) : -1);
    }
    /* Two descriptors back: a pipe between parent and child still works. */
    close(fds[--opened]);
    close(fds[--opened]);
    int pp[2];
    if (pipe(pp) != 0) { perror("pipe"); return 1; }
    pid_t pid = fork();
    if (pid == 0) { close(pp[0]); write(pp[1], "hello", 5); _exit(0); }
    close(pp[1]);
    char buf[8] = {0};
    ssize_t n = read(pp[0], buf, sizeof buf - 1);
    waitpid(pid, NULL, 0);
    printf("through the pipe: %zd \"%s\"\n", n, buf);
    /* Lower than what is open: nothing is closed, nothing new opens. */
    struct rlimit low = { 16, 256 };
    show("setrlimit 16 256", setrlimit(RLIMIT_NOFILE, &low));
    show("open under 16", open("/dev/null", O_RDONLY));
    show("dup under 16", dup(0));
    show("close of descriptor 200", close(200));
    struct rlimit back = { 256, 256 };
    show("setrlimit back to 256", setrlimit(RLIMIT_NOFILE, &back));
    show("open again", open("/dev/null", O_RDONLY));
    return 0;
}
