// Sockets: a Unix socketpair with SCM_RIGHTS passing a pipe, TCP over loopback (listen on an ephemeral
// port, non-blocking connect, accept4, epoll, send/recv, shutdown, socket options), UDP sendto/recvfrom
// and recvmsg with MSG_PEEK, and the errors (ECONNREFUSED, EBADF, ENOTSOCK, EFAULT). Port numbers are
// never printed.
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static void check(const char *what, long r) { printf("%s: %s\n", what, r < 0 ? strerror(errno) : "ok"); }

static void send_fd(int sock, int fd)
{
    char byte = 'F';
    struct iovec iov = { &byte, 1 };
    union { struct cmsghdr h; char buf[CMSG_SPACE(sizeof(int))]; } u;
    struct msghdr m = { 0 };
    m.msg_iov = &iov; m.msg_iovlen = 1; m.msg_control = u.buf; m.msg_controllen = sizeof u.buf;
    struct cmsghdr *c = CMSG_FIRSTHDR(&m);
    c->cmsg_level = SOL_SOCKET; c->cmsg_type = SCM_RIGHTS; c->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(c), &fd, sizeof fd);
    printf("sendmsg with SCM_RIGHTS: %zd\n", sendmsg(sock, &m, 0));
}

static int recv_fd(int sock)
{
    char byte = 0;
    struct iovec iov = { &byte, 1 };
    union { struct cmsghdr h; char buf[CMSG_SPACE(sizeof(int))]; } u;
    struct msghdr m = { 0 };
    m.msg_iov = &iov; m.msg_iovlen = 1; m.msg_control = u.buf; m.msg_controllen = sizeof u.buf;
    ssize_t n = recvmsg(sock, &m, MSG_CMSG_CLOEXEC);
    struct cmsghdr *c = CMSG_FIRSTHDR(&m);
    int fd = -1;
    if (c && c->cmsg_type == SCM_RIGHTS) memcpy(&fd, CMSG_DATA(c), sizeof fd);
    printf("recvmsg: %zd byte %c, control %s, flags %d\n", n, byte, c ? "SCM_RIGHTS" : "none", m.msg_flags);
    return fd;
}

static void unix_pair(void)
{
    int sv[2], p[2];
    check("socketpair", socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
    check("pipe", pipe(p));
    write(p[1], "through a passed fd", 19);
    send_fd(sv[0], p[0]);
    int fd = recv_fd(sv[1]);
    char buf[64] = { 0 };
    printf("received fd differs from original: %d, reads \"%.*s\"\n", fd != p[0], (int)read(fd, buf, sizeof buf), buf);
    printf("received fd is close-on-exec: %d\n", (fcntl(fd, F_GETFD) & FD_CLOEXEC) != 0);
    int type; socklen_t len = sizeof type;
    getsockopt(sv[0], SOL_SOCKET, SO_TYPE, &type, &len);
    printf("SO_TYPE stream: %d len %u\n", type == SOCK_STREAM, len);
    struct sockaddr_un name; len = sizeof name;
    check("getsockname unix", getsockname(sv[0], (struct sockaddr *)&name, &len));
    printf("unix name family %d len %u\n", name.sun_family, len);
    close(fd); close(p[0]); close(p[1]); close(sv[0]); close(sv[1]);
}

static void tcp_loopback(void)
{
    int ls = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int one = 1, got = 0;
    socklen_t len = sizeof got;
    check("setsockopt SO_REUSEADDR", setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one));
    getsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &got, &len);
    printf("SO_REUSEADDR reads back %d\n", got != 0);
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    check("bind", bind(ls, (struct sockaddr *)&a, sizeof a));
    check("listen", listen(ls, 4));
    len = sizeof a;
    check("getsockname", getsockname(ls, (struct sockaddr *)&a, &len));
    printf("ephemeral port assigned: %d\n", ntohs(a.sin_port) != 0);

    int c = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    int r = connect(c, (struct sockaddr *)&a, sizeof a);
    printf("non-blocking connect: %s\n", r == 0 ? "connected" : errno == EINPROGRESS ? "EINPROGRESS" : strerror(errno));
    struct sockaddr_in peer; socklen_t plen = sizeof peer;
    int s = accept4(ls, (struct sockaddr *)&peer, &plen, SOCK_CLOEXEC);
    printf("accept4: %s, peer is loopback %d, len %u\n", s >= 0 ? "ok" : strerror(errno), peer.sin_addr.s_addr == htonl(INADDR_LOOPBACK), plen);

    int ep = epoll_create1(EPOLL_CLOEXEC);
    struct epoll_event ev = { .events = EPOLLOUT, .data.u64 = 0x1122334455667788ull };
    check("epoll_ctl add client", epoll_ctl(ep, EPOLL_CTL_ADD, c, &ev));
    struct epoll_event out[4];
    int n = epoll_wait(ep, out, 4, 1000);
    printf("epoll_wait: %d event(s), data %llx, EPOLLOUT %d\n", n, (unsigned long long)out[0].data.u64, (out[0].events & EPOLLOUT) != 0);
    int err = -1; len = sizeof err;
    getsockopt(c, SOL_SOCKET, SO_ERROR, &err, &len);
    printf("SO_ERROR after connect: %d\n", err);
    ev.events = EPOLLIN; ev.data.u64 = 42;
    check("epoll_ctl mod", epoll_ctl(ep, EPOLL_CTL_MOD, c, &ev));
    send(s, "hello over tcp", 14, 0);
    n = epoll_wait(ep, out, 4, 1000);
    char buf[64] = { 0 };
    printf("epoll_wait: %d, data %llu, recv \"%.*s\"\n", n, (unsigned long long)out[0].data.u64, (int)recv(c, buf, sizeof buf, 0), buf);
    int nodelay = 1;
    check("TCP_NODELAY", setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &nodelay, sizeof nodelay));
    check("shutdown write", shutdown(s, SHUT_WR));
    printf("recv after peer shutdown: %zd\n", recv(c, buf, sizeof buf, 0));
    check("epoll_ctl del", epoll_ctl(ep, EPOLL_CTL_DEL, c, NULL));
    printf("epoll_ctl del again: %s\n", epoll_ctl(ep, EPOLL_CTL_DEL, c, NULL) < 0 ? strerror(errno) : "ok");
    close(ep); close(c); close(s); close(ls);

    int refused = socket(AF_INET, SOCK_STREAM, 0);
    printf("connect to closed port: %s\n", connect(refused, (struct sockaddr *)&a, sizeof a) < 0 ? strerror(errno) : "connected?");
    close(refused);
}

static void udp(void)
{
    int a = socket(AF_INET, SOCK_DGRAM, 0), b = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    bind(b, (struct sockaddr *)&sa, sizeof sa);
    socklen_t len = sizeof sa;
    getsockname(b, (struct sockaddr *)&sa, &len);
    printf("sendto: %zd\n", sendto(a, "datagram", 8, 0, (struct sockaddr *)&sa, sizeof sa));
    char buf[32] = { 0 };
    struct iovec iov = { buf, sizeof buf };
    struct sockaddr_in from; struct msghdr m = { .msg_name = &from, .msg_namelen = sizeof from, .msg_iov = &iov, .msg_iovlen = 1 };
    printf("recvmsg peek: %zd \"%s\" from loopback %d\n", recvmsg(b, &m, MSG_PEEK), buf, from.sin_addr.s_addr == htonl(INADDR_LOOPBACK));
    memset(buf, 0, sizeof buf);
    len = sizeof from;
    printf("recvfrom: %zd \"%s\" len %u\n", recvfrom(b, buf, sizeof buf, 0, (struct sockaddr *)&from, &len), buf, len);
    printf("recv non-blocking, nothing queued: %s\n", recv(b, buf, sizeof buf, MSG_DONTWAIT) < 0 ? strerror(errno) : "data?");
    close(a); close(b);
}

static void errors(void)
{
    printf("send on bad fd: %s\n", send(999, "x", 1, 0) < 0 ? strerror(errno) : "ok");
    int p[2];
    pipe(p);
    printf("getsockname on a pipe: %s\n", getsockname(p[0], NULL, NULL) < 0 ? strerror(errno) : "ok");
    printf("getpeername on a pipe: %s\n", getpeername(p[0], NULL, NULL) < 0 ? strerror(errno) : "ok");
    int s = socket(AF_INET, SOCK_DGRAM, 0);
    // Null pointers on a socket: the kernel checks them only after the socket's name is known.
    printf("getpeername unconnected, null pointers: %s\n", getpeername(s, NULL, NULL) < 0 ? strerror(errno) : "ok");
    printf("getsockname, null length: %s\n", getsockname(s, NULL, NULL) < 0 ? strerror(errno) : "ok");
    socklen_t zero = 0, some = 4;
    int r = getsockname(s, NULL, &zero);
    printf("getsockname, null name, length 0: %s, length now %u\n", r < 0 ? strerror(errno) : "ok", zero);
    printf("getsockname, null name, length 4: %s\n", getsockname(s, NULL, &some) < 0 ? strerror(errno) : "ok");
    printf("bind with a bad pointer: %s\n", bind(s, (struct sockaddr *)16, 16) < 0 ? strerror(errno) : "ok");
    printf("socket with a bad family: %s\n", socket(12345, SOCK_STREAM, 0) < 0 ? strerror(errno) : "ok");
    close(s); close(p[0]); close(p[1]);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    unix_pair();
    tcp_loopback();
    udp();
    errors();
    return 0;
}
