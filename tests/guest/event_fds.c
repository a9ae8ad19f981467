// Event descriptors: eventfd (counter and semaphore modes, EAGAIN when empty), timerfd (a one-shot
// and a periodic timer counted through read), epoll over a pipe, an eventfd and a timerfd with
// level- and edge-triggered entries, inotify on a scratch directory, and memfd_create with mmap.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <sys/mman.h>
#include <sys/timerfd.h>
#include <unistd.h>

static void eventfds(void)
{
    int e = eventfd(3, EFD_NONBLOCK | EFD_CLOEXEC);
    uint64_t v = 5;
    write(e, &v, 8);
    ssize_t r = read(e, &v, 8);
    printf("eventfd read: %zd value %llu\n", r, (unsigned long long)v);
    printf("eventfd empty: %s\n", read(e, &v, 8) < 0 ? strerror(errno) : "data?");
    printf("eventfd short read: %s\n", read(e, &v, 4) < 0 ? strerror(errno) : "ok?");
    close(e);
    int s = eventfd(2, EFD_SEMAPHORE | EFD_NONBLOCK);
    for (int i = 0; i < 3; i++) {
        r = read(s, &v, 8);
        printf("semaphore read %d: %s %llu\n", i, r < 0 ? strerror(errno) : "ok", r < 0 ? 0ULL : (unsigned long long)v);
    }
    close(s);
}

static void timers(void)
{
    int t = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK);
    uint64_t n;
    printf("timerfd unarmed read: %s\n", read(t, &n, 8) < 0 ? strerror(errno) : "data?");
    // A second, not less: the check must hold on a loaded machine (or under qemu-aarch64) where the read may
    // come tens of milliseconds after the arming.
    struct itimerspec its = { .it_value = { 1, 0 } };
    timerfd_settime(t, 0, &its, NULL);
    struct itimerspec cur;
    timerfd_gettime(t, &cur);
    printf("timerfd armed, remaining within 1s: %d\n",
        (cur.it_value.tv_sec == 0 && cur.it_value.tv_nsec > 0) || (cur.it_value.tv_sec == 1 && cur.it_value.tv_nsec == 0));
    int ep = epoll_create1(0);
    struct epoll_event ev = { .events = EPOLLIN, .data.u32 = 7 };
    epoll_ctl(ep, EPOLL_CTL_ADD, t, &ev);
    struct epoll_event out[2];
    int k = epoll_wait(ep, out, 2, 30000);
    printf("epoll on timerfd: %d event data %u\n", k, out[0].data.u32);
    ssize_t r = read(t, &n, 8);
    printf("timerfd read: %zd expirations %llu\n", r, (unsigned long long)n);
    its.it_value.tv_sec = 0; its.it_value.tv_nsec = 1000000; its.it_interval.tv_nsec = 1000000;
    timerfd_settime(t, 0, &its, NULL);
    usleep(30000);
    read(t, &n, 8);
    printf("periodic timer fired more than 5 times in 30ms: %d\n", n > 5);
    its = (struct itimerspec){ 0 };
    timerfd_settime(t, 0, &its, &cur);
    printf("disarmed, old interval 1ms: %d\n", cur.it_interval.tv_nsec == 1000000);
    close(ep); close(t);
}

static void epolls(void)
{
    int p[2];
    pipe2(p, O_NONBLOCK);
    int e = eventfd(0, EFD_NONBLOCK);
    int ep = epoll_create1(EPOLL_CLOEXEC);
    struct epoll_event ev = { .events = EPOLLIN, .data.u64 = 1 };
    epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev);
    ev.events = EPOLLIN | EPOLLET; ev.data.u64 = 2;
    epoll_ctl(ep, EPOLL_CTL_ADD, e, &ev);
    ev.data.u64 = 3;
    printf("add twice: %s\n", epoll_ctl(ep, EPOLL_CTL_ADD, e, &ev) < 0 ? strerror(errno) : "ok?");
    printf("add the epoll fd to itself: %s\n", epoll_ctl(ep, EPOLL_CTL_ADD, ep, &ev) < 0 ? strerror(errno) : "ok?");
    struct epoll_event out[8];
    printf("nothing ready: %d\n", epoll_wait(ep, out, 8, 0));
    write(p[1], "ab", 2);
    uint64_t one = 1;
    write(e, &one, 8);
    for (int round = 0; round < 2; round++) {
        int n = epoll_wait(ep, out, 8, 100);
        uint64_t mask = 0;
        for (int i = 0; i < n; i++) mask |= 1ull << out[i].data.u64;
        printf("round %d: %d ready, mask %llx\n", round, n, (unsigned long long)mask);
    }
    printf("epoll_wait with maxevents 0: %s\n", epoll_wait(ep, out, 0, 0) < 0 ? strerror(errno) : "ok?");
    close(ep); close(e); close(p[0]); close(p[1]);
}

static void inotify(void)
{
    char dir[] = "/tmp/ferry-guest-XXXXXX";
    if (!mkdtemp(dir)) return;
    int in = inotify_init1(IN_NONBLOCK);
    int wd = inotify_add_watch(in, dir, IN_CREATE | IN_DELETE | IN_CLOSE_WRITE);
    printf("watch descriptor positive: %d\n", wd > 0);
    char path[64];
    snprintf(path, sizeof path, "%s/file.txt", dir);
    int f = open(path, O_CREAT | O_WRONLY, 0600);
    write(f, "x", 1);
    close(f);
    unlink(path);
    char buf[4096] __attribute__((aligned(8)));
    ssize_t n = read(in, buf, sizeof buf);
    for (char *p = buf; p < buf + n;) {
        struct inotify_event *e = (struct inotify_event *)p;
        printf("inotify: %s%s%s name %s\n", e->mask & IN_CREATE ? "CREATE" : "", e->mask & IN_CLOSE_WRITE ? "CLOSE_WRITE" : "",
               e->mask & IN_DELETE ? "DELETE" : "", e->len ? e->name : "-");
        p += sizeof *e + e->len;
    }
    printf("inotify drained: %s\n", read(in, buf, sizeof buf) < 0 ? strerror(errno) : "more?");
    int first = inotify_rm_watch(in, wd);
    printf("rm_watch: %d, again: %s\n", first, inotify_rm_watch(in, wd) < 0 ? strerror(errno) : "ok?");
    close(in);
    rmdir(dir);
}

static void memfd(void)
{
    int m = memfd_create("ferry-test", MFD_CLOEXEC);
    printf("memfd: %d, ftruncate %d\n", m >= 0, ftruncate(m, 8192));
    char *p = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, m, 0);
    strcpy(p + 4096, "written through the mapping");
    char buf[64] = { 0 };
    pread(m, buf, sizeof buf - 1, 4096);
    printf("read back: %s\n", buf);
    printf("fd is close-on-exec: %d\n", (fcntl(m, F_GETFD) & FD_CLOEXEC) != 0);
    munmap(p, 8192);
    close(m);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    eventfds();
    timers();
    epolls();
    inotify();
    memfd();
    return 0;
}
