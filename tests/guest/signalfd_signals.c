// signalfd: blocked signals read as struct signalfd_siginfo (kill, raise, sigqueue values, SIGCHLD
// with the child's pid and status), SFD_NONBLOCK/SFD_CLOEXEC, poll and epoll readiness, a blocking
// read woken by a signal another process sends, mask updates and the errors of bad arguments.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static int readable(int fd)
{
    struct pollfd p = { .fd = fd, .events = POLLIN };
    int r = poll(&p, 1, 0);
    return r == 1 && (p.revents & POLLIN);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    int rt = SIGRTMIN + 1;
    sigset_t mask;
    sigemptyset(&mask);
    sigaddset(&mask, SIGUSR1);
    sigaddset(&mask, SIGUSR2);
    sigaddset(&mask, SIGCHLD);
    sigaddset(&mask, rt);
    if (sigprocmask(SIG_BLOCK, &mask, NULL) != 0) return 1;

    int sfd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
    {
        char link[64], target[64] = "";
        snprintf(link, sizeof link, "/proc/self/fd/%d", sfd);
        ssize_t n = readlink(link, target, sizeof target - 1);
        if (n > 0) target[n] = 0;
        printf("fd link: %s\n", target);
    }
    printf("signalfd ok: %d\n", sfd >= 0);
    printf("cloexec: %d nonblock: %d\n", (fcntl(sfd, F_GETFD) & FD_CLOEXEC) != 0, (fcntl(sfd, F_GETFL) & O_NONBLOCK) != 0);

    struct signalfd_siginfo si[3];
    errno = 0;
    ssize_t n = read(sfd, si, sizeof si);
    printf("empty read: %zd %s\n", n, strerror(errno));
    printf("readable when empty: %d\n", readable(sfd));
    errno = 0;
    n = read(sfd, si, 100);
    printf("short read: %zd %s\n", n, strerror(errno));

    kill(getpid(), SIGUSR1);
    printf("readable after kill: %d\n", readable(sfd));
    memset(si, 0x55, sizeof si);
    n = read(sfd, si, sizeof si);
    printf("kill: n=%zd signo=%u code=%d pid_ok=%d uid_ok=%d status=%d int=%d ptr=%llu errno=%d\n", n, si[0].ssi_signo,
           si[0].ssi_code, si[0].ssi_pid == (unsigned)getpid(), si[0].ssi_uid == getuid(), si[0].ssi_status, si[0].ssi_int,
           (unsigned long long)si[0].ssi_ptr, si[0].ssi_errno);
    printf("readable after read: %d\n", readable(sfd));

    union sigval v1 = { .sival_int = 12345 }, v2 = { .sival_int = -7 };
    sigqueue(getpid(), rt, v1);
    sigqueue(getpid(), rt, v2);
    raise(SIGUSR2);
    n = read(sfd, si, sizeof si);
    printf("queued: n=%zd\n", n);
    for (int k = 0; k < n / (ssize_t)sizeof si[0]; k++)
        printf("  signo=%s code=%d pid_ok=%d int=%d ptr=%llu\n", si[k].ssi_signo == (unsigned)rt ? "RTMIN+1" : strsignal(si[k].ssi_signo),
               si[k].ssi_code, si[k].ssi_pid == (unsigned)getpid(), si[k].ssi_int, (unsigned long long)si[k].ssi_ptr);

    // A signal outside the descriptor's mask stays pending and does not make it readable.
    sigset_t only2;
    sigemptyset(&only2);
    sigaddset(&only2, SIGUSR2);
    printf("update: %d\n", signalfd(sfd, &only2, 0) == sfd);
    kill(getpid(), SIGUSR1);
    int r = readable(sfd);
    errno = 0;
    n = read(sfd, si, sizeof si);
    printf("other signal: readable=%d read=%zd %s\n", r, n, strerror(errno));
    sigset_t pend;
    sigpending(&pend);
    printf("SIGUSR1 still pending: %d\n", sigismember(&pend, SIGUSR1));
    printf("back: %d\n", signalfd(sfd, &mask, 0) == sfd);
    printf("readable again: %d\n", readable(sfd));
    n = read(sfd, si, sizeof si);
    printf("drained: n=%zd signo=%u\n", n, si[0].ssi_signo);

    // SIGCHLD through epoll.
    int ep = epoll_create1(EPOLL_CLOEXEC);
    struct epoll_event ev = { .events = EPOLLIN, .data.u64 = 0x1122334455667788ull };
    printf("epoll_ctl: %d\n", epoll_ctl(ep, EPOLL_CTL_ADD, sfd, &ev));
    printf("epoll idle: %d\n", epoll_wait(ep, &ev, 1, 0));
    pid_t child = fork();
    if (child == 0) _exit(7);
    memset(&ev, 0, sizeof ev);
    int ne = epoll_wait(ep, &ev, 1, 10000);
    printf("epoll: %d events=%#x data=%#llx\n", ne, ev.events, (unsigned long long)ev.data.u64);
    n = read(sfd, si, sizeof si);
    printf("sigchld: n=%zd signo=%s code=%s pid_ok=%d uid_ok=%d status=%d\n", n, strsignal(si[0].ssi_signo),
           si[0].ssi_code == CLD_EXITED ? "CLD_EXITED" : "other", si[0].ssi_pid == (unsigned)child, si[0].ssi_uid == getuid(),
           si[0].ssi_status);
    int status = 0;
    r = waitpid(child, &status, 0) == child;
    printf("waitpid: %d status=%d\n", r, WEXITSTATUS(status));
    printf("epoll after: %d\n", epoll_wait(ep, &ev, 1, 0));

    // A blocking descriptor: the read waits until another process sends the signal.
    int bfd = signalfd(-1, &mask, 0);
    printf("blocking: nonblock=%d cloexec=%d\n", (fcntl(bfd, F_GETFL) & O_NONBLOCK) != 0, (fcntl(bfd, F_GETFD) & FD_CLOEXEC) != 0);
    pid_t sender = fork();
    if (sender == 0)
    {
        usleep(20000);
        kill(getppid(), SIGUSR2);
        _exit(0);
    }
    n = read(bfd, si, sizeof si[0]);
    printf("blocking read: n=%zd signo=%s code=%d\n", n, strsignal(si[0].ssi_signo), si[0].ssi_code);
    waitpid(sender, NULL, 0);
    // The sender's SIGCHLD.
    n = read(bfd, si, sizeof si[0]);
    printf("sender's sigchld: n=%zd signo=%s status=%d pid_ok=%d\n", n, strsignal(si[0].ssi_signo), si[0].ssi_status, si[0].ssi_pid == (unsigned)sender);

    // dup'ed descriptors are the same signalfd.
    int d = dup(sfd);
    raise(SIGUSR1);
    n = read(d, si, sizeof si);
    printf("dup read: n=%zd signo=%s\n", n, strsignal(si[0].ssi_signo));

    // Errors.
    int pfd[2];
    if (pipe(pfd) != 0) return 1;
    r = signalfd(pfd[0], &mask, 0);
    printf("not a signalfd: %d %s\n", r, strerror(errno));
    r = signalfd(-1, &mask, 1);
    printf("bad flags: %d %s\n", r, strerror(errno));
    r = (int)syscall(SYS_signalfd4, -1, &mask, 4, 0);
    printf("bad size: %d %s\n", r, strerror(errno));
    r = signalfd(99, &mask, 0);
    printf("bad fd: %d %s\n", r, strerror(errno));
    close(d);
    close(bfd);
    close(sfd);
    close(ep);
    return 0;
}
