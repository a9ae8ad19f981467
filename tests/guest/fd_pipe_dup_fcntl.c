// File descriptors: pipe round trips (various sizes, partial reads, EOF, EPIPE with SIGPIPE
// ignored), dup/dup2/dup3/F_DUPFD/F_DUPFD_CLOEXEC numbering, fcntl flags, O_NONBLOCK EAGAIN,
// shared offsets between dup'ed fds, poll on pipes.
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <signal.h>
#include <poll.h>

static const char *en(int e)
{
    return e == 0 ? "OK" : e == EAGAIN ? "EAGAIN" : e == EPIPE ? "EPIPE" : e == EBADF ? "EBADF" : e == EINVAL ? "EINVAL" : "E?";
}

int main(int argc, char **argv)
{
    int p[2];
    int base;
    base = dup(2); /* lowest free descriptor */
    close(base);
    if (pipe(p) != 0) { perror("pipe"); return 2; }
    printf("pipe fds relative to lowest free: %d,%d\n", p[0] - base, p[1] - base);
    /* round trips of many sizes */
    static unsigned char out[65536], in[65536];
    unsigned h = 0;
    for (size_t n = 1; n <= 60000; n = n * 3 + 1) {
        for (size_t i = 0; i < n; i++) out[i] = (unsigned char)(i * 31 + n);
        ssize_t w = write(p[1], out, n);
        size_t got = 0;
        int reads = 0;
        while (got < n) {
            size_t chunk = (n - got) > 1000 ? 1000 + (got % 7) : n - got;
            ssize_t r = read(p[0], in + got, chunk);
            if (r <= 0) break;
            got += (size_t)r;
            reads++;
        }
        int same = memcmp(in, out, n) == 0;
        for (size_t i = 0; i < n; i++) h = h * 33 + in[i];
        printf("pipe n=%5zu wrote=%zd got=%zu reads=%d same=%d\n", n, w, got, reads, same);
    }
    printf("pipe hash=%08x\n", h);
    /* non-blocking read on empty pipe */
    int fl = fcntl(p[0], F_GETFL);
    printf("F_GETFL rdonly=%d nonblock=%d\n", (fl & O_ACCMODE) == O_RDONLY, (fl & O_NONBLOCK) != 0);
    fcntl(p[0], F_SETFL, fl | O_NONBLOCK);
    errno = 0;
    ssize_t r = read(p[0], in, 10);
    printf("nonblock empty read=%zd %s\n", r, en(errno));
    printf("F_GETFL after set nonblock=%d\n", (fcntl(p[0], F_GETFL) & O_NONBLOCK) != 0);
    /* poll */
    struct pollfd pf[2] = {{p[0], POLLIN, 0}, {p[1], POLLOUT, 0}};
    int pr = poll(pf, 2, 0);
    printf("poll empty: rc=%d in=%x out=%x\n", pr, pf[0].revents, pf[1].revents);
    write(p[1], "xyz", 3);
    pf[0].revents = pf[1].revents = 0;
    pr = poll(pf, 2, 0);
    printf("poll data: rc=%d in=%x out=%x\n", pr, pf[0].revents, pf[1].revents);
    r = read(p[0], in, 100);
    printf("read=%zd [%.3s]\n", r, (char *)in);
    /* fill the pipe in non-blocking mode to find its capacity */
    fcntl(p[1], F_SETFL, O_NONBLOCK);
    size_t cap = 0;
    memset(out, 'f', 4096);
    for (;;) {
        errno = 0;
        ssize_t w = write(p[1], out, 4096);
        if (w < 0) { printf("pipe full: %s\n", en(errno)); break; }
        cap += (size_t)w;
        if (cap > (1 << 22)) break;
    }
    printf("pipe capacity=%zu\n", cap);
    size_t drained = 0;
    while ((r = read(p[0], in, sizeof in)) > 0) drained += (size_t)r;
    printf("drained=%zu\n", drained);
    /* EOF after writer closes */
    fcntl(p[0], F_SETFL, 0);
    write(p[1], "end", 3);
    close(p[1]);
    r = read(p[0], in, 100);
    ssize_t r2 = read(p[0], in + 10, 100);
    printf("after close: read=%zd then %zd\n", r, r2);
    close(p[0]);
    /* EPIPE when no reader */
    signal(SIGPIPE, SIG_IGN);
    pipe(p);
    close(p[0]);
    errno = 0;
    r = write(p[1], "x", 1);
    printf("write no reader=%zd %s\n", r, en(errno));
    close(p[1]);
    /* dup numbering */
    int a = dup(1);
    int b = dup2(1, 10);
    int c = fcntl(1, F_DUPFD, 20);
    int d = fcntl(1, F_DUPFD_CLOEXEC, 20);
    int e = dup3(1, 15, O_CLOEXEC);
    printf("dup=base+%d dup2=%d F_DUPFD=%d F_DUPFD_CLOEXEC=%d dup3=%d\n", a - base, b, c, d, e);
    printf("cloexec flags: a=%d c=%d d=%d e=%d\n", fcntl(a, F_GETFD), fcntl(c, F_GETFD), fcntl(d, F_GETFD), fcntl(e, F_GETFD));
    fcntl(a, F_SETFD, FD_CLOEXEC);
    printf("after F_SETFD a=%d\n", fcntl(a, F_GETFD));
    int rr = dup2(10, 10);
    printf("dup2 same fd=%d\n", rr);
    errno = 0;
    rr = dup3(10, 10, 0);
    printf("dup3 same fd=%d %s\n", rr, en(errno));
    errno = 0;
    rr = dup(999);
    printf("dup bad fd=%d %s\n", rr, en(errno));
    errno = 0;
    rr = close(999);
    printf("close bad fd=%d %s\n", rr, en(errno));
    errno = 0;
    rr = fcntl(999, F_GETFD);
    printf("fcntl bad fd=%d %s\n", rr, en(errno));
    fflush(stdout);
    dprintf(b, "written via dup2'd fd\n");
    dprintf(c, "written via F_DUPFD fd\n");
    close(a); close(b); close(c); close(d); close(e);
    /* dup'ed fds share file offset */
    /* scratch file in argv[1] if given, else /tmp; unlinked at once, name never printed */
    char tmpl[4096];
    snprintf(tmpl, sizeof tmpl, "%s/ferry-guest-XXXXXX", argc > 1 ? argv[1] : "/tmp");
    int fd = mkstemp(tmpl);
    unlink(tmpl);
    write(fd, "0123456789abcdef", 16);
    int fd2 = dup(fd);
    lseek(fd, 4, SEEK_SET);
    char ch[4] = {0};
    read(fd2, ch, 3);
    printf("shared offset read via dup: [%s] fd pos=%lld\n", ch, (long long)lseek(fd, 0, SEEK_CUR));
    close(fd);
    close(fd2);
    /* lowest free fd is reused */
    int x1 = dup(2), x2 = dup(2), x3 = dup(2);
    close(x2);
    int x4 = dup(2);
    printf("reuse lowest: %d\n", x4 == x2 && x1 < x2 && x2 < x3);
    close(x1); close(x3); close(x4);
    return 0;
}
