// MONITOR and MWAIT are privileged on Linux (CPL 3 gets #UD, i.e. SIGILL) even when CPUID reports
// SSE3: a SIGILL handler catches each, reports the signal and si_code, and resumes with siglongjmp.
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

static sigjmp_buf jb;
static volatile int code;

static void handler(int sig, siginfo_t *si, void *uc)
{
    (void)uc;
    code = si->si_code;
    siglongjmp(jb, sig);
}

int main(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = handler;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGILL, &sa, NULL);
    sigaction(SIGSEGV, &sa, NULL);
    static char line[64];
    int s;
    if ((s = sigsetjmp(jb, 1)) == 0) {
        __asm__ volatile("monitor" : : "a"(line), "c"(0), "d"(0));
        puts("monitor: executed");
    } else printf("monitor: signal %d code %d\n", s, code);
    if ((s = sigsetjmp(jb, 1)) == 0) {
        __asm__ volatile("mwait" : : "a"(0), "c"(0));
        puts("mwait: executed");
    } else printf("mwait: signal %d code %d\n", s, code);
    return 0;
}
