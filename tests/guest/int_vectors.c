// INT n from user mode: vectors 3 (the two-byte CD 03 form) and 4 reach Linux's user-accessible gates
// and trap past the instruction (SIGTRAP and SIGSEGV with trapno 3 and 4); every other vector fails the
// gate's privilege check, a #GP at the instruction whose error code names the IDT entry (vector*8+2).
// The handler prints the signal, si_code, trapno, the error code and where RIP points. INT1 (ICEBP)
// ends the program: SIGTRAP as a breakpoint (TRAP_BRKPT), trapno 1.
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <ucontext.h>

// One tiny function per vector: the INT itself, then ret (never reached when the INT faults or traps).
#define VECTORS(X) X(00) X(01) X(03) X(04) X(05) X(0d) X(0e) X(21) X(2e) X(81) X(fd) X(ff)
#define DEFINE(v) extern char int_##v[], int_##v##_end[]; \
    __asm__(".text\n.globl int_" #v "\nint_" #v ":\n.byte 0xcd, 0x" #v "\n.globl int_" #v "_end\nint_" #v "_end:\nret\n");
VECTORS(DEFINE)

static sigjmp_buf env;
static const char *start, *end;

static void handler(int sig, siginfo_t *si, void *ctx)
{
    const ucontext_t *uc = ctx;
    const char *rip = (const char *)uc->uc_mcontext.gregs[REG_RIP];
    const char *where = rip == start ? "at the INT" : rip == end ? "past the INT" : "elsewhere";
    printf("  signal %d si_code %d trapno %lld err %#llx rip %s\n", sig, si->si_code,
           (long long)uc->uc_mcontext.gregs[REG_TRAPNO], (long long)uc->uc_mcontext.gregs[REG_ERR], where);
    siglongjmp(env, 1);
}

static void icebp_handler(int sig, siginfo_t *si, void *ctx)
{
    const ucontext_t *uc = ctx;
    printf("  signal %d si_code %d trapno %lld err %#llx si_addr is rip %d\n", sig, si->si_code,
           (long long)uc->uc_mcontext.gregs[REG_TRAPNO], (long long)uc->uc_mcontext.gregs[REG_ERR],
           si->si_addr == (void *)uc->uc_mcontext.gregs[REG_RIP]);
    siglongjmp(env, 1);
}

int main(void)
{
    struct sigaction sa = { .sa_sigaction = handler, .sa_flags = SA_SIGINFO };
    sigemptyset(&sa.sa_mask);
    sigaction(SIGSEGV, &sa, NULL);
    sigaction(SIGTRAP, &sa, NULL);
    sigaction(SIGILL, &sa, NULL);
#define RUN(v) \
    printf("int 0x" #v ":\n"); \
    start = int_##v; end = int_##v##_end; \
    if (sigsetjmp(env, 1) == 0) { ((void (*)(void))int_##v)(); printf("  no signal\n"); }
    VECTORS(RUN)

    // INT1 (ICEBP) traps with #DB, which Linux reports as a breakpoint. Where RIP points is not
    // printed: on a KVM host the hypervisor re-injects it at the instruction.
    sa.sa_sigaction = icebp_handler;
    sigaction(SIGTRAP, &sa, NULL);
    printf("int1:\n");
    if (sigsetjmp(env, 1) == 0) { __asm__ volatile(".byte 0xf1"); printf("  no signal\n"); }
    return 0;
}
