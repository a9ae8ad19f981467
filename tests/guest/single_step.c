// Single-stepping with the trap flag: POPF sets TF, and from the next instruction on every instruction
// is followed by SIGTRAP (si_code TRAP_TRACE, trapno 1) with RIP past it; the handler returns and the
// restored TF keeps stepping (jumps and a system call included) until a POPF clears TF, which still
// traps after itself. Then a step is taken out of a TF set with POPFQ and ended by longjmp.
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <ucontext.h>

// step_1 .. step_9 mark the instruction boundaries the traps are expected at.
extern char step_1[], step_2[], step_3[], step_4[], step_5[], step_6[], step_7[], step_8[], step_9[];
__asm__(".text\n.globl stepped\nstepped:\n"
        "pushfq\n orq $0x100, (%rsp)\n popfq\n"
        ".globl step_1\nstep_1: movl $1, %eax\n"
        ".globl step_2\nstep_2: addl $2, %eax\n"
        ".globl step_3\nstep_3: jmp 1f\n ud2\n"
        "1:\n.globl step_4\nstep_4: movl $39, %eax\n"   // getpid
        ".globl step_5\nstep_5: syscall\n"
        ".globl step_6\nstep_6: nop\n"
        ".globl step_7\nstep_7: pushfq\n"
        ".globl step_8\nstep_8: andq $-0x101, (%rsp)\n"
        ".globl step_9\nstep_9: popfq\n"
        "ret\n");
void stepped(void);

static const char *const marks[] = { step_1, step_2, step_3, step_4, step_5, step_6, step_7, step_8, step_9 };
static char log_buf[512];
static size_t log_len;
static int traps;
static sigjmp_buf env;
static volatile int jumped;

static void note(const char *rip)
{
    int at = -1;
    for (int n = 0; n < 9; n++)
        if (rip == marks[n]) at = n + 1;
    log_len += (size_t)snprintf(log_buf + log_len, sizeof log_buf - log_len, at > 0 ? " step_%d" : " ret", at);
}

static void handler(int sig, siginfo_t *si, void *ctx)
{
    ucontext_t *uc = ctx;
    const char *rip = (const char *)uc->uc_mcontext.gregs[REG_RIP];
    traps++;
    if (traps == 1)
        log_len += (size_t)snprintf(log_buf + log_len, sizeof log_buf - log_len, "sig %d code %d trapno %lld addr=rip %d tf %d:",
                                    sig, si->si_code, (long long)uc->uc_mcontext.gregs[REG_TRAPNO], si->si_addr == rip,
                                    (uc->uc_mcontext.gregs[REG_EFL] & 0x100) != 0);
    note(rip);
    if (jumped) siglongjmp(env, 1);
}

int main(void)
{
    struct sigaction sa = { .sa_sigaction = handler, .sa_flags = SA_SIGINFO };
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTRAP, &sa, NULL);
    stepped();
    printf("%s\ntraps: %d\n", log_buf, traps);

    log_len = 0; traps = 0; jumped = 1;
    volatile int val = 0;
    if (sigsetjmp(env, 1) == 0)
        __asm__ volatile("pushfq\n orq $0x100, (%%rsp)\n popfq\n movl $0xabcd, %0\n movl $0, %0" : "=m"(val) : : "cc", "memory");
    printf("after longjmp: traps %d val %#x\n", traps, val);
    return 0;
}
