// INT 0x80 in a 64-bit process: Linux (IA-32 emulation) runs the i386 system call ABI, EAX the i386
// call number, EBX/ECX/EDX/ESI/EDI/EBP its arguments, truncated to 32 bits, the result in RAX, and
// every other register and the flags unchanged. The program writes, reads a pipe, checks ids, gets
// ENOSYS for numbers past the table, and ends with exit(5) through INT 0x80.
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static long int80(long nr, long a, long b, long c)
{
    long r;
    __asm__ volatile("int $0x80" : "=a"(r) : "a"(nr), "b"(a), "c"(b), "d"(c) : "memory");
    return r;
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    // Buffers below 4 GiB, since pointers pass as 32-bit values.
    char *low = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
    strcpy(low, "written through int 0x80\n");
    printf("write: %ld\n", int80(4, 1, (long)low, 25));
    printf("write, upper pointer bits ignored: %ld\n", int80(4, 1, (long)low | 0x1234500000000L, 8));
    printf("\nwrite, nr with upper bits: %ld\n", int80(0x700000004L, 1, (long)low, 3));
    printf("\ngetpid: %d\n", int80(20, 0, 0, 0) == getpid());
    printf("getppid: %d\n", int80(64, 0, 0, 0) == getppid());
    printf("gettid: %d\n", int80(224, 0, 0, 0) == gettid());
    printf("getuid32/geteuid32: %d %d\n", int80(199, 0, 0, 0) == getuid(), int80(201, 0, 0, 0) == geteuid());
    printf("write to a bad descriptor: %ld\n", int80(4, 99, (long)low, 1));
    printf("write from an unmapped address: %ld\n", int80(4, 1, 16, 1));
    printf("number 999: %ld\n", int80(999, 0, 0, 0));
    printf("number 0x1ff: %ld\n", int80(0x1ff, 0, 0, 0));

    int *fds = (int *)(low + 1024);
    printf("pipe: %ld\n", int80(42, (long)fds, 0, 0));
    printf("write to the pipe: %ld\n", int80(4, fds[1], (long)low, 7));
    memset(low + 2048, 0, 16);
    printf("read from the pipe: %ld '%s'\n", int80(3, fds[0], (long)low + 2048, 16), low + 2048);
    long c0 = int80(6, fds[0], 0, 0), c1 = int80(6, fds[1], 0, 0), c2 = int80(6, fds[1], 0, 0);
    printf("close: %ld %ld, again: %ld\n", c0, c1, c2);

    // Registers: R8-R15, RCX, R11 and the flags (CF here) survive; RAX has the result.
    uint64_t in[8] = { 0x1111111111111111, 0x2222222222222222, 0x3333333333333333, 0x4444444444444444,
                       0x5555555555555555, 0x6666666666666666, 0x7777777777777777, 0x8888888888888888 };
    uint64_t out[10];
    __asm__ volatile("mov 0(%1), %%r8; mov 8(%1), %%r9; mov 16(%1), %%r10; mov 24(%1), %%r11; mov 32(%1), %%r12;"
                     "mov 40(%1), %%r13; mov 48(%1), %%r14; mov 56(%1), %%r15; mov $0x5555aaaa5555aaaa, %%rcx;"
                     "mov $20, %%eax; stc; int $0x80; pushf; pop %%rbx; mov %%rbx, 64(%0); mov %%rcx, 72(%0);"
                     "mov %%r8, 0(%0); mov %%r9, 8(%0); mov %%r10, 16(%0); mov %%r11, 24(%0); mov %%r12, 32(%0);"
                     "mov %%r13, 40(%0); mov %%r14, 48(%0); mov %%r15, 56(%0)"
                     :: "r"(out), "r"(in)
                     : "rax", "rbx", "rcx", "rdx", "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15", "memory", "cc");
    int same = 1;
    for (int k = 0; k < 8; k++) same &= out[k] == in[k];
    printf("r8-r15 kept: %d rcx %#llx cf %llu\n", same, (unsigned long long)out[9], (unsigned long long)(out[8] & 1));
    int80(1, 5, 0, 0);
    return 1;
}
