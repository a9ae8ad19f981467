// Process basics without fork: getpid/getppid/gettid positivity (booleans only), uname
// sysname/machine, page size, monotonic clock is non-decreasing, atexit/on_exit handlers
// run in reverse order (including one registered from inside a handler), destructors,
// stdio buffers flushed at exit, and the final status comes from exit(7).
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <time.h>
#include <sys/utsname.h>
#include <sys/time.h>
#include <sys/resource.h>

static void h1(void) { printf("atexit handler 1 (registered first, runs last)\n"); }
static void h2(void) { printf("atexit handler 2\n"); }
static void late(void) { printf("handler registered during exit runs next\n"); }
static void h3(void)
{
    printf("atexit handler 3 registers another\n");
    atexit(late);
}
static void oe(int status, void *arg) { printf("on_exit handler: status=%d arg=%s\n", status, (const char *)arg); }
__attribute__((destructor)) static void dtor(void) { printf("destructor runs after atexit handlers\n"); }
__attribute__((constructor)) static void ctor(void) { printf("constructor ran before main\n"); }

int main(int argc, char **argv)
{
    (void)argc; (void)argv;
    pid_t pid = getpid();
    printf("getpid>0: %d\n", pid > 0);
    printf("getppid>=0: %d\n", getppid() >= 0);
    printf("gettid==getpid: %d\n", gettid() == pid);
    printf("getpgrp>0: %d getsid>0: %d\n", getpgrp() > 0, getsid(0) > 0);
    printf("uid==euid: %d gid==egid: %d\n", getuid() == geteuid(), getgid() == getegid());
    struct utsname u;
    if (uname(&u) != 0) { perror("uname"); return 2; }
    printf("uname sysname=%s machine=%s release_nonempty=%d\n", u.sysname, u.machine, u.release[0] != 0);
    printf("pagesize=%ld sysconf=%ld\n", (long)getpagesize(), sysconf(_SC_PAGESIZE));
    printf("nprocs>=1: %d clk_tck=%ld\n", sysconf(_SC_NPROCESSORS_ONLN) >= 1, sysconf(_SC_CLK_TCK));
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    volatile unsigned long spin = 0;
    for (int i = 0; i < 100000; i++) spin += (unsigned long)i;
    clock_gettime(CLOCK_MONOTONIC, &b);
    int nondec = b.tv_sec > a.tv_sec || (b.tv_sec == a.tv_sec && b.tv_nsec >= a.tv_nsec);
    printf("monotonic non-decreasing: %d nsec in range: %d\n", nondec, a.tv_nsec >= 0 && a.tv_nsec < 1000000000);
    struct timeval tv;
    int gr = gettimeofday(&tv, NULL);
    printf("gettimeofday ok: %d after 2020: %d\n", gr == 0, tv.tv_sec > 1577836800);
    time_t t = time(NULL);
    printf("time() after 2020: %d\n", t > 1577836800);
    struct timespec res;
    printf("clock_getres ok: %d\n", clock_getres(CLOCK_MONOTONIC, &res) == 0);
    struct rusage ru;
    printf("getrusage ok: %d\n", getrusage(RUSAGE_SELF, &ru) == 0);
    char host[256];
    printf("gethostname ok: %d\n", gethostname(host, sizeof host) == 0);
    char cwd[4096];
    int cwd_ok = getcwd(cwd, sizeof cwd) != NULL;
    printf("getcwd ok: %d absolute: %d\n", cwd_ok, cwd_ok && cwd[0] == '/');
    printf("isatty(-1)=%d\n", isatty(-1));
    atexit(h1);
    atexit(h2);
    on_exit(oe, "cookie");
    atexit(h3);
    printf("buffered line without explicit flush; exiting with 7");
    exit(7);
}
