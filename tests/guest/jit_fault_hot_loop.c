// A fault inside hot code: a loop that runs long enough for the JIT to compile it stores into a
// mapping until it reaches a PROT_NONE guard page. The SIGSEGV handler prints si_addr relative to
// the mapping, the faulting RIP relative to the loop's function, every general register that holds
// a small number or a pointer into the mapping (other pointers differ between runs and are not
// printed) and the status flags, then leaves with siglongjmp; the loop runs again from other starts.
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>

#define PAGES 64
#define PAGE 4096

static sigjmp_buf env;
static uintptr_t base;

static const struct { const char *name; int reg; } regs[] = {
    {"rax", REG_RAX}, {"rbx", REG_RBX}, {"rcx", REG_RCX}, {"rdx", REG_RDX}, {"rsi", REG_RSI}, {"rdi", REG_RDI},
    {"rbp", REG_RBP}, {"r8", REG_R8}, {"r9", REG_R9}, {"r10", REG_R10}, {"r11", REG_R11}, {"r12", REG_R12},
    {"r13", REG_R13}, {"r14", REG_R14}, {"r15", REG_R15},
};

__attribute__((noinline)) uint64_t fill(uint64_t *p, uint64_t n, uint64_t seed)
{
    uint64_t acc = seed;
    for (uint64_t i = 0; i < n; i++) {
        acc = acc * 2862933555777941757ull + 3037000493ull;
        p[i] = acc ^ i;
    }
    return acc;
}

static void handler(int sig, siginfo_t *si, void *ucv)
{
    ucontext_t *uc = ucv;
    greg_t *g = uc->uc_mcontext.gregs;
    printf("signal %d code %d addr=base+%#lx\n", sig, si->si_code, (unsigned long)((uintptr_t)si->si_addr - base));
    printf("  rip=fill+%#lx", (unsigned long)((uintptr_t)g[REG_RIP] - (uintptr_t)&fill));
    for (size_t k = 0; k < sizeof regs / sizeof regs[0]; k++) {
        uint64_t v = (uint64_t)g[regs[k].reg];
        if (v < 0x1000000) printf(" %s=%#lx", regs[k].name, (unsigned long)v);
        else if (v - base <= (uint64_t)(PAGES + 1) * PAGE) printf(" %s=base+%#lx", regs[k].name, (unsigned long)(v - base));
    }
    printf(" flags=%#lx\n", (unsigned long)(g[REG_EFL] & 0x8d5));
    fflush(stdout);
    siglongjmp(env, 1);
}

int main(void)
{
    void *m = mmap(NULL, (PAGES + 1) * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (m == MAP_FAILED) return 1;
    base = (uintptr_t)m;
    if (mprotect((char *)m + PAGES * PAGE, PAGE, PROT_NONE) != 0) return 2;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = handler;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGSEGV, &sa, NULL);
    static const uint64_t starts[] = {0, 8, 4096, 20000, 0};
    for (volatile int round = 0; round < 5; round++) {
        if (sigsetjmp(env, 1) == 0) {
            uint64_t r = fill((uint64_t *)(base + starts[round]), ~0ull >> 4, 12345 + round);
            printf("not reached %lu\n", (unsigned long)r);
        }
    }
    uint64_t sum = 0;
    for (int i = 0; i < PAGES * PAGE / 8; i++) sum += ((uint64_t *)m)[i];
    printf("sum %#lx\n", (unsigned long)sum);
    return 0;
}
