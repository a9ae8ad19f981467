// Faults of the integer instructions the JIT compiles inline, from hot loops: a shift or rotate by CL of a
// memory operand whose count masks to zero still accesses it (a read-only or unmapped page faults, as the
// host CPU does), and DIV/IDIV raise SIGFPE (FPE_INTDIV) at the division for a zero divisor, a quotient that
// does not fit, and INT_MIN / -1 in 32 and 64 bits (done in assembly, so no C undefined behaviour). Also the
// results of shifts by CL with their flags, wide multiplications and bit scans, as checksums.
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

static sigjmp_buf jb;
static volatile void *fault_addr;
static volatile int fault_code;

static void handler(int sig, siginfo_t *si, void *uc)
{
    (void)uc;
    fault_addr = si->si_addr;
    fault_code = si->si_code * 100 + sig;
    siglongjmp(jb, 1);
}

extern char div64_site[], idiv64_site[], idiv32_site[];

__attribute__((noinline)) static uint64_t div64(uint64_t hi, uint64_t lo, uint64_t d)
{
    asm volatile(".globl div64_site\ndiv64_site: divq %2" : "+a"(lo), "+d"(hi) : "r"(d) : "cc");
    return lo ^ hi;
}

__attribute__((noinline)) static int64_t idiv64(int64_t a, int64_t d)
{
    int64_t hi;
    asm volatile("cqo\n.globl idiv64_site\nidiv64_site: idivq %2" : "+a"(a), "=&d"(hi) : "r"(d) : "cc");
    return a + hi;
}

__attribute__((noinline)) static int32_t idiv32(int32_t a, int32_t d)
{
    int32_t hi;
    asm volatile("cltd\n.globl idiv32_site\nidiv32_site: idivl %2" : "+a"(a), "=&d"(hi) : "r"(d) : "cc");
    return a + hi;
}

// Shifts by CL of memory with the flags they leave (CF and ZF through SETcc; OF, which is undefined for
// other counts, only for a count of 1).
__attribute__((noinline)) static uint64_t shifts(volatile uint64_t *p, unsigned count)
{
    uint64_t f = 0, one = (count & 31) == 1, one64 = (count & 63) == 1;
    unsigned char c, z, o;
    asm volatile("addq $0, %3\n\tshlq %%cl, %0\n\tsetc %1\n\tsetz %2" : "+m"(p[0]), "=q"(c), "=q"(z), "+r"(f) : "c"(count) : "cc");
    f = f * 3 + c + 2 * z;
    asm volatile("sarl %%cl, %0\n\tsetc %1\n\tseto %2" : "+m"(p[1]), "=q"(c), "=q"(o) : "c"(count) : "cc");
    f = f * 3 + c + 2 * (o & one);
    asm volatile("rolw %%cl, %0\n\tsetc %1\n\tseto %2" : "+m"(p[2]), "=q"(c), "=q"(o) : "c"(count) : "cc");
    f = f * 3 + c + 2 * (o & one);
    asm volatile("rorb %%cl, %0\n\tsetc %1\n\tseto %2" : "+m"(p[3]), "=q"(c), "=q"(o) : "c"(count) : "cc");
    f = f * 3 + c + 2 * (o & one);
    asm volatile("shrq %%cl, %0\n\tsetc %1\n\tseto %2" : "+m"(p[4]), "=q"(c), "=q"(o) : "c"(count) : "cc");
    return f * 3 + c + 2 * (o & one64);
}

typedef void (*probe_fn)(void *);
static void shl0(void *p) { asm volatile("xorl %%ecx, %%ecx\n\tshll %%cl, (%0)" : : "r"(p) : "rcx", "cc", "memory"); }
static void rol0(void *p) { asm volatile("movl $32, %%ecx\n\trolb %%cl, (%0)" : : "r"(p) : "rcx", "cc", "memory"); }
static void sar0(void *p) { asm volatile("movl $64, %%ecx\n\tsarq %%cl, (%0)" : : "r"(p) : "rcx", "cc", "memory"); }
static void shr5(void *p) { asm volatile("movl $5, %%ecx\n\tshrw %%cl, (%0)" : : "r"(p) : "rcx", "cc", "memory"); }

static void probe(const char *what, probe_fn fn, char *page, char *base)
{
    // Many runs, so that the JIT compiles the probe; every one must fault the same way.
    int faults = 0, same = 1;
    for (int k = 0; k < 50; k++) {
        if (!sigsetjmp(jb, 1)) { fn(page + 8); continue; }
        faults++;
        if (fault_addr != page + 8 || fault_code != SEGV_ACCERR * 100 + SIGSEGV) same = 0;
    }
    printf("%s on %s: %d faults, %s\n", what, page == base ? "read-only" : "no-access", faults, same ? "each at the operand" : "WRONG");
}

int main(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = handler;
    sa.sa_flags = SA_SIGINFO | SA_NODEFER;
    sigaction(SIGSEGV, &sa, 0);
    sigaction(SIGFPE, &sa, 0);

    char *base = mmap(0, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    memset(base, 0x5a, 8192);
    mprotect(base, 4096, PROT_READ);
    mprotect(base + 4096, 4096, PROT_NONE);
    probe_fn fns[] = {shl0, rol0, sar0, shr5};
    const char *names[] = {"shl by 0", "rol by 32 (8-bit)", "sar by 64", "shr by 5"};
    for (int n = 0; n < 4; n++) {
        probe(names[n], fns[n], base, base);
        probe(names[n], fns[n], base + 4096, base);
    }

    // Division: each faulting case many times, from a loop that also divides normally.
    struct { const char *what; int kind; int64_t a, b, c; } cases[] = {
        {"div64 by zero", 0, 0, 5, 0}, {"div64 quotient too wide", 0, 3, 1, 3},
        {"idiv64 INT64_MIN / -1", 1, INT64_MIN, -1, 0}, {"idiv64 by zero", 1, 7, 0, 0},
        {"idiv32 INT32_MIN / -1", 2, INT32_MIN, -1, 0}, {"idiv32 by zero", 2, -9, 0, 0},
    };
    uint64_t sum = 0;
    for (unsigned n = 0; n < sizeof cases / sizeof cases[0]; n++) {
        int faults = 0, at_site = 1;
        for (int k = 0; k < 300; k++) {
            int bad = k % 10 == 9;
            if (sigsetjmp(jb, 1)) {
                faults++;
                void *site = cases[n].kind == 0 ? div64_site : cases[n].kind == 1 ? idiv64_site : idiv32_site;
                if (fault_addr != site || fault_code != FPE_INTDIV * 100 + SIGFPE) at_site = 0;
                continue;
            }
            switch (cases[n].kind) {
            case 0: sum += bad ? div64((uint64_t)cases[n].a, (uint64_t)cases[n].b, (uint64_t)cases[n].c) : div64(k & 3, 12345 + k, 77 + k); break;
            case 1: sum += bad ? (uint64_t)idiv64(cases[n].a, cases[n].b) : (uint64_t)idiv64(-1000003LL * k, 7 - k); break;
            default: sum += bad ? (uint64_t)idiv32((int32_t)cases[n].a, (int32_t)cases[n].b) : (uint64_t)idiv32(-77 * k, k % 5 + 1); break;
            }
        }
        printf("%s: %d faults, %s\n", cases[n].what, faults, at_site ? "each at the division with FPE_INTDIV" : "WRONG");
    }
    printf("division checksum %llu\n", (unsigned long long)sum);

    uint64_t f = 0, v[5];
    for (unsigned count = 0; count < 200; count++) {
        uint64_t seed = 0x9E3779B97F4A7C15ull * (count + 1);
        for (int k = 0; k < 5; k++) v[k] = seed ^ (seed >> (7 * k + 3)) ^ (count & 3 ? 0 : 0x8000000080008080ull);
        f = f * 31 + shifts(v, count);
        for (int k = 0; k < 5; k++) f = f * 7 + v[k];
    }
    printf("shift checksum %llu\n", (unsigned long long)f);

    uint64_t m = 0;
    for (int k = 0; k < 500; k++) {
        uint64_t a = 0xD1B54A32D192ED03ull * (k + 1), b = (k & 1) ? a >> (k % 64) : ~a;
        unsigned __int128 p = (unsigned __int128)a * b;
        __int128 q = (__int128)(int64_t)a * (int64_t)b;
        m = m * 3 + (uint64_t)p + (uint64_t)(p >> 64) + (uint64_t)q + (uint64_t)(q >> 64);
        m += (uint64_t)__builtin_ctzll(a | 1) + (uint64_t)__builtin_clzll(b | 1) + (uint64_t)__builtin_popcountll(a ^ b);
        m += (uint64_t)((int64_t)a / ((int64_t)(b >> 3) | 1)) + a % (b | 1);
    }
    printf("multiply and scan checksum %llu\n", (unsigned long long)m);
    return 0;
}
