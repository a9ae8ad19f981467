// Returns that do not go where the call came from, in hot code: compiled regions predict a RET to the
// return sites of their own calls, checked against the popped address, so every one of these must miss
// the prediction and still land where the CPU would. Hot recursion (the prediction hits), longjmp and
// siglongjmp out of deep recursion, a signal handler entered mid-recursion, swapcontext coroutines that
// switch stacks back and forth, and an assembly function that rewrites its own return address.
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <ucontext.h>

__attribute__((noinline)) static uint64_t fib(unsigned n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }

static jmp_buf jb;
static volatile int depth_hit;

__attribute__((noinline)) static uint64_t dive(unsigned n, unsigned at)
{
    if (n == at) {
        depth_hit = (int)n;
        longjmp(jb, (int)n + 1);
    }
    if (n > at) return 0; // never: tells gcc the recursion ends
    return dive(n + 1, at) * 3 + n;
}

static sigjmp_buf sjb;
static volatile sig_atomic_t handled;

static void on_usr1(int sig)
{
    handled++;
    // Half of the time the handler returns normally (the recursion goes on), half it leaves by siglongjmp.
    if (handled % 2 == 0) siglongjmp(sjb, sig);
}

__attribute__((noinline)) static uint64_t dive_signal(unsigned n, unsigned at)
{
    if (n == at) raise(SIGUSR1);
    if (n == at + 20) return n;
    return dive_signal(n + 1, at) + (n ^ 5);
}

// Coroutines: a generator on its own stack yields values back to main through swapcontext.
static ucontext_t main_ctx, gen_ctx;
static volatile uint64_t yielded;
static char gen_stack[64 * 1024];

__attribute__((noinline)) static void gen_yield(uint64_t v)
{
    yielded = v;
    swapcontext(&gen_ctx, &main_ctx);
}

__attribute__((noinline)) static void gen_walk(unsigned n)
{
    if (n == 0) return;
    gen_yield(n * 2654435761u);
    gen_walk(n - 1);
}

static void generator(void)
{
    for (;;) gen_walk(40);
}

// skip_return(x) returns to the instruction after its caller's call plus nothing: it pops its return address
// and jumps to a label inside the caller instead (the caller adds 1000 on the normal path, which is skipped).
uint64_t twisted(uint64_t x);
__asm__(
    ".text\n"
    ".globl twisted\n"
    "twisted:\n"
    "    mov %rdi, %rax\n"
    "    call bump\n"
    "    add $1000, %rax\n" // skipped: bump returns past it
    "after_bump:\n"
    "    ret\n"
    "bump:\n"
    "    add $7, %rax\n"
    "    test $1, %rdi\n"
    "    jz 1f\n"
    "    lea after_bump(%rip), %rcx\n"
    "    mov %rcx, (%rsp)\n"
    "1:  ret\n");

int main(void)
{
    uint64_t s = 0;
    for (unsigned n = 0; n < 60; n++) s += fib(n % 20);
    printf("fib sum %llu\n", (unsigned long long)s);

    uint64_t jumps = 0;
    for (unsigned r = 0; r < 3000; r++) {
        int v = setjmp(jb);
        if (v == 0) dive(0, r % 200);
        else jumps += (uint64_t)v;
    }
    printf("longjmp total %llu, last depth %d\n", (unsigned long long)jumps, depth_hit);

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_usr1;
    sigaction(SIGUSR1, &sa, NULL);
    uint64_t sig_sum = 0, sig_jumps = 0;
    for (unsigned r = 0; r < 400; r++) {
        if (sigsetjmp(sjb, 1) == 0) sig_sum += dive_signal(0, r % 50);
        else sig_jumps++;
    }
    printf("signals %d, sum %llu, siglongjmps %llu\n", (int)handled, (unsigned long long)sig_sum, (unsigned long long)sig_jumps);

    getcontext(&gen_ctx);
    gen_ctx.uc_stack.ss_sp = gen_stack;
    gen_ctx.uc_stack.ss_size = sizeof gen_stack;
    gen_ctx.uc_link = NULL;
    makecontext(&gen_ctx, generator, 0);
    uint64_t g = 0;
    for (unsigned r = 0; r < 5000; r++) {
        swapcontext(&main_ctx, &gen_ctx);
        g = g * 31 + yielded;
    }
    printf("coroutine %llu\n", (unsigned long long)g);

    uint64_t t = 0;
    for (uint64_t x = 0; x < 20000; x++) t += twisted(x);
    printf("twisted %llu\n", (unsigned long long)t);
    return 0;
}
