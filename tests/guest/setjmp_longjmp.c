// setjmp/longjmp: return values (incl. longjmp(env, 0) -> 1), jumps out of deep recursion,
// volatile locals preserved, nested jump buffers, sigsetjmp/siglongjmp with signal masks,
// and a longjmp out of a signal handler triggered by raise().
#include <stdio.h>
#include <setjmp.h>
#include <signal.h>
#include <string.h>

static jmp_buf env_outer, env_inner;
static int depth_reached;

static unsigned long acc;

static int recurse(int depth, int limit)
{
    unsigned char frame[64];
    memset(frame, depth & 0xff, sizeof frame);
    acc += (unsigned long)frame[depth % 64] * (unsigned long)depth;
    depth_reached = depth;
    if (depth >= limit) {
        if (limit > 0)
            longjmp(env_outer, depth);
        return -1;
    }
    return recurse(depth + 1, limit) + frame[depth % 7]; /* not a tail call */
}

static int inner_level(int x)
{
    if (setjmp(env_inner) == 0) {
        if (x % 3 == 0) longjmp(env_inner, 7);
        if (x % 3 == 1) longjmp(env_outer, 100 + x);
        return x * 2;
    }
    return -x;
}

static sigjmp_buf sig_env;
static volatile sig_atomic_t handled;

static void handler(int sig)
{
    handled = sig;
    siglongjmp(sig_env, sig);
}

static double float_work(int n)
{
    volatile double d = 1.0;
    for (int i = 0; i < n; i++) d = d * 1.5 + 0.25;
    return d;
}

int main(void)
{
    /* basic return values */
    for (int v = -3; v <= 3; v++) {
        volatile int count = 0;
        int r = setjmp(env_outer);
        count++;
        if (r == 0) longjmp(env_outer, v);
        printf("longjmp(%d) -> setjmp returned %d, count=%d\n", v, r, count);
    }
    /* deep recursion */
    for (int limit = 1; limit <= 2000; limit = limit * 3 + 1) {
        acc = 0;
        int r = setjmp(env_outer);
        if (r == 0) {
            printf("unexpected return %d\n", recurse(0, limit));
        } else {
            printf("recursion limit=%d r=%d reached=%d acc=%lu\n", limit, r, depth_reached, acc);
        }
    }
    /* nested buffers: inner setjmp, longjmp either inner or outer */
    for (int x = 0; x < 9; x++) {
        int r = setjmp(env_outer);
        if (r == 0) {
            int res = inner_level(x);
            printf("inner x=%d res=%d\n", x, res);
        } else {
            printf("outer caught x=%d r=%d\n", x, r);
        }
    }
    /* volatile locals survive; float state across jump */
    volatile int vi = 1;
    volatile double vd = 0.5;
    if (setjmp(env_outer) == 0) {
        vi = 42;
        vd = float_work(20);
        longjmp(env_outer, 1);
    }
    printf("volatile after jump: vi=%d vd=%.17g\n", vi, vd);
    /* sigsetjmp/siglongjmp from a handler, mask restored */
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = handler;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGUSR1, &sa, NULL);
    sigaction(SIGUSR2, &sa, NULL);
    for (int i = 0; i < 4; i++) {
        int sig = i % 2 ? SIGUSR2 : SIGUSR1;
        int r = sigsetjmp(sig_env, 1);
        if (r == 0) {
            raise(sig);
            printf("not reached\n");
        } else {
            sigset_t cur;
            sigprocmask(SIG_SETMASK, NULL, &cur);
            printf("siglongjmp iteration %d r=%d handled=%d usr1 blocked=%d usr2 blocked=%d\n", i, r == SIGUSR1 ? 1 : r == SIGUSR2 ? 2 : -1,
                   handled == sig, sigismember(&cur, SIGUSR1), sigismember(&cur, SIGUSR2));
        }
    }
    /* sigsetjmp without saving mask: the handler's blocked signal stays blocked */
    int r = sigsetjmp(sig_env, 0);
    if (r == 0) {
        raise(SIGUSR1);
    } else {
        sigset_t cur;
        sigprocmask(SIG_SETMASK, NULL, &cur);
        printf("no-savemask: usr1 blocked=%d\n", sigismember(&cur, SIGUSR1));
        sigprocmask(SIG_UNBLOCK, &cur, NULL);
        sigprocmask(SIG_SETMASK, NULL, &cur);
        printf("after unblock: usr1 blocked=%d\n", sigismember(&cur, SIGUSR1));
    }
    /* _setjmp/_longjmp loop counter */
    jmp_buf loop;
    volatile int iter = 0;
    volatile unsigned long sum = 0;
    if (_setjmp(loop) < 1000) {
        sum += (unsigned long)iter * iter;
        iter++;
        if (iter < 1000) _longjmp(loop, iter);
    }
    printf("loop via longjmp: iter=%d sum=%lu\n", iter, sum);
    return 0;
}
