// Signals within one process: sigaction with SA_SIGINFO (si_signo/si_code/si_value),
// raise/kill/sigqueue to self, blocked signals becoming pending and delivered on unblock
// (in signal-number order), SA_RESETHAND, SA_NODEFER, handler masks, sigaltstack, and
// recovery from SIGSEGV/SIGFPE/SIGILL/SIGTRAP/SIGBUS by editing the saved RIP in the
// ucontext or via siglongjmp. Fault addresses are printed relative to known mappings.
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <setjmp.h>
#include <unistd.h>
#include <stdint.h>
#include <ucontext.h>
#include <sys/mman.h>
#include <errno.h>

static volatile sig_atomic_t order[32], norder;
static volatile int last_code, last_value, nested_seen;
static char *altstack;
static size_t altsize;
static volatile int on_alt;

static void info_handler(int sig, siginfo_t *si, void *uc)
{
    (void)uc;
    order[norder++] = sig;
    last_code = si->si_code;
    last_value = si->si_value.sival_int;
    char probe;
    on_alt = (&probe >= altstack && &probe < altstack + altsize);
}

static void plain_handler(int sig) { order[norder++] = sig; }

static void nodefer_handler(int sig)
{
    static int depth;
    order[norder++] = sig;
    if (depth++ == 0) raise(sig); /* with SA_NODEFER this re-enters immediately */
    else nested_seen = 1;
    depth--;
}

static sigjmp_buf jb;
static volatile uintptr_t fault_addr;
static volatile int fault_code;
static void jump_handler(int sig, siginfo_t *si, void *uc)
{
    (void)uc;
    fault_addr = (uintptr_t)si->si_addr;
    fault_code = si->si_code;
    siglongjmp(jb, sig);
}

/* skip a faulting instruction of known length by editing the saved RIP */
static volatile int skip_len;
static void skip_handler(int sig, siginfo_t *si, void *ucv)
{
    ucontext_t *uc = ucv;
    order[norder++] = sig;
    fault_code = si->si_code;
    uc->uc_mcontext.gregs[REG_RIP] += skip_len;
}

static void print_order(const char *label)
{
    printf("%s:", label);
    for (int i = 0; i < norder; i++) printf(" %d", (int)order[i]);
    printf("\n");
    norder = 0;
}

int main(int argc, char **argv)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = info_handler;
    sa.sa_flags = SA_SIGINFO;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGUSR1, &sa, NULL);
    sigaction(SIGUSR2, &sa, NULL);
    sigaction(SIGRTMIN, &sa, NULL);
    raise(SIGUSR1);
    printf("raise: code_is_SI_TKILL=%d\n", last_code == SI_TKILL);
    kill(getpid(), SIGUSR2);
    printf("kill: code_is_SI_USER=%d\n", last_code == SI_USER);
    union sigval sv = {.sival_int = 4242};
    sigqueue(getpid(), SIGRTMIN, sv);
    printf("sigqueue: code_is_SI_QUEUE=%d value=%d\n", last_code == SI_QUEUE, last_value);
    print_order("delivered");
    /* blocking and pending */
    sigset_t set, old, pend;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    sigaddset(&set, SIGUSR2);
    sigaddset(&set, SIGRTMIN);
    sigprocmask(SIG_BLOCK, &set, &old);
    raise(SIGUSR2);
    raise(SIGUSR1);
    sigqueue(getpid(), SIGRTMIN, sv);
    sigqueue(getpid(), SIGRTMIN, sv); /* realtime signals queue */
    raise(SIGUSR1);                    /* standard signals do not */
    sigpending(&pend);
    printf("pending: usr1=%d usr2=%d rtmin=%d delivered so far=%d\n", sigismember(&pend, SIGUSR1), sigismember(&pend, SIGUSR2),
           sigismember(&pend, SIGRTMIN), (int)norder);
    sigprocmask(SIG_SETMASK, &old, NULL);
    print_order("after unblock");
    /* sigwait-style consumption with sigtimedwait */
    sigprocmask(SIG_BLOCK, &set, NULL);
    raise(SIGUSR2);
    siginfo_t si;
    struct timespec ts = {0, 0};
    int got = sigtimedwait(&set, &si, &ts);
    printf("sigtimedwait got=%d signo=%d\n", got, si.si_signo);
    errno = 0;
    got = sigtimedwait(&set, &si, &ts);
    printf("sigtimedwait empty=%d EAGAIN=%d\n", got, errno == EAGAIN);
    sigprocmask(SIG_SETMASK, &old, NULL);
    /* SA_RESETHAND */
    struct sigaction rs;
    memset(&rs, 0, sizeof rs);
    rs.sa_handler = plain_handler;
    rs.sa_flags = SA_RESETHAND;
    sigaction(SIGWINCH, &rs, NULL);
    raise(SIGWINCH);
    struct sigaction cur;
    sigaction(SIGWINCH, NULL, &cur);
    printf("SA_RESETHAND: handler reset to default=%d\n", cur.sa_handler == SIG_DFL);
    raise(SIGWINCH); /* default action for SIGWINCH is ignore */
    print_order("resethand");
    /* SA_NODEFER */
    memset(&rs, 0, sizeof rs);
    rs.sa_handler = nodefer_handler;
    rs.sa_flags = SA_NODEFER;
    sigaction(SIGUSR2, &rs, NULL);
    raise(SIGUSR2);
    printf("SA_NODEFER nested=%d\n", nested_seen);
    print_order("nodefer");
    /* handler mask: while in handler for USR1, USR2 is blocked and arrives afterwards */
    memset(&rs, 0, sizeof rs);
    rs.sa_sigaction = info_handler;
    rs.sa_flags = SA_SIGINFO;
    sigaction(SIGUSR2, &rs, NULL);
    /* sigaltstack */
    altsize = 64 * 1024;
    altstack = malloc(altsize);
    stack_t ss = {.ss_sp = altstack, .ss_size = altsize, .ss_flags = 0};
    printf("sigaltstack rc=%d\n", sigaltstack(&ss, NULL));
    rs.sa_flags = SA_SIGINFO | SA_ONSTACK;
    sigaction(SIGUSR1, &rs, NULL);
    raise(SIGUSR1);
    printf("handler ran on alt stack=%d\n", on_alt);
    rs.sa_flags = SA_SIGINFO;
    sigaction(SIGUSR1, &rs, NULL);
    raise(SIGUSR1);
    printf("handler without SA_ONSTACK on alt stack=%d\n", on_alt);
    print_order("altstack");
    /* faults recovered with siglongjmp */
    struct sigaction fj;
    memset(&fj, 0, sizeof fj);
    fj.sa_sigaction = jump_handler;
    fj.sa_flags = SA_SIGINFO | SA_NODEFER;
    sigaction(SIGSEGV, &fj, NULL);
    sigaction(SIGFPE, &fj, NULL);
    sigaction(SIGBUS, &fj, NULL);
    long pg = sysconf(_SC_PAGESIZE);
    char *map = mmap(NULL, (size_t)pg * 3, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    mprotect(map + pg, (size_t)pg, PROT_NONE);
    mprotect(map + 2 * pg, (size_t)pg, PROT_READ);
    const long offs[] = {pg + 0, pg + 123, 2 * pg + 8, 2 * pg + 4000};
    for (int i = 0; i < 4; i++) {
        int r = sigsetjmp(jb, 1);
        if (r == 0) {
            volatile char *p = map + offs[i];
            *p = 1; /* write: faults in PROT_NONE and PROT_READ pages */
            printf("write %d did not fault\n", i);
        } else {
            printf("fault %d: sig=%d code=%s addr=map+%ld\n", i, r, fault_code == SEGV_ACCERR ? "SEGV_ACCERR" : fault_code == SEGV_MAPERR ? "SEGV_MAPERR" : "other",
                   (long)(fault_addr - (uintptr_t)map));
        }
    }
    munmap(map + pg, (size_t)pg);
    if (sigsetjmp(jb, 1) == 0) {
        volatile char *p = map + pg + 7;
        (void)*p;
    } else {
        printf("read of unmapped page: code=%s addr=map+%ld\n", fault_code == SEGV_MAPERR ? "SEGV_MAPERR" : "other", (long)(fault_addr - (uintptr_t)map));
    }
    volatile int zero = 0;
    if (sigsetjmp(jb, 1) == 0) {
        volatile int q = 5 / zero;
        (void)q;
    } else {
        printf("divide by zero: code_is_FPE_INTDIV=%d\n", fault_code == FPE_INTDIV);
    }
    /* SIGBUS: access beyond the end of a file mapping */
    /* scratch file in argv[1] if given, else /tmp; unlinked at once, name never printed */
    char tmpl[4096];
    snprintf(tmpl, sizeof tmpl, "%s/ferry-guest-XXXXXX", argc > 1 ? argv[1] : "/tmp");
    int fd = mkstemp(tmpl);
    unlink(tmpl);
    ftruncate(fd, 100);
    char *fm = mmap(NULL, (size_t)pg * 2, PROT_READ, MAP_SHARED, fd, 0);
    if (sigsetjmp(jb, 1) == 0) {
        volatile char c = fm[pg + 10];
        (void)c;
        printf("no SIGBUS\n");
    } else {
        printf("beyond EOF mapping: sig=%d code_is_BUS_ADRERR=%d addr=map+%ld\n", SIGBUS, fault_code == BUS_ADRERR, (long)(fault_addr - (uintptr_t)fm));
    }
    munmap(fm, (size_t)pg * 2);
    close(fd);
    /* resume after ud2 / int3 / faulting load by advancing RIP */
    struct sigaction sk;
    memset(&sk, 0, sizeof sk);
    sk.sa_sigaction = skip_handler;
    sk.sa_flags = SA_SIGINFO;
    sigaction(SIGILL, &sk, NULL);
    sigaction(SIGTRAP, &sk, NULL);
    sigaction(SIGSEGV, &sk, NULL);
    skip_len = 2;
    int marker = 0;
    __asm__ volatile("ud2\n\tmovl $11, %0" : "=r"(marker));
    printf("after ud2: marker=%d ILL_ILLOPN=%d\n", marker, fault_code == ILL_ILLOPN);
    skip_len = 0; /* int3 already reports RIP after the instruction */
    marker = 0;
    __asm__ volatile("int3\n\tmovl $22, %0" : "=r"(marker));
    printf("after int3: marker=%d\n", marker);
    skip_len = 3; /* movq (%rax), %rax is 3 bytes */
    uint64_t val = 0;
    __asm__ volatile("xorl %%eax, %%eax\n\tmovq (%%rax), %%rax\n\tmovq $33, %0" : "=r"(val) : : "rax", "memory");
    printf("after null load: val=%llu\n", (unsigned long long)val);
    print_order("skipped");
    munmap(map, (size_t)pg * 3);
    free(altstack);
    return 0;
}
