// Segment registers and descriptor tables as a 64-bit Linux process sees them: SGDT/SIDT/SLDT/SMSW/STR
// (the host has UMIP and the kernel answers with fixed values, a store it cannot make is SIGSEGV),
// LAR/LSL/VERR/VERW over the whole GDT, MOV to and from segment registers, PUSH/POP FS/GS,
// LSS/LFS/LGS, far RET and IRET back to the user code selector, FSGSBASE, and the ring-0
// instructions (#GP). Every fault prints its signal, si_code, trapno and error code.
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <cpuid.h>
#include <sched.h>
#include <unistd.h>

static sigjmp_buf env;
static uintptr_t fault_expect;
static uint16_t *volatile low_address = (uint16_t *)8; // never mapped

static void handler(int sig, siginfo_t *si, void *ctx)
{
    const ucontext_t *uc = ctx;
    printf("  signal %d si_code %d trapno %lld err %#llx", sig, si->si_code,
           (long long)uc->uc_mcontext.gregs[REG_TRAPNO], (long long)uc->uc_mcontext.gregs[REG_ERR]);
    if (sig == SIGSEGV && si->si_code != 128) printf(" addr %s", (uintptr_t)si->si_addr == fault_expect ? "as expected" : "elsewhere");
    printf("\n");
    siglongjmp(env, 1);
}

#define TRY(name, ...) do { printf("%s\n", name); if (sigsetjmp(env, 1) == 0) { __VA_ARGS__; } } while (0)

static void dump(const char *what, const unsigned char *m, int n)
{
    printf("  %s:", what);
    for (int i = 0; i < n; i++) printf(" %02x", m[i]);
    printf("\n");
}

static void umip(void)
{
    unsigned char m[16];
    uint64_t r;
    memset(m, 0xaa, sizeof m); __asm__ volatile("sgdt %0" : "+m"(m)); dump("sgdt", m, 12);
    memset(m, 0xaa, sizeof m); __asm__ volatile("sidt %0" : "+m"(m)); dump("sidt", m, 12);
    memset(m, 0xaa, sizeof m); __asm__ volatile("data16 sgdt %0" : "+m"(m)); dump("sgdt 66", m, 12);
    memset(m, 0xaa, sizeof m); __asm__ volatile("smsw %0" : "+m"(*(uint32_t *)m)); dump("smsw m16", m, 4);
    memset(m, 0xaa, sizeof m); __asm__ volatile("sldt %0" : "+m"(*(uint32_t *)m)); dump("sldt m16", m, 4);
    memset(m, 0xaa, sizeof m); __asm__ volatile("str %0" : "+m"(*(uint32_t *)m)); dump("str m16", m, 4);
#define REG(insn, sz) r = ~0ULL; __asm__ volatile(insn " %" sz "0" : "+r"(r)); printf("  %s %s: %#llx\n", insn, sz, (unsigned long long)r);
    REG("smsw", "w") REG("smsw", "k") REG("smsw", "q")
    REG("sldt", "w") REG("sldt", "k") REG("sldt", "q")
    REG("str", "w") REG("str", "k") REG("str", "q")
    char *ro = mmap(0, 8192, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    munmap(ro + 4096, 4096);
    fault_expect = (uintptr_t)ro + 8;
    TRY("sgdt to a read-only page", __asm__ volatile("sgdt %0" : "=m"(*(char (*)[10])(ro + 8))));
    fault_expect = (uintptr_t)ro + 16;
    TRY("str to a read-only page", __asm__ volatile("str %0" : "=m"(*(uint16_t *)(ro + 16))));
    fault_expect = (uintptr_t)ro + 4096;
    TRY("sidt to an unmapped page", __asm__ volatile("sidt %0" : "=m"(*(char (*)[10])(ro + 4096))));
}

static void descriptors(void)
{
    for (unsigned s = 0; s < 0x90; s++) {
        uint64_t ar = 0x5a5a5a5a5a5a5a5aULL, lim = 0x5a5a5a5a5a5a5a5aULL, f1, f2, f3, f4;
        uint16_t s16 = s;
        __asm__ volatile("lar %2, %0; pushf; pop %1" : "+r"(ar), "=r"(f1) : "r"((uint64_t)s) : "cc");
        __asm__ volatile("lsl %2, %0; pushf; pop %1" : "+r"(lim), "=r"(f2) : "r"((uint64_t)s) : "cc");
        __asm__ volatile("verr %1; pushf; pop %0" : "=r"(f3) : "r"(s16) : "cc");
        __asm__ volatile("verw %1; pushf; pop %0" : "=r"(f4) : "m"(s16) : "cc");
        if ((s >> 3) == 15 && (f2 & 0x40)) {
            // The per-CPU segment's limit is (node << 12) | cpu: which CPU differs from run to run.
            printf("sel %#x: lar %d %#llx lsl %d node %llu cpu-ok %d verr %d verw %d\n", s, !!(f1 & 0x40),
                   (unsigned long long)ar, !!(f2 & 0x40), (unsigned long long)(lim >> 12),
                   (lim & 0xfff) < (uint64_t)sysconf(_SC_NPROCESSORS_CONF), !!(f3 & 0x40), !!(f4 & 0x40));
            continue;
        }
        printf("sel %#x: lar %d %#llx lsl %d %#llx verr %d verw %d\n", s, !!(f1 & 0x40), (unsigned long long)ar,
               !!(f2 & 0x40), (unsigned long long)lim, !!(f3 & 0x40), !!(f4 & 0x40));
    }
    uint64_t r;
    uint16_t sel = 0x2b;
    r = ~0ULL; __asm__ volatile("lar %w1, %w0" : "+r"(r) : "r"(0x2b) : "cc"); printf("lar r16: %#llx\n", (unsigned long long)r);
    r = ~0ULL; __asm__ volatile("lar %k1, %k0" : "+r"(r) : "r"(0x1002b) : "cc"); printf("lar r32: %#llx\n", (unsigned long long)r);
    r = ~0ULL; __asm__ volatile("lsl %w1, %w0" : "+r"(r) : "r"(0x33) : "cc"); printf("lsl r16: %#llx\n", (unsigned long long)r);
    r = ~0ULL; __asm__ volatile("lsl %1, %k0" : "+r"(r) : "m"(sel) : "cc"); printf("lsl m16: %#llx\n", (unsigned long long)r);
    r = ~0ULL; __asm__ volatile("lar %k1, %k0" : "+r"(r) : "r"(0x13) : "cc"); printf("lar r32 failing: %#llx\n", (unsigned long long)r);
    fault_expect = 8;
    TRY("lar from an unmapped address", __asm__ volatile("lar %1, %k0" : "+r"(r) : "m"(*low_address)));
    TRY("verr from an unmapped address", __asm__ volatile("verr %0" :: "m"(*low_address)));
}

static const uint16_t sels[] = { 0, 3, 0x2b, 0x28, 0x33, 0x23, 0x7b, 0x13, 0x18, 0x38, 0x43, 0x4, 0x80, 0x1003 };
#define NSELS (sizeof sels / sizeof sels[0])

static void show_sregs(const char *when)
{
    uint16_t cs, ss, ds, es, fs, gs;
    __asm__("mov %%cs, %0" : "=r"(cs)); __asm__("mov %%ss, %0" : "=r"(ss)); __asm__("mov %%ds, %0" : "=r"(ds));
    __asm__("mov %%es, %0" : "=r"(es)); __asm__("mov %%fs, %0" : "=r"(fs)); __asm__("mov %%gs, %0" : "=r"(gs));
    printf("%s: cs %#x ss %#x ds %#x es %#x fs %#x gs %#x\n", when, cs, ss, ds, es, fs, gs);
}

static void segment_loads(void)
{
    show_sregs("at start");
    uint64_t r;
    r = ~0ULL; __asm__ volatile("mov %%cs, %w0" : "+r"(r)); printf("mov r16, cs: %#llx\n", (unsigned long long)r);
    r = ~0ULL; __asm__ volatile("mov %%ss, %k0" : "+r"(r)); printf("mov r32, ss: %#llx\n", (unsigned long long)r);
    r = ~0ULL; __asm__ volatile("mov %%ss, %q0" : "+r"(r)); printf("mov r64, ss: %#llx\n", (unsigned long long)r);
    r = ~0ULL; __asm__ volatile("mov %%cs, %0" : "=m"(r)); printf("mov m16, cs: %#llx\n", (unsigned long long)r);
    for (unsigned k = 0; k < NSELS; k++) {
        uint16_t s = sels[k], got = 0xffff;
        uint64_t base = 1, save;
        char name[64];
        snprintf(name, sizeof name, "mov ds, %#x", s);
        TRY(name, __asm__ volatile("mov %1, %%ds; mov %%ds, %0; mov %2, %%ds" : "=&r"(got) : "r"(s), "r"(0)); printf("  ds %#x\n", got));
        snprintf(name, sizeof name, "mov es, %#x", s);
        TRY(name, __asm__ volatile("mov %1, %%es; mov %%es, %0; mov %2, %%es" : "=&r"(got) : "m"(s), "r"(0)); printf("  es %#x\n", got));
        snprintf(name, sizeof name, "mov ss, %#x", s);
        TRY(name, __asm__ volatile("mov %1, %%ss; mov %%ss, %0" : "=&r"(got) : "r"(s)); printf("  ss %#x\n", got));
        snprintf(name, sizeof name, "mov fs, %#x", s);
        TRY(name, __asm__ volatile("rdfsbase %2; mov %3, %%fs; rdfsbase %0; mov %%fs, %1; xor %%eax, %%eax; mov %%ax, %%fs; wrfsbase %2"
                                   : "=&r"(base), "=&r"(got), "=&r"(save) : "r"(s) : "rax", "memory");
                  printf("  fs %#x base %#llx\n", got, (unsigned long long)base));
        snprintf(name, sizeof name, "mov gs, %#x", s);
        TRY(name, __asm__ volatile("wrgsbase %3; mov %2, %%gs; rdgsbase %0; mov %%gs, %1" : "=&r"(base), "=&r"(got) : "r"(s), "r"(0x12345000ULL));
                  printf("  gs %#x base %#llx\n", got, (unsigned long long)base));
        snprintf(name, sizeof name, "pop gs, %#x", s);
        TRY(name, { uint64_t sp0, sp1; __asm__ volatile("mov %%rsp, %0; push %2; pop %%gs; mov %%rsp, %1" : "=&r"(sp0), "=&r"(sp1) : "r"((uint64_t)s) : "memory");
                    printf("  rsp moved %lld\n", (long long)(sp1 - sp0)); });
    }
    __asm__ volatile("mov %0, %%gs" :: "r"(0x2b));
    uint64_t slot[2] = { ~0ULL, ~0ULL };
    __asm__ volatile("mov %%rsp, %%rbx; lea 16(%0), %%rsp; push %%gs; mov %%rbx, %%rsp" :: "r"(slot) : "rbx", "memory");
    printf("push gs: %#llx\n", (unsigned long long)slot[1]);
    slot[1] = ~0ULL;
    __asm__ volatile("mov %%rsp, %%rbx; lea 16(%0), %%rsp; pushw %%gs; mov %%rbx, %%rsp" :: "r"(slot) : "rbx", "memory");
    printf("pushw gs: %#llx\n", (unsigned long long)slot[1]);
    __asm__ volatile("mov %0, %%gs" :: "r"(0));
    show_sregs("after the loads");
}

struct __attribute__((packed)) far16 { uint16_t off, sel; };
struct __attribute__((packed)) far32 { uint32_t off; uint16_t sel; };

static void far_pointers(void)
{
    for (unsigned k = 0; k < NSELS; k++) {
        uint16_t s = sels[k], got;
        char name[64];
        struct far32 p32 = { 0x89abcdef, s };
        struct far16 p16 = { 0x4567, s };
        uint64_t r;
        snprintf(name, sizeof name, "lgs r32, %#x", s);
        TRY(name, r = ~0ULL; __asm__ volatile("wrgsbase %3; lgs %2, %k0; mov %%gs, %1; rdgsbase %%rax; mov %%rax, %q0; xor %%eax, %%eax; mov %%ax, %%gs"
                                           : "+r"(r), "=&r"(got) : "m"(p32), "r"(0x5000ULL) : "rax", "memory");
                  printf("  r %#llx gs %#x\n", (unsigned long long)r, got));
        snprintf(name, sizeof name, "lgs r16, %#x", s);
        TRY(name, r = ~0ULL; __asm__ volatile("lgs %2, %w0; mov %%gs, %1; xor %%eax, %%eax; mov %%ax, %%gs" : "+r"(r), "=&r"(got) : "m"(p16) : "rax");
                  printf("  r %#llx gs %#x\n", (unsigned long long)r, got));
        snprintf(name, sizeof name, "lgs r64 (rex.w), %#x", s);
        TRY(name, r = ~0ULL; __asm__ volatile(".byte 0x48; lgs %2, %k0; mov %%gs, %1; xor %%eax, %%eax; mov %%ax, %%gs" : "+r"(r), "=&r"(got) : "m"(p32) : "rax");
                  printf("  r %#llx gs %#x\n", (unsigned long long)r, got));
        snprintf(name, sizeof name, "lfs r32, %#x", s);
        TRY(name, r = ~0ULL; __asm__ volatile("rdfsbase %%rdx; lfs %2, %k0; mov %%fs, %1; xor %%eax, %%eax; mov %%ax, %%fs; wrfsbase %%rdx"
                                           : "+r"(r), "=&r"(got) : "m"(p32) : "rax", "rdx", "memory");
                  printf("  r %#llx fs %#x\n", (unsigned long long)r, got));
        snprintf(name, sizeof name, "lss r32, %#x", s);
        TRY(name, r = ~0ULL; __asm__ volatile("mov %%rsp, %%rbx; lss %2, %%esp; mov %%rsp, %0; mov %%ss, %1; mov %%rbx, %%rsp"
                                           : "+r"(r), "=&r"(got) : "m"(p32) : "rbx", "memory");
                  printf("  rsp %#llx ss %#x\n", (unsigned long long)r, got));
    }
}

static uint64_t retfq(uint64_t cs)
{
    uint64_t d0, d1;
    __asm__ volatile("mov %%rsp, %0; lea 1f(%%rip), %%rax; push %2; push %%rax; lretq; 1: mov %%rsp, %1"
                     : "=&r"(d0), "=&r"(d1) : "r"(cs) : "rax", "memory");
    return d1 - d0;
}

static uint64_t retfq_imm(uint64_t cs)
{
    uint64_t d0, d1;
    __asm__ volatile("mov %%rsp, %0; sub $24, %%rsp; lea 1f(%%rip), %%rax; push %2; push %%rax; lretq $24; 1: mov %%rsp, %1"
                     : "=&r"(d0), "=&r"(d1) : "r"(cs) : "rax", "memory");
    return d1 - d0;
}

// The 32-bit forms pop a 4-byte RIP: they land on "jmp *%rcx" in a page below 4 GiB (the program may be
// position-independent and loaded higher), which jumps back.
static uint32_t low_jmp_rcx;

static uint64_t retfd(uint32_t cs)
{
    uint64_t d0, d1;
    __asm__ volatile("mov %%rsp, %0; lea 1f(%%rip), %%rcx; sub $8, %%rsp; movl %3, (%%rsp); movl %2, 4(%%rsp); lretl; 1: mov %%rsp, %1"
                     : "=&r"(d0), "=&r"(d1) : "r"(cs), "r"(low_jmp_rcx) : "rcx", "memory");
    return d1 - d0;
}

static uint64_t retfw(uint32_t cs)
{
    uint64_t d0, d1;
    __asm__ volatile("mov %%rsp, %0; lea 1f(%%rip), %%rax; sub $4, %%rsp; movw %%ax, (%%rsp); movw %w2, 2(%%rsp); lretw; 1: mov %%rsp, %1"
                     : "=&r"(d0), "=&r"(d1) : "r"(cs) : "rax", "memory");
    return d1 - d0;
}

static void iretq(uint64_t cs, uint64_t ss, uint64_t fl)
{
    uint64_t d0, d1, f;
    __asm__ volatile("mov %%rsp, %0; mov %%rsp, %%rax; push %4; push %%rax; push %5; push %3; lea 1f(%%rip), %%rax; push %%rax; iretq;"
                     "1: pushf; pop %2; push $0x202; popf; mov %%rsp, %1"
                     : "=&r"(d0), "=&r"(d1), "=&r"(f) : "r"(cs), "r"(ss), "r"(fl) : "rax", "memory", "cc");
    printf("  rsp moved %lld flags %#llx\n", (long long)(d1 - d0), (unsigned long long)f);
}

// IRETD pops a 4-byte RSP too: it runs on a stack below 4 GiB and switches back.
static char *low_stack;

static void iretd(uint32_t cs, uint32_t ss, uint32_t fl)
{
    uint64_t d0, d1, f;
    __asm__ volatile("mov %%rsp, %%rbx; mov %6, %%rsp; mov %%rsp, %0; mov %%rsp, %%rax; sub $20, %%rsp; movl %4, 16(%%rsp); movl %%eax, 12(%%rsp); movl %5, 8(%%rsp);"
                     "movl %3, 4(%%rsp); movl %7, (%%rsp); lea 1f(%%rip), %%rcx; iretl;"
                     "1: pushf; pop %2; push $0x202; popf; mov %%rsp, %1; mov %%rbx, %%rsp"
                     : "=&r"(d0), "=&r"(d1), "=&r"(f) : "r"(cs), "r"(ss), "r"(fl), "r"(low_stack + 4096), "r"(low_jmp_rcx) : "rax", "rbx", "rcx", "memory", "cc");
    printf("  rsp moved %lld flags %#llx\n", (long long)(d1 - d0), (unsigned long long)f);
}

// Far JMP and CALL through an m16:32 pointer (FF /5, FF /3) to the page below 4 GiB, whose "jmp *%rcx"
// comes back. The CALL pushes CS and EIP as 4 bytes each. With REX.W (m16:64) Intel reads an 8-byte offset
// and AMD still an m16:32 one, so only the forms both agree on are here.
static void far_jmp(uint32_t cs)
{
    struct { uint32_t off; uint16_t sel; } __attribute__((packed)) ptr = { low_jmp_rcx, (uint16_t)cs };
    uint64_t d0, d1;
    __asm__ volatile("mov %%rsp, %0; lea 1f(%%rip), %%rcx; ljmpl *%2; 1: mov %%rsp, %1" : "=&r"(d0), "=&r"(d1) : "m"(ptr) : "rcx", "memory");
    printf("  rsp moved %lld\n", (long long)(d1 - d0));
}

static void far_call(uint32_t cs)
{
    struct { uint32_t off; uint16_t sel; } __attribute__((packed)) ptr = { low_jmp_rcx, (uint16_t)cs };
    uint64_t d0, d1, pushed_ip, pushed_cs, want_ip;
    __asm__ volatile("mov %%rsp, %0; lea 1f(%%rip), %%rcx; lea 2f(%%rip), %4; lcalll *%5; 2: nop; 1: mov %%rsp, %1; mov (%%rsp), %k2; mov 4(%%rsp), %k3; mov %0, %%rsp"
                     : "=&r"(d0), "=&r"(d1), "=&r"(pushed_ip), "=&r"(pushed_cs), "=&r"(want_ip) : "m"(ptr) : "rcx", "memory");
    printf("  rsp moved %lld, pushed eip is the return address: %d, pushed cs %#llx\n", (long long)(d1 - d0),
           (uint32_t)pushed_ip == (uint32_t)want_ip, (unsigned long long)(pushed_cs & 0xFFFF));
}

static void far_returns(void)
{
    unsigned char *low = mmap(0, 8192, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
    low[0] = 0xff; low[1] = 0xe1; // jmp *%rcx
    low_jmp_rcx = (uint32_t)(uintptr_t)low;
    low_stack = (char *)low + 4096;
    static const uint64_t css[] = { 0x33, 0x10033, 0x30, 0x2b, 0x13, 0x10, 0, 3, 0x7b, 0x43, 0x83, 0x37, 0x1003 };
    for (unsigned k = 0; k < sizeof css / sizeof css[0]; k++) {
        char name[64];
        snprintf(name, sizeof name, "retfq to %#llx", (unsigned long long)css[k]);
        TRY(name, printf("  rsp moved %lld\n", (long long)retfq(css[k])));
    }
    TRY("retfq $24 to 0x33", printf("  rsp moved %lld\n", (long long)retfq_imm(0x33)));
    TRY("retfd to 0x33", printf("  rsp moved %lld\n", (long long)retfd(0x33)));
    TRY("retfd to 0x2b", printf("  rsp moved %lld\n", (long long)retfd(0x2b)));
    TRY("retfw to 0x13", printf("  rsp moved %lld\n", (long long)retfw(0x13)));
    TRY("ljmp m16:32 to 0x33", far_jmp(0x33));
    TRY("ljmp m16:32 to 0x2b", far_jmp(0x2b));
    TRY("ljmp m16:32 to 0", far_jmp(0));
    TRY("lcall m16:32 to 0x33", far_call(0x33));
    TRY("lcall m16:32 to 0x10", far_call(0x10));
    TRY("iretq 0x33/0x2b", iretq(0x33, 0x2b, 0x202));
    TRY("iretq with arithmetic flags and DF", iretq(0x33, 0x2b, 0xed7));
    TRY("iretq with IOPL 3", iretq(0x33, 0x2b, 0x3202));
    TRY("iretq with IF clear", iretq(0x33, 0x2b, 0x2));
    TRY("iretd 0x33/0x2b", iretd(0x33, 0x2b, 0x2c3));
    static const uint64_t sss[] = { 0, 3, 0x33, 0x28, 0x23, 0x7b, 0x13, 0x1003 };
    for (unsigned k = 0; k < sizeof sss / sizeof sss[0]; k++) {
        char name[64];
        snprintf(name, sizeof name, "iretq with ss %#llx", (unsigned long long)sss[k]);
        TRY(name, iretq(0x33, sss[k], 0x202));
    }
    TRY("iretq with cs 0x2b", iretq(0x2b, 0x2b, 0x202));
    TRY("iretq with cs 0x30 and ss 0", iretq(0x30, 0, 0x202));
    TRY("iretq with cs 0", iretq(0, 0x2b, 0x202));
    // POPF sets NT in user mode; IRET with NT set would be a task return, #GP(0) in 64-bit mode.
    uint64_t f;
    __asm__ volatile("push $0x4202; popfq; pushfq; pop %0; push $0x202; popfq" : "=r"(f) :: "cc");
    printf("popfq 0x4202: %#llx\n", (unsigned long long)f);
    TRY("iretq with NT set", __asm__ volatile("push $0x4202; popfq; mov %%rsp, %%rax; push $0x2b; push %%rax; push $0x202; push $0x33;"
                                              "lea 1f(%%rip), %%rax; push %%rax; iretq; 1:" ::: "rax", "memory", "cc");
        printf("  no fault\n"));
    __asm__ volatile("push $0x202; popfq" ::: "cc");
    __asm__ volatile("pushfq; pop %0" : "=r"(f));
    printf("flags after: %#llx\n", (unsigned long long)f);
}

static void fsgsbase(void)
{
    unsigned a, b, c, d;
    __cpuid_count(7, 0, a, b, c, d);
    printf("cpuid fsgsbase %u hwcap2 fsgsbase %lu\n", b & 1, (getauxval(AT_HWCAP2) >> 1) & 1);
    uint64_t fs, tp, gs, save;
    __asm__ volatile("rdfsbase %0; mov %%fs:0, %1" : "=r"(fs), "=r"(tp));
    printf("rdfsbase is the thread pointer: %d\n", fs == tp);
    __asm__ volatile("rdgsbase %0; wrgsbase %2; rdgsbase %1" : "=&r"(save), "=&r"(gs) : "r"(0x123456789abcULL));
    printf("wrgsbase/rdgsbase: %#llx\n", (unsigned long long)gs);
    uint64_t r = ~0ULL;
    __asm__ volatile("rdgsbase %k0" : "+r"(r));
    printf("rdgsbase r32: %#llx\n", (unsigned long long)r);
    __asm__ volatile("wrgsbase %k1; rdgsbase %0" : "=r"(gs) : "r"(0xffffffff87654321ULL));
    printf("wrgsbase r32: %#llx\n", (unsigned long long)gs);
    static const uint64_t bad[] = { 0x0000800000000000ULL, 0xffff7fffffffffffULL };
    for (int k = 0; k < 2; k++) {
        char name[64];
        snprintf(name, sizeof name, "wrgsbase %#llx", (unsigned long long)bad[k]);
        TRY(name, __asm__ volatile("wrgsbase %0" :: "r"(bad[k])); printf("  no fault\n"));
    }
    __asm__ volatile("wrgsbase %0" :: "r"(0x7fffffffffffULL));
    __asm__ volatile("rdgsbase %0" : "=r"(gs));
    printf("wrgsbase highest canonical: %#llx\n", (unsigned long long)gs);
    __asm__ volatile("wrgsbase %0" :: "r"(save));
}

#define RING0(X) X(lgdt, "lgdt (%0)") X(lidt, "lidt (%0)") X(lldt, "lldt %w1") X(ltr, "ltr %w1") X(lmsw, "lmsw %w1") \
    X(clts, "clts") X(invd, "invd") X(wbinvd, "wbinvd") X(invlpg, "invlpg (%0)") X(rdmsr, "rdmsr") X(wrmsr, "wrmsr") \
    X(swapgs, "swapgs") X(mov_cr0, "mov %%cr0, %%rax") X(mov_to_cr3, "mov %%rax, %%cr3") X(mov_dr7, "mov %%dr7, %%rax") \
    X(hlt, "hlt") X(cli, "cli") X(sti, "sti") X(in_dx, "inb %%dx, %%al") X(out_dx, "outb %%al, %%dx") \
    X(in_imm, "inl $0x80, %%eax") X(out_imm, "outw %%ax, $0x80") X(insb, "insb") X(outsl, "outsl") \
    X(ud0, ".byte 0x0f, 0xff, 0xc0") X(ud1, ".byte 0x0f, 0xb9, 0xc0")

static void ring0(void)
{
    static char buf[16];
#define RUN(n, text) TRY(#n, __asm__ volatile(text :: "r"(buf), "r"(0) : "rax", "rcx", "rdx", "memory"); printf("  no fault\n"));
    RING0(RUN)
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    struct sigaction sa = { .sa_sigaction = handler, .sa_flags = SA_SIGINFO };
    sigemptyset(&sa.sa_mask);
    sigaction(SIGSEGV, &sa, NULL);
    sigaction(SIGILL, &sa, NULL);
    sigaction(SIGBUS, &sa, NULL);
    sigaction(SIGTRAP, &sa, NULL);
    umip();
    descriptors();
    segment_loads();
    far_pointers();
    far_returns();
    fsgsbase();
    ring0();
    show_sregs("at the end");
    return 0;
}
