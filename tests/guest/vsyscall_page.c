// The legacy vsyscall page: old static binaries call gettimeofday, time and getcpu at fixed addresses in
// 0xffffffffff600000, and Linux emulates those three entry points (one instruction fetch fault, the call,
// then a RET). Other offsets in the page and data reads of it raise SIGSEGV. Found by QEMU's x86_64
// vsyscall test, which crashed under Ferry (and getcpu, which was missing).
#define _GNU_SOURCE
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#define PAGE 0xffffffffff600000UL

typedef long (*gtod_fn)(struct timeval *, struct timezone *);
typedef long (*time_fn)(long *);
typedef long (*getcpu_fn)(unsigned *, unsigned *, void *);

static sigjmp_buf back;

static void on_segv(int sig, siginfo_t *si, void *uc)
{
    (void)uc;
    printf("  signal %d code %d addr %#lx\n", sig, si->si_code, (unsigned long)si->si_addr);
    siglongjmp(back, 1);
}

static int near(long a, long b) { return a - b <= 2 && b - a <= 2; }

int main(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_segv;
    sa.sa_flags = SA_SIGINFO | SA_NODEFER;
    sigaction(SIGSEGV, &sa, NULL);

    long now = syscall(SYS_time, NULL);
    long stored = 0;
    long r = ((time_fn)(PAGE + 0x400))(&stored);
    printf("time: %s, stored %s\n", near(r, now) ? "near the syscall's" : "wrong", stored == r ? "the same" : "differs");
    printf("time(NULL): %s\n", near(((time_fn)(PAGE + 0x400))(NULL), now) ? "near" : "wrong");

    struct timeval tv = { 0, -1 };
    struct timezone tz = { 12345, 678 };
    r = ((gtod_fn)PAGE)(&tv, &tz);
    printf("gettimeofday: %ld, sec %s, usec %s\n", r, near(tv.tv_sec, now) ? "near" : "wrong",
           tv.tv_usec >= 0 && tv.tv_usec < 1000000 ? "in range" : "out of range");
    printf("gettimeofday(NULL, NULL): %ld\n", ((gtod_fn)PAGE)(NULL, NULL));

    unsigned cpu = 99999, node = 99999;
    r = ((getcpu_fn)(PAGE + 0x800))(&cpu, &node, NULL);
    printf("getcpu: %ld, cpu %s, node %u\n", r, cpu < 4096 ? "plausible" : "wrong", node);

    cpu = node = 99999;
    r = syscall(SYS_getcpu, &cpu, &node, NULL);
    printf("getcpu system call: %ld, cpu %s, node %u\n", r, cpu < 4096 ? "plausible" : "wrong", node);
    r = syscall(SYS_getcpu, (unsigned *)8, NULL, NULL);
    printf("getcpu system call on a bad pointer: %ld %s\n", r, strerror(errno));

    // Registers other than RAX come back as they were: the call is emulated, not a SYSCALL.
    unsigned long rcx, rdx;
    asm volatile("mov $0x1111, %%rcx\n\tmov $0x3333, %%rdx\n\t"
                 "xor %%edi, %%edi\n\tmov %[fn], %%rax\n\tcall *%%rax"
                 : "=c"(rcx), "=d"(rdx) : [fn] "i"(PAGE + 0x400) : "rax", "rdi", "rsi", "r8", "r9", "r10", "r11", "memory");
    printf("rcx %#lx rdx %#lx\n", rcx, rdx);

    printf("call into the middle of the page:\n");
    if (!sigsetjmp(back, 1)) ((time_fn)(PAGE + 0x100))(NULL);
    printf("call to the last entry's neighbour:\n");
    if (!sigsetjmp(back, 1)) ((time_fn)(PAGE + 0xc00))(NULL);
    printf("time with a pointer to nothing:\n");
    if (!sigsetjmp(back, 1)) ((time_fn)(PAGE + 0x400))((long *)8);
    printf("gettimeofday with a kernel pointer:\n");
    if (!sigsetjmp(back, 1)) ((gtod_fn)PAGE)((struct timeval *)0xffff800000000000UL, NULL);
    printf("read of the page:\n");
    if (!sigsetjmp(back, 1)) printf("  read %lx\n", *(volatile unsigned long *)PAGE);
    printf("write to the page:\n");
    if (!sigsetjmp(back, 1)) *(volatile unsigned long *)(PAGE + 8) = 1;
    return 0;
}
