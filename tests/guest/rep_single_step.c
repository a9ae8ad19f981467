// REP string instructions under the trap flag: the CPU traps after every iteration, with RIP still at
// the REP instruction until the count runs out (or REPE/REPNE stops it), then past it; with RCX = 0 it
// traps once, past it. The handler logs, for each SIGTRAP, where RIP is and RCX, RSI and RDI then.
#define _GNU_SOURCE
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <ucontext.h>

// Each routine sets TF, runs one string instruction at rep_N, and clears TF again at done_N.
#define ROUTINE(n, insn) \
    extern char rep_##n[], done_##n[]; \
    __asm__(".text\n.globl run_" #n "\nrun_" #n ":\n pushfq\n orq $0x100, (%rsp)\n popfq\n" \
            ".globl rep_" #n "\nrep_" #n ": " insn "\n" \
            ".globl done_" #n "\ndone_" #n ": pushfq\n andq $-0x101, (%rsp)\n popfq\n ret\n"); \
    void run_##n(void);
ROUTINE(1, "rep movsb")
ROUTINE(2, "rep stosq")
ROUTINE(3, "repe cmpsb")
ROUTINE(4, "repne scasb")
ROUTINE(5, "rep movsb")
ROUTINE(6, "rep lodsw")

static const char *rep_at, *done_at;
static uintptr_t src0, dst0;
static char log_buf[4096];
static size_t log_len;

static void handler(int sig, siginfo_t *si, void *ctx)
{
    ucontext_t *uc = ctx;
    const char *rip = (const char *)uc->uc_mcontext.gregs[REG_RIP];
    const char *where = rip == rep_at ? "at rep" : rip == done_at ? "past rep" : NULL;
    if (!where) return; // the POPFs around the instruction
    log_len += (size_t)snprintf(log_buf + log_len, sizeof log_buf - log_len,
                                "  trap code %d: %s rcx %lld rsi +%lld rdi +%lld\n", si->si_code, where,
                                (long long)uc->uc_mcontext.gregs[REG_RCX],
                                (long long)(uc->uc_mcontext.gregs[REG_RSI] - src0),
                                (long long)(uc->uc_mcontext.gregs[REG_RDI] - dst0));
    (void)sig;
}

static char src[64] = "abcdefghijklmnop", dst[64];

static void run(const char *name, void (*f)(void), const char *r, const char *d, uint64_t rcx, uint64_t rax)
{
    rep_at = r; done_at = d;
    src0 = (uintptr_t)src; dst0 = (uintptr_t)dst;
    log_len = 0;
    uint64_t out_rcx;
    __asm__ volatile("call *%[f]" : "=c"(out_rcx), "+S"(src0), "+D"(dst0), "+a"(rax)
                     : [f] "r"(f), "c"(rcx) : "rdx", "r8", "r9", "r10", "r11", "memory", "cc");
    src0 = (uintptr_t)src; dst0 = (uintptr_t)dst;
    printf("%s: rcx after %lld\n%s", name, (long long)out_rcx, log_buf);
}

int main(void)
{
    struct sigaction sa = { .sa_sigaction = handler, .sa_flags = SA_SIGINFO };
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTRAP, &sa, NULL);
    run("rep movsb, rcx 5", run_1, rep_1, done_1, 5, 0);
    printf("  dst: %.5s\n", dst);
    run("rep stosq, rcx 3", run_2, rep_2, done_2, 3, 0x4141414141414141ULL);
    printf("  dst: %.24s\n", dst);
    memcpy(dst, "abcXefgh", 8);
    run("repe cmpsb, rcx 8, differs at 4", run_3, rep_3, done_3, 8, 0);
    run("repne scasb for 'c', rcx 8", run_4, rep_4, done_4, 8, 'c');
    run("rep movsb, rcx 0", run_5, rep_5, done_5, 0, 0);
    run("rep lodsw, rcx 2", run_6, rep_6, done_6, 2, 0);
    return 0;
}
